/*
 * registration.c -- see calendar.h.  Registration for a meeting, or for
 * one occurrence of a series: who may register (the meeting's
 * `registration`: everyone signed in, the people of member organisations,
 * its working party's team; the secretariat always), until its deadline
 * (registration_closes_utc, else the start), within its capacity and
 * then on a waiting list that moves up, in the order people came, when
 * a registered person cancels.  Each change is one transaction with its
 * audit record and a letter in the outbox to the person concerned.  The
 * meeting's page shows the viewer's state and the form
 * (cal_registration_section); the people registered see the online link.
 *
 * The letters that say someone is registered carry the meeting (or the
 * occurrence) as an .ics attachment, the online link in it: the file is
 * the person's own.  Later: attendance.
 */
#include "calendar_int.h"
#include "ics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/util.h"

enum stmt_reg {
	R_MINE,
	R_COUNT,
	R_PUT,
	R_SET_STATE,
	R_FIRST_WAITING,
	R_PERSON,
	R_OVERRIDE,
	R_DUE,
	R_REMINDED,
	R_MY_LIST,
	R_POSITION,
	R_WHO,
	R_TELL,
	R_TALLY,
	R_REG__MAX,
};

static const char *const reg_sql_text[R_REG__MAX] = {
	[R_MINE] = "SELECT id, state FROM registrations WHERE meeting_id = ?"
		   " AND occurrence_local = ? AND person_id = ?",
	[R_COUNT] = "SELECT count(*) FROM registrations WHERE meeting_id = ?"
		    " AND occurrence_local = ? AND state = 'registered'",
	/* a new registration, or one cancelled before taken up again (its
	 * place in the waiting list is the new one) */
	[R_PUT] = "INSERT INTO registrations (meeting_id, occurrence_local,"
		  " person_id, state, created_at, updated_at)"
		  " VALUES (?, ?, ?, ?, ?, ?)"
		  " ON CONFLICT (meeting_id, occurrence_local, person_id)"
		  " DO UPDATE SET state = excluded.state,"
		  " created_at = excluded.created_at, reminded_at = NULL,"
		  " updated_at = excluded.updated_at",
	[R_SET_STATE] = "UPDATE registrations SET state = ?, updated_at = ?"
			" WHERE id = ?",
	[R_FIRST_WAITING] = "SELECT id, person_id FROM registrations"
			    " WHERE meeting_id = ? AND occurrence_local = ?"
			    " AND state = 'waiting'"
			    " ORDER BY created_at, id LIMIT 1",
	[R_PERSON] = "SELECT name, email FROM people WHERE id = ?"
		     " AND disabled_at IS NULL",
	[R_OVERRIDE] = "SELECT recurrence_local, starts_local, ends_local,"
		       " cancelled, place, note FROM meeting_overrides"
		       " WHERE meeting_id = ? AND recurrence_local = ?",
	/* the reminder job's candidates: registrations not reminded of a
	 * meeting that starts (a single one) or may have an occurrence
	 * (the key, a local time, within a day of the window) soon */
	[R_DUE] = "SELECT r.id, r.occurrence_local, r.person_id, m.id AS"
		  " meeting_id, m.slug, m.title, m.time_zone, m.all_day,"
		  " m.starts_local, m.starts_utc, m.online_url"
		  " FROM registrations r JOIN meetings m ON m.id = r.meeting_id"
		  " WHERE r.state = 'registered' AND r.reminded_at IS NULL"
		  " AND m.status <> 'cancelled'"
		  " AND ((r.occurrence_local = '' AND m.starts_utc >= ?"
		  " AND m.starts_utc <= ?) OR (r.occurrence_local >= ?"
		  " AND r.occurrence_local <= ?))"
		  " ORDER BY r.id LIMIT 500",
	/* once: a second run (another node's) finds it set */
	[R_REMINDED] = "UPDATE registrations SET reminded_at = ?"
		       " WHERE id = ? AND reminded_at IS NULL"
		       " AND state = 'registered'",
	/* the person's registrations, the newest first (MY_MAX of them) */
	[R_MY_LIST] = "SELECT r.id, r.occurrence_local, r.state, r.created_at,"
		      " m.id AS meeting_id, m.slug, m.title, m.time_zone,"
		      " m.starts_local, m.starts_utc, m.ends_utc, m.online_url,"
		      " m.status FROM registrations r"
		      " JOIN meetings m ON m.id = r.meeting_id"
		      " WHERE r.person_id = ? AND r.state <> 'cancelled'"
		      " ORDER BY r.id DESC LIMIT ?",
	/* a place on the waiting list: those who came before, and oneself */
	[R_POSITION] = "SELECT count(*) FROM registrations WHERE meeting_id = ?"
		       " AND occurrence_local = ? AND state = 'waiting'"
		       " AND (created_at < ? OR (created_at = ? AND id <= ?))",
	/* who registered and who waits, in the order they came (WHO_MAX) */
	[R_WHO] = "SELECT r.occurrence_local, r.state, p.name, p.email"
		  " FROM registrations r JOIN people p ON p.id = r.person_id"
		  " WHERE r.meeting_id = ? AND r.state <> 'cancelled'"
		  " ORDER BY r.occurrence_local, r.created_at, r.id LIMIT ?",
	/* binds: meeting, key, key: the people registered or waiting for
	 * the meeting ('' : every registration), or for the occurrence key
	 * and for the whole series */
	[R_TELL] = "SELECT person_id, occurrence_local, state"
		   " FROM registrations WHERE meeting_id = ?"
		   " AND state IN ('registered', 'waiting')"
		   " AND (? = '' OR occurrence_local = ?"
		   " OR occurrence_local = '') ORDER BY id",
	/* the people registered and waiting, every occurrence together */
	[R_TALLY] = "SELECT count(*) FROM registrations WHERE meeting_id = ?"
		    " AND state IN ('registered', 'waiting')",
};

static struct db_sql reg_sql = {"calendar-registration", reg_sql_text,
				R_REG__MAX, 0};

static const char *const state_values[] = {"registered", "waiting",
					   "cancelled", NULL};
static const char *const state_labels[] = {
	N_("You are registered."),
	N_("You are on the waiting list."),
	N_("You cancelled your registration."),
};

/* What a meeting's registration is, for one occurrence. */
struct reg_state {
	int open;              /* registration is taken now */
	const char *why;       /* why not (translated), or NULL */
	int may;               /* the viewer may register */
	const char *mine;      /* the viewer's state, or NULL */
	int64_t mine_id;
	int64_t taken;         /* registered */
	int64_t capacity;      /* -1: no limit */
	int64_t closes;        /* UTC */
};

/* Reads the registration of meeting m (occurrence key; its start
 * starts_utc) for viewer v; 0 or -1. */
static int
reg_read(struct req *r, const struct cal_viewer *v, int team, json_t *m,
	 const char *key, int64_t starts_utc, struct reg_state *st)
{
	const char *reg = json_string_value(json_object_get(m, "registration"));
	const char *status = json_string_value(json_object_get(m, "status"));
	json_t *cap = json_object_get(m, "capacity");
	json_t *closes = json_object_get(m, "registration_closes_utc");
	int64_t id = json_integer_value(json_object_get(m, "id"));
	struct db_stmt *q;
	int rc;

	memset(st, 0, sizeof *st);
	st->capacity = json_is_integer(cap) ? json_integer_value(cap) : -1;
	st->closes = json_is_integer(closes) ? json_integer_value(closes)
					     : starts_utc;
	if (reg == NULL || !strcmp(reg, "none") ||
	    json_integer_value(json_object_get(m, "history")))
		st->why = _("This meeting takes no registration.");
	else if (status && !strcmp(status, "cancelled"))
		st->why = _("This meeting is cancelled.");
	else if (clock_now() >= st->closes)
		st->why = _("Registration has closed.");
	else
		st->open = 1;
	st->may = v->person && (v->admin || !strcmp(reg ? reg : "", "everyone") ||
				(!strcmp(reg ? reg : "", "members") &&
				 v->member) ||
				(!strcmp(reg ? reg : "", "team") && team));
	if ((q = db_stmt(r->db, &reg_sql, R_COUNT)) == NULL)
		return -1;
	db_bind_int(q, 1, id);
	db_bind_text(q, 2, key);
	if (db_one_int(q, &st->taken) != 0)
		return -1;
	if (v->person == 0)
		return 0;
	if ((q = db_stmt(r->db, &reg_sql, R_MINE)) == NULL)
		return -1;
	db_bind_int(q, 1, id);
	db_bind_text(q, 2, key);
	db_bind_int(q, 3, v->person);
	if ((rc = db_step(q)) == DB_ROW) {
		st->mine_id = db_col_int(q, 0);
		st->mine = arena_strdup(r->arena, db_col_text(q, 1));
		db_reset(q);
	} else if (rc != DB_DONE)
		return -1;
	return 0;
}

/* The start of occurrence key of meeting m (a series) or of m itself. */
static int
start_of(struct req *r, json_t *m, const char *key, int64_t *starts)
{
	struct recur_series s;
	struct recur_occurrence o;

	if (cal_series_of(r, m, &s) != 0)
		return -1;
	if (s.rrule && *s.rrule) {
		if (!cal_is_occurrence(&s, key, &o))
			return 1;
		*starts = o.starts_utc;
		return 0;
	}
	if (*key)
		return 1;
	*starts = json_integer_value(json_object_get(m, "starts_utc"));
	return 0;
}

int
cal_registration_section(struct req *r, const struct cal_viewer *v,
			 int team, json_t *m, const char *occurrence)
{
	const char *reg = json_string_value(json_object_get(m, "registration"));
	struct reg_state st;
	int64_t starts;
	json_t *o;

	if (reg == NULL || !strcmp(reg, "none") ||
	    json_integer_value(json_object_get(m, "history")))
		return 0;
	if (occurrence == NULL)
		occurrence = "";
	if (start_of(r, m, occurrence, &starts) != 0)
		return 0; /* no occurrence ahead: nothing to register for */
	if (reg_read(r, v, team, m, occurrence, starts, &st) != 0)
		return -1;
	o = json_pack("{s:b,s:s?,s:s,s:I,s:b,s:b,s:s,s:b}", "open", st.open,
		      "why_closed", st.why, "who_label",
		      cal_label(cal_registrations, cal_registration_labels,
				reg),
		      "taken", (json_int_t)st.taken, "may",
		      st.may && st.open &&
			      (!st.mine || !strcmp(st.mine, "cancelled")),
		      "sign_in", v->person == 0 && st.open, "occurrence",
		      occurrence, "may_cancel",
		      st.mine && strcmp(st.mine, "cancelled") != 0);
	if (st.capacity >= 0) {
		char t[24], c[24];

		snprintf(t, sizeof t, "%lld", (long long)st.taken);
		snprintf(c, sizeof c, "%lld", (long long)st.capacity);
		json_object_set_new(
			o, "places_text",
			json_string(i18n_text(r->arena,
					      _("{taken} of {capacity} places "
						"taken."),
					      "taken", t, "capacity", c, NULL)));
	}
	if (st.mine) {
		json_object_set_new(o, "state", json_string(st.mine));
		json_object_set_new(
			o, "state_label",
			json_string(cal_label(state_values, state_labels,
					      st.mine)));
	}
	if (st.open) {
		char local[RECUR_LOCAL_LEN];

		if (recur_utc_to_local(json_string_value(json_object_get(
					       m, "time_zone")),
				       st.closes, local) == 0)
			json_object_set_new(
				o, "closes_text",
				json_string(cal_local_text(r->arena, local)));
	}
	json_object_set_new(m, "registration_view", o);
	return st.mine && !strcmp(st.mine, "registered");
}

/*
 * Appends to out meeting m (loaded by cal_meeting_load), or its
 * occurrence key when it is a series, as an iCalendar file of one event
 * for a registered person: METHOD:PUBLISH, the UID the personal feed
 * gives it (ics.h's "only": "UID/START" for an occurrence), the online
 * link in its description.  ics.h writes a list of meetings; this puts
 * m's columns under its names.  0, or -1 (nothing written).
 */
static int
meeting_ics(struct req *r, json_t *m, const char *key, int cancel,
	    struct buf *out)
{
	struct ics_calendar cal = {
		.name = json_string_value(json_object_get(m, "title")),
		.base_url = config_current ? config_current->base_url : "",
		.publish = !cancel,
		.cancel = cancel,
		.now = clock_now(),
	};
	json_t *c = json_deep_copy(m), *ov = json_array(), *list;
	struct db_stmt *q;
	size_t n;

	/* a cancellation: the same UID, STATUS:CANCELLED and a SEQUENCE
	 * above the one the person's calendar holds (RFC 5546, 3.2.5) */
	if (cancel) {
		json_object_set_new(c, "status", json_string("cancelled"));
		json_object_set_new(
			c, "sequence",
			json_integer(json_integer_value(
					     json_object_get(m, "sequence")) +
				     1));
	}

	json_object_set(c, "body", json_object_get(m, "body_acronym"));
	json_object_set(c, "party", json_object_get(m, "party_name"));
	json_object_set_new(c, "exdates", json_array());
	if (key && *key) {
		json_object_set_new(c, "only", json_pack("[s]", key));
		if ((q = db_stmt(r->db, &reg_sql, R_OVERRIDE)) == NULL) {
			json_decref(c);
			json_decref(ov);
			return -1;
		}
		db_bind_int(q, 1, json_integer_value(json_object_get(m, "id")));
		db_bind_text(q, 2, key);
		json_decref(ov);
		if ((ov = db_all_json(q)) == NULL) {
			json_decref(c);
			return -1;
		}
	}
	json_object_set_new(c, "overrides", ov);
	list = json_pack("[o]", c);
	n = ics_write(&cal, list, out);
	json_decref(list);
	return n == 1 ? 0 : -1;
}

/* What a letter attaches: nothing, the meeting to add or update it in a
 * calendar program (METHOD:PUBLISH), or its cancellation, which removes
 * it (METHOD:CANCEL). */
enum attach { ATTACH_NONE, ATTACH_EVENT, ATTACH_CANCEL };

/*
 * A letter to person about meeting m: subject (a msgid with {title}) and
 * sentence (a msgid), composed in the person's language (their own when
 * they act: mine); with the meeting (occurrence key) attached as .ics as
 * ics says.
 */
static int
letter(struct req *r, int64_t person, int mine, json_t *m, const char *key,
       enum attach ics, const char *subject, const char *sentence)
{
	struct db_stmt *q = db_stmt(r->db, &reg_sql, R_PERSON);
	const char *name, *email;
	const char *slug = json_string_value(json_object_get(m, "slug"));
	struct buf body = BUF_INIT, cal = BUF_INIT;
	struct mail_attachment att = {0};
	int rc;

	if (q == NULL)
		return -1;
	db_bind_int(q, 1, person);
	if ((rc = db_step(q)) == DB_DONE)
		return 0; /* a disabled account: no letter */
	if (rc != DB_ROW)
		return -1;
	name = arena_strdup(r->arena, db_col_text(q, 0));
	email = arena_strdup(r->arena, db_col_text(q, 1));
	db_reset(q);
	i18n_push(mail_language(r->db, r->arena, email,
				mine ? i18n_code() : NULL));
	buf_puts(&body, _(sentence));
	buf_puts(&body, "\n\n");
	buf_printf(&body, "%s/calendar/%s",
		   config_current ? config_current->base_url : "", slug);
	if (key && *key)
		buf_printf(&body, "?occurrence=%s", key);
	buf_puts(&body, "\n");
	if (ics != ATTACH_NONE &&
	    meeting_ics(r, m, key, ics == ATTACH_CANCEL, &cal) == 0) {
		buf_puts(&body, "\n");
		buf_puts(&body,
			 ics == ATTACH_CANCEL
				 ? _("The cancellation is attached: open the "
				     "file to take the meeting off your "
				     "calendar.")
				 : _("The meeting is attached: open the file "
				     "to add it to your calendar or bring it "
				     "up to date."));
		buf_puts(&body, "\n");
		att.filename = arena_printf(r->arena, "%s.ics", slug);
		att.content_type =
			ics == ATTACH_CANCEL
				? "text/calendar; charset=UTF-8; method=CANCEL"
				: "text/calendar; charset=UTF-8; method=PUBLISH";
		att.data = cal.data;
		att.len = cal.len;
	}
	rc = mail_letter_with(
		r->db, email, name,
		i18n_text(r->arena, _(subject), "title",
			  json_string_value(json_object_get(m, "title")), NULL),
		buf_cstr(&body), att.data ? &att : NULL, att.data ? 1 : 0);
	i18n_pop();
	buf_free(&body);
	buf_free(&cal);
	return rc;
}

int
cal_registrations_tally(struct req *r, int64_t id, int64_t *n)
{
	struct db_stmt *q = db_stmt(r->db, &reg_sql, R_TALLY);

	*n = 0;
	if (q == NULL)
		return -1;
	db_bind_int(q, 1, id);
	return db_one_int(q, n);
}

int
cal_registrations_link(struct req *r, const struct cal_viewer *v, json_t *m)
{
	const char *reg = json_string_value(json_object_get(m, "registration"));
	int64_t id = json_integer_value(json_object_get(m, "id")), n = 0;
	char count[24];
	int org;

	if (reg == NULL || !strcmp(reg, "none") || v->person == 0)
		return 0;
	if ((org = cal_is_organiser(r, v, id)) <= 0)
		return org;
	if (cal_registrations_tally(r, id, &n) != 0)
		return -1;
	snprintf(count, sizeof count, "%lld", (long long)n);
	json_object_set_new(
		m, "registrations_href",
		json_sprintf("/calendar/%s/registrations",
			     json_string_value(json_object_get(m, "slug"))));
	json_object_set_new(m, "registrations_text",
			    json_string(i18n_text(r->arena,
						  _("Registrations ({n})"), "n",
						  count, NULL)));
	return 0;
}

int
cal_tell_registered(struct req *r, json_t *m, const char *key,
		    enum cal_tell change)
{
	struct db_stmt *q = db_stmt(r->db, &reg_sql, R_TELL);
	json_t *rows, *row;
	size_t i;
	int n = 0;

	if (q == NULL)
		return -1;
	db_bind_int(q, 1, json_integer_value(json_object_get(m, "id")));
	db_bind_text(q, 2, key);
	db_bind_text(q, 3, key);
	if ((rows = db_all_json(q)) == NULL)
		return -1;
	json_array_foreach(rows, i, row) {
		int64_t person = json_integer_value(
			json_object_get(row, "person_id"));
		const char *theirs = json_string_value(
			json_object_get(row, "occurrence_local"));
		int registered = !strcmp(json_string_value(json_object_get(
						 row, "state")),
					 "registered");
		/* what they registered for is what is cancelled */
		int gone = change == CAL_TELL_CANCELLED &&
			   !strcmp(theirs, key);
		int rc;

		theirs = arena_strdup(r->arena, theirs);
		if (gone)
			rc = letter(r, person, 0, m, theirs,
				    registered ? ATTACH_CANCEL : ATTACH_NONE,
				    N_("Cancelled: {title}"),
				    registered
					    ? N_("The meeting you registered for "
						 "has been cancelled.")
					    : N_("The meeting whose waiting list "
						 "you are on has been "
						 "cancelled."));
		else if (change == CAL_TELL_CANCELLED)
			rc = letter(r, person, 0, m, theirs,
				    registered ? ATTACH_EVENT : ATTACH_NONE,
				    N_("Changed: {title}"),
				    N_("One meeting of this series has been "
				       "cancelled; the others take place as "
				       "planned."));
		else
			rc = letter(r, person, 0, m, theirs,
				    registered ? ATTACH_EVENT : ATTACH_NONE,
				    N_("Changed: {title}"),
				    N_("The time, place or online link of this "
				       "meeting has changed: see the meeting's "
				       "page."));
		if (rc != 0) {
			json_decref(rows);
			return -1;
		}
		n++;
	}
	json_decref(rows);
	return n;
}

/* The meeting of the route's slug as the viewer may see it: 0; 1 with
 * a 404 or -1 with a 500 answered. */
static int
meeting_or_respond(struct req *r, struct resp *w, struct cal_viewer *v,
		   json_t **m, int *team)
{
	int rc;

	if (cal_viewer_read(r, v) < 0 ||
	    (rc = cal_meeting_load(r, req_param(r, "slug"), m)) < 0) {
		resp_fail(r, w, _("The calendar could not be read."));
		return -1;
	}
	if (rc == 1) {
		resp_error(w, 404, _("There is no such meeting."));
		return 1;
	}
	if ((rc = cal_meeting_visible(r, v, *m, team)) < 0) {
		json_decref(*m);
		resp_fail(r, w, _("The calendar could not be read."));
		return -1;
	}
	if (rc == 0) {
		json_decref(*m);
		*m = NULL;
		resp_error(w, 404, _("There is no such meeting."));
		return 1;
	}
	return 0;
}

static void
back(struct req *r, struct resp *w, json_t *m, const char *done)
{
	resp_redirect(w, arena_printf(r->arena, "/calendar/%s?done=%s",
				      json_string_value(
					      json_object_get(m, "slug")),
				      done));
}

/*
 * POST /calendar/:slug/register: the signed-in viewer registers for the
 * meeting (or the occurrence sent), or joins its waiting list when it is
 * full.  409 when it takes no registration or has closed, 403 when the
 * viewer may not register, 404 for an occurrence it does not have.
 */
static void
reg_register(struct req *r, struct resp *w)
{
	const struct value *ov = req_value(r, "occurrence");
	const char *key = ov->present ? ov->str : "", *state;
	struct cal_viewer v;
	struct reg_state st;
	json_t *m;
	int64_t starts, id, now = clock_now();
	struct db_stmt *q;
	int team, rc;

	if (meeting_or_respond(r, w, &v, &m, &team) != 0)
		return;
	id = json_integer_value(json_object_get(m, "id"));
	{
		const char *reg = json_string_value(
			json_object_get(m, "registration"));

		if (reg == NULL || !strcmp(reg, "none") ||
		    json_integer_value(json_object_get(m, "history"))) {
			json_decref(m);
			return resp_error(w, 409,
					  _("This meeting takes no "
					    "registration."));
		}
	}
	if ((rc = start_of(r, m, key, &starts)) != 0) {
		json_decref(m);
		if (rc < 0)
			return resp_fail(r, w, NULL);
		return resp_error(w, 404,
				  _("This meeting has no such occurrence."));
	}
	if (db_begin(r->db) != 0 ||
	    reg_read(r, &v, team, m, key, starts, &st) != 0) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	if (!st.open) {
		db_rollback(r->db);
		json_decref(m);
		return resp_error(w, 409, st.why);
	}
	if (!st.may) {
		db_rollback(r->db);
		json_decref(m);
		return resp_error(w, 403,
				  _("Registration for this meeting is open to "
				    "others only."));
	}
	if (st.mine && strcmp(st.mine, "cancelled") != 0) {
		db_rollback(r->db);
		back(r, w, m, "registered");
		json_decref(m);
		return;
	}
	state = st.capacity < 0 || st.taken < st.capacity ? "registered"
							  : "waiting";
	if ((q = db_stmt(r->db, &reg_sql, R_PUT)) == NULL)
		goto fail;
	db_bind_int(q, 1, id);
	db_bind_text(q, 2, key);
	db_bind_int(q, 3, v.person);
	db_bind_text(q, 4, state);
	db_bind_int(q, 5, now);
	db_bind_int(q, 6, now);
	if (db_run(q) != 0 ||
	    audit_record_new(r->db, v.person, "registration.create", "meeting",
			     arena_printf(r->arena, "%s:%s",
					  json_string_value(
						  json_object_get(m, "slug")),
					  key),
			     NULL, json_pack("{s:s}", "state", state),
			     r->client) != 0 ||
	    letter(r, v.person, 1, m, key,
		   !strcmp(state, "registered") ? ATTACH_EVENT : ATTACH_NONE,
		   !strcmp(state, "registered") ? N_("Registered: {title}")
						: N_("On the waiting list: "
						     "{title}"),
		   !strcmp(state, "registered")
			   ? N_("You are registered for this meeting.")
			   : N_("The meeting is full: you are on its waiting "
				"list, and registered as soon as a place "
				"frees.")) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	back(r, w, m, state);
	json_decref(m);
	return;
fail:
	json_decref(m);
	resp_fail(r, w, NULL);
}

/*
 * POST /calendar/:slug/unregister: the viewer cancels their registration
 * (or leaves the waiting list); a place freed goes to the first person
 * waiting, who is told.  404 when they had none.
 */
static void
reg_cancel(struct req *r, struct resp *w)
{
	const struct value *ov = req_value(r, "occurrence");
	const char *key = ov->present ? ov->str : "", *slug;
	struct cal_viewer v;
	struct reg_state st;
	json_t *m;
	int64_t starts = 0, id, now = clock_now();
	struct db_stmt *q;
	int team, rc;

	if (meeting_or_respond(r, w, &v, &m, &team) != 0)
		return;
	id = json_integer_value(json_object_get(m, "id"));
	slug = arena_strdup(r->arena,
			    json_string_value(json_object_get(m, "slug")));
	if ((rc = start_of(r, m, key, &starts)) < 0) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	if (db_begin(r->db) != 0 ||
	    reg_read(r, &v, team, m, key, starts, &st) != 0) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	if (st.mine == NULL || !strcmp(st.mine, "cancelled")) {
		db_rollback(r->db);
		json_decref(m);
		return resp_error(w, 404,
				  _("You are not registered for this "
				    "meeting."));
	}
	if ((q = db_stmt(r->db, &reg_sql, R_SET_STATE)) == NULL)
		goto fail;
	db_bind_text(q, 1, "cancelled");
	db_bind_int(q, 2, now);
	db_bind_int(q, 3, st.mine_id);
	if (db_run(q) != 0 ||
	    audit_record_new(r->db, v.person, "registration.cancel", "meeting",
			     arena_printf(r->arena, "%s:%s", slug, key),
			     json_pack("{s:s}", "state", st.mine), NULL,
			     r->client) != 0 ||
	    letter(r, v.person, 1, m, key,
		   !strcmp(st.mine, "registered") ? ATTACH_CANCEL
						   : ATTACH_NONE,
		   N_("Cancelled: {title}"),
		   !strcmp(st.mine, "registered")
			   ? N_("Your registration for this meeting is "
				"cancelled.")
			   : N_("You have left the waiting list of this "
				"meeting.")) != 0)
		goto fail;
	/* a place freed: the first person waiting has it */
	if (!strcmp(st.mine, "registered") && st.capacity >= 0 &&
	    st.taken - 1 < st.capacity) {
		int64_t wid, person;

		if ((q = db_stmt(r->db, &reg_sql, R_FIRST_WAITING)) == NULL)
			goto fail;
		db_bind_int(q, 1, id);
		db_bind_text(q, 2, key);
		if ((rc = db_step(q)) == DB_ROW) {
			wid = db_col_int(q, 0);
			person = db_col_int(q, 1);
			db_reset(q);
			if ((q = db_stmt(r->db, &reg_sql, R_SET_STATE)) ==
			    NULL)
				goto fail;
			db_bind_text(q, 1, "registered");
			db_bind_int(q, 2, now);
			db_bind_int(q, 3, wid);
			if (db_run(q) != 0 ||
			    audit_record_new(
				    r->db, v.person, "registration.move_up",
				    "meeting",
				    arena_printf(r->arena, "%s:%s", slug, key),
				    NULL,
				    json_pack("{s:I}", "person",
					      (json_int_t)person),
				    r->client) != 0 ||
			    letter(r, person, 0, m, key, ATTACH_EVENT,
				   N_("Registered: {title}"),
				   N_("A place has freed: you are now "
				      "registered for this meeting.")) != 0)
				goto fail;
		} else if (rc != DB_DONE)
			goto fail;
	}
	if (db_commit(r->db) != 0)
		goto fail;
	back(r, w, m, "cancelled");
	json_decref(m);
	return;
fail:
	json_decref(m);
	resp_fail(r, w, NULL);
}

/* ---- the reminder the day before ---- */

#define REMIND_JOB "calendar.registration.remind"
#define REMIND_EVERY 3600     /* an hour between runs */
#define REMIND_FROM (24 * 3600) /* remind of what starts 24 to 36 h ahead */
#define REMIND_TO (36 * 3600)

/* The start of the registered occurrence of row x (a due candidate) as
 * it happens: *starts (UTC) and local (in the meeting's zone); 1 when it
 * is cancelled, -1 when unreadable. */
static int
due_start(struct db *db, json_t *x, int64_t *starts, char local[RECUR_LOCAL_LEN])
{
	const char *key = json_string_value(json_object_get(x, "occurrence_local"));
	const char *tz = json_string_value(json_object_get(x, "time_zone"));
	const char *at;
	struct db_stmt *q;
	json_t *ov;
	int cancelled;

	if (key == NULL || tz == NULL)
		return -1;
	at = *key ? key : json_string_value(json_object_get(x, "starts_local"));
	if (at == NULL)
		return -1;
	snprintf(local, RECUR_LOCAL_LEN, "%s", at);
	if (*key) { /* an occurrence moved or cancelled */
		if ((q = db_stmt(db, &reg_sql, R_OVERRIDE)) == NULL)
			return -1;
		db_bind_int(q, 1, json_integer_value(json_object_get(x, "meeting_id")));
		db_bind_text(q, 2, key);
		if ((ov = db_one_json(q)) == NULL)
			return -1;
		cancelled = json_integer_value(json_object_get(ov, "cancelled")) != 0;
		at = json_string_value(json_object_get(ov, "starts_local"));
		if (at)
			snprintf(local, RECUR_LOCAL_LEN, "%s", at);
		json_decref(ov);
		if (cancelled)
			return 1;
	}
	return recur_local_to_utc(tz, local, starts) == 0 ? 0 : -1;
}

/* The reminder of row x to its person, in their language. */
static int
remind_one(struct db *db, struct arena *a, json_t *x, int64_t starts,
	   const char *local)
{
	struct db_stmt *q = db_stmt(db, &reg_sql, R_PERSON);
	const char *name, *email, *online, *key;
	const char *slug = json_string_value(json_object_get(x, "slug"));
	const char *title = json_string_value(json_object_get(x, "title"));
	struct buf body = BUF_INIT;
	int rc;

	if (q == NULL)
		return -1;
	db_bind_int(q, 1, json_integer_value(json_object_get(x, "person_id")));
	if ((rc = db_step(q)) == DB_DONE)
		return 0; /* a disabled account: no letter */
	if (rc != DB_ROW)
		return -1;
	name = arena_strdup(a, db_col_text(q, 0));
	email = arena_strdup(a, db_col_text(q, 1));
	db_reset(q);
	i18n_push(mail_language(db, a, email, NULL));
	i18n_format(&body, _("{title} begins on {when} ({zone})."), "title",
		    title ? title : "", "when", cal_local_text(a, local), "zone",
		    cal_offset_text(a, json_string_value(json_object_get(
					       x, "time_zone")),
				    starts),
		    NULL);
	buf_puts(&body, "\n\n");
	online = json_string_value(json_object_get(x, "online_url"));
	if (online && *online) {
		buf_puts(&body, _("To join online:"));
		buf_printf(&body, " %s\n\n", online);
	}
	buf_printf(&body, "%s/calendar/%s",
		   config_current ? config_current->base_url : "", slug);
	key = json_string_value(json_object_get(x, "occurrence_local"));
	if (key && *key)
		buf_printf(&body, "?occurrence=%s", key);
	buf_puts(&body, "\n");
	rc = mail_letter(db, email, name,
			 i18n_text(a, _("Reminder: {title}"), "title",
				   title ? title : "", NULL),
			 buf_cstr(&body));
	i18n_pop();
	buf_free(&body);
	return rc;
}

/*
 * The job: a reminder to each person registered for a meeting (or an
 * occurrence) that starts 24 to 36 hours from now, once (reminded_at),
 * each in its own transaction with its letter.
 */
static int
remind_due(struct db *db, const char *payload, char *err, size_t errlen)
{
	int64_t now = clock_now(), starts;
	char lo[RECUR_LOCAL_LEN], hi[RECUR_LOCAL_LEN], local[RECUR_LOCAL_LEN];
	struct arena *a = arena_new();
	struct db_stmt *q;
	json_t *due = NULL, *x;
	size_t i, sent = 0;

	(void)payload;
	/* a local time is within 14 hours of UTC: the keys a day around
	 * the window, checked one by one below */
	if (recur_utc_to_local("UTC", now + REMIND_FROM - 86400, lo) != 0 ||
	    recur_utc_to_local("UTC", now + REMIND_TO + 86400, hi) != 0 ||
	    (q = db_stmt(db, &reg_sql, R_DUE)) == NULL)
		goto fail;
	db_bind_int(q, 1, now + REMIND_FROM);
	db_bind_int(q, 2, now + REMIND_TO);
	db_bind_text(q, 3, lo);
	db_bind_text(q, 4, hi);
	if ((due = db_all_json(q)) == NULL)
		goto fail;
	json_array_foreach(due, i, x) {
		int rc = due_start(db, x, &starts, local);

		if (rc != 0 || starts < now + REMIND_FROM ||
		    starts > now + REMIND_TO)
			continue;
		if (db_begin(db) != 0 ||
		    (q = db_stmt(db, &reg_sql, R_REMINDED)) == NULL)
			goto fail_tx;
		db_bind_int(q, 1, now);
		db_bind_int(q, 2, json_integer_value(json_object_get(x, "id")));
		if (db_run(q) != 0)
			goto fail_tx;
		if (db_changes(db) == 1) {
			if (remind_one(db, a, x, starts, local) != 0)
				goto fail_tx;
			sent++;
		}
		if (db_commit(db) != 0)
			goto fail_tx;
	}
	if (sent)
		log_info("calendar: %zu reminders sent", sent);
	json_decref(due);
	arena_free(a);
	return 0;
fail_tx:
	db_rollback(db);
fail:
	json_decref(due);
	arena_free(a);
	snprintf(err, errlen, "sending the meetings' reminders failed");
	return -1;
}

static int64_t
remind_next(int64_t now)
{
	return now + REMIND_EVERY;
}

static const struct module_job remind_job = {
	.kind = REMIND_JOB,
	.run = remind_due,
	.next = remind_next,
	.first = 60,
};
static const struct module_job *const reg_jobs[] = {&remind_job, NULL};

/* ---- the person's page ---- */

/* The most registrations /account/meetings lists (the newest). */
#define MY_MAX 500

struct mine {
	int64_t starts;
	json_t *item;
};

static int
by_start(const void *a, const void *b)
{
	const struct mine *x = a, *y = b;

	return (x->starts > y->starts) - (x->starts < y->starts);
}

/*
 * GET /account/meetings (and /api/v1/account/meetings): the person's
 * registrations, the coming ones first (soonest first), then the past
 * (latest first); each with its state (the place on the waiting list),
 * the form to cancel and, for those registered, the online link.
 */
static void
reg_mine(struct req *r, struct resp *w)
{
	struct db_stmt *q = db_stmt(r->db, &reg_sql, R_MY_LIST);
	json_t *rows, *x, *upcoming = json_array(), *past = json_array();
	json_t *model;
	struct mine *list;
	int64_t now = clock_now();
	size_t i, n = 0;

	if (q == NULL) {
		json_decref(upcoming);
		json_decref(past);
		return resp_fail(r, w, NULL);
	}
	db_bind_int(q, 1, r->person->id);
	db_bind_int(q, 2, MY_MAX);
	if ((rows = db_all_json(q)) == NULL) {
		json_decref(upcoming);
		json_decref(past);
		return resp_fail(r, w, NULL);
	}
	list = xcalloc(json_array_size(rows) + 1, sizeof *list);
	json_array_foreach(rows, i, x) {
		const char *state = json_string_value(json_object_get(x, "state"));
		const char *key = json_string_value(json_object_get(x, "occurrence_local"));
		const char *tz = json_string_value(json_object_get(x, "time_zone"));
		const char *online = json_string_value(json_object_get(x, "online_url"));
		int64_t starts, length, pos = 0;
		char local[RECUR_LOCAL_LEN], iso[32];
		const char *label;
		json_t *item;

		if (state == NULL || due_start(r->db, x, &starts, local) < 0)
			continue;
		length = json_integer_value(json_object_get(x, "ends_utc")) -
			 json_integer_value(json_object_get(x, "starts_utc"));
		if (!strcmp(state, "waiting")) {
			if ((q = db_stmt(r->db, &reg_sql, R_POSITION)) == NULL)
				goto fail;
			db_bind_int(q, 1, json_integer_value(json_object_get(x, "meeting_id")));
			db_bind_text(q, 2, key ? key : "");
			db_bind_int(q, 3, json_integer_value(json_object_get(x, "created_at")));
			db_bind_int(q, 4, json_integer_value(json_object_get(x, "created_at")));
			db_bind_int(q, 5, json_integer_value(json_object_get(x, "id")));
			if (db_one_int(q, &pos) != 0)
				goto fail;
			label = i18n_text(r->arena,
					  _("On the waiting list, number {n}"),
					  "n", arena_printf(r->arena, "%lld",
							    (long long)pos),
					  NULL);
		} else {
			label = _("Registered");
		}
		cal_iso(starts, iso);
		item = json_pack(
			"{s:O,s:O,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "slug",
			json_object_get(x, "slug"), "title",
			json_object_get(x, "title"), "occurrence", key ? key : "",
			"when_text", cal_local_text(r->arena, local), "zone_text",
			cal_offset_text(r->arena, tz, starts), "starts_iso", iso,
			"state", state, "state_label", label, "registered",
			!strcmp(state, "registered"));
		if (key && *key)
			json_object_set_new(
				item, "href",
				json_string(arena_printf(r->arena,
							 "/calendar/%s?occurrence=%s",
							 json_string_value(json_object_get(x, "slug")),
							 key)));
		else
			json_object_set_new(
				item, "href",
				json_string(arena_printf(r->arena, "/calendar/%s",
							 json_string_value(json_object_get(x, "slug")))));
		if (!strcmp(state, "registered") && online && *online)
			json_object_set_new(item, "online_url", json_string(online));
		if (json_string_value(json_object_get(x, "status")) &&
		    !strcmp(json_string_value(json_object_get(x, "status")),
			    "cancelled"))
			json_object_set_new(item, "cancelled", json_true());
		list[n].starts = starts;
		list[n].item = item;
		if (starts + (length > 0 ? length : 0) >= now)
			json_object_set_new(item, "upcoming", json_true());
		n++;
	}
	qsort(list, n, sizeof *list, by_start);
	for (i = 0; i < n; i++)
		if (json_object_get(list[i].item, "upcoming"))
			json_array_append(upcoming, list[i].item);
	for (i = n; i-- > 0;) {
		if (!json_object_get(list[i].item, "upcoming"))
			json_array_append(past, list[i].item);
		json_decref(list[i].item);
	}
	free(list);
	json_decref(rows);
	model = json_pack("{s:o,s:o,s:s,s:b}", "upcoming", upcoming, "past",
			  past, "csrf", r->csrf_token ? r->csrf_token : "",
			  "none", json_array_size(upcoming) + json_array_size(past) == 0);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "calendar/templates/my_meetings.html",
		  _("Your meetings"), model);
	return;
fail:
	for (i = 0; i < n; i++)
		json_decref(list[i].item);
	free(list);
	json_decref(rows);
	json_decref(upcoming);
	json_decref(past);
	resp_fail(r, w, NULL);
}

/* ---- the organisers' list ---- */

#define WHO_MAX 2000

/*
 * GET /calendar/:slug/registrations (and under /api/v1): who registered
 * for the meeting and who waits, by occurrence, in the order they came;
 * for its organisers (cal_is_organiser), as for its minutes and
 * documents.
 */
static void
reg_who(struct req *r, struct resp *w)
{
	struct cal_viewer v;
	json_t *m, *rows, *x, *registered, *waiting, *model;
	struct db_stmt *q;
	int64_t pos = 0;
	int org;
	const char *last = NULL;
	size_t i;
	int team;

	if (meeting_or_respond(r, w, &v, &m, &team) != 0)
		return;
	if ((org = cal_is_organiser(
		     r, &v, json_integer_value(json_object_get(m, "id")))) <= 0) {
		json_decref(m);
		if (org < 0)
			return resp_fail(r, w, NULL);
		return resp_error(w, 403,
				  _("Only the organisers see who registered."));
	}
	if ((q = db_stmt(r->db, &reg_sql, R_WHO)) == NULL) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	db_bind_int(q, 1, json_integer_value(json_object_get(m, "id")));
	db_bind_int(q, 2, WHO_MAX);
	if ((rows = db_all_json(q)) == NULL) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	registered = json_array();
	waiting = json_array();
	json_array_foreach(rows, i, x) {
		const char *key = json_string_value(json_object_get(x, "occurrence_local"));
		const char *state = json_string_value(json_object_get(x, "state"));
		json_t *o;

		if (key == NULL || state == NULL)
			continue;
		if (last == NULL || strcmp(last, key) != 0)
			pos = 0;
		last = key;
		o = json_pack("{s:O,s:O,s:s,s:s}", "name",
			      json_object_get(x, "name"), "email",
			      json_object_get(x, "email"), "occurrence", key,
			      "when_text",
			      *key ? cal_local_text(r->arena, key) : "");
		if (!strcmp(state, "waiting")) {
			json_object_set_new(o, "position", json_integer(++pos));
			json_array_append_new(waiting, o);
		} else {
			json_array_append_new(registered, o);
		}
	}
	json_decref(rows);
	model = json_pack("{s:O,s:O,s:o,s:o,s:I,s:I}", "slug",
			  json_object_get(m, "slug"), "title",
			  json_object_get(m, "title"), "registered", registered,
			  "waiting", waiting, "registered_count",
			  (json_int_t)json_array_size(registered),
			  "waiting_count", (json_int_t)json_array_size(waiting));
	json_decref(m);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "calendar/templates/registrations.html",
		  _("Registrations"), model);
}

static const struct field reg_fields[] = {
	{.name = "occurrence",
	 .type = FT_TEXT,
	 .maxlen = 19,
	 .label = N_("Occurrence")},
	{0},
};

static const struct route reg_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/calendar/:slug/registrations",
	 .who = ACCESS_MEMBER,
	 .handler = reg_who,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Who registered for a meeting and who waits (its "
		    "organisers: the secretariat, the party's chair, co-chair "
		    "and rapporteur, or the person who entered it)"},
	{.method = HTTP_GET,
	 .pattern = "/account/meetings",
	 .who = ACCESS_MEMBER,
	 .handler = reg_mine,
	 .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "The signed-in person's registrations: the coming ones, "
		    "then the past, each with its state (also "
		    "/api/v1/account/meetings)"},
	{.method = HTTP_POST,
	 .pattern = "/calendar/:slug/register",
	 .who = ACCESS_MEMBER,
	 .fields = reg_fields,
	 .handler = reg_register,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Registers the signed-in person for a meeting (or one "
		    "occurrence), or puts them on its waiting list"},
	{.method = HTTP_POST,
	 .pattern = "/calendar/:slug/unregister",
	 .who = ACCESS_MEMBER,
	 .fields = reg_fields,
	 .handler = reg_cancel,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Cancels the signed-in person's registration; the first "
		    "person waiting moves up"},
};

const struct module calendar_registration_module = {
	.name = "calendar-registration",
	.routes = reg_routes,
	.nroutes = ARRAY_LEN(reg_routes),
	.sql = &reg_sql,
	.jobs = reg_jobs,
};
