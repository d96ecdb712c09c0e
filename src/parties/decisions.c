/*
 * decisions.c -- see parties.h: proposals a chair puts to the party's
 * team, after Loomio's proposals.  A chair (party.manage) opens one with
 * a text and a closing time; until then each team member who may vote
 * (party_viewer.votes: every team role but observer; the secretariat
 * only when it is in the team) says agree, abstain, disagree or block,
 * with a reason if they wish, and may change it (one row a person).  The
 * team sees who voted how and why, the count, and who has not voted yet;
 * a block is said out loud.  A chair may close it early; at closes_at it
 * closes by itself: the job below stores the state and the count, and
 * every page and write reads "closed" from closes_at too, so nobody
 * votes after the time even before the job has run (409).  Once closed a
 * chair writes the outcome.
 *
 * Decisions are the team's own: visitors and people outside the team
 * never see one (the party's page, its JSON, the decision's page: 404),
 * and none is put in the site search.
 */
#include "parties_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/util.h"

/* Decisions the party's page lists at most (open ones first), and a
 * page of the full list. */
#define DECISIONS_SHOWN 10
#define DECISIONS_PAGE 25
/* How often the job closes what is due, in seconds. */
#define CLOSE_EVERY 300
#define CLOSE_JOB "parties.decisions.close"

enum stmt_decisions {
	D_LIST,
	D_GET,
	D_VOTES,
	D_COUNT,
	D_WAITING,
	D_INSERT,
	D_VOTE_GET,
	D_VOTE_PUT,
	D_CLOSE,
	D_DUE,
	D_OUTCOME,
	D_DECISIONS__MAX,
};

#define D_COUNT_OF(pos)                                                        \
	"(SELECT count(*) FROM party_votes v WHERE v.decision_id ="            \
	" party_decisions.id AND v.position = '" pos "')"

static const char *const decisions_sql_text[D_DECISIONS__MAX] = {
	/* binds: the viewer, the party, now, the limit, the offset */
	[D_LIST] = "SELECT d.id, d.title, d.closes_at, d.state, d.closed_at,"
		   " (SELECT v.position FROM party_votes v WHERE"
		   "  v.decision_id = d.id AND v.person_id = ?) AS my_position,"
		   " (SELECT count(*) FROM party_votes v WHERE"
		   "  v.decision_id = d.id) AS votes"
		   " FROM party_decisions d WHERE d.party_id = ?"
		   " ORDER BY CASE WHEN d.state = 'open' AND d.closes_at > ?"
		   " THEN 0 ELSE 1 END, d.closes_at DESC, d.id DESC LIMIT ? OFFSET ?",
	[D_GET] = "SELECT d.id, d.title, d.body_md, d.closes_at, d.state,"
		  " d.created_at, d.closed_at, d.outcome, d.agree, d.abstain,"
		  " d.disagree, d.block, p.name AS created_by_name"
		  " FROM party_decisions d"
		  " LEFT JOIN people p ON p.id = d.created_by"
		  " WHERE d.id = ? AND d.party_id = ?",
	[D_VOTES] = "SELECT v.person_id, p.name, v.position, v.reason,"
		    " v.voted_at FROM party_votes v"
		    " JOIN people p ON p.id = v.person_id"
		    " WHERE v.decision_id = ?"
		    " ORDER BY CASE v.position WHEN 'block' THEN 0"
		    " WHEN 'disagree' THEN 1 WHEN 'abstain' THEN 2 ELSE 3 END,"
		    " v.voted_at, p.name, v.person_id",
	[D_COUNT] = "SELECT position, count(*) AS n FROM party_votes"
		    " WHERE decision_id = ? GROUP BY position",
	/* the team who may vote and has not: binds the slug, the decision */
	[D_WAITING] = "SELECT p.name FROM object_roles o"
		      " JOIN people p ON p.id = o.person_id"
		      " WHERE o.object_type = 'party' AND o.object_id = ?"
		      " AND o.role <> 'observer' AND p.disabled_at IS NULL"
		      " AND o.person_id NOT IN (SELECT person_id FROM"
		      "  party_votes WHERE decision_id = ?)"
		      " ORDER BY p.name, p.id",
	[D_INSERT] = "INSERT INTO party_decisions (party_id, title, body_md,"
		     " closes_at, created_by, created_at)"
		     " VALUES (?, ?, ?, ?, ?, ?)",
	[D_VOTE_GET] = "SELECT position, reason FROM party_votes"
		       " WHERE decision_id = ? AND person_id = ?",
	[D_VOTE_PUT] = "INSERT INTO party_votes (decision_id, person_id,"
		       " position, reason, voted_at) VALUES (?, ?, ?, ?, ?)"
		       " ON CONFLICT (decision_id, person_id) DO UPDATE SET"
		       " position = excluded.position,"
		       " reason = excluded.reason, voted_at = excluded.voted_at",
	/* binds: closed_at, the decision */
	[D_CLOSE] = "UPDATE party_decisions SET state = 'closed',"
		    " closed_at = ?, agree = " D_COUNT_OF("agree") ","
		    " abstain = " D_COUNT_OF("abstain") ","
		    " disagree = " D_COUNT_OF("disagree") ","
		    " block = " D_COUNT_OF("block")
		    " WHERE id = ? AND state = 'open'",
	/* binds: now, the limit */
	[D_DUE] = "SELECT d.id, d.closes_at, p.slug FROM party_decisions d"
		  " JOIN parties p ON p.id = d.party_id"
		  " WHERE d.state = 'open' AND d.closes_at <= ?"
		  " ORDER BY d.closes_at, d.id LIMIT ?",
	[D_OUTCOME] = "UPDATE party_decisions SET outcome = ?"
		      " WHERE id = ? AND party_id = ? AND state = 'closed'",
};

static struct db_sql decisions_sql = {"party_decisions", decisions_sql_text,
				      D_DECISIONS__MAX, 0};

static const char *const position_values[] = {"agree", "abstain", "disagree",
					      "block", NULL};
static const char *const position_labels[] = {
	N_("Agree"),
	N_("Abstain"),
	N_("Disagree"),
	N_("Block"),
};
/* What each position says, for the form (as Loomio explains them). */
static const char *const position_hints[] = {
	N_("I am happy with this proposal."),
	N_("I will go with the team's decision."),
	N_("I think this is not the best way, but I will not stop it."),
	N_("I have a serious objection and do not want it to go ahead."),
};

static const char *
position_label(const char *pos)
{
	for (size_t i = 0; pos && position_values[i]; i++)
		if (strcmp(pos, position_values[i]) == 0)
			return _(position_labels[i]);
	return pos ? pos : "";
}

/* Whether decision row d is closed at now: stored so, or past its time. */
static int
is_closed(json_t *d, int64_t now)
{
	const char *state = json_string_value(json_object_get(d, "state"));

	return (state && strcmp(state, "closed") == 0) ||
	       json_integer_value(json_object_get(d, "closes_at")) <= now;
}

/* "26 Mar 2027, 12:00 UTC" of unix seconds t. */
static json_t *
time_text(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char text[80];

	gmtime_r(&tt, &tm);
	render_time_text(&tm, text, sizeof text);
	return json_string(text);
}

/* The decisions of p, open ones first: limit rows from offset, made
 * readable; NULL on a database error.  For the team only: the callers
 * check. */
static json_t *
list(struct req *r, const struct party *p, int64_t limit, int64_t offset)
{
	struct db_stmt *st = db_stmt(r->db, &decisions_sql, D_LIST);
	json_t *rows, *row;
	int64_t now = clock_now();
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, r->person ? r->person->id : 0);
	db_bind_int(st, 2, p->id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, limit);
	db_bind_int(st, 5, offset);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	render_add_times(rows, "closes_at");
	json_array_foreach(rows, i, row) {
		const char *mine = json_string_value(
			json_object_get(row, "my_position"));

		json_object_set_new(row, "closed",
				    json_boolean(is_closed(row, now)));
		json_object_set_new(row, "href",
				    json_sprintf("/working-parties/%s/decisions/"
						 "%lld",
						 p->slug,
						 (long long)json_integer_value(
							 json_object_get(row,
									 "id"))));
		if (mine)
			json_object_set_new(row, "my_position_label",
					    json_string(position_label(mine)));
	}
	return rows;
}

int
party_decisions_section(struct req *r, const struct party *p,
			const struct party_viewer *v, json_t *model)
{
	json_t *rows;

	/* the team's own: nothing at all for anyone else */
	if (v->level < PARTY_SEES_TEAM)
		return 0;
	if ((rows = list(r, p, DECISIONS_SHOWN + 1, 0)) == NULL)
		return -1;
	json_object_set_new(
		model, "decisions",
		json_pack("{s:b,s:o,s:s++,s:s++}", "more",
			  pager_trim(rows, DECISIONS_SHOWN), "items", rows,
			  "new_href", "/working-parties/", p->slug,
			  "/decisions/new", "all_href", "/working-parties/",
			  p->slug, "/decisions"));
	return 0;
}

/* GET /working-parties/:slug/decisions: all the party's decisions, to
 * its team (404 to anyone else), a page at a time. */
static void
decisions_all(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct pager pg;
	json_t *rows;
	int more;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (v.level < PARTY_SEES_TEAM)
		return resp_error(w, 404, _("There is no such decision."));
	w->flags |= ROUTE_PERSONAL;
	pager_read(r, DECISIONS_PAGE, &pg);
	if ((rows = list(r, &p, DECISIONS_PAGE + 1, pager_offset(&pg))) == NULL)
		return resp_fail(r, w, NULL);
	more = pager_trim(rows, DECISIONS_PAGE);
	resp_page(w, 200, "parties/templates/decisions_all.html",
		  i18n_text(r->arena, _("Decisions: {party}"), "party", p.name,
			    NULL),
		  json_pack("{s:o,s:o,s:o}", "party", party_json(&p, &v),
			    "items", rows, "pager",
			    pager_model(r, &pg,
					arena_printf(r->arena,
						     "/working-parties/%s/"
						     "decisions",
						     p.slug),
					NULL, more, -1)));
}

/* ---- a decision's page ---- */

/* Loads the party of the route and its decision :id for a team viewer
 * into *d (new reference): 0; 1 with a 404 (no such decision, or the
 * viewer is not of the team); -1 with a 500. */
static int
decision_or_respond(struct req *r, struct resp *w, struct party *p,
		    struct party_viewer *v, json_t **d)
{
	struct db_stmt *st;
	int rc;

	*d = NULL;
	if ((rc = party_from_route(r, w, p, v)) != 0)
		return rc;
	if (v->level < PARTY_SEES_TEAM) {
		resp_error(w, 404, _("There is no such decision."));
		return 1;
	}
	if ((st = db_stmt(r->db, &decisions_sql, D_GET)) != NULL) {
		db_bind_int(st, 1, req_param_id(r));
		db_bind_int(st, 2, p->id);
	}
	return party_row_or_respond(r, w, st, _("There is no such decision."),
				    d);
}

/* The rows of statement s with the decision's id bound (after the text
 * first, when not NULL); NULL on a database error. */
static json_t *
rows_of(struct req *r, enum stmt_decisions s, const char *first, int64_t id)
{
	struct db_stmt *st = db_stmt(r->db, &decisions_sql, s);
	int i = 1;

	if (st == NULL)
		return NULL;
	if (first)
		db_bind_text(st, i++, first);
	db_bind_int(st, i, id);
	return db_all_json(st);
}

/*
 * The decision's page with status: its text, the count (stored once
 * closed; counted now while open), every vote with its reason, who has
 * not voted, and the forms the viewer may use (vote, close early,
 * outcome), with r->errors beside the form that was sent.
 */
static void
decision_page(struct req *r, struct resp *w, const struct party *p,
	      const struct party_viewer *v, json_t *d, int status)
{
	int64_t now = clock_now(), id = json_integer_value(json_object_get(d, "id"));
	int closed = is_closed(d, now), stored;
	int open_party = strcmp(p->state, "active") == 0;
	const char *state = json_string_value(json_object_get(d, "state"));
	const char *md = json_string_value(json_object_get(d, "body_md"));
	json_t *votes, *counts_rows, *waiting, *counts, *positions, *mine = NULL;
	json_t *row, *model;
	json_int_t n[4] = {0, 0, 0, 0};
	size_t i;

	votes = rows_of(r, D_VOTES, NULL, id);
	counts_rows = votes ? rows_of(r, D_COUNT, NULL, id) : NULL;
	waiting = counts_rows ? rows_of(r, D_WAITING, p->slug, id) : NULL;
	if (waiting == NULL) {
		json_decref(votes);
		json_decref(counts_rows);
		json_decref(d);
		return resp_fail(r, w, NULL);
	}
	stored = state && strcmp(state, "closed") == 0;
	for (size_t k = 0; k < 4; k++) {
		if (stored) {
			n[k] = json_integer_value(
				json_object_get(d, position_values[k]));
			continue;
		}
		json_array_foreach(counts_rows, i, row) {
			const char *pos = json_string_value(
				json_object_get(row, "position"));

			if (pos && strcmp(pos, position_values[k]) == 0)
				n[k] = json_integer_value(
					json_object_get(row, "n"));
		}
	}
	json_decref(counts_rows);
	counts = json_array();
	for (size_t k = 0; k < 4; k++)
		json_array_append_new(
			counts, json_pack("{s:s,s:s,s:I}", "position",
					  position_values[k], "label",
					  _(position_labels[k]), "n", n[k]));
	render_add_times(votes, "voted_at");
	json_array_foreach(votes, i, row) {
		int me = r->person && json_integer_value(json_object_get(
					      row, "person_id")) == r->person->id;

		json_object_set_new(row, "position_label",
				    json_string(position_label(json_string_value(
					    json_object_get(row, "position")))));
		json_object_set_new(row, "is_block",
				    json_boolean(!strcmp(
					    json_string_value(json_object_get(
						    row, "position")) ?: "",
					    "block")));
		json_object_set_new(row, "mine", json_boolean(me));
		if (me)
			mine = row;
		json_object_del(row, "person_id");
	}
	/* the form shows the vote sent (on an error), else the stored one */
	{
		const char *chosen =
			r->input ? json_string_value(json_object_get(r->input,
								     "position"))
			: mine	 ? json_string_value(json_object_get(mine,
								     "position"))
				 : NULL;

		positions = json_array();
		for (size_t k = 0; position_values[k]; k++)
			json_array_append_new(
				positions,
				json_pack("{s:s,s:s,s:s,s:b}", "value",
					  position_values[k], "label",
					  _(position_labels[k]), "hint",
					  _(position_hints[k]), "checked",
					  chosen && !strcmp(chosen,
							    position_values[k])));
	}
	json_object_set_new(d, "body_html", render_markdown(md));
	json_object_del(d, "body_md");
	json_object_set_new(d, "closes_at_text",
			    time_text(json_integer_value(
				    json_object_get(d, "closes_at"))));
	if (json_is_integer(json_object_get(d, "closed_at")))
		json_object_set_new(d, "closed_at_text",
				    time_text(json_integer_value(
					    json_object_get(d, "closed_at"))));
	json_object_set_new(d, "created_at_text",
			    time_text(json_integer_value(
				    json_object_get(d, "created_at"))));
	json_object_set_new(d, "closed", json_boolean(closed));
	json_object_set_new(d, "state_label",
			    json_string(closed ? _("Closed") : _("Open")));
	model = json_pack(
		"{s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:b,s:I,s:I}", "party",
		party_json(p, v), "decision", d, "counts", counts, "votes",
		votes, "waiting", waiting, "positions", positions, "blocked",
		n[3] > 0, "can_vote", v->votes && !closed && open_party,
		"can_close", v->manages && !closed && open_party,
		"can_outcome", v->manages && closed && open_party, "total",
		n[0] + n[1] + n[2] + n[3], "block_count", n[3]);
	json_object_set_new(model, "my_reason",
			    json_string(r->input && json_is_string(json_object_get(
							r->input, "reason"))
						? json_string_value(json_object_get(
							  r->input, "reason"))
					: mine ? json_string_value(json_object_get(
							 mine, "reason")) ?: ""
					       : ""));
	json_object_set_new(model, "voted", json_boolean(mine != NULL));
	json_object_set_new(model, "base",
			    json_sprintf("/working-parties/%s/decisions/%lld",
					 p->slug, (long long)id));
	json_object_set_new(model, "errors",
			    r->errors ? json_incref(r->errors) : json_object());
	resp_form_errors(model, r->errors);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "parties/templates/decision.html",
		  json_string_value(json_object_get(d, "title")), model);
}

/* GET /working-parties/:slug/decisions/:id */
static void
decision_show(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *d;

	if (decision_or_respond(r, w, &p, &v, &d) != 0)
		return;
	decision_page(r, w, &p, &v, d, 200);
}

/* ---- opening one ---- */

static void
form_page(struct req *r, struct resp *w, const struct party *p,
	  const struct party_viewer *v, int status)
{
	json_t *model = json_pack("{s:o,s:o,s:s++}", "party", party_json(p, v),
				  "decision",
				  r->input ? json_deep_copy(r->input)
					   : json_object(),
				  "action", "/working-parties/", p->slug,
				  "/decisions");

	json_object_set_new(model, "errors",
			    r->errors ? json_incref(r->errors) : json_object());
	resp_form_errors(model, r->errors);
	resp_page(w, status, "parties/templates/decision_form.html",
		  _("Put a proposal to the team"), model);
}

/* GET /working-parties/:slug/decisions/new */
static void
decision_new(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	form_page(r, w, &p, &v, 200);
}

/* "YYYY-MM-DDTHH:MM" (UTC) as unix seconds in *t: 0, or -1. */
static int
parse_closing(const char *s, int64_t *t)
{
	struct tm tm = {0};
	char tail;

	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tail) != 5 ||
	    strlen(s) != 16 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_year < 1970 || tm.tm_year > 9999)
		return -1;
	{
		int mday = tm.tm_mday, mon = tm.tm_mon - 1;

		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		*t = (int64_t)timegm(&tm);
		/* 31 February is not a day */
		if (tm.tm_mday != mday || tm.tm_mon != mon)
			return -1;
	}
	return 0;
}

/* POST /working-parties/:slug/decisions: opens a decision, closing at
 * closes_at (UTC, in the future); the form again (422) otherwise. */
static void
decision_add(struct req *r, struct resp *w)
{
	const struct value *c = req_value(r, "closes_at");
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	int64_t closes = 0, id, now = clock_now();

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	if (c->present && parse_closing(c->str, &closes) != 0)
		req_error(r, "closes_at",
			  _("Enter the closing date and time, such as "
			    "2027-03-26 12:00."));
	else if (c->present && closes <= now)
		req_error(r, "closes_at",
			  _("The closing time must be in the future."));
	if (r->errors)
		return form_page(r, w, &p, &v, 422);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &decisions_sql, D_INSERT)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, p.id);
	db_bind_text(st, 2, req_value(r, "title")->str);
	db_bind_text(st, 3,
		     req_value(r, "body")->present ? req_value(r, "body")->str
						   : "");
	db_bind_int(st, 4, closes);
	db_bind_int(st, 5, r->person->id);
	db_bind_int(st, 6, now);
	if (db_run(st) != 0)
		return resp_fail(r, w, NULL);
	id = db_last_id(r->db);
	if (audit_record_new(r->db, r->person->id, "party.decision.open",
			     "party",
			     arena_printf(r->arena, "%s:decision:%lld", p.slug,
					  (long long)id),
			     NULL,
			     json_pack("{s:s,s:I}", "title",
				       req_value(r, "title")->str, "closes_at",
				       (json_int_t)closes),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/decisions/%lld",
				      p.slug, (long long)id));
}

/* ---- voting, closing, the outcome ---- */

/* Closes decision id at closed_at with its count, and records it (actor
 * 0: the job); in the caller's transaction.  0 or -1. */
static int
close_decision(struct db *db, int64_t actor, const char *slug, int64_t id,
	       int64_t closed_at, const char *client)
{
	struct db_stmt *st = db_stmt(db, &decisions_sql, D_CLOSE);
	char object[200];

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, closed_at);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0)
		return -1;
	if (db_changes(db) == 0)
		return 0; /* closed already */
	snprintf(object, sizeof object, "%s:decision:%lld", slug ? slug : "",
		 (long long)id);
	return audit_record_new(db, actor, "party.decision.close", "party",
				object, NULL,
				json_pack("{s:I}", "closed_at",
					  (json_int_t)closed_at),
				client);
}

/* The decision of the route, for a write: the party active (409
 * otherwise), the viewer of the team (404), the decision found. */
static int
writable_or_respond(struct req *r, struct resp *w, struct party *p,
		    struct party_viewer *v, json_t **d)
{
	int rc = decision_or_respond(r, w, p, v, d);

	if (rc != 0)
		return rc;
	if (party_open_or_respond(w, p) != 0) {
		json_decref(*d);
		*d = NULL;
		return 1;
	}
	return 0;
}

/*
 * POST /working-parties/:slug/decisions/:id/vote: the viewer's position
 * and reason, new or changed; 403 for whom may not vote (observers, the
 * secretariat outside the team), 409 once it closed.
 */
static void
decision_vote(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *d, *before = NULL;
	int64_t id;
	int rc;

	if (writable_or_respond(r, w, &p, &v, &d) != 0)
		return;
	id = json_integer_value(json_object_get(d, "id"));
	if (!v.votes) {
		json_decref(d);
		return resp_error(w, 403,
				  _("Only the team's chairs, rapporteurs, "
				    "members and experts vote on its "
				    "decisions."));
	}
	if (is_closed(d, clock_now())) {
		json_decref(d);
		return resp_error(w, 409,
				  _("This decision has closed: votes can no "
				    "longer be given or changed."));
	}
	if (r->errors)
		return decision_page(r, w, &p, &v, d, 422);
	json_decref(d);
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &decisions_sql, D_VOTE_GET)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, r->person->id);
	if ((rc = db_step(st)) == DB_ROW) {
		before = json_pack("{s:s,s:s}", "position",
				   db_col_text(st, 0) ?: "", "reason",
				   db_col_text(st, 1) ?: "");
		db_reset(st);
	} else if (rc != DB_DONE)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &decisions_sql, D_VOTE_PUT)) == NULL) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, r->person->id);
	db_bind_text(st, 3, req_value(r, "position")->str);
	db_bind_text(st, 4,
		     req_value(r, "reason")->present
			     ? req_value(r, "reason")->str
			     : "");
	db_bind_int(st, 5, clock_now());
	if (db_run(st) != 0) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	if (audit_record_new(
		    r->db, r->person->id,
		    before ? "party.decision.vote.change"
			   : "party.decision.vote",
		    "party",
		    arena_printf(r->arena, "%s:decision:%lld", p.slug,
				 (long long)id),
		    before,
		    json_pack("{s:s,s:s}", "position",
			      req_value(r, "position")->str, "reason",
			      req_value(r, "reason")->present
				      ? req_value(r, "reason")->str
				      : ""),
		    r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/decisions/%lld#vote-h",
				      p.slug, (long long)id));
}

/* POST /working-parties/:slug/decisions/:id/close: a chair closes it
 * before its time; 409 when it has closed already. */
static void
decision_close(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *d;
	int64_t id;

	if (writable_or_respond(r, w, &p, &v, &d) != 0)
		return;
	id = json_integer_value(json_object_get(d, "id"));
	if (is_closed(d, clock_now())) {
		json_decref(d);
		return resp_error(w, 409, _("This decision has closed already."));
	}
	json_decref(d);
	if (db_begin(r->db) != 0 ||
	    close_decision(r->db, r->person->id, p.slug, id, clock_now(),
			   r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/decisions/%lld",
				      p.slug, (long long)id));
}

/* POST /working-parties/:slug/decisions/:id/outcome: once closed, a
 * chair writes what was decided (and may correct it); 409 while open.
 * A decision past its time that the job has not closed yet is closed
 * first, in the same transaction. */
static void
decision_outcome(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *d, *before;
	int64_t id;
	const char *state;

	if (writable_or_respond(r, w, &p, &v, &d) != 0)
		return;
	id = json_integer_value(json_object_get(d, "id"));
	if (!is_closed(d, clock_now())) {
		json_decref(d);
		return resp_error(w, 409,
				  _("The outcome is written once the decision "
				    "has closed."));
	}
	if (r->errors)
		return decision_page(r, w, &p, &v, d, 422);
	state = json_string_value(json_object_get(d, "state"));
	before = json_pack("{s:O}", "outcome", json_object_get(d, "outcome"));
	if (db_begin(r->db) != 0) {
		json_decref(d);
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	if (state && strcmp(state, "open") == 0 &&
	    close_decision(r->db, 0, p.slug, id,
			   json_integer_value(json_object_get(d, "closes_at")),
			   r->client) != 0) {
		json_decref(d);
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	json_decref(d);
	if ((st = db_stmt(r->db, &decisions_sql, D_OUTCOME)) == NULL) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	db_bind_text(st, 1, req_value(r, "outcome")->str);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, p.id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "party.decision.outcome",
			     "party",
			     arena_printf(r->arena, "%s:decision:%lld", p.slug,
					  (long long)id),
			     before,
			     json_pack("{s:s}", "outcome",
				       req_value(r, "outcome")->str),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/decisions/%lld#outcome-h",
				      p.slug, (long long)id));
}

/* ---- the job ---- */

/* Closes the decisions whose time has come, each with its count, at
 * their closes_at, a batch at a time (the next run takes the rest). */
static int
close_due(struct db *db, const char *payload, char *err, size_t errlen)
{
	struct db_stmt *st;
	json_t *due = NULL, *row;
	size_t i;

	(void)payload;
	if (db_begin(db) != 0)
		goto fail;
	if ((st = db_stmt(db, &decisions_sql, D_DUE)) == NULL)
		goto fail;
	db_bind_int(st, 1, clock_now());
	db_bind_int(st, 2, 200);
	if ((due = db_all_json(st)) == NULL)
		goto fail;
	json_array_foreach(due, i, row) if (close_decision(
		db, 0, json_string_value(json_object_get(row, "slug")),
		json_integer_value(json_object_get(row, "id")),
		json_integer_value(json_object_get(row, "closes_at")),
		NULL) != 0) goto fail;
	if (db_commit(db) != 0)
		goto fail;
	if (json_array_size(due) > 0)
		log_info("parties: %zu decisions closed", json_array_size(due));
	json_decref(due);
	return 0;
fail:
	db_rollback(db);
	json_decref(due);
	snprintf(err, errlen, "closing due decisions failed");
	return -1;
}

static int64_t
next_run(int64_t now)
{
	return now + CLOSE_EVERY;
}

static const struct module_job close_job = {
	.kind = CLOSE_JOB,
	.run = close_due,
	.next = next_run,
	.first = 60,
};
static const struct module_job *const decisions_jobs[] = {&close_job, NULL};

/* ---- the tables ---- */

static const struct field decision_fields[] = {
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Proposal")},
	{.name = "body",
	 .type = FT_TEXTAREA,
	 .maxlen = 20000,
	 .label = N_("Details")},
	{.name = "closes_at",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 16,
	 .label = N_("Closing time (UTC)")},
	{0},
};

static const struct field vote_fields[] = {
	{.name = "position",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = position_values,
	 .label = N_("Your position")},
	{.name = "reason",
	 .type = FT_TEXTAREA,
	 .maxlen = 2000,
	 .label = N_("Your reason")},
	{0},
};

static const struct field outcome_fields[] = {
	{.name = "outcome",
	 .type = FT_TEXTAREA,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 10000,
	 .label = N_("Outcome")},
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

static const struct route decisions_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/decisions",
	 .who = ACCESS_MEMBER,
	 .fields = page_fields,
	 .handler = decisions_all,
	 .summary = "A party's decisions, to its team, open ones first, a "
		    "page at a time"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/decisions/new",
	 .who = ACCESS_MEMBER,
	 .handler = decision_new,
	 .flags = ROUTE_FORM,
	 .summary = "The form to put a proposal to a party's team",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/decisions",
	 .who = ACCESS_MEMBER,
	 .fields = decision_fields,
	 .handler = decision_add,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Puts a proposal to a party's team, open until its "
		    "closing time",
	 MANAGE},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/decisions/:id",
	 .who = ACCESS_MEMBER,
	 .handler = decision_show,
	 .flags = ROUTE_FORM,
	 .summary = "One decision of a party, to its team: the proposal, "
		    "the votes and reasons, the count, the forms"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/decisions/:id/vote",
	 .who = ACCESS_MEMBER,
	 .fields = vote_fields,
	 .handler = decision_vote,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "A team member's vote on a decision, given or changed "
		    "until it closes",
	 .action = "party.vote",
	 .object_type = PARTY_OBJECT,
	 .object_param = "slug"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/decisions/:id/close",
	 .who = ACCESS_MEMBER,
	 .handler = decision_close,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Closes a decision before its time, with its count",
	 MANAGE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/decisions/:id/outcome",
	 .who = ACCESS_MEMBER,
	 .fields = outcome_fields,
	 .handler = decision_outcome,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Records the outcome of a closed decision",
	 MANAGE},
};

const struct module party_decisions_module = {
	.name = "party-decisions",
	.routes = decisions_routes,
	.nroutes = ARRAY_LEN(decisions_routes),
	.sql = &decisions_sql,
	.jobs = decisions_jobs,
};
