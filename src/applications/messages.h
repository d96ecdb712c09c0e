/*
 * messages.h -- the conversation between the secretariat and an applicant
 * (messages.c, the table application_messages): the questions the
 * secretariat asks about an application and the answers the applicant
 * gives on a private page (answer.c).  Its own file so that review.c and
 * answer.c, which both use it, need not include each other.
 *
 * review.c's "ask" decision calls messages_question_add() inside its
 * transaction: the question is kept in application_messages with the
 * digest of a fresh random token, and the e-mail carries the link
 * /join/answer/TOKEN.  That page (a visitor's, personal) shows the
 * question and the application as sent, and takes one answer (Markdown)
 * with corrections of the organisation's main fields: the answer is kept,
 * the application is "submitted" again, audited, and both sides are told.
 * review.c and answer.c show the whole conversation
 * (messages_conversation()).
 */
#ifndef ALLIANCE_APPLICATIONS_MESSAGES_H
#define ALLIANCE_APPLICATIONS_MESSAGES_H

#include <jansson.h>
#include <stdint.h>

#include "core/auth.h"
#include "core/db.h"
#include "core/http.h"

/* How long the link of a question works, in days. */
#define MESSAGES_LINK_DAYS 30

/* The statements of messages.c (registered by review.c's module). */
extern struct db_sql messages_sql;

/*
 * Keeps question (asked by the person author) about application, with a
 * new link that works once until MESSAGES_LINK_DAYS after now; the links of
 * earlier unanswered questions stop working (the newest question is the
 * one to answer).  Call inside the caller's write transaction.  Fills
 * token with the link's token (only its digest is stored).  0 or -1.
 */
int messages_question_add(struct db *db, int64_t application,
			  int64_t author, const char *question, int64_t now,
			  char token[AUTH_TOKEN_LEN + 1]);

/*
 * The conversation about application, oldest first: a new array of
 * {id, kind ("question" or "answer"), is_question, body, body_html (an
 * answer's Markdown as safe HTML), author_name, created_at with
 * created_at_iso/_text, answered (a question's link was used),
 * attachment_name and document_kib when an answer came with a document};
 * NULL on error.
 */
json_t *messages_conversation(struct db *db, int64_t application);

/*
 * GET /admin/applications/:id/documents/:message (review.c's route, the
 * secretariat's): the document sent with an answer about application :id,
 * as a download (resp_stored_document); 404 when that message of that
 * application has none.
 */
void messages_document(struct req *r, struct resp *w);

#endif
