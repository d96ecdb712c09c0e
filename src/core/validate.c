/*
 * validate.c -- the validators behind declared input fields (see
 * validate.h).
 *
 * validate_field() takes one raw, already percent-decoded value and either
 * fills a struct value with a normalised copy or names what was expected in
 * a static sentence the caller prefixes with the field's label ("Email must
 * be an email address like name@example.org").  The predicates it is built
 * on (valid_email, valid_http_url, valid_date, valid_slug, valid_country)
 * are exported for reuse.  Nothing here allocates except the normalised
 * copy, and nothing does I/O.
 *
 * What every type accepts, in short:
 *  - every value is first trimmed of ASCII whitespace at both ends (a
 *    textarea keeps the indentation of its first line and only loses blank
 *    lines before it); an absent or empty value is an error only when the
 *    field is FIELD_REQUIRED;
 *  - text must be valid UTF-8 without control characters (Unicode Cc: C0,
 *    DEL, C1); a textarea may hold \t and \n, and \r\n or a lone \r become
 *    \n;
 *  - maxlen counts bytes of the normalised value; 0 means the default of
 *    the type (see default_maxlen());
 *  - emails are a pragmatic addr-spec, described above valid_email();
 *  - URLs are absolute http or https URLs, described above
 *    valid_http_url();
 *  - sums of money are read digit by digit into minor units, described
 *    above parse_money().
 */
#include "validate.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "countries.h"
#include "i18n.h"
#include "util.h"

/* Messages: the caller puts the field's label in front, both translated
 * where they are shown (N_ only marks them, i18n.h). */
#define MSG_REQUIRED    N_("is required")
#define MSG_UTF8        N_("must be valid UTF-8 text")
#define MSG_CONTROL     N_("must be a single line without control characters")
#define MSG_CONTROL_ML  N_("must not contain control characters")
#define MSG_TOO_LONG    N_("is too long")
#define MSG_INT         N_("must be a whole number like 42")
#define MSG_RANGE       N_("is outside the allowed range")
#define MSG_BOOL        N_("must be yes or no")
#define MSG_EMAIL       N_("must be an email address like name@example.org")
#define MSG_URL         N_("must be a web address starting with https:// or http://")
#define MSG_DATE        N_("must be a date like 2026-03-31")
#define MSG_YEAR        N_("must be a year like 2026")
#define MSG_YEAR_RANGE  N_("is outside the allowed range of years")
#define MSG_CHOICE      N_("must be one of the offered choices")
#define MSG_SLUG        N_("must contain only lower-case letters, digits and " \
			"hyphens, starting with a letter or digit")
#define MSG_COUNTRY N_("must name a known country, like Austria or AT")
#define MSG_INVALID     N_("is not a valid value")
#define MSG_MONEY       N_("must be a sum like 150, 150.50 or 1,250.00 (a point " \
			"before the cents, commas only between thousands)")
#define MSG_MONEY_NEGATIVE N_("cannot be negative")
#define MSG_MONEY_CENTS N_("can have at most two decimals (cents), like 150.50")
#define MSG_MONEY_LARGE N_("is more than the largest sum allowed")
#define MSG_MONEY_SMALL N_("is less than the smallest sum allowed")
#define MSG_MONEY_ZERO  N_("must be more than zero")
#define MSG_PASSWORD_SHORT N_("must be at least 12 characters long")
#define MSG_PASSWORD_LONG  N_("must be at most 128 characters long")

/* Length limits worth a precise sentence; others say MSG_TOO_LONG. */
static const struct {
	size_t max;
	const char *msg;
} too_long_msgs[] = {
	{20, N_("must be at most 20 characters")},
	{30, N_("must be at most 30 characters")},
	{40, N_("must be at most 40 characters")},
	{50, N_("must be at most 50 characters")},
	{60, N_("must be at most 60 characters")},
	{64, N_("must be at most 64 characters")},
	{80, N_("must be at most 80 characters")},
	{100, N_("must be at most 100 characters")},
	{120, N_("must be at most 120 characters")},
	{128, N_("must be at most 128 characters")},
	{150, N_("must be at most 150 characters")},
	{160, N_("must be at most 160 characters")},
	{200, N_("must be at most 200 characters")},
	{250, N_("must be at most 250 characters")},
	{254, N_("must be at most 254 characters")},
	{255, N_("must be at most 255 characters")},
	{256, N_("must be at most 256 characters")},
	{300, N_("must be at most 300 characters")},
	{400, N_("must be at most 400 characters")},
	{500, N_("must be at most 500 characters")},
	{1000, N_("must be at most 1000 characters")},
	{2000, N_("must be at most 2000 characters")},
	{2048, N_("must be at most 2048 characters")},
	{5000, N_("must be at most 5000 characters")},
	{10000, N_("must be at most 10000 characters")},
	{20000, N_("must be at most 20000 characters")},
	{50000, N_("must be at most 50000 characters")},
	{100000, N_("must be at most 100000 characters")},
};

/*
 * The sentence for a value of len bytes over max.  maxlen counts bytes, so
 * "at most N characters" is only said when the value is ASCII (one byte,
 * one character); otherwise, or for an unusual N, "is too long".
 */
static const char *
too_long_msg(size_t max, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return MSG_TOO_LONG;
	for (size_t i = 0; i < ARRAY_LEN(too_long_msgs); i++)
		if (too_long_msgs[i].max == max)
			return too_long_msgs[i].msg;
	return MSG_TOO_LONG;
}

static int
is_ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
to_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int
to_upper(int c)
{
	return (c >= 'a' && c <= 'z') ? c - ('a' - 'A') : c;
}

/* 1 when s[0..n) equals the C string lit ignoring ASCII case. */
static int
caseeq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n && lit[i]; i++)
		if (to_lower((unsigned char)s[i]) != lit[i])
			return 0;
	return i == n && lit[i] == '\0';
}

/*
 * Finds the first control character (Unicode Cc: U+0000-001F, U+007F,
 * U+0080-009F) in valid UTF-8 s[0..n) that is not in allow.  Returns 1 when
 * one is found.
 */
static int
has_control(const char *s, size_t n, const char *allow)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			if (c == '\0' || strchr(allow, c) == NULL)
				return 1;
		} else if (c == 0xc2 && i + 1 < n &&
			   (unsigned char)s[i + 1] <= 0x9f) {
			return 1; /* C1: U+0080..U+009F */
		}
	}
	return 0;
}

/* ---- dates ---- */

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n decimal digits; -1 when one is not a digit. */
static int
digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * 1 when s[0..n) is YYYY-MM-DD naming a day of the proleptic Gregorian
 * calendar, years 0001 to 9999.  Sets *y, *m, *d when they are not NULL.
 */
int
valid_date(const char *s, size_t n, int *y, int *m, int *d)
{
	int yy, mm, dd;

	if (s == NULL || n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	yy = digits(s, 4);
	mm = digits(s + 5, 2);
	dd = digits(s + 8, 2);
	if (yy < 1 || mm < 1 || mm > 12 || dd < 1 ||
	    dd > days_in_month(yy, mm))
		return 0;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return 1;
}

/* ---- slugs and countries ---- */

/* 1 when s[0..n) is [a-z0-9-]+ starting with a letter or digit. */
int
valid_slug(const char *s, size_t n)
{
	if (s == NULL || n == 0 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(is_digit((unsigned char)s[i]) ||
		      (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

/* The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted. */
static const char countries[][3] = {
	"AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS",
	"AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG",
	"BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT",
	"BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI",
	"CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY",
	"CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH",
	"ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB",
	"GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ",
	"GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT",
	"HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
	"JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP",
	"KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS",
	"LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH",
	"MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU",
	"MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
	"NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
	"PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA",
	"RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG",
	"SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
	"SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK",
	"TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG",
	"UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU",
	"WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

static int
country_cmp(const void *key, const void *elem)
{
	return memcmp(key, elem, 2);
}

/* 1 when s[0..n) is an assigned ISO 3166-1 alpha-2 code, in either case. */
int
valid_country(const char *s, size_t n)
{
	char key[2];

	if (s == NULL || n != 2 || !is_alpha((unsigned char)s[0]) ||
	    !is_alpha((unsigned char)s[1]))
		return 0;
	key[0] = (char)to_upper((unsigned char)s[0]);
	key[1] = (char)to_upper((unsigned char)s[1]);
	return bsearch(key, countries, ARRAY_LEN(countries),
		       sizeof(countries[0]), country_cmp) != NULL;
}

/* ---- host names, emails, URLs ---- */

/*
 * 1 when s[0..n) is a domain name as people type it: at least two labels
 * separated by dots (no trailing dot), each of 1 to 63 bytes of ASCII
 * letters, digits and hyphens, or of non-ASCII UTF-8 (an IDN typed in its
 * own script), not starting or ending with a hyphen; at most 253 bytes; the
 * last label is not all digits (that would be an IP address).
 */
static int
valid_domain(const char *s, size_t n)
{
	size_t i = 0, labels = 0;
	int all_digits = 0;

	if (n == 0 || n > 253 || !utf8_valid(s, n))
		return 0;
	while (i <= n) {
		size_t start = i;

		all_digits = 1;
		while (i < n && s[i] != '.') {
			unsigned char c = (unsigned char)s[i];

			if (!(is_alpha(c) || is_digit(c) || c == '-' ||
			      c >= 0x80))
				return 0;
			if (!is_digit(c))
				all_digits = 0;
			i++;
		}
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return 0;
		labels++;
		i++; /* past the dot, or past the end */
	}
	return labels >= 2 && !all_digits;
}

/* RFC 5322 atext */
static int
is_atext(int c)
{
	return is_alpha(c) || is_digit(c) ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/*
 * A pragmatic addr-spec: local@domain, at most 254 bytes.  The local part
 * is a dot-atom of 1 to 64 ASCII bytes (atext, dots not first, last or
 * doubled; no quoted strings, no comments); the domain is valid_domain()
 * (so no IP literals, no single-label hosts).  What this accepts, a mail
 * server accepts.
 */
int
valid_email(const char *s, size_t n)
{
	const char *at;
	size_t llen;

	if (s == NULL || n < 3 || n > 254)
		return 0;
	at = memchr(s, '@', n);
	if (at == NULL)
		return 0;
	llen = (size_t)(at - s);
	if (llen == 0 || llen > 64 || s[0] == '.' || s[llen - 1] == '.')
		return 0;
	for (size_t i = 0; i < llen; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return 0;
		} else if (!is_atext((unsigned char)s[i])) {
			return 0;
		}
	}
	return valid_domain(at + 1, n - llen - 1);
}

/* 1 when s[0..n) is a dotted-quad IPv4 address, each part 0..255 without
 * leading zeros. */
static int
valid_ipv4(const char *s, size_t n)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t start = i;
		int v = 0;

		while (i < n && is_digit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return 0;
		if (part < 3) {
			if (i >= n || s[i] != '.')
				return 0;
			i++;
		}
	}
	return i == n;
}

/* A loose check of a bracketed IPv6 literal's inside: hex digits, colons
 * and dots, with at least two colons. */
static int
valid_ipv6ish(const char *s, size_t n)
{
	size_t colons = 0;

	if (n < 2 || n > 45)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ':')
			colons++;
		else if (!(is_digit(c) || (to_lower(c) >= 'a' &&
					   to_lower(c) <= 'f') || c == '.'))
			return 0;
	}
	return colons >= 2;
}

/*
 * Splits an http(s) URL s[0..n) and checks it.  Sets *host and *hlen to
 * the host (brackets included for IPv6).  Returns 1 when valid.
 *
 * Accepted: "http://" or "https://" (any case), a host that is a domain
 * (valid_domain), a dotted-quad IPv4 address or a bracketed IPv6 literal,
 * an optional port 1..65535, then an optional path, query and fragment.
 * Refused: user:password@ before the host (a phishing device), and
 * anywhere: ASCII whitespace and control characters, invalid UTF-8, and
 * the characters " < > \ ` which no real link needs unescaped.
 */
static int
parse_http_url(const char *s, size_t n, const char **host, size_t *hlen)
{
	size_t i, hstart, hend;

	if (s == NULL || !utf8_valid(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f || strchr("\"<>\\`", c) != NULL)
			return 0;
	}
	if (n >= 7 && caseeq(s, 7, "http://"))
		i = 7;
	else if (n >= 8 && caseeq(s, 8, "https://"))
		i = 8;
	else
		return 0;
	hstart = i;
	while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
		i++;
	/* authority is s[hstart..i) */
	if (memchr(s + hstart, '@', i - hstart) != NULL)
		return 0;
	hend = i;
	if (hstart < i && s[hstart] == '[') {
		const char *rb = memchr(s + hstart, ']', i - hstart);

		if (rb == NULL || !valid_ipv6ish(s + hstart + 1,
						 (size_t)(rb - s) - hstart - 1))
			return 0;
		hend = (size_t)(rb - s) + 1;
	} else {
		const char *colon = memchr(s + hstart, ':', i - hstart);

		if (colon)
			hend = (size_t)(colon - s);
		if (!valid_domain(s + hstart, hend - hstart) &&
		    !valid_ipv4(s + hstart, hend - hstart))
			return 0;
	}
	if (hend < i) {
		/* ":port" */
		long port = 0;
		size_t p = hend + 1;

		if (s[hend] != ':' || p == i || i - p > 5)
			return 0;
		for (; p < i; p++) {
			if (!is_digit((unsigned char)s[p]))
				return 0;
			port = port * 10 + (s[p] - '0');
		}
		if (port < 1 || port > 65535)
			return 0;
	}
	*host = s + hstart;
	*hlen = hend - hstart;
	return 1;
}

int
valid_http_url(const char *s, size_t n)
{
	const char *host;
	size_t hlen;

	return parse_http_url(s, n, &host, &hlen);
}

/* ---- validate_field ---- */

/* Trims ASCII whitespace from both ends of *s, *n. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_ascii_space((unsigned char)(*s)[0]))
		(*s)++, (*n)--;
	while (*n > 0 && is_ascii_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Trims a textarea: trailing whitespace, and leading blank lines (the
 * first line with text keeps its indentation). */
static void
trim_lines(const char **s, size_t *n)
{
	size_t i = 0, keep = 0;

	while (i < *n && is_ascii_space((unsigned char)(*s)[i])) {
		if ((*s)[i] == '\n' || (*s)[i] == '\r')
			keep = i + 1;
		i++;
	}
	if (i == *n)
		keep = *n;
	*s += keep;
	*n -= keep;
	while (*n > 0 && is_ascii_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* A copy of s[0..n) with \r\n and lone \r turned into \n. */
static char *
normalise_newlines(const char *s, size_t n, size_t *len)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			out[o++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/* Parses an optionally signed decimal integer without overflow. */
static int
parse_int(const char *s, size_t n, int64_t *v)
{
	size_t i = 0;
	int neg = 0;
	uint64_t acc = 0, limit;

	if (n > 0 && (s[0] == '-' || s[0] == '+'))
		neg = s[0] == '-', i = 1;
	if (i == n)
		return 0;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;

		if (!is_digit((unsigned char)s[i]))
			return 0;
		d = (unsigned)(s[i] - '0');
		if (acc > (limit - d) / 10)
			return 0;
		acc = acc * 10 + d;
	}
	if (neg)
		*v = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
	else
		*v = (int64_t)acc;
	return 1;
}

/*
 * Reads a sum of money as people type it into minor units (cents), with
 * integers only: digits, optionally grouped by commas in threes after a
 * first group of one to three ("1,250"), then optionally a point and one
 * or two digits ("150.5" is 15050).  A minus sign, a third decimal, a
 * decimal comma ("150,50" is not a grouping), letters, spaces inside and
 * more than VALIDATE_MONEY_MAX are refused.  Returns NULL and sets *minor,
 * or the sentence saying what is wrong.
 */
static const char *
parse_money(const char *s, size_t n, int64_t *minor)
{
	size_t i = 0, group = 0, groups = 0;
	uint64_t units = 0, cents = 0;
	int too_large = 0;

	if (n > 1 && s[0] == '-' && is_digit((unsigned char)s[1]))
		return MSG_MONEY_NEGATIVE;
	/* the whole units, with their groups */
	for (; i < n && s[i] != '.'; i++) {
		if (s[i] == ',') {
			if (group == 0 || (groups == 0 ? group > 3 : group != 3))
				return MSG_MONEY;
			groups++;
			group = 0;
			continue;
		}
		if (!is_digit((unsigned char)s[i]))
			return MSG_MONEY;
		group++;
		if (units > (uint64_t)VALIDATE_MONEY_MAX / 100)
			too_large = 1; /* keep reading: the syntax first */
		else
			units = units * 10 + (uint64_t)(s[i] - '0');
	}
	if (group == 0 || (groups > 0 && group != 3))
		return MSG_MONEY;
	/* the cents */
	if (i < n) {
		size_t nd = 0;

		for (i++; i < n; i++, nd++)
			if (!is_digit((unsigned char)s[i]))
				return MSG_MONEY;
		if (nd == 0)
			return MSG_MONEY;
		if (nd > 2)
			return MSG_MONEY_CENTS;
		cents = (uint64_t)(s[n - nd] - '0') * 10;
		if (nd == 2)
			cents += (uint64_t)(s[n - 1] - '0');
	}
	if (too_large || units > (uint64_t)VALIDATE_MONEY_MAX / 100 ||
	    units * 100 + cents > (uint64_t)VALIDATE_MONEY_MAX)
		return MSG_MONEY_LARGE;
	*minor = (int64_t)(units * 100 + cents);
	return NULL;
}

/* Sets out to a present value holding a copy of s[0..n). */
static void
set_str(struct value *out, const char *s, size_t n)
{
	out->present = 1;
	out->str = xstrndup(s, n);
}

static void
set_num(struct value *out, int64_t v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	set_str(out, tmp, strlen(tmp));
	out->num = v;
}

/* A sum keeps two decimals: 15050 is "150.50". */
static void
set_money(struct value *out, int64_t minor)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld.%02d", (long long)(minor / 100),
		 (int)(minor % 100));
	set_str(out, tmp, strlen(tmp));
	out->num = minor;
}

/* A year keeps its four digits ("0236" would not read back as "236"). */
static void
set_year(struct value *out, const char *s, int y)
{
	set_str(out, s, 4);
	out->num = y;
}

size_t
utf8_length(const char *s, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xc0) != 0x80;
	return count;
}

/*
 * Validates raw[0..n) against f; see validate.h.  Every present value gets
 * a normalised str (numbers and booleans in canonical decimal form) owned by
 * the caller; num holds FT_INT, FT_YEAR and FT_BOOL values, minor units
 * for FT_MONEY, and YYYYMMDD for FT_DATE.  On failure *out is empty (value_clear is still safe).
 */
/*
 * The built-in field types, one checker each.  A checker is given the
 * value trimmed as its kind says and known not to be empty, and the
 * field's maxlen (the kind's default when the field gives 0); it fills out
 * and returns NULL, or returns the sentence that says what is expected.
 */

static const char *
check_password(const struct field *f, const char *s, size_t n, size_t maxlen,
	       struct value *out)
{
	if (!utf8_valid(s, n))
		return MSG_UTF8;
	if (has_control(s, n, ""))
		return MSG_CONTROL;
	if (utf8_length(s, n) < 12)
		return MSG_PASSWORD_SHORT;
	if (utf8_length(s, n) > 128 || n > 1024)
		return MSG_PASSWORD_LONG;
	set_str(out, s, n);
	return NULL;
}

static const char *
check_text(const struct field *f, const char *s, size_t n, size_t maxlen,
	   struct value *out)
{
	if (!utf8_valid(s, n))
		return MSG_UTF8;
	if (has_control(s, n, ""))
		return MSG_CONTROL;
	if (n > maxlen)
		return too_long_msg(maxlen, s, n);
	set_str(out, s, n);
	return NULL;
}

static const char *
check_textarea(const struct field *f, const char *s, size_t n, size_t maxlen,
	       struct value *out)
{
	size_t len;
	char *t;

	if (!utf8_valid(s, n))
		return MSG_UTF8;
	if (has_control(s, n, "\t\n\r"))
		return MSG_CONTROL_ML;
	t = normalise_newlines(s, n, &len);
	if (len > maxlen) {
		const char *msg = too_long_msg(maxlen, t, len);

		free(t);
		return msg;
	}
	out->present = 1;
	out->str = t;
	return NULL;
}

static const char *
check_int(const struct field *f, const char *s, size_t n, size_t maxlen,
	  struct value *out)
{
	int64_t v;

	if (!parse_int(s, n, &v))
		return MSG_INT;
	if ((f->min || f->max) && (v < f->min || v > f->max))
		return MSG_RANGE;
	set_num(out, v);
	return NULL;
}

static const char *
check_bool(const struct field *f, const char *s, size_t n, size_t maxlen,
	   struct value *out)
{
	if (caseeq(s, n, "1") || caseeq(s, n, "on") || caseeq(s, n, "true") ||
	    caseeq(s, n, "yes"))
		set_num(out, 1);
	else if (caseeq(s, n, "0") || caseeq(s, n, "off") ||
		 caseeq(s, n, "false") || caseeq(s, n, "no"))
		set_num(out, 0);
	else
		return MSG_BOOL;
	return NULL;
}

static const char *
check_email(const struct field *f, const char *s, size_t n, size_t maxlen,
	    struct value *out)
{
	const char *at;

	if (maxlen > 254)
		maxlen = 254;
	if (n > maxlen)
		return too_long_msg(maxlen, s, n);
	if (!valid_email(s, n))
		return MSG_EMAIL;
	/* lower-case the domain; the local part is the mailbox owner's
	 * business */
	at = memchr(s, '@', n);
	set_str(out, s, n);
	for (size_t i = (size_t)(at - s); i < n; i++)
		out->str[i] = (char)to_lower((unsigned char)out->str[i]);
	return NULL;
}

static const char *
check_url(const struct field *f, const char *s, size_t n, size_t maxlen,
	  struct value *out)
{
	const char *host;
	size_t hlen, hend;

	if (n > maxlen)
		return too_long_msg(maxlen, s, n);
	if (!parse_http_url(s, n, &host, &hlen))
		return MSG_URL;
	/* lower-case the scheme and the host */
	hend = (size_t)(host - s) + hlen;
	set_str(out, s, n);
	for (size_t i = 0; i < hend; i++)
		out->str[i] = (char)to_lower((unsigned char)out->str[i]);
	return NULL;
}

static const char *
check_date(const struct field *f, const char *s, size_t n, size_t maxlen,
	   struct value *out)
{
	int y, m, d;

	if (!valid_date(s, n, &y, &m, &d))
		return MSG_DATE;
	set_str(out, s, n);
	out->num = (int64_t)y * 10000 + m * 100 + d;
	return NULL;
}

static const char *
check_year(const struct field *f, const char *s, size_t n, size_t maxlen,
	   struct value *out)
{
	int64_t lo = f->min, hi = f->max;
	int y;

	if (lo == 0 && hi == 0)
		lo = 1900, hi = 2100;
	if (n != 4 || (y = digits(s, 4)) < 0)
		return MSG_YEAR;
	if (y < lo || y > hi)
		return MSG_YEAR_RANGE;
	set_year(out, s, y);
	return NULL;
}

static const char *
check_choice(const struct field *f, const char *s, size_t n, size_t maxlen,
	     struct value *out)
{
	assert(f->choices != NULL);
	for (size_t i = 0; f->choices[i] != NULL; i++) {
		if (strlen(f->choices[i]) == n &&
		    memcmp(f->choices[i], s, n) == 0) {
			set_str(out, s, n);
			return NULL;
		}
	}
	return MSG_CHOICE;
}

static const char *
check_slug(const struct field *f, const char *s, size_t n, size_t maxlen,
	   struct value *out)
{
	char *t;

	if (n > maxlen)
		return too_long_msg(maxlen, s, n);
	/* "Crime-Prevention" is forgiven as "crime-prevention" */
	t = xstrndup(s, n);
	for (size_t i = 0; i < n; i++)
		t[i] = (char)to_lower((unsigned char)t[i]);
	if (!valid_slug(t, n)) {
		free(t);
		return MSG_SLUG;
	}
	out->present = 1;
	out->str = t;
	return NULL;
}

static const char *
check_country(const struct field *f, const char *s, size_t n, size_t maxlen,
	      struct value *out)
{
	/* the code a <select> sends, or the name a client typed */
	const char *code = country_code_of(s, n);

	if (code == NULL)
		return MSG_COUNTRY;
	set_str(out, code, 2);
	return NULL;
}

static const char *
check_money(const struct field *f, const char *s, size_t n, size_t maxlen,
	    struct value *out)
{
	int64_t lo = f->min, hi = f->max, v;
	const char *msg;

	if (lo == 0 && hi == 0)
		hi = VALIDATE_MONEY_MAX;
	if ((msg = parse_money(s, n, &v)) != NULL)
		return msg;
	if (v > hi)
		return MSG_MONEY_LARGE;
	if (v < lo)
		return lo == 1 ? MSG_MONEY_ZERO : MSG_MONEY_SMALL;
	set_money(out, v);
	return NULL;
}

static const char *
check_file(const struct field *f, const char *s, size_t n, size_t maxlen,
	   struct value *out)
{
	/* the HTTP layer stored the upload and passes what names it */
	set_str(out, s, n);
	return NULL;
}

/* The built-in types, indexed by enum field_type. */
static const struct field_kind builtin[] = {
	[FT_TEXT] = {"text", 200, FIELD_TRIM, check_text},
	[FT_TEXTAREA] = {"textarea", 20000, FIELD_TRIM_LINES, check_textarea},
	[FT_INT] = {"int", 200, FIELD_TRIM, check_int},
	[FT_BOOL] = {"bool", 200, FIELD_TRIM, check_bool},
	[FT_EMAIL] = {"email", 254, FIELD_TRIM, check_email},
	[FT_URL] = {"url", 2000, FIELD_TRIM, check_url},
	[FT_DATE] = {"date", 200, FIELD_TRIM, check_date},
	[FT_YEAR] = {"year", 200, FIELD_TRIM, check_year},
	[FT_CHOICE] = {"choice", 200, FIELD_TRIM, check_choice},
	[FT_SLUG] = {"slug", 200, FIELD_TRIM, check_slug},
	[FT_COUNTRY] = {"country", 200, FIELD_TRIM, check_country},
	[FT_MONEY] = {"money", 200, FIELD_TRIM, check_money},
	[FT_FILE] = {"file", 200, FIELD_TRIM_NONE, check_file},
	[FT_PASSWORD] = {"password", 200, FIELD_TRIM_NONE, check_password},
};

const struct field_kind *
validate_kind(const struct field *f)
{
	if (f->kind != NULL)
		return f->kind;
	if ((size_t)f->type < ARRAY_LEN(builtin) && builtin[f->type].check)
		return &builtin[f->type];
	return NULL;
}

const char *
validate_type_name(const struct field *f)
{
	const struct field_kind *k = validate_kind(f);

	return k ? k->name : "?";
}

int
validate_field(const struct field *f, const char *raw, size_t n,
	       struct value *out, const char **msg)
{
	const struct field_kind *k;
	const char *s = raw;

	assert(f != NULL && out != NULL && msg != NULL);
	memset(out, 0, sizeof(*out));
	*msg = NULL;
	if ((k = validate_kind(f)) == NULL) {
		*msg = MSG_INVALID;
		return -1;
	}
	if (s == NULL)
		n = 0, s = "";
	if (k->trim == FIELD_TRIM_LINES)
		trim_lines(&s, &n);
	else if (k->trim == FIELD_TRIM)
		trim(&s, &n);
	if (n == 0) {
		if (f->flags & FIELD_REQUIRED) {
			*msg = MSG_REQUIRED;
			return -1;
		}
		return 0;
	}
	*msg = k->check(f, s, n, f->maxlen ? f->maxlen : k->default_maxlen,
			out);
	if (*msg != NULL) {
		value_clear(out);
		return -1;
	}
	return 0;
}

void
value_clear(struct value *v)
{
	if (v == NULL)
		return;
	free(v->str);
	memset(v, 0, sizeof(*v));
}
