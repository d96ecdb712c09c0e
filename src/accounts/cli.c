/*
 * cli.c -- `alliance user ...` and the first administrator of `init`.
 *
 * The command line never takes or prints a password: an account made here
 * gets a one-time link (printed on standard output) with which its owner
 * signs in once and chooses a password.  Every change is audited with
 * actor 0 (the system) and done in one transaction.
 *
 * What it prints (messages, the list's columns and states) stays English
 * and is not marked for translation: it is output for the operators who
 * run the server, like the log, not text for the site's readers, and
 * scripts may read it.
 */
#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/util.h"
#include "core/validate.h"

#define LINK_TTL (7 * 24 * 3600)

enum stmt_cli {
	C_INSERT,
	C_LIST,
	C_SET_ROLE,
	C_COUNT_ADMINS,
	C_END_SESSIONS,
	C__MAX,
};

static const char *const cli_sql_text[C__MAX] = {
	[C_INSERT] = "INSERT INTO people (email, name, role, created_at)"
		     " VALUES (?, ?, ?, ?)",
	[C_LIST] = "SELECT id, email, name, role,"
		   " email_verified_at IS NOT NULL, password_hash IS NOT NULL"
		   " FROM people ORDER BY id",
	[C_SET_ROLE] = "UPDATE people SET role = ? WHERE id = ?",
	[C_COUNT_ADMINS] = "SELECT count(*) FROM people WHERE role = 'admin'"
			   " AND disabled_at IS NULL",
	[C_END_SESSIONS] = "DELETE FROM sessions WHERE person_id = ?",
};

struct db_sql accounts_cli_sql = {"accounts-cli", cli_sql_text, C__MAX, 0};

/* The address as accounts.c stores it, or NULL with a message. */
static char *
checked_email(const char *email)
{
	char *s;

	if (email == NULL || !valid_email(email, strlen(email))) {
		fprintf(stderr, "alliance user: '%s' is not an e-mail address "
				"like name@example.org\n",
			email ? email : "");
		return NULL;
	}
	s = xstrdup(email);
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static int
fail_rollback(struct db *db, const char *what)
{
	db_rollback(db);
	fprintf(stderr, "alliance user: %s\n", what);
	return 1;
}

/* Prints the link for a one-time token of purpose at path. */
static void
print_link(const struct config *c, const char *path, const char *token,
	   const char *what)
{
	printf("%s (valid for 7 days, once):\n  %s%s%s\n", what, c->base_url,
	       path, token);
}

static int
user_add(const struct config *c, struct db *db, const char *email_arg,
	 const char *name, const char *role_name)
{
	enum role role = auth_role_from_name(role_name ? role_name : "member");
	char token[AUTH_TOKEN_LEN + 1], id_text[32];
	struct db_stmt *st;
	char *email = checked_email(email_arg);
	int64_t id;

	if (email == NULL)
		return 2;
	if (role == ROLE_NONE) {
		fprintf(stderr, "alliance user: role must be member, editor or "
				"admin\n");
		free(email);
		return 2;
	}
	if (name == NULL || *name == '\0' || strlen(name) > 200) {
		fprintf(stderr, "alliance user add: give the person's name: "
				"--name \"Ada Lovelace\"\n");
		free(email);
		return 2;
	}
	if (db_begin(db) != 0 ||
	    (st = db_stmt(db, &accounts_cli_sql, C_INSERT)) == NULL) {
		free(email);
		return fail_rollback(db, "the database is not available");
	}
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, auth_role_name(role));
	db_bind_int(st, 4, clock_now());
	if (db_run(st) != 0) {
		fprintf(stderr, "alliance user add: %s has an account already\n",
			email);
		free(email);
		db_rollback(db);
		return 1;
	}
	id = db_last_id(db);
	snprintf(id_text, sizeof(id_text), "%lld", (long long)id);
	if (audit_record_new(db, 0, "person.create", "person", id_text, NULL,
			     json_pack("{s:s,s:s,s:s}", "email", email, "name",
				       name, "role", auth_role_name(role)),
			     "cli") != 0 ||
	    auth_link_create(db, id, "signin", NULL, LINK_TTL, clock_now(),
			     token) != 0 ||
	    db_commit(db) != 0) {
		free(email);
		return fail_rollback(db, "the account could not be created");
	}
	printf("alliance: %s (%s) can now sign in as %s\n", name, email,
	       auth_role_name(role));
	print_link(c, "/signin/link?token=", token,
		   "Send them this sign-in link");
	free(email);
	return 0;
}

static int
user_list(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &accounts_cli_sql, C_LIST);
	int rc;

	if (st == NULL)
		return 1;
	printf("%-5s %-32s %-24s %-7s %s\n", "id", "email", "name", "role",
	       "state");
	while ((rc = db_step(st)) == DB_ROW)
		printf("%-5lld %-32s %-24s %-7s %s\n",
		       (long long)db_col_int(st, 0), db_col_text(st, 1),
		       db_col_text(st, 2), db_col_text(st, 3),
		       !db_col_int(st, 4)   ? "address not confirmed"
		       : !db_col_int(st, 5) ? "no password yet"
					    : "active");
	return rc == DB_DONE ? 0 : 1;
}

/* Loads the person of an e-mail address, or says why not. */
static int
find(struct db *db, const char *email_arg, struct arena *a, struct person *p)
{
	char *email = checked_email(email_arg);
	int rc;

	if (email == NULL)
		return 2;
	rc = auth_person_by_email(db, email, a, p, NULL);
	if (rc == 0)
		fprintf(stderr, "alliance user: nobody has the address %s\n",
			email);
	free(email);
	return rc == 1 ? 0 : rc == 0 ? 1 : 1;
}

static int
admins(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &accounts_cli_sql, C_COUNT_ADMINS);
	int n = -1;

	if (st && db_step(st) == DB_ROW) {
		n = (int)db_col_int(st, 0);
		db_reset(st);
	}
	return n;
}

static int
user_set_role(struct db *db, const char *email, const char *role_name)
{
	enum role role = auth_role_from_name(role_name);
	struct arena *a = arena_new();
	struct person p;
	struct db_stmt *st;
	char id_text[32];
	int rc = find(db, email, a, &p);

	if (rc != 0)
		goto done;
	if (role == ROLE_NONE) {
		fprintf(stderr, "alliance user set-role: the role must be "
				"member, editor or admin\n");
		rc = 2;
		goto done;
	}
	if (db_begin(db) != 0) {
		rc = fail_rollback(db, "the database is not available");
		goto done;
	}
	if (p.role == ROLE_ADMIN && role != ROLE_ADMIN && admins(db) <= 1) {
		rc = fail_rollback(db, "this is the last administrator; make "
				       "someone else admin first");
		goto done;
	}
	snprintf(id_text, sizeof(id_text), "%lld", (long long)p.id);
	st = db_stmt(db, &accounts_cli_sql, C_SET_ROLE);
	if (st == NULL) {
		rc = fail_rollback(db, "the database is not available");
		goto done;
	}
	db_bind_text(st, 1, auth_role_name(role));
	db_bind_int(st, 2, p.id);
	if (db_run(st) != 0 ||
	    audit_record_new(db, 0, "person.role.set", "person", id_text,
			 json_pack("{s:s}", "role", auth_role_name(p.role)),
			 json_pack("{s:s}", "role", auth_role_name(role)),
			 "cli") != 0 ||
	    db_commit(db) != 0) {
		rc = fail_rollback(db, "the role could not be changed");
		goto done;
	}
	printf("alliance: %s is now %s\n", p.email, auth_role_name(role));
done:
	arena_free(a);
	return rc;
}

static int
user_reset_password(const struct config *c, struct db *db, const char *email)
{
	char token[AUTH_TOKEN_LEN + 1], id_text[32];
	struct arena *a = arena_new();
	struct person p;
	int rc = find(db, email, a, &p);

	if (rc != 0)
		goto done;
	snprintf(id_text, sizeof(id_text), "%lld", (long long)p.id);
	/* a sign-in link: it also confirms the address of an account that
	 * never had a password (the first administrator) */
	if (db_begin(db) != 0 ||
	    auth_link_create(db, p.id, "signin", NULL, LINK_TTL, clock_now(),
			     token) != 0 ||
	    audit_record(db, 0, "person.password.link", "person", id_text, NULL,
			 NULL, "cli") != 0 ||
	    db_commit(db) != 0) {
		rc = fail_rollback(db, "no link could be made");
		goto done;
	}
	print_link(c, "/signin/link?token=", token,
		   "Sign-in link: it signs in once, then asks for a new "
		   "password");
done:
	arena_free(a);
	return rc;
}

int
accounts_cli_user(const struct config *c, struct db *db,
		  const struct user_args *u)
{
	if (u->verb == NULL) {
		fprintf(stderr, "alliance user: say what to do: add, list, "
				"set-role or reset-password\n");
		return 2;
	}
	if (strcmp(u->verb, "add") == 0)
		return user_add(c, db, u->email, u->name, u->role);
	if (strcmp(u->verb, "list") == 0)
		return user_list(db);
	if (strcmp(u->verb, "set-role") == 0) {
		if (u->email == NULL || u->role == NULL) {
			fprintf(stderr, "usage: alliance user set-role EMAIL "
					"ROLE\n");
			return 2;
		}
		return user_set_role(db, u->email, u->role);
	}
	if (strcmp(u->verb, "reset-password") == 0)
		return user_reset_password(c, db, u->email);
	fprintf(stderr, "alliance user: unknown action '%s'\n", u->verb);
	return 2;
}

/* admin_email, the module's setting: the address of the administrator
 * `alliance init` creates when the database has none. */
static char admin_email[256] = "admin@example.org";

static int
check_admin_email(const char *value, char *err, size_t errlen)
{
	if (valid_email(value, strlen(value)))
		return 0;
	snprintf(err, errlen, "admin_email must be an e-mail address, not '%s'",
		 value);
	return -1;
}

const struct config_setting accounts_settings[] = {
	{
		.key = "admin_email",
		.kind = CONFIG_STR,
		.size = sizeof(admin_email),
		.help = "the address of the first administrator, whom "
			"`alliance init` creates when there is none",
		.storage = admin_email,
		.def = "admin@example.org",
		.check = check_admin_email,
		.flag = "admin-email",
	},
	{.key = NULL},
};

int
accounts_created(const struct config *c, struct db *db)
{
	int n = admins(db);

	if (n != 0)
		return n < 0 ? -1 : 0;
	printf("\nThe first administrator:\n");
	if (user_add(c, db, admin_email, "Administrator", "admin") != 0)
		return -1;
	printf("Change the address on the account page after signing in. "
	       "For a new link later:\n  alliance user reset-password %s\n\n",
	       admin_email);
	return 0;
}

/* --name and --role of `alliance user`. */
static struct {
	const char *name, *role;
} user_opt;

static const struct option user_options[] = {
	{"name", required_argument, NULL, 'n'},
	{"role", required_argument, NULL, 'r'},
	{NULL, 0, NULL, 0},
};

static void
user_option(int val, const char *arg)
{
	if (val == 'n')
		user_opt.name = arg;
	else
		user_opt.role = arg;
}

static int
cmd_user(struct config *c, int argc, char **argv)
{
	struct user_args u = {0};
	struct db *db;
	int rc;

	u.verb = argc > 0 ? argv[0] : NULL;
	u.email = argc > 1 ? argv[1] : NULL;
	u.name = user_opt.name;
	u.role = user_opt.role;
	if (u.verb && strcmp(u.verb, "set-role") == 0)
		u.role = argc > 2 ? argv[2] : NULL;
	if (u.verb && strcmp(u.verb, "list") != 0 && u.email == NULL) {
		fprintf(stderr,
			"alliance user %s: name the account's e-mail "
			"address\n",
			u.verb);
		return EXIT_USAGE;
	}
	if ((db = command_open_current(c)) == NULL)
		return EXIT_FAIL;
	rc = accounts_cli_user(c, db, &u);
	db_close(db);
	return rc;
}

const struct module_command accounts_commands[] = {
	{.name = "user", .run = cmd_user,
	 .usage = "add EMAIL --name NAME [--role R] | list | set-role EMAIL "
		  "ROLE | reset-password EMAIL",
	 .help = "Manages accounts from the command line.  No password is "
		 "ever typed or shown\n"
		 "here: add and reset-password print a one-time sign-in link "
		 "(7 days) with\n"
		 "which the person signs in and chooses a password.  Roles: "
		 "member, editor,\n"
		 "admin.  Every change is in the audit log.",
	 .summary = "user ...      add, list, set-role, reset-password",
	 .options = user_options, .option = user_option},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
