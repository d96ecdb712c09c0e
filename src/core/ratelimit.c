/*
 * ratelimit.c -- see ratelimit.h.  One row of rate_limits per key
 * (migration core/0007_audit_ratelimit.sql): when its window started and
 * how many events were counted in it.  A window opens with the first event
 * after the previous one ended and lasts `window` seconds.
 *
 * A hit is a single upsert, so two nodes counting the same key at once
 * cannot both slip under the limit: the row is inserted (first event),
 * restarted (the window has passed) or incremented (still under the
 * limit); when none of these applies the DO UPDATE's WHERE is false, no
 * row changes, and that is how a refusal is recognised.  INSERT ... ON
 * CONFLICT (key) DO UPDATE ... WHERE is the same in SQLite (>= 3.24) and
 * PostgreSQL, and so is the change count it leaves.  Nothing here opens a
 * transaction, so a hit may sit inside the caller's.
 */
#include "ratelimit.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>

#include "i18n.h"

enum stmt_ratelimit {
	STMT_RL_HIT,
	STMT_RL_GET,
	STMT_RL_CLEAR,
	STMT_RL_PRUNE,
	STMT_RL__MAX,
};

static const char *const ratelimit_sql_text[STMT_RL__MAX] = {
	/* binds: key, now, n, window, window, window, limit; the count
	 * after a hit is excluded.count + the old count, so n is bound once */
	[STMT_RL_HIT] =
		"INSERT INTO rate_limits (key, window_start, count)"
		" VALUES (?, ?, ?)"
		" ON CONFLICT (key) DO UPDATE SET"
		" window_start = CASE"
		"  WHEN rate_limits.window_start + ? <= excluded.window_start"
		"  THEN excluded.window_start ELSE rate_limits.window_start END,"
		" count = CASE"
		"  WHEN rate_limits.window_start + ? <= excluded.window_start"
		"  THEN excluded.count ELSE rate_limits.count + excluded.count"
		"  END"
		" WHERE rate_limits.window_start + ? <= excluded.window_start"
		" OR rate_limits.count + excluded.count <= ?",
	[STMT_RL_GET] =
		"SELECT window_start, count FROM rate_limits WHERE key = ?",
	[STMT_RL_CLEAR] = "DELETE FROM rate_limits WHERE key = ?",
	[STMT_RL_PRUNE] = "DELETE FROM rate_limits WHERE window_start < ?",
};

struct db_sql ratelimit_sql = {"ratelimit", ratelimit_sql_text, STMT_RL__MAX,
			       0};

/*
 * The seconds to wait for key at now before n more fit under limit per
 * window, from its row (0 when there is none, its window has passed or
 * n more fit).
 * A clock that went back between nodes could put the end of the window
 * more than a window away; the answer never exceeds window.  -1 on error.
 */
static int
wait_for(struct db *db, const char *key, int n, int limit, int window,
	 int64_t now)
{
	struct db_stmt *st = db_stmt(db, &ratelimit_sql, STMT_RL_GET);
	int64_t start, count, left;
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return -1;
	start = db_col_int(st, 0);
	count = db_col_int(st, 1);
	db_reset(st);
	left = start + window - now;
	if (left <= 0 || count + n <= limit)
		return 0;
	return left > window ? window : (int)left;
}

/* Counts n events; see ratelimit.h.  n, limit and window are the
 * caller's and must be positive, n at most limit. */
int
ratelimit_add(struct db *db, const char *key, int n, int limit, int window,
	      int64_t now)
{
	struct db_stmt *st;
	int left;

	assert(key != NULL && n > 0 && n <= limit && window > 0);
	st = db_stmt(db, &ratelimit_sql, STMT_RL_HIT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, n);
	db_bind_int(st, 4, window);
	db_bind_int(st, 5, window);
	db_bind_int(st, 6, window);
	db_bind_int(st, 7, limit);
	if (db_run(st) != 0)
		return -1;
	if (db_changes(db) > 0)
		return 0;
	/* refused: n more do not fit and the window is still running */
	left = wait_for(db, key, n, limit, window, now);
	if (left < 0)
		return -1;
	return left > 0 ? left : 1;
}

/* Counts one event; see ratelimit.h. */
int
ratelimit_hit(struct db *db, const char *key, int limit, int window,
	      int64_t now)
{
	return ratelimit_add(db, key, 1, limit, window, now);
}

/*
 * Counts one use of rule by client and for address (its key lower case);
 * see ratelimit.h.  The
 * client is counted first, and the address only when the client is
 * within its limit, so one refused client does not use up an address.
 */
int
ratelimit_hit_rule(struct db *db, const struct ratelimit_rule *rule,
		   const char *client, const char *address, int64_t now)
{
	char key[512];
	int c = 0, a = 0;

	assert(rule != NULL && rule->kind != NULL);
	if (client != NULL && rule->per_client > 0) {
		snprintf(key, sizeof(key), "%s:client:%s", rule->kind, client);
		c = ratelimit_hit(db, key, rule->per_client, rule->window, now);
	}
	if (c == 0 && address != NULL && rule->per_address > 0) {
		snprintf(key, sizeof(key), "%s:addr:%s", rule->kind, address);
		/* one mailbox whatever the case it is typed in */
		for (char *k = key; *k; k++)
			*k = (char)tolower((unsigned char)*k);
		a = ratelimit_hit(db, key, rule->per_address, rule->window,
				  now);
	}
	if (c < 0 || a < 0)
		return -1;
	return c > a ? c : a;
}

/* "3 minutes", "2 hours" for a wait in seconds; see ratelimit.h. */
const char *
ratelimit_wait_words(int seconds, char *buf, size_t len)
{
	int minutes = (seconds + 59) / 60;

	int hours = (minutes + 59) / 60;
	struct buf b = BUF_INIT;
	char n[16];

	snprintf(n, sizeof(n), "%d", minutes <= 90 ? minutes : hours);
	if (minutes <= 90)
		i18n_format(
			&b,
			_n("{n} minute", "{n} minutes", (unsigned long)minutes),
			"n", n, NULL);
	else
		i18n_format(&b,
			    _n("{n} hour", "{n} hours", (unsigned long)hours),
			    "n", n, NULL);
	snprintf(buf, len, "%s", buf_cstr(&b));
	buf_free(&b);
	return buf;
}

/* See ratelimit.h. */
int
ratelimit_peek(struct db *db, const char *key, int limit, int window,
	       int64_t now)
{
	assert(key != NULL && limit > 0 && window > 0);
	return wait_for(db, key, 1, limit, window, now);
}

/* See ratelimit.h. */
int
ratelimit_clear(struct db *db, const char *key)
{
	struct db_stmt *st = db_stmt(db, &ratelimit_sql, STMT_RL_CLEAR);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	return db_run(st);
}

/* See ratelimit.h. */
int
ratelimit_prune(struct db *db, int64_t before)
{
	struct db_stmt *st = db_stmt(db, &ratelimit_sql, STMT_RL_PRUNE);
	int64_t n;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, before);
	if (db_run(st) != 0)
		return -1;
	n = db_changes(db);
	return n > INT32_MAX ? INT32_MAX : (int)n;
}
