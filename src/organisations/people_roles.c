/*
 * people_roles.c -- what the organisations say about people on the
 * secretariat's people desk (the accounts module's /admin/people and
 * /admin/people/:id): the organisations a person represents, as main
 * contact or not, with their UN post, and -- on a person's page -- the
 * invitations to represent one that wait for their answer.  Each links to
 * the secretariat's page of the organisation, /admin/organisations/ID.
 *
 * The desk does not know organisations: it hands its rows to every
 * module's people_roles hook (core/http.h), and this module answers with
 * one query per PEOPLE_CHUNK people (the ids bound to a fixed list of
 * placeholders, unused ones NULL, which IN never matches: the same SQL on
 * both stores).
 */
#include "organisations.h"

#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/render.h"
#include "core/util.h"
#include "organisations_int.h"

#define PEOPLE_CHUNK 50

#define IDS_50                                                                 \
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"                   \
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"

enum stmt_people_roles {
	R_REPRESENTS,
	R_INVITED,
	R__MAX,
};

static const char *const people_roles_sql_text[R__MAX] = {
	[R_REPRESENTS] = "SELECT r.person_id, o.id, o.name, r.main_contact,"
			 " r.un_post, r.un_rank FROM representatives r"
			 " JOIN organisations o ON o.id = r.organisation_id"
			 " WHERE r.person_id IN (" IDS_50 ")"
			 " ORDER BY r.person_id, r.main_contact DESC, o.name",
	[R_INVITED] = "SELECT i.person_id, o.id, o.name, i.expires_at"
		      " FROM representative_invitations i"
		      " JOIN organisations o ON o.id = i.organisation_id"
		      " WHERE i.person_id IN (" IDS_50 ")"
		      " ORDER BY i.person_id, o.name",
};

static struct db_sql people_roles_sql = {"organisations_people",
					 people_roles_sql_text, R__MAX, 0};

/* The secretariat's page of the organisation id, in r's arena. */
static const char *
org_href(struct req *r, int64_t id)
{
	return arena_printf(r->arena, "/admin/organisations/%lld",
			    (long long)id);
}

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

/* Appends {label, href, note} to row's "roles" (made when missing). */
static void
add_role(json_t *row, const char *label, const char *href, const char *note)
{
	json_t *roles = json_object_get(row, "roles");

	if (!json_is_array(roles)) {
		roles = json_array();
		json_object_set_new(row, "roles", roles);
	}
	json_array_append_new(roles,
			      json_pack("{s:s,s:s?,s:s?}", "label", label,
					"href", href, "note", note));
}

/* Runs statement which over people[from..to), calling each for every
 * row found with the person's row.  0 or -1. */
static int
each_found(struct req *r, json_t *people, size_t from, size_t to, int which,
	   void (*each)(struct req *r, json_t *row, struct db_stmt *st))
{
	struct db_stmt *st = db_stmt(r->db, &people_roles_sql, which);
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

		if (row)
			each(r, row, st);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

/* A representative: "Main contact of ORG" or "Representative of ORG",
 * with their UN post as the note. */
static void
each_represents(struct req *r, json_t *row, struct db_stmt *st)
{
	const char *name = db_col_text(st, 2) ? db_col_text(st, 2) : "";
	json_t *rep = json_pack("{s:s?,s:s?}", "un_post", db_col_text(st, 4),
				"un_rank", db_col_text(st, 5));
	const char *note;

	organisations_add_rep_post(rep);
	note = json_string_value(json_object_get(rep, "un_post_text"));
	add_role(row,
		 i18n_text(r->arena,
			   db_col_int(st, 3) ? _("Main contact of {org}")
					     : _("Representative of {org}"),
			   "org", name, NULL),
		 org_href(r, db_col_int(st, 1)),
		 note ? arena_strdup(r->arena, note) : NULL);
	json_decref(rep);
}

/* An invitation to represent an organisation, with when it runs out. */
static void
each_invited(struct req *r, json_t *row, struct db_stmt *st)
{
	time_t until = (time_t)db_col_int(st, 3);
	char when[80];
	struct tm tm;

	gmtime_r(&until, &tm);
	render_time_text(&tm, when, sizeof(when));
	add_role(row,
		 i18n_text(r->arena, _("Invited to represent {org}"), "org",
			   db_col_text(st, 2) ? db_col_text(st, 2) : "", NULL),
		 org_href(r, db_col_int(st, 1)),
		 i18n_text(r->arena, _("The invitation waits until {date}."),
			   "date", when, NULL));
}

/* The people_roles hook (core/http.h). */
static int
people_roles(struct req *r, json_t *people, int detail)
{
	size_t n = json_array_size(people);

	for (size_t from = 0; from < n; from += PEOPLE_CHUNK) {
		size_t to = from + PEOPLE_CHUNK < n ? from + PEOPLE_CHUNK : n;

		if (each_found(r, people, from, to, R_REPRESENTS,
			       each_represents) != 0 ||
		    (detail && each_found(r, people, from, to, R_INVITED,
					  each_invited) != 0)) {
			log_error("organisations: people's roles unread");
			return -1;
		}
	}
	return 0;
}

const struct module organisations_people_module = {
	.name = "organisations",
	.sql = &people_roles_sql,
	.people_roles = people_roles,
};
