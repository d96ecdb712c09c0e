/*
 * test_jobs.c -- background jobs as rows with a lease: a due job runs once
 * and a future one waits; a failing job comes back after its back-off and
 * ends failed after max_attempts; two runners racing over the same jobs
 * never run one twice; a lease that ran out (a dead runner) makes a job
 * due again; a kind nobody registered fails with a clear message; the
 * runner thread runs jobs and stops promptly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/db.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/testdb.h"

enum stmt_test {
	T_JOB,
	T_COUNT_STATUS,
	T_TAKE_AS_DEAD,
	T__MAX
};
static const char *const test_sql_text[T__MAX] = {
	[T_JOB] = "SELECT status, attempts, run_at, last_error, lease_owner,"
		  " done_at FROM jobs WHERE id = ?",
	[T_COUNT_STATUS] = "SELECT count(*) FROM jobs WHERE status = ?",
	/* what a runner that then died leaves behind */
	[T_TAKE_AS_DEAD] = "UPDATE jobs SET status = 'running',"
			   " lease_owner = 'dead', lease_until = ?,"
			   " attempts = attempts + 1 WHERE id = ?",
};
static struct db_sql test_sql = {"test", test_sql_text, T__MAX, 0};

#define RACE_JOBS 200

/* Executions per job, by payload number; and of the other kinds. */
static atomic_int race_runs[RACE_JOBS];
static atomic_int ok_runs, fail_runs;
static int seen_attempt[8];

static int
job_ok(struct db *db, const char *payload, char *err, size_t errlen)
{
	atomic_fetch_add(&ok_runs, 1);
	return 0;
}

static int
job_fail(struct db *db, const char *payload, char *err, size_t errlen)
{
	int attempt = 0, max = 0;

	if (jobs_current(&attempt, &max, NULL) == 0 && attempt > 0 &&
	    attempt < 8)
		seen_attempt[attempt] = max;
	atomic_fetch_add(&fail_runs, 1);
	snprintf(err, errlen, "the remote end said no (%s)", payload);
	return -1;
}

static int
job_race(struct db *db, const char *payload, char *err, size_t errlen)
{
	int i = atoi(payload);

	if (i < 0 || i >= RACE_JOBS)
		return -1;
	atomic_fetch_add(&race_runs[i], 1);
	/* a little work (outside the claiming transaction), so the runners
	 * overlap */
	usleep(1000);
	return 0;
}

static int
setup(void **state)
{
	struct testdb *f = calloc(1, sizeof(*f));

	if (testdb_open(f->dir, f->path, &f->db) != 0)
		return -1;
	atomic_store(&ok_runs, 0);
	atomic_store(&fail_runs, 0);
	memset(seen_attempt, 0, sizeof(seen_attempt));
	*state = f;
	return 0;
}

struct job_row {
	char status[16];
	int attempts;
	int64_t run_at;
	char last_error[512];
	int has_lease;
	int64_t done_at;
};

static struct job_row
job(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &test_sql, T_JOB);
	struct job_row r;

	memset(&r, 0, sizeof(r));
	assert_non_null(st);
	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(r.status, sizeof(r.status), "%s", db_col_text(st, 0));
	r.attempts = (int)db_col_int(st, 1);
	r.run_at = db_col_int(st, 2);
	if (db_col_text(st, 3))
		snprintf(r.last_error, sizeof(r.last_error), "%s",
			 db_col_text(st, 3));
	r.has_lease = db_col_text(st, 4) != NULL;
	r.done_at = db_col_int(st, 5);
	db_reset(st);
	return r;
}

static int64_t
count_status(struct db *db, const char *status)
{
	struct db_stmt *st = db_stmt(db, &test_sql, T_COUNT_STATUS);
	int64_t n;

	assert_non_null(st);
	db_bind_text(st, 1, status);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

static void
due_job_runs_once_and_future_job_waits(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000;
	int64_t due = jobs_enqueue(f->db, "test.ok", "a", now - 5);
	int64_t later = jobs_enqueue(f->db, "test.ok", "b", now + 60);
	struct job_row r;

	assert_true(due > 0 && later > due);
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now), 1);
	assert_int_equal(atomic_load(&ok_runs), 1);
	r = job(f->db, due);
	assert_string_equal(r.status, "done");
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.done_at, now);
	assert_false(r.has_lease);
	assert_string_equal(job(f->db, later).status, "queued");

	/* nothing more is due now; the later one runs at its time */
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now), 0);
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 59), 0);
	assert_int_equal(atomic_load(&ok_runs), 1);
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 60), 1);
	assert_int_equal(atomic_load(&ok_runs), 2);
	assert_string_equal(job(f->db, later).status, "done");
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 10000), 0);
}

static void
run_due_takes_at_most_max(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000;

	for (int i = 0; i < 5; i++)
		assert_true(jobs_enqueue(f->db, "test.ok", "", now) > 0);
	assert_int_equal(jobs_run_due(f->db, "t1", 2, now), 2);
	assert_int_equal(count_status(f->db, "queued"), 3);
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now), 3);
	assert_int_equal(atomic_load(&ok_runs), 5);
}

static void
failing_job_is_retried_with_backoff_then_fails(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000, t = now;
	int64_t id = jobs_enqueue(f->db, "test.fail", "x", now);
	int64_t waits[] = {30, 60, 120, 240};
	struct job_row r;

	assert_true(id > 0);
	for (int attempt = 1; attempt <= 4; attempt++) {
		assert_int_equal(jobs_run_due(f->db, "t1", 10, t), 1);
		r = job(f->db, id);
		assert_string_equal(r.status, "queued");
		assert_int_equal(r.attempts, attempt);
		assert_int_equal(r.run_at, t + waits[attempt - 1]);
		assert_string_equal(r.last_error,
				    "the remote end said no (x)");
		assert_false(r.has_lease);
		/* not before its time */
		assert_int_equal(jobs_run_due(f->db, "t1", 10, r.run_at - 1),
				 0);
		t = r.run_at;
	}
	/* the fifth (max_attempts) failure is final */
	assert_int_equal(jobs_run_due(f->db, "t1", 10, t), 1);
	r = job(f->db, id);
	assert_string_equal(r.status, "failed");
	assert_int_equal(r.attempts, 5);
	assert_int_equal(r.done_at, t);
	assert_string_equal(r.last_error, "the remote end said no (x)");
	assert_int_equal(jobs_run_due(f->db, "t1", 10, t + 100000), 0);
	assert_int_equal(atomic_load(&fail_runs), 5);
	/* the function saw which attempt it was */
	for (int i = 1; i <= 5; i++)
		assert_int_equal(seen_attempt[i], 5);
}

static void
backoff_doubles_up_to_an_hour(void **state)
{
	assert_int_equal(jobs_backoff(1), 30);
	assert_int_equal(jobs_backoff(2), 60);
	assert_int_equal(jobs_backoff(3), 120);
	assert_int_equal(jobs_backoff(7), 1920);
	assert_int_equal(jobs_backoff(8), 3600);
	assert_int_equal(jobs_backoff(100), 3600);
	assert_int_equal(jobs_current(NULL, NULL, NULL), -1);
}

struct racer {
	pthread_barrier_t *start;
	const char *path;
	const char *who;
	int64_t now;
	int ran;
	int failed;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	char err[512];
	struct db *db = db_open(r->path, err, sizeof(err));

	/* both connections are open before either takes a job */
	pthread_barrier_wait(r->start);
	if (db == NULL) {
		r->failed = 1;
		return NULL;
	}
	for (;;) {
		int n = jobs_run_due(db, r->who, 3, r->now);

		if (n < 0) {
			r->failed = 1;
			break;
		}
		if (n == 0)
			break;
		r->ran += n;
	}
	db_close(db);
	return NULL;
}

static void
two_runners_never_run_one_job_twice(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000;
	pthread_barrier_t start;
	struct racer a = {&start, f->path, "runner-a", now, 0, 0};
	struct racer b = {&start, f->path, "runner-b", now, 0, 0};
	pthread_t ta, tb;
	int total = 0;

	for (int i = 0; i < RACE_JOBS; i++)
		atomic_store(&race_runs[i], 0);
	assert_int_equal(db_begin(f->db), 0);
	for (int i = 0; i < RACE_JOBS; i++) {
		char payload[16];

		snprintf(payload, sizeof(payload), "%d", i);
		assert_true(jobs_enqueue(f->db, "test.race", payload, now) > 0);
	}
	assert_int_equal(db_commit(f->db), 0);

	pthread_barrier_init(&start, NULL, 2);
	assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&start);
	assert_false(a.failed);
	assert_false(b.failed);

	for (int i = 0; i < RACE_JOBS; i++) {
		int n = atomic_load(&race_runs[i]);

		if (n != 1)
			fail_msg("job %d ran %d times", i, n);
		total += n;
	}
	assert_int_equal(total, RACE_JOBS);
	assert_int_equal(a.ran + b.ran, RACE_JOBS);
	/* both took part (a runner that never got a job proves nothing) */
	assert_true(a.ran > 0 && b.ran > 0);
	assert_int_equal(count_status(f->db, "done"), RACE_JOBS);
}

static void
expired_lease_makes_job_due_again(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000;
	int64_t id = jobs_enqueue(f->db, "test.ok", "", now);
	struct db_stmt *st = db_stmt(f->db, &test_sql, T_TAKE_AS_DEAD);
	struct job_row r;

	assert_non_null(st);
	db_bind_int(st, 1, now + 300);
	db_bind_int(st, 2, id);
	assert_int_equal(db_run(st), 0);

	/* while the lease holds, nobody else takes it */
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 1), 0);
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 300), 0);
	assert_int_equal(atomic_load(&ok_runs), 0);
	/* once it ran out, it is due again and this runner finishes it */
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 301), 1);
	assert_int_equal(atomic_load(&ok_runs), 1);
	r = job(f->db, id);
	assert_string_equal(r.status, "done");
	assert_int_equal(r.attempts, 2);
	assert_false(r.has_lease);
}

static void
lease_lost_on_last_attempt_fails_without_running(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000;
	int64_t id = jobs_enqueue(f->db, "test.ok", "", now);
	struct job_row r;

	/* five runners died holding it: the fifth was its last attempt */
	for (int i = 0; i < 5; i++) {
		struct db_stmt *st = db_stmt(f->db, &test_sql, T_TAKE_AS_DEAD);

		assert_non_null(st);
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, id);
		assert_int_equal(db_run(st), 0);
	}
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 1), 1);
	assert_int_equal(atomic_load(&ok_runs), 0);
	r = job(f->db, id);
	assert_string_equal(r.status, "failed");
	assert_non_null(strstr(r.last_error, "stopped before the job ended"));
}

static void
unknown_kind_fails_clearly(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000;
	int64_t id = jobs_enqueue(f->db, "no.such.kind", "1", now);
	struct job_row r;

	assert_int_equal(jobs_run_due(f->db, "t1", 10, now), 1);
	r = job(f->db, id);
	assert_string_equal(r.status, "failed");
	assert_string_equal(r.last_error,
			    "no job function registered for kind "
			    "'no.such.kind'");
	assert_int_equal(r.attempts, 1);
	/* not retried */
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 100000), 0);
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
runner_thread_runs_jobs_and_stops_promptly(void **state)
{
	struct testdb *f = *state;
	struct timespec t0;

	assert_true(jobs_enqueue(f->db, "test.ok", "", 0) > 0);
	assert_int_equal(jobs_start(f->path), 0);
	assert_int_equal(jobs_stopping(), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (atomic_load(&ok_runs) == 0 && seconds_since(&t0) < 5)
		usleep(10000);
	assert_int_equal(atomic_load(&ok_runs), 1);

	/* a job queued while it sleeps is picked up within a second or so */
	assert_true(jobs_enqueue(f->db, "test.ok", "", 0) > 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (atomic_load(&ok_runs) == 1 && seconds_since(&t0) < 5)
		usleep(10000);
	assert_int_equal(atomic_load(&ok_runs), 2);
	assert_true(seconds_since(&t0) < 2.5);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	jobs_stop();
	assert_true(seconds_since(&t0) < 0.5);
	assert_int_equal(jobs_stopping(), 1);
	assert_int_equal(count_status(f->db, "done"), 2);
}

/* With a nap of an hour, a job this thread queued and kicked starts at
 * once: the kick wakes the runner, not its next look.  (Had the runner
 * not fallen asleep yet, it would find the job anyway: the test can be
 * weaker on a slow machine, never wrong.) */
static void
kick_wakes_the_runner_from_its_nap(void **state)
{
	struct testdb *f = *state;
	struct timespec t0;

	jobs_set_nap(3600);
	assert_int_equal(jobs_start(f->path), 0);
	usleep(300000); /* its first look finds nothing: it naps */
	assert_true(jobs_enqueue(f->db, "test.ok", "", 0) > 0);
	jobs_kick();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (atomic_load(&ok_runs) == 0 && seconds_since(&t0) < 60)
		usleep(10000);
	assert_int_equal(atomic_load(&ok_runs), 1);
	/* and it is stopped at once, nap or not */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	jobs_stop();
	jobs_set_nap(1);
	assert_true(seconds_since(&t0) < 30);
	assert_int_equal(count_status(f->db, "done"), 1);
}

static int64_t
in_a_day(int64_t now)
{
	return now + 86400;
}

static const struct module_job ok_job = {.kind = "test.ok", .run = job_ok};
static const struct module_job fail_job = {.kind = "test.fail",
					   .run = job_fail};
static const struct module_job race_job = {.kind = "test.race",
					   .run = job_race};
static const struct module_job every_job = {
	.kind = "test.every", .run = job_ok, .next = in_a_day, .first = 120};
static const struct module_job every_failing_job = {
	.kind = "test.every_failing", .run = job_fail, .next = in_a_day};

/* The count of kind's jobs with status and run_at. */
static int64_t
jobs_at(struct db *db, const char *kind, const char *status, int64_t run_at)
{
	char q[300];

	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM jobs WHERE kind = '%s' AND status = "
		 "'%s' AND run_at = %lld",
		 kind, status, (long long)run_at);
	return testdb_value(db, q);
}

static void
recurring_jobs_are_queued_once_and_each_run_queues_the_next(void **state)
{
	struct testdb *f = *state;
	int64_t now = 1800000000;

	/* at start, however many nodes start: one first run of each, at
	 * its first (120 s) or the default minute */
	for (int i = 0; i < 3; i++)
		assert_int_equal(jobs_ensure_recurring(f->db, now + i), 0);
	assert_int_equal(jobs_at(f->db, "test.every", "queued", now + 120), 1);
	assert_int_equal(
		jobs_at(f->db, "test.every_failing", "queued", now + 60), 1);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM jobs"), 2);

	/* a run that is done queues the next, at next(its start) (the
	 * failing kind's retry is queued too, the chain still one) */
	assert_int_equal(jobs_run_due(f->db, "t1", 10, now + 120), 2);
	assert_int_equal(jobs_at(f->db, "test.every", "queued",
				 now + 120 + 86400),
			 1);
	assert_int_equal(jobs_at(f->db, "test.every", "done", now + 120), 1);
}

static void
a_recurring_job_that_fails_for_good_still_queues_the_next(void **state)
{
	struct testdb *f = *state;
	int64_t t = 1800000000;

	assert_true(jobs_enqueue(f->db, "test.every_failing", "", t) > 0);
	/* retries keep the chain at one job */
	for (int attempt = 1; attempt <= 5; attempt++) {
		assert_int_equal(jobs_run_due(f->db, "t1", 1, t), 1);
		if (attempt < 5) {
			assert_int_equal(
				testdb_value(f->db,
					     "SELECT count(*) FROM jobs WHERE"
					     " kind = 'test.every_failing'"),
				1);
			t += jobs_backoff(attempt);
		}
	}
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM jobs WHERE"
					     " kind = 'test.every_failing' AND"
					     " status = 'failed'"),
			 1);
	assert_int_equal(
		jobs_at(f->db, "test.every_failing", "queued", t + 86400), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			recurring_jobs_are_queued_once_and_each_run_queues_the_next,
			setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(
			a_recurring_job_that_fails_for_good_still_queues_the_next,
			setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(
			due_job_runs_once_and_future_job_waits, setup,
			testdb_teardown),
		cmocka_unit_test_setup_teardown(run_due_takes_at_most_max,
						setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(
			failing_job_is_retried_with_backoff_then_fails, setup,
			testdb_teardown),
		cmocka_unit_test(backoff_doubles_up_to_an_hour),
		cmocka_unit_test_setup_teardown(
			two_runners_never_run_one_job_twice, setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(
			expired_lease_makes_job_due_again, setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(
			lease_lost_on_last_attempt_fails_without_running, setup,
			testdb_teardown),
		cmocka_unit_test_setup_teardown(unknown_kind_fails_clearly,
						setup, testdb_teardown),
		cmocka_unit_test_setup_teardown(
			kick_wakes_the_runner_from_its_nap, setup,
			testdb_teardown),
		cmocka_unit_test_setup_teardown(
			runner_thread_runs_jobs_and_stops_promptly, setup,
			testdb_teardown),
	};

	db_register(&jobs_sql);
	db_register(&test_sql);
	jobs_register(&ok_job);
	jobs_register(&fail_job);
	jobs_register(&race_job);
	jobs_register(&every_job);
	jobs_register(&every_failing_job);
	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
