/*
 * search.c -- see search.h.
 */
#include "search.h"

#include <string.h>

static const char *const search_sql_text[] = {
	"SELECT kind, slug, title,"
	" snippet(search_index, 3, char(1), char(2), '…', 16)"
	" FROM search_index WHERE search_index MATCH ?"
	" ORDER BY bm25(search_index, 0, 0, 5.0, 1.0) LIMIT ?",
};
struct db_sql search_sql = {"search", search_sql_text, 1, 0};

/* A word character: ASCII letters and digits, and every byte of a
 * multi-byte UTF-8 sequence (so "Genève" stays one word). */
static int
word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c >= 0x80;
}

int
search_fts_query(const char *text, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)text;
	int words = 0;

	while (*p && words < 16) {
		const unsigned char *start;

		while (*p && !word_byte(*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p && word_byte(*p))
			p++;
		if (words++)
			buf_putc(out, ' ');
		buf_putc(out, '"');
		buf_put(out, start, (size_t)(p - start));
		buf_putc(out, '"');
	}
	if (words)
		buf_putc(out, '*');
	return words;
}

/* Appends s[0..n) to parts as {text, hit}, without the Markdown marks a
 * reader should not see (the index holds bodies as written): emphasis and
 * code marks, heading marks, link brackets and the link's address. */
static void
add_plain_part(json_t *parts, const char *s, size_t n, int hit)
{
	struct buf b = BUF_INIT;

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
		buf_putc(&b, c);
	}
	if (b.len)
		json_array_append_new(parts,
				      json_pack("{s:s%,s:b}", "text",
						buf_cstr(&b), b.len, "hit", hit));
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

json_t *
search_run(struct db *db, const char *text, int limit)
{
	struct buf q = BUF_INIT;
	struct db_stmt *st;
	json_t *out = json_array();
	int rc;

	if (search_fts_query(text, &q) == 0) {
		buf_free(&q);
		return out;
	}
	st = db_stmt(db, &search_sql, 0);
	if (st == NULL) {
		buf_free(&q);
		json_decref(out);
		return NULL;
	}
	db_bind_text(st, 1, buf_cstr(&q));
	db_bind_int(st, 2, limit);
	while ((rc = db_step(st)) == DB_ROW) {
		json_array_append_new(
			out, json_pack("{s:s,s:s,s:s,s:o}", "kind",
				       db_col_text(st, 0), "slug",
				       db_col_text(st, 1), "title",
				       db_col_text(st, 2), "snippet",
				       search_snippet_parts(db_col_text(st, 3))));
	}
	buf_free(&q);
	if (rc != DB_DONE) {
		json_decref(out);
		return NULL;
	}
	return out;
}
