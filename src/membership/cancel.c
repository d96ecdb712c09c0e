/*
 * cancel.c -- ending a membership, and taking an end back (issue 4: the
 * state "cancelled" is one a person decides, never the daily job):
 *
 *   POST /renew/:id/cancel                 the member ends it: the person
 *                                          of an individual membership, or
 *                                          a main contact of the
 *                                          organisation, who confirms it
 *   POST /admin/memberships/:id/cancel     the secretariat ends it, with
 *                                          the reason the member is told
 *   POST /admin/memberships/:id/reinstate  the secretariat takes an end
 *                                          back: the state follows from the
 *                                          period's dates again
 *
 * A cancelled membership is not renewed, leaves the directory (triggers
 * of migration 0014) and stays as it is through the daily job.
 *
 * Each change is one write transaction: the
 * state and its date, the audit record (with the reason), and the
 * e-mails -- to the people who answer for the membership, and to the
 * secretariat when the member ended it.
 */
#include "membership_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/util.h"
#include "membership/membership.h"
#include "membership/states.h"

enum stmt_cancel {
	C_ONE,
	C_ONE_MINE,
	C_SET,
	C__MAX,
};

#define ONE_COLS                                                               \
	"SELECT m.id, m.state, m.period_end, l.name AS level,"                 \
	" l.grace_days, coalesce(o.name, p.name) AS member,"                   \
	" coalesce(m.organisation_id, 0) AS organisation,"                     \
	" coalesce(m.person_id, 0) AS person"                                  \
	" FROM memberships m JOIN membership_levels l ON l.id = m.level_id"    \
	" LEFT JOIN organisations o ON o.id = m.organisation_id"               \
	" LEFT JOIN people p ON p.id = m.person_id"

static const char *const cancel_sql_text[C__MAX] = {
	[C_ONE] = ONE_COLS " WHERE m.id = ?",
	/* binds: membership, person twice */
	[C_ONE_MINE] = ONE_COLS " WHERE m.id = ? AND" MEMBERSHIP_ANSWERS_FOR,
	[C_SET] = "UPDATE memberships SET state = ?, state_since = ?"
		  " WHERE id = ?",
};

static struct db_sql cancel_sql = {"members-cancel", cancel_sql_text, C__MAX,
				   0};

/* Today as days since 1970-01-01 (UTC). */
static long
today_days(void)
{
	return (long)(clock_now() / 86400);
}

/* The membership :id of the request, as r's person answers for it (mine)
 * or for the secretariat: a row, JSON null when there is none, NULL on a
 * database error. */
static json_t *
membership_of(struct req *r, int mine)
{
	struct db_stmt *st =
		db_stmt(r->db, &cancel_sql, mine ? C_ONE_MINE : C_ONE);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, req_param_id(r));
	if (mine) {
		db_bind_int(st, 2, r->person->id);
		db_bind_int(st, 3, r->person->id);
	}
	return db_one_json(st);
}

/*
 * Moves membership m to state, audited as action by r's person with the
 * reason (or none), and mails its contacts subject and body (msgids, in
 * each reader's language, with the arguments args: states_mail_contacts);
 * in the caller's transaction.  0, or -1.
 */
static int
set_state(struct req *r, json_t *m, const char *state, const char *action,
	  const char *reason, const char *subject, const char *body,
	  const char *const *args)
{
	struct db_stmt *st = db_stmt(r->db, &cancel_sql, C_SET);
	char today[11], id[32];

	if (st == NULL)
		return -1;
	states_ymd(today_days(), today);
	snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
		 json_integer_value(json_object_get(m, "id")));
	db_bind_text(st, 1, state);
	db_bind_text(st, 2, today);
	db_bind_int(st, 3, json_integer_value(json_object_get(m, "id")));
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, action, "membership", id,
		    json_pack("{s:s}", "state", membership_str(m, "state")),
		    json_pack("{s:s,s:s?}", "state", state, "reason", reason),
		    r->client) != 0)
		return -1;
	return states_mail_contacts(
		       r->db, json_integer_value(json_object_get(m, "person")),
		       json_integer_value(json_object_get(m, "organisation")),
		       r->person->id, subject, body, args) < 0
		       ? -1
		       : 0;
}

/* Opens the transaction and reads the membership for a change, which
 * must have ended (ended 1) or not (0); answers and returns NULL when
 * there is nothing to change. */
static json_t *
begin_change(struct req *r, struct resp *w, int mine, int ended)
{
	json_t *m;

	if (db_begin(r->db) != 0) {
		resp_fail(r, w, NULL);
		return NULL;
	}
	if ((m = membership_of(r, mine)) == NULL) {
		resp_fail(r, w, NULL);
		return NULL;
	}
	if (json_is_null(m)) {
		db_rollback(r->db);
		resp_error(w, 404,
			   mine ? _("You do not answer for such a "
				    "membership.")
				: _("There is no such membership."));
		return NULL;
	}
	if ((strcmp(membership_str(m, "state"), "cancelled") == 0) != ended) {
		db_rollback(r->db);
		json_decref(m);
		resp_error(w, 409,
			   ended ? _("Only a membership that has ended "
				     "can be taken back.")
				 : _("This membership has already ended."));
		return NULL;
	}
	return m;
}

/* Commits and sends to location; or answers 500. */
static void
commit_to(struct req *r, struct resp *w, json_t *m, const char *location)
{
	json_decref(m);
	if (db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, location);
}

/* The text of an optional field, NULL when empty. */
static const char *
reason_of(const struct req *r)
{
	const char *s = membership_value_or_null(r, "reason");

	return s && *s ? s : NULL;
}

/* POST /renew/:id/cancel -- the member ends their membership. */
static void
member_cancel(struct req *r, struct resp *w)
{
	const char *reason = reason_of(r);
	const char *args[7];
	struct buf note = BUF_INIT;
	json_t *m;
	int rc;

	w->flags |= ROUTE_PERSONAL;
	if (r->errors) {
		resp_error(w, 422,
			   _("The reason is too long: at most 2,000 "
			     "characters."));
		return;
	}
	if (req_value(r, "confirm")->num != 1) {
		resp_error(w, 422,
			   _("Nothing was changed: tick the box to "
			     "confirm that the membership ends now."));
		return;
	}
	if ((m = begin_change(r, w, 1, 0)) == NULL)
		return;
	args[0] = "member";
	args[1] = membership_str(m, "member");
	args[2] = "level";
	args[3] = membership_str(m, "level");
	args[4] = "person";
	args[5] = r->person->name;
	args[6] = NULL;
	rc = set_state(r, m, "cancelled", "membership.cancel", reason,
		       N_("Your membership has ended"),
		       N_("The membership of {member} ({level}) has ended, as "
			  "{person} asked on the Alliance's website. It no "
			  "longer appears in the member directory.\n\nIf this "
			  "was a mistake, write to the secretariat: it can "
			  "take the end back."),
		       args) != 0;
	if (rc == 0) {
		/* the secretariat reads the default language */
		i18n_push(NULL);
		states_format(&note,
			      _("{person} ended the membership of {member} "
				"({level}).\n\nReason: {reason}\n"),
			      (const char *const[]){
				      "person", r->person->name, "member",
				      membership_str(m, "member"), "level",
				      membership_str(m, "level"), "reason",
				      reason ? reason : _("(none given)"),
				      NULL});
		rc = mail_to_secretariat(
			     r->db, _("A membership was ended by its member"),
			     buf_cstr(&note)) != 0;
		i18n_pop();
	}
	buf_free(&note);
	if (rc) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	commit_to(r, w, m, "/renew?cancelled=1");
}

/* POST /admin/memberships/:id/cancel -- the secretariat ends one. */
static void
admin_cancel(struct req *r, struct resp *w)
{
	const char *reason = reason_of(r);
	json_t *m;
	int rc;

	w->flags |= ROUTE_PERSONAL;
	if (r->errors || reason == NULL) {
		if (r->errors)
			json_object_del(r->errors, "reason");
		membership_add_error(r, "reason",
				     _("Give the reason the member will be "
				       "told (at most 2,000 characters)."));
		return membership_admin_one(r, w, 422);
	}
	if ((m = begin_change(r, w, 0, 0)) == NULL)
		return;
	rc = set_state(
		r, m, "cancelled", "membership.cancel", reason,
		N_("Your membership has ended"),
		N_("The secretariat has ended the membership of "
		   "{member} ({level}). It no longer appears in the "
		   "member directory.\n\nThe reason:\n{reason}\n"),
		(const char *const[]){"member", membership_str(m, "member"),
				      "level", membership_str(m, "level"),
				      "reason", reason, NULL});
	if (rc != 0) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	commit_to(r, w, m,
		  arena_printf(r->arena, "/admin/memberships?ended=%lld",
			       (long long)req_param_id(r)));
}

/* POST /admin/memberships/:id/reinstate -- the end taken back: the state
 * the period's dates give (active, grace or lapsed). */
static void
admin_reinstate(struct req *r, struct resp *w)
{
	enum mstate to;
	json_t *m;
	int rc;

	w->flags |= ROUTE_PERSONAL;
	if ((m = begin_change(r, w, 0, 1)) == NULL)
		return;
	to = states_on(
		MS_ACTIVE, states_days(membership_str(m, "period_end")),
		(int)json_integer_value(json_object_get(m, "grace_days")),
		today_days());
	rc = set_state(
		r, m, states_name(to), "membership.reinstate", NULL,
		N_("Your membership is back"),
		to == MS_ACTIVE
			? N_("The secretariat has taken back the end of the "
			     "membership of {member} ({level}). Its period "
			     "runs until {end}; it is active again.\n")
		: to == MS_GRACE
			? N_("The secretariat has taken back the end of the "
			     "membership of {member} ({level}). Its period "
			     "runs until {end}; it is in its grace period: "
			     "please renew it.\n")
			: N_("The secretariat has taken back the end of the "
			     "membership of {member} ({level}). Its period "
			     "runs until {end}; it is lapsed: please renew "
			     "it.\n"),
		(const char *const[]){"member", membership_str(m, "member"),
				      "level", membership_str(m, "level"),
				      "end", membership_str(m, "period_end"),
				      NULL});
	if (rc != 0) {
		json_decref(m);
		return resp_fail(r, w, NULL);
	}
	commit_to(r, w, m,
		  arena_printf(r->arena, "/admin/memberships?reinstated=%lld",
			       (long long)req_param_id(r)));
}

static const struct field member_fields[] = {
	{.name = "reason",
	 .type = FT_TEXTAREA,
	 .maxlen = 2000,
	 .label = N_("Why the membership ends")},
	{.name = "confirm", .type = FT_BOOL, .label = N_("Confirmation")},
	{0},
};

static const struct field admin_fields[] = {
	{.name = "reason",
	 .type = FT_TEXTAREA,
	 .maxlen = 2000,
	 .label = N_("Reason")},
	{0},
};

static const struct route cancel_routes[] = {
	{.method = HTTP_POST, .pattern = "/renew/:id/cancel",
	 .who = ACCESS_MEMBER, .fields = member_fields,
	 .handler = member_cancel, .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Ends a membership one answers for, when they confirm it"},
	{.method = HTTP_POST, .pattern = "/admin/memberships/:id/cancel",
	 .who = ACCESS_ADMIN, .fields = admin_fields, .handler = admin_cancel,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Ends a membership, with the reason the member is told"},
	{.method = HTTP_POST, .pattern = "/admin/memberships/:id/reinstate",
	 .who = ACCESS_ADMIN, .handler = admin_reinstate,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Takes back the end of a membership: its dates decide "
		    "its state"},
};

const struct module cancel_module = {
	.name = "cancel",
	.routes = cancel_routes,
	.nroutes = ARRAY_LEN(cancel_routes),
	.sql = &cancel_sql,
};
