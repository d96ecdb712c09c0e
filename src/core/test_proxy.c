/*
 * test_proxy.c -- the trusted_proxy setting and the client address it
 * yields: what X-Forwarded-For is believed, from whom, and how far.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/proxy.h"

static const char *
client(const char *nets_text, const char *peer, const char *xff)
{
	static char out[PROXY_ADDR_MAX];
	struct proxy_nets nets;
	char err[200];

	assert_int_equal(proxy_nets_parse(nets_text, &nets, err, sizeof(err)),
			 0);
	return proxy_client(&nets, peer, xff, out);
}

static void
nets_parse_addresses_ranges_and_separators(void **state)
{
	struct proxy_nets nets;
	char err[200];

	assert_int_equal(proxy_nets_parse("127.0.0.1, 10.0.0.0/8 ::1,"
					  "2001:db8::/32",
					  &nets, err, sizeof(err)),
			 0);
	assert_int_equal(nets.n, 4);
	assert_true(proxy_nets_contain(&nets, "10.200.3.4"));
	assert_true(proxy_nets_contain(&nets, "::ffff:10.1.1.1"));
	assert_true(proxy_nets_contain(&nets, "2001:db8:ffff::7"));
	assert_true(proxy_nets_contain(&nets, "::1"));
	assert_false(proxy_nets_contain(&nets, "11.0.0.1"));
	assert_false(proxy_nets_contain(&nets, "127.0.0.2"));
	assert_false(proxy_nets_contain(&nets, "2001:db9::1"));
	assert_false(proxy_nets_contain(&nets, "not an address"));
	assert_int_equal(proxy_nets_parse("", &nets, err, sizeof(err)), 0);
	assert_int_equal(nets.n, 0);
	assert_int_equal(
		proxy_nets_parse("172.16.0.0/12", &nets, err, sizeof(err)), 0);
	assert_true(proxy_nets_contain(&nets, "172.31.255.255"));
	assert_false(proxy_nets_contain(&nets, "172.32.0.0"));
}

static void
nets_parse_rejects_bad_entries_naming_them(void **state)
{
	static const char *bad[] = {"localhost",
				    "10.0.0.0/33",
				    "10.0.0.0/",
				    "1.2.3.4/x",
				    "::1/129",
				    "1.2.3",
				    "10.0.0.0/8 proxy.example"};
	struct proxy_nets nets;
	char err[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
			proxy_nets_parse(bad[i], &nets, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "trusted_proxy"));
	}
	assert_int_equal(
		proxy_nets_parse("10.0.0.0/33", &nets, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'10.0.0.0/33'"));
}

static void
client_is_the_peer_when_the_peer_is_not_trusted(void **state)
{
	assert_string_equal(client("", "192.0.2.1", "203.0.113.9"),
			    "192.0.2.1");
	assert_string_equal(client("10.0.0.1", "192.0.2.1", "203.0.113.9"),
			    "192.0.2.1");
	assert_string_equal(client("127.0.0.1", "127.0.0.1", NULL),
			    "127.0.0.1");
}

static void
client_is_the_rightmost_untrusted_forwarded_address(void **state)
{
	/* the client may put anything on the left: only what the trusted
	 * proxies appended counts */
	assert_string_equal(
		client("127.0.0.1", "127.0.0.1", "1.1.1.1, 203.0.113.9"),
		"203.0.113.9");
	assert_string_equal(client("127.0.0.1, 10.0.0.0/8", "127.0.0.1",
				   "1.1.1.1, 203.0.113.9, 10.1.2.3"),
			    "203.0.113.9");
	assert_string_equal(
		client("127.0.0.1", "127.0.0.1", " 2001:DB8::0001 "),
		"2001:db8::1");
	assert_string_equal(
		client("127.0.0.1", "127.0.0.1", "[2001:db8::2]:443"),
		"2001:db8::2");
	assert_string_equal(
		client("127.0.0.1", "127.0.0.1", "198.51.100.4:5123"),
		"198.51.100.4");
	assert_string_equal(
		client("127.0.0.1", "::ffff:127.0.0.1", "198.51.100.4"),
		"198.51.100.4");
}

static void
client_stops_at_garbage_and_when_all_are_trusted(void **state)
{
	/* garbage: the last honest hop is the answer */
	assert_string_equal(client("127.0.0.1, 10.0.0.0/8", "127.0.0.1",
				   "203.0.113.9, unknown, 10.0.0.5"),
			    "10.0.0.5");
	assert_string_equal(client("127.0.0.1", "127.0.0.1", "evil"),
			    "127.0.0.1");
	assert_string_equal(client("127.0.0.1", "127.0.0.1", ""), "127.0.0.1");
	assert_string_equal(client("127.0.0.1", "127.0.0.1", ",,"),
			    "127.0.0.1");
	assert_string_equal(client("127.0.0.1, 10.0.0.0/8", "127.0.0.1",
				   "10.0.0.9, 10.0.0.5"),
			    "10.0.0.9");
}

static void
config_takes_trusted_proxy_from_file_env_and_refuses_bad(void **state)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	assert_string_equal(c.trusted_proxy, "");
	assert_int_equal(c.header_timeout, 10);
	assert_int_equal(config_set(&c, "trusted_proxy", "10.0.0.0/8, ::1", err,
				    sizeof(err)),
			 0);
	assert_string_equal(c.trusted_proxy, "10.0.0.0/8, ::1");
	assert_int_equal(config_set(&c, "trusted_proxy", "", err, sizeof(err)),
			 0);
	assert_string_equal(c.trusted_proxy, "");
	assert_int_equal(
		config_set(&c, "trusted_proxy", "proxy.lan", err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "proxy.lan"));
	setenv("ALLIANCE_TRUSTED_PROXY", "127.0.0.1", 1);
	assert_int_equal(config_read_env(&c, err, sizeof(err)), 0);
	assert_string_equal(c.trusted_proxy, "127.0.0.1");
	unsetenv("ALLIANCE_TRUSTED_PROXY");
	assert_int_equal(
		config_set(&c, "header_timeout", "0", err, sizeof(err)), -1);
	assert_int_equal(
		config_set(&c, "header_timeout", "3", err, sizeof(err)), 0);
	assert_int_equal(c.header_timeout, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nets_parse_addresses_ranges_and_separators),
		cmocka_unit_test(nets_parse_rejects_bad_entries_naming_them),
		cmocka_unit_test(
			client_is_the_peer_when_the_peer_is_not_trusted),
		cmocka_unit_test(
			client_is_the_rightmost_untrusted_forwarded_address),
		cmocka_unit_test(
			client_stops_at_garbage_and_when_all_are_trusted),
		cmocka_unit_test(
			config_takes_trusted_proxy_from_file_env_and_refuses_bad),
	};

	return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
