/*
 * conns.c -- see conns.h.  Every open connection is on one doubly linked
 * list; those waiting for a head are also on a second list in the order
 * of their deadlines (every deadline is now + the same timeout, so
 * appending keeps it sorted): the sweeper only looks at its front, and
 * every call but conns_drain is O(1).  One mutex guards both lists and is
 * held while a socket is shut down; MHD reports a connection closed before
 * it closes the socket, and the entry leaves the lists under the mutex
 * then, so no socket is touched once closed (or its number reused).
 */
#include "conns.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "util.h"

struct conn_entry {
	struct MHD_Connection *conn;
	int fd;
	int busy;		   /* a request is on it */
	int waiting;		   /* on the deadline list: its head is awaited */
	struct timespec deadline;  /* CLOCK_MONOTONIC, while waiting */
	struct conn_entry *prev, *next;	  /* every open connection */
	struct conn_entry *wprev, *wnext; /* waiting, by deadline */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct conn_entry *head;		/* every open connection */
static struct conn_entry *wfirst, *wlast; /* waiting for a head */
static int count;
static atomic_int draining;
static unsigned timeout_s = 10;

/* Takes e off the deadline list (under mu). */
static void
unwait(struct conn_entry *e)
{
	if (!e->waiting)
		return;
	if (e->wprev)
		e->wprev->wnext = e->wnext;
	else
		wfirst = e->wnext;
	if (e->wnext)
		e->wnext->wprev = e->wprev;
	else
		wlast = e->wprev;
	e->wprev = e->wnext = NULL;
	e->waiting = 0;
}

/* Puts e at the end of the deadline list, due now + the timeout (under
 * mu). */
static void
wait_head(struct conn_entry *e)
{
	unwait(e);
	clock_gettime(CLOCK_MONOTONIC, &e->deadline);
	e->deadline.tv_sec += timeout_s;
	e->wprev = wlast;
	e->wnext = NULL;
	if (wlast)
		wlast->wnext = e;
	else
		wfirst = e;
	wlast = e;
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
		pthread_mutex_lock(&mu);
		while (wfirst && passed(&wfirst->deadline, &now)) {
			struct conn_entry *e = wfirst;

			unwait(e);
			shutdown(e->fd, SHUT_RDWR);
		}
		pthread_mutex_unlock(&mu);
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

struct conn_entry *
conns_register(struct MHD_Connection *c, int fd)
{
	struct conn_entry *e = xcalloc(1, sizeof(*e));

	e->conn = c;
	e->fd = fd;
	pthread_mutex_lock(&mu);
	e->next = head;
	if (head)
		head->prev = e;
	head = e;
	count++;
	if (fd >= 0)
		wait_head(e);
	pthread_mutex_unlock(&mu);
	return e;
}

/*
 * Before MHD closes a socket while draining: a close with unread input
 * (requests a client pipelined behind the one answered with "Connection:
 * close") makes the kernel send a reset, and a reset throws away what was
 * still queued for the client -- the end of that last answer.  So send the
 * end of output first and read what is waiting (up to 1 MiB).
 */
static void
linger(int fd)
{
	char buf[16384];

	shutdown(fd, SHUT_WR);
	for (int i = 0; i < 64; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
			break;
}

void
conns_unregister(struct conn_entry *e)
{
	if (e == NULL)
		return;
	if (atomic_load(&draining) && e->fd >= 0)
		linger(e->fd);
	pthread_mutex_lock(&mu);
	unwait(e);
	if (e->prev)
		e->prev->next = e->next;
	else
		head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	count--;
	pthread_mutex_unlock(&mu);
	free(e);
}

struct conn_entry *
conns_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* Whether fd has bytes the server has not read yet (a request that has
 * arrived but not begun): such a connection is not idle. */
static int
has_unread(int fd)
{
	int n = 0;

	return ioctl(fd, FIONREAD, &n) != 0 || n > 0;
}

void
conns_set_busy(struct conn_entry *e, int busy)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&mu);
	e->busy = busy;
	if (!busy) {
		/* an answer queued before the drain kept the connection
		 * alive: close it now that it has gone; otherwise the next
		 * head is awaited */
		if (atomic_load(&draining) && !has_unread(e->fd))
			shutdown(e->fd, SHUT_RD);
		else if (e->fd >= 0)
			wait_head(e);
	}
	pthread_mutex_unlock(&mu);
}

void
conns_head_done(struct conn_entry *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&mu);
	unwait(e);
	pthread_mutex_unlock(&mu);
}

int
conns_drain(void)
{
	int closed = 0;

	atomic_store(&draining, 1);
	pthread_mutex_lock(&mu);
	for (struct conn_entry *e = head; e; e = e->next) {
		if (e->busy || has_unread(e->fd))
			continue;
		/* the worker sees the end of input and closes it; a busy one
		 * closes after its answer (Connection: close) */
		shutdown(e->fd, SHUT_RD);
		closed++;
	}
	pthread_mutex_unlock(&mu);
	return closed;
}

int
conns_draining(void)
{
	return atomic_load(&draining);
}

int
conns_count(void)
{
	int n;

	pthread_mutex_lock(&mu);
	n = count;
	pthread_mutex_unlock(&mu);
	return n;
}
