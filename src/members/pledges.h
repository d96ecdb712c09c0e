/*
 * pledges.h -- Sponsor (pledges.c): the public page of sponsorship tiers
 * and thanked sponsors with the pledge form (/sponsor), and the
 * secretariat's queue of pledges (/admin/pledges).  The tiers themselves
 * are edited in levels.c.
 */
#ifndef ALLIANCE_MEMBERS_PLEDGES_H
#define ALLIANCE_MEMBERS_PLEDGES_H

#include "core/http.h"

extern const struct module pledges_module;

#endif
