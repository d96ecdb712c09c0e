/*
 * devsource.h -- templates and static assets read from the source tree.
 *
 * In development mode (the dev_source setting) `serve` reads
 * <module>/templates/NAME.html and <module>/static/NAME from a folder on
 * disk, the tree's src/, instead of the copies compiled into the binary, so
 * an edit shows on reload without a rebuild.  This file finds those files, reads
 * them, and fingerprints a listing so render.c can tell cheaply whether
 * anything changed.  Files are named as tools/embed.c names them, by their
 * path under the folder ("site/templates/home.html"), so the disk copy and
 * the embedded copy of a file share one name.  Nothing here is used when
 * the setting is empty.
 */
#ifndef ALLIANCE_DEVSOURCE_H
#define ALLIANCE_DEVSOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct devsource_file {
	char *name;     /* "site/templates/home.html" */
	char *path;     /* "DIR/site/templates/home.html" */
	struct stat st; /* as stat(2) saw it when listed */
};

/*
 * Lists the regular files DIR/<module>/<kind>/NAME, sorted by name (as the
 * build embeds them), leaving out names that begin with '.' and, when
 * suffix is not NULL, names that do not end in it.  Stores a malloc'd array
 * in *out (free it with devsource_free) and returns its length, or -1 with
 * errno when dir itself cannot be read.  Module folders without a <kind>
 * folder are skipped.
 */
long devsource_list(const char *dir, const char *kind, const char *suffix,
		    struct devsource_file **out);
void devsource_free(struct devsource_file *files, size_t n);

/* A fingerprint of a listing: it changes when a file is added, removed or
 * renamed, or when one's size, modification time or inode changes (an
 * editor that saves by renaming a new file into place). */
uint64_t devsource_stamp(const struct devsource_file *files, size_t n);

/* Reads the file at path whole into a malloc'd buffer with a NUL after the
 * last byte (*len excludes it).  0, or -1 with errno. */
int devsource_read(const char *path, char **data, size_t *len);

#endif
