/*
 * accounts_int.h -- what the files of src/accounts/ share and nothing else
 * includes: the statement table (accounts.c), how long links live and the
 * rate limits, the route shorthands, and the pieces every page uses
 * (accounts.c; the password is set by settings.c).  See accounts.h.
 */
#ifndef ALLIANCE_ACCOUNTS_INT_H
#define ALLIANCE_ACCOUNTS_INT_H

#include <stdint.h>
#include <time.h>

#include "accounts/accounts.h"
#include "core/mail.h"
#include "core/auth.h"
#include "core/clock.h"
#include "public_limits.h"

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
	S_PERSON_SET_LANGUAGE,
	S_PERSON_SIGNED_IN,
	S_ACCOUNTS__MAX,
};

/* How long links live, and the limits on failed sign-ins (those on
 * mail are in public_limits.h). */
#define VERIFY_TTL (24 * 3600)
#define RESET_TTL 3600
#define EMAIL_TTL (24 * 3600)
/* An invitation (a one-time sign-in link, as organisations_invite sends)
 * and the sign-in link the secretariat sends from the people desk (a
 * password link, as /reset sends, that lives longer). */
#define INVITE_TTL (7 * 24 * 3600)
#define SIGNIN_LINK_TTL (24 * 3600)
/* Failed sign-ins, per window: an account is locked for one client after
 * FAIL_PER_ACCOUNT failures from that client (never for the others), and
 * a client for every account after FAIL_PER_CLIENT.  An account that has
 * had FAIL_ACCOUNT_SLOW failures from all clients together is being
 * guessed at from many addresses: then each client gets FAIL_SLOW_PAIR
 * failures on it per window instead (a client that has not failed may
 * always try). */
#define FAIL_WINDOW (15 * 60)
#define FAIL_PER_ACCOUNT 5
#define FAIL_PER_CLIENT 20
#define FAIL_ACCOUNT_SLOW 20
#define FAIL_SLOW_PAIR 1

/* The route tables' shorthands. */
#define T ACCESS_PUBLIC
#define M ACCESS_MEMBER
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)
/* a form whose handler hashes or checks a password: run on the hashing
 * threads (ROUTE_PWHASH in http.h) */
#define OWN_PW (OWN | ROUTE_PWHASH)

/* ---- accounts.c: the pieces the pages share ---- */

/* A form page: the model gets what was typed (never passwords) and the
 * messages, as a map for the fields and a list for the summary. */
void accounts_form_page(struct req *r, struct resp *w, int status,
			const char *tmpl, const char *title, json_t *model);
/* A page with a heading, a paragraph and a link onward. */
void accounts_message_page(struct resp *w, int status, const char *title,
			   const char *lead, const char *href,
			   const char *link);
/* A link into the site for a message: base_url + path + token. */
char *accounts_site_link(struct req *r, const char *path, const char *token);
/*
 * Puts a plain message with one link in the outbox, in the language of the
 * account at `to` when it chose one, else the one `to` last wrote to us in,
 * else the request's (mail_language): subject, intro and outro are msgids
 * (N_()), translated here in that language; "{address}" in intro stands
 * for address (NULL when it has none).  0 or -1.
 */
int accounts_send_link_mail(struct req *r, const char *to, const char *name,
			    const char *subject, const char *intro,
			    const char *link, const char *outro,
			    const char *address);
/* The same, for mail the secretariat sends someone (the people desk): in
 * the language of the account at `to`, else the one it last wrote in,
 * else the site's default -- never the secretariat's own. */
int accounts_send_link_mail_for(struct req *r, const char *to, const char *name,
				const char *subject, const char *intro,
				const char *link, const char *outro);
/* Starts a session for person, replacing the current one, and redirects
 * to next (a local path) or /account.  0 or -1. */
int accounts_sign_in(struct req *r, struct resp *w, int64_t person,
		     const char *next);
/* next when it is a path on this site ("/members?page=2"), else
 * otherwise: never an open redirect. */
const char *accounts_local_path(const char *next, const char *otherwise);
/* How long the lang cookie keeps a choice: a year. */
#define LANG_COOKIE_AGE (365 * 24 * 3600)
/* Sets the lang cookie to code, the language the core reads first for
 * this browser's requests, or removes it (NULL: the account's language, then
 * the browser's, decide).  language.c. */
void accounts_set_lang_cookie(struct req *r, const char *code);
/* Counts an e-mail of rule (public_limits.h) to address from this client: 0
 * when it may be sent, else the seconds to wait (-1 on error). */
int accounts_mail_limited(struct req *r, const struct ratelimit_rule *rule,
			  const char *address);
/* The password as typed in field (FT_TEXT trims); "" when not sent. */
const char *accounts_typed_password(const struct req *r, const char *field);

/* The one field of a link's pages: ?token= or the button's token. */
extern const struct field accounts_token_fields[];
/* 410: the link has been used or is too old. */
void accounts_link_gone(struct resp *w);
/* Begins the change's transaction and uses the link of the form's token.
 * Returns 1 with the transaction open, or 0 when w holds the answer. */
int accounts_use_link_or_respond(struct req *r, struct resp *w,
				 const char *purpose, int64_t *person,
				 const char **data);
/* Whether the link in ?token= can still be used; 0 when w holds the
 * answer. */
int accounts_link_valid_or_respond(struct req *r, struct resp *w,
				   const char *purpose);
/* A page with a button that uses the link in ?token= (GET), or says the
 * link cannot be used. */
void accounts_confirm_page(struct req *r, struct resp *w, const char *purpose,
			   const char *title, const char *lead,
			   const char *action, const char *button);

/* ---- settings.c ---- */

/* Sets person's password hash, ends all their sessions but keep_session
 * (NULL: all), revokes all their API tokens, records it.  0 or -1. */
int accounts_set_password(struct req *r, int64_t person, const char *hash,
			  const char *keep_session);

/* ---- people.c and invite.c: the secretariat's people desk ---- */

/* People invited a press of "Invite them": each is a few rows (link,
 * letter, audit record); the outbox's job sends the mail later. */
#define PEOPLE_BULK_BATCH 200

enum stmt_people {
	P_COUNT,
	P_LIST,
	P_PERSON,
	P_INVITATION,
	P_PERSON_ROLE,
	P_ADMINS_ACTIVE,
	P_SET_ROLE,
	P_INVITED,
	P_NEVER_COUNT,
	P_NEVER_LIST,
	P_CLAIM,
	P__MAX,
};

/* The desk's statements (people.c). */
extern struct db_sql accounts_people_sql;
/* 404: there is no such person. */
void accounts_no_such_person(struct resp *w);
/* The person page of id, with ?done=what when what is not NULL; in r's
 * arena. */
const char *accounts_person_href(struct req *r, int64_t id, const char *what);
/* Loads person id for their page into *out (new reference): the row
 * with words for role, state and language, their roles elsewhere and
 * their pending invitation.  1, 0 when there is no such person, -1. */
int accounts_person_model(struct req *r, int64_t id, json_t **out);
/* Answers with the person page of id: status, an error message (NULL:
 * none) and the notice of ?done=. */
void accounts_person_page(struct req *r, struct resp *w, int64_t id, int status,
			  const char *message);

#endif
