/*
 * test_writers.c -- the store under contention and upkeep: writers of one
 * process take turns in the order they came (no SQLite busy retries among
 * them), a transaction a caller left open is rolled back and gives the turn
 * back (also when a route's handler forgets it: http_run_handler, what the
 * core runs for every request), a backup finishes while another connection keeps writing and is a
 * consistent copy, and a database migrated by a newer binary is refused.
 *
 * Threads here each open their own connection, as the server's workers do.
 * alarm() turns a writer that waits forever into a failure, not a hang.
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
#include "core/http_int.h"
#include "core/response.h"
#include "core/testdb.h"

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct db_stmt *st;

	if (testdb_open(f->dir, f->path, &f->db) != 0)
		return -1;
	st = db_prepare_adhoc(f->db, "CREATE TABLE load (id INTEGER PRIMARY "
				     "KEY, who INTEGER, pad BLOB)");
	if (st == NULL || db_run(st) != 0)
		return -1;
	db_stmt_free(st);
	*state = f;
	alarm(120);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	alarm(0);
	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

struct writer {
	const char *path;
	int who;
	int rc;
	atomic_int *order; /* the turn in which this writer got in */
	int turn;
};

static atomic_int turns;

/* One write transaction on its own connection; records its turn. */
static void *
write_once(void *arg)
{
	struct writer *w = arg;
	char err[256], sql[128];
	struct db *db = db_open(w->path, err, sizeof(err));

	w->rc = -1;
	if (db == NULL)
		return NULL;
	if (db_begin(db) == 0) {
		w->turn = atomic_fetch_add(&turns, 1);
		snprintf(sql, sizeof(sql), "INSERT INTO load (who) VALUES (%d)",
			 w->who);
		w->rc = testdb_run(db, sql) == 0 && db_commit(db) == 0 ? 0 : -1;
	}
	db_close(db);
	return NULL;
}

static void
writers_get_in_in_the_order_they_came(void **state)
{
	struct fixture *f = *state;
	struct writer w[5];
	pthread_t t[5];

	atomic_store(&turns, 0);
	/* the first writer holds the store; four more come one by one */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(testdb_run(f->db, "INSERT INTO load (who) VALUES (0)"), 0);
	for (int i = 0; i < 5; i++) {
		w[i] = (struct writer){f->path, i + 1, -1, NULL, -1};
		assert_int_equal(pthread_create(&t[i], NULL, write_once, &w[i]),
				 0);
		sleep_ms(150); /* so each is waiting before the next comes */
	}
	assert_int_equal(db_commit(f->db), 0);
	for (int i = 0; i < 5; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].rc, 0);   /* none refused */
		assert_int_equal(w[i].turn, i); /* first come, first in */
	}
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM load"), 6);
}

static void
abandoned_transaction_is_rolled_back_and_frees_the_writers(void **state)
{
	struct fixture *f = *state;
	struct writer w = {f->path, 7, -1, NULL, -1};
	pthread_t t;

	assert_int_equal(db_abandoned(f->db), 0); /* nothing open */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(testdb_run(f->db, "INSERT INTO load (who) VALUES (1)"), 0);
	assert_int_equal(db_abandoned(f->db), DB_ABANDONED_TXN);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM load"), 0);
	/* another thread gets its turn (a held turn would hang: alarm) */
	assert_int_equal(pthread_create(&t, NULL, write_once, &w), 0);
	pthread_join(t, NULL);
	assert_int_equal(w.rc, 0);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM load"), 1);
}

/* A route's handler that writes in a transaction, answers as if all went
 * well, and forgets to commit. */
static void
forgets_its_transaction(struct req *r, struct resp *w)
{
	if (db_begin(r->db) == 0 &&
	    testdb_run(r->db, "INSERT INTO load (who) VALUES (9)") == 0)
		resp_redirect(w, "/done");
}

/* A route's handler that forgets to answer. */
static void
forgets_to_answer(struct req *r, struct resp *w)
{
}

static void
route_that_forgets_its_transaction_is_rolled_back_by_the_core(void **state)
{
	struct fixture *f = *state;
	const struct route forgetful = {
		.method = HTTP_POST,
		.pattern = "/forget",
		.who = ACCESS_PUBLIC,
		.handler = forgets_its_transaction,
	};
	const struct route silent = {
		.method = HTTP_GET,
		.pattern = "/silent",
		.who = ACCESS_PUBLIC,
		.handler = forgets_to_answer,
	};
	struct req r = {.method = HTTP_POST, .path = "/forget", .db = f->db};
	struct resp w = {0};
	struct writer other = {f->path, 7, -1, NULL, -1};
	pthread_t t;

	r.route = &forgetful;
	http_run_handler(&r, &w);
	/* the handler's "done" would not be true: it is a 500 */
	assert_int_equal(w.status, 500);
	resp_clear(&w);
	/* its write is gone and the turn given back: another writer gets in
	 * (a held turn would hang: alarm) */
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM load"), 0);
	assert_int_equal(pthread_create(&t, NULL, write_once, &other), 0);
	pthread_join(t, NULL);
	assert_int_equal(other.rc, 0);
	assert_int_equal(testdb_value(f->db, "SELECT count(*) FROM load"), 1);
	assert_int_equal(db_abandoned(f->db), 0); /* nothing left over */
	/* no answer at all is a 500 */
	r = (struct req){.method = HTTP_GET,
			 .path = "/silent",
			 .db = f->db,
			 .route = &silent};
	http_run_handler(&r, &w);
	assert_int_equal(w.status, 500);
	resp_clear(&w);
}

static atomic_int writing;
static atomic_int written;

/* Writes single rows, outside any transaction, until told to stop. */
static void *
keep_writing(void *arg)
{
	const char *path = arg;
	char err[256];
	struct db *db = db_open(path, err, sizeof(err));

	while (db && atomic_load(&writing)) {
		if (testdb_run(db, "INSERT INTO load (who, pad) VALUES (2, "
			    "randomblob(100))") == 0)
			atomic_fetch_add(&written, 1);
		sleep_ms(1);
	}
	db_close(db);
	return NULL;
}

struct steps {
	int n, last_done, went_back;
};

/* Counts steps and stops at a restart (pages done going back), giving
 * the writer time between steps. */
static int
count_steps(void *arg, int done, int total)
{
	struct steps *s = arg;

	s->n++;
	if (done < s->last_done)
		s->went_back = 1;
	s->last_done = done;
	sleep_ms(5);
	return s->went_back; /* a copy that restarts may never end: stop */
}

static void
backup_finishes_while_another_connection_writes(void **state)
{
	struct fixture *f = *state;
	char dest[160], err[256];
	struct db *copy;
	pthread_t t;
	struct steps steps = {0, 0, 0};
	int before;
	int64_t rows;

	/* ~12 MiB, a few thousand pages: many steps */
	assert_int_equal(testdb_run(f->db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION "
				    "ALL SELECT i + 1 FROM n WHERE i < 3000) "
				    "INSERT INTO load (who, pad) SELECT 1, "
				    "randomblob(4000) FROM n"),
			 0);
	atomic_store(&writing, 1);
	atomic_store(&written, 0);
	assert_int_equal(pthread_create(&t, NULL, keep_writing, f->path), 0);
	sleep_ms(50);
	before = atomic_load(&written);
	snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
	assert_int_equal(
		db_backup(f->db, dest, count_steps, &steps, err, sizeof(err)),
		0);
	assert_true(atomic_load(&written) > before); /* writes went on */
	atomic_store(&writing, 0);
	pthread_join(t, NULL);
	assert_true(steps.n > 1);
	assert_false(steps.went_back); /* one snapshot: never restarted */

	copy = db_open(dest, err, sizeof(err));
	assert_non_null(copy);
	{
		struct db_stmt *st =
			db_prepare_adhoc(copy, "PRAGMA integrity_check");

		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_col_text(st, 0), "ok");
		db_stmt_free(st);
	}
	/* one snapshot: the 3000 rows, and every row in it is whole */
	rows = testdb_value(copy, "SELECT count(*) FROM load WHERE who = 1");
	assert_int_equal(rows, 3000);
	db_close(copy);
	/* no temporary file is left beside it */
	{
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "ls %s | grep -q tmp-", f->dir);
		assert_int_not_equal(system(cmd), 0);
	}
}

static int
stop_at_once(void *arg, int done, int total)
{
	return 1;
}

static void
stopped_backup_leaves_no_file(void **state)
{
	struct fixture *f = *state;
	char dest[160], err[256], cmd[256];

	snprintf(dest, sizeof(dest), "%s/stopped.db", f->dir);
	assert_int_equal(
		db_backup(f->db, dest, stop_at_once, NULL, err, sizeof(err)),
		-1);
	assert_int_not_equal(access(dest, F_OK), 0);
	snprintf(cmd, sizeof(cmd), "ls %s | grep -q tmp-", f->dir);
	assert_int_not_equal(system(cmd), 0);
	/* the source is usable for writes after it */
	assert_int_equal(testdb_run(f->db, "INSERT INTO load (who) VALUES (3)"), 0);
}

static void
database_of_a_newer_binary_is_refused(void **state)
{
	struct fixture *f = *state;
	char err[512];

	assert_int_equal(db_check_schema(f->db, err, sizeof(err)), 0);
	assert_int_equal(testdb_run(f->db, "INSERT INTO schema_migrations (version, "
				    "name) VALUES (9999, '9999_future.sql')"),
			 0);
	assert_int_equal(db_check_schema(f->db, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "needs alliance with migration 9999"));
	assert_non_null(strstr(err, "9999_future.sql"));
	assert_non_null(strstr(err, "this binary knows up to 00"));
	assert_int_equal(db_migrate(f->db, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "migration 9999"));
}

static void
database_with_a_migration_of_another_name_is_refused(void **state)
{
	struct fixture *f = *state;
	char err[512];

	assert_int_equal(testdb_run(f->db, "UPDATE schema_migrations SET name = "
				    "'0005_elsewhere.sql' WHERE version = 5"),
			 0);
	assert_int_equal(db_check_schema(f->db, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "0005_elsewhere.sql"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(writers_get_in_in_the_order_they_came, setup, teardown),
		cmocka_unit_test_setup_teardown(abandoned_transaction_is_rolled_back_and_frees_the_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(route_that_forgets_its_transaction_is_rolled_back_by_the_core, setup, teardown),
		cmocka_unit_test_setup_teardown(backup_finishes_while_another_connection_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(stopped_backup_leaves_no_file, setup, teardown),
		cmocka_unit_test_setup_teardown(database_of_a_newer_binary_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(database_with_a_migration_of_another_name_is_refused, setup, teardown),
	};

	return cmocka_run_group_tests_name("writers", tests, NULL, NULL);
}
