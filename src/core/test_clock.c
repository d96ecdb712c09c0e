/*
 * test_clock.c -- the one clock (clock.h): the real time when no test
 * sets it; the time a test sets, seen by the code that stamps and
 * schedules (jobs_enqueue, jobs_ensure, audit_record), once this program
 * defines clock_for_tests().  The server binary has no such definition
 * (the weak reference stays NULL), so nothing can make it lie.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four above */
#include <cmocka.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "core/audit.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/jobs.h"
#include "core/testdb.h"

/* The time this program's clock answers; 0: the real one. */
static _Atomic int64_t fake_now;

int64_t
clock_for_tests(void)
{
	return atomic_load(&fake_now);
}

static int
teardown(void **state)
{
	struct testdb *f = *state;

	atomic_store(&fake_now, 0);
	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

static void
unset_it_is_the_real_clock(void **state)
{
	int64_t before = (int64_t)time(NULL), now = clock_now();

	assert_true(now >= before && now <= (int64_t)time(NULL));
}

static void
set_it_is_the_time_of_the_whole_program(void **state)
{
	struct testdb *f = *state;
	const int64_t t = 2000000000; /* 2033-05-18 */

	atomic_store(&fake_now, t);
	assert_int_equal(clock_now(), t);
	/* a job enqueued for "now" is due at, and created at, that time */
	assert_true(jobs_enqueue(f->db, "test.clock", "", 0) > 0);
	assert_int_equal(testdb_value(f->db, "SELECT run_at FROM jobs WHERE kind = "
				      "'test.clock'"),
			 t);
	assert_int_equal(testdb_value(f->db, "SELECT created_at FROM jobs WHERE "
				      "kind = 'test.clock'"),
			 t);
	assert_int_equal(jobs_ensure(f->db, "test.ensured", 0), 0);
	assert_int_equal(testdb_value(f->db, "SELECT run_at FROM jobs WHERE kind = "
				      "'test.ensured'"),
			 t);
	/* an audit record is stamped with it */
	assert_int_equal(audit_record(f->db, 0, "test.clock", "test", "1", NULL,
				      NULL, "192.0.2.1"),
			 0);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM audit_log WHERE "
				      "action = 'test.clock' AND at = "
				      "'2033-05-18T03:33:20Z'"),
			 1);
	/* today is that clock's day, in UTC */
	{
		char today[11];

		clock_today(today);
		assert_string_equal(today, "2033-05-18");
	}
	/* and 0 gives the real clock back */
	atomic_store(&fake_now, 0);
	assert_true(clock_now() < t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unset_it_is_the_real_clock),
		cmocka_unit_test_setup_teardown(
			set_it_is_the_time_of_the_whole_program, testdb_setup,
			teardown),
	};

	db_register(&jobs_sql);
	db_register(&audit_sql);
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
