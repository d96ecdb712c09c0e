/*
 * period.c -- see period.h.  Dates are turned into a count of days since
 * 1970-01-01 and back (Howard Hinnant's civil-from-days algorithms), so
 * adding days crosses months, years and leap days without special cases.
 */
#include "period.h"

#include <string.h>

int
period_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
period_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && period_is_leap(y) ? 29 : days[m - 1];
}

int
period_valid(struct period_date date)
{
	return date.y >= 1 && date.y <= 9999 && date.m >= 1 && date.m <= 12 &&
	       date.d >= 1 && date.d <= period_days_in_month(date.y, date.m);
}

/* Days since 1970-01-01 of a valid date. */
static long
days_from_civil(struct period_date date)
{
	long y = date.y - (date.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (date.m + 9) % 12; /* March is 0 */
	long doy = (153 * mp + 2) / 5 + date.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static struct period_date
civil_from_days(long z)
{
	struct period_date out;
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	out.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out.y = (int)(yoe + era * 400 + (out.m <= 2));
	return out;
}

struct period_date
period_add_days(struct period_date date, int n)
{
	return civil_from_days(days_from_civil(date) + n);
}

int
period_end(const char *kind, struct period_date start, struct period_date *end)
{
	struct period_date next;

	if (kind == NULL || !period_valid(start) || start.y >= 9999)
		return -1;
	if (strcmp(kind, "calendar") == 0) {
		end->y = start.m >= PERIOD_ROLLOVER_MONTH ? start.y + 1
							  : start.y;
		end->m = 12;
		end->d = 31;
		return 0;
	}
	if (strcmp(kind, "rolling") != 0)
		return -1;
	/* the same date next year; 29 February has none, so the period
	 * starts again on 1 March and ends on 28 February */
	next.y = start.y + 1;
	next.m = start.m;
	next.d = start.d;
	if (!period_valid(next)) {
		next.m = 3;
		next.d = 1;
	}
	*end = period_add_days(next, -1);
	return 0;
}

/* Writes the n-digit decimal of v (v >= 0) at out. */
static void
put_digits(char *out, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

void
period_format(struct period_date date, char out[11])
{
	put_digits(out, date.y < 0 ? 0 : date.y, 4);
	out[4] = '-';
	put_digits(out + 5, date.m < 0 ? 0 : date.m, 2);
	out[7] = '-';
	put_digits(out + 8, date.d < 0 ? 0 : date.d, 2);
	out[10] = '\0';
}

int
period_parse(const char *s, struct period_date *date)
{
	struct period_date d = {0, 0, 0};

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	d.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	      (s[3] - '0');
	d.m = (s[5] - '0') * 10 + (s[6] - '0');
	d.d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!period_valid(d))
		return -1;
	*date = d;
	return 0;
}
