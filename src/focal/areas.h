/*
 * areas.h -- the secretariat's changes to the focal areas themselves
 * (areas.c): add, edit, retire, bring back; each one transaction with its
 * audit record.  focal.c's handlers call them and answer.  Internal to
 * src/focal/.
 */
#ifndef ALLIANCE_FOCAL_AREAS_H
#define ALLIANCE_FOCAL_AREAS_H

#include <jansson.h>

#include "core/http.h"

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
