/*
 * language.c -- see accounts.h: the language chooser's route.
 *
 * Every page's header links to GET /language/CODE?next=PATH for each
 * available language (site_chrome).  Following one sets the "lang" cookie
 * the core reads first when it chooses a request's language (i18n.h), for
 * a year, and sends the visitor back to the page they were on -- a path on
 * this site only, never an open redirect.  A signed-in person's choice is
 * also saved on the account (people.language, with its audit record), so
 * it follows them to another browser and decides the language of the mail
 * they are sent (mail_language) -- unless the browser says the link was
 * followed from another site (Sec-Fetch-Site: cross-site), which changes
 * the cookie only.  A link, not a form: the chooser works without
 * JavaScript and on any page, and what it changes is only how the site
 * speaks to the one who follows it.  The profile's Language field sets the
 * cookie too (accounts_set_lang_cookie), or removes it with "As your
 * browser asks", since the cookie outranks the account's language.
 */
#include "accounts_int.h"

#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"

static const struct field language_fields[] = {
	{.name = "next", .type = FT_TEXT, .maxlen = 1000},
	{0},
};

/* Saves code as person's language, with its audit record, in one
 * transaction; nothing when it is the saved one already.  0 or -1. */
static int
save_language(struct req *r, const char *code)
{
	const char *before = r->person->language;
	struct db_stmt *st;

	if (before && strcmp(before, code) == 0)
		return 0;
	if (db_begin(r->db) != 0)
		return -1;
	st = db_stmt(r->db, &accounts_sql, S_PERSON_SET_LANGUAGE);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, code);
	db_bind_int(st, 2, r->person->id);
	if (db_run(st) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "person.language.set", "person",
		    arena_printf(r->arena, "%lld", (long long)r->person->id),
		    json_pack("{s:s?}", "language", before),
		    json_pack("{s:s}", "language", code), r->client) != 0)
		return -1;
	return db_commit(r->db);
}

/* 1 when the browser says the link was followed from another site
 * (Sec-Fetch-Site: cross-site); browsers that do not say count as ours. */
static int
cross_site(const struct req *r)
{
	const char *site = req_header(r, "Sec-Fetch-Site");

	return site && strcmp(site, "cross-site") == 0;
}

void
accounts_set_lang_cookie(struct req *r, const char *code)
{
	if (code)
		auth_set_cookie(r, "lang", code, LANG_COOKIE_AGE);
	else
		auth_set_cookie(r, "lang", NULL, 0);
}

static void
language_choose(struct req *r, struct resp *w)
{
	const char *code = req_param(r, "code");
	const struct i18n_lang *lang = i18n_lang_find(code, strlen(code));
	struct buf names = BUF_INIT, msg = BUF_INIT;

	if (lang == NULL) {
		/* the requested code is not repeated: it may be any bytes */
		for (size_t i = 0; i < i18n_lang_count(); i++)
			buf_printf(&names, "%s%s (%s)", i ? ", " : "",
				   i18n_lang_at(i)->name,
				   i18n_lang_at(i)->code);
		i18n_format(&msg,
			    _("There is no language with that code. The site "
			      "speaks {languages}."),
			    "languages", buf_cstr(&names), NULL);
		resp_error(w, 404, buf_cstr(&msg));
		buf_free(&names);
		buf_free(&msg);
		return;
	}
	/* a link followed from another site (a newsletter's "en français")
	 * changes this browser only: no other site decides what is saved on
	 * the account */
	if (r->person && !cross_site(r) && save_language(r, lang->code) != 0)
		return resp_fail(r, w, NULL);
	accounts_set_lang_cookie(r, lang->code);
	/* an invalid next (ROUTE_OWN_ERRORS) is not present: the home page */
	resp_redirect(w, accounts_local_path(req_value(r, "next")->str, "/"));
}

static const struct route language_routes[] = {
	{.method = HTTP_GET, .pattern = "/language/:code", .who = T,
	 .fields = language_fields, .handler = language_choose,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Chooses the site's language (cookie, and the account's "
		    "when signed in) and goes back to next"},
};

const struct module accounts_language_module = {
	.name = "accounts",
	.routes = language_routes,
	.nroutes = ARRAY_LEN(language_routes),
};
