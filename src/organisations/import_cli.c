/*
 * import_cli.c -- see import.h: `alliance import KIND FILE [--dry-run]`
 * (a progress bar on a terminal, every bad row on standard error) and
 * `alliance export KIND` (the CSV on standard output).  Both call
 * import.c.
 */
#include "import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/command.h"
#include "core/i18n.h"
#include "core/util.h"

/* The whole of a file (malloc'd), or NULL with a message printed. */
static char *
read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		fprintf(stderr, _("alliance import: cannot read %s: %s\n"),
			path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	if (ferror(f)) {
		fprintf(stderr, _("alliance import: cannot read %s: %s\n"),
			path, strerror(errno));
		if (f != stdin)
			fclose(f);
		buf_free(&b);
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	return buf_detach(&b, len);
}

int
import_command(struct db *db, enum csv_kind kind, const char *path,
	       int dry_run)
{
	struct import_job im = {0};
	struct command_bar bar;
	size_t len = 0, i;
	json_t *e;
	char *data;
	int rc;

	if ((data = read_file(path, &len)) == NULL)
		return 1;
	im.kind = kind;
	im.dry_run = dry_run;
	im.allow_admin = 1;
	im.actor = 0;
	im.client = "cli";
	im.source = path;
	if (command_bar_start(&bar, csv_kind_name(im.kind))) {
		im.progress = command_progress;
		im.progress_ctx = &bar;
	}
	rc = import_run(db, data, len, &im);
	free(data);
	command_bar_end(&bar);
	json_array_foreach (im.warnings, i, e)
		fprintf(stderr, _("alliance import: %s\n"),
			json_string_value(e));
	json_array_foreach (im.errors, i, e) {
		json_int_t line = json_integer_value(json_object_get(e, "line"));
		const char *msg = json_string_value(json_object_get(e, "message"));

		if (line > 0)
			fprintf(stderr, _("%s: line %lld: %s\n"), path,
				(long long)line, msg);
		else
			fprintf(stderr, "%s: %s\n", path, msg);
	}
	if (rc < 0)
		fprintf(stderr, "%s\n",
			_("alliance import: the database failed; nothing was "
			  "imported"));
	else if (rc > 0)
		fprintf(stderr,
			_n("alliance import: %zu bad row; nothing was "
			   "imported\n",
			   "alliance import: %zu bad rows; nothing was "
			   "imported\n",
			   json_array_size(im.errors)),
			json_array_size(im.errors));
	else if (im.dry_run)
		printf(_("alliance import: dry run: all %zu %s rows are good; "
			 "nothing was changed\n"),
		       im.rows, csv_kind_name(im.kind));
	else
		printf(_("alliance import: %zu %s imported\n"), im.imported,
		       csv_kind_name(im.kind));
	json_decref(im.errors);
	json_decref(im.warnings);
	return rc == 0 ? 0 : 1;
}

int
import_export_command(struct db *db, int argc, char **argv)
{
	int kind = argc > 0 ? csv_kind(argv[0]) : -1;
	struct buf b = BUF_INIT;
	int rc = 0;

	if (kind < 0) {
		fprintf(stderr, _("usage: %s\n"),
			"alliance export organisations|people|memberships "
			"[--data DIR] > FILE.csv");
		return 2;
	}
	if (import_export(db, (enum csv_kind)kind, &b) != 0) {
		fprintf(stderr, "%s\n",
			_("alliance export: the database failed"));
		rc = 1;
	} else if (fwrite(b.data, 1, b.len, stdout) != b.len ||
		   fflush(stdout) != 0) {
		fprintf(stderr, _("alliance export: cannot write: %s\n"),
			strerror(errno));
		rc = 1;
	}
	buf_free(&b);
	return rc;
}

static int
cmd_export(struct config *c, int argc, char **argv)
{
	struct db *db = command_open_current(c);
	int rc;

	if (db == NULL)
		return EXIT_FAIL;
	rc = import_export_command(db, argc, argv);
	db_close(db);
	return rc;
}

const struct module_command import_commands[] = {
	{.name = "export", .run = cmd_export,
	 .usage = "organisations|people|memberships [--data DIR] > FILE.csv",
	 .help = N_("Writes every organisation, person or membership as CSV "
		    "(UTF-8 with a BOM,\n"
		    "CRLF) in the columns import reads."),
	 .summary = N_("export KIND   organisations, people or memberships "
		       "as CSV")},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static int
import_organisations(struct db *db, const char *path, int dry_run)
{
	return import_command(db, CSV_ORGANISATIONS, path, dry_run);
}

static int
import_people(struct db *db, const char *path, int dry_run)
{
	return import_command(db, CSV_PEOPLE, path, dry_run);
}

static int
import_memberships(struct db *db, const char *path, int dry_run)
{
	return import_command(db, CSV_MEMBERSHIPS, path, dry_run);
}

const struct module_import import_kinds[] = {
	{"organisations", "FILE.csv",
	 "organisations from CSV (UTF-8, a header row naming the columns); "
	 "bad rows by line",
	 import_organisations},
	{"people", "FILE.csv", "people from CSV, the same way",
	 import_people},
	{"memberships", "FILE.csv", "memberships from CSV, the same way",
	 import_memberships},
	{NULL, NULL, NULL, NULL},
};
