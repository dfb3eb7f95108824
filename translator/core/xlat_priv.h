/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the translation core's files: byte-level header
 * access, parsed packet descriptions, and the functions each file offers
 * the others. Also the core's interface for extensions that map addresses
 * (struct xlat_map_ops): mode nat64 (translator/nat64) builds on it; the
 * core never calls up. Headers are read and written by offset with
 * explicit byte order, so no alignment is ever assumed about the input.
 */
#ifndef TRANSLATOR_XLAT_PRIV_H
#define TRANSLATOR_XLAT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>

#include "addrmap.h"
#include "bytes.h"
#include "csum.h"
#include "xlat.h"

/* IPv4 header (RFC 791) field offsets. */
#define IP4_HLEN	20u
#define IP4_TOS		1
#define IP4_TOTLEN	2
#define IP4_ID		4
#define IP4_FRAG	6
#define IP4_TTL		8
#define IP4_PROTO	9
#define IP4_CSUM	10
#define IP4_SRC		12
#define IP4_DST		16
#define IP4_DF		0x4000u
#define IP4_MF		0x2000u
#define IP4_OFFMASK	0x1fffu

/* IPv6 header (RFC 8200) and Fragment header offsets. */
#define IP6_HLEN	40u
#define IP6_PLEN	4
#define IP6_NH		6
#define IP6_HLIM	7
#define IP6_SRC		8
#define IP6_DST		24
#define FRAG6_LEN	8u
#define FRAG6_NH	0
#define FRAG6_OFF	2
#define FRAG6_ID	4

#define ICMP_HLEN	8u
#define UDP_CSUM	6
#define TCP_CSUM	16
#define ICMP_CSUM	2
/* RFC 4443 3.1 code 5, which libc does not name (yet). */
#ifndef ICMP6_DST_UNREACH_POLICY
#define ICMP6_DST_UNREACH_POLICY 5
#endif
#define ICMP_ID_OFF	4	/* echo identifier (RFC 792, RFC 4443 4.1) */

/* Largest ICMP errors sent or translated (RFC 1812 4.3.2.3, RFC 4443 2.4). */
#define ICMP4_ERR_MAX	576u
#define ICMP6_ERR_MAX	1280u
/* RFC 7915 section 5.1: translated packets above this get DF=1. */
#define XLAT_DF_THRESHOLD 1260u
#define IPV6_MIN_MTU	1280u
#define XLAT_DEFAULT_MTU 1500u

/*
 * A parsed IPv4 packet. For an outer packet avail == tot_len; for the
 * packet quoted in an ICMP error, avail may be less (it was truncated).
 */
struct pkt4 {
	const uint8_t *p;
	size_t avail;		/* bytes present from p */
	size_t hlen;		/* IHL * 4 */
	size_t tot_len;		/* Total Length as the header says */
	uint8_t proto;
	bool df, mf;
	uint16_t frag_off;	/* bytes */
	uint16_t id;
};

static inline const uint8_t *pkt4_l4(const struct pkt4 *pi)
{
	return pi->p + pi->hlen;
}

static inline size_t pkt4_l4_avail(const struct pkt4 *pi)
{
	return pi->avail - pi->hlen;
}

/* Transport length as the header says. */
static inline size_t pkt4_l4_len(const struct pkt4 *pi)
{
	return pi->tot_len - pi->hlen;
}

static inline bool pkt4_is_frag(const struct pkt4 *pi)
{
	return pi->mf || pi->frag_off;
}

struct pkt6 {
	const uint8_t *p;
	size_t avail;		/* bytes present from p */
	size_t tot_len;		/* 40 + Payload Length */
	size_t l4_off;		/* upper-layer header (or fragment data) */
	uint8_t proto;		/* last Next Header value */
	bool has_frag;
	bool mf;
	uint16_t frag_off;	/* bytes */
	uint32_t frag_id;
	size_t rh_segleft_off;	/* offset of a non-zero Segments Left, or 0 */
	bool ext_after_frag;	/* extension header after the Fragment header */
};

static inline size_t pkt6_l4_avail(const struct pkt6 *pi)
{
	return pi->avail - pi->l4_off;
}

static inline size_t pkt6_l4_len(const struct pkt6 *pi)
{
	return pi->tot_len - pi->l4_off;
}

static inline bool pkt6_is_frag(const struct pkt6 *pi)
{
	return pi->has_frag && (pi->mf || pi->frag_off);
}

/*
 * Parsers. inner == true is for the packet quoted in an ICMP error: its
 * length fields may exceed what is present. Return 0 or the drop counter.
 */
int pkt4_parse(const uint8_t *p, size_t len, bool inner, struct pkt4 *pi);
int pkt6_parse(const uint8_t *p, size_t len, bool inner, struct pkt6 *pi);

/*
 * One call of xlat_packet: the context and what is true of this packet
 * only (its time, the caller's flags, the output). Recursion (a
 * hairpinned packet, a reassembled one) gets a copy with its own fields.
 */
struct xlat_call {
	struct xlat_ctx *ctx;
	struct xlat_out *out;
	int64_t now_ms;
	unsigned int flags;		/* XLAT_IN_* */
	/* Hairpinning: the IPv6 packet the IPv4 leg came from (else NULL). */
	const uint8_t *hp_orig;
	size_t hp_orig_len;
	/*
	 * SIIT, from IPv6: the outer destination was mapped through pool6
	 * (set by xlat64_addrs), the one case RFC 7757 4.2 hairpins; so
	 * xlat64_is_hairpin need not map it again.
	 */
	bool dst_by_pool6;
};

struct xlat_fix;

/* Every drop goes through here so that it is counted by reason. */
static inline enum xlat_verdict xlat_drop(struct xlat_ctx *ctx, int reason)
{
	xlat_count(ctx->stats, (enum xlat_counter)reason);
	return XLAT_DROP;
}

/* 0 when an address mapping succeeded, else the drop counter. */
static inline int map_result(enum addrmap_rule rule)
{
	if (rule == ADDRMAP_EAMT || rule == ADDRMAP_POOL6)
		return 0;
	if (rule == ADDRMAP_NON_GLOBAL)
		return XLAT_CNT_DROP_WKP_NON_GLOBAL;
	return rule == ADDRMAP_DENIED ? XLAT_CNT_DROP_DENYLIST :
					XLAT_CNT_DROP_NO_MAPPING;
}

/*
 * Egress MTU towards dst on side: xlat_mtu_chain with what the caller's
 * mtu_ops peek knows. A destination it does not know (or knows stale) is
 * recorded in c->out->miss for the caller to resolve after the call: the
 * first packet towards a new destination gets the fallback (configured
 * MTU, interface MTU, 1500), exactly as when the daemon's route cache
 * was over its query budget; the next one the route's answer.
 */
uint32_t xlat_mtu(struct xlat_call *c, enum xlat_side side, const void *dst);

/* Records dst in out->miss for the caller to resolve (once each). */
void xlat_mtu_missed(struct xlat_out *out, enum xlat_side side,
		     const void *dst);

/* xlat_mtu for the fast path, which has no xlat_call. */
uint32_t xlat_mtu_at(const struct xlat_ctx *ctx, struct xlat_out *out,
		     enum xlat_side side, const void *dst, int64_t now_ms);

/*
 * xlat_out_add with room reserved for len bytes but the packet len_used
 * long (<= len): xlat_out_add then xlat_out_trim_last in one step.
 */
static inline uint8_t *xlat_out_push(struct xlat_out *out, size_t len,
				     size_t len_used, enum xlat_side side)
{
	size_t start = (out->used + 7) & ~(size_t)7;
	struct xlat_out_pkt *op;

	if (!out->count && out->direct[side] && len <= out->direct_room[side]) {
		/* Straight into the caller's egress slot: no arena bytes. */
		op = &out->pkt[out->count++];
		op->data = out->direct[side];
		op->len = (uint32_t)len_used;
		op->side = side;
		op->flags = 0;
		return op->data;
	}
	if (out->count >= XLAT_MAX_OUT || len > XLAT_ARENA_SIZE ||
	    start > XLAT_ARENA_SIZE - len)
		return NULL;
	op = &out->pkt[out->count++];
	op->data = out->arena + start;
	op->len = (uint32_t)len_used;
	op->side = side;
	op->flags = 0;
	out->used = start + len_used;
	return op->data;
}

/*
 * Arena bytes in use once op, of len bytes, is the last packet: none
 * when it is in a direct window (only ever the first packet).
 */
static inline size_t xlat_out_end(const struct xlat_out *out,
				  const struct xlat_out_pkt *op, size_t len)
{
	if (op->data == out->direct[0] || op->data == out->direct[1])
		return 0;
	return (size_t)(op->data - out->arena) + len;
}

/*
 * xlat_fast.c: the common case (a plain UDP or TCP packet, mode siit)
 * translated straight into out. Returns true when it translated the
 * packet (nothing counted: xlat_packet counts as for the general path);
 * false when the general path must take it, having changed nothing but
 * possibly the MTU misses in out, which the general path records again
 * (xlat_mtu lists a destination once).
 */
bool xlat_fast(struct xlat_ctx *ctx, const struct xlat_in *in,
	       struct xlat_out *out);

/* xlat_packet without the fast path: the reference (xlat.c). */
enum xlat_verdict xlat_general(struct xlat_ctx *ctx, const struct xlat_in *in,
			       struct xlat_out *out);

/*
 * Next IPv4 Identification for a non-atomic packet. 0 is skipped: it
 * reads as "unset" to some stacks and to tests.
 */
static inline uint16_t xlat_next_id(struct xlat_ctx *ctx)
{
	if (++ctx->ip_id_next == 0)
		ctx->ip_id_next = 1;
	return ctx->ip_id_next;
}

/*
 * A uniformly spread 32-bit value for random choices (RFC 6791 sources):
 * SplitMix64 over ctx->rand_state. Not for secrets; the caller seeds the
 * state (the daemon from getrandom), any start value works.
 */
static inline uint32_t xlat_random(struct xlat_ctx *ctx)
{
	uint64_t z = (ctx->rand_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/*
 * Echo request/reply, the only informational messages translated (RFC
 * 7915 4.2, 5.2): rewrites the type of the message at ic in place
 * (to_v6: ICMPv4 -> ICMPv6) and updates its checksum incrementally (RFC
 * 1624), so a bad one stays bad. pseudo6 is the ICMPv6 pseudo-header sum:
 * it enters the checksum towards ICMPv6 and leaves it towards ICMPv4.
 */
void icmp_echo_retype(uint8_t *ic, bool to_v6, uint32_t pseudo6);

/* xlat_46.c: IPv4 -> IPv6 ------------------------------------------------ */

/* Flags for the header translation shared by outer and inner packets. */
enum {
	XF_INNER = 1 << 0,	/* quoted in an ICMP error: no TTL decrement */
	XF_HAIRPIN = 1 << 1,	/* RFC 7757 4.2: source through pool6 */
};

enum xlat_verdict xlat_46(struct xlat_call *c, const uint8_t *pkt,
			  size_t len, unsigned int flags);

/*
 * Writes the IPv6 translation of pi's headers at dst (IPv6 header, plus a
 * Fragment header when pi is a fragment) and copies and fixes up the
 * transport part (at most max_l4 bytes of it). Returns the bytes written.
 * Used for the packet inside ICMPv4 errors too.
 */
size_t xlat46_write(struct xlat_ctx *ctx, const struct pkt4 *pi,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    unsigned int flags, uint8_t *buf, size_t max_l4);

/*
 * Maps both addresses of an inner IPv4 packet; 0 or a drop counter. With
 * XF_HAIRPIN the destination goes through pool6, mirroring the outer
 * source, so the quote reads as the packet its sender sent.
 */
int xlat46_inner_addrs(struct xlat_call *c, const struct pkt4 *pi,
		       unsigned int flags, struct in6_addr *src,
		       struct in6_addr *dst, struct xlat_fix *fix);

/* xlat_64.c: IPv6 -> IPv4 ------------------------------------------------ */

enum xlat_verdict xlat_64(struct xlat_call *c, const uint8_t *pkt,
			  size_t len);

size_t xlat64_write(struct xlat_call *c, const struct pkt6 *pi,
		    const struct in_addr *src, const struct in_addr *dst,
		    unsigned int flags, uint8_t *buf, size_t max_l4);

int xlat64_inner_addrs(struct xlat_call *c, const struct pkt6 *pi,
		       struct in_addr *src, struct in_addr *dst,
		       struct xlat_fix *fix);

/* icmp_46.c / icmp_64.c: the ICMP part, written after the IP header ----- */

/*
 * Translates the ICMPv4 message of pi into an ICMPv6 message at buf
 * (room bytes available). Returns its length, or a negative drop counter.
 */
long icmp46_translate(struct xlat_call *c, const struct pkt4 *pi,
		      const struct in6_addr *src, const struct in6_addr *dst,
		      unsigned int flags, uint8_t *buf, size_t room);
long icmp64_translate(struct xlat_call *c, const struct pkt6 *pi,
		      const struct in_addr *src, const struct in_addr *dst,
		      uint8_t *buf, size_t room);

bool icmp4_is_error(uint8_t type);
bool icmp6_is_error(uint8_t type);

/* icmp_err.c: errors the translator originates -------------------------- */

/*
 * Sends an ICMPv4 (ICMPv6) error about the packet orig (len bytes) back
 * to its source, from the translator's own address, TTL/hop limit 64,
 * quoting as much of orig as fits in 576 (1280) bytes. rest is the
 * 32-bit word after the checksum (MTU, pointer...). Never answers an ICMP
 * error (RFC 1812 4.3.2.7, RFC 4443 2.4 (e)).
 */
void icmp4_error(struct xlat_call *c, const uint8_t *orig, size_t len,
		 uint8_t type, uint8_t code, uint32_t rest);
void icmp6_error(struct xlat_call *c, const uint8_t *orig, size_t len,
		 uint8_t type, uint8_t code, uint32_t rest);

/* frag.c: fragmentation of translated packets ----------------------------- */

/*
 * Replaces the last packet in out, an IPv6 packet whose only extension
 * header can be a Fragment header right after the IPv6 header, by
 * fragments of at most mtu bytes (RFC 7915 4.1). An existing Fragment
 * header gives the identification, offset and MF; otherwise id is used.
 * Returns 0, or -1 when the output space ran out (nothing emitted then).
 */
int frag6_split_last(struct xlat_out *out, uint32_t mtu, uint32_t id);

/* Same for an IPv4 packet with DF=0 over the IPv4 egress MTU (RFC 791). */
int frag4_split_last(struct xlat_out *out, uint32_t mtu);

/*
 * mss.c: TCP MSS clamping (config mss-clamp). The MSS a SYN announces
 * limits the segments its peer sends back: those arrive on the other side
 * and leave on the SYN sender's side, 20 bytes of header different.
 */
uint32_t mss_limit(uint32_t mtu_back, size_t hdr_back, uint32_t mtu_fwd,
		   size_t hdr_fwd);
/* Lowers the MSS option of a translated SYN to at most max (and fixes the
 * TCP checksum incrementally); other packets are left alone. */
void xlat_mss_clamp(uint8_t *pkt, size_t len, uint32_t max);

/* xlat_reasm.c: fragments gathered first (reasm.h) ------------------- */

/* Whether a packet from the IPv6 (IPv4) side goes to the reassembler. */
bool xlat_reasm_wanted6(const struct xlat_ctx *ctx, const struct pkt6 *pi);
bool xlat_reasm_wanted4(const struct xlat_ctx *ctx, const struct pkt4 *pi);
/*
 * Keeps the fragment (XLAT_HELD), drops it (counted), or translates the
 * packet it completes as reassembled (XLAT_IN_REASSEMBLED).
 */
enum xlat_verdict xlat_reasm64(struct xlat_call *c, const struct pkt6 *pi);
enum xlat_verdict xlat_reasm46(struct xlat_call *c, const struct pkt4 *pi,
			       unsigned int flags);

/* Address mapping: SIIT's own, or an extension's ---------------------- */

/*
 * A port or ICMP identifier the mapping gives, written into the
 * translated transport header (NAT64 rewrites them, SIIT never).
 */
struct xlat_fix {
	enum { XLAT_FIX_NONE, XLAT_FIX_SRC, XLAT_FIX_DST, XLAT_FIX_ID } what;
	uint16_t port;
};

/*
 * How addresses are mapped: a const table the context points to, chosen
 * at configuration time. Each returns 0 or the drop counter; flags are
 * the XF_* of the packet. The mapping may answer a refused packet with
 * an ICMP error (icmp4_error/icmp6_error on c); a refusal by the WKP rule
 * (XLAT_CNT_DROP_WKP_NON_GLOBAL) is answered by the core.
 */
struct xlat_map_ops {
	/* The outer addresses of a packet from the IPv6 (IPv4) side. */
	int (*addrs64)(struct xlat_call *c, const struct pkt6 *pi,
		       struct in_addr *src4, struct in_addr *dst4,
		       struct xlat_fix *fix);
	int (*addrs46)(struct xlat_call *c, const struct pkt4 *pi,
		       unsigned int flags, struct in6_addr *src6,
		       struct in6_addr *dst6, struct xlat_fix *fix);
	/* The same for the packet quoted in an ICMP error. */
	int (*inner64)(struct xlat_call *c, const struct pkt6 *in,
		       struct in_addr *src4, struct in_addr *dst4,
		       struct xlat_fix *fix);
	int (*inner46)(struct xlat_call *c, const struct pkt4 *in,
		       unsigned int flags, struct in6_addr *src6,
		       struct in6_addr *dst6, struct xlat_fix *fix);
	/*
	 * Whether a packet from the IPv6 side, translated towards dst4,
	 * comes back to the IPv6 side (RFC 7757 4.2, RFC 6146 3.8); dst6
	 * receives the IPv6 address whose MTU then applies.
	 */
	bool (*hairpin)(const struct xlat_call *c, const struct pkt6 *pi,
			const struct in_addr *dst4, struct in6_addr *dst6);
};

/* SIIT's mapping (addrmap: EAMT, pool6, RFC 6791, RFC 7757). */
extern const struct xlat_map_ops xlat_map_siit;

/* The mapping of this call's configuration (never NULL). */
const struct xlat_map_ops *xlat_map(const struct xlat_ctx *ctx);

/*
 * Writes the port or identifier of fix into the translated transport
 * header at l4 (avail bytes; proto as translated), checksum updated
 * incrementally (RFC 1624).
 */
void xlat_fix_l4(uint8_t *l4, size_t avail, uint8_t proto,
		 const struct xlat_fix *fix);

/* SIIT's mapping functions (xlat_46.c, xlat_64.c). */
int xlat64_addrs(struct xlat_call *c, const struct pkt6 *pi,
		 struct in_addr *src4, struct in_addr *dst4,
		 struct xlat_fix *fix);
int xlat46_addrs(struct xlat_call *c, const struct pkt4 *pi,
		 unsigned int flags, struct in6_addr *src6,
		 struct in6_addr *dst6, struct xlat_fix *fix);
bool xlat64_is_hairpin(const struct xlat_call *c, const struct pkt6 *pi,
		       const struct in_addr *dst4, struct in6_addr *dst6);

#endif
