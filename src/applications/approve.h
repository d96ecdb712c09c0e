/*
 * approve.h -- approving a membership application (approve.c): the
 * organisation or person it makes, the membership, the representatives
 * and their invitations.  review.c calls it from POST
 * /admin/applications/:id/approve, inside the decision's transaction.
 */
#ifndef ALLIANCE_APPLICATIONS_APPROVE_H
#define ALLIANCE_APPLICATIONS_APPROVE_H

#include <stdint.h>

#include "core/db.h"
#include "core/http.h"

/* The statements of approve.c; registered at start-up (app.c). */
extern struct db_sql approve_sql;

/*
 * Makes what approving app creates, in the caller's open write
 * transaction, with the audit records (actor r->person) and the
 * invitation mails: for an organisation level, the organisation, its
 * focal areas, its active membership and its representatives (people
 * linked or made), each invited; for an individual level, the person,
 * their focal areas and membership, and their invitation.  app is an
 * application row as review.c loads it (level_id, level_kind,
 * level_slug, level_name, level_period, the applicant's and the
 * organisation's fields, focal_areas, representatives); it is borrowed.
 * Sets *org (0 for an individual), *person (0 for an organisation) and
 * *membership.  0, or -1 on error (logged): the caller rolls back.
 */
int approve_application(struct req *r, json_t *app, int64_t *org,
			int64_t *person, int64_t *membership);

#endif
