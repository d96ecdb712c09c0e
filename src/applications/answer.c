/*
 * answer.c -- the applicant's side of the secretariat's questions (see
 * messages.h): GET /join/answer/:token shows the question and the
 * application as sent, with a form to answer it and to correct the
 * organisation's main fields; POST stores the answer; GET /join/answered
 * thanks.  The conversation's rows are messages.c's.
 *
 * A question's link is a random token (auth_token_new) of which only the
 * SHA-256 digest is stored (auth_token_digest), on the question's row of
 * application_messages.  It works once and for MESSAGES_LINK_DAYS; a newer
 * question retires the older links.  An unknown link is a 404; a link of
 * a decided application, of an answered question, or one that expired or
 * was replaced, a 410 that says which and what to do instead.
 *
 * The answer is one write transaction (BEGIN IMMEDIATE), so the link is
 * checked and used by the same statement sequence two clicks cannot both
 * pass: the question's link marked used (an UPDATE that only matches an
 * unused, unexpired link), the corrected fields, the answer's row, the
 * status back to "submitted", one "application.answer" audit record (the
 * fields before and after, the answer), the applicant's receipt and the
 * secretariat's notice; then 303 to /join/answered.  The page is a
 * visitor's form (ROUTE_FORM: a CSRF cookie and token) and personal.
 */
#include "applications_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "applications/messages.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/countries.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/uploads.h"
#include "core/maintenance.h"
#include "core/util.h"
#include "membership/membership.h"
#include "public_limits.h"

/* what resp_fail says when an answer could not be stored */
#define NOT_SAVED                                                              \
	_("Something went wrong on our side. Your answer was not saved; "      \
	  "please try again.")

enum stmt_answer {
	S_BY_TOKEN,
	S_USE,
	S_ANSWER_INSERT,
	S_RESUBMIT,
	S_CORRECT,
	S_DROP_REJECTED,
	S_ANSWER__MAX,
};

static const char *const answer_sql_text[S_ANSWER__MAX] = {
	[S_BY_TOKEN] = "SELECT m.id, m.application_id, m.body, m.created_at,"
		       " m.expires_at, m.used_at, a.status"
		       " FROM application_messages m"
		       " JOIN applications a ON a.id = m.application_id"
		       " WHERE m.token_hash = ? AND m.kind = 'question'",
	/* binds: now, id, now */
	[S_USE] = "UPDATE application_messages SET used_at = ?"
		  " WHERE id = ? AND used_at IS NULL AND expires_at > ?",
	[S_ANSWER_INSERT] =
		"INSERT INTO application_messages (application_id, kind, body,"
		" created_at, attachment_path, attachment_name,"
		" attachment_type, attachment_size)"
		" VALUES (?, 'answer', ?, ?, ?, ?, ?, ?)",
	[S_RESUBMIT] = "UPDATE applications SET status = 'submitted'"
		       " WHERE id = ? AND status = 'more-info'",
	/* binds: the six fields, id */
	[S_CORRECT] = "UPDATE applications SET org_name = ?, org_acronym = ?,"
		      " org_country = ?, org_website = ?, org_description = ?,"
		      " org_contact_address = ? WHERE id = ?",
	/* binds: the cut (unix seconds) */
	[S_DROP_REJECTED] =
		"UPDATE application_messages SET attachment_path = NULL,"
		" attachment_name = NULL, attachment_type = NULL,"
		" attachment_size = NULL"
		" WHERE attachment_path IS NOT NULL AND application_id IN"
		" (SELECT id FROM applications WHERE status = 'rejected'"
		"  AND decided_at < ?)",
};

struct db_sql answer_sql = {"answer", answer_sql_text, S_ANSWER__MAX, 0};

/* The organisation's fields a correction may change: the form's name and
 * the application's column (the form says "country" for org_country). */
static const char *const org_fields[][2] = {
	{"org_name", "org_name"},
	{"org_acronym", "org_acronym"},
	{"country", "org_country"},
	{"org_website", "org_website"},
	{"org_description", "org_description"},
	{"org_contact_address", "org_contact_address"},
};
/* the ones an organisation's application cannot do without */
#define ORG_REQUIRED(name)                                       \
	(strcmp(name, "org_name") == 0 || strcmp(name, "country") == 0 || \
	 strcmp(name, "org_description") == 0)

/* ---- the link ---- */

/* A question found by its link. */
struct question {
	int64_t id, application, created_at;
	const char *body;
};

/* The page of a question link that cannot be used any more (410): what
 * happened and what happens next, under a heading that says it, never a
 * bare error page; a link to the contact form. */
static void
link_gone(struct resp *w, const char *heading, const char *lead)
{
	resp_page(w, 410, "accounts/templates/message.html", heading,
		  json_pack("{s:s,s:s,s:s,s:s}", "heading", heading, "lead",
			    lead, "href", "/contact", "link",
			    _("Contact the secretariat")));
}

/*
 * Finds the question whose link token is and checks that it may be
 * answered now.  1 with q filled (strings in r's arena); otherwise w holds
 * the answer (404 unknown, 410 decided, answered, expired or replaced, 500)
 * and 0 is returned.  Inside or outside a transaction: the caller rolls
 * back.
 */
static int
question_or_respond(struct req *r, struct resp *w, struct question *q)
{
	struct db_stmt *st = db_stmt(r->db, &answer_sql, S_BY_TOKEN);
	char hex[AUTH_HASH_LEN + 1];
	const char *status;
	int64_t expires, used;
	int rc;

	if (st == NULL) {
		membership_read_failed(w);
		return 0;
	}
	auth_token_digest(req_param(r, "token"), hex);
	db_bind_text(st, 1, hex);
	if ((rc = db_step(st)) != DB_ROW) {
		if (rc == DB_DONE)
			resp_error(w, 404,
				   _("This link is not known. Please use the "
				     "link in the latest e-mail from the "
				     "secretariat, or reply to that e-mail."));
		else
			membership_read_failed(w);
		return 0;
	}
	q->id = db_col_int(st, 0);
	q->application = db_col_int(st, 1);
	q->body = arena_strdup(r->arena, db_col_text(st, 2));
	q->created_at = db_col_int(st, 3);
	expires = db_col_int(st, 4);
	used = db_col_int(st, 5);
	status = arena_strdup(r->arena, db_col_text(st, 6));
	db_reset(st);
	if (strcmp(status, "approved") == 0 || strcmp(status, "rejected") == 0)
		link_gone(w, _("Your application has been decided"),
			  _("Your application has been decided already, so "
			    "there is nothing more to answer; the "
			    "secretariat has written to you about the "
			    "decision."));
	else if (used != 0) {
		json_t *t = json_pack("[{s:I}]", "at", (json_int_t)used);

		render_add_times(t, "at");
		link_gone(
			w, _("Your answer has been received"),
			i18n_text(r->arena,
				  _("Your answer was received on {date}, thank "
				    "you. The secretariat reads it with your "
				    "application and writes to you by e-mail: "
				    "with its decision, or with a new link if "
				    "it needs to know more. A link works "
				    "once."),
				  "date",
				  json_string_value(json_object_get(
					  json_array_get(t, 0), "at_text")),
				  NULL));
		json_decref(t);
	} else if (expires <= clock_now())
		link_gone(w, _("This link no longer works"),
			  _("This link has expired, or a newer question from "
			    "the secretariat has replaced it. Please use the "
			    "link in the latest e-mail, or reply to it."));
	else
		return 1;
	return 0;
}

/* ---- the page ---- */

static const struct field answer_fields[] = {
	{.name = "answer", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 5000, .label = N_("Your answer")},
	JOIN_ORG_FIELDS,
	{.name = "document", .type = FT_FILE, .label = N_("A document")},
	{0},
};

/* The largest document an answer takes: the contact form's limit. */
#define ANSWER_MAX_UPLOAD (5u * 1024 * 1024)

/* The endings of the documents an answer takes: PDF, images, office
 * documents (what an ECOSOC letter or a statute comes as). */
static const char *const document_endings[] = {
	".pdf",  ".png", ".jpg",  ".jpeg", ".gif", ".webp", ".tif",
	".tiff", ".doc", ".docx", ".odt",  ".rtf", ".xls",  ".xlsx",
	".ods",  ".ppt", ".pptx", ".odp",  NULL,
};

/*
 * The document sent with the answer, or NULL when none was chosen (a
 * browser sends an empty part without a name then).  One too large or of
 * another kind is a message next to the field (r->errors) and NULL.
 */
static struct upload *
answer_document(struct req *r)
{
	struct upload *up = req_upload(r, "document");
	const char *name, *dot;

	if (up == NULL || (up->size == 0 &&
			   (up->filename == NULL || up->filename[0] == '\0')))
		return NULL;
	if (up->size > ANSWER_MAX_UPLOAD) {
		membership_add_error(
			r, "document",
			i18n_text(
				r->arena,
				_("This document is too large: the limit is "
				  "{mb} MB."),
				"mb",
				arena_printf(r->arena, "%u",
					     ANSWER_MAX_UPLOAD / (1024 * 1024)),
				NULL));
		return NULL;
	}
	name = up->filename ? up->filename : "";
	dot = strrchr(name, '.');
	for (size_t i = 0; dot && document_endings[i]; i++)
		if (strcasecmp(dot, document_endings[i]) == 0)
			return up;
	membership_add_error(r, "document",
			     _("Please send a PDF, an image or an office "
			       "document (Word, Excel, LibreOffice)."));
	return NULL;
}

/* The correction form's values as the application holds them. */
static json_t *
stored_form(json_t *app)
{
	json_t *form = json_object();

	for (size_t i = 0; i < ARRAY_LEN(org_fields); i++) {
		const char *v = membership_str(app, org_fields[i][1]);

		json_object_set_new(form, org_fields[i][0],
				    json_string(v ? v : ""));
	}
	return form;
}

/* The answer page of question q with status: the question, the form (as
 * typed, or as stored), the conversation so far and the application. */
static void
answer_page(struct req *r, struct resp *w, int status,
	    const struct question *q)
{
	json_t *model = review_application_view(r, q->application);
	json_t *talk, *asked;

	if (model == NULL || json_is_null(model) ||
	    (talk = messages_conversation(r->db, q->application)) == NULL) {
		json_decref(model);
		return membership_read_failed(w);
	}
	asked = json_pack("[{s:I}]", "created_at", (json_int_t)q->created_at);
	render_add_times(asked, "created_at");
	json_object_set_new(model, "question",
			    json_pack("{s:s,s:O}", "body", q->body, "asked",
				      json_array_get(asked, 0)));
	json_decref(asked);
	json_object_set_new(model, "for_applicant", json_true());
	json_object_set_new(model, "earlier",
			    json_boolean(json_array_size(talk) > 1));
	json_object_set_new(model, "conversation", talk);
	json_object_set_new(model, "input",
			    r->input ? json_deep_copy(r->input)
				     : stored_form(json_object_get(
					       model, "application")));
	json_object_set_new(
		model, "country_chooser",
		countries_chooser(
			membership_str(json_object_get(model, "input"),
				       "country"),
			COUNTRY_REQUIRED));
	json_object_set_new(model, "max_upload_mb",
			    json_integer(ANSWER_MAX_UPLOAD / (1024 * 1024)));
	json_object_set_new(model, "action",
			    json_sprintf("/join/answer/%s",
					 req_param(r, "token")));
	membership_add_errors(r, model);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "applications/templates/answer.html",
		  _("Answer the secretariat's question"), model);
}

static void
answer_show(struct req *r, struct resp *w)
{
	struct question q;

	if (question_or_respond(r, w, &q))
		answer_page(r, w, 200, &q);
}

static void
answer_thanks(struct req *r, struct resp *w)
{
	resp_page(w, 200, "applications/templates/answer_thanks.html",
		  _("Answer received"), json_object());
}

/* ---- storing the answer ---- */

/*
 * The corrections of an organisation's application: the fields sent whose
 * value differs from app's go into before and after ({column: value},
 * null for a cleared field), and a required field sent empty is a
 * message.  Fields not sent are left as they are.
 */
static void
corrections(struct req *r, json_t *app, json_t *before, json_t *after)
{
	for (size_t i = 0; i < ARRAY_LEN(org_fields); i++) {
		const char *name = org_fields[i][0], *col = org_fields[i][1];
		const char *old = membership_str(app, col);
		const char *v = membership_value_or_null(r, name);

		if (r->input == NULL || json_object_get(r->input, name) == NULL)
			continue;
		if (v == NULL && ORG_REQUIRED(name)) {
			const struct field *f = &answer_fields[1 + i];

			membership_add_error(
				r, name,
				i18n_text(r->arena,
					  _("{label} cannot be left "
					    "empty"),
					  "label", _(f->label), NULL));
			continue;
		}
		if ((v == NULL && old == NULL) ||
		    (v && old && strcmp(v, old) == 0))
			continue;
		json_object_set_new(before, col,
				    old ? json_string(old) : json_null());
		json_object_set_new(after, col, v ? json_string(v) : json_null());
	}
}

/* Writes the corrected fields of app (after holds the changed ones). */
static int
apply_corrections(struct req *r, int64_t id, json_t *app, json_t *after)
{
	struct db_stmt *st = db_stmt(r->db, &answer_sql, S_CORRECT);

	if (st == NULL)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(org_fields); i++) {
		const char *col = org_fields[i][1];
		json_t *v = json_object_get(after, col);

		db_bind_text(st, (int)i + 1,
			     v ? json_string_value(v)
			       : membership_str(app, col));
	}
	db_bind_int(st, ARRAY_LEN(org_fields) + 1, id);
	return db_run(st);
}

/* The receipt to the applicant, in the language of the page the answer
 * was sent from (recorded for the address, as Join's receipt is), and the
 * notice to the secretariat in the default language. */
static int
answer_mails(struct req *r, json_t *app, int64_t id, const char *answer)
{
	const char *subject = applications_subject(app);
	const char *email = membership_str(app, "applicant_email");
	int rc;

	if (mail_remember_language(r->db, r->arena, email) != 0 ||
	    mail_letter(r->db, email, membership_str(app, "applicant_name"),
			_("We received your answer"),
			i18n_text(r->arena,
				  _("Thank you for answering the secretariat's "
				    "question about your application ({level}, "
				    "for {name}). Your answer:\n\n{answer}\n\n"
				    "The secretariat will review your "
				    "application again and write to you at "
				    "this address."),
				  "level", membership_str(app, "level_name"),
				  "name", subject, "answer", answer, NULL)) !=
		    0)
		return -1;
	i18n_push(NULL);
	rc = mail_to_secretariat(
		r->db,
		i18n_text(r->arena, _("Answer about the application: {name}"),
			  "name", subject, NULL),
		i18n_text(
			r->arena,
			_("{applicant} <{email}> answered your question about "
			  "the application for {name}:\n\n{answer}\n\nThe "
			  "application is waiting for a decision "
			  "again:\n\n{link}"),
			"applicant", membership_str(app, "applicant_name"),
			"email", email, "name", subject, "answer", answer,
			"link",
			arena_printf(r->arena, "%s/admin/applications/%lld",
				     config_current->base_url, (long long)id),
			NULL));
	i18n_pop();
	return rc;
}

static void
answer_submit(struct req *r, struct resp *w)
{
	struct question q;
	struct db_stmt *st;
	struct upload *up = answer_document(r);
	json_t *view, *app, *before, *after;
	const char *answer, *msg = NULL, *stored = NULL;
	int64_t t = clock_now();
	int ok, wait;

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NOT_SAVED);
	if (!question_or_respond(r, w, &q)) {
		db_rollback(r->db);
		return;
	}
	if ((view = review_application_view(r, q.application)) == NULL ||
	    json_is_null(view)) {
		json_decref(view);
		return resp_fail(r, w, NOT_SAVED);
	}
	app = json_object_get(view, "application");
	before = json_pack("{s:s}", "status", membership_str(app, "status"));
	after = json_pack("{s:s}", "status", "submitted");
	if (json_is_true(json_object_get(view, "is_org")))
		corrections(r, app, before, after);
	if (r->errors) {
		json_decref(view);
		json_decref(before);
		json_decref(after);
		db_rollback(r->db);
		return answer_page(r, w, 422, &q);
	}
	wait = limits_check(r, w, &limits_join_answer,
			    membership_str(app, "applicant_email"),
			    N_("answers"), &msg);
	if (wait != 0) {
		json_decref(view);
		json_decref(before);
		json_decref(after);
		if (wait < 0)
			return resp_fail(r, w, NOT_SAVED);
		db_rollback(r->db);
		if (r->want_json)
			return resp_error(w, 429, msg);
		membership_add_error(r, "answer", msg);
		return answer_page(r, w, 429, &q);
	}
	if (up) {
		/* documents per client and per application */
		wait = limits_check(r, w, &limits_answer_files,
				    membership_id_text(r->arena, q.application),
				    N_("documents"), &msg);
		if (wait != 0) {
			json_decref(view);
			json_decref(before);
			json_decref(after);
			if (wait < 0)
				return resp_fail(r, w, NOT_SAVED);
			db_rollback(r->db);
			if (r->want_json)
				return resp_error(w, 429, msg);
			membership_add_error(r, "document", msg);
			return answer_page(r, w, 429, &q);
		}
		/* moved into the store (fsynced) once everything else was
		 * checked, inside the transaction (unlike the contact form,
		 * which keeps it between two: the link must be checked and
		 * used in one); a file no row names after a failure is only
		 * space, the store being content-addressed */
		if ((stored = http_upload_keep(r, up)) == NULL) {
			json_decref(view);
			json_decref(before);
			json_decref(after);
			return resp_fail(r, w, NOT_SAVED);
		}
	}
	answer = req_value(r, "answer")->str;
	json_object_set_new(after, "answer", json_string(answer));
	ok = (st = db_stmt(r->db, &answer_sql, S_USE)) != NULL;
	if (ok) {
		db_bind_int(st, 1, t);
		db_bind_int(st, 2, q.id);
		db_bind_int(st, 3, t);
		ok = db_run(st) == 0 && db_changes(r->db) == 1;
	}
	if (ok && json_object_size(after) > 2)
		ok = apply_corrections(r, q.application, app, after) == 0;
	if (up) /* after the count of corrections above */
		json_object_set_new(after, "document",
				    json_string(up->filename));
	if (ok && (ok = (st = db_stmt(r->db, &answer_sql,
				      S_ANSWER_INSERT)) != NULL)) {
		db_bind_int(st, 1, q.application);
		db_bind_text(st, 2, answer);
		db_bind_int(st, 3, t);
		db_bind_text(st, 4, stored);
		db_bind_text(st, 5, up ? up->filename : NULL);
		db_bind_text(st, 6, up ? up->content_type : NULL);
		if (up)
			db_bind_int(st, 7, (int64_t)up->size);
		ok = db_run(st) == 0;
	}
	if (ok && (ok = (st = db_stmt(r->db, &answer_sql, S_RESUBMIT)) !=
			NULL)) {
		db_bind_int(st, 1, q.application);
		ok = db_run(st) == 0 && db_changes(r->db) == 1;
	}
	ok = ok &&
	     audit_record(r->db, r->person ? r->person->id : 0,
			  "application.answer", "application",
			  membership_id_text(r->arena, q.application), before,
			  after, r->client) == 0 &&
	     answer_mails(r, app, q.application, answer) == 0 &&
	     db_commit(r->db) == 0;
	json_decref(view);
	json_decref(before);
	json_decref(after);
	if (!ok)
		return resp_fail(r, w, NOT_SAVED);
	resp_redirect(w, "/join/answered");
}

/* ---- the route table ---- */

#define T ACCESS_PUBLIC

/* Before join.c's routes: "/join/answered" is not a level. */
static const struct route answer_routes[] = {
	{.method = HTTP_GET, .pattern = "/join/answered", .who = T,
	 .handler = answer_thanks,
	 .summary = "Says the answer to the secretariat's question was "
		    "received"},
	{.method = HTTP_GET, .pattern = "/join/answer/:token", .who = T,
	 .handler = answer_show, .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "The secretariat's question to an applicant (private "
		    "link from the e-mail), the application as sent, and the "
		    "form to answer"},
	{.method = HTTP_POST, .pattern = "/join/answer/:token", .who = T,
	 .fields = answer_fields, .handler = answer_submit,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .max_body = ANSWER_MAX_UPLOAD + 64 * 1024,
	 .summary = "Answers the question once: stored, application "
		    "submitted again, receipt to the applicant, notice to "
		    "the secretariat"},
};

int64_t
answer_documents_retention_run(struct db *db, int64_t now)
{
	struct db_stmt *st = db_stmt(db, &answer_sql, S_DROP_REJECTED);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, now - REJECTED_DOCUMENTS_KEPT);
	if (db_run(st) != 0)
		return -1;
	return db_changes(db);
}

static void
answer_init(void)
{
	maintenance_add_step(answer_documents_retention_run);
}

/* the column that names its stored files (core/uploads.h) */
static const struct upload_column answer_uploads[] = {
	{"application_messages", "attachment_path"},
	{NULL, NULL},
};

const struct module answer_module = {
	.name = "answer",
	.routes = answer_routes,
	.nroutes = ARRAY_LEN(answer_routes),
	.sql = &answer_sql,
	.init = answer_init,
	.uploads = answer_uploads,
};
