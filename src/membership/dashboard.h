/*
 * dashboard.h -- the secretariat's membership dashboard (issue 4, point 9):
 * GET /admin/membership, members by level, by state and by country,
 * renewals due, applications waiting, new pledges, and membership over the
 * last 24 months as a chart drawn on the server.
 *
 * The chart is SVG text built in C by dashboard_chart_svg(), a pure
 * function: every label it writes goes through esc_html(), and numbers are
 * formatted by printf, so its output is safe to insert into the page
 * unescaped ({{raw chart_svg}} in dashboard.html).  Nothing else may be
 * inserted raw on that page.
 */
#ifndef ALLIANCE_MEMBERSHIP_DASHBOARD_H
#define ALLIANCE_MEMBERSHIP_DASHBOARD_H

#include <stddef.h>
#include <stdint.h>

#include "core/http.h"
#include "core/util.h"

extern const struct module dashboard_module;

/* One bar of the chart: its label on the x axis and its value (>= 0;
 * negative values are drawn as 0). */
struct chart_point {
	const char *label;
	int64_t value;
};

/* Geometry of the chart, in SVG user units (the viewBox). */
#define CHART_WIDTH 720
#define CHART_HEIGHT 260
#define CHART_LEFT 48   /* room for the y axis labels */
#define CHART_RIGHT 32  /* room for half the last x label */
#define CHART_TOP 12
#define CHART_BOTTOM 40 /* room for the x axis labels */

/* The smallest of 1, 2, 5 times a power of ten that is >= max (1 for
 * max <= 0): the top of the y axis. */
int64_t dashboard_chart_top(int64_t max);

/*
 * Appends to out an accessible bar chart of the n points: <svg
 * role="img" aria-labelledby> with a <title> (title) and a <desc> (desc),
 * the y axis (0, the middle when it is a whole number, the top), one
 * <rect class="chart-bar"> per point (zero-height for 0, each with a
 * <title> "label: value"), and the x labels (every label when n <= 12,
 * otherwise every third counted back from the last).  id prefixes the
 * ids of the title and the description, so two charts can share a
 * page.  Every text (title, desc, id, labels) is escaped here; the
 * result is HTML-safe.
 * Nothing is allocated but out's growth; never fails.  With n == 0 the
 * chart has axes and no bars.
 */
void dashboard_chart_svg(struct buf *out, const char *id, const char *title,
			 const char *desc, const struct chart_point *pts,
			 size_t n);

#endif
