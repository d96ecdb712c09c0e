/*
 * approve.c -- see approve.h: what approving an application makes.
 *
 * For an organisation: the organisation (a unique slug from its folded
 * name: base, base-2, base-3 ...; name_key and email_domain as the
 * duplicate check compares them), its focal areas, its membership
 * (active, period from period.c), a person for each representative (an
 * existing account with the address is linked, a new one is made without
 * a password) and the representatives' rows.  For an individual: the
 * person, their focal areas and the membership.  Each record made has its
 * audit record; then each new member is invited with a one-time sign-in
 * link valid for 7 days.  All of it in the caller's transaction: review.c
 * opens it, marks the application decided and commits.
 */
#include "approve.h"
#include "applications_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/mail.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "core/slug.h"
#include "membership/membership.h"
#include "organisations/organisations.h"

#define MAX_INVITEES 8

enum stmt_approve {
	A_SLUG_TAKEN,
	A_ORG_INSERT,
	A_ORG_FOCAL,
	A_PERSON_FOCAL,
	A_REP_INSERT,
	A_MEMBERSHIP_INSERT,
	A_APPROVE__MAX,
};

static const char *const approve_sql_text[A_APPROVE__MAX] = {
	[A_SLUG_TAKEN] = "SELECT 1 FROM organisations WHERE slug = ?",
	[A_ORG_INSERT] =
		"INSERT INTO organisations (slug, name, name_key, acronym,"
		" country, website, email_domain, description_md,"
		" contact_address, ecosoc_status, ecosoc_year,"
		" dgc_associated, dgc_year, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id",
	[A_ORG_FOCAL] = "INSERT INTO organisation_focal_areas"
			" (organisation_id, focal_area_id)"
			" SELECT ?, id FROM focal_areas WHERE slug = ?"
			" ON CONFLICT DO NOTHING",
	[A_PERSON_FOCAL] = "INSERT INTO person_focal_areas"
			   " (person_id, focal_area_id)"
			   " SELECT ?, id FROM focal_areas WHERE slug = ?"
			   " ON CONFLICT DO NOTHING",
	[A_REP_INSERT] = "INSERT INTO representatives (organisation_id,"
			 " person_id, main_contact, un_post, un_rank)"
			 " VALUES (?, ?, ?, ?, ?)",
	[A_MEMBERSHIP_INSERT] =
		"INSERT INTO memberships (level_id, organisation_id,"
		" person_id, state, state_since, period_start, period_end,"
		" created_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?)"
		" RETURNING id",
};

struct db_sql approve_sql = {"approve", approve_sql_text, A_APPROVE__MAX, 0};

/* Someone to invite once the approval is made. */
struct invitee {
	int64_t id;
	const char *email, *name;
};

/* Binds the integer at key of o, or NULL. */
static void
bind_json_int(struct db_stmt *st, int i, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		db_bind_int(st, i, json_integer_value(v));
	else
		db_bind_null(st, i);
}

/* Creates the organisation of app; its id, or -1. */
static int64_t
create_organisation(struct req *r, json_t *app, const char **slug)
{
	struct db_stmt *st;
	const char *name = membership_str(app, "org_name");
	int64_t id;

	if ((*slug = slug_new(r->db, r->arena, &approve_sql, A_SLUG_TAKEN, 0,
			      name, "organisation", NULL)) == NULL ||
	    (st = db_stmt(r->db, &approve_sql, A_ORG_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, *slug);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, organisations_folded(r->arena, name));
	db_bind_text(st, 4, membership_str(app, "org_acronym")
				    ? membership_str(app, "org_acronym")
				    : "");
	db_bind_text(st, 5, membership_str(app, "org_country"));
	db_bind_text(st, 6, membership_str(app, "org_website"));
	db_bind_text(st, 7,
		     organisations_email_domain(
			     r->arena, membership_str(app, "applicant_email")));
	db_bind_text(st, 8, membership_str(app, "org_description")
				    ? membership_str(app, "org_description")
				    : "");
	db_bind_text(st, 9, membership_str(app, "org_contact_address")
				    ? membership_str(app, "org_contact_address")
				    : "");
	db_bind_text(st, 10, membership_str(app, "ecosoc_status"));
	bind_json_int(st, 11, app, "ecosoc_year");
	bind_json_int(st, 12, app, "dgc_associated");
	bind_json_int(st, 13, app, "dgc_year");
	db_bind_int(st, 14, clock_now());
	if (db_one_int(st, &id) != 0)
		return -1;
	if (audit_record_new(r->db, r->person->id, "organisation.create",
			     "organisation", membership_id_text(r->arena, id),
			     NULL,
			     json_pack("{s:s,s:s}", "name", name, "slug", *slug),
			     r->client) != 0)
		return -1;
	return id;
}

/* Links each focal area slug of app ("a,b") to owner with statement
 * which (organisation or person).  0 or -1. */
static int
add_focal_areas(struct req *r, enum stmt_approve which, int64_t owner,
		json_t *app)
{
	const char *p = membership_str(app, "focal_areas");

	while (p && *p) {
		size_t len = strcspn(p, ",");
		struct db_stmt *st = db_stmt(r->db, &approve_sql, which);

		if (st == NULL)
			return -1;
		db_bind_int(st, 1, owner);
		db_bind_textn(st, 2, p, len);
		if (db_run(st) != 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The membership of level for the organisation or the person (the other
 * 0), active from today; its id, or -1. */
static int64_t
create_membership(struct req *r, json_t *app, int64_t org, int64_t person)
{
	struct period_date today, end;
	char start_text[11], end_text[11];
	time_t t = (time_t)clock_now();
	struct db_stmt *st;
	struct tm tm;
	int64_t id;

	gmtime_r(&t, &tm);
	today.y = tm.tm_year + 1900;
	today.m = tm.tm_mon + 1;
	today.d = tm.tm_mday;
	if (period_end(membership_str(app, "level_period"), today, &end) != 0) {
		log_error("review: level %s has an unknown period '%s'",
			  membership_str(app, "level_slug"),
			  membership_str(app, "level_period"));
		return -1;
	}
	period_format(today, start_text);
	period_format(end, end_text);
	if ((st = db_stmt(r->db, &approve_sql, A_MEMBERSHIP_INSERT)) == NULL)
		return -1;
	db_bind_int(st, 1, json_integer_value(json_object_get(app, "level_id")));
	if (org > 0)
		db_bind_int(st, 2, org);
	if (person > 0)
		db_bind_int(st, 3, person);
	db_bind_text(st, 4, start_text);
	db_bind_text(st, 5, start_text);
	db_bind_text(st, 6, end_text);
	db_bind_int(st, 7, clock_now());
	if (db_one_int(st, &id) != 0)
		return -1;
	if (audit_record_new(r->db, r->person->id, "membership.create",
			     "membership", membership_id_text(r->arena, id),
			     NULL,
			     json_pack("{s:s,s:s,s:s,s:s}", "level",
				       membership_str(app, "level_slug"),
				       "state", "active", "period_start",
				       start_text, "period_end", end_text),
			     r->client) != 0)
		return -1;
	return id;
}

/* The representatives of app become people and rows of organisation org;
 * they are added to inv (room for MAX_INVITEES).  0 or -1. */
static int
add_representatives(struct req *r, json_t *app, int64_t org,
		    struct invitee *inv, size_t *ninv)
{
	json_t *reps = json_loads(membership_str(app, "representatives"), 0,
				  NULL);
	json_t *rep;
	size_t i;
	int rc = 0;

	if (!json_is_array(reps) || json_array_size(reps) == 0) {
		/* an application from before representatives: the applicant */
		json_decref(reps);
		reps = json_pack("[{s:s,s:s,s:b}]", "name",
				 membership_str(app, "applicant_name"), "email",
				 membership_str(app, "applicant_email"),
				 "main_contact", 1);
	}
	json_array_foreach (reps, i, rep) {
		struct db_stmt *st;
		int64_t pid;

		if (*ninv >= MAX_INVITEES ||
		    membership_str(rep, "email") == NULL ||
		    membership_str(rep, "name") == NULL)
			continue;
		if (organisations_person_for(r, membership_str(rep, "email"),
			       membership_str(rep, "name"), NULL, &pid) != 0 ||
		    (st = db_stmt(r->db, &approve_sql, A_REP_INSERT)) == NULL) {
			rc = -1;
			break;
		}
		db_bind_int(st, 1, org);
		db_bind_int(st, 2, pid);
		db_bind_int(st, 3, json_is_true(json_object_get(rep,
								"main_contact")));
		db_bind_text(st, 4, membership_str(rep, "un_post"));
		db_bind_text(st, 5, membership_str(rep, "un_rank"));
		if (db_run(st) != 0) {
			rc = -1;
			break;
		}
		inv[*ninv].id = pid;
		inv[*ninv].email = arena_strdup(r->arena,
						membership_str(rep, "email"));
		inv[*ninv].name = arena_strdup(r->arena,
					       membership_str(rep, "name"));
		(*ninv)++;
	}
	json_decref(reps);
	return rc;
}

/*
 * Sends each invitee of app a one-time sign-in link, in the invitee's
 * language (mail_language), else the applicant's (the language the
 * application was sent in), else the default.  0 or -1.
 */
static int
invite(struct req *r, json_t *app, const struct invitee *inv, size_t ninv)
{
	const char *applicant = mail_language(
		r->db, r->arena, membership_str(app, "applicant_email"), NULL);

	for (size_t i = 0; i < ninv; i++) {
		int rc;

		i18n_push(mail_language(r->db, r->arena, inv[i].email,
					applicant));
		rc = organisations_invite(
			r, inv[i].id, inv[i].email, inv[i].name,
			_("Welcome to the Alliance"),
			i18n_text(r->arena,
				  _("The application of {name} to the Alliance "
				    "({level}) has been approved: welcome! You "
				    "can now take part as a member."),
				  "name", applications_subject(app), "level",
				  membership_str(app, "level_name"), NULL));
		i18n_pop();
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
approve_application(struct req *r, json_t *app, int64_t *org, int64_t *person,
		int64_t *membership)
{
	struct invitee inv[MAX_INVITEES];
	const char *slug = NULL;
	size_t ninv = 0;
	int ok;

	*org = *person = *membership = 0;
	if (strcmp(membership_str(app, "level_kind"), "organisation") == 0) {
		ok = (*org = create_organisation(r, app, &slug)) > 0 &&
		     add_focal_areas(r, A_ORG_FOCAL, *org, app) == 0 &&
		     (*membership = create_membership(r, app, *org, 0)) > 0 &&
		     add_representatives(r, app, *org, inv, &ninv) == 0;
	} else {
		ok = organisations_person_for(
			     r, membership_str(app, "applicant_email"),
			     membership_str(app, "applicant_name"),
			     membership_str(app, "org_country"), person) == 0 &&
		     add_focal_areas(r, A_PERSON_FOCAL, *person, app) == 0 &&
		     (*membership = create_membership(r, app, 0, *person)) > 0;
		inv[ninv].id = *person;
		inv[ninv].email = membership_str(app, "applicant_email");
		inv[ninv].name = membership_str(app, "applicant_name");
		ninv++;
	}
	return ok && invite(r, app, inv, ninv) == 0 ? 0 : -1;
}
