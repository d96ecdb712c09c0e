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
 * and queues its e-mails; a decided application answers 409.  Approval
 * creates the organisation (a unique slug from its name), its focal
 * areas, its membership (active, period from period.c), a person for each
 * representative (an existing account with the address is linked, a new
 * one is made without a password) and the representatives' rows, then
 * invites each of them with a one-time sign-in link valid for 7 days.
 * For an individual: the person, the membership and the invitation.
 */
#include "join.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/fold.h"
#include "core/log.h"
#include "core/render.h"
#include "core/util.h"
#include "members/period.h"

#define PAGE_SIZE 50
#define MAX_PAGE 100000
#define PENDING_SCAN 500 /* open applications compared for duplicates */
#define DUP_LIMIT 20     /* rows read per duplicate question */
#define INVITE_TTL (7 * 24 * 3600)
#define MAX_SLUG_TRIES 100

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
	R_SLUG_TAKEN,
	R_ORG_INSERT,
	R_ORG_FOCAL,
	R_PERSON_INSERT,
	R_PERSON_FOCAL,
	R_REP_INSERT,
	R_MEMBERSHIP_INSERT,
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
	[R_SLUG_TAKEN] = "SELECT 1 FROM organisations WHERE slug = ?",
	[R_ORG_INSERT] =
		"INSERT INTO organisations (slug, name, name_key, acronym,"
		" country, website, email_domain, description_md,"
		" contact_address, ecosoc_status, ecosoc_year,"
		" dgc_associated, dgc_year, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[R_ORG_FOCAL] = "INSERT INTO organisation_focal_areas"
			" (organisation_id, focal_area_id)"
			" SELECT ?, id FROM focal_areas WHERE slug = ?"
			" ON CONFLICT DO NOTHING",
	[R_PERSON_INSERT] = "INSERT INTO people (email, name, role, country,"
			    " created_at) VALUES (?, ?, 'member', ?, ?)",
	[R_PERSON_FOCAL] = "INSERT INTO person_focal_areas"
			   " (person_id, focal_area_id)"
			   " SELECT ?, id FROM focal_areas WHERE slug = ?"
			   " ON CONFLICT DO NOTHING",
	[R_REP_INSERT] = "INSERT INTO representatives (organisation_id,"
			 " person_id, main_contact, un_post, un_rank)"
			 " VALUES (?, ?, ?, ?, ?)",
	[R_MEMBERSHIP_INSERT] =
		"INSERT INTO memberships (level_id, organisation_id,"
		" person_id, state, state_since, period_start, period_end,"
		" created_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?)",
};

static struct db_sql review_sql = {"review", review_sql_text, R_REVIEW__MAX,
				   0};

static const char *const statuses[] = {"submitted", "more-info", "approved",
				       "rejected", NULL};
static const char *const status_labels[] = {
	"Submitted", "Waiting for an answer", "Approved", "Rejected"};
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

static int64_t
now(void)
{
	return (int64_t)time(NULL);
}

/* ---- shared pieces ---- */

static void
fail(struct req *r, struct resp *w)
{
	db_rollback(r->db);
	resp_error(w, 500, "Something went wrong on our side. Nothing was "
			   "changed; please try again.");
}

/* The route parameter :id as a positive number, or 0 (answer 404). */
static int64_t
param_id(const struct req *r)
{
	const char *s = req_param(r, "id");
	int64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static const char *
id_text(struct req *r, int64_t id)
{
	return arena_printf(r->arena, "%lld", (long long)id);
}

/* The string at key of o, or NULL. */
static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The domain of an address, lower case (arena); "" when there is none. */
static const char *
email_domain(struct arena *a, const char *email)
{
	const char *at = email ? strrchr(email, '@') : NULL;
	char *d = arena_strdup(a, at ? at + 1 : "");

	for (char *p = d; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

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

/* The folded form of a name (arena); "" for NULL. */
static const char *
folded(struct arena *a, const char *name)
{
	char *f, *out;

	if (name == NULL)
		return "";
	f = fold_text(name, strlen(name));
	out = arena_strdup(a, f);
	free(f);
	return out;
}

/* ---- the queue ---- */

static const struct field list_fields[] = {
	{.name = "status", .type = FT_CHOICE, .choices = statuses,
	 .label = "Status"},
	{.name = "page", .type = FT_INT, .min = 1, .max = MAX_PAGE,
	 .label = "Page"},
	{0},
};

/* The href of page n of the queue with the status filter kept. */
static json_t *
page_href(const char *status, int64_t n)
{
	if (status)
		return json_sprintf("/admin/applications?status=%s&page=%lld",
				    status, (long long)n);
	return json_sprintf("/admin/applications?page=%lld", (long long)n);
}

/* Adds to each row its status label. */
static void
add_status_labels(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		const char *s = str(row, "status");

		for (size_t k = 0; s && statuses[k]; k++)
			if (strcmp(s, statuses[k]) == 0)
				json_object_set_new(row, "status_label",
						    json_string(status_labels[k]));
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
	const struct value *pv = req_value(r, "page");
	const char *status = sv->present ? sv->str : NULL;
	int64_t page = pv->present ? pv->num : 1;
	json_t *rows, *opts, *pager;
	int has_next;

	if (st == NULL) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, status);
	db_bind_int(st, 3, PAGE_SIZE + 1);
	db_bind_int(st, 4, (page - 1) * PAGE_SIZE);
	if ((rows = db_all_json(st)) == NULL) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	has_next = json_array_size(rows) > PAGE_SIZE;
	while (json_array_size(rows) > PAGE_SIZE)
		json_array_remove(rows, json_array_size(rows) - 1);
	render_add_times(rows, "submitted_at");
	add_status_labels(rows);
	opts = json_array();
	for (size_t i = 0; statuses[i]; i++)
		json_array_append_new(
			opts, json_pack("{s:s,s:s,s:b}", "value", statuses[i],
					"label", status_labels[i], "selected",
					status && strcmp(status, statuses[i]) == 0));
	pager = json_pack("{s:I,s:b}", "page", (json_int_t)page, "has_pages",
			  page > 1 || has_next);
	if (page > 1)
		json_object_set_new(pager, "prev_href",
				    page_href(status, page - 1));
	if (has_next)
		json_object_set_new(pager, "next_href",
				    page_href(status, page + 1));
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "members/templates/review_list.html",
		  "Membership applications",
		  json_pack("{s:o,s:o,s:o,s:s?}", "applications", rows,
			    "status_options", opts, "pager", pager, "status",
			    status));
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
	const char *s = str(app, "status");

	return s && (strcmp(s, "submitted") == 0 || strcmp(s, "more-info") == 0);
}

/* Adds a possible duplicate to list. */
static void
add_dup(json_t *list, const char *kind, json_int_t id, const char *name,
	const char *href, const char *reason)
{
	json_array_append_new(list,
			      json_pack("{s:s,s:I,s:s,s:s,s:s}", "kind", kind,
					"id", id, "name", name ? name : "",
					"href", href, "reason", reason));
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
				"same website host");
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
			"this address already has a membership");
	return rc == DB_DONE ? 0 : -1;
}

/* The other open applications with the same folded name, website host
 * or e-mail domain (or the same address). */
static int
dup_pending(struct req *r, json_t *app, const char *name_key,
	    const char *host, const char *domain, json_t *list)
{
	struct db_stmt *st = db_stmt(r->db, &review_sql, R_PENDING);
	const char *email = str(app, "applicant_email");
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
		    strcmp(folded(r->arena, other_org), name_key) == 0)
			add_dup(list, "application", id, label, href,
				"same name");
		if (*host && db_col_text(st, 4) &&
		    strcmp(url_host(r->arena, db_col_text(st, 4)), host) == 0)
			add_dup(list, "application", id, label, href,
				"same website host");
		if (strcmp(other_email, email) == 0)
			add_dup(list, "application", id, label, href,
				"same e-mail address");
		else if (*domain &&
			 strcmp(email_domain(r->arena, other_email), domain) == 0)
			add_dup(list, "application", id, label, href,
				"same e-mail domain");
	}
	return rc == DB_DONE ? 0 : -1;
}

/* Possible duplicates of app: [{kind, id, name, href, reason}], or NULL
 * on error. */
static json_t *
duplicates(struct req *r, json_t *app)
{
	json_t *list = json_array();
	const char *org = str(app, "org_name");
	const char *name_key = org ? folded(r->arena, org) : "";
	const char *host = url_host(r->arena, str(app, "org_website"));
	const char *domain = email_domain(r->arena, str(app, "applicant_email"));

	int64_t own = json_integer_value(json_object_get(app,
							 "organisation_id"));

	if (common_mail_domain(domain))
		domain = "";
	if ((*name_key && dup_orgs(r, R_DUP_NAME, name_key, "same name", own,
				   list) != 0) ||
	    (*host && dup_sites(r, host, own, list) != 0) ||
	    (*domain && org &&
	     dup_orgs(r, R_DUP_DOMAIN, domain, "same e-mail domain", own,
		      list) != 0) ||
	    (org == NULL && dup_members(r, str(app, "applicant_email"), list) !=
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
	const char *chosen = str(app, "focal_areas");
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

/* The detail page of application id with status (200, or 422 with the
 * messages of a decision form). */
static void
detail_page(struct req *r, struct resp *w, int64_t id, int status)
{
	json_t *app = id > 0 ? load_application(r, id) : NULL;
	json_t *reps, *dups, *model, *one;
	const struct value *done = req_value(r, "done");
	const char *notice = NULL;

	if (id > 0 && app == NULL) {
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	if (app == NULL || json_is_null(app)) {
		json_decref(app);
		resp_error(w, 404, "There is no such application.");
		return;
	}
	if ((dups = duplicates(r, app)) == NULL) {
		json_decref(app);
		resp_error(w, 500, "Something went wrong on our side.");
		return;
	}
	reps = json_loads(str(app, "representatives"), 0, NULL);
	if (!json_is_array(reps)) {
		json_decref(reps);
		reps = json_array();
	}
	one = json_pack("[O]", app);
	render_add_times(one, "submitted_at");
	render_add_times(one, "decided_at");
	render_add_times(one, "consent_at");
	add_status_labels(one);
	json_decref(one);
	if (done->present && strcmp(done->str, "approved") == 0)
		notice = "The application is approved: the membership is "
			 "active and the invitations are on their way.";
	else if (done->present && strcmp(done->str, "rejected") == 0)
		notice = "The application is rejected; the applicant has been "
			 "told why.";
	else if (done->present && strcmp(done->str, "asked") == 0)
		notice = "Your question has been sent to the applicant.";
	model = json_pack("{s:o,s:o,s:o,s:o,s:b,s:b,s:s?}", "application", app,
			  "representatives", reps, "duplicates", dups,
			  "focal_areas", focal_names(r, app), "open",
			  is_open(app), "is_org",
			  strcmp(str(app, "level_kind"), "organisation") == 0,
			  "notice", notice);
	if (r->input)
		json_object_set_new(model, "input", json_deep_copy(r->input));
	if (r->errors) {
		json_object_set(model, "errors", r->errors);
		json_object_set_new(model, "error_list",
				    resp_error_list(r->errors));
		json_object_set_new(model, "has_errors", json_true());
	}
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "members/templates/review_show.html",
		  arena_printf(r->arena, "Application %lld", (long long)id),
		  model);
}

static const struct field detail_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

static void
detail(struct req *r, struct resp *w)
{
	detail_page(r, w, param_id(r), 200);
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
		resp_error(w, 404, "There is no such application.");
		return NULL;
	}
	if (db_begin(r->db) != 0) {
		fail(r, w);
		return NULL;
	}
	if ((app = load_application(r, id)) == NULL) {
		fail(r, w);
		return NULL;
	}
	if (json_is_null(app)) {
		json_decref(app);
		db_rollback(r->db);
		resp_error(w, 404, "There is no such application.");
		return NULL;
	}
	if (!is_open(app)) {
		resp_error(w, 409,
			   arena_printf(r->arena,
					"This application has been decided "
					"already (%s); nothing was changed.",
					str(app, "status")));
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
	db_bind_int(st, 2, now());
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

/* The name the applicant applied for: the organisation's, or their own. */
static const char *
applicant_subject(json_t *app)
{
	return str(app, "org_name") ? str(app, "org_name")
				    : str(app, "applicant_name");
}

static const struct field reject_fields[] = {
	{.name = "reason", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 3000, .label = "Reason"},
	{0},
};

static void
reject(struct req *r, struct resp *w)
{
	int64_t id = param_id(r);
	const char *reason;
	json_t *app;

	if (r->errors)
		return detail_page(r, w, id, 422);
	if ((app = open_application_or_respond(r, w, id)) == NULL)
		return;
	reason = req_value(r, "reason")->str;
	if (set_decided(r, id, "rejected", reason, 0, 0) != 0 ||
	    audit_record_new(r->db, r->person->id, "application.reject",
			     "application", id_text(r, id),
			     json_pack("{s:s}", "status", str(app, "status")),
			     json_pack("{s:s,s:s}", "status", "rejected",
				       "reason", reason),
			     r->client) != 0 ||
	    join_send_mail(
		    r->db, str(app, "applicant_email"),
		    str(app, "applicant_name"),
		    "Your application to the Alliance",
		    arena_printf(r->arena,
				 "Thank you for applying to become a member "
				 "of the Alliance (%s, for %s). After "
				 "reviewing your application, the "
				 "secretariat cannot accept it, for this "
				 "reason:\n\n%s\n\nIf you have questions, "
				 "reply to this message.",
				 str(app, "level_name"), applicant_subject(app),
				 reason)) != 0 ||
	    db_commit(r->db) != 0) {
		json_decref(app);
		return fail(r, w);
	}
	json_decref(app);
	resp_redirect(w, arena_printf(r->arena,
				      "/admin/applications/%lld?done=rejected",
				      (long long)id));
}

static const struct field ask_fields[] = {
	{.name = "question", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 3000, .label = "Question"},
	{0},
};

static void
ask(struct req *r, struct resp *w)
{
	int64_t id = param_id(r);
	const char *question;
	struct db_stmt *st;
	json_t *app;

	if (r->errors)
		return detail_page(r, w, id, 422);
	if ((app = open_application_or_respond(r, w, id)) == NULL)
		return;
	question = req_value(r, "question")->str;
	if ((st = db_stmt(r->db, &review_sql, R_ASK)) == NULL) {
		json_decref(app);
		return fail(r, w);
	}
	db_bind_text(st, 1, question);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "application.ask",
			     "application", id_text(r, id),
			     json_pack("{s:s}", "status", str(app, "status")),
			     json_pack("{s:s,s:s}", "status", "more-info",
				       "question", question),
			     r->client) != 0 ||
	    join_send_mail(
		    r->db, str(app, "applicant_email"),
		    str(app, "applicant_name"),
		    "A question about your application",
		    arena_printf(r->arena,
				 "Thank you for applying to become a member "
				 "of the Alliance (%s, for %s). Before we "
				 "can decide, the secretariat would like to "
				 "know more:\n\n%s\n\nPlease answer by "
				 "replying to this message.",
				 str(app, "level_name"), applicant_subject(app),
				 question)) != 0 ||
	    db_commit(r->db) != 0) {
		json_decref(app);
		return fail(r, w);
	}
	json_decref(app);
	resp_redirect(w, arena_printf(r->arena,
				      "/admin/applications/%lld?done=asked",
				      (long long)id));
}

/* ---- approval ---- */

/* Someone to invite once the approval is made. */
struct invitee {
	int64_t id;
	const char *email, *name;
};

/* A slug from name: its folded form with runs of anything but [a-z0-9]
 * made one '-', at most 60 characters; "organisation" when nothing is
 * left (a name in another script).  In r's arena. */
static char *
slug_from_name(struct req *r, const char *name)
{
	const char *f = folded(r->arena, name);
	char *s = arena_alloc(r->arena, 64);
	size_t n = 0;

	for (; *f && n < 60; f++) {
		char c = *f;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[n++] = c;
		else if (n > 0 && s[n - 1] != '-')
			s[n++] = '-';
	}
	while (n > 0 && s[n - 1] == '-')
		n--;
	s[n] = '\0';
	return n ? s : arena_strdup(r->arena, "organisation");
}

/* A slug for name no organisation has: base, then base-2, base-3 ...
 * In r's arena; NULL on error or after MAX_SLUG_TRIES. */
static const char *
unique_slug(struct req *r, const char *name)
{
	const char *base = slug_from_name(r, name), *slug = base;

	for (int i = 1; i <= MAX_SLUG_TRIES; i++) {
		struct db_stmt *st = db_stmt(r->db, &review_sql, R_SLUG_TAKEN);
		int rc;

		if (st == NULL)
			return NULL;
		if (i > 1)
			slug = arena_printf(r->arena, "%s-%d", base, i);
		db_bind_text(st, 1, slug);
		rc = db_step(st);
		if (rc == DB_DONE)
			return slug;
		if (rc != DB_ROW)
			return NULL;
		db_reset(st);
	}
	return NULL;
}

/* Binds the integer at key of o, or NULL. */
static void
bind_json_int(struct db_stmt *st, int i, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		db_bind_int(st, i, json_integer_value(v));
	else
		db_bind_null(st, i);
}

/* Creates the organisation of app; its id, or -1. */
static int64_t
create_organisation(struct req *r, json_t *app, const char **slug)
{
	struct db_stmt *st;
	const char *name = str(app, "org_name");
	int64_t id;

	if ((*slug = unique_slug(r, name)) == NULL ||
	    (st = db_stmt(r->db, &review_sql, R_ORG_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, *slug);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, folded(r->arena, name));
	db_bind_text(st, 4, str(app, "org_acronym") ? str(app, "org_acronym")
						     : "");
	db_bind_text(st, 5, str(app, "org_country"));
	db_bind_text(st, 6, str(app, "org_website"));
	db_bind_text(st, 7, email_domain(r->arena, str(app, "applicant_email")));
	db_bind_text(st, 8, str(app, "org_description")
				    ? str(app, "org_description")
				    : "");
	db_bind_text(st, 9, str(app, "org_contact_address")
				    ? str(app, "org_contact_address")
				    : "");
	db_bind_text(st, 10, str(app, "ecosoc_status"));
	bind_json_int(st, 11, app, "ecosoc_year");
	bind_json_int(st, 12, app, "dgc_associated");
	bind_json_int(st, 13, app, "dgc_year");
	db_bind_int(st, 14, now());
	if (db_run(st) != 0)
		return -1;
	id = db_last_id(r->db);
	if (audit_record_new(r->db, r->person->id, "organisation.create",
			     "organisation", id_text(r, id), NULL,
			     json_pack("{s:s,s:s}", "name", name, "slug", *slug),
			     r->client) != 0)
		return -1;
	return id;
}

/* Links each focal area slug of app ("a,b") to owner with statement
 * which (organisation or person).  0 or -1. */
static int
add_focal_areas(struct req *r, enum stmt_review which, int64_t owner,
		json_t *app)
{
	const char *p = str(app, "focal_areas");

	while (p && *p) {
		size_t len = strcspn(p, ",");
		struct db_stmt *st = db_stmt(r->db, &review_sql, which);

		if (st == NULL)
			return -1;
		db_bind_int(st, 1, owner);
		db_bind_textn(st, 2, p, len);
		if (db_run(st) != 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* The person with email, made (a member without a password) when there is
 * none; *id is set.  0 or -1. */
static int
person_for(struct req *r, const char *email, const char *name,
	   const char *country, int64_t *id)
{
	struct person p;
	struct db_stmt *st;
	int rc = auth_person_by_email(r->db, email, r->arena, &p, NULL);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		*id = p.id;
		return 0;
	}
	if ((st = db_stmt(r->db, &review_sql, R_PERSON_INSERT)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, country);
	db_bind_int(st, 4, now());
	if (db_run(st) != 0)
		return -1;
	*id = db_last_id(r->db);
	return audit_record_new(r->db, r->person->id, "person.create", "person",
				id_text(r, *id), NULL,
				json_pack("{s:s,s:s,s:s}", "email", email,
					  "name", name, "role", "member"),
				r->client);
}

/* The membership of level for the organisation or the person (the other
 * 0), active from today; its id, or -1. */
static int64_t
create_membership(struct req *r, json_t *app, int64_t org, int64_t person)
{
	struct period_date today, end;
	char start_text[11], end_text[11];
	time_t t = time(NULL);
	struct db_stmt *st;
	struct tm tm;
	int64_t id;

	gmtime_r(&t, &tm);
	today.y = tm.tm_year + 1900;
	today.m = tm.tm_mon + 1;
	today.d = tm.tm_mday;
	if (period_end(str(app, "level_period"), today, &end) != 0) {
		log_error("review: level %s has an unknown period '%s'",
			  str(app, "level_slug"), str(app, "level_period"));
		return -1;
	}
	period_format(today, start_text);
	period_format(end, end_text);
	if ((st = db_stmt(r->db, &review_sql, R_MEMBERSHIP_INSERT)) == NULL)
		return -1;
	db_bind_int(st, 1, json_integer_value(json_object_get(app, "level_id")));
	if (org > 0)
		db_bind_int(st, 2, org);
	if (person > 0)
		db_bind_int(st, 3, person);
	db_bind_text(st, 4, start_text);
	db_bind_text(st, 5, start_text);
	db_bind_text(st, 6, end_text);
	db_bind_int(st, 7, now());
	if (db_run(st) != 0)
		return -1;
	id = db_last_id(r->db);
	if (audit_record_new(r->db, r->person->id, "membership.create",
			     "membership", id_text(r, id), NULL,
			     json_pack("{s:s,s:s,s:s,s:s}", "level",
				       str(app, "level_slug"), "state", "active",
				       "period_start", start_text, "period_end",
				       end_text),
			     r->client) != 0)
		return -1;
	return id;
}

/* The representatives of app become people and rows of organisation org;
 * they are added to inv (room for MAX_INVITEES).  0 or -1. */
#define MAX_INVITEES 8
static int
add_representatives(struct req *r, json_t *app, int64_t org,
		    struct invitee *inv, size_t *ninv)
{
	json_t *reps = json_loads(str(app, "representatives"), 0, NULL), *rep;
	size_t i;
	int rc = 0;

	if (!json_is_array(reps) || json_array_size(reps) == 0) {
		/* an application from before representatives: the applicant */
		json_decref(reps);
		reps = json_pack("[{s:s,s:s,s:b}]", "name",
				 str(app, "applicant_name"), "email",
				 str(app, "applicant_email"), "main_contact", 1);
	}
	json_array_foreach (reps, i, rep) {
		struct db_stmt *st;
		int64_t pid;

		if (*ninv >= MAX_INVITEES || str(rep, "email") == NULL ||
		    str(rep, "name") == NULL)
			continue;
		if (person_for(r, str(rep, "email"), str(rep, "name"), NULL,
			       &pid) != 0 ||
		    (st = db_stmt(r->db, &review_sql, R_REP_INSERT)) == NULL) {
			rc = -1;
			break;
		}
		db_bind_int(st, 1, org);
		db_bind_int(st, 2, pid);
		db_bind_int(st, 3, json_is_true(json_object_get(rep,
								"main_contact")));
		db_bind_text(st, 4, str(rep, "un_post"));
		db_bind_text(st, 5, str(rep, "un_rank"));
		if (db_run(st) != 0) {
			rc = -1;
			break;
		}
		inv[*ninv].id = pid;
		inv[*ninv].email = arena_strdup(r->arena, str(rep, "email"));
		inv[*ninv].name = arena_strdup(r->arena, str(rep, "name"));
		(*ninv)++;
	}
	json_decref(reps);
	return rc;
}

/* Sends each invitee a one-time sign-in link.  0 or -1. */
static int
invite(struct req *r, json_t *app, const struct invitee *inv, size_t ninv)
{
	for (size_t i = 0; i < ninv; i++) {
		char token[AUTH_TOKEN_LEN + 1];

		if (auth_link_create(r->db, inv[i].id, "signin", NULL,
				     INVITE_TTL, now(), token) != 0 ||
		    join_send_mail(
			    r->db, inv[i].email, inv[i].name,
			    "Welcome to the Alliance",
			    arena_printf(
				    r->arena,
				    "The application of %s to the Alliance "
				    "(%s) has been approved: welcome! You can "
				    "now take part as a member. Sign in with "
				    "this link, then choose your password:"
				    "\n\n%s/signin/link?token=%s\n\nThe link "
				    "works once, for 7 days. Later, sign in "
				    "with your e-mail address and password, "
				    "or ask for a new password at %s/reset.",
				    applicant_subject(app),
				    str(app, "level_name"),
				    config_current->base_url, token,
				    config_current->base_url)) != 0)
			return -1;
	}
	return 0;
}

static void
approve(struct req *r, struct resp *w)
{
	int64_t id = param_id(r), org = 0, person = 0, membership = 0;
	struct invitee inv[MAX_INVITEES];
	const char *slug = NULL;
	size_t ninv = 0;
	json_t *app;
	int ok;

	if ((app = open_application_or_respond(r, w, id)) == NULL)
		return;
	if (strcmp(str(app, "level_kind"), "organisation") == 0) {
		ok = (org = create_organisation(r, app, &slug)) > 0 &&
		     add_focal_areas(r, R_ORG_FOCAL, org, app) == 0 &&
		     (membership = create_membership(r, app, org, 0)) > 0 &&
		     add_representatives(r, app, org, inv, &ninv) == 0;
	} else {
		ok = person_for(r, str(app, "applicant_email"),
				str(app, "applicant_name"),
				str(app, "org_country"), &person) == 0 &&
		     add_focal_areas(r, R_PERSON_FOCAL, person, app) == 0 &&
		     (membership = create_membership(r, app, 0, person)) > 0;
		inv[ninv].id = person;
		inv[ninv].email = str(app, "applicant_email");
		inv[ninv].name = str(app, "applicant_name");
		ninv++;
	}
	ok = ok &&
	     set_decided(r, id, "approved", NULL, org, membership) == 0 &&
	     audit_record_new(r->db, r->person->id, "application.approve",
			      "application", id_text(r, id),
			      json_pack("{s:s}", "status", str(app, "status")),
			      json_pack("{s:s,s:I,s:I,s:I}", "status",
					"approved", "organisation_id",
					(json_int_t)org, "person_id",
					(json_int_t)person, "membership_id",
					(json_int_t)membership),
			      r->client) == 0 &&
	     invite(r, app, inv, ninv) == 0 && db_commit(r->db) == 0;
	json_decref(app);
	if (!ok)
		return fail(r, w);
	resp_redirect(w, arena_printf(r->arena,
				      "/admin/applications/%lld?done=approved",
				      (long long)id));
}

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL
#define FORM (ROUTE_FORM | ROUTE_PERSONAL)
#define OWN (ROUTE_OWN_ERRORS | ROUTE_PERSONAL)

static const struct route review_routes[] = {
	{HTTP_GET, "/admin/applications", A, list_fields, queue_page, P, 0,
	 "Membership applications: open ones first, newest first"},
	{HTTP_GET, "/admin/applications/:id", A, detail_fields, detail, FORM,
	 0, "One application, its possible duplicates and the decisions"},
	{HTTP_POST, "/admin/applications/:id/approve", A, NULL, approve, P, 0,
	 "Approves: organisation or person, membership, invitations"},
	{HTTP_POST, "/admin/applications/:id/reject", A, reject_fields, reject,
	 OWN, 0, "Rejects an application; the reason is e-mailed"},
	{HTTP_POST, "/admin/applications/:id/ask", A, ask_fields, ask, OWN, 0,
	 "Asks the applicant a question by e-mail (status more-info)"},
};

const struct module review_module = {"review", review_routes,
				     ARRAY_LEN(review_routes), &review_sql};
