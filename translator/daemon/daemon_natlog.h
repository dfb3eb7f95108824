/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord's NAT64 log (logging-bib, logging-session, logging-debug):
 * the NAT64 state's hook (nat64_log.h) stamps each event with the wall
 * clock and queues it in a bounded ring; the main thread formats the
 * lines and writes them to the daemon's log (stderr and syslog, or the
 * journal: daemon_log.h), woken by an eventfd. A worker holding the NAT64 lock thus never waits for
 * syslog or the journal; a full ring loses the line and counts it
 * (nat64_log_dropped in `transctl stats`). logging-debug lines are
 * limited to DNATLOG_DEBUG_PER_SEC a second, the others counted in one
 * "NAT64 debug suppressed=N" line.
 */
#ifndef TRANSLATOR_DAEMON_NATLOG_H
#define TRANSLATOR_DAEMON_NATLOG_H

#include <stdint.h>

#include "nat64_log.h"

/* Events the ring holds (~120 bytes each, 2 MiB): the main thread
 * wakes at the first of a batch, so this is the burst it absorbs while
 * the main thread is busy (a reload, a mass expiry). */
#define DNATLOG_RING		16384
#define DNATLOG_DEBUG_PER_SEC	20

struct dnatlog;

/* A ring with its eventfd; NULL (logged) on failure. */
struct dnatlog *dnatlog_new(void);
/* Writes what is left, then frees. */
void dnatlog_free(struct dnatlog *l);
/* The eventfd the main thread polls (POLLIN: lines wait). */
int dnatlog_fd(const struct dnatlog *l);
/* The main thread: writes the lines queued. */
void dnatlog_drain(struct dnatlog *l);

/* The hook to install with nat64_state_set_log(st, &dnatlog_ops, l). */
extern const struct nat64_log_ops dnatlog_ops;

#endif
