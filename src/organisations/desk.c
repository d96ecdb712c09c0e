/*
 * desk.c -- the secretariat's desk for organisations: every organisation,
 * whatever its membership or directory visibility (imported ones without
 * a membership included), and a page per organisation.
 *
 *   GET /admin/organisations       the list: words of the name or acronym
 *                                  (the names index, core/search.h),
 *                                  country, membership state ("none" for
 *                                  no membership at all), visibility;
 *                                  sorted by name, country or newest; 50
 *                                  a page with a count
 *   GET /admin/organisations/:id   its details, memberships, people (the
 *                                  main contact marked, each linking to
 *                                  /admin/people/ID) and its history from
 *                                  the audit log (the organisation's
 *                                  records and its memberships')
 *
 * Both are ACCESS_ADMIN and personal.  A row's membership is its latest
 * (by period end): the state shown, and the one the state filter reads,
 * so what the list says and what it filters on agree.  The list runs two
 * statements (count, page), the organisation page four, whatever the
 * data.  The words reach SQL as a bound JSON array of ids (search_keys),
 * read by each backend its own way: the only statements with a variant.
 *
 * The module also declares the overview's tile of organisations without
 * any membership, and the menu entry "Organisations".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/countries.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/util.h"
#include "membership/membership.h"
#include "organisations/organisations_int.h"

#define PAGE_SIZE 50
#define MAX_PAGE 100000
#define HISTORY_MAX 100

enum stmt_desk {
	D_COUNT,
	D_PAGE,
	D_ORG,
	D_MEMBERSHIPS,
	D_PEOPLE,
	D_ASKED,
	D_HISTORY,
	D_WITHOUT_MEMBERSHIP,
	D__MAX,
};

/* The list's parameters, the same in the count and the page (a value
 * tested twice is bound twice): see bind_filters. */
enum {
	P_WORDS = 1, /* and 2: JSON array of ids (search_keys), or NULL: any */
	P_COUNTRY = 3,    /* and 4 */
	P_MEMBERSHIP = 5, /* to 7: a state, "none", or NULL */
	P_VISIBILITY = 8, /* and 9 */
	P_SORT = 10,      /* and 11, 12 */
	P_LIMIT = 13,
	P_OFFSET = 14,
};

/* Every organisation with its latest membership m (by period end, then
 * the newest) and that membership's level l; then the filters. */
#define DESK_FROM                                                              \
	" FROM organisations o"                                                \
	" LEFT JOIN memberships m ON m.id = (SELECT m2.id FROM memberships m2" \
	"  WHERE m2.organisation_id = o.id"                                    \
	"  ORDER BY m2.period_end DESC, m2.id DESC LIMIT 1)"                   \
	" LEFT JOIN membership_levels l ON l.id = m.level_id"
#define DESK_FILTERS                                                           \
	" AND (CAST(? AS TEXT) IS NULL OR o.country = ?)"                      \
	" AND (CAST(? AS TEXT) IS NULL OR (? = 'none' AND m.id IS NULL)"       \
	"  OR m.state = ?)"                                                    \
	" AND (CAST(? AS TEXT) IS NULL OR o.visibility = ?)"
#define DESK_COUNT(words)                                                      \
	"SELECT count(*)" DESK_FROM " WHERE" words DESK_FILTERS
/* When the organisation's last audit record was written (its own, not its
 * memberships'): ISO text, NULL for none. */
#define DESK_CHANGED                                                           \
	"(SELECT max(a.at) FROM audit_log a WHERE a.object_type ="             \
	" 'organisation' AND a.object_id = CAST(o.id AS TEXT))"
#define DESK_PAGE(words)                                                       \
	"SELECT o.id, o.slug, o.name, o.acronym, o.country, o.visibility,"     \
	" o.created_at, m.state, l.name AS level_name,"                        \
	" (SELECT count(*) FROM representatives r"                             \
	"  WHERE r.organisation_id = o.id) AS people," DESK_CHANGED            \
	" AS changed_at" DESK_FROM " WHERE" words DESK_FILTERS                 \
	" ORDER BY CASE WHEN CAST(? AS TEXT) = 'country'"                      \
	"  THEN COALESCE(o.country, 'ZZZ') ELSE '' END,"                       \
	" CASE WHEN CAST(? AS TEXT) = 'changed'"                               \
	"  THEN COALESCE(" DESK_CHANGED ", '') ELSE '' END DESC,"              \
	" CASE WHEN CAST(? AS TEXT) = 'newest' THEN -o.created_at ELSE 0 END," \
	" o.name_key, o.id LIMIT ? OFFSET ?"

/* The words: NULL, or the ids of the names index's matches. */
#define WORDS_SQLITE " (? IS NULL OR o.id IN (SELECT value FROM json_each(?)))"
#define WORDS_PG                                                               \
	" (CAST(? AS TEXT) IS NULL OR o.id IN"                                 \
	"  (SELECT CAST(json_array_elements_text(CAST(? AS json))"             \
	"  AS BIGINT)))"

static const char *const desk_sql_text_sqlite[D__MAX] = {
	[D_COUNT] = DESK_COUNT(WORDS_SQLITE),
	[D_PAGE] = DESK_PAGE(WORDS_SQLITE),
};

static const char *const desk_sql_text_pg[D__MAX] = {
	[D_COUNT] = DESK_COUNT(WORDS_PG),
	[D_PAGE] = DESK_PAGE(WORDS_PG),
};

static const char *const desk_sql_text[D__MAX] = {
	[D_ORG] = "SELECT o.id, o.slug, o.name, o.acronym, o.country,"
		  " o.website, o.email_domain, o.contact_address,"
		  " o.description_md, o.visibility, o.ecosoc_status,"
		  " o.ecosoc_year, o.dgc_associated, o.dgc_year, o.created_at,"
		  " CASE WHEN o.listed_level_id IS NULL THEN 0 ELSE 1 END"
		  " AS listed FROM organisations o WHERE o.id = ?",
	[D_MEMBERSHIPS] = "SELECT m.id, l.name AS level_name, m.state,"
			  " m.state_since, m.period_start, m.period_end"
			  " FROM memberships m"
			  " JOIN membership_levels l ON l.id = m.level_id"
			  " WHERE m.organisation_id = ?"
			  " ORDER BY m.period_end DESC, m.id DESC",
	[D_PEOPLE] =
		"SELECT p.id, p.name, p.email, r.main_contact, r.un_post,"
		" r.un_rank, CASE WHEN p.password_hash IS NULL THEN 1"
		" ELSE 0 END AS invited"
		" FROM representatives r JOIN people p ON p.id = r.person_id"
		" WHERE r.organisation_id = ?"
		" ORDER BY r.main_contact DESC, p.name, p.id",
	/* binds: now (unix seconds), the organisation's id */
	[D_ASKED] = "SELECT p.id, p.name, p.email, i.created_at,"
		    " CASE WHEN i.expires_at > ? THEN 0 ELSE 1 END AS expired"
		    " FROM representative_invitations i"
		    " JOIN people p ON p.id = i.person_id"
		    " WHERE i.organisation_id = ?"
		    " ORDER BY i.created_at DESC, i.id DESC",
	/* binds: the organisation's id as text, its id, the limit */
	[D_HISTORY] = "SELECT a.id, a.at, a.actor, p.name AS actor_name,"
		      " a.action, a.object_type, a.before_json, a.after_json"
		      " FROM audit_log a LEFT JOIN people p ON p.id = a.actor"
		      " WHERE (a.object_type = 'organisation'"
		      "  AND a.object_id = ?)"
		      " OR (a.object_type = 'membership' AND a.object_id IN"
		      "  (SELECT CAST(id AS TEXT) FROM memberships"
		      "  WHERE organisation_id = ?))"
		      " ORDER BY a.at DESC, a.id DESC LIMIT ?",
	[D_WITHOUT_MEMBERSHIP] =
		"SELECT count(*) FROM organisations o"
		" WHERE NOT EXISTS (SELECT 1 FROM memberships m"
		" WHERE m.organisation_id = o.id)",
};

static struct db_sql desk_sql = {"desk", desk_sql_text, D__MAX, 0};

/* The membership filter: no membership at all, or the latest one's
 * state, with the labels membership/states.c gives the states. */
static const char *const membership_values[] = {
	"none", "pending", "active", "grace", "lapsed", "cancelled", NULL};
static const char *const membership_labels[] = {
	N_("No membership"),       N_("Pending"), N_("Active"),
	N_("In its grace period"), N_("Lapsed"),  N_("Cancelled")};

static const char *const sort_values[] = {"name", "country", "newest",
					  "changed", NULL};
static const char *const sort_labels[] = {
	N_("Name"), N_("Country"), N_("Newest first"), N_("Recently changed")};

/* What the history shows for each action recorded on an organisation or
 * its memberships; another action shows as recorded. */
static const char *const action_values[] = {
	"organisation.create",
	"organisation.edit",
	"representative.add",
	"representative.invite",
	"representative.main_contact",
	"representative.post",
	"representative.remove",
	"membership.create",
	"membership.renew",
	"membership.renewal.request",
	"membership.state",
	"membership.cancel",
	"membership.reinstate",
	NULL,
};
static const char *const action_labels[] = {
	N_("Organisation added"),           N_("Details changed"),
	N_("Representative added"),         N_("Representative invited"),
	N_("Main contact handed over"),     N_("UN post changed"),
	N_("Representative removed"),       N_("Membership started"),
	N_("Membership renewed"),           N_("Renewal requested"),
	N_("Membership state changed"),     N_("Membership ended"),
	N_("End of membership taken back"),
};

static const struct field list_fields[] = {
	{.name = "q",
	 .type = FT_TEXT,
	 .maxlen = 100,
	 .label = N_("Name or acronym")},
	{.name = "country", .type = FT_COUNTRY, .label = N_("Country")},
	{.name = "membership",
	 .type = FT_CHOICE,
	 .choices = membership_values,
	 .label = N_("Membership")},
	{.name = "visibility",
	 .type = FT_CHOICE,
	 .choices = organisations_visibility_values,
	 .label = N_("Directory visibility")},
	{.name = "sort",
	 .type = FT_CHOICE,
	 .choices = sort_values,
	 .label = N_("Sort by")},
	{.name = "page",
	 .type = FT_INT,
	 .min = 1,
	 .max = MAX_PAGE,
	 .label = N_("Page")},
	{0},
};

/* ---- the list ---- */

/* Binds the list's filters (P_WORDS .. P_VISIBILITY + 1) of r to st,
 * each value to each of its parameters. */
static void
bind_filters(struct req *r, struct db_stmt *st, const char *ids)
{
	static const struct {
		const char *name;
		int first, n;
	} binds[] = {{"country", P_COUNTRY, 2},
		     {"membership", P_MEMBERSHIP, 3},
		     {"visibility", P_VISIBILITY, 2}};

	db_bind_text(st, P_WORDS, ids);
	db_bind_text(st, P_WORDS + 1, ids);
	for (size_t i = 0; i < ARRAY_LEN(binds); i++)
		for (int k = 0; k < binds[i].n; k++)
			db_bind_text(
				st, binds[i].first + k,
				membership_value_or_null(r, binds[i].name));
}

/* For each row's time at key in the audit log's form
 * ("2026-11-29T06:20:00Z"), adds key_text, the way pages show times
 * (render_add_times reads unix seconds).  Rows without one are left
 * alone. */
static void
add_audit_times(json_t *rows, const char *key)
{
	char text_key[64];
	json_t *row;
	size_t i;

	snprintf(text_key, sizeof(text_key), "%s_text", key);
	json_array_foreach(rows, i, row) {
		const char *s = membership_str(row, key);
		struct tm tm = {0};
		char text[80];

		if (s == NULL ||
		    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
			   &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			   &tm.tm_sec) != 6)
			continue;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		render_time_text(&tm, text, sizeof(text));
		json_object_set_new(row, text_key, json_string(text));
	}
}

/* Adds to each row what people read: the country's name, the visibility
 * and the membership's state as words. */
static void
add_row_labels(json_t *rows)
{
	json_t *row;
	size_t i;

	countries_name_field(rows, "country", "country_name");
	json_array_foreach(rows, i, row) {
		const char *state = membership_str(row, "state");

		json_object_set_new(
			row, "visibility_text",
			json_string(membership_label_of(
				organisations_visibility_values,
				organisations_visibility_labels,
				membership_str(row, "visibility"))));
		if (state)
			json_object_set_new(row, "state_text",
					    json_string(states_label(state)));
	}
}

static void
list_page(struct req *r, struct resp *w)
{
	struct db_stmt *st;
	struct pager pg;
	const char *ids;
	int64_t total;
	json_t *rows, *model;
	struct buf total_text = BUF_INIT;
	char num[24];

	pager_read(r, PAGE_SIZE, &pg);
	if (organisations_name_ids(r, &ids) != 0 ||
	    (st = db_stmt(r->db, &desk_sql, D_COUNT)) == NULL)
		return membership_read_failed(w);
	bind_filters(r, st, ids);
	if (db_one_int(st, &total) != 0 ||
	    (st = db_stmt(r->db, &desk_sql, D_PAGE)) == NULL)
		return membership_read_failed(w);
	bind_filters(r, st, ids);
	db_bind_text(st, P_SORT, membership_value_or_null(r, "sort"));
	db_bind_text(st, P_SORT + 1, membership_value_or_null(r, "sort"));
	db_bind_text(st, P_SORT + 2, membership_value_or_null(r, "sort"));
	db_bind_int(st, P_LIMIT, PAGE_SIZE);
	db_bind_int(st, P_OFFSET, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return membership_read_failed(w);
	add_row_labels(rows);
	render_add_times(rows, "created_at");
	add_audit_times(rows, "changed_at");

	snprintf(num, sizeof(num), "%lld", (long long)total);
	i18n_format(&total_text,
		    _n("{n} organisation matches.", "{n} organisations match.",
		       (unsigned long)total),
		    "n", num, NULL);
	model = json_pack(
		"{s:o,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "organisations", rows,
		"total", (json_int_t)total, "total_text", buf_cstr(&total_text),
		"filter", pager_filters(r, NULL), "country_options",
		countries_model(membership_value_or_null(r, "country")),
		"membership_options",
		membership_options(membership_values, membership_labels,
				   membership_value_or_null(r, "membership")),
		"visibility_options",
		membership_options(organisations_visibility_values,
				   organisations_visibility_labels,
				   membership_value_or_null(r, "visibility")),
		"sort_options",
		membership_options(sort_values, sort_labels,
				   membership_value_or_null(r, "sort")),
		"pager",
		pager_model(r, &pg, "/admin/organisations", NULL, 0, total));
	buf_free(&total_text);
	membership_admin_page(
		r, w, 200, "organisations/templates/desk_list.html",
		_("Organisations"), "/admin/organisations", model);
}

/* ---- one organisation ---- */

/* The rows of statement s of the organisation id (bound as each
 * statement reads it: see desk_sql_text), or NULL on a database
 * error. */
static json_t *
org_rows(struct req *r, enum stmt_desk s, int64_t id)
{
	struct db_stmt *st = db_stmt(r->db, &desk_sql, s);

	if (st == NULL)
		return NULL;
	if (s == D_ASKED) {
		db_bind_int(st, 1, clock_now());
		db_bind_int(st, 2, id);
	} else if (s == D_HISTORY) {
		db_bind_text(st, 1, membership_id_text(r->arena, id));
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, HISTORY_MAX);
	} else {
		db_bind_int(st, 1, id);
	}
	return db_all_json(st);
}

/* How the history shows a key of the audit log's before and after, and
 * its values: the fields of organisations, representatives and
 * memberships that their records hold.  Another key shows as recorded,
 * its value as text. */
enum change_kind {
	CK_TEXT,
	CK_COUNTRY,
	CK_STATE,
	CK_VISIBILITY,
	CK_ECOSOC,
	CK_POST,
	CK_RANK,
	CK_YES_NO,
	CK_MONEY, /* minor units of the record's "currency" */
};

static const struct {
	const char *key, *label;
	enum change_kind kind;
} change_keys[] = {
	{"name", N_("Name"), CK_TEXT},
	{"acronym", N_("Acronym"), CK_TEXT},
	{"slug", N_("Page address"), CK_TEXT},
	{"country", N_("Country"), CK_COUNTRY},
	{"website", N_("Website"), CK_TEXT},
	{"description_md", N_("Description"), CK_TEXT},
	{"contact_address", N_("Address"), CK_TEXT},
	{"visibility", N_("Directory visibility"), CK_VISIBILITY},
	{"ecosoc_status", N_("ECOSOC status"), CK_ECOSOC},
	{"ecosoc_year", N_("ECOSOC year"), CK_TEXT},
	{"dgc_associated", N_("DGC associated"), CK_YES_NO},
	{"dgc_year", N_("DGC year"), CK_TEXT},
	{"focal_areas", N_("Focal areas"), CK_TEXT},
	{"source", N_("Source"), CK_TEXT},
	{"person", N_("Person (id)"), CK_TEXT},
	{"email", N_("E-mail"), CK_TEXT},
	{"main_contact", N_("Main contact"), CK_YES_NO},
	{"main_contacts", N_("Main contacts (ids)"), CK_TEXT},
	{"accepted", N_("Accepted"), CK_YES_NO},
	{"un_post", N_("UN post"), CK_POST},
	{"un_rank", N_("UN rank"), CK_RANK},
	{"state", N_("State"), CK_STATE},
	{"period_start", N_("Period starts"), CK_TEXT},
	{"period_end", N_("Period ends"), CK_TEXT},
	{"amount", N_("Amount"), CK_MONEY},
	{"currency", N_("Currency"), CK_TEXT},
	{"provider", N_("Paid through"), CK_TEXT},
	{"reason", N_("Reason"), CK_TEXT},
};

/* The row of change_keys for key, or -1. */
static int
change_key(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(change_keys); i++)
		if (strcmp(change_keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* Value v of key k (a row of change_keys, or -1) of an audit record whose
 * before or after object is record, as people read it: codes as words in
 * the current language, true/false as yes/no, strings as they are,
 * anything else as compact JSON.  A new JSON string. */
static json_t *
change_value(int k, json_t *v, json_t *record)
{
	const char *s = json_string_value(v);
	json_t *out;
	char *text;

	switch (k < 0 ? CK_TEXT : change_keys[k].kind) {
	case CK_COUNTRY:
		if (s && country_name(s))
			return json_string(country_name(s));
		break;
	case CK_STATE:
		if (s)
			return json_string(states_label(s));
		break;
	case CK_VISIBILITY:
		return json_string(membership_label_of(
			organisations_visibility_values,
			organisations_visibility_labels, s));
	case CK_ECOSOC:
		return json_string(
			membership_label_of(organisations_ecosoc_values,
					    organisations_ecosoc_labels, s));
	case CK_POST:
		return json_string(
			membership_label_of(organisations_post_values,
					    organisations_post_labels, s));
	case CK_RANK:
		return json_string(
			membership_label_of(organisations_rank_values,
					    organisations_rank_labels, s));
	case CK_YES_NO:
		if (json_is_boolean(v) || json_is_integer(v))
			return json_string(json_is_true(v) ||
							   json_integer_value(v)
						   ? _("yes")
						   : _("no"));
		break;
	case CK_MONEY:
		if (json_is_integer(v) &&
		    json_is_string(json_object_get(record, "currency")))
			return membership_money(
				json_integer_value(v),
				membership_str(record, "currency"));
		break;
	case CK_TEXT:
		break;
	}
	if (s)
		return json_string(s);
	if (json_is_null(v))
		return json_string(_("(none)"));
	text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	out = json_string(text ? text : "");
	free(text);
	return out;
}

/* What a record of the audit log changed, from its before and after
 * (JSON texts, either may be NULL or no object): [{key, before, after}],
 * one per key of either as people read it (change_keys), before absent
 * for a key that is new.  New reference. */
static json_t *
change_list(const char *before_text, const char *after_text)
{
	json_t *list = json_array();
	json_t *before = before_text ? json_loads(before_text, 0, NULL) : NULL;
	json_t *after = after_text ? json_loads(after_text, 0, NULL) : NULL;
	const char *key;
	json_t *x;

	if (!json_is_object(before)) {
		json_decref(before);
		before = json_object();
	}
	if (!json_is_object(after)) {
		json_decref(after);
		after = json_object();
	}
	json_object_foreach(after, key, x) {
		json_t *old = json_object_get(before, key);
		int k = change_key(key);

		json_array_append_new(
			list,
			json_pack("{s:s,s:o?,s:o}", "key",
				  k < 0 ? key : _(change_keys[k].label),
				  "before",
				  old ? change_value(k, old, before) : NULL,
				  "after", change_value(k, x, after)));
	}
	json_object_foreach(before, key, x) {
		int k = change_key(key);

		if (json_object_get(after, key))
			continue;
		json_array_append_new(
			list, json_pack("{s:s,s:o,s:s}", "key",
					k < 0 ? key : _(change_keys[k].label),
					"before", change_value(k, x, before),
					"after", ""));
	}
	json_decref(before);
	json_decref(after);
	return list;
}

/* Adds to each history row the action as words, what it changed and
 * whether the system made it. */
static void
add_history_labels(json_t *rows)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "action_text",
				    json_string(membership_label_of(
					    action_values, action_labels,
					    membership_str(row, "action"))));
		json_object_set_new(
			row, "changes",
			change_list(membership_str(row, "before_json"),
				    membership_str(row, "after_json")));
		json_object_set_new(
			row, "system",
			json_boolean(membership_int(row, "actor") == 0));
	}
}

static void
org_page(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	struct db_stmt *st;
	json_t *org, *memberships, *people, *asked, *history, *row;
	const char *desc;
	size_t i;

	if (id <= 0 || (st = db_stmt(r->db, &desk_sql, D_ORG)) == NULL)
		goto none;
	db_bind_int(st, 1, id);
	if ((org = db_one_json(st)) == NULL)
		return membership_read_failed(w);
	if (!json_is_object(org)) {
		json_decref(org);
		goto none;
	}
	memberships = org_rows(r, D_MEMBERSHIPS, id);
	people = org_rows(r, D_PEOPLE, id);
	asked = org_rows(r, D_ASKED, id);
	history = org_rows(r, D_HISTORY, id);
	if (memberships == NULL || people == NULL || asked == NULL ||
	    history == NULL) {
		json_decref(org);
		json_decref(memberships);
		json_decref(people);
		json_decref(asked);
		json_decref(history);
		return membership_read_failed(w);
	}
	countries_name_field(org, "country", "country_name");
	organisations_add_un_status(org);
	json_object_set_new(org, "visibility_text",
			    json_string(membership_label_of(
				    organisations_visibility_values,
				    organisations_visibility_labels,
				    membership_str(org, "visibility"))));
	desc = membership_str(org, "description_md");
	if (desc && *desc)
		json_object_set_new(org, "description_html",
				    render_markdown(desc));
	json_array_foreach(memberships, i, row)
		json_object_set_new(row, "state_text",
				    json_string(states_label(
					    membership_str(row, "state"))));
	json_array_foreach(people, i, row)
		organisations_add_rep_post(row);
	render_add_times(asked, "created_at");
	add_history_labels(history);
	add_audit_times(history, "at");
	membership_admin_page(
		r, w, 200, "organisations/templates/desk_org.html",
		membership_str(org, "name"), NULL,
		json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}", "organisation", org,
			  "memberships", memberships, "people", people, "asked",
			  asked, "history", history, "history_more",
			  json_array_size(history) >= HISTORY_MAX));
	return;
none:
	resp_error(w, 404, _("There is no such organisation."));
}

/* ---- the overview ---- */

/* The overview's count of organisations that have no membership at all
 * (imported ones, or ones whose membership was removed). */
static int
count_without_membership(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &desk_sql, D_WITHOUT_MEMBERSHIP);

	return st ? db_one_int(st, n) : -1;
}

static const struct admin_tile desk_tiles[] = {
	{N_("Organisations without a membership"),
	 "/admin/organisations?membership=none", 25, count_without_membership},
};

static const struct menu_entry desk_menu[] = {
	{"/admin/organisations", N_("Organisations"), 25},
};

static const struct route desk_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/admin/organisations",
	 .who = ACCESS_ADMIN,
	 .fields = list_fields,
	 .handler = list_page,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Every organisation, whatever its membership or "
		    "visibility: filtered, sorted, paged"},
	{.method = HTTP_GET,
	 .pattern = "/admin/organisations/:id",
	 .who = ACCESS_ADMIN,
	 .handler = org_page,
	 .flags = ROUTE_PERSONAL,
	 .summary = "One organisation for the secretariat: details, "
		    "memberships, people, history"},
};

/* The list's two statements read the words' ids each backend's way. */
static void
desk_init(void)
{
	db_register_variant(&desk_sql, "sqlite", desk_sql_text_sqlite);
	db_register_variant(&desk_sql, "pg", desk_sql_text_pg);
}

const struct module desk_module = {
	.name = "desk",
	.routes = desk_routes,
	.nroutes = ARRAY_LEN(desk_routes),
	.sql = &desk_sql,
	.init = desk_init,
	.admin_menu = desk_menu,
	.nadmin_menu = ARRAY_LEN(desk_menu),
	.admin_tiles = desk_tiles,
	.nadmin_tiles = ARRAY_LEN(desk_tiles),
};
