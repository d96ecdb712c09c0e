/*
 * site.h -- the site shell: home, About, Privacy and other Markdown pages,
 * the focal points, the intergovernmental bodies, site search, and the
 * chrome (navigation) of every page.
 */
#ifndef ALLIANCE_SITE_H
#define ALLIANCE_SITE_H

#include <jansson.h>

#include "core/http.h"

extern const struct module site_module;

void site_set_name(const char *name);
/* Adds site {name, tagline} and nav to a page model (render_chrome_fn). */
void site_chrome(const struct req *r, json_t *model);

#endif
