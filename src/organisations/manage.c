/*
 * manage.c -- see manage.h: the main contact (or an administrator) edits
 * an organisation; the permission rule and the lookup of :slug that
 * representatives.c shares.
 *
 * Access is the core's: each route names MANAGE_ACTION on the
 * organisation of :slug, and the rule registered here admits the holders
 * of the object role "main-contact" (administrators always pass).  So the
 * handlers only find the organisation (404 when there is none, which only
 * administrators can reach) and check the input.
 *
 * The POST is one write transaction: the name no other organisation has
 * is checked inside it, then the change (name_key folded as approval
 * does; the slug stays) and its audit record with what changed before
 * and after.  Bad input re-shows the form with the values and the
 * messages (422 as every form, or 409 for a name taken); success
 * redirects with a notice (?saved=1).  UN status fields are read from
 * administrators only; everyone else keeps the stored ones.
 */
#include "manage.h"

#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/countries.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"
#include "membership/membership.h"
#include "organisations/organisations_int.h"

enum stmt_manage {
	M_ORG,
	M_ORG_FOCAL,
	M_FOCAL_ALL,
	M_NAME_TAKEN,
	M_ORG_UPDATE,
	M_FOCAL_CLEAR,
	M_FOCAL_ADD,
	M_MANAGE__MAX,
};

static const char *const manage_sql_text[M_MANAGE__MAX] = {
	[M_ORG] = "SELECT id, slug, name, acronym, country, website,"
		  " description_md, contact_address, visibility, ecosoc_status,"
		  " ecosoc_year, dgc_associated, dgc_year"
		  " FROM organisations WHERE slug = ?",
	[M_ORG_FOCAL] = "SELECT fa.slug FROM organisation_focal_areas ff"
			" JOIN focal_areas fa ON fa.id = ff.focal_area_id"
			" WHERE ff.organisation_id = ? ORDER BY fa.position, fa.id",
	/* a retired area only when the organisation chose it already */
	[M_FOCAL_ALL] = "SELECT slug, name FROM focal_areas fa"
			" WHERE fa.retired_at IS NULL OR fa.id IN"
			" (SELECT focal_area_id FROM organisation_focal_areas"
			"  WHERE organisation_id = ?)"
			" ORDER BY position, id",
	[M_NAME_TAKEN] = "SELECT 1 FROM organisations"
			 " WHERE name_key = ? AND id <> ? LIMIT 1",
	[M_ORG_UPDATE] = "UPDATE organisations SET name = ?, name_key = ?,"
			 " acronym = ?, country = ?, website = ?,"
			 " description_md = ?, contact_address = ?,"
			 " visibility = ?, ecosoc_status = ?, ecosoc_year = ?,"
			 " dgc_associated = ?, dgc_year = ? WHERE id = ?",
	[M_FOCAL_CLEAR] = "DELETE FROM organisation_focal_areas"
			  " WHERE organisation_id = ?",
	[M_FOCAL_ADD] = "INSERT INTO organisation_focal_areas"
			" (organisation_id, focal_area_id)"
			" SELECT ?, id FROM focal_areas WHERE slug = ?"
			" ON CONFLICT DO NOTHING",
	/* the new main contact in, every other one out; rows that keep
	 * main_contact = 0 are not touched */
};

static struct db_sql manage_sql = {"members-manage", manage_sql_text,
				   M_MANAGE__MAX, 0};

static const struct auth_rule manage_rules[] = {
	{MANAGE_ACTION, ROLE_NONE, "main-contact"},
};

void
manage_init(void)
{
	auth_register_rules(manage_rules, ARRAY_LEN(manage_rules));
}

static const char *const visibility_texts[] = {
	N_("Anyone can find it in the directory and open its page, without "
	   "signing in."),
	N_("Only signed-in members of the Alliance see it in the directory; "
	   "visitors and search engines do not."),
	N_("It is not in the directory at all: only its own representatives "
	   "and the secretariat see it. Choose this when being known as a "
	   "member could put your staff or partners at risk.")};

static int
this_year(void)
{
	time_t t = (time_t)clock_now();
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* ---- reading ---- */

json_t *
manage_org_or_respond(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, M_ORG);
	json_t *org;

	if (st == NULL)
		goto failed;
	db_bind_text(st, 1, req_param(r, "slug"));
	if ((org = db_one_json(st)) == NULL)
		goto failed;
	if (json_is_null(org)) {
		json_decref(org);
		resp_error(w, 404,
			   _("There is no member organisation at this "
			     "address."));
		return NULL;
	}
	return org;
failed:
	resp_fail(r, w, NULL);
	return NULL;
}

/* Runs statement s with the integer a and gives its rows, or NULL on
 * error. */
static json_t *
rows_of(struct req *r, enum stmt_manage s, int64_t a)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, s);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, a);
	return db_all_json(st);
}

/* The focal area slugs of organisation id joined by commas ("" for none),
 * in r's arena; NULL on error. */
static const char *
org_focal_text(struct req *r, int64_t id)
{
	json_t *rows = rows_of(r, M_ORG_FOCAL, id), *row;
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	if (rows == NULL)
		return NULL;
	json_array_foreach (rows, i, row) {
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, membership_str(row, "slug"));
	}
	out = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	json_decref(rows);
	return out;
}

/* The focal areas chosen in the form, joined by commas, in r's arena. */
static const char *
form_focal_text(struct req *r)
{
	const struct field_values *fv = membership_multi(r, "focal");
	struct buf b = BUF_INIT;
	const char *out;

	for (size_t k = 0; fv && k < fv->n; k++) {
		if (!fv->v[k].present)
			continue;
		if (b.len)
			buf_putc(&b, ',');
		buf_puts(&b, fv->v[k].str);
	}
	out = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* 1 when slug is one of the comma-separated list. */
static int
in_list(const char *list, const char *slug)
{
	size_t n = strlen(slug);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && memcmp(p, slug, n) == 0)
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Options for radio buttons or a <select>: [{value, label, selected}] and,
 * with texts, a sentence each; labels and texts (marked with N_) in the
 * current language. */
static json_t *
choices(const char *const *values, const char *const *labels,
	const char *const *texts, const char *current)
{
	json_t *a = membership_options(values, labels, current);

	for (size_t i = 0; texts && values[i]; i++)
		json_object_set_new(json_array_get(a, i), "text",
				    json_string(_(texts[i])));
	return a;
}

/* ---- editing the organisation ---- */

/* What the form shows of org: its stored values as the form names them,
 * numbers as text. */
static json_t *
input_of_org(json_t *org)
{
	json_t *in = json_object();
	static const char *const same[] = {"name", "acronym", "country",
					   "website", "contact_address",
					   "visibility", "ecosoc_status"};

	for (size_t i = 0; i < ARRAY_LEN(same); i++)
		if (membership_str(org, same[i]))
			json_object_set_new(
				in, same[i],
				json_string(membership_str(org, same[i])));
	json_object_set_new(in, "description",
			    json_string(membership_str(org, "description_md")));
	if (membership_int(org, "ecosoc_year"))
		json_object_set_new(
			in, "ecosoc_year",
			json_sprintf("%lld", (long long)membership_int(
						     org, "ecosoc_year")));
	if (membership_int(org, "dgc_year"))
		json_object_set_new(
			in, "dgc_year",
			json_sprintf("%lld", (long long)membership_int(
						     org, "dgc_year")));
	return in;
}

/* The edit page's title, "Edit NAME", in the current language (in r's
 * arena). */
static const char *
edit_title(struct req *r, const char *name)
{
	struct buf b = BUF_INIT;
	const char *out;

	i18n_format(&b, _("Edit {name}"), "name", name, NULL);
	out = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/*
 * The edit form of org (borrowed): the stored values on a GET, what was
 * sent with the messages after a bad POST (status 422 or 409).  The UN
 * status is shown as text to whoever may not change it.
 */
static void
edit_page(struct req *r, struct resp *w, int status, json_t *org)
{
	int admin = r->person->role >= ROLE_ADMIN;
	int posted = r->method == HTTP_POST;
	json_t *in = posted && r->input ? json_deep_copy(r->input)
					: input_of_org(org);
	const char *chosen =
		posted ? form_focal_text(r)
		       : org_focal_text(r, membership_int(org, "id"));
	json_t *focal = rows_of(r, M_FOCAL_ALL, membership_int(org, "id")),
	       *row, *un, *model;
	size_t i;

	if (chosen == NULL || focal == NULL) {
		json_decref(in);
		json_decref(focal);
		return membership_read_failed(w);
	}
	json_array_foreach (focal, i, row)
		json_object_set_new(
			row, "chosen",
			json_boolean(
				in_list(chosen, membership_str(row, "slug"))));
	un = json_pack("{s:O?,s:O?,s:O?,s:O?}", "ecosoc_status",
		       json_object_get(org, "ecosoc_status"), "ecosoc_year",
		       json_object_get(org, "ecosoc_year"), "dgc_associated",
		       json_object_get(org, "dgc_associated"), "dgc_year",
		       json_object_get(org, "dgc_year"));
	organisations_add_un_status(un);
	model = json_pack(
		"{s:{s:O,s:O},s:o,s:o,s:o,s:o,s:b,s:b,s:o,s:b,s:i}",
		"organisation", "slug", json_object_get(org, "slug"), "name",
		json_object_get(org, "name"), "input", in, "focal_areas", focal,
		"visibility_options",
		choices(organisations_visibility_values,
			organisations_visibility_labels, visibility_texts,
			membership_str(in, "visibility")),
		"ecosoc_options",
		choices(organisations_ecosoc_values, organisations_ecosoc_labels, NULL,
			membership_str(in, "ecosoc_status")),
		"is_admin", admin, "dgc_checked",
		posted ? req_value(r, "dgc_associated")->num == 1
		       : membership_int(org, "dgc_associated") == 1,
		"un_status_text", json_incref(json_object_get(un, "un_status_text")),
		"saved", !posted && req_value(r, "saved")->num == 1,
		"year_now", this_year());
	/* its page answers only when it is listed (no link to a 404 for
	 * one imported without a membership); a failed read: no link */
	json_object_set_new(json_object_get(model, "organisation"), "listed",
			    json_boolean(organisations_listed(
						 r->db, membership_int(org, "id")) ==
					 1));
	json_decref(un);
	json_object_set_new(model, "country_chooser",
			    countries_chooser(membership_str(in, "country"),
					      COUNTRY_REQUIRED));
	membership_add_errors(r, model);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "organisations/templates/manage_edit.html",
		  edit_title(r, membership_str(org, "name")), model);
}

static void
edit_form(struct req *r, struct resp *w)
{
	json_t *org = manage_org_or_respond(r, w);

	if (org == NULL)
		return;
	edit_page(r, w, 200, org);
	json_decref(org);
}

/* The focal areas sent must be listed ones (for organisation org: a
 * retired one only when it had it).  0, or -1 on error. */
static int
check_focal(struct req *r, int64_t org)
{
	const char *sent = form_focal_text(r);
	json_t *known = rows_of(r, M_FOCAL_ALL, org), *row;
	struct buf all = BUF_INIT;
	size_t i;

	if (known == NULL)
		return -1;
	json_array_foreach (known, i, row) {
		buf_puts(&all, membership_str(row, "slug"));
		buf_putc(&all, ',');
	}
	for (const char *p = sent; *p;) {
		size_t len = strcspn(p, ",");
		const char *slug = arena_strndup(r->arena, p, len);

		if (!in_list(buf_cstr(&all), slug))
			membership_add_error(r, "focal",
					     _("Focal areas: choose among the "
					       "listed ones"));
		p += len;
		if (*p == ',')
			p++;
	}
	buf_free(&all);
	json_decref(known);
	return 0;
}

/* An administrator's UN status: a year only with what it dates, and
 * neither year in the future. */
static void
check_un_status(struct req *r)
{
	const struct value *ey = req_value(r, "ecosoc_year");
	const struct value *dy = req_value(r, "dgc_year");
	int year = this_year();

	if (ey->present && !req_value(r, "ecosoc_status")->present)
		membership_add_error(r, "ecosoc_year",
				     _("Year ECOSOC status was granted: choose "
				       "the status too, or leave the year "
				       "empty"));
	else if (ey->present && ey->num > year)
		membership_add_error(r, "ecosoc_year",
				     _("Year ECOSOC status was granted cannot "
				       "be in the future"));
	if (dy->present && req_value(r, "dgc_associated")->num != 1)
		membership_add_error(r, "dgc_year",
				     _("Year of association with the DGC: tick "
				       "the association too, or leave the year "
				       "empty"));
	else if (dy->present && dy->num > year)
		membership_add_error(
			r, "dgc_year",
			_("Year of association with the DGC cannot "
			  "be in the future"));
}

/* The organisation's fields as the audit records them; json_null for an
 * absent one.  Integers stay integers. */
static json_t *
org_record(const char *name, const char *acronym, const char *country,
	   const char *website, const char *description, const char *address,
	   const char *visibility, const char *ecosoc, int64_t ecosoc_year,
	   int64_t dgc, int64_t dgc_year, const char *focal)
{
	return json_pack("{s:s,s:s,s:s?,s:s?,s:s,s:s,s:s,s:s?,s:o,s:b,s:o,s:s}",
			 "name", name, "acronym", acronym, "country", country,
			 "website", website, "description", description,
			 "contact_address", address, "visibility", visibility,
			 "ecosoc_status", ecosoc, "ecosoc_year",
			 ecosoc_year ? json_integer(ecosoc_year) : json_null(),
			 "dgc_associated", dgc != 0, "dgc_year",
			 dgc_year ? json_integer(dgc_year) : json_null(),
			 "focal_areas", focal);
}

/* Removes from before and after the keys whose values are equal, so the
 * audit record shows what changed. */
static void
keep_changes(json_t *before, json_t *after)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe (before, tmp, key, v)
		if (json_equal(v, json_object_get(after, key))) {
			json_object_del(after, key);
			json_object_del(before, key);
		}
}

/* Writes the organisation's new values (after, as org_record made it) and
 * focal areas.  0 or -1. */
static int
write_org(struct req *r, int64_t id, json_t *after)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, M_ORG_UPDATE);
	const char *focal = membership_str(after, "focal_areas");

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, membership_str(after, "name"));
	db_bind_text(
		st, 2,
		organisations_folded(r->arena, membership_str(after, "name")));
	db_bind_text(st, 3, membership_str(after, "acronym"));
	db_bind_text(st, 4, membership_str(after, "country"));
	db_bind_text(st, 5, membership_str(after, "website"));
	db_bind_text(st, 6, membership_str(after, "description"));
	db_bind_text(st, 7, membership_str(after, "contact_address"));
	db_bind_text(st, 8, membership_str(after, "visibility"));
	db_bind_text(st, 9, membership_str(after, "ecosoc_status"));
	if (membership_int(after, "ecosoc_year"))
		db_bind_int(st, 10, membership_int(after, "ecosoc_year"));
	else
		db_bind_null(st, 10);
	db_bind_int(st, 11, json_is_true(json_object_get(after, "dgc_associated")));
	if (membership_int(after, "dgc_year"))
		db_bind_int(st, 12, membership_int(after, "dgc_year"));
	else
		db_bind_null(st, 12);
	db_bind_int(st, 13, id);
	if (db_run(st) != 0 ||
	    (st = db_stmt(r->db, &manage_sql, M_FOCAL_CLEAR)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if (db_run(st) != 0)
		return -1;
	for (const char *p = focal; *p;) {
		size_t len = strcspn(p, ",");

		if ((st = db_stmt(r->db, &manage_sql, M_FOCAL_ADD)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_textn(st, 2, p, len);
		if (db_run(st) != 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The text of field name, or "" when it was not given. */
static const char *
text_or_empty(const struct req *r, const char *name)
{
	const char *s = membership_value_or_null(r, name);

	return s ? s : "";
}

/* Whether another organisation (of any visibility) already has name
 * under its folded form: 1, 0, or -1 on error. */
static int
name_taken(struct req *r, const char *name, int64_t id)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, M_NAME_TAKEN);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, organisations_folded(r->arena, name));
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return -1;
	db_reset(st);
	return 1;
}

/* POST /members/:slug/edit */
static void
edit_save(struct req *r, struct resp *w)
{
	json_t *org = manage_org_or_respond(r, w);
	json_t *before = NULL, *after = NULL;
	int admin = r->person->role >= ROLE_ADMIN;
	int64_t id;
	const char *old_focal;
	int taken;

	if (org == NULL)
		return;
	id = membership_int(org, "id");
	if (check_focal(r, id) != 0)
		goto fail;
	if (admin)
		check_un_status(r);
	if (r->errors) {
		edit_page(r, w, 422, org);
		goto done;
	}
	if (db_begin(r->db) != 0)
		goto fail;
	if ((taken = name_taken(r, req_value(r, "name")->str, id)) < 0)
		goto fail;
	if (taken) {
		/* the same words for every taken name: the other one may be
		 * hidden, and nothing of it is shown */
		db_rollback(r->db);
		membership_add_error(
			r, "name",
			_("Name: another organisation already uses "
			  "this name; choose another or contact the "
			  "secretariat"));
		edit_page(r, w, 409, org);
		goto done;
	}
	if ((old_focal = org_focal_text(r, id)) == NULL)
		goto fail;
	before = org_record(
		membership_str(org, "name"), membership_str(org, "acronym"),
		membership_str(org, "country"), membership_str(org, "website"),
		membership_str(org, "description_md"),
		membership_str(org, "contact_address"),
		membership_str(org, "visibility"),
		membership_str(org, "ecosoc_status"),
		membership_int(org, "ecosoc_year"),
		membership_int(org, "dgc_associated"),
		membership_int(org, "dgc_year"), old_focal);
	/* only administrators change the UN status: others keep it */
	after = org_record(
		req_value(r, "name")->str, text_or_empty(r, "acronym"),
		membership_value_or_null(r, "country"),
		membership_value_or_null(r, "website"),
		text_or_empty(r, "description"),
		text_or_empty(r, "contact_address"),
		req_value(r, "visibility")->str,
		admin ? membership_value_or_null(r, "ecosoc_status")
		      : membership_str(org, "ecosoc_status"),
		admin ? req_value(r, "ecosoc_year")->num
		      : membership_int(org, "ecosoc_year"),
		admin ? req_value(r, "dgc_associated")->num
		      : membership_int(org, "dgc_associated"),
		admin ? req_value(r, "dgc_year")->num
		      : membership_int(org, "dgc_year"),
		form_focal_text(r));
	if (write_org(r, id, after) != 0)
		goto fail;
	keep_changes(before, after);
	if (audit_record(r->db, r->person->id, "organisation.edit",
			 "organisation", membership_id_text(r->arena, id),
			 before, after, r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena, "/members/%s/edit?saved=1",
				      membership_str(org, "slug")));
	goto done;
fail:
	resp_fail(r, w, NULL);
done:
	json_decref(before);
	json_decref(after);
	json_decref(org);
}

/* ---- routes ---- */

static const struct field edit_form_fields[] = {
	{.name = "saved", .type = FT_BOOL},
	{0},
};

static const struct field edit_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Name")},
	{.name = "acronym", .type = FT_TEXT, .maxlen = 30,
	 .label = N_("Acronym")},
	{.name = "country", .type = FT_COUNTRY, .flags = FIELD_REQUIRED,
	 .label = N_("Country")},
	{.name = "website", .type = FT_URL, .maxlen = 300,
	 .label = N_("Website")},
	{.name = "description", .type = FT_TEXTAREA, .maxlen = 5000,
	 .label = N_("What the organisation does")},
	{.name = "contact_address", .type = FT_TEXTAREA, .maxlen = 1000,
	 .label = N_("Postal address")},
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI, .maxlen = 60,
	 .label = N_("Focal areas")},
	{.name = "visibility", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = organisations_visibility_values,
	 .label = N_("Directory visibility")},
	/* administrators only; ignored for everyone else */
	{.name = "ecosoc_status", .type = FT_CHOICE, .choices = organisations_ecosoc_values,
	 .label = N_("ECOSOC consultative status")},
	{.name = "ecosoc_year", .type = FT_YEAR, .min = 1946, .max = 2100,
	 .label = N_("Year ECOSOC status was granted")},
	{.name = "dgc_associated", .type = FT_BOOL,
	 .label = N_("Association with the Department of Global "
		     "Communications")},
	{.name = "dgc_year", .type = FT_YEAR, .min = 1946, .max = 2100,
	 .label = N_("Year of association with the DGC")},
	{0},
};

static const struct route manage_routes[] = {
	MANAGE_ROUTE(HTTP_GET, "/members/:slug/edit", edit_form_fields, edit_form,
	             ROUTE_FORM | ROUTE_PERSONAL,
	             "The main contact edits the organisation's details and "
	             "visibility"),
	MANAGE_ROUTE(HTTP_POST, "/members/:slug/edit", edit_fields, edit_save,
	             ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	             "Saves the organisation's details (UN status: admins only)"),
};

const struct module manage_module = {
	.name = "manage",
	.routes = manage_routes,
	.nroutes = ARRAY_LEN(manage_routes),
	.sql = &manage_sql,
	.init = manage_init,
};
