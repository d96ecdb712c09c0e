/*
 * test_focal.c -- the gathering of the focal sources (sources.c): a
 * module adds a section to every focal area's page by declaring a struct
 * focal_source, with no line of src/focal/ naming it.  Fake modules
 * declare three sources; the focal module's assemble hook gathers them
 * lowest order first (equal orders in module order), a source with no
 * items for the area shows no section, the dates become words, and a
 * source that fails fails the page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/util.h"
#include "focal/focal.h"
#include "focal/sources.h"

static int64_t asked_area;
static int fail_meetings;

/* Meetings: one for area 7, with a date. */
static int
meetings_items(struct req *r, int64_t area, json_t *items)
{
	(void)r;
	asked_area = area;
	if (fail_meetings)
		return -1;
	if (area == 7)
		json_array_append_new(
			items, json_pack("{s:s,s:s,s:I}", "title", "A meeting",
					 "href", "/meetings/1", "date",
					 (json_int_t)1780000000));
	return 0;
}

/* Statements: one with a sub-item, for every area. */
static int
statements_items(struct req *r, int64_t area, json_t *items)
{
	(void)r;
	(void)area;
	json_array_append_new(
		items,
		json_pack("{s:s,s:s,s:[{s:s,s:s,s:s,s:I}]}", "title",
			  "A statement", "href", "/statements/1", "items",
			  "kind_label", "Annex", "title", "An annex", "href",
			  "/statements/1/annex", "date",
			  (json_int_t)1780000000));
	return 0;
}

/* The library: nothing yet. */
static int
library_items(struct req *r, int64_t area, json_t *items)
{
	(void)r;
	(void)area;
	(void)items;
	return 0;
}

static const struct focal_source meetings_src[] = {
	{.kind = "meeting", .heading = "Meetings", .order = 30,
	 .items = meetings_items},
};
static const struct focal_source other_src[] = {
	{.kind = "library", .heading = "Library", .order = 5,
	 .items = library_items},
	{.kind = "statement", .heading = "Statements", .order = 30,
	 .items = statements_items},
};
static const struct module meetings_mod = {
	.name = "fake-meetings", .focal = meetings_src, .nfocal = 1};
static const struct module other_mod = {
	.name = "fake-others", .focal = other_src, .nfocal = 2};
static const struct module *const mods[] = {&meetings_mod, &focal_module,
					    &other_mod};

static void
sections_follow_the_declarations_lowest_order_first(void **state)
{
	struct req r;
	json_t *out = NULL, *s;

	(void)state;
	memset(&r, 0, sizeof r);
	fail_meetings = 0;
	focal_module.assemble(mods, ARRAY_LEN(mods));
	assert_int_equal(focal_sections(&r, 7, &out), 0);
	assert_int_equal(asked_area, 7);
	/* the library has nothing: no section; meetings before statements
	 * (the same order, the modules' order) */
	assert_int_equal(json_array_size(out), 2);
	s = json_array_get(out, 0);
	assert_string_equal(json_string_value(json_object_get(s, "kind")),
			    "meeting");
	assert_string_equal(json_string_value(json_object_get(s, "heading")),
			    "Meetings");
	s = json_array_get(json_object_get(s, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "date_iso")),
			    "2026-05-28T20:26:40Z");
	assert_non_null(strstr(
		json_string_value(json_object_get(s, "date_text")), "2026"));
	s = json_array_get(out, 1);
	assert_string_equal(json_string_value(json_object_get(s, "kind")),
			    "statement");
	s = json_array_get(json_object_get(s, "items"), 0);
	assert_true(json_is_true(json_object_get(s, "has_items")));
	s = json_array_get(json_object_get(s, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "date_iso")),
			    "2026-05-28T20:26:40Z");
	json_decref(out);

	/* another area: the meetings have nothing for it */
	assert_int_equal(focal_sections(&r, 8, &out), 0);
	assert_int_equal(json_array_size(out), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(out, 0), "kind")),
			    "statement");
	json_decref(out);
}

static void
a_failing_source_fails_the_page(void **state)
{
	struct req r;
	json_t *sentinel = json_array(), *out = sentinel;

	(void)state;
	memset(&r, 0, sizeof r);
	focal_module.assemble(mods, ARRAY_LEN(mods));
	fail_meetings = 1;
	assert_int_equal(focal_sections(&r, 7, &out), -1);
	assert_null(out);
	json_decref(sentinel);
	fail_meetings = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			sections_follow_the_declarations_lowest_order_first),
		cmocka_unit_test(a_failing_source_fails_the_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
