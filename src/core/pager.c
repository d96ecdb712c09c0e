/*
 * pager.c -- see pager.h.  Pure but for the request it reads: no I/O, no
 * database; the list's own statement reads the rows with the offset or
 * the key this gives.
 */
#include "pager.h"

#include <string.h>

#include "arena.h"
#include "escape.h"
#include "util.h"

void
pager_read(const struct req *r, int64_t size, struct pager *p)
{
	const struct value *page = req_value(r, "page");
	const struct value *after = req_value(r, "after");

	p->size = size;
	p->page = page->present && page->num > 0 ? page->num : 1;
	p->after = after->present && after->str && *after->str ? after->str
								: NULL;
}

int64_t
pager_offset(const struct pager *p)
{
	return (p->page - 1) * p->size;
}

/* Whether name is one the links leave out. */
static int
skipped(const char *name, const char *const *skip)
{
	if (strcmp(name, "page") == 0 || strcmp(name, "after") == 0)
		return 1;
	for (size_t i = 0; skip && skip[i]; i++)
		if (strcmp(name, skip[i]) == 0)
			return 1;
	return 0;
}

const char *
pager_href(struct req *r, const char *path, const char *const *skip,
	   int64_t n, const char *key)
{
	const struct field *f = r->route ? r->route->fields : NULL;
	struct buf b = BUF_INIT;
	const char *href;
	char sep = '?';

	buf_puts(&b, path);
	for (size_t i = 0; f && f[i].name; i++) {
		const struct value *v = req_value(r, f[i].name);

		if (!v->present || v->str == NULL || skipped(f[i].name, skip))
			continue;
		buf_printf(&b, "%c%s=", sep, f[i].name);
		esc_url_component(&b, v->str, strlen(v->str));
		sep = '&';
	}
	if (key != NULL) {
		buf_printf(&b, "%cafter=", sep);
		esc_url_component(&b, key, strlen(key));
	} else if (n > 1) {
		buf_printf(&b, "%cpage=%lld", sep, (long long)n);
	}
	href = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return href;
}

int
pager_trim(json_t *rows, int64_t size)
{
	if ((int64_t)json_array_size(rows) <= size)
		return 0;
	while ((int64_t)json_array_size(rows) > size)
		json_array_remove(rows, json_array_size(rows) - 1);
	return 1;
}

json_t *
pager_model(struct req *r, const struct pager *p, const char *path,
	    const char *const *skip, int has_next, int64_t total)
{
	json_t *m;

	if (total >= 0)
		has_next = p->page * p->size < total;
	m = json_pack("{s:I,s:b,s:s?,s:s?}", "page", (json_int_t)p->page,
		      "has_pages", p->page > 1 || has_next, "prev_href",
		      p->page > 1 ? pager_href(r, path, skip, p->page - 1, NULL)
				  : NULL,
		      "next_href",
		      has_next ? pager_href(r, path, skip, p->page + 1, NULL)
			       : NULL);
	if (total >= 0)
		json_object_set_new(
			m, "pages",
			json_integer((total + p->size - 1) / p->size));
	return m;
}

json_t *
pager_model_keyed(struct req *r, const struct pager *p, const char *path,
		  const char *const *skip, const char *next_key)
{
	return json_pack(
		"{s:b,s:s?,s:s?}", "has_pages",
		p->after != NULL || next_key != NULL, "next_href",
		next_key ? pager_href(r, path, skip, 0, next_key) : NULL,
		"first_href",
		p->after ? pager_href(r, path, skip, 1, NULL) : NULL);
}

json_t *
pager_filters(const struct req *r, const char *const *skip)
{
	const struct field *f = r->route ? r->route->fields : NULL;
	json_t *o = json_object();

	for (size_t i = 0; f && f[i].name; i++) {
		const struct value *v = req_value(r, f[i].name);

		if (v->present && v->str && !skipped(f[i].name, skip))
			json_object_set_new(o, f[i].name,
					    json_string(v->str));
	}
	return o;
}
