/*
 * db_copy.c -- see db_copy.h.  A SQLite deployment moved into PostgreSQL.
 *
 * The tables are the target's after `alliance migrate` there (so the
 * schema is exactly what this binary would build on PostgreSQL), without
 * the backend's bookkeeping (schema_migrations, alliance_generation); a
 * source table the target lacks is SQLite's own (FTS5's shadow tables,
 * sqlite_sequence) and is not copied.  A table's columns are those both
 * have, less the target's generated ones (a tsvector); an `id` the source
 * table lacks is its rowid (the FTS5 search index, whose organisation
 * entries are keyed by minus the organisation's id).
 *
 * Order: a table after every table its foreign keys name (their depth in
 * pg_constraint), removed in the reverse order.  The user triggers of the
 * target's tables are off while the rows go in (ALTER TABLE ... DISABLE
 * TRIGGER USER: the foreign keys, system triggers, stay checked), so what
 * triggers derive (the search index, the directory's listing columns,
 * roles from representatives) is copied as SQLite had it, not derived a
 * second time, and the audit log's guard lets the seeded rows be replaced.
 * Rows travel as text, the way db_pg.c sends every value (0/1 into a
 * boolean, digits into a bigint).
 *
 * This file speaks both dialects' catalogs on purpose, like the backends
 * (scripts/check-sql.sh leaves it out).
 */
#include "db_copy.h"

#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "util.h"

/* The target's tables, parents first. */
#define SQL_DST_TABLES                                                         \
	"WITH RECURSIVE t AS (SELECT c.oid, c.relname FROM pg_class c"         \
	"  JOIN pg_namespace n ON n.oid = c.relnamespace"                      \
	"  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"     \
	"  AND c.relname NOT IN ('schema_migrations', "                        \
	"'alliance_generation')),"                                             \
	" fk AS (SELECT conrelid AS child, confrelid AS parent"                \
	"  FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid)," \
	" d (oid, depth) AS (SELECT oid, 0 FROM t UNION ALL"                   \
	"  SELECT fk.child, d.depth + 1 FROM d JOIN fk ON fk.parent = d.oid"   \
	"  WHERE d.depth < 64)"                                                \
	" SELECT t.relname FROM t JOIN d ON d.oid = t.oid"                     \
	" GROUP BY t.relname ORDER BY max(d.depth), t.relname"
#define SQL_DST_COLUMNS                                                        \
	"SELECT column_name FROM information_schema.columns"                   \
	" WHERE table_schema = current_schema() AND table_name = ?"            \
	" AND is_generated = 'NEVER' ORDER BY ordinal_position"
#define SQL_DST_COUNT_TABLES                                                   \
	"SELECT count(*), min(table_name) FROM information_schema.tables"      \
	" WHERE table_schema = current_schema()"
#define SQL_SRC_HAS                                                            \
	"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
#define SQL_SRC_COLUMNS "SELECT name FROM pragma_table_info(?)"

/* One table to copy. */
struct table {
	char *name;
	char **cols; /* the target's names */
	char **from; /* what the source selects for each ("rowid") */
	int ncols;
	int in_src;     /* the source has it */
	int64_t copied; /* rows inserted */
};

/* The names the one-column query sql gives (with bind, when not NULL, as
 * its parameter); a NULL-terminated array, or NULL on error. */
static char **
names(struct db *db, const char *sql, const char *bind, int *n)
{
	struct db_stmt *st = db_prepare_adhoc(db, sql);
	char **out = NULL;
	int rc, k = 0;

	if (st == NULL)
		return NULL;
	if (bind)
		db_bind_text(st, 1, bind);
	while ((rc = db_step(st)) == DB_ROW) {
		out = xrealloc(out, (size_t)(k + 2) * sizeof(*out));
		out[k++] =
			xstrdup(db_col_text(st, 0) ? db_col_text(st, 0) : "");
	}
	db_stmt_free(st);
	if (rc != DB_DONE) {
		for (int i = 0; i < k; i++)
			free(out[i]);
		free(out);
		return NULL;
	}
	if (out == NULL)
		out = xcalloc(1, sizeof(*out));
	out[k] = NULL;
	if (n)
		*n = k;
	return out;
}

static void
free_names(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int
has_name(char **v, const char *name)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], name) == 0)
			return 1;
	return 0;
}

/* The first column of the first row of sql (one text bind or none) as an
 * integer in *v, and its second column, when text is not NULL, copied
 * there.  0 or -1. */
static int
one_row(struct db *db, const char *sql, const char *bind, int64_t *v,
	char *text, size_t textlen)
{
	struct db_stmt *st = db_prepare_adhoc(db, sql);
	int rc;

	if (st == NULL)
		return -1;
	if (bind)
		db_bind_text(st, 1, bind);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*v = db_col_int(st, 0);
		if (text)
			snprintf(text, textlen, "%s",
				 db_col_text(st, 1) ? db_col_text(st, 1) : "");
		db_reset(st);
	}
	db_stmt_free(st);
	return rc == DB_ROW ? 0 : -1;
}

/* "SELECT count(*) FROM "name"" on db into *n. */
static int
count_rows(struct db *db, const char *name, int64_t *n)
{
	char sql[300];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", name);
	return one_row(db, sql, NULL, n, NULL, 0);
}

/* Runs a statement without parameters on dst; 0, or -1 with err. */
static int
dst_exec(struct db *dst, const char *sql, char *err, size_t errlen)
{
	return dst->be->exec(dst, sql, err, errlen);
}

/* Fills t's columns: the target's, each taken from the source's column of
 * that name or, for an id the source lacks, its rowid; target columns the
 * source lacks are left to their defaults.  0 or -1 with err. */
static int
plan_columns(struct db *src, struct db *dst, struct table *t, char *err,
	     size_t errlen)
{
	char **dcols = names(dst, SQL_DST_COLUMNS, t->name, NULL), **scols;
	int k = 0;

	if (dcols == NULL) {
		snprintf(err, errlen, "cannot read the columns of %s", t->name);
		return -1;
	}
	scols = names(src, SQL_SRC_COLUMNS, t->name, NULL);
	if (scols == NULL) {
		free_names(dcols);
		snprintf(err, errlen,
			 "cannot read the columns of %s in the "
			 "SQLite database",
			 t->name);
		return -1;
	}
	for (size_t i = 0; dcols[i]; i++) {
		const char *from = NULL;

		if (has_name(scols, dcols[i]))
			from = dcols[i];
		else if (strcmp(dcols[i], "id") == 0)
			from = "rowid";
		if (from == NULL)
			continue;
		t->cols = xrealloc(t->cols, (size_t)(k + 1) * sizeof(char *));
		t->from = xrealloc(t->from, (size_t)(k + 1) * sizeof(char *));
		t->cols[k] = xstrdup(dcols[i]);
		t->from[k] = xstrdup(from);
		k++;
	}
	t->ncols = k;
	free_names(dcols);
	free_names(scols);
	return 0;
}

/* Copies the rows of t, one prepared INSERT run per row.  0 or -1. */
static int
copy_rows(struct db *src, struct db *dst, struct table *t, char *err,
	  size_t errlen)
{
	struct buf sel = {0}, ins = {0};
	struct db_stmt *in = NULL, *out = NULL;
	int rc = -1, step;

	if (t->ncols == 0)
		return 0;
	buf_puts(&sel, "SELECT ");
	buf_printf(&ins, "INSERT INTO \"%s\" (", t->name);
	for (int i = 0; i < t->ncols; i++) {
		if (strcmp(t->from[i], "rowid") == 0)
			buf_printf(&sel, "%srowid", i ? ", " : "");
		else
			buf_printf(&sel, "%s\"%s\"", i ? ", " : "", t->from[i]);
		buf_printf(&ins, "%s\"%s\"", i ? ", " : "", t->cols[i]);
	}
	buf_printf(&sel, " FROM \"%s\"", t->name);
	buf_puts(&ins, ") VALUES (");
	for (int i = 0; i < t->ncols; i++)
		buf_puts(&ins, i ? ", ?" : "?");
	buf_puts(&ins, ")");

	in = db_prepare_adhoc(src, buf_cstr(&sel));
	out = db_prepare_adhoc(dst, buf_cstr(&ins));
	if (in == NULL || out == NULL) {
		snprintf(err, errlen,
			 "%s: the statements do not prepare "
			 "(the log says why)",
			 t->name);
		goto done;
	}
	while ((step = db_step(in)) == DB_ROW) {
		for (int i = 0; i < t->ncols; i++) {
			size_t n;
			const char *v = in->db->be->col_text(in, i, &n);

			if (v)
				db_bind_textn(out, i + 1, v, n);
			else
				db_bind_null(out, i + 1);
		}
		if (db_run(out) != 0) {
			snprintf(err, errlen,
				 "%s: row %lld does not go in (the log says "
				 "why)",
				 t->name, (long long)t->copied + 1);
			db_reset(in);
			goto done;
		}
		t->copied++;
	}
	if (step != DB_DONE) {
		snprintf(err, errlen, "%s: cannot read the SQLite rows",
			 t->name);
		goto done;
	}
	rc = 0;
done:
	db_stmt_free(in);
	db_stmt_free(out);
	buf_free(&sel);
	buf_free(&ins);
	return rc;
}

/* Turns the user triggers of every table on or off. */
static int
triggers(struct db *dst, struct table *ts, int n, int on, char *err,
	 size_t errlen)
{
	char sql[300];

	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof(sql), "ALTER TABLE \"%s\" %s TRIGGER USER",
			 ts[i].name, on ? "ENABLE" : "DISABLE");
		if (dst_exec(dst, sql, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* The copy itself, in dst's transaction.  0 or -1 with err. */
static int
copy_all(struct db *src, struct db *dst, struct table *ts, int n, FILE *out,
	 char *err, size_t errlen)
{
	char sql[300];
	int64_t total = 0;
	int bad = 0;

	if (triggers(dst, ts, n, 0, err, errlen) != 0)
		return -1;
	/* what the migrations seeded goes: the source has its own rows */
	for (int i = n - 1; i >= 0; i--) {
		snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", ts[i].name);
		if (dst_exec(dst, sql, err, errlen) != 0)
			return -1;
	}
	for (int i = 0; i < n; i++)
		if (ts[i].in_src && copy_rows(src, dst, &ts[i], err, errlen))
			return -1;
	if (triggers(dst, ts, n, 1, err, errlen) != 0 ||
	    dst->be->migrated(dst, err, errlen) != 0)
		return -1;

	fprintf(out, "%-32s %10s %10s\n", "table", "SQLite", "PostgreSQL");
	for (int i = 0; i < n; i++) {
		int64_t s = 0, d = 0;

		if (ts[i].in_src && count_rows(src, ts[i].name, &s) != 0) {
			snprintf(err, errlen, "cannot count %s", ts[i].name);
			return -1;
		}
		if (count_rows(dst, ts[i].name, &d) != 0) {
			snprintf(err, errlen, "cannot count %s", ts[i].name);
			return -1;
		}
		fprintf(out, "%-32s %10lld %10lld%s\n", ts[i].name,
			(long long)s, (long long)d, s == d ? "" : "  differ");
		bad += s != d;
		total += d;
	}
	if (bad) {
		snprintf(err, errlen,
			 "the row counts of %d table%s differ (above)", bad,
			 bad == 1 ? "" : "s");
		return -1;
	}
	fprintf(out, "%d tables, %lld rows: the counts are equal\n", n,
		(long long)total);
	return 0;
}

int
db_copy_to_pg(struct db *src, struct db *dst, FILE *out, char *err,
	      size_t errlen)
{
	char first[200], **tnames;
	struct table *ts;
	int64_t ntables;
	int n = 0, rc;

	if (strcmp(dst->be->variant, "pg") != 0 ||
	    strcmp(src->be->variant, "sqlite") != 0) {
		snprintf(err, errlen,
			 "copies a SQLite database into a "
			 "PostgreSQL one");
		return 1;
	}
	if (one_row(dst, SQL_DST_COUNT_TABLES, NULL, &ntables, first,
		    sizeof(first)) != 0) {
		snprintf(err, errlen, "cannot list the target's tables");
		return -1;
	}
	if (ntables > 0) {
		snprintf(err, errlen,
			 "the target database is not empty (%lld table%s, "
			 "%s among them); copy-to-postgres only fills an "
			 "empty database: create a new one (createdb) and "
			 "name it",
			 (long long)ntables, ntables == 1 ? "" : "s", first);
		return 1;
	}
	if ((rc = db_pending_migrations(src)) != 0) {
		snprintf(err, errlen,
			 rc < 0 ? "cannot read the SQLite database's "
				  "migrations"
				: "the SQLite database needs migrations this "
				  "binary carries: run alliance migrate first");
		return rc < 0 ? -1 : 1;
	}
	if (db_migrate(dst, err, errlen) < 0)
		return -1;
	fprintf(out, "migrated the target\n");

	tnames = names(dst, SQL_DST_TABLES, NULL, &n);
	if (tnames == NULL) {
		snprintf(err, errlen, "cannot list the target's tables");
		return -1;
	}
	ts = xcalloc((size_t)n + 1, sizeof(*ts));
	rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		int64_t has = 0;

		ts[i].name = tnames[i];
		if (one_row(src, SQL_SRC_HAS, ts[i].name, &has, NULL, 0) != 0)
			rc = -1;
		ts[i].in_src = has > 0;
		if (rc == 0 && ts[i].in_src)
			rc = plan_columns(src, dst, &ts[i], err, errlen);
	}
	/* one snapshot of the source, written by nobody meanwhile; one
	 * transaction on the target */
	if (rc == 0 && db_begin(src) != 0) {
		snprintf(err, errlen, "cannot lock the SQLite database");
		rc = -1;
	} else if (rc == 0) {
		if (db_begin(dst) != 0) {
			snprintf(err, errlen, "cannot begin on PostgreSQL");
			rc = -1;
		} else {
			rc = copy_all(src, dst, ts, n, out, err, errlen);
			if (rc == 0 && db_commit(dst) != 0) {
				snprintf(err, errlen, "COMMIT failed");
				rc = -1;
			} else if (rc != 0) {
				db_rollback(dst);
			}
		}
		db_rollback(src);
	}
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < ts[i].ncols; k++) {
			free(ts[i].cols[k]);
			free(ts[i].from[k]);
		}
		free(ts[i].cols);
		free(ts[i].from);
	}
	free(ts);
	free_names(tnames);
	return rc;
}
