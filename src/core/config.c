/*
 * config.c -- see config.h.  The table of keys is the documentation: each
 * key names its kind, so parsing and printing share one description.
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

enum kind { K_STR, K_LISTEN, K_UINT, K_SIZE, K_BOOL, K_NETS };

struct key {
	const char *name;
	enum kind kind;
	size_t offset;
	size_t size; /* K_STR: buffer size */
	unsigned long long min, max;
	const char *help;
};

#define OFF(f) offsetof(struct config, f)
static const struct key keys[] = {
	{"data", K_STR, OFF(data_dir), sizeof(((struct config *)0)->data_dir),
	 0, 0, "folder of the database, uploads and outbox"},
	{"listen", K_LISTEN, 0, 0, 0, 0, "address:port to serve on"},
	{"workers", K_UINT, OFF(workers), 0, 1, 256, "worker threads"},
	{"max_body", K_SIZE, OFF(max_body), 0, 1024, 1ull << 32,
	 "largest request body in bytes (forms; uploads set their own)"},
	{"max_header", K_SIZE, OFF(max_header), 0, 4096, 1 << 20,
	 "memory for the request line and headers, in bytes"},
	{"max_fields", K_SIZE, OFF(max_fields), 0, 1, 100000,
	 "fields in one request"},
	{"max_field_len", K_SIZE, OFF(max_field_len), 0, 64, 1 << 24,
	 "bytes in one field value"},
	{"behind_tls", K_BOOL, OFF(behind_tls), 0, 0, 1,
	 "1 when a TLS proxy is in front (HSTS, secure cookies)"},
	{"trusted_proxy", K_NETS, OFF(trusted_proxy),
	 sizeof(((struct config *)0)->trusted_proxy), 0, 0,
	 "addresses or ranges of proxies whose X-Forwarded-For is believed\n"
	 "# (\"127.0.0.1, 10.0.0.0/8\"); empty: the peer is the client"},
	{"header_timeout", K_UINT, OFF(header_timeout), 0, 1, 3600,
	 "seconds a client has to send the request line and headers"},
	{"site_name", K_STR, OFF(site_name),
	 sizeof(((struct config *)0)->site_name), 0, 0,
	 "the name in page titles"},
	{"base_url", K_STR, OFF(base_url),
	 sizeof(((struct config *)0)->base_url), 0, 0,
	 "the address people use, for links in e-mail (default: "
	 "http://LISTEN)"},
	{"session_idle", K_UINT, OFF(session_idle), 0, 1, 7 * 86400,
	 "seconds of inactivity that end a session"},
	{"session_max", K_UINT, OFF(session_max), 0, 1, 90 * 86400,
	 "seconds after sign-in that end a session"},
	{"mail_from", K_STR, OFF(mail_from),
	 sizeof(((struct config *)0)->mail_from), 0, 0,
	 "the From: address of outgoing mail"},
	{"smtp_url", K_STR, OFF(smtp_url), sizeof(((struct config *)0)->smtp_url),
	 0, 0,
	 "smtp://host:587 or smtps://host:465; unset: .eml files in "
	 "DATA/outbox"},
	{"smtp_user", K_STR, OFF(smtp_user),
	 sizeof(((struct config *)0)->smtp_user), 0, 0, "SMTP user name"},
	{"smtp_password", K_STR, OFF(smtp_password),
	 sizeof(((struct config *)0)->smtp_password), 0, 0, "SMTP password"},
	{"smtp_starttls", K_BOOL, OFF(smtp_starttls), 0, 0, 1,
	 "yes to require STARTTLS on smtp://"},
	{"reminder_days", K_STR, OFF(reminder_days),
	 sizeof(((struct config *)0)->reminder_days), 0, 0,
	 "days before a membership ends when its contacts are reminded"},
	{"contact_retention_days", K_UINT, OFF(contact_retention_days), 0, 1,
	 36500,
	 "days a document sent with the contact form is kept (the message "
	 "stays)"},
	{"min_free", K_SIZE, OFF(min_free), 0, 0, 1ull << 50,
	 "bytes the data folder's disk must keep free; below it /healthz "
	 "answers 503"},
	{"dev_source", K_STR, OFF(dev_source),
	 sizeof(((struct config *)0)->dev_source), 0, 0,
	 "development: the source tree's src folder; serve reads templates "
	 "and static files\n# from it on every change instead of the "
	 "compiled-in copies (empty: off)"},
};

const struct config *config_current;

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
	c->session_idle = 30 * 60;
	c->session_max = 12 * 3600;
	snprintf(c->reminder_days, sizeof(c->reminder_days), "30,7");
	c->contact_retention_days = 180;
	c->min_free = 64 * 1024 * 1024;
	snprintf(c->mail_from, sizeof(c->mail_from),
		 "Alliance secretariat <secretariat@localhost>");
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
	const struct key *k = NULL;
	unsigned long long n;

	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].name, key) == 0)
			k = &keys[i];
	if (k == NULL) {
		snprintf(err, errlen, "unknown setting '%s'", key);
		return -1;
	}
	switch (k->kind) {
	case K_STR:
		if (strlen(value) >= k->size || *value == '\0') {
			snprintf(err, errlen, "%s must be 1 to %zu characters",
				 key, k->size - 1);
			return -1;
		}
		snprintf((char *)c + k->offset, k->size, "%s", value);
		return 0;
	case K_LISTEN: {
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
	case K_NETS: {
		struct proxy_nets nets;

		if (strlen(value) >= k->size) {
			snprintf(err, errlen,
				 "%s must be at most %zu characters", key,
				 k->size - 1);
			return -1;
		}
		if (proxy_nets_parse(value, &nets, err, errlen) != 0)
			return -1;
		snprintf((char *)c + k->offset, k->size, "%s", value);
		return 0;
	}
	case K_BOOL:
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
		*(int *)((char *)c + k->offset) = (int)n;
		return 0;
	case K_UINT:
	case K_SIZE:
		if (parse_uint(value, &n) != 0 || n < k->min || n > k->max) {
			snprintf(err, errlen,
				 "%s must be a number from %llu to %llu", key,
				 k->min, k->max);
			return -1;
		}
		if (k->kind == K_UINT)
			*(unsigned *)((char *)c + k->offset) = (unsigned)n;
		else
			*(size_t *)((char *)c + k->offset) = (size_t)n;
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
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		char name[64], msg[512];
		const char *v;
		size_t k;

		snprintf(name, sizeof(name), "ALLIANCE_%s", keys[i].name);
		for (k = 9; name[k]; k++)
			name[k] = (char)toupper((unsigned char)name[k]);
		v = getenv(name);
		if (v == NULL)
			continue;
		if (config_set(c, keys[i].name, v, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s: %s", name, msg);
			return -1;
		}
	}
	return 0;
}

void
config_print(const struct config *c)
{
	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		const struct key *k = &keys[i];
		const char *p = (const char *)c + k->offset;

		printf("# %s\n%s = ", k->help, k->name);
		switch (k->kind) {
		case K_NETS: printf("%s\n", p); break;
		case K_STR:
			printf("%s\n", strcmp(k->name, "smtp_password") == 0 && *p
						? "(set)"
						: p);
			break;
		case K_LISTEN: printf("%s:%u\n", c->listen_host, c->port); break;
		case K_UINT: printf("%u\n", *(const unsigned *)p); break;
		case K_SIZE: printf("%zu\n", *(const size_t *)p); break;
		case K_BOOL: printf("%s\n", *(const int *)p ? "yes" : "no"); break;
		}
	}
}
