// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "daemon_log.h"

static const char *dlog_ident = "translatord";
static bool dlog_syslog_open;
static bool dlog_journal;

/* stderr is the journal's stream (a systemd service): $JOURNAL_STREAM
 * names its device and inode. */
static bool dlog_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(2, &st))
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

void dlog_open(const char *ident)
{
	dlog_ident = ident;
	/* Under systemd every line reaches the journal once, from stderr,
	 * with its priority as a "<N>" prefix: syslog would repeat it. */
	dlog_journal = dlog_stderr_is_journal();
	if (dlog_journal)
		return;
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
	if (dlog_journal)
		fprintf(stderr, "<%d>", level);
	else
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
