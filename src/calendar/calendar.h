/*
 * calendar.h -- the calendar (issue 14): UN sessions, Alliance and
 * working-party meetings, side events, sprints and deadlines, with RFC
 * 5545 recurrence (libical), in their IANA time zone.  Each file with
 * routes is a module of its own (app.c lists them):
 *
 *   calendar.c   calendar_module: the public views and the API
 *                  GET /calendar             upcoming occurrences, filters,
 *                                            past meetings
 *                  GET /calendar/month       a month's grid
 *                  GET /calendar/:slug       a meeting
 *                  GET /api/v1/meetings, /api/v1/meetings/:slug
 *                  GET /api/v1/occurrences   occurrences in a date range
 *   desk.c       calendar_desk_module: the secretariat's pages
 *                  /admin/calendar...        meetings: new, edit, delete
 *   desk_occurrence.c  calendar_desk_occurrence_module: a meeting on the
 *                desk, its occurrences skipped, moved, cancelled
 *                  /admin/calendar/:slug, /admin/calendar/:slug/occurrence
 *   registration.c  calendar_registration_module: registering for a
 *                meeting or one occurrence, the waiting list
 *                  POST /calendar/:slug/register, /calendar/:slug/unregister
 *   minutes.c    calendar_minutes_module: a meeting's minutes (or one
 *                occurrence's), versions, approval, attendance
 *                  /calendar/:slug/minutes, .../approve, .../attendance,
 *                  .../versions, .../versions/:version
 *   documents.c  calendar_documents_module: a meeting's documents
 *                (files, links, library items) kept by its organisers
 *                  /calendar/:slug/documents, .../:id/file, .../:id/delete
 *   parties.c    calendar_parties_module: the working parties' meetings
 *                  /working-parties/:slug/meetings...  the chairs' forms
 *                and their sections of a party's and a focal area's
 *                page; takes the interim party_meetings rows over
 *   feeds.c      calendar_feeds_module: the iCalendar feeds (RFC 5545,
 *                written by ics.c through libical)
 *                  GET /calendar.ics                        every public
 *                                                           meeting
 *                  GET /calendar/bodies/:slug/feed.ics      one body's
 *                  GET /calendar/focal-areas/:slug/feed.ics one focal area's
 *                  GET /calendar/working-parties/:slug/feed.ics
 *                  GET /calendar/personal/:token/feed.ics   what a person
 *                                                           registered for
 *                  GET /account/calendar     the person's secret feed
 *                                            address
 *                  POST /account/calendar/renew  a new address (the old
 *                                            one answers 404)
 *   import.c     calendar_import_module: `alliance import meetings
 *                FILE.ics` (read by ics.c)
 *   recur.c      rules, zones and occurrences (calendar_int.h)
 *
 * Who sees a meeting (meetings.visibility): 'public' everyone, 'members'
 * the people of member organisations, 'team' its working party's team;
 * the secretariat sees everything.  migrations/0040_calendar.sql the
 * tables, 0041 the seeded historic series.
 */
#ifndef ALLIANCE_CALENDAR_H
#define ALLIANCE_CALENDAR_H

#include "core/http.h"

extern const struct module calendar_module;
extern const struct module calendar_desk_module;
extern const struct module calendar_desk_occurrence_module;
extern const struct module calendar_registration_module;
extern const struct module calendar_minutes_module;
extern const struct module calendar_documents_module;
extern const struct module calendar_parties_module;
extern const struct module calendar_feeds_module;
extern const struct module calendar_import_module;

#endif
