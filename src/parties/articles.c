/*
 * articles.c -- see parties.h: a working party's articles, the site's
 * news and the Atom feeds (RFC 4287).
 *
 * The writers (party.write: chair, co-chair, rapporteur) draft an article
 * (title, summary, Markdown body; its slug made once from the title,
 * unique in the party, so its address and its feed id never change),
 * edit it, publish it and may take it back to a draft.  A draft is the
 * team's (404 to anyone else); a published article is everyone's: the
 * party's page, /news (every party's, newest first, with the party's
 * name), /news.atom and /working-parties/:slug/feed.atom, and the site
 * search (kind "article", put and removed in the transaction that
 * publishes or takes back).  Every write happens while the party is
 * active, in one transaction with its audit record.
 */
#include "parties_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/db.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/search.h"
#include "core/util.h"
#include "core/slug.h"

enum stmt_articles {
	A_SECTION,
	A_GET,
	A_SLUG_TAKEN,
	A_INSERT,
	A_UPDATE,
	A_PUBLISH,
	A_UNPUBLISH,
	A_NEWS,
	A_ARTICLES__MAX,
};

/* The author's name as people may read it: only when their profile is
 * public (people.visibility), else the article is the party's alone. */
#define A_AUTHOR                                                               \
	" CASE WHEN pe.visibility = 'public' AND pe.disabled_at IS NULL"      \
	" THEN pe.name END AS author_name"

static const char *const articles_sql_text[A_ARTICLES__MAX] = {
	/* binds: the party, 1 when the viewer writes (drafts too) */
	[A_SECTION] = "SELECT id, slug, title, summary, state, published_at,"
		      " updated_at FROM party_articles"
		      " WHERE party_id = ? AND (state = 'published' OR ? = 1)"
		      " ORDER BY CASE state WHEN 'draft' THEN 0 ELSE 1 END,"
		      " published_at DESC, id DESC LIMIT 50",
	[A_GET] = "SELECT a.id, a.slug, a.title, a.summary, a.body_md,"
		  " a.state, a.created_at, a.updated_at, a.published_at,"
		  A_AUTHOR " FROM party_articles a"
		  " LEFT JOIN people pe ON pe.id = a.author_id"
		  " WHERE a.party_id = ? AND a.slug = ?",
	[A_SLUG_TAKEN] = "SELECT 1 FROM party_articles"
			 " WHERE slug = ? AND party_id = ?",
	[A_INSERT] = "INSERT INTO party_articles (party_id, slug, title,"
		     " summary, body_md, author_id, created_at, updated_at)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[A_UPDATE] = "UPDATE party_articles SET title = ?, summary = ?,"
		     " body_md = ?, updated_at = ? WHERE id = ?",
	/* the first publication's date stays the article's */
	[A_PUBLISH] = "UPDATE party_articles SET state = 'published',"
		      " published_at = coalesce(published_at, ?),"
		      " updated_at = ? WHERE id = ? AND state = 'draft'",
	[A_UNPUBLISH] = "UPDATE party_articles SET state = 'draft',"
			" updated_at = ? WHERE id = ? AND state = 'published'",
	/* binds: a party's slug twice (NULL: every party), limit, offset */
	[A_NEWS] = "SELECT a.id, a.slug, a.title, a.summary, a.body_md,"
		   " a.published_at, a.updated_at, p.slug AS party_slug,"
		   " p.name AS party_name," A_AUTHOR
		   " FROM party_articles a JOIN parties p ON p.id = a.party_id"
		   " LEFT JOIN people pe ON pe.id = a.author_id"
		   " WHERE a.state = 'published'"
		   " AND p.state IN ('active', 'dissolved', 'archived')"
		   " AND (CAST(? AS TEXT) IS NULL OR p.slug = ?)"
		   " ORDER BY a.published_at DESC, a.id DESC LIMIT ? OFFSET ?",
};

static struct db_sql articles_sql = {"party_articles", articles_sql_text,
				     A_ARTICLES__MAX, 0};

/* Articles a page of /news shows, and a feed holds. */
#define NEWS_PAGE 10
#define FEED_ENTRIES 20
/* The year in the tag: URIs of the feeds and their entries (RFC 4151):
 * when the feeds began, so an id never changes. */
#define TAG_YEAR "2026"

#define SEARCH_KIND "article"

static void
read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The articles could not be read."));
}

static const char *
str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Adds href (party_slug, or slug when not NULL), draft and the times as
 * words to each row. */
static void
add_links(json_t *rows, const char *slug)
{
	json_t *row;
	size_t i;

	json_array_foreach (rows, i, row) {
		json_object_set_new(
			row, "href",
			json_sprintf("/working-parties/%s/articles/%s",
				     slug ? slug : str_of(row, "party_slug"),
				     str_of(row, "slug")));
		json_object_set_new(
			row, "party_href",
			json_sprintf("/working-parties/%s",
				     slug ? slug : str_of(row, "party_slug")));
		json_object_set_new(
			row, "draft",
			json_boolean(!strcmp(str_of(row, "state"), "draft")));
	}
	render_add_times(rows, "published_at");
	render_add_times(rows, "updated_at");
}

/* ---- the party's page ---- */

int
party_articles_section(struct req *r, const struct party *p,
		       const struct party_viewer *v, json_t *model)
{
	struct db_stmt *st = db_stmt(r->db, &articles_sql, A_SECTION);
	json_t *rows;

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, v->writes);
	if ((rows = db_all_json(st)) == NULL)
		return -1;
	add_links(rows, p->slug);
	json_object_set_new(model, "articles", rows);
	json_object_set_new(
		model, "articles_new_href",
		v->writes && !strcmp(p->state, "active")
			? json_sprintf("/working-parties/%s/articles/new",
				       p->slug)
			: json_null());
	/* the layout's <link rel="alternate"> to the party's feed */
	json_object_set_new(
		model, "feed",
		json_pack("{s:o,s:s}", "href",
			  json_sprintf("/working-parties/%s/feed.atom",
				       p->slug),
			  "title",
			  i18n_text(r->arena, _("News of {party}"), "party",
				    p->name, NULL)));
	return 0;
}

/* ---- one article ---- */

/* The article of route parameter :article in party p, as v may see it,
 * in *out: 0; 1 with a 404 in w (none, or a draft and v is not the
 * team); -1 with a 500. */
static int
article_load(struct req *r, struct resp *w, const struct party *p,
	     const struct party_viewer *v, json_t **out)
{
	struct db_stmt *st = db_stmt(r->db, &articles_sql, A_GET);
	const char *slug = req_param(r, "article"), *state;
	json_t *row;
	int rc;

	*out = NULL;
	if (st) {
		db_bind_int(st, 1, p->id);
		db_bind_text(st, 2, slug ? slug : "");
	}
	if ((rc = party_row_or_respond(r, w, st, _("There is no such article."),
				       &row)) != 0)
		return rc;
	state = str_of(row, "state");
	if ((!state || strcmp(state, "published") != 0) &&
	    v->level < PARTY_SEES_TEAM) {
		json_decref(row);
		resp_error(w, 404, _("There is no such article."));
		return 1;
	}
	*out = row;
	return 0;
}

/* GET /working-parties/:slug/articles/:article */
static void
article_show(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *a, *list;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if (article_load(r, w, &p, &v, &a) != 0)
		return;
	list = json_pack("[o]", a);
	add_links(list, p.slug);
	json_object_set_new(a, "body_html",
			    render_markdown(str_of(a, "body_md")));
	if (v.writes && !strcmp(p.state, "active"))
		json_object_set_new(a, "edit_href",
				    json_sprintf("%s/edit", str_of(a, "href")));
	json_incref(a);
	json_decref(list);
	resp_page(w, 200, "parties/templates/article_show.html",
		  arena_strdup(r->arena, str_of(a, "title")),
		  json_pack("{s:o,s:o}", "party", party_json(&p, &v),
			    "article", a));
}

/* The form's page (a new article when a is NULL). */
static void
form_page(struct req *r, struct resp *w, int status, const struct party *p,
	  const struct party_viewer *v, json_t *a)
{
	json_t *input = r->input ? json_incref(r->input) : json_object();
	json_t *model;

	if (a && !r->input) {
		json_object_set(input, "title", json_object_get(a, "title"));
		json_object_set(input, "summary",
				json_object_get(a, "summary"));
		json_object_set(input, "body", json_object_get(a, "body_md"));
	}
	if (a) {
		json_t *list = json_pack("[O]", a);

		add_links(list, p->slug);
		json_decref(list);
	}
	model = json_pack("{s:o,s:o,s:O*}", "party", party_json(p, v),
			  "input", input, "article", a);
	json_object_set_new(
		model, "action",
		a ? json_sprintf("/working-parties/%s/articles/%s", p->slug,
				 str_of(a, "slug"))
		  : json_sprintf("/working-parties/%s/articles", p->slug));
	resp_form_errors(model, r->errors);
	resp_page(w, status, "parties/templates/article_form.html",
		  a ? _("Edit the article") : _("New article"), model);
}

/* The party of the route, for a writer's change: 0, or 1/-1 answered. */
static int
writable_party(struct req *r, struct resp *w, struct party *p,
	       struct party_viewer *v)
{
	int rc = party_from_route(r, w, p, v);

	return rc != 0 ? rc : party_open_or_respond(w, p);
}

/* GET /working-parties/:slug/articles/new */
static void
article_new(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (writable_party(r, w, &p, &v) == 0)
		form_page(r, w, 200, &p, &v, NULL);
}

/* GET /working-parties/:slug/articles/:article/edit */
static void
article_edit(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *a;

	if (writable_party(r, w, &p, &v) != 0 ||
	    article_load(r, w, &p, &v, &a) != 0)
		return;
	form_page(r, w, 200, &p, &v, a);
	json_decref(a);
}

static json_t *
fields_json(struct req *r)
{
	const char *summary = req_value(r, "summary")->str;
	const char *body = req_value(r, "body")->str;

	return json_pack("{s:s,s:s,s:s}", "title", req_value(r, "title")->str,
			 "summary", summary ? summary : "", "body",
			 body ? body : "");
}

static const char *
article_object(struct req *r, const struct party *p, const char *slug)
{
	return arena_printf(r->arena, "%s/%s", p->slug, slug);
}

/* The search index's document of a published article: slug
 * "PARTY/articles/SLUG" under the prefix /working-parties/. */
static int
index_put(struct req *r, const struct party *p, const char *slug,
	  const char *title, const char *summary, const char *body)
{
	return search_put(r->db, SEARCH_KIND,
			  arena_printf(r->arena, "%s/articles/%s", p->slug,
				       slug),
			  title,
			  arena_printf(r->arena, "%s\n\n%s", summary, body));
}

/* POST /working-parties/:slug/articles: a new draft. */
static void
article_create(struct req *r, struct resp *w)
{
	static const char *const reserved[] = {"new", NULL};
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	const char *slug, *summary = req_value(r, "summary")->str;
	const char *body = req_value(r, "body")->str;
	int64_t now = clock_now();

	if (writable_party(r, w, &p, &v) != 0)
		return;
	if (r->errors)
		return form_page(r, w, 422, &p, &v, NULL);
	if (db_begin(r->db) != 0 ||
	    (slug = slug_new(r->db, r->arena, &articles_sql, A_SLUG_TAKEN,
			     p.id, req_value(r, "title")->str, "article",
			     reserved)) == NULL ||
	    (st = db_stmt(r->db, &articles_sql, A_INSERT)) == NULL)
		goto fail;
	db_bind_int(st, 1, p.id);
	db_bind_text(st, 2, slug);
	db_bind_text(st, 3, req_value(r, "title")->str);
	db_bind_text(st, 4, summary ? summary : "");
	db_bind_text(st, 5, body ? body : "");
	db_bind_int(st, 6, r->person->id);
	db_bind_int(st, 7, now);
	db_bind_int(st, 8, now);
	if (db_run(st) != 0 ||
	    audit_record_new(r->db, r->person->id, "party.article.create",
			     "party_article", article_object(r, &p, slug),
			     NULL, fields_json(r), r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/articles/%s",
				      p.slug, slug));
	return;
fail:
	resp_fail(r, w, NULL);
}

/* POST /working-parties/:slug/articles/:article: saved (a published
 * one stays published, its search document follows). */
static void
article_update(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	const char *summary = req_value(r, "summary")->str;
	const char *body = req_value(r, "body")->str;
	const char *slug;
	json_t *a;

	if (writable_party(r, w, &p, &v) != 0 ||
	    article_load(r, w, &p, &v, &a) != 0)
		return;
	if (r->errors) {
		form_page(r, w, 422, &p, &v, a);
		json_decref(a);
		return;
	}
	slug = arena_strdup(r->arena, str_of(a, "slug"));
	if (db_begin(r->db) != 0 ||
	    (st = db_stmt(r->db, &articles_sql, A_UPDATE)) == NULL)
		goto fail;
	db_bind_text(st, 1, req_value(r, "title")->str);
	db_bind_text(st, 2, summary ? summary : "");
	db_bind_text(st, 3, body ? body : "");
	db_bind_int(st, 4, clock_now());
	db_bind_int(st, 5, json_integer_value(json_object_get(a, "id")));
	if (db_run(st) != 0)
		goto fail;
	if (!strcmp(str_of(a, "state"), "published") &&
	    index_put(r, &p, slug, req_value(r, "title")->str,
		      summary ? summary : "", body ? body : "") != 0)
		goto fail;
	if (audit_record_new(r->db, r->person->id, "party.article.edit",
			     "party_article", article_object(r, &p, slug),
			     json_pack("{s:O,s:O,s:O}", "title",
				       json_object_get(a, "title"), "summary",
				       json_object_get(a, "summary"), "body",
				       json_object_get(a, "body_md")),
			     fields_json(r), r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	json_decref(a);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/articles/%s",
				      p.slug, slug));
	return;
fail:
	json_decref(a);
	resp_fail(r, w, NULL);
}

/* POST .../articles/:article/publish (publish 1) and .../unpublish. */
static void
article_state(struct req *r, struct resp *w, int publish)
{
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	const char *slug;
	int64_t now = clock_now();
	json_t *a;
	int rc;

	if (writable_party(r, w, &p, &v) != 0 ||
	    article_load(r, w, &p, &v, &a) != 0)
		return;
	slug = arena_strdup(r->arena, str_of(a, "slug"));
	if (db_begin(r->db) != 0)
		goto fail;
	if (publish) {
		if ((st = db_stmt(r->db, &articles_sql, A_PUBLISH)) == NULL)
			goto fail;
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, now);
		db_bind_int(st, 3, json_integer_value(json_object_get(a, "id")));
	} else {
		if ((st = db_stmt(r->db, &articles_sql, A_UNPUBLISH)) == NULL)
			goto fail;
		db_bind_int(st, 1, now);
		db_bind_int(st, 2, json_integer_value(json_object_get(a, "id")));
	}
	if (db_run(st) != 0)
		goto fail;
	if (db_changes(r->db) != 1) {
		db_rollback(r->db);
		json_decref(a);
		resp_error(w, 409,
			   publish ? _("This article is already published.")
				   : _("This article is not published."));
		return;
	}
	rc = publish ? index_put(r, &p, slug, str_of(a, "title"),
				 str_of(a, "summary"), str_of(a, "body_md"))
		     : search_remove(r->db, SEARCH_KIND,
				     arena_printf(r->arena, "%s/articles/%s",
						  p.slug, slug));
	if (rc != 0 ||
	    audit_record_new(r->db, r->person->id,
			     publish ? "party.article.publish"
				     : "party.article.unpublish",
			     "party_article", article_object(r, &p, slug),
			     json_pack("{s:s}", "state",
				       publish ? "draft" : "published"),
			     json_pack("{s:s}", "state",
				       publish ? "published" : "draft"),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	json_decref(a);
	resp_redirect(w, arena_printf(r->arena,
				      "/working-parties/%s/articles/%s",
				      p.slug, slug));
	return;
fail:
	json_decref(a);
	resp_fail(r, w, NULL);
}

static void
article_publish(struct req *r, struct resp *w)
{
	article_state(r, w, 1);
}

static void
article_unpublish(struct req *r, struct resp *w)
{
	article_state(r, w, 0);
}

/* ---- the news ---- */

/* The published articles, newest first (of party slug when not NULL):
 * limit rows from offset, linked; NULL on a database error. */
static json_t *
news_rows(struct req *r, const char *slug, int64_t limit, int64_t offset)
{
	struct db_stmt *st = db_stmt(r->db, &articles_sql, A_NEWS);
	json_t *rows;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, slug);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	if ((rows = db_all_json(st)) != NULL)
		add_links(rows, NULL);
	return rows;
}

/* GET /news: every party's published articles, newest first. */
static void
news_index(struct req *r, struct resp *w)
{
	struct pager pg;
	json_t *rows, *row;
	int has_next;
	size_t i;

	pager_read(r, NEWS_PAGE, &pg);
	if ((rows = news_rows(r, NULL, NEWS_PAGE + 1, pager_offset(&pg))) ==
	    NULL)
		return read_failed(r, w);
	has_next = pager_trim(rows, NEWS_PAGE);
	json_array_foreach (rows, i, row)
		json_object_del(row, "body_md");
	resp_page(w, 200, "parties/templates/news.html", _("News"),
		  json_pack("{s:o,s:o,s:{s:s,s:s}}", "articles", rows, "pager",
			    pager_model(r, &pg, "/news", NULL, has_next, -1),
			    "feed", "href", "/news.atom", "title",
			    _("News of the working parties")));
}

/* ---- Atom ---- */

/* s as XML character data: escaped, bytes that are not UTF-8 made
 * U+FFFD, and the control characters XML 1.0 forbids left out. */
static void
xml_text(struct buf *b, const char *s)
{
	struct buf clean = BUF_INIT;
	const char *c;

	buf_put_utf8(&clean, s ? s : "", s ? strlen(s) : 0);
	for (c = buf_cstr(&clean); *c; c++) {
		unsigned char u = (unsigned char)*c;

		if (u == '&')
			buf_puts(b, "&amp;");
		else if (u == '<')
			buf_puts(b, "&lt;");
		else if (u == '>')
			buf_puts(b, "&gt;");
		else if (u == '"')
			buf_puts(b, "&quot;");
		else if (u < 0x20 && u != '\t' && u != '\n' && u != '\r')
			continue;
		else if (u == 0xEF && (unsigned char)c[1] == 0xBF &&
			 ((unsigned char)c[2] == 0xBE ||
			  (unsigned char)c[2] == 0xBF))
			c += 2; /* U+FFFE, U+FFFF */
		else
			buf_putc(b, u);
	}
	buf_free(&clean);
}

/* The host of base_url, for tag: URIs ("example.org"). */
static const char *
base_host(struct req *r)
{
	const char *u = config_current ? config_current->base_url : "";
	const char *s = strstr(u, "://");
	size_t n;

	s = s ? s + 3 : u;
	n = strcspn(s, ":/?#");
	return n ? arena_strndup(r->arena, s, n) : "localhost";
}

/* base_url without its trailing '/'. */
static const char *
base_url(struct req *r)
{
	const char *u = config_current ? config_current->base_url : "";
	size_t n = strlen(u);

	while (n > 0 && u[n - 1] == '/')
		n--;
	return arena_strndup(r->arena, u, n);
}

/* An element <name>text</name> on a line. */
static void
xml_element(struct buf *b, const char *name, const char *text)
{
	buf_printf(b, "<%s>", name);
	xml_text(b, text);
	buf_printf(b, "</%s>\n", name);
}

/* Answers the Atom feed of rows (news_rows) as feed id tag (after
 * "tag:HOST,YEAR:"), title, self and alternate paths. */
static void
atom_answer(struct req *r, struct resp *w, json_t *rows, const char *tag,
	    const char *title, const char *self, const char *alternate)
{
	const char *base = base_url(r), *host = base_host(r);
	const char *updated = NULL;
	struct buf b = BUF_INIT;
	char now[32];
	time_t t = (time_t)clock_now();
	struct tm tm;
	json_t *row;
	size_t i;

	/* the newest change of an entry; a feed without entries: now */
	json_array_foreach (rows, i, row) {
		const char *u = str_of(row, "updated_at_iso");

		if (updated == NULL || strcmp(u, updated) > 0)
			updated = u;
	}
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		     "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	xml_element(&b, "id",
		    arena_printf(r->arena, "tag:%s," TAG_YEAR ":%s", host,
				 tag));
	xml_element(&b, "title", title);
	xml_element(&b, "updated", updated && *updated ? updated : now);
	buf_puts(&b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(&b, arena_printf(r->arena, "%s%s", base, self));
	buf_puts(&b, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(&b, arena_printf(r->arena, "%s%s", base, alternate));
	buf_puts(&b, "\"/>\n<author>");
	xml_element(&b, "name",
		    config_current && config_current->site_name[0]
			    ? config_current->site_name
			    : "alliance");
	buf_puts(&b, "</author>\n");
	json_array_foreach (rows, i, row) {
		json_t *html = render_markdown(str_of(row, "body_md"));
		const char *author = str_of(row, "author_name");

		buf_puts(&b, "<entry>\n");
		xml_element(&b, "id",
			    arena_printf(r->arena,
					 "tag:%s," TAG_YEAR ":article-%lld",
					 host,
					 (long long)json_integer_value(
						 json_object_get(row, "id"))));
		xml_element(&b, "title", str_of(row, "title"));
		xml_element(&b, "published", str_of(row, "published_at_iso"));
		xml_element(&b, "updated", str_of(row, "updated_at_iso"));
		buf_puts(&b, "<author>");
		xml_element(&b, "name",
			    *author ? author : str_of(row, "party_name"));
		buf_puts(&b, "</author>\n<link rel=\"alternate\" "
			     "type=\"text/html\" href=\"");
		xml_text(&b, arena_printf(r->arena, "%s%s", base,
					  str_of(row, "href")));
		buf_puts(&b, "\"/>\n<category term=\"");
		xml_text(&b, str_of(row, "party_slug"));
		buf_puts(&b, "\" label=\"");
		xml_text(&b, str_of(row, "party_name"));
		buf_puts(&b, "\"/>\n");
		if (*str_of(row, "summary"))
			xml_element(&b, "summary", str_of(row, "summary"));
		buf_puts(&b, "<content type=\"html\">");
		xml_text(&b, json_string_value(html));
		buf_puts(&b, "</content>\n</entry>\n");
		json_decref(html);
	}
	buf_puts(&b, "</feed>\n");
	resp_raw(w, 200, "application/atom+xml; charset=utf-8", buf_cstr(&b),
		 b.len);
	buf_free(&b);
	json_decref(rows);
}

/* GET /news.atom */
static void
news_feed(struct req *r, struct resp *w)
{
	json_t *rows = news_rows(r, NULL, FEED_ENTRIES, 0);
	const char *site = config_current && config_current->site_name[0]
				   ? config_current->site_name
				   : "alliance";

	if (rows == NULL)
		return read_failed(r, w);
	atom_answer(r, w, rows, "news",
		    i18n_text(r->arena, _("{site}: news of the working parties"),
			      "site", site, NULL),
		    "/news.atom", "/news");
}

/* GET /working-parties/:slug/feed.atom */
static void
party_feed(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	json_t *rows;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if ((rows = news_rows(r, p.slug, FEED_ENTRIES, 0)) == NULL)
		return read_failed(r, w);
	atom_answer(r, w, rows,
		    arena_printf(r->arena, "working-parties/%s", p.slug),
		    i18n_text(r->arena, _("News of {party}"), "party", p.name,
			      NULL),
		    arena_printf(r->arena, "/working-parties/%s/feed.atom",
				 p.slug),
		    arena_printf(r->arena, "/working-parties/%s", p.slug));
}

/* ---- the tables ---- */

static const struct field article_fields[] = {
	{.name = "title",
	 .type = FT_TEXT,
	 .flags = FIELD_REQUIRED,
	 .maxlen = 200,
	 .label = N_("Title")},
	{.name = "summary",
	 .type = FT_TEXTAREA,
	 .maxlen = 1000,
	 .label = N_("Summary")},
	{.name = "body",
	 .type = FT_TEXTAREA,
	 .maxlen = 100000,
	 .label = N_("The article")},
	{0},
};

static const struct field news_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 100000,
	 .label = N_("Page")},
	{0},
};

#define WRITE                                                                  \
	.action = "party.write", .object_type = PARTY_OBJECT,                  \
	.object_param = "slug"

static const struct route articles_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/news",
	 .who = ACCESS_PUBLIC,
	 .fields = news_fields,
	 .handler = news_index,
	 .summary = "The site's news: every working party's published "
		    "articles, newest first"},
	{.method = HTTP_GET,
	 .pattern = "/news.atom",
	 .who = ACCESS_PUBLIC,
	 .handler = news_feed,
	 .summary = "The site's news as an Atom feed"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/feed.atom",
	 .who = ACCESS_PUBLIC,
	 .handler = party_feed,
	 .summary = "A working party's published articles as an Atom feed"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/articles/new",
	 .who = ACCESS_MEMBER,
	 .handler = article_new,
	 .flags = ROUTE_FORM,
	 .summary = "The form of a new article (the party's writers)",
	 WRITE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/articles",
	 .who = ACCESS_MEMBER,
	 .fields = article_fields,
	 .handler = article_create,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Drafts an article (the party's writers)",
	 WRITE},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/articles/:article",
	 .who = ACCESS_PUBLIC,
	 .handler = article_show,
	 .summary = "One article (a draft: the party's team only)"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/articles/:article/edit",
	 .who = ACCESS_MEMBER,
	 .handler = article_edit,
	 .flags = ROUTE_FORM,
	 .summary = "The form that edits, publishes or takes back an article",
	 WRITE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/articles/:article",
	 .who = ACCESS_MEMBER,
	 .fields = article_fields,
	 .handler = article_update,
	 .flags = ROUTE_OWN_ERRORS | ROUTE_PERSONAL,
	 .summary = "Saves an article",
	 WRITE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/articles/:article/publish",
	 .who = ACCESS_MEMBER,
	 .handler = article_publish,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Publishes an article: the party's page, the news, the "
		    "feeds, the search",
	 WRITE},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/articles/:article/unpublish",
	 .who = ACCESS_MEMBER,
	 .handler = article_unpublish,
	 .flags = ROUTE_PERSONAL,
	 .summary = "Takes a published article back to a draft",
	 WRITE},
};

static const struct menu_entry articles_nav[] = {
	{.path = "/news", .label = N_("News"), .order = 45},
};

static const struct search_source articles_search[] = {
	{.kind = SEARCH_KIND, .prefix = "/working-parties/",
	 .label = N_("Article")},
};

const struct module party_articles_module = {
	.name = "party-articles",
	.routes = articles_routes,
	.nroutes = ARRAY_LEN(articles_routes),
	.sql = &articles_sql,
	.nav = articles_nav,
	.nnav = ARRAY_LEN(articles_nav),
	.search = articles_search,
	.nsearch = ARRAY_LEN(articles_search),
};
