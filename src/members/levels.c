/*
 * levels.c -- what membership and sponsorship offer, and the secretariat's
 * side of both.
 *
 * Public: /benefits shows the membership levels (dues, period, grace, who
 * may apply and the benefits, the last two as safe Markdown) with a link
 * to Join; /sponsor shows the sponsorship tiers, the sponsors who asked to
 * be thanked publicly (once the secretariat has confirmed their pledge)
 * and the pledge form.  A pledge is one transaction: the row, its audit
 * record ("pledge.create"), a thank-you to the contact and a notice to the
 * secretariat (the address of mail_from), then 303 to /sponsor/thanks.
 *
 * Secretariat (ACCESS_ADMIN, personal): the queue of pledges with its
 * status change ("pledge.status"), and the levels and tiers edited in
 * place ("level.update", "tier.update", "tier.create"; before/after hold
 * only the fields that changed).
 *
 * Amounts are stored in minor units (cents); people type whole currency
 * units, and every amount is formatted here in C ("USD 1,500.00"), never
 * in a template.
 */
#include "levels.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/util.h"

#define PAGE_SIZE 50
#define MAX_PAGE 100000
#define MAX_UNITS 10000000 /* the largest amount typed, in whole units */
#define THANKED_MAX 200

enum stmt_levels {
	S_LEVELS_LIST,
	S_LEVEL_GET,
	S_LEVEL_UPDATE,
	S_TIERS_LIST,
	S_TIER_GET,
	S_TIER_BY_SLUG,
	S_TIER_UPDATE,
	S_TIER_INSERT,
	S_PLEDGE_INSERT,
	S_PLEDGES_THANKED,
	S_PLEDGES_LIST,
	S_PLEDGE_STATUS,
	S_PLEDGE_SET_STATUS,
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
	[S_PLEDGE_INSERT] =
		"INSERT INTO pledges (sponsor_name, contact_name,"
		" contact_email, tier_id, amount, currency, purpose,"
		" purpose_detail, thank_publicly, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_PLEDGES_THANKED] =
		"SELECT sponsor_name, purpose FROM pledges"
		" WHERE thank_publicly = 1"
		" AND status IN ('confirmed', 'received')"
		" ORDER BY coalesce(decided_at, created_at) DESC, id DESC"
		" LIMIT ?",
	/* binds: status or NULL (any), limit, offset */
	[S_PLEDGES_LIST] =
		"SELECT p.id, p.sponsor_name, p.contact_name, p.contact_email,"
		" t.name AS tier_name, t.amount AS tier_amount,"
		" t.currency AS tier_currency, p.amount, p.currency,"
		" p.purpose, p.purpose_detail, p.thank_publicly, p.status,"
		" p.created_at, p.decided_at FROM pledges p"
		" LEFT JOIN sponsorship_tiers t ON t.id = p.tier_id"
		" WHERE (CAST(? AS TEXT) IS NULL OR p.status = ?)"
		" ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
	[S_PLEDGE_STATUS] = "SELECT status FROM pledges WHERE id = ?",
	[S_PLEDGE_SET_STATUS] = "UPDATE pledges SET status = ?,"
				" decided_at = ? WHERE id = ?",
};

static struct db_sql levels_sql = {"levels", levels_sql_text, S_LEVELS__MAX,
				   0};

static const char *const currencies[] = {"USD", "EUR", "GBP", "CHF", NULL};
static const char *const purposes[] = {"general", "sprint", "library",
				       "working-party", "meeting", NULL};
static const char *const purpose_labels[] = {
	"General support",
	"A sprint team at a Commission",
	"A collection of the resource library",
	"A working party",
	"A meeting",
};
static const char *const periods[] = {"calendar", "rolling", NULL};
static const char *const period_labels[] = {"Calendar year",
					    "Rolling twelve months"};
static const char *const statuses[] = {"new", "confirmed", "received",
				       "declined", NULL};
static const char *const status_labels[] = {"New", "Confirmed", "Received",
					    "Declined"};
/* what the secretariat may set: every status but the first */
#define DECISIONS (statuses + 1)
#define DECISION_LABELS (status_labels + 1)
static const char *const done_status[] = {"status", NULL};
static const char *const done_saved[] = {"saved", "added", NULL};

static int64_t
now(void)
{
	return (int64_t)time(NULL);
}

/* ---- shared pieces ---- */

/* Answers 500 after rolling back the transaction. */
static void
fail(struct req *r, struct resp *w)
{
	db_rollback(r->db);
	resp_error(w, 500, "Something went wrong on our side. Nothing was "
			   "changed; please try again.");
}

static void
read_failed(struct resp *w)
{
	resp_error(w, 500, "Something went wrong on our side: the page could "
			   "not be read.");
}

/* The route parameter :id as a positive number, or 0 when it is not one
 * (the caller answers 404). */
static int64_t
param_id(const struct req *r)
{
	const char *s = req_param(r, "id");
	int64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* The label of value among the NULL-terminated values, or value itself. */
static const char *
label_of(const char *const *values, const char *const *labels,
	 const char *value)
{
	for (size_t i = 0; value && values[i]; i++)
		if (strcmp(values[i], value) == 0)
			return labels[i];
	return value ? value : "";
}

/* Options for a <select>: [{value, label, selected}]; current may be
 * NULL.  labels NULL: each value is its own label. */
static json_t *
options(const char *const *values, const char *const *labels,
	const char *current)
{
	json_t *a = json_array();

	for (size_t i = 0; values[i]; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:b}", "value", values[i],
				     "label", labels ? labels[i] : values[i],
				     "selected",
				     current && strcmp(current, values[i]) == 0));
	return a;
}

/* An amount in minor units as "1,500.00" appended to b (two decimals,
 * thousands separated by commas). */
static void
put_units(struct buf *b, int64_t minor)
{
	char digits[32];
	int n, i;

	if (minor < 0) {
		buf_putc(b, '-');
		minor = -minor;
	}
	n = snprintf(digits, sizeof(digits), "%" PRId64, minor / 100);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf_putc(b, ',');
		buf_putc(b, digits[i]);
	}
	buf_printf(b, ".%02d", (int)(minor % 100));
}

/* "USD 1,500.00" for minor units of currency: a new JSON string. */
static json_t *
money_text(int64_t minor, const char *currency)
{
	struct buf b = BUF_INIT;
	json_t *s;

	buf_printf(&b, "%s ", currency ? currency : "");
	put_units(&b, minor);
	s = json_string(buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* The integer at key of a JSON object (0 when absent or not one). */
static int64_t
int_at(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *
str_at(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The text of a declared field, or NULL when it was not given. */
static const char *
value_or_null(const struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present ? v->str : NULL;
}

/* Adds a message for field to r->errors unless it has one already. */
static void
add_error(struct req *r, const char *field, const char *message)
{
	if (r->errors == NULL)
		r->errors = json_object();
	if (json_object_get(r->errors, field) == NULL)
		json_object_set_new(r->errors, field, json_string(message));
}

/* Puts the request's messages into model: errors {field: message},
 * error_list [{field, message}] and has_errors. */
static void
add_errors(const struct req *r, json_t *model)
{
	if (r->errors == NULL)
		return;
	json_object_set(model, "errors", r->errors);
	json_object_set_new(model, "error_list", resp_error_list(r->errors));
	json_object_set_new(model, "has_errors", json_true());
}

/*
 * Of the keys of after, those whose value differs from the same key of
 * row: *before and *changed get new objects holding only those keys (old
 * and new values).  Returns how many differ.
 */
static size_t
diff_fields(json_t *row, json_t *after, json_t **before, json_t **changed)
{
	const char *k;
	json_t *v;
	size_t n = 0;

	*before = json_object();
	*changed = json_object();
	json_object_foreach (after, k, v) {
		json_t *old = json_object_get(row, k);

		if (old != NULL && json_equal(old, v))
			continue;
		json_object_set_new(*before, k, old ? json_incref(old)
						     : json_null());
		json_object_set(*changed, k, v);
		n++;
	}
	return n;
}

/* The membership pages of the secretariat, with the current one marked. */
static json_t *
membership_nav(const char *current)
{
	static const char *const links[][2] = {
		{"/admin", "Secretariat overview"},
		{"/admin/pledges", "Pledges"},
		{"/admin/levels", "Membership levels"},
		{"/admin/tiers", "Sponsorship tiers"},
	};
	json_t *a = json_array();

	for (size_t i = 0; i < ARRAY_LEN(links); i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:b}", "href", links[i][0],
				     "label", links[i][1], "current",
				     strcmp(links[i][0], current) == 0));
	return a;
}

/* A page of the secretariat: personal, with the membership links. */
static void
admin_page(const struct req *r, struct resp *w, int status, const char *tmpl,
	   const char *title, const char *path, json_t *model)
{
	if (!r->want_json)
		json_object_set_new(model, "membership_nav",
				    membership_nav(path));
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, tmpl, title, model);
}

/* Puts a plain-text message in the outbox, in the caller's transaction.
 * 0 or -1. */
static int
send_text(struct req *r, const char *to, const char *to_name,
	  const char *subject, const char *text)
{
	struct mail m = {0};

	m.to = to;
	m.to_name = to_name;
	m.subject = subject;
	m.text = text;
	return mail_enqueue(r->db, &m) < 0 ? -1 : 0;
}

/* ---- Benefits ---- */

/* Adds to a level row what people read: dues_text ("Free", "USD 150.00 a
 * year"), period_text, grace_text, and the Markdown as safe HTML. */
static void
level_texts(json_t *row)
{
	int64_t dues = int_at(row, "dues_amount");
	int64_t grace = int_at(row, "grace_days");
	int rolling = strcmp(str_at(row, "period"), "rolling") == 0;

	if (dues == 0) {
		json_object_set_new(row, "dues_text", json_string("Free"));
	} else {
		json_t *m = money_text(dues, str_at(row, "dues_currency"));

		json_object_set_new(row, "dues_text",
				    json_sprintf("%s a year",
						 json_string_value(m)));
		json_decref(m);
	}
	json_object_set_new(
		row, "period_text",
		json_string(rolling ? "Rolling twelve months from the day "
				      "membership begins"
				    : "Calendar year (1 January to "
				      "31 December)"));
	json_object_set_new(
		row, "grace_text",
		grace == 0 ? json_string("No grace period")
			   : json_sprintf("%" PRId64 " day%s after the period "
					  "ends",
					  grace, grace == 1 ? "" : "s"));
	json_object_set_new(row, "who_may_apply_html",
			    render_markdown(str_at(row, "who_may_apply_md")));
	json_object_set_new(row, "benefits_html",
			    render_markdown(str_at(row, "benefits_md")));
}

/* Every level in order, as JSON rows; NULL on error. */
static json_t *
levels_list(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &levels_sql, S_LEVELS_LIST);

	return st ? db_all_json(st) : NULL;
}

static void
benefits(struct req *r, struct resp *w)
{
	json_t *rows = levels_list(r), *row;
	size_t i;

	if (rows == NULL)
		return read_failed(w);
	json_array_foreach (rows, i, row)
		level_texts(row);
	resp_page(w, 200, "members/templates/benefits.html",
		  "Membership benefits", json_pack("{s:o}", "levels", rows));
}

/* ---- Sponsor ---- */

/* Adds amount_text and description_html to each tier row. */
static void
tier_texts(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		json_object_set_new(row, "amount_text",
				    money_text(int_at(row, "amount"),
					       str_at(row, "currency")));
		json_object_set_new(
			row, "description_html",
			render_markdown(str_at(row, "description_md")));
	}
}

/* Every tier in order; NULL on error. */
static json_t *
tiers_list(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &levels_sql, S_TIERS_LIST);

	return st ? db_all_json(st) : NULL;
}

/* The Sponsor page's model: tiers, the sponsors thanked publicly, the
 * form's choices with what was typed, and the messages.  NULL on error. */
static json_t *
sponsor_model(struct req *r)
{
	json_t *input = r->input;
	const char *tier = input ? str_at(input, "tier") : NULL;
	const char *currency = input ? str_at(input, "currency") : NULL;
	const char *purpose = input ? str_at(input, "purpose") : NULL;
	json_t *tiers = tiers_list(r), *thanked, *row, *tier_opts, *model;
	struct db_stmt *st;
	size_t i;

	if (tiers == NULL)
		return NULL;
	if ((st = db_stmt(r->db, &levels_sql, S_PLEDGES_THANKED)) == NULL) {
		json_decref(tiers);
		return NULL;
	}
	db_bind_int(st, 1, THANKED_MAX);
	if ((thanked = db_all_json(st)) == NULL) {
		json_decref(tiers);
		return NULL;
	}
	json_array_foreach (thanked, i, row)
		json_object_set_new(row, "purpose_label",
				    json_string(label_of(purposes,
							 purpose_labels,
							 str_at(row,
								"purpose"))));
	tier_texts(tiers);
	tier_opts = json_array();
	json_array_foreach (tiers, i, row) {
		const char *slug = str_at(row, "slug");

		json_array_append_new(
			tier_opts,
			json_pack("{s:s,s:s++,s:b}", "value", slug, "label",
				  str_at(row, "name"), " \u2013 ",
				  json_string_value(json_object_get(
					  row, "amount_text")),
				  "selected", tier && strcmp(tier, slug) == 0));
	}
	model = json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:o}", "tiers", tiers, "thanked", thanked,
		"tier_options", tier_opts, "currency_options",
		options(currencies, NULL, currency ? currency : "USD"),
		"purpose_options", options(purposes, purpose_labels, purpose),
		"input", input ? json_incref(input) : json_object());
	add_errors(r, model);
	return model;
}

static void
sponsor_page(struct req *r, struct resp *w)
{
	json_t *m = sponsor_model(r);

	if (m == NULL)
		return read_failed(w);
	resp_page(w, 200, "members/templates/sponsor.html", "Sponsor the Alliance",
		  m);
}

static const struct field pledge_fields[] = {
	{.name = "sponsor_name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Sponsor (organisation or person)"},
	{.name = "contact_name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Contact name"},
	{.name = "contact_email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = "Contact e-mail"},
	{.name = "tier", .type = FT_SLUG, .maxlen = 60, .label = "Tier"},
	{.name = "amount", .type = FT_INT, .min = 1, .max = MAX_UNITS,
	 .label = "Amount"},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = currencies, .label = "Currency"},
	{.name = "purpose", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = purposes, .label = "Purpose"},
	{.name = "purpose_detail", .type = FT_TEXTAREA, .maxlen = 2000,
	 .label = "About the purpose"},
	{.name = "thank_publicly", .type = FT_BOOL,
	 .label = "Thank us publicly"},
	{.name = "consent", .type = FT_BOOL, .flags = FIELD_REQUIRED,
	 .label = "Agreement to the privacy policy"},
	{0},
};

/* What a pledge is worth, for the mails: "Partner (USD 2,500.00)",
 * "EUR 300.00", or both.  In r's arena. */
static const char *
pledge_worth(struct req *r, const char *tier_name, int64_t tier_amount,
	     const char *tier_currency, int64_t amount, const char *currency)
{
	json_t *t = tier_name ? money_text(tier_amount, tier_currency) : NULL;
	json_t *a = amount > 0 ? money_text(amount, currency) : NULL;
	const char *s;

	if (t && a)
		s = arena_printf(r->arena, "%s (the %s tier is %s)",
				 json_string_value(a), tier_name,
				 json_string_value(t));
	else if (t)
		s = arena_printf(r->arena, "the %s tier (%s)", tier_name,
				 json_string_value(t));
	else
		s = arena_printf(r->arena, "%s", json_string_value(a));
	json_decref(t);
	json_decref(a);
	return s;
}

/* The thank-you to the contact and the notice to the secretariat (the
 * address in mail_from), in the caller's transaction.  0 or -1. */
static int
pledge_mails(struct req *r, int64_t id, const char *worth)
{
	const char *sponsor = req_value(r, "sponsor_name")->str;
	const char *contact = req_value(r, "contact_name")->str;
	const char *email = req_value(r, "contact_email")->str;
	const char *purpose = label_of(purposes, purpose_labels,
				       req_value(r, "purpose")->str);
	const char *detail = value_or_null(r, "purpose_detail");
	int publicly = req_value(r, "thank_publicly")->num == 1;
	const char *text;

	text = arena_printf(
		r->arena,
		"Hello %s,\n\nthank you for pledging %s to the Alliance on "
		"behalf of %s, for: %s.\n\nThe secretariat will write to you "
		"shortly to confirm the pledge and agree how it is paid.%s\n\n"
		"-- \n%s\n",
		contact, worth, sponsor, purpose,
		publicly ? "\n\nYou asked us to thank you publicly: once the "
			   "pledge is confirmed, the sponsor's name and its "
			   "purpose will appear on our Sponsor page."
			 : "",
		config_current->site_name);
	if (send_text(r, email, contact, "Thank you for your pledge", text) !=
	    0)
		return -1;

	text = arena_printf(
		r->arena,
		"A new pledge (number %" PRId64 "):\n\n"
		"Sponsor: %s\nContact: %s <%s>\nPledge: %s\nPurpose: %s\n"
		"%s%s%sThank publicly: %s\n\nThe queue of pledges:\n"
		"%s/admin/pledges\n",
		id, sponsor, contact, email, worth, purpose,
		detail ? "About the purpose: " : "", detail ? detail : "",
		detail ? "\n" : "", publicly ? "yes" : "no",
		config_current->base_url);
	return mail_to_secretariat(
		r->db, arena_printf(r->arena, "New pledge from %s", sponsor),
		text);
}

/*
 * POST /sponsor: a pledge.  Needs a tier or an amount (or both), and the
 * consent; otherwise the form again with the messages (422).  With an
 * amount the pledge is in the chosen currency; with a tier alone, in the
 * tier's.  One transaction: the row, its audit record and both mails.
 */
static void
sponsor_submit(struct req *r, struct resp *w)
{
	const struct value *tier = req_value(r, "tier");
	const struct value *amount = req_value(r, "amount");
	int64_t tier_id = 0, tier_amount = 0, minor, id;
	const char *tier_name = NULL, *tier_currency = NULL, *currency;
	struct db_stmt *st;
	json_t *m;

	if (!tier->present && !amount->present && !r->errors)
		add_error(r, "tier",
			  "Please choose a tier or give an amount");
	if (tier->present) {
		int rc;

		if ((st = db_stmt(r->db, &levels_sql, S_TIER_BY_SLUG)) == NULL)
			return read_failed(w);
		db_bind_text(st, 1, tier->str);
		rc = db_step(st);
		if (rc == DB_ERROR)
			return read_failed(w);
		if (rc == DB_ROW) {
			tier_id = db_col_int(st, 0);
			tier_name = arena_strdup(r->arena, db_col_text(st, 1));
			tier_amount = db_col_int(st, 2);
			tier_currency = arena_strdup(r->arena,
						     db_col_text(st, 3));
			db_reset(st);
		} else {
			add_error(r, "tier", "Tier: please choose one of the "
					     "tiers listed");
		}
	}
	if (req_value(r, "consent")->num != 1)
		add_error(r, "consent", "Please agree to the privacy policy "
					"to send a pledge");
	if (r->errors) {
		if ((m = sponsor_model(r)) == NULL)
			return read_failed(w);
		w->flags |= ROUTE_PERSONAL;
		resp_page(w, 422, "members/templates/sponsor.html",
			  "Sponsor the Alliance", m);
		return;
	}
	minor = amount->present ? amount->num * 100 : 0;
	currency = amount->present ? req_value(r, "currency")->str
				   : tier_currency;

	if (db_begin(r->db) != 0)
		return fail(r, w);
	if ((st = db_stmt(r->db, &levels_sql, S_PLEDGE_INSERT)) == NULL)
		return fail(r, w);
	db_bind_text(st, 1, req_value(r, "sponsor_name")->str);
	db_bind_text(st, 2, req_value(r, "contact_name")->str);
	db_bind_text(st, 3, req_value(r, "contact_email")->str);
	if (tier_id > 0)
		db_bind_int(st, 4, tier_id);
	if (minor > 0)
		db_bind_int(st, 5, minor);
	db_bind_text(st, 6, currency);
	db_bind_text(st, 7, req_value(r, "purpose")->str);
	db_bind_text(st, 8, value_or_null(r, "purpose_detail")
				    ? value_or_null(r, "purpose_detail")
				    : "");
	db_bind_int(st, 9, req_value(r, "thank_publicly")->num == 1);
	db_bind_int(st, 10, now());
	if (db_run(st) != 0)
		return fail(r, w);
	id = db_last_id(r->db);
	if (audit_record_new(
		    r->db, r->person ? r->person->id : 0, "pledge.create",
		    "pledge", arena_printf(r->arena, "%" PRId64, id), NULL,
		    json_pack("{s:s,s:s,s:s,s:s?,s:o,s:s,s:s,s:b}",
			      "sponsor_name",
			      req_value(r, "sponsor_name")->str,
			      "contact_name",
			      req_value(r, "contact_name")->str,
			      "contact_email",
			      req_value(r, "contact_email")->str, "tier",
			      tier->present ? tier->str : NULL, "amount",
			      minor > 0 ? json_integer(minor) : json_null(),
			      "currency", currency, "purpose",
			      req_value(r, "purpose")->str, "thank_publicly",
			      req_value(r, "thank_publicly")->num == 1),
		    r->client) != 0)
		return fail(r, w);
	if (pledge_mails(r, id,
			 pledge_worth(r, tier_name, tier_amount, tier_currency,
				      minor, currency)) != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/sponsor/thanks");
}

static void
sponsor_thanks(struct req *r, struct resp *w)
{
	resp_page(w, 200, "members/templates/sponsor_thanks.html",
		  "Thank you for your pledge", json_object());
}

/* ---- the secretariat: pledges ---- */

static const struct field pledges_fields[] = {
	{.name = "status", .type = FT_CHOICE, .choices = statuses,
	 .label = "Status"},
	{.name = "page", .type = FT_INT, .min = 1, .max = MAX_PAGE,
	 .label = "Page"},
	{.name = "done", .type = FT_CHOICE, .choices = done_status},
	{0},
};

/* The href of page n of the queue, keeping the status filter.  In r's
 * arena. */
static const char *
pledges_href(struct req *r, const char *status, int64_t n)
{
	struct buf b = BUF_INIT;
	const char *href;
	char sep = '?';

	buf_puts(&b, "/admin/pledges");
	if (status) {
		buf_puts(&b, "?status=");
		esc_url_component(&b, status, strlen(status));
		sep = '&';
	}
	if (n > 1)
		buf_printf(&b, "%cpage=%" PRId64, sep, n);
	href = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return href;
}

/* Adds to each pledge row what the queue shows: worth_text,
 * purpose_label, status_label and the status choices. */
static void
pledge_texts(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		int64_t amount = int_at(row, "amount");
		const char *tier = str_at(row, "tier_name");
		const char *status = str_at(row, "status");
		json_t *worth;

		if (amount > 0)
			worth = money_text(amount, str_at(row, "currency"));
		else
			worth = money_text(int_at(row, "tier_amount"),
					   str_at(row, "tier_currency"));
		json_object_set_new(row, "worth_text", worth);
		if (tier && amount > 0)
			json_object_set_new(row, "tier_note",
					    json_sprintf("tier %s", tier));
		else if (tier)
			json_object_set_new(row, "tier_note",
					    json_sprintf("the %s tier", tier));
		json_object_set_new(row, "purpose_label",
				    json_string(label_of(purposes,
							 purpose_labels,
							 str_at(row,
								"purpose"))));
		json_object_set_new(row, "status_label",
				    json_string(label_of(statuses,
							 status_labels,
							 status)));
		json_object_set_new(row, "decisions",
				    options(DECISIONS, DECISION_LABELS,
					    status));
	}
}

static void
pledges_page(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &levels_sql, S_PLEDGES_LIST);
	const char *status = value_or_null(r, "status");
	int64_t page = req_value(r, "page")->present ? req_value(r, "page")->num
						     : 1;
	json_t *rows, *model;
	int has_next;

	if (st == NULL)
		return read_failed(w);
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, status);
	db_bind_int(st, 3, PAGE_SIZE + 1);
	db_bind_int(st, 4, (page - 1) * PAGE_SIZE);
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(w);
	has_next = json_array_size(rows) > PAGE_SIZE;
	if (has_next)
		json_array_remove(rows, PAGE_SIZE);
	render_add_times(rows, "created_at");
	render_add_times(rows, "decided_at");
	pledge_texts(rows);
	model = json_pack(
		"{s:o,s:o,s:s?,s:{s:I,s:b,s:s?,s:s?}}", "pledges", rows,
		"status_options", options(statuses, status_labels, status),
		"status", status, "pager", "page", (json_int_t)page,
		"has_pages", page > 1 || has_next, "prev_href",
		page > 1 ? pledges_href(r, status, page - 1) : NULL,
		"next_href", has_next ? pledges_href(r, status, page + 1) : NULL);
	if (req_value(r, "done")->present)
		json_object_set_new(model, "notice",
				    json_string("The status has been saved. The "
						"change is in the audit log."));
	admin_page(r, w, 200, "members/templates/pledges.html", "Pledges",
		   "/admin/pledges", model);
}

static const struct field pledge_status_fields[] = {
	{.name = "status", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = DECISIONS, .label = "Status"},
	{0},
};

/*
 * POST /admin/pledges/:id/status: sets the status (and decided_at) with
 * its audit record in one transaction.  The same status again changes
 * nothing and records nothing; an unknown pledge is a 404.
 */
static void
pledge_status_set(struct req *r, struct resp *w)
{
	int64_t id = param_id(r);
	const char *status = req_value(r, "status")->str, *old;
	struct db_stmt *st;
	int rc;

	if (id <= 0) {
		resp_error(w, 404, "There is no such pledge.");
		return;
	}
	if (db_begin(r->db) != 0)
		return fail(r, w);
	if ((st = db_stmt(r->db, &levels_sql, S_PLEDGE_STATUS)) == NULL)
		return fail(r, w);
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_ERROR)
		return fail(r, w);
	if (rc == DB_DONE) {
		db_rollback(r->db);
		resp_error(w, 404, "There is no such pledge.");
		return;
	}
	old = arena_strdup(r->arena, db_col_text(st, 0));
	db_reset(st);
	if (strcmp(old, status) == 0) {
		db_rollback(r->db);
		resp_redirect(w, "/admin/pledges?done=status");
		return;
	}
	if ((st = db_stmt(r->db, &levels_sql, S_PLEDGE_SET_STATUS)) == NULL)
		return fail(r, w);
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, now());
	db_bind_int(st, 3, id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "pledge.status", "pledge",
			     arena_printf(r->arena, "%" PRId64, id),
			     json_pack("{s:s}", "status", old),
			     json_pack("{s:s}", "status", status),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/admin/pledges?done=status");
}

/* ---- the secretariat: levels ---- */

static const struct field level_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Name"},
	{.name = "summary", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 1000, .label = "Summary"},
	{.name = "dues", .type = FT_INT, .flags = FIELD_REQUIRED, .min = 0,
	 .max = MAX_UNITS, .label = "Dues a year"},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = currencies, .label = "Currency"},
	{.name = "period", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = periods, .label = "Period"},
	{.name = "grace_days", .type = FT_INT, .flags = FIELD_REQUIRED,
	 .min = 0, .max = 365, .label = "Grace period (days)"},
	{.name = "requires_un_status", .type = FT_BOOL,
	 .label = "Requires UN status"},
	{.name = "who_may_apply_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = "Who may apply"},
	{.name = "benefits_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = "Benefits"},
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
		return read_failed(w);
	json_array_foreach (rows, i, row) {
		json_t *form;

		level_texts(row);
		if (failed && int_at(row, "id") == failed && r->input) {
			form = json_deep_copy(r->input);
			add_errors(r, row);
		} else {
			form = json_pack(
				"{s:O,s:O,s:I,s:O,s:O,s:O,s:O,s:O,s:O}",
				"name", json_object_get(row, "name"), "summary",
				json_object_get(row, "summary"), "dues",
				(json_int_t)(int_at(row, "dues_amount") / 100),
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
				    options(currencies, NULL,
					    str_at(form, "currency")));
		json_object_set_new(row, "period_options",
				    options(periods, period_labels,
					    str_at(form, "period")));
		json_object_set_new(row, "form", form);
	}
	model = json_pack("{s:o}", "levels", rows);
	if (failed == 0 && req_value(r, "done")->present)
		json_object_set_new(model, "notice",
				    json_string("The level has been saved. The "
						"change is in the audit log."));
	admin_page(r, w, status, "members/templates/levels_admin.html",
		   "Membership levels", "/admin/levels", model);
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
	int64_t id = param_id(r);
	json_t *row, *after, *before, *changed;
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		goto not_found;
	if ((st = db_stmt(r->db, &levels_sql, S_LEVEL_GET)) == NULL)
		return read_failed(w);
	db_bind_int(st, 1, id);
	if ((row = db_one_json(st)) == NULL)
		return read_failed(w);
	if (!json_is_object(row)) {
		json_decref(row);
		goto not_found;
	}
	json_decref(row);
	if (r->errors)
		return levels_admin_render(r, w, 422, id);

	if (db_begin(r->db) != 0)
		return fail(r, w);
	/* read again inside the transaction: before is what this changes */
	if ((st = db_stmt(r->db, &levels_sql, S_LEVEL_GET)) == NULL)
		return fail(r, w);
	db_bind_int(st, 1, id);
	row = db_one_json(st);
	if (!json_is_object(row)) {
		json_decref(row);
		return fail(r, w);
	}
	after = json_pack(
		"{s:s,s:s,s:I,s:s,s:s,s:I,s:I,s:s,s:s}", "name",
		req_value(r, "name")->str, "summary",
		req_value(r, "summary")->str, "dues_amount",
		(json_int_t)(req_value(r, "dues")->num * 100), "dues_currency",
		req_value(r, "currency")->str, "period",
		req_value(r, "period")->str, "grace_days",
		(json_int_t)req_value(r, "grace_days")->num,
		"requires_un_status",
		(json_int_t)(req_value(r, "requires_un_status")->num == 1),
		"who_may_apply_md",
		value_or_null(r, "who_may_apply_md")
			? value_or_null(r, "who_may_apply_md")
			: "",
		"benefits_md",
		value_or_null(r, "benefits_md") ? value_or_null(r, "benefits_md")
						: "");
	if (diff_fields(row, after, &before, &changed) == 0) {
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
		db_bind_text(st, 1, str_at(after, "name"));
		db_bind_text(st, 2, str_at(after, "summary"));
		db_bind_int(st, 3, int_at(after, "dues_amount"));
		db_bind_text(st, 4, str_at(after, "dues_currency"));
		db_bind_text(st, 5, str_at(after, "period"));
		db_bind_int(st, 6, int_at(after, "grace_days"));
		db_bind_int(st, 7, int_at(after, "requires_un_status"));
		db_bind_text(st, 8, str_at(after, "who_may_apply_md"));
		db_bind_text(st, 9, str_at(after, "benefits_md"));
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
	if (rc != 0 || db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/admin/levels?done=saved");
	return;
not_found:
	resp_error(w, 404, "There is no such membership level.");
}

/* ---- the secretariat: tiers ---- */

static const struct field tier_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Name"},
	{.name = "amount", .type = FT_INT, .flags = FIELD_REQUIRED, .min = 0,
	 .max = MAX_UNITS, .label = "Amount"},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = currencies, .label = "Currency"},
	{.name = "description_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = "Description"},
	{.name = "position", .type = FT_INT, .flags = FIELD_REQUIRED, .min = 1,
	 .max = 1000, .label = "Position"},
	{0},
};

static const struct field tier_new_fields[] = {
	{.name = "slug", .type = FT_SLUG, .flags = FIELD_REQUIRED,
	 .maxlen = 60, .label = "Short name (for addresses)"},
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Name"},
	{.name = "amount", .type = FT_INT, .flags = FIELD_REQUIRED, .min = 0,
	 .max = MAX_UNITS, .label = "Amount"},
	{.name = "currency", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = currencies, .label = "Currency"},
	{.name = "description_md", .type = FT_TEXTAREA, .maxlen = 10000,
	 .label = "Description"},
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
	json_t *rows = tiers_list(r), *row, *model, *fresh;
	size_t i;

	if (rows == NULL)
		return read_failed(w);
	tier_texts(rows);
	json_array_foreach (rows, i, row) {
		json_t *form;

		if (failed > 0 && int_at(row, "id") == failed && r->input) {
			form = json_deep_copy(r->input);
			add_errors(r, row);
		} else {
			form = json_pack(
				"{s:O,s:I,s:O,s:O,s:O}", "name",
				json_object_get(row, "name"), "amount",
				(json_int_t)(int_at(row, "amount") / 100),
				"currency", json_object_get(row, "currency"),
				"description_md",
				json_object_get(row, "description_md"),
				"position", json_object_get(row, "position"));
		}
		json_object_set_new(row, "currency_options",
				    options(currencies, NULL,
					    str_at(form, "currency")));
		json_object_set_new(row, "form", form);
	}
	fresh = json_object();
	if (failed < 0) {
		json_object_set_new(fresh, "form",
				    r->input ? json_deep_copy(r->input)
					     : json_object());
		add_errors(r, fresh);
	} else {
		json_object_set_new(fresh, "form", json_object());
	}
	json_object_set_new(
		fresh, "currency_options",
		options(currencies, NULL,
			failed < 0 && r->input
				? str_at(r->input, "currency")
				: "USD"));
	model = json_pack("{s:o,s:o}", "tiers", rows, "new_tier", fresh);
	if (failed == 0 && req_value(r, "done")->present)
		json_object_set_new(
			model, "notice",
			json_string(strcmp(req_value(r, "done")->str,
					   "added") == 0
					    ? "The tier has been added. The "
					      "change is in the audit log."
					    : "The tier has been saved. The "
					      "change is in the audit log."));
	admin_page(r, w, status, "members/templates/levels_tiers.html",
		   "Sponsorship tiers", "/admin/tiers", model);
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
	int64_t id = param_id(r);
	json_t *row, *after, *before, *changed;
	struct db_stmt *st;
	int rc;

	if (id <= 0)
		goto not_found;
	if ((st = db_stmt(r->db, &levels_sql, S_TIER_GET)) == NULL)
		return read_failed(w);
	db_bind_int(st, 1, id);
	if ((row = db_one_json(st)) == NULL)
		return read_failed(w);
	if (!json_is_object(row)) {
		json_decref(row);
		goto not_found;
	}
	json_decref(row);
	if (r->errors)
		return tiers_admin_render(r, w, 422, id);

	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &levels_sql, S_TIER_GET)) == NULL)
		return fail(r, w);
	db_bind_int(st, 1, id);
	row = db_one_json(st);
	if (!json_is_object(row)) {
		json_decref(row);
		return fail(r, w);
	}
	after = json_pack("{s:s,s:I,s:s,s:s,s:I}", "name",
			  req_value(r, "name")->str, "amount",
			  (json_int_t)(req_value(r, "amount")->num * 100),
			  "currency", req_value(r, "currency")->str,
			  "description_md",
			  value_or_null(r, "description_md")
				  ? value_or_null(r, "description_md")
				  : "",
			  "position", (json_int_t)req_value(r, "position")->num);
	rc = diff_fields(row, after, &before, &changed) == 0 ? 1 : 0;
	json_decref(row);
	if (rc == 0) {
		if ((st = db_stmt(r->db, &levels_sql, S_TIER_UPDATE)) == NULL) {
			rc = -1;
		} else {
			db_bind_text(st, 1, str_at(after, "name"));
			db_bind_int(st, 2, int_at(after, "amount"));
			db_bind_text(st, 3, str_at(after, "currency"));
			db_bind_text(st, 4, str_at(after, "description_md"));
			db_bind_int(st, 5, int_at(after, "position"));
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
	if (rc != 0 || db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/admin/tiers?done=saved");
	return;
not_found:
	resp_error(w, 404, "There is no such sponsorship tier.");
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
	struct db_stmt *st;
	int rc;

	if (r->errors)
		return tiers_admin_render(r, w, 422, -1);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &levels_sql, S_TIER_BY_SLUG)) == NULL)
		return fail(r, w);
	db_bind_text(st, 1, slug);
	if ((rc = db_step(st)) == DB_ERROR)
		return fail(r, w);
	if (rc == DB_ROW) {
		db_reset(st);
		db_rollback(r->db);
		add_error(r, "slug",
			  "Short name: another tier has this one already; "
			  "please choose another");
		return tiers_admin_render(r, w, 409, -1);
	}
	if ((st = db_stmt(r->db, &levels_sql, S_TIER_INSERT)) == NULL)
		return fail(r, w);
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, req_value(r, "name")->str);
	db_bind_int(st, 3, req_value(r, "amount")->num * 100);
	db_bind_text(st, 4, req_value(r, "currency")->str);
	db_bind_text(st, 5, value_or_null(r, "description_md")
				    ? value_or_null(r, "description_md")
				    : "");
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "tier.create", "sponsorship_tier",
		    arena_printf(r->arena, "%" PRId64, db_last_id(r->db)),
		    NULL,
		    json_pack("{s:s,s:s,s:I,s:s}", "slug", slug, "name",
			      req_value(r, "name")->str, "amount",
			      (json_int_t)(req_value(r, "amount")->num * 100),
			      "currency", req_value(r, "currency")->str),
		    r->client) != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/admin/tiers?done=added");
}

/* ---- the route table ---- */

#define T ACCESS_PUBLIC
#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)

static const struct route levels_routes[] = {
	{HTTP_GET, "/benefits", T, NULL, benefits, 0, 0,
	 "Membership levels: dues, who may apply and the benefits"},
	{HTTP_GET, "/sponsor", T, NULL, sponsor_page, FORM, 0,
	 "Sponsorship tiers, sponsors thanked publicly and the pledge form"},
	{HTTP_POST, "/sponsor", T, pledge_fields, sponsor_submit, OWN, 0,
	 "Sends a pledge; thanks the sponsor and tells the secretariat"},
	{HTTP_GET, "/sponsor/thanks", T, NULL, sponsor_thanks, 0, 0,
	 "Confirms that a pledge was sent"},
	{HTTP_GET, "/admin/pledges", A, pledges_fields, pledges_page, FORM, 0,
	 "The queue of pledges, newest first, by status"},
	{HTTP_POST, "/admin/pledges/:id/status", A, pledge_status_fields,
	 pledge_status_set, P, 0, "Confirms, receives or declines a pledge"},
	{HTTP_GET, "/admin/levels", A, saved_fields, levels_admin, FORM, 0,
	 "The membership levels, each with its edit form"},
	{HTTP_POST, "/admin/levels/:id", A, level_fields, level_update, OWN, 0,
	 "Saves a membership level (dues, period, grace, texts)"},
	{HTTP_GET, "/admin/tiers", A, saved_fields, tiers_admin, FORM, 0,
	 "The sponsorship tiers, each with its edit form, and a new one"},
	{HTTP_POST, "/admin/tiers", A, tier_new_fields, tier_create, OWN, 0,
	 "Adds a sponsorship tier (its short name must be free)"},
	{HTTP_POST, "/admin/tiers/:id", A, tier_fields, tier_update, OWN, 0,
	 "Saves a sponsorship tier"},
};

const struct module levels_module = {"levels", levels_routes,
				     ARRAY_LEN(levels_routes), &levels_sql};
