/*
 * escape.h -- one writer per output context.
 *
 * Everything that leaves alliance and came from a person or the database
 * goes through one of these, chosen by where it lands (STYLE.md "Output").
 * Each appends to a struct buf; none fails.
 */
#ifndef ALLIANCE_ESCAPE_H
#define ALLIANCE_ESCAPE_H

#include <stddef.h>

#include "util.h"

/* HTML text and quoted attribute values: & < > " ' become references. */
void esc_html(struct buf *b, const char *s, size_t n);
/* A URL component (path segment or query value): RFC 3986 percent-encoding
 * of everything but the unreserved characters. */
void esc_url_component(struct buf *b, const char *s, size_t n);
/* A whole URL placed in href/src: allowed when relative or http, https,
 * mailto, tel; anything else (javascript:, data:, ...) becomes "#".  The
 * result is also HTML-attribute escaped. */
void esc_url_attr(struct buf *b, const char *s, size_t n);
/* A JSON string literal including its quotes. */
void esc_json_string(struct buf *b, const char *s, size_t n);

#endif
