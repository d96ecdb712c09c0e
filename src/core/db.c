/*
 * db.c -- the SQLite implementation of db.h.
 *
 * Connections: db_open() sets the pragmas every connection needs (WAL,
 * foreign keys, synchronous=FULL, busy timeout).  Statement tables are
 * registered once at start-up; each gets a range of slots, and every
 * connection keeps an array of prepared statements indexed by slot, filled
 * lazily.  Migrations are the embedded files <module>/migrations/NNNN_*.sql,
 * applied in the order of their number and recorded in schema_migrations.
 */
#include "db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "log.h"
#include "util.h"

struct db {
	sqlite3 *h;
	sqlite3_stmt *data_version;
	struct db_stmt **stmts; /* by slot */
	size_t nstmts;
};

struct db_stmt {
	sqlite3_stmt *s;
	struct db *db;
};

static size_t nslots;
static char *dbfile;
static __thread struct db *thread_db;
/* closes a worker's connection when its thread ends */
static pthread_key_t thread_key;
static pthread_once_t thread_key_once = PTHREAD_ONCE_INIT;

static void
thread_db_destroy(void *db)
{
	db_close(db);
}

static void
thread_key_init(void)
{
	pthread_key_create(&thread_key, thread_db_destroy);
}

void
db_register(struct db_sql *t)
{
	t->slot = nslots;
	nslots += t->n;
}

void
db_set_path(const char *path)
{
	free(dbfile);
	dbfile = xstrdup(path);
}

const char *
db_path(void)
{
	return dbfile;
}

static int
exec_sql(struct db *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		if (err)
			snprintf(err, errlen, "%s", msg ? msg : "unknown");
		else
			log_error("db: %s: %s", sql, msg ? msg : "unknown");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

struct db *
db_open(const char *path, char *err, size_t errlen)
{
	struct db *db = xcalloc(1, sizeof(*db));
	char perr[256];

	if (sqlite3_open_v2(path, &db->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
			 db->h ? sqlite3_errmsg(db->h) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->h, 5000);
	sqlite3_extended_result_codes(db->h, 1);
	if (exec_sql(db,
		     "PRAGMA journal_mode=WAL;"
		     "PRAGMA foreign_keys=ON;"
		     "PRAGMA synchronous=FULL;"
		     "PRAGMA temp_store=MEMORY;"
		     /* reads of the database file map it instead of copying
		      * each page out of the kernel (perf showed those copies
		      * as the largest cost of an uncached directory page),
		      * and a larger page cache for the WAL's pages */
		     "PRAGMA mmap_size=268435456;"
		     "PRAGMA cache_size=-16384;",
		     perr, sizeof(perr)) != 0) {
		snprintf(err, errlen, "cannot set up %s: %s", path, perr);
		goto fail;
	}
	return db;
fail:
	sqlite3_close(db->h);
	free(db);
	return NULL;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->nstmts; i++) {
		if (db->stmts[i]) {
			sqlite3_finalize(db->stmts[i]->s);
			free(db->stmts[i]);
		}
	}
	free(db->stmts);
	sqlite3_finalize(db->data_version);
	sqlite3_close(db->h);
	free(db);
}

struct db *
db_thread(void)
{
	char err[512];

	if (thread_db == NULL && dbfile != NULL) {
		thread_db = db_open(dbfile, err, sizeof(err));
		if (thread_db == NULL) {
			log_error("db: %s", err);
			return NULL;
		}
		pthread_once(&thread_key_once, thread_key_init);
		pthread_setspecific(thread_key, thread_db);
	}
	return thread_db;
}

void
db_thread_close(void)
{
	if (thread_db)
		pthread_setspecific(thread_key, NULL);
	db_close(thread_db);
	thread_db = NULL;
}

static struct db_stmt *
prepare(struct db *db, const char *sql)
{
	struct db_stmt *st;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
			       NULL) != SQLITE_OK) {
		log_error("db: prepare failed: %s: %s", sqlite3_errmsg(db->h),
			  sql);
		return NULL;
	}
	st = xmalloc(sizeof(*st));
	st->s = s;
	st->db = db;
	return st;
}

struct db_stmt *
db_stmt(struct db *db, const struct db_sql *t, size_t idx)
{
	size_t slot = t->slot + idx;
	struct db_stmt *st;

	if (idx >= t->n)
		abort(); /* a programming error: the enum and table differ */
	if (slot >= db->nstmts) {
		db->stmts = xrealloc(db->stmts, nslots * sizeof(*db->stmts));
		memset(db->stmts + db->nstmts, 0,
		       (nslots - db->nstmts) * sizeof(*db->stmts));
		db->nstmts = nslots;
	}
	st = db->stmts[slot];
	if (st == NULL) {
		st = db->stmts[slot] = prepare(db, t->sql[idx]);
		if (st == NULL)
			return NULL;
	}
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
	return st;
}

struct db_stmt *
db_prepare_adhoc(struct db *db, const char *sql)
{
	return prepare(db, sql);
}

void
db_stmt_free(struct db_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->s);
	free(st);
}

void
db_bind_textn(struct db_stmt *st, int i, const char *s, size_t n)
{
	if (s == NULL)
		sqlite3_bind_null(st->s, i);
	else
		sqlite3_bind_text64(st->s, i, s, n, SQLITE_TRANSIENT,
				    SQLITE_UTF8);
}

void
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	db_bind_textn(st, i, s, s ? strlen(s) : 0);
}

void
db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st->s, i, v);
}

void
db_bind_null(struct db_stmt *st, int i)
{
	sqlite3_bind_null(st->s, i);
}

int
db_step(struct db_stmt *st)
{
	int rc = sqlite3_step(st->s);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st->s);
		return DB_DONE;
	}
	log_error("db: %s: %s", sqlite3_errmsg(st->db->h), sqlite3_sql(st->s));
	sqlite3_reset(st->s);
	return DB_ERROR;
}

void
db_reset(struct db_stmt *st)
{
	sqlite3_reset(st->s);
}

int
db_run(struct db_stmt *st)
{
	int rc;

	while ((rc = db_step(st)) == DB_ROW)
		;
	return rc == DB_DONE ? 0 : -1;
}

const char *
db_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->s, i);
}

int64_t
db_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(st->s, i);
}

int
db_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(st->s);
}

json_t *
db_row_json(struct db_stmt *st)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st->s);

	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st->s, i);
		json_t *v;

		switch (sqlite3_column_type(st->s, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(st->s, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(st->s, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			/* a row stored before the door checked UTF-8 must
			 * not make the whole answer unwritable */
			v = json_string_lossy(
				(const char *)sqlite3_column_text(st->s, i),
				(size_t)sqlite3_column_bytes(st->s, i));
			break;
		}
		json_object_set_new_nocheck(o, name, v);
	}
	return o;
}

json_t *
db_all_json(struct db_stmt *st)
{
	json_t *a = json_array();
	int rc;

	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(a, db_row_json(st));
	if (rc != DB_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *
db_one_json(struct db_stmt *st)
{
	int rc = db_step(st);
	json_t *o;

	if (rc == DB_DONE)
		return json_null();
	if (rc != DB_ROW)
		return NULL;
	o = db_row_json(st);
	sqlite3_reset(st->s);
	return o;
}

int64_t
db_changes(struct db *db)
{
	return sqlite3_changes64(db->h);
}

int64_t
db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int
db_generation(struct db *db, uint64_t *gen)
{
	int64_t v;

	/* PRAGMA data_version moves on commits by other connections; this
	 * connection's own writes show in its total_changes */
	if (db->data_version == NULL &&
	    sqlite3_prepare_v3(db->h, "PRAGMA data_version", -1,
			       SQLITE_PREPARE_PERSISTENT, &db->data_version,
			       NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(db->data_version) != SQLITE_ROW) {
		sqlite3_reset(db->data_version);
		return -1;
	}
	v = sqlite3_column_int64(db->data_version, 0);
	sqlite3_reset(db->data_version);
	*gen = ((uint64_t)v << 32) ^
	       (uint64_t)(sqlite3_total_changes64(db->h) & 0xffffffff);
	return 0;
}

int
db_begin(struct db *db)
{
	return exec_sql(db, "BEGIN IMMEDIATE", NULL, 0);
}

int
db_commit(struct db *db)
{
	return exec_sql(db, "COMMIT", NULL, 0);
}

int
db_rollback(struct db *db)
{
	if (sqlite3_get_autocommit(db->h))
		return 0;
	return exec_sql(db, "ROLLBACK", NULL, 0);
}

/* The embedded migrations in order of their number. */
struct migration {
	long version;
	const char *name;
	const struct embedded_file *file;
};

static int
migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* Fills m (caller frees) with the compiled-in migrations, sorted.  A
 * duplicate number is a build error caught here at every start. */
static size_t
migrations_list(struct migration **m)
{
	size_t n = 0;

	*m = xcalloc(embedded_count, sizeof(**m));
	for (size_t i = 0; i < embedded_count; i++) {
		const char *p = embedded_files[i].path, *base;

		if (strstr(p, "/migrations/") == NULL)
			continue;
		base = strrchr(p, '/') + 1;
		(*m)[n].version = strtol(base, NULL, 10);
		(*m)[n].name = base;
		(*m)[n].file = &embedded_files[i];
		n++;
	}
	qsort(*m, n, sizeof(**m), migration_cmp);
	for (size_t i = 1; i < n; i++) {
		if ((*m)[i].version == (*m)[i - 1].version) {
			fprintf(stderr, "alliance: two migrations numbered %ld\n",
				(*m)[i].version);
			abort();
		}
	}
	return n;
}

static const char migrations_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)";

static int
migration_applied(struct db *db, long version)
{
	struct db_stmt *st = db_prepare_adhoc(
		db, "SELECT 1 FROM schema_migrations WHERE version = ?");
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, version);
	rc = db_step(st);
	db_stmt_free(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int
db_migrate(struct db *db, char *err, size_t errlen)
{
	struct migration *m;
	size_t n = migrations_list(&m);
	int applied = 0;

	if (exec_sql(db, migrations_table, err, errlen) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct db_stmt *st;
		char msg[512];
		int done = migration_applied(db, m[i].version);

		if (done < 0) {
			snprintf(err, errlen, "cannot read schema_migrations");
			goto fail;
		}
		if (done)
			continue;
		if (exec_sql(db, "BEGIN IMMEDIATE", err, errlen) != 0)
			goto fail;
		if (exec_sql(db, m[i].file->data, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "migration %s: %s", m[i].name,
				 msg);
			exec_sql(db, "ROLLBACK", NULL, 0);
			goto fail;
		}
		st = db_prepare_adhoc(db, "INSERT INTO schema_migrations "
					  "(version, name) VALUES (?, ?)");
		if (st == NULL) {
			snprintf(err, errlen, "cannot record migration");
			exec_sql(db, "ROLLBACK", NULL, 0);
			goto fail;
		}
		db_bind_int(st, 1, m[i].version);
		db_bind_text(st, 2, m[i].name);
		if (db_run(st) != 0 ||
		    exec_sql(db, "COMMIT", err, errlen) != 0) {
			db_stmt_free(st);
			snprintf(err, errlen, "cannot record migration %s",
				 m[i].name);
			exec_sql(db, "ROLLBACK", NULL, 0);
			goto fail;
		}
		db_stmt_free(st);
		applied++;
	}
	free(m);
	return applied;
fail:
	free(m);
	return -1;
}

int
db_pending_migrations(struct db *db)
{
	struct migration *m;
	size_t n = migrations_list(&m);
	int pending = 0;

	if (exec_sql(db, migrations_table, NULL, 0) != 0) {
		free(m);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int done = migration_applied(db, m[i].version);

		if (done < 0) {
			pending = -1;
			break;
		}
		pending += !done;
	}
	free(m);
	return pending;
}

int
db_backup(struct db *db, const char *dest, char *err, size_t errlen)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open(dest, &to) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", dest,
			 to ? sqlite3_errmsg(to) : "out of memory");
		sqlite3_close(to);
		return -1;
	}
	b = sqlite3_backup_init(to, "main", db->h, "main");
	if (b == NULL) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	/* copy in steps so writers are not held off for the whole copy */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(to);
		return -1;
	}
	rc = sqlite3_close(to);
	return rc == SQLITE_OK ? 0 : -1;
}
