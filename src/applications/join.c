/*
 * join.c -- applying for membership: GET /join lists the levels, GET
 * /join/:level shows the form of one level, POST /join/:level stores the
 * application, GET /join/thanks says what happens next.
 *
 * One route takes both kinds of level, so its fields are the union of
 * what an organisation and an individual send; the core validates each
 * field, and the handler adds what depends on the level: the fields an
 * organisation (or an individual) must give, the UN status a level that
 * requires it must show (ECOSOC consultative status with its year, or
 * association with the UN Department of Global Communications with its
 * year, or both), and the representatives, who come as numbered fields
 * (rep1_name, rep1_email, rep1_post, rep1_rank ...).  Anything wrong is
 * the form again with messages (422).  A good application is one
 * transaction: the row, its audit record, the applicant's receipt and the
 * secretariat's notice; then 303 to /join/thanks, so a reload sends
 * nothing twice.
 */
#include "applications_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/countries.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/util.h"
#include "membership/membership.h"
#include "organisations/organisations.h"
#include "public_limits.h"

/* Representatives besides the applicant. */
#define MAX_REPS 3
/* what resp_fail says when an application could not be stored */
#define NOT_SAVED                                                              \
	_("Something went wrong on our side. Your application was not "        \
	  "saved; please try again.")

enum stmt_join {
	S_LEVELS,
	S_LEVEL,
	S_FOCAL_AREAS,
	S_APPLICATION_INSERT,
	S_JOIN__MAX,
};

static const char *const join_sql_text[S_JOIN__MAX] = {
	[S_LEVELS] = "SELECT slug, name, kind, summary, requires_un_status"
		     " FROM membership_levels ORDER BY position, id",
	[S_LEVEL] = "SELECT id, slug, name, kind, summary, who_may_apply_md,"
		    " requires_un_status FROM membership_levels WHERE slug = ?",
	/* a retired area is not offered to a new application */
	[S_FOCAL_AREAS] = "SELECT slug, name FROM focal_areas"
			  " WHERE retired_at IS NULL ORDER BY position, id",
	[S_APPLICATION_INSERT] =
		"INSERT INTO applications (level_id, status, applicant_name,"
		" applicant_email, org_name, org_acronym, org_country,"
		" org_website, org_description, org_contact_address,"
		" ecosoc_status, ecosoc_year, dgc_associated, dgc_year,"
		" focal_areas, representatives, statement, consent_at,"
		" submitted_at)"
		" VALUES (?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?) RETURNING id",
};

static struct db_sql join_sql = {"join", join_sql_text, S_JOIN__MAX, 0};


/* Representative n's four fields; the labels are spelled out (msgids
 * xgettext can read). */
#define REP_FIELDS(n, name_label, email_label, post_label, rank_label)      \
	{.name = "rep" #n "_name", .type = FT_TEXT, .maxlen = 200,          \
	 .label = name_label},                                              \
	{.name = "rep" #n "_email", .type = FT_EMAIL, .label = email_label}, \
	{.name = "rep" #n "_post", .type = FT_CHOICE,                       \
	 .choices = organisations_post_values, .label = post_label},        \
	{.name = "rep" #n "_rank", .type = FT_CHOICE,                       \
	 .choices = organisations_rank_values, .label = rank_label}

static const struct field join_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Your name")},
	{.name = "email", .type = FT_EMAIL, .flags = FIELD_REQUIRED,
	 .label = N_("Your e-mail")},
	{.name = "post", .type = FT_CHOICE, .choices = organisations_post_values,
	 .label = N_("Your UN post")},
	{.name = "rank", .type = FT_CHOICE, .choices = organisations_rank_values,
	 .label = N_("Your rank")},
	JOIN_ORG_FIELDS,
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI, .maxlen = 60,
	 .label = N_("Focal areas")},
	{.name = "ecosoc_status", .type = FT_CHOICE, .choices = organisations_ecosoc_values,
	 .label = N_("ECOSOC consultative status")},
	{.name = "ecosoc_year", .type = FT_YEAR, .min = 1946, .max = 2100,
	 .label = N_("Year ECOSOC status was granted")},
	{.name = "dgc_associated", .type = FT_BOOL,
	 .label = N_("Association with the Department of Global Communications")},
	{.name = "dgc_year", .type = FT_YEAR, .min = 1946, .max = 2100,
	 .label = N_("Year of association with the DGC")},
	REP_FIELDS(1, N_("Name of representative 1"),
		   N_("E-mail of representative 1"),
		   N_("UN post of representative 1"),
		   N_("Rank of representative 1")),
	REP_FIELDS(2, N_("Name of representative 2"),
		   N_("E-mail of representative 2"),
		   N_("UN post of representative 2"),
		   N_("Rank of representative 2")),
	REP_FIELDS(3, N_("Name of representative 3"),
		   N_("E-mail of representative 3"),
		   N_("UN post of representative 3"),
		   N_("Rank of representative 3")),
	{.name = "statement", .type = FT_TEXTAREA, .maxlen = 3000,
	 .label = N_("Why you wish to join")},
	{.name = "consent", .type = FT_BOOL, .flags = FIELD_REQUIRED,
	 .label = N_("Agreement to the privacy policy")},
	{0},
};

/* A level as the form needs it. */
struct level {
	int64_t id;
	const char *slug, *name, *kind, *summary, *who_md;
	int is_org, requires_un;
};

static int
this_year(void)
{
	time_t t = (time_t)clock_now();
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* ---- reading ---- */

/* Loads the level of slug into lv (strings in r's arena): 1, 0 when there
 * is none, -1 on error. */
static int
load_level(struct req *r, const char *slug, struct level *lv)
{
	struct db_stmt *st = db_stmt(r->db, &join_sql, S_LEVEL);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, slug);
	rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	lv->id = db_col_int(st, 0);
	lv->slug = arena_strdup(r->arena, db_col_text(st, 1));
	lv->name = arena_strdup(r->arena, db_col_text(st, 2));
	lv->kind = arena_strdup(r->arena, db_col_text(st, 3));
	lv->summary = arena_strdup(r->arena, db_col_text(st, 4));
	lv->who_md = arena_strdup(r->arena, db_col_text(st, 5));
	lv->requires_un = db_col_int(st, 6) != 0;
	lv->is_org = strcmp(lv->kind, "organisation") == 0;
	db_reset(st);
	return 1;
}

/* The focal areas [{slug, name, chosen}], chosen as sent in the form;
 * NULL on error. */
static json_t *
focal_model(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &join_sql, S_FOCAL_AREAS);
	const struct field_values *fv = membership_multi(r, "focal");
	json_t *rows, *row;
	size_t i;

	if (st == NULL || (rows = db_all_json(st)) == NULL)
		return NULL;
	json_array_foreach (rows, i, row) {
		const char *slug = json_string_value(json_object_get(row, "slug"));
		int chosen = 0;

		for (size_t k = 0; fv && k < fv->n; k++)
			if (fv->v[k].present && strcmp(fv->v[k].str, slug) == 0)
				chosen = 1;
		json_object_set_new(row, "chosen", json_boolean(chosen));
	}
	return rows;
}

/* The message of field name in r->errors, or NULL. */
static const char *
error_of(const struct req *r, const char *name)
{
	json_t *e = r->errors ? json_object_get(r->errors, name) : NULL;

	return e ? json_string_value(e) : NULL;
}

/* The representatives' rows of the form: [{n, name, email, post_options,
 * rank_options, error_name, error_email, error_post, error_rank}]. */
static json_t *
reps_model(struct req *r)
{
	json_t *a = json_array();

	for (int n = 1; n <= MAX_REPS; n++) {
		const char *k_name = arena_printf(r->arena, "rep%d_name", n);
		const char *k_email = arena_printf(r->arena, "rep%d_email", n);
		const char *k_post = arena_printf(r->arena, "rep%d_post", n);
		const char *k_rank = arena_printf(r->arena, "rep%d_rank", n);
		json_t *in = r->input;

		json_array_append_new(
			a,
			json_pack("{s:i,s:s?,s:s?,s:o,s:o,s:s?,s:s?,s:s?,s:s?}",
				  "n", n, "name",
				  in ? json_string_value(
					       json_object_get(in, k_name))
				     : NULL,
				  "email",
				  in ? json_string_value(
					       json_object_get(in, k_email))
				     : NULL,
				  "post_options",
				  membership_options(
					  organisations_post_values,
					  organisations_post_labels,
					  membership_value_or_null(r, k_post)),
				  "rank_options",
				  membership_options(
					  organisations_rank_values,
					  organisations_rank_labels,
					  membership_value_or_null(r, k_rank)),
				  "error_name", error_of(r, k_name),
				  "error_email", error_of(r, k_email),
				  "error_post", error_of(r, k_post),
				  "error_rank", error_of(r, k_rank)));
	}
	return a;
}

/* The form page of level lv with what was typed and the messages. */
static void
form_page(struct req *r, struct resp *w, int status, const struct level *lv)
{
	json_t *focal = focal_model(r), *model;

	if (focal == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	model = json_pack(
		"{s:{s:s,s:s,s:s,s:o,s:b,s:b},s:o,s:o,s:o,s:o,s:o,s:i}",
		"level", "slug", lv->slug, "name", lv->name, "summary",
		lv->summary, "who_html", render_markdown(lv->who_md), "is_org",
		lv->is_org, "requires_un", lv->requires_un, "focal_areas",
		focal, "ecosoc_options",
		membership_options(
			organisations_ecosoc_values,
			organisations_ecosoc_labels,
			membership_value_or_null(r, "ecosoc_status")),
		"post_options",
		membership_options(organisations_post_values,
				   organisations_post_labels,
				   membership_value_or_null(r, "post")),
		"rank_options",
		membership_options(organisations_rank_values,
				   organisations_rank_labels,
				   membership_value_or_null(r, "rank")),
		"reps", reps_model(r), "year_now", this_year());
	/* the organisation's seat, or where the applicant lives */
	json_object_set_new(
		model, "country_chooser",
		countries_chooser(membership_value_or_null(r, "country"),
				  COUNTRY_REQUIRED |
					  (lv->is_org ? 0 : COUNTRY_PERSONAL)));
	json_object_set_new(model, "action",
			    json_sprintf("/join/%s", lv->slug));
	if (r->input) {
		json_t *in = json_deep_copy(r->input);

		json_object_set_new(model, "input", in);
		json_object_set_new(model, "dgc_checked",
				    json_boolean(req_value(r, "dgc_associated")
							 ->num == 1));
	}
	resp_form_errors(model, r->errors);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "applications/templates/join_form.html",
		  i18n_text(r->arena, _("Apply: {level}"), "level", lv->name,
			    NULL),
		  model);
}

/* ---- the pages ---- */

static void
join_levels(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &join_sql, S_LEVELS);
	json_t *rows = st ? db_all_json(st) : NULL;

	if (rows == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	resp_page(w, 200, "applications/templates/join.html",
		  _("Join the Alliance"), json_pack("{s:o}", "levels", rows));
}

static void
join_form(struct req *r, struct resp *w)
{
	struct level lv;
	int rc = load_level(r, req_param(r, "level"), &lv);

	if (rc < 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	if (rc == 0) {
		resp_error(w, 404,
			   _("There is no such membership level. See the "
			     "levels at /join."));
		return;
	}
	form_page(r, w, 200, &lv);
}

static void
join_thanks(struct req *r, struct resp *w)
{
	resp_page(w, 200, "applications/templates/join_thanks.html",
		  _("Application received"), json_object());
}

/* ---- checks that depend on the level ---- */

/* A field's value is absent and has no message of its own yet. */
static int
missing(const struct req *r, const char *name)
{
	return !req_value(r, name)->present && error_of(r, name) == NULL;
}

/* The UN status a level requiring it must show: ECOSOC status with its
 * year, or DGC association with its year, or both; years not in the
 * future. */
static void
check_un_status(struct req *r)
{
	const struct value *status = req_value(r, "ecosoc_status");
	const struct value *ey = req_value(r, "ecosoc_year");
	const struct value *dgc = req_value(r, "dgc_associated");
	const struct value *dy = req_value(r, "dgc_year");
	int year = this_year();
	int ecosoc = status->present || ey->present;
	int assoc = dgc->num == 1 || dy->present;

	if (!ecosoc && !assoc && error_of(r, "ecosoc_status") == NULL &&
	    error_of(r, "ecosoc_year") == NULL &&
	    error_of(r, "dgc_year") == NULL) {
		membership_add_error(
			r, "ecosoc_status",
			_("Full membership needs UN status: give your "
			  "organisation's ECOSOC consultative status, or its "
			  "association with the UN Department of Global "
			  "Communications, with the year it was granted"));
		return;
	}
	if (ecosoc) {
		if (missing(r, "ecosoc_status"))
			membership_add_error(
				r, "ecosoc_status",
				_("ECOSOC consultative status: choose general, "
				  "special or roster"));
		if (missing(r, "ecosoc_year"))
			membership_add_error(
				r, "ecosoc_year",
				_("Year ECOSOC status was granted is required "
				  "with the status"));
		else if (ey->present && ey->num > year)
			membership_add_error(
				r, "ecosoc_year",
				_("Year ECOSOC status was granted cannot be in "
				  "the future"));
	}
	if (assoc) {
		if (dgc->num != 1 && error_of(r, "dgc_associated") == NULL)
			membership_add_error(
				r, "dgc_associated",
				_("Association with the Department of Global "
				  "Communications: tick the box to give the "
				  "year of association"));
		if (missing(r, "dgc_year"))
			membership_add_error(
				r, "dgc_year",
				_("Year of association with the DGC is "
				  "required with the association"));
		else if (dy->present && dy->num > year)
			membership_add_error(
				r, "dgc_year",
				_("Year of association with the DGC cannot be "
				  "in the future"));
	}
}

/* The representatives: a name and an e-mail each, or neither; a rank
 * only with a post; every address once (the applicant's included). */
static void
check_reps(struct req *r)
{
	const char *emails[MAX_REPS + 1];
	size_t nemails = 0;

	if (req_value(r, "rank")->present && !req_value(r, "post")->present)
		membership_add_error(
			r, "post",
			_("Your UN post: choose one to give a rank"));
	if (req_value(r, "email")->present)
		emails[nemails++] =
			mail_address_key(r->arena, req_value(r, "email")->str);
	for (int n = 1; n <= MAX_REPS; n++) {
		const char *k_name = arena_printf(r->arena, "rep%d_name", n);
		const char *k_email = arena_printf(r->arena, "rep%d_email", n);
		const char *k_post = arena_printf(r->arena, "rep%d_post", n);
		const char *k_rank = arena_printf(r->arena, "rep%d_rank", n);
		const char *num = arena_printf(r->arena, "%d", n);
		const struct value *name = req_value(r, k_name);
		const struct value *email = req_value(r, k_email);
		int any = name->present || email->present ||
			  req_value(r, k_post)->present ||
			  req_value(r, k_rank)->present;

		if (!any)
			continue;
		if (missing(r, k_name))
			membership_add_error(
				r, k_name,
				i18n_text(r->arena,
					  _("Name of representative {n} is "
					    "required with the other details"),
					  "n", num, NULL));
		if (missing(r, k_email))
			membership_add_error(
				r, k_email,
				i18n_text(r->arena,
					  _("E-mail of representative {n} is "
					    "required with the other details"),
					  "n", num, NULL));
		if (req_value(r, k_rank)->present &&
		    !req_value(r, k_post)->present)
			membership_add_error(
				r, k_post,
				i18n_text(r->arena,
					  _("UN post of representative {n}: "
					    "choose one to give a rank"),
					  "n", num, NULL));
		if (email->present) {
			const char *e = mail_address_key(r->arena, email->str);

			for (size_t i = 0; i < nemails; i++)
				if (strcmp(emails[i], e) == 0)
					membership_add_error(
						r, k_email,
						i18n_text(
							r->arena,
							_("E-mail of "
							  "representative {n} "
							  "is given twice: "
							  "each person once"),
							"n", num, NULL));
			emails[nemails++] = e;
		}
	}
}

/* Focal areas must be among the listed ones. */
static void
check_focal(struct req *r)
{
	const struct field_values *fv = membership_multi(r, "focal");
	json_t *known;

	if (fv == NULL || fv->n == 0 || error_of(r, "focal"))
		return;
	if ((known = focal_model(r)) == NULL)
		return;
	for (size_t k = 0; k < fv->n; k++) {
		int found = !fv->v[k].present;
		json_t *row;
		size_t i;

		json_array_foreach (known, i, row)
			if (fv->v[k].present &&
			    strcmp(json_string_value(json_object_get(row, "slug")),
				   fv->v[k].str) == 0)
				found = 1;
		if (!found)
			membership_add_error(
				r, "focal",
				_("Focal areas: choose among the listed ones"));
	}
	json_decref(known);
}

static void
check_application(struct req *r, const struct level *lv)
{
	if (req_value(r, "consent")->num != 1)
		membership_add_error(r, "consent",
				     _("Please agree to the privacy policy to "
				       "send the application"));
	if (lv->is_org) {
		if (missing(r, "org_name"))
			membership_add_error(
				r, "org_name",
				_("Organisation name is required"));
		if (missing(r, "country"))
			membership_add_error(r, "country",
					     _("Country is required"));
		if (missing(r, "org_description"))
			membership_add_error(
				r, "org_description",
				_("What your organisation does is required"));
		check_reps(r);
		if (lv->requires_un)
			check_un_status(r);
	} else {
		if (missing(r, "country"))
			membership_add_error(r, "country",
					     _("Country is required"));
		if (missing(r, "statement"))
			membership_add_error(
				r, "statement",
				_("Why you wish to join is required"));
	}
	check_focal(r);
}

/* ---- storing ---- */

/* The representatives as stored: [{name, email, un_post, un_rank,
 * main_contact}], the applicant first as the main contact. */
static json_t *
reps_json(struct req *r)
{
	json_t *a = json_array();

	json_array_append_new(
		a, json_pack("{s:s,s:s,s:s?,s:s?,s:b}", "name",
			     req_value(r, "name")->str, "email",
			     mail_address_key(r->arena,
					      req_value(r, "email")->str),
			     "un_post", membership_value_or_null(r, "post"),
			     "un_rank", membership_value_or_null(r, "rank"),
			     "main_contact", 1));
	for (int n = 1; n <= MAX_REPS; n++) {
		const char *name = membership_value_or_null(
			r, arena_printf(r->arena, "rep%d_name", n));
		const char *email = membership_value_or_null(
			r, arena_printf(r->arena, "rep%d_email", n));

		if (name == NULL || email == NULL)
			continue;
		json_array_append_new(
			a,
			json_pack("{s:s,s:s,s:s?,s:s?,s:b}", "name", name,
				  "email", mail_address_key(r->arena, email),
				  "un_post",
				  membership_value_or_null(
					  r, arena_printf(r->arena,
							  "rep%d_post", n)),
				  "un_rank",
				  membership_value_or_null(
					  r, arena_printf(r->arena,
							  "rep%d_rank", n)),
				  "main_contact", 0));
	}
	return a;
}

/* The chosen focal areas as "slug,slug" (arena). */
static const char *
focal_text(struct req *r)
{
	const struct field_values *fv = membership_multi(r, "focal");
	struct buf b = BUF_INIT;
	const char *s;

	for (size_t k = 0; fv && k < fv->n; k++) {
		int seen = 0;

		/* a slug sent twice counts once */
		for (size_t j = 0; j < k; j++)
			seen |= fv->v[j].present &&
				strcmp(fv->v[j].str, fv->v[k].str) == 0;
		if (!fv->v[k].present || seen)
			continue;
		if (b.len)
			buf_putc(&b, ',');
		buf_puts(&b, fv->v[k].str);
	}
	s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* Binds an integer field, or NULL when absent. */
static void
bind_int_or_null(struct db_stmt *st, int i, const struct value *v)
{
	if (v->present)
		db_bind_int(st, i, v->num);
	else
		db_bind_null(st, i);
}

/* Inserts the application of r for level lv; its id, or -1. */
static int64_t
insert_application(struct req *r, const struct level *lv, const char *email,
		   const char *reps)
{
	struct db_stmt *st = db_stmt(r->db, &join_sql, S_APPLICATION_INSERT);
	int un = lv->is_org && lv->requires_un;
	int64_t t = clock_now(), id;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, lv->id);
	db_bind_text(st, 2, req_value(r, "name")->str);
	db_bind_text(st, 3, email);
	db_bind_text(st, 4,
		     lv->is_org ? membership_value_or_null(r, "org_name")
				: NULL);
	db_bind_text(st, 5,
		     lv->is_org ? membership_value_or_null(r, "org_acronym")
				: NULL);
	/* an individual's country goes in the same column */
	db_bind_text(st, 6, membership_value_or_null(r, "country"));
	db_bind_text(st, 7,
		     lv->is_org ? membership_value_or_null(r, "org_website")
				: NULL);
	db_bind_text(st, 8,
		     lv->is_org ? membership_value_or_null(r, "org_description")
				: NULL);
	db_bind_text(
		st, 9,
		lv->is_org ? membership_value_or_null(r, "org_contact_address")
			   : NULL);
	db_bind_text(st, 10,
		     un ? membership_value_or_null(r, "ecosoc_status") : NULL);
	if (un)
		bind_int_or_null(st, 11, req_value(r, "ecosoc_year"));
	db_bind_int(st, 12, un && req_value(r, "dgc_associated")->num == 1);
	if (un)
		bind_int_or_null(st, 13, req_value(r, "dgc_year"));
	db_bind_text(st, 14, focal_text(r));
	db_bind_text(st, 15, reps);
	db_bind_text(st, 16,
		     membership_value_or_null(r, "statement")
			     ? membership_value_or_null(r, "statement")
			     : "");
	db_bind_int(st, 17, t);
	db_bind_int(st, 18, t);
	if (db_one_int(st, &id) != 0)
		return -1;
	return id;
}

/* The receipt to the applicant and the notice to the secretariat.  The
 * applicant's address is not confirmed, so the receipt carries no text
 * typed into the form (no names: the level's name is ours), lest the form
 * relay anyone's text to any address; the secretariat's notice has it.
 * The receipt is in the request's language, recorded for the address
 * (mail_remember_language) so that the later letters about the
 * application are in it too; the notice is in the default language. */
static int
send_notices(struct req *r, const struct level *lv, int64_t id,
	     const char *email)
{
	const char *name = req_value(r, "name")->str;
	const char *who = lv->is_org ? req_value(r, "org_name")->str : name;
	int rc;

	rc = mail_remember_language(r->db, r->arena, email);
	if (rc == 0)
		rc = mail_letter(
			r->db, email, NULL, _("We received your application"),
			i18n_text(
				r->arena,
				_("Thank you for applying to become a member "
				  "of the Alliance ({level}). The secretariat "
				  "will review your application and write to "
				  "you at this address, usually within a few "
				  "weeks. If we need to know more, we will "
				  "ask. If you did not apply, you can ignore "
				  "this message."),
				"level", lv->name, NULL));
	if (rc != 0)
		return rc;
	i18n_push(NULL);
	rc = mail_to_secretariat(
		r->db,
		i18n_text(r->arena, _("New membership application: {name}"),
			  "name", who, NULL),
		i18n_text(
			r->arena,
			_("{applicant} <{email}> applied for the level "
			  "\"{level}\" for {name}. Review it here:\n\n{link}"),
			"applicant", name, "email", email, "level", lv->name,
			"name", who, "link",
			arena_printf(r->arena, "%s/admin/applications/%lld",
				     config_current->base_url, (long long)id),
			NULL));
	i18n_pop();
	return rc;
}

static void
join_submit(struct req *r, struct resp *w)
{
	const char *email, *reps_text, *msg = NULL;
	char *text;
	struct level lv;
	json_t *reps;
	int64_t id;
	int rc = load_level(r, req_param(r, "level"), &lv), wait;

	if (rc <= 0) {
		if (rc < 0)
			resp_error(w, 500,
				   _("Something went wrong on our side."));
		else
			resp_error(w, 404,
				   _("There is no such membership level."));
		return;
	}
	check_application(r, &lv);
	if (r->errors) {
		form_page(r, w, 422, &lv);
		return;
	}
	email = mail_address_key(r->arena, req_value(r, "email")->str);
	if ((wait = limits_check(r, w, &limits_join, email,
				 N_("applications"), &msg)) != 0) {
		if (wait < 0)
			resp_error(w, 500,
				   _("Something went wrong on our side."));
		else if (r->want_json)
			resp_error(w, 429, msg);
		else {
			membership_add_error(r, "email", msg);
			form_page(r, w, 429, &lv);
		}
		return;
	}
	reps = lv.is_org ? reps_json(r) : json_array();
	text = json_dumps(reps, JSON_COMPACT);
	reps_text = arena_strdup(r->arena, text ? text : "[]");
	free(text);
	json_decref(reps);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NOT_SAVED);
	if ((id = insert_application(r, &lv, email, reps_text)) < 0)
		return resp_fail(r, w, NOT_SAVED);
	if (audit_record_new(r->db, r->person ? r->person->id : 0,
			     "application.submit", "application",
			     arena_printf(r->arena, "%lld", (long long)id), NULL,
			     json_pack("{s:s,s:s,s:s,s:s?}", "level", lv.slug,
				       "applicant_name",
				       req_value(r, "name")->str,
				       "applicant_email", email, "org_name",
				       lv.is_org ? req_value(r, "org_name")->str
						 : NULL),
			     r->client) != 0 ||
	    send_notices(r, &lv, id, email) != 0 || db_commit(r->db) != 0)
		return resp_fail(r, w, NOT_SAVED);
	resp_redirect(w, "/join/thanks");
}

#define T ACCESS_PUBLIC

static const struct route join_routes[] = {
	{.method = HTTP_GET, .pattern = "/join", .who = T,
	 .handler = join_levels,
	 .summary = "The membership levels, each with a link to its "
		    "application form"},
	{.method = HTTP_GET, .pattern = "/join/thanks", .who = T,
	 .handler = join_thanks,
	 .summary = "Says the application was received and what happens next"},
	{.method = HTTP_GET, .pattern = "/join/:level", .who = T,
	 .handler = join_form, .flags = ROUTE_FORM | ROUTE_PERSONAL,
	 .summary = "The application form of one membership level"},
	{.method = HTTP_POST, .pattern = "/join/:level", .who = T,
	 .fields = join_fields, .handler = join_submit,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Sends an application: stored, receipt to the applicant, "
		    "notice to the secretariat"},
};

/* The words of /join for the site search: each level's name and summary,
 * as its cards show them. */
static int
join_words(struct db *db, struct buf *out)
{
	return membership_levels_words(db, out, 0);
}

/* /join in the site search: its heading, its lead and the levels' names
 * and summaries (rewritten with them: membership/levels.c). */
static const struct search_page join_pages[] = {
	{.slug = "join",
	 .title = N_("Join the Alliance"),
	 .text = N_("Choose the kind of membership that fits you. The "
		    "secretariat reviews every application and answers by "
		    "e-mail."),
	 .words = join_words},
};

static const struct search_source join_search[] = {
	{.kind = "membership",
	 .prefix = "/",
	 .label = N_("Membership"),
	 .pages = join_pages,
	 .npages = ARRAY_LEN(join_pages)},
};

const struct module join_module = {
	.name = "join",
	.routes = join_routes,
	.nroutes = ARRAY_LEN(join_routes),
	.sql = &join_sql,
	.search = join_search,
	.nsearch = ARRAY_LEN(join_search),
};
