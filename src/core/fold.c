/*
 * fold.c -- see fold.h.
 */
#include "fold.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util.h"

char *
fold_text(const char *s, size_t n)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t len;
	char *out, *w;
	int space = 1;

	len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
			   &mapped,
			   UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
				   UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
				   UTF8PROC_IGNORE);
	if (len < 0)
		return xstrdup("");
	/* collapse whitespace: one space between words, none at the ends */
	out = w = xmalloc((size_t)len + 1);
	for (utf8proc_ssize_t i = 0; i < len; i++) {
		unsigned char c = mapped[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = 1;
			continue;
		}
		if (space && w != out)
			*w++ = ' ';
		space = 0;
		*w++ = (char)c;
	}
	*w = '\0';
	free(mapped);
	return out;
}
