/*
 * response.c -- see response.h.  The security headers are the same on every
 * response, errors and static files included: a Content-Security-Policy
 * without 'unsafe-inline' (pages carry no inline script or style), no
 * framing, no MIME sniffing, a strict referrer policy.
 */
#include "response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "conns.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "pagecache.h"
#include "render.h"
#include "util.h"

static int tls;

static const char csp[] =
	"default-src 'self'; img-src 'self' data:; style-src 'self'; "
	"script-src 'self'; object-src 'none'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'";

void
response_set_tls(int on)
{
	tls = on;
}

void
resp_page(struct resp *w, int status, const char *tmpl, const char *title,
	  json_t *model)
{
	w->status = status;
	w->template = tmpl;
	free(w->title);
	w->title = xstrdup(title ? title : "");
	json_decref(w->model);
	w->model = model ? model : json_object();
}

void
resp_redirect(struct resp *w, const char *location)
{
	w->status = 303;
	free(w->location);
	w->location = xstrdup(location);
}

void
resp_error(struct resp *w, int status, const char *message)
{
	json_t *err = json_pack("{s:i,s:s}", "status", status, "message",
				message ? message : "");

	w->status = status;
	w->template = NULL;
	free(w->title);
	w->title = NULL;
	json_decref(w->model);
	w->model = json_pack("{s:o}", "error", err);
}

/* RESP_FAIL_MESSAGE (http.h, which xgettext does not read), written
 * again here (the same text) for the catalog; resp_fail and http.c
 * translate it. */
static const char *const fail_msgid = N_("Something went wrong on our side. "
					 "Nothing was changed; please try "
					 "again.");

void
resp_fail(struct req *r, struct resp *w, const char *message)
{
	if (r->db)
		db_rollback(r->db); /* nothing open: nothing done */
	log_error("%s %s: failed on our side: rolled back, answered 500",
		  http_method_name(r->method), r->path);
	resp_error(w, 500, message ? message : _(fail_msgid));
}

void
resp_raw(struct resp *w, int status, const char *content_type,
	 const char *body, size_t len)
{
	w->status = status;
	free(w->content_type);
	w->content_type = xstrdup(content_type);
	if (!w->body_static)
		free(w->body);
	w->body = xstrndup(body, len);
	w->body_len = len;
	w->body_static = 0;
}

void
resp_header(struct resp *w, const char *name, const char *value)
{
	struct buf b = BUF_INIT;

	if (w->extra_headers)
		buf_puts(&b, w->extra_headers);
	buf_printf(&b, "%s: %s\r\n", name, value);
	free(w->extra_headers);
	w->extra_headers = buf_detach(&b, NULL);
}

void
resp_clear(struct resp *w)
{
	free(w->title);
	json_decref(w->model);
	free(w->location);
	free(w->content_type);
	if (!w->body_static)
		free(w->body);
	free(w->extra_headers);
	memset(w, 0, sizeof(*w));
}

/* The title of an error page for status, in the current language. */
static const char *
reason(int status)
{
	const char *s;

	switch (status) {
	case 400: s = N_("Bad request"); break;
	case 401: s = N_("Please sign in"); break;
	case 403: s = N_("Not allowed"); break;
	case 404: s = N_("Page not found"); break;
	case 405: s = N_("Method not allowed"); break;
	case 409: s = N_("Conflict"); break;
	case 413: s = N_("Too large"); break;
	case 415: s = N_("Unsupported form encoding"); break;
	case 422: s = N_("Please check the form"); break;
	case 429: s = N_("Too many requests"); break;
	case 503: s = N_("Unavailable"); break;
	default:
		s = status >= 500 ? N_("Something went wrong") : N_("Error");
		break;
	}
	return _(s);
}

static void
add_headers(struct MHD_Response *mr, const struct resp *w)
{
	const char *h = w->extra_headers;

	MHD_add_response_header(mr, "Content-Security-Policy", csp);
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	MHD_add_response_header(mr, "Referrer-Policy",
				"strict-origin-when-cross-origin");
	MHD_add_response_header(mr, "Cross-Origin-Opener-Policy",
				"same-origin");
	if (tls)
		MHD_add_response_header(mr, "Strict-Transport-Security",
					"max-age=31536000");
	/* shutting down: this is the connection's last answer */
	if (conns_draining())
		MHD_add_response_header(mr, "Connection", "close");
	/* "Name: value\r\n" lines added by the handler */
	while (h && *h) {
		const char *colon = strchr(h, ':'), *eol = strstr(h, "\r\n");
		char *name, *value;

		if (colon == NULL || eol == NULL || colon > eol)
			break;
		name = xstrndup(h, (size_t)(colon - h));
		value = xstrndup(colon + 2, (size_t)(eol - colon - 2));
		MHD_add_response_header(mr, name, value);
		free(name);
		free(value);
		h = eol + 2;
	}
}

json_t *
resp_error_list(json_t *fields)
{
	json_t *list = json_array(), *msg;
	const char *k;

	json_object_foreach (fields, k, msg)
		json_array_append_new(list,
				      json_pack("{s:s,s:s,s:O}", "field", k,
						"id", k, "message", msg));
	return list;
}

void
resp_form_errors_id(json_t *model, json_t *errors, const char *prefix,
		    const char *suffix)
{
	json_t *list, *e;
	size_t i;

	if (errors == NULL)
		return;
	list = resp_error_list(errors);
	json_array_foreach (list, i, e) {
		struct buf id = BUF_INIT;

		buf_puts(&id, prefix);
		buf_puts(&id, json_string_value(json_object_get(e, "field")));
		buf_puts(&id, suffix);
		json_object_set_new(e, "id", json_string(buf_cstr(&id)));
		buf_free(&id);
	}
	json_object_set(model, "errors", errors);
	json_object_set_new(model, "error_list", list);
	json_object_set_new(model, "has_errors", json_true());
	json_object_set_new(model, "error_title", json_true());
}

void
resp_form_errors(json_t *model, json_t *errors)
{
	resp_form_errors_id(model, errors, "", "");
}

/* Builds the body of w for r into out; sets *ctype.  A failed render turns
 * w into a 500. */
/* Until when the page cache may serve this answer (pagecache.h): the
 * handler's fresh_until, the next minute for a ROUTE_CLOCK route (the
 * earlier counts), 0 for no bound but the database's writes. */
static int64_t
cache_until(const struct req *r, const struct resp *w)
{
	int64_t until = w->fresh_until;

	if (r->route && (r->route->flags & ROUTE_CLOCK)) {
		int64_t b = pagecache_clock_bound(clock_now());

		if (until == 0 || b < until)
			until = b;
	}
	return until;
}

static void
build_body(struct req *r, struct resp *w, struct buf *out, const char **ctype)
{
	json_t *err;
	int rc;

	if (r->want_json || w->template == NULL) {
		/* JSON clients, and errors without a page for HTML clients */
		err = json_object_get(w->model, "error");
		if (!r->want_json && err) {
			json_t *m = json_pack(
				"{s:i,s:s,s:O?}", "status", w->status, "title",
				reason(w->status), "message",
				json_object_get(err, "message"));

			json_object_set_new(
				m, "error_list",
				resp_error_list(json_object_get(err, "fields")));
			*ctype = "text/html; charset=utf-8";
			rc = render_page(r, render_error_template(),
					 reason(w->status), m, out);
			json_decref(m);
			if (rc == RENDER_SOURCE_ERROR)
				w->status = 500;
			if (rc == 0 || rc == RENDER_SOURCE_ERROR)
				return;
			buf_reset(out);
		}
		*ctype = "application/json";
		if (w->model) {
			char *s = json_dumps(w->model, JSON_COMPACT);

			if (s == NULL) {
				/* a string that is not UTF-8 slipped into
				 * the model: say so, never send half */
				log_error("%s %s: the answer cannot be "
					  "written as JSON",
					  http_method_name(r->method), r->path);
				w->status = 500;
				/* English: reached only by a bug of ours
				 * (a string that is not UTF-8 in a model),
				 * so it stays a fixed literal */
				buf_puts(out, "{\"error\":{\"status\":500,"
					      "\"message\":\"Something went "
					      "wrong on our side.\"}}");
				return;
			}
			buf_puts(out, s);
			free(s);
		} else {
			buf_puts(out, "{}");
		}
		return;
	}
	*ctype = "text/html; charset=utf-8";
	rc = render_page(r, w->template, w->title, w->model, out);
	if (rc == RENDER_SOURCE_ERROR) {
		w->status = 500; /* out holds the page that says why */
	} else if (rc != 0) {
		buf_reset(out);
		w->status = 500;
		*ctype = "text/plain; charset=utf-8";
		buf_puts(out, _("Something went wrong on our side."));
		buf_putc(out, '\n');
	}
}

/* Adds the headers of a built (not raw) answer: its cache policy and, for
 * content negotiated on Accept, Vary. */
static void
add_page_headers(struct MHD_Response *mr, const struct req *r, int status,
		 unsigned flags)
{
	if (flags & ROUTE_PERSONAL)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	else if (status < 300)
		MHD_add_response_header(mr, "Cache-Control", "no-cache");
	/* the page is in the language the cookie, the account or
	 * Accept-Language chose */
	MHD_add_response_header(mr, "Vary",
				r->api ? "Accept-Language, Cookie"
				       : "Accept, Accept-Language, Cookie");
	if (r->lang)
		MHD_add_response_header(mr, "Content-Language", r->lang->code);
}

enum MHD_Result
http_send(struct req *r, struct resp *w, uint64_t *bytes)
{
	struct MHD_Response *mr;
	struct buf out = BUF_INIT;
	const char *ctype;
	enum MHD_Result rc;
	size_t len;
	int raw = w->body != NULL && w->location == NULL;

	/* the route's promise holds for every answer it gives, whatever the
	 * handler (or a resp_clear) did to w: a form's page holds this
	 * visitor's CSRF token (http.h) */
	if (r->route && (r->route->flags & (ROUTE_PERSONAL | ROUTE_FORM)))
		w->flags |= ROUTE_PERSONAL;
	if (w->location) {
		json_t *o = json_object();
		char *s;

		json_object_set_new(
			o, "location",
			json_string_lossy(w->location, strlen(w->location)));
		s = json_dumps(o, JSON_COMPACT);
		buf_puts(&out, s ? s : "{}");
		free(s);
		json_decref(o);
		ctype = "application/json";
	} else if (raw) {
		ctype = w->content_type ? w->content_type
					: "application/octet-stream";
	} else {
		buf_grow(&out, 16384); /* a page, in one allocation */
		build_body(r, w, &out, &ctype);
		if (r->cache_key && w->status == 200 && !r->nset_cookie &&
		    !(w->flags & ROUTE_PERSONAL))
			pagecache_put(r->cache_key, r->cache_gen,
				      cache_until(r, w), w->status, ctype,
				      out.data, out.len);
	}
	if (raw) {
		mr = MHD_create_response_from_buffer(
			w->body_len, w->body,
			w->body_static ? MHD_RESPMEM_PERSISTENT
				       : MHD_RESPMEM_MUST_FREE);
		len = w->body_len;
		if (!w->body_static)
			w->body = NULL; /* MHD owns it now */
	} else {
		char *data = buf_detach(&out, &len);

		mr = MHD_create_response_from_buffer(len, data,
						     MHD_RESPMEM_MUST_FREE);
	}
	if (mr == NULL) {
		log_error("http: cannot create a response");
		return MHD_NO;
	}
	*bytes = len;
	MHD_add_response_header(mr, "Content-Type", ctype);
	if (w->location)
		MHD_add_response_header(mr, "Location", w->location);
	if (r->nset_cookie)
		w->flags |= ROUTE_PERSONAL; /* never cache a cookie */
	for (size_t i = 0; i < r->nset_cookie; i++)
		MHD_add_response_header(mr, "Set-Cookie", r->set_cookie[i]);
	if (!raw)
		add_page_headers(mr, r, w->status, w->flags);
	else if (w->flags & ROUTE_PERSONAL)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	add_headers(mr, w);
	rc = MHD_queue_response(r->conn, (unsigned)w->status, mr);
	MHD_destroy_response(mr);
	return rc;
}

enum MHD_Result
http_send_cached(struct req *r, const struct cached_page *p, uint64_t *bytes)
{
	static const struct resp none;
	struct MHD_Response *mr = MHD_create_response_from_buffer(
		p->len, (void *)p->body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (mr == NULL)
		return MHD_NO;
	*bytes = p->len;
	MHD_add_response_header(mr, "Content-Type", p->content_type);
	add_page_headers(mr, r, p->status, 0);
	add_headers(mr, &none);
	rc = MHD_queue_response(r->conn, (unsigned)p->status, mr);
	MHD_destroy_response(mr);
	return rc;
}

void
resp_stored_document(struct resp *w, const char *rel, const char *name,
		     const char *what)
{
	char path[1200], safe[120], disp[200], chunk[65536];
	const char *n = name ? name : "";
	struct buf b = BUF_INIT;
	size_t got, k = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", config_current->data_dir,
		 rel ? rel : "");
	for (; *n && k < sizeof(safe) - 1; n++)
		safe[k++] = (*n >= 'a' && *n <= 'z') ||
					    (*n >= 'A' && *n <= 'Z') ||
					    (*n >= '0' && *n <= '9') ||
					    *n == '.' || *n == '-' || *n == '_'
				    ? *n
				    : '_';
	safe[k] = '\0';
	if ((f = fopen(path, "rb")) == NULL) {
		log_error("document of %s: %s: %m", what, path);
		resp_error(w, 500,
			   _("The document is missing from the store."));
		return;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, got);
	fclose(f);
	resp_raw(w, 200, "application/octet-stream", b.data ? b.data : "",
		 b.len);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"",
		 k ? safe : "document");
	resp_header(w, "Content-Disposition", disp);
	buf_free(&b);
}
