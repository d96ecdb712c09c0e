/*
 * sessions.c -- see accounts.h: where one is signed in (each session can
 * be ended) and one's personal API tokens (made, shown once, revoked).
 */
#include "accounts_int.h"

#include <stdlib.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/util.h"

static void
sessions_page(struct req *r, struct resp *w)
{
	json_t *list = auth_sessions_list(r->db, r->person->id, r->session_hash);

	if (list == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	render_add_times(list, "created_at");
	render_add_times(list, "last_seen_at");
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 200, "accounts/templates/sessions.html",
		  _("Your sessions"), json_pack("{s:o}", "sessions", list));
}

static void
session_end(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "id");
	json_t *list;
	int64_t n = strtoll(id, NULL, 10);
	int current = 0, rc;

	/* is it the session of this very browser? */
	list = auth_sessions_list(r->db, r->person->id, r->session_hash);
	for (size_t i = 0; list && i < json_array_size(list); i++) {
		json_t *s = json_array_get(list, i);

		if (json_integer_value(json_object_get(s, "id")) == n &&
		    json_integer_value(json_object_get(s, "current")))
			current = 1;
	}
	json_decref(list);
	rc = auth_session_end_by_id(r->db, r->person->id, n);
	if (rc < 0) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	if (rc == 0) {
		resp_error(w, 404, _("There is no such session."));
		return;
	}
	if (current) {
		auth_set_cookie(r, auth_session_cookie(), NULL, 0);
		resp_redirect(w, "/");
		return;
	}
	resp_redirect(w, "/account/sessions");
}

static void
tokens_page(struct req *r, struct resp *w)
{
	json_t *list = auth_api_tokens_list(r->db, r->person->id);

	if (list == NULL) {
		resp_error(w, 500, _("Something went wrong on our side."));
		return;
	}
	render_add_times(list, "created_at");
	render_add_times(list, "last_used_at");
	accounts_form_page(r, w, r->errors ? 422 : 200,
			   "accounts/templates/tokens.html", _("API tokens"),
			   json_pack("{s:o}", "tokens", list));
}

static const struct field token_create_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 100, .label = N_("Token name")},
	{0},
};

/* POST /account/tokens: a new token, shown once.  Only from a browser
 * session: a request made with a token cannot make more (a stolen token
 * would otherwise outlive its own revocation). */
static void
token_create(struct req *r, struct resp *w)
{
	char token[AUTH_TOKEN_LEN + 1];
	int64_t id;

	if (r->via_token) {
		resp_error(w, 403,
			   _("API tokens are made in the browser: sign "
			     "in and open Your account, API tokens. A "
			     "token cannot make other tokens."));
		return;
	}
	if (r->errors)
		return tokens_page(r, w);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	id = auth_api_token_create(r->db, r->person->id,
				   req_value(r, "name")->str, clock_now(),
				   token);
	if (id < 0 ||
	    audit_record_new(r->db, r->person->id, "api_token.create", "api_token",
			 arena_printf(r->arena, "%lld", (long long)id), NULL,
			 json_pack("{s:s}", "name", req_value(r, "name")->str),
			 r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	/* shown once, here; only its digest is stored */
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, 201, "accounts/templates/token_created.html",
		  _("Your new API token"),
		  json_pack("{s:s,s:s,s:I}", "name", req_value(r, "name")->str,
			    "token", token, "id", (json_int_t)id));
}

static void
token_revoke(struct req *r, struct resp *w)
{
	int64_t id = req_param_id(r);
	int rc;

	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	rc = auth_api_token_revoke(r->db, r->person->id, id, clock_now());
	if (rc < 0)
		return resp_fail(r, w, NULL);
	if (rc == 0) {
		db_rollback(r->db);
		resp_error(w, 404,
			   _("There is no such token, or it is revoked "
			     "already."));
		return;
	}
	if (audit_record(r->db, r->person->id, "api_token.revoke", "api_token",
			 req_param(r, "id"), NULL, NULL, r->client) != 0 ||
	    db_commit(r->db) != 0)
		return resp_fail(r, w, NULL);
	resp_redirect(w, "/account/tokens");
}

static const struct route sessions_routes[] = {
	{.method = HTTP_GET, .pattern = "/account/sessions", .who = M,
	 .handler = sessions_page, .flags = FORM,
	 .summary = "Where one is signed in"},
	{.method = HTTP_POST, .pattern = "/account/sessions/:id/end", .who = M,
	 .handler = session_end, .flags = ROUTE_PERSONAL,
	 .summary = "Ends one of one's sessions"},
	{.method = HTTP_GET, .pattern = "/account/tokens", .who = M,
	 .handler = tokens_page, .flags = FORM,
	 .summary = "One's personal API tokens"},
	{.method = HTTP_POST, .pattern = "/account/tokens", .who = M,
	 .fields = token_create_fields, .handler = token_create, .flags = OWN,
	 .summary = "Creates an API token and shows it once"},
	{.method = HTTP_POST, .pattern = "/account/tokens/:id/revoke",
	 .who = M, .handler = token_revoke, .flags = ROUTE_PERSONAL,
	 .summary = "Revokes one of one's API tokens"},
};

const struct module accounts_sessions_module = {
	.name = "accounts",
	.routes = sessions_routes,
	.nroutes = ARRAY_LEN(sessions_routes),
};
