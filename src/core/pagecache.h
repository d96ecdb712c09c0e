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

/* The cached answer for key at generation gen, or NULL.  The pointers are
 * valid until the next pagecache call on this thread. */
const struct cached_page *pagecache_get(const char *key, uint64_t gen);
/* Keeps a copy of an answer (bodies over 512 KiB are not kept). */
void pagecache_put(const char *key, uint64_t gen, int status,
		   const char *content_type, const char *body, size_t len);

#endif
