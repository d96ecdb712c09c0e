/*
 * sponsorship.h -- the sponsorship module's public header: Sponsor
 * (pledges.c), the public page of sponsorship tiers and thanked sponsors
 * with the pledge form (/sponsor), and the secretariat's queue of pledges
 * (/admin/pledges); the tiers, which the secretariat edits (tiers.c).
 * Nothing of it is used by another module; it includes membership.h
 * (money, currencies, the helpers).
 */
#ifndef ALLIANCE_SPONSORSHIP_H
#define ALLIANCE_SPONSORSHIP_H

#include "core/http.h"

extern const struct module tiers_module;
extern const struct module pledges_module;

#endif
