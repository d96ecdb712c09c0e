/*
 * proxy.c -- see proxy.h.  Addresses are compared as bytes under a prefix
 * mask; an IPv4 address mapped into IPv6 (::ffff:192.0.2.1) is taken as
 * the IPv4 address, so one setting covers both spellings.
 */
#include "proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads an address (no prefix) from s into net; 0 or -1.  A mapped IPv4
 * address becomes family 4. */
static int
parse_addr(const char *s, struct proxy_net *net)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
						 0, 0, 0, 0, 0xff, 0xff};

	memset(net, 0, sizeof(*net));
	if (inet_pton(AF_INET, s, net->addr) == 1) {
		net->family = 4;
		net->prefix = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, s, net->addr) == 1) {
		net->family = 6;
		net->prefix = 128;
		if (memcmp(net->addr, mapped, sizeof(mapped)) == 0) {
			memmove(net->addr, net->addr + 12, 4);
			memset(net->addr + 4, 0, 12);
			net->family = 4;
			net->prefix = 32;
		}
		return 0;
	}
	return -1;
}

/* Whether a (a single address) lies in the range r. */
static int
in_net(const struct proxy_net *r, const struct proxy_net *a)
{
	unsigned full = r->prefix / 8, rest = r->prefix % 8;

	if (r->family != a->family)
		return 0;
	if (memcmp(r->addr, a->addr, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((r->addr[full] ^ a->addr[full]) & (0xff00u >> rest) & 0xff) ==
	       0;
}

int
proxy_nets_parse(const char *text, struct proxy_nets *nets, char *err,
		 size_t errlen)
{
	const char *p = text;
	char item[80], *slash;

	nets->n = 0;
	for (;;) {
		size_t len;
		struct proxy_net *net;

		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			return 0;
		len = strcspn(p, ", \t\r\n");
		if (len >= sizeof(item)) {
			snprintf(err, errlen,
				 "trusted_proxy: '%.20s...' is not an address",
				 p);
			return -1;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		p += len;
		slash = strchr(item, '/');
		if (nets->n == PROXY_NETS_MAX) {
			snprintf(err, errlen,
				 "trusted_proxy: at most %d addresses or "
				 "ranges",
				 PROXY_NETS_MAX);
			return -1;
		}
		net = &nets->net[nets->n];
		if (slash)
			*slash = '\0';
		if (parse_addr(item, net) != 0)
			goto bad;
		if (slash) {
			char *end;
			unsigned long bits;
			int v6 = strchr(item, ':') != NULL;

			if (!isdigit((unsigned char)slash[1]))
				goto bad;
			bits = strtoul(slash + 1, &end, 10);
			if (*end != '\0' || bits > (v6 ? 128u : 32u))
				goto bad;
			/* ::ffff:10.0.0.0/104 is 10.0.0.0/8 */
			if (v6 && net->family == 4) {
				if (bits < 96)
					goto bad;
				bits -= 96;
			}
			net->prefix = (unsigned)bits;
			*slash = '/';
		}
		nets->n++;
	}
bad:
	if (slash)
		*slash = '/';
	snprintf(err, errlen,
		 "trusted_proxy: '%s' is not an address or a range like "
		 "10.0.0.0/8",
		 item);
	return -1;
}

int
proxy_nets_contain(const struct proxy_nets *nets, const char *addr)
{
	struct proxy_net a;

	if (nets == NULL || parse_addr(addr, &a) != 0)
		return 0;
	for (size_t i = 0; i < nets->n; i++)
		if (in_net(&nets->net[i], &a))
			return 1;
	return 0;
}

/* The canonical text of the address s into out; 0, or -1 when s is not
 * an address.  "[2001:db8::1]" and "192.0.2.1:4711" (a port some proxies
 * add) are read too. */
static int
canonical(const char *s, size_t len, char out[PROXY_ADDR_MAX])
{
	char tmp[80];
	struct proxy_net a;
	const char *colon;

	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (tmp[0] == '[') {
		char *close = strchr(tmp, ']');

		if (close == NULL)
			return -1;
		*close = '\0';
		memmove(tmp, tmp + 1, strlen(tmp + 1) + 1);
	} else if ((colon = strchr(tmp, ':')) != NULL &&
		   strchr(colon + 1, ':') == NULL) {
		tmp[colon - tmp] = '\0'; /* IPv4 with a port */
	}
	if (parse_addr(tmp, &a) != 0)
		return -1;
	if (inet_ntop(a.family == 4 ? AF_INET : AF_INET6, a.addr, out,
		      PROXY_ADDR_MAX) == NULL)
		return -1;
	return 0;
}

const char *
proxy_client(const struct proxy_nets *nets, const char *peer, const char *xff,
	     char out[PROXY_ADDR_MAX])
{
	char cand[PROXY_ADDR_MAX];
	size_t end;

	if (canonical(peer, strlen(peer), out) != 0)
		snprintf(out, PROXY_ADDR_MAX, "%s", peer);
	if (xff == NULL || !proxy_nets_contain(nets, out))
		return out;
	/* out holds the last hop known to be honest; walk leftwards */
	end = strlen(xff);
	while (end > 0) {
		size_t start = end;

		while (start > 0 && xff[start - 1] != ',')
			start--;
		if (canonical(xff + start, end - start, cand) != 0)
			break;
		memcpy(out, cand, sizeof(cand));
		if (!proxy_nets_contain(nets, cand))
			break;
		end = start ? start - 1 : 0;
	}
	return out;
}
