/*
 * config.h -- the settings of the alliance command.
 *
 * Each setting has a key ("listen"), is read from a small alliance.conf
 * ("key = value" lines, '#' comments), then from the environment
 * (ALLIANCE_LISTEN), then from command-line flags (--listen), each
 * overriding the one before.  config_set() validates every value the same
 * way whatever its source.
 *
 * The core's settings are fields of struct config.  A module declares its
 * own in its struct module (settings, a list of struct config_setting):
 * same file, environment and check-config, its value kept in a variable
 * of the module's.
 */
#ifndef ALLIANCE_CONFIG_H
#define ALLIANCE_CONFIG_H

#include <stddef.h>

struct config {
	char data_dir[1024];
	char listen_host[64];
	unsigned port;
	unsigned workers;
	size_t max_body;
	size_t max_header;
	size_t max_fields;
	size_t max_field_len;
	int behind_tls;
	char trusted_proxy[512];  /* addresses and ranges whose
				     X-Forwarded-For is believed (proxy.h);
				     empty: none */
	unsigned header_timeout;  /* seconds a client has to send the request
				     line and headers, however it trickles */
	char site_name[200];
	char default_language[16]; /* pages' language when nothing chooses */
	char base_url[300];      /* how people reach the site: links in mail */
	unsigned session_idle;   /* seconds without a request before sign-out */
	unsigned session_max;    /* seconds after sign-in before sign-out */
	char mail_from[300];     /* From: of every message */
	char smtp_url[300];      /* smtp://host:587 or smtps://host:465; empty:
				    write .eml files to DATA/outbox */
	char smtp_user[200];
	char smtp_password[200];
	int smtp_starttls;               /* require STARTTLS on smtp:// */
	size_t min_free;         /* bytes the data folder's disk must keep free:
				    /healthz fails below it */
	char dev_source[1024];   /* development: the src folder templates and
				    static files are read from; empty: the
				    compiled-in copies */
};

enum config_kind {
	CONFIG_STR,    /* text of 1 to size - 1 bytes */
	CONFIG_LISTEN, /* host:port (the core's listen only) */
	CONFIG_UINT,   /* unsigned from min to max, 64k and 1M allowed */
	CONFIG_SIZE,   /* size_t from min to max, likewise */
	CONFIG_BOOL,   /* int: yes/no, true/false, 1/0 */
	CONFIG_NETS,   /* text: addresses and ranges (proxy.h) */
};

/* One setting: a row of the configuration table.  The core's keep their
 * value at offset in struct config; a module's in storage (a char[size],
 * unsigned, size_t or int).  A list of them ends with a NULL key. */
struct config_setting {
	const char *key; /* "reminder_days": ALLIANCE_REMINDER_DAYS */
	enum config_kind kind;
	size_t offset; /* the core's: offsetof(struct config, field) */
	size_t size;   /* CONFIG_STR, CONFIG_NETS: buffer size */
	unsigned long long min, max; /* CONFIG_UINT, CONFIG_SIZE */
	const char *help; /* the comment check-config prints above it */
	/* A module's: */
	void *storage;
	const char *def; /* the default, as the file would say it */
	/* Further validation, before the kind's: 0, or -1 with the message
	 * for the person in err. */
	int (*check)(const char *value, char *err, size_t errlen);
	const char *flag; /* "reminder-days": --reminder-days VALUE, or
			     NULL */
};

/* Adds a module's settings (NULL-key terminated) to the table and sets
 * each to its default.  0, or -1 with the reason in err (a key already
 * taken, a default its own check refuses, too many). */
int config_declare(const struct config_setting *list, char *err, size_t errlen);
/* The i-th declared (module) setting, or NULL past the last. */
const struct config_setting *config_declared(size_t i);

/* The settings in force, for modules that need them (mail, sessions).
 * Set once by the command before any thread starts. */
extern const struct config *config_current;

/* The core's defaults in c, and every declared setting's default. */
void config_defaults(struct config *c);
/* Sets key to value. 0, or -1 with a message for the person in err. */
int config_set(struct config *c, const char *key, const char *value,
	       char *err, size_t errlen);
/* Reads a config file. 0, or -1 with "FILE:LINE: message" in err. */
int config_read_file(struct config *c, const char *path, char *err,
		     size_t errlen);
/* Applies ALLIANCE_<KEY> variables. 0 or -1 with a message. */
int config_read_env(struct config *c, char *err, size_t errlen);
/* Writes the effective settings as a config file would hold them. */
void config_print(const struct config *c);

#endif
