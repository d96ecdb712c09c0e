/*
 * escape.c -- the writers of escape.h, one per output context.
 *
 * Each writer scans its input once and copies the runs of bytes that need
 * no change with a single buf_put, so plain text costs one scan and one
 * copy.  esc_url_attr decides whether a URL is safe the way a browser
 * would read it (leading spaces and control characters stripped, tabs and
 * newlines dropped, scheme case-insensitive) and otherwise writes "#".
 * esc_json_string is the only writer that looks at UTF-8, because its
 * output must be valid JSON whatever the input.
 */
#include "escape.h"

#include <string.h>

static const char hexdigits[] = "0123456789ABCDEF";

/* The character reference of each byte esc_html replaces. */
static const struct {
	const char *s;
	size_t n;
} html_refs[256] = {
	['&'] = {"&amp;", 5}, ['<'] = {"&lt;", 4}, ['>'] = {"&gt;", 4},
	['"'] = {"&quot;", 6}, ['\''] = {"&#39;", 5},
};

void
esc_html(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (html_refs[c].n == 0)
			continue;
		buf_put(b, s + run, i - run);
		buf_put(b, html_refs[c].s, html_refs[c].n);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

/* RFC 3986 section 2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
static int
url_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

void
esc_url_component(struct buf *b, const char *s, size_t n)
{
	char pct[3] = {'%', 0, 0};
	size_t i, run = 0;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (url_unreserved(c))
			continue;
		buf_put(b, s + run, i - run);
		pct[1] = hexdigits[c >> 4];
		pct[2] = hexdigits[c & 15];
		buf_put(b, pct, 3);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

/*
 * 1 when a browser given s[0..n) as href would not run it: a relative URL
 * (no ':' before the first '/', '?' or '#') or one whose scheme is http,
 * https, mailto or tel.  Reads the scheme as the WHATWG URL parser does:
 * leading C0 controls and spaces are stripped, tabs and newlines anywhere
 * are dropped, case does not matter.  A ':' with an empty or unusual
 * scheme ("a b:c", ":x") counts as a scheme and is refused.
 */
static int
url_is_safe(const char *s, size_t n)
{
	static const char *const allowed[] = {"http", "https", "mailto", "tel"};
	char scheme[8];
	size_t i = 0, len = 0, k;

	while (i < n && (unsigned char)s[i] <= 0x20)
		i++;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '/' || c == '?' || c == '#')
			return 1;
		if (c == ':')
			break;
		if (len < sizeof(scheme))
			scheme[len] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		len++;
	}
	if (i == n)
		return 1;
	for (k = 0; k < ARRAY_LEN(allowed); k++)
		if (len == strlen(allowed[k]) &&
		    memcmp(scheme, allowed[k], len) == 0)
			return 1;
	return 0;
}

void
esc_url_attr(struct buf *b, const char *s, size_t n)
{
	if (url_is_safe(s, n))
		esc_html(b, s, n);
	else
		buf_putc(b, '#');
}

/*
 * Besides what JSON requires (quote, backslash, control characters), '<',
 * '>', '&' and '\'' become \u escapes so the literal is also safe inside
 * HTML, and U+2028/U+2029 so it is safe in older JavaScript.  Bytes that
 * are not well-formed UTF-8 become U+FFFD.
 */
void
esc_json_string(struct buf *b, const char *s, size_t n)
{
	char u[7];
	const char *rep;
	size_t i = 0, run = 0, k;

	buf_putc(b, '"');
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		k = 1;
		rep = NULL;
		switch (c) {
		case '"':
			rep = "\\\"";
			break;
		case '\\':
			rep = "\\\\";
			break;
		case '\b':
			rep = "\\b";
			break;
		case '\f':
			rep = "\\f";
			break;
		case '\n':
			rep = "\\n";
			break;
		case '\r':
			rep = "\\r";
			break;
		case '\t':
			rep = "\\t";
			break;
		case '<':
		case '>':
		case '&':
		case '\'':
			break;
		default:
			if (c >= 0x20 && c < 0x80) {
				i++;
				continue;
			}
			if (c >= 0x80) {
				k = utf8_seq_len(s + i, n - i);
				if (k == 0) {
					k = 1;
					rep = "\\ufffd";
				} else if (k == 3 && c == 0xe2 &&
					   (unsigned char)s[i + 1] == 0x80 &&
					   ((unsigned char)s[i + 2] & 0xfe) ==
						   0xa8) {
					rep = s[i + 2] == '\xa8' ? "\\u2028"
								  : "\\u2029";
				} else {
					i += k;
					continue;
				}
			}
		}
		if (rep == NULL) {
			u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
			u[4] = hexdigits[c >> 4], u[5] = hexdigits[c & 15];
			u[6] = '\0';
			rep = u;
		}
		buf_put(b, s + run, i - run);
		buf_puts(b, rep);
		i += k;
		run = i;
	}
	if (n)
		buf_put(b, s + run, n - run);
	buf_putc(b, '"');
}
