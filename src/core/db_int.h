/*
 * db_int.h -- inside the store: what db.c (the part both backends share:
 * statement registry, per-thread connection, JSON rows, migrations) asks
 * of a backend (db_sqlite.c, db_pg.c).  No feature includes this file.
 *
 * A backend's connection and statement begin with struct db and struct
 * db_stmt (its own struct has them as first member), so db.c keeps the
 * statement cache and the backend its handles.  db.h's functions that
 * only one backend can answer call through db->be.
 */
#ifndef ALLIANCE_DB_INT_H
#define ALLIANCE_DB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct db_backend;

struct db {
	const struct db_backend *be;
	struct db_stmt **stmts; /* by slot, filled on first use */
	size_t nstmts;
};

struct db_stmt {
	struct db *db;
};

/* What a column of the current row holds, for db_row_json. */
enum db_kind { DB_KIND_NULL, DB_KIND_INT, DB_KIND_REAL, DB_KIND_TEXT };

struct db_backend {
	const char *name;    /* "sqlite", "pg" */
	const char *variant; /* migration variant: NNNN_name.<variant>.sql */
	/* target: a file (sqlite) or a postgresql:// URL */
	struct db *(*open)(const char *target, char *err, size_t errlen);
	void (*close)(struct db *db);
	/* NULL (logged) when sql does not prepare */
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	void (*finalize)(struct db_stmt *st);
	/* resets a statement; clear also forgets its bindings */
	void (*reset)(struct db_stmt *st, int clear);
	void (*bind_text)(struct db_stmt *st, int i, const char *s, size_t n);
	void (*bind_int)(struct db_stmt *st, int i, int64_t v);
	void (*bind_null)(struct db_stmt *st, int i);
	int (*step)(struct db_stmt *st);
	int (*col_count)(struct db_stmt *st);
	const char *(*col_name)(struct db_stmt *st, int i);
	enum db_kind (*col_kind)(struct db_stmt *st, int i);
	const char *(*col_text)(struct db_stmt *st, int i, size_t *len);
	int64_t (*col_int)(struct db_stmt *st, int i);
	double (*col_real)(struct db_stmt *st, int i);
	int64_t (*changes)(struct db *db);
	int64_t (*last_id)(struct db *db);
	int (*generation)(struct db *db, uint64_t *gen);
	int (*begin)(struct db *db);
	/* db_begin_rows; NULL: begin */
	int (*begin_rows)(struct db *db);
	int (*commit)(struct db *db);
	int (*rollback)(struct db *db);
	int (*abandoned)(struct db *db);
	/* Runs a script of statements without bindings (a migration, inside
	 * db_begin); 0, or -1 with the message in err. */
	int (*exec)(struct db *db, const char *sql, char *err, size_t errlen);
	/* After a migration's script, in its transaction: what the backend
	 * keeps in step with the schema (pg: identity sequences). */
	int (*migrated)(struct db *db, char *err, size_t errlen);
	/* The backend's bookkeeping tables (schema_migrations, ...), created
	 * when missing; 0, or -1 with err. */
	int (*bootstrap)(struct db *db, char *err, size_t errlen);
	/* Whether the connection is lost for good (the server went away):
	 * db_thread() then opens another.  NULL: never. */
	int (*lost)(struct db *db);
	int (*backup)(struct db *db, const char *dest,
		      db_backup_progress progress, void *arg, char *err,
		      size_t errlen);
};

extern const struct db_backend db_sqlite_backend;
extern const struct db_backend db_pg_backend;

/* For the pg backend and its tests: sql with its '?' and '?N'
 * placeholders written $N (quoted strings, quoted names and comments left
 * alone), malloc'd; *nparams the highest number used; used[N] set to 1
 * for each number N < usedlen the text uses (used may be NULL). */
char *db_pg_placeholders(const char *sql, int *nparams, unsigned char *used,
			 size_t usedlen);
/* For the pg backend and its tests: a shared migration in PostgreSQL's
 * words (INTEGER PRIMARY KEY an identity, INTEGER a bigint), malloc'd. */
char *db_pg_dialect(const char *sql);

#endif
