/*
 * meetings.c -- see parties.h: the sections of a party's page that other
 * modules add (struct party_source, core/http.h).  A party's meetings
 * are the calendar's (src/calendar/parties.c: meetings of kind 'party'
 * with party_id set, their forms under /working-parties/:slug/meetings);
 * parties cannot include the calendar (the calendar depends on the
 * parties), so the calendar declares its section and this module gathers
 * the declarations (assemble) and asks each for its part of the page.
 */
#include "parties_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

/* The most sections the modules may add. */
#define SOURCES_MAX 8

static const struct party_source *sources[SOURCES_MAX];
static size_t nsources;

static int
by_order(const void *a, const void *b)
{
	const struct party_source *x = *(const struct party_source *const *)a,
				  *y = *(const struct party_source *const *)b;

	return (x->order > y->order) - (x->order < y->order);
}

/* Gathers every module's party sources, lowest order first. */
static void
meetings_assemble(const struct module *const *mods, size_t nmods)
{
	nsources = 0;
	for (size_t i = 0; i < nmods; i++)
		for (size_t k = 0; k < mods[i]->nparty; k++) {
			if (nsources == SOURCES_MAX) {
				log_error("parties: more than %d party "
					  "sources; %s's left out",
					  SOURCES_MAX, mods[i]->name);
				break;
			}
			sources[nsources++] = &mods[i]->party[k];
		}
	qsort(sources, nsources, sizeof *sources, by_order);
}

int
party_meetings_section(struct req *r, const struct party *p,
		       const struct party_viewer *v, json_t *model)
{
	json_t *list = json_array();

	for (size_t i = 0; i < nsources; i++) {
		json_t *s = json_pack("{s:s,s:s}", "kind", sources[i]->kind,
				      "heading", _(sources[i]->heading));

		if (sources[i]->section(r, p->id, p->slug, v->manages,
					strcmp(p->state, "active") == 0,
					s) != 0) {
			json_decref(s);
			json_decref(list);
			return -1;
		}
		json_array_append_new(list, s);
	}
	json_object_set_new(model, "sources", list);
	return 0;
}

const struct module party_meetings_module = {
	.name = "party-meetings",
	.assemble = meetings_assemble,
};
