/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord's offloads check: the check of `transctl offloads`
 * (common/offloads.c) on the configuration's `interface v4` and
 * `interface v6` and the devices below them (bridge, bond and team
 * ports, a VLAN's lower device), at start and again at run time: on
 * rtnetlink link events about them (an ethtool feature change raises
 * one; a new bridge port too) and every offloads-check-interval seconds
 * (a GRO/GSO size change raises none). Each risky setting is logged once
 * when it appears, with its reason; with `offloads-fix yes` it is turned
 * off and the outcome logged.
 */
#ifndef TRANSLATOR_DAEMON_OFFLOADS_H
#define TRANSLATOR_DAEMON_OFFLOADS_H

#include <stdint.h>

#include "daemon_conf.h"
#include "daemon_stats.h"

struct dofl;

/*
 * Checks (and with offloads-fix yes fixes) the offloads, logging through
 * daemon_log.h, and sets *out to the watcher for the run time (NULL when
 * out of memory: the daemon then runs without it). Risky settings found
 * or left are warnings, never errors: the daemon translates what it can.
 * Returns -1 only when offloads-fix yes was asked and could not be
 * carried out (an interface is missing, the kernel refused the change):
 * the operator asked for it, so the caller stops the start. Otherwise 0,
 * also when the check itself could not run (logged as a warning).
 */
int daemon_offloads_start(const struct daemon_cfgset *set, int64_t now_ms,
			  struct dofl **out);

/* The link-event socket to poll for input, or -1. */
int dofl_fd(const struct dofl *w);

/* Reads the pending link events; one about a watched device (or a new
 * port of one) brings the next re-check forward. */
void dofl_on_event(struct dofl *w, int64_t now_ms);

/*
 * Runs the re-check when it is due, with the running configuration's
 * interfaces, offloads-fix and offloads-check-interval; returns how long
 * the poll loop may sleep (at most max_wait_ms).
 */
int dofl_timers(struct dofl *w, const struct daemon_cfgset *set,
		struct dstats *st, int64_t now_ms, int max_wait_ms);

void dofl_close(struct dofl *w);

#endif
