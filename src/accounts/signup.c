/*
 * signup.c -- see accounts.h: sign-up with a confirmed address.  The
 * sign-up form sends a confirmation link (or, for an address that has an
 * account, a note saying so: the answer is the same); the page the link
 * opens is where the password is chosen, and using it signs in.
 */
#include "accounts_int.h"

#include "core/audit.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"

static const struct field signup_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Your name")},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = N_("Email")},
	{.name = "consent", .type = FT_BOOL, .flags = FIELD_REQUIRED,
	 .label = N_("Agreement to the privacy policy")},
	{0},
};

static void
signup_form(struct req *r, struct resp *w)
{
	accounts_form_page(r, w, 200, "accounts/templates/signup.html",
			   _("Create an account"), NULL);
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
				      _("Please agree to the privacy policy to "
					"create an account"));
	}
	if (r->errors) {
		accounts_form_page(r, w, 422, "accounts/templates/signup.html",
				   _("Create an account"), NULL);
		return;
	}
	email = mail_address_key(r->arena, req_value(r, "email")->str);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (accounts_mail_limited(r, &limits_signup_mail, email)) {
		/* the same answer as a sent message, but nothing is sent */
		db_commit(r->db);
		resp_redirect(w, "/signup/sent");
		return;
	}
	found = auth_person_by_email(r->db, email, r->arena, &p, NULL);
	if (found < 0)
		return resp_fail(r, w, NULL);
	if (found && p.verified) {
		if (accounts_send_link_mail(
			    r, email, p.name,
			    N_("Someone tried to sign up with "
			       "your address"),
			    N_("Someone, perhaps you, tried to create an "
			       "account with this address, but you already "
			       "have one. If you forgot your password, you can "
			       "choose a new one here:"),
			    accounts_site_link(r, "/reset", NULL),
			    N_("If it was not you, you can ignore this "
			       "message."),
			    NULL) != 0)
			return resp_fail(r, w, NULL);
	} else {
		int64_t id = p.id;

		if (!found) {
			st = db_stmt(r->db, &accounts_sql, S_PERSON_INSERT);
			if (st == NULL)
				return resp_fail(r, w, NULL);
			db_bind_text(st, 1, email);
			db_bind_text(st, 2, name);
			db_bind_int(st, 3, clock_now());
			if (db_one_int(st, &id) != 0)
				return resp_fail(r, w, NULL);
			if (audit_record_new(r->db, id, "person.signup", "person",
					 arena_printf(r->arena, "%lld",
						      (long long)id),
					 NULL,
					 json_pack("{s:s,s:s}", "name", name,
						   "email", email),
					 r->client) != 0)
				return resp_fail(r, w, NULL);
		}
		/* the name of this sign-up travels with its link: the
		 * account takes it when the link is used */
		if (auth_link_create(r->db, id, "verify", name, VERIFY_TTL,
				     clock_now(), token) != 0 ||
		    accounts_send_link_mail(
			    r, email, found ? p.name : name,
			    N_("Confirm your address"),
			    N_("Please confirm that this is your address "
			       "to finish creating your account:"),
			    accounts_site_link(r, "/verify?token=", token),
			    N_("The link works once, for 24 hours. If you "
			       "did not ask for an account, ignore this "
			       "message."),
			    NULL) != 0)
			return resp_fail(r, w, NULL);
	}
	if (db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/signup/sent");
}

static void
signup_sent(struct req *r, struct resp *w)
{
	accounts_message_page(
		w, 200, _("Check your e-mail"),
		_("We have sent a message to the address you gave. Open the "
		  "link in it to confirm your address and finish creating "
		  "your account."),
		"/", _("Back to the home page"));
}

static const struct field verify_fields[] = {
	{.name = "token", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = N_("The link")},
	{.name = "password", .type = FT_PASSWORD, .flags = FIELD_REQUIRED,
	 .label = N_("Password")},
	{0},
};

/* The page of the confirmation link: the password is chosen here. */
static void
verify_form(struct req *r, struct resp *w)
{
	const struct value *t = req_value(r, "token");

	if (!accounts_link_valid_or_respond(r, w, "verify"))
		return;
	accounts_form_page(
		r, w, r->errors ? 422 : 200, "accounts/templates/verify.html",
		_("Confirm your address"), json_pack("{s:s}", "token", t->str));
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
	/* the link first: a made-up token costs a lookup, not a hash */
	if (r->errors == NULL &&
	    !accounts_link_valid_or_respond(r, w, "verify"))
		return;
	if (r->errors == NULL &&
	    auth_password_hash(req_value(r, "password")->str, hash) != 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	if (!accounts_use_link_or_respond(r, w, "verify", &person, &name))
		return;
	st = db_stmt(r->db, &accounts_sql, S_PERSON_ACTIVATE);
	if (st == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, clock_now());
	db_bind_int(st, 4, person);
	if (db_run(st) != 0 ||
	    audit_record(r->db, person, "person.verify", "person",
			 arena_printf(r->arena, "%lld", (long long)person),
			 NULL, NULL, r->client) != 0 ||
	    accounts_sign_in(r, w, person, "/account?welcome=1") != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
}

static const struct route signup_routes[] = {
	{.method = HTTP_GET, .pattern = "/signup", .who = T,
	 .handler = signup_form, .flags = FORM,
	 .summary = "The form to create an account"},
	{.method = HTTP_POST, .pattern = "/signup", .who = T,
	 .fields = signup_fields, .handler = signup, .flags = OWN,
	 .summary = "Creates an account and sends the confirmation link"},
	{.method = HTTP_GET, .pattern = "/signup/sent", .who = T,
	 .handler = signup_sent,
	 .summary = "Says the confirmation link was sent"},
	{.method = HTTP_GET, .pattern = "/verify", .who = T,
	 .fields = accounts_token_fields, .handler = verify_form,
	 .flags = FORM,
	 .summary = "Confirmation page of an address link: choose the "
		    "password"},
	{.method = HTTP_POST, .pattern = "/verify", .who = T,
	 .fields = verify_fields, .handler = verify, .flags = OWN_PW,
	 .summary = "Confirms the address, sets the password and signs in"},
};

const struct module accounts_signup_module = {
	.name = "accounts",
	.routes = signup_routes,
	.nroutes = ARRAY_LEN(signup_routes),
};
