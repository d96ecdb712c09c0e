/*
 * renew.h -- Renew: a member's main contact sees the state, period and
 * dues of the memberships they answer for and renews; the secretariat
 * records payments by hand, which extends the period.
 *
 * The seam for online payment is members_renew(): a payment provider's
 * confirmation handler calls it with its own provider name and reference,
 * exactly as the secretariat's form does with "manual".
 */
#ifndef ALLIANCE_MEMBERS_RENEW_H
#define ALLIANCE_MEMBERS_RENEW_H

#include <stdint.h>

#include "core/db.h"
#include "core/http.h"

extern const struct module renew_module;

/*
 * Records a payment (amount in minor units; 0 for a free level) and moves
 * membership to its next period: from the day after the current end when
 * it is active or in grace, from today when it lapsed.  Sets it active,
 * writes the audit record (actor) and mails a receipt to the contacts, in
 * the caller's transaction.  Returns 1 done, 0 no such membership (or
 * cancelled), -1 error.
 */
int members_renew(struct db *db, int64_t membership, int64_t actor,
		  const char *paid_on, int64_t amount, const char *currency,
		  const char *reference, const char *provider,
		  const char *client);

#endif
