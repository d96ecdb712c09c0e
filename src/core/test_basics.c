/*
 * test_basics.c -- the small pieces everything stands on: struct buf, the
 * UTF-8 check, the request arena, configuration parsing (file, values,
 * errors) and Markdown rendered safe.
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

#include "core/arena.h"
#include "core/config.h"
#include "core/render.h"
#include "core/util.h"

static void
buf_grows_and_stays_terminated(void **state)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *s;

	assert_string_equal(buf_cstr(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	s = buf_detach(&b, &len);
	assert_int_equal(len, 2000);
	assert_null(b.data);
	free(s);
}

static void
buf_reserved_but_empty_is_the_empty_string(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	buf_grow(&b, 100); /* room made, nothing written */
	assert_string_equal(buf_cstr(&b), "");
	s = buf_detach(&b, NULL);
	assert_string_equal(s, "");
	free(s);
}

static void
utf8_accepts_valid_text(void **state)
{
	const char *ok = "Genève, Wien, Москва, 東京, 🌍";

	assert_true(utf8_valid(ok, strlen(ok)));
	assert_true(utf8_valid("", 0));
}

static void
utf8_rejects_malformed_sequences(void **state)
{
	assert_false(utf8_valid("\xc3", 1));              /* truncated */
	assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong '/' */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));      /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));  /* > U+10FFFF */
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("a\x80", 2));             /* lone continuation */
}

static void
utf8_repair_replaces_each_bad_byte(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_put_utf8(&b, "ab\xff\xfe", 4);
	assert_string_equal(buf_cstr(&b), "ab\xef\xbf\xbd\xef\xbf\xbd");
	buf_reset(&b);
	buf_put_utf8(&b, "\xc3\xa9t\xc3", 4); /* a cut-short é at the end */
	assert_string_equal(buf_cstr(&b), "\xc3\xa9t\xef\xbf\xbd");
	buf_reset(&b);
	buf_put_utf8(&b, "plain", 5);
	assert_string_equal(buf_cstr(&b), "plain");
	buf_free(&b);
}

static void
utf8_cut_never_splits_a_character(void **state)
{
	(void)state;
	assert_int_equal(utf8_cut("abc", 3, 200), 3);
	assert_int_equal(utf8_cut("ab\xc3\xa9", 4, 3), 2); /* é would split */
	assert_int_equal(utf8_cut("ab\xc3\xa9", 4, 4), 4);
	assert_int_equal(utf8_cut("a\xe2\x82\xacz", 5, 3), 1); /* € */
	assert_int_equal(utf8_cut("a\xffz", 3, 2), 2); /* a stray byte is one */
}

static void
json_string_lossy_never_gives_null(void **state)
{
	json_t *v = json_string_lossy("R\xff", 2);
	json_t *n = json_string_lossy(NULL, 0);

	(void)state;
	assert_non_null(v);
	assert_string_equal(json_string_value(v), "R\xef\xbf\xbd");
	assert_true(json_is_null(n));
	json_decref(v);
	json_decref(n);
}

static void
arena_allocations_are_aligned_and_zeroed(void **state)
{
	struct arena *a = arena_new();

	for (int i = 1; i < 200; i++) {
		unsigned char *p = arena_alloc(a, (size_t)i * 37);

		assert_int_equal((uintptr_t)p % 16, 0);
		for (int k = 0; k < i * 37; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, (size_t)i * 37);
	}
	assert_string_equal(arena_printf(a, "%s-%d", "x", 42), "x-42");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
}

static void
arena_big_allocation_keeps_small_block_usable(void **state)
{
	struct arena *a = arena_new();
	char *small = arena_strdup(a, "small");
	char *big = arena_alloc(a, 100000);
	char *after = arena_strdup(a, "after");

	memset(big, 'x', 100000);
	assert_string_equal(small, "small");
	assert_string_equal(after, "after");
	arena_free(a);
}

static void
config_defaults_are_sane(void **state)
{
	struct config c;

	config_defaults(&c);
	assert_string_equal(c.listen_host, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_string_equal(c.data_dir, "data");
	/* one worker per processor, at least two */
	{
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		assert_int_equal(c.workers, n < 2 ? 2 : n > 64 ? 64 : n);
	}
}

static void
config_listen_parses_host_and_port(void **state)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	assert_int_equal(config_set(&c, "listen", "0.0.0.0:9090", err,
				    sizeof(err)),
			 0);
	assert_string_equal(c.listen_host, "0.0.0.0");
	assert_int_equal(c.port, 9090);
}

static void
config_rejects_bad_values_with_a_message(void **state)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	assert_int_equal(config_set(&c, "listen", "8080", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "listen must look like"));
	assert_int_equal(config_set(&c, "listen", "h:70000", err, sizeof(err)),
			 -1);
	assert_int_equal(config_set(&c, "workers", "0", err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "workers", "four", err, sizeof(err)),
			 -1);
	assert_int_equal(config_set(&c, "nonsense", "1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown setting"));
	assert_int_equal(config_set(&c, "behind_tls", "maybe", err, sizeof(err)),
			 -1);
	assert_int_equal(c.port, 8080); /* nothing changed */
}

static void
config_sizes_take_k_and_m_suffixes(void **state)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	assert_int_equal(config_set(&c, "max_body", "2M", err, sizeof(err)), 0);
	assert_int_equal(c.max_body, 2 * 1024 * 1024);
	assert_int_equal(config_set(&c, "max_header", "16k", err, sizeof(err)),
			 0);
	assert_int_equal(c.max_header, 16 * 1024);
}

static void
config_file_reports_line_of_error(void **state)
{
	char path[] = "/tmp/alliance-conf-XXXXXX", err[512];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct config c;

	fprintf(f, "# settings\nlisten = 127.0.0.1:9999\n\nworkers = 8\n"
		   "data=/srv/alliance\nworkers = lots\n");
	fclose(f);
	config_defaults(&c);
	assert_int_equal(config_read_file(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":6: workers must be"));
	assert_int_equal(c.port, 9999);
	assert_int_equal(c.workers, 8);
	assert_string_equal(c.data_dir, "/srv/alliance");
	unlink(path);
}

static void
config_env_overrides(void **state)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	setenv("ALLIANCE_WORKERS", "3", 1);
	assert_int_equal(config_read_env(&c, err, sizeof(err)), 0);
	assert_int_equal(c.workers, 3);
	setenv("ALLIANCE_WORKERS", "x", 1);
	assert_int_equal(config_read_env(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ALLIANCE_WORKERS"));
	unsetenv("ALLIANCE_WORKERS");
}

/* A module's setting, declared as struct module's settings are. */
static char test_days[16];

static int
check_no_zero(const char *value, char *err, size_t errlen)
{
	if (strcmp(value, "0") != 0)
		return 0;
	snprintf(err, errlen, "test_days must not be 0");
	return -1;
}

static void
config_declared_settings_read_like_the_core_s(void **state)
{
	static const struct config_setting list[] = {
		{.key = "test_days",
		 .kind = CONFIG_STR,
		 .size = sizeof(test_days),
		 .help = "a test",
		 .storage = test_days,
		 .def = "30,7",
		 .check = check_no_zero},
		{.key = NULL},
	};
	static const struct config_setting twice[] = {
		{.key = "workers", .kind = CONFIG_UINT, .storage = test_days},
		{.key = NULL},
	};
	struct config c;
	char err[256];

	assert_int_equal(config_declare(list, err, sizeof(err)), 0);
	assert_string_equal(test_days, "30,7"); /* the default */
	assert_ptr_equal(config_declared(0), &list[0]);
	assert_null(config_declared(1));
	config_defaults(&c);
	assert_int_equal(config_set(&c, "test_days", "14", err, sizeof(err)),
			 0);
	assert_string_equal(test_days, "14");
	assert_int_equal(config_set(&c, "test_days", "0", err, sizeof(err)),
			 -1);
	assert_string_equal(err, "test_days must not be 0");
	assert_string_equal(test_days, "14"); /* nothing changed */
	setenv("ALLIANCE_TEST_DAYS", "9", 1);
	assert_int_equal(config_read_env(&c, err, sizeof(err)), 0);
	assert_string_equal(test_days, "9");
	setenv("ALLIANCE_TEST_DAYS", "0", 1);
	assert_int_equal(config_read_env(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ALLIANCE_TEST_DAYS: test_days must not"));
	unsetenv("ALLIANCE_TEST_DAYS");
	config_defaults(&c);
	assert_string_equal(test_days, "30,7");
	/* a key the core or another module has */
	assert_int_equal(config_declare(twice, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'workers' is declared twice"));
	assert_int_equal(config_declare(list, err, sizeof(err)), -1);
}

static void
markdown_renders_tables_and_emphasis(void **state)
{
	json_t *h = render_markdown("*Rule of law*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
	const char *s = json_string_value(h);

	assert_non_null(strstr(s, "<em>Rule of law</em>"));
	assert_non_null(strstr(s, "<table>"));
	json_decref(h);
}

static void
markdown_drops_raw_html_and_script_links(void **state)
{
	json_t *h = render_markdown(
		"<script>alert(1)</script>\n\n<b onclick=x>b</b> "
		"[x](javascript:alert(1)) [y](data:text/html,hi) "
		"![i](javascript:alert(2))");
	const char *s = json_string_value(h);

	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "onclick"));
	assert_null(strstr(s, "javascript:"));
	assert_null(strstr(s, "data:text/html"));
	json_decref(h);
}

static void
markdown_of_nothing_is_empty(void **state)
{
	json_t *h = render_markdown(NULL);

	assert_string_equal(json_string_value(h), "");
	json_decref(h);
}

/* A day as people read it: the month's name, not its number; what is
 * not a day is given back as it is. */
static void
day_text_names_the_month(void **state)
{
	char out[32];

	(void)state;
	render_day_text("2027-01-31", out, sizeof out);
	assert_string_equal(out, "31 Jan 2027");
	render_day_text("2026-12-04", out, sizeof out);
	assert_string_equal(out, "04 Dec 2026");
	render_day_text("2015", out, sizeof out);
	assert_string_equal(out, "2015");
	render_day_text("2027-13-01", out, sizeof out);
	assert_string_equal(out, "2027-13-01");
	render_day_text("2027-01-31x", out, sizeof out);
	assert_string_equal(out, "2027-01-31x");
	render_day_text(NULL, out, sizeof out);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_stays_terminated),
		cmocka_unit_test(buf_reserved_but_empty_is_the_empty_string),
		cmocka_unit_test(utf8_accepts_valid_text),
		cmocka_unit_test(utf8_rejects_malformed_sequences),
		cmocka_unit_test(utf8_repair_replaces_each_bad_byte),
		cmocka_unit_test(utf8_cut_never_splits_a_character),
		cmocka_unit_test(json_string_lossy_never_gives_null),
		cmocka_unit_test(arena_allocations_are_aligned_and_zeroed),
		cmocka_unit_test(arena_big_allocation_keeps_small_block_usable),
		cmocka_unit_test(config_defaults_are_sane),
		cmocka_unit_test(config_listen_parses_host_and_port),
		cmocka_unit_test(config_rejects_bad_values_with_a_message),
		cmocka_unit_test(config_sizes_take_k_and_m_suffixes),
		cmocka_unit_test(config_file_reports_line_of_error),
		cmocka_unit_test(config_env_overrides),
		cmocka_unit_test(config_declared_settings_read_like_the_core_s),
		cmocka_unit_test(markdown_renders_tables_and_emphasis),
		cmocka_unit_test(day_text_names_the_month),
		cmocka_unit_test(markdown_drops_raw_html_and_script_links),
		cmocka_unit_test(markdown_of_nothing_is_empty),
	};

	return cmocka_run_group_tests_name("basics", tests, NULL, NULL);
}
