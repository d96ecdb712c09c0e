/*
 * invite.c -- the people desk's mail (people.c has the pages): an
 * invitation sent again to one person, a sign-in link, and one
 * invitation to each person never invited nor signed in.
 *
 * Each is one transaction with its audit record and its letter in the
 * outbox, in the person's language (accounts_send_link_mail_for).  Mail
 * to one person is limited per target address (limits_person_mail).  The
 * bulk invitation works in one request on at most PEOPLE_BULK_BATCH
 * people a press: each is claimed by an UPDATE that only matches someone
 * never invited nor signed in, so two presses at once, or twice, never
 * mail anyone twice.  Why not a background job: docs/ARCHITECTURE.md.
 */
#include "accounts_int.h"

#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"

/* ---- mail to one person ---- */

/* The invitation's letter to (email, name) with a fresh one-time sign-in
 * link (which replaces any earlier one), in their language.  In the
 * caller's transaction.  0 or -1. */
static int
send_invitation(struct req *r, int64_t id, const char *email, const char *name)
{
	char token[AUTH_TOKEN_LEN + 1];

	if (auth_link_create(r->db, id, "signin", NULL, INVITE_TTL, clock_now(),
			     token) != 0)
		return -1;
	return accounts_send_link_mail_for(
		r, email, name, N_("You are invited to sign in"),
		N_("The secretariat invites you to your account on our site. "
		   "Sign in with this link, then choose your password:"),
		accounts_site_link(r, "/signin/link?token=", token),
		N_("The link works once, for 7 days. Later, sign in with your "
		   "e-mail address and password, or ask for a new password "
		   "on the sign-in page."));
}

/*
 * The two actions on one person (POST /admin/people/:id/invitation and
 * /signin-link): in one transaction, the person read, the limit per
 * target address counted, the link made and mailed, the audit record
 * written.  404 for an unknown person, 409 for a disabled one, 429 (the
 * person's page with the sentence) when the address has had enough mail
 * this hour.  Then back to the person's page with its notice.
 */
static void
person_mail(struct req *r, struct resp *w, int invitation)
{
	int64_t id = req_param_id(r);
	const char *message = NULL;
	char token[AUTH_TOKEN_LEN + 1];
	json_t *p;
	const char *email, *name;
	int rc;

	if (id <= 0)
		return accounts_no_such_person(w);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((rc = accounts_person_model(r, id, &p)) <= 0) {
		db_rollback(r->db);
		if (rc < 0)
			return resp_fail(r, w, NULL);
		return accounts_no_such_person(w);
	}
	email = arena_strdup(r->arena,
			     json_string_value(json_object_get(p, "email")));
	name = arena_strdup(r->arena,
			    json_string_value(json_object_get(p, "name")));
	rc = strcmp(json_string_value(json_object_get(p, "state")),
		    "disabled") == 0;
	json_decref(p);
	if (rc) {
		db_rollback(r->db);
		resp_error(w, 409,
			   _("This account is disabled: it gets no mail from "
			     "here."));
		return;
	}
	rc = limits_check(r, w, &limits_person_mail, email, N_("messages"),
			  &message);
	if (rc < 0)
		return resp_fail(r, w, NULL);
	if (rc > 0) {
		/* the count stays: commit it, then say so on the page */
		if (db_commit(r->db) != 0)
			return resp_fail(r, w, NULL);
		return accounts_person_page(r, w, id, 429, message);
	}
	if (invitation) {
		struct db_stmt *st =
			db_stmt(r->db, &accounts_people_sql, P_INVITED);

		if (st == NULL || send_invitation(r, id, email, name) != 0)
			return resp_fail(r, w, NULL);
		db_bind_int(st, 1, clock_now());
		db_bind_int(st, 2, id);
		rc = db_run(st);
	} else {
		rc = auth_link_create(r->db, id, "reset", NULL, SIGNIN_LINK_TTL,
				      clock_now(), token);
		if (rc == 0)
			rc = accounts_send_link_mail_for(
				r, email, name, N_("Your sign-in link"),
				N_("The secretariat sends you this link to "
				   "sign in to your account. Open it to "
				   "choose a password; you are then signed "
				   "in:"),
				accounts_site_link(
					r, "/reset/confirm?token=", token),
				N_("The link works once, for 24 hours. Until "
				   "you use it, your password stays as it "
				   "is."));
	}
	if (rc != 0 ||
	    audit_record_new(
		    r->db, r->person->id,
		    invitation ? "person.invite" : "person.signin.sent",
		    "person", arena_printf(r->arena, "%lld", (long long)id),
		    NULL, json_pack("{s:s}", "email", email), r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, accounts_person_href(
				 r, id, invitation ? "invitation" : "link"));
}

static void
person_invitation(struct req *r, struct resp *w)
{
	person_mail(r, w, 1);
}

static void
person_signin_link(struct req *r, struct resp *w)
{
	person_mail(r, w, 0);
}

/* ---- invitations in bulk ---- */

/*
 * POST /admin/invitations: one invitation to each of the first
 * PEOPLE_BULK_BATCH people never invited nor signed in (imported ones, mostly),
 * in one transaction.  Each is claimed first (P_CLAIM matches only while
 * they are still "never"), so nobody is mailed twice, however often or
 * concurrently the button is pressed.  Back to the list of those left,
 * saying how many were sent.
 */
static void
people_invite_all(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	json_t *rows, *row;
	int64_t sent = 0;
	size_t i;

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &accounts_people_sql, P_NEVER_LIST)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, PEOPLE_BULK_BATCH);
	if ((rows = db_all_json(st)) == NULL)
		return resp_fail(r, w, NULL);
	json_array_foreach(rows, i, row) {
		int64_t id = json_integer_value(json_object_get(row, "id"));
		const char *email =
			json_string_value(json_object_get(row, "email"));

		if ((st = db_stmt(r->db, &accounts_people_sql, P_CLAIM)) ==
		    NULL)
			goto fail;
		db_bind_int(st, 1, clock_now());
		db_bind_int(st, 2, id);
		if (db_run(st) != 0)
			goto fail;
		if (db_changes(r->db) != 1)
			continue; /* invited or signed in meanwhile */
		if (send_invitation(r, id, email,
				    json_string_value(json_object_get(
					    row, "name"))) != 0 ||
		    audit_record_new(
			    r->db, r->person->id, "person.invite", "person",
			    arena_printf(r->arena, "%lld", (long long)id), NULL,
			    json_pack("{s:s,s:b}", "email", email, "bulk", 1),
			    r->client) != 0)
			goto fail;
		sent++;
	}
	json_decref(rows);
	if (db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena,
				      "/admin/people?state=never&done=invited"
				      "&sent=%lld",
				      (long long)sent));
	return;
fail:
	json_decref(rows);
	resp_fail(r, w, NULL);
}

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL

static const struct route invite_routes[] = {
	{.method = HTTP_POST,
	 .pattern = "/admin/invitations",
	 .who = A,
	 .handler = people_invite_all,
	 .flags = P,
	 .summary = "Invites each person never invited nor signed in, once "
		    "(up to 200 a press)"},
	{.method = HTTP_POST,
	 .pattern = "/admin/people/:id/invitation",
	 .who = A,
	 .handler = person_invitation,
	 .flags = P,
	 .summary = "Mails a person a new invitation (the old link stops "
		    "working)"},
	{.method = HTTP_POST,
	 .pattern = "/admin/people/:id/signin-link",
	 .who = A,
	 .handler = person_signin_link,
	 .flags = P,
	 .summary = "Mails a person a link to choose a password and sign in"},
};

const struct module accounts_invite_module = {
	.name = "accounts",
	.routes = invite_routes,
	.nroutes = ARRAY_LEN(invite_routes),
};
