/*
 * test_search.c -- core/search.h on both backends: what a person typed
 * becomes terms of words only (quotes, operators, FTS5 and tsquery
 * syntax, punctuation, very long text and bytes that are not UTF-8 give
 * no error, on either engine), and the same scenarios on SQLite (FTS5)
 * and on PostgreSQL (tsvector, a private cluster of this program's own,
 * scripts/pg-cluster.sh; skipped when Debian's postgresql package is not
 * installed): accents and case ignored, prefixes, names in Arabic and
 * Cyrillic, a title hit ranked first, hits marked in the snippet, the
 * same order and snippets on both,
 * put/remove, the slugs of one kind, and the ids of the organisations'
 * names index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/search.h"
#include "core/testdb.h"
#include "core/util.h"

/* The cluster of this program, started once by the PostgreSQL group. */
static char cluster_dir[64];
static int have_cluster;
static int ndb;

/* One test's database: a SQLite file (dir) or a database of the
 * cluster. */
struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
	int pg;
};

static const char *const hostile[] = {
	"\"",
	"''",
	"' OR 1=1 --",
	"\"; DROP TABLE search_index; --",
	"femi*cide OR",
	"NEAR(a b)",
	"a AND b NOT c",
	"crime:*",
	":*",
	"a:b",
	"&|!()",
	"a & b | !c <-> d",
	"((",
	"-",
	"^title:x",
	"{kind slug}: x",
	"\\",
	"%_%",
	"\xff\xfe\xc3",
	"fem\xc3\x28icide",
	"\xe2\x80\x94 \xc2\xab \xc2\xbb",
	"\xd9\x80",
	"\xcc\x81",
	"crime \xcc\x81 \xc2\xbd \xef\xac\x81",
	"",
	"   ",
};

/* search_terms(text) as a string (static buffer). */
static const char *
terms(const char *text, int want)
{
	static char out[2048];
	struct buf b = BUF_INIT;

	assert_int_equal(search_terms(text, &b), want);
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

static void
terms_are_the_words_only(void **state)
{
	(void)state;
	assert_string_equal(terms("crime prev", 2), "crime prev");
	assert_string_equal(terms("  \"*()  ", 0), "");
	assert_string_equal(terms("a:*&b|!c(d)<->e", 5), "a b c d e");
	assert_string_equal(terms("\"; DROP TABLE x; --", 3), "DROP TABLE x");
	assert_string_equal(terms("l'Asociación-Ñandú", 3),
			    "l Asociación Ñandú");
	/* Arabic with its vowel marks, Cyrillic, a combining accent */
	assert_string_equal(terms("جَمعية، Ассоциация", 2), "جَمعية Ассоциация");
	assert_string_equal(terms("e\xcc\x81tude", 1), "e\xcc\x81tude");
	/* bytes that are not UTF-8 separate words, never reach the SQL */
	assert_string_equal(terms("\xff"
				  "abc\xc3(def\xe2\x82",
				  2),
			    "abc def");
	assert_string_equal(terms("\xff\xfe", 0), "");
}

static void
terms_are_bounded(void **state)
{
	char word[300], many[400] = "";
	struct buf b = BUF_INIT;

	(void)state;
	memset(word, 'a', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	assert_int_equal(search_terms(word, &b), 1);
	assert_int_equal(b.len, SEARCH_MAX_TERM_BYTES);
	buf_reset(&b);
	/* a long word of two-byte letters is cut between letters */
	for (int i = 0; i < 100; i++)
		strcat(many, "é");
	assert_int_equal(search_terms(many, &b), 1);
	assert_true(utf8_valid(buf_cstr(&b), b.len));
	assert_true(b.len <= SEARCH_MAX_TERM_BYTES);
	buf_reset(&b);
	many[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(many, "w ");
	assert_int_equal(search_terms(many, &b), SEARCH_MAX_TERMS);
	buf_free(&b);
}

static void
snippet_parts_mark_hits(void **state)
{
	json_t *p = search_snippet_parts("the \x01"
					 "Femicide\x02 Platform");

	assert_int_equal(json_array_size(p), 3);
	assert_true(json_is_true(json_object_get(json_array_get(p, 1), "hit")));
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(p, 1), "text")),
			    "Femicide");
	assert_true(
		json_is_false(json_object_get(json_array_get(p, 2), "hit")));
	json_decref(p);
}

/* The text of part i of parts. */
static const char *
part_text(json_t *parts, size_t i)
{
	return json_string_value(
		json_object_get(json_array_get(parts, i), "text"));
}

static void
snippet_parts_leave_out_markdown_marks(void **state)
{
	json_t *p = search_snippet_parts(
		"## Our work\nWe **study** `code` and \x01"
		"*femicide*\x02, see "
		"[the platform](https://example.org/x) and C# too");

	(void)state;
	assert_int_equal(json_array_size(p), 3);
	assert_string_equal(part_text(p, 0), "Our work\nWe study code and ");
	assert_string_equal(part_text(p, 1), "femicide");
	assert_string_equal(part_text(p, 2), ", see the platform and C# too");
	json_decref(p);
	/* a part that was all marks is left out */
	p = search_snippet_parts("\x01**\x02 plain");
	assert_int_equal(json_array_size(p), 1);
	assert_string_equal(part_text(p, 0), " plain");
	json_decref(p);
}

/* SQLite: a fresh database with every migration. */
static int
sqlite_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || testdb_open(f->dir, f->path, &f->db) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
cluster_start(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cluster_dir, sizeof(cluster_dir), "/tmp/alliance-pgs-XXXXXX");
	if (mkdtemp(cluster_dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "scripts/pg-cluster.sh start %s > /dev/null",
		 cluster_dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_search: no private PostgreSQL cluster "
				"(scripts/install-deps.sh --test installs "
				"postgresql): its tests are skipped\n");
		rmdir(cluster_dir);
		return 0;
	}
	have_cluster = 1;
	return 0;
}

static int
cluster_stop(void **state)
{
	char cmd[256];

	(void)state;
	if (!have_cluster)
		return 0;
	snprintf(cmd, sizeof(cmd), "scripts/pg-cluster.sh stop %s && rm -rf %s",
		 cluster_dir, cluster_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* PostgreSQL: a new database of the cluster, migrated (every migration
 * that applies: while a module's are SQLite only, the search index of
 * 0003 is there and the names index of 0014 may not be). */
static int
pg_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[512], sql[64];
	struct db *admin;

	if (f == NULL)
		return -1;
	f->pg = 1;
	*state = f;
	if (!have_cluster)
		return 0;
	snprintf(f->path, sizeof(f->path),
		 "postgresql://alliance@/postgres?host=%s", cluster_dir);
	if ((admin = db_open(f->path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	snprintf(sql, sizeof(sql), "CREATE DATABASE s%d", ++ndb);
	if (testdb_run(admin, sql) != 0)
		return -1;
	db_close(admin);
	snprintf(f->path, sizeof(f->path), "postgresql://alliance@/s%d?host=%s",
		 ndb, cluster_dir);
	if ((f->db = db_open(f->path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (db_migrate(f->db, err, sizeof(err)) < 0)
		fprintf(stderr, "test_search: on PostgreSQL %s\n", err);
	return 0;
}

static int
fixture_teardown(void **state)
{
	struct fixture *f = *state;
	int rc = 0;

	if (f->pg)
		db_close(f->db);
	else
		rc = testdb_close(f->dir, f->db);
	free(f);
	return rc;
}

/* The fixture's database; skips the test where there is none. */
static struct db *
fixture_db(void **state)
{
	struct fixture *f = *state;

	if (f->db == NULL)
		skip();
	return f->db;
}

/* Whether the organisations' names index is there (on PostgreSQL it
 * needs every migration before 0014). */
static int
have_names(struct db *db)
{
	struct buf b = BUF_INIT;
	int n = search_keys(db, SEARCH_ORGANISATION_NAMES, "x", &b);

	buf_free(&b);
	return n >= 0;
}

/* The hits of search_run(text) (at most 10); fails on an error. */
static json_t *
hits(struct db *db, const char *text)
{
	json_t *h = search_run(db, text, 10);

	assert_non_null(h);
	return h;
}

/* Whether hits holds kind/slug, and at which place (-1: not there). */
static int
place(json_t *h, const char *kind, const char *slug)
{
	json_t *hit;
	size_t i;

	json_array_foreach(h, i, hit)
		if (strcmp(json_string_value(json_object_get(hit, "kind")),
			   kind) == 0 &&
		    strcmp(json_string_value(json_object_get(hit, "slug")),
			   slug) == 0)
			return (int)i;
	return -1;
}

static int
found(struct db *db, const char *text, const char *kind, const char *slug)
{
	json_t *h = hits(db, text);
	int p = place(h, kind, slug);

	json_decref(h);
	return p;
}

static void
hostile_queries_are_words_never_errors(void **state)
{
	struct db *db = fixture_db(state);
	char long_text[8192];
	int names = have_names(db);

	for (size_t i = 0; i < ARRAY_LEN(hostile); i++) {
		struct buf b = BUF_INIT;

		json_decref(hits(db, hostile[i]));
		if (names)
			assert_true(search_keys(db, SEARCH_ORGANISATION_NAMES,
						hostile[i], &b) >= 0);
		buf_free(&b);
	}
	for (size_t i = 0; i + 1 < sizeof(long_text); i++)
		long_text[i] = "ab:*'\"( &|!)é"[i % 14];
	long_text[sizeof(long_text) - 1] = '\0';
	json_decref(hits(db, long_text));
	/* after all that the index still answers */
	assert_true(found(db, "femicide", "focal_area", "femicide") >= 0);
}

static void
accents_and_case_are_ignored(void **state)
{
	struct db *db = fixture_db(state);

	assert_int_equal(search_put(db, "page", "asociacion",
				    "Asociación Ñandú de Mujeres",
				    "Una asociación de Córdoba."),
			 0);
	assert_true(found(db, "asociacion nandu", "page", "asociacion") >= 0);
	assert_true(found(db, "ASOCIACIÓN", "page", "asociacion") >= 0);
	assert_true(found(db, "cordoba", "page", "asociacion") >= 0);
	assert_true(found(db, "fémicide", "focal_area", "femicide") >= 0);
}

static void
every_term_is_a_prefix_and_all_are_required(void **state)
{
	struct db *db = fixture_db(state);

	assert_int_equal(search_put(db, "page", "p1", "Crime prevention",
				    "Preventing crime in cities."),
			 0);
	assert_true(found(db, "crim", "page", "p1") >= 0);
	assert_true(found(db, "crim prev", "page", "p1") >= 0);
	assert_true(found(db, "prev crim", "page", "p1") >= 0);
	assert_int_equal(found(db, "crim zzzqx", "page", "p1"), -1);
	assert_int_equal(found(db, "rime", "page", "p1"), -1);
}

static void
arabic_and_cyrillic_names_are_found(void **state)
{
	struct db *db = fixture_db(state);

	assert_int_equal(
		search_put(db, "page", "ru", "Ассоциация юристов", "Москва"),
		0);
	assert_int_equal(
		search_put(db, "page", "ar", "جمعية المحامين", "القاهرة"), 0);
	assert_true(found(db, "ассоц", "page", "ru") >= 0);
	assert_true(found(db, "АССОЦИАЦИЯ юрист", "page", "ru") >= 0);
	assert_true(found(db, "москва", "page", "ru") >= 0);
	assert_true(found(db, "جمعية", "page", "ar") >= 0);
	assert_true(found(db, "المحام", "page", "ar") >= 0);
	assert_int_equal(found(db, "جمعية", "page", "ru"), -1);
}

static void
a_title_hit_ranks_before_a_body_hit(void **state)
{
	struct db *db = fixture_db(state);

	assert_int_equal(search_put(db, "page", "body-hit", "Annual report",
				    "Our work on zanzibarite trafficking and "
				    "much else besides, year after year."),
			 0);
	assert_int_equal(search_put(db, "page", "title-hit",
				    "Zanzibarite network", "About us."),
			 0);
	json_t *h = hits(db, "zanzibarite");

	assert_int_equal(json_array_size(h), 2);
	assert_int_equal(place(h, "page", "title-hit"), 0);
	assert_int_equal(place(h, "page", "body-hit"), 1);
	json_decref(h);
}

static void
snippets_mark_the_hits(void **state)
{
	struct db *db = fixture_db(state);
	json_t *h, *parts, *part;
	size_t i;
	int marked = 0;

	assert_int_equal(search_put(db, "page", "s", "Snippets",
				    "Before the words, the Asociación "
				    "quokkaland works here."),
			 0);
	h = hits(db, "quokka asociacion");
	assert_int_equal(json_array_size(h), 1);
	parts = json_object_get(json_array_get(h, 0), "snippet");
	json_array_foreach(parts, i, part) {
		const char *t =
			json_string_value(json_object_get(part, "text"));

		if (json_is_true(json_object_get(part, "hit"))) {
			assert_true(strcmp(t, "quokkaland") == 0 ||
				    strcmp(t, "Asociación") == 0);
			marked++;
		} else {
			assert_null(strstr(t, "quokkaland"));
		}
	}
	assert_int_equal(marked, 2);
	json_decref(h);
}

/* A hit's snippet as text, its hits in [brackets] (static buffer). */
static const char *
snippet_text(json_t *hit)
{
	static char out[512];
	struct buf b = BUF_INIT;
	json_t *part;
	size_t i;

	json_array_foreach(json_object_get(hit, "snippet"), i, part) {
		int h = json_is_true(json_object_get(part, "hit"));

		buf_printf(&b, h ? "[%s]" : "%s",
			   json_string_value(json_object_get(part, "text")));
	}
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* The same order and the same snippets on both engines (each scenario
 * runs on SQLite and on PostgreSQL against these same expectations):
 * titles that hold every term first, then the rest, each by slug; the
 * snippet from three words before the first hit, sixteen words. */
static void
order_and_snippets_are_the_same_on_both_engines(void **state)
{
	struct db *db = fixture_db(state);
	json_t *h;

	assert_int_equal(
		search_put(db, "page", "c-notes", "Field notes",
			   "One two three four five six seven wombats eight "
			   "nine ten eleven twelve thirteen fourteen fifteen "
			   "sixteen seventeen eighteen nineteen twenty."),
		0);
	assert_int_equal(search_put(db, "page", "b-wombat", "Wombat watch",
				    "Counting them at night."),
			 0);
	assert_int_equal(search_put(db, "organisation", "a-friends",
				    "Friends of the Wombat",
				    "We keep the **wombat** safe."),
			 0);
	assert_int_equal(search_put(db, "page", "a-notes", "Other notes",
				    "Nothing to see."),
			 0);
	h = hits(db, "wombat");
	assert_int_equal(json_array_size(h), 3);
	assert_int_equal(place(h, "organisation", "a-friends"), 0);
	assert_int_equal(place(h, "page", "b-wombat"), 1);
	assert_int_equal(place(h, "page", "c-notes"), 2);
	assert_string_equal(snippet_text(json_array_get(h, 0)),
			    "We keep the [wombat] safe.");
	assert_string_equal(snippet_text(json_array_get(h, 1)),
			    "Counting them at night.");
	assert_string_equal(snippet_text(json_array_get(h, 2)),
			    "…five six seven [wombats] eight nine ten eleven "
			    "twelve thirteen fourteen fifteen sixteen "
			    "seventeen eighteen nineteen…");
	json_decref(h);
	/* two terms: a title holding both comes first */
	h = hits(db, "notes wombat");
	assert_int_equal(json_array_size(h), 1);
	assert_int_equal(place(h, "page", "c-notes"), 0);
	json_decref(h);
	h = hits(db, "note");
	assert_int_equal(json_array_size(h), 2);
	assert_int_equal(place(h, "page", "a-notes"), 0);
	assert_int_equal(place(h, "page", "c-notes"), 1);
	json_decref(h);
	/* a link's address is not text a reader sees: never in a snippet,
	 * even where a term is in it */
	assert_int_equal(search_put(db, "page", "d-links", "Links",
				    "Read [how to join the wombats](/join-us) "
				    "today."),
			 0);
	h = hits(db, "join wombats");
	assert_int_equal(json_array_size(h), 1);
	assert_string_equal(snippet_text(json_array_get(h, 0)),
			    "Read how to [join] the [wombats] today.");
	json_decref(h);
}

static void
put_replaces_and_remove_removes(void **state)
{
	struct db *db = fixture_db(state);

	assert_int_equal(search_put(db, "page", "pr", "Wombatology", "x"), 0);
	assert_int_equal(search_put(db, "page", "pr", "Numbatology", "x"), 0);
	assert_int_equal(found(db, "wombat", "page", "pr"), -1);
	assert_true(found(db, "numbat", "page", "pr") >= 0);
	assert_int_equal(search_remove(db, "page", "pr"), 0);
	assert_int_equal(found(db, "numbat", "page", "pr"), -1);
}

/* The slugs search_slugs gives for books matching text (static
 * buffer). */
static const char *
book_slugs(struct db *db, const char *text)
{
	static char out[256];
	struct buf b = BUF_INIT;

	assert_true(search_slugs(db, "book", text, &b) >= 0);
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

static void
slugs_of_one_kind_come_best_first(void **state)
{
	struct db *db = fixture_db(state);

	assert_int_equal(search_put(db, "book", "b-body", "Annual tables",
				    "On the numbat and others."),
			 0);
	assert_int_equal(search_put(db, "book", "z-title", "Numbat studies",
				    "Marsupials."),
			 0);
	assert_int_equal(search_put(db, "page", "numbat", "Numbat page", "x"),
			 0);
	assert_string_equal(book_slugs(db, "numb"), "[\"z-title\",\"b-body\"]");
	assert_string_equal(book_slugs(db, "marsupial numbat"),
			    "[\"z-title\"]");
	assert_string_equal(book_slugs(db, "zzzqx"), "[]");
	for (size_t i = 0; i < ARRAY_LEN(hostile); i++)
		(void)book_slugs(db, hostile[i]);
}

/* The ids search_keys gives for text, as a string (static buffer). */
static const char *
keys(struct db *db, const char *text)
{
	static char out[256];
	struct buf b = BUF_INIT;

	assert_true(search_keys(db, SEARCH_ORGANISATION_NAMES, text, &b) >= 0);
	snprintf(out, sizeof(out), "%s", buf_cstr(&b));
	buf_free(&b);
	return out;
}

static void
names_index_gives_the_matching_ids(void **state)
{
	struct db *db = fixture_db(state);

	if (!have_names(db))
		skip();
	assert_int_equal(
		testdb_run(
			db,
			"INSERT INTO organisations"
			" (id, slug, name, name_key, acronym, created_at)"
			" VALUES (901, 'a', 'Asociación Civil', 'x', 'ACV', 0),"
			" (902, 'b', 'Ассоциация юристов', 'y', '', 0),"
			" (903, 'c', 'Civil Rights Watch', 'z', 'CRW', 0)"),
		0);
	assert_string_equal(keys(db, "civil"), "[901,903]");
	assert_string_equal(keys(db, "asociacion civ"), "[901]");
	assert_string_equal(keys(db, "crw"), "[903]");
	assert_string_equal(keys(db, "ассоц"), "[902]");
	assert_string_equal(keys(db, "zzzqx"), "[]");
	assert_string_equal(keys(db, "\"*"), "[]");
	/* renamed: the index follows */
	assert_int_equal(testdb_run(db, "UPDATE organisations SET name ="
					" 'Quokka Trust' WHERE id = 903"),
			 0);
	assert_string_equal(keys(db, "civil"), "[901]");
	assert_string_equal(keys(db, "quok"), "[903]");
}

#define ON_SQLITE(name)                                                        \
	cmocka_unit_test_setup_teardown(name, sqlite_setup, fixture_teardown)
#define ON_PG(name)                                                            \
	cmocka_unit_test_setup_teardown(name, pg_setup, fixture_teardown)
/* The scenarios, each run on one backend by on(name). */
#define SCENARIOS(on)                                                          \
	on(hostile_queries_are_words_never_errors),                            \
		on(accents_and_case_are_ignored),                              \
		on(every_term_is_a_prefix_and_all_are_required),               \
		on(arabic_and_cyrillic_names_are_found),                       \
		on(a_title_hit_ranks_before_a_body_hit),                       \
		on(snippets_mark_the_hits),                                    \
		on(order_and_snippets_are_the_same_on_both_engines),           \
		on(put_replaces_and_remove_removes),                           \
		on(slugs_of_one_kind_come_best_first),                         \
		on(names_index_gives_the_matching_ids)

int
main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(terms_are_the_words_only),
		cmocka_unit_test(terms_are_bounded),
		cmocka_unit_test(snippet_parts_mark_hits),
		cmocka_unit_test(snippet_parts_leave_out_markdown_marks),
	};
	const struct CMUnitTest sqlite[] = {SCENARIOS(ON_SQLITE)};
	const struct CMUnitTest pg[] = {SCENARIOS(ON_PG)};
	int rc;

	db_register(&search_sql);
	search_init();
	rc = cmocka_run_group_tests_name("search terms", pure, NULL, NULL);
	rc |= cmocka_run_group_tests_name("search on sqlite", sqlite, NULL,
					  NULL);
	return rc | cmocka_run_group_tests_name("search on PostgreSQL", pg,
						cluster_start, cluster_stop);
}
