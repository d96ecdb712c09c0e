/*
 * db.h -- the store.
 *
 * Feature modules never see SQLite or libpq: they declare their SQL as a
 * statement table (an enum with a __MAX sentinel indexing a const array of
 * SQL text, wrapped in a struct db_sql) and run statements through the
 * functions below.  Statements use '?' placeholders and the subset of SQL
 * that SQLite and PostgreSQL share (scripts/check-sql.sh); where they must
 * differ, db_register_variant gives a backend its own text.  The database
 * is a SQLite file (db_sqlite.c) or a postgresql:// URL (db_pg.c); db.c
 * is what both share (db_int.h).
 *
 * Each worker thread has its own connection (db_thread()), opened on first
 * use (SQLite: WAL, foreign keys, synchronous=FULL and a busy timeout).
 * Each connection prepares a statement the first time it runs and keeps
 * it.
 *
 * Writers take turns: on SQLite in a FIFO queue of the process
 * (db_begin() until db_commit()/db_rollback(); a write statement outside
 * a transaction for its step), so they never race each other for SQLite's
 * lock; on PostgreSQL through one advisory lock every writer of every
 * process takes the same way.  Reads never wait for it.
 *
 * Errors: functions returning int give 0 (or DB_ROW/DB_DONE) on success and
 * -1 on failure, having logged the SQL error; a failing query is a 500 for
 * that request, never an exit.
 */
#ifndef ALLIANCE_DB_H
#define ALLIANCE_DB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* A module's statement table.  slot is assigned by db_register(). */
struct db_sql {
	const char *module;
	const char *const *sql;
	size_t n;
	size_t slot;
};

enum { DB_DONE = 0, DB_ROW = 1, DB_ERROR = -1 };

/* Registers a statement table; call at start-up before any connection. */
void db_register(struct db_sql *t);
/* Where the dialects must differ: sql (t->n entries, NULL where the
 * shared text serves) replaces t's statements on the backend whose
 * migration variant is variant ("sqlite" or "pg").  A statement with a
 * variant for each backend may be NULL in t.  Call after db_register,
 * before any connection; an array named NAME_sqlite is SQLite's own to
 * scripts/check-sql.sh. */
void db_register_variant(const struct db_sql *t, const char *variant,
			 const char *const *sql);

/* Prepares every statement of every registered table (each backend's
 * own text) once and forgets it: for `alliance check-statements`.  Calls
 * failed for each that does not prepare (the reason is logged) and
 * returns how many; *total is how many were tried. */
int db_check_statements(struct db *db,
			void (*failed)(void *arg, const char *module,
				       size_t idx, const char *sql),
			void *arg, size_t *total);
/* Sets the database used by db_thread(): a file, or a postgresql:// URL. */
void db_set_path(const char *path);
const char *db_path(void);

/* Opens a connection: path is a SQLite file (opened with the project's
 * pragmas) or a postgresql:// URL (db_pg.c).  NULL with a message in err
 * on failure (never the URL: it may hold a password).  The caller closes
 * it. */
struct db *db_open(const char *path, char *err, size_t errlen);
void db_close(struct db *db);
/* Whether target names a PostgreSQL database (postgresql:// or
 * postgres://) rather than a SQLite file. */
int db_target_is_pg(const char *target);
/* target as it may be shown (logs, check-config): a URL's password, in
 * its user part or a password= parameter, written ***. */
void db_target_shown(const char *target, char *out, size_t len);
/* "sqlite" or "PostgreSQL". */
const char *db_backend_name(const struct db *db);
/* Whether db's connection is gone for good (PostgreSQL: the server
 * dropped it; never for SQLite): close it and open another. */
int db_lost(struct db *db);
/* The calling thread's connection, opened on first use, and again when
 * it was lost; NULL when the database cannot be opened (logged). Closed
 * by db_thread_close(). */
struct db *db_thread(void);
void db_thread_close(void);

/* The statement idx of table t, reset and with bindings cleared; NULL when
 * it does not prepare (logged). Owned by the connection. */
struct db_stmt *db_stmt(struct db *db, const struct db_sql *t, size_t idx);
/* Prepares sql once (not cached): for migrations and tools.  Free with
 * db_stmt_free. */
struct db_stmt *db_prepare_adhoc(struct db *db, const char *sql);
void db_stmt_free(struct db_stmt *st);

/* Binding, 1-based like SQL placeholders.  text NULL binds NULL. */
void db_bind_text(struct db_stmt *st, int i, const char *s);
void db_bind_textn(struct db_stmt *st, int i, const char *s, size_t n);
void db_bind_int(struct db_stmt *st, int i, int64_t v);
void db_bind_null(struct db_stmt *st, int i);

/* DB_ROW, DB_DONE or DB_ERROR (logged). After DB_DONE or DB_ERROR the
 * statement is reset. */
int db_step(struct db_stmt *st);
/* Resets a statement that was not stepped to the end. */
void db_reset(struct db_stmt *st);
/* Runs a statement that returns no rows; 0 or -1. */
int db_run(struct db_stmt *st);

/* Column accessors for the current row, 0-based.  Text is valid until the
 * next step; NULL for SQL NULL. */
const char *db_col_text(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
int db_col_count(struct db_stmt *st);

/* The current row as a JSON object keyed by column name (integers as JSON
 * integers, text as strings -- bytes that are not UTF-8 as U+FFFD --, NULL
 * as null). New reference. */
json_t *db_row_json(struct db_stmt *st);
/* Steps st to the end: a JSON array of row objects, or NULL on error. */
json_t *db_all_json(struct db_stmt *st);
/* Steps once: the row object, json null when there is no row, or NULL on
 * error. The statement is reset. */
json_t *db_one_json(struct db_stmt *st);
/* Steps once: the first column of the row, as an integer, into *v (a
 * count).  0, or -1 on error or when there is no row.  The statement is
 * reset. */
int db_one_int(struct db_stmt *st, int64_t *v);

/* Rows changed by the last statement; the id of the last insert. */
int64_t db_changes(struct db *db);
int64_t db_last_id(struct db *db);

/* A number that changes whenever committed data in the database changes,
 * whoever committed it (this connection, another, another process): the
 * validator of the page cache.  0 or -1. */
int db_generation(struct db *db, uint64_t *gen);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK; 0 or -1.  db_begin
 * waits for its turn among the writers of this process (never refused
 * because another write is in progress), then up to 30 s for other
 * processes; the turn ends with db_commit or db_rollback, whatever they
 * return (a failing COMMIT is rolled back). */
int db_begin(struct db *db);
/* A transaction whose statements lock the rows they write themselves
 * (SELECT ... FOR UPDATE SKIP LOCKED: the job runner's claim), so it need
 * not wait for the other writers: on PostgreSQL BEGIN without the
 * writers' advisory lock, on SQLite the same as db_begin (one writer at a
 * time there anyway).  Ends with db_commit or db_rollback.  Only for
 * statements whose rule is the row locks they take: a read-then-write
 * rule needs db_begin. */
int db_begin_rows(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
/* Ends what a caller left open on db -- a transaction, a write statement
 * stepped but not reset -- rolling back and giving up the writer's turn.
 * 0 when there was nothing; DB_ABANDONED_TXN when a transaction was rolled
 * back (its writes are lost: whatever the caller said about them is not
 * true); DB_ABANDONED_STMT when only statements were reset (their writes,
 * in autocommit, stand).  Either is a bug of the caller: log it. */
#define DB_ABANDONED_STMT 1
#define DB_ABANDONED_TXN 2
int db_abandoned(struct db *db);

/* Applies the compiled-in migrations not yet applied, each in its own
 * transaction.  Returns the number applied, or -1 with a message. */
int db_migrate(struct db *db, char *err, size_t errlen);
/* The number of compiled-in migrations not yet applied, or -1. */
int db_pending_migrations(struct db *db);
/* 0 when this binary knows every migration the database has had; 1 when
 * a newer binary migrated it (err names the migration it needs and the
 * newest this binary knows); -1 when it cannot be read.  db_migrate
 * refuses such a database the same way. */
int db_check_schema(struct db *db, char *err, size_t errlen);

/* Told pages done of total after each step of a backup; nonzero stops
 * it. */
typedef int (*db_backup_progress)(void *arg, int done, int total);
/* Copies the database to dest, which must not exist: one snapshot (a read
 * transaction, so writers go on and the copy never restarts), into
 * dest.tmp-XXXXXX in the same folder, synced, renamed to dest and the
 * folder synced.  On failure or when progress stops it the temporary file
 * is removed and dest is never created.  0 or -1 with err. */
int db_backup(struct db *db, const char *dest, db_backup_progress progress,
	      void *arg, char *err, size_t errlen);

#endif
