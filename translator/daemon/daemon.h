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
 * `workers N` threads translate (daemon_worker.c): each owns two queues
 * (TCP with GSO aggregates, the rest without), its egress (raw sockets,
 * one queue of the TUN device), route cache, segment size table,
 * reassembler, ICMP rate-limit share, core context and counters. The
 * main thread keeps the signalfd (SIGTERM/SIGINT stop, SIGHUP reloads),
 * the control socket, the NAT64 timers, the offloads watcher and the
 * configuration's life cycle (daemon_config.c; daemon_ctl.c: requests):
 * it publishes each new configuration as a snapshot that the workers
 * pick up at their next batch, and frees the old one once every worker
 * has passed a quiescent point. The NAT64 state is one, shared, with its
 * own mutex (nat64_lock).
 */
#ifndef TRANSLATOR_DAEMON_H
#define TRANSLATOR_DAEMON_H

#include <pthread.h>
#include <stdatomic.h>
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

/*
 * What one worker learned that the others need (daemon_worker.c): a path
 * MTU from a Packet Too Big / Fragmentation Needed, or the MSS of a SYN.
 * The two directions of a flow arrive from two families, hashed apart:
 * the data's worker must learn what the other direction's worker saw.
 */
enum dnote_kind {
	DNOTE_PMTU,
	DNOTE_MSS,
};

struct dnote {
	enum dnote_kind kind;
	int family;			/* PMTU: AF_INET or AF_INET6 */
	uint8_t dst[16];		/* PMTU: towards */
	uint32_t value;			/* the MTU or the MSS */
	struct segsize_key key;		/* MSS: the flow */
};

#define DNOTES_MAX	64

/* A worker's inbox of notes: any worker posts, its owner drains. */
struct dnotes {
	pthread_mutex_t lock;
	atomic_uint count;		/* read without the lock: any? */
	uint64_t lost;			/* full: a hint lost, under lock */
	struct dnote v[DNOTES_MAX];
};

/*
 * One translating thread's own state (daemon_worker.c), and the main
 * thread's for what it emits itself (NAT64 timers: id DWORKER_MAIN).
 * Only the owner touches it, except: the inbox (any worker posts), qs
 * (the main thread reads it), the published counters (under pub_lock).
 */
struct dworker {
	struct daemon *d;		/* the shared part */
	unsigned int id;
	int cpu;			/* pinned to; -1: not pinned */
	pthread_t thread;
	bool running;
	/* The configuration this batch translates with: the snapshot the
	 * main thread published, read at the batch's start. */
	struct daemon_cfgset *set;
	struct xlat_ctx ctx;
	struct xlat_stats xstats;
	struct dstats dstats;
	struct xlat_out out;
	struct nfq_queue q[DAEMON_Q_MAX];
	struct egress eg;
	struct tun tun;			/* egress tun: fd >= 0 */
	struct tun_batch tunb;		/* its complete packets, queued */
	struct route_cache *route;	/* per-destination MTU; may be NULL */
	struct segsize *segsize;	/* per-flow segment sizes (daemon_segsize.c) */
	struct ratelimit icmp_rl;	/* errors we originate: our share */
	int64_t now_ms;			/* CLOCK_MONOTONIC, per batch */
	uint8_t *scratch;		/* one segment (DGSO_MAX_SEG bytes) */
	struct dlocal local4;		/* for pool4 on the host's addresses */
	struct dnotes inbox;
	uint64_t pmtu_noted;		/* PMTUs stored from others' notes */
	struct dnote pmtu_told;		/* the last PMTU note posted, */
	int64_t pmtu_told_ms;		/* and when */
	/* Quiescent state: 0 while offline (blocked in poll, holding no
	 * snapshot), else a count bumped at each batch's start. */
	_Atomic uint64_t qs;
	uint64_t qs_next;
	/* Counters as of the last batch, for the main thread to sum. */
	pthread_mutex_t pub_lock;
	struct xlat_stats pub_xstats;
	struct dstats pub_dstats;
};

#define DWORKER_MAIN	(~0u)

struct daemon {
	struct daemon_opts opts;
	/* The running configuration as the main thread sees it (only
	 * daemon_config.c moves it); pub: the same, for the workers. */
	struct daemon_cfgset *set;
	_Atomic(struct daemon_cfgset *) pub;
	struct rules_plan rules;
	struct dworker main;		/* the main thread's emit path and
					 * counters (control, reloads, timers) */
	struct dworker *w;		/* nworkers of them */
	unsigned int nworkers;
	int wakefd;			/* eventfd: wakes the workers to stop */
	atomic_bool wstop;		/* workers: stop */
	atomic_bool wfailed;		/* a worker stopped on an error */
	struct control ctl;
	int sigfd;
	bool stop;
	int pidfd;			/* pidfile, locked; -1: none */
	time_t started;
	struct nat64_state *nat64;	/* stateful NAT64, owned here; every
					 * context reaches it (nat64_xlat_attach) */
	struct dofl *offl;		/* offloads watcher; may be NULL */
	int64_t nat64_due_ms;		/* when its timers run next */
	struct dnatlog *natlog;		/* its log ring (daemon_natlog.h) */
	struct daemon_cfg_hist hist;
};

/*
 * daemon_worker.c: the workers' life. open: every worker's resources
 * (queues, egress, TUN queue, tables); start: their threads; stop: wakes
 * and joins them (prompt: an eventfd in their poll set); close: frees.
 */
int dworkers_open(struct daemon *d);
int dworkers_start(struct daemon *d);
void dworkers_stop(struct daemon *d);
void dworkers_close(struct daemon *d);
/* Zeroes w, with no descriptor open (-1) and its mutexes ready. */
void dworker_init(struct dworker *w, struct daemon *d, unsigned int id);
/* The main thread's own dworker (no queue, raw egress only). */
int dworker_main_open(struct daemon *d);
void dworker_main_close(struct daemon *d);
/*
 * Publishes set to the workers, then waits until each has been offline
 * or started a new batch (QSBR): after it, no worker holds the set that
 * was published before.
 */
void dworkers_publish(struct daemon *d, struct daemon_cfgset *set);
/* A worker's (or the main thread's) configuration became set. */
void dworker_adopt(struct dworker *w, struct daemon_cfgset *set);
/* Counters summed over the main thread and every worker. */
void dworkers_sum(struct daemon *d, struct xlat_stats *xs, struct dstats *ds);
/* One worker's counters as of its last batch. */
void dworker_read(struct dworker *w, struct xlat_stats *xs, struct dstats *ds);
/* Tells the other workers (not from) what from learned. */
void dworker_post(struct dworker *from, const struct dnote *n);

/* Sets everything up (rules last); -1 after logging why. */
int daemon_start(struct daemon *d, const struct daemon_opts *opts);
/* Runs until SIGTERM/SIGINT; -1 on a fatal socket error. */
int daemon_run(struct daemon *d);
/* Removes the rules and releases everything daemon_start took. */
void daemon_stop(struct daemon *d);

/* daemon_pkt.c: the per-packet path, called by nfq_queue_poll() with the
 * worker (its now_ms read once for the batch). */
enum nfq_action daemon_pkt_handle(void *arg, const struct nfq_pkt *pkt);
/* What happens to a packet we could not hand to the core. */
enum nfq_action daemon_untranslatable(struct dworker *w);

/*
 * daemon_local.c: whether an IPv4 packet goes back to the host
 * untranslated: ICMP to one of the host's own addresses that pool4 holds,
 * about nothing pool4 lent (the host's own pings and errors).
 */
bool daemon_local_handback(struct dworker *w, const uint8_t *pkt, size_t len);

/* daemon_mtu.c */
/* Egress MTU of a side: config, then `interface`, then 1500
 * (xlat_mtu_chain without a route). */
uint32_t daemon_mtu(const struct dworker *w, enum xlat_side side);
/*
 * Egress MTU towards dst (struct in_addr / in6_addr of that side): the
 * config's `mtu v4|v6`, else the route (device MTU, route MTU, learned
 * PMTU), else daemon_mtu().
 */
uint32_t daemon_mtu_to(struct dworker *w, enum xlat_side side,
		       const void *dst);
/* Gives the core its non-blocking view of w->route (set-up). */
void daemon_mtu_attach(struct dworker *w);
/*
 * Asks the kernel (route_mtu) about the destinations the core found
 * unknown in its last call, so that the next packet finds them.
 */
void daemon_mtu_resolve(struct dworker *w, const struct xlat_out *out);
/* Reads the MTUs of the configured interfaces. */
void daemon_learn_mtus(struct dworker *w);
/* MTU of the interface a packet came in on (0: unknown). */
uint32_t daemon_ingress_mtu(struct dworker *w, uint32_t ifindex);
/* Learns a path MTU from an ICMP Fragmentation Needed / Packet Too Big
 * that the core translated (it tells the MTU towards its inner dst). */
void daemon_mtu_learn(struct dworker *w, const uint8_t *pkt, size_t len);

/*
 * daemon_segsize.c: what the sender of each TCP flow sends (segsize.h).
 * note: a packet the core translated one by one (its output in w->out):
 * a lone data segment or a SYN's MSS. key: the flow's key from a packet
 * that came in on side from and its translation o (false: not IPv4 TCP
 * on either side).
 */
int daemon_segsize_open(struct dworker *w);
void daemon_segsize_close(struct dworker *w);
void daemon_segsize_note(struct dworker *w, enum xlat_side from,
			 const uint8_t *pkt, size_t len);
bool daemon_segsize_key(enum xlat_side from, const uint8_t *pkt, size_t len,
			const struct xlat_out_pkt *o, struct segsize_key *k);
/* Copies the table's counters into w->dstats. */
void daemon_segsize_stats(struct dworker *w);

/* daemon_emit.c: everything the core produced leaves through here. */
void daemon_emit_out(struct dworker *w, const struct xlat_out *out);
void daemon_emit_out_one(struct dworker *w, const struct xlat_out_pkt *o);
/* One finished packet (complete checksums) to its side's egress. */
void daemon_emit(struct dworker *w, const uint8_t *pkt, size_t len);
/*
 * Writes the TUN packets queued (tun-batch) and counts them: at every
 * batch's end, before a direct write to the device (an aggregate), so
 * that a flow's packets leave in order and none waits while we sleep.
 */
void daemon_tun_flush(struct dworker *w);

/* daemon_seg.c: a TCP aggregate (NFQA_SKB_GSO); false: not handled. */
bool daemon_seg_aggregate(struct dworker *w, enum xlat_side from,
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
