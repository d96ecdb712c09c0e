/*
 * db_copy.h -- moving a deployment: a SQLite database copied into an empty
 * PostgreSQL one (`alliance copy-to-postgres URL`).
 */
#ifndef ALLIANCE_DB_COPY_H
#define ALLIANCE_DB_COPY_H

#include <stdio.h>

#include "db.h"

/*
 * Copies every table of src (a SQLite database this binary has migrated)
 * into dst (a PostgreSQL database without tables): migrates dst, then in
 * one transaction of dst (src held in one of its own, so the copy is one
 * snapshot and nobody writes meanwhile) removes what the migrations
 * seeded, copies each table's rows in the order of the foreign keys, moves
 * the identity sequences past the copied ids and compares the row counts
 * of every table, printing a line per table on out.  Returns 0; 1 when
 * dst is not empty or src is not up to date (nothing done); -1 on failure
 * (the copy rolled back; dst keeps the schema).  err says why.
 */
int db_copy_to_pg(struct db *src, struct db *dst, FILE *out, char *err,
		  size_t errlen);

#endif
