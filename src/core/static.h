/*
 * static.h -- the core's own routes: compiled-in static assets under
 * /static/NAME (ETag, Cache-Control, gzip where it pays) and /healthz;
 * in development mode the assets come from the source folder instead.
 */
#ifndef ALLIANCE_STATIC_H
#define ALLIANCE_STATIC_H

#include "http.h"

/* Indexes the embedded <module>/static/ files and gzips those that
 * shrink.  Call once at start-up. */
void static_init(void);
/* Development mode: serve dir/<module>/static/NAME from disk, read on each
 * request (no-cache, no gzip).  dir is borrowed for the process's life. */
void static_init_source(const char *dir);

extern const struct module core_module;

#endif
