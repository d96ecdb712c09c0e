/*
 * accounts.c -- a person's own account: sign-up with a confirmed address,
 * sign-in and sign-out, password reset by e-mail, changing the address or
 * the password, the list of one's sessions, personal API tokens, and the
 * profile.
 *
 * Every change is one transaction that also writes its audit record and,
 * where a person must hear of it, its message in the outbox.  Links sent
 * by e-mail open a page with a button: the POST of that button uses the
 * link, so a mail scanner fetching the link uses nothing.  Answers that
 * could tell a stranger whether an address has an account (sign-up, reset)
 * are the same either way.  Slow password hashing happens before the
 * write transaction starts.
 *
 * The password of a new account is chosen on the page the confirmation
 * link opens, not on the sign-up form: so only the owner of the mailbox
 * ever sets it, and someone who signs up with another person's address
 * first gains nothing.
 */
#include "accounts.h"

#include <ctype.h>
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
#include "core/ratelimit.h"
#include "core/render.h"
#include "core/util.h"

enum stmt_accounts {
	S_PERSON_INSERT,
	S_PERSON_VERIFY,
	S_PERSON_ACTIVATE,
	S_PERSON_SET_PASSWORD,
	S_PERSON_HASH,
	S_PERSON_SET_EMAIL,
	S_EMAIL_TAKEN,
	S_PROFILE_GET,
	S_PROFILE_SET,
	S_FOCAL_CLEAR,
	S_FOCAL_ADD,
	S_FOCAL_LIST,
	S_ACCOUNTS__MAX,
};

static const char *const accounts_sql_text[S_ACCOUNTS__MAX] = {
	[S_PERSON_INSERT] = "INSERT INTO people (email, name, role,"
			    " created_at) VALUES (?, ?, 'member', ?)",
	[S_PERSON_VERIFY] = "UPDATE people SET email_verified_at = ?"
			    " WHERE id = ? AND email_verified_at IS NULL",
	[S_PERSON_ACTIVATE] = "UPDATE people SET name = coalesce(?, name),"
			      " password_hash = ?, email_verified_at = ?"
			      " WHERE id = ?",
	[S_PERSON_SET_PASSWORD] = "UPDATE people SET password_hash = ?"
				  " WHERE id = ?",
	[S_PERSON_HASH] = "SELECT password_hash FROM people WHERE id = ?",
	[S_PERSON_SET_EMAIL] = "UPDATE people SET email = ?,"
			       " email_verified_at = ? WHERE id = ?",
	[S_EMAIL_TAKEN] = "SELECT 1 FROM people WHERE email = ?",
	[S_PROFILE_GET] = "SELECT name, email, country, languages, expertise,"
			  " visibility, show_email, show_country,"
			  " show_expertise FROM people WHERE id = ?",
	[S_PROFILE_SET] = "UPDATE people SET name = ?, country = ?,"
			  " languages = ?, expertise = ?, visibility = ?,"
			  " show_email = ?, show_country = ?,"
			  " show_expertise = ? WHERE id = ?",
	[S_FOCAL_CLEAR] = "DELETE FROM person_focal_areas WHERE person_id = ?",
	[S_FOCAL_ADD] = "INSERT INTO person_focal_areas (person_id,"
			" focal_area_id) SELECT ?, id FROM focal_areas"
			" WHERE slug = ?",
	[S_FOCAL_LIST] = "SELECT f.slug, f.name, pf.person_id IS NOT NULL"
			 " AS chosen FROM focal_areas f"
			 " LEFT JOIN person_focal_areas pf"
			 " ON pf.focal_area_id = f.id AND pf.person_id = ?"
			 " ORDER BY f.position",
};

static struct db_sql accounts_sql = {"accounts", accounts_sql_text,
				     S_ACCOUNTS__MAX, 0};

/* How long links live, and the rate limits. */
#define VERIFY_TTL (24 * 3600)
#define RESET_TTL 3600
#define EMAIL_TTL (24 * 3600)
#define FAIL_WINDOW (15 * 60)
#define FAIL_PER_ACCOUNT 5
#define FAIL_PER_CLIENT 20
#define MAIL_WINDOW 3600
#define MAIL_PER_ADDRESS 3
#define MAIL_PER_CLIENT 10

static int64_t
now(void)
{
	return (int64_t)time(NULL);
}

/* ---- shared pieces ---- */

/* A form page: the model gets what was typed (never passwords) and the
 * messages, as a map for the fields and a list for the summary. */
static void
form_page(struct req *r, struct resp *w, int status, const char *tmpl,
	  const char *title, json_t *model)
{
	if (model == NULL)
		model = json_object();
	if (r->input) {
		json_t *input = json_deep_copy(r->input);

		json_object_del(input, "password");
		json_object_del(input, "current");
		json_object_set_new(model, "input", input);
	}
	if (r->errors) {
		json_object_set(model, "errors", r->errors);
		json_object_set_new(model, "error_list",
				    resp_error_list(r->errors));
		json_object_set_new(model, "has_errors", json_true());
	}
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, tmpl, title, model);
}

/* A form page with one message of its own (not tied to a field). */
static void
form_message(struct req *r, struct resp *w, int status, const char *tmpl,
	     const char *title, const char *message, json_t *model)
{
	if (model == NULL)
		model = json_object();
	json_object_set_new(model, "message", json_string(message));
	form_page(r, w, status, tmpl, title, model);
}

/* A page with a heading, a paragraph and a link onward. */
static void
message_page(struct resp *w, int status, const char *title, const char *lead,
	     const char *href, const char *link)
{
	resp_page(w, status, "accounts/templates/message.html", title,
		  json_pack("{s:s,s:s,s:s?,s:s?}", "heading", title, "lead",
			    lead, "href", href, "link", link));
}

/* The e-mail address as stored: lower case, so that one mailbox is one
 * account whatever its spelling. */
static char *
normal_email(struct req *r, const char *email)
{
	char *s = arena_strdup(r->arena, email);

	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* A link into the site for a message: base_url + path + token. */
static char *
site_link(struct req *r, const char *path, const char *token)
{
	return arena_printf(r->arena, "%s%s%s", config_current->base_url, path,
			    token ? token : "");
}

/* Puts a plain message with one link in the outbox. 0 or -1. */
static int
send_link_mail(struct req *r, const char *to, const char *name,
	       const char *subject, const char *intro, const char *link,
	       const char *outro)
{
	struct buf text = BUF_INIT, html = BUF_INIT;
	struct mail m = {0};
	int64_t id;

	buf_printf(&text, "Hello %s,\n\n%s\n\n%s\n\n%s\n\n-- \n%s\n", name,
		   intro, link, outro, config_current->site_name);
	buf_puts(&html, "<p>Hello ");
	esc_html(&html, name, strlen(name));
	buf_puts(&html, ",</p>\n<p>");
	esc_html(&html, intro, strlen(intro));
	buf_puts(&html, "</p>\n<p><a href=\"");
	esc_html(&html, link, strlen(link));
	buf_puts(&html, "\">");
	esc_html(&html, link, strlen(link));
	buf_puts(&html, "</a></p>\n<p>");
	esc_html(&html, outro, strlen(outro));
	buf_puts(&html, "</p>\n<p>-- <br>");
	esc_html(&html, config_current->site_name,
		 strlen(config_current->site_name));
	buf_puts(&html, "</p>\n");
	m.to = to;
	m.to_name = name;
	m.subject = subject;
	m.text = buf_cstr(&text);
	m.html = buf_cstr(&html);
	id = mail_enqueue(r->db, &m);
	buf_free(&text);
	buf_free(&html);
	return id < 0 ? -1 : 0;
}

/* Starts a session for person, replacing the current one, and redirects
 * to next (a local path) or /account. */
static int
sign_in(struct req *r, struct resp *w, int64_t person, const char *next)
{
	char token[AUTH_TOKEN_LEN + 1];
	const char *ua = req_header(r, "User-Agent");

	if (r->session_hash && auth_session_end(r->db, r->session_hash) != 0)
		return -1;
	if (auth_session_create(r->db, person, r->client, ua, now(), token) !=
	    0)
		return -1;
	auth_set_cookie(r, auth_session_cookie(), token, 0);
	/* only local paths: never an open redirect */
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\')
		next = "/account";
	resp_redirect(w, next);
	return 0;
}

/* Answers 500 after rolling back. */
static void
fail(struct req *r, struct resp *w)
{
	db_rollback(r->db);
	resp_error(w, 500, "Something went wrong on our side. Nothing was "
			   "changed; please try again.");
}

/* "in N minutes" for a wait in seconds, in r's arena. */
static const char *
wait_words(struct req *r, int seconds)
{
	int minutes = (seconds + 59) / 60;

	return arena_printf(r->arena, "%d minute%s", minutes,
			    minutes == 1 ? "" : "s");
}

/* Counts an e-mail to address from this client; 0 when it may be sent. */
static int
mail_limited(struct req *r, const char *kind, const char *address)
{
	int64_t t = now();
	int a = ratelimit_hit(r->db,
			      arena_printf(r->arena, "%s:addr:%s", kind,
					   address),
			      MAIL_PER_ADDRESS, MAIL_WINDOW, t);
	int c = ratelimit_hit(r->db,
			      arena_printf(r->arena, "%s:client:%s", kind,
					   r->client),
			      MAIL_PER_CLIENT, MAIL_WINDOW, t);

	return a != 0 || c != 0;
}

/* ---- sign-up and address confirmation ---- */

static const struct field signup_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Your name"},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = "Email"},
	{.name = "consent", .type = FT_BOOL, .flags = FIELD_REQUIRED,
	 .label = "Agreement to the privacy policy"},
	{0},
};

static void
signup_form(struct req *r, struct resp *w)
{
	form_page(r, w, 200, "accounts/templates/signup.html", "Create an account",
		  NULL);
}

static void
signup(struct req *r, struct resp *w)
{
	const char *email, *name = req_value(r, "name")->str;
	char token[AUTH_TOKEN_LEN + 1];
	struct person p;
	struct db_stmt *st;
	int found;

	if (r->errors == NULL && req_value(r, "consent")->num != 1) {
		r->errors = json_pack("{s:s}", "consent",
				      "Please agree to the privacy policy to "
				      "create an account");
	}
	if (r->errors) {
		form_page(r, w, 422, "accounts/templates/signup.html",
			  "Create an account", NULL);
		return;
	}
	email = normal_email(r, req_value(r, "email")->str);
	if (db_begin(r->db) != 0)
		return fail(r, w);
	if (mail_limited(r, "signup", email)) {
		/* the same answer as a sent message, but nothing is sent */
		db_commit(r->db);
		resp_redirect(w, "/signup/sent");
		return;
	}
	found = auth_person_by_email(r->db, email, r->arena, &p, NULL);
	if (found < 0)
		return fail(r, w);
	if (found && p.verified) {
		if (send_link_mail(
			    r, email, p.name, "Someone tried to sign up with "
					      "your address",
			    "Someone, perhaps you, tried to create an account "
			    "with this address, but you already have one. If "
			    "you forgot your password, you can choose a new "
			    "one here:",
			    site_link(r, "/reset", NULL),
			    "If it was not you, you can ignore this message.") !=
		    0)
			return fail(r, w);
	} else {
		int64_t id = p.id;

		if (!found) {
			st = db_stmt(r->db, &accounts_sql, S_PERSON_INSERT);
			if (st == NULL)
				return fail(r, w);
			db_bind_text(st, 1, email);
			db_bind_text(st, 2, name);
			db_bind_int(st, 3, now());
			if (db_run(st) != 0)
				return fail(r, w);
			id = db_last_id(r->db);
			if (audit_record_new(r->db, id, "person.signup", "person",
					 arena_printf(r->arena, "%lld",
						      (long long)id),
					 NULL,
					 json_pack("{s:s,s:s}", "name", name,
						   "email", email),
					 r->client) != 0)
				return fail(r, w);
		}
		/* the name of this sign-up travels with its link: the
		 * account takes it when the link is used */
		if (auth_link_create(r->db, id, "verify", name, VERIFY_TTL,
				     now(), token) != 0 ||
		    send_link_mail(r, email, found ? p.name : name,
				   "Confirm your address",
				   "Please confirm that this is your address "
				   "to finish creating your account:",
				   site_link(r, "/verify?token=", token),
				   "The link works once, for 24 hours. If you "
				   "did not ask for an account, ignore this "
				   "message.") != 0)
			return fail(r, w);
	}
	if (db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/signup/sent");
}

static void
signup_sent(struct req *r, struct resp *w)
{
	message_page(w, 200, "Check your e-mail",
		     "We have sent a message to the address you gave. Open the "
		     "link in it to confirm your address and finish creating "
		     "your account.",
		     "/", "Back to the home page");
}

static const struct field token_fields[] = {
	{.name = "token", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = "The link"},
	{0},
};

static void
link_gone(struct resp *w)
{
	message_page(w, 410, "This link cannot be used",
		     "The link has been used already or is too old. You can "
		     "ask for a new one.",
		     "/signin", "Sign in");
}

/* Begins the change's transaction and uses the link of the form's token.
 * Returns 1 with the transaction open, or 0 when w holds the answer (the
 * link cannot be used, or an error). */
static int
use_link_or_respond(struct req *r, struct resp *w, const char *purpose,
		    int64_t *person, const char **data)
{
	int rc;

	if (r->errors) {
		link_gone(w);
		return 0;
	}
	if (db_begin(r->db) != 0) {
		fail(r, w);
		return 0;
	}
	rc = auth_link_use(r->db, req_value(r, "token")->str, purpose, now(),
			   r->arena, person, data);
	if (rc == 1)
		return 1;
	if (rc < 0) {
		fail(r, w);
	} else {
		db_rollback(r->db);
		link_gone(w);
	}
	return 0;
}

/* Whether the link in ?token= can still be used; 0 when w holds the
 * answer. */
static int
link_valid_or_respond(struct req *r, struct resp *w, const char *purpose)
{
	const struct value *t = req_value(r, "token");
	int64_t person;
	int rc = t->present ? auth_link_peek(r->db, t->str, purpose, now(),
					     r->arena, &person, NULL)
			    : 0;

	if (rc < 0)
		resp_error(w, 500, "Something went wrong on our side.");
	else if (rc == 0)
		link_gone(w);
	return rc == 1;
}

/* A page with a button that uses the link in ?token= (GET), or says the
 * link cannot be used. */
static void
confirm_page(struct req *r, struct resp *w, const char *purpose,
	     const char *title, const char *lead, const char *action,
	     const char *button)
{
	const struct value *t = req_value(r, "token");

	if (!link_valid_or_respond(r, w, purpose))
		return;
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "accounts/templates/confirm.html", title,
		  json_pack("{s:s,s:s,s:s,s:s,s:s}", "heading", title, "lead",
			    lead, "action", action, "button", button, "token",
			    t->str));
}

static const struct field verify_fields[] = {
	{.name = "token", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = "The link"},
	{.name = "password", .type = FT_PASSWORD, .flags = FIELD_REQUIRED,
	 .label = "Password"},
	{0},
};

/* The page of the confirmation link: the password is chosen here. */
static void
verify_form(struct req *r, struct resp *w)
{
	const struct value *t = req_value(r, "token");

	if (!link_valid_or_respond(r, w, "verify"))
		return;
	form_page(r, w, r->errors ? 422 : 200, "accounts/templates/verify.html",
		  "Confirm your address", json_pack("{s:s}", "token", t->str));
}

static void
verify(struct req *r, struct resp *w)
{
	char hash[AUTH_PWHASH_MAX];
	struct db_stmt *st;
	const char *name;
	int64_t person;

	if (r->errors && json_object_get(r->errors, "token") == NULL)
		return verify_form(r, w); /* the password: say what is wrong */
	if (r->errors == NULL &&
	    auth_password_hash(req_value(r, "password")->str, hash) != 0) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	if (!use_link_or_respond(r, w, "verify", &person, &name))
		return;
	st = db_stmt(r->db, &accounts_sql, S_PERSON_ACTIVATE);
	if (st == NULL)
		return fail(r, w);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, now());
	db_bind_int(st, 4, person);
	if (db_run(st) != 0 ||
	    audit_record(r->db, person, "person.verify", "person",
			 arena_printf(r->arena, "%lld", (long long)person),
			 NULL, NULL, r->client) != 0 ||
	    sign_in(r, w, person, "/account?welcome=1") != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
}

/* ---- sign-in and sign-out ---- */

static const struct field signin_fields[] = {
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = "Email"},
	{.name = "password", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 1024, .label = "Password"},
	{.name = "next", .type = FT_TEXT, .maxlen = 1000, .label = "Next"},
	{0},
};

static void
signin_form(struct req *r, struct resp *w)
{
	form_page(r, w, 200, "accounts/templates/signin.html", "Sign in", NULL);
}

/* The password as typed: FT_TEXT trims, so read the raw input back. */
static const char *
typed_password(const struct req *r, const char *field)
{
	json_t *v = r->input ? json_object_get(r->input, field) : NULL;

	return v ? json_string_value(v) : NULL;
}

static void
signin(struct req *r, struct resp *w)
{
	const char *email, *hash = NULL, *password;
	const char *acct_key, *client_key;
	struct person p;
	int found, wait_a, wait_c;
	int64_t t = now();

	if (r->errors) {
		form_page(r, w, 422, "accounts/templates/signin.html", "Sign in",
			  NULL);
		return;
	}
	email = normal_email(r, req_value(r, "email")->str);
	password = typed_password(r, "password");
	acct_key = arena_printf(r->arena, "signin-fail:addr:%s", email);
	client_key = arena_printf(r->arena, "signin-fail:client:%s", r->client);
	wait_a = ratelimit_peek(r->db, acct_key, FAIL_PER_ACCOUNT, FAIL_WINDOW,
				t);
	wait_c = ratelimit_peek(r->db, client_key, FAIL_PER_CLIENT,
				FAIL_WINDOW, t);
	if (wait_a < 0 || wait_c < 0) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	if (wait_a > 0 || wait_c > 0) {
		int wait = wait_a > wait_c ? wait_a : wait_c;

		resp_header(w, "Retry-After", arena_printf(r->arena, "%d", wait));
		form_message(r, w, 429, "accounts/templates/signin.html",
			     "Sign in",
			     arena_printf(r->arena,
					  "Too many failed attempts to sign "
					  "in. Please wait %s and try again, "
					  "or choose a new password.",
					  wait_words(r, wait)),
			     NULL);
		return;
	}
	found = auth_person_by_email(r->db, email, r->arena, &p, &hash);
	if (found < 0) {
		resp_error(w, 500, "Something went wrong on our side.");
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
		ratelimit_hit(r->db, acct_key, FAIL_PER_ACCOUNT, FAIL_WINDOW, t);
		ratelimit_hit(r->db, client_key, FAIL_PER_CLIENT, FAIL_WINDOW,
			      t);
		form_message(r, w, 401, "accounts/templates/signin.html",
			     "Sign in",
			     "The e-mail address or the password is not "
			     "right.",
			     NULL);
		return;
	}
	if (!p.verified) {
		message_page(w, 403, "Please confirm your address first",
			     "Your account is not active until you open the "
			     "link we sent to your address. Create the "
			     "account again with the same address to get a "
			     "new link.",
			     "/signup", "Send a new link");
		return;
	}
	ratelimit_clear(r->db, acct_key);
	if (db_begin(r->db) != 0)
		return fail(r, w);
	if (sign_in(r, w, p.id, req_value(r, "next")->str) != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
}

static void
signout(struct req *r, struct resp *w)
{
	if (r->session_hash && auth_session_end(r->db, r->session_hash) != 0) {
		resp_error(w, 500, "Something went wrong on our side.");
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
	db_bind_int(st, 1, now());
	db_bind_int(st, 2, person);
	return db_run(st);
}

/* The first administrator's one-time sign-in link (alliance init, alliance
 * user add / reset-password print it). */
static void
signin_link_form(struct req *r, struct resp *w)
{
	confirm_page(r, w, "signin", "Sign in", "This link signs you in once. "
			  "Choose a password on the next page.",
		     "/signin/link", "Sign me in");
}

static void
signin_link(struct req *r, struct resp *w)
{
	int64_t person;

	if (!use_link_or_respond(r, w, "signin", &person, NULL))
		return;
	if (mark_verified(r, person) != 0 ||
	    audit_record(r->db, person, "person.signin.link", "person",
			 arena_printf(r->arena, "%lld", (long long)person), NULL,
			 NULL, r->client) != 0 ||
	    sign_in(r, w, person, "/account#password") != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
}

/* ---- password reset ---- */

static const struct field reset_fields[] = {
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = "Email"},
	{0},
};

static void
reset_form(struct req *r, struct resp *w)
{
	form_page(r, w, 200, "accounts/templates/reset.html",
		  "Choose a new password", NULL);
}

static void
reset(struct req *r, struct resp *w)
{
	const char *email;
	char token[AUTH_TOKEN_LEN + 1];
	struct person p;
	int found;

	if (r->errors) {
		form_page(r, w, 422, "accounts/templates/reset.html",
			  "Choose a new password", NULL);
		return;
	}
	email = normal_email(r, req_value(r, "email")->str);
	if (db_begin(r->db) != 0)
		return fail(r, w);
	found = mail_limited(r, "reset", email)
			? 0
			: auth_person_by_email(r->db, email, r->arena, &p, NULL);
	if (found < 0)
		return fail(r, w);
	if (found &&
	    (auth_link_create(r->db, p.id, "reset", NULL, RESET_TTL, now(),
			      token) != 0 ||
	     send_link_mail(r, email, p.name, "Choose a new password",
			    "Someone, perhaps you, asked to choose a new "
			    "password for your account. Open this link to do "
			    "it:",
			    site_link(r, "/reset/confirm?token=", token),
			    "The link works once, for one hour. If you did not "
			    "ask for it, ignore this message: your password "
			    "stays as it is.") != 0))
		return fail(r, w);
	if (db_commit(r->db) != 0)
		return fail(r, w);
	/* the same answer whether or not the address has an account */
	resp_redirect(w, "/reset/sent");
}

static void
reset_sent(struct req *r, struct resp *w)
{
	message_page(w, 200, "Check your e-mail",
		     "If an account exists for that address, we have sent it "
		     "a link to choose a new password. The link works for one "
		     "hour.",
		     "/signin", "Back to sign in");
}

static const struct field reset_confirm_fields[] = {
	{.name = "token", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = "The link"},
	{.name = "password", .type = FT_PASSWORD, .flags = FIELD_REQUIRED,
	 .label = "New password"},
	{0},
};

static void
reset_confirm_form(struct req *r, struct resp *w)
{
	const struct value *t = req_value(r, "token");

	if (!link_valid_or_respond(r, w, "reset"))
		return;
	form_page(r, w, 200, "accounts/templates/reset_confirm.html",
		  "Choose a new password",
		  json_pack("{s:s}", "token", t->str));
}

/* Sets person's password hash, ends all their sessions, records it. */
static int
set_password(struct req *r, int64_t person, const char *hash,
	     const char *keep_session)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_sql,
				     S_PERSON_SET_PASSWORD);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, person);
	if (db_run(st) != 0 ||
	    auth_sessions_end_others(r->db, person, keep_session) != 0)
		return -1;
	return audit_record(r->db, r->person ? r->person->id : person,
			    "person.password.set", "person",
			    arena_printf(r->arena, "%lld", (long long)person),
			    NULL, NULL, r->client);
}

static void
reset_confirm(struct req *r, struct resp *w)
{
	char hash[AUTH_PWHASH_MAX];
	int64_t person;

	if (r->errors) {
		const struct value *t = req_value(r, "token");

		form_page(r, w, 422, "accounts/templates/reset_confirm.html",
			  "Choose a new password",
			  json_pack("{s:s}", "token", t->present ? t->str : ""));
		return;
	}
	if (auth_password_hash(req_value(r, "password")->str, hash) != 0) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	if (!use_link_or_respond(r, w, "reset", &person, NULL))
		return;
	if (set_password(r, person, hash, NULL) != 0 ||
	    mark_verified(r, person) != 0 ||
	    sign_in(r, w, person, "/account?done=password") != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
}

/* ---- the account page: password and address ---- */

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
		notice = "Your password has been changed. Other browsers "
			 "where you were signed in have been signed out.";
	else if (done->present && strcmp(done->str, "email-sent") == 0)
		notice = "We have sent a link to your new address. Your "
			 "address changes when you open it.";
	else if (done->present && strcmp(done->str, "email") == 0)
		notice = "Your address has been changed.";
	else if (req_value(r, "welcome")->present)
		notice = "Welcome! Your address is confirmed and you are "
			 "signed in.";
	return json_pack("{s:s,s:s,s:s,s:b,s:s?}", "name", r->person->name,
			 "email", r->person->email, "role",
			 auth_role_name(r->person->role), "has_password",
			 current_hash(r) != NULL, "notice", notice);
}

static const struct field account_fields[] = {
	{.name = "done", .type = FT_SLUG, .maxlen = 20},
	{.name = "welcome", .type = FT_BOOL},
	{0},
};

static void
account(struct req *r, struct resp *w)
{
	form_page(r, w, 200, "accounts/templates/account.html", "Your account",
		  account_model(r));
}

static const struct field password_fields[] = {
	{.name = "current", .type = FT_TEXT, .maxlen = 1024,
	 .label = "Current password"},
	{.name = "password", .type = FT_PASSWORD, .flags = FIELD_REQUIRED,
	 .label = "New password"},
	{0},
};

/* Checks the current password typed in field "current" (not needed when
 * the account has none yet: the first sign-in by link). */
static int
current_password_ok(struct req *r)
{
	const char *hash = current_hash(r);

	return hash == NULL || auth_password_check(hash, typed_password(r,
								      "current"));
}

static void
account_password(struct req *r, struct resp *w)
{
	char hash[AUTH_PWHASH_MAX];

	if (r->errors == NULL && !current_password_ok(r))
		r->errors = json_pack("{s:s}", "current",
				      "Current password is not right");
	if (r->errors) {
		form_page(r, w, 422, "accounts/templates/account.html",
			  "Your account", account_model(r));
		return;
	}
	if (auth_password_hash(req_value(r, "password")->str, hash) != 0) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	if (db_begin(r->db) != 0)
		return fail(r, w);
	if (set_password(r, r->person->id, hash, r->session_hash) != 0 ||
	    send_link_mail(r, r->person->email, r->person->name,
			   "Your password was changed",
			   "The password of your account was just changed. If "
			   "it was not you, choose a new one at once:",
			   site_link(r, "/reset", NULL),
			   "All other browsers where you were signed in have "
			   "been signed out.") != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/account?done=password");
}

static const struct field email_fields[] = {
	{.name = "current", .type = FT_TEXT, .maxlen = 1024,
	 .label = "Current password"},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = "New email"},
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

static void
account_email(struct req *r, struct resp *w)
{
	char token[AUTH_TOKEN_LEN + 1];
	const char *email = NULL;
	int taken = 0, limited = 0;

	if (r->errors == NULL) {
		email = normal_email(r, req_value(r, "email")->str);
		if (!current_password_ok(r))
			r->errors = json_pack("{s:s}", "current",
					      "Current password is not right");
		else if ((taken = email_taken(r, email)) != 0)
			r->errors = json_pack(
				"{s:s}", "email",
				taken < 0 ? "New email could not be checked"
					  : "New email belongs to another "
					    "account");
		else if (mail_limited(r, "email", email))
			r->errors = json_pack(
				"{s:s}", "email",
				"New email has had enough messages for now; "
				"try again in an hour"),
			limited = 1;
	}
	if (r->errors) {
		form_page(r, w, limited ? 429 : 422,
			  "accounts/templates/account.html", "Your account",
			  account_model(r));
		return;
	}
	if (db_begin(r->db) != 0)
		return fail(r, w);
	if (auth_link_create(r->db, r->person->id, "email", email, EMAIL_TTL,
			     now(), token) != 0 ||
	    send_link_mail(r, email, r->person->name, "Confirm your new address",
			   "Please confirm this new address for your account:",
			   site_link(r, "/account/email/confirm?token=", token),
			   "The link works once, for 24 hours. Until then your "
			   "old address stays in use.") != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/account?done=email-sent");
}

static void
email_confirm_form(struct req *r, struct resp *w)
{
	confirm_page(r, w, "email", "Confirm your new address",
		     "Confirm to use this new address for your account. You "
		     "will be signed out everywhere else.",
		     "/account/email/confirm", "Use the new address");
}

static void
email_confirm(struct req *r, struct resp *w)
{
	struct person before;
	struct db_stmt *st;
	const char *email;
	int64_t person;

	if (!use_link_or_respond(r, w, "email", &person, &email))
		return;
	if (email == NULL) {
		db_rollback(r->db);
		return link_gone(w);
	}
	if (email_taken(r, email) != 0) {
		db_rollback(r->db);
		message_page(w, 409, "This address is taken",
			     "Another account uses this address now, so it "
			     "cannot be yours too.",
			     "/account", "Your account");
		return;
	}
	if (auth_person_by_id(r->db, person, r->arena, &before) != 1 ||
	    (st = db_stmt(r->db, &accounts_sql, S_PERSON_SET_EMAIL)) == NULL)
		return fail(r, w);
	db_bind_text(st, 1, email);
	db_bind_int(st, 2, now());
	db_bind_int(st, 3, person);
	if (db_run(st) != 0 ||
	    auth_sessions_end_others(r->db, person,
				     r->person && r->person->id == person
					     ? r->session_hash
					     : NULL) != 0 ||
	    audit_record_new(r->db, person, "person.email.set", "person",
			 arena_printf(r->arena, "%lld", (long long)person),
			 json_pack("{s:s}", "email", before.email),
			 json_pack("{s:s}", "email", email), r->client) != 0 ||
	    send_link_mail(r, before.email, before.name,
			   "The address of your account was changed",
			   arena_printf(r->arena,
					"The address of your account is now %s. "
					"If you did not change it, write to the "
					"secretariat at once:",
					email),
			   site_link(r, "/contact", NULL),
			   "This old address will get no more messages "
			   "about the account.") != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, r->person && r->person->id == person
				 ? "/account?done=email"
				 : "/signin");
}

/* ---- sessions and API tokens ---- */

static void
sessions_page(struct req *r, struct resp *w)
{
	json_t *list = auth_sessions_list(r->db, r->person->id, r->session_hash);

	if (list == NULL) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	render_add_times(list, "created_at");
	render_add_times(list, "last_seen_at");
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "accounts/templates/sessions.html", "Your sessions",
		  json_pack("{s:o}", "sessions", list));
}

static void
session_end(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "id");
	json_t *list;
	int64_t n = strtoll(id, NULL, 10);
	int current = 0, rc;

	/* is it the session of this very browser? */
	list = auth_sessions_list(r->db, r->person->id, r->session_hash);
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		json_t *s = json_array_get(list, i);

		if (json_integer_value(json_object_get(s, "id")) == n &&
		    json_integer_value(json_object_get(s, "current")))
			current = 1;
	}
	json_decref(list);
	rc = auth_session_end_by_id(r->db, r->person->id, n);
	if (rc < 0) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	if (rc == 0) {
		resp_error(w, 404, "There is no such session.");
		return;
	}
	if (current) {
		auth_set_cookie(r, auth_session_cookie(), NULL, 0);
		resp_redirect(w, "/");
		return;
	}
	resp_redirect(w, "/account/sessions");
}

static void
tokens_page(struct req *r, struct resp *w)
{
	json_t *list = auth_api_tokens_list(r->db, r->person->id);

	if (list == NULL) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	render_add_times(list, "created_at");
	render_add_times(list, "last_used_at");
	form_page(r, w, r->errors ? 422 : 200, "accounts/templates/tokens.html",
		  "API tokens", json_pack("{s:o}", "tokens", list));
}

static const struct field token_create_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = "Token name"},
	{0},
};

static void
token_create(struct req *r, struct resp *w)
{
	char token[AUTH_TOKEN_LEN + 1];
	int64_t id;

	if (r->errors)
		return tokens_page(r, w);
	if (db_begin(r->db) != 0)
		return fail(r, w);
	id = auth_api_token_create(r->db, r->person->id,
				   req_value(r, "name")->str, now(), token);
	if (id < 0 ||
	    audit_record_new(r->db, r->person->id, "api_token.create", "api_token",
			 arena_printf(r->arena, "%lld", (long long)id), NULL,
			 json_pack("{s:s}", "name", req_value(r, "name")->str),
			 r->client) != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	/* shown once, here; only its digest is stored */
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 201, "accounts/templates/token_created.html",
		  "Your new API token",
		  json_pack("{s:s,s:s,s:I}", "name", req_value(r, "name")->str,
			    "token", token, "id", (json_int_t)id));
}

static void
token_revoke(struct req *r, struct resp *w)
{
	int64_t id = strtoll(req_param(r, "id"), NULL, 10);
	int rc;

	if (db_begin(r->db) != 0)
		return fail(r, w);
	rc = auth_api_token_revoke(r->db, r->person->id, id, now());
	if (rc < 0)
		return fail(r, w);
	if (rc == 0) {
		db_rollback(r->db);
		resp_error(w, 404, "There is no such token, or it is revoked "
				   "already.");
		return;
	}
	if (audit_record(r->db, r->person->id, "api_token.revoke", "api_token",
			 req_param(r, "id"), NULL, NULL, r->client) != 0 ||
	    db_commit(r->db) != 0)
		return fail(r, w);
	resp_redirect(w, "/account/tokens");
}

/* ---- the profile ---- */

static const char *const visibilities[] = {"public", "members", "hidden",
					   NULL};

static const struct field profile_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = "Name"},
	{.name = "country", .type = FT_COUNTRY, .label = "Country"},
	{.name = "languages", .type = FT_TEXT, .maxlen = 200,
	 .label = "Languages"},
	{.name = "expertise", .type = FT_TEXT, .maxlen = 500,
	 .label = "Areas of expertise"},
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI,
	 .maxlen = 60, .label = "Focal areas"},
	{.name = "visibility", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = visibilities, .label = "Who sees you in the directory"},
	{.name = "show_email", .type = FT_BOOL, .label = "Show e-mail"},
	{.name = "show_country", .type = FT_BOOL, .label = "Show country"},
	{.name = "show_expertise", .type = FT_BOOL,
	 .label = "Show expertise"},
	{0},
};

/* The profile as stored, plus the focal areas with their choice. */
static json_t *
profile_model(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_sql, S_PROFILE_GET);
	json_t *profile, *focal;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, r->person->id);
	profile = db_one_json(st);
	if (profile == NULL || !json_is_object(profile)) {
		json_decref(profile);
		return NULL;
	}
	st = db_stmt(r->db, &accounts_sql, S_FOCAL_LIST);
	if (st == NULL) {
		json_decref(profile);
		return NULL;
	}
	db_bind_int(st, 1, r->person->id);
	focal = db_all_json(st);
	if (focal == NULL) {
		json_decref(profile);
		return NULL;
	}
	for (size_t i = 0; visibilities[i]; i++)
		json_object_set_new(
			profile, arena_printf(r->arena, "is_%s", visibilities[i]),
			json_boolean(strcmp(json_string_value(json_object_get(
						    profile, "visibility")),
					    visibilities[i]) == 0));
	return json_pack("{s:o,s:o}", "profile", profile, "focal_areas", focal);
}

static void
profile_page(struct req *r, struct resp *w)
{
	json_t *m = profile_model(r);

	if (m == NULL) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	if (req_value(r, "saved")->present)
		json_object_set_new(m, "notice",
				    json_string("Your profile has been saved."));
	form_page(r, w, 200, "accounts/templates/profile.html", "Your profile", m);
}

static const struct field profile_page_fields[] = {
	{.name = "saved", .type = FT_BOOL},
	{0},
};

static void
profile_save(struct req *r, struct resp *w)
{
	const struct field_values *focal = NULL;
	struct db_stmt *st;
	json_t *before;

	if (r->errors) {
		json_t *m = profile_model(r);

		if (m == NULL)
			return fail(r, w);
		form_page(r, w, 422, "accounts/templates/profile.html",
			  "Your profile", m);
		return;
	}
	for (size_t i = 0; profile_fields[i].name; i++)
		if (strcmp(profile_fields[i].name, "focal") == 0)
			focal = &r->values[i];
	if (db_begin(r->db) != 0)
		return fail(r, w);
	before = profile_model(r);
	st = db_stmt(r->db, &accounts_sql, S_PROFILE_SET);
	if (before == NULL || st == NULL) {
		json_decref(before);
		return fail(r, w);
	}
	db_bind_text(st, 1, req_value(r, "name")->str);
	db_bind_text(st, 2, req_value(r, "country")->str);
	db_bind_text(st, 3, req_value(r, "languages")->present
				    ? req_value(r, "languages")->str
				    : "");
	db_bind_text(st, 4, req_value(r, "expertise")->present
				    ? req_value(r, "expertise")->str
				    : "");
	db_bind_text(st, 5, req_value(r, "visibility")->str);
	db_bind_int(st, 6, req_value(r, "show_email")->num);
	db_bind_int(st, 7, req_value(r, "show_country")->num);
	db_bind_int(st, 8, req_value(r, "show_expertise")->num);
	db_bind_int(st, 9, r->person->id);
	if (db_run(st) != 0 ||
	    (st = db_stmt(r->db, &accounts_sql, S_FOCAL_CLEAR)) == NULL) {
		json_decref(before);
		return fail(r, w);
	}
	db_bind_int(st, 1, r->person->id);
	if (db_run(st) != 0) {
		json_decref(before);
		return fail(r, w);
	}
	for (size_t i = 0; focal && i < focal->n; i++) {
		st = db_stmt(r->db, &accounts_sql, S_FOCAL_ADD);
		if (st == NULL) {
			json_decref(before);
			return fail(r, w);
		}
		db_bind_int(st, 1, r->person->id);
		db_bind_text(st, 2, focal->v[i].str);
		if (db_run(st) != 0) {
			json_decref(before);
			return fail(r, w);
		}
	}
	{
		json_t *after = profile_model(r);
		int rc = after == NULL
				 ? -1
				 : audit_record(r->db, r->person->id,
						"person.profile.set", "person",
						arena_printf(r->arena, "%lld",
							     (long long)r->person->id),
						json_object_get(before, "profile"),
						json_object_get(after, "profile"),
						r->client);

		json_decref(after);
		json_decref(before);
		if (rc != 0 || db_commit(r->db) != 0)
			return fail(r, w);
	}
	resp_redirect(w, "/account/profile?saved=1");
}

static const struct field next_fields[] = {
	{.name = "next", .type = FT_TEXT, .maxlen = 1000},
	{0},
};

#define T ACCESS_PUBLIC
#define M ACCESS_MEMBER
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)

static const struct route accounts_routes[] = {
	{HTTP_GET, "/signup", T, NULL, signup_form, FORM, 0,
	 "The form to create an account"},
	{HTTP_POST, "/signup", T, signup_fields, signup, OWN, 0,
	 "Creates an account and sends the confirmation link"},
	{HTTP_GET, "/signup/sent", T, NULL, signup_sent, 0, 0,
	 "Says the confirmation link was sent"},
	{HTTP_GET, "/verify", T, token_fields, verify_form, FORM, 0,
	 "Confirmation page of an address link: choose the password"},
	{HTTP_POST, "/verify", T, verify_fields, verify, OWN, 0,
	 "Confirms the address, sets the password and signs in"},
	{HTTP_GET, "/signin", T, next_fields, signin_form, FORM, 0,
	 "The sign-in form"},
	{HTTP_POST, "/signin", T, signin_fields, signin, OWN, 0,
	 "Signs in with e-mail and password"},
	{HTTP_GET, "/signin/link", T, token_fields, signin_link_form, FORM, 0,
	 "Confirmation page of a one-time sign-in link"},
	{HTTP_POST, "/signin/link", T, token_fields, signin_link, OWN, 0,
	 "Signs in once with a link from the secretariat"},
	{HTTP_POST, "/signout", M, NULL, signout, ROUTE_PERSONAL, 0,
	 "Signs out: ends the session on the server"},
	{HTTP_GET, "/reset", T, NULL, reset_form, FORM, 0,
	 "The form to ask for a new password"},
	{HTTP_POST, "/reset", T, reset_fields, reset, OWN, 0,
	 "Sends a password link (same answer for every address)"},
	{HTTP_GET, "/reset/sent", T, NULL, reset_sent, 0, 0,
	 "Says a password link was sent if the account exists"},
	{HTTP_GET, "/reset/confirm", T, token_fields, reset_confirm_form, FORM,
	 0, "The form to choose a new password from a link"},
	{HTTP_POST, "/reset/confirm", T, reset_confirm_fields, reset_confirm,
	 OWN, 0, "Sets the new password, ends all sessions, signs in"},
	{HTTP_GET, "/account", M, account_fields, account, FORM, 0,
	 "One's account: address, password, links"},
	{HTTP_POST, "/account/password", M, password_fields, account_password,
	 OWN, 0, "Changes the password; ends one's other sessions"},
	{HTTP_POST, "/account/email", M, email_fields, account_email, OWN, 0,
	 "Sends a link to confirm a new address"},
	{HTTP_GET, "/account/email/confirm", T, token_fields,
	 email_confirm_form, FORM, 0, "Confirmation page of a new address"},
	{HTTP_POST, "/account/email/confirm", T, token_fields, email_confirm,
	 OWN, 0, "Switches to the new address; ends other sessions"},
	{HTTP_GET, "/account/sessions", M, NULL, sessions_page, FORM, 0,
	 "Where one is signed in"},
	{HTTP_POST, "/account/sessions/:id/end", M, NULL, session_end,
	 ROUTE_PERSONAL, 0, "Ends one of one's sessions"},
	{HTTP_GET, "/account/tokens", M, NULL, tokens_page, FORM, 0,
	 "One's personal API tokens"},
	{HTTP_POST, "/account/tokens", M, token_create_fields, token_create,
	 OWN, 0, "Creates an API token and shows it once"},
	{HTTP_POST, "/account/tokens/:id/revoke", M, NULL, token_revoke,
	 ROUTE_PERSONAL, 0, "Revokes one of one's API tokens"},
	{HTTP_GET, "/account/profile", M, profile_page_fields, profile_page,
	 FORM, 0, "One's profile and what the directory shows"},
	{HTTP_POST, "/account/profile", M, profile_fields, profile_save, OWN, 0,
	 "Saves one's profile"},
};

const struct module accounts_module = {"accounts", accounts_routes,
				       ARRAY_LEN(accounts_routes),
				       &accounts_sql};
