/*
 * test_recur.c -- recurrence through libical (recur.c): the historic New
 * York series gives the first Fridays of alternate months from January
 * 1972 to November 2012 (246 of them; dates and instants computed
 * independently with Python's zoneinfo), a weekly 10:00 in Vienna stays
 * 10:00 local across the changes of daylight saving time, an EXDATE
 * removes an occurrence, an override moves or cancels one, bad rules,
 * zones and times are refused, and an endless rule stops at the cap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar_int.h"
#include "core/db.h"
#include "core/testdb.h"

/* The seeded series (migrations/0041_calendar_seed.sql). */
static const struct recur_series new_york = {
	.tzid = "America/New_York",
	.all_day = 1,
	.starts_local = "1972-01-07",
	.ends_local = "1972-01-07",
	.rrule = "FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR;UNTIL=20121231",
};

static struct recur_occurrence occ[RECUR_MAX];

static void
new_york_series_is_first_fridays_of_alternate_months(void **state)
{
	/* first Fridays of January, March, ... November, 1972-2012
	 * (Python: datetime, weekday() == 4) */
	static const char *const known[][2] = {
		{"1972-01-07", "1972-01-07"}, {"1972-03-03", "1972-03-03"},
		{"1972-05-05", "1972-05-05"}, {"1988-09-02", "1988-09-02"},
		{"2012-09-07", "2012-09-07"}, {"2012-11-02", "2012-11-02"},
	};
	size_t n, found = 0;

	(void)state;
	assert_int_equal(recur_expand(&new_york, 0, 2000000000, occ,
				      RECUR_MAX, &n),
			 0);
	assert_int_equal(n, 246);
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		for (size_t i = 0; i < n; i++)
			if (strcmp(occ[i].key, known[k][0]) == 0) {
				assert_string_equal(occ[i].starts_local,
						    known[k][1]);
				found++;
			}
	assert_int_equal(found, 6);
	/* midnight in New York, EST in January (Python zoneinfo) */
	assert_string_equal(occ[0].key, "1972-01-07");
	assert_int_equal(occ[0].starts_utc, 63608400);
	assert_int_equal(occ[0].ends_utc, 63694800);
	assert_string_equal(occ[245].key, "2012-11-02");
	assert_int_equal(occ[245].starts_utc, 1351828800);
	/* 1988-09-02, in daylight saving time */
	for (size_t i = 0; i < n; i++)
		if (strcmp(occ[i].key, "1988-09-02") == 0)
			assert_int_equal(occ[i].starts_utc, 589176000);
	/* none is not a Friday of an odd month: spot the months */
	for (size_t i = 0; i < n; i++) {
		int month = atoi(occ[i].key + 5), day = atoi(occ[i].key + 8);

		assert_true(month % 2 == 1);
		assert_true(day >= 1 && day <= 7);
	}
}

static void
new_york_series_bounds_end_in_2012(void **state)
{
	int64_t s, e, last;
	int has_last;

	(void)state;
	assert_int_equal(recur_bounds(&new_york, &s, &e, &last, &has_last), 0);
	assert_int_equal(s, 63608400);
	assert_int_equal(e, 63694800);
	assert_int_equal(has_last, 1);
	assert_int_equal(last, 1351915200); /* 2012-11-03 00:00 New York */
}

static void
a_range_returns_only_what_overlaps(void **state)
{
	size_t n;

	(void)state;
	/* 1988: January to December UTC: six meetings */
	assert_int_equal(recur_expand(&new_york, 567993600, 599616000, occ,
				      RECUR_MAX, &n),
			 0);
	assert_int_equal(n, 6);
	assert_string_equal(occ[0].key, "1988-01-01");
	assert_string_equal(occ[5].key, "1988-11-04");
	/* the cap: three asked, more there */
	assert_int_equal(recur_expand(&new_york, 0, 2000000000, occ, 3, &n),
			 1);
	assert_int_equal(n, 3);
}

/* A weekly Thursday 10:00 in Vienna, March to November 2026. */
static struct recur_series vienna = {
	.tzid = "Europe/Vienna",
	.starts_local = "2026-03-19T10:00:00",
	.ends_local = "2026-03-19T11:30:00",
	.rrule = "FREQ=WEEKLY;BYDAY=TH;COUNT=40",
};

/* The occurrence of key among occ[0..n), or NULL. */
static const struct recur_occurrence *
find(size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(occ[i].key, key) == 0)
			return &occ[i];
	return NULL;
}

static void
vienna_weekly_keeps_ten_o_clock_across_daylight_saving(void **state)
{
	const struct recur_occurrence *o;
	size_t n;

	(void)state;
	assert_int_equal(recur_expand(&vienna, 0, 2000000000, occ, RECUR_MAX,
				      &n),
			 0);
	assert_int_equal(n, 40);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(occ[i].starts_local + 10, "T10:00:00");
		assert_string_equal(occ[i].ends_local + 10, "T11:30:00");
		assert_int_equal(occ[i].ends_utc - occ[i].starts_utc, 5400);
	}
	/* 9:00 UTC in March (CET), 8:00 from 29 March (CEST), 9:00 again
	 * after 25 October (Python zoneinfo) */
	assert_non_null(o = find(n, "2026-03-26T10:00:00"));
	assert_int_equal(o->starts_utc, 1774515600);
	assert_non_null(o = find(n, "2026-04-02T10:00:00"));
	assert_int_equal(o->starts_utc, 1775116800);
	assert_non_null(o = find(n, "2026-10-22T10:00:00"));
	assert_int_equal(o->starts_utc, 1792656000);
	assert_non_null(o = find(n, "2026-10-29T10:00:00"));
	assert_int_equal(o->starts_utc, 1793264400);
}

static void
exdate_removes_and_override_moves_or_cancels(void **state)
{
	static const char *const ex[] = {"2026-04-02T10:00:00"};
	static const struct recur_override ov[] = {
		{"2026-04-09T10:00:00", "2026-04-10T14:00:00",
		 "2026-04-10T15:00:00", 0},
		{"2026-04-16T10:00:00", "2026-04-16T10:00:00",
		 "2026-04-16T11:30:00", 1},
	};
	struct recur_series s = vienna;
	const struct recur_occurrence *o;
	size_t n;

	(void)state;
	s.exdates = ex;
	s.nexdates = 1;
	s.overrides = ov;
	s.noverrides = 2;
	assert_int_equal(recur_expand(&s, 0, 2000000000, occ, RECUR_MAX, &n),
			 0);
	assert_int_equal(n, 39);
	assert_null(find(n, "2026-04-02T10:00:00"));
	assert_non_null(o = find(n, "2026-04-09T10:00:00"));
	assert_true(o->moved);
	assert_false(o->cancelled);
	assert_string_equal(o->starts_local, "2026-04-10T14:00:00");
	assert_int_equal(o->starts_utc, 1775822400); /* 12:00 UTC */
	assert_int_equal(o->ends_utc - o->starts_utc, 3600);
	assert_non_null(o = find(n, "2026-04-16T10:00:00"));
	assert_true(o->cancelled);
	assert_false(o->moved);
	/* a range that holds only the moved one's new time finds it */
	assert_int_equal(recur_expand(&s, 1775822400, 1775822401, occ,
				      RECUR_MAX, &n),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(occ[0].key, "2026-04-09T10:00:00");
}

static void
bad_rules_zones_and_times_are_refused(void **state)
{
	const char *why = NULL;
	int64_t t;
	char out[RECUR_LOCAL_LEN];

	(void)state;
	assert_int_equal(recur_rule_check("FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR",
					  &why),
			 0);
	assert_int_equal(recur_rule_check("FREQ=FORTNIGHTLY", &why), -1);
	assert_non_null(why);
	assert_int_equal(recur_rule_check("every second Friday", &why), -1);
	assert_int_equal(recur_rule_check("FREQ=WEEKLY;BYDAY=XX", &why), -1);
	assert_int_equal(recur_rule_check("FREQ=HOURLY", &why), -1);
	assert_int_equal(recur_rule_check("", &why), -1);
	assert_true(recur_zone_ok("Europe/Vienna"));
	assert_true(recur_zone_ok("UTC"));
	assert_false(recur_zone_ok("Mars/Olympus_Mons"));
	assert_false(recur_zone_ok(""));
	assert_int_equal(recur_local_to_utc("Mars/Olympus_Mons",
					    "2026-01-01T10:00", &t),
			 -1);
	assert_int_equal(recur_local_to_utc("Europe/Vienna", "2026-02-30", &t),
			 -1);
	assert_int_equal(recur_local_to_utc("Europe/Vienna",
					    "2026-01-01T25:00", &t),
			 -1);
	assert_int_equal(recur_local_to_utc("Europe/Vienna", "2026-1-01", &t),
			 -1);
	assert_false(recur_local_ok("2026-01-01T10:00", 1));
	assert_true(recur_local_ok("2026-01-01T10:00", 0));
	assert_int_equal(recur_local_normal("2026-01-01T10:00", 0, out), 0);
	assert_string_equal(out, "2026-01-01T10:00:00");
	/* and back: a Vienna session read in New York */
	assert_int_equal(recur_local_to_utc("Europe/Vienna",
					    "2026-05-18T10:00", &t),
			 0);
	assert_int_equal(t, 1779091200); /* 08:00 UTC */
	assert_int_equal(recur_utc_to_local("America/New_York", t, out), 0);
	assert_string_equal(out, "2026-05-18T04:00:00");
}

static void
an_endless_rule_has_no_last_end(void **state)
{
	struct recur_series s = vienna;
	int64_t a, b, last;
	int has_last;
	size_t n;

	(void)state;
	/* an UNTIL in UTC: 23:59:59 in Vienna on 26 March 2026 (CET) is
	 * 22:59:59Z; the 26th is the last */
	s.rrule = "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260326T225959Z";
	assert_int_equal(recur_expand(&s, 0, 2000000000, occ, RECUR_MAX, &n),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(occ[1].key, "2026-03-26T10:00:00");
	s.rrule = "FREQ=DAILY";
	assert_int_equal(recur_bounds(&s, &a, &b, &last, &has_last), 0);
	assert_int_equal(has_last, 0);
	/* two days of it far in the future */
	assert_int_equal(recur_expand(&s, 1893456000, 1893456000 + 2 * 86400,
				      occ, RECUR_MAX, &n),
			 0);
	assert_int_equal(n, 2);
}

/* The seeded rows (migrations/0041): their UTC columns are what recur.c
 * computes from their local times, zone and rule. */
static void
seeded_rows_have_their_utc_columns_right(void **state)
{
	struct testdb *f = *state;
	struct db_stmt *st = db_prepare_adhoc(
		f->db, "SELECT time_zone, all_day, starts_local, ends_local,"
		       " rrule, starts_utc, ends_utc, last_ends_utc FROM"
		       " meetings WHERE history = 1");
	int rows = 0;

	assert_non_null(st);
	while (db_step(st) == DB_ROW) {
		struct recur_series s = {
			.tzid = db_col_text(st, 0),
			.all_day = (int)db_col_int(st, 1),
			.starts_local = db_col_text(st, 2),
			.ends_local = db_col_text(st, 3),
			.rrule = db_col_text(st, 4),
		};
		int64_t a, b, last;
		int has_last;

		assert_int_equal(recur_bounds(&s, &a, &b, &last, &has_last),
				 0);
		assert_int_equal(a, db_col_int(st, 5));
		assert_int_equal(b, db_col_int(st, 6));
		assert_int_equal(has_last, 1);
		assert_int_equal(last, db_col_int(st, 7));
		rows++;
	}
	db_stmt_free(st);
	assert_int_equal(rows, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			new_york_series_is_first_fridays_of_alternate_months),
		cmocka_unit_test(new_york_series_bounds_end_in_2012),
		cmocka_unit_test(a_range_returns_only_what_overlaps),
		cmocka_unit_test(
			vienna_weekly_keeps_ten_o_clock_across_daylight_saving),
		cmocka_unit_test(exdate_removes_and_override_moves_or_cancels),
		cmocka_unit_test(bad_rules_zones_and_times_are_refused),
		cmocka_unit_test(an_endless_rule_has_no_last_end),
		cmocka_unit_test_setup_teardown(
			seeded_rows_have_their_utc_columns_right, testdb_setup,
			testdb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
