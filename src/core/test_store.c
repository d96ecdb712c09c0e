/*
 * test_store.c -- the store and what sits on it: migrations applied to a
 * fresh database (the seeded Alliance structure is there), statement
 * tables, rows as JSON, transactions that leave nothing behind, the
 * online backup (search: test_search.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/testdb.h"

enum stmt_test { T_COUNT_FOCAL, T_FOCAL_BY_SLUG, T_INSERT_PAGE, T_COUNT_PAGES,
		 T__MAX };
static const char *const test_sql_text[T__MAX] = {
	[T_COUNT_FOCAL] = "SELECT count(*) FROM focal_areas",
	[T_FOCAL_BY_SLUG] = "SELECT slug, name, position FROM focal_areas"
			    " WHERE slug = ?",
	[T_INSERT_PAGE] = "INSERT INTO pages (slug, title, body_md, updated_at)"
			  " VALUES (?, ?, ?, '2026-11-29')",
	[T_COUNT_PAGES] = "SELECT count(*) FROM pages",
};
static struct db_sql test_sql = {"test", test_sql_text, T__MAX, 0};

static int64_t
count(struct db *db, int stmt)
{
	struct db_stmt *st = db_stmt(db, &test_sql, (size_t)stmt);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

static void
migrations_seed_the_twelve_focal_areas(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(count(f->db, T_COUNT_FOCAL), 12);
}

static void
migrating_again_applies_nothing(void **state)
{
	struct testdb *f = *state;
	char err[256];

	assert_int_equal(db_pending_migrations(f->db), 0);
	assert_int_equal(db_migrate(f->db, err, sizeof(err)), 0);
}

static void
row_becomes_typed_json(void **state)
{
	struct testdb *f = *state;
	struct db_stmt *st = db_stmt(f->db, &test_sql, T_FOCAL_BY_SLUG);
	json_t *row;

	db_bind_text(st, 1, "femicide");
	row = db_one_json(st);
	assert_non_null(row);
	assert_true(json_is_object(row));
	assert_string_equal(json_string_value(json_object_get(row, "slug")),
			    "femicide");
	assert_true(json_is_integer(json_object_get(row, "position")));
	json_decref(row);
}

static void
missing_row_is_json_null(void **state)
{
	struct testdb *f = *state;
	struct db_stmt *st = db_stmt(f->db, &test_sql, T_FOCAL_BY_SLUG);
	json_t *row;

	db_bind_text(st, 1, "no-such-area");
	row = db_one_json(st);
	assert_non_null(row);
	assert_true(json_is_null(row));
}

static void
one_int_reads_a_count_and_refuses_no_row(void **state)
{
	struct testdb *f = *state;
	struct db_stmt *st = db_stmt(f->db, &test_sql, T_COUNT_FOCAL);
	int64_t n = -1;

	assert_int_equal(db_one_int(st, &n), 0);
	assert_int_equal(n, 12);
	/* reset: the same statement runs again */
	n = -1;
	assert_int_equal(db_one_int(st, &n), 0);
	assert_int_equal(n, 12);
	st = db_stmt(f->db, &test_sql, T_FOCAL_BY_SLUG);
	db_bind_text(st, 1, "no-such-area");
	n = 7;
	assert_int_equal(db_one_int(st, &n), -1);
	assert_int_equal(n, 7);
}

static void
rollback_leaves_nothing_behind(void **state)
{
	struct testdb *f = *state;
	int64_t before = count(f->db, T_COUNT_PAGES);
	struct db_stmt *st;

	assert_int_equal(db_begin(f->db), 0);
	st = db_stmt(f->db, &test_sql, T_INSERT_PAGE);
	db_bind_text(st, 1, "draft");
	db_bind_text(st, 2, "Draft");
	db_bind_text(st, 3, "text");
	assert_int_equal(db_run(st), 0);
	assert_int_equal(count(f->db, T_COUNT_PAGES), before + 1);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(count(f->db, T_COUNT_PAGES), before);
}

static void
constraint_violation_is_an_error_not_a_crash(void **state)
{
	struct testdb *f = *state;
	struct db_stmt *st = db_stmt(f->db, &test_sql, T_INSERT_PAGE);

	db_bind_text(st, 1, "about"); /* slug is UNIQUE and seeded */
	db_bind_text(st, 2, "Again");
	db_bind_text(st, 3, "text");
	assert_int_equal(db_run(st), -1);
}

static void
backup_is_a_readable_copy(void **state)
{
	struct testdb *f = *state;
	char dest[160], err[256];
	struct db *copy;

	snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
	assert_int_equal(db_backup(f->db, dest, NULL, NULL, err, sizeof(err)), 0);
	copy = db_open(dest, err, sizeof(err));
	assert_non_null(copy);
	assert_int_equal(db_pending_migrations(copy), 0);
	assert_int_equal(count(copy, T_COUNT_FOCAL), 12);
	db_close(copy);
}

static void
generation_moves_on_every_committed_write(void **state)
{
	struct testdb *f = *state;
	struct db *other;
	struct db_stmt *st;
	uint64_t g0, g1, g2, g3;
	char err[256];

	assert_int_equal(db_generation(f->db, &g0), 0);
	assert_int_equal(db_generation(f->db, &g1), 0);
	assert_true(g0 == g1); /* reading changes nothing */

	st = db_stmt(f->db, &test_sql, T_INSERT_PAGE); /* own write */
	db_bind_text(st, 1, "own");
	db_bind_text(st, 2, "Own");
	db_bind_text(st, 3, "text");
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_generation(f->db, &g2), 0);
	assert_true(g2 != g1);

	other = db_open(f->path, err, sizeof(err)); /* another connection */
	assert_non_null(other);
	st = db_stmt(other, &test_sql, T_INSERT_PAGE);
	db_bind_text(st, 1, "theirs");
	db_bind_text(st, 2, "Theirs");
	db_bind_text(st, 3, "text");
	assert_int_equal(db_run(st), 0);
	db_close(other);
	assert_int_equal(db_generation(f->db, &g3), 0);
	assert_true(g3 != g2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrations_seed_the_twelve_focal_areas, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(migrating_again_applies_nothing, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(row_becomes_typed_json, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(missing_row_is_json_null, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(one_int_reads_a_count_and_refuses_no_row, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(rollback_leaves_nothing_behind, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(constraint_violation_is_an_error_not_a_crash, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(backup_is_a_readable_copy, testdb_setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(generation_moves_on_every_committed_write, testdb_setup, testdb_teardown),
	};

	db_register(&test_sql);
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
