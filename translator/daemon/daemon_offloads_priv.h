/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord's offloads watcher, shared by its two halves: the check
 * (daemon_offloads.c: read, log what is new, fix) and the watch
 * (daemon_offloads_watch.c: link events and the re-check timer).
 */
#ifndef TRANSLATOR_DAEMON_OFFLOADS_PRIV_H
#define TRANSLATOR_DAEMON_OFFLOADS_PRIV_H

#include <stdbool.h>

#include "daemon_offloads.h"
#include "offloads_sys.h"

#define DOFL_MAX_ROWS	(OFFL_MAX_ALL * OFFL_ROWS_PER_IFACE)

struct dofl {
	struct offl_iface ifs[OFFL_MAX_ALL];	/* named ones, then below */
	size_t n;
	size_t ntop;				/* the named ones */
	struct offl_row rows[DOFL_MAX_ROWS];
	bool fresh[DOFL_MAX_ROWS];
	size_t nrows;
	struct offl_action acts[OFFL_MAX_ALL * OFFL_ACTS_PER_IFACE];
	size_t nacts;
	struct offl_seen seen;			/* what has been logged */
	struct offl_sys sys;
	bool sys_open;
	struct mnl_socket *mon;			/* RTNLGRP_LINK; may be NULL */
	int64_t due_ms;				/* next re-check */
	uint32_t interval;			/* seconds, as last applied */
	/* What the last check ran with: a reload changing them re-checks. */
	char iface4[IF_NAMESIZE];
	char iface6[IF_NAMESIZE];
	bool fix;
	char err[512];
	char last_err[512];			/* logged; "" after success */
};

/* daemon_offloads_watch.c: the watcher with its event socket, the first
 * re-check interval seconds from now; NULL when out of memory. */
struct dofl *dofl_open(uint32_t interval, int64_t now_ms);

/*
 * daemon_offloads.c: one check of set's interfaces. Logs what was not
 * logged before; with offloads-fix, fixes what is new (at start: all).
 * at_start adds the summary line. st (NULL at start) gets the counts.
 * Returns -1 with w->err when reading or fixing failed.
 */
int dofl_check(struct dofl *w, const struct daemon_cfgset *set,
	       bool at_start, struct dstats *st);
/* Notes the interfaces and offloads-fix a check runs with. */
void dofl_remember(struct dofl *w, const struct daemon_cfgset *set);

#endif
