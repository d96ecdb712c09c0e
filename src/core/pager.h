/*
 * pager.h -- one way to page a list, for every module: by offset
 * (`?page=N`, with the count or with one row read past the page to know a
 * next one exists) or by key (`?after=KEY`, the sort key of the last row
 * shown: a list of a million items pages as fast on its last page as on
 * its first).  Every link keeps the list's filters: the request's present
 * declared fields, each percent-encoded, but `page`, `after` and those the
 * caller names (one-shot notices such as `done`).
 *
 * A list route declares `page` (FT_INT, min 1) and, when it pages by key,
 * `after` (FT_TEXT) among its fields; what is not declared reads as
 * absent.  Strings returned are in the request's arena.
 */
#ifndef ALLIANCE_PAGER_H
#define ALLIANCE_PAGER_H

#include <jansson.h>
#include <stdint.h>

#include "http.h"

struct pager {
	int64_t page;      /* 1, 2, ... (offset paging) */
	int64_t size;      /* rows a page */
	const char *after; /* key paging: the key to continue after, or NULL
			      on the first page */
};

/* Reads `page` (1 when absent) and `after` of r for pages of size rows. */
void pager_read(const struct req *r, int64_t size, struct pager *p);
/* The rows the page skips (offset paging). */
int64_t pager_offset(const struct pager *p);

/* The list at path with r's filters (but page, after and the names in
 * skip, NULL-terminated or NULL), and `page=n` when n > 1 or `after=key`
 * when key is not NULL. */
const char *pager_href(struct req *r, const char *path,
		       const char *const *skip, int64_t n, const char *key);

/* rows holds up to size + 1 rows: drops the extra one; 1 when it was
 * there (a next page exists). */
int pager_trim(json_t *rows, int64_t size);

/* The model of offset paging: {page, has_pages, prev_href, next_href} and
 * `pages` when total >= 0 (then has_next is worked out from it). */
json_t *pager_model(struct req *r, const struct pager *p, const char *path,
		    const char *const *skip, int has_next, int64_t total);

/* The model of key paging: {has_pages, next_href (after=next_key, when
 * next_key is not NULL), first_href (on a later page)}. */
json_t *pager_model_keyed(struct req *r, const struct pager *p,
			  const char *path, const char *const *skip,
			  const char *next_key);

/* r's filters as {name: text}, to fill the filter form again (page,
 * after and the names in skip left out). */
json_t *pager_filters(const struct req *r, const char *const *skip);

#endif
