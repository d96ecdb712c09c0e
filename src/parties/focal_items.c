/*
 * focal_items.c -- see parties.h: party_focal_module, the working
 * parties' section of a focal area's page (struct focal_source,
 * core/http.h; the focal module gathers it, focal/sources.c).  It lists
 * the parties that serve the area (party_focal_areas) and that are the
 * Alliance's -- active, dissolved or archived, never a proposal nor one
 * the secretariat rejected -- each with its latest three reports
 * (submitted or acknowledged, never a draft) and latest three published
 * articles, newest first.  A report shows as its visibility allows the
 * viewer (PARTY_VISIBLE): public to everyone, 'members' to the people of
 * a member organisation, 'team' to the party's team and the secretariat,
 * the same rule as the party's own page (party.c).
 */
#include <string.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"
#include "organisations/organisations.h"
#include "parties_int.h"

enum stmt_focal_items {
	FI_PARTIES,
	FI_ROLE,
	FI_REPORTS,
	FI_ARTICLES,
	FI_ITEMS__MAX,
};

/* The latest reports and articles shown for a party, of each. */
#define FI_LATEST 3

static const char *const focal_items_sql_text[FI_ITEMS__MAX] = {
	/* the Alliance's parties serving the area, active first */
	[FI_PARTIES] = "SELECT p.id, p.slug, p.name, p.summary, p.state"
		       " FROM party_focal_areas x"
		       " JOIN parties p ON p.id = x.party_id"
		       " WHERE x.focal_area_id = ?"
		       " AND p.state IN ('active', 'dissolved', 'archived')"
		       " ORDER BY CASE p.state WHEN 'active' THEN 0"
		       " WHEN 'dissolved' THEN 1 ELSE 2 END, p.name, p.id",
	[FI_ROLE] = "SELECT 1 FROM object_roles WHERE person_id = ?"
		    " AND object_type = 'party' AND object_id = ? LIMIT 1",
	/* binds: the party, the viewer's level, the limit */
	[FI_REPORTS] = "SELECT id, title, period, submitted_at AS date"
		       " FROM party_reports WHERE party_id = ?"
		       " AND state IN ('submitted', 'acknowledged')"
		       " AND submitted_at IS NOT NULL"
		       " AND " PARTY_VISIBLE("visibility")
		       " ORDER BY submitted_at DESC, id DESC LIMIT ?",
	/* binds: the party, the limit */
	[FI_ARTICLES] = "SELECT slug, title, summary, published_at AS date"
			" FROM party_articles WHERE party_id = ?"
			" AND state = 'published' AND published_at IS NOT NULL"
			" ORDER BY published_at DESC, id DESC LIMIT ?",
};

static struct db_sql focal_items_sql = {"party_focal_items",
					focal_items_sql_text, FI_ITEMS__MAX, 0};

/* The rows of statement s for party with the ints a (count n) bound
 * after it; NULL on error. */
static json_t *
rows_of(struct req *r, enum stmt_focal_items s, int64_t party,
	const int64_t *a, int n)
{
	struct db_stmt *st = db_stmt(r->db, &focal_items_sql, s);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, party);
	for (int i = 0; i < n; i++)
		db_bind_int(st, i + 2, a[i]);
	return db_all_json(st);
}

/* What r's viewer may read of the party slug, given base (what they may
 * read of any party): the team's level for its team and the secretariat.
 * -1 on error. */
static int
level_for(struct req *r, const char *slug, enum party_level base)
{
	struct db_stmt *st;
	int rc;

	if (r->person == NULL || base == PARTY_SEES_TEAM)
		return base;
	if ((st = db_stmt(r->db, &focal_items_sql, FI_ROLE)) == NULL)
		return -1;
	db_bind_int(st, 1, r->person->id);
	db_bind_text(st, 2, slug);
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_ERROR)
		return -1;
	return rc == DB_ROW ? PARTY_SEES_TEAM : (int)base;
}

/* Appends a sub-item made of row (whose "date" it keeps) to out, sorted
 * newest first: kind_label, title, href, context (the key ctx of row). */
static void
add_sub(json_t *out, json_t *row, const char *kind_label, const char *href,
	const char *ctx)
{
	json_t *date = json_object_get(row, "date");
	json_t *item = json_pack("{s:s,s:O,s:s,s:O}", "kind_label", kind_label,
				 "title", json_object_get(row, "title"),
				 "href", href, "date", date);
	const char *c = json_string_value(json_object_get(row, ctx));
	size_t i = 0;

	if (c && *c)
		json_object_set_new(item, "context", json_string(c));
	while (i < json_array_size(out) &&
	       json_integer_value(json_object_get(json_array_get(out, i),
						  "date")) >=
		       json_integer_value(date))
		i++;
	json_array_insert_new(out, i, item);
}

/* The latest reports and articles of the party row (slug, id) for a
 * viewer of level, as sub-items; NULL on error. */
static json_t *
latest_work(struct req *r, json_t *party, int level)
{
	int64_t id = json_integer_value(json_object_get(party, "id"));
	const char *slug = json_string_value(json_object_get(party, "slug"));
	int64_t rep_binds[] = {level, FI_LATEST}, art_binds[] = {FI_LATEST};
	json_t *reports = rows_of(r, FI_REPORTS, id, rep_binds, 2);
	json_t *articles = reports ? rows_of(r, FI_ARTICLES, id, art_binds, 1)
				   : NULL;
	json_t *out, *row;
	size_t i;

	if (articles == NULL) {
		json_decref(reports);
		return NULL;
	}
	out = json_array();
	json_array_foreach (reports, i, row)
		add_sub(out, row, _("Report"),
			arena_printf(r->arena, "/working-parties/%s/reports/%lld",
				     slug,
				     (long long)json_integer_value(
					     json_object_get(row, "id"))),
			"period");
	json_array_foreach (articles, i, row) {
		const char *a = json_string_value(json_object_get(row, "slug"));

		if (a == NULL)
			continue;
		add_sub(out, row, _("Article"),
			arena_printf(r->arena, "/working-parties/%s/articles/%s",
				     slug, a),
			"summary");
	}
	json_decref(reports);
	json_decref(articles);
	return out;
}

/* The focal source's items callback (struct focal_source). */
static int
party_focal_items(struct req *r, int64_t area, json_t *items)
{
	json_t *parties = rows_of(r, FI_PARTIES, area, NULL, 0), *row;
	enum party_level base = PARTY_SEES_PUBLIC;
	int member = 0;
	size_t i;

	if (parties == NULL)
		return -1;
	if (r->person && r->person->role >= ROLE_ADMIN)
		base = PARTY_SEES_TEAM;
	else if (json_array_size(parties) > 0) {
		if (organisations_viewer_is_member(r, &member) < 0) {
			json_decref(parties);
			return -1;
		}
		base = member ? PARTY_SEES_MEMBERS : PARTY_SEES_PUBLIC;
	}
	json_array_foreach (parties, i, row) {
		const char *slug = json_string_value(json_object_get(row, "slug"));
		const char *state = json_string_value(json_object_get(row, "state"));
		const char *summary =
			json_string_value(json_object_get(row, "summary"));
		int level = slug ? level_for(r, slug, base) : -1;
		json_t *work = level >= 0 ? latest_work(r, row, level) : NULL;
		json_t *item;

		if (work == NULL || state == NULL) {
			json_decref(work);
			json_decref(parties);
			return -1;
		}
		item = json_pack("{s:O,s:s,s:o}", "title",
				 json_object_get(row, "name"), "href",
				 arena_printf(r->arena, "/working-parties/%s",
					      slug),
				 "items", work);
		/* a party that ended says so before its summary */
		if (strcmp(state, "active") != 0)
			json_object_set_new(
				item, "context",
				json_string(summary && *summary
						    ? i18n_text(r->arena,
								_("{state}: "
								  "{summary}"),
								"state",
								party_state_label(
									state),
								"summary",
								summary, NULL)
						    : party_state_label(state)));
		else if (summary && *summary)
			json_object_set_new(item, "context",
					    json_string(summary));
		json_array_append_new(items, item);
	}
	json_decref(parties);
	return 0;
}

static const struct focal_source party_focal_sources[] = {
	{.kind = "working_party",
	 .heading = N_("Working parties serving this area"),
	 .order = 10,
	 .items = party_focal_items},
};

const struct module party_focal_module = {
	.name = "party-focal",
	.sql = &focal_items_sql,
	.focal = party_focal_sources,
	.nfocal = ARRAY_LEN(party_focal_sources),
};
