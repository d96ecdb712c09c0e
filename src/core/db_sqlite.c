/*
 * db_sqlite.c -- the SQLite backend of db.h (db_int.h): a database file.
 *
 * Connections: sq_open() sets the pragmas every connection needs (WAL,
 * foreign keys, synchronous=FULL, busy timeout).
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
#include "db_int.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* How long SQLite waits for the write lock held by another process. */
#define DB_BUSY_TIMEOUT_MS 30000

struct sq {
	struct db base;
	sqlite3 *h;
	sqlite3_stmt *data_version;
	int in_txn; /* db_begin() took the writer queue */
	int holds;  /* reasons this connection holds the writer queue */
};

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *s;
	int holds; /* a write outside a transaction, stepped, not yet reset */
};

#define SQ(db) ((struct sq *)(db))
#define ST(st) ((struct sq_stmt *)(st))

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
hold(struct sq *db)
{
	if (db->holds++ == 0)
		writer_lock();
}

static void
release(struct sq *db)
{
	assert(db->holds > 0);
	if (--db->holds == 0)
		writer_unlock();
}

/* Resets a statement and lets go of the queue if its step took it. */
static void
stmt_reset(struct sq_stmt *st)
{
	sqlite3_reset(st->s);
	if (st->holds) {
		st->holds = 0;
		release(SQ(st->base.db));
	}
}

static int
exec_sql(struct sq *db, const char *sql, char *err, size_t errlen)
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

static struct db *
sq_open(const char *path, char *err, size_t errlen)
{
	struct sq *db = xcalloc(1, sizeof(*db));
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
	return &db->base;
fail:
	sqlite3_close(db->h);
	free(db);
	return NULL;
}

/* After db.c has finalized the cached statements. */
static void
sq_close(struct db *base)
{
	struct sq *db = SQ(base);

	sqlite3_finalize(db->data_version);
	sqlite3_close(db->h);
	free(db);
}

static struct db_stmt *
sq_prepare(struct db *db, const char *sql)
{
	struct sq_stmt *st;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v3(SQ(db)->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &s, NULL) != SQLITE_OK) {
		log_error("db: prepare failed: %s: %s",
			  sqlite3_errmsg(SQ(db)->h), sql);
		return NULL;
	}
	st = xcalloc(1, sizeof(*st));
	st->s = s;
	st->base.db = db;
	return &st->base;
}

static void
sq_finalize(struct db_stmt *st)
{
	stmt_reset(ST(st));
	sqlite3_finalize(ST(st)->s);
	free(st);
}

static void
sq_reset(struct db_stmt *st, int clear)
{
	stmt_reset(ST(st));
	if (clear)
		sqlite3_clear_bindings(ST(st)->s);
}

static void
sq_bind_text(struct db_stmt *st, int i, const char *s, size_t n)
{
	sqlite3_bind_text64(ST(st)->s, i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void
sq_bind_int(struct db_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(ST(st)->s, i, v);
}

static void
sq_bind_null(struct db_stmt *st, int i)
{
	sqlite3_bind_null(ST(st)->s, i);
}

static int
sq_step(struct db_stmt *base)
{
	struct sq_stmt *st = ST(base);
	struct sq *db = SQ(base->db);
	int rc;

	/* a write outside a transaction queues like db_begin(); it holds
	 * the queue until the statement is reset (RETURNING rows) */
	if (!st->holds && !sqlite3_stmt_busy(st->s) &&
	    !sqlite3_stmt_readonly(st->s) && sqlite3_get_autocommit(db->h)) {
		hold(db);
		st->holds = 1;
	}
	rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		stmt_reset(st);
		return DB_DONE;
	}
	log_error("db: %s: %s", sqlite3_errmsg(db->h), sqlite3_sql(st->s));
	stmt_reset(st);
	return DB_ERROR;
}

static int
sq_col_count(struct db_stmt *st)
{
	return sqlite3_column_count(ST(st)->s);
}

static const char *
sq_col_name(struct db_stmt *st, int i)
{
	return sqlite3_column_name(ST(st)->s, i);
}

static enum db_kind
sq_col_kind(struct db_stmt *st, int i)
{
	switch (sqlite3_column_type(ST(st)->s, i)) {
	case SQLITE_INTEGER:
		return DB_KIND_INT;
	case SQLITE_FLOAT:
		return DB_KIND_REAL;
	case SQLITE_NULL:
		return DB_KIND_NULL;
	default:
		return DB_KIND_TEXT;
	}
}

static const char *
sq_col_text(struct db_stmt *st, int i, size_t *len)
{
	const char *s = (const char *)sqlite3_column_text(ST(st)->s, i);

	if (len)
		*len = (size_t)sqlite3_column_bytes(ST(st)->s, i);
	return s;
}

static int64_t
sq_col_int(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(ST(st)->s, i);
}

static double
sq_col_real(struct db_stmt *st, int i)
{
	return sqlite3_column_double(ST(st)->s, i);
}

static int64_t
sq_changes(struct db *db)
{
	return sqlite3_changes64(SQ(db)->h);
}

static int64_t
sq_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(SQ(db)->h);
}

static int
sq_generation(struct db *base, uint64_t *gen)
{
	struct sq *db = SQ(base);
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

static int
sq_begin(struct db *base)
{
	struct sq *db = SQ(base);

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
txn_end(struct sq *db)
{
	if (db->in_txn) {
		db->in_txn = 0;
		release(db);
	}
}

static int
sq_commit(struct db *base)
{
	struct sq *db = SQ(base);
	int rc = exec_sql(db, "COMMIT", NULL, 0);

	/* a COMMIT that fails leaves the transaction open: end it here so
	 * the queue is not held by a caller that only returns its error */
	if (rc != 0 && !sqlite3_get_autocommit(db->h))
		exec_sql(db, "ROLLBACK", NULL, 0);
	txn_end(db);
	return rc;
}

static int
sq_rollback(struct db *base)
{
	struct sq *db = SQ(base);
	int rc = 0;

	/* SQLite may have rolled back already (SQLITE_FULL, SQLITE_IOERR) */
	if (!sqlite3_get_autocommit(db->h))
		rc = exec_sql(db, "ROLLBACK", NULL, 0);
	txn_end(db);
	return rc;
}

static int
sq_abandoned(struct db *base)
{
	struct sq *db = SQ(base);
	int was = db->in_txn || !sqlite3_get_autocommit(db->h)
			  ? DB_ABANDONED_TXN
			  : 0;

	if (!was && db->holds == 0)
		return 0; /* the usual case: nothing to look for */
	for (size_t i = 0; i < base->nstmts; i++) {
		if (base->stmts[i] && ST(base->stmts[i])->holds) {
			stmt_reset(ST(base->stmts[i]));
			if (!was)
				was = DB_ABANDONED_STMT;
		}
	}
	if (!sqlite3_get_autocommit(db->h))
		exec_sql(db, "ROLLBACK", NULL, 0);
	txn_end(db);
	return was;
}

static int
sq_exec(struct db *db, const char *sql, char *err, size_t errlen)
{
	return exec_sql(SQ(db), sql, err, errlen);
}

static int
sq_migrated(struct db *db, char *err, size_t errlen)
{
	return 0;
}

static int
sq_bootstrap(struct db *base, char *err, size_t errlen)
{
	struct sq *db = SQ(base);
	int rc;

	hold(db);
	rc = exec_sql(db,
		      "CREATE TABLE IF NOT EXISTS schema_migrations ("
		      " version INTEGER PRIMARY KEY,"
		      " name TEXT NOT NULL,"
		      " applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
		      err, errlen);
	release(db);
	return rc;
}

/* Copies the snapshot of db's read transaction into the database file
 * tmp, a page step at a time.  0, 1 when progress asked to stop, or -1. */
static int
backup_copy(struct sq *db, const char *tmp, db_backup_progress progress,
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

/* One snapshot of the database into the file tmp: 0, 1 when progress
 * asked to stop, or -1 with err.  db.c syncs and names it. */
static int
sq_backup(struct db *base, const char *tmp, db_backup_progress progress,
	  void *arg, char *err, size_t errlen)
{
	struct sq *db = SQ(base);
	int rc;

	/* one snapshot for the whole copy: a read transaction */
	if (exec_sql(db, "BEGIN", err, errlen) != 0)
		return -1;
	if (exec_sql(db, "SELECT count(*) FROM sqlite_schema", err, errlen) !=
	    0)
		rc = -1;
	else
		rc = backup_copy(db, tmp, progress, arg, err, errlen);
	exec_sql(db, "COMMIT", NULL, 0);
	return rc;
}

const struct db_backend db_sqlite_backend = {
	.name = "sqlite",
	.variant = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_text = sq_bind_text,
	.bind_int = sq_bind_int,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.col_kind = sq_col_kind,
	.col_text = sq_col_text,
	.col_int = sq_col_int,
	.col_real = sq_col_real,
	.changes = sq_changes,
	.last_id = sq_last_id,
	.generation = sq_generation,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.abandoned = sq_abandoned,
	.exec = sq_exec,
	.migrated = sq_migrated,
	.bootstrap = sq_bootstrap,
	.backup = sq_backup,
};
