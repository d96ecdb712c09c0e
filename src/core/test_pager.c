/*
 * test_pager.c -- unit tests of pager.c: pages by offset and by key, and
 * links that keep a list's filters (escaped) but leave out the page, the
 * key and one-shot notices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/pager.h"

static const char *const states[] = {"active", "lapsed", NULL};

static const struct field fields[] = {
	{.name = "q", .type = FT_TEXT},
	{.name = "state", .type = FT_CHOICE, .choices = states},
	{.name = "page", .type = FT_INT, .min = 1, .max = 1000},
	{.name = "after", .type = FT_TEXT},
	{.name = "done", .type = FT_INT, .min = 1, .max = 1000},
	{0},
};
static const struct route list = {.method = HTTP_GET, .pattern = "/list",
				  .fields = fields};

/* A request to /list with the given raw values (NULL: absent), validated
 * as the core does. */
struct fake {
	struct req r;
	struct field_values fv[5];
	struct value v[5];
};

static void
fake_req(struct fake *f, const char *const raw[5])
{
	memset(f, 0, sizeof(*f));
	f->r.arena = arena_new();
	f->r.route = &list;
	f->r.values = f->fv;
	for (int i = 0; i < 5; i++) {
		const char *msg;

		if (raw[i] == NULL)
			continue;
		assert_int_equal(validate_field(&fields[i], raw[i],
						strlen(raw[i]), &f->v[i], &msg),
				 0);
		f->fv[i].n = 1;
		f->fv[i].v = &f->v[i];
	}
}

static void
fake_free(struct fake *f)
{
	for (int i = 0; i < 5; i++)
		value_clear(&f->v[i]);
	arena_free(f->r.arena);
}

static const char *const keep_out[] = {"done", NULL};

static void
offset_pages_keep_the_filters_escaped(void **state)
{
	struct fake f;
	struct pager p;
	json_t *m;

	fake_req(&f, (const char *const[]){"a&b c", "active", "3", NULL, "7"});
	pager_read(&f.r, 20, &p);
	assert_int_equal(p.page, 3);
	assert_int_equal(pager_offset(&p), 40);
	assert_null(p.after);
	m = pager_model(&f.r, &p, "/list", keep_out, 1, -1);
	assert_string_equal(json_string_value(json_object_get(m, "prev_href")),
			    "/list?q=a%26b%20c&state=active&page=2");
	assert_string_equal(json_string_value(json_object_get(m, "next_href")),
			    "/list?q=a%26b%20c&state=active&page=4");
	assert_true(json_is_true(json_object_get(m, "has_pages")));
	assert_null(json_object_get(m, "pages"));
	json_decref(m);
	/* page 1 is the list without page=; the filters refill the form */
	assert_string_equal(pager_href(&f.r, "/list", keep_out, 1, NULL),
			    "/list?q=a%26b%20c&state=active");
	m = pager_filters(&f.r, keep_out);
	assert_int_equal(json_object_size(m), 2);
	assert_string_equal(json_string_value(json_object_get(m, "q")),
			    "a&b c");
	json_decref(m);
	fake_free(&f);
}

static void
a_count_gives_the_number_of_pages_and_the_last(void **state)
{
	struct fake f;
	struct pager p;
	json_t *m;

	fake_req(&f, (const char *const[]){NULL, NULL, "5", NULL, NULL});
	pager_read(&f.r, 10, &p);
	m = pager_model(&f.r, &p, "/list", NULL, 1 /* ignored */, 50);
	assert_int_equal(json_integer_value(json_object_get(m, "pages")), 5);
	assert_true(json_is_null(json_object_get(m, "next_href")));
	assert_string_equal(json_string_value(json_object_get(m, "prev_href")),
			    "/list?page=4");
	json_decref(m);
	fake_free(&f);
	/* one page only: no pager to show */
	fake_req(&f, (const char *const[]){NULL, NULL, NULL, NULL, NULL});
	pager_read(&f.r, 10, &p);
	assert_int_equal(p.page, 1);
	m = pager_model(&f.r, &p, "/list", NULL, 0, 10);
	assert_false(json_is_true(json_object_get(m, "has_pages")));
	json_decref(m);
	fake_free(&f);
}

static void
key_pages_continue_after_the_last_row(void **state)
{
	struct fake f;
	struct pager p;
	json_t *m;

	fake_req(&f, (const char *const[]){"x", NULL, NULL, NULL, NULL});
	pager_read(&f.r, 100, &p);
	assert_null(p.after);
	m = pager_model_keyed(&f.r, &p, "/list", NULL, "2026-12-02 17");
	assert_string_equal(json_string_value(json_object_get(m, "next_href")),
			    "/list?q=x&after=2026-12-02%2017");
	assert_true(json_is_null(json_object_get(m, "first_href")));
	json_decref(m);
	fake_free(&f);

	fake_req(&f, (const char *const[]){"x", NULL, "9", "2026-12-02 17",
					   NULL});
	pager_read(&f.r, 100, &p);
	assert_string_equal(p.after, "2026-12-02 17");
	/* the last page: no next, a way back to the first */
	m = pager_model_keyed(&f.r, &p, "/list", NULL, NULL);
	assert_true(json_is_true(json_object_get(m, "has_pages")));
	assert_true(json_is_null(json_object_get(m, "next_href")));
	assert_string_equal(
		json_string_value(json_object_get(m, "first_href")), "/list?q=x");
	json_decref(m);
	fake_free(&f);
}

static void
trim_drops_the_row_read_past_the_page(void **state)
{
	json_t *rows = json_pack("[i,i,i]", 1, 2, 3);

	assert_int_equal(pager_trim(rows, 3), 0);
	assert_int_equal(json_array_size(rows), 3);
	assert_int_equal(pager_trim(rows, 2), 1);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offset_pages_keep_the_filters_escaped),
		cmocka_unit_test(a_count_gives_the_number_of_pages_and_the_last),
		cmocka_unit_test(key_pages_continue_after_the_last_row),
		cmocka_unit_test(trim_drops_the_row_read_past_the_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
