/*
 * router.h -- matching a method and path against the route table.
 *
 * The table is the routes of every module, flattened once at start-up.
 * Patterns are literal segments and ":name" segments; each path segment
 * is percent-decoded on its own, so an encoded "/" never changes how a path
 * splits.  Pure: no I/O, unit tested on its own.
 */
#ifndef ALLIANCE_ROUTER_H
#define ALLIANCE_ROUTER_H

#include "arena.h"
#include "http.h"

enum router_result {
	ROUTER_FOUND,
	ROUTER_NOT_FOUND,
	ROUTER_BAD_METHOD, /* the path exists for other methods: see allow */
	ROUTER_BAD_PATH,   /* undecodable path: a 400 */
};

struct route_match {
	const struct route *route;
	const char *names[8];
	const char *values[8]; /* decoded, in the arena */
	size_t n;
	unsigned allow; /* methods the path answers (HEAD with GET) */
};

/*
 * Matches path (raw, as sent, without the query) for method against
 * routes[0..n).  Decoded parameter values are allocated from a.
 */
enum router_result router_match(const struct route *const *routes, size_t n,
				unsigned method, const char *path,
				struct arena *a, struct route_match *m);

/* "GET, HEAD, POST" for a method mask, into out. */
void router_allow_header(unsigned allow, char *out, size_t outlen);

#endif
