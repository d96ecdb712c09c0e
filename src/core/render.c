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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
render_page(const struct req *r, const char *tmpl, const char *title,
	    json_t *model, struct buf *out)
{
	struct buf content = BUF_INIT;
	int rc;

	if (render_template(tmpl, model, &content) != 0) {
		buf_free(&content);
		return -1;
	}
	json_object_set_new(model, "title", json_string(title ? title : ""));
	json_object_set_new(model, "content",
			    json_stringn(buf_cstr(&content), content.len));
	buf_free(&content);
	if (chrome_fn)
		chrome_fn(r, model);
	rc = layout_name ? render_template(layout_name, model, out) : -1;
	json_object_del(model, "content");
	return rc;
}

static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void
md_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

json_t *
render_markdown(const char *md)
{
	static const char *const exts[] = {"table", "strikethrough",
					   "autolink", "tagfilter"};
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SMART;
	cmark_parser *p;
	cmark_node *doc;
	char *html;
	json_t *s;

	if (md == NULL || *md == '\0')
		return json_string("");
	pthread_once(&md_once, md_init);
	p = cmark_parser_new(opts);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);

		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	s = json_string(html);
	if (s == NULL) /* cmark output is UTF-8 when its input is */
		s = json_string("");
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return s;
}
