/*
 * levels.h -- membership levels and sponsorship tiers (levels.c): the
 * public Benefits page, and the secretariat's pages that edit the levels
 * and the tiers.  The Sponsor page and its pledges (pledges.c) read the
 * tiers through the two functions below.
 */
#ifndef ALLIANCE_LEVELS_H
#define ALLIANCE_LEVELS_H

#include <stdint.h>

#include "core/db.h"
#include "core/http.h"
#include "core/util.h"

extern const struct module levels_module;

/* A sponsorship tier, as a pledge names it. */
struct levels_tier {
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
json_t *levels_tiers(struct db *db);

/*
 * The tier with slug: 1 and *t filled (its strings in arena a), 0 when
 * there is none, -1 on error (logged).  Runs in the caller's transaction,
 * if any.
 */
int levels_tier_by_slug(struct db *db, struct arena *a, const char *slug,
			struct levels_tier *t);

#endif
