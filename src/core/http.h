/*
 * http.h -- requests, responses and the route table.
 *
 * A feature module declares its routes as a table of struct route: method,
 * path pattern, who may call it, the fields it accepts (each with a
 * validator, see validate.h) and the handler.  The core (http.c) reads the
 * request, matches the route (router.c), parses and validates the input
 * into typed values, checks access, and only then calls the handler with a
 * struct req.  The handler fills a struct resp -- usually a view model (a
 * JSON object) and the template that shows it -- and the core turns that
 * into HTML, or into the same JSON for /api/v1/... and Accept:
 * application/json (response.c).
 */
#ifndef ALLIANCE_HTTP_H
#define ALLIANCE_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "validate.h"

enum http_method {
	HTTP_GET = 1u << 0,
	HTTP_HEAD = 1u << 1,
	HTTP_POST = 1u << 2,
	HTTP_PUT = 1u << 3,
	HTTP_PATCH = 1u << 4,
	HTTP_DELETE = 1u << 5,
};

/* Who may call a route.  Later: roles on objects (chair of a party ...). */
enum access {
	ACCESS_PUBLIC, /* anyone, signed in or not */
	ACCESS_MEMBER, /* a signed-in member */
	ACCESS_EDITOR,
	ACCESS_ADMIN,
};

struct req;
struct resp;
struct person;
typedef void (*http_handler)(struct req *r, struct resp *w);

#define ROUTE_OWN_ERRORS 0x1u /* the handler shows invalid input itself
				 (re-renders its form); otherwise the core
				 answers 422 with the messages */
#define ROUTE_PERSONAL   0x2u /* Cache-Control: no-store */
#define ROUTE_FORM       0x4u /* shows a form that posts: the core gives
				 visitors a CSRF cookie and the model a
				 "csrf" token (implies personal) */
#define ROUTE_NO_CSRF    0x8u /* an unsafe method that needs no CSRF token
				 (a secret in its path is the authority:
				 a mail client's one-click unsubscribe) */
#define ROUTE_PWHASH     0x10u /* the handler may hash or check a password
				  (argon2id, ~170 ms): it runs on one of
				  the hashing threads, never on a worker, so
				  a flood of such requests cannot stall the
				  other requests (http.c, offload.c) */
#define ROUTE_CLOCK      0x20u /* the page depends on the clock as well
				  as the database (what is "upcoming"): the
				  page cache keeps a visitor's copy only
				  until the next minute starts (pagecache.h);
				  resp.fresh_until may bound it sooner */

struct route {
	unsigned method;      /* one enum http_method; GET also serves HEAD */
	const char *pattern;  /* "/focal-points/:slug"; ":x" matches one
				 segment */
	enum access who;
	const struct field *fields; /* NULL-name terminated, or NULL */
	http_handler handler;
	unsigned flags;
	size_t max_body;      /* limit for multipart bodies (uploads);
				 0, and every other body: the configured
				 max_body */
	const char *summary;  /* one line, for docs and the route listing */
	/* Optional, checked by the core after `who`: the action on the
	 * object named by a route parameter, decided by auth_permits()
	 * ("party.edit" on "party" :slug). */
	const char *action;
	const char *object_type;
	const char *object_param;
};

/* An entry of the secretariat's menu or of the public navigation: one of
 * the module's own GET pages without parameters.  The admin module
 * (admin/menu.c) builds the one menu every secretariat page shows, the
 * site module the navigation in every page's header, each from the
 * entries of all modules, lowest order first (equal orders in the order
 * of the modules). */
struct menu_entry {
	const char *path;  /* "/admin/things" */
	const char *label; /* N_("Things"): shown in the reader's language */
	int order;
};

/* A tile of the secretariat's overview (/admin): a count of work waiting
 * for the secretariat in a module, linked to the page where it is done.
 * The admin module shows the tiles of all modules, lowest order first. */
struct admin_tile {
	const char *label; /* N_("Things waiting for a decision") */
	const char *href;  /* "/admin/things?status=new" (may have a query) */
	int order;
	/* The count now, read with r's database into *n; 0, or -1 when it
	 * could not be read (logged; the overview answers 500). */
	int (*count)(struct req *r, int64_t *n);
};

/* A page of a module that the site search finds as one document of its
 * own (a page drawn from the catalog and the module's tables, such as
 * /benefits or /sponsor, not one row of a table): search_pages_put()
 * writes it as (kind of its source, slug), title, and a body of text
 * followed by what words() reads from the database.  title and text are
 * N_() msgids, indexed in English like the seeded content; they say what
 * the page says, so a change of the page's words changes them too. */
struct db;
struct upload_column;
struct buf;
struct search_page {
	const char *slug;  /* "benefits": the hit links to prefix + slug */
	const char *title; /* N_("Membership benefits"), the page's <h1> */
	const char *text;  /* N_("..."), the page's own words */
	/* Appends the words the page shows from the database (levels,
	 * tiers: names and descriptions) to out; 0 or -1.  NULL: none. */
	int (*words)(struct db *db, struct buf *out);
};

/* Where the site search's hits of a kind live and what they are called:
 * a hit (kind, slug) links to prefix + slug.  A module that puts rows of
 * its kind into the search index (core/search.h) declares the kind; one
 * whose pages are documents lists them here, and calls
 * search_pages_put() in the transaction that changes what words() reads. */
struct search_source {
	const char *kind;   /* "organisation", as in the index */
	const char *prefix; /* "/members/" */
	const char *label;  /* N_("Member organisation") */
	const struct search_page *pages;
	size_t npages;
};

/* What a module gives the page of a focal area (/focal-points/:slug): one
 * section of its own, headed heading, listing what of the module's work
 * serves the area (the working parties that serve it, with their latest
 * reports and articles; later meetings, statements, library items).  The
 * focal module gathers every module's sources (its assemble hook) and
 * shows them lowest order first; a source with nothing for the area (or
 * nothing the viewer may see) shows no section.  Nothing in src/focal/
 * names a source: a module adds its items by declaring one. */
struct focal_source {
	const char *kind;    /* "working_party": the section's id, in JSON */
	const char *heading; /* N_("Working parties"): the section's <h2> */
	int order;
	/* Appends to items (an array) what of the module serves the area
	 * whose id is focal_area_id and r's viewer may see (r->person,
	 * organisations_viewer_is_member), newest first, each an object:
	 * "title" (text), "href" (a local path), optionally "context" (one
	 * line: a summary, a state, a period), "date" (unix seconds: the
	 * page shows it as words, date_text and date_iso) and "items", an
	 * array of objects of the same shape, one level deep (a party's
	 * latest reports and articles), each with a "kind_label" ("Report")
	 * too.  Strings in the reader's language.  0, or -1 when it could
	 * not be read (logged; the page answers 500). */
	int (*items)(struct req *r, int64_t focal_area_id, json_t *items);
};

/* A section of a working party's page that a module adds (the parties
 * module gathers them, parties/meetings.c; the calendar's meetings).
 * parties cannot include the module, so the module declares it here. */
struct party_source {
	const char *kind;    /* "meetings": the section's id */
	const char *heading; /* N_("Meetings"): the section's <h2> */
	int order;
	/* Fills section (an object) for the party party_id (slug) as r's
	 * viewer may see it: "groups" [{label, items [{title, href,
	 * context}]}] (groups without items left out), optionally "empty"
	 * (a sentence when there is no item) and "actions" [{label,
	 * href}] (manages: the viewer is a chair or the secretariat; open:
	 * the party is active).  Strings in the reader's language.  0, or
	 * -1 when it could not be read (logged; the page answers 500). */
	int (*section)(struct req *r, int64_t party_id, const char *slug,
		       int manages, int open, json_t *section);
};

/* What a module gives an organisation's page in the directory
 * (/members/:slug): one section of its own, headed heading, listing what
 * of the module concerns the organisation (the statements it endorsed).
 * The directory gathers every module's sources (its assemble hook) and
 * shows one section per source that has items, lowest order first.
 * items appends, for the organisation whose id is organisation_id, what
 * r's viewer may see, newest first, each {title, href, context (one
 * line, optional)}, strings in the reader's language; 0, or -1 when it
 * could not be read (logged; the page answers 500). */
struct organisation_source {
	const char *kind;    /* "statements": the section's id */
	const char *heading; /* N_("Statements it endorses") */
	int order;
	int (*items)(struct req *r, int64_t organisation_id, json_t *items);
};

/* A feature module: everything the platform needs from it, declared here
 * and nowhere else (src/app.c lists the modules; the core and main.c name
 * none): its routes, statement tables, init, commands, start hook,
 * settings, entries in the secretariat's menu and in the public
 * navigation, tiles of its overview, sources of the site search and
 * sections of the focal areas' pages.
 * Every member but name may be NULL or 0. */
struct db;
struct config;
struct module_job;
struct module_import;
struct module {
	const char *name;
	const struct route *routes;
	size_t nroutes;
	struct db_sql *sql;
	const struct menu_entry *admin_menu;
	size_t nadmin_menu;
	const struct admin_tile *admin_tiles;
	size_t nadmin_tiles;
	/* More statement tables the module owns, NULL-terminated; app_init
	 * registers sql and these before any init runs. */
	struct db_sql *const *sqls;
	/* Called once by app_init, in module order, after every table is
	 * registered and the settings are read (config_current is set):
	 * registers job kinds, rules, page chrome. */
	void (*init)(void);
	/* Its kinds of background job (core/jobs.h: kind, function and, for
	 * a recurring one, its schedule), NULL-terminated: registered
	 * by app_init; serve and worker queue the recurring ones' first
	 * runs, the runner each next one. */
	const struct module_job *const *jobs;
	/* Its `alliance NAME` subcommands (core/command.h), NULL-name
	 * terminated; main.c looks a name up in the core's commands first,
	 * then in each module's, and lists them all in its usage. */
	const struct module_command *commands;
	/* The kinds of file `alliance import KIND FILE` reads into its
	 * tables (core/command.h), NULL-kind terminated. */
	const struct module_import *imports;
	/* Called by serve and worker, in module order, with the database
	 * once it is known to be up to date: queues the module's recurring
	 * jobs (jobs_ensure) whose kinds its init registered.  0, or -1 and
	 * the command stops. */
	int (*start)(struct db *db, int64_t now);
	/* Its settings (core/config.h), NULL-key terminated: declared before
	 * the file, environment and flags are read, printed by
	 * check-config after the core's. */
	const struct config_setting *settings;
	/* Its entries in the public navigation (every page's header), the
	 * same shape as the secretariat's menu: the site module shows the
	 * entries of all modules, lowest order first. */
	const struct menu_entry *nav;
	size_t nnav;
	/* The kinds of hits it gives the site search. */
	const struct search_source *search;
	size_t nsearch;
	/* Its sections of a focal area's page (the focal module gathers
	 * them, focal/focal.c). */
	const struct focal_source *focal;
	size_t nfocal;
	/* Its sections of a working party's page (the parties module
	 * gathers them, parties/meetings.c). */
	const struct party_source *party;
	size_t nparty;
	/* Its sections of an organisation's page in the directory (the
	 * directory gathers them, organisations/directory.c). */
	const struct organisation_source *organisation;
	size_t norganisation;
	/* Called once by app_init after every module's init, with all the
	 * modules: for the modules that gather the others' declarations
	 * (the secretariat's menu and overview, the navigation, the search
	 * sources) into their fixed tables before the server starts. */
	void (*assemble)(const struct module *const *mods, size_t nmods);
	/* Called by `alliance init`, in module order, once the new (or
	 * existing) database is migrated: what a fresh deployment needs
	 * from the module (the accounts module creates the first
	 * administrator).  0, or -1 (it said why) and init fails. */
	int (*created)(const struct config *c, struct db *db);
	/* What it knows of people, for the secretariat's people desk (the
	 * accounts module shows it): given people, an array of objects
	 * each with its "id", appends to each one's "roles" array (made by
	 * the caller) what that person is here beyond the account, as
	 * {label, href} -- label a sentence in the current language
	 * ("Main contact of Example Org"), href a secretariat page or NULL
	 * -- and, when detail is set (one person's page), also what waits
	 * for them ("Invited to represent ...").  One query for the whole
	 * array; 0, or -1 when it could not be read (logged). */
	int (*people_roles)(struct req *r, json_t *people, int detail);
	/* The columns of its tables that name stored files (core/uploads.h),
	 * NULL-table terminated: the hourly sweep keeps the files they
	 * name and removes the others. */
	const struct upload_column *uploads;
};

/* An uploaded file, streamed to a temporary file under the data folder. */
struct upload {
	char *tmp_path;        /* removed at the end of the request unless
				  http_upload_keep() moved it */
	char *filename;        /* as the client named it (untrusted) */
	char *content_type;    /* as the client claimed it (untrusted) */
	uint64_t size;
	char sha256[65];       /* hex digest of the content */
};

/* The values of one declared field; several when FIELD_MULTI. */
struct field_values {
	size_t n;
	struct value *v;
	struct upload *upload; /* FT_FILE */
};

struct i18n_lang;

struct req {
	struct arena *arena;      /* the request's memory */
	unsigned method;
	const char *path;         /* decoded, without the /api/v1 prefix */
	const char *query;        /* raw query string or "" */
	int api;                  /* path came under /api/v1 */
	int want_json;            /* api, or Accept prefers JSON */
	const char *client;       /* client address: the peer, or behind a
				     trusted proxy the address it forwarded
				     for (read it with req_client()) */
	const struct route *route;
	const char *param_names[8];
	const char *param_values[8];
	size_t nparams;
	struct field_values *values; /* parallel to route->fields */
	json_t *errors;           /* field -> message, NULL when valid */
	json_t *input;            /* the submitted values as strings, to
				     refill a form; NULL when none */
	struct db *db;            /* this thread's connection */
	void *conn;               /* the MHD connection, for the core only */
	const struct person *person; /* who is asking; NULL: a visitor */
	const char *session_hash; /* the session's digest, when signed in */
	const char *csrf_token;   /* the token forms must carry back */
	const char *csrf_sent;    /* the token this request carried */
	int via_token;            /* authenticated by an API token */
	const char *set_cookie[4];/* Set-Cookie values to send */
	size_t nset_cookie;
	const struct i18n_lang *lang; /* the answer's language (i18n.h):
				     cookie "lang", the account's, then
				     Accept-Language, then the default */
	const char *cache_key;    /* the page cache's key when cacheable */
	uint64_t cache_gen;       /* and the database generation it saw */
};

struct resp {
	int status;
	const char *template;     /* page template; NULL for JSON/redirects */
	char *title;              /* page title (copied) */
	json_t *model;            /* view model, owned */
	char *location;           /* redirect target */
	char *content_type;       /* for raw bodies */
	char *body;               /* raw body, or NULL */
	size_t body_len;
	int body_static;          /* body is not ours to free */
	unsigned flags;           /* ROUTE_PERSONAL ... */
	char *extra_headers;      /* "Name: value\r\n"... owned */
	int64_t fresh_until;      /* 0, or the unix second from which the
				     page cache no longer serves this
				     answer (pagecache.h) */
};

/* ---- for handlers ---- */

/* The route parameter name (":slug" -> "slug"), or NULL. */
const char *req_param(const struct req *r, const char *name);
/* The route parameter :id as a positive number, or 0 when it is not one
 * (the caller answers 404). */
int64_t req_param_id(const struct req *r);
/* The client's address as text ("203.0.113.7", "2001:db8::1"): the peer
 * of the connection, or, when the peer is a trusted_proxy, the address
 * X-Forwarded-For names (proxy.h).  Rate limits, sessions, audit records
 * and the access log all use it.  Never NULL ("-" when unknown). */
const char *req_client(const struct req *r);
/* A request header (case-insensitive name), or NULL when it was not sent;
 * always well-formed UTF-8 (bytes that are not become U+FFFD). */
const char *req_header(const struct req *r, const char *name);
/* The validated value of a declared field; never NULL.  Every string in
 * it is valid UTF-8 (the door refuses other bytes with a 400).  Absent,
 * empty or invalid values have present == 0, and then str is "" for a
 * FIELD_REQUIRED field (its handler may run to show the form again) and
 * NULL for an optional one (bound as SQL NULL): test present, not str. */
const struct value *req_value(const struct req *r, const char *name);
/* Every value of a declared field (a FIELD_MULTI one's list), or NULL
 * when the route declares no field of that name. */
const struct field_values *req_values(const struct req *r, const char *name);
/* A handler's own check of a field: records message for it in
 * r->errors (shown like the core's), unless it has one already. */
void req_error(struct req *r, const char *field, const char *message);
/* The upload of a declared FT_FILE field, or NULL when none was sent. */
struct upload *req_upload(const struct req *r, const char *name);
/* Moves the upload into the content-addressed store under
 * DATA/uploads/ab/abcdef... ; returns the stored relative path (arena) or
 * NULL (logged). */
const char *http_upload_keep(struct req *r, struct upload *u);

/* A page: status, template name, title and model (model is taken). */
void resp_page(struct resp *w, int status, const char *tmpl,
	       const char *title, json_t *model);
/* 303 See Other to a local path. */
void resp_redirect(struct resp *w, const char *location);
/* An error page / JSON error with a sentence for the person. */
void resp_error(struct resp *w, int status, const char *message);
/* The one answer to a failure on our side (the database, a queue): rolls
 * back r's transaction if one is open, so nothing is half written, logs
 * the request, and answers 500 saying message, or, when it is NULL,
 * RESP_FAIL_MESSAGE.  Handlers call it instead of answering 500 themselves. */
#define RESP_FAIL_MESSAGE                                                      \
	"Something went wrong on our side. Nothing was changed; please try "   \
	"again."
void resp_fail(struct req *r, struct resp *w, const char *message);
/* A body as it is, with its content type (body copied). */
void resp_raw(struct resp *w, int status, const char *content_type,
	      const char *body, size_t len);
void resp_header(struct resp *w, const char *name, const char *value);
/*
 * A document of the upload store as a download: the file rel (a path
 * http_upload_keep returned) under the data folder, always as
 * application/octet-stream with Content-Disposition attachment (the
 * sender chose its bytes and its type), named name kept to letters,
 * digits, '.', '-' and '_' ("document" when none is left).  500 saying so
 * (and logged, with what, e.g. "message 12") when the store lacks the
 * file.
 */
void resp_stored_document(struct resp *w, const char *rel, const char *name,
			  const char *what);
/* The field messages of req.errors ({field: message}) as a new array
 * [{field, id, message}] for templates, which loop over arrays only (id:
 * the field's element id, the field's name). */
json_t *resp_error_list(json_t *errors);
/*
 * The one error pattern of every form: a form with errors is shown again
 * (never a bare error page) with, in model, "errors" ({field: message},
 * for the message next to each field and its aria-invalid /
 * aria-describedby="FIELD-error"), "error_list" and "has_errors" (the
 * summary of core/templates/form_errors.html, focused on load, whose
 * links lead to each field's id) and "error_title", for a title
 * beginning "Error: " (render.c; a page whose form with errors is a
 * part of its model sets it on the whole model itself).  Nothing
 * happens when errors is NULL.
 */
void resp_form_errors(json_t *model, json_t *errors);
/* The same for a page with several forms, whose fields' ids are
 * prefix FIELD suffix ("new-name", "name-12"): the summary's links lead
 * there (each entry's "id"). */
void resp_form_errors_id(json_t *model, json_t *errors, const char *prefix,
			 const char *suffix);

/* ---- for the command ---- */

struct http_config {
	const char *listen_host; /* "127.0.0.1" */
	unsigned port;
	unsigned workers;
	size_t max_body;      /* default request body limit */
	size_t max_header;    /* request line + headers */
	size_t max_fields;
	size_t max_field_len;
	const char *data_dir;
	const char *site_name;
	int behind_tls;
	const char *trusted_proxy; /* proxy.h's list; "" or NULL: none */
	unsigned header_timeout;   /* seconds for the request head */
	int no_page_cache; /* development mode: every page built afresh */
};

/* Serves until SIGTERM or SIGINT, then finishes in-flight requests.
 * Returns 0, or 1 when the server cannot start (logged). */
int http_serve(const struct http_config *cfg, const struct module *const *mods,
	       size_t nmods);

/* The modules the server was started with (for route listings). */
const char *http_method_name(unsigned m);

#endif
