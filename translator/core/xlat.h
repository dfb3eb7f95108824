/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The translation core: a pure function of (configuration, counters,
 * packet in) -> (packets out, verdict). No sockets, no clocks, no globals:
 * the daemon, `transctl replay` and the tests all drive it the same way.
 */
#ifndef TRANSLATOR_XLAT_H
#define TRANSLATOR_XLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "stats.h"

enum xlat_side {
	XLAT_SIDE_V6,	/* the translator's IPv6-facing side */
	XLAT_SIDE_V4,	/* the translator's IPv4-facing side */
};

enum xlat_verdict {
	XLAT_TRANSLATED,	/* out holds the translation; drop the original */
	XLAT_DROP,		/* drop the original; out may hold an ICMP error */
	/*
	 * Kept by the core: a fragment waiting for the rest of its packet
	 * (fragmented ICMP in mode siit, every fragment in mode nat64, RFC
	 * 6146 3.4). Nothing to send, the original goes, and it is not a
	 * drop (fragments_held counts it).
	 */
	XLAT_HELD,
};

/* Largest packet the core accepts or emits (IP total length limit). */
#define XLAT_MAX_PKT	65535u
/* Most packets one input can produce (fragments of a 64 KB packet). */
#define XLAT_MAX_OUT	128u
/* Arena for the output packets: a translated 64 KB packet plus headers. */
#define XLAT_ARENA_SIZE	(2u * 65536u + 128u * 64u)

/* What an output packet is, beyond a translation (xlat_out_pkt.flags). */
#define XLAT_OUT_ERROR	0x1u	/* an ICMP error the translator originates */
#define XLAT_OUT_FRAG	0x2u	/* a fragment the translator cut */

struct xlat_out_pkt {
	uint8_t *data;		/* arena or direct window, 8-byte aligned */
	uint32_t len;
	enum xlat_side side;	/* side it leaves through */
	unsigned int flags;	/* XLAT_OUT_* */
};

/* Destinations whose MTU the core found unknown or stale in one call. */
#define XLAT_MTU_MISS_MAX	4u

struct xlat_mtu_miss {
	enum xlat_side side;
	uint8_t addr[16];	/* struct in_addr / in6_addr of that side */
};

struct xlat_out {
	struct xlat_out_pkt pkt[XLAT_MAX_OUT];
	unsigned int count;
	size_t used;		/* arena bytes in use */
	uint8_t *arena;		/* XLAT_ARENA_SIZE bytes, 8-byte aligned */
	/* MTU lookups to resolve after the call (xlat_mtu_ops), first few. */
	struct xlat_mtu_miss miss[XLAT_MTU_MISS_MAX];
	unsigned int miss_count;
	/*
	 * Where the first packet of a call goes instead of the arena, by
	 * the side it leaves through (xlat_out_direct): the caller's next
	 * egress slot, so that a translated packet is written once, where
	 * it leaves from. NULL: the arena. Cleared by xlat_out_reset.
	 */
	uint8_t *direct[2];
	size_t direct_room[2];
};

/*
 * What the caller says about one packet (xlat_in.flags).
 *
 * AGGREGATE: a TCP GSO/GRO aggregate that the caller cuts into segments
 * fitting the egress MTU after translation: the core neither answers
 * "too big" nor fragments; it translates the aggregate whole.
 *
 * REASSEMBLED: the caller reassembled the packet (the daemon gathers
 * fragmented ICMP; mode nat64 reassembles in the core and says so
 * itself). Its source fragmented it, so it leaves IPv4 with DF=0, cut to
 * the MTU, never answered "too big" (RFC 7915 5.1).
 */
#define XLAT_IN_AGGREGATE	0x1u
#define XLAT_IN_REASSEMBLED	0x2u

/* One packet to translate, with everything that is true of this call only. */
struct xlat_in {
	enum xlat_side side;	/* the side it arrived on */
	const uint8_t *data;	/* need not be aligned */
	size_t len;		/* what was received */
	/*
	 * The caller's clock in milliseconds (any origin, never going back;
	 * a stateful extension holds its time if it does).
	 */
	int64_t now_ms;
	unsigned int flags;	/* XLAT_IN_* */
};

struct reasm;

/*
 * Egress MTUs the caller knows, read by the core without waiting: peek
 * answers from what is already at hand (the daemon: its route cache, even
 * an expired answer, else a learned path MTU) and never asks anyone (no
 * netlink, no lock). 0 means "nothing known". *stale is set when the
 * answer should be refreshed: the core then records the destination in
 * xlat_out.miss, and the caller resolves it after the call (where it may
 * block), so that the next packet finds it. The first packet towards a
 * new destination therefore gets the fallback of xlat_mtu_chain (the
 * configured MTU, the interface MTU, 1500), as a throttled route lookup
 * always did; the route's own MTU applies from the next packet on.
 */
struct xlat_mtu_ops {
	uint32_t (*peek)(const void *arg, enum xlat_side side, const void *dst,
			 int64_t now_ms, bool *stale);
};

struct xlat_map_ops;

/*
 * The long-lived context: configuration, counters and the core's one
 * piece of state. Nothing in it is set for one call (that is xlat_in).
 */
struct xlat_ctx {
	const struct config *cfg;
	struct xlat_stats *stats;	/* may be NULL */
	/* Egress MTU source (may be NULL: the fallback chain only). */
	const struct xlat_mtu_ops *mtu_ops;
	const void *mtu_arg;
	/*
	 * MTU of the interface of each side (`interface v4|v6`), read by
	 * the caller at configuration time; 0 if unknown. Part of the
	 * fallback chain (xlat_mtu_chain).
	 */
	uint32_t if_mtu4, if_mtu6;
	/*
	 * Address mapping of mode nat64 (RFC 6146), installed with its state
	 * in map_arg by its owner (translator/nat64) at set-up, never per
	 * call. Mode siit uses the core's own rules (EAMT, pool6, RFC 7757
	 * hairpinning); mode nat64 without it maps nothing.
	 */
	const struct xlat_map_ops *map;
	void *map_arg;
	/*
	 * IPv4 Identification source for translated packets that are not
	 * atomic (DF=0, RFC 6864 section 4): a counter the core advances.
	 * Any start value works.
	 */
	uint16_t ip_id_next;
	/*
	 * State of the core's random choices (the address of an RFC 6791
	 * pool with randomize-rfc6791-addresses): advanced at each; any
	 * start value works, the daemon seeds it from getrandom.
	 */
	uint64_t rand_state;
	/*
	 * The reassembler (reasm.h), state the caller creates once and
	 * keeps, fed on xlat_in.now_ms: fragmented ICMP in mode siit, every
	 * fragment in mode nat64 (xlat_reasm.c). May be NULL: those
	 * fragments are then dropped (RFC 7915 1.2).
	 */
	struct reasm *reasm;
	/* XLAT_CTX_*: how the core runs, set up once (0: the defaults). */
	unsigned int opts;
	/*
	 * The fast path's address cache (xlat_fcache_new), the caller's,
	 * one per context; NULL: every address is mapped afresh. It
	 * forgets by itself when cfg changes to another configuration;
	 * a configuration edited in place needs xlat_fcache_flush().
	 */
	struct xlat_fcache *fcache;
};

/* The address cache of xlat_ctx.fcache: NULL when out of memory. */
struct xlat_fcache *xlat_fcache_new(void);
void xlat_fcache_free(struct xlat_fcache *fc);
/* Forgets every cached mapping (fc may be NULL). O(1). */
void xlat_fcache_flush(struct xlat_fcache *fc);

/*
 * Every packet through the general path, never the fast one
 * (xlat_fast.c): for the tests that compare both, and for measuring.
 */
#define XLAT_CTX_NO_FAST	0x1u

/* Allocates the arena; returns -1 on allocation failure. */
int xlat_out_init(struct xlat_out *out);
void xlat_out_free(struct xlat_out *out);
/*
 * Forgets the packets, misses and direct windows of the previous call
 * (keeps the arena).
 */
void xlat_out_reset(struct xlat_out *out);
/*
 * After xlat_out_reset: the first packet of the call leaving through
 * side (the translation, or an ICMP error when it comes first), if it
 * fits in room bytes, is written at buf (8-byte aligned) rather than in
 * the arena; later ones always go to the arena. buf must not overlap
 * the packet translated. The caller compares out->pkt[0].data with buf
 * to know whether it was used. Both sides may share one buf.
 */
static inline void xlat_out_direct(struct xlat_out *out, enum xlat_side side,
				   uint8_t *buf, size_t room)
{
	out->direct[side] = buf;
	out->direct_room[side] = room;
}

/*
 * Reserves len bytes for a packet leaving through side. Returns NULL when
 * the arena or the packet slots are exhausted.
 */
uint8_t *xlat_out_add(struct xlat_out *out, size_t len, enum xlat_side side);
/* Shrinks the last packet added to len bytes (len <= its current size). */
void xlat_out_trim_last(struct xlat_out *out, size_t len);
/* Removes the last packet added. */
void xlat_out_drop_last(struct xlat_out *out);

/*
 * Counts one output packet as sent (tx_v4/tx_v6, fragments_out,
 * icmp4/icmp6_errors_sent by its flags). The core does not count what it
 * produces: the caller counts what actually leaves, after its ICMP rate
 * limit (RFC 4443 2.4 (f)), so that the counters never show errors that
 * were never sent.
 */
void xlat_count_sent(struct xlat_stats *s, const struct xlat_out_pkt *o);
/* xlat_count_sent for every packet of out. */
void xlat_count_sent_all(struct xlat_stats *s, const struct xlat_out *out);

/*
 * Translates in->data, which arrived on in->side. The output is appended
 * to out (reset it between packets). Every drop is counted by reason in
 * ctx->stats.
 */
enum xlat_verdict xlat_packet(struct xlat_ctx *ctx, const struct xlat_in *in,
			      struct xlat_out *out);

/*
 * The one MTU fallback chain, for the core and the daemon alike: the
 * configured `mtu v4|v6` (the operator knows best), else route (what the
 * caller knows of the path towards the destination, 0 if nothing), else
 * the interface MTU in ctx, else 1500.
 */
uint32_t xlat_mtu_chain(const struct xlat_ctx *ctx, enum xlat_side side,
			uint32_t route);

/* Whether the configuration fixes the MTU of side (no lookup needed). */
static inline bool xlat_mtu_configured(const struct config *cfg,
				       enum xlat_side side)
{
	return (side == XLAT_SIDE_V4 ? cfg->mtu4 : cfg->mtu6) != 0;
}

/*
 * Offset of the MSS option's value (RFC 9293 3.7.1) in the TCP header t
 * of doff bytes (its data offset, checked by the caller), 0 if none.
 */
size_t xlat_tcp_mss_off(const uint8_t *t, size_t doff);

#endif
