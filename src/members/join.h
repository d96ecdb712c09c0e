/*
 * join.h -- Join (join.c): applying for membership, and the secretariat's
 * review of the applications (review.c).
 *
 * An applicant picks a level at /join, fills in the form of that level and
 * sends it: the application is stored (status "submitted") with an audit
 * record, the applicant gets a receipt and the secretariat a notice, all
 * in one transaction.  The secretariat reviews it at
 * /admin/applications/:id, sees possible duplicates, and approves it (the
 * organisation or person, the membership, the representatives and their
 * invitations), rejects it with a reason, or asks a question.
 */
#ifndef ALLIANCE_JOIN_H
#define ALLIANCE_JOIN_H

#include "core/db.h"
#include "core/http.h"
#include "core/util.h"

extern const struct module join_module;
extern const struct module review_module;

/*
 * Puts a plain-text message to `to` (display name `name`, may be NULL) in
 * the outbox, in the caller's transaction: "Hello NAME," + body + the
 * site's signature.  0 or -1 (logged).
 */
int join_send_mail(struct db *db, const char *to, const char *name,
		   const char *subject, const char *body);


/* The e-mail address as stored: lower case, so one mailbox is one person
 * whatever its spelling.  In arena a. */
char *join_normal_email(struct arena *a, const char *email);

#endif
