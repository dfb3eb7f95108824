/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * translatord: the forwarding plane around the translation core.
 *
 *   kernel --NFQUEUE--> nfq.c --> daemon_pkt.c (checksums, ICMP fragments)
 *          --> xlat_packet() --> daemon_emit.c --raw sockets (egress.c)
 *                                             \-TUN device (tun.c)--> kernel
 *   TCP aggregates: daemon_seg.c translates them whole, then cuts them to
 *   the egress path (daemon_mtu.c: routes, learned PMTU, ingress MTU) or
 *   hands them to the kernel's GSO through the TUN device.
 *
 * One thread, one poll loop: two queues (TCP with GSO aggregates, the
 * rest without), a signalfd (SIGTERM/SIGINT stop, SIGHUP reloads) and the
 * control socket. The configuration is swapped whole between batches
 * (daemon_config.c: its whole life cycle; daemon_ctl.c: the requests).
 */
#ifndef TRANSLATOR_DAEMON_H
#define TRANSLATOR_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "control.h"
#include "daemon_conf.h"
#include "daemon_stats.h"
#include "egress.h"
#include "nfq.h"
#include "ratelimit.h"
#include "route.h"
#include "segsize.h"
#include "rules.h"
#include "stats.h"
#include "tun.h"
#include "xlat.h"

struct dofl;

enum daemon_queue {
	DAEMON_Q_TCP,
	DAEMON_Q_OTHER,
	DAEMON_Q_MAX,
};

struct daemon_opts {
	const char *config_path;
	const char *control_path;
	const char *pidfile;		/* NULL: none */
};

#define DLOCAL_MAX	64

/* The host's IPv4 addresses (daemon_local.c), read at most once a second. */
struct dlocal {
	struct in_addr a[DLOCAL_MAX];
	size_t n;
	int64_t read_ms;		/* 0: never */
};

/* What the configuration went through (daemon_config.c), for `status`. */
struct daemon_cfg_hist {
	time_t reload_time;		/* 0: never reloaded */
	char reload_msg[256];		/* outcome of the last reload */
	unsigned int changes;		/* run-time changes since the file */
	char last_change[CTL_MAX_REQUEST + 64];
};

struct daemon {
	struct daemon_opts opts;
	/* The running configuration; ctx.cfg points into it (only
	 * daemon_config.c moves either). */
	struct daemon_cfgset *set;
	struct rules_plan rules;
	struct xlat_ctx ctx;
	struct xlat_stats xstats;
	struct dstats dstats;
	struct xlat_out out;
	struct nfq_queue q[DAEMON_Q_MAX];
	struct egress eg;
	struct tun tun;			/* egress tun: fd >= 0 */
	struct route_cache *route;	/* per-destination MTU; may be NULL */
	struct segsize *segsize;	/* per-flow segment sizes (daemon_segsize.c) */
	struct ratelimit icmp_rl;	/* errors we originate */
	int64_t now_ms;			/* CLOCK_MONOTONIC, per packet */
	struct control ctl;
	int sigfd;
	bool stop;
	int pidfd;			/* pidfile, locked; -1: none */
	time_t started;
	uint8_t *scratch;		/* one segment (DGSO_MAX_SEG bytes) */
	struct nat64_state *nat64;	/* stateful NAT64, owned here; the core
					 * reaches it through nat64_xlat_attach */
	struct dlocal local4;		/* for pool4 on the host's addresses */
	struct dofl *offl;		/* offloads watcher; may be NULL */
	int64_t nat64_due_ms;		/* when its timers run next */
	struct daemon_cfg_hist hist;
};

/* Sets everything up (rules last); -1 after logging why. */
int daemon_start(struct daemon *d, const struct daemon_opts *opts);
/* Runs until SIGTERM/SIGINT; -1 on a fatal socket error. */
int daemon_run(struct daemon *d);
/* Removes the rules and releases everything daemon_start took. */
void daemon_stop(struct daemon *d);

/* daemon_pkt.c: the per-packet path, called by nfq_queue_poll(). */
enum nfq_action daemon_pkt_handle(void *arg, const struct nfq_pkt *pkt);
/* What happens to a packet we could not hand to the core. */
enum nfq_action daemon_untranslatable(struct daemon *d);

/*
 * daemon_local.c: whether an IPv4 packet goes back to the host
 * untranslated: ICMP to one of the host's own addresses that pool4 holds,
 * about nothing pool4 lent (the host's own pings and errors).
 */
bool daemon_local_handback(struct daemon *d, const uint8_t *pkt, size_t len);

/* daemon_mtu.c */
/* Egress MTU of a side: config, then `interface`, then 1500
 * (xlat_mtu_chain without a route). */
uint32_t daemon_mtu(const struct daemon *d, enum xlat_side side);
/*
 * Egress MTU towards dst (struct in_addr / in6_addr of that side): the
 * config's `mtu v4|v6`, else the route (device MTU, route MTU, learned
 * PMTU), else daemon_mtu().
 */
uint32_t daemon_mtu_to(struct daemon *d, enum xlat_side side,
		       const void *dst);
/* Gives the core its non-blocking view of d->route (set-up, reload). */
void daemon_mtu_attach(struct daemon *d);
/*
 * Asks the kernel (route_mtu) about the destinations the core found
 * unknown in its last call, so that the next packet finds them.
 */
void daemon_mtu_resolve(struct daemon *d, const struct xlat_out *out);
/* Reads the MTUs of the configured interfaces. */
void daemon_learn_mtus(struct daemon *d);
/* MTU of the interface a packet came in on (0: unknown). */
uint32_t daemon_ingress_mtu(struct daemon *d, uint32_t ifindex);
/* Learns a path MTU from an ICMP Fragmentation Needed / Packet Too Big
 * that the core translated (it tells the MTU towards its inner dst). */
void daemon_mtu_learn(struct daemon *d, const uint8_t *pkt, size_t len);

/*
 * daemon_segsize.c: what the sender of each TCP flow sends (segsize.h).
 * note: a packet the core translated one by one (its output in d->out):
 * a lone data segment or a SYN's MSS. key: the flow's key from a packet
 * that came in on side from and its translation o (false: not IPv4 TCP
 * on either side).
 */
int daemon_segsize_open(struct daemon *d);
void daemon_segsize_close(struct daemon *d);
void daemon_segsize_note(struct daemon *d, enum xlat_side from,
			 const uint8_t *pkt, size_t len);
bool daemon_segsize_key(enum xlat_side from, const uint8_t *pkt, size_t len,
			const struct xlat_out_pkt *o, struct segsize_key *k);
/* Copies the table's counters into d->dstats. */
void daemon_segsize_stats(struct daemon *d);

/* daemon_emit.c: everything the core produced leaves through here. */
void daemon_emit_out(struct daemon *d, const struct xlat_out *out);
void daemon_emit_out_one(struct daemon *d, const struct xlat_out_pkt *o);
/* One finished packet (complete checksums) to its side's egress. */
void daemon_emit(struct daemon *d, const uint8_t *pkt, size_t len);

/* daemon_seg.c: a TCP aggregate (NFQA_SKB_GSO); false: not handled. */
bool daemon_seg_aggregate(struct daemon *d, enum xlat_side from,
			  const struct nfq_pkt *pkt, enum nfq_action *act);

/*
 * daemon_nat64.c: the NAT64 state (RFC 6146). Created at start with a
 * random key; synced with every configuration before it is swapped in;
 * its timers run from the poll loop, which sleeps at most the returned
 * number of milliseconds.
 */
int daemon_nat64_open(struct daemon *d);
/* The state (NULL before daemon_nat64_open); the core's context holds it. */
static inline struct nat64_state *daemon_nat64(const struct daemon *d)
{
	return d->nat64;
}
void daemon_nat64_close(struct daemon *d);
void daemon_nat64_sync(struct daemon *d, const struct config *cfg);
int daemon_nat64_timers(struct daemon *d, int64_t now_ms, int max_wait_ms);
/* "KEY VALUE" lines of the state for `status` (mode nat64). */
void daemon_nat64_status(struct daemon *d, FILE *f);

/* daemon_ctl.c: the control requests' dispatcher (control_handler). */
int daemon_ctl_handle(void *arg, enum ctl_cmd cmd, const char *line,
		      FILE *body, char *err, size_t errlen);

#endif
