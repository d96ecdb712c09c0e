/*
 * pledges.c -- Sponsor: the public page that shows the sponsorship tiers
 * and thanks sponsors, the pledge form, and the secretariat's queue of
 * pledges.
 *
 * /sponsor shows the tiers (read through tiers.c, which edits them), the
 * sponsors who asked to be thanked publicly (once the secretariat has
 * confirmed their pledge) and the pledge form.  The form asks for the
 * agreement to the privacy policy (a required checkbox linking to
 * /privacy); a pledge without it is the form again with the message (422)
 * and nothing stored, and a stored pledge keeps when it was given
 * (consent_at).  A pledge is one
 * transaction: the row, its audit record ("pledge.create"), a thank-you
 * to the contact (fixed text: the address is not confirmed) and a notice
 * to the secretariat (the address of mail_from), then 303 to
 * /sponsor/thanks.  Pledges are limited per client and per contact
 * address (public_limits.h).
 *
 * Secretariat (ACCESS_ADMIN, personal): /admin/pledges, the queue newest
 * first by status, and the status change ("pledge.status").
 *
 * Amounts are stored in minor units (cents); people type them with up to
 * two decimals and thousands separators ("1,250.50", read by FT_MONEY
 * into cents), and every amount is formatted in C (membership_money()),
 * never in a template.
 */
#include "sponsorship_int.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
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
#include "core/mail.h"
#include "core/render.h"
#include "core/util.h"
#include "membership/membership.h"
#include "public_limits.h"

#define PAGE_SIZE 50
#define MAX_PAGE 100000
#define THANKED_MAX 200

enum stmt_pledges {
	S_PLEDGE_INSERT,
	S_PLEDGES_THANKED,
	S_PLEDGES_LIST,
	S_PLEDGE_STATUS,
	S_PLEDGE_SET_STATUS,
	S_PLEDGES_NEW,
	S_PLEDGES_CONFIRMED,
	S_PLEDGES__MAX,
};

static const char *const pledges_sql_text[S_PLEDGES__MAX] = {
	[S_PLEDGE_INSERT] =
		"INSERT INTO pledges (sponsor_name, contact_name,"
		" contact_email, tier_id, amount, currency, purpose,"
		" purpose_detail, thank_publicly, consent_at, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
		" p.created_at, p.decided_at, p.consent_at FROM pledges p"
		" LEFT JOIN sponsorship_tiers t ON t.id = p.tier_id"
		" WHERE (CAST(? AS TEXT) IS NULL OR p.status = ?)"
		" ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?",
	[S_PLEDGE_STATUS] = "SELECT status FROM pledges WHERE id = ?",
	[S_PLEDGE_SET_STATUS] = "UPDATE pledges SET status = ?,"
				" decided_at = ? WHERE id = ?",
	[S_PLEDGES_NEW] = "SELECT count(*) FROM pledges WHERE status = 'new'",
	[S_PLEDGES_CONFIRMED] = "SELECT count(*) FROM pledges"
				" WHERE status = 'confirmed'",
};

static struct db_sql pledges_sql = {"pledges", pledges_sql_text,
				    S_PLEDGES__MAX, 0};

static const char *const purposes[] = {"general", "sprint", "library",
				       "working-party", "meeting", NULL};
/* The labels (here and of the statuses) are shown translated: label_of,
 * options. */
static const char *const purpose_labels[] = {
	N_("General support"),
	N_("A sprint team at a Commission"),
	N_("A collection of the resource library"),
	N_("A working party"),
	N_("A meeting"),
};
static const char *const statuses[] = {"new", "confirmed", "received",
				       "declined", NULL};
static const char *const status_labels[] = {
	N_("New"), N_("Confirmed"), N_("Received"), N_("Declined")};
/* what the secretariat may set: every status but the first */
#define DECISIONS (statuses + 1)
#define DECISION_LABELS (status_labels + 1)
static const char *const done_status[] = {"status", NULL};

/* The label of value among values (labels marked with N_), in the
 * current language. */
static const char *
label_of(const char *const *values, const char *const *labels,
	 const char *value)
{
	return _(membership_label_of(values, labels, value));
}

/* membership_options with the labels (marked with N_) in the current
 * language. */
static json_t *
options(const char *const *values, const char *const *labels,
	const char *current)
{
	json_t *a = membership_options(values, labels, current), *o;
	size_t i;

	json_array_foreach (a, i, o)
		json_object_set_new(o, "label",
				    json_string(_(membership_str(o, "label"))));
	return a;
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

/* ---- Sponsor ---- */

/* The Sponsor page's model: tiers, the sponsors thanked publicly, the
 * form's choices with what was typed, and the messages.  NULL on error. */
static json_t *
sponsor_model(struct req *r)
{
	json_t *input = r->input;
	const char *tier = input ? membership_str(input, "tier") : NULL;
	const char *currency = input ? membership_str(input, "currency") : NULL;
	const char *purpose = input ? membership_str(input, "purpose") : NULL;
	json_t *tiers = tiers_list(r->db), *thanked, *row, *tier_opts;
	json_t *model;
	struct db_stmt *st;
	size_t i;

	if (tiers == NULL)
		return NULL;
	if ((st = db_stmt(r->db, &pledges_sql, S_PLEDGES_THANKED)) == NULL) {
		json_decref(tiers);
		return NULL;
	}
	db_bind_int(st, 1, THANKED_MAX);
	if ((thanked = db_all_json(st)) == NULL) {
		json_decref(tiers);
		return NULL;
	}
	json_array_foreach (thanked, i, row)
		json_object_set_new(
			row, "purpose_label",
			json_string(label_of(purposes, purpose_labels,
					     membership_str(row, "purpose"))));
	tier_opts = json_array();
	json_array_foreach (tiers, i, row) {
		const char *slug = membership_str(row, "slug");

		json_array_append_new(
			tier_opts,
			json_pack("{s:s,s:s,s:b}", "value", slug, "label",
				  i18n_text(r->arena, _("{tier} – {amount}"),
					    "tier", membership_str(row, "name"),
					    "amount",
					    membership_str(row, "amount_text"),
					    NULL),
				  "selected", tier && strcmp(tier, slug) == 0));
	}
	model = json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:o}", "tiers", tiers, "thanked", thanked,
		"tier_options", tier_opts, "currency_options",
		membership_options(membership_currencies, NULL,
				   currency ? currency : "USD"),
		"purpose_options", options(purposes, purpose_labels, purpose),
		"input", input ? json_incref(input) : json_object());
	membership_add_errors(r, model);
	return model;
}

static void
sponsor_page(struct req *r, struct resp *w)
{
	json_t *m = sponsor_model(r);

	if (m == NULL)
		return membership_read_failed(w);
	resp_page(w, 200, "sponsorship/templates/sponsor.html",
		  _("Sponsor the Alliance"), m);
}

static const struct field pledge_fields[] = {
	{.name = "sponsor_name",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Sponsor (organisation or person)")},
	{.name = "contact_name",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Contact name")},
	{.name = "contact_email",
	 .type = FT_EMAIL,
	 .flags = FIELD_REQUIRED,
	 .label = N_("Contact e-mail")},
	{.name = "tier", .type = FT_SLUG, .maxlen = 60, .label = N_("Tier")},
	{.name = "amount",
	 .type = FT_MONEY,
	 .min = 1,
	 .max = MEMBERSHIP_MAX_MINOR,
	 .label = N_("Amount")},
	{.name = "currency",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = membership_currencies,
	 .label = N_("Currency")},
	{.name = "purpose",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = purposes,
	 .label = N_("Purpose")},
	{.name = "purpose_detail",
	 .type = FT_TEXTAREA,
	 .maxlen = 2000,
	 .label = N_("About the purpose")},
	{.name = "thank_publicly",
	 .type = FT_BOOL,
	 .label = N_("Thank us publicly")},
	{.name = "consent",
	 .type = FT_BOOL,
	 .flags = FIELD_REQUIRED,
	 .label = N_("Agreement to the privacy policy")},
	{0},
};

/* What a pledge is worth, for the mails: "the Partner tier (USD
 * 2,500.00)", "EUR 300.00", or both; in the current language, in r's
 * arena. */
static const char *
pledge_worth(struct req *r, const char *tier_name, int64_t tier_amount,
	     const char *tier_currency, int64_t amount, const char *currency)
{
	json_t *t = tier_name ? membership_money(tier_amount, tier_currency)
			      : NULL;
	json_t *a = amount > 0 ? membership_money(amount, currency) : NULL;
	const char *s;

	if (t && a)
		s = i18n_text(r->arena,
			      _("{amount} (the {tier} tier is {tier_amount})"),
			      "amount", json_string_value(a), "tier", tier_name,
			      "tier_amount", json_string_value(t), NULL);
	else if (t)
		s = i18n_text(r->arena, _("the {tier} tier ({tier_amount})"),
			      "tier", tier_name, "tier_amount",
			      json_string_value(t), NULL);
	else
		s = arena_printf(r->arena, "%s", json_string_value(a));
	json_decref(t);
	json_decref(a);
	return s;
}

/* What a pledge is worth, as pledge_worth words it. */
struct pledge_worth {
	const char *tier_name;
	int64_t tier_amount;
	const char *tier_currency;
	int64_t amount;
	const char *currency;
};

/* pledge_worth of pw, in the current language. */
static const char *
worth_text(struct req *r, const struct pledge_worth *pw)
{
	return pledge_worth(r, pw->tier_name, pw->tier_amount,
			    pw->tier_currency, pw->amount, pw->currency);
}

/*
 * The thank-you to the contact and the notice to the secretariat (the
 * address in mail_from), in the caller's transaction.  0 or -1.
 *
 * The contact's address is not confirmed, so the thank-you carries none
 * of the text typed into the form (names, the purpose's details): only
 * the amount or tier, the purpose's label and our own sentences, under no
 * display name.  Otherwise the form would relay anyone's text to any
 * address under the Alliance's name.  The secretariat's notice has it all.
 */
static int
pledge_mails(struct req *r, int64_t id, const struct pledge_worth *pw)
{
	const char *sponsor = req_value(r, "sponsor_name")->str;
	const char *contact = req_value(r, "contact_name")->str;
	const char *email = req_value(r, "contact_email")->str;
	const char *purpose = req_value(r, "purpose")->str;
	const char *detail = membership_value_or_null(r, "purpose_detail");
	int publicly = req_value(r, "thank_publicly")->num == 1;
	const char *text, *about;
	int rc;

	/* the thank-you in the language the sponsor reads (this request's,
	 * unless the address chose one), remembered for later letters */
	if (mail_remember_language(r->db, r->arena, email) != 0)
		return -1;
	i18n_push(mail_language(r->db, r->arena, email, i18n_code()));
	text = i18n_text(
		r->arena,
		_("Hello,\n\nthank you for pledging {worth} to the Alliance, "
		  "for: {purpose}.\n\nThe secretariat will write to you "
		  "shortly to confirm the pledge and agree how it is "
		  "paid.{public}\n\nIf you did not make this pledge, you can "
		  "ignore this message: nothing is due without your "
		  "confirmation."),
		"worth", worth_text(r, pw), "purpose",
		label_of(purposes, purpose_labels, purpose), "public",
		publicly ? arena_printf(r->arena, "\n\n%s",
					_("You asked us to thank you publicly: "
					  "once the pledge is confirmed, the "
					  "sponsor's name and its purpose will "
					  "appear on our Sponsor page."))
			 : "",
		NULL);
	rc = send_text(r, email, NULL, _("Thank you for your pledge"),
		       arena_printf(r->arena, "%s\n\n-- \n%s\n", text,
				    config_current->site_name));
	i18n_pop();
	if (rc != 0)
		return -1;

	/* the secretariat's notice in the default language */
	i18n_push(NULL);
	about = detail ? arena_printf(
				 r->arena, "%s\n",
				 i18n_text(r->arena,
					   _("About the purpose: {detail}"),
					   "detail", detail, NULL))
		       : "";
	text = i18n_text(r->arena,
			 _("A new pledge (number {id}):\n\nSponsor: "
			   "{sponsor}\nContact: {contact}\nPledge: {worth}\n"
			   "Purpose: {purpose}"),
			 "id", arena_printf(r->arena, "%" PRId64, id),
			 "sponsor", sponsor, "contact",
			 arena_printf(r->arena, "%s <%s>", contact, email),
			 "worth", worth_text(r, pw), "purpose",
			 label_of(purposes, purpose_labels, purpose), NULL);
	text = arena_printf(
		r->arena, "%s\n%s%s\n", text, about,
		i18n_text(r->arena,
			  _("Thank publicly: {answer}\n\nThe queue of "
			    "pledges:\n{link}"),
			  "answer", publicly ? _("yes") : _("no"), "link",
			  arena_printf(r->arena, "%s/admin/pledges",
				       config_current->base_url),
			  NULL));
	rc = mail_to_secretariat(r->db,
				 i18n_text(r->arena,
					   _("New pledge from {sponsor}"),
					   "sponsor", sponsor, NULL),
				 text);
	i18n_pop();
	return rc;
}

/* The Sponsor page again with the messages of r->errors, as status. */
static void
sponsor_again(struct req *r, struct resp *w, int status)
{
	json_t *m = sponsor_model(r);

	if (m == NULL)
		return membership_read_failed(w);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "sponsorship/templates/sponsor.html",
		  _("Sponsor the Alliance"), m);
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
	int64_t tier_id = 0, tier_amount = 0, minor, id, at;
	const char *tier_name = NULL, *tier_currency = NULL, *currency;
	const char *msg = NULL;
	struct pledge_worth pw;
	struct db_stmt *st;
	int wait;

	if (!tier->present && !amount->present && !r->errors)
		membership_add_error(
			r, "tier", _("Please choose a tier or give an amount"));
	if (tier->present) {
		struct tiers_tier t;
		int rc = tiers_by_slug(r->db, r->arena, tier->str, &t);

		if (rc < 0)
			return membership_read_failed(w);
		if (rc == 1) {
			tier_id = t.id;
			tier_name = t.name;
			tier_amount = t.amount;
			tier_currency = t.currency;
		} else {
			membership_add_error(r, "tier",
					     _("Tier: please choose one of the "
					       "tiers listed"));
		}
	}
	if (req_value(r, "consent")->num != 1)
		membership_add_error(r, "consent",
				     _("Please agree to the privacy policy "
				       "to send a pledge"));
	if (r->errors)
		return sponsor_again(r, w, 422);
	minor = amount->present ? amount->num : 0;
	currency = amount->present ? req_value(r, "currency")->str
				   : tier_currency;

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	wait = limits_check(r, w, &limits_sponsor,
			    req_value(r, "contact_email")->str, N_("pledges"),
			    &msg);
	if (wait < 0)
		return resp_fail(r, w, NULL);
	if (wait > 0) {
		db_rollback(r->db);
		if (r->want_json)
			return resp_error(w, 429, msg);
		membership_add_error(r, "contact_email", msg);
		return sponsor_again(r, w, 429);
	}
	if ((st = db_stmt(r->db, &pledges_sql, S_PLEDGE_INSERT)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, req_value(r, "sponsor_name")->str);
	db_bind_text(st, 2, req_value(r, "contact_name")->str);
	db_bind_text(st, 3, req_value(r, "contact_email")->str);
	if (tier_id > 0)
		db_bind_int(st, 4, tier_id);
	if (minor > 0)
		db_bind_int(st, 5, minor);
	db_bind_text(st, 6, currency);
	db_bind_text(st, 7, req_value(r, "purpose")->str);
	db_bind_text(st, 8,
		     membership_value_or_null(r, "purpose_detail")
			     ? membership_value_or_null(r, "purpose_detail")
			     : "");
	db_bind_int(st, 9, req_value(r, "thank_publicly")->num == 1);
	at = clock_now();
	db_bind_int(st, 10, at); /* consent: checked above, given now */
	db_bind_int(st, 11, at);
	if (db_one_int(st, &id) != 0)
		return resp_fail(r, w, NULL);
	if (audit_record_new(
		    r->db, r->person ? r->person->id : 0, "pledge.create",
		    "pledge", arena_printf(r->arena, "%" PRId64, id), NULL,
		    json_pack("{s:s,s:s,s:s,s:s?,s:o,s:s,s:s,s:b,s:I}",
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
			      req_value(r, "thank_publicly")->num == 1,
			      "consent_at", (json_int_t)at),
		    r->client) != 0)
		return resp_fail(r, w, NULL);
	pw = (struct pledge_worth){tier_name, tier_amount, tier_currency, minor,
				   currency};
	if (pledge_mails(r, id, &pw) != 0 || db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/sponsor/thanks");
}

static void
sponsor_thanks(struct req *r, struct resp *w)
{
	resp_page(w, 200, "sponsorship/templates/sponsor_thanks.html",
		  _("Thank you for your pledge"), json_object());
}

/* ---- the secretariat: pledges ---- */

static const struct field pledges_fields[] = {
	{.name = "status", .type = FT_CHOICE, .choices = statuses,
	 .label = N_("Status")},
	{.name = "page", .type = FT_INT, .min = 1, .max = MAX_PAGE,
	 .label = N_("Page")},
	{.name = "done", .type = FT_CHOICE, .choices = done_status},
	{0},
};

/* The queue's links keep the status filter, not the one-shot notice. */
static const char *const pledges_keep_out[] = {"done", NULL};

/* Adds to each pledge row what the queue shows: worth_text,
 * purpose_label, status_label and the status choices, in the current
 * language (in r's arena). */
static void
pledge_texts(struct req *r, json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		int64_t amount = membership_int(row, "amount");
		const char *tier = membership_str(row, "tier_name");
		const char *status = membership_str(row, "status");
		json_t *worth;

		if (amount > 0)
			worth = membership_money(amount,
					      membership_str(row, "currency"));
		else
			worth = membership_money(
				membership_int(row, "tier_amount"),
				membership_str(row, "tier_currency"));
		json_object_set_new(row, "worth_text", worth);
		if (tier && amount > 0)
			json_object_set_new(row, "tier_note",
					    json_string(i18n_text(
						    r->arena, _("tier {tier}"),
						    "tier", tier, NULL)));
		else if (tier)
			json_object_set_new(
				row, "tier_note",
				json_string(i18n_text(r->arena,
						      _("the {tier} tier"),
						      "tier", tier, NULL)));
		json_object_set_new(
			row, "purpose_label",
			json_string(label_of(purposes, purpose_labels,
					     membership_str(row, "purpose"))));
		json_object_set_new(
			row, "status_label",
			json_string(label_of(statuses, status_labels, status)));
		json_object_set_new(
			row, "decisions",
			options(DECISIONS, DECISION_LABELS, status));
	}
}

static void
pledges_page(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &pledges_sql, S_PLEDGES_LIST);
	const char *status = membership_value_or_null(r, "status");
	struct pager pg;
	json_t *rows, *model;
	int has_next;

	if (st == NULL)
		return membership_read_failed(w);
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, status);
	pager_read(r, PAGE_SIZE, &pg);
	db_bind_int(st, 3, PAGE_SIZE + 1);
	db_bind_int(st, 4, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return membership_read_failed(w);
	has_next = pager_trim(rows, PAGE_SIZE);
	render_add_times(rows, "created_at");
	render_add_times(rows, "decided_at");
	render_add_times(rows, "consent_at");
	pledge_texts(r, rows);
	model = json_pack("{s:o,s:o,s:s?,s:o}", "pledges", rows,
			  "status_options",
			  options(statuses, status_labels, status), "status",
			  status, "pager",
			  pager_model(r, &pg, "/admin/pledges",
				      pledges_keep_out, has_next, -1));
	if (req_value(r, "done")->present)
		json_object_set_new(model, "notice",
				    json_string(_("The status has been saved. "
						  "The change is in the audit "
						  "log.")));
	membership_admin_page(r, w, 200, "sponsorship/templates/pledges.html",
			   _("Pledges"), "/admin/pledges", model);
}

static const struct field pledge_status_fields[] = {
	{.name = "status", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = DECISIONS, .label = N_("Status")},
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
	int64_t id = req_param_id(r);
	const char *status = req_value(r, "status")->str, *old;
	struct db_stmt *st;
	int rc;

	if (id <= 0) {
		resp_error(w, 404, _("There is no such pledge."));
		return;
	}
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &pledges_sql, S_PLEDGE_STATUS)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_ERROR)
		return resp_fail(r, w, NULL);
	if (rc == DB_DONE) {
		db_rollback(r->db);
		resp_error(w, 404, _("There is no such pledge."));
		return;
	}
	old = arena_strdup(r->arena, db_col_text(st, 0));
	db_reset(st);
	if (strcmp(old, status) == 0) {
		db_rollback(r->db);
		resp_redirect(w, "/admin/pledges?done=status");
		return;
	}
	if ((st = db_stmt(r->db, &pledges_sql, S_PLEDGE_SET_STATUS)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "pledge.status", "pledge",
			     arena_printf(r->arena, "%" PRId64, id),
			     json_pack("{s:s}", "status", old),
			     json_pack("{s:s}", "status", status),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/admin/pledges?done=status");
}

/* ---- the route table ---- */

#define T ACCESS_PUBLIC
#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)

static const struct route pledges_routes[] = {
	{.method = HTTP_GET, .pattern = "/sponsor", .who = T,
	 .handler = sponsor_page, .flags = FORM,
	 .summary = "Sponsorship tiers, sponsors thanked publicly and the "
		    "pledge form"},
	{.method = HTTP_POST, .pattern = "/sponsor", .who = T,
	 .fields = pledge_fields, .handler = sponsor_submit, .flags = OWN,
	 .summary = "Sends a pledge; thanks the sponsor and tells the "
		    "secretariat"},
	{.method = HTTP_GET, .pattern = "/sponsor/thanks", .who = T,
	 .handler = sponsor_thanks,
	 .summary = "Confirms that a pledge was sent"},
	{.method = HTTP_GET, .pattern = "/admin/pledges", .who = A,
	 .fields = pledges_fields, .handler = pledges_page, .flags = FORM,
	 .summary = "The queue of pledges, newest first, by status"},
	{.method = HTTP_POST, .pattern = "/admin/pledges/:id/status", .who = A,
	 .fields = pledge_status_fields, .handler = pledge_status_set,
	 .flags = P, .summary = "Confirms, receives or declines a pledge"},
};

/* The overview's count of new pledges, not confirmed yet. */
static int
count_new(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &pledges_sql, S_PLEDGES_NEW);

	return st ? db_one_int(st, n) : -1;
}

/* The overview's count of pledges confirmed whose money has not been
 * marked received. */
static int
count_confirmed(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &pledges_sql, S_PLEDGES_CONFIRMED);

	return st ? db_one_int(st, n) : -1;
}

/* Its tiles of the secretariat's overview (admin/menu.c). */
static const struct admin_tile pledges_tiles[] = {
	{N_("New pledges to confirm"), "/admin/pledges?status=new", 40,
	 count_new},
	{N_("Pledges confirmed, payment not received yet"),
	 "/admin/pledges?status=confirmed", 41, count_confirmed},
};

/* Its entries in the secretariat's menu (admin/menu.c). */
static const struct menu_entry pledges_menu[] = {
	{"/admin/pledges", N_("Pledges"), 40},
};

/* /sponsor in the site search: its heading, its lead and the tiers'
 * names and descriptions (rewritten with them: tiers.c). */
static const struct search_page pledges_pages[] = {
	{.slug = "sponsor",
	 .title = N_("Sponsor the Alliance"),
	 .text = N_("Sponsors keep civil society present where crime "
		    "prevention and criminal justice are decided. Pledge at "
		    "one of the tiers below or give the amount you choose, "
		    "for the Alliance's work in general or for one purpose."),
	 .words = tiers_words},
};

static const struct search_source pledges_search[] = {
	{.kind = "sponsorship",
	 .prefix = "/",
	 .label = N_("Sponsorship"),
	 .pages = pledges_pages,
	 .npages = ARRAY_LEN(pledges_pages)},
};

const struct module pledges_module = {
	.name = "pledges",
	.routes = pledges_routes,
	.nroutes = ARRAY_LEN(pledges_routes),
	.sql = &pledges_sql,
	.admin_menu = pledges_menu,
	.nadmin_menu = ARRAY_LEN(pledges_menu),
	.admin_tiles = pledges_tiles,
	.nadmin_tiles = ARRAY_LEN(pledges_tiles),
	.search = pledges_search,
	.nsearch = ARRAY_LEN(pledges_search),
};
