/*
 * clock.c -- see clock.h: the business's wall clock, which a unit test
 * may set by linking its own clock_for_tests().
 */
#include "clock.h"

#include <time.h>

int64_t
clock_now(void)
{
	if (clock_for_tests) { /* linked into a unit test only */
		int64_t t = clock_for_tests();

		if (t > 0)
			return t;
	}
	return (int64_t)time(NULL);
}

void
clock_today(char out[11])
{
	time_t t = (time_t)clock_now();
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
