/*
 * period.h -- the arithmetic of membership periods, on calendar dates.
 *
 * A level's period is 'calendar' (a membership runs from the day it
 * starts to 31 December of that year -- of the next year when it starts
 * from 1 October on, so that nobody joins or renews for a few weeks, as
 * CiviCRM's "rollover day" does) or 'rolling' (it runs for a year:
 * to the day before the same date next year; a period starting on
 * 29 February ends on 28 February, as the next year has no 29th).
 * Pure: no clock, no I/O, so approval, renewal and the state job share it
 * and it is unit tested on its own (test_period.c).
 */
#ifndef ALLIANCE_PERIOD_H
#define ALLIANCE_PERIOD_H

/* The month from which a calendar period runs to the end of the next
 * year. */
#define PERIOD_ROLLOVER_MONTH 10

struct period_date {
	int y, m, d; /* 2026, 1..12, 1..31 */
};

/* 1 when y is a leap year of the Gregorian calendar. */
int period_is_leap(int y);
/* The number of days of month m (1..12) of year y; 0 for a bad month. */
int period_days_in_month(int y, int m);
/* 1 when date is a real calendar date between years 1 and 9999. */
int period_valid(struct period_date date);
/* date moved by n days (n may be negative). */
struct period_date period_add_days(struct period_date date, int n);

/*
 * The last day of a period of kind ("calendar" or "rolling") starting on
 * start: 0 with *end filled, or -1 for an unknown kind or an invalid date.
 */
int period_end(const char *kind, struct period_date start,
	       struct period_date *end);

/* "YYYY-MM-DD" into out[11]; parsing back: 0, or -1 when s is not a real
 * date in that form. */
void period_format(struct period_date date, char out[11]);
int period_parse(const char *s, struct period_date *date);

#endif
