/*
 * profile.c -- see accounts.h: one's profile (name, country, languages,
 * expertise, focal areas), what the directory shows of it, and the
 * language the site and its mail speak to one (people.language, also set
 * by the chooser in the header: language.c).
 */
#include "accounts_int.h"

#include <string.h>

#include "core/audit.h"
#include "core/countries.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"

static const char *const visibilities[] = {"public", "members", "hidden",
					   NULL};

static const struct field profile_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 200, .label = N_("Name")},
	{.name = "country", .type = FT_COUNTRY, .label = N_("Country")},
	{.name = "languages", .type = FT_TEXT, .maxlen = 200,
	 .label = N_("Languages")},
	{.name = "expertise", .type = FT_TEXT, .maxlen = 500,
	 .label = N_("Areas of expertise")},
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI,
	 .maxlen = 60, .label = N_("Focal areas")},
	{.name = "visibility", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = visibilities, .label = N_("Who sees you in the directory")},
	{.name = "show_email", .type = FT_BOOL, .label = N_("Show e-mail")},
	{.name = "show_country", .type = FT_BOOL, .label = N_("Show country")},
	{.name = "show_expertise", .type = FT_BOOL,
	 .label = N_("Show expertise")},
	/* one of i18n's codes (checked by the handler: the list is known at
	 * start-up); absent or empty: none chosen */
	{.name = "language", .type = FT_TEXT, .maxlen = 16,
	 .label = N_("Language")},
	{0},
};

/* The languages the site speaks, each in its own name, the profile's
 * marked selected. */
static json_t *
languages_model(json_t *profile)
{
	const char *saved =
		json_string_value(json_object_get(profile, "language"));
	json_t *list = json_array();

	for (size_t i = 0; i < i18n_lang_count(); i++) {
		const struct i18n_lang *l = i18n_lang_at(i);

		json_array_append_new(
			list, json_pack("{s:s,s:s,s:b}", "code", l->code,
					"name", l->name, "selected",
					saved && strcmp(saved, l->code) == 0));
	}
	return list;
}

/* The profile as stored, plus the focal areas with their choice. */
static json_t *
profile_model(struct req *r)
{
	struct db_stmt *st = db_stmt(r->db, &accounts_sql, S_PROFILE_GET);
	json_t *profile, *focal;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, r->person->id);
	profile = db_one_json(st);
	if (profile == NULL || !json_is_object(profile)) {
		json_decref(profile);
		return NULL;
	}
	st = db_stmt(r->db, &accounts_sql, S_FOCAL_LIST);
	if (st == NULL) {
		json_decref(profile);
		return NULL;
	}
	db_bind_int(st, 1, r->person->id);
	focal = db_all_json(st);
	if (focal == NULL) {
		json_decref(profile);
		return NULL;
	}
	for (size_t i = 0; visibilities[i]; i++)
		json_object_set_new(
			profile, arena_printf(r->arena, "is_%s", visibilities[i]),
			json_boolean(strcmp(json_string_value(json_object_get(
						    profile, "visibility")),
					    visibilities[i]) == 0));
	return json_pack("{s:o,s:o,s:o,s:o}", "site_languages",
			 languages_model(profile), "country_chooser",
			 countries_chooser(json_string_value(json_object_get(
						   profile, "country")),
					   COUNTRY_PERSONAL),
			 "profile", profile, "focal_areas", focal);
}

static void
profile_page(struct req *r, struct resp *w)
{
	json_t *m = profile_model(r);

	if (m == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	if (req_value(r, "saved")->present)
		json_object_set_new(
			m, "notice",
			json_string(_("Your profile has been saved.")));
	accounts_form_page(r, w, 200, "accounts/templates/profile.html",
			   _("Your profile"), m);
}

static const struct field profile_page_fields[] = {
	{.name = "saved", .type = FT_BOOL},
	{0},
};

static void
profile_save(struct req *r, struct resp *w)
{
	const struct field_values *focal = NULL;
	const struct value *language = req_value(r, "language");
	const struct i18n_lang *lang =
		language->present
			? i18n_lang_find(language->str, strlen(language->str))
			: NULL;
	struct db_stmt *st;
	json_t *before;

	if (language->present && lang == NULL) {
		if (r->errors == NULL)
			r->errors = json_object();
		json_object_set_new(
			r->errors, "language",
			json_string(_("Choose one of the languages listed.")));
	}
	if (r->errors) {
		json_t *m = profile_model(r);

		if (m == NULL)
			return resp_fail(r, w, NULL);
		accounts_form_page(r, w, 422, "accounts/templates/profile.html",
				   _("Your profile"), m);
		return;
	}
	for (size_t i = 0; profile_fields[i].name; i++)
		if (strcmp(profile_fields[i].name, "focal") == 0)
			focal = &r->values[i];
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	before = profile_model(r);
	st = db_stmt(r->db, &accounts_sql, S_PROFILE_SET);
	if (before == NULL || st == NULL) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	db_bind_text(st, 1, req_value(r, "name")->str);
	db_bind_text(st, 2, req_value(r, "country")->str);
	db_bind_text(st, 3, req_value(r, "languages")->present
				    ? req_value(r, "languages")->str
				    : "");
	db_bind_text(st, 4, req_value(r, "expertise")->present
				    ? req_value(r, "expertise")->str
				    : "");
	db_bind_text(st, 5, req_value(r, "visibility")->str);
	db_bind_int(st, 6, req_value(r, "show_email")->num);
	db_bind_int(st, 7, req_value(r, "show_country")->num);
	db_bind_int(st, 8, req_value(r, "show_expertise")->num);
	db_bind_text(st, 9, lang ? lang->code : NULL);
	db_bind_int(st, 10, r->person->id);
	if (db_run(st) != 0 ||
	    (st = db_stmt(r->db, &accounts_sql, S_FOCAL_CLEAR)) == NULL) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	db_bind_int(st, 1, r->person->id);
	if (db_run(st) != 0) {
		json_decref(before);
		return resp_fail(r, w, NULL);
	}
	for (size_t i = 0; focal && i < focal->n; i++) {
		st = db_stmt(r->db, &accounts_sql, S_FOCAL_ADD);
		if (st == NULL) {
			json_decref(before);
			return resp_fail(r, w, NULL);
		}
		db_bind_int(st, 1, r->person->id);
		db_bind_text(st, 2, focal->v[i].str);
		if (db_run(st) != 0) {
			json_decref(before);
			return resp_fail(r, w, NULL);
		}
	}
	{
		json_t *after = profile_model(r);
		int rc = after == NULL
				 ? -1
				 : audit_record(r->db, r->person->id,
						"person.profile.set", "person",
						arena_printf(r->arena, "%lld",
							     (long long)r->person->id),
						json_object_get(before, "profile"),
						json_object_get(after, "profile"),
						r->client);

		json_decref(after);
		json_decref(before);
		if (rc != 0 || db_commit(r->db) != 0)
			return resp_fail(r, w, NULL);
	}
	/* this browser's cookie would outrank the language just saved */
	accounts_set_lang_cookie(r, lang ? lang->code : NULL);
	resp_redirect(w, "/account/profile?saved=1");
}

static const struct route profile_routes[] = {
	{.method = HTTP_GET, .pattern = "/account/profile", .who = M,
	 .fields = profile_page_fields, .handler = profile_page, .flags = FORM,
	 .summary = "One's profile and what the directory shows"},
	{.method = HTTP_POST, .pattern = "/account/profile", .who = M,
	 .fields = profile_fields, .handler = profile_save, .flags = OWN,
	 .summary = "Saves one's profile"},
};

const struct module accounts_profile_module = {
	.name = "accounts",
	.routes = profile_routes,
	.nroutes = ARRAY_LEN(profile_routes),
};
