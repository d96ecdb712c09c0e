/*
 * accounts.c -- see accounts.h: a person's own account.  This file holds
 * the statement table and the pieces the pages share (form and message
 * pages, the link mails, starting a session, the one-time links); the
 * pages are signup.c (sign-up and address confirmation), signin.c
 * (sign-in, sign-out, one-time sign-in links, password reset), settings.c
 * (the account page: password and address), sessions.c (sessions and API
 * tokens) and profile.c.
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
#include "accounts_int.h"

#include <ctype.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/ratelimit.h"
#include "core/util.h"

static const char *const accounts_sql_text[S_ACCOUNTS__MAX] = {
	[S_PERSON_INSERT] = "INSERT INTO people (email, name, role,"
			    " created_at) VALUES (?, ?, 'member', ?)"
			    " RETURNING id",
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
			  " show_expertise, language FROM people WHERE id = ?",
	[S_PROFILE_SET] = "UPDATE people SET name = ?, country = ?,"
			  " languages = ?, expertise = ?, visibility = ?,"
			  " show_email = ?, show_country = ?,"
			  " show_expertise = ?, language = ? WHERE id = ?",
	[S_FOCAL_CLEAR] = "DELETE FROM person_focal_areas WHERE person_id = ?",
	[S_FOCAL_ADD] = "INSERT INTO person_focal_areas (person_id,"
			" focal_area_id) SELECT ?, id FROM focal_areas"
			" WHERE slug = ?",
	[S_FOCAL_LIST] = "SELECT f.slug, f.name, pf.person_id IS NOT NULL"
			 " AS chosen FROM focal_areas f"
			 " LEFT JOIN person_focal_areas pf"
			 " ON pf.focal_area_id = f.id AND pf.person_id = ?"
			 /* a retired area only when already chosen */
			 " WHERE f.retired_at IS NULL OR pf.person_id IS NOT NULL"
			 " ORDER BY f.position",
	[S_PERSON_SET_LANGUAGE] = "UPDATE people SET language = ? WHERE id = ?",
	[S_PERSON_SIGNED_IN] = "UPDATE people SET last_signin_at = ?"
			       " WHERE id = ?",
};

struct db_sql accounts_sql = {"accounts", accounts_sql_text, S_ACCOUNTS__MAX,
			      0};

/* A form page: the model gets what was typed (never passwords) and the
 * messages, as a map for the fields and a list for the summary. */
void
accounts_form_page(struct req *r, struct resp *w, int status, const char *tmpl,
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
	resp_form_errors(model, r->errors);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, tmpl, title, model);
}

/* A page with a heading, a paragraph and a link onward. */
void
accounts_message_page(struct resp *w, int status, const char *title,
		      const char *lead, const char *href, const char *link)
{
	resp_page(w, status, "accounts/templates/message.html", title,
		  json_pack("{s:s,s:s,s:s?,s:s?}", "heading", title, "lead",
			    lead, "href", href, "link", link));
}

/* A link into the site for a message: base_url + path + token. */
char *
accounts_site_link(struct req *r, const char *path, const char *token)
{
	return arena_printf(r->arena, "%s%s%s", config_current->base_url, path,
			    token ? token : "");
}

/* Puts a plain message with one link in the outbox, in the language
 * mail_language picks for to with fallback (accounts_int.h).  0 or -1. */
static int
send_link_mail(struct req *r, const char *fallback, const char *to,
	       const char *name, const char *subject, const char *intro,
	       const char *link, const char *outro, const char *address)
{
	struct buf text = BUF_INIT, html = BUF_INIT, hello = BUF_INIT,
		   body = BUF_INIT;
	struct mail m = {0};
	int64_t id;

	i18n_push(mail_language(r->db, r->arena, to, fallback));
	i18n_format(&hello, _("Hello {name},"), "name", name, NULL);
	i18n_format(&body, _(intro), "address", address ? address : "", NULL);
	subject = _(subject);
	outro = _(outro);
	intro = buf_cstr(&body);
	buf_printf(&text, "%s\n\n%s\n\n%s\n\n%s\n\n-- \n%s\n", buf_cstr(&hello),
		   intro, link, outro, config_current->site_name);
	buf_puts(&html, "<p>");
	esc_html(&html, hello.data, hello.len);
	buf_puts(&html, "</p>\n<p>");
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
	i18n_pop();
	buf_free(&text);
	buf_free(&html);
	buf_free(&hello);
	buf_free(&body);
	return id < 0 ? -1 : 0;
}

int
accounts_send_link_mail(struct req *r, const char *to, const char *name,
			const char *subject, const char *intro,
			const char *link, const char *outro,
			const char *address)
{
	return send_link_mail(r, i18n_code(), to, name, subject, intro, link,
			      outro, address);
}

int
accounts_send_link_mail_for(struct req *r, const char *to, const char *name,
			    const char *subject, const char *intro,
			    const char *link, const char *outro)
{
	return send_link_mail(r, NULL, to, name, subject, intro, link, outro,
			      NULL);
}

/* Starts a session for person, replacing the current one, notes when
 * they signed in (the people desk shows it), and redirects to next (a
 * local path) or /account. */
int
accounts_sign_in(struct req *r, struct resp *w, int64_t person,
		 const char *next)
{
	char token[AUTH_TOKEN_LEN + 1];
	const char *ua = req_header(r, "User-Agent");
	struct db_stmt *st;

	if (r->session_hash && auth_session_end(r->db, r->session_hash) != 0)
		return -1;
	if ((st = db_stmt(r->db, &accounts_sql, S_PERSON_SIGNED_IN)) == NULL)
		return -1;
	db_bind_int(st, 1, clock_now());
	db_bind_int(st, 2, person);
	if (db_run(st) != 0)
		return -1;
	if (auth_session_create(r->db, person, r->client, ua, clock_now(),
				token) != 0)
		return -1;
	auth_set_cookie(r, auth_session_cookie(), token, 0);
	resp_redirect(w, accounts_local_path(next, "/account"));
	return 0;
}

/* next when it is a path on this site, else otherwise: never an open
 * redirect ("//host", "/\\host" and "https://host" are other sites). */
const char *
accounts_local_path(const char *next, const char *otherwise)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\')
		return otherwise;
	return next;
}

/* Counts an e-mail of rule to address from this client: 0 when it may
 * be sent, else the seconds to wait (-1 on error). */
int
accounts_mail_limited(struct req *r, const struct ratelimit_rule *rule,
		      const char *address)
{
	return ratelimit_hit_rule(r->db, rule, limits_client(r), address,
				  clock_now());
}

/* The password as typed: FT_TEXT trims, so read the raw input back.
 * Never NULL: "" when the field was not sent (which matches no hash). */
const char *
accounts_typed_password(const struct req *r, const char *field)
{
	json_t *v = r->input ? json_object_get(r->input, field) : NULL;
	const char *s = v ? json_string_value(v) : NULL;

	return s ? s : "";
}

const struct field accounts_token_fields[] = {
	{.name = "token", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = N_("The link")},
	{0},
};

void
accounts_link_gone(struct resp *w)
{
	accounts_message_page(
		w, 410, _("This link cannot be used"),
		_("The link has been used already or is too old. You can "
		  "ask for a new one."),
		"/signin", _("Sign in"));
}

/* Begins the change's transaction and uses the link of the form's token.
 * Returns 1 with the transaction open, or 0 when w holds the answer (the
 * link cannot be used, or an error). */
int
accounts_use_link_or_respond(struct req *r, struct resp *w, const char *purpose,
			     int64_t *person, const char **data)
{
	int rc;

	if (r->errors) {
		accounts_link_gone(w);
		return 0;
	}
	if (db_begin(r->db) != 0) {
		resp_fail(r, w, NULL);
		return 0;
	}
	rc = auth_link_use(r->db, req_value(r, "token")->str, purpose,
			   clock_now(), r->arena, person, data);
	if (rc == 1)
		return 1;
	if (rc < 0) {
		resp_fail(r, w, NULL);
	} else {
		db_rollback(r->db);
		accounts_link_gone(w);
	}
	return 0;
}

/* Whether the link in ?token= can still be used; 0 when w holds the
 * answer. */
int
accounts_link_valid_or_respond(struct req *r, struct resp *w,
			       const char *purpose)
{
	const struct value *t = req_value(r, "token");
	int64_t person;
	int rc = t->present
			 ? auth_link_peek(r->db, t->str, purpose, clock_now(),
					  r->arena, &person, NULL)
			 : 0;

	if (rc < 0)
		resp_error(w, 500, _("Something went wrong on our side."));
	else if (rc == 0)
		accounts_link_gone(w);
	return rc == 1;
}

/* A page with a button that uses the link in ?token= (GET), or says the
 * link cannot be used. */
void
accounts_confirm_page(struct req *r, struct resp *w, const char *purpose,
		      const char *title, const char *lead, const char *action,
		      const char *button)
{
	const struct value *t = req_value(r, "token");

	if (!accounts_link_valid_or_respond(r, w, purpose))
		return;
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "accounts/templates/confirm.html", title,
		  json_pack("{s:s,s:s,s:s,s:s,s:s}", "heading", title, "lead",
			    lead, "action", action, "button", button, "token",
			    t->str));
}
