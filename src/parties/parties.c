/*
 * parties.c -- see parties.h: the list of working parties and a party's
 * page, which gathers the parts each file of the folder adds
 * (parties_int.h: party_*_section).
 */
#include "parties.h"

#include <string.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/util.h"
#include "parties_int.h"

extern struct db_sql party_sql;

enum stmt_parties {
	PS_LIST,
	PS_TEXT,
	PS_AREAS,
	PS_PARTIES__MAX,
};

static const char *const parties_sql_text[PS_PARTIES__MAX] = {
	/* the Alliance's parties: approved ones, active first */
	[PS_LIST] = "SELECT slug, name, summary, state FROM parties"
		    " WHERE state IN ('active', 'dissolved', 'archived')"
		    " ORDER BY CASE state WHEN 'active' THEN 0"
		    " WHEN 'dissolved' THEN 1 ELSE 2 END, name, id",
	/* binds: the viewer's level, the party */
	[PS_TEXT] = "SELECT objectives_md, rationale_md, closing_report_md,"
		    " dissolution_reason, formed, approved_at, dissolved_at,"
		    " archived_at, charter_version,"
		    " CASE WHEN " PARTY_VISIBLE("rules_visibility")
		    " THEN rules_md END AS rules_md"
		    " FROM parties WHERE id = ?",
	[PS_AREAS] = "SELECT fa.slug, fa.name FROM party_focal_areas x"
		     " JOIN focal_areas fa ON fa.id = x.focal_area_id"
		     " WHERE x.party_id = ? ORDER BY fa.position, fa.id",
};

static struct db_sql parties_sql = {"parties", parties_sql_text,
				    PS_PARTIES__MAX, 0};

static void
read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The working party could not be read."));
}

/* GET /working-parties */
static void
parties_index(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_LIST);
	json_t *rows = st ? db_all_json(st) : NULL, *row;
	size_t i;

	if (rows == NULL)
		return read_failed(r, w);
	json_array_foreach(rows, i, row) json_object_set_new(
		row, "state_label",
		json_string(party_state_label(
			json_string_value(json_object_get(row, "state")))));
	resp_page(w, 200, "parties/templates/index.html", _("Working parties"),
		  json_pack("{s:o}", "parties", rows));
}

/* Markdown column key of o rendered as key_html (safe mode). */
static void
render_md(json_t *o, const char *key)
{
	char html_key[64];
	const char *md = json_string_value(json_object_get(o, key));

	snprintf(html_key, sizeof html_key, "%.*s_html",
		 (int)(strlen(key) - 3), key);
	if (md && *md)
		json_object_set_new(o, html_key, render_markdown(md));
	json_object_del(o, key);
}

/* GET /working-parties/:slug: the party's charter and every part its
 * files add, as the viewer may see them. */
static void
parties_show(struct req *r, struct resp *w)
{
	int (*const sections[])(struct req *, const struct party *,
				const struct party_viewer *, json_t *) = {
		party_team_section,	 party_meetings_section,
		party_resources_section, party_decisions_section,
		party_reports_section,	 party_articles_section,
	};
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *model, *text, *areas;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if ((st = db_stmt(r->db, &parties_sql, PS_TEXT)) == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, v.level);
	db_bind_int(st, 2, p.id);
	if ((text = db_one_json(st)) == NULL || !json_is_object(text)) {
		json_decref(text);
		return read_failed(r, w);
	}
	if ((st = db_stmt(r->db, &parties_sql, PS_AREAS)) == NULL ||
	    (db_bind_int(st, 1, p.id), (areas = db_all_json(st)) == NULL)) {
		json_decref(text);
		return read_failed(r, w);
	}
	render_md(text, "objectives_md");
	render_md(text, "rules_md");
	render_md(text, "rationale_md");
	render_md(text, "closing_report_md");
	model = json_pack("{s:o,s:o,s:o}", "party", party_json(&p, &v),
			  "charter", text, "focal_areas", areas);
	for (size_t i = 0; i < ARRAY_LEN(sections); i++)
		if (sections[i](r, &p, &v, model) < 0) {
			json_decref(model);
			return read_failed(r, w);
		}
	resp_page(w, 200, "parties/templates/show.html", p.name, model);
}

static const struct route parties_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties",
	 .who = ACCESS_PUBLIC,
	 .handler = parties_index,
	 .summary = "The working parties: active, dissolved and archived"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug",
	 .who = ACCESS_PUBLIC,
	 .handler = parties_show,
	 .summary = "One working party: its charter, team, schedule, "
		    "resources, reports, articles and decisions, as the "
		    "viewer may see them"},
};

static const struct menu_entry parties_nav[] = {
	{.path = "/working-parties", .label = N_("Working parties"), .order = 35},
};

static struct db_sql *const parties_sqls[] = {&party_sql, NULL};

/* The actions on a party by role (parties_int.h); administrators may do
 * them all.  Voting is the team's own: decisions.c checks
 * party_viewer.votes, which no global role gives. */
static const struct auth_rule party_rules[] = {
	{.action = "party.manage", .object_role = PARTY_MANAGERS},
	{.action = "party.write", .object_role = PARTY_WRITERS},
	{.action = "party.vote", .object_role = PARTY_VOTERS},
};

static void
parties_init(void)
{
	auth_register_rules(party_rules, ARRAY_LEN(party_rules));
}

const struct module parties_module = {
	.name = "parties",
	.routes = parties_routes,
	.nroutes = ARRAY_LEN(parties_routes),
	.sql = &parties_sql,
	.sqls = parties_sqls,
	.init = parties_init,
	.nav = parties_nav,
	.nnav = ARRAY_LEN(parties_nav),
};
