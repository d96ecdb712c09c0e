/*
 * organisations.h -- the organisations module's public header: its
 * modules (the directory and an organisation's page, editing an
 * organisation, its representatives, import and export) and what the
 * modules above it (applications) use: the ECOSOC statuses, UN posts and
 * ranks of their forms, the keys an organisation is stored and compared
 * under, and a person found or made for an address with their invitation
 * (organisations.c).
 *
 * organisations depends on membership (membership.h: the helpers, the
 * periods and states); applications depends on it.
 */
#ifndef ALLIANCE_ORGANISATIONS_H
#define ALLIANCE_ORGANISATIONS_H

#include <jansson.h>
#include <stdint.h>

#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
/* the CSV writer (csv_put_row, CSV_BOM) for other modules' exports */
#include "organisations/csv.h"

extern const struct module directory_module;
extern const struct module manage_module;
extern const struct module representatives_module;
extern const struct module import_module;
extern const struct module desk_module;
/* What it says of people on the secretariat's people desk
 * (people_roles.c). */
extern const struct module organisations_people_module;

/* The statements of organisations.c (registered by the directory). */
extern struct db_sql organisations_sql;

/* ECOSOC consultative status, UN posts of representatives and their
 * ranks, as stored (NULL-terminated) and as people read them (the same
 * order): the choices of Join, the edit form and the representatives. */
extern const char *const organisations_ecosoc_values[];
extern const char *const organisations_ecosoc_labels[];
extern const char *const organisations_post_values[];
extern const char *const organisations_post_labels[];

/* The UN status as a sentence, in the current language: the ECOSOC
 * status ("general", "special", "roster") with the year it was granted
 * ("Special consultative status with ECOSOC since 2012"; year 0: without
 * it), and the association with the UN Department of Global
 * Communications ("Associated with the UN Department of Global
 * Communications since 2015").  A new string; NULL for an unknown
 * status. */
json_t *organisations_ecosoc_text(const char *status, json_int_t year);
json_t *organisations_dgc_text(json_int_t year);
extern const char *const organisations_rank_values[];
extern const char *const organisations_rank_labels[];
/* Who sees an organisation in the directory, as stored and as people
 * read it: the edit form's choices and the secretariat's filter. */
extern const char *const organisations_visibility_values[];
extern const char *const organisations_visibility_labels[];
/* The labels are marked for translation (N_): show them through
 * membership_options, or _(label). */

/* The folded form of a name (fold_text), as organisations keep it in
 * name_key; "" for NULL.  In arena a. */
const char *organisations_folded(struct arena *a, const char *name);

/* The domain of an address, lower case; "" when there is none.  In
 * arena a. */
const char *organisations_email_domain(struct arena *a, const char *email);

/*
 * The person with email (as stored: see mail_address_key), made when
 * there is none -- a member without a password, with its audit record
 * (actor r->person) -- in the caller's transaction; *id is set.  Used by
 * approval (applications/approve.c) and to add a representative.  0 or
 * -1 (logged).
 */
int organisations_person_for(struct req *r, const char *email, const char *name,
			     const char *country, int64_t *id);

/*
 * Mails person (email, name) a one-time sign-in link valid for 7 days:
 * intro, one or more sentences, then the link and how to sign in later,
 * and records when they were invited (people.invited_at: the people
 * desk's "invite imported people" skips them).  In the caller's
 * transaction.  The instructions are in the current
 * language: the caller composes subject and intro and calls this between
 * i18n_push(mail_language(...)) and i18n_pop().  0 or -1 (logged).
 */
int organisations_invite(struct req *r, int64_t person, const char *email,
			 const char *name, const char *subject,
			 const char *intro);

/*
 * Whether r's viewer is a member as the directory counts them
 * (directory.h): *member is 1 or 0 (0 for a visitor).  The focal points'
 * pages name the people who show themselves to members by it.  0, or -1
 * when the database could not be read.
 */
int organisations_viewer_is_member(struct req *r, int *member);

#endif
