/*
 * search.c -- see search.h.  The statements come in three texts: shared
 * (put and remove: plain SQL on either index), SQLite's (FTS5) and
 * PostgreSQL's (tsvector), registered by search_init(); the engine query
 * is built inside each backend's SQL from search_terms(), every term
 * quoted there, so no typed text reaches the query language.
 */
#include "search.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "escape.h"
#include "fold.h"
#include "http.h"

enum stmt_search {
	S_SEARCH_SITE,
	S_SEARCH_PUT,
	S_SEARCH_REMOVE,
	S_SEARCH_ORGANISATION_NAMES,
	S_SEARCH_SLUGS,
	S_SEARCH_GET,
	S_SEARCH__MAX,
};

/* The engine query of the terms bound at placeholder ?N: "a b" becomes
 * FTS5's "a"* "b"* and PostgreSQL's 'a':* & 'b':* (search_terms() holds
 * no quote, so none needs doubling); FTS5_TITLE and weight A: every term
 * in the title (FTS5's column filter, the title's tsvector weight). */
#define FTS5_QUERY(n) "('\"' || replace(?" #n ", ' ', '\"* \"') || '\"*')"
#define FTS5_TITLE(n) "('title : (' || " FTS5_QUERY(n) " || ')')"
#define TSQUERY(n, w)                                                          \
	"to_tsquery('search_words', '''' || replace(?" #n ", ' ',"             \
	" ''':*" w " & ''') || ''':*" w "')"

static const char *const search_sql_text[S_SEARCH__MAX] = {
	[S_SEARCH_SITE] = NULL, /* each backend's own */
	[S_SEARCH_PUT] = "INSERT INTO search_index (kind, slug, title, body)"
			 " VALUES (?, ?, ?, ?)",
	[S_SEARCH_REMOVE] =
		"DELETE FROM search_index WHERE kind = ? AND slug = ?",
	[S_SEARCH_ORGANISATION_NAMES] = NULL,
	[S_SEARCH_SLUGS] = NULL,
	[S_SEARCH_GET] = "SELECT title, body FROM search_index"
			 " WHERE kind = ? AND slug = ?",
};

/*
 * The order is the same on both engines, so a deployment moved from one
 * to the other answers the same first page: the documents whose title
 * holds every term, then the others, each by slug (ASCII, compared
 * bytewise on both), then kind.  Not bm25 or ts_rank: each weighs words
 * its own way (document lengths, frequencies, its own normalisation), and
 * the index is of short texts where "named so" is what a reader means by
 * best.  The body comes whole: search_run cuts the snippet (snippet()).
 */
static const char *const search_sql_sqlite[S_SEARCH__MAX] = {
	/* binds: the terms, the limit */
	[S_SEARCH_SITE] =
		"SELECT kind, slug, title, body FROM search_index"
		" WHERE search_index MATCH " FTS5_QUERY(1) " ORDER BY rowid IN"
		" (SELECT rowid FROM search_index WHERE search_index MATCH "
		FTS5_TITLE(1) ") DESC, slug, kind LIMIT ?2",
	[S_SEARCH_ORGANISATION_NAMES] =
		"SELECT rowid FROM organisation_names"
		" WHERE organisation_names MATCH " FTS5_QUERY(1) " ORDER BY rowid",
	/* binds: the terms, the kind */
	[S_SEARCH_SLUGS] =
		"SELECT slug FROM search_index"
		" WHERE search_index MATCH " FTS5_QUERY(1) " AND kind = ?2"
		" ORDER BY rowid IN (SELECT rowid FROM search_index"
		" WHERE search_index MATCH " FTS5_TITLE(1) ") DESC, slug",
};

/* PostgreSQL: the document column is the tsvector of 0003_search.pg.sql
 * (title weight A, body B), organisation_names the view of
 * 0014_directory_listing.pg.sql over an expression index; slugs compared
 * bytewise (COLLATE "C"), as SQLite does. */
static const char *const search_sql_pg[S_SEARCH__MAX] = {
	[S_SEARCH_SITE] =
		"SELECT kind, slug, title, body FROM search_index, "
		TSQUERY(1, "") " AS q, " TSQUERY(1, "A") " AS qa"
		" WHERE document @@ q ORDER BY document @@ qa DESC,"
		" slug COLLATE \"C\", kind COLLATE \"C\" LIMIT ?2",
	[S_SEARCH_ORGANISATION_NAMES] =
		"SELECT id FROM organisation_names"
		" WHERE document @@ " TSQUERY(1, "") " ORDER BY id",
	[S_SEARCH_SLUGS] = "SELECT slug FROM search_index, " TSQUERY(1, "")
			   " AS q, " TSQUERY(1, "A") " AS qa"
			   " WHERE document @@ q AND kind = ?2"
			   " ORDER BY document @@ qa DESC, slug COLLATE \"C\"",
};

struct db_sql search_sql = {"search", search_sql_text, S_SEARCH__MAX, 0};

void
search_init(void)
{
	db_register_variant(&search_sql, "sqlite", search_sql_sqlite);
	db_register_variant(&search_sql, "pg", search_sql_pg);
}

/* Whether code point c belongs to a word: a letter, a digit or other
 * number, or a combining mark (an accent typed apart, Arabic vowels). */
static int
word_char(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/* The length of the word character at s[0..n), or 0 when s does not
 * start with one (a separator, or a byte that is not UTF-8). */
static size_t
word_char_len(const char *s, size_t n)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s,
						(utf8proc_ssize_t)n, &c);

	if (len <= 0 || !word_char(c))
		return 0;
	return (size_t)len;
}

int
search_terms(const char *text, struct buf *out)
{
	size_t n = strlen(text), i = 0, len;
	int terms = 0;

	while (i < n && terms < SEARCH_MAX_TERMS) {
		size_t start;

		while (i < n && word_char_len(text + i, n - i) == 0)
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && (len = word_char_len(text + i, n - i)) > 0)
			i += len;
		if (terms++)
			buf_putc(out, ' ');
		buf_put(out, text + start,
			utf8_cut(text + start, i - start,
				 SEARCH_MAX_TERM_BYTES));
	}
	return terms;
}

/* Appends s[0..n) to out without the Markdown marks a reader should not
 * see (the index holds bodies as written): emphasis and code marks,
 * heading marks, link brackets and the link's address. */
static void
strip_markdown(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '*' || c == '`' || c == '[')
			continue;
		if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			while (i < n && s[i] != ')')
				i++;
			continue;
		}
		if (c == '#' && (i == 0 || s[i - 1] == '\n')) {
			while (i + 1 < n && s[i + 1] == '#')
				i++;
			if (i + 1 < n && s[i + 1] == ' ')
				i++;
			continue;
		}
		buf_putc(out, c);
	}
}

/* Appends s[0..n) to parts as {text, hit}, its Markdown marks left out. */
static void
add_plain_part(json_t *parts, const char *s, size_t n, int hit)
{
	struct buf b = BUF_INIT;

	strip_markdown(s, n, &b);
	if (b.len)
		json_array_append_new(parts, json_pack("{s:s%,s:b}", "text",
						       buf_cstr(&b), b.len,
						       "hit", hit));
	buf_free(&b);
}

json_t *
search_snippet_parts(const char *s)
{
	json_t *parts = json_array();
	int hit = 0;

	while (s && *s) {
		size_t n = strcspn(s, "\x01\x02");

		add_plain_part(parts, s, n, hit);
		s += n;
		if (*s == '\x01')
			hit = 1, s++;
		else if (*s == '\x02')
			hit = 0, s++;
	}
	return parts;
}

/* The words of a snippet, and how far into a body one is looked for. */
#define SNIPPET_WORDS 16
#define SNIPPET_BEFORE 3
#define SNIPPET_SCAN (64 * 1024)

/* Whether the word w[0..n) begins with one of the folded terms. */
static int
word_hit(const char *w, size_t n, char *const *terms, int nterms)
{
	char *f = fold_text(w, n);
	int hit = 0;

	for (int i = 0; i < nterms && !hit; i++)
		hit = *terms[i] && strncmp(f, terms[i], strlen(terms[i])) == 0;
	free(f);
	return hit;
}

/*
 * The snippet of body for the folded terms, with \x01..\x02 around every
 * word a term begins (what search_snippet_parts reads): SNIPPET_WORDS
 * words from a few before the first hit (the body's first words when the
 * hit is the title's), "…" where the body goes on.  Cut here, not by the
 * engines (FTS5's snippet(), ts_headline()), so both give the same text.
 * Appends to out.
 */
static void
snippet(const char *body, char *const *terms, int nterms, struct buf *out)
{
	size_t n = strlen(body), i = 0, len;
	size_t starts[SNIPPET_WORDS + SNIPPET_BEFORE], ends[SNIPPET_WORDS];
	size_t ring = SNIPPET_BEFORE + 1, seen = 0, first = 0, w = 0;
	int found = 0, more = 0;

	/* ring: the starts of the last SNIPPET_BEFORE + 1 words read */

	if (n > SNIPPET_SCAN)
		n = utf8_cut(body, n, SNIPPET_SCAN);
	/* the first hit, keeping the starts of the words just before it */
	while (i < n && !found) {
		while (i < n && word_char_len(body + i, n - i) == 0)
			i++;
		if (i == n)
			break;
		starts[seen % ring] = i;
		while (i < n && (len = word_char_len(body + i, n - i)) > 0)
			i += len;
		found = word_hit(body + starts[seen % ring],
				 i - starts[seen % ring], terms, nterms);
		seen++;
	}
	if (found && seen > ring - 1)
		first = starts[(seen - ring) % ring];
	else if (found)
		first = starts[0];
	/* from there, SNIPPET_WORDS words, the hits marked */
	if (found && first > 0)
		buf_puts(out, "…");
	i = first;
	while (i < n) {
		size_t s;

		while (i < n && word_char_len(body + i, n - i) == 0)
			i++;
		if (i == n)
			break;
		if (w == SNIPPET_WORDS) {
			more = 1;
			break;
		}
		s = i;
		while (i < n && (len = word_char_len(body + i, n - i)) > 0)
			i += len;
		starts[w] = s;
		ends[w++] = i;
	}
	for (size_t k = 0; k < w; k++) {
		int hit = word_hit(body + starts[k], ends[k] - starts[k], terms,
				   nterms);

		if (k > 0)
			buf_put(out, body + ends[k - 1], starts[k] - ends[k - 1]);
		if (hit)
			buf_putc(out, '\x01');
		buf_put(out, body + starts[k], ends[k] - starts[k]);
		if (hit)
			buf_putc(out, '\x02');
	}
	if (more) {
		buf_puts(out, "…");
	} else if (w > 0) {
		/* the end of the body: its last marks (a full stop) */
		size_t e = n;

		while (e > ends[w - 1] && isspace((unsigned char)body[e - 1]))
			e--;
		buf_put(out, body + ends[w - 1], e - ends[w - 1]);
	}
}

json_t *
search_run(struct db *db, const char *text, int limit)
{
	struct buf q = BUF_INIT, cut = BUF_INIT, plain = BUF_INIT;
	struct db_stmt *st;
	json_t *out = json_array();
	char *terms[SEARCH_MAX_TERMS];
	int rc, nterms;

	if ((nterms = search_terms(text, &q)) == 0) {
		buf_free(&q);
		return out;
	}
	st = db_stmt(db, &search_sql, S_SEARCH_SITE);
	if (st == NULL) {
		buf_free(&q);
		json_decref(out);
		return NULL;
	}
	/* the terms folded as the snippet compares words */
	for (int i = 0, at = 0; i < nterms; i++) {
		size_t len = strcspn(buf_cstr(&q) + at, " ");

		terms[i] = fold_text(buf_cstr(&q) + at, len);
		at += (int)len + 1;
	}
	db_bind_text(st, 1, buf_cstr(&q));
	db_bind_int(st, 2, limit);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *body = db_col_text(st, 3) ? db_col_text(st, 3) : "";

		/* the words a reader sees, not a link's address */
		buf_reset(&plain);
		strip_markdown(body, strlen(body), &plain);
		buf_reset(&cut);
		snippet(buf_cstr(&plain), terms, nterms, &cut);
		json_array_append_new(
			out, json_pack("{s:s,s:s,s:s,s:o}", "kind",
				       db_col_text(st, 0), "slug",
				       db_col_text(st, 1), "title",
				       db_col_text(st, 2), "snippet",
				       search_snippet_parts(buf_cstr(&cut))));
	}
	for (int i = 0; i < nterms; i++)
		free(terms[i]);
	buf_free(&q);
	buf_free(&cut);
	buf_free(&plain);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}

int
search_remove(struct db *db, const char *kind, const char *slug)
{
	struct db_stmt *st = db_stmt(db, &search_sql, S_SEARCH_REMOVE);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, slug);
	return db_run(st);
}

int
search_put(struct db *db, const char *kind, const char *slug, const char *title,
	   const char *body)
{
	struct db_stmt *st;

	if (search_remove(db, kind, slug) < 0 ||
	    (st = db_stmt(db, &search_sql, S_SEARCH_PUT)) == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, slug);
	db_bind_text(st, 3, title);
	db_bind_text(st, 4, body);
	return db_run(st);
}

int
search_put_row(struct db *db, const char *kind, struct db_stmt *st)
{
	int n = db_col_count(st);
	const char *slug = db_col_text(st, 0), *title = db_col_text(st, 1);
	struct buf body = BUF_INIT;
	int rc;

	if (slug == NULL || title == NULL || n < 3)
		return 0; /* a malformed row: nothing to index */
	if (db_col_int(st, n - 1) == 0)
		return search_remove(db, kind, slug);
	for (int c = 2; c < n - 1; c++) {
		const char *t = db_col_text(st, c);

		if (t && *t) {
			if (body.len)
				buf_puts(&body, "\n\n");
			buf_puts(&body, t);
		}
	}
	rc = search_put(db, kind, slug, title, buf_cstr(&body));
	buf_free(&body);
	return rc;
}

int
search_put_one(struct db *db, const char *kind, const struct db_sql *t,
	       size_t idx, int64_t id)
{
	struct db_stmt *st = db_stmt(db, t, idx);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = db_step(st)) == DB_DONE)
		return 0;
	if (rc != DB_ROW) {
		db_reset(st);
		return -1;
	}
	rc = search_put_row(db, kind, st);
	db_reset(st);
	return rc;
}

int
search_put_rows(struct db *db, const char *kind, const struct db_sql *t,
		size_t idx)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(db) != 0)
		return -1;
	if ((st = db_stmt(db, t, idx)) == NULL)
		goto fail;
	while ((rc = db_step(st)) == DB_ROW)
		if (search_put_row(db, kind, st) != 0) {
			db_reset(st);
			goto fail;
		}
	db_reset(st);
	if (rc != DB_DONE || db_commit(db) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* The sources whose pages search_pages_put() writes: filled once, by the
 * site module's assemble, before any thread reads it. */
static const struct search_source *page_sources[SEARCH_PAGE_SOURCES_MAX];
static size_t npage_sources;

void
search_pages_declare(const struct search_source *src)
{
	for (size_t i = 0; i < npage_sources; i++)
		if (page_sources[i] == src)
			return;
	assert(npage_sources < SEARCH_PAGE_SOURCES_MAX);
	page_sources[npage_sources++] = src;
}

/* Whether the index holds exactly one document (kind, slug) with this
 * title and body: 1 yes, 0 no, -1 on a database error. */
static int
search_holds(struct db *db, const char *kind, const char *slug,
	     const char *title, const char *body)
{
	struct db_stmt *st = db_stmt(db, &search_sql, S_SEARCH_GET);
	int rc, rows = 0, same = 0;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, slug);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *t = db_col_text(st, 0), *b = db_col_text(st, 1);

		rows++;
		same = t && b && strcmp(t, title) == 0 && strcmp(b, body) == 0;
	}
	if (rc != DB_DONE)
		return -1;
	return rows == 1 && same;
}

/* Writes one page, its title, then text and words() as its body, unless
 * the index holds it so already (a start that changes nothing writes
 * nothing). */
static int
search_page_put(struct db *db, const char *kind, const struct search_page *p)
{
	struct buf body = BUF_INIT;
	int rc = 0;

	buf_puts(&body, p->text ? p->text : "");
	if (p->words) {
		buf_putc(&body, '\n');
		rc = p->words(db, &body);
	}
	if (rc == 0)
		rc = search_holds(db, kind, p->slug, p->title, buf_cstr(&body));
	if (rc == 0)
		rc = search_put(db, kind, p->slug, p->title, buf_cstr(&body));
	buf_free(&body);
	return rc < 0 ? -1 : 0;
}

int
search_pages_put(struct db *db)
{
	for (size_t i = 0; i < npage_sources; i++) {
		const struct search_source *s = page_sources[i];

		for (size_t j = 0; j < s->npages; j++)
			if (search_page_put(db, s->kind, &s->pages[j]) != 0)
				return -1;
	}
	return 0;
}

int
search_keys(struct db *db, enum search_names idx, const char *text,
	    struct buf *out)
{
	static const enum stmt_search stmts[SEARCH_NAMES__MAX] = {
		[SEARCH_ORGANISATION_NAMES] = S_SEARCH_ORGANISATION_NAMES,
	};
	struct buf q = BUF_INIT;
	struct db_stmt *st;
	int rc, n = 0;

	assert(idx < SEARCH_NAMES__MAX);
	buf_putc(out, '[');
	if (search_terms(text, &q) == 0)
		goto done;
	if ((st = db_stmt(db, &search_sql, stmts[idx])) == NULL) {
		n = -1;
		goto done;
	}
	db_bind_text(st, 1, buf_cstr(&q));
	while ((rc = db_step(st)) == DB_ROW)
		buf_printf(out, n++ ? ",%lld" : "%lld",
			   (long long)db_col_int(st, 0));
	if (rc != DB_DONE)
		n = -1;
done:
	buf_putc(out, ']');
	buf_free(&q);
	return n;
}

int
search_slugs(struct db *db, const char *kind, const char *text, struct buf *out)
{
	struct buf q = BUF_INIT;
	struct db_stmt *st;
	int rc, n = 0;

	buf_putc(out, '[');
	if (search_terms(text, &q) == 0)
		goto done;
	if ((st = db_stmt(db, &search_sql, S_SEARCH_SLUGS)) == NULL) {
		n = -1;
		goto done;
	}
	db_bind_text(st, 1, buf_cstr(&q));
	db_bind_text(st, 2, kind);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *slug = db_col_text(st, 0);

		if (n++)
			buf_putc(out, ',');
		esc_json_string(out, slug, strlen(slug));
	}
	if (rc != DB_DONE)
		n = -1;
done:
	buf_putc(out, ']');
	buf_free(&q);
	return n;
}
