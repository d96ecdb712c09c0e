/*
 * contact.c -- see contact.h.  The form is the platform's first public
 * write: its fields are declared below and validated by the core; the
 * handler re-renders the form with the messages when something is wrong
 * (422), otherwise stores the message and its attachment in one
 * transaction and redirects (303) to a thank-you page, so a reload does not
 * send it twice.  The attachment is streamed by the core to a temporary
 * file and moved into the content-addressed upload store only once the
 * message is accepted.  The secretariat's view of the messages comes with
 * accounts and roles.
 */
#include "contact.h"

#include <string.h>

#include "core/db.h"
#include "core/util.h"

#define CONTACT_MAX_UPLOAD (5u * 1024 * 1024)

enum stmt_contact {
	STMT_CONTACT_INSERT,
	STMT_CONTACT__MAX,
};

static const char *const contact_sql_text[STMT_CONTACT__MAX] = {
	[STMT_CONTACT_INSERT] =
		"INSERT INTO contact_messages (name, email, organisation,"
		" subject, message, attachment_path, attachment_name,"
		" attachment_type, attachment_size, client)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
};

static struct db_sql contact_sql = {"contact", contact_sql_text,
				    STMT_CONTACT__MAX, 0};

static const char *const subjects[] = {
	"Membership", "Working parties", "Statements", "Resource library",
	"Sponsorship", "Press", "Something else", NULL,
};

static const struct field contact_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Your name"},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = "Email"},
	{.name = "organisation", .type = FT_TEXT, .maxlen = 200,
	 .label = "Organisation"},
	{.name = "subject", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = subjects, .label = "Subject"},
	{.name = "message", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 10000, .label = "Message"},
	{.name = "attachment", .type = FT_FILE, .label = "Attachment"},
	{0},
};

/* The form's model: the subjects, what was typed, and the messages. */
static json_t *
form_model(const struct req *r)
{
	json_t *opts = json_array(), *input = r->input;
	const char *chosen =
		input ? json_string_value(json_object_get(input, "subject"))
		      : NULL;

	for (size_t i = 0; subjects[i]; i++)
		json_array_append_new(
			opts, json_pack("{s:s,s:b}", "value", subjects[i],
					"selected",
					chosen && strcmp(chosen, subjects[i]) == 0));
	return json_pack("{s:o,s:o,s:o,s:I}", "subjects", opts, "input",
			 input ? json_incref(input) : json_object(), "errors",
			 r->errors ? json_incref(r->errors) : json_object(),
			 "max_upload_mb",
			 (json_int_t)(CONTACT_MAX_UPLOAD / (1024 * 1024)));
}

static void
contact_form(struct req *r, struct resp *w)
{
	resp_page(w, 200, "contact/templates/contact.html",
		  "Contact the secretariat", form_model(r));
}

static void
contact_send(struct req *r, struct resp *w)
{
	struct upload *up = req_upload(r, "attachment");
	const char *stored = NULL;
	struct db_stmt *st;

	if (r->errors) {
		json_t *m = form_model(r);

		/* the messages again, as the summary at the top */
		json_object_set_new(m, "error_list", resp_error_list(r->errors));
		json_object_set_new(m, "has_errors", json_true());
		resp_page(w, 422, "contact/templates/contact.html",
			  "Contact the secretariat", m);
		return;
	}
	/* the file is kept (and synced) before the transaction, so the
	 * writers of the process do not wait for its fsync */
	if (up && (stored = http_upload_keep(r, up)) == NULL)
		goto fail;
	if (db_begin(r->db) != 0)
		goto fail;
	st = db_stmt(r->db, &contact_sql, STMT_CONTACT_INSERT);
	if (st == NULL)
		goto rollback;
	db_bind_text(st, 1, req_value(r, "name")->str);
	db_bind_text(st, 2, req_value(r, "email")->str);
	db_bind_text(st, 3, req_value(r, "organisation")->str);
	db_bind_text(st, 4, req_value(r, "subject")->str);
	db_bind_text(st, 5, req_value(r, "message")->str);
	db_bind_text(st, 6, stored);
	db_bind_text(st, 7, up ? up->filename : NULL);
	db_bind_text(st, 8, up ? up->content_type : NULL);
	if (up)
		db_bind_int(st, 9, (int64_t)up->size);
	db_bind_text(st, 10, r->client);
	if (db_run(st) != 0 || db_commit(r->db) != 0)
		goto rollback;
	resp_redirect(w, "/contact/thanks");
	return;
rollback:
	/* the stored file stays: content-addressed, it may be shared */
	db_rollback(r->db);
fail:
	resp_error(w, 500, "Your message could not be saved. Please try "
			   "again later.");
}

static void
contact_thanks(struct req *r, struct resp *w)
{
	resp_page(w, 200, "contact/templates/thanks.html", "Message sent",
		  json_object());
}

static const struct route contact_routes[] = {
	{HTTP_GET, "/contact", ACCESS_PUBLIC, NULL, contact_form, ROUTE_FORM, 0,
	 "The form to write to the secretariat"},
	{HTTP_POST, "/contact", ACCESS_PUBLIC, contact_fields, contact_send,
	 ROUTE_OWN_ERRORS | ROUTE_PERSONAL, CONTACT_MAX_UPLOAD + 64 * 1024,
	 "Sends a message (and an optional document) to the secretariat"},
	{HTTP_GET, "/contact/thanks", ACCESS_PUBLIC, NULL, contact_thanks, 0, 0,
	 "Confirms that a message was sent"},
};

const struct module contact_module = {"contact", contact_routes,
				      ARRAY_LEN(contact_routes), &contact_sql};
