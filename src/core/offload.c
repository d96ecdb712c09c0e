/*
 * offload.c -- see offload.h.  A fixed ring of jobs under one mutex and
 * one condition variable; the threads are started once by http_serve and
 * live as long as the process (they hold no state between jobs but their
 * database connection, db_thread()).
 */
#include "offload.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "util.h"

struct job {
	offload_fn fn;
	void *arg;
	struct timespec queued;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static struct job *ring;
static size_t cap, head, len, reserved;
static unsigned wait_limit_ms;
static int running;

static long long
ms_since(const struct timespec *t)
{
	struct timespec n;

	clock_gettime(CLOCK_MONOTONIC, &n);
	return (long long)(n.tv_sec - t->tv_sec) * 1000 +
	       (n.tv_nsec - t->tv_nsec) / 1000000;
}

static void *
thread_main(void *unused)
{
	for (;;) {
		struct job j;

		pthread_mutex_lock(&lock);
		while (len == 0)
			pthread_cond_wait(&more, &lock);
		j = ring[head];
		head = (head + 1) % cap;
		len--;
		reserved--;
		pthread_mutex_unlock(&lock);
		j.fn(j.arg, ms_since(&j.queued) > (long long)wait_limit_ms);
	}
	return NULL;
}

int
offload_start(unsigned nthreads, size_t max_queue, unsigned max_wait_ms)
{
	assert(!running && nthreads > 0 && max_queue > 0);
	ring = xcalloc(max_queue, sizeof(*ring));
	cap = max_queue;
	wait_limit_ms = max_wait_ms;
	for (unsigned i = 0; i < nthreads; i++) {
		pthread_t t;
		pthread_attr_t at;
		int rc;

		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&t, &at, thread_main, NULL);
		pthread_attr_destroy(&at);
		if (rc != 0) {
			log_error("offload: cannot start a thread: %s",
				  strerror(rc));
			return -1;
		}
	}
	running = 1;
	return 0;
}

int
offload_running(void)
{
	return running;
}

int
offload_reserve(void)
{
	int rc = -1;

	pthread_mutex_lock(&lock);
	if (reserved < cap) {
		reserved++;
		rc = 0;
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void
offload_submit(offload_fn fn, void *arg)
{
	struct job *j;

	pthread_mutex_lock(&lock);
	assert(len < reserved);
	j = &ring[(head + len) % cap];
	j->fn = fn;
	j->arg = arg;
	clock_gettime(CLOCK_MONOTONIC, &j->queued);
	len++;
	pthread_cond_signal(&more);
	pthread_mutex_unlock(&lock);
}
