/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Directives that only the daemon understands (queues, rules, marks...),
 * read from the same file as the translation settings. The loader takes
 * them out of the text (leaving empty lines, so that line numbers in the
 * core parser's messages stay right) and hands the rest to config.c.
 *
 *   fail-open yes|no      accept packets when the queue overflows or the
 *                         daemon cannot translate them (default no)
 *   rules auto|manual     install/remove the iptables rules (default auto)
 *   mark N                SO_MARK of emitted packets, excluded from the
 *                         rules (default 0x5854)
 *   workers N             translating threads (default: online CPUs, at
 *                         most 64); worker w reads queues queue-tcp + w
 *                         and queue-other + w
 *   queue-tcp N           first NFQUEUE number for TCP (GSO aggregates; 64)
 *   queue-other N         first NFQUEUE number for everything else (128:
 *                         64 workers fit between the two)
 *   queue-maxlen N        kernel queue length in packets (2048)
 *   rcvbuf N[k|m]         netlink receive buffer (8m)
 *   translate4 PREFIX     IPv4 destinations to queue besides the EAMT's
 *                         (repeatable; in SIIT the pool6 hosts' IPv4 view)
 *   egress tun|raw        how translated packets leave: one TUN device
 *                         with IFF_VNET_HDR, TCP aggregates written whole
 *                         for the kernel's GSO to split (default tun: ~10
 *                         times faster, docs/performance.md); or raw
 *                         sockets, aggregates split in userspace
 *   egress-tun NAME       name of that TUN device (default xlat-tun)
 *   tun-batch N           complete packets written to the TUN device per
 *                         io_uring submission, 0..64 (0, 1: one writev
 *                         each; default 32; needs liburing at build)
 *   icmp-rate N           ICMP errors the translator originates, per
 *                         second (token bucket; 0 = unlimited; default 100)
 *   icmp-burst N          bucket size of that limit (default 50)
 *   offloads-fix yes|no   turn off the offloads that break translation
 *                         on the configured interfaces and the devices
 *                         below them, at start and when they appear (no)
 *   offloads-check-interval N  seconds between re-checks of those
 *                         offloads (also re-checked on link events);
 *                         0: at start only (default 60)
 */
#ifndef TRANSLATOR_DAEMON_CONF_H
#define TRANSLATOR_DAEMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "config.h"

#define DCONF_MAX_TRANSLATE4	64
#define DCONF_MAX_WORKERS	64
#define DCONF_MAX_TUN_BATCH	64	/* TUN_BATCH_MAX */
#define DCONF_TUN_BATCH_DEFAULT	32	/* docs/performance.md */

enum dconf_egress {
	DCONF_EGRESS_RAW,
	DCONF_EGRESS_TUN,
};

#define DCONF_IFNAMSIZ	16

enum dconf_rules {
	DCONF_RULES_AUTO,
	DCONF_RULES_MANUAL,
};

struct daemon_conf {
	bool fail_open;
	enum dconf_rules rules;
	uint32_t mark;
	uint16_t queue_tcp;		/* worker w: queue_tcp + w */
	uint16_t queue_other;		/* worker w: queue_other + w */
	uint16_t workers;		/* 1..DCONF_MAX_WORKERS */
	bool workers_set;		/* in the file (else the default, which
					 * shrinks to fit between the queues) */
	/* Not in the file: the seed of the rules' flow hash (HMARK), drawn
	 * at start and kept across reloads so that flows stay put. */
	uint32_t spread_seed;
	uint32_t queue_maxlen;
	uint32_t rcvbuf;
	struct prefix4 translate4[DCONF_MAX_TRANSLATE4];
	size_t translate4_count;
	enum dconf_egress egress;
	char egress_tun[DCONF_IFNAMSIZ];
	uint32_t tun_batch;		/* packets per TUN submission, 0/1: off */
	uint32_t icmp_rate;		/* errors per second, 0: unlimited */
	uint32_t icmp_burst;
	bool offloads_fix;
	uint32_t offloads_interval;	/* seconds, 0: check at start only */
};

/* A complete configuration: the core's and the daemon's parts. */
struct daemon_cfgset {
	struct config cfg;
	struct daemon_conf dc;
};

void daemon_conf_init(struct daemon_conf *dc);
/* Online CPUs, at least 1 and at most DCONF_MAX_WORKERS. */
unsigned int daemon_conf_default_workers(void);

/*
 * The queue ranges of the workers, [queue-tcp, +workers) and
 * [queue-other, +workers), must not overlap nor pass 65535. A default
 * worker count shrinks until they fit; a configured one is an error.
 * Called by daemon_cfgset_load; -1 with the message.
 */
int daemon_conf_check_queues(struct daemon_conf *dc, char *err,
			     size_t errlen);

/*
 * Parses a whole file. On failure returns -1, leaves set freed, and writes
 * "PATH:LINE: message" (or "PATH: message") into err.
 */
int daemon_cfgset_load(const char *path, struct daemon_cfgset *set,
		       char *err, size_t errlen);
void daemon_cfgset_free(struct daemon_cfgset *set);

/* Writes the daemon directives in the file format (they parse back). */
void daemon_conf_write(const struct daemon_conf *dc, FILE *f);
/* The name of directive i of the table, NULL past the last. */
const char *daemon_conf_directive(size_t i);

/*
 * Settings fixed at start (queues, buffers, mark): returns the name of the
 * first one that differs between a and b, or NULL when none does.
 */
const char *daemon_conf_start_change(const struct daemon_conf *a,
				     const struct daemon_conf *b);

#endif
