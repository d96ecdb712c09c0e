/*
 * manage.c -- see manage.h: the main contact (or an administrator) edits
 * an organisation and manages its representatives.
 *
 * Access is the core's: each route names MANAGE_ACTION on the
 * organisation of :slug, and the rule registered here admits the holders
 * of the object role "main-contact" (administrators always pass).  So the
 * handlers only find the organisation (404 when there is none, which only
 * administrators can reach) and check the input.
 *
 * Each POST is one write transaction: the rules between rows (one main
 * representative per UN post, never without a main contact, a name no
 * other organisation has) are checked inside it, then the change, its
 * audit record and the mail to the person it concerns; any failure rolls
 * all of it back.  Bad input re-shows the page with the values and the
 * messages (400, or 409 for a rule between rows); success redirects with
 * a notice (?saved=1, ?done=...).
 */
#include "manage.h"

#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/util.h"
#include "members/approve.h"
#include "members/directory.h"
#include "members/join.h"
#include "members/members.h"

enum stmt_manage {
	M_ORG,
	M_ORG_FOCAL,
	M_FOCAL_ALL,
	M_NAME_TAKEN,
	M_ORG_UPDATE,
	M_FOCAL_CLEAR,
	M_FOCAL_ADD,
	M_REPS,
	M_REP,
	M_REP_INSERT,
	M_REP_POST,
	M_MAIN_AT_POST,
	M_OTHER_MAINS,
	M_REP_DELETE,
	M_HANDOVER,
	M_MAINS,
	M_MANAGE__MAX,
};

#define REP_COLS                                                          \
	"SELECT p.id, p.name, p.email, r.main_contact, r.un_post, r.un_rank," \
	" CASE WHEN p.password_hash IS NULL THEN 1 ELSE 0 END AS pending"    \
	" FROM representatives r JOIN people p ON p.id = r.person_id"        \
	" WHERE r.organisation_id = ?"

static const char *const manage_sql_text[M_MANAGE__MAX] = {
	[M_ORG] = "SELECT id, slug, name, acronym, country, website,"
		  " description_md, contact_address, visibility, ecosoc_status,"
		  " ecosoc_year, dgc_associated, dgc_year"
		  " FROM organisations WHERE slug = ?",
	[M_ORG_FOCAL] = "SELECT fa.slug FROM organisation_focal_areas ff"
			" JOIN focal_areas fa ON fa.id = ff.focal_area_id"
			" WHERE ff.organisation_id = ? ORDER BY fa.position, fa.id",
	[M_FOCAL_ALL] = "SELECT slug, name FROM focal_areas"
			" ORDER BY position, id",
	[M_NAME_TAKEN] = "SELECT name FROM organisations"
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
	[M_REPS] = REP_COLS " ORDER BY r.main_contact DESC, p.name, p.id",
	[M_REP] = REP_COLS " AND r.person_id = ?",
	[M_REP_INSERT] = "INSERT INTO representatives (organisation_id,"
			 " person_id, main_contact) VALUES (?, ?, 0)",
	[M_REP_POST] = "UPDATE representatives SET un_post = ?, un_rank = ?"
		       " WHERE organisation_id = ? AND person_id = ?",
	[M_MAIN_AT_POST] = "SELECT p.name FROM representatives r"
			   " JOIN people p ON p.id = r.person_id"
			   " WHERE r.organisation_id = ? AND r.un_post = ?"
			   " AND r.un_rank = 'main' AND r.person_id <> ?"
			   " LIMIT 1",
	[M_OTHER_MAINS] = "SELECT count(*) FROM representatives"
			  " WHERE organisation_id = ? AND main_contact <> 0"
			  " AND person_id <> ?",
	[M_REP_DELETE] = "DELETE FROM representatives"
			 " WHERE organisation_id = ? AND person_id = ?",
	/* the new main contact in, every other one out; rows that keep
	 * main_contact = 0 are not touched */
	[M_HANDOVER] = "UPDATE representatives SET main_contact ="
		       " CASE WHEN person_id = ?2 THEN 1 ELSE 0 END"
		       " WHERE organisation_id = ?1"
		       " AND (person_id = ?2 OR main_contact <> 0)",
	[M_MAINS] = "SELECT p.id, p.name, p.email FROM representatives r"
		    " JOIN people p ON p.id = r.person_id"
		    " WHERE r.organisation_id = ? AND r.main_contact <> 0"
		    " ORDER BY p.id",
};

static struct db_sql manage_sql = {"members-manage", manage_sql_text,
				   M_MANAGE__MAX, 0};

static const struct auth_rule manage_rules[] = {
	{MANAGE_ACTION, ROLE_NONE, "main-contact"},
};

void
members_manage_init(void)
{
	auth_register_rules(manage_rules, ARRAY_LEN(manage_rules));
}

static const char *const visibility_values[] = {"public", "members",
						"hidden", NULL};
static const char *const visibility_labels[] = {"Public", "Members only",
						"Hidden"};
static const char *const visibility_texts[] = {
	"Anyone can find it in the directory and open its page, without "
	"signing in.",
	"Only signed-in members of the Alliance see it in the directory; "
	"visitors and search engines do not.",
	"It is not in the directory at all: only its own representatives and "
	"the secretariat see it. Choose this when being known as a member "
	"could put your staff or partners at risk."};
static const char *const ecosoc_values[] = {"general", "special", "roster",
					    NULL};
static const char *const ecosoc_labels[] = {"General", "Special", "Roster"};
static const char *const post_values[] = {"vienna", "new-york", "geneva",
					  NULL};
static const char *const post_labels[] = {"Vienna", "New York", "Geneva"};
static const char *const rank_values[] = {"main", "alternate", NULL};
static const char *const rank_labels[] = {"Main representative",
					  "Alternate"};
static const char *const done_values[] = {"invited", "post", "removed",
					  "main-contact", NULL};
static const char *const done_texts[] = {
	"The invitation is sent: the new representative gets a link by "
	"e-mail to sign in.",
	"The UN post is saved; the representative is told by e-mail.",
	"The representative is removed and told by e-mail.",
	"The role of main contact is handed over; both of you are told by "
	"e-mail."};

static int
this_year(void)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* ---- reading ---- */

/*
 * The organisation of :slug as a row (owned by the caller), or NULL when
 * the answer is given: 404 when there is none, 500 on error.  Inside a
 * transaction, a failure rolls it back.
 */
static json_t *
org_or_respond(struct req *r, struct resp *w)
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
		resp_error(w, 404, "There is no member organisation at this "
				   "address.");
		return NULL;
	}
	return org;
failed:
	members_fail(r, w);
	return NULL;
}

/* Runs statement s with the integer a (and b when s takes two) and gives
 * its rows, or NULL on error. */
static json_t *
rows_of(struct req *r, enum stmt_manage s, int64_t a, int64_t b)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, s);

	if (st == NULL)
		return NULL;
	if (s != M_FOCAL_ALL)
		db_bind_int(st, 1, a);
	if (s == M_REP)
		db_bind_int(st, 2, b);
	return db_all_json(st);
}

/* The first integer column of statement s on (a, b); -1 on error. */
static int64_t
count_of(struct req *r, enum stmt_manage s, int64_t a, int64_t b)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, s);
	int64_t n;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	if (db_step(st) != DB_ROW)
		return -1;
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/* The focal area slugs of organisation id joined by commas ("" for none),
 * in r's arena; NULL on error. */
static const char *
org_focal_text(struct req *r, int64_t id)
{
	json_t *rows = rows_of(r, M_ORG_FOCAL, id, 0), *row;
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	if (rows == NULL)
		return NULL;
	json_array_foreach (rows, i, row) {
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, members_str(row, "slug"));
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
	const struct field_values *fv = members_multi(r, "focal");
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
 * with texts, a sentence each. */
static json_t *
choices(const char *const *values, const char *const *labels,
	const char *const *texts, const char *current)
{
	json_t *a = members_options(values, labels, current);

	for (size_t i = 0; texts && values[i]; i++)
		json_object_set_new(json_array_get(a, i), "text",
				    json_string(texts[i]));
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
		if (members_str(org, same[i]))
			json_object_set_new(in, same[i],
					    json_string(members_str(org, same[i])));
	json_object_set_new(in, "description",
			    json_string(members_str(org, "description_md")));
	if (members_int(org, "ecosoc_year"))
		json_object_set_new(in, "ecosoc_year",
				    json_sprintf("%lld", (long long)members_int(
								 org, "ecosoc_year")));
	if (members_int(org, "dgc_year"))
		json_object_set_new(in, "dgc_year",
				    json_sprintf("%lld", (long long)members_int(
								 org, "dgc_year")));
	return in;
}

/*
 * The edit form of org (borrowed): the stored values on a GET, what was
 * sent with the messages after a bad POST (status 400 or 409).  The UN
 * status is shown as text to whoever may not change it.
 */
static void
edit_page(struct req *r, struct resp *w, int status, json_t *org)
{
	int admin = r->person->role >= ROLE_ADMIN;
	int posted = r->method == HTTP_POST;
	json_t *in = posted && r->input ? json_deep_copy(r->input)
					: input_of_org(org);
	const char *chosen = posted ? form_focal_text(r)
				    : org_focal_text(r, members_int(org, "id"));
	json_t *focal = rows_of(r, M_FOCAL_ALL, 0, 0), *row, *un, *model;
	size_t i;

	if (chosen == NULL || focal == NULL) {
		json_decref(in);
		json_decref(focal);
		return members_read_failed(w);
	}
	json_array_foreach (focal, i, row)
		json_object_set_new(row, "chosen",
				    json_boolean(in_list(chosen,
							 members_str(row, "slug"))));
	un = json_pack("{s:O?,s:O?,s:O?,s:O?}", "ecosoc_status",
		       json_object_get(org, "ecosoc_status"), "ecosoc_year",
		       json_object_get(org, "ecosoc_year"), "dgc_associated",
		       json_object_get(org, "dgc_associated"), "dgc_year",
		       json_object_get(org, "dgc_year"));
	directory_add_un_status(un);
	model = json_pack(
		"{s:{s:O,s:O},s:o,s:o,s:o,s:o,s:b,s:b,s:o,s:b,s:i}",
		"organisation", "slug", json_object_get(org, "slug"), "name",
		json_object_get(org, "name"), "input", in, "focal_areas", focal,
		"visibility_options",
		choices(visibility_values, visibility_labels, visibility_texts,
			members_str(in, "visibility")),
		"ecosoc_options",
		choices(ecosoc_values, ecosoc_labels, NULL,
			members_str(in, "ecosoc_status")),
		"is_admin", admin, "dgc_checked",
		posted ? req_value(r, "dgc_associated")->num == 1
		       : members_int(org, "dgc_associated") == 1,
		"un_status_text", json_incref(json_object_get(un, "un_status_text")),
		"saved", !posted && req_value(r, "saved")->num == 1,
		"year_now", this_year());
	json_decref(un);
	members_add_errors(r, model);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "members/templates/manage_edit.html",
		  arena_printf(r->arena, "Edit %s", members_str(org, "name")),
		  model);
}

static void
edit_form(struct req *r, struct resp *w)
{
	json_t *org = org_or_respond(r, w);

	if (org == NULL)
		return;
	edit_page(r, w, 200, org);
	json_decref(org);
}

/* The focal areas sent must be listed ones.  0, or -1 on error. */
static int
check_focal(struct req *r)
{
	const char *sent = form_focal_text(r);
	json_t *known = rows_of(r, M_FOCAL_ALL, 0, 0), *row;
	struct buf all = BUF_INIT;
	size_t i;

	if (known == NULL)
		return -1;
	json_array_foreach (known, i, row) {
		buf_puts(&all, members_str(row, "slug"));
		buf_putc(&all, ',');
	}
	for (const char *p = sent; *p;) {
		size_t len = strcspn(p, ",");
		const char *slug = arena_strndup(r->arena, p, len);

		if (!in_list(buf_cstr(&all), slug))
			members_add_error(r, "focal",
					  "Focal areas: choose among the "
					  "listed ones");
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
		members_add_error(r, "ecosoc_year",
				  "Year ECOSOC status was granted: choose the "
				  "status too, or leave the year empty");
	else if (ey->present && ey->num > year)
		members_add_error(r, "ecosoc_year",
				  "Year ECOSOC status was granted cannot be in "
				  "the future");
	if (dy->present && req_value(r, "dgc_associated")->num != 1)
		members_add_error(r, "dgc_year",
				  "Year of association with the DGC: tick the "
				  "association too, or leave the year empty");
	else if (dy->present && dy->num > year)
		members_add_error(r, "dgc_year",
				  "Year of association with the DGC cannot be "
				  "in the future");
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

/* Binds text or NULL. */
static void
bind_or_null(struct db_stmt *st, int i, const char *s)
{
	if (s)
		db_bind_text(st, i, s);
	else
		db_bind_null(st, i);
}

/* Writes the organisation's new values (after, as org_record made it) and
 * focal areas.  0 or -1. */
static int
write_org(struct req *r, int64_t id, json_t *after)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, M_ORG_UPDATE);
	const char *focal = members_str(after, "focal_areas");

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, members_str(after, "name"));
	db_bind_text(st, 2, members_folded(r->arena, members_str(after, "name")));
	db_bind_text(st, 3, members_str(after, "acronym"));
	bind_or_null(st, 4, members_str(after, "country"));
	bind_or_null(st, 5, members_str(after, "website"));
	db_bind_text(st, 6, members_str(after, "description"));
	db_bind_text(st, 7, members_str(after, "contact_address"));
	db_bind_text(st, 8, members_str(after, "visibility"));
	bind_or_null(st, 9, members_str(after, "ecosoc_status"));
	if (members_int(after, "ecosoc_year"))
		db_bind_int(st, 10, members_int(after, "ecosoc_year"));
	else
		db_bind_null(st, 10);
	db_bind_int(st, 11, json_is_true(json_object_get(after, "dgc_associated")));
	if (members_int(after, "dgc_year"))
		db_bind_int(st, 12, members_int(after, "dgc_year"));
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
	const char *s = members_value_or_null(r, name);

	return s ? s : "";
}

/* The name another organisation already has under the folded form of
 * name, in r's arena; "" when none has; NULL on error. */
static const char *
name_taken(struct req *r, const char *name, int64_t id)
{
	struct db_stmt *st = db_stmt(r->db, &manage_sql, M_NAME_TAKEN);
	const char *other;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, members_folded(r->arena, name));
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_DONE)
		return "";
	if (rc != DB_ROW)
		return NULL;
	other = arena_strdup(r->arena, db_col_text(st, 0));
	db_reset(st);
	return other;
}

/* POST /members/:slug/edit */
static void
edit_save(struct req *r, struct resp *w)
{
	json_t *org = org_or_respond(r, w), *before = NULL, *after = NULL;
	int admin = r->person->role >= ROLE_ADMIN;
	int64_t id;
	const char *taken, *old_focal;

	if (org == NULL)
		return;
	id = members_int(org, "id");
	if (check_focal(r) != 0)
		goto fail;
	if (admin)
		check_un_status(r);
	if (r->errors) {
		edit_page(r, w, 400, org);
		goto done;
	}
	if (db_begin(r->db) != 0)
		goto fail;
	if ((taken = name_taken(r, req_value(r, "name")->str, id)) == NULL)
		goto fail;
	if (*taken) {
		db_rollback(r->db);
		members_add_error(r, "name",
				  arena_printf(r->arena,
					       "Name: another member organisation "
					       "is already called %s",
					       taken));
		edit_page(r, w, 409, org);
		goto done;
	}
	if ((old_focal = org_focal_text(r, id)) == NULL)
		goto fail;
	before = org_record(members_str(org, "name"), members_str(org, "acronym"),
			    members_str(org, "country"),
			    members_str(org, "website"),
			    members_str(org, "description_md"),
			    members_str(org, "contact_address"),
			    members_str(org, "visibility"),
			    members_str(org, "ecosoc_status"),
			    members_int(org, "ecosoc_year"),
			    members_int(org, "dgc_associated"),
			    members_int(org, "dgc_year"), old_focal);
	/* only administrators change the UN status: others keep it */
	after = org_record(
		req_value(r, "name")->str, text_or_empty(r, "acronym"),
		members_value_or_null(r, "country"),
		members_value_or_null(r, "website"),
		text_or_empty(r, "description"),
		text_or_empty(r, "contact_address"),
		req_value(r, "visibility")->str,
		admin ? members_value_or_null(r, "ecosoc_status")
		      : members_str(org, "ecosoc_status"),
		admin ? req_value(r, "ecosoc_year")->num
		      : members_int(org, "ecosoc_year"),
		admin ? req_value(r, "dgc_associated")->num
		      : members_int(org, "dgc_associated"),
		admin ? req_value(r, "dgc_year")->num
		      : members_int(org, "dgc_year"),
		form_focal_text(r));
	if (write_org(r, id, after) != 0)
		goto fail;
	keep_changes(before, after);
	if (audit_record(r->db, r->person->id, "organisation.edit",
			 "organisation", members_id_text(r->arena, id), before,
			 after, r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena, "/members/%s/edit?saved=1",
				      members_str(org, "slug")));
	goto done;
fail:
	members_fail(r, w);
done:
	json_decref(before);
	json_decref(after);
	json_decref(org);
}

/* ---- the representatives ---- */

/*
 * The list of org's representatives with their forms, the invitation
 * form (refilled with what was sent when refill), and message, a
 * sentence on what could not be done, or NULL.
 */
static void
reps_page(struct req *r, struct resp *w, int status, json_t *org,
	  const char *message, int refill)
{
	json_t *reps = rows_of(r, M_REPS, members_int(org, "id"), 0), *rep;
	json_t *model;
	const struct value *done = req_value(r, "done");
	const char *notice = NULL;
	size_t i, mains = 0;

	if (reps == NULL)
		return members_read_failed(w);
	json_array_foreach (reps, i, rep)
		mains += members_int(rep, "main_contact") != 0;
	json_array_foreach (reps, i, rep) {
		int main = members_int(rep, "main_contact") != 0;

		directory_add_rep_post(rep);
		json_object_set_new(rep, "post_options",
				    members_options(post_values, post_labels,
						    members_str(rep, "un_post")));
		json_object_set_new(rep, "rank_options",
				    members_options(rank_values, rank_labels,
						    members_str(rep, "un_rank")));
		json_object_set_new(rep, "may_remove",
				    json_boolean(!main || mains > 1));
		json_object_set_new(rep, "is_me",
				    json_boolean(members_int(rep, "id") ==
						 r->person->id));
	}
	for (size_t k = 0; r->method == HTTP_GET && done->present &&
			   done_values[k];
	     k++)
		if (strcmp(done->str, done_values[k]) == 0)
			notice = done_texts[k];
	model = json_pack("{s:{s:O,s:O},s:o,s:s?,s:s?}", "organisation", "slug",
			  json_object_get(org, "slug"), "name",
			  json_object_get(org, "name"), "representatives", reps,
			  "notice", notice, "message", message);
	if (refill && r->input)
		json_object_set(model, "input", r->input);
	members_add_errors(r, model);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "members/templates/manage_reps.html",
		  arena_printf(r->arena, "Representatives of %s",
			       members_str(org, "name")),
		  model);
}

static void
reps_list(struct req *r, struct resp *w)
{
	json_t *org = org_or_respond(r, w);

	if (org == NULL)
		return;
	reps_page(r, w, 200, org, NULL, 0);
	json_decref(org);
}

/* Redirects to the representatives page with a notice. */
static void
reps_done(struct req *r, struct resp *w, json_t *org, const char *done)
{
	resp_redirect(w, arena_printf(r->arena,
				      "/members/%s/representatives?done=%s",
				      members_str(org, "slug"), done));
}

/* The representative :id of org in the open transaction: the row (owned),
 * or NULL when the answer is given (404, or 500 rolled back). */
static json_t *
rep_or_respond(struct req *r, struct resp *w, json_t *org)
{
	int64_t pid = members_param_id(r);
	json_t *rows = pid > 0 ? rows_of(r, M_REP, members_int(org, "id"), pid)
			       : json_array();
	json_t *rep;

	if (rows == NULL) {
		members_fail(r, w);
		return NULL;
	}
	rep = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (rep == NULL) {
		db_rollback(r->db);
		resp_error(w, 404, "This person is not a representative of the "
				   "organisation.");
	}
	return rep;
}

/* Mails rep (a representatives row: name, email). 0 or -1. */
static int
tell(struct req *r, json_t *rep, const char *subject, const char *body)
{
	return join_send_mail(r->db, members_str(rep, "email"),
			      members_str(rep, "name"), subject, body);
}

/* POST /members/:slug/representatives -- invite someone by name and
 * e-mail: the person is linked or made as approval does, becomes a
 * representative and gets a one-time sign-in link. */
static void
rep_invite(struct req *r, struct resp *w)
{
	json_t *org = org_or_respond(r, w), *rows = NULL;
	const char *email, *name, *orgname;
	int64_t oid, pid;

	if (org == NULL)
		return;
	if (r->errors) {
		reps_page(r, w, 400, org, NULL, 1);
		goto done;
	}
	oid = members_int(org, "id");
	orgname = members_str(org, "name");
	email = join_normal_email(r->arena, req_value(r, "email")->str);
	name = req_value(r, "name")->str;
	if (db_begin(r->db) != 0 ||
	    members_person_for(r, email, name, NULL, &pid) != 0 ||
	    (rows = rows_of(r, M_REP, oid, pid)) == NULL)
		goto fail;
	if (json_array_size(rows) > 0) {
		db_rollback(r->db);
		members_add_error(r, "email",
				  arena_printf(r->arena,
					       "E-mail: %s already represents %s",
					       email, orgname));
		reps_page(r, w, 409, org, NULL, 1);
		goto done;
	}
	{
		struct db_stmt *st = db_stmt(r->db, &manage_sql, M_REP_INSERT);

		if (st == NULL)
			goto fail;
		db_bind_int(st, 1, oid);
		db_bind_int(st, 2, pid);
		if (db_run(st) != 0)
			goto fail;
	}
	if (audit_record_new(r->db, r->person->id, "representative.add",
			     "organisation", members_id_text(r->arena, oid),
			     NULL,
			     json_pack("{s:I,s:s,s:s}", "person", (json_int_t)pid,
				       "email", email, "name", name),
			     r->client) != 0 ||
	    members_invite(r, pid, email, name,
			   arena_printf(r->arena, "You are invited to represent %s",
					orgname),
			   arena_printf(r->arena,
					"%s has added you to the representatives "
					"of %s in the Alliance.",
					r->person->name, orgname)) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	reps_done(r, w, org, "invited");
	goto done;
fail:
	members_fail(r, w);
done:
	json_decref(rows);
	json_decref(org);
}

/* "Vienna, main representative" for a post and rank (either may be NULL),
 * or "no UN post".  In r's arena. */
static const char *
post_text(struct req *r, const char *post, const char *rank)
{
	json_t *o = json_pack("{s:s?,s:s?}", "un_post", post, "un_rank", rank);
	const char *s;

	directory_add_rep_post(o);
	s = arena_strdup(r->arena, members_str(o, "un_post_text")
					   ? members_str(o, "un_post_text")
					   : "no UN post");
	json_decref(o);
	return s;
}

/* POST /members/:slug/representatives/:id/post -- UN post and rank; at
 * most one main representative per post. */
static void
rep_post(struct req *r, struct resp *w)
{
	json_t *org = org_or_respond(r, w), *rep = NULL;
	const char *post, *rank, *orgname, *msg = NULL;
	struct db_stmt *st;
	int64_t oid;
	int status = 400;

	if (org == NULL)
		return;
	oid = members_int(org, "id");
	orgname = members_str(org, "name");
	post = members_value_or_null(r, "un_post");
	rank = members_value_or_null(r, "un_rank");
	if (db_begin(r->db) != 0)
		goto fail;
	if ((rep = rep_or_respond(r, w, org)) == NULL)
		goto done;
	if (r->errors) {
		msg = "The UN post or rank is not one of those offered.";
	} else if (rank && !post) {
		msg = arena_printf(r->arena,
				   "A rank needs a post: choose Vienna, New "
				   "York or Geneva for %s, or no rank.",
				   members_str(rep, "name"));
	} else if (rank && strcmp(rank, "main") == 0) {
		int rc;

		if ((st = db_stmt(r->db, &manage_sql, M_MAIN_AT_POST)) == NULL)
			goto fail;
		db_bind_int(st, 1, oid);
		db_bind_text(st, 2, post);
		db_bind_int(st, 3, members_int(rep, "id"));
		if ((rc = db_step(st)) == DB_ROW) {
			const char *other = arena_strdup(r->arena,
							 db_col_text(st, 0));

			db_reset(st);
			status = 409;
			msg = arena_printf(
				r->arena,
				"%s already has a main representative in %s: "
				"%s. There is one main representative per UN "
				"post: make %s an alternate first, or choose "
				"alternate.",
				orgname, post_text(r, post, NULL), other, other);
		} else if (rc != DB_DONE) {
			goto fail;
		}
	}
	if (msg) {
		db_rollback(r->db);
		reps_page(r, w, status, org, msg, 0);
		goto done;
	}
	if ((st = db_stmt(r->db, &manage_sql, M_REP_POST)) == NULL)
		goto fail;
	bind_or_null(st, 1, post);
	bind_or_null(st, 2, rank);
	db_bind_int(st, 3, oid);
	db_bind_int(st, 4, members_int(rep, "id"));
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "representative.post", "organisation",
		    members_id_text(r->arena, oid),
		    json_pack("{s:I,s:O?,s:O?}", "person",
			      (json_int_t)members_int(rep, "id"), "un_post",
			      json_object_get(rep, "un_post"), "un_rank",
			      json_object_get(rep, "un_rank")),
		    json_pack("{s:I,s:s?,s:s?}", "person",
			      (json_int_t)members_int(rep, "id"), "un_post",
			      post, "un_rank", rank),
		    r->client) != 0 ||
	    tell(r, rep, arena_printf(r->arena, "Your UN post for %s", orgname),
		 arena_printf(r->arena,
			      "%s has set your UN post as a representative of "
			      "%s: %s.",
			      r->person->name, orgname,
			      post_text(r, post, rank))) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	reps_done(r, w, org, "post");
	goto done;
fail:
	members_fail(r, w);
done:
	json_decref(rep);
	json_decref(org);
}

/* POST /members/:slug/representatives/:id/remove -- never the last main
 * contact. */
static void
rep_remove(struct req *r, struct resp *w)
{
	json_t *org = org_or_respond(r, w), *rep = NULL;
	const char *orgname;
	struct db_stmt *st;
	int64_t oid, pid, others;

	if (org == NULL)
		return;
	oid = members_int(org, "id");
	orgname = members_str(org, "name");
	if (db_begin(r->db) != 0)
		goto fail;
	if ((rep = rep_or_respond(r, w, org)) == NULL)
		goto done;
	pid = members_int(rep, "id");
	if ((others = count_of(r, M_OTHER_MAINS, oid, pid)) < 0)
		goto fail;
	if (members_int(rep, "main_contact") && others == 0) {
		db_rollback(r->db);
		reps_page(r, w, 409, org,
			  arena_printf(r->arena,
				       "%s is the main contact of %s, and an "
				       "organisation always has one: hand the "
				       "role over to another representative "
				       "first.",
				       members_str(rep, "name"), orgname),
			  0);
		goto done;
	}
	if ((st = db_stmt(r->db, &manage_sql, M_REP_DELETE)) == NULL)
		goto fail;
	db_bind_int(st, 1, oid);
	db_bind_int(st, 2, pid);
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "representative.remove",
		    "organisation", members_id_text(r->arena, oid),
		    json_pack("{s:I,s:O?,s:O?,s:b,s:O?,s:O?}", "person",
			      (json_int_t)pid, "email",
			      json_object_get(rep, "email"), "name",
			      json_object_get(rep, "name"), "main_contact",
			      members_int(rep, "main_contact") != 0, "un_post",
			      json_object_get(rep, "un_post"), "un_rank",
			      json_object_get(rep, "un_rank")),
		    NULL, r->client) != 0 ||
	    tell(r, rep,
		 arena_printf(r->arena, "You no longer represent %s", orgname),
		 arena_printf(r->arena,
			      "%s has removed you from the representatives of "
			      "%s. Your account stays as it is; if this is a "
			      "mistake, please write to the organisation's "
			      "main contact.",
			      r->person->name, orgname)) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	/* a main contact who removed themselves may no longer come back */
	if (pid == r->person->id && r->person->role < ROLE_ADMIN)
		resp_redirect(w, "/account");
	else
		reps_done(r, w, org, "removed");
	goto done;
fail:
	members_fail(r, w);
done:
	json_decref(rep);
	json_decref(org);
}

/* Tells each former main contact (rows of M_MAINS) who is the new one.
 * 0 or -1. */
static int
tell_former(struct req *r, json_t *former, json_t *rep, const char *orgname)
{
	json_t *old;
	size_t i;

	json_array_foreach (former, i, old)
		if (tell(r, old,
			 arena_printf(r->arena,
				      "You are no longer the main contact of %s",
				      orgname),
			 arena_printf(r->arena,
				      "%s is now the main contact of %s. You "
				      "remain one of its representatives.",
				      members_str(rep, "name"), orgname)) != 0)
			return -1;
	return 0;
}

/* The ids of rows, as a JSON array. */
static json_t *
ids_of(json_t *rows)
{
	json_t *a = json_array(), *row;
	size_t i;

	json_array_foreach (rows, i, row)
		json_array_append_new(a, json_integer(members_int(row, "id")));
	return a;
}

/* POST /members/:slug/representatives/:id/main-contact -- :id becomes
 * the main contact, in place of whoever was. */
static void
rep_handover(struct req *r, struct resp *w)
{
	json_t *org = org_or_respond(r, w), *rep = NULL, *former = NULL;
	const char *orgname;
	struct db_stmt *st;
	int64_t oid, pid;

	if (org == NULL)
		return;
	oid = members_int(org, "id");
	orgname = members_str(org, "name");
	if (db_begin(r->db) != 0)
		goto fail;
	if ((rep = rep_or_respond(r, w, org)) == NULL)
		goto done;
	pid = members_int(rep, "id");
	if (members_int(rep, "main_contact")) {
		db_rollback(r->db);
		reps_page(r, w, 409, org,
			  arena_printf(r->arena,
				       "%s is already the main contact of %s.",
				       members_str(rep, "name"), orgname),
			  0);
		goto done;
	}
	if ((former = rows_of(r, M_MAINS, oid, 0)) == NULL ||
	    (st = db_stmt(r->db, &manage_sql, M_HANDOVER)) == NULL)
		goto fail;
	db_bind_int(st, 1, oid);
	db_bind_int(st, 2, pid);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id,
			     "representative.main_contact", "organisation",
			     members_id_text(r->arena, oid),
			     json_pack("{s:o}", "main_contacts", ids_of(former)),
			     json_pack("{s:[I]}", "main_contacts",
				       (json_int_t)pid),
			     r->client) != 0 ||
	    tell(r, rep,
		 arena_printf(r->arena, "You are now the main contact of %s",
			      orgname),
		 arena_printf(r->arena,
			      "%s has handed the role of main contact of %s "
			      "over to you. You may now renew its membership, "
			      "edit its details and manage its "
			      "representatives:\n\n%s/members/%s/representatives",
			      r->person->name, orgname,
			      config_current->base_url,
			      members_str(org, "slug"))) != 0 ||
	    tell_former(r, former, rep, orgname) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	/* a main contact who handed over may no longer manage it */
	if (r->person->role < ROLE_ADMIN)
		resp_redirect(w, arena_printf(r->arena, "/members/%s",
					      members_str(org, "slug")));
	else
		reps_done(r, w, org, "main-contact");
	goto done;
fail:
	members_fail(r, w);
done:
	json_decref(former);
	json_decref(rep);
	json_decref(org);
}

/* ---- routes ---- */

static const struct field edit_form_fields[] = {
	{.name = "saved", .type = FT_BOOL},
	{0},
};

static const struct field edit_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Name"},
	{.name = "acronym", .type = FT_TEXT, .maxlen = 30, .label = "Acronym"},
	{.name = "country", .type = FT_COUNTRY, .flags = FIELD_REQUIRED,
	 .label = "Country"},
	{.name = "website", .type = FT_URL, .maxlen = 300, .label = "Website"},
	{.name = "description", .type = FT_TEXTAREA, .maxlen = 5000,
	 .label = "What the organisation does"},
	{.name = "contact_address", .type = FT_TEXTAREA, .maxlen = 1000,
	 .label = "Postal address"},
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI, .maxlen = 60,
	 .label = "Focal areas"},
	{.name = "visibility", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = visibility_values, .label = "Directory visibility"},
	/* administrators only; ignored for everyone else */
	{.name = "ecosoc_status", .type = FT_CHOICE, .choices = ecosoc_values,
	 .label = "ECOSOC consultative status"},
	{.name = "ecosoc_year", .type = FT_YEAR, .min = 1946, .max = 2100,
	 .label = "Year ECOSOC status was granted"},
	{.name = "dgc_associated", .type = FT_BOOL,
	 .label = "Association with the Department of Global Communications"},
	{.name = "dgc_year", .type = FT_YEAR, .min = 1946, .max = 2100,
	 .label = "Year of association with the DGC"},
	{0},
};

static const struct field reps_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

static const struct field invite_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Name"},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = "E-mail"},
	{0},
};

static const struct field post_fields[] = {
	{.name = "un_post", .type = FT_CHOICE, .choices = post_values,
	 .label = "UN post"},
	{.name = "un_rank", .type = FT_CHOICE, .choices = rank_values,
	 .label = "Rank"},
	{0},
};

#define MANAGE(method, pattern, fields, handler, flags, summary)            \
	{method, pattern, ACCESS_MEMBER, fields, handler, flags, 0, summary, \
	 MANAGE_ACTION, "organisation", "slug"}

static const struct route manage_routes[] = {
	MANAGE(HTTP_GET, "/members/:slug/edit", edit_form_fields, edit_form,
	       ROUTE_FORM | ROUTE_PERSONAL,
	       "The main contact edits the organisation's details and "
	       "visibility"),
	MANAGE(HTTP_POST, "/members/:slug/edit", edit_fields, edit_save,
	       ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	       "Saves the organisation's details (UN status: admins only)"),
	MANAGE(HTTP_GET, "/members/:slug/representatives", reps_fields,
	       reps_list, ROUTE_FORM | ROUTE_PERSONAL,
	       "The organisation's representatives, for its main contact"),
	MANAGE(HTTP_POST, "/members/:slug/representatives", invite_fields,
	       rep_invite, ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	       "Invites a new representative by name and e-mail"),
	MANAGE(HTTP_POST, "/members/:slug/representatives/:id/post",
	       post_fields, rep_post, ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	       "Sets a representative's UN post and rank"),
	MANAGE(HTTP_POST, "/members/:slug/representatives/:id/remove", NULL,
	       rep_remove, ROUTE_PERSONAL,
	       "Removes a representative (never the last main contact)"),
	MANAGE(HTTP_POST, "/members/:slug/representatives/:id/main-contact",
	       NULL, rep_handover, ROUTE_PERSONAL,
	       "Hands the role of main contact over to a representative"),
};

const struct module manage_module = {"manage", manage_routes,
				     ARRAY_LEN(manage_routes), &manage_sql};
