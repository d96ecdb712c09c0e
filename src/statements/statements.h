/*
 * statements.h -- civil society statements: what the Alliance says to a
 * UN body or at a meeting (the Doha Civil Society Declaration, a
 * statement to the UNCAC's Conference of the States Parties), endorsed
 * by its member organisations.
 *
 * A statement is drafted by the secretariat (naming the working party
 * that wrote it, when one did), opened for endorsement until a closing
 * date, then closed.  While it is open, the main contact of a member
 * organisation in good standing (its membership active or in its grace
 * period) endorses it for the organisation, or takes the endorsement
 * back; the organisations that endorsed it are named on its public page,
 * in its CSV and in its JSON.  Who endorsed for an organisation is kept
 * for the secretariat only.
 *
 *   statements.c   statements_module: /statements, a statement's page,
 *                  its endorsements as CSV, endorsing; the search index
 *   secretariat.c  statements_admin_module: /admin/statements, drafting,
 *                  editing, opening, closing, deleting a draft, recording
 *                  and removing an endorsement; the tile of drafts; the
 *                  letters of an opening (notices.c)
 *   drafting.c     statements_drafting_module: a working party's chairs
 *                  draft a statement and ask the secretariat to open it
 *   form.c         the statement's form, shared by the two
 */
#ifndef ALLIANCE_STATEMENTS_H
#define ALLIANCE_STATEMENTS_H

#include "core/http.h"

extern const struct module statements_module;
extern const struct module statements_admin_module;
extern const struct module statements_drafting_module;

#endif
