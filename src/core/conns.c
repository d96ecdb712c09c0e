/*
 * conns.c -- see conns.h.  A doubly linked list of the open connections
 * under one mutex; a flag for draining.
 */
#include "conns.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "util.h"

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct conn_entry *head;
static int count;
static atomic_int draining;

struct conn_entry *
conns_register(struct MHD_Connection *c, int fd)
{
	struct conn_entry *e = xcalloc(1, sizeof(*e));

	e->conn = c;
	e->fd = fd;
	clock_gettime(CLOCK_MONOTONIC, &e->since);
	pthread_mutex_lock(&mu);
	e->next = head;
	if (head)
		head->prev = e;
	head = e;
	count++;
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
	clock_gettime(CLOCK_MONOTONIC, &e->since);
	/* an answer queued before the drain kept the connection alive:
	 * close it now that it has gone */
	if (!busy && atomic_load(&draining) && !has_unread(e->fd))
		shutdown(e->fd, SHUT_RD);
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
