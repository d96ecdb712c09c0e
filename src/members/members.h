/*
 * members.h -- the small pieces the membership files share (members.c):
 * money as people read it ("USD 1,500.00") and as forms show it back
 * ("1500.00"), the currencies and <select>
 * options of their forms, JSON fields read as C values,
 * the 500 answers, form messages,
 * the secretariat's membership pages with their links, and the keys an
 * application is compared and an organisation stored under (its folded
 * name, its e-mail domain).
 *
 * Used by levels.c, pledges.c, renew.c, review.c and approve.c.  Nothing
 * here has routes or statements of its own.
 */
#ifndef ALLIANCE_MEMBERS_H
#define ALLIANCE_MEMBERS_H

#include <stdint.h>

#include "core/http.h"
#include "core/util.h"

/* SQL: the memberships person ?1 answers for (m is memberships): their
 * individual membership, or an organisation's of which they are a main
 * contact.  Renew (renew.c) and ending a membership (cancel.c). */
#define MEMBERS_ANSWERS_FOR                                                  \
	" (m.person_id = ?1 OR m.organisation_id IN (SELECT organisation_id" \
	" FROM representatives WHERE person_id = ?1 AND main_contact = 1))"

/* The largest amount a form takes: 10,000,000.00 in minor units (the
 * .max of the FT_MONEY fields of dues, tiers, pledges and payments). */
#define MEMBERS_MAX_MINOR INT64_C(1000000000)

/* The currencies dues, tiers and pledges are kept in; NULL-terminated. */
extern const char *const members_currencies[];

/* ECOSOC consultative status, UN posts of representatives and their
 * ranks, as stored (NULL-terminated) and as people read them (the same
 * order): the choices of Join, the edit form and the representatives. */
extern const char *const members_ecosoc_values[];
extern const char *const members_ecosoc_labels[];
extern const char *const members_post_values[];
extern const char *const members_post_labels[];
extern const char *const members_rank_values[];
extern const char *const members_rank_labels[];

/* "USD 1,500.00" for minor units (cents) of currency: two decimals,
 * thousands separated by commas.  A new JSON string (the caller owns it). */
json_t *members_money(int64_t minor, const char *currency);

/* minor units as a form shows them back for editing: "1500.00" (two
 * decimals, no separators; FT_MONEY reads it back to the same amount).
 * A new JSON string. */
json_t *members_amount_input(int64_t minor);

/* The label of value among the NULL-terminated values (labels in the same
 * order), or value itself; "" for NULL. */
const char *members_label_of(const char *const *values,
			     const char *const *labels, const char *value);

/* Options for a <select>: a new array of {value, label, selected}.
 * labels NULL: each value is its own label; current may be NULL. */
json_t *members_options(const char *const *values, const char *const *labels,
			const char *current);

/* The string at key of JSON object o (borrowed), or NULL. */
const char *members_str(json_t *o, const char *key);

/* The integer at key of JSON object o (0 when absent or not one). */
int64_t members_int(json_t *o, const char *key);

/* An id as text for an audit record ("42"), in arena a. */
const char *members_id_text(struct arena *a, int64_t id);

/* Answers 500: the page could not be read (nothing was changed). */
void members_read_failed(struct resp *w);

/* The text of a declared field, or NULL when it was not given. */
const char *members_value_or_null(const struct req *r, const char *name);

/* The values of a FIELD_MULTI field of r's route (checkboxes), or NULL
 * when the route declares no such field. */
const struct field_values *members_multi(const struct req *r,
					 const char *name);

/* Adds a message for field to r->errors unless it has one already. */
void members_add_error(struct req *r, const char *field, const char *message);

/* Puts the request's messages into model: errors {field: message},
 * error_list [{field, message}] and has_errors.  Nothing without errors. */
void members_add_errors(const struct req *r, json_t *model);

/*
 * Answers with a page of the secretariat: personal, and (for HTML) with
 * the secretariat's menu (admin_secretariat_page), the entry at path (NULL:
 * the request's) marked current.  Takes model.
 */
void members_admin_page(const struct req *r, struct resp *w, int status,
			const char *tmpl, const char *title, const char *path,
			json_t *model);

/* The folded form of a name (fold_text), as organisations keep it in
 * name_key; "" for NULL.  In arena a. */
const char *members_folded(struct arena *a, const char *name);

/* The domain of an address, lower case; "" when there is none.  In
 * arena a. */
const char *members_email_domain(struct arena *a, const char *email);

/* The name an application was made for: the organisation's, or the
 * applicant's own.  Borrowed from app. */
const char *members_applicant_subject(json_t *app);

#endif
