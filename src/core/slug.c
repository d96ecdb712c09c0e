/*
 * slug.c -- see slug.h.
 */
#include "core/slug.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"

void
slug_make(const char *text, const char *fallback, char out[SLUG_MAX])
{
	char *folded = fold_text(text ? text : "", text ? strlen(text) : 0);
	size_t n = 0;

	for (const char *c = folded ? folded : ""; *c && n < SLUG_BASE; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))
			out[n++] = *c;
		else if (n > 0 && out[n - 1] != '-')
			out[n++] = '-';
	free(folded);
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (n == 0)
		snprintf(out, SLUG_MAX, "%s", fallback);
}

static int
reserved_word(const char *const *reserved, const char *s)
{
	for (size_t i = 0; reserved && reserved[i]; i++)
		if (strcmp(reserved[i], s) == 0)
			return 1;
	return 0;
}

int
slug_free(const char *base, const char *const *reserved,
	  slug_taken_fn taken, void *ctx, char out[SLUG_MAX])
{
	for (int i = 1; i <= SLUG_TRIES; i++) {
		int rc;

		if (i == 1)
			snprintf(out, SLUG_MAX, "%s", base);
		else
			snprintf(out, SLUG_MAX, "%.*s-%d", SLUG_MAX - 12, base,
				 i);
		if (reserved_word(reserved, out))
			continue;
		if ((rc = taken(ctx, out)) <= 0)
			return rc;
	}
	return -1;
}

struct taken_in_db {
	struct db *db;
	const struct db_sql *t;
	size_t idx;
	int64_t scope;
};

static int
taken_in_db(void *ctx, const char *slug)
{
	const struct taken_in_db *q = ctx;
	struct db_stmt *st = db_stmt(q->db, q->t, q->idx);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	if (q->scope)
		db_bind_int(st, 2, q->scope);
	if ((rc = db_step(st)) == DB_ROW)
		db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int
slug_free_db(struct db *db, const struct db_sql *t, size_t idx,
	     int64_t scope, const char *base, const char *const *reserved,
	     char out[SLUG_MAX])
{
	struct taken_in_db q = {db, t, idx, scope};

	return slug_free(base, reserved, taken_in_db, &q, out);
}

const char *
slug_new(struct db *db, struct arena *a, const struct db_sql *t, size_t idx,
	 int64_t scope, const char *name, const char *fallback,
	 const char *const *reserved)
{
	char base[SLUG_MAX], slug[SLUG_MAX];

	slug_make(name, fallback, base);
	if (slug_free_db(db, t, idx, scope, base, reserved, slug) != 0)
		return NULL;
	return arena_strdup(a, slug);
}
