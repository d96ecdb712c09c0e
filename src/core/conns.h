/*
 * conns.h -- the server's open connections, for shutdown (and later for
 * deadlines on a request's head).
 *
 * http.c registers each connection when libmicrohttpd opens it
 * (MHD_OPTION_NOTIFY_CONNECTION, STARTED) and unregisters it when it is
 * closed (CLOSED, which MHD calls before it closes the socket); between
 * the two it marks the connection busy while a request is on it (from the
 * request line to the end of the answer) and idle otherwise.  An entry is
 * the connection's socket context, so a callback that has the
 * MHD_Connection finds its entry without a search (conns_of).
 *
 * On SIGTERM, conns_drain() says that every answer from then on carries
 * "Connection: close" (conns_draining(), read by response.c) and closes
 * the idle keep-alive connections: shutdown(SHUT_RD) on a socket with no
 * unread byte wakes its worker, which reads the end and closes it.  The
 * list is under one mutex, held while a socket is shut down, so a socket
 * is never used after MHD closed it (CLOSED waits for the mutex).
 *
 * Each entry keeps when it last changed state (since); a per-connection
 * "head started at" time for a request-head deadline would sit beside it.
 */
#ifndef ALLIANCE_CONNS_H
#define ALLIANCE_CONNS_H

#include <time.h>

struct MHD_Connection;

struct conn_entry {
	struct MHD_Connection *conn;
	int fd;
	int busy;              /* a request is on it */
	struct timespec since; /* CLOCK_MONOTONIC of the last change */
	struct conn_entry *prev, *next;
};

/* A new connection with its socket; the entry to keep as the socket
 * context.  Idle. */
struct conn_entry *conns_register(struct MHD_Connection *c, int fd);
/* The connection is being closed: forget it and free e (NULL is fine).
 * While draining, first shuts its output down and reads what is unread,
 * so the close sends no reset that would cut its last answer. */
void conns_unregister(struct conn_entry *e);
/* The entry registered for c (its socket context), or NULL. */
struct conn_entry *conns_of(struct MHD_Connection *c);
/* A request has begun (busy 1) or its answer has gone (busy 0). */
void conns_set_busy(struct conn_entry *e, int busy);

/* Stops keep-alive: from now on answers carry "Connection: close", and
 * the idle connections are closed.  Returns how many were idle. */
int conns_drain(void);
/* Whether conns_drain() was called. */
int conns_draining(void);
/* How many connections are open now. */
int conns_count(void);

#endif
