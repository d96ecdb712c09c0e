/*
 * test_escape.c -- unit tests of the per-context writers in escape.c.
 *
 * Each test feeds one kind of input to one writer and checks the exact
 * bytes; the URL tests try the spellings browsers accept for javascript:
 * and data: URLs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"

typedef void (*writer)(struct buf *, const char *, size_t);

/* The writer's output for s[0..n) as a C string owned by the caller. */
static char *
run(writer w, const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	w(&b, s, n);
	return buf_detach(&b, NULL);
}

#define assert_writes(w, in, want)                                   \
	do {                                                         \
		char *got_ = run(w, in, strlen(in));                 \
		assert_string_equal(got_, want);                     \
		free(got_);                                          \
	} while (0)

static void
html_escapes_the_five_specials(void **state)
{
	(void)state;
	assert_writes(esc_html, "<a href=\"x\" title='y'>&</a>",
		      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

static void
html_copies_plain_and_utf8_text_unchanged(void **state)
{
	(void)state;
	assert_writes(esc_html, "Crime prevention, Vienna", "Crime prevention, Vienna");
	assert_writes(esc_html, "Caf\xc3\xa9 \xe2\x80\x94 \xd0\x9c\xd0\xb8\xd1\x80",
		      "Caf\xc3\xa9 \xe2\x80\x94 \xd0\x9c\xd0\xb8\xd1\x80");
}

static void
html_of_empty_input_writes_nothing(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	esc_html(&b, NULL, 0);
	esc_url_component(&b, NULL, 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
html_keeps_embedded_nul_bytes_and_length(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	esc_html(&b, "a\0<", 3);
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "a\0&lt;", 6);
	buf_free(&b);
}

static void
writers_append_to_what_the_buffer_holds(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_puts(&b, "x=");
	esc_html(&b, "<", 1);
	esc_url_component(&b, " ", 1);
	esc_json_string(&b, "", 0);
	assert_string_equal(buf_cstr(&b), "x=&lt;%20\"\"");
	buf_free(&b);
}

static void
html_escapes_a_large_input_completely(void **state)
{
	size_t n = 1 << 20, i;
	char *in = malloc(n);
	struct buf b = BUF_INIT;

	(void)state;
	for (i = 0; i < n; i++)
		in[i] = i % 2 ? '<' : 'a';
	esc_html(&b, in, n);
	assert_int_equal(b.len, n / 2 + n / 2 * 4);
	assert_null(memchr(b.data, '<', b.len));
	free(in);
	buf_free(&b);
}

static void
url_component_keeps_only_unreserved_characters(void **state)
{
	(void)state;
	assert_writes(esc_url_component, "AZaz09-._~", "AZaz09-._~");
	assert_writes(esc_url_component, "a b/c?d=e&f#g:h+i%j\"<'",
		      "a%20b%2Fc%3Fd%3De%26f%23g%3Ah%2Bi%25j%22%3C%27");
}

static void
url_component_encodes_each_utf8_byte(void **state)
{
	(void)state;
	assert_writes(esc_url_component, "caf\xc3\xa9", "caf%C3%A9");
	assert_writes(esc_url_component, "\xff\x01", "%FF%01");
}

static void
url_attr_allows_relative_urls(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, "/members/12", "/members/12");
	assert_writes(esc_url_attr, "page.html", "page.html");
	assert_writes(esc_url_attr, "?q=a:b", "?q=a:b");
	assert_writes(esc_url_attr, "#top", "#top");
	assert_writes(esc_url_attr, "//cdn.example.org/x", "//cdn.example.org/x");
	assert_writes(esc_url_attr, "a/b:c", "a/b:c");
	assert_writes(esc_url_attr, "", "");
}

static void
url_attr_allows_http_https_mailto_tel_in_any_case(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, "http://a.org/", "http://a.org/");
	assert_writes(esc_url_attr, "HTTPS://a.org/", "HTTPS://a.org/");
	assert_writes(esc_url_attr, "mailto:info@a.org", "mailto:info@a.org");
	assert_writes(esc_url_attr, "tel:+43 1 260", "tel:+43 1 260");
}

static void
url_attr_escapes_html_in_an_allowed_url(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, "https://a.org/?a=1&b=\"2\"'<>",
		      "https://a.org/?a=1&amp;b=&quot;2&quot;&#39;&lt;&gt;");
}

static void
url_attr_rejects_javascript(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, "javascript:alert(1)", "#");
	assert_writes(esc_url_attr, "javascript://%0aalert(1)", "#");
}

static void
url_attr_rejects_data_and_vbscript(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, "data:text/html,<script>alert(1)</script>", "#");
	assert_writes(esc_url_attr, "vbscript:msgbox", "#");
	assert_writes(esc_url_attr, "file:///etc/passwd", "#");
}

static void
url_attr_rejects_mixed_case_javascript_after_spaces(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, " JaVaScRiPt:alert(1)", "#");
	assert_writes(esc_url_attr, "\t\n  javascript:alert(1)", "#");
}

static void
url_attr_rejects_javascript_after_control_characters(void **state)
{
	char *got = run(esc_url_attr, "\0javascript:x", 13);

	(void)state;
	assert_string_equal(got, "#");
	free(got);
	assert_writes(esc_url_attr, "\x01\x1f javascript:x", "#");
}

static void
url_attr_rejects_javascript_split_by_tab_or_newline(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, "java\tscript:alert(1)", "#");
	assert_writes(esc_url_attr, "jav\nascr\ript:alert(1)", "#");
	assert_writes(esc_url_attr, "javascript\t:alert(1)", "#");
}

static void
url_attr_rejects_unknown_and_empty_schemes(void **state)
{
	(void)state;
	assert_writes(esc_url_attr, ":alert(1)", "#");
	assert_writes(esc_url_attr, "httpx://a.org", "#");
	assert_writes(esc_url_attr, "a b:c", "#");
	assert_writes(esc_url_attr, "averyveryverylongscheme:x", "#");
}

static void
json_string_escapes_quote_backslash_and_controls(void **state)
{
	(void)state;
	assert_writes(esc_json_string, "a\"b\\c\n\r\t\b\f\x01\x1f",
		      "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001F\"");
}

static void
json_string_escapes_html_specials(void **state)
{
	(void)state;
	assert_writes(esc_json_string, "</script><!--&'",
		      "\"\\u003C/script\\u003E\\u003C!--\\u0026\\u0027\"");
}

static void
json_string_keeps_utf8_and_escapes_line_separators(void **state)
{
	(void)state;
	assert_writes(esc_json_string, "caf\xc3\xa9 \xf0\x9f\x8c\x8d",
		      "\"caf\xc3\xa9 \xf0\x9f\x8c\x8d\"");
	assert_writes(esc_json_string, "a\xe2\x80\xa8" "b\xe2\x80\xa9",
		      "\"a\\u2028b\\u2029\"");
}

static void
json_string_replaces_malformed_utf8(void **state)
{
	(void)state;
	assert_writes(esc_json_string, "a\xff" "b\xc3", "\"a\\ufffdb\\ufffd\"");
	assert_writes(esc_json_string, "\xed\xa0\x80", /* a surrogate */
		      "\"\\ufffd\\ufffd\\ufffd\"");
	assert_writes(esc_json_string, "\xc0\xaf", "\"\\ufffd\\ufffd\"");
}

static void
json_string_output_parses_back_to_the_input(void **state)
{
	const char in[] = "x\0\"\\\x7f<\xe2\x80\xa8\xc3\xa9\n";
	char *got = run(esc_json_string, in, sizeof(in) - 1);
	json_error_t e;
	json_t *j = json_loads(got, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	(void)state;
	assert_non_null(j);
	assert_int_equal(json_string_length(j), sizeof(in) - 1);
	assert_memory_equal(json_string_value(j), in, sizeof(in) - 1);
	json_decref(j);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(html_escapes_the_five_specials),
		cmocka_unit_test(html_copies_plain_and_utf8_text_unchanged),
		cmocka_unit_test(html_of_empty_input_writes_nothing),
		cmocka_unit_test(html_keeps_embedded_nul_bytes_and_length),
		cmocka_unit_test(writers_append_to_what_the_buffer_holds),
		cmocka_unit_test(html_escapes_a_large_input_completely),
		cmocka_unit_test(url_component_keeps_only_unreserved_characters),
		cmocka_unit_test(url_component_encodes_each_utf8_byte),
		cmocka_unit_test(url_attr_allows_relative_urls),
		cmocka_unit_test(url_attr_allows_http_https_mailto_tel_in_any_case),
		cmocka_unit_test(url_attr_escapes_html_in_an_allowed_url),
		cmocka_unit_test(url_attr_rejects_javascript),
		cmocka_unit_test(url_attr_rejects_data_and_vbscript),
		cmocka_unit_test(url_attr_rejects_mixed_case_javascript_after_spaces),
		cmocka_unit_test(url_attr_rejects_javascript_after_control_characters),
		cmocka_unit_test(url_attr_rejects_javascript_split_by_tab_or_newline),
		cmocka_unit_test(url_attr_rejects_unknown_and_empty_schemes),
		cmocka_unit_test(json_string_escapes_quote_backslash_and_controls),
		cmocka_unit_test(json_string_escapes_html_specials),
		cmocka_unit_test(json_string_keeps_utf8_and_escapes_line_separators),
		cmocka_unit_test(json_string_replaces_malformed_utf8),
		cmocka_unit_test(json_string_output_parses_back_to_the_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
