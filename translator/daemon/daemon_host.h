/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a configuration needs of the host it runs on, checked before it
 * is taken (at start, on reload, on run-time changes), and the pidfile.
 */
#ifndef TRANSLATOR_DAEMON_HOST_H
#define TRANSLATOR_DAEMON_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "daemon_conf.h"

/*
 * Refuses what this host cannot carry: an `interface` that does not
 * exist (its `-i` rules would queue one direction only). Warns when pool4
 * holds one of the host's own addresses with ports that overlap
 * ip_local_port_range. path: the file, for "FILE:LINE: "; NULL for a
 * run-time change, which cannot change the interfaces and skips their
 * check.
 */
int daemon_host_check(const struct daemon_cfgset *set, const char *path,
		      char *err, size_t errlen);

/* Whether addr (struct in_addr / in6_addr) is an address of this host. */
bool daemon_host_is_local(int family, const void *addr);

/*
 * Takes the pidfile: a file whose lock nobody holds is stale (its daemon
 * died) and is taken over; one locked by a running translatord is refused.
 * The returned descriptor holds the lock until daemon_pidfile_release.
 */
int daemon_pidfile_claim(const char *path, char *err, size_t errlen);
void daemon_pidfile_release(const char *path, int fd);

#endif
