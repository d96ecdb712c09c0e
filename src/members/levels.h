/*
 * levels.h -- membership levels, sponsorship and pledges: the public
 * Benefits and Sponsor pages, and the secretariat's pages that edit the
 * levels and tiers and work through the queue of pledges (levels.c).
 */
#ifndef ALLIANCE_LEVELS_H
#define ALLIANCE_LEVELS_H

#include "core/http.h"

extern const struct module levels_module;

#endif
