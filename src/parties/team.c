/*
 * team.c -- see parties.h: a working party's team (its object roles:
 * chair, co-chair, rapporteur, member, expert, observer; one a person),
 * joining (at once under an open policy, by a request the managers answer
 * under the approval one), invitations, leaving, role changes and
 * removals, and the chairs' notices to the team by e-mail through the
 * outbox.  The team section of the party's page, its page of its own
 * (GET /working-parties/:slug/team, also /api/v1), and what the people
 * desk says of a person's parties (people_roles).
 *
 * Rules: only managers (chair, co-chair: party.manage) and the
 * secretariat change the team; only a chair or an administrator makes
 * someone chair; the last chair neither leaves nor is removed nor loses
 * the chair unless an administrator does it; an administrator may put a
 * person straight into a party (appoint: the five seeded parties have no
 * chair to invite anyone).  Every write happens only while the party is
 * active, in one transaction with its audit record and its mail.
 *
 * Who sees the team: viewers whose level reaches the party's
 * team_visibility; each member named as their profile allows
 * (people.visibility 'public', or 'members' to viewers who see members;
 * the others counted), except to the party's managers, who must know
 * whom they manage, and to the person themselves.  A viewer below the
 * team's visibility gets the page and the API's answer with no one in it
 * and the reason ("visible": false), not a 403: the party itself is
 * public, only its team is not.
 */
#include "parties_int.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/pager.h"
#include "core/ratelimit.h"
#include "core/render.h"
#include "core/util.h"

/* Notices a party may send a day, and one sender across parties. */
#define NOTICES_PER_PARTY 10
#define NOTICES_PER_SENDER 20
#define NOTICES_WINDOW (24 * 60 * 60)
/* Notices a page of the list shows. */
#define NOTICES_PAGE 20

/* The people desk reads its people this many at a time. */
#define PEOPLE_CHUNK 50
#define IDS_50                                                                 \
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"                   \
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"

/* The roles in the order a team list shows them. */
#define ROLE_ORDER(col)                                                        \
	"CASE " col " WHEN 'chair' THEN 0 WHEN 'co-chair' THEN 1"              \
	" WHEN 'rapporteur' THEN 2 WHEN 'member' THEN 3"                       \
	" WHEN 'expert' THEN 4 ELSE 5 END"

enum stmt_team {
	T_TEAM,
	T_ROLE_OF,
	T_CHAIRS,
	T_PERSON,
	T_BY_EMAIL,
	T_MINE,
	T_REQUESTS,
	T_INVITATIONS,
	T_REQ_GET,
	T_REQ_ADD,
	T_REQ_DECIDE,
	T_REQ_CLOSE,
	T_RECIPIENTS,
	T_NOTICE_ADD,
	T_NOTICES,
	T_NOTICES_COUNT,
	T_ROLES_OF_PEOPLE,
	T_PENDING_OF_PEOPLE,
	T_TEAM__MAX,
};

static const char *const team_sql_text[T_TEAM__MAX] = {
	/* binds: the viewer sees members' names (0/1), sees every name
	 * (0/1), the viewer's id (0: none), the party's slug; name is NULL
	 * for a person not named to this viewer */
	[T_TEAM] = "SELECT p.id AS person_id, r.role,"
		   " CASE WHEN p.visibility = 'public'"
		   "  OR (p.visibility = 'members' AND ? = 1) OR ? = 1"
		   "  OR p.id = ? THEN p.name END AS name"
		   " FROM object_roles r JOIN people p ON p.id = r.person_id"
		   " WHERE r.object_type = 'party' AND r.object_id = ?"
		   " AND p.disabled_at IS NULL"
		   " ORDER BY " ROLE_ORDER("r.role") ", p.name, p.id",
	[T_ROLE_OF] = "SELECT role FROM object_roles WHERE person_id = ?"
		      " AND object_type = 'party' AND object_id = ?"
		      " ORDER BY role",
	[T_CHAIRS] = "SELECT count(*) FROM object_roles r"
		     " JOIN people p ON p.id = r.person_id"
		     " WHERE r.object_type = 'party' AND r.object_id = ?"
		     " AND r.role = 'chair' AND p.disabled_at IS NULL",
	[T_PERSON] = "SELECT id, name, email FROM people"
		     " WHERE id = ? AND disabled_at IS NULL",
	[T_BY_EMAIL] = "SELECT id, name, email FROM people"
		       " WHERE lower(email) = lower(?) AND disabled_at IS NULL",
	/* what waits on the viewer: their request, an invitation */
	[T_MINE] = "SELECT id, kind, role FROM party_requests"
		   " WHERE party_id = ? AND person_id = ? AND state = 'pending'"
		   " ORDER BY id",
	[T_REQUESTS] = "SELECT q.id, q.message, q.created_at, p.name, p.email"
		       " FROM party_requests q"
		       " JOIN people p ON p.id = q.person_id"
		       " WHERE q.party_id = ? AND q.kind = 'request'"
		       " AND q.state = 'pending' AND p.disabled_at IS NULL"
		       " ORDER BY q.created_at, q.id",
	[T_INVITATIONS] = "SELECT q.id, q.role, q.created_at, p.name, p.email"
			  " FROM party_requests q"
			  " JOIN people p ON p.id = q.person_id"
			  " WHERE q.party_id = ? AND q.kind = 'invitation'"
			  " AND q.state = 'pending'"
			  " ORDER BY q.created_at, q.id",
	[T_REQ_GET] = "SELECT q.person_id, q.kind, q.role, q.state, p.name,"
		      " p.email FROM party_requests q"
		      " JOIN people p ON p.id = q.person_id"
		      " WHERE q.id = ? AND q.party_id = ?",
	[T_REQ_ADD] = "INSERT INTO party_requests (party_id, person_id, kind,"
		      " role, message, created_by, created_at)"
		      " VALUES (?, ?, ?, ?, ?, ?, ?)",
	[T_REQ_DECIDE] = "UPDATE party_requests SET state = ?,"
			 " decided_by = ?, decided_at = ?"
			 " WHERE id = ? AND state = 'pending'",
	/* what else waited on a person who joined or left: answered */
	[T_REQ_CLOSE] = "UPDATE party_requests SET state = 'withdrawn',"
			" decided_by = ?, decided_at = ?"
			" WHERE party_id = ? AND person_id = ?"
			" AND state = 'pending'",
	/* binds: the slug, managers only (0/1) */
	[T_RECIPIENTS] = "SELECT p.email, p.name, r.role FROM object_roles r"
			 " JOIN people p ON p.id = r.person_id"
			 " WHERE r.object_type = 'party' AND r.object_id = ?"
			 " AND p.disabled_at IS NULL"
			 " AND (? = 0 OR r.role IN ('chair', 'co-chair'))"
			 " ORDER BY p.id",
	[T_NOTICE_ADD] = "INSERT INTO party_notices (party_id, subject, body,"
			 " sent_by, sent_at, recipients)"
			 " VALUES (?, ?, ?, ?, ?, ?)",
	[T_NOTICES] = "SELECT n.id, n.subject, n.body, n.sent_at,"
		      " n.recipients, p.name AS sender FROM party_notices n"
		      " LEFT JOIN people p ON p.id = n.sent_by"
		      " WHERE n.party_id = ?"
		      " ORDER BY n.sent_at DESC, n.id DESC LIMIT ? OFFSET ?",
	[T_NOTICES_COUNT] = "SELECT count(*) FROM party_notices"
			    " WHERE party_id = ?",
	[T_ROLES_OF_PEOPLE] = "SELECT r.person_id, r.role, pa.slug, pa.name"
			      " FROM object_roles r"
			      " JOIN parties pa ON pa.slug = r.object_id"
			      " WHERE r.object_type = 'party'"
			      " AND r.person_id IN (" IDS_50 ")"
			      " ORDER BY r.person_id, pa.name, pa.id",
	[T_PENDING_OF_PEOPLE] = "SELECT q.person_id, q.kind, pa.slug, pa.name"
				" FROM party_requests q"
				" JOIN parties pa ON pa.id = q.party_id"
				" WHERE q.state = 'pending'"
				" AND q.person_id IN (" IDS_50 ")"
				" ORDER BY q.person_id, pa.name, q.id",
};

static struct db_sql team_sql = {"party_team", team_sql_text, T_TEAM__MAX, 0};

/* What the party's page says after a change sent the browser back. */
static const char *const done_values[] = {
	"joined",    "requested", "left",    "accepted", "declined", "invited",
	"appointed", "welcome",   "refused", "role",     "removed",  NULL,
};
static const char *const done_texts[] = {
	N_("You have joined the team."),
	N_("Your request to join has been sent to the chairs."),
	N_("You have left the team."),
	N_("The request has been accepted: the person is now in the team."),
	N_("The request has been declined."),
	N_("The invitation has been sent."),
	N_("The person is now in the team."),
	N_("Welcome to the team."),
	N_("You have declined the invitation."),
	N_("The role has been changed."),
	N_("The person has been removed from the team."),
};

/* ---- small helpers ---- */

/* The level a visibility asks of a viewer. */
static enum party_level
level_of(const char *visibility)
{
	if (visibility && strcmp(visibility, "public") == 0)
		return PARTY_SEES_PUBLIC;
	if (visibility && strcmp(visibility, "members") == 0)
		return PARTY_SEES_MEMBERS;
	return PARTY_SEES_TEAM;
}

static int
is_role(const char *role, const char *which)
{
	return role && strcmp(role, which) == 0;
}

/* The done message of r's query (?done=WORD), one of done_values, or
 * NULL.  The party's page does not declare the field (parties.c), so it
 * is read here from the raw query, only ever compared with our words. */
static const char *
done_text(const struct req *r)
{
	const char *q = r->query;

	for (const char *s = q; s && *s;) {
		size_t len = strcspn(s, "&");

		if (len > 5 && strncmp(s, "done=", 5) == 0)
			for (size_t i = 0; done_values[i]; i++)
				if (strlen(done_values[i]) == len - 5 &&
				    strncmp(s + 5, done_values[i], len - 5) ==
					    0)
					return _(done_texts[i]);
		s += len + (s[len] == '&');
	}
	return NULL;
}

/* [{value, label, selected}] of the roles; chair only when with_chair
 * or it is the current one. */
static json_t *
role_options(const char *current, int with_chair)
{
	json_t *a = json_array();

	for (size_t i = 0; party_roles[i]; i++) {
		if (strcmp(party_roles[i], "chair") == 0 && !with_chair &&
		    !is_role(current, "chair"))
			continue;
		json_array_append_new(
			a,
			json_pack("{s:s,s:s,s:b}", "value", party_roles[i],
				  "label", _(party_role_labels[i]), "selected",
				  is_role(current, party_roles[i])));
	}
	return a;
}

/* May v make someone chair: a chair or an administrator. */
static int
makes_chairs(const struct party_viewer *v)
{
	return v->admin || is_role(v->role, "chair");
}

/* The role person holds in p (arena), NULL when none; 0 or -1. */
static int
role_of(struct req *r, const struct party *p, int64_t person, const char **role)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_ROLE_OF);
	int rc;

	*role = NULL;
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, person);
	db_bind_text(st, 2, p->slug);
	if ((rc = db_step(st)) == DB_ROW) {
		*role = arena_strdup(r->arena, db_col_text(st, 0));
		db_reset(st);
		return 0;
	}
	return rc == DB_DONE ? 0 : -1;
}

/* The chairs of p who can act (accounts not disabled); -1 on error. */
static int64_t
chairs_of(struct req *r, const struct party *p)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_CHAIRS);
	int64_t n;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, p->slug);
	return db_one_int(st, &n) == 0 ? n : -1;
}

/* Replaces person's role in p (none: from_role NULL; to_role NULL:
 * out of the team), in the caller's transaction.  0 or -1. */
static int
put_role(struct req *r, const struct party *p, int64_t person,
	 const char *from_role, const char *to_role)
{
	if (from_role &&
	    auth_revoke(r->db, person, PARTY_OBJECT, p->slug, from_role) != 0)
		return -1;
	if (to_role && auth_grant(r->db, person, PARTY_OBJECT, p->slug, to_role,
				  clock_now()) != 0)
		return -1;
	return 0;
}

/* Answers what was pending for person in p (withdrawn), in the caller's
 * transaction.  0 or -1. */
static int
close_pending(struct req *r, const struct party *p, int64_t person)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_REQ_CLOSE);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, r->person->id);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, p->id);
	db_bind_int(st, 4, person);
	return db_run(st);
}

/* The audit record of a change to p's team about person. */
static int
audit_team(struct req *r, const struct party *p, const char *action,
	   int64_t person, json_t *before, json_t *after)
{
	json_t *b = before, *a = after;

	if (a)
		json_object_set_new(a, "person", json_integer(person));
	else if (b)
		json_object_set_new(b, "person", json_integer(person));
	return audit_record_new(r->db, r->person->id, action, PARTY_OBJECT,
				p->slug, b, a, r->client);
}

/* The party's page, to link in mail. */
static const char *
party_link(struct req *r, const struct party *p)
{
	return arena_printf(r->arena, "%s/working-parties/%s",
			    config_current->base_url, p->slug);
}

/* msgid filled in, in the current language: see tell(). */
static const char *
letter_text(struct req *r, const struct party *p, const char *msgid,
	    const char *role, const char *more)
{
	return i18n_text(r->arena, _(msgid), "party", p->name, "name",
			 r->person->name, "role",
			 role ? party_role_label(role) : "", "link",
			 party_link(r, p), "more", more ? more : "", NULL);
}

/*
 * A letter to (to, name) in the language they read: subject and body are
 * msgids (N_) with {party} the party's name, {name} the person acting,
 * {role} the label of role, {link} the party's page and {more} more.
 * In the caller's transaction; 0 or -1.
 */
static int
tell(struct req *r, const struct party *p, const char *to, const char *name,
     const char *subject, const char *body, const char *role, const char *more)
{
	int rc;

	if (to == NULL)
		return -1;
	i18n_push(mail_language(r->db, r->arena, to, NULL));
	rc = mail_letter(r->db, to, name,
			 letter_text(r, p, subject, role, more),
			 letter_text(r, p, body, role, more));
	i18n_pop();
	return rc;
}

/* Back to the party's page, saying what was done. */
static void
back_to_party(struct req *r, struct resp *w, const struct party *p,
	      const char *done)
{
	resp_redirect(w,
		      arena_printf(r->arena, "/working-parties/%s?done=%s#team",
				   p->slug, done));
}

/*
 * Every write's start: a transaction, the party of the route and what
 * the viewer is to it read inside it, and the party active.  0, or -1
 * with the answer in w and no transaction open.
 */
static int
write_begin(struct req *r, struct resp *w, struct party *p,
	    struct party_viewer *v)
{
	int rc;

	if (db_begin(r->db) != 0) {
		resp_fail(r, w, NULL);
		return -1;
	}
	if ((rc = party_from_route(r, w, p, v)) != 0) {
		if (rc > 0)
			db_rollback(r->db);
		return -1;
	}
	if (party_open_or_respond(w, p) != 0) {
		db_rollback(r->db);
		return -1;
	}
	return 0;
}

/* A refusal inside a write: rolls back, answers status with message. */
static void
refuse(struct req *r, struct resp *w, int status, const char *message)
{
	db_rollback(r->db);
	resp_error(w, status, message);
}

/* Commits and sends the browser back to the party's page. */
static void
commit_back(struct req *r, struct resp *w, const struct party *p,
	    const char *done)
{
	if (db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	back_to_party(r, w, p, done);
}

/* The person id of route parameter :person, or 0. */
static int64_t
person_param(const struct req *r)
{
	const char *s = req_param(r, "person");
	int64_t n = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		n = n * 10 + (*s - '0');
	}
	return n;
}

static const char *
str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Whether o's key is the string value. */
static int
str_is(json_t *o, const char *key, const char *value)
{
	const char *s = str_of(o, key);

	return s && strcmp(s, value) == 0;
}

/* The request :id of p as {person_id, kind, role, state, name, email}
 * (new reference) in *out; 0, 1 with a 404 in w (rolled back), -1. */
static int
request_of(struct req *r, struct resp *w, const struct party *p,
	   const char *kind, json_t **out)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_REQ_GET);
	json_t *row;

	*out = NULL;
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, req_param_id(r));
	db_bind_int(st, 2, p->id);
	if ((row = db_one_json(st)) == NULL)
		return -1;
	if (json_is_null(row) || !str_is(row, "kind", kind) ||
	    !str_is(row, "state", "pending") ||
	    !json_is_string(json_object_get(row, "role")) ||
	    !json_is_string(json_object_get(row, "email"))) {
		json_decref(row);
		refuse(r, w, 404,
		       strcmp(kind, "invitation") == 0
			       ? _("There is no such invitation waiting for "
				   "an answer.")
			       : _("There is no such request waiting for an "
				   "answer."));
		return 1;
	}
	*out = row;
	return 0;
}

/* What the form sent as name, to fill it again; "" when nothing. */
static const char *
input_of(const struct req *r, const char *name)
{
	const char *s = r->input ? str_of(r->input, name) : NULL;

	return s ? s : "";
}

/* Marks request id answered (state), in the caller's transaction. */
static int
decide(struct req *r, int64_t id, const char *state)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_REQ_DECIDE);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, state);
	db_bind_int(st, 2, r->person->id);
	db_bind_int(st, 3, clock_now());
	db_bind_int(st, 4, id);
	return db_run(st);
}

/* Adds a pending request or invitation of kind for person with role. */
static int
add_request(struct req *r, const struct party *p, int64_t person,
	    const char *kind, const char *role, const char *message)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_REQ_ADD);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, person);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, role);
	db_bind_text(st, 5, message ? message : "");
	db_bind_int(st, 6, r->person->id);
	db_bind_int(st, 7, clock_now());
	return db_run(st);
}

/* Whether the pending rows of person in p include kind (request,
 * invitation); -1 on error. */
static int
has_pending(struct req *r, const struct party *p, int64_t person,
	    const char *kind)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_MINE);
	int rc, found = 0;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, person);
	while ((rc = db_step(st)) == DB_ROW)
		if (db_col_text(st, 1) && strcmp(db_col_text(st, 1), kind) == 0)
			found = 1;
	return rc == DB_DONE ? found : -1;
}

/* ---- what the viewer sees ---- */

/* The team as v may see it, into team: members, counts, the words for
 * those not named.  0 or -1. */
static int
add_members(struct req *r, const struct party *p, const struct party_viewer *v,
	    json_t *team)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_TEAM);
	json_t *rows, *named, *row;
	json_int_t hidden = 0;
	int64_t me = r->person ? r->person->id : 0;
	size_t i;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, v->level >= PARTY_SEES_MEMBERS);
	db_bind_int(st, 2, v->manages);
	db_bind_int(st, 3, me);
	db_bind_text(st, 4, p->slug);
	if ((rows = db_all_json(st)) == NULL)
		return -1;
	named = json_array();
	json_array_foreach(rows, i, row) {
		const char *role = str_of(row, "role");
		int64_t id =
			json_integer_value(json_object_get(row, "person_id"));
		int mine = id == me;

		if (!json_is_string(json_object_get(row, "name")) || !role) {
			hidden++;
			continue;
		}
		json_object_set_new(row, "role_label",
				    json_string(party_role_label(role)));
		json_object_set_new(row, "me", json_boolean(mine));
		/* the managers' forms, for others than themselves (a chair's
		 * only to chairs and the secretariat) */
		if (v->manages && !mine && strcmp(p->state, "active") == 0 &&
		    (makes_chairs(v) || !is_role(role, "chair"))) {
			json_object_set_new(row, "manage", json_true());
			json_object_set_new(
				row, "role_options",
				role_options(role, makes_chairs(v)));
		}
		/* a person's id is for those who manage the team */
		if (!v->manages)
			json_object_del(row, "person_id");
		json_array_append(named, row);
	}
	json_object_set_new(team, "count", json_integer(json_array_size(rows)));
	json_object_set_new(team, "members", named);
	json_object_set_new(team, "hidden_count", json_integer(hidden));
	if (hidden > 0) {
		char num[24];

		snprintf(num, sizeof num, "%lld", (long long)hidden);
		json_object_set_new(
			team, "hidden_text",
			json_string(i18n_text(
				r->arena,
				json_array_size(named) > 0
					? _n("and {n} more person, whose name "
					     "is not public.",
					     "and {n} more people, whose names "
					     "are not public.",
					     (unsigned long)hidden)
					: _n("{n} person, whose name is not "
					     "public.",
					     "{n} people, whose names are not "
					     "public.",
					     (unsigned long)hidden),
				"n", num, NULL)));
	}
	json_decref(rows);
	return 0;
}

/* What waits on the viewer (their request, an invitation to them) into
 * team.  0 or -1. */
static int
add_mine(struct req *r, const struct party *p, json_t *team)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_MINE);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, r->person->id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = db_col_text(st, 1);
		const char *role = db_col_text(st, 2);

		if (kind && strcmp(kind, "invitation") == 0 && role)
			json_object_set_new(
				team, "invitation",
				json_pack("{s:I,s:s,s:s}", "id",
					  (json_int_t)db_col_int(st, 0), "role",
					  role, "role_label",
					  party_role_label(role)));
		else if (kind && strcmp(kind, "request") == 0)
			json_object_set_new(team, "pending_request",
					    json_true());
	}
	return rc == DB_DONE ? 0 : -1;
}

/* The requests waiting on the managers, into team.  0 or -1. */
static int
add_requests(struct req *r, const struct party *p, json_t *team)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_REQUESTS);
	json_t *rows;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	if ((rows = db_all_json(st)) == NULL)
		return -1;
	render_add_times(rows, "created_at");
	json_object_set_new(team, "requests", rows);
	return 0;
}

/* The team part of the model for p as v sees it: a new object. */
static json_t *
team_model(struct req *r, const struct party *p, const struct party_viewer *v)
{
	int open = strcmp(p->state, "active") == 0;
	int in_team = v->role != NULL;
	json_t *team = json_object();
	const char *done = done_text(r);

	json_object_set_new(
		team, "visible",
		json_boolean(v->level >= level_of(p->team_visibility)));
	json_object_set_new(
		team, "visibility_label",
		json_string(party_visibility_label(p->team_visibility)));
	if (done)
		json_object_set_new(team, "done", json_string(done));
	if (v->level >= level_of(p->team_visibility)) {
		if (add_members(r, p, v, team) != 0)
			goto fail;
	} else {
		json_object_set_new(team, "members", json_array());
		json_object_set_new(
			team, "reason",
			json_string(level_of(p->team_visibility) ==
						    PARTY_SEES_TEAM
					    ? _("Only the team and the "
						"secretariat see who is in "
						"this working party.")
					    : _("Only members of the Alliance "
						"see who is in this working "
						"party.")));
	}
	if (v->role)
		json_object_set_new(team, "my_role_label",
				    json_string(party_role_label(v->role)));
	json_object_set_new(team, "can_leave", json_boolean(open && in_team));
	if (r->person == NULL) {
		json_object_set_new(team, "sign_in", json_boolean(open));
		json_object_set_new(
			team, "sign_in_href",
			json_sprintf("/signin?next=%%2Fworking-parties%%2F%s",
				     p->slug));
	} else if (!in_team && open) {
		if (add_mine(r, p, team) != 0)
			goto fail;
		if (!json_object_get(team, "invitation") &&
		    !json_object_get(team, "pending_request")) {
			json_object_set_new(team, "can_join", json_true());
			json_object_set_new(team, "join_open",
					    json_boolean(strcmp(p->join_policy,
								"open") == 0));
		}
	}
	if (v->manages && open) {
		json_object_set_new(team, "manages", json_true());
		if (add_requests(r, p, team) != 0)
			goto fail;
		json_object_set_new(team, "invite_roles",
				    role_options("member", makes_chairs(v)));
		json_object_set_new(team, "appoints", json_boolean(v->admin));
	}
	return team;
fail:
	json_decref(team);
	return NULL;
}

int
party_team_section(struct req *r, const struct party *p,
		   const struct party_viewer *v, json_t *model)
{
	json_t *team = team_model(r, p, v);

	if (team == NULL) {
		log_error("parties: the team of %s unread", p->slug);
		return -1;
	}
	json_object_set_new(model, "team", team);
	return 0;
}

/*
 * GET /working-parties/:slug/team (also /api/v1): the team alone, as the
 * party's page shows it.  A viewer below the team's visibility gets
 * "visible": false, no one and the reason (200: the party is public).
 */
static void
team_show(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *team;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if ((team = team_model(r, &p, &v)) == NULL)
		return resp_fail(r, w, _("The team could not be read."));
	resp_page(w, 200, "parties/templates/team_page.html",
		  i18n_text(r->arena, _("Team of {party}"), "party", p.name,
			    NULL),
		  json_pack("{s:o,s:o}", "party", party_json(&p, &v), "team",
			    team));
}

/* ---- joining and leaving ---- */

/*
 * POST /working-parties/:slug/join: under an open policy the viewer joins
 * at once as a member; under approval a request (with its message) waits
 * for the managers, who get a letter.
 */
static void
team_join(struct req *r, struct resp *w)
{
	const struct value *message = req_value(r, "message");
	struct party p;
	struct party_viewer v;
	json_t *managers;
	struct db_stmt *st;
	size_t i;
	json_t *m;
	int rc;

	if (write_begin(r, w, &p, &v) != 0)
		return;
	if (v.role)
		return refuse(r, w, 409, _("You are already in this team."));
	if ((rc = has_pending(r, &p, r->person->id, "invitation")) < 0)
		goto fail;
	if (rc)
		return refuse(r, w, 409,
			      _("You are invited to this team: accept the "
				"invitation on the working party's page."));
	if (strcmp(p.join_policy, "open") == 0) {
		if (put_role(r, &p, r->person->id, NULL, "member") != 0 ||
		    close_pending(r, &p, r->person->id) != 0 ||
		    audit_team(r, &p, "party.join", r->person->id, NULL,
			       json_pack("{s:s}", "role", "member")) != 0)
			goto fail;
		return commit_back(r, w, &p, "joined");
	}
	if ((rc = has_pending(r, &p, r->person->id, "request")) < 0)
		goto fail;
	if (rc)
		return refuse(r, w, 409,
			      _("You have already asked to join: the chairs "
				"will answer."));
	if (add_request(r, &p, r->person->id, "request", "member",
			message->present ? message->str : "") != 0 ||
	    audit_team(r, &p, "party.join", r->person->id, NULL,
		       json_pack("{s:s,s:s}", "request", "pending", "message",
				 message->present ? message->str : "")) != 0)
		goto fail;
	/* the managers hear of it */
	if ((st = db_stmt(r->db, &team_sql, T_RECIPIENTS)) == NULL)
		goto fail;
	db_bind_text(st, 1, p.slug);
	db_bind_int(st, 2, 1);
	if ((managers = db_all_json(st)) == NULL)
		goto fail;
	json_array_foreach(managers, i, m) {
		if (tell(r, &p, str_of(m, "email"), str_of(m, "name"),
			 N_("{name} asks to join {party}"),
			 N_("{name} asks to join the working party {party}."
			    "{more}\n\nAccept or decline the request on the "
			    "working party's page:\n\n{link}"),
			 NULL,
			 message->present && *message->str
				 ? i18n_text(r->arena, "\n\n{m}", "m",
					     message->str, NULL)
				 : NULL) != 0) {
			json_decref(managers);
			goto fail;
		}
	}
	json_decref(managers);
	return commit_back(r, w, &p, "requested");
fail:
	resp_fail(r, w, NULL);
}

/* The answer when the last chair would go: 409 unless v is an admin. */
static const char *
last_chair_message(void)
{
	return _("The last chair cannot leave the team or stop being chair: "
		 "make someone else chair first, or ask the secretariat.");
}

/* Whether taking role away from a person leaves p without a chair, and
 * v may not do that: 1, 0, -1 on error. */
static int
last_chair_blocks(struct req *r, const struct party *p,
		  const struct party_viewer *v, const char *role)
{
	int64_t n;

	if (v->admin || !is_role(role, "chair"))
		return 0;
	if ((n = chairs_of(r, p)) < 0)
		return -1;
	return n <= 1;
}

/* POST /working-parties/:slug/leave: the viewer leaves the team. */
static void
team_leave(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	int rc;

	if (write_begin(r, w, &p, &v) != 0)
		return;
	if (v.role == NULL)
		return refuse(r, w, 409, _("You are not in this team."));
	if ((rc = last_chair_blocks(r, &p, &v, v.role)) < 0)
		goto fail;
	if (rc)
		return refuse(r, w, 409, last_chair_message());
	if (put_role(r, &p, r->person->id, v.role, NULL) != 0 ||
	    audit_team(r, &p, "party.leave", r->person->id,
		       json_pack("{s:s}", "role", v.role), NULL) != 0)
		goto fail;
	return commit_back(r, w, &p, "left");
fail:
	resp_fail(r, w, NULL);
}

/* ---- the managers' answers to requests ---- */

static void
request_answer(struct req *r, struct resp *w, int accept)
{
	struct party p;
	struct party_viewer v;
	json_t *q;
	const char *role, *now_role;
	int64_t person;
	int rc;

	if (write_begin(r, w, &p, &v) != 0)
		return;
	if ((rc = request_of(r, w, &p, "request", &q)) != 0) {
		if (rc < 0)
			resp_fail(r, w, NULL);
		return;
	}
	person = json_integer_value(json_object_get(q, "person_id"));
	role = arena_strdup(r->arena, str_of(q, "role"));
	if (role_of(r, &p, person, &now_role) != 0)
		goto fail;
	if (accept && now_role) {
		json_decref(q);
		return refuse(r, w, 409,
			      _("This person is already in the team."));
	}
	if (decide(r, req_param_id(r), accept ? "accepted" : "declined") != 0 ||
	    (accept && (put_role(r, &p, person, NULL, role) != 0 ||
			close_pending(r, &p, person) != 0)) ||
	    audit_record_new(r->db, r->person->id,
			     accept ? "party.request.accept"
				    : "party.request.decline",
			     PARTY_OBJECT, p.slug, NULL,
			     json_pack("{s:I,s:I,s:s}", "request",
				       (json_int_t)req_param_id(r), "person",
				       (json_int_t)person, "role", role),
			     r->client) != 0 ||
	    tell(r, &p, str_of(q, "email"), str_of(q, "name"),
		 accept ? N_("Welcome to {party}")
			: N_("Your request to join {party}"),
		 accept ? N_("{name} accepted your request: you are now "
			     "{role} in the working party {party}.\n\n{link}")
			: N_("{name} declined your request to join the "
			     "working party {party}. You may write to its "
			     "chairs or to the secretariat to know more.\n\n"
			     "{link}"),
		 role, NULL) != 0)
		goto fail;
	json_decref(q);
	return commit_back(r, w, &p, accept ? "accepted" : "declined");
fail:
	json_decref(q);
	resp_fail(r, w, NULL);
}

static void
request_accept(struct req *r, struct resp *w)
{
	request_answer(r, w, 1);
}

static void
request_decline(struct req *r, struct resp *w)
{
	request_answer(r, w, 0);
}

/* ---- invitations ---- */

/* The invitations page: the form (with r's values and errors when
 * sent) and the invitations waiting. */
static void
invite_page(struct req *r, struct resp *w, int status, const struct party *p,
	    const struct party_viewer *v, const char *notice)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_INVITATIONS);
	const struct value *role = req_value(r, "role");
	json_t *rows, *row, *model;
	size_t i;

	if (st == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, p->id);
	if ((rows = db_all_json(st)) == NULL)
		return resp_fail(r, w, NULL);
	render_add_times(rows, "created_at");
	json_array_foreach(rows, i, row)
		json_object_set_new(
			row, "role_label",
			json_string(party_role_label(str_of(row, "role"))));
	model = json_pack("{s:o,s:o,s:o,s:b,s:s,s:s,s:b}", "party",
			  party_json(p, v), "invitations", rows, "roles",
			  role_options(role->present ? role->str : "member",
				       makes_chairs(v)),
			  "appoints", v->admin, "email", input_of(r, "email"),
			  "message", input_of(r, "message"), "appoint",
			  req_value(r, "appoint")->num == 1);
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	resp_form_errors(model, r->errors);
	resp_page(w, status, "parties/templates/team_invite.html",
		  i18n_text(r->arena, _("Invite to {party}"), "party", p->name,
			    NULL),
		  model);
}

/* GET /working-parties/:slug/invitations (managers). */
static void
invite_form(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	invite_page(r, w, 200, &p, &v, NULL);
}

/* One error on the invitations form: rolls back, shows it again. */
static void
invite_error(struct req *r, struct resp *w, int status, const struct party *p,
	     const struct party_viewer *v, const char *field,
	     const char *message)
{
	db_rollback(r->db);
	if (r->errors == NULL)
		r->errors = json_object();
	json_object_set_new(r->errors, field, json_string(message));
	invite_page(r, w, status, p, v, NULL);
}

/*
 * POST /working-parties/:slug/invitations (managers): invites the person
 * with that address (an account) for a role; they get a letter and
 * answer on the party's page.  An administrator may appoint instead: the
 * person is in the team at once.
 */
static void
invite_send(struct req *r, struct resp *w)
{
	const struct value *email = req_value(r, "email");
	const struct value *role = req_value(r, "role");
	const struct value *message = req_value(r, "message");
	int appoint = req_value(r, "appoint")->num == 1;
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	const char *now_role, *name, *to;
	int64_t person;
	int rc;

	if (write_begin(r, w, &p, &v) != 0)
		return;
	if (r->errors || !email->present || !role->present) {
		db_rollback(r->db);
		if (r->errors == NULL)
			r->errors = json_object();
		if (!email->present && !json_object_get(r->errors, "email"))
			json_object_set_new(
				r->errors, "email",
				json_string(_("Enter the e-mail address of "
					      "the person's account.")));
		if (!role->present && !json_object_get(r->errors, "role"))
			json_object_set_new(r->errors, "role",
					    json_string(_("Choose a role.")));
		return invite_page(r, w, 422, &p, &v, NULL);
	}
	if (is_role(role->str, "chair") && !makes_chairs(&v))
		return invite_error(r, w, 403, &p, &v, "role",
				    _("Only a chair or the secretariat may "
				      "make someone chair."));
	if (appoint && !v.admin)
		return invite_error(r, w, 403, &p, &v, "appoint",
				    _("Only the secretariat may put someone "
				      "in the team without asking them."));
	if ((st = db_stmt(r->db, &team_sql, T_BY_EMAIL)) == NULL)
		goto fail;
	db_bind_text(st, 1, email->str);
	if ((rc = db_step(st)) == DB_ERROR)
		goto fail;
	if (rc == DB_DONE)
		return invite_error(r, w, 422, &p, &v, "email",
				    _("No one has an account with this "
				      "address. Ask them to sign up first, "
				      "then invite them."));
	person = db_col_int(st, 0);
	name = arena_strdup(r->arena, db_col_text(st, 1));
	to = arena_strdup(r->arena, db_col_text(st, 2));
	db_reset(st);
	if (role_of(r, &p, person, &now_role) != 0)
		goto fail;
	if (now_role)
		return invite_error(r, w, 409, &p, &v, "email",
				    _("This person is already in the team: "
				      "change their role in the team list."));
	if (appoint) {
		if (put_role(r, &p, person, NULL, role->str) != 0 ||
		    close_pending(r, &p, person) != 0 ||
		    audit_team(r, &p, "party.role.set", person, NULL,
			       json_pack("{s:s,s:b}", "role", role->str,
					 "appointed", 1)) != 0 ||
		    tell(r, &p, to, name, N_("You are now {role} in {party}"),
			 N_("{name} has made you {role} in the working party "
			    "{party}.\n\n{link}"),
			 role->str, NULL) != 0)
			goto fail;
		return commit_back(r, w, &p, "appointed");
	}
	if ((rc = has_pending(r, &p, person, "invitation")) < 0)
		goto fail;
	if (rc)
		return invite_error(r, w, 409, &p, &v, "email",
				    _("This person has been invited already "
				      "and has not answered yet."));
	if (add_request(r, &p, person, "invitation", role->str,
			message->present ? message->str : "") != 0 ||
	    audit_team(r, &p, "party.invite", person, NULL,
		       json_pack("{s:s,s:s}", "role", role->str, "email",
				 to)) != 0 ||
	    tell(r, &p, to, name, N_("You are invited to join {party}"),
		 N_("{name} invites you to join the working party {party} "
		    "as {role}.{more}\n\nTo accept or decline, sign in and "
		    "open the working party's page:\n\n{link}"),
		 role->str,
		 message->present && *message->str
			 ? i18n_text(r->arena, "\n\n{m}", "m", message->str,
				     NULL)
			 : NULL) != 0)
		goto fail;
	return commit_back(r, w, &p, "invited");
fail:
	resp_fail(r, w, NULL);
}

/* POST .../invitations/:id/accept or /decline: the invited person. */
static void
invitation_answer(struct req *r, struct resp *w, int accept)
{
	struct party p;
	struct party_viewer v;
	json_t *q;
	const char *role;
	int rc;

	if (write_begin(r, w, &p, &v) != 0)
		return;
	if ((rc = request_of(r, w, &p, "invitation", &q)) != 0) {
		if (rc < 0)
			resp_fail(r, w, NULL);
		return;
	}
	/* someone else's invitation is none of theirs: as if none */
	if (json_integer_value(json_object_get(q, "person_id")) !=
	    r->person->id) {
		json_decref(q);
		return refuse(r, w, 404,
			      _("There is no such invitation waiting for an "
				"answer."));
	}
	role = arena_strdup(r->arena, str_of(q, "role"));
	json_decref(q);
	if (accept && v.role)
		return refuse(r, w, 409, _("You are already in this team."));
	if (decide(r, req_param_id(r), accept ? "accepted" : "declined") != 0 ||
	    (accept && (put_role(r, &p, r->person->id, NULL, role) != 0 ||
			close_pending(r, &p, r->person->id) != 0)) ||
	    audit_record_new(
		    r->db, r->person->id,
		    accept ? "party.invite.accept" : "party.invite.decline",
		    PARTY_OBJECT, p.slug, NULL,
		    json_pack("{s:I,s:s}", "invitation",
			      (json_int_t)req_param_id(r), "role", role),
		    r->client) != 0)
		return resp_fail(r, w, NULL);
	commit_back(r, w, &p, accept ? "welcome" : "refused");
}

static void
invitation_accept(struct req *r, struct resp *w)
{
	invitation_answer(r, w, 1);
}

static void
invitation_decline(struct req *r, struct resp *w)
{
	invitation_answer(r, w, 0);
}

/* ---- roles and removals ---- */

/*
 * POST /working-parties/:slug/team/:person/role (managers): the person's
 * role becomes role (the row replaced).  An administrator may so put a
 * person not yet in the team straight into it.  Only a chair or an
 * administrator makes someone chair; the last chair stays chair unless
 * an administrator changes it.
 */
static void
team_role(struct req *r, struct resp *w)
{
	const struct value *role = req_value(r, "role");
	int64_t person = person_param(r);
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	const char *now_role, *name, *to;
	int rc;

	if (write_begin(r, w, &p, &v) != 0)
		return;
	if (!role->present)
		return refuse(r, w, 422, _("Choose a role."));
	if (is_role(role->str, "chair") && !makes_chairs(&v))
		return refuse(r, w, 403,
			      _("Only a chair or the secretariat may make "
				"someone chair."));
	if ((st = db_stmt(r->db, &team_sql, T_PERSON)) == NULL)
		goto fail;
	db_bind_int(st, 1, person);
	if ((rc = db_step(st)) == DB_ERROR)
		goto fail;
	if (rc == DB_DONE)
		return refuse(r, w, 404, _("There is no such person."));
	name = arena_strdup(r->arena, db_col_text(st, 1));
	to = arena_strdup(r->arena, db_col_text(st, 2));
	db_reset(st);
	if (role_of(r, &p, person, &now_role) != 0)
		goto fail;
	if (now_role == NULL && !v.admin)
		return refuse(r, w, 404,
			      _("This person is not in the team: invite "
				"them first."));
	if (is_role(now_role, "chair") && !makes_chairs(&v))
		return refuse(r, w, 403,
			      _("Only a chair or the secretariat may change "
				"the role of a chair."));
	if (now_role && strcmp(now_role, role->str) == 0) {
		db_rollback(r->db);
		return back_to_party(r, w, &p, "role");
	}
	if (!is_role(role->str, "chair") &&
	    (rc = last_chair_blocks(r, &p, &v, now_role)) != 0) {
		if (rc < 0)
			goto fail;
		return refuse(r, w, 409, last_chair_message());
	}
	if (put_role(r, &p, person, now_role, role->str) != 0 ||
	    (now_role == NULL && close_pending(r, &p, person) != 0) ||
	    audit_team(r, &p, "party.role.set", person,
		       now_role ? json_pack("{s:s}", "role", now_role) : NULL,
		       json_pack("{s:s}", "role", role->str)) != 0 ||
	    tell(r, &p, to, name, N_("You are now {role} in {party}"),
		 N_("{name} has made you {role} in the working party "
		    "{party}.\n\n{link}"),
		 role->str, NULL) != 0)
		goto fail;
	return commit_back(r, w, &p, now_role ? "role" : "appointed");
fail:
	resp_fail(r, w, NULL);
}

/* POST /working-parties/:slug/team/:person/remove (managers). */
static void
team_remove(struct req *r, struct resp *w)
{
	int64_t person = person_param(r);
	struct party p;
	struct party_viewer v;
	const char *now_role;
	int rc;

	if (write_begin(r, w, &p, &v) != 0)
		return;
	if (role_of(r, &p, person, &now_role) != 0)
		goto fail;
	if (now_role == NULL)
		return refuse(r, w, 404, _("This person is not in the team."));
	if (is_role(now_role, "chair") && !makes_chairs(&v))
		return refuse(r, w, 403,
			      _("Only a chair or the secretariat may remove "
				"a chair."));
	if ((rc = last_chair_blocks(r, &p, &v, now_role)) != 0) {
		if (rc < 0)
			goto fail;
		return refuse(r, w, 409,
			      _("The last chair cannot be removed: make "
				"someone else chair first, or ask the "
				"secretariat."));
	}
	if (put_role(r, &p, person, now_role, NULL) != 0 ||
	    audit_team(r, &p, "party.remove", person,
		       json_pack("{s:s}", "role", now_role), NULL) != 0)
		goto fail;
	return commit_back(r, w, &p, "removed");
fail:
	resp_fail(r, w, NULL);
}

/* ---- notices ---- */

static const char *const notices_skip[] = {"done", NULL};

/* The notices page: the form (r's values and errors when sent) and the
 * notices sent, a page at a time. */
static void
notices_page(struct req *r, struct resp *w, int status, const struct party *p,
	     const struct party_viewer *v, const char *notice)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, T_NOTICES_COUNT);
	const char *path =
		arena_printf(r->arena, "/working-parties/%s/notices", p->slug);
	const struct value *done = req_value(r, "done");
	struct pager pg;
	int64_t total;
	json_t *rows, *model;

	pager_read(r, NOTICES_PAGE, &pg);
	if (st == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, p->id);
	if (db_one_int(st, &total) != 0 ||
	    (st = db_stmt(r->db, &team_sql, T_NOTICES)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, pg.size);
	db_bind_int(st, 3, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return resp_fail(r, w, NULL);
	render_add_times(rows, "sent_at");
	model = json_pack("{s:o,s:o,s:o,s:s,s:s}", "party", party_json(p, v),
			  "notices", rows, "pager",
			  pager_model(r, &pg, path, notices_skip, 0, total),
			  "subject", input_of(r, "subject"), "body",
			  input_of(r, "body"));
	if (notice == NULL && done->present && done->num > 0)
		notice = i18n_text(
			r->arena,
			_n("The notice has been sent to {n} person.",
			   "The notice has been sent to {n} people.",
			   (unsigned long)done->num),
			"n",
			arena_printf(r->arena, "%lld", (long long)done->num),
			NULL);
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	resp_form_errors(model, r->errors);
	resp_page(w, status, "parties/templates/notices.html",
		  i18n_text(r->arena, _("Notices to the team of {party}"),
			    "party", p->name, NULL),
		  model);
}

/* GET /working-parties/:slug/notices (managers). */
static void
notices_show(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	notices_page(r, w, 200, &p, &v, NULL);
}

/* Counts one notice of r's person to p against the limits: 0 to go on,
 * else the seconds to wait; -1 on error. */
static int
notice_limit(struct req *r, const struct party *p)
{
	int64_t now = clock_now();
	int wait = ratelimit_hit(
		r->db, arena_printf(r->arena, "party-notice:party:%s", p->slug),
		NOTICES_PER_PARTY, NOTICES_WINDOW, now);

	if (wait != 0)
		return wait;
	return ratelimit_hit(r->db,
			     arena_printf(r->arena, "party-notice:sender:%lld",
					  (long long)r->person->id),
			     NOTICES_PER_SENDER, NOTICES_WINDOW, now);
}

/*
 * POST /working-parties/:slug/notices (managers): one letter to each of
 * the team (but disabled accounts), each in its reader's language, the
 * notice kept with its count, its audit record; within the limits per
 * party and per sender (429 with the form again).
 */
static void
notices_send(struct req *r, struct resp *w)
{
	const struct value *subject = req_value(r, "subject");
	const struct value *body = req_value(r, "body");
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *team, *m;
	size_t i, n;
	int wait;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    party_open_or_respond(w, &p) != 0)
		return;
	if (r->errors || !subject->present || !body->present) {
		if (r->errors == NULL)
			r->errors = json_object();
		if (!subject->present && !json_object_get(r->errors, "subject"))
			json_object_set_new(r->errors, "subject",
					    json_string(_("Write a subject.")));
		if (!body->present && !json_object_get(r->errors, "body"))
			json_object_set_new(
				r->errors, "body",
				json_string(_("Write the notice.")));
		return notices_page(r, w, 422, &p, &v, NULL);
	}
	if ((wait = notice_limit(r, &p)) < 0)
		return resp_fail(r, w, NULL);
	if (wait > 0) {
		char words[64];

		resp_header(w, "Retry-After",
			    arena_printf(r->arena, "%d", wait));
		r->errors = json_object();
		json_object_set_new(
			r->errors, "subject",
			json_string(i18n_text(
				r->arena,
				_("Too many notices have been sent to this "
				  "team today. Please try again in {wait}."),
				"wait",
				ratelimit_wait_words(wait, words, sizeof words),
				NULL)));
		return notices_page(r, w, 429, &p, &v, NULL);
	}
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &team_sql, T_RECIPIENTS)) == NULL)
		goto fail;
	db_bind_text(st, 1, p.slug);
	db_bind_int(st, 2, 0);
	if ((team = db_all_json(st)) == NULL)
		goto fail;
	n = json_array_size(team);
	json_array_foreach(team, i, m) {
		const char *to = str_of(m, "email");
		int rc;

		if (to == NULL)
			continue;
		i18n_push(mail_language(r->db, r->arena, to, NULL));
		rc = mail_letter(
			r->db, to, str_of(m, "name"),
			i18n_text(r->arena, _("[{party}] {subject}"), "party",
				  p.name, "subject", subject->str, NULL),
			i18n_text(r->arena,
				  _("{name}, {role} of the working party "
				    "{party}, sends this notice to its "
				    "team:\n\n{notice}\n\nYou receive it as "
				    "{yours} of {party}: {link}"),
				  "name", r->person->name, "role",
				  v.role ? party_role_label(v.role)
					 : _("the secretariat"),
				  "party", p.name, "notice", body->str, "yours",
				  party_role_label(str_of(m, "role")), "link",
				  party_link(r, &p), NULL));
		i18n_pop();
		if (rc != 0) {
			json_decref(team);
			goto fail;
		}
	}
	json_decref(team);
	if ((st = db_stmt(r->db, &team_sql, T_NOTICE_ADD)) == NULL)
		goto fail;
	db_bind_int(st, 1, p.id);
	db_bind_text(st, 2, subject->str);
	db_bind_text(st, 3, body->str);
	db_bind_int(st, 4, r->person->id);
	db_bind_int(st, 5, clock_now());
	db_bind_int(st, 6, (int64_t)n);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "party.notice", PARTY_OBJECT,
			     p.slug, NULL,
			     json_pack("{s:s,s:I}", "subject", subject->str,
				       "recipients", (json_int_t)n),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/notices?done=%zu",
				      p.slug, n));
	return;
fail:
	resp_fail(r, w, NULL);
}

/* ---- the people desk ---- */

/* The row of people[from..to) whose id is id, or NULL. */
static json_t *
row_of(json_t *people, size_t from, size_t to, json_int_t id)
{
	for (size_t i = from; i < to; i++) {
		json_t *row = json_array_get(people, i);

		if (json_integer_value(json_object_get(row, "id")) == id)
			return row;
	}
	return NULL;
}

/* Appends {label, href} to row's "roles" (made when missing). */
static void
add_desk_role(json_t *row, const char *label, const char *href)
{
	json_t *roles = json_object_get(row, "roles");

	if (!json_is_array(roles)) {
		roles = json_array();
		json_object_set_new(row, "roles", roles);
	}
	json_array_append_new(
		roles, json_pack("{s:s,s:s}", "label", label, "href", href));
}

/* Runs statement which over people[from..to) into their roles. */
static int
desk_chunk(struct req *r, json_t *people, size_t from, size_t to, int which)
{
	struct db_stmt *st = db_stmt(r->db, &team_sql, which);
	int rc;

	if (st == NULL)
		return -1;
	for (size_t k = 0; k < PEOPLE_CHUNK; k++)
		if (from + k < to)
			db_bind_int(st, (int)k + 1,
				    json_integer_value(json_object_get(
					    json_array_get(people, from + k),
					    "id")));
		else
			db_bind_null(st, (int)k + 1);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *row = row_of(people, from, to, db_col_int(st, 0));
		const char *what = db_col_text(st, 1);
		const char *slug = db_col_text(st, 2);
		const char *name = db_col_text(st, 3);

		if (row == NULL || !what || !slug || !name)
			continue;
		add_desk_role(
			row,
			which == T_ROLES_OF_PEOPLE
				/* TRANSLATORS: "Chair of Victims" */
				? i18n_text(r->arena, _("{role} of {party}"),
					    "role", party_role_label(what),
					    "party", name, NULL)
				: strcmp(what, "invitation") == 0
					  ? i18n_text(r->arena,
						      _("Invited to join "
							"{party}"),
						      "party", name, NULL)
					  : i18n_text(
						    r->arena,
						    _("Asked to join {party}"),
						    "party", name, NULL),
			arena_printf(r->arena, "/working-parties/%s", slug));
	}
	return rc == DB_DONE ? 0 : -1;
}

/* The people_roles hook (core/http.h): a person's roles in parties, and
 * on their own page what waits (invitations, requests). */
static int
team_people_roles(struct req *r, json_t *people, int detail)
{
	size_t n = json_array_size(people);

	for (size_t from = 0; from < n; from += PEOPLE_CHUNK) {
		size_t to = from + PEOPLE_CHUNK < n ? from + PEOPLE_CHUNK : n;

		if (desk_chunk(r, people, from, to, T_ROLES_OF_PEOPLE) != 0 ||
		    (detail && desk_chunk(r, people, from, to,
					  T_PENDING_OF_PEOPLE) != 0)) {
			log_error("parties: people's roles unread");
			return -1;
		}
	}
	return 0;
}

/* ---- the tables ---- */

static const struct field join_fields[] = {
	{.name = "message",
	 .type = FT_TEXTAREA,
	 .maxlen = 2000,
	 .label = N_("Message to the chairs")},
	{0},
};

static const struct field invite_fields[] = {
	{.name = "email",
	 .type = FT_EMAIL,
	 .flags = FIELD_REQUIRED,
	 .label = N_("E-mail address")},
	{.name = "role",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = party_roles,
	 .label = N_("Role")},
	{.name = "message",
	 .type = FT_TEXTAREA,
	 .maxlen = 2000,
	 .label = N_("Message")},
	{.name = "appoint",
	 .type = FT_BOOL,
	 .label = N_("Put them in the team at once")},
	{0},
};

static const struct field role_fields[] = {
	{.name = "role",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = party_roles,
	 .label = N_("Role")},
	{0},
};

static const struct field notices_list_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 1000000},
	{.name = "done", .type = FT_INT, .min = 0, .max = 1000000},
	{0},
};

static const struct field notice_fields[] = {
	{.name = "subject",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Subject")},
	{.name = "body",
	 .type = FT_TEXTAREA,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 20000,
	 .label = N_("Notice")},
	{0},
};

#define M ACCESS_MEMBER
#define P ROUTE_PERSONAL
#define MANAGE                                                                 \
	.action = "party.manage", .object_type = PARTY_OBJECT,                 \
	.object_param = "slug"

static const struct route team_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/team",
	 .who = ACCESS_PUBLIC,
	 .handler = team_show,
	 .summary = "A working party's team with roles, as the viewer may see "
		    "it (none below the team's visibility: visible false)"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/join",
	 .who = M,
	 .fields = join_fields,
	 .handler = team_join,
	 .flags = P,
	 .summary = "Joins a working party (open policy) or asks to "
		    "(approval policy)"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/leave",
	 .who = M,
	 .handler = team_leave,
	 .flags = P,
	 .summary = "Leaves a working party's team (not its last chair)"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/requests/:id/accept",
	 .who = M,
	 .handler = request_accept,
	 .flags = P,
	 MANAGE,
	 .summary = "Accepts a request to join the team"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/requests/:id/decline",
	 .who = M,
	 .handler = request_decline,
	 .flags = P,
	 MANAGE,
	 .summary = "Declines a request to join the team"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/invitations",
	 .who = M,
	 .handler = invite_form,
	 .flags = ROUTE_FORM,
	 MANAGE,
	 .summary = "The form to invite a person to the team, and the "
		    "invitations waiting"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/invitations",
	 .who = M,
	 .fields = invite_fields,
	 .handler = invite_send,
	 .flags = ROUTE_OWN_ERRORS | P,
	 MANAGE,
	 .summary = "Invites a person (an account) to the team for a role; "
		    "administrators may appoint at once"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/invitations/:id/accept",
	 .who = M,
	 .handler = invitation_accept,
	 .flags = P,
	 .summary = "The invited person accepts: they join with the role"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/invitations/:id/decline",
	 .who = M,
	 .handler = invitation_decline,
	 .flags = P,
	 .summary = "The invited person declines"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/team/:person/role",
	 .who = M,
	 .fields = role_fields,
	 .handler = team_role,
	 .flags = P,
	 MANAGE,
	 .summary = "Changes a person's role in the team (administrators "
		    "may appoint someone not yet in it)"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/team/:person/remove",
	 .who = M,
	 .handler = team_remove,
	 .flags = P,
	 MANAGE,
	 .summary = "Removes a person from the team (not its last chair)"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/notices",
	 .who = M,
	 .fields = notices_list_fields,
	 .handler = notices_show,
	 .flags = ROUTE_FORM,
	 MANAGE,
	 .summary = "The notices sent to the team, and the form to send one"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/notices",
	 .who = M,
	 .fields = notice_fields,
	 .handler = notices_send,
	 .flags = ROUTE_OWN_ERRORS | P,
	 MANAGE,
	 .summary = "Sends a notice to every member of the team by e-mail"},
};

const struct module party_team_module = {
	.name = "party-team",
	.routes = team_routes,
	.nroutes = ARRAY_LEN(team_routes),
	.sql = &team_sql,
	.people_roles = team_people_roles,
};
