/*
 * updates.c -- see updates.h: the public sign-up form, the confirmation
 * and unsubscribe links, the account page, and the hourly clean-up.
 *
 * The form answers the same whatever the address (a redirect to "check
 * your e-mail"), so it tells no one whether an address is on the list:
 * a new or removed address gets a confirmation link, a pending one a new
 * link, a subscribed one a note that it is already on the list.  Each is
 * limited per client and per address (public_limits.h).  Links are kept
 * by the SHA-256 of their token, like the accounts' links.  The pages a
 * link opens show a button that posts (a mail scanner that fetches links
 * neither confirms nor unsubscribes anyone); the unsubscribe POST needs
 * no form cookie, so a mail client's one-click button (List-Unsubscribe-
 * Post, RFC 8058) works as well.
 */
#include "updates_int.h"

#include <string.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/maintenance.h"
#include "core/util.h"
#include "public_limits.h"

#define CONFIRM_TTL (7 * 86400)
#define REMOVED_KEPT (365 * 86400)
#define LINKS_KEPT (30 * 86400)

static const char *const updates_sql_text[S_UPD__MAX] = {
	[S_UPD_BY_EMAIL] = "SELECT id, status, name, language"
			   " FROM updates_subscribers WHERE email = ?",
	[S_UPD_INSERT] =
		"INSERT INTO updates_subscribers (email, name, language,"
		" status, source, created_at, requested_at, confirmed_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	/* a new request for an address not (or no longer) subscribed:
	 * what it asks for (name, language) waits on its link */
	[S_UPD_REQUESTED] = "UPDATE updates_subscribers SET requested_at = ?"
			    " WHERE id = ? AND status <> 'subscribed'",
	[S_UPD_LINK_INSERT] =
		"INSERT INTO updates_links (hash, subscriber_id, purpose,"
		" created_at, expires_at, name, language)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)",
	[S_UPD_LINK_FIND] =
		"SELECT l.subscriber_id AS id, l.expires_at, l.used_at,"
		" l.name, l.language, s.status, s.email FROM updates_links l"
		" JOIN updates_subscribers s ON s.id = l.subscriber_id"
		" WHERE l.hash = ? AND l.purpose = ?",
	[S_UPD_CONFIRM_LINKS_USE] =
		"UPDATE updates_links SET used_at = ? WHERE subscriber_id = ?"
		" AND purpose = 'confirm' AND used_at IS NULL",
	/* the confirmation: the address takes what its link asked for */
	[S_UPD_SUBSCRIBE] =
		"UPDATE updates_subscribers SET status ="
		" 'subscribed', confirmed_at = ?, removed_at = NULL,"
		" name = ?, language = ? WHERE id = ?",
	/* a removal keeps the address and its date, not the name */
	[S_UPD_REMOVE] = "UPDATE updates_subscribers SET status = 'removed',"
			 " removed_at = ?, name = NULL"
			 " WHERE id = ? AND status <> 'removed'",
	[S_UPD_ACCOUNT_SUBSCRIBE] =
		"INSERT INTO updates_subscribers (email, name, language,"
		" status, source, created_at, requested_at, confirmed_at)"
		" VALUES (?, ?, ?, 'subscribed', 'account', ?, ?, ?)"
		" ON CONFLICT (email) DO UPDATE SET status = 'subscribed',"
		" name = excluded.name, language = excluded.language,"
		" source = excluded.source,"
		" requested_at = excluded.requested_at,"
		" confirmed_at = excluded.confirmed_at, removed_at = NULL",
	[S_UPD_COUNTS] = "SELECT status, count(*) AS n"
			 " FROM updates_subscribers GROUP BY status",
	[S_UPD_LIST] = "SELECT email, name, language, source, confirmed_at"
		       " FROM updates_subscribers WHERE status = 'subscribed'"
		       " ORDER BY email LIMIT ? OFFSET ?",
	[S_UPD_REMOVALS] = "SELECT email, removed_at FROM updates_subscribers"
			   " WHERE status = 'removed'"
			   " ORDER BY removed_at DESC, email LIMIT ?",
	[S_UPD_ALL_SUBSCRIBED] =
		"SELECT email, name, language, source, confirmed_at"
		" FROM updates_subscribers WHERE status = 'subscribed'"
		" ORDER BY email",
	[S_UPD_PRUNE_PENDING] =
		"DELETE FROM updates_subscribers"
		" WHERE status = 'pending' AND requested_at < ?",
	[S_UPD_PRUNE_REMOVED] = "DELETE FROM updates_subscribers"
				" WHERE status = 'removed' AND removed_at < ?",
	[S_UPD_PRUNE_LINKS] = "DELETE FROM updates_links WHERE purpose ="
			      " 'confirm' AND expires_at < ?",
};

struct db_sql updates_sql = {"updates", updates_sql_text, S_UPD__MAX, 0};

const char *
updates_language_name(const char *code)
{
	const struct i18n_lang *l;

	if (code == NULL)
		return "";
	l = i18n_lang_find(code, strlen(code));
	return l ? l->name : code;
}

/* Stores a new link of purpose for subscriber id (its digest; expires
 * after ttl seconds, 0: never; a confirmation link also keeps the name
 * and language asked for, NULL for none) and gives its absolute URL, in
 * a.  NULL on a database error. */
static const char *
link_new(struct db *db, struct arena *a, int64_t id, const char *purpose,
	 const char *path, int64_t ttl, const char *name, const char *lang)
{
	char token[AUTH_TOKEN_LEN + 1], hash[AUTH_HASH_LEN + 1];
	struct db_stmt *st = db_stmt(db, &updates_sql, S_UPD_LINK_INSERT);
	int64_t now = clock_now();

	if (st == NULL)
		return NULL;
	auth_token_new(token);
	auth_token_digest(token, hash);
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, purpose);
	db_bind_int(st, 4, now);
	if (ttl > 0)
		db_bind_int(st, 5, now + ttl);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, name);
	db_bind_text(st, 7, lang);
	if (db_run(st) != 0)
		return NULL;
	return arena_printf(a, "%s%s%s", config_current->base_url, path, token);
}

const char *
updates_unsubscribe_link(struct db *db, struct arena *a, int64_t id)
{
	return link_new(db, a, id, "unsubscribe", "/updates/unsubscribe/", 0,
			NULL, NULL);
}

/*
 * Puts a letter about the list to `to` in the outbox, in the caller's
 * transaction, written in lang: "Hello NAME," (or "Hello,"), intro, link
 * (when not NULL), outro, then a new unsubscribe link for subscriber id,
 * which also goes in List-Unsubscribe.  The texts are msgids (N_).  0 or
 * -1.
 */
static int
send_letter(struct req *r, int64_t id, const char *to, const char *name,
	    const char *lang, const char *subject, const char *intro,
	    const char *link, const char *outro)
{
	const char *unsub = updates_unsubscribe_link(r->db, r->arena, id);
	struct buf text = BUF_INIT, hello = BUF_INIT;
	struct mail m = {0};
	int64_t rc;

	if (unsub == NULL)
		return -1;
	i18n_push(lang);
	if (name && *name)
		i18n_format(&hello, _("Hello {name},"), "name", name, NULL);
	else
		buf_puts(&hello, _("Hello,"));
	buf_printf(&text, "%s\n\n%s\n\n", buf_cstr(&hello), _(intro));
	if (link)
		buf_printf(&text, "%s\n\n", link);
	buf_printf(&text, "%s\n\n%s\n%s\n\n-- \n%s\n", _(outro),
		   _("To take this address off the list, open this link "
		     "(no sign-in needed):"),
		   unsub, config_current->site_name);
	m.to = to;
	m.to_name = name && *name ? name : NULL;
	m.subject = _(subject);
	m.text = buf_cstr(&text);
	m.list_unsubscribe = unsub;
	m.language = i18n_code();
	rc = mail_enqueue(r->db, &m);
	i18n_pop();
	buf_free(&hello);
	buf_free(&text);
	return rc < 0 ? -1 : 0;
}

/* A confirmation link for subscriber id in a letter to `to`, keeping the
 * name and language asked for until it is used.  The address is not
 * confirmed, so the letter carries only the site's own text: not the name
 * typed with it (which could be anything, sent to anyone).  0 or -1. */
static int
send_confirmation(struct req *r, int64_t id, const char *to, const char *name,
		  const char *lang)
{
	const char *link =
		link_new(r->db, r->arena, id, "confirm",
			 "/updates/confirm?token=", CONFIRM_TTL, name, lang);

	if (link == NULL)
		return -1;
	return send_letter(
		r, id, to, NULL, lang,
		N_("Please confirm: updates from the Alliance"),
		N_("Someone, probably you, asked for the Alliance's updates "
		   "at this address. To confirm, open this link and press the "
		   "button on the page:"),
		link,
		N_("The link works for 7 days. Until it is used nothing else "
		   "is sent to this address. If you did not ask, ignore this "
		   "message: the address is deleted after 7 days."));
}

/*
 * Asks for updates for email (a key: mail_address_key), in the open
 * transaction: a new address is stored as pending (no name yet), and it
 * or a pending or removed one gets a confirmation link that carries the
 * name and language given: the address takes them only when the link is
 * used, so no one can name an address they cannot read.  A subscribed
 * address gets a note instead and keeps what it has.  0 or -1.
 */
static int
request_subscription(struct req *r, const char *email, const char *name,
		     const char *lang)
{
	struct db_stmt *st = db_stmt(r->db, &updates_sql, S_UPD_BY_EMAIL);
	int64_t now = clock_now(), id;
	json_t *row;
	const char *status;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	if ((row = db_one_json(st)) == NULL)
		return -1;
	if (json_is_null(row)) {
		json_decref(row);
		if ((st = db_stmt(r->db, &updates_sql, S_UPD_INSERT)) == NULL)
			return -1;
		db_bind_text(st, 1, email);
		db_bind_null(st, 2);
		db_bind_text(st, 3, lang);
		db_bind_text(st, 4, "pending");
		db_bind_text(st, 5, "form");
		db_bind_int(st, 6, now);
		db_bind_int(st, 7, now);
		db_bind_null(st, 8);
		if (db_one_int(st, &id) != 0)
			return -1;
		return send_confirmation(r, id, email, name, lang);
	}
	id = json_integer_value(json_object_get(row, "id"));
	status = json_string_value(json_object_get(row, "status"));
	if (status && strcmp(status, "subscribed") == 0) {
		int rc = send_letter(
			r, id, email,
			json_string_value(json_object_get(row, "name")),
			json_string_value(json_object_get(row, "language")),
			N_("You already receive the Alliance's updates"),
			N_("Someone, probably you, asked for the Alliance's "
			   "updates at this address. It is on the list "
			   "already, so nothing has changed."),
			NULL,
			N_("If you did not ask, you need not do anything."));

		json_decref(row);
		return rc;
	}
	json_decref(row);
	if ((st = db_stmt(r->db, &updates_sql, S_UPD_REQUESTED)) == NULL)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0)
		return -1;
	return send_confirmation(r, id, email, name, lang);
}

static const struct field subscribe_fields[] = {
	{.name = "email",
	 .type = FT_EMAIL,
	 .flags = FIELD_REQUIRED,
	 .label = N_("Email")},
	{.name = "name",
	 .type = FT_TEXT,
	 .maxlen = 200,
	 .label = N_("Your name")},
	{0},
};

/* The form's model: what was typed (a signed-in person's address when
 * nothing was), the messages, the language letters will be written in. */
static json_t *
form_model(const struct req *r)
{
	json_t *input = r->input ? json_deep_copy(r->input) : json_object();

	if (r->person && json_object_get(input, "email") == NULL)
		json_object_set_new(input, "email",
				    json_string(r->person->email));
	return json_pack("{s:o,s:o,s:s,s:b}", "input", input, "errors",
			 r->errors ? json_incref(r->errors) : json_object(),
			 "language", updates_language_name(i18n_code()),
			 "signed_in", r->person != NULL);
}

static void
subscribe_form(struct req *r, struct resp *w)
{
	resp_page(w, 200, "updates/templates/subscribe.html",
		  _("Updates by e-mail"), form_model(r));
}

/* The form again with r->errors beside the fields and as the summary. */
static void
form_again(struct req *r, struct resp *w, int status)
{
	json_t *m = form_model(r);

	json_object_set_new(m, "error_list", resp_error_list(r->errors));
	json_object_set_new(m, "has_errors", json_true());
	resp_page(w, status, "updates/templates/subscribe.html",
		  _("Updates by e-mail"), m);
}

/* POST /updates/subscribe: counts the attempt against the limits (its
 * own transaction), then stores the request and its letter in one. */
static void
subscribe(struct req *r, struct resp *w)
{
	const char *email, *msg = NULL, *name;
	int wait;

	if (r->errors)
		return form_again(r, w, 422);
	email = mail_address_key(r->arena, req_value(r, "email")->str);
	name = req_value(r, "name")->str;
	if (db_begin(r->db) != 0)
		goto fail;
	wait = limits_check(r, w, &limits_updates, email, N_("messages"), &msg);
	if (wait < 0)
		goto fail;
	if (wait > 0) {
		db_rollback(r->db);
		if (r->want_json)
			return resp_error(w, 429, msg);
		r->errors = json_pack("{s:s}", "email", msg);
		return form_again(r, w, 429);
	}
	if (db_commit(r->db) != 0 || db_begin(r->db) != 0)
		goto fail;
	if (request_subscription(r, email, name && *name ? name : NULL,
				 i18n_code()) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, "/updates/sent");
	return;
fail:
	db_rollback(r->db);
	resp_fail(r, w,
		  _("Your request could not be saved. Please try again "
		    "later."));
}

/* A short page: heading, lead, and a link (href NULL: none). */
static void
message_page(struct resp *w, int status, const char *heading, const char *lead,
	     const char *href, const char *link)
{
	resp_page(w, status, "updates/templates/message.html", heading,
		  json_pack("{s:s,s:s,s:s?,s:s?}", "heading", heading, "lead",
			    lead, "href", href, "link", link));
}

static void
subscribe_sent(struct req *r, struct resp *w)
{
	(void)r;
	message_page(w, 200, _("Check your e-mail"),
		     _("We have sent a message to the address you gave. "
		       "Open the link in it to confirm: until then, the "
		       "address is not on the list. If nothing arrives in a "
		       "few minutes, look in your spam folder."),
		     "/", _("Back to the home page"));
}

static const struct field token_fields[] = {
	{.name = "token",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 100,
	 .label = N_("The link")},
	{0},
};

/*
 * The link of token with purpose, as {id, expires_at, used_at,
 * status, email}: a new object, json null when no such link, NULL on a
 * database error.
 */
static json_t *
link_find(struct req *r, const char *token, const char *purpose)
{
	char hash[AUTH_HASH_LEN + 1];
	struct db_stmt *st = db_stmt(r->db, &updates_sql, S_UPD_LINK_FIND);

	if (st == NULL)
		return NULL;
	auth_token_digest(token, hash);
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, purpose);
	return db_one_json(st);
}

static void
link_unknown(struct resp *w)
{
	message_page(w, 404, _("This link is not known"),
		     _("Perhaps it was cut when it was copied, or the "
		       "address it was for has been deleted from the list. "
		       "You can sign up again at any time."),
		     "/updates/subscribe", _("Sign up for updates"));
}

static const char *
str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/*
 * Answers a confirmation link that cannot confirm (already confirmed,
 * used, too old) with its page and returns 1; 0 when it can, -1 never
 * (an unknown link is answered by the caller).
 */
static int
confirm_refused(struct resp *w, json_t *link)
{
	if (strcmp(str_of(link, "status"), "subscribed") == 0) {
		message_page(w, 200, _("Your subscription is confirmed"),
			     _("This address is on the list already: you "
			       "need not do anything more."),
			     "/", _("Back to the home page"));
		return 1;
	}
	if (!json_is_null(json_object_get(link, "used_at"))) {
		message_page(w, 410, _("This link has been used"),
			     _("This confirmation link was used, and the "
			       "address has been taken off the list since. "
			       "To receive the updates again, sign up again."),
			     "/updates/subscribe", _("Sign up for updates"));
		return 1;
	}
	if (json_integer_value(json_object_get(link, "expires_at")) <=
	    clock_now()) {
		message_page(w, 410, _("This link is too old"),
			     _("Confirmation links work for 7 days. Sign up "
			       "again and you will receive a new one."),
			     "/updates/subscribe", _("Sign up for updates"));
		return 1;
	}
	return 0;
}

/* GET /updates/confirm?token=: the button that confirms, or what
 * happened to the link. */
static void
confirm_form(struct req *r, struct resp *w)
{
	json_t *link = link_find(r, req_value(r, "token")->str, "confirm");

	if (link == NULL)
		return resp_fail(r, w, NULL);
	if (json_is_null(link))
		link_unknown(w);
	else if (!confirm_refused(w, link))
		resp_page(w, 200, "updates/templates/link.html",
			  _("Confirm your subscription"),
			  json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "heading",
				    _("Confirm your subscription"), "lead",
				    _("Press the button to receive the "
				      "Alliance's updates at this address:"),
				    "email", str_of(link, "email"), "action",
				    "/updates/confirm", "button",
				    _("Confirm my subscription"), "token",
				    req_value(r, "token")->str));
	json_decref(link);
}

/* POST /updates/confirm: puts the address on the list; every
 * confirmation link of it is used. */
static void
confirm(struct req *r, struct resp *w)
{
	json_t *link = NULL;
	struct db_stmt *st;
	int64_t id, now = clock_now();

	if (db_begin(r->db) != 0)
		goto fail;
	if ((link = link_find(r, req_value(r, "token")->str, "confirm")) ==
	    NULL)
		goto fail;
	if (json_is_null(link) || confirm_refused(w, link)) {
		if (json_is_null(link))
			link_unknown(w);
		db_rollback(r->db);
		json_decref(link);
		return;
	}
	id = json_integer_value(json_object_get(link, "id"));
	if ((st = db_stmt(r->db, &updates_sql, S_UPD_SUBSCRIBE)) == NULL)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, json_string_value(json_object_get(link, "name")));
	db_bind_text(st, 3,
		     json_string_value(json_object_get(link, "language")));
	db_bind_int(st, 4, id);
	if (db_run(st) != 0 || (st = db_stmt(r->db, &updates_sql,
					     S_UPD_CONFIRM_LINKS_USE)) == NULL)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0 || db_commit(r->db) != 0)
		goto fail;
	json_decref(link);
	resp_redirect(w, "/updates/confirmed");
	return;
fail:
	db_rollback(r->db);
	json_decref(link);
	resp_fail(r, w, NULL);
}

static void
confirmed(struct req *r, struct resp *w)
{
	(void)r;
	message_page(w, 200, _("You are on the list"),
		     _("Thank you: your address is confirmed. No update has "
		       "been sent yet; we will write when there is news from "
		       "the Alliance. Every message has a link to take your "
		       "address off the list."),
		     "/", _("Back to the home page"));
}

static void
already_removed(struct resp *w)
{
	message_page(w, 200, _("This address is not on the list"),
		     _("It has been taken off the list: nothing more will "
		       "be sent to it. You can sign up again at any time."),
		     "/updates/subscribe", _("Sign up for updates"));
}

/* GET /updates/unsubscribe/:token: the one button that unsubscribes. */
static void
unsubscribe_form(struct req *r, struct resp *w)
{
	json_t *link = link_find(r, req_param(r, "token"), "unsubscribe");

	if (link == NULL)
		return resp_fail(r, w, NULL);
	if (json_is_null(link))
		link_unknown(w);
	else if (strcmp(str_of(link, "status"), "removed") == 0)
		already_removed(w);
	else
		resp_page(
			w, 200, "updates/templates/link.html", _("Unsubscribe"),
			json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "heading",
				  _("Unsubscribe"), "lead",
				  _("Press the button and nothing more will "
				    "be sent to this address:"),
				  "email", str_of(link, "email"), "action",
				  arena_printf(r->arena,
					       "/updates/unsubscribe/%s",
					       req_param(r, "token")),
				  "button", _("Take this address off the list"),
				  "token", NULL));
	json_decref(link);
}

int
updates_remove(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &updates_sql, S_UPD_REMOVE);
	int64_t now = clock_now();

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0 ||
	    (st = db_stmt(db, &updates_sql, S_UPD_CONFIRM_LINKS_USE)) == NULL)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	return db_run(st);
}

/* POST /updates/unsubscribe/:token: from the page's button or a mail
 * client's one-click request (RFC 8058: the token in the path, as the
 * List-Unsubscribe header names it; the body "List-Unsubscribe=One-Click"
 * is an undeclared field, dropped); again is harmless. */
static void
unsubscribe(struct req *r, struct resp *w)
{
	json_t *link = NULL;

	if (db_begin(r->db) != 0 ||
	    (link = link_find(r, req_param(r, "token"), "unsubscribe")) == NULL)
		goto fail;
	if (json_is_null(link)) {
		db_rollback(r->db);
		json_decref(link);
		return link_unknown(w);
	}
	if (updates_remove(r->db, json_integer_value(json_object_get(
					     link, "id"))) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	json_decref(link);
	resp_redirect(w, "/updates/unsubscribed");
	return;
fail:
	db_rollback(r->db);
	json_decref(link);
	resp_fail(r, w, NULL);
}

static void
unsubscribed(struct req *r, struct resp *w)
{
	(void)r;
	message_page(w, 200, _("You are unsubscribed"),
		     _("Your address is off the list: nothing more will be "
		       "sent to it. If this was a mistake, you can sign up "
		       "again."),
		     "/updates/subscribe", _("Sign up for updates"));
}

static const char *const account_actions[] = {"subscribe", "unsubscribe", NULL};

static const struct field account_fields[] = {
	{.name = "action",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = account_actions,
	 .label = N_("What to do")},
	{0},
};

static const char *const account_done[] = {"subscribed", "unsubscribed", "sent",
					   NULL};

static const struct field account_page_fields[] = {
	{.name = "done",
	 .type = FT_CHOICE,
	 .choices = account_done,
	 .label = N_("Notice")},
	{0},
};

/* GET /account/updates: whether the signed-in person's address is on
 * the list, and the button that changes it. */
static void
account_page(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &updates_sql, S_UPD_BY_EMAIL);
	const char *email = mail_address_key(r->arena, r->person->email);
	const char *done = req_value(r, "done")->str, *notice = NULL;
	json_t *row;
	int on;

	if (st == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, email);
	if ((row = db_one_json(st)) == NULL)
		return resp_fail(r, w, NULL);
	on = !json_is_null(row) &&
	     strcmp(str_of(row, "status"), "subscribed") == 0;
	json_decref(row);
	if (done && strcmp(done, "subscribed") == 0)
		notice = _("Your address is on the list.");
	else if (done && strcmp(done, "unsubscribed") == 0)
		notice = _("Your address is off the list.");
	else if (done && strcmp(done, "sent") == 0)
		notice = _("We have sent a confirmation link to your address: "
			   "open it to finish.");
	resp_page(w, 200, "updates/templates/account.html",
		  _("Updates by e-mail"),
		  json_pack("{s:s,s:b,s:s?,s:s}", "email", r->person->email,
			    "subscribed", on, "notice", notice, "language",
			    updates_language_name(i18n_code())));
}

/* POST /account/updates: subscribe (at once for a confirmed address;
 * otherwise by the confirmation link, like the form) or unsubscribe. */
static void
account_set(struct req *r, struct resp *w)
{
	const struct person *p = r->person;
	const char *email = mail_address_key(r->arena, p->email);
	const char *lang = p->language ? p->language : i18n_code();
	const char *done = "unsubscribed";
	struct db_stmt *st;
	int64_t now = clock_now();

	if (r->errors)
		return resp_error(w, 422, _("Please choose what to do."));
	if (db_begin(r->db) != 0)
		goto fail;
	if (strcmp(req_value(r, "action")->str, "unsubscribe") == 0) {
		json_t *row;

		if ((st = db_stmt(r->db, &updates_sql, S_UPD_BY_EMAIL)) == NULL)
			goto fail;
		db_bind_text(st, 1, email);
		if ((row = db_one_json(st)) == NULL)
			goto fail;
		if (!json_is_null(row) &&
		    updates_remove(r->db, json_integer_value(json_object_get(
						     row, "id"))) != 0) {
			json_decref(row);
			goto fail;
		}
		json_decref(row);
	} else if (p->verified) {
		done = "subscribed";
		st = db_stmt(r->db, &updates_sql, S_UPD_ACCOUNT_SUBSCRIBE);
		if (st == NULL)
			goto fail;
		db_bind_text(st, 1, email);
		db_bind_text(st, 2, p->name);
		db_bind_text(st, 3, lang);
		db_bind_int(st, 4, now);
		db_bind_int(st, 5, now);
		db_bind_int(st, 6, now);
		if (db_run(st) != 0)
			goto fail;
	} else {
		done = "sent";
		if (request_subscription(r, email, p->name, lang) != 0)
			goto fail;
	}
	if (db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w,
		      arena_printf(r->arena, "/account/updates?done=%s", done));
	return;
fail:
	db_rollback(r->db);
	resp_fail(r, w, NULL);
}

int64_t
updates_prune(struct db *db, int64_t now)
{
	static const struct {
		enum stmt_updates stmt;
		int64_t age;
	} steps[] = {
		{S_UPD_PRUNE_PENDING, CONFIRM_TTL},
		{S_UPD_PRUNE_REMOVED, REMOVED_KEPT},
		{S_UPD_PRUNE_LINKS, LINKS_KEPT},
	};
	int64_t n = 0;

	if (db_begin(db) != 0)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		struct db_stmt *st = db_stmt(db, &updates_sql, steps[i].stmt);

		if (st == NULL)
			goto fail;
		db_bind_int(st, 1, now - steps[i].age);
		if (db_run(st) != 0)
			goto fail;
		n += db_changes(db);
	}
	if (db_commit(db) != 0)
		goto fail;
	return n;
fail:
	db_rollback(db);
	return -1;
}

static void
updates_init(void)
{
	maintenance_add_step(updates_prune);
}

#define T ACCESS_PUBLIC

static const struct route updates_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/updates/subscribe",
	 .who = T,
	 .handler = subscribe_form,
	 .flags = ROUTE_FORM,
	 .summary = "The form to sign up for updates by e-mail"},
	{.method = HTTP_POST,
	 .pattern = "/updates/subscribe",
	 .who = T,
	 .fields = subscribe_fields,
	 .handler = subscribe,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Mails a confirmation link for the updates list (the "
		    "same answer for any address)"},
	{.method = HTTP_GET,
	 .pattern = "/updates/sent",
	 .who = T,
	 .handler = subscribe_sent,
	 .summary = "Says a confirmation link was mailed"},
	{.method = HTTP_GET,
	 .pattern = "/updates/confirm",
	 .who = T,
	 .fields = token_fields,
	 .handler = confirm_form,
	 .flags = ROUTE_FORM,
	 .summary = "The button that confirms a subscription, from its "
		    "link"},
	{.method = HTTP_POST,
	 .pattern = "/updates/confirm",
	 .who = T,
	 .fields = token_fields,
	 .handler = confirm,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Confirms a subscription (double opt-in)"},
	{.method = HTTP_GET,
	 .pattern = "/updates/confirmed",
	 .who = T,
	 .handler = confirmed,
	 .summary = "Says a subscription is confirmed"},
	{.method = HTTP_GET,
	 .pattern = "/updates/unsubscribe/:token",
	 .who = T,
	 .handler = unsubscribe_form,
	 .flags = ROUTE_PERSONAL,
	 .summary = "The button that takes an address off the list, from "
		    "the link in every message"},
	{.method = HTTP_POST,
	 .pattern = "/updates/unsubscribe/:token",
	 .who = T,
	 .handler = unsubscribe,
	 .flags = ROUTE_PERSONAL | ROUTE_NO_CSRF,
	 .summary = "Takes an address off the list (the page's button or a "
		    "mail client's one-click request, RFC 8058)"},
	{.method = HTTP_GET,
	 .pattern = "/updates/unsubscribed",
	 .who = T,
	 .handler = unsubscribed,
	 .summary = "Says an address is off the list"},
	{.method = HTTP_GET,
	 .pattern = "/account/updates",
	 .who = ACCESS_MEMBER,
	 .fields = account_page_fields,
	 .handler = account_page,
	 .flags = ROUTE_FORM,
	 .summary = "Whether one's address receives the updates"},
	{.method = HTTP_POST,
	 .pattern = "/account/updates",
	 .who = ACCESS_MEMBER,
	 .fields = account_fields,
	 .handler = account_set,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Subscribes or unsubscribes one's own address"},
};

const struct module updates_module = {
	.name = "updates",
	.routes = updates_routes,
	.nroutes = ARRAY_LEN(updates_routes),
	.sql = &updates_sql,
	.init = updates_init,
};
