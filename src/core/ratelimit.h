/*
 * ratelimit.h -- counting attempts in the database, so every node sees
 * the same counts (failed sign-ins per account and per address, e-mails
 * sent per address).  Fixed windows: simple, and the answer says how long
 * to wait.
 */
#ifndef ALLIANCE_RATELIMIT_H
#define ALLIANCE_RATELIMIT_H

#include <stdint.h>

#include "db.h"

extern struct db_sql ratelimit_sql;

/*
 * Counts one event for key ("signin-fail:ip:203.0.113.7") at time now.
 * Returns 0 when the count in the current window of window seconds is
 * within limit, otherwise the seconds until the window ends (and the
 * event is not counted).  -1 on a database error.
 */
int ratelimit_hit(struct db *db, const char *key, int limit, int window,
		  int64_t now);
/* Seconds to wait before key may be counted again (0: free), without
 * counting; -1 on error. */
int ratelimit_peek(struct db *db, const char *key, int limit, int window,
		   int64_t now);
/* Forgets key (after a successful sign-in, say). 0 or -1. */
int ratelimit_clear(struct db *db, const char *key);
/* Forgets every key whose window started before `before` (unix seconds):
 * for a periodic job, with before = now - the longest window in use, so
 * per-address keys do not pile up.  The number of keys forgotten, or -1. */
int ratelimit_prune(struct db *db, int64_t before);

#endif
