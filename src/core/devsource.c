/*
 * devsource.c -- see devsource.h.  Plain POSIX: scandir for the listings
 * (sorted with strcmp, whatever the locale), stat for the fingerprint, one
 * read loop for the contents.  Only development mode calls any of it.
 */
#include "devsource.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static int
not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void
free_dirents(struct dirent **d, int n)
{
	for (int i = 0; i < n; i++)
		free(d[i]);
	free(d);
}

long
devsource_list(const char *dir, const char *kind, const char *suffix,
	       struct devsource_file **out)
{
	struct dirent **mods;
	struct devsource_file *files = NULL;
	size_t n = 0, cap = 0;
	int nmods = scandir(dir, &mods, not_hidden, by_name);

	*out = NULL;
	if (nmods < 0)
		return -1;
	for (int m = 0; m < nmods; m++) {
		struct dirent **ents;
		char *sub;
		int nents;

		sub = xmalloc(strlen(dir) + strlen(mods[m]->d_name) +
			      strlen(kind) + 3);
		sprintf(sub, "%s/%s/%s", dir, mods[m]->d_name, kind);
		nents = scandir(sub, &ents, not_hidden, by_name);
		for (int e = 0; e < nents; e++) {
			const char *base = ents[e]->d_name;
			struct devsource_file f;
			size_t len;

			if (suffix && !ends_with(base, suffix))
				continue;
			len = strlen(mods[m]->d_name) + strlen(kind) +
			      strlen(base) + 3;
			f.name = xmalloc(len);
			sprintf(f.name, "%s/%s/%s", mods[m]->d_name, kind,
				base);
			f.path = xmalloc(strlen(dir) + len + 1);
			sprintf(f.path, "%s/%s", dir, f.name);
			if (stat(f.path, &f.st) != 0 ||
			    !S_ISREG(f.st.st_mode)) {
				free(f.name);
				free(f.path);
				continue;
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				files = xrealloc(files, cap * sizeof(*files));
			}
			files[n++] = f;
		}
		if (nents >= 0)
			free_dirents(ents, nents);
		free(sub);
	}
	free_dirents(mods, nmods);
	*out = files;
	return (long)n;
}

void
devsource_free(struct devsource_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].path);
	}
	free(files);
}

/* FNV-1a over len bytes, continuing from h. */
static uint64_t
fnv(uint64_t h, const void *p, size_t len)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < len; i++)
		h = (h ^ s[i]) * 1099511628211ull;
	return h;
}

uint64_t
devsource_stamp(const struct devsource_file *files, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++) {
		const struct stat *st = &files[i].st;
		int64_t v[5] = {(int64_t)st->st_size,
				(int64_t)st->st_mtim.tv_sec,
				(int64_t)st->st_mtim.tv_nsec,
				(int64_t)st->st_ino, (int64_t)st->st_dev};

		/* the NUL too, so "ab"+"c" and "a"+"bc" differ */
		h = fnv(h, files[i].name, strlen(files[i].name) + 1);
		h = fnv(h, v, sizeof(v));
	}
	return fnv(h, &n, sizeof(n));
}

int
devsource_read(const char *path, char **data, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return -1;
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0) {
			int saved = errno;

			if (saved == EINTR)
				continue;
			close(fd);
			buf_free(&b);
			errno = saved;
			return -1;
		}
		buf_put(&b, chunk, (size_t)got);
	}
	close(fd);
	*data = buf_detach(&b, len);
	return 0;
}
