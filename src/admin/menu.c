/*
 * menu.c -- see admin.h: the secretariat's one menu and the tiles of work
 * waiting on its overview, both built from what the modules declare in
 * their struct module (admin_menu, admin_tiles), so src/admin lists no
 * other module's page.
 *
 * admin_assemble, the module's assemble hook (called once with every
 * module before the server starts), sorts the entries and the tiles of all modules by order into
 * fixed tables (read-only afterwards, so the worker threads share them).
 * Every secretariat page -- this module's and the features' own --
 * answers through admin_secretariat_page, which puts the menu into the
 * model for the one partial templates/nav.html, the page's entry marked.
 */
#include "admin.h"

#include <assert.h>
#include <string.h>

#include "core/i18n.h"

/* The menu entries and the overview's tiles of every module, lowest order
 * first (admin_assemble); fixed tables, filled once before the server
 * starts. */
#define MENU_MAX 64
#define TILES_MAX 64
static const struct menu_entry *menu[MENU_MAX];
static size_t nmenu;
static const struct admin_tile *tiles[TILES_MAX];
static size_t ntiles;

/* Whether mod has a GET route whose pattern is path. */
static int
has_get_route(const struct module *mod, const char *path)
{
	for (size_t i = 0; i < mod->nroutes; i++)
		if (mod->routes[i].method == HTTP_GET &&
		    strcmp(mod->routes[i].pattern, path) == 0)
			return 1;
	return 0;
}

void
admin_assemble(const struct module *const *mods, size_t nmods)
{
	nmenu = ntiles = 0;
	for (size_t m = 0; m < nmods; m++) {
		for (size_t i = 0; i < mods[m]->nadmin_tiles; i++) {
			const struct admin_tile *t = &mods[m]->admin_tiles[i];
			size_t j = ntiles++;

			assert(ntiles <= TILES_MAX && t->count != NULL);
			while (j > 0 && tiles[j - 1]->order > t->order) {
				tiles[j] = tiles[j - 1];
				j--;
			}
			tiles[j] = t;
		}
		for (size_t i = 0; i < mods[m]->nadmin_menu; i++) {
			const struct menu_entry *e = &mods[m]->admin_menu[i];
			size_t j = nmenu++;

			/* our own tables: a page of the module, room left */
			assert(nmenu <= MENU_MAX);
			assert(has_get_route(mods[m], e->path));
			/* insertion sort, stable: equal orders keep the
			 * order of the modules */
			while (j > 0 && menu[j - 1]->order > e->order) {
				menu[j] = menu[j - 1];
				j--;
			}
			menu[j] = e;
		}
	}
}

json_t *
admin_tiles(struct req *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < ntiles; i++) {
		int64_t n = 0;

		if (tiles[i]->count(r, &n) != 0) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, json_pack("{s:s,s:s,s:I}", "label",
						   _(tiles[i]->label), "href",
						   tiles[i]->href, "count",
						   (json_int_t)n));
	}
	return a;
}

/*
 * The menu as the nav.html partial reads it, [{href, label, current,
 * section}], the labels (msgids, N_() where the modules declare them) in
 * the current language: current marks the entry whose path is current;
 * when none is, section marks the entry with the longest path that
 * current lies under (/admin/things for /admin/things/7).
 */
static json_t *
admin_nav(const char *current)
{
	json_t *a = json_array();
	size_t best = nmenu, best_len = 0;
	int exact = 0;

	for (size_t i = 0; i < nmenu; i++) {
		size_t len = strlen(menu[i]->path);

		if (strcmp(menu[i]->path, current) == 0)
			exact = 1;
		else if (strncmp(menu[i]->path, current, len) == 0 &&
			 current[len] == '/' && len > best_len) {
			best = i;
			best_len = len;
		}
	}
	for (size_t i = 0; i < nmenu; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:b,s:b}", "href", menu[i]->path,
				     "label", _(menu[i]->label), "current",
				     strcmp(menu[i]->path, current) == 0,
				     "section", !exact && i == best));
	return a;
}

void
admin_secretariat_page(const struct req *r, struct resp *w, int status,
		       const char *tmpl, const char *title, const char *current,
		       json_t *model)
{
	if (!r->want_json)
		json_object_set_new(model, "admin_nav",
				    admin_nav(current ? current : r->path));
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, tmpl, title, model);
}
