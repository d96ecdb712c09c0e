/*
 * validate.h -- declared input fields and the pure validators behind them.
 *
 * Every route lists the fields it accepts as an array of struct field.  The
 * core runs validate_field() on each raw value before the handler runs;
 * fields the route does not declare are dropped.  Validators do no I/O, so
 * they are unit tested and fuzzed alone.  On failure they give a message a
 * person understands ("must be a date like 2026-03-31").
 */
#ifndef ALLIANCE_VALIDATE_H
#define ALLIANCE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

enum field_type {
	FT_TEXT,     /* one line: UTF-8, no control characters; trimmed */
	FT_TEXTAREA, /* several lines: UTF-8, \n and \t allowed, \r\n -> \n */
	FT_INT,      /* decimal integer within [min, max] */
	FT_BOOL,     /* checkbox: "1", "on", "true", "yes" -> 1; "", "0",
			"off", "false", "no" -> 0 */
	FT_EMAIL,    /* addr-spec, lower-cased domain, at most 254 bytes */
	FT_URL,      /* absolute http or https URL */
	FT_DATE,     /* YYYY-MM-DD, a real calendar date */
	FT_YEAR,     /* four digits within [min, max] (default 1900..2100) */
	FT_CHOICE,   /* one of the NULL-terminated choices */
	FT_SLUG,     /* [a-z0-9-], starts with a letter or digit */
	FT_COUNTRY,  /* ISO 3166-1 alpha-2, upper-cased ("AT", "US") */
	FT_MONEY,    /* an amount with at most two decimals, as people type
			it: "150", "150.5", "150.50", "1,250.00" (commas only
			between groups of three digits, a point before the
			cents); num is minor units (cents: 15050), str the
			canonical "150.50"; within [min, max] minor units,
			both 0 meaning 0 .. VALIDATE_MONEY_MAX.  Parsed
			digit by digit: no floating point */
	FT_FILE,     /* an uploaded file (handled by the HTTP layer) */
	FT_PASSWORD, /* a password: kept exactly as typed (never trimmed),
			UTF-8 without control characters, 12 to 128
			characters (code points), at most 1024 bytes */
};

/* The largest FT_MONEY amount of a field without bounds, in minor units
 * (999 999 999 999.99): far past any real amount, far from overflow. */
#define VALIDATE_MONEY_MAX INT64_C(99999999999999)

#define FIELD_REQUIRED 0x1u /* missing or empty is an error */
#define FIELD_MULTI    0x2u /* may repeat (e.g. checkboxes) */

struct field_kind;

struct field {
	const char *name;     /* as sent by the form */
	enum field_type type; /* a built-in type, unless kind is set */
	const struct field_kind *kind; /* a module's own type (NULL: type) */
	unsigned flags;
	size_t maxlen;        /* in bytes; 0 means the type's default (200 for
				 text, 20000 for textarea) */
	int64_t min, max;     /* FT_INT, FT_YEAR, FT_MONEY (minor units);
				 both 0 means no bounds (FT_YEAR:
				 1900..2100, FT_MONEY: 0 ..
				 VALIDATE_MONEY_MAX) */
	const char *const *choices; /* FT_CHOICE */
	const char *label;    /* for messages: "Organisation name" */
};

/* A validated value.  Strings are normalised copies owned by the caller of
 * validate_field (free with value_clear). */
struct value {
	int present;      /* 0 when the field was absent or empty */
	char *str;        /* normalised text (all string-ish types and dates) */
	int64_t num;      /* FT_INT, FT_YEAR, FT_BOOL; FT_MONEY in minor
			     units */
};

/*
 * Checks raw[0..n) (already percent-decoded) against f.  Returns 0 and
 * fills *out, or -1 with *msg pointing at a static sentence naming what is
 * expected (the caller prefixes the label).  An absent value (raw NULL) or
 * an empty one is an error only for FIELD_REQUIRED.
 */
int validate_field(const struct field *f, const char *raw, size_t n,
		   struct value *out, const char **msg);
void value_clear(struct value *v);

/*
 * A field type: the built-in ones are a table of these in validate.c, and
 * a module adds its own (a time zone, a recurrence rule) by defining one
 * and naming it in a field's `kind`:
 *
 *     static const char *check_tz(const struct field *f, const char *s,
 *                                 size_t n, size_t maxlen, struct value *out);
 *     const struct field_kind calendar_ft_timezone =
 *             {"timezone", 64, FIELD_TRIM, check_tz};
 *     {.name = "tz", .kind = &calendar_ft_timezone, .label = "Time zone"}
 *
 * validate_field trims the value as trim says, answers "is required" for
 * an empty required one (and leaves an empty optional one absent), and
 * otherwise calls check with the value (not empty) and the field's maxlen
 * (default_maxlen when the field gives 0).  check fills out (set present;
 * strings it allocates are freed by value_clear) and returns NULL, or
 * returns the sentence saying what is expected (static; the caller puts
 * the label in front).  A checker is pure: no I/O, no database.
 */
enum field_trim {
	FIELD_TRIM,       /* spaces around the value go */
	FIELD_TRIM_LINES, /* blank lines and spaces around the text go */
	FIELD_TRIM_NONE,  /* as sent (passwords, file references) */
};

struct field_kind {
	const char *name; /* in `alliance routes --json` */
	size_t default_maxlen;
	enum field_trim trim;
	const char *(*check)(const struct field *f, const char *s, size_t n,
			     size_t maxlen, struct value *out);
};

/* The kind of f: its own, or its built-in type's; NULL for neither. */
const struct field_kind *validate_kind(const struct field *f);
/* The name of f's type ("text", "email", "money", a module's own), for route
 * listings. */
const char *validate_type_name(const struct field *f);

/* The pure predicates used above, exported for reuse and tests. */
int valid_email(const char *s, size_t n);
int valid_http_url(const char *s, size_t n);
int valid_date(const char *s, size_t n, int *y, int *m, int *d);
int valid_slug(const char *s, size_t n);
int valid_country(const char *s, size_t n); /* known ISO 3166-1 alpha-2 */
/* The number of code points of valid UTF-8 s[0..n). */
size_t utf8_length(const char *s, size_t n);

#endif
