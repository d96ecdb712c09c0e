/*
 * app.c -- see app.h.  The order of app_modules is the order of route
 * precedence.
 */
#include "app.h"

#include <string.h>

#include "accounts/accounts.h"
#include "accounts/cli.h"
#include "admin/admin.h"
#include "contact/contact.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/ratelimit.h"
#include "core/db.h"
#include "core/maintenance.h"
#include "core/jobs.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/search.h"
#include "core/static.h"
#include "core/util.h"
#include "members/answer.h"
#include "members/approve.h"
#include "members/cancel.h"
#include "members/dashboard.h"
#include "members/directory.h"
#include "members/import.h"
#include "members/join.h"
#include "members/levels.h"
#include "members/manage.h"
#include "members/pledges.h"
#include "members/renew.h"
#include "members/states.h"
#include "site/site.h"

const struct module *const app_modules[] = {
	&core_module,
	&site_module,
	&contact_module,
	&accounts_signup_module,
	&accounts_signin_module,
	&accounts_settings_module,
	&accounts_sessions_module,
	&accounts_profile_module,
	&admin_module,
	&levels_module,
	&pledges_module,
	&directory_module,
	&manage_module,
	&representatives_module,
	&answer_module, /* before join's /join/:level */
	&join_module, &review_module,
	&cancel_module, /* before renew's /renew/:id */
	&renew_module,
	&import_module,
	&dashboard_module,
};
const size_t app_nmodules = ARRAY_LEN(app_modules);

void
app_init(const char *site_name)
{
	for (size_t i = 0; i < app_nmodules; i++)
		if (app_modules[i]->sql)
			db_register(app_modules[i]->sql);
	db_register(&accounts_sql);
	db_register(&approve_sql);
	db_register(&search_sql);
	db_register(&mail_sql);
	db_register(&jobs_sql);
	mail_init();
	db_register(&auth_sql);
	db_register(&audit_sql);
	db_register(&ratelimit_sql);
	db_register(&accounts_cli_sql);
	db_register(&maintenance_sql);
	maintenance_init();
	contact_init();
	db_register(&states_sql);
	members_states_init();
	members_manage_init();
	admin_init(app_modules, app_nmodules);
	site_set_name(site_name);
	render_configure("site/templates/layout.html",
			 "site/templates/error.html", site_chrome);
}
