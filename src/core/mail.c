/*
 * mail.c -- see mail.h.  Outgoing mail: building the message, the outbox
 * and the delivery job.
 *
 * mail_build() writes 7-bit RFC 5322 text: headers with non-ASCII (or
 * unfoldable) values become RFC 2047 "B" encoded-words of whole UTF-8
 * characters, folded so no header line passes 76 characters; bodies are
 * quoted-printable (RFC 2045) with CRLF line ends and soft breaks at 76.
 * mail_enqueue() stores the built message in the outbox and schedules a
 * MAIL_JOB_KIND job in the caller's transaction, so a message exists
 * exactly when the change it reports was committed.
 *
 * The job (deliver) sends the stored bytes unchanged: over SMTP with
 * libcurl when smtp_url is set, otherwise into DATA/outbox/ as an .eml
 * file (written to a temporary name, then renamed, so a reader never sees
 * half a message).  Failures are written to the outbox row and the job is
 * retried with the runner's back-off; after the last attempt the row is
 * 'failed'.
 */
#include "mail.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "escape.h"
#include "jobs.h"
#include "log.h"
#include "validate.h"

#define HDR_WIDTH 76 /* longest header line we write, CRLF not counted */
#define QP_WIDTH 76  /* RFC 2045 6.7: encoded lines, the '=' included */
#define EW_MAX 75    /* RFC 2047 2: longest encoded-word */

enum stmt_mail {
	STMT_MAIL_INSERT,
	STMT_MAIL_GET,
	STMT_MAIL_SENT,
	STMT_MAIL_RETRY,
	STMT_MAIL_FAILED,
	STMT_MAIL_LIST,
	STMT_MAIL__MAX
};

static const char *const mail_sql_text[STMT_MAIL__MAX] = {
	[STMT_MAIL_INSERT] =
		"INSERT INTO outbox (to_addr, to_name, subject, message,"
		" message_id, status, attempts, created_at, next_attempt_at)"
		" VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
	[STMT_MAIL_GET] = "SELECT to_addr, message, status, created_at"
			  " FROM outbox WHERE id = ?",
	[STMT_MAIL_SENT] =
		"UPDATE outbox SET status = 'sent', attempts = attempts + 1,"
		" sent_at = ?, file = ?, last_error = NULL,"
		" next_attempt_at = NULL WHERE id = ?",
	[STMT_MAIL_RETRY] =
		"UPDATE outbox SET status = 'queued', attempts = attempts + 1,"
		" last_error = ?, next_attempt_at = ? WHERE id = ?",
	[STMT_MAIL_FAILED] =
		"UPDATE outbox SET status = 'failed', attempts = attempts + 1,"
		" last_error = ?, next_attempt_at = NULL WHERE id = ?",
	[STMT_MAIL_LIST] =
		"SELECT id, to_addr, subject, status, attempts, last_error,"
		" created_at, sent_at, file FROM outbox"
		" ORDER BY id DESC LIMIT ? OFFSET ?",
};

struct db_sql mail_sql = {"mail", mail_sql_text, STMT_MAIL__MAX, 0};

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

/* Splits a configured mailbox, `Name <addr>`, `"Name, Inc." <addr>` or a
 * bare `addr`, into name and address (appended to the two bufs). */
static void
split_mailbox(const char *s, struct buf *name, struct buf *addr)
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

/* "=_" and 24 hex digits of a hash of the Message-ID: the same message
 * gets the same boundary, and "=_" never occurs in quoted-printable. */
static void
boundary_for(const char *message_id, char out[32])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), (const unsigned char *)message_id,
			   strlen(message_id), NULL, 0);
	out[0] = '=';
	out[1] = '_';
	sodium_bin2hex(out + 2, 30, h, 12);
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
	split_mailbox(from, &fname, &faddr);
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
	if (m->html) {
		boundary_for(mid, boundary);
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
	buf_free(&fname);
	buf_free(&faddr);
	buf_free(&t);
	free(subject);
	free(mid);
}

/* ---- the outbox ---------------------------------------------------- */

/* The host people reach the site at, from base_url: the right-hand side
 * of Message-IDs.  "localhost" when there is none. */
static void
site_host(char *out, size_t len)
{
	const char *u = config_current ? config_current->base_url : "";
	const char *p = strstr(u, "://"), *at, *end;
	size_t n;

	p = p ? p + 3 : u;
	n = strcspn(p, "/?#");
	at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (*p == '[') { /* an IPv6 literal keeps its brackets */
		end = memchr(p, ']', n);
		end = end ? end + 1 : p + n;
	} else {
		end = memchr(p, ':', n);
		end = end ? end : p + n;
	}
	n = (size_t)(end - p);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && !strchr(".-[]:", p[i]))
			n = 0;
	if (n == 0 || n >= len) {
		snprintf(out, len, "localhost");
		return;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[n] = '\0';
}

/* 1 when s is one line of UTF-8 text (no control characters). */
static int
one_line(const char *s)
{
	if (!utf8_valid(s, strlen(s)))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

int64_t
mail_enqueue(struct db *db, const struct mail *m)
{
	struct buf msg = BUF_INIT;
	struct db_stmt *st;
	unsigned char rnd[16];
	char mid[300], host[200], payload[32];
	int64_t now = (int64_t)time(NULL), id = -1;

	if (config_current == NULL) {
		log_error("mail: no configuration; the message is not queued");
		return -1;
	}
	if (m->to == NULL || !valid_email(m->to, strlen(m->to)) ||
	    (m->to_name && !one_line(m->to_name)) || m->subject == NULL ||
	    !one_line(m->subject) || m->text == NULL ||
	    !utf8_valid(m->text, strlen(m->text)) ||
	    (m->html && !utf8_valid(m->html, strlen(m->html))) ||
	    (m->list_unsubscribe && (!one_line(m->list_unsubscribe) ||
				     strchr(m->list_unsubscribe, ' ')))) {
		log_error("mail: refusing a message to '%s': an address, "
			  "name, subject or body is not valid",
			  m->to ? m->to : "(none)");
		return -1;
	}
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(mid, 33, rnd, sizeof(rnd));
	site_host(host, sizeof(host));
	snprintf(mid + 32, sizeof(mid) - 32, "@%s", host);
	mail_build(m, config_current->mail_from, now, mid, &msg);

	st = db_stmt(db, &mail_sql, STMT_MAIL_INSERT);
	if (st == NULL)
		goto done;
	db_bind_text(st, 1, m->to);
	db_bind_text(st, 2, m->to_name && m->to_name[0] ? m->to_name : NULL);
	db_bind_text(st, 3, m->subject);
	db_bind_textn(st, 4, msg.data, msg.len);
	db_bind_text(st, 5, mid);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, now);
	if (db_run(st) != 0)
		goto done;
	id = db_last_id(db);
	snprintf(payload, sizeof(payload), "%lld", (long long)id);
	if (jobs_enqueue(db, MAIL_JOB_KIND, payload, 0) < 0)
		id = -1;
done:
	if (id < 0)
		log_error("mail: cannot queue the message to %s", m->to);
	buf_free(&msg);
	return id;
}

json_t *
mail_outbox_list(struct db *db, int limit, int offset)
{
	struct db_stmt *st = db_stmt(db, &mail_sql, STMT_MAIL_LIST);

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, limit);
	db_bind_int(st, 2, offset);
	return db_all_json(st);
}

int64_t
mail_enqueue_test(struct db *db, const char *to, const char *site_name)
{
	const char *base = config_current ? config_current->base_url : "";
	struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
	struct mail m = {0};
	int64_t id;

	buf_printf(&subject, "Test message from %s", site_name);
	buf_printf(&text,
		   "This is a test message from %s.\n\n"
		   "If you can read it, the mail settings work: messages the "
		   "platform sends reach this address.\n\n"
		   "Sent with `alliance mail-test` for %s\n",
		   site_name, base);
	buf_puts(&html, "<!DOCTYPE html>\n<html><body>\n"
			"<p>This is a test message from <strong>");
	esc_html(&html, site_name, strlen(site_name));
	buf_puts(&html, "</strong>.</p>\n<p>If you can read it, the mail "
			"settings work: messages the platform sends reach "
			"this address.</p>\n<p>Sent with <code>alliance "
			"mail-test</code> for <a href=\"");
	esc_url_attr(&html, base, strlen(base));
	buf_puts(&html, "\">");
	esc_html(&html, base, strlen(base));
	buf_puts(&html, "</a></p>\n</body></html>\n");

	m.to = to;
	m.subject = buf_cstr(&subject);
	m.text = buf_cstr(&text);
	m.html = buf_cstr(&html);
	id = mail_enqueue(db, &m);
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
	return id;
}

/* ---- delivery ------------------------------------------------------ */

struct upload {
	const char *data;
	size_t len, pos;
};

/* libcurl's read callback: the stored message, as it is. */
static size_t
read_message(char *dst, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems, left = u->len - u->pos;

	if (n > left)
		n = left;
	memcpy(dst, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* libcurl's progress callback: gives up when the runner is stopping. */
static int
still_wanted(void *arg, curl_off_t dltotal, curl_off_t dlnow,
	     curl_off_t ultotal, curl_off_t ulnow)
{
	return jobs_stopping() ? 1 : 0;
}

/* Sends msg to `to` through smtp_url.  0, or -1 with the reason in err. */
static int
send_smtp(const char *to, const char *msg, char *err, size_t errlen)
{
	const struct config *c = config_current;
	struct buf fname = BUF_INIT, faddr = BUF_INIT, from = BUF_INIT,
		   rcpt = BUF_INIT;
	struct curl_slist *rcpts = NULL;
	struct upload up = {msg, strlen(msg), 0};
	char cerr[CURL_ERROR_SIZE];
	CURL *h = curl_easy_init();
	CURLcode rc;
	long code = 0;
	int ret = -1;

	cerr[0] = '\0';
	if (h == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		goto done;
	}
	split_mailbox(c->mail_from, &fname, &faddr);
	buf_printf(&from, "<%s>", buf_cstr(&faddr));
	buf_printf(&rcpt, "<%s>", to);
	rcpts = curl_slist_append(NULL, buf_cstr(&rcpt));
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS,
			 (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, buf_cstr(&from));
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.len);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, still_wanted);
	if (c->smtp_starttls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (c->smtp_user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
	}
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK) {
		ret = 0;
		goto done;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		snprintf(err, errlen, "SMTP: stopped by shutdown");
	else if (code > 0)
		snprintf(err, errlen, "SMTP: %s (the server answered %ld)%s%s",
			 curl_easy_strerror(rc), code, cerr[0] ? ": " : "",
			 cerr);
	else
		snprintf(err, errlen, "SMTP: %s%s%s", curl_easy_strerror(rc),
			 cerr[0] ? ": " : "", cerr);
done:
	curl_slist_free_all(rcpts);
	if (h)
		curl_easy_cleanup(h);
	buf_free(&fname);
	buf_free(&faddr);
	buf_free(&from);
	buf_free(&rcpt);
	return ret;
}

/* Writes msg to DATA/outbox/<created>-<id>.eml through a temporary file
 * and a rename; the path relative to DATA goes to rel.  0, or -1 with the
 * reason in err. */
static int
write_eml(int64_t id, int64_t created, const char *msg, struct buf *rel,
	  char *err, size_t errlen)
{
	const char *data = config_current->data_dir;
	struct buf dir = BUF_INIT, path = BUF_INIT, tmp = BUF_INIT;
	size_t len = strlen(msg), off = 0;
	time_t t = (time_t)created;
	char stamp[32];
	struct tm tm;
	int fd = -1, dfd, ret = -1;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	buf_printf(&dir, "%s/outbox", data);
	buf_printf(rel, "outbox/%s-%lld.eml", stamp, (long long)id);
	buf_printf(&path, "%s/%s", data, buf_cstr(rel));
	buf_printf(&tmp, "%s/.tmp-%lld-XXXXXX", buf_cstr(&dir),
		   (long long)id);
	if (mkdir(dir.data, 0750) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir.data,
			 strerror(errno));
		goto done;
	}
	fd = mkstemp(tmp.data);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a file in %s: %s",
			 dir.data, strerror(errno));
		goto done;
	}
	while (off < len) {
		ssize_t w = write(fd, msg + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(err, errlen, "cannot write %s: %s", tmp.data,
				 strerror(errno));
			goto done;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0640) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", tmp.data,
			 strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		snprintf(err, errlen, "cannot write %s: %s", tmp.data,
			 strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.data, path.data) != 0) {
		snprintf(err, errlen, "cannot rename to %s: %s", path.data,
			 strerror(errno));
		goto done;
	}
	/* the rename itself lasts once the folder is on disk */
	dfd = open(dir.data, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	ret = 0;
done:
	if (fd >= 0)
		close(fd);
	if (ret != 0 && tmp.data)
		unlink(tmp.data);
	buf_free(&dir);
	buf_free(&path);
	buf_free(&tmp);
	return ret;
}

/* Records the end of one delivery attempt in the outbox row.  0 or -1. */
static int
record_attempt(struct db *db, int64_t id, int sent, const char *file,
	       const char *error, int last, int64_t retry_at, int64_t now)
{
	struct db_stmt *st;

	if (sent) {
		st = db_stmt(db, &mail_sql, STMT_MAIL_SENT);
		if (st == NULL)
			return -1;
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, file);
		db_bind_int(st, 3, id);
	} else if (last) {
		st = db_stmt(db, &mail_sql, STMT_MAIL_FAILED);
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, error);
		db_bind_int(st, 2, id);
	} else {
		st = db_stmt(db, &mail_sql, STMT_MAIL_RETRY);
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, error);
		db_bind_int(st, 2, retry_at);
		db_bind_int(st, 3, id);
	}
	return db_run(st);
}

/* The MAIL_JOB_KIND job: delivers outbox message <payload>. */
static int
deliver(struct db *db, const char *payload, char *err, size_t errlen)
{
	struct buf file = BUF_INIT;
	struct db_stmt *st;
	char *end, *to = NULL, *msg = NULL;
	int attempt = 1, max_attempts = 1, rc, ret = -1;
	int64_t now, created;
	long long id;

	errno = 0;
	id = strtoll(payload, &end, 10);
	if (payload[0] == '\0' || *end != '\0' || errno || id <= 0) {
		snprintf(err, errlen, "'%s' is not an outbox id", payload);
		return -1;
	}
	if (config_current == NULL) {
		snprintf(err, errlen, "no configuration");
		return -1;
	}
	if (jobs_current(&attempt, &max_attempts, &now) != 0)
		now = (int64_t)time(NULL);

	st = db_stmt(db, &mail_sql, STMT_MAIL_GET);
	if (st == NULL) {
		snprintf(err, errlen, "database error");
		return -1;
	}
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_DONE) {
		snprintf(err, errlen, "outbox message %lld does not exist", id);
		return -1;
	}
	if (rc != DB_ROW) {
		snprintf(err, errlen, "database error reading outbox message "
				      "%lld", id);
		return -1;
	}
	if (strcmp(db_col_text(st, 2), "sent") == 0) {
		db_reset(st); /* delivered by an earlier run */
		return 0;
	}
	to = xstrdup(db_col_text(st, 0));
	msg = xstrdup(db_col_text(st, 1));
	created = db_col_int(st, 3);
	db_reset(st);

	if (config_current->smtp_url[0])
		rc = send_smtp(to, msg, err, errlen);
	else
		rc = write_eml(id, created, msg, &file, err, errlen);
	if (rc == 0) {
		/* the message is out: a failing update must not send it
		 * again, so the job is done either way */
		if (record_attempt(db, id, 1, file.data, NULL, 0, 0, now) != 0)
			log_error("mail: message %lld was delivered but the "
				  "outbox could not be updated",
				  id);
		ret = 0;
	} else if (record_attempt(db, id, 0, NULL, err,
				  attempt >= max_attempts,
				  now + jobs_backoff(attempt), now) != 0) {
		log_error("mail: cannot record the failure of message %lld",
			  id);
	}
	free(to);
	free(msg);
	buf_free(&file);
	return ret;
}

void
mail_init(void)
{
	static int done;

	if (!done) {
		/* before any thread: libcurl's global set-up is not
		 * thread-safe */
		curl_global_init(CURL_GLOBAL_DEFAULT);
		if (sodium_init() < 0)
			log_error("mail: libsodium cannot start");
		done = 1;
	}
	jobs_register(MAIL_JOB_KIND, deliver);
}
