/*
 * test_countries.c -- the country names (countries.h): a name for exactly the
 * codes valid_country accepts, translated in the current language
 * ("Autriche" in French), and the list sorted for the reader, accents
 * folded ("Égypte" among the E's, not after "Zimbabwe").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/countries.h"
#include "core/i18n.h"
#include "core/validate.h"

static int
setup(void **state)
{
	char err[256];

	(void)state;
	if (i18n_init("en", err, sizeof(err)) != 0) {
		fprintf(stderr, "i18n_init: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	i18n_free();
	return 0;
}

/* Every pair of letters: a name exactly when the code is assigned. */
static void
test_names_match_the_codes(void **state)
{
	char code[3] = {0};
	int n = 0;

	(void)state;
	for (char a = 'A'; a <= 'Z'; a++) {
		for (char b = 'A'; b <= 'Z'; b++) {
			code[0] = a;
			code[1] = b;
			if (valid_country(code, 2)) {
				assert_non_null(country_name(code));
				n++;
			} else {
				assert_null(country_name(code));
			}
		}
	}
	assert_int_equal(n, 249);
	assert_null(country_name("A"));
	assert_null(country_name("AUT"));
	assert_null(country_name(NULL));
	assert_string_equal(country_name("AT"), "Austria");
}

static void
test_names_in_french(void **state)
{
	(void)state;
	i18n_push("fr");
	assert_string_equal(country_name("AT"), "Autriche");
	assert_string_equal(country_name("DE"), "Allemagne");
	assert_string_equal(country_name("TR"), "Turquie");
	i18n_pop();
	assert_string_equal(country_name("AT"), "Austria");
}

/* A name typed in the reader's language or in English, folded, gives the
 * code; a prefix or an unknown name gives none. */
static void
test_code_of_a_name(void **state)
{
	(void)state;
	assert_string_equal(country_code_of("at", 2), "AT");
	assert_string_equal(country_code_of("Austria", 7), "AT");
	assert_null(country_code_of("Autriche", 8));
	i18n_push("fr");
	assert_string_equal(country_code_of("AUTRICHE", 8), "AT");
	assert_string_equal(country_code_of("egypte", 6), "EG");
	assert_string_equal(country_code_of("Austria", 7), "AT");
	i18n_pop();
	assert_null(country_code_of("Austr", 5));
	assert_null(country_code_of("", 0));
	assert_null(country_code_of(NULL, 0));
}

/* The position of the country named name in list, or -1. */
static int
position(json_t *list, const char *name)
{
	for (size_t i = 0; i < json_array_size(list); i++)
		if (strcmp(json_string_value(json_object_get(
				   json_array_get(list, i), "name")),
			   name) == 0)
			return (int)i;
	return -1;
}

static void
test_list_sorted_for_the_reader(void **state)
{
	json_t *list;
	int selected = 0;

	(void)state;
	i18n_push("fr");
	list = countries_model("EG");
	i18n_pop();
	assert_int_equal(json_array_size(list), 249);
	assert_true(position(list, "Danemark") >= 0);
	assert_true(position(list, "Danemark") < position(list, "Égypte"));
	assert_true(position(list, "Égypte") < position(list, "Espagne"));
	assert_true(position(list, "Espagne") < position(list, "Zimbabwe"));
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *c = json_array_get(list, i);

		if (json_is_true(json_object_get(c, "selected"))) {
			selected++;
			assert_string_equal(
				json_string_value(json_object_get(c, "code")),
				"EG");
		}
	}
	assert_int_equal(selected, 1);
	json_decref(list);

	list = countries_model(NULL);
	assert_true(position(list, "Afghanistan") == 0);
	assert_true(position(list, "Zimbabwe") == 248);
	json_decref(list);
}

/* A view model's codes get names beside them; an unknown code is its own
 * name, an empty or missing one gets none. */
static void
test_name_field(void **state)
{
	json_t *rows =
		json_pack("[{s:s},{s:s},{s:s},{s:n},{}]", "country", "AT",
			  "country", "ZZ", "country", "", "country");
	json_t *one = json_pack("{s:s}", "org_country", "DE");

	(void)state;
	i18n_push("fr");
	countries_name_field(rows, "country", "country_name");
	countries_name_field(one, "org_country", "org_country_name");
	countries_name_field(NULL, "country", "country_name");
	i18n_pop();
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(rows, 0), "country_name")),
			    "Autriche");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(rows, 1), "country_name")),
			    "ZZ");
	for (size_t i = 2; i < json_array_size(rows); i++)
		assert_null(json_object_get(json_array_get(rows, i),
					    "country_name"));
	assert_string_equal(
		json_string_value(json_object_get(one, "org_country_name")),
		"Allemagne");
	json_decref(rows);
	json_decref(one);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_match_the_codes),
		cmocka_unit_test(test_names_in_french),
		cmocka_unit_test(test_code_of_a_name),
		cmocka_unit_test(test_list_sorted_for_the_reader),
		cmocka_unit_test(test_name_field),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
