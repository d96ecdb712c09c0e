/*
 * desk_occurrence.c -- see calendar.h.  A meeting on the secretariat's
 * desk: its page (GET /admin/calendar/:slug) with, for a series, its
 * next occurrences, each with its forms; and one occurrence skipped
 * (EXDATE), cancelled or moved (an override), or put back as the rule
 * makes it (POST /admin/calendar/:slug/occurrence).  Every change is one
 * transaction with its audit record; it adds one to the meeting's
 * sequence, sets updated_at and last_ends_utc again (recur.c), and tells
 * the people registered for the occurrence (cal_tell_registered).
 */
#include "desk_int.h"

#include <stdio.h>
#include <string.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"

enum stmt_occ {
	D_EXDATE_ADD,
	D_EXDATE_DEL,
	D_OVERRIDE_PUT,
	D_OVERRIDE_DEL,
	D_BUMP,
	D_OCC__MAX,
};

static const char *const occ_sql_text[D_OCC__MAX] = {
	[D_EXDATE_ADD] = "INSERT INTO meeting_exdates (meeting_id,"
			 " occurrence_local) VALUES (?, ?)"
			 " ON CONFLICT (meeting_id, occurrence_local)"
			 " DO NOTHING",
	[D_EXDATE_DEL] = "DELETE FROM meeting_exdates WHERE meeting_id = ?"
			 " AND occurrence_local = ?",
	[D_OVERRIDE_PUT] =
		"INSERT INTO meeting_overrides (meeting_id, recurrence_local,"
		" starts_local, ends_local, starts_utc, ends_utc, cancelled)"
		" VALUES (?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (meeting_id, recurrence_local) DO UPDATE SET"
		" starts_local = excluded.starts_local,"
		" ends_local = excluded.ends_local,"
		" starts_utc = excluded.starts_utc,"
		" ends_utc = excluded.ends_utc,"
		" cancelled = excluded.cancelled",
	[D_OVERRIDE_DEL] = "DELETE FROM meeting_overrides WHERE meeting_id = ?"
			   " AND recurrence_local = ?",
	[D_BUMP] = "UPDATE meetings SET sequence = sequence + 1,"
		   " updated_at = ?, last_ends_utc = ? WHERE id = ?",
};

static struct db_sql occ_sql = {"calendar-desk-occurrence", occ_sql_text,
				D_OCC__MAX, 0};

/* The occurrences the desk page lists: the next ones (or the first
 * ones of a series that has ended). */
#define DESK_OCCURRENCES 20

/*
 * GET /admin/calendar/:slug: the form with the meeting's values, and for
 * a series its next occurrences, each with its forms (skip, cancel,
 * move, put back).
 */
void
desk_meeting_page(struct req *r, struct resp *w, int status, json_t *m,
		  const char *failed)
{
	struct recur_series s;
	struct recur_occurrence occ[DESK_OCCURRENCES];
	json_t *list = json_array(), *model, *exdates = json_array();
	const struct value *done = req_value(r, "done");
	size_t n = 0;
	int64_t now = clock_now(), told = 0;

	if (cal_series_of(r, m, &s) != 0) {
		json_decref(list);
		json_decref(exdates);
		json_decref(m);
		return desk_read_failed(r, w);
	}
	if (s.rrule && *s.rrule) {
		if (recur_expand(&s, now, INT64_MAX / 2, occ, DESK_OCCURRENCES,
				 &n) < 0 ||
		    n == 0)
			recur_expand(&s, INT64_MIN / 2, INT64_MAX / 2, occ,
				     DESK_OCCURRENCES, &n);
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_pack(
				"{s:s,s:s,s:b,s:b,s:s,s:s,s:s,s:s}", "key",
				occ[i].key, "when_text",
				cal_span_text(r->arena, occ[i].starts_local,
					      occ[i].ends_local),
				"cancelled", occ[i].cancelled, "moved",
				occ[i].moved, "starts_date",
				arena_printf(r->arena, "%.10s",
					     occ[i].starts_local),
				"starts_time",
				strlen(occ[i].starts_local) > 10
					? arena_printf(r->arena, "%.5s",
						       occ[i].starts_local + 11)
					: "",
				"ends_date",
				arena_printf(r->arena, "%.10s",
					     occ[i].ends_local),
				"ends_time",
				strlen(occ[i].ends_local) > 10
					? arena_printf(r->arena, "%.5s",
						       occ[i].ends_local + 11)
					: "");

			json_object_set_new(o, "changed",
					    json_boolean(occ[i].override !=
							 NULL));
			json_object_set_new(
				o, "id",
				json_sprintf("o%zu", i));
			if (failed && !strcmp(failed, occ[i].key) && r->errors)
				json_object_set(o, "errors", r->errors);
			json_array_append_new(list, o);
		}
		for (size_t i = 0; i < s.nexdates; i++)
			json_array_append_new(
				exdates,
				json_pack("{s:s,s:s}", "key", s.exdates[i],
					  "when_text",
					  cal_local_text(r->arena,
							 s.exdates[i])));
	}
	model = json_pack("{s:O,s:O,s:O,s:O,s:o,s:o,s:b,s:b}", "slug",
			  json_object_get(m, "slug"), "title",
			  json_object_get(m, "title"), "all_day",
			  json_object_get(m, "all_day"), "href",
			  json_object_get(m, "slug"), "occurrences", list,
			  "exdates", exdates, "recurring",
			  s.rrule && *s.rrule, "history",
			  json_integer_value(json_object_get(m, "history")) !=
				  0);
	/* who a deletion will reach (cal_tell_registered) */
	if (cal_registrations_tally(r, json_integer_value(json_object_get(
						  m, "id")),
				    &told) != 0) {
		json_decref(model);
		json_decref(m);
		return desk_read_failed(r, w);
	}
	if (told > 0) {
		char count[24];

		snprintf(count, sizeof count, "%lld", (long long)told);
		json_object_set_new(
			model, "told_text",
			json_string(i18n_text(
				r->arena,
				_n("{n} person registered or waiting will be "
				   "told that it is cancelled, with the "
				   "cancellation for their calendar.",
				   "{n} people registered or waiting will be "
				   "told that it is cancelled, with the "
				   "cancellation for their calendar.",
				   (unsigned long)told),
				"n", count, NULL)));
	}
	if (done->present)
		json_object_set_new(
			model, "notice",
			json_string(_("Saved. The change is in the audit log.")));
	if (r->errors && failed)
		resp_form_errors(model, r->errors);
	json_decref(m);
	admin_secretariat_page(r, w, status,
			       "calendar/templates/admin_meeting.html",
			       json_string_value(json_object_get(model, "title")),
			       NULL, model);
}

static void
desk_meeting(struct req *r, struct resp *w)
{
	json_t *m;

	if (desk_meeting_or_respond(r, w, &m) != 0)
		return;
	desk_meeting_page(r, w, 200, m, NULL);
}

/*
 * POST /admin/calendar/:slug/occurrence: one occurrence (key: its
 * original local start) skipped (EXDATE), cancelled or moved (an
 * override), or put back as the rule makes it.  A time that does not
 * make one shows the page again (422) with the message at its form.
 */
static void
desk_occurrence(struct req *r, struct resp *w)
{
	const char *key = desk_text(r, "occurrence"), *action = desk_text(r, "action");
	const char *slug, *starts = NULL, *ends = NULL;
	struct recur_series s;
	json_t *m;
	int64_t id, a = 0, b = 0, sa, sb, last;
	int has_last, all_day;
	struct db_stmt *st;
	int rc = 0;

	if (desk_meeting_or_respond(r, w, &m) != 0)
		return;
	id = json_integer_value(json_object_get(m, "id"));
	slug = arena_strdup(r->arena, desk_str(m, "slug"));
	all_day = json_integer_value(json_object_get(m, "all_day")) != 0;
	if (cal_series_of(r, m, &s) != 0) {
		json_decref(m);
		return desk_read_failed(r, w);
	}
	if (key == NULL || action == NULL || s.rrule == NULL ||
	    !cal_is_occurrence(&s, key, NULL)) {
		json_decref(m);
		return resp_error(w, 404,
				  _("This meeting has no such occurrence."));
	}
	if (!strcmp(action, "move")) {
		starts = desk_local_of(r, "starts_date", "starts_time", all_day, 1);
		ends = desk_text(r, "ends_date") || desk_text(r, "ends_time")
			       ? desk_local_of(r, "ends_date", "ends_time", all_day,
					  1)
			       : starts;
		if (starts && ends &&
		    (recur_local_to_utc(s.tzid, starts, &a) != 0 ||
		     recur_local_to_utc(s.tzid, ends, &b) != 0 || b < a))
			req_error(r, "ends_date",
				  _("The end must come after the start."));
		if (r->errors)
			return desk_meeting_page(r, w, 422, m, key);
		if (all_day)
			b += 86400; /* the day after its last */
	} else if (!strcmp(action, "cancel")) {
		struct recur_occurrence o[2];
		struct recur_series bare = s;
		size_t n;
		int64_t t;

		/* cancelled where it was: its own times */
		starts = key;
		bare.nexdates = bare.noverrides = 0;
		if (recur_local_to_utc(s.tzid, key, &t) == 0 &&
		    recur_expand(&bare, t, t + 1, o, 2, &n) >= 0 && n > 0) {
			ends = arena_strdup(r->arena, o[0].ends_local);
			a = o[0].starts_utc;
			b = o[0].ends_utc;
		}
		if (ends == NULL) {
			json_decref(m);
			return resp_fail(r, w, NULL);
		}
	}
	if (db_begin(r->db) != 0) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	if (!strcmp(action, "skip")) {
		if ((st = db_stmt(r->db, &occ_sql, D_EXDATE_ADD)) == NULL)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, key);
		rc = db_run(st);
	} else if (!strcmp(action, "restore")) {
		if ((st = db_stmt(r->db, &occ_sql, D_EXDATE_DEL)) == NULL)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, key);
		if (db_run(st) != 0 ||
		    (st = db_stmt(r->db, &occ_sql, D_OVERRIDE_DEL)) == NULL)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, key);
		rc = db_run(st);
	} else {
		if ((st = db_stmt(r->db, &occ_sql, D_OVERRIDE_PUT)) == NULL)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, key);
		db_bind_text(st, 3, starts);
		db_bind_text(st, 4, ends);
		db_bind_int(st, 5, a);
		db_bind_int(st, 6, b);
		db_bind_int(st, 7, !strcmp(action, "cancel"));
		rc = db_run(st);
	}
	if (rc != 0)
		goto fail;
	/* the series' last end again, with the change */
	if (cal_series_of(r, m, &s) != 0 ||
	    recur_bounds(&s, &sa, &sb, &last, &has_last) != 0 ||
	    (st = db_stmt(r->db, &occ_sql, D_BUMP)) == NULL)
		goto fail;
	db_bind_int(st, 1, clock_now());
	desk_bind_n(st, 2, has_last ? last : -1);
	db_bind_int(st, 3, id);
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id,
		    arena_printf(r->arena, "meeting.occurrence.%s", action),
		    "meeting", arena_printf(r->arena, "%s:%s", slug, key), NULL,
		    json_pack("{s:s,s:s?,s:s?}", "occurrence", key, "starts",
			      starts, "ends", ends),
		    r->client) != 0 ||
	    desk_tell(r, slug, key,
		 !strcmp(action, "skip") || !strcmp(action, "cancel")
			 ? CAL_TELL_CANCELLED
			 : CAL_TELL_CHANGED) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	json_decref(m);
	resp_redirect(w, arena_printf(r->arena, "/admin/calendar/%s?done=saved",
				      slug));
	return;
fail:
	json_decref(m);
	resp_fail(r, w, NULL);
}

/* ---- the tables ---- */

static const char *const action_values[] = {"skip", "cancel", "move",
					    "restore", NULL};

static const struct field meeting_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = desk_done_values},
	{0},
};

static const struct field occurrence_fields[] = {
	{.name = "occurrence",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 19,
	 .label = N_("Occurrence")},
	{.name = "action",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = action_values,
	 .label = N_("Action")},
	TIME_FIELDS,
	{0},
};

static const struct route occ_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/admin/calendar/:slug",
	 .who = ACCESS_ADMIN,
	 .fields = meeting_fields,
	 .handler = desk_meeting,
	 .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "A meeting on the desk: its occurrences to skip, cancel "
		    "or move, and deleting it"},
	{.method = HTTP_POST,
	 .pattern = "/admin/calendar/:slug/occurrence",
	 .who = ACCESS_ADMIN,
	 .fields = occurrence_fields,
	 .handler = desk_occurrence,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Skips, cancels, moves or puts back one occurrence of a "
		    "series"},
};

/* After calendar_desk_module, whose /admin/calendar/new comes first. */
const struct module calendar_desk_occurrence_module = {
	.name = "calendar-desk-occurrence",
	.routes = occ_routes,
	.nroutes = ARRAY_LEN(occ_routes),
	.sql = &occ_sql,
};
