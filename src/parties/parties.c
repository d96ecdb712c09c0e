/*
 * parties.c -- see parties.h: the list of working parties and a party's
 * page, which gathers the parts each file of the folder adds
 * (parties_int.h: party_*_section); proposing a party; the secretariat's
 * desk that approves, rejects, dissolves and archives; the charter, its
 * versions, and the party's document in the site search.
 *
 * The life of a party: proposed (by a person whose organisation is a
 * member of the Alliance, or an administrator) -> active (approved by the
 * secretariat; the proposer becomes its chair and the initial team is
 * invited) or rejected (with a reason) -> dissolved (with a reason and a
 * closing report) -> archived (read-only).  Every step is dated in the
 * party's row and has its audit record ("party.propose", "party.approve",
 * "party.reject", "party.dissolve", "party.archive", "party.charter").
 *
 * The charter (objectives, rules of engagement, focal areas, join policy,
 * what is public) is edited by the chairs while the party is active; a
 * proposal only by the secretariat (the proposer is not its chair until
 * the approval).  Every save is a new row of party_charter_versions.
 */
#include "parties.h"

#include <stdlib.h>
#include <string.h>

#include "admin/admin.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/escape.h"
#include "core/fold.h"
#include "core/i18n.h"
#include "core/pager.h"
#include "core/render.h"
#include "core/search.h"
#include "core/util.h"
#include "core/slug.h"
#include "organisations/organisations.h"
#include "parties_int.h"

extern struct db_sql party_sql;

/* The search index's kind of a party's document. */
#define PARTY_KIND "party"
/* Rows on a page of the secretariat's list and of the versions. */
#define PAGE_SIZE 50
/* The most people a proposal names, and tries for a free slug. */
#define MAX_TEAM 50

/* Who may see a version's author by name: the team, or what the person
 * chose to show (binds the viewer's level twice). */
#define AUTHOR_NAMED                                                           \
	"(? >= 2 OR a.visibility = 'public' OR"                             \
	" (a.visibility = 'members' AND ? >= 1))"

/* The parties the Alliance shows: approved ones, whatever came after. */
#define PUBLIC_STATES "('active', 'dissolved', 'archived')"

enum stmt_parties {
	PS_LIST,
	PS_TEXT,
	PS_AREAS,
	PS_ALL_AREAS,
	PS_SLUG_TAKEN,
	PS_PERSON,
	PS_INSERT,
	PS_VERSION_ADD,
	PS_AREA_ADD,
	PS_AREAS_CLEAR,
	PS_ADMIN_LIST,
	PS_ADMIN_GET,
	PS_APPROVE,
	PS_REJECT,
	PS_DISSOLVE,
	PS_ARCHIVE,
	PS_INVITE,
	PS_CHARTER,
	PS_CHARTER_SET,
	PS_VERSIONS,
	PS_VERSION,
	PS_PROPOSED,
	PS_INDEX_ONE,
	PS_INDEX_ALL,
	PS_PARTIES__MAX,
};

static const char *const parties_sql_text[PS_PARTIES__MAX] = {
	/* the Alliance's parties: approved ones, active first */
	[PS_LIST] = "SELECT slug, name, summary, state FROM parties"
		    " WHERE state IN " PUBLIC_STATES
		    " ORDER BY CASE state WHEN 'active' THEN 0"
		    " WHEN 'dissolved' THEN 1 ELSE 2 END, name, id",
	/* binds: the viewer's level twice, the party */
	[PS_TEXT] = "SELECT objectives_md, rationale_md, closing_report_md,"
		    " dissolution_reason, formed, proposed_at, approved_at,"
		    " rejected_at, CASE WHEN state = 'rejected'"
		    " THEN rejection_reason END AS rejection_reason,"
		    " dissolved_at, archived_at, charter_version,"
		    " CASE WHEN " PARTY_VISIBLE("rules_visibility")
		    " THEN rules_md END AS rules_md,"
		    " CASE WHEN rules_md <> '' AND NOT "
		    PARTY_VISIBLE("rules_visibility")
		    " THEN 1 ELSE 0 END AS rules_hidden"
		    " FROM parties WHERE id = ?",
	[PS_AREAS] = "SELECT fa.slug, fa.name FROM party_focal_areas x"
		     " JOIN focal_areas fa ON fa.id = x.focal_area_id"
		     " WHERE x.party_id = ? ORDER BY fa.position, fa.id",
	/* the areas a party may choose: those not retired, and those it
	 * has already (binds the party, 0 for a proposal) */
	[PS_ALL_AREAS] = "SELECT slug, name FROM focal_areas"
			 " WHERE retired_at IS NULL OR id IN"
			 " (SELECT focal_area_id FROM party_focal_areas"
			 "  WHERE party_id = ?)"
			 " ORDER BY position, id",
	[PS_SLUG_TAKEN] = "SELECT 1 FROM parties WHERE slug = ?",
	[PS_PERSON] = "SELECT id FROM people WHERE lower(email) = lower(?)"
		      " AND disabled_at IS NULL ORDER BY id LIMIT 1",
	[PS_INSERT] = "INSERT INTO parties (slug, name, summary, rationale_md,"
		      " objectives_md, rules_md, charter_version, state,"
		      " join_policy, initial_team, proposed_by, proposed_at,"
		      " updated_at)"
		      " VALUES (?, ?, ?, ?, ?, '', 1, 'proposed', ?, ?, ?, ?, ?)"
		      " RETURNING id",
	[PS_VERSION_ADD] = "INSERT INTO party_charter_versions (party_id,"
			   " version, objectives_md, rules_md, note,"
			   " author_id, created_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?)",
	[PS_AREA_ADD] = "INSERT INTO party_focal_areas (party_id, focal_area_id)"
			" SELECT ?, id FROM focal_areas WHERE slug = ?",
	[PS_AREAS_CLEAR] = "DELETE FROM party_focal_areas WHERE party_id = ?",
	/* proposals first (oldest first: they wait longest), then by state
	 * and name; binds: the limit, the offset */
	[PS_ADMIN_LIST] =
		"SELECT x.slug, x.name, x.state, x.proposed_at,"
		" x.approved_at, x.rejected_at, x.dissolved_at, x.archived_at,"
		" p.name AS proposer_name FROM parties x"
		" LEFT JOIN people p ON p.id = x.proposed_by"
		" ORDER BY CASE x.state WHEN 'proposed' THEN 0"
		" WHEN 'active' THEN 1 WHEN 'dissolved' THEN 2"
		" WHEN 'archived' THEN 3 ELSE 4 END,"
		" CASE WHEN x.state = 'proposed' THEN x.proposed_at END,"
		" x.name, x.id LIMIT ? OFFSET ?",
	[PS_ADMIN_GET] =
		"SELECT x.objectives_md, x.rules_md, x.rationale_md,"
		" x.initial_team, x.proposed_at, x.approved_at, x.rejected_at,"
		" x.rejection_reason, x.dissolved_at, x.dissolution_reason,"
		" x.closing_report_md, x.archived_at, x.charter_version,"
		" p.name AS proposer_name, p.email AS proposer_email,"
		" d.name AS decided_by_name FROM parties x"
		" LEFT JOIN people p ON p.id = x.proposed_by"
		" LEFT JOIN people d ON d.id = x.decided_by WHERE x.id = ?",
	/* each step only from the state before it: binds then the id */
	[PS_APPROVE] = "UPDATE parties SET state = 'active', approved_at = ?,"
		       " decided_by = ?, updated_at = ?"
		       " WHERE id = ? AND state = 'proposed'",
	[PS_REJECT] = "UPDATE parties SET state = 'rejected', rejected_at = ?,"
		      " rejection_reason = ?, decided_by = ?, updated_at = ?"
		      " WHERE id = ? AND state = 'proposed'",
	[PS_DISSOLVE] = "UPDATE parties SET state = 'dissolved',"
			" dissolved_at = ?, dissolution_reason = ?,"
			" closing_report_md = ?, updated_at = ?"
			" WHERE id = ? AND state = 'active'",
	[PS_ARCHIVE] = "UPDATE parties SET state = 'archived', archived_at = ?,"
		       " updated_at = ? WHERE id = ? AND state = 'dissolved'",
	/* an initial-team address becomes an invitation from the proposer
	 * (not for the proposer, one who holds a role in it, nor twice);
	 * binds: party, proposer, now, address, proposer, party, slug */
	[PS_INVITE] =
		"INSERT INTO party_requests (party_id, person_id, kind, role,"
		" state, created_by, created_at)"
		" SELECT ?, pe.id, 'invitation', 'member', 'pending', ?, ?"
		" FROM people pe WHERE lower(pe.email) = lower(?)"
		" AND pe.disabled_at IS NULL AND pe.id <> ?"
		" AND NOT EXISTS (SELECT 1 FROM party_requests q"
		"  WHERE q.party_id = ? AND q.person_id = pe.id"
		"  AND q.state = 'pending')"
		" AND NOT EXISTS (SELECT 1 FROM object_roles o"
		"  WHERE o.person_id = pe.id AND o.object_type = 'party'"
		"  AND o.object_id = ?)",
	[PS_CHARTER] = "SELECT objectives_md, rules_md, charter_version,"
		       " join_policy, rules_visibility, team_visibility"
		       " FROM parties WHERE id = ?",
	/* binds: objectives, rules, join, rules and team visibility, now,
	 * the party, the version it was read at */
	[PS_CHARTER_SET] =
		"UPDATE parties SET objectives_md = ?, rules_md = ?,"
		" charter_version = charter_version + 1, join_policy = ?,"
		" rules_visibility = ?, team_visibility = ?, updated_at = ?"
		" WHERE id = ? AND charter_version = ?",
	/* binds: the viewer's level twice, the party, limit, offset */
	[PS_VERSIONS] =
		"SELECT v.version, v.note, v.created_at,"
		" CASE WHEN " AUTHOR_NAMED " THEN a.name END AS author"
		" FROM party_charter_versions v"
		" LEFT JOIN people a ON a.id = v.author_id"
		" WHERE v.party_id = ? ORDER BY v.version DESC LIMIT ? OFFSET ?",
	/* binds: the viewer's level (rules), twice (author), the party and
	 * the version */
	[PS_VERSION] =
		"SELECT v.version, v.objectives_md,"
		" CASE WHEN " PARTY_VISIBLE("x.rules_visibility")
		" THEN v.rules_md END AS rules_md, v.note, v.created_at,"
		" CASE WHEN " AUTHOR_NAMED " THEN a.name END AS author,"
		" x.charter_version AS latest"
		" FROM party_charter_versions v"
		" JOIN parties x ON x.id = v.party_id"
		" LEFT JOIN people a ON a.id = v.author_id"
		" WHERE v.party_id = ? AND v.version = ?",
	[PS_PROPOSED] = "SELECT count(*) FROM parties WHERE state = 'proposed'",
	/* what everyone may read of a party, for the search index */
	[PS_INDEX_ONE] = "SELECT slug, name, summary, objectives_md,"
			 " CASE WHEN rules_visibility = 'public' THEN rules_md"
			 " ELSE '' END, state IN " PUBLIC_STATES
			 " FROM parties WHERE id = ?",
	/* the parties the Alliance shows that have no document yet (the
	 * seeded ones, never approved through the desk) */
	[PS_INDEX_ALL] = "SELECT slug, name, summary, objectives_md,"
			 " CASE WHEN rules_visibility = 'public' THEN rules_md"
			 " ELSE '' END, 1 FROM parties p"
			 " WHERE state IN " PUBLIC_STATES " AND NOT EXISTS"
			 " (SELECT 1 FROM search_index x"
			 "  WHERE x.kind = 'party' AND x.slug = p.slug)"
			 " ORDER BY id",
};

static struct db_sql parties_sql = {"parties", parties_sql_text,
				    PS_PARTIES__MAX, 0};

static const char *const join_values[] = {"approval", "open", NULL};
static const char *const join_labels[] = {
	N_("By approval of the chairs"),
	N_("Open: members of the Alliance join at once"),
};

/* What the secretariat's page says after a step sent it back there. */
static const char *const done_values[] = {"approved", "rejected", "dissolved",
					  "archived", NULL};

static void
read_failed(struct req *r, struct resp *w)
{
	resp_fail(r, w, _("The working party could not be read."));
}

static const char *
str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Adds key_iso and key_text (a date people read) to one object. */
static void
add_time(json_t *o, const char *key)
{
	json_t *one = json_array();

	json_array_append(one, o);
	render_add_times(one, key);
	json_decref(one);
}

/* [{value, label, selected}] for radio buttons, labels translated. */
static json_t *
options(const char *const *values, const char *const *labels,
	const char *current)
{
	json_t *a = json_array();

	for (size_t i = 0; values[i]; i++)
		json_array_append_new(
			a, json_pack("{s:s,s:s,s:b}", "value", values[i],
				     "label", _(labels[i]), "selected",
				     current && !strcmp(current, values[i])));
	return a;
}

/* The focal areas [{slug, name, chosen}] party (0: a proposal) may
 * choose -- those not retired and its own --, chosen from the form when
 * it was sent, else from party.  NULL on a database error. */
static json_t *
areas_model(struct req *r, int64_t party)
{
	const struct field_values *fv = req_values(r, "focal");
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_ALL_AREAS);
	json_t *all, *mine = NULL, *row, *m;
	size_t i, k;

	if (st == NULL)
		return NULL;
	db_bind_int(st, 1, party);
	if ((all = db_all_json(st)) == NULL)
		return NULL;
	if (r->method != HTTP_POST && party > 0) {
		if ((st = db_stmt(r->db, &parties_sql, PS_AREAS)) == NULL ||
		    (db_bind_int(st, 1, party),
		     (mine = db_all_json(st)) == NULL)) {
			json_decref(all);
			return NULL;
		}
	}
	json_array_foreach(all, i, row) {
		const char *slug = str_of(row, "slug");
		int chosen = 0;

		for (k = 0; r->method == HTTP_POST && fv && k < fv->n; k++)
			chosen |= fv->v[k].present && slug &&
				  strcmp(fv->v[k].str, slug) == 0;
		json_array_foreach(mine, k, m) chosen |=
			slug && str_of(m, "slug") &&
			strcmp(str_of(m, "slug"), slug) == 0;
		json_object_set_new(row, "chosen", json_boolean(chosen));
	}
	json_decref(mine);
	return all;
}

/* Each focal area sent is a listed one; an error on "focal" if not. */
static void
check_areas(struct req *r, json_t *areas)
{
	const struct field_values *fv = req_values(r, "focal");
	json_t *row;
	size_t i;

	for (size_t k = 0; fv && k < fv->n; k++) {
		int known = 0;

		if (!fv->v[k].present)
			continue;
		json_array_foreach(areas, i, row) known |=
			str_of(row, "slug") &&
			strcmp(str_of(row, "slug"), fv->v[k].str) == 0;
		if (!known)
			req_error(r, "focal",
				  _("Focal areas: choose among the listed "
				    "ones."));
	}
}

/* Replaces the focal areas of party with those sent; 0 or -1. */
static int
save_areas(struct req *r, int64_t party)
{
	const struct field_values *fv = req_values(r, "focal");
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_AREAS_CLEAR);

	if (st == NULL)
		return -1;
	db_bind_int(st, 1, party);
	if (db_run(st) != 0)
		return -1;
	for (size_t k = 0; fv && k < fv->n; k++) {
		int dup = 0;

		if (!fv->v[k].present)
			continue;
		for (size_t j = 0; j < k; j++)
			dup |= fv->v[j].present &&
			       strcmp(fv->v[j].str, fv->v[k].str) == 0;
		if (dup)
			continue;
		if ((st = db_stmt(r->db, &parties_sql, PS_AREA_ADD)) == NULL)
			return -1;
		db_bind_int(st, 1, party);
		db_bind_text(st, 2, fv->v[k].str);
		if (db_run(st) != 0)
			return -1;
	}
	return 0;
}

/* The party's page, or the secretariat's page of it. */
static const char *
party_href(struct req *r, const char *prefix, const char *slug,
	   const char *suffix)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_puts(&b, prefix);
	esc_url_component(&b, slug, strlen(slug));
	buf_puts(&b, suffix);
	out = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* ---- the search index ---- */

/* The party's document as it is now (inside the caller's transaction). */
static int
index_party(struct db *db, int64_t id)
{
	return search_put_one(db, PARTY_KIND, &parties_sql, PS_INDEX_ONE, id);
}

/* Every party the Alliance shows that is not in the index yet gets its
 * document: the seeded ones, which were never approved through the desk.
 * By `alliance init` (a new deployment) and at every start (one that
 * migrated to them); a start that finds them all indexed writes nothing,
 * so several nodes starting do not rewrite the index. */
static int
index_missing(struct db *db)
{
	return search_put_rows(db, PARTY_KIND, &parties_sql, PS_INDEX_ALL);
}

static int
parties_start(struct db *db, int64_t now)
{
	(void)now;
	return index_missing(db);
}

static int
parties_created(const struct config *c, struct db *db)
{
	(void)c;
	return index_missing(db);
}

/* ---- the public pages ---- */

/* GET /working-parties */
static void
parties_index(struct req *r, struct resp *w)
{
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_LIST);
	json_t *rows = st ? db_all_json(st) : NULL, *row;
	size_t i;
	int member = 0;

	if (rows == NULL)
		return read_failed(r, w);
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "state_label",
				    json_string(party_state_label(
					    str_of(row, "state"))));
		json_object_set_new(
			row, "open",
			json_boolean(str_of(row, "state") &&
				     !strcmp(str_of(row, "state"), "active")));
	}
	if (r->person) {
		w->flags |= ROUTE_PERSONAL;
		if (organisations_viewer_is_member(r, &member) < 0) {
			json_decref(rows);
			return read_failed(r, w);
		}
	}
	resp_page(w, 200, "parties/templates/index.html", _("Working parties"),
		  json_pack("{s:o,s:b}", "parties", rows, "may_propose",
			    member));
}

/* Markdown column key of o rendered as key_html (safe mode). */
static void
render_md(json_t *o, const char *key)
{
	char html_key[64];
	const char *md = str_of(o, key);

	snprintf(html_key, sizeof html_key, "%.*s_html",
		 (int)(strlen(key) - 3), key);
	if (md && *md)
		json_object_set_new(o, html_key, render_markdown(md));
	json_object_del(o, key);
}

/* The dated steps of a party's life in text (its row's *_at): [{label,
 * at_iso, at_text}] in the order they happened. */
static json_t *
steps_of(json_t *text)
{
	static const char *const keys[] = {"proposed_at", "approved_at",
					   "rejected_at", "dissolved_at",
					   "archived_at"};
	static const char *const labels[] = {
		N_("Proposed"),	 N_("Approved"), N_("Not approved"),
		N_("Dissolved"), N_("Archived"),
	};
	json_t *steps = json_array();

	for (size_t i = 0; i < ARRAY_LEN(keys); i++) {
		json_t *at = json_object_get(text, keys[i]);

		if (json_is_integer(at))
			json_array_append_new(
				steps, json_pack("{s:s,s:O}", "label",
						 _(labels[i]), "at", at));
	}
	render_add_times(steps, "at");
	return steps;
}

/* GET /working-parties/:slug: the party's charter and every part its
 * files add, as the viewer may see them. */
static void
parties_show(struct req *r, struct resp *w)
{
	int (*const sections[])(struct req *, const struct party *,
				const struct party_viewer *, json_t *) = {
		party_team_section,	 party_meetings_section,
		party_resources_section, party_decisions_section,
		party_reports_section,	 party_articles_section,
	};
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *model, *text, *areas;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	if ((st = db_stmt(r->db, &parties_sql, PS_TEXT)) == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, v.level);
	db_bind_int(st, 2, v.level);
	db_bind_int(st, 3, p.id);
	if ((text = db_one_json(st)) == NULL || !json_is_object(text)) {
		json_decref(text);
		return read_failed(r, w);
	}
	if ((st = db_stmt(r->db, &parties_sql, PS_AREAS)) == NULL ||
	    (db_bind_int(st, 1, p.id), (areas = db_all_json(st)) == NULL)) {
		json_decref(text);
		return read_failed(r, w);
	}
	render_md(text, "objectives_md");
	render_md(text, "rules_md");
	render_md(text, "rationale_md");
	render_md(text, "closing_report_md");
	json_object_set_new(text, "steps", steps_of(text));
	json_object_set_new(text, "rules_visibility_label",
			    json_string(party_visibility_label(
				    p.rules_visibility)));
	json_object_set_new(text, "join_policy_label",
			    json_string(_(join_labels[strcmp(p.join_policy,
							     "open") == 0])));
	model = json_pack("{s:o,s:o,s:o,s:b}", "party", party_json(&p, &v),
			  "charter", text, "focal_areas", areas, "may_edit",
			  v.manages && (!strcmp(p.state, "active") ||
					(v.admin && !strcmp(p.state,
							    "proposed"))));
	for (size_t i = 0; i < ARRAY_LEN(sections); i++)
		if (sections[i](r, &p, &v, model) < 0) {
			json_decref(model);
			return read_failed(r, w);
		}
	resp_page(w, 200, "parties/templates/show.html", p.name, model);
}

/* ---- proposing ---- */

/* The initial team as sent: addresses, one a line, of people with an
 * account, lower-cased and joined by "\n" (in r's arena); an error on
 * "team" naming those without one.  NULL on a database error. */
static const char *
team_of(struct req *r)
{
	const struct value *t = req_value(r, "team");
	struct buf ok = BUF_INIT, unknown = BUF_INIT;
	const char *out = NULL;
	size_t count = 0;

	for (const char *p = t->present ? t->str : ""; *p;) {
		size_t len = strcspn(p, "\n");
		char *line = arena_strndup(r->arena, p, len);
		char *s = line + strspn(line, " \t"), *e = s + strlen(s);
		struct db_stmt *st;
		int rc;

		p += len + (p[len] == '\n');
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
				 e[-1] == ','))
			*--e = '\0';
		if (*s == '\0')
			continue;
		for (char *c = s; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		if (++count > MAX_TEAM) {
			req_error(r, "team",
				  _("Initial team: name at most 50 people; "
				    "the chairs invite more once the party "
				    "is approved."));
			break;
		}
		if ((st = db_stmt(r->db, &parties_sql, PS_PERSON)) == NULL)
			goto done;
		db_bind_text(st, 1, s);
		rc = db_step(st);
		db_reset(st);
		if (rc == DB_ERROR)
			goto done;
		if (rc == DB_ROW) {
			buf_puts(&ok, s);
			buf_putc(&ok, '\n');
		} else {
			if (unknown.len)
				buf_puts(&unknown, ", ");
			buf_puts(&unknown, s);
		}
	}
	if (unknown.len)
		req_error(r, "team",
			  i18n_text(r->arena,
				    _("Initial team: no one has an account "
				      "with {addresses}. Ask them to sign up "
				      "first, or leave them out."),
				    "addresses", buf_cstr(&unknown), NULL));
	out = arena_strdup(r->arena, buf_cstr(&ok));
done:
	buf_free(&ok);
	buf_free(&unknown);
	return out;
}

/* May r's person propose a party: an administrator, or a person whose
 * organisation is a member.  1, 0, or -1 on a database error. */
static int
may_propose(struct req *r)
{
	int member = 0;

	if (r->person && r->person->role >= ROLE_ADMIN)
		return 1;
	if (organisations_viewer_is_member(r, &member) < 0)
		return -1;
	return member;
}

/* The proposal form (what was sent, with its errors). */
static void
propose_page(struct req *r, struct resp *w, int status)
{
	json_t *in = r->input ? json_deep_copy(r->input) : json_object();
	json_t *areas = areas_model(r, 0), *model;

	if (areas == NULL) {
		json_decref(in);
		return read_failed(r, w);
	}
	model = json_pack("{s:o,s:o,s:o}", "input", in, "focal_areas", areas,
			  "join_options",
			  options(join_values, join_labels,
				  str_of(in, "join_policy")
					  ? str_of(in, "join_policy")
					  : "approval"));
	resp_form_errors(model, r->errors);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "parties/templates/propose.html",
		  _("Propose a working party"), model);
}

/* Those who may not propose: why, and what they can do. */
static void
propose_refused(struct resp *w)
{
	resp_error(w, 403,
		   _("Only people whose organisation is a member of the "
		     "Alliance (and the secretariat) can propose a working "
		     "party. If your organisation is a member, ask its main "
		     "contact to add you as a representative; if it is not, "
		     "it can apply to join."));
}

/* GET /working-parties/propose */
static void
propose_form(struct req *r, struct resp *w)
{
	int ok = may_propose(r);

	if (ok < 0)
		return read_failed(r, w);
	if (!ok) {
		/* a page that says why, not a refusal of the address: the
		 * list links here for members only */
		w->flags |= ROUTE_PERSONAL;
		resp_page(w, 200, "parties/templates/propose_refused.html",
			  _("Propose a working party"), json_object());
		return;
	}
	propose_page(r, w, 200);
}

/* POST /working-parties/propose: the party, proposed, with charter
 * version 1 and its focal areas, in one transaction with its audit
 * record; then its page (which only its proposer, the secretariat and
 * later its team see until it is approved). */
static void
propose_send(struct req *r, struct resp *w)
{
	static const char *const reserved[] = {"propose", NULL};
	const struct value *name = req_value(r, "name");
	const struct value *summary = req_value(r, "summary");
	const struct value *objectives = req_value(r, "objectives");
	const struct value *rationale = req_value(r, "rationale");
	const struct value *join = req_value(r, "join_policy");
	const char *team, *slug;
	json_t *areas;
	struct db_stmt *st;
	int64_t now = clock_now(), id = 0;
	int ok = may_propose(r);

	if (ok < 0)
		return read_failed(r, w);
	if (!ok)
		return propose_refused(w);
	if ((team = team_of(r)) == NULL ||
	    (areas = areas_model(r, 0)) == NULL)
		return read_failed(r, w);
	check_areas(r, areas);
	json_decref(areas);
	if (r->errors)
		return propose_page(r, w, 422);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((slug = slug_new(r->db, r->arena, &parties_sql, PS_SLUG_TAKEN, 0,
			     name->str, "working-party", reserved)) == NULL ||
	    (st = db_stmt(r->db, &parties_sql, PS_INSERT)) == NULL)
		goto fail;
	db_bind_text(st, 1, slug);
	db_bind_text(st, 2, name->str);
	db_bind_text(st, 3, summary->str);
	db_bind_text(st, 4, rationale->str);
	db_bind_text(st, 5, objectives->str);
	db_bind_text(st, 6, join->str);
	db_bind_text(st, 7, team);
	db_bind_int(st, 8, r->person->id);
	db_bind_int(st, 9, now);
	db_bind_int(st, 10, now);
	if (db_one_int(st, &id) != 0 ||
	    (st = db_stmt(r->db, &parties_sql, PS_VERSION_ADD)) == NULL)
		goto fail;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, 1);
	db_bind_text(st, 3, objectives->str);
	db_bind_text(st, 4, "");
	db_bind_text(st, 5, "");
	db_bind_int(st, 6, r->person->id);
	db_bind_int(st, 7, now);
	if (db_run(st) != 0 || save_areas(r, id) != 0 ||
	    audit_record_new(r->db, r->person->id, "party.propose",
			     PARTY_OBJECT, slug, NULL,
			     json_pack("{s:s,s:s,s:s,s:s}", "name", name->str,
				       "summary", summary->str, "join_policy",
				       join->str, "initial_team", team),
			     r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, party_href(r, "/working-parties/", slug, ""));
	return;
fail:
	resp_fail(r, w, NULL);
}

/* ---- the secretariat's desk ---- */

static int
count_proposed(struct req *r, int64_t *n)
{
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_PROPOSED);

	return st ? db_one_int(st, n) : -1;
}

/* GET /admin/working-parties */
static void
admin_index(struct req *r, struct resp *w)
{
	static const char *const keys[] = {"proposed_at", "approved_at",
					   "rejected_at", "dissolved_at",
					   "archived_at"};
	struct pager pg;
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_ADMIN_LIST);
	json_t *rows, *row;
	size_t i;
	int more;

	pager_read(r, PAGE_SIZE, &pg);
	if (st == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, pg.size + 1);
	db_bind_int(st, 2, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(r, w);
	more = pager_trim(rows, pg.size);
	for (i = 0; i < ARRAY_LEN(keys); i++)
		render_add_times(rows, keys[i]);
	json_array_foreach(rows, i, row) {
		json_object_set_new(row, "state_label",
				    json_string(party_state_label(
					    str_of(row, "state"))));
		json_object_set_new(
			row, "proposal",
			json_boolean(str_of(row, "state") &&
				     !strcmp(str_of(row, "state"),
					     "proposed")));
	}
	admin_secretariat_page(
		r, w, 200, "parties/templates/admin_index.html",
		_("Working parties"), "/admin/working-parties",
		json_pack("{s:o,s:o}", "parties", rows, "pager",
			  pager_model(r, &pg, "/admin/working-parties", NULL,
				      more, -1)));
}

/* The secretariat's page of party p with status; failed names the form
 * whose r->errors to show ("reject", "dissolve"), notice a sentence to
 * say at the top. */
static void
admin_party_page(struct req *r, struct resp *w, int status,
		 const struct party *p, const struct party_viewer *v,
		 const char *failed, const char *notice)
{
	static const char *const keys[] = {"proposed_at", "approved_at",
					   "rejected_at", "dissolved_at",
					   "archived_at"};
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_ADMIN_GET);
	json_t *rec, *areas, *team, *model, *in;
	const char *t;

	if (st == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, p->id);
	if ((rec = db_one_json(st)) == NULL || !json_is_object(rec)) {
		json_decref(rec);
		return read_failed(r, w);
	}
	if ((st = db_stmt(r->db, &parties_sql, PS_AREAS)) == NULL ||
	    (db_bind_int(st, 1, p->id), (areas = db_all_json(st)) == NULL)) {
		json_decref(rec);
		return read_failed(r, w);
	}
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		add_time(rec, keys[i]);
	json_object_set_new(rec, "steps", steps_of(rec));
	team = json_array();
	for (t = str_of(rec, "initial_team"); t && *t;) {
		size_t len = strcspn(t, "\n");

		if (len)
			json_array_append_new(team, json_stringn(t, len));
		t += len + (t[len] == '\n');
	}
	json_object_set_new(rec, "initial_team", team);
	render_md(rec, "objectives_md");
	render_md(rec, "rules_md");
	render_md(rec, "rationale_md");
	render_md(rec, "closing_report_md");
	in = r->method == HTTP_POST && r->input ? json_deep_copy(r->input)
						: json_object();
	model = json_pack(
		"{s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:b,s:s,s:s}", "party",
		party_json(p, v), "record", rec, "focal_areas", areas, "input",
		in, "can_approve", !strcmp(p->state, "proposed"), "can_reject",
		!strcmp(p->state, "proposed"), "can_dissolve",
		!strcmp(p->state, "active"), "can_archive",
		!strcmp(p->state, "dissolved"), "join_policy_label",
		_(join_labels[strcmp(p->join_policy, "open") == 0]),
		"rules_visibility_label",
		party_visibility_label(p->rules_visibility));
	json_object_set_new(model, "team_visibility_label",
			    json_string(party_visibility_label(
				    p->team_visibility)));
	if (notice)
		json_object_set_new(model, "notice", json_string(notice));
	if (failed && r->errors) {
		json_object_set_new(model, failed, json_true());
		resp_form_errors_id(model, r->errors,
				    arena_printf(r->arena, "%s-", failed), "");
	}
	admin_secretariat_page(
		r, w, status, "parties/templates/admin_party.html",
		i18n_text(r->arena, _("Working party: {name}"), "name", p->name,
			  NULL),
		NULL, model);
}

/* GET /admin/working-parties/:slug */
static void
admin_party(struct req *r, struct resp *w)
{
	static const char *const notices[] = {
		N_("The working party is approved: its proposer is its chair "
		   "and the initial team is invited. The step is in the audit "
		   "log."),
		N_("The proposal is not approved. The step is in the audit "
		   "log."),
		N_("The working party is dissolved. The step is in the audit "
		   "log."),
		N_("The working party is archived. The step is in the audit "
		   "log."),
	};
	const struct value *done = req_value(r, "done");
	const char *notice = NULL;
	struct party p;
	struct party_viewer v;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	for (size_t i = 0; done->present && done_values[i]; i++)
		if (strcmp(done->str, done_values[i]) == 0)
			notice = _(notices[i]);
	admin_party_page(r, w, 200, &p, &v, NULL, notice);
}

/* Answers 409 saying why the step does not fit the party's state. */
static void
wrong_state(struct req *r, struct resp *w, const struct party *p,
	    const char *needs)
{
	const char *now = party_state_label(p->state);

	if (strcmp(needs, "proposed") == 0)
		resp_error(w, 409,
			   i18n_text(r->arena, _("Only a proposal can be approved "
					     "or turned down; this working "
					     "party is {state}."),
				     "state", now, NULL));
	else if (strcmp(needs, "active") == 0)
		resp_error(w, 409,
			   i18n_text(r->arena, _("Only an active working party "
					     "can be dissolved; this one is "
					     "{state}."),
				     "state", now, NULL));
	else
		resp_error(w, 409,
			   i18n_text(r->arena, _("Only a dissolved working party "
					     "can be archived; this one is "
					     "{state}."),
				     "state", now, NULL));
}

/* Back to the secretariat's page of the party, saying what was done. */
static void
back_to_desk(struct req *r, struct resp *w, const char *slug, const char *done)
{
	resp_redirect(w, party_href(r, "/admin/working-parties/", slug,
				    arena_printf(r->arena, "?done=%s", done)));
}

/* The proposer chairs the party; each address of the initial team is
 * invited as a member, from the proposer.  0 or -1. */
static int
seat_team(struct req *r, const struct party *p, int64_t now)
{
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_ADMIN_GET);
	const char *team;

	if (p->proposed_by == 0)
		return 0;
	if (auth_grant(r->db, p->proposed_by, PARTY_OBJECT, p->slug, "chair",
		       now) != 0 ||
	    st == NULL)
		return -1;
	db_bind_int(st, 1, p->id);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return -1;
	}
	team = arena_strdup(r->arena, db_col_text(st, 3));
	db_reset(st);
	for (const char *t = team ? team : ""; *t;) {
		size_t len = strcspn(t, "\n");

		if (len) {
			if ((st = db_stmt(r->db, &parties_sql, PS_INVITE)) ==
			    NULL)
				return -1;
			db_bind_int(st, 1, p->id);
			db_bind_int(st, 2, p->proposed_by);
			db_bind_int(st, 3, now);
			db_bind_textn(st, 4, t, len);
			db_bind_int(st, 5, p->proposed_by);
			db_bind_int(st, 6, p->id);
			db_bind_text(st, 7, p->slug);
			if (db_run(st) != 0)
				return -1;
		}
		t += len + (t[len] == '\n');
	}
	return 0;
}

enum step { STEP_APPROVE, STEP_REJECT, STEP_DISSOLVE, STEP_ARCHIVE };

/* One step of the desk: checks the state and the fields, makes the
 * change in one transaction with its audit record and the search index,
 * and goes back to the desk's page of the party. */
static void
desk_step(struct req *r, struct resp *w, enum step step)
{
	static const char *const needs[] = {"proposed", "proposed", "active",
					    "dissolved"};
	static const char *const actions[] = {"party.approve", "party.reject",
					      "party.dissolve",
					      "party.archive"};
	static const char *const states[] = {"active", "rejected",
					     "dissolved", "archived"};
	const struct value *reason = req_value(r, "reason");
	const struct value *report = req_value(r, "report");
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	int64_t now = clock_now();
	int n = 1;
	json_t *after;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (strcmp(p.state, needs[step]) != 0)
		return wrong_state(r, w, &p, needs[step]);
	if (r->errors)
		return admin_party_page(r, w, 422, &p, &v,
					step == STEP_REJECT ? "reject"
							    : "dissolve",
					NULL);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &parties_sql,
			  (enum stmt_parties)(PS_APPROVE + step))) == NULL)
		goto fail;
	db_bind_int(st, n++, now);
	if (step == STEP_REJECT || step == STEP_DISSOLVE)
		db_bind_text(st, n++, reason->str);
	if (step == STEP_DISSOLVE)
		db_bind_text(st, n++, report->str);
	if (step == STEP_APPROVE || step == STEP_REJECT)
		db_bind_int(st, n++, r->person->id);
	db_bind_int(st, n++, now);
	db_bind_int(st, n++, p.id);
	if (db_run(st) != 0)
		goto fail;
	if (db_changes(r->db) != 1) {
		/* changed meanwhile by another request */
		db_rollback(r->db);
		return wrong_state(r, w, &p, needs[step]);
	}
	if (step == STEP_APPROVE && seat_team(r, &p, now) != 0)
		goto fail;
	after = json_pack("{s:s}", "state", states[step]);
	if (step == STEP_REJECT || step == STEP_DISSOLVE)
		json_object_set_new(after, "reason", json_string(reason->str));
	if (step == STEP_DISSOLVE)
		json_object_set_new(after, "closing_report",
				    json_string(report->str));
	if (index_party(r->db, p.id) != 0 ||
	    audit_record_new(r->db, r->person->id, actions[step], PARTY_OBJECT,
			     p.slug, json_pack("{s:s}", "state", p.state),
			     after, r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	back_to_desk(r, w, p.slug, done_values[step]);
	return;
fail:
	resp_fail(r, w, NULL);
}

static void
desk_approve(struct req *r, struct resp *w)
{
	desk_step(r, w, STEP_APPROVE);
}

static void
desk_reject(struct req *r, struct resp *w)
{
	desk_step(r, w, STEP_REJECT);
}

static void
desk_dissolve(struct req *r, struct resp *w)
{
	desk_step(r, w, STEP_DISSOLVE);
}

static void
desk_archive(struct req *r, struct resp *w)
{
	desk_step(r, w, STEP_ARCHIVE);
}

/* ---- the charter ---- */

/* The charter may be changed: an active party by its chairs (the route's
 * rule), a proposal by the secretariat only.  0, or 1 with a 409 in w. */
static int
charter_open_or_respond(struct resp *w, const struct party *p,
			const struct party_viewer *v)
{
	if (v->admin && strcmp(p->state, "proposed") == 0)
		return 0;
	return party_open_or_respond(w, p);
}

/* The charter form: the stored charter, or what was sent with errors. */
static void
charter_page(struct req *r, struct resp *w, int status, const struct party *p,
	     const struct party_viewer *v)
{
	struct db_stmt *st = db_stmt(r->db, &parties_sql, PS_CHARTER);
	json_t *in, *row, *areas, *model;

	if (st == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, p->id);
	if ((row = db_one_json(st)) == NULL || !json_is_object(row)) {
		json_decref(row);
		return read_failed(r, w);
	}
	if (r->method == HTTP_POST && r->input)
		in = json_deep_copy(r->input);
	else
		in = json_pack("{s:O,s:O,s:O,s:O,s:O}", "objectives",
			       json_object_get(row, "objectives_md"), "rules",
			       json_object_get(row, "rules_md"), "join_policy",
			       json_object_get(row, "join_policy"),
			       "rules_visibility",
			       json_object_get(row, "rules_visibility"),
			       "team_visibility",
			       json_object_get(row, "team_visibility"));
	if (in == NULL || (areas = areas_model(r, p->id)) == NULL) {
		json_decref(row);
		json_decref(in);
		return read_failed(r, w);
	}
	model = json_pack(
		"{s:o,s:o,s:o,s:O,s:o,s:o,s:o}", "party", party_json(p, v),
		"input", in, "focal_areas", areas, "version",
		json_object_get(row, "charter_version"), "join_options",
		options(join_values, join_labels, str_of(in, "join_policy")),
		"rules_visibility_options",
		options(party_visibility_values, party_visibility_labels,
			str_of(in, "rules_visibility")),
		"team_visibility_options",
		options(party_visibility_values, party_visibility_labels,
			str_of(in, "team_visibility")));
	json_object_set_new(
		model, "next_version",
		json_integer(json_integer_value(
				     json_object_get(row, "charter_version")) +
			     1));
	json_decref(row);
	resp_form_errors(model, r->errors);
	w->flags |= ROUTE_PERSONAL;
	resp_page(w, status, "parties/templates/charter_edit.html",
		  i18n_text(r->arena, _("The charter of {name}"), "name",
			    p->name, NULL),
		  model);
}

/* GET /working-parties/:slug/charter */
static void
charter_form(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    charter_open_or_respond(w, &p, &v) != 0)
		return;
	charter_page(r, w, 200, &p, &v);
}

/* POST /working-parties/:slug/charter: a new version of the charter, the
 * party's row and focal areas, in one transaction with its audit record
 * and the party's document in the search index. */
static void
charter_save(struct req *r, struct resp *w)
{
	const struct value *objectives = req_value(r, "objectives");
	const struct value *rules = req_value(r, "rules");
	const struct value *note = req_value(r, "note");
	const struct value *join = req_value(r, "join_policy");
	const struct value *rv = req_value(r, "rules_visibility");
	const struct value *tv = req_value(r, "team_visibility");
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *areas, *before;
	int64_t now = clock_now(), version;

	if (party_from_route(r, w, &p, &v) != 0 ||
	    charter_open_or_respond(w, &p, &v) != 0)
		return;
	if ((areas = areas_model(r, p.id)) == NULL)
		return read_failed(r, w);
	check_areas(r, areas);
	json_decref(areas);
	if (r->errors)
		return charter_page(r, w, 422, &p, &v);
	if (db_begin(r->db) != 0)
		return resp_fail(r, w, NULL);
	if ((st = db_stmt(r->db, &parties_sql, PS_CHARTER)) == NULL)
		goto fail;
	db_bind_int(st, 1, p.id);
	if ((before = db_one_json(st)) == NULL || !json_is_object(before)) {
		json_decref(before);
		goto fail;
	}
	version = json_integer_value(json_object_get(before,
						     "charter_version"));
	if ((st = db_stmt(r->db, &parties_sql, PS_CHARTER_SET)) == NULL) {
		json_decref(before);
		goto fail;
	}
	db_bind_text(st, 1, objectives->str);
	db_bind_text(st, 2, rules->present ? rules->str : "");
	db_bind_text(st, 3, join->str);
	db_bind_text(st, 4, rv->str);
	db_bind_text(st, 5, tv->str);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, p.id);
	db_bind_int(st, 8, version);
	if (db_run(st) != 0 || db_changes(r->db) != 1 ||
	    (st = db_stmt(r->db, &parties_sql, PS_VERSION_ADD)) == NULL) {
		json_decref(before);
		goto fail;
	}
	db_bind_int(st, 1, p.id);
	db_bind_int(st, 2, version + 1);
	db_bind_text(st, 3, objectives->str);
	db_bind_text(st, 4, rules->present ? rules->str : "");
	db_bind_text(st, 5, note->present ? note->str : "");
	db_bind_int(st, 6, r->person->id);
	db_bind_int(st, 7, now);
	if (db_run(st) != 0 || save_areas(r, p.id) != 0 ||
	    index_party(r->db, p.id) != 0 ||
	    audit_record_new(
		    r->db, r->person->id, "party.charter", PARTY_OBJECT, p.slug,
		    before,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "charter_version",
			      (json_int_t)(version + 1), "objectives_md",
			      objectives->str, "rules_md",
			      rules->present ? rules->str : "", "note",
			      note->present ? note->str : "", "join_policy",
			      join->str, "rules_visibility", rv->str,
			      "team_visibility", tv->str),
		    r->client) != 0 ||
	    db_commit(r->db) != 0)
		goto fail;
	resp_redirect(w, party_href(r, "/working-parties/", p.slug, ""));
	return;
fail:
	resp_fail(r, w, NULL);
}

/* GET /working-parties/:slug/charter/versions: who changed the charter,
 * when, and what they said changed, newest first. */
static void
charter_versions(struct req *r, struct resp *w)
{
	struct party p;
	struct party_viewer v;
	struct pager pg;
	struct db_stmt *st;
	json_t *rows;
	int more;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	pager_read(r, PAGE_SIZE, &pg);
	if ((st = db_stmt(r->db, &parties_sql, PS_VERSIONS)) == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, v.level);
	db_bind_int(st, 2, v.level);
	db_bind_int(st, 3, p.id);
	db_bind_int(st, 4, pg.size + 1);
	db_bind_int(st, 5, pager_offset(&pg));
	if ((rows = db_all_json(st)) == NULL)
		return read_failed(r, w);
	more = pager_trim(rows, pg.size);
	render_add_times(rows, "created_at");
	resp_page(w, 200, "parties/templates/charter_versions.html",
		  i18n_text(r->arena, _("The charter of {name}: its versions"),
			    "name", p.name, NULL),
		  json_pack("{s:o,s:o,s:o}", "party", party_json(&p, &v),
			    "versions", rows, "pager",
			    pager_model(r, &pg,
					party_href(r, "/working-parties/",
						   p.slug, "/charter/versions"),
					NULL, more, -1)));
}

/* GET /working-parties/:slug/charter/versions/:version: that version,
 * its rules only when the viewer may read the party's rules. */
static void
charter_version(struct req *r, struct resp *w)
{
	const char *s = req_param(r, "version");
	struct party p;
	struct party_viewer v;
	struct db_stmt *st;
	json_t *ver;
	int64_t n = 0, latest;

	if (party_from_route(r, w, &p, &v) != 0)
		return;
	if (r->person)
		w->flags |= ROUTE_PERSONAL;
	for (; s && *s >= '0' && *s <= '9' && n < 1000000000; s++)
		n = n * 10 + (*s - '0');
	if (s == NULL || *s != '\0' || n < 1) {
		resp_error(w, 404, _("There is no such version of the charter."));
		return;
	}
	if ((st = db_stmt(r->db, &parties_sql, PS_VERSION)) == NULL)
		return read_failed(r, w);
	db_bind_int(st, 1, v.level);
	db_bind_int(st, 2, v.level);
	db_bind_int(st, 3, v.level);
	db_bind_int(st, 4, p.id);
	db_bind_int(st, 5, n);
	if ((ver = db_one_json(st)) == NULL)
		return read_failed(r, w);
	if (!json_is_object(ver)) {
		json_decref(ver);
		resp_error(w, 404, _("There is no such version of the charter."));
		return;
	}
	latest = json_integer_value(json_object_get(ver, "latest"));
	json_object_del(ver, "latest");
	render_md(ver, "objectives_md");
	render_md(ver, "rules_md");
	add_time(ver, "created_at");
	if (n > 1)
		json_object_set_new(ver, "previous", json_integer(n - 1));
	if (n < latest)
		json_object_set_new(ver, "next", json_integer(n + 1));
	json_object_set_new(ver, "current", json_boolean(n == latest));
	resp_page(w, 200, "parties/templates/charter_version.html",
		  i18n_text(r->arena, _("The charter of {name}, version {n}"),
			    "name", p.name, "n",
			    arena_printf(r->arena, "%lld", (long long)n), NULL),
		  json_pack("{s:o,s:o}", "party", party_json(&p, &v),
			    "version", ver));
}

/* ---- the tables ---- */

static const struct field propose_fields[] = {
	{.name = "name", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 120, .label = N_("Name")},
	{.name = "summary", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 400, .label = N_("Summary")},
	{.name = "objectives", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 20000, .label = N_("Objectives")},
	{.name = "rationale", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 20000, .label = N_("Why the Alliance needs it")},
	{.name = "team", .type = FT_TEXTAREA, .maxlen = 5000,
	 .label = N_("Initial team")},
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI, .maxlen = 60,
	 .label = N_("Focal areas")},
	{.name = "join_policy", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = join_values, .label = N_("Who may join")},
	{0},
};

static const struct field charter_fields[] = {
	{.name = "objectives", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 20000, .label = N_("Objectives")},
	{.name = "rules", .type = FT_TEXTAREA, .maxlen = 40000,
	 .label = N_("Rules of engagement")},
	{.name = "note", .type = FT_TEXT, .flags = FIELD_REQUIRED,
	 .maxlen = 300, .label = N_("What changed")},
	{.name = "focal", .type = FT_SLUG, .flags = FIELD_MULTI, .maxlen = 60,
	 .label = N_("Focal areas")},
	{.name = "join_policy", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = join_values, .label = N_("Who may join")},
	{.name = "rules_visibility", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = party_visibility_values,
	 .label = N_("Who may read the rules of engagement")},
	{.name = "team_visibility", .type = FT_CHOICE, .flags = FIELD_REQUIRED,
	 .choices = party_visibility_values,
	 .label = N_("Who may see the team")},
	{0},
};

static const struct field page_fields[] = {
	{.name = "page", .type = FT_INT, .min = 1, .max = 1000000,
	 .label = N_("Page")},
	{0},
};

static const struct field desk_fields[] = {
	{.name = "done", .type = FT_CHOICE, .choices = done_values},
	{0},
};

static const struct field reject_fields[] = {
	{.name = "reason", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 5000, .label = N_("Reason")},
	{0},
};

static const struct field dissolve_fields[] = {
	{.name = "reason", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 5000, .label = N_("Reason")},
	{.name = "report", .type = FT_TEXTAREA, .flags = FIELD_REQUIRED,
	 .maxlen = 40000, .label = N_("Closing report")},
	{0},
};

#define A ACCESS_ADMIN
#define P ROUTE_PERSONAL
#define MANAGE                                                                 \
	.action = "party.manage", .object_type = PARTY_OBJECT,                 \
	.object_param = "slug"

static const struct route parties_routes[] = {
	{.method = HTTP_GET,
	 .pattern = "/working-parties",
	 .who = ACCESS_PUBLIC,
	 .handler = parties_index,
	 .summary = "The working parties: active, dissolved and archived"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/propose",
	 .who = ACCESS_MEMBER,
	 .handler = propose_form,
	 .flags = ROUTE_FORM,
	 .summary = "The form that proposes a working party (members of a "
		    "member organisation and the secretariat)"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/propose",
	 .who = ACCESS_MEMBER,
	 .fields = propose_fields,
	 .handler = propose_send,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Proposes a working party to the secretariat"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug",
	 .who = ACCESS_PUBLIC,
	 .handler = parties_show,
	 .flags = ROUTE_CLOCK,
	 .summary = "One working party: its charter, team, schedule, "
		    "resources, reports, articles and decisions, as the "
		    "viewer may see them"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/charter",
	 .who = ACCESS_MEMBER,
	 .handler = charter_form,
	 .flags = ROUTE_FORM,
	 MANAGE,
	 .summary = "The form that changes a working party's charter"},
	{.method = HTTP_POST,
	 .pattern = "/working-parties/:slug/charter",
	 .who = ACCESS_MEMBER,
	 .fields = charter_fields,
	 .handler = charter_save,
	 .flags = ROUTE_OWN_ERRORS | P,
	 MANAGE,
	 .summary = "Saves a new version of a working party's charter"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/charter/versions",
	 .who = ACCESS_PUBLIC,
	 .fields = page_fields,
	 .handler = charter_versions,
	 .summary = "The versions of a working party's charter: who changed "
		    "it, when, and what changed"},
	{.method = HTTP_GET,
	 .pattern = "/working-parties/:slug/charter/versions/:version",
	 .who = ACCESS_PUBLIC,
	 .handler = charter_version,
	 .summary = "One version of a working party's charter (its rules "
		    "as the viewer may read them)"},
	{.method = HTTP_GET,
	 .pattern = "/admin/working-parties",
	 .who = A,
	 .fields = page_fields,
	 .handler = admin_index,
	 .flags = P,
	 .summary = "The working parties by state, proposals first"},
	{.method = HTTP_GET,
	 .pattern = "/admin/working-parties/:slug",
	 .who = A,
	 .fields = desk_fields,
	 .handler = admin_party,
	 .flags = ROUTE_FORM | P,
	 .summary = "One working party for the secretariat: its dates and "
		    "the steps that fit its state"},
	{.method = HTTP_POST,
	 .pattern = "/admin/working-parties/:slug/approve",
	 .who = A,
	 .handler = desk_approve,
	 .flags = P,
	 .summary = "Approves a proposed working party: its proposer "
		    "chairs it, its initial team is invited"},
	{.method = HTTP_POST,
	 .pattern = "/admin/working-parties/:slug/reject",
	 .who = A,
	 .fields = reject_fields,
	 .handler = desk_reject,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Turns down a proposed working party, with a reason"},
	{.method = HTTP_POST,
	 .pattern = "/admin/working-parties/:slug/dissolve",
	 .who = A,
	 .fields = dissolve_fields,
	 .handler = desk_dissolve,
	 .flags = ROUTE_OWN_ERRORS | P,
	 .summary = "Dissolves an active working party, with a reason and "
		    "a closing report"},
	{.method = HTTP_POST,
	 .pattern = "/admin/working-parties/:slug/archive",
	 .who = A,
	 .handler = desk_archive,
	 .flags = P,
	 .summary = "Archives a dissolved working party (read-only, still "
		    "public)"},
};

static const struct menu_entry parties_nav[] = {
	{.path = "/working-parties", .label = N_("Working parties"), .order = 35},
};

static const struct menu_entry parties_admin_menu[] = {
	{"/admin/working-parties", N_("Working parties"), 87},
};

static const struct admin_tile parties_tiles[] = {
	{N_("Working parties proposed"), "/admin/working-parties", 40,
	 count_proposed},
};

/* Its documents in the site's index: parties the Alliance shows (never a
 * proposal), their public text (index_party). */
static const struct search_source parties_search[] = {
	{.kind = PARTY_KIND, .prefix = "/working-parties/",
	 .label = N_("Working party")},
};

static struct db_sql *const parties_sqls[] = {&party_sql, NULL};

/* The actions on a party by role (parties_int.h); administrators may do
 * them all.  Voting is the team's own: decisions.c checks
 * party_viewer.votes, which no global role gives. */
static const struct auth_rule party_rules[] = {
	{.action = "party.manage", .object_role = PARTY_MANAGERS},
	{.action = "party.write", .object_role = PARTY_WRITERS},
	{.action = "party.vote", .object_role = PARTY_VOTERS},
};

static void
parties_init(void)
{
	auth_register_rules(party_rules, ARRAY_LEN(party_rules));
}

const struct module parties_module = {
	.name = "parties",
	.routes = parties_routes,
	.nroutes = ARRAY_LEN(parties_routes),
	.sql = &parties_sql,
	.sqls = parties_sqls,
	.init = parties_init,
	.start = parties_start,
	.created = parties_created,
	.nav = parties_nav,
	.nnav = ARRAY_LEN(parties_nav),
	.admin_menu = parties_admin_menu,
	.nadmin_menu = ARRAY_LEN(parties_admin_menu),
	.admin_tiles = parties_tiles,
	.nadmin_tiles = ARRAY_LEN(parties_tiles),
	.search = parties_search,
	.nsearch = ARRAY_LEN(parties_search),
};
