/*
 * router.c -- see router.h.  A linear walk of the table: with a few hundred
 * routes a match costs well under a microsecond, and the table stays in
 * the order the modules declare, which is the order of precedence.
 */
#include "router.h"

#include <stdio.h>
#include <string.h>

#include "form.h"
#include "util.h"

#define MAX_SEGMENTS 32

/* Splits path into decoded segments.  Returns the count, or -1 when a
 * segment does not decode, decodes to NUL or "/" or invalid UTF-8, or the
 * path has too many segments. */
static int
split_path(const char *path, struct arena *a, char **seg)
{
	int n = 0;
	const char *p = path;

	if (*p != '/')
		return -1;
	if (p[1] == '\0')
		return 0;
	while (*p == '/') {
		const char *start = ++p, *end = strchr(start, '/');
		size_t len;
		char *out;
		long dl;

		if (end == NULL)
			end = start + strlen(start);
		len = (size_t)(end - start);
		if (n == MAX_SEGMENTS)
			return -1;
		out = arena_alloc(a, len + 1);
		dl = form_percent_decode(start, len, out, 0);
		if (dl < 0 || memchr(out, '\0', (size_t)dl) ||
		    memchr(out, '/', (size_t)dl) ||
		    !utf8_valid(out, (size_t)dl))
			return -1;
		out[dl] = '\0';
		seg[n++] = out;
		p = end;
	}
	return n;
}

/* Matches one pattern against the segments; fills names/values. */
static int
pattern_match(const char *pat, char **seg, int nseg, struct route_match *m)
{
	const char *p = pat;
	int i = 0;

	m->n = 0;
	if (strcmp(pat, "/") == 0)
		return nseg == 0;
	while (*p == '/') {
		const char *start = ++p, *end = strchr(start, '/');
		size_t len;

		if (end == NULL)
			end = start + strlen(start);
		len = (size_t)(end - start);
		if (i >= nseg)
			return 0;
		if (*start == ':') {
			if (seg[i][0] == '\0' || m->n == ARRAY_LEN(m->names))
				return 0;
			m->names[m->n] = start + 1; /* up to end; see below */
			m->values[m->n] = seg[i];
			m->n++;
		} else if (strlen(seg[i]) != len ||
			   memcmp(seg[i], start, len) != 0) {
			return 0;
		}
		i++;
		p = end;
	}
	return i == nseg;
}

enum router_result
router_match(const struct route *const *routes, size_t n, unsigned method,
	     const char *path, struct arena *a, struct route_match *m)
{
	char *seg[MAX_SEGMENTS];
	int nseg = split_path(path, a, seg);
	unsigned want = method == HTTP_HEAD ? HTTP_GET : method;

	memset(m, 0, sizeof(*m));
	if (nseg < 0)
		return ROUTER_BAD_PATH;
	for (size_t i = 0; i < n; i++) {
		struct route_match cur;

		memset(&cur, 0, sizeof(cur));
		if (!pattern_match(routes[i]->pattern, seg, nseg, &cur))
			continue;
		m->allow |= routes[i]->method;
		if (routes[i]->method & HTTP_GET)
			m->allow |= HTTP_HEAD;
		if (m->route == NULL && (routes[i]->method & want)) {
			unsigned allow = m->allow;

			*m = cur;
			m->allow = allow;
			m->route = routes[i];
			/* parameter names run to the next '/' of the
			 * pattern: copy them into the arena as C strings */
			for (size_t k = 0; k < m->n; k++) {
				const char *e = strchr(m->names[k], '/');
				size_t len = e ? (size_t)(e - m->names[k])
					       : strlen(m->names[k]);

				m->names[k] = arena_strndup(a, m->names[k], len);
			}
		}
	}
	if (m->route)
		return ROUTER_FOUND;
	return m->allow ? ROUTER_BAD_METHOD : ROUTER_NOT_FOUND;
}

void
router_allow_header(unsigned allow, char *out, size_t outlen)
{
	static const unsigned order[] = {HTTP_GET,   HTTP_HEAD,  HTTP_POST,
					 HTTP_PUT,   HTTP_PATCH, HTTP_DELETE};
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(order); i++) {
		if (!(allow & order[i]))
			continue;
		len += (size_t)snprintf(out + len, len < outlen ? outlen - len : 0,
					"%s%s", len ? ", " : "",
					http_method_name(order[i]));
		if (len >= outlen)
			break;
	}
}
