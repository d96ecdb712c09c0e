/*
 * recur.c -- see calendar_int.h.  Rules, zones and occurrences through
 * libical: a rule is checked by icalrecurrencetype_from_string, stepped
 * through by icalrecur_iterator in the meeting's local wall-clock time
 * (floating, so a weekly 10:00 stays 10:00 whatever daylight saving time
 * does), and each occurrence is then placed in UTC with the zone's rules
 * (icaltimezone_get_builtin_timezone, which libical 3.0 on Debian reads
 * from /usr/share/zoneinfo).  Nothing here touches the database.
 */
#include <libical/ical.h> /* before calendar_int.h: its libical part */

#include "calendar_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

/* libical's zone cache is shared by the whole process and is not
 * thread-safe: every lookup or conversion through a zone, here and in
 * ics.c, holds this one lock (recur_zone_lock). */
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

void
recur_zone_lock(void)
{
	pthread_mutex_lock(&zone_lock);
}

void
recur_zone_unlock(void)
{
	pthread_mutex_unlock(&zone_lock);
}

icaltimezone *
recur_zone(const char *tzid)
{
	icaltimezone *z;

	if (tzid == NULL || *tzid == '\0' || strlen(tzid) > 64)
		return NULL;
	if (strcmp(tzid, "UTC") == 0 || strcmp(tzid, "Etc/UTC") == 0)
		return icaltimezone_get_utc_timezone();
	recur_zone_lock();
	z = icaltimezone_get_builtin_timezone(tzid);
	recur_zone_unlock();
	return z;
}

int
recur_zone_ok(const char *tzid)
{
	return recur_zone(tzid) != NULL;
}

int
recur_parse_local(const char *local, int date_only, struct icaltimetype *t)
{
	int y, mo, d, h = 0, mi = 0, s = 0, len = 0;
	size_t n;

	if (local == NULL)
		return -1;
	n = strlen(local);
	*t = icaltime_null_time();
	if (n == 10) {
		if (sscanf(local, "%4d-%2d-%2d%n", &y, &mo, &d, &len) != 3 ||
		    len != 10)
			return -1;
		t->is_date = 1;
	} else if (!date_only && (n == 16 || n == 19)) {
		if (sscanf(local, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h,
			   &mi, &len) != 5 ||
		    len != 16)
			return -1;
		if (n == 19 && (sscanf(local + 16, ":%2d%n", &s, &len) != 1 ||
				len != 3))
			return -1;
	} else {
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = local[i];
		int sep = i == 4 || i == 7 ? c == '-'
			  : i == 10	   ? c == 'T'
			  : i == 13 || i == 16 ? c == ':'
					       : c >= '0' && c <= '9';

		if (!sep)
			return -1;
	}
	if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 ||
	    d > icaltime_days_in_month(mo, y) || h > 23 || mi > 59 || s > 59)
		return -1;
	t->year = y;
	t->month = mo;
	t->day = d;
	t->hour = h;
	t->minute = mi;
	t->second = s;
	return 0;
}

void
recur_format_local(struct icaltimetype t, char out[RECUR_LOCAL_LEN])
{
	if (t.is_date)
		snprintf(out, RECUR_LOCAL_LEN, "%04d-%02d-%02d", t.year,
			 t.month, t.day);
	else
		snprintf(out, RECUR_LOCAL_LEN, "%04d-%02d-%02dT%02d:%02d:%02d",
			 t.year, t.month, t.day, t.hour, t.minute, t.second);
}

int
recur_local_ok(const char *local, int all_day)
{
	struct icaltimetype t;

	return recur_parse_local(local, 0, &t) == 0 && t.is_date == (all_day != 0);
}

int
recur_local_normal(const char *local, int all_day, char out[RECUR_LOCAL_LEN])
{
	struct icaltimetype t;

	if (recur_parse_local(local, 0, &t) != 0 || t.is_date != (all_day != 0))
		return -1;
	recur_format_local(t, out);
	return 0;
}

/* The UTC instant of the floating time t (a date: its midnight) in
 * zone. */
static int64_t
instant(struct icaltimetype t, icaltimezone *zone)
{
	int64_t u;

	t.is_date = 0;
	t.zone = NULL;
	recur_zone_lock();
	u = (int64_t)icaltime_as_timet_with_zone(t, zone);
	recur_zone_unlock();
	return u;
}

int
recur_local_to_utc(const char *tzid, const char *local, int64_t *utc)
{
	icaltimezone *zone = recur_zone(tzid);
	struct icaltimetype t;

	if (zone == NULL || recur_parse_local(local, 0, &t) != 0)
		return -1;
	*utc = instant(t, zone);
	return 0;
}

int
recur_utc_to_local(const char *tzid, int64_t utc, char out[RECUR_LOCAL_LEN])
{
	icaltimezone *zone = recur_zone(tzid);
	struct icaltimetype t;

	if (zone == NULL)
		return -1;
	recur_zone_lock();
	t = icaltime_from_timet_with_zone((time_t)utc, 0, zone);
	recur_zone_unlock();
	t.is_date = 0;
	recur_format_local(t, out);
	return 0;
}

int
recur_rule_check(const char *rrule, const char **why)
{
	struct icalrecurrencetype r;

	if (rrule == NULL || *rrule == '\0' || strlen(rrule) > 500) {
		*why = N_("Write a rule such as FREQ=WEEKLY;BYDAY=MO.");
		return -1;
	}
	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(rrule);
	if (r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
		icalerror_clear_errno();
		*why = N_("This is not a recurrence rule libical can read "
			  "(RFC 5545), such as FREQ=MONTHLY;BYDAY=1FR.");
		return -1;
	}
	if (r.freq == ICAL_SECONDLY_RECURRENCE ||
	    r.freq == ICAL_MINUTELY_RECURRENCE ||
	    r.freq == ICAL_HOURLY_RECURRENCE) {
		*why = N_("A meeting repeats at most once a day: use DAILY, "
			  "WEEKLY, MONTHLY or YEARLY.");
		return -1;
	}
	if (r.interval < 1 || r.interval > 1000 || r.count < 0) {
		*why = N_("The rule's INTERVAL or COUNT is out of range.");
		return -1;
	}
	return 0;
}

/* What a series is once read: its zone, first start, and the wall-clock
 * length of an occurrence (seconds; whole days for an all-day one). */
struct series {
	icaltimezone *zone;
	struct icaltimetype start;
	int length;
	int has_rule;
	struct icalrecurrencetype rule;
};

static int
series_read(const struct recur_series *s, struct series *out)
{
	struct icaltimetype end;
	const char *why;

	memset(out, 0, sizeof(*out));
	if ((out->zone = recur_zone(s->tzid)) == NULL ||
	    recur_parse_local(s->starts_local, 0, &out->start) != 0 ||
	    recur_parse_local(s->ends_local, 0, &end) != 0 ||
	    out->start.is_date != (s->all_day != 0) ||
	    end.is_date != out->start.is_date)
		return -1;
	out->length = (int)(icaltime_as_timet(end) -
			    icaltime_as_timet(out->start));
	if (out->length < 0)
		return -1;
	if (s->rrule && *s->rrule) {
		if (recur_rule_check(s->rrule, &why) != 0)
			return -1;
		out->rule = icalrecurrencetype_from_string(s->rrule);
		out->has_rule = 1;
		/* an UNTIL in UTC (as RFC 5545 wants with a zone) is
		 * compared with local times: made local first */
		if (!icaltime_is_null_time(out->rule.until) &&
		    icaltime_is_utc(out->rule.until)) {
			struct icaltimetype u;

			recur_zone_lock();
			u = icaltime_convert_to_zone(out->rule.until,
						     out->zone);
			recur_zone_unlock();

			u.zone = NULL;
			if (out->start.is_date) {
				u.is_date = 1;
				u.hour = u.minute = u.second = 0;
			}
			out->rule.until = u;
		}
	}
	return 0;
}

/* Fills o from the original start t of the series sr (as read in z),
 * applying its override if any; 1 when it is an EXDATE (left out). */
static int
occurrence_at(const struct recur_series *sr, const struct series *z,
	      struct icaltimetype t, struct recur_occurrence *o)
{
	struct icaltimetype end = t, ov;

	memset(o, 0, sizeof(*o));
	recur_format_local(t, o->key);
	for (size_t i = 0; i < sr->nexdates; i++)
		if (sr->exdates[i] && strcmp(sr->exdates[i], o->key) == 0)
			return 1;
	icaltime_adjust(&end, 0, 0, 0, z->length);
	recur_format_local(t, o->starts_local);
	recur_format_local(end, o->ends_local);
	for (size_t i = 0; i < sr->noverrides; i++) {
		const struct recur_override *x = &sr->overrides[i];

		if (x->recurrence_local == NULL ||
		    strcmp(x->recurrence_local, o->key) != 0)
			continue;
		o->override = x;
		o->cancelled = x->cancelled != 0;
		if (recur_parse_local(x->starts_local, 0, &ov) == 0 &&
		    ov.is_date == t.is_date) {
			t = ov;
			end = ov;
			if (recur_parse_local(x->ends_local, 0, &ov) == 0 &&
			    ov.is_date == t.is_date &&
			    icaltime_compare(ov, t) >= 0)
				end = ov;
			recur_format_local(t, o->starts_local);
			recur_format_local(end, o->ends_local);
			o->moved = strcmp(o->starts_local, o->key) != 0;
		}
		break;
	}
	o->starts_utc = instant(t, z->zone);
	if (end.is_date)
		icaltime_adjust(&end, 1, 0, 0, 0); /* the day after */
	o->ends_utc = instant(end, z->zone);
	return 0;
}

/* The greatest key among the series' overrides, or "" (strings compare
 * as times: they have one form). */
static const char *
last_override(const struct recur_series *s)
{
	const char *m = "";

	for (size_t i = 0; i < s->noverrides; i++)
		if (s->overrides[i].recurrence_local &&
		    strcmp(s->overrides[i].recurrence_local, m) > 0)
			m = s->overrides[i].recurrence_local;
	return m;
}

/*
 * Steps through the series calling each(o, arg) for every occurrence
 * (EXDATEs left out) until each answers 1 or the originals pass `until`
 * (UTC) and every override; `until` INT64_MAX means to the end.  0, or
 * -1 when the series is not well formed or the rule did not end within
 * RECUR_STEPS (then *endless is 1).
 */
static int
walk(const struct recur_series *s, int64_t until,
     int (*each)(const struct recur_occurrence *, void *), void *arg,
     int *endless)
{
	struct series z;
	struct recur_occurrence o;
	icalrecur_iterator *it;
	struct icaltimetype t;
	const char *lastov = last_override(s);
	int steps = 0;

	*endless = 0;
	if (series_read(s, &z) != 0)
		return -1;
	if (!z.has_rule) {
		if (occurrence_at(s, &z, z.start, &o) == 0)
			each(&o, arg);
		return 0;
	}
	if ((it = icalrecur_iterator_new(z.rule, z.start)) == NULL)
		return -1;
	while (!icaltime_is_null_time(t = icalrecur_iterator_next(it))) {
		int64_t orig;

		if (++steps > RECUR_STEPS) {
			*endless = 1;
			break;
		}
		t.is_date = z.start.is_date;
		orig = instant(t, z.zone);
		if (until != INT64_MAX && orig >= until) {
			char key[RECUR_LOCAL_LEN];

			recur_format_local(t, key);
			if (strcmp(key, lastov) > 0)
				break;
		}
		if (occurrence_at(s, &z, t, &o) != 0)
			continue;
		if (each(&o, arg) == 1)
			break;
	}
	icalrecur_iterator_free(it);
	return *endless ? -1 : 0;
}

struct expand {
	int64_t from, to;
	struct recur_occurrence *out;
	size_t max, n;
	int more;
};

static int
expand_one(const struct recur_occurrence *o, void *arg)
{
	struct expand *e = arg;

	/* overlaps [from, to); one of no length counts where it starts */
	if (o->starts_utc >= e->to ||
	    (o->ends_utc <= e->from && o->starts_utc < e->from))
		return 0;
	if (e->n >= e->max) {
		e->more = 1;
		return 1;
	}
	e->out[e->n++] = *o;
	return 0;
}

int
recur_expand(const struct recur_series *s, int64_t from, int64_t to,
	     struct recur_occurrence *out, size_t max, size_t *n)
{
	struct expand e = {from, to, out, max, 0, 0};
	int endless;

	*n = 0;
	if (walk(s, to, expand_one, &e, &endless) != 0 && !endless)
		return -1;
	*n = e.n;
	return e.more ? 1 : 0;
}

static int
last_one(const struct recur_occurrence *o, void *arg)
{
	int64_t *last = arg;

	if (o->ends_utc > *last)
		*last = o->ends_utc;
	return 0;
}

int
recur_bounds(const struct recur_series *s, int64_t *starts_utc,
	     int64_t *ends_utc, int64_t *last_ends_utc, int *has_last)
{
	struct series z;
	struct recur_occurrence o;
	int endless;

	if (series_read(s, &z) != 0)
		return -1;
	/* the first occurrence as written, whatever its override says:
	 * the columns order meetings by their series' start */
	{
		struct recur_series bare = *s;

		bare.nexdates = 0;
		bare.noverrides = 0;
		occurrence_at(&bare, &z, z.start, &o);
	}
	*starts_utc = o.starts_utc;
	*ends_utc = o.ends_utc;
	*last_ends_utc = o.ends_utc;
	*has_last = 1;
	if (z.has_rule && icaltime_is_null_time(z.rule.until) &&
	    z.rule.count == 0) {
		*has_last = 0;
		return 0;
	}
	if (walk(s, INT64_MAX, last_one, last_ends_utc, &endless) != 0) {
		if (!endless)
			return -1;
		*has_last = 0;
	}
	return 0;
}

int
recur_set_bounds(json_t *m)
{
	json_t *ex = json_object_get(m, "exdates");
	json_t *ov = json_object_get(m, "overrides");
	size_t nex = json_array_size(ex), nov = json_array_size(ov);
	const char **exdates = calloc(nex + 1, sizeof(*exdates));
	struct recur_override *overrides = calloc(nov + 1, sizeof(*overrides));
	struct recur_series s = {
		.tzid = json_string_value(json_object_get(m, "time_zone")),
		.all_day = json_integer_value(json_object_get(m, "all_day")) != 0,
		.starts_local =
			json_string_value(json_object_get(m, "starts_local")),
		.ends_local = json_string_value(json_object_get(m, "ends_local")),
		.rrule = json_string_value(json_object_get(m, "rrule")),
		.exdates = exdates,
		.overrides = overrides,
	};
	int64_t su, eu, last;
	int has_last, rc;

	if (exdates == NULL || overrides == NULL) {
		free(exdates);
		free(overrides);
		return -1;
	}
	for (size_t i = 0; i < nex; i++)
		if (json_string_value(json_array_get(ex, i)))
			exdates[s.nexdates++] =
				json_string_value(json_array_get(ex, i));
	for (size_t i = 0; i < nov; i++) {
		json_t *o = json_array_get(ov, i);
		struct recur_override *x = &overrides[s.noverrides];

		x->recurrence_local = json_string_value(
			json_object_get(o, "recurrence_local"));
		x->starts_local =
			json_string_value(json_object_get(o, "starts_local"));
		x->ends_local =
			json_string_value(json_object_get(o, "ends_local"));
		x->cancelled = json_is_true(json_object_get(o, "cancelled")) ||
			       json_integer_value(
				       json_object_get(o, "cancelled")) != 0;
		if (x->recurrence_local && x->starts_local && x->ends_local)
			s.noverrides++;
	}
	rc = recur_bounds(&s, &su, &eu, &last, &has_last);
	if (rc == 0) {
		json_object_set_new(m, "starts_utc", json_integer(su));
		json_object_set_new(m, "ends_utc", json_integer(eu));
		json_object_set_new(m, "last_ends_utc",
				    has_last ? json_integer(last) : json_null());
	}
	free(exdates);
	free(overrides);
	return rc;
}
