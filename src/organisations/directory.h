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
#ifndef ALLIANCE_ORGANISATIONS_DIRECTORY_H
#define ALLIANCE_ORGANISATIONS_DIRECTORY_H

#include "core/http.h"

/* Organisations a page of the directory lists. */
#define DIRECTORY_PAGE_SIZE 50

#endif
