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
#include "core/util.h"

#define PAGE_SIZE 50

enum stmt_statements_admin {
	A_LIST,
	A_DRAFTS,
	A_OPEN,
	A_CLOSE,
	A_DELETE,
	A_ENDORSERS,
	A_ENDORSEMENT_DELETE,
	A_ORG_TO_RECORD,
	A__MAX,
};

static const char *const admin_sql_text[A__MAX] = {
	/* binds: today, the limit, the offset: drafts first, then those
	 * taking endorsements, then the rest, newest first */
	[A_LIST] = "SELECT s.slug, s.title, s.state, s.closes_on, s.year,"
		   " s.updated_at, s.submitted_at, p.name AS party_name,"
		   " (SELECT count(*) FROM statement_endorsements e"
		   "  WHERE e.statement_id = s.id) AS endorsements,"
		   " CASE WHEN s.state = 'open' AND (s.closes_on IS NULL"
		   "  OR s.closes_on >= ?) THEN 1 ELSE 0 END AS is_open"
		   " FROM statements s LEFT JOIN parties p ON p.id = s.party_id"
		   " ORDER BY CASE WHEN s.state = 'draft' THEN 0 ELSE 1 END,"
		   " CASE WHEN s.submitted_at IS NULL THEN 1 ELSE 0 END,"
		   " is_open DESC, s.year DESC, s.id DESC LIMIT ? OFFSET ?",
	[A_DRAFTS] = "SELECT count(*) FROM statements WHERE state = 'draft'",
	[A_OPEN] = "UPDATE statements SET state = 'open', opened_at = ?,"
		   " closed_at = NULL, updated_at = ? WHERE id = ?",
	[A_CLOSE] = "UPDATE statements SET state = 'closed', closed_at = ?,"
		    " updated_at = ? WHERE id = ? AND state = 'open'",
	[A_DELETE] = "DELETE FROM statements WHERE id = ? AND state = 'draft'",
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
	render_add_times(rows, "submitted_at");
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







/* GET /admin/statements/new, or the form sent again with its errors
 * (422). */
static void
new_page(struct req *r, struct resp *w, int status)
{
	json_t *form = status == 422 ? statement_form_sent(r)
				     : statement_form_new();
	json_t *model = json_object();

	if (statement_form_choices(r, model, form, 0) != 0) {
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
	json_t *form = status == 422 ? statement_form_sent(r)
				     : statement_form_stored(r, s);
	json_t *model = json_object(), *endorsers = NULL;
	int64_t told = 0;

	if (st) {
		db_bind_int(st, 1, json_integer_value(json_object_get(s, "id")));
		endorsers = db_all_json(st);
	}
	if (endorsers == NULL || form == NULL ||
	    statement_form_choices(
		    r, model, form,
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
	render_add_time(s, "submitted_at");
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

	if (!r->errors && statement_form_check(r) != 0)
		return resp_fail(r, w, NULL);
	if (r->errors || !req_value(r, "title")->present)
		return new_page(r, w, 422);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (statement_form_insert(r, 0, &slug) != 0 || db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	back_to_admin(r, w, slug, "added");
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
	json_t *s;

	if (statement_load(r, w, 1, &s) != 0)
		return;
	if (!r->errors && statement_form_check(r) != 0) {
		json_decref(s);
		return resp_fail(r, w, NULL);
	}
	if (r->errors || !req_value(r, "title")->present)
		return statement_page(r, w, 422, s, NULL);
	if (db_begin(r->db) != 0 || statement_form_update(r, s, 0) != 0 ||
	    db_commit(r->db) != 0) {
		json_decref(s);
		return resp_fail(r, w, NULL);
	}
	back_to_admin(r, w, str_of(s, "slug"), "edited");
	json_decref(s);
}

/* Answers 409 with message, the statement s let go. */
static void
refuse(struct resp *w, json_t *s, const char *message)
{
	json_decref(s);
	resp_error(w, 409, message);
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
	const char *closes, *body, *why;
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
	why = json_integer_value(json_object_get(s, "is_open")) == 1
		      ? _("This statement is already open for endorsement.")
	      : body == NULL || *body == '\0'
		      ? _("Write the text of the statement before it is "
			  "opened for endorsement.")
	      : closes && strcmp(closes, today) < 0
		      ? _("Its closing day has passed: set a later one "
			  "before it is opened again.")
		      : NULL;
	if (why) {
		db_rollback(r->db);
		refuse(w, s, why);
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

static struct db_sql *const admin_sqls[] = {&statement_notices_sql,
					      &statements_form_sql, NULL};

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
