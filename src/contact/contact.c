/*
 * contact.c -- see contact.h.  The form is the platform's first public
 * write: its fields are declared below and validated by the core; the
 * handler re-renders the form with the messages when something is wrong
 * (422), otherwise stores the message and its attachment in one
 * transaction and redirects (303) to a thank-you page, so a reload does not
 * send it twice.  The attachment is streamed by the core to a temporary
 * file and moved into the content-addressed upload store only once the
 * message is accepted.  Sending is limited per client and per sender
 * address, documents per client and day (public_limits.h).  Documents are kept
 * contact_retention_days (180 by default): an hourly maintenance step
 * removes older ones (their columns; the files go with the sweep of the
 * store, core/uploads.h) and keeps the message.
 */
#include "contact.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/config.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/maintenance.h"
#include "core/uploads.h"
#include "core/util.h"
#include "public_limits.h"

#define CONTACT_MAX_UPLOAD (5u * 1024 * 1024)

enum stmt_contact {
	STMT_CONTACT_INSERT,
	STMT_CONTACT_DROP_FILES,
	STMT_CONTACT_OPEN,
	STMT_CONTACT__MAX,
};

static const char *const contact_sql_text[STMT_CONTACT__MAX] = {
	[STMT_CONTACT_INSERT] =
		"INSERT INTO contact_messages (name, email, organisation,"
		" subject, message, attachment_path, attachment_name,"
		" attachment_type, attachment_size, client)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* created_at is UTC text, 'YYYY-MM-DD HH:MM:SS'; binds: the cut */
	[STMT_CONTACT_DROP_FILES] =
		"UPDATE contact_messages SET attachment_path = NULL,"
		" attachment_name = NULL, attachment_type = NULL,"
		" attachment_size = NULL"
		" WHERE attachment_path IS NOT NULL AND created_at < ?",
	[STMT_CONTACT_OPEN] = "SELECT count(*) FROM contact_messages"
			      " WHERE handled_at IS NULL",
};

struct db_sql contact_sql = {"contact", contact_sql_text, STMT_CONTACT__MAX, 0};

/* The values sent and stored stay English; the page shows them
 * translated. */
static const char *const subjects[] = {
	N_("Membership"),	N_("Working parties"), N_("Statements"),
	N_("Resource library"), N_("Sponsorship"),     N_("Press"),
	N_("Something else"),	NULL,
};

static const struct field contact_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Your name")},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = N_("Email")},
	{.name = "organisation", .type = FT_TEXT, .maxlen = 200,
	 .label = N_("Organisation")},
	{.name = "subject", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = subjects, .label = N_("Subject")},
	{.name = "message", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 10000, .label = N_("Message")},
	{.name = "attachment", .type = FT_FILE, .label = N_("Attachment")},
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
			opts, json_pack("{s:s,s:s,s:b}", "value", subjects[i],
					"label", _(subjects[i]), "selected",
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
		  _("Contact the secretariat"), form_model(r));
}

/* The form again with the messages of r->errors, also as the summary at
 * the top. */
static void
form_again(struct req *r, struct resp *w, int status)
{
	json_t *m = form_model(r);

	resp_form_errors(m, r->errors);
	resp_page(w, status, "contact/templates/contact.html",
		  _("Contact the secretariat"), m);
}

/*
 * Counts this message against the limits, in the open transaction:
 * messages per client and per sender address, and a document's count and
 * size per client and day.  0 to go on; 1 when refused (429: the form
 * again with the sentence, or the error object for JSON; the transaction
 * rolled back); -1 on error.
 */
static int
limited_or_respond(struct req *r, struct resp *w, const char *email,
		   const struct upload *up)
{
	const char *msg = NULL, *field = "email";
	int wait = limits_check(r, w, &limits_contact, email, N_("messages"),
				&msg);

	if (wait == 0 && up) {
		field = "attachment";
		int kib = (int)((up->size + 1023) / 1024);

		wait = limits_check(r, w, &limits_contact_files, NULL,
				    N_("documents"), &msg);
		if (wait == 0 && kib > 0) {
			wait = ratelimit_add(
				r->db,
				arena_printf(r->arena, "contact-kib:client:%s",
					     limits_client(r)),
				kib < LIMITS_CONTACT_KIB_PER_DAY
					? kib
					: LIMITS_CONTACT_KIB_PER_DAY,
				LIMITS_CONTACT_KIB_PER_DAY, 86400, clock_now());
			if (wait > 0)
				limits_refused(r, w, wait, N_("documents"),
					       &msg);
		}
	}
	if (wait <= 0)
		return wait;
	db_rollback(r->db);
	if (r->want_json) {
		resp_error(w, 429, msg);
	} else {
		r->errors = json_pack("{s:s}", field, msg);
		form_again(r, w, 429);
	}
	return 1;
}

static void
contact_send(struct req *r, struct resp *w)
{
	struct upload *up = req_upload(r, "attachment");
	const char *stored = NULL;
	struct db_stmt *st;
	int rc;

	if (r->errors)
		return form_again(r, w, 422);
	/* the limits first, in a transaction of their own (the attempt
	 * counts) ... */
	if (db_begin(r->db) != 0)
		goto fail;
	rc = limited_or_respond(r, w, req_value(r, "email")->str, up);
	if (rc > 0)
		return;
	if (rc < 0 || db_commit(r->db) != 0)
		goto fail;
	/* ... then the file, kept (and synced) outside any transaction, so
	 * the writers of the process do not wait for its fsync */
	if (up && (stored = http_upload_keep(r, up)) == NULL)
		goto fail;
	if (db_begin(r->db) != 0)
		goto fail;
	st = db_stmt(r->db, &contact_sql, STMT_CONTACT_INSERT);
	if (st == NULL)
		goto fail;
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
		goto fail;
	resp_redirect(w, "/contact/thanks");
	return;
fail:
	/* a stored file stays: content-addressed, it may be shared */
	resp_fail(r, w,
		  _("Your message could not be saved. Please try again "
		    "later."));
}

static void
contact_thanks(struct req *r, struct resp *w)
{
	resp_page(w, 200, "contact/templates/thanks.html", _("Message sent"),
		  json_object());
}

/*
 * Removes the documents of messages created before now - max_age seconds:
 * the message keeps its text and loses its document's columns, in one
 * statement.  The file goes with the sweep that ends the same
 * maintenance pass (core/uploads.h), once no row of any table names it:
 * the store is content-addressed, so a newer message, a meeting's
 * document or a party's resource may be the same file.  The number of
 * documents removed, or -1.
 */
int64_t
contact_retention_run(struct db *db, int64_t now, int64_t max_age)
{
	struct db_stmt *st;
	char cut[32];
	time_t t = (time_t)(now - max_age);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(cut, sizeof(cut), "%Y-%m-%d %H:%M:%S", &tm);
	if ((st = db_stmt(db, &contact_sql, STMT_CONTACT_DROP_FILES)) == NULL)
		return -1;
	db_bind_text(st, 1, cut);
	if (db_run(st) != 0)
		return -1;
	return db_changes(db);
}

/* contact_retention_days, the module's setting. */
static unsigned retention_days = 180;

const struct config_setting contact_settings[] = {
	{
		.key = "contact_retention_days",
		.kind = CONFIG_UINT,
		.min = 1,
		.max = 36500,
		.help = "days a document sent with the contact form is kept "
			"(the message stays)",
		.storage = &retention_days,
		.def = "180",
	},
	{.key = NULL},
};

/* The maintenance step: documents older than contact_retention_days. */
static int64_t
retention_step(struct db *db, int64_t now)
{
	return contact_retention_run(db, now, (int64_t)retention_days * 86400);
}

void
contact_init(void)
{
	maintenance_add_step(retention_step);
}

static const struct route contact_routes[] = {
	{.method = HTTP_GET, .pattern = "/contact", .who = ACCESS_PUBLIC,
	 .handler = contact_form, .flags = ROUTE_FORM,
	 .summary = "The form to write to the secretariat"},
	{.method = HTTP_POST, .pattern = "/contact", .who = ACCESS_PUBLIC,
	 .fields = contact_fields, .handler = contact_send,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .max_body = CONTACT_MAX_UPLOAD + 64 * 1024,
	 .summary = "Sends a message (and an optional document) to the "
		    "secretariat"},
	{.method = HTTP_GET, .pattern = "/contact/thanks",
	 .who = ACCESS_PUBLIC, .handler = contact_thanks,
	 .summary = "Confirms that a message was sent"},
};

/* The overview's count of messages not handled yet. */
static int
count_open(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &contact_sql, STMT_CONTACT_OPEN);

	return st ? db_one_int(st, n) : -1;
}

/* Its tile of the secretariat's overview (admin/menu.c); the messages'
 * pages are the admin module's. */
static const struct admin_tile contact_tiles[] = {
	{N_("Contact messages not handled"), "/admin/messages?show=open", 50,
	 count_open},
};

static const struct menu_entry contact_nav[] = {
	{.path = "/contact", .label = N_("Contact"), .order = 70},
};

/* the column that names its stored files (core/uploads.h) */
static const struct upload_column contact_uploads[] = {
	{"contact_messages", "attachment_path"},
	{NULL, NULL},
};

const struct module contact_module = {
	.name = "contact",
	.routes = contact_routes,
	.nroutes = ARRAY_LEN(contact_routes),
	.sql = &contact_sql,
	.init = contact_init,
	.nav = contact_nav,
	.nnav = ARRAY_LEN(contact_nav),
	.admin_tiles = contact_tiles,
	.nadmin_tiles = ARRAY_LEN(contact_tiles),
	.settings = contact_settings,
	.uploads = contact_uploads,
};
