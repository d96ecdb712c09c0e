/*
 * calendar_feeds.h -- the calendar's iCalendar side (issue 14): the feeds
 * and the personal feed page (feeds.c), and `alliance import meetings
 * FILE.ics` (import.c), both written with libical through ics.c.
 *
 *   GET  /calendar.ics                              every public meeting
 *   GET  /calendar/bodies/:slug/feed.ics            one body's
 *   GET  /calendar/focal-areas/:slug/feed.ics       one focal area's
 *   GET  /calendar/working-parties/:slug/feed.ics   one working party's
 *   GET  /calendar/personal/:token/feed.ics         what a person
 *                                                   registered for
 *   GET  /account/calendar                          the person's secret
 *                                                   feed address
 *   POST /account/calendar/renew                    a new address (the
 *                                                   old one answers 404)
 *
 *   alliance import meetings FILE.ics              calendar_import_module
 *                                                   (import.c)
 *
 * (A header of its own until the calendar's core lands: the lead merges
 * it into calendar.h.)
 */
#ifndef ALLIANCE_CALENDAR_FEEDS_H
#define ALLIANCE_CALENDAR_FEEDS_H

#include "core/http.h"

extern const struct module calendar_feeds_module;
extern const struct module calendar_import_module;

#endif
