/*
 * sources.h -- the sections other modules give a focal area's page
 * (sources.c): the focal module's assemble hook gathers every module's
 * struct focal_source (core/http.h), the area's page asks each for its
 * items.  Internal to src/focal/.
 */
#ifndef ALLIANCE_FOCAL_SOURCES_H
#define ALLIANCE_FOCAL_SOURCES_H

#include <jansson.h>
#include <stdint.h>

#include "core/http.h"

/* The module's assemble hook: the modules' focal sources, lowest order
 * first, into a fixed table (filled once before the server starts). */
void focal_assemble(const struct module *const *mods, size_t nmods);

/*
 * The sections of the page of the area whose id is area for r's viewer,
 * into *out (a new array): [{kind, heading (translated), items}], one per
 * source that has items, each item (and each of its "items") with
 * date_iso and date_text from its "date".  0, or -1 when a source failed
 * (it logged) and *out is NULL.
 */
int focal_sections(struct req *r, int64_t area, json_t **out);

#endif
