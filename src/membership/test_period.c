/*
 * test_period.c -- membership periods: calendar periods end on 31
 * December, rolling ones the day before the same date next year, with the
 * leap day and year ends handled; bad kinds and dates are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "membership/period.h"

/* The end of a period of kind starting on start ("YYYY-MM-DD"). */
static void
check_end(const char *kind, const char *start, const char *want)
{
	struct period_date s, e;
	char out[11];

	assert_int_equal(period_parse(start, &s), 0);
	assert_int_equal(period_end(kind, s, &e), 0);
	period_format(e, out);
	assert_string_equal(out, want);
}

static void
calendar_period_ends_on_31_december(void **state)
{
	check_end("calendar", "2026-03-15", "2026-12-31");
	check_end("calendar", "2026-01-01", "2026-12-31");
	check_end("calendar", "2026-09-30", "2026-12-31");
	/* from 1 October on: to the end of the next year */
	check_end("calendar", "2026-10-01", "2027-12-31");
	check_end("calendar", "2026-12-20", "2027-12-31");
	check_end("calendar", "2026-12-31", "2027-12-31");
	check_end("calendar", "2028-02-29", "2028-12-31");
}

static void
rolling_period_ends_the_day_before_next_year(void **state)
{
	check_end("rolling", "2026-03-15", "2027-03-14");
	check_end("rolling", "2026-01-01", "2026-12-31");
	check_end("rolling", "2026-12-31", "2027-12-30");
	check_end("rolling", "2026-03-01", "2027-02-28");
}

static void
rolling_period_handles_the_leap_day(void **state)
{
	/* starting on 29 February: no 29th next year, so 28 February */
	check_end("rolling", "2028-02-29", "2029-02-28");
	/* ending just before a 1 March that follows a leap day */
	check_end("rolling", "2027-03-01", "2028-02-29");
	check_end("rolling", "2027-02-28", "2028-02-27");
	/* 2100 is not a leap year, 2000 was */
	check_end("rolling", "2099-03-01", "2100-02-28");
	check_end("rolling", "1999-03-01", "2000-02-29");
}

static void
period_rejects_unknown_kind_and_bad_dates(void **state)
{
	struct period_date e, bad = {2026, 2, 29}, ok = {2026, 5, 1};

	assert_int_equal(period_end("monthly", ok, &e), -1);
	assert_int_equal(period_end(NULL, ok, &e), -1);
	assert_int_equal(period_end("calendar", bad, &e), -1);
	assert_int_equal(period_end("rolling", bad, &e), -1);
}

static void
parse_refuses_what_is_not_a_date(void **state)
{
	struct period_date d;

	assert_int_equal(period_parse("2026-02-30", &d), -1);
	assert_int_equal(period_parse("2026-13-01", &d), -1);
	assert_int_equal(period_parse("2026-1-01", &d), -1);
	assert_int_equal(period_parse("2026-01-01x", &d), -1);
	assert_int_equal(period_parse("abcd-01-01", &d), -1);
	assert_int_equal(period_parse(NULL, &d), -1);
	assert_int_equal(period_parse("2024-02-29", &d), 0);
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
}

static void
adding_days_crosses_months_and_years(void **state)
{
	struct period_date d = {2026, 12, 31}, e;
	char out[11];

	e = period_add_days(d, 1);
	period_format(e, out);
	assert_string_equal(out, "2027-01-01");
	e = period_add_days((struct period_date){2024, 3, 1}, -1);
	period_format(e, out);
	assert_string_equal(out, "2024-02-29");
	e = period_add_days((struct period_date){1970, 1, 1}, 365 * 30 + 7);
	period_format(e, out);
	assert_string_equal(out, "2000-01-01");
	assert_int_equal(period_days_in_month(2024, 2), 29);
	assert_int_equal(period_days_in_month(1900, 2), 28);
	assert_int_equal(period_days_in_month(2026, 13), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calendar_period_ends_on_31_december),
		cmocka_unit_test(rolling_period_ends_the_day_before_next_year),
		cmocka_unit_test(rolling_period_handles_the_leap_day),
		cmocka_unit_test(period_rejects_unknown_kind_and_bad_dates),
		cmocka_unit_test(parse_refuses_what_is_not_a_date),
		cmocka_unit_test(adding_days_crosses_months_and_years),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
