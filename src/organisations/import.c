/*
 * import.c -- see import.h: organisations, people and memberships in and
 * out as CSV: each row checked and written, and the export.  The pages
 * are import_pages.c, the commands import_cli.c.
 *
 * Import: /admin/import (ACCESS_ADMIN; the kind, the file -- streamed to
 * a temporary file by the core, at most IMPORT_MAX_BODY -- and "dry run")
 * and `alliance import KIND FILE [--dry-run]`.  Both call
 * import_run: csv.c reads the file and checks each row's values;
 * here each row is checked against the database and written, all in ONE
 * write transaction, row after row, so a row is checked against the rows
 * before it as well as against what was there (a name twice in the file
 * is found either way; the file's own duplicates are named by line).
 * Every bad row is listed with the line it starts on; when there is one,
 * or on a dry run, the transaction is rolled back and nothing changes.
 * A dry run therefore gives exactly the messages of the real import.
 *
 * The rules are approval's (review.c): an organisation's slug comes from
 * its folded name (-2, -3 ... when taken) unless the file gives one, its
 * name_key is fold_text of the name, and a main contact's e-mail domain
 * becomes the organisation's email_domain when it has none.  People are
 * made without a password (they use "forgot password", or an
 * administrator sends `alliance user reset-password`); nobody is mailed.
 * A row whose e-mail address has an account, or whose organisation name
 * or slug is taken, is a bad row: import never updates.  Role admin only
 * from the command line.
 *
 * Audit: one record per row made (organisation.create, person.create,
 * membership.create, each with "source": "import", in the same
 * transaction) and one import.KIND record with the count and the file.
 *
 * Export: GET /admin/export/{organisations,people,memberships}.csv and
 * `alliance export KIND`: the import's columns, so a file exported
 * imports into a fresh database (organisations, then people, then
 * memberships).  A person is one row with one organisation: the one they
 * are main contact of, else the first.
 */
#include "import.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "core/slug.h"
#include "membership/membership.h"


enum stmt_import {
	I_ORG_BY_SLUG,
	I_ORG_BY_KEY,
	I_ORG_INSERT,
	I_FOCAL_ID,
	I_ORG_FOCAL,
	I_PERSON_BY_EMAIL,
	I_PERSON_INSERT,
	I_REP_INSERT,
	I_ORG_DOMAIN,
	I_LEVEL,
	I_MEMBERSHIP_EXISTS,
	I_MEMBERSHIP_INSERT,
	I_EXPORT_ORGS,
	I_EXPORT_PEOPLE,
	I_EXPORT_MEMBERSHIPS,
	I__MAX,
};

static const char *const import_sql_text[I__MAX] = {
	[I_ORG_BY_SLUG] = "SELECT id FROM organisations WHERE slug = ?",
	[I_ORG_BY_KEY] = "SELECT slug FROM organisations WHERE name_key = ?"
			 " ORDER BY id LIMIT 1",
	[I_ORG_INSERT] =
		"INSERT INTO organisations (slug, name, name_key, acronym,"
		" country, website, description_md, contact_address,"
		" visibility, ecosoc_status, ecosoc_year, dgc_associated,"
		" dgc_year, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" RETURNING id",
	[I_FOCAL_ID] = "SELECT id FROM focal_areas WHERE slug = ?",
	[I_ORG_FOCAL] = "INSERT INTO organisation_focal_areas"
			" (organisation_id, focal_area_id) VALUES (?, ?)"
			" ON CONFLICT DO NOTHING",
	[I_PERSON_BY_EMAIL] = "SELECT id FROM people"
			      " WHERE lower(email) = lower(?)",
	[I_PERSON_INSERT] = "INSERT INTO people (email, name, role, country,"
			    " languages, expertise, created_at)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?)",
	[I_REP_INSERT] = "INSERT INTO representatives (organisation_id,"
			 " person_id, main_contact, un_post, un_rank)"
			 " VALUES (?, ?, ?, ?, ?)",
	[I_ORG_DOMAIN] = "UPDATE organisations SET email_domain = ?"
			 " WHERE id = ? AND email_domain IS NULL",
	[I_LEVEL] = "SELECT id, kind, period FROM membership_levels"
		    " WHERE slug = ?",
	/* binds: level, organisation or NULL, person or NULL, start */
	[I_MEMBERSHIP_EXISTS] = "SELECT 1 FROM memberships WHERE level_id = ?"
				" AND (organisation_id = ? OR person_id = ?)"
				" AND period_start = ?",
	[I_MEMBERSHIP_INSERT] =
		"INSERT INTO memberships (level_id, organisation_id,"
		" person_id, state, state_since, period_start, period_end,"
		" created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	/* I_EXPORT_ORGS: the focal areas folded into one column, each
	 * backend's own aggregate (below) */
	[I_EXPORT_PEOPLE] =
		"SELECT p.email, p.name, p.country, p.languages, p.expertise,"
		" p.role, o.slug,"
		" CASE WHEN r.person_id IS NULL THEN NULL"
		"  WHEN r.main_contact <> 0 THEN 'yes' ELSE 'no' END,"
		" r.un_post, r.un_rank"
		" FROM people p"
		" LEFT JOIN representatives r ON r.person_id = p.id"
		"  AND r.organisation_id = (SELECT r2.organisation_id"
		"   FROM representatives r2 WHERE r2.person_id = p.id"
		"   ORDER BY r2.main_contact DESC, r2.organisation_id LIMIT 1)"
		" LEFT JOIN organisations o ON o.id = r.organisation_id"
		" ORDER BY p.id",
	[I_EXPORT_MEMBERSHIPS] =
		"SELECT o.slug, p.email, l.slug, m.state, m.period_start,"
		" m.period_end FROM memberships m"
		" JOIN membership_levels l ON l.id = m.level_id"
		" LEFT JOIN organisations o ON o.id = m.organisation_id"
		" LEFT JOIN people p ON p.id = m.person_id ORDER BY m.id",
};

struct db_sql import_sql = {"import", import_sql_text, I__MAX, 0};

/* The columns of csv.c, in order; the focal areas' slugs in order, joined
 * by ';' (SQLite's group_concat, PostgreSQL's string_agg). */
#define EXPORT_ORGS(focal)                                                     \
	"SELECT o.slug, o.name, o.acronym, o.country, o.website,"              \
	" o.description_md, o.contact_address, o.visibility,"                  \
	" o.ecosoc_status, o.ecosoc_year,"                                     \
	" CASE WHEN o.dgc_associated <> 0 THEN 'yes' ELSE 'no' END,"           \
	" o.dgc_year, (" focal ") FROM organisations o ORDER BY o.id"
static const char *const import_sql_text_sqlite[I__MAX] = {
	[I_EXPORT_ORGS] = EXPORT_ORGS(
		"SELECT group_concat(slug, ';') FROM (SELECT fa.slug"
		"   FROM organisation_focal_areas ofa"
		"   JOIN focal_areas fa ON fa.id = ofa.focal_area_id"
		"   WHERE ofa.organisation_id = o.id ORDER BY fa.slug)"),
};
static const char *const import_sql_text_pg[I__MAX] = {
	[I_EXPORT_ORGS] = EXPORT_ORGS(
		"SELECT string_agg(fa.slug, ';' ORDER BY fa.slug)"
		"   FROM organisation_focal_areas ofa"
		"   JOIN focal_areas fa ON fa.id = ofa.focal_area_id"
		"   WHERE ofa.organisation_id = o.id"),
};

void
import_sql_variants(void)
{
	db_register_variant(&import_sql, "sqlite", import_sql_text_sqlite);
	db_register_variant(&import_sql, "pg", import_sql_text_pg);
}

/* What one run needs besides the row: memory, the time, what this file
 * has made so far (value -> line). */
struct run {
	struct db *db;
	struct import_job *im;
	const struct csv_header *h;
	struct arena *a;
	int64_t now;
	char today[11];
	json_t *seen; /* "key:value" -> line, for duplicates in the file */
};

#define V(name) csv_get(run->h, vals, name)
#define S(name) (V(name)->present ? V(name)->str : NULL)

static const char *
id_text(struct run *run, int64_t id)
{
	return arena_printf(run->a, "%lld", (long long)id);
}

/* The line of this file that had key already, or 0 (and remembers this
 * line for it). */
static size_t
seen_before(struct run *run, const char *what, const char *value, size_t line)
{
	const char *key = arena_printf(run->a, "%s:%s", what, value);
	json_t *v = json_object_get(run->seen, key);

	if (v)
		return (size_t)json_integer_value(v);
	json_object_set_new(run->seen, key, json_integer((json_int_t)line));
	return 0;
}

/* Runs st (bound) for one id: > 0, 0 when no row, -1 on error. */
static int64_t
one_id(struct db_stmt *st)
{
	int rc = db_step(st);
	int64_t id;

	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return -1;
	id = db_col_int(st, 0);
	db_reset(st);
	return id;
}

static int64_t
org_by_slug(struct run *run, const char *slug)
{
	struct db_stmt *st = db_stmt(run->db, &import_sql, I_ORG_BY_SLUG);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	return one_id(st);
}

static int64_t
person_by_email(struct run *run, const char *email)
{
	struct db_stmt *st = db_stmt(run->db, &import_sql, I_PERSON_BY_EMAIL);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	return one_id(st);
}

/* The organisation with folded name key, as its slug (arena), or NULL;
 * *err set on a database error. */
static const char *
org_with_key(struct run *run, const char *key, int *err)
{
	struct db_stmt *st = db_stmt(run->db, &import_sql, I_ORG_BY_KEY);
	const char *slug = NULL;
	int rc;

	if (st == NULL) {
		*err = 1;
		return NULL;
	}
	db_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == DB_ROW) {
		slug = arena_strdup(run->a, db_col_text(st, 0));
		db_reset(st);
	} else if (rc != DB_DONE) {
		*err = 1;
	}
	return slug;
}

static void
bind_opt_int(struct db_stmt *st, int i, const struct value *v)
{
	if (v->present)
		db_bind_int(st, i, v->num);
	else
		db_bind_null(st, i);
}

/* The row's focal areas ("a,b") as ids into ids[]; 1 with an error
 * appended for an unknown one, -1 on a database error. */
static int
focal_ids(struct run *run, const char *list, size_t line, int64_t *ids,
	  size_t *n, size_t max)
{
	*n = 0;
	while (list && *list) {
		size_t len = strcspn(list, ",");
		struct db_stmt *st = db_stmt(run->db, &import_sql, I_FOCAL_ID);
		int64_t id;

		if (st == NULL)
			return -1;
		db_bind_textn(st, 1, list, len);
		if ((id = one_id(st)) < 0)
			return -1;
		if (id == 0) {
			csv_add_error(run->im->errors, line,
				      _("focal_areas: there is no focal area "
					"\"%.*s\""),
				      (int)len, list);
			return 1;
		}
		if (*n < max)
			ids[(*n)++] = id;
		list += len;
		if (*list == ',')
			list++;
	}
	return 0;
}

/* Checks and writes one organisation: 0 written, 1 bad (error
 * appended), -1 the database failed. */
static int
import_organisation(struct run *run, struct csv_values *vals,
		    size_t line)
{
	json_t *errors = run->im->errors;
	const char *name = S("name"), *slug = S("slug"), *other;
	char *f = fold_text(name, strlen(name));
	const char *key = arena_strdup(run->a, f);
	struct db_stmt *st;
	int64_t focal[64], id;
	size_t nfocal, prev;
	int dberr = 0, rc;

	free(f);
	if ((prev = seen_before(run, "name", key, line)) != 0) {
		csv_add_error(errors, line,
			      _("the organisation \"%s\" is also on line %zu"),
			      name, prev);
		return 1;
	}
	if ((other = org_with_key(run, key, &dberr)) != NULL) {
		csv_add_error(errors, line,
			      _("an organisation named \"%s\" exists already "
				"(%s)"),
			      name, other);
		return 1;
	}
	if (dberr)
		return -1;
	if (slug) {
		if ((prev = seen_before(run, "slug", slug, line)) != 0) {
			csv_add_error(errors, line,
				      _("the slug %s is also on line %zu"),
				      slug, prev);
			return 1;
		}
		if ((id = org_by_slug(run, slug)) != 0) {
			if (id < 0)
				return -1;
			csv_add_error(errors, line,
				      _("the slug %s is taken by another "
					"organisation"),
				      slug);
			return 1;
		}
	} else if ((slug = slug_new(run->db, run->a, &import_sql,
				     I_ORG_BY_SLUG, 0, key, "organisation",
				     NULL)) == NULL) {
		return -1;
	}
	rc = focal_ids(run, S("focal_areas"), line, focal, &nfocal,
		       ARRAY_LEN(focal));
	if (rc != 0)
		return rc;

	if ((st = db_stmt(run->db, &import_sql, I_ORG_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, key);
	db_bind_text(st, 4, S("acronym") ? S("acronym") : "");
	db_bind_text(st, 5, S("country"));
	db_bind_text(st, 6, S("website"));
	db_bind_text(st, 7, S("description") ? S("description") : "");
	db_bind_text(st, 8, S("contact_address") ? S("contact_address") : "");
	db_bind_text(st, 9, S("visibility") ? S("visibility") : "public");
	db_bind_text(st, 10, S("ecosoc_status"));
	bind_opt_int(st, 11, V("ecosoc_year"));
	db_bind_int(st, 12, V("dgc_associated")->num);
	bind_opt_int(st, 13, V("dgc_year"));
	db_bind_int(st, 14, run->now);
	if (db_one_int(st, &id) != 0)
		return -1;
	for (size_t i = 0; i < nfocal; i++) {
		if ((st = db_stmt(run->db, &import_sql, I_ORG_FOCAL)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, focal[i]);
		if (db_run(st) != 0)
			return -1;
	}
	return audit_record_new(run->db, run->im->actor, "organisation.create",
				"organisation", id_text(run, id), NULL,
				json_pack("{s:s,s:s,s:s}", "name", name, "slug",
					  slug, "source", "import"),
				run->im->client);
}

/* The domain of an address, lower case (arena). */
static const char *
email_domain(struct run *run, const char *email)
{
	const char *at = strrchr(email, '@');
	char *d = arena_strdup(run->a, at ? at + 1 : "");

	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

static int
import_person(struct run *run, struct csv_values *vals, size_t line)
{
	json_t *errors = run->im->errors;
	const char *email = S("email"), *role = S("role") ? S("role") : "member";
	const char *org_slug = S("organisation");
	char *lower = arena_strdup(run->a, email);
	struct db_stmt *st;
	int64_t org = 0, id;
	size_t prev;

	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if ((prev = seen_before(run, "email", lower, line)) != 0) {
		csv_add_error(errors, line, _("%s is also on line %zu"), email,
			      prev);
		return 1;
	}
	if ((id = person_by_email(run, email)) != 0) {
		if (id < 0)
			return -1;
		csv_add_error(errors, line,
			      _("%s has an account already (import does not "
				"change existing people)"),
			      email);
		return 1;
	}
	if (strcmp(role, "admin") == 0 && !run->im->allow_admin) {
		csv_add_error(errors, line, "%s",
			      _("role admin is given only from the command "
				"line (alliance import); here: member or "
				"editor"));
		return 1;
	}
	if (org_slug && (org = org_by_slug(run, org_slug)) <= 0) {
		if (org < 0)
			return -1;
		csv_add_error(errors, line,
			      _("no organisation has the slug %s (import the "
				"organisations first)"),
			      org_slug);
		return 1;
	}

	if ((st = db_stmt(run->db, &import_sql, I_PERSON_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, S("name"));
	db_bind_text(st, 3, role);
	db_bind_text(st, 4, S("country"));
	db_bind_text(st, 5, S("languages") ? S("languages") : "");
	db_bind_text(st, 6, S("expertise") ? S("expertise") : "");
	db_bind_int(st, 7, run->now);
	if (db_run(st) != 0)
		return -1;
	id = db_last_id(run->db);
	if (org > 0) {
		if ((st = db_stmt(run->db, &import_sql, I_REP_INSERT)) == NULL)
			return -1;
		db_bind_int(st, 1, org);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, V("main_contact")->num);
		db_bind_text(st, 4, S("un_post"));
		db_bind_text(st, 5, S("un_rank"));
		if (db_run(st) != 0)
			return -1;
		if (V("main_contact")->num) {
			if ((st = db_stmt(run->db, &import_sql,
					  I_ORG_DOMAIN)) == NULL)
				return -1;
			db_bind_text(st, 1, email_domain(run, email));
			db_bind_int(st, 2, org);
			if (db_run(st) != 0)
				return -1;
		}
	}
	return audit_record_new(
		run->db, run->im->actor, "person.create", "person",
		id_text(run, id), NULL,
		json_pack("{s:s,s:s,s:s,s:s?,s:s}", "email", email, "name",
			  S("name"), "role", role, "organisation", org_slug,
			  "source", "import"),
		run->im->client);
}

static int
import_membership(struct run *run, struct csv_values *vals,
		  size_t line)
{
	json_t *errors = run->im->errors;
	const char *level = S("level"), *kind, *period;
	const char *start = S("period_start") ? S("period_start") : run->today;
	const char *state = S("state") ? S("state") : "active";
	char end[11];
	struct period_date d, e;
	struct db_stmt *st;
	int64_t level_id, org = 0, person = 0, id;
	int rc;

	if ((st = db_stmt(run->db, &import_sql, I_LEVEL)) == NULL)
		return -1;
	db_bind_text(st, 1, level);
	if ((rc = db_step(st)) != DB_ROW) {
		if (rc != DB_DONE)
			return -1;
		csv_add_error(errors, line,
			      _("there is no membership level %s"), level);
		return 1;
	}
	level_id = db_col_int(st, 0);
	kind = arena_strdup(run->a, db_col_text(st, 1));
	period = arena_strdup(run->a, db_col_text(st, 2));
	db_reset(st);

	if (S("organisation")) {
		if (strcmp(kind, "organisation") != 0) {
			csv_add_error(errors, line,
				      _("the level %s is for individuals: give "
					"an email, not an organisation"),
				      level);
			return 1;
		}
		if ((org = org_by_slug(run, S("organisation"))) <= 0) {
			if (org < 0)
				return -1;
			csv_add_error(errors, line,
				      _("no organisation has the slug %s"),
				      S("organisation"));
			return 1;
		}
	} else {
		if (strcmp(kind, "individual") != 0) {
			csv_add_error(errors, line,
				      _("the level %s is for organisations: "
					"give an organisation, not an email"),
				      level);
			return 1;
		}
		if ((person = person_by_email(run, S("email"))) <= 0) {
			if (person < 0)
				return -1;
			csv_add_error(errors, line,
				      _("nobody has the address %s (import "
					"the people first)"),
				      S("email"));
			return 1;
		}
	}
	if (S("period_end")) {
		snprintf(end, sizeof(end), "%s", S("period_end"));
	} else if (period_parse(start, &d) != 0 ||
		   period_end(period, d, &e) != 0) {
		log_error("import: level %s has an unknown period '%s'", level,
			  period);
		return -1;
	} else {
		period_format(e, end);
	}
	if (strcmp(end, start) < 0) {
		csv_add_error(errors, line,
			      _("period_end %s is before the "
				"period's start %s"),
			      end, start);
		return 1;
	}
	if ((st = db_stmt(run->db, &import_sql, I_MEMBERSHIP_EXISTS)) == NULL)
		return -1;
	db_bind_int(st, 1, level_id);
	if (org)
		db_bind_int(st, 2, org);
	if (person)
		db_bind_int(st, 3, person);
	db_bind_text(st, 4, start);
	if ((id = one_id(st)) != 0) {
		if (id < 0)
			return -1;
		csv_add_error(errors, line,
			      _("this membership (%s from %s) exists already"),
			      level, start);
		return 1;
	}
	if ((st = db_stmt(run->db, &import_sql, I_MEMBERSHIP_INSERT)) == NULL)
		return -1;
	db_bind_int(st, 1, level_id);
	if (org)
		db_bind_int(st, 2, org);
	if (person)
		db_bind_int(st, 3, person);
	db_bind_text(st, 4, state);
	db_bind_text(st, 5, run->today);
	db_bind_text(st, 6, start);
	db_bind_text(st, 7, end);
	db_bind_int(st, 8, run->now);
	if (db_one_int(st, &id) != 0)
		return -1;
	return audit_record_new(
		run->db, run->im->actor, "membership.create", "membership",
		id_text(run, id), NULL,
		json_pack("{s:s,s:s,s:s,s:s,s:s}", "level", level, "state",
			  state, "period_start", start, "period_end", end,
			  "source", "import"),
		run->im->client);
}

int
import_run(struct db *db, const char *data, size_t len,
		   struct import_job *im)
{
	struct csv_doc doc;
	struct csv_header h;
	struct run run = {.db = db, .im = im, .h = &h};
	char err[700];
	time_t t = (time_t)clock_now();
	struct tm tm;
	int rc = 0, began = 0;

	im->errors = json_array();
	im->warnings = json_array();
	im->rows = im->imported = 0;
	if (csv_read(data, len, &doc, err, sizeof(err)) != 0 ||
	    csv_map_header(im->kind, doc.nrows ? &doc.rows[0] : NULL,
				   &h, im->warnings, err, sizeof(err)) != 0) {
		csv_add_error(im->errors, 0, "%s", err);
		csv_doc_free(&doc);
		return 1;
	}
	im->rows = doc.nrows - 1;
	if (im->rows == 0) {
		csv_add_error(im->errors, 0, "%s",
			      _("the file has a header but no "
				"rows to import"));
		csv_doc_free(&doc);
		return 1;
	}
	run.a = arena_new();
	run.seen = json_object();
	run.now = (int64_t)t;
	gmtime_r(&t, &tm);
	period_format((struct period_date){tm.tm_year + 1900, tm.tm_mon + 1,
					   tm.tm_mday},
		      run.today);
	if (db_begin(db) != 0) {
		rc = -1;
		goto done;
	}
	began = 1;
	for (size_t i = 1; i < doc.nrows && rc >= 0; i++) {
		struct csv_values vals;
		size_t line = doc.rows[i].line;

		if (csv_check(&h, &doc.rows[i], &vals, im->errors) ==
		    0) {
			int r = im->kind == CSV_ORGANISATIONS
					? import_organisation(&run, &vals, line)
				: im->kind == CSV_PEOPLE
					? import_person(&run, &vals, line)
					: import_membership(&run, &vals, line);
			if (r < 0)
				rc = -1;
		}
		csv_values_clear(&vals);
		if (im->progress)
			im->progress(im->progress_ctx, i, doc.nrows - 1);
	}
	if (rc == 0 && json_array_size(im->errors) > 0)
		rc = 1;
	if (rc != 0 || im->dry_run)
		goto done;
	if (audit_record_new(db, im->actor,
			     arena_printf(run.a, "import.%s",
					  csv_kind_name(im->kind)),
			     "import", csv_kind_name(im->kind), NULL,
			     json_pack("{s:I,s:s}", "rows", (json_int_t)im->rows,
				       "file", im->source ? im->source : ""),
			     im->client) != 0 ||
	    db_commit(db) != 0) {
		rc = -1;
		goto done;
	}
	began = 0;
	im->imported = im->rows;
done:
	if (began)
		db_rollback(db);
	json_decref(run.seen);
	if (run.a)
		arena_free(run.a);
	csv_doc_free(&doc);
	return rc;
}

/* ---- export ---- */

int
import_export(struct db *db, enum csv_kind kind, struct buf *out)
{
	static const enum stmt_import which[CSV__KINDS] = {
		I_EXPORT_ORGS, I_EXPORT_PEOPLE, I_EXPORT_MEMBERSHIPS};
	const struct field *cols = csv_columns(kind);
	size_t n = csv_ncolumns(kind);
	const char *row[CSV_MAX_COLUMNS];
	struct db_stmt *st = db_stmt(db, &import_sql, which[kind]);
	int rc;

	if (st == NULL)
		return -1;
	buf_puts(out, CSV_BOM);
	for (size_t i = 0; i < n; i++)
		row[i] = cols[i].name;
	csv_put_row(out, row, n);
	while ((rc = db_step(st)) == DB_ROW) {
		for (size_t i = 0; i < n; i++)
			row[i] = db_col_text(st, (int)i);
		csv_put_row(out, row, n);
	}
	return rc == DB_DONE ? 0 : -1;
}
