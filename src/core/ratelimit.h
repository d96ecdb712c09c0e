/*
 * ratelimit.h -- counting attempts in the database, so every node sees
 * the same counts (failed sign-ins per account and per address, e-mails
 * sent per address).  Fixed windows: simple, and the answer says how long
 * to wait.
 */
#ifndef ALLIANCE_RATELIMIT_H
#define ALLIANCE_RATELIMIT_H

#include <stddef.h>
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
/* As ratelimit_hit, counting n events at once (bytes of uploads, say):
 * refused when n more would pass limit.  0 < n <= limit. */
int ratelimit_add(struct db *db, const char *key, int n, int limit, int window,
		  int64_t now);

/* How often one kind of write may be used per client address and per
 * target address (the address its mail goes to) in one window; a limit
 * of 0 is no limit. */
struct ratelimit_rule {
	const char *kind; /* the keys' prefix: "contact" */
	int per_client;
	int per_address;
	int window; /* seconds */
};

/*
 * Counts one use of rule by client for address (either may be NULL: not
 * counted) under the keys "KIND:client:CLIENT" and "KIND:addr:ADDRESS".
 * 0 when both are within their limits, otherwise the seconds to wait (and
 * the refused one is not counted); -1 on a database error.
 */
int ratelimit_hit_rule(struct db *db, const struct ratelimit_rule *rule,
		       const char *client, const char *address, int64_t now);
/* A wait for people: "1 minute", "45 minutes", "3 hours", written into
 * buf (len bytes) and returned. */
const char *ratelimit_wait_words(int seconds, char *buf, size_t len);

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
