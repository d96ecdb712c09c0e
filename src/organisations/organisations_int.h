/*
 * organisations_int.h -- what the organisations files share and no
 * other module needs (defined in organisations.c): the action the manage
 * routes name and their route shape, and how an organisation's UN status
 * and a representative's post read.  Here, not in manage.h or
 * directory.h, so that directory.c (which shows the manage links) and
 * manage.c (which shows the UN status) include neither other's header.
 */
#ifndef ALLIANCE_ORGANISATIONS_INT_H
#define ALLIANCE_ORGANISATIONS_INT_H

#include <jansson.h>

#include "core/http.h"
#include "organisations/organisations.h"

/* The action the manage routes name (manage.c, representatives.c);
 * directory.c asks it to show the links. */
#define MANAGE_ACTION "organisation.manage"

/* A route of manage.c or representatives.c: for members, and
 * MANAGE_ACTION on :slug. */
#define MANAGE_ROUTE(m, p, f, h, fl, s)                                     \
	{.method = (m), .pattern = (p), .who = ACCESS_MEMBER, .fields = (f),  \
	 .handler = (h), .flags = (fl), .summary = (s),                       \
	 .action = MANAGE_ACTION, .object_type = "organisation",              \
	 .object_param = "slug"}

/* The ids of the organisations whose name or acronym has a word
 * beginning with each word of r's field q, as a JSON array (search_keys
 * on the names index), in *ids, for a list to bind; NULL when q is absent
 * or blank.  Text with no word in it ("%") matches nothing: "[]".  In
 * r's arena.  0, or -1 on a database error.  The directory's and the
 * desk's word filter. */
int organisations_name_ids(struct req *r, const char **ids);

/* Whether organisation id is listed (a membership active or in grace:
 * its page /members/SLUG answers): 1, 0, or -1 on a database error.  The
 * pages that link its page ask first, so an organisation without a
 * membership (imported) links nowhere that answers 404. */
int organisations_listed(struct db *db, int64_t id);

/* The UN status of an organisation row (ecosoc_status, ecosoc_year,
 * dgc_associated, dgc_year) as sentences for people: un_status
 * ["ECOSOC special (2004)", "DGC associated"], and un_status_text, the
 * same joined ("None" when it has none).  Adds both to row. */
void organisations_add_un_status(json_t *row);

/* Adds to a representative row (un_post, un_rank, email) un_post_text,
 * their UN post for people ("Vienna, main representative"), and
 * email_href when it has an address. */
void organisations_add_rep_post(json_t *rep);

#endif
