/*
 * directory.h -- the public directory of member organisations (issue 4):
 * GET /members (a filtered, paged list) and GET /members/:slug (one
 * organisation), each also JSON under /api/v1.
 *
 * Who sees what.  An organisation is *listed* when it has a membership in
 * state active or grace.  A listed organisation is *visible* to a viewer
 * when
 *   - its visibility is 'public' (everyone, visitors included), or
 *   - its visibility is 'members' and the viewer is a member, or
 *   - the viewer is an administrator, or one of its own representatives
 *     (this alone opens 'hidden' organisations).
 * A *member* is a signed-in person who is an editor or an administrator,
 * or holds an individual membership in state active or grace, or
 * represents an organisation that holds one.  That rule is one SQL
 * expression (DIRECTORY_VIEWER in directory.c), shared by every statement
 * of the module.  Whoever may not see an organisation gets 404 for its
 * page, as for an organisation that does not exist.  Representatives are
 * shown to members only: their names and UN posts, and their addresses
 * only where the person chose show_email.  Those who may manage the
 * organisation (manage.h) see the links to do so.
 *
 * Visitors' answers hold public organisations only, so they may come from
 * the page cache; a signed-in person's answer is marked personal (never
 * cached, Cache-Control: no-store).
 */
#ifndef ALLIANCE_MEMBERS_DIRECTORY_H
#define ALLIANCE_MEMBERS_DIRECTORY_H

#include <jansson.h>

#include "core/http.h"

#define DIRECTORY_PAGE_SIZE 50

extern const struct module directory_module;

/* The UN status of an organisation row (ecosoc_status, ecosoc_year,
 * dgc_associated, dgc_year) as sentences for people: un_status
 * ["ECOSOC special (2004)", "DGC associated"], and un_status_text, the
 * same joined ("None" when it has none).  Adds both to row. */
void directory_add_un_status(json_t *row);

/* Adds to a representative row (un_post, un_rank, email) un_post_text,
 * their UN post for people ("Vienna, main representative"), and
 * email_href when it has an address. */
void directory_add_rep_post(json_t *rep);

#endif
