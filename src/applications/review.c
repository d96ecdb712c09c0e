/*
 * review.c -- the secretariat's review of membership applications:
 * the queue (GET /admin/applications), one application with its possible
 * duplicates and the three decisions (GET /admin/applications/:id), and
 * the decisions themselves: approve, reject with a reason, ask a question.
 *
 * Every route is ACCESS_ADMIN and personal.  Possible duplicates are
 * computed when the reviewer opens an application, with a fixed number of
 * bounded statements and bound values only: organisations whose folded
 * name (fold_text) or e-mail domain is the applicant's, organisations
 * whose website has the same host, and the other open applications (the
 * newest PENDING_SCAN of them, compared in C since applications keep no
 * folded name).  Addresses at common mail providers say nothing about an
 * organisation, so their domain is not compared.
 *
 * Each decision is one write transaction (BEGIN IMMEDIATE) that checks
 * the application is still open, makes the change with its audit records
 * and queues its e-mails; a decided application answers 409.  A question
 * is kept with its one-time link by messages.c, and the detail page shows
 * the whole conversation with the applicant (questions and answers).  What an
 * approval creates (the organisation or person, the membership, the
 * representatives and their invitations) is made by approve.c.
 */
#include "applications_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "applications/approve.h"
#include "applications/messages.h"
#include "core/mail.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/countries.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/util.h"
#include "membership/membership.h"
#include "organisations/organisations.h"

#define PAGE_SIZE 50
#define MAX_PAGE 100000
#define PENDING_SCAN 500 /* open applications compared for duplicates */
#define DUP_LIMIT 20     /* rows read per duplicate question */

enum stmt_review {
	R_LIST,
	R_GET,
	R_FOCAL_AREAS,
	R_DUP_NAME,
	R_DUP_SITE,
	R_DUP_DOMAIN,
	R_DUP_MEMBER,
	R_PENDING,
	R_DECIDE,
	R_ASK,
	R_WAITING,
	R_ASKED,
	R_REVIEW__MAX,
};

/* open: the applications still waiting for a decision */
#define OPEN_STATUS "status IN ('submitted', 'more-info')"

static const char *const review_sql_text[R_REVIEW__MAX] = {
	/* binds: status or NULL (twice), limit, offset */
	[R_LIST] = "SELECT a.id, a.status, a.applicant_name,"
		   " a.applicant_email, a.org_name, a.submitted_at,"
		   " l.name AS level_name, l.kind AS level_kind"
		   " FROM applications a"
		   " JOIN membership_levels l ON l.id = a.level_id"
		   " WHERE (CAST(? AS TEXT) IS NULL OR a.status = ?)"
		   " ORDER BY CASE WHEN a." OPEN_STATUS " THEN 0 ELSE 1 END,"
		   " a.submitted_at DESC, a.id DESC LIMIT ? OFFSET ?",
	[R_GET] = "SELECT a.id, a.level_id, a.status, a.applicant_name,"
		  " a.applicant_email, a.org_name, a.org_acronym,"
		  " a.org_country, a.org_website, a.org_description,"
		  " a.org_contact_address, a.ecosoc_status, a.ecosoc_year,"
		  " a.dgc_associated, a.dgc_year, a.focal_areas,"
		  " a.representatives, a.statement, a.consent_at,"
		  " a.submitted_at, a.decided_at, a.reason,"
		  " a.organisation_id, a.membership_id,"
		  " l.slug AS level_slug, l.name AS level_name,"
		  " l.kind AS level_kind, l.period AS level_period,"
		  " p.name AS decided_by_name, o.slug AS organisation_slug"
		  " FROM applications a"
		  " JOIN membership_levels l ON l.id = a.level_id"
		  " LEFT JOIN people p ON p.id = a.decided_by"
		  " LEFT JOIN organisations o ON o.id = a.organisation_id"
		  " WHERE a.id = ?",
	[R_FOCAL_AREAS] = "SELECT slug, name FROM focal_areas"
			  " ORDER BY position, id",
	[R_DUP_NAME] = "SELECT id, slug, name FROM organisations"
		       " WHERE name_key = ? ORDER BY id LIMIT ?",
	/* candidates: the host is checked again in C */
	[R_DUP_SITE] = "SELECT id, slug, name, website FROM organisations"
		       " WHERE lower(website) LIKE ? ESCAPE '\\'"
		       " OR lower(website) LIKE ? ESCAPE '\\'"
		       " ORDER BY id LIMIT ?",
	[R_DUP_DOMAIN] = "SELECT id, slug, name FROM organisations"
			 " WHERE email_domain = ? ORDER BY id LIMIT ?",
	[R_DUP_MEMBER] = "SELECT m.id, l.name FROM memberships m"
			 " JOIN people p ON p.id = m.person_id"
			 " JOIN membership_levels l ON l.id = m.level_id"
			 " WHERE p.email = ?"
			 " AND m.state IN ('pending', 'active', 'grace')"
			 " ORDER BY m.id LIMIT ?",
	[R_PENDING] = "SELECT id, applicant_name, applicant_email, org_name,"
		      " org_website FROM applications"
		      " WHERE " OPEN_STATUS " AND id <> ?"
		      " ORDER BY submitted_at DESC, id DESC LIMIT ?",
	/* binds: status, decided_at, decided_by, reason, organisation_id,
	 * membership_id, id */
	[R_DECIDE] = "UPDATE applications SET status = ?, decided_at = ?,"
		     " decided_by = ?, reason = ?, organisation_id = ?,"
		     " membership_id = ? WHERE id = ? AND " OPEN_STATUS,
	[R_ASK] = "UPDATE applications SET status = 'more-info', reason = ?"
		  " WHERE id = ? AND " OPEN_STATUS,
	[R_WAITING] = "SELECT count(*) FROM applications WHERE " OPEN_STATUS,
	[R_ASKED] = "SELECT count(*) FROM applications"
		    " WHERE status = 'more-info'",
};

static struct db_sql review_sql = {"review", review_sql_text, R_REVIEW__MAX,
				   0};

static const char *const statuses[] = {"submitted", "more-info", "approved",
				       "rejected", NULL};
static const char *const status_labels[] = {
	N_("Submitted"), N_("Waiting for an answer"), N_("Approved"),
	N_("Rejected")};
static const char *const done_values[] = {"approved", "rejected", "asked",
					  NULL};
/* Mail providers whose domain says nothing about an organisation. */
static const char *const common_mail_domains[] = {
	"gmail.com",   "googlemail.com", "outlook.com", "hotmail.com",
	"live.com",    "msn.com",        "yahoo.com",   "yahoo.fr",
	"yahoo.co.uk", "ymail.com",      "proton.me",   "protonmail.com",
	"pm.me",       "icloud.com",     "me.com",      "aol.com",
	"gmx.net",     "gmx.de",         "web.de",      "mail.ru",
	"yandex.ru",   "qq.com",         "163.com",     "zoho.com",
	NULL,
};

/* ---- shared pieces ---- */

static int
common_mail_domain(const char *domain)
{
	for (size_t i = 0; common_mail_domains[i]; i++)
		if (strcmp(domain, common_mail_domains[i]) == 0)
			return 1;
	return 0;
}

/*
 * The host of an http(s) URL, lower case, without user, port and a
 * leading "www." (arena); "" when url has none.  "https://www.Example.org:8443/a"
 * gives "example.org".
 */
static const char *
url_host(struct arena *a, const char *url)
{
	const char *s = url ? strstr(url, "://") : NULL, *end, *at;
	char *h;

	if (s == NULL)
		return "";
	s += 3;
	end = s + strcspn(s, "/?#");
	at = memchr(s, '@', (size_t)(end - s));
	if (at)
		s = at + 1;
	h = arena_strndup(a, s, (size_t)(end - s));
	h[strcspn(h, ":")] = '\0';
	for (char *p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strncmp(h, "www.", 4) == 0)
		h += 4;
	return h;
}

/* "%://" + host + "%" as a LIKE pattern with its wildcards escaped. */
static const char *
host_pattern(struct arena *a, const char *prefix, const char *host)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, "%://");
	buf_puts(&b, prefix);
	for (const char *p = host; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '%');
	out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* ---- the queue ---- */

static const struct field list_fields[] = {
	{.name = "status", .type = FT_CHOICE, .choices = statuses,
	 .label = N_("Status")},
	{.name = "page", .type = FT_INT, .min = 1, .max = MAX_PAGE,
	 .label = N_("Page")},
	{0},
};

/* Adds to each row its status label. */
static void
add_status_labels(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		const char *s = membership_str(row, "status");

		for (size_t k = 0; s && statuses[k]; k++)
			if (strcmp(s, statuses[k]) == 0)
				json_object_set_new(
					row, "status_label",
					json_string(_(status_labels[k])));
		json_object_set_new(row, "open",
				    json_boolean(s && (strcmp(s, "submitted") == 0 ||
						       strcmp(s, "more-info") == 0)));
	}
}

static void
queue_page(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_LIST);
	const struct value *sv = req_value(r, "status");
	const char *status = sv->present ? sv->str : NULL;
	struct pager pg;
	json_t *rows, *opts;
	int has_next;

	if (st == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, status);
	pager_read(r, PAGE_SIZE, &pg);
	db_bind_int(st, 3, PAGE_SIZE + 1);
	db_bind_int(st, 4, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	has_next = pager_trim(rows, PAGE_SIZE);
	render_add_times(rows, "submitted_at");
	add_status_labels(rows);
	opts = json_array();
	for (size_t i = 0; statuses[i]; i++)
		json_array_append_new(
			opts,
			json_pack("{s:s,s:s,s:b}", "value", statuses[i],
				  "label", _(status_labels[i]), "selected",
				  status && strcmp(status, statuses[i]) == 0));
	membership_admin_page(
		r, w, 200, "applications/templates/review_list.html",
		_("Membership applications"), "/admin/applications",
		json_pack("{s:o,s:o,s:o,s:s?}", "applications", rows,
			  "status_options", opts, "pager",
			  pager_model(r, &pg, "/admin/applications", NULL,
				      has_next, -1),
			  "status", status));
}

/* ---- one application ---- */

/* Loads application id as a JSON object (json null when there is none,
 * NULL on error). */
static json_t *
load_application(struct req *r, int64_t id)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_GET);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, id);
	return db_one_json(st);
}

static int
is_open(json_t *app)
{
	const char *s = membership_str(app, "status");

	return s && (strcmp(s, "submitted") == 0 || strcmp(s, "more-info") == 0);
}

/* The words for a duplicate's kind (a code: organisation, application,
 * membership), translated. */
static const char *
kind_label(const char *kind)
{
	if (strcmp(kind, "organisation") == 0)
		return _("organisation");
	if (strcmp(kind, "application") == 0)
		return _("application");
	if (strcmp(kind, "membership") == 0)
		return _("membership");
	return kind;
}

/* Adds a possible duplicate to list; reason is a msgid (N_()). */
static void
add_dup(json_t *list, const char *kind, json_int_t id, const char *name,
	const char *href, const char *reason)
{
	json_array_append_new(list,
			      json_pack("{s:s,s:s,s:I,s:s,s:s,s:s}", "kind",
					kind, "kind_label", kind_label(kind),
					"id", id, "name", name ? name : "",
					"href", href, "reason", _(reason)));
}

/* Where the reviewer reads about organisation id: its history in the
 * audit log (arena). */
static const char *
org_href(struct req *r, int64_t id)
{
	return arena_printf(r->arena,
			    "/admin/audit?object_type=organisation&object_id=%lld",
			    (long long)id);
}

/* Organisations matching one bound text (name key or e-mail domain),
 * but own (the organisation an approval made of this application). */
static int
dup_orgs(struct req *r, enum stmt_review which, const char *value,
	 const char *reason, int64_t own, json_t *list)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, which);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, value);
	db_bind_int(st, 2, DUP_LIMIT);
	while ((rc = db_step(st)) == DB_ROW)
		if (db_col_int(st, 0) != own)
			add_dup(list, "organisation", db_col_int(st, 0),
				db_col_text(st, 2),
				org_href(r, db_col_int(st, 0)), reason);
	return rc == DB_DONE ? 0 : -1;
}

/* Organisations whose website has host, but own. */
static int
dup_sites(struct req *r, const char *host, int64_t own, json_t *list)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_DUP_SITE);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, host_pattern(r->arena, "", host));
	db_bind_text(st, 2, host_pattern(r->arena, "www.", host));
	db_bind_int(st, 3, DUP_LIMIT);
	while ((rc = db_step(st)) == DB_ROW)
		if (db_col_int(st, 0) != own &&
		    strcmp(url_host(r->arena, db_col_text(st, 3)), host) == 0)
			add_dup(list, "organisation", db_col_int(st, 0),
				db_col_text(st, 2),
				org_href(r, db_col_int(st, 0)),
				N_("same website host"));
	return rc == DB_DONE ? 0 : -1;
}

/* Memberships of an existing person with this address (individuals). */
static int
dup_members(struct req *r, const char *email, json_t *list)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_DUP_MEMBER);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_int(st, 2, DUP_LIMIT);
	while ((rc = db_step(st)) == DB_ROW)
		add_dup(list, "membership", db_col_int(st, 0),
			db_col_text(st, 1),
			arena_printf(r->arena,
				     "/admin/audit?object_type=membership"
				     "&object_id=%lld",
				     (long long)db_col_int(st, 0)),
			N_("this address already has a membership"));
	return rc == DB_DONE ? 0 : -1;
}

/* The other open applications with the same folded name, website host
 * or e-mail domain (or the same address). */
static int
dup_pending(struct req *r, json_t *app, const char *name_key,
	    const char *host, const char *domain, json_t *list)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_PENDING);
	const char *email = membership_str(app, "applicant_email");
	int rc;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, json_integer_value(json_object_get(app, "id")));
	db_bind_int(st, 2, PENDING_SCAN);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		const char *other_email = db_col_text(st, 2);
		const char *other_org = db_col_text(st, 3);
		const char *label = other_org ? other_org : db_col_text(st, 1);
		const char *href = arena_printf(r->arena,
						"/admin/applications/%lld",
						(long long)id);

		if (*name_key && other_org &&
		    strcmp(organisations_folded(r->arena, other_org), name_key) == 0)
			add_dup(list, "application", id, label, href,
				N_("same name"));
		if (*host && db_col_text(st, 4) &&
		    strcmp(url_host(r->arena, db_col_text(st, 4)), host) == 0)
			add_dup(list, "application", id, label, href,
				N_("same website host"));
		if (strcmp(other_email, email) == 0)
			add_dup(list, "application", id, label, href,
				N_("same e-mail address"));
		else if (*domain &&
			 strcmp(organisations_email_domain(r->arena, other_email),
				domain) == 0)
			add_dup(list, "application", id, label, href,
				N_("same e-mail domain"));
	}
	return rc == DB_DONE ? 0 : -1;
}

/* Possible duplicates of app: [{kind, id, name, href, reason}], or NULL
 * on error. */
static json_t *
duplicates(struct req *r, json_t *app)
{
	json_t *list = json_array();
	const char *org = membership_str(app, "org_name");
	const char *name_key = org ? organisations_folded(r->arena, org) : "";
	const char *host =
		url_host(r->arena, membership_str(app, "org_website"));
	const char *domain = organisations_email_domain(
		r->arena, membership_str(app, "applicant_email"));

	int64_t own = json_integer_value(json_object_get(app,
							 "organisation_id"));

	if (common_mail_domain(domain))
		domain = "";
	if ((*name_key && dup_orgs(r, R_DUP_NAME, name_key, N_("same name"),
				   own, list) != 0) ||
	    (*host && dup_sites(r, host, own, list) != 0) ||
	    (*domain && org &&
	     dup_orgs(r, R_DUP_DOMAIN, domain, N_("same e-mail domain"), own,
		      list) != 0) ||
	    (org == NULL &&
	     dup_members(r, membership_str(app, "applicant_email"), list) !=
		     0) ||
	    dup_pending(r, app, name_key, host, org ? domain : "", list) != 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* The focal areas of app by name: [{slug, name}]. */
static json_t *
focal_names(struct req *r, json_t *app)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_FOCAL_AREAS);
	const char *chosen = membership_str(app, "focal_areas");
	json_t *out = json_array();
	int rc;

	if (st == NULL)
		return out;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *slug = db_col_text(st, 0);
		size_t n = strlen(slug);

		for (const char *p = chosen; p && *p;) {
			size_t len = strcspn(p, ",");

			if (len == n && strncmp(p, slug, n) == 0)
				json_array_append_new(
					out, json_pack("{s:s,s:s}", "slug", slug,
						       "name", db_col_text(st, 1)));
			p += len;
			if (*p == ',')
				p++;
		}
	}
	return out;
}

json_t *
review_application_view(struct req *r, int64_t id)
{
	json_t *app = id > 0 ? load_application(r, id) : json_null();
	json_t *reps, *one, *rep;
	size_t i;

	if (app == NULL || json_is_null(app))
		return app;
	reps = json_loads(membership_str(app, "representatives"), 0, NULL);
	if (!json_is_array(reps)) {
		json_decref(reps);
		reps = json_array();
	}
	/* posts and ranks are stored as codes ("new-york", "main"): words */
	json_array_foreach (reps, i, rep) {
		if (!json_is_object(rep))
			continue;
		if (membership_str(rep, "un_post"))
			json_object_set_new(
				rep, "un_post_label",
				json_string(membership_label_of(
					organisations_post_values,
					organisations_post_labels,
					membership_str(rep, "un_post"))));
		if (membership_str(rep, "un_rank"))
			json_object_set_new(
				rep, "un_rank_label",
				json_string(membership_label_of(
					organisations_rank_values,
					organisations_rank_labels,
					membership_str(rep, "un_rank"))));
	}
	one = json_pack("[O]", app);
	render_add_times(one, "submitted_at");
	render_add_times(one, "decided_at");
	render_add_times(one, "consent_at");
	add_status_labels(one);
	json_decref(one);
	countries_name_field(app, "org_country", "org_country_name");
	/* the UN status in sentences, never the stored codes */
	if (membership_str(app, "ecosoc_status"))
		json_object_set_new(
			app, "ecosoc_text",
			organisations_ecosoc_text(
				membership_str(app, "ecosoc_status"),
				membership_int(app, "ecosoc_year")));
	if (membership_int(app, "dgc_associated"))
		json_object_set_new(app, "dgc_text",
				    organisations_dgc_text(
					    membership_int(app, "dgc_year")));
	return json_pack("{s:o,s:o,s:b,s:b,s:o}", "representatives", reps,
			 "focal_areas", focal_names(r, app), "is_org",
			 strcmp(membership_str(app, "level_kind"),
				"organisation") == 0,
			 "open", is_open(app), "application", app);
}

/* The detail page of application id with status (200, or 422 with the
 * messages of a decision form): the application, its possible
 * duplicates, the conversation with the applicant, the decisions. */
static void
detail_page(struct req *r, struct resp *w, int64_t id, int status)
{
	json_t *model = review_application_view(r, id);
	json_t *app, *dups, *talk;
	const struct value *done = req_value(r, "done");
	const char *notice = NULL;

	if (model == NULL)
		return membership_read_failed(w);
	if (json_is_null(model)) {
		resp_error(w, 404, _("There is no such application."));
		return;
	}
	app = json_object_get(model, "application");
	if ((dups = duplicates(r, app)) == NULL ||
	    (talk = messages_conversation(r->db, id)) == NULL) {
		json_decref(dups);
		json_decref(model);
		return membership_read_failed(w);
	}
	if (done->present && strcmp(done->str, "approved") == 0)
		notice = _("The application is approved: the membership is "
			   "active and the invitations are on their way.");
	else if (done->present && strcmp(done->str, "rejected") == 0)
		notice = _("The application is rejected; the applicant has "
			   "been told why.");
	else if (done->present && strcmp(done->str, "asked") == 0)
		notice = _("Your question has been sent to the applicant, "
			   "with a link to answer it.");
	json_object_set_new(model, "duplicates", dups);
	json_object_set_new(model, "conversation", talk);
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (r->input)
		json_object_set_new(model, "input", json_deep_copy(r->input));
	membership_add_errors(r, model);
	membership_admin_page(r, w, status,
			      "applications/templates/review_show.html",
			      i18n_text(r->arena, _("Application {id}"), "id",
					membership_id_text(r->arena, id), NULL),
			      NULL, model);
}

static const struct field detail_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

static void
detail(struct req *r, struct resp *w)
{
	detail_page(r, w, req_param_id(r), 200);
}

/* ---- decisions ---- */

/*
 * Begins the decision's transaction and loads application id; returns it
 * (the transaction open) when it is still open, or NULL when w holds the
 * answer: 404, 409 (decided already) or 500.
 */
static json_t *
open_application_or_respond(struct req *r, struct resp *w, int64_t id)
{
	json_t *app;

	if (id <= 0) {
		resp_error(w, 404, _("There is no such application."));
		return NULL;
	}
	if (db_begin(r->db) != 0) {
		resp_fail(r, w, NULL);
		return NULL;
	}
	if ((app = load_application(r, id)) == NULL) {
		resp_fail(r, w, NULL);
		return NULL;
	}
	if (json_is_null(app)) {
		json_decref(app);
		db_rollback(r->db);
		resp_error(w, 404, _("There is no such application."));
		return NULL;
	}
	if (!is_open(app)) {
		resp_error(
			w, 409,
			i18n_text(r->arena,
				  _("This application has been decided "
				    "already ({status}); nothing was changed."),
				  "status",
				  membership_label_of(
					  statuses, status_labels,
					  membership_str(app, "status")),
				  NULL));
		json_decref(app);
		db_rollback(r->db);
		return NULL;
	}
	return app;
}

/* Marks application id decided as status, with reason and the ids made
 * by an approval (0: none).  0 or -1. */
static int
set_decided(struct req *r, int64_t id, const char *status, const char *reason,
	    int64_t org, int64_t membership)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_DECIDE);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, r->person->id);
	db_bind_text(st, 4, reason);
	if (org > 0)
		db_bind_int(st, 5, org);
	if (membership > 0)
		db_bind_int(st, 6, membership);
	db_bind_int(st, 7, id);
	if (db_run(st) != 0)
		return -1;
	return db_changes(r->db) == 1 ? 0 : -1;
}

/*
 * A letter to the applicant of app about it, in the applicant's language
 * (mail_language: the account's, else the one the application was sent
 * in, else the default).  text is a msgid with {level} and {name} (the
 * level, and the organisation or person applying) and the name, value
 * pairs of its other arguments; at most three.  0 or -1.
 */
static int
applicant_letter(struct req *r, json_t *app, const char *subject,
		 const char *text, const char *n1, const char *v1,
		 const char *n2, const char *v2, const char *n3, const char *v3)
{
	const char *email = membership_str(app, "applicant_email");
	int rc;

	i18n_push(mail_language(r->db, r->arena, email, NULL));
	rc = mail_letter(r->db, email, membership_str(app, "applicant_name"),
			 _(subject),
			 i18n_text(r->arena, _(text), "level",
				   membership_str(app, "level_name"), "name",
				   applications_subject(app), n1, v1, n2, v2,
				   n3, v3, NULL));
	i18n_pop();
	return rc;
}

/* The letter that tells the applicant of app why it was rejected. */
static int
reject_letter(struct req *r, json_t *app, const char *reason)
{
	return applicant_letter(
		r, app, N_("Your application to the Alliance"),
		N_("Thank you for applying to become a member of the Alliance "
		   "({level}, for {name}). After reviewing your application, "
		   "the secretariat cannot accept it, for this "
		   "reason:\n\n{reason}\n\nIf you have questions, reply to "
		   "this message."),
		"reason", reason, NULL, NULL, NULL, NULL);
}

/* The letter with the secretariat's question and the link (token) to
 * answer it. */
static int
ask_letter(struct req *r, json_t *app, const char *question, const char *token)
{
	return applicant_letter(
		r, app, N_("A question about your application"),
		/* TRANSLATORS: {days} is a number of days, more than one */
		N_("Thank you for applying to become a member of the Alliance "
		   "({level}, for {name}). Before we can decide, the "
		   "secretariat would like to know more:\n\n{question}\n\n"
		   "Please answer on this page, where you can also correct "
		   "your organisation's details:\n\n{link}\n\nThe link is "
		   "for you alone: it works once, for {days} days."),
		"question", question, "link",
		arena_printf(r->arena, "%s/join/answer/%s",
			     config_current->base_url, token),
		"days", arena_printf(r->arena, "%d", MESSAGES_LINK_DAYS));
}

static const struct field reject_fields[] = {
	{.name = "reason", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 3000, .label = N_("Reason")},
	{0},
};

static void
reject(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	const char *reason;
	json_t *app;

	if (r->errors)
		return detail_page(r, w, id, 422);
	if ((app = open_application_or_respond(r, w, id)) == NULL)
		return;
	reason = req_value(r, "reason")->str;
	if (set_decided(r, id, "rejected", reason, 0, 0) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "application.reject", "application",
		    membership_id_text(r->arena, id),
		    json_pack("{s:s}", "status", membership_str(app, "status")),
		    json_pack("{s:s,s:s}", "status", "rejected", "reason",
			      reason),
		    r->client) != 0 ||
	    reject_letter(r, app, reason) != 0 || db_commit(r->db) != 0) {
		json_decref(app);
		return resp_fail(r, w, NULL);
	}
	json_decref(app);
	resp_redirect(w, arena_printf(r->arena,
				      "/admin/applications/%lld?done=rejected",
				      (long long)id));
}

static const struct field ask_fields[] = {
	{.name = "question", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 3000, .label = N_("Question")},
	{0},
};

static void
ask(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	const char *question;
	char token[AUTH_TOKEN_LEN + 1];
	struct db_stmt *st;
	json_t *app;

	if (r->errors)
		return detail_page(r, w, id, 422);
	if ((app = open_application_or_respond(r, w, id)) == NULL)
		return;
	question = req_value(r, "question")->str;
	if ((st = db_stmt(r->db, &review_sql, R_ASK)) == NULL) {
		json_decref(app);
		return resp_fail(r, w, NULL);
	}
	db_bind_text(st, 1, question);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0 ||
	    messages_question_add(r->db, id, r->person->id, question,
				  clock_now(), token) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "application.ask", "application",
		    membership_id_text(r->arena, id),
		    json_pack("{s:s}", "status", membership_str(app, "status")),
		    json_pack("{s:s,s:s}", "status", "more-info", "question",
			      question),
		    r->client) != 0 ||
	    ask_letter(r, app, question, token) != 0 || db_commit(r->db) != 0) {
		json_decref(app);
		return resp_fail(r, w, NULL);
	}
	json_decref(app);
	resp_redirect(w, arena_printf(r->arena,
				      "/admin/applications/%lld?done=asked",
				      (long long)id));
}

static void
approve(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r), org = 0, person = 0, membership = 0;
	json_t *app;
	int ok;

	if ((app = open_application_or_respond(r, w, id)) == NULL)
		return;
	ok = approve_application(r, app, &org, &person, &membership) == 0 &&
	     set_decided(r, id, "approved", NULL, org, membership) == 0 &&
	     audit_record_new(r->db, r->person->id, "application.approve",
			      "application", membership_id_text(r->arena, id),
			      json_pack("{s:s}", "status",
					membership_str(app, "status")),
			      json_pack("{s:s,s:I,s:I,s:I}", "status",
					"approved", "organisation_id",
					(json_int_t)org, "person_id",
					(json_int_t)person, "membership_id",
					(json_int_t)membership),
			      r->client) == 0 &&
	     db_commit(r->db) == 0;
	json_decref(app);
	if (!ok)
		return resp_fail(r, w, NULL);
	resp_redirect(w, arena_printf(r->arena,
				      "/admin/applications/%lld?done=approved",
				      (long long)id));
}

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)

static const struct route review_routes[] = {
	{.method = HTTP_GET, .pattern = "/admin/applications", .who = A,
	 .fields = list_fields, .handler = queue_page, .flags = P,
	 .summary = "Membership applications: open ones first, newest first"},
	{.method = HTTP_GET, .pattern = "/admin/applications/:id", .who = A,
	 .fields = detail_fields, .handler = detail, .flags = FORM,
	 .summary = "One application, its possible duplicates and the "
		    "decisions"},
	{.method = HTTP_POST, .pattern = "/admin/applications/:id/approve",
	 .who = A, .handler = approve, .flags = P,
	 .summary = "Approves: organisation or person, membership, "
		    "invitations"},
	{.method = HTTP_POST, .pattern = "/admin/applications/:id/reject",
	 .who = A, .fields = reject_fields, .handler = reject, .flags = OWN,
	 .summary = "Rejects an application; the reason is e-mailed"},
	{.method = HTTP_POST, .pattern = "/admin/applications/:id/ask",
	 .who = A, .fields = ask_fields, .handler = ask, .flags = OWN,
	 .summary = "Asks the applicant a question: e-mailed with a one-time "
		    "link to answer it (status more-info)"},
	{.method = HTTP_GET,
	 .pattern = "/admin/applications/:id/documents/:message", .who = A,
	 .handler = messages_document, .flags = P,
	 .summary = "The document an applicant sent with an answer, as a "
		    "download"},
};

/* The overview's count of applications waiting for a decision. */
static int
count_waiting(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_WAITING);

	return st ? db_one_int(st, n) : -1;
}

/* The overview's count of applications whose applicant was asked a
 * question and has not answered yet (counted among the waiting too). */
static int
count_asked(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_ASKED);

	return st ? db_one_int(st, n) : -1;
}

/* Its tiles of the secretariat's overview (admin/menu.c). */
static const struct admin_tile review_tiles[] = {
	{N_("Applications waiting for a decision"), "/admin/applications", 20,
	 count_waiting},
	{N_("Questions waiting for the applicant's answer"),
	 "/admin/applications?status=more-info", 21, count_asked},
};

/* Its entries in the secretariat's menu (admin/menu.c). */
static const struct menu_entry review_menu[] = {
	{"/admin/applications", N_("Applications"), 20},
};

/* approve.c's statements are review's: approving is the end of a
 * review (representatives.c calls them too). */
static struct db_sql *const review_sqls[] = {&approve_sql, &messages_sql,
					      NULL};

const struct module review_module = {
	.name = "review",
	.routes = review_routes,
	.nroutes = ARRAY_LEN(review_routes),
	.sql = &review_sql,
	.admin_menu = review_menu,
	.nadmin_menu = ARRAY_LEN(review_menu),
	.admin_tiles = review_tiles,
	.nadmin_tiles = ARRAY_LEN(review_tiles),
	.sqls = review_sqls,
};
