/*
 * renew.c -- Renew: a member's main contact sees the state, period and
 * dues of the memberships they answer for and renews; the secretariat
 * records payments by hand, which extends the period.
 *
 * A free level renews at once when its contact asks.  A level with dues
 * gets a renewal request: the contact receives the amount and a payment
 * reference, the secretariat a notice; when the money arrives the
 * secretariat records it on /admin/memberships and the period moves on.
 * Who may renew a membership is one SQL condition (the person of an
 * individual membership, or a main contact of the organisation), used by
 * every statement that reads a member's memberships.
 */
#include "membership_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/config.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/util.h"
#include "membership/membership.h"
#include "membership/period.h"
#include "membership/states.h"

enum stmt_renew {
	R_MINE,
	R_MINE_PAYMENTS,
	R_ONE_MINE,
	R_ONE,
	R_EXTEND,
	R_PAY,
	R_LIST,
	R_COUNT,
	R_REPRESENTS,
	R_ANY,
	R__MAX,
};

#define MEMBERSHIP_COLS                                                      \
	"m.id, m.state, m.period_start, m.period_end, l.name AS level,"      \
	" l.dues_amount, l.dues_currency, l.period AS period_kind,"          \
	" coalesce(m.organisation_id, 0) AS organisation,"                  \
	" coalesce(m.person_id, 0) AS person,"                              \
	" coalesce(o.name, p.name) AS member,"                              \
	" o.slug AS organisation_slug"
#define MEMBERSHIP_FROM                                                      \
	" FROM memberships m JOIN membership_levels l ON l.id = m.level_id"  \
	" LEFT JOIN organisations o ON o.id = m.organisation_id"             \
	" LEFT JOIN people p ON p.id = m.person_id"
static const char *const renew_sql_text[R__MAX] = {
	[R_MINE] = "SELECT " MEMBERSHIP_COLS MEMBERSHIP_FROM
		   " WHERE m.state <> 'cancelled' AND" MEMBERSHIP_ANSWERS_FOR
		   " ORDER BY member",
	[R_MINE_PAYMENTS] =
		"SELECT y.membership_id, y.paid_on, y.amount,"
		" y.currency, y.reference FROM payments y"
		" JOIN memberships m ON m.id = y.membership_id"
		" WHERE" MEMBERSHIP_ANSWERS_FOR " ORDER BY y.paid_on DESC",
	[R_ONE_MINE] = "SELECT " MEMBERSHIP_COLS MEMBERSHIP_FROM
		       " WHERE m.id = ? AND m.state <> 'cancelled' "
		       "AND" MEMBERSHIP_ANSWERS_FOR,
	[R_ONE] = "SELECT " MEMBERSHIP_COLS MEMBERSHIP_FROM
		  " WHERE m.id = ? AND m.state <> 'cancelled'",
	[R_EXTEND] = "UPDATE memberships SET period_start = ?, period_end = ?,"
		     " state = 'active', state_since = ? WHERE id = ?",
	[R_PAY] = "INSERT INTO payments (membership_id, paid_on, amount,"
		  " currency, reference, provider, recorded_by, recorded_at)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* binds: the state twice, the last day twice (NULL: any); R_LIST
	 * the offset too */
	[R_LIST] = "SELECT " MEMBERSHIP_COLS MEMBERSHIP_FROM
		   " WHERE (CAST(? AS TEXT) IS NULL OR m.state = ?)"
		   " AND (CAST(? AS TEXT) IS NULL OR m.period_end <= ?)"
		   " ORDER BY m.period_end, m.id LIMIT 50 OFFSET ?",
	/* the secretariat's page of one membership, cancelled ones too */
	[R_ANY] = "SELECT " MEMBERSHIP_COLS MEMBERSHIP_FROM " WHERE m.id = ?",
	[R_COUNT] = "SELECT count(*)" MEMBERSHIP_FROM
		    " WHERE (CAST(? AS TEXT) IS NULL OR m.state = ?)"
		    " AND (CAST(? AS TEXT) IS NULL OR m.period_end <= ?)",
	/* binds: the person.  The organisations they represent without
	 * being a main contact, a row per main contact (NULL: none) */
	[R_REPRESENTS] =
		"SELECT o.id, o.name AS organisation,"
		" p.name AS main_contact"
		" FROM representatives r"
		" JOIN organisations o ON o.id = r.organisation_id"
		" LEFT JOIN representatives mr"
		"  ON mr.organisation_id = o.id AND mr.main_contact = 1"
		" LEFT JOIN people p ON p.id = mr.person_id"
		" WHERE r.person_id = ? AND r.main_contact = 0"
		" ORDER BY o.name, o.id, p.name",
};

static struct db_sql renew_sql = {"members-renew", renew_sql_text, R__MAX, 0};

/* How early a period may be renewed: the last RENEW_WINDOW days of it,
 * in grace, or after it lapsed -- so a renewal is never a second free
 * year in a row. */
#define RENEW_WINDOW 90

static int
renewable(json_t *m)
{
	const char *state = json_string_value(json_object_get(m, "state"));
	struct period_date end, today;
	char now[11];

	if (strcmp(state, "grace") == 0 || strcmp(state, "lapsed") == 0)
		return 1;
	if (strcmp(state, "active") != 0 ||
	    period_parse(json_string_value(json_object_get(m, "period_end")),
			 &end) != 0)
		return 0;
	clock_today(now);
	period_parse(now, &today);
	end = period_add_days(end, -RENEW_WINDOW);
	return end.y < today.y ||
	       (end.y == today.y &&
		(end.m < today.m || (end.m == today.m && end.d <= today.d)));
}

/* Adds dues text, a payment reference and whether it may be renewed now
 * to a membership row. */
static void
decorate(json_t *m)
{
	int64_t dues = json_integer_value(json_object_get(m, "dues_amount"));

	json_object_set_new(m, "free", json_boolean(dues == 0));
	json_object_set_new(
		m, "dues",
		membership_money(dues, json_string_value(
					    json_object_get(m, "dues_currency"))));
	json_object_set_new(
		m, "reference",
		json_sprintf("M%" JSON_INTEGER_FORMAT "-%.4s",
			     json_integer_value(json_object_get(m, "id")),
			     json_string_value(json_object_get(m, "period_end"))));
	json_object_set_new(m, "renewable", json_boolean(renewable(m)));
	json_object_set_new(
		m, "state_label",
		json_string(states_label(membership_str(m, "state"))));
}

/* Binds R_LIST's or R_COUNT's filters: the state and the last day of the
 * period, each NULL for any, each twice (its test for NULL, its use). */
static void
bind_filters(struct db_stmt *st, const char *state, const char *last_day)
{
	db_bind_text(st, 1, state);
	db_bind_text(st, 2, state);
	db_bind_text(st, 3, last_day);
	db_bind_text(st, 4, last_day);
}

/* One membership row: R_ONE_MINE for person (or R_ONE for 0). */
static json_t *
membership(struct db *db, int64_t id, int64_t person)
{
	struct db_stmt *st =
		db_stmt(db, &renew_sql, person ? R_ONE_MINE : R_ONE);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	if (person) {
		db_bind_int(st, 2, person);
		db_bind_int(st, 3, person);
	}
	return db_one_json(st);
}

int
renew_membership(struct db *db, int64_t id, int64_t actor, const char *paid_on,
	      int64_t amount, const char *currency, const char *reference,
	      const char *provider, const char *client)
{
	json_t *m = membership(db, id, 0);
	struct period_date start, end;
	struct db_stmt *st;
	char today[11], from[11], to[11], idtext[32];
	const char *state, *old_end;
	json_t *paid;
	int rc = -1;

	if (m == NULL)
		return -1;
	if (json_is_null(m)) {
		json_decref(m);
		return 0;
	}
	clock_today(today);
	state = json_string_value(json_object_get(m, "state"));
	old_end = json_string_value(json_object_get(m, "period_end"));
	/* active or in grace: the next period follows on; otherwise anew */
	if ((strcmp(state, "active") == 0 || strcmp(state, "grace") == 0) &&
	    period_parse(old_end, &start) == 0)
		start = period_add_days(start, 1);
	else if (period_parse(today, &start) != 0)
		goto done;
	if (period_end(json_string_value(json_object_get(m, "period_kind")),
		       start, &end) != 0)
		goto done;
	period_format(start, from);
	period_format(end, to);
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	if ((st = db_stmt(db, &renew_sql, R_PAY)) == NULL)
		goto done;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, paid_on);
	db_bind_int(st, 3, amount);
	db_bind_text(st, 4, currency);
	db_bind_text(st, 5, reference ? reference : "");
	db_bind_text(st, 6, provider);
	db_bind_int(st, 7, actor);
	db_bind_int(st, 8, clock_now());
	if (db_run(st) != 0 || (st = db_stmt(db, &renew_sql, R_EXTEND)) == NULL)
		goto done;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, today);
	db_bind_int(st, 4, id);
	if (db_run(st) != 0 ||
	    audit_record_new(db, actor, "membership.renew", "membership", idtext,
			     json_pack("{s:s,s:s}", "state", state, "period_end",
				       old_end),
			     json_pack("{s:s,s:s,s:I,s:s,s:s}", "state", "active",
				       "period_end", to, "amount",
				       (json_int_t)amount, "currency", currency,
				       "provider", provider),
			     client) != 0)
		goto done;
	paid = membership_money(amount, currency);
	rc = states_mail_contacts(
		     db, json_integer_value(json_object_get(m, "person")),
		     json_integer_value(json_object_get(m, "organisation")),
		     actor, N_("Your membership is renewed"),
		     amount ? N_("The membership of {member} ({level}) is "
				 "renewed: it now runs from {from} to {to}. "
				 "Payment received: {paid}")
			    : N_("The membership of {member} ({level}) is "
				 "renewed: it now runs from {from} to {to}."),
		     (const char *const[]){
			     "member",
			     json_string_value(json_object_get(m, "member")),
			     "level",
			     json_string_value(json_object_get(m, "level")),
			     "from", from, "to", to, "paid",
			     json_string_value(paid), NULL}) < 0
		     ? -1
		     : 1;
	json_decref(paid);
done:
	json_decref(m);
	return rc;
}

/* ---- the member's page ---- */

static const struct field renew_page_fields[] = {
	{.name = "requested", .type = FT_INT, .min = 1, .max = INT32_MAX},
	{.name = "renewed", .type = FT_INT, .min = 1, .max = INT32_MAX},
	{.name = "cancelled", .type = FT_BOOL},
	{0},
};

/*
 * The organisations r's person represents without being a main contact,
 * as [{organisation, contacts}] (contacts: their main contacts' names,
 * joined with ", "; absent when it has none), so the page can say who
 * renews and edits each; NULL on a database error.
 */
static json_t *
represented(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &renew_sql, R_REPRESENTS);
	json_t *rows, *row, *out, *last = NULL;
	json_int_t last_id = 0;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, r->person->id);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(rows, i, row) {
		json_int_t id = json_integer_value(json_object_get(row, "id"));
		const char *name = membership_str(row, "main_contact");

		if (last == NULL || id != last_id) {
			last = json_pack("{s:O}", "organisation",
					 json_object_get(row, "organisation"));
			json_array_append_new(out, last);
			last_id = id;
		}
		if (name == NULL)
			continue;
		if (json_object_get(last, "contacts"))
			json_object_set_new(
				last, "contacts",
				json_sprintf("%s, %s",
					     membership_str(last, "contacts"),
					     name));
		else
			json_object_set_new(last, "contacts",
					    json_string(name));
	}
	json_decref(rows);
	return out;
}

static void
renew_page(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &renew_sql, R_MINE);
	json_t *list = NULL, *payments = NULL, *reps = NULL, *m, *pay;
	size_t i, k;

	if (st) {
		db_bind_int(st, 1, r->person->id);
		db_bind_int(st, 2, r->person->id);
		list = db_all_json(st);
	}
	if (list && (st = db_stmt(r->db, &renew_sql, R_MINE_PAYMENTS))) {
		db_bind_int(st, 1, r->person->id);
		db_bind_int(st, 2, r->person->id);
		payments = db_all_json(st);
	}
	if (list && payments)
		reps = represented(r);
	if (list == NULL || payments == NULL || reps == NULL) {
		json_decref(list);
		json_decref(payments);
		json_decref(reps);
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	json_array_foreach (list, i, m) {
		json_t *mine = json_array();

		decorate(m);
		json_array_foreach (payments, k, pay)
			if (json_integer_value(json_object_get(pay, "membership_id")) ==
			    json_integer_value(json_object_get(m, "id")))
				json_array_append_new(
					mine,
					json_pack(
						"{s:O,s:o,s:O}", "paid_on",
						json_object_get(pay, "paid_on"),
						"amount",
						membership_money(
							json_integer_value(
								json_object_get(
									pay,
									"amoun"
									"t")),
							json_string_value(
								json_object_get(
									pay,
									"curren"
									"cy"))),
						"reference",
						json_object_get(pay,
								"reference")));
		json_object_set_new(m, "payments", mine);
		json_object_set_new(m, "has_payments",
				    json_boolean(json_array_size(mine) > 0));
		json_object_set_new(
			m, arena_printf(r->arena, "is_%s",
					json_string_value(json_object_get(m, "state"))),
			json_true());
	}
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "membership/templates/renew.html", _("Renew"),
		  json_pack("{s:o,s:b,s:o,s:I,s:I,s:b}", "memberships", list,
			    "none",
			    json_array_size(list) == 0 &&
				    json_array_size(reps) == 0,
			    "represents", reps, "requested",
			    (json_int_t)req_value(r, "requested")->num,
			    "renewed", (json_int_t)req_value(r, "renewed")->num,
			    "cancelled", req_value(r, "cancelled")->num != 0));
	json_decref(payments);
}

/* POST /renew/:id -- a free level renews now; one with dues asks. */
static void
renew(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	json_t *m;
	char today[11];

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	m = membership(r->db, id, r->person->id);
	if (m == NULL)
		return resp_fail(r, w, NULL);
	if (json_is_null(m)) {
		db_rollback(r->db);
		resp_error(w, 404,
			   _("You do not answer for such a membership."));
		return;
	}
	decorate(m);
	clock_today(today);
	if (!json_is_true(json_object_get(m, "renewable"))) {
		db_rollback(r->db);
		resp_error(
			w, 409,
			i18n_text(r->arena,
				  _("This membership runs until {end}; it can "
				    "be renewed in its last {days} days."),
				  "end",
				  json_string_value(
					  json_object_get(m, "period_end")),
				  "days",
				  arena_printf(r->arena, "%d", RENEW_WINDOW),
				  NULL));
		json_decref(m);
		return;
	}
	if (json_is_true(json_object_get(m, "free"))) {
		if (renew_membership(r->db, id, r->person->id, today, 0,
				  json_string_value(json_object_get(m, "dues_currency")),
				  "", "free", r->client) != 1 ||
		    db_commit(r->db) != 0) {
			json_decref(m);
			return resp_fail(r, w, NULL);
		}
		json_decref(m);
		resp_redirect(w, arena_printf(r->arena, "/renew?renewed=%lld",
					      (long long)id));
		return;
	}
	/* dues: the contact learns how to pay (in each contact's language),
	 * the secretariat is told (in the default language) */
	{
		const char *args[] = {
			"member",
			json_string_value(json_object_get(m, "member")),
			"level",
			json_string_value(json_object_get(m, "level")),
			"dues",
			json_string_value(json_object_get(m, "dues")),
			"reference",
			json_string_value(json_object_get(m, "reference")),
			"person",
			r->person->name,
			"link",
			arena_printf(r->arena, "%s/admin/memberships",
				     config_current->base_url),
			NULL};
		struct buf nt = BUF_INIT;
		char idtext[32];
		int sent;

		snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
		sent = states_mail_contacts(
			r->db, json_integer_value(json_object_get(m, "person")),
			json_integer_value(json_object_get(m, "organisation")),
			r->person->id, N_("Renewing your membership"),
			N_("You asked to renew the membership of {member} "
			   "({level}). Please pay the dues of {dues} with the "
			   "reference {reference}; the secretariat confirms "
			   "the renewal when the payment arrives."),
			args);
		i18n_push(NULL);
		states_format(&nt,
			      _("{person} asked to renew the membership of "
				"{member} ({level}), reference "
				"{reference}.\n\nRecord the payment when it "
				"arrives: {link}\n"),
			      args);
		if (sent >= 0)
			sent = mail_to_secretariat(
				r->db, _("A renewal request"), buf_cstr(&nt));
		i18n_pop();
		if (sent < 0 ||
		    audit_record(r->db, r->person->id,
				 "membership.renewal.request", "membership",
				 idtext, NULL, NULL, r->client) != 0 ||
		    db_commit(r->db) != 0) {
			buf_free(&nt);
			json_decref(m);
			return resp_fail(r, w, NULL);
		}
		buf_free(&nt);
	}
	json_decref(m);
	resp_redirect(w, arena_printf(r->arena, "/renew?requested=%lld",
				      (long long)id));
}

/* ---- the secretariat ---- */

static const char *const currencies[] = {"USD", "EUR", "GBP", "CHF", NULL};

static const struct field list_fields[] = {
	{.name = "state", .type = FT_CHOICE, .choices = states_values,
	 .label = N_("State")},
	{.name = "due", .type = FT_BOOL, .label = N_("Due within 30 days")},
	{.name = "page", .type = FT_INT, .min = 1, .max = 10000, .label = N_("Page")},
	{.name = "done", .type = FT_INT, .min = 1, .max = INT32_MAX},
	{.name = "ended", .type = FT_INT, .min = 1, .max = INT32_MAX},
	{.name = "reinstated", .type = FT_INT, .min = 1, .max = INT32_MAX},
	{0},
};

static void
admin_list(struct req *r, struct resp *w)
{
	static const char *const keep_out[] = {"done", "ended", "reinstated",
					       NULL};
	const struct value *state = req_value(r, "state");
	struct pager pg;
	char limit[11] = "";
	struct db_stmt *st;
	json_t *rows = NULL, *m, *model;
	int64_t total = -1;
	size_t i;

	pager_read(r, 50, &pg);
	if (req_value(r, "due")->num) {
		struct period_date d;
		char today[11];

		clock_today(today);
		period_parse(today, &d);
		period_format(period_add_days(d, 30), limit);
	}
	if ((st = db_stmt(r->db, &renew_sql, R_COUNT)) != NULL) {
		bind_filters(st, state->present ? state->str : NULL,
			     *limit ? limit : NULL);
		if (db_step(st) == DB_ROW) {
			total = db_col_int(st, 0);
			db_reset(st);
		}
	}
	if (total >= 0 && (st = db_stmt(r->db, &renew_sql, R_LIST)) != NULL) {
		bind_filters(st, state->present ? state->str : NULL,
			     *limit ? limit : NULL);
		db_bind_int(st, 5, pager_offset(&pg));
		rows = db_all_json(st);
	}
	if (rows == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	json_array_foreach (rows, i, m) {
		decorate(m);
		json_object_set_new(
			m, "is_cancelled",
			json_boolean(strcmp(membership_str(m, "state"),
					    "cancelled") == 0));
	}
	{
		w->flags |= ROUTE_PERSONAL;
		model = json_pack(
			"{s:o,s:I,s:s,s:b,s:I,s:I,s:I,s:o,s:o}",
			"memberships", rows, "total", (json_int_t)total,
			"state", state->present ? states_label(state->str) : "",
			"due",
			req_value(r, "due")->num != 0,
			"done", (json_int_t)req_value(r, "done")->num,
			"ended", (json_int_t)req_value(r, "ended")->num,
			"reinstated",
			(json_int_t)req_value(r, "reinstated")->num,
			"state_options",
			membership_options(states_values, states_labels,
					state->present ? state->str : NULL),
			"pager",
			pager_model(r, &pg, "/admin/memberships", keep_out, 0,
				    total));
		membership_admin_page(r, w, 200,
				   "membership/templates/admin_memberships.html",
				   _("Memberships"), "/admin/memberships", model);
	}
}

/*
 * GET /admin/memberships/:id, and the answer of its forms when they have
 * errors (status 422): the membership's facts, the payment form (not for
 * a free level, which renews when its contact asks), the form that ends
 * it or the button that takes the end back.  One page per membership
 * rather than forms in every row of the list: a form shown again needs
 * its summary and each message next to its field, and a table cell on a
 * phone has room for neither.
 */
void
membership_admin_one(struct req *r, struct resp *w, int status)
{
	struct db_stmt *st = db_stmt(r->db, &renew_sql, R_ANY);
	json_t *m, *form, *opts, *model;
	char today[11];

	if (st == NULL)
		return membership_read_failed(w);
	db_bind_int(st, 1, req_param_id(r));
	if ((m = db_one_json(st)) == NULL)
		return membership_read_failed(w);
	if (json_is_null(m)) {
		json_decref(m);
		resp_error(w, 404, _("There is no such membership."));
		return;
	}
	decorate(m);
	json_object_set_new(m, "is_cancelled",
			    json_boolean(strcmp(membership_str(m, "state"),
						"cancelled") == 0));
	clock_today(today);
	form = json_pack("{s:s,s:o,s:O,s:O,s:s}", "paid_on", today, "amount",
			 membership_amount_input(json_integer_value(
				 json_object_get(m, "dues_amount"))),
			 "currency", json_object_get(m, "dues_currency"),
			 "reference", json_object_get(m, "reference"), "reason",
			 "");
	if (r->input && r->method == HTTP_POST)
		json_object_update(form, r->input);
	opts = membership_options(currencies, NULL,
				  membership_str(form, "currency"));
	model = json_pack("{s:o,s:o,s:o}", "membership", m, "form", form,
			  "currency_options", opts);
	resp_form_errors(model, r->errors);
	membership_admin_page(
		r, w, status, "membership/templates/admin_membership.html",
		membership_str(m, "member"), NULL, model);
}

static void
admin_one(struct req *r, struct resp *w)
{
	membership_admin_one(r, w, 200);
}

static const struct field payment_fields[] = {
	{.name = "paid_on", .type = FT_DATE, .flags = FIELD_REQUIRED,
	 .label = N_("Paid on")},
	{.name = "amount", .type = FT_MONEY, .flags = FIELD_REQUIRED,
	 .min = 0, .max = MEMBERSHIP_MAX_MINOR, .label = N_("Amount")},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = currencies, .label = N_("Currency")},
	{.name = "reference", .type = FT_TEXT, .maxlen = 200,
	 .label = N_("Reference")},
	{0},
};

static void
admin_payment(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	int64_t amount = req_value(r, "amount")->num;
	int rc;

	if (r->errors)
		return membership_admin_one(r, w, 422);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	rc = renew_membership(
		r->db, id, r->person->id, req_value(r, "paid_on")->str, amount,
		req_value(r, "currency")->str, req_value(r, "reference")->str,
		"manual", r->client);
	if (rc < 0)
		return resp_fail(r, w, NULL);
	if (rc == 0) {
		db_rollback(r->db);
		resp_error(w, 404,
			   _("There is no such membership, or it is "
			     "cancelled."));
		return;
	}
	if (db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena, "/admin/memberships?done=%lld",
				      (long long)id));
}

static const struct route renew_routes[] = {
	{.method = HTTP_GET, .pattern = "/renew", .who = ACCESS_MEMBER,
	 .fields = renew_page_fields, .handler = renew_page,
	 .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "The memberships one answers for: state, period, dues, "
		    "payments"},
	{.method = HTTP_POST, .pattern = "/renew/:id", .who = ACCESS_MEMBER,
	 .handler = renew, .flags = ROUTE_PERSONAL,
	 .summary = "Renews a free membership, or asks to renew one with dues"},
	{.method = HTTP_GET, .pattern = "/admin/memberships",
	 .who = ACCESS_ADMIN, .fields = list_fields, .handler = admin_list,
	 .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "Memberships by state and renewals due, each linked to "
		    "its page"},
	{.method = HTTP_GET, .pattern = "/admin/memberships/:id",
	 .who = ACCESS_ADMIN, .handler = admin_one,
	 .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "One membership: its facts, a payment to record, its end"},
	{.method = HTTP_POST, .pattern = "/admin/memberships/:id/payment",
	 .who = ACCESS_ADMIN, .fields = payment_fields,
	 .handler = admin_payment, .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Records a payment and moves the membership to its next "
		    "period"},
};

/* The overview's count of renewals due: the rows of
 * /admin/memberships?state=active&due=1 (active, ending within 30 days). */
static int
count_renewals_due(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &renew_sql, R_COUNT);
	struct period_date d;
	char today[11], due[11];

	if (st == NULL)
		return -1;
	clock_today(today);
	period_parse(today, &d);
	period_format(period_add_days(d, 30), due);
	bind_filters(st, "active", due);
	return db_one_int(st, n);
}

/* Its tile of the secretariat's overview (admin/menu.c). */
static const struct admin_tile renew_tiles[] = {
	{N_("Renewals due within 30 days"), "/admin/memberships?state=active&due=1",
	 30, count_renewals_due},
};

/* Its entries in the secretariat's menu (admin/menu.c). */
static const struct menu_entry renew_menu[] = {
	{"/admin/memberships", N_("Memberships"), 30},
};

/* /renew in the site search (a member's page: a visitor who follows the
 * hit is asked to sign in first). */
static const struct search_page renew_pages[] = {
	{.slug = "renew",
	 .title = N_("Renew"),
	 .text = N_("Renew a membership: the main contact of a member "
		    "organisation, or an individual member, signs in here to "
		    "see its level, state, period and dues, to pay and renew "
		    "it, or to end it.")},
};

static const struct search_source renew_search[] = {
	{.kind = "membership",
	 .prefix = "/",
	 .label = N_("Membership"),
	 .pages = renew_pages,
	 .npages = ARRAY_LEN(renew_pages)},
};

const struct module renew_module = {
	.name = "renew",
	.routes = renew_routes,
	.nroutes = ARRAY_LEN(renew_routes),
	.sql = &renew_sql,
	.admin_menu = renew_menu,
	.nadmin_menu = ARRAY_LEN(renew_menu),
	.admin_tiles = renew_tiles,
	.nadmin_tiles = ARRAY_LEN(renew_tiles),
	.search = renew_search,
	.nsearch = ARRAY_LEN(renew_search),
};
