/*
 * form.c -- see statements_int.h: the form of a statement, shared by the
 * secretariat's desk (secretariat.c) and a working party's drafting
 * (drafting.c): its fields, its choices (UN bodies, working parties,
 * focal areas), the values as sent or as stored, and the insert and
 * update that write them with their focal areas, search document and
 * audit record, in the caller's transaction.
 */
#include "statements_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/slug.h"
#include "core/util.h"

enum stmt_form {
	F_SLUG_TAKEN,
	F_INSERT,
	F_UPDATE,
	F_BODIES,
	F_BODY,
	F_PARTIES,
	F_PARTY,
	F_AREAS,
	F_AREAS_OF,
	F_AREAS_CLEAR,
	F_AREA_ADD,
	F__MAX,
};

static const char *const form_sql_text[F__MAX] = {
	[F_SLUG_TAKEN] = "SELECT 1 FROM statements WHERE slug = ?",
	[F_INSERT] = "INSERT INTO statements (slug, title, summary, body_md,"
		     " occasion, year, un_body_id, party_id, closes_on,"
		     " created_by, created_at, updated_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[F_UPDATE] = "UPDATE statements SET title = ?, summary = ?,"
		     " body_md = ?, occasion = ?, year = ?, un_body_id = ?,"
		     " party_id = ?, closes_on = ?, updated_at = ?"
		     " WHERE id = ?",
	[F_BODIES] = "SELECT id, acronym, name FROM bodies ORDER BY position",
	[F_BODY] = "SELECT 1 FROM bodies WHERE id = ?",
	[F_PARTIES] = "SELECT id, name FROM parties"
		      " WHERE state IN ('active', 'dissolved', 'archived')"
		      " ORDER BY name, id",
	[F_PARTY] = "SELECT 1 FROM parties WHERE id = ?"
		    " AND state IN ('active', 'dissolved', 'archived')",
	/* the current areas, and a retired one the statement names */
	[F_AREAS] = "SELECT slug, name FROM focal_areas fa"
		    " WHERE fa.retired_at IS NULL OR EXISTS (SELECT 1"
		    "  FROM statement_focal_areas sf WHERE sf.statement_id = ?"
		    "  AND sf.focal_area_id = fa.id)"
		    " ORDER BY position, id",
	[F_AREAS_OF] = "SELECT fa.slug FROM statement_focal_areas sf"
		       " JOIN focal_areas fa ON fa.id = sf.focal_area_id"
		       " WHERE sf.statement_id = ?",
	[F_AREAS_CLEAR] = "DELETE FROM statement_focal_areas"
			  " WHERE statement_id = ?",
	[F_AREA_ADD] = "INSERT INTO statement_focal_areas (statement_id,"
		       " focal_area_id) SELECT ?, id FROM focal_areas"
		       " WHERE slug = ?"
		       " ON CONFLICT (statement_id, focal_area_id) DO NOTHING",
};

struct db_sql statements_form_sql = {"statements_form", form_sql_text,
				     F__MAX, 0};

/* The fields of the form, as the model and the form name them. */
static const char *const form_names[] = {"title",  "summary", "body",
					 "occasion", "year", "un_body",
					 "party",  "closes_on", NULL};

static const char *
str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The rows of a statement without binds; NULL on a database error. */
static json_t *
rows_of(struct req *r, enum stmt_form s)
{
	struct db_stmt *st = db_stmt(r->db, &statements_form_sql, s);

	return st ? db_all_json(st) : NULL;
}

json_t *
statement_form_new(void)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[]}", "title", "",
			 "summary", "", "body", "", "occasion", "", "year", "",
			 "un_body", "", "party", "", "closes_on", "", "focal");
}

int
statement_form_choices(struct req *r, json_t *model, json_t *form, json_int_t id)
{
	json_t *bodies = rows_of(r, F_BODIES), *parties, *areas = NULL, *row;
	json_t *chosen = json_object_get(form, "focal"), *c;
	const char *body = str_of(form, "un_body"),
		   *party = str_of(form, "party");
	struct db_stmt *st;
	size_t i, k;

	if (bodies == NULL)
		return -1;
	if ((st = db_stmt(r->db, &statements_form_sql, F_AREAS)) != NULL) {
		db_bind_int(st, 1, id);
		areas = db_all_json(st);
	}
	if (areas == NULL || (parties = rows_of(r, F_PARTIES)) == NULL) {
		json_decref(bodies);
		json_decref(areas);
		return -1;
	}
	json_array_foreach (areas, i, row) {
		int on = 0;

		json_array_foreach (chosen, k, c)
			on |= json_equal(c, json_object_get(row, "slug"));
		json_object_set_new(row, "chosen", json_boolean(on));
	}
	json_object_set_new(model, "areas", areas);
	json_array_foreach (bodies, i, row)
		json_object_set_new(
			row, "selected",
			json_boolean(body && *body &&
				     json_integer_value(json_object_get(
					     row, "id")) == atoll(body)));
	json_array_foreach (parties, i, row)
		json_object_set_new(
			row, "selected",
			json_boolean(party && *party &&
				     json_integer_value(json_object_get(
					     row, "id")) == atoll(party)));
	json_object_set_new(model, "bodies", bodies);
	json_object_set_new(model, "parties", parties);
	return 0;
}

/* The focal areas of the form as sent: [slug]. */
static json_t *
areas_sent(struct req *r)
{
	const struct field_values *fv = req_values(r, "focal");
	json_t *out = json_array();

	for (size_t k = 0; fv && k < fv->n; k++)
		if (fv->v[k].present)
			json_array_append_new(out, json_string(fv->v[k].str));
	return out;
}

/* The focal areas of statement id as stored: [slug], or NULL. */
static json_t *
areas_stored(struct req *r, json_int_t id)
{
	struct db_stmt *st = db_stmt(r->db, &statements_form_sql, F_AREAS_OF);
	json_t *rows, *row, *out;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	out = json_array();
	json_array_foreach (rows, i, row)
		json_array_append(out, json_object_get(row, "slug"));
	json_decref(rows);
	return out;
}

/* Stores the focal areas of the form as statement id's, in the caller's
 * transaction (an unknown slug is no area); 0 or -1. */
static int
save_areas(struct req *r, json_int_t id)
{
	const struct field_values *fv = req_values(r, "focal");
	struct db_stmt *st = db_stmt(r->db, &statements_form_sql, F_AREAS_CLEAR);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if (db_run(st) != 0)
		return -1;
	for (size_t k = 0; fv && k < fv->n; k++) {
		if (!fv->v[k].present)
			continue;
		if ((st = db_stmt(r->db, &statements_form_sql, F_AREA_ADD)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, fv->v[k].str);
		if (db_run(st) != 0)
			return -1;
	}
	return 0;
}

json_t *
statement_form_sent(struct req *r)
{
	json_t *form = json_object();

	for (size_t i = 0; form_names[i]; i++) {
		const json_t *v = r->input ? json_object_get(r->input,
							     form_names[i])
					   : NULL;

		json_object_set_new(form, form_names[i],
				    json_string(json_is_string(v)
							? json_string_value(v)
							: ""));
	}
	json_object_set_new(form, "focal", areas_sent(r));
	return form;
}

json_t *
statement_form_stored(struct req *r, json_t *s)
{
	json_t *year = json_object_get(s, "year"),
	       *body = json_object_get(s, "un_body_id"),
	       *party = json_object_get(s, "party_id"),
	       *areas = areas_stored(r, json_integer_value(
						json_object_get(s, "id")));

	if (areas == NULL)
		return NULL;
	return json_pack(
		"{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:o}", "title",
		str_of(s, "title") ? str_of(s, "title") : "", "summary",
		str_of(s, "summary") ? str_of(s, "summary") : "", "body",
		str_of(s, "body_md") ? str_of(s, "body_md") : "", "occasion",
		str_of(s, "occasion") ? str_of(s, "occasion") : "", "year",
		json_is_integer(year)
			? json_sprintf("%lld",
				       (long long)json_integer_value(year))
			: json_string(""),
		"un_body",
		json_is_integer(body)
			? json_sprintf("%lld",
				       (long long)json_integer_value(body))
			: json_string(""),
		"party",
		json_is_integer(party)
			? json_sprintf("%lld",
				       (long long)json_integer_value(party))
			: json_string(""),
		"closes_on",
		str_of(s, "closes_on") ? str_of(s, "closes_on") : "",
		"focal", areas);
}

int
statement_form_check(struct req *r)
{
	static const struct {
		const char *field;
		enum stmt_form stmt;
		const char *message;
	} checks[] = {
		{"un_body", F_BODY, N_("Choose a UN body from the list.")},
		{"party", F_PARTY, N_("Choose a working party from the list.")},
	};

	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		const struct value *v = req_value(r, checks[i].field);
		struct db_stmt *st;
		int rc;

		if (!v->present)
			continue;
		if ((st = db_stmt(r->db, &statements_form_sql, checks[i].stmt)) == NULL)
			return -1;
		db_bind_int(st, 1, v->num);
		rc = db_step(st);
		db_reset(st);
		if (rc == DB_ERROR)
			return -1;
		if (rc == DB_DONE)
			req_error(r, checks[i].field, _(checks[i].message));
	}
	return 0;
}

/* Binds the form's values from title on, in the order of A_INSERT and
 * A_UPDATE, from bind i; the next bind. */
static int
bind_form(struct req *r, struct db_stmt *st, int i, int64_t party_id)
{
	const struct value *year = req_value(r, "year"),
			   *body = req_value(r, "un_body"),
			   *party = req_value(r, "party"),
			   *closes = req_value(r, "closes_on");
	static const char *const texts[] = {"title", "summary", "body",
					    "occasion"};

	for (size_t k = 0; k < ARRAY_LEN(texts); k++) {
		const struct value *v = req_value(r, texts[k]);

		db_bind_text(st, i++, v->present ? v->str : "");
	}
	if (year->present)
		db_bind_int(st, i++, year->num);
	else
		db_bind_null(st, i++);
	if (body->present)
		db_bind_int(st, i++, body->num);
	else
		db_bind_null(st, i++);
	if (party_id > 0)
		db_bind_int(st, i++, party_id);
	else if (party->present)
		db_bind_int(st, i++, party->num);
	else
		db_bind_null(st, i++);
	db_bind_text(st, i++, closes->present ? closes->str : NULL);
	return i;
}

/* The form as the audit log keeps it. */
static json_t *
form_audit(struct req *r)
{
	json_t *o = json_object();

	for (size_t i = 0; form_names[i]; i++) {
		const struct value *v = req_value(r, form_names[i]);

		json_object_set_new(o, form_names[i],
				    v->present ? json_string(v->str)
					       : json_null());
	}
	json_object_set_new(o, "focal", areas_sent(r));
	return o;
}

int
statement_form_insert(struct req *r, int64_t party, const char **slug)
{
	struct db_stmt *st;
	int64_t now = clock_now();
	int i;

	*slug = slug_new(r->db, r->arena, &statements_form_sql, F_SLUG_TAKEN,
			 0, req_value(r, "title")->str, "statement",
			 (const char *const[]){"new", NULL});
	if (*slug == NULL ||
	    (st = db_stmt(r->db, &statements_form_sql, F_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, *slug);
	i = bind_form(r, st, 2, party);
	db_bind_int(st, i++, r->person->id);
	db_bind_int(st, i++, now);
	db_bind_int(st, i, now);
	if (db_run(st) != 0 || save_areas(r, db_last_id(r->db)) != 0)
		return -1;
	return audit_record_new(r->db, r->person->id, "statement.draft",
				"statement", *slug, NULL, form_audit(r),
				r->client);
}

int
statement_form_update(struct req *r, json_t *s, int64_t party)
{
	json_int_t id = json_integer_value(json_object_get(s, "id"));
	json_t *before = statement_form_stored(r, s);
	struct db_stmt *st;
	int i;

	if (before == NULL)
		return -1;
	if ((st = db_stmt(r->db, &statements_form_sql, F_UPDATE)) == NULL) {
		json_decref(before);
		return -1;
	}
	i = bind_form(r, st, 1, party);
	db_bind_int(st, i++, clock_now());
	db_bind_int(st, i, id);
	if (db_run(st) != 0 || save_areas(r, id) != 0 ||
	    statement_index(r->db, id) != 0) {
		json_decref(before);
		return -1;
	}
	return audit_record_new(r->db, r->person->id, "statement.edit",
				"statement", str_of(s, "slug"), before,
				form_audit(r), r->client);
}

/* The fields both forms have. */
#define COMMON_FIELDS                                                          \
	{.name = "title", .type = FT_TEXT, .flags = FIELD_REQUIRED,            \
	 .maxlen = 200, .label = N_("Title")},                                 \
	{.name = "summary", .type = FT_TEXT, .maxlen = 400,                    \
	 .label = N_("Summary")},                                              \
	{.name = "body", .type = FT_TEXTAREA, .maxlen = 50000,                 \
	 .label = N_("Text of the statement")},                                \
	{.name = "occasion", .type = FT_TEXT, .maxlen = 300,                   \
	 .label = N_("Where it is delivered")},                                \
	{.name = "year", .type = FT_YEAR, .label = N_("Year")},                \
	{.name = "un_body", .type = FT_INT, .min = 1, .max = INT64_MAX,        \
	 .label = N_("UN body")},                                              \
	{.name = "closes_on", .type = FT_DATE,                                 \
	 .label = N_("Endorsements close on")},                                \
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI, .maxlen = 60, \
	 .label = N_("Focal areas")}

const struct field statement_fields[] = {
	COMMON_FIELDS,
	{.name = "party", .type = FT_INT, .min = 1, .max = INT64_MAX,
	 .label = N_("Working party")},
	{0},
};

/* A working party's own draft: no choice of party. */
const struct field statement_party_fields[] = {
	COMMON_FIELDS,
	{0},
};
