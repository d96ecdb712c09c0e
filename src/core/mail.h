/*
 * mail.h -- outgoing e-mail through an outbox.
 *
 * A feature never talks to a mail server: it puts a message in the outbox
 * table inside its own transaction (so a change and its notice commit or
 * roll back together) and a delivery job sends it -- over SMTP with libcurl
 * when smtp_url is configured, otherwise by writing an .eml file under
 * DATA/outbox/ (the embedded default, read by the admin's Outbox page).
 * Failed deliveries are retried with back-off and stay visible.
 */
#ifndef ALLIANCE_MAIL_H
#define ALLIANCE_MAIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "util.h"

/* A file sent with a message: written base64 after the text, in a
 * multipart/mixed (RFC 2046 5.1.3). */
struct mail_attachment {
	const char *filename;     /* "meeting.ics": printable ASCII, no '"' */
	const char *content_type; /* "text/calendar; charset=UTF-8;
				     method=REQUEST": the type and its
				     parameters, as written */
	const char *data;
	size_t len;
};

struct mail {
	const char *to;               /* addr-spec, already validated */
	const char *to_name;          /* display name or NULL */
	const char *subject;          /* UTF-8, one line */
	const char *text;             /* the plain-text body (required) */
	const char *html;             /* an HTML alternative, or NULL */
	const char *list_unsubscribe; /* URL for List-Unsubscribe, or NULL */
	const char *language;         /* Content-Language ("fr"), or NULL:
					 mail_enqueue takes the current one
					 (i18n_code), the language the
					 message was composed in */
	const struct mail_attachment *attachments; /* or NULL */
	size_t nattachments;
};

/* The outbox's statements; registered by the application at start-up. */
extern struct db_sql mail_sql;

/*
 * Puts m in the outbox and schedules its delivery, in the caller's
 * transaction (if any).  Returns the outbox id, or -1 (logged).
 */
int64_t mail_enqueue(struct db *db, const struct mail *m);

/*
 * Puts a plain-text letter to `to` (display name `name`, may be NULL) in
 * the outbox, in the caller's transaction: "Hello NAME," + body + the
 * site's signature.  0 or -1 (logged).
 */
int mail_letter(struct db *db, const char *to, const char *name,
		const char *subject, const char *body);

/* mail_letter with files attached (natt of them at att). */
int mail_letter_with(struct db *db, const char *to, const char *name,
		     const char *subject, const char *body,
		     const struct mail_attachment *att, size_t natt);

/* The address in lower case, to compare and store addresses people typed
 * ("Ana@Example.org" and "ana@example.org" are one person).  In a. */
struct arena;
char *mail_address_key(struct arena *a, const char *address);

/*
 * Builds the RFC 5322 / MIME message for m into out: UTF-8 headers
 * (RFC 2047 encoded-words where needed), Date, Message-ID, From (from),
 * To, Subject, MIME-Version, Content-Language when given (a tag of
 * letters, digits and '-'), List-Unsubscribe (+ List-Unsubscribe-Post)
 * when given, and a multipart/alternative body (text/plain then text/html,
 * quoted-printable) or a single text/plain part; with attachments, that
 * body is the first part of a multipart/mixed and each attachment follows
 * as a base64 part (Content-Type with a name parameter, Content-
 * Disposition: attachment; filename).  CRLF line ends, lines
 * under 78 characters.  date (unix seconds) and message_id are given so
 * the output is reproducible for golden-file tests.  message_id is written
 * without its angle brackets ("1f0c...@example.org"); the multipart
 * boundary is derived from it.  Control characters in header values become
 * spaces, so no value can start a header of its own.
 */
void mail_build(const struct mail *m, const char *from, int64_t date,
		const char *message_id, struct buf *out);

/* Splits a mailbox as configured in mail_from -- `Name <addr>`,
 * `"Name, Inc." <addr>` or a bare `addr` -- appending the display name
 * (unquoted; empty when there is none) and the address to the two bufs. */
void mail_split_mailbox(const char *mailbox, struct buf *name,
			struct buf *addr);

/*
 * The language of a letter to `to`: compose it between
 * i18n_push(mail_language(...)) and i18n_pop().  It is the language of the
 * account with that address when it chose one, else the language the
 * address last wrote to us in (mail_remember_language), else fallback:
 * i18n_code() when the person asking is the recipient (a password reset),
 * NULL (the default language) when someone else acts (the secretariat
 * answering an application).  Mail to the secretariat's own address is
 * composed in the default language: i18n_push(NULL).  The code is in a.
 */
const char *mail_language(struct db *db, struct arena *a, const char *to,
			  const char *fallback);

/*
 * Records the current language (i18n_code()) as the one `to` reads, in the
 * caller's transaction: call it where a request sends its maker a receipt
 * in the request's language (a contact message, an application, a pledge),
 * so that a letter sent to that address later -- an application answered
 * days after -- is written in it too.  0 or -1.
 */
int mail_remember_language(struct db *db, struct arena *a, const char *to);

/* The outbox for the admin page: newest first, as JSON rows
 * {id, to_addr, subject, status, status_label (in the current language),
 * attempts, last_error, created_at, sent_at, file}; NULL on error. */
json_t *mail_outbox_list(struct db *db, int limit, int offset);

/*
 * A plain notice to the secretariat: the address inside mail_from.  When
 * that address cannot receive mail (the default's secretariat@localhost)
 * the notice is logged and skipped, and the caller's change goes on.
 * 0, or -1 when the outbox refused it.
 */
int mail_to_secretariat(struct db *db, const char *subject, const char *text);

/* 1 when the address inside mail_from can receive the secretariat's
 * notices; 0 (the default's secretariat@localhost) when they are skipped,
 * which the admin dashboard says. */
int mail_secretariat_reachable(void);

/* Initialises libcurl and libsodium (at start-up, before any thread). */
void mail_init(void);

/* The job kind of a delivery; its payload is the outbox id in decimal.
 * mail_job is its declaration, the core module's. */
#define MAIL_JOB_KIND "mail.deliver"
struct module_job;
extern const struct module_job mail_job;

/*
 * `alliance mail-test`: puts a short message ("Test message from
 * <site_name>", text and HTML) to `to` in the outbox, like mail_enqueue
 * (the caller validates to and holds the transaction).  Returns the
 * outbox id or -1.
 */
int64_t mail_enqueue_test(struct db *db, const char *to,
			  const char *site_name);

#endif
