/*
 * updates.h -- updates from the Alliance by e-mail: the list of addresses
 * that asked for them.  A public form takes an address (and an optional
 * name; the language is the page's) and mails a confirmation link: the
 * address is on the list only once the link is used (double opt-in).
 * Every message to an address carries a link that takes it off the list
 * without signing in (and the List-Unsubscribe header for mail clients'
 * one-click button, RFC 8058).  A signed-in person subscribes or
 * unsubscribes on /account/updates; the secretariat sees the list, its
 * counts and removals, and exports it as CSV (/admin/updates).
 *
 * Nothing is sent to the list yet: a later module writes the updates,
 * one message per address, each with updates_unsubscribe_link().
 */
#ifndef ALLIANCE_UPDATES_H
#define ALLIANCE_UPDATES_H

#include <stdint.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/http.h"

/* The public pages and the account page (updates.c); the secretariat's
 * list and export (secretariat.c). */
extern const struct module updates_module;
extern const struct module updates_admin_module;
extern struct db_sql updates_sql;

/*
 * A new unsubscribe link for subscriber id, stored by its digest in the
 * caller's transaction: the absolute URL (base_url +
 * "/updates/unsubscribe/TOKEN"), in a, for one message.  The link
 * works for as long as the address is on the list.  NULL on a database
 * error (logged).
 */
const char *updates_unsubscribe_link(struct db *db, struct arena *a,
				     int64_t id);

/*
 * The hourly clean-up at now: sign-ups never confirmed whose last link
 * expired, removals older than a year, confirmation links a month past
 * their expiry.  The number of rows deleted, or -1.
 */
int64_t updates_prune(struct db *db, int64_t now);

#endif
