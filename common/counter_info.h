/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a counter is called and what it counts: one row of the core's
 * (translator/core/stats.h) and the daemon's (daemon_stats.h) X-macro
 * counter tables, which `transctl stats` prints as they are.
 */
#ifndef COMMON_COUNTER_INFO_H
#define COMMON_COUNTER_INFO_H

struct counter_info {
	const char *name;	/* stable: scripts and tests read it */
	const char *desc;
};

#endif
