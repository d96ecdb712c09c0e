/*
 * directory.c -- see directory.h.  Two pages and their JSON twins:
 *
 *   GET /members        the listed organisations the viewer may see,
 *                       filtered (country, level, UN status, focal area,
 *                       words of the name or acronym), 50 a page by
 *                       name_key
 *   GET /members/:slug  one organisation; its representatives for members
 *
 * Statements per request are fixed by design, whatever the page size:
 * for a signed-in viewer first S_VIEWER (are they a member; which
 * organisations that are not public do they represent); then the list
 * runs three (the count, the page rows with each row's focal areas folded
 * in by a group_concat subquery, and the filter options: levels and
 * focal areas in one UNION ALL); the organisation page runs two, three
 * for members (the organisation, its focal areas, its representatives).
 * No statement runs per row.
 *
 * The visibility rule is one SQL expression (DIRECTORY_VISIBLE) of two
 * bound JSON arrays worked out in C from S_VIEWER (viewer_rights()): the
 * visibilities the viewer may see, and the ids of their own organisations
 * that others may not.  So the planner sees an IN over an index, and the
 * list, the count and the page cannot disagree.
 *
 * Speed without the page cache (every signed-in request; bench/
 * directory.sh) comes from three things: the listing kept on the
 * organisation's row (migration 0014: listed_membership_id and
 * listed_level_id, kept in step by triggers), the covering index
 * organisations_listed that the count reads, and the names index
 * organisation_names for words (search_keys() of core/search.h gives the
 * ids matching, bound as ?5 like the viewer's own ids).  Each query has
 * variants (enum below) rather than conditions switched off at run time,
 * because a condition such as "? IS NULL OR o.id IN (...)" keeps SQLite
 * from driving the query by the index it names: with words, the matching
 * ids drive the query and the other columns' indexes are switched off
 * with a unary +; with other filters, the page reads organisations_listed alone and sorts what
 * passes; with none, it walks name_key's index and stops after the page.
 * The other filters are bound once each (?1..?4); an absent one is NULL.
 * (Measured on bench/synthetic.sql, 10,000 organisations: each statement
 * of a page takes under 2 ms, the page with words about 3.)
 */
#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/auth.h"
#include "core/clock.h"
#include "core/countries.h"
#include "core/db.h"
#include "core/pager.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/render.h"
#include "core/util.h"
#include "membership/membership.h"
#include "organisations/organisations_int.h"

/* The list's variants: O for a viewer with organisations of their own
 * that others may not see, W for words, F for a page with other filters.
 * Keep this order: see list_stmt(). */
enum stmt_directory {
	S_DIR_COUNT,
	S_DIR_COUNT_O,
	S_DIR_COUNT_W,
	S_DIR_COUNT_WO,
	S_DIR_PAGE,
	S_DIR_PAGE_O,
	S_DIR_PAGE_F,
	S_DIR_PAGE_FO,
	S_DIR_PAGE_W,
	S_DIR_PAGE_WO,
	S_DIR_OPTIONS,
	S_VIEWER,
	S_ORG_GET,
	S_ORG_FOCAL,
	S_ORG_REPS,
	S_ORG_IS_REP,
	S_DIRECTORY__MAX,
};

/* The numbered parameters every variant shares; a variant that has no
 * words or no own organisations leaves ?5 or ?7 out. */
enum {
	P_COUNTRY = 1,
	P_LEVEL,
	P_UN,
	P_FOCAL,
	P_WORDS,  /* JSON array of the ids of the words (search_keys) */
	P_SEE,    /* JSON array of the visibilities the viewer may see */
	P_OWN,    /* JSON array of ids: their own organisations not in P_SEE */
	P_LIMIT,
	P_OFFSET,
};

/* Who may see organisation o (see directory.h); plus its own ids. */
#define SEE_SQLITE " o.visibility IN (SELECT value FROM json_each(?6))"
#define SEE_NOINDEX_SQLITE " +o.visibility IN (SELECT value FROM json_each(?6))"
/* The ids of a bound JSON array (own organisations, words' matches). */
#define IN_IDS_SQLITE(p) " IN (SELECT value FROM json_each(" p "))"
#define OWN_SQLITE " OR o.id" IN_IDS_SQLITE("?7")

/* A listed organisation (of the viewer's visibilities, own ones aside),
 * then the filters.  WORDS_SQLITE: among the ids of names or acronyms with
 * every word typed beginning one of theirs ("gene" finds "Genève
 * Institute"), which search_keys() found in the names index. */
#define LISTED_SQLITE " o.listed_level_id IS NOT NULL"
#define LISTED_NOINDEX_SQLITE " +o.listed_level_id IS NOT NULL"
#define WORDS_SQLITE " AND o.id" IN_IDS_SQLITE("?5")
#define FILTERS_SQLITE                                                         \
	" AND (?1 IS NULL OR o.country = ?1)"                                  \
	" AND (?3 IS NULL"                                                     \
	"  OR (?3 = 'none' AND o.ecosoc_status IS NULL"                        \
	"   AND o.dgc_associated = 0)"                                         \
	"  OR (?3 = 'dgc' AND o.dgc_associated = 1)"                           \
	"  OR ?3 = 'ecosoc-' || o.ecosoc_status)"                              \
	" AND (?2 IS NULL OR +o.listed_level_id ="                             \
	"  (SELECT id FROM membership_levels WHERE slug = ?2))"                \
	" AND (?4 IS NULL OR +o.id IN (SELECT ff.organisation_id"              \
	"  FROM organisation_focal_areas ff"                                   \
	"  JOIN focal_areas fa ON fa.id = ff.focal_area_id"                    \
	"  WHERE fa.slug = ?4))"

#define WHERE_PLAIN_SQLITE                                                     \
	" WHERE" LISTED_SQLITE " AND (" SEE_SQLITE ")" FILTERS_SQLITE
#define WHERE_PLAIN_O_SQLITE                                                   \
	" WHERE" LISTED_SQLITE " AND (" SEE_SQLITE OWN_SQLITE ")" FILTERS_SQLITE
#define WHERE_WORDS_SQLITE                                                     \
	" WHERE" LISTED_NOINDEX_SQLITE " AND (" SEE_NOINDEX_SQLITE             \
	")" WORDS_SQLITE FILTERS_SQLITE
#define WHERE_WORDS_O_SQLITE                                                   \
	" WHERE" LISTED_NOINDEX_SQLITE " AND (" SEE_NOINDEX_SQLITE OWN_SQLITE  \
	")" WORDS_SQLITE FILTERS_SQLITE

#define COUNT_SQLITE(where) "SELECT count(*) FROM organisations o" where

/* The page's ids are chosen first (by name_key's index, or among the ids
 * of the words), then only those rows are read whole: a result column is
 * worked out before ORDER BY, so the focal areas' subquery would
 * otherwise run for every row matched, not for the 50 shown. */
#define PAGE_SQLITE(from, where)                                               \
	"SELECT o.slug, o.name, o.acronym, o.country, o.visibility,"           \
	" l.slug AS level, l.name AS level_name,"                              \
	" o.ecosoc_status, o.ecosoc_year, o.dgc_associated, o.dgc_year,"       \
	" (SELECT group_concat(fa.slug, ',')"                                  \
	"  FROM organisation_focal_areas ff"                                   \
	"  JOIN focal_areas fa ON fa.id = ff.focal_area_id"                    \
	"  WHERE ff.organisation_id = o.id) AS focal"                          \
	" FROM (SELECT o.id FROM " from where                                  \
	"  ORDER BY o.name_key, o.id LIMIT ?8 OFFSET ?9) AS pg"                \
	" JOIN organisations o ON o.id = pg.id"                                \
	" JOIN membership_levels l ON l.id = o.listed_level_id"                \
	" ORDER BY o.name_key, o.id"
#define BY_NAME_SQLITE "organisations o INDEXED BY organisations_name_key"
#define BY_LISTED_SQLITE "organisations o INDEXED BY organisations_listed"

/* SQLite's: the indexes named and the others switched off with a unary +
 * (see the file's header). */
static const char *const directory_sql_text_sqlite[S_DIRECTORY__MAX] = {
	[S_DIR_COUNT] = COUNT_SQLITE(WHERE_PLAIN_SQLITE),
	[S_DIR_COUNT_O] = COUNT_SQLITE(WHERE_PLAIN_O_SQLITE),
	[S_DIR_COUNT_W] = COUNT_SQLITE(WHERE_WORDS_SQLITE),
	[S_DIR_COUNT_WO] = COUNT_SQLITE(WHERE_WORDS_O_SQLITE),
	[S_DIR_PAGE] = PAGE_SQLITE(BY_NAME_SQLITE, WHERE_PLAIN_SQLITE),
	[S_DIR_PAGE_O] = PAGE_SQLITE(BY_NAME_SQLITE, WHERE_PLAIN_O_SQLITE),
	[S_DIR_PAGE_F] = PAGE_SQLITE(BY_LISTED_SQLITE, WHERE_PLAIN_SQLITE),
	[S_DIR_PAGE_FO] = PAGE_SQLITE("organisations o", WHERE_PLAIN_O_SQLITE),
	[S_DIR_PAGE_W] = PAGE_SQLITE("organisations o", WHERE_WORDS_SQLITE),
	[S_DIR_PAGE_WO] = PAGE_SQLITE("organisations o", WHERE_WORDS_O_SQLITE),
	/* binds: person id, 1 for editors and administrators.  A member:
	 * an editor or administrator, or someone with an individual
	 * membership in state active or grace, or a representative of a
	 * listed organisation.  own: the ids of the organisations they
	 * represent that are not public. */
	[S_VIEWER] =
		"SELECT CASE WHEN ?2 = 1"
		" OR EXISTS (SELECT 1 FROM memberships pm"
		"  WHERE pm.person_id = ?1 AND pm.state IN ('active', 'grace'))"
		" OR EXISTS (SELECT 1 FROM representatives pr"
		"  JOIN organisations po ON po.id = pr.organisation_id"
		"  WHERE pr.person_id = ?1"
		"  AND po.listed_membership_id IS NOT NULL)"
		" THEN 1 ELSE 0 END,"
		" (SELECT json_group_array(r.organisation_id)"
		"  FROM representatives r"
		"  JOIN organisations ro ON ro.id = r.organisation_id"
		"  WHERE r.person_id = ?1 AND ro.visibility <> 'public')",
	/* binds: ?6, ?7 as in the list, ?1 the slug */
	[S_ORG_GET] =
		"SELECT o.id, o.slug, o.name, o.acronym, o.country, o.website,"
		" o.description_md, o.visibility, o.ecosoc_status,"
		" o.ecosoc_year,"
		" o.dgc_associated, o.dgc_year, l.slug AS level,"
		" l.name AS level_name, m.state"
		" FROM organisations o"
		" JOIN memberships m ON m.id = o.listed_membership_id"
		" JOIN membership_levels l ON l.id = o.listed_level_id"
		" WHERE o.slug = ?1 AND (" SEE_SQLITE OWN_SQLITE ")",
};

/* PostgreSQL's: the same rows.  The JSON arrays are read with
 * json_array_elements_text, the focal areas folded with string_agg, NULL
 * filters tested as CAST(? AS TEXT), and the planner left to choose (no
 * hints). */
#define SEE_PG                                                                 \
	" o.visibility IN (SELECT json_array_elements_text(CAST(?6 AS json)))"
#define IN_IDS_PG(p)                                                           \
	" IN (SELECT CAST(json_array_elements_text(CAST(" p " AS json))"       \
	"  AS BIGINT))"
#define OWN_PG " OR o.id" IN_IDS_PG("?7")
#define WORDS_PG " AND o.id" IN_IDS_PG("?5")
#define FILTERS_PG                                                             \
	" AND (CAST(?1 AS TEXT) IS NULL OR o.country = ?1)"                    \
	" AND (CAST(?3 AS TEXT) IS NULL"                                       \
	"  OR (?3 = 'none' AND o.ecosoc_status IS NULL"                        \
	"   AND o.dgc_associated = 0)"                                         \
	"  OR (?3 = 'dgc' AND o.dgc_associated = 1)"                           \
	"  OR ?3 = 'ecosoc-' || o.ecosoc_status)"                              \
	" AND (CAST(?2 AS TEXT) IS NULL OR o.listed_level_id ="                \
	"  (SELECT id FROM membership_levels WHERE slug = ?2))"                \
	" AND (CAST(?4 AS TEXT) IS NULL OR o.id IN"                            \
	"  (SELECT ff.organisation_id FROM organisation_focal_areas ff"        \
	"  JOIN focal_areas fa ON fa.id = ff.focal_area_id"                    \
	"  WHERE fa.slug = ?4))"
#define LISTED_PG " WHERE o.listed_level_id IS NOT NULL"
#define WHERE_PG LISTED_PG " AND (" SEE_PG ")" FILTERS_PG
#define WHERE_O_PG LISTED_PG " AND (" SEE_PG OWN_PG ")" FILTERS_PG
#define WHERE_W_PG LISTED_PG " AND (" SEE_PG ")" WORDS_PG FILTERS_PG
#define WHERE_WO_PG LISTED_PG " AND (" SEE_PG OWN_PG ")" WORDS_PG FILTERS_PG
#define COUNT_PG(where) "SELECT count(*) FROM organisations o" where
#define PAGE_PG(where)                                                         \
	"SELECT o.slug, o.name, o.acronym, o.country, o.visibility,"           \
	" l.slug AS level, l.name AS level_name,"                              \
	" o.ecosoc_status, o.ecosoc_year, o.dgc_associated, o.dgc_year,"       \
	" (SELECT string_agg(fa.slug, ',' ORDER BY ff.focal_area_id)"          \
	"  FROM organisation_focal_areas ff"                                   \
	"  JOIN focal_areas fa ON fa.id = ff.focal_area_id"                    \
	"  WHERE ff.organisation_id = o.id) AS focal"                          \
	" FROM (SELECT o.id FROM organisations o" where                        \
	"  ORDER BY o.name_key, o.id LIMIT ?8 OFFSET ?9) AS pg"                \
	" JOIN organisations o ON o.id = pg.id"                                \
	" JOIN membership_levels l ON l.id = o.listed_level_id"                \
	" ORDER BY o.name_key, o.id"

static const char *const directory_sql_text_pg[S_DIRECTORY__MAX] = {
	[S_DIR_COUNT] = COUNT_PG(WHERE_PG),
	[S_DIR_COUNT_O] = COUNT_PG(WHERE_O_PG),
	[S_DIR_COUNT_W] = COUNT_PG(WHERE_W_PG),
	[S_DIR_COUNT_WO] = COUNT_PG(WHERE_WO_PG),
	[S_DIR_PAGE] = PAGE_PG(WHERE_PG),
	[S_DIR_PAGE_O] = PAGE_PG(WHERE_O_PG),
	[S_DIR_PAGE_F] = PAGE_PG(WHERE_PG),
	[S_DIR_PAGE_FO] = PAGE_PG(WHERE_O_PG),
	[S_DIR_PAGE_W] = PAGE_PG(WHERE_W_PG),
	[S_DIR_PAGE_WO] = PAGE_PG(WHERE_WO_PG),
	[S_VIEWER] =
		"SELECT CASE WHEN ?2 = 1"
		" OR EXISTS (SELECT 1 FROM memberships pm"
		"  WHERE pm.person_id = ?1 AND pm.state IN ('active', 'grace'))"
		" OR EXISTS (SELECT 1 FROM representatives pr"
		"  JOIN organisations po ON po.id = pr.organisation_id"
		"  WHERE pr.person_id = ?1"
		"  AND po.listed_membership_id IS NOT NULL)"
		" THEN 1 ELSE 0 END,"
		" (SELECT coalesce(CAST(json_agg(r.organisation_id) AS TEXT),"
		"  '[]')"
		"  FROM representatives r"
		"  JOIN organisations ro ON ro.id = r.organisation_id"
		"  WHERE r.person_id = ?1 AND ro.visibility <> 'public')",
	[S_ORG_GET] =
		"SELECT o.id, o.slug, o.name, o.acronym, o.country, o.website,"
		" o.description_md, o.visibility, o.ecosoc_status,"
		" o.ecosoc_year,"
		" o.dgc_associated, o.dgc_year, l.slug AS level,"
		" l.name AS level_name, m.state"
		" FROM organisations o"
		" JOIN memberships m ON m.id = o.listed_membership_id"
		" JOIN membership_levels l ON l.id = o.listed_level_id"
		" WHERE o.slug = ?1 AND (" SEE_PG OWN_PG ")",
};

/* The statements both backends run as written; the list's, S_VIEWER's and
 * S_ORG_GET's differ (JSON arrays, the aggregate, SQLite's planner hints)
 * and are each backend's own, below. */
static const char *const directory_sql_text[S_DIRECTORY__MAX] = {
	[S_DIR_OPTIONS] = "SELECT 'level' AS kind, slug, name, position"
			  " FROM membership_levels WHERE kind = 'organisation'"
			  " UNION ALL SELECT 'focal', slug, name, position"
			  " FROM focal_areas ORDER BY 1, 4",
	[S_ORG_FOCAL] =
		"SELECT fa.slug, fa.name FROM organisation_focal_areas ff"
		" JOIN focal_areas fa ON fa.id = ff.focal_area_id"
		" WHERE ff.organisation_id = ? ORDER BY fa.position",
	/* people who hid themselves from the directory, or whose account
	 * is disabled, are not shown; an address only when its owner
	 * chose to show it, so no other address leaves the database */
	[S_ORG_REPS] =
		"SELECT p.name, r.main_contact, r.un_post, r.un_rank,"
		" CASE WHEN p.show_email = 1 THEN p.email END AS email"
		" FROM representatives r JOIN people p ON p.id = r.person_id"
		" WHERE r.organisation_id = ? AND p.disabled_at IS NULL"
		" AND p.visibility <> 'hidden'"
		" ORDER BY r.main_contact DESC, p.name, p.id",
	/* binds: organisation id, person id */
	[S_ORG_IS_REP] = "SELECT count(*) FROM representatives"
			 " WHERE organisation_id = ? AND person_id = ?",
};

static struct db_sql directory_sql = {"directory", directory_sql_text,
				      S_DIRECTORY__MAX, 0};

static const char *const un_values[] = {"ecosoc-general", "ecosoc-special",
					"ecosoc-roster", "dgc", "none", NULL};
static const char *const un_labels[] = {
	N_("ECOSOC general consultative status"),
	N_("ECOSOC special consultative status"),
	N_("ECOSOC roster status"),
	N_("Associated with the UN DGC"),
	N_("No UN status"),
	NULL};

static void
read_failed(struct resp *w)
{
	resp_error(w, 500,
		   _("Something went wrong on our side: the directory could "
		     "not be read."));
}

/* What a viewer may see: see and own bound as ?6 and ?7 (own NULL when
 * they have no organisation others may not see); member opens the
 * representatives on organisation pages. */
struct rights {
	const char *see;
	const char *own;
	int member;
};

/* Works out r's viewer's rights (S_VIEWER for a signed-in person who is
 * not an administrator); 0, or -1 when the database failed. */
static int
viewer_rights(struct req *r, struct rights *v)
{
	const struct person *p = r->person;
	struct db_stmt *st;
	const char *own;

	v->see = "[\"public\"]";
	v->own = NULL;
	v->member = 0;
	if (p == NULL)
		return 0;
	if (p->role >= ROLE_ADMIN) {
		v->see = "[\"public\",\"members\",\"hidden\"]";
		v->member = 1;
		return 0;
	}
	if ((st = db_stmt(r->db, &directory_sql, S_VIEWER)) == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, p->role >= ROLE_EDITOR);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return -1;
	}
	v->member = db_col_int(st, 0) != 0;
	if (v->member)
		v->see = "[\"public\",\"members\"]";
	own = db_col_text(st, 1);
	if (own && strcmp(own, "[]") != 0)
		v->own = arena_strdup(r->arena, own);
	db_reset(st);
	return 0;
}

/* The index of the list's statement: base (S_DIR_COUNT or S_DIR_PAGE) or
 * one of its variants for words, other filters (pages only) and own
 * organisations. */
static int
list_stmt_index(struct req *r, enum stmt_directory base, const char *words,
		const struct rights *v)
{
	static const char *const filters[] = {"country", "level", "un",
					      "focal"};
	int variant = 0;

	if (words)
		variant = base == S_DIR_PAGE ? 4 : 2;
	else if (base == S_DIR_PAGE)
		for (size_t i = 0; i < ARRAY_LEN(filters); i++)
			if (membership_value_or_null(r, filters[i]))
				variant = 2;
	return (int)base + variant + (v->own ? 1 : 0);
}

/* The list's statement (see list_stmt_index). */
static struct db_stmt *
list_stmt(struct req *r, enum stmt_directory base, const char *words,
	  const struct rights *v)
{
	return db_stmt(r->db, &directory_sql,
		       list_stmt_index(r, base, words, v));
}

/* Binds the filters of r and the viewer's rights to a list statement
 * from list_stmt(). */
static void
bind_list(struct req *r, struct db_stmt *st, const char *words,
	  const struct rights *v)
{
	db_bind_text(st, P_COUNTRY, membership_value_or_null(r, "country"));
	db_bind_text(st, P_LEVEL, membership_value_or_null(r, "level"));
	db_bind_text(st, P_UN, membership_value_or_null(r, "un"));
	db_bind_text(st, P_FOCAL, membership_value_or_null(r, "focal"));
	if (words)
		db_bind_text(st, P_WORDS, words);
	db_bind_text(st, P_SEE, v->see);
	if (v->own)
		db_bind_text(st, P_OWN, v->own);
}

/* For an organisation row that is not public, visibility_text says who
 * sees it (only such viewers get the row at all). */
static void
add_visibility_text(json_t *row)
{
	const char *v = json_string_value(json_object_get(row, "visibility"));

	if (strcmp(v, "members") == 0)
		json_object_set_new(row, "visibility_text",
				    json_string(_("Shown to members only")));
	else if (strcmp(v, "hidden") == 0)
		json_object_set_new(
			row, "visibility_text",
			json_string(_("Hidden: shown only to its "
				      "representatives and administrators")));
}

/* Splits the option rows ({kind, slug, name}) into level and focal
 * options ([{value, label, selected}]) added to model. */
static void
add_filter_options(struct req *r, json_t *model, json_t *rows)
{
	json_t *levels = json_array(), *focal = json_array(), *row;
	const char *cur_level = membership_value_or_null(r, "level");
	const char *cur_focal = membership_value_or_null(r, "focal");
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
	json_object_set_new(
		model, "un_options",
		membership_options(un_values, un_labels,
				      membership_value_or_null(r, "un")));
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

/* Runs S_DIR_OPTIONS; NULL on error. */
static json_t *
filter_option_rows(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &directory_sql, S_DIR_OPTIONS);

	return st ? db_all_json(st) : NULL;
}

/*
 * The counts of the last lists this worker thread answered, each valid
 * while the database's generation (db_generation: any commit moves it)
 * stays where it was.  Counting reads every listed organisation the
 * viewer may see (about 0.6 ms for 10,000), while people mostly page
 * through the same list: paging on costs no count.  Per thread, as each
 * worker has its own connection and generation; keys that do not fit are
 * not cached.
 */
#define COUNT_CACHE 16
#define COUNT_KEY 480
struct count_entry {
	uint64_t gen;
	int64_t total;
	char key[COUNT_KEY]; /* "" for an unused entry */
};
static _Thread_local struct count_entry count_cache[COUNT_CACHE];
static _Thread_local unsigned count_next;

/* Writes into key what the count depends on: the statement and every
 * value bound to it (text of declared fields has no control characters,
 * so \x1f separates and \x1e stands for NULL); for the words' ids the text
 * typed, which gives the same ids while the generation stays (a common
 * word's ids would not fit).  0, or -1 when it does not fit. */
static int
count_key(struct req *r, int stmt, const char *words, const struct rights *v,
	  char *key)
{
	const char *parts[] = {membership_value_or_null(r, "country"),
			       membership_value_or_null(r, "level"),
			       membership_value_or_null(r, "un"),
			       membership_value_or_null(r, "focal"),
			       words ? membership_value_or_null(r, "q") : NULL,
			       v->see,
			       v->own};
	size_t n = (size_t)snprintf(key, COUNT_KEY, "%d", stmt);

	for (size_t i = 0; i < ARRAY_LEN(parts); i++) {
		int k = snprintf(key + n, COUNT_KEY - n, "\x1f%s",
				 parts[i] ? parts[i] : "\x1e");

		if (k < 0 || (size_t)k >= COUNT_KEY - n)
			return -1;
		n += (size_t)k;
	}
	return 0;
}

/* The number of listed organisations matching r for viewer v, from the
 * cache or by the list's count statement.  0, or -1 on a database
 * error. */
static int
list_count(struct req *r, const char *words, const struct rights *v,
	   int64_t *total)
{
	struct db_stmt *st = list_stmt(r, S_DIR_COUNT, words, v);
	char key[COUNT_KEY];
	uint64_t gen;
	int cacheable;
	struct count_entry *e;

	if (st == NULL)
		return -1;
	cacheable = db_generation(r->db, &gen) == 0 &&
		    count_key(r, list_stmt_index(r, S_DIR_COUNT, words, v),
			      words, v, key) == 0;
	for (size_t i = 0; cacheable && i < COUNT_CACHE; i++)
		if (count_cache[i].gen == gen &&
		    strcmp(count_cache[i].key, key) == 0) {
			*total = count_cache[i].total;
			return 0;
		}
	bind_list(r, st, words, v);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return -1;
	}
	*total = db_col_int(st, 0);
	db_reset(st);
	if (cacheable) {
		e = &count_cache[count_next++ % COUNT_CACHE];
		e->gen = gen;
		e->total = *total;
		memcpy(e->key, key, sizeof(key));
	}
	return 0;
}

/* "{n} organisations" for n, in the current language. */
static json_t *
total_text(int64_t n)
{
	struct buf b = BUF_INIT;
	char num[24];
	json_t *text;

	snprintf(num, sizeof(num), "%lld", (long long)n);
	i18n_format(
		&b,
		_n("{n} organisation", "{n} organisations", (unsigned long)n),
		"n", num, NULL);
	text = json_string(buf_cstr(&b));
	buf_free(&b);
	return text;
}

/* Whether the reader set one of the directory's filters (a word, a
 * country, a level, a UN status, a focal area): an empty directory then
 * says that nothing matches them, else that it has no organisation yet. */
static int
directory_filtered(const struct req *r)
{
	static const char *const names[] = {"q", "country", "level", "un",
					    "focal"};

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		const struct value *v = req_value(r, names[i]);

		if (v->present && v->str && v->str[0])
			return 1;
	}
	return 0;
}

/*
 * GET /members: the viewer's rights, then the count, the page and the
 * filter options.  A signed-in viewer's answer depends on who they are,
 * so it is personal.
 */
static void
directory_list(struct req *r, struct resp *w)
{
	const char *words;
	int64_t total;
	json_t *rows, *opts, *row, *model;
	struct rights v;
	struct pager pg;
	struct db_stmt *st;
	size_t i;

	pager_read(r, DIRECTORY_PAGE_SIZE, &pg);

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (organisations_name_ids(r, &words) < 0 || viewer_rights(r, &v) < 0 ||
	    list_count(r, words, &v, &total) < 0)
		return read_failed(w);

	if ((st = list_stmt(r, S_DIR_PAGE, words, &v)) == NULL)
		return read_failed(w);
	bind_list(r, st, words, &v);
	db_bind_int(st, P_LIMIT, DIRECTORY_PAGE_SIZE);
	db_bind_int(st, P_OFFSET, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(w);
	if ((opts = filter_option_rows(r)) == NULL) {
		json_decref(rows);
		return read_failed(w);
	}

	model = json_pack("{s:I,s:o,s:o}", "total", (json_int_t)total,
			  "total_text", total_text(total), "filter",
			  pager_filters(r, NULL));
	add_filter_options(r, model, opts);
	json_decref(opts);
	/* the country filter: every country by name, for the page's <select>
	 * (the API's clients send the code and need no list) */
	if (!r->api) {
		json_object_set_new(model, "country_chooser",
				    countries_chooser(membership_value_or_null(
							      r, "country"),
						      COUNTRY_FILTER));
		json_object_set_new(model, "filtered",
				    json_boolean(directory_filtered(r)));
	}
	countries_name_field(rows, "country", "country_name");
	json_array_foreach (rows, i, row) {
		organisations_add_un_status(row);
		add_focal_areas(row, json_object_get(model, "focal_options"));
		add_visibility_text(row);
	}
	json_object_set_new(model, "organisations", rows);
	json_object_set_new(
		model, "pager",
		pager_model(r, &pg, r->api ? "/api/v1/members" : "/members",
			    NULL, 0, total));
	resp_page(w, 200, "organisations/templates/directory.html",
		  _("Member organisations"), model);
}

/* Adds un_report_due ('YYYY-MM-DD') to an organisation in ECOSOC general
 * or special status: its next quadrennial report, as the daily job
 * reminds of it (states.h).  Only for those who must act on it: the
 * secretariat and the organisation's own representatives. */
static void
add_un_report_due(json_t *org)
{
	long due;
	char ymd[11];

	if (states_un_report_due(membership_str(org, "ecosoc_status"),
				  (int)json_integer_value(
					  json_object_get(org, "ecosoc_year")),
				  (long)(clock_now() / 86400), &due)) {
		states_ymd(due, ymd);
		json_object_set_new(org, "un_report_due", json_string(ymd));
	}
}

/* 1 when r's viewer is of the secretariat (editor or administrator) or
 * a representative of organisation id, 0 when not (or a visitor), -1 on
 * a database error. */
static int
is_own(struct req *r, json_int_t id)
{
	struct db_stmt *st;
	int64_t n;

	if (r->person == NULL)
		return 0;
	if (r->person->role >= ROLE_EDITOR)
		return 1;
	if ((st = db_stmt(r->db, &directory_sql, S_ORG_IS_REP)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, r->person->id);
	if (db_one_int(st, &n) != 0)
		return -1;
	return n > 0;
}

/* ---- what other modules say of an organisation ---- */

#define ORG_SOURCES_MAX 8
static const struct organisation_source *org_sources[ORG_SOURCES_MAX];
static size_t norg_sources;

/* Gathers every module's organisation sources, lowest order first
 * (equal orders keep the modules' order). */
static void
directory_assemble(const struct module *const *mods, size_t nmods)
{
	norg_sources = 0;
	for (size_t m = 0; m < nmods; m++)
		for (size_t i = 0; i < mods[m]->norganisation; i++) {
			const struct organisation_source *src =
				&mods[m]->organisation[i];
			size_t j = norg_sources;

			if (norg_sources == ORG_SOURCES_MAX) {
				log_error("directory: too many organisation "
					  "sources; %s's left out",
					  mods[m]->name);
				return;
			}
			norg_sources++;
			while (j > 0 && org_sources[j - 1]->order > src->order) {
				org_sources[j] = org_sources[j - 1];
				j--;
			}
			org_sources[j] = src;
		}
}

/* The sections the sources give organisation id, those with items:
 * [{kind, heading, items}]; NULL when one could not be read. */
static json_t *
org_sections(struct req *r, json_int_t id)
{
	json_t *sections = json_array();

	for (size_t i = 0; i < norg_sources; i++) {
		json_t *items = json_array();

		if (org_sources[i]->items(r, id, items) != 0) {
			log_error("directory: the source %s failed for "
				  "organisation %lld",
				  org_sources[i]->kind, (long long)id);
			json_decref(items);
			json_decref(sections);
			return NULL;
		}
		if (json_array_size(items) == 0) {
			json_decref(items);
			continue;
		}
		json_array_append_new(
			sections, json_pack("{s:s,s:s,s:o}", "kind",
					    org_sources[i]->kind, "heading",
					    _(org_sources[i]->heading),
					    "items", items));
	}
	return sections;
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
	struct db_stmt *st;
	json_t *org, *focal, *reps = NULL, *rep, *sections;
	json_int_t id;
	struct rights v;
	int may_manage, own;
	const char *state;
	size_t i;

	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (viewer_rights(r, &v) < 0 ||
	    (st = db_stmt(r->db, &directory_sql, S_ORG_GET)) == NULL)
		return read_failed(w);
	db_bind_text(st, 1, req_param(r, "slug"));
	db_bind_text(st, P_SEE, v.see);
	db_bind_text(st, P_OWN, v.own ? v.own : "[]");
	if ((org = db_one_json(st)) == NULL)
		return read_failed(w);
	if (json_is_null(org)) {
		json_decref(org);
		resp_error(w, 404,
			   _("There is no member organisation at this "
			     "address."));
		return;
	}
	id = json_integer_value(json_object_get(org, "id"));
	if ((focal = org_rows(r, S_ORG_FOCAL, id)) == NULL ||
	    (v.member && (reps = org_rows(r, S_ORG_REPS, id)) == NULL) ||
	    (sections = org_sections(r, id)) == NULL) {
		json_decref(org);
		json_decref(focal);
		json_decref(reps);
		return read_failed(w);
	}
	json_object_set_new(org, "sections", sections);
	json_array_foreach (reps, i, rep)
		organisations_add_rep_post(rep);

	organisations_add_un_status(org);
	if ((own = is_own(r, id)) < 0) {
		json_decref(org);
		json_decref(focal);
		json_decref(reps);
		return read_failed(w);
	}
	if (own)
		add_un_report_due(org);
	countries_name_field(org, "country", "country_name");
	state = json_string_value(json_object_get(org, "state"));
	json_object_set_new(org, "state_text",
			    json_string(strcmp(state, "grace") == 0
						? _("In its grace period for "
						    "renewal")
						: _("Active")));
	json_object_set_new(org, "description_html",
			    render_markdown(json_string_value(
				    json_object_get(org, "description_md"))));
	json_object_del(org, "description_md");
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
	resp_page(w, 200, "organisations/templates/organisation.html",
		  json_string_value(json_object_get(org, "name")),
		  json_pack("{s:o,s:b,s:o?,s:b}", "organisation", org,
			    "show_representatives", v.member,
			    "representatives", reps, "may_manage",
			    may_manage));
}

static const struct field directory_fields[] = {
	{.name = "country", .type = FT_COUNTRY, .label = N_("Country")},
	{.name = "level", .type = FT_SLUG, .maxlen = 60,
	 .label = N_("Membership level")},
	{.name = "un", .type = FT_CHOICE, .choices = un_values,
	 .label = N_("UN status")},
	{.name = "focal", .type = FT_SLUG, .maxlen = 60,
	 .label = N_("Focal area")},
	{.name = "q", .type = FT_TEXT, .maxlen = 100,
	 .label = N_("Name or acronym")},
	{.name = "page", .type = FT_INT, .min = 1, .max = 10000,
	 .label = N_("Page")},
	{0},
};

static const struct route directory_routes[] = {
	{.method = HTTP_GET, .pattern = "/members", .who = ACCESS_PUBLIC,
	 .fields = directory_fields, .handler = directory_list,
	 .summary = "The directory of member organisations, filtered and "
		    "paged"},
	{.method = HTTP_GET, .pattern = "/members/:slug", .who = ACCESS_PUBLIC,
	 .handler = organisation_show,
	 .summary = "One member organisation; its representatives for members"},
};

/* organisations.c has no module of its own: the directory, the first of
 * the folder's modules, registers its statements. */
static struct db_sql *const directory_sqls[] = {&organisations_sql, NULL};

static const struct menu_entry directory_nav[] = {
	{.path = "/members", .label = N_("Members"), .order = 30},
};

/* Its rows in the search index come from the triggers of
 * migrations/0014_directory_listing.*.sql (listed organisations only). */
static const struct search_source directory_search[] = {
	{.kind = "organisation", .prefix = "/members/",
	 .label = N_("Member organisation")},
};

/* Each backend's own text of the statements that differ. */
static void
directory_init(void)
{
	db_register_variant(&directory_sql, "sqlite", directory_sql_text_sqlite);
	db_register_variant(&directory_sql, "pg", directory_sql_text_pg);
}

const struct module directory_module = {
	.name = "directory",
	.routes = directory_routes,
	.nroutes = ARRAY_LEN(directory_routes),
	.sql = &directory_sql,
	.init = directory_init,
	.sqls = directory_sqls,
	.nav = directory_nav,
	.nnav = ARRAY_LEN(directory_nav),
	.search = directory_search,
	.nsearch = ARRAY_LEN(directory_search),
	.assemble = directory_assemble,
};

int
organisations_viewer_is_member(struct req *r, int *member)
{
	struct rights v;

	if (viewer_rights(r, &v) < 0)
		return -1;
	*member = v.member;
	return 0;
}
