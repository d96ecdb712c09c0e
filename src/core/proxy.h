/*
 * proxy.h -- who the client is when a proxy stands in front: the
 * trusted_proxy setting (addresses and CIDR ranges whose X-Forwarded-For
 * is believed) and the client address it yields.
 *
 * Pure functions, no I/O: config.c validates the setting with
 * proxy_nets_parse, http.c computes every request's client address once
 * with proxy_client (rate limits, sessions, the access log and audit
 * records all read that one string, req_client() in http.h).
 */
#ifndef ALLIANCE_PROXY_H
#define ALLIANCE_PROXY_H

#include <stddef.h>

#define PROXY_NETS_MAX 32
#define PROXY_ADDR_MAX 46 /* INET6_ADDRSTRLEN */

/* One address or range: family 4 or 6, the address in network order
 * (IPv4 in the first 4 bytes), and the prefix length in bits. */
struct proxy_net {
	int family;
	unsigned char addr[16];
	unsigned prefix;
};

struct proxy_nets {
	size_t n;
	struct proxy_net net[PROXY_NETS_MAX];
};

/*
 * Parses "127.0.0.1, 10.0.0.0/8 ::1" (commas and/or spaces between
 * entries; an empty text is an empty list) into nets.  0, or -1 with a
 * message for a person in err.
 */
int proxy_nets_parse(const char *text, struct proxy_nets *nets, char *err,
		     size_t errlen);
/* 1 when the address text addr (IPv4 or IPv6) lies in one of nets. */
int proxy_nets_contain(const struct proxy_nets *nets, const char *addr);

/*
 * The client's address for a request that came from peer (its address
 * as text) with the X-Forwarded-For value xff (all such headers joined
 * with commas; NULL when none).  When peer is not in nets, the answer is
 * peer: what an untrusted peer says about others is never believed.
 * Otherwise X-Forwarded-For is read from the right (each proxy appends
 * the address it saw): the first entry that is not itself a trusted
 * proxy is the client.  An entry that is not an address stops the walk
 * (the proxy to its right is the last one known to be honest, and its
 * address is the answer); when every entry is trusted, the left-most
 * one is.  The address is written in its canonical form into out
 * (PROXY_ADDR_MAX bytes); returns out.
 */
const char *proxy_client(const struct proxy_nets *nets, const char *peer,
			 const char *xff, char out[PROXY_ADDR_MAX]);

#endif
