/*
 * slug.h -- the word of a page's address that names a thing: made from
 * its name ("Réseau Pénal Watch" -> "reseau-penal-watch") and made unique
 * with a number ("...-2") where another thing has it already.
 *
 * Organisations, working parties, focal areas, articles and meetings all
 * name their pages this way, so an address reads the same everywhere.
 */
#ifndef ALLIANCE_SLUG_H
#define ALLIANCE_SLUG_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/db.h"

/* A slug made from a name is at most SLUG_BASE bytes; with a suffix (a
 * date, "-999999") it fits SLUG_MAX bytes with its NUL. */
#define SLUG_BASE 60
#define SLUG_MAX 96

/* How many numbered candidates slug_free() tries before it gives up. */
#define SLUG_TRIES 1000

/*
 * The slug of text (UTF-8, may be NULL): its folded form (fold.h: no
 * case, no accents) with every run of anything but a-z and 0-9 made one
 * '-', no '-' at either end, at most SLUG_BASE bytes; fallback when
 * nothing is left (a name in another script, or no name).
 */
void slug_make(const char *text, const char *fallback, char out[SLUG_MAX]);

/* Whether slug is taken: 1 yes, 0 no, -1 on a database error. */
typedef int (*slug_taken_fn)(void *ctx, const char *slug);

/*
 * The first of base, base-2, base-3 ... (at most SLUG_TRIES of them)
 * that is not one of reserved (NULL-terminated words that name pages of
 * their own, such as "new"; may be NULL) and that taken() says is free,
 * into out.  0, or -1 when taken() failed or every candidate was taken.
 * Inside the caller's write transaction, the slug stays free until its
 * insert.
 */
int slug_free(const char *base, const char *const *reserved,
	      slug_taken_fn taken, void *ctx, char out[SLUG_MAX]);

/*
 * slug_free() where a slug is taken when statement idx of t returns a
 * row ("SELECT 1 FROM things WHERE slug = ?"): the slug is its first
 * parameter and, when scope is not 0, scope its second (slugs unique
 * within a working party, say).
 */
int slug_free_db(struct db *db, const struct db_sql *t, size_t idx,
		 int64_t scope, const char *base, const char *const *reserved,
		 char out[SLUG_MAX]);

/* The usual whole: slug_make(name, fallback) made free by slug_free_db(),
 * in arena a; NULL on a database error or when no candidate is free. */
const char *slug_new(struct db *db, struct arena *a, const struct db_sql *t,
		     size_t idx, int64_t scope, const char *name,
		     const char *fallback, const char *const *reserved);

#endif
