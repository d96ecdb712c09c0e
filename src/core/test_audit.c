/*
 * test_audit.c -- the audit log on a fresh, fully migrated database: a
 * record comes back as written (before/after as sorted compact JSON), each
 * filter narrows the list as audit.h says, the list is newest first and
 * pages with limit/offset, the table refuses UPDATE and DELETE, and a
 * record made inside a rolled-back transaction goes with it.
 *
 * Rows with chosen times are inserted directly (audit_record stamps the
 * current time), which the append-only triggers allow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/testdb.h"

enum stmt_test {
	T_INSERT_AT,
	T_STORED_JSON,
	T_COUNT,
	T_UPDATE,
	T_DELETE,
	T__MAX
};
static const char *const test_sql_text[T__MAX] = {
	[T_INSERT_AT] = "INSERT INTO audit_log (at, actor, action, object_type,"
			" object_id) VALUES (?, ?, ?, ?, ?)",
	[T_STORED_JSON] = "SELECT before_json, after_json FROM audit_log"
			  " WHERE id = ?",
	[T_COUNT] = "SELECT count(*) FROM audit_log",
	[T_UPDATE] = "UPDATE audit_log SET action = 'forged' WHERE id = ?",
	[T_DELETE] = "DELETE FROM audit_log WHERE id = ?",
};
static struct db_sql test_sql = {"test", test_sql_text, T__MAX, 0};

/* Inserts a row with a chosen time; returns its id. */
static int64_t
insert_at(struct db *db, const char *at, int64_t actor, const char *action,
	  const char *type, const char *id)
{
	struct db_stmt *st = db_stmt(db, &test_sql, T_INSERT_AT);

	assert_non_null(st);
	db_bind_text(st, 1, at);
	db_bind_int(st, 2, actor);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, type);
	db_bind_text(st, 5, id);
	assert_int_equal(db_run(st), 0);
	return db_last_id(db);
}

static int64_t
count_rows(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &test_sql, T_COUNT);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/* The list for f, which must succeed; caller decrefs. */
static json_t *
list(struct db *db, const struct audit_filter *flt, int limit, int offset)
{
	json_t *rows = audit_list(db, flt, limit, offset);

	assert_non_null(rows);
	assert_true(json_is_array(rows));
	return rows;
}

static const char *
row_str(json_t *rows, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(rows, i), key));
}

static int64_t
row_int(json_t *rows, size_t i, const char *key)
{
	return json_integer_value(
		json_object_get(json_array_get(rows, i), key));
}

/* Three people's actions over three days, oldest first:
 * 1 person.role.set   person/7   by 1 on 2026-03-01
 * 2 person.email.set  person/8   by 2 on 2026-03-02
 * 3 event.create      event/7    by 1 on 2026-03-02 (later that day)
 * 4 personal.note     note/1     by 3 on 2026-03-03
 * 5 Person.role.set   person/7   by 3 on 2026-03-03 (later) */
static void
seed_history(struct db *db)
{
	insert_at(db, "2026-03-01T09:00:00Z", 1, "person.role.set", "person",
		  "7");
	insert_at(db, "2026-03-02T00:00:00Z", 2, "person.email.set", "person",
		  "8");
	insert_at(db, "2026-03-02T23:59:59Z", 1, "event.create", "event",
		  "7");
	insert_at(db, "2026-03-03T00:00:00Z", 3, "personal.note", "note", "1");
	insert_at(db, "2026-03-03T12:00:00Z", 3, "Person.role.set", "person",
		  "7");
}

/* The ids of rows, newest first, as "5,4,3". */
static void
ids(json_t *rows, char *out, size_t n)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < json_array_size(rows) && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%lld",
					 i ? "," : "",
					 (long long)row_int(rows, i, "id"));
}

/* The current UTC time as audit.c writes it. */
static void
stamp(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
record_round_trips_with_before_and_after(void **state)
{
	struct testdb *f = *state;
	json_t *before = json_pack("{s:s,s:i}", "role", "member", "level", 2);
	json_t *after = json_pack("{s:s,s:i}", "role", "admin", "level", 3);
	json_t *rows, *row;
	struct db_stmt *st;
	char t0[32], t1[32];

	stamp(t0, sizeof(t0));
	assert_int_equal(audit_record(f->db, 42, "person.role.set", "person",
				      "17", before, after, "203.0.113.7"),
			 0);
	stamp(t1, sizeof(t1));
	rows = list(f->db, NULL, 10, 0);
	assert_int_equal(json_array_size(rows), 1);
	row = json_array_get(rows, 0);
	assert_int_equal(row_int(rows, 0, "actor"), 42);
	assert_string_equal(row_str(rows, 0, "action"), "person.role.set");
	assert_string_equal(row_str(rows, 0, "object_type"), "person");
	assert_string_equal(row_str(rows, 0, "object_id"), "17");
	assert_string_equal(row_str(rows, 0, "client"), "203.0.113.7");
	assert_true(json_equal(json_object_get(row, "before"), before));
	assert_true(json_equal(json_object_get(row, "after"), after));
	/* stamped now, in UTC, as YYYY-MM-DDTHH:MM:SSZ */
	assert_int_equal(strlen(row_str(rows, 0, "at")), 20);
	assert_true(strcmp(row_str(rows, 0, "at"), t0) >= 0);
	assert_true(strcmp(row_str(rows, 0, "at"), t1) <= 0);

	/* stored compact with sorted keys */
	st = db_stmt(f->db, &test_sql, T_STORED_JSON);
	db_bind_int(st, 1, row_int(rows, 0, "id"));
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0),
			    "{\"level\":2,\"role\":\"member\"}");
	assert_string_equal(db_col_text(st, 1),
			    "{\"level\":3,\"role\":\"admin\"}");
	db_reset(st);
	json_decref(rows);
	json_decref(before);
	json_decref(after);
}

static void
record_without_before_after_or_object_gives_nulls(void **state)
{
	struct testdb *f = *state;
	json_t *rows, *row;

	assert_int_equal(audit_record(f->db, 0, "system.migrate", NULL, NULL,
				      NULL, NULL, NULL),
			 0);
	rows = list(f->db, NULL, 10, 0);
	assert_int_equal(json_array_size(rows), 1);
	row = json_array_get(rows, 0);
	assert_int_equal(row_int(rows, 0, "actor"), 0);
	assert_true(json_is_null(json_object_get(row, "before")));
	assert_true(json_is_null(json_object_get(row, "after")));
	assert_true(json_is_null(json_object_get(row, "object_type")));
	assert_true(json_is_null(json_object_get(row, "object_id")));
	assert_true(json_is_null(json_object_get(row, "client")));
	json_decref(rows);
}

static void
filter_by_actor_keeps_only_their_rows(void **state)
{
	struct testdb *f = *state;
	struct audit_filter flt = {.actor = 1};
	json_t *rows;
	char got[64];

	seed_history(f->db);
	rows = list(f->db, &flt, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "3,1");
	json_decref(rows);
}

static void
filter_by_action_is_a_case_sensitive_prefix(void **state)
{
	struct testdb *f = *state;
	struct audit_filter flt = {.action = "person."};
	json_t *rows;
	char got[64];

	seed_history(f->db);
	/* not "personal.note", not "Person.role.set" */
	rows = list(f->db, &flt, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "2,1");
	json_decref(rows);
}

static void
filter_by_action_takes_like_wildcards_literally(void **state)
{
	struct testdb *f = *state;
	struct audit_filter pct = {.action = "%"};
	struct audit_filter under = {.action = "person_"};
	json_t *rows;

	seed_history(f->db);
	rows = list(f->db, &pct, 100, 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	rows = list(f->db, &under, 100, 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void
filter_by_object_type_and_id(void **state)
{
	struct testdb *f = *state;
	struct audit_filter by_type = {.object_type = "person"};
	struct audit_filter by_object = {.object_type = "person",
					 .object_id = "7"};
	json_t *rows;
	char got[64];

	seed_history(f->db);
	rows = list(f->db, &by_type, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "5,2,1");
	json_decref(rows);
	/* event/7 shares the id, not the type */
	rows = list(f->db, &by_object, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "5,1");
	json_decref(rows);
}

static void
filter_by_date_range_includes_both_whole_days(void **state)
{
	struct testdb *f = *state;
	struct audit_filter one_day = {.since = "2026-03-02",
				       .until = "2026-03-02"};
	struct audit_filter from = {.since = "2026-03-03"};
	struct audit_filter to = {.until = "2026-03-01"};
	json_t *rows;
	char got[64];

	seed_history(f->db);
	/* midnight and 23:59:59 of the day, nothing either side */
	rows = list(f->db, &one_day, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "3,2");
	json_decref(rows);
	rows = list(f->db, &from, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "5,4");
	json_decref(rows);
	rows = list(f->db, &to, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "1");
	json_decref(rows);
}

static void
filters_combine(void **state)
{
	struct testdb *f = *state;
	struct audit_filter flt = {.actor = 1,
				   .action = "person.",
				   .since = "2026-03-01",
				   .until = "2026-03-03"};
	json_t *rows;
	char got[64];

	seed_history(f->db);
	rows = list(f->db, &flt, 100, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "1");
	json_decref(rows);
}

static void
filter_values_are_never_sql(void **state)
{
	struct testdb *f = *state;
	struct audit_filter flt = {.action = "' OR 1=1 --",
				   .object_type = "x' OR 'a'='a"};
	json_t *rows;

	seed_history(f->db);
	rows = list(f->db, &flt, 100, 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void
list_rejects_malformed_date(void **state)
{
	struct testdb *f = *state;
	struct audit_filter flt = {.since = "2026-3-1"};

	seed_history(f->db);
	assert_null(audit_list(f->db, &flt, 10, 0));
}

static void
list_is_newest_first_and_pages_with_limit_offset(void **state)
{
	struct testdb *f = *state;
	json_t *rows;
	char got[64];
	int64_t a, b;

	seed_history(f->db);
	/* two rows in the same second: the later insert is newer */
	a = insert_at(f->db, "2026-03-04T08:00:00Z", 1, "x.first", NULL, NULL);
	b = insert_at(f->db, "2026-03-04T08:00:00Z", 1, "x.second", NULL,
		      NULL);
	assert_true(b > a);
	rows = list(f->db, NULL, 0, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "7,6,5,4,3,2,1");
	json_decref(rows);
	rows = list(f->db, NULL, 2, 0);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "7,6");
	json_decref(rows);
	rows = list(f->db, NULL, 2, 2);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "5,4");
	json_decref(rows);
	rows = list(f->db, NULL, 2, 6);
	ids(rows, got, sizeof(got));
	assert_string_equal(got, "1");
	json_decref(rows);
	rows = list(f->db, NULL, 2, 7);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void
update_of_audit_row_is_refused(void **state)
{
	struct testdb *f = *state;
	struct audit_filter flt = {.action = "forged"};
	struct db_stmt *st;
	json_t *rows;

	assert_int_equal(audit_record(f->db, 1, "person.role.set", "person",
				      "7", NULL, NULL, NULL),
			 0);
	st = db_stmt(f->db, &test_sql, T_UPDATE);
	db_bind_int(st, 1, db_last_id(f->db));
	assert_int_equal(db_run(st), -1);
	rows = list(f->db, NULL, 10, 0);
	assert_string_equal(row_str(rows, 0, "action"), "person.role.set");
	json_decref(rows);
	rows = list(f->db, &flt, 10, 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void
delete_of_audit_row_is_refused(void **state)
{
	struct testdb *f = *state;
	struct db_stmt *st;

	assert_int_equal(audit_record(f->db, 1, "person.role.set", "person",
				      "7", NULL, NULL, NULL),
			 0);
	st = db_stmt(f->db, &test_sql, T_DELETE);
	db_bind_int(st, 1, db_last_id(f->db));
	assert_int_equal(db_run(st), -1);
	assert_int_equal(count_rows(f->db), 1);
}

static void
record_in_rolled_back_transaction_disappears(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(audit_record(f->db, 1, "kept", NULL, NULL, NULL, NULL,
				      NULL),
			 0);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(audit_record(f->db, 1, "undone", NULL, NULL, NULL,
				      NULL, NULL),
			 0);
	assert_int_equal(count_rows(f->db), 2);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(count_rows(f->db), 1);
}

static void
record_in_committed_transaction_stays(void **state)
{
	struct testdb *f = *state;
	json_t *rows;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(audit_record(f->db, 1, "done", NULL, NULL, NULL, NULL,
				      NULL),
			 0);
	assert_int_equal(db_commit(f->db), 0);
	rows = list(f->db, NULL, 10, 0);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(row_str(rows, 0, "action"), "done");
	json_decref(rows);
}

#define T(name) cmocka_unit_test_setup_teardown(name, testdb_setup, testdb_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(record_round_trips_with_before_and_after),
		T(record_without_before_after_or_object_gives_nulls),
		T(filter_by_actor_keeps_only_their_rows),
		T(filter_by_action_is_a_case_sensitive_prefix),
		T(filter_by_action_takes_like_wildcards_literally),
		T(filter_by_object_type_and_id),
		T(filter_by_date_range_includes_both_whole_days),
		T(filters_combine),
		T(filter_values_are_never_sql),
		T(list_rejects_malformed_date),
		T(list_is_newest_first_and_pages_with_limit_offset),
		T(update_of_audit_row_is_refused),
		T(delete_of_audit_row_is_refused),
		T(record_in_rolled_back_transaction_disappears),
		T(record_in_committed_transaction_stays),
	};

	db_register(&audit_sql);
	db_register(&test_sql);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
