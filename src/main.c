/*
 * main.c -- the alliance command: serve, init, migrate, backup,
 * check-config, routes, worker, mail-test, and the commands the
 * modules declare (struct module_command in core/command.h).
 *
 * Exit codes: 0 done; 1 the work failed (database, network); 2 the command
 * line or the configuration is wrong.  Messages go to standard error and
 * say what to do next.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/command.h"
#include "core/config.h"
#include "core/db.h"
#include "core/db_copy.h"
#include "core/http.h"
#include "core/i18n.h"
#include "core/jobs.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/render.h"
#include "core/response.h"
#include "core/static.h"
#include "core/validate.h"

/* The options only some commands read. */
static struct {
	int json;
} opt;

/* mkdir -p for the data folder. 0 or -1 with errno. */
static int
make_dirs(const char *path)
{
	char tmp[1024];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

static int
cmd_init(struct config *c, int argc, char **argv)
{
	char path[1100], shown[1100], err[1024];
	struct db *db;
	int n;

	if (make_dirs(c->data_dir) != 0) {
		fprintf(stderr, "alliance: cannot create %s: %s\n", c->data_dir,
			strerror(errno));
		return EXIT_FAIL;
	}
	command_db_file(c, path, sizeof(path));
	db = db_open(path, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "alliance: %s\n", err);
		return EXIT_FAIL;
	}
	n = db_migrate(db, err, sizeof(err));
	if (n < 0) {
		db_close(db);
		fprintf(stderr, "alliance: %s\n", err);
		return EXIT_FAIL;
	}
	db_target_shown(path, shown, sizeof(shown));
	printf("alliance: database %s ready (%d migration%s applied)\n", shown,
	       n, n == 1 ? "" : "s");
	/* what a new deployment needs from each module (the first
	 * administrator) */
	for (size_t i = 0; i < app_nmodules; i++)
		if (app_modules[i]->created &&
		    app_modules[i]->created(c, db) != 0) {
			db_close(db);
			return EXIT_FAIL;
		}
	db_close(db);
	return 0;
}

static int
cmd_migrate(struct config *c, int argc, char **argv)
{
	struct db *db = command_open_existing(c);
	char err[512];
	int n;

	if (db == NULL)
		return EXIT_FAIL;
	n = db_migrate(db, err, sizeof(err));
	db_close(db);
	if (n < 0) {
		fprintf(stderr, "alliance: %s\n", err);
		return EXIT_FAIL;
	}
	printf("alliance: %d migration%s applied\n", n, n == 1 ? "" : "s");
	return 0;
}

/* Set by SIGINT, SIGTERM or SIGHUP during a backup: stop, remove the
 * temporary file. */
static volatile sig_atomic_t backup_stop;

static void
backup_on_signal(int sig)
{
	backup_stop = sig;
}

/* Pages done of total on a terminal, one line redrawn at most once per
 * whole percent; nothing when standard error is not a terminal. */
struct backup_shown {
	int tty;
	int pct; /* the last figure drawn, -1 before the first */
};

static int
backup_progress(void *arg, int done, int total)
{
	struct backup_shown *bs = arg;
	int pct = total > 0 ? (int)(100LL * done / total) : 100;

	if (bs->tty && pct != bs->pct) {
		fprintf(stderr, "\ralliance backup: %d of %d pages (%d%%)",
			done, total, pct);
		bs->pct = pct;
	}
	return backup_stop != 0;
}

static int
cmd_backup(struct config *c, int argc, char **argv)
{
	struct sigaction sa;
	struct db *db;
	char err[512];
	struct backup_shown shown = {isatty(STDERR_FILENO), -1};
	int rc;

	if (argc < 1) {
		fprintf(stderr, "alliance backup: name the backup file: "
				"alliance backup FILE\n");
		return EXIT_USAGE;
	}
	if (access(argv[0], F_OK) == 0) {
		fprintf(stderr,
			"alliance backup: %s exists; choose a new "
			"name\n",
			argv[0]);
		return EXIT_USAGE;
	}
	db = command_open_existing(c);
	if (db == NULL)
		return EXIT_FAIL;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = backup_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	rc = db_backup(db, argv[0], backup_progress, &shown, err, sizeof(err));
	db_close(db);
	if (shown.pct >= 0)
		fputc('\n', stderr);
	if (rc != 0) {
		fprintf(stderr, "alliance backup: %s\n", err);
		return EXIT_FAIL;
	}
	printf("alliance: backup written to %s\n", argv[0]);
	return 0;
}

/* One statement that does not prepare, for cmd_check_statements. */
static void
statement_failed(void *arg, const char *module, size_t idx, const char *sql)
{
	printf("%s statement %zu: %s\n", module, idx, sql);
}

/* alliance copy-to-postgres URL: the data folder's SQLite database into
 * an empty PostgreSQL database (db_copy.c). */
static int
cmd_copy_to_postgres(struct config *c, int argc, char **argv)
{
	char path[1100], shown[1100], err[1024];
	struct db *src, *dst;
	int rc;

	if (argc != 1 || !db_target_is_pg(argv[0])) {
		fprintf(stderr, "alliance copy-to-postgres: name the target "
				"database: alliance copy-to-postgres "
				"postgresql://USER@HOST/NAME\n");
		return EXIT_USAGE;
	}
	/* the source is the data folder's file, whatever database says */
	snprintf(path, sizeof(path), "%s/alliance.db", c->data_dir);
	if (access(path, F_OK) != 0) {
		fprintf(stderr,
			"alliance copy-to-postgres: no SQLite database at %s "
			"(--data DIR names the data folder)\n",
			path);
		return EXIT_USAGE;
	}
	src = db_open(path, err, sizeof(err));
	if (src == NULL) {
		fprintf(stderr, "alliance copy-to-postgres: %s\n", err);
		return EXIT_FAIL;
	}
	if (command_schema_refused(src)) {
		db_close(src);
		return EXIT_FAIL;
	}
	dst = db_open(argv[0], err, sizeof(err));
	if (dst == NULL) {
		fprintf(stderr, "alliance copy-to-postgres: %s\n", err);
		db_close(src);
		return EXIT_FAIL;
	}
	db_target_shown(argv[0], shown, sizeof(shown));
	printf("copying %s into %s\n", path, shown);
	fflush(stdout);
	rc = db_copy_to_pg(src, dst, stdout, err, sizeof(err));
	db_close(dst);
	db_close(src);
	if (rc != 0) {
		fprintf(stderr, "alliance copy-to-postgres: %s\n", err);
		if (rc < 0)
			fprintf(stderr,
				"alliance copy-to-postgres: nothing was "
				"copied; the target keeps the schema: drop it "
				"and create it again (dropdb, createdb) before "
				"the next try\n");
		return rc > 0 ? EXIT_USAGE : EXIT_FAIL;
	}
	printf("done: set database = %s and restart alliance\n", shown);
	return 0;
}

static int
cmd_check_statements(struct config *c, int argc, char **argv)
{
	struct db *db = command_open_existing(c);
	size_t total;
	int bad;

	if (db == NULL)
		return EXIT_FAIL;
	bad = db_check_statements(db, statement_failed, NULL, &total);
	printf("alliance: %zu of %zu statements prepare on %s\n",
	       total - (size_t)bad, total, db_backend_name(db));
	db_close(db);
	return bad ? EXIT_FAIL : 0;
}

static int
cmd_check_config(struct config *c, int argc, char **argv)
{
	config_print(c);
	return 0;
}

/* The object check of a route that names an action, for the listing:
 * {name, object_type, object_param, rule, global, object_role}; rule is
 * false when no rule is registered (then only administrators may). */
static json_t *
route_action(const struct route *rt)
{
	const struct auth_rule *rule = auth_rule_of(rt->action);

	return json_pack("{s:s,s:s?,s:s?,s:b,s:s,s:s?}", "name", rt->action,
			 "object_type", rt->object_type, "object_param",
			 rt->object_param, "rule", rule != NULL, "global",
			 rule && rule->global != ROLE_NONE
				 ? auth_role_name(rule->global)
				 : "none",
			 "object_role", rule ? rule->object_role : NULL);
}

/* The fields a route declares, for the listing: [{name, type, required,
 * multi, maxlen?, min?, max?, choices?}] (what a generic test needs to
 * send each one absent, empty or wrong). */
static json_t *
route_fields(const struct route *rt)
{
	json_t *list = json_array();

	for (const struct field *f = rt->fields; f && f->name; f++) {
		json_t *o =
			json_pack("{s:s,s:s,s:b,s:b}", "name", f->name, "type",
				  validate_type_name(f), "required",
				  (f->flags & FIELD_REQUIRED) != 0, "multi",
				  (f->flags & FIELD_MULTI) != 0);

		if (f->maxlen)
			json_object_set_new(
				o, "maxlen",
				json_integer((json_int_t)f->maxlen));
		if (f->min || f->max) {
			json_object_set_new(o, "min", json_integer(f->min));
			json_object_set_new(o, "max", json_integer(f->max));
		}
		if (f->choices) {
			json_t *c = json_array();

			for (size_t i = 0; f->choices[i]; i++)
				json_array_append_new(
					c, json_string(f->choices[i]));
			json_object_set_new(o, "choices", c);
		}
		json_array_append_new(list, o);
	}
	return list;
}

static int
cmd_routes(struct config *c, int argc, char **argv)
{
	static const char *const who[] = {"public", "member", "editor",
					  "admin"};

	if (opt.json) {
		json_t *list = json_array();
		char *s;

		for (size_t i = 0; i < app_nmodules; i++) {
			const struct module *m = app_modules[i];

			for (size_t k = 0; k < m->nroutes; k++) {
				const struct route *rt = &m->routes[k];
				json_t *o = json_pack(
					"{s:s,s:s,s:s,s:s,s:s}", "method",
					http_method_name(rt->method),
					"pattern", rt->pattern, "who",
					who[rt->who], "module", m->name,
					"summary", rt->summary);

				if (rt->action)
					json_object_set_new(o, "action",
							    route_action(rt));
				json_object_set_new(o, "fields",
						    route_fields(rt));
				json_array_append_new(list, o);
			}
		}
		s = json_dumps(list, JSON_INDENT(1));
		puts(s);
		free(s);
		json_decref(list);
		return 0;
	}

	for (size_t i = 0; i < app_nmodules; i++) {
		const struct module *m = app_modules[i];

		for (size_t k = 0; k < m->nroutes; k++)
			printf("%-6s %-32s %-7s %-8s %s%s%s%s\n",
			       http_method_name(m->routes[k].method),
			       m->routes[k].pattern, who[m->routes[k].who],
			       m->name, m->routes[k].summary,
			       m->routes[k].action ? " [" : "",
			       m->routes[k].action ? m->routes[k].action : "",
			       m->routes[k].action ? "]" : "");
	}
	return 0;
}

/* Queues the first run of every recurring job, then calls every module's
 * start in module order.  0, or -1 at the first that fails. */
static int
start_modules(struct db *db)
{
	if (jobs_ensure_recurring(db, clock_now()) != 0)
		return -1;
	for (size_t i = 0; i < app_nmodules; i++)
		if (app_modules[i]->start &&
		    app_modules[i]->start(db, clock_now()) != 0)
			return -1;
	return 0;
}

/* Compiles the templates and indexes the static files serve uses: the
 * embedded ones, or in development mode (dev_source) those of the source
 * folder.  Migrations stay compiled in either way: the database must match
 * the binary that opens it.  0, or the exit code after saying why. */
static int
load_templates(const struct config *c)
{
	char err[512], *dir;

	if (c->dev_source[0] == '\0') {
		if (render_init(err, sizeof(err)) != 0) {
			fprintf(stderr, "alliance: template error: %s\n", err);
			return EXIT_FAIL;
		}
		static_init();
		return 0;
	}
	dir = realpath(c->dev_source, NULL);
	if (render_init_source(dir ? dir : c->dev_source, err, sizeof(err)) !=
	    0) {
		free(dir);
		fprintf(stderr, "alliance: %s\n", err);
		return EXIT_USAGE;
	}
	free(dir);
	static_init_source(render_source_dir());
	return 0;
}

static int
cmd_serve(struct config *c, int argc, char **argv)
{
	struct http_config hc;
	char path[1100];
	struct db *db;
	int pending, rc;

	if ((rc = load_templates(c)) != 0)
		return rc;
	if ((db = command_open_existing(c)) == NULL)
		return EXIT_FAIL;
	if (command_schema_refused(db)) {
		db_close(db);
		return EXIT_FAIL;
	}
	pending = db_pending_migrations(db);
	if (pending == 0 && (auth_init(db) != 0 || start_modules(db) != 0)) {
		db_close(db);
		fprintf(stderr, "alliance: cannot prepare the database (CSRF "
				"key, maintenance job)\n");
		return EXIT_FAIL;
	}
	db_close(db);
	if (pending != 0) {
		fprintf(stderr,
			"alliance: the database needs %d migration%s: run "
			"alliance migrate --data %s\n",
			pending, pending == 1 ? "" : "s", c->data_dir);
		return EXIT_FAIL;
	}
	response_set_tls(c->behind_tls);
	command_db_file(c, path, sizeof(path));
	db_set_path(path);

	memset(&hc, 0, sizeof(hc));
	hc.listen_host = c->listen_host;
	hc.port = c->port;
	hc.workers = c->workers;
	hc.max_body = c->max_body;
	hc.max_header = c->max_header;
	hc.max_fields = c->max_fields;
	hc.max_field_len = c->max_field_len;
	hc.data_dir = c->data_dir;
	hc.site_name = c->site_name;
	hc.behind_tls = c->behind_tls;
	hc.trusted_proxy = c->trusted_proxy;
	hc.header_timeout = c->header_timeout;
	hc.no_page_cache = c->dev_source[0] != '\0';
	if (hc.no_page_cache)
		fprintf(stderr,
			"alliance: development mode: templates and static "
			"files are read from %s (no page cache)\n",
			render_source_dir());
	if (!mail_secretariat_reachable())
		fprintf(stderr,
			"alliance: mail_from (%s) has no address that can "
			"receive mail: notices to the secretariat are not "
			"sent until it is set\n",
			c->mail_from);
	if (jobs_start(path) != 0)
		return EXIT_FAIL;
	if (http_serve(&hc, app_modules, app_nmodules) != 0) {
		jobs_stop();
		return EXIT_FAIL;
	}
	jobs_stop();
	return 0;
}

static int
cmd_worker(struct config *c, int argc, char **argv)
{
	struct db *db = command_open_current(c);
	char path[1100];

	if (db == NULL)
		return EXIT_FAIL;
	if (start_modules(db) != 0) {
		db_close(db);
		fprintf(stderr, "alliance: cannot schedule the recurring "
				"jobs\n");
		return EXIT_FAIL;
	}
	db_close(db);
	command_db_file(c, path, sizeof(path));
	return jobs_worker_main(path) ? EXIT_FAIL : 0;
}

static int
cmd_mail_test(struct config *c, int argc, char **argv)
{
	const char *to = argc > 0 ? argv[0] : NULL;
	struct db *db;
	int64_t id = -1;

	if (to == NULL) {
		fprintf(stderr, "alliance mail-test: name the address to "
				"write to: alliance mail-test ADDRESS\n");
		return EXIT_USAGE;
	}
	if (!valid_email(to, strlen(to))) {
		fprintf(stderr,
			"alliance mail-test: '%s' is not an e-mail address "
			"like name@example.org\n",
			to);
		return EXIT_USAGE;
	}
	db = command_open_current(c);
	if (db == NULL)
		return EXIT_FAIL;
	if (db_begin(db) != 0 ||
	    (id = mail_enqueue_test(db, to, c->site_name)) < 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		db_close(db);
		fprintf(stderr, "alliance mail-test: the message could not be "
				"queued (see the error above)\n");
		return EXIT_FAIL;
	}
	db_close(db);
	printf("alliance: test message to %s queued as outbox id %lld\n", to,
	       (long long)id);
	if (c->smtp_url[0])
		printf("  alliance serve or alliance worker sends it over "
		       "SMTP\n");
	else
		printf("  no smtp_url is set: alliance serve or alliance "
		       "worker writes it to %s/outbox/\n",
		       c->data_dir);
	return 0;
}

/* Set by import's --dry-run. */
static int import_dry_run;

static const struct option import_options[] = {
	{"dry-run", no_argument, &import_dry_run, 1},
	{NULL, 0, NULL, 0},
};

/* The kind of file a module imports called kind, or NULL. */
static const struct module_import *
find_import(const char *kind)
{
	for (size_t i = 0; i < app_nmodules; i++)
		for (const struct module_import *k = app_modules[i]->imports;
		     k && k->kind; k++)
			if (strcmp(k->kind, kind) == 0)
				return k;
	return NULL;
}

/* The kinds every module imports, one line each. */
static void
list_import_kinds(FILE *f)
{
	for (size_t i = 0; i < app_nmodules; i++)
		for (const struct module_import *k = app_modules[i]->imports;
		     k && k->kind; k++)
			fprintf(f, "  %s %s\n      %s\n", k->kind, k->file,
				k->summary);
}

/* import's line in the usage: its kinds, "a, b or c". */
static void
import_summary(FILE *f)
{
	size_t n = 0, done = 0;

	for (size_t i = 0; i < app_nmodules; i++)
		for (const struct module_import *k = app_modules[i]->imports;
		     k && k->kind; k++)
			n++;
	fprintf(f, "  import KIND FILE   ");
	for (size_t i = 0; i < app_nmodules; i++)
		for (const struct module_import *k = app_modules[i]->imports;
		     k && k->kind; k++, done++)
			fprintf(f, "%s%s", done == 0 ? "" : done + 1 == n ? " or " : ", ",
				k->kind);
	fprintf(f, " from a file\n");
}

/* alliance import KIND FILE: the module that declares KIND reads it. */
static int
cmd_import(struct config *c, int argc, char **argv)
{
	const struct module_import *k = argc > 0 ? find_import(argv[0]) : NULL;
	struct db *db;
	int rc;

	if (k == NULL || argc < 2) {
		fprintf(stderr, "usage: alliance import KIND FILE [--dry-run] "
				"[--data DIR]\nkinds:\n");
		list_import_kinds(stderr);
		return EXIT_USAGE;
	}
	if ((db = command_open_current(c)) == NULL)
		return EXIT_FAIL;
	rc = k->run(db, argv[1], import_dry_run);
	db_close(db);
	return rc;
}

static const struct module_command commands[] = {
	{.name = "serve", .run = cmd_serve,
	 .usage = "[--listen H:P] [--data DIR] [--workers N] [--dev-source "
		  "DIR]\n"
		  "       [--trusted-proxy LIST]",
	 .help = "Serves the platform over HTTP until SIGTERM or SIGINT; "
		 "requests in flight finish first.\n"
		 "The database must exist (alliance init) and be up to date "
		 "(alliance migrate).\n"
		 "--dev-source DIR (development) reads templates and static "
		 "files from DIR, the\n"
		 "tree's src folder, so an edit shows on reload; migrations "
		 "stay compiled in.",
	 .summary = "serve         serve the platform over HTTP"},
	{.name = "init", .run = cmd_init,
	 .usage = "[--data DIR] [--admin-email EMAIL]",
	 .help = "Creates the data folder and its database with the "
		 "Alliance's structure\n"
		 "(focal points, bodies, offices, pages).  Safe to run again: "
		 "it only applies\n"
		 "what is missing.  The first time, it creates the first "
		 "administrator\n"
		 "(the admin_email setting, admin@example.org unless "
		 "--admin-email says\n"
		 "otherwise) and prints a one-time sign-in link.",
	 .summary = "init          create the data folder and database"},
	{.name = "migrate", .run = cmd_migrate, .usage = "[--data DIR]",
	 .help = "Applies the database migrations this version carries and "
		 "the database lacks.",
	 .summary = "migrate       apply database migrations"},
	{.name = "backup", .run = cmd_backup, .usage = "FILE [--data DIR]",
	 .help = "Copies one snapshot of the database to FILE (which must not "
		 "exist); safe while\n"
		 "serving, however busy: writers go on. Written to "
		 "FILE.tmp-XXXXXX and renamed\n"
		 "when whole and synced; Ctrl-C leaves no file. Shows pages "
		 "done on a terminal.",
	 .summary = "backup FILE   copy the database to FILE (safe while "
		    "serving)"},
	{.name = "check-config", .run = cmd_check_config,
	 .usage = "[--config FILE] [options]",
	 .help = "Prints the effective settings (file, environment and flags "
		 "applied), or the\n"
		 "first error in them.",
	 .summary = "check-config  print the effective configuration"},
	{.name = "check-statements", .run = cmd_check_statements,
	 .usage = "[--data DIR] [--database URL]",
	 .help = "Prepares every SQL statement this binary carries on the "
		 "database and lists those\n"
		 "that do not prepare, with the database's reason (on standard "
		 "error): after a\n"
		 "migration, or to see what is left to port to PostgreSQL.  "
		 "Changes nothing.",
	 .summary = "check-statements  prepare every SQL statement on the "
		    "database"},
	{.name = "copy-to-postgres", .run = cmd_copy_to_postgres,
	 .usage = "URL [--data DIR]",
	 .help = "Copies the data folder's SQLite database (DATA/alliance.db) "
		 "into the empty\n"
		 "PostgreSQL database URL in one run: migrates it, copies every "
		 "table's rows in\n"
		 "the order of their foreign keys in one transaction, moves the "
		 "identity\n"
		 "sequences past the copied ids, and prints each table's row "
		 "count on both\n"
		 "(exit 1 when one differs: nothing is kept).  A target with "
		 "any table is\n"
		 "refused.  Stop writes first (stop alliance, or a maintenance "
		 "window): the\n"
		 "copy holds SQLite's write lock while it runs.  Then set "
		 "database = URL and\n"
		 "restart.  Uploaded files stay in the data folder (README, "
		 "several nodes).",
	 .summary = "copy-to-postgres URL  copy the SQLite database into an "
		    "empty PostgreSQL one"},
	{.name = "routes", .run = cmd_routes, .usage = "[--json]",
	 .help = "Lists every route: method, path, who may call it, module.",
	 .summary = "routes        list every route and who may call it"},
	{.name = "worker", .run = cmd_worker, .usage = "[--data DIR]",
	 .help = "Runs background jobs (mail delivery, ...) until SIGTERM or "
		 "SIGINT, without\n"
		 "serving HTTP; the job in hand finishes first.  alliance "
		 "serve runs jobs too;\n"
		 "workers let other machines share the work.  Each job is "
		 "logged on stderr.",
	 .summary = "worker        run background jobs (mail) without "
		    "serving HTTP"},
	{.name = "mail-test", .run = cmd_mail_test,
	 .usage = "ADDRESS [--data DIR]",
	 .help = "Puts a short test message (text and HTML) to ADDRESS in the "
		 "outbox and prints\n"
		 "its outbox id.  alliance serve or alliance worker delivers "
		 "it: over SMTP when\n"
		 "smtp_url is set (ALLIANCE_SMTP_URL), otherwise as an .eml "
		 "file in DATA/outbox/.\n"
		 "Use it to check the mail settings.",
	 .summary = "mail-test ADDRESS  queue a test message to ADDRESS"},
	/* the kinds are the modules' (struct module_import): the usage
	 * line and --help list them */
	{.name = "import", .run = cmd_import,
	 .usage = "KIND FILE [--dry-run] [--data DIR]",
	 .help = "Imports a file in one transaction: everything or nothing.  "
		 "What is wrong is\n"
		 "listed on standard error, a progress bar shown there on a "
		 "terminal; --dry-run\n"
		 "checks and changes nothing.  Exit 0 done, 1 a bad file or "
		 "bad rows (nothing\n"
		 "imported), 2 the command line.\n"
		 "\n"
		 "kinds:",
	 .summary = NULL, /* import_summary */
	 .options = import_options},
	{NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* The core's commands, then every module's, one line each. */
static void
usage(FILE *f)
{
	fprintf(f, "usage: alliance COMMAND [options]\n"
		   "\n"
		   "commands:\n");
	for (const struct module_command *k = commands; k->name; k++)
		if (k->summary)
			fprintf(f, "  %s\n", k->summary);
		else
			import_summary(f);
	for (size_t i = 0; i < app_nmodules; i++)
		for (const struct module_command *k = app_modules[i]->commands;
		     k && k->name; k++)
			fprintf(f, "  %s\n", k->summary);
	fprintf(f,
		"\n"
		"options (every command):\n"
		"  --config FILE   read settings from FILE (default "
		"./alliance.conf if present)\n"
		"  --data DIR      the data folder (default ./data)\n"
		"  --database URL  a PostgreSQL database, postgresql://...\n"
		"                  (default: SQLite, DATA/alliance.db)\n"
		"  --listen H:P    serve: address and port (default "
		"127.0.0.1:8080)\n"
		"  --workers N     serve: worker threads (default 4)\n"
		"  --dev-source DIR  serve: read templates and static files "
		"from DIR (the\n"
		"                  tree's src folder) instead of the binary\n"
		"  --trusted-proxy LIST  serve: proxies whose X-Forwarded-For "
		"is believed\n"
		"  --help          help for a command: alliance serve --help\n"
		"\n"
		"Settings may also come from ALLIANCE_DATA, ALLIANCE_LISTEN, "
		"ALLIANCE_WORKERS, ...\n");
}

/* The core's command called name, or else the first module's. */
static const struct module_command *
find_command(const char *name)
{
	for (const struct module_command *k = commands; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	for (size_t i = 0; i < app_nmodules; i++)
		for (const struct module_command *k = app_modules[i]->commands;
		     k && k->name; k++)
			if (strcmp(k->name, name) == 0)
				return k;
	return NULL;
}

/* getopt_long's value for the flag of the i-th declared setting. */
#define SETTING_FLAG 0x100

/* The core's options followed by the command's own and the flags of the
 * modules' settings, in all (NULL-name terminated, at most len entries
 * with the terminator); 0, or -1 when they do not fit. */
static int
options_of(const struct module_command *cmd, const struct option *core,
	   struct option *all, size_t len)
{
	const struct config_setting *s;
	size_t n = 0;

	for (const struct option *o = core; o->name; o++)
		if (n + 1 < len)
			all[n++] = *o;
		else
			return -1;
	for (const struct option *o = cmd->options; o && o->name; o++)
		if (n + 1 < len)
			all[n++] = *o;
		else
			return -1;
	for (size_t i = 0; (s = config_declared(i)) != NULL; i++)
		if (s->flag == NULL)
			continue;
		else if (n + 1 < len)
			all[n++] = (struct option){s->flag, required_argument,
						   NULL, SETTING_FLAG + (int)i};
		else
			return -1;
	all[n] = (struct option){NULL, 0, NULL, 0};
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"data", required_argument, NULL, 'd'},
		{"database", required_argument, NULL, 'D'},
		{"listen", required_argument, NULL, 'l'},
		{"workers", required_argument, NULL, 'w'},
		{"dev-source", required_argument, NULL, 'S'},
		{"trusted-proxy", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct option all[32];
	const struct module_command *cmd;
	struct config c;
	const char *conf = getenv("ALLIANCE_CONFIG");
	char err[512];
	int ch, help = 0, li = 0;
	struct {
		const char *key, *value, *option;
	} flags[8];
	size_t nflags = 0;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	cmd = find_command(argv[1]);
	if (cmd == NULL) {
		fprintf(stderr, "alliance: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	argc--, argv++;
	for (size_t i = 0; i < app_nmodules; i++)
		if (config_declare(app_modules[i]->settings, err,
				   sizeof(err)) != 0) {
			fprintf(stderr, "alliance: module %s: %s\n",
				app_modules[i]->name, err);
			return EXIT_FAIL;
		}
	if (options_of(cmd, opts, all, ARRAY_LEN(all)) != 0) {
		fprintf(stderr,
			"alliance %s: the command declares too many "
			"options\n",
			cmd->name);
		return EXIT_FAIL;
	}
	while ((li = -1, ch = getopt_long(argc, argv, "h", all, &li)) != -1) {
		if (nflags == ARRAY_LEN(flags)) {
			fprintf(stderr, "alliance: too many options\n");
			return EXIT_USAGE;
		}
		if (ch >= SETTING_FLAG) { /* a module's setting */
			flags[nflags].key =
				config_declared((size_t)(ch - SETTING_FLAG))
					->key;
			flags[nflags].option = all[li].name;
			flags[nflags++].value = optarg;
			continue;
		}
		if (li >= (int)ARRAY_LEN(opts) - 1 && all[li].flag == NULL &&
		    cmd->option) { /* the command's own, with its argument */
			cmd->option(ch, optarg);
			continue;
		}
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'd': flags[nflags].key = "data"; break;
		case 'D': flags[nflags].key = "database"; break;
		case 'l': flags[nflags].key = "listen"; break;
		case 'w': flags[nflags].key = "workers"; break;
		case 'S': flags[nflags].key = "dev_source"; break;
		case 'P': flags[nflags].key = "trusted_proxy"; break;
		case 'h':
			help = 1;
			break;
		case 'j': opt.json = 1; break;
		case 0:
			break; /* the command's own flag, set through its pointer */
		default:
			fprintf(stderr, "try: alliance %s --help\n", cmd->name);
			return EXIT_USAGE;
		}
		if (ch == 'd' || ch == 'D' || ch == 'l' || ch == 'w' ||
		    ch == 'S' || ch == 'P') {
			flags[nflags].option = all[li].name;
			flags[nflags++].value = optarg;
		}
	}
	if (help) {
		printf("usage: alliance %s %s\n\n%s\n", cmd->name, cmd->usage,
		       cmd->help);
		if (cmd->run == cmd_import)
			list_import_kinds(stdout);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "alliance: libsodium cannot start\n");
		return EXIT_FAIL;
	}
	config_defaults(&c);
	if (conf == NULL && access("alliance.conf", F_OK) == 0)
		conf = "alliance.conf";
	if ((conf && config_read_file(&c, conf, err, sizeof(err)) != 0) ||
	    config_read_env(&c, err, sizeof(err)) != 0) {
		fprintf(stderr, "alliance: %s\n", err);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < nflags; i++) {
		if (config_set(&c, flags[i].key, flags[i].value, err,
			       sizeof(err)) != 0) {
			fprintf(stderr, "alliance: --%s: %s\n", flags[i].option,
				err);
			return EXIT_USAGE;
		}
	}
	if (c.base_url[0] == '\0')
		snprintf(c.base_url, sizeof(c.base_url), "http://%s:%u",
			 c.listen_host, c.port);
	config_current = &c;
	if (i18n_init(c.default_language, err, sizeof(err)) != 0) {
		fprintf(stderr, "alliance: %s\n", err);
		return EXIT_USAGE;
	}
	app_init();
	return cmd->run(&c, argc - optind, argv + optind);
}
