/*
 * test_router.c -- the route table matcher: literal and parameter
 * segments, precedence, 404 vs 405 with the Allow set, HEAD through GET,
 * and paths that must not decode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/router.h"
#include "core/util.h"

static void nop(struct req *r, struct resp *w) { (void)r, (void)w; }

static const struct route table[] = {
	{.method = HTTP_GET, .pattern = "/", .who = ACCESS_PUBLIC,
	 .handler = nop, .summary = "home"},
	{.method = HTTP_GET, .pattern = "/focal-points", .who = ACCESS_PUBLIC,
	 .handler = nop, .summary = "index"},
	{.method = HTTP_GET, .pattern = "/focal-points/:slug",
	 .who = ACCESS_PUBLIC, .handler = nop, .summary = "one"},
	{.method = HTTP_GET, .pattern = "/contact", .who = ACCESS_PUBLIC,
	 .handler = nop, .summary = "form"},
	{.method = HTTP_POST, .pattern = "/contact", .who = ACCESS_PUBLIC,
	 .handler = nop, .summary = "send"},
	{.method = HTTP_GET, .pattern = "/parties/:party/meetings/:id",
	 .who = ACCESS_PUBLIC, .handler = nop, .summary = "meeting"},
	{.method = HTTP_GET, .pattern = "/parties/new", .who = ACCESS_ADMIN,
	 .handler = nop, .summary = "new"},
	{.method = HTTP_GET, .pattern = "/parties/:party",
	 .who = ACCESS_PUBLIC, .handler = nop, .summary = "party"},
};
static const struct route *routes[ARRAY_LEN(table)];

static int
setup(void **state)
{
	for (size_t i = 0; i < ARRAY_LEN(table); i++)
		routes[i] = &table[i];
	*state = arena_new();
	return 0;
}

static int
teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static enum router_result
match(void **state, unsigned method, const char *path, struct route_match *m)
{
	return router_match(routes, ARRAY_LEN(routes), method, path, *state, m);
}

static void
root_matches_only_root(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/", &m), ROUTER_FOUND);
	assert_string_equal(m.route->summary, "home");
	assert_int_equal(match(state, HTTP_GET, "//", &m), ROUTER_NOT_FOUND);
}

static void
parameter_is_decoded(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/focal-points/victims%27-rights",
			       &m),
			 ROUTER_FOUND);
	assert_string_equal(m.route->summary, "one");
	assert_int_equal(m.n, 1);
	assert_string_equal(m.names[0], "slug");
	assert_string_equal(m.values[0], "victims'-rights");
}

static void
two_parameters_are_named(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/parties/victims/meetings/42",
			       &m),
			 ROUTER_FOUND);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.names[0], "party");
	assert_string_equal(m.values[0], "victims");
	assert_string_equal(m.names[1], "id");
	assert_string_equal(m.values[1], "42");
}

static void
earlier_route_wins(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/parties/new", &m),
			 ROUTER_FOUND);
	assert_string_equal(m.route->summary, "new");
}

static void
method_selects_route(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_POST, "/contact", &m), ROUTER_FOUND);
	assert_string_equal(m.route->summary, "send");
	assert_int_equal(match(state, HTTP_GET, "/contact", &m), ROUTER_FOUND);
	assert_string_equal(m.route->summary, "form");
}

static void
head_is_served_by_get(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_HEAD, "/focal-points", &m),
			 ROUTER_FOUND);
	assert_string_equal(m.route->summary, "index");
}

static void
wrong_method_gives_allow_set(void **state)
{
	struct route_match m;
	char allow[64];

	assert_int_equal(match(state, HTTP_DELETE, "/contact", &m),
			 ROUTER_BAD_METHOD);
	router_allow_header(m.allow, allow, sizeof(allow));
	assert_string_equal(allow, "GET, HEAD, POST");
	assert_int_equal(match(state, HTTP_POST, "/", &m), ROUTER_BAD_METHOD);
	router_allow_header(m.allow, allow, sizeof(allow));
	assert_string_equal(allow, "GET, HEAD");
}

static void
unknown_method_is_bad_method_on_known_path(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, 0, "/", &m), ROUTER_BAD_METHOD);
}

static void
unknown_paths_are_not_found(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/nope", &m), ROUTER_NOT_FOUND);
	assert_int_equal(match(state, HTTP_GET, "/focal-points/a/b", &m),
			 ROUTER_NOT_FOUND);
	assert_int_equal(match(state, HTTP_GET, "/focal-points/", &m),
			 ROUTER_NOT_FOUND);
	assert_int_equal(match(state, HTTP_GET, "/contact/", &m),
			 ROUTER_NOT_FOUND);
}

static void
encoded_slash_does_not_split(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/focal-points/a%2Fb", &m),
			 ROUTER_BAD_PATH);
}

static void
rejects_bad_escapes_nul_and_invalid_utf8(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/focal-points/%ZZ", &m),
			 ROUTER_BAD_PATH);
	assert_int_equal(match(state, HTTP_GET, "/focal-points/a%00b", &m),
			 ROUTER_BAD_PATH);
	assert_int_equal(match(state, HTTP_GET, "/focal-points/%C3%28", &m),
			 ROUTER_BAD_PATH);
	assert_int_equal(match(state, HTTP_GET, "relative", &m),
			 ROUTER_BAD_PATH);
}

static void
too_many_segments_is_bad_path(void **state)
{
	struct route_match m;
	char path[256] = "";

	for (int i = 0; i < 40; i++)
		strcat(path, "/a");
	assert_int_equal(match(state, HTTP_GET, path, &m), ROUTER_BAD_PATH);
}

static void
utf8_parameter_is_kept(void **state)
{
	struct route_match m;

	assert_int_equal(match(state, HTTP_GET, "/parties/gen%C3%A8ve", &m),
			 ROUTER_FOUND);
	assert_string_equal(m.values[0], "genève");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(root_matches_only_root, setup, teardown),
		cmocka_unit_test_setup_teardown(parameter_is_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(two_parameters_are_named, setup, teardown),
		cmocka_unit_test_setup_teardown(earlier_route_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(method_selects_route, setup, teardown),
		cmocka_unit_test_setup_teardown(head_is_served_by_get, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_method_gives_allow_set, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_method_is_bad_method_on_known_path, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_paths_are_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(encoded_slash_does_not_split, setup, teardown),
		cmocka_unit_test_setup_teardown(rejects_bad_escapes_nul_and_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(too_many_segments_is_bad_path, setup, teardown),
		cmocka_unit_test_setup_teardown(utf8_parameter_is_kept, setup, teardown),
	};

	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
