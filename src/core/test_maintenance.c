/*
 * test_maintenance.c -- the hourly clean-up: one chain of jobs however
 * often it is ensured, expired sessions and links removed while live ones
 * stay, and a run through the job runner schedules the next one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/auth.h"
#include "core/jobs.h"
#include "core/maintenance.h"
#include "core/ratelimit.h"
#include "core/testdb.h"

struct fixture {
	char dir[64];
	struct db *db;
	int64_t person;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	struct db_stmt *st;

	if (testdb_open(f->dir, path, &f->db) != 0)
		return -1;
	st = db_prepare_adhoc(f->db, "INSERT INTO people (email, name,"
				     " created_at) VALUES ('m@example.org',"
				     " 'M', 0)");
	if (st == NULL || db_run(st) != 0)
		return -1;
	db_stmt_free(st);
	f->person = db_last_id(f->db);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

static void
ensure_makes_one_job_however_often(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 5; i++)
		assert_int_equal(jobs_ensure_recurring(f->db, 1000 + i), 0);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM jobs WHERE kind ="
				      " 'maintenance.hourly'"),
			 1);
}

static void
expired_sessions_go_live_ones_stay(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];

	/* idle limit 100 s, absolute 1000 s; now = 2000 */
	assert_int_equal(auth_session_create(f->db, f->person, "a", "", 1500,
					     token),
			 0); /* idle for 500 s */
	assert_int_equal(auth_session_create(f->db, f->person, "b", "", 1950,
					     token),
			 0); /* live */
	assert_int_equal(auth_session_create(f->db, f->person, "c", "", 500,
					     token),
			 0); /* idle and too old */
	assert_true(maintenance_run(f->db, 2000, 100, 1000) >= 2);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM sessions WHERE"
				      " client = 'b'"),
			 1);
}

static void
links_go_a_week_after_expiry(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1];
	const int64_t week = 7 * 86400;

	assert_int_equal(auth_link_create(f->db, f->person, "reset", NULL, 10,
					  1000, token),
			 0);
	assert_int_equal(auth_link_create(f->db, f->person, "verify", NULL, 10,
					  1000 + week, token),
			 0);
	assert_true(maintenance_run(f->db, 1000 + week + 100, 1e9, 1e9) >= 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM one_time_tokens"),
			 1);
}

static void
rate_limit_windows_of_yesterday_go(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(ratelimit_hit(f->db, "old", 5, 60, 1000), 0);
	assert_int_equal(ratelimit_hit(f->db, "new", 5, 60, 1000 + 86400), 0);
	assert_true(maintenance_run(f->db, 1000 + 86400 + 10, 1e9, 1e9) >= 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM rate_limits"), 1);
}

static void
languages_of_addresses_go_after_two_years(void **state)
{
	struct fixture *f = *state;
	int64_t now = 1800000000;

	testdb_run(f->db, "INSERT INTO mail_languages (address, language,"
			  " updated_at) VALUES ('old@example.org', 'fr',"
			  " 1800000000 - 731 * 86400), ('new@example.org',"
			  " 'ar', 1800000000 - 700 * 86400)");
	assert_true(maintenance_run(f->db, now, 1e9, 1e9) >= 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM"
					     " mail_languages WHERE address ="
					     " 'new@example.org'"),
			 1);
	assert_int_equal(
		testdb_value(f->db, "SELECT count(*) FROM mail_languages"), 1);
}

static void
a_run_schedules_the_next(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(jobs_ensure_recurring(f->db, 1000), 0);
	assert_int_equal(jobs_run_due(f->db, "test", 10, 1000 + 61), 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM jobs WHERE kind ="
				      " 'maintenance.hourly' AND status ="
				      " 'done'"),
			 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM jobs WHERE kind ="
				      " 'maintenance.hourly' AND status ="
				      " 'queued' AND run_at = 1000 + 61 + 3600"),
			 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ensure_makes_one_job_however_often, setup, teardown),
		cmocka_unit_test_setup_teardown(expired_sessions_go_live_ones_stay, setup, teardown),
		cmocka_unit_test_setup_teardown(links_go_a_week_after_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(rate_limit_windows_of_yesterday_go, setup, teardown),
		cmocka_unit_test_setup_teardown(languages_of_addresses_go_after_two_years, setup, teardown),
		cmocka_unit_test_setup_teardown(a_run_schedules_the_next, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	db_register(&auth_sql);
	db_register(&jobs_sql);
	db_register(&ratelimit_sql);
	db_register(&maintenance_sql);
	jobs_register(&maintenance_job);
	return cmocka_run_group_tests_name("maintenance", tests, NULL, NULL);
}
