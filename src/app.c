/*
 * app.c -- see app.h.  The order of app_modules is the order of route
 * precedence.
 */
#include "app.h"

#include <string.h>

#include "contact/contact.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/render.h"
#include "core/search.h"
#include "core/static.h"
#include "core/util.h"
#include "site/site.h"

const struct module *const app_modules[] = {
	&core_module,
	&site_module,
	&contact_module,
};
const size_t app_nmodules = ARRAY_LEN(app_modules);

void
app_init(const char *site_name)
{
	for (size_t i = 0; i < app_nmodules; i++)
		if (app_modules[i]->sql)
			db_register(app_modules[i]->sql);
	db_register(&search_sql);
	db_register(&auth_sql);
	site_set_name(site_name);
	render_configure("site/templates/layout.html",
			 "site/templates/error.html", site_chrome);
}
