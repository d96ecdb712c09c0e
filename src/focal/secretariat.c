/*
 * secretariat.c -- see secretariat.h: the secretariat's pages of the focal
 * areas (ACCESS_ADMIN, its menu entry "Focal points"): the list with the
 * form that adds an area; an area's page with its focal points, the
 * search for people to assign, the form that edits the area and the
 * button that retires it or brings it back.  Assigning and removing a
 * focal point (migrations/0025_focal_points.sql) is done here, each change
 * in one transaction with its audit record; the changes to the areas
 * themselves are areas.c's.
 */
#include "secretariat.h"

#include <stdio.h>
#include <string.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/util.h"

#include "areas.h"

enum stmt_focal_admin {
	F_POINTS_ADMIN,
	F_FIND,
	F_PERSON,
	F_POINT_GET,
	F_POINT_PUT,
	F_POINT_DEL,
	F_ADMIN__MAX,
};

/* A column that contains the text bound (lower-cased, LIKE's wildcards
 * and escape taken literally): the secretariat's search for people. */
#define FP_CONTAINS(col)                                                       \
	" lower(" col ") LIKE '%' || replace(replace(replace(lower(?),"        \
	" '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\'"

/* People a search shows at most. */
#define FIND_LIMIT 20

static const char *const focal_admin_sql_text[F_ADMIN__MAX] = {
	[F_POINTS_ADMIN] =
		"SELECT p.id AS person_id, p.name, p.email, p.visibility,"
		" CASE WHEN p.disabled_at IS NULL THEN 0 ELSE 1 END AS "
		"disabled,"
		" x.title, x.since FROM focal_area_people x"
		" JOIN people p ON p.id = x.person_id"
		" WHERE x.focal_area_id = ? ORDER BY x.since, p.name, p.id",
	/* binds: the text twice, the area's id, the limit */
	[F_FIND] = "SELECT id, name, email FROM people"
		   " WHERE disabled_at IS NULL"
		   " AND (" FP_CONTAINS("name") " OR " FP_CONTAINS(
			   "email") ")"
				    " AND id NOT IN (SELECT person_id FROM "
				    "focal_area_people"
				    "  WHERE focal_area_id = ?)"
				    " ORDER BY name, id LIMIT ?",
	[F_PERSON] = "SELECT name, email FROM people"
		     " WHERE id = ? AND disabled_at IS NULL",
	[F_POINT_GET] = "SELECT title, since FROM focal_area_people"
			" WHERE focal_area_id = ? AND person_id = ?",
	[F_POINT_PUT] = "INSERT INTO focal_area_people"
			" (focal_area_id, person_id, title, since, created_at)"
			" VALUES (?, ?, ?, ?, ?)"
			" ON CONFLICT (focal_area_id, person_id) DO UPDATE SET"
			" title = excluded.title, since = excluded.since",
	[F_POINT_DEL] = "DELETE FROM focal_area_people"
			" WHERE focal_area_id = ? AND person_id = ?",
};

struct db_sql focal_admin_sql = {"focal_admin", focal_admin_sql_text,
				 F_ADMIN__MAX, 0};

/* What the secretariat reads of a person's choice (people.visibility). */
static const char *const visibility_values[] = {"public", "members", "hidden",
						NULL};
static const char *const visibility_labels[] = {
	N_("Named to everyone"),
	N_("Named to members only"),
	N_("Not named: counted only"),
};

/* What the area's page says after a change sent the browser back to it. */
static const char *const done_values[] = {"assigned", "removed", "added",
					  "edited",   "retired", "restored",
					  NULL};

static void
read_failed(struct resp *w)
{
	resp_error(w, 500, _("The page could not be read."));
}

/* The rows of statement s with the area's id bound; NULL on a database
 * error. */
static json_t *
rows_of(struct req *r, enum stmt_focal_admin s, json_int_t area)
{
	struct db_stmt *st = db_stmt(r->db, &focal_admin_sql, s);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, area);
	return db_all_json(st);
}

static json_int_t
area_id(json_t *area)
{
	return json_integer_value(json_object_get(area, "id"));
}

/* The text of field name as sent, for a form shown again ("" when
 * absent). */
static const char *
sent(struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present && v->str ? v->str : "";
}

/* The secretariat's list of the areas with the form that adds one,
 * answered with status; the form shows r->errors and the values sent
 * when status is 422.  notice, when not NULL, is said at the top. */
static void
focal_admin_index_page(struct req *r, struct resp *w, int status,
		       const char *notice)
{
	json_t *current, *retired, *model;
	int failed = status == 422;

	if (focal_areas_split(r, &current, &retired) != 0)
		return read_failed(w);
	model = json_pack("{s:o,s:o,s:{s:s,s:s,s:s}}", "focal_areas", current,
			  "retired", retired, "form", "name",
			  failed ? sent(r, "name") : "", "summary",
			  failed ? sent(r, "summary") : "", "body",
			  failed ? sent(r, "body") : "");
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (failed)
		resp_form_errors_id(model, r->errors, "new-", "");
	admin_secretariat_page(r, w, status, "focal/templates/admin_index.html",
			       _("Focal points"), "/admin/focal-points", model);
}

void
focal_admin_index(struct req *r, struct resp *w)
{
	focal_admin_index_page(r, w, 200, NULL);
}

/* The label of a person's visibility for the secretariat. */
static const char *
visibility_text(const char *v)
{
	for (size_t i = 0; v && visibility_values[i]; i++)
		if (strcmp(v, visibility_values[i]) == 0)
			return _(visibility_labels[i]);
	return v ? v : "";
}

/*
 * Answers the secretariat's page of area (taken) with status: its focal
 * points, the search for q (when given) with an assignment form for each
 * person found; the form of person `failed` shows r->errors and the
 * values sent.  notice, when not NULL, is said at the top.
 */
static void
admin_area_page(struct req *r, struct resp *w, int status, json_t *area,
		const char *q, int64_t failed, int edit_failed,
		const char *notice)
{
	json_t *points, *found = NULL, *row, *model;
	struct db_stmt *st;
	char today[11];
	size_t i;

	clock_today(today);
	if ((points = rows_of(r, F_POINTS_ADMIN, area_id(area))) ==
	    NULL) {
		json_decref(area);
		return read_failed(w);
	}
	json_array_foreach(points, i, row)
		json_object_set_new(
			row, "visibility_text",
			json_string(visibility_text(json_string_value(
				json_object_get(row, "visibility")))));
	if (q && *q) {
		if ((st = db_stmt(r->db, &focal_admin_sql, F_FIND)) != NULL) {
			db_bind_text(st, 1, q);
			db_bind_text(st, 2, q);
			db_bind_int(st, 3, area_id(area));
			db_bind_int(st, 4, FIND_LIMIT);
			found = db_all_json(st);
		}
		if (found == NULL) {
			json_decref(area);
			json_decref(points);
			return read_failed(w);
		}
		json_array_foreach(found, i, row) {
			int mine = json_integer_value(json_object_get(
					   row, "id")) == failed;
			const struct value *t = req_value(r, "title");
			const struct value *s = req_value(r, "since");

			json_object_set_new(
				row, "title",
				json_string(mine && t->present ? t->str : ""));
			json_object_set_new(
				row, "since",
				json_string(mine && s->present ? s->str
					    : mine && r->errors &&
							    json_object_get(
								    r->errors,
								    "since")
						    ? ""
						    : today));
			if (mine && r->errors)
				json_object_set(row, "errors", r->errors);
		}
	}
	focal_retired_fields(area);
	/* the form that edits the area: its text, or what was sent */
	json_object_set_new(
		area, "form",
		edit_failed
			? json_pack("{s:s,s:s,s:s}", "name", sent(r, "name"),
				    "summary", sent(r, "summary"), "body",
				    sent(r, "body"))
			: json_pack("{s:O,s:O,s:O}", "name",
				    json_object_get(area, "name"), "summary",
				    json_object_get(area, "summary"), "body",
				    json_object_get(area, "body_md")));
	json_object_del(area, "body_md");
	model = json_pack("{s:o,s:o,s:s,s:b,s:o*,s:b,s:s}", "area", area,
			  "focal_points", points, "q", q ? q : "", "searched",
			  found != NULL, "found", found, "has_found",
			  found && json_array_size(found) > 0, "today", today);
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (r->errors && edit_failed)
		resp_form_errors_id(model, r->errors, "area-", "");
	if (r->errors && failed > 0) {
		/* the summary (core/templates/form_errors.html) links to the
		 * fields of the form sent: ids FIELD-PERSON */
		json_t *errors = json_deep_copy(r->errors);

		resp_form_errors_id(model, errors,
				    "", arena_printf(r->arena, "-%lld",
						     (long long)failed));
		/* the per-person form shows its own messages (row "errors") */
		json_object_del(model, "errors");
		json_decref(errors);
	}
	admin_secretariat_page(
		r, w, status, "focal/templates/admin_area.html",
		i18n_text(r->arena, _("Focal points: {area}"), "area",
			  json_string_value(json_object_get(area, "name")),
			  NULL),
		NULL, model);
}

void
focal_admin_area(struct req *r, struct resp *w)
{
	const struct value *q = req_value(r, "q"), *done = req_value(r, "done");
	const char *notice = NULL;
	json_t *area;

	if (focal_area_or_respond(r, w, req_param(r, "slug"), &area) != 0)
		return;
	if (done->present)
		notice = strcmp(done->str, "removed") == 0
				 ? _("The focal point has been removed. The "
				     "change is in the audit log.")
			 : strcmp(done->str, "added") == 0
				 ? _("The area has been added. Its page is "
				     "public. The change is in the audit log.")
			 : strcmp(done->str, "edited") == 0
				 ? _("The area has been saved. The change is "
				     "in the audit log.")
			 : strcmp(done->str, "retired") == 0
				 ? _("The area has been retired. Its page "
				     "stays, saying so. The change is in the "
				     "audit log.")
			 : strcmp(done->str, "restored") == 0
				 ? _("The area has been brought back. The "
				     "change is in the audit log.")
				 : _("The focal point has been saved. The "
				     "change is in the audit log.");
	admin_area_page(r, w, 200, area, q->present ? q->str : NULL, 0, 0,
			notice);
}



/* Back to the area's secretariat page, saying what was done. */
static void
back_to_area(struct req *r, struct resp *w, const char *slug, const char *done)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "/admin/focal-points/");
	esc_url_component(&b, slug, strlen(slug));
	buf_puts(&b, "?done=");
	buf_puts(&b, done);
	resp_redirect(w, buf_cstr(&b));
	buf_free(&b);
}

/* The audit record's object: "slug:person". */
static const char *
point_object(struct req *r, const char *slug, int64_t person)
{
	return arena_printf(r->arena, "%s:%lld", slug, (long long)person);
}

/*
 * POST /admin/focal-points/:slug/people: makes person a focal point of
 * the area with title and since (today when not given), or changes the
 * title and date of one already assigned; one transaction with its audit
 * record, then back to the area's page.  An invalid title or date shows
 * the page again (422) with the messages at that person's form; an
 * unknown area or person (or a disabled account) is a 404.
 */
void
focal_assign(struct req *r, struct resp *w)
{
	const char *slug = req_param(r, "slug");
	const struct value *person = req_value(r, "person");
	const struct value *title = req_value(r, "title");
	const struct value *since = req_value(r, "since");
	const struct value *q = req_value(r, "q");
	json_t *area, *before = NULL, *after;
	struct db_stmt *st;
	char today[11];
	const char *name, *email;
	int rc;

	if (focal_area_or_respond(r, w, slug, &area) != 0)
		return;
	if (!person->present) {
		json_decref(area);
		resp_error(w, 422, _("Choose the person to assign."));
		return;
	}
	if (r->errors) {
		admin_area_page(r, w, 422, area, q->present ? q->str : NULL,
				person->num, 0, NULL);
		return;
	}
	clock_today(today);
	if (db_begin(r->db) != 0) {
		json_decref(area);
		return resp_fail(r, w, NULL);
	}
	if ((st = db_stmt(r->db, &focal_admin_sql, F_PERSON)) == NULL)
		goto fail;
	db_bind_int(st, 1, person->num);
	if ((rc = db_step(st)) == DB_ERROR)
		goto fail;
	if (rc == DB_DONE) {
		db_rollback(r->db);
		json_decref(area);
		resp_error(w, 404, _("There is no such person."));
		return;
	}
	name = arena_strdup(r->arena, db_col_text(st, 0));
	email = arena_strdup(r->arena, db_col_text(st, 1));
	db_reset(st);
	if ((st = db_stmt(r->db, &focal_admin_sql, F_POINT_GET)) == NULL)
		goto fail;
	db_bind_int(st, 1, area_id(area));
	db_bind_int(st, 2, person->num);
	if ((rc = db_step(st)) == DB_ERROR)
		goto fail;
	if (rc == DB_ROW)
		before = json_pack("{s:s,s:s}", "title", db_col_text(st, 0),
				   "since", db_col_text(st, 1));
	db_reset(st);
	if ((st = db_stmt(r->db, &focal_admin_sql, F_POINT_PUT)) == NULL)
		goto fail;
	db_bind_int(st, 1, area_id(area));
	db_bind_int(st, 2, person->num);
	db_bind_text(st, 3, title->present ? title->str : "");
	db_bind_text(st, 4, since->present ? since->str : today);
	db_bind_int(st, 5, clock_now());
	if (db_run(st) != 0)
		goto fail;
	after = json_pack("{s:s,s:s,s:s,s:s}", "person", name, "email", email,
			  "title", title->present ? title->str : "", "since",
			  since->present ? since->str : today);
	rc = audit_record_new(r->db, r->person->id,
			      before ? "focal_point.change"
				     : "focal_point.assign",
			      "focal_point", point_object(r, slug, person->num),
			      before, after, r->client);
	if (rc != 0 || db_commit(r->db) != 0)
		goto fail;
	json_decref(area);
	back_to_area(r, w, slug, "assigned");
	return;
fail:
	json_decref(area);
	resp_fail(r, w, NULL);
}

/*
 * POST /admin/focal-points/:slug/people/:id/remove: the person is no
 * longer a focal point of the area; one transaction with its audit
 * record.  404 when they were not one.
 */
void
focal_remove(struct req *r, struct resp *w)
{
	const char *slug = req_param(r, "slug");
	int64_t person = req_param_id(r);
	json_t *area, *before;
	struct db_stmt *st;
	int rc;

	if (focal_area_or_respond(r, w, slug, &area) != 0)
		return;
	if (db_begin(r->db) != 0) {
		json_decref(area);
		return resp_fail(r, w, NULL);
	}
	if ((st = db_stmt(r->db, &focal_admin_sql, F_POINT_GET)) == NULL)
		goto fail;
	db_bind_int(st, 1, area_id(area));
	db_bind_int(st, 2, person);
	if ((rc = db_step(st)) == DB_ERROR)
		goto fail;
	if (rc == DB_DONE) {
		db_rollback(r->db);
		json_decref(area);
		resp_error(w, 404,
			   _("This person is not a focal point of this "
			     "area."));
		return;
	}
	before = json_pack("{s:s,s:s}", "title", db_col_text(st, 0), "since",
			   db_col_text(st, 1));
	db_reset(st);
	if ((st = db_stmt(r->db, &focal_admin_sql, F_POINT_DEL)) == NULL) {
		json_decref(before);
		goto fail;
	}
	db_bind_int(st, 1, area_id(area));
	db_bind_int(st, 2, person);
	if (db_run(st) != 0) {
		json_decref(before);
		goto fail;
	}
	rc = audit_record_new(r->db, r->person->id, "focal_point.remove",
			      "focal_point", point_object(r, slug, person),
			      before, NULL, r->client);
	if (rc != 0 || db_commit(r->db) != 0)
		goto fail;
	json_decref(area);
	back_to_area(r, w, slug, "removed");
	return;
fail:
	json_decref(area);
	resp_fail(r, w, NULL);
}

/*
 * POST /admin/focal-points: a new area, its slug made from its name, then
 * its secretariat page.  A missing or invalid field shows the list again
 * (422) with the messages at the form.
 */
void
focal_add(struct req *r, struct resp *w)
{
	const char *slug;

	if (r->errors || !req_value(r, "name")->present)
		return focal_admin_index_page(r, w, 422, NULL);
	if (focal_area_insert(r, &slug) != 0)
		return resp_fail(r, w, NULL);
	back_to_area(r, w, slug, "added");
}

/*
 * POST /admin/focal-points/:slug/edit: the area's name, summary and text
 * (the slug stays, so every link holds).  A missing or invalid field
 * shows the page again (422) with the messages at the form.
 */
void
focal_edit(struct req *r, struct resp *w)
{
	const char *slug = req_param(r, "slug");
	json_t *area;
	int rc;

	if (focal_area_or_respond(r, w, slug, &area) != 0)
		return;
	if (r->errors || !req_value(r, "name")->present)
		return admin_area_page(r, w, 422, area, NULL, 0, 1, NULL);
	rc = focal_area_update(r, area);
	json_decref(area);
	if (rc != 0)
		return resp_fail(r, w, NULL);
	back_to_area(r, w, slug, "edited");
}

/* Retires the area of the route, or (retire 0) brings it back; 409 when
 * it already is so. */
static void
set_retired(struct req *r, struct resp *w, int retire)
{
	const char *slug = req_param(r, "slug");
	json_t *area;
	int rc;

	if (focal_area_or_respond(r, w, slug, &area) != 0)
		return;
	if (json_is_integer(json_object_get(area, "retired_at")) == retire) {
		json_decref(area);
		resp_error(w, 409,
			   retire ? _("This area is already retired.")
				  : _("This area is not retired."));
		return;
	}
	rc = focal_area_set_retired(r, area, retire);
	json_decref(area);
	if (rc != 0)
		return resp_fail(r, w, NULL);
	back_to_area(r, w, slug, retire ? "retired" : "restored");
}

/* POST /admin/focal-points/:slug/retire */
void
focal_retire(struct req *r, struct resp *w)
{
	set_retired(r, w, 1);
}

/* POST /admin/focal-points/:slug/restore */
void
focal_restore(struct req *r, struct resp *w)
{
	set_retired(r, w, 0);
}

const struct field focal_admin_area_fields[] = {
	{.name = "q",
	 .type = FT_TEXT,
	 .maxlen = 200,
	 .label = N_("Name or e-mail contains")},
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

const struct field focal_assign_fields[] = {
	{.name = "person",
	 .type = FT_INT,
	 .flags = FIELD_REQUIRED,
	 .min = 1,
	 .max = INT64_MAX,
	 .label = N_("Person")},
	{.name = "title", .type = FT_TEXT, .maxlen = 120, .label = N_("Title")},
	{.name = "since", .type = FT_DATE, .label = N_("Since")},
	/* the search the form was sent from, shown again on an error */
	{.name = "q",
	 .type = FT_TEXT,
	 .maxlen = 200,
	 .label = N_("Name or e-mail contains")},
	{0},
};
