/*
 * test_mail.c -- outgoing mail: the built message byte for byte against
 * golden files (tests/golden/mail/, read relative to the repository root,
 * where `make unit` runs); header values that survive RFC 2047 encoding
 * and folding; quoted-printable bodies with CRLF and lines of at most 76;
 * the outbox row and its delivery job written in the caller's transaction
 * (a rollback leaves neither); delivery into DATA/outbox/ as an .eml file;
 * a failing SMTP delivery recorded, retried and finally failed; the
 * outbox listing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/util.h"
#include "core/testdb.h"

#define GOLDEN_DIR "tests/golden/mail/"

enum stmt_test {
	T_COUNT_OUTBOX,
	T_COUNT_JOBS,
	T_OUTBOX,
	T_JOB,
	T__MAX
};
static const char *const test_sql_text[T__MAX] = {
	[T_COUNT_OUTBOX] = "SELECT count(*) FROM outbox",
	[T_COUNT_JOBS] = "SELECT count(*) FROM jobs",
	[T_OUTBOX] = "SELECT status, attempts, last_error, sent_at,"
		     " next_attempt_at, file, message, message_id, to_addr,"
		     " to_name, subject, created_at FROM outbox WHERE id = ?",
	[T_JOB] = "SELECT kind, payload, status, run_at FROM jobs"
		  " ORDER BY id DESC LIMIT 1",
};
static struct db_sql test_sql = {"test", test_sql_text, T__MAX, 0};

static struct config cfg;

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (testdb_open(f->dir, f->path, &f->db) != 0)
		return -1;
	config_defaults(&cfg);
	snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", f->dir);
	snprintf(cfg.base_url, sizeof(cfg.base_url),
		 "https://Alliance.Example:8443/base/");
	snprintf(cfg.mail_from, sizeof(cfg.mail_from),
		 "Alliance secretariat <secretariat@alliance.example>");
	config_current = &cfg;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (testdb_close(f->dir, f->db) != 0)
		return -1;
	free(f);
	config_current = NULL;
	return 0;
}

/* ---- helpers: reading messages back ------------------------------- */

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (fp == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_put(&b, chunk, n);
	fclose(fp);
	buf_cstr(&b);
	return buf_detach(&b, len);
}

/* Compares the built message with the golden file byte for byte; on a
 * difference the built one is left in /tmp for a diff. */
static void
assert_golden(const char *name, const struct buf *got)
{
	char path[256], actual[256];
	size_t len = 0;
	char *want;
	FILE *fp;

	snprintf(path, sizeof(path), GOLDEN_DIR "%s", name);
	want = read_file(path, &len);
	if (want && len == got->len && memcmp(want, got->data, len) == 0) {
		free(want);
		return;
	}
	snprintf(actual, sizeof(actual), "/tmp/alliance-golden-%s", name);
	fp = fopen(actual, "wb");
	if (fp) {
		fwrite(got->data, 1, got->len, fp);
		fclose(fp);
	}
	if (want == NULL)
		fail_msg("cannot read %s (the unit tests run from the "
			 "repository root: make unit); built message in %s",
			 path, actual);
	free(want);
	fail_msg("%s differs from the built message (in %s)", path, actual);
}

/* Every line ends in CRLF (no bare CR or LF) and has at most max
 * characters before it. */
static void
assert_crlf_lines(const char *s, size_t max)
{
	size_t col = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '\r') {
			if (p[1] != '\n')
				fail_msg("bare CR at offset %zu", (size_t)(p - s));
			continue;
		}
		if (*p == '\n') {
			if (p == s || p[-1] != '\r')
				fail_msg("bare LF at offset %zu", (size_t)(p - s));
			col = 0;
			continue;
		}
		if (++col > max)
			fail_msg("line longer than %zu at offset %zu: %.90s", max,
				 (size_t)(p - s), p - col + 1);
		if ((unsigned char)*p >= 0x80)
			fail_msg("8-bit byte at offset %zu", (size_t)(p - s));
	}
	if (*s && s[strlen(s) - 1] != '\n')
		fail_msg("the message does not end with CRLF");
}

/* The unfolded value of header name in msg (caller frees); NULL when
 * absent. */
static char *
header(const char *msg, const char *name)
{
	const char *end = strstr(msg, "\r\n\r\n");
	size_t nlen = strlen(name);
	struct buf v = BUF_INIT;

	for (const char *p = msg; p && p < end;) {
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *q = p + nlen + 1;

			while (*q == ' ')
				q++;
			for (;;) {
				const char *eol = strstr(q, "\r\n");

				buf_put(&v, q, (size_t)(eol - q));
				if (eol[2] != ' ' && eol[2] != '\t')
					break;
				q = eol + 2; /* unfold: drop the CRLF only */
			}
			buf_cstr(&v);
			return buf_detach(&v, NULL);
		}
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return NULL;
}

/* RFC 2047 decoding of "B" and "Q" UTF-8 encoded-words; blanks between
 * two encoded-words vanish. Caller frees. */
static char *
decode_words(const char *s)
{
	struct buf out = BUF_INIT;
	int prev_word = 0;

	while (*s) {
		if (strncasecmp(s, "=?UTF-8?", 8) == 0 &&
		    (s[8] == 'B' || s[8] == 'b' || s[8] == 'Q' || s[8] == 'q') &&
		    s[9] == '?') {
			const char *text = s + 10, *end = strstr(text, "?=");
			unsigned char bin[256];
			size_t n = 0;

			assert_non_null(end);
			assert_true(end + 2 - s <= 75);
			if (s[8] == 'B' || s[8] == 'b') {
				assert_int_equal(
					sodium_base642bin(
						bin, sizeof(bin), text,
						(size_t)(end - text), NULL, &n,
						NULL,
						sodium_base64_VARIANT_ORIGINAL),
					0);
			} else {
				for (const char *p = text; p < end; p++) {
					if (*p == '_')
						bin[n++] = ' ';
					else if (*p == '=') {
						unsigned v;

						sscanf(p + 1, "%2x", &v);
						bin[n++] = (unsigned char)v;
						p += 2;
					} else
						bin[n++] = (unsigned char)*p;
				}
			}
			/* each word holds whole characters */
			assert_true(utf8_valid((const char *)bin, n));
			buf_put(&out, bin, n);
			s = end + 2;
			prev_word = 1;
			continue;
		}
		if (prev_word && (*s == ' ' || *s == '\t')) {
			const char *q = s;

			while (*q == ' ' || *q == '\t')
				q++;
			if (strncasecmp(q, "=?UTF-8?", 8) == 0) {
				s = q;
				continue;
			}
		}
		prev_word = 0;
		buf_putc(&out, *s++);
	}
	buf_cstr(&out);
	return buf_detach(&out, NULL);
}

/* The display name of a mailbox header value: encoded-words decoded,
 * a quoted-string unquoted. Caller frees. */
static char *
display_name(const char *v)
{
	const char *lt = strrchr(v, '<');
	struct buf q = BUF_INIT;
	char *raw, *d;

	assert_non_null(lt);
	raw = xstrndup(v, (size_t)(lt - v - 1));
	if (raw[0] == '"') {
		for (const char *p = raw + 1; *p && *p != '"'; p++) {
			if (*p == '\\')
				p++;
			buf_putc(&q, *p);
		}
		free(raw);
		buf_cstr(&q);
		return buf_detach(&q, NULL);
	}
	d = decode_words(raw);
	free(raw);
	return d;
}

/* The body of a single-part message, or of part n (1-based) of a
 * multipart one, as it stands in the message. Caller frees. */
static char *
part_body(const char *msg, int n)
{
	const char *b = strstr(msg, "boundary=\""), *start, *end;
	char delim[80];

	if (n == 0 || b == NULL) {
		start = strstr(msg, "\r\n\r\n") + 4;
		return xstrdup(start);
	}
	b += 10;
	snprintf(delim, sizeof(delim), "\r\n--%.*s",
		 (int)(strchr(b, '"') - b), b);
	start = strstr(msg, "\r\n\r\n");
	for (int i = 0; i < n; i++) {
		start = strstr(start, delim + 2);
		assert_non_null(start);
		start += strlen(delim + 2);
	}
	start = strstr(start, "\r\n\r\n") + 4;
	end = strstr(start - 2, delim);
	assert_non_null(end);
	/* the CRLF before the delimiter belongs to it */
	return xstrndup(start, (size_t)(end - start) + 2);
}

/* Quoted-printable decoding (soft breaks joined, =XX to bytes). */
static char *
qp_decode(const char *s)
{
	struct buf out = BUF_INIT;

	for (const char *p = s; *p; p++) {
		if (*p == '=' && p[1] == '\r' && p[2] == '\n') {
			p += 2;
		} else if (*p == '=') {
			unsigned v;

			assert_int_equal(sscanf(p + 1, "%2X", &v), 1);
			buf_putc(&out, (int)v);
			p += 2;
		} else {
			buf_putc(&out, *p);
		}
	}
	buf_cstr(&out);
	return buf_detach(&out, NULL);
}

/* text with every line end as CRLF and a final one, the way the message
 * carries it. */
static char *
crlf_text(const char *s)
{
	struct buf out = BUF_INIT;

	for (const char *p = s; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n' || *p == '\r')
			buf_puts(&out, "\r\n");
		else
			buf_putc(&out, *p);
	}
	if (out.len < 2 || strcmp(out.data + out.len - 2, "\r\n") != 0)
		buf_puts(&out, "\r\n");
	return buf_detach(&out, NULL);
}

/* The language a message was composed in is its Content-Language; a tag
 * that is not letters, digits and '-' is left out, never a header of its
 * own. */
static void
content_language_names_the_language(void **state)
{
	struct mail m = {.to = "ana@example.org",
			 .subject = "Bonjour",
			 .text = "Bonjour\n",
			 .language = "fr"};
	struct buf out = BUF_INIT;

	mail_build(&m, "secretariat@alliance.example", 1800000000,
		   "1@alliance.example", &out);
	assert_non_null(strstr(buf_cstr(&out), "\r\nContent-Language: fr\r\n"));
	buf_reset(&out);
	m.language = "fr\r\nBcc: x@example.org";
	mail_build(&m, "secretariat@alliance.example", 1800000000,
		   "1@alliance.example", &out);
	assert_null(strstr(buf_cstr(&out), "Content-Language"));
	assert_null(strstr(buf_cstr(&out), "Bcc"));
	buf_free(&out);
}

/* The language of a letter: the account's choice for an address that has
 * an account, else what the address last wrote in, else the fallback;
 * addresses compared in lower case. */
static void
mail_language_prefers_account_then_address(void **state)
{
	struct fixture *f = *state;
	struct arena *a = arena_new();
	const char *l;

	testdb_run(f->db,
		   "INSERT INTO people (email, name, created_at, language)"
		   " VALUES ('ada@example.org', 'Ada', 0, 'fr'),"
		   " ('bob@example.org', 'Bob', 0, NULL)");
	assert_string_equal(mail_language(f->db, a, "Ada@Example.org", "en"),
			    "fr");
	assert_string_equal(mail_language(f->db, a, "bob@example.org", "en"),
			    "en");
	assert_null(mail_language(f->db, a, "carol@example.org", NULL));

	/* a receipt in Arabic to Carol and to Bob */
	i18n_push("ar");
	assert_int_equal(mail_remember_language(f->db, a, "Carol@Example.org"),
			 0);
	assert_int_equal(mail_remember_language(f->db, a, "bob@example.org"),
			 0);
	i18n_pop();
	assert_string_equal(mail_language(f->db, a, "carol@example.org", NULL),
			    "ar");
	assert_string_equal(mail_language(f->db, a, "bob@example.org", "en"),
			    "ar");
	/* a later one in French replaces it; Bob's own choice wins */
	i18n_push("fr");
	assert_int_equal(mail_remember_language(f->db, a, "carol@example.org"),
			 0);
	i18n_pop();
	testdb_run(f->db, "UPDATE people SET language = 'en'"
			  " WHERE email = 'bob@example.org'");
	l = mail_language(f->db, a, "carol@example.org", NULL);
	assert_string_equal(l, "fr");
	assert_string_equal(mail_language(f->db, a, "bob@example.org", "fr"),
			    "en");
	arena_free(a);
}

/* ---- golden files -------------------------------------------------- */

static void
golden_ascii_text_only(void **state)
{
	const struct mail m = {
		.to = "ana.member@example.org",
		.to_name = "Ana Member",
		.subject = "Your membership of the Alliance of NGOs is due "
			   "for renewal on 31 March 2027",
		.text = "Dear Ana Member,\n"
			"\n"
			"Your organisation's membership of the Alliance of "
			"NGOs on Crime Prevention and Criminal Justice is due "
			"for renewal on 31 March 2027.\n"
			"\n"
			"Renew at https://alliance.example/members/renew?"
			"org=42&year=2027\n"
			".\n"
			"A line with trailing spaces   \n"
			"Tabs\tinside and at the end\t\n"
			"Equals: 1+1=2\n"
			"\n"
			"-- \n"
			"Alliance secretariat\n",
	};
	struct buf out = BUF_INIT;

	mail_build(&m, "Alliance secretariat <secretariat@alliance.example>",
		   1800000000,
		   "5f1c0e2a9b7d4c3e8a6f0b1d2c3e4f5a@alliance.example", &out);
	assert_golden("ascii_text.eml", &out);
	assert_crlf_lines(out.data, 76);
	buf_free(&out);
}

static void
golden_utf8_alternative_with_unsubscribe(void **state)
{
	const struct mail m = {
		.to = "jose.munoz@example.org",
		.to_name = "José Muñoz-Müller",
		.subject = "Déclaration conjointe : Commission pour la "
			   "prévention du crime — Vienne 2027 ✓",
		.text = "Bonjour José,\n"
			"\n"
			"La déclaration de la société civile pour la 36ᵉ "
			"session de la Commission (CCPCJ) est prête à être "
			"signée : 署名 / подпись.\n"
			"\n"
			"https://alliance.example/statements/ccpcj-2027\n",
		.html = "<!DOCTYPE html>\n"
			"<html lang=\"fr\"><body>\n"
			"<p>Bonjour José,</p>\n"
			"<p>La déclaration de la société civile pour la 36ᵉ "
			"session de la Commission (CCPCJ) est prête à être "
			"signée&nbsp;: 署名 / подпись.</p>\n"
			"<p><a href=\"https://alliance.example/statements/"
			"ccpcj-2027\">Lire et signer</a></p>\n"
			"</body></html>\n",
		.list_unsubscribe = "https://alliance.example/updates/"
				    "unsubscribe?token=3q2-7wAAAA",
	};
	struct buf out = BUF_INIT;

	mail_build(&m,
		   "\"Alliance of NGOs, Secretariat\" "
		   "<secretariat@alliance.example>",
		   1800000000,
		   "a0b1c2d3e4f5061728394a5b6c7d8e9f@alliance.example", &out);
	assert_golden("utf8_alternative.eml", &out);
	assert_crlf_lines(out.data, 76);
	buf_free(&out);
}

/* A letter with an .ics attachment: multipart/mixed, the text first, the
 * calendar base64 with its method and name (what mail_letter_with sends
 * for a registration). */
static void
golden_ics_attachment(void **state)
{
	static const char ics[] =
		"BEGIN:VCALENDAR\r\n"
		"VERSION:2.0\r\n"
		"PRODID:-//Alliance//Calendar//EN\r\n"
		"METHOD:PUBLISH\r\n"
		"BEGIN:VEVENT\r\n"
		"UID:ccpcj-36@alliance.example\r\n"
		"DTSTAMP:20270110T080000Z\r\n"
		"DTSTART:20270520T080000Z\r\n"
		"DTEND:20270520T160000Z\r\n"
		"SUMMARY:Commission on Crime Prevention — 36th session\r\n"
		"URL:https://alliance.example/calendar/ccpcj-36\r\n"
		"END:VEVENT\r\n"
		"END:VCALENDAR\r\n";
	const struct mail_attachment att[] = {{
		.filename = "ccpcj-36.ics",
		.content_type = "text/calendar; charset=UTF-8; method=PUBLISH",
		.data = ics,
		.len = sizeof(ics) - 1,
	}};
	const struct mail m = {
		.to = "ana@example.org",
		.to_name = "Ana Silva",
		.subject = "Registered: CCPCJ 36",
		.text = "Hello Ana Silva,\n\nYou are registered for this "
			"meeting.\n",
		.language = "en",
		.attachments = att,
		.nattachments = 1,
	};
	struct buf out = BUF_INIT, again = BUF_INIT;
	const char *b64;

	(void)state;
	mail_build(&m, "Alliance secretariat <secretariat@alliance.example>",
		   1800000000, "ics1@alliance.example", &out);
	assert_golden("ics_attachment.eml", &out);
	assert_crlf_lines(out.data, 76);
	/* the same input, the same bytes */
	mail_build(&m, "Alliance secretariat <secretariat@alliance.example>",
		   1800000000, "ics1@alliance.example", &again);
	assert_int_equal(out.len, again.len);
	assert_memory_equal(out.data, again.data, out.len);
	assert_non_null(strstr(buf_cstr(&out), "multipart/mixed"));
	assert_non_null(strstr(buf_cstr(&out), "method=PUBLISH"));
	assert_non_null(strstr(buf_cstr(&out),
			       "Content-Disposition: attachment; "
			       "filename=\"ccpcj-36.ics\""));
	/* "BEGIN:VCALENDAR\r\n" in base64 starts the attachment's body */
	b64 = strstr(buf_cstr(&out), "QkVHSU46VkNBTEVOREFS");
	assert_non_null(b64);
	buf_free(&out);
	buf_free(&again);
}

/* ---- headers ------------------------------------------------------- */

static void
header_values_survive_encoding_and_folding(void **state)
{
	static const char *const subjects[] = {
		"Hello",
		"",
		"A plain subject that is long enough to be folded at least "
		"once, maybe twice, because it goes on and on past the width",
		"Two  spaces and a trailing one ",
		"Genève, Wien, Москва, 東京, 🌍",
		"ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß "
		"ÄÖÜäöüß ÄÖÜäöüß ÄÖÜäöüß",
		"🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍",
		"Looks like an encoded word: =?UTF-8?B?SGk=?= but is not",
		"Averyveryveryveryveryveryveryveryveryveryveryveryveryvery"
		"veryverylongwordwithoutanyspaceinit",
		"東京東京東京東京東京東京東京東京東京東京東京東京東京東京東京",
	};
	static const char *const names[] = {
		"Ana Member",
		"J. R. \"Bob\" Smith, Jr.",
		"José Muñoz-Müller",
		"Организация \"Правосудие\"",
		"A name long enough that it cannot possibly be held on the "
		"first line of the To header at all",
	};

	for (size_t i = 0; i < ARRAY_LEN(subjects); i++) {
		struct mail m = {.to = "x@example.org",
				 .subject = subjects[i],
				 .text = "t"};
		struct buf out = BUF_INIT;
		char *v, *d;

		mail_build(&m, "a@example.org", 0, "1@example.org", &out);
		assert_crlf_lines(out.data, 76);
		v = header(out.data, "Subject");
		assert_non_null(v);
		d = decode_words(v);
		if (strcmp(d, subjects[i]) != 0)
			fail_msg("subject %zu: got '%s' from '%s'", i, d, v);
		free(v);
		free(d);
		buf_free(&out);
	}
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		struct mail m = {.to = "x@example.org",
				 .to_name = names[i],
				 .subject = "s",
				 .text = "t"};
		struct buf out = BUF_INIT;
		char *v, *d;

		mail_build(&m, "a@example.org", 0, "1@example.org", &out);
		assert_crlf_lines(out.data, 76);
		v = header(out.data, "To");
		d = display_name(v);
		if (strcmp(d, names[i]) != 0)
			fail_msg("name %zu: got '%s' from '%s'", i, d, v);
		assert_non_null(strstr(v, "<x@example.org>"));
		free(v);
		free(d);
		buf_free(&out);
	}
}

static void
header_line_breaks_cannot_inject_headers(void **state)
{
	struct mail m = {.to = "x@example.org",
			 .to_name = "Eve\r\nBcc: victim@example.org",
			 .subject = "Hi\r\nBcc: victim@example.org",
			 .text = "t"};
	struct buf out = BUF_INIT;

	mail_build(&m, "a@example.org", 0, "1@example.org", &out);
	assert_null(strstr(out.data, "\r\nBcc:"));
	assert_crlf_lines(out.data, 76);
	buf_free(&out);
}

static void
date_is_rfc5322_in_utc(void **state)
{
	struct mail m = {.to = "x@example.org", .subject = "s", .text = "t"};
	struct buf out = BUF_INIT;

	mail_build(&m, "a@example.org", 0, "1@example.org", &out);
	assert_non_null(strstr(out.data, "Date: Thu, 1 Jan 1970 00:00:00 "
					 "+0000\r\n"));
	buf_reset(&out);
	mail_build(&m, "a@example.org", 1835481599, "1@example.org", &out);
	assert_non_null(strstr(out.data, "Date: Tue, 29 Feb 2028 23:59:59 "
					 "+0000\r\n"));
	buf_free(&out);
}

static void
mailbox_split_reads_configured_forms(void **state)
{
	static const char *const cases[][3] = {
		{"Alliance secretariat <sec@example.org>",
		 "Alliance secretariat", "sec@example.org"},
		{"  \"Alliance, \\\"NGOs\\\"\" <sec@example.org> ",
		 "Alliance, \"NGOs\"", "sec@example.org"},
		{" sec@example.org ", "", "sec@example.org"},
		{"<sec@example.org>", "", "sec@example.org"},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct buf name = BUF_INIT, addr = BUF_INIT;

		mail_split_mailbox(cases[i][0], &name, &addr);
		assert_string_equal(buf_cstr(&name), cases[i][1]);
		assert_string_equal(buf_cstr(&addr), cases[i][2]);
		buf_free(&name);
		buf_free(&addr);
	}
}

/* ---- bodies -------------------------------------------------------- */

static void
quoted_printable_has_short_crlf_lines_and_round_trips(void **state)
{
	struct buf long_ascii = BUF_INIT, long_utf8 = BUF_INIT,
		   edges = BUF_INIT;
	const char *texts[6];

	for (int i = 0; i < 300; i++)
		buf_putc(&long_ascii, 'a' + i % 26);
	buf_puts(&long_ascii, "\n");
	for (int i = 0; i < 100; i++)
		buf_puts(&long_utf8, i % 2 ? "é" : "字");
	/* '=' and blanks at every position around the soft-break width */
	for (int w = 70; w < 80; w++) {
		for (int i = 0; i < w; i++)
			buf_putc(&edges, i == w - 1 ? '=' : 'x');
		buf_puts(&edges, "\n");
		for (int i = 0; i < w; i++)
			buf_putc(&edges, i == w - 2 ? ' ' : 'y');
		buf_puts(&edges, " \n");
		for (int i = 0; i < w; i++)
			buf_putc(&edges, 'z');
		buf_puts(&edges, "\t\r\n");
	}
	texts[0] = long_ascii.data;
	texts[1] = long_utf8.data;
	texts[2] = edges.data;
	texts[3] = "mixed\r\nline\rends\nand\n.a dot line\n..\n.\nFrom here\n";
	texts[4] = "";
	texts[5] = "no final line end";

	for (size_t i = 0; i < ARRAY_LEN(texts); i++) {
		struct mail m = {.to = "x@example.org", .subject = "s",
				 .text = texts[i], .html = texts[i]};
		struct buf out = BUF_INIT;
		char *want = crlf_text(texts[i]);

		mail_build(&m, "a@example.org", 0, "1@example.org", &out);
		assert_crlf_lines(out.data, 76);
		for (int part = 1; part <= 2; part++) {
			char *body = part_body(out.data, part);
			char *dec = qp_decode(body);

			/* no line of the encoded body starts with '.' */
			assert_true(body[0] != '.');
			assert_null(strstr(body, "\n."));
			/* blanks before a hard line end are encoded */
			assert_null(strstr(body, " \r\n"));
			assert_null(strstr(body, "\t\r\n"));
			if (strcmp(dec, want) != 0)
				fail_msg("text %zu part %d does not round-trip",
					 i, part);
			free(body);
			free(dec);
		}
		free(want);
		buf_free(&out);
	}
	buf_free(&long_ascii);
	buf_free(&long_utf8);
	buf_free(&edges);
}

/* ---- the outbox ---------------------------------------------------- */

static int64_t
count(struct db *db, int stmt)
{
	struct db_stmt *st = db_stmt(db, &test_sql, (size_t)stmt);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_reset(st);
	return n;
}

struct outbox_row {
	char status[16];
	int attempts;
	char last_error[600];
	int64_t sent_at, next_attempt_at;
	char file[200];
	char *message;
	char message_id[200];
	char to_addr[200];
	int has_name;
	char subject[300];
	int64_t created_at;
};

static struct outbox_row
outbox(struct db *db, int64_t id)
{
	struct db_stmt *st = db_stmt(db, &test_sql, T_OUTBOX);
	struct outbox_row r;

	memset(&r, 0, sizeof(r));
	assert_non_null(st);
	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(r.status, sizeof(r.status), "%s", db_col_text(st, 0));
	r.attempts = (int)db_col_int(st, 1);
	if (db_col_text(st, 2))
		snprintf(r.last_error, sizeof(r.last_error), "%s",
			 db_col_text(st, 2));
	r.sent_at = db_col_int(st, 3);
	r.next_attempt_at = db_col_int(st, 4);
	if (db_col_text(st, 5))
		snprintf(r.file, sizeof(r.file), "%s", db_col_text(st, 5));
	r.message = xstrdup(db_col_text(st, 6));
	snprintf(r.message_id, sizeof(r.message_id), "%s", db_col_text(st, 7));
	snprintf(r.to_addr, sizeof(r.to_addr), "%s", db_col_text(st, 8));
	r.has_name = db_col_text(st, 9) != NULL;
	snprintf(r.subject, sizeof(r.subject), "%s", db_col_text(st, 10));
	r.created_at = db_col_int(st, 11);
	db_reset(st);
	return r;
}

static const struct mail notice = {
	.to = "member@example.org",
	.to_name = "Ana Member",
	.subject = "Your application was received",
	.text = "Thank you.\n",
	.html = "<p>Thank you.</p>\n",
};

static void
enqueue_rolled_back_leaves_no_row_and_no_job(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(db_begin(f->db), 0);
	assert_true(mail_enqueue(f->db, &notice) > 0);
	assert_int_equal(count(f->db, T_COUNT_OUTBOX), 1);
	assert_int_equal(count(f->db, T_COUNT_JOBS), 1);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(count(f->db, T_COUNT_OUTBOX), 0);
	assert_int_equal(count(f->db, T_COUNT_JOBS), 0);
}

static void
enqueue_writes_outbox_row_and_delivery_job(void **state)
{
	struct fixture *f = *state;
	struct db_stmt *st;
	struct outbox_row r;
	char payload[32], mid[300];
	int64_t id, before = (int64_t)time(NULL);
	char *v;

	assert_int_equal(db_begin(f->db), 0);
	id = mail_enqueue(f->db, &notice);
	assert_true(id > 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_int_equal(count(f->db, T_COUNT_OUTBOX), 1);
	assert_int_equal(count(f->db, T_COUNT_JOBS), 1);

	r = outbox(f->db, id);
	assert_string_equal(r.status, "queued");
	assert_int_equal(r.attempts, 0);
	assert_string_equal(r.to_addr, "member@example.org");
	assert_true(r.has_name);
	assert_string_equal(r.subject, "Your application was received");
	assert_true(r.next_attempt_at >= before);
	/* a random id at the host of base_url, and the message carries it */
	assert_int_equal(strlen(r.message_id), 32 + strlen("@alliance.example"));
	assert_string_equal(r.message_id + 32, "@alliance.example");
	snprintf(mid, sizeof(mid), "<%s>", r.message_id);
	v = header(r.message, "Message-ID");
	assert_string_equal(v, mid);
	free(v);
	v = header(r.message, "From");
	assert_string_equal(v,
			    "Alliance secretariat <secretariat@alliance.example>");
	free(v);
	assert_crlf_lines(r.message, 76);
	free(r.message);

	st = db_stmt(f->db, &test_sql, T_JOB);
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(payload, sizeof(payload), "%lld", (long long)id);
	assert_string_equal(db_col_text(st, 0), MAIL_JOB_KIND);
	assert_string_equal(db_col_text(st, 1), payload);
	assert_string_equal(db_col_text(st, 2), "queued");
	db_reset(st);
}

static void
enqueue_refuses_what_cannot_be_sent(void **state)
{
	struct fixture *f = *state;
	struct mail bad_to = notice, bad_subject = notice, no_text = notice,
		    bad_utf8 = notice;

	bad_to.to = "not an address";
	bad_subject.subject = "two\nlines";
	no_text.text = NULL;
	bad_utf8.html = "\xc3(";
	assert_int_equal(mail_enqueue(f->db, &bad_to), -1);
	assert_int_equal(mail_enqueue(f->db, &bad_subject), -1);
	assert_int_equal(mail_enqueue(f->db, &no_text), -1);
	assert_int_equal(mail_enqueue(f->db, &bad_utf8), -1);
	assert_int_equal(count(f->db, T_COUNT_OUTBOX), 0);
	assert_int_equal(count(f->db, T_COUNT_JOBS), 0);
}

static void
delivery_without_smtp_writes_eml_file(void **state)
{
	struct fixture *f = *state;
	int64_t id = mail_enqueue(f->db, &notice), now = time(NULL) + 5;
	struct outbox_row r;
	char path[512], stamp[32];
	struct tm tm;
	time_t created;
	size_t len;
	char *file;
	DIR *d;
	struct dirent *e;
	int files = 0;

	assert_true(id > 0);
	assert_int_equal(jobs_run_due(f->db, "t", 10, now), 1);
	r = outbox(f->db, id);
	assert_string_equal(r.status, "sent");
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.sent_at, now);
	assert_string_equal(r.last_error, "");
	assert_int_equal(r.next_attempt_at, 0);
	/* outbox/<created, UTC>-<id>.eml, relative to the data folder */
	created = (time_t)r.created_at;
	gmtime_r(&created, &tm);
	strftime(stamp, sizeof(stamp), "outbox/%Y%m%dT%H%M%S", &tm);
	assert_int_equal(strncmp(r.file, stamp, strlen(stamp)), 0);
	snprintf(stamp, sizeof(stamp), "Z-%lld.eml", (long long)id);
	assert_non_null(strstr(r.file, stamp));
	assert_int_equal(strlen(r.file), strlen("outbox/20270115T080000") +
						 strlen(stamp));

	snprintf(path, sizeof(path), "%s/%s", f->dir, r.file);
	file = read_file(path, &len);
	assert_non_null(file);
	assert_int_equal(len, strlen(r.message));
	assert_memory_equal(file, r.message, len);
	free(file);
	free(r.message);

	/* nothing else (no temporary file) is left in the folder */
	snprintf(path, sizeof(path), "%s/outbox", f->dir);
	d = opendir(path);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			files++;
	closedir(d);
	assert_int_equal(files, 1);
	/* the job is done and runs no more */
	assert_int_equal(jobs_run_due(f->db, "t", 10, now + 100000), 0);
}

/* A loopback port nobody listens on (bound a moment ago, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(s);
	return port;
}

static void
failed_smtp_delivery_is_recorded_retried_then_failed(void **state)
{
	struct fixture *f = *state;
	int64_t id, t = 1800000000;
	struct outbox_row r;
	struct db_stmt *st;

	snprintf(cfg.smtp_url, sizeof(cfg.smtp_url), "smtp://127.0.0.1:%d",
		 closed_port());
	id = mail_enqueue(f->db, &notice);
	assert_true(id > 0);
	for (int attempt = 1; attempt <= 4; attempt++) {
		assert_int_equal(jobs_run_due(f->db, "t", 10, t), 1);
		r = outbox(f->db, id);
		free(r.message);
		assert_string_equal(r.status, "queued");
		assert_int_equal(r.attempts, attempt);
		assert_int_equal(r.next_attempt_at, t + jobs_backoff(attempt));
		if (strncmp(r.last_error, "SMTP: ", 6) != 0 ||
		    strstr(r.last_error, "onnect") == NULL)
			fail_msg("unexpected error: %s", r.last_error);
		/* the job waits as long as the outbox says */
		st = db_stmt(f->db, &test_sql, T_JOB);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_col_text(st, 2), "queued");
		assert_int_equal(db_col_int(st, 3), r.next_attempt_at);
		db_reset(st);
		t = r.next_attempt_at;
	}
	assert_int_equal(jobs_run_due(f->db, "t", 10, t), 1);
	r = outbox(f->db, id);
	free(r.message);
	assert_string_equal(r.status, "failed");
	assert_int_equal(r.attempts, 5);
	assert_int_equal(r.next_attempt_at, 0);
	assert_int_equal(r.sent_at, 0);
	assert_true(r.last_error[0] != '\0');
	st = db_stmt(f->db, &test_sql, T_JOB);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 2), "failed");
	db_reset(st);
	cfg.smtp_url[0] = '\0';
}

static void
outbox_list_is_newest_first_with_paging(void **state)
{
	struct fixture *f = *state;
	struct mail m = notice;
	json_t *rows, *row;
	const char *key;
	json_t *value;
	int64_t ids[3];
	size_t nkeys = 0;
	static const char *const keys[] = {
		"id",           "to_addr",  "subject",    "status",
		"status_label", "attempts", "last_error", "created_at",
		"sent_at",      "file"};

	for (int i = 0; i < 3; i++) {
		ids[i] = mail_enqueue(f->db, &m);
		assert_true(ids[i] > 0);
	}
	rows = mail_outbox_list(f->db, 2, 0);
	assert_non_null(rows);
	assert_int_equal(json_array_size(rows), 2);
	row = json_array_get(rows, 0);
	assert_int_equal(json_integer_value(json_object_get(row, "id")), ids[2]);
	assert_int_equal(
		json_integer_value(json_object_get(json_array_get(rows, 1), "id")),
		ids[1]);
	assert_string_equal(json_string_value(json_object_get(row, "status")),
			    "queued");
	/* the state in words too, for the page */
	assert_string_equal(
		json_string_value(json_object_get(row, "status_label")),
		"Waiting to be sent");
	json_object_foreach(row, key, value) {
		int known = 0;

		for (size_t i = 0; i < ARRAY_LEN(keys); i++)
			known |= strcmp(keys[i], key) == 0;
		if (!known)
			fail_msg("unexpected key %s", key);
		nkeys++;
	}
	assert_int_equal(nkeys, ARRAY_LEN(keys));
	json_decref(rows);

	rows = mail_outbox_list(f->db, 2, 2);
	assert_int_equal(json_array_size(rows), 1);
	assert_int_equal(
		json_integer_value(json_object_get(json_array_get(rows, 0), "id")),
		ids[0]);
	json_decref(rows);
}

static void
test_message_has_text_and_html(void **state)
{
	struct fixture *f = *state;
	int64_t id = mail_enqueue_test(f->db, "admin@example.org",
				       "Alliance <Test> & Co");
	struct outbox_row r;
	char *v, *html, *dec;

	assert_true(id > 0);
	r = outbox(f->db, id);
	assert_string_equal(r.subject, "Test message from Alliance <Test> & Co");
	v = header(r.message, "Content-Type");
	assert_non_null(strstr(v, "multipart/alternative"));
	free(v);
	html = part_body(r.message, 2);
	dec = qp_decode(html);
	/* the site name is escaped in the HTML part */
	assert_non_null(strstr(dec, "Alliance &lt;Test&gt; &amp; Co"));
	free(html);
	free(dec);
	free(r.message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(content_language_names_the_language),
		cmocka_unit_test(golden_ascii_text_only),
		cmocka_unit_test(golden_utf8_alternative_with_unsubscribe),
		cmocka_unit_test(golden_ics_attachment),
		cmocka_unit_test(header_values_survive_encoding_and_folding),
		cmocka_unit_test(header_line_breaks_cannot_inject_headers),
		cmocka_unit_test(date_is_rfc5322_in_utc),
		cmocka_unit_test(mailbox_split_reads_configured_forms),
		cmocka_unit_test(
			quoted_printable_has_short_crlf_lines_and_round_trips),
		cmocka_unit_test_setup_teardown(
			enqueue_rolled_back_leaves_no_row_and_no_job, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			enqueue_writes_outbox_row_and_delivery_job, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			enqueue_refuses_what_cannot_be_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(
			delivery_without_smtp_writes_eml_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
			failed_smtp_delivery_is_recorded_retried_then_failed,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			outbox_list_is_newest_first_with_paging, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_message_has_text_and_html,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			mail_language_prefers_account_then_address, setup,
			teardown),
	};
	char err[200];

	if (i18n_init("en", err, sizeof(err)) != 0) {
		fprintf(stderr, "i18n_init: %s\n", err);
		return 1;
	}

	db_register(&mail_sql);
	db_register(&jobs_sql);
	db_register(&test_sql);
	mail_init();
	jobs_register(&mail_job);
	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
