/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord's configuration life cycle (daemon_config.c), the one path
 * every configuration takes to become the running one:
 *
 *   prepare   a snapshot (struct daemon_cfgset): the file (start, reload)
 *             or a parser-checked copy of the running set with one change
 *             (run-time pool4 and bib requests);
 *   validate  the parser's checks, the host's own addresses
 *             (daemon_host.c), the settings fixed at start (reload);
 *   commit    the rules first (new ones in before old ones out), the
 *             NAT64 state synced with the snapshot, then the swap: the
 *             snapshot published, each worker adopts it at its next
 *             batch (no packet sees half of each; contexts pointed at
 *             it, interface MTUs read again), the old one freed once no
 *             worker can hold it (QSBR).
 *
 * eamt and denylist4 requests too: a copy with the change, committed
 * (the workers translate with the running set meanwhile).
 *
 * The running set is owned by d->set and published to the workers in
 * d->pub (daemon_worker.c); only this file moves either.
 */
#ifndef TRANSLATOR_DAEMON_CONFIG_H
#define TRANSLATOR_DAEMON_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "daemon.h"

/* At start: the file becomes d->set, its rules d->rules (not installed). */
int daemon_config_load(struct daemon *d, char *err, size_t errlen);
/* At stop: frees the running set. */
void daemon_config_free(struct daemon *d);

/*
 * Re-reads the file and commits it (SIGHUP, "reload"); says what changed
 * to report when not NULL. Run-time changes are forgotten.
 */
int daemon_reload(struct daemon *d, FILE *report, char *err, size_t errlen);

/* A parser-checked copy of the running set, to change and commit. */
struct daemon_cfgset *daemon_config_copy(const struct daemon *d, char *err,
					 size_t errlen);
void daemon_config_drop(struct daemon_cfgset *set);
/*
 * Validates and commits a changed copy (takes set, freed on failure),
 * then records the run-time change msg and reports it to body.
 */
int daemon_config_change(struct daemon *d, struct daemon_cfgset *set,
			 const char *msg, FILE *body, char *err,
			 size_t errlen);
/* Copy, one directive line (the file's syntax), daemon_config_change. */
int daemon_config_apply(struct daemon *d, const char *line, const char *msg,
			FILE *body, char *err, size_t errlen);

#endif
