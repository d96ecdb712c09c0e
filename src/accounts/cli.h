/*
 * cli.h -- `alliance user add|list|set-role|reset-password` and the first
 * administrator created by `alliance init`.
 */
#ifndef ALLIANCE_ACCOUNTS_CLI_H
#define ALLIANCE_ACCOUNTS_CLI_H

#include "core/command.h"
#include "core/config.h"
#include "core/db.h"

extern struct db_sql accounts_cli_sql;

struct user_args {
	const char *verb;  /* add, list, set-role, reset-password */
	const char *email;
	const char *name;  /* --name */
	const char *role;  /* --role, or set-role's second argument */
};

/* Runs one `alliance user` action; prints what happened (links on
 * standard output, errors on standard error).  Exit code: 0, 1 or 2. */
int accounts_cli_user(const struct config *c, struct db *db,
		      const struct user_args *u);

/* `alliance user`, for the accounts' sign-in module. */
extern const struct module_command accounts_commands[];

/* The module's settings: admin_email (--admin-email). */
extern const struct config_setting accounts_settings[];

/* The module's created hook, run by `alliance init`: creates the first
 * administrator (the admin_email setting) when there is none, and prints
 * the one-time sign-in link.  0, or -1 (said why). */
int accounts_created(const struct config *c, struct db *db);

#endif
