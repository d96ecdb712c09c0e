/*
 * pagecache.c -- see pagecache.h.  A small hash table per thread (256
 * slots, direct-mapped: a colliding key replaces the older one), so there
 * are no locks and no eviction lists.  Memory is bounded by slots times the
 * largest kept body, per worker.
 */
#include "pagecache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SLOTS 256
#define MAX_BODY (512u * 1024)

struct entry {
	char *key;
	uint64_t gen;
	int64_t until; /* 0, or served only before this unix second */
	struct cached_page page;
	char *ctype;
	char *body;
};

struct cache {
	struct entry slot[SLOTS];
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void
entry_clear(struct entry *e)
{
	free(e->key);
	free(e->ctype);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

static void
cache_destroy(void *p)
{
	struct cache *c = p;

	for (size_t i = 0; i < SLOTS; i++)
		entry_clear(&c->slot[i]);
	free(c);
}

static void
cache_key_init(void)
{
	pthread_key_create(&cache_key, cache_destroy);
}

static struct cache *
thread_cache(void)
{
	struct cache *c;

	pthread_once(&cache_once, cache_key_init);
	c = pthread_getspecific(cache_key);
	if (c == NULL) {
		c = xcalloc(1, sizeof(*c));
		pthread_setspecific(cache_key, c);
	}
	return c;
}

/* FNV-1a: keys are short and trusted to be spread by their paths. */
static size_t
slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ull;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211ull;
	return (size_t)(h % SLOTS);
}

const struct cached_page *
pagecache_get(const char *key, uint64_t gen, int64_t now)
{
	struct entry *e = &thread_cache()->slot[slot_of(key)];

	if (e->key == NULL || strcmp(e->key, key) != 0)
		return NULL;
	if (e->gen != gen || (e->until != 0 && now >= e->until)) {
		entry_clear(e);
		return NULL;
	}
	return &e->page;
}

void
pagecache_put(const char *key, uint64_t gen, int64_t until, int status,
	      const char *content_type, const char *body, size_t len)
{
	struct entry *e;

	if (len > MAX_BODY)
		return;
	e = &thread_cache()->slot[slot_of(key)];
	entry_clear(e);
	e->key = xstrdup(key);
	e->gen = gen;
	e->until = until;
	e->ctype = xstrdup(content_type);
	e->body = xmalloc(len ? len : 1);
	memcpy(e->body, body, len);
	e->page.status = status;
	e->page.content_type = e->ctype;
	e->page.body = e->body;
	e->page.len = len;
}

int64_t
pagecache_clock_bound(int64_t now)
{
	return (now / 60 + 1) * 60;
}
