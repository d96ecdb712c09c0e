/*
 * accounts.h -- a person's own account: sign-up, sign-in, sign-out,
 * password reset, address and password changes, sessions, API tokens and
 * the profile.
 */
#ifndef ALLIANCE_ACCOUNTS_H
#define ALLIANCE_ACCOUNTS_H

#include "core/http.h"

extern const struct module accounts_module;

#endif
