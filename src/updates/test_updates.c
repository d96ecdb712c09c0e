/*
 * test_updates.c -- the updates list's clean-up (updates_prune) with the
 * time in the test's hands: a sign-up never confirmed goes once its link
 * has expired (7 days), a removal after a year, a confirmation link a
 * month past its expiry; subscribed addresses, their unsubscribe links
 * and what is younger stay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/testdb.h"
#include "updates/updates.h"

#define DAY 86400
#define T0 1780000000 /* 2026-05-28T20:26:40Z */

struct fixture {
	char dir[64];
	struct db *db;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];

	if (testdb_open(f->dir, path, &f->db) != 0)
		return -1;
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
run_sql(struct fixture *f, const char *sql)
{
	struct db_stmt *st = db_prepare_adhoc(f->db, sql);

	assert_non_null(st);
	assert_int_equal(db_run(st), 0);
	db_stmt_free(st);
}

/* An address with status, requested days_ago (and removed then, when
 * status is 'removed'), with a confirmation link that expired
 * expired_days_ago and an unsubscribe link. */
static void
add(struct fixture *f, int id, const char *status, int days_ago,
    int expired_days_ago)
{
	char sql[512];
	long long at = T0 - (long long)days_ago * DAY;
	int removed = status[0] == 'r', pending = status[0] == 'p';

	snprintf(sql, sizeof(sql),
		 "INSERT INTO updates_subscribers (id, email, status, source,"
		 " created_at, requested_at, confirmed_at, removed_at)"
		 " VALUES (%d, 'a%d@example.org', '%s', 'form', %lld, %lld,"
		 " %s, %lld)",
		 id, id, status, at, at, pending ? "NULL" : "1",
		 removed ? at : 0);
	run_sql(f, sql);
	if (!removed)
		run_sql(f, "UPDATE updates_subscribers SET removed_at = NULL"
			   " WHERE removed_at = 0");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO updates_links (hash, subscriber_id, purpose,"
		 " created_at, expires_at) VALUES ('c%d', %d, 'confirm', %lld,"
		 " %lld), ('u%d', %d, 'unsubscribe', %lld, NULL)",
		 id, id, at, T0 - (long long)expired_days_ago * DAY, id, id,
		 at);
	run_sql(f, sql);
}

static int64_t
count(struct fixture *f, const char *sql)
{
	struct db_stmt *st = db_prepare_adhoc(f->db, sql);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_stmt_free(st);
	return n;
}

static void
expired_sign_ups_and_old_removals_go_the_rest_stays(void **state)
{
	struct fixture *f = *state;

	add(f, 1, "pending", 8, 1);       /* its link expired a day ago */
	add(f, 2, "pending", 6, -1);      /* its link still works */
	add(f, 3, "removed", 366, 359);   /* left more than a year ago */
	add(f, 4, "removed", 300, 293);   /* left less than a year ago */
	add(f, 5, "subscribed", 900, 40); /* old, confirmed long ago */
	add(f, 6, "subscribed", 10, 3);   /* its used link expired lately */
	/* 1 and 3, and the confirmation links of 4 and 5 (those of 1 and 3
	 * go with them, uncounted) */
	assert_int_equal(updates_prune(f->db, T0), 4);
	assert_int_equal(count(f, "SELECT count(*) FROM updates_subscribers"
				  " WHERE id IN (2, 4, 5, 6)"),
			 4);
	assert_int_equal(count(f, "SELECT count(*) FROM updates_subscribers"),
			 4);
	/* the links of deleted addresses went with them; the confirmation
	 * links a month past their expiry went on their own */
	assert_int_equal(count(f, "SELECT count(*) FROM updates_links"
				  " WHERE subscriber_id IN (1, 3)"),
			 0);
	assert_int_equal(count(f, "SELECT count(*) FROM updates_links"
				  " WHERE hash IN ('c4', 'c5')"),
			 0);
	assert_int_equal(
		count(f, "SELECT count(*) FROM updates_links"
			 " WHERE hash IN ('u4', 'u5', 'c6', 'u6', 'c2', 'u2')"),
		6);
	/* a second pass finds nothing more */
	assert_int_equal(updates_prune(f->db, T0), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(expired_sign_ups_and_old_removals_go_the_rest_stays),
	};

	db_register(&updates_sql);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
