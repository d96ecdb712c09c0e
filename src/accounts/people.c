/*
 * people.c -- the secretariat's people desk: the list of people
 * (/admin/people) with their account's state and role and what the other
 * modules say they are (the organisations they represent), a page per
 * person (/admin/people/:id) with their invitations and history, and the
 * changes made there: the role, an invitation sent again, a sign-in link,
 * and one invitation to each imported person who never had one.
 *
 * It lives with the accounts because people are the accounts': their
 * state, links and mail are this module's (accounts.c).  What a person is
 * elsewhere comes from every module's people_roles hook (core/http.h),
 * gathered once by assemble, so this file names no other feature and the
 * secretariat's admin module none at all (docs/ARCHITECTURE.md).
 *
 * Every route is ACCESS_ADMIN and personal.  The list counts, then reads
 * one page (filters bound, a condition switched off by binding NULL, as in
 * core/audit.c).  An account's state is worked out in SQL (PERSON_STATE)
 * from when it was disabled, last signed in or set a password, and was
 * last invited (migration 0019).
 *
 * The role change is one transaction with its audit record (the last
 * active administrator keeps the role).  The mail sent from here -- an
 * invitation again, a sign-in link, invitations in bulk -- is invite.c's
 * (its own module, accounts_invite_module); this file has the desk's
 * statements and the person's page they answer with.
 */
#include "accounts_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/util.h"

#define PAGE_SIZE 50
#define MAX_PAGE 100000
/* Entries of a person's history shown on their page. */
#define HISTORY_SIZE 30

/* The state of an account: disabled; active (signed in, or chose a
 * password, which only a link that signs in allows); invited (mailed a
 * link, never used it); never (neither: imported, say). */
#define PERSON_STATE                                                           \
	"CASE WHEN disabled_at IS NOT NULL THEN 'disabled'"                    \
	" WHEN last_signin_at IS NOT NULL OR password_hash IS NOT NULL"        \
	" THEN 'active' WHEN invited_at IS NOT NULL THEN 'invited'"            \
	" ELSE 'never' END"

/* The list's filter: name or e-mail prefix (q, then the LIKE patterns
 * "q%", "% q%" for a later word of the name, "q%" for the address), role,
 * verified ("yes"/"no"), state.  Eleven placeholders. */
#define PEOPLE_WHERE                                                           \
	" WHERE (CAST(? AS TEXT) IS NULL OR lower(name) LIKE ? ESCAPE '\\'"    \
	"  OR lower(name) LIKE ? ESCAPE '\\'"                                  \
	"  OR lower(email) LIKE ? ESCAPE '\\')"                                \
	" AND (CAST(? AS TEXT) IS NULL OR role = ?)"                           \
	" AND (CAST(? AS TEXT) IS NULL"                                        \
	"  OR (? = 'yes' AND email_verified_at IS NOT NULL)"                   \
	"  OR (? = 'no' AND email_verified_at IS NULL))"                       \
	" AND (CAST(? AS TEXT) IS NULL OR " PERSON_STATE " = ?)"
#define PEOPLE_BINDS 11

static const char *const people_sql_text[P__MAX] = {
	[P_COUNT] = "SELECT COUNT(*) FROM people" PEOPLE_WHERE,
	[P_LIST] = "SELECT id, name, email, role,"
		   " email_verified_at IS NOT NULL AS verified, created_at,"
		   " disabled_at IS NOT NULL AS disabled, " PERSON_STATE
		   " AS state, last_signin_at, invited_at"
		   " FROM people" PEOPLE_WHERE
		   " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
	[P_PERSON] = "SELECT id, name, email, role, email_verified_at,"
		     " created_at, disabled_at, " PERSON_STATE " AS state,"
		     " last_signin_at, invited_at, language"
		     " FROM people WHERE id = ?",
	/* binds: person, now */
	[P_INVITATION] = "SELECT MAX(expires_at) FROM one_time_tokens"
			 " WHERE person_id = ? AND purpose = 'signin'"
			 " AND used_at IS NULL AND expires_at > ?",
	[P_PERSON_ROLE] = "SELECT role, name, email, disabled_at IS NOT NULL"
			  " FROM people WHERE id = ?",
	[P_ADMINS_ACTIVE] = "SELECT COUNT(*) FROM people"
			    " WHERE role = 'admin' AND disabled_at IS NULL",
	[P_SET_ROLE] = "UPDATE people SET role = ? WHERE id = ?",
	[P_INVITED] = "UPDATE people SET invited_at = ? WHERE id = ?",
	[P_NEVER_COUNT] = "SELECT COUNT(*) FROM people"
			  " WHERE " PERSON_STATE " = 'never'",
	[P_NEVER_LIST] = "SELECT id, name, email FROM people"
			 " WHERE " PERSON_STATE " = 'never'"
			 " ORDER BY id LIMIT ?",
	/* binds: now, id: only someone still never invited nor active */
	[P_CLAIM] = "UPDATE people SET invited_at = ? WHERE id = ?"
		    " AND invited_at IS NULL AND last_signin_at IS NULL"
		    " AND password_hash IS NULL AND disabled_at IS NULL",
};

struct db_sql accounts_people_sql = {"accounts_people", people_sql_text, P__MAX,
				     0};

static const char *const roles[] = {"member", "editor", "admin", NULL};
static const char *const role_labels[] = {N_("Standard account"), N_("Editor"),
					  N_("Administrator")};
static const char *const yes_no[] = {"yes", "no", NULL};
static const char *const yes_no_labels[] = {N_("Confirmed"),
					    N_("Not confirmed")};
static const char *const states[] = {"active", "invited", "never", "disabled",
				     NULL};
static const char *const state_labels[] = {
	N_("Active account"), N_("Invited, never signed in"),
	N_("Never invited nor signed in"), N_("Disabled account")};
/* what a page says after a change sent the browser back to it */
static const char *const done_list[] = {"role", "invited", NULL};
static const char *const done_person[] = {"role", "invitation", "link", NULL};
/* where the role form sends the browser back to: the person's page */
static const char *const back_person[] = {"person", NULL};
/* The lists' links leave out the one-shot notices of a change. */
static const char *const keep_out[] = {"done", "sent", NULL};

/* The modules' people_roles hooks, gathered by people_assemble. */
#define MAX_HOOKS 16
static int (*hooks[MAX_HOOKS])(struct req *r, json_t *people, int detail);
static size_t nhooks;

/* ---- shared pieces ---- */

static void
read_failed(struct resp *w)
{
	resp_error(w, 500,
		   _("Something went wrong on our side: the list could not be "
		     "read."));
}

void
accounts_no_such_person(struct resp *w)
{
	resp_error(w, 404, _("There is no such person."));
}

/* The label of value among values (msgids, translated), or "". */
static const char *
label_of(const char *const *values, const char *const *labels,
	 const char *value)
{
	for (size_t i = 0; value && values[i]; i++)
		if (strcmp(values[i], value) == 0)
			return _(labels[i]);
	return "";
}

/* Options for a <select>: [{value, label, selected}] from the
 * NULL-terminated values and their labels (msgids, shown in the current
 * language); current may be NULL. */
static json_t *
options(const char *const *values, const char *const *labels,
	const char *current)
{
	json_t *a = json_array();

	for (size_t i = 0; values[i]; i++) {
		int selected = current && strcmp(current, values[i]) == 0;

		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value",
						   values[i], "label",
						   _(labels[i]), "selected",
						   selected));
	}
	return a;
}

/* The text of a declared field, or NULL when it was not given. */
static const char *
value_or_null(const struct req *r, const char *name)
{
	const struct value *v = req_value(r, name);

	return v->present ? v->str : NULL;
}

/* Adds to each row the words for its role and state (role_text,
 * state_text), an empty "roles" list, and asks every module's hook to
 * fill it.  0 or -1. */
static int
add_words_and_roles(struct req *r, json_t *rows, int detail)
{
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		const char *role =
			json_string_value(json_object_get(row, "role"));
		const char *state =
			json_string_value(json_object_get(row, "state"));

		json_object_set_new(
			row, "role_text",
			json_string(label_of(roles, role_labels, role)));
		json_object_set_new(
			row, "state_text",
			json_string(label_of(states, state_labels, state)));
		json_object_set_new(row, "roles", json_array());
	}
	for (size_t k = 0; k < nhooks; k++)
		if (hooks[k](r, rows, detail) != 0)
			return -1;
	return 0;
}

/* The person page of id, with ?done=what when what is not NULL, in r's
 * arena. */
const char *
accounts_person_href(struct req *r, int64_t id, const char *what)
{
	return what ? arena_printf(r->arena, "/admin/people/%lld?done=%s",
				   (long long)id, what)
		    : arena_printf(r->arena, "/admin/people/%lld",
				   (long long)id);
}

/* ---- the list ---- */

static const struct field people_fields[] = {
	{.name = "q",
	 .type = FT_TEXT,
	 .maxlen = 254,
	 .label = N_("Name or e-mail begins with")},
	{.name = "role",
	 .type = FT_CHOICE,
	 .choices = roles,
	 .label = N_("Role")},
	{.name = "verified",
	 .type = FT_CHOICE,
	 .choices = yes_no,
	 .label = N_("Address confirmed")},
	{.name = "state",
	 .type = FT_CHOICE,
	 .choices = states,
	 .label = N_("Account")},
	{.name = "page",
	 .type = FT_INT,
	 .min = 1,
	 .max = MAX_PAGE,
	 .label = N_("Page")},
	{.name = "done", .type = FT_CHOICE, .choices = done_list},
	{.name = "sent",
	 .type = FT_INT,
	 .min = 0,
	 .max = PEOPLE_BULK_BATCH,
	 .label = N_("Invitations sent")},
	{0},
};

/* s[0..) lower-cased (ASCII, as SQL's lower() does everywhere) with the
 * LIKE wildcards and the escape character escaped by '\', between
 * prefix and "%".  In r's arena. */
static const char *
like_prefix(struct req *r, const char *prefix, const char *s)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, prefix);
	for (; *s; s++) {
		char c = *s;

		if (c == '%' || c == '_' || c == '\\')
			buf_putc(&b, '\\');
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf_putc(&b, c);
	}
	buf_putc(&b, '%');
	out = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* Binds the people filter of r to placeholders 1..PEOPLE_BINDS. */
static void
bind_people_filter(struct req *r, struct db_stmt *st)
{
	const struct value *q = req_value(r, "q");
	const char *role = value_or_null(r, "role");
	const char *verified = value_or_null(r, "verified");
	const char *state = value_or_null(r, "state");

	if (q->present) {
		const char *start = like_prefix(r, "", q->str);

		db_bind_text(st, 1, q->str);
		db_bind_text(st, 2, start);
		db_bind_text(st, 3, like_prefix(r, "% ", q->str));
		db_bind_text(st, 4, start);
	} else {
		for (int i = 1; i <= 4; i++)
			db_bind_null(st, i);
	}
	for (int i = 5; i <= 6; i++)
		db_bind_text(st, i, role);
	for (int i = 7; i <= 9; i++)
		db_bind_text(st, i, verified);
	for (int i = 10; i <= 11; i++)
		db_bind_text(st, i, state);
}

/* The count of people never invited nor signed in into *n.  0 or -1. */
static int
never_count(struct req *r, int64_t *n)
{
	struct db_stmt *st =
		db_stmt(r->db, &accounts_people_sql, P_NEVER_COUNT);

	return st ? db_one_int(st, n) : -1;
}

/* The list's notice after a change (?done=), or NULL. */
static const char *
list_notice(struct req *r)
{
	const char *done = value_or_null(r, "done");
	const struct value *sent = req_value(r, "sent");
	char num[24];

	if (done == NULL)
		return NULL;
	if (strcmp(done, "role") == 0)
		return _("The role has been saved. The change is in the audit "
			 "log.");
	snprintf(num, sizeof(num), "%lld",
		 (long long)(sent->present ? sent->num : 0));
	return i18n_text(r->arena,
			 _n("{n} invitation has been put in the outbox.",
			    "{n} invitations have been put in the outbox.",
			    (unsigned long)(sent->present ? sent->num : 0)),
			 "n", num, NULL);
}

static void
people_page(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_people_sql, P_COUNT);
	struct pager pg;
	int64_t total, never, offset;
	json_t *rows, *row, *model;
	const char *notice;
	char num[24];
	size_t i;

	pager_read(r, PAGE_SIZE, &pg);
	offset = pager_offset(&pg);
	if (st == NULL)
		return read_failed(w);
	bind_people_filter(r, st);
	if (db_one_int(st, &total) != 0 || never_count(r, &never) != 0)
		return read_failed(w);
	if ((st = db_stmt(r->db, &accounts_people_sql, P_LIST)) == NULL)
		return read_failed(w);
	bind_people_filter(r, st);
	db_bind_int(st, PEOPLE_BINDS + 1, PAGE_SIZE);
	db_bind_int(st, PEOPLE_BINDS + 2, offset);
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(w);
	if (add_words_and_roles(r, rows, 0) != 0) {
		json_decref(rows);
		return read_failed(w);
	}
	render_add_times(rows, "created_at");
	render_add_times(rows, "last_signin_at");
	json_array_foreach(rows, i, row) {
		const char *current =
			json_string_value(json_object_get(row, "role"));

		json_object_set_new(row, "role_options",
				    options(roles, role_labels, current));
	}
	snprintf(num, sizeof(num), "%lld", (long long)total);
	model = json_pack(
		"{s:o,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:b}", "people", rows,
		"total", (json_int_t)total, "total_text",
		i18n_text(r->arena,
			  _n("{n} person matches.", "{n} people match.",
			     (unsigned long)total),
			  "n", num, NULL),
		"filter", pager_filters(r, keep_out), "role_options",
		options(roles, role_labels, value_or_null(r, "role")),
		"verified_options",
		options(yes_no, yes_no_labels, value_or_null(r, "verified")),
		"state_options",
		options(states, state_labels, value_or_null(r, "state")),
		"pager",
		pager_model(r, &pg, "/admin/people", keep_out,
			    offset + (int64_t)json_array_size(rows) < total,
			    -1),
		"never", (json_int_t)never, "never_shown",
		value_or_null(r, "state") &&
			strcmp(value_or_null(r, "state"), "never") == 0);
	snprintf(num, sizeof(num), "%lld", (long long)never);
	json_object_set_new(
		model, "never_text",
		json_string(i18n_text(
			r->arena,
			_n("{n} person has never been invited nor signed in.",
			   "{n} people have never been invited nor signed "
			   "in.",
			   (unsigned long)never),
			"n", num, NULL)));
	snprintf(num, sizeof(num), "%d",
		 never < PEOPLE_BULK_BATCH ? (int)never : PEOPLE_BULK_BATCH);
	json_object_set_new(
		model, "invite_button",
		json_string(i18n_text(
			r->arena,
			_n("Invite {n} person", "Invite {n} people",
			   (unsigned long)(never < PEOPLE_BULK_BATCH
						   ? never
						   : PEOPLE_BULK_BATCH)),
			"n", num, NULL)));
	if ((notice = list_notice(r)) != NULL)
		json_object_set_new(model, "notice", json_string(notice));
	admin_secretariat_page(r, w, 200, "accounts/templates/people.html",
			       _("People"), "/admin/people", model);
}

/* ---- a person's page ---- */

static const struct field person_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_person},
	{0},
};

/* What an action of the audit log did to a person, in words. */
static const struct {
	const char *action, *label;
} history_labels[] = {
	{"person.create", N_("Account created")},
	{"person.signup", N_("Signed up")},
	{"person.verify", N_("Address confirmed")},
	{"person.signin.link", N_("Signed in with a one-time link")},
	{"person.password.link", N_("Sign-in link made on the command line")},
	{"person.password.set", N_("Password changed")},
	{"person.email.set", N_("E-mail address changed")},
	{"person.language.set", N_("Language chosen")},
	{"person.profile.set", N_("Profile saved")},
	{"person.role.set", N_("Role changed")},
	{"person.invite", N_("Invitation sent")},
	{"person.signin.sent", N_("Sign-in link sent")},
};

/* A person.role.set record's roles in words: "from Member to Editor" (in
 * r's arena). */
static const char *
role_change(struct req *r, json_t *row)
{
	const char *from = json_string_value(
		json_object_get(json_object_get(row, "before"), "role"));
	const char *to = json_string_value(
		json_object_get(json_object_get(row, "after"), "role"));

	return i18n_text(r->arena, _("from {from} to {to}"), "from",
			 label_of(roles, role_labels, from), "to",
			 label_of(roles, role_labels, to), NULL);
}

/* The audit log's records about person id, newest first, with each
 * action in words (action_text; a role's change also as a note), the time as text and whether the system
 * made it.  NULL on error. */
static json_t *
person_history(struct req *r, int64_t id)
{
	struct audit_filter f = {0};
	json_t *rows, *row;
	size_t i;

	f.object_type = "person";
	f.object_id = arena_printf(r->arena, "%lld", (long long)id);
	if ((rows = audit_list(r->db, &f, HISTORY_SIZE, 0)) == NULL)
		return NULL;
	json_array_foreach(rows, i, row) {
		const char *action =
			json_string_value(json_object_get(row, "action"));
		const char *label = NULL;
		const char *at = json_string_value(json_object_get(row, "at"));
		struct tm tm = {0};
		char text[80];

		for (size_t k = 0; action && k < ARRAY_LEN(history_labels); k++)
			if (strcmp(action, history_labels[k].action) == 0)
				label = _(history_labels[k].label);
		json_object_set_new(
			row, "action_text",
			json_string(label ? label : _("Another change")));
		json_object_set_new(row, "known", json_boolean(label != NULL));
		/* null, not absent: inside {{#history.0}} an absent key is
		 * looked up in the first record (the template's context) */
		json_object_set_new(
			row, "note",
			action && strcmp(action, "person.role.set") == 0
				? json_string(role_change(r, row))
				: json_null());
		json_object_set_new(
			row, "system",
			json_boolean(json_integer_value(json_object_get(
					     row, "actor")) == 0));
		if (at && strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL) {
			render_time_text(&tm, text, sizeof(text));
			json_object_set_new(row, "at_text", json_string(text));
		}
	}
	return rows;
}

/* The time unix seconds t as text, in r's arena. */
static const char *
time_text(struct req *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char text[80];

	gmtime_r(&tt, &tm);
	render_time_text(&tm, text, sizeof(text));
	return arena_strdup(r->arena, text);
}

/* Loads person id with words for role, state and language, their roles
 * elsewhere and their pending invitation into *out (new reference).
 * 1, 0 when there is no such person, -1 on error. */
int
accounts_person_model(struct req *r, int64_t id, json_t **out)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_people_sql, P_PERSON);
	json_t *rows, *p;
	const struct i18n_lang *lang;
	const char *code;
	int64_t until = 0;

	*out = NULL;
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if ((rows = db_all_json(st)) == NULL)
		return -1;
	if (json_array_size(rows) == 0) {
		json_decref(rows);
		return 0;
	}
	if (add_words_and_roles(r, rows, 1) != 0)
		goto fail;
	render_add_times(rows, "created_at");
	render_add_times(rows, "last_signin_at");
	render_add_times(rows, "invited_at");
	render_add_times(rows, "disabled_at");
	p = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	code = json_string_value(json_object_get(p, "language"));
	lang = code ? i18n_lang_find(code, strlen(code)) : NULL;
	json_object_set_new(p, "language_text",
			    json_string(lang ? lang->name
					     : _("Not chosen: the browser's")));
	json_object_set_new(
		p, "role_options",
		options(roles, role_labels,
			json_string_value(json_object_get(p, "role"))));
	if ((st = db_stmt(r->db, &accounts_people_sql, P_INVITATION)) == NULL)
		goto fail_p;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, clock_now());
	if (db_step(st) != DB_ROW)
		goto fail_p;
	until = db_col_int(st, 0);
	db_reset(st);
	if (until > 0)
		json_object_set_new(p, "invitation_until_text",
				    json_string(time_text(r, until)));
	*out = p;
	return 1;
fail_p:
	json_decref(p);
	return -1;
fail:
	json_decref(rows);
	return -1;
}

/* The person page of id with status, an error message (NULL: none) and
 * the notice of ?done=. */
void
accounts_person_page(struct req *r, struct resp *w, int64_t id, int status,
		     const char *message)
{
	static const char *const notices[] = {
		N_("The role has been saved. The change is in the audit log."),
		N_("A new invitation is in the outbox. The link it replaces "
		   "no longer works."),
		N_("A sign-in link is in the outbox."),
	};
	const char *done = value_or_null(r, "done");
	json_t *p, *history;
	int rc = accounts_person_model(r, id, &p);

	if (rc < 0)
		return read_failed(w);
	if (rc == 0)
		return accounts_no_such_person(w);
	if ((history = person_history(r, id)) == NULL) {
		json_decref(p);
		return read_failed(w);
	}
	json_object_set_new(p, "history", history);
	json_object_set_new(
		p, "audit_href",
		json_string(arena_printf(r->arena,
					 "/admin/audit?object_type=person"
					 "&object_id=%lld",
					 (long long)id)));
	for (size_t i = 0; done && done_person[i]; i++)
		if (strcmp(done, done_person[i]) == 0)
			json_object_set_new(p, "notice",
					    json_string(_(notices[i])));
	if (message)
		json_object_set_new(p, "message", json_string(message));
	/* NULL: the menu marks People, the page this one lies under */
	admin_secretariat_page(r, w, status, "accounts/templates/person.html",
			       json_string_value(json_object_get(p, "name")),
			       NULL, p);
}

static void
person_page(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);

	if (id <= 0)
		return accounts_no_such_person(w);
	accounts_person_page(r, w, id, 200, NULL);
}

/* ---- the role ---- */

static const struct field role_fields[] = {
	{.name = "role",
	 .type = FT_CHOICE,
	 .flags = FIELD_REQUIRED,
	 .choices = roles,
	 .label = N_("Role")},
	{.name = "back", .type = FT_CHOICE, .choices = back_person},
	{0},
};

/*
 * POST /admin/people/:id/role: sets the role in one transaction with its
 * audit record.  404 for an unknown person; 409 when the change would
 * leave no active administrator (only an administrator demoting themself
 * can meet that, since whoever asks is one).  The check and the update
 * sit in one write transaction (BEGIN IMMEDIATE), so two administrators
 * demoting each other at once cannot both succeed.  An administrator who
 * gives up the role goes to their account page, as /admin is closed to
 * them; otherwise back to the list showing this person, or to their page
 * (back=person).
 */
static void
person_role_set(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r), admins;
	const char *role = req_value(r, "role")->str;
	const char *old, *email;
	struct db_stmt *st;
	int disabled, rc;

	if (id <= 0)
		return accounts_no_such_person(w);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &accounts_people_sql, P_PERSON_ROLE)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ERROR)
		return resp_fail(r, w, NULL);
	if (rc == DB_DONE) {
		db_rollback(r->db);
		return accounts_no_such_person(w);
	}
	old = arena_strdup(r->arena, db_col_text(st, 0));
	email = arena_strdup(r->arena, db_col_text(st, 2));
	disabled = db_col_int(st, 3) != 0;
	db_reset(st);

	if (strcmp(old, role) == 0) { /* nothing to change, nothing to log */
		db_rollback(r->db);
		goto done;
	}
	if (strcmp(old, "admin") == 0 && !disabled) {
		st = db_stmt(r->db, &accounts_people_sql, P_ADMINS_ACTIVE);
		if (st == NULL || db_one_int(st, &admins) != 0)
			return resp_fail(r, w, NULL);
		if (admins <= 1) {
			db_rollback(r->db);
			resp_error(w, 409,
				   _("This is the last administrator, so the "
				     "role cannot be taken away: the "
				     "secretariat would have no one left to "
				     "manage the site. Make someone else an "
				     "administrator first."));
			return;
		}
	}
	if ((st = db_stmt(r->db, &accounts_people_sql, P_SET_ROLE)) == NULL)
		return resp_fail(r, w, NULL);
	db_bind_text(st, 1, role);
	db_bind_int(st, 2, id);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "person.role.set", "person",
			     arena_printf(r->arena, "%lld", (long long)id),
			     json_pack("{s:s}", "role", old),
			     json_pack("{s:s}", "role", role),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
done:
	if (id == r->person->id && strcmp(role, "admin") != 0) {
		resp_redirect(w, "/account");
	} else if (req_value(r, "back")->present) {
		resp_redirect(w, accounts_person_href(r, id, "role"));
	} else {
		struct buf b = BUF_INIT;

		buf_puts(&b, "/admin/people?q=");
		esc_url_component(&b, email, strlen(email));
		buf_puts(&b, "&done=role");
		resp_redirect(w, buf_cstr(&b));
		buf_free(&b);
	}
}

/* ---- the module ---- */

/* Gathers every module's people_roles hook. */
static void
people_assemble(const struct module *const *mods, size_t nmods)
{
	nhooks = 0;
	for (size_t i = 0; i < nmods; i++) {
		if (mods[i]->people_roles == NULL)
			continue;
		if (nhooks == MAX_HOOKS) {
			log_error("accounts: more than %d people_roles hooks",
				  MAX_HOOKS);
			break;
		}
		hooks[nhooks++] = mods[i]->people_roles;
	}
}

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL

static const struct route people_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/admin/people",
	 .who = A,
	 .fields = people_fields,
	 .handler = people_page,
	 .flags = FORM,
	 .summary = "People, searchable by name or e-mail, with their "
		    "account, role and organisations"},
	{.method = HTTP_GET,
	 .pattern = "/admin/people/:id",
	 .who = A,
	 .fields = person_fields,
	 .handler = person_page,
	 .flags = FORM,
	 .summary = "One person: account, roles, organisations, "
		    "invitations, history"},
	{.method = HTTP_POST,
	 .pattern = "/admin/people/:id/role",
	 .who = A,
	 .fields = role_fields,
	 .handler = person_role_set,
	 .flags = P,
	 .summary = "Sets a person's role (never the last administrator's)"},
};

/* Its tile of the secretariat's overview (admin/menu.c): people who
 * cannot get in until someone invites them. */
static int
count_never(struct req *r, int64_t *n)
{
	return never_count(r, n);
}

static const struct admin_tile people_tiles[] = {
	{N_("People never invited nor signed in"), "/admin/people?state=never",
	 60, count_never},
};

static const struct menu_entry people_menu[] = {
	{"/admin/people", N_("People"), 80},
};

const struct module accounts_people_module = {
	.name = "accounts",
	.routes = people_routes,
	.nroutes = ARRAY_LEN(people_routes),
	.sql = &accounts_people_sql,
	.admin_menu = people_menu,
	.nadmin_menu = ARRAY_LEN(people_menu),
	.admin_tiles = people_tiles,
	.nadmin_tiles = ARRAY_LEN(people_tiles),
	.assemble = people_assemble,
};
