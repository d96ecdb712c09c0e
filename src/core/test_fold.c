/*
 * test_fold.c -- folding for name search: case, accents, compatibility
 * forms and spaces; invalid input folds to nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"

static void
check(const char *in, const char *want)
{
	char *got = fold_text(in, strlen(in));

	assert_string_equal(got, want);
	free(got);
}

static void
case_and_accents_fold_away(void **state)
{
	check("Genève", "geneve");
	check("GENÈVE", "geneve");
	check("Asociación Pro Derechos Humanos", "asociacion pro derechos humanos");
	check("Ærø Straße", "ærø strasse");
	check("Łódź", "łodz");
}

static void
compatibility_forms_fold(void **state)
{
	check("ﬁnance", "finance");   /* ligature */
	check("ＵＮＯＤＣ", "unodc");  /* full-width */
}

static void
spaces_are_collapsed_and_trimmed(void **state)
{
	check("  Vienna \t  NGO  Committee ", "vienna ngo committee");
	check("", "");
	check("   ", "");
}

static void
non_latin_scripts_keep_their_letters(void **state)
{
	check("Москва", "москва");
	check("東京", "東京");
}

static void
invalid_utf8_folds_to_nothing(void **state)
{
	check("abc\xff", "");
	check("\xc3", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case_and_accents_fold_away),
		cmocka_unit_test(compatibility_forms_fold),
		cmocka_unit_test(spaces_are_collapsed_and_trimmed),
		cmocka_unit_test(non_latin_scripts_keep_their_letters),
		cmocka_unit_test(invalid_utf8_folds_to_nothing),
	};

	return cmocka_run_group_tests_name("fold", tests, NULL, NULL);
}
