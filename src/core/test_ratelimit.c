/*
 * test_ratelimit.c -- fixed-window counters on a fresh, fully migrated
 * database: the limit-th event is allowed and the next one refused with
 * the seconds left, a refused event is not counted, a new window starts
 * over, keys count apart, peek does not count, clear and prune forget.
 * Time is passed in, so every test states its clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/db.h"
#include "core/ratelimit.h"
#include "core/testdb.h"

enum stmt_test { T_COUNT_OF, T_KEYS, T__MAX };
static const char *const test_sql_text[T__MAX] = {
	[T_COUNT_OF] = "SELECT count FROM rate_limits WHERE key = ?",
	[T_KEYS] = "SELECT count(*) FROM rate_limits",
};
static struct db_sql test_sql = {"test", test_sql_text, T__MAX, 0};

#define KEY "signin-fail:ip:203.0.113.7"
#define T0 1780000000 /* 2026-05-28T20:26:40Z */

/* The stored count of key, -1 when it has no row. */
static int64_t
stored_count(struct db *db, const char *key)
{
	struct db_stmt *st = db_stmt(db, &test_sql, T_COUNT_OF);
	int64_t n = -1;

	assert_non_null(st);
	db_bind_text(st, 1, key);
	if (db_step(st) == DB_ROW) {
		n = db_col_int(st, 0);
		db_reset(st);
	}
	return n;
}

static int64_t
stored_keys(struct db *db)
{
	struct db_stmt *st = db_stmt(db, &test_sql, T_KEYS);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

static void
limit_th_hit_is_allowed_and_the_next_refused(void **state)
{
	struct testdb *f = *state;

	for (int i = 0; i < 5; i++)
		assert_int_equal(ratelimit_hit(f->db, KEY, 5, 60, T0), 0);
	assert_int_equal(stored_count(f->db, KEY), 5);
	assert_int_equal(ratelimit_hit(f->db, KEY, 5, 60, T0), 60);
}

static void
limit_reached_answers_seconds_left_in_window(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(ratelimit_hit(f->db, KEY, 3, 600, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 3, 600, T0 + 100), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 3, 600, T0 + 200), 0);
	/* the window began with the first hit */
	assert_int_equal(ratelimit_hit(f->db, KEY, 3, 600, T0 + 250), 350);
	assert_int_equal(ratelimit_hit(f->db, KEY, 3, 600, T0 + 599), 1);
}

static void
refused_hit_is_not_counted(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0), 0);
	for (int i = 0; i < 10; i++)
		assert_true(ratelimit_hit(f->db, KEY, 2, 60, T0 + i) > 0);
	assert_int_equal(stored_count(f->db, KEY), 2);
}

static void
new_window_starts_the_count_over(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0 + 10), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0 + 59), 1);
	/* the window [T0, T0+60) is over: a full new allowance */
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0 + 60), 0);
	assert_int_equal(stored_count(f->db, KEY), 1);
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0 + 61), 0);
	/* and the new window runs from T0+60 */
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0 + 62), 58);
}

static void
keys_are_counted_apart(void **state)
{
	struct testdb *f = *state;
	const char *other = "signin-fail:ip:203.0.113.8";

	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 60);
	assert_int_equal(ratelimit_hit(f->db, other, 1, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, other, 1, 60, T0), 60);
	assert_int_equal(stored_count(f->db, KEY), 1);
	assert_int_equal(stored_count(f->db, other), 1);
}

static void
peek_answers_without_counting(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(ratelimit_peek(f->db, KEY, 2, 60, T0), 0);
	assert_int_equal(stored_count(f->db, KEY), -1);
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(ratelimit_peek(f->db, KEY, 2, 60, T0), 0);
	assert_int_equal(stored_count(f->db, KEY), 1);
	assert_int_equal(ratelimit_hit(f->db, KEY, 2, 60, T0 + 20), 0);
	assert_int_equal(ratelimit_peek(f->db, KEY, 2, 60, T0 + 20), 40);
	assert_int_equal(ratelimit_peek(f->db, KEY, 2, 60, T0 + 60), 0);
}

static void
clear_forgets_the_key(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 60);
	assert_int_equal(ratelimit_clear(f->db, KEY), 0);
	assert_int_equal(stored_count(f->db, KEY), -1);
	assert_int_equal(ratelimit_peek(f->db, KEY, 1, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 0);
	/* clearing a key never seen is not an error */
	assert_int_equal(ratelimit_clear(f->db, "never-seen"), 0);
}

static void
prune_forgets_only_windows_started_before(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(ratelimit_hit(f->db, "old", 1, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, "new", 1, 60, T0 + 3600), 0);
	assert_int_equal(ratelimit_prune(f->db, T0 + 3600), 1);
	assert_int_equal(stored_count(f->db, "old"), -1);
	assert_int_equal(stored_count(f->db, "new"), 1);
	assert_int_equal(stored_keys(f->db), 1);
}

static void
hit_inside_rolled_back_transaction_is_not_kept(void **state)
{
	struct testdb *f = *state;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 60);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 1, 60, T0), 0);
}

static void
add_counts_n_and_refuses_what_does_not_fit(void **state)
{
	struct testdb *f = *state;

	/* 10 units per minute: 4 + 4 fit, 4 more do not, 2 do */
	assert_int_equal(ratelimit_add(f->db, KEY, 4, 10, 60, T0), 0);
	assert_int_equal(ratelimit_add(f->db, KEY, 4, 10, 60, T0 + 1), 0);
	assert_int_equal(ratelimit_add(f->db, KEY, 4, 10, 60, T0 + 10), 50);
	assert_int_equal(stored_count(f->db, KEY), 8);
	assert_int_equal(ratelimit_add(f->db, KEY, 2, 10, 60, T0 + 10), 0);
	assert_int_equal(ratelimit_hit(f->db, KEY, 10, 60, T0 + 11), 49);
	/* a new window takes n whole */
	assert_int_equal(ratelimit_add(f->db, KEY, 10, 10, 60, T0 + 60), 0);
	assert_int_equal(stored_count(f->db, KEY), 10);
}

static void
rule_counts_client_and_address_apart(void **state)
{
	struct testdb *f = *state;
	const struct ratelimit_rule rule = {"form", 3, 2, 60};

	/* two for one address, then that address is refused ... */
	assert_int_equal(ratelimit_hit_rule(f->db, &rule, "a", "x@e", T0), 0);
	assert_int_equal(ratelimit_hit_rule(f->db, &rule, "a", "x@e", T0), 0);
	assert_int_equal(ratelimit_hit_rule(f->db, &rule, "b", "x@e", T0), 60);
	/* ... while the client's third goes to another address */
	assert_int_equal(ratelimit_hit_rule(f->db, &rule, "a", "y@e", T0), 0);
	assert_int_equal(ratelimit_hit_rule(f->db, &rule, "a", "z@e", T0 + 5),
			 55);
	/* the refused client did not use up z@e's allowance */
	assert_int_equal(stored_count(f->db, "form:addr:z@e"), -1);
	assert_int_equal(stored_count(f->db, "form:client:a"), 3);
	/* a limit of 0 is none; NULL is not counted */
	const struct ratelimit_rule open = {"open", 0, 1, 60};
	for (int i = 0; i < 5; i++)
		assert_int_equal(
			ratelimit_hit_rule(f->db, &open, "a", NULL, T0), 0);
	assert_int_equal(stored_keys(f->db), 4);
}

static void
wait_words_for_people(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(ratelimit_wait_words(1, b, sizeof(b)), "1 minute");
	assert_string_equal(ratelimit_wait_words(3600, b, sizeof(b)),
			    "60 minutes");
	assert_string_equal(ratelimit_wait_words(86400, b, sizeof(b)),
			    "24 hours");
}

#define T(name) cmocka_unit_test_setup_teardown(name, testdb_setup, testdb_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(limit_th_hit_is_allowed_and_the_next_refused),
		T(limit_reached_answers_seconds_left_in_window),
		T(refused_hit_is_not_counted),
		T(new_window_starts_the_count_over),
		T(keys_are_counted_apart),
		T(peek_answers_without_counting),
		T(clear_forgets_the_key),
		T(prune_forgets_only_windows_started_before),
		T(hit_inside_rolled_back_transaction_is_not_kept),
		T(add_counts_n_and_refuses_what_does_not_fit),
		T(rule_counts_client_and_address_apart),
		T(wait_words_for_people),
	};

	db_register(&ratelimit_sql);
	db_register(&test_sql);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
