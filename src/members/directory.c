/*
 * directory.c -- see directory.h.  Two pages and their JSON twins:
 *
 *   GET /members        the listed organisations the viewer may see,
 *                       filtered (country, level, UN status, focal area,
 *                       name or acronym prefix), 50 a page by name_key
 *   GET /members/:slug  one organisation; its representatives for members
 *
 * Statements per request are fixed by design, whatever the page size:
 * the list runs three (the count, the page rows with each row's focal
 * areas folded in by a group_concat subquery, and the filter options:
 * levels and focal areas in one UNION ALL); the organisation page runs
 * two, three for members (the organisation, its focal areas, its
 * representatives).  No statement runs per row.
 *
 * Every statement opens with the same CTE "v" (DIRECTORY_VIEWER): the
 * viewer's id, whether they are an administrator, and whether they are a
 * member; the visibility rule (DIRECTORY_VISIBLE) reads only v and the
 * organisation, so the list, the count and the page cannot disagree.
 * Filters are bound once each through a second CTE "f"; an absent filter
 * is NULL and switches its condition off.
 */
#include "directory.h"

#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/fold.h"
#include "core/render.h"
#include "core/util.h"
#include "members/manage.h"

enum stmt_directory {
	S_DIR_COUNT,
	S_DIR_PAGE,
	S_DIR_OPTIONS,
	S_ORG_GET,
	S_ORG_FOCAL,
	S_ORG_REPS,
	S_DIRECTORY__MAX,
};

/*
 * The viewer, bound as (person id or NULL, 1 for editors and
 * administrators, 1 for administrators), and the member rule: an editor
 * or administrator, or someone with an individual membership in state
 * active or grace, or a representative of an organisation with one.
 * MATERIALIZED: worked out once per statement, not once per row.
 */
#define DIRECTORY_VIEWER                                                     \
	"v AS MATERIALIZED (SELECT p.pid, p.admin,"                          \
	" CASE WHEN p.staff = 1"                                             \
	"  OR EXISTS (SELECT 1 FROM memberships pm"                          \
	"   WHERE pm.person_id = p.pid AND pm.state IN ('active', 'grace'))" \
	"  OR EXISTS (SELECT 1 FROM representatives pr"                      \
	"   JOIN memberships om ON om.organisation_id = pr.organisation_id"  \
	"   WHERE pr.person_id = p.pid AND om.state IN ('active', 'grace'))" \
	" THEN 1 ELSE 0 END AS member"                                       \
	" FROM (SELECT ? AS pid, ? AS staff, ? AS admin) AS p)"
#define VIEWER_BINDS 3

/* The filters, bound in this order; NULL switches one off.  word is a
 * LIKE pattern on ' ' || name_key ("% gene%": a word begins with it),
 * acro one on the lower-cased acronym ("gene%"). */
#define DIRECTORY_FILTER                                                \
	"f AS MATERIALIZED (SELECT ? AS country, ? AS level, ? AS un,"  \
	" ? AS focal, ? AS word, ? AS acro)"
#define FILTER_BINDS 6

/* A value of v or f, read through a scalar subquery rather than a join:
 * the planner sees a constant, so conditions on o alone are tested as soon
 * as o is read, and the walk of name_key's index keeps its order. */
#define V(col) "(SELECT " col " FROM v)"
#define F(col) "(SELECT " col " FROM f)"

/* A listed organisation with its current membership (the latest of its
 * memberships in state active or grace) and that membership's level. */
#define DIRECTORY_ORG                                                        \
	" organisations o"                                                   \
	" JOIN memberships m ON m.id = (SELECT max(cm.id) FROM memberships cm" \
	"  WHERE cm.organisation_id = o.id"                                  \
	"  AND cm.state IN ('active', 'grace'))"                             \
	" JOIN membership_levels l ON l.id = m.level_id"

/* Who may see organisation o: see directory.h.  (The representatives are
 * looked up only for a signed-in viewer.) */
#define DIRECTORY_VISIBLE                                                \
	" (o.visibility = 'public'"                                      \
	"  OR (o.visibility = 'members' AND " V("member") " = 1)"        \
	"  OR " V("admin") " = 1"                                        \
	"  OR (" V("pid") " IS NOT NULL AND EXISTS (SELECT 1"            \
	"   FROM representatives vr WHERE vr.organisation_id = o.id"     \
	"   AND vr.person_id = " V("pid") ")))"

/* The filters, cheapest first, then who may see o. */
#define DIRECTORY_WHERE                                                      \
	" WHERE (" F("country") " IS NULL OR o.country = " F("country") ")"  \
	" AND (" F("un") " IS NULL"                                          \
	"  OR (" F("un") " = 'none' AND o.ecosoc_status IS NULL"             \
	"   AND o.dgc_associated = 0)"                                       \
	"  OR (" F("un") " = 'dgc' AND o.dgc_associated = 1)"                \
	"  OR " F("un") " = 'ecosoc-' || o.ecosoc_status)"                   \
	" AND (" F("word") " IS NULL"                                        \
	"  OR ' ' || o.name_key LIKE " F("word") " ESCAPE '\\'"              \
	"  OR lower(o.acronym) LIKE " F("acro") " ESCAPE '\\')"              \
	" AND" DIRECTORY_VISIBLE                                             \
	" AND (" F("level") " IS NULL OR o.id IN (SELECT lm.organisation_id" \
	"  FROM memberships lm JOIN membership_levels ll ON ll.id = lm.level_id" \
	"  WHERE lm.state IN ('active', 'grace') AND ll.slug = " F("level") "))" \
	" AND (" F("focal") " IS NULL OR o.id IN (SELECT ff.organisation_id"  \
	"  FROM organisation_focal_areas ff"                                 \
	"  JOIN focal_areas fa ON fa.id = ff.focal_area_id"                  \
	"  WHERE fa.slug = " F("focal") "))"

static const char *const directory_sql_text[S_DIRECTORY__MAX] = {
	/* listed: the organisation's id is among those of the memberships in
	 * state active or grace, a set built once, which is cheaper than
	 * finding each organisation's current membership when every one is
	 * counted; the same rows as DIRECTORY_ORG */
	[S_DIR_COUNT] = "WITH " DIRECTORY_VIEWER ", " DIRECTORY_FILTER
			" SELECT count(*) FROM organisations o" DIRECTORY_WHERE
			" AND o.id IN (SELECT lo.organisation_id FROM memberships lo"
			" WHERE lo.state IN ('active', 'grace'))",
	/* the walk of name_key's index gives the order and stops after the
	 * page */
	[S_DIR_PAGE] =
		"WITH " DIRECTORY_VIEWER ", " DIRECTORY_FILTER
		" SELECT o.slug, o.name, o.acronym, o.country, o.visibility,"
		" l.slug AS level, l.name AS level_name,"
		" o.ecosoc_status, o.ecosoc_year, o.dgc_associated, o.dgc_year,"
		" (SELECT group_concat(fa.slug, ',')"
		"  FROM organisation_focal_areas ff"
		"  JOIN focal_areas fa ON fa.id = ff.focal_area_id"
		"  WHERE ff.organisation_id = o.id) AS focal"
		" FROM" DIRECTORY_ORG DIRECTORY_WHERE
		" ORDER BY o.name_key, o.id LIMIT ? OFFSET ?",
	[S_DIR_OPTIONS] = "SELECT 'level' AS kind, slug, name, position"
			  " FROM membership_levels WHERE kind = 'organisation'"
			  " UNION ALL SELECT 'focal', slug, name, position"
			  " FROM focal_areas ORDER BY 1, 4",
	[S_ORG_GET] =
		"WITH " DIRECTORY_VIEWER
		" SELECT o.id, o.slug, o.name, o.acronym, o.country, o.website,"
		" o.description_md, o.visibility, o.ecosoc_status, o.ecosoc_year,"
		" o.dgc_associated, o.dgc_year, l.slug AS level,"
		" l.name AS level_name, m.state, " V("member") " AS viewer_member"
		" FROM" DIRECTORY_ORG " WHERE o.slug = ? AND" DIRECTORY_VISIBLE,
	[S_ORG_FOCAL] = "SELECT fa.slug, fa.name FROM organisation_focal_areas ff"
			" JOIN focal_areas fa ON fa.id = ff.focal_area_id"
			" WHERE ff.organisation_id = ? ORDER BY fa.position",
	/* people who hid themselves from the directory, or whose account
	 * is disabled, are not shown; an address only when its owner
	 * chose to show it, so no other address leaves the database */
	[S_ORG_REPS] = "SELECT p.name, r.main_contact, r.un_post, r.un_rank,"
		       " CASE WHEN p.show_email = 1 THEN p.email END AS email"
		       " FROM representatives r JOIN people p ON p.id = r.person_id"
		       " WHERE r.organisation_id = ? AND p.disabled_at IS NULL"
		       " AND p.visibility <> 'hidden'"
		       " ORDER BY r.main_contact DESC, p.name, p.id",
};

static struct db_sql directory_sql = {"directory", directory_sql_text,
				      S_DIRECTORY__MAX, 0};

static const char *const un_values[] = {"ecosoc-general", "ecosoc-special",
					"ecosoc-roster", "dgc", "none", NULL};
static const char *const un_labels[] = {
	"ECOSOC general consultative status",
	"ECOSOC special consultative status", "ECOSOC roster status",
	"Associated with the UN DGC", "No UN status", NULL};

static void
read_failed(struct resp *w)
{
	resp_error(w, 500, "Something went wrong on our side: the directory "
			   "could not be read.");
}

/* Binds the viewer of r to placeholders 1..VIEWER_BINDS. */
static void
bind_viewer(const struct req *r, struct db_stmt *st)
{
	const struct person *p = r->person;

	if (p)
		db_bind_int(st, 1, p->id);
	else
		db_bind_null(st, 1);
	db_bind_int(st, 2, p && p->role >= ROLE_EDITOR);
	db_bind_int(st, 3, p && p->role >= ROLE_ADMIN);
}

/* The text of a declared field, or NULL when it was not given. */
static const char *
value_or_null(const struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present ? v->str : NULL;
}

/* A LIKE pattern: before, then s with \ % _ escaped by \, then "%".  In
 * r's arena. */
static const char *
like_prefix(struct req *r, const char *before, const char *s)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, before);
	for (; *s; s++) {
		if (*s == '\\' || *s == '%' || *s == '_')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '%');
	out = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* The search text q folded (accents and case gone), or NULL when absent
 * or nothing is left after folding.  In r's arena. */
static const char *
folded_query(struct req *r)
{
	const char *q = value_or_null(r, "q");
	char *k;
	const char *out = NULL;

	if (q == NULL)
		return NULL;
	k = fold_text(q, strlen(q));
	if (k[0])
		out = arena_strdup(r->arena, k);
	free(k);
	return out;
}

/* Binds the viewer and the filters of r (placeholders 1..VIEWER_BINDS +
 * FILTER_BINDS). */
static void
bind_filters(struct req *r, struct db_stmt *st, const char *key)
{
	static const char *const names[] = {"country", "level", "un", "focal"};
	int i = VIEWER_BINDS + 1;

	bind_viewer(r, st);
	for (size_t k = 0; k < ARRAY_LEN(names); k++)
		db_bind_text(st, i++, value_or_null(r, names[k]));
	db_bind_text(st, i++, key ? like_prefix(r, "% ", key) : NULL);
	db_bind_text(st, i, key ? like_prefix(r, "", key) : NULL);
}

void
directory_add_un_status(json_t *row)
{
	const char *ecosoc =
		json_string_value(json_object_get(row, "ecosoc_status"));
	json_int_t ey = json_integer_value(json_object_get(row, "ecosoc_year"));
	json_int_t dy = json_integer_value(json_object_get(row, "dgc_year"));
	json_t *list = json_array();
	struct buf b = BUF_INIT;
	size_t i;
	json_t *s;

	if (ecosoc)
		json_array_append_new(
			list, ey ? json_sprintf("ECOSOC %s (%" JSON_INTEGER_FORMAT
						")", ecosoc, ey)
				 : json_sprintf("ECOSOC %s", ecosoc));
	if (json_integer_value(json_object_get(row, "dgc_associated")))
		json_array_append_new(
			list, dy ? json_sprintf("DGC associated (%" JSON_INTEGER_FORMAT
						")", dy)
				 : json_string("DGC associated"));
	json_array_foreach (list, i, s) {
		if (i)
			buf_puts(&b, "; ");
		buf_puts(&b, json_string_value(s));
	}
	json_object_set_new(row, "un_status_text",
			    json_string(i ? buf_cstr(&b) : "None"));
	json_object_set_new(row, "un_status", list);
	buf_free(&b);
}

/* For an organisation row that is not public, visibility_text says who
 * sees it (only such viewers get the row at all). */
static void
add_visibility_text(json_t *row)
{
	const char *v = json_string_value(json_object_get(row, "visibility"));

	if (strcmp(v, "members") == 0)
		json_object_set_new(row, "visibility_text",
				    json_string("Shown to members only"));
	else if (strcmp(v, "hidden") == 0)
		json_object_set_new(
			row, "visibility_text",
			json_string("Hidden: shown only to its representatives "
				    "and administrators"));
}

/* Options for a <select>: [{value, label, selected}]; current may be
 * NULL. */
static json_t *
choice_options(const char *const *values, const char *const *labels,
	       const char *current)
{
	json_t *a = json_array();

	for (size_t i = 0; values[i]; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:b}", "value", values[i],
				     "label", labels[i], "selected",
				     current && strcmp(current, values[i]) == 0));
	return a;
}

/* Splits the option rows ({kind, slug, name}) into level and focal
 * options ([{value, label, selected}]) added to model. */
static void
add_filter_options(struct req *r, json_t *model, json_t *rows)
{
	json_t *levels = json_array(), *focal = json_array(), *row;
	const char *cur_level = value_or_null(r, "level");
	const char *cur_focal = value_or_null(r, "focal");
	size_t i;

	json_array_foreach (rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));
		const char *slug = json_string_value(json_object_get(row, "slug"));
		int level = strcmp(kind, "level") == 0;
		const char *cur = level ? cur_level : cur_focal;

		json_array_append_new(
			level ? levels : focal,
			json_pack("{s:s,s:O,s:b}", "value", slug, "label",
				  json_object_get(row, "name"), "selected",
				  cur && strcmp(cur, slug) == 0));
	}
	json_object_set_new(model, "level_options", levels);
	json_object_set_new(model, "focal_options", focal);
	json_object_set_new(model, "un_options",
			    choice_options(un_values, un_labels,
					   value_or_null(r, "un")));
}

/* Replaces a row's "focal" (slugs joined by commas, in any order) with
 * focal_areas [{slug, name}] in the order of focal (the options, by
 * position). */
static void
add_focal_areas(json_t *row, json_t *focal)
{
	const char *slugs = json_string_value(json_object_get(row, "focal"));
	json_t *list = json_array(), *opt;
	size_t i;

	json_array_foreach (focal, i, opt) {
		const char *slug = json_string_value(json_object_get(opt, "value"));
		size_t n = strlen(slug);
		const char *p = slugs;

		while (p && *p) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);

			if (len == n && memcmp(p, slug, n) == 0) {
				json_array_append_new(
					list, json_pack("{s:s,s:O}", "slug", slug,
							"name",
							json_object_get(opt, "label")));
				break;
			}
			p = end ? end + 1 : NULL;
		}
	}
	json_object_del(row, "focal");
	json_object_set_new(row, "focal_areas", list);
}

/* The page asked for (1 when absent). */
static int64_t
page_number(const struct req *r)
{
	const struct value *v = req_value(r, "page");

	return v->present ? v->num : 1;
}

/* The href of page n of the directory, keeping the request's other
 * filters, each value percent-encoded.  In r's arena. */
static const char *
page_href(struct req *r, int64_t n)
{
	const struct field *f = r->route->fields;
	struct buf b = BUF_INIT;
	const char *href;
	char sep = '?';

	buf_puts(&b, r->api ? "/api/v1/members" : "/members");
	for (size_t i = 0; f[i].name; i++) {
		const struct value *v = req_value(r, f[i].name);

		if (!v->present || strcmp(f[i].name, "page") == 0)
			continue;
		buf_printf(&b, "%c%s=", sep, f[i].name);
		esc_url_component(&b, v->str, strlen(v->str));
		sep = '&';
	}
	if (n > 1)
		buf_printf(&b, "%cpage=%lld", sep, (long long)n);
	href = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return href;
}

/* The pager: {page, pages, has_pages, prev_href, next_href}. */
static json_t *
pager(struct req *r, int64_t total)
{
	int64_t page = page_number(r);
	int64_t pages = (total + DIRECTORY_PAGE_SIZE - 1) / DIRECTORY_PAGE_SIZE;
	int has_next = page < pages;

	return json_pack("{s:I,s:I,s:b,s:s?,s:s?}", "page", (json_int_t)page,
			 "pages", (json_int_t)pages, "has_pages",
			 page > 1 || has_next, "prev_href",
			 page > 1 ? page_href(r, page - 1) : NULL, "next_href",
			 has_next ? page_href(r, page + 1) : NULL);
}

/* The present filters as {name: text}, to refill the filter form. */
static json_t *
filter_model(const struct req *r)
{
	const struct field *f = r->route->fields;
	json_t *o = json_object();

	for (size_t i = 0; f[i].name; i++) {
		const struct value *v = req_value(r, f[i].name);

		if (v->present && strcmp(f[i].name, "page") != 0)
			json_object_set_new(o, f[i].name, json_string(v->str));
	}
	return o;
}

/* Runs S_DIR_OPTIONS; NULL on error. */
static json_t *
filter_option_rows(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &directory_sql, S_DIR_OPTIONS);

	return st ? db_all_json(st) : NULL;
}

/*
 * GET /members: the count, the page and the filter options (three
 * statements).  A signed-in viewer's answer depends on who they are, so
 * it is personal.
 */
static void
directory_list(struct req *r, struct resp *w)
{
	const char *key = folded_query(r);
	int64_t total, page = page_number(r);
	json_t *rows, *opts, *row, *model;
	struct db_stmt *st;
	size_t i;

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if ((st = db_stmt(r->db, &directory_sql, S_DIR_COUNT)) == NULL)
		return read_failed(w);
	bind_filters(r, st, key);
	if (db_step(st) != DB_ROW)
		return read_failed(w);
	total = db_col_int(st, 0);
	db_reset(st);

	if ((st = db_stmt(r->db, &directory_sql, S_DIR_PAGE)) == NULL)
		return read_failed(w);
	bind_filters(r, st, key);
	db_bind_int(st, VIEWER_BINDS + FILTER_BINDS + 1, DIRECTORY_PAGE_SIZE);
	db_bind_int(st, VIEWER_BINDS + FILTER_BINDS + 2,
		    (page - 1) * DIRECTORY_PAGE_SIZE);
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(w);
	if ((opts = filter_option_rows(r)) == NULL) {
		json_decref(rows);
		return read_failed(w);
	}

	model = json_pack("{s:I,s:o,s:o}", "total", (json_int_t)total,
			  "total_text",
			  total == 1 ? json_string("1 organisation")
				     : json_sprintf("%lld organisations",
						    (long long)total),
			  "filter", filter_model(r));
	add_filter_options(r, model, opts);
	json_decref(opts);
	json_array_foreach (rows, i, row) {
		directory_add_un_status(row);
		add_focal_areas(row, json_object_get(model, "focal_options"));
		add_visibility_text(row);
	}
	json_object_set_new(model, "organisations", rows);
	json_object_set_new(model, "pager", pager(r, total));
	resp_page(w, 200, "members/templates/directory.html",
		  "Member organisations", model);
}

void
directory_add_rep_post(json_t *rep)
{
	static const char *const posts[][2] = {
		{"vienna", "Vienna"}, {"new-york", "New York"}, {"geneva", "Geneva"}};
	const char *post = json_string_value(json_object_get(rep, "un_post"));
	const char *rank = json_string_value(json_object_get(rep, "un_rank"));
	const char *email = json_string_value(json_object_get(rep, "email"));
	const char *place = NULL;

	if (email)
		json_object_set_new(rep, "email_href",
				    json_sprintf("mailto:%s", email));
	for (size_t i = 0; post && i < ARRAY_LEN(posts); i++)
		if (strcmp(post, posts[i][0]) == 0)
			place = posts[i][1];
	if (place)
		json_object_set_new(
			rep, "un_post_text",
			rank ? json_sprintf("%s, %s representative", place,
					    strcmp(rank, "main") == 0 ? "main"
								      : "alternate")
			     : json_string(place));
}

/* Runs a statement of one organisation id; NULL on error. */
static json_t *
org_rows(struct req *r, enum stmt_directory s, json_int_t id)
{
	struct db_stmt *st = db_stmt(r->db, &directory_sql, s);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	return db_all_json(st);
}

/*
 * GET /members/:slug: 404 unless the organisation is listed and the viewer
 * may see it (see directory.h); its representatives for members only.
 */
static void
organisation_show(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &directory_sql, S_ORG_GET);
	json_t *org, *focal, *reps = NULL, *rep;
	json_int_t id;
	int member, may_manage;
	const char *state;
	size_t i;

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (st == NULL)
		return read_failed(w);
	bind_viewer(r, st);
	db_bind_text(st, VIEWER_BINDS + 1, req_param(r, "slug"));
	if ((org = db_one_json(st)) == NULL)
		return read_failed(w);
	if (json_is_null(org)) {
		json_decref(org);
		resp_error(w, 404, "There is no member organisation at this "
				   "address.");
		return;
	}
	id = json_integer_value(json_object_get(org, "id"));
	member = json_integer_value(json_object_get(org, "viewer_member")) != 0;
	if ((focal = org_rows(r, S_ORG_FOCAL, id)) == NULL ||
	    (member && (reps = org_rows(r, S_ORG_REPS, id)) == NULL)) {
		json_decref(org);
		json_decref(focal);
		return read_failed(w);
	}
	json_array_foreach (reps, i, rep)
		directory_add_rep_post(rep);

	directory_add_un_status(org);
	state = json_string_value(json_object_get(org, "state"));
	json_object_set_new(org, "state_text",
			    json_string(strcmp(state, "grace") == 0
						? "In its grace period for renewal"
						: "Active"));
	json_object_set_new(org, "description_html",
			    render_markdown(json_string_value(
				    json_object_get(org, "description_md"))));
	json_object_del(org, "description_md");
	json_object_del(org, "viewer_member");
	json_object_del(org, "id");
	json_object_set_new(org, "focal_areas", focal);
	add_visibility_text(org);
	/* the links to manage it, for those the manage routes admit */
	if ((may_manage = auth_permits(r->db, r->person, MANAGE_ACTION,
				       "organisation",
				       req_param(r, "slug"))) < 0) {
		json_decref(org);
		json_decref(reps);
		return read_failed(w);
	}
	resp_page(w, 200, "members/templates/organisation.html",
		  json_string_value(json_object_get(org, "name")),
		  json_pack("{s:o,s:b,s:o?,s:b}", "organisation", org,
			    "show_representatives", member,
			    "representatives", reps, "may_manage",
			    may_manage));
}

static const struct field directory_fields[] = {
	{.name = "country", .type = FT_COUNTRY, .label = "Country"},
	{.name = "level", .type = FT_SLUG, .maxlen = 60,
	 .label = "Membership level"},
	{.name = "un", .type = FT_CHOICE, .choices = un_values,
	 .label = "UN status"},
	{.name = "focal", .type = FT_SLUG, .maxlen = 60, .label = "Focal area"},
	{.name = "q", .type = FT_TEXT, .maxlen = 100,
	 .label = "Name or acronym"},
	{.name = "page", .type = FT_INT, .min = 1, .max = 10000,
	 .label = "Page"},
	{0},
};

static const struct route directory_routes[] = {
	{HTTP_GET, "/members", ACCESS_PUBLIC, directory_fields, directory_list,
	 0, 0, "The directory of member organisations, filtered and paged"},
	{HTTP_GET, "/members/:slug", ACCESS_PUBLIC, NULL, organisation_show, 0,
	 0, "One member organisation; its representatives for members"},
};

const struct module directory_module = {"directory", directory_routes,
					ARRAY_LEN(directory_routes),
					&directory_sql};
