/*
 * test_htmlctx.c -- unit tests of the HTML context tracker (htmlctx.c).
 *
 * Each test feeds literal HTML to a fresh context and checks where an
 * insertion would land, or the sentence of a refusal.  The template tests
 * (test_template.c) cover the same states through whole templates; these
 * pin the interface the compiler relies on: place, insert, repeat, join
 * and end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "core/htmlctx.h"

/* Feeds s to h; returns what the last step returned, why in why. */
static int
feed(struct htmlctx *h, const char *s, char *why, size_t whylen)
{
	for (; *s != '\0'; s++)
		if (htmlctx_step(h, (unsigned char)*s, why, whylen) < 0)
			return -1;
	return 0;
}

/* A context that has read s, which must be accepted. */
static struct htmlctx
after(const char *s)
{
	struct htmlctx h;
	char why[256] = "";

	htmlctx_init(&h);
	if (feed(&h, s, why, sizeof(why)) != 0)
		fail_msg("\"%s\" refused: %s", s, why);
	return h;
}

/* The place after s, and the sentence when it is unsafe. */
static enum htmlctx_place
place_after(const char *s, char *why, size_t whylen)
{
	struct htmlctx h = after(s);

	return htmlctx_place(&h, why, whylen);
}

static void
document_starts_in_text(void **state)
{
	struct htmlctx h;

	(void)state;
	htmlctx_init(&h);
	assert_int_equal(htmlctx_place(&h, NULL, 0), HTMLCTX_TEXT);
	assert_int_equal(htmlctx_end(&h, NULL, 0), 0);
}

static void
closed_tags_and_comments_return_to_text(void **state)
{
	(void)state;
	assert_int_equal(place_after("<p class=\"a\">x<!-- c -->y</p>", NULL,
				     0),
			 HTMLCTX_TEXT);
	assert_int_equal(place_after("<script>a<b</script >", NULL, 0),
			 HTMLCTX_TEXT);
}

static void
title_content_is_rcdata(void **state)
{
	(void)state;
	assert_int_equal(place_after("<TITLE>", NULL, 0), HTMLCTX_RCDATA);
}

static void
quoted_plain_attribute_is_attr(void **state)
{
	(void)state;
	assert_int_equal(place_after("<input value=\"", NULL, 0),
			 HTMLCTX_ATTR);
	assert_int_equal(place_after("<input title='x ", NULL, 0),
			 HTMLCTX_ATTR);
}

static void
url_value_is_the_url_until_data_or_literal(void **state)
{
	struct htmlctx h = after("<a href=\" ");

	(void)state;
	assert_int_equal(htmlctx_place(&h, NULL, 0), HTMLCTX_URL);
	htmlctx_insert(&h);
	assert_int_equal(htmlctx_place(&h, NULL, 0), HTMLCTX_URL_PART);
	assert_int_equal(place_after("<a href=\"/x?q=", NULL, 0),
			 HTMLCTX_URL_PART);
}

static void
colon_after_data_in_url_is_refused(void **state)
{
	struct htmlctx h = after("<a href=\"");
	char why[256] = "";

	(void)state;
	htmlctx_insert(&h);
	assert_int_equal(feed(&h, ":", why, sizeof(why)), -1);
	assert_string_equal(why, "':' after an insertion in attribute href "
				 "could complete a URL scheme such as "
				 "javascript:; put a '/', '?' or '#' before "
				 "it");
}

static void
colon_after_data_behind_a_slash_is_accepted(void **state)
{
	struct htmlctx h = after("<a href=\"/");

	(void)state;
	htmlctx_insert(&h);
	assert_int_equal(feed(&h, ":&", NULL, 0), 0);
}

static void
repeated_body_in_url_assumes_data_came_before(void **state)
{
	struct htmlctx h = after("<a href=\"x");

	(void)state;
	htmlctx_repeat(&h);
	assert_int_equal(feed(&h, ":", NULL, 0), -1);
}

static void
script_content_is_unsafe_with_reason(void **state)
{
	char why[256] = "";

	(void)state;
	assert_int_equal(place_after("<script type=\"module\">", why,
				     sizeof(why)),
			 HTMLCTX_UNSAFE);
	assert_string_equal(why, "inside <script> cannot be escaped");
}

static void
unquoted_value_is_unsafe_and_asks_for_quotes(void **state)
{
	char why[256] = "";

	(void)state;
	assert_int_equal(place_after("<input value=", why, sizeof(why)),
			 HTMLCTX_UNSAFE);
	assert_string_equal(why, "in an unquoted attribute value cannot be "
				 "escaped; quote the value");
}

static void
tag_name_and_comment_are_unsafe(void **state)
{
	char why[256] = "";

	(void)state;
	assert_int_equal(place_after("<di", why, sizeof(why)),
			 HTMLCTX_UNSAFE);
	assert_string_equal(why, "inside a tag name cannot be escaped");
	assert_int_equal(place_after("<!-- ", why, sizeof(why)),
			 HTMLCTX_UNSAFE);
	assert_string_equal(why, "inside an HTML comment cannot be escaped");
}

static void
event_attribute_is_unsafe_and_named(void **state)
{
	char why[256] = "";

	(void)state;
	assert_int_equal(place_after("<b onClick=\"", why, sizeof(why)),
			 HTMLCTX_UNSAFE);
	assert_string_equal(why, "inside attribute onclick cannot be escaped");
}

/*
 * A name longer than the bytes kept is shown cut, never with the byte
 * that follows the kept ones in memory (the guard here).
 */
static void
long_attribute_name_is_cut_in_messages(void **state)
{
	struct {
		struct htmlctx h;
		char guard[4];
	} s;
	char why[256] = "";

	(void)state;
	htmlctx_init(&s.h);
	memcpy(s.guard, "!!!", 4);
	assert_int_equal(feed(&s.h, "<b onclickxxxxxxxxxxxxxxxx=\"", NULL, 0),
			 0);
	assert_int_equal(htmlctx_place(&s.h, why, sizeof(why)),
			 HTMLCTX_UNSAFE);
	assert_string_equal(why, "inside attribute onclickxxxxxxxxx cannot "
				 "be escaped");
}

static void
less_than_in_title_is_refused(void **state)
{
	struct htmlctx h = after("<title>a");
	char why[256] = "";

	(void)state;
	assert_int_equal(feed(&h, "<b", why, sizeof(why)), -1);
	assert_string_equal(why, "'<' inside <title> must be written &lt;");
}

static void
short_why_buffer_is_truncated_and_terminated(void **state)
{
	struct htmlctx h = after("<title>a");
	char why[8];

	(void)state;
	memset(why, 'z', sizeof(why));
	assert_int_equal(feed(&h, "<b", why, sizeof(why)), -1);
	assert_string_equal(why, "'<' ins");
}

static void
join_of_an_optional_attribute_allows_only_space_slash_or_gt(void **state)
{
	struct htmlctx a = after("<option ");
	struct htmlctx b = after("<option selected");
	struct htmlctx c;

	(void)state;
	assert_int_equal(htmlctx_join(&a, &b), 0);
	c = b;
	assert_int_equal(feed(&c, " id=\"x\">", NULL, 0), 0);
	assert_int_equal(htmlctx_place(&c, NULL, 0), HTMLCTX_TEXT);
	c = b;
	assert_int_equal(feed(&c, "=", NULL, 0), -1);
}

static void
join_of_text_and_tag_fails(void **state)
{
	struct htmlctx a = after("");
	struct htmlctx b = after("<p");

	(void)state;
	assert_int_equal(htmlctx_join(&a, &b), -1);
}

static void
join_of_equal_contexts_keeps_them(void **state)
{
	struct htmlctx a = after("<p title=\"a");
	struct htmlctx b = after("<p title=\"a b c");

	(void)state;
	assert_int_equal(htmlctx_join(&a, &b), 0);
	assert_int_equal(htmlctx_place(&b, NULL, 0), HTMLCTX_ATTR);
}

static void
end_inside_an_element_says_it_is_never_closed(void **state)
{
	struct htmlctx h = after("<textarea>");
	char why[256] = "";

	(void)state;
	assert_int_equal(htmlctx_end(&h, why, sizeof(why)), -1);
	assert_string_equal(why, "inside an element that is never closed");
	h = after("<p class=\"x");
	assert_int_equal(htmlctx_end(&h, why, sizeof(why)), -1);
	assert_string_equal(why, "inside an attribute value");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(document_starts_in_text),
		cmocka_unit_test(closed_tags_and_comments_return_to_text),
		cmocka_unit_test(title_content_is_rcdata),
		cmocka_unit_test(quoted_plain_attribute_is_attr),
		cmocka_unit_test(url_value_is_the_url_until_data_or_literal),
		cmocka_unit_test(colon_after_data_in_url_is_refused),
		cmocka_unit_test(colon_after_data_behind_a_slash_is_accepted),
		cmocka_unit_test(repeated_body_in_url_assumes_data_came_before),
		cmocka_unit_test(script_content_is_unsafe_with_reason),
		cmocka_unit_test(unquoted_value_is_unsafe_and_asks_for_quotes),
		cmocka_unit_test(tag_name_and_comment_are_unsafe),
		cmocka_unit_test(event_attribute_is_unsafe_and_named),
		cmocka_unit_test(long_attribute_name_is_cut_in_messages),
		cmocka_unit_test(less_than_in_title_is_refused),
		cmocka_unit_test(short_why_buffer_is_truncated_and_terminated),
		cmocka_unit_test(join_of_an_optional_attribute_allows_only_space_slash_or_gt),
		cmocka_unit_test(join_of_text_and_tag_fails),
		cmocka_unit_test(join_of_equal_contexts_keeps_them),
		cmocka_unit_test(end_inside_an_element_says_it_is_never_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
