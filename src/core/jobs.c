/*
 * jobs.c -- see jobs.h.  Background work as rows with a lease.
 *
 * Taking a job is one short transaction (db_begin_rows): an UPDATE whose
 * WHERE picks one due job by id (queued and run_at reached, or running
 * with an expired lease), setting status 'running', the runner's name and
 * a lease five minutes ahead, and counting the attempt.  On SQLite it is
 * BEGIN IMMEDIATE: one writer at a time, so two runners (threads,
 * processes) never take the same row.  On PostgreSQL the pick is FOR
 * UPDATE SKIP LOCKED and the transaction does not take the writers'
 * advisory lock: runners on several nodes each lock a different due row,
 * never the same one, and never wait for each other or for the site's
 * writers.  The job runs outside that transaction; its end is written
 * with the runner's name in the WHERE (the same kind of transaction), so
 * a runner that lost its lease cannot overwrite the work of the one that
 * took the job over.
 *
 * Functions are found in a small fixed table filled at start-up by
 * jobs_register().  `serve` runs one runner thread with its own
 * connection; `alliance worker` runs the same loop without HTTP.
 */
#include "jobs.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "util.h"

#define JOBS_LEASE_SECONDS 300
#define JOBS_KINDS_MAX 32
#define JOBS_BATCH 16

enum stmt_jobs {
	STMT_JOBS_INSERT,
	STMT_JOBS_ENSURE,
	STMT_JOBS_CLAIM_EXPIRED,
	STMT_JOBS_CLAIM_DUE,
	STMT_JOBS_DONE,
	STMT_JOBS_RETRY,
	STMT_JOBS_FAIL,
	STMT_JOBS__MAX
};

/* The two claims differ only in which jobs are due: a lost lease first
 * (it has waited longest), then queued jobs in order of run_at, which the
 * index jobs_due gives without sorting. */
#define CLAIM_SET                                                        \
	"UPDATE jobs SET status = 'running', lease_owner = ?,"           \
	" lease_until = ?, attempts = attempts + 1 WHERE id = "
#define CLAIM_RETURNING                                                  \
	" RETURNING id, kind, payload, attempts, max_attempts"

static const char *const jobs_sql_text[STMT_JOBS__MAX] = {
	[STMT_JOBS_ENSURE] =
		"INSERT INTO jobs (kind, payload, run_at, created_at)"
		" SELECT ?, '', ?, ? WHERE NOT EXISTS (SELECT 1 FROM jobs"
		" WHERE kind = ? AND status IN ('queued', 'running'))",
	[STMT_JOBS_INSERT] =
		"INSERT INTO jobs (kind, payload, run_at, created_at)"
		" VALUES (?, ?, ?, ?)",
	[STMT_JOBS_CLAIM_EXPIRED] =
		CLAIM_SET "(SELECT id FROM jobs WHERE status = 'running'"
		" AND lease_until < ? ORDER BY lease_until, id LIMIT 1)"
		" AND status = 'running'" CLAIM_RETURNING,
	[STMT_JOBS_CLAIM_DUE] =
		CLAIM_SET "(SELECT id FROM jobs WHERE status = 'queued'"
		" AND run_at <= ? ORDER BY run_at, id LIMIT 1)"
		" AND status = 'queued'" CLAIM_RETURNING,
	[STMT_JOBS_DONE] =
		"UPDATE jobs SET status = 'done', done_at = ?,"
		" last_error = NULL, lease_owner = NULL, lease_until = NULL"
		" WHERE id = ? AND status = 'running' AND lease_owner = ?",
	[STMT_JOBS_RETRY] =
		"UPDATE jobs SET status = 'queued', run_at = ?,"
		" last_error = ?, lease_owner = NULL, lease_until = NULL"
		" WHERE id = ? AND status = 'running' AND lease_owner = ?",
	[STMT_JOBS_FAIL] =
		"UPDATE jobs SET status = 'failed', done_at = ?,"
		" last_error = ?, lease_owner = NULL, lease_until = NULL"
		" WHERE id = ? AND status = 'running' AND lease_owner = ?",
};

/* PostgreSQL: the due row is locked as it is picked, and one a runner of
 * another node holds (its claim not yet committed) is passed over, not
 * waited for; the outer status test sees the row as locked. */
#define SKIP_LOCKED " FOR UPDATE SKIP LOCKED"
static const char *const jobs_sql_pg[STMT_JOBS__MAX] = {
	[STMT_JOBS_CLAIM_EXPIRED] =
		CLAIM_SET "(SELECT id FROM jobs WHERE status = 'running'"
		" AND lease_until < ? ORDER BY lease_until, id LIMIT 1"
		SKIP_LOCKED ") AND status = 'running'" CLAIM_RETURNING,
	[STMT_JOBS_CLAIM_DUE] =
		CLAIM_SET "(SELECT id FROM jobs WHERE status = 'queued'"
		" AND run_at <= ? ORDER BY run_at, id LIMIT 1" SKIP_LOCKED
		") AND status = 'queued'" CLAIM_RETURNING,
};

struct db_sql jobs_sql = {"jobs", jobs_sql_text, STMT_JOBS__MAX, 0};

void
jobs_init(void)
{
	db_register_variant(&jobs_sql, "pg", jobs_sql_pg);
}

/* The registered kinds; filled before any runner starts, read-only after. */
static const struct module_job *kinds[JOBS_KINDS_MAX];
static size_t nkinds;

/* The job the calling thread is running, for jobs_current(). */
static __thread struct {
	int active;
	int attempt;
	int max_attempts;
	int64_t now;
} current;

/* A job taken by this runner; strings owned here. */
struct claimed {
	int64_t id;
	char *kind;
	char *payload;
	int attempt;
	int max_attempts;
};

/* The runner thread of `serve` (and of `worker`). */
static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int started;
	int kicked; /* under mu: a job was queued, look now */
	struct db *db;
	char path[1100]; /* of db, to open it again when it is lost */
	char who[160];
} runner = {.mu = PTHREAD_MUTEX_INITIALIZER};
static atomic_int stopping;
/* How long the runner naps when nothing is due, unless kicked (s). */
static atomic_int nap = 1;
/* This thread queued a job since its last jobs_kick (jobs_enqueue). */
static _Thread_local int queued;

void
jobs_register(const struct module_job *job)
{
	for (size_t i = 0; i < nkinds; i++) {
		if (strcmp(kinds[i]->kind, job->kind) == 0) {
			kinds[i] = job;
			return;
		}
	}
	if (nkinds == JOBS_KINDS_MAX) {
		/* a programming error: raise JOBS_KINDS_MAX */
		fprintf(stderr, "alliance: too many job kinds (%s)\n",
			job->kind);
		abort();
	}
	kinds[nkinds++] = job;
}

static const struct module_job *
find_kind(const char *kind)
{
	for (size_t i = 0; i < nkinds; i++)
		if (strcmp(kinds[i]->kind, kind) == 0)
			return kinds[i];
	return NULL;
}

int
jobs_ensure_recurring(struct db *db, int64_t now)
{
	for (size_t i = 0; i < nkinds; i++)
		if (kinds[i]->next &&
		    jobs_ensure(db, kinds[i]->kind,
				now + (kinds[i]->first ? kinds[i]->first
						       : 60)) != 0)
			return -1;
	return 0;
}

int
jobs_ensure(struct db *db, const char *kind, int64_t run_at)
{
	struct db_stmt *st;
	int64_t now = clock_now();

	/* one writer at a time: two nodes starting together make one job */
	if (db_begin(db) != 0)
		return -1;
	if ((st = db_stmt(db, &jobs_sql, STMT_JOBS_ENSURE)) == NULL) {
		db_rollback(db);
		return -1;
	}
	db_bind_text(st, 1, kind);
	db_bind_int(st, 2, run_at > 0 ? run_at : now);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, kind);
	if (db_run(st) != 0 || db_commit(db) != 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int64_t
jobs_enqueue(struct db *db, const char *kind, const char *payload,
	     int64_t run_at)
{
	struct db_stmt *st = db_stmt(db, &jobs_sql, STMT_JOBS_INSERT);
	int64_t now = clock_now();

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, payload ? payload : "");
	db_bind_int(st, 3, run_at > 0 ? run_at : now);
	db_bind_int(st, 4, now);
	if (db_run(st) != 0)
		return -1;
	queued = 1;
	return db_last_id(db);
}

void
jobs_set_nap(int seconds)
{
	atomic_store(&nap, seconds > 0 ? seconds : 1);
}

void
jobs_kick(void)
{
	if (!queued)
		return;
	queued = 0;
	pthread_mutex_lock(&runner.mu);
	if (runner.started) {
		runner.kicked = 1;
		pthread_cond_signal(&runner.cv);
	}
	pthread_mutex_unlock(&runner.mu);
}

int64_t
jobs_backoff(int attempt)
{
	int64_t s = 30;

	for (int i = 1; i < attempt && s < 3600; i++)
		s *= 2;
	return s < 3600 ? s : 3600;
}

int
jobs_current(int *attempt, int *max_attempts, int64_t *now)
{
	if (!current.active)
		return -1;
	if (attempt)
		*attempt = current.attempt;
	if (max_attempts)
		*max_attempts = current.max_attempts;
	if (now)
		*now = current.now;
	return 0;
}

int
jobs_stopping(void)
{
	return atomic_load(&stopping);
}

/* Runs one claim statement; 1 with c filled, 0 when nothing is due, -1 on
 * error. */
static int
claim_with(struct db *db, enum stmt_jobs which, const char *who,
	   int64_t now, struct claimed *c)
{
	struct db_stmt *st = db_stmt(db, &jobs_sql, which);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, who);
	db_bind_int(st, 2, now + JOBS_LEASE_SECONDS);
	db_bind_int(st, 3, now);
	rc = db_step(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 0 : -1;
	c->id = db_col_int(st, 0);
	c->kind = xstrdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
	c->payload = xstrdup(db_col_text(st, 2) ? db_col_text(st, 2) : "");
	c->attempt = (int)db_col_int(st, 3);
	c->max_attempts = (int)db_col_int(st, 4);
	db_reset(st);
	return 1;
}

/* Takes one due job in its own transaction: 1, 0 (none due) or -1. */
static int
claim(struct db *db, const char *who, int64_t now, struct claimed *c)
{
	int rc;

	if (db_begin_rows(db) != 0)
		return -1;
	rc = claim_with(db, STMT_JOBS_CLAIM_EXPIRED, who, now, c);
	if (rc == 0)
		rc = claim_with(db, STMT_JOBS_CLAIM_DUE, who, now, c);
	if (rc < 0 || db_commit(db) != 0) {
		db_rollback(db);
		if (rc == 1) {
			free(c->kind);
			free(c->payload);
		}
		return -1;
	}
	return rc;
}

/* Writes the end of a job taken by who: STMT_JOBS_DONE, _RETRY (at) or
 * _FAIL with err.  0, or -1 when the statement failed or the lease had
 * gone to another runner (logged). */
static int
finish(struct db *db, const struct claimed *c, const char *who,
       enum stmt_jobs how, int64_t now, int64_t at, const char *err)
{
	struct db_stmt *st;
	int i = 1;
	int64_t changed;

	if (db_begin_rows(db) != 0)
		return -1;
	if ((st = db_stmt(db, &jobs_sql, how)) == NULL) {
		db_rollback(db);
		return -1;
	}
	db_bind_int(st, i++, how == STMT_JOBS_RETRY ? at : now);
	if (how != STMT_JOBS_DONE)
		db_bind_text(st, i++, err);
	db_bind_int(st, i++, c->id);
	db_bind_text(st, i, who);
	if (db_run(st) != 0) {
		db_rollback(db);
		return -1;
	}
	changed = db_changes(db);
	if (db_commit(db) != 0)
		return -1;
	if (changed != 1) {
		log_error("job %lld %s: the lease went to another runner; "
			  "this result is dropped",
			  (long long)c->id, c->kind);
		return -1;
	}
	return 0;
}

/* Runs a claimed job and records how it ended. */
static void
run_claimed(struct db *db, const struct claimed *c, const char *who,
	    int64_t now)
{
	const struct module_job *job = find_kind(c->kind);
	char err[512], msg[600];
	int rc;

	if (c->attempt > c->max_attempts) {
		/* the runner of its last attempt died holding the lease */
		snprintf(msg, sizeof(msg),
			 "the runner of attempt %d of %d stopped before the "
			 "job ended; not run again",
			 c->attempt - 1, c->max_attempts);
		if (finish(db, c, who, STMT_JOBS_FAIL, now, 0, msg) == 0)
			log_error("job %lld %s: failed: %s", (long long)c->id,
				  c->kind, msg);
		return;
	}
	if (job == NULL || job->run == NULL) {
		snprintf(msg, sizeof(msg),
			 "no job function registered for kind '%s'", c->kind);
		if (finish(db, c, who, STMT_JOBS_FAIL, now, 0, msg) == 0)
			log_error("job %lld: failed: %s", (long long)c->id,
				  msg);
		return;
	}

	err[0] = '\0';
	current.active = 1;
	current.attempt = c->attempt;
	current.max_attempts = c->max_attempts;
	current.now = now;
	rc = job->run(db, c->payload, err, sizeof(err));
	current.active = 0;
	/* a job function must not leave a transaction open; if one did,
	 * its half-done work goes, not the runner's bookkeeping (and the
	 * writers of the process get their turn back) */
	if (db_abandoned(db))
		log_error("job %lld %s: left a transaction open: rolled back",
			  (long long)c->id, c->kind);
	if (err[0] == '\0')
		snprintf(err, sizeof(err), "failed without a message");

	if (rc == 0) {
		if (finish(db, c, who, STMT_JOBS_DONE, now, 0, NULL) == 0)
			log_info("job %lld %s: done (attempt %d)",
				 (long long)c->id, c->kind, c->attempt);
	} else if (c->attempt >= c->max_attempts) {
		if (finish(db, c, who, STMT_JOBS_FAIL, now, 0, err) == 0)
			log_error("job %lld %s: failed after %d attempts: %s",
				  (long long)c->id, c->kind, c->attempt, err);
	} else {
		int64_t wait = jobs_backoff(c->attempt);

		if (finish(db, c, who, STMT_JOBS_RETRY, now, now + wait,
			   err) == 0)
			log_error("job %lld %s: attempt %d of %d failed, "
				  "next in %lld s: %s",
				  (long long)c->id, c->kind, c->attempt,
				  c->max_attempts, (long long)wait, err);
		return;
	}
	/* the run has ended: a recurring kind's next one (unless another
	 * node or the function queued it already) */
	if (job->next && jobs_ensure(db, c->kind, job->next(now)) != 0)
		log_error("job %s: cannot queue the next run", c->kind);
}

int
jobs_run_due(struct db *db, const char *who, int max, int64_t now)
{
	int ran = 0;

	while (ran < max) {
		struct claimed c;
		int rc = claim(db, who, now, &c);

		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		run_claimed(db, &c, who, now);
		free(c.kind);
		free(c.payload);
		ran++;
	}
	return ran;
}

/* The runner loop: due jobs now, then a nap of a second (cut short by
 * jobs_stop). */
static void *
runner_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&stopping)) {
		struct timespec until;
		int n = 0;

		/* a PostgreSQL server that restarted dropped the connection:
		 * a new one, tried again at the next turn when it fails */
		if (runner.db && db_lost(runner.db)) {
			log_error("jobs: the connection to the database was "
				  "lost; opening another");
			db_close(runner.db);
			runner.db = NULL;
		}
		if (runner.db == NULL) {
			char err[512];

			runner.db = db_open(runner.path, err, sizeof(err));
			if (runner.db == NULL)
				log_error("jobs: %s", err);
		}
		if (runner.db)
			n = jobs_run_due(runner.db, runner.who, JOBS_BATCH,
					 clock_now());
		/* more may be due: a full batch, or jobs the ones that ran
		 * queued (a reminder's mail) */
		if (n == JOBS_BATCH || queued) {
			queued = 0;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += atomic_load(&nap);
		pthread_mutex_lock(&runner.mu);
		while (!atomic_load(&stopping) && !runner.kicked &&
		       pthread_cond_timedwait(&runner.cv, &runner.mu,
					      &until) == 0)
			;
		runner.kicked = 0;
		pthread_mutex_unlock(&runner.mu);
	}
	return NULL;
}

/* Starts the runner thread as "<role>:<host>:<pid>".  0 or -1 (logged). */
static int
start(const char *db_path, const char *role)
{
	char err[512], host[64];
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	if (runner.started)
		return 0;
	runner.db = db_open(db_path, err, sizeof(err));
	if (runner.db == NULL) {
		log_error("jobs: %s", err);
		return -1;
	}
	snprintf(runner.path, sizeof(runner.path), "%s", db_path);
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(runner.who, sizeof(runner.who), "%s:%s:%ld", role, host,
		 (long)getpid());
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&runner.cv, &ca);
	pthread_condattr_destroy(&ca);
	atomic_store(&stopping, 0);

	/* the thread starts with every signal blocked, so SIGTERM and SIGINT
	 * reach the sigwait() of serve or worker, never this thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&runner.thread, NULL, runner_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		log_error("jobs: cannot start the runner thread: %s",
			  strerror(rc));
		pthread_cond_destroy(&runner.cv);
		db_close(runner.db);
		runner.db = NULL;
		return -1;
	}
	runner.started = 1;
	return 0;
}

int
jobs_start(const char *db_path)
{
	return start(db_path, "serve");
}

void
jobs_stop(void)
{
	if (!runner.started)
		return;
	pthread_mutex_lock(&runner.mu);
	atomic_store(&stopping, 1);
	pthread_cond_signal(&runner.cv);
	pthread_mutex_unlock(&runner.mu);
	pthread_join(runner.thread, NULL);
	pthread_cond_destroy(&runner.cv);
	db_close(runner.db);
	runner.db = NULL;
	runner.started = 0;
}

int
jobs_worker_main(const char *db_path)
{
	char shown[1100];
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (start(db_path, "worker") != 0)
		return 1;
	db_target_shown(db_path, shown, sizeof(shown));
	fprintf(stderr,
		"alliance worker: running jobs from %s as %s; SIGTERM or "
		"SIGINT stops\n",
		shown, runner.who);
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "alliance worker: %s: finishing the job in hand\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	jobs_stop();
	fprintf(stderr, "alliance worker: stopped\n");
	return 0;
}
