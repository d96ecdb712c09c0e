/*
 * settings.c -- see accounts.h: the account page, /account: changing the
 * password (the current one asked for, other sessions ended) and the
 * address (a link to the new one; the old one told when it is used).
 */
#include "accounts_int.h"

#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/ratelimit.h"
#include "core/util.h"

/* The current password hash of the signed-in person (arena), or NULL. */
static const char *
current_hash(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_sql, S_PERSON_HASH);
	const char *h = NULL;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, r->person->id);
	if (db_step(st) == DB_ROW) {
		if (db_col_text(st, 0))
			h = arena_strdup(r->arena, db_col_text(st, 0));
		db_reset(st);
	}
	return h;
}

static json_t *
account_model(struct req *r)
{
	const struct value *done = req_value(r, "done");
	const char *notice = NULL;

	if (done->present && strcmp(done->str, "password") == 0)
		notice = _("Your password has been changed. Other browsers "
			   "where you were signed in have been signed out, "
			   "and your API tokens revoked.");
	else if (done->present && strcmp(done->str, "email-sent") == 0)
		notice = _("We have sent a link to your new address. Your "
			   "address changes when you open it.");
	else if (done->present && strcmp(done->str, "email") == 0)
		notice = _("Your address has been changed.");
	else if (req_value(r, "welcome")->present)
		notice = _("Welcome! Your address is confirmed and you are "
			   "signed in.");
	/* role: the code, for API clients; role_label: for people */
	return json_pack("{s:s,s:s,s:s,s:s,s:b,s:s?}", "name", r->person->name,
			 "email", r->person->email, "role",
			 auth_role_name(r->person->role), "role_label",
			 auth_role_label(r->person->role), "has_password",
			 r->person->has_password, "notice", notice);
}

static const struct field account_fields[] = {
	{.name = "done", .type = FT_SLUG, .maxlen = 20},
	{.name = "welcome", .type = FT_BOOL},
	{0},
};

static void
account(struct req *r, struct resp *w)
{
	accounts_form_page(r, w, 200, "accounts/templates/account.html",
			   _("Your account"), account_model(r));
}

static const struct field password_fields[] = {
	{.name = "current", .type = FT_TEXT, .maxlen = 1024,
	 .label = N_("Current password")},
	{.name = "password", .type = FT_PASSWORD, .flags = FIELD_REQUIRED,
	 .label = N_("New password")},
	{0},
};

/* Sets person's password hash, ends all their sessions but keep_session
 * and revokes all their API tokens (after a reset, a stolen account
 * keeps nothing), records it. */
int
accounts_set_password(struct req *r, int64_t person, const char *hash,
		      const char *keep_session)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_sql,
				     S_PERSON_SET_PASSWORD);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, person);
	if (db_run(st) != 0 ||
	    auth_sessions_end_others(r->db, person, keep_session) != 0 ||
	    auth_api_tokens_revoke_all(r->db, person, clock_now()) != 0)
		return -1;
	return audit_record(r->db, r->person ? r->person->id : person,
			    "person.password.set", "person",
			    arena_printf(r->arena, "%lld", (long long)person),
			    NULL, NULL, r->client);
}

/*
 * Checks the current password typed in field "current" (not needed when
 * the account has none yet: the first sign-in by link).  A wrong one
 * counts as a failed sign-in of this account from this client, and a
 * client locked out of the sign-in form for this account is refused here
 * too, before any hashing: a session someone else has taken cannot guess
 * the password faster than the sign-in form lets them.  NULL when right;
 * otherwise the message for the field, with *status 422 (wrong), 429
 * (locked, Retry-After set on w) or 500.
 */
static const char *
current_password_error(struct req *r, struct resp *w, int *status)
{
	const char *hash = current_hash(r);
	const char *pair_key;
	int64_t t = clock_now();
	int wait;
	char words[32];

	if (hash == NULL)
		return NULL;
	pair_key = arena_printf(r->arena, "signin-fail:pair:%s %s",
				req_client(r), r->person->email);
	wait = ratelimit_peek(r->db, pair_key, FAIL_PER_ACCOUNT, FAIL_WINDOW,
			      t);
	if (wait < 0) {
		*status = 500;
		return _("Something went wrong on our side.");
	}
	if (wait > 0) {
		struct buf msg = BUF_INIT;
		const char *s;

		*status = 429;
		resp_header(w, "Retry-After",
			    arena_printf(r->arena, "%d", wait));
		/* TRANSLATORS: {wait} is "5 minutes"; "Forgot your
		 * password?" is the link of the sign-in page */
		i18n_format(&msg,
			    _("Too many wrong passwords. Please try again in "
			      "{wait}, or choose a new password with "
			      "\"Forgot your password?\""),
			    "wait",
			    ratelimit_wait_words(wait, words, sizeof(words)),
			    NULL);
		s = arena_strdup(r->arena, buf_cstr(&msg));
		buf_free(&msg);
		return s;
	}
	if (auth_password_check(hash, accounts_typed_password(r, "current")))
		return NULL;
	ratelimit_hit(r->db, pair_key, FAIL_PER_ACCOUNT, FAIL_WINDOW, t);
	*status = 422;
	return _("Current password is not right");
}

static void
account_password(struct req *r, struct resp *w)
{
	char hash[AUTH_PWHASH_MAX];
	const char *wrong;
	int status = 422;

	if (r->errors == NULL &&
	    (wrong = current_password_error(r, w, &status)) != NULL)
		r->errors = json_pack("{s:s}", "current", wrong);
	if (status == 500)
		return resp_fail(r, w, NULL);
	if (r->errors) {
		accounts_form_page(r, w, status,
				   "accounts/templates/account.html",
				   _("Your account"), account_model(r));
		return;
	}
	if (auth_password_hash(req_value(r, "password")->str, hash) != 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (accounts_set_password(r, r->person->id, hash, r->session_hash) !=
		    0 ||
	    accounts_send_link_mail(
		    r, r->person->email, r->person->name,
		    N_("Your password was changed"),
		    N_("The password of your account was just changed. If "
		       "it was not you, choose a new one at once:"),
		    accounts_site_link(r, "/reset", NULL),
		    N_("All other browsers where you were signed in have "
		       "been signed out, and your API tokens revoked."),
		    NULL) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/account?done=password");
}

static const struct field email_fields[] = {
	{.name = "current", .type = FT_TEXT, .maxlen = 1024,
	 .label = N_("Current password")},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = N_("New email")},
	{0},
};

static int
email_taken(struct req *r, const char *email)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_sql, S_EMAIL_TAKEN);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	rc = db_step(st);
	if (rc == DB_ROW)
		db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/*
 * Tells the owner of email (an account's address) that someone tried to
 * make it the address of another account, in the open transaction.  0 or
 * -1.  Nothing of the other account is said.
 */
static int
tell_owner(struct req *r, const char *email)
{
	struct person owner;
	int rc = auth_person_by_email(r->db, email, r->arena, &owner, NULL);

	if (rc <= 0)
		return rc; /* a disabled account is not told */
	return accounts_send_link_mail(
		r, email, owner.name, N_("Someone tried to use your address"),
		N_("Someone with an account on our site, perhaps you, asked to "
		   "make this address the address of their account. It is "
		   "already the address of your account, so nothing was "
		   "changed and no link was sent. If you want to sign in, you "
		   "can choose a new password here:"),
		accounts_site_link(r, "/reset", NULL),
		N_("If it was not you, you can ignore this message."), NULL);
}

/*
 * POST /account/email: a link to confirm the new address.  An address
 * another account has gets the same answer as a free one (so the form
 * tells nobody which addresses have accounts), and its owner a notice
 * instead of the link.  Both count against the limits of mail to an
 * address (429 with Retry-After when reached).
 */
static void
account_email(struct req *r, struct resp *w)
{
	char token[AUTH_TOKEN_LEN + 1];
	const char *email = NULL;
	const char *wrong;
	int taken = 0, wait = 0, status = 422;

	if (r->errors == NULL) {
		email = mail_address_key(r->arena, req_value(r, "email")->str);
		if ((wrong = current_password_error(r, w, &status)) != NULL)
			r->errors = json_pack("{s:s}", "current", wrong);
		else if (strcmp(email, r->person->email) == 0)
			r->errors = json_pack("{s:s}", "email",
					      _("New email is already the "
						"address of your account"));
		else if ((wait = accounts_mail_limited(r, &limits_address_mail,
						       email)) > 0) {
			const char *msg;

			limits_refused(r, w, wait, N_("messages"), &msg);
			r->errors = json_pack("{s:s}", "email", msg);
			status = 429;
		} else if (wait < 0) {
			return resp_fail(r, w, NULL);
		}
	}
	if (status == 500)
		return resp_fail(r, w, NULL);
	if (r->errors) {
		accounts_form_page(r, w, status,
				   "accounts/templates/account.html",
				   _("Your account"), account_model(r));
		return;
	}
	if (db_begin(r->db) != 0 || (taken = email_taken(r, email)) < 0)
		return resp_fail(r, w, NULL);
	if (taken) {
		if (tell_owner(r, email) != 0)
			return resp_fail(r, w, NULL);
	} else if (auth_link_create(r->db, r->person->id, "email", email,
				    EMAIL_TTL, clock_now(), token) != 0 ||
		   accounts_send_link_mail(
			   r, email, r->person->name,
			   N_("Confirm your new address"),
			   N_("Please confirm this new address for your "
			      "account:"),
			   accounts_site_link(
				   r, "/account/email/confirm?token=", token),
			   N_("The link works once, for 24 hours. Until then "
			      "your old address stays in use."),
			   NULL) != 0) {
		return resp_fail(r, w, NULL);
	}
	if (db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/account?done=email-sent");
}

static void
email_confirm_form(struct req *r, struct resp *w)
{
	accounts_confirm_page(
		r, w, "email", _("Confirm your new address"),
		_("Confirm to use this new address for your account. You "
		  "will be signed out everywhere else."),
		"/account/email/confirm", _("Use the new address"));
}

static void
email_confirm(struct req *r, struct resp *w)
{
	struct person before;
	struct db_stmt *st;
	const char *email;
	int64_t person;

	if (!accounts_use_link_or_respond(r, w, "email", &person, &email))
		return;
	if (email == NULL) {
		db_rollback(r->db);
		return accounts_link_gone(w);
	}
	if (email_taken(r, email) != 0) {
		db_rollback(r->db);
		accounts_message_page(
			w, 409, _("This address is taken"),
			_("Another account uses this address now, so it "
			  "cannot be yours too."),
			"/account", _("Your account"));
		return;
	}
	if (auth_person_by_id(r->db, person, r->arena, &before) != 1 ||
	    (st = db_stmt(r->db, &accounts_sql, S_PERSON_SET_EMAIL)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, email);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, person);
	if (db_run(st) != 0 ||
	    auth_sessions_end_others(r->db, person,
				     r->person && r->person->id == person
					     ? r->session_hash
					     : NULL) != 0 ||
	    audit_record_new(r->db, person, "person.email.set", "person",
			     arena_printf(r->arena, "%lld", (long long)person),
			     json_pack("{s:s}", "email", before.email),
			     json_pack("{s:s}", "email", email),
			     r->client) != 0 ||
	    accounts_send_link_mail(
		    r, before.email, before.name,
		    N_("The address of your account was changed"),
		    N_("The address of your account is now {address}. If "
		       "you did not change it, write to the secretariat at "
		       "once:"),
		    accounts_site_link(r, "/contact", NULL),
		    N_("This old address will get no more messages "
		       "about the account."),
		    email) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, r->person && r->person->id == person
				 ? "/account?done=email"
				 : "/signin");
}

static const struct route settings_routes[] = {
	{.method = HTTP_GET, .pattern = "/account", .who = M,
	 .fields = account_fields, .handler = account, .flags = FORM,
	 .summary = "One's account: address, password, links"},
	{.method = HTTP_POST, .pattern = "/account/password", .who = M,
	 .fields = password_fields, .handler = account_password,
	 .flags = OWN_PW,
	 .summary = "Changes the password; ends one's other sessions"},
	{.method = HTTP_POST, .pattern = "/account/email", .who = M,
	 .fields = email_fields, .handler = account_email, .flags = OWN_PW,
	 .summary = "Sends a link to confirm a new address"},
	{.method = HTTP_GET, .pattern = "/account/email/confirm", .who = T,
	 .fields = accounts_token_fields, .handler = email_confirm_form,
	 .flags = FORM, .summary = "Confirmation page of a new address"},
	{.method = HTTP_POST, .pattern = "/account/email/confirm", .who = T,
	 .fields = accounts_token_fields, .handler = email_confirm,
	 .flags = OWN,
	 .summary = "Switches to the new address; ends other sessions"},
};

const struct module accounts_settings_module = {
	.name = "accounts",
	.routes = settings_routes,
	.nroutes = ARRAY_LEN(settings_routes),
};
