/*
 * render.h -- turning view models into HTML pages.
 *
 * At start-up every embedded template (<module>/templates/NAME.html) is
 * compiled into one set; a template that does not compile stops the start
 * with its error.  A page is its template rendered with the handler's
 * model, then placed in the layout with the keys the application's chrome
 * function adds (site name, navigation).  The core knows no feature: the
 * application names the layout, the error template and the chrome.
 */
#ifndef ALLIANCE_RENDER_H
#define ALLIANCE_RENDER_H

#include <jansson.h>

#include "http.h"
#include "util.h"

/* Compiles the embedded templates. 0, or -1 with the first error. */
int render_init(char *err, size_t errlen);

/* Adds to model the keys the layout needs for request r. */
typedef void (*render_chrome_fn)(const struct req *r, json_t *model);
void render_configure(const char *layout, const char *error_template,
		      render_chrome_fn chrome);
const char *render_error_template(void);

/* Renders template tmpl with model into a full page (layout around it).
 * The model gains the keys "title" and "content" and the chrome's keys.
 * 0, or -1 (logged). */
int render_page(const struct req *r, const char *tmpl, const char *title,
		json_t *model, struct buf *out);

/* Renders one template alone. 0 or -1. */
int render_template(const char *tmpl, json_t *model, struct buf *out);

/* For each row object of rows whose key holds unix seconds, adds
 * key_iso ("2026-11-29T06:20:00Z") and key_text ("29 Nov 2026, 06:20
 * UTC") for templates. */
void render_add_times(json_t *rows, const char *key);

/* Markdown to safe HTML (no raw HTML, no javascript: links): a new JSON
 * string. md may be NULL (empty result). */
json_t *render_markdown(const char *md);

#endif
