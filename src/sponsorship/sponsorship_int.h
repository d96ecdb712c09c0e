/*
 * sponsorship_int.h -- what the sponsorship files share: the tiers
 * (tiers.c), which the Sponsor page and its pledges (pledges.c) read.
 */
#ifndef ALLIANCE_SPONSORSHIP_INT_H
#define ALLIANCE_SPONSORSHIP_INT_H
#include <stdint.h>

#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "sponsorship/sponsorship.h"

/* A sponsorship tier, as a pledge names it. */
struct tiers_tier {
	int64_t id;
	const char *name;
	int64_t amount; /* minor units */
	const char *currency;
};

/*
 * Every sponsorship tier in order (id, slug, name, amount, currency,
 * description_md, position), each with amount_text ("USD 2,500.00") and
 * description_html (safe Markdown).  A new array the caller owns; NULL on
 * error (logged).
 */
json_t *tiers_list(struct db *db);

/* Appends every tier's name and description (Markdown as stored), a line
 * each, in order, to out: the words of /sponsor for the site search.  0,
 * or -1 on a database error. */
int tiers_words(struct db *db, struct buf *out);

/*
 * The tier with slug: 1 and *t filled (its strings in arena a), 0 when
 * there is none, -1 on error (logged).  Runs in the caller's transaction,
 * if any.
 */
int tiers_by_slug(struct db *db, struct arena *a, const char *slug,
		  struct tiers_tier *t);

#endif
