/*
 * test_dashboard.c -- the membership chart of the secretariat's dashboard
 * (dashboard_chart_svg): bars placed and sized for known values, all-zero
 * data, a single month, no months, the top of the y axis, and labels,
 * title and description escaped so the SVG can go into the page raw.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "membership/dashboard.h"

/* Occurrences of needle in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The chart of pts as a NUL-terminated string (caller frees). */
static char *
chart(const struct chart_point *pts, size_t n)
{
	struct buf b = BUF_INIT;

	dashboard_chart_svg(&b, "c", "Members", "Per month", pts, n);
	return buf_detach(&b, NULL);
}

static void
chart_top_is_1_2_5_times_a_power_of_ten(void **state)
{
	assert_int_equal(dashboard_chart_top(-3), 1);
	assert_int_equal(dashboard_chart_top(0), 1);
	assert_int_equal(dashboard_chart_top(1), 1);
	assert_int_equal(dashboard_chart_top(2), 2);
	assert_int_equal(dashboard_chart_top(3), 5);
	assert_int_equal(dashboard_chart_top(10), 10);
	assert_int_equal(dashboard_chart_top(11), 20);
	assert_int_equal(dashboard_chart_top(9565), 10000);
	assert_int_equal(dashboard_chart_top(10001), 20000);
}

/* Plot: x 48..688 (640 wide), y 12..220 (208 high).  Four points: slots
 * of 160, bars 112 wide starting 24 into their slot; the top is 10. */
static void
bars_are_placed_and_sized_for_known_values(void **state)
{
	const struct chart_point pts[] = {
		{"Jan", 0}, {"Feb", 5}, {"Mar", 10}, {"Apr", 2}};
	char *s = chart(pts, 4);

	assert_int_equal(count(s, "<rect class=\"chart-bar\""), 4);
	assert_non_null(strstr(s, "<rect class=\"chart-bar\" x=\"72.0\" y=\"220.0\""
				  " width=\"112.0\" height=\"0.0\"><title>Jan: 0</title>"));
	assert_non_null(strstr(s, "<rect class=\"chart-bar\" x=\"232.0\" y=\"116.0\""
				  " width=\"112.0\" height=\"104.0\"><title>Feb: 5</title>"));
	assert_non_null(strstr(s, "<rect class=\"chart-bar\" x=\"392.0\" y=\"12.0\""
				  " width=\"112.0\" height=\"208.0\"><title>Mar: 10</title>"));
	assert_non_null(strstr(s, "<rect class=\"chart-bar\" x=\"552.0\" y=\"178.4\""
				  " width=\"112.0\" height=\"41.6\"><title>Apr: 2</title>"));
	/* the y axis: 0, 5, 10; the x labels under the middle of each slot */
	assert_non_null(strstr(s, "text-anchor=\"end\">0</text>"));
	assert_non_null(strstr(s, "text-anchor=\"end\">5</text>"));
	assert_non_null(strstr(s, "text-anchor=\"end\">10</text>"));
	assert_non_null(strstr(s, "x=\"128.0\" y=\"238.0\" text-anchor=\"middle\">Jan</text>"));
	assert_non_null(strstr(s, "x=\"608.0\" y=\"238.0\" text-anchor=\"middle\">Apr</text>"));
	free(s);
}

static void
chart_is_an_image_with_title_and_description(void **state)
{
	const struct chart_point pts[] = {{"Jan", 1}};
	char *s = chart(pts, 1);

	assert_int_equal(strncmp(s, "<svg class=\"chart\" role=\"img\"", 29), 0);
	assert_non_null(strstr(s, "aria-labelledby=\"c-title c-desc\""));
	assert_non_null(strstr(s, "<title id=\"c-title\">Members</title>"));
	assert_non_null(strstr(s, "<desc id=\"c-desc\">Per month</desc>"));
	assert_non_null(strstr(s, "viewBox=\"0 0 720 260\""));
	assert_int_equal(strcmp(s + strlen(s) - 6, "</svg>"), 0);
	free(s);
}

static void
all_zero_data_draws_flat_bars_on_an_axis_of_one(void **state)
{
	struct chart_point pts[24];
	char *s;

	for (size_t i = 0; i < 24; i++)
		pts[i] = (struct chart_point){"M", 0};
	s = chart(pts, 24);
	assert_int_equal(count(s, "<rect class=\"chart-bar\""), 24);
	assert_int_equal(count(s, "height=\"0.0\""), 24);
	assert_int_equal(count(s, "y=\"220.0\" width"), 24);
	/* the top is 1, no middle tick, no NaN or infinity anywhere */
	assert_non_null(strstr(s, "text-anchor=\"end\">1</text>"));
	assert_int_equal(count(s, "text-anchor=\"end\""), 2);
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "inf"));
	/* 24 months: every third label counted back from the last */
	assert_int_equal(count(s, "text-anchor=\"middle\""), 8);
	free(s);
}

static void
one_month_fills_the_plot(void **state)
{
	const struct chart_point pts[] = {{"Nov 2026", 7}};
	char *s = chart(pts, 1);

	/* one slot of 640: the bar is 448 wide from 48 + 96; top 10 */
	assert_int_equal(count(s, "<rect class=\"chart-bar\""), 1);
	assert_non_null(strstr(s, "<rect class=\"chart-bar\" x=\"144.0\" y=\"74.4\""
				  " width=\"448.0\" height=\"145.6\">"));
	assert_non_null(strstr(s, ">Nov 2026</text>"));
	free(s);
}

static void
no_months_draws_axes_only(void **state)
{
	char *s = chart(NULL, 0);

	assert_int_equal(count(s, "chart-bar"), 0);
	assert_non_null(strstr(s, "chart-axis"));
	assert_int_equal(strcmp(s + strlen(s) - 6, "</svg>"), 0);
	free(s);
}

static void
labels_title_and_description_are_escaped(void **state)
{
	const struct chart_point pts[] = {{"<script>alert(1)</script>", 3},
					  {"\"x\" onload=\"y\" & 'z'", 1}};
	struct buf b = BUF_INIT;
	char *s;

	dashboard_chart_svg(&b, "a\"b", "</title><script>", "&<desc>", pts, 2);
	s = buf_detach(&b, NULL);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "\"x\""));
	assert_null(strstr(s, "onload=\""));
	assert_null(strstr(s, "<desc>&<"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "&amp;&lt;desc&gt;"));
	assert_non_null(strstr(s, "id=\"a&quot;b-title\""));
	assert_int_equal(count(s, "<title"), 3); /* the chart's and 2 bars' */
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chart_top_is_1_2_5_times_a_power_of_ten),
		cmocka_unit_test(bars_are_placed_and_sized_for_known_values),
		cmocka_unit_test(chart_is_an_image_with_title_and_description),
		cmocka_unit_test(all_zero_data_draws_flat_bars_on_an_axis_of_one),
		cmocka_unit_test(one_month_fills_the_plot),
		cmocka_unit_test(no_months_draws_axes_only),
		cmocka_unit_test(labels_title_and_description_are_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
