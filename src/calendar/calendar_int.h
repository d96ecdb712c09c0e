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

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "core/db.h"
#include "core/slug.h"

/* The most occurrences one expansion returns, and the most a rule is
 * stepped through (a rule that never ends stops there). */
#define RECUR_MAX 1000
#define RECUR_STEPS 100000

/* Room for a local time 'YYYY-MM-DDTHH:MM:SS' and its NUL. */
#define RECUR_LOCAL_LEN 20

/* 1 when tzid names a time zone libical knows ('Europe/Vienna'), else 0. */
int recur_zone_ok(const char *tzid);

/* The one lock around libical's zone cache (not thread-safe): recur.c
 * takes it for every zone lookup and conversion, and so does ics.c. */
void recur_zone_lock(void);
void recur_zone_unlock(void);

/* For the files that use libical themselves (ics.c; include
 * <libical/ical.h> first): the zone of tzid (an IANA name, "UTC" and
 * "Etc/UTC" included) or NULL, taking the lock; a stored local time
 * ('YYYY-MM-DD', or 'YYYY-MM-DDTHH:MM[:SS]' unless date_only) read into
 * a floating time (is_date 1 for a date), 0 or -1; and a floating time
 * written back in the stored form. */
#ifdef LIBICAL_ICAL_H
icaltimezone *recur_zone(const char *tzid);
int recur_parse_local(const char *local, int date_only, struct icaltimetype *t);
void recur_format_local(struct icaltimetype t, char out[20]);
#endif

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

/*
 * recur_bounds for a meeting as JSON (the shape ics_read returns:
 * time_zone, all_day, starts_local, ends_local, rrule, exdates [local
 * starts], overrides [{recurrence_local, starts_local, ends_local,
 * cancelled}]): sets its starts_utc, ends_utc and last_ends_utc (null
 * when the rule never ends), so that the import writes the columns as
 * the desk does.  0, or -1 (m unchanged) when it is not well formed.
 */
int recur_set_bounds(json_t *m);

/* ---- meeting.c: what the views, the desk and registration share ---- */

/* The statements of meeting.c (registered by calendar_module). */
extern struct db_sql meeting_sql;

/* The columns a list reads of a meeting m, with its body b. */
#define CAL_MEETING_COLS                                                           \
	"m.id, m.slug, m.title, m.kind, m.time_zone, m.all_day,"               \
	" m.starts_local, m.ends_local, m.rrule, m.status, m.place, m.mode,"   \
	" m.history, m.session_number, b.slug AS body_slug,"                   \
	" b.acronym AS body_acronym, b.name AS body_name"

/* Kinds, modes, statuses, visibilities and who may register, each
 * NULL-terminated, with what people read for each (N_(): cal_label). */
extern const char *const cal_kinds[], *const cal_kind_labels[];
extern const char *const cal_modes[], *const cal_mode_labels[];
extern const char *const cal_statuses[], *const cal_status_labels[];
extern const char *const cal_visibilities[], *const cal_visibility_labels[];
extern const char *const cal_registrations[],
	*const cal_registration_labels[];
/* The secretariat's simple choices of recurrence ("none", "weekly", ...,
 * "rule": a raw RRULE) and their labels; cal_repeat_rules the rules of
 * those that need no start date, NULL-terminated. */
extern const char *const cal_repeats[], *const cal_repeat_labels[];
extern const char *const cal_repeat_rules[];

/* The label of v among values (translated), or v itself. */
const char *cal_label(const char *const *values, const char *const *labels,
		      const char *v);

/* Who is looking: the secretariat sees everything; a member the
 * 'members' meetings; a team the 'team' meetings of its party. */
struct cal_viewer {
	int64_t person; /* 0: a visitor */
	int admin;
	int member;
};
/* Reads r's viewer.  0, or -1 when the database could not be read. */
int cal_viewer_read(struct req *r, struct cal_viewer *v);
/* Whether the viewer may see meeting m (a table alias): binds three,
 * from `first` (cal_bind_viewer): admin, member, person. */
#define CAL_VISIBLE(m)                                                         \
	"(? = 1 OR " m ".visibility = 'public'"                                \
	" OR (" m ".visibility = 'members' AND ? = 1)"                        \
	" OR (" m ".visibility = 'team' AND EXISTS (SELECT 1"                 \
	"  FROM object_roles vx JOIN parties vp ON vp.slug = vx.object_id"    \
	"  WHERE vp.id = " m ".party_id AND vx.object_type = 'party'"         \
	"  AND vx.person_id = ?)))"
void cal_bind_viewer(struct db_stmt *st, int first,
		     const struct cal_viewer *v);

/* The meeting of slug with every column (and body_*, party_slug,
 * party_name, parent_slug, parent_title) as a new object in *m: 0, 1
 * when there is none, -1 on a database error. */
int cal_meeting_load(struct req *r, const char *slug, json_t **m);
/* Whether the viewer may see meeting m (*team: the viewer is in the
 * team of its working party): 1, 0, or -1 on a database error. */
int cal_meeting_visible(struct req *r, const struct cal_viewer *v, json_t *m,
			int *team);
/* Whether the viewer organises meeting id: writes its minutes and keeps
 * its documents (the secretariat; for a working party's meeting its
 * chair, co-chair and rapporteur; for any other the person who entered
 * it): 1, 0, or -1 on a database error. */
int cal_is_organiser(struct req *r, const struct cal_viewer *v, int64_t id);
/* Whether key is an occurrence of series s as its rule makes it (the
 * exceptions aside), that occurrence in *out when out is not NULL: 1 or
 * 0. */
int cal_is_occurrence(const struct recur_series *s, const char *key,
		      struct recur_occurrence *out);
/* ---- registration.c ---- */
/*
 * The registration part of meeting m's page for the viewer (team: in its
 * party's team), for occurrence ('' for a single meeting): adds
 * "registration" {open, why_closed, who_label, taken, capacity, state,
 * state_label, may, occurrence, sign_in} to m.  1 when the viewer is
 * registered (and may have the online link), 0 when not, -1 on a
 * database error.
 */
int cal_registration_section(struct req *r, const struct cal_viewer *v,
			     int team, json_t *m, const char *occurrence);

/* ---- minutes.c ---- */
/* Adds to meeting m (of its page, its occurrences listed) the link to
 * its minutes (minutes_href, minutes_label), or for a series to each
 * occurrence's (occ_minutes_href, occ_minutes_label): approved minutes
 * for everyone, a draft or the form for their writers once it started.
 * 0, or -1 on a database error. */
int cal_minutes_links(struct req *r, const struct cal_viewer *v, json_t *m);
/* registration.c: for the organisers of meeting m (cal_is_organiser) when
 * people may register, registrations_href (their list) and
 * registrations_text ("Registrations (12)": registered and waiting).  0
 * or -1. */
int cal_registrations_link(struct req *r, const struct cal_viewer *v,
			   json_t *m);
/* registration.c: how many people are registered for meeting id or
 * waiting, every occurrence together, in *n.  0 or -1. */
int cal_registrations_tally(struct req *r, int64_t id, int64_t *n);
/* What happened to a meeting that its registered people are told of. */
enum cal_tell {
	CAL_TELL_CANCELLED, /* it will not take place (deleted, cancelled) */
	CAL_TELL_CHANGED,   /* its times, place or online link changed */
};
/* registration.c: tells the people registered for meeting m (as it is
 * now, loaded again after the change; for a deletion as it was) or
 * waiting for a place, inside the caller's transaction, a letter each in
 * their language with the event attached: what change says of the
 * meeting (key "") or of its occurrence key.  Those registered for the
 * very thing cancelled get its cancellation (METHOD:CANCEL: their
 * calendar program takes it off), those registered for the whole series
 * when one occurrence changes get the series again (the occurrence
 * cancelled or moved in it), the others the event updated.  The number
 * of letters, or -1. */
int cal_tell_registered(struct req *r, json_t *m, const char *key,
			enum cal_tell change);
/* documents.c: the documents of meeting m as the meeting's page and its
 * JSON show them (documents [{id, kind, kind_label, category,
 * category_label, title, href, file_name, size_text, library_ref,
 * is_file, is_link, is_library}]), and documents_href, their page, for
 * its organisers.  0 or -1. */
int cal_documents_section(struct req *r, const struct cal_viewer *v,
			  json_t *m);

/* The series of meeting row m (time_zone, all_day, starts_local,
 * ends_local, rrule, id) with its EXDATEs and overrides read (strings in
 * r's arena; m must outlive s).  0 or -1. */
int cal_series_of(struct req *r, json_t *m, struct recur_series *s);

/* A slug no meeting has, for a new one (the desk's form, the import and
 * a working party's schedule): its title's slug (core/slug.h) and
 * its first day ("alliance-meeting-2026-03-06"; "meeting-2026-03-06"
 * for a title without any), then -2, -3 ... when taken.  0, or -1 on a
 * database error. */
int cal_new_slug(struct db *db, const char *title, const char *starts_local,
		 char out[SLUG_MAX]);

/* Times as words, in the current language, in the arena: a local time
 * "Monday 18 May 2026, 10:00" (a date: "Friday 7 January 1972"), a span
 * "Monday 18 May 2026, 10:00 to 11:30", a zone with its offset at an
 * instant "Europe/Vienna, UTC+02:00"; an instant as ISO 8601 UTC. */
const char *cal_local_text(struct arena *a, const char *local);
const char *cal_span_text(struct arena *a, const char *start,
			  const char *end);
const char *cal_offset_text(struct arena *a, const char *tzid, int64_t utc);
void cal_iso(int64_t utc, char out[32]);
const char *cal_month_name(int month);
const char *cal_weekday_name(int wday); /* 0 Sunday */
int cal_weekday(int y, int m, int d);
/* A rule in words ("Every week, on the same weekday"), or "By the rule
 * ..." for one of an expert; NULL for none. */
const char *cal_rule_text(struct arena *a, const char *rrule);

/* [{value, label, selected}] of the kinds; [{value, selected}] of the
 * common time zones with current among them. */
json_t *cal_kind_choices(const char *selected);
json_t *cal_zone_choices(const char *current);

#endif
