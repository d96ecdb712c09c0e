/*
 * focal.h -- the focal points (issue 12, issue 13 point 10): the focal
 * areas of the Alliance's work (twelve seeded; the secretariat adds,
 * renames and retires them), each with the people the secretariat
 * assigns to it, the member organisations that chose it and the work of
 * the platform that serves it.
 *
 *   GET  /focal-points                       every area (public)
 *   GET  /focal-points/:slug                 one area: its text, its focal
 *                                            points, its organisations
 *   GET  /admin/focal-points                 the areas and how many focal
 *                                            points each has (secretariat)
 *   GET  /admin/focal-points/:slug           one area's focal points, and
 *                                            people found by name or e-mail
 *   POST /admin/focal-points/:slug/people    assigns one (or changes the
 *                                            title and date of one)
 *   POST /admin/focal-points/:slug/people/:id/remove
 *   POST /admin/focal-points                 adds an area (areas.c)
 *   POST /admin/focal-points/:slug/edit      its name and texts
 *   POST /admin/focal-points/:slug/retire    retires it; .../restore
 *                                            brings it back
 *
 * The public pages answer JSON under /api/v1 too (/api/v1/focal-points).
 *
 * What serves an area.  An area's page also shows one section per module
 * that declares a struct focal_source (core/http.h) and has items for the
 * area: the working parties serving it with their latest reports and
 * articles (parties/focal_items.c), later meetings, statements, library
 * items.  sources.c gathers them; nothing here names one.
 *
 * Retired areas.  The secretariat may retire an area (retired_at): it
 * keeps its page (saying so), its focal points and every link made to
 * it, and is left out of the home page and of the choices offered for a
 * new link.
 * Who is named.  A focal point is named on the public page as the person
 * chose in their profile for the directory (people.visibility): 'public'
 * to everyone, 'members' to members (organisations_viewer_is_member) and
 * the secretariat, 'hidden' to no one there.  Those not named are counted
 * ("1 more focal point, whose name is not public"), with no title, country
 * or date, which could name them: the area shows it has someone to turn
 * to (the secretariat puts people in touch) without showing who.  Their
 * country shows where they chose show_country, their address to members
 * where they chose show_email.  A disabled account is not shown at all.
 *
 * Organisations.  Those that chose the area (organisation_focal_areas)
 * and that everyone may see in the directory: listed (a membership
 * active or in grace) and public; linked to their page, the country as
 * its name.
 *
 * The areas' texts are the site's (site/migrations/0002, 0024): the home
 * page lists them too and the site search indexes them.  focal depends on
 * organisations (and so on membership) for the viewer's rights; nothing
 * depends on it.
 */
#ifndef ALLIANCE_FOCAL_H
#define ALLIANCE_FOCAL_H

#include "core/http.h"

extern const struct module focal_module;

#endif
