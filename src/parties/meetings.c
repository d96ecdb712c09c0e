/*
 * meetings.c -- see parties.h.  (Scaffold: its section of a party's page.)
 */
#include "parties_int.h"

int
party_meetings_section(struct req *r, const struct party *p, const struct party_viewer *v,
    json_t *model)
{
	(void)r;
	(void)p;
	(void)v;
	(void)model;
	return 0;
}

const struct module party_meetings_module = {
	.name = "party-meetings",
};
