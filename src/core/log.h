/*
 * log.h -- lines on standard error: the access log (one line a request)
 * and errors.  Each line is written with one write() so lines from worker
 * threads never interleave.
 */
#ifndef ALLIANCE_LOG_H
#define ALLIANCE_LOG_H

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 to silence info lines (not errors, not the access log). */
void log_set_quiet(int quiet);

#endif
