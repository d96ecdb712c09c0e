/*
 * secretariat.h -- the secretariat's pages of the focal areas
 * (secretariat.c): their handlers and the fields they take, which
 * focal.c's route table lists.  Internal to src/focal/.
 */
#ifndef ALLIANCE_FOCAL_SECRETARIAT_H
#define ALLIANCE_FOCAL_SECRETARIAT_H

#include "core/http.h"

/* Its statements (the module's sqls). */
extern struct db_sql focal_admin_sql;

/* GET /admin/focal-points, GET /admin/focal-points/:slug */
void focal_admin_index(struct req *r, struct resp *w);
void focal_admin_area(struct req *r, struct resp *w);
/* POST /admin/focal-points/:slug/people, .../people/:id/remove */
void focal_assign(struct req *r, struct resp *w);
void focal_remove(struct req *r, struct resp *w);
/* POST /admin/focal-points, .../:slug/edit, .../:slug/retire,
 * .../:slug/restore (areas.c makes the changes) */
void focal_add(struct req *r, struct resp *w);
void focal_edit(struct req *r, struct resp *w);
void focal_retire(struct req *r, struct resp *w);
void focal_restore(struct req *r, struct resp *w);

/* The fields of GET /admin/focal-points/:slug and of the assignment. */
extern const struct field focal_admin_area_fields[];
extern const struct field focal_assign_fields[];

#endif
