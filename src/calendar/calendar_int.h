/*
 * calendar_int.h -- what the files of src/calendar/ share.  Not for other
 * folders (calendar.h is).
 *
 * Times (migrations/0040_calendar.sql): a meeting is written as local
 * wall-clock times in its IANA zone, 'YYYY-MM-DDTHH:MM:SS', or the date
 * 'YYYY-MM-DD' of an all-day meeting; its recurrence is an RFC 5545 RRULE
 * counted in that local time (a weekly 10:00 in Vienna stays 10:00 across
 * the change of daylight saving time); the *_utc columns are derived here.
 *
 * An all-day meeting's ends_local is its last day (inclusive, as people
 * write it in a form: "3 to 5 May"); in UTC it ends at the start of the
 * next day in its zone.  An occurrence's key (EXDATE, RECURRENCE-ID:
 * meeting_exdates.occurrence_local, meeting_overrides.recurrence_local)
 * is its original local start in the same form as starts_local.
 *
 * recur.c: rules, zones and occurrences, through libical (3.0 reads the
 * zones from the system's /usr/share/zoneinfo).  Pure: no database.
 */
#ifndef ALLIANCE_CALENDAR_INT_H
#define ALLIANCE_CALENDAR_INT_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"

/* The most occurrences one expansion returns, and the most a rule is
 * stepped through (a rule that never ends stops there). */
#define RECUR_MAX 1000
#define RECUR_STEPS 100000

/* Room for a local time 'YYYY-MM-DDTHH:MM:SS' and its NUL. */
#define RECUR_LOCAL_LEN 20

/* 1 when tzid names a time zone libical knows ('Europe/Vienna'), else 0. */
int recur_zone_ok(const char *tzid);

/*
 * Checks an RRULE value ('FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR'): 0, or -1
 * with *why set to a sentence for the form (N_(): translate with _()).
 * Refused: what libical cannot read, and rules that repeat more often
 * than daily (a meeting every hour is not a meeting).
 */
int recur_rule_check(const char *rrule, const char **why);

/*
 * The UTC instant (unix seconds) of local in zone tzid: a time
 * 'YYYY-MM-DDTHH:MM:SS' (seconds optional, 'YYYY-MM-DDTHH:MM'), or a date
 * 'YYYY-MM-DD' read as its midnight.  0, or -1 when local is not such a
 * time or the zone is unknown.
 */
int recur_local_to_utc(const char *tzid, const char *local, int64_t *utc);

/* The local time in tzid of the instant utc, 'YYYY-MM-DDTHH:MM:SS', into
 * out.  0, or -1 when the zone is unknown. */
int recur_utc_to_local(const char *tzid, int64_t utc,
		       char out[RECUR_LOCAL_LEN]);

/* Whether local is a well-formed date ('YYYY-MM-DD') or time
 * ('YYYY-MM-DDTHH:MM[:SS]') that exists in the calendar: 1 or 0. */
int recur_local_ok(const char *local, int all_day);

/* local in its stored form: a date as 'YYYY-MM-DD', a time as
 * 'YYYY-MM-DDTHH:MM:SS' (seconds added), into out.  0, or -1 when it is
 * not well formed. */
int recur_local_normal(const char *local, int all_day,
		       char out[RECUR_LOCAL_LEN]);

/* One changed or cancelled occurrence (a row of meeting_overrides). */
struct recur_override {
	const char *recurrence_local; /* its original local start */
	const char *starts_local;
	const char *ends_local;
	int cancelled;
};

/* A meeting as recur_expand reads it (strings not owned). */
struct recur_series {
	const char *tzid;
	int all_day;
	const char *starts_local; /* the first occurrence */
	const char *ends_local;
	const char *rrule; /* NULL or "": one occurrence */
	const char *const *exdates;
	size_t nexdates;
	const struct recur_override *overrides;
	size_t noverrides;
};

/* One occurrence as it happens (moved ones at their new time). */
struct recur_occurrence {
	char key[RECUR_LOCAL_LEN];          /* its original local start */
	char starts_local[RECUR_LOCAL_LEN]; /* where it happens */
	char ends_local[RECUR_LOCAL_LEN];
	int64_t starts_utc, ends_utc;
	int moved;     /* an override changed its time */
	int cancelled; /* an override cancelled it (still listed) */
	const struct recur_override *override; /* or NULL */
};

/*
 * The occurrences of s that overlap the UTC range [from, to), in the
 * order of their original start, into out[0..max) (max at most
 * RECUR_MAX is sensible), their number in *n; EXDATEs left out, moved
 * ones at their new time (kept when the new time overlaps the range),
 * cancelled ones marked.  0; 1 when more than max would have been
 * returned (out holds the first max); -1 when the series is not
 * well formed (zone, times or rule).
 */
int recur_expand(const struct recur_series *s, int64_t from, int64_t to,
		 struct recur_occurrence *out, size_t max, size_t *n);

/*
 * The UTC columns of a meeting: start and end of the first occurrence,
 * and the end of the last one in *last_ends_utc with *has_last 1 (0 when
 * the rule never ends, or ends beyond RECUR_STEPS occurrences).  Moved
 * occurrences are counted at their new time.  0, or -1 when the series
 * is not well formed.
 */
int recur_bounds(const struct recur_series *s, int64_t *starts_utc,
		 int64_t *ends_utc, int64_t *last_ends_utc, int *has_last);

#endif
