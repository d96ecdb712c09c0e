/*
 * contact.h -- "Contact the secretariat": a public form whose messages
 * (with an optional attached document) are stored for the secretariat;
 * documents are kept contact_retention_days.
 */
#ifndef ALLIANCE_CONTACT_H
#define ALLIANCE_CONTACT_H

#include <stdint.h>

#include "core/config.h"
#include "core/db.h"
#include "core/http.h"

extern const struct module contact_module;
extern struct db_sql contact_sql;

/* Its settings: contact_retention_days. */
extern const struct config_setting contact_settings[];

/* Adds the retention step to maintenance (at start-up). */
void contact_init(void);
/* Removes the documents of messages older than max_age seconds at now
 * (the columns; the maintenance pass's sweep then removes the files no
 * row names, core/uploads.h); the number removed, or -1. */
int64_t contact_retention_run(struct db *db, int64_t now, int64_t max_age);

#endif
