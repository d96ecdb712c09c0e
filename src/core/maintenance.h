/*
 * maintenance.h -- the hourly clean-up job: expired sessions, old one-time
 * links, finished jobs and rate-limit windows, and the steps features add
 * (contact: documents past their retention), then the sweep of stored
 * files no row names (uploads.h).  One chain of it exists per
 * database however many nodes run jobs: a recurring job (jobs.h) whose next
 * run the runner queues when one ends.
 */
#ifndef ALLIANCE_MAINTENANCE_H
#define ALLIANCE_MAINTENANCE_H

#include <stdint.h>

#include "db.h"

#define MAINTENANCE_JOB "maintenance.hourly"

extern struct db_sql maintenance_sql;

/* A feature's own clean-up, run after the core's in each pass, in its own
 * transaction: the rows (or files) it removed, or -1. */
typedef int64_t (*maintenance_step)(struct db *db, int64_t now);

/* Adds step to every pass (at start-up, before runners start; at most
 * MAINTENANCE_MAX_STEPS). */
#define MAINTENANCE_MAX_STEPS 8
void maintenance_add_step(maintenance_step step);
/* The job's declaration, the core module's: hourly, first a minute after
 * start. */
struct module_job;
extern const struct module_job maintenance_job;
/* One clean-up pass at now, with the session limits in seconds, then the
 * features' steps.  Returns the number of rows removed, or -1 (a failing
 * step does not undo what the others did). */
int64_t maintenance_run(struct db *db, int64_t now, int64_t session_idle,
			int64_t session_max);

#endif
