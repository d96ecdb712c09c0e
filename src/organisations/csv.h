/*
 * csv.h -- the CSV files of import and export: reading, the columns of
 * each kind (organisations, people, memberships), checking one row, and
 * writing.
 *
 * Pure: no database, no clock, no I/O, so all of it is unit tested on
 * its own (test_csv.c).  import.c adds what needs the database (does the
 * organisation exist, is the address taken) and the transaction.
 *
 * Reading is RFC 4180 through libcsv in strict mode: quoted fields may
 * hold commas, doubled quotes and line breaks; CRLF, LF and CR end lines;
 * blank lines are skipped; a UTF-8 byte order mark is dropped.  Each
 * record remembers the physical line it starts on, so every message names
 * the line a person sees in an editor.  Text must be UTF-8: a field that
 * is not is reported with its line (a Latin-1 file from an old
 * spreadsheet), a UTF-16 file is refused as a whole.
 *
 * Writing is RFC 4180 for spreadsheets: a UTF-8 BOM (so Excel reads
 * UTF-8), CRLF after each record, a field quoted when it holds a comma, a
 * quote, CR or LF, and a field starting with = + - @ (or a tab or CR)
 * prefixed with a single quote so a spreadsheet never runs it as a
 * formula.  Reading undoes that prefix, so an export imports back as it
 * was.
 */
#ifndef ALLIANCE_ORGANISATIONS_CSV_H
#define ALLIANCE_ORGANISATIONS_CSV_H

#include <jansson.h>
#include <stddef.h>

#include "core/util.h"
#include "core/validate.h"

#define CSV_BOM "\xEF\xBB\xBF"
#define CSV_MAX_COLUMNS 16

/* One record of a file. */
struct csv_row {
	size_t line;    /* the physical line (1-based) where it starts */
	size_t n;       /* fields */
	char **field;   /* NUL-terminated copies (may hold NULs: see len) */
	size_t *len;
	int bad_utf8;   /* 1 + the index of the first field that is not
			   UTF-8, or 0 */
};

/* A whole file: its records, the header first.  Owned; csv_doc_free. */
struct csv_doc {
	struct csv_row *rows;
	size_t nrows, cap;
};

/*
 * Reads data[0..len) into doc.  0, or -1 with a sentence naming the line
 * in err (a quote that is never closed, text after a closing quote, a
 * UTF-16 file).  Fields that are not UTF-8 are not an error here: the row
 * carries bad_utf8 and csv_check reports it.  doc is filled as
 * far as it got either way; free it with csv_doc_free.
 */
int csv_read(const char *data, size_t len, struct csv_doc *doc,
		     char *err, size_t errlen);
void csv_doc_free(struct csv_doc *doc);

enum csv_kind {
	CSV_ORGANISATIONS,
	CSV_PEOPLE,
	CSV_MEMBERSHIPS,
	CSV__KINDS,
};

/* "organisations" -> CSV_ORGANISATIONS; -1 when unknown. */
int csv_kind(const char *name);
const char *csv_kind_name(enum csv_kind k);

/* The columns of a kind, in export order, as declared fields (name: the
 * column, label: how messages call it); NULL-name terminated. */
const struct field *csv_columns(enum csv_kind k);
size_t csv_ncolumns(enum csv_kind k);

/* The header mapped to the columns of a kind. */
struct csv_header {
	enum csv_kind kind;
	size_t n;                         /* columns of the header row */
	int col[CSV_MAX_COLUMNS]; /* file column of each declared
					     column, or -1 */
};

/*
 * Maps the header row: names compared without case, with spaces, '_' and
 * '-' alike ("Contact address", "contact-address").  Unknown columns are
 * appended to warnings as strings ("column 5 \"notes\" is not one we
 * know: ignored").  0, or -1 with one message for errors (required
 * columns missing, a column named twice, a header that is not UTF-8).
 */
int csv_map_header(enum csv_kind k,
			   const struct csv_row *hdr,
			   struct csv_header *h, json_t *warnings,
			   char *err, size_t errlen);

/* The checked values of one row, indexed like csv_columns(). */
struct csv_values {
	struct value v[CSV_MAX_COLUMNS];
};

/*
 * Checks one record against the declared columns and the rules of its
 * kind that need no database (a person's main contact needs an
 * organisation, a membership names an organisation or a person, the end
 * of a period is not before its start, focal areas are slugs ...).
 * Every problem is appended to errors as {line, message}; returns their
 * number (0: the row is good and vals holds it).  Clear vals with
 * csv_values_clear either way.
 */
int csv_check(const struct csv_header *h,
		      const struct csv_row *row,
		      struct csv_values *vals, json_t *errors);
void csv_values_clear(struct csv_values *vals);
/* The value of the column named name in vals (never NULL). */
const struct value *csv_get(const struct csv_header *h,
				    const struct csv_values *vals,
				    const char *name);

/* Appends {line, message} to errors. */
void csv_add_error(json_t *errors, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends s[0..n) as one field: quoted when needed, formula-neutralised. */
void csv_put_field(struct buf *b, const char *s, size_t n);
/* Appends a record of n fields (NULL: empty) and CRLF. */
void csv_put_row(struct buf *b, const char *const *fields, size_t n);

#endif
