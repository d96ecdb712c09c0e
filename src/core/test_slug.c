/*
 * test_slug.c -- slugs from names in several scripts, and the first free
 * one among base, base-2 ... past reserved words and taken slugs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/slug.h"
#include "core/testdb.h"

static void
check(const char *text, const char *fallback, const char *want)
{
	char out[SLUG_MAX];

	memset(out, 'x', sizeof out);
	slug_make(text, fallback, out);
	assert_string_equal(out, want);
}

static void
names_become_words_of_an_address(void **state)
{
	check("Penal Reform Watch", "organisation", "penal-reform-watch");
	check("  --a.b  ", "organisation", "a-b");
	check("Réseau Pénal d'Afrique (RPA)", "x", "reseau-penal-d-afrique-rpa");
	check("ＵＮＯＤＣ 2027", "x", "unodc-2027");
	check("Working party on femicide: 2027/28", "x",
	      "working-party-on-femicide-2027-28");
}

static void
nothing_left_gives_the_fallback(void **state)
{
	check("\xd0\xbc\xd0\xb8\xd1\x80", "organisation", "organisation");
	check("العدالة الجنائية", "area", "area");
	check("", "article", "article");
	check(NULL, "meeting", "meeting");
	check("\xff\xfe", "meeting", "meeting"); /* not UTF-8 */
	check("---", "area", "area");
}

static void
long_names_stop_at_the_base_length_without_a_dash(void **state)
{
	char name[200], out[SLUG_MAX];

	/* "abcdefghi " repeated: a word boundary falls on byte 60 */
	for (size_t i = 0; i < 19; i++)
		memcpy(name + i * 10, "abcdefghi ", 10);
	name[190] = '\0';
	slug_make(name, "x", out);
	assert_int_equal(strlen(out), SLUG_BASE - 1);
	assert_true(out[strlen(out) - 1] != '-');
	memset(name, 'a', 150);
	name[150] = '\0';
	slug_make(name, "x", out);
	assert_int_equal(strlen(out), SLUG_BASE);
}

/* taken(): the slugs listed in ctx (NULL-terminated); "fail" fails. */
static int
in_list(void *ctx, const char *slug)
{
	const char *const *taken = ctx;

	if (strcmp(slug, "fail") == 0)
		return -1;
	for (size_t i = 0; taken[i]; i++)
		if (strcmp(taken[i], slug) == 0)
			return 1;
	return 0;
}

static void
the_first_free_candidate_is_chosen(void **state)
{
	const char *none[] = {NULL};
	const char *some[] = {"vienna", "vienna-2", "vienna-4", NULL};
	const char *reserved[] = {"new", "propose", NULL};
	char out[SLUG_MAX];

	assert_int_equal(slug_free("vienna", NULL, in_list, none, out), 0);
	assert_string_equal(out, "vienna");
	assert_int_equal(slug_free("vienna", NULL, in_list, some, out), 0);
	assert_string_equal(out, "vienna-3");
	assert_int_equal(slug_free("new", reserved, in_list, none, out), 0);
	assert_string_equal(out, "new-2");
	assert_int_equal(slug_free("propose", reserved, in_list, some, out),
			 0);
	assert_string_equal(out, "propose-2");
}

static void
a_failing_check_or_no_free_slug_is_an_error(void **state)
{
	static const char *all[SLUG_TRIES + 1];
	static char names[SLUG_TRIES][16];
	const char *none[] = {NULL};
	char out[SLUG_MAX];

	assert_int_equal(slug_free("fail", NULL, in_list, none, out), -1);
	for (int i = 0; i < SLUG_TRIES; i++) {
		if (i == 0)
			snprintf(names[i], sizeof names[i], "x");
		else
			snprintf(names[i], sizeof names[i], "x-%d", i + 1);
		all[i] = names[i];
	}
	assert_int_equal(slug_free("x", NULL, in_list, all, out), -1);
}

static void
a_long_base_keeps_its_number(void **state)
{
	char base[SLUG_MAX], out[SLUG_MAX];
	const char *taken[] = {base, NULL};

	memset(base, 'b', SLUG_MAX - 1);
	base[SLUG_MAX - 1] = '\0';
	assert_int_equal(slug_free(base, NULL, in_list, taken, out), 0);
	assert_true(strlen(out) < SLUG_MAX);
	assert_string_equal(out + strlen(out) - 2, "-2");
}

/* slug_free_db and slug_new on a real database: taken slugs, a scope,
 * reserved words and the arena copy. */
static const char *const things_text[] = {
	"SELECT 1 FROM things WHERE slug = ?",
	"SELECT 1 FROM things WHERE slug = ? AND scope = ?",
};
static struct db_sql things_sql = {"test-things", things_text, 2, 0};

static void
slugs_are_free_in_the_database(void **state)
{
	struct testdb *t = *state;
	static const char *const reserved[] = {"new", NULL};
	struct arena *a = arena_new();
	char out[SLUG_MAX];

	db_register(&things_sql);
	assert_int_equal(testdb_run(t->db, "CREATE TABLE things (slug TEXT,"
					   " scope INTEGER)"),
			 0);
	assert_int_equal(testdb_run(t->db, "INSERT INTO things VALUES"
					   " ('vienna', 1), ('vienna-2', 1),"
					   " ('geneva', 2)"),
			 0);
	assert_int_equal(slug_free_db(t->db, &things_sql, 0, 0, "vienna", NULL,
				      out),
			 0);
	assert_string_equal(out, "vienna-3");
	assert_int_equal(slug_free_db(t->db, &things_sql, 1, 2, "vienna", NULL,
				      out),
			 0);
	assert_string_equal(out, "vienna");
	assert_int_equal(slug_free_db(t->db, &things_sql, 1, 2, "geneva", NULL,
				      out),
			 0);
	assert_string_equal(out, "geneva-2");
	assert_string_equal(slug_new(t->db, a, &things_sql, 0, 0,
				     "Vienna", "x", NULL),
			    "vienna-3");
	assert_string_equal(slug_new(t->db, a, &things_sql, 0, 0, "New!", "x",
				     reserved),
			    "new-2");
	assert_string_equal(slug_new(t->db, a, &things_sql, 0, 0, "Мир", "area",
				     reserved),
			    "area");
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_become_words_of_an_address),
		cmocka_unit_test(nothing_left_gives_the_fallback),
		cmocka_unit_test(long_names_stop_at_the_base_length_without_a_dash),
		cmocka_unit_test(the_first_free_candidate_is_chosen),
		cmocka_unit_test(a_failing_check_or_no_free_slug_is_an_error),
		cmocka_unit_test(a_long_base_keeps_its_number),
		cmocka_unit_test_setup_teardown(slugs_are_free_in_the_database,
						testdb_setup, testdb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
