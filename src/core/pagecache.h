/*
 * pagecache.h -- answers for visitors, kept per worker thread.
 *
 * A public GET page is the same bytes for every visitor until the
 * database changes, and building it (queries, view model, templates) costs
 * far more than sending it.  So a worker keeps the bytes of the 200
 * answers it built, keyed by representation and URI, stamped with the
 * database generation (db_generation: it changes on every committed write,
 * from any connection or process).  A request is answered from the cache
 * only when the stamp still matches, so no page is ever stale, and nothing
 * is shared between threads or nodes.
 *
 * A page that also depends on the clock (what is "upcoming", "today")
 * would outlive its truth when nothing is written for a while, so an
 * answer may carry a bound: `until`, the unix second from which it is no
 * longer served (0: none, only the database generation counts).  A route
 * declares ROUTE_CLOCK (http.h) and its pages are kept until the next
 * minute starts; a handler that knows better sets resp.fresh_until (the
 * earlier of the two counts).
 *
 * Only visitors' requests (no session cookie, no Authorization header) of
 * public pages without forms are cached, and nothing bound to the visitor
 * goes into them, so nothing personal is ever kept.
 */
#ifndef ALLIANCE_PAGECACHE_H
#define ALLIANCE_PAGECACHE_H

#include <stddef.h>
#include <stdint.h>

struct cached_page {
	int status;
	const char *content_type;
	const char *body;
	size_t len;
};

/* The cached answer for key at generation gen at the time now (unix
 * seconds), or NULL (a stale or expired entry is dropped).  The pointers
 * are valid until the next pagecache call on this thread. */
const struct cached_page *pagecache_get(const char *key, uint64_t gen,
					int64_t now);
/* Keeps a copy of an answer, served while the generation is gen and, when
 * until is not 0, before the time until (bodies over 512 KiB are not
 * kept). */
void pagecache_put(const char *key, uint64_t gen, int64_t until, int status,
		   const char *content_type, const char *body, size_t len);

/* The bound of a page that depends on the clock, at the time now: the
 * start of the next minute. */
int64_t pagecache_clock_bound(int64_t now);

#endif
