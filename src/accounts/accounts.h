/*
 * accounts.h -- a person's own account: sign-up, sign-in, sign-out,
 * password reset, address and password changes, sessions, API tokens and
 * the profile, and the language one reads the site in.
 *
 * One module per page family, in the order of the routes they had when
 * they were one table: signup.c, signin.c, settings.c, sessions.c,
 * profile.c; then language.c (the language chooser's route), and
 * people.c and invite.c, the secretariat's desk of everyone's accounts.  Each lists
 * its routes under the module name "accounts".
 * Their statements are one table, accounts_sql (accounts.c), which the
 * application registers once.
 */
#ifndef ALLIANCE_ACCOUNTS_H
#define ALLIANCE_ACCOUNTS_H

#include "core/db.h"
#include "core/http.h"

extern const struct module accounts_signup_module;
extern const struct module accounts_signin_module;
extern const struct module accounts_settings_module;
extern const struct module accounts_sessions_module;
extern const struct module accounts_profile_module;
extern const struct module accounts_language_module;
/* The secretariat's people desk: /admin/people and a page per person
 * (people.c), and the mail sent from there (invite.c). */
extern const struct module accounts_people_module;
extern const struct module accounts_invite_module;

extern struct db_sql accounts_sql;

#endif
