/*
 * tiers.c -- the sponsorship tiers: the secretariat edits them in place
 * ("tier.update", "tier.create"; before/after hold only the fields that
 * changed), and the Sponsor page (pledges.c) reads them through
 * tiers_list() and tiers_by_slug() (sponsorship_int.h).
 *
 * Amounts are stored in minor units (cents) and formatted in C
 * (membership_money(), membership_amount_input()), as for the levels.
 */
#include "sponsorship_int.h"

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

enum stmt_tiers {
	S_TIERS_LIST,
	S_TIER_GET,
	S_TIER_BY_SLUG,
	S_TIER_UPDATE,
	S_TIER_INSERT,
	S_TIERS__MAX,
};

static const char *const tiers_sql_text[S_TIERS__MAX] = {
	[S_TIERS_LIST] = "SELECT id, slug, name, amount, currency,"
			 " description_md, position FROM sponsorship_tiers"
			 " ORDER BY position, id",
	[S_TIER_GET] = "SELECT name, amount, currency, description_md,"
		       " position FROM sponsorship_tiers WHERE id = ?",
	[S_TIER_BY_SLUG] = "SELECT id, name, amount, currency"
			   " FROM sponsorship_tiers WHERE slug = ?",
	[S_TIER_UPDATE] = "UPDATE sponsorship_tiers SET name = ?, amount = ?,"
			  " currency = ?, description_md = ?, position = ?"
			  " WHERE id = ?",
	[S_TIER_INSERT] =
		"INSERT INTO sponsorship_tiers (slug, name, amount, currency,"
		" description_md, position) SELECT ?, ?, ?, ?, ?,"
		" coalesce(max(position), 0) + 1 FROM sponsorship_tiers",
};

static struct db_sql tiers_sql = {"tiers", tiers_sql_text, S_TIERS__MAX, 0};

static const char *const done_saved[] = {"saved", "added", NULL};

static const struct field saved_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_saved},
	{0},
};

/* ---- the tiers, for this file and the Sponsor page ---- */

/* Adds amount_text and description_html to each tier row. */
static void
tier_texts(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		json_object_set_new(row, "amount_text",
				    membership_money(
					    membership_int(row, "amount"),
					    membership_str(row, "currency")));
		json_object_set_new(
			row, "description_html",
			render_markdown(membership_str(row, "description_md")));
	}
}

json_t *
tiers_list(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &tiers_sql, S_TIERS_LIST);
	json_t *rows = st ? db_all_json(st) : NULL;

	if (rows)
		tier_texts(rows);
	return rows;
}

int
tiers_by_slug(struct db *db, struct arena *a, const char *slug,
	      struct tiers_tier *t)
{
	struct db_stmt *st = db_stmt(db, &tiers_sql, S_TIER_BY_SLUG);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	if ((rc = db_step(st)) != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	t->id = db_col_int(st, 0);
	t->name = arena_strdup(a, db_col_text(st, 1));
	t->amount = db_col_int(st, 2);
	t->currency = arena_strdup(a, db_col_text(st, 3));
	db_reset(st);
	return 1;
}

/* ---- the secretariat: tiers ---- */

static const struct field tier_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Name")},
	{.name = "amount", .type = FT_MONEY, .flags = FIELD_REQUIRED, .min = 0,
	 .max = MEMBERSHIP_MAX_MINOR, .label = N_("Amount")},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = membership_currencies, .label = N_("Currency")},
	{.name = "description_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = N_("Description")},
	{.name = "position", .type = FT_INT, .flags = FIELD_REQUIRED, .min = 1,
	 .max = 1000, .label = N_("Position")},
	{0},
};

static const struct field tier_new_fields[] = {
	{.name = "slug", .type = FT_SLUG, .flags = FIELD_REQUIRED,
	 .maxlen = 60, .label = N_("Short name (for addresses)")},
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Name")},
	{.name = "amount", .type = FT_MONEY, .flags = FIELD_REQUIRED, .min = 0,
	 .max = MEMBERSHIP_MAX_MINOR, .label = N_("Amount")},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = membership_currencies, .label = N_("Currency")},
	{.name = "description_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = N_("Description")},
	{0},
};

/*
 * The tiers page: each tier with an edit form, and the form for a new
 * tier.  failed names the tier whose form shows what was typed and the
 * messages; -1 is the new tier's form; 0, none.
 */
static void
tiers_admin_render(struct req *r, struct resp *w, int status, int64_t failed)
{
	json_t *rows = tiers_list(r->db), *row, *model, *fresh;
	size_t i;

	if (rows == NULL)
		return membership_read_failed(w);
	json_array_foreach (rows, i, row) {
		json_t *form;

		if (failed > 0 && membership_int(row, "id") == failed &&
		    r->input) {
			form = json_deep_copy(r->input);
			resp_form_errors_id(row, r->errors, "",
					    arena_printf(r->arena, "-%lld",
							 (long long)failed));
		} else {
			form = json_pack(
				"{s:O,s:o,s:O,s:O,s:O}", "name",
				json_object_get(row, "name"), "amount",
				membership_amount_input(
					membership_int(row, "amount")),
				"currency", json_object_get(row, "currency"),
				"description_md",
				json_object_get(row, "description_md"),
				"position", json_object_get(row, "position"));
		}
		json_object_set_new(row, "currency_options",
				    membership_options(
					    membership_currencies, NULL,
					    membership_str(form, "currency")));
		json_object_set_new(row, "form", form);
	}
	fresh = json_object();
	if (failed < 0) {
		json_object_set_new(fresh, "form",
				    r->input ? json_deep_copy(r->input)
					     : json_object());
		resp_form_errors_id(fresh, r->errors, "new-", "");
	} else {
		json_object_set_new(fresh, "form", json_object());
	}
	json_object_set_new(
		fresh, "currency_options",
		membership_options(membership_currencies, NULL,
				failed < 0 && r->input
					? membership_str(r->input, "currency")
					: "USD"));
	model = json_pack("{s:o,s:o}", "tiers", rows, "new_tier", fresh);
	/* the title says a form on the page has errors */
	json_object_set_new(model, "error_title",
			    json_boolean(failed && r->errors));
	if (failed == 0 && req_value(r, "done")->present)
		json_object_set_new(
			model, "notice",
			json_string(
				strcmp(req_value(r, "done")->str, "added") == 0
					? _("The tier has been added. The "
					    "change is in the audit log.")
					: _("The tier has been saved. The "
					    "change is in the audit log.")));
	membership_admin_page(r, w, status, "sponsorship/templates/tiers.html",
			      _("Sponsorship tiers"), "/admin/tiers", model);
}

static void
tiers_admin(struct req *r, struct resp *w)
{
	tiers_admin_render(r, w, 200, 0);
}

/* POST /admin/tiers/:id: saves a tier with a "tier.update" record of the
 * fields that changed.  Bad input: the page again (422). */
static void
tier_update(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	json_t *row, *after, *before, *changed;
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		goto not_found;
	if ((st = db_stmt(r->db, &tiers_sql, S_TIER_GET)) == NULL)
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
		return tiers_admin_render(r, w, 422, id);

	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &tiers_sql, S_TIER_GET)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, id);
	row = db_one_json(st);
	if (!json_is_object(row)) {
		json_decref(row);
		return resp_fail(r, w, NULL);
	}
	after = json_pack(
		"{s:s,s:I,s:s,s:s,s:I}", "name", req_value(r, "name")->str,
		"amount", (json_int_t)req_value(r, "amount")->num, "currency",
		req_value(r, "currency")->str, "description_md",
		membership_value_or_null(r, "description_md")
			? membership_value_or_null(r, "description_md")
			: "",
		"position", (json_int_t)req_value(r, "position")->num);
	rc = membership_diff_fields(row, after, &before, &changed) == 0 ? 1 : 0;
	json_decref(row);
	if (rc == 0) {
		if ((st = db_stmt(r->db, &tiers_sql, S_TIER_UPDATE)) == NULL) {
			rc = -1;
		} else {
			db_bind_text(st, 1, membership_str(after, "name"));
			db_bind_int(st, 2, membership_int(after, "amount"));
			db_bind_text(st, 3, membership_str(after, "currency"));
			db_bind_text(st, 4,
				     membership_str(after, "description_md"));
			db_bind_int(st, 5, membership_int(after, "position"));
			db_bind_int(st, 6, id);
			rc = db_run(st);
		}
		if (rc == 0)
			rc = audit_record(r->db, r->person->id, "tier.update",
					  "sponsorship_tier",
					  arena_printf(r->arena, "%" PRId64,
						       id),
					  before, changed, r->client);
	}
	json_decref(after);
	json_decref(before);
	json_decref(changed);
	if (rc == 1) { /* nothing changed, nothing recorded */
		db_rollback(r->db);
		resp_redirect(w, "/admin/tiers?done=saved");
		return;
	}
	/* /sponsor shows the tiers' texts: the search follows */
	if (rc == 0)
		rc = search_pages_put(r->db);
	if (rc != 0 || db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/admin/tiers?done=saved");
	return;
not_found:
	resp_error(w, 404, _("There is no such sponsorship tier."));
}

/*
 * POST /admin/tiers: adds a tier at the end, with its "tier.create"
 * record.  A slug already taken is a 409 with the form again; the check
 * and the insert share one write transaction, so two additions of the
 * same slug cannot both pass it.
 */
static void
tier_create(struct req *r, struct resp *w)
{
	const char *slug = req_value(r, "slug")->str;
	struct tiers_tier taken;
	struct db_stmt *st;
	int rc;

	if (r->errors)
		return tiers_admin_render(r, w, 422, -1);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((rc = tiers_by_slug(r->db, r->arena, slug, &taken)) < 0)
		return resp_fail(r, w, NULL);
	if (rc == 1) {
		db_rollback(r->db);
		membership_add_error(r, "slug",
				     _("Short name: another tier has this one "
				       "already; please choose another"));
		return tiers_admin_render(r, w, 409, -1);
	}
	if ((st = db_stmt(r->db, &tiers_sql, S_TIER_INSERT)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, req_value(r, "name")->str);
	db_bind_int(st, 3, req_value(r, "amount")->num);
	db_bind_text(st, 4, req_value(r, "currency")->str);
	db_bind_text(st, 5,
		     membership_value_or_null(r, "description_md")
			     ? membership_value_or_null(r, "description_md")
			     : "");
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "tier.create", "sponsorship_tier",
		    arena_printf(r->arena, "%" PRId64, db_last_id(r->db)), NULL,
		    json_pack("{s:s,s:s,s:I,s:s}", "slug", slug, "name",
			      req_value(r, "name")->str, "amount",
			      (json_int_t)req_value(r, "amount")->num,
			      "currency", req_value(r, "currency")->str),
		    r->client) != 0 ||
	    search_pages_put(r->db) != 0 || db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/admin/tiers?done=added");
}

int
tiers_words(struct db *db, struct buf *out)
{
	struct db_stmt *st = db_stmt(db, &tiers_sql, S_TIERS_LIST);
	int rc;

	if (st == NULL)
		return -1;
	/* name and description_md of S_TIERS_LIST */
	while ((rc = db_step(st)) == DB_ROW)
		for (int c = 2; c <= 5; c += 3) {
			const char *t = db_col_text(st, c);

			if (t && *t) {
				buf_puts(out, t);
				buf_putc(out, '\n');
			}
		}
	return rc == DB_DONE ? 0 : -1;
}

/* ---- the route table ---- */

#define A ACCESS_ADMIN
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)

static const struct route tiers_routes[] = {
	{.method = HTTP_GET, .pattern = "/admin/tiers", .who = A,
	 .fields = saved_fields, .handler = tiers_admin, .flags = FORM,
	 .summary = "The sponsorship tiers, each with its edit form, and a "
		    "new one"},
	{.method = HTTP_POST, .pattern = "/admin/tiers", .who = A,
	 .fields = tier_new_fields, .handler = tier_create, .flags = OWN,
	 .summary = "Adds a sponsorship tier (its short name must be free)"},
	{.method = HTTP_POST, .pattern = "/admin/tiers/:id", .who = A,
	 .fields = tier_fields, .handler = tier_update, .flags = OWN,
	 .summary = "Saves a sponsorship tier"},
};

/* Its entry in the secretariat's menu (admin/menu.c). */
static const struct menu_entry tiers_menu[] = {
	{"/admin/tiers", N_("Tiers"), 60},
};

const struct module tiers_module = {
	.name = "tiers",
	.routes = tiers_routes,
	.nroutes = ARRAY_LEN(tiers_routes),
	.sql = &tiers_sql,
	.admin_menu = tiers_menu,
	.nadmin_menu = ARRAY_LEN(tiers_menu),
};
