/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord's offloads check at start: the check of `transctl offloads`
 * (common/offloads.c) on the configuration's `interface v4` and
 * `interface v6`, one warning logged per risky setting with its reason,
 * and with `offloads-fix yes` the fix applied and its outcome logged.
 */
#ifndef TRANSLATOR_DAEMON_OFFLOADS_H
#define TRANSLATOR_DAEMON_OFFLOADS_H

#include "daemon_conf.h"

/*
 * Checks (and with offloads-fix yes fixes) the offloads of the configured
 * interfaces, logging through daemon_log.h. Risky settings found or left
 * are warnings, never errors: the daemon translates what it can. Returns
 * -1 only when offloads-fix yes was asked and could not be carried out
 * (an interface is missing, the kernel refused the change): the operator
 * asked for it, so the caller stops the start. Otherwise 0, also when the
 * check itself could not run (logged as a warning).
 */
int daemon_offloads_start(const struct daemon_cfgset *set);

#endif
