/*
 * search.h -- full-text search behind one small interface.
 *
 * Modules put documents (kind, slug, title, body) into the index and ask
 * for the best matches.  Today the index is SQLite FTS5 (the table
 * "search_index", created by a migration) with diacritics folded; a
 * PostgreSQL backend would implement the same calls with tsvector.
 * Person-typed queries are never handed to the FTS query language as they
 * are: search_fts_query() turns them into quoted prefix terms.
 */
#ifndef ALLIANCE_SEARCH_H
#define ALLIANCE_SEARCH_H

#include <jansson.h>

#include "db.h"
#include "util.h"

/* The index's statements; the application registers them at start-up. */
extern struct db_sql search_sql;

/*
 * Turns what a person typed into an FTS5 query: every word quoted, the
 * last one a prefix, all required ("crime prev" -> "crime" "prev"*).
 * Appends to out; returns the number of words (0: nothing to search).
 */
int search_fts_query(const char *text, struct buf *out);

/*
 * The best matches for text, at most limit: a JSON array of
 * {kind, slug, title, snippet:[{text, hit}]}, where hit marks the matched
 * words so templates can highlight them without raw HTML.  NULL on a
 * database error.
 */
json_t *search_run(struct db *db, const char *text, int limit);

/* Splits an FTS5 snippet with \x01..\x02 around hits into parts
 * [{text, hit}], leaving out Markdown marks (emphasis, code, headings, link
 * brackets and addresses). */
json_t *search_snippet_parts(const char *snippet);

#endif
