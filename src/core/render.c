/*
 * render.c -- see render.h.  One template set for the process, built at
 * start-up from the embedded files and read-only afterwards, so worker
 * threads share it without locks.  Markdown goes through cmark-gfm with its
 * default safe mode (raw HTML omitted, unsafe link schemes removed) and the
 * table, strikethrough and autolink extensions.
 *
 * In development mode (render_init_source) the set comes from the source
 * folder instead and is rebuilt whenever a template file there changes.
 * Threads then take the current set with a reference under a lock and give
 * it back after the page; a rebuild swaps in a new set and the old one goes
 * with its last reference, so no page ever sees a set change under it.  The
 * production path never reaches that code: one test of source_dir.
 */
#include "render.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devsource.h"
#include "embed.h"
#include "escape.h"
#include "i18n.h"
#include "log.h"
#include "template.h"

static struct tmpl_set *set;
static const char *layout_name;
static const char *error_name;
static render_chrome_fn chrome_fn;

int
render_init(char *err, size_t errlen)
{
	set = tmpl_set_new();
	for (size_t i = 0; i < embedded_count; i++) {
		const struct embedded_file *f = &embedded_files[i];

		if (strstr(f->path, "/templates/") == NULL)
			continue;
		if (tmpl_set_add(set, f->path, f->data, f->len, err, errlen) !=
		    0)
			return -1;
	}
	return 0;
}

/* Development mode: the set compiled from the source folder, or the reason
 * it could not be, shared by reference. */
struct source_set {
	struct tmpl_set *set; /* NULL when a template did not compile */
	char *error;          /* then "DIR/site/templates/x.html:3:7: ..." */
	unsigned refs;        /* the current pointer's one, and each page's */
};

static char *source_dir; /* NULL: production, the embedded set */
static pthread_mutex_t source_lock = PTHREAD_MUTEX_INITIALIZER;
static struct source_set *source_cur;
static uint64_t source_stamp;

static void
source_set_free(struct source_set *s)
{
	if (s->set)
		tmpl_set_free(s->set);
	free(s->error);
	free(s);
}

/* Compiles the listed templates into a new source_set (refs 0): the set,
 * or the first error with the file's path on disk. */
static struct source_set *
source_compile(const struct devsource_file *files, size_t n)
{
	struct source_set *s = xcalloc(1, sizeof(*s));
	char err[1024];

	s->set = tmpl_set_new();
	for (size_t i = 0; i < n && s->error == NULL; i++) {
		char *data;
		size_t len;
		struct buf msg = BUF_INIT;

		if (devsource_read(files[i].path, &data, &len) != 0) {
			buf_printf(&msg, "%s: cannot read: %s", files[i].path,
				   strerror(errno));
		} else {
			if (tmpl_set_add(s->set, files[i].name, data, len, err,
					 sizeof(err)) != 0)
				/* the compiler names the file as embedded:
				 * say where it is on disk */
				buf_printf(&msg, "%s/%s", source_dir, err);
			free(data);
		}
		if (msg.len)
			s->error = buf_detach(&msg, NULL);
	}
	if (s->error) {
		tmpl_set_free(s->set);
		s->set = NULL;
	}
	return s;
}

/* Rebuilds the current source set when the template files changed since
 * the last look.  Called with source_lock held. */
static void
source_refresh(void)
{
	struct devsource_file *files;
	long n = devsource_list(source_dir, "templates", ".html", &files);
	uint64_t stamp;
	struct source_set *s;

	if (n < 0) {
		/* the folder went away: pages say so until it is back (stamp
		 * 0 stands for that state, so it is built once) */
		const char *why = strerror(errno);

		if (source_cur && source_stamp == 0)
			return;
		s = xcalloc(1, sizeof(*s));
		s->error = xmalloc(strlen(source_dir) + strlen(why) + 3);
		sprintf(s->error, "%s: %s", source_dir, why);
		stamp = 0;
	} else {
		stamp = devsource_stamp(files, (size_t)n);
		if (source_cur && stamp == source_stamp) {
			devsource_free(files, (size_t)n);
			return;
		}
		s = source_compile(files, (size_t)n);
		devsource_free(files, (size_t)n);
	}
	if (s->error)
		log_error("render: dev_source: %s", s->error);
	else if (source_cur)
		log_info("render: %ld templates read again from %s", n,
			 source_dir);
	s->refs = 1;
	if (source_cur && --source_cur->refs == 0)
		source_set_free(source_cur);
	source_cur = s;
	source_stamp = stamp;
}

/* The source set for one page, with a reference: give it back with
 * source_release. */
static struct source_set *
source_acquire(void)
{
	struct source_set *s;

	pthread_mutex_lock(&source_lock);
	source_refresh();
	s = source_cur;
	s->refs++;
	pthread_mutex_unlock(&source_lock);
	return s;
}

static void
source_release(struct source_set *s)
{
	pthread_mutex_lock(&source_lock);
	if (--s->refs == 0)
		source_set_free(s);
	pthread_mutex_unlock(&source_lock);
}

int
render_init_source(const char *dir, char *err, size_t errlen)
{
	struct devsource_file *files;
	long n = devsource_list(dir, "templates", ".html", &files);
	int layout = 0;

	if (n < 0) {
		snprintf(err, errlen, "dev_source %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	for (long i = 0; i < n; i++)
		if (layout_name && strcmp(files[i].name, layout_name) == 0)
			layout = 1;
	devsource_free(files, (size_t)n);
	if (n == 0 || (layout_name && !layout)) {
		snprintf(err, errlen,
			 "dev_source %s holds no %s: name the source tree's "
			 "src folder (the one with site/templates/)",
			 dir,
			 n == 0 ? "MODULE/templates/NAME.html" : layout_name);
		return -1;
	}
	source_dir = xstrdup(dir);
	pthread_mutex_lock(&source_lock);
	source_refresh();
	pthread_mutex_unlock(&source_lock);
	return 0;
}

const char *
render_source_dir(void)
{
	return source_dir;
}

void
render_source_error_page(struct buf *out, const char *error)
{
	buf_puts(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n"
		      "<title>Template error</title>\n"
		      "<link rel=\"stylesheet\" href=\"/static/site.css\">\n"
		      "</head>\n<body>\n<main class=\"wrap\">\n"
		      "<h1>A template does not compile</h1>\n"
		      "<p>alliance is reading its templates from the source "
		      "folder (dev_source). Mend the file and reload.</p>\n"
		      "<pre>");
	esc_html(out, error, strlen(error));
	buf_puts(out, "</pre>\n</main>\n</body>\n</html>\n");
}

void
render_configure(const char *layout, const char *error_template,
		 render_chrome_fn chrome)
{
	layout_name = layout;
	error_name = error_template;
	chrome_fn = chrome;
}

const char *
render_error_template(void)
{
	return error_name;
}

/* TRANSLATORS: the months as dates show them, "29 Nov 2026, 06:20 UTC"
 * (abbreviated where the language abbreviates) */
static const char *const month_names[12] = {
	N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
	N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
};

void
render_time_text(const struct tm *tm, char *out, size_t len)
{
	int m = tm->tm_mon >= 0 && tm->tm_mon < 12 ? tm->tm_mon : 0;

	snprintf(out, len, "%02d %s %04d, %02d:%02d UTC", tm->tm_mday,
		 _(month_names[m]), tm->tm_year + 1900, tm->tm_hour,
		 tm->tm_min);
}

void
render_day_text(const char *ymd, char *out, size_t len)
{
	int y, m, d, n = 0;

	if (ymd == NULL) {
		snprintf(out, len, "%s", "");
		return;
	}
	if (strlen(ymd) == 10 &&
	    sscanf(ymd, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
	    m >= 1 && m <= 12 && d >= 1 && d <= 31)
		snprintf(out, len, "%02d %s %04d", d, _(month_names[m - 1]), y);
	else
		snprintf(out, len, "%s", ymd);
}

void
render_add_time(json_t *row, const char *key)
{
	char iso_key[64], text_key[64], iso[32], text[80];
	json_t *v = json_object_get(row, key);
	time_t t;
	struct tm tm;

	if (!json_is_integer(v))
		return;
	snprintf(iso_key, sizeof(iso_key), "%s_iso", key);
	snprintf(text_key, sizeof(text_key), "%s_text", key);
	t = (time_t)json_integer_value(v);
	gmtime_r(&t, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	render_time_text(&tm, text, sizeof(text));
	json_object_set_new(row, iso_key, json_string(iso));
	json_object_set_new(row, text_key, json_string(text));
}

void
render_add_times(json_t *rows, const char *key)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row)
		render_add_time(row, key);
}

/* Renders tmpl from tset with model into out. 0 or -1 (logged). */
static int
render_from(const struct tmpl_set *tset, const char *tmpl, json_t *model,
	    struct buf *out)
{
	if (tmpl_render(tset, tmpl, model, out) != 0) {
		log_error("render: template %s failed (missing template or "
			  "partial)",
			  tmpl);
		return -1;
	}
	return 0;
}

int
render_template(const char *tmpl, json_t *model, struct buf *out)
{
	struct source_set *s;
	int rc;

	if (source_dir == NULL)
		return render_from(set, tmpl, model, out);
	s = source_acquire();
	if (s->set == NULL) {
		log_error("render: template %s not rendered: %s", tmpl,
			  s->error);
		rc = -1;
	} else {
		rc = render_from(s->set, tmpl, model, out);
	}
	source_release(s);
	return rc;
}

/* The page body is rendered into a buffer of the worker thread, which
 * keeps its capacity from one request to the next and goes with the
 * thread. */
static pthread_key_t buf_key;
static pthread_once_t buf_once = PTHREAD_ONCE_INIT;

static void
buf_destroy(void *p)
{
	buf_free(p);
	free(p);
}

static void
buf_key_init(void)
{
	pthread_key_create(&buf_key, buf_destroy);
}

static struct buf *
thread_buf(void)
{
	struct buf *b;

	pthread_once(&buf_once, buf_key_init);
	b = pthread_getspecific(buf_key);
	if (b == NULL) {
		b = xcalloc(1, sizeof(*b));
		pthread_setspecific(buf_key, b);
	}
	return b;
}

/* render_page with the template set tset. */
static int
render_page_from(const struct tmpl_set *tset, const struct req *r,
		 const char *tmpl, const char *title, json_t *model,
		 struct buf *out)
{
	struct buf *content = thread_buf();
	int rc;

	buf_reset(content);
	/* the chrome first: page templates may use it too (csrf, me) */
	if (chrome_fn)
		chrome_fn(r, model);
	if (render_from(tset, tmpl, model, content) != 0)
		return -1;
	/* a form shown again with its messages says so first in the title,
	 * the first thing a screen reader reads of the new page (http.h,
	 * resp_form_errors) */
	if (json_is_true(json_object_get(model, "error_title"))) {
		struct buf t = BUF_INIT;

		i18n_format(&t, _("Error: {title}"), "title",
			    title ? title : "", NULL);
		json_object_set_new(model, "title", json_string(buf_cstr(&t)));
		buf_free(&t);
	} else {
		json_object_set_new(model, "title",
				    json_string(title ? title : ""));
	}
	/* <html lang dir> and the language chooser */
	json_object_set_new(
		model, "i18n",
		json_pack("{s:s,s:s}", "lang", i18n_code(), "dir", i18n_dir()));
	/* our own output: UTF-8 by construction, so no second check */
	json_object_set_new(model, "content",
			    json_stringn_nocheck(buf_cstr(content), content->len));
	rc = layout_name ? render_from(tset, layout_name, model, out) : -1;
	json_object_del(model, "content");
	return rc;
}

int
render_page(const struct req *r, const char *tmpl, const char *title,
	    json_t *model, struct buf *out)
{
	struct source_set *s;
	int rc;

	if (source_dir == NULL)
		return render_page_from(set, r, tmpl, title, model, out);
	/* development mode: the whole page from one set, the newest */
	s = source_acquire();
	if (s->set == NULL) {
		buf_reset(out);
		render_source_error_page(out, s->error);
		rc = RENDER_SOURCE_ERROR;
	} else {
		rc = render_page_from(s->set, r, tmpl, title, model, out);
	}
	source_release(s);
	return rc;
}

/*
 * Rendered Markdown is cached by the BLAKE2b digest of its source: pages
 * are read far more often than they change, and cmark is the dearest step
 * of a page.  A pure function's cache holds no state that two nodes would
 * have to share.  Direct-mapped, 256 entries, one lock.
 */
#define MD_CACHE 256

struct md_entry {
	unsigned char key[16];
	char *html;
	size_t len;
};

static struct md_entry md_cache[MD_CACHE];
static pthread_mutex_t md_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void
md_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* Renders md with cmark-gfm: a malloc'd HTML string. */
static char *
md_render(const char *md, size_t len)
{
	static const char *const exts[] = {"table", "strikethrough",
					   "autolink", "tagfilter"};
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
	cmark_parser *p;
	cmark_node *doc;
	char *html;

	pthread_once(&md_once, md_init);
	p = cmark_parser_new(opts);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);

		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, len);
	doc = cmark_parser_finish(p);
	html = cmark_render_html(doc, opts,
				 cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

json_t *
render_markdown(const char *md)
{
	unsigned char key[16];
	struct md_entry *e;
	size_t len = md ? strlen(md) : 0;
	char *html;
	json_t *s;

	if (len == 0)
		return json_string("");
	crypto_generichash(key, sizeof(key), (const unsigned char *)md, len,
			   NULL, 0);
	e = &md_cache[key[0]];
	pthread_mutex_lock(&md_lock);
	if (e->html && memcmp(e->key, key, sizeof(key)) == 0) {
		s = json_stringn_nocheck(e->html, e->len);
		pthread_mutex_unlock(&md_lock);
		return s;
	}
	pthread_mutex_unlock(&md_lock);

	html = md_render(md, len);
	/* cmark's output is UTF-8 when its input is; check once, here */
	s = json_string(html);
	if (s == NULL) {
		free(html);
		return json_string("");
	}
	pthread_mutex_lock(&md_lock);
	free(e->html);
	memcpy(e->key, key, sizeof(key));
	e->html = html;
	e->len = strlen(html);
	pthread_mutex_unlock(&md_lock);
	return s;
}
