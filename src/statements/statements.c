/*
 * statements.c -- see statements.h: the public pages of the civil
 * society statements, endorsing one for an organisation, the CSV of its
 * endorsements, and the statements' documents in the site search.
 *
 * Whether a statement takes endorsements is read from its state and its
 * closing day on every page and every write ("is_open" in SQL, with
 * today bound), so it closes at the end of its day without a job.  The
 * main contact's right to endorse for an organisation is an object role
 * ('main-contact' on the organisation, kept by the organisations module)
 * on an organisation in good standing (listed_membership_id: a membership
 * active or in its grace period), read in the transaction that writes.
 */
#include "statements_int.h"

#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/countries.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/search.h"
#include "core/util.h"
#include "organisations/organisations.h"

/* Statements a page of /statements lists. */
#define PAGE_SIZE 20

/* A statement with its UN body, working party and count of
 * endorsements; the first bind is today, for is_open. */
#define STATEMENT_COLUMNS                                                      \
	"SELECT s.id, s.slug, s.title, s.summary, s.body_md, s.occasion,"      \
	" s.year, s.un_body_id, s.party_id, s.state, s.closes_on,"             \
	" s.created_at, s.updated_at, s.opened_at, s.closed_at,"               \
	" s.submitted_at,"                                                      \
	" b.slug AS body_slug, b.acronym AS body_acronym,"                     \
	" b.name AS body_name, p.slug AS party_slug, p.name AS party_name,"    \
	" (SELECT count(*) FROM statement_endorsements e"                      \
	"  WHERE e.statement_id = s.id) AS endorsements,"                      \
	" CASE WHEN s.state = 'open' AND (s.closes_on IS NULL"                 \
	"  OR s.closes_on >= ?) THEN 1 ELSE 0 END AS is_open"                  \
	" FROM statements s LEFT JOIN bodies b ON b.id = s.un_body_id"         \
	" LEFT JOIN parties p ON p.id = s.party_id"

static const char *const statements_sql_text[S__MAX] = {
	/* binds: today, the slug */
	[S_GET] = STATEMENT_COLUMNS " WHERE s.slug = ?",
	/* binds: today, the limit, the offset: those taking endorsements
	 * first (the soonest to close first), then the newest */
	[S_LIST] = STATEMENT_COLUMNS
	" WHERE s.state <> 'draft'"
	" ORDER BY is_open DESC,"
	" CASE WHEN s.closes_on IS NULL THEN 1 ELSE 0 END, s.closes_on,"
	" s.year DESC, s.id DESC LIMIT ? OFFSET ?",
	/* listed: its page in the directory is everyone's */
	[S_ENDORSERS] =
		"SELECT o.id, o.slug, o.name, o.acronym, o.country,"
		" CASE WHEN o.visibility = 'public'"
		"  AND o.listed_level_id IS NOT NULL THEN 1 ELSE 0 END"
		"  AS listed, e.created_at"
		" FROM statement_endorsements e"
		" JOIN organisations o ON o.id = e.organisation_id"
		" WHERE e.statement_id = ? ORDER BY o.name_key, o.id",
	/* binds: the statement, the person: the organisations they may
	 * endorse for, and whether each has */
	[S_MY_ORGS] =
		"SELECT o.id, o.name, o.acronym,"
		" CASE WHEN EXISTS (SELECT 1 FROM statement_endorsements e"
		"  WHERE e.statement_id = ? AND e.organisation_id = o.id)"
		"  THEN 1 ELSE 0 END AS endorsed"
		" FROM object_roles x JOIN organisations o ON o.slug = x.object_id"
		" WHERE x.person_id = ? AND x.object_type = 'organisation'"
		" AND x.role = 'main-contact'"
		" AND o.listed_membership_id IS NOT NULL"
		" ORDER BY o.name_key, o.id",
	[S_ENDORSE] = "INSERT INTO statement_endorsements (statement_id,"
		      " organisation_id, person_id, created_at)"
		      " VALUES (?, ?, ?, ?)"
		      " ON CONFLICT (statement_id, organisation_id) DO NOTHING",
	[S_UNENDORSE] = "DELETE FROM statement_endorsements"
			" WHERE statement_id = ? AND organisation_id = ?",
	[S_INDEX_ONE] = "SELECT slug, title, summary, occasion, body_md,"
			" CASE WHEN state = 'draft' THEN 0 ELSE 1 END"
			" FROM statements WHERE id = ?",
	/* the statements shown that have no document yet: the seeded ones */
	[S_INDEX_MISSING] =
		"SELECT slug, title, summary, occasion, body_md, 1"
		" FROM statements s WHERE state <> 'draft' AND NOT EXISTS"
		" (SELECT 1 FROM search_index x"
		"  WHERE x.kind = 'statement' AND x.slug = s.slug)"
		" ORDER BY id",
	/* binds: today, the area, the limit: the newest first */
	[S_OF_AREA] = STATEMENT_COLUMNS
	" WHERE s.state <> 'draft' AND EXISTS (SELECT 1"
	"  FROM statement_focal_areas sf WHERE sf.statement_id = s.id"
	"  AND sf.focal_area_id = ?)"
	" ORDER BY is_open DESC, s.year DESC, s.id DESC LIMIT ?",
	/* binds: today, the party, the limit: its drafts, for its chairs */
	[S_DRAFTS_OF_PARTY] = STATEMENT_COLUMNS
	" WHERE s.party_id = ? AND s.state = 'draft'"
	" ORDER BY s.updated_at DESC, s.id DESC LIMIT ?",
	/* binds: today, the organisation, the limit: those it endorses */
	[S_OF_ORGANISATION] = STATEMENT_COLUMNS
	" WHERE s.state <> 'draft' AND EXISTS (SELECT 1"
	"  FROM statement_endorsements e WHERE e.statement_id = s.id"
	"  AND e.organisation_id = ?)"
	" ORDER BY is_open DESC, s.year DESC, s.id DESC LIMIT ?",
	/* the focal areas a statement is about */
	[S_AREAS] = "SELECT fa.slug, fa.name FROM statement_focal_areas sf"
		    " JOIN focal_areas fa ON fa.id = sf.focal_area_id"
		    " WHERE sf.statement_id = ? ORDER BY fa.position, fa.id",
	/* binds: today, the party, the limit: the newest first */
	[S_OF_PARTY] = STATEMENT_COLUMNS
	" WHERE s.party_id = ? AND s.state <> 'draft'"
	" ORDER BY is_open DESC, s.year DESC, s.id DESC LIMIT ?",
};

struct db_sql statements_sql = {"statements", statements_sql_text, S__MAX,
				0};

static void
read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The page could not be read."));
}

static const char *
str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

int
statement_load(struct req *r, struct resp *w, int admin, json_t **out)
{
	return statement_load_slug(r, w, req_param(r, "slug"), admin, out);
}

int
statement_draft_visible(struct req *r, json_t *s)
{
	const char *party = str_of(s, "party_slug");

	if (r->person == NULL)
		return 0;
	if (r->person->role >= ROLE_ADMIN)
		return 1;
	return party ? auth_permits(r->db, r->person, "party.manage",
				    "party", party)
		     : 0;
}

int
statement_load_slug(struct req *r, struct resp *w, const char *slug,
		    int admin, json_t **out)
{
	struct db_stmt *st = db_stmt(r->db, &statements_sql, S_GET);
	char today[11];
	json_t *s;

	*out = NULL;
	if (st == NULL) {
		read_failed(r, w);
		return -1;
	}
	clock_today(today);
	db_bind_text(st, 1, today);
	db_bind_text(st, 2, slug);
	if ((s = db_one_json(st)) == NULL) {
		read_failed(r, w);
		return -1;
	}
	if (!json_is_object(s) ||
	    (!admin && !strcmp(str_of(s, "state") ? str_of(s, "state") : "",
			       "draft"))) {
		json_decref(s);
		resp_error(w, 404, _("There is no such statement."));
		return -1;
	}
	*out = s;
	return 0;
}

void
statement_words(json_t *s)
{
	const char *state = str_of(s, "state"), *closes = str_of(s, "closes_on");
	int open = json_integer_value(json_object_get(s, "is_open")) == 1;
	char day[32];
	const char *text;
	struct buf b = BUF_INIT;

	render_day_text(closes, day, sizeof day);
	if (closes)
		json_object_set_new(s, "closes_text", json_string(day));
	json_object_set_new(s, "open", json_boolean(open));
	if (state && !strcmp(state, "draft"))
		text = _("Draft");
	else if (open && closes) {
		i18n_format(&b, _("Open for endorsement until {date}"), "date",
			    day, NULL);
		text = buf_cstr(&b);
	} else if (open)
		text = _("Open for endorsement");
	else
		text = _("Closed");
	json_object_set_new(s, "state_text", json_string(text));
	buf_free(&b);
	if (state && !strcmp(state, "draft"))
		json_object_set_new(s, "draft", json_true());
}

/* ---- the search index ---- */

int
statement_index(struct db *db, int64_t id)
{
	return search_put_one(db, STATEMENT_KIND, &statements_sql, S_INDEX_ONE,
			      id);
}

/* The statements shown that are not in the index yet get their document
 * (the seeded ones): by `alliance init` and at every start; a start that
 * finds them all indexed writes nothing. */
static int
statements_start(struct db *db, int64_t now)
{
	(void)now;
	return search_put_rows(db, STATEMENT_KIND, &statements_sql,
			       S_INDEX_MISSING);
}

static int
statements_created(const struct config *c, struct db *db)
{
	(void)c;
	return statements_start(db, 0);
}

/* ---- the public pages ---- */

void
statement_endorsers_words(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		if (json_integer_value(json_object_get(row, "listed")) == 1)
			json_object_set_new(
				row, "href",
				json_sprintf("/members/%s", str_of(row, "slug")));
		json_object_del(row, "listed");
	}
	countries_name_field(rows, "country", "country_name");
}

/* GET /statements */
static void
statements_index(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &statements_sql, S_LIST);
	struct pager pg;
	char today[11];
	json_t *rows, *row;
	int has_next;
	size_t i;

	if (st == NULL)
		return read_failed(r, w);
	clock_today(today);
	pager_read(r, PAGE_SIZE, &pg);
	db_bind_text(st, 1, today);
	db_bind_int(st, 2, PAGE_SIZE + 1);
	db_bind_int(st, 3, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(r, w);
	has_next = pager_trim(rows, PAGE_SIZE);
	json_array_foreach (rows, i, row) {
		statement_words(row);
		json_object_del(row, "is_open");
		json_object_del(row, "body_md");
		json_object_del(row, "id");
		json_object_del(row, "un_body_id");
		json_object_del(row, "party_id");
	}
	resp_page(w, 200, "statements/templates/index.html",
		  _("Civil society statements"),
		  json_pack("{s:o,s:o}", "statements", rows, "pager",
			    pager_model(r, &pg, "/statements", NULL, has_next,
					-1)));
}

/* The endorsing organisations of statement id (with their words); NULL
 * on a database error. */
static json_t *
endorsers_of(struct req *r, json_int_t id)
{
	struct db_stmt *st = db_stmt(r->db, &statements_sql, S_ENDORSERS);
	json_t *rows;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	statement_endorsers_words(rows);
	render_add_times(rows, "created_at");
	return rows;
}

/* The focal areas statement id is about, [{slug, name, sep (all but
 * the first)}]; NULL on a database error. */
static json_t *
areas_of(struct req *r, json_int_t id)
{
	struct db_stmt *st = db_stmt(r->db, &statements_sql, S_AREAS);

	json_t *rows, *row;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	json_array_foreach (rows, i, row)
		if (i > 0) /* the template's separator */
			json_object_set_new(row, "sep", json_true());
	return rows;
}

/* The organisations r's person may endorse statement id for, each with
 * "endorsed"; NULL on a database error. */
static json_t *
my_organisations(struct req *r, json_int_t id)
{
	struct db_stmt *st = db_stmt(r->db, &statements_sql, S_MY_ORGS);
	json_t *rows, *row;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, r->person->id);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	json_array_foreach (rows, i, row)
		json_object_set_new(
			row, "endorsed",
			json_boolean(json_integer_value(json_object_get(
					     row, "endorsed")) == 1));
	return rows;
}

/* What the page says after an endorsement was given or taken back. */
static const char *const done_values[] = {"endorsed", "withdrawn", "drafted",
					  "saved",    "submitted", NULL};

/*
 * GET /statements/:slug: the statement, its text, its endorsing
 * organisations and, to the main contact of a member organisation while
 * it is open, the forms that endorse it for each of theirs.  A draft is
 * the secretariat's (404 to anyone else).  Personal when signed in (the
 * forms); a visitor's copy may come from the page cache until the next
 * minute (ROUTE_CLOCK: it closes at the end of its day).
 */
static void
statement_show(struct req *r, struct resp *w)
{
	const struct value *done = req_value(r, "done");
	int admin = r->person && r->person->role >= ROLE_ADMIN;
	json_t *s, *endorsers, *areas = NULL, *mine = NULL, *model;
	json_int_t id;

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (statement_load(r, w, r->person != NULL, &s) != 0)
		return;
	if (!strcmp(str_of(s, "state"), "draft")) {
		int may = statement_draft_visible(r, s);

		if (may < 0) {
			json_decref(s);
			return read_failed(r, w);
		}
		if (!may) {
			json_decref(s);
			return resp_error(w, 404,
					  _("There is no such statement."));
		}
		/* the chairs of the party that drafted it: their steps */
		json_object_set_new(s, "party_drafts", json_boolean(!admin));
		render_add_time(s, "submitted_at");
	}
	id = json_integer_value(json_object_get(s, "id"));
	if ((endorsers = endorsers_of(r, id)) == NULL ||
	    (areas = areas_of(r, id)) == NULL ||
	    (r->person && (mine = my_organisations(r, id)) == NULL)) {
		json_decref(s);
		json_decref(endorsers);
		json_decref(areas);
		return read_failed(r, w);
	}
	json_object_set_new(s, "areas", areas);
	statement_words(s);
	json_object_del(s, "is_open");
	json_object_set_new(s, "body_html",
			    render_markdown(str_of(s, "body_md")));
	json_object_del(s, "body_md");
	json_object_del(s, "id");
	json_object_del(s, "un_body_id");
	json_object_del(s, "party_id");
	model = json_pack("{s:o,s:o,s:b,s:b}", "statement", s, "endorsers",
			  endorsers, "signed_in", r->person != NULL, "admin",
			  admin);
	if (mine) {
		json_object_set_new(model, "may_endorse",
				    json_boolean(json_array_size(mine) > 0));
		json_object_set_new(model, "organisations", mine);
	}
	if (done->present)
		json_object_set_new(
			model, strcmp(done->str, "endorsed") == 0 ||
					       strcmp(done->str, "withdrawn") == 0
				       ? "notice"
				       : "draft_notice",
			json_string(
				!strcmp(done->str, "endorsed")
					? _("Your organisation endorses this "
					    "statement. Its name is listed "
					    "below.")
				: !strcmp(done->str, "withdrawn")
					? _("The endorsement has been taken "
					    "back.")
				: !strcmp(done->str, "drafted")
					? _("The draft has been saved. Only "
					    "the secretariat and the chairs of "
					    "the working party see it.")
				: !strcmp(done->str, "saved")
					? _("The draft has been saved.")
					: _("The secretariat has been asked to "
					    "open the statement for "
					    "endorsement.")));
	resp_page(w, 200, "statements/templates/show.html",
		  str_of(s, "title"), model);
}

/*
 * GET /statements/:slug/endorsements.csv: the endorsing organisations as
 * a spreadsheet opens them (UTF-8 with its mark, CRLF): name, acronym,
 * country, the day it endorsed.  What the page shows, to whom it shows
 * it.
 */
static void
statement_csv(struct req *r, struct resp *w)
{
	int admin = r->person && r->person->role >= ROLE_ADMIN;
	json_t *s, *rows, *row;
	struct buf b = BUF_INIT;
	size_t i;
	const char *head[] = {_("Organisation"), _("Acronym"), _("Country"),
			      _("Endorsed on")};

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (statement_load(r, w, admin, &s) != 0)
		return;
	rows = endorsers_of(r, json_integer_value(json_object_get(s, "id")));
	if (rows == NULL) {
		json_decref(s);
		return read_failed(r, w);
	}
	buf_puts(&b, CSV_BOM);
	csv_put_row(&b, head, ARRAY_LEN(head));
	json_array_foreach (rows, i, row) {
		const char *iso = str_of(row, "created_at_iso");
		char day[11] = "";
		const char *f[4];

		if (iso)
			snprintf(day, sizeof day, "%.10s", iso);
		f[0] = str_of(row, "name");
		f[1] = str_of(row, "acronym");
		f[2] = str_of(row, "country_name");
		f[3] = day;
		csv_put_row(&b, f, ARRAY_LEN(f));
	}
	resp_raw(w, 200, "text/csv; charset=utf-8", buf_cstr(&b), b.len);
	resp_header(w, "Content-Disposition",
		    arena_printf(r->arena,
				 "attachment; filename=\"%s-endorsements.csv\"",
				 str_of(s, "slug")));
	buf_free(&b);
	json_decref(rows);
	json_decref(s);
}

/* Back to the statement's page, saying what was done. */
static void
back_to_statement(struct req *r, struct resp *w, const char *slug,
		  const char *done)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "/statements/");
	esc_url_component(&b, slug, strlen(slug));
	buf_puts(&b, "?done=");
	buf_puts(&b, done);
	buf_puts(&b, "#endorse-h");
	resp_redirect(w, buf_cstr(&b));
	buf_free(&b);
}

/*
 * POST /statements/:slug/endorse and .../withdraw: the organisation of
 * the form endorses the statement (on 1) or takes its endorsement back,
 * by its main contact, while the statement is open; one transaction
 * with its audit record.  An unknown statement or a draft is a 404, a
 * closed one a 409, an organisation the person is not the main contact
 * of (or one whose membership is not current) a 403.  Giving what is
 * already given changes nothing.
 */
static void
endorse(struct req *r, struct resp *w, int on)
{
	const struct value *org = req_value(r, "organisation");
	json_t *s = NULL, *mine = NULL, *row, *chosen = NULL;
	struct db_stmt *st;
	const char *slug;
	json_int_t id;
	size_t i;
	int had;

	if (!org->present) {
		resp_error(w, 422,
			   _("Choose the organisation that endorses the "
			     "statement."));
		return;
	}
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	/* a draft is the secretariat's: to anyone else, no such statement */
	if (statement_load(r, w, r->person->role >= ROLE_ADMIN, &s) != 0) {
		db_rollback(r->db);
		return;
	}
	slug = arena_strdup(r->arena, str_of(s, "slug"));
	id = json_integer_value(json_object_get(s, "id"));
	if (json_integer_value(json_object_get(s, "is_open")) != 1 ||
	    !strcmp(str_of(s, "state"), "draft")) {
		db_rollback(r->db);
		json_decref(s);
		resp_error(w, 409,
			   _("This statement does not take endorsements: "
			     "it is closed."));
		return;
	}
	json_decref(s);
	if ((mine = my_organisations(r, id)) == NULL)
		goto fail;
	json_array_foreach (mine, i, row)
		if (json_integer_value(json_object_get(row, "id")) == org->num)
			chosen = row;
	if (chosen == NULL) {
		db_rollback(r->db);
		json_decref(mine);
		resp_error(w, 403,
			   _("Only the main contact of a member organisation "
			     "whose membership is current can endorse a "
			     "statement for it."));
		return;
	}
	had = json_is_true(json_object_get(chosen, "endorsed"));
	if (had != on) {
		if ((st = db_stmt(r->db, &statements_sql,
				  on ? S_ENDORSE : S_UNENDORSE)) == NULL)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, org->num);
		if (on) {
			db_bind_int(st, 3, r->person->id);
			db_bind_int(st, 4, clock_now());
		}
		if (db_run(st) != 0 ||
		    audit_record_new(
			    r->db, r->person->id,
			    on ? "statement.endorse" : "statement.unendorse",
			    "statement", slug, NULL,
			    json_pack("{s:I,s:s?}", "organisation_id",
				      (json_int_t)org->num, "organisation",
				      str_of(chosen, "name")),
			    r->client) != 0)
			goto fail;
	}
	if (db_commit(r->db) != 0)
		goto fail;
	json_decref(mine);
	back_to_statement(r, w, slug, on ? "endorsed" : "withdrawn");
	return;
fail:
	json_decref(mine);
	resp_fail(r, w, NULL);
}

static void
statement_endorse(struct req *r, struct resp *w)
{
	endorse(r, w, 1);
}

static void
statement_unendorse(struct req *r, struct resp *w)
{
	endorse(r, w, 0);
}

/* Appends to items each statement of rows as a line of another
 * module's page: {title, href, context: where it was delivered, its
 * year and its state}. */
static void
add_items(json_t *items, json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		const char *occasion = str_of(row, "occasion");
		json_t *year = json_object_get(row, "year");
		struct buf ctx = BUF_INIT;

		statement_words(row);
		if (occasion && *occasion)
			buf_puts(&ctx, occasion);
		if (json_is_integer(year))
			buf_printf(&ctx, ctx.len ? " (%lld)" : "%lld",
				   (long long)json_integer_value(year));
		if (ctx.len)
			buf_puts(&ctx, " · ");
		buf_puts(&ctx, str_of(row, "state_text"));
		json_array_append_new(
			items, json_pack("{s:s,s:s+,s:s}", "title",
					 str_of(row, "title"), "href",
					 "/statements/", str_of(row, "slug"),
					 "context", buf_cstr(&ctx)));
		buf_free(&ctx);
	}
}

/* Appends to items (add_items) at most limit statements of list stmt,
 * whose parameters are today and key (a focal area's, an
 * organisation's, a working party's id) then the limit; 0 or -1. */
static int
items_of(struct req *r, enum stmt_statements stmt, int64_t key, int limit,
	 json_t *items)
{
	struct db_stmt *st = db_stmt(r->db, &statements_sql, stmt);
	char today[11];
	json_t *rows;

	if (st == NULL)
		return -1;
	clock_today(today);
	db_bind_text(st, 1, today);
	db_bind_int(st, 2, key);
	db_bind_int(st, 3, limit);
	if ((rows = db_all_json(st)) == NULL)
		return -1;
	add_items(items, rows);
	json_decref(rows);
	return 0;
}

/* Statements a focal area's page lists at most (the newest). */
#define AREA_SHOWN 5

/* The statements about a focal area (struct focal_source): the public
 * ones, those taking endorsements first. */
static int
area_items(struct req *r, int64_t area, json_t *items)
{
	return items_of(r, S_OF_AREA, area, AREA_SHOWN, items);
}

/* Statements an organisation's page lists at most (the newest). */
#define ORGANISATION_SHOWN 10

/* The statements an organisation endorses (struct organisation_source):
 * public, as everyone sees them on the statements' pages. */
static int
organisation_items(struct req *r, int64_t org, json_t *items)
{
	return items_of(r, S_OF_ORGANISATION, org, ORGANISATION_SHOWN, items);
}

static const struct organisation_source statements_organisation[] = {
	{.kind = "statements",
	 .heading = N_("Statements it endorses"),
	 .order = 10,
	 .items = organisation_items},
};

static const struct focal_source statements_focal[] = {
	{.kind = "statement",
	 .heading = N_("Civil society statements"),
	 .order = 30,
	 .items = area_items},
};

/* Statements a working party's page lists at most (its newest). */
#define PARTY_SHOWN 10

/*
 * The section "Statements" of a working party's page (struct
 * party_source): the statements it wrote that are public, those taking
 * endorsements first, each with where it was delivered and its state.
 */
static int
party_section(struct req *r, int64_t party_id, const char *slug, int manages,
	      int open, json_t *section)
{
	json_t *groups = json_array(), *actions;
	/* its chairs see its drafts first */
	static const struct {
		enum stmt_statements stmt;
		const char *label;
		int chairs;
	} lists[] = {
		{S_DRAFTS_OF_PARTY, N_("Drafts"), 1},
		{S_OF_PARTY, N_("Statements it wrote"), 0},
	};

	for (size_t k = 0; k < ARRAY_LEN(lists); k++) {
		json_t *items;

		if (lists[k].chairs && !manages)
			continue;
		items = json_array();
		if (items_of(r, lists[k].stmt, party_id, PARTY_SHOWN, items) !=
		    0) {
			json_decref(items);
			json_decref(groups);
			return -1;
		}
		if (json_array_size(items))
			json_array_append_new(
				groups, json_pack("{s:s,s:o}", "label",
						  _(lists[k].label), "items",
						  items));
		else
			json_decref(items);
	}
	json_object_set_new(section, "groups", groups);
	json_object_set_new(
		section, "empty",
		json_string(_("No statement of this working party is on the "
			      "platform yet.")));
	actions = json_pack("[{s:s,s:s}]", "label", _("All statements"),
			    "href", "/statements");
	if (manages && open)
		json_array_append_new(
			actions, json_pack("{s:s,s:s++}", "label",
					   _("Draft a statement"), "href",
					   "/working-parties/", slug,
					   "/statements/new"));
	json_object_set_new(section, "actions", actions);
	return 0;
}

static const struct party_source statements_party[] = {
	{.kind = "statements",
	 .heading = N_("Statements"),
	 .order = 20,
	 .section = party_section},
};

static const struct field page_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000,
	 .label = N_("Page")},
	{0},
};

static const struct field show_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

static const struct field endorse_fields[] = {
	{.name = "organisation",
	 .type = FT_INT,
	 .flags = FIELD_REQUIRED,
	 .min = 1,
	 .max = INT64_MAX,
	 .label = N_("Organisation")},
	{0},
};

static const struct route statements_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/statements",
	 .who = ACCESS_PUBLIC,
	 .fields = page_fields,
	 .handler = statements_index,
	 .flags = ROUTE_CLOCK,
	 .summary = "The civil society statements: those open for "
		    "endorsement first, then the newest"},
	{.method = HTTP_GET,
	 .pattern = "/statements/:slug",
	 .who = ACCESS_PUBLIC,
	 .fields = show_fields,
	 .handler = statement_show,
	 .flags = ROUTE_CLOCK,
	 .summary = "One statement: its text, where it is delivered, the "
		    "organisations that endorse it, and to a main contact "
		    "the forms that endorse it"},
	{.method = HTTP_GET,
	 .pattern = "/statements/:slug/endorsements.csv",
	 .who = ACCESS_PUBLIC,
	 .handler = statement_csv,
	 .summary = "The organisations that endorse a statement, as CSV"},
	{.method = HTTP_POST,
	 .pattern = "/statements/:slug/endorse",
	 .who = ACCESS_MEMBER,
	 .fields = endorse_fields,
	 .handler = statement_endorse,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Endorses an open statement for an organisation (its "
		    "main contact, while its membership is current)"},
	{.method = HTTP_POST,
	 .pattern = "/statements/:slug/withdraw",
	 .who = ACCESS_MEMBER,
	 .fields = endorse_fields,
	 .handler = statement_unendorse,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Takes an organisation's endorsement of an open "
		    "statement back (its main contact)"},
};

static const struct menu_entry statements_nav[] = {
	{.path = "/statements", .label = N_("Statements"), .order = 38},
};

static const struct search_source statements_search[] = {
	{.kind = STATEMENT_KIND,
	 .prefix = "/statements/",
	 .label = N_("Statement")},
};

const struct module statements_module = {
	.name = "statements",
	.routes = statements_routes,
	.nroutes = ARRAY_LEN(statements_routes),
	.sql = &statements_sql,
	.nav = statements_nav,
	.nnav = ARRAY_LEN(statements_nav),
	.search = statements_search,
	.nsearch = ARRAY_LEN(statements_search),
	.party = statements_party,
	.nparty = ARRAY_LEN(statements_party),
	.focal = statements_focal,
	.nfocal = ARRAY_LEN(statements_focal),
	.organisation = statements_organisation,
	.norganisation = ARRAY_LEN(statements_organisation),
	.start = statements_start,
	.created = statements_created,
};
