/*
 * organisations.c -- see organisations.h: what the organisations files
 * share and the modules above them use.  The ECOSOC statuses, UN posts
 * and ranks as stored and as people read them; the keys an organisation
 * is stored and compared under; an organisation's UN status and a
 * representative's post as sentences; a person found or made for an
 * address, and their invitation.
 */
#include "organisations.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/search.h"
#include "core/util.h"
#include "membership/membership.h"
#include "organisations_int.h"

/* How long an invitation's sign-in link works. */
#define INVITE_TTL (7 * 24 * 3600)

enum stmt_organisations {
	O_PERSON_INSERT,
	O_PERSON_INVITED,
	O_LISTED,
	O__MAX,
};

static const char *const organisations_sql_text[O__MAX] = {
	[O_PERSON_INSERT] = "INSERT INTO people (email, name, role, country,"
			    " created_at) VALUES (?, ?, 'member', ?, ?)"
			    " RETURNING id",
	[O_PERSON_INVITED] = "UPDATE people SET invited_at = ? WHERE id = ?",
	/* listed: a membership active or in grace (directory.h) */
	[O_LISTED] = "SELECT 1 FROM memberships WHERE organisation_id = ?"
		     " AND state IN ('active', 'grace') LIMIT 1",
};

struct db_sql organisations_sql = {"organisations", organisations_sql_text,
				   O__MAX, 0};

const char *const organisations_ecosoc_values[] = {"general", "special",
						   "roster", NULL};
const char *const organisations_ecosoc_labels[] = {N_("General"), N_("Special"),
						   N_("Roster")};
const char *const organisations_post_values[] = {"vienna", "new-york", "geneva",
						 NULL};
const char *const organisations_post_labels[] = {N_("Vienna"), N_("New York"),
						 N_("Geneva")};
const char *const organisations_rank_values[] = {"main", "alternate", NULL};
const char *const organisations_rank_labels[] = {N_("Main representative"),
						 N_("Alternate")};
const char *const organisations_visibility_values[] = {"public", "members",
						       "hidden", NULL};
const char *const organisations_visibility_labels[] = {
	N_("Public"), N_("Members only"), N_("Hidden")};

int
organisations_listed(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &organisations_sql, O_LISTED);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		db_reset(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* ---- keys an organisation is stored and compared under ---- */

const char *
organisations_email_domain(struct arena *a, const char *email)
{
	const char *at = email ? strrchr(email, '@') : NULL;
	char *d = arena_strdup(a, at ? at + 1 : "");

	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

const char *
organisations_folded(struct arena *a, const char *name)
{
	char *f, *out;

	if (name == NULL)
		return "";
	f = fold_text(name, strlen(name));
	out = arena_strdup(a, f);
	free(f);
	return out;
}

/* ---- finding organisations by name ---- */

int
organisations_name_ids(struct req *r, const char **ids)
{
	const char *q = membership_value_or_null(r, "q");
	struct buf b = BUF_INIT;
	int rc = 0;

	*ids = NULL;
	if (q == NULL || q[strspn(q, " \t")] == '\0')
		return 0;
	if (search_keys(r->db, SEARCH_ORGANISATION_NAMES, q, &b) < 0)
		rc = -1;
	else
		*ids = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return rc;
}

/* ---- how people read an organisation ---- */

/* The ECOSOC statuses as people read them, without and with the year
 * they were granted (whole phrases: the word order differs by
 * language). */
static const struct {
	const char *value, *plain, *year;
} ecosoc_texts[] = {
	{"general", N_("ECOSOC general"), N_("ECOSOC general ({year})")},
	{"special", N_("ECOSOC special"), N_("ECOSOC special ({year})")},
	{"roster", N_("ECOSOC roster"), N_("ECOSOC roster ({year})")},
};

json_t *
organisations_ecosoc_text(const char *status, json_int_t year)
{
	/* whole sentences: the word order differs by language */
	static const struct {
		const char *value, *plain, *year;
	} texts[] = {
		{"general", N_("General consultative status with ECOSOC"),
		 N_("General consultative status with ECOSOC since {year}")},
		{"special", N_("Special consultative status with ECOSOC"),
		 N_("Special consultative status with ECOSOC since {year}")},
		{"roster", N_("On the ECOSOC Roster"),
		 N_("On the ECOSOC Roster since {year}")},
	};
	char y[24];

	snprintf(y, sizeof(y), "%" JSON_INTEGER_FORMAT, year);
	for (size_t i = 0; status && i < ARRAY_LEN(texts); i++) {
		struct buf b = BUF_INIT;
		json_t *out;

		if (strcmp(status, texts[i].value) != 0)
			continue;
		i18n_format(&b, year ? _(texts[i].year) : _(texts[i].plain),
			    "year", y, NULL);
		out = json_string(buf_cstr(&b));
		buf_free(&b);
		return out;
	}
	return NULL;
}

json_t *
organisations_dgc_text(json_int_t year)
{
	struct buf b = BUF_INIT;
	json_t *out;
	char y[24];

	snprintf(y, sizeof(y), "%" JSON_INTEGER_FORMAT, year);
	i18n_format(&b,
		    year ? _("Associated with the UN Department of Global "
			     "Communications since {year}")
			 : _("Associated with the UN Department of Global "
			     "Communications"),
		    "year", y, NULL);
	out = json_string(buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* Appends to list text, with {year} replaced by year when it is not 0. */
static void
append_status(json_t *list, const char *text, json_int_t year)
{
	struct buf b = BUF_INIT;
	char y[24];

	snprintf(y, sizeof(y), "%" JSON_INTEGER_FORMAT, year);
	i18n_format(&b, text, "year", y, NULL);
	json_array_append_new(list, json_string(buf_cstr(&b)));
	buf_free(&b);
}

void
organisations_add_un_status(json_t *row)
{
	const char *ecosoc =
		json_string_value(json_object_get(row, "ecosoc_status"));
	json_int_t ey = json_integer_value(json_object_get(row, "ecosoc_year"));
	json_int_t dy = json_integer_value(json_object_get(row, "dgc_year"));
	json_t *list = json_array();
	struct buf b = BUF_INIT;
	size_t i;
	json_t *s;

	for (i = 0; ecosoc && i < ARRAY_LEN(ecosoc_texts); i++)
		if (strcmp(ecosoc, ecosoc_texts[i].value) == 0)
			append_status(list,
				      ey ? _(ecosoc_texts[i].year)
					 : _(ecosoc_texts[i].plain),
				      ey);
	if (json_integer_value(json_object_get(row, "dgc_associated")))
		append_status(list,
			      dy ? _("DGC associated ({year})")
				 : _("DGC associated"),
			      dy);
	json_array_foreach (list, i, s) {
		if (i)
			buf_puts(&b, "; ");
		buf_puts(&b, json_string_value(s));
	}
	json_object_set_new(row, "un_status_text",
			    json_string(i ? buf_cstr(&b) : _("None")));
	json_object_set_new(row, "un_status", list);
	buf_free(&b);
}

void
organisations_add_rep_post(json_t *rep)
{
	static const char *const posts[][2] = {{"vienna", N_("Vienna")},
					       {"new-york", N_("New York")},
					       {"geneva", N_("Geneva")}};
	const char *post = json_string_value(json_object_get(rep, "un_post"));
	const char *rank = json_string_value(json_object_get(rep, "un_rank"));
	const char *email = json_string_value(json_object_get(rep, "email"));
	const char *place = NULL;

	if (email)
		json_object_set_new(rep, "email_href",
				    json_sprintf("mailto:%s", email));
	for (size_t i = 0; post && i < ARRAY_LEN(posts); i++)
		if (strcmp(post, posts[i][0]) == 0)
			place = _(posts[i][1]);
	if (place && rank) {
		struct buf b = BUF_INIT;

		i18n_format(&b,
			    strcmp(rank, "main") == 0
				    ? _("{place}, main representative")
				    : _("{place}, alternate representative"),
			    "place", place, NULL);
		json_object_set_new(rep, "un_post_text",
				    json_string(buf_cstr(&b)));
		buf_free(&b);
	} else if (place) {
		json_object_set_new(rep, "un_post_text", json_string(place));
	}
}

/* ---- people: made for an organisation or an application, invited ---- */

int
organisations_person_for(struct req *r, const char *email, const char *name,
			 const char *country, int64_t *id)
{
	struct person p;
	struct db_stmt *st;
	int rc = auth_person_by_email(r->db, email, r->arena, &p, NULL);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		*id = p.id;
		return 0;
	}
	if ((st = db_stmt(r->db, &organisations_sql, O_PERSON_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, country);
	db_bind_int(st, 4, clock_now());
	if (db_one_int(st, id) != 0)
		return -1;
	return audit_record_new(r->db, r->person->id, "person.create", "person",
				membership_id_text(r->arena, *id), NULL,
				json_pack("{s:s,s:s,s:s}", "email", email,
					  "name", name, "role", "member"),
				r->client);
}

/* The invitation's instructions with its sign-in link, in the current
 * language (in r's arena). */
static const char *
invite_text(struct req *r, const char *token)
{
	struct buf b = BUF_INIT;
	const char *base = config_current->base_url;
	const char *out;

	i18n_format(
		&b,
		_("Sign in with this link, then choose your password:\n\n"
		  "{link}\n\nThe link works once, for 7 days. Later, "
		  "sign in with your e-mail address and password, or ask "
		  "for a new password at {reset}."),
		"link",
		arena_printf(r->arena, "%s/signin/link?token=%s", base, token),
		"reset", arena_printf(r->arena, "%s/reset", base), NULL);
	out = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return out;
}

int
organisations_invite(struct req *r, int64_t person, const char *email,
		     const char *name, const char *subject, const char *intro)
{
	char token[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;

	if (auth_link_create(r->db, person, "signin", NULL, INVITE_TTL,
			     clock_now(), token) != 0 ||
	    (st = db_stmt(r->db, &organisations_sql, O_PERSON_INVITED)) == NULL)
		return -1;
	db_bind_int(st, 1, clock_now());
	db_bind_int(st, 2, person);
	if (db_run(st) != 0)
		return -1;
	return mail_letter(
		r->db, email, name, subject,
		arena_printf(r->arena, "%s %s", intro, invite_text(r, token)));
}
