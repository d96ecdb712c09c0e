/*
 * mailmsg.c -- mail_build(): the RFC 5322 / MIME writer behind mail.h.
 *
 * The output is 7-bit text with CRLF line ends.  Header values that are
 * not plain ASCII (or hold something that looks like an encoded-word, or a
 * word too long to fold) become RFC 2047 "B" encoded-words of whole UTF-8
 * characters; everything is folded so no header line passes 76 characters.
 * Display names are atoms, a quoted-string, or encoded-words.  Bodies are
 * quoted-printable (RFC 2045 6.7): soft breaks keep lines at 76, blanks
 * before a line end and a '.' first on a line are encoded.  The boundary of
 * multipart/alternative is a hash of the Message-ID, so the same input
 * gives the same bytes (the golden files of test_mail.c).  Attachments
 * follow the text in a multipart/mixed, base64 (RFC 2045 6.8).
 */
#include "mail.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HDR_WIDTH 76 /* longest header line we write, CRLF not counted */
#define QP_WIDTH 76  /* RFC 2045 6.7: encoded lines, the '=' included */
#define EW_MAX 75    /* RFC 2047 2: longest encoded-word */

/* ---- header writing ---------------------------------------------- */

/* A header being written: the output and the column of its last line. */
struct hdr {
	struct buf *out;
	size_t col;
};

static void
hdr_begin(struct hdr *h, struct buf *out, const char *name)
{
	h->out = out;
	buf_puts(out, name);
	buf_putc(out, ':');
	h->col = strlen(name) + 1;
}

static void
hdr_end(struct hdr *h)
{
	buf_puts(h->out, "\r\n");
}

/* Appends a token after one space, or on a new folded line when it would
 * pass HDR_WIDTH.  Unfolding (removing the CRLF) gives back the space. */
static void
hdr_token(struct hdr *h, const char *s, size_t n)
{
	if (h->col + 1 + n > HDR_WIDTH && h->col > 1) {
		buf_puts(h->out, "\r\n ");
		h->col = 1;
	} else {
		buf_putc(h->out, ' ');
		h->col++;
	}
	buf_put(h->out, s, n);
	h->col += n;
}

static void
base64_put(struct buf *b, const unsigned char *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		buf_putc(b, tab[(v >> 18) & 63]);
		buf_putc(b, tab[(v >> 12) & 63]);
		buf_putc(b, i + 1 < n ? tab[(v >> 6) & 63] : '=');
		buf_putc(b, i + 2 < n ? tab[v & 63] : '=');
	}
}

/* How many bytes of text fit in one encoded-word of at most room
 * characters: "=?UTF-8?B?" + base64 + "?=". */
static size_t
ew_capacity(size_t room)
{
	size_t n;

	if (room > EW_MAX)
		room = EW_MAX;
	if (room < 12 + 4)
		return 0;
	n = (room - 12) / 4 * 3;
	return n;
}

/* The longest prefix of s[0..n) of at most max bytes that ends between
 * UTF-8 characters. */
static size_t
utf8_prefix(const char *s, size_t n, size_t max)
{
	size_t k;

	if (n <= max)
		return n;
	k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k;
}

/* Writes s as UTF-8 "B" encoded-words, each holding whole characters,
 * filling the current line before folding. */
static void
hdr_encoded(struct hdr *h, const char *s, size_t n)
{
	struct buf w = BUF_INIT;

	while (n > 0) {
		size_t take = utf8_prefix(s, n,
					  ew_capacity(HDR_WIDTH - h->col - 1));

		if (take == 0) /* the token goes on a new line */
			take = utf8_prefix(s, n, ew_capacity(HDR_WIDTH - 1));
		if (take == 0) /* not UTF-8: one byte rather than none */
			take = 1;
		buf_reset(&w);
		buf_puts(&w, "=?UTF-8?B?");
		base64_put(&w, (const unsigned char *)s, take);
		buf_puts(&w, "?=");
		hdr_token(h, w.data, w.len);
		s += take;
		n -= take;
	}
	buf_free(&w);
}

/* 1 when s cannot go into a header as it is: bytes outside printable
 * ASCII, something that looks like an encoded-word, or a word too long to
 * fold. */
static int
needs_encoding(const char *s)
{
	size_t word = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			return 1;
		if (p[0] == '=' && p[1] == '?')
			return 1;
		word = *p == ' ' ? 0 : word + 1;
		if (word > HDR_WIDTH - 6)
			return 1;
	}
	return 0;
}

/* Unstructured text (Subject): words folded at their spaces, or
 * encoded-words. */
static void
hdr_text(struct hdr *h, const char *s)
{
	if (needs_encoding(s)) {
		hdr_encoded(h, s, strlen(s));
		return;
	}
	for (;;) {
		const char *sp = strchr(s, ' ');
		size_t n = sp ? (size_t)(sp - s) : strlen(s);

		hdr_token(h, s, n);
		if (sp == NULL)
			break;
		s = sp + 1;
	}
}

static int
is_atext(int c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* A display name: atoms as they are, a quoted-string when it holds
 * specials, encoded-words when it is not plain ASCII. */
static void
hdr_phrase(struct hdr *h, const char *s)
{
	struct buf q = BUF_INIT;
	int plain = 1;

	if (needs_encoding(s)) {
		hdr_encoded(h, s, strlen(s));
		return;
	}
	for (const char *p = s; *p; p++)
		if (*p != ' ' && !is_atext((unsigned char)*p))
			plain = 0;
	if (plain) {
		hdr_text(h, s);
		return;
	}
	buf_putc(&q, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(&q, '\\');
		buf_putc(&q, *p);
	}
	buf_putc(&q, '"');
	if (q.len > HDR_WIDTH - 6)
		hdr_encoded(h, s, strlen(s));
	else
		hdr_token(h, q.data, q.len);
	buf_free(&q);
}

/* A copy of s (caller frees) with control characters as spaces, so a
 * value can never end its header line; NULL stays NULL. */
static char *
header_value(const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = xstrdup(s);
	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

/* A mailbox: `name <addr>`, or the bare address without a name. */
static void
hdr_mailbox(struct hdr *h, const char *name, const char *addr)
{
	char *n = header_value(name), *a = header_value(addr);
	struct buf t = BUF_INIT;

	if (n && *n) {
		hdr_phrase(h, n);
		buf_printf(&t, "<%s>", a);
		hdr_token(h, t.data, t.len);
	} else {
		hdr_token(h, a, strlen(a));
	}
	buf_free(&t);
	free(n);
	free(a);
}

void
mail_split_mailbox(const char *s, struct buf *name, struct buf *addr)
{
	const char *lt = strrchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *a = s, *b;

	if (lt == NULL || gt == NULL) {
		while (isspace((unsigned char)*a))
			a++;
		b = a + strlen(a);
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		buf_put(addr, a, (size_t)(b - a));
		return;
	}
	buf_put(addr, lt + 1, (size_t)(gt - lt - 1));
	b = lt;
	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && isspace((unsigned char)b[-1]))
		b--;
	if (b - a >= 2 && *a == '"' && b[-1] == '"') {
		for (a++, b--; a < b; a++) {
			if (*a == '\\' && a + 1 < b)
				a++;
			buf_putc(name, *a);
		}
		return;
	}
	buf_put(name, a, (size_t)(b - a));
}

static void
put_date(struct buf *out, int64_t date)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
					   "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
					     "May", "Jun", "Jul", "Aug",
					     "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)date;
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_printf(out, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\r\n",
		   days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		   tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- quoted-printable ---------------------------------------------- */

/* The encoding of byte c at column col of an output line; last: c ends
 * its line of text (trailing blanks must be encoded).  Returns the
 * length written to rep. */
static size_t
qp_char(unsigned char c, size_t col, int last, char rep[4])
{
	static const char hex[] = "0123456789ABCDEF";

	if ((c >= 33 && c <= 126 && c != '=' && !(c == '.' && col == 0)) ||
	    ((c == ' ' || c == '\t') && !last)) {
		rep[0] = (char)c;
		return 1;
	}
	/* '.' first on a line is encoded too: some relays still treat a
	 * lone "." as the end of the message */
	rep[0] = '=';
	rep[1] = hex[c >> 4];
	rep[2] = hex[c & 15];
	return 3;
}

static void
qp_line(struct buf *out, const unsigned char *s, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		int last = i + 1 == n;
		char rep[4];
		size_t len = qp_char(s[i], col, last, rep);

		/* a character that is not last must leave room for the '='
		 * of a soft break after it */
		if (col + len > (last ? QP_WIDTH : QP_WIDTH - 1)) {
			buf_puts(out, "=\r\n");
			col = 0;
			len = qp_char(s[i], col, last, rep);
		}
		buf_put(out, rep, len);
		col += len;
	}
}

/* s as quoted-printable lines, each ending in CRLF; any of \n, \r\n or a
 * lone \r ends a line of s.  A final line end adds no empty line. */
static void
qp_put(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;

	if (n == 0)
		buf_puts(out, "\r\n");
	while (i < n) {
		size_t e = i;

		while (e < n && p[e] != '\n' && p[e] != '\r')
			e++;
		qp_line(out, p + i, e - i);
		buf_puts(out, "\r\n");
		if (e + 1 < n && p[e] == '\r' && p[e + 1] == '\n')
			e++;
		i = e + 1;
	}
}

static void
put_part_head(struct buf *out, const char *type)
{
	buf_printf(out,
		   "Content-Type: %s; charset=UTF-8\r\n"
		   "Content-Transfer-Encoding: quoted-printable\r\n",
		   type);
}

/* "=_" and 24 hex digits of a hash of the Message-ID (and of salt: the
 * multipart/mixed around an alternative has a boundary of its own): the
 * same message gets the same boundary, and "=_" never occurs in
 * quoted-printable or base64. */
static void
boundary_for(const char *message_id, const char *salt, char out[32])
{
	unsigned char h[16];
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)message_id,
				  strlen(message_id));
	crypto_generichash_update(&st, (const unsigned char *)salt,
				  strlen(salt));
	crypto_generichash_final(&st, h, sizeof(h));
	out[0] = '=';
	out[1] = '_';
	sodium_bin2hex(out + 2, 30, h, 12);
}

/* The text of m: multipart/alternative (text/plain then text/html) or a
 * single text/plain part, its headers included. */
static void
put_text(const struct mail *m, const char *mid, struct buf *out)
{
	char boundary[32];

	if (m->html) {
		boundary_for(mid, "", boundary);
		buf_printf(out,
			   "Content-Type: multipart/alternative; "
			   "boundary=\"%s\"\r\n\r\n--%s\r\n",
			   boundary, boundary);
		put_part_head(out, "text/plain");
		buf_puts(out, "\r\n");
		qp_put(out, m->text ? m->text : "");
		buf_printf(out, "--%s\r\n", boundary);
		put_part_head(out, "text/html");
		buf_puts(out, "\r\n");
		qp_put(out, m->html);
		buf_printf(out, "--%s--\r\n", boundary);
	} else {
		put_part_head(out, "text/plain");
		buf_puts(out, "\r\n");
		qp_put(out, m->text ? m->text : "");
	}
}

/* A file name as a quoted-string's content: printable ASCII without '"'
 * and '\\' (others become '_'), "attachment" when empty. */
static char *
file_name(const char *s)
{
	char *c = header_value(s && *s ? s : "attachment");

	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if (*p >= 0x7f || *p == '"' || *p == '\\')
			*p = '_';
	return c;
}

/* One attachment: its headers, then base64 in lines of 76. */
static void
put_attachment(const struct mail_attachment *a, struct buf *out)
{
	char *type = header_value(a->content_type && *a->content_type
					  ? a->content_type
					  : "application/octet-stream");
	char *name = file_name(a->filename);
	const unsigned char *d = (const unsigned char *)a->data;
	size_t len = a->data ? a->len : 0;
	struct hdr h;
	struct buf t = BUF_INIT;

	/* the type's parameters are tokens folded at their spaces */
	hdr_begin(&h, out, "Content-Type");
	buf_printf(&t, "%s; name=\"%s\"", type, name);
	hdr_text(&h, buf_cstr(&t));
	hdr_end(&h);
	buf_puts(out, "Content-Transfer-Encoding: base64\r\n");
	buf_reset(&t);
	hdr_begin(&h, out, "Content-Disposition");
	buf_printf(&t, "attachment; filename=\"%s\"", name);
	hdr_text(&h, buf_cstr(&t));
	hdr_end(&h);
	buf_puts(out, "\r\n");
	for (size_t i = 0; i < len; i += 57) {
		base64_put(out, d + i, len - i < 57 ? len - i : 57);
		buf_puts(out, "\r\n");
	}
	buf_free(&t);
	free(type);
	free(name);
}

void
mail_build(const struct mail *m, const char *from, int64_t date,
	   const char *message_id, struct buf *out)
{
	struct buf fname = BUF_INIT, faddr = BUF_INIT, t = BUF_INIT;
	char *subject = header_value(m->subject ? m->subject : "");
	char *mid = header_value(message_id);
	struct hdr h;
	char boundary[32];

	put_date(out, date);
	mail_split_mailbox(from, &fname, &faddr);
	hdr_begin(&h, out, "From");
	hdr_mailbox(&h, buf_cstr(&fname), buf_cstr(&faddr));
	hdr_end(&h);
	hdr_begin(&h, out, "To");
	hdr_mailbox(&h, m->to_name, m->to);
	hdr_end(&h);
	hdr_begin(&h, out, "Subject");
	hdr_text(&h, subject);
	hdr_end(&h);
	buf_printf(out, "Message-ID: <%s>\r\n", mid);
	buf_puts(out, "MIME-Version: 1.0\r\n");
	if (m->language && m->language[0] &&
	    strspn(m->language, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") ==
		    strlen(m->language) &&
	    strlen(m->language) <= 35)
		buf_printf(out, "Content-Language: %s\r\n", m->language);
	if (m->list_unsubscribe && m->list_unsubscribe[0]) {
		char *u = header_value(m->list_unsubscribe);

		hdr_begin(&h, out, "List-Unsubscribe");
		buf_printf(&t, "<%s>", u);
		hdr_token(&h, t.data, t.len);
		hdr_end(&h);
		buf_puts(out, "List-Unsubscribe-Post: "
			      "List-Unsubscribe=One-Click\r\n");
		free(u);
	}
	if (m->nattachments > 0 && m->attachments) {
		boundary_for(mid, "mixed", boundary);
		buf_printf(out,
			   "Content-Type: multipart/mixed; "
			   "boundary=\"%s\"\r\n\r\n",
			   boundary);
		buf_printf(out, "--%s\r\n", boundary);
		put_text(m, mid, out);
		for (size_t i = 0; i < m->nattachments; i++) {
			buf_printf(out, "--%s\r\n", boundary);
			put_attachment(&m->attachments[i], out);
		}
		buf_printf(out, "--%s--\r\n", boundary);
	} else {
		put_text(m, mid, out);
	}
	buf_free(&fname);
	buf_free(&faddr);
	buf_free(&t);
	free(subject);
	free(mid);
}
