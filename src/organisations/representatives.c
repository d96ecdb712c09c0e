/*
 * representatives.c -- see manage.h: the main contact (or an
 * administrator) manages an organisation's representatives: the list,
 * invitations, UN posts and ranks, removal and the hand-over of the
 * main-contact role.
 *
 * Access is the core's, as for manage.c: every route names MANAGE_ACTION
 * on :slug.  Each POST is one write transaction: the rules between rows
 * (one main representative per UN post, never without a main contact)
 * are checked inside it, then the change, its audit record (object: the
 * organisation) and the mail to the person it concerns; any failure rolls
 * all of it back.  A rule broken re-shows the list with a sentence (400,
 * or 409 when other rows are in the way); success redirects with a notice
 * (?done=...).  People are made and invited with approve.c's helpers, so
 * an invitation works as the one sent on approval.
 */
#include <string.h>
#include <time.h>

#include "core/mail.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"
#include "membership/membership.h"
#include "organisations/manage.h"
#include "organisations/organisations_int.h"

/* How long an invitation to an existing account waits for its answer. */
#define REPS_INVITE_TTL (7 * 24 * 3600)

enum stmt_reps {
	M_REPS,
	M_REP,
	M_REP_INSERT,
	M_REP_POST,
	M_MAIN_AT_POST,
	M_OTHER_MAINS,
	M_REP_DELETE,
	M_HANDOVER,
	M_MAINS,
	M_INVITE_SET,
	M_INVITES,
	M_INVITE_BY_HASH,
	M_INVITE_DELETE,
	M_REP_ADD_ONCE,
	M_REPS__MAX,
};

#define REP_COLS                                                          \
	"SELECT p.id, p.name, p.email, r.main_contact, r.un_post, r.un_rank," \
	" CASE WHEN p.password_hash IS NULL THEN 1 ELSE 0 END AS pending"    \
	" FROM representatives r JOIN people p ON p.id = r.person_id"        \
	" WHERE r.organisation_id = ?"

static const char *const reps_sql_text[M_REPS__MAX] = {
	[M_REPS] = REP_COLS " ORDER BY r.main_contact DESC, p.name, p.id",
	[M_REP] = REP_COLS " AND r.person_id = ?",
	[M_REP_INSERT] = "INSERT INTO representatives (organisation_id,"
			 " person_id, main_contact) VALUES (?, ?, 0)",
	[M_REP_POST] = "UPDATE representatives SET un_post = ?, un_rank = ?"
		       " WHERE organisation_id = ? AND person_id = ?",
	[M_MAIN_AT_POST] = "SELECT p.name FROM representatives r"
			   " JOIN people p ON p.id = r.person_id"
			   " WHERE r.organisation_id = ? AND r.un_post = ?"
			   " AND r.un_rank = 'main' AND r.person_id <> ?"
			   " LIMIT 1",
	[M_OTHER_MAINS] = "SELECT count(*) FROM representatives"
			  " WHERE organisation_id = ? AND main_contact <> 0"
			  " AND person_id <> ?",
	[M_REP_DELETE] = "DELETE FROM representatives"
			 " WHERE organisation_id = ? AND person_id = ?",
	[M_HANDOVER] = "UPDATE representatives SET main_contact ="
		       " CASE WHEN person_id = ? THEN 1 ELSE 0 END"
		       " WHERE organisation_id = ?"
		       " AND (person_id = ? OR main_contact <> 0)",
	[M_MAINS] = "SELECT p.id, p.name, p.email FROM representatives r"
		    " JOIN people p ON p.id = r.person_id"
		    " WHERE r.organisation_id = ? AND r.main_contact <> 0"
		    " ORDER BY p.id",
	/* binds: organisation, person, invited by, hash, now, expiry */
	[M_INVITE_SET] =
		"INSERT INTO representative_invitations (organisation_id,"
		" person_id, invited_by, hash, created_at, expires_at)"
		" VALUES (?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (organisation_id, person_id) DO UPDATE SET"
		" invited_by = excluded.invited_by, hash = excluded.hash,"
		" created_at = excluded.created_at,"
		" expires_at = excluded.expires_at",
	/* binds: organisation, now */
	[M_INVITES] = "SELECT p.id, p.name, p.email, i.expires_at"
		      " FROM representative_invitations i"
		      " JOIN people p ON p.id = i.person_id"
		      " WHERE i.organisation_id = ? AND i.expires_at > ?"
		      " ORDER BY p.name, p.id",
	/* binds: hash, organisation, now */
	[M_INVITE_BY_HASH] = "SELECT i.id, p.id, p.name, p.email"
			     " FROM representative_invitations i"
			     " JOIN people p ON p.id = i.person_id"
			     " WHERE i.hash = ? AND i.organisation_id = ?"
			     " AND i.expires_at > ?",
	[M_INVITE_DELETE] = "DELETE FROM representative_invitations"
			    " WHERE id = ?",
	[M_REP_ADD_ONCE] = "INSERT INTO representatives (organisation_id,"
			   " person_id, main_contact) VALUES (?, ?, 0)"
			   " ON CONFLICT DO NOTHING",
};

static struct db_sql reps_sql = {"members-representatives", reps_sql_text,
				M_REPS__MAX, 0};

static const char *const done_values[] = {"invited", "asked", "post",
					  "removed", "main-contact", NULL};
static const char *const done_texts[] = {
	N_("The invitation is sent: the new representative gets a link by "
	   "e-mail to sign in."),
	N_("The invitation is sent. This person has an account here already, "
	   "so they become a representative once they accept it; until then "
	   "they are listed as invited."),
	N_("The UN post is saved; the representative is told by e-mail."),
	N_("The representative is removed and told by e-mail."),
	N_("The role of main contact is handed over; both of you are told by "
	   "e-mail.")};

/* Runs statement s with the integer a (and b for M_REP) and gives its
 * rows, or NULL on error. */
static json_t *
rows_of(struct req *r, enum stmt_reps s, int64_t a, int64_t b)
{
	struct db_stmt *st = db_stmt(r->db, &reps_sql, s);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, a);
	if (s == M_REP)
		db_bind_int(st, 2, b);
	return db_all_json(st);
}

/* The first integer column of statement s on (a, b); -1 on error. */
static int64_t
count_of(struct req *r, enum stmt_reps s, int64_t a, int64_t b)
{
	struct db_stmt *st = db_stmt(r->db, &reps_sql, s);
	int64_t n;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	if (db_step(st) != DB_ROW)
		return -1;
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

/* The invitations of organisation oid still waiting for an answer: [{id,
 * name, email, expires_at}], or NULL on error. */
static json_t *
invitations_of(struct req *r, int64_t oid)
{
	struct db_stmt *st = db_stmt(r->db, &reps_sql, M_INVITES);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, oid);
	db_bind_int(st, 2, clock_now());
	return db_all_json(st);
}

/*
 * The list of org's representatives with their forms, the invitation
 * form (refilled with what was sent when refill), and message, a
 * sentence on what could not be done, or NULL.
 */
static void
reps_page(struct req *r, struct resp *w, int status, json_t *org,
	  const char *message, int refill)
{
	json_t *reps = rows_of(r, M_REPS, membership_int(org, "id"), 0), *rep;
	json_t *model, *invited;
	const struct value *done = req_value(r, "done");
	const char *notice = NULL;
	size_t i, mains = 0;

	if (reps == NULL)
		return membership_read_failed(w);
	json_array_foreach (reps, i, rep)
		mains += membership_int(rep, "main_contact") != 0;
	json_array_foreach (reps, i, rep) {
		int main = membership_int(rep, "main_contact") != 0;

		organisations_add_rep_post(rep);
		json_object_set_new(
			rep, "post_options",
			membership_options(organisations_post_values,
					      organisations_post_labels,
					      membership_str(rep, "un_post")));
		json_object_set_new(
			rep, "rank_options",
			membership_options(organisations_rank_values,
					      organisations_rank_labels,
					      membership_str(rep, "un_rank")));
		json_object_set_new(rep, "may_remove",
				    json_boolean(!main || mains > 1));
		json_object_set_new(rep, "is_me",
				    json_boolean(membership_int(rep, "id") ==
						 r->person->id));
	}
	for (size_t k = 0; r->method == HTTP_GET && done->present &&
			   done_values[k];
	     k++)
		if (strcmp(done->str, done_values[k]) == 0)
			notice = _(done_texts[k]);
	if ((invited = invitations_of(r, membership_int(org, "id"))) == NULL) {
		json_decref(reps);
		return membership_read_failed(w);
	}
	model = json_pack("{s:{s:O,s:O},s:o,s:o,s:s?,s:s?}", "organisation",
			  "slug", json_object_get(org, "slug"), "name",
			  json_object_get(org, "name"), "representatives", reps,
			  "invited", invited, "notice", notice, "message",
			  message);
	if (refill && r->input)
		json_object_set(model, "input", r->input);
	/* its page answers only when it is listed (no link to a 404 for
	 * one imported without a membership); a failed read: no link */
	json_object_set_new(json_object_get(model, "organisation"), "listed",
			    json_boolean(organisations_listed(
						 r->db, membership_int(org, "id")) ==
					 1));
	membership_add_errors(r, model);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "organisations/templates/manage_reps.html",
		  i18n_text(r->arena, _("Representatives of {name}"), "name",
			    membership_str(org, "name"), NULL),
		  model);
}

static void
reps_list(struct req *r, struct resp *w)
{
	json_t *org = manage_org_or_respond(r, w);

	if (org == NULL)
		return;
	reps_page(r, w, 200, org, NULL, 0);
	json_decref(org);
}

/* Redirects to the representatives page with a notice. */
static void
reps_done(struct req *r, struct resp *w, json_t *org, const char *done)
{
	resp_redirect(w, arena_printf(r->arena,
				      "/members/%s/representatives?done=%s",
				      membership_str(org, "slug"), done));
}

/* The representative :id of org in the open transaction: the row (owned),
 * or NULL when the answer is given (404, or 500 rolled back). */
static json_t *
rep_or_respond(struct req *r, struct resp *w, json_t *org)
{
	int64_t pid = req_param_id(r);
	json_t *rows =
		pid > 0 ? rows_of(r, M_REP, membership_int(org, "id"), pid)
			: json_array();
	json_t *rep;

	if (rows == NULL) {
		resp_fail(r, w, NULL);
		return NULL;
	}
	rep = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	if (rep == NULL) {
		db_rollback(r->db);
		resp_error(w, 404,
			   _("This person is not a representative of the "
			     "organisation."));
	}
	return rep;
}

/*
 * Opens the write transaction of a change to representative :id of the
 * organisation of :slug and sets *org and *rep (owned by the caller).  0
 * to go on, or -1 when the answer is given (404, or 500 rolled back) and
 * nothing is left to free.
 */
static int
begin_change_or_respond(struct req *r, struct resp *w, json_t **org,
			json_t **rep)
{
	*rep = NULL;
	if ((*org = manage_org_or_respond(r, w)) == NULL)
		return -1;
	if (db_begin(r->db) != 0)
		resp_fail(r, w, NULL);
	else if ((*rep = rep_or_respond(r, w, *org)) != NULL)
		return 0;
	json_decref(*org);
	*org = NULL;
	return -1;
}

/* Starts a letter to the address to: the current language becomes the
 * one it reads (mail_language); end it with i18n_pop(). */
static void
letter_to(struct req *r, const char *to)
{
	i18n_push(mail_language(r->db, r->arena, to, NULL));
}

/*
 * Mails rep (a representatives row: name, email), in its language: subject
 * and body are messages (marked with N_) whose {org} is orgname, {name}
 * name and {more} more.  0 or -1.
 */
static int
tell(struct req *r, json_t *rep, const char *subject, const char *body,
     const char *orgname, const char *name, const char *more)
{
	const char *to = membership_str(rep, "email");
	int rc;

	letter_to(r, to);
	rc = mail_letter(r->db, to, membership_str(rep, "name"),
			 i18n_text(r->arena, _(subject), "org", orgname, NULL),
			 i18n_text(r->arena, _(body), "org", orgname, "name",
				   name, "more", more, NULL));
	i18n_pop();
	return rc;
}

/*
 * Asks p, who has an account, to represent org: the invitation (a fresh
 * link replacing any earlier one), its audit record and the mail with the
 * link, in the open transaction.  0 or -1.
 */
static int
ask_existing(struct req *r, json_t *org, const struct person *p)
{
	char token[AUTH_TOKEN_LEN + 1], hash[AUTH_HASH_LEN + 1];
	int64_t oid = membership_int(org, "id"), t = clock_now();
	const char *orgname = membership_str(org, "name");
	struct db_stmt *st = db_stmt(r->db, &reps_sql, M_INVITE_SET);
	int rc;

	if (st == NULL)
		return -1;
	auth_token_new(token);
	auth_token_digest(token, hash);
	db_bind_int(st, 1, oid);
	db_bind_int(st, 2, p->id);
	db_bind_int(st, 3, r->person->id);
	db_bind_text(st, 4, hash);
	db_bind_int(st, 5, t);
	db_bind_int(st, 6, t + REPS_INVITE_TTL);
	if (db_run(st) != 0)
		return -1;
	if (audit_record_new(r->db, r->person->id, "representative.invite",
			     "organisation", membership_id_text(r->arena, oid),
			     NULL,
			     json_pack("{s:I,s:s}", "person", (json_int_t)p->id,
				       "email", p->email),
			     r->client) != 0)
		return -1;
	letter_to(r, p->email);
	rc = mail_letter(
		r->db, p->email, p->name,
		i18n_text(r->arena, _("You are invited to represent {org}"),
			  "org", orgname, NULL),
		i18n_text(
			r->arena,
			_("{name}, a main contact of {org}, invites you to be "
			  "one of its representatives in the Alliance. To "
			  "accept, open this link and confirm:\n\n{link}\n\n"
			  "The link works for 7 days. If you do not want to "
			  "represent {org}, ignore this message: nothing "
			  "changes without your answer."),
			"name", r->person->name, "org", orgname, "link",
			arena_printf(r->arena,
				     "%s/members/%s/representatives/"
				     "accept?token=%s",
				     config_current->base_url,
				     membership_str(org, "slug"), token),
			NULL));
	i18n_pop();
	return rc;
}

/* POST /members/:slug/representatives -- invite someone by name and
 * e-mail.  A person new here is made as approval does, becomes a
 * representative and gets a one-time sign-in link; a person with an
 * account is only asked (ask_existing) and becomes one on accepting. */
static void
rep_invite(struct req *r, struct resp *w)
{
	json_t *org = manage_org_or_respond(r, w), *rows = NULL;
	const char *email, *name, *orgname;
	struct person p;
	int64_t oid, pid;
	int known, rc;

	if (org == NULL)
		return;
	if (r->errors) {
		reps_page(r, w, 400, org, NULL, 1);
		goto done;
	}
	oid = membership_int(org, "id");
	orgname = membership_str(org, "name");
	email = mail_address_key(r->arena, req_value(r, "email")->str);
	name = req_value(r, "name")->str;
	if (db_begin(r->db) != 0 ||
	    (known = auth_person_by_email(r->db, email, r->arena, &p, NULL)) <
		    0 ||
	    organisations_person_for(r, email, name, NULL, &pid) != 0 ||
	    (rows = rows_of(r, M_REP, oid, pid)) == NULL)
		goto fail;
	if (json_array_size(rows) > 0) {
		db_rollback(r->db);
		membership_add_error(r, "email",
				     i18n_text(r->arena,
					       _("E-mail: {email} already "
						 "represents {org}"),
					       "email", email, "org", orgname,
					       NULL));
		reps_page(r, w, 409, org, NULL, 1);
		goto done;
	}
	if (known) {
		/* an account of its own: asked, not added */
		if (ask_existing(r, org, &p) != 0 || db_commit(r->db) != 0)
			goto fail;
		reps_done(r, w, org, "asked");
		goto done;
	}
	{
		struct db_stmt *st = db_stmt(r->db, &reps_sql, M_REP_INSERT);

		if (st == NULL)
			goto fail;
		db_bind_int(st, 1, oid);
		db_bind_int(st, 2, pid);
		if (db_run(st) != 0)
			goto fail;
	}
	if (audit_record_new(
		    r->db, r->person->id, "representative.add", "organisation",
		    membership_id_text(r->arena, oid), NULL,
		    json_pack("{s:I,s:s,s:s}", "person", (json_int_t)pid,
			      "email", email, "name", name),
		    r->client) != 0)
		goto fail;
	letter_to(r, email);
	rc = organisations_invite(
		r, pid, email, name,
		i18n_text(r->arena, _("You are invited to represent {org}"),
			  "org", orgname, NULL),
		i18n_text(r->arena,
			  _("{name} has added you to the "
			    "representatives of {org} in the "
			    "Alliance."),
			  "name", r->person->name, "org", orgname, NULL));
	i18n_pop();
	if (rc != 0 || db_commit(r->db) != 0)
		goto fail;
	reps_done(r, w, org, "invited");
	goto done;
fail:
	resp_fail(r, w, NULL);
done:
	json_decref(rows);
	json_decref(org);
}

/* "Vienna, main representative" for a post and rank (either may be NULL),
 * or "no UN post", in the current language.  In r's arena. */
static const char *
post_text(struct req *r, const char *post, const char *rank)
{
	json_t *o = json_pack("{s:s?,s:s?}", "un_post", post, "un_rank", rank);
	const char *s;

	organisations_add_rep_post(o);
	s = arena_strdup(r->arena, membership_str(o, "un_post_text")
					   ? membership_str(o, "un_post_text")
					   : _("no UN post"));
	json_decref(o);
	return s;
}

/* POST /members/:slug/representatives/:id/post -- UN post and rank; at
 * most one main representative per post. */
static void
rep_post(struct req *r, struct resp *w)
{
	const char *post = membership_value_or_null(r, "un_post");
	const char *rank = membership_value_or_null(r, "un_rank");
	const char *orgname, *msg = NULL, *more;
	json_t *org, *rep;
	struct db_stmt *st;
	int64_t oid;
	int status = 400;

	if (begin_change_or_respond(r, w, &org, &rep) != 0)
		return;
	oid = membership_int(org, "id");
	orgname = membership_str(org, "name");
	if (r->errors) {
		msg = _("The UN post or rank is not one of those offered.");
	} else if (rank && !post) {
		msg = i18n_text(r->arena,
				_("A rank needs a post: choose Vienna, "
				  "New York or Geneva for {name}, or "
				  "no rank."),
				"name", membership_str(rep, "name"), NULL);
	} else if (rank && strcmp(rank, "main") == 0) {
		int rc;

		if ((st = db_stmt(r->db, &reps_sql, M_MAIN_AT_POST)) == NULL)
			goto fail;
		db_bind_int(st, 1, oid);
		db_bind_text(st, 2, post);
		db_bind_int(st, 3, membership_int(rep, "id"));
		if ((rc = db_step(st)) == DB_ROW) {
			const char *other = arena_strdup(r->arena,
							 db_col_text(st, 0));

			db_reset(st);
			status = 409;
			msg = i18n_text(
				r->arena,
				_("{org} already has a main representative in "
				  "{post}: {name}. There is one main "
				  "representative per UN post: make {name} an "
				  "alternate first, or choose alternate."),
				"org", orgname, "post",
				post_text(r, post, NULL), "name", other, NULL);
		} else if (rc != DB_DONE) {
			goto fail;
		}
	}
	if (msg) {
		db_rollback(r->db);
		reps_page(r, w, status, org, msg, 0);
		goto done;
	}
	if ((st = db_stmt(r->db, &reps_sql, M_REP_POST)) == NULL)
		goto fail;
	db_bind_text(st, 1, post);
	db_bind_text(st, 2, rank);
	db_bind_int(st, 3, oid);
	db_bind_int(st, 4, membership_int(rep, "id"));
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "representative.post", "organisation",
		    membership_id_text(r->arena, oid),
		    json_pack("{s:I,s:O?,s:O?}", "person",
			      (json_int_t)membership_int(rep, "id"), "un_post",
			      json_object_get(rep, "un_post"), "un_rank",
			      json_object_get(rep, "un_rank")),
		    json_pack("{s:I,s:s?,s:s?}", "person",
			      (json_int_t)membership_int(rep, "id"), "un_post",
			      post, "un_rank", rank),
		    r->client) != 0)
		goto fail;
	/* the post in the recipient's language */
	letter_to(r, membership_str(rep, "email"));
	more = post_text(r, post, rank);
	i18n_pop();
	if (tell(r, rep, N_("Your UN post for {org}"),
		 N_("{name} has set your UN post as a representative of "
		    "{org}: {more}."),
		 orgname, r->person->name, more) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	reps_done(r, w, org, "post");
	goto done;
fail:
	resp_fail(r, w, NULL);
done:
	json_decref(rep);
	json_decref(org);
}

/* POST /members/:slug/representatives/:id/remove -- never the last main
 * contact. */
static void
rep_remove(struct req *r, struct resp *w)
{
	json_t *org, *rep;
	const char *orgname;
	struct db_stmt *st;
	int64_t oid, pid, others;

	if (begin_change_or_respond(r, w, &org, &rep) != 0)
		return;
	oid = membership_int(org, "id");
	orgname = membership_str(org, "name");
	pid = membership_int(rep, "id");
	if ((others = count_of(r, M_OTHER_MAINS, oid, pid)) < 0)
		goto fail;
	if (membership_int(rep, "main_contact") && others == 0) {
		db_rollback(r->db);
		reps_page(
			r, w, 409, org,
			i18n_text(r->arena,
				  _("{name} is the main contact of {org}, and "
				    "an organisation always has one: hand the "
				    "role over to another representative "
				    "first."),
				  "name", membership_str(rep, "name"), "org",
				  orgname, NULL),
			0);
		goto done;
	}
	if ((st = db_stmt(r->db, &reps_sql, M_REP_DELETE)) == NULL)
		goto fail;
	db_bind_int(st, 1, oid);
	db_bind_int(st, 2, pid);
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "representative.remove",
		    "organisation", membership_id_text(r->arena, oid),
		    json_pack("{s:I,s:O?,s:O?,s:b,s:O?,s:O?}", "person",
			      (json_int_t)pid, "email",
			      json_object_get(rep, "email"), "name",
			      json_object_get(rep, "name"), "main_contact",
			      membership_int(rep, "main_contact") != 0,
			      "un_post", json_object_get(rep, "un_post"),
			      "un_rank", json_object_get(rep, "un_rank")),
		    NULL, r->client) != 0 ||
	    tell(r, rep, N_("You no longer represent {org}"),
		 N_("{name} has removed you from the representatives of "
		    "{org}. Your account stays as it is; if this is a "
		    "mistake, please write to the organisation's main "
		    "contact."),
		 orgname, r->person->name, NULL) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	/* a main contact who removed themselves may no longer come back */
	if (pid == r->person->id && r->person->role < ROLE_ADMIN)
		resp_redirect(w, "/account");
	else
		reps_done(r, w, org, "removed");
	goto done;
fail:
	resp_fail(r, w, NULL);
done:
	json_decref(rep);
	json_decref(org);
}

/* Tells each former main contact (rows of M_MAINS) who is the new one.
 * 0 or -1. */
static int
tell_former(struct req *r, json_t *former, json_t *rep, const char *orgname)
{
	json_t *old;
	size_t i;

	json_array_foreach (former, i, old)
		if (tell(r, old,
			 N_("You are no longer the main contact of {org}"),
			 N_("{name} is now the main contact of {org}. You "
			    "remain one of its representatives."),
			 orgname, membership_str(rep, "name"), NULL) != 0)
			return -1;
	return 0;
}

/* The ids of rows, as a JSON array. */
static json_t *
ids_of(json_t *rows)
{
	json_t *a = json_array(), *row;
	size_t i;

	json_array_foreach (rows, i, row)
		json_array_append_new(a,
				      json_integer(membership_int(row, "id")));
	return a;
}

/* POST /members/:slug/representatives/:id/main-contact -- :id becomes
 * the main contact, in place of whoever was. */
static void
rep_handover(struct req *r, struct resp *w)
{
	json_t *org, *rep, *former = NULL;
	const char *orgname;
	struct db_stmt *st;
	int64_t oid, pid;

	if (begin_change_or_respond(r, w, &org, &rep) != 0)
		return;
	oid = membership_int(org, "id");
	orgname = membership_str(org, "name");
	pid = membership_int(rep, "id");
	if (membership_int(rep, "main_contact")) {
		db_rollback(r->db);
		reps_page(r, w, 409, org,
			  i18n_text(r->arena,
				    _("{name} is already the main contact of "
				      "{org}."),
				    "name", membership_str(rep, "name"), "org",
				    orgname, NULL),
			  0);
		goto done;
	}
	if ((former = rows_of(r, M_MAINS, oid, 0)) == NULL ||
	    (st = db_stmt(r->db, &reps_sql, M_HANDOVER)) == NULL)
		goto fail;
	db_bind_int(st, 1, pid);
	db_bind_int(st, 2, oid);
	db_bind_int(st, 3, pid);
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "representative.main_contact",
		    "organisation", membership_id_text(r->arena, oid),
		    json_pack("{s:o}", "main_contacts", ids_of(former)),
		    json_pack("{s:[I]}", "main_contacts", (json_int_t)pid),
		    r->client) != 0 ||
	    tell(r, rep, N_("You are now the main contact of {org}"),
		 N_("{name} has handed the role of main contact of {org} "
		    "over to you. You may now renew its membership, edit its "
		    "details and manage its representatives:\n\n{more}"),
		 orgname, r->person->name,
		 arena_printf(r->arena, "%s/members/%s/representatives",
			      config_current->base_url,
			      membership_str(org, "slug"))) != 0 ||
	    tell_former(r, former, rep, orgname) != 0 || db_commit(r->db) != 0)
		goto fail;
	/* a main contact who handed over may no longer manage it */
	if (r->person->role < ROLE_ADMIN)
		resp_redirect(w, arena_printf(r->arena, "/members/%s",
					      membership_str(org, "slug")));
	else
		reps_done(r, w, org, "main-contact");
	goto done;
fail:
	resp_fail(r, w, NULL);
done:
	json_decref(former);
	json_decref(rep);
	json_decref(org);
}

/* ---- routes ---- */

static const struct field reps_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

static const struct field invite_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Name")},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = N_("E-mail")},
	{0},
};

static const struct field post_fields[] = {
	{.name = "un_post", .type = FT_CHOICE, .choices = organisations_post_values,
	 .label = N_("UN post")},
	{.name = "un_rank", .type = FT_CHOICE, .choices = organisations_rank_values,
	 .label = N_("Rank")},
	{0},
};

/*
 * The invitation of the link in the form's token for the organisation of
 * :slug, in the open transaction: 1 with *invite {id, person, name,
 * email} (owned) and *org (owned), 0 when w holds the answer (404 for the
 * organisation, 410 for a link that is used, replaced or too old; the
 * transaction rolled back), -1 on error (rolled back, 500 given).
 */
static int
invitation_or_respond(struct req *r, struct resp *w, json_t **org,
		      json_t **invite)
{
	const struct value *t = req_value(r, "token");
	char hash[AUTH_HASH_LEN + 1];
	struct db_stmt *st;

	*invite = NULL;
	if ((*org = manage_org_or_respond(r, w)) == NULL) {
		db_rollback(r->db);
		return 0;
	}
	if (t->present && r->errors == NULL) {
		auth_token_digest(t->str, hash);
		if ((st = db_stmt(r->db, &reps_sql, M_INVITE_BY_HASH)) == NULL)
			goto fail;
		db_bind_text(st, 1, hash);
		db_bind_int(st, 2, membership_int(*org, "id"));
		db_bind_int(st, 3, clock_now());
		if (db_step(st) == DB_ROW) {
			*invite = json_pack(
				"{s:I,s:I,s:s,s:s}", "id",
				(json_int_t)db_col_int(st, 0), "person",
				(json_int_t)db_col_int(st, 1), "name",
				db_col_text(st, 2), "email",
				db_col_text(st, 3));
			db_reset(st);
			return 1;
		}
	}
	db_rollback(r->db);
	json_decref(*org);
	*org = NULL;
	/* a page that says what happened and what to do, not an error */
	resp_page(w, 410, "accounts/templates/message.html",
		  _("This invitation cannot be used"),
		  json_pack("{s:s,s:s,s:s,s:s}", "heading",
			    _("This invitation cannot be used"), "lead",
			    _("This invitation cannot be used: it has been "
			      "answered, replaced by a newer one or is more "
			      "than 7 days old. The organisation's main "
			      "contact can invite you again."),
			    "href", "/signin", "link",
			    _("Sign in if you accepted it already")));
	return 0;
fail:
	json_decref(*org);
	*org = NULL;
	resp_fail(r, w, NULL);
	return -1;
}

/* GET /members/:slug/representatives/accept?token= -- the page with the
 * button (a mail scanner fetching the link accepts nothing). */
static void
accept_form(struct req *r, struct resp *w)
{
	json_t *org, *invite;

	if (invitation_or_respond(r, w, &org, &invite) != 1)
		return;
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "accounts/templates/confirm.html",
		  _("Accept the invitation"),
		  json_pack("{s:s,s:s,s:s++,s:s,s:s}", "heading",
			    _("Accept the invitation"), "lead",
			    i18n_text(r->arena,
				      _("Confirm to become a representative of "
					"{org}."),
				      "org", membership_str(org, "name"), NULL),
			    "action", "/members/", membership_str(org, "slug"),
			    "/representatives/accept", "button",
			    _("Become a representative"), "token",
			    req_value(r, "token")->str));
	json_decref(invite);
	json_decref(org);
}

/* POST /members/:slug/representatives/accept -- uses the invitation: the
 * person becomes a representative (not a main contact), one transaction
 * with its audit record. */
static void
accept(struct req *r, struct resp *w)
{
	json_t *org = NULL, *invite = NULL;
	struct db_stmt *st;
	int64_t oid, pid;

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if (invitation_or_respond(r, w, &org, &invite) != 1)
		return;
	oid = membership_int(org, "id");
	pid = membership_int(invite, "person");
	if ((st = db_stmt(r->db, &reps_sql, M_INVITE_DELETE)) == NULL)
		goto fail;
	db_bind_int(st, 1, membership_int(invite, "id"));
	if (db_run(st) != 0 || db_changes(r->db) != 1)
		goto fail;
	if ((st = db_stmt(r->db, &reps_sql, M_REP_ADD_ONCE)) == NULL)
		goto fail;
	db_bind_int(st, 1, oid);
	db_bind_int(st, 2, pid);
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, pid, "representative.add", "organisation",
		    membership_id_text(r->arena, oid), NULL,
		    json_pack("{s:I,s:s,s:s,s:b}", "person", (json_int_t)pid,
			      "email", membership_str(invite, "email"), "name",
			      membership_str(invite, "name"), "accepted", 1),
		    r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_page(
		w, 200, "accounts/templates/message.html",
		_("Invitation accepted"),
		json_pack("{s:s,s:s,s:s+,s:s}", "heading",
			  _("Invitation accepted"), "lead",
			  i18n_text(r->arena,
				    _("You are now a representative of {org}."),
				    "org", membership_str(org, "name"), NULL),
			  "href", "/members/", membership_str(org, "slug"),
			  "link", _("The organisation's page")));
	goto done;
fail:
	resp_fail(r, w, NULL);
done:
	json_decref(invite);
	json_decref(org);
}

static const struct field accept_fields[] = {
	{.name = "token", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = N_("The link")},
	{0},
};

static const struct route reps_routes[] = {
	MANAGE_ROUTE(HTTP_GET, "/members/:slug/representatives", reps_fields,
	             reps_list, ROUTE_FORM | ROUTE_PERSONAL,
	             "The organisation's representatives, for its main contact"),
	MANAGE_ROUTE(HTTP_POST, "/members/:slug/representatives", invite_fields,
	             rep_invite, ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	             "Invites a new representative by name and e-mail"),
	MANAGE_ROUTE(HTTP_POST, "/members/:slug/representatives/:id/post",
	             post_fields, rep_post, ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	             "Sets a representative's UN post and rank"),
	MANAGE_ROUTE(HTTP_POST, "/members/:slug/representatives/:id/remove", NULL,
	             rep_remove, ROUTE_PERSONAL,
	             "Removes a representative (never the last main contact)"),
	MANAGE_ROUTE(HTTP_POST, "/members/:slug/representatives/:id/main-contact",
	             NULL, rep_handover, ROUTE_PERSONAL,
	             "Hands the role of main contact over to a representative"),
	{.method = HTTP_GET,
	 .pattern = "/members/:slug/representatives/accept",
	 .who = ACCESS_PUBLIC, .fields = accept_fields, .handler = accept_form,
	 .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "The page of an invitation to represent an organisation "
		    "(link from the e-mail)"},
	{.method = HTTP_POST,
	 .pattern = "/members/:slug/representatives/accept",
	 .who = ACCESS_PUBLIC, .fields = accept_fields, .handler = accept,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Accepts the invitation: the person becomes a "
		    "representative"},
};

const struct module representatives_module = {
	.name = "representatives",
	.routes = reps_routes,
	.nroutes = ARRAY_LEN(reps_routes),
	.sql = &reps_sql,
};
