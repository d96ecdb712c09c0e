/*
 * manage.h -- an organisation's main contact manages it (issue 4,
 * "one of them the organisation's main contact who may renew and manage
 * the others"): manage.c edits the organisation, representatives.c
 * manages its representatives.
 *
 *   GET/POST /members/:slug/edit     its details, focal areas and
 *                                    directory visibility; UN status
 *                                    (shown to all, changed by
 *                                    administrators only)
 *   GET  /members/:slug/representatives            the list
 *   POST /members/:slug/representatives            invite one
 *   POST /members/:slug/representatives/:id/post   UN post and rank
 *   POST /members/:slug/representatives/:id/remove
 *   POST /members/:slug/representatives/:id/main-contact   hand over
 *
 * Who may: every route is for signed-in members and names the action
 * MANAGE_ACTION (organisations_int.h) on ("organisation", :slug), which the core decides with
 * auth_permits() before the handler runs: administrators, and whoever
 * holds the object role "main-contact" on the organisation.  That role
 * mirrors representatives.main_contact (migration 0013 keeps the two in
 * step with triggers), so the main contact is a fact in one place.
 * Everyone else signed in gets 403, visitors are sent to sign in.
 *
 * Every change is one transaction with its audit record, and the person
 * it concerns gets an e-mail.
 */
#ifndef ALLIANCE_ORGANISATIONS_MANAGE_H
#define ALLIANCE_ORGANISATIONS_MANAGE_H

#include "core/http.h"

/*
 * The organisation of :slug as a row (id, slug, name, the edited fields;
 * owned by the caller), or NULL when the answer is given: 404 when there
 * is none (only administrators get this far for one that does not
 * exist), 500 on error.  Inside a transaction, a failure rolls it back.
 */
json_t *manage_org_or_respond(struct req *r, struct resp *w);

/* Registers the permission rule of MANAGE_ACTION (before serving). */
void manage_init(void);

#endif
