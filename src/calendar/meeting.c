/*
 * meeting.c -- see calendar_int.h.  What the calendar's files share: the
 * values of a meeting and their labels, the times as words in the
 * reader's language, who sees a meeting, a meeting read by its slug with
 * its series' EXDATEs and overrides, whether a time is an occurrence of
 * a series, and the choices of the forms (kinds, common time zones).
 * The views (calendar.c), the desk (desk.c) and registration
 * (registration.c) use it; it uses none of them.
 */
#include "calendar_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/util.h"
#include "core/slug.h"
#include "organisations/organisations.h"

/* ---- values and their labels ---- */

const char *const cal_kinds[] = {"session",    "alliance", "party",
				 "side-event", "sprint",   "deadline",
				 NULL};
const char *const cal_kind_labels[] = {
	N_("Intergovernmental session"),
	N_("Alliance meeting"),
	N_("Working-party meeting"),
	N_("Side event"),
	N_("Sprint session"),
	N_("Deadline"),
};
const char *const cal_modes[] = {"in-person", "online", "blended", NULL};
const char *const cal_mode_labels[] = {N_("In person"), N_("Online"),
				       N_("Blended (in person and online)")};
const char *const cal_statuses[] = {"tentative", "confirmed", "cancelled",
				    NULL};
const char *const cal_status_labels[] = {N_("Tentative"), N_("Confirmed"),
					 N_("Cancelled")};
const char *const cal_visibilities[] = {"public", "members", "team", NULL};
const char *const cal_visibility_labels[] = {
	N_("Everyone"),
	N_("People of member organisations"),
	N_("The working party's team"),
};
const char *const cal_registrations[] = {"none", "everyone", "members",
					 "team", NULL};
const char *const cal_registration_labels[] = {
	N_("No registration"),
	N_("Everyone may register"),
	N_("People of member organisations may register"),
	N_("The working party's team may register"),
};

const char *
cal_label(const char *const *values, const char *const *labels,
	  const char *v)
{
	for (size_t i = 0; v && values[i]; i++)
		if (strcmp(values[i], v) == 0)
			return _(labels[i]);
	return v ? v : "";
}

/* ---- times as words ---- */

static const char *const month_names[12] = {
	N_("January"), N_("February"), N_("March"),	N_("April"),
	N_("May"),     N_("June"),     N_("July"),	N_("August"),
	N_("September"), N_("October"), N_("November"), N_("December"),
};
static const char *const weekday_names[7] = {
	N_("Sunday"),	N_("Monday"), N_("Tuesday"), N_("Wednesday"),
	N_("Thursday"), N_("Friday"), N_("Saturday"),
};

const char *
cal_month_name(int month)
{
	return month >= 1 && month <= 12 ? _(month_names[month - 1]) : "";
}

const char *
cal_weekday_name(int wday)
{
	return wday >= 0 && wday <= 6 ? _(weekday_names[wday]) : "";
}

int
cal_weekday(int y, int m, int d)
{
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
			.tm_hour = 12};
	time_t t = timegm(&tm);

	gmtime_r(&t, &tm);
	return tm.tm_wday;
}

/* The date of local ("Friday 7 January 1972"), and its time ("10:00")
 * into *time when it has one (else ""); NULL when local is not one. */
static const char *
date_words(struct arena *a, const char *local, const char **hm)
{
	int y, m, d, h = 0, mi = 0;
	char day[8], year[8];

	*hm = "";
	if (local == NULL || sscanf(local, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    m < 1 || m > 12)
		return NULL;
	if (strlen(local) >= 16 &&
	    sscanf(local + 10, "T%2d:%2d", &h, &mi) == 2)
		*hm = arena_printf(a, "%02d:%02d", h, mi);
	snprintf(day, sizeof day, "%d", d);
	snprintf(year, sizeof year, "%d", y);
	/* TRANSLATORS: a date as the calendar shows it, "Friday 7 January
	 * 1972" */
	return i18n_text(a, _("{weekday} {day} {month} {year}"), "weekday",
			 cal_weekday_name(cal_weekday(y, m, d)), "day", day,
			 "month", cal_month_name(m), "year", year, NULL);
}

const char *
cal_local_text(struct arena *a, const char *local)
{
	const char *hm, *date = date_words(a, local, &hm);

	if (date == NULL)
		return local ? local : "";
	if (*hm == '\0')
		return date;
	/* TRANSLATORS: a date and a time, "Monday 18 May 2026, 10:00" */
	return i18n_text(a, _("{date}, {time}"), "date", date, "time", hm,
			 NULL);
}

const char *
cal_span_text(struct arena *a, const char *start, const char *end)
{
	const char *c1, *c2, *d1 = date_words(a, start, &c1),
			       *d2 = date_words(a, end, &c2);

	if (d1 == NULL || d2 == NULL)
		return cal_local_text(a, start);
	if (strcmp(d1, d2) == 0) {
		if (*c1 == '\0')
			return d1;
		if (strcmp(c1, c2) == 0)
			return cal_local_text(a, start);
		/* TRANSLATORS: one day from a time to another, "Monday 18
		 * May 2026, 10:00 to 11:30" */
		return i18n_text(a, _("{date}, {start} to {end}"), "date", d1,
				 "start", c1, "end", c2, NULL);
	}
	/* TRANSLATORS: from one date (and time) to another */
	return i18n_text(a, _("{start} to {end}"), "start",
			 cal_local_text(a, start), "end",
			 cal_local_text(a, end), NULL);
}

const char *
cal_offset_text(struct arena *a, const char *tzid, int64_t utc)
{
	char local[RECUR_LOCAL_LEN];
	int64_t back;
	long off;

	if (recur_utc_to_local(tzid, utc, local) != 0 ||
	    recur_local_to_utc("UTC", local, &back) != 0)
		return tzid;
	off = (long)((back - utc) / 60);
	return arena_printf(a, "%s, UTC%c%02ld:%02ld", tzid,
			    off < 0 ? '-' : '+', labs(off) / 60,
			    labs(off) % 60);
}

void
cal_iso(int64_t utc, char out[32])
{
	time_t t = (time_t)utc;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *
cal_rule_text(struct arena *a, const char *rrule)
{
	size_t i;

	if (rrule == NULL || *rrule == '\0')
		return NULL;
	for (i = 0; cal_repeat_rules[i]; i++)
		if (strcmp(rrule, cal_repeat_rules[i]) == 0)
			return _(cal_repeat_labels[i]);
	/* the seeded series: its rule with an end */
	if (strncmp(rrule, "FREQ=MONTHLY;INTERVAL=2;BYDAY=1FR;UNTIL=", 40) ==
	    0)
		return _("On the first Friday of every second month");
	return i18n_text(a, _("By the rule {rule}"), "rule", rrule, NULL);
}

/* The simple choices of the secretariat's form, and their rules. */
const char *const cal_repeats[] = {"none",	"daily",    "weekly",
				   "biweekly",	"monthly",  "bimonthly",
				   "yearly",	"rule",	    NULL};
const char *const cal_repeat_labels[] = {
	N_("Does not repeat"),
	N_("Every day"),
	N_("Every week, on the same weekday"),
	N_("Every second week, on the same weekday"),
	N_("Every month, on the same weekday of the month (the first Friday...)"),
	N_("Every second month, on the same weekday of the month"),
	N_("Every year, on the same date"),
	N_("By a rule of my own (RRULE, for experts)"),
};
/* Rules of the choices that need no start date (the others are made
 * from it by desk.c); NULL-terminated for cal_rule_text. */
const char *const cal_repeat_rules[] = {"FREQ=DAILY", "FREQ=YEARLY", NULL};

/* ---- who sees what ---- */

int
cal_viewer_read(struct req *r, struct cal_viewer *v)
{
	int member = 0;

	memset(v, 0, sizeof *v);
	if (r->person == NULL)
		return 0;
	v->person = r->person->id;
	v->admin = r->person->role >= ROLE_ADMIN;
	if (organisations_viewer_is_member(r, &member) < 0)
		return -1;
	v->member = member;
	return 0;
}

void
cal_bind_viewer(struct db_stmt *st, int first, const struct cal_viewer *v)
{
	db_bind_int(st, first, v->admin);
	db_bind_int(st, first + 1, v->member || v->admin);
	db_bind_int(st, first + 2, v->person);
}

/* ---- a meeting and its series ---- */

enum stmt_meeting {
	M_EXDATES,
	M_OVERRIDES,
	M_GET,
	M_TEAM,
	M_SLUG_TAKEN,
	M_ORGANISER,
	M_MEETING__MAX,
};

static const char *const meeting_sql_text[M_MEETING__MAX] = {
	[M_EXDATES] = "SELECT occurrence_local FROM meeting_exdates"
		      " WHERE meeting_id = ? ORDER BY occurrence_local",
	[M_OVERRIDES] = "SELECT recurrence_local, starts_local, ends_local,"
			" cancelled, place, note FROM meeting_overrides"
			" WHERE meeting_id = ? ORDER BY recurrence_local",
	[M_GET] = "SELECT " CAL_MEETING_COLS ", m.uid, m.sequence, m.parent_id,"
		  " m.party_id, m.starts_utc, m.ends_utc, m.last_ends_utc,"
		  " m.online_url, m.agenda_md, m.visibility, m.registration,"
		  " m.capacity, m.registration_closes_utc, m.updated_at,"
		  " m.body_id, pp.slug AS party_slug, pp.name AS party_name,"
		  " pm.slug AS parent_slug, pm.title AS parent_title"
		  " FROM meetings m LEFT JOIN bodies b ON b.id = m.body_id"
		  " LEFT JOIN parties pp ON pp.id = m.party_id"
		  " LEFT JOIN meetings pm ON pm.id = m.parent_id"
		  " WHERE m.slug = ?",
	[M_TEAM] = "SELECT count(*) FROM object_roles x"
		   " JOIN parties p ON p.slug = x.object_id"
		   " WHERE x.object_type = 'party' AND p.id = ?"
		   " AND x.person_id = ?",
	[M_SLUG_TAKEN] = "SELECT 1 FROM meetings WHERE slug = ?",
	/* binds: meeting, person, person.  The party's writers are
	 * PARTY_WRITERS of parties/parties_int.h, which this folder may not
	 * include, so the query names them */
	[M_ORGANISER] = "SELECT count(*) FROM meetings m WHERE m.id = ?"
			" AND ((m.party_id IS NULL AND m.created_by = ?)"
			" OR (m.party_id IS NOT NULL AND EXISTS (SELECT 1"
			"  FROM object_roles x JOIN parties p"
			"  ON p.slug = x.object_id"
			"  WHERE p.id = m.party_id AND x.object_type = 'party'"
			"  AND x.person_id = ?"
			"  AND x.role IN ('chair', 'co-chair', 'rapporteur'))))",
};

struct db_sql meeting_sql = {"calendar-meeting", meeting_sql_text,
			     M_MEETING__MAX, 0};

int
cal_new_slug(struct db *db, const char *title, const char *starts_local,
	     char out[SLUG_MAX])
{
	char base[SLUG_MAX];
	size_t n;

	slug_make(title, "meeting", base);
	n = strlen(base);
	snprintf(base + n, sizeof base - n, "-%.10s",
		 starts_local ? starts_local : "");
	return slug_free_db(db, &meeting_sql, M_SLUG_TAKEN, 0, base, NULL, out);
}

int
cal_series_of(struct req *r, json_t *m, struct recur_series *s)
{
	struct db_stmt *st;
	int64_t id = json_integer_value(json_object_get(m, "id"));
	size_t cap = 0;
	int rc;

	memset(s, 0, sizeof *s);
	s->tzid = json_string_value(json_object_get(m, "time_zone"));
	s->all_day = json_integer_value(json_object_get(m, "all_day")) != 0;
	s->starts_local = json_string_value(json_object_get(m, "starts_local"));
	s->ends_local = json_string_value(json_object_get(m, "ends_local"));
	s->rrule = json_string_value(json_object_get(m, "rrule"));
	if (s->rrule == NULL || *s->rrule == '\0')
		return 0;
	if ((st = db_stmt(r->db, &meeting_sql, M_EXDATES)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	{
		const char **ex = NULL;

		while ((rc = db_step(st)) == DB_ROW) {
			if (s->nexdates == cap) {
				const char **n = arena_alloc(
					r->arena, (cap * 2 + 8) * sizeof *n);

				if (s->nexdates)
					memcpy(n, ex, s->nexdates * sizeof *n);
				ex = n;
				cap = cap * 2 + 8;
			}
			ex[s->nexdates++] =
				arena_strdup(r->arena, db_col_text(st, 0));
		}
		s->exdates = ex;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	if ((st = db_stmt(r->db, &meeting_sql, M_OVERRIDES)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	{
		struct recur_override *ov = NULL;

		cap = 0;
		while ((rc = db_step(st)) == DB_ROW) {
			if (s->noverrides == cap) {
				struct recur_override *n = arena_alloc(
					r->arena, (cap * 2 + 8) * sizeof *n);

				if (s->noverrides)
					memcpy(n, ov,
					       s->noverrides * sizeof *n);
				ov = n;
				cap = cap * 2 + 8;
			}
			ov[s->noverrides].recurrence_local =
				arena_strdup(r->arena, db_col_text(st, 0));
			ov[s->noverrides].starts_local =
				arena_strdup(r->arena, db_col_text(st, 1));
			ov[s->noverrides].ends_local =
				arena_strdup(r->arena, db_col_text(st, 2));
			ov[s->noverrides].cancelled = db_col_int(st, 3) != 0;
			s->noverrides++;
		}
		s->overrides = ov;
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

json_t *
cal_kind_choices(const char *selected)
{
	json_t *a = json_array();

	for (size_t i = 0; cal_kinds[i]; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:b}", "value", cal_kinds[i],
				     "label", _(cal_kind_labels[i]),
				     "selected",
				     selected &&
					     !strcmp(selected, cal_kinds[i])));
	return a;
}

int
cal_meeting_load(struct req *r, const char *slug, json_t **m)
{
	struct db_stmt *st = db_stmt(r->db, &meeting_sql, M_GET);

	*m = NULL;
	if (st == NULL || slug == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	if ((*m = db_one_json(st)) == NULL)
		return -1;
	if (json_is_null(*m)) {
		json_decref(*m);
		*m = NULL;
		return 1;
	}
	return 0;
}

/* Whether the viewer is in the team of the meeting's party: 1, 0, -1. */
static int
in_team(struct req *r, const struct cal_viewer *v, json_t *m)
{
	json_t *party = json_object_get(m, "party_id");
	struct db_stmt *st;
	int64_t n = 0;

	if (!json_is_integer(party) || v->person == 0)
		return 0;
	if ((st = db_stmt(r->db, &meeting_sql, M_TEAM)) == NULL)
		return -1;
	db_bind_int(st, 1, json_integer_value(party));
	db_bind_int(st, 2, v->person);
	if (db_one_int(st, &n) != 0)
		return -1;
	return n > 0;
}

int
cal_meeting_visible(struct req *r, const struct cal_viewer *v, json_t *m,
		    int *team)
{
	const char *vis = json_string_value(json_object_get(m, "visibility"));

	if ((*team = in_team(r, v, m)) < 0)
		return -1;
	return v->admin || (vis && !strcmp(vis, "public")) ||
	       (vis && !strcmp(vis, "members") && v->member) ||
	       (vis && !strcmp(vis, "team") && *team);
}

int
cal_is_organiser(struct req *r, const struct cal_viewer *v, int64_t id)
{
	struct db_stmt *q;
	int64_t n = 0;

	if (v->admin)
		return 1;
	if (v->person == 0)
		return 0;
	if ((q = db_stmt(r->db, &meeting_sql, M_ORGANISER)) == NULL)
		return -1;
	db_bind_int(q, 1, id);
	db_bind_int(q, 2, v->person);
	db_bind_int(q, 3, v->person);
	if (db_one_int(q, &n) != 0)
		return -1;
	return n > 0;
}

int
cal_is_occurrence(const struct recur_series *s, const char *key,
		  struct recur_occurrence *out)
{
	struct recur_series bare = *s;
	struct recur_occurrence occ[4];
	int64_t t;
	size_t n;

	bare.nexdates = 0;
	bare.noverrides = 0;
	if (key == NULL || recur_local_to_utc(s->tzid, key, &t) != 0 ||
	    recur_expand(&bare, t, t + 1, occ, 4, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(occ[i].key, key)) {
			if (out)
				*out = occ[i];
			return 1;
		}
	return 0;
}

/* ---- zones ---- */

static const char *const common_zones[] = {
	"UTC",		    "Europe/Vienna",	  "America/New_York",
	"Europe/Geneva",    "Europe/London",	  "Europe/Paris",
	"Europe/Berlin",    "Europe/Rome",	  "Europe/Madrid",
	"Europe/Brussels",  "Europe/Istanbul",    "Europe/Moscow",
	"Africa/Nairobi",   "Africa/Lagos",	  "Africa/Cairo",
	"Africa/Johannesburg", "Africa/Casablanca", "Asia/Dubai",
	"Asia/Doha",	    "Asia/Kolkata",	  "Asia/Bangkok",
	"Asia/Shanghai",    "Asia/Tokyo",	  "Asia/Manila",
	"Asia/Jakarta",	    "Australia/Sydney",	  "Pacific/Auckland",
	"America/Los_Angeles", "America/Chicago",  "America/Mexico_City",
	"America/Bogota",   "America/Sao_Paulo",  "America/Argentina/Buenos_Aires",
	"America/Toronto",  NULL,
};

json_t *
cal_zone_choices(const char *current)
{
	json_t *a = json_array();
	int found = 0;

	for (size_t i = 0; common_zones[i]; i++) {
		int sel = current && !strcmp(current, common_zones[i]);

		found |= sel;
		json_array_append_new(a, json_pack("{s:s,s:b}", "value",
						   common_zones[i], "selected",
						   sel));
	}
	if (current && *current && !found)
		json_array_insert_new(a, 0,
				      json_pack("{s:s,s:b}", "value", current,
						"selected", 1));
	return a;
}
