/*
 * fuzz_client.c -- libFuzzer target for what issue 8 put at the door:
 * the UTF-8 repair and cut of untrusted bytes (util.c) and the client
 * address behind a trusted proxy (proxy.c).  The input is split at its
 * first two NUL bytes into a trusted_proxy setting, a peer address and an
 * X-Forwarded-For value; the whole input is also repaired and cut.
 *
 * Checked: a repaired string is valid UTF-8 and jansson takes it; a cut
 * is no longer than asked, ends on a character boundary of valid input,
 * and keeps a prefix; the client is a valid, NUL-terminated address no
 * longer than PROXY_ADDR_MAX, and is the peer itself when the peer is not
 * trusted.  Built by `make fuzz` (seeds in tests/fuzz/client/), never
 * into alliance.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/proxy.h"
#include "core/util.h"

static void
check_utf8(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	json_t *j;
	size_t max = n ? (unsigned char)s[0] % (n + 1) : 0, cut;

	buf_put_utf8(&b, s, n);
	if (!utf8_valid(buf_cstr(&b), b.len))
		abort();
	buf_free(&b);
	j = json_string_lossy(s, n);
	if (j == NULL)
		abort();
	json_decref(j);
	cut = utf8_cut(s, n, max);
	if (cut > max && cut != n)
		abort();
	if (utf8_valid(s, n) && !utf8_valid(s, cut))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 3), *peer, *xff, out[PROXY_ADDR_MAX];
	char err[256];
	struct proxy_nets nets;
	unsigned char bin[16];
	const char *client;

	check_utf8((const char *)data, size);
	memcpy(text, data, size);
	text[size] = text[size + 1] = text[size + 2] = '\0';
	peer = text + strlen(text) + 1;
	if (peer > text + size)
		peer = text + size + 1;
	xff = peer + strlen(peer) + 1;
	if (xff > text + size + 1)
		xff = text + size + 2;
	if (proxy_nets_parse(text, &nets, err, sizeof(err)) == 0) {
		client = proxy_client(&nets, peer, *xff ? xff : NULL, out);
		if (strlen(client) >= PROXY_ADDR_MAX)
			abort();
		/* an untrusted peer is answered as itself, whatever it says */
		if (!proxy_nets_contain(&nets, peer) && strcmp(client, peer) != 0 &&
		    (inet_pton(AF_INET, peer, bin) == 1 ||
		     inet_pton(AF_INET6, peer, bin) == 1)) {
			/* canonical forms may differ in spelling (IPv6) */
			unsigned char c[16];

			if (inet_pton(strchr(peer, ':') ? AF_INET6 : AF_INET, client,
				      c) != 1 ||
			    memcmp(c, bin, strchr(peer, ':') ? 16 : 4) != 0)
				abort();
		}
	}
	free(text);
	return 0;
}
