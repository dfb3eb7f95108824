/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord's logging: every message goes to stderr (the daemon runs in
 * the foreground, under a supervisor that keeps stderr) and to syslog.
 * Under systemd (stderr is the journal's stream, $JOURNAL_STREAM) only to
 * stderr, each line prefixed with its priority ("<3>"), so the journal
 * holds it once, with its level.
 */
#ifndef TRANSLATOR_DAEMON_LOG_H
#define TRANSLATOR_DAEMON_LOG_H

#include <syslog.h>

void dlog_open(const char *ident);
void dlog_close(void);

/* level is a syslog priority (LOG_ERR, LOG_WARNING, LOG_INFO, ...). */
void dlog(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define dlog_err(...)	dlog(LOG_ERR, __VA_ARGS__)
#define dlog_warn(...)	dlog(LOG_WARNING, __VA_ARGS__)
#define dlog_info(...)	dlog(LOG_INFO, __VA_ARGS__)

#endif
