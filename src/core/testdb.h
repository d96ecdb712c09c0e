/*
 * testdb.h -- for unit tests only: a fresh database with every compiled-in
 * migration, in a new folder under /tmp, and its removal.  Header-only so
 * that it never enters the alliance binary.
 */
#ifndef ALLIANCE_TESTDB_H
#define ALLIANCE_TESTDB_H

#include <stdio.h>
#include <stdlib.h>

#include "core/db.h"

/* Fills dir (64 bytes) and path (128 bytes) and opens *db with every
 * migration applied.  0, or -1 with a message on stderr. */
static inline int
testdb_open(char *dir, char *path, struct db **db)
{
	char err[512];

	snprintf(dir, 64, "/tmp/alliance-test-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(path, 128, "%s/alliance.db", dir);
	if ((*db = db_open(path, err, sizeof(err))) == NULL ||
	    db_migrate(*db, err, sizeof(err)) < 1) {
		fprintf(stderr, "test database: %s\n", err);
		return -1;
	}
	return 0;
}

/* Closes db and removes dir with everything in it.  0 or -1. */
static inline int
testdb_close(const char *dir, struct db *db)
{
	char cmd[128];

	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs sql, which reads no rows, on db.  0 or -1. */
static inline int
testdb_run(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare_adhoc(db, sql);
	int rc = st ? db_run(st) : -1;

	db_stmt_free(st);
	return rc;
}

/* The integer in the first column of sql's first row, or -1. */
static inline int64_t
testdb_value(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare_adhoc(db, sql);
	int64_t v = -1;

	if (st && db_step(st) == DB_ROW)
		v = db_col_int(st, 0);
	db_stmt_free(st);
	return v;
}

/* A fresh database for one cmocka test: its folder, file and connection
 * (what testdb_setup puts in *state). */
struct testdb {
	char dir[64];
	char path[128];
	struct db *db;
};

/* cmocka setup: *state becomes a struct testdb with every migration
 * applied.  0 or -1. */
static inline int
testdb_setup(void **state)
{
	struct testdb *f = calloc(1, sizeof(*f));

	if (f == NULL || testdb_open(f->dir, f->path, &f->db) != 0)
		return -1;
	*state = f;
	return 0;
}

/* cmocka teardown: closes and removes the struct testdb in *state.  0 or
 * -1. */
static inline int
testdb_teardown(void **state)
{
	struct testdb *f = *state;

	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

#endif
