/*
 * test_pagecache.c -- the per-thread page cache: a hit only at the same
 * generation, a stale entry dropped, colliding keys never confused, large
 * bodies not kept, and each thread with its own cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pagecache.h"

static void
hit_at_same_generation(void **state)
{
	const struct cached_page *p;

	pagecache_put("h/about?", 7, 0, 200, "text/html", "<p>about</p>", 12);
	p = pagecache_get("h/about?", 7, 1000);
	assert_non_null(p);
	assert_int_equal(p->status, 200);
	assert_string_equal(p->content_type, "text/html");
	assert_int_equal(p->len, 12);
	assert_memory_equal(p->body, "<p>about</p>", 12);
}

static void
miss_after_the_database_changed(void **state)
{
	pagecache_put("h/privacy?", 1, 0, 200, "text/html", "old", 3);
	assert_null(pagecache_get("h/privacy?", 2, 1000));
	/* and the stale entry is gone, even for its own generation */
	assert_null(pagecache_get("h/privacy?", 1, 1000));
}

/* A page bound by the clock: served before its bound, dropped from it
 * on, whatever the generation says; no bound means only writes count. */
static void
expires_at_its_bound(void **state)
{
	pagecache_put("h/calendar?", 4, 1800, 200, "text/html", "soon", 4);
	assert_non_null(pagecache_get("h/calendar?", 4, 1799));
	assert_null(pagecache_get("h/calendar?", 4, 1800));
	/* and it is gone, even for an earlier clock */
	assert_null(pagecache_get("h/calendar?", 4, 1799));
	pagecache_put("h/about?", 4, 0, 200, "text/html", "a", 1);
	assert_non_null(pagecache_get("h/about?", 4, INT64_MAX));
}

/* The bound of a ROUTE_CLOCK page is the start of the next minute. */
static void
clock_bound_is_the_next_minute(void **state)
{
	assert_int_equal(pagecache_clock_bound(1800), 1860);
	assert_int_equal(pagecache_clock_bound(1859), 1860);
	assert_int_equal(pagecache_clock_bound(1860), 1920);
}

static void
representations_are_kept_apart(void **state)
{
	pagecache_put("h/bodies?", 3, 0, 200, "text/html", "html", 4);
	assert_null(pagecache_get("j/bodies?", 3, 1000));
}

static void
many_keys_never_answer_for_each_other(void **state)
{
	char key[32], body[32];

	for (int i = 0; i < 2000; i++) {
		snprintf(key, sizeof(key), "h/p/%d?", i);
		snprintf(body, sizeof(body), "body %d", i);
		pagecache_put(key, 5, 0, 200, "text/html", body, strlen(body));
	}
	for (int i = 0; i < 2000; i++) {
		const struct cached_page *p;

		snprintf(key, sizeof(key), "h/p/%d?", i);
		snprintf(body, sizeof(body), "body %d", i);
		p = pagecache_get(key, 5, 1000);
		if (p) {
			assert_int_equal(p->len, strlen(body));
			assert_memory_equal(p->body, body, p->len);
		}
	}
}

static void
large_bodies_are_not_kept(void **state)
{
	size_t n = 600 * 1024;
	char *big = calloc(1, n);

	pagecache_put("h/big?", 1, 0, 200, "text/html", big, n);
	assert_null(pagecache_get("h/big?", 1, 1000));
	free(big);
}

static void *
other_thread(void *arg)
{
	return (void *)pagecache_get("h/shared?", 9, 1000);
}

static void
threads_do_not_share_entries(void **state)
{
	pthread_t t;
	void *seen = (void *)1;

	pagecache_put("h/shared?", 9, 0, 200, "text/html", "x", 1);
	assert_non_null(pagecache_get("h/shared?", 9, 1000));
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, &seen);
	assert_null(seen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hit_at_same_generation),
		cmocka_unit_test(miss_after_the_database_changed),
		cmocka_unit_test(expires_at_its_bound),
		cmocka_unit_test(clock_bound_is_the_next_minute),
		cmocka_unit_test(representations_are_kept_apart),
		cmocka_unit_test(many_keys_never_answer_for_each_other),
		cmocka_unit_test(large_bodies_are_not_kept),
		cmocka_unit_test(threads_do_not_share_entries),
	};

	return cmocka_run_group_tests_name("pagecache", tests, NULL, NULL);
}
