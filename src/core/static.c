/*
 * static.c -- see static.h.  Every asset is prepared once at start-up: its
 * ETag (a BLAKE2b digest of the bytes), its media type from the extension,
 * and a gzip copy kept only when it is at least a tenth smaller.  Serving
 * is then a lookup and a persistent buffer: no copy, no disk.
 *
 * In development mode (static_init_source) an asset is read from the
 * source folder on every request instead, its ETag computed from the bytes
 * read, and marked no-cache so the browser asks again; no gzip.
 *
 * /healthz says whether the store can take writes, not only answer reads:
 * the data folder's disk keeps min_free bytes free (statvfs), and a real
 * write (one row of settings) commits.  Both are checked at most every
 * HEALTH_EVERY seconds by whichever request comes, the result shared by
 * the workers.
 */
#include "static.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>
#include <time.h>
#include <zlib.h>

#include "audit.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "devsource.h"
#include "embed.h"
#include "i18n.h"
#include "jobs.h"
#include "mail.h"
#include "maintenance.h"
#include "ratelimit.h"
#include "search.h"
#include "util.h"

struct asset {
	const char *name; /* "site.css" */
	const char *data;
	size_t len;
	char *gz;
	size_t gzlen;
	char etag[40];
	const char *type;
};

static struct asset *assets;
static size_t nassets;
static const char *source_dir; /* development mode: read from here */

static const char *
media_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
		{".json", "application/json"},
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < ARRAY_LEN(types); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* gzip-compresses data into a malloc'd buffer; NULL when it does not pay. */
static char *
gzip(const char *data, size_t len, size_t *outlen)
{
	z_stream z;
	size_t cap = compressBound((uLong)len) + 32;
	char *out = xmalloc(cap);

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END ||
	    z.total_out > len - len / 10) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

/* The ETag of data: its BLAKE2b-128 digest in hex, quoted. */
static void
etag_of(const char *data, size_t len, char etag[40])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), (const unsigned char *)data, len, NULL,
			   0);
	etag[0] = '"';
	sodium_bin2hex(etag + 1, 33, h, sizeof(h));
	strcat(etag, "\"");
}

void
static_init(void)
{
	assets = xcalloc(embedded_count, sizeof(*assets));
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		struct asset *a;

		if (strstr(f->path, "/static/") == NULL)
			continue;
		a = &assets[nassets++];
		a->name = strrchr(f->path, '/') + 1;
		a->data = f->data;
		a->len = f->len;
		a->type = media_type(a->name);
		etag_of(f->data, f->len, a->etag);
		a->gz = gzip(f->data, f->len, &a->gzlen);
	}
}

void
static_init_source(const char *dir)
{
	source_dir = dir;
}

/* 1 when an Accept-Encoding value lists gzip (or *) with a q above 0. */
static int
accepts_gzip(const char *ae)
{
	while (ae && *ae) {
		size_t len;
		const char *q;

		ae += strspn(ae, " \t,");
		len = strcspn(ae, ",");
		if ((strncasecmp(ae, "gzip", 4) == 0 &&
		     strchr(" \t;,", ae[4] ? ae[4] : ',')) ||
		    (ae[0] == '*' && strchr(" \t;,", ae[1] ? ae[1] : ','))) {
			q = memchr(ae, ';', len);
			if (q == NULL)
				return 1;
			q = strstr(q, "q=");
			return q == NULL || q > ae + len || strtod(q + 2, NULL) > 0;
		}
		ae += len;
	}
	return 0;
}

/* Answers 304 when the request's If-None-Match names etag. 1 if it did. */
static int
not_modified(struct req *r, struct resp *w, const char *etag, const char *type)
{
	const char *inm = req_header(r, "If-None-Match");

	if (inm == NULL || strstr(inm, etag) == NULL)
		return 0;
	w->status = 304;
	w->body = (char *)"";
	w->body_len = 0;
	w->body_static = 1;
	w->content_type = xstrdup(type);
	return 1;
}

/*
 * Development mode: the asset NAME is the file DIR/<module>/static/NAME,
 * read now.  The name is only compared with the files listed, never put
 * into a path, so "../x" (a decoded %2F) finds nothing.
 */
static void
serve_source_asset(struct req *r, struct resp *w, const char *name)
{
	struct devsource_file *files;
	long n = devsource_list(source_dir, "static", NULL, &files);
	const char *path = NULL, *type = media_type(name);
	char etag[40], *data;
	size_t len;

	for (long i = 0; i < n; i++) {
		const char *base = strrchr(files[i].name, '/') + 1;

		if (strcmp(base, name) == 0)
			path = files[i].path; /* the last, as when embedded */
	}
	if (path == NULL || devsource_read(path, &data, &len) != 0) {
		devsource_free(files, n > 0 ? (size_t)n : 0);
		resp_error(w, 404, _("There is no such file."));
		return;
	}
	devsource_free(files, (size_t)n);
	etag_of(data, len, etag);
	resp_header(w, "ETag", etag);
	resp_header(w, "Cache-Control", "no-cache");
	if (not_modified(r, w, etag, type)) {
		free(data);
		return;
	}
	w->status = 200;
	w->content_type = xstrdup(type);
	w->body = data; /* the answer frees it */
	w->body_len = len;
	w->body_static = 0;
}

static void
serve_asset(struct req *r, struct resp *w)
{
	const char *name = req_param(r, "name");
	const struct asset *a = NULL;

	if (source_dir) {
		serve_source_asset(r, w, name);
		return;
	}

	for (size_t i = 0; i < nassets; i++)
		if (strcmp(assets[i].name, name) == 0)
			a = &assets[i];
	if (a == NULL) {
		resp_error(w, 404, _("There is no such file."));
		return;
	}
	resp_header(w, "ETag", a->etag);
	resp_header(w, "Cache-Control", "public, max-age=3600");
	if (a->gz)
		resp_header(w, "Vary", "Accept-Encoding");
	if (not_modified(r, w, a->etag, a->type))
		return;
	w->status = 200;
	w->content_type = xstrdup(a->type);
	w->body_static = 1;
	if (a->gz && accepts_gzip(req_header(r, "Accept-Encoding"))) {
		resp_header(w, "Content-Encoding", "gzip");
		w->body = a->gz;
		w->body_len = a->gzlen;
	} else {
		w->body = (char *)a->data;
		w->body_len = a->len;
	}
}

#define HEALTH_EVERY 2

/* check_mu: one request checks at a time; data_mu: the last result */
static pthread_mutex_t check_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t data_mu = PTHREAD_MUTEX_INITIALIZER;
static time_t health_at;
static char health_problem[256]; /* empty: the store can write */

/* Checks the disk and a write; the problem in out ("" when none). */
static void
health_check(struct db *db, char *out, size_t len)
{
	const struct config *c = config_current;
	struct statvfs sv;
	struct db_stmt *st;

	out[0] = '\0';
	if (c && statvfs(c->data_dir, &sv) == 0 &&
	    (unsigned long long)sv.f_bavail * sv.f_frsize < c->min_free) {
		snprintf(out, len,
			 "the disk of the data folder has %llu KiB free, "
			 "under min_free (%llu KiB): writes will fail",
			 (unsigned long long)sv.f_bavail * sv.f_frsize / 1024,
			 (unsigned long long)c->min_free / 1024);
		return;
	}
	st = db_prepare_adhoc(db, "INSERT INTO settings (key, value)"
				  " VALUES ('healthz', ?) ON CONFLICT (key)"
				  " DO UPDATE SET value = excluded.value");
	if (st)
		db_bind_int(st, 1, (int64_t)time(NULL));
	if (st == NULL || db_run(st) != 0)
		snprintf(out, len,
			 "the store cannot write (the error is in "
			 "the server's log)");
	db_stmt_free(st);
}

static void
healthz(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_prepare_adhoc(r->db, "SELECT 1");
	int ok = st && db_step(st) == DB_ROW;
	char problem[sizeof(health_problem)] = "";

	db_stmt_free(st);
	if (!ok) {
		snprintf(problem, sizeof(problem), "database unavailable");
	} else {
		/* one request checks; the others take the last result */
		if (pthread_mutex_trylock(&check_mu) == 0) {
			if (time(NULL) - health_at >= HEALTH_EVERY) {
				char fresh[sizeof(health_problem)];

				health_check(r->db, fresh, sizeof(fresh));
				pthread_mutex_lock(&data_mu);
				memcpy(health_problem, fresh, sizeof(fresh));
				health_at = time(NULL);
				pthread_mutex_unlock(&data_mu);
			}
			pthread_mutex_unlock(&check_mu);
		}
		pthread_mutex_lock(&data_mu);
		memcpy(problem, health_problem, sizeof(problem));
		pthread_mutex_unlock(&data_mu);
	}
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, problem[0] ? 503 : 200, NULL, NULL,
		  problem[0] ? json_pack("{s:s,s:s}", "status", "failing",
					 "problem", problem)
			     : json_pack("{s:s}", "status", "ok"));
	if (!r->want_json) {
		/* health checks read JSON whatever they ask for */
		char *s = json_dumps(w->model, JSON_COMPACT);

		resp_raw(w, w->status, "application/json", s, strlen(s));
		free(s);
	}
}

static const struct route core_routes[] = {
	{.method = HTTP_GET, .pattern = "/static/:name", .who = ACCESS_PUBLIC,
	 .handler = serve_asset,
	 .summary = "A compiled-in stylesheet, icon or script"},
	{.method = HTTP_GET, .pattern = "/healthz", .who = ACCESS_PUBLIC,
	 .handler = healthz,
	 .summary = "Liveness and store check for load balancers: 503 when "
		    "the database cannot be read or written, or the disk is "
		    "nearly full"},
};

/* The core's own tables: the services every module may call. */
static struct db_sql *const core_sqls[] = {
	&search_sql, &mail_sql,      &jobs_sql,        &auth_sql,
	&audit_sql,  &ratelimit_sql, &maintenance_sql, NULL,
};

/* The core's job kinds: mail delivery and the hourly maintenance. */
static const struct module_job *const core_jobs[] = {
	&mail_job,
	&maintenance_job,
	NULL,
};

static void
core_init(void)
{
	jobs_init();
	mail_init();
	search_init();
}

const struct module core_module = {
	.name = "core",
	.routes = core_routes,
	.nroutes = ARRAY_LEN(core_routes),
	.sqls = core_sqls,
	.init = core_init,
	.jobs = core_jobs,
};
