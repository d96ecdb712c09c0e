/*
 * jobs.h -- background work as rows with a lease.
 *
 * A job is a row (kind, payload, run_at); a runner takes a lease on a due
 * job in one transaction (so two nodes never run one job twice), runs the
 * registered function, and marks it done or schedules a retry with
 * back-off.  An expired lease (a crashed runner) makes the job due again.
 * `alliance serve` runs a runner thread; `alliance worker` runs one
 * without the HTTP server, so several nodes can share the work.
 */
#ifndef ALLIANCE_JOBS_H
#define ALLIANCE_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Runs one job.  Returns 0 when done, or -1 with a message in err to be
 * retried later (after attempts, the job is marked failed). */
typedef int (*job_fn)(struct db *db, const char *payload, char *err,
		      size_t errlen);

extern struct db_sql jobs_sql;
/* Registers the statements' PostgreSQL versions (the claim's SKIP
 * LOCKED); the core module's init calls it, once, before any
 * connection. */
void jobs_init(void);

/*
 * A kind of job a module declares (struct module's jobs, registered by
 * app_init).  A recurring one has next: the runners' core queues its first
 * run `first` seconds after serve or worker starts (60 when 0), unless one
 * is queued already, and after each run ends -- done, or failed for good,
 * so one bad night does not end the chain -- queues the next at
 * next(end of the run), so its function only does the work.  Without
 * next, the module queues it when there is work (jobs_enqueue).
 */
struct module_job {
	const char *kind; /* "members.daily" */
	job_fn run;
	int64_t (*next)(int64_t now); /* recurring: the next run after now */
	int64_t first;                /* recurring: seconds after start */
};

/* Registers a kind before runners start (app_init does, from the
 * modules' declarations). */
void jobs_register(const struct module_job *job);

/* Queues the first run of every recurring kind that has none queued or
 * running (serve and worker, at start).  0 or -1. */
int jobs_ensure_recurring(struct db *db, int64_t now);

/* Schedules a job at run_at (unix seconds; 0 for now), in the caller's
 * transaction.  Returns the job id or -1. */
int64_t jobs_enqueue(struct db *db, const char *kind, const char *payload,
		     int64_t run_at);

/* For a job that reschedules itself (daily, hourly): queues one of kind at
 * run_at unless one is queued or running already, in its own transaction,
 * so that several nodes starting together make one chain.  0 or -1. */
int jobs_ensure(struct db *db, const char *kind, int64_t run_at);

/* Runs at most max due jobs now as runner `who`; returns how many ran, or
 * -1 on a database error. For the runners and for tests. */
int jobs_run_due(struct db *db, const char *who, int max, int64_t now);

/* Wakes this process's runner when this thread queued a job since it
 * last called: after the commit that made the job visible (the HTTP
 * layer calls it when a handler has answered), so a letter leaves at
 * once instead of at the runner's next look, a second later. */
void jobs_kick(void);

/* The runner's nap when nothing is due: 1 s, which bounds how late a job
 * another process queued starts.  A unit test lengthens it to see that
 * jobs_kick, not the next look, starts a job. */
void jobs_set_nap(int seconds);

/* Starts/stops the runner thread of `serve` (own connection to path). */
int jobs_start(const char *db_path);
void jobs_stop(void);

/* `alliance worker`: runs jobs until SIGTERM/SIGINT. Returns 0 or 1. */
int jobs_worker_main(const char *db_path);

/*
 * For a job function while it runs: the attempt being made (1 for the
 * first), the job's max_attempts and the runner's clock (the `now` given
 * to jobs_run_due).  Returns 0, or -1 (nothing set) outside a job.  A job
 * that keeps its own record of failures (the mail outbox) uses it to know
 * whether this attempt is the last.
 */
int jobs_current(int *attempt, int *max_attempts, int64_t *now);

/* Seconds a job waits after its attempt-th attempt failed: 30 s, doubling
 * each time, at most an hour. */
int64_t jobs_backoff(int attempt);

/* 1 once jobs_stop() was called: a long job (an SMTP conversation) may
 * give up early and be retried later. */
int jobs_stopping(void);

#endif
