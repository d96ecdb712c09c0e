/*
 * test_validate.c -- unit tests of validate.c: for every field type what it
 * accepts (and how it normalises it) and what it rejects (and with which
 * sentence), plus the exported predicates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "validate.h"

/* Validates the C string raw (NULL for absent) against f and checks that
 * it is accepted and normalised to want (NULL: accepted as absent). */
static void
accepts(const struct field *f, const char *raw, const char *want)
{
	struct value v;
	const char *msg = "unset";
	int r;

	r = validate_field(f, raw, raw ? strlen(raw) : 0, &v, &msg);
	if (r != 0)
		fail_msg("\"%s\" rejected: %s", raw ? raw : "(null)", msg);
	assert_null(msg);
	if (want == NULL) {
		assert_false(v.present);
		assert_null(v.str);
	} else {
		assert_true(v.present);
		assert_string_equal(v.str, want);
	}
	value_clear(&v);
}

/* Checks that raw is rejected with the sentence want. */
static void
rejects(const struct field *f, const char *raw, const char *want)
{
	struct value v;
	const char *msg = NULL;
	int r;

	r = validate_field(f, raw, raw ? strlen(raw) : 0, &v, &msg);
	if (r != -1)
		fail_msg("\"%s\" accepted as \"%s\"", raw ? raw : "(null)",
			 v.str ? v.str : "");
	assert_non_null(msg);
	assert_string_equal(msg, want);
	assert_false(v.present);
	assert_null(v.str);
}

/* The number a value was read as. */
static int64_t
num_of(const struct field *f, const char *raw)
{
	struct value v;
	const char *msg;
	int64_t n;

	assert_int_equal(validate_field(f, raw, strlen(raw), &v, &msg), 0);
	n = v.num;
	value_clear(&v);
	return n;
}

#define FIELD(t) {.name = "f", .type = (t), .label = "Field"}
#define REQUIRED(t) \
	{.name = "f", .type = (t), .flags = FIELD_REQUIRED, .label = "Field"}

/* ---- presence ---- */

static void
absent_or_empty_value_is_accepted_when_optional(void **state)
{
	static const struct field f = FIELD(FT_TEXT);
	static const struct field i = FIELD(FT_INT);

	(void)state;
	accepts(&f, NULL, NULL);
	accepts(&f, "", NULL);
	accepts(&f, "  \t ", NULL);
	accepts(&i, "", NULL);
}

static void
absent_or_empty_value_is_rejected_when_required(void **state)
{
	static const struct field f = REQUIRED(FT_TEXT);
	static const struct field e = REQUIRED(FT_EMAIL);
	static const struct field b = REQUIRED(FT_BOOL);

	(void)state;
	rejects(&f, NULL, "is required");
	rejects(&f, "", "is required");
	rejects(&f, " \r\n ", "is required");
	rejects(&e, "", "is required");
	rejects(&b, NULL, "is required");
}

/* ---- text ---- */

static void
text_is_trimmed(void **state)
{
	static const struct field f = FIELD(FT_TEXT);

	(void)state;
	accepts(&f, "  UNODC Vienna \t", "UNODC Vienna");
	accepts(&f, "Caf\xc3\xa9 \xe2\x80\x94 \xe4\xb8\xad\xe6\x96\x87",
		"Caf\xc3\xa9 \xe2\x80\x94 \xe4\xb8\xad\xe6\x96\x87");
}

static void
text_rejects_invalid_utf8(void **state)
{
	static const struct field f = FIELD(FT_TEXT);

	(void)state;
	rejects(&f, "caf\xe9", "must be valid UTF-8 text");
	rejects(&f, "\xc0\xaf", "must be valid UTF-8 text");
	rejects(&f, "\xed\xa0\x80", "must be valid UTF-8 text");
}

static void
text_rejects_control_characters(void **state)
{
	static const struct field f = FIELD(FT_TEXT);
	const char *msg = "must be a single line without control characters";

	(void)state;
	rejects(&f, "two\nlines", msg);
	rejects(&f, "tab\there", msg);
	rejects(&f, "bell\a", msg);
	rejects(&f, "del\x7f", msg);
	rejects(&f, "c1\xc2\x85", msg); /* U+0085 NEXT LINE */
}

static void
text_rejects_nul_byte(void **state)
{
	static const struct field f = FIELD(FT_TEXT);
	struct value v;
	const char *msg;

	(void)state;
	assert_int_equal(validate_field(&f, "a\0b", 3, &v, &msg), -1);
	assert_string_equal(msg,
			    "must be a single line without control characters");
}

static void
text_rejects_more_than_default_200_bytes(void **state)
{
	static const struct field f = FIELD(FT_TEXT);
	char s[202];

	(void)state;
	memset(s, 'a', 200);
	s[200] = '\0';
	accepts(&f, s, s);
	s[200] = 'a';
	s[201] = '\0';
	rejects(&f, s, "must be at most 200 characters");
}

static void
text_counts_maxlen_in_bytes(void **state)
{
	static const struct field f = {.name = "f", .type = FT_TEXT,
				       .maxlen = 4};

	(void)state;
	accepts(&f, "\xc3\xa9\xc3\xa9", "\xc3\xa9\xc3\xa9");
	/* three characters but six bytes: no claim about characters */
	rejects(&f, "\xc3\xa9\xc3\xa9\xc3\xa9", "is too long");
	/* an unusual limit on ASCII text */
	rejects(&f, "abcde", "is too long");
}

static void
text_applies_maxlen_after_trimming(void **state)
{
	static const struct field f = {.name = "f", .type = FT_TEXT,
				       .maxlen = 20};

	(void)state;
	accepts(&f, "     twenty chars exactly  ", "twenty chars exactly");
	rejects(&f, "twenty-one characters", "must be at most 20 characters");
}

/* ---- textarea ---- */

static void
textarea_normalises_line_endings(void **state)
{
	static const struct field f = FIELD(FT_TEXTAREA);

	(void)state;
	accepts(&f, "one\r\ntwo\rthree\nfour", "one\ntwo\nthree\nfour");
}

static void
textarea_allows_tabs_and_newlines(void **state)
{
	static const struct field f = FIELD(FT_TEXTAREA);

	(void)state;
	accepts(&f, "a\tb\n\nc", "a\tb\n\nc");
}

static void
textarea_drops_blank_lines_around_but_keeps_indentation(void **state)
{
	static const struct field f = FIELD(FT_TEXTAREA);

	(void)state;
	accepts(&f, "\r\n \r\n    code\n  more\r\n\r\n  ",
		"    code\n  more");
}

static void
textarea_rejects_other_control_characters(void **state)
{
	static const struct field f = FIELD(FT_TEXTAREA);

	(void)state;
	rejects(&f, "a\x1b[31mred", "must not contain control characters");
	rejects(&f, "form\ffeed inside", "must not contain control characters");
}

static void
textarea_rejects_invalid_utf8(void **state)
{
	static const struct field f = FIELD(FT_TEXTAREA);

	(void)state;
	rejects(&f, "ok\n\xff", "must be valid UTF-8 text");
}

static void
textarea_allows_20000_bytes_by_default(void **state)
{
	static const struct field f = FIELD(FT_TEXTAREA);
	struct buf b = BUF_INIT;

	(void)state;
	for (int i = 0; i < 10000; i++)
		buf_puts(&b, "x\n");
	b.data[b.len - 1] = 'x'; /* no trailing newline to trim */
	accepts(&f, b.data, b.data);
	buf_putc(&b, 'y');
	rejects(&f, b.data, "must be at most 20000 characters");
	buf_free(&b);
}

static void
textarea_counts_maxlen_after_normalising_newlines(void **state)
{
	static const struct field f = {.name = "f", .type = FT_TEXTAREA,
				       .maxlen = 3};

	(void)state;
	accepts(&f, "a\r\nb", "a\nb");
}

/* ---- integers ---- */

static void
int_accepts_decimal_integers(void **state)
{
	static const struct field f = FIELD(FT_INT);

	(void)state;
	accepts(&f, "42", "42");
	accepts(&f, " -7 ", "-7");
	accepts(&f, "+0012", "12");
	accepts(&f, "9223372036854775807", "9223372036854775807");
	accepts(&f, "-9223372036854775808", "-9223372036854775808");
	assert_int_equal(num_of(&f, "-9223372036854775808"), INT64_MIN);
}

static void
int_rejects_non_numbers_and_overflow(void **state)
{
	static const struct field f = FIELD(FT_INT);
	const char *msg = "must be a whole number like 42";

	(void)state;
	rejects(&f, "4.2", msg);
	rejects(&f, "1e3", msg);
	rejects(&f, "0x10", msg);
	rejects(&f, "12abc", msg);
	rejects(&f, "-", msg);
	rejects(&f, "1 000", msg);
	rejects(&f, "9223372036854775808", msg);
	rejects(&f, "-9223372036854775809", msg);
	rejects(&f, "99999999999999999999999", msg);
}

static void
int_enforces_bounds(void **state)
{
	static const struct field f = {.name = "f", .type = FT_INT,
				       .min = 1, .max = 10};
	static const struct field neg = {.name = "f", .type = FT_INT,
					 .min = -5, .max = 0};

	(void)state;
	accepts(&f, "1", "1");
	accepts(&f, "10", "10");
	rejects(&f, "0", "is outside the allowed range");
	rejects(&f, "11", "is outside the allowed range");
	accepts(&neg, "-5", "-5");
	rejects(&neg, "1", "is outside the allowed range");
}

/* ---- sums of money ---- */

static void
money_accepts_units_decimals_and_thousands_separators(void **state)
{
	static const struct field f = FIELD(FT_MONEY);

	(void)state;
	accepts(&f, "150", "150.00");
	accepts(&f, "150.5", "150.50");
	accepts(&f, "150.50", "150.50");
	accepts(&f, "150.05", "150.05");
	accepts(&f, "1,250.00", "1250.00");
	accepts(&f, "1,250", "1250.00");
	accepts(&f, "12,345,678.9", "12345678.90");
	accepts(&f, " 0 ", "0.00");
	accepts(&f, "0.01", "0.01");
	accepts(&f, "007", "7.00");
	assert_int_equal(num_of(&f, "150"), 15000);
	assert_int_equal(num_of(&f, "150.5"), 15050);
	assert_int_equal(num_of(&f, "150.50"), 15050);
	assert_int_equal(num_of(&f, "1,250.00"), 125000);
	assert_int_equal(num_of(&f, "0.01"), 1);
	/* exact where binary floating point is not: 0.29 * 100 = 28.999... */
	assert_int_equal(num_of(&f, "0.29"), 29);
	assert_int_equal(num_of(&f, "1,234,567.89"), 123456789);
}

static void
money_reads_the_largest_sum_and_refuses_one_cent_more(void **state)
{
	static const struct field f = FIELD(FT_MONEY);

	(void)state;
	accepts(&f, "999,999,999,999.99", "999999999999.99");
	assert_int_equal(num_of(&f, "999999999999.99"), VALIDATE_MONEY_MAX);
	rejects(&f, "1,000,000,000,000", "is more than the largest sum allowed");
	rejects(&f, "1000000000000.00", "is more than the largest sum allowed");
	/* far past int64 is "too large", never a wrapped number */
	rejects(&f, "99999999999999999999999999999",
		"is more than the largest sum allowed");
	rejects(&f, "18446744073709551617", "is more than the largest sum allowed");
}

static void
money_rejects_negative_sums_third_decimals_and_other_text(void **state)
{
	static const struct field f = FIELD(FT_MONEY);
	const char *msg = "must be a sum like 150, 150.50 or 1,250.00 (a point "
			  "before the cents, commas only between thousands)";

	(void)state;
	rejects(&f, "-5", "cannot be negative");
	rejects(&f, "-0.50", "cannot be negative");
	rejects(&f, "150.505", "can have at most two decimals (cents), like 150.50");
	rejects(&f, "0.001", "can have at most two decimals (cents), like 150.50");
	rejects(&f, "abc", msg);
	rejects(&f, "150 USD", msg);
	rejects(&f, "$150", msg);
	rejects(&f, "+150", msg);
	rejects(&f, "1e3", msg);
	rejects(&f, "0x10", msg);
	rejects(&f, "1 250", msg);
	rejects(&f, "150.", msg);
	rejects(&f, ".50", msg);
	rejects(&f, "1.2.3", msg);
	rejects(&f, "150,50", msg);   /* a decimal comma, not a grouping */
	rejects(&f, "1.250,00", msg); /* the European way round */
	rejects(&f, "1,25", msg);
	rejects(&f, "1,2500", msg);
	rejects(&f, "1250,000", msg);
	rejects(&f, ",250", msg);
	rejects(&f, "1,,250", msg);
	rejects(&f, "1,250,", msg);
	rejects(&f, "1,250.5x", msg);
	rejects(&f, "-", msg);
	rejects(&f, "\xef\xbc\x91\xef\xbc\x95\xef\xbc\x90", msg); /* fullwidth */
}

static void
money_enforces_bounds_in_minor_units(void **state)
{
	static const struct field pledge = {.name = "f", .type = FT_MONEY,
					    .min = 1, .max = 1000000000};
	static const struct field dues = {.name = "f", .type = FT_MONEY,
					  .min = 0, .max = 1000000000};
	static const struct field floor = {.name = "f", .type = FT_MONEY,
					   .min = 500, .max = 1000};

	(void)state;
	accepts(&pledge, "0.01", "0.01");
	accepts(&pledge, "10,000,000", "10000000.00");
	rejects(&pledge, "0", "must be more than zero");
	rejects(&pledge, "0.00", "must be more than zero");
	rejects(&pledge, "10,000,000.01", "is more than the largest sum allowed");
	accepts(&dues, "0", "0.00");
	rejects(&floor, "4.99", "is less than the smallest sum allowed");
	accepts(&floor, "5", "5.00");
	accepts(&floor, "10.00", "10.00");
	rejects(&floor, "10.01", "is more than the largest sum allowed");
}

static void
money_canonical_form_reads_back_to_itself(void **state)
{
	static const struct field f = FIELD(FT_MONEY);
	static const char *const typed[] = {"150", "150.5", "1,250.00", "0.07",
					    "999,999.99", NULL};

	(void)state;
	for (size_t i = 0; typed[i]; i++) {
		struct value v, again;
		const char *msg;

		assert_int_equal(validate_field(&f, typed[i], strlen(typed[i]),
						&v, &msg), 0);
		assert_int_equal(validate_field(&f, v.str, strlen(v.str),
						&again, &msg), 0);
		assert_string_equal(again.str, v.str);
		assert_int_equal(again.num, v.num);
		value_clear(&v);
		value_clear(&again);
	}
}

/* ---- booleans ---- */

static void
bool_reads_checkbox_values(void **state)
{
	static const struct field f = FIELD(FT_BOOL);

	(void)state;
	assert_int_equal(num_of(&f, "1"), 1);
	assert_int_equal(num_of(&f, "on"), 1);
	assert_int_equal(num_of(&f, "True"), 1);
	assert_int_equal(num_of(&f, "YES"), 1);
	assert_int_equal(num_of(&f, "0"), 0);
	assert_int_equal(num_of(&f, "off"), 0);
	assert_int_equal(num_of(&f, "false"), 0);
	assert_int_equal(num_of(&f, "no"), 0);
	accepts(&f, "on", "1");
	accepts(&f, "", NULL);
}

static void
bool_rejects_other_words(void **state)
{
	static const struct field f = FIELD(FT_BOOL);

	(void)state;
	rejects(&f, "2", "must be yes or no");
	rejects(&f, "onn", "must be yes or no");
	rejects(&f, "y", "must be yes or no");
}

/* ---- email ---- */

static void
email_accepts_addresses_and_lowercases_domain(void **state)
{
	static const struct field f = FIELD(FT_EMAIL);

	(void)state;
	accepts(&f, "info@ngoalliance.org", "info@ngoalliance.org");
	accepts(&f, " Jane.Doe+cpcj@Example.ORG ", "Jane.Doe+cpcj@example.org");
	accepts(&f, "o'brien@mail.example.co.uk", "o'brien@mail.example.co.uk");
	accepts(&f, "a@b-c.d1", "a@b-c.d1");
	accepts(&f, "x@xn--80ak6aa92e.com", "x@xn--80ak6aa92e.com");
}

static void
email_accepts_idn_domain_in_utf8(void **state)
{
	static const struct field f = FIELD(FT_EMAIL);

	(void)state;
	accepts(&f, "info@b\xc3\xbc" "cher.de", "info@b\xc3\xbc" "cher.de");
	assert_true(valid_email("a@\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5"
				"\xd1\x80.\xd1\x80\xd1\x84",
				strlen("a@\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0"
				       "\xb5\xd1\x80.\xd1\x80\xd1\x84")));
}

static void
email_rejects_malformed_addresses(void **state)
{
	static const struct field f = FIELD(FT_EMAIL);
	const char *msg = "must be an email address like name@example.org";

	(void)state;
	rejects(&f, "plainaddress", msg);
	rejects(&f, "@example.org", msg);
	rejects(&f, "a@", msg);
	rejects(&f, "a@localhost", msg);
	rejects(&f, "a@@example.org", msg);
	rejects(&f, "a@b@example.org", msg);
	rejects(&f, ".a@example.org", msg);
	rejects(&f, "a.@example.org", msg);
	rejects(&f, "a..b@example.org", msg);
	rejects(&f, "a b@example.org", msg);
	rejects(&f, "\"quoted\"@example.org", msg);
	rejects(&f, "a@-example.org", msg);
	rejects(&f, "a@example-.org", msg);
	rejects(&f, "a@example..org", msg);
	rejects(&f, "a@example.org.", msg);
	rejects(&f, "a@.example.org", msg);
	rejects(&f, "a@exa_mple.org", msg);
	rejects(&f, "a@1.2.3.4", msg);
	rejects(&f, "a@[1.2.3.4]", msg);
	rejects(&f, "j\xc3\xb6rg@example.org", msg);
	rejects(&f, "a@b\xff.de", msg);
}

static void
email_rejects_overlong_parts(void **state)
{
	static const struct field f = FIELD(FT_EMAIL);
	char local[80], label[80], addr[400];

	(void)state;
	memset(local, 'l', 65);
	local[65] = '\0';
	snprintf(addr, sizeof(addr), "%s@example.org", local);
	rejects(&f, addr, "must be an email address like name@example.org");
	local[64] = '\0';
	snprintf(addr, sizeof(addr), "%s@example.org", local);
	accepts(&f, addr, addr);

	memset(label, 'd', 64);
	label[64] = '\0';
	snprintf(addr, sizeof(addr), "a@%s.org", label);
	rejects(&f, addr, "must be an email address like name@example.org");

	/* valid labels, 254 bytes in all, then 255 */
	memset(label, 'd', 63);
	label[63] = '\0';
	local[27] = '\0';
	snprintf(addr, sizeof(addr), "%s@%s.%s.%s.%.30s.org", local, label,
		 label, label, label);
	assert_int_equal(strlen(addr), 254);
	accepts(&f, addr, addr);
	local[27] = 'l';
	local[28] = '\0';
	snprintf(addr, sizeof(addr), "%s@%s.%s.%s.%.30s.org", local, label,
		 label, label, label);
	assert_int_equal(strlen(addr), 255);
	rejects(&f, addr, "must be at most 254 characters");
}

static void
email_honours_a_smaller_maxlen(void **state)
{
	static const struct field f = {.name = "f", .type = FT_EMAIL,
				       .maxlen = 50};
	static const struct field big = {.name = "f", .type = FT_EMAIL,
					 .maxlen = 1000};
	char addr[300];

	(void)state;
	rejects(&f, "a-rather-longer-mailbox-name-for-testing@example.org",
		"must be at most 50 characters");
	memset(addr, 'a', 60);
	snprintf(addr + 60, sizeof(addr) - 60, "@%0200d.org", 0);
	/* the 254 byte cap of an address holds whatever maxlen says */
	rejects(&big, addr, "must be at most 254 characters");
}

/* ---- URL ---- */

static void
url_accepts_http_and_https_and_lowercases_host(void **state)
{
	static const struct field f = FIELD(FT_URL);

	(void)state;
	accepts(&f, "https://www.unodc.org/", "https://www.unodc.org/");
	accepts(&f, "HTTP://WWW.UNODC.ORG/Path?Q=A#Frag",
		"http://www.unodc.org/Path?Q=A#Frag");
	accepts(&f, "https://example.org", "https://example.org");
	accepts(&f, "https://example.org:8443/a?b=c&d=%20",
		"https://example.org:8443/a?b=c&d=%20");
	accepts(&f, "http://192.168.1.10/x", "http://192.168.1.10/x");
	accepts(&f, "http://[2001:db8::1]:8080/", "http://[2001:db8::1]:8080/");
	accepts(&f, "https://b\xc3\xbc" "cher.de/\xc3\xa9t\xc3\xa9",
		"https://b\xc3\xbc" "cher.de/\xc3\xa9t\xc3\xa9");
	accepts(&f, "https://example.org?x", "https://example.org?x");
}

static void
url_rejects_other_schemes_and_malformed_urls(void **state)
{
	static const struct field f = FIELD(FT_URL);
	const char *msg =
		"must be a web address starting with https:// or http://";

	(void)state;
	rejects(&f, "javascript:alert(1)", msg);
	rejects(&f, "ftp://example.org/", msg);
	rejects(&f, "www.example.org", msg);
	rejects(&f, "//example.org/", msg);
	rejects(&f, "https://", msg);
	rejects(&f, "https:///path", msg);
	rejects(&f, "https://localhost/", msg);
	rejects(&f, "https://user:pw@example.org/", msg);
	rejects(&f, "https://example.org/a b", msg);
	rejects(&f, "https://example.org/<script>", msg);
	rejects(&f, "https://example.org:0/", msg);
	rejects(&f, "https://example.org:65536/", msg);
	rejects(&f, "https://example.org:/", msg);
	rejects(&f, "https://example.org:80x/", msg);
	rejects(&f, "https://256.1.1.1/", msg);
	rejects(&f, "https://[zz::1]/", msg);
	rejects(&f, "https://[::1/", msg);
	rejects(&f, "https://exa_mple.org/", msg);
	rejects(&f, "https://example.org/\x01", msg);
	rejects(&f, "https://example.org/\xff", msg);
}

/* ---- dates ---- */

static void
date_accepts_real_dates(void **state)
{
	static const struct field f = FIELD(FT_DATE);
	int y, m, d;

	(void)state;
	accepts(&f, "2026-03-31", "2026-03-31");
	accepts(&f, "2024-02-29", "2024-02-29");
	accepts(&f, "2000-02-29", "2000-02-29");
	accepts(&f, "1999-12-31", "1999-12-31");
	assert_int_equal(num_of(&f, "2026-03-31"), 20260331);
	assert_true(valid_date("0001-01-01", 10, &y, &m, &d));
	assert_int_equal(y, 1);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	assert_true(valid_date("9999-12-31", 10, NULL, NULL, NULL));
}

static void
date_rejects_impossible_dates(void **state)
{
	static const struct field f = FIELD(FT_DATE);
	const char *msg = "must be a date like 2026-03-31";

	(void)state;
	rejects(&f, "2026-02-29", msg);
	rejects(&f, "1900-02-29", msg);
	rejects(&f, "2100-02-29", msg);
	rejects(&f, "2026-04-31", msg);
	rejects(&f, "2026-13-01", msg);
	rejects(&f, "2026-00-10", msg);
	rejects(&f, "2026-01-00", msg);
	rejects(&f, "2026-01-32", msg);
	rejects(&f, "0000-01-01", msg);
}

static void
date_rejects_other_formats(void **state)
{
	static const struct field f = FIELD(FT_DATE);
	const char *msg = "must be a date like 2026-03-31";

	(void)state;
	rejects(&f, "31/03/2026", msg);
	rejects(&f, "2026-3-31", msg);
	rejects(&f, "2026-03-31T10:00", msg);
	rejects(&f, "+026-03-31", msg);
	rejects(&f, "2026/03/31", msg);
	rejects(&f, "20260331", msg);
	rejects(&f, "2026-0a-31", msg);
}

/* ---- years ---- */

static void
year_accepts_default_range_1900_to_2100(void **state)
{
	static const struct field f = FIELD(FT_YEAR);

	(void)state;
	accepts(&f, "1900", "1900");
	accepts(&f, "2100", "2100");
	assert_int_equal(num_of(&f, "2026"), 2026);
	rejects(&f, "1899", "is outside the allowed range of years");
	rejects(&f, "2101", "is outside the allowed range of years");
}

static void
year_honours_bounds(void **state)
{
	static const struct field f = {.name = "f", .type = FT_YEAR,
				       .min = 1945, .max = 2030};

	(void)state;
	accepts(&f, "1945", "1945");
	rejects(&f, "1944", "is outside the allowed range of years");
	rejects(&f, "2031", "is outside the allowed range of years");
}

static void
year_keeps_its_four_digits(void **state)
{
	static const struct field f = {.name = "f", .type = FT_YEAR,
				       .min = 1, .max = 3000};

	(void)state;
	accepts(&f, "0236", "0236");
	assert_int_equal(num_of(&f, "0236"), 236);
}

static void
year_rejects_non_years(void **state)
{
	static const struct field f = FIELD(FT_YEAR);

	(void)state;
	rejects(&f, "26", "must be a year like 2026");
	rejects(&f, "02026", "must be a year like 2026");
	rejects(&f, "20x6", "must be a year like 2026");
	rejects(&f, "-2026", "must be a year like 2026");
}

/* ---- choices ---- */

static const char *const statuses[] = {"general", "special", "roster",
				       NULL};

static void
choice_accepts_listed_values_exactly(void **state)
{
	static const struct field f = {.name = "f", .type = FT_CHOICE,
				       .choices = statuses};

	(void)state;
	accepts(&f, "special", "special");
	accepts(&f, " roster ", "roster");
}

static void
choice_rejects_unlisted_values(void **state)
{
	static const struct field f = {.name = "f", .type = FT_CHOICE,
				       .choices = statuses};

	(void)state;
	rejects(&f, "General", "must be one of the offered choices");
	rejects(&f, "gen", "must be one of the offered choices");
	rejects(&f, "generalx", "must be one of the offered choices");
	rejects(&f, "NULL", "must be one of the offered choices");
}

/* ---- slugs ---- */

static void
slug_accepts_and_lowercases(void **state)
{
	static const struct field f = FIELD(FT_SLUG);

	(void)state;
	accepts(&f, "crime-prevention", "crime-prevention");
	accepts(&f, "sdg16", "sdg16");
	accepts(&f, "2026-ccpcj", "2026-ccpcj");
	accepts(&f, "Restorative-Justice", "restorative-justice");
	assert_true(valid_slug("a", 1));
	assert_false(valid_slug("A", 1));
}

static void
slug_rejects_other_characters(void **state)
{
	static const struct field f = FIELD(FT_SLUG);
	const char *msg = "must contain only lower-case letters, digits and "
			  "hyphens, starting with a letter or digit";

	(void)state;
	rejects(&f, "-leading", msg);
	rejects(&f, "under_score", msg);
	rejects(&f, "with space", msg);
	rejects(&f, "dot.ted", msg);
	rejects(&f, "caf\xc3\xa9", msg);
	rejects(&f, "../etc", msg);
}

/* ---- countries ---- */

static void
country_accepts_assigned_codes_and_uppercases(void **state)
{
	static const struct field f = FIELD(FT_COUNTRY);

	(void)state;
	accepts(&f, "AT", "AT");
	accepts(&f, "us", "US");
	accepts(&f, "Ss", "SS");
	accepts(&f, "AX", "AX");
	accepts(&f, "ZW", "ZW");
}

/* A client that posts the name a person typed saves the code: any case,
 * any accents, the English name (no catalog is loaded here). */
static void
country_accepts_a_name_folded(void **state)
{
	static const struct field f = FIELD(FT_COUNTRY);

	(void)state;
	accepts(&f, "Austria", "AT");
	accepts(&f, "AUSTRIA", "AT");
	accepts(&f, "  austria  ", "AT");
	accepts(&f, "cote d'ivoire", "CI");
	accepts(&f, "Åland Islands", "AX");
	accepts(&f, "aland islands", "AX");
}

static void
country_rejects_unassigned_and_reserved_codes(void **state)
{
	static const struct field f = FIELD(FT_COUNTRY);
	const char *msg = "must name a known country, like Austria or AT";

	(void)state;
	rejects(&f, "UK", msg); /* exceptionally reserved */
	rejects(&f, "EU", msg);
	rejects(&f, "XK", msg); /* user-assigned */
	rejects(&f, "ZZ", msg);
	rejects(&f, "AUT", msg);
	rejects(&f, "A", msg);
	rejects(&f, "A1", msg);
	rejects(&f, "Austr", msg); /* a name is whole, not a prefix */
	rejects(&f, "Atlantis", msg);
}

static void
country_list_has_exactly_249_codes(void **state)
{
	int count = 0;
	char code[2];

	(void)state;
	for (code[0] = 'A'; code[0] <= 'Z'; code[0]++)
		for (code[1] = 'A'; code[1] <= 'Z'; code[1]++)
			count += valid_country(code, 2);
	assert_int_equal(count, 249);
}

/* ---- files and values ---- */

static void
file_keeps_what_the_http_layer_passes(void **state)
{
	static const struct field f = FIELD(FT_FILE);
	static const struct field r = REQUIRED(FT_FILE);

	(void)state;
	accepts(&f, "ab12cd34", "ab12cd34");
	accepts(&f, NULL, NULL);
	rejects(&r, NULL, "is required");
}

static void
value_clear_frees_and_empties(void **state)
{
	static const struct field f = FIELD(FT_TEXT);
	struct value v;
	const char *msg;

	(void)state;
	assert_int_equal(validate_field(&f, "x", 1, &v, &msg), 0);
	value_clear(&v);
	assert_false(v.present);
	assert_null(v.str);
	value_clear(&v); /* twice is harmless */
}

static void
validation_reads_only_the_given_length(void **state)
{
	static const struct field f = FIELD(FT_INT);
	struct value v;
	const char *msg;

	(void)state;
	assert_int_equal(validate_field(&f, "12abc", 2, &v, &msg), 0);
	assert_int_equal(v.num, 12);
	value_clear(&v);
}

/* A module's own type, as the calendar will add time zones: three
 * letters, upper-cased, at most maxlen bytes (default 3). */
static const char *
check_code(const struct field *f, const char *s, size_t n, size_t maxlen,
	   struct value *out)
{
	if (n > maxlen)
		return "is too long";
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return "must be letters";
	out->present = 1;
	out->str = xstrndup(s, n);
	for (size_t i = 0; i < n; i++)
		if (out->str[i] >= 'a')
			out->str[i] = (char)(out->str[i] - 'a' + 'A');
	return NULL;
}

static const struct field_kind code_kind = {"code", 3, FIELD_TRIM, check_code};

static void
a_module_adds_its_own_field_type(void **state)
{
	const struct field f = {.name = "code", .kind = &code_kind};
	const struct field req = {.name = "code", .kind = &code_kind,
				  .flags = FIELD_REQUIRED};
	const struct field longer = {.name = "code", .kind = &code_kind,
				     .maxlen = 5};

	accepts(&f, "  eur ", "EUR"); /* trimmed as its kind says */
	accepts(&f, "", NULL);        /* empty and optional: absent */
	accepts(&f, NULL, NULL);
	rejects(&req, "", "is required");
	rejects(&f, "euro", "is too long"); /* the kind's default maxlen */
	accepts(&longer, "euros", "EUROS");  /* the field's own maxlen */
	rejects(&f, "e1", "must be letters");
	assert_string_equal(validate_type_name(&f), "code");
	assert_ptr_equal(validate_kind(&f), &code_kind);
	/* built-in types are kinds too */
	assert_string_equal(validate_type_name(&(struct field){.type = FT_MONEY}),
			    "money");
	assert_null(validate_kind(&(struct field){.type = (enum field_type)99}));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			absent_or_empty_value_is_accepted_when_optional),
		cmocka_unit_test(
			absent_or_empty_value_is_rejected_when_required),
		cmocka_unit_test(text_is_trimmed),
		cmocka_unit_test(text_rejects_invalid_utf8),
		cmocka_unit_test(text_rejects_control_characters),
		cmocka_unit_test(text_rejects_nul_byte),
		cmocka_unit_test(text_rejects_more_than_default_200_bytes),
		cmocka_unit_test(text_counts_maxlen_in_bytes),
		cmocka_unit_test(text_applies_maxlen_after_trimming),
		cmocka_unit_test(textarea_normalises_line_endings),
		cmocka_unit_test(textarea_allows_tabs_and_newlines),
		cmocka_unit_test(
			textarea_drops_blank_lines_around_but_keeps_indentation),
		cmocka_unit_test(textarea_rejects_other_control_characters),
		cmocka_unit_test(textarea_rejects_invalid_utf8),
		cmocka_unit_test(textarea_allows_20000_bytes_by_default),
		cmocka_unit_test(
			textarea_counts_maxlen_after_normalising_newlines),
		cmocka_unit_test(int_accepts_decimal_integers),
		cmocka_unit_test(int_rejects_non_numbers_and_overflow),
		cmocka_unit_test(int_enforces_bounds),
		cmocka_unit_test(
			money_accepts_units_decimals_and_thousands_separators),
		cmocka_unit_test(
			money_reads_the_largest_sum_and_refuses_one_cent_more),
		cmocka_unit_test(
			money_rejects_negative_sums_third_decimals_and_other_text),
		cmocka_unit_test(money_enforces_bounds_in_minor_units),
		cmocka_unit_test(money_canonical_form_reads_back_to_itself),
		cmocka_unit_test(bool_reads_checkbox_values),
		cmocka_unit_test(bool_rejects_other_words),
		cmocka_unit_test(email_accepts_addresses_and_lowercases_domain),
		cmocka_unit_test(email_accepts_idn_domain_in_utf8),
		cmocka_unit_test(email_rejects_malformed_addresses),
		cmocka_unit_test(email_rejects_overlong_parts),
		cmocka_unit_test(email_honours_a_smaller_maxlen),
		cmocka_unit_test(
			url_accepts_http_and_https_and_lowercases_host),
		cmocka_unit_test(url_rejects_other_schemes_and_malformed_urls),
		cmocka_unit_test(date_accepts_real_dates),
		cmocka_unit_test(date_rejects_impossible_dates),
		cmocka_unit_test(date_rejects_other_formats),
		cmocka_unit_test(year_accepts_default_range_1900_to_2100),
		cmocka_unit_test(year_honours_bounds),
		cmocka_unit_test(year_keeps_its_four_digits),
		cmocka_unit_test(year_rejects_non_years),
		cmocka_unit_test(choice_accepts_listed_values_exactly),
		cmocka_unit_test(choice_rejects_unlisted_values),
		cmocka_unit_test(slug_accepts_and_lowercases),
		cmocka_unit_test(slug_rejects_other_characters),
		cmocka_unit_test(country_accepts_assigned_codes_and_uppercases),
		cmocka_unit_test(country_accepts_a_name_folded),
		cmocka_unit_test(country_rejects_unassigned_and_reserved_codes),
		cmocka_unit_test(country_list_has_exactly_249_codes),
		cmocka_unit_test(file_keeps_what_the_http_layer_passes),
		cmocka_unit_test(value_clear_frees_and_empties),
		cmocka_unit_test(validation_reads_only_the_given_length),
		cmocka_unit_test(a_module_adds_its_own_field_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
