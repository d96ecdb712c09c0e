/*
 * render.h -- turning view models into HTML pages.
 *
 * At start-up every embedded template (<module>/templates/NAME.html) is
 * compiled into one set; a template that does not compile stops the start
 * with its error.  A page is its template rendered with the handler's
 * model, then placed in the layout with the keys the application's chrome
 * function adds (site name, navigation).  The core knows no feature: the
 * application names the layout, the error template and the chrome.
 *
 * Development mode (render_init_source instead of render_init) reads the
 * templates from the source tree and compiles them again whenever one
 * changes; a template that does not compile then makes every page a 500
 * that says where and why, until it is mended.
 */
#ifndef ALLIANCE_RENDER_H
#define ALLIANCE_RENDER_H

#include <jansson.h>
#include <time.h>

#include "http.h"
#include "util.h"

/* Compiles the embedded templates. 0, or -1 with the first error. */
int render_init(char *err, size_t errlen);

/*
 * Development mode: templates come from dir/<module>/templates/NAME.html (dir
 * being the tree's src folder), looked at again before each page and
 * compiled again when a file was added, removed or changed.  Call once at
 * start-up, after render_configure, instead of render_init.  0, or -1 with
 * a message when dir cannot be read or holds no templates or no layout.  A
 * template that does not compile is not an error here: it is logged and
 * shown on the pages until it is mended.
 */
int render_init_source(const char *dir, char *err, size_t errlen);
/* The folder templates are read from, or NULL for the embedded ones. */
const char *render_source_dir(void);
/* Appends to out the HTML page that shows a template error from the
 * source folder; error is text, escaped here. */
void render_source_error_page(struct buf *out, const char *error);

/* Adds to model the keys the layout needs for request r. */
typedef void (*render_chrome_fn)(const struct req *r, json_t *model);
void render_configure(const char *layout, const char *error_template,
		      render_chrome_fn chrome);
const char *render_error_template(void);

/* render_page's answer in development mode when the templates on disk do
 * not compile: out then holds the page that says so (a 500). */
#define RENDER_SOURCE_ERROR (-2)

/* Renders template tmpl with model into a full page (layout around it).
 * The model gains the keys "title" and "content" and the chrome's keys.
 * 0, -1 (logged), or RENDER_SOURCE_ERROR. */
int render_page(const struct req *r, const char *tmpl, const char *title,
		json_t *model, struct buf *out);

/* Renders one template alone. 0 or -1. */
int render_template(const char *tmpl, json_t *model, struct buf *out);

/* For each row object of rows whose key holds unix seconds, adds
 * key_iso ("2026-11-29T06:20:00Z") and key_text ("29 Nov 2026, 06:20
 * UTC", the month in the current language: render_time_text) for
 * templates. */
void render_add_times(json_t *rows, const char *key);
/* The same for one object. */
void render_add_time(json_t *row, const char *key);
/* tm (UTC) as "29 Nov 2026, 06:20 UTC" into out[0..len) (80 bytes is
 * always enough), the month's name in the current language (i18n.h). */
void render_time_text(const struct tm *tm, char *out, size_t len);
/* A day 'YYYY-MM-DD' as "31 Dec 2026" into out[0..len) (32 bytes is
 * always enough), the month in the current language; ymd itself when it
 * is not such a day ("" for NULL). */
void render_day_text(const char *ymd, char *out, size_t len);

/* Markdown to safe HTML (no raw HTML, no javascript: links): a new JSON
 * string. md may be NULL (empty result). */
json_t *render_markdown(const char *md);

#endif
