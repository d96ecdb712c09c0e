/*
 * sources.c -- see sources.h: the sections other modules give a focal
 * area's page.  A module declares struct focal_source rows (core/http.h:
 * kind, heading, order, items callback) in its struct module; the focal
 * module's assemble hook gathers every module's into one table, lowest
 * order first, before the server starts (read-only afterwards, so the
 * worker threads share it), and the area's page asks each for its items.
 * Nothing here names a source: the working parties' is in
 * parties/focal_items.c, and a later module (meetings, statements, the
 * library) adds its own by declaring it.
 */
#include "sources.h"

#include <assert.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/render.h"

#define FOCAL_SOURCES_MAX 32
static const struct focal_source *sources[FOCAL_SOURCES_MAX];
static size_t nsources;

void
focal_assemble(const struct module *const *mods, size_t nmods)
{
	nsources = 0;
	for (size_t m = 0; m < nmods; m++)
		for (size_t i = 0; i < mods[m]->nfocal; i++) {
			const struct focal_source *s = &mods[m]->focal[i];
			size_t j = nsources++;

			/* our own tables: room left, a callback each */
			assert(nsources <= FOCAL_SOURCES_MAX);
			assert(s->kind && s->heading && s->items);
			/* insertion sort, stable: equal orders keep the
			 * order of the modules */
			while (j > 0 && sources[j - 1]->order > s->order) {
				sources[j] = sources[j - 1];
				j--;
			}
			sources[j] = s;
		}
}

/* The dates of items and of their own items as words. */
static void
add_dates(json_t *items)
{
	json_t *item;
	size_t i;

	render_add_times(items, "date");
	json_array_foreach (items, i, item) {
		json_t *sub = json_object_get(item, "items");

		if (json_is_array(sub)) {
			render_add_times(sub, "date");
			json_object_set_new(item, "has_items",
					    json_boolean(json_array_size(sub)));
		}
	}
}

int
focal_sections(struct req *r, int64_t area, json_t **out)
{
	json_t *sections = json_array();

	for (size_t i = 0; i < nsources; i++) {
		json_t *items = json_array();

		if (sources[i]->items(r, area, items) != 0) {
			log_error("focal: the source %s failed for area %lld",
				  sources[i]->kind, (long long)area);
			json_decref(items);
			json_decref(sections);
			*out = NULL;
			return -1;
		}
		if (json_array_size(items) == 0) {
			json_decref(items);
			continue;
		}
		add_dates(items);
		json_array_append_new(
			sections, json_pack("{s:s,s:s,s:o}", "kind",
					    sources[i]->kind, "heading",
					    _(sources[i]->heading), "items",
					    items));
	}
	*out = sections;
	return 0;
}
