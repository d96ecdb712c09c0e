/*
 * maintenance.h -- the hourly clean-up job: expired sessions, old one-time
 * links, finished jobs and rate-limit windows.  One chain of it exists per
 * database however many nodes run jobs: each run schedules the next.
 */
#ifndef ALLIANCE_MAINTENANCE_H
#define ALLIANCE_MAINTENANCE_H

#include <stdint.h>

#include "db.h"

#define MAINTENANCE_JOB "maintenance.hourly"

extern struct db_sql maintenance_sql;

/* Registers the job kind (before runners start). */
void maintenance_init(void);
/* Schedules the job unless one is queued or running. 0 or -1. */
int maintenance_ensure(struct db *db, int64_t now);
/* One clean-up pass at now, with the session limits in seconds.  Returns
 * the number of rows removed, or -1. */
int64_t maintenance_run(struct db *db, int64_t now, int64_t session_idle,
			int64_t session_max);

#endif
