/*
 * areas.h -- the focal areas themselves (areas.c): reading one or all
 * of them, and the secretariat's changes (add, edit, retire, bring back),
 * each one transaction with its audit record; the handlers (focal.c,
 * secretariat.c) call them and answer.  Internal to src/focal/.
 */
#ifndef ALLIANCE_FOCAL_AREAS_H
#define ALLIANCE_FOCAL_AREAS_H

#include <jansson.h>

#include "core/http.h"

/* The area of slug as {id, slug, name, summary, body_md, retired_at} in
 * *area (a new reference); 0, 1 with a 404 in w when there is none, -1
 * with a 500 in w. */
int focal_area_or_respond(struct req *r, struct resp *w, const char *slug,
			  json_t **area);

/* Adds "retired" (whether the area is retired) and, when it is,
 * retired_at_iso and retired_at_text (words) to the row area. */
void focal_retired_fields(json_t *area);

/* Every area {slug, name, summary, points (its focal points, counted
 * whatever their visibility), retired_at}, in the lists' order, with its
 * retired fields, into *current and *retired (new arrays); 0 or -1. */
int focal_areas_split(struct req *r, json_t **current, json_t **retired);

/* The statements of areas.c (the module's sqls). */
extern struct db_sql focal_areas_sql;

/* The fields of the forms that add and edit an area: name (required),
 * summary, body (Markdown). */
extern const struct field focal_area_fields[];

/* Adds the area of r's fields (valid, name not empty), last in the lists,
 * its slug made from its name (base-2 ... when taken) into *slug (r's
 * arena).  0, or -1 with the transaction left open for the caller's
 * resp_fail to roll back. */
int focal_area_insert(struct req *r, const char **slug);

/* Changes the name, summary and body of area ({id, slug, name, summary,
 * body_md}) to r's fields (valid, name not empty); the slug stays.  0, or
 * -1 as focal_area_insert. */
int focal_area_update(struct req *r, json_t *area);

/* Retires area ({id, slug, retired_at}) now, or when retire is 0 brings
 * it back.  0, or -1 as focal_area_insert. */
int focal_area_set_retired(struct req *r, json_t *area, int retire);

#endif
