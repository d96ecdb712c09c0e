/*
 * maintenance.c -- see maintenance.h.  Everything here only removes what
 * can no longer be used: sessions past their idle or absolute limit,
 * one-time links a week past expiry or use, jobs done or failed a month
 * ago, rate-limit windows a day old; then the steps features added; then
 * the stored files no row names any more (uploads.h).  The audit log and
 * the outbox are records and are kept.
 */
#include "maintenance.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "config.h"
#include "jobs.h"
#include "log.h"
#include "ratelimit.h"
#include "uploads.h"

enum stmt_maintenance {
	M_SESSIONS,
	M_LINKS,
	M_JOBS,
	M_MAIL_LANGUAGES,
	M__MAX,
};

static const char *const maintenance_sql_text[M__MAX] = {
	[M_SESSIONS] = "DELETE FROM sessions WHERE last_seen_at < ?"
		       " OR created_at < ?",
	[M_LINKS] = "DELETE FROM one_time_tokens WHERE expires_at < ?"
		    " OR used_at < ?",
	[M_JOBS] = "DELETE FROM jobs WHERE status IN ('done', 'failed')"
		   " AND done_at < ?",
	/* the language an address last wrote in, kept two years */
	[M_MAIL_LANGUAGES] = "DELETE FROM mail_languages WHERE updated_at < ?",
};

struct db_sql maintenance_sql = {"maintenance", maintenance_sql_text, M__MAX,
				 0};

#define WEEK (7 * 86400)

static maintenance_step steps[MAINTENANCE_MAX_STEPS];
static size_t nsteps;

void
maintenance_add_step(maintenance_step step)
{
	if (nsteps < MAINTENANCE_MAX_STEPS)
		steps[nsteps++] = step;
	else
		log_error("maintenance: too many steps; one is left out");
}


/* Runs one statement with two time bounds; adds the rows removed. */
static int
prune(struct db *db, enum stmt_maintenance s, int64_t a, int64_t b,
      int64_t *removed)
{
	struct db_stmt *st = db_stmt(db, &maintenance_sql, s);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, a);
	if (s == M_SESSIONS || s == M_LINKS)
		db_bind_int(st, 2, b);
	if (db_run(st) != 0)
		return -1;
	*removed += db_changes(db);
	return 0;
}

int64_t
maintenance_run(struct db *db, int64_t now, int64_t session_idle,
		int64_t session_max)
{
	int64_t removed = 0;
	int n;

	if (db_begin(db) != 0)
		return -1;
	if (prune(db, M_SESSIONS, now - session_idle, now - session_max,
		  &removed) != 0 ||
	    prune(db, M_LINKS, now - WEEK, now - WEEK, &removed) != 0 ||
	    prune(db, M_JOBS, now - 30 * 86400, 0, &removed) != 0 ||
	    prune(db, M_MAIL_LANGUAGES, now - 730 * 86400, 0, &removed) != 0 ||
	    (n = ratelimit_prune(db, now - 86400)) < 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	removed += n;
	for (size_t i = 0; i < nsteps; i++) {
		int64_t k = steps[i](db, now);

		if (k < 0)
			return -1;
		removed += k;
	}
	/* last, so that a file a step just stopped naming goes in this pass */
	if (config_current != NULL) {
		int64_t k = uploads_sweep(db, config_current->data_dir, now,
					  UPLOADS_GRACE);

		if (k < 0)
			return -1;
		removed += k;
	}
	return removed;
}

static int
run_job(struct db *db, const char *payload, char *err, size_t errlen)
{
	const struct config *c = config_current;
	int64_t now, removed;
	int attempt, max;

	if (jobs_current(&attempt, &max, &now) != 0)
		now = clock_now();
	removed = maintenance_run(db, now, c ? c->session_idle : 1800,
				  c ? c->session_max : 43200);
	if (removed < 0) {
		snprintf(err, errlen, "clean-up failed");
		return -1;
	}
	if (removed > 0)
		log_info("maintenance: removed %lld expired rows",
			 (long long)removed);
	return 0;
}

static int64_t
next_hour(int64_t now)
{
	return now + 3600;
}

const struct module_job maintenance_job = {
	.kind = MAINTENANCE_JOB,
	.run = run_job,
	.next = next_hour,
	.first = 60,
};
