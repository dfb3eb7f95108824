/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state of stateful NAT64 (RFC 6146): the BIB (bindings of IPv6
 * transport addresses to pool4 ones) and the session table, for TCP, UDP
 * and ICMP queries (whose identifier plays the port), with pool4 and its
 * RFC 6056 port allocation, the TCP state machine of section 3.5.2, the
 * simultaneous-open wait of IPv4 SYNs without a binding, the limits, and
 * the expiry of everything.
 *
 * No clock, no socket, no global: the owner creates a state, keeps it in
 * sync with the configuration (nat64_state_sync after every load),
 * attaches it to the core's context (nat64_xlat_attach, nat64_xlat.h),
 * passes the time of each packet in xlat_in.now_ms, and runs the timers
 * (nat64_xlat_timers).
 *
 * Lookups are O(1) expected in both directions: one hash table by the
 * IPv6 side and one by the IPv4 side, for bindings and for sessions,
 * growing with use. Expiry costs O(1) per session: each timeout class is
 * a FIFO ordered by last use (all its members share one timeout), and a
 * refreshed session moves to the tail.
 *
 * Concurrency: one state may serve several translating threads (each
 * with its own xlat_ctx attached to it) while a control thread syncs,
 * runs the timers, changes and lists it. One mutex per state guards all
 * of it (see nat64_lock). The entry points take it themselves: the
 * core's map operations (nat64_xlat.c), nat64_xlat_timers,
 * nat64_state_sync, nat64_next_expiry, nat64_state_counts,
 * nat64_state_now, the walks (their callbacks run under it and must not
 * call back into the state) and nat64_bib_forget. The finer functions
 * below (finds, adds, removes, nat64_in6/in4, nat64_expire) do not: a
 * caller sharing the state holds nat64_lock around them and around any
 * use of the pointers they return. nat64_state_new and _free are the
 * owner's, with no other thread attached.
 */
#ifndef TRANSLATOR_NAT64_STATE_H
#define TRANSLATOR_NAT64_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <pthread.h>

#include "config.h"
#include "nat64_hash.h"
#include "stats.h"

/* RFC 6146 section 3.5.2.2; CLOSED is "no session". */
enum nat64_tcp_state {
	NAT64_TCP_CLOSED,
	NAT64_TCP_V4_INIT,
	NAT64_TCP_V6_INIT,
	NAT64_TCP_ESTABLISHED,
	NAT64_TCP_V4_FIN_RCV,
	NAT64_TCP_V6_FIN_RCV,
	NAT64_TCP_V4_FIN_V6_FIN_RCV,
	NAT64_TCP_TRANS,
	NAT64_TCP_STATE_COUNT,
};

/* Timeout classes; the config gives each its length. */
enum nat64_timer {
	NAT64_T_UDP,
	NAT64_T_ICMP,
	NAT64_T_TCP_EST,
	NAT64_T_TCP_TRANS,
	NAT64_T_TCP_SYN,	/* an IPv4 SYN without binding, waiting */
	NAT64_T_COUNT,
};

const char *nat64_tcp_state_name(enum nat64_tcp_state s);

struct nat64_session;

/* Sessions of an IPv6 prefix of host-prefix-length bits (nat64_host.c). */
struct nat64_prefix {
	struct nat64_hnode h;
	struct in6_addr addr;		/* cut to len bits */
	uint8_t len;
	uint32_t refs;			/* hosts pointing here */
	uint32_t sessions;
};

/*
 * An IPv6 address with bindings: its sessions, its prefix, and the pool4
 * address its bindings of each protocol use ("paired" address pooling,
 * RFC 4787 REQ-2, RFC 6146 3.5.1.1), kept while the host has bindings.
 */
struct nat64_host {
	struct nat64_hnode h;
	struct in6_addr addr;
	uint32_t refs;			/* bindings pointing here */
	uint32_t sessions;
	struct nat64_prefix *prefix;
	struct in_addr paired[CONFIG_L4_COUNT];
	uint8_t paired_mask;		/* bit l4: paired[l4] is set */
};

struct nat64_block_owner;

/*
 * A port block (RFC 7422): ports lo..hi of addr4 for protocol l4, lent to
 * one IPv6 prefix of host-prefix-length bits (its owner), which gets its
 * dynamic bindings there; held while any binding is in it
 * (nat64_block.c).
 */
struct nat64_block {
	struct nat64_block_owner *owner;
	struct nat64_block *next;	/* the owner's other blocks */
	struct in_addr addr4;
	uint16_t lo, hi;
	uint32_t nbib;			/* bindings inside */
};

/* The blocks of one prefix for one protocol. */
struct nat64_block_owner {
	struct nat64_hnode h;
	struct in6_addr pfx;		/* cut to len bits */
	uint8_t len;
	enum config_l4 l4;
	uint32_t n;
	struct nat64_block *blocks;
};

/* A binding: (addr6, port6) <-> (addr4, port4) for one protocol. */
struct nat64_bib {
	struct nat64_hnode h6, h4;
	struct in6_addr addr6;
	struct in_addr addr4;
	uint16_t port6, port4;
	enum config_l4 l4;
	bool is_static;
	uint32_t nsessions;
	struct nat64_session *sessions;	/* list through bnext/bprev */
	struct nat64_host *host;	/* sessions per IPv6 address */
	struct nat64_block *block;	/* the port block it is in, or NULL */
};

/* A packet kept while a simultaneous open may still happen. */
struct nat64_stored {
	bool v6;		/* an IPv6 packet (hairpinned): answer in ICMPv6 */
	uint32_t len;
	uint8_t data[];
};

/*
 * A session: the binding, plus the remote end as both sides see it. The
 * local IPv4 transport address is kept apart from the binding because a
 * waiting IPv4 SYN has a session but no binding yet (bib == NULL).
 * ICMP sessions use the identifier as local port and 0 as remote port.
 */
struct nat64_session {
	struct nat64_hnode h6, h4;
	struct nat64_bib *bib;
	struct in_addr local4;
	struct in_addr remote4;
	struct in6_addr remote6;	/* remote4 under pool6 */
	uint16_t lport4;
	uint16_t rport;
	enum config_l4 l4;
	uint8_t state;			/* enum nat64_tcp_state (TCP) */
	uint8_t timer;			/* enum nat64_timer */
	int64_t touched_ms;		/* last refresh */
	struct nat64_session *tprev, *tnext;
	struct nat64_session *bprev, *bnext;
	struct nat64_stored *stored;
};

struct pool4_map;

/*
 * The pool4 copy, the ports in use of each of its addresses (a
 * nat64_portmap per address and protocol with bindings, by hash and on a
 * list), and the RFC 6056 algorithm 3 counters.
 */
struct nat64_pool4 {
	struct pool4_entry *e;
	size_t n;
	struct nat64_htab maps;
	struct pool4_map *maps_head;
	uint32_t next[CONFIG_L4_COUNT];		/* "next_ephemeral" */
	uint64_t total[CONFIG_L4_COUNT];	/* addresses x ports */
	uint64_t used[CONFIG_L4_COUNT];		/* bindings inside pool4 */
	uint64_t words;		/* bitmap words allocations read (tests) */
};

struct nat64_log_ops;

struct nat64_state {
	uint8_t key[NAT64_KEY_LEN];
	/* The owner's logging hook (nat64_log.h), or NULL. */
	const struct nat64_log_ops *log_ops;
	void *log_arg;
	struct nat64_htab owners;	/* port blocks, by prefix and l4 */
	uint64_t nblocks[CONFIG_L4_COUNT];
	/* Scratch of the operation in progress (under the lock): the block
	 * nat64_pool4_alloc took a port from, for the binding nat64_bib_add
	 * makes next (then NULL again), and why bindings and sessions go,
	 * for the log (NULL: "removed"). */
	struct nat64_block *blk;
	const char *why;
	struct nat64_htab bib6, bib4, sess6, sess4, hosts, prefixes;
	uint8_t prefix_len;		/* of the prefixes' records */
	struct nat64_session *thead[NAT64_T_COUNT], *ttail[NAT64_T_COUNT];
	struct nat64_pool4 pool4;
	struct in_addr *static4;	/* addresses of the static bindings */
	size_t nstatic4;
	struct det_entry *det;		/* pool4-deterministic (nat64_det.c) */
	size_t ndet;
	uint64_t nbib[CONFIG_L4_COUNT];
	uint64_t nsess[CONFIG_L4_COUNT];
	uint32_t nstored;
	int64_t now_ms;			/* latest time seen */
	pthread_mutex_t lock;		/* everything above (nat64_lock) */
	uint64_t lock_taken;		/* acquisitions (under the lock) */
	uint64_t lock_contended;	/* of which had to wait */
};

/*
 * The state's mutex. nat64_lock counts an acquisition that found it
 * taken (trylock failed) in lock_contended, so that contention between
 * the translating threads can be read (nat64_state_counts) rather than
 * guessed.
 */
void nat64_lock(struct nat64_state *st);
void nat64_unlock(struct nat64_state *st);

/*
 * One operation on the state: the configuration in force, the counters,
 * and the time (never earlier than any time seen before).
 */
struct nat64_op {
	struct nat64_state *st;
	const struct config *cfg;
	struct xlat_stats *stats;	/* may be NULL */
	int64_t now;
};

void nat64_op_init(struct nat64_op *op, struct nat64_state *st,
		   const struct config *cfg, struct xlat_stats *stats,
		   int64_t now_ms);

/* --- life cycle ----------------------------------------------------------- */

/* key: the secret of the hashes and of port allocation (any 16 bytes). */
struct nat64_state *nat64_state_new(const uint8_t key[NAT64_KEY_LEN]);
void nat64_state_free(struct nat64_state *st);

/*
 * Makes pool4 and the static bindings those of cfg: bindings (and their
 * sessions) outside the new pool4 go, static ones not in cfg go, the new
 * ones come, taking over dynamic ones in their way. Returns 0, or -1 with
 * a message when memory ran out (the state is consistent but partial).
 */
int nat64_state_sync(struct nat64_state *st, const struct config *cfg,
		     struct xlat_stats *stats, char *err, size_t errlen);

/* --- bindings and sessions (nat64_state.c) -------------------------------- */

struct nat64_bib *nat64_bib_find6(const struct nat64_state *st,
				  enum config_l4 l4,
				  const struct in6_addr *a, uint16_t port);
struct nat64_bib *nat64_bib_find4(const struct nat64_state *st,
				  enum config_l4 l4,
				  const struct in_addr *a, uint16_t port);
/* A binding from addr6#port6 to addr4#port4 (NULL: out of memory). */
struct nat64_bib *nat64_bib_add(struct nat64_op *op, enum config_l4 l4,
				const struct in6_addr *a6, uint16_t p6,
				const struct in_addr *a4, uint16_t p4,
				bool is_static);
/* Removes a binding and every session of it. */
void nat64_bib_remove(struct nat64_op *op, struct nat64_bib *b);
/* Removes every binding want selects (all if NULL); -1: out of memory. */
int nat64_bib_remove_if(struct nat64_op *op,
			bool (*want)(const struct nat64_state *st,
				     const struct nat64_bib *b,
				     const void *arg),
			const void *arg);

/* By the IPv6 view: local = the IPv6 host's side, remote = Y'#y. */
struct nat64_session *nat64_sess_find6(const struct nat64_state *st,
				       enum config_l4 l4,
				       const struct in6_addr *local,
				       uint16_t lport,
				       const struct in6_addr *remote,
				       uint16_t rport);
/* By the IPv4 view: local = the pool4 side, remote = Y#y. */
struct nat64_session *nat64_sess_find4(const struct nat64_state *st,
				       enum config_l4 l4,
				       const struct in_addr *local,
				       uint16_t lport,
				       const struct in_addr *remote,
				       uint16_t rport);

/* The remote end of a new session. */
struct nat64_remote {
	struct in_addr a4;
	struct in6_addr a6;
	uint16_t port;
};

/*
 * A session of binding b (or, b == NULL, a waiting one for local4#lport4)
 * in timer class t. Returns NULL when a limit or memory refuses it; *why
 * then holds the counter.
 */
struct nat64_session *nat64_sess_add(struct nat64_op *op, enum config_l4 l4,
				     struct nat64_bib *b,
				     const struct in_addr *local4,
				     uint16_t lport4,
				     const struct nat64_remote *r,
				     enum nat64_timer t, int *why);
void nat64_sess_remove(struct nat64_op *op, struct nat64_session *s);
/* Gives a waiting session its binding (a matching IPv6 SYN came). */
int nat64_sess_bind(struct nat64_op *op, struct nat64_session *s,
		    struct nat64_bib *b);
/* Refreshes s in timer class t (moves it to the tail of t's FIFO). */
void nat64_sess_touch(struct nat64_op *op, struct nat64_session *s,
		      enum nat64_timer t);
/* Whether binding b has a session with remote IPv4 address a (RFC 6146
 * 3.5.1, address-dependent filtering). */
bool nat64_bib_knows(const struct nat64_bib *b, const struct in_addr *a);
/* Whether a is one of the NAT64's own IPv4 addresses (pool4 or a static
 * binding): packets to it from the IPv6 side hairpin (RFC 6146 3.8). */
bool nat64_is_own4(const struct nat64_state *st, const struct in_addr *a);

/* --- IPv6 hosts and prefixes (nat64_host.c) ------------------------------- */

const struct nat64_host *nat64_host_find(const struct nat64_state *st,
					 const struct in6_addr *a);
/* The record of a (made if needed), one more reference; NULL: no memory. */
struct nat64_host *nat64_host_get(struct nat64_state *st,
				  const struct in6_addr *a);
void nat64_host_put(struct nat64_state *st, struct nat64_host *host);
/* delta sessions more for the host and its prefix. */
void nat64_host_count(struct nat64_host *host, int delta);
/* a4 becomes the host's l4 address unless it has one still in pool4. */
void nat64_host_pair(struct nat64_state *st, struct nat64_host *host,
		     enum config_l4 l4, const struct in_addr *a4);
/* Regroups the hosts by prefixes of len bits; -1: out of memory. */
int nat64_host_regroup(struct nat64_state *st, uint8_t len);

/* --- pool4 (nat64_pool4.c) -------------------------------------------------- */

/* Replaces the pool4 copy; marks the ports of the bindings inside it. */
int nat64_pool4_set(struct nat64_state *st, const struct config *cfg);
bool nat64_pool4_contains(const struct nat64_pool4 *p, enum config_l4 l4,
			  const struct in_addr *a, uint16_t port);
/* Whether pool4 lends ports of address a for l4. */
bool nat64_pool4_has(const struct nat64_pool4 *p, enum config_l4 l4,
		     const struct in_addr *a);
/* A binding's port is in use (if inside pool4); -1: out of memory. */
int nat64_pool4_take(struct nat64_state *st, enum config_l4 l4,
		     const struct in_addr *a, uint16_t port);
void nat64_pool4_give(struct nat64_state *st, enum config_l4 l4,
		      const struct in_addr *a, uint16_t port);
/*
 * RFC 6056 algorithm 3 with RFC 6146 3.5.1.1 preferences: a free pool4
 * address and port for a new binding of src6#sport talking to dst4#dport:
 * the address the host's other bindings use if it has a free port, and
 * the source port's range (1-1023 or 1024-65535) and parity when
 * possible. Returns 0, or -1 when pool4 has nothing free. Counts in op
 * a binding that could not get its host's address.
 */
int nat64_pool4_alloc(struct nat64_op *op, enum config_l4 l4,
		      const struct in6_addr *src6, uint16_t sport,
		      const struct in_addr *dst4, uint16_t dport,
		      struct in_addr *a4, uint16_t *p4);
void nat64_pool4_free(struct nat64_pool4 *p);
/* A free port of a in [lo, hi] of the parity given (PORTMAP_ANY: any),
 * from start on, wrapping (nat64_det.c, nat64_block.c). */
int nat64_pool4_block_port(struct nat64_state *st, enum config_l4 l4,
			   const struct in_addr *a, uint32_t lo, uint32_t hi,
			   uint32_t start, int parity, uint16_t *p4);

/* --- port blocks (nat64_block.c) ------------------------------------------- */

/*
 * A port for src6#sport from its prefix's blocks (pool4-block-size on),
 * a new block when they are full and the prefix has fewer than
 * pool4-blocks-per-host; sets st->blk. -1 (counted) when none is free.
 */
int nat64_block_alloc(struct nat64_op *op, enum config_l4 l4,
		      const struct in6_addr *src6, uint16_t sport,
		      uint64_t off, struct in_addr *a4, uint16_t *p4);
/* A binding of block k went; the last one releases it. */
void nat64_block_put(struct nat64_op *op, struct nat64_block *k);
/* Reserves the ports of every block inside the new pool4 (sync). */
int nat64_block_remark(struct nat64_state *st);
/* Frees the blocks left (the state's end; no binding left). */
void nat64_block_free_all(struct nat64_state *st);

/* --- walking, counting ------------------------------------------------------ */

struct nat64_counts {
	uint64_t bib[CONFIG_L4_COUNT];
	uint64_t sessions[CONFIG_L4_COUNT];
	uint32_t stored;
	uint64_t hosts;
	uint64_t pool4_used[CONFIG_L4_COUNT];	/* bindings inside pool4 */
	uint64_t pool4_total[CONFIG_L4_COUNT];	/* addresses x ports */
	uint64_t lock_taken, lock_contended;	/* nat64_lock */
	uint64_t blocks[CONFIG_L4_COUNT];	/* port blocks lent */
};

/* One consistent snapshot of the counts (under the lock). */
void nat64_state_counts(const struct nat64_state *st, struct nat64_counts *c);
/* The state's clock: the latest time it has seen. */
int64_t nat64_state_now(const struct nat64_state *st);

/*
 * Finds the dynamic or static binding of l4 at a6#port (is6) or
 * a4#port and removes it with its sessions, at once and under the lock:
 * a packet thread cannot free it in between. *gone gets a copy of it
 * (its hash links and pointers meaningless). Returns 0, or -1 when there
 * is no such binding.
 */
int nat64_bib_forget(struct nat64_state *st, const struct config *cfg,
		     struct xlat_stats *stats, int64_t now_ms,
		     enum config_l4 l4, bool is6, const void *addr,
		     uint16_t port, struct nat64_bib *gone);

/* Callbacks return nonzero to stop the walk (which returns that value). */
typedef int (*nat64_bib_fn)(void *arg, const struct nat64_bib *b);
typedef int (*nat64_sess_fn)(void *arg, const struct nat64_session *s);

/* Every binding of protocol l4 (hash order), under the lock. */
int nat64_bib_walk(const struct nat64_state *st, enum config_l4 l4,
		   nat64_bib_fn fn, void *arg);
/* Every session of protocol l4, oldest refresh first in each class,
 * under the lock. */
int nat64_sess_walk(const struct nat64_state *st, enum config_l4 l4,
		    nat64_sess_fn fn, void *arg);

/* When session s expires under cfg (ms, the state's clock). */
int64_t nat64_sess_deadline(const struct nat64_session *s,
			    const struct config *cfg);

#endif
