/*
 * conns.h -- the connections the server holds, and the deadline for a
 * request's head.
 *
 * libmicrohttpd's connection timeout restarts with every byte, so a
 * client that sends its headers a line a second keeps a connection (and
 * a place under the connection limits) for as long as it likes.  Here
 * every connection waiting for a request line and headers -- a new one,
 * or a kept-alive one after its last answer -- has a deadline
 * (header_timeout seconds); a sweeper thread shuts down the socket of
 * each one whose head is not complete by then, and libmicrohttpd closes
 * it.  http.c reports the life of each connection: started and closed
 * (MHD_OPTION_NOTIFY_CONNECTION), head complete (the first call of the
 * access handler), request done (the completed callback).
 */
#ifndef ALLIANCE_CONNS_H
#define ALLIANCE_CONNS_H

struct conns_entry;

/* Starts the sweeper with the deadline in seconds. 0, or -1 (logged). */
int conns_start(unsigned head_timeout);
/* A connection has been accepted: its socket fd and libmicrohttpd's
 * handle.  The entry (owned here) is the caller's handle until
 * conns_closed. */
struct conns_entry *conns_started(int fd, void *conn);
/* The connection is about to be closed (its socket is still open): the
 * entry is freed.  NULL is ignored. */
void conns_closed(struct conns_entry *e);
/* The request line and headers are in: no deadline until the request is
 * done.  NULL is ignored. */
void conns_head_done(struct conns_entry *e);
/* The request is done; a kept-alive connection waits for the next head,
 * with a fresh deadline.  NULL is ignored. */
void conns_request_done(struct conns_entry *e);

#endif
