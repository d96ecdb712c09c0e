/*
 * secretariat.c -- see statements.h: the secretariat's pages of the
 * statements (ACCESS_ADMIN, its menu entry "Statements" and the tile of
 * drafts): the list, drafting a statement, editing it (its slug stays),
 * opening it for endorsement, closing it, deleting a draft, and taking
 * an endorsement off (an organisation that asks to be removed).  Each
 * change is one transaction with its audit record and the statement's
 * document in the search index.
 */
#include "statements_int.h"

#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/countries.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/search.h"
#include "core/slug.h"
#include "core/util.h"

#define PAGE_SIZE 50

enum stmt_statements_admin {
	A_LIST,
	A_DRAFTS,
	A_SLUG_TAKEN,
	A_INSERT,
	A_UPDATE,
	A_OPEN,
	A_CLOSE,
	A_DELETE,
	A_BODIES,
	A_BODY,
	A_PARTIES,
	A_PARTY,
	A_ENDORSERS,
	A_ENDORSEMENT_DELETE,
	A_ORG_TO_RECORD,
	A_AREAS,
	A_AREAS_OF,
	A_AREAS_CLEAR,
	A_AREA_ADD,
	A__MAX,
};

static const char *const admin_sql_text[A__MAX] = {
	/* binds: today, the limit, the offset: drafts first, then those
	 * taking endorsements, then the rest, newest first */
	[A_LIST] = "SELECT s.slug, s.title, s.state, s.closes_on, s.year,"
		   " s.updated_at,"
		   " (SELECT count(*) FROM statement_endorsements e"
		   "  WHERE e.statement_id = s.id) AS endorsements,"
		   " CASE WHEN s.state = 'open' AND (s.closes_on IS NULL"
		   "  OR s.closes_on >= ?) THEN 1 ELSE 0 END AS is_open"
		   " FROM statements s"
		   " ORDER BY CASE WHEN s.state = 'draft' THEN 0 ELSE 1 END,"
		   " is_open DESC, s.year DESC, s.id DESC LIMIT ? OFFSET ?",
	[A_DRAFTS] = "SELECT count(*) FROM statements WHERE state = 'draft'",
	[A_SLUG_TAKEN] = "SELECT 1 FROM statements WHERE slug = ?",
	[A_INSERT] = "INSERT INTO statements (slug, title, summary, body_md,"
		     " occasion, year, un_body_id, party_id, closes_on,"
		     " created_by, created_at, updated_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[A_UPDATE] = "UPDATE statements SET title = ?, summary = ?,"
		     " body_md = ?, occasion = ?, year = ?, un_body_id = ?,"
		     " party_id = ?, closes_on = ?, updated_at = ?"
		     " WHERE id = ?",
	[A_OPEN] = "UPDATE statements SET state = 'open', opened_at = ?,"
		   " closed_at = NULL, updated_at = ? WHERE id = ?",
	[A_CLOSE] = "UPDATE statements SET state = 'closed', closed_at = ?,"
		    " updated_at = ? WHERE id = ? AND state = 'open'",
	[A_DELETE] = "DELETE FROM statements WHERE id = ? AND state = 'draft'",
	[A_BODIES] = "SELECT id, acronym, name FROM bodies ORDER BY position",
	[A_BODY] = "SELECT 1 FROM bodies WHERE id = ?",
	[A_PARTIES] = "SELECT id, name FROM parties"
		      " WHERE state IN ('active', 'dissolved', 'archived')"
		      " ORDER BY name, id",
	[A_PARTY] = "SELECT 1 FROM parties WHERE id = ?"
		    " AND state IN ('active', 'dissolved', 'archived')",
	/* who endorsed for each organisation, for the secretariat */
	[A_ENDORSERS] =
		"SELECT o.id, o.slug, o.name, o.acronym, o.country,"
		" CASE WHEN o.visibility = 'public'"
		"  AND o.listed_level_id IS NOT NULL THEN 1 ELSE 0 END"
		"  AS listed, e.created_at, p.name AS by_name,"
		" p.email AS by_email"
		" FROM statement_endorsements e"
		" JOIN organisations o ON o.id = e.organisation_id"
		" LEFT JOIN people p ON p.id = e.person_id"
		" WHERE e.statement_id = ? ORDER BY o.name_key, o.id",
	/* binds: the organisation, the statement: one in good standing
	 * that does not endorse it yet */
	[A_ORG_TO_RECORD] =
		"SELECT o.id, o.name, o.acronym, o.country FROM organisations o"
		" WHERE o.id = ? AND o.listed_membership_id IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM statement_endorsements e"
		"  WHERE e.statement_id = ? AND e.organisation_id = o.id)",
	/* the current areas, and a retired one the statement names */
	[A_AREAS] = "SELECT slug, name FROM focal_areas fa"
		    " WHERE fa.retired_at IS NULL OR EXISTS (SELECT 1"
		    "  FROM statement_focal_areas sf WHERE sf.statement_id = ?"
		    "  AND sf.focal_area_id = fa.id)"
		    " ORDER BY position, id",
	[A_AREAS_OF] = "SELECT fa.slug FROM statement_focal_areas sf"
		       " JOIN focal_areas fa ON fa.id = sf.focal_area_id"
		       " WHERE sf.statement_id = ?",
	[A_AREAS_CLEAR] = "DELETE FROM statement_focal_areas"
			  " WHERE statement_id = ?",
	[A_AREA_ADD] = "INSERT INTO statement_focal_areas (statement_id,"
		       " focal_area_id) SELECT ?, id FROM focal_areas"
		       " WHERE slug = ?"
		       " ON CONFLICT (statement_id, focal_area_id) DO NOTHING",
	[A_ENDORSEMENT_DELETE] = "DELETE FROM statement_endorsements"
				 " WHERE statement_id = ?"
				 " AND organisation_id = ?",
};

static struct db_sql admin_sql = {"statements_admin", admin_sql_text,
				  A__MAX, 0};

/* What the statement's page says after a change sent the browser back. */
static const char *const done_values[] = {
	"added", "edited", "opened", "closed", "removed", "recorded", NULL};

/* The organisations a search for one to record shows at most, and the
 * names index's matches it looks at to find them. */
#define FIND_SHOWN 20
#define FIND_CHECKED 400

/* The fields of the statement's form, as the model and the form name
 * them. */
static const char *const form_names[] = {"title",  "summary", "body",
					 "occasion", "year", "un_body",
					 "party",  "closes_on", NULL};

static void
read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The page could not be read."));
}

static const char *
str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The rows of a statement without binds; NULL on a database error. */
static json_t *
rows_of(struct req *r, enum stmt_statements_admin s)
{
	struct db_stmt *st = db_stmt(r->db, &admin_sql, s);

	return st ? db_all_json(st) : NULL;
}

/* GET /admin/statements */
static void
admin_index(struct req *r, struct resp *w)
{
	const struct value *done = req_value(r, "done");
	struct db_stmt *st = db_stmt(r->db, &admin_sql, A_LIST);
	struct pager pg;
	char today[11];
	json_t *rows, *row, *model;
	int has_next;
	size_t i;

	if (st == NULL)
		return read_failed(r, w);
	clock_today(today);
	pager_read(r, PAGE_SIZE, &pg);
	db_bind_text(st, 1, today);
	db_bind_int(st, 2, PAGE_SIZE + 1);
	db_bind_int(st, 3, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(r, w);
	has_next = pager_trim(rows, PAGE_SIZE);
	json_array_foreach (rows, i, row)
		statement_words(row);
	render_add_times(rows, "updated_at");
	model = json_pack("{s:o,s:o}", "statements", rows, "pager",
			  pager_model(r, &pg, "/admin/statements",
				      (const char *const[]){"done", NULL},
				      has_next, -1));
	if (done->present)
		json_object_set_new(model, "notice",
				    json_string(_("The draft has been "
						  "deleted. The change is in "
						  "the audit log.")));
	admin_secretariat_page(r, w, 200, "statements/templates/admin_index.html",
			       _("Statements"), "/admin/statements", model);
}

/* The choices of the form: bodies [{id, acronym, name, selected}] and
 * parties [{id, name, selected}] into model, the ones of form marked.
 * 0, or -1 on a database error. */
static int
add_choices(struct req *r, json_t *model, json_t *form, json_int_t id)
{
	json_t *bodies = rows_of(r, A_BODIES), *parties, *areas = NULL, *row;
	json_t *chosen = json_object_get(form, "focal"), *c;
	const char *body = str_of(form, "un_body"),
		   *party = str_of(form, "party");
	struct db_stmt *st;
	size_t i, k;

	if (bodies == NULL)
		return -1;
	if ((st = db_stmt(r->db, &admin_sql, A_AREAS)) != NULL) {
		db_bind_int(st, 1, id);
		areas = db_all_json(st);
	}
	if (areas == NULL || (parties = rows_of(r, A_PARTIES)) == NULL) {
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
	struct db_stmt *st = db_stmt(r->db, &admin_sql, A_AREAS_OF);
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
	struct db_stmt *st = db_stmt(r->db, &admin_sql, A_AREAS_CLEAR);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if (db_run(st) != 0)
		return -1;
	for (size_t k = 0; fv && k < fv->n; k++) {
		if (!fv->v[k].present)
			continue;
		if ((st = db_stmt(r->db, &admin_sql, A_AREA_ADD)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, fv->v[k].str);
		if (db_run(st) != 0)
			return -1;
	}
	return 0;
}

/* The form as sent (after errors): every field's text, "" when absent. */
static json_t *
form_sent(struct req *r)
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

/* The form of statement s as stored. */
static json_t *
form_stored(json_t *s)
{
	json_t *year = json_object_get(s, "year"),
	       *body = json_object_get(s, "un_body_id"),
	       *party = json_object_get(s, "party_id");

	return json_pack(
		"{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s}", "title",
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
		str_of(s, "closes_on") ? str_of(s, "closes_on") : "");
}

/* GET /admin/statements/new, or the form sent again with its errors
 * (422). */
static void
new_page(struct req *r, struct resp *w, int status)
{
	json_t *form = status == 422 ? form_sent(r)
				     : json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,"
						 "s:s,s:s}",
						 "title", "", "summary", "",
						 "body", "", "occasion", "",
						 "year", "", "un_body", "",
						 "party", "", "closes_on", "");
	json_t *model = json_object();

	if (!json_object_get(form, "focal"))
		json_object_set_new(form, "focal", json_array());
	if (add_choices(r, model, form, 0) != 0) {
		json_decref(form);
		json_decref(model);
		return read_failed(r, w);
	}
	json_object_set_new(model, "form", form);
	if (status == 422)
		resp_form_errors(model, r->errors);
	admin_secretariat_page(r, w, status, "statements/templates/admin_new.html",
			       _("Draft a statement"), NULL, model);
}

static void
admin_new(struct req *r, struct resp *w)
{
	new_page(r, w, 200);
}

/* The organisation org (in good standing, not endorsing statement id
 * yet): a new object {id, name, acronym, country}, json null when it is
 * not such a one, NULL on a database error. */
static json_t *
org_to_record(struct req *r, json_int_t id, json_int_t org)
{
	struct db_stmt *st = db_stmt(r->db, &admin_sql, A_ORG_TO_RECORD);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, org);
	db_bind_int(st, 2, id);
	return db_one_json(st);
}

/* The organisations whose names have words beginning as q's (the names
 * index), in good standing and not endorsing statement id yet: at most
 * FIND_SHOWN, each with country_name; NULL on a database error. */
static json_t *
find_orgs(struct req *r, json_int_t id, const char *q)
{
	struct buf b = BUF_INIT;
	json_t *ids, *found = json_array(), *v, *o;
	size_t i;

	if (search_keys(r->db, SEARCH_ORGANISATION_NAMES, q, &b) < 0) {
		buf_free(&b);
		json_decref(found);
		return NULL;
	}
	ids = json_loads(buf_cstr(&b), 0, NULL);
	buf_free(&b);
	json_array_foreach (ids, i, v) {
		if (i >= FIND_CHECKED || json_array_size(found) >= FIND_SHOWN)
			break;
		if ((o = org_to_record(r, id, json_integer_value(v))) == NULL) {
			json_decref(ids);
			json_decref(found);
			return NULL;
		}
		if (json_is_object(o))
			json_array_append(found, o);
		json_decref(o);
	}
	json_decref(ids);
	countries_name_field(found, "country", "country_name");
	return found;
}

/*
 * The secretariat's page of statement s (taken) with status: its state
 * and the steps that fit it, the form that edits it (what was sent when
 * status is 422), and the organisations that endorse it with who did so
 * for each.  notice, when not NULL, is said at the top.
 */
static void
statement_page(struct req *r, struct resp *w, int status, json_t *s,
	       const char *notice)
{
	struct db_stmt *st = db_stmt(r->db, &admin_sql, A_ENDORSERS);
	const struct value *q = req_value(r, "q");
	json_t *form = status == 422 ? form_sent(r) : form_stored(s);
	json_t *model = json_object(), *endorsers = NULL;
	int64_t told = 0;

	if (st) {
		db_bind_int(st, 1, json_integer_value(json_object_get(s, "id")));
		endorsers = db_all_json(st);
	}
	if (status != 422)
		json_object_set_new(
			form, "focal",
			areas_stored(r, json_integer_value(
						json_object_get(s, "id"))));
	if (endorsers == NULL || !json_is_array(json_object_get(form, "focal")) ||
	    add_choices(r, model, form,
			json_integer_value(json_object_get(s, "id"))) != 0 ||
	    statements_notices_count(
		    r->db, json_integer_value(json_object_get(s, "id")),
		    &told) != 0) {
		json_decref(form);
		json_decref(model);
		json_decref(endorsers);
		json_decref(s);
		return read_failed(r, w);
	}
	statement_endorsers_words(endorsers);
	render_add_times(endorsers, "created_at");
	statement_words(s);
	json_object_del(s, "body_md");
	json_object_set_new(model, "form", form);
	json_object_set_new(model, "endorsers", endorsers);
	json_object_set_new(model, "told", json_integer(told));
	if (q->present) {
		json_t *found = find_orgs(
			r, json_integer_value(json_object_get(s, "id")), q->str);

		if (found == NULL) {
			json_decref(model);
			json_decref(s);
			return read_failed(r, w);
		}
		json_object_set_new(model, "found", found);
		json_object_set_new(model, "searched", json_true());
		json_object_set_new(model, "q", json_string(q->str));
	}
	json_object_set_new(model, "statement", s);
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (status == 422)
		resp_form_errors(model, r->errors);
	admin_secretariat_page(
		r, w, status, "statements/templates/admin_statement.html",
		i18n_text(r->arena, _("Statement: {title}"), "title",
			  str_of(s, "title"), NULL),
		NULL, model);
}

/* GET /admin/statements/:slug */
static void
admin_statement(struct req *r, struct resp *w)
{
	const struct value *done = req_value(r, "done");
	const char *notice = NULL;
	json_t *s;

	if (statement_load(r, w, 1, &s) != 0)
		return;
	if (done->present)
		notice = !strcmp(done->str, "added")
				 ? _("The statement has been drafted. Only the "
				     "secretariat sees it until it is opened "
				     "for endorsement.")
			 : !strcmp(done->str, "opened")
				 ? _("The statement is open for endorsement. "
				     "Its page is public.")
			 : !strcmp(done->str, "closed")
				 ? _("The statement is closed: it takes no "
				     "more endorsements.")
			 : !strcmp(done->str, "removed")
				 ? _("The endorsement has been removed. The "
				     "change is in the audit log.")
			 : !strcmp(done->str, "recorded")
				 ? _("The endorsement has been recorded. The "
				     "change is in the audit log.")
				 : _("The statement has been saved. The "
				     "change is in the audit log.");
	statement_page(r, w, 200, s, notice);
}

/* Checks the UN body and the working party named by the form: a message
 * at the field for one that is not there.  0, or -1 on a database
 * error. */
static int
check_choices(struct req *r)
{
	static const struct {
		const char *field;
		enum stmt_statements_admin stmt;
		const char *message;
	} checks[] = {
		{"un_body", A_BODY, N_("Choose a UN body from the list.")},
		{"party", A_PARTY, N_("Choose a working party from the list.")},
	};

	for (size_t i = 0; i < ARRAY_LEN(checks); i++) {
		const struct value *v = req_value(r, checks[i].field);
		struct db_stmt *st;
		int rc;

		if (!v->present)
			continue;
		if ((st = db_stmt(r->db, &admin_sql, checks[i].stmt)) == NULL)
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
bind_form(struct req *r, struct db_stmt *st, int i)
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
	if (party->present)
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

/* Back to the statement's secretariat page, saying what was done. */
static void
back_to_admin(struct req *r, struct resp *w, const char *slug,
	      const char *done)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "/admin/statements/");
	esc_url_component(&b, slug, strlen(slug));
	buf_puts(&b, "?done=");
	buf_puts(&b, done);
	resp_redirect(w, buf_cstr(&b));
	buf_free(&b);
}

/*
 * POST /admin/statements: a new draft, its slug made from its title (it
 * never changes), then its page.  A missing or invalid field, or a UN
 * body or working party not in the list, shows the form again (422)
 * with the messages beside the fields.
 */
static void
admin_add(struct req *r, struct resp *w)
{
	const char *slug;
	struct db_stmt *st;
	int64_t now = clock_now();
	int i;

	if (!r->errors && check_choices(r) != 0)
		return resp_fail(r, w, NULL);
	if (r->errors || !req_value(r, "title")->present)
		return new_page(r, w, 422);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	slug = slug_new(r->db, r->arena, &admin_sql, A_SLUG_TAKEN, 0,
			req_value(r, "title")->str, "statement",
			(const char *const[]){"new", NULL});
	if (slug == NULL || (st = db_stmt(r->db, &admin_sql, A_INSERT)) == NULL)
		goto fail;
	db_bind_text(st, 1, slug);
	i = bind_form(r, st, 2);
	db_bind_int(st, i++, r->person->id);
	db_bind_int(st, i++, now);
	db_bind_int(st, i, now);
	if (db_run(st) != 0 || save_areas(r, db_last_id(r->db)) != 0 ||
	    audit_record_new(r->db, r->person->id, "statement.draft",
			     "statement", slug, NULL, form_audit(r),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	back_to_admin(r, w, slug, "added");
	return;
fail:
	resp_fail(r, w, NULL);
}

/*
 * POST /admin/statements/:slug/edit: the statement's texts, occasion,
 * UN body, working party and closing day (the slug stays, so every link
 * holds); its document in the search follows.  Errors as for a new one.
 * An open statement keeps its endorsements: the secretariat says in the
 * text what changed.
 */
static void
admin_edit(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	json_t *s, *before;
	json_int_t id;
	int i;

	if (statement_load(r, w, 1, &s) != 0)
		return;
	if (!r->errors && check_choices(r) != 0) {
		json_decref(s);
		return resp_fail(r, w, NULL);
	}
	if (r->errors || !req_value(r, "title")->present)
		return statement_page(r, w, 422, s, NULL);
	id = json_integer_value(json_object_get(s, "id"));
	before = form_stored(s);
	if (db_begin(r->db) != 0) {
		json_decref(before);
		json_decref(s);
		return resp_fail(r, w, NULL);
	}
	if ((st = db_stmt(r->db, &admin_sql, A_UPDATE)) == NULL)
		goto fail;
	i = bind_form(r, st, 1);
	db_bind_int(st, i++, clock_now());
	db_bind_int(st, i, id);
	if (db_run(st) != 0 || save_areas(r, id) != 0 ||
	    statement_index(r->db, id) != 0)
		goto fail;
	if (audit_record_new(r->db, r->person->id, "statement.edit",
			     "statement", str_of(s, "slug"), before,
			     form_audit(r), r->client) != 0) {
		before = NULL; /* taken */
		goto fail;
	}
	before = NULL;
	if (db_commit(r->db) != 0)
		goto fail;
	back_to_admin(r, w, str_of(s, "slug"), "edited");
	json_decref(s);
	return;
fail:
	json_decref(before);
	json_decref(s);
	resp_fail(r, w, NULL);
}

/* Answers 409 with message, the statement s let go; -1. */
static int
refuse(struct resp *w, json_t *s, const char *message)
{
	json_decref(s);
	resp_error(w, 409, message);
	return -1;
}

/*
 * POST /admin/statements/:slug/open: a draft (or a closed statement,
 * opened again) takes endorsements, its page public and in the search.
 * 409 when it already takes them, when it has no text yet, or when its
 * closing day has passed.
 */
static void
admin_open(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	char today[11];
	const char *closes, *body;
	json_t *s;
	json_int_t id;
	int64_t now = clock_now();

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (statement_load(r, w, 1, &s) != 0) {
		db_rollback(r->db);
		return;
	}
	clock_today(today);
	closes = str_of(s, "closes_on");
	body = str_of(s, "body_md");
	if ((json_integer_value(json_object_get(s, "is_open")) == 1 &&
	     refuse(w, s, _("This statement is already open for "
			    "endorsement.")) != 0) ||
	    ((body == NULL || *body == '\0') &&
	     refuse(w, s, _("Write the text of the statement before it is "
			    "opened for endorsement.")) != 0) ||
	    (closes && strcmp(closes, today) < 0 &&
	     refuse(w, s, _("Its closing day has passed: set a later one "
			    "before it is opened again.")) != 0)) {
		db_rollback(r->db);
		return;
	}
	id = json_integer_value(json_object_get(s, "id"));
	if ((st = db_stmt(r->db, &admin_sql, A_OPEN)) == NULL)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, id);
	if (db_run(st) != 0 || statement_index(r->db, id) != 0 ||
	    (req_value(r, "notify")->num == 1 &&
	     statements_notify_queue(r->db, id) != 0) ||
	    audit_record_new(r->db, r->person->id, "statement.open",
			     "statement", str_of(s, "slug"),
			     json_pack("{s:s}", "state", str_of(s, "state")),
			     json_pack("{s:s,s:s?,s:b}", "state", "open",
				       "closes_on", closes, "notify",
				       req_value(r, "notify")->num == 1),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	back_to_admin(r, w, str_of(s, "slug"), "opened");
	json_decref(s);
	return;
fail:
	json_decref(s);
	resp_fail(r, w, NULL);
}

/* POST /admin/statements/:slug/close: it takes no more endorsements
 * (before its closing day, or to record that it closed); 409 unless it
 * is open. */
static void
admin_close(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	json_t *s;
	int64_t now = clock_now();

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (statement_load(r, w, 1, &s) != 0) {
		db_rollback(r->db);
		return;
	}
	if (strcmp(str_of(s, "state"), "open") != 0) {
		db_rollback(r->db);
		refuse(w, s, _("Only a statement open for endorsement can be "
			       "closed."));
		return;
	}
	if ((st = db_stmt(r->db, &admin_sql, A_CLOSE)) == NULL)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, json_integer_value(json_object_get(s, "id")));
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "statement.close",
			     "statement", str_of(s, "slug"),
			     json_pack("{s:s}", "state", "open"),
			     json_pack("{s:s}", "state", "closed"),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	back_to_admin(r, w, str_of(s, "slug"), "closed");
	json_decref(s);
	return;
fail:
	json_decref(s);
	resp_fail(r, w, NULL);
}

/* POST /admin/statements/:slug/delete: a draft goes (nobody outside the
 * secretariat saw it); 409 once it has been opened. */
static void
admin_delete(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	json_t *s;

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (statement_load(r, w, 1, &s) != 0) {
		db_rollback(r->db);
		return;
	}
	if (strcmp(str_of(s, "state"), "draft") != 0) {
		db_rollback(r->db);
		refuse(w, s, _("Only a draft can be deleted: a statement that "
			       "was opened stays as the Alliance's record."));
		return;
	}
	if ((st = db_stmt(r->db, &admin_sql, A_DELETE)) == NULL)
		goto fail;
	db_bind_int(st, 1, json_integer_value(json_object_get(s, "id")));
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "statement.delete",
			     "statement", str_of(s, "slug"),
			     json_pack("{s:s}", "title", str_of(s, "title")),
			     NULL, r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	json_decref(s);
	resp_redirect(w, "/admin/statements?done=deleted");
	return;
fail:
	json_decref(s);
	resp_fail(r, w, NULL);
}

/* POST /admin/statements/:slug/endorsements/:id/remove: the organisation
 * id no longer endorses the statement (it asked to be taken off, open or
 * closed); 404 when it did not endorse it. */
static void
admin_remove_endorsement(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	int64_t org = req_param_id(r);
	json_t *s;

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (statement_load(r, w, 1, &s) != 0) {
		db_rollback(r->db);
		return;
	}
	if ((st = db_stmt(r->db, &admin_sql, A_ENDORSEMENT_DELETE)) == NULL)
		goto fail;
	db_bind_int(st, 1, json_integer_value(json_object_get(s, "id")));
	db_bind_int(st, 2, org);
	if (db_run(st) != 0)
		goto fail;
	if (db_changes(r->db) != 1) {
		db_rollback(r->db);
		json_decref(s);
		resp_error(w, 404,
			   _("This organisation does not endorse this "
			     "statement."));
		return;
	}
	if (audit_record_new(r->db, r->person->id, "statement.unendorse",
			     "statement", str_of(s, "slug"),
			     json_pack("{s:I}", "organisation_id",
				       (json_int_t)org),
			     NULL, r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	back_to_admin(r, w, str_of(s, "slug"), "removed");
	json_decref(s);
	return;
fail:
	json_decref(s);
	resp_fail(r, w, NULL);
}

/*
 * POST /admin/statements/:slug/endorsements: the secretariat records the
 * endorsement of an organisation that gave it otherwise (by e-mail, by
 * letter), open or closed (received before it closed); one transaction
 * with its audit record.  A draft is a 409, as is an organisation not in
 * good standing or endorsing it already.
 */
static void
admin_record(struct req *r, struct resp *w)
{
	const struct value *org = req_value(r, "organisation");
	struct db_stmt *st;
	json_t *s, *o = NULL;
	json_int_t id;

	if (!org->present) {
		resp_error(w, 422, _("Choose the organisation whose endorsement "
				     "you record."));
		return;
	}
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (statement_load(r, w, 1, &s) != 0) {
		db_rollback(r->db);
		return;
	}
	if (strcmp(str_of(s, "state"), "draft") == 0) {
		db_rollback(r->db);
		refuse(w, s, _("A draft takes no endorsement: open it first."));
		return;
	}
	id = json_integer_value(json_object_get(s, "id"));
	if ((o = org_to_record(r, id, org->num)) == NULL)
		goto fail;
	if (!json_is_object(o)) {
		db_rollback(r->db);
		json_decref(o);
		refuse(w, s, _("This organisation is not a member in good "
			       "standing, or it endorses the statement "
			       "already."));
		return;
	}
	if ((st = db_stmt(r->db, &statements_sql, S_ENDORSE)) == NULL)
		goto fail;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, org->num);
	db_bind_int(st, 3, r->person->id);
	db_bind_int(st, 4, clock_now());
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "statement.endorse",
			     "statement", str_of(s, "slug"), NULL,
			     json_pack("{s:I,s:O,s:s}", "organisation_id",
				       (json_int_t)org->num, "organisation",
				       json_object_get(o, "name"),
				       "recorded_by", "secretariat"),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	back_to_admin(r, w, str_of(s, "slug"), "recorded");
	json_decref(o);
	json_decref(s);
	return;
fail:
	json_decref(o);
	json_decref(s);
	resp_fail(r, w, NULL);
}

/* The tile: drafts waiting to be finished and opened. */
static int
count_drafts(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &admin_sql, A_DRAFTS);

	return st ? db_one_int(st, n) : -1;
}

static const char *const index_done[] = {"deleted", NULL};

static const struct field index_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000,
	 .label = N_("Page")},
	{.name = "done",
	 .type = FT_CHOICE,
	 .choices = index_done},
	{0},
};

static const struct field open_fields[] = {
	{.name = "notify",
	 .type = FT_BOOL,
	 .label = N_("Tell the main contacts of the member organisations by "
		     "e-mail")},
	{0},
};

static const struct field admin_show_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{.name = "q",
	 .type = FT_TEXT,
	 .maxlen = 200,
	 .label = N_("A word of its name or acronym")},
	{0},
};

static const struct field record_fields[] = {
	{.name = "organisation",
	 .type = FT_INT,
	 .flags = FIELD_REQUIRED,
	 .min = 1,
	 .max = INT64_MAX,
	 .label = N_("Organisation")},
	{0},
};

static const struct field statement_fields[] = {
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Title")},
	{.name = "summary", .type = FT_TEXT, .maxlen = 400,
	 .label = N_("Summary")},
	{.name = "body", .type = FT_TEXTAREA, .maxlen = 50000,
	 .label = N_("Text of the statement")},
	{.name = "occasion", .type = FT_TEXT, .maxlen = 300,
	 .label = N_("Where it is delivered")},
	{.name = "year", .type = FT_YEAR, .label = N_("Year")},
	{.name = "un_body", .type = FT_INT, .min = 1, .max = INT64_MAX,
	 .label = N_("UN body")},
	{.name = "party", .type = FT_INT, .min = 1, .max = INT64_MAX,
	 .label = N_("Working party")},
	{.name = "closes_on", .type = FT_DATE,
	 .label = N_("Endorsements close on")},
	{.name = "focal",
	 .type = FT_SLUG,
	 .flags = FIELD_MULTI,
	 .maxlen = 60,
	 .label = N_("Focal areas")},
	{0},
};

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL

static const struct route admin_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/admin/statements",
	 .who = A,
	 .fields = index_fields,
	 .handler = admin_index,
	 .flags = P,
	 .summary = "Every statement, drafts first, with its state and "
		    "endorsements"},
	{.method = HTTP_GET,
	 .pattern = "/admin/statements/new",
	 .who = A,
	 .handler = admin_new,
	 .flags = ROUTE_FORM | P,
	 .summary = "The form that drafts a statement"},
	{.method = HTTP_POST,
	 .pattern = "/admin/statements",
	 .who = A,
	 .fields = statement_fields,
	 .handler = admin_add,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Drafts a statement (its slug made from its title)"},
	{.method = HTTP_GET,
	 .pattern = "/admin/statements/:slug",
	 .who = A,
	 .fields = admin_show_fields,
	 .handler = admin_statement,
	 .flags = ROUTE_FORM | P,
	 .summary = "One statement for the secretariat: its form, the steps "
		    "that fit its state, who endorsed it for each "
		    "organisation, and organisations found by name to "
		    "record an endorsement for"},
	{.method = HTTP_POST,
	 .pattern = "/admin/statements/:slug/edit",
	 .who = A,
	 .fields = statement_fields,
	 .handler = admin_edit,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Changes a statement's texts, occasion and closing day "
		    "(the slug stays)"},
	{.method = HTTP_POST,
	 .pattern = "/admin/statements/:slug/open",
	 .who = A,
	 .fields = open_fields,
	 .handler = admin_open,
	 .flags = P,
	 .summary = "Opens a statement for endorsement by the member "
		    "organisations (and tells their main contacts by "
		    "e-mail)"},
	{.method = HTTP_POST,
	 .pattern = "/admin/statements/:slug/close",
	 .who = A,
	 .handler = admin_close,
	 .flags = P,
	 .summary = "Closes a statement: it takes no more endorsements"},
	{.method = HTTP_POST,
	 .pattern = "/admin/statements/:slug/delete",
	 .who = A,
	 .handler = admin_delete,
	 .flags = P,
	 .summary = "Deletes a draft statement"},
	{.method = HTTP_POST,
	 .pattern = "/admin/statements/:slug/endorsements",
	 .who = A,
	 .fields = record_fields,
	 .handler = admin_record,
	 .flags = P,
	 .summary = "Records the endorsement of a member organisation that "
		    "gave it otherwise (by e-mail, by letter)"},
	{.method = HTTP_POST,
	 .pattern = "/admin/statements/:slug/endorsements/:id/remove",
	 .who = A,
	 .handler = admin_remove_endorsement,
	 .flags = P,
	 .summary = "Takes an organisation's endorsement off a statement "
		    "(at its request)"},
};

static const struct menu_entry admin_menu[] = {
	{"/admin/statements", N_("Statements"), 87},
};

static const struct admin_tile statements_tiles[] = {
	{N_("Statement drafts"), "/admin/statements", 65, count_drafts},
};

static const struct module_job *const statements_jobs[] = {
	&statements_notify_job, NULL};

static struct db_sql *const admin_sqls[] = {&statement_notices_sql, NULL};

const struct module statements_admin_module = {
	.name = "statements-admin",
	.routes = admin_routes,
	.nroutes = ARRAY_LEN(admin_routes),
	.sql = &admin_sql,
	.sqls = admin_sqls,
	.jobs = statements_jobs,
	.admin_menu = admin_menu,
	.nadmin_menu = ARRAY_LEN(admin_menu),
	.admin_tiles = statements_tiles,
	.nadmin_tiles = ARRAY_LEN(statements_tiles),
};
