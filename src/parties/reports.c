/*
 * reports.c -- see parties.h: a working party's reports to the Alliance.
 *
 * The writers (party.write: chair, co-chair, rapporteur) draft a report
 * (title, period, Markdown body, visibility), edit it while it is a draft
 * and submit it; the secretariat acknowledges it, with an optional note.
 * A draft is the team's; a submitted or acknowledged report shows as its
 * visibility says, on the party's page, its own page and the
 * Alliance-wide /reports.  Every write happens while the party is active
 * (party_open_or_respond), in one transaction with its audit record.
 */
#include "parties_int.h"

#include <string.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/util.h"
#include "organisations/organisations.h"

enum stmt_reports {
	R_SECTION,
	R_GET,
	R_INSERT,
	R_UPDATE,
	R_SUBMIT,
	R_ACK,
	R_ALL,
	R_PARTIES,
	R_WAITING,
	R_COUNT,
	R_PARTY_OF,
	R_REPORTS__MAX,
};

/* The columns a list shows. */
#define R_COLS                                                                 \
	"r.id, r.title, r.period, r.state, r.visibility, r.created_at,"       \
	" r.updated_at, r.submitted_at, r.acknowledged_at"

/* Reports a viewer sees beyond the level bound before it: those of the
 * parties whose team they are in (binds: the person's id, 0 for none). */
#define R_OWN_PARTY                                                            \
	" EXISTS (SELECT 1 FROM object_roles o WHERE o.object_type = 'party'" \
	" AND o.object_id = p.slug AND o.person_id = ?)"

static const char *const reports_sql_text[R_REPORTS__MAX] = {
	/* binds: the party, the viewer's level; a draft is the team's */
	[R_SECTION] = "SELECT " R_COLS " FROM party_reports r"
		      " WHERE r.party_id = ? AND (CASE WHEN r.state = 'draft'"
		      " THEN 2 WHEN r.visibility = 'public' THEN 0"
		      " WHEN r.visibility = 'members' THEN 1 ELSE 2 END <= ?)"
		      " ORDER BY CASE r.state WHEN 'draft' THEN 0 ELSE 1 END,"
		      " coalesce(r.submitted_at, r.updated_at) DESC, r.id DESC"
		      " LIMIT 50",
	[R_GET] = "SELECT " R_COLS ", r.body_md, r.acknowledgement"
		  " FROM party_reports r WHERE r.id = ? AND r.party_id = ?",
	[R_INSERT] = "INSERT INTO party_reports (party_id, title, period,"
		     " body_md, visibility, created_by, created_at, updated_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	[R_UPDATE] = "UPDATE party_reports SET title = ?, period = ?,"
		     " body_md = ?, visibility = ?, updated_at = ?"
		     " WHERE id = ? AND state = 'draft'",
	[R_SUBMIT] = "UPDATE party_reports SET state = 'submitted',"
		     " submitted_by = ?, submitted_at = ?, updated_at = ?"
		     " WHERE id = ? AND state = 'draft'",
	[R_ACK] = "UPDATE party_reports SET state = 'acknowledged',"
		  " acknowledged_by = ?, acknowledged_at = ?,"
		  " acknowledgement = ?, updated_at = ?"
		  " WHERE id = ? AND state = 'submitted'",
	/* binds: the party's slug twice (NULL: every party), the level,
	 * 1 for the secretariat, the viewer's id, the limit, the offset */
	[R_ALL] = "SELECT " R_COLS ", p.slug AS party_slug,"
		  " p.name AS party_name FROM party_reports r"
		  " JOIN parties p ON p.id = r.party_id"
		  " WHERE r.state IN ('submitted', 'acknowledged')"
		  " AND p.state IN ('active', 'dissolved', 'archived')"
		  " AND (CAST(? AS TEXT) IS NULL OR p.slug = ?)"
		  " AND (" PARTY_VISIBLE("r.visibility") " OR ? = 1 OR"
		  R_OWN_PARTY ")"
		  " ORDER BY r.submitted_at DESC, r.id DESC LIMIT ? OFFSET ?",
	[R_PARTIES] = "SELECT slug, name FROM parties"
		      " WHERE state IN ('active', 'dissolved', 'archived')"
		      " ORDER BY name, id",
	/* the secretariat's desk: submitted, oldest first */
	[R_WAITING] = "SELECT " R_COLS ", p.slug AS party_slug,"
		      " p.name AS party_name FROM party_reports r"
		      " JOIN parties p ON p.id = r.party_id"
		      " WHERE r.state = 'submitted' AND p.state = 'active'"
		      " ORDER BY r.submitted_at, r.id LIMIT ? OFFSET ?",
	[R_COUNT] = "SELECT count(*) FROM party_reports r"
		    " JOIN parties p ON p.id = r.party_id"
		    " WHERE r.state = 'submitted' AND p.state = 'active'",
	[R_PARTY_OF] = "SELECT p.slug FROM party_reports r"
		       " JOIN parties p ON p.id = r.party_id WHERE r.id = ?",
};

static struct db_sql reports_sql = {"party_reports", reports_sql_text,
				    R_REPORTS__MAX, 0};

/* Rows a page of /reports and of the secretariat's desk shows. */
#define PAGE_SIZE 20

static const char *const report_states[] = {"draft", "submitted",
					    "acknowledged", NULL};
static const char *const report_state_labels[] = {
	N_("Draft"),
	N_("Submitted"),
	N_("Acknowledged by the secretariat"),
};

static const char *
state_label(const char *state)
{
	for (size_t i = 0; state && report_states[i]; i++)
		if (strcmp(state, report_states[i]) == 0)
			return _(report_state_labels[i]);
	return state ? state : "";
}

static void
read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The reports could not be read."));
}

/* Adds to each row what people read: state_label, visibility_label,
 * href (party_slug, or slug when not NULL) and the times as words. */
static void
add_labels(json_t *rows, const char *slug)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		const char *s = json_string_value(json_object_get(row, "state"));
		const char *vis =
			json_string_value(json_object_get(row, "visibility"));
		const char *ps = slug ? slug
				      : json_string_value(json_object_get(
						row, "party_slug"));

		json_object_set_new(row, "state_label",
				    json_string(state_label(s)));
		json_object_set_new(row, "draft",
				    json_boolean(s && !strcmp(s, "draft")));
		json_object_set_new(row, "acknowledged",
				    json_boolean(s && !strcmp(s,
							      "acknowledged")));
		json_object_set_new(row, "visibility_label",
				    json_string(vis ? party_visibility_label(vis)
						    : ""));
		json_object_set_new(
			row, "href",
			json_sprintf("/working-parties/%s/reports/%lld",
				     ps ? ps : "",
				     (long long)json_integer_value(
					     json_object_get(row, "id"))));
	}
	render_add_times(rows, "submitted_at");
	render_add_times(rows, "acknowledged_at");
	render_add_times(rows, "updated_at");
}

/* ---- the party's page ---- */

int
party_reports_section(struct req *r, const struct party *p,
		      const struct party_viewer *v, json_t *model)
{
	struct db_stmt *st = db_stmt(r->db, &reports_sql, R_SECTION);
	json_t *rows;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, v->level);
	if ((rows = db_all_json(st)) == NULL)
		return -1;
	add_labels(rows, p->slug);
	json_object_set_new(model, "reports", rows);
	json_object_set_new(
		model, "reports_new_href",
		v->writes && !strcmp(p->state, "active")
			? json_sprintf("/working-parties/%s/reports/new",
				       p->slug)
			: json_null());
	return 0;
}

/* ---- one report ---- */

/* The report of route parameter :id in party p as a JSON object in *out,
 * as v may see it: 0; 1 with a 404 in w (none, or not for this viewer);
 * -1 with a 500. */
static int
report_load(struct req *r, struct resp *w, const struct party *p,
	    const struct party_viewer *v, json_t **out)
{
	struct db_stmt *st = db_stmt(r->db, &reports_sql, R_GET);
	json_t *row;
	const char *state, *vis;
	enum party_level need;
	int rc;

	*out = NULL;
	if (st) {
		db_bind_int(st, 1, req_param_id(r));
		db_bind_int(st, 2, p->id);
	}
	if ((rc = party_row_or_respond(r, w, st, _("There is no such report."),
				       &row)) != 0)
		return rc;
	state = json_string_value(json_object_get(row, "state"));
	vis = json_string_value(json_object_get(row, "visibility"));
	need = !state || !vis || !strcmp(state, "draft") ? PARTY_SEES_TEAM
	       : !strcmp(vis, "public")			  ? PARTY_SEES_PUBLIC
	       : !strcmp(vis, "members")		  ? PARTY_SEES_MEMBERS
							  : PARTY_SEES_TEAM;
	if (v->level < need) {
		json_decref(row);
		resp_error(w, 404, _("There is no such report."));
		return 1;
	}
	*out = row;
	return 0;
}

static json_t *
visibility_options(const char *chosen)
{
	json_t *opts = json_array();

	for (size_t i = 0; party_visibility_values[i]; i++)
		json_array_append_new(
			opts,
			json_pack("{s:s,s:s,s:b}", "value",
				  party_visibility_values[i], "label",
				  _(party_visibility_labels[i]), "selected",
				  chosen && strcmp(chosen,
						   party_visibility_values[i]) ==
						    0));
	return opts;
}

/* GET /working-parties/:slug/reports/:id */
static void
report_show(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *rep, *list;
	const char *title;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (report_load(r, w, &p, &v, &rep) != 0)
		return;
	list = json_pack("[O]", rep);
	add_labels(list, p.slug);
	json_decref(rep);
	rep = json_incref(json_array_get(list, 0));
	json_decref(list);
	json_object_set_new(rep, "body_html",
			    render_markdown(json_string_value(
				    json_object_get(rep, "body_md"))));
	if (json_is_true(json_object_get(rep, "draft")) && v.writes &&
	    !strcmp(p.state, "active"))
		json_object_set_new(
			rep, "edit_href",
			json_sprintf("%s/edit", json_string_value(
							json_object_get(
								rep, "href"))));
	title = arena_strdup(r->arena,
			     json_string_value(json_object_get(rep, "title")));
	resp_page(w, 200, "parties/templates/report_show.html",
		  title ? title : _("Report"),
		  json_pack("{s:o,s:o}", "party", party_json(&p, &v), "report",
			    rep));
}

/* The form's page (new report when rep is NULL): what was typed, or the
 * report's values, and the messages of r->errors. */
static void
form_page(struct req *r, struct resp *w, int status, const struct party *p,
	  const struct party_viewer *v, json_t *rep)
{
	json_t *input = r->input ? json_incref(r->input) : json_object();
	json_t *model;
	const char *vis;

	if (rep && !r->input) {
		json_object_set(input, "title", json_object_get(rep, "title"));
		json_object_set(input, "period",
				json_object_get(rep, "period"));
		json_object_set(input, "body", json_object_get(rep, "body_md"));
		json_object_set(input, "visibility",
				json_object_get(rep, "visibility"));
	}
	if (rep)
		json_object_set_new(
			rep, "href",
			json_sprintf("/working-parties/%s/reports/%lld",
				     p->slug,
				     (long long)json_integer_value(
					     json_object_get(rep, "id"))));
	vis = json_string_value(json_object_get(input, "visibility"));
	model = json_pack("{s:o,s:o,s:o,s:O*}", "party", party_json(p, v),
			  "input", input, "visibility_options",
			  visibility_options(vis ? vis : "public"), "report",
			  rep);
	if (rep)
		json_object_set_new(
			model, "action",
			json_sprintf("/working-parties/%s/reports/%lld",
				     p->slug,
				     (long long)json_integer_value(
					     json_object_get(rep, "id"))));
	else
		json_object_set_new(
			model, "action",
			json_sprintf("/working-parties/%s/reports", p->slug));
	resp_form_errors(model, r->errors);
	resp_page(w, status, "parties/templates/report_form.html",
		  rep ? _("Edit the report") : _("New report"), model);
}

/* The party of the route for a writer's change: 0, or 1/-1 answered. */
static int
writable_party(struct req *r, struct resp *w, struct party *p,
	       struct party_viewer *v)
{
	int rc = party_from_route(r, w, p, v);

	if (rc != 0)
		return rc;
	return party_open_or_respond(w, p);
}

/* A report that is still a draft, for its edit: 0, 1 answered (404, or
 * 409 once submitted), -1. */
static int
draft_or_respond(struct req *r, struct resp *w, const struct party *p,
		 const struct party_viewer *v, json_t **rep)
{
	int rc = report_load(r, w, p, v, rep);
	const char *state;

	if (rc != 0)
		return rc;
	state = json_string_value(json_object_get(*rep, "state"));
	if (state == NULL || strcmp(state, "draft") != 0) {
		json_decref(*rep);
		*rep = NULL;
		resp_error(w, 409,
			   _("This report has been submitted: it can no "
			     "longer be changed."));
		return 1;
	}
	return 0;
}

/* GET /working-parties/:slug/reports/new */
static void
report_new(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (writable_party(r, w, &p, &v) != 0)
		return;
	form_page(r, w, 200, &p, &v, NULL);
}

/* GET /working-parties/:slug/reports/:id/edit */
static void
report_edit(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *rep;

	if (writable_party(r, w, &p, &v) != 0 ||
	    draft_or_respond(r, w, &p, &v, &rep) != 0)
		return;
	form_page(r, w, 200, &p, &v, rep);
	json_decref(rep);
}

static json_t *
fields_json(struct req *r)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "title",
			 req_value(r, "title")->str, "period",
			 req_value(r, "period")->str ? req_value(r, "period")->str
						     : "",
			 "body",
			 req_value(r, "body")->str ? req_value(r, "body")->str
						   : "",
			 "visibility", req_value(r, "visibility")->str);
}

/* Binds title, period, body, visibility from parameter i. */
static void
bind_fields(struct req *r, struct db_stmt *st, int i)
{
	const char *period = req_value(r, "period")->str;
	const char *body = req_value(r, "body")->str;

	db_bind_text(st, i, req_value(r, "title")->str);
	db_bind_text(st, i + 1, period ? period : "");
	db_bind_text(st, i + 2, body ? body : "");
	db_bind_text(st, i + 3, req_value(r, "visibility")->str);
}

static const char *
report_object(struct req *r, const struct party *p, int64_t id)
{
	return arena_printf(r->arena, "%s:%lld", p->slug, (long long)id);
}

/* POST /working-parties/:slug/reports: a new draft. */
static void
report_create(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	int64_t now = clock_now(), id;

	if (writable_party(r, w, &p, &v) != 0)
		return;
	if (r->errors)
		return form_page(r, w, 422, &p, &v, NULL);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &reports_sql, R_INSERT)) == NULL)
		goto fail;
	db_bind_int(st, 1, p.id);
	bind_fields(r, st, 2);
	db_bind_int(st, 6, r->person->id);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	if (db_step(st) != DB_ROW)
		goto fail;
	id = db_col_int(st, 0);
	db_reset(st);
	if (audit_record_new(r->db, r->person->id, "party.report.create",
			     "party_report", report_object(r, &p, id), NULL,
			     fields_json(r), r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/reports/%lld",
				      p.slug, (long long)id));
	return;
fail:
	resp_fail(r, w, NULL);
}

/* POST /working-parties/:slug/reports/:id: a draft changed. */
static void
report_update(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *rep;
	int64_t id = req_param_id(r);

	if (writable_party(r, w, &p, &v) != 0 ||
	    draft_or_respond(r, w, &p, &v, &rep) != 0)
		return;
	if (r->errors) {
		form_page(r, w, 422, &p, &v, rep);
		json_decref(rep);
		return;
	}
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &reports_sql, R_UPDATE)) == NULL)
		goto fail;
	bind_fields(r, st, 1);
	db_bind_int(st, 5, clock_now());
	db_bind_int(st, 6, id);
	if (db_run(st) != 0 || db_changes(r->db) != 1)
		goto fail;
	if (audit_record_new(r->db, r->person->id, "party.report.edit",
			     "party_report", report_object(r, &p, id),
			     json_pack("{s:O,s:O,s:O,s:O}", "title",
				       json_object_get(rep, "title"), "period",
				       json_object_get(rep, "period"), "body",
				       json_object_get(rep, "body_md"),
				       "visibility",
				       json_object_get(rep, "visibility")),
			     fields_json(r), r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	json_decref(rep);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/reports/%lld",
				      p.slug, (long long)id));
	return;
fail:
	json_decref(rep);
	resp_fail(r, w, NULL);
}

/* POST /working-parties/:slug/reports/:id/submit: to the secretariat. */
static void
report_submit(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *rep;
	int64_t id = req_param_id(r), now = clock_now();
	const char *body;

	if (writable_party(r, w, &p, &v) != 0 ||
	    draft_or_respond(r, w, &p, &v, &rep) != 0)
		return;
	body = json_string_value(json_object_get(rep, "body_md"));
	if (body == NULL || *body == '\0') {
		json_decref(rep);
		resp_error(w, 422,
			   _("Write the report before submitting it."));
		return;
	}
	json_decref(rep);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &reports_sql, R_SUBMIT)) == NULL)
		goto fail;
	db_bind_int(st, 1, r->person->id);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, id);
	if (db_run(st) != 0 || db_changes(r->db) != 1)
		goto fail;
	if (audit_record_new(r->db, r->person->id, "party.report.submit",
			     "party_report", report_object(r, &p, id),
			     json_pack("{s:s}", "state", "draft"),
			     json_pack("{s:s}", "state", "submitted"),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/reports/%lld",
				      p.slug, (long long)id));
	return;
fail:
	resp_fail(r, w, NULL);
}

/* ---- every party's reports ---- */

/* GET /reports: the submitted and acknowledged reports of every party,
 * newest first, as the viewer may see them; ?party=SLUG for one. */
static void
reports_index(struct req *r, struct resp *w)
{
	const struct value *party = req_value(r, "party");
	struct db_stmt *st;
	struct pager pg;
	json_t *rows, *parties, *row;
	int member = 0, has_next;
	size_t i;

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (organisations_viewer_is_member(r, &member) < 0)
		return read_failed(r, w);
	if ((st = db_stmt(r->db, &reports_sql, R_ALL)) == NULL)
		return read_failed(r, w);
	pager_read(r, PAGE_SIZE, &pg);
	db_bind_text(st, 1, party->present ? party->str : NULL);
	db_bind_text(st, 2, party->present ? party->str : NULL);
	db_bind_int(st, 3, member ? PARTY_SEES_MEMBERS : PARTY_SEES_PUBLIC);
	db_bind_int(st, 4, r->person && r->person->role >= ROLE_ADMIN);
	db_bind_int(st, 5, r->person ? r->person->id : 0);
	db_bind_int(st, 6, PAGE_SIZE + 1);
	db_bind_int(st, 7, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(r, w);
	has_next = pager_trim(rows, PAGE_SIZE);
	add_labels(rows, NULL);
	if ((st = db_stmt(r->db, &reports_sql, R_PARTIES)) == NULL ||
	    (parties = db_all_json(st)) == NULL) {
		json_decref(rows);
		return read_failed(r, w);
	}
	json_array_foreach (parties, i, row)
		json_object_set_new(
			row, "selected",
			json_boolean(party->present &&
				     !strcmp(party->str,
					     json_string_value(json_object_get(
						     row, "slug")))));
	resp_page(w, 200, "parties/templates/reports_index.html",
		  _("Reports to the Alliance"),
		  json_pack("{s:o,s:o,s:o,s:s?}", "reports", rows, "parties",
			    parties, "pager",
			    pager_model(r, &pg, "/reports", NULL, has_next, -1),
			    "party", party->present ? party->str : NULL));
}

/* ---- the secretariat ---- */

static const char *const done_values[] = {"acknowledged", NULL};

static void
admin_page(struct req *r, struct resp *w, int status, int64_t failed)
{
	struct db_stmt *st = db_stmt(r->db, &reports_sql, R_WAITING);
	struct pager pg;
	json_t *rows, *row, *model;
	int has_next;
	size_t i;

	if (st == NULL)
		return read_failed(r, w);
	pager_read(r, PAGE_SIZE, &pg);
	db_bind_int(st, 1, PAGE_SIZE + 1);
	db_bind_int(st, 2, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(r, w);
	has_next = pager_trim(rows, PAGE_SIZE);
	add_labels(rows, NULL);
	json_array_foreach (rows, i, row)
		if (json_integer_value(json_object_get(row, "id")) == failed &&
		    r->errors)
			json_object_set(row, "errors", r->errors);
	model = json_pack("{s:o,s:o,s:b}", "reports", rows, "pager",
			  pager_model(r, &pg, "/admin/reports",
				      (const char *const[]){"done", NULL},
				      has_next, -1),
			  "done", req_value(r, "done")->present);
	if (r->errors && failed > 0) {
		resp_form_errors_id(model, r->errors, "",
				    arena_printf(r->arena, "-%lld",
						 (long long)failed));
		json_object_del(model, "errors");
	}
	admin_secretariat_page(r, w, status,
			       "parties/templates/report_admin.html",
			       _("Reports to acknowledge"), "/admin/reports",
			       model);
}

/* GET /admin/reports */
static void
reports_admin(struct req *r, struct resp *w)
{
	admin_page(r, w, 200, 0);
}

/* POST /admin/reports/:id/acknowledge */
static void
report_acknowledge(struct req *r, struct resp *w)
{
	const struct value *note = req_value(r, "note");
	int64_t id = req_param_id(r);
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	const char *slug;
	int rc;

	if ((st = db_stmt(r->db, &reports_sql, R_PARTY_OF)) == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_ERROR)
		return read_failed(r, w);
	if (rc == DB_DONE) {
		resp_error(w, 404, _("There is no such report."));
		return;
	}
	slug = arena_strdup(r->arena, db_col_text(st, 0));
	db_reset(st);
	if (party_load(r, w, slug, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	if (r->errors)
		return admin_page(r, w, 422, id);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &reports_sql, R_ACK)) == NULL)
		goto fail;
	db_bind_int(st, 1, r->person->id);
	db_bind_int(st, 2, clock_now());
	db_bind_text(st, 3, note->present ? note->str : NULL);
	db_bind_int(st, 4, clock_now());
	db_bind_int(st, 5, id);
	if (db_run(st) != 0)
		goto fail;
	if (db_changes(r->db) != 1) {
		db_rollback(r->db);
		resp_error(w, 409,
			   _("This report is not waiting for an "
			     "acknowledgement."));
		return;
	}
	if (audit_record_new(r->db, r->person->id, "party.report.acknowledge",
			     "party_report", report_object(r, &p, id),
			     json_pack("{s:s}", "state", "submitted"),
			     json_pack("{s:s,s:s?}", "state", "acknowledged",
				       "note",
				       note->present ? note->str : NULL),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, "/admin/reports?done=acknowledged");
	return;
fail:
	resp_fail(r, w, NULL);
}

static int
count_waiting(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &reports_sql, R_COUNT);

	return st ? db_one_int(st, n) : -1;
}

/* ---- the tables ---- */

static const struct field report_fields[] = {
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Title")},
	{.name = "period",
	 .type = FT_TEXT,
	 .maxlen = 60,
	 .label = N_("Period")},
	{.name = "body",
	 .type = FT_TEXTAREA,
	 .maxlen = 100000,
	 .label = N_("The report")},
	{.name = "visibility",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = party_visibility_values,
	 .label = N_("Who may read it")},
	{0},
};

static const struct field list_fields[] = {
	{.name = "party", .type = FT_SLUG, .maxlen = 100,
	 .label = N_("Working party")},
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000,
	 .label = N_("Page")},
	{0},
};

static const struct field admin_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000,
	 .label = N_("Page")},
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

static const struct field ack_fields[] = {
	{.name = "note",
	 .type = FT_TEXTAREA,
	 .maxlen = 2000,
	 .label = N_("A note to the working party")},
	{0},
};

#define WRITE                                                                  \
	.action = "party.write", .object_type = PARTY_OBJECT,                  \
	.object_param = "slug"

static const struct route reports_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/reports",
	 .who = ACCESS_PUBLIC,
	 .fields = list_fields,
	 .handler = reports_index,
	 .summary = "Every working party's reports to the Alliance, newest "
		    "first, as the viewer may read them"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/reports/new",
	 .who = ACCESS_MEMBER,
	 .handler = report_new,
	 .flags = ROUTE_FORM,
	 .summary = "The form of a new report (the party's writers)",
	 WRITE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/reports",
	 .who = ACCESS_MEMBER,
	 .fields = report_fields,
	 .handler = report_create,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Drafts a report (the party's writers)",
	 WRITE},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/reports/:id",
	 .who = ACCESS_PUBLIC,
	 .handler = report_show,
	 .summary = "One report, as the viewer may read it (a draft: the "
		    "team)"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/reports/:id/edit",
	 .who = ACCESS_MEMBER,
	 .handler = report_edit,
	 .flags = ROUTE_FORM,
	 .summary = "The form that edits a draft report and submits it",
	 WRITE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/reports/:id",
	 .who = ACCESS_MEMBER,
	 .fields = report_fields,
	 .handler = report_update,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Saves a draft report",
	 WRITE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/reports/:id/submit",
	 .who = ACCESS_MEMBER,
	 .handler = report_submit,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Submits a draft report to the secretariat",
	 WRITE},
	{.method = HTTP_GET,
	 .pattern = "/admin/reports",
	 .who = ACCESS_ADMIN,
	 .fields = admin_fields,
	 .handler = reports_admin,
	 .flags = ROUTE_FORM,
	 .summary = "The reports submitted to the secretariat, waiting for "
		    "an acknowledgement"},
	{.method = HTTP_POST,
	 .pattern = "/admin/reports/:id/acknowledge",
	 .who = ACCESS_ADMIN,
	 .fields = ack_fields,
	 .handler = report_acknowledge,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Acknowledges a submitted report, with an optional note"},
};

static const struct menu_entry reports_admin_menu[] = {
	{"/admin/reports", N_("Reports"), 88},
};

static const struct admin_tile reports_tiles[] = {
	{N_("Reports to acknowledge"), "/admin/reports", 60, count_waiting},
};

const struct module party_reports_module = {
	.name = "party-reports",
	.routes = reports_routes,
	.nroutes = ARRAY_LEN(reports_routes),
	.sql = &reports_sql,
	.admin_menu = reports_admin_menu,
	.nadmin_menu = ARRAY_LEN(reports_admin_menu),
	.admin_tiles = reports_tiles,
	.nadmin_tiles = ARRAY_LEN(reports_tiles),
};
