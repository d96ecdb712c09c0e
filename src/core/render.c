/*
 * render.c -- see render.h.  One template set for the process, built at
 * start-up from the embedded files and read-only afterwards, so worker
 * threads share it without locks.  Markdown goes through cmark-gfm with its
 * default safe mode (raw HTML omitted, unsafe link schemes removed) and the
 * table, strikethrough and autolink extensions.
 */
#include "render.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "embed.h"
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

void
render_add_times(json_t *rows, const char *key)
{
	char iso_key[64], text_key[64], iso[32], text[40];
	json_t *row;
	size_t i;

	snprintf(iso_key, sizeof(iso_key), "%s_iso", key);
	snprintf(text_key, sizeof(text_key), "%s_text", key);
	json_array_foreach (rows, i, row) {
		json_t *v = json_object_get(row, key);
		time_t t;
		struct tm tm;

		if (!json_is_integer(v))
			continue;
		t = (time_t)json_integer_value(v);
		gmtime_r(&t, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		strftime(text, sizeof(text), "%d %b %Y, %H:%M UTC", &tm);
		json_object_set_new(row, iso_key, json_string(iso));
		json_object_set_new(row, text_key, json_string(text));
	}
}

int
render_template(const char *tmpl, json_t *model, struct buf *out)
{
	if (tmpl_render(set, tmpl, model, out) != 0) {
		log_error("render: template %s failed (missing template or "
			  "partial)",
			  tmpl);
		return -1;
	}
	return 0;
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

int
render_page(const struct req *r, const char *tmpl, const char *title,
	    json_t *model, struct buf *out)
{
	struct buf *content = thread_buf();
	int rc;

	buf_reset(content);
	/* the chrome first: page templates may use it too (csrf, me) */
	if (chrome_fn)
		chrome_fn(r, model);
	if (render_template(tmpl, model, content) != 0)
		return -1;
	json_object_set_new(model, "title", json_string(title ? title : ""));
	/* our own output: UTF-8 by construction, so no second check */
	json_object_set_new(model, "content",
			    json_stringn_nocheck(buf_cstr(content), content->len));
	rc = layout_name ? render_template(layout_name, model, out) : -1;
	json_object_del(model, "content");
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
