/*
 * applications_int.h -- what the applications files share: Join
 * (join.c), applying for membership, and the secretariat's review of the
 * applications (review.c).
 *
 * An applicant picks a level at /join, fills in the form of that level and
 * sends it: the application is stored (status "submitted") with an audit
 * record, the applicant gets a receipt and the secretariat a notice, all
 * in one transaction.  The secretariat reviews it at
 * /admin/applications/:id, sees possible duplicates, and approves it (the
 * organisation or person, the membership, the representatives and their
 * invitations), rejects it with a reason, or asks a question, which the
 * applicant answers on a page the question's e-mail links to (answer.c,
 * messages.h).
 */
#ifndef ALLIANCE_APPLICATIONS_INT_H
#define ALLIANCE_APPLICATIONS_INT_H

#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "applications/applications.h"

/*
 * The organisation's main fields of an application, as the Join form
 * declares them and the answer page (answer.c) takes their corrections:
 * one list, so both check them alike.  "country" is an individual's too.
 */
#define JOIN_ORG_FIELDS                                                     \
	{.name = "org_name", .type = FT_TEXT, .maxlen = 200,                \
	 .label = N_("Organisation name")},                                     \
	{.name = "org_acronym", .type = FT_TEXT, .maxlen = 30,              \
	 .label = N_("Acronym")},                                               \
	{.name = "country", .type = FT_COUNTRY, .label = N_("Country")},        \
	{.name = "org_website", .type = FT_URL, .maxlen = 300,              \
	 .label = N_("Website")},                                               \
	{.name = "org_description", .type = FT_TEXTAREA, .maxlen = 5000,    \
	 .label = N_("What your organisation does")},                           \
	{.name = "org_contact_address", .type = FT_TEXTAREA, .maxlen = 1000, \
	 .label = N_("Postal address")}

/*
 * One application as its pages show it, or json null when there is none
 * (NULL on error): {application (the row with its times as _iso/_text
 * and status_label), representatives [{name, email, un_post, un_rank,
 * main_contact}], focal_areas [{slug, name}], is_org, open}.  A new
 * object.  (review.c; the answer page shows the same.)
 */
json_t *review_application_view(struct req *r, int64_t id);


/* The name an application was made for: the organisation's, or the
 * applicant's own.  Borrowed from app.  (applications.c) */
const char *applications_subject(json_t *app);

/*
 * answer.c: the documents sent with answers on applications the
 * secretariat turned down go a year after its decision
 * (REJECTED_DOCUMENTS_KEPT; the privacy policy says so, 0052): the hourly
 * maintenance step clears their columns, the message stays, and the
 * upload store's sweep removes the file once no row names it.  The
 * number of documents removed, or -1.
 */
#define REJECTED_DOCUMENTS_KEPT (365 * 86400LL)
extern struct db_sql answer_sql;
int64_t answer_documents_retention_run(struct db *db, int64_t now);

#endif
