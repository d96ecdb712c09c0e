/*
 * conns.h -- the connections the server holds: for shutdown, and for the
 * deadline on a request's head.
 *
 * http.c registers each connection when libmicrohttpd opens it
 * (MHD_OPTION_NOTIFY_CONNECTION, STARTED) and unregisters it when it is
 * closed (CLOSED, which MHD calls before it closes the socket).  Between
 * the two a connection is busy from its request line to the end of its
 * answer, idle otherwise.  An entry is the connection's socket context, so
 * a callback that has the MHD_Connection finds it without a search
 * (conns_of).
 *
 * The head deadline.  libmicrohttpd's connection timeout restarts with
 * every byte, so a client that sends its headers a line a second keeps a
 * connection (and a place under the connection limits) as long as it
 * likes.  Here every connection waiting for a request line and headers --
 * a new one, or a kept-alive one after its last answer -- has a deadline
 * (head_timeout seconds from then); a sweeper thread shuts down the socket
 * of each one whose head is not complete by then, and MHD closes it.
 *
 * Shutdown.  On SIGTERM, conns_drain() says that every answer from then on
 * carries "Connection: close" (conns_draining(), read by response.c) and
 * closes the idle keep-alive connections: shutdown(SHUT_RD) on a socket
 * with no unread byte wakes its worker, which reads the end and closes it.
 *
 * Everything is under one mutex, held while a socket is shut down, so a
 * socket is never touched after MHD closed it (CLOSED waits for the mutex).
 */
#ifndef ALLIANCE_CONNS_H
#define ALLIANCE_CONNS_H

struct MHD_Connection;
struct conn_entry;

/* Starts the sweeper with the head deadline in seconds.  0, or -1
 * (logged). */
int conns_start(unsigned head_timeout);

/* A new connection with its socket: the entry to keep as the socket
 * context (owned here until conns_unregister).  Idle, its head awaited. */
struct conn_entry *conns_register(struct MHD_Connection *c, int fd);
/* The connection is being closed: forget it and free e (NULL is fine).
 * While draining, first shuts its output down and reads what is unread,
 * so the close sends no reset that would cut its last answer. */
void conns_unregister(struct conn_entry *e);
/* The entry registered for c (its socket context), or NULL. */
struct conn_entry *conns_of(struct MHD_Connection *c);

/* A request line has arrived (busy 1; the head's deadline still runs), or
 * the answer has gone (busy 0): a kept-alive connection then waits for its
 * next head with a fresh deadline, or, while draining, is closed.  NULL is
 * ignored. */
void conns_set_busy(struct conn_entry *e, int busy);
/* The request line and headers are in: no deadline until the answer has
 * gone.  NULL is ignored. */
void conns_head_done(struct conn_entry *e);

/* Stops keep-alive: from now on answers carry "Connection: close", and
 * the idle connections are closed.  Returns how many were idle. */
int conns_drain(void);
/* Whether conns_drain() was called. */
int conns_draining(void);
/* How many connections are open now. */
int conns_count(void);

#endif
