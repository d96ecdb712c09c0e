/*
 * search.h -- full-text search: one interface, an implementation per
 * database.
 *
 * Documents: rows of the index "search_index", each a kind
 * ("organisation", "page", "focal_area", ...), a key (the slug its page is
 * found under), a title and a body.  Modules keep their documents in step
 * by triggers of their migrations (every writer is seen) or by
 * search_put()/search_remove() from C.  Names indexes: a module's own
 * index of a few columns of its rows keyed by the row's id (today the
 * organisations' names and acronyms, "organisation_names"), for a list that
 * filters and pages its rows itself: search_keys() gives the ids matching,
 * which the list binds like any list of ids, so its SQL holds no search
 * syntax.  A module whose documents are in search_index can do the same
 * with search_slugs().
 *
 * Queries: what a person typed becomes terms (search_terms(): words of
 * letters, digits and marks, valid UTF-8, nothing else), every term the
 * beginning of a word of the document, all required, case and accents
 * ignored.  The engine's query language never sees the text as typed:
 * each backend's statement (search.c's variants, the choice made once by
 * db_register_variant) quotes every term itself.
 *
 *   SQLite      FTS5 tables (unicode61, remove_diacritics 2); a term is
 *               the quoted prefix "word"*; a title hit is the column
 *               filter title : (...).
 *   PostgreSQL  a stored tsvector in the configuration search_words (the
 *               'simple' configuration, no stemming, so names in every
 *               language match as written, with unaccent before it); a
 *               term is the quoted prefix 'word':*, joined by &; a title
 *               hit is the same with weight A ('word':*A).
 *
 * The order and the snippets are this file's, the same on both (a site
 * moved from one store to the other answers the same first page):
 * documents whose title holds every term first, then the others, each by
 * slug then kind; the snippet is sixteen words of the body from three
 * before the first word a term begins, those words marked.
 */
#ifndef ALLIANCE_SEARCH_H
#define ALLIANCE_SEARCH_H

#include <jansson.h>

#include "db.h"
#include "util.h"

/* The index's statements, registered with the core's tables; search_init()
 * then gives each backend its own text (call it after db_register, before
 * any connection). */
extern struct db_sql search_sql;
void search_init(void);

/* The most terms of a query, and the most bytes of one (a longer word is
 * cut on a character boundary: it is still a prefix of what was meant). */
#define SEARCH_MAX_TERMS 16
#define SEARCH_MAX_TERM_BYTES 64

/*
 * Turns what a person typed into search terms: the words of text (runs of
 * letters, digits and combining marks; everything else, bytes that are
 * not UTF-8 included, separates words), at most SEARCH_MAX_TERMS, joined
 * by one space, as typed otherwise (each engine folds case and accents of
 * query and document alike).  Appends to out; returns the number of terms
 * (0: nothing to search for).
 */
int search_terms(const char *text, struct buf *out);

/*
 * The best matches in search_index for text, at most limit, best first: a
 * JSON array of {kind, slug, title, snippet:[{text, hit}]}, where hit
 * marks the matched words so templates can highlight them without raw
 * HTML.  Text without a term gives [].  NULL on a database error.
 */
json_t *search_run(struct db *db, const char *text, int limit);

/* Puts a document (replacing the one of that kind and slug) or removes it;
 * 0 or -1.  Run them inside the caller's transaction when it has one. */
int search_put(struct db *db, const char *kind, const char *slug,
	       const char *title, const char *body);
int search_remove(struct db *db, const char *kind, const char *slug);

/*
 * The document of the row st stands on, for a module whose documents are
 * rows of its own: its columns are the slug, the title, any number of
 * text columns (the body, joined by blank lines; NULL or empty ones left
 * out), and last 1 to put it or 0 to remove it.  A row without a slug or
 * title is left alone.  0 or -1.
 */
int search_put_row(struct db *db, const char *kind, struct db_stmt *st);
/* Every row of statement idx of t (no parameters) through
 * search_put_row, in one transaction (db_begin); 0 or -1.  The documents
 * a module's start writes for rows that have none (seeded ones). */
int search_put_rows(struct db *db, const char *kind, const struct db_sql *t,
		    size_t idx);
/* The row of statement idx of t for id (its one parameter) through
 * search_put_row, in the caller's transaction; no row: nothing.  0 or
 * -1.  A module's document after a change of its row. */
int search_put_one(struct db *db, const char *kind, const struct db_sql *t,
		   size_t idx, int64_t id);

/*
 * Modules' pages as documents (struct search_page in http.h): the site
 * module declares every source that lists pages (at assemble, before the
 * server starts; at most SEARCH_PAGE_SOURCES_MAX), and search_pages_put()
 * writes each page the index does not hold as it is now (one row, same
 * title and body), replacing what it held: at init and at start (the
 * catalog's words may have changed with the binary; an unchanged page is
 * not written) and in the transaction of any change to what a page's
 * words() reads.  0, or -1 on a database error (the caller rolls back).
 */
#define SEARCH_PAGE_SOURCES_MAX 16
struct search_source;
void search_pages_declare(const struct search_source *src);
int search_pages_put(struct db *db);

/* The names indexes search_keys() reads. */
enum search_names {
	SEARCH_ORGANISATION_NAMES, /* organisations: name, acronym */
	SEARCH_NAMES__MAX,
};

/*
 * The ids of the rows of names index idx matching text (every term the
 * beginning of a word), as a JSON array appended to out ("[3,17]"; "[]"
 * when text has no term or nothing matches), for the caller to bind where
 * its SQL reads a list of ids.  The number of ids, or -1 on a database
 * error.
 */
int search_keys(struct db *db, enum search_names idx, const char *text,
		struct buf *out);

/*
 * The slugs of the documents of kind in search_index matching text, best
 * first, as a JSON array of strings appended to out ("[]" when text has
 * no term or nothing matches): for a module whose documents are in the
 * site's index to filter and page its own list by them (bound where its
 * SQL reads a list of keys, as search_keys' ids are).  The number of
 * slugs, or -1 on a database error.
 */
int search_slugs(struct db *db, const char *kind, const char *text,
		 struct buf *out);

/* Splits a snippet with \x01..\x02 around hits (search_run marks them
 * so) into parts [{text, hit}], leaving out Markdown marks (emphasis,
 * code, headings, link brackets and addresses). */
json_t *search_snippet_parts(const char *snippet);

#endif
