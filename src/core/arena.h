/*
 * arena.h -- a request's memory.
 *
 * Everything a request allocates for its own use (decoded fields, route
 * parameters, strings built for the handler) comes from its arena and is
 * released at once when the request ends, so handlers do not free piece by
 * piece.  Allocation cannot fail (it aborts, like xmalloc).
 */
#ifndef ALLIANCE_ARENA_H
#define ALLIANCE_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Frees every allocation made from a, and a itself.  NULL is allowed. */
void arena_free(struct arena *a);
/* n bytes aligned for any type, zeroed. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
