/*
 * membership.h -- the membership module's public header: its modules
 * (levels and Benefits, Renew and the secretariat's memberships list,
 * ending a membership, the membership dashboard, the daily states job),
 * and what the modules above it use (membership.c): money as people read
 * it ("USD 1,500.00") and as forms show it back ("1500.00"), the
 * currencies and <select> options of their forms, JSON fields read as C
 * values, the 500 answers, form messages and the secretariat's pages.
 *
 * membership is the lowest of the member modules: organisations,
 * applications and sponsorship include this header (and period.h and
 * states.h, which it includes); it includes none of theirs.
 */
#ifndef ALLIANCE_MEMBERSHIP_H
#define ALLIANCE_MEMBERSHIP_H

#include <stdint.h>

#include "core/http.h"
#include "core/util.h"
#include "membership/period.h"
#include "membership/states.h"

extern const struct module levels_module;
extern const struct module renew_module;
extern const struct module cancel_module;
extern const struct module dashboard_module;

/* The largest amount a form takes: 10,000,000.00 in minor units (the
 * .max of the FT_MONEY fields of dues, tiers, pledges and payments). */
#define MEMBERSHIP_MAX_MINOR INT64_C(1000000000)

/* The currencies dues, tiers and pledges are kept in; NULL-terminated. */
extern const char *const membership_currencies[];

/* "USD 1,500.00" for minor units (cents) of currency: two decimals,
 * thousands separated by commas.  A new JSON string (the caller owns it). */
json_t *membership_money(int64_t minor, const char *currency);

/* minor units as a form shows them back for editing: "1500.00" (two
 * decimals, no separators; FT_MONEY reads it back to the same amount).
 * A new JSON string. */
json_t *membership_amount_input(int64_t minor);

/* The label of value among the NULL-terminated values (labels in the same
 * order: msgids, marked N_()), translated into the current language, or
 * value itself; "" for NULL. */
const char *membership_label_of(const char *const *values,
			     const char *const *labels, const char *value);

/* Options for a <select>: a new array of {value, label, selected}, each
 * label (a msgid, marked N_()) translated into the current language.
 * labels NULL: each value is its own label; current may be NULL. */
json_t *membership_options(const char *const *values, const char *const *labels,
			const char *current);

/* The string at key of JSON object o (borrowed), or NULL. */
const char *membership_str(json_t *o, const char *key);

/* The integer at key of JSON object o (0 when absent or not one). */
int64_t membership_int(json_t *o, const char *key);

/* An id as text for an audit record ("42"), in arena a. */
const char *membership_id_text(struct arena *a, int64_t id);

/* Answers 500: the page could not be read (nothing was changed). */
void membership_read_failed(struct resp *w);

/* The text of a declared field, or NULL when it was not given. */
const char *membership_value_or_null(const struct req *r, const char *name);

/* The values of a FIELD_MULTI field of r's route (checkboxes), or NULL
 * when the route declares no such field. */
const struct field_values *membership_multi(const struct req *r,
					 const char *name);

/* Adds a message for field to r->errors unless it has one already. */
void membership_add_error(struct req *r, const char *field,
			  const char *message);

/* Puts the request's messages into model: errors {field: message},
 * error_list [{field, message}] and has_errors.  Nothing without errors. */
void membership_add_errors(const struct req *r, json_t *model);

/*
 * Answers with a page of the secretariat: personal, and (for HTML) with
 * the secretariat's menu (admin_secretariat_page), the entry at path (NULL:
 * the request's) marked current.  Takes model.
 */
void membership_admin_page(const struct req *r, struct resp *w, int status,
			const char *tmpl, const char *title, const char *path,
			json_t *model);

/* Appends the words of the membership levels, in their order, to out
 * for the site search: each level's name and summary and, with full,
 * who may apply and its benefits (Markdown as stored), a line each.
 * 0, or -1 on a database error. */
struct db;
struct buf;
int membership_levels_words(struct db *db, struct buf *out, int full);

/*
 * Of the keys of after, those whose value differs from the same key of
 * row: *before and *changed get new objects holding only those keys (old
 * and new values), for an audit record of what changed.  Returns how many
 * differ.
 */
size_t membership_diff_fields(json_t *row, json_t *after, json_t **before,
			      json_t **changed);

#endif
