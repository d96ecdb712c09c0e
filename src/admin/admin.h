/*
 * admin.h -- the secretariat's pages: the dashboard, people and their
 * roles, the mail outbox, the audit log and the contact messages.  Every
 * route is for administrators only (admin.c).  Also the one menu of every
 * secretariat page and the overview's tiles of work waiting, built from
 * what the modules declare (menu.c).
 */
#ifndef ALLIANCE_ADMIN_H
#define ALLIANCE_ADMIN_H

#include "core/http.h"

extern const struct module admin_module;

/* The admin module's assemble hook: builds the secretariat's menu and
 * the overview's tiles of work waiting from the admin_menu and
 * admin_tiles of mods (every module), once, before the server starts. */
void admin_assemble(const struct module *const *mods, size_t nmods);

/*
 * Answers with a page of the secretariat: personal, and for people (not
 * JSON clients) with the secretariat's menu in the model (admin_nav, read
 * by the partial admin/templates/nav.html that every secretariat page
 * includes), the entry at current -- or, when NULL, at the request's
 * path -- marked.  Takes model.
 */
void admin_secretariat_page(const struct req *r, struct resp *w, int status,
			    const char *tmpl, const char *title,
			    const char *current, json_t *model);

/* The overview's tiles with their counts now, [{label, href, count}] (a
 * new array), or NULL when a count could not be read.  For admin.c. */
json_t *admin_tiles(struct req *r);

#endif
