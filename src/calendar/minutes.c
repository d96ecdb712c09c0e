/*
 * minutes.c -- see calendar.h.  The minutes of a meeting, or of one
 * occurrence of a series (occurrence_local, '' for a single meeting),
 * in Markdown, and who attended.
 *
 * Who writes: the secretariat; for a working party's meeting the
 * party's chair, co-chair and rapporteur (object_roles 'party'/slug: the
 * roles of PARTY_WRITERS in parties/parties_int.h, which another folder
 * may not include, so the query names them); for any other meeting the
 * person who entered it (meetings.created_by).  Each save while a draft
 * is a new version (every version kept, with an optional note of what
 * changed); approving fixes the newest version as the text.  After
 * approval the text and the attendance are fixed and a new save answers
 * 409: the approved minutes are a record people may have quoted, and
 * reopening them would need a second approval cycle that nobody asked
 * for (a correction is a note in the next meeting's minutes).
 *
 * Who reads: approved minutes as the meeting's visibility allows
 * (cal_meeting_visible); drafts and earlier versions only the writers.
 * Attendance: the writers tick who attended among the people registered
 * (registrations.attended); the minutes name those present as each
 * person allows (people.visibility: public to all, members to members;
 * the others counted).  Every write is one transaction with its audit
 * record.
 */
#include "calendar_int.h"

#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/util.h"

enum stmt_min {
	N_LATEST,
	N_VERSIONS,
	N_VERSION,
	N_PUT,
	N_APPROVE,
	N_REGISTERED,
	N_ATTEND_CLEAR,
	N_ATTEND_SET,
	N_PRESENT,
	N_MIN__MAX,
};

/* Whether a person may be named to the viewer (one bound: member 0/1). */
#define MIN_NAMED                                                              \
	"(p.visibility = 'public' OR (p.visibility = 'members' AND ? = 1))"

#define MIN_COLS                                                               \
	"mm.version, mm.state, mm.body_md, mm.note, mm.created_at,"            \
	" mm.approved_at, a.name AS author_name, ap.name AS approver_name"     \
	" FROM meeting_minutes mm"                                             \
	" LEFT JOIN people a ON a.id = mm.author_id"                           \
	" LEFT JOIN people ap ON ap.id = mm.approved_by"

static const char *const min_sql_text[N_MIN__MAX] = {
	/* binds: meeting, person, person */
	[N_LATEST] = "SELECT " MIN_COLS " WHERE mm.meeting_id = ?"
		     " AND mm.occurrence_local = ?"
		     " ORDER BY mm.version DESC LIMIT 1",
	/* binds: meeting, occurrence, writer (0/1) */
	[N_VERSIONS] = "SELECT mm.version, mm.state, mm.note, mm.created_at,"
		       " a.name AS author_name FROM meeting_minutes mm"
		       " LEFT JOIN people a ON a.id = mm.author_id"
		       " WHERE mm.meeting_id = ? AND mm.occurrence_local = ?"
		       " AND (? = 1 OR mm.state = 'approved')"
		       " ORDER BY mm.version DESC",
	[N_VERSION] = "SELECT " MIN_COLS " WHERE mm.meeting_id = ?"
		      " AND mm.occurrence_local = ? AND mm.version = ?",
	[N_PUT] = "INSERT INTO meeting_minutes (meeting_id, occurrence_local,"
		  " version, body_md, note, state, author_id, created_at)"
		  " VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)",
	[N_APPROVE] = "UPDATE meeting_minutes SET state = 'approved',"
		      " approved_by = ?, approved_at = ?"
		      " WHERE meeting_id = ? AND occurrence_local = ?"
		      " AND version = ? AND state = 'draft'",
	[N_REGISTERED] = "SELECT p.id, p.name, rg.attended"
			 " FROM registrations rg"
			 " JOIN people p ON p.id = rg.person_id"
			 " WHERE rg.meeting_id = ? AND rg.occurrence_local = ?"
			 " AND rg.state = 'registered'"
			 " ORDER BY p.name, p.id",
	[N_ATTEND_CLEAR] = "UPDATE registrations SET attended = 0,"
			   " updated_at = ? WHERE meeting_id = ?"
			   " AND occurrence_local = ? AND state = 'registered'",
	[N_ATTEND_SET] = "UPDATE registrations SET attended = 1"
			 " WHERE meeting_id = ? AND occurrence_local = ?"
			 " AND state = 'registered' AND person_id = ?",
	/* binds: member, member, meeting, occurrence */
	[N_PRESENT] = "SELECT CASE WHEN " MIN_NAMED " THEN 1 ELSE 0 END"
		      " AS named, CASE WHEN " MIN_NAMED " THEN p.name END"
		      " AS name FROM registrations rg"
		      " JOIN people p ON p.id = rg.person_id"
		      " WHERE rg.meeting_id = ? AND rg.occurrence_local = ?"
		      " AND rg.state = 'registered' AND rg.attended = 1"
		      " AND p.disabled_at IS NULL ORDER BY p.name, p.id",
};

static struct db_sql min_sql = {"calendar-minutes", min_sql_text,
				N_MIN__MAX, 0};

/* What a request about one meeting's minutes knows. */
struct mctx {
	struct cal_viewer v;
	json_t *m;         /* the meeting (owned) */
	int64_t id;
	const char *slug;
	const char *key;   /* the occurrence, '' for the meeting */
	int64_t starts;    /* its start (UTC) */
	int writer;
};

static const char *const state_values[] = {"draft", "approved", NULL};
static const char *const state_labels[] = {N_("Draft"), N_("Approved")};

/* The start of occurrence key of meeting m: 0, 1 when m has no such
 * occurrence, -1 on an error. */
static int
start_of(struct req *r, json_t *m, const char *key, int64_t *starts)
{
	struct recur_series s;
	struct recur_occurrence o;

	if (cal_series_of(r, m, &s) != 0)
		return -1;
	if (s.rrule && *s.rrule) {
		if (!cal_is_occurrence(&s, key, &o))
			return 1;
		*starts = o.starts_utc;
		return 0;
	}
	if (*key)
		return 1;
	*starts = json_integer_value(json_object_get(m, "starts_utc"));
	return 0;
}

/* Whether version row ver (or NULL) is approved. */
static int
is_approved(json_t *ver)
{
	const char *s = json_string_value(json_object_get(ver, "state"));

	return s && !strcmp(s, "approved");
}

static void
mctx_free(struct mctx *c)
{
	json_decref(c->m);
	c->m = NULL;
}

/* Reads the meeting of the route's slug and the occurrence sent as the
 * viewer may see it: 0, or 1 with the answer given (404, 500). */
static int
mctx_open(struct req *r, struct resp *w, struct mctx *c)
{
	const struct value *ov = req_value(r, "occurrence");
	int rc, team;

	memset(c, 0, sizeof *c);
	c->key = ov->present ? ov->str : "";
	if (cal_viewer_read(r, &c->v) < 0 ||
	    (rc = cal_meeting_load(r, req_param(r, "slug"), &c->m)) < 0) {
		resp_fail(r, w, _("The calendar could not be read."));
		return 1;
	}
	if (rc == 1) {
		resp_error(w, 404, _("There is no such meeting."));
		return 1;
	}
	if ((rc = cal_meeting_visible(r, &c->v, c->m, &team)) <= 0) {
		mctx_free(c);
		if (rc < 0)
			resp_fail(r, w, _("The calendar could not be read."));
		else
			resp_error(w, 404, _("There is no such meeting."));
		return 1;
	}
	c->id = json_integer_value(json_object_get(c->m, "id"));
	c->slug = arena_strdup(r->arena, json_string_value(
						 json_object_get(c->m, "slug")));
	if ((rc = start_of(r, c->m, c->key, &c->starts)) != 0 ||
	    (c->writer = cal_is_organiser(r, &c->v, c->id)) < 0) {
		mctx_free(c);
		if (rc > 0)
			resp_error(w, 404,
				   _("This meeting has no such occurrence."));
		else
			resp_fail(r, w, _("The calendar could not be read."));
		return 1;
	}
	return 0;
}

/* The address of the minutes (tail appended), with the occurrence. */
static const char *
minutes_href(struct req *r, const struct mctx *c, const char *tail)
{
	return arena_printf(r->arena, "/calendar/%s/minutes%s%s%s", c->slug,
			    tail, *c->key ? "?occurrence=" : "", c->key);
}

/* The meeting as the minutes' pages show it. */
static json_t *
meeting_model(struct req *r, const struct mctx *c)
{
	const char *start = *c->key ? c->key
				    : json_string_value(json_object_get(
					      c->m, "starts_local"));

	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "slug", c->slug,
			 "title",
			 json_string_value(json_object_get(c->m, "title")),
			 "href", arena_printf(r->arena, "/calendar/%s",
					      c->slug),
			 "when_text", cal_local_text(r->arena, start ? start : ""),
			 "occurrence", c->key, "minutes_href",
			 minutes_href(r, c, ""));
}

/* Dresses a version row for the pages: state_label, the times as
 * words, body_html (the Markdown rendered) when it has a body. */
static void
dress_version(json_t *row)
{
	json_t *one = json_array();
	const char *md = json_string_value(json_object_get(row, "body_md"));

	json_object_set_new(
		row, "state_label",
		json_string(cal_label(state_values, state_labels,
				      json_string_value(
					      json_object_get(row, "state")))));
	json_object_set_new(row, "approved",
			    json_boolean(json_is_integer(
				    json_object_get(row, "approved_at"))));
	json_array_append(one, row);
	render_add_times(one, "created_at");
	if (json_is_integer(json_object_get(row, "approved_at")))
		render_add_times(one, "approved_at");
	json_decref(one);
	if (md) {
		json_object_set_new(row, "body_html", render_markdown(md));
		json_object_del(row, "body_md");
	}
}

/* The newest version (NULL: none) in *out; 0 or -1. */
static int
latest(struct req *r, const struct mctx *c, json_t **out)
{
	struct db_stmt *q = db_stmt(r->db, &min_sql, N_LATEST);
	json_t *rows;

	*out = NULL;
	if (q == NULL)
		return -1;
	db_bind_int(q, 1, c->id);
	db_bind_text(q, 2, c->key);
	if ((rows = db_all_json(q)) == NULL)
		return -1;
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

/* "Present: ..." of the minutes: present [names] and others_text. */
static int
attendance_shown(struct req *r, const struct mctx *c, json_t *model)
{
	struct db_stmt *q = db_stmt(r->db, &min_sql, N_PRESENT);
	json_t *rows, *row;
	json_int_t others = 0;
	struct buf names = BUF_INIT;
	int member = c->v.member || c->v.admin;
	size_t i;

	if (q == NULL)
		return -1;
	db_bind_int(q, 1, member);
	db_bind_int(q, 2, member);
	db_bind_int(q, 3, c->id);
	db_bind_text(q, 4, c->key);
	if ((rows = db_all_json(q)) == NULL)
		return -1;
	json_array_foreach(rows, i, row) {
		if (json_integer_value(json_object_get(row, "named")) == 1) {
			if (names.len)
				buf_puts(&names, ", ");
			buf_puts(&names, json_string_value(
						 json_object_get(row, "name")));
		} else
			others++;
	}
	json_object_set_new(model, "has_present",
			    json_boolean(json_array_size(rows) > 0));
	json_decref(rows);
	json_object_set_new(model, "present_text",
			    json_string(buf_cstr(&names)));
	buf_free(&names);
	if (others > 0) {
		char n[24];

		snprintf(n, sizeof n, "%lld", (long long)others);
		json_object_set_new(
			model, "present_others_text",
			json_string(i18n_text(
				r->arena,
				_n("and {n} more person, whose name is not "
				   "public.",
				   "and {n} more people, whose names are not "
				   "public.",
				   (unsigned long)others),
				"n", n, NULL)));
	}
	return 0;
}

/* The people registered [{id, name, attended}] for the writers' form. */
static json_t *
registered(struct req *r, const struct mctx *c)
{
	struct db_stmt *q = db_stmt(r->db, &min_sql, N_REGISTERED);
	json_t *rows, *row;
	size_t i;

	if (q == NULL)
		return NULL;
	db_bind_int(q, 1, c->id);
	db_bind_text(q, 2, c->key);
	if ((rows = db_all_json(q)) == NULL)
		return NULL;
	json_array_foreach(rows, i, row)
		json_object_set_new(
			row, "checked",
			json_boolean(json_integer_value(
					     json_object_get(row, "attended")) ==
				     1));
	return rows;
}

/*
 * The minutes page: the newest version to those who may read it, the
 * writers' forms (a new version, approval, attendance) while a draft.
 * status 422 shows r->errors beside the fields with what was sent.
 */
static void
show(struct req *r, struct resp *w, struct mctx *c, int status,
     const char *notice)
{
	json_t *ver, *model;
	int approved;

	w->flags |= ROUTE_PERSONAL;
	if (latest(r, c, &ver) != 0)
		goto fail;
	approved = is_approved(ver);
	if (!c->writer && !approved) {
		json_decref(ver);
		mctx_free(c);
		return resp_error(w, 404,
				  _("There are no minutes for this meeting "
				    "yet."));
	}
	model = json_pack("{s:o,s:b,s:b,s:b,s:s}", "meeting",
			  meeting_model(r, c), "writer", c->writer,
			  "approved", approved, "may_edit",
			  c->writer && !approved, "versions_href",
			  minutes_href(r, c, "/versions"));
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (ver) {
		const char *md = json_string_value(json_object_get(ver, "body_md"));

		json_object_set_new(
			model, "form",
			json_pack("{s:s}", "body",
				  md && !(status == 422 && r->input) ? md : ""));
		dress_version(ver);
		json_object_set_new(model, "minutes", ver);
	} else
		json_object_set_new(model, "form", json_pack("{s:s}", "body", ""));
	if (status == 422 && r->input) {
		json_object_set(model, "form", r->input);
		resp_form_errors(model, r->errors);
	}
	if (c->starts > clock_now())
		json_object_set_new(model, "not_yet", json_true());
	if (attendance_shown(r, c, model) != 0)
		goto fail_model;
	if (c->writer && !approved) {
		json_t *people = registered(r, c);

		if (people == NULL)
			goto fail_model;
		json_object_set_new(model, "registered", people);
		json_object_set_new(model, "approve_href",
				    json_string(minutes_href(r, c, "/approve")));
		json_object_set_new(
			model, "attendance_href",
			json_string(minutes_href(r, c, "/attendance")));
	}
	resp_page(w, status, "calendar/templates/minutes.html",
		  i18n_text(r->arena, _("Minutes: {title}"), "title",
			    json_string_value(json_object_get(c->m, "title")),
			    NULL),
		  model);
	mctx_free(c);
	return;
fail_model:
	json_decref(model);
fail:
	mctx_free(c);
	resp_fail(r, w, _("The minutes could not be read."));
}

static const char *
done_notice(struct req *r)
{
	const char *q = r->query ? r->query : "";

	if (strstr(q, "done=saved"))
		return _("The draft is saved as a new version.");
	if (strstr(q, "done=approved"))
		return _("The minutes are approved.");
	if (strstr(q, "done=attendance"))
		return _("The attendance is saved.");
	return NULL;
}

/* GET /calendar/:slug/minutes */
static void
minutes_page(struct req *r, struct resp *w)
{
	struct mctx c;

	if (mctx_open(r, w, &c) != 0)
		return;
	show(r, w, &c, 200, done_notice(r));
}

/* The checks every write shares: 403 for one who does not write the
 * minutes, 409 before the meeting or after approval.  0, or 1 with the
 * answer given (c freed). */
static int
may_write(struct req *r, struct resp *w, struct mctx *c, json_t **ver)
{
	*ver = NULL;
	if (!c->writer) {
		mctx_free(c);
		resp_error(w, 403,
			   _("Only the secretariat and the meeting's "
			     "organisers write its minutes."));
		return 1;
	}
	if (c->starts > clock_now()) {
		mctx_free(c);
		resp_error(w, 409,
			   _("Minutes are written once the meeting has "
			     "started."));
		return 1;
	}
	if (latest(r, c, ver) != 0) {
		mctx_free(c);
		resp_fail(r, w, NULL);
		return 1;
	}
	if (is_approved(*ver)) {
		json_decref(*ver);
		*ver = NULL;
		mctx_free(c);
		resp_error(w, 409,
			   _("These minutes are approved: their text and "
			     "attendance are fixed."));
		return 1;
	}
	return 0;
}

static void
redirect_done(struct req *r, struct resp *w, struct mctx *c,
	      const char *done)
{
	resp_redirect(w, arena_printf(r->arena, "/calendar/%s/minutes?%s%s%s"
					      "done=%s",
				      c->slug, *c->key ? "occurrence=" : "",
				      c->key, *c->key ? "&" : "", done));
	mctx_free(c);
}

/* POST /calendar/:slug/minutes: a new version of the draft. */
static void
minutes_save(struct req *r, struct resp *w)
{
	const struct value *body = req_value(r, "body");
	const struct value *note = req_value(r, "note");
	struct mctx c;
	struct db_stmt *q;
	json_t *ver;
	int64_t version;

	if (mctx_open(r, w, &c) != 0)
		return;
	if (may_write(r, w, &c, &ver) != 0)
		return;
	if (r->errors || !body->present) {
		json_decref(ver);
		if (r->errors == NULL) {
			r->errors = json_object();
			json_object_set_new(r->errors, "body",
					    json_string(_("Write the minutes.")));
		}
		return show(r, w, &c, 422, NULL);
	}
	version = ver ? json_integer_value(json_object_get(ver, "version")) + 1
		      : 1;
	json_decref(ver);
	if (db_begin(r->db) != 0)
		goto fail;
	if ((q = db_stmt(r->db, &min_sql, N_PUT)) == NULL)
		goto rollback;
	db_bind_int(q, 1, c.id);
	db_bind_text(q, 2, c.key);
	db_bind_int(q, 3, version);
	db_bind_text(q, 4, body->str);
	db_bind_text(q, 5, note->present ? note->str : "");
	db_bind_int(q, 6, c.v.person);
	db_bind_int(q, 7, clock_now());
	if (db_run(q) != 0 ||
	    audit_record_new(r->db, c.v.person, "meeting.minutes.save",
			     "meeting",
			     arena_printf(r->arena, "%s:%s", c.slug, c.key),
			     NULL,
			     json_pack("{s:I}", "version",
				       (json_int_t)version),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto rollback;
	return redirect_done(r, w, &c, "saved");
rollback:
	db_rollback(r->db);
fail:
	mctx_free(&c);
	resp_fail(r, w, NULL);
}

/* POST /calendar/:slug/minutes/approve: the newest version approved. */
static void
minutes_approve(struct req *r, struct resp *w)
{
	struct mctx c;
	struct db_stmt *q;
	json_t *ver;
	int64_t version;

	if (mctx_open(r, w, &c) != 0)
		return;
	if (may_write(r, w, &c, &ver) != 0)
		return;
	if (ver == NULL) {
		mctx_free(&c);
		return resp_error(w, 409,
				  _("There is no draft to approve yet."));
	}
	version = json_integer_value(json_object_get(ver, "version"));
	json_decref(ver);
	if (db_begin(r->db) != 0)
		goto fail;
	if ((q = db_stmt(r->db, &min_sql, N_APPROVE)) == NULL)
		goto rollback;
	db_bind_int(q, 1, c.v.person);
	db_bind_int(q, 2, clock_now());
	db_bind_int(q, 3, c.id);
	db_bind_text(q, 4, c.key);
	db_bind_int(q, 5, version);
	if (db_run(q) != 0 ||
	    audit_record_new(r->db, c.v.person, "meeting.minutes.approve",
			     "meeting",
			     arena_printf(r->arena, "%s:%s", c.slug, c.key),
			     NULL,
			     json_pack("{s:I}", "version",
				       (json_int_t)version),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto rollback;
	return redirect_done(r, w, &c, "approved");
rollback:
	db_rollback(r->db);
fail:
	mctx_free(&c);
	resp_fail(r, w, NULL);
}

/* POST /calendar/:slug/minutes/attendance: who of the people registered
 * attended (the ones ticked; the others did not). */
static void
minutes_attendance(struct req *r, struct resp *w)
{
	const struct field_values *fv = req_values(r, "attended");
	struct mctx c;
	struct db_stmt *q;
	json_t *ver, *ids = json_array();
	int64_t now = clock_now();

	if (mctx_open(r, w, &c) != 0) {
		json_decref(ids);
		return;
	}
	if (may_write(r, w, &c, &ver) != 0) {
		json_decref(ids);
		return;
	}
	json_decref(ver);
	if (db_begin(r->db) != 0)
		goto fail;
	if ((q = db_stmt(r->db, &min_sql, N_ATTEND_CLEAR)) == NULL)
		goto rollback;
	db_bind_int(q, 1, now);
	db_bind_int(q, 2, c.id);
	db_bind_text(q, 3, c.key);
	if (db_run(q) != 0)
		goto rollback;
	for (size_t i = 0; fv && i < fv->n; i++) {
		if (!fv->v[i].present)
			continue;
		if ((q = db_stmt(r->db, &min_sql, N_ATTEND_SET)) == NULL)
			goto rollback;
		db_bind_int(q, 1, c.id);
		db_bind_text(q, 2, c.key);
		db_bind_int(q, 3, fv->v[i].num);
		if (db_run(q) != 0)
			goto rollback;
		json_array_append_new(ids, json_integer(fv->v[i].num));
	}
	if (audit_record_new(r->db, c.v.person, "meeting.attendance",
			     "meeting",
			     arena_printf(r->arena, "%s:%s", c.slug, c.key),
			     NULL, json_pack("{s:o}", "attended", ids),
			     r->client) != 0 ||
	    db_commit(r->db) != 0) {
		ids = NULL;
		goto rollback;
	}
	return redirect_done(r, w, &c, "attendance");
rollback:
	db_rollback(r->db);
fail:
	json_decref(ids);
	mctx_free(&c);
	resp_fail(r, w, NULL);
}

/* GET /calendar/:slug/minutes/versions: every version to the writers,
 * the approved one to the others (404 when there is none they may
 * read). */
static void
minutes_versions(struct req *r, struct resp *w)
{
	struct mctx c;
	struct db_stmt *q;
	json_t *rows, *row;
	size_t i;

	if (mctx_open(r, w, &c) != 0)
		return;
	w->flags |= ROUTE_PERSONAL;
	if ((q = db_stmt(r->db, &min_sql, N_VERSIONS)) == NULL)
		goto fail;
	db_bind_int(q, 1, c.id);
	db_bind_text(q, 2, c.key);
	db_bind_int(q, 3, c.writer);
	if ((rows = db_all_json(q)) == NULL)
		goto fail;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		mctx_free(&c);
		return resp_error(w, 404,
				  _("There are no minutes for this meeting "
				    "yet."));
	}
	json_array_foreach(rows, i, row) {
		dress_version(row);
		json_object_set_new(
			row, "href",
			json_string(minutes_href(
				r, &c,
				arena_printf(r->arena, "/versions/%lld",
					     (long long)json_integer_value(
						     json_object_get(
							     row, "version"))))));
	}
	resp_page(w, 200, "calendar/templates/minutes_versions.html",
		  i18n_text(r->arena, _("Versions of the minutes: {title}"),
			    "title",
			    json_string_value(json_object_get(c.m, "title")),
			    NULL),
		  json_pack("{s:o,s:o}", "meeting", meeting_model(r, &c),
			    "versions", rows));
	mctx_free(&c);
	return;
fail:
	mctx_free(&c);
	resp_fail(r, w, _("The minutes could not be read."));
}

/* GET /calendar/:slug/minutes/versions/:version: one version as it was
 * written (a draft only to the writers). */
static void
minutes_version(struct req *r, struct resp *w)
{
	struct mctx c;
	struct db_stmt *q;
	json_t *rows, *ver;
	int64_t n = 0;
	const char *p = req_param(r, "version"), *state;

	for (const char *s = p; s && *s; s++)
		n = *s >= '0' && *s <= '9' && n < 1000000 ? n * 10 + (*s - '0')
							  : -1;
	if (n <= 0)
		return resp_error(w, 404, _("There is no such version."));
	if (mctx_open(r, w, &c) != 0)
		return;
	w->flags |= ROUTE_PERSONAL;
	if ((q = db_stmt(r->db, &min_sql, N_VERSION)) == NULL)
		goto fail;
	db_bind_int(q, 1, c.id);
	db_bind_text(q, 2, c.key);
	db_bind_int(q, 3, n);
	if ((rows = db_all_json(q)) == NULL)
		goto fail;
	ver = json_array_get(rows, 0);
	state = ver ? json_string_value(json_object_get(ver, "state")) : NULL;
	if (ver == NULL ||
	    (!c.writer && (state == NULL || strcmp(state, "approved") != 0))) {
		json_decref(rows);
		mctx_free(&c);
		return resp_error(w, 404, _("There is no such version."));
	}
	json_incref(ver);
	json_decref(rows);
	dress_version(ver);
	resp_page(w, 200, "calendar/templates/minutes_version.html",
		  i18n_text(r->arena, _("Minutes, version {n}: {title}"), "n",
			    p, "title",
			    json_string_value(json_object_get(c.m, "title")),
			    NULL),
		  json_pack("{s:o,s:o,s:s}", "meeting", meeting_model(r, &c),
			    "minutes", ver, "versions_href",
			    minutes_href(r, &c, "/versions")));
	mctx_free(&c);
	return;
fail:
	mctx_free(&c);
	resp_fail(r, w, _("The minutes could not be read."));
}

/* Sets on obj (the meeting, or one of its occurrences) the link to the
 * minutes of key under the names href and label: approved minutes to
 * everyone, a draft or the form to the writers once it has started. */
static int
link_minutes(struct req *r, struct mctx *c, json_t *obj, const char *href,
	     const char *label)
{
	json_t *ver;
	int approved;

	if (latest(r, c, &ver) != 0)
		return -1;
	approved = is_approved(ver);
	if (approved || (c->writer && c->starts <= clock_now())) {
		json_object_set_new(obj, href,
				    json_string(minutes_href(r, c, "")));
		json_object_set_new(
			obj, label,
			json_string(approved ? _("Minutes")
				    : ver    ? _("Draft minutes")
					     : _("Write the minutes")));
	}
	json_decref(ver);
	return 0;
}

int
cal_minutes_links(struct req *r, const struct cal_viewer *v, json_t *m)
{
	const char *rule = json_string_value(json_object_get(m, "rrule"));
	json_t *occ;
	struct mctx c;
	size_t i;

	memset(&c, 0, sizeof c);
	c.id = json_integer_value(json_object_get(m, "id"));
	c.slug = json_string_value(json_object_get(m, "slug"));
	c.key = "";
	if (c.slug == NULL || (c.writer = cal_is_organiser(r, v, c.id)) < 0)
		return -1;
	if (rule == NULL || *rule == '\0') {
		c.starts = json_integer_value(json_object_get(m, "starts_utc"));
		return link_minutes(r, &c, m, "minutes_href", "minutes_label");
	}
	json_array_foreach(json_object_get(m, "occurrences"), i, occ) {
		c.key = json_string_value(json_object_get(occ, "key"));
		c.starts = json_integer_value(json_object_get(occ, "starts_utc"));
		if (c.key == NULL ||
		    json_is_true(json_object_get(occ, "cancelled")))
			continue;
		if (link_minutes(r, &c, occ, "occ_minutes_href",
				 "occ_minutes_label") != 0)
			return -1;
	}
	return 0;
}

static const struct field occ_fields[] = {
	{.name = "occurrence",
	 .type = FT_TEXT,
	 .maxlen = 19,
	 .label = N_("Occurrence")},
	{0},
};

static const struct field save_fields[] = {
	{.name = "occurrence",
	 .type = FT_TEXT,
	 .maxlen = 19,
	 .label = N_("Occurrence")},
	{.name = "body",
	 .type = FT_TEXTAREA,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 100000,
	 .label = N_("Minutes")},
	{.name = "note",
	 .type = FT_TEXT,
	 .maxlen = 300,
	 .label = N_("What changed")},
	{0},
};

static const struct field attendance_fields[] = {
	{.name = "occurrence",
	 .type = FT_TEXT,
	 .maxlen = 19,
	 .label = N_("Occurrence")},
	{.name = "attended",
	 .type = FT_INT,
	 .flags = FIELD_MULTI,
	 .min = 1,
	 .max = INT64_MAX / 2,
	 .label = N_("Attended")},
	{0},
};

#define P ROUTE_PERSONAL

static const struct route min_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/calendar/:slug/minutes",
	 .who = ACCESS_PUBLIC,
	 .fields = occ_fields,
	 .handler = minutes_page,
	 .flags = ROUTE_FORM | P,
	 .summary = "A meeting's minutes (or one occurrence's): the approved "
		    "text to those who may see the meeting, the draft and "
		    "its forms to the writers"},
	{.method = HTTP_POST,
	 .pattern = "/calendar/:slug/minutes",
	 .who = ACCESS_MEMBER,
	 .fields = save_fields,
	 .handler = minutes_save,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Saves a new version of the draft minutes (the "
		    "secretariat, the party's chair, co-chair and rapporteur, "
		    "or the meeting's organiser)"},
	{.method = HTTP_POST,
	 .pattern = "/calendar/:slug/minutes/approve",
	 .who = ACCESS_MEMBER,
	 .fields = occ_fields,
	 .handler = minutes_approve,
	 .flags = P,
	 .summary = "Approves the newest version of the minutes; the text is "
		    "fixed afterwards"},
	{.method = HTTP_POST,
	 .pattern = "/calendar/:slug/minutes/attendance",
	 .who = ACCESS_MEMBER,
	 .fields = attendance_fields,
	 .handler = minutes_attendance,
	 .flags = P,
	 .summary = "Records who of the people registered attended"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/:slug/minutes/versions",
	 .who = ACCESS_PUBLIC,
	 .fields = occ_fields,
	 .handler = minutes_versions,
	 .flags = P,
	 .summary = "The versions of a meeting's minutes (drafts to the "
		    "writers only)"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/:slug/minutes/versions/:version",
	 .who = ACCESS_PUBLIC,
	 .fields = occ_fields,
	 .handler = minutes_version,
	 .flags = P,
	 .summary = "One version of a meeting's minutes as it was written"},
};

const struct module calendar_minutes_module = {
	.name = "calendar-minutes",
	.routes = min_routes,
	.nroutes = ARRAY_LEN(min_routes),
	.sql = &min_sql,
};
