/*
 * feeds.c -- see calendar.h.  The iCalendar feeds people subscribe
 * to: every public meeting, one body's, one focal area's, one working
 * party's (public meetings only, whatever their status: a cancelled one
 * is STATUS:CANCELLED, so a subscriber's calendar drops it), and a
 * person's own feed of what they registered for, behind a secret address
 * that can be renewed.  The rows are read here with statements of our
 * own and written by ics.c; recurrence stays a rule.
 *
 * A public feed is the same for everyone, so it may be kept by caches
 * for a few minutes (calendar programs poll); the personal one never is.
 * The online link of a meeting is never in a public feed; the personal
 * feed carries it, since it holds only what the person registered for.
 */
#include "calendar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar/ics.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/util.h"
#include "parties/parties.h"

enum stmt_feeds {
	FD_MEETINGS,
	FD_EXDATES,
	FD_OVERRIDES,
	FD_BODY,
	FD_AREA,
	FD_PARTY,
	FD_TOKEN,
	FD_MINE,
	FD_PUT,
	FD_REGISTERED,
	FD_FEEDS__MAX,
};

/* Which meetings a feed holds; binds, in order: personal (0/1), body id
 * twice, party id twice, focal area id twice, person id twice (NULL: no
 * such filter).  A personal feed holds what the person registered for,
 * whatever its visibility (they were let in); the others public ones. */
#define FEED_WHERE                                                             \
	" WHERE (m.visibility = 'public' OR ? = 1)"                            \
	" AND (CAST(? AS BIGINT) IS NULL OR m.body_id = ?)"                    \
	" AND (CAST(? AS BIGINT) IS NULL OR m.party_id = ?)"                   \
	" AND (CAST(? AS BIGINT) IS NULL OR m.id IN"                           \
	"  (SELECT meeting_id FROM meeting_focal_areas"                        \
	"   WHERE focal_area_id = ?))"                                         \
	" AND (CAST(? AS BIGINT) IS NULL OR m.id IN"                           \
	"  (SELECT meeting_id FROM registrations"                              \
	"   WHERE person_id = ? AND state = 'registered'))"

static const char *const feeds_sql_text[FD_FEEDS__MAX] = {
	[FD_MEETINGS] =
		"SELECT m.id, m.uid, m.sequence, m.slug, m.title, m.kind,"
		" b.acronym AS body, p.name AS party, m.time_zone, m.all_day,"
		" m.starts_local, m.ends_local, m.rrule, m.place, m.agenda_md,"
		" m.status, m.updated_at, m.online_url FROM meetings m"
		" LEFT JOIN bodies b ON b.id = m.body_id"
		" LEFT JOIN parties p ON p.id = m.party_id" FEED_WHERE
		" ORDER BY m.starts_utc, m.id",
	[FD_EXDATES] = "SELECT e.meeting_id, e.occurrence_local"
		       " FROM meeting_exdates e"
		       " JOIN meetings m ON m.id = e.meeting_id" FEED_WHERE
		       " ORDER BY e.meeting_id, e.occurrence_local",
	[FD_OVERRIDES] =
		"SELECT o.meeting_id, o.recurrence_local, o.starts_local,"
		" o.ends_local, o.place, o.note, o.cancelled"
		" FROM meeting_overrides o"
		" JOIN meetings m ON m.id = o.meeting_id" FEED_WHERE
		" ORDER BY o.meeting_id, o.recurrence_local",
	[FD_BODY] = "SELECT id, acronym AS name FROM bodies WHERE slug = ?",
	[FD_AREA] = "SELECT id, name FROM focal_areas WHERE slug = ?",
	/* a party the site shows: not a proposal, not a rejected one */
	[FD_PARTY] = "SELECT id, name FROM parties WHERE slug = ?"
		     " AND state IN " PARTY_SHOWN_STATES,
	[FD_TOKEN] = "SELECT f.person_id FROM calendar_feeds f"
		     " JOIN people p ON p.id = f.person_id"
		     " WHERE f.token_hash = ? AND p.disabled_at IS NULL",
	[FD_MINE] = "SELECT created_at FROM calendar_feeds WHERE person_id = ?",
	/* a whole meeting ('') or one occurrence of a series */
	[FD_REGISTERED] = "SELECT meeting_id, occurrence_local"
			  " FROM registrations WHERE person_id = ?"
			  " AND state = 'registered'"
			  " ORDER BY meeting_id, occurrence_local",
	[FD_PUT] = "INSERT INTO calendar_feeds (person_id, token_hash,"
		   " created_at) VALUES (?, ?, ?)"
		   " ON CONFLICT (person_id) DO UPDATE SET"
		   " token_hash = excluded.token_hash,"
		   " created_at = excluded.created_at",
};

static struct db_sql feeds_sql = {"calendar_feeds", feeds_sql_text,
				  FD_FEEDS__MAX, 0};

/* What a feed holds: NULL ids are no filter. */
struct feed_filter {
	int personal;
	const int64_t *body, *party, *area, *person;
};

static void
bind_filter(struct db_stmt *st, const struct feed_filter *f)
{
	const int64_t *ids[] = {f->body, f->party, f->area, f->person};
	int k = 1;

	db_bind_int(st, k++, f->personal);
	for (size_t i = 0; i < ARRAY_LEN(ids); i++)
		for (int twice = 0; twice < 2; twice++, k++)
			if (ids[i])
				db_bind_int(st, k, *ids[i]);
			else
				db_bind_null(st, k);
}

static json_t *
rows(struct req *r, enum stmt_feeds s, const struct feed_filter *f)
{
	struct db_stmt *st = db_stmt(r->db, &feeds_sql, s);

	if (st == NULL)
		return NULL;
	bind_filter(st, f);
	return db_all_json(st);
}

/* For a person's feed: each meeting of byid (by id as text) that the
 * person registered for occurrence by occurrence, not as a whole, gets
 * those occurrences as its "only" (ics.h).  0, or -1 on a database
 * error. */
static int
only_registered(struct req *r, int64_t person, json_t *byid)
{
	struct db_stmt *st = db_stmt(r->db, &feeds_sql, FD_REGISTERED);
	json_t *regs, *x, *m, *whole = json_object();
	const char *key;
	size_t i;
	char id[24];

	if (st == NULL) {
		json_decref(whole);
		return -1;
	}
	db_bind_int(st, 1, person);
	if ((regs = db_all_json(st)) == NULL) {
		json_decref(whole);
		return -1;
	}
	json_array_foreach(regs, i, x) {
		const char *occ = json_string_value(json_object_get(x, "occurrence_local"));

		snprintf(id, sizeof(id), "%lld",
			 (long long)json_integer_value(json_object_get(x, "meeting_id")));
		if (occ == NULL || *occ == '\0')
			json_object_set_new(whole, id, json_true());
		else if ((m = json_object_get(byid, id)) != NULL) {
			if (!json_object_get(m, "only"))
				json_object_set_new(m, "only", json_array());
			json_array_append(json_object_get(m, "only"),
					  json_object_get(x, "occurrence_local"));
		}
	}
	/* registered for the whole of it: the series */
	json_object_foreach(whole, key, x)
		if ((m = json_object_get(byid, key)) != NULL)
			json_object_del(m, "only");
	json_decref(regs);
	json_decref(whole);
	return 0;
}

/* The meetings of filter f as ics.h's objects (exdates and overrides
 * attached), or NULL on a database error. */
static json_t *
feed_meetings(struct req *r, const struct feed_filter *f)
{
	json_t *ms = rows(r, FD_MEETINGS, f), *ex = NULL, *ov = NULL, *byid;
	json_t *m, *x;
	size_t i;
	char key[24];

	if (ms == NULL || (ex = rows(r, FD_EXDATES, f)) == NULL ||
	    (ov = rows(r, FD_OVERRIDES, f)) == NULL) {
		json_decref(ms);
		json_decref(ex);
		return NULL;
	}
	byid = json_object();
	json_array_foreach(ms, i, m) {
		/* the online link goes only to the people registered: into
		 * their own feed, which holds what they registered for */
		if (!f->person)
			json_object_del(m, "online_url");
		json_object_set_new(m, "exdates", json_array());
		json_object_set_new(m, "overrides", json_array());
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(json_object_get(m, "id")));
		json_object_set(byid, key, m);
	}
	json_array_foreach(ex, i, x) {
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(
				 json_object_get(x, "meeting_id")));
		if ((m = json_object_get(byid, key)) != NULL)
			json_array_append(json_object_get(m, "exdates"),
					  json_object_get(x, "occurrence_local"));
	}
	json_array_foreach(ov, i, x) {
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(
				 json_object_get(x, "meeting_id")));
		if ((m = json_object_get(byid, key)) != NULL)
			json_array_append(json_object_get(m, "overrides"), x);
	}
	json_decref(ex);
	json_decref(ov);
	if (f->person && only_registered(r, *f->person, byid) != 0) {
		json_decref(byid);
		json_decref(ms);
		return NULL;
	}
	json_decref(byid);
	return ms;
}

/* The feed's ETag, '"' + 32 hex digits of the SHA-256 + '"': of its text
 * without the DTSTAMP lines, which say when it was written, so a calendar
 * program that asks again with If-None-Match is answered 304 until a
 * meeting changes. */
static void
feed_etag(struct buf *ics, char out[72])
{
	char hex[AUTH_HASH_LEN + 1];
	struct buf kept = BUF_INIT;
	const char *l = buf_cstr(ics), *e;

	for (; *l; l = e) {
		e = strstr(l, "\r\n");
		e = e ? e + 2 : l + strlen(l);
		if (strncmp(l, "DTSTAMP:", 8) != 0)
			buf_put(&kept, l, (size_t)(e - l));
	}
	auth_token_digest(buf_cstr(&kept), hex);
	buf_free(&kept);
	snprintf(out, 72, "\"%.32s\"", hex);
}

/* Answers the feed of f named name (X-WR-CALNAME); 304 when the client's
 * If-None-Match names its ETag. */
static void
send_feed(struct req *r, struct resp *w, const struct feed_filter *f,
	  const char *name)
{
	struct ics_calendar cal = {
		.name = name,
		.base_url = config_current ? config_current->base_url : "",
		.publish = 1,
		.now = clock_now(),
	};
	struct buf b = BUF_INIT;
	json_t *ms = feed_meetings(r, f);

	const char *match = req_header(r, "If-None-Match");
	char etag[72];

	if (ms == NULL)
		return resp_fail(r, w, NULL);
	ics_write(&cal, ms, &b);
	json_decref(ms);
	feed_etag(&b, etag);
	if (match && strstr(match, etag)) {
		resp_raw(w, 304, "text/calendar; charset=utf-8", "", 0);
	} else {
		resp_raw(w, 200, "text/calendar; charset=utf-8",
			 b.data ? b.data : "", b.len);
	}
	resp_header(w, "ETag", etag);
	buf_free(&b);
	/* the categories are words in the reader's language */
	resp_header(w, "Vary", "Accept-Language, Cookie");
	if (!f->personal)
		resp_header(w, "Cache-Control", "public, max-age=300");
	resp_header(w, "Content-Disposition", "inline; filename=\"calendar.ics\"");
}

/* "Site: what" as a calendar's name. */
static const char *
feed_name(struct req *r, const char *what)
{
	const char *site = config_current && config_current->site_name[0]
				   ? config_current->site_name
				   : "Alliance";

	return what ? i18n_text(r->arena, _("{site}: {what}"), "site", site,
				"what", what, NULL)
		    : i18n_text(r->arena, _("{site}: calendar"), "site", site,
				NULL);
}

/* GET /calendar.ics */
static void
feed_all(struct req *r, struct resp *w)
{
	struct feed_filter f = {0};

	send_feed(r, w, &f, feed_name(r, NULL));
}

/* The id and name of the row of s whose slug is the route's :slug into
 * *id and *name (arena); 0, or 1 with a 404 in w, -1 with a 500. */
static int
named_or_respond(struct req *r, struct resp *w, enum stmt_feeds s,
		 int64_t *id, const char **name)
{
	struct db_stmt *st = db_stmt(r->db, &feeds_sql, s);
	int rc;

	if (st == NULL) {
		resp_fail(r, w, NULL);
		return -1;
	}
	db_bind_text(st, 1, req_param(r, "slug"));
	if ((rc = db_step(st)) == DB_ERROR) {
		db_reset(st);
		resp_fail(r, w, NULL);
		return -1;
	}
	if (rc == DB_DONE) {
		db_reset(st);
		resp_error(w, 404, _("There is no calendar of that name."));
		return 1;
	}
	*id = db_col_int(st, 0);
	*name = arena_strdup(r->arena, db_col_text(st, 1));
	db_reset(st);
	return 0;
}

/* GET /calendar/bodies/:slug/feed.ics */
static void
feed_body(struct req *r, struct resp *w)
{
	struct feed_filter f = {0};
	const char *name;
	int64_t id;

	if (named_or_respond(r, w, FD_BODY, &id, &name) != 0)
		return;
	f.body = &id;
	send_feed(r, w, &f, feed_name(r, name));
}

/* GET /calendar/focal-areas/:slug/feed.ics */
static void
feed_area(struct req *r, struct resp *w)
{
	struct feed_filter f = {0};
	const char *name;
	int64_t id;

	if (named_or_respond(r, w, FD_AREA, &id, &name) != 0)
		return;
	f.area = &id;
	send_feed(r, w, &f, feed_name(r, name));
}

/* GET /calendar/working-parties/:slug/feed.ics */
static void
feed_party(struct req *r, struct resp *w)
{
	struct feed_filter f = {0};
	const char *name;
	int64_t id;

	if (named_or_respond(r, w, FD_PARTY, &id, &name) != 0)
		return;
	f.party = &id;
	send_feed(r, w, &f, feed_name(r, name));
}

/*
 * GET /calendar/personal/:token/feed.ics: the meetings the person whose
 * feed secret token is registered for (registrations in state
 * 'registered'; empty until registration lands, and still a valid
 * calendar).  The token is the authority, as a calendar program cannot
 * sign in; an unknown or renewed one is a 404.
 */
static void
feed_personal(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &feeds_sql, FD_TOKEN);
	char hash[AUTH_HASH_LEN + 1];
	struct feed_filter f = {.personal = 1};
	int64_t person;
	int rc;

	if (st == NULL)
		return resp_fail(r, w, NULL);
	auth_token_digest(req_param(r, "token"), hash);
	db_bind_text(st, 1, hash);
	if ((rc = db_step(st)) == DB_ERROR) {
		db_reset(st);
		return resp_fail(r, w, NULL);
	}
	if (rc == DB_DONE) {
		db_reset(st);
		resp_error(w, 404,
			   _("There is no calendar at this address. Its owner "
			     "may have renewed it."));
		return;
	}
	person = db_col_int(st, 0);
	db_reset(st);
	f.person = &person;
	send_feed(r, w, &f, feed_name(r, _("my meetings")));
}

/* ---- the page of a person's feed ---- */

/* A new secret for r's person, replacing any (one transaction with its
 * audit record), its address into *url (arena).  0 or -1 (rolled back,
 * logged). */
static int
new_feed(struct req *r, int renew, const char **url)
{
	char token[AUTH_TOKEN_LEN + 1], hash[AUTH_HASH_LEN + 1];
	struct db_stmt *st;

	auth_token_new(token);
	auth_token_digest(token, hash);
	if (db_begin(r->db) != 0)
		return -1;
	if ((st = db_stmt(r->db, &feeds_sql, FD_PUT)) == NULL)
		goto fail;
	db_bind_int(st, 1, r->person->id);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, clock_now());
	if (db_run(st) != 0 ||
	    audit_record(r->db, r->person->id,
			 renew ? "calendar_feed.renew" : "calendar_feed.create",
			 "person",
			 arena_printf(r->arena, "%lld",
				      (long long)r->person->id),
			 NULL, NULL, r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	*url = arena_printf(r->arena, "%s/calendar/personal/%s/feed.ics",
			    config_current ? config_current->base_url : "",
			    token);
	return 0;
fail:
	db_rollback(r->db);
	return -1;
}

/* The page: the address when just made (url), else when it was made. */
static void
feed_page(struct req *r, struct resp *w, int status, const char *url,
	  int64_t created)
{
	json_t *model = json_object();

	if (url)
		json_object_set_new(model, "url", json_string(url));
	if (created > 0) {
		json_t *row = json_pack("{s:I}", "created_at", (json_int_t)created);
		json_t *rows = json_pack("[o]", row);

		render_add_times(rows, "created_at");
		json_object_set_new(model, "created_at_text",
				    json_string(json_string_value(json_object_get(
					    row, "created_at_text"))));
		json_object_set_new(model, "created_at_iso",
				    json_string(json_string_value(json_object_get(
					    row, "created_at_iso"))));
		json_decref(rows);
	}
	json_object_set_new(model, "csrf",
			    json_string(r->csrf_token ? r->csrf_token : ""));
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "calendar/templates/feed_account.html",
		  _("Your calendar feed"), model);
}

/*
 * GET /account/calendar: the person's secret feed address.  Made on the
 * first visit (and shown then); only its digest is kept, so later visits
 * say when it was made and offer to renew it, which shows the new one.
 */
static void
feed_account(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &feeds_sql, FD_MINE);
	const char *url = NULL;
	int64_t created = 0;
	int rc;

	if (st == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, r->person->id);
	if ((rc = db_step(st)) == DB_ERROR) {
		db_reset(st);
		return resp_fail(r, w, NULL);
	}
	if (rc == DB_ROW)
		created = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_DONE) {
		if (new_feed(r, 0, &url) != 0)
			return resp_fail(r, w, NULL);
		created = clock_now();
	}
	feed_page(r, w, 200, url, url ? 0 : created);
}

/* POST /account/calendar/renew: a new address; the old one answers 404
 * from now on.  The new one is shown here, once. */
static void
feed_renew(struct req *r, struct resp *w)
{
	const char *url;

	if (new_feed(r, 1, &url) != 0)
		return resp_fail(r, w, NULL);
	feed_page(r, w, 200, url, 0);
}

/* ---- the tables ---- */

static const struct route feeds_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/calendar.ics",
	 .who = ACCESS_PUBLIC,
	 .handler = feed_all,
	 .summary = "Every public meeting as an iCalendar feed"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/bodies/:slug/feed.ics",
	 .who = ACCESS_PUBLIC,
	 .handler = feed_body,
	 .summary = "The public meetings of one intergovernmental body as an "
		    "iCalendar feed"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/focal-areas/:slug/feed.ics",
	 .who = ACCESS_PUBLIC,
	 .handler = feed_area,
	 .summary = "The public meetings of one focal area as an iCalendar "
		    "feed"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/working-parties/:slug/feed.ics",
	 .who = ACCESS_PUBLIC,
	 .handler = feed_party,
	 .summary = "The public meetings of one working party as an "
		    "iCalendar feed"},
	{.method = HTTP_GET,
	 .pattern = "/calendar/personal/:token/feed.ics",
	 .who = ACCESS_PUBLIC,
	 .handler = feed_personal,
	 .flags = ROUTE_PERSONAL,
	 .summary = "A person's meetings behind their secret feed address"},
	{.method = HTTP_GET,
	 .pattern = "/account/calendar",
	 .who = ACCESS_MEMBER,
	 .handler = feed_account,
	 .flags = ROUTE_FORM,
	 .summary = "The person's secret calendar feed address (made on the "
		    "first visit)"},
	{.method = HTTP_POST,
	 .pattern = "/account/calendar/renew",
	 .who = ACCESS_MEMBER,
	 .handler = feed_renew,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Gives the person a new feed address; the old one stops "
		    "working"},
};

const struct module calendar_feeds_module = {
	.name = "calendar-feeds",
	.routes = feeds_routes,
	.nroutes = ARRAY_LEN(feeds_routes),
	.sql = &feeds_sql,
};
