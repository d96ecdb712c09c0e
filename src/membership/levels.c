/*
 * levels.c -- what membership offers, and the secretariat's editing of
 * the membership levels.
 *
 * Public: /benefits shows the membership levels (dues, period, grace, who
 * may apply and the benefits, the last two as safe Markdown) with a link
 * to Join.
 *
 * Secretariat (ACCESS_ADMIN, personal): the levels edited in place
 * ("level.update"; before/after hold only the fields that changed).  The
 * sponsorship tiers are sponsorship/tiers.c's.
 *
 * Amounts are stored in minor units (cents); people type them with up to
 * two decimals and thousands separators ("1,250.50", read by FT_MONEY
 * into cents), forms show them back with two decimals, and every amount
 * is formatted in C (membership_money(), membership_amount_input()), never in a
 * template.
 */
#include "membership_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/search.h"
#include "core/util.h"
#include "membership/membership.h"

enum stmt_levels {
	S_LEVELS_LIST,
	S_LEVEL_GET,
	S_LEVEL_UPDATE,
	S_LEVELS__MAX,
};

static const char *const levels_sql_text[S_LEVELS__MAX] = {
	[S_LEVELS_LIST] =
		"SELECT id, slug, name, kind, requires_un_status, dues_amount,"
		" dues_currency, period, grace_days, summary, who_may_apply_md,"
		" benefits_md FROM membership_levels ORDER BY position, id",
	/* the editable fields, named as in the audit record */
	[S_LEVEL_GET] =
		"SELECT name, summary, dues_amount, dues_currency, period,"
		" grace_days, requires_un_status, who_may_apply_md, benefits_md"
		" FROM membership_levels WHERE id = ?",
	[S_LEVEL_UPDATE] =
		"UPDATE membership_levels SET name = ?, summary = ?,"
		" dues_amount = ?, dues_currency = ?, period = ?,"
		" grace_days = ?, requires_un_status = ?,"
		" who_may_apply_md = ?, benefits_md = ? WHERE id = ?",
};

static struct db_sql levels_sql = {"levels", levels_sql_text, S_LEVELS__MAX,
				   0};

static const char *const periods[] = {"calendar", "rolling", NULL};
static const char *const period_labels[] = {N_("Calendar year"),
					    N_("Rolling twelve months")};
static const char *const done_saved[] = {"saved", "added", NULL};

/* ---- Benefits ---- */

/* Adds to a level row what people read: dues_text ("Free", "USD 150.00 a
 * year"), period_text, grace_text, and the Markdown as safe HTML. */
static void
level_texts(struct req *r, json_t *row)
{
	int64_t dues = membership_int(row, "dues_amount");
	int64_t grace = membership_int(row, "grace_days");
	int rolling = strcmp(membership_str(row, "period"), "rolling") == 0;

	if (dues == 0) {
		json_object_set_new(row, "dues_text", json_string(_("Free")));
	} else {
		json_t *m = membership_money(dues,
					  membership_str(row, "dues_currency"));

		json_object_set_new(
			row, "dues_text",
			json_string(i18n_text(r->arena, _("{amount} a year"),
					      "amount", json_string_value(m),
					      NULL)));
		json_decref(m);
	}
	json_object_set_new(
		row, "period_text",
		json_string(rolling ? _("Rolling twelve months from the day "
					"membership begins")
				    : _("Calendar year (1 January to "
					"31 December)")));
	json_object_set_new(
		row, "grace_text",
		grace == 0 ? json_string(_("No grace period"))
			   : json_string(i18n_text(
				     r->arena,
				     _n("{n} day after the period ends",
					"{n} days after the period ends",
					(unsigned long)grace),
				     "n",
				     arena_printf(r->arena, "%" PRId64, grace),
				     NULL)));
	json_object_set_new(row, "who_may_apply_html",
			    render_markdown(
				    membership_str(row, "who_may_apply_md")));
	json_object_set_new(
		row, "benefits_html",
		render_markdown(membership_str(row, "benefits_md")));
}

/* Every level in order, as JSON rows; NULL on error. */
static json_t *
levels_list(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &levels_sql, S_LEVELS_LIST);

	return st ? db_all_json(st) : NULL;
}

int
membership_levels_words(struct db *db, struct buf *out, int full)
{
	/* name, summary, who_may_apply_md, benefits_md of S_LEVELS_LIST */
	static const int cols[] = {2, 9, 10, 11};
	struct db_stmt *st = db_stmt(db, &levels_sql, S_LEVELS_LIST);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW)
		for (int c = 0; c < (full ? 4 : 2); c++) {
			const char *t = db_col_text(st, cols[c]);

			if (t && *t) {
				buf_puts(out, t);
				buf_putc(out, '\n');
			}
		}
	return rc == DB_DONE ? 0 : -1;
}

/* The words of /benefits for the site search: its levels in full. */
static int
benefits_words(struct db *db, struct buf *out)
{
	return membership_levels_words(db, out, 1);
}

static void
benefits(struct req *r, struct resp *w)
{
	json_t *rows = levels_list(r), *row;
	size_t i;

	if (rows == NULL)
		return membership_read_failed(w);
	json_array_foreach (rows, i, row)
		level_texts(r, row);
	resp_page(w, 200, "membership/templates/benefits.html",
		  _("Membership benefits"), json_pack("{s:o}", "levels", rows));
}

/* ---- the secretariat: levels ---- */

static const struct field level_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Name")},
	{.name = "summary", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 1000, .label = N_("Summary")},
	{.name = "dues", .type = FT_MONEY, .flags = FIELD_REQUIRED, .min = 0,
	 .max = MEMBERSHIP_MAX_MINOR, .label = N_("Dues a year")},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = membership_currencies, .label = N_("Currency")},
	{.name = "period", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = periods, .label = N_("Period")},
	{.name = "grace_days", .type = FT_INT, .flags = FIELD_REQUIRED,
	 .min = 0, .max = 365, .label = N_("Grace period (days)")},
	{.name = "requires_un_status", .type = FT_BOOL,
	 .label = N_("Requires UN status")},
	{.name = "who_may_apply_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = N_("Who may apply")},
	{.name = "benefits_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = N_("Benefits")},
	{0},
};

static const struct field saved_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_saved},
	{0},
};

/*
 * The levels page: each level with its dues text and an edit form.  The
 * level numbered failed (when not 0) shows what was typed and the
 * messages instead of what is stored.
 */
static void
levels_admin_render(struct req *r, struct resp *w, int status,
		    int64_t failed)
{
	json_t *rows = levels_list(r), *row, *model;
	size_t i;

	if (rows == NULL)
		return membership_read_failed(w);
	json_array_foreach (rows, i, row) {
		json_t *form;

		level_texts(r, row);
		if (failed && membership_int(row, "id") == failed && r->input) {
			form = json_deep_copy(r->input);
			resp_form_errors_id(row, r->errors, "",
					    arena_printf(r->arena, "-%lld",
							 (long long)failed));
		} else {
			form = json_pack(
				"{s:O,s:O,s:o,s:O,s:O,s:O,s:O,s:O,s:O}",
				"name", json_object_get(row, "name"), "summary",
				json_object_get(row, "summary"), "dues",
				membership_amount_input(
					membership_int(row, "dues_amount")),
				"currency", json_object_get(row, "dues_currency"),
				"period", json_object_get(row, "period"),
				"grace_days", json_object_get(row, "grace_days"),
				"requires_un_status",
				json_object_get(row, "requires_un_status"),
				"who_may_apply_md",
				json_object_get(row, "who_may_apply_md"),
				"benefits_md",
				json_object_get(row, "benefits_md"));
		}
		json_object_set_new(row, "currency_options",
				    membership_options(
					    membership_currencies, NULL,
					    membership_str(form, "currency")));
		json_object_set_new(row, "period_options",
				    membership_options(
					    periods, period_labels,
					    membership_str(form, "period")));
		json_object_set_new(row, "form", form);
	}
	model = json_pack("{s:o}", "levels", rows);
	/* the title says a form on the page has errors */
	json_object_set_new(model, "error_title",
			    json_boolean(failed && r->errors));
	if (failed == 0 && req_value(r, "done")->present)
		json_object_set_new(
			model, "notice",
			json_string(_("The level has been saved. The "
				      "change is in the audit log.")));
	membership_admin_page(r, w, status,
			      "membership/templates/levels_admin.html",
			      _("Membership levels"), "/admin/levels", model);
}

static void
levels_admin(struct req *r, struct resp *w)
{
	levels_admin_render(r, w, 200, 0);
}

/*
 * POST /admin/levels/:id: saves a level; the fields that changed go into
 * one "level.update" record in the same transaction (nothing changed,
 * nothing recorded).  Bad input: the page again with the messages (422).
 */
static void
level_update(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	json_t *row, *after, *before, *changed;
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		goto not_found;
	if ((st = db_stmt(r->db, &levels_sql, S_LEVEL_GET)) == NULL)
		return membership_read_failed(w);
	db_bind_int(st, 1, id);
	if ((row = db_one_json(st)) == NULL)
		return membership_read_failed(w);
	if (!json_is_object(row)) {
		json_decref(row);
		goto not_found;
	}
	json_decref(row);
	if (r->errors)
		return levels_admin_render(r, w, 422, id);

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	/* read again inside the transaction: before is what this changes */
	if ((st = db_stmt(r->db, &levels_sql, S_LEVEL_GET)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, id);
	row = db_one_json(st);
	if (!json_is_object(row)) {
		json_decref(row);
		return resp_fail(r, w, NULL);
	}
	after = json_pack(
		"{s:s,s:s,s:I,s:s,s:s,s:I,s:I,s:s,s:s}", "name",
		req_value(r, "name")->str, "summary",
		req_value(r, "summary")->str, "dues_amount",
		(json_int_t)req_value(r, "dues")->num, "dues_currency",
		req_value(r, "currency")->str, "period",
		req_value(r, "period")->str, "grace_days",
		(json_int_t)req_value(r, "grace_days")->num,
		"requires_un_status",
		(json_int_t)(req_value(r, "requires_un_status")->num == 1),
		"who_may_apply_md",
		membership_value_or_null(r, "who_may_apply_md")
			? membership_value_or_null(r, "who_may_apply_md")
			: "",
		"benefits_md",
		membership_value_or_null(r, "benefits_md")
			? membership_value_or_null(r, "benefits_md")
			: "");
	if (membership_diff_fields(row, after, &before, &changed) == 0) {
		json_decref(row);
		json_decref(after);
		json_decref(before);
		json_decref(changed);
		db_rollback(r->db);
		resp_redirect(w, "/admin/levels?done=saved");
		return;
	}
	json_decref(row);
	if ((st = db_stmt(r->db, &levels_sql, S_LEVEL_UPDATE)) == NULL) {
		rc = -1;
	} else {
		db_bind_text(st, 1, membership_str(after, "name"));
		db_bind_text(st, 2, membership_str(after, "summary"));
		db_bind_int(st, 3, membership_int(after, "dues_amount"));
		db_bind_text(st, 4, membership_str(after, "dues_currency"));
		db_bind_text(st, 5, membership_str(after, "period"));
		db_bind_int(st, 6, membership_int(after, "grace_days"));
		db_bind_int(st, 7, membership_int(after, "requires_un_status"));
		db_bind_text(st, 8, membership_str(after, "who_may_apply_md"));
		db_bind_text(st, 9, membership_str(after, "benefits_md"));
		db_bind_int(st, 10, id);
		rc = db_run(st);
	}
	json_decref(after);
	if (rc == 0)
		rc = audit_record_new(r->db, r->person->id, "level.update",
				      "membership_level",
				      arena_printf(r->arena, "%" PRId64, id),
				      before, changed, r->client);
	else {
		json_decref(before);
		json_decref(changed);
	}
	/* /benefits and /join show the levels' texts: the search follows */
	if (rc == 0)
		rc = search_pages_put(r->db);
	if (rc != 0 || db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/admin/levels?done=saved");
	return;
not_found:
	resp_error(w, 404, _("There is no such membership level."));
}

/* ---- the route table ---- */

#define T ACCESS_PUBLIC
#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)

static const struct route levels_routes[] = {
	{.method = HTTP_GET, .pattern = "/benefits", .who = T,
	 .handler = benefits,
	 .summary = "Membership levels: dues, who may apply and the benefits"},
	{.method = HTTP_GET, .pattern = "/admin/levels", .who = A,
	 .fields = saved_fields, .handler = levels_admin, .flags = FORM,
	 .summary = "The membership levels, each with its edit form"},
	{.method = HTTP_POST, .pattern = "/admin/levels/:id", .who = A,
	 .fields = level_fields, .handler = level_update, .flags = OWN,
	 .summary = "Saves a membership level (dues, period, grace, texts)"},
};

/* Its entries in the secretariat's menu (admin/menu.c). */
static const struct menu_entry levels_menu[] = {
	{"/admin/levels", N_("Levels"), 50},
};

/* /benefits in the site search: its heading, its lead and every level's
 * texts (benefits_words), rewritten whenever a level is saved. */
static const struct search_page levels_pages[] = {
	{.slug = "benefits",
	 .title = N_("Membership benefits"),
	 .text = N_("The Alliance has three ways to belong. Each brings its "
		    "own benefits; choose the one that fits you or your "
		    "organisation, then apply to join."),
	 .words = benefits_words},
};

static const struct search_source levels_search[] = {
	{.kind = "membership",
	 .prefix = "/",
	 .label = N_("Membership"),
	 .pages = levels_pages,
	 .npages = ARRAY_LEN(levels_pages)},
};

const struct module levels_module = {
	.name = "levels",
	.routes = levels_routes,
	.nroutes = ARRAY_LEN(levels_routes),
	.sql = &levels_sql,
	.admin_menu = levels_menu,
	.nadmin_menu = ARRAY_LEN(levels_menu),
	.search = levels_search,
	.nsearch = ARRAY_LEN(levels_search),
};
