/*
 * offload.h -- the hashing threads: work too slow for a worker thread
 * (argon2id, ~170 ms of one core and 19 MiB) runs here instead.
 *
 * A worker thread serves every connection of its epoll loop; one that
 * hashes a password stalls all of them.  http.c hands the handlers of
 * routes flagged ROUTE_PWHASH to these threads (the connection is
 * suspended meanwhile), so however many such requests come, the workers
 * go on serving the rest, and the hashing the whole server does at once is
 * bounded by the number of threads.  The queue is bounded too: when it is
 * full a request is refused at once, and a job that waited too long is
 * told so instead of run (the caller answers 503 with Retry-After).
 */
#ifndef ALLIANCE_OFFLOAD_H
#define ALLIANCE_OFFLOAD_H

#include <stddef.h>

/* A job: run(arg, late) on a hashing thread; late is 1 when the job
 * waited longer than the limit given to offload_start (it should then
 * answer "busy" without doing the work). */
typedef void (*offload_fn)(void *arg, int late);

/* Starts nthreads threads taking jobs from a queue of at most max_queue,
 * with jobs older than max_wait_ms handed over as late.  0, or -1
 * (logged) when a thread cannot start. */
int offload_start(unsigned nthreads, size_t max_queue, unsigned max_wait_ms);
/* Whether offload_start has run. */
int offload_running(void);
/* Takes a place in the queue: 0, or -1 when it is full.  A place taken
 * must be given a job with offload_submit. */
int offload_reserve(void);
/* Queues fn(arg) in a place taken with offload_reserve. */
void offload_submit(offload_fn fn, void *arg);

#endif
