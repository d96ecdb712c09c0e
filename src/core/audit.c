/*
 * audit.c -- see audit.h.  The log is the table audit_log (migration
 * core/0007_audit_ratelimit.sql), append-only by its triggers.  A record is
 * one INSERT on the caller's connection, so it commits or rolls back with
 * the change it describes.  The time is taken here, in UTC, as
 * 'YYYY-MM-DDTHH:MM:SSZ': text order is time order, and the same text
 * works in SQLite and PostgreSQL.
 *
 * The list is one prepared statement for every combination of filters:
 * each condition reads "(CAST(? AS type) IS NULL OR ...)" and is switched
 * off by binding NULL, so input only ever reaches SQL as a bound value.
 * The CASTs give PostgreSQL the parameter types it cannot infer from
 * "? IS NULL".  The action filter is a prefix compared with substr(), not
 * LIKE: exact and case-sensitive in both dialects, and '%' or '_' in a
 * prefix are plain characters.
 *
 * actor_name comes from people by a LEFT JOIN, so rows of people who
 * were erased keep their actor id with a null name.
 */
#include "audit.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "log.h"
#include "validate.h"

enum stmt_audit {
	STMT_AUDIT_INSERT,
	STMT_AUDIT_LIST,
	STMT_AUDIT__MAX,
};

static const char *const audit_sql_text[STMT_AUDIT__MAX] = {
	[STMT_AUDIT_INSERT] =
		"INSERT INTO audit_log (at, actor, action, object_type,"
		" object_id, before_json, after_json, client)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	/* binds: actor x2, action x3, object_type x2, object_id x2,
	 * since x2, until x2, limit, offset */
	[STMT_AUDIT_LIST] =
		"SELECT a.id, a.at, a.actor, a.action, a.object_type,"
		" a.object_id, a.before_json, a.after_json, a.client, p.name"
		" FROM audit_log a LEFT JOIN people p ON p.id = a.actor"
		" WHERE (CAST(? AS INTEGER) IS NULL OR actor = ?)"
		" AND (CAST(? AS TEXT) IS NULL"
		"  OR substr(action, 1, length(CAST(? AS TEXT))) = ?)"
		" AND (CAST(? AS TEXT) IS NULL OR object_type = ?)"
		" AND (CAST(? AS TEXT) IS NULL OR object_id = ?)"
		" AND (CAST(? AS TEXT) IS NULL OR at >= ?)"
		" AND (CAST(? AS TEXT) IS NULL"
		"  OR at <= CAST(? AS TEXT) || 'T23:59:59Z')"
		" ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?",
};

struct db_sql audit_sql = {"audit", audit_sql_text, STMT_AUDIT__MAX, 0};

/* The columns of STMT_AUDIT_LIST, in order. */
enum { COL_ID, COL_AT, COL_ACTOR, COL_ACTION, COL_OBJECT_TYPE,
       COL_OBJECT_ID, COL_BEFORE, COL_AFTER, COL_CLIENT, COL_ACTOR_NAME };

/* Compact JSON with sorted keys (newly allocated, free()), or NULL for a
 * NULL value; *failed is set when v cannot be encoded. */
static char *
encode(json_t *v, int *failed)
{
	char *s;

	if (v == NULL)
		return NULL;
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (s == NULL)
		*failed = 1;
	return s;
}

/*
 * Inserts one row; see audit.h.  action is required (a programming error
 * otherwise); the other strings may be NULL.  0, or -1 when before/after
 * cannot be encoded or the insert fails (both logged).
 */
int
audit_record(struct db *db, int64_t actor, const char *action,
	     const char *object_type, const char *object_id, json_t *before,
	     json_t *after, const char *client)
{
	struct db_stmt *st;
	char at[sizeof("YYYY-MM-DDTHH:MM:SSZ")];
	char *b, *a;
	int failed = 0, rc = -1;
	time_t now = (time_t)clock_now();
	struct tm tm;

	assert(action != NULL);
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	b = encode(before, &failed);
	a = encode(after, &failed);
	if (failed) {
		log_error("audit: %s: cannot encode before/after", action);
		goto out;
	}
	st = db_stmt(db, &audit_sql, STMT_AUDIT_INSERT);
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, at);
	db_bind_int(st, 2, actor);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, object_type);
	db_bind_text(st, 5, object_id);
	db_bind_text(st, 6, b);
	db_bind_text(st, 7, a);
	db_bind_text(st, 8, client);
	rc = db_run(st);
out:
	free(b);
	free(a);
	return rc;
}

/* Binds s to placeholders first .. first+times-1 (NULL binds NULL). */
static void
bind_repeat(struct db_stmt *st, int first, int times, const char *s)
{
	for (int i = 0; i < times; i++)
		db_bind_text(st, first + i, s);
}

/* A column of the current row as a JSON string, or null for SQL NULL. */
static json_t *
text_or_null(struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);

	return s ? json_string(s) : json_null();
}

/* A stored before/after column decoded back to JSON (null for SQL NULL);
 * NULL when the stored text is not JSON (logged). */
static json_t *
decode(struct db_stmt *st, int col, int64_t id)
{
	const char *s = db_col_text(st, col);
	json_error_t jerr;
	json_t *v;

	if (s == NULL)
		return json_null();
	v = json_loads(s, JSON_DECODE_ANY, &jerr);
	if (v == NULL)
		log_error("audit: row %lld: stored JSON does not parse: %s",
			  (long long)id, jerr.text);
	return v;
}

/* The current row of STMT_AUDIT_LIST as the object audit.h describes, or
 * NULL when its JSON columns do not parse (logged). */
static json_t *
row_json(struct db_stmt *st)
{
	int64_t id = db_col_int(st, COL_ID);
	json_t *o, *before, *after;

	before = decode(st, COL_BEFORE, id);
	after = decode(st, COL_AFTER, id);
	if (before == NULL || after == NULL) {
		json_decref(before);
		json_decref(after);
		return NULL;
	}
	o = json_object();
	json_object_set_new(o, "id", json_integer(id));
	json_object_set_new(o, "at", text_or_null(st, COL_AT));
	json_object_set_new(o, "actor",
			    json_integer(db_col_int(st, COL_ACTOR)));
	json_object_set_new(o, "action", text_or_null(st, COL_ACTION));
	json_object_set_new(o, "object_type",
			    text_or_null(st, COL_OBJECT_TYPE));
	json_object_set_new(o, "object_id", text_or_null(st, COL_OBJECT_ID));
	json_object_set_new(o, "before", before);
	json_object_set_new(o, "after", after);
	json_object_set_new(o, "client", text_or_null(st, COL_CLIENT));
	json_object_set_new(o, "actor_name", text_or_null(st, COL_ACTOR_NAME));
	return o;
}

/* 1 when a date filter is absent or a real YYYY-MM-DD. */
static int
date_ok(const char *s)
{
	return s == NULL || valid_date(s, strlen(s), NULL, NULL, NULL);
}

/*
 * The rows matching f (NULL: all), newest first, at most limit of them
 * (limit <= 0: no limit) after skipping offset (negative counts as 0).
 * A new JSON array owned by the caller, or NULL when the query fails or a
 * date in f is not YYYY-MM-DD (the route validates its input first, so
 * that is a programming error; logged).
 */
json_t *
audit_list(struct db *db, const struct audit_filter *f, int limit,
	   int offset)
{
	static const struct audit_filter none;
	struct db_stmt *st;
	json_t *rows;
	int rc;

	if (f == NULL)
		f = &none;
	if (!date_ok(f->since) || !date_ok(f->until)) {
		log_error("audit: date filter is not YYYY-MM-DD");
		return NULL;
	}
	st = db_stmt(db, &audit_sql, STMT_AUDIT_LIST);
	if (st == NULL)
		return NULL;
	if (f->actor != 0) {
		db_bind_int(st, 1, f->actor);
		db_bind_int(st, 2, f->actor);
	}
	bind_repeat(st, 3, 3, f->action);
	bind_repeat(st, 6, 2, f->object_type);
	bind_repeat(st, 8, 2, f->object_id);
	bind_repeat(st, 10, 2, f->since);
	bind_repeat(st, 12, 2, f->until);
	db_bind_int(st, 14, limit > 0 ? limit : INT64_MAX);
	db_bind_int(st, 15, offset > 0 ? offset : 0);

	rows = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = row_json(st);

		if (o == NULL) {
			db_reset(st);
			json_decref(rows);
			return NULL;
		}
		json_array_append_new(rows, o);
	}
	if (rc != DB_DONE) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}

int
audit_record_new(struct db *db, int64_t actor, const char *action,
		 const char *object_type, const char *object_id,
		 json_t *before, json_t *after, const char *client)
{
	int rc = audit_record(db, actor, action, object_type, object_id,
			      before, after, client);

	json_decref(before);
	json_decref(after);
	return rc;
}
