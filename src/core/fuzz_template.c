/*
 * fuzz_template.c -- libFuzzer target for the template engine.
 *
 * Compiles each input as a template and, when it compiles, renders it
 * against a fixed context that holds hostile strings and a few partials.
 * Besides the sanitizers' findings it checks two promises: a failed
 * compile always explains itself, and without {{raw}} no '<' from the data
 * reaches the output (the marker "<x-evil" can only come from the source).
 * Built only by the fuzz make target:
 *
 *   clang -fsanitize=fuzzer,address -Isrc $(pkg-config --cflags jansson) \
 *       src/core/fuzz_template.c src/core/template.c src/core/escape.c \
 *       src/core/util.c -ljansson
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"

/* The input's name holds a space, so {{> ...}} cannot reach it. */
#define INPUT_NAME "fuzz input"

static const char context_json[] =
	"{\"s\": \"<x-evil a='1' b=\\\"2\\\">&amp;</x-evil>\","
	" \"u\": \" JaVaScRiPt:alert(1)\", \"ok\": \"https://a.org/?a=1&b=2\","
	" \"n\": 42, \"r\": 0.1, \"t\": true, \"f\": false, \"z\": null,"
	" \"e\": \"\", \"a\": [\"<x-evil>\", 2],"
	" \"o\": {\"s\": \"in<x-evil>\", \"a\": [{\"s\": \"deep\"}]}}";

static struct tmpl_set *set;
static json_t *ctx;

static void
setup(void)
{
	static const char *const partials[][2] = {
		{"p", "<b title=\"{{s}}\">{{#a}}{{@index}}{{.}}{{/a}}</b>"},
		{"deep", "<i>{{> deep}}</i>"},
		{"url", "<a href=\"{{u}}\">{{ok}}</a>"},
	};
	size_t i;

	set = tmpl_set_new();
	ctx = json_loads(context_json, 0, NULL);
	if (ctx == NULL)
		abort();
	for (i = 0; i < sizeof(partials) / sizeof(partials[0]); i++)
		if (tmpl_set_add(set, partials[i][0], partials[i][1],
				 strlen(partials[i][1]), NULL, 0) != 0)
			abort();
}

/* 1 when s[0..n) contains needle, ignoring ASCII case. */
static int
contains(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i, j;

	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k; j++)
			if ((s[i + j] | 0x20) != (needle[j] | 0x20))
				break;
		if (j == k)
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	struct buf out = BUF_INIT;
	char err[256];
	size_t i, sections = 0;

	if (set == NULL)
		setup();
	err[0] = '\0';
	if (tmpl_set_add(set, INPUT_NAME, src, size, err, sizeof(err)) != 0) {
		if (strncmp(err, INPUT_NAME ":", strlen(INPUT_NAME) + 1) != 0)
			abort(); /* a failure must say where and why */
		return 0;
	}
	/* Nested loops multiply; keep each run short. */
	for (i = 0; i < size; i++)
		sections += data[i] == '#';
	if (sections > 8)
		return 0;
	if (tmpl_render(set, INPUT_NAME, ctx, &out) == 0 &&
	    !contains(src, size, "raw") && !contains(src, size, "x-evil") &&
	    contains(out.data ? out.data : "", out.len, "<x-evil"))
		abort(); /* data escaped its escaping */
	buf_free(&out);
	return 0;
}
