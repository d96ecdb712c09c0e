/*
 * test_conns.c -- the list of open connections: registering and
 * unregistering count, and draining shuts down for reading only the idle
 * connections with nothing unread -- not one with a request on it, not
 * one whose request has arrived but not begun -- and one that goes idle
 * after the drain.  Sockets are socketpairs standing in for clients.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/conns.h"

/* Whether our end sees the end of input (shut down for reading) rather
 * than "nothing yet" or data. */
static int
shut_for_reading(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);

	return n == 0;
}

static void
drain_closes_only_idle_connections(void **state)
{
	int idle[2], busy[2], arrived[2], later[2];
	struct conn_entry *e_idle, *e_busy, *e_arrived, *e_later;
	int before = conns_count();

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, idle), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, busy), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, arrived), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, later), 0);
	e_idle = conns_register(NULL, idle[0]);
	e_busy = conns_register(NULL, busy[0]);
	e_arrived = conns_register(NULL, arrived[0]);
	e_later = conns_register(NULL, later[0]);
	assert_int_equal(conns_count(), before + 4);
	conns_set_busy(e_busy, 1);
	conns_set_busy(e_later, 1);
	assert_int_equal(write(arrived[1], "GET / HTTP/1.1\r\n", 16), 16);

	assert_false(conns_draining());
	assert_int_equal(conns_drain(), 1);
	assert_true(conns_draining());
	assert_true(shut_for_reading(idle[0]));
	assert_false(shut_for_reading(busy[0]));
	assert_false(shut_for_reading(arrived[0])); /* its request is read */

	/* the answer has gone: the connection closes now */
	conns_set_busy(e_later, 0);
	assert_true(shut_for_reading(later[0]));

	conns_unregister(e_idle);
	conns_unregister(e_busy);
	conns_unregister(e_arrived);
	conns_unregister(e_later);
	assert_int_equal(conns_count(), before);
	for (int i = 0; i < 2; i++) {
		close(idle[i]);
		close(busy[i]);
		close(arrived[i]);
		close(later[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drain_closes_only_idle_connections),
	};

	return cmocka_run_group_tests_name("conns", tests, NULL, NULL);
}
