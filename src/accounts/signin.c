/*
 * signin.c -- see accounts.h: sign-in with e-mail and password (failures
 * limited per account and client, per client, and slowed down per
 * account: accounts_int.h), sign-out, the one-time sign-in
 * link `alliance init` and `alliance user` print, and the password reset
 * by e-mail.
 */
#include "accounts_int.h"
#include "cli.h"

#include "core/audit.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/ratelimit.h"
#include "core/util.h"

/* A form page with one message of its own (not tied to a field). */
static void
form_message(struct req *r, struct resp *w, int status, const char *tmpl,
	     const char *title, const char *message, json_t *model)
{
	if (model == NULL)
		model = json_object();
	json_object_set_new(model, "message", json_string(message));
	accounts_form_page(r, w, status, tmpl, title, model);
}

static const struct field signin_fields[] = {
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = N_("Email")},
	{.name = "password", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 1024, .label = N_("Password")},
	/* TRANSLATORS: the hidden field naming the page to go to after
	 * signing in (its message shows only for a tampered form) */
	{.name = "next", .type = FT_TEXT, .maxlen = 1000, .label = N_("Next")},
	{0},
};

static const struct field next_fields[] = {
	{.name = "next", .type = FT_TEXT, .maxlen = 1000},
	{0},
};

static void
signin_form(struct req *r, struct resp *w)
{
	accounts_form_page(r, w, 200, "accounts/templates/signin.html",
			   _("Sign in"), NULL);
}

static void
signin(struct req *r, struct resp *w)
{
	const char *email, *hash = NULL, *password;
	const char *acct_key, *pair_key, *client_key;
	struct person p;
	int found, hot, wait_p, wait_c;
	int64_t t = clock_now();

	if (r->errors) {
		accounts_form_page(r, w, 422, "accounts/templates/signin.html",
				   _("Sign in"), NULL);
		return;
	}
	email = mail_address_key(r->arena, req_value(r, "email")->str);
	password = accounts_typed_password(r, "password");
	/* the limits, before any hashing: see accounts_int.h */
	acct_key = arena_printf(r->arena, "signin-fail:addr:%s", email);
	pair_key = arena_printf(r->arena, "signin-fail:pair:%s %s",
				req_client(r), email);
	client_key =
		arena_printf(r->arena, "signin-fail:client:%s", req_client(r));
	hot = ratelimit_peek(r->db, acct_key, FAIL_ACCOUNT_SLOW, FAIL_WINDOW,
			     t);
	wait_p = ratelimit_peek(r->db, pair_key,
				hot ? FAIL_SLOW_PAIR : FAIL_PER_ACCOUNT,
				FAIL_WINDOW, t);
	wait_c = ratelimit_peek(r->db, client_key, FAIL_PER_CLIENT, FAIL_WINDOW,
				t);
	if (hot < 0 || wait_p < 0 || wait_c < 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	if (wait_p > 0 || wait_c > 0) {
		int wait = wait_p > wait_c ? wait_p : wait_c;
		char words[64];
		struct buf msg = BUF_INIT;

		resp_header(w, "Retry-After", arena_printf(r->arena, "%d", wait));
		/* TRANSLATORS: {wait} is "5 minutes" */
		i18n_format(
			&msg,
			_("Too many failed attempts to sign in. Please wait "
			  "{wait} and try again, or choose a new "
			  "password."),
			"wait",
			ratelimit_wait_words(wait, words, sizeof(words)), NULL);
		form_message(r, w, 429, "accounts/templates/signin.html",
			     _("Sign in"),
			     arena_strdup(r->arena, buf_cstr(&msg)), NULL);
		buf_free(&msg);
		return;
	}
	found = auth_person_by_email(r->db, email, r->arena, &p, &hash);
	if (found < 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	/* hash even for unknown addresses, so timing tells nothing */
	if (!found || hash == NULL) {
		auth_password_check("$argon2id$v=19$m=19456,t=2,p=1$"
				    "c29tZXNhbHRzb21lc2FsdA$"
				    "q1hyzG+gRrh0nU3kTCQQ3PhNc0qoTeLjHk0Bht8bTfM",
				    password);
	}
	if (!found || !auth_password_check(hash, password)) {
		ratelimit_hit(r->db, acct_key, FAIL_ACCOUNT_SLOW, FAIL_WINDOW,
			      t);
		ratelimit_hit(r->db, pair_key, FAIL_PER_ACCOUNT, FAIL_WINDOW, t);
		ratelimit_hit(r->db, client_key, FAIL_PER_CLIENT, FAIL_WINDOW,
			      t);
		form_message(r, w, 401, "accounts/templates/signin.html",
			     _("Sign in"),
			     _("The e-mail address or the password is not "
			       "right."),
			     NULL);
		return;
	}
	if (!p.verified) {
		accounts_message_page(
			w, 403, _("Please confirm your address first"),
			_("Your account is not active until you open the "
			  "link we sent to your address. Create the "
			  "account again with the same address to get a "
			  "new link."),
			"/signup", _("Send a new link"));
		return;
	}
	/* the account's own count stays: a success of its owner must not
	 * give guessers from elsewhere their full allowance back */
	ratelimit_clear(r->db, pair_key);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (accounts_sign_in(r, w, p.id, req_value(r, "next")->str) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
}

static void
signout(struct req *r, struct resp *w)
{
	if (r->session_hash && auth_session_end(r->db, r->session_hash) != 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	auth_set_cookie(r, auth_session_cookie(), NULL, 0);
	resp_redirect(w, "/");
}

/* A link that reached its owner proves the address: marks it confirmed
 * (once). 0 or -1. */
static int
mark_verified(struct req *r, int64_t person)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_sql, S_PERSON_VERIFY);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, clock_now());
	db_bind_int(st, 2, person);
	return db_run(st);
}

/* The first administrator's one-time sign-in link (alliance init, alliance
 * user add / reset-password print it). */
static void
signin_link_form(struct req *r, struct resp *w)
{
	accounts_confirm_page(r, w, "signin", _("Sign in"),
			      _("This link signs you in once. "
				"Choose a password on the next page."),
			      "/signin/link", _("Sign me in"));
}

static void
signin_link(struct req *r, struct resp *w)
{
	int64_t person;

	if (!accounts_use_link_or_respond(r, w, "signin", &person, NULL))
		return;
	if (mark_verified(r, person) != 0 ||
	    audit_record(r->db, person, "person.signin.link", "person",
			 arena_printf(r->arena, "%lld", (long long)person),
			 NULL, NULL, r->client) != 0 ||
	    accounts_sign_in(r, w, person, "/account#password") != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
}

static const struct field reset_fields[] = {
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = N_("Email")},
	{0},
};

static void
reset_form(struct req *r, struct resp *w)
{
	accounts_form_page(r, w, 200, "accounts/templates/reset.html",
			   _("Choose a new password"), NULL);
}

static void
reset(struct req *r, struct resp *w)
{
	const char *email;
	char token[AUTH_TOKEN_LEN + 1];
	struct person p;
	int found;

	if (r->errors) {
		accounts_form_page(r, w, 422, "accounts/templates/reset.html",
				   _("Choose a new password"), NULL);
		return;
	}
	email = mail_address_key(r->arena, req_value(r, "email")->str);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	found = accounts_mail_limited(r, &limits_reset_mail, email)
			? 0
			: auth_person_by_email(r->db, email, r->arena, &p,
					       NULL);
	if (found < 0)
		return resp_fail(r, w, NULL);
	if (found &&
	    (auth_link_create(r->db, p.id, "reset", NULL, RESET_TTL,
			      clock_now(), token) != 0 ||
	     accounts_send_link_mail(
		     r, email, p.name, N_("Choose a new password"),
		     N_("Someone, perhaps you, asked to choose a new "
			"password for your account. Open this link to do "
			"it:"),
		     accounts_site_link(r, "/reset/confirm?token=", token),
		     N_("The link works once, for one hour. If you did not "
			"ask for it, ignore this message: your password "
			"stays as it is."),
		     NULL) != 0))
		return resp_fail(r, w, NULL);
	if (db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	/* the same answer whether or not the address has an account */
	resp_redirect(w, "/reset/sent");
}

static void
reset_sent(struct req *r, struct resp *w)
{
	accounts_message_page(
		w, 200, _("Check your e-mail"),
		_("If an account exists for that address, we have sent it "
		  "a link to choose a new password. The link works for one "
		  "hour."),
		"/signin", _("Back to sign in"));
}

static const struct field reset_confirm_fields[] = {
	{.name = "token", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = N_("The link")},
	{.name = "password", .type = FT_PASSWORD, .flags = FIELD_REQUIRED,
	 .label = N_("New password")},
	{0},
};

static void
reset_confirm_form(struct req *r, struct resp *w)
{
	const struct value *t = req_value(r, "token");

	if (!accounts_link_valid_or_respond(r, w, "reset"))
		return;
	accounts_form_page(r, w, 200, "accounts/templates/reset_confirm.html",
			   _("Choose a new password"),
			   json_pack("{s:s}", "token", t->str));
}

static void
reset_confirm(struct req *r, struct resp *w)
{
	char hash[AUTH_PWHASH_MAX];
	int64_t person;

	if (r->errors) {
		const struct value *t = req_value(r, "token");

		accounts_form_page(
			r, w, 422, "accounts/templates/reset_confirm.html",
			_("Choose a new password"),
			json_pack("{s:s}", "token", t->present ? t->str : ""));
		return;
	}
	/* the link first: a made-up token costs a lookup, not a hash */
	if (!accounts_link_valid_or_respond(r, w, "reset"))
		return;
	if (auth_password_hash(req_value(r, "password")->str, hash) != 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	if (!accounts_use_link_or_respond(r, w, "reset", &person, NULL))
		return;
	if (accounts_set_password(r, person, hash, NULL) != 0 ||
	    mark_verified(r, person) != 0 ||
	    accounts_sign_in(r, w, person, "/account?done=password") != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
}

static const struct route signin_routes[] = {
	{.method = HTTP_GET, .pattern = "/signin", .who = T,
	 .fields = next_fields, .handler = signin_form, .flags = FORM,
	 .summary = "The sign-in form"},
	{.method = HTTP_POST, .pattern = "/signin", .who = T,
	 .fields = signin_fields, .handler = signin, .flags = OWN_PW,
	 .summary = "Signs in with e-mail and password"},
	{.method = HTTP_GET, .pattern = "/signin/link", .who = T,
	 .fields = accounts_token_fields, .handler = signin_link_form,
	 .flags = FORM,
	 .summary = "Confirmation page of a one-time sign-in link"},
	{.method = HTTP_POST, .pattern = "/signin/link", .who = T,
	 .fields = accounts_token_fields, .handler = signin_link, .flags = OWN,
	 .summary = "Signs in once with a link from the secretariat"},
	{.method = HTTP_POST, .pattern = "/signout", .who = M,
	 .handler = signout, .flags = ROUTE_PERSONAL,
	 .summary = "Signs out: ends the session on the server"},
	{.method = HTTP_GET, .pattern = "/reset", .who = T,
	 .handler = reset_form, .flags = FORM,
	 .summary = "The form to ask for a new password"},
	{.method = HTTP_POST, .pattern = "/reset", .who = T,
	 .fields = reset_fields, .handler = reset, .flags = OWN,
	 .summary = "Sends a password link (same answer for every address)"},
	{.method = HTTP_GET, .pattern = "/reset/sent", .who = T,
	 .handler = reset_sent,
	 .summary = "Says a password link was sent if the account exists"},
	{.method = HTTP_GET, .pattern = "/reset/confirm", .who = T,
	 .fields = accounts_token_fields, .handler = reset_confirm_form,
	 .flags = FORM,
	 .summary = "The form to choose a new password from a link"},
	{.method = HTTP_POST, .pattern = "/reset/confirm", .who = T,
	 .fields = reset_confirm_fields, .handler = reset_confirm,
	 .flags = OWN_PW,
	 .summary = "Sets the new password, ends all sessions, signs in"},
};

/* The accounts' shared statements (accounts.c) and the user command's
 * (cli.c) are registered once, with sign-in. */
static struct db_sql *const accounts_sqls[] = {&accounts_sql, &accounts_cli_sql,
					       NULL};

const struct module accounts_signin_module = {
	.name = "accounts",
	.routes = signin_routes,
	.nroutes = ARRAY_LEN(signin_routes),
	.sqls = accounts_sqls,
	.commands = accounts_commands,
	.settings = accounts_settings,
	.created = accounts_created,
};
