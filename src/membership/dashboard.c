/*
 * dashboard.c -- see dashboard.h.  GET /admin/membership, for the
 * secretariat (ACCESS_ADMIN, personal).
 *
 * The page runs five statements whatever the data: the scalar counts
 * (renewals due, applications waiting, new pledges, members) in one; the
 * members by level; by state (every state, zeros included, from a VALUES
 * list); by country (every country with a member -- at most the ~250
 * codes -- of which C keeps the first 15 and adds the rest up as
 * "Others"); and membership over the last 24 months in one statement
 * with a recursive CTE of months.
 *
 * "Members" are memberships in state active or grace.  The history is
 * read from the memberships' periods: a membership counts at the end of a
 * month when it had begun -- the earlier of its period_start and the day
 * its row was made, since a renewal replaces period_start with the next
 * period's (an early renewal's lies in the future) -- and the month's end
 * is no later than its period_end plus its level's grace days; pending
 * memberships never count, cancelled ones only before they were
 * cancelled (state_since).  A membership that lapsed and was renewed
 * later counts through its gap too: the periods before the latest are
 * not kept.  The date modifiers of
 * that statement (date(x, '+1 month') ...) are SQLite's; a PostgreSQL
 * backend would translate that one statement.
 */
#include "dashboard.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "core/clock.h"
#include "core/countries.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/util.h"
#include "membership/membership.h"
#include "membership/period.h"
#include "membership/states.h"

#define CHART_MONTHS 24
#define TOP_COUNTRIES 15

enum stmt_dashboard {
	D_COUNTS,
	D_BY_LEVEL,
	D_BY_STATE,
	D_BY_COUNTRY,
	D_MONTHS,
	D__MAX,
};

static const char *const dashboard_sql_text[D__MAX] = {
	/* binds: the last day of "due" (today + 30 days); the same rows as
	 * /admin/memberships?state=active&due=1 */
	[D_COUNTS] =
		"SELECT"
		" (SELECT count(*) FROM memberships WHERE state = 'active'"
		"  AND period_end <= ?) AS renewals_due,"
		" (SELECT count(*) FROM applications WHERE status = 'submitted')"
		"  AS applications_submitted,"
		" (SELECT count(*) FROM applications WHERE status = 'more-info')"
		"  AS applications_more_info,"
		" (SELECT count(*) FROM pledges WHERE status = 'new')"
		"  AS pledges_new,"
		" (SELECT count(*) FROM memberships"
		"  WHERE state IN ('active', 'grace')) AS members",
	[D_BY_LEVEL] =
		"SELECT l.slug, l.name, count(m.id) AS members"
		" FROM membership_levels l LEFT JOIN memberships m"
		" ON m.level_id = l.id AND m.state IN ('active', 'grace')"
		" GROUP BY l.id, l.slug, l.name, l.position ORDER BY l.position",
	[D_BY_STATE] =
		"WITH s (state, pos) AS (VALUES ('active', 1), ('grace', 2),"
		" ('pending', 3), ('lapsed', 4), ('cancelled', 5))"
		" SELECT s.state, count(m.id) AS members"
		" FROM s LEFT JOIN memberships m ON m.state = s.state"
		" GROUP BY s.state, s.pos ORDER BY s.pos",
	/* an organisation's country, or an individual member's own */
	[D_BY_COUNTRY] =
		"SELECT coalesce(o.country, p.country) AS country,"
		" count(*) AS members FROM memberships m"
		" LEFT JOIN organisations o ON o.id = m.organisation_id"
		" LEFT JOIN people p ON p.id = m.person_id"
		" WHERE m.state IN ('active', 'grace')"
		" GROUP BY coalesce(o.country, p.country)"
		" ORDER BY members DESC, country",
	/* D_MONTHS: date arithmetic has no words both share; each backend
	 * has its own (below). */
};

static struct db_sql dashboard_sql = {"members-dashboard", dashboard_sql_text,
				      D__MAX, 0};

/* The backends' own versions (db_register_variant). */
static const char *const dashboard_sql_text_sqlite[D__MAX] = {
	/* binds: today.  One row per month, oldest first: month (YYYY-MM),
	 * the day counted (the month's last day, today for this month) and
	 * the memberships active or in grace that day.  Both CTEs are
	 * materialised so that the date arithmetic runs once per month and
	 * once per membership, not once per pair; memberships with the same
	 * dates are counted together (calendar periods share theirs), so the
	 * join is 24 x (distinct periods), not 24 x memberships. */
	[D_MONTHS] =
		"WITH RECURSIVE months (n, first) AS ("
		"  SELECT 0, date(?1, 'start of month', '-23 months')"
		"  UNION ALL SELECT n + 1, date(first, '+1 month') FROM months"
		"  WHERE n < 23),"
		" ends (n, month, day) AS MATERIALIZED (SELECT n,"
		"  substr(first, 1, 7), min(date(first, '+1 month', '-1 day'), "
		"?1)"
		"  FROM months),"
		" ms AS MATERIALIZED (SELECT min(m.period_start,"
		"  date(m.created_at, 'unixepoch')) AS since,"
		"  date(m.period_end, '+' || l.grace_days || ' days') AS until,"
		"  CASE WHEN m.state = 'cancelled' THEN m.state_since END"
		"   AS cancelled, count(*) AS k"
		"  FROM memberships m JOIN membership_levels l ON l.id = "
		"m.level_id"
		"  WHERE m.state <> 'pending' GROUP BY 1, 2, 3)"
		" SELECT e.month, e.day, coalesce(sum(ms.k), 0) AS members"
		" FROM ends e LEFT JOIN ms ON ms.since <= e.day"
		"  AND e.day <= ms.until"
		"  AND (ms.cancelled IS NULL OR e.day < ms.cancelled)"
		" GROUP BY e.n, e.month, e.day ORDER BY e.n",
};

/* PostgreSQL: the same rows, the days as 'YYYY-MM-DD' text as SQLite's
 * date() writes them, so the comparisons with period_start, period_end
 * and state_since (text) are the same. */
static const char *const dashboard_sql_text_pg[D__MAX] = {
	[D_MONTHS] =
		"WITH ends (n, month, day) AS MATERIALIZED (SELECT n,"
		"  to_char(first, 'YYYY-MM'),"
		"  to_char(least(first + interval '1 month' - interval '1 day',"
		"   CAST(?1 AS date)), 'YYYY-MM-DD')"
		"  FROM (SELECT n, date_trunc('month', CAST(?1 AS date))"
		"   - make_interval(months => 23 - n) AS first"
		"   FROM generate_series(0, 23) AS n) AS g),"
		" ms AS MATERIALIZED (SELECT least(m.period_start,"
		"  to_char(to_timestamp(m.created_at) AT TIME ZONE 'UTC',"
		"   'YYYY-MM-DD')) AS since,"
		"  to_char(CAST(m.period_end AS date) + CAST(l.grace_days AS "
		"integer),"
		"   'YYYY-MM-DD') AS until,"
		"  CASE WHEN m.state = 'cancelled' THEN m.state_since END"
		"   AS cancelled, count(*) AS k"
		"  FROM memberships m JOIN membership_levels l ON l.id = "
		"m.level_id"
		"  WHERE m.state <> 'pending' GROUP BY 1, 2, 3)"
		" SELECT e.month, e.day, coalesce(sum(ms.k), 0) AS members"
		" FROM ends e LEFT JOIN ms ON ms.since <= e.day"
		"  AND e.day <= ms.until"
		"  AND (ms.cancelled IS NULL OR e.day < ms.cancelled)"
		" GROUP BY e.n, e.month, e.day ORDER BY e.n",
};

/* ---- the chart: pure, no I/O ---- */

int64_t
dashboard_chart_top(int64_t max)
{
	int64_t p = 1;

	if (max <= 1)
		return 1;
	for (;;) {
		if (max <= p)
			return p;
		if (max <= 2 * p)
			return 2 * p;
		if (max <= 5 * p)
			return 5 * p;
		if (p > INT64_MAX / 100)
			return max;
		p *= 10;
	}
}

static void
put_escaped(struct buf *out, const char *s)
{
	if (s)
		esc_html(out, s, strlen(s));
}

/* One y axis tick: a grid line and its label at value v of top. */
static void
chart_tick(struct buf *out, int64_t v, int64_t top)
{
	double plot_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM;
	double y = CHART_TOP + plot_h - (double)v / (double)top * plot_h;

	buf_printf(out,
		   "<line class=\"chart-grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\""
		   " y2=\"%.1f\"/>"
		   "<text class=\"chart-label\" x=\"%d\" y=\"%.1f\""
		   " text-anchor=\"end\">%" PRId64 "</text>\n",
		   CHART_LEFT, y, CHART_WIDTH - CHART_RIGHT, y, CHART_LEFT - 6,
		   y + 4, v);
}

void
dashboard_chart_svg(struct buf *out, const char *id, const char *title,
		    const char *desc, const struct chart_point *pts, size_t n)
{
	double plot_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT;
	double plot_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM;
	double base = CHART_TOP + plot_h;
	double slot = n ? plot_w / (double)n : plot_w;
	size_t every = n <= 12 ? 1 : 3;
	int64_t max = 0, top;

	for (size_t i = 0; i < n; i++)
		if (pts[i].value > max)
			max = pts[i].value;
	top = dashboard_chart_top(max);

	buf_printf(out,
		   "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\""
		   " aria-labelledby=\"",
		   CHART_WIDTH, CHART_HEIGHT);
	put_escaped(out, id);
	buf_puts(out, "-title ");
	put_escaped(out, id);
	buf_puts(out, "-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"");
	put_escaped(out, id);
	buf_puts(out, "-title\">");
	put_escaped(out, title);
	buf_puts(out, "</title>\n<desc id=\"");
	put_escaped(out, id);
	buf_puts(out, "-desc\">");
	put_escaped(out, desc);
	buf_puts(out, "</desc>\n");

	/* the y axis: 0, the middle when it is whole, the top */
	chart_tick(out, 0, top);
	if (top % 2 == 0)
		chart_tick(out, top / 2, top);
	chart_tick(out, top, top);
	buf_printf(out,
		   "<line class=\"chart-axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\""
		   " y2=\"%.1f\"/>\n",
		   CHART_LEFT, base, CHART_WIDTH - CHART_RIGHT, base);

	/* one bar per point, 70% of its slot, centred */
	for (size_t i = 0; i < n; i++) {
		int64_t v = pts[i].value > 0 ? pts[i].value : 0;
		double h = (double)v / (double)top * plot_h;
		double x = CHART_LEFT + (double)i * slot + slot * 0.15;

		buf_printf(out,
			   "<rect class=\"chart-bar\" x=\"%.1f\" y=\"%.1f\""
			   " width=\"%.1f\" height=\"%.1f\"><title>",
			   x, base - h, slot * 0.7, h);
		put_escaped(out, pts[i].label);
		buf_printf(out, ": %" PRId64 "</title></rect>\n", v);
	}

	/* the x labels: all of them when they fit, else every third
	 * counted back from the last, so the last is always labelled */
	for (size_t i = 0; i < n; i++) {
		if ((n - 1 - i) % every != 0)
			continue;
		buf_printf(out,
			   "<text class=\"chart-label\" x=\"%.1f\" y=\"%.1f\""
			   " text-anchor=\"middle\">",
			   CHART_LEFT + ((double)i + 0.5) * slot, base + 18.0);
		put_escaped(out, pts[i].label);
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</svg>");
}

/* ---- the page ---- */

/* The months' short names: core/render.c's msgids, translated where
 * shown. */
static const char *const month_names[12] = {
	N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
	N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
};

/* "2026-03" -> "Mar 2026" in out (at least 48 bytes: the month's name is
 * translated); the text itself when it is not a month. */
static void
month_label(const char *ym, char *out, size_t len)
{
	int y, m;

	if (ym && sscanf(ym, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12)
		snprintf(out, len, "%s %04d", _(month_names[m - 1]),
			 y);
	else
		snprintf(out, len, "%s", ym ? ym : "");
}

/* Runs statement idx of the dashboard (binding text to ?1 when not NULL):
 * its rows, or NULL on error (logged). */
static json_t *
rows_of(struct db *db, enum stmt_dashboard idx, const char *text)
{
	struct db_stmt *st = db_stmt(db, &dashboard_sql, idx);

	if (st == NULL)
		return NULL;
	if (text)
		db_bind_text(st, 1, text);
	return db_all_json(st);
}

/* The first TOP_COUNTRIES rows of by_country, then the rest added up as
 * one row "Others"; rows without a country are "Not given"; each with
 * country_name for people.  Takes rows, returns the new array. */
static json_t *
top_countries(json_t *rows)
{
	json_t *out = json_array(), *row;
	json_int_t others = 0;
	size_t i;

	json_array_foreach (rows, i, row) {
		json_int_t n = json_integer_value(json_object_get(row, "members"));

		if (i >= TOP_COUNTRIES) {
			others += n;
			continue;
		}
		if (!json_is_string(json_object_get(row, "country")))
			json_object_set_new(row, "country",
					    json_string(_("Not given")));
		json_array_append(out, row);
	}
	if (json_array_size(rows) > TOP_COUNTRIES)
		json_array_append_new(out, json_pack("{s:s,s:I,s:b}", "country",
						     _("Others"), "members",
						     others, "others", 1));
	json_decref(rows);
	/* the country's name in the reader's language beside its code (the
	 * words of "Not given" and "Others" are their own names) */
	countries_name_field(out, "country", "country_name");
	return out;
}

/* The months with their labels, and the chart drawn from them: sets
 * "chart_svg" (HTML) on model unless json.  Borrows months. */
static void
add_chart(json_t *model, json_t *months, int json)
{
	struct chart_point pts[CHART_MONTHS];
	char labels[CHART_MONTHS][48];
	struct buf svg = BUF_INIT;
	json_t *row;
	size_t i, n = 0;

	json_array_foreach (months, i, row) {
		if (n == CHART_MONTHS)
			break;
		month_label(json_string_value(json_object_get(row, "month")),
			    labels[n], sizeof(labels[n]));
		json_object_set_new(row, "label", json_string(labels[n]));
		pts[n].label = labels[n];
		pts[n].value = json_integer_value(json_object_get(row, "members"));
		n++;
	}
	if (json)
		return;
	dashboard_chart_svg(
		&svg, "membership-chart", _("Members over the last 24 months"),
		_("Memberships active or in grace at the end of "
		  "each month, oldest first; the last bar is today. "
		  "The same numbers are in the table below."),
		pts, n);
	json_object_set_new(model, "chart_svg", json_string(buf_cstr(&svg)));
	buf_free(&svg);
}

/* GET /admin/membership */
static void
dashboard(struct req *r, struct resp *w)
{
	struct period_date d;
	char today[11], due[11];
	time_t t = (time_t)clock_now();
	struct tm tm;
	json_t *counts = NULL, *levels = NULL, *states = NULL,
	       *countries = NULL, *months = NULL, *model;

	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	period_parse(today, &d);
	period_format(period_add_days(d, 30), due);

	counts = rows_of(r->db, D_COUNTS, due);
	if (counts)
		levels = rows_of(r->db, D_BY_LEVEL, NULL);
	if (levels)
		states = rows_of(r->db, D_BY_STATE, NULL);
	if (states)
		countries = rows_of(r->db, D_BY_COUNTRY, NULL);
	if (countries)
		months = rows_of(r->db, D_MONTHS, today);
	if (months == NULL || json_array_size(counts) != 1) {
		json_decref(counts);
		json_decref(levels);
		json_decref(states);
		json_decref(countries);
		json_decref(months);
		resp_error(w, 500,
			   _("Something went wrong on our side: the "
			     "membership dashboard could not be read."));
		return;
	}
	{
		json_t *c = json_array_get(counts, 0), *row;
		size_t i;

		json_array_foreach(states, i, row)
			json_object_set_new(
				row, "state_label",
				json_string(states_label(json_string_value(
					json_object_get(row, "state")))));

		json_object_set_new(
			c, "applications_waiting",
			json_integer(json_integer_value(json_object_get(
					     c, "applications_submitted")) +
				     json_integer_value(json_object_get(
					     c, "applications_more_info"))));
		model = json_pack("{s:O,s:o,s:o,s:o,s:o,s:s,s:s}", "counts", c,
				  "by_level", levels, "by_state", states,
				  "by_country", top_countries(countries),
				  "months", months, "today", today, "due_until",
				  due);
		json_decref(counts);
	}
	add_chart(model, months, r->want_json);
	admin_secretariat_page(r, w, 200, "membership/templates/dashboard.html",
			       _("Membership dashboard"), "/admin/membership",
			       model);
}

static const struct route dashboard_routes[] = {
	{.method = HTTP_GET, .pattern = "/admin/membership",
	 .who = ACCESS_ADMIN, .handler = dashboard, .flags = ROUTE_PERSONAL,
	 .summary = "Membership dashboard: members by level, state and "
		    "country, renewals due, applications and pledges "
		    "waiting, 24 months"},
};

/* Each backend's own text of the statements that differ. */
static void
dashboard_init(void)
{
	db_register_variant(&dashboard_sql, "sqlite", dashboard_sql_text_sqlite);
	db_register_variant(&dashboard_sql, "pg", dashboard_sql_text_pg);
}

/* Its entries in the secretariat's menu (admin/menu.c). */
static const struct menu_entry dashboard_menu[] = {
	{"/admin/membership", N_("Membership dashboard"), 10},
};

const struct module dashboard_module = {
	.name = "members-dashboard",
	.routes = dashboard_routes,
	.nroutes = ARRAY_LEN(dashboard_routes),
	.sql = &dashboard_sql,
	.init = dashboard_init,
	.admin_menu = dashboard_menu,
	.nadmin_menu = ARRAY_LEN(dashboard_menu),
};
