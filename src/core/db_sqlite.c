/*
 * db.c -- the SQLite implementation of db.h.
 *
 * Connections: db_open() sets the pragmas every connection needs (WAL,
 * foreign keys, synchronous=FULL, busy timeout).  Statement tables are
 * registered once at start-up; each gets a range of slots, and every
 * connection keeps an array of prepared statements indexed by slot, filled
 * lazily.  Migrations are the embedded files <module>/migrations/NNNN_*.sql,
 * applied in the order of their number and recorded in schema_migrations.
 *
 * Writers of one process queue here, not in SQLite: SQLite lets one writer
 * in at a time and makes the others sleep and retry (no queue, so a writer
 * can lose every race until its busy timeout runs out, and while it sleeps
 * every request of its worker thread waits).  So a connection takes the
 * process's writer queue -- a FIFO ticket lock -- before it writes: in
 * db_begin() until COMMIT or ROLLBACK, and around a write statement run
 * outside a transaction (db_step() asks sqlite3_stmt_readonly()).  Reads
 * never take it (WAL readers do not wait for the writer).  The busy
 * timeout (30 s) is left for other processes: `alliance worker`, the
 * command line, sqlite3.
 */
#include "db.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "embed.h"
#include "log.h"
#include "util.h"

/* How long SQLite waits for the write lock held by another process. */
#define DB_BUSY_TIMEOUT_MS 30000

struct db {
	sqlite3 *h;
	sqlite3_stmt *data_version;
	struct db_stmt **stmts; /* by slot */
	size_t nstmts;
	int in_txn; /* db_begin() took the writer queue */
	int holds;  /* reasons this connection holds the writer queue */
};

struct db_stmt {
	sqlite3_stmt *s;
	struct db *db;
	int holds; /* a write outside a transaction, stepped, not yet reset */
};

/*
 * The process's writer queue: a ticket lock, so writers go in the order
 * they came.  A thread that already holds it (through another connection:
 * tools and tests open two) takes it again instead of waiting for itself.
 */
static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned long next, serving;
	pthread_t owner;
	unsigned depth;
} wq = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0};

/* Waits for the writer queue's turn of the calling thread.  Never gives
 * up (no write is refused because another is in progress); says so in the
 * log every 10 s of waiting, which only a writer that never ends causes. */
static void
writer_lock(void)
{
	unsigned long ticket;
	int waited = 0;

	pthread_mutex_lock(&wq.mu);
	if (wq.depth > 0 && pthread_equal(wq.owner, pthread_self())) {
		wq.depth++;
		pthread_mutex_unlock(&wq.mu);
		return;
	}
	ticket = wq.next++;
	while (ticket != wq.serving) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 10;
		if (pthread_cond_timedwait(&wq.cv, &wq.mu, &until) ==
		    ETIMEDOUT) {
			waited += 10;
			log_error("db: a write has waited %d s for another "
				  "write of this process to end",
				  waited);
		}
	}
	wq.owner = pthread_self();
	wq.depth = 1;
	pthread_mutex_unlock(&wq.mu);
}

static void
writer_unlock(void)
{
	pthread_mutex_lock(&wq.mu);
	assert(wq.depth > 0 && pthread_equal(wq.owner, pthread_self()));
	if (--wq.depth == 0) {
		wq.serving++;
		pthread_cond_broadcast(&wq.cv);
	}
	pthread_mutex_unlock(&wq.mu);
}

/* A connection takes the queue for its first reason and lets it go with
 * its last. */
static void
hold(struct db *db)
{
	if (db->holds++ == 0)
		writer_lock();
}

static void
release(struct db *db)
{
	assert(db->holds > 0);
	if (--db->holds == 0)
		writer_unlock();
}

/* Resets a statement and lets go of the queue if its step took it. */
static void
stmt_reset(struct db_stmt *st)
{
	sqlite3_reset(st->s);
	if (st->holds) {
		st->holds = 0;
		release(st->db);
	}
}

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
	sqlite3_busy_timeout(db->h, DB_BUSY_TIMEOUT_MS);
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
	db_abandoned(db);
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
	st = xcalloc(1, sizeof(*st));
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
	stmt_reset(st);
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
	stmt_reset(st);
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
	int rc;

	/* a write outside a transaction queues like db_begin(); it holds
	 * the queue until the statement is reset (RETURNING rows) */
	if (!st->holds && !sqlite3_stmt_busy(st->s) &&
	    !sqlite3_stmt_readonly(st->s) &&
	    sqlite3_get_autocommit(st->db->h)) {
		hold(st->db);
		st->holds = 1;
	}
	rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		stmt_reset(st);
		return DB_DONE;
	}
	log_error("db: %s: %s", sqlite3_errmsg(st->db->h), sqlite3_sql(st->s));
	stmt_reset(st);
	return DB_ERROR;
}

void
db_reset(struct db_stmt *st)
{
	stmt_reset(st);
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
	stmt_reset(st);
	return o;
}

int
db_one_int(struct db_stmt *st, int64_t *v)
{
	int rc = db_step(st);

	if (rc != DB_ROW)
		return -1;
	*v = db_col_int(st, 0);
	stmt_reset(st);
	return 0;
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
	if (db->in_txn) {
		log_error("db: BEGIN inside a transaction");
		return -1;
	}
	hold(db);
	if (exec_sql(db, "BEGIN IMMEDIATE", NULL, 0) != 0) {
		release(db);
		return -1;
	}
	db->in_txn = 1;
	return 0;
}

/* The transaction of db_begin() has ended: let the queue go. */
static void
txn_end(struct db *db)
{
	if (db->in_txn) {
		db->in_txn = 0;
		release(db);
	}
}

int
db_commit(struct db *db)
{
	int rc = exec_sql(db, "COMMIT", NULL, 0);

	/* a COMMIT that fails leaves the transaction open: end it here so
	 * the queue is not held by a caller that only returns its error */
	if (rc != 0 && !sqlite3_get_autocommit(db->h))
		exec_sql(db, "ROLLBACK", NULL, 0);
	txn_end(db);
	return rc;
}

int
db_rollback(struct db *db)
{
	int rc = 0;

	/* SQLite may have rolled back already (SQLITE_FULL, SQLITE_IOERR) */
	if (!sqlite3_get_autocommit(db->h))
		rc = exec_sql(db, "ROLLBACK", NULL, 0);
	txn_end(db);
	return rc;
}

int
db_abandoned(struct db *db)
{
	int was = db->in_txn || !sqlite3_get_autocommit(db->h)
			  ? DB_ABANDONED_TXN
			  : 0;

	if (!was && db->holds == 0)
		return 0; /* the usual case: nothing to look for */
	for (size_t i = 0; i < db->nstmts; i++) {
		if (db->stmts[i] && db->stmts[i]->holds) {
			stmt_reset(db->stmts[i]);
			if (!was)
				was = DB_ABANDONED_STMT;
		}
	}
	if (!sqlite3_get_autocommit(db->h))
		exec_sql(db, "ROLLBACK", NULL, 0);
	txn_end(db);
	return was;
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

/* Creates schema_migrations when it is missing; 0 or -1. */
static int
migrations_table_ensure(struct db *db, char *err, size_t errlen)
{
	int rc;

	hold(db);
	rc = exec_sql(db, migrations_table, err, errlen);
	release(db);
	return rc;
}

/* Applies migration mi in its own transaction; 0 or -1 with err. */
static int
migration_apply(struct db *db, const struct migration *mi, char *err,
		size_t errlen)
{
	struct db_stmt *st = NULL;
	char msg[512];
	int rc = -1;

	hold(db);
	if (exec_sql(db, "BEGIN IMMEDIATE", err, errlen) != 0)
		goto out;
	if (exec_sql(db, mi->file->data, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen, "migration %s: %s", mi->name, msg);
		goto rollback;
	}
	st = db_prepare_adhoc(db, "INSERT INTO schema_migrations "
				  "(version, name) VALUES (?, ?)");
	if (st == NULL) {
		snprintf(err, errlen, "cannot record migration");
		goto rollback;
	}
	db_bind_int(st, 1, mi->version);
	db_bind_text(st, 2, mi->name);
	if (db_run(st) != 0 || exec_sql(db, "COMMIT", err, errlen) != 0) {
		snprintf(err, errlen, "cannot record migration %s", mi->name);
		goto rollback;
	}
	rc = 0;
	goto out;
rollback:
	exec_sql(db, "ROLLBACK", NULL, 0);
out:
	db_stmt_free(st);
	release(db);
	return rc;
}

/* 0 when every migration recorded in the database is one of the n in m,
 * 1 when the database carries one this binary does not know (a newer
 * binary migrated it; err says which), -1 when it cannot be read. */
static int
schema_known(struct db *db, const struct migration *m, size_t n, char *err,
	     size_t errlen)
{
	struct db_stmt *st = db_prepare_adhoc(
		db, "SELECT version, name FROM schema_migrations"
		    " ORDER BY version DESC");
	long newest = n ? m[n - 1].version : 0;
	int rc, unknown = 0;

	if (st == NULL) {
		snprintf(err, errlen, "cannot read schema_migrations");
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW && !unknown) {
		long v = (long)db_col_int(st, 0);
		const char *name = db_col_text(st, 1);
		size_t i = 0;

		while (i < n && m[i].version != v)
			i++;
		if (i < n && name && strcmp(m[i].name, name) == 0)
			continue;
		unknown = 1;
		snprintf(err, errlen,
			 "this database needs alliance with migration %04ld "
			 "(schema %ld: %s); this binary knows up to %04ld: "
			 "run the newer alliance, or restore a backup taken "
			 "before it migrated",
			 v, v, name ? name : "?", newest);
	}
	db_stmt_free(st);
	if (rc == DB_ERROR) {
		snprintf(err, errlen, "cannot read schema_migrations");
		return -1;
	}
	return unknown;
}

int
db_check_schema(struct db *db, char *err, size_t errlen)
{
	struct migration *m;
	size_t n = migrations_list(&m);
	int rc = migrations_table_ensure(db, err, errlen);

	if (rc == 0)
		rc = schema_known(db, m, n, err, errlen);
	free(m);
	return rc;
}

int
db_migrate(struct db *db, char *err, size_t errlen)
{
	struct migration *m;
	size_t n = migrations_list(&m);
	int applied = 0;

	if (migrations_table_ensure(db, err, errlen) != 0 ||
	    schema_known(db, m, n, err, errlen) != 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		int done = migration_applied(db, m[i].version);

		if (done < 0) {
			snprintf(err, errlen, "cannot read schema_migrations");
			goto fail;
		}
		if (done)
			continue;
		if (migration_apply(db, &m[i], err, errlen) != 0)
			goto fail;
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

	if (migrations_table_ensure(db, NULL, 0) != 0) {
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

/* The folder part of path, in out. */
static void
dir_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(out, len, ".");
	else if (slash == path)
		snprintf(out, len, "/");
	else
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

/* Copies the snapshot of db's read transaction into the database file
 * tmp, a page step at a time.  0, 1 when progress asked to stop, or -1. */
static int
backup_copy(struct db *db, const char *tmp, db_backup_progress progress,
	    void *arg, char *err, size_t errlen)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b = NULL;
	int rc, stopped = 0;

	if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", tmp,
			 to ? sqlite3_errmsg(to) : "out of memory");
		sqlite3_close(to);
		return -1;
	}
	/* the copy is a temporary file until it is whole: no journal; it is
	 * synced once at the end */
	sqlite3_exec(to, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF",
		     NULL, NULL, NULL);
	b = sqlite3_backup_init(to, "main", db->h, "main");
	if (b == NULL) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(to));
		sqlite3_close(to);
		return -1;
	}
	/*
	 * The source has a read transaction open, so its snapshot does not
	 * move between steps and the backup never restarts, whatever other
	 * connections write meanwhile (they go on: WAL).  Steps only give
	 * progress and a chance to stop.
	 */
	do {
		rc = sqlite3_backup_step(b, 1024);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
		if (progress && progress(arg,
					 sqlite3_backup_pagecount(b) -
						 sqlite3_backup_remaining(b),
					 sqlite3_backup_pagecount(b)) != 0) {
			stopped = 1;
			break;
		}
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (!stopped && rc != SQLITE_DONE)
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
	if (sqlite3_close(to) != SQLITE_OK && !stopped && rc == SQLITE_DONE) {
		snprintf(err, errlen, "cannot close %s", tmp);
		rc = SQLITE_ERROR;
	}
	return stopped ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
db_backup(struct db *db, const char *dest, db_backup_progress progress,
	  void *arg, char *err, size_t errlen)
{
	char *tmp = NULL, dir[4096];
	int fd, rc = -1, snap = 0;
	size_t len = strlen(dest) + 16;

	tmp = xmalloc(len);
	snprintf(tmp, len, "%s.tmp-XXXXXX", dest);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
			 strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	/* one snapshot for the whole copy: a read transaction */
	if (exec_sql(db, "BEGIN", err, errlen) != 0 ||
	    exec_sql(db, "SELECT count(*) FROM sqlite_schema", err, errlen) !=
		    0)
		goto out;
	snap = 1;
	rc = backup_copy(db, tmp, progress, arg, err, errlen);
	if (rc != 0) {
		if (rc > 0)
			snprintf(err, errlen, "stopped; nothing written");
		rc = -1;
		goto out;
	}
	rc = -1;
	if (fsync_path(tmp, 0) != 0) {
		snprintf(err, errlen, "cannot sync %s: %s", tmp,
			 strerror(errno));
		goto out;
	}
	/* never over an existing file: a backup is not a restore (link and
	 * unlink where the file system cannot rename without replacing) */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) != 0 &&
	    (errno != EINVAL || link(tmp, dest) != 0 || unlink(tmp) != 0)) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, dest,
			 strerror(errno));
		goto out;
	}
	dir_of(dest, dir, sizeof(dir));
	if (fsync_path(dir, 1) != 0) {
		snprintf(err, errlen, "cannot sync %s: %s", dir,
			 strerror(errno));
		/* the copy is whole and named; only its name may not last a
		 * power cut: say so but keep it */
		goto out;
	}
	rc = 0;
out:
	if (snap)
		exec_sql(db, "COMMIT", NULL, 0);
	if (rc != 0) {
		unlink(tmp);
		{
			char j[4200];

			snprintf(j, sizeof(j), "%s-journal", tmp);
			unlink(j);
		}
	}
	free(tmp);
	return rc;
}
