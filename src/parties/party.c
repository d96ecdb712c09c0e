/*
 * party.c -- see parties_int.h: a party as the handlers read it, what the
 * viewer is to it, and the words for its states, roles and visibilities.
 */
#include "parties_int.h"

#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/util.h"
#include "organisations/organisations.h"

enum stmt_party {
	P_GET,
	P_ROLE,
	P_PARTY__MAX,
};

static const char *const party_sql_text[P_PARTY__MAX] = {
	[P_GET] = "SELECT id, slug, name, summary, state, join_policy,"
		  " rules_visibility, team_visibility,"
		  " coalesce(proposed_by, 0) FROM parties WHERE slug = ?",
	[P_ROLE] = "SELECT role FROM object_roles WHERE person_id = ?"
		   " AND object_type = 'party' AND object_id = ?"
		   " ORDER BY role LIMIT 1",
};

struct db_sql party_sql = {"party", party_sql_text, P_PARTY__MAX, 0};

const char *const party_roles[] = {"chair",  "co-chair", "rapporteur",
				   "member", "expert",   "observer",
				   NULL};
const char *const party_role_labels[] = {
	N_("Chair"),  N_("Co-chair"), N_("Rapporteur"),
	N_("Member"), N_("Expert"),   N_("Observer"),
};

const char *const party_visibility_values[] = {"public", "members", "team",
					       NULL};
const char *const party_visibility_labels[] = {
	N_("Everyone"),
	N_("Members of the Alliance"),
	N_("The working party's team"),
};

static const char *const state_values[] = {
	"proposed", "rejected", "active", "dissolved", "archived", NULL,
};
static const char *const state_labels[] = {
	N_("Proposed"),	 N_("Not approved"), N_("Active"),
	N_("Dissolved"), N_("Archived"),
};

/* labels[i] of values[i] == value, translated; value when none. */
static const char *
label_of(const char *const *values, const char *const *labels,
	 const char *value)
{
	for (size_t i = 0; value && values[i]; i++)
		if (strcmp(values[i], value) == 0)
			return _(labels[i]);
	return value;
}

const char *
party_state_label(const char *state)
{
	return label_of(state_values, state_labels, state);
}

const char *
party_role_label(const char *role)
{
	return label_of(party_roles, party_role_labels, role);
}

const char *
party_visibility_label(const char *visibility)
{
	return label_of(party_visibility_values, party_visibility_labels,
			visibility);
}

static int
in_words(const char *words, const char *w)
{
	size_t n = w ? strlen(w) : 0;

	for (const char *s = words; n && *s;) {
		size_t len = strcspn(s, " ");

		if (len == n && memcmp(s, w, n) == 0)
			return 1;
		s += len + strspn(s + len, " ");
	}
	return 0;
}

int
party_load(struct req *r, struct resp *w, const char *slug, struct party *p,
	   struct party_viewer *v)
{
	struct db_stmt *st;
	int rc, member = 0;

	memset(p, 0, sizeof *p);
	memset(v, 0, sizeof *v);
	if (slug == NULL || (st = db_stmt(r->db, &party_sql, P_GET)) == NULL)
		goto fail;
	db_bind_text(st, 1, slug);
	if ((rc = db_step(st)) == DB_DONE)
		goto missing;
	if (rc != DB_ROW)
		goto fail;
	p->id = db_col_int(st, 0);
	p->slug = arena_strdup(r->arena, db_col_text(st, 1));
	p->name = arena_strdup(r->arena, db_col_text(st, 2));
	p->summary = arena_strdup(r->arena, db_col_text(st, 3));
	p->state = arena_strdup(r->arena, db_col_text(st, 4));
	p->join_policy = arena_strdup(r->arena, db_col_text(st, 5));
	p->rules_visibility = arena_strdup(r->arena, db_col_text(st, 6));
	p->team_visibility = arena_strdup(r->arena, db_col_text(st, 7));
	p->proposed_by = db_col_int(st, 8);
	db_reset(st);
	if (!p->slug || !p->name || !p->state || !p->summary ||
	    !p->join_policy || !p->rules_visibility || !p->team_visibility)
		goto fail;

	if (r->person) {
		v->admin = r->person->role >= ROLE_ADMIN;
		if ((st = db_stmt(r->db, &party_sql, P_ROLE)) == NULL)
			goto fail;
		db_bind_int(st, 1, r->person->id);
		db_bind_text(st, 2, p->slug);
		if ((rc = db_step(st)) == DB_ROW) {
			v->role = arena_strdup(r->arena, db_col_text(st, 0));
			db_reset(st);
		} else if (rc != DB_DONE)
			goto fail;
	}
	if (v->admin || v->role)
		v->level = PARTY_SEES_TEAM;
	else {
		if (organisations_viewer_is_member(r, &member) < 0)
			goto fail;
		v->level = member ? PARTY_SEES_MEMBERS : PARTY_SEES_PUBLIC;
	}
	v->manages = v->admin || in_words(PARTY_MANAGERS, v->role);
	v->writes = v->admin || in_words(PARTY_WRITERS, v->role);
	v->votes = in_words(PARTY_VOTERS, v->role);

	/* a proposal, or one the secretariat did not approve, is not the
	 * Alliance's: only its proposer, its team and the secretariat see
	 * it */
	if ((strcmp(p->state, "proposed") == 0 ||
	     strcmp(p->state, "rejected") == 0) &&
	    !v->admin && !v->role &&
	    !(r->person && p->proposed_by == r->person->id))
		goto missing;
	return 0;
missing:
	resp_error(w, 404, _("There is no such working party."));
	return 1;
fail:
	resp_fail(r, w, _("The working party could not be read."));
	return -1;
}

int
party_from_route(struct req *r, struct resp *w, struct party *p,
		 struct party_viewer *v)
{
	return party_load(r, w, req_param(r, "slug"), p, v);
}

int
party_row_or_respond(struct req *r, struct resp *w, struct db_stmt *st,
		     const char *missing, json_t **row)
{
	if (st == NULL || (*row = db_one_json(st)) == NULL) {
		*row = NULL;
		resp_fail(r, w, NULL);
		return -1;
	}
	if (!json_is_object(*row)) {
		json_decref(*row);
		*row = NULL;
		resp_error(w, 404, missing);
		return 1;
	}
	return 0;
}

int
party_open_or_respond(struct resp *w, const struct party *p)
{
	if (strcmp(p->state, "active") == 0)
		return 0;
	if (strcmp(p->state, "archived") == 0)
		resp_error(w, 409,
			   _("This working party is archived: its pages can "
			     "be read, not changed."));
	else if (strcmp(p->state, "dissolved") == 0)
		resp_error(w, 409,
			   _("This working party has been dissolved: its work "
			     "can no longer be changed."));
	else
		resp_error(w, 409,
			   _("This working party has not been approved yet: "
			     "its work begins once the secretariat approves "
			     "it."));
	return 1;
}

json_t *
party_json(const struct party *p, const struct party_viewer *v)
{
	json_t *o = json_pack(
		"{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id",
		(json_int_t)p->id, "slug", p->slug, "name", p->name, "summary",
		p->summary, "state", p->state, "state_label",
		party_state_label(p->state), "join_policy", p->join_policy,
		"rules_visibility", p->rules_visibility, "team_visibility",
		p->team_visibility, "archived",
		strcmp(p->state, "archived") == 0);
	json_t *me = json_pack("{s:s?,s:s?,s:b,s:b,s:b,s:b,s:b}", "role",
			       v->role, "role_label",
			       v->role ? party_role_label(v->role) : NULL,
			       "admin", v->admin, "manages", v->manages,
			       "writes", v->writes, "votes", v->votes, "team",
			       v->level >= PARTY_SEES_TEAM);

	if (o == NULL || me == NULL) {
		json_decref(o);
		json_decref(me);
		return NULL;
	}
	json_object_set_new(o, "href",
			    json_sprintf("/working-parties/%s", p->slug));
	json_object_set_new(o, "open", json_boolean(!strcmp(p->state,
							     "active")));
	json_object_set_new(o, "viewer", me);
	return o;
}
