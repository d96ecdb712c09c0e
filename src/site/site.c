/*
 * site.c -- see site.h.  Every page here reads from the tables seeded by
 * migrations/0002_site.sql (pages, focal_areas, bodies, offices), which the
 * secretariat edits later; Markdown bodies are rendered safe at request
 * time.  The focal areas' own pages are src/focal/'s.  Each handler
 * builds its view model and names its template; the same model answers
 * /api/v1/... as JSON.
 */
#include "site.h"

#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/config.h"
#include "core/countries.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/search.h"
#include "core/util.h"

enum stmt_site {
	STMT_PAGE_GET,
	STMT_FOCAL_LIST,
	STMT_BODY_LIST,
	STMT_BODY_GET,
	STMT_OFFICE_LIST,
	STMT_SITE__MAX,
};

static const char *const site_sql_text[STMT_SITE__MAX] = {
	[STMT_PAGE_GET] = "SELECT slug, title, summary, body_md, updated_at"
			  " FROM pages WHERE slug = ?",
	/* a retired area keeps its page but leaves the home page */
	[STMT_FOCAL_LIST] = "SELECT slug, name, summary FROM focal_areas"
			    " WHERE retired_at IS NULL ORDER BY position",
	[STMT_BODY_LIST] = "SELECT slug, acronym, name, kind, cadence, summary"
			   " FROM bodies ORDER BY position",
	[STMT_BODY_GET] = "SELECT slug, acronym, name, kind, cadence, summary,"
			  " body_md FROM bodies WHERE slug = ?",
	[STMT_OFFICE_LIST] = "SELECT slug, name, city, country, summary"
			     " FROM offices ORDER BY position",
};

static struct db_sql site_sql = {"site", site_sql_text, STMT_SITE__MAX, 0};
static char site_name[200] = "Alliance";

void
site_set_name(const char *name)
{
	snprintf(site_name, sizeof(site_name), "%s", name);
}

/* The public navigation and the search's kinds of hits, gathered from
 * every module by site_assemble before the server starts (fixed tables
 * afterwards, shared by the worker threads).  The navigation is sorted
 * by order, stable; the search's kinds keep the modules' order. */
#define NAV_MAX 16
#define SEARCH_SOURCES_MAX 32
static const struct menu_entry *nav[NAV_MAX];
static size_t nnav;
static const struct search_source *sources[SEARCH_SOURCES_MAX];
static size_t nsources;

/* The module's assemble hook. */
static void
site_assemble(const struct module *const *mods, size_t nmods)
{
	nnav = nsources = 0;
	for (size_t m = 0; m < nmods; m++) {
		for (size_t i = 0; i < mods[m]->nnav; i++) {
			const struct menu_entry *e = &mods[m]->nav[i];
			size_t j = nnav++;

			assert(nnav <= NAV_MAX);
			while (j > 0 && nav[j - 1]->order > e->order) {
				nav[j] = nav[j - 1];
				j--;
			}
			nav[j] = e;
		}
		for (size_t i = 0; i < mods[m]->nsearch; i++) {
			assert(nsources < SEARCH_SOURCES_MAX);
			sources[nsources++] = &mods[m]->search[i];
			if (mods[m]->search[i].npages)
				search_pages_declare(&mods[m]->search[i]);
		}
	}
}

/* Writes every module's pages into the search index, so the index holds
 * this binary's words for them (core/search.h); a page the index holds so
 * already is not written again.  0 or -1. */
static int
site_pages_put(struct db *db)
{
	if (db_begin(db) != 0)
		return -1;
	if (search_pages_put(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

/* The module's start hook (serve and worker, the database up to date). */
static int
site_start(struct db *db, int64_t now)
{
	(void)now;
	return site_pages_put(db);
}

/* The module's created hook (`alliance init`): a new database has the
 * pages in its index from the first, so a copy-to-postgres before the
 * first serve takes them along. */
static int
site_created(const struct config *c, struct db *db)
{
	(void)c;
	return site_pages_put(db);
}

/* The language chooser: a link to /language/CODE for each language the
 * site speaks, named in that language, back to this page (path and
 * query) after the choice; the current one marked. */
static json_t *
languages_model(const struct req *r)
{
	struct buf next = BUF_INIT, enc = BUF_INIT;
	json_t *list = json_array();

	buf_puts(&next, r->path);
	if (r->query && *r->query) {
		buf_putc(&next, '?');
		buf_puts(&next, r->query);
	}
	esc_url_component(&enc, next.data, next.len);
	for (size_t i = 0; i < i18n_lang_count(); i++) {
		const struct i18n_lang *l = i18n_lang_at(i);

		json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:s,s:s,s:b}", "code", l->code,
				  "name", l->name, "dir",
				  l->rtl ? "rtl" : "ltr", "href",
				  arena_printf(r->arena, "/language/%s?next=%s",
					       l->code, buf_cstr(&enc)),
				  "current", l == i18n_current()));
	}
	buf_free(&next);
	buf_free(&enc);
	return list;
}

/* The offices' cities the message catalog already names (the UN posts of
 * the organisations' representatives): shown in the reader's language.
 * Any other city is data and shown as stored. */
static const char *const known_cities[] = {N_("Vienna"), N_("New York")};

/* The value at key of o in the reader's language when it is a city the
 * catalog names, else as stored ("" when absent). */
static const char *
city_text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	for (size_t k = 0; s && k < ARRAY_LEN(known_cities); k++)
		if (strcmp(s, known_cities[k]) == 0)
			return _(known_cities[k]);
	return s ? s : "";
}

/* Adds country_name, city_name and name_text to each office row of
 * offices: the country's name, the city and the office's name (named
 * after its city: "Vienna") in the reader's language. */
static void
add_office_names(json_t *offices)
{
	json_t *o;
	size_t i;

	countries_name_field(offices, "country", "country_name");
	json_array_foreach (offices, i, o) {
		json_object_set_new(o, "city_name",
				    json_string(city_text(o, "city")));
		json_object_set_new(o, "name_text",
				    json_string(city_text(o, "name")));
	}
}

/* The footer's offices are on every page, signed in or not: their rows
 * are read once per worker thread and database generation (the page
 * cache's validator: on PostgreSQL a number its listener keeps, so
 * asking costs nothing), not once per page.  A copy each time: the
 * caller adds the names in its reader's language. */
struct office_memo {
	json_t *rows;
	uint64_t gen;
};

static pthread_key_t office_key;
static pthread_once_t office_once = PTHREAD_ONCE_INIT;

static void
office_memo_free(void *p)
{
	struct office_memo *m = p;

	json_decref(m->rows);
	free(m);
}

static void
office_key_init(void)
{
	pthread_key_create(&office_key, office_memo_free);
}

static json_t *
office_rows(struct db *db)
{
	struct office_memo *m;
	struct db_stmt *st;
	json_t *rows;
	uint64_t gen;

	pthread_once(&office_once, office_key_init);
	m = pthread_getspecific(office_key);
	if (m == NULL) {
		m = xcalloc(1, sizeof(*m));
		pthread_setspecific(office_key, m);
	}
	if (db_generation(db, &gen) != 0)
		gen = UINT64_MAX; /* never kept: asked again next time */
	else if (m->rows && m->gen == gen)
		return json_deep_copy(m->rows);
	st = db_stmt(db, &site_sql, STMT_OFFICE_LIST);
	rows = st ? db_all_json(st) : NULL;
	if (rows && gen != UINT64_MAX) {
		json_decref(m->rows);
		m->rows = json_deep_copy(rows);
		m->gen = gen;
	}
	return rows;
}

void
site_chrome(const struct req *r, json_t *model)
{
	json_t *items = json_array(), *site, *offices;

	for (size_t i = 0; i < nnav; i++) {
		size_t n = strlen(nav[i]->path);
		int current = strcmp(r->path, nav[i]->path) == 0 ||
			      (n > 1 && strncmp(r->path, nav[i]->path, n) == 0 &&
			       r->path[n] == '/');

		json_array_append_new(items,
				      json_pack("{s:s,s:s,s:b}", "href",
						nav[i]->path, "label",
						_(nav[i]->label), "current",
						current));
	}
	json_object_set_new(model, "nav", items);
	json_object_set_new(model, "languages", languages_model(r));
	if (r->person)
		json_object_set_new(
			model, "me",
			json_pack("{s:s,s:s,s:b}", "name", r->person->name,
				  "role", auth_role_name(r->person->role),
				  "admin", r->person->role >= ROLE_ADMIN));
	if (r->csrf_token)
		json_object_set_new(model, "csrf", json_string(r->csrf_token));
	site = json_pack("{s:s,s:s}", "name", site_name, "tagline",
			 _("An international civil society platform on crime "
			   "prevention and criminal justice."));
	/* the footer's offices, the country in the reader's language; none
	 * when the database cannot be read (an error page says why) */
	if (r->db && (offices = office_rows(r->db)) != NULL) {
		add_office_names(offices);
		json_object_set_new(site, "offices", offices);
	}
	json_object_set_new(model, "site", site);
}

/* Runs a list statement; NULL (and a 500 in w) on error. */
static json_t *
list_or_respond(struct req *r, struct resp *w, enum stmt_site s)
{
	struct db_stmt *st = db_stmt(r->db, &site_sql, s);
	json_t *rows = st ? db_all_json(st) : NULL;

	if (rows == NULL)
		resp_error(w, 500, _("The page could not be read."));
	return rows;
}

/* The cadences a body may have (the CHECK of 0002_site.sql), stored as
 * these codes, and their labels, the same words in English. */
static const char *const cadences[][2] = {
	{"annual", N_("annual")},
	{"biennial", N_("biennial")},
	{"quinquennial", N_("quinquennial")},
	{"ongoing", N_("ongoing")},
};

/* Adds cadence_label to a body row: its cadence in the reader's language
 * (a code the table does not know is shown as it is). */
static void
add_cadence_label(json_t *body)
{
	const char *c = json_string_value(json_object_get(body, "cadence"));
	const char *label = c ? c : "";

	for (size_t i = 0; c && i < ARRAY_LEN(cadences); i++)
		if (strcmp(c, cadences[i][0]) == 0)
			label = _(cadences[i][1]);
	json_object_set_new(body, "cadence_label", json_string(label));
}

/* The same for every row of a list of bodies. */
static void
add_cadence_labels(json_t *bodies)
{
	json_t *b;
	size_t i;

	json_array_foreach (bodies, i, b)
		add_cadence_label(b);
}

/* Runs a by-slug statement; NULL with a 404 (saying what, a msgid) or 500
 * in w when there is no row.  Renders body_md into body_html. */
static json_t *
one_or_respond(struct req *r, struct resp *w, enum stmt_site s,
	       const char *slug, const char *what)
{
	struct db_stmt *st = db_stmt(r->db, &site_sql, s);
	json_t *row;

	if (st == NULL) {
		resp_error(w, 500, _("The page could not be read."));
		return NULL;
	}
	db_bind_text(st, 1, slug);
	row = db_one_json(st);
	if (row == NULL) {
		resp_error(w, 500, _("The page could not be read."));
		return NULL;
	}
	if (json_is_null(row)) {
		json_decref(row);
		resp_error(w, 404, _(what));
		return NULL;
	}
	json_object_set_new(
		row, "body_html",
		render_markdown(json_string_value(json_object_get(row, "body_md"))));
	json_object_del(row, "body_md");
	return row;
}

static void
home(struct req *r, struct resp *w)
{
	json_t *page, *focal, *bodies, *offices;

	if ((page = one_or_respond(r, w, STMT_PAGE_GET, "home",
				   N_("The home page is missing."))) == NULL)
		return;
	focal = list_or_respond(r, w, STMT_FOCAL_LIST);
	bodies = focal ? list_or_respond(r, w, STMT_BODY_LIST) : NULL;
	if (bodies)
		add_cadence_labels(bodies);
	offices = bodies ? list_or_respond(r, w, STMT_OFFICE_LIST) : NULL;
	if (offices)
		add_office_names(offices);
	if (offices == NULL) {
		json_decref(page);
		json_decref(focal);
		json_decref(bodies);
		return;
	}
	resp_page(w, 200, "site/templates/home.html", _("Home"),
		  json_pack("{s:o,s:o,s:o,s:o}", "page", page, "focal_areas",
			    focal, "bodies", bodies, "offices", offices));
}

static void
markdown_page(struct req *r, struct resp *w, const char *slug)
{
	json_t *page = one_or_respond(r, w, STMT_PAGE_GET, slug,
				      N_("There is no page at this address."));
	json_t *model;
	const char *tmpl = "site/templates/page.html";

	if (page == NULL)
		return;
	model = json_pack("{s:o}", "page", page);
	if (strcmp(slug, "about") == 0) {
		json_t *offices = list_or_respond(r, w, STMT_OFFICE_LIST);

		if (offices == NULL) {
			json_decref(model);
			return;
		}
		add_office_names(offices);
		json_object_set_new(model, "offices", offices);
		tmpl = "site/templates/about.html";
	}
	resp_page(w, 200, tmpl, json_string_value(json_object_get(page, "title")),
		  model);
}

static void
about(struct req *r, struct resp *w)
{
	markdown_page(r, w, "about");
}

static void
privacy(struct req *r, struct resp *w)
{
	markdown_page(r, w, "privacy");
}

static void
bodies_index(struct req *r, struct resp *w)
{
	json_t *rows = list_or_respond(r, w, STMT_BODY_LIST);

	if (rows == NULL)
		return;
	add_cadence_labels(rows);
	resp_page(w, 200, "site/templates/bodies_index.html",
		  _("Intergovernmental bodies"),
		  json_pack("{s:o}", "bodies", rows));
}

static void
bodies_show(struct req *r, struct resp *w)
{
	json_t *body = one_or_respond(r, w, STMT_BODY_GET, req_param(r, "slug"),
				      N_("There is no body of that name."));

	if (body == NULL)
		return;
	add_cadence_label(body);
	resp_page(w, 200, "site/templates/bodies_show.html",
		  json_string_value(json_object_get(body, "name")),
		  json_pack("{s:o}", "body", body));
}

/* The hits /search shows: the best, by rank; no pages. */
#define SEARCH_LIMIT 30

/* The site's own kinds of search hits; the first is also the fallback
 * for a kind no module declares. */
static const struct search_source site_search[] = {
	{.kind = "page", .prefix = "/", .label = N_("Page")},
	{.kind = "focal_area", .prefix = "/focal-points/",
	 .label = N_("Focal point")},
	{.kind = "body", .prefix = "/bodies/", .label = N_("UN body")},
};

/* Adds href and kind_label to a search hit, from the source of its kind
 * (a kind no module declares -- a row left by a removed module -- is
 * shown as a page); the label, N_() where the module declares it, in the
 * reader's language. */
static void
search_place(json_t *hit)
{
	const char *kind = json_string_value(json_object_get(hit, "kind"));
	const char *slug = json_string_value(json_object_get(hit, "slug"));
	const struct search_source *s = &site_search[0];

	for (size_t i = 0; i < nsources; i++)
		if (kind && strcmp(kind, sources[i]->kind) == 0) {
			s = sources[i];
			break;
		}
	json_object_set_new(hit, "href",
			    json_sprintf("%s%s", s->prefix, slug ? slug : ""));
	json_object_set_new(hit, "kind_label", json_string(_(s->label)));
}

static void
search(struct req *r, struct resp *w)
{
	const struct value *q = req_value(r, "q");
	json_t *results = json_array(), *hits;
	struct buf label = BUF_INIT;
	char num[24];
	size_t i, n;
	int best;
	json_t *hit;

	if (q->present) {
		hits = search_run(r->db, q->str, SEARCH_LIMIT);
		if (hits == NULL) {
			json_decref(results);
			resp_error(w, 500, _("The search could not be run."));
			return;
		}
		json_array_foreach (hits, i, hit) {
			search_place(hit);
			json_array_append(results, hit);
		}
		json_decref(hits);
	}
	n = json_array_size(results);
	best = n == SEARCH_LIMIT;
	/* count_label for JSON clients; the page says the whole sentence */
	snprintf(num, sizeof(num), "%zu", n);
	i18n_format(&label,
		    best ? _("The {n} best results")
			 : _n("{n} result", "{n} results", n),
		    "n", num, NULL);
	resp_page(w, 200, "site/templates/search.html", _("Search"),
		  json_pack("{s:s,s:b,s:o,s:b,s:I,s:b,s:s}", "q",
			    q->present ? q->str : "", "has_results", n > 0,
			    "results", results, "searched", q->present, "count",
			    (json_int_t)n, "best", best, "count_label",
			    buf_cstr(&label)));
	buf_free(&label);
}

static const struct field search_fields[] = {
	{.name = "q", .type = FT_TEXT, .maxlen = 200, .label = N_("Search")},
	{0},
};

static const struct route site_routes[] = {
	{.method = HTTP_GET, .pattern = "/", .who = ACCESS_PUBLIC,
	 .handler = home,
	 .summary = "Home: the mission, focal points, bodies, offices"},
	{.method = HTTP_GET, .pattern = "/about", .who = ACCESS_PUBLIC,
	 .handler = about,
	 .summary = "About the Alliance: mission, history, offices"},
	{.method = HTTP_GET, .pattern = "/privacy", .who = ACCESS_PUBLIC,
	 .handler = privacy, .summary = "Privacy policy"},
	{.method = HTTP_GET, .pattern = "/bodies", .who = ACCESS_PUBLIC,
	 .handler = bodies_index,
	 .summary = "The intergovernmental bodies the Alliance works with"},
	{.method = HTTP_GET, .pattern = "/bodies/:slug", .who = ACCESS_PUBLIC,
	 .handler = bodies_show, .summary = "One intergovernmental body"},
	{.method = HTTP_GET, .pattern = "/search", .who = ACCESS_PUBLIC,
	 .fields = search_fields, .handler = search,
	 .summary = "Full-text search of the site"},
};

/* The site's entries in the navigation; the members' directory (30), the
 * focal points (40) and the contact form (70) are their modules'. */
static const struct menu_entry site_nav[] = {
	{.path = "/", .label = N_("Home"), .order = 10},
	{.path = "/about", .label = N_("About"), .order = 20},
	{.path = "/bodies", .label = N_("UN bodies"), .order = 50},
	{.path = "/search", .label = N_("Search"), .order = 60},
};

/* The site's name from the settings, and its layout and error page as
 * every module's page chrome. */
static void
site_init(void)
{
	if (config_current)
		site_set_name(config_current->site_name);
	render_configure("site/templates/layout.html",
			 "site/templates/error.html", site_chrome);
}

const struct module site_module = {
	.name = "site",
	.routes = site_routes,
	.nroutes = ARRAY_LEN(site_routes),
	.sql = &site_sql,
	.init = site_init,
	.nav = site_nav,
	.nnav = ARRAY_LEN(site_nav),
	.search = site_search,
	.nsearch = ARRAY_LEN(site_search),
	.assemble = site_assemble,
	.start = site_start,
	.created = site_created,
};
