/*
 * app.c -- see app.h.  The order of app_modules is the order of route
 * precedence, of statement registration and of the init calls.
 */
#include "app.h"

#include "accounts/accounts.h"
#include "admin/admin.h"
#include "applications/applications.h"
#include "contact/contact.h"
#include "core/db.h"
#include "core/jobs.h"
#include "core/static.h"
#include "core/uploads.h"
#include "core/util.h"
#include "calendar/calendar.h"
#include "focal/focal.h"
#include "membership/membership.h"
#include "organisations/organisations.h"
#include "parties/parties.h"
#include "site/site.h"
#include "sponsorship/sponsorship.h"
#include "statements/statements.h"
#include "updates/updates.h"

const struct module *const app_modules[] = {
	&core_module,
	&site_module,
	&contact_module,
	&accounts_signup_module,
	&accounts_signin_module,
	&accounts_settings_module,
	&accounts_sessions_module,
	&accounts_profile_module,
	&accounts_language_module,
	&admin_module,
	&accounts_people_module,
	&accounts_invite_module,
	&levels_module,
	&tiers_module, /* the tiers' admin routes, after the levels' */
	&pledges_module,
	&directory_module,
	&manage_module,
	&representatives_module,
	&answer_module, /* before join's /join/:level */
	&join_module,
	&review_module,
	&cancel_module, /* before renew's /renew/:id */
	&renew_module,
	&import_module,
	&desk_module,
	&organisations_people_module,
	&dashboard_module,
	&states_module,
	&updates_module,
	&updates_admin_module,
	&parties_module, /* above organisations: the viewer's rights */
	&party_team_module,
	&party_meetings_module,
	&party_resources_module,
	&party_decisions_module,
	&party_reports_module,
	&party_articles_module,
	&party_focal_module, /* its section of a focal area's page */
	&calendar_module, /* views; after the parties, their meetings */
	&calendar_desk_module,
	&calendar_desk_occurrence_module,
	&calendar_registration_module,
	&calendar_parties_module,
	&calendar_feeds_module,
	&calendar_import_module,
	&calendar_minutes_module,
	&calendar_documents_module,
	&statements_module, /* after organisations, parties */
	&statements_admin_module,
	&statements_drafting_module,
	&focal_module, /* above organisations and parties */
};
const size_t app_nmodules = ARRAY_LEN(app_modules);

void
app_init(void)
{
	for (size_t i = 0; i < app_nmodules; i++) {
		const struct module *m = app_modules[i];

		if (m->sql)
			db_register(m->sql);
		for (struct db_sql *const *t = m->sqls; t && *t; t++)
			db_register(*t);
		for (const struct module_job *const *j = m->jobs; j && *j; j++)
			jobs_register(*j);
		for (const struct upload_column *u = m->uploads; u && u->table;
		     u++)
			uploads_add_column(u->table, u->column);
	}
	for (size_t i = 0; i < app_nmodules; i++)
		if (app_modules[i]->init)
			app_modules[i]->init();
	/* the tables built from every module's declarations: the
	 * secretariat's menu and overview, the navigation, the search */
	for (size_t i = 0; i < app_nmodules; i++)
		if (app_modules[i]->assemble)
			app_modules[i]->assemble(app_modules, app_nmodules);
}
