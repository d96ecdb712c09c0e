/*
 * focal.c -- see focal.h.  The module, and the public pages of the focal
 * areas: the current areas and the retired ones apart; an area's text,
 * its focal points named as each person allows, the public member
 * organisations that chose it and the sections the modules' focal
 * sources give it (sources.c).  Who may be named is decided in SQL
 * (FP_NAMED), so a name, a country or an address a person did not show
 * never leaves the database.  The secretariat's pages are secretariat.c's,
 * the areas' reads and changes areas.c's.
 */
#include "focal.h"

#include <stdio.h>
#include <string.h>

#include "core/countries.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/util.h"
#include "organisations/organisations.h"

#include "areas.h"
#include "secretariat.h"
#include "sources.h"

enum stmt_focal {
	F_POINTS_PUBLIC,
	F_ORGS,
	F_FOCAL__MAX,
};

/* Whether the person p may be named to the viewer: their visibility is
 * 'public', or 'members' and the viewer is a member (one bound 0/1). */
#define FP_NAMED                                                               \
	"(p.visibility = 'public' OR (p.visibility = 'members' AND ? = 1))"

static const char *const focal_sql_text[F_FOCAL__MAX] = {
	/* binds: member five times (0/1), the area's id; a column a person
	 * did not show is NULL */
	[F_POINTS_PUBLIC] =
		"SELECT CASE WHEN " FP_NAMED " THEN 1 ELSE 0 END AS named,"
		" CASE WHEN " FP_NAMED " THEN p.name END AS name,"
		" CASE WHEN " FP_NAMED " THEN x.title END AS title,"
		" CASE WHEN " FP_NAMED " AND p.show_country = 1"
		"  THEN p.country END AS country,"
		" CASE WHEN p.visibility <> 'hidden' AND ? = 1"
		"  AND p.show_email = 1 THEN p.email END AS email"
		" FROM focal_area_people x JOIN people p ON p.id = x.person_id"
		" WHERE x.focal_area_id = ? AND p.disabled_at IS NULL"
		" ORDER BY x.since, p.name, p.id",
	/* listed (active or in grace) and public: whom everyone may see in
	 * the directory */
	[F_ORGS] = "SELECT o.slug, o.name, o.acronym, o.country"
		   " FROM organisation_focal_areas ff"
		   " JOIN organisations o ON o.id = ff.organisation_id"
		   " WHERE ff.focal_area_id = ? AND o.visibility = 'public'"
		   " AND o.listed_level_id IS NOT NULL"
		   " ORDER BY o.name_key, o.id",
};

static struct db_sql focal_sql = {"focal", focal_sql_text, F_FOCAL__MAX, 0};

static void
read_failed(struct resp *w)
{
	resp_error(w, 500, _("The page could not be read."));
}

/* The rows of statement s with the area's id bound last (after the
 * nfirst ints of first); NULL on a database error. */
static json_t *
rows_of(struct req *r, enum stmt_focal s, const int64_t *first, int nfirst,
	json_int_t area)
{
	struct db_stmt *st = db_stmt(r->db, &focal_sql, s);

	if (st == NULL)
		return NULL;
	for (int i = 0; i < nfirst; i++)
		db_bind_int(st, i + 1, first[i]);
	db_bind_int(st, nfirst + 1, area);
	return db_all_json(st);
}

static json_int_t
area_id(json_t *area)
{
	return json_integer_value(json_object_get(area, "id"));
}

/* ---- the public pages ---- */

/* GET /focal-points: the areas, the retired ones apart. */
static void
focal_index(struct req *r, struct resp *w)
{
	json_t *current, *retired;

	if (focal_areas_split(r, &current, &retired) != 0)
		return read_failed(w);
	resp_page(w, 200, "focal/templates/focal_index.html", _("Focal points"),
		  json_pack("{s:o,s:o}", "focal_areas", current, "retired",
			    retired));
}

/* Splits the public rows of the focal points into the named ones (each
 * with country_name, and email_href where an address shows) and the count of the others, into area's
 * focal_points, hidden_count and hidden_text. */
static void
add_points(json_t *area, json_t *rows)
{
	json_t *named = json_array(), *row;
	json_int_t hidden = 0;
	struct buf text = BUF_INIT;
	char num[24];
	size_t i;

	json_array_foreach(rows, i, row) {
		if (json_integer_value(json_object_get(row, "named")) != 1) {
			hidden++;
			continue;
		}
		json_object_del(row, "named");
		if (json_is_string(json_object_get(row, "email")))
			json_object_set_new(
				row, "email_href",
				json_sprintf("mailto:%s",
					     json_string_value(json_object_get(
						     row, "email"))));
		json_array_append(named, row);
	}
	countries_name_field(named, "country", "country_name");
	json_object_set_new(area, "focal_points", named);
	json_object_set_new(area, "has_focal_points",
			    json_boolean(json_array_size(rows) > 0));
	json_object_set_new(area, "hidden_count", json_integer(hidden));
	if (hidden > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)hidden);
		i18n_format(
			&text,
			json_array_size(named) > 0
				? _n("and {n} more focal point, whose name "
				     "is not public.",
				     "and {n} more focal points, whose "
				     "names are not public.",
				     (unsigned long)hidden)
				: _n("{n} focal point, whose name is not "
				     "public.",
				     "{n} focal points, whose names are not "
				     "public.",
				     (unsigned long)hidden),
			"n", num, NULL);
		json_object_set_new(area, "hidden_text",
				    json_string(buf_cstr(&text)));
		buf_free(&text);
	}
}

/*
 * GET /focal-points/:slug: the area's text (retired or not), its focal
 * points as each allows the viewer, its public organisations and the
 * sections the modules' focal sources give it (sources.c).  A signed-in viewer's
 * answer depends on who they are (members see more names), so it is
 * personal; a visitor's may come from the page cache.
 */
static void
focal_show(struct req *r, struct resp *w)
{
	json_t *area, *points, *orgs, *sections;
	int member = 0;
	int64_t m[5];

	if (focal_area_or_respond(r, w, req_param(r, "slug"), &area) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (organisations_viewer_is_member(r, &member) < 0) {
		json_decref(area);
		return read_failed(w);
	}
	for (size_t i = 0; i < ARRAY_LEN(m); i++)
		m[i] = member;
	points = rows_of(r, F_POINTS_PUBLIC, m, (int)ARRAY_LEN(m),
			 area_id(area));
	orgs = points ? rows_of(r, F_ORGS, NULL, 0, area_id(area)) : NULL;
	if (orgs == NULL) {
		json_decref(area);
		json_decref(points);
		return read_failed(w);
	}
	if (focal_sections(r, area_id(area), &sections) != 0) {
		json_decref(area);
		json_decref(points);
		json_decref(orgs);
		return read_failed(w);
	}
	add_points(area, points);
	json_decref(points);
	focal_retired_fields(area);
	json_object_set_new(area, "sections", sections);
	countries_name_field(orgs, "country", "country_name");
	json_object_set_new(area, "organisations", orgs);
	json_object_set_new(area, "body_html",
			    render_markdown(json_string_value(
				    json_object_get(area, "body_md"))));
	json_object_del(area, "body_md");
	json_object_del(area, "id");
	resp_page(w, 200, "focal/templates/focal_show.html",
		  json_string_value(json_object_get(area, "name")),
		  json_pack("{s:o}", "area", area));
}

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL

static const struct route focal_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/focal-points",
	 .who = ACCESS_PUBLIC,
	 .handler = focal_index,
	 .summary = "The focal points for areas of work"},
	{.method = HTTP_GET,
	 .pattern = "/focal-points/:slug",
	 .who = ACCESS_PUBLIC,
	 .handler = focal_show,
	 .flags = ROUTE_CLOCK,
	 .summary = "One focal area: its text, its focal points (named as "
		    "each allows), its public member organisations"},
	{.method = HTTP_GET,
	 .pattern = "/admin/focal-points",
	 .who = A,
	 .handler = focal_admin_index,
	 .flags = ROUTE_FORM | P,
	 .summary = "The focal areas and how many focal points each has, "
		    "with the form that adds an area"},
	{.method = HTTP_POST,
	 .pattern = "/admin/focal-points",
	 .who = A,
	 .fields = focal_area_fields,
	 .handler = focal_add,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Adds a focal area (its slug made from its name)"},
	{.method = HTTP_GET,
	 .pattern = "/admin/focal-points/:slug",
	 .who = A,
	 .fields = focal_admin_area_fields,
	 .handler = focal_admin_area,
	 .flags = ROUTE_FORM | P,
	 .summary = "One area's focal points, and people to assign found by "
		    "name or e-mail"},
	{.method = HTTP_POST,
	 .pattern = "/admin/focal-points/:slug/people",
	 .who = A,
	 .fields = focal_assign_fields,
	 .handler = focal_assign,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Assigns a person as a focal point of an area (or changes "
		    "their title and date)"},
	{.method = HTTP_POST,
	 .pattern = "/admin/focal-points/:slug/edit",
	 .who = A,
	 .fields = focal_area_fields,
	 .handler = focal_edit,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Renames a focal area or changes its texts (the slug "
		    "stays)"},
	{.method = HTTP_POST,
	 .pattern = "/admin/focal-points/:slug/retire",
	 .who = A,
	 .handler = focal_retire,
	 .flags = P,
	 .summary = "Retires a focal area: its page and history stay, it is "
		    "no longer offered for new links"},
	{.method = HTTP_POST,
	 .pattern = "/admin/focal-points/:slug/restore",
	 .who = A,
	 .handler = focal_restore,
	 .flags = P,
	 .summary = "Brings a retired focal area back"},
	{.method = HTTP_POST,
	 .pattern = "/admin/focal-points/:slug/people/:id/remove",
	 .who = A,
	 .handler = focal_remove,
	 .flags = P,
	 .summary = "Removes a focal point from an area"},
};

static const struct menu_entry focal_nav[] = {
	{.path = "/focal-points", .label = N_("Focal points"), .order = 40},
};

static const struct menu_entry focal_admin_menu[] = {
	{"/admin/focal-points", N_("Focal points"), 85},
};

static struct db_sql *const focal_sqls[] = {&focal_areas_sql,
					      &focal_admin_sql, NULL};

const struct module focal_module = {
	.name = "focal",
	.routes = focal_routes,
	.nroutes = ARRAY_LEN(focal_routes),
	.sql = &focal_sql,
	.sqls = focal_sqls,
	.nav = focal_nav,
	.nnav = ARRAY_LEN(focal_nav),
	.admin_menu = focal_admin_menu,
	.nadmin_menu = ARRAY_LEN(focal_admin_menu),
	.assemble = focal_assemble,
};
