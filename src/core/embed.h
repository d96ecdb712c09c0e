/*
 * embed.h -- the files compiled into the binary by tools/embed.c:
 * templates (<module>/templates/NAME.html), static assets
 * (<module>/static/NAME) and migrations (<module>/migrations/NNNN_NAME.sql),
 * named by their path under src/.
 */
#ifndef ALLIANCE_EMBED_H
#define ALLIANCE_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *path; /* "site/templates/home.html" */
	const char *data; /* NUL-terminated; len excludes the NUL */
	size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_count;

#endif
