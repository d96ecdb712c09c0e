/*
 * auth.c -- see auth.h.
 *
 * Tokens: 32 bytes from randombytes_buf, base64url; only their SHA-256 is
 * stored.  Sessions: a row per signed-in browser with created_at and
 * last_seen_at; a session past the idle or absolute limit is deleted when
 * next seen.  last_seen_at is written at most once a minute per session,
 * so reading pages does not turn into a write per request.  One-time links
 * are used with a single UPDATE ... WHERE used_at IS NULL AND expires_at >
 * now, so two clicks can never both succeed.
 */
#include "auth.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

enum stmt_auth {
	A_SETTING_GET,
	A_SETTING_PUT,
	A_SESSION_INSERT,
	A_SESSION_LOAD,
	A_SESSION_TOUCH,
	A_SESSION_DELETE,
	A_SESSION_DELETE_OTHERS,
	A_SESSION_LIST,
	A_SESSION_DELETE_ID,
	A_LINK_CLEAR,
	A_LINK_INSERT,
	A_LINK_PEEK,
	A_LINK_USE,
	A_TOKEN_INSERT,
	A_TOKEN_REVOKE,
	A_TOKEN_REVOKE_ALL,
	A_TOKEN_LIST,
	A_TOKEN_LOAD,
	A_TOKEN_TOUCH,
	A_PERSON_BY_ID,
	A_PERSON_BY_EMAIL,
	A_OBJECT_ROLE,
	A_GRANT,
	A_REVOKE,
	A__MAX,
};

#define PERSON_COLS                                                            \
	"id, name, email, role, email_verified_at IS NOT NULL, language,"    \
	" password_hash IS NOT NULL"

static const char *const auth_sql_text[A__MAX] = {
	[A_SETTING_GET] = "SELECT value FROM settings WHERE key = ?",
	[A_SETTING_PUT] = "INSERT INTO settings (key, value) VALUES (?, ?)"
			  " ON CONFLICT (key) DO NOTHING",
	[A_SESSION_INSERT] = "INSERT INTO sessions (hash, person_id, created_at,"
			     " last_seen_at, client, user_agent)"
			     " VALUES (?, ?, ?, ?, ?, ?)",
	[A_SESSION_LOAD] =
		"SELECT s.id, s.created_at, s.last_seen_at, p.id, p.name,"
		" p.email, p.role, p.email_verified_at IS NOT NULL, p.language,"
		" p.password_hash IS NOT NULL"
		" FROM sessions s JOIN people p ON p.id = s.person_id"
		" WHERE s.hash = ? AND p.disabled_at IS NULL",
	[A_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = ? WHERE id = ?",
	[A_SESSION_DELETE] = "DELETE FROM sessions WHERE hash = ?",
	[A_SESSION_DELETE_OTHERS] = "DELETE FROM sessions WHERE person_id = ?"
				    " AND hash <> coalesce(?, '')",
	[A_SESSION_LIST] = "SELECT id, created_at, last_seen_at, client,"
			   " user_agent, hash = coalesce(?, '') AS current"
			   " FROM sessions WHERE person_id = ?"
			   " ORDER BY last_seen_at DESC",
	[A_SESSION_DELETE_ID] = "DELETE FROM sessions WHERE id = ?"
				" AND person_id = ?",
	[A_LINK_CLEAR] = "DELETE FROM one_time_tokens WHERE person_id = ?"
			 " AND purpose = ? AND used_at IS NULL",
	[A_LINK_INSERT] = "INSERT INTO one_time_tokens (hash, person_id,"
			  " purpose, data, created_at, expires_at)"
			  " VALUES (?, ?, ?, ?, ?, ?)",
	[A_LINK_PEEK] = "SELECT person_id, data FROM one_time_tokens"
			" WHERE hash = ? AND purpose = ? AND used_at IS NULL"
			" AND expires_at > ?",
	[A_LINK_USE] = "UPDATE one_time_tokens SET used_at = ?"
		       " WHERE hash = ? AND purpose = ? AND used_at IS NULL"
		       " AND expires_at > ?",
	[A_TOKEN_INSERT] = "INSERT INTO api_tokens (person_id, name, hash,"
			   " created_at) VALUES (?, ?, ?, ?)",
	[A_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked_at = ? WHERE id = ?"
			   " AND person_id = ? AND revoked_at IS NULL",
	[A_TOKEN_REVOKE_ALL] = "UPDATE api_tokens SET revoked_at = ?"
			       " WHERE person_id = ? AND revoked_at IS NULL",
	[A_TOKEN_LIST] = "SELECT id, name, created_at, last_used_at, revoked_at"
			 " FROM api_tokens WHERE person_id = ?"
			 " ORDER BY created_at DESC, id DESC",
	[A_TOKEN_LOAD] =
		"SELECT t.id, t.last_used_at, p.id, p.name, p.email, p.role,"
		" p.email_verified_at IS NOT NULL, p.language,"
		" p.password_hash IS NOT NULL"
		" FROM api_tokens t JOIN people p ON p.id = t.person_id"
		" WHERE t.hash = ? AND t.revoked_at IS NULL"
		" AND p.disabled_at IS NULL",
	[A_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = ? WHERE id = ?",
	[A_PERSON_BY_ID] = "SELECT " PERSON_COLS ", password_hash FROM people"
			   " WHERE id = ? AND disabled_at IS NULL",
	[A_PERSON_BY_EMAIL] = "SELECT " PERSON_COLS ", password_hash"
			      " FROM people WHERE email = ?"
			      " AND disabled_at IS NULL",
	/* the person's roles on the object (a few rows at most) */
	[A_OBJECT_ROLE] = "SELECT role FROM object_roles WHERE person_id = ?"
			  " AND object_type = ? AND object_id = ?",
	[A_GRANT] = "INSERT INTO object_roles (person_id, object_type,"
		    " object_id, role, granted_at) VALUES (?, ?, ?, ?, ?)"
		    " ON CONFLICT DO NOTHING",
	[A_REVOKE] = "DELETE FROM object_roles WHERE person_id = ?"
		     " AND object_type = ? AND object_id = ? AND role = ?",
};

struct db_sql auth_sql = {"auth", auth_sql_text, A__MAX, 0};

static unsigned char csrf_key[crypto_auth_hmacsha256_KEYBYTES];

int
auth_init(struct db *db)
{
	struct db_stmt *st;
	unsigned char fresh[sizeof(csrf_key)];
	char hex[2 * sizeof(csrf_key) + 1];
	const char *v;
	size_t len = 0;
	int rc;

	/* insert a new key unless one exists, then read whichever won */
	randombytes_buf(fresh, sizeof(fresh));
	sodium_bin2hex(hex, sizeof(hex), fresh, sizeof(fresh));
	if ((st = db_stmt(db, &auth_sql, A_SETTING_PUT)) == NULL)
		return -1;
	db_bind_text(st, 1, "csrf_key");
	db_bind_text(st, 2, hex);
	if (db_run(st) != 0)
		return -1;
	if ((st = db_stmt(db, &auth_sql, A_SETTING_GET)) == NULL)
		return -1;
	db_bind_text(st, 1, "csrf_key");
	if (db_step(st) != DB_ROW)
		return -1;
	v = db_col_text(st, 0);
	rc = sodium_hex2bin(csrf_key, sizeof(csrf_key), v, strlen(v), NULL,
			    &len, NULL);
	db_reset(st);
	return rc == 0 && len == sizeof(csrf_key) ? 0 : -1;
}

enum role
auth_role_from_name(const char *name)
{
	if (name == NULL)
		return ROLE_NONE;
	if (strcmp(name, "member") == 0)
		return ROLE_MEMBER;
	if (strcmp(name, "editor") == 0)
		return ROLE_EDITOR;
	if (strcmp(name, "admin") == 0)
		return ROLE_ADMIN;
	return ROLE_NONE;
}

const char *
auth_role_name(enum role r)
{
	switch (r) {
	case ROLE_MEMBER: return "member";
	case ROLE_EDITOR: return "editor";
	case ROLE_ADMIN: return "admin";
	default: return "visitor";
	}
}

const char *
auth_role_label(enum role r)
{
	switch (r) {
	/* TRANSLATORS: the role of an account with no secretariat rights;
	 * not a member of the Alliance, which is a membership */
	case ROLE_MEMBER:
		return _("Standard account");
	case ROLE_EDITOR:
		return _("Editor");
	case ROLE_ADMIN:
		return _("Administrator");
	default:
		return _("Visitor");
	}
}

/* OWASP's minimum for argon2id: 19 MiB of memory, 2 passes. */
#define PW_OPS 2
#define PW_MEM (19u * 1024 * 1024)

/*
 * The hashing gate: a counting semaphore around every argon2id call, so
 * the hashing the process does at once never exceeds what
 * auth_password_slots() allows, whichever thread asks (0: no limit, for
 * the commands).  serve gives it as many slots as it has hashing threads
 * (offload.h), so the gate only ever makes a request wait when a route
 * hashes outside them.
 */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_free = PTHREAD_COND_INITIALIZER;
static unsigned gate_slots, gate_busy;

void
auth_password_slots(unsigned n)
{
	pthread_mutex_lock(&gate_lock);
	gate_slots = n;
	pthread_cond_broadcast(&gate_free);
	pthread_mutex_unlock(&gate_lock);
}

static void
gate_enter(void)
{
	pthread_mutex_lock(&gate_lock);
	while (gate_slots && gate_busy >= gate_slots)
		pthread_cond_wait(&gate_free, &gate_lock);
	gate_busy++;
	pthread_mutex_unlock(&gate_lock);
}

static void
gate_leave(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_busy--;
	pthread_cond_signal(&gate_free);
	pthread_mutex_unlock(&gate_lock);
}

int
auth_password_hash(const char *password, char *hash)
{
	int rc;

	_Static_assert(crypto_pwhash_STRBYTES <= AUTH_PWHASH_MAX,
		       "AUTH_PWHASH_MAX too small");
	gate_enter();
	rc = crypto_pwhash_str_alg(hash, password, strlen(password), PW_OPS,
				   PW_MEM, crypto_pwhash_ALG_ARGON2ID13);
	gate_leave();
	return rc;
}

int
auth_password_check(const char *hash, const char *password)
{
	int ok;

	if (hash == NULL || *hash == '\0' || password == NULL)
		return 0;
	gate_enter();
	ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	gate_leave();
	return ok;
}

void
auth_token_new(char token[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
auth_token_digest(const char *token, char hex[AUTH_HASH_LEN + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, AUTH_HASH_LEN + 1, h, sizeof(h));
}

int
auth_session_create(struct db *db, int64_t person, const char *client,
		    const char *user_agent, int64_t now,
		    char token[AUTH_TOKEN_LEN + 1])
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_SESSION_INSERT);
	char hex[AUTH_HASH_LEN + 1];

	if (st == NULL)
		return -1;
	auth_token_new(token);
	auth_token_digest(token, hex);
	db_bind_text(st, 1, hex);
	db_bind_int(st, 2, person);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, client ? client : "-");
	/* a user agent is only shown back to its owner: keep it short, and
	 * never cut a character in two */
	db_bind_textn(st, 6, user_agent ? user_agent : "",
		      user_agent ? utf8_cut(user_agent, strlen(user_agent), 200)
				 : 0);
	return db_run(st);
}

int
auth_session_end(struct db *db, const char *hash)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_SESSION_DELETE);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash);
	return db_run(st);
}

int
auth_sessions_end_others(struct db *db, int64_t person, const char *keep)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_SESSION_DELETE_OTHERS);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, person);
	db_bind_text(st, 2, keep);
	return db_run(st);
}

json_t *
auth_sessions_list(struct db *db, int64_t person, const char *current)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_SESSION_LIST);

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, current);
	db_bind_int(st, 2, person);
	return db_all_json(st);
}

int
auth_session_end_by_id(struct db *db, int64_t person, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_SESSION_DELETE_ID);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, person);
	if (db_run(st) != 0)
		return -1;
	return db_changes(db) > 0;
}

int
auth_link_create(struct db *db, int64_t person, const char *purpose,
		 const char *data, int ttl, int64_t now,
		 char token[AUTH_TOKEN_LEN + 1])
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_LINK_CLEAR);
	char hex[AUTH_HASH_LEN + 1];

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, person);
	db_bind_text(st, 2, purpose);
	if (db_run(st) != 0 ||
	    (st = db_stmt(db, &auth_sql, A_LINK_INSERT)) == NULL)
		return -1;
	auth_token_new(token);
	auth_token_digest(token, hex);
	db_bind_text(st, 1, hex);
	db_bind_int(st, 2, person);
	db_bind_text(st, 3, purpose);
	db_bind_text(st, 4, data);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now + ttl);
	return db_run(st);
}

int
auth_link_peek(struct db *db, const char *token, const char *purpose,
	       int64_t now, struct arena *a, int64_t *person, const char **data)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_LINK_PEEK);
	char hex[AUTH_HASH_LEN + 1];
	int rc;

	if (st == NULL)
		return -1;
	auth_token_digest(token, hex);
	db_bind_text(st, 1, hex);
	db_bind_text(st, 2, purpose);
	db_bind_int(st, 3, now);
	rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	*person = db_col_int(st, 0);
	if (data)
		*data = db_col_text(st, 1)
				? arena_strdup(a, db_col_text(st, 1))
				: NULL;
	db_reset(st);
	return 1;
}

int
auth_link_use(struct db *db, const char *token, const char *purpose,
	      int64_t now, struct arena *a, int64_t *person, const char **data)
{
	struct db_stmt *st;
	char hex[AUTH_HASH_LEN + 1];
	int rc = auth_link_peek(db, token, purpose, now, a, person, data);

	if (rc != 1)
		return rc;
	if ((st = db_stmt(db, &auth_sql, A_LINK_USE)) == NULL)
		return -1;
	auth_token_digest(token, hex);
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, hex);
	db_bind_text(st, 3, purpose);
	db_bind_int(st, 4, now);
	if (db_run(st) != 0)
		return -1;
	return db_changes(db) == 1;
}

int64_t
auth_api_token_create(struct db *db, int64_t person, const char *name,
		      int64_t now, char token[AUTH_TOKEN_LEN + 1])
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_TOKEN_INSERT);
	char hex[AUTH_HASH_LEN + 1];

	if (st == NULL)
		return -1;
	auth_token_new(token);
	auth_token_digest(token, hex);
	db_bind_int(st, 1, person);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, hex);
	db_bind_int(st, 4, now);
	if (db_run(st) != 0)
		return -1;
	return db_last_id(db);
}

int
auth_api_token_revoke(struct db *db, int64_t person, int64_t id, int64_t now)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_TOKEN_REVOKE);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, person);
	if (db_run(st) != 0)
		return -1;
	return db_changes(db) > 0;
}

/* Revokes every API token of person still in use (a new password ends
 * them all).  0 or -1. */
int
auth_api_tokens_revoke_all(struct db *db, int64_t person, int64_t now)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_TOKEN_REVOKE_ALL);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, person);
	return db_run(st);
}

json_t *
auth_api_tokens_list(struct db *db, int64_t person)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_TOKEN_LIST);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, person);
	return db_all_json(st);
}

/* Fills p from columns first.. (id, name, email, role, verified,
 * language, has a password). */
static void
person_from_row(struct db_stmt *st, int first, struct arena *a,
		struct person *p)
{
	p->id = db_col_int(st, first);
	p->name = arena_strdup(a, db_col_text(st, first + 1));
	p->email = arena_strdup(a, db_col_text(st, first + 2));
	p->role = auth_role_from_name(db_col_text(st, first + 3));
	p->verified = (int)db_col_int(st, first + 4);
	p->language = db_col_text(st, first + 5)
			      ? arena_strdup(a, db_col_text(st, first + 5))
			      : NULL;
	p->has_password = (int)db_col_int(st, first + 6);
}

int
auth_person_by_id(struct db *db, int64_t id, struct arena *a, struct person *p)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_PERSON_BY_ID);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	person_from_row(st, 0, a, p);
	db_reset(st);
	return 1;
}

int
auth_person_by_email(struct db *db, const char *email, struct arena *a,
		     struct person *p, const char **password_hash)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, A_PERSON_BY_EMAIL);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	person_from_row(st, 0, a, p);
	if (password_hash)
		*password_hash = db_col_text(st, 7)
					 ? arena_strdup(a, db_col_text(st, 7))
					 : NULL;
	db_reset(st);
	return 1;
}

const char *
auth_session_cookie(void)
{
	return config_current && config_current->behind_tls ? "__Host-session"
							    : "session";
}

const char *
auth_csrf_cookie(void)
{
	return config_current && config_current->behind_tls ? "__Host-csrf"
							    : "csrf";
}

void
auth_set_cookie(struct req *r, const char *name, const char *value,
		int max_age)
{
	int tls = config_current && config_current->behind_tls;

	if (r->nset_cookie == ARRAY_LEN(r->set_cookie))
		return;
	r->set_cookie[r->nset_cookie++] = arena_printf(
		r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
		name, value ? value : "", tls ? "; Secure" : "",
		value == NULL		? "; Max-Age=0"
		: max_age > 0		? arena_printf(r->arena, "; Max-Age=%d",
						       max_age)
					: "");
}

/* The CSRF token bound to binding (a session digest or a visitor's
 * cookie), hex, in r's arena. */
static const char *
csrf_for(struct req *r, const char *kind, const char *binding)
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *hex = arena_alloc(r->arena, 2 * sizeof(mac) + 1);

	crypto_auth_hmacsha256_init(&st, csrf_key, sizeof(csrf_key));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)kind,
				      strlen(kind) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)binding,
				      strlen(binding));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, 2 * sizeof(mac) + 1, mac, sizeof(mac));
	return hex;
}

void
auth_ensure_csrf(struct req *r)
{
	char token[AUTH_TOKEN_LEN + 1];

	if (r->csrf_token || r->via_token)
		return;
	auth_token_new(token);
	auth_set_cookie(r, auth_csrf_cookie(), token, 0);
	r->csrf_token = csrf_for(r, "visitor", token);
}

/* Loads the person behind a bearer token. 1, 0 unknown, -1 error. */
static int
load_api_token(struct req *r, const char *token, int64_t now)
{
	struct db_stmt *st = db_stmt(r->db, &auth_sql, A_TOKEN_LOAD);
	char hex[AUTH_HASH_LEN + 1];
	struct person *p;
	int64_t id, used;
	int rc;

	if (st == NULL)
		return -1;
	auth_token_digest(token, hex);
	db_bind_text(st, 1, hex);
	rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	id = db_col_int(st, 0);
	used = db_col_int(st, 1);
	p = arena_alloc(r->arena, sizeof(*p));
	person_from_row(st, 2, r->arena, p);
	db_reset(st);
	r->person = p;
	r->via_token = 1;
	if (now - used >= 60 && (st = db_stmt(r->db, &auth_sql,
					      A_TOKEN_TOUCH)) != NULL) {
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, id);
		db_run(st);
	}
	return 1;
}

/* Loads the session of the cookie.  1 signed in, 0 not (an expired or
 * unknown session also clears the cookie), -1 error. */
static int
load_session(struct req *r, const char *token, int64_t now)
{
	const struct config *c = config_current;
	struct db_stmt *st = db_stmt(r->db, &auth_sql, A_SESSION_LOAD);
	char *hex = arena_alloc(r->arena, AUTH_HASH_LEN + 1);
	int64_t id, created, seen;
	struct person *p;
	int rc;

	if (st == NULL)
		return -1;
	auth_token_digest(token, hex);
	db_bind_text(st, 1, hex);
	rc = db_step(st);
	if (rc == DB_ERROR)
		return -1;
	if (rc == DB_DONE) {
		auth_set_cookie(r, auth_session_cookie(), NULL, 0);
		return 0;
	}
	id = db_col_int(st, 0);
	created = db_col_int(st, 1);
	seen = db_col_int(st, 2);
	p = arena_alloc(r->arena, sizeof(*p));
	person_from_row(st, 3, r->arena, p);
	db_reset(st);
	if (now - seen > (int64_t)c->session_idle ||
	    now - created > (int64_t)c->session_max) {
		auth_session_end(r->db, hex);
		auth_set_cookie(r, auth_session_cookie(), NULL, 0);
		return 0;
	}
	/* written at most once a minute (or half the idle limit when that is
	 * shorter), so that reading pages is not a write per request */
	if (now - seen >= (c->session_idle / 2 < 60 ? c->session_idle / 2 : 60) &&
	    (st = db_stmt(r->db, &auth_sql, A_SESSION_TOUCH)) != NULL) {
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, id);
		db_run(st);
	}
	r->person = p;
	r->session_hash = hex;
	return 1;
}

static const char *
cookie(const struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int
auth_load_or_respond(struct req *r, struct resp *w, int64_t now)
{
	const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *sess, *visitor;
	int unsafe = r->method != HTTP_GET && r->method != HTTP_HEAD;

	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		int rc = load_api_token(r, authz + 7, now);

		if (rc == 1)
			return 0;
		resp_error(w, rc < 0 ? 500 : 401,
			   rc < 0 ? _("Something went wrong on our side.")
				  : _("The API token is not valid."));
		return -1;
	}
	if (unsafe && r->api) {
		resp_error(w, 401,
			   _("Writing through the API needs a personal API "
			     "token (Authorization: Bearer)."));
		return -1;
	}
	sess = cookie(r, auth_session_cookie());
	if (sess && load_session(r, sess, now) < 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return -1;
	}
	if (r->session_hash) {
		r->csrf_token = csrf_for(r, "session", r->session_hash);
	} else if ((visitor = cookie(r, auth_csrf_cookie())) != NULL &&
		   *visitor) {
		r->csrf_token = csrf_for(r, "visitor", visitor);
	}
	if (unsafe && !(r->route->flags & ROUTE_NO_CSRF)) {
		const char *sent = r->csrf_sent
					   ? r->csrf_sent
					   : req_header(r, "X-CSRF-Token");

		if (r->csrf_token == NULL || sent == NULL ||
		    strlen(sent) != strlen(r->csrf_token) ||
		    sodium_memcmp(sent, r->csrf_token, strlen(sent)) != 0) {
			resp_error(w, 403,
				   _("This form has expired or did not come "
				     "from this site. Go back, reload the page "
				     "and send it again."));
			return -1;
		}
	}
	return 0;
}

#define MAX_RULES 256
static const struct auth_rule *rules[MAX_RULES];
static size_t nrules;

void
auth_register_rules(const struct auth_rule *add, size_t n)
{
	for (size_t i = 0; i < n && nrules < MAX_RULES; i++)
		rules[nrules++] = &add[i];
}

const struct auth_rule *
auth_rule_of(const char *action)
{
	for (size_t i = 0; i < nrules; i++)
		if (strcmp(rules[i]->action, action) == 0)
			return rules[i];
	return NULL;
}

/* Whether word is one of the space-separated words of list. */
static int
word_in_list(const char *list, const char *word)
{
	size_t n = word ? strlen(word) : 0;

	if (n == 0)
		return 0;
	for (const char *s = list; *s;) {
		size_t len = strcspn(s, " ");

		if (len == n && memcmp(s, word, n) == 0)
			return 1;
		s += len;
		s += strspn(s, " ");
	}
	return 0;
}

int
auth_permits(struct db *db, const struct person *p, const char *action,
	     const char *object_type, const char *object_id)
{
	const struct auth_rule *rule = auth_rule_of(action);
	struct db_stmt *st;
	int rc;

	if (p == NULL || rule == NULL)
		return 0;
	if (p->role >= ROLE_ADMIN)
		return 1;
	if (rule->global != ROLE_NONE && p->role >= rule->global)
		return 1;
	if (rule->object_role == NULL || object_type == NULL ||
	    object_id == NULL)
		return 0;
	if ((st = db_stmt(db, &auth_sql, A_OBJECT_ROLE)) == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_text(st, 2, object_type);
	db_bind_text(st, 3, object_id);
	while ((rc = db_step(st)) == DB_ROW)
		if (word_in_list(rule->object_role, db_col_text(st, 0))) {
			db_reset(st);
			return 1;
		}
	return rc == DB_DONE ? 0 : -1;
}

/* Runs A_GRANT or A_REVOKE. */
static int
object_role_change(struct db *db, enum stmt_auth s, int64_t person,
		   const char *object_type, const char *object_id,
		   const char *role, int64_t now)
{
	struct db_stmt *st = db_stmt(db, &auth_sql, s);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, person);
	db_bind_text(st, 2, object_type);
	db_bind_text(st, 3, object_id);
	db_bind_text(st, 4, role);
	if (s == A_GRANT)
		db_bind_int(st, 5, now);
	return db_run(st);
}

int
auth_grant(struct db *db, int64_t person, const char *object_type,
	   const char *object_id, const char *role, int64_t now)
{
	return object_role_change(db, A_GRANT, person, object_type, object_id,
				  role, now);
}

int
auth_revoke(struct db *db, int64_t person, const char *object_type,
	    const char *object_id, const char *role)
{
	return object_role_change(db, A_REVOKE, person, object_type,
				  object_id, role, 0);
}

int
auth_can(const struct person *p, enum access who)
{
	switch (who) {
	case ACCESS_PUBLIC: return 1;
	case ACCESS_MEMBER: return p != NULL && p->role >= ROLE_MEMBER;
	case ACCESS_EDITOR: return p != NULL && p->role >= ROLE_EDITOR;
	case ACCESS_ADMIN: return p != NULL && p->role >= ROLE_ADMIN;
	}
	return 0;
}
