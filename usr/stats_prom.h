/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transctl stats --prometheus: the daemon's "stats" / "worker-stats"
 * bodies (ctl_proto.h) in the Prometheus text exposition format 0.0.4.
 *
 *   - one family per counter name, whatever its group: "translator_" +
 *     the name, characters outside [a-zA-Z0-9_:] made '_'; a counter
 *     gets "_total", a gauge (stats_prom_gauges[], values that go down)
 *     does not;
 *   - "# HELP" (the description, '\' and newline escaped) and "# TYPE"
 *     once per family, its samples right after them;
 *   - groups "core", "daemon", "kernel" give unlabelled samples; groups
 *     "workerN" and "main" (worker-stats) samples labelled worker="N" /
 *     worker="main".
 */
#ifndef USR_STATS_PROM_H
#define USR_STATS_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Leave out the samples whose value is 0 (--nonzero). */
#define STATS_PROM_NONZERO	0x1
/* Leave out groups "core" and "daemon" (the sums, when per worker). */
#define STATS_PROM_NO_SUMS	0x2

/*
 * Writes body (modified) to f. Returns 0, or -1 on a malformed line
 * (nothing written) or no memory.
 */
int stats_prom_write(char *body, unsigned int flags, FILE *f);

/* The family name of a counter into buf; false if it does not fit. */
bool stats_prom_name(const char *counter, char *buf, size_t len);
/* Whether the counter is a gauge rather than a counter. */
bool stats_prom_is_gauge(const char *counter);
/* s with '\' and newline escaped (HELP), '"' too when label is set. */
void stats_prom_escape(FILE *f, const char *s, bool label);

#endif
