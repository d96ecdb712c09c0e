/*
 * form.h -- the parsers of what a client sends: query strings and
 * application/x-www-form-urlencoded bodies, the Content-Type header's
 * parameters, and multipart/form-data bodies as a stream.
 *
 * All are pure (no I/O) and bounded by struct form_limits, so they are unit
 * tested and fuzzed on their own.  The HTTP layer (http.c) feeds them.
 */
#ifndef ALLIANCE_FORM_H
#define ALLIANCE_FORM_H

#include <stddef.h>

struct form_limits {
	size_t max_fields;    /* fields in one request */
	size_t max_name;      /* bytes in a field name */
	size_t max_value;     /* bytes in one non-file field value */
};

enum form_err {
	FORM_OK = 0,
	FORM_TOO_MANY_FIELDS,
	FORM_NAME_TOO_LONG,
	FORM_VALUE_TOO_LONG,
	FORM_BAD_ENCODING,  /* bad %-escape, or not UTF-8 */
	FORM_BAD_MULTIPART, /* malformed multipart framing or part headers */
};

/* A short English sentence for an error, e.g. "The form has too many
 * fields.": a msgid (N_), which callers translate with _(). */
const char *form_strerror(enum form_err e);

/* Called once per name=value pair, both decoded and NUL-terminated; the
 * strings are only valid during the call.  Return non-zero to stop. */
typedef int (*form_field_cb)(void *arg, const char *name, size_t nlen,
			     const char *value, size_t vlen);

/*
 * Parses "a=1&b=x+y%21" (query string or urlencoded body).  Empty pairs are
 * skipped; a name without '=' has an empty value.  Names and values must be
 * valid UTF-8 after decoding.  Returns FORM_OK or the first error.
 */
enum form_err form_parse_urlencoded(const char *s, size_t n,
				    const struct form_limits *lim,
				    form_field_cb cb, void *arg);

/* Percent-decodes s[0..n) into out (at least n+1 bytes), '+' to space when
 * plus_is_space; returns the decoded length or -1 on a bad escape. */
long form_percent_decode(const char *s, size_t n, char *out,
			 int plus_is_space);

/*
 * Finds parameter param (case-insensitive) in a header value such as
 * 'multipart/form-data; boundary="abc"' and copies its unquoted value to
 * out (outlen bytes with NUL).  Returns its length, or -1 when absent or
 * too long.
 */
long form_header_param(const char *header, const char *param, char *out,
		       size_t outlen);

/* 1 when the media type of a Content-Type header value equals type
 * (case-insensitive, parameters ignored). */
int form_media_type_is(const char *header, const char *type);

/* Streaming multipart/form-data parser. */
struct multipart;

struct multipart_cb {
	/* A part starts: its field name, and filename/content_type when it is
	 * a file (NULL otherwise).  Return non-zero to abort. */
	int (*part_begin)(void *arg, const char *name, const char *filename,
			  const char *content_type);
	/* Bytes of the current part's body, in any number of calls. */
	int (*part_data)(void *arg, const char *data, size_t n);
	/* The current part ended. */
	int (*part_end)(void *arg);
};

/* boundary is the value from Content-Type (without leading dashes). NULL
 * when the boundary is empty or longer than 70 bytes (RFC 2046). */
struct multipart *multipart_new(const char *boundary,
				const struct form_limits *lim,
				const struct multipart_cb *cb, void *arg);
/* Feeds the next n bytes.  Returns FORM_OK, or an error after which the
 * parser accepts nothing more.  A callback's non-zero return yields
 * FORM_BAD_MULTIPART too. */
enum form_err multipart_feed(struct multipart *mp, const char *data, size_t n);
/* Checks the body ended with the closing delimiter; FORM_BAD_MULTIPART if
 * not. */
enum form_err multipart_finish(struct multipart *mp);
void multipart_free(struct multipart *mp);

#endif
