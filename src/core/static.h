/*
 * static.h -- the core's own routes: compiled-in static assets under
 * /static/NAME (ETag, Cache-Control, gzip where it pays) and /healthz.
 */
#ifndef ALLIANCE_STATIC_H
#define ALLIANCE_STATIC_H

#include "http.h"

/* Indexes the embedded <module>/static/ files and gzips those that
 * shrink.  Call once at start-up. */
void static_init(void);

extern const struct module core_module;

#endif
