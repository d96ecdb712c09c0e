/*
 * test_form.c -- unit tests of form.c: urlencoded parsing and
 * percent-decoding, header parameters and media types, and the streaming
 * multipart/form-data parser fed in chunks of every size.
 *
 * Parser events are recorded as text (one line per field or part event,
 * bytes outside printable ASCII written as \xNN) so that expectations read
 * like the input and a failure shows what differed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "form.h"
#include "util.h"

static const struct form_limits lim_default = {100, 100, 1000};

/* Appends s[0..n) to b, printable ASCII as is, other bytes as \xNN. */
static void
put_escaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf_putc(b, c);
		else
			buf_printf(b, "\\x%02x", c);
	}
}

/* ---- urlencoded ---- */

struct fields {
	struct buf log; /* "name=value\n" per field */
	int calls;
	int stop_after; /* return non-zero after this many calls; 0 never */
};

static int
record_field(void *arg, const char *name, size_t nlen, const char *value,
	     size_t vlen)
{
	struct fields *f = arg;

	/* the contract: both NUL-terminated */
	assert_int_equal(name[nlen], '\0');
	assert_int_equal(value[vlen], '\0');
	put_escaped(&f->log, name, nlen);
	buf_putc(&f->log, '=');
	put_escaped(&f->log, value, vlen);
	buf_putc(&f->log, '\n');
	f->calls++;
	return f->stop_after && f->calls >= f->stop_after;
}

/* Parses s with lim; checks the result is want and the log is log. */
static void
check_urlencoded(const char *s, const struct form_limits *lim,
		 enum form_err want, const char *log)
{
	struct fields f = {BUF_INIT, 0, 0};
	enum form_err err;

	err = form_parse_urlencoded(s, strlen(s), lim, record_field, &f);
	assert_int_equal(err, want);
	if (log)
		assert_string_equal(buf_cstr(&f.log), log);
	buf_free(&f.log);
}

static void
urlencoded_parses_pairs_in_order(void **state)
{
	(void)state;
	check_urlencoded("b=2&a=1&c=3", &lim_default, FORM_OK,
			 "b=2\na=1\nc=3\n");
}

static void
urlencoded_decodes_plus_and_percent_escapes(void **state)
{
	(void)state;
	check_urlencoded("q=x+y%21&na%6De=%E2%82%AC", &lim_default, FORM_OK,
			 "q=x y!\nname=\\xe2\\x82\\xac\n");
}

static void
urlencoded_decodes_encoded_ampersand_and_equals_inside_values(void **state)
{
	(void)state;
	check_urlencoded("a=b%26c%3Dd&e=1", &lim_default, FORM_OK,
			 "a=b&c=d\ne=1\n");
}

static void
urlencoded_keeps_later_equals_signs_in_value(void **state)
{
	(void)state;
	check_urlencoded("a=b=c", &lim_default, FORM_OK, "a=b=c\n");
}

static void
urlencoded_skips_empty_pairs(void **state)
{
	(void)state;
	check_urlencoded("&&a=1&&b=2&", &lim_default, FORM_OK, "a=1\nb=2\n");
}

static void
urlencoded_gives_empty_value_to_name_without_equals(void **state)
{
	(void)state;
	check_urlencoded("flag&x=&y", &lim_default, FORM_OK,
			 "flag=\nx=\ny=\n");
}

static void
urlencoded_accepts_empty_input(void **state)
{
	(void)state;
	check_urlencoded("", &lim_default, FORM_OK, "");
}

static void
urlencoded_passes_nul_bytes_with_their_length(void **state)
{
	(void)state;
	check_urlencoded("a=x%00y", &lim_default, FORM_OK, "a=x\\x00y\n");
}

static void
urlencoded_rejects_bad_percent_escape(void **state)
{
	(void)state;
	check_urlencoded("a=%zz", &lim_default, FORM_BAD_ENCODING, NULL);
	check_urlencoded("a=%4", &lim_default, FORM_BAD_ENCODING, NULL);
	check_urlencoded("a=1%", &lim_default, FORM_BAD_ENCODING, NULL);
	check_urlencoded("%g0=1", &lim_default, FORM_BAD_ENCODING, NULL);
}

static void
urlencoded_rejects_invalid_utf8_after_decoding(void **state)
{
	(void)state;
	check_urlencoded("a=%FF", &lim_default, FORM_BAD_ENCODING, NULL);
	check_urlencoded("a=%C0%AF", &lim_default, FORM_BAD_ENCODING, NULL);
	check_urlencoded("%ED%A0%80=1", &lim_default, FORM_BAD_ENCODING,
			 NULL);
	check_urlencoded("a=%E2%82", &lim_default, FORM_BAD_ENCODING, NULL);
}

static void
urlencoded_reports_fields_before_the_first_error(void **state)
{
	(void)state;
	check_urlencoded("a=1&b=%zz&c=3", &lim_default, FORM_BAD_ENCODING,
			 "a=1\n");
}

static void
urlencoded_rejects_too_many_fields(void **state)
{
	struct form_limits lim = {3, 100, 100};

	(void)state;
	check_urlencoded("a=1&b=2&c=3", &lim, FORM_OK, "a=1\nb=2\nc=3\n");
	check_urlencoded("a=1&b=2&c=3&d=4", &lim, FORM_TOO_MANY_FIELDS, NULL);
	/* empty pairs do not count */
	check_urlencoded("a=1&&b=2&&c=3&&", &lim, FORM_OK, NULL);
}

static void
urlencoded_rejects_name_too_long_after_decoding(void **state)
{
	struct form_limits lim = {10, 4, 100};

	(void)state;
	/* "%61%62%63%64" decodes to 4 bytes: at the limit */
	check_urlencoded("%61%62%63%64=1", &lim, FORM_OK, "abcd=1\n");
	check_urlencoded("abcde=1", &lim, FORM_NAME_TOO_LONG, NULL);
	check_urlencoded("abcde", &lim, FORM_NAME_TOO_LONG, NULL);
}

static void
urlencoded_rejects_value_too_long(void **state)
{
	struct form_limits lim = {10, 10, 3};

	(void)state;
	check_urlencoded("a=%E2%82%AC", &lim, FORM_OK, NULL);
	check_urlencoded("a=abc", &lim, FORM_OK, NULL);
	check_urlencoded("a=abcd", &lim, FORM_VALUE_TOO_LONG, NULL);
}

static void
urlencoded_stops_when_callback_asks(void **state)
{
	struct fields f = {BUF_INIT, 0, 2};
	const char *s = "a=1&b=2&c=3&d=%zz";

	(void)state;
	assert_int_equal(form_parse_urlencoded(s, strlen(s), &lim_default,
					       record_field, &f),
			 FORM_OK);
	assert_int_equal(f.calls, 2);
	buf_free(&f.log);
}

static void
urlencoded_reads_only_the_given_length(void **state)
{
	struct fields f = {BUF_INIT, 0, 0};
	const char *s = "a=1&b=2";

	(void)state;
	assert_int_equal(form_parse_urlencoded(s, 5, &lim_default,
					       record_field, &f),
			 FORM_OK);
	assert_string_equal(buf_cstr(&f.log), "a=1\nb=\n");
	buf_free(&f.log);
}

static void
percent_decode_keeps_plus_unless_asked(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(form_percent_decode("a+b%2B", 6, out, 0), 4);
	assert_string_equal(out, "a+b+");
	assert_int_equal(form_percent_decode("a+b%2B", 6, out, 1), 4);
	assert_string_equal(out, "a b+");
}

static void
percent_decode_accepts_either_case_of_hex(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(form_percent_decode("%2f%2F%aB", 9, out, 1), 3);
	assert_string_equal(out, "//\xab");
}

static void
percent_decode_rejects_truncated_escape(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(form_percent_decode("%", 1, out, 1), -1);
	assert_int_equal(form_percent_decode("%4", 2, out, 1), -1);
	/* the escape may not borrow a byte past n */
	assert_int_equal(form_percent_decode("%41", 2, out, 1), -1);
	assert_int_equal(form_percent_decode("%-1", 3, out, 1), -1);
}

/* ---- header parameters and media types ---- */

static void
header_param_reads_token_value(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("multipart/form-data; boundary="
					   "----WebKitFormBoundaryX1y2",
					   "boundary", out, sizeof(out)),
			 26);
	assert_string_equal(out, "----WebKitFormBoundaryX1y2");
}

static void
header_param_reads_quoted_value_with_escapes(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("form-data; name=\"a\\\"b\\\\c d\"",
					   "name", out, sizeof(out)),
			 7);
	assert_string_equal(out, "a\"b\\c d");
	assert_int_equal(form_header_param("form-data; name=\"\"", "name",
					   out, sizeof(out)),
			 0);
	assert_string_equal(out, "");
}

static void
header_param_matches_names_case_insensitively(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("text/plain; CharSet=utf-8",
					   "charset", out, sizeof(out)),
			 5);
	assert_string_equal(out, "utf-8");
}

static void
header_param_reports_absent_param(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("multipart/form-data", "boundary",
					   out, sizeof(out)),
			 -1);
	assert_int_equal(form_header_param("text/plain; charset=utf-8",
					   "boundary", out, sizeof(out)),
			 -1);
}

static void
header_param_does_not_match_a_longer_name(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("form-data; filename*=x; names=y",
					   "name", out, sizeof(out)),
			 -1);
	assert_int_equal(form_header_param("form-data; filename*=x; "
					   "filename=y",
					   "filename", out, sizeof(out)),
			 1);
	assert_string_equal(out, "y");
}

static void
header_param_ignores_lookalikes_inside_quoted_strings(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("form-data; filename=\"; "
					   "name=evil\"; name=real",
					   "name", out, sizeof(out)),
			 4);
	assert_string_equal(out, "real");
}

static void
header_param_tolerates_spaces_and_trailing_semicolon(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("  multipart/form-data ;\t"
					   "boundary = abc ; ",
					   "boundary", out, sizeof(out)),
			 3);
	assert_string_equal(out, "abc");
}

static void
header_param_rejects_value_too_long_for_buffer(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(form_header_param("x/y; b=abc", "b", out,
					   sizeof(out)),
			 3);
	assert_int_equal(form_header_param("x/y; b=abcd", "b", out,
					   sizeof(out)),
			 -1);
	assert_int_equal(form_header_param("x/y; b=\"abcd\"", "b", out,
					   sizeof(out)),
			 -1);
}

static void
header_param_rejects_unterminated_quoted_string(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("form-data; name=\"abc", "name",
					   out, sizeof(out)),
			 -1);
	assert_int_equal(form_header_param("form-data; name=\"abc\\", "name",
					   out, sizeof(out)),
			 -1);
}

static void
header_param_rejects_repeated_param(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("multipart/form-data; boundary=a;"
					   " Boundary=b",
					   "boundary", out, sizeof(out)),
			 -1);
}

static void
header_param_rejects_malformed_headers(void **state)
{
	char out[80];

	(void)state;
	/* a param without '=' */
	assert_int_equal(form_header_param("x/y; b=1; c", "b", out,
					   sizeof(out)),
			 -1);
	/* junk after a token value */
	assert_int_equal(form_header_param("x/y; b=1 2", "b", out,
					   sizeof(out)),
			 -1);
	/* a non-token character in a token value */
	assert_int_equal(form_header_param("x/y; b=a:b", "b", out,
					   sizeof(out)),
			 -1);
	/* an empty token value */
	assert_int_equal(form_header_param("x/y; b=", "b", out, sizeof(out)),
			 -1);
	/* no media type */
	assert_int_equal(form_header_param("; b=1", "b", out, sizeof(out)),
			 -1);
	/* a control character inside quotes */
	assert_int_equal(form_header_param("x/y; b=\"a\x01\"", "b", out,
					   sizeof(out)),
			 -1);
}

static void
header_param_allows_utf8_in_quoted_value(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(form_header_param("form-data; filename=\"r\xc3\xa9"
					   "sum\xc3\xa9.pdf\"",
					   "filename", out, sizeof(out)),
			 12);
	assert_string_equal(out, "r\xc3\xa9sum\xc3\xa9.pdf");
}

static void
media_type_is_compares_case_insensitively_ignoring_params(void **state)
{
	(void)state;
	assert_true(form_media_type_is("multipart/form-data; boundary=x",
				       "multipart/form-data"));
	assert_true(form_media_type_is(" Multipart/Form-Data ",
				       "multipart/form-data"));
	assert_true(form_media_type_is("application/x-www-form-urlencoded",
				       "application/x-www-form-urlencoded"));
}

static void
media_type_is_rejects_other_types(void **state)
{
	(void)state;
	assert_false(form_media_type_is("multipart/form-data-x",
					"multipart/form-data"));
	assert_false(form_media_type_is("multipart/form",
					"multipart/form-data"));
	assert_false(form_media_type_is("text/plain", "multipart/form-data"));
	assert_false(form_media_type_is("", "multipart/form-data"));
	assert_false(form_media_type_is(NULL, "multipart/form-data"));
}

/* ---- multipart ---- */

struct parts {
	struct buf log;  /* the events, one line each */
	struct buf data; /* the current part's body */
	int data_calls;  /* part_data calls in the current part */
	int abort_in;    /* 1 begin, 2 data, 3 end: return non-zero there */
};

static int
record_begin(void *arg, const char *name, const char *filename,
	     const char *content_type)
{
	struct parts *p = arg;

	buf_puts(&p->log, "begin name=");
	put_escaped(&p->log, name, strlen(name));
	buf_puts(&p->log, " filename=");
	if (filename)
		put_escaped(&p->log, filename, strlen(filename));
	else
		buf_puts(&p->log, "(none)");
	buf_puts(&p->log, " type=");
	buf_puts(&p->log, content_type ? content_type : "(none)");
	buf_putc(&p->log, '\n');
	buf_reset(&p->data);
	p->data_calls = 0;
	return p->abort_in == 1;
}

static int
record_data(void *arg, const char *data, size_t n)
{
	struct parts *p = arg;

	assert_true(n > 0);
	buf_put(&p->data, data, n);
	p->data_calls++;
	return p->abort_in == 2;
}

static int
record_end(void *arg)
{
	struct parts *p = arg;

	buf_puts(&p->log, "data=");
	put_escaped(&p->log, p->data.data ? p->data.data : "", p->data.len);
	buf_puts(&p->log, "\nend\n");
	return p->abort_in == 3;
}

static const struct multipart_cb record_cb = {record_begin, record_data,
					      record_end};

/*
 * Feeds body[0..n) to a new parser in chunks of chunk bytes (all at once
 * when 0), then finishes.  Returns the first error; p->log holds the
 * events.
 */
static enum form_err
parse_multipart(const char *boundary, const struct form_limits *lim,
		const char *body, size_t n, size_t chunk, struct parts *p)
{
	struct multipart *mp = multipart_new(boundary, lim, &record_cb, p);
	enum form_err err = FORM_OK;
	size_t off = 0;

	assert_non_null(mp);
	if (chunk == 0)
		chunk = n ? n : 1;
	while (off < n && err == FORM_OK) {
		size_t k = n - off < chunk ? n - off : chunk;

		err = multipart_feed(mp, body + off, k);
		off += k;
	}
	if (err == FORM_OK)
		err = multipart_finish(mp);
	multipart_free(mp);
	return err;
}

static void
parts_free(struct parts *p)
{
	buf_free(&p->log);
	buf_free(&p->data);
}

/* Parses a C-string body whole; checks the result and (if given) log. */
static void
check_multipart(const char *boundary, const struct form_limits *lim,
		const char *body, enum form_err want, const char *log)
{
	struct parts p = {BUF_INIT, BUF_INIT, 0, 0};

	assert_int_equal(parse_multipart(boundary, lim, body, strlen(body), 0,
					 &p),
			 want);
	if (log)
		assert_string_equal(buf_cstr(&p.log), log);
	parts_free(&p);
}

#define B "----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define CD "Content-Disposition: form-data; "

/*
 * A body as Chromium sends it: text fields (one with CRLFs and UTF-8), a
 * PDF whose bytes hold NUL, CR, and near-misses of the delimiter, and an
 * empty file input.
 */
static const char browser_body[] =
	"--" B "\r\n"
	CD "name=\"organisation\"\r\n"
	"\r\n"
	"Alliance of NGOs on Crime Prevention & Criminal Justice\r\n"
	"--" B "\r\n"
	CD "name=\"country\"\r\n"
	"\r\n"
	"AT\r\n"
	"--" B "\r\n"
	CD "name=\"statement\"\r\n"
	"\r\n"
	"Line one\r\nLine two \xe2\x80\x94 \xc3\xbcn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9\r\n"
	"\r\n"
	"--" B "\r\n"
	CD "name=\"report\"; filename=\"annual report 2025.pdf\"\r\n"
	"Content-Type: application/pdf\r\n"
	"\r\n"
	"%PDF-1.4\r\n\0\x01\xff\r\r\r\n-\r\n--\r\n"
	"--" "----WebKitFormBoundary7MA4YWxkTrZu0g" "X" /* last byte differs */
	"\r\n-" B "\r"                             /* one dash short */
	"x--" B "\r\n---\r\n%%EOF\r"               /* no CRLF before */
	"\r\n"
	"--" B "\r\n"
	CD "name=\"photo\"; filename=\"\"\r\n"
	"Content-Type: application/octet-stream\r\n"
	"\r\n"
	"\r\n"
	"--" B "--\r\n";

static const char browser_log[] =
	"begin name=organisation filename=(none) type=(none)\n"
	"data=Alliance of NGOs on Crime Prevention & Criminal Justice\n"
	"end\n"
	"begin name=country filename=(none) type=(none)\n"
	"data=AT\n"
	"end\n"
	"begin name=statement filename=(none) type=(none)\n"
	"data=Line one\\x0d\\x0aLine two \\xe2\\x80\\x94 "
	"\\xc3\\xbcn\\xc3\\xafc\\xc3\\xb6d\\xc3\\xa9\\x0d\\x0a\n"
	"end\n"
	"begin name=report filename=annual report 2025.pdf "
	"type=application/pdf\n"
	"data=%PDF-1.4\\x0d\\x0a\\x00\\x01\\xff\\x0d\\x0d\\x0d\\x0a-\\x0d\\x0a"
	"--\\x0d\\x0a------WebKitFormBoundary7MA4YWxkTrZu0gX\\x0d\\x0a"
	"-" B "\\x0dx--" B "\\x0d\\x0a---\\x0d\\x0a%%EOF\\x0d\n"
	"end\n"
	"begin name=photo filename= type=application/octet-stream\n"
	"data=\n"
	"end\n";

static void
multipart_parses_browser_body(void **state)
{
	struct parts p = {BUF_INIT, BUF_INIT, 0, 0};

	(void)state;
	assert_int_equal(parse_multipart(B, &lim_default, browser_body,
					 sizeof(browser_body) - 1, 0, &p),
			 FORM_OK);
	assert_string_equal(buf_cstr(&p.log), browser_log);
	parts_free(&p);
}

static void
multipart_gives_same_result_for_every_chunk_size(void **state)
{
	(void)state;
	for (size_t chunk = 1; chunk <= 64; chunk++) {
		struct parts p = {BUF_INIT, BUF_INIT, 0, 0};

		assert_int_equal(parse_multipart(B, &lim_default, browser_body,
						 sizeof(browser_body) - 1,
						 chunk, &p),
				 FORM_OK);
		assert_string_equal(buf_cstr(&p.log), browser_log);
		parts_free(&p);
	}
}

static void
multipart_handles_boundary_split_across_chunks(void **state)
{
	static const char body[] = "--xyz\r\n" CD "name=\"a\"\r\n\r\n"
				   "v\r\n--xyz\r\n" CD "name=\"b\"\r\n\r\n"
				   "w\r\n--xyz--";
	const char *log = "begin name=a filename=(none) type=(none)\n"
			  "data=v\nend\n"
			  "begin name=b filename=(none) type=(none)\n"
			  "data=w\nend\n";
	size_t n = sizeof(body) - 1;

	(void)state;
	/* every cut of the body into two feeds, which includes a cut at
	 * every byte of each delimiter */
	for (size_t cut = 0; cut <= n; cut++) {
		struct parts p = {BUF_INIT, BUF_INIT, 0, 0};
		struct multipart *mp = multipart_new("xyz", &lim_default,
						     &record_cb, &p);

		assert_int_equal(multipart_feed(mp, body, cut), FORM_OK);
		assert_int_equal(multipart_feed(mp, body + cut, n - cut),
				 FORM_OK);
		assert_int_equal(multipart_finish(mp), FORM_OK);
		assert_string_equal(buf_cstr(&p.log), log);
		multipart_free(mp);
		parts_free(&p);
	}
}

static void
multipart_streams_file_data_before_the_part_ends(void **state)
{
	static const char head[] = "--b\r\n" CD "name=\"f\"; filename=\"x\"\r\n"
				   "\r\n";
	struct parts p = {BUF_INIT, BUF_INIT, 0, 0};
	struct multipart *mp = multipart_new("b", &lim_default, &record_cb,
					     &p);
	char block[4096];

	(void)state;
	memset(block, 'z', sizeof(block));
	assert_int_equal(multipart_feed(mp, head, sizeof(head) - 1), FORM_OK);
	assert_int_equal(multipart_feed(mp, block, sizeof(block)), FORM_OK);
	/* all of it but a possible delimiter prefix has been handed over */
	assert_int_equal(p.data.len, sizeof(block));
	assert_int_equal(multipart_feed(mp, "\r\n--b--", 7), FORM_OK);
	assert_int_equal(multipart_finish(mp), FORM_OK);
	assert_int_equal(p.data.len, sizeof(block));
	multipart_free(mp);
	parts_free(&p);
}

static void
multipart_hands_over_text_values_in_one_call(void **state)
{
	static const char body[] = "--b\r\n" CD "name=\"t\"\r\n\r\n"
				   "hello, world\r\n--b--";
	struct parts p = {BUF_INIT, BUF_INIT, 0, 0};

	(void)state;
	assert_int_equal(parse_multipart("b", &lim_default, body,
					 sizeof(body) - 1, 1, &p),
			 FORM_OK);
	assert_int_equal(p.data_calls, 1);
	assert_string_equal(p.data.data, "hello, world");
	parts_free(&p);
}

static void
multipart_ignores_preamble_and_epilogue(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"This is a preamble.\r\n-- b or b-- are not delimiters\r\n"
			"--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n--b--\r\n"
			"This is the epilogue; --b\r\n is ignored.",
			FORM_OK,
			"begin name=a filename=(none) type=(none)\n"
			"data=1\nend\n");
}

static void
multipart_rejects_boundary_in_preamble_without_line_end(void **state)
{
	(void)state;
	/* "\r\n--b" followed by anything but padding, CRLF or "--" is not
	 * a delimiter line: the body is malformed */
	check_multipart("b", &lim_default,
			"preamble\r\n--bx\r\n--b\r\n" CD "name=\"a\"\r\n\r\n"
			"1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_accepts_transport_padding(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b \t \r\n" CD "name=\"a\"\r\n\r\n1\r\n--b-- \r\n",
			FORM_OK,
			"begin name=a filename=(none) type=(none)\n"
			"data=1\nend\n");
}

static void
multipart_accepts_a_form_without_parts(void **state)
{
	(void)state;
	check_multipart("b", &lim_default, "--b--\r\n", FORM_OK, "");
}

static void
multipart_accepts_empty_value(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n\r\n\r\n--b--", FORM_OK,
			"begin name=a filename=(none) type=(none)\n"
			"data=\nend\n");
}

static void
multipart_accepts_boundary_of_70_characters(void **state)
{
	char boundary[71], body[256];

	(void)state;
	memset(boundary, 'q', 70);
	boundary[70] = '\0';
	snprintf(body, sizeof(body),
		 "--%s\r\n" CD "name=\"a\"\r\n\r\n1\r\n--%s--", boundary,
		 boundary);
	check_multipart(boundary, &lim_default, body, FORM_OK,
			"begin name=a filename=(none) type=(none)\n"
			"data=1\nend\n");
}

static void
multipart_new_rejects_bad_boundaries(void **state)
{
	char b71[72];

	(void)state;
	memset(b71, 'q', 71);
	b71[71] = '\0';
	assert_null(multipart_new("", &lim_default, &record_cb, NULL));
	assert_null(multipart_new(NULL, &lim_default, &record_cb, NULL));
	assert_null(multipart_new(b71, &lim_default, &record_cb, NULL));
	assert_null(multipart_new("a\r\nb", &lim_default, &record_cb, NULL));
	assert_null(multipart_new("ab ", &lim_default, &record_cb, NULL));
	assert_null(multipart_new("a\"b", &lim_default, &record_cb, NULL));
}

static void
multipart_accepts_boundary_with_rfc2046_punctuation(void **state)
{
	(void)state;
	check_multipart("a'()+_,-./:=? z", &lim_default,
			"--a'()+_,-./:=? z\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
			"--a'()+_,-./:=? z--",
			FORM_OK, NULL);
}

static void
multipart_decodes_quoted_name_and_filename(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n"
			"content-disposition: FORM-DATA; filename=\"a\\\"b.txt\";"
			" name=\"f\\\\1\"\r\n"
			"content-type: text/plain; charset=utf-8\r\n\r\n"
			"x\r\n--b--",
			FORM_OK,
			"begin name=f\\x5c1 filename=a\"b.txt "
			"type=text/plain; charset=utf-8\n"
			"data=x\nend\n");
}

static void
multipart_gives_default_type_to_file_without_one(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"f\"; filename=\"a.bin\"\r\n\r\n"
			"x\r\n--b--",
			FORM_OK,
			"begin name=f filename=a.bin "
			"type=application/octet-stream\n"
			"data=x\nend\n");
}

static void
multipart_ignores_content_type_of_text_parts(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"t\"\r\n"
			"Content-Type: text/plain; charset=utf-8\r\n\r\n"
			"x\r\n--b--",
			FORM_OK,
			"begin name=t filename=(none) type=(none)\n"
			"data=x\nend\n");
}

static void
multipart_treats_extended_filename_alone_as_file(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"f\"; filename*=UTF-8''a%20b\r\n\r\n"
			"x\r\n--b--",
			FORM_OK,
			"begin name=f filename= type=application/octet-stream\n"
			"data=x\nend\n");
}

static void
multipart_ignores_unknown_part_headers(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\nX-Whatever: \"odd; value\r\n" CD "name=\"a\"\r\n"
			"Content-Transfer-Encoding: binary\r\n\r\n1\r\n--b--",
			FORM_OK,
			"begin name=a filename=(none) type=(none)\n"
			"data=1\nend\n");
}

static void
multipart_rejects_missing_close_delimiter(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n", FORM_BAD_MULTIPART,
			NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n--b\r\n",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n--b-",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_empty_body(void **state)
{
	(void)state;
	check_multipart("b", &lim_default, "", FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default, "no delimiter at all",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_garbage_after_delimiter(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n--bb\r\n",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n--b-x",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default, "--b x\r\n", FORM_BAD_MULTIPART,
			NULL);
}

static void
multipart_rejects_bare_lf_line_endings(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\n" CD "name=\"a\"\n\n1\n--b--\n",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_oversized_part_headers(void **state)
{
	struct buf body = BUF_INIT;
	struct parts p = {BUF_INIT, BUF_INIT, 0, 0};
	/* the limit covers the header lines and the blank line after them */
	const size_t max = 8192;
	size_t fixed = strlen(CD "name=\"a\"\r\n" "X-Pad: \r\n" "\r\n");

	(void)state;
	buf_puts(&body, "--b\r\n" CD "name=\"a\"\r\nX-Pad: ");
	for (size_t i = 0; i < max - fixed; i++)
		buf_putc(&body, 'p');
	buf_puts(&body, "\r\n\r\n1\r\n--b--");
	assert_int_equal(parse_multipart("b", &lim_default, body.data,
					 body.len, 7, &p),
			 FORM_OK);
	parts_free(&p);

	buf_reset(&body);
	buf_puts(&body, "--b\r\n" CD "name=\"a\"\r\nX-Pad: ");
	for (size_t i = 0; i < max - fixed + 1; i++)
		buf_putc(&body, 'p');
	buf_puts(&body, "\r\n\r\n1\r\n--b--");
	assert_int_equal(parse_multipart("b", &lim_default, body.data,
					 body.len, 7, &p),
			 FORM_BAD_MULTIPART);
	parts_free(&p);

	/* never ending header block, fed one byte at a time */
	buf_reset(&body);
	buf_puts(&body, "--b\r\n");
	for (size_t i = 0; i < 100000; i++)
		buf_putc(&body, 'h');
	assert_int_equal(parse_multipart("b", &lim_default, body.data,
					 body.len, 1, &p),
			 FORM_BAD_MULTIPART);
	parts_free(&p);
	buf_free(&body);
}

static void
multipart_rejects_part_without_content_disposition(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default, "--b\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_part_without_name(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\nContent-Disposition: form-data; "
			"filename=\"a\"\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_disposition_other_than_form_data(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\nContent-Disposition: attachment; "
			"name=\"a\"\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_malformed_disposition(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"; filename=\"x\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"; name=\"b\"\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_repeated_part_headers(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n" CD "name=\"b\"\r\n\r\n"
			"1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"; filename=\"f\"\r\n"
			"Content-Type: a/b\r\nContent-Type: c/d\r\n\r\n"
			"1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
}

static void
multipart_rejects_malformed_header_lines(void **state)
{
	(void)state;
	/* no colon */
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\nnonsense\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
	/* obsolete line folding */
	check_multipart("b", &lim_default,
			"--b\r\nContent-Disposition: form-data;\r\n"
			" name=\"a\"\r\n\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
	/* space before the colon */
	check_multipart("b", &lim_default,
			"--b\r\nContent-Disposition : form-data; name=\"a\"\r\n"
			"\r\n1\r\n--b--",
			FORM_BAD_MULTIPART, NULL);
	/* a NUL inside a header */
	{
		static const char body[] = "--b\r\n" CD "name=\"a\0\"\r\n\r\n"
					   "1\r\n--b--";
		struct parts p = {BUF_INIT, BUF_INIT, 0, 0};

		assert_int_equal(parse_multipart("b", &lim_default, body,
						 sizeof(body) - 1, 0, &p),
				 FORM_BAD_MULTIPART);
		parts_free(&p);
	}
}

static void
multipart_rejects_too_many_parts(void **state)
{
	struct form_limits lim = {2, 100, 100};
	const char *two = "--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
			  "--b\r\n" CD "name=\"b\"\r\n\r\n2\r\n--b--";
	const char *three = "--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n"
			    "--b\r\n" CD "name=\"b\"\r\n\r\n2\r\n"
			    "--b\r\n" CD "name=\"c\"; filename=\"c\"\r\n\r\n"
			    "3\r\n--b--";

	(void)state;
	check_multipart("b", &lim, two, FORM_OK, NULL);
	check_multipart("b", &lim, three, FORM_TOO_MANY_FIELDS, NULL);
}

static void
multipart_rejects_name_too_long(void **state)
{
	struct form_limits lim = {10, 3, 100};

	(void)state;
	check_multipart("b", &lim,
			"--b\r\n" CD "name=\"abc\"\r\n\r\n1\r\n--b--", FORM_OK,
			NULL);
	check_multipart("b", &lim,
			"--b\r\n" CD "name=\"abcd\"\r\n\r\n1\r\n--b--",
			FORM_NAME_TOO_LONG, NULL);
}

static void
multipart_rejects_value_too_long(void **state)
{
	struct form_limits lim = {10, 10, 4};

	(void)state;
	check_multipart("b", &lim, "--b\r\n" CD "name=\"a\"\r\n\r\n1234\r\n--b--",
			FORM_OK, NULL);
	check_multipart("b", &lim,
			"--b\r\n" CD "name=\"a\"\r\n\r\n12345\r\n--b--",
			FORM_VALUE_TOO_LONG, NULL);
}

static void
multipart_rejects_value_too_long_before_the_body_ends(void **state)
{
	struct form_limits lim = {10, 10, 4};
	struct multipart *mp;
	struct parts p = {BUF_INIT, BUF_INIT, 0, 0};
	static const char head[] = "--b\r\n" CD "name=\"a\"\r\n\r\n";

	(void)state;
	mp = multipart_new("b", &lim, &record_cb, &p);
	assert_int_equal(multipart_feed(mp, head, sizeof(head) - 1), FORM_OK);
	assert_int_equal(multipart_feed(mp, "123456789", 9),
			 FORM_VALUE_TOO_LONG);
	multipart_free(mp);
	parts_free(&p);
}

static void
multipart_does_not_limit_file_parts(void **state)
{
	struct form_limits lim = {10, 10, 4};

	(void)state;
	check_multipart("b", &lim,
			"--b\r\n" CD "name=\"f\"; filename=\"f.txt\"\r\n\r\n"
			"0123456789\r\n--b--",
			FORM_OK, NULL);
}

static void
multipart_rejects_invalid_utf8(void **state)
{
	(void)state;
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"a\"\r\n\r\n\xc3(\r\n--b--",
			FORM_BAD_ENCODING, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"\xff\"\r\n\r\n1\r\n--b--",
			FORM_BAD_ENCODING, NULL);
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"f\"; filename=\"\xc0\xaf\"\r\n\r\n"
			"1\r\n--b--",
			FORM_BAD_ENCODING, NULL);
	/* file contents are bytes, not text */
	check_multipart("b", &lim_default,
			"--b\r\n" CD "name=\"f\"; filename=\"f\"\r\n\r\n"
			"\xc3(\r\n--b--",
			FORM_OK, NULL);
}

static void
multipart_fails_when_a_callback_aborts(void **state)
{
	static const char body[] = "--b\r\n" CD "name=\"f\"; filename=\"f\"\r\n"
				   "\r\nabc\r\n--b--";

	(void)state;
	for (int where = 1; where <= 3; where++) {
		struct parts p = {BUF_INIT, BUF_INIT, 0, where};

		assert_int_equal(parse_multipart("b", &lim_default, body,
						 sizeof(body) - 1, 0, &p),
				 FORM_BAD_MULTIPART);
		parts_free(&p);
	}
}

static void
multipart_accepts_nothing_after_an_error(void **state)
{
	static const char good[] = "--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n--b--";
	struct parts p = {BUF_INIT, BUF_INIT, 0, 0};
	struct multipart *mp = multipart_new("b", &lim_default, &record_cb,
					     &p);

	(void)state;
	assert_int_equal(multipart_feed(mp, "--b!", 4), FORM_BAD_MULTIPART);
	assert_int_equal(multipart_feed(mp, good, sizeof(good) - 1),
			 FORM_BAD_MULTIPART);
	assert_int_equal(multipart_finish(mp), FORM_BAD_MULTIPART);
	assert_string_equal(buf_cstr(&p.log), "");
	multipart_free(mp);
	parts_free(&p);
}

static void
multipart_accepts_null_callbacks(void **state)
{
	static const struct multipart_cb none = {NULL, NULL, NULL};
	struct multipart *mp = multipart_new("b", &lim_default, &none, NULL);
	static const char body[] = "--b\r\n" CD "name=\"a\"\r\n\r\n1\r\n--b--";

	(void)state;
	assert_int_equal(multipart_feed(mp, body, sizeof(body) - 1), FORM_OK);
	assert_int_equal(multipart_finish(mp), FORM_OK);
	multipart_free(mp);
}

static void
strerror_gives_a_sentence_for_every_error(void **state)
{
	(void)state;
	for (int e = FORM_OK; e <= FORM_BAD_MULTIPART; e++) {
		const char *s = form_strerror((enum form_err)e);

		assert_non_null(s);
		assert_true(strlen(s) > 5);
	}
	assert_string_equal(form_strerror(FORM_TOO_MANY_FIELDS),
			    "The form has too many fields.");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urlencoded_parses_pairs_in_order),
		cmocka_unit_test(urlencoded_decodes_plus_and_percent_escapes),
		cmocka_unit_test(
			urlencoded_decodes_encoded_ampersand_and_equals_inside_values),
		cmocka_unit_test(urlencoded_keeps_later_equals_signs_in_value),
		cmocka_unit_test(urlencoded_skips_empty_pairs),
		cmocka_unit_test(
			urlencoded_gives_empty_value_to_name_without_equals),
		cmocka_unit_test(urlencoded_accepts_empty_input),
		cmocka_unit_test(urlencoded_passes_nul_bytes_with_their_length),
		cmocka_unit_test(urlencoded_rejects_bad_percent_escape),
		cmocka_unit_test(urlencoded_rejects_invalid_utf8_after_decoding),
		cmocka_unit_test(
			urlencoded_reports_fields_before_the_first_error),
		cmocka_unit_test(urlencoded_rejects_too_many_fields),
		cmocka_unit_test(urlencoded_rejects_name_too_long_after_decoding),
		cmocka_unit_test(urlencoded_rejects_value_too_long),
		cmocka_unit_test(urlencoded_stops_when_callback_asks),
		cmocka_unit_test(urlencoded_reads_only_the_given_length),
		cmocka_unit_test(percent_decode_keeps_plus_unless_asked),
		cmocka_unit_test(percent_decode_accepts_either_case_of_hex),
		cmocka_unit_test(percent_decode_rejects_truncated_escape),
		cmocka_unit_test(header_param_reads_token_value),
		cmocka_unit_test(header_param_reads_quoted_value_with_escapes),
		cmocka_unit_test(header_param_matches_names_case_insensitively),
		cmocka_unit_test(header_param_reports_absent_param),
		cmocka_unit_test(header_param_does_not_match_a_longer_name),
		cmocka_unit_test(
			header_param_ignores_lookalikes_inside_quoted_strings),
		cmocka_unit_test(
			header_param_tolerates_spaces_and_trailing_semicolon),
		cmocka_unit_test(header_param_rejects_value_too_long_for_buffer),
		cmocka_unit_test(
			header_param_rejects_unterminated_quoted_string),
		cmocka_unit_test(header_param_rejects_repeated_param),
		cmocka_unit_test(header_param_rejects_malformed_headers),
		cmocka_unit_test(header_param_allows_utf8_in_quoted_value),
		cmocka_unit_test(
			media_type_is_compares_case_insensitively_ignoring_params),
		cmocka_unit_test(media_type_is_rejects_other_types),
		cmocka_unit_test(multipart_parses_browser_body),
		cmocka_unit_test(multipart_gives_same_result_for_every_chunk_size),
		cmocka_unit_test(multipart_handles_boundary_split_across_chunks),
		cmocka_unit_test(
			multipart_streams_file_data_before_the_part_ends),
		cmocka_unit_test(multipart_hands_over_text_values_in_one_call),
		cmocka_unit_test(multipart_ignores_preamble_and_epilogue),
		cmocka_unit_test(
			multipart_rejects_boundary_in_preamble_without_line_end),
		cmocka_unit_test(multipart_accepts_transport_padding),
		cmocka_unit_test(multipart_accepts_a_form_without_parts),
		cmocka_unit_test(multipart_accepts_empty_value),
		cmocka_unit_test(multipart_accepts_boundary_of_70_characters),
		cmocka_unit_test(multipart_new_rejects_bad_boundaries),
		cmocka_unit_test(
			multipart_accepts_boundary_with_rfc2046_punctuation),
		cmocka_unit_test(multipart_decodes_quoted_name_and_filename),
		cmocka_unit_test(
			multipart_gives_default_type_to_file_without_one),
		cmocka_unit_test(multipart_ignores_content_type_of_text_parts),
		cmocka_unit_test(
			multipart_treats_extended_filename_alone_as_file),
		cmocka_unit_test(multipart_ignores_unknown_part_headers),
		cmocka_unit_test(multipart_rejects_missing_close_delimiter),
		cmocka_unit_test(multipart_rejects_empty_body),
		cmocka_unit_test(multipart_rejects_garbage_after_delimiter),
		cmocka_unit_test(multipart_rejects_bare_lf_line_endings),
		cmocka_unit_test(multipart_rejects_oversized_part_headers),
		cmocka_unit_test(
			multipart_rejects_part_without_content_disposition),
		cmocka_unit_test(multipart_rejects_part_without_name),
		cmocka_unit_test(
			multipart_rejects_disposition_other_than_form_data),
		cmocka_unit_test(multipart_rejects_malformed_disposition),
		cmocka_unit_test(multipart_rejects_repeated_part_headers),
		cmocka_unit_test(multipart_rejects_malformed_header_lines),
		cmocka_unit_test(multipart_rejects_too_many_parts),
		cmocka_unit_test(multipart_rejects_name_too_long),
		cmocka_unit_test(multipart_rejects_value_too_long),
		cmocka_unit_test(
			multipart_rejects_value_too_long_before_the_body_ends),
		cmocka_unit_test(multipart_does_not_limit_file_parts),
		cmocka_unit_test(multipart_rejects_invalid_utf8),
		cmocka_unit_test(multipart_fails_when_a_callback_aborts),
		cmocka_unit_test(multipart_accepts_nothing_after_an_error),
		cmocka_unit_test(multipart_accepts_null_callbacks),
		cmocka_unit_test(strerror_gives_a_sentence_for_every_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
