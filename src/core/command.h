/*
 * command.h -- what every alliance subcommand shares, the core's and the
 * modules': how a module declares one (struct module_command, listed in
 * its struct module), the exit codes, and opening the data folder's
 * database with the message that says what to do when it cannot be used.
 */
#ifndef ALLIANCE_COMMAND_H
#define ALLIANCE_COMMAND_H

#include <getopt.h>
#include <stddef.h>

#include "config.h"
#include "db.h"

#define EXIT_FAIL 1  /* the work failed (database, network, bad rows) */
#define EXIT_USAGE 2 /* the command line or the configuration is wrong */

/*
 * An `alliance NAME` subcommand.  main.c parses the options every command
 * takes (--config, --data, ...) and the command's own options, reads the
 * settings, then calls run with the operands that follow the options
 * (argv[0] is the first operand, not the command's name).  run returns an
 * exit code.  A list of them ends with a NULL name.
 */
struct module_command {
	const char *name; /* "import" */
	int (*run)(struct config *c, int argc, char **argv);
	const char *usage;   /* what follows "usage: alliance NAME " */
	const char *help;    /* the paragraph of `alliance NAME --help` */
	const char *summary; /* its line in `alliance --help`, after "  " */
	/* Its own options, NULL-name terminated, or NULL: getopt_long
	 * entries.  A flag sets an int through its flag pointer ({"dry-run",
	 * no_argument, &dry_run, 1}); an entry whose flag is NULL ({"name",
	 * required_argument, NULL, 'n'}) is handed to option with its val
	 * and argument. */
	const struct option *options;
	void (*option)(int val, const char *arg);
};

/*
 * A kind of file `alliance import KIND FILE` reads, declared by the module
 * that owns the rows (struct module's imports, NULL-kind terminated): the
 * core's import command looks KIND up in every module's list, opens the
 * database and calls run, and lists the kinds in its --help and its line
 * of `alliance --help`.  run reads the file at path ("-": standard input)
 * and writes everything or nothing (one transaction; dry_run: check
 * only), shows a progress bar on standard error when it is a terminal,
 * says what was wrong or what was done, and returns an exit code (0,
 * EXIT_FAIL: bad file or rows, the database; nothing written).
 */
struct module_import {
	const char *kind;    /* "meetings" */
	const char *file;    /* "FILE.ics": its operand in the usage */
	const char *summary; /* its line in `alliance import --help` */
	int (*run)(struct db *db, const char *path, int dry_run);
};

/* A progress bar on standard error for a long command (an import), shown
 * only when standard error is a terminal: command_bar_start gives one
 * named what ("meetings"), command_progress (the shape of a progress
 * callback: ctx is the bar) redraws it every 1% and every 1000 items,
 * command_bar_end ends its line. */
struct command_bar {
	int shown;   /* a bar is on the terminal */
	int percent; /* last shown */
	const char *what;
};
/* 1 when standard error is a terminal (then call command_progress). */
int command_bar_start(struct command_bar *b, const char *what);
void command_progress(void *ctx, size_t done, size_t total);
void command_bar_end(struct command_bar *b);

/* The database: the database setting (a postgresql:// URL) when set,
 * else the data folder's file, DATA/alliance.db.  Show it with
 * db_target_shown (a URL may hold a password). */
void command_db_file(const struct config *c, char *out, size_t len);
/* Opens the existing database of the data folder, or says how to create
 * it (or why it cannot be opened) on stderr and returns NULL. */
struct db *command_open_existing(const struct config *c);
/* Whether db was migrated by a newer alliance than this one (then serving
 * or writing it would run statements written for another schema); says
 * so.  Also 1 when schema_migrations cannot be read. */
int command_schema_refused(struct db *db);
/* Opens the database of the data folder when it exists and is up to date
 * (for the commands that write to it), or explains and returns NULL. */
struct db *command_open_current(const struct config *c);

#endif
