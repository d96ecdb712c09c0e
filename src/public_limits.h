/*
 * public_limits.h -- how often the writes that send mail or store files may be
 * used, all in one place: per client address and per target address (the
 * address the mail goes to, or the sender's for a stored message), each in
 * its own window, counted in the database (core/ratelimit.c) so every
 * node sees the same counts.  A refusal is a 429 with Retry-After and a
 * sentence shown next to the form (JSON clients get the error object).
 *
 * The numbers are for people: an NGO's office behind one address sends a
 * handful of messages a day; a script sending hundreds is stopped within
 * the first few.  README.md ("Limits on public forms") lists them.
 */
#ifndef ALLIANCE_PUBLIC_LIMITS_H
#define ALLIANCE_PUBLIC_LIMITS_H

#include <stdint.h>

#include "core/http.h"
#include "core/ratelimit.h"

/* POST /contact: messages per client and per sender address. */
extern const struct ratelimit_rule limits_contact;
/* POST /contact with a document: documents per client and day ... */
extern const struct ratelimit_rule limits_contact_files;
/* ... and their size per client and day, in KiB. */
#define LIMITS_CONTACT_KIB_PER_DAY (20 * 1024)
/* POST /sponsor: pledges (each mails a thank-you to the contact). */
extern const struct ratelimit_rule limits_sponsor;
/* POST /join/:level: applications (each mails a receipt). */
extern const struct ratelimit_rule limits_join;
/* POST /join/answer/:token: answers (each mails a receipt). */
extern const struct ratelimit_rule limits_join_answer;
/* POST /join/answer/:token with a document: documents per client and
 * per application (the "address" is the application's id) and day. */
extern const struct ratelimit_rule limits_answer_files;
/* Account links by mail: sign-up, password reset, a new address. */
extern const struct ratelimit_rule limits_signup_mail;
extern const struct ratelimit_rule limits_reset_mail;
extern const struct ratelimit_rule limits_address_mail;
/* POST /updates/subscribe: sign-ups for updates (each mails a link). */
extern const struct ratelimit_rule limits_updates;
/* The secretariat's mail to one person from the people desk (an
 * invitation again, a sign-in link): per target address, like the
 * account links; per client generous, the secretariat being few. */
extern const struct ratelimit_rule limits_person_mail;
/* POST /working-parties/:slug/resources with a file: files per client
 * and per party (the "address" is the party's slug) and day ... */
extern const struct ratelimit_rule limits_party_files;
/* ... and their size per client and day, in KiB. */
#define LIMITS_PARTY_KIB_PER_DAY (100 * 1024)
/* POST /calendar/:slug/documents with a file: files per client and per
 * meeting (the "address" is the meeting's slug) and day, and their size
 * per client and day, in KiB. */
extern const struct ratelimit_rule limits_meeting_files;
#define LIMITS_MEETING_KIB_PER_DAY (100 * 1024)

/* The client address every limit counts: today the peer address of the
 * connection.  The one place to switch to the address a trusted proxy
 * forwards. */
const char *limits_client(const struct req *r);

/*
 * Counts one use of rule by r's client for address (NULL: the client
 * only).  0 to go on; otherwise the seconds to wait, with Retry-After set
 * on w and *message the sentence for people ("Too many WHAT have been
 * sent ...", in r's arena): the caller answers 429 with it, the form again
 * for HTML, resp_error for JSON (r->want_json).  -1 on a database error,
 * nothing set.
 */
int limits_check(struct req *r, struct resp *w,
		 const struct ratelimit_rule *rule, const char *address,
		 const char *what, const char **message);
/* limits_check for a file of size bytes, then its size against
 * kib_per_day per client (the key: the rule's kind and "-kib"): 0 to go
 * on, the seconds to wait (Retry-After and *message set), -1. */
int limits_check_file(struct req *r, struct resp *w,
		      const struct ratelimit_rule *rule, const char *address,
		      uint64_t size, int kib_per_day, const char **message);
/* Sets Retry-After and *message as limits_check does, for a wait found
 * otherwise (ratelimit_add). */
void limits_refused(struct req *r, struct resp *w, int wait, const char *what,
		    const char **message);

#endif
