/*
 * clock.h -- the one wall clock of the business: what time it is for a
 * session's expiry, a membership's end, a job's turn, an audit record.
 *
 * Every handler, job and command asks clock_now() instead of time(NULL),
 * so a unit test can set the time the whole program sees.  A test does so
 * by defining clock_for_tests() (below) in its own test_*.c: the symbol is
 * a weak reference, NULL in the server binary, which no input, setting or
 * environment variable can change.  Logging, timeouts and measured
 * durations keep their own clocks (log.c, conns.c, CLOCK_MONOTONIC).
 */
#ifndef ALLIANCE_CLOCK_H
#define ALLIANCE_CLOCK_H

#include <stdint.h>

/* Unix seconds now: clock_for_tests() when a test defines it and it
 * answers a positive time, else the system's real-time clock. */
int64_t clock_now(void);

/* Today by that clock, UTC, as 'YYYY-MM-DD' into out. */
void clock_today(char out[11]);

/* Defined only by a unit test that fakes the time (weak: absent from the
 * server).  Returns the time clock_now() answers, or 0 for the real clock;
 * called from any thread. */
int64_t clock_for_tests(void) __attribute__((weak));

#endif
