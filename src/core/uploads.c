/*
 * uploads.c -- see uploads.h.  The sweep reads every path the declared
 * columns name (one UNION, read once per pass, sorted), then walks
 * uploads/XX/: a file whose name is a SHA-256 in hex, that no row names
 * and that was last written before now - grace goes.
 *
 * A request that stores a file renames a new temporary file over the
 * store's path before its transaction names it, so a file a row is about
 * to name always has a fresh modification time -- except in the moment
 * between the sweep looking at a file and removing it.  The sweep closes
 * that gap by moving the file aside first (rename is atomic), looking at
 * what it moved, and putting back a file that turned out fresh; a newer
 * copy already back in its place has the same bytes (the name is their
 * hash), so the moved one then simply goes.
 */
#include "uploads.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define UPLOADS_MAX_COLUMNS 16

static struct {
	const char *table, *column;
} columns[UPLOADS_MAX_COLUMNS];
static size_t ncolumns;

void
uploads_add_column(const char *table, const char *column)
{
	if (ncolumns < UPLOADS_MAX_COLUMNS) {
		columns[ncolumns].table = table;
		columns[ncolumns].column = column;
		ncolumns++;
	} else {
		log_error("uploads: too many columns; %s.%s is left out, and"
			  " no file is swept",
			  table, column);
		ncolumns = UPLOADS_MAX_COLUMNS + 1;
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every path the declared columns name, sorted, into *out (*n of them);
 * 0 or -1. */
static int
named_paths(struct db *db, char ***out, size_t *n)
{
	struct buf sql = {0};
	struct db_stmt *st;
	char **v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	for (size_t i = 0; i < ncolumns; i++)
		buf_printf(&sql, "%sSELECT %s FROM %s WHERE %s IS NOT NULL",
			   i ? " UNION " : "", columns[i].column,
			   columns[i].table, columns[i].column);
	st = db_prepare_adhoc(db, buf_cstr(&sql));
	buf_free(&sql);
	if (st == NULL)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 256;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[len++] = xstrdup(db_col_text(st, 0));
	}
	db_stmt_free(st);
	if (rc != DB_DONE) {
		while (len > 0)
			free(v[--len]);
		free(v);
		return -1;
	}
	if (len > 0)
		qsort(v, len, sizeof(*v), cmp_str);
	*out = v;
	*n = len;
	return 0;
}

/* Whether s begins with n lower-case hex digits; is_hex: and ends there. */
static int
hex_prefix(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static int
is_hex(const char *s, size_t n)
{
	return strlen(s) == n && hex_prefix(s, n);
}

/* ".HASH.sweep": a file a pass moved aside and did not finish with (the
 * process stopped): put back when its place is empty, else removed (the
 * file in its place has the same bytes); the next pass judges it. */
static void
restore_aside(int dfd, const char *path, const char *aside)
{
	char name[65];

	memcpy(name, aside + 1, 64);
	name[64] = '\0';
	if (linkat(dfd, aside, dfd, name, 0) != 0 && errno != EEXIST) {
		log_error("uploads: putting %s/%s back: %s", path, name,
			  strerror(errno));
		return;
	}
	if (unlinkat(dfd, aside, 0) != 0)
		log_error("uploads: removing %s/%s: %s", path, aside,
			  strerror(errno));
}

/* Removes name in the folder dfd (path for the log) when it was last
 * written before cut: moved aside first, and put back when what was
 * moved is fresh (see the top of the file).  1 removed, 0 kept. */
static int
remove_stale(int dfd, const char *path, const char *name, int64_t cut)
{
	char aside[128];
	struct stat sb;

	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(sb.st_mode) || (int64_t)sb.st_mtime >= cut)
		return 0;
	snprintf(aside, sizeof(aside), ".%s.sweep", name);
	if (renameat(dfd, name, dfd, aside) != 0) {
		if (errno != ENOENT)
			log_error("uploads: moving %s/%s aside: %s", path,
				  name, strerror(errno));
		return 0;
	}
	if (fstatat(dfd, aside, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (int64_t)sb.st_mtime >= cut &&
	    linkat(dfd, aside, dfd, name, 0) != 0 && errno != EEXIST) {
		/* could not put a fresh file back: leave it aside, named */
		log_error("uploads: putting %s/%s back: %s (it is %s/%s)",
			  path, name, strerror(errno), path, aside);
		return 0;
	}
	if (unlinkat(dfd, aside, 0) != 0) {
		log_error("uploads: removing %s/%s: %s", path, aside,
			  strerror(errno));
		return 0;
	}
	return (int64_t)sb.st_mtime < cut;
}

/* Sweeps the folder uploads/sub (sub "tmp": every file; else the files
 * named by their hash that no row names). */
static int64_t
sweep_folder(const char *data_dir, const char *sub, char **named, size_t n,
	     int64_t cut)
{
	char path[4096], rel[128];
	int tmp = strcmp(sub, "tmp") == 0;
	int64_t removed = 0;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/uploads/%s", data_dir, sub);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name, *key = rel;

		if (tmp) {
			if (name[0] != '.')
				removed += remove_stale(dirfd(d), path, name,
							cut);
			continue;
		}
		if (name[0] == '.' && strlen(name) == 71 &&
		    hex_prefix(name + 1, 64) &&
		    strcmp(name + 65, ".sweep") == 0) {
			restore_aside(dirfd(d), path, name);
			continue;
		}
		if (!is_hex(name, 64))
			continue;
		snprintf(rel, sizeof(rel), "uploads/%s/%s", sub, name);
		if (n > 0 &&
		    bsearch(&key, named, n, sizeof(*named), cmp_str) != NULL)
			continue;
		removed += remove_stale(dirfd(d), path, name, cut);
	}
	closedir(d);
	return removed;
}

int64_t
uploads_sweep(struct db *db, const char *data_dir, int64_t now,
	      int64_t grace)
{
	char path[4096], **named = NULL;
	size_t n = 0;
	int64_t removed = 0;
	struct dirent *e;
	DIR *d;

	if (ncolumns == 0 || ncolumns > UPLOADS_MAX_COLUMNS)
		return 0;
	snprintf(path, sizeof(path), "%s/uploads", data_dir);
	if ((d = opendir(path)) == NULL)
		return errno == ENOENT ? 0 : -1;
	if (named_paths(db, &named, &n) != 0) {
		closedir(d);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (is_hex(e->d_name, 2) || strcmp(e->d_name, "tmp") == 0)
			removed += sweep_folder(data_dir, e->d_name, named, n,
						now - grace);
	closedir(d);
	while (n > 0)
		free(named[--n]);
	free(named);
	if (removed > 0)
		log_info("uploads: removed %lld files no row names",
			 (long long)removed);
	return removed;
}
