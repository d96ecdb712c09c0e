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

enum stmt_ratelimit {
	STMT_RL_HIT,
	STMT_RL_GET,
	STMT_RL_CLEAR,
	STMT_RL_PRUNE,
	STMT_RL__MAX,
};

static const char *const ratelimit_sql_text[STMT_RL__MAX] = {
	/* binds: key, now, window, window, window, limit */
	[STMT_RL_HIT] =
		"INSERT INTO rate_limits (key, window_start, count)"
		" VALUES (?, ?, 1)"
		" ON CONFLICT (key) DO UPDATE SET"
		" window_start = CASE"
		"  WHEN rate_limits.window_start + ? <= excluded.window_start"
		"  THEN excluded.window_start ELSE rate_limits.window_start END,"
		" count = CASE"
		"  WHEN rate_limits.window_start + ? <= excluded.window_start"
		"  THEN 1 ELSE rate_limits.count + 1 END"
		" WHERE rate_limits.window_start + ? <= excluded.window_start"
		" OR rate_limits.count < ?",
	[STMT_RL_GET] =
		"SELECT window_start, count FROM rate_limits WHERE key = ?",
	[STMT_RL_CLEAR] = "DELETE FROM rate_limits WHERE key = ?",
	[STMT_RL_PRUNE] = "DELETE FROM rate_limits WHERE window_start < ?",
};

struct db_sql ratelimit_sql = {"ratelimit", ratelimit_sql_text, STMT_RL__MAX,
			       0};

/*
 * The seconds to wait for key at now under limit per window, from its row
 * (0 when there is none, its window has passed or it is under the limit).
 * A clock that went back between nodes could put the end of the window
 * more than a window away; the answer never exceeds window.  -1 on error.
 */
static int
wait_for(struct db *db, const char *key, int limit, int window, int64_t now)
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
	if (left <= 0 || count < limit)
		return 0;
	return left > window ? window : (int)left;
}

/* Counts one event; see ratelimit.h.  limit and window are the caller's
 * constants and must be positive. */
int
ratelimit_hit(struct db *db, const char *key, int limit, int window,
	      int64_t now)
{
	struct db_stmt *st;
	int left;

	assert(key != NULL && limit > 0 && window > 0);
	st = db_stmt(db, &ratelimit_sql, STMT_RL_HIT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, window);
	db_bind_int(st, 4, window);
	db_bind_int(st, 5, window);
	db_bind_int(st, 6, limit);
	if (db_run(st) != 0)
		return -1;
	if (db_changes(db) > 0)
		return 0;
	/* refused: the row is full and its window still running */
	left = wait_for(db, key, limit, window, now);
	if (left < 0)
		return -1;
	return left > 0 ? left : 1;
}

/* See ratelimit.h. */
int
ratelimit_peek(struct db *db, const char *key, int limit, int window,
	       int64_t now)
{
	assert(key != NULL && limit > 0 && window > 0);
	return wait_for(db, key, limit, window, now);
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
