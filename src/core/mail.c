/*
 * mail.c -- see mail.h.  The outbox and the delivery job; the message
 * itself is written by mailmsg.c (mail_build).
 *
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

#include "arena.h"
#include "clock.h"
#include "config.h"
#include "escape.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "validate.h"

enum stmt_mail {
	STMT_MAIL_INSERT,
	STMT_MAIL_GET,
	STMT_MAIL_SENT,
	STMT_MAIL_RETRY,
	STMT_MAIL_FAILED,
	STMT_MAIL_LIST,
	STMT_MAIL_LANGUAGE,
	STMT_MAIL_REMEMBER,
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
	/* the account's choice first, then what the address wrote in */
	[STMT_MAIL_LANGUAGE] =
		"SELECT coalesce((SELECT language FROM people WHERE email = ?"
		" AND disabled_at IS NULL),"
		" (SELECT language FROM mail_languages WHERE address = ?))",
	[STMT_MAIL_REMEMBER] =
		"INSERT INTO mail_languages (address, language, updated_at)"
		" VALUES (?, ?, ?) ON CONFLICT (address) DO UPDATE SET"
		" language = excluded.language, updated_at = "
		"excluded.updated_at",
};

struct db_sql mail_sql = {"mail", mail_sql_text, STMT_MAIL__MAX, 0};

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
	int64_t now = clock_now(), id = -1;

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
	{
		/* the language the message was composed in: the current one
		 * (the recipient's, between i18n_push and i18n_pop) */
		struct mail tagged = *m;

		if (tagged.language == NULL)
			tagged.language = i18n_code();
		mail_build(&tagged, config_current->mail_from, now, mid, &msg);
	}

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

int
mail_letter(struct db *db, const char *to, const char *name,
	    const char *subject, const char *body)
{
	return mail_letter_with(db, to, name, subject, body, NULL, 0);
}

int
mail_letter_with(struct db *db, const char *to, const char *name,
		 const char *subject, const char *body,
		 const struct mail_attachment *att, size_t natt)
{
	struct buf text = BUF_INIT;
	struct mail m = {0};
	int64_t id;

	/* the greeting in the language the letter is composed in (the
	 * caller's i18n_push) */
	if (name)
		i18n_format(&text, _("Hello {name},"), "name", name, NULL);
	else
		buf_puts(&text, _("Hello,"));
	buf_printf(&text, "\n\n%s\n\n-- \n%s\n", body,
		   config_current->site_name);
	m.to = to;
	m.to_name = name;
	m.subject = subject;
	m.text = buf_cstr(&text);
	m.attachments = att;
	m.nattachments = natt;
	id = mail_enqueue(db, &m);
	buf_free(&text);
	return id < 0 ? -1 : 0;
}

char *
mail_address_key(struct arena *a, const char *address)
{
	char *s = arena_strdup(a, address);

	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

const char *
mail_language(struct db *db, struct arena *a, const char *to,
	      const char *fallback)
{
	struct db_stmt *st = db_stmt(db, &mail_sql, STMT_MAIL_LANGUAGE);
	const char *key = mail_address_key(a, to), *lang = NULL;

	if (st == NULL)
		return fallback;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, key);
	if (db_step(st) == DB_ROW && db_col_text(st, 0))
		lang = arena_strdup(a, db_col_text(st, 0));
	db_reset(st);
	return lang ? lang : fallback;
}

int
mail_remember_language(struct db *db, struct arena *a, const char *to)
{
	struct db_stmt *st = db_stmt(db, &mail_sql, STMT_MAIL_REMEMBER);

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, mail_address_key(a, to));
	db_bind_text(st, 2, i18n_code());
	db_bind_int(st, 3, clock_now());
	return db_run(st) == 0 ? 0 : -1;
}

json_t *
mail_outbox_list(struct db *db, int limit, int offset)
{
	static const char *const states[][2] = {
		{"queued", N_("Waiting to be sent")},
		{"sent", N_("Sent out")},
		{"failed", N_("Could not be sent")},
	};
	struct db_stmt *st = db_stmt(db, &mail_sql, STMT_MAIL_LIST);
	json_t *rows, *row;
	size_t i;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, limit);
	db_bind_int(st, 2, offset);
	if ((rows = db_all_json(st)) == NULL)
		return NULL;
	/* the state as the secretariat reads it, never the stored word */
	json_array_foreach(rows, i, row) {
		const char *s =
			json_string_value(json_object_get(row, "status"));

		for (size_t k = 0; s && k < ARRAY_LEN(states); k++)
			if (strcmp(s, states[k][0]) == 0)
				json_object_set_new(
					row, "status_label",
					json_string(_(states[k][1])));
	}
	return rows;
}

int
mail_secretariat_reachable(void)
{
	struct buf name = BUF_INIT, addr = BUF_INIT;
	int ok;

	mail_split_mailbox(config_current ? config_current->mail_from : "",
			   &name, &addr);
	ok = valid_email(buf_cstr(&addr), addr.len);
	buf_free(&name);
	buf_free(&addr);
	return ok;
}

int
mail_to_secretariat(struct db *db, const char *subject, const char *text)
{
	struct buf name = BUF_INIT, addr = BUF_INIT;
	struct mail m = {0};
	int rc = 0;

	mail_split_mailbox(config_current ? config_current->mail_from : "",
			   &name, &addr);
	if (!valid_email(buf_cstr(&addr), addr.len)) {
		/* the default's secretariat@localhost: the change goes on */
		log_error("mail: mail_from has no address that can receive "
			  "mail; not sent: %s",
			  subject);
	} else {
		m.to = buf_cstr(&addr);
		m.to_name = name.len ? buf_cstr(&name) : NULL;
		m.subject = subject;
		m.text = text;
		rc = mail_enqueue(db, &m) < 0 ? -1 : 0;
	}
	buf_free(&name);
	buf_free(&addr);
	return rc;
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
	mail_split_mailbox(c->mail_from, &fname, &faddr);
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
		now = clock_now();

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
}

const struct module_job mail_job = {.kind = MAIL_JOB_KIND, .run = deliver};
