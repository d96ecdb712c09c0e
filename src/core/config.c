/*
 * config.c -- see config.h.  The table of keys is the documentation: each
 * key names its kind, so parsing and printing share one description.  The
 * modules' rows (config_declare) follow the core's in every loop.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"
#include "util.h"

#define OFF(f) offsetof(struct config, f)
static const struct config_setting keys[] = {
	{.key = "data", .kind = CONFIG_STR, .offset = OFF(data_dir),
	 .size = sizeof(((struct config *)0)->data_dir),
	 .help = "folder of the database, uploads and outbox"},
	{.key = "listen", .kind = CONFIG_LISTEN,
	 .help = "address:port to serve on"},
	{.key = "workers", .kind = CONFIG_UINT, .offset = OFF(workers),
	 .min = 1, .max = 256, .help = "worker threads"},
	{.key = "max_body", .kind = CONFIG_SIZE, .offset = OFF(max_body),
	 .min = 1024, .max = 1ull << 32,
	 .help = "largest request body in bytes (forms; uploads set their "
		 "own)"},
	{.key = "max_header", .kind = CONFIG_SIZE, .offset = OFF(max_header),
	 .min = 4096, .max = 1 << 20,
	 .help = "memory for the request line and headers, in bytes"},
	{.key = "max_fields", .kind = CONFIG_SIZE, .offset = OFF(max_fields),
	 .min = 1, .max = 100000, .help = "fields in one request"},
	{.key = "max_field_len", .kind = CONFIG_SIZE,
	 .offset = OFF(max_field_len), .min = 64, .max = 1 << 24,
	 .help = "bytes in one field value"},
	{.key = "behind_tls", .kind = CONFIG_BOOL, .offset = OFF(behind_tls),
	 .max = 1,
	 .help = "1 when a TLS proxy is in front (HSTS, secure cookies)"},
	{.key = "trusted_proxy", .kind = CONFIG_NETS,
	 .offset = OFF(trusted_proxy),
	 .size = sizeof(((struct config *)0)->trusted_proxy),
	 .help = "addresses or ranges of proxies whose X-Forwarded-For is "
		 "believed\n"
		 "# (\"127.0.0.1, 10.0.0.0/8\"); empty: the peer is the "
		 "client"},
	{.key = "header_timeout", .kind = CONFIG_UINT,
	 .offset = OFF(header_timeout), .min = 1, .max = 3600,
	 .help = "seconds a client has to send the request line and headers"},
	{.key = "site_name", .kind = CONFIG_STR, .offset = OFF(site_name),
	 .size = sizeof(((struct config *)0)->site_name),
	 .help = "the name in page titles"},
	{.key = "default_language", .kind = CONFIG_STR,
	 .offset = OFF(default_language),
	 .size = sizeof(((struct config *)0)->default_language),
	 .help = "language of pages when the visitor's cookie, account and "
		 "browser choose none (en, fr, ar)"},
	{.key = "base_url", .kind = CONFIG_STR, .offset = OFF(base_url),
	 .size = sizeof(((struct config *)0)->base_url),
	 .help = "the address people use, for links in e-mail (default: "
		 "http://LISTEN)"},
	{.key = "session_idle", .kind = CONFIG_UINT,
	 .offset = OFF(session_idle), .min = 1, .max = 7 * 86400,
	 .help = "seconds of inactivity that end a session"},
	{.key = "session_max", .kind = CONFIG_UINT, .offset = OFF(session_max),
	 .min = 1, .max = 90 * 86400,
	 .help = "seconds after sign-in that end a session"},
	{.key = "mail_from", .kind = CONFIG_STR, .offset = OFF(mail_from),
	 .size = sizeof(((struct config *)0)->mail_from),
	 .help = "the From: address of outgoing mail"},
	{.key = "smtp_url", .kind = CONFIG_STR, .offset = OFF(smtp_url),
	 .size = sizeof(((struct config *)0)->smtp_url),
	 .help = "smtp://host:587 or smtps://host:465; unset: .eml files in "
		 "DATA/outbox"},
	{.key = "smtp_user", .kind = CONFIG_STR, .offset = OFF(smtp_user),
	 .size = sizeof(((struct config *)0)->smtp_user),
	 .help = "SMTP user name"},
	{.key = "smtp_password", .kind = CONFIG_STR,
	 .offset = OFF(smtp_password),
	 .size = sizeof(((struct config *)0)->smtp_password),
	 .help = "SMTP password"},
	{.key = "smtp_starttls", .kind = CONFIG_BOOL,
	 .offset = OFF(smtp_starttls), .max = 1,
	 .help = "yes to require STARTTLS on smtp://"},
	{.key = "min_free", .kind = CONFIG_SIZE, .offset = OFF(min_free),
	 .max = 1ull << 50,
	 .help = "bytes the data folder's disk must keep free; below it "
		 "/healthz answers 503"},
	{.key = "dev_source", .kind = CONFIG_STR, .offset = OFF(dev_source),
	 .size = sizeof(((struct config *)0)->dev_source),
	 .help = "development: the source tree's src folder; serve reads "
		 "templates and static files\n"
		 "# from it on every change instead of the compiled-in "
		 "copies (empty: off)"},
};

const struct config *config_current;

/* The modules' settings (config_declare), after the core's keys. */
static const struct config_setting *declared[64];
static size_t ndeclared;

static int set_value(struct config *c, const struct config_setting *k,
		     const char *value, char *err, size_t errlen);

/* The setting called key, the core's or a module's, or NULL. */
static const struct config_setting *
find_setting(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	for (size_t i = 0; i < ndeclared; i++)
		if (strcmp(declared[i]->key, key) == 0)
			return declared[i];
	return NULL;
}

/* The i-th setting of the whole table, the core's first, or NULL. */
static const struct config_setting *
setting_at(size_t i)
{
	if (i < ARRAY_LEN(keys))
		return &keys[i];
	return config_declared(i - ARRAY_LEN(keys));
}

const struct config_setting *
config_declared(size_t i)
{
	return i < ndeclared ? declared[i] : NULL;
}

int
config_declare(const struct config_setting *list, char *err, size_t errlen)
{
	for (const struct config_setting *k = list; k && k->key; k++) {
		if (find_setting(k->key)) {
			snprintf(err, errlen, "setting '%s' is declared twice",
				 k->key);
			return -1;
		}
		if (ndeclared == ARRAY_LEN(declared) || k->storage == NULL ||
		    k->kind == CONFIG_LISTEN) {
			snprintf(err, errlen, "setting '%s' cannot be declared",
				 k->key);
			return -1;
		}
		if (set_value(NULL, k, k->def ? k->def : "", err, errlen) != 0)
			return -1;
		declared[ndeclared++] = k;
	}
	return 0;
}

/*
 * One worker thread per processor, at least two: each thread serves its
 * connections through epoll, so more threads than processors only take
 * turns (on 2 cores, 4 workers put the 99th percentile of a cached page
 * at 7.5-10 ms under 64 connections, 2 workers at 5-6 ms, bench/
 * directory.sh).  A deployment whose requests wait on slow disks may set
 * more.
 */
static unsigned
default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 2 ? 2 : n > 64 ? 64 : (unsigned)n;
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->data_dir, sizeof(c->data_dir), "data");
	snprintf(c->listen_host, sizeof(c->listen_host), "127.0.0.1");
	c->port = 8080;
	c->workers = default_workers();
	c->max_body = 1 << 20;
	c->max_header = 32 * 1024;
	c->max_fields = 1000;
	c->max_field_len = 100 * 1024;
	c->header_timeout = 10;
	snprintf(c->site_name, sizeof(c->site_name),
		 "Alliance of NGOs on Crime Prevention and Criminal Justice");
	snprintf(c->default_language, sizeof(c->default_language), "en");
	c->session_idle = 30 * 60;
	c->session_max = 12 * 3600;
	c->min_free = 64 * 1024 * 1024;
	snprintf(c->mail_from, sizeof(c->mail_from),
		 "Alliance secretariat <secretariat@localhost>");
	for (size_t i = 0; i < ndeclared; i++) {
		char err[256];

		/* Checked when declared. */
		set_value(c, declared[i],
			  declared[i]->def ? declared[i]->def : "", err,
			  sizeof(err));
	}
}

static int
parse_uint(const char *v, unsigned long long *out)
{
	char *end;

	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	*out = strtoull(v, &end, 10);
	if (errno)
		return -1;
	if (*end == 'k' || *end == 'K')
		*out *= 1024, end++;
	else if (*end == 'm' || *end == 'M')
		*out *= 1024 * 1024, end++;
	return *end == '\0' ? 0 : -1;
}

int
config_set(struct config *c, const char *key, const char *value, char *err,
	   size_t errlen)
{
	const struct config_setting *k = find_setting(key);

	if (k == NULL) {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	return set_value(c, k, value, err, errlen);
}

/* Checks value for k and stores it: in c at k's offset for the core's
 * settings, in k->storage for a module's (c may then be NULL). */
static int
set_value(struct config *c, const struct config_setting *k, const char *value,
	  char *err, size_t errlen)
{
	const char *key = k->key;
	char *slot = k->storage ? k->storage : (char *)c + k->offset;
	unsigned long long n;

	if (k->check && k->check(value, err, errlen) != 0)
		return -1;
	switch (k->kind) {
	case CONFIG_STR:
		if (strlen(value) >= k->size || *value == '\0') {
			snprintf(err, errlen, "%s must be 1 to %zu characters",
				 key, k->size - 1);
			return -1;
		}
		snprintf(slot, k->size, "%s", value);
		return 0;
	case CONFIG_LISTEN: {
		const char *colon = strrchr(value, ':');
		size_t hl = colon ? (size_t)(colon - value) : 0;

		if (colon == NULL || hl == 0 || hl >= sizeof(c->listen_host) ||
		    parse_uint(colon + 1, &n) != 0 || n == 0 || n > 65535) {
			snprintf(err, errlen,
				 "listen must look like 127.0.0.1:8080, not "
				 "'%s'",
				 value);
			return -1;
		}
		memcpy(c->listen_host, value, hl);
		c->listen_host[hl] = '\0';
		c->port = (unsigned)n;
		return 0;
	}
	case CONFIG_NETS: {
		struct proxy_nets nets;

		if (strlen(value) >= k->size) {
			snprintf(err, errlen,
				 "%s must be at most %zu characters", key,
				 k->size - 1);
			return -1;
		}
		if (proxy_nets_parse(value, &nets, err, errlen) != 0)
			return -1;
		snprintf(slot, k->size, "%s", value);
		return 0;
	}
	case CONFIG_BOOL:
		if (strcmp(value, "1") == 0 || strcmp(value, "yes") == 0 ||
		    strcmp(value, "true") == 0)
			n = 1;
		else if (strcmp(value, "0") == 0 || strcmp(value, "no") == 0 ||
			 strcmp(value, "false") == 0)
			n = 0;
		else {
			snprintf(err, errlen, "%s must be yes or no", key);
			return -1;
		}
		*(int *)(slot) = (int)n;
		return 0;
	case CONFIG_UINT:
	case CONFIG_SIZE:
		if (parse_uint(value, &n) != 0 || n < k->min || n > k->max) {
			snprintf(err, errlen,
				 "%s must be a number from %llu to %llu", key,
				 k->min, k->max);
			return -1;
		}
		if (k->kind == CONFIG_UINT)
			*(unsigned *)(slot) = (unsigned)n;
		else
			*(size_t *)(slot) = (size_t)n;
		return 0;
	}
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
config_read_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[2048], msg[512];
	int lineno = 0;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s, *eq;

		lineno++;
		s = trim(line);
		if (*s == '#' || *s == '\0')
			continue;
		eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value",
				 path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		if (config_set(c, trim(s), trim(eq + 1), msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

int
config_read_env(struct config *c, char *err, size_t errlen)
{
	const struct config_setting *s;

	for (size_t i = 0; (s = setting_at(i)) != NULL; i++) {
		char name[64], msg[512];
		const char *v;
		size_t k;

		snprintf(name, sizeof(name), "ALLIANCE_%s", s->key);
		for (k = 9; name[k]; k++)
			name[k] = (char)toupper((unsigned char)name[k]);
		v = getenv(name);
		if (v == NULL)
			continue;
		if (set_value(c, s, v, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s: %s", name, msg);
			return -1;
		}
	}
	return 0;
}

void
config_print(const struct config *c)
{
	const struct config_setting *k;

	for (size_t i = 0; (k = setting_at(i)) != NULL; i++) {
		const char *p =
			k->storage ? k->storage : (const char *)c + k->offset;

		printf("# %s\n%s = ", k->help, k->key);
		switch (k->kind) {
		case CONFIG_NETS:
			printf("%s\n", p);
			break;
		case CONFIG_STR:
			printf("%s\n",
			       strcmp(k->key, "smtp_password") == 0 && *p
				       ? "(set)"
				       : p);
			break;
		case CONFIG_LISTEN:
			printf("%s:%u\n", c->listen_host, c->port);
			break;
		case CONFIG_UINT:
			printf("%u\n", *(const unsigned *)p);
			break;
		case CONFIG_SIZE:
			printf("%zu\n", *(const size_t *)p);
			break;
		case CONFIG_BOOL:
			printf("%s\n", *(const int *)p ? "yes" : "no");
			break;
		}
	}
}
