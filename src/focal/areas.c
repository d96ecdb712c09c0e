/*
 * areas.c -- see areas.h: the areas as the pages read them, and the
 * changes the secretariat makes to them.  The secretariat adds a focal area (its
 * slug made from its name, never changed afterwards), renames it or
 * changes its texts, retires it and brings it back
 * (migrations/0039_focal_areas_retired.sql).  Each change is one
 * transaction with its audit record (focal_area.add, .change, .retire,
 * .restore; object type focal_area, the slug).  The site search's copy
 * of an area follows its row (the site's triggers, site/migrations/0003),
 * so a new name is found at once.  A retired area keeps its page, its
 * focal points and every link made to it; the home page and the forms
 * that offer areas for a new link leave it out.
 */
#include "areas.h"

#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/render.h"
#include "core/i18n.h"
#include "core/util.h"
#include "core/slug.h"
#include "organisations/organisations.h"

enum stmt_areas {
	FA_LIST,
	FA_GET,
	FA_SLUG_TAKEN,
	FA_INSERT,
	FA_UPDATE,
	FA_RETIRE,
	FA_AREAS__MAX,
};

static const char *const areas_sql_text[FA_AREAS__MAX] = {
	/* the focal points counted whatever their visibility: a count
	 * names no one */
	[FA_LIST] =
		"SELECT fa.slug, fa.name, fa.summary,"
		" (SELECT count(*) FROM focal_area_people x"
		"  JOIN people p ON p.id = x.person_id"
		"  WHERE x.focal_area_id = fa.id AND p.disabled_at IS NULL)"
		" AS points, fa.retired_at FROM focal_areas fa"
		" ORDER BY fa.position, fa.id",
	[FA_GET] = "SELECT id, slug, name, summary, body_md, retired_at"
		       " FROM focal_areas WHERE slug = ?",
	[FA_SLUG_TAKEN] = "SELECT 1 FROM focal_areas WHERE slug = ?",
	/* last in the lists; binds slug, name, summary, body */
	[FA_INSERT] = "INSERT INTO focal_areas (slug, name, summary, body_md,"
		      " position) SELECT ?, ?, ?, ?,"
		      " coalesce(max(position), 0) + 1 FROM focal_areas",
	[FA_UPDATE] = "UPDATE focal_areas SET name = ?, summary = ?,"
		      " body_md = ? WHERE id = ?",
	/* binds the time (NULL: brought back), the area */
	[FA_RETIRE] = "UPDATE focal_areas SET retired_at = ? WHERE id = ?",
};

struct db_sql focal_areas_sql = {"focal_areas", areas_sql_text,
				 FA_AREAS__MAX, 0};

static void
read_failed(struct resp *w)
{
	resp_error(w, 500, _("The page could not be read."));
}

int
focal_area_or_respond(struct req *r, struct resp *w, const char *slug, json_t **area)
{
	struct db_stmt *st = db_stmt(r->db, &focal_areas_sql, FA_GET);

	if (st == NULL) {
		read_failed(w);
		return -1;
	}
	db_bind_text(st, 1, slug);
	if ((*area = db_one_json(st)) == NULL) {
		read_failed(w);
		return -1;
	}
	if (json_is_null(*area)) {
		json_decref(*area);
		resp_error(w, 404, _("There is no focal point of that name."));
		return 1;
	}
	return 0;
}

void
focal_retired_fields(json_t *area)
{
	json_object_set_new(area, "retired",
			    json_boolean(json_is_integer(
				    json_object_get(area, "retired_at"))));
	render_add_time(area, "retired_at");
}

int
focal_areas_split(struct req *r, json_t **current, json_t **retired)
{
	struct db_stmt *st = db_stmt(r->db, &focal_areas_sql, FA_LIST);
	json_t *rows = st ? db_all_json(st) : NULL, *row;
	size_t i;

	if (rows == NULL)
		return -1;
	*current = json_array();
	*retired = json_array();
	json_array_foreach (rows, i, row) {
		focal_retired_fields(row);
		json_array_append(json_is_true(json_object_get(row, "retired"))
					  ? *retired
					  : *current,
				  row);
	}
	json_decref(rows);
	return 0;
}

/* Slugs tried for a new area's name: base, base-2 ... */

const struct field focal_area_fields[] = {
	{.name = "name",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 120,
	 .label = N_("Name")},
	{.name = "summary",
	 .type = FT_TEXT,
	 .maxlen = 400,
	 .label = N_("Summary")},
	{.name = "body",
	 .type = FT_TEXTAREA,
	 .maxlen = 20000,
	 .label = N_("Text of the page")},
	{0},
};

/* The value of an optional text field ("" when absent). */
static const char *
text_of(struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present && v->str ? v->str : "";
}

int
focal_area_insert(struct req *r, const char **slug)
{
	const char *name = text_of(r, "name");
	struct db_stmt *st;

	if (db_begin(r->db) != 0)
		return -1;
	if ((*slug = slug_new(r->db, r->arena, &focal_areas_sql,
			      FA_SLUG_TAKEN, 0, name, "area", NULL)) == NULL ||
	    (st = db_stmt(r->db, &focal_areas_sql, FA_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, *slug);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, text_of(r, "summary"));
	db_bind_text(st, 4, text_of(r, "body"));
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "focal_area.add",
			     "focal_area", *slug, NULL,
			     json_pack("{s:s,s:s,s:s,s:s}", "slug", *slug,
				       "name", name, "summary",
				       text_of(r, "summary"), "body",
				       text_of(r, "body")),
			     r->client) != 0)
		return -1;
	return db_commit(r->db);
}

int
focal_area_update(struct req *r, json_t *area)
{
	const char *name = text_of(r, "name");
	struct db_stmt *st;

	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &focal_areas_sql, FA_UPDATE)) == NULL)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, text_of(r, "summary"));
	db_bind_text(st, 3, text_of(r, "body"));
	db_bind_int(st, 4, json_integer_value(json_object_get(area, "id")));
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "focal_area.change", "focal_area",
		    json_string_value(json_object_get(area, "slug")),
		    json_pack("{s:O,s:O,s:O}", "name",
			      json_object_get(area, "name"), "summary",
			      json_object_get(area, "summary"), "body",
			      json_object_get(area, "body_md")),
		    json_pack("{s:s,s:s,s:s}", "name", name, "summary",
			      text_of(r, "summary"), "body", text_of(r, "body")),
		    r->client) != 0)
		return -1;
	return db_commit(r->db);
}

int
focal_area_set_retired(struct req *r, json_t *area, int retire)
{
	int64_t now = clock_now();
	struct db_stmt *st;

	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &focal_areas_sql, FA_RETIRE)) == NULL)
		return -1;
	if (retire)
		db_bind_int(st, 1, now);
	else
		db_bind_null(st, 1);
	db_bind_int(st, 2, json_integer_value(json_object_get(area, "id")));
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id,
		    retire ? "focal_area.retire" : "focal_area.restore",
		    "focal_area",
		    json_string_value(json_object_get(area, "slug")),
		    json_pack("{s:O}", "retired_at",
			      json_object_get(area, "retired_at")),
		    retire ? json_pack("{s:I}", "retired_at", (json_int_t)now)
			   : json_pack("{s:n}", "retired_at"),
		    r->client) != 0)
		return -1;
	return db_commit(r->db);
}
