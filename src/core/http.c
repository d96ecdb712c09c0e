/*
 * http.c -- the server: libmicrohttpd in, a struct req to the handler.
 *
 * libmicrohttpd calls on_request() several times for one request: once
 * when the headers are in, once per chunk of body, once at the end.  The
 * first call matches the route and checks the limits (a body that is
 * announced too large is refused with 413 before it is read); the chunk
 * calls feed the body parser for its content type (urlencoded collected up
 * to the limit, multipart streamed, file parts written to a temporary file
 * under DATA/uploads/tmp, JSON collected); the last call parses, validates
 * every declared field, checks access, runs the handler and queues the
 * response (response.c).  Undeclared fields are dropped before the handler
 * runs.  on_completed() writes the access-log line and frees the request.
 * What the body becomes -- raw fields, then validated values -- is
 * input.c's; this file is the server and the steps of the life cycle.
 *
 * The daemon runs a pool of worker threads, each with its own epoll loop
 * and its own database connection.  A handler that hashes a password
 * (ROUTE_PWHASH) runs on a hashing thread instead (offload.c), the
 * connection suspended meanwhile, so that it never stalls a worker's other
 * connections.  Each request's client address is worked out once (the
 * peer, or behind a trusted proxy what X-Forwarded-For says: proxy.c), and
 * a connection's request head must arrive within header_timeout
 * (conns.c).  SIGTERM/SIGINT stop accepting, close the idle keep-alive
 * connections and put "Connection: close" on every answer from then on
 * (conns.c), and stop as soon as the requests in flight are answered and
 * their connections closed.
 */
#include "http_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "clock.h"
#include "conns.h"
#include "db.h"
#include "escape.h"
#include "form.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "offload.h"
#include "pagecache.h"
#include "proxy.h"
#include "response.h"
#include "router.h"
#include "util.h"

/* How much of a too-large body is read and dropped so that the client
 * sees the 413 rather than a reset connection. */
#define DISCARD_MAX (64u * 1024 * 1024)

/*
 * Connections: at most CONNECTIONS_MAX at once (fewer when the process may
 * not open that many files), and PER_CLIENT_CONNECTIONS from one address
 * -- unless trusted_proxy is set: then most connections come from the
 * proxy, and limiting each address is the proxy's job.  With the head
 * deadline (header_timeout, conns.c) a few addresses holding connections
 * open cannot take the places of everyone else.
 */
#define CONNECTIONS_MAX 8192u
#define PER_CLIENT_CONNECTIONS 128u

/*
 * The hashing threads (offload.h): half the workers, at least one, so
 * hashing takes at most half the processors; at most HASH_QUEUE_PER_THREAD
 * requests wait for each, and one that waited HASH_WAIT_MS is answered 503
 * instead.
 */
#define HASH_QUEUE_PER_THREAD 32u
#define HASH_WAIT_MS 5000u
#define HASH_RETRY_AFTER "5"

static const struct http_config *cfg;
static struct proxy_nets trusted;
static const struct route **routes;
static size_t nroutes;
char *http_upload_tmp_dir;
static atomic_long in_flight;
/* requests begun or ended: shutdown waits until it stops moving */
static atomic_long activity;

const char *
http_method_name(unsigned m)
{
	switch (m) {
	case HTTP_GET: return "GET";
	case HTTP_HEAD: return "HEAD";
	case HTTP_POST: return "POST";
	case HTTP_PUT: return "PUT";
	case HTTP_PATCH: return "PATCH";
	case HTTP_DELETE: return "DELETE";
	default: return "?";
	}
}

static unsigned
method_from_string(const char *m)
{
	static const unsigned all[] = {HTTP_GET,   HTTP_HEAD,  HTTP_POST,
				       HTTP_PUT,   HTTP_PATCH, HTTP_DELETE};

	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		if (strcmp(m, http_method_name(all[i])) == 0)
			return all[i];
	return 0;
}

const char *
http_upload_keep(struct req *r, struct upload *u)
{
	const char *dir, *dest, *rel;
	int made;

	if (u == NULL || u->tmp_path == NULL)
		return NULL;
	dir = arena_printf(r->arena, "%s/uploads/%.2s", cfg->data_dir,
			   u->sha256);
	made = mkdir(dir, 0750) == 0;
	if (!made && errno != EEXIST) {
		log_error("upload: mkdir %s: %s", dir, strerror(errno));
		return NULL;
	}
	rel = arena_printf(r->arena, "uploads/%.2s/%s", u->sha256, u->sha256);
	dest = arena_printf(r->arena, "%s/%s", cfg->data_dir, rel);
	/* the file and its name are on disk before the commit that points
	 * at it: a power cut must not leave a row naming a missing file */
	if (fsync_path(u->tmp_path, 0) != 0) {
		log_error("upload: fsync %s: %s", u->tmp_path, strerror(errno));
		return NULL;
	}
	if (rename(u->tmp_path, dest) != 0) {
		log_error("upload: rename to %s: %s", dest, strerror(errno));
		return NULL;
	}
	u->tmp_path = NULL;
	if (fsync_path(dir, 1) != 0 ||
	    (made &&
	     fsync_path(arena_printf(r->arena, "%s/uploads", cfg->data_dir),
			1) != 0)) {
		log_error("upload: fsync %s: %s", dir, strerror(errno));
		return NULL;
	}
	return rel;
}

static struct form_limits
limits(void)
{
	struct form_limits l = {cfg->max_fields, 256, cfg->max_field_len};

	return l;
}

/* ---- the client ---- */

/* Joins the values of every X-Forwarded-For header with commas. */
static enum MHD_Result
xff_join(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct buf *b = cls;

	if (value && strcasecmp(key, "X-Forwarded-For") == 0) {
		if (b->len)
			buf_putc(b, ',');
		buf_puts(b, value);
	}
	return MHD_YES;
}

/* The request's client address (r's arena), computed once: the peer, or
 * behind a trusted proxy the address it forwarded for (proxy.h). */
static const char *
client_address(struct req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char peer[INET6_ADDRSTRLEN] = "-", out[PROXY_ADDR_MAX];
	struct buf xff = BUF_INIT;
	const char *client;

	if (ci && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)ci->client_addr)->sin_addr,
			  peer, sizeof(peer));
	else if (ci && ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
			  peer, sizeof(peer));
	if (trusted.n == 0)
		return arena_strdup(r->arena, peer);
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, xff_join, &xff);
	client = proxy_client(&trusted, peer, xff.len ? buf_cstr(&xff) : NULL,
			      out);
	buf_free(&xff);
	return arena_strdup(r->arena, client);
}

const char *
req_client(const struct req *r)
{
	return r->client ? r->client : "-";
}

/* ---- the request life cycle ---- */

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn_state *cs = xcalloc(1, sizeof(*cs));

	clock_gettime(CLOCK_MONOTONIC, &cs->start);
	cs->req.arena = arena_new();
	cs->raw_uri = arena_strdup(cs->req.arena, uri);
	cs->req.conn = c;
	cs->fields_tail = &cs->fields;
	cs->part_fd = -1;
	conns_set_busy(conns_of(c), 1);
	atomic_fetch_add(&in_flight, 1);
	atomic_fetch_add(&activity, 1);
	return cs;
}

static enum MHD_Result
answer(struct conn_state *cs, struct resp *w)
{
	enum MHD_Result rc;

	rc = http_send(&cs->req, w, &cs->bytes_out);
	/* after: a page that fails to render goes out as a 500 */
	cs->status = w->status;
	resp_clear(w);
	cs->responded = 1;
	return rc;
}

static enum MHD_Result
answer_error(struct conn_state *cs, int status, const char *msg)
{
	struct resp w = {0};

	resp_error(&w, status, msg);
	return answer(cs, &w);
}

/* The 413 sentence for a body over limit bytes, in r's arena and the
 * current language. */
static const char *
too_large(struct req *r, size_t limit)
{
	struct buf b = BUF_INIT;
	char kib[24];
	const char *msg;

	snprintf(kib, sizeof(kib), "%zu", limit / 1024);
	i18n_format(&b,
		    _("The request is too large: the limit here is {kib} "
		      "KiB."),
		    "kib", kib, NULL);
	msg = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return msg;
}

/* Counts the Content-Length headers (MHD_get_connection_values'
 * iterator; cls is a size_t). */
static enum MHD_Result
count_content_length(void *cls, enum MHD_ValueKind kind, const char *key,
		     const char *value)
{
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		(*(size_t *)cls)++;
	return MHD_YES;
}

/*
 * The language of r's answer: the "lang" cookie (the chooser's), then the
 * signed-in account's saved language (once auth has loaded r->person),
 * then Accept-Language, then the default_language setting.  Sets r->lang
 * and makes it the thread's current language.
 */
static void
choose_language(struct req *r)
{
	const char *v =
		MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "lang");
	const struct i18n_lang *l = v ? i18n_lang_find(v, strlen(v)) : NULL;

	if (l == NULL && r->person && r->person->language)
		l = i18n_lang_find(r->person->language,
				   strlen(r->person->language));
	if (l == NULL)
		l = i18n_negotiate(req_header(r, "Accept-Language"));
	r->lang = l ? l : i18n_default();
	i18n_set(r->lang);
}

/* The first call: parse the URI, match the route, check what the body will
 * be.  Returns MHD_YES to go on reading, or the result of an answer. */
static enum MHD_Result
start_request(struct conn_state *cs, const char *method)
{
	struct req *r = &cs->req;
	struct route_match m;
	char *path = cs->raw_uri, *q = strchr(path, '?');
	const char *ct, *cl, *accept;
	enum router_result rr;

	cs->started = 1;
	r->client = client_address(r);
	choose_language(r);
	r->method = method_from_string(method);
	r->query = "";
	if (q) {
		*q = '\0';
		r->query = q + 1;
	}
	if (strncmp(path, "/api/v1", 7) == 0 &&
	    (path[7] == '/' || path[7] == '\0')) {
		r->api = r->want_json = 1;
		path += 7;
		if (*path == '\0')
			path = "/";
	}
	accept = req_header(r, MHD_HTTP_HEADER_ACCEPT);
	if (accept && strstr(accept, "application/json") &&
	    !strstr(accept, "text/html"))
		r->want_json = 1;
	r->path = path;
	{
		/* two lengths: where the body ends is ambiguous (request
		 * smuggling through a proxy that reads the other one) */
		size_t ncl = 0;

		MHD_get_connection_values(r->conn, MHD_HEADER_KIND,
					  count_content_length, &ncl);
		if (ncl > 1)
			return answer_error(cs, 400,
					    _("The request has more than one "
					      "Content-Length header."));
	}
	rr = router_match(routes, nroutes, r->method, path, r->arena, &m);
	if (rr == ROUTER_BAD_PATH)
		return answer_error(cs, 400, _("The address is not valid."));
	if (rr == ROUTER_NOT_FOUND)
		return answer_error(cs, 404,
				    _("There is no page at this address."));
	if (rr == ROUTER_BAD_METHOD) {
		struct resp w = {0};
		char allow[64];

		router_allow_header(m.allow, allow, sizeof(allow));
		resp_error(&w, 405,
			   _("This address does not accept that method."));
		resp_header(&w, "Allow", allow);
		return answer(cs, &w);
	}
	r->route = m.route;
	for (size_t i = 0; i < m.n; i++) {
		r->param_names[i] = m.names[i];
		r->param_values[i] = m.values[i];
	}
	r->nparams = m.n;
	{
		size_t nf = 0;

		while (r->route->fields && r->route->fields[nf].name)
			nf++;
		r->values = arena_alloc(r->arena,
					(nf ? nf : 1) * sizeof(*r->values));
	}
	ct = req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (r->method == HTTP_GET || r->method == HTTP_HEAD ||
	    r->method == HTTP_DELETE) {
		cs->body = BODY_DISCARD;
	} else if (ct == NULL) {
		cs->body = BODY_NONE;
	} else if (form_media_type_is(ct, "application/x-www-form-urlencoded")) {
		cs->body = BODY_URLENCODED;
	} else if (form_media_type_is(ct, "application/json")) {
		cs->body = BODY_JSON;
	} else if (form_media_type_is(ct, "multipart/form-data")) {
		char boundary[128];
		struct form_limits lim = limits();

		if (form_header_param(ct, "boundary", boundary,
				      sizeof(boundary)) < 0 ||
		    (cs->mp = multipart_new(boundary, &lim,
					    &http_multipart_callbacks,
					    cs)) == NULL)
			return answer_error(cs, 400,
					    _("The multipart body has no valid "
					      "boundary."));
		cs->body = BODY_MULTIPART;
	} else {
		return answer_error(cs, 415,
				    _("Send forms as application/"
				      "x-www-form-urlencoded, multipart/"
				      "form-data or application/json."));
	}
	/* uploads may be larger than forms: the route says how large */
	cs->body_limit = cs->body == BODY_MULTIPART && r->route->max_body
				 ? r->route->max_body
				 : cfg->max_body;
	cl = req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > cs->body_limit) {
		const char *expect = req_header(r, MHD_HTTP_HEADER_EXPECT);
		const char *msg = too_large(r, cs->body_limit);

		/*
		 * A client waiting for "100 Continue" has sent nothing yet:
		 * answer now.  One that is already sending (browsers) would
		 * see a reset instead of the answer if we closed on its
		 * unread bytes, so the body is read and dropped, and the
		 * answer comes at its end -- up to DISCARD_MAX; beyond that
		 * we answer at once and let the connection go.
		 */
		if ((expect && strcasecmp(expect, "100-continue") == 0) ||
		    strtoull(cl, NULL, 10) > cs->body_limit + DISCARD_MAX)
			return answer_error(cs, 413, msg);
		cs->fail_status = 413;
		cs->fail_msg = msg;
	}
	return MHD_YES;
}

/* A chunk of body.  Errors are remembered and answered at the end, so the
 * client is not cut off mid-send (it would not see the answer). */
static void
feed_body(struct conn_state *cs, const char *data, size_t n)
{
	enum form_err fe;

	cs->body_seen += n;
	if (cs->fail_status)
		return;
	if (cs->body_seen > cs->body_limit) {
		cs->fail_status = 413;
		cs->fail_msg = too_large(&cs->req, cs->body_limit);
		return;
	}
	switch (cs->body) {
	case BODY_URLENCODED:
	case BODY_JSON:
		buf_put(&cs->collected, data, n);
		break;
	case BODY_MULTIPART:
		fe = multipart_feed(cs->mp, data, n);
		if (fe != FORM_OK && cs->fail_status == 0) {
			cs->fail_status = 400;
			cs->fail_msg = _(form_strerror(fe));
		}
		break;
	default:
		break;
	}
}

/* /signin?next=<where the visitor wanted to go>, in r's arena. */
static const char *
sign_in_url(struct req *r)
{
	struct buf next = BUF_INIT;
	const char *url;

	buf_puts(&next, r->api ? "/api/v1" : "");
	buf_puts(&next, r->path);
	if (*r->query) {
		buf_putc(&next, '?');
		buf_puts(&next, r->query);
	}
	{
		struct buf enc = BUF_INIT;

		esc_url_component(&enc, next.data, next.len);
		url = arena_printf(r->arena, "/signin?next=%s", buf_cstr(&enc));
		buf_free(&enc);
	}
	buf_free(&next);
	return url;
}

/* Sets r->cache_key when the answer may come from, and go to, the page
 * cache: a public, impersonal GET or HEAD from a visitor (no session
 * cookie, no Authorization), with valid input, unless the cache is off
 * (development mode, where a changed template must show at once). */
static int
cacheable(struct req *r)
{
	if (cfg->no_page_cache ||
	    (r->method != HTTP_GET && r->method != HTTP_HEAD) ||
	    r->route->who != ACCESS_PUBLIC || r->person || r->nset_cookie ||
	    (r->route->flags & (ROUTE_PERSONAL | ROUTE_FORM)) || r->errors ||
	    MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
					auth_session_cookie()) ||
	    req_header(r, MHD_HTTP_HEADER_AUTHORIZATION) ||
	    db_generation(r->db, &r->cache_gen) != 0)
		return 0;
	/* a visitor's page is the same for every visitor: nothing bound to
	 * this one (a visitor's CSRF cookie) may go into it */
	r->csrf_token = NULL;
	/* the language is part of the representation: a French page must
	 * never reach an English visitor */
	r->cache_key =
		arena_printf(r->arena, "%c%s %s?%s", r->want_json ? 'j' : 'h',
			     r->lang->code, r->path, r->query);
	return 1;
}

/* The handler, then the core's clean-up after it (http_int.h). */
void
http_run_handler(struct req *r, struct resp *w)
{
	int left;

	r->route->handler(r, w);
	/* a transaction left open would hold every writer of the process; it
	 * is rolled back, so an answer saying the change was made would not
	 * be true: the person is told it failed instead */
	left = db_abandoned(r->db);
	if (left) {
		log_error("%s %s: handler left %s open: rolled back",
			  http_method_name(r->method), r->path,
			  left == DB_ABANDONED_TXN ? "a transaction"
						   : "a write statement");
		if (left == DB_ABANDONED_TXN) {
			resp_clear(w);
			resp_error(w, 500, _(RESP_FAIL_MESSAGE));
		}
	}
	if (w->status == 0) {
		log_error("%s %s: handler gave no answer",
			  http_method_name(r->method), r->path);
		resp_clear(w);
		resp_error(w, 500, _("Something went wrong on our side."));
	}
	/* the jobs it queued are committed (or rolled back: the runner
	 * finds nothing): the runner looks now */
	jobs_kick();
}

/* 503 with Retry-After: the hashing threads are all taken. */
static void
hashing_busy(struct resp *w)
{
	resp_error(w, 503,
		   _("Too many people are signing in or choosing a password "
		     "right now. Please try again in a few seconds."));
	resp_header(w, "Retry-After", HASH_RETRY_AFTER);
}

/* On a hashing thread: runs the handler of the suspended request cs (or
 * answers 503 when it waited too long), then wakes the connection, whose
 * next on_request() call queues the answer. */
static void
run_offloaded(void *arg, int late)
{
	struct conn_state *cs = arg;
	struct req *r = &cs->req;
	struct resp *w = &cs->offload_resp;
	struct db *worker_db = r->db;

	if (late)
		hashing_busy(w);
	else if ((r->db = db_thread()) == NULL) /* this thread's own */
		resp_error(w, 503, _("The database is not available."));
	else {
		i18n_set(r->lang);
		http_run_handler(r, w);
		i18n_set(NULL);
	}
	/* the answer is rendered on the worker: with the worker's own */
	r->db = worker_db;
	MHD_resume_connection(r->conn);
}

/* Hands the handler of a ROUTE_PWHASH route to the hashing threads and
 * suspends the connection meanwhile; when their queue is full, answers 503
 * at once. */
static enum MHD_Result
offload_handler(struct conn_state *cs)
{
	struct resp w = {0};

	if (offload_reserve() != 0) {
		hashing_busy(&w);
		return answer(cs, &w);
	}
	cs->offloaded = 1;
	MHD_suspend_connection(cs->req.conn);
	offload_submit(run_offloaded, cs);
	return MHD_YES;
}

/* The last call: parse what was collected, validate, run the handler. */
static enum MHD_Result
finish_request(struct conn_state *cs)
{
	struct req *r = &cs->req;
	struct form_limits lim = limits();
	struct resp w = {0};
	enum form_err fe = FORM_OK;
	const char *src = NULL;
	size_t srclen = 0;

	if (cs->fail_status == 0) {
		if (r->method == HTTP_GET || r->method == HTTP_HEAD) {
			src = r->query;
			srclen = strlen(r->query);
		} else if (cs->body == BODY_URLENCODED) {
			src = buf_cstr(&cs->collected);
			srclen = cs->collected.len;
		}
		if (src)
			fe = form_parse_urlencoded(src, srclen, &lim,
						   http_urlencoded_cb, cs);
		if (fe == FORM_OK && cs->body == BODY_MULTIPART)
			fe = multipart_finish(cs->mp);
		if (fe != FORM_OK) {
			cs->fail_status = 400;
			cs->fail_msg = _(form_strerror(fe));
		} else if (cs->body == BODY_JSON &&
			   http_parse_json_body(cs) != 0) {
			cs->fail_status = 400;
		}
	}
	if (cs->fail_status)
		return answer_error(cs, cs->fail_status, cs->fail_msg);
	http_validate_fields(cs);
	r->db = db_thread();
	if (r->db == NULL)
		return answer_error(cs, 503,
				    _("The database is not available."));
	if (auth_load_or_respond(r, &w, clock_now()) != 0)
		return answer(cs, &w);
	choose_language(r); /* again: the account's saved language */
	if (!auth_can(r->person, r->route->who)) {
		if (r->person)
			return answer_error(cs, 403,
					    _("Your account is not allowed to "
					      "open this page."));
		if (r->want_json || r->method != HTTP_GET)
			return answer_error(cs, 401,
					    _("Please sign in first."));
		resp_redirect(&w, sign_in_url(r));
		return answer(cs, &w);
	}
	if (r->route->action) {
		int ok = auth_permits(r->db, r->person, r->route->action,
				      r->route->object_type,
				      r->route->object_param
					      ? req_param(r, r->route->object_param)
					      : NULL);

		if (ok < 0)
			return answer_error(
				cs, 500,
				_("Something went wrong on our side."));
		if (!ok)
			return answer_error(cs, 403,
					    _("Your account may not do this "
					      "here."));
	}
	if ((r->route->flags & ROUTE_FORM) && !r->want_json)
		auth_ensure_csrf(r);
	if (r->errors && !(r->route->flags & ROUTE_OWN_ERRORS)) {
		resp_error(&w, 422, _("Some fields need correcting."));
		json_object_set(json_object_get(w.model, "error"), "fields",
				r->errors);
		return answer(cs, &w);
	}
	if (cacheable(r)) {
		const struct cached_page *p =
			pagecache_get(r->cache_key, r->cache_gen,
				      clock_now());

		if (p) {
			cs->status = p->status;
			return http_send_cached(r, p, &cs->bytes_out);
		}
	}
	if ((r->route->flags & ROUTE_PWHASH) && offload_running())
		return offload_handler(cs);
	http_run_handler(r, &w);
	return answer(cs, &w);
}

static enum MHD_Result
on_request_in(struct conn_state *cs, const char *method,
	      const char *upload_data, size_t *upload_data_size)
{
	if (cs->offloaded) { /* resumed: the hashing thread has answered */
		cs->offloaded = 0;
		return answer(cs, &cs->offload_resp);
	}
	if (!cs->started) {
		conns_head_done(conns_of(cs->req.conn));
		return start_request(cs, method);
	}
	if (cs->responded) { /* answered early: ignore the body */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		feed_body(cs, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (cs->fail_status &&
		    cs->body_seen > cs->body_limit + DISCARD_MAX)
			return answer_error(cs, cs->fail_status, cs->fail_msg);
		return MHD_YES;
	}
	return finish_request(cs);
}

/*
 * MHD's request callback.  The thread's current language is the
 * request's while it is being served (a worker takes turns between
 * connections, so it is set on every call) and the default again after.
 */
static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **con_cls)
{
	struct conn_state *cs = *con_cls;
	enum MHD_Result rc;

	if (cs == NULL) /* no URI callback: cannot happen, be safe */
		return MHD_NO;
	i18n_set(cs->req.lang);
	rc = on_request_in(cs, method, upload_data, upload_data_size);
	i18n_set(NULL);
	return rc;
}

/* Replaces control characters so a log line stays one line. */
static void
log_safe(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	struct timespec end;
	double ms;
	char *uri;

	/* the answer has gone: the connection waits for its next head (or,
	 * draining, is closed) */
	conns_set_busy(conns_of(c), 0);
	if (cs == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &end);
	ms = (double)(end.tv_sec - cs->start.tv_sec) * 1e3 +
	     (double)(end.tv_nsec - cs->start.tv_nsec) / 1e6;
	if (cs->started) {
		uri = cs->raw_uri;
		if (cs->req.query && *cs->req.query)
			uri[strlen(uri)] = '?'; /* undo the split */
		log_safe(uri);
		fprintf(stderr, "%s %s %s %d %llu %.2fms%s\n", cs->req.client,
			cs->req.method ? http_method_name(cs->req.method) : "-",
			uri, cs->status, (unsigned long long)cs->bytes_out, ms,
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
				? ""
				: " (cut short)");
	}
	if (cs->req.db && db_abandoned(cs->req.db))
		log_error("a request left a transaction open: rolled back");
	if (cs->part_fd >= 0)
		close(cs->part_fd);
	if (cs->part_upload && cs->part_upload->tmp_path)
		unlink(cs->part_upload->tmp_path);
	for (size_t i = 0; cs->req.values && cs->req.route &&
			   cs->req.route->fields && cs->req.route->fields[i].name;
	     i++) {
		struct upload *u = cs->req.values[i].upload;

		if (u && u->tmp_path)
			unlink(u->tmp_path);
	}
	multipart_free(cs->mp);
	buf_free(&cs->collected);
	buf_free(&cs->part_value);
	json_decref(cs->req.errors);
	json_decref(cs->req.input);
	arena_free(cs->req.arena);
	free(cs);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
	atomic_fetch_add(&activity, 1);
}

/*
 * How many connections to accept at once: CONNECTIONS_MAX, or fewer when
 * the process may not open that many files.  The soft limit on open files
 * is raised to the hard one first (often 1024 and 524288).  A reserve is
 * kept for the database, uploads and the log.
 */
static unsigned
connection_limit(void)
{
	struct rlimit rl;
	rlim_t reserve = 128;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1024 - reserve;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= CONNECTIONS_MAX + reserve)
		return CONNECTIONS_MAX;
	return rl.rlim_cur > 2 * reserve ? (unsigned)(rl.rlim_cur - reserve)
					 : (unsigned)(rl.rlim_cur / 2);
}

/* Keeps conns.c's list of open connections. */
static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
	      enum MHD_ConnectionNotificationCode code)
{
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_CONNECTION_FD);

		*socket_context = conns_register(c, ci ? ci->connect_fd : -1);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		conns_unregister(*socket_context);
		*socket_context = NULL;
	}
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_error("http: %s", line);
}

int
http_serve(const struct http_config *c, const struct module *const *mods,
	   size_t nmods)
{
	struct MHD_Daemon *d;
	struct sockaddr_in sa;
	unsigned hash_threads, max_conns;
	sigset_t set;
	int sig;
	char path[4096];

	cfg = c;
	for (size_t i = 0; i < nmods; i++)
		nroutes += mods[i]->nroutes;
	routes = xcalloc(nroutes, sizeof(*routes));
	nroutes = 0;
	for (size_t i = 0; i < nmods; i++)
		for (size_t k = 0; k < mods[i]->nroutes; k++)
			routes[nroutes++] = &mods[i]->routes[k];

	snprintf(path, sizeof(path), "%s/uploads", c->data_dir);
	mkdir(path, 0750);
	snprintf(path, sizeof(path), "%s/uploads/tmp", c->data_dir);
	if (mkdir(path, 0750) != 0 && errno != EEXIST) {
		log_error("cannot create %s: %s", path, strerror(errno));
		return 1;
	}
	http_upload_tmp_dir = xstrdup(path);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)c->port);
	if (inet_pton(AF_INET, c->listen_host, &sa.sin_addr) != 1) {
		log_error("cannot listen on '%s': not an IPv4 address",
			  c->listen_host);
		return 1;
	}

	{
		char err[256];

		if (proxy_nets_parse(c->trusted_proxy ? c->trusted_proxy : "",
				     &trusted, err, sizeof(err)) != 0) {
			log_error("%s", err);
			return 1;
		}
	}
	hash_threads = c->workers / 2 ? c->workers / 2 : 1;
	max_conns = connection_limit();

	/* the workers inherit this mask, so only sigwait() sees the signals */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (offload_start(hash_threads, hash_threads * HASH_QUEUE_PER_THREAD,
			  HASH_WAIT_MS) != 0 ||
	    conns_start(c->header_timeout ? c->header_timeout : 10) != 0)
		return 1;
	auth_password_slots(hash_threads);

	d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
		(uint16_t)c->port, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)c->workers,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)c->max_header,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
		MHD_OPTION_CONNECTION_LIMIT, max_conns,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		trusted.n ? 0u : PER_CLIENT_CONNECTIONS,
		MHD_OPTION_END);
	if (d == NULL) {
		log_error("cannot listen on %s:%u: %s", c->listen_host, c->port,
			  strerror(errno));
		return 1;
	}
	fprintf(stderr,
		"alliance: serving http://%s:%u/ with %u workers, %u hashing "
		"thread%s, %u connections at most\n",
		c->listen_host, c->port, c->workers, hash_threads,
		hash_threads == 1 ? "" : "s", max_conns);

	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "alliance: %s: finishing requests in flight\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	{
		MHD_socket ls = MHD_quiesce_daemon(d);

		if (ls != MHD_INVALID_SOCKET)
			close(ls);
	}
	conns_drain();
	/*
	 * Stop once nothing is in flight and every connection is closed
	 * (each closes after its answer); 30 s at most.  A connection that
	 * stays open with nothing in flight for 300 ms is let go too: only
	 * a request sent before the signal and not yet read could still be
	 * on its way, and loopback or LAN delivers that sooner.
	 */
	for (int i = 0, quiet = 0; i < 3000 && quiet < 30; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		long before = atomic_load(&activity);

		if (atomic_load(&in_flight) == 0 && conns_count() == 0)
			break;
		nanosleep(&ts, NULL);
		if (atomic_load(&in_flight) == 0 &&
		    atomic_load(&activity) == before)
			quiet++;
		else
			quiet = 0;
	}
	if (conns_count() > 0)
		fprintf(stderr,
			"alliance: closing %d connection%s with no request "
			"in flight\n",
			conns_count(), conns_count() == 1 ? "" : "s");
	MHD_stop_daemon(d);
	free(routes);
	free(http_upload_tmp_dir);
	fprintf(stderr, "alliance: stopped\n");
	return 0;
}
