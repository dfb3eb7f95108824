// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "daemon_log.h"

static const char *dlog_ident = "translatord";
static bool dlog_syslog_open;

void dlog_open(const char *ident)
{
	dlog_ident = ident;
	openlog(ident, LOG_PID, LOG_DAEMON);
	dlog_syslog_open = true;
}

void dlog_close(void)
{
	if (dlog_syslog_open)
		closelog();
	dlog_syslog_open = false;
}

void dlog(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* One line whole, whichever thread (worker or main) writes. */
	flockfile(stderr);
	fprintf(stderr, "%s: ", dlog_ident);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);

	if (!dlog_syslog_open)
		return;
	va_start(ap, fmt);
	vsyslog(level, fmt, ap);
	va_end(ap);
}
