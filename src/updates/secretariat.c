/*
 * secretariat.c -- the secretariat's view of the updates list: how many
 * addresses are subscribed, waiting for their confirmation or removed;
 * the subscribed ones, a page at a time; the latest removals; and the
 * subscribed addresses as a CSV file spreadsheets open (the export's
 * writer, organisations/csv.h: BOM, CRLF, quoting, formulas
 * neutralised); and taking an address off the list for someone who
 * asked.  Its own module, updates_admin_module, after
 * updates_module in app.c.
 */
#include "updates_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/pager.h"
#include "core/render.h"
#include "organisations/organisations.h"

#define PAGE_SIZE 50
#define REMOVALS_SHOWN 50

static const char *const done_values[] = {"removed", NULL};

static const struct field updates_admin_fields[] = {
	{.name = "page",
	 .type = FT_INT,
	 .min = 1,
	 .max = 1000000,
	 .label = N_("Page")},
	{.name = "done",
	 .type = FT_CHOICE,
	 .choices = done_values,
	 .label = N_("Notice")},
	{0},
};

/* The list's links leave out the one-shot notice. */
static const char *const keep_out[] = {"done", NULL};

/* How an address came on the list, in words. */
static const char *
source_label(const char *source)
{
	return source && strcmp(source, "account") == 0
		       ? _("From the account page")
		       : _("Sign-up form, confirmed by e-mail");
}

/* The counts by status into m: subscribed, pending, removed.  0 or -1. */
static int
add_counts(struct req *r, json_t *m)
{
	struct db_stmt *st = db_stmt(r->db, &updates_sql, S_UPD_COUNTS);
	json_t *rows, *row;
	size_t i;

	if (st == NULL || (rows = db_all_json(st)) == NULL)
		return -1;
	json_object_set_new(m, "subscribed", json_integer(0));
	json_object_set_new(m, "pending", json_integer(0));
	json_object_set_new(m, "removed", json_integer(0));
	json_array_foreach(rows, i, row) {
		const char *s =
			json_string_value(json_object_get(row, "status"));

		if (s)
			json_object_set(m, s, json_object_get(row, "n"));
	}
	json_decref(rows);
	return 0;
}

/* GET /admin/updates */
static void
updates_admin_page(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	struct pager pg;
	json_t *m = json_object(), *rows = NULL, *removals = NULL, *row;
	size_t i;
	int has_next;

	if (add_counts(r, m) != 0)
		goto fail;
	pager_read(r, PAGE_SIZE, &pg);
	if ((st = db_stmt(r->db, &updates_sql, S_UPD_LIST)) == NULL)
		goto fail;
	db_bind_int(st, 1, PAGE_SIZE + 1);
	db_bind_int(st, 2, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		goto fail;
	has_next = pager_trim(rows, PAGE_SIZE);
	render_add_times(rows, "confirmed_at");
	json_array_foreach(rows, i, row) {
		json_object_set_new(
			row, "language_name",
			json_string(updates_language_name(json_string_value(
				json_object_get(row, "language")))));
		json_object_set_new(row, "source_label",
				    json_string(source_label(json_string_value(
					    json_object_get(row, "source")))));
	}
	if ((st = db_stmt(r->db, &updates_sql, S_UPD_REMOVALS)) == NULL)
		goto fail;
	db_bind_int(st, 1, REMOVALS_SHOWN);
	if ((removals = db_all_json(st)) == NULL)
		goto fail;
	render_add_times(removals, "removed_at");
	json_object_set_new(m, "subscribers", rows);
	json_object_set_new(m, "removals", removals);
	json_object_set_new(
		m, "pager",
		pager_model(r, &pg, "/admin/updates", keep_out, has_next, -1));
	if (req_value(r, "done")->present)
		json_object_set_new(
			m, "notice",
			json_string(_("The address is off the list. The "
				      "removal is in the audit log.")));
	admin_secretariat_page(r, w, 200, "updates/templates/admin.html",
			       _("Updates list"), "/admin/updates", m);
	return;
fail:
	json_decref(m);
	json_decref(rows);
	json_decref(removals);
	resp_fail(r, w, NULL);
}

/* A time in unix seconds as "2026-12-02 12:30:00" (UTC), for a
 * spreadsheet; "" for none. */
static void
utc_text(json_t *v, char out[32])
{
	time_t t = (time_t)json_integer_value(v);
	struct tm tm;

	out[0] = '\0';
	if (!json_is_integer(v))
		return;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* GET /admin/updates.csv: the subscribed addresses, one a row. */
static void
updates_admin_csv(struct req *r, struct resp *w)
{
	static const char *const header[] = {"email", "name", "language",
					     "source", "confirmed_at_utc"};
	struct db_stmt *st = db_stmt(r->db, &updates_sql, S_UPD_ALL_SUBSCRIBED);
	struct buf b = BUF_INIT;
	json_t *rows, *row;
	char disp[120], when[32];
	time_t t = (time_t)clock_now();
	struct tm tm;
	size_t i;

	if (st == NULL || (rows = db_all_json(st)) == NULL)
		return resp_fail(r, w, NULL);
	buf_puts(&b, CSV_BOM);
	csv_put_row(&b, header, ARRAY_LEN(header));
	json_array_foreach(rows, i, row) {
		const char *f[5];

		utc_text(json_object_get(row, "confirmed_at"), when);
		f[0] = json_string_value(json_object_get(row, "email"));
		f[1] = json_string_value(json_object_get(row, "name"));
		f[2] = json_string_value(json_object_get(row, "language"));
		f[3] = json_string_value(json_object_get(row, "source"));
		f[4] = when;
		csv_put_row(&b, f, ARRAY_LEN(f));
	}
	json_decref(rows);
	gmtime_r(&t, &tm);
	snprintf(disp, sizeof(disp),
		 "attachment; filename=\"alliance-updates-%04d-%02d-%02d.csv\"",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	resp_raw(w, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
	resp_header(w, "Content-Disposition", disp);
	buf_free(&b);
}

static const struct field remove_fields[] = {
	{.name = "email",
	 .type = FT_EMAIL,
	 .flags = FIELD_REQUIRED,
	 .label = N_("Email")},
	{0},
};

/*
 * POST /admin/updates/remove: the secretariat takes an address off the
 * list for its owner (who asked by mail, or to be forgotten), as its
 * unsubscribe link would, with an updates.remove audit record, in one
 * transaction.  An address not on the list is a 404; one removed
 * already changes nothing.
 */
static void
updates_admin_remove(struct req *r, struct resp *w)
{
	const char *email;
	struct db_stmt *st;
	json_t *row = NULL;
	int64_t id;

	if (r->errors)
		return resp_error(w, 422,
				  _("Please give the address to remove."));
	email = mail_address_key(r->arena, req_value(r, "email")->str);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &updates_sql, S_UPD_BY_EMAIL)) == NULL)
		goto fail;
	db_bind_text(st, 1, email);
	if ((row = db_one_json(st)) == NULL)
		goto fail;
	if (json_is_null(row)) {
		db_rollback(r->db);
		json_decref(row);
		return resp_error(w, 404,
				  _("This address is not on the list."));
	}
	id = json_integer_value(json_object_get(row, "id"));
	if (strcmp(json_string_value(json_object_get(row, "status")),
		   "removed") != 0 &&
	    (updates_remove(r->db, id) != 0 ||
	     audit_record_new(r->db, r->person->id, "updates.remove",
			      "updates_subscriber",
			      arena_printf(r->arena, "%lld", (long long)id),
			      json_pack("{s:s,s:O}", "email", email, "status",
					json_object_get(row, "status")),
			      json_pack("{s:s}", "status", "removed"),
			      r->client) != 0))
		goto fail;
	if (db_commit(r->db) != 0)
		goto fail;
	json_decref(row);
	resp_redirect(w, "/admin/updates?done=removed");
	return;
fail:
	db_rollback(r->db);
	json_decref(row);
	resp_fail(r, w, NULL);
}

static const struct route updates_admin_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/admin/updates",
	 .who = ACCESS_ADMIN,
	 .fields = updates_admin_fields,
	 .handler = updates_admin_page,
	 .flags = ROUTE_FORM,
	 .summary = "The updates list: counts, addresses, removals"},
	{.method = HTTP_GET,
	 .pattern = "/admin/updates.csv",
	 .who = ACCESS_ADMIN,
	 .handler = updates_admin_csv,
	 .flags = ROUTE_PERSONAL,
	 .summary = "The subscribed addresses as CSV"},
	{.method = HTTP_POST,
	 .pattern = "/admin/updates/remove",
	 .who = ACCESS_ADMIN,
	 .fields = remove_fields,
	 .handler = updates_admin_remove,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Takes an address off the list for its owner"},
};

/* Its entry in the secretariat's menu (admin/menu.c). */
static const struct menu_entry updates_admin_menu[] = {
	{"/admin/updates", N_("Updates list"), 85},
};

const struct module updates_admin_module = {
	.name = "updates",
	.routes = updates_admin_routes,
	.nroutes = ARRAY_LEN(updates_admin_routes),
	.admin_menu = updates_admin_menu,
	.nadmin_menu = ARRAY_LEN(updates_admin_menu),
};
