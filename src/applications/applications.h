/*
 * applications.h -- the applications module's public header: Join (an
 * application for membership), the secretariat's review and approval of
 * the applications, and the answer page for the secretariat's questions.
 * Nothing of it is used by another module; app.c lists its modules.
 *
 * applications is the highest of the member modules: it includes
 * organisations.h (the organisation's fields, people and invitations) and
 * membership.h (the helpers, the periods).
 */
#ifndef ALLIANCE_APPLICATIONS_H
#define ALLIANCE_APPLICATIONS_H

#include "core/http.h"

extern const struct module answer_module;
extern const struct module join_module;
extern const struct module review_module;

#endif
