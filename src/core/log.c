/*
 * log.c -- see log.h.  Lines are "2026-11-29T05:12:09Z LEVEL message".
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int quiet;

void
log_set_quiet(int q)
{
	quiet = q;
}

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	time_t now = time(NULL);
	struct tm tm;
	size_t n;
	int k;

	gmtime_r(&now, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	k = snprintf(line + n, sizeof(line) - n, "%s ", level);
	n += (size_t)k;
	k = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (k < 0)
		k = 0;
	n += (size_t)k < sizeof(line) - n - 1 ? (size_t)k : sizeof(line) - n - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0) {
		/* nothing sensible to do when stderr is gone */
	}
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}
