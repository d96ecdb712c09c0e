/*
 * drafting.c -- see statements.h: a working party drafts a statement
 * ("Working parties have also produced Civil Society Statements"): its
 * chairs and co-chairs (party.manage, the parties' rule; the secretariat
 * too) write a draft under /working-parties/:slug/statements while the
 * party is active, change it while it is a draft, and ask the
 * secretariat to open it for endorsement, which mails the secretariat.
 * The draft is the statement's page, seen by them and the secretariat
 * only (statement_draft_visible); the secretariat opens it from its desk
 * (secretariat.c), after which the party changes nothing (409).
 */
#include "statements_int.h"

#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/util.h"

enum stmt_drafting {
	D_PARTY,
	D_SUBMIT,
	D__MAX,
};

static const char *const drafting_sql_text[D__MAX] = {
	[D_PARTY] = "SELECT id, slug, name, state FROM parties WHERE slug = ?",
	[D_SUBMIT] = "UPDATE statements SET submitted_at = ?, updated_at = ?"
		     " WHERE id = ? AND state = 'draft'"
		     " AND submitted_at IS NULL",
};

static struct db_sql drafting_sql = {"statements_drafting", drafting_sql_text,
				     D__MAX, 0};

static const char *
str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The working party of the route (id, slug, name, state) into *p: 0, or
 * -1 with 404 (unknown), 409 (not active: it drafts nothing) or 500
 * answered. */
static int
party_of(struct req *r, struct resp *w, json_t **p)
{
	struct db_stmt *st = db_stmt(r->db, &drafting_sql, D_PARTY);

	*p = NULL;
	if (st == NULL) {
		resp_fail(r, w, NULL);
		return -1;
	}
	db_bind_text(st, 1, req_param(r, "slug"));
	if ((*p = db_one_json(st)) == NULL) {
		resp_fail(r, w, NULL);
		return -1;
	}
	if (!json_is_object(*p)) {
		json_decref(*p);
		*p = NULL;
		resp_error(w, 404, _("There is no such working party."));
		return -1;
	}
	if (strcmp(str_of(*p, "state"), "active") != 0) {
		json_decref(*p);
		*p = NULL;
		resp_error(w, 409,
			   _("Only an active working party drafts "
			     "statements."));
		return -1;
	}
	return 0;
}

/* The draft :statement of party p into *s: 0, or -1 with 404 (not this
 * party's), 409 (opened already: the party changes it no more) or 500
 * answered. */
static int
draft_of(struct req *r, struct resp *w, json_t *p, json_t **s)
{
	if (statement_load_slug(r, w, req_param(r, "statement"), 1, s) != 0)
		return -1;
	if (json_integer_value(json_object_get(*s, "party_id")) !=
	    json_integer_value(json_object_get(p, "id"))) {
		json_decref(*s);
		*s = NULL;
		resp_error(w, 404, _("There is no such statement."));
		return -1;
	}
	if (strcmp(str_of(*s, "state"), "draft") != 0) {
		json_decref(*s);
		*s = NULL;
		resp_error(w, 409,
			   _("The secretariat has opened this statement: ask "
			     "it for any change."));
		return -1;
	}
	return 0;
}

/* The party's form page with status: a new draft (s NULL) or draft s,
 * from form (taken); the messages when status is 422. */
static void
form_page(struct req *r, struct resp *w, int status, json_t *p, json_t *s,
	  json_t *form)
{
	json_t *model = json_object();

	if (form == NULL ||
	    statement_form_choices(
		    r, model, form,
		    s ? json_integer_value(json_object_get(s, "id")) : 0) !=
		    0) {
		json_decref(form);
		json_decref(model);
		return resp_fail(r, w, _("The page could not be read."));
	}
	json_object_set_new(model, "form", form);
	json_object_set_new(model, "party_fixed", json_true());
	json_object_set(model, "party", p);
	if (s)
		json_object_set_new(
			model, "statement",
			json_pack("{s:O,s:O}", "slug", json_object_get(s, "slug"),
				  "title", json_object_get(s, "title")));
	if (status == 422)
		resp_form_errors(model, r->errors);
	resp_page(w, status, "statements/templates/party_form.html",
		  s ? i18n_text(r->arena, _("Edit the draft: {title}"), "title",
				str_of(s, "title"), NULL)
		    : i18n_text(r->arena, _("Draft a statement of {party}"),
				"party", str_of(p, "name"), NULL),
		  model);
}

/* Back to the statement's page, saying what was done. */
static void
to_statement(struct resp *w, const char *slug, const char *done)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "/statements/");
	esc_url_component(&b, slug, strlen(slug));
	buf_puts(&b, "?done=");
	buf_puts(&b, done);
	resp_redirect(w, buf_cstr(&b));
	buf_free(&b);
}

/* GET /working-parties/:slug/statements/new */
static void
draft_new(struct req *r, struct resp *w)
{
	json_t *p;

	if (party_of(r, w, &p) != 0)
		return;
	form_page(r, w, 200, p, NULL, statement_form_new());
	json_decref(p);
}

/*
 * POST /working-parties/:slug/statements: a new draft of the party (its
 * slug from its title), then its page.  Errors as on the secretariat's
 * form: the form again (422) with the messages beside the fields.
 */
static void
draft_add(struct req *r, struct resp *w)
{
	const char *slug;
	json_t *p;

	if (party_of(r, w, &p) != 0)
		return;
	if (!r->errors && statement_form_check(r) != 0)
		goto fail;
	if (r->errors || !req_value(r, "title")->present) {
		form_page(r, w, 422, p, NULL, statement_form_sent(r));
		json_decref(p);
		return;
	}
	if (db_begin(r->db) != 0 ||
	    statement_form_insert(
		    r, json_integer_value(json_object_get(p, "id")), &slug) !=
		    0 ||
	    db_commit(r->db) != 0)
		goto fail;
	json_decref(p);
	to_statement(w, slug, "drafted");
	return;
fail:
	json_decref(p);
	resp_fail(r, w, NULL);
}

/* GET /working-parties/:slug/statements/:statement/edit */
static void
draft_edit_form(struct req *r, struct resp *w)
{
	json_t *p, *s;

	if (party_of(r, w, &p) != 0)
		return;
	if (draft_of(r, w, p, &s) != 0) {
		json_decref(p);
		return;
	}
	form_page(r, w, 200, p, s, statement_form_stored(r, s));
	json_decref(s);
	json_decref(p);
}

/* POST /working-parties/:slug/statements/:statement/edit: the draft's
 * texts, occasion, UN body, closing day and areas (its party stays). */
static void
draft_edit(struct req *r, struct resp *w)
{
	json_t *p, *s;

	if (party_of(r, w, &p) != 0)
		return;
	if (draft_of(r, w, p, &s) != 0) {
		json_decref(p);
		return;
	}
	if (!r->errors && statement_form_check(r) != 0)
		goto fail;
	if (r->errors || !req_value(r, "title")->present) {
		form_page(r, w, 422, p, s, statement_form_sent(r));
		json_decref(s);
		json_decref(p);
		return;
	}
	if (db_begin(r->db) != 0 ||
	    statement_form_update(
		    r, s, json_integer_value(json_object_get(p, "id"))) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	to_statement(w, str_of(s, "slug"), "saved");
	json_decref(s);
	json_decref(p);
	return;
fail:
	json_decref(s);
	json_decref(p);
	resp_fail(r, w, NULL);
}

/*
 * POST /working-parties/:slug/statements/:statement/submit: the party
 * asks the secretariat to open its draft, once (409 when it asked
 * already): the date is kept, the secretariat is mailed, the audit log
 * says who asked.  The draft needs its text first (409).
 */
static void
draft_submit(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	struct buf text = BUF_INIT, link = BUF_INIT;
	const char *body;
	json_t *p, *s;
	int64_t now = clock_now();
	int rc;

	if (party_of(r, w, &p) != 0)
		return;
	if (db_begin(r->db) != 0) {
		json_decref(p);
		return resp_fail(r, w, NULL);
	}
	if (draft_of(r, w, p, &s) != 0) {
		db_rollback(r->db);
		json_decref(p);
		return;
	}
	body = str_of(s, "body_md");
	if (body == NULL || *body == '\0' ||
	    json_is_integer(json_object_get(s, "submitted_at"))) {
		db_rollback(r->db);
		resp_error(w, 409,
			   body == NULL || *body == '\0'
				   ? _("Write the text of the statement before "
				       "the secretariat is asked to open it.")
				   : _("The secretariat has been asked to open "
				       "this statement already."));
		json_decref(s);
		json_decref(p);
		return;
	}
	if ((st = db_stmt(r->db, &drafting_sql, D_SUBMIT)) == NULL)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, json_integer_value(json_object_get(s, "id")));
	if (db_run(st) != 0)
		goto fail;
	buf_printf(&link, "%s/admin/statements/",
		   config_current ? config_current->base_url : "");
	esc_url_component(&link, str_of(s, "slug"), strlen(str_of(s, "slug")));
	i18n_push(NULL); /* the secretariat's letters: its language */
	i18n_format(&text,
		    _("{name}, for the working party {party}, asks the "
		      "secretariat to open the statement “{title}” for "
		      "endorsement by the member organisations.\n\nRead it "
		      "and open it: {link}"),
		    "name", r->person->name, "party", str_of(p, "name"),
		    "title", str_of(s, "title"), "link", buf_cstr(&link),
		    NULL);
	rc = mail_to_secretariat(
		r->db,
		i18n_text(r->arena, _("A statement to open: {title}"), "title",
			  str_of(s, "title"), NULL),
		buf_cstr(&text));
	i18n_pop();
	if (rc != 0 ||
	    audit_record_new(r->db, r->person->id, "statement.submit",
			     "statement", str_of(s, "slug"), NULL,
			     json_pack("{s:O}", "party",
				       json_object_get(p, "slug")),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	to_statement(w, str_of(s, "slug"), "submitted");
	buf_free(&text);
	buf_free(&link);
	json_decref(s);
	json_decref(p);
	return;
fail:
	buf_free(&text);
	buf_free(&link);
	json_decref(s);
	json_decref(p);
	resp_fail(r, w, NULL);
}

#define MANAGE                                                                 \
	.action = "party.manage", .object_type = "party",                      \
	.object_param = "slug"

static const struct route drafting_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/statements/new",
	 .who = ACCESS_MEMBER,
	 .handler = draft_new,
	 .flags = ROUTE_FORM,
	 MANAGE,
	 .summary = "The form that drafts a statement of a working party"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/statements",
	 .who = ACCESS_MEMBER,
	 .fields = statement_party_fields,
	 .handler = draft_add,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 MANAGE,
	 .summary = "Drafts a statement of a working party (its chairs)"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/statements/:statement/edit",
	 .who = ACCESS_MEMBER,
	 .handler = draft_edit_form,
	 .flags = ROUTE_FORM,
	 MANAGE,
	 .summary = "The form that changes a working party's draft "
		    "statement"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/statements/:statement/edit",
	 .who = ACCESS_MEMBER,
	 .fields = statement_party_fields,
	 .handler = draft_edit,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 MANAGE,
	 .summary = "Changes a working party's draft statement (until the "
		    "secretariat opens it)"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/statements/:statement/submit",
	 .who = ACCESS_MEMBER,
	 .handler = draft_submit,
	 .flags = ROUTE_PERSONAL,
	 MANAGE,
	 .summary = "Asks the secretariat to open a working party's draft "
		    "statement for endorsement"},
};

const struct module statements_drafting_module = {
	.name = "statements-drafting",
	.routes = drafting_routes,
	.nroutes = ARRAY_LEN(drafting_routes),
	.sql = &drafting_sql,
};
