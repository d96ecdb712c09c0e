/*
 * statements_int.h -- what the two files of src/statements/ share: a
 * statement as the handlers read it, its state in words, and its place
 * in the search index.
 */
#ifndef ALLIANCE_STATEMENTS_INT_H
#define ALLIANCE_STATEMENTS_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/db.h"
#include "core/http.h"
#include "core/jobs.h"
#include "statements.h"

/* The kind of a statement's document in the search index. */
#define STATEMENT_KIND "statement"

/*
 * The statement of the route's :slug into *out (a new object: id, slug,
 * title, summary, body_md, occasion, year, un_body_id, party_id, state,
 * closes_on, created_at, updated_at, opened_at, closed_at, body_slug,
 * body_acronym, body_name, party_slug, party_name, endorsements (their
 * number), and "open": 1 while it takes endorsements -- state open and
 * its closing day not past).  A draft is only the secretariat's
 * (admin 1): to anyone else, as an unknown slug, a 404 is answered and
 * -1 returned; -1 too after a 500 on a database error.
 */
int statement_load(struct req *r, struct resp *w, int admin, json_t **out);
/* The same for the statement slug. */
int statement_load_slug(struct req *r, struct resp *w, const char *slug,
			int admin, json_t **out);
/* Whether r's viewer may see the draft s: the secretariat, or a chair or
 * co-chair of the working party that drafted it (party.manage).  1, 0,
 * or -1 on a database error. */
int statement_draft_visible(struct req *r, json_t *s);

/* Adds "state_text" (the state in words: "Draft", "Open for endorsement
 * until 31 Jan 2027", "Closed") and "closes_text" to a statement or a
 * list row (state, closes_on, open). */
void statement_words(json_t *s);

/* The statement id's document in the search index as it is now: put
 * while it is open or closed, removed while a draft.  In the caller's
 * transaction; 0 or -1. */
int statement_index(struct db *db, int64_t id);

/* Adds href (its directory page, for a public organisation) and
 * country_name to each endorsing organisation of rows. */
void statement_endorsers_words(json_t *rows);

/* notices.c: queues the letters that tell the main contacts of member
 * organisations that statement id is open (the job statements.notify),
 * in the caller's transaction; 0 or -1.  How many were told, into *n. */
int statements_notify_queue(struct db *db, int64_t id);
int statements_notices_count(struct db *db, int64_t id, int64_t *n);
extern const struct module_job statements_notify_job;
extern struct db_sql statement_notices_sql;

/*
 * form.c: the form of a statement, the secretariat's and a working
 * party's.  statement_fields are its fields (a route's .fields), and
 * statement_party_fields a working party's, without the party;
 * statement_form_new/_sent/_stored the model's "form" empty, as sent
 * (after errors) or as statement s is stored (NULL on a database error);
 * statement_form_choices adds the choices (bodies, parties, areas of
 * statement id, 0 for a new one) to model, those of form marked;
 * statement_form_check puts a message at a UN body or working party not
 * in the list (0, or -1 on a database error).  statement_form_insert
 * drafts a new statement from the request (its working party party, or
 * 0: the form's), its slug into *slug; statement_form_update writes the
 * request over statement s (party as for the insert); both in the
 * caller's transaction with the focal areas, the search document and
 * the audit record; 0 or -1.
 */
extern const struct field statement_fields[];
extern const struct field statement_party_fields[];
extern struct db_sql statements_form_sql;
json_t *statement_form_new(void);
json_t *statement_form_sent(struct req *r);
json_t *statement_form_stored(struct req *r, json_t *s);
int statement_form_choices(struct req *r, json_t *model, json_t *form,
			   json_int_t id);
int statement_form_check(struct req *r);
int statement_form_insert(struct req *r, int64_t party, const char **slug);
int statement_form_update(struct req *r, json_t *s, int64_t party);

extern struct db_sql statements_sql;
enum stmt_statements {
	S_GET,
	S_LIST,
	S_ENDORSERS,
	S_MY_ORGS,
	S_ENDORSE,
	S_UNENDORSE,
	S_INDEX_ONE,
	S_INDEX_MISSING,
	S_OF_PARTY,
	S_OF_AREA,
	S_DRAFTS_OF_PARTY,
	S_OF_ORGANISATION,
	S_AREAS,
	S__MAX,
};

#endif
