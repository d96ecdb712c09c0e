/*
 * admin.c -- the secretariat's side of the platform: a dashboard of what
 * needs attention, the mail outbox, the audit log and the messages sent
 * with the contact form.  The people desk is the accounts module's
 * (accounts/people.c): it shows what other modules say of people, which
 * this folder may not name.
 *
 * Its pages show the one secretariat menu and the overview its tiles of
 * work waiting (menu.c).
 *
 * Every route is ACCESS_ADMIN and personal (no-store).  Lists read their
 * filters from declared, validated query fields (bad input is the core's
 * 422) and show PAGE_SIZE rows a page with a fixed number of statements:
 * each reads one row more than a page to know whether a next page exists.
 * Filters reach SQL only as bound values; a condition is switched off by
 * binding NULL, as in core/audit.c.
 *
 * The one change made here -- a contact message marked handled -- is one
 * transaction that also writes its audit record.
 */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/db.h"
#include "core/pager.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/util.h"

#define PAGE_SIZE 50
#define MAX_PAGE 100000

enum stmt_admin {
	S_DASHBOARD,
	S_MESSAGES_LIST,
	S_MESSAGE_HANDLED_AT,
	S_MESSAGE_SET_HANDLED,
	S_MESSAGE_DOCUMENT,
	S_ADMIN__MAX,
};

static const char *const admin_sql_text[S_ADMIN__MAX] = {
	[S_DASHBOARD] =
		"SELECT"
		" (SELECT COUNT(*) FROM people WHERE role = 'member')"
		"  AS members,"
		" (SELECT COUNT(*) FROM people WHERE role = 'editor')"
		"  AS editors,"
		" (SELECT COUNT(*) FROM people WHERE role = 'admin')"
		"  AS admins,"
		" (SELECT COUNT(*) FROM people"
		"  WHERE email_verified_at IS NULL) AS unverified,"
		" (SELECT COUNT(*) FROM outbox WHERE status = 'queued')"
		"  AS outbox_queued,"
		" (SELECT COUNT(*) FROM outbox WHERE status = 'failed')"
		"  AS outbox_failed,"
		" (SELECT COUNT(*) FROM outbox WHERE status = 'sent')"
		"  AS outbox_sent,"
		" (SELECT COUNT(*) FROM contact_messages"
		"  WHERE handled_at IS NULL) AS messages_open",
	/* binds: "open" (only messages not handled) or NULL (all), limit,
	 * offset */
	[S_MESSAGES_LIST] =
		"SELECT id, name, email, organisation, subject, message,"
		" attachment_name, attachment_type, attachment_size,"
		" created_at, handled_at FROM contact_messages"
		" WHERE (CAST(? AS TEXT) IS NULL OR handled_at IS NULL)"
		" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
	[S_MESSAGE_HANDLED_AT] = "SELECT handled_at FROM contact_messages"
				 " WHERE id = ?",
	[S_MESSAGE_SET_HANDLED] = "UPDATE contact_messages SET handled_at = ?"
				  " WHERE id = ? AND handled_at IS NULL",
	[S_MESSAGE_DOCUMENT] = "SELECT attachment_path, attachment_name"
			       " FROM contact_messages WHERE id = ?"
			       " AND attachment_path IS NOT NULL",
};

static struct db_sql admin_sql = {"admin", admin_sql_text, S_ADMIN__MAX, 0};

static const char *const shows[] = {"open", "all", NULL};
/* what a list page says after a change sent the browser back to it */
static const char *const done_handled[] = {"handled", NULL};

/* ---- shared pieces ---- */

static void
read_failed(struct resp *w)
{
	resp_error(w, 500,
		   _("Something went wrong on our side: the list could not be "
		     "read."));
}

/* The lists' links leave out the one-shot notice of a change. */
static const char *const keep_out[] = {"done", NULL};

/* The rows the page asked for skips (pager.c reads it). */
static int64_t
page_offset(const struct req *r)
{
	struct pager p;

	pager_read(r, PAGE_SIZE, &p);
	return pager_offset(&p);
}

/* The pager of the list at path: {page, has_pages, prev_href,
 * next_href}, its links keeping the filters. */
static json_t *
pager(struct req *r, const char *path, int has_next)
{
	struct pager p;

	pager_read(r, PAGE_SIZE, &p);
	return pager_model(r, &p, path, keep_out, has_next, -1);
}

/* The text of a declared field, or NULL when it was not given. */
static const char *
value_or_null(const struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present ? v->str : NULL;
}

/* A page of the secretariat: personal, with the secretariat's menu (for
 * people; JSON clients get the model alone). */
static void
admin_page(const struct req *r, struct resp *w, const char *tmpl,
	   const char *title, const char *path, json_t *model)
{
	admin_secretariat_page(r, w, 200, tmpl, title, path, model);
}

/*
 * For each row object of rows whose key holds a UTC time as text -- SQL's
 * CURRENT_TIMESTAMP "2026-11-29 06:20:00" or the audit log's
 * "2026-11-29T06:20:00Z" -- adds key_iso and key_text as render_add_times
 * does for unix seconds.  Rows whose text does not parse are left alone.
 */
static void
add_text_times(json_t *rows, const char *key)
{
	char iso_key[64], text_key[64];
	json_t *row;
	size_t i;

	snprintf(iso_key, sizeof(iso_key), "%s_iso", key);
	snprintf(text_key, sizeof(text_key), "%s_text", key);
	json_array_foreach (rows, i, row) {
		const char *s = json_string_value(json_object_get(row, key));
		struct tm tm = {0};
		char iso[32], text[80], sep;
		int y, mo, d, h, mi, se;

		if (s == NULL ||
		    sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &sep, &h,
			   &mi, &se) != 7 ||
		    (sep != ' ' && sep != 'T') || mo < 1 || mo > 12 || d < 1 ||
		    d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 ||
		    se > 60)
			continue;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = se;
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		render_time_text(&tm, text, sizeof(text));
		json_object_set_new(row, iso_key, json_string(iso));
		json_object_set_new(row, text_key, json_string(text));
	}
}

/* Now, in UTC, in the form of SQL's CURRENT_TIMESTAMP (which is how
 * contact_messages.created_at is written), into out[20]. */
static void
sql_timestamp_now(char out[20])
{
	time_t now = (time_t)clock_now();
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- the dashboard ---- */

static void
dashboard(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &admin_sql, S_DASHBOARD);
	json_t *counts = st ? db_one_json(st) : NULL;
	json_t *waiting;

	if (counts == NULL || !json_is_object(counts)) {
		json_decref(counts);
		return read_failed(w);
	}
	if ((waiting = admin_tiles(r)) == NULL) {
		json_decref(counts);
		return read_failed(w);
	}
	admin_page(r, w, "admin/templates/dashboard.html", _("Secretariat"),
		   "/admin",
		   json_pack("{s:o,s:o,s:b,s:s}", "counts", counts, "waiting",
			     waiting, "secretariat_unreachable",
			     !mail_secretariat_reachable(), "mail_from_example",
			     "ALLIANCE_MAIL_FROM=\"Alliance secretariat "
			     "<secretariat@example.org>\""));
}

/* ---- the outbox ---- */

static const struct field page_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = MAX_PAGE,
	 .label = N_("Page")},
	{0},
};

static void
outbox_page(struct req *r, struct resp *w)
{
	json_t *rows = mail_outbox_list(r->db, PAGE_SIZE + 1,
					(int)page_offset(r));
	json_t *model;
	int has_next;

	if (rows == NULL)
		return read_failed(w);
	has_next = pager_trim(rows, PAGE_SIZE);
	render_add_times(rows, "created_at");
	render_add_times(rows, "sent_at");
	model = json_pack("{s:o,s:o}", "messages", rows, "pager",
			  pager(r, "/admin/outbox", has_next));
	admin_page(r, w, "admin/templates/outbox.html", _("Outbox"),
		   "/admin/outbox", model);
}

/* ---- the audit log ---- */

static const struct field audit_fields[] = {
	{.name = "actor", .type = FT_INT, .min = 1, .max = INT64_MAX,
	 .label = N_("Person (id)")},
	{.name = "action", .type = FT_TEXT, .maxlen = 100,
	 .label = N_("Action begins with")},
	{.name = "object_type", .type = FT_TEXT, .maxlen = 60,
	 .label = N_("Object type")},
	{.name = "object_id", .type = FT_TEXT, .maxlen = 60,
	 .label = N_("Object id")},
	{.name = "since", .type = FT_DATE, .label = N_("From")},
	{.name = "until", .type = FT_DATE, .label = N_("Until")},
	{.name = "page", .type = FT_INT, .min = 1, .max = MAX_PAGE,
	 .label = N_("Page")},
	{0},
};

/* One before/after value as text a person reads: strings as they are,
 * numbers in decimal, true/false (values, as the audit log stores them),
 * "(none)" for null (in the current language), anything nested as
 * compact JSON.  A new JSON string. */
static json_t *
readable_value(json_t *v)
{
	json_t *s;
	char *text;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return json_incref(v);
	case JSON_INTEGER:
		return json_sprintf("%" JSON_INTEGER_FORMAT,
				    json_integer_value(v));
	case JSON_REAL:
		return json_sprintf("%g", json_real_value(v));
	case JSON_TRUE:
		return json_string("true");
	case JSON_FALSE:
		return json_string("false");
	case JSON_NULL:
		return json_string(_("(none)"));
	default:
		text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
					     JSON_ENCODE_ANY);
		s = json_string(text ? text : "");
		free(text);
		return s;
	}
}

/* A before/after column as [{key, value}] for a key: value list; a value
 * that is not an object becomes one pair named "value".  New reference. */
static json_t *
readable_pairs(json_t *v)
{
	json_t *list = json_array(), *x;
	const char *k;

	if (json_is_object(v)) {
		json_object_foreach (v, k, x)
			json_array_append_new(
				list, json_pack("{s:s,s:o}", "key", k, "value",
						readable_value(x)));
	} else if (v != NULL && !json_is_null(v)) {
		json_array_append_new(list,
				      json_pack("{s:s,s:o}", "key", "value",
						"value", readable_value(v)));
	}
	return list;
}

/* Adds to each audit row its before/after as key: value lists and
 * whether the system (actor 0) made the change. */
static void
audit_readable(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		json_t *before = json_object_get(row, "before");
		json_t *after = json_object_get(row, "after");
		json_int_t actor = json_integer_value(json_object_get(row,
								      "actor"));

		json_object_set_new(row, "before_pairs", readable_pairs(before));
		json_object_set_new(row, "after_pairs", readable_pairs(after));
		json_object_set_new(row, "system", json_boolean(actor == 0));
	}
}

static void
audit_page(struct req *r, struct resp *w)
{
	const struct value *actor = req_value(r, "actor");
	struct audit_filter f = {0};
	json_t *rows, *model;
	int has_next;

	f.actor = actor->present ? actor->num : 0;
	f.action = value_or_null(r, "action");
	f.object_type = value_or_null(r, "object_type");
	f.object_id = value_or_null(r, "object_id");
	f.since = value_or_null(r, "since");
	f.until = value_or_null(r, "until");
	rows = audit_list(r->db, &f, PAGE_SIZE + 1, (int)page_offset(r));
	if (rows == NULL)
		return read_failed(w);
	has_next = pager_trim(rows, PAGE_SIZE);
	add_text_times(rows, "at");
	audit_readable(rows);
	model = json_pack("{s:o,s:o,s:o}", "entries", rows, "filter",
			  pager_filters(r, keep_out), "pager",
			  pager(r, "/admin/audit", has_next));
	admin_page(r, w, "admin/templates/audit.html", _("Audit log"),
		   "/admin/audit", model);
}

/* ---- contact messages ---- */

static const struct field messages_fields[] = {
	{.name = "show", .type = FT_CHOICE, .choices = shows,
	 .label = N_("Show")},
	{.name = "page", .type = FT_INT, .min = 1, .max = MAX_PAGE,
	 .label = N_("Page")},
	{.name = "done", .type = FT_CHOICE, .choices = done_handled},
	{0},
};

/* A size in bytes as "850 bytes", "12.5 KB", "3.1 MB", in the current
 * language. */
static json_t *
size_text(json_int_t n)
{
	struct buf b = BUF_INIT;
	char num[32];
	json_t *s;

	if (n < 1024) {
		snprintf(num, sizeof(num), "%lld", (long long)n);
		i18n_format(&b, _n("{n} byte", "{n} bytes", (unsigned long)n),
			    "n", num, NULL);
	} else if (n < 1024 * 1024) {
		snprintf(num, sizeof(num), "%.1f", (double)n / 1024);
		i18n_format(&b, _("{size} KB"), "size", num, NULL);
	} else {
		snprintf(num, sizeof(num), "%.1f", (double)n / (1024 * 1024));
		i18n_format(&b, _("{size} MB"), "size", num, NULL);
	}
	s = json_string(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void
messages_page(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &admin_sql, S_MESSAGES_LIST);
	const struct value *show = req_value(r, "show");
	int open_only = show->present && strcmp(show->str, "open") == 0;
	json_t *rows, *row, *model;
	int has_next;
	size_t i;

	if (st == NULL)
		return read_failed(w);
	db_bind_text(st, 1, open_only ? "open" : NULL);
	db_bind_int(st, 2, PAGE_SIZE + 1);
	db_bind_int(st, 3, page_offset(r));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(w);
	has_next = pager_trim(rows, PAGE_SIZE);
	add_text_times(rows, "created_at");
	add_text_times(rows, "handled_at");
	json_array_foreach (rows, i, row) {
		json_t *size = json_object_get(row, "attachment_size");

		if (json_is_integer(size))
			json_object_set_new(
				row, "attachment_size_text",
				size_text(json_integer_value(size)));
	}
	model = json_pack("{s:o,s:b,s:o}", "messages", rows, "open_only",
			  open_only, "pager",
			  pager(r, "/admin/messages", has_next));
	if (req_value(r, "done")->present)
		json_object_set_new(model, "notice",
				    json_string(_("The message is marked as "
						  "handled.")));
	admin_page(r, w, "admin/templates/messages.html", _("Contact messages"),
		   "/admin/messages", model);
}

/*
 * POST /admin/messages/:id/handled: stamps handled_at with its audit
 * record, in one transaction.  A message handled already keeps its first
 * stamp (and no second record is written); an unknown one is a 404.
 */
static void
message_handled(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	char at[20];
	struct db_stmt *st;
	json_t *after;
	int rc;

	if (id <= 0) {
		resp_error(w, 404, _("There is no such message."));
		return;
	}
	sql_timestamp_now(at);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &admin_sql, S_MESSAGE_SET_HANDLED)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, at);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0)
		return resp_fail(r, w, NULL);
	if (db_changes(r->db) == 0) {
		/* handled already, or no such message? */
		if ((st = db_stmt(r->db, &admin_sql, S_MESSAGE_HANDLED_AT)) ==
		    NULL)
			return resp_fail(r, w, NULL);
		db_bind_int(st, 1, id);
		rc = db_step(st);
		if (rc == DB_ROW)
			db_reset(st);
		if (rc == DB_ERROR) {
			resp_fail(r, w, _("Something went wrong on our side."));
			return;
		}
		db_rollback(r->db);
		if (rc == DB_DONE) {
			resp_error(w, 404, _("There is no such message."));
			return;
		}
		resp_redirect(w, "/admin/messages?done=handled");
		return;
	}
	after = json_pack("{s:s}", "handled_at", at);
	rc = audit_record(r->db, r->person->id, "contact.handled",
			  "contact_message",
			  arena_printf(r->arena, "%lld", (long long)id), NULL,
			  after, r->client);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/admin/messages?done=handled");
}

/*
 * GET /admin/messages/:id/document: the document sent with a message,
 * from the upload store under the data folder (on several nodes a shared
 * mount, so any node serves what another stored).  Always a download
 * (application/octet-stream, attachment): the sender chose its bytes and
 * its type.  The file name is kept to letters, digits, '.', '-' and '_'.
 * 404 when the message has no document (never sent one, or retention
 * removed it); 500 when the row names a file the store lacks.
 */
static void
message_document(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &admin_sql, S_MESSAGE_DOCUMENT);
	int64_t id = req_param_id(r);
	const char *rel, *name;
	int rc;

	if (st == NULL)
		return read_failed(w);
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ERROR)
		return read_failed(w);
	if (rc == DB_DONE) {
		resp_error(w, 404, _("This message has no document (any more)."));
		return;
	}
	rel = arena_strdup(r->arena, db_col_text(st, 0));
	name = db_col_text(st, 1) ? arena_strdup(r->arena, db_col_text(st, 1))
				  : NULL;
	db_reset(st);
	resp_stored_document(
		w, rel, name,
		arena_printf(r->arena, "message %lld", (long long)id));
}

/* ---- the route table ---- */

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)

static const struct route admin_routes[] = {
	{.method = HTTP_GET, .pattern = "/admin", .who = A,
	 .handler = dashboard, .flags = P,
	 .summary = "The secretariat's overview: people, outbox, messages"},
	{.method = HTTP_GET, .pattern = "/admin/outbox", .who = A,
	 .fields = page_fields, .handler = outbox_page, .flags = P,
	 .summary = "The mail outbox: what was sent, queued or failed"},
	{.method = HTTP_GET, .pattern = "/admin/audit", .who = A,
	 .fields = audit_fields, .handler = audit_page, .flags = P,
	 .summary = "The audit log, filtered by person, action, object and "
		    "dates"},
	{.method = HTTP_GET, .pattern = "/admin/messages", .who = A,
	 .fields = messages_fields, .handler = messages_page, .flags = FORM,
	 .summary = "Messages sent with the contact form, newest first"},
	{.method = HTTP_GET, .pattern = "/admin/messages/:id/document",
	 .who = A, .handler = message_document, .flags = P,
	 .summary = "The document sent with a contact message, as a "
		    "download"},
	{.method = HTTP_POST, .pattern = "/admin/messages/:id/handled",
	 .who = A, .handler = message_handled, .flags = P,
	 .summary = "Marks a contact message as handled"},
};

static const struct menu_entry admin_menu[] = {
	{"/admin", N_("Overview"), 0},
	{"/admin/messages", N_("Contact messages"), 90},
	{"/admin/outbox", N_("Outbox"), 100},
	{"/admin/audit", N_("Audit log"), 110},
};

const struct module admin_module = {
	.name = "admin",
	.routes = admin_routes,
	.nroutes = ARRAY_LEN(admin_routes),
	.sql = &admin_sql,
	.admin_menu = admin_menu,
	.nadmin_menu = ARRAY_LEN(admin_menu),
	.assemble = admin_assemble,
};
