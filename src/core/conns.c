/*
 * conns.c -- see conns.h.  The connections waiting for a head form one
 * list in the order of their deadlines (every deadline is now + the same
 * timeout, so appending keeps it sorted): the sweeper only looks at the
 * front, and every call is O(1) under one mutex.  A connection whose head
 * is complete leaves the list until its request is done.
 *
 * libmicrohttpd reports a connection closed before it closes the socket,
 * and the entry leaves the list under the mutex then; so the sweeper,
 * which calls shutdown() under the same mutex, never touches a socket
 * that is closed (or a number the kernel has given to another file).
 */
#include "conns.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "util.h"

struct conns_entry {
	void *conn;
	int fd;
	struct timespec deadline;
	int waiting; /* on the list: the head is awaited */
	struct conns_entry *prev, *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct conns_entry *first, *last;
static unsigned timeout_s = 10;

static void
unlink_entry(struct conns_entry *e)
{
	if (!e->waiting)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		first = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		last = e->prev;
	e->prev = e->next = NULL;
	e->waiting = 0;
}

/* Puts e at the end of the list with a deadline of now + the timeout. */
static void
append(struct conns_entry *e)
{
	unlink_entry(e);
	clock_gettime(CLOCK_MONOTONIC, &e->deadline);
	e->deadline.tv_sec += timeout_s;
	e->prev = last;
	e->next = NULL;
	if (last)
		last->next = e;
	else
		first = e;
	last = e;
	e->waiting = 1;
}

static int
passed(const struct timespec *deadline, const struct timespec *now)
{
	return now->tv_sec > deadline->tv_sec ||
	       (now->tv_sec == deadline->tv_sec &&
		now->tv_nsec >= deadline->tv_nsec);
}

/* Every 200 ms: shuts down the sockets whose head is late. */
static void *
sweeper(void *unused)
{
	for (;;) {
		struct timespec now, pause = {0, 200 * 1000 * 1000};

		nanosleep(&pause, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		pthread_mutex_lock(&lock);
		while (first && passed(&first->deadline, &now)) {
			struct conns_entry *e = first;

			unlink_entry(e);
			shutdown(e->fd, SHUT_RDWR);
		}
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

int
conns_start(unsigned head_timeout)
{
	pthread_t t;
	pthread_attr_t at;
	int rc;

	timeout_s = head_timeout;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &at, sweeper, NULL);
	pthread_attr_destroy(&at);
	if (rc != 0) {
		log_error("conns: cannot start the sweeper: %s", strerror(rc));
		return -1;
	}
	return 0;
}

struct conns_entry *
conns_started(int fd, void *conn)
{
	struct conns_entry *e = xcalloc(1, sizeof(*e));

	e->fd = fd;
	e->conn = conn;
	pthread_mutex_lock(&lock);
	append(e);
	pthread_mutex_unlock(&lock);
	return e;
}

void
conns_closed(struct conns_entry *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&lock);
	unlink_entry(e);
	pthread_mutex_unlock(&lock);
	free(e);
}

void
conns_head_done(struct conns_entry *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&lock);
	unlink_entry(e);
	pthread_mutex_unlock(&lock);
}

void
conns_request_done(struct conns_entry *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&lock);
	append(e);
	pthread_mutex_unlock(&lock);
}
