/*
 * parties.c -- see calendar.h: calendar_parties_module, the working
 * parties' meetings.  A party's meetings are calendar meetings (kind
 * 'party', party_id set): its chairs and the secretariat (party.manage,
 * registered by parties/team.c) add, change and delete them under
 * /working-parties/:slug/meetings while the party is active (409
 * otherwise); the party's page lists them through a struct party_source
 * (core/http.h; the parties module gathers it, parties cannot include
 * the calendar) and each focal area's page those of the area through a
 * struct focal_source.
 *
 * The interim schedule of issue 13 (party_meetings) is taken over once
 * by this module's start (serve and worker, with the database up to
 * date): every row becomes a meeting and is deleted, in one transaction
 * (db_begin: the writers' turn, on PostgreSQL the advisory lock, so two
 * nodes starting at once move each row once; the second finds none).
 * The form is a small copy of the desk's (desk.c keeps its helpers
 * static): one meeting, no recurrence (a series the secretariat set
 * keeps its rule).
 */
#include "desk_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"

/* What a party's page shows at most: the next occurrences, the latest
 * past ones of the last 400 days; how far it looks each way (seconds). */
#define UPCOMING_SHOWN 10
#define PAST_SHOWN 5
#define AREA_SHOWN 5
#define AHEAD (100 * 366 * 86400LL) /* every upcoming one */
#define BEHIND (400 * 86400LL)
/* The zone of an interim entry that had no time (and so no zone): the
 * seat of UNODC and the CCPCJ, where the Alliance's secretariat works. */
#define TAKEOVER_ZONE "Europe/Vienna"
/* Rows one take-over transaction moves at most (start runs it until
 * none is left). */
#define TAKEOVER_BATCH 200

enum stmt_parties {
	P_PARTY,
	P_OF_PARTY,
	P_OF_AREA,
	P_INSERT,
	P_UPDATE,
	P_DELETE,
	P_OLD,
	P_OLD_DELETE,
	P_PARTIES__MAX,
};

#define P_COLS                                                                 \
	"SELECT m.id, m.slug, m.title, m.time_zone, m.all_day,"                \
	" m.starts_local, m.ends_local, m.rrule, m.status, m.place,"           \
	" (SELECT count(*) FROM meeting_minutes mm"                            \
	"  WHERE mm.meeting_id = m.id) AS minutes FROM meetings m"

static const char *const parties_sql_text[P_PARTIES__MAX] = {
	[P_PARTY] = "SELECT id, slug, name, state FROM parties WHERE slug = ?"
		    " AND state IN ('active', 'dissolved', 'archived')",
	/* binds: viewer (3), the party, from, to */
	[P_OF_PARTY] = P_COLS " WHERE " CAL_VISIBLE("m")
			      " AND m.party_id = ?"
			      " AND (m.last_ends_utc IS NULL"
			      " OR m.last_ends_utc > ?) AND m.starts_utc < ?"
			      " ORDER BY m.starts_utc, m.id LIMIT 200",
	[P_OF_AREA] = P_COLS " JOIN meeting_focal_areas mf"
			     " ON mf.meeting_id = m.id WHERE " CAL_VISIBLE("m")
			     " AND mf.focal_area_id = ?"
			     " AND (m.last_ends_utc IS NULL"
			     " OR m.last_ends_utc > ?) AND m.starts_utc < ?"
			     " ORDER BY m.starts_utc, m.id LIMIT 200",
	[P_INSERT] = "INSERT INTO meetings (slug, uid, title, kind, party_id,"
		     " time_zone, all_day, starts_local, ends_local,"
		     " starts_utc, ends_utc, last_ends_utc, place, mode,"
		     " online_url, agenda_md, visibility, registration,"
		     " capacity, created_by, created_at, updated_at)"
		     " VALUES (?, ?, ?, 'party', ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		     " ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[P_UPDATE] = "UPDATE meetings SET title = ?, time_zone = ?,"
		     " all_day = ?, starts_local = ?, ends_local = ?,"
		     " starts_utc = ?, ends_utc = ?, last_ends_utc = ?,"
		     " place = ?, mode = ?, online_url = ?, agenda_md = ?,"
		     " visibility = ?, registration = ?, capacity = ?,"
		     " sequence = sequence + 1, updated_at = ?"
		     " WHERE id = ? AND party_id = ?",
	[P_DELETE] = "DELETE FROM meetings WHERE id = ? AND party_id = ?",
	[P_OLD] = "SELECT id, party_id, title, starts_on, starts_at_time,"
		  " time_zone, place, note_md, visibility, created_by,"
		  " created_at FROM party_meetings ORDER BY id LIMIT ?",
	[P_OLD_DELETE] = "DELETE FROM party_meetings WHERE id = ?",
};

static struct db_sql parties_sql = {"calendar-parties", parties_sql_text,
				    P_PARTIES__MAX, 0};

/* ---- the lists: the party's page, a focal area's page ---- */

/* The occurrences of the meetings of statement st (bound) in [from, to):
 * {title, href, context, at} each, in order of start; NULL on error. */
static json_t *
occurrences(struct req *r, struct db_stmt *st, int64_t from, int64_t to)
{
	struct recur_occurrence occ[UPCOMING_SHOWN + PAST_SHOWN];
	json_t *rows = db_all_json(st), *m, *out;
	size_t i;

	if (rows == NULL)
		return NULL;
	out = json_array();
	json_array_foreach(rows, i, m) {
		struct recur_series s;
		size_t n;

		if (cal_series_of(r, m, &s) != 0) {
			json_decref(rows);
			json_decref(out);
			return NULL;
		}
		if (recur_expand(&s, from, to, occ, ARRAY_LEN(occ), &n) < 0)
			continue; /* not well formed: not shown */
		for (size_t k = 0; k < n; k++) {
			const char *when = cal_span_text(
				r->arena, occ[k].starts_local,
				occ[k].ends_local);
			const char *place = desk_str(m, "place");
			const char *ctx = arena_printf(
				r->arena, "%s (%s)%s%s%s%s", when,
				desk_str(m, "time_zone"),
				place && *place ? " · " : "",
				place && *place ? place : "",
				occ[k].cancelled ? " · " : "",
				occ[k].cancelled ? _("Cancelled") : "");

			if (json_integer_value(json_object_get(m, "minutes")) >
				    0 &&
			    occ[k].ends_utc <= clock_now())
				ctx = arena_printf(r->arena, "%s · %s", ctx,
						   _("Minutes"));
			json_array_append_new(
				out,
				json_pack("{s:s?,s:s+,s:s,s:I}", "title",
					  desk_str(m, "title"), "href",
					  "/calendar/", desk_str(m, "slug"),
					  "context", ctx, "at",
					  (json_int_t)occ[k].starts_utc));
		}
	}
	json_decref(rows);
	/* by start (json arrays have no sort: a simple insertion sort on
	 * the few items shown) */
	for (size_t a = 1; a < json_array_size(out); a++)
		for (size_t b = a; b > 0; b--) {
			json_t *x = json_array_get(out, b - 1),
			       *y = json_array_get(out, b);

			if (json_integer_value(json_object_get(x, "at")) <=
			    json_integer_value(json_object_get(y, "at")))
				break;
			json_incref(x);
			json_array_set(out, b - 1, y);
			json_array_set_new(out, b, x);
		}
	return out;
}

/* The upcoming and the past occurrences of what statement s lists for
 * key (a party's or an area's id) as r's viewer may see them. */
static int
lists_of(struct req *r, enum stmt_parties s, int64_t key, json_t **up,
	 json_t **past)
{
	struct cal_viewer v;
	int64_t now = clock_now();
	struct db_stmt *st;

	*up = *past = NULL;
	if (cal_viewer_read(r, &v) != 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		int64_t from = k ? now - BEHIND : now,
			to = k ? now : now + AHEAD;

		if ((st = db_stmt(r->db, &parties_sql, s)) == NULL)
			return -1;
		cal_bind_viewer(st, 1, &v);
		db_bind_int(st, 4, key);
		db_bind_int(st, 5, from);
		db_bind_int(st, 6, to);
		if ((*(k ? past : up) = occurrences(r, st, from, to)) == NULL) {
			json_decref(*up);
			*up = NULL;
			return -1;
		}
	}
	return 0;
}

/* Keeps the first n items of a (or the last n, reversed: the latest
 * past first). */
static json_t *
first_of(json_t *a, size_t n, int latest)
{
	json_t *out = json_array();
	size_t len = json_array_size(a);

	for (size_t i = 0; i < n && i < len; i++)
		json_array_append(out,
				  json_array_get(a, latest ? len - 1 - i : i));
	json_decref(a);
	return out;
}

/* The party's page's meetings (struct party_source). */
static int
party_section(struct req *r, int64_t party_id, const char *slug, int manages,
	      int open, json_t *section)
{
	json_t *up, *past, *groups = json_array();

	if (lists_of(r, P_OF_PARTY, party_id, &up, &past) != 0) {
		json_decref(groups);
		return -1;
	}
	up = first_of(up, UPCOMING_SHOWN, 0);
	past = first_of(past, PAST_SHOWN, 1);
	if (json_array_size(up))
		json_array_append_new(groups, json_pack("{s:s,s:o}", "label",
							_("Upcoming"), "items",
							up));
	else
		json_decref(up);
	if (json_array_size(past))
		json_array_append_new(groups,
				      json_pack("{s:s,s:o}", "label",
						_("Recent past meetings"),
						"items", past));
	else
		json_decref(past);
	json_object_set_new(section, "groups", groups);
	json_object_set_new(section, "empty",
			    json_string(_("No meeting is scheduled.")));
	json_object_set_new(
		section, "actions",
		json_pack("[{s:s,s:s+}]", "label", _("All its meetings"),
			  "href", "/calendar?party=", slug));
	if (manages && open)
		json_array_append_new(
			json_object_get(section, "actions"),
			json_pack("{s:s,s:s++}", "label", _("Add a meeting"),
				  "href", "/working-parties/", slug,
				  "/meetings/new"));
	return 0;
}

/* A focal area's meetings (struct focal_source): the next ones, then
 * the latest past ones (with "Minutes" when there are some). */
static int
area_items(struct req *r, int64_t area, json_t *items)
{
	json_t *up, *past, *o;
	size_t i;

	if (lists_of(r, P_OF_AREA, area, &up, &past) != 0)
		return -1;
	up = first_of(up, AREA_SHOWN, 0);
	past = first_of(past, AREA_SHOWN, 1);
	json_array_extend(up, past);
	json_array_foreach(up, i, o) {
		json_object_set(o, "date", json_object_get(o, "at"));
		json_object_del(o, "at");
		json_array_append(items, o);
	}
	json_decref(up);
	json_decref(past);
	return 0;
}

/* ---- the chairs' forms ---- */

/* The party of route parameter slug (id, name, state) in *p: 0, or 1
 * with a 404 answered, or -1 with a 500. */
static int
party_or_respond(struct req *r, struct resp *w, json_t **p)
{
	struct db_stmt *st = db_stmt(r->db, &parties_sql, P_PARTY);

	*p = NULL;
	if (st == NULL) {
		resp_fail(r, w, NULL);
		return -1;
	}
	db_bind_text(st, 1, req_param(r, "slug"));
	if ((*p = db_one_json(st)) == NULL) {
		if (db_lost(r->db)) {
			resp_fail(r, w, NULL);
			return -1;
		}
		resp_error(w, 404, _("There is no such working party."));
		return 1;
	}
	if (strcmp(desk_str(*p, "state"), "active") != 0) {
		resp_error(w, 409,
			   _("This working party is no longer active: its "
			     "meetings cannot be changed."));
		json_decref(*p);
		*p = NULL;
		return 1;
	}
	return 0;
}

/* The meeting of route parameter meeting, of party p, in *m: 0, or 1
 * with a 404 answered, or -1 with a 500. */
static int
meeting_or_respond(struct req *r, struct resp *w, json_t *p, json_t **m)
{
	int rc = cal_meeting_load(r, req_param(r, "meeting"), m);

	if (rc < 0) {
		resp_fail(r, w, NULL);
		return -1;
	}
	if (rc == 0 && json_integer_value(json_object_get(*m, "party_id")) ==
			       json_integer_value(json_object_get(p, "id")))
		return 0;
	if (rc == 0)
		json_decref(*m);
	*m = NULL;
	resp_error(w, 404, _("There is no such meeting."));
	return 1;
}

/* A field's text, NULL when absent or empty. */
static const char *
text(struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present && *v->str ? v->str : NULL;
}

/* The form (copied in small from desk.c's form_page): input from what
 * was sent, else from meeting m (NULL: a new one). */
static void
form_page(struct req *r, struct resp *w, int status, json_t *p, json_t *m)
{
	json_t *in = json_object(), *model;
	const char *sl = m ? desk_str(m, "starts_local") : NULL,
		   *el = m ? desk_str(m, "ends_local") : NULL;
	int all_day = m ? json_is_true(json_object_get(m, "all_day")) ||
				  json_integer_value(
					  json_object_get(m, "all_day")) == 1
			: 0;
	static const char *const names[] = {
		"title",     "time_zone", "starts_date", "starts_time",
		"ends_date", "ends_time", "place",	 "mode",
		"online_url", "agenda",	  "visibility",	 "registration",
		"capacity",  NULL};

	if (r->input) {
		for (size_t i = 0; names[i]; i++) {
			const struct value *v = req_value(r, names[i]);

			if (v->present)
				json_object_set_new(in, names[i],
						    json_string(v->str));
		}
		all_day = req_value(r, "all_day")->num != 0;
	} else if (m) {
		json_object_set(in, "title", json_object_get(m, "title"));
		json_object_set(in, "time_zone",
				json_object_get(m, "time_zone"));
		json_object_set(in, "place", json_object_get(m, "place"));
		json_object_set(in, "mode", json_object_get(m, "mode"));
		json_object_set(in, "online_url",
				json_object_get(m, "online_url"));
		json_object_set(in, "agenda", json_object_get(m, "agenda_md"));
		json_object_set(in, "visibility",
				json_object_get(m, "visibility"));
		json_object_set(in, "registration",
				json_object_get(m, "registration"));
		if (json_is_integer(json_object_get(m, "capacity")))
			json_object_set_new(
				in, "capacity",
				json_sprintf("%lld",
					     (long long)json_integer_value(
						     json_object_get(
							     m, "capacity"))));
		if (sl) {
			json_object_set_new(in, "starts_date",
					    json_stringn(sl, 10));
			if (strlen(sl) >= 16)
				json_object_set_new(in, "starts_time",
						    json_stringn(sl + 11, 5));
		}
		if (el) {
			json_object_set_new(in, "ends_date",
					    json_stringn(el, 10));
			if (strlen(el) >= 16)
				json_object_set_new(in, "ends_time",
						    json_stringn(el + 11, 5));
		}
	} else {
		json_object_set_new(in, "time_zone",
				    json_string(TAKEOVER_ZONE));
		json_object_set_new(in, "mode", json_string("in-person"));
		json_object_set_new(in, "visibility", json_string("team"));
		json_object_set_new(in, "registration", json_string("none"));
	}
	model = json_pack(
		"{s:O,s:o,s:b,s:o,s:o,s:o,s:o,s:s}", "party", p, "input", in,
		"all_day", all_day, "zones",
		cal_zone_choices(desk_str(in, "time_zone")), "modes",
		desk_options(cal_modes, cal_mode_labels, desk_str(in, "mode")),
		"visibilities",
		desk_options(cal_visibilities, cal_visibility_labels,
			desk_str(in, "visibility")),
		"registrations",
		desk_options(cal_registrations, cal_registration_labels,
			desk_str(in, "registration")),
		"action",
		m ? arena_printf(r->arena, "/working-parties/%s/meetings/%s",
				 req_param(r, "slug"), desk_str(m, "slug"))
		  : arena_printf(r->arena, "/working-parties/%s/meetings",
				 req_param(r, "slug")));
	if (m) {
		json_object_set(model, "meeting", m);
		json_object_set_new(
			model, "delete_action",
			json_sprintf("/working-parties/%s/meetings/%s/delete",
				     req_param(r, "slug"), desk_str(m, "slug")));
	}
	json_object_set_new(model, "errors",
			    r->errors ? json_incref(r->errors) : json_object());
	resp_form_errors(model, r->errors);
	resp_page(w, status, "calendar/templates/party_form.html",
		  m ? _("Change a meeting") : _("Add a meeting"), model);
	json_decref(m);
}

/* What the form sent, checked. */
struct sent {
	const char *title, *tz, *starts_local, *ends_local, *place, *mode,
		*online_url, *agenda, *visibility, *registration;
	int all_day;
	int64_t capacity; /* -1: none */
	int64_t a, b, last;
	int has_last;
};

/* local from a date and a time field (all day: the date alone), normal
 * form; NULL with an error on the form. */
static const char *
local_of(struct req *r, const char *df, const char *tf, int all_day)
{
	const char *d = text(r, df), *t = text(r, tf);
	char out[RECUR_LOCAL_LEN];
	const char *local;

	if (d == NULL) {
		req_error(r, df, _("Give the date."));
		return NULL;
	}
	if (!all_day && t == NULL) {
		req_error(r, tf,
			  _("Give the time, such as 10:00, or tick \"All "
			    "day\"."));
		return NULL;
	}
	local = all_day ? d : arena_printf(r->arena, "%sT%s", d, t);
	if (recur_local_normal(local, all_day, out) != 0) {
		req_error(r, all_day ? df : tf,
			  all_day ? _("Give the date as YYYY-MM-DD.")
				  : _("Give the time as HH:MM, such as 10:00."));
		return NULL;
	}
	return arena_strdup(r->arena, out);
}

/* Reads the form into *s; rs the series to bound (m's rule and
 * exceptions kept when changing).  0 when valid, 1 when not. */
static int
sent_read(struct req *r, struct sent *s, struct recur_series *rs)
{
	const struct value *v = req_value(r, "capacity");

	memset(s, 0, sizeof *s);
	s->title = text(r, "title");
	s->tz = text(r, "time_zone");
	s->all_day = req_value(r, "all_day")->num != 0;
	s->place = text(r, "place");
	s->mode = text(r, "mode");
	s->online_url = text(r, "online_url");
	s->agenda = text(r, "agenda");
	s->visibility = text(r, "visibility");
	s->registration = text(r, "registration");
	s->capacity = v->present ? v->num : -1;
	if (s->tz && !recur_zone_ok(s->tz)) {
		req_error(r, "time_zone",
			  _("Choose a time zone such as Europe/Vienna."));
		s->tz = NULL;
	}
	if (s->online_url && strncmp(s->online_url, "https://", 8) != 0)
		req_error(r, "online_url",
			  _("The online link must begin with https://."));
	s->starts_local = local_of(r, "starts_date", "starts_time", s->all_day);
	s->ends_local = text(r, "ends_date") || text(r, "ends_time")
				? local_of(r, "ends_date", "ends_time",
					   s->all_day)
				: s->starts_local;
	if (r->errors == NULL) {
		rs->tzid = s->tz;
		rs->all_day = s->all_day;
		rs->starts_local = s->starts_local;
		rs->ends_local = s->ends_local;
		if (recur_bounds(rs, &s->a, &s->b, &s->last, &s->has_last) !=
		    0)
			req_error(r, "starts_date",
				  _("These times do not make a meeting in "
				    "this time zone."));
		else if (s->b < s->a)
			req_error(r, "ends_date",
				  _("The end must come after the start."));
	}
	return r->errors ? 1 : 0;
}

/* The audit's view of what was sent. */
static json_t *
sent_json(const struct sent *s)
{
	return json_pack("{s:s?,s:s?,s:b,s:s?,s:s?,s:s?,s:s?,s:s?}", "title",
			 s->title, "time_zone", s->tz, "all_day", s->all_day,
			 "starts_local", s->starts_local, "ends_local",
			 s->ends_local, "place", s->place, "visibility",
			 s->visibility, "registration", s->registration);
}

/* Inserts a party meeting (the take-over and the form share it); its id
 * in *id, its slug in slug.  0 or -1. */
static int
insert(struct db *db, int64_t party, const struct sent *s,
       int64_t created_by, int64_t now, char slug[SLUG_MAX], int64_t *id)
{
	unsigned char rnd[8];
	char uid[160];
	struct db_stmt *st;
	int i = 1;

	if (cal_new_slug(db, s->title, s->starts_local, slug) != 0 ||
	    (st = db_stmt(db, &parties_sql, P_INSERT)) == NULL)
		return -1;
	randombytes_buf(rnd, sizeof rnd);
	snprintf(uid, sizeof uid, "%02x%02x%02x%02x%02x%02x%02x%02x-%s",
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6],
		 rnd[7], slug);
	db_bind_text(st, i++, slug);
	db_bind_text(st, i++, uid);
	db_bind_text(st, i++, s->title);
	db_bind_int(st, i++, party);
	db_bind_text(st, i++, s->tz);
	db_bind_int(st, i++, s->all_day);
	db_bind_text(st, i++, s->starts_local);
	db_bind_text(st, i++, s->ends_local);
	db_bind_int(st, i++, s->a);
	db_bind_int(st, i++, s->b);
	desk_bind_n(st, i++, s->has_last ? s->last : -1);
	db_bind_text(st, i++, s->place ? s->place : "");
	db_bind_text(st, i++, s->mode ? s->mode : "in-person");
	db_bind_text(st, i++, s->online_url);
	db_bind_text(st, i++, s->agenda ? s->agenda : "");
	db_bind_text(st, i++, s->visibility ? s->visibility : "public");
	db_bind_text(st, i++, s->registration ? s->registration : "none");
	desk_bind_n(st, i++, s->capacity);
	desk_bind_n(st, i++, created_by > 0 ? created_by : -1);
	db_bind_int(st, i++, now);
	db_bind_int(st, i++, now);
	if (db_run(st) != 0)
		return -1;
	*id = db_last_id(db);
	return 0;
}

/* GET /working-parties/:slug/meetings: the party's meetings are the
 * calendar's, filtered (the path the interim schedule had). */
static void
meetings_all(struct req *r, struct resp *w)
{
	resp_redirect(w, arena_printf(r->arena, "/calendar?party=%s",
				      req_param(r, "slug")));
}

/* GET /working-parties/:slug/meetings/new */
static void
meeting_new(struct req *r, struct resp *w)
{
	json_t *p;

	if (party_or_respond(r, w, &p) != 0)
		return;
	form_page(r, w, 200, p, NULL);
	json_decref(p);
}

/* GET /working-parties/:slug/meetings/:meeting/edit */
static void
meeting_edit(struct req *r, struct resp *w)
{
	json_t *p, *m;

	if (party_or_respond(r, w, &p) != 0)
		return;
	if (meeting_or_respond(r, w, p, &m) == 0)
		form_page(r, w, 200, p, m);
	json_decref(p);
}

/* POST /working-parties/:slug/meetings: a new meeting of the party,
 * then the party's page; the form again (422) on bad input. */
static void
meeting_create(struct req *r, struct resp *w)
{
	struct sent s;
	struct recur_series rs = {0};
	char slug[SLUG_MAX];
	int64_t id;
	json_t *p;

	if (party_or_respond(r, w, &p) != 0)
		return;
	if (sent_read(r, &s, &rs) != 0) {
		form_page(r, w, 422, p, NULL);
		json_decref(p);
		return;
	}
	if (db_begin(r->db) != 0 ||
	    insert(r->db, json_integer_value(json_object_get(p, "id")), &s,
		   r->person->id, clock_now(), slug, &id) != 0 ||
	    audit_record_new(r->db, r->person->id, "meeting.create",
			     "meeting", slug, NULL, sent_json(&s),
			     r->client) != 0 ||
	    db_commit(r->db) != 0) {
		json_decref(p);
		return resp_fail(r, w, NULL);
	}
	resp_redirect(w, arena_printf(r->arena, "/working-parties/%s#meetings-h",
				      req_param(r, "slug")));
	json_decref(p);
}

/* POST /working-parties/:slug/meetings/:meeting: changes it. */
static void
meeting_update(struct req *r, struct resp *w)
{
	struct sent s;
	struct recur_series rs;
	struct db_stmt *st;
	json_t *p, *m;
	int i = 1, told;

	if (party_or_respond(r, w, &p) != 0)
		return;
	if (meeting_or_respond(r, w, p, &m) != 0) {
		json_decref(p);
		return;
	}
	if (cal_series_of(r, m, &rs) != 0) {
		json_decref(p);
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	if (sent_read(r, &s, &rs) != 0) {
		form_page(r, w, 422, p, m);
		json_decref(p);
		return;
	}
	/* the rule is the secretariat's: this form keeps it */
	told = desk_changed_for_people(m, s.tz, s.starts_local, s.ends_local,
				       desk_str(m, "rrule"), s.place, s.mode,
				       s.online_url);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &parties_sql, P_UPDATE)) == NULL)
		goto fail;
	db_bind_text(st, i++, s.title);
	db_bind_text(st, i++, s.tz);
	db_bind_int(st, i++, s.all_day);
	db_bind_text(st, i++, s.starts_local);
	db_bind_text(st, i++, s.ends_local);
	db_bind_int(st, i++, s.a);
	db_bind_int(st, i++, s.b);
	desk_bind_n(st, i++, s.has_last ? s.last : -1);
	db_bind_text(st, i++, s.place ? s.place : "");
	db_bind_text(st, i++, s.mode ? s.mode : "in-person");
	db_bind_text(st, i++, s.online_url);
	db_bind_text(st, i++, s.agenda ? s.agenda : "");
	db_bind_text(st, i++, s.visibility ? s.visibility : "public");
	db_bind_text(st, i++, s.registration ? s.registration : "none");
	desk_bind_n(st, i++, s.capacity);
	db_bind_int(st, i++, clock_now());
	db_bind_int(st, i++, json_integer_value(json_object_get(m, "id")));
	db_bind_int(st, i++, json_integer_value(json_object_get(p, "id")));
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "meeting.change", "meeting",
			     desk_str(m, "slug"), NULL, sent_json(&s),
			     r->client) != 0 ||
	    (told && desk_tell(r, desk_str(m, "slug"), "", CAL_TELL_CHANGED) !=
			     0) ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena, "/working-parties/%s#meetings-h",
				      req_param(r, "slug")));
	json_decref(p);
	json_decref(m);
	return;
fail:
	json_decref(p);
	json_decref(m);
	resp_fail(r, w, NULL);
}

/* POST /working-parties/:slug/meetings/:meeting/delete */
static void
meeting_delete(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	json_t *p, *m;
	int bad;

	if (party_or_respond(r, w, &p) != 0)
		return;
	if (meeting_or_respond(r, w, p, &m) != 0) {
		json_decref(p);
		return;
	}
	/* the people registered are told first: the registrations go with
	 * the meeting */
	bad = db_begin(r->db) != 0 ||
	      cal_tell_registered(r, m, "", CAL_TELL_CANCELLED) < 0 ||
	      (st = db_stmt(r->db, &parties_sql, P_DELETE)) == NULL;
	if (!bad) {
		db_bind_int(st, 1, json_integer_value(json_object_get(m, "id")));
		db_bind_int(st, 2, json_integer_value(json_object_get(p, "id")));
		bad = db_run(st) != 0 ||
		      audit_record_new(
			      r->db, r->person->id, "meeting.delete", "meeting",
			      desk_str(m, "slug"),
			      json_pack("{s:O}", "title",
					json_object_get(m, "title")),
			      NULL, r->client) != 0 ||
		      db_commit(r->db) != 0;
	}
	json_decref(p);
	json_decref(m);
	if (bad)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena, "/working-parties/%s#meetings-h",
				      req_param(r, "slug")));
}

/* ---- the take-over of the interim schedule ---- */

/* Moves one batch of party_meetings rows into meetings in one
 * transaction: the number moved, or -1. */
static int
takeover_batch(struct db *db)
{
	struct db_stmt *st;
	json_t *rows, *row;
	size_t i;
	int moved = 0;

	if (db_begin(db) != 0)
		return -1;
	if ((st = db_stmt(db, &parties_sql, P_OLD)) == NULL)
		goto fail;
	db_bind_int(st, 1, TAKEOVER_BATCH);
	if ((rows = db_all_json(st)) == NULL)
		goto fail;
	json_array_foreach(rows, i, row) {
		const char *time = desk_str(row, "starts_at_time"),
			   *zone = desk_str(row, "time_zone"),
			   *on = desk_str(row, "starts_on");
		char local[RECUR_LOCAL_LEN], slug[SLUG_MAX];
		struct recur_series rs = {0};
		struct sent s = {0};
		int64_t id;
		json_t *by = json_object_get(row, "created_by");

		s.title = desk_str(row, "title");
		s.place = desk_str(row, "place");
		s.agenda = desk_str(row, "note_md");
		s.visibility = desk_str(row, "visibility");
		s.capacity = -1;
		s.tz = zone && recur_zone_ok(zone) ? zone : TAKEOVER_ZONE;
		/* a time (and a known zone): a meeting at that time;
		 * otherwise the day, all day */
		if (time && *time && on &&
		    snprintf(local, sizeof local, "%.10sT%.5s", on, time) > 0 &&
		    recur_local_normal(local, 0, local) == 0)
			s.all_day = 0;
		else if (on && recur_local_normal(on, 1, local) == 0)
			s.all_day = 1;
		else {
			log_error("calendar: interim meeting %lld has no "
				  "readable date (%s); left in party_meetings",
				  (long long)json_integer_value(
					  json_object_get(row, "id")),
				  on ? on : "none");
			continue;
		}
		s.starts_local = s.ends_local = local;
		rs.tzid = s.tz;
		rs.all_day = s.all_day;
		rs.starts_local = rs.ends_local = local;
		if (s.title == NULL ||
		    recur_bounds(&rs, &s.a, &s.b, &s.last, &s.has_last) != 0) {
			log_error("calendar: interim meeting %lld is not "
				  "well formed; left in party_meetings",
				  (long long)json_integer_value(
					  json_object_get(row, "id")));
			continue;
		}
		if (insert(db, json_integer_value(json_object_get(row,
								  "party_id")),
			   &s, json_is_integer(by) ? json_integer_value(by) : 0,
			   json_integer_value(json_object_get(row,
							      "created_at")),
			   slug, &id) != 0 ||
		    (st = db_stmt(db, &parties_sql, P_OLD_DELETE)) == NULL) {
			json_decref(rows);
			goto fail;
		}
		db_bind_int(st, 1,
			    json_integer_value(json_object_get(row, "id")));
		if (db_run(st) != 0) {
			json_decref(rows);
			goto fail;
		}
		moved++;
	}
	json_decref(rows);
	if (db_commit(db) != 0)
		return -1;
	return moved;
fail:
	db_rollback(db);
	return -1;
}

/* The module's start: takes the interim schedule over (see the top). */
static int
parties_start(struct db *db, int64_t now)
{
	int n, total = 0;

	(void)now;
	while ((n = takeover_batch(db)) > 0)
		total += n;
	if (n < 0) {
		log_error("calendar: the working parties' interim meetings "
			  "could not be taken over");
		return -1;
	}
	if (total)
		log_info("calendar: %d interim meeting(s) of working parties "
			 "moved into the calendar", total);
	return 0;
}

static const struct field form_fields[] = {
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Title of the meeting")},
	{.name = "time_zone",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 64,
	 .label = N_("Time zone")},
	{.name = "all_day", .type = FT_BOOL, .label = N_("All day")},
	{.name = "starts_date", .type = FT_DATE, .label = N_("Start date")},
	{.name = "starts_time", .type = FT_TEXT, .maxlen = 8,
	 .label = N_("Start time")},
	{.name = "ends_date", .type = FT_DATE, .label = N_("End date")},
	{.name = "ends_time", .type = FT_TEXT, .maxlen = 8,
	 .label = N_("End time")},
	{.name = "place", .type = FT_TEXT, .maxlen = 300, .label = N_("Place")},
	{.name = "mode",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = cal_modes,
	 .label = N_("Mode")},
	{.name = "online_url",
	 .type = FT_URL,
	 .maxlen = 500,
	 .label = N_("Online link")},
	{.name = "agenda",
	 .type = FT_TEXTAREA,
	 .maxlen = 40000,
	 .label = N_("Agenda")},
	{.name = "visibility",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = cal_visibilities,
	 .label = N_("Who may see it")},
	{.name = "registration",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = cal_registrations,
	 .label = N_("Who may register")},
	{.name = "capacity",
	 .type = FT_INT,
	 .min = 1,
	 .max = 100000,
	 .label = N_("Capacity")},
	{0},
};

#define MANAGE                                                                 \
	.action = "party.manage", .object_type = "party", .object_param = "slug"

static const struct route parties_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/meetings",
	 .who = ACCESS_PUBLIC,
	 .handler = meetings_all,
	 .summary = "A party's meetings: the calendar, filtered to the party"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/meetings/new",
	 .who = ACCESS_MEMBER,
	 .handler = meeting_new,
	 .flags = ROUTE_FORM,
	 .summary = "The form to add a meeting of a working party",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/meetings",
	 .who = ACCESS_MEMBER,
	 .fields = form_fields,
	 .handler = meeting_create,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Adds a meeting of a working party to the calendar",
	 MANAGE},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/meetings/:meeting/edit",
	 .who = ACCESS_MEMBER,
	 .handler = meeting_edit,
	 .flags = ROUTE_FORM,
	 .summary = "The form to change or delete a meeting of a working "
		    "party",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/meetings/:meeting",
	 .who = ACCESS_MEMBER,
	 .fields = form_fields,
	 .handler = meeting_update,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Changes a meeting of a working party",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/meetings/:meeting/delete",
	 .who = ACCESS_MEMBER,
	 .handler = meeting_delete,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Deletes a meeting of a working party",
	 MANAGE},
};

static const struct party_source party_sources[] = {
	{.kind = "meetings",
	 .heading = N_("Meetings"),
	 .order = 10,
	 .section = party_section},
};

static const struct focal_source focal_sources[] = {
	{.kind = "meeting",
	 .heading = N_("Meetings"),
	 .order = 30,
	 .items = area_items},
};

const struct module calendar_parties_module = {
	.name = "calendar-parties",
	.routes = parties_routes,
	.nroutes = ARRAY_LEN(parties_routes),
	.sql = &parties_sql,
	.start = parties_start,
	.party = party_sources,
	.nparty = ARRAY_LEN(party_sources),
	.focal = focal_sources,
	.nfocal = ARRAY_LEN(focal_sources),
};
