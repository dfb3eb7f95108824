/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one clock of the daemon and its helpers: CLOCK_MONOTONIC in
 * milliseconds (never steps with the wall clock, so timers, budgets and
 * timeouts survive a settimeofday). The core never reads it: the daemon
 * passes the time in with each packet.
 */
#ifndef COMMON_CLOCK_H
#define COMMON_CLOCK_H

#include <stdint.h>

int64_t clock_ms(void);

#endif
