/*
 * import.h -- organisations, people and memberships in and out as CSV:
 * /admin/import, /admin/export/KIND.csv (import_pages.c), `alliance
 * import` and `alliance export` (import_cli.c); the rows checked and
 * written, and the export, are import.c's.
 */
#ifndef ALLIANCE_ORGANISATIONS_IMPORT_H
#define ALLIANCE_ORGANISATIONS_IMPORT_H

#include <jansson.h>
#include <stdint.h>

#include "core/command.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "organisations/csv.h"

/* import.c's statements; import_module carries them. */
extern struct db_sql import_sql;
/* Registers import_sql's per-backend statements (the module's init). */
void import_sql_variants(void);

/* One import: what to do (in) and what happened (out). */
struct import_job {
	enum csv_kind kind;
	int dry_run;          /* check everything, change nothing */
	int allow_admin;      /* role admin is allowed (the command line) */
	int64_t actor;        /* who imports; 0 the system (CLI) */
	const char *client;   /* for the audit log */
	const char *source;   /* the file's name, for the audit log */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;

	json_t *errors;       /* [{line, message}] (line 0: the whole file) */
	json_t *warnings;     /* [message] */
	size_t rows;          /* records after the header */
	size_t imported;      /* rows written (0 on a dry run or failure) */
};

/*
 * Reads data[0..len) as a CSV file of im->kind and, when every row is
 * good and it is not a dry run, writes all of it in one transaction with
 * an audit record per row and one for the import.  im->errors and
 * im->warnings are made here (the caller decrefs them).
 * Returns 0 (every row good: imported, or would be), 1 (bad rows or a bad
 * file: nothing changed, errors lists each) or -1 (the database failed:
 * rolled back, logged).
 */
int import_run(struct db *db, const char *data, size_t len,
		       struct import_job *im);

/* The CSV export of kind (BOM, header, CRLF) appended to out.  0 or -1. */
int import_export(struct db *db, enum csv_kind kind, struct buf *out);

/* `alliance import KIND FILE [--dry-run]` of one CSV kind (the core's
 * import command calls it through import_kinds) and `alliance export
 * KIND` (args are what follows the command).  Exit codes 0, 1 (bad rows,
 * the database), 2 (the command line). */
int import_command(struct db *db, enum csv_kind kind, const char *path,
		   int dry_run);
int import_export_command(struct db *db, int argc, char **argv);

/* `alliance import` and `alliance export`, for import_module. */
extern const struct module_command import_commands[];
/* The kinds `alliance import` reads as CSV: organisations, people,
 * memberships. */
extern const struct module_import import_kinds[];

#endif
