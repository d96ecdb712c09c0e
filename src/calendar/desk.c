/*
 * desk.c -- see calendar.h.  The secretariat's calendar: the meetings,
 * the newest first; a form to enter one or change it (its recurrence as a
 * simple choice made into an RRULE from the start, or a raw RRULE for
 * experts, checked by libical); a meeting deleted (a meeting's page and
 * its occurrences are desk_occurrence.c's).  Every write is one
 * transaction with its audit record; it adds one to the meeting's
 * sequence, sets updated_at (the feeds tell calendars of the change by
 * them), derives the *_utc columns again with recur.c, and tells the
 * people registered of what concerns them (cal_tell_registered).
 */
#include "desk_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/util.h"
#include "parties/parties.h"

enum stmt_desk {
	D_LIST,
	D_BODIES,
	D_SESSIONS,
	D_PARTIES,
	D_AREAS,
	D_AREAS_OF,
	D_BODY_ID,
	D_PARTY_ID,
	D_PARENT_ID,
	D_INSERT,
	D_UPDATE,
	D_AREAS_CLEAR,
	D_AREA_ADD,
	D_DELETE,
	D_OVERRIDE_UTC,
	D_DESK__MAX,
};

static const char *const desk_sql_text[D_DESK__MAX] = {
	[D_LIST] = "SELECT m.slug, m.title, m.kind, m.starts_local,"
		   " m.ends_local, m.time_zone, m.status, m.visibility,"
		   " m.rrule, m.history, b.acronym AS body_acronym"
		   " FROM meetings m LEFT JOIN bodies b ON b.id = m.body_id"
		   " ORDER BY m.starts_utc DESC, m.id DESC LIMIT ? OFFSET ?",
	[D_BODIES] = "SELECT slug, name, acronym FROM bodies"
		     " ORDER BY name, id",
	[D_SESSIONS] = "SELECT slug, title, starts_local FROM meetings"
		       " WHERE kind = 'session'"
		       " ORDER BY starts_utc DESC, id DESC LIMIT 200",
	[D_PARTIES] = "SELECT slug, name FROM parties"
		      " WHERE state IN " PARTY_SHOWN_STATES
		      " ORDER BY name, id",
	[D_AREAS] = "SELECT slug, name FROM focal_areas ORDER BY position, id",
	[D_AREAS_OF] = "SELECT fa.slug FROM meeting_focal_areas mf"
		       " JOIN focal_areas fa ON fa.id = mf.focal_area_id"
		       " WHERE mf.meeting_id = ?",
	[D_BODY_ID] = "SELECT id FROM bodies WHERE slug = ?",
	[D_PARTY_ID] = "SELECT id FROM parties WHERE slug = ?",
	[D_PARENT_ID] = "SELECT id FROM meetings WHERE slug = ?"
			" AND kind = 'session'",
	[D_INSERT] = "INSERT INTO meetings (slug, uid, title, kind, body_id,"
		     " session_number, parent_id, party_id, time_zone,"
		     " all_day, starts_local, ends_local, starts_utc,"
		     " ends_utc, rrule, last_ends_utc, place, mode,"
		     " online_url, agenda_md, status, visibility,"
		     " registration, capacity, registration_closes_utc,"
		     " created_by, created_at, updated_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		     " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	[D_UPDATE] = "UPDATE meetings SET title = ?, kind = ?, body_id = ?,"
		     " session_number = ?, parent_id = ?, party_id = ?,"
		     " time_zone = ?, all_day = ?, starts_local = ?,"
		     " ends_local = ?, starts_utc = ?, ends_utc = ?,"
		     " rrule = ?, last_ends_utc = ?, place = ?, mode = ?,"
		     " online_url = ?, agenda_md = ?, status = ?,"
		     " visibility = ?, registration = ?, capacity = ?,"
		     " registration_closes_utc = ?,"
		     " sequence = sequence + 1, updated_at = ? WHERE id = ?",
	[D_AREAS_CLEAR] = "DELETE FROM meeting_focal_areas WHERE meeting_id = ?",
	[D_AREA_ADD] = "INSERT INTO meeting_focal_areas (meeting_id,"
		       " focal_area_id) SELECT ?, id FROM focal_areas"
		       " WHERE slug = ?",
	[D_DELETE] = "DELETE FROM meetings WHERE id = ?",
	[D_OVERRIDE_UTC] = "UPDATE meeting_overrides SET starts_utc = ?,"
			   " ends_utc = ? WHERE meeting_id = ?"
			   " AND recurrence_local = ?",
};

static struct db_sql desk_sql = {"calendar-desk", desk_sql_text,
				 D_DESK__MAX, 0};

#define PAGE_SIZE 30

void
desk_read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The calendar could not be read."));
}

const char *
desk_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The text of a present field, or NULL. */
const char *
desk_text(struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present ? v->str : NULL;
}

/* [{value, label, selected}] of values and labels (N_). */
json_t *
desk_options(const char *const *values, const char *const *labels,
	const char *current)
{
	json_t *a = json_array();

	for (size_t i = 0; values[i]; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:b}", "value", values[i],
				     "label", _(labels[i]), "selected",
				     current && !strcmp(current, values[i])));
	return a;
}

/* The rows of statement s with the slug `current` marked selected (or,
 * for areas, those in `chosen`). */
static json_t *
rows_marked(struct req *r, enum stmt_desk s, const char *current)
{
	struct db_stmt *st = db_stmt(r->db, &desk_sql, s);
	json_t *rows = st ? db_all_json(st) : NULL, *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *slug = desk_str(row, "slug");

		json_object_set_new(row, "selected",
				    json_boolean(slug && current &&
						 !strcmp(slug, current)));
	}
	return rows;
}

/* ---- recurrence: the simple choices ---- */

static const char *const wd_codes[7] = {"SU", "MO", "TU", "WE",
					"TH", "FR", "SA"};

/* The rule of choice for a first start on local date (and the UNTIL
 * value, or NULL); NULL for "none", "rule" or a bad date. */
static const char *
rule_for(struct arena *a, const char *choice, const char *date,
	 const char *until)
{
	int y, m, d, wd, nth;
	const char *base;

	if (choice == NULL || date == NULL ||
	    sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return NULL;
	wd = cal_weekday(y, m, d);
	nth = (d - 1) / 7 + 1;
	if (nth == 5)
		nth = -1;
	if (!strcmp(choice, "daily"))
		base = "FREQ=DAILY";
	else if (!strcmp(choice, "weekly"))
		base = arena_printf(a, "FREQ=WEEKLY;BYDAY=%s", wd_codes[wd]);
	else if (!strcmp(choice, "biweekly"))
		base = arena_printf(a, "FREQ=WEEKLY;INTERVAL=2;BYDAY=%s",
				    wd_codes[wd]);
	else if (!strcmp(choice, "monthly"))
		base = arena_printf(a, "FREQ=MONTHLY;BYDAY=%d%s", nth,
				    wd_codes[wd]);
	else if (!strcmp(choice, "bimonthly"))
		base = arena_printf(a, "FREQ=MONTHLY;INTERVAL=2;BYDAY=%d%s",
				    nth, wd_codes[wd]);
	else if (!strcmp(choice, "yearly"))
		base = "FREQ=YEARLY";
	else
		return NULL;
	return until ? arena_printf(a, "%s;UNTIL=%s", base, until) : base;
}

/* UNTIL for the last day `date` of a series in tzid: the date itself
 * for all-day ones ('20261231'), else the UTC instant of its local
 * 23:59:59 ('20261231T225959Z'), as RFC 5545 wants with a zone. */
static const char *
until_for(struct arena *a, const char *tzid, int all_day, const char *date)
{
	char local[RECUR_LOCAL_LEN], iso[32];
	int64_t t;

	if (date == NULL || strlen(date) != 10)
		return NULL;
	if (all_day)
		return arena_printf(a, "%.4s%.2s%.2s", date, date + 5,
				    date + 8);
	snprintf(local, sizeof local, "%sT23:59:59", date);
	if (recur_local_to_utc(tzid, local, &t) != 0)
		return NULL;
	cal_iso(t, iso);
	return arena_printf(a, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5,
			    iso + 8, iso + 11, iso + 14, iso + 17);
}

/* From a stored rule: the choice that makes it (and the last day of its
 * UNTIL into *until, 'YYYY-MM-DD' in the zone), or "rule". */
static const char *
choice_of(struct arena *a, const char *rrule, const char *start_date,
	  const char *tzid, int all_day, const char **until)
{
	const char *u = rrule ? strstr(rrule, ";UNTIL=") : NULL;
	char *base;

	*until = NULL;
	if (rrule == NULL || *rrule == '\0')
		return "none";
	base = arena_strdup(a, rrule);
	if (u) {
		const char *v = u + 7;
		size_t n = strcspn(v, ";");

		if (v[n] != '\0')
			return "rule"; /* UNTIL not last: not ours */
		base[u - rrule] = '\0';
		if (n == 8)
			*until = arena_printf(a, "%.4s-%.2s-%.2s", v, v + 4,
					      v + 6);
		else if (n == 16 && v[15] == 'Z') {
			char local[RECUR_LOCAL_LEN];
			char *iso = arena_printf(a,
						 "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s",
						 v, v + 4, v + 6, v + 9, v + 11,
						 v + 13);
			int64_t t;

			if (recur_local_to_utc("UTC", iso, &t) != 0 ||
			    recur_utc_to_local(tzid, t, local) != 0)
				return "rule";
			local[10] = '\0';
			*until = arena_strdup(a, local);
		} else
			return "rule";
	}
	for (size_t i = 1; cal_repeats[i] && strcmp(cal_repeats[i], "rule");
	     i++) {
		const char *mine = rule_for(a, cal_repeats[i], start_date, NULL);

		if (mine && !strcmp(mine, base)) {
			const char *again = rule_for(
				a, cal_repeats[i], start_date,
				*until ? until_for(a, tzid, all_day, *until)
				       : NULL);

			if (again && !strcmp(again, rrule))
				return cal_repeats[i];
		}
	}
	*until = NULL;
	return "rule";
}

/* ---- the form ---- */

/* The form's values from a stored meeting m (a new object). */
static json_t *
input_of(struct req *r, json_t *m, json_t *areas)
{
	const char *s = desk_str(m, "starts_local"), *e = desk_str(m, "ends_local");
	const char *tz = desk_str(m, "time_zone"), *until, *choice;
	int all_day = json_integer_value(json_object_get(m, "all_day")) != 0;
	json_t *in;
	char date[11] = "";

	if (s)
		snprintf(date, sizeof date, "%s", s);
	choice = choice_of(r->arena, desk_str(m, "rrule"), date, tz, all_day,
			   &until);
	in = json_pack(
		"{s:O,s:O,s:O,s:O,s:s,s:s,s:s,s:s,s:s,s:s?,s:O,s:O,s:O,s:O,"
		"s:O,s:O}",
		"title", json_object_get(m, "title"), "kind",
		json_object_get(m, "kind"), "time_zone",
		json_object_get(m, "time_zone"), "place",
		json_object_get(m, "place"), "starts_date", date, "starts_time",
		s && strlen(s) >= 16 ? arena_printf(r->arena, "%.5s", s + 11)
				     : "",
		"ends_date",
		e ? arena_printf(r->arena, "%.10s", e) : "", "ends_time",
		e && strlen(e) >= 16 ? arena_printf(r->arena, "%.5s", e + 11)
				     : "",
		"repeat", choice, "until", until, "mode",
		json_object_get(m, "mode"), "agenda",
		json_object_get(m, "agenda_md"), "status",
		json_object_get(m, "status"), "visibility",
		json_object_get(m, "visibility"), "registration",
		json_object_get(m, "registration"), "online_url",
		json_object_get(m, "online_url"));
	if (all_day)
		json_object_set_new(in, "all_day", json_string("1"));
	if (!strcmp(choice, "rule"))
		json_object_set(in, "rrule", json_object_get(m, "rrule"));
	if (desk_str(m, "body_slug"))
		json_object_set(in, "body", json_object_get(m, "body_slug"));
	if (desk_str(m, "party_slug"))
		json_object_set(in, "party", json_object_get(m, "party_slug"));
	if (desk_str(m, "parent_slug"))
		json_object_set(in, "parent",
				json_object_get(m, "parent_slug"));
	if (json_is_integer(json_object_get(m, "session_number")))
		json_object_set_new(
			in, "session_number",
			json_sprintf("%lld",
				     (long long)json_integer_value(
					     json_object_get(m,
							     "session_number"))));
	if (json_is_integer(json_object_get(m, "capacity")))
		json_object_set_new(
			in, "capacity",
			json_sprintf("%lld", (long long)json_integer_value(
						     json_object_get(
							     m, "capacity"))));
	if (json_is_integer(json_object_get(m, "registration_closes_utc"))) {
		char local[RECUR_LOCAL_LEN];

		/* stored as the end of that day in the zone */
		if (recur_utc_to_local(
			    tz,
			    json_integer_value(json_object_get(
				    m, "registration_closes_utc")) -
				    1,
			    local) == 0) {
			local[10] = '\0';
			json_object_set_new(in, "registration_closes",
					    json_string(local));
		}
	}
	json_object_set(in, "focal", areas);
	return in;
}

/*
 * Answers the form (new when m is NULL) with status: the values in from
 * the stored meeting or as sent, r->errors beside the fields.  Takes m.
 */
static void
form_page(struct req *r, struct resp *w, int status, json_t *m)
{
	json_t *in = NULL, *model, *areas, *bodies, *sessions, *parties, *row;
	const struct field_values *fv = req_values(r, "focal");
	json_t *chosen = json_array();
	size_t i, k;

	if (r->method == HTTP_POST && r->input) {
		in = json_deep_copy(r->input);
		for (k = 0; fv && k < fv->n; k++)
			if (fv->v[k].present)
				json_array_append_new(
					chosen, json_string(fv->v[k].str));
	} else if (m) {
		struct db_stmt *st = db_stmt(r->db, &desk_sql, D_AREAS_OF);
		json_t *mine;

		if (st == NULL)
			goto fail;
		db_bind_int(st, 1,
			    json_integer_value(json_object_get(m, "id")));
		if ((mine = db_all_json(st)) == NULL)
			goto fail;
		json_array_foreach(mine, i, row)
			json_array_append(chosen, json_object_get(row, "slug"));
		json_decref(mine);
		in = input_of(r, m, chosen);
	} else {
		in = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "kind",
			       "session", "time_zone", "Europe/Vienna",
			       "repeat", "none", "mode", "in-person", "status",
			       "confirmed", "visibility", "public",
			       "registration", "none");
	}
	bodies = rows_marked(r, D_BODIES, desk_str(in, "body"));
	sessions = bodies ? rows_marked(r, D_SESSIONS, desk_str(in, "parent"))
			  : NULL;
	parties = sessions ? rows_marked(r, D_PARTIES, desk_str(in, "party"))
			   : NULL;
	areas = parties ? rows_marked(r, D_AREAS, NULL) : NULL;
	if (areas == NULL) {
		json_decref(bodies);
		json_decref(sessions);
		json_decref(parties);
		json_decref(in);
		goto fail;
	}
	json_array_foreach(sessions, i, row)
		json_object_set_new(row, "when_text",
				    json_string(cal_local_text(
					    r->arena,
					    desk_str(row, "starts_local"))));
	json_array_foreach(areas, i, row) {
		json_t *c;
		int on = 0;

		json_array_foreach(chosen, k, c) on |=
			json_equal(c, json_object_get(row, "slug"));
		json_object_set_new(row, "chosen", json_boolean(on));
	}
	json_decref(chosen);
	model = json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}",
		"input", in, "bodies", bodies, "sessions", sessions, "parties",
		parties, "areas", areas, "kinds",
		desk_options(cal_kinds, cal_kind_labels, desk_str(in, "kind")),
		"repeats",
		desk_options(cal_repeats, cal_repeat_labels, desk_str(in, "repeat")),
		"modes", desk_options(cal_modes, cal_mode_labels, desk_str(in, "mode")),
		"statuses",
		desk_options(cal_statuses, cal_status_labels, desk_str(in, "status")),
		"visibilities",
		desk_options(cal_visibilities, cal_visibility_labels,
			desk_str(in, "visibility")),
		"registrations",
		desk_options(cal_registrations, cal_registration_labels,
			desk_str(in, "registration")),
		"zones", cal_zone_choices(desk_str(in, "time_zone")), "errors",
		r->errors ? json_incref(r->errors) : json_object(),
		"all_day",
		desk_str(in, "all_day") && strcmp(desk_str(in, "all_day"), "0") &&
			strcmp(desk_str(in, "all_day"), ""));
	if (m) {
		json_object_set_new(model, "meeting",
				    json_pack("{s:O,s:O}", "slug",
					      json_object_get(m, "slug"),
					      "title",
					      json_object_get(m, "title")));
		json_object_set_new(model, "action",
				    json_sprintf("/admin/calendar/%s",
						 desk_str(m, "slug")));
	} else
		json_object_set_new(model, "action",
				    json_string("/admin/calendar"));
	if (r->errors)
		resp_form_errors(model, r->errors);
	admin_secretariat_page(
		r, w, status, "calendar/templates/admin_form.html",
		m ? i18n_text(r->arena, _("Change: {title}"), "title",
			      desk_str(m, "title"), NULL)
		  : _("A new meeting"),
		NULL, model);
	json_decref(m);
	return;
fail:
	json_decref(chosen);
	json_decref(m);
	desk_read_failed(r, w);
}

/* ---- reading and checking what was sent ---- */

struct sent {
	const char *title, *kind, *tz, *starts_local, *ends_local, *rrule;
	const char *place, *mode, *online_url, *agenda, *status, *visibility;
	const char *registration;
	int all_day;
	int64_t body_id, party_id, parent_id; /* 0: none */
	int64_t session_number, capacity;     /* -1: none */
	int64_t closes_utc;                   /* -1: none */
};

/* The id of slug by statement s into *id (0 when slug is NULL): 0, 1
 * when there is none, -1 on a database error. */
static int
id_of(struct req *r, enum stmt_desk s, const char *slug, int64_t *id)
{
	struct db_stmt *st;

	*id = 0;
	if (slug == NULL)
		return 0;
	if ((st = db_stmt(r->db, &desk_sql, s)) == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	switch (db_step(st)) {
	case DB_ROW:
		*id = db_col_int(st, 0);
		db_reset(st);
		return 0;
	case DB_DONE:
		db_reset(st);
		return 1;
	default:
		return -1;
	}
}

/* The local time of the form's date and time fields (a date alone
 * when all day); NULL with an error on the date field when they do not
 * make one. */
const char *
desk_local_of(struct req *r, const char *date_field, const char *time_field,
	 int all_day, int required)
{
	const char *d = desk_text(r, date_field), *t = desk_text(r, time_field);
	char out[RECUR_LOCAL_LEN];
	const char *local;

	if (d == NULL) {
		if (required && !(r->errors &&
				  json_object_get(r->errors, date_field)))
			req_error(r, date_field, _("Give the date."));
		return NULL;
	}
	if (all_day)
		local = d;
	else if (t == NULL) {
		req_error(r, time_field,
			  _("Give the time, such as 10:00, or tick \"All "
			    "day\"."));
		return NULL;
	} else
		local = arena_printf(r->arena, "%sT%s", d, t);
	if (recur_local_normal(local, all_day, out) != 0) {
		req_error(r, all_day ? date_field : time_field,
			  all_day ? _("Give the date as YYYY-MM-DD.")
				  : _("Give the time as HH:MM, such as 10:00."));
		return NULL;
	}
	return arena_strdup(r->arena, out);
}

/*
 * Reads and checks the form into *s: every field error in r->errors.
 * 0 when valid, 1 when not (r->errors set), -1 on a database error.
 */
static int
sent_read(struct req *r, struct sent *s)
{
	const char *repeat = desk_text(r, "repeat"), *why, *until;
	const struct value *v;
	int rc;

	memset(s, 0, sizeof *s);
	s->title = desk_text(r, "title");
	s->kind = desk_text(r, "kind");
	s->tz = desk_text(r, "time_zone");
	s->all_day = req_value(r, "all_day")->num != 0;
	s->place = desk_text(r, "place");
	s->mode = desk_text(r, "mode");
	s->online_url = desk_text(r, "online_url");
	s->agenda = desk_text(r, "agenda");
	s->status = desk_text(r, "status");
	s->visibility = desk_text(r, "visibility");
	s->registration = desk_text(r, "registration");
	v = req_value(r, "session_number");
	s->session_number = v->present ? v->num : -1;
	v = req_value(r, "capacity");
	s->capacity = v->present ? v->num : -1;
	s->closes_utc = -1;
	if (s->tz && !recur_zone_ok(s->tz)) {
		req_error(r, "time_zone",
			  _("Choose a time zone such as Europe/Vienna."));
		s->tz = NULL;
	}
	if (s->online_url && strncmp(s->online_url, "https://", 8) != 0)
		req_error(r, "online_url",
			  _("The online link must begin with https://."));
	if ((rc = id_of(r, D_BODY_ID, desk_text(r, "body"), &s->body_id)) < 0)
		return -1;
	if (rc == 1)
		req_error(r, "body", _("Choose a body from the list."));
	if ((rc = id_of(r, D_PARTY_ID, desk_text(r, "party"), &s->party_id)) < 0)
		return -1;
	if (rc == 1)
		req_error(r, "party", _("Choose a working party from the list."));
	if (s->kind && !strcmp(s->kind, "deadline")) {
		if ((rc = id_of(r, D_PARENT_ID, desk_text(r, "parent"),
				&s->parent_id)) < 0)
			return -1;
		if (rc == 1)
			req_error(r, "parent",
				  _("Choose a session from the list."));
	}
	if (s->visibility && !strcmp(s->visibility, "team") && !s->party_id)
		req_error(r, "visibility",
			  _("Only a working party's meeting can be shown to "
			    "its team: choose the working party."));
	if (s->registration && !strcmp(s->registration, "team") &&
	    !s->party_id)
		req_error(r, "registration",
			  _("Only a working party's meeting can be open to "
			    "its team: choose the working party."));
	s->starts_local = desk_local_of(r, "starts_date", "starts_time", s->all_day,
				   1);
	s->ends_local = desk_text(r, "ends_date") || desk_text(r, "ends_time")
				? desk_local_of(r, "ends_date", "ends_time",
					   s->all_day, 1)
				: s->starts_local;
	if (s->tz && s->starts_local && s->ends_local) {
		int64_t a, b;

		if (recur_local_to_utc(s->tz, s->starts_local, &a) == 0 &&
		    recur_local_to_utc(s->tz, s->ends_local, &b) == 0 &&
		    (b < a || (!s->all_day && b == a && desk_text(r, "ends_date"))))
			req_error(r, "ends_date",
				  _("The end must come after the start."));
	}
	until = desk_text(r, "until");
	if (repeat && !strcmp(repeat, "rule")) {
		s->rrule = desk_text(r, "rrule");
		if (recur_rule_check(s->rrule, &why) != 0)
			req_error(r, "rrule", _(why));
	} else if (repeat && strcmp(repeat, "none") && s->starts_local &&
		   s->tz) {
		if (until && strcmp(until, s->starts_local) < 0 &&
		    strncmp(until, s->starts_local, 10) != 0)
			req_error(r, "until",
				  _("The last day must not come before the "
				    "first."));
		s->rrule = rule_for(r->arena, repeat, s->starts_local,
				    until ? until_for(r->arena, s->tz,
						      s->all_day, until)
					  : NULL);
	}
	if (desk_text(r, "registration_closes") && s->tz) {
		char local[RECUR_LOCAL_LEN];
		int64_t t;

		/* closes at the end of that day in the meeting's zone */
		snprintf(local, sizeof local, "%s", desk_text(r, "registration_closes"));
		if (recur_local_to_utc(s->tz, local, &t) == 0)
			s->closes_utc = t + 86400;
	}
	return r->errors ? 1 : 0;
}

/* The meeting's audit view of what was sent. */
static json_t *
sent_json(const struct sent *s)
{
	return json_pack("{s:s?,s:s?,s:s?,s:b,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}",
			 "title", s->title, "kind", s->kind, "time_zone", s->tz,
			 "all_day", s->all_day, "starts_local",
			 s->starts_local, "ends_local", s->ends_local, "rrule",
			 s->rrule, "status", s->status, "visibility",
			 s->visibility, "place", s->place);
}

/* Binds id (0: NULL), n (-1: NULL). */
static void
bind_id(struct db_stmt *st, int i, int64_t id)
{
	if (id > 0)
		db_bind_int(st, i, id);
	else
		db_bind_null(st, i);
}

void
desk_bind_n(struct db_stmt *st, int i, int64_t n)
{
	if (n >= 0)
		db_bind_int(st, i, n);
	else
		db_bind_null(st, i);
}

/* Replaces the meeting's focal areas with those sent; 0 or -1. */
static int
save_areas(struct req *r, int64_t id)
{
	const struct field_values *fv = req_values(r, "focal");
	struct db_stmt *st = db_stmt(r->db, &desk_sql, D_AREAS_CLEAR);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if (db_run(st) != 0)
		return -1;
	for (size_t k = 0; fv && k < fv->n; k++) {
		if (!fv->v[k].present)
			continue;
		if ((st = db_stmt(r->db, &desk_sql, D_AREA_ADD)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, fv->v[k].str);
		if (db_run(st) != 0)
			return -1;
	}
	return 0;
}

/* The UTC columns of the series: 0, or 1 with an error on the form. */
static int
bounds_of(struct req *r, const struct recur_series *rs, int64_t *a,
	  int64_t *b, int64_t *last, int *has_last)
{
	if (recur_bounds(rs, a, b, last, has_last) != 0) {
		req_error(r, "starts_date",
			  _("These times do not make a meeting in this time "
			    "zone."));
		return 1;
	}
	return 0;
}

/* GET /admin/calendar/new */
/* Tells the people registered for the meeting of slug, as this
 * transaction has it now (its new SEQUENCE, times and overrides), of the
 * change (registration.c).  0 or -1. */
int
desk_tell(struct req *r, const char *slug, const char *key, enum cal_tell change)
{
	json_t *now;
	int rc;

	if (cal_meeting_load(r, slug, &now) != 0)
		return -1;
	rc = cal_tell_registered(r, now, key, change) < 0 ? -1 : 0;
	json_decref(now);
	return rc;
}

/* Whether two texts differ, NULL being "". */
static int
differ(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

int
desk_changed_for_people(json_t *m, const char *tz, const char *starts,
			const char *ends, const char *rrule, const char *place,
			const char *mode, const char *online_url)
{
	return differ(desk_str(m, "time_zone"), tz) ||
	       differ(desk_str(m, "starts_local"), starts) ||
	       differ(desk_str(m, "ends_local"), ends) ||
	       differ(desk_str(m, "rrule"), rrule) ||
	       differ(desk_str(m, "place"), place) ||
	       differ(desk_str(m, "mode"), mode ? mode : "in-person") ||
	       differ(desk_str(m, "online_url"), online_url);
}

static void
desk_new(struct req *r, struct resp *w)
{
	form_page(r, w, 200, NULL);
}

/* POST /admin/calendar: a new meeting, then its desk page. */
static void
desk_create(struct req *r, struct resp *w)
{
	struct sent s;
	struct recur_series rs = {0};
	int64_t a, b, last, id, now = clock_now();
	int has_last, rc;
	char slug[SLUG_MAX];
	unsigned char rnd[8];
	char uid[64];
	struct db_stmt *st;

	if ((rc = sent_read(r, &s)) < 0)
		return desk_read_failed(r, w);
	if (rc == 0) {
		rs.tzid = s.tz;
		rs.all_day = s.all_day;
		rs.starts_local = s.starts_local;
		rs.ends_local = s.ends_local;
		rs.rrule = s.rrule;
		rc = bounds_of(r, &rs, &a, &b, &last, &has_last);
	}
	if (rc != 0)
		return form_page(r, w, 422, NULL);
	randombytes_buf(rnd, sizeof rnd);
	snprintf(uid, sizeof uid, "%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0],
		 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (cal_new_slug(r->db, s.title, s.starts_local, slug) != 0 ||
	    (st = db_stmt(r->db, &desk_sql, D_INSERT)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, arena_printf(r->arena, "%s-%s", uid, slug));
	db_bind_text(st, 3, s.title);
	db_bind_text(st, 4, s.kind);
	bind_id(st, 5, s.body_id);
	desk_bind_n(st, 6, s.session_number);
	bind_id(st, 7, s.parent_id);
	bind_id(st, 8, s.party_id);
	db_bind_text(st, 9, s.tz);
	db_bind_int(st, 10, s.all_day);
	db_bind_text(st, 11, s.starts_local);
	db_bind_text(st, 12, s.ends_local);
	db_bind_int(st, 13, a);
	db_bind_int(st, 14, b);
	db_bind_text(st, 15, s.rrule);
	desk_bind_n(st, 16, has_last ? last : -1);
	db_bind_text(st, 17, s.place ? s.place : "");
	db_bind_text(st, 18, s.mode ? s.mode : "in-person");
	db_bind_text(st, 19, s.online_url);
	db_bind_text(st, 20, s.agenda ? s.agenda : "");
	db_bind_text(st, 21, s.status ? s.status : "confirmed");
	db_bind_text(st, 22, s.visibility ? s.visibility : "public");
	db_bind_text(st, 23, s.registration ? s.registration : "none");
	desk_bind_n(st, 24, s.capacity);
	desk_bind_n(st, 25, s.closes_utc);
	db_bind_int(st, 26, r->person->id);
	db_bind_int(st, 27, now);
	db_bind_int(st, 28, now);
	if (db_one_int(st, &id) != 0 || save_areas(r, id) != 0 ||
	    audit_record_new(r->db, r->person->id, "meeting.create", "meeting",
			     slug, NULL, sent_json(&s), r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena, "/admin/calendar/%s?done=saved",
				      slug));
}

/* The meeting of route parameter slug into *m: 0, or 1 with a 404 or -1
 * with a 500 answered. */
int
desk_meeting_or_respond(struct req *r, struct resp *w, json_t **m)
{
	int rc = cal_meeting_load(r, req_param(r, "slug"), m);

	if (rc < 0)
		desk_read_failed(r, w);
	else if (rc == 1)
		resp_error(w, 404, _("There is no such meeting."));
	return rc;
}

/* GET /admin/calendar/:slug/edit */
static void
desk_edit(struct req *r, struct resp *w)
{
	json_t *m;

	if (desk_meeting_or_respond(r, w, &m) != 0)
		return;
	form_page(r, w, 200, m);
}

/* Recomputes the UTC columns of the overrides of series rs (a zone or a
 * time changed); 0 or -1. */
static int
overrides_again(struct req *r, int64_t id, const struct recur_series *rs)
{
	for (size_t i = 0; i < rs->noverrides; i++) {
		const struct recur_override *o = &rs->overrides[i];
		struct recur_series one = {.tzid = rs->tzid,
					   .all_day = rs->all_day,
					   .starts_local = o->starts_local,
					   .ends_local = o->ends_local};
		int64_t a, b, last;
		int has;
		struct db_stmt *st;

		if (recur_bounds(&one, &a, &b, &last, &has) != 0)
			continue; /* of the other kind (all day or not) */
		if ((st = db_stmt(r->db, &desk_sql, D_OVERRIDE_UTC)) == NULL)
			return -1;
		db_bind_int(st, 1, a);
		db_bind_int(st, 2, b);
		db_bind_int(st, 3, id);
		db_bind_text(st, 4, o->recurrence_local);
		if (db_run(st) != 0)
			return -1;
	}
	return 0;
}

/* POST /admin/calendar/:slug: the meeting changed. */
static void
desk_update(struct req *r, struct resp *w)
{
	struct sent s;
	struct recur_series rs;
	json_t *m, *before;
	int64_t a, b, last, id, now = clock_now();
	int has_last, rc, cancelled, told;
	struct db_stmt *st;
	const char *slug;

	if (desk_meeting_or_respond(r, w, &m) != 0)
		return;
	id = json_integer_value(json_object_get(m, "id"));
	slug = arena_strdup(r->arena, desk_str(m, "slug"));
	if ((rc = sent_read(r, &s)) < 0) {
		json_decref(m);
		return desk_read_failed(r, w);
	}
	if (rc == 0) {
		json_t *fresh = json_pack("{s:I,s:s,s:b,s:s,s:s,s:s?}", "id",
					  (json_int_t)id, "time_zone", s.tz,
					  "all_day", s.all_day,
					  "starts_local", s.starts_local,
					  "ends_local", s.ends_local, "rrule",
					  s.rrule);

		if (cal_series_of(r, fresh, &rs) != 0) {
			json_decref(fresh);
			json_decref(m);
			return desk_read_failed(r, w);
		}
		/* strings of rs point into fresh; keep it until the end */
		rc = bounds_of(r, &rs, &a, &b, &last, &has_last);
		json_object_set_new(m, "_fresh", fresh);
	}
	if (rc != 0)
		return form_page(r, w, 422, m);
	before = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "title",
			   json_object_get(m, "title"), "time_zone",
			   json_object_get(m, "time_zone"), "starts_local",
			   json_object_get(m, "starts_local"), "ends_local",
			   json_object_get(m, "ends_local"), "rrule",
			   json_object_get(m, "rrule"), "status",
			   json_object_get(m, "status"), "visibility",
			   json_object_get(m, "visibility"));
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &desk_sql, D_UPDATE)) == NULL) {
		json_decref(before);
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	db_bind_text(st, 1, s.title);
	db_bind_text(st, 2, s.kind);
	bind_id(st, 3, s.body_id);
	desk_bind_n(st, 4, s.session_number);
	bind_id(st, 5, s.parent_id);
	bind_id(st, 6, s.party_id);
	db_bind_text(st, 7, s.tz);
	db_bind_int(st, 8, s.all_day);
	db_bind_text(st, 9, s.starts_local);
	db_bind_text(st, 10, s.ends_local);
	db_bind_int(st, 11, a);
	db_bind_int(st, 12, b);
	db_bind_text(st, 13, s.rrule);
	desk_bind_n(st, 14, has_last ? last : -1);
	db_bind_text(st, 15, s.place ? s.place : "");
	db_bind_text(st, 16, s.mode ? s.mode : "in-person");
	db_bind_text(st, 17, s.online_url);
	db_bind_text(st, 18, s.agenda ? s.agenda : "");
	db_bind_text(st, 19, s.status ? s.status : "confirmed");
	db_bind_text(st, 20, s.visibility ? s.visibility : "public");
	db_bind_text(st, 21, s.registration ? s.registration : "none");
	desk_bind_n(st, 22, s.capacity);
	desk_bind_n(st, 23, s.closes_utc);
	db_bind_int(st, 24, now);
	db_bind_int(st, 25, id);
	/* cancelled now: it will not take place; otherwise what the people
	 * registered need to know changed */
	cancelled = s.status && !strcmp(s.status, "cancelled") &&
		    (desk_str(m, "status") == NULL ||
		     strcmp(desk_str(m, "status"), "cancelled") != 0);
	told = cancelled ||
	       desk_changed_for_people(m, s.tz, s.starts_local, s.ends_local,
				       s.rrule, s.place, s.mode, s.online_url);
	if (db_run(st) != 0 || save_areas(r, id) != 0 ||
	    overrides_again(r, id, &rs) != 0 ||
	    audit_record_new(r->db, r->person->id, "meeting.change", "meeting",
			     slug, before, sent_json(&s), r->client) != 0 ||
	    (told && desk_tell(r, slug, "",
			  cancelled ? CAL_TELL_CANCELLED
				    : CAL_TELL_CHANGED) != 0) ||
	    db_commit(r->db) != 0) {
		db_rollback(r->db);
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	json_decref(m);
	resp_redirect(w, arena_printf(r->arena, "/admin/calendar/%s?done=saved",
				      slug));
}

/* POST /admin/calendar/:slug/delete */
static void
desk_delete(struct req *r, struct resp *w)
{
	json_t *m;
	struct db_stmt *st;
	const char *slug;

	if (desk_meeting_or_respond(r, w, &m) != 0)
		return;
	slug = arena_strdup(r->arena, desk_str(m, "slug"));
	/* the people registered are told first: the registrations go with
	 * the meeting */
	if (db_begin(r->db) != 0 ||
	    cal_tell_registered(r, m, "", CAL_TELL_CANCELLED) < 0 ||
	    (st = db_stmt(r->db, &desk_sql, D_DELETE)) == NULL) {
		db_rollback(r->db);
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	db_bind_int(st, 1, json_integer_value(json_object_get(m, "id")));
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "meeting.delete", "meeting",
			     slug,
			     json_pack("{s:O,s:O,s:O}", "title",
				       json_object_get(m, "title"),
				       "starts_local",
				       json_object_get(m, "starts_local"),
				       "rrule", json_object_get(m, "rrule")),
			     NULL, r->client) != 0 ||
	    db_commit(r->db) != 0) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	json_decref(m);
	resp_redirect(w, "/admin/calendar?done=deleted");
}

/* GET /admin/calendar: the meetings, the latest start first. */
static void
desk_index(struct req *r, struct resp *w)
{
	const struct value *done = req_value(r, "done");
	struct pager pg;
	struct db_stmt *st = db_stmt(r->db, &desk_sql, D_LIST);
	json_t *rows, *row, *model;
	size_t i;
	int more;

	pager_read(r, PAGE_SIZE, &pg);
	if (st == NULL)
		return desk_read_failed(r, w);
	db_bind_int(st, 1, pg.size + 1);
	db_bind_int(st, 2, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return desk_read_failed(r, w);
	more = pager_trim(rows, pg.size);
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "when_text",
				    json_string(cal_span_text(
					    r->arena, desk_str(row, "starts_local"),
					    desk_str(row, "ends_local"))));
		json_object_set_new(
			row, "kind_label",
			json_string(cal_label(cal_kinds, cal_kind_labels,
					      desk_str(row, "kind"))));
		json_object_set_new(
			row, "status_label",
			json_string(cal_label(cal_statuses, cal_status_labels,
					      desk_str(row, "status"))));
		json_object_set_new(
			row, "visibility_label",
			json_string(cal_label(cal_visibilities,
					      cal_visibility_labels,
					      desk_str(row, "visibility"))));
		if (desk_str(row, "rrule"))
			json_object_set_new(
				row, "rule_text",
				json_string(cal_rule_text(
					r->arena, desk_str(row, "rrule"))));
	}
	model = json_pack("{s:o,s:o}", "meetings", rows, "pager",
			  pager_model(r, &pg, "/admin/calendar", NULL, more, -1));
	if (done->present)
		json_object_set_new(
			model, "notice",
			json_string(_("The meeting has been deleted. The "
				      "change is in the audit log.")));
	admin_secretariat_page(r, w, 200, "calendar/templates/admin_index.html",
			       _("Calendar"), "/admin/calendar", model);
}

/* ---- the tables ---- */

const char *const desk_done_values[] = {"saved", "deleted", NULL};

static const struct field index_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000},
	{.name = "done", .type = FT_CHOICE, .choices = desk_done_values},
	{0},
};

static const struct field form_fields[] = {
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Title of the meeting")},
	{.name = "kind",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = cal_kinds,
	 .label = N_("Kind")},
	{.name = "body", .type = FT_SLUG, .maxlen = 60, .label = N_("Body")},
	{.name = "session_number",
	 .type = FT_INT,
	 .min = 1,
	 .max = 10000,
	 .label = N_("Session number")},
	{.name = "parent",
	 .type = FT_SLUG,
	 .maxlen = 120,
	 .label = N_("Session of this deadline")},
	{.name = "party",
	 .type = FT_SLUG,
	 .maxlen = 80,
	 .label = N_("Working party")},
	{.name = "time_zone",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 64,
	 .label = N_("Time zone")},
	{.name = "all_day", .type = FT_BOOL, .label = N_("All day")},
	TIME_FIELDS,
	{.name = "repeat",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = cal_repeats,
	 .label = N_("Repeats")},
	{.name = "until", .type = FT_DATE, .label = N_("Repeats until")},
	{.name = "rrule",
	 .type = FT_TEXT,
	 .maxlen = 500,
	 .label = N_("Recurrence rule (RRULE)")},
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
	{.name = "status",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = cal_statuses,
	 .label = N_("Status")},
	{.name = "visibility",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = cal_visibilities,
	 .label = N_("Who sees it")},
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
	{.name = "registration_closes",
	 .type = FT_DATE,
	 .label = N_("Registration closes")},
	{.name = "focal",
	 .type = FT_SLUG,
	 .flags = FIELD_MULTI,
	 .maxlen = 60,
	 .label = N_("Focal areas")},
	{0},
};

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL

static const struct route desk_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/admin/calendar",
	 .who = A,
	 .fields = index_fields,
	 .handler = desk_index,
	 .flags = P,
	 .summary = "The calendar's meetings, the latest first"},
	{.method = HTTP_GET,
	 .pattern = "/admin/calendar/new",
	 .who = A,
	 .handler = desk_new,
	 .flags = ROUTE_FORM | P,
	 .summary = "The form of a new meeting"},
	{.method = HTTP_POST,
	 .pattern = "/admin/calendar",
	 .who = A,
	 .fields = form_fields,
	 .handler = desk_create,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Enters a meeting (session, Alliance meeting, deadline...)"},
	{.method = HTTP_GET,
	 .pattern = "/admin/calendar/:slug/edit",
	 .who = A,
	 .handler = desk_edit,
	 .flags = ROUTE_FORM | P,
	 .summary = "The form of a meeting, to change it"},
	{.method = HTTP_POST,
	 .pattern = "/admin/calendar/:slug",
	 .who = A,
	 .fields = form_fields,
	 .handler = desk_update,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Changes a meeting"},
	{.method = HTTP_POST,
	 .pattern = "/admin/calendar/:slug/delete",
	 .who = A,
	 .handler = desk_delete,
	 .flags = P,
	 .summary = "Deletes a meeting"},
};

static const struct menu_entry desk_menu[] = {
	{"/admin/calendar", N_("Calendar"), 87},
};

const struct module calendar_desk_module = {
	.name = "calendar-desk",
	.routes = desk_routes,
	.nroutes = ARRAY_LEN(desk_routes),
	.sql = &desk_sql,
	.admin_menu = desk_menu,
	.nadmin_menu = ARRAY_LEN(desk_menu),
};
