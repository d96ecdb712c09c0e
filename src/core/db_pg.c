/*
 * db_pg.c -- the PostgreSQL backend of db.h (db_int.h), over libpq: the
 * target is a postgresql:// URL (libpq reads it, with the password from
 * the URL, ~/.pgpass or PGPASSWORD).
 *
 * Statements: the features' SQL is the subset both dialects share, with
 * '?' or '?N' placeholders; each is written with $N once
 * (db_pg_placeholders) and prepared on the connection the first time it
 * runs (PQprepare, the parameters' types inferred by the server).  Values
 * are sent and read as text.  A step runs the statement and keeps all its
 * rows; the following steps walk them.  Columns read back typed the way
 * SQLite gives them: int2/int4/int8/oid and numeric without a fraction as
 * integers, bool as 0/1, float as reals, anything else as text.
 *
 * Writers: db_begin() is BEGIN plus a transaction-scoped advisory lock,
 * the same key for every writing transaction of every process on the
 * database, so transactions that write go one at a time as they do on
 * SQLite (BEGIN IMMEDIATE), and every rule that reads then writes in one
 * transaction (the last administrator, a name taken once) holds across
 * nodes.  A writing statement outside a transaction (INSERT, UPDATE,
 * DELETE: the first word) takes the same lock in a transaction of its own,
 * as SQLite makes it wait for the writer, so a rule checked inside one
 * statement holds too.  Reads never wait for it, nor does a transaction
 * of db_begin_rows(), whose statements lock their own rows (the job
 * runner's claim: FOR UPDATE SKIP LOCKED).  The lock waits at most
 * 30 s (lock_timeout), like SQLite's busy timeout.
 *
 * Generation (the page cache's validator): the one row of
 * alliance_generation, its n advanced after every write this backend
 * commits (a transaction's COMMIT, a writing statement outside one) that
 * changed a row or ran a script (a transaction that changed nothing, as
 * an idle job runner's claim, leaves it, as SQLite's data_version), in a
 * statement of its own so its row lock lasts microseconds.  Advanced
 * after the commit, never before: a reader that sees the old number with
 * the new data only drops a good page.  (Not a sequence: nextval() would
 * become what lastval() answers for db_last_id.)  The same statement
 * NOTIFYs the new number on the channel alliance_generation, and every
 * process keeps the highest number it has seen per database: one thread
 * of its own LISTENs on a connection of its own (struct watch), so a
 * visitor's cached page costs no round trip to the server.  The process
 * that wrote knows its number at once; another node learns it when the
 * notification arrives (PostgreSQL sends it at the commit: well under a
 * millisecond on a LAN), so a visitor's page there may be that much
 * older, never more.  While the listening connection is down (the server
 * restarting) every generation is asked of the server as before, and a
 * new listener reads the row after its LISTEN, so no change is missed.
 * A change made outside alliance (psql) shows after the next write, or
 * at once with SELECT pg_notify('alliance_generation', n::text) FROM
 * alliance_generation after UPDATE alliance_generation SET n = n + 1.
 *
 * Migrations: a shared migration is written in PostgreSQL's words before
 * it runs (db_pg_dialect: INTEGER is a bigint, INTEGER PRIMARY KEY an
 * identity column), and after each one the identity sequences move past
 * the ids its seed rows gave explicitly.
 */
#include "db_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* The advisory lock every writing transaction takes: "alli". */
#define PG_WRITER_KEY "1634497641"
/* A writing transaction: the lock, waiting at most as long as SQLite's
 * busy timeout. */
#define PG_BEGIN_WRITE                                                         \
	"BEGIN; SET LOCAL lock_timeout = '30s';"                               \
	" SELECT pg_advisory_xact_lock(" PG_WRITER_KEY ")"
/* db_begin_rows: the statements lock their own rows (SKIP LOCKED), so no
 * writers' lock; a row lock still waits at most as long. */
#define PG_BEGIN_ROWS "BEGIN; SET LOCAL lock_timeout = '30s'"

/* Type OIDs (catalog/pg_type.h, stable across versions). */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700
#define OID_TEXT 25

/* Placeholders whose types are told to the server when unused. */
#define PG_MAX_PARAMS 255

/* A database's generation as this process knows it: one per target
 * (tests open several databases in one process), kept for the process's
 * life.  gen only grows; live says the listener is connected, listening,
 * and has read the row since. */
struct watch {
	struct watch *next;
	char *target;
	_Atomic uint64_t gen;
	atomic_int live;
	atomic_int started;
};

static struct watch *watches;
static pthread_mutex_t watches_lock = PTHREAD_MUTEX_INITIALIZER;

struct pg {
	struct db base;
	PGconn *c;
	struct watch *watch;
	int in_txn;          /* db_begin() */
	int64_t changes;     /* rows of the last INSERT, UPDATE or DELETE */
	unsigned long names; /* prepared statements named so far */
	int gen_prepared;    /* pg_generation's statement is prepared */
	int wrote;           /* the transaction changed rows: bump at commit */
};

struct pg_stmt {
	struct db_stmt base;
	char name[24];
	char *sql; /* as prepared, with $N */
	int nparams;
	char **vals;   /* nparams values, NULL for SQL NULL */
	PGresult *res; /* the rows of the step in progress, or NULL */
	int row, nrows;
	int write;  /* res came from a statement that wrote */
	int writes; /* INSERT, UPDATE, DELETE, MERGE: takes the writers' lock */
};

#define PG(db) ((struct pg *)(db))
#define ST(st) ((struct pg_stmt *)(st))

char *
db_pg_placeholders(const char *sql, int *nparams, unsigned char *used,
		   size_t usedlen)
{
	size_t len = strlen(sql);
	/* "?" becomes at most "$NNNNN" */
	char *out = xmalloc(len * 6 + 1), *o = out;
	const char *p = sql;
	int max = 0;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			/* a doubled quote inside is two strings in a row */
			*o++ = *p++;
			while (*p && *p != q)
				*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			size_t n = end ? (size_t)(end + 2 - p) : strlen(p);

			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (*p == '?') {
			int n = 0;

			p++;
			if (isdigit((unsigned char)*p)) {
				while (isdigit((unsigned char)*p) && n < 100000)
					n = n * 10 + (*p++ - '0');
			} else {
				/* SQLite: one more than the largest so far */
				n = max + 1;
			}
			if (n > max)
				max = n;
			if (used && (size_t)n < usedlen)
				used[n] = 1;
			o += sprintf(o, "$%d", n);
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	*nparams = max;
	return out;
}

/* Whether the word w (upper case) is at p, whole. */
static int
word_at(const char *start, const char *p, const char *w)
{
	size_t n = strlen(w);

	if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return 0;
	if (strncasecmp(p, w, n) != 0)
		return 0;
	return !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

char *
db_pg_dialect(const char *sql)
{
	static const char ident[] =
		"BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	size_t len = strlen(sql);
	char *out = xmalloc(len * 6 + 1), *o = out;
	const char *p = sql;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			*o++ = *p++;
			while (*p && *p != q)
				*o++ = *p++;
			if (*p)
				*o++ = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			size_t n = end ? (size_t)(end + 2 - p) : strlen(p);

			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (word_at(sql, p, "INTEGER")) {
			const char *q = p + 7, *r;

			/* INTEGER PRIMARY KEY: the rowid alias of SQLite */
			while (isspace((unsigned char)*q))
				q++;
			r = q;
			if (word_at(sql, q, "PRIMARY")) {
				q += 7;
				while (isspace((unsigned char)*q))
					q++;
				if (word_at(sql, q, "KEY") && r > p + 7) {
					o += sprintf(o, "%s", ident);
					p = q + 3;
					continue;
				}
			}
			o += sprintf(o, "BIGINT");
			p += 7;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* Notices ("relation already exists, skipping") are not for the log. */
static void
pg_notice(void *arg, const char *message)
{
}

/* The message of a failed result, without its trailing newline, in err. */
static void
result_error(PGconn *c, const PGresult *r, char *err, size_t errlen)
{
	const char *m = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
	size_t n = strlen(m);

	while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
		n--;
	snprintf(err, errlen, "%.*s", (int)n, *m ? m : "unknown error");
}

/* Runs sql (statements without parameters); 0 when it ends with ok
 * (PGRES_COMMAND_OK or PGRES_TUPLES_OK), -1 with the message in err (or
 * logged when err is NULL). */
static int
exec_sql(struct pg *db, const char *sql, char *err, size_t errlen)
{
	PGresult *r = PQexec(db->c, sql);
	ExecStatusType s = PQresultStatus(r);
	char msg[512];

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		PQclear(r);
		return 0;
	}
	result_error(db->c, r, err ? err : msg, err ? errlen : sizeof(msg));
	if (err == NULL)
		log_error("db: %s: %s", msg, sql);
	PQclear(r);
	return -1;
}

/* Whether db has a transaction open on the server (a lost connection has
 * none left to end). */
static int
in_transaction(struct pg *db)
{
	PGTransactionStatusType t = PQtransactionStatus(db->c);

	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR ||
	       t == PQTRANS_ACTIVE;
}

/* Raises w's generation to n (never lowers it). */
static void
watch_raise(struct watch *w, uint64_t n)
{
	uint64_t old = atomic_load(&w->gen);

	while (old < n && !atomic_compare_exchange_weak(&w->gen, &old, n))
		;
}

/* The watch of target, made on first use. */
static struct watch *
watch_of(const char *target)
{
	struct watch *w;

	pthread_mutex_lock(&watches_lock);
	for (w = watches; w && strcmp(w->target, target) != 0; w = w->next)
		;
	if (w == NULL) {
		w = xcalloc(1, sizeof(*w));
		w->target = xstrdup(target);
		w->next = watches;
		watches = w;
	}
	pthread_mutex_unlock(&watches_lock);
	return w;
}

/* Reads n of alliance_generation on c into w; 0 or -1. */
static int
watch_read(struct watch *w, PGconn *c)
{
	PGresult *r = PQexec(c, "SELECT n FROM alliance_generation");
	int rc = -1;

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		watch_raise(w, strtoull(PQgetvalue(r, 0, 0), NULL, 10));
		rc = 0;
	}
	PQclear(r);
	return rc;
}

/* The listener: connects, LISTENs, reads the row, then raises the
 * generation with every notification; on a lost connection says so
 * (live 0: pg_generation asks the server) and connects again after a
 * second. */
static void *
watch_run(void *arg)
{
	static const char *const keys[] = {"dbname", "application_name",
					   "client_encoding", NULL};
	struct watch *w = arg;
	sigset_t all;

	/* signals are the serving threads' business */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		const char *vals[] = {w->target, "alliance listener", "UTF8",
				      NULL};
		PGconn *c = PQconnectdbParams(keys, vals, 1);
		PGresult *r;

		if (PQstatus(c) != CONNECTION_OK)
			goto retry;
		PQsetNoticeProcessor(c, pg_notice, NULL);
		r = PQexec(c, "LISTEN alliance_generation");
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			PQclear(r);
			goto retry;
		}
		PQclear(r);
		if (watch_read(w, c) != 0)
			goto retry; /* not bootstrapped yet */
		atomic_store(&w->live, 1);
		while (PQstatus(c) == CONNECTION_OK) {
			struct pollfd p = {.fd = PQsocket(c), .events = POLLIN};
			PGnotify *n;

			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				break;
			if (!PQconsumeInput(c))
				break;
			while ((n = PQnotifies(c)) != NULL) {
				watch_raise(w, strtoull(n->extra, NULL, 10));
				PQfreemem(n);
			}
		}
		atomic_store(&w->live, 0);
		log_error("db: the generation listener lost its connection:"
			 " asking the server until it is back");
	retry:
		PQfinish(c);
		sleep(1);
	}
	return NULL;
}

/* Starts w's listener once; the page cache asks the server until it
 * is live. */
static void
watch_start(struct watch *w)
{
	pthread_t t;
	pthread_attr_t a;
	int no = 0;

	if (atomic_load(&w->started) ||
	    !atomic_compare_exchange_strong(&w->started, &no, 1))
		return;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &a, watch_run, w) != 0) {
		log_error("db: cannot start the generation listener: %s",
			 strerror(errno));
		atomic_store(&w->started, 0);
	}
	pthread_attr_destroy(&a);
}

/* Advances the generation after a committed write and tells every
 * listener; this process knows the new number at once.  A database not
 * yet bootstrapped has no alliance_generation: nothing to tell then. */
static void
bump_generation(struct pg *db)
{
	PGresult *r = PQexec(
		db->c, "WITH u AS (UPDATE alliance_generation SET n = n + 1"
		       " RETURNING n)"
		       " SELECT n, pg_notify('alliance_generation', n::text)"
		       " FROM u");

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		watch_raise(db->watch, strtoull(PQgetvalue(r, 0, 0), NULL, 10));
	PQclear(r);
}

static struct db *
pg_open(const char *target, char *err, size_t errlen)
{
	static const char *const keys[] = {"dbname", "application_name",
					   "client_encoding", NULL};
	const char *vals[] = {target, "alliance", "UTF8", NULL};
	struct pg *db = xcalloc(1, sizeof(*db));

	/* the URL expands into its parts; never print it (a password) */
	db->c = PQconnectdbParams(keys, vals, 1);
	if (db->c == NULL || PQstatus(db->c) != CONNECTION_OK) {
		char msg[400];

		result_error(db->c, NULL, msg, sizeof(msg));
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
			 db->c ? msg : "out of memory");
		PQfinish(db->c);
		free(db);
		return NULL;
	}
	PQsetNoticeProcessor(db->c, pg_notice, NULL);
	db->watch = watch_of(target);
	return &db->base;
}

static void
pg_close(struct db *db)
{
	PQfinish(PG(db)->c);
	free(db);
}

/* Whether sql writes: its first word, after blanks, comments and
 * parentheses, is INSERT, UPDATE, DELETE or MERGE, or it is WITH and one
 * of those words follows. */
static int
writes(const char *sql)
{
	static const char *const verbs[] = {"INSERT", "UPDATE", "DELETE",
					    "MERGE"};
	const char *p = sql;

	for (;;) {
		while (isspace((unsigned char)*p) || *p == '(')
			p++;
		if (p[0] == '-' && p[1] == '-')
			p += strcspn(p, "\n");
		else if (p[0] == '/' && p[1] == '*' && strstr(p, "*/"))
			p = strstr(p, "*/") + 2;
		else
			break;
	}
	for (size_t i = 0; i < ARRAY_LEN(verbs); i++)
		if (word_at(sql, p, verbs[i]))
			return 1;
	if (!word_at(sql, p, "WITH"))
		return 0;
	for (; *p; p++)
		for (size_t i = 0; i < ARRAY_LEN(verbs); i++)
			if (word_at(sql, p, verbs[i]))
				return 1;
	return 0;
}

static struct db_stmt *
pg_prepare(struct db *base, const char *sql)
{
	struct pg *db = PG(base);
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	unsigned char used[PG_MAX_PARAMS + 1] = {0};
	Oid types[PG_MAX_PARAMS];
	PGresult *r;

	st->base.db = base;
	st->sql = db_pg_placeholders(sql, &st->nparams, used, sizeof(used));
	snprintf(st->name, sizeof(st->name), "a%lu", ++db->names);
	/* a number the text skips (?2 without ?1, which SQLite allows) has
	 * no use to infer a type from: text, as it is sent */
	for (int i = 0; i < st->nparams && i < PG_MAX_PARAMS; i++)
		types[i] = used[i + 1] ? 0 : OID_TEXT;
	r = PQprepare(db->c, st->name, st->sql,
		      st->nparams <= PG_MAX_PARAMS ? st->nparams : 0, types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		char msg[512];

		result_error(db->c, r, msg, sizeof(msg));
		log_error("db: prepare failed: %s: %s", msg, st->sql);
		PQclear(r);
		free(st->sql);
		free(st);
		return NULL;
	}
	PQclear(r);
	st->vals = xcalloc((size_t)st->nparams + 1, sizeof(*st->vals));
	st->writes = writes(sql);
	return &st->base;
}

static void
pg_reset(struct db_stmt *base, int clear)
{
	struct pg_stmt *st = ST(base);

	PQclear(st->res);
	st->res = NULL;
	st->row = st->nrows = 0;
	st->write = 0;
	if (clear)
		for (int i = 0; i < st->nparams; i++) {
			free(st->vals[i]);
			st->vals[i] = NULL;
		}
}

static void
pg_finalize(struct db_stmt *base)
{
	struct pg_stmt *st = ST(base);
	struct pg *db = PG(base->db);
	char sql[48];

	pg_reset(base, 1);
	/* a statement of a connection in a failed transaction stays until
	 * the connection closes: harmless */
	if (PQstatus(db->c) == CONNECTION_OK &&
	    PQtransactionStatus(db->c) != PQTRANS_INERROR) {
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
		PQclear(PQexec(db->c, sql));
	}
	free(st->vals);
	free(st->sql);
	free(st);
}

static void
set_param(struct pg_stmt *st, int i, char *v)
{
	if (i < 1 || i > st->nparams) {
		free(v); /* like SQLite's SQLITE_RANGE, which no one reads */
		return;
	}
	free(st->vals[i - 1]);
	st->vals[i - 1] = v;
}

static void
pg_bind_text(struct db_stmt *st, int i, const char *s, size_t n)
{
	char *v = xmalloc(n + 1);

	memcpy(v, s, n);
	v[n] = '\0';
	set_param(ST(st), i, v);
}

static void
pg_bind_int(struct db_stmt *st, int i, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	set_param(ST(st), i, xstrdup(buf));
}

static void
pg_bind_null(struct db_stmt *st, int i)
{
	set_param(ST(st), i, NULL);
}

/* Runs the statement: its rows in st->res.  0 or -1 (logged).  A write
 * outside a transaction runs in one of its own that takes the writers'
 * lock; its rows are all here before it commits. */
static int
run(struct pg_stmt *st)
{
	struct pg *db = PG(st->base.db);
	int own = st->writes && PQtransactionStatus(db->c) == PQTRANS_IDLE;
	const char *status;
	ExecStatusType s;

	if (own && exec_sql(db, PG_BEGIN_WRITE, NULL, 0) != 0) {
		if (in_transaction(db))
			exec_sql(db, "ROLLBACK", NULL, 0);
		return -1;
	}
	st->res = PQexecPrepared(db->c, st->name, st->nparams,
				 (const char *const *)st->vals, NULL, NULL, 0);
	s = PQresultStatus(st->res);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		char msg[512];

		result_error(db->c, st->res, msg, sizeof(msg));
		log_error("db: %s: %s", msg, st->sql);
		if (own)
			exec_sql(db, "ROLLBACK", NULL, 0);
		return -1;
	}
	st->nrows = PQntuples(st->res);
	st->row = 0;
	status = PQcmdStatus(st->res);
	if (strncmp(status, "INSERT", 6) == 0 ||
	    strncmp(status, "UPDATE", 6) == 0 ||
	    strncmp(status, "DELETE", 6) == 0 ||
	    strncmp(status, "MERGE", 5) == 0) {
		st->write = 1;
		db->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
	}
	/* what changed nothing (an UPDATE of no row: the job runner's turn
	 * when nothing is due) leaves the generation, and so every node's
	 * page cache, alone; a write the status does not count (WITH ...
	 * DELETE ... SELECT) counts as one */
	if (st->write ? db->changes > 0 : st->writes)
		db->wrote = 1;
	if (own) {
		int wrote = db->wrote;

		db->wrote = 0;
		if (exec_sql(db, "COMMIT", NULL, 0) != 0)
			return -1;
		if (wrote)
			bump_generation(db);
	}
	return 0;
}

static int
pg_step(struct db_stmt *base)
{
	struct pg_stmt *st = ST(base);

	if (st->res == NULL) {
		if (run(st) != 0) {
			pg_reset(base, 0);
			return DB_ERROR;
		}
	} else {
		st->row++;
	}
	if (st->row < st->nrows)
		return DB_ROW;
	pg_reset(base, 0);
	return DB_DONE;
}

static int
pg_col_count(struct db_stmt *st)
{
	return ST(st)->res ? PQnfields(ST(st)->res) : 0;
}

static const char *
pg_col_name(struct db_stmt *st, int i)
{
	return PQfname(ST(st)->res, i);
}

/* Whether the current row has a value in column i. */
static int
has_value(struct pg_stmt *st, int i)
{
	return st->res && st->row < st->nrows && i >= 0 &&
	       i < PQnfields(st->res) && !PQgetisnull(st->res, st->row, i);
}

static enum db_kind
pg_col_kind(struct db_stmt *base, int i)
{
	struct pg_stmt *st = ST(base);

	if (!has_value(st, i))
		return DB_KIND_NULL;
	switch (PQftype(st->res, i)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return DB_KIND_INT;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return DB_KIND_REAL;
	case OID_NUMERIC:
		/* sum() and avg() of integers: whole or not, by value */
		return strpbrk(PQgetvalue(st->res, st->row, i), ".eEN")
			       ? DB_KIND_REAL
			       : DB_KIND_INT;
	default:
		return DB_KIND_TEXT;
	}
}

static const char *
pg_col_text(struct db_stmt *base, int i, size_t *len)
{
	struct pg_stmt *st = ST(base);
	const char *v;

	if (!has_value(st, i)) {
		if (len)
			*len = 0;
		return NULL;
	}
	v = PQgetvalue(st->res, st->row, i);
	if (PQftype(st->res, i) == OID_BOOL)
		v = *v == 't' ? "1" : "0"; /* as SQLite, which has no bool */
	if (len)
		*len = strlen(v);
	return v;
}

static int64_t
pg_col_int(struct db_stmt *base, int i)
{
	struct pg_stmt *st = ST(base);
	const char *v;

	if (!has_value(st, i))
		return 0;
	v = PQgetvalue(st->res, st->row, i);
	switch (PQftype(st->res, i)) {
	case OID_BOOL:
		return *v == 't';
	case OID_FLOAT4:
	case OID_FLOAT8:
	case OID_NUMERIC:
		return (int64_t)strtod(v, NULL);
	default:
		return strtoll(v, NULL, 10);
	}
}

static double
pg_col_real(struct db_stmt *base, int i)
{
	struct pg_stmt *st = ST(base);

	return has_value(st, i) ? strtod(PQgetvalue(st->res, st->row, i), NULL)
				: 0;
}

static int64_t
pg_changes(struct db *db)
{
	return PG(db)->changes;
}

/*
 * lastval(): the value the last nextval() of this session gave, which an
 * identity column's default is.  SQLite's last_insert_rowid has no exact
 * twin (an insert that names its id, or a trigger's, differs): statements
 * that need the id should say RETURNING id.  lastval() fails before the
 * session's first nextval; in a transaction that failure must not end
 * the transaction, hence the savepoint.
 */
static int64_t
pg_last_id(struct db *base)
{
	struct pg *db = PG(base);
	int in = PQtransactionStatus(db->c) == PQTRANS_INTRANS;
	PGresult *r;
	int64_t id = 0;

	if (in)
		PQclear(PQexec(db->c, "SAVEPOINT alliance_lastval"));
	r = PQexec(db->c, "SELECT lastval()");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else if (in)
		PQclear(PQexec(db->c,
			       "ROLLBACK TO SAVEPOINT alliance_lastval"));
	PQclear(r);
	if (in)
		PQclear(PQexec(db->c, "RELEASE SAVEPOINT alliance_lastval"));
	return id;
}

/* The page cache asks for every visitor's page: the number the
 * listener keeps, started on the first question; while it is not live,
 * the server's, by a statement prepared once per connection (no parse
 * and plan each time), named apart from the "aN" of pg_prepare. */
static int
pg_generation(struct db *base, uint64_t *gen)
{
	struct pg *db = PG(base);
	PGresult *r;
	int rc = -1;

	watch_start(db->watch);
	if (atomic_load(&db->watch->live)) {
		*gen = atomic_load(&db->watch->gen);
		return 0;
	}
	if (!db->gen_prepared) {
		r = PQprepare(db->c, "alliance_gen",
			      "SELECT n FROM alliance_generation", 0, NULL);
		db->gen_prepared = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!db->gen_prepared)
			return -1; /* not bootstrapped yet */
	}
	r = PQexecPrepared(db->c, "alliance_gen", 0, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		watch_raise(db->watch, strtoull(PQgetvalue(r, 0, 0), NULL, 10));
		*gen = atomic_load(&db->watch->gen);
		rc = 0;
	}
	PQclear(r);
	return rc;
}

/* BEGIN with sql (PG_BEGIN_WRITE or PG_BEGIN_ROWS). */
static int
begin_with(struct db *base, const char *sql)
{
	struct pg *db = PG(base);

	if (db->in_txn) {
		log_error("db: BEGIN inside a transaction");
		return -1;
	}
	if (exec_sql(db, sql, NULL, 0) != 0) {
		if (in_transaction(db))
			exec_sql(db, "ROLLBACK", NULL, 0);
		return -1;
	}
	db->in_txn = 1;
	db->wrote = 0;
	return 0;
}

static int
pg_begin(struct db *base)
{
	return begin_with(base, PG_BEGIN_WRITE);
}

static int
pg_begin_rows(struct db *base)
{
	return begin_with(base, PG_BEGIN_ROWS);
}

static int
pg_commit(struct db *base)
{
	struct pg *db = PG(base);
	PGresult *r = PQexec(db->c, "COMMIT");
	/* COMMIT of a failed transaction "succeeds" saying ROLLBACK */
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK &&
				 strcmp(PQcmdStatus(r), "COMMIT") == 0
			 ? 0
			 : -1;

	if (rc != 0) {
		char msg[512];

		result_error(db->c, r, msg, sizeof(msg));
		log_error("db: COMMIT failed: %s", msg);
	}
	PQclear(r);
	if (in_transaction(db))
		exec_sql(db, "ROLLBACK", NULL, 0);
	db->in_txn = 0;
	if (rc == 0 && db->wrote)
		bump_generation(db);
	db->wrote = 0;
	return rc;
}

static int
pg_rollback(struct db *base)
{
	struct pg *db = PG(base);
	int rc = 0;

	db->in_txn = 0;
	db->wrote = 0;
	if (PQstatus(db->c) == CONNECTION_BAD)
		return -1; /* the server has ended the transaction */
	if (in_transaction(db))
		rc = exec_sql(db, "ROLLBACK", NULL, 0);
	db->in_txn = 0;
	return rc;
}

static int
pg_abandoned(struct db *base)
{
	struct pg *db = PG(base);
	int was;

	if (PQstatus(db->c) == CONNECTION_BAD) { /* nothing left to end */
		for (size_t i = 0; i < base->nstmts; i++)
			if (base->stmts[i])
				pg_reset(base->stmts[i], 0);
		db->in_txn = 0;
		return 0;
	}
	was = db->in_txn || in_transaction(db) ? DB_ABANDONED_TXN : 0;

	for (size_t i = 0; i < base->nstmts; i++) {
		struct pg_stmt *st = ST(base->stmts[i]);

		if (st && st->res) {
			if (st->write && !was)
				was = DB_ABANDONED_STMT;
			pg_reset(&st->base, 0);
		}
	}
	if (in_transaction(db))
		exec_sql(db, "ROLLBACK", NULL, 0);
	db->in_txn = 0;
	return was;
}

static int
pg_exec(struct db *base, const char *sql, char *err, size_t errlen)
{
	struct pg *db = PG(base);
	char *text = db_pg_dialect(sql);
	PGresult *r = PQexec(db->c, text);
	ExecStatusType s = PQresultStatus(r);
	int rc = 0;

	db->wrote = 1; /* a script: count it as a change */
	/* the message's LINE n counts from the script's start: the
	 * migration file's line */
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		result_error(db->c, r, err, errlen);
		rc = -1;
	}
	PQclear(r);
	free(text);
	return rc;
}

/* Identity columns start after the largest id a migration wrote itself
 * (seed rows name their ids). */
static int
pg_migrated(struct db *db, char *err, size_t errlen)
{
	return exec_sql(
		PG(db),
		"DO $$ DECLARE r record; BEGIN"
		" FOR r IN SELECT table_name, column_name"
		"  FROM information_schema.columns"
		"  WHERE table_schema = current_schema() AND is_identity = "
		"'YES'"
		" LOOP"
		"  EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, "
		"%L),"
		"   coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',"
		"   quote_ident(r.table_name), r.column_name, r.column_name,"
		"   r.table_name);"
		" END LOOP; END $$",
		err, errlen);
}

static int
pg_bootstrap(struct db *base, char *err, size_t errlen)
{
	struct pg *db = PG(base);
	int rc;

	/* two processes creating the same table at once would collide:
	 * the writers' lock */
	if (pg_begin(base) != 0) {
		snprintf(err, errlen, "cannot begin");
		return -1;
	}
	rc = exec_sql(db,
		      "CREATE TABLE IF NOT EXISTS schema_migrations ("
		      " version BIGINT PRIMARY KEY,"
		      " name TEXT NOT NULL,"
		      " applied_at TEXT NOT NULL DEFAULT"
		      "  to_char(now() AT TIME ZONE 'UTC',"
		      "  'YYYY-MM-DD HH24:MI:SS'));"
		      "CREATE TABLE IF NOT EXISTS alliance_generation ("
		      " id INTEGER PRIMARY KEY CHECK (id = 1),"
		      " n BIGINT NOT NULL);"
		      "INSERT INTO alliance_generation VALUES (1, 0)"
		      " ON CONFLICT DO NOTHING",
		      err, errlen);
	if (rc != 0) {
		pg_rollback(base);
		return -1;
	}
	return pg_commit(base);
}

/* A connection the server ended while it was idle has its goodbye (an
 * error, then the end of the stream) waiting on the socket: read it, so
 * the request about to use the connection does not fail on it.  One
 * poll() when nothing is waiting. */
static int
pg_lost(struct db *base)
{
	struct pg *db = PG(base);
	struct pollfd p = {.fd = PQsocket(db->c), .events = POLLIN};

	/* the error first, then the end of the stream: a few reads */
	for (int i = 0; i < 4 && PQstatus(db->c) == CONNECTION_OK &&
			!db->in_txn && p.fd >= 0 && poll(&p, 1, 0) == 1;
	     i++)
		if (!PQconsumeInput(db->c))
			break;
	return PQstatus(db->c) == CONNECTION_BAD;
}

/* Runs pg_dump in the custom format into tmp, with the connection's own
 * parameters in its environment (so no password is on a command line).
 * 0, 1 when progress asked to stop, or -1 with err. */
static int
pg_backup(struct db *base, const char *tmp, db_backup_progress progress,
	  void *arg, char *err, size_t errlen)
{
	struct pg *db = PG(base);
	int status, stopped = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start pg_dump: %s",
			 strerror(errno));
		return -1;
	}
	if (pid == 0) {
		const char *pass = PQpass(db->c);

		setenv("PGHOST", PQhost(db->c), 1);
		setenv("PGPORT", PQport(db->c), 1);
		setenv("PGUSER", PQuser(db->c), 1);
		setenv("PGDATABASE", PQdb(db->c), 1);
		if (pass && *pass)
			setenv("PGPASSWORD", pass, 1);
		execlp("pg_dump", "pg_dump", "--format=custom", "--no-password",
		       "--file", tmp, (char *)NULL);
		fprintf(stderr, "alliance: cannot run pg_dump: %s\n",
			strerror(errno));
		_exit(127);
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, errlen, "pg_dump: %s", strerror(errno));
			return -1;
		}
		if (!stopped && progress && progress(arg, 0, 1) != 0) {
			stopped = 1;
			kill(pid, SIGTERM);
		}
		usleep(50 * 1000);
	}
	if (stopped)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen,
			 "pg_dump failed (%s %d; its message is above)",
			 WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status)
					   : WTERMSIG(status));
		return -1;
	}
	if (progress)
		progress(arg, 1, 1);
	return 0;
}

const struct db_backend db_pg_backend = {
	.name = "PostgreSQL",
	.variant = "pg",
	.open = pg_open,
	.close = pg_close,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_text = pg_bind_text,
	.bind_int = pg_bind_int,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_kind = pg_col_kind,
	.col_text = pg_col_text,
	.col_int = pg_col_int,
	.col_real = pg_col_real,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.generation = pg_generation,
	.begin = pg_begin,
	.begin_rows = pg_begin_rows,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.abandoned = pg_abandoned,
	.exec = pg_exec,
	.migrated = pg_migrated,
	.bootstrap = pg_bootstrap,
	.lost = pg_lost,
	.backup = pg_backup,
};
