/*
 * uploads.h -- the store of uploaded files and its sweep.  A file a form
 * sent is kept once, under DATA/uploads/XX/HASH (XX the first two hex
 * digits of its SHA-256: http_upload_keep()), and rows name it by that
 * path ("uploads/ab/ab12..."), so two rows of any tables may name one
 * file.  A feature deleting a row therefore never removes the file
 * itself: each table that names stored files declares its column here,
 * and the hourly maintenance pass (maintenance.h) removes the files no
 * declared column names any more.
 */
#ifndef ALLIANCE_UPLOADS_H
#define ALLIANCE_UPLOADS_H

#include <stdint.h>

#include "db.h"

/* How long a file no row names is left alone after it was last written:
 * a request keeps its file before the transaction that names it commits
 * (http.c), and a temporary file lives as long as its request. */
#define UPLOADS_GRACE 86400

/* A column that holds paths of stored files: table.column, plain SQL
 * names.  A module lists its own in struct module's uploads (NULL-table
 * terminated), which app_init declares; a module that calls
 * http_upload_keep() lists every column it writes the path to
 * (scripts/check-uploads.sh fails on one that lists none). */
struct upload_column {
	const char *table, *column;
};

/* Declares one such column; at start-up, before the runners start. */
void uploads_add_column(const char *table, const char *column);

/* Removes under data_dir/uploads the stored files that no declared
 * column names and that were last written more than grace seconds
 * before now, and the temporary files (uploads/tmp) older than that.
 * Nothing is removed while no column is declared, or when the columns
 * cannot be read.  The number of files removed, or -1. */
int64_t uploads_sweep(struct db *db, const char *data_dir, int64_t now,
		      int64_t grace);

#endif
