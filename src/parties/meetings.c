/*
 * meetings.c -- see parties.h: a party's meeting schedule, for now as
 * dated entries of its own table (party_meetings: a date, an optional
 * time with its IANA zone, a place, a note, a visibility).  This is an
 * interim schedule, not a calendar: the calendar issue builds the
 * site's calendar and takes these rows over (the same columns an event
 * needs); until then nothing here repeats, invites or exports.
 *
 * The chairs (party.manage) add, edit and delete entries while the party
 * is active; the party's page shows the upcoming ones first, then the
 * latest past ones, each only to whom its visibility allows.
 */
#include "parties_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/util.h"

/* Past meetings the party's page shows at most (the latest). */
#define PAST_SHOWN 10
/* Upcoming meetings it shows at most (the next). */
#define UPCOMING_SHOWN 50
/* Past meetings a page of the full list shows. */
#define PAST_PAGE 25

enum stmt_meetings {
	M_UPCOMING,
	M_PAST,
	M_GET,
	M_INSERT,
	M_UPDATE,
	M_DELETE,
	M_MEETINGS__MAX,
};

#define M_COLS                                                                 \
	"SELECT id, title, starts_on, starts_at_time, time_zone, place,"       \
	" note_md, visibility FROM party_meetings"

static const char *const meetings_sql_text[M_MEETINGS__MAX] = {
	/* binds: the party, today 'YYYY-MM-DD', the viewer's level, limit */
	[M_UPCOMING] = M_COLS " WHERE party_id = ? AND starts_on >= ?"
			      " AND " PARTY_VISIBLE("visibility")
			      " ORDER BY starts_on, starts_at_time, id LIMIT ?",
	/* binds: the same, and the offset */
	[M_PAST] = M_COLS " WHERE party_id = ? AND starts_on < ?"
			  " AND " PARTY_VISIBLE("visibility")
			  " ORDER BY starts_on DESC, starts_at_time DESC,"
			  " id DESC LIMIT ? OFFSET ?",
	[M_GET] = M_COLS " WHERE id = ? AND party_id = ?",
	[M_INSERT] = "INSERT INTO party_meetings (party_id, title, starts_on,"
		     " starts_at_time, time_zone, place, note_md, visibility,"
		     " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
		     " ?, ?)",
	[M_UPDATE] = "UPDATE party_meetings SET title = ?, starts_on = ?,"
		     " starts_at_time = ?, time_zone = ?, place = ?,"
		     " note_md = ?, visibility = ? WHERE id = ?"
		     " AND party_id = ?",
	[M_DELETE] = "DELETE FROM party_meetings WHERE id = ? AND party_id = ?",
};

static struct db_sql meetings_sql = {"party_meetings", meetings_sql_text,
				     M_MEETINGS__MAX, 0};

/* The zones the form offers; any other IANA name may be typed. */
static const char *const common_zones[] = {
	"UTC",		  "Europe/Vienna",    "Europe/Geneva",
	"Europe/London",  "Europe/Paris",     "America/New_York",
	"America/Bogota", "America/Sao_Paulo", "Africa/Nairobi",
	"Africa/Lagos",	  "Asia/Bangkok",     "Asia/Tokyo",
	"Australia/Sydney", NULL,
};

/* 'YYYY-MM-DD' as words ("03 Mar 2027", the month in the reader's
 * language) into out; the text itself when it is not a date. */
static void
date_words(const char *ymd, char *out, size_t len)
{
	struct tm tm = {0};
	char text[80];
	size_t n;

	if (ymd == NULL ||
	    sscanf(ymd, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday) != 3) {
		snprintf(out, len, "%s", ymd ? ymd : "");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	render_time_text(&tm, text, sizeof text);
	/* "03 Mar 2027, 00:00 UTC": the date is what comes before ", " */
	n = strcspn(text, ",");
	snprintf(out, len, "%.*s", (int)n, text);
}

/* Today, 'YYYY-MM-DD' (UTC), by the business clock. */
static void
today_text(char out[11])
{
	time_t now = (time_t)clock_now();
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Whether s is "HH:MM", a time of day. */
static int
time_valid(const char *s)
{
	return strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
	       s[1] <= '9' && s[2] == ':' && s[3] >= '0' && s[3] <= '5' &&
	       s[4] >= '0' && s[4] <= '9' && (s[0] < '2' || s[1] <= '3');
}

/* Whether s names an IANA time zone: one of ours, or a well-formed name
 * the system's zone database has (when it has one at all). */
static int
zone_valid(const char *s)
{
	char path[160];
	struct stat sb;

	for (size_t i = 0; common_zones[i]; i++)
		if (strcmp(s, common_zones[i]) == 0)
			return 1;
	if (*s == '\0' || strlen(s) > 64 || *s == '/' || strstr(s, "..") ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789/_+-") != strlen(s))
		return 0;
	if (stat("/usr/share/zoneinfo", &sb) != 0)
		return 1; /* no database here to ask: the form is enough */
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", s);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The rows of a meetings list made readable: date_text, time text,
 * note_html, visibility_label, and the edit link for managers. */
static void
dress(json_t *rows, const struct party *p, const struct party_viewer *v)
{
	json_t *row;
	size_t i;
	char words[80];

	json_array_foreach(rows, i, row) {
		const char *md = json_string_value(json_object_get(row, "note_md"));

		date_words(json_string_value(json_object_get(row, "starts_on")),
			   words, sizeof words);
		json_object_set_new(row, "date_text", json_string(words));
		if (md && *md)
			json_object_set_new(row, "note_html",
					    render_markdown(md));
		json_object_set_new(
			row, "visibility_label",
			json_string(party_visibility_label(json_string_value(
				json_object_get(row, "visibility")))));
		if (v->manages)
			json_object_set_new(
				row, "edit_href",
				json_sprintf("/working-parties/%s/meetings/"
					     "%lld/edit",
					     p->slug,
					     (long long)json_integer_value(
						     json_object_get(row,
								     "id"))));
	}
}

static json_t *
list(struct req *r, enum stmt_meetings s, const struct party *p,
     const struct party_viewer *v, const char *today, int64_t limit,
     int64_t offset)
{
	struct db_stmt *st = db_stmt(r->db, &meetings_sql, s);
	json_t *rows;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, p->id);
	db_bind_text(st, 2, today);
	db_bind_int(st, 3, v->level);
	db_bind_int(st, 4, limit);
	if (s == M_PAST)
		db_bind_int(st, 5, offset);
	if ((rows = db_all_json(st)) != NULL)
		dress(rows, p, v);
	return rows;
}

int
party_meetings_section(struct req *r, const struct party *p,
		       const struct party_viewer *v, json_t *model)
{
	char today[11];
	json_t *up, *past;

	today_text(today);
	up = list(r, M_UPCOMING, p, v, today, UPCOMING_SHOWN, 0);
	past = up ? list(r, M_PAST, p, v, today, PAST_SHOWN + 1, 0) : NULL;
	if (past == NULL) {
		json_decref(up);
		return -1;
	}
	json_object_set_new(
		model, "meetings",
		json_pack("{s:o,s:b,s:o,s:b,s:s++}", "upcoming", up, "more_past",
			  pager_trim(past, PAST_SHOWN), "past", past, "any",
			  json_array_size(up) + json_array_size(past) > 0,
			  "new_href", "/working-parties/", p->slug,
			  "/meetings/new"));
	json_object_set_new(json_object_get(model, "meetings"), "past_href",
			    json_sprintf("/working-parties/%s/meetings",
					 p->slug));
	return 0;
}

/* GET /working-parties/:slug/meetings: every past meeting the viewer
 * may see, latest first, a page at a time. */
static void
meetings_past(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct pager pg;
	char today[11];
	json_t *rows;
	int more;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	today_text(today);
	pager_read(r, PAST_PAGE, &pg);
	if ((rows = list(r, M_PAST, &p, &v, today, PAST_PAGE + 1,
			 pager_offset(&pg))) == NULL)
		return resp_fail(r, w, NULL);
	more = pager_trim(rows, PAST_PAGE);
	resp_page(w, 200, "parties/templates/meetings_past.html",
		  i18n_text(r->arena, _("Past meetings: {party}"), "party",
			    p.name, NULL),
		  json_pack("{s:o,s:o,s:o}", "party", party_json(&p, &v),
			    "past", rows, "pager",
			    pager_model(r, &pg,
					arena_printf(r->arena,
						     "/working-parties/%s/"
						     "meetings",
						     p.slug),
					NULL, more, -1)));
}

/* ---- the chairs' forms ---- */

/* The form's page: values from r->input when it was sent, else from
 * meeting (the stored row; NULL for a new one), with r->errors. */
static void
form_page(struct req *r, struct resp *w, const struct party *p,
	  const struct party_viewer *v, int status, int64_t id,
	  json_t *meeting)
{
	json_t *values = r->input ? json_deep_copy(r->input)
			 : meeting    ? json_incref(meeting)
				      : json_pack("{s:s,s:s}", "time_zone",
						  "UTC", "visibility",
						  "public");
	const char *vis = json_string_value(json_object_get(values,
							     "visibility"));
	json_t *vis_opts = json_array(), *zones = json_array(), *model;

	for (size_t i = 0; party_visibility_values[i]; i++)
		json_array_append_new(
			vis_opts,
			json_pack("{s:s,s:s,s:b}", "value",
				  party_visibility_values[i], "label",
				  _(party_visibility_labels[i]), "selected",
				  vis && !strcmp(vis, party_visibility_values[i])));
	for (size_t i = 0; common_zones[i]; i++)
		json_array_append_new(zones, json_string(common_zones[i]));
	model = json_pack("{s:o,s:o,s:o,s:o,s:b,s:s}", "party",
			  party_json(p, v), "meeting", values, "visibilities",
			  vis_opts, "zones", zones, "is_new", id == 0,
			  "action",
			  id ? arena_printf(r->arena,
					    "/working-parties/%s/meetings/%lld",
					    p->slug, (long long)id)
			     : arena_printf(r->arena,
					    "/working-parties/%s/meetings",
					    p->slug));
	json_decref(meeting);
	if (id)
		json_object_set_new(model, "delete_action",
				    json_sprintf("/working-parties/%s/meetings/"
						 "%lld/delete",
						 p->slug, (long long)id));
	json_object_set_new(model, "errors",
			    r->errors ? json_incref(r->errors) : json_object());
	resp_form_errors(model, r->errors);
	resp_page(w, status, "parties/templates/meeting_form.html",
		  id ? _("Edit a meeting") : _("Add a meeting"), model);
}

/* The meeting :id of party p as a row (new reference) in *row: 0, 1
 * with a 404 in w, -1 with a 500. */
static int
meeting_or_respond(struct req *r, struct resp *w, const struct party *p,
		   json_t **row)
{
	struct db_stmt *st = db_stmt(r->db, &meetings_sql, M_GET);

	if (st) {
		db_bind_int(st, 1, req_param_id(r));
		db_bind_int(st, 2, p->id);
	}
	return party_row_or_respond(r, w, st, _("There is no such meeting."),
				    row);
}

/* GET /working-parties/:slug/meetings/new */
static void
meeting_new(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	form_page(r, w, &p, &v, 200, 0, NULL);
}

/* GET /working-parties/:slug/meetings/:id/edit */
static void
meeting_edit(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *row;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0 ||
	    meeting_or_respond(r, w, &p, &row) != 0)
		return;
	if (json_is_null(json_object_get(row, "starts_at_time")))
		json_object_set_new(row, "starts_at_time", json_string(""));
	if (json_is_null(json_object_get(row, "time_zone")))
		json_object_set_new(row, "time_zone", json_string("UTC"));
	json_object_set(row, "note", json_object_get(row, "note_md"));
	form_page(r, w, &p, &v, 200, req_param_id(r), row);
}

static void
add_error(struct req *r, const char *field, const char *message)
{
	if (r->errors == NULL)
		r->errors = json_object();
	if (json_object_get(r->errors, field) == NULL)
		json_object_set_new(r->errors, field, json_string(message));
}

/* What the audit log keeps of a meeting as sent. */
static json_t *
sent_json(struct req *r, const char *time, const char *zone)
{
	return json_pack("{s:s,s:s,s:s?,s:s?,s:s,s:s}", "title",
			 req_value(r, "title")->str, "starts_on",
			 req_value(r, "starts_on")->str, "time", time, "zone",
			 zone, "place",
			 req_value(r, "place")->present
				 ? req_value(r, "place")->str
				 : "",
			 "visibility", req_value(r, "visibility")->str);
}

/*
 * POST /working-parties/:slug/meetings and .../meetings/:id: adds a
 * meeting, or changes one; the form again (422) on bad input.  A time
 * needs its zone (typed or chosen: an IANA name the system knows); a
 * zone without a time is not kept.
 */
static void
meeting_save(struct req *r, struct resp *w)
{
	const struct value *tv = req_value(r, "starts_at_time");
	const struct value *zv = req_value(r, "time_zone");
	const char *time = tv->present && *tv->str ? tv->str : NULL;
	const char *zone = zv->present && *zv->str ? zv->str : NULL;
	int64_t id = req_param(r, "id") ? req_param_id(r) : 0;
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *before = NULL;
	int i = 1;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	if (req_param(r, "id") && meeting_or_respond(r, w, &p, &before) != 0)
		return;
	if (time && !time_valid(time))
		add_error(r, "starts_at_time",
			  _("Enter the time as hours and minutes, such as "
			    "14:30."));
	if (time && zone == NULL)
		add_error(r, "time_zone",
			  _("Choose the time zone of the time, such as "
			    "Europe/Vienna."));
	if (zone && !zone_valid(zone))
		add_error(r, "time_zone",
			  _("This is not a time zone we know: choose one of "
			    "the list or type a name such as Europe/Vienna."));
	if (r->errors) {
		json_decref(before);
		return form_page(r, w, &p, &v, 422, id, NULL);
	}
	if (time == NULL)
		zone = NULL;
	if (db_begin(r->db) != 0)
		goto fail;
	if ((st = db_stmt(r->db, &meetings_sql,
			  id ? M_UPDATE : M_INSERT)) == NULL)
		goto fail;
	if (!id)
		db_bind_int(st, i++, p.id);
	db_bind_text(st, i++, req_value(r, "title")->str);
	db_bind_text(st, i++, req_value(r, "starts_on")->str);
	db_bind_text(st, i++, time);
	db_bind_text(st, i++, zone);
	db_bind_text(st, i++,
		     req_value(r, "place")->present ? req_value(r, "place")->str
						    : "");
	db_bind_text(st, i++,
		     req_value(r, "note")->present ? req_value(r, "note")->str
						   : "");
	db_bind_text(st, i++, req_value(r, "visibility")->str);
	if (id) {
		db_bind_int(st, i++, id);
		db_bind_int(st, i++, p.id);
	} else {
		db_bind_int(st, i++, r->person->id);
		db_bind_int(st, i++, clock_now());
	}
	if (db_run(st) != 0)
		goto fail;
	if (!id)
		id = db_last_id(r->db);
	if (audit_record_new(r->db, r->person->id,
			     before ? "party.meeting.change"
				    : "party.meeting.add",
			     "party",
			     arena_printf(r->arena, "%s:meeting:%lld", p.slug,
					  (long long)id),
			     before, sent_json(r, time, zone), r->client) != 0) {
		before = NULL;
		goto fail;
	}
	before = NULL;
	if (db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena, "/working-parties/%s#meetings-h",
				      p.slug));
	return;
fail:
	json_decref(before);
	resp_fail(r, w, NULL);
}

/* POST /working-parties/:slug/meetings/:id/delete */
static void
meeting_delete(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *before;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0 ||
	    meeting_or_respond(r, w, &p, &before) != 0)
		return;
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &meetings_sql, M_DELETE)) == NULL) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	db_bind_int(st, 1, req_param_id(r));
	db_bind_int(st, 2, p.id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "party.meeting.delete",
			     "party",
			     arena_printf(r->arena, "%s:meeting:%lld", p.slug,
					  (long long)req_param_id(r)),
			     before, NULL, r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena, "/working-parties/%s#meetings-h",
				      p.slug));
}

static const struct field meeting_fields[] = {
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Title")},
	{.name = "starts_on",
	 .type = FT_DATE,
	 .flags = FIELD_REQUIRED,
	 .label = N_("Date")},
	{.name = "starts_at_time",
	 .type = FT_TEXT,
	 .maxlen = 5,
	 .label = N_("Time")},
	{.name = "time_zone",
	 .type = FT_TEXT,
	 .maxlen = 64,
	 .label = N_("Time zone")},
	{.name = "place", .type = FT_TEXT, .maxlen = 300, .label = N_("Place")},
	{.name = "note",
	 .type = FT_TEXTAREA,
	 .maxlen = 10000,
	 .label = N_("Note")},
	{.name = "visibility",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = party_visibility_values,
	 .label = N_("Who may see it")},
	{0},
};

#define MANAGE                                                                 \
	.action = "party.manage", .object_type = PARTY_OBJECT,                 \
	.object_param = "slug"

static const struct field page_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000,
	 .label = N_("Page")},
	{0},
};

static const struct route meetings_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/meetings",
	 .who = ACCESS_PUBLIC,
	 .fields = page_fields,
	 .handler = meetings_past,
	 .summary = "A party's past meetings, as the viewer may see them, a "
		    "page at a time"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/meetings/new",
	 .who = ACCESS_MEMBER,
	 .handler = meeting_new,
	 .flags = ROUTE_FORM,
	 .summary = "The form to add a meeting to a party's schedule",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/meetings",
	 .who = ACCESS_MEMBER,
	 .fields = meeting_fields,
	 .handler = meeting_save,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Adds a meeting to a party's schedule",
	 MANAGE},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/meetings/:id/edit",
	 .who = ACCESS_MEMBER,
	 .handler = meeting_edit,
	 .flags = ROUTE_FORM,
	 .summary = "The form to change or delete a meeting of a party",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/meetings/:id",
	 .who = ACCESS_MEMBER,
	 .fields = meeting_fields,
	 .handler = meeting_save,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Changes a meeting of a party",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/meetings/:id/delete",
	 .who = ACCESS_MEMBER,
	 .handler = meeting_delete,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Deletes a meeting of a party",
	 MANAGE},
};

const struct module party_meetings_module = {
	.name = "party-meetings",
	.routes = meetings_routes,
	.nroutes = ARRAY_LEN(meetings_routes),
	.sql = &meetings_sql,
};
