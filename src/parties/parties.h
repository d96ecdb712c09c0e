/*
 * parties.h -- the working parties (issue 13): their life from proposal
 * to archive, their charter, team, schedule, resources, reports,
 * articles, notices and decisions, and the site's news.  Each file is a
 * module of its own (app.c lists them):
 *
 *   parties.c    parties_module: the list, a party's page, proposing,
 *                the secretariat's desk (approve, reject, dissolve,
 *                archive), the charter and its versions
 *   team.c       party_team_module: roles, join requests, invitations,
 *                leaving, notices by e-mail
 *   meetings.c   party_meetings_module: the sections of a party's page
 *                other modules declare (struct party_source: the
 *                calendar's meetings)
 *   resources.c  party_resources_module: links, files, library items
 *   decisions.c  party_decisions_module: proposals put to the team
 *   reports.c    party_reports_module: reports to the Alliance
 *   articles.c   party_articles_module: articles, the news, Atom feeds
 *   focal_items.c party_focal_module: the parties serving a focal area,
 *                with their latest reports and articles, on the area's
 *                page (a struct focal_source)
 *
 * party.c holds what they share (parties_int.h).  The team is the
 * party's object roles (core/auth.h); migrations/0033_parties.sql the
 * tables, 0034 the five seeded parties.
 */
#ifndef ALLIANCE_PARTIES_H
#define ALLIANCE_PARTIES_H

#include "core/http.h"

/* The states of a party the site shows (SQL, for `state IN ...`): not a
 * proposal, not a rejected one.  For other folders listing parties (the
 * calendar). */
#define PARTY_SHOWN_STATES "('active', 'dissolved', 'archived')"

extern const struct module parties_module;
extern const struct module party_team_module;
extern const struct module party_meetings_module;
extern const struct module party_resources_module;
extern const struct module party_decisions_module;
extern const struct module party_reports_module;
extern const struct module party_articles_module;
extern const struct module party_focal_module;

#endif
