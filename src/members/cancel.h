/*
 * cancel.h -- ending a membership, and taking an end back (issue 4: the
 * state "cancelled" is one a person decides, never the daily job):
 *
 *   POST /renew/:id/cancel                 the member ends it: the person
 *                                          of an individual membership, or
 *                                          a main contact of the
 *                                          organisation, who confirms it
 *   POST /admin/memberships/:id/cancel     the secretariat ends it, with
 *                                          the reason the member is told
 *   POST /admin/memberships/:id/reinstate  the secretariat takes an end
 *                                          back: the state follows from the
 *                                          period's dates again
 *
 * A cancelled membership is not renewed, leaves the directory (triggers
 * of migration 0014) and stays as it is through the daily job.
 */
#ifndef ALLIANCE_MEMBERS_CANCEL_H
#define ALLIANCE_MEMBERS_CANCEL_H

#include "core/http.h"

extern const struct module cancel_module;

#endif
