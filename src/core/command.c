/*
 * command.c -- see command.h.
 */
#include "command.h"

#include <stdio.h>
#include <unistd.h>

void
command_db_file(const struct config *c, char *out, size_t len)
{
	if (c->database[0])
		snprintf(out, len, "%s", c->database);
	else
		snprintf(out, len, "%s/alliance.db", c->data_dir);
}

struct db *
command_open_existing(const struct config *c)
{
	char path[1100], err[512];
	struct db *db;

	command_db_file(c, path, sizeof(path));
	if (!db_target_is_pg(path) && access(path, F_OK) != 0) {
		fprintf(stderr,
			"alliance: no database at %s\n"
			"  create it with: alliance init --data %s\n",
			path, c->data_dir);
		return NULL;
	}
	db = db_open(path, err, sizeof(err));
	if (db == NULL)
		fprintf(stderr, "alliance: %s\n", err);
	return db;
}

int
command_schema_refused(struct db *db)
{
	char err[512];

	if (db_check_schema(db, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "alliance: %s\n", err);
	return 1;
}

struct db *
command_open_current(const struct config *c)
{
	struct db *db = command_open_existing(c);
	int pending;

	if (db == NULL)
		return NULL;
	if (command_schema_refused(db)) {
		db_close(db);
		return NULL;
	}
	pending = db_pending_migrations(db);
	if (pending != 0) {
		fprintf(stderr,
			"alliance: the database needs %d migration%s: run "
			"alliance migrate --data %s\n",
			pending, pending == 1 ? "" : "s", c->data_dir);
		db_close(db);
		return NULL;
	}
	return db;
}

int
command_bar_start(struct command_bar *b, const char *what)
{
	b->shown = 0;
	b->percent = -1;
	b->what = what;
	return isatty(STDERR_FILENO);
}

void
command_progress(void *ctx, size_t done, size_t total)
{
	struct command_bar *b = ctx;
	int pct = total ? (int)(done * 100 / total) : 100;

	if (pct == b->percent && done % 1000 != 0 && done != total)
		return;
	b->percent = pct;
	b->shown = 1;
	fprintf(stderr, "\r%s: [%-25.*s] %3d%% (%zu/%zu)", b->what, pct / 4,
		"#########################", pct, done, total);
	fflush(stderr);
}

void
command_bar_end(struct command_bar *b)
{
	if (b->shown)
		fputc('\n', stderr);
	b->shown = 0;
}
