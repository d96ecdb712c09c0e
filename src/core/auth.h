/*
 * auth.h -- who is asking: passwords, sessions, one-time links, API
 * tokens, CSRF tokens and the permission check.
 *
 * Everything secret is random from libsodium and stored only as a SHA-256
 * digest, so a copy of the database lets nobody in, and every node can
 * check every request (no state in the process).  Passwords are argon2id
 * (OWASP's minimum: 19 MiB, 2 passes).  CSRF tokens are an HMAC of the
 * session (or, before sign-in, of a random cookie) under a key kept in the
 * settings table, so they need no storage either.
 *
 * The core calls auth_load_or_respond() for every request before access is
 * checked; features ask auth_can().
 */
#ifndef ALLIANCE_AUTH_H
#define ALLIANCE_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "http.h"

#define AUTH_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */
#define AUTH_HASH_LEN 64  /* SHA-256 in hex */

enum role { ROLE_NONE = 0, ROLE_MEMBER = 1, ROLE_EDITOR = 2, ROLE_ADMIN = 3 };

struct person {
	int64_t id;
	const char *name;
	const char *email;
	enum role role;
	int verified;
	const char *language; /* the saved language code ("fr"), or NULL:
				 then the request's own (i18n.h) */
	int has_password;     /* a password is set (an invited person's
				 is not, until they choose one) */
};

extern struct db_sql auth_sql;

/* Loads (or creates, on first start) the CSRF key. 0 or -1. */
int auth_init(struct db *db);

/* "member", "editor", "admin" <-> enum role; ROLE_NONE when unknown. */
enum role auth_role_from_name(const char *name);
const char *auth_role_name(enum role r);
/* The role as people read it, in the current language: "Standard
 * account" (a role on this site, which says nothing of membership of the
 * Alliance), "Editor", "Administrator"; "Visitor" for ROLE_NONE. */
const char *auth_role_label(enum role r);

/* Passwords. hash must hold AUTH_PWHASH_MAX bytes. 0 or -1 (no memory). */
#define AUTH_PWHASH_MAX 128
int auth_password_hash(const char *password, char *hash);
/* 1 when password matches hash, else 0 (also for a NULL hash or
 * password). */
int auth_password_check(const char *hash, const char *password);
/* At most n hashes or checks at once in this process (0: no limit, the
 * default); more callers wait for a slot.  Set once by serve. */
void auth_password_slots(unsigned n);

/* A fresh random token (AUTH_TOKEN_LEN chars + NUL) and its digest. */
void auth_token_new(char token[AUTH_TOKEN_LEN + 1]);
void auth_token_digest(const char *token, char hex[AUTH_HASH_LEN + 1]);

/* Sessions.  Creates one for person and gives the cookie's token. */
int auth_session_create(struct db *db, int64_t person, const char *client,
			const char *user_agent, int64_t now,
			char token[AUTH_TOKEN_LEN + 1]);
/* Ends one session by its digest, or all of a person's sessions but keep
 * (a digest, or NULL for all).  0 or -1. */
int auth_session_end(struct db *db, const char *hash);
int auth_sessions_end_others(struct db *db, int64_t person, const char *keep);
/* A person's sessions as JSON rows {id, created_at, last_seen_at, client,
 * user_agent, current}. */
json_t *auth_sessions_list(struct db *db, int64_t person, const char *current);
/* Ends session id if it belongs to person. 1 ended, 0 not found, -1. */
int auth_session_end_by_id(struct db *db, int64_t person, int64_t id);

/* One-time links: purpose "verify", "reset", "email" or "signin".
 * auth_link_create replaces the person's unused links of that purpose. */
int auth_link_create(struct db *db, int64_t person, const char *purpose,
		     const char *data, int ttl, int64_t now,
		     char token[AUTH_TOKEN_LEN + 1]);
/* Checks a link without using it: 1 valid (person and data filled, data
 * allocated from a), 0 not valid (unknown, used or expired), -1 error. */
int auth_link_peek(struct db *db, const char *token, const char *purpose,
		   int64_t now, struct arena *a, int64_t *person,
		   const char **data);
/* Uses a link: 1 when this call used it (it works once), 0 when it was
 * not valid, -1 on error.  Call inside the transaction of the change. */
int auth_link_use(struct db *db, const char *token, const char *purpose,
		  int64_t now, struct arena *a, int64_t *person,
		  const char **data);

/* API tokens: creates one named name; the token is shown once. */
int64_t auth_api_token_create(struct db *db, int64_t person, const char *name,
			      int64_t now, char token[AUTH_TOKEN_LEN + 1]);
int auth_api_token_revoke(struct db *db, int64_t person, int64_t id,
			  int64_t now);
/* Revokes all of person's API tokens (with a new password).  0 or -1. */
int auth_api_tokens_revoke_all(struct db *db, int64_t person, int64_t now);
json_t *auth_api_tokens_list(struct db *db, int64_t person);

/* Loads a person by id or e-mail into p (strings in a). 1, 0 none, -1. */
int auth_person_by_id(struct db *db, int64_t id, struct arena *a,
		      struct person *p);
int auth_person_by_email(struct db *db, const char *email, struct arena *a,
			 struct person *p, const char **password_hash);

/*
 * Reads the credentials of r (Authorization: Bearer, else the session
 * cookie), fills r->person, r->session_hash and r->csrf_token, ends
 * expired sessions, and checks the CSRF token of unsafe methods sent with
 * cookies.  Returns 0 to go on, or -1 when it has filled w with the answer
 * (403 for a missing or wrong CSRF token, 401 for a bad API token).
 */
int auth_load_or_respond(struct req *r, struct resp *w, int64_t now);

/* Makes sure a visitor showing a form has a CSRF cookie and token. */
void auth_ensure_csrf(struct req *r);

/*
 * The permission check on objects: may p do action on the object
 * (object_type, object_id)?  Features declare what each action needs as
 * rules: a global role, or a role on the object itself ("chair" of the
 * working party "victims").  Administrators may do everything; an action
 * without a rule is refused (default deny).  1 yes, 0 no, -1 error.
 */
struct auth_rule {
	const char *action;      /* "party.edit" */
	enum role global;        /* this global role or above suffices;
				    ROLE_NONE: no global role does */
	const char *object_role; /* or one of these roles on the object,
				    separated by spaces ("chair co-chair");
				    NULL: none */
};
/* Adds rules (kept by pointer) before serving; later rules of the same
 * action are ignored. */
void auth_register_rules(const struct auth_rule *rules, size_t n);
/* The rule registered for action, or NULL (then only admins may). */
const struct auth_rule *auth_rule_of(const char *action);
int auth_permits(struct db *db, const struct person *p, const char *action,
		 const char *object_type, const char *object_id);
/* Grants or takes back a role on an object. 0 or -1. */
int auth_grant(struct db *db, int64_t person, const char *object_type,
	       const char *object_id, const char *role, int64_t now);
int auth_revoke(struct db *db, int64_t person, const char *object_type,
		const char *object_id, const char *role);

/* May r's person call a route open to who?  1 yes, 0 no. */
int auth_can(const struct person *p, enum access who);

/* The cookie names (with the __Host- prefix behind TLS). */
const char *auth_session_cookie(void);
const char *auth_csrf_cookie(void);
/* Adds Set-Cookie for name=value (value NULL: delete it) to r. */
void auth_set_cookie(struct req *r, const char *name, const char *value,
		     int max_age);

#endif
