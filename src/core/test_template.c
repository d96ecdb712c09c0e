/*
 * test_template.c -- unit tests of the template engine (template.c).
 *
 * Most tests compile one template named "t", render it against a JSON
 * context written inline, and compare the exact output; the compile-error
 * tests check the "name:line:col: sentence" message.  Together they walk
 * every escaping context, every kind of tag, partials and their limits,
 * and malformed and oversized input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"

/* Renders src against the JSON text json; the output is the caller's. */
static char *
render(const char *src, const char *json)
{
	struct tmpl_set *set = tmpl_set_new();
	json_t *ctx = json_loads(json, JSON_DECODE_ANY, NULL);
	struct buf out = BUF_INIT;
	char err[256];

	assert_non_null(ctx);
	if (tmpl_set_add(set, "t", src, strlen(src), err, sizeof(err)) != 0)
		fail_msg("unexpected compile error: %s", err);
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	json_decref(ctx);
	tmpl_set_free(set);
	return buf_detach(&out, NULL);
}

/* The compile error of src, in a static buffer. */
static const char *
compile_error(const char *src)
{
	static char err[512];
	struct tmpl_set *set = tmpl_set_new();

	strcpy(err, "(none)");
	assert_int_equal(tmpl_set_add(set, "t", src, strlen(src), err,
				      sizeof(err)),
			 -1);
	assert_false(tmpl_exists(set, "t"));
	tmpl_set_free(set);
	return err;
}

#define assert_renders(src, json, want)                               \
	do {                                                          \
		char *got_ = render(src, json);                       \
		assert_string_equal(got_, want);                      \
		free(got_);                                           \
	} while (0)

/* The error must start with the position and contain the sentence. */
#define assert_compile_error(src, pos, sentence)                              \
	do {                                                                  \
		const char *e_ = compile_error(src);                          \
		if (strncmp(e_, pos, strlen(pos)) != 0 ||                     \
		    strstr(e_, sentence) == NULL)                             \
			fail_msg("error \"%s\" lacks \"%s\" or \"%s\"", e_,   \
				 pos, sentence);                              \
	} while (0)

static void
add_ok(struct tmpl_set *set, const char *name, const char *src)
{
	char err[256];

	if (tmpl_set_add(set, name, src, strlen(src), err, sizeof(err)) != 0)
		fail_msg("unexpected compile error: %s", err);
}

/* ---- values and escaping ---- */

static void
value_in_text_is_html_escaped(void **state)
{
	(void)state;
	assert_renders("<p>{{name}}</p>", "{\"name\": \"<b>O'Neil & \\\"Co\\\"</b>\"}",
		       "<p>&lt;b&gt;O&#39;Neil &amp; &quot;Co&quot;&lt;/b&gt;</p>");
}

static void
value_in_quoted_attribute_is_html_escaped(void **state)
{
	(void)state;
	assert_renders("<input value=\"{{v}}\" title='{{v}}'>",
		       "{\"v\": \"a\\\" onclick='x' <\"}",
		       "<input value=\"a&quot; onclick=&#39;x&#39; &lt;\" "
		       "title='a&quot; onclick=&#39;x&#39; &lt;'>");
}

static void
whitespace_inside_tags_is_ignored(void **state)
{
	(void)state;
	assert_renders("{{ a }}{{# l }}{{ . }}{{/ l }}{{^ n }}-{{/n}}",
		       "{\"a\": 1, \"l\": [2, 3]}", "123-");
}

static void
url_at_start_of_href_keeps_an_allowed_url(void **state)
{
	(void)state;
	assert_renders("<a href=\"{{u}}\">x</a>",
		       "{\"u\": \"https://unodc.org/?a=1&b=2\"}",
		       "<a href=\"https://unodc.org/?a=1&amp;b=2\">x</a>");
}

static void
javascript_url_in_href_becomes_hash(void **state)
{
	(void)state;
	assert_renders("<a href=\"{{u}}\">x</a>", "{\"u\": \"javascript:alert(1)\"}",
		       "<a href=\"#\">x</a>");
}

static void
data_url_in_src_becomes_hash(void **state)
{
	(void)state;
	assert_renders("<img src='{{u}}' alt=\"\">",
		       "{\"u\": \"data:image/svg+xml,<svg onload=alert(1)>\"}",
		       "<img src='#' alt=\"\">");
}

static void
mixed_case_javascript_after_space_becomes_hash(void **state)
{
	(void)state;
	assert_renders("<a href=\"{{u}}\">x</a>", "{\"u\": \" JaVaScRiPt:alert(1)\"}",
		       "<a href=\"#\">x</a>");
}

static void
every_url_attribute_checks_the_scheme(void **state)
{
	(void)state;
	assert_renders("<form action=\"{{u}}\"><button formaction=\"{{u}}\">"
		       "</button></form><video poster=\"{{u}}\"></video>"
		       "<q cite=\"{{u}}\"></q><iframe src=\"{{u}}\"></iframe>"
		       "<object data=\"{{u}}\"></object>",
		       "{\"u\": \"javascript:x\"}",
		       "<form action=\"#\"><button formaction=\"#\"></button>"
		       "</form><video poster=\"#\"></video><q cite=\"#\"></q>"
		       "<iframe src=\"#\"></iframe><object data=\"#\"></object>");
}

static void
url_attribute_names_are_case_insensitive(void **state)
{
	(void)state;
	assert_renders("<a HREF=\"{{u}}\">x</a>", "{\"u\": \"javascript:x\"}",
		       "<a HREF=\"#\">x</a>");
}

static void
value_later_in_url_is_percent_encoded(void **state)
{
	(void)state;
	assert_renders("<a href=\"/members/{{id}}?q={{q}}#{{f}}\">x</a>",
		       "{\"id\": \"a b/../c\", \"q\": \"x&y=\\\"z\\\"\", "
		       "\"f\": \"javascript:x\"}",
		       "<a href=\"/members/a%20b%2F..%2Fc?q=x%26y%3D%22z%22#"
		       "javascript%3Ax\">x</a>");
}

static void
mailto_prefix_makes_value_a_url_component(void **state)
{
	(void)state;
	assert_renders("<a href=\"mailto:{{e}}\">x</a>",
		       "{\"e\": \"a@b.org?cc=c@d.org\"}",
		       "<a href=\"mailto:a%40b.org%3Fcc%3Dc%40d.org\">x</a>");
}

static void
value_after_leading_space_in_href_counts_as_start(void **state)
{
	(void)state;
	assert_renders("<a href=\" {{u}}\">x</a>",
		       "{\"u\": \"javascript:x\"}", "<a href=\" #\">x</a>");
	assert_renders("<a href=\" {{u}}\">x</a>",
		       "{\"u\": \"http://a.org/\"}",
		       "<a href=\" http://a.org/\">x</a>");
}

static void
value_after_url_value_is_a_component(void **state)
{
	(void)state;
	assert_renders("<a href=\"{{a}}{{b}}/x\">x</a>",
		       "{\"a\": \"javascript\", \"b\": \":alert(1)\"}",
		       "<a href=\"javascript%3Aalert%281%29/x\">x</a>");
}

static void
url_value_repeated_by_a_loop_stays_safe(void **state)
{
	(void)state;
	assert_renders("<a href=\"{{#l}}{{.}}{{/l}}\">x</a>",
		       "{\"l\": [\"javascript\", \":alert(1)\"]}",
		       "<a href=\"javascript#\">x</a>");
}

static void
url_value_chosen_by_sections_compiles(void **state)
{
	(void)state;
	assert_renders("<a href=\"{{#u}}{{u}}{{/u}}{{^u}}#none{{/u}}\">x</a>",
		       "{}", "<a href=\"#none\">x</a>");
	assert_renders("<a href=\"/p?x=1{{#y}}&y={{y}}{{/y}}\">x</a>",
		       "{\"y\": \"a b\"}", "<a href=\"/p?x=1&y=a%20b\">x</a>");
}

static void
raw_inserts_unescaped_in_text(void **state)
{
	(void)state;
	assert_renders("<div>{{raw html}}</div>", "{\"html\": \"<em>ok</em>\"}",
		       "<div><em>ok</em></div>");
}

static void
value_in_title_and_textarea_is_html_escaped(void **state)
{
	(void)state;
	assert_renders("<title>{{t}}</title><textarea>{{t}}</textarea>",
		       "{\"t\": \"</title><script>x</script>\"}",
		       "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>"
		       "<textarea>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;"
		       "</textarea>");
}

static void
text_after_script_style_and_comments_is_text(void **state)
{
	(void)state;
	assert_renders("<!DOCTYPE html><script>if (a<b) x();</script>"
		       "<style>p>a{}</style><!-- c --><!-->{{v}}<?x>"
		       "</SCRIPT >{{v}}",
		       "{\"v\": \"<\"}",
		       "<!DOCTYPE html><script>if (a<b) x();</script>"
		       "<style>p>a{}</style><!-- c --><!-->&lt;<?x></SCRIPT >&lt;");
}

static void
end_tag_split_by_a_comment_tag_is_still_seen(void **state)
{
	(void)state;
	assert_renders("<script>x()</scr{{! split }}ipt>{{v}}", "{\"v\": \"<\"}",
		       "<script>x()</script>&lt;");
}

static void
less_than_sign_before_space_is_text(void **state)
{
	(void)state;
	assert_renders("<p>1 < {{n}}</p>", "{\"n\": 2}", "<p>1 < 2</p>");
}

static void
numbers_render_in_decimal(void **state)
{
	(void)state;
	assert_renders("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}",
		       "{\"a\": 0, \"b\": -42, \"c\": 9223372036854775807, "
		       "\"d\": 1.5, \"e\": 0.1, \"f\": 1e300, "
		       "\"g\": -9223372036854775808, \"h\": -0.25}",
		       "0 -42 9223372036854775807 1.5 0.1 1e+300 "
		       "-9223372036854775808 -0.25");
}

static void
booleans_null_and_containers_render(void **state)
{
	(void)state;
	assert_renders("[{{t}}|{{f}}|{{n}}|{{missing}}|{{o}}|{{l}}]",
		       "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"a\": 1},"
		       " \"l\": [1]}",
		       "[true|||||]");
}

static void
strings_with_nul_bytes_render_whole(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	json_t *ctx = json_pack("{s:s#}", "s", "a\0<", (size_t)3);
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "t", "[{{s}}]");
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.data, "[a\0&lt;]", 8);
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void
null_context_renders_literals_only(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "t", "a{{x}}{{#y}}b{{/y}}{{^y}}c{{/y}}{{.}}");
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "ac");
	buf_free(&out);
	tmpl_set_free(set);
}

static void
literal_bytes_pass_through_unchanged(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	const char src[] = "\xff\xfe<p>\0}{ }{</p>"; /* "}}" is refused */

	(void)state;
	assert_int_equal(tmpl_set_add(set, "t", src, sizeof(src) - 1, NULL, 0), 0);
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_int_equal(out.len, sizeof(src) - 1);
	assert_memory_equal(out.data, src, sizeof(src) - 1);
	buf_free(&out);
	tmpl_set_free(set);
}

/* ---- sections ---- */

static void
section_loops_over_an_array(void **state)
{
	(void)state;
	assert_renders("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
		       "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}]}",
		       "<ul><li>a</li><li>&lt;b&gt;</li></ul>");
}

static void
section_enters_an_object(void **state)
{
	(void)state;
	assert_renders("{{#org}}{{name}} ({{city}}){{/org}}",
		       "{\"org\": {\"name\": \"ACJS\", \"city\": \"Vienna\"}}",
		       "ACJS (Vienna)");
}

static void
section_renders_once_for_a_truthy_scalar(void **state)
{
	(void)state;
	assert_renders("{{#s}}[{{.}}]{{/s}}{{#n}}[{{.}}]{{/n}}{{#t}}[{{.}}]{{/t}}",
		       "{\"s\": \"x\", \"n\": 7, \"t\": true}", "[x][7][true]");
}

static void
section_skips_every_falsy_value(void **state)
{
	(void)state;
	assert_renders("{{#a}}a{{/a}}{{#b}}b{{/b}}{{#c}}c{{/c}}{{#d}}d{{/d}}"
		       "{{#e}}e{{/e}}{{#f}}f{{/f}}{{#g}}g{{/g}}{{#h}}h{{/h}}.",
		       "{\"a\": false, \"b\": 0, \"c\": \"\", \"d\": [], "
		       "\"e\": {}, \"f\": null, \"g\": 0.0}",
		       ".");
}

static void
inverted_section_renders_for_falsy_values(void **state)
{
	(void)state;
	assert_renders("{{^a}}a{{/a}}{{^b}}b{{/b}}{{^c}}c{{/c}}{{^d}}d{{/d}}"
		       "{{^missing}}m{{/missing}}",
		       "{\"a\": false, \"b\": 0, \"c\": \"\", \"d\": []}",
		       "abcdm");
}

static void
inverted_section_skips_truthy_values(void **state)
{
	(void)state;
	assert_renders("{{^a}}a{{/a}}{{^b}}b{{/b}}{{^c}}c{{/c}}.",
		       "{\"a\": true, \"b\": [0], \"c\": {\"x\": 1}}", ".");
}

static void
loop_exposes_index_number_first_and_last(void **state)
{
	(void)state;
	assert_renders("{{#l}}{{@index}}/{{@number}}/{{@first}}/{{@last}}:{{.}} "
		       "{{/l}}",
		       "{\"l\": [\"a\", \"b\", \"c\"]}",
		       "0/1/true/:a 1/2//:b 2/3//true:c ");
}

static void
first_and_last_work_as_sections(void **state)
{
	(void)state;
	assert_renders("{{#l}}{{^@first}}, {{/@first}}{{.}}{{#@last}}.{{/@last}}"
		       "{{/l}}",
		       "{\"l\": [\"UNODC\", \"CCPCJ\", \"UNCAC\"]}",
		       "UNODC, CCPCJ, UNCAC.");
}

static void
index_inside_an_object_section_refers_to_the_enclosing_loop(void **state)
{
	(void)state;
	assert_renders("{{#l}}{{#o}}{{@number}}{{v}}{{/o}}{{/l}}",
		       "{\"l\": [{\"o\": {\"v\": \"a\"}}, {\"o\": {\"v\": \"b\"}}]}",
		       "1a2b");
}

static void
index_outside_a_loop_renders_nothing(void **state)
{
	(void)state;
	assert_renders("[{{@index}}{{#@first}}x{{/@first}}]", "{}", "[]");
}

static void
lookup_walks_outward_from_the_inner_context(void **state)
{
	(void)state;
	assert_renders("{{#l}}{{name}}@{{site}} {{/l}}",
		       "{\"site\": \"acjs\", \"l\": [{\"name\": \"a\"}, "
		       "{\"name\": \"b\", \"site\": \"x\"}]}",
		       "a@acjs b@x ");
}

static void
dotted_path_resolves_its_first_name_outward_then_inside(void **state)
{
	(void)state;
	/* b is found in the inner object, which has no b.c: nothing, not
	 * the outer b.c */
	assert_renders("{{#a}}[{{b.c}}]{{/a}}[{{b.c}}][{{a.b.d}}]",
		       "{\"b\": {\"c\": \"outer\"}, \"a\": {\"b\": {\"d\": 1}}}",
		       "[][outer][1]");
}

static void
numeric_segment_indexes_an_array(void **state)
{
	(void)state;
	assert_renders("{{#errors.0}}<ul>{{/errors.0}}{{errors.1.m}}|{{l.0}}"
		       "{{l.7}}{{l.x}}{{o.0}}|{{#l}}{{0}}{{/l}}",
		       "{\"errors\": [{\"m\": \"a\"}, {\"m\": \"b\"}], "
		       "\"l\": [\"x\"], \"o\": {\"0\": \"zero\"}}",
		       "<ul>b|xzero|");
	assert_renders("{{#errors.0}}<ul>{{/errors.0}}.", "{\"errors\": []}", ".");
}

static void
dot_renders_the_current_value(void **state)
{
	(void)state;
	assert_renders("{{#l}}[{{.}}]{{/l}}", "{\"l\": [\"<a>\", 2]}",
		       "[&lt;a&gt;][2]");
}

static void
deeply_nested_data_is_reached_by_path_and_sections(void **state)
{
	struct buf json = BUF_INIT, src = BUF_INIT, want = BUF_INIT;
	char *got;
	int i;

	(void)state;
	for (i = 0; i < 60; i++)
		buf_puts(&json, "{\"a\": ");
	buf_puts(&json, "\"deep\"");
	for (i = 0; i < 60; i++)
		buf_puts(&json, "}");
	for (i = 0; i < 59; i++)
		buf_puts(&src, "{{#a}}");
	buf_puts(&src, "{{a}}|");
	for (i = 0; i < 59; i++)
		buf_puts(&src, "{{/a}}");
	buf_puts(&src, "{{a");
	for (i = 1; i < 60; i++)
		buf_puts(&src, ".a");
	buf_puts(&src, "}}");
	got = render(buf_cstr(&src), buf_cstr(&json));
	assert_string_equal(got, "deep|deep");
	free(got);
	buf_free(&json);
	buf_free(&src);
	buf_free(&want);
}

static void
nested_loops_render_every_combination(void **state)
{
	(void)state;
	assert_renders("{{#rows}}{{#cols}}{{r}}{{.}} {{/cols}}{{/rows}}",
		       "{\"rows\": [{\"r\": \"a\"}, {\"r\": \"b\"}], "
		       "\"cols\": [1, 2]}",
		       "a1 a2 b1 b2 ");
}

static void
sections_inside_a_tag_set_boolean_attributes(void **state)
{
	(void)state;
	assert_renders("<option value=\"{{v}}\"{{#sel}} selected{{/sel}}>"
		       "<input {{#on}}checked{{/on}} {{#off}}disabled{{/off}}/>"
		       "<a {{#h}}href=\"{{h}}\"{{/h}}>",
		       "{\"v\": 1, \"sel\": true, \"on\": true, \"h\": \"/x\"}",
		       "<option value=\"1\" selected><input checked />"
		       "<a href=\"/x\">");
}

static void
comment_tags_render_nothing(void **state)
{
	(void)state;
	assert_renders("a{{! a note, even with {{ inside }}b{{!}}c", "{}", "abc");
}

static void
comment_closed_early_by_nested_braces_is_an_error(void **state)
{
	(void)state;
	/* a model described with nested braces ends the comment at its
	 * first "}}"; the rest would be printed in the page */
	assert_compile_error("{{! Model: question {body, asked {at}}, more }}\n<p>",
			     "t:1:46:", "outside a tag");
	assert_compile_error("<p>}}</p>", "t:1:4:", "outside a tag");
}

static void
raw_alone_is_a_variable_named_raw(void **state)
{
	(void)state;
	assert_renders("{{raw}}", "{\"raw\": \"<\"}", "&lt;");
}

/* ---- partials and the set ---- */

static void
partial_renders_with_the_current_context(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	json_t *ctx = json_loads("{\"site\": \"acjs\", \"l\": [{\"n\": \"a\"}, "
				 "{\"n\": \"b\"}]}", 0, NULL);
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "page", "<ul>{{#l}}{{> parts/item.html}}{{/l}}</ul>");
	add_ok(set, "parts/item.html", "<li>{{n}}@{{site}}</li>");
	assert_int_equal(tmpl_render(set, "page", ctx, &out), 0);
	assert_string_equal(buf_cstr(&out), "<ul><li>a@acjs</li><li>b@acjs</li></ul>");
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void
missing_partial_fails_and_leaves_output_as_it_was(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "t", "<p>before</p>{{> nowhere}}");
	buf_puts(&out, "kept");
	assert_int_equal(tmpl_render(set, "t", NULL, &out), -1);
	assert_string_equal(buf_cstr(&out), "kept");
	buf_free(&out);
	tmpl_set_free(set);
}

static void
missing_partial_in_a_skipped_section_is_not_an_error(void **state)
{
	(void)state;
	assert_renders("a{{#no}}{{> nowhere}}{{/no}}", "{}", "a");
}

static void
render_of_a_missing_template_fails(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;

	(void)state;
	assert_false(tmpl_exists(set, "t"));
	assert_int_equal(tmpl_render(set, "t", NULL, &out), -1);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	tmpl_set_free(set);
}

static void
recursive_partial_fails_at_the_depth_limit(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "loop", "x{{> loop}}");
	assert_int_equal(tmpl_render(set, "loop", NULL, &out), -1);
	assert_int_equal(out.len, 0);
	buf_free(&out);
	tmpl_set_free(set);
}

static void
partials_nest_exactly_32_deep(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char name[16], src[32];
	int i;

	(void)state;
	for (i = 0; i < 33; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(src, sizeof(src), "%d{{> p%d}}", i, i + 1);
		add_ok(set, name, src);
	}
	add_ok(set, "p32", "end");
	assert_int_equal(tmpl_render(set, "p0", NULL, &out), 0);
	assert_non_null(strstr(buf_cstr(&out), "3031end"));
	buf_reset(&out);
	add_ok(set, "p32", "32{{> p33}}");
	add_ok(set, "p33", "end");
	assert_int_equal(tmpl_render(set, "p0", NULL, &out), -1);
	buf_free(&out);
	tmpl_set_free(set);
}

static void
recursive_partial_guarded_by_a_section_renders_a_tree(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	/* leaves need "kids": [], or lookup finds their parent's kids */
	json_t *ctx = json_loads("{\"name\": \"a\", \"kids\": [{\"name\": \"b\","
				 " \"kids\": [{\"name\": \"c\", \"kids\": []}]},"
				 " {\"name\": \"d\", \"kids\": []}]}",
				 0, NULL);
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "node", "{{name}}{{#kids}}({{> node}}){{/kids}}");
	assert_int_equal(tmpl_render(set, "node", ctx, &out), 0);
	assert_string_equal(buf_cstr(&out), "a(b(c))(d)");
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void
partial_may_be_added_after_the_template_using_it(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "page", "[{{> late}}]");
	add_ok(set, "late", "here");
	assert_int_equal(tmpl_render(set, "page", NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "[here]");
	buf_free(&out);
	tmpl_set_free(set);
}

static void
adding_a_name_again_replaces_the_template(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;

	(void)state;
	add_ok(set, "t", "old");
	add_ok(set, "t", "new");
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "new");
	buf_free(&out);
	tmpl_set_free(set);
}

static void
failed_add_keeps_the_previous_template(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	char err[128];

	(void)state;
	add_ok(set, "t", "old");
	assert_int_equal(tmpl_set_add(set, "t", "{{#a}}", 6, err, sizeof(err)), -1);
	assert_true(tmpl_exists(set, "t"));
	assert_int_equal(tmpl_render(set, "t", NULL, &out), 0);
	assert_string_equal(buf_cstr(&out), "old");
	buf_free(&out);
	tmpl_set_free(set);
}

static void
many_templates_are_all_found(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	char name[16];
	int i;

	(void)state;
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "t%d", (i * 37) % 200);
		add_ok(set, name, name);
	}
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		assert_true(tmpl_exists(set, name));
	}
	assert_false(tmpl_exists(set, "t200"));
	tmpl_set_free(set);
}

static void
short_error_buffer_is_truncated_and_terminated(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[8];

	(void)state;
	memset(err, 'x', sizeof(err));
	assert_int_equal(tmpl_set_add(set, "long-name", "{{", 2, err, sizeof(err)), -1);
	assert_string_equal(err, "long-na");
	assert_int_equal(tmpl_set_add(set, "t", "{{", 2, NULL, 0), -1);
	tmpl_set_free(set);
}

/* ---- oversized input ---- */

static void
very_large_template_compiles_and_renders(void **state)
{
	struct buf src = BUF_INIT;
	char *got;
	size_t i;

	(void)state;
	for (i = 0; i < 50000; i++)
		buf_puts(&src, "<p class=\"c\">{{v}}</p>\n");
	got = render(buf_cstr(&src), "{\"v\": \"<\"}");
	assert_int_equal(strlen(got), 50000 * strlen("<p class=\"c\">&lt;</p>\n"));
	assert_memory_equal(got, "<p class=\"c\">&lt;</p>\n<p", 24);
	free(got);
	buf_free(&src);
}

static void
large_loop_renders_every_element(void **state)
{
	struct tmpl_set *set = tmpl_set_new();
	json_t *ctx = json_object(), *l = json_array();
	struct buf out = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++)
		json_array_append_new(l, json_integer((json_int_t)i));
	json_object_set_new(ctx, "l", l);
	add_ok(set, "t", "{{#l}}{{.}},{{/l}}");
	assert_int_equal(tmpl_render(set, "t", ctx, &out), 0);
	assert_non_null(strstr(buf_cstr(&out), ",99999,"));
	assert_int_equal(out.data[out.len - 1], ',');
	buf_free(&out);
	json_decref(ctx);
	tmpl_set_free(set);
}

static void
sections_nest_64_deep_but_not_65(void **state)
{
	struct buf src = BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 64; i++)
		buf_puts(&src, "{{#a}}");
	for (i = 0; i < 64; i++)
		buf_puts(&src, "{{/a}}");
	assert_renders(buf_cstr(&src), "{}", "");
	buf_reset(&src);
	for (i = 0; i < 65; i++)
		buf_puts(&src, "{{#a}}");
	assert_compile_error(buf_cstr(&src), "t:1:385:", "sections nest deeper than 64");
	buf_free(&src);
}

static void
huge_tag_is_clipped_in_the_error_message(void **state)
{
	struct buf src = BUF_INIT;
	const char *e;
	int i;

	(void)state;
	buf_puts(&src, "<script>{{");
	for (i = 0; i < 100000; i++)
		buf_putc(&src, 'x');
	buf_puts(&src, "}}</script>");
	e = compile_error(buf_cstr(&src));
	assert_true(strlen(e) < 200);
	assert_non_null(strstr(e, "inside <script>"));
	buf_free(&src);
}

/* ---- compile errors ---- */

static void
error_names_template_line_and_column(void **state)
{
	(void)state;
	assert_string_equal(compile_error("<p>\n  <script>\n  x = {{v}};\n"),
			    "t:3:7: {{v}} inside <script> cannot be escaped");
}

static void
error_for_value_inside_script(void **state)
{
	(void)state;
	assert_compile_error("<script type=\"module\">var x = \"{{x}}\";</script>",
			     "t:1:32:", "{{x}} inside <script> cannot be escaped");
}

static void
error_for_value_inside_style(void **state)
{
	(void)state;
	assert_compile_error("<style>p { color: {{c}} }</style>", "t:1:19:",
			     "inside <style> cannot be escaped");
}

static void
error_for_less_than_bang_inside_script(void **state)
{
	(void)state;
	assert_compile_error("<script><!--<script></script>{{x}}</script>",
			     "t:1:10:", "\"<!\" inside <script> is not supported");
}

static void
error_for_value_inside_html_comment(void **state)
{
	(void)state;
	assert_compile_error("<!-- {{x}} -->", "t:1:6:",
			     "{{x}} inside an HTML comment cannot be escaped");
	assert_compile_error("<!DOCTYPE {{x}}>", "t:1:11:", "inside an HTML comment");
}

static void
error_for_value_in_tag_name(void **state)
{
	(void)state;
	assert_compile_error("<{{tag}}>", "t:1:2:", "inside a tag name");
	assert_compile_error("<h{{n}}>", "t:1:3:", "inside a tag name");
	assert_compile_error("</{{tag}}>", "t:1:3:", "inside a tag name");
}

static void
error_for_value_in_place_of_attribute_name(void **state)
{
	(void)state;
	assert_compile_error("<a {{attrs}}>", "t:1:4:", "in place of an attribute name");
	assert_compile_error("<a data-{{n}}=\"1\">", "t:1:9:",
			     "in place of an attribute name");
	assert_compile_error("<a href=\"x\"{{a}}>", "t:1:12:",
			     "in place of an attribute name");
}

static void
error_for_value_in_unquoted_attribute(void **state)
{
	(void)state;
	assert_compile_error("<a class={{c}}>", "t:1:10:",
			     "in an unquoted attribute value cannot be escaped; "
			     "quote the value");
	assert_compile_error("<a class=x{{c}}>", "t:1:11:", "unquoted attribute value");
}

static void
error_for_value_in_event_handler_attribute(void **state)
{
	(void)state;
	assert_compile_error("<a onclick=\"go('{{id}}')\">", "t:1:17:",
			     "{{id}} inside attribute onclick cannot be escaped");
	assert_compile_error("<body ONLOAD='{{x}}'>", "t:1:15:", "attribute onload");
}

static void
error_for_value_in_style_attribute(void **state)
{
	(void)state;
	assert_compile_error("<p style=\"color: {{c}}\">", "t:1:18:",
			     "inside attribute style cannot be escaped");
}

static void
error_for_value_in_srcset_and_srcdoc(void **state)
{
	(void)state;
	assert_compile_error("<img srcset=\"{{s}}\">", "t:1:14:", "attribute srcset");
	assert_compile_error("<iframe srcdoc=\"{{s}}\"></iframe>", "t:1:17:",
			     "attribute srcdoc");
}

static void
error_for_raw_outside_html_text(void **state)
{
	(void)state;
	assert_compile_error("<a title=\"{{raw t}}\">", "t:1:11:",
			     "{{raw t}}: raw output is allowed only in HTML text");
	assert_compile_error("<textarea>{{raw t}}</textarea>", "t:1:11:",
			     "allowed only in HTML text");
	assert_compile_error("<script>{{raw t}}</script>", "t:1:9:",
			     "allowed only in HTML text");
}

static void
error_for_partial_outside_html_text(void **state)
{
	(void)state;
	assert_compile_error("<a href=\"{{> url}}\">", "t:1:10:",
			     "partials are allowed only in HTML text");
}

static void
error_for_less_than_inside_title(void **state)
{
	(void)state;
	assert_compile_error("<title>a <b>{{t}}</b></title>", "t:1:11:",
			     "'<' inside <title> must be written &lt;");
}

static void
error_for_colon_after_a_value_in_url(void **state)
{
	(void)state;
	assert_compile_error("<a href=\"{{scheme}}:alert(1)\">", "t:1:20:",
			     "could complete a URL scheme");
	assert_compile_error("<a href=\"java{{s}}&#58;x\">", "t:1:19:",
			     "could complete a URL scheme");
	assert_compile_error("<a href=\"{{#l}}{{.}}{{/l}}:x\">", "t:1:27:",
			     "could complete a URL scheme");
}

static void
error_for_unclosed_section(void **state)
{
	(void)state;
	assert_compile_error("<ul>\n{{#items}}<li></li>", "t:2:1:",
			     "section items is never closed");
}

static void
error_for_close_without_section(void **state)
{
	(void)state;
	assert_compile_error("a{{/items}}", "t:1:2:", "{{/items}} closes no section");
}

static void
error_for_mismatched_close(void **state)
{
	(void)state;
	assert_compile_error("{{#a}}{{#b}}{{/a}}{{/b}}", "t:1:13:",
			     "{{/a}} does not close the section b");
}

static void
error_for_section_ending_in_another_context(void **state)
{
	(void)state;
	assert_compile_error("{{#a}}<a href=\"{{/a}}{{u}}\">", "t:1:16:",
			     "ends in a different HTML context");
	assert_compile_error("{{#a}}<script>{{/a}}</script>", "t:1:15:",
			     "different HTML context");
	assert_compile_error("<{{#a}}b{{/a}}>", "t:1:9:", "different HTML context");
}

static void
error_for_value_after_an_attribute_a_section_may_drop(void **state)
{
	(void)state;
	assert_compile_error("<a {{#x}}title{{/x}}=\"{{y}}\">", "t:1:21:",
			     "only a space, '/' or '>' may follow");
	assert_compile_error("<a {{#x}}title {{/x}} =\"{{y}}\">", "t:1:23:",
			     "only a space, '/' or '>' may follow");
}

static void
error_for_unknown_tag_forms(void **state)
{
	(void)state;
	assert_compile_error("{{{x}}}", "t:1:1:", "{{{...}}} is not supported");
	assert_compile_error("{{&x}}", "t:1:1:", "unknown tag {{&x}}");
	assert_compile_error("{{=<% %>=}}", "t:1:1:", "unknown tag");
	assert_compile_error("a {{ }}", "t:1:3:", "empty tag");
	assert_compile_error("{{#}}{{/}}", "t:1:1:", "the path is missing");
	assert_compile_error("{{>}}", "t:1:1:", "a partial's name is");
	assert_compile_error("{{> a b}}", "t:1:1:", "a partial's name is");
}

static void
error_for_malformed_paths(void **state)
{
	(void)state;
	assert_compile_error("{{a b}}", "t:1:1:", "a path is '.'");
	assert_compile_error("{{a..b}}", "t:1:1:", "a path is");
	assert_compile_error("{{.a}}", "t:1:1:", "a path is");
	assert_compile_error("{{a.}}", "t:1:1:", "a path is");
	assert_compile_error("{{@foo}}", "t:1:1:", "a path is");
	assert_compile_error("{{raw a\"b}}", "t:1:1:", "a path is");
}

static void
error_for_unterminated_tag(void **state)
{
	(void)state;
	assert_compile_error("<p>\n{{name</p>", "t:2:1:",
			     "\"{{\" is never closed by \"}}\"");
	assert_compile_error("{{", "t:1:1:", "never closed");
}

static void
error_for_template_ending_inside_markup(void **state)
{
	(void)state;
	assert_compile_error("<a href=\"x", "t:1:11:",
			     "the template ends inside an attribute value");
	assert_compile_error("<p class=x", "t:1:11:", "in an unquoted attribute value");
	assert_compile_error("<p", "t:1:3:", "the template ends inside a tag");
	assert_compile_error("a <", "t:1:4:", "inside a tag");
	assert_compile_error("<!-- x", "t:1:7:", "inside an HTML comment");
	assert_compile_error("<script>x", "t:1:10:",
			     "inside an element that is never closed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_in_text_is_html_escaped),
		cmocka_unit_test(value_in_quoted_attribute_is_html_escaped),
		cmocka_unit_test(whitespace_inside_tags_is_ignored),
		cmocka_unit_test(url_at_start_of_href_keeps_an_allowed_url),
		cmocka_unit_test(javascript_url_in_href_becomes_hash),
		cmocka_unit_test(data_url_in_src_becomes_hash),
		cmocka_unit_test(mixed_case_javascript_after_space_becomes_hash),
		cmocka_unit_test(every_url_attribute_checks_the_scheme),
		cmocka_unit_test(url_attribute_names_are_case_insensitive),
		cmocka_unit_test(value_later_in_url_is_percent_encoded),
		cmocka_unit_test(mailto_prefix_makes_value_a_url_component),
		cmocka_unit_test(value_after_leading_space_in_href_counts_as_start),
		cmocka_unit_test(value_after_url_value_is_a_component),
		cmocka_unit_test(url_value_repeated_by_a_loop_stays_safe),
		cmocka_unit_test(url_value_chosen_by_sections_compiles),
		cmocka_unit_test(raw_inserts_unescaped_in_text),
		cmocka_unit_test(value_in_title_and_textarea_is_html_escaped),
		cmocka_unit_test(text_after_script_style_and_comments_is_text),
		cmocka_unit_test(end_tag_split_by_a_comment_tag_is_still_seen),
		cmocka_unit_test(less_than_sign_before_space_is_text),
		cmocka_unit_test(numbers_render_in_decimal),
		cmocka_unit_test(booleans_null_and_containers_render),
		cmocka_unit_test(strings_with_nul_bytes_render_whole),
		cmocka_unit_test(null_context_renders_literals_only),
		cmocka_unit_test(literal_bytes_pass_through_unchanged),
		cmocka_unit_test(section_loops_over_an_array),
		cmocka_unit_test(section_enters_an_object),
		cmocka_unit_test(section_renders_once_for_a_truthy_scalar),
		cmocka_unit_test(section_skips_every_falsy_value),
		cmocka_unit_test(inverted_section_renders_for_falsy_values),
		cmocka_unit_test(inverted_section_skips_truthy_values),
		cmocka_unit_test(loop_exposes_index_number_first_and_last),
		cmocka_unit_test(first_and_last_work_as_sections),
		cmocka_unit_test(index_inside_an_object_section_refers_to_the_enclosing_loop),
		cmocka_unit_test(index_outside_a_loop_renders_nothing),
		cmocka_unit_test(lookup_walks_outward_from_the_inner_context),
		cmocka_unit_test(dotted_path_resolves_its_first_name_outward_then_inside),
		cmocka_unit_test(numeric_segment_indexes_an_array),
		cmocka_unit_test(dot_renders_the_current_value),
		cmocka_unit_test(deeply_nested_data_is_reached_by_path_and_sections),
		cmocka_unit_test(nested_loops_render_every_combination),
		cmocka_unit_test(sections_inside_a_tag_set_boolean_attributes),
		cmocka_unit_test(comment_tags_render_nothing),
		cmocka_unit_test(comment_closed_early_by_nested_braces_is_an_error),
		cmocka_unit_test(raw_alone_is_a_variable_named_raw),
		cmocka_unit_test(partial_renders_with_the_current_context),
		cmocka_unit_test(missing_partial_fails_and_leaves_output_as_it_was),
		cmocka_unit_test(missing_partial_in_a_skipped_section_is_not_an_error),
		cmocka_unit_test(render_of_a_missing_template_fails),
		cmocka_unit_test(recursive_partial_fails_at_the_depth_limit),
		cmocka_unit_test(partials_nest_exactly_32_deep),
		cmocka_unit_test(recursive_partial_guarded_by_a_section_renders_a_tree),
		cmocka_unit_test(partial_may_be_added_after_the_template_using_it),
		cmocka_unit_test(adding_a_name_again_replaces_the_template),
		cmocka_unit_test(failed_add_keeps_the_previous_template),
		cmocka_unit_test(many_templates_are_all_found),
		cmocka_unit_test(short_error_buffer_is_truncated_and_terminated),
		cmocka_unit_test(very_large_template_compiles_and_renders),
		cmocka_unit_test(large_loop_renders_every_element),
		cmocka_unit_test(sections_nest_64_deep_but_not_65),
		cmocka_unit_test(huge_tag_is_clipped_in_the_error_message),
		cmocka_unit_test(error_names_template_line_and_column),
		cmocka_unit_test(error_for_value_inside_script),
		cmocka_unit_test(error_for_value_inside_style),
		cmocka_unit_test(error_for_less_than_bang_inside_script),
		cmocka_unit_test(error_for_value_inside_html_comment),
		cmocka_unit_test(error_for_value_in_tag_name),
		cmocka_unit_test(error_for_value_in_place_of_attribute_name),
		cmocka_unit_test(error_for_value_in_unquoted_attribute),
		cmocka_unit_test(error_for_value_in_event_handler_attribute),
		cmocka_unit_test(error_for_value_in_style_attribute),
		cmocka_unit_test(error_for_value_in_srcset_and_srcdoc),
		cmocka_unit_test(error_for_raw_outside_html_text),
		cmocka_unit_test(error_for_partial_outside_html_text),
		cmocka_unit_test(error_for_less_than_inside_title),
		cmocka_unit_test(error_for_colon_after_a_value_in_url),
		cmocka_unit_test(error_for_unclosed_section),
		cmocka_unit_test(error_for_close_without_section),
		cmocka_unit_test(error_for_mismatched_close),
		cmocka_unit_test(error_for_section_ending_in_another_context),
		cmocka_unit_test(error_for_value_after_an_attribute_a_section_may_drop),
		cmocka_unit_test(error_for_unknown_tag_forms),
		cmocka_unit_test(error_for_malformed_paths),
		cmocka_unit_test(error_for_unterminated_tag),
		cmocka_unit_test(error_for_template_ending_inside_markup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
