/*
 * test_countries.c -- the profile's country names: a name for exactly the
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

#include "accounts/accounts_int.h"
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
				assert_non_null(accounts_country_name(code));
				n++;
			} else {
				assert_null(accounts_country_name(code));
			}
		}
	}
	assert_int_equal(n, 249);
	assert_null(accounts_country_name("A"));
	assert_null(accounts_country_name("AUT"));
	assert_null(accounts_country_name(NULL));
	assert_string_equal(accounts_country_name("AT"), "Austria");
}

static void
test_names_in_french(void **state)
{
	(void)state;
	i18n_push("fr");
	assert_string_equal(accounts_country_name("AT"), "Autriche");
	assert_string_equal(accounts_country_name("DE"), "Allemagne");
	assert_string_equal(accounts_country_name("TR"), "Turquie");
	i18n_pop();
	assert_string_equal(accounts_country_name("AT"), "Austria");
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
	list = accounts_countries_model("EG");
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

	list = accounts_countries_model(NULL);
	assert_true(position(list, "Afghanistan") == 0);
	assert_true(position(list, "Zimbabwe") == 248);
	json_decref(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_match_the_codes),
		cmocka_unit_test(test_names_in_french),
		cmocka_unit_test(test_list_sorted_for_the_reader),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
