/*
 * calendar.c -- see calendar.h.  The public views of the calendar (the
 * upcoming occurrences with their filters and the past meetings, a
 * month's grid, a meeting's page) and the same as JSON under /api/v1
 * (meetings, a meeting, occurrences in a date range), each as the viewer
 * may see it (CAL_VISIBLE, decided in SQL).  Occurrences are never
 * stored: each series is expanded by recur.c from its rule, EXDATEs and
 * overrides for the range asked (meeting.c reads them).
 */
#include "calendar_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/util.h"

/* ---- the views ---- */

enum stmt_cal {
	C_BODIES,
	C_AREAS,
	C_PARTIES,
	C_RANGE,
	C_PAST,
	C_MEETING_AREAS,
	C_DEADLINES,
	C_MINUTES,
	C_CAL__MAX,
};

/* The filters of the lists: body, kind, focal area, working party, each
 * bound twice ('' for none). */
#define MEETING_FILTERS                                                        \
	" AND (? = '' OR b.slug = ?) AND (? = '' OR m.kind = ?)"              \
	" AND (? = '' OR EXISTS (SELECT 1 FROM meeting_focal_areas mf"        \
	"  JOIN focal_areas fa ON fa.id = mf.focal_area_id"                   \
	"  WHERE mf.meeting_id = m.id AND fa.slug = ?))"                      \
	" AND (? = '' OR EXISTS (SELECT 1 FROM parties pf"                    \
	"  WHERE pf.id = m.party_id AND pf.slug = ?))"

/* Candidates a range reads at most (each expanded, capped). */
#define RANGE_MEETINGS 500

static const char *const cal_sql_text[C_CAL__MAX] = {
	[C_BODIES] = "SELECT id, slug, acronym, name FROM bodies"
		     " ORDER BY position, id",
	[C_AREAS] = "SELECT id, slug, name FROM focal_areas"
		    " ORDER BY position, id",
	[C_PARTIES] = "SELECT id, slug, name FROM parties"
		      " WHERE state IN ('active', 'dissolved', 'archived')"
		      " ORDER BY name, id",
	/* binds: viewer (3), from, to, filters (8), limit */
	[C_RANGE] = "SELECT " CAL_MEETING_COLS " FROM meetings m"
		    " LEFT JOIN bodies b ON b.id = m.body_id"
		    " WHERE " CAL_VISIBLE("m")
		    " AND (m.last_ends_utc IS NULL OR m.last_ends_utc > ?)"
		    " AND m.starts_utc < ?" MEETING_FILTERS
		    " ORDER BY m.starts_utc, m.id LIMIT ?",
	/* binds: viewer (3), now, filters (8), limit, offset */
	[C_PAST] = "SELECT " CAL_MEETING_COLS ", m.last_ends_utc,"
		   " (SELECT count(*) FROM meeting_minutes mm"
		   "  WHERE mm.meeting_id = m.id AND mm.state = 'approved')"
		   " AS minutes"
		   " FROM meetings m LEFT JOIN bodies b ON b.id = m.body_id"
		   " WHERE " CAL_VISIBLE("m")
		   " AND m.last_ends_utc IS NOT NULL AND m.last_ends_utc <= ?"
		   MEETING_FILTERS
		   " ORDER BY m.last_ends_utc DESC, m.id DESC LIMIT ? OFFSET ?",
	[C_MEETING_AREAS] = "SELECT fa.id, fa.slug, fa.name"
			    " FROM meeting_focal_areas mf"
			    " JOIN focal_areas fa ON fa.id = mf.focal_area_id"
			    " WHERE mf.meeting_id = ? ORDER BY fa.position",
	/* binds: viewer (3), the session's id */
	[C_DEADLINES] = "SELECT m.slug, m.title, m.starts_local, m.all_day,"
			" m.time_zone, m.starts_utc FROM meetings m"
			" WHERE " CAL_VISIBLE("m") " AND m.parent_id = ?"
			" ORDER BY m.starts_utc, m.id",
	[C_MINUTES] = "SELECT version, state, body_md FROM meeting_minutes"
		      " WHERE meeting_id = ? AND occurrence_local = ''"
		      " ORDER BY version DESC LIMIT 1",
};

static struct db_sql calendar_sql = {"calendar", cal_sql_text, C_CAL__MAX, 0};

/* The reader's time zone: the tz field when it names one, else NULL (the
 * meeting's own).  Not a cookie: visitors' pages are cached by their
 * address alone (core/pagecache.h), so what changes a page must be in
 * it. */
static const char *
reader_zone(struct req *r)
{
	const struct value *tz = req_value(r, "tz");

	return tz->present && recur_zone_ok(tz->str) ? tz->str : NULL;
}

/* An occurrence o of meeting m as JSON: {key, starts_local, ends_local,
 * when_text, starts_iso, ends_iso, cancelled, moved} and, when reader
 * is a zone other than the meeting's, reader_text. */
static json_t *
occurrence_json(struct req *r, json_t *m, const struct recur_occurrence *o,
		const char *reader)
{
	const char *tz = json_string_value(json_object_get(m, "time_zone"));
	char a[32], b[32];
	json_t *j;

	cal_iso(o->starts_utc, a);
	cal_iso(o->ends_utc, b);
	j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:b,s:b}", "key",
		      o->key, "starts_local", o->starts_local, "ends_local",
		      o->ends_local, "when_text",
		      cal_span_text(r->arena, o->starts_local, o->ends_local),
		      "starts_iso", a, "ends_iso", b, "starts_utc",
		      (json_int_t)o->starts_utc, "ends_utc",
		      (json_int_t)o->ends_utc, "cancelled", o->cancelled,
		      "moved", o->moved);
	if (reader && tz && strcmp(reader, tz) != 0 &&
	    !json_integer_value(json_object_get(m, "all_day"))) {
		char s[RECUR_LOCAL_LEN], e[RECUR_LOCAL_LEN];

		if (recur_utc_to_local(reader, o->starts_utc, s) == 0 &&
		    recur_utc_to_local(reader, o->ends_utc, e) == 0)
			json_object_set_new(
				j, "reader_text",
				json_string(cal_span_text(r->arena, s, e)));
	}
	return j;
}

/* Adds to a meeting row its labels and href. */
static void
dress(struct req *r, json_t *m)
{
	const char *slug = json_string_value(json_object_get(m, "slug"));
	const char *rule = json_string_value(json_object_get(m, "rrule"));

	json_object_set_new(
		m, "kind_label",
		json_string(cal_label(cal_kinds, cal_kind_labels,
				      json_string_value(
					      json_object_get(m, "kind")))));
	json_object_set_new(
		m, "mode_label",
		json_string(cal_label(cal_modes, cal_mode_labels,
				      json_string_value(
					      json_object_get(m, "mode")))));
	json_object_set_new(
		m, "status_label",
		json_string(cal_label(cal_statuses, cal_status_labels,
				      json_string_value(
					      json_object_get(m, "status")))));
	json_object_set_new(
		m, "cancelled",
		json_boolean(json_string_value(json_object_get(m, "status")) &&
			     !strcmp(json_string_value(
					     json_object_get(m, "status")),
				     "cancelled")));
	json_object_set_new(
		m, "tentative",
		json_boolean(json_string_value(json_object_get(m, "status")) &&
			     !strcmp(json_string_value(
					     json_object_get(m, "status")),
				     "tentative")));
	if (rule && *rule)
		json_object_set_new(m, "rule_text",
				    json_string(cal_rule_text(r->arena, rule)));
	if (slug)
		json_object_set_new(m, "href",
				    json_sprintf("/calendar/%s", slug));
	if (json_is_integer(json_object_get(m, "session_number"))) {
		char n[24];

		snprintf(n, sizeof n, "%lld",
			 (long long)json_integer_value(
				 json_object_get(m, "session_number")));
		json_object_set_new(
			m, "session_text",
			json_string(i18n_text(r->arena, _("Session {n}"), "n",
					      n, NULL)));
	}
}

/* The filters the lists read: body, kind, area, party ('' for none). */
struct filters {
	const char *v[4];
};

static void
filters_read(struct req *r, struct filters *f)
{
	static const char *const names[] = {"body", "kind", "area", "party"};

	for (size_t i = 0; i < 4; i++) {
		const struct value *x = req_value(r, names[i]);

		f->v[i] = x->present ? x->str : "";
	}
}

static void
filters_bind(struct db_stmt *st, int first, const struct filters *f)
{
	for (int i = 0; i < 4; i++) {
		db_bind_text(st, first + 2 * i, f->v[i]);
		db_bind_text(st, first + 2 * i + 1, f->v[i]);
	}
}

/* The occurrences of the meetings the viewer may see that overlap [from,
 * to), filtered, in order of start: a new array of {meeting: {...},
 * occurrence: {...}} flattened into one object each (the meeting's
 * columns, labels and href, and occurrence); NULL on a database error.
 * *capped is set when a meeting had more than per_meeting. */
static json_t *
occurrences_in(struct req *r, const struct cal_viewer *v,
	       const struct filters *f, int64_t from, int64_t to,
	       size_t per_meeting, const char *reader, int *capped)
{
	struct db_stmt *st = db_stmt(r->db, &calendar_sql, C_RANGE);
	struct recur_occurrence *occ;
	json_t *rows, *m, *out;
	size_t i;

	*capped = 0;
	if (st == NULL)
		return NULL;
	cal_bind_viewer(st, 1, v);
	db_bind_int(st, 4, from);
	db_bind_int(st, 5, to);
	filters_bind(st, 6, f);
	db_bind_int(st, 14, RANGE_MEETINGS);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	occ = arena_alloc(r->arena, per_meeting * sizeof *occ);
	out = json_array();
	json_array_foreach(rows, i, m) {
		struct recur_series s;
		size_t n;
		int rc;

		if (cal_series_of(r, m, &s) != 0) {
			json_decref(rows);
			json_decref(out);
			return NULL;
		}
		if ((rc = recur_expand(&s, from, to, occ, per_meeting, &n)) <
		    0)
			continue; /* a row not well formed: not shown */
		if (rc == 1)
			*capped = 1;
		dress(r, m);
		for (size_t k = 0; k < n; k++) {
			json_t *o = json_deep_copy(m);

			json_object_set_new(
				o, "occurrence",
				occurrence_json(r, m, &occ[k], reader));
			json_object_set_new(o, "at",
					    json_integer(occ[k].starts_utc));
			json_array_append_new(out, o);
		}
	}
	json_decref(rows);
	return out;
}

static int
by_start(const void *a, const void *b)
{
	json_int_t x = json_integer_value(
			   json_object_get(*(json_t *const *)a, "at")),
		   y = json_integer_value(
			   json_object_get(*(json_t *const *)b, "at"));

	return x < y ? -1 : x > y;
}

/* Sorts an array of objects by their "at". */
static void
sort_by_start(json_t *arr)
{
	size_t n = json_array_size(arr), i;
	json_t **v = malloc((n ? n : 1) * sizeof *v);

	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort(v, n, sizeof *v, by_start);
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, v[i]);
	free(v);
}

/* The choices of the filters ({slug, name, selected}) of statement s. */
static json_t *
choices_of(struct req *r, enum stmt_cal s, const char *key,
	   const char *selected)
{
	struct db_stmt *st = db_stmt(r->db, &calendar_sql, s);
	json_t *rows = st ? db_all_json(st) : NULL, *row;
	size_t i;

	if (rows == NULL)
		return NULL;
	json_array_foreach(rows, i, row) {
		const char *slug =
			json_string_value(json_object_get(row, "slug"));

		json_object_set_new(row, "selected",
				    json_boolean(slug && selected &&
						 !strcmp(slug, selected)));
		if (key && json_object_get(row, key))
			json_object_set(row, "label", json_object_get(row, key));
		else
			json_object_set(row, "label",
					json_object_get(row, "name"));
	}
	return rows;
}

static void
read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The calendar could not be read."));
}

/* Upcoming occurrences a page of the list shows, and how far ahead the
 * list looks (two years: the sessions the secretariat has entered). */
#define PAGE_SIZE 20
#define AHEAD (2 * 366 * 86400LL)
#define PAST_SIZE 20

/*
 * GET /calendar (and /api/v1/meetings): the occurrences from now on of
 * the meetings the viewer may see, filtered by body, kind, focal area and
 * working party, paged; and the past meetings, the newest first, with
 * whether minutes exist.
 */
static void
calendar_index(struct req *r, struct resp *w)
{
	struct cal_viewer v;
	struct filters f;
	struct pager pg;
	struct db_stmt *st;
	json_t *all, *page, *past, *row, *model, *bodies, *areas, *parties;
	int64_t now = clock_now();
	int capped, more;
	size_t i, off;

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (cal_viewer_read(r, &v) < 0)
		return read_failed(r, w);
	filters_read(r, &f);
	pager_read(r, PAGE_SIZE, &pg);
	all = occurrences_in(r, &v, &f, now, now + AHEAD, 200,
			     reader_zone(r), &capped);
	if (all == NULL)
		return read_failed(r, w);
	sort_by_start(all);
	page = json_array();
	off = (size_t)pager_offset(&pg);
	for (i = off; i < json_array_size(all) && i < off + PAGE_SIZE; i++)
		json_array_append(page, json_array_get(all, i));
	more = json_array_size(all) > off + PAGE_SIZE;
	json_decref(all);
	if ((st = db_stmt(r->db, &calendar_sql, C_PAST)) == NULL) {
		json_decref(page);
		return read_failed(r, w);
	}
	cal_bind_viewer(st, 1, &v);
	db_bind_int(st, 4, now);
	filters_bind(st, 5, &f);
	db_bind_int(st, 13, PAST_SIZE);
	db_bind_int(st, 14, 0);
	if ((past = db_all_json(st)) == NULL) {
		json_decref(page);
		return read_failed(r, w);
	}
	json_array_foreach(past, i, row) {
		const char *s = json_string_value(
			json_object_get(row, "starts_local"));
		char last[RECUR_LOCAL_LEN];
		int64_t le = json_integer_value(
			json_object_get(row, "last_ends_utc"));

		dress(r, row);
		json_object_set_new(row, "first_text",
				    json_string(cal_local_text(r->arena, s)));
		/* the last day it ran, in its zone (the end is exclusive) */
		if (recur_utc_to_local(json_string_value(json_object_get(
						row, "time_zone")),
				       le - 1, last) == 0) {
			last[10] = '\0';
			json_object_set_new(
				row, "last_text",
				json_string(cal_local_text(r->arena, last)));
		}
		json_object_set_new(
			row, "has_minutes",
			json_boolean(json_integer_value(
					     json_object_get(row, "minutes")) >
				     0));
		/* a series' minutes are its occurrences': on its page */
		json_object_set_new(
			row, "minutes_href",
			json_sprintf("/calendar/%s%s",
				     json_string_value(
					     json_object_get(row, "slug")),
				     json_is_string(json_object_get(row, "rrule")) &&
						     *json_string_value(json_object_get(
							     row, "rrule"))
					     ? ""
					     : "/minutes"));
	}
	bodies = choices_of(r, C_BODIES, "acronym", f.v[0]);
	areas = bodies ? choices_of(r, C_AREAS, NULL, f.v[2]) : NULL;
	parties = areas ? choices_of(r, C_PARTIES, NULL, f.v[3]) : NULL;
	if (parties == NULL) {
		json_decref(page);
		json_decref(past);
		json_decref(bodies);
		json_decref(areas);
		return read_failed(r, w);
	}
	model = json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b}", "occurrences", page,
		"past", past, "pager",
		pager_model(r, &pg, "/calendar", NULL, more, -1), "bodies",
		bodies, "kinds", cal_kind_choices(f.v[1]), "areas", areas,
		"parties", parties, "filtered",
		*f.v[0] || *f.v[1] || *f.v[2] || *f.v[3], "capped", capped);
	resp_page(w, 200, "calendar/templates/calendar_index.html",
		  _("Calendar"), model);
}

/*
 * GET /calendar/month: the month (year, month; the current one in UTC by
 * default) as weeks of days from Monday, each day with the occurrences
 * that start (or, all day, run) on it in the meeting's own zone.
 */
static void
calendar_month(struct req *r, struct resp *w)
{
	const struct value *yv = req_value(r, "year"), *mv = req_value(r, "month");
	struct cal_viewer v;
	struct filters f;
	time_t now = (time_t)clock_now();
	struct tm tm;
	int y, m, days, first, prev_y, prev_m, next_y, next_m;
	int64_t from, to;
	json_t *occ, *weeks, *week = NULL, *row, *model, *list;
	int capped;
	size_t i;
	char title[64];

	gmtime_r(&now, &tm);
	y = yv->present ? (int)yv->num : tm.tm_year + 1900;
	m = mv->present ? (int)mv->num : tm.tm_mon + 1;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (cal_viewer_read(r, &v) < 0)
		return read_failed(r, w);
	filters_read(r, &f);
	{
		struct tm a = {.tm_year = y - 1900, .tm_mon = m - 1,
			       .tm_mday = 1};
		struct tm b = {.tm_year = y - 1900, .tm_mon = m, .tm_mday = 1};

		/* a day either side: zones reach 14 hours from UTC */
		from = (int64_t)timegm(&a) - 86400;
		to = (int64_t)timegm(&b) + 86400;
		days = (int)((to - from) / 86400) - 2;
	}
	occ = occurrences_in(r, &v, &f, from, to, 62, reader_zone(r),
			     &capped);
	if (occ == NULL)
		return read_failed(r, w);
	sort_by_start(occ);
	weeks = json_array();
	list = json_array();
	first = (cal_weekday(y, m, 1) + 6) % 7; /* Monday 0 */
	for (int cell = 0; cell < first; cell++) {
		if (week == NULL)
			week = json_array();
		json_array_append_new(week, json_pack("{s:b}", "blank", 1));
	}
	for (int d = 1; d <= days; d++) {
		char date[32];
		json_t *day, *items = json_array();

		snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
		json_array_foreach(occ, i, row) {
			json_t *o = json_object_get(row, "occurrence");
			const char *s = json_string_value(
					   json_object_get(o, "starts_local")),
				   *e = json_string_value(
					   json_object_get(o, "ends_local"));

			if (!s || !e || strncmp(s, date, 10) > 0 ||
			    strncmp(e, date, 10) < 0)
				continue;
			/* a timed one shows on its first day only */
			if (strlen(s) > 10 && strncmp(s, date, 10) != 0)
				continue;
			json_array_append_new(
				items,
				json_pack("{s:O,s:O,s:O,s:O,s:s?,s:O}",
					  "title", json_object_get(row, "title"),
					  "href", json_object_get(row, "href"),
					  "kind_label",
					  json_object_get(row, "kind_label"),
					  "cancelled",
					  json_object_get(o, "cancelled"),
					  "time",
					  strlen(s) > 10
						  ? arena_printf(r->arena,
								 "%.5s", s + 11)
						  : NULL,
					  "occurrence", o));
		}
		if (week == NULL)
			week = json_array();
		day = json_pack(
			"{s:i,s:s,s:s,s:O,s:b}", "day", d, "date", date,
			"date_text", cal_local_text(r->arena, date), "items",
			items, "has_items", json_array_size(items) > 0);
		json_array_append_new(week, day);
		if (json_array_size(items) > 0)
			json_array_append(list, day);
		json_decref(items);
		if (json_array_size(week) == 7) {
			json_array_append_new(weeks,
					      json_pack("{s:o}", "days", week));
			week = NULL;
		}
	}
	if (week) {
		while (json_array_size(week) < 7)
			json_array_append_new(week,
					      json_pack("{s:b}", "blank", 1));
		json_array_append_new(weeks, json_pack("{s:o}", "days", week));
	}
	json_decref(occ);
	prev_y = m == 1 ? y - 1 : y;
	prev_m = m == 1 ? 12 : m - 1;
	next_y = m == 12 ? y + 1 : y;
	next_m = m == 12 ? 1 : m + 1;
	{
		char ys[8];

		snprintf(ys, sizeof ys, "%d", y);
		/* TRANSLATORS: a month and its year, "May 2026" */
		snprintf(title, sizeof title, "%s",
			 i18n_text(r->arena, _("{month} {year}"), "month",
				   cal_month_name(m), "year", ys, NULL));
	}
	model = json_pack(
		"{s:s,s:i,s:i,s:o,s:o,s:b,s:s,s:s,s:s,s:s,s:o}", "month_text",
		title, "year", y, "month", m, "weeks", weeks, "days_with",
		list, "empty", json_array_size(list) == 0, "prev_href",
		arena_printf(r->arena, "/calendar/month?year=%d&month=%d",
			     prev_y, prev_m),
		"next_href",
		arena_printf(r->arena, "/calendar/month?year=%d&month=%d",
			     next_y, next_m),
		"prev_text",
		i18n_text(r->arena, _("{month} {year}"), "month",
			  cal_month_name(prev_m), "year",
			  arena_printf(r->arena, "%d", prev_y), NULL),
		"next_text",
		i18n_text(r->arena, _("{month} {year}"), "month",
			  cal_month_name(next_m), "year",
			  arena_printf(r->arena, "%d", next_y), NULL),
		"weekdays", json_pack("[s,s,s,s,s,s,s]", cal_weekday_name(1),
				      cal_weekday_name(2), cal_weekday_name(3),
				      cal_weekday_name(4), cal_weekday_name(5),
				      cal_weekday_name(6),
				      cal_weekday_name(0)));
	resp_page(w, 200, "calendar/templates/calendar_month.html",
		  i18n_text(r->arena, _("Calendar: {month}"), "month", title,
			    NULL),
		  model);
}

/* The rows of statement s for the meeting id (and the viewer first when
 * viewer is not NULL). */
static json_t *
rows_for(struct req *r, enum stmt_cal s, const struct cal_viewer *viewer,
	 json_int_t id)
{
	struct db_stmt *st = db_stmt(r->db, &calendar_sql, s);
	int i = 1;

	if (st == NULL)
		return NULL;
	if (viewer) {
		cal_bind_viewer(st, 1, viewer);
		i = 4;
	}
	db_bind_int(st, i, id);
	return db_all_json(st);
}

/* The occurrences a meeting's page lists. */
#define PAGE_OCCURRENCES 10

/*
 * GET /calendar/:slug (and /api/v1/meetings/:slug): a meeting as the
 * viewer may see it: its kind, body, session, times in its zone and in
 * the reader's, place, mode, the online link to those who may have it,
 * agenda, documents, focal areas, working party, occurrences and
 * deadlines.  A meeting the viewer may not see is a 404, as one that
 * does not exist.
 */
static void
calendar_show(struct req *r, struct resp *w)
{
	struct cal_viewer v;
	struct recur_series s;
	struct recur_occurrence occ[PAGE_OCCURRENCES];
	json_t *m, *list, *areas, *deadlines, *minutes, *row, *next;
	const char *vis, *reader, *tz;
	int team, rc, upcoming, registered;
	int64_t now = clock_now(), id;
	size_t n = 0, i;

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (cal_viewer_read(r, &v) < 0)
		return read_failed(r, w);
	if ((rc = cal_meeting_load(r, req_param(r, "slug"), &m)) < 0)
		return read_failed(r, w);
	if (rc == 1)
		return resp_error(w, 404, _("There is no such meeting."));
	if ((rc = cal_meeting_visible(r, &v, m, &team)) <= 0) {
		json_decref(m);
		if (rc < 0)
			return read_failed(r, w);
		return resp_error(w, 404, _("There is no such meeting."));
	}
	vis = json_string_value(json_object_get(m, "visibility"));
	id = json_integer_value(json_object_get(m, "id"));
	tz = json_string_value(json_object_get(m, "time_zone"));
	reader = reader_zone(r);
	if (reader == NULL)
		reader = tz;
	dress(r, m);
	/* the occurrences: the next ones, or the first ones of a series
	 * that has ended */
	if (cal_series_of(r, m, &s) != 0) {
		json_decref(m);
		return read_failed(r, w);
	}
	list = json_array();
	upcoming = 1;
	if (recur_expand(&s, now, INT64_MAX / 2, occ, PAGE_OCCURRENCES, &n) <
		    0 ||
	    n == 0) {
		upcoming = 0;
		/* the first ones (a series that has ended, a past meeting) */
		if (recur_expand(&s, INT64_MIN / 2, INT64_MAX / 2, occ,
				 PAGE_OCCURRENCES, &n) < 0)
			n = 0;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(list,
				      occurrence_json(r, m, &occ[i], reader));
	next = json_array_get(list, 0);
	if (next)
		json_object_set(m, "when", next);
	json_object_set_new(m, "occurrences", list);
	json_object_set_new(m, "recurring",
			    json_boolean(s.rrule && *s.rrule));
	json_object_set_new(m, "upcoming", json_boolean(upcoming));
	json_object_set_new(m, "zone_text",
			    json_string(cal_offset_text(
				    r->arena, tz,
				    next ? json_integer_value(json_object_get(
						   next, "starts_utc"))
					 : now)));
	if (reader && tz && strcmp(reader, tz) != 0)
		json_object_set_new(
			m, "reader_zone_text",
			json_string(cal_offset_text(
				r->arena, reader,
				next ? json_integer_value(json_object_get(
					       next, "starts_utc"))
				     : now)));
	json_object_set_new(m, "reader_zone", json_string(reader));
	/* registration (registration.c): the viewer's own, for the next
	 * occurrence of a series; the online link to those registered, the
	 * secretariat and the party's team */
	if ((registered = cal_registration_section(
		     r, &v, team, m,
		     s.rrule && *s.rrule && next && upcoming
			     ? json_string_value(json_object_get(next, "key"))
			     : "")) < 0) {
		json_decref(m);
		return read_failed(r, w);
	}
	if (!v.admin && !team && !registered)
		json_object_del(m, "online_url");
	json_object_set_new(m, "link_hidden",
			    json_boolean(!v.admin && !team && !registered &&
					 json_string_value(json_object_get(
						 m, "mode")) &&
					 strcmp(json_string_value(
							json_object_get(m, "mode")),
						"in-person")));
	json_object_set_new(
		m, "agenda_html",
		render_markdown(json_string_value(json_object_get(m, "agenda_md"))));
	json_object_set_new(
		m, "visibility_label",
		json_string(cal_label(cal_visibilities, cal_visibility_labels,
				      vis)));
	areas = rows_for(r, C_MEETING_AREAS, NULL, id);
	deadlines = areas ? rows_for(r, C_DEADLINES, &v, id) : NULL;
	minutes = deadlines ? rows_for(r, C_MINUTES, NULL, id) : NULL;
	if (minutes == NULL) {
		json_decref(m);
		json_decref(areas);
		json_decref(deadlines);
		return read_failed(r, w);
	}
	json_array_foreach(deadlines, i, row) {
		json_object_set_new(
			row, "when_text",
			json_string(cal_local_text(
				r->arena, json_string_value(json_object_get(
						  row, "starts_local")))));
		json_object_set_new(
			row, "zone_text",
			json_string(cal_offset_text(
				r->arena,
				json_string_value(json_object_get(
					row, "time_zone")),
				json_integer_value(
					json_object_get(row, "starts_utc")))));
	}
	json_object_set_new(m, "focal_areas", areas);
	json_object_set_new(m, "deadlines", deadlines);
	/* minutes (minutes.c): the newest version, shown once approved;
	 * the links to the minutes' page */
	row = json_array_get(minutes, 0);
	if (row && json_string_value(json_object_get(row, "state")) &&
	    !strcmp(json_string_value(json_object_get(row, "state")),
		    "approved"))
		json_object_set_new(
			m, "minutes_html",
			render_markdown(json_string_value(
				json_object_get(row, "body_md"))));
	json_decref(minutes);
	if (cal_minutes_links(r, &v, m) != 0 ||
	    cal_documents_section(r, &v, m) != 0 ||
	    cal_registrations_link(r, &v, m) != 0) {
		json_decref(m);
		return read_failed(r, w);
	}
	json_object_del(m, "agenda_md");
	json_object_set_new(m, "admin", json_boolean(v.admin));
	json_object_set_new(m, "zones", cal_zone_choices(reader));
	resp_page(w, 200, "calendar/templates/calendar_show.html",
		  json_string_value(json_object_get(m, "title")),
		  json_pack("{s:o}", "meeting", m));
}

/* GET /meetings: only for /api/v1; a person's browser goes to the
 * calendar. */
static void
meetings_index(struct req *r, struct resp *w)
{
	if (!r->api)
		return resp_redirect(w, "/calendar");
	calendar_index(r, w);
}

static void
meetings_show(struct req *r, struct resp *w)
{
	if (!r->api) {
		struct buf b = BUF_INIT;

		buf_puts(&b, "/calendar/");
		esc_url_component(&b, req_param(r, "slug"),
				  strlen(req_param(r, "slug")));
		resp_redirect(w, buf_cstr(&b));
		buf_free(&b);
		return;
	}
	calendar_show(r, w);
}

/* The longest range /api/v1/occurrences answers, in days. */
#define RANGE_DAYS 366

/*
 * GET /api/v1/occurrences?from=YYYY-MM-DD&to=YYYY-MM-DD: the occurrences
 * of the meetings the viewer may see from the start of day `from` to the
 * start of day `to` (UTC), at most RANGE_DAYS; 422 otherwise.
 */
static void
occurrences(struct req *r, struct resp *w)
{
	const struct value *fv = req_value(r, "from"), *tv = req_value(r, "to");
	struct cal_viewer v;
	struct filters f;
	int64_t from, to;
	json_t *occ, *row, *out;
	int capped;
	size_t i;

	if (!fv->present || !tv->present ||
	    recur_local_to_utc("UTC", fv->str, &from) != 0 ||
	    recur_local_to_utc("UTC", tv->str, &to) != 0)
		return resp_error(w, 422,
				  _("Give the range as from=YYYY-MM-DD and "
				    "to=YYYY-MM-DD."));
	if (to <= from || to - from > RANGE_DAYS * 86400LL)
		return resp_error(w, 422,
				  _("The range must end after it starts and "
				    "span at most 366 days."));
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (cal_viewer_read(r, &v) < 0)
		return read_failed(r, w);
	filters_read(r, &f);
	occ = occurrences_in(r, &v, &f, from, to, RECUR_MAX, reader_zone(r),
			     &capped);
	if (occ == NULL)
		return read_failed(r, w);
	sort_by_start(occ);
	out = json_array();
	json_array_foreach(occ, i, row) {
		json_t *o = json_object_get(row, "occurrence");

		json_object_set_new(o, "meeting",
				json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}",
					  "slug", json_object_get(row, "slug"),
					  "title", json_object_get(row, "title"),
					  "kind", json_object_get(row, "kind"),
					  "time_zone",
					  json_object_get(row, "time_zone"),
					  "all_day",
					  json_object_get(row, "all_day"),
					  "body", json_object_get(row, "body_slug"),
					  "href", json_object_get(row, "href")));
		json_array_append(out, o);
	}
	json_decref(occ);
	resp_page(w, 200, "calendar/templates/calendar_occurrences.html",
		  _("Occurrences"),
		  json_pack("{s:s,s:s,s:o,s:b}", "from", fv->str, "to", tv->str,
			    "occurrences", out, "capped", capped));
}

/* ---- the tables ---- */

static const char *const kind_values[] = {"session",	"alliance",
					  "party",	"side-event",
					  "sprint",	"deadline", NULL};

#define FILTER_FIELDS                                                          \
	{.name = "body", .type = FT_SLUG, .maxlen = 60, .label = N_("Body")},  \
	{.name = "kind",                                                       \
	 .type = FT_CHOICE,                                                    \
	 .choices = kind_values,                                               \
	 .label = N_("Kind")},                                                 \
	{.name = "area",                                                       \
	 .type = FT_SLUG,                                                      \
	 .maxlen = 60,                                                         \
	 .label = N_("Focal area")},                                           \
	{.name = "party",                                                      \
	 .type = FT_SLUG,                                                      \
	 .maxlen = 80,                                                         \
	 .label = N_("Working party")},                                        \
	{.name = "tz",                                                         \
	 .type = FT_TEXT,                                                      \
	 .maxlen = 64,                                                         \
	 .label = N_("Show times in")}

static const struct field index_fields[] = {
	FILTER_FIELDS,
	{.name = "page", .type = FT_INT, .min = 1, .max = 10000},
	{0},
};

static const struct field month_fields[] = {
	FILTER_FIELDS,
	{.name = "year", .type = FT_YEAR, .min = 1950, .max = 2100,
	 .label = N_("Year")},
	{.name = "month", .type = FT_INT, .min = 1, .max = 12,
	 .label = N_("Month")},
	{0},
};

static const struct field show_fields[] = {
	{.name = "tz", .type = FT_TEXT, .maxlen = 64,
	 .label = N_("Show times in")},
	{0},
};

static const struct field range_fields[] = {
	FILTER_FIELDS,
	{.name = "from", .type = FT_DATE, .label = N_("From")},
	{.name = "to", .type = FT_DATE, .label = N_("To")},
	{0},
};

static const struct route calendar_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/calendar",
	 .who = ACCESS_PUBLIC,
	 .fields = index_fields,
	 .handler = calendar_index,
	 .flags = ROUTE_CLOCK,
	 .summary = "Upcoming meetings, sessions and deadlines (filters by "
		    "body, kind, focal area, working party) and past "
		    "meetings"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/month",
	 .who = ACCESS_PUBLIC,
	 .fields = month_fields,
	 .handler = calendar_month,
	 .flags = ROUTE_CLOCK,
	 .summary = "A month of the calendar as a grid"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/:slug",
	 .who = ACCESS_PUBLIC,
	 .fields = show_fields,
	 .handler = calendar_show,
	 .flags = ROUTE_CLOCK,
	 .summary = "A meeting: kind, body, times in its zone and the "
		    "reader's, place, agenda, occurrences, deadlines"},
	{.method = HTTP_GET,
	 .pattern = "/meetings",
	 .who = ACCESS_PUBLIC,
	 .fields = index_fields,
	 .handler = meetings_index,
	 .summary = "The calendar's meetings as JSON (/api/v1/meetings)"},
	{.method = HTTP_GET,
	 .pattern = "/meetings/:slug",
	 .who = ACCESS_PUBLIC,
	 .fields = show_fields,
	 .handler = meetings_show,
	 .summary = "A meeting as JSON (/api/v1/meetings/:slug)"},
	{.method = HTTP_GET,
	 .pattern = "/occurrences",
	 .who = ACCESS_PUBLIC,
	 .fields = range_fields,
	 .handler = occurrences,
	 .summary = "Occurrences of the meetings in a date range of at most "
		    "366 days (from, to)"},
};

static const struct menu_entry calendar_nav[] = {
	{.path = "/calendar", .label = N_("Calendar"), .order = 45},
};

static struct db_sql *const calendar_sqls[] = {&meeting_sql, NULL};

const struct module calendar_module = {
	.name = "calendar",
	.sqls = calendar_sqls,
	.routes = calendar_routes,
	.nroutes = ARRAY_LEN(calendar_routes),
	.sql = &calendar_sql,
	.nav = calendar_nav,
	.nnav = ARRAY_LEN(calendar_nav),
};
