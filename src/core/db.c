/*
 * db.c -- what both backends of db.h share: the statement registry and
 * each connection's cache of prepared statements, the calling thread's
 * connection, rows as JSON, and the migration runner.  The rest goes
 * through the connection's backend (db_int.h): db_sqlite.c for a file,
 * db_pg.c for a postgresql:// URL.  The target given to db_open() or
 * db_set_path() chooses.
 *
 * Migrations are the embedded files <module>/migrations/NNNN_name.sql,
 * applied in the order of their number, each in its own transaction, and
 * recorded in schema_migrations under that name.  Where the dialects must
 * differ, NNNN_name.sqlite.sql or NNNN_name.pg.sql replaces the shared
 * file for one backend (recorded under the shared name all the same).
 */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_int.h"
#include "embed.h"
#include "log.h"
#include "util.h"

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

/* The registered tables, for db_check_statements. */
static const struct db_sql *tables[256];
static size_t ntables;

void
db_register(struct db_sql *t)
{
	t->slot = nslots;
	nslots += t->n;
	if (ntables < sizeof(tables) / sizeof(tables[0]))
		tables[ntables++] = t;
}

/* The statement tables' per-backend versions (db_register_variant). */
static struct {
	const struct db_sql *t;
	const char *variant;
	const char *const *sql;
} variants[64];
static size_t nvariants;

void
db_register_variant(const struct db_sql *t, const char *variant,
		    const char *const *sql)
{
	/* a fixed table filled at start-up: more is a programming error */
	if (nvariants == sizeof(variants) / sizeof(variants[0]))
		abort();
	variants[nvariants].t = t;
	variants[nvariants].variant = variant;
	variants[nvariants].sql = sql;
	nvariants++;
}

/* The text of statement idx of t for backend be. */
static const char *
statement_text(const struct db_backend *be, const struct db_sql *t, size_t idx)
{
	for (size_t i = 0; i < nvariants; i++)
		if (variants[i].t == t &&
		    strcmp(variants[i].variant, be->variant) == 0 &&
		    variants[i].sql[idx])
			return variants[i].sql[idx];
	return t->sql[idx];
}

int
db_check_statements(struct db *db,
		    void (*failed)(void *arg, const char *module, size_t idx,
				   const char *sql),
		    void *arg, size_t *total)
{
	int bad = 0;

	*total = 0;
	for (size_t i = 0; i < ntables; i++)
		for (size_t k = 0; k < tables[i]->n; k++) {
			const char *sql = statement_text(db->be, tables[i], k);
			struct db_stmt *st =
				sql ? db->be->prepare(db, sql) : NULL;

			(*total)++;
			if (st == NULL) {
				bad++;
				failed(arg, tables[i]->module, k,
				       sql ? sql : "(no text)");
			}
			db_stmt_free(st);
		}
	return bad;
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

int
db_target_is_pg(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 ||
	       strncmp(target, "postgres://", 11) == 0;
}

void
db_target_shown(const char *target, char *out, size_t len)
{
	const char *auth, *end, *at, *colon, *p;
	struct buf b = BUF_INIT;

	if (!db_target_is_pg(target)) {
		snprintf(out, len, "%s", target);
		return;
	}
	/* scheme://user:password@host: the authority up to / or ? */
	auth = strstr(target, "://") + 3;
	end = auth + strcspn(auth, "/?");
	at = memchr(auth, '@', (size_t)(end - auth));
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		buf_put(&b, target, (size_t)(colon - target));
		buf_puts(&b, ":***");
		buf_put(&b, at, (size_t)(end - at));
	} else {
		buf_put(&b, target, (size_t)(end - target));
	}
	/* the path, then ?key=value&... with password=*** */
	p = end + strcspn(end, "?");
	buf_put(&b, end, (size_t)(p - end));
	while (*p) {
		size_t n = strcspn(p + 1, "&");

		buf_put(&b, p, 1);
		if (strncmp(p + 1, "password=", 9) == 0)
			buf_puts(&b, "password=***");
		else
			buf_put(&b, p + 1, n);
		p += n + 1;
	}
	snprintf(out, len, "%s", buf_cstr(&b));
	buf_free(&b);
}

struct db *
db_open(const char *path, char *err, size_t errlen)
{
	const struct db_backend *be =
		db_target_is_pg(path) ? &db_pg_backend : &db_sqlite_backend;
	struct db *db = be->open(path, err, errlen);

	if (db)
		db->be = be;
	return db;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db->be->abandoned(db);
	for (size_t i = 0; i < db->nstmts; i++)
		if (db->stmts[i])
			db->be->finalize(db->stmts[i]);
	free(db->stmts);
	db->be->close(db);
}

const char *
db_backend_name(const struct db *db)
{
	return db->be->name;
}

int
db_lost(struct db *db)
{
	return db->be->lost && db->be->lost(db);
}

struct db *
db_thread(void)
{
	char err[512];

	/* a connection the server dropped (a restart, a failover) fails its
	 * request; the thread's next request gets a new one */
	if (thread_db && db_lost(thread_db)) {
		log_error("db: the connection to the database was lost; "
			  "opening another");
		db_thread_close();
	}
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
		const char *sql = statement_text(db->be, t, idx);

		if (sql == NULL) {
			log_error("db: %s statement %zu has no text for %s",
				  t->module, idx, db->be->name);
			return NULL;
		}
		st = db->stmts[slot] = db->be->prepare(db, sql);
		if (st == NULL)
			return NULL;
	}
	db->be->reset(st, 1);
	return st;
}

struct db_stmt *
db_prepare_adhoc(struct db *db, const char *sql)
{
	return db->be->prepare(db, sql);
}

void
db_stmt_free(struct db_stmt *st)
{
	if (st)
		st->db->be->finalize(st);
}

void
db_bind_textn(struct db_stmt *st, int i, const char *s, size_t n)
{
	if (s == NULL)
		st->db->be->bind_null(st, i);
	else
		st->db->be->bind_text(st, i, s, n);
}

void
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	db_bind_textn(st, i, s, s ? strlen(s) : 0);
}

void
db_bind_int(struct db_stmt *st, int i, int64_t v)
{
	st->db->be->bind_int(st, i, v);
}

void
db_bind_null(struct db_stmt *st, int i)
{
	st->db->be->bind_null(st, i);
}

int
db_step(struct db_stmt *st)
{
	return st->db->be->step(st);
}

void
db_reset(struct db_stmt *st)
{
	st->db->be->reset(st, 0);
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
	return st->db->be->col_text(st, i, NULL);
}

int64_t
db_col_int(struct db_stmt *st, int i)
{
	return st->db->be->col_int(st, i);
}

int
db_col_count(struct db_stmt *st)
{
	return st->db->be->col_count(st);
}

json_t *
db_row_json(struct db_stmt *st)
{
	const struct db_backend *be = st->db->be;
	json_t *o = json_object();
	int n = be->col_count(st);

	for (int i = 0; i < n; i++) {
		const char *s;
		size_t len;
		json_t *v;

		switch (be->col_kind(st, i)) {
		case DB_KIND_INT:
			v = json_integer(be->col_int(st, i));
			break;
		case DB_KIND_REAL:
			v = json_real(be->col_real(st, i));
			break;
		case DB_KIND_NULL:
			v = json_null();
			break;
		default:
			/* a row stored before the door checked UTF-8 must
			 * not make the whole answer unwritable */
			s = be->col_text(st, i, &len);
			v = json_string_lossy(s, len);
			break;
		}
		json_object_set_new_nocheck(o, be->col_name(st, i), v);
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
	db_reset(st);
	return o;
}

int
db_one_int(struct db_stmt *st, int64_t *v)
{
	int rc = db_step(st);

	if (rc != DB_ROW)
		return -1;
	*v = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

int64_t
db_changes(struct db *db)
{
	return db->be->changes(db);
}

int64_t
db_last_id(struct db *db)
{
	return db->be->last_id(db);
}

int
db_generation(struct db *db, uint64_t *gen)
{
	return db->be->generation(db, gen);
}

int
db_begin(struct db *db)
{
	return db->be->begin(db);
}

int
db_begin_rows(struct db *db)
{
	return db->be->begin_rows ? db->be->begin_rows(db) : db->be->begin(db);
}

int
db_commit(struct db *db)
{
	return db->be->commit(db);
}

int
db_rollback(struct db *db)
{
	return db->be->rollback(db);
}

int
db_abandoned(struct db *db)
{
	return db->be->abandoned(db);
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

/* The backend writes its copy into dest.tmp-XXXXXX (SQLite: a database
 * file; PostgreSQL: pg_dump's custom format); here it is synced and named
 * dest, or removed. */
int
db_backup(struct db *db, const char *dest, db_backup_progress progress,
	  void *arg, char *err, size_t errlen)
{
	char *tmp = NULL, dir[4096], j[4200];
	int fd, rc = -1;
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
	rc = db->be->backup(db, tmp, progress, arg, err, errlen);
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
	if (rc != 0) {
		unlink(tmp);
		snprintf(j, sizeof(j), "%s-journal", tmp);
		unlink(j);
	}
	free(tmp);
	return rc;
}

/* The embedded migrations of one backend in order of their number. */
struct migration {
	long version;
	char name[128]; /* the shared name, NNNN_name.sql, whatever file */
	const struct embedded_file *file; /* NULL: none for this backend */
	int variant; /* file is this backend's own version */
};

static int
migration_cmp(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* Splits the file name base ("0003_search.pg.sql") into the shared name
 * ("0003_search.sql", in name) and the variant ("pg", in variant; empty
 * for a shared file).  0, or -1 when it does not end in .sql. */
static int
migration_name(const char *base, char *name, size_t namelen, char *variant,
	       size_t varlen)
{
	size_t len = strlen(base);
	const char *dot;

	if (len < 5 || strcmp(base + len - 4, ".sql") != 0)
		return -1;
	len -= 4;
	variant[0] = '\0';
	dot = memchr(base, '.', len);
	if (dot) {
		snprintf(variant, varlen, "%.*s", (int)(base + len - dot - 1),
			 dot + 1);
		len = (size_t)(dot - base);
	}
	snprintf(name, namelen, "%.*s.sql", (int)len, base);
	return 0;
}

/* Fills m (caller frees) with the compiled-in migrations as backend be
 * sees them, sorted: each number once, with be's variant where it has
 * one.  Two names with one number are a build error caught here at every
 * start. */
static size_t
migrations_list(const struct db_backend *be, struct migration **m)
{
	size_t n = 0;

	*m = xcalloc(embedded_count, sizeof(**m));
	for (size_t i = 0; i < embedded_count; i++) {
		const char *p = embedded_files[i].path, *base;
		char name[128], variant[16];
		long version;
		size_t k;

		if (strstr(p, "/migrations/") == NULL)
			continue;
		base = strrchr(p, '/') + 1;
		if (migration_name(base, name, sizeof(name), variant,
				   sizeof(variant)) != 0)
			continue;
		version = strtol(base, NULL, 10);
		for (k = 0; k < n && (*m)[k].version != version; k++)
			;
		if (k < n && strcmp((*m)[k].name, name) != 0) {
			fprintf(stderr,
				"alliance: two migrations numbered %ld\n",
				version);
			abort();
		}
		if (k == n) {
			(*m)[n].version = version;
			snprintf((*m)[n].name, sizeof((*m)[n].name), "%s",
				 name);
			n++;
		}
		if (variant[0] == '\0' && !(*m)[k].variant)
			(*m)[k].file = &embedded_files[i];
		else if (strcmp(variant, be->variant) == 0) {
			(*m)[k].file = &embedded_files[i];
			(*m)[k].variant = 1;
		}
	}
	qsort(*m, n, sizeof(**m), migration_cmp);
	return n;
}

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

/* Creates the backend's bookkeeping (schema_migrations) when it is
 * missing; 0 or -1 with err (err may be NULL). */
static int
migrations_table_ensure(struct db *db, char *err, size_t errlen)
{
	char msg[512];

	if (db->be->bootstrap(db, msg, sizeof(msg)) != 0) {
		if (err)
			snprintf(err, errlen,
				 "cannot create schema_migrations: %s", msg);
		else
			log_error("db: cannot create schema_migrations: %s",
				  msg);
		return -1;
	}
	return 0;
}

/* Applies migration mi in its own transaction; 0 or -1 with err (which
 * names the migration's file, the backend and the database's message). */
static int
migration_apply(struct db *db, const struct migration *mi, char *err,
		size_t errlen)
{
	struct db_stmt *st = NULL;
	char msg[1024];

	if (mi->file == NULL) {
		snprintf(err, errlen,
			 "migration %s has no file for the %s backend "
			 "(it needs %.*s.%s.sql)",
			 mi->name, db->be->name, (int)strlen(mi->name) - 4,
			 mi->name, db->be->variant);
		return -1;
	}
	if (db_begin(db) != 0) {
		snprintf(err, errlen, "migration %s: cannot begin", mi->name);
		return -1;
	}
	if (db->be->exec(db, mi->file->data, msg, sizeof(msg)) != 0 ||
	    db->be->migrated(db, msg, sizeof(msg)) != 0) {
		snprintf(err, errlen,
			 "migration %s (src/%s) failed on %s: %s%s%.*s.%s.sql)",
			 mi->name, mi->file->path, db->be->name, msg,
			 mi->variant ? "\n(this backend's own version: "
				     : "\n(where the dialects differ, a "
				       "backend's own version replaces it: ",
			 (int)strlen(mi->name) - 4, mi->name, db->be->variant);
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
	if (db_run(st) != 0) {
		snprintf(err, errlen, "cannot record migration %s", mi->name);
		goto rollback;
	}
	db_stmt_free(st);
	if (db_commit(db) != 0) {
		snprintf(err, errlen, "cannot commit migration %s", mi->name);
		return -1;
	}
	return 0;
rollback:
	db_stmt_free(st);
	db_rollback(db);
	return -1;
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
	if (rc == DB_ROW)
		db_reset(st);
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
	size_t n = migrations_list(db->be, &m);
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
	size_t n = migrations_list(db->be, &m);
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
	size_t n = migrations_list(db->be, &m);
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
