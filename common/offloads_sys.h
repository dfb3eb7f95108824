/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offloads, the kernel side shared by `transctl offloads` and translatord:
 * reads the states offloads.c judges (features over ethtool netlink or the
 * legacy ioctls, MTU and GRO/GSO sizes over rtnetlink) and applies a --fix
 * plan, then reads the states back so that each action says what happened.
 */
#ifndef COMMON_OFFLOADS_SYS_H
#define COMMON_OFFLOADS_SYS_H

#include <stdbool.h>
#include <stddef.h>

#include "ethtool_nl.h"
#include "offloads.h"

/* Interfaces of a namespace looked at when finding devices below. */
#define OFFL_SYS_MAX_LINKS	1024

struct offl_sys {
	struct ethnl eth;
	struct mnl_socket *rt;
	struct link_nl_entry links[OFFL_SYS_MAX_LINKS];
};

/*
 * Opens the ethtool client (the ioctls with force_ioctl) and an rtnetlink
 * socket. Returns 0, or -1 with a message in err; offl_sys_close is safe
 * either way.
 */
int offl_sys_open(struct offl_sys *s, bool force_ioctl, char *err,
		  size_t errlen);
void offl_sys_close(struct offl_sys *s);

/*
 * Finds the *n interfaces (at most OFFL_MAX_IFACES) and the devices below
 * them (offl_add_lowers, up to max entries of ifs in all; *n grows), and
 * reads their features, MTU and sizes into ifs. Errors: "no interface
 * 'NAME'", netlink failures.
 */
int offl_sys_read(struct offl_sys *s, struct offl_iface *ifs, size_t *n,
		  size_t max, char *err, size_t errlen);

/*
 * Makes the OFFL_RES_WOULD changes of acts (from offl_plan on ifs), reads
 * ifs again and settles acts (offl_settle). Returns 0, or -1 with a
 * message when the kernel refused a request.
 */
int offl_sys_apply(struct offl_sys *s, struct offl_iface *ifs, size_t n,
		   struct offl_action *acts, size_t nacts, char *err,
		   size_t errlen);

#endif
