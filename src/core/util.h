/*
 * util.h -- allocation that cannot fail, and a length-tracking string buffer.
 *
 * Every allocation in alliance goes through x*alloc: when memory runs out
 * the process aborts with a message instead of returning NULL, so callers
 * never check for it (the habit of Redis' zmalloc and cmark's allocator).
 *
 * fsync_path() syncs a file or a folder by name.
 *
 * struct buf is the one growable string of the project.  It always keeps a
 * NUL after the last byte so data can be handed to C string functions; it
 * owns its memory until buf_detach() hands it over to the caller.
 *
 * The UTF-8 helpers are what the door (input.c) and the way out (db.c rows
 * as JSON, response.c) use to keep every stored, shown or serialised
 * string well-formed.
 */
#ifndef ALLIANCE_UTIL_H
#define ALLIANCE_UTIL_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

struct buf {
	char *data; /* NUL-terminated when cap > 0; NULL when empty and new */
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, int c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* The contents as a C string: never NULL, valid until the next write. */
const char *buf_cstr(struct buf *b);
/* Hands the contents to the caller (free() them); the buf is empty after. */
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);
/* The length (1..4) of the well-formed UTF-8 sequence at s[0..n), or 0. */
size_t utf8_seq_len(const char *s, size_t n);
/* Appends s[0..n) with every byte that is not part of a well-formed
 * sequence replaced by U+FFFD: what we keep or show of bytes we may not
 * refuse (a header, a row stored before the door checked). */
void buf_put_utf8(struct buf *b, const char *s, size_t n);
/* The longest prefix of s[0..n) of at most max bytes that ends on a
 * character boundary (never half a character). */
size_t utf8_cut(const char *s, size_t n, size_t max);
/* A JSON string of s[0..n), bytes that are not UTF-8 replaced by U+FFFD
 * (json_stringn would give NULL); JSON null when s is NULL.  New
 * reference. */
json_t *json_string_lossy(const char *s, size_t n);

/* fsync of the file (dir 0) or folder (dir 1) named path, so what was
 * written to it, or renamed into it, lasts a power cut.  0, or -1 with
 * errno. */
int fsync_path(const char *path, int dir);

#endif
