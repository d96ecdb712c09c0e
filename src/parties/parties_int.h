/*
 * parties_int.h -- what the files of src/parties/ share: a party as the
 * handlers read it, what the viewer is to it, and the checks every
 * handler makes (party.c).  Not for other folders (parties.h is).
 *
 * The team is the party's object roles (object_type "party", object_id
 * its slug): auth_permits() and the routes' .action checks read them.  A
 * person holds one role in a party.  The rules:
 *   party.manage   chair, co-chair (and the secretariat): team, charter,
 *                  schedule, resources, notices, decisions
 *   party.write    chair, co-chair, rapporteur: reports, articles
 *   party.vote     the team but observers
 *
 * Visibility of a part of a party ('public', 'members', 'team'):
 * struct party_viewer.level is the highest a viewer may read, and
 * PARTY_VISIBLE(col) is the SQL test, bound to that level.
 */
#ifndef ALLIANCE_PARTIES_INT_H
#define ALLIANCE_PARTIES_INT_H

#include <jansson.h>
#include <stdint.h>

#include "core/db.h"
#include "core/http.h"
#include "parties.h"

#define PARTY_OBJECT "party"
#define PARTY_MANAGERS "chair co-chair"
#define PARTY_WRITERS "chair co-chair rapporteur"
#define PARTY_VOTERS "chair co-chair rapporteur member expert"

/* The team roles in the order a team list shows them, NULL-terminated,
 * and what people read for each (N_(), translate with _()). */
extern const char *const party_roles[];
extern const char *const party_role_labels[];
/* 'public', 'members', 'team' (NULL-terminated) and their labels. */
extern const char *const party_visibility_values[];
extern const char *const party_visibility_labels[];

enum party_level {
	PARTY_SEES_PUBLIC = 0,  /* visitors, accounts of no member */
	PARTY_SEES_MEMBERS = 1, /* a member organisation's people */
	PARTY_SEES_TEAM = 2,    /* the team and the secretariat */
};

/* A column of visibility the viewer may read (binds one: the level). */
#define PARTY_VISIBLE(col)                                                     \
	"(CASE " col " WHEN 'public' THEN 0 WHEN 'members' THEN 1"          \
	" ELSE 2 END <= ?)"

struct party {
	int64_t id;
	const char *slug;
	const char *name;
	const char *summary;
	const char *state; /* proposed rejected active dissolved archived */
	const char *join_policy;      /* open, approval */
	const char *rules_visibility; /* public, members, team */
	const char *team_visibility;
	int64_t proposed_by; /* 0: none (seeded) */
};

struct party_viewer {
	const char *role;     /* the viewer's team role, or NULL */
	enum party_level level;
	int admin;            /* the secretariat (ROLE_ADMIN) */
	int manages;          /* chair, co-chair or admin */
	int writes;           /* chair, co-chair, rapporteur or admin */
	int votes;            /* a team role but observer */
};

/* Loads the party of slug and what r's viewer is to it (strings in r's
 * arena).  A proposed or rejected party exists only for the secretariat,
 * its proposer and its team.  0; 1 with a 404 in w when there is no such
 * party for this viewer; -1 with a 500 in w. */
int party_load(struct req *r, struct resp *w, const char *slug,
	       struct party *p, struct party_viewer *v);

/* The same for the party of route parameter "slug". */
int party_from_route(struct req *r, struct resp *w, struct party *p,
		     struct party_viewer *v);

/* The one row statement st (bound; NULL when its preparation failed)
 * gives, in *row (new reference): 0; 1 with a 404 in w saying missing
 * when there is none; -1 with a 500 in w. */
int party_row_or_respond(struct req *r, struct resp *w, struct db_stmt *st,
			 const char *missing, json_t **row);

/* A write to the party's work is possible only while it is active: 0,
 * or 1 with a 409 in w that says why (archived: read-only). */
int party_open_or_respond(struct resp *w, const struct party *p);

/* {slug, name, summary, state, state_label, href, join_policy, ...} for
 * a view model, with the viewer's {role, role_label, manages, writes,
 * votes, admin, team}; a new reference. */
json_t *party_json(const struct party *p, const struct party_viewer *v);

/* What people read for a state ("Active", "Archived"). */
const char *party_state_label(const char *state);
/* What people read for a role, or for a visibility; the value itself
 * when unknown. */
const char *party_role_label(const char *role);
const char *party_visibility_label(const char *visibility);

/* The parts of the party's page each file adds to its model (0, or -1
 * logged): team.c the team and what waits on the viewer; meetings.c
 * the sections other modules declare (struct party_source: the
 * calendar's meetings); resources.c, decisions.c, reports.c,
 * articles.c their lists, as the viewer may see them. */
int party_team_section(struct req *r, const struct party *p,
		       const struct party_viewer *v, json_t *model);
int party_meetings_section(struct req *r, const struct party *p,
			   const struct party_viewer *v, json_t *model);
int party_resources_section(struct req *r, const struct party *p,
			    const struct party_viewer *v, json_t *model);
int party_decisions_section(struct req *r, const struct party *p,
			    const struct party_viewer *v, json_t *model);
int party_reports_section(struct req *r, const struct party *p,
			  const struct party_viewer *v, json_t *model);
int party_articles_section(struct req *r, const struct party *p,
			   const struct party_viewer *v, json_t *model);

#endif
