/*
 * updates_int.h -- what the files of src/updates/ share: the statements
 * of updates.c, which secretariat.c reads too, and a language's name.
 */
#ifndef ALLIANCE_UPDATES_INT_H
#define ALLIANCE_UPDATES_INT_H

#include "core/http.h"
#include "updates/updates.h"

enum stmt_updates {
	S_UPD_BY_EMAIL,
	S_UPD_INSERT,
	S_UPD_REQUESTED,
	S_UPD_LINK_INSERT,
	S_UPD_LINK_FIND,
	S_UPD_CONFIRM_LINKS_USE,
	S_UPD_SUBSCRIBE,
	S_UPD_REMOVE,
	S_UPD_ACCOUNT_SUBSCRIBE,
	S_UPD_COUNTS,
	S_UPD_LIST,
	S_UPD_REMOVALS,
	S_UPD_ALL_SUBSCRIBED,
	S_UPD_PRUNE_PENDING,
	S_UPD_PRUNE_REMOVED,
	S_UPD_PRUNE_LINKS,
	S_UPD__MAX,
};

/* Takes subscriber id off the list (a no-op when it is off already: 0
 * rows changed) and uses its confirmation links, in the open
 * transaction.  0 or -1. */
int updates_remove(struct db *db, int64_t id);

/* The language's own name ("Français") for a stored code; the code
 * itself when the binary has no such language; "" for NULL. */
const char *updates_language_name(const char *code);

#endif
