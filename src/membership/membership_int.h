/*
 * membership_int.h -- what the membership module's own files share and
 * no other module needs.
 */
#ifndef ALLIANCE_MEMBERSHIP_INT_H
#define ALLIANCE_MEMBERSHIP_INT_H

#include "membership/membership.h"

/* SQL: the memberships person ?1 answers for (m is memberships): their
 * individual membership, or an organisation's of which they are a main
 * contact.  Renew (renew.c) and ending a membership (cancel.c). */
#define MEMBERSHIP_ANSWERS_FOR                                               \
	" (m.person_id = ? OR m.organisation_id IN (SELECT organisation_id"  \
	" FROM representatives WHERE person_id = ? AND main_contact = 1))"

/*
 * Records a payment (amount in minor units; 0 for a free level) and moves
 * membership to its next period: from the day after the current end when
 * it is active or in grace, from today when it lapsed.  Sets it active,
 * writes the audit record (actor) and mails a receipt to the contacts, in
 * the caller's transaction.  Returns 1 done, 0 no such membership (or
 * cancelled), -1 error.  The seam for online payment (renew.c): a payment
 * provider's confirmation handler calls it with its own provider name and
 * reference, exactly as the secretariat's form does with "manual".
 */
int renew_membership(struct db *db, int64_t membership, int64_t actor,
		  const char *paid_on, int64_t amount, const char *currency,
		  const char *reference, const char *provider,
		  const char *client);

/* The secretariat's page of the membership :id with its forms (renew.c);
 * status 422 shows them again with r's input and errors (cancel.c's end
 * form too). */
void membership_admin_one(struct req *r, struct resp *w, int status);

#endif
