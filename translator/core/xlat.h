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
	uint8_t *data;		/* inside the arena, 8-byte aligned */
	uint32_t len;
	enum xlat_side side;	/* side it leaves through */
	unsigned int flags;	/* XLAT_OUT_* */
};

struct xlat_out {
	struct xlat_out_pkt pkt[XLAT_MAX_OUT];
	unsigned int count;
	size_t used;		/* arena bytes in use */
	uint8_t *arena;		/* XLAT_ARENA_SIZE bytes, 8-byte aligned */
};

/*
 * Egress MTU for a destination on one side. The daemon asks the routing
 * table; offline users return a constant. 0 means "unknown": the config's
 * mtu4/mtu6 and then 1500 are used.
 */
typedef uint32_t (*xlat_mtu_fn)(void *arg, enum xlat_side side,
				const void *dst_addr);

struct nat64_state;
struct reasm;

struct xlat_ctx {
	const struct config *cfg;
	struct xlat_stats *stats;	/* may be NULL */
	xlat_mtu_fn mtu_fn;		/* may be NULL */
	void *mtu_arg;
	/*
	 * IPv4 Identification source for translated packets that are not
	 * atomic (DF=0, RFC 6864 section 4): a counter the core advances.
	 * Any start value works; it is the only state the core keeps.
	 */
	uint16_t ip_id_next;
	/*
	 * Set by the caller for one call: the packet is a TCP GSO/GRO
	 * aggregate that the caller cuts into segments fitting the egress
	 * MTU after translation. The core then neither answers "too big"
	 * nor fragments; it translates the aggregate whole.
	 */
	bool aggregate;
	/*
	 * Mode nat64 (RFC 6146): the bindings and sessions, which the caller
	 * creates and keeps in sync with cfg (nat64_state.h). now_ms: the
	 * caller's clock in milliseconds (any origin, never going back; the
	 * state holds it if it does), for the state and the reassembler.
	 */
	struct nat64_state *nat64;
	int64_t now_ms;
	/*
	 * The reassembler (reasm.h), which the caller creates once and
	 * keeps; its clock is now_ms. May be NULL: fragmented ICMP is then
	 * dropped (RFC 7915 1.2), and so are NAT64's fragments.
	 */
	struct reasm *reasm;
	/* Core-internal: the IPv6 packet being hairpinned (mode nat64). */
	const uint8_t *hp_orig;
	size_t hp_orig_len;
	/*
	 * The packet being translated was reassembled (by the core:
	 * xlat_reasm.c sets it around the call on the whole packet). Its
	 * source fragmented it, so it leaves IPv4 with DF=0, cut to the MTU,
	 * never answered "too big" (RFC 7915 5.1). Set for one call.
	 */
	bool reassembled;
};

/* Allocates the arena; returns -1 on allocation failure. */
int xlat_out_init(struct xlat_out *out);
void xlat_out_free(struct xlat_out *out);
/* Forgets the packets of the previous call (keeps the arena). */
void xlat_out_reset(struct xlat_out *out);

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
 * Translates one packet that arrived on side `from`. pkt need not be
 * aligned; len is what was received. The output is appended to out (reset
 * it between packets). Every drop is counted by reason in ctx->stats.
 */
enum xlat_verdict xlat_packet(struct xlat_ctx *ctx, enum xlat_side from,
			      const uint8_t *pkt, size_t len,
			      struct xlat_out *out);

/*
 * Offset of the MSS option's value (RFC 9293 3.7.1) in the TCP header t
 * of doff bytes (its data offset, checked by the caller), 0 if none.
 */
size_t xlat_tcp_mss_off(const uint8_t *t, size_t doff);

/*
 * Mode nat64: expires what is due at ctx->now_ms, appending to out the
 * ICMP errors that answer IPv4 SYNs kept in vain (RFC 6146 3.5.2.2).
 * Returns 1 when out filled up before everything due was done (send out,
 * reset it and call again), else 0. Call it at least every second or so,
 * and at nat64_next_expiry (nat64_flow.h).
 */
int xlat_nat64_timers(struct xlat_ctx *ctx, struct xlat_out *out);

#endif
