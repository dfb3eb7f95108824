// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fast path of mode siit: a plain UDP or TCP packet translated in one
 * straight pass, header written into the output and the transport
 * checksum updated incrementally (RFC 1624), with no parse structure, no
 * address-mapping indirection and no per-call state. Each address's
 * mapping and checksum delta come from the context's address cache
 * (xlat_fcache.h) when it has one and has seen the address under the same
 * configuration; otherwise they are worked out (addrmap_fast.h) and kept.
 *
 * It takes only what the general path (xlat_46.c, xlat_64.c) would
 * translate without any decision of its own beyond the address mapping:
 * - IPv6: no extension header, UDP or TCP with its whole header present,
 *   hop limit above 1 (RFC 7915 5.1), a non-zero UDP checksum (RFC 8200
 *   8.1: zero is dropped there);
 * - IPv4: no options (RFC 7915 4.1 source routes), a right header
 *   checksum (RFC 1812 5.2.2), not a fragment, TTL above 1, UDP or TCP
 *   with its whole header present and a non-zero UDP checksum (RFC 7915
 *   4.5: zero is refused or amended there);
 * - both addresses mapped by the EAMT (RFC 7757) or pool6 (RFC 6052),
 *   no refusal (reserved, non-global, denylisted), no RFC 7757 4.2
 *   hairpin;
 * - the translation fits the egress MTU without "too big" or
 *   fragmentation (RFC 7915 4.1, 5.1), and is not a reassembled packet.
 * Anything else returns false before any change, and the general path,
 * which stays the reference, takes the packet from the start. The output
 * is byte for byte the general path's (test_xlat_fast compares both):
 * a change of behaviour there must be made here too, or excluded here.
 */
#include <endian.h>

#include "addrmap_fast.h"
#include "xlat_fcache.h"
#include "xlat_priv.h"

/*
 * The straight path is inlined whatever the compiler's size heuristics
 * say (one frame a packet); the cache's misses are out of line.
 */
#define FAST_INLINE	static inline __attribute__((always_inline))
#define FAST_COLD	static __attribute__((noinline))

/* Offset of the UDP/TCP checksum when its header is whole, else 0. */
static inline size_t fast_csum_off(uint8_t proto, const uint8_t *l4,
				   size_t l4len)
{
	if (proto == IPPROTO_UDP)
		/* A zero UDP checksum takes the general path's rules. */
		return l4len >= 8 && rdcsum(l4 + UDP_CSUM) ? UDP_CSUM : 0;
	if (proto == IPPROTO_TCP)
		return l4len >= 20 ? TCP_CSUM : 0;
	return 0;
}

/*
 * One's complement sums on 64-bit words as they lie in memory (RFC 1071
 * 2.(B): byte order does not matter; 2^32 = 2^64 = 1 mod 0xffff, so the
 * fold equals csum_words' on the same bytes).
 */
static inline uint64_t add64c(uint64_t a, uint64_t b)
{
	a += b;
	return a + (a < b);
}

/*
 * csum_fold by rotation: the high half of x + rotate(x) is the sum of
 * both halves with its end-around carry, the value the two rounds of
 * csum_fold give (0 only for 0), in three instructions.
 */
static inline uint16_t fold32(uint32_t x)
{
	return (uint16_t)((x + (x >> 16 | x << 16)) >> 16);
}

static inline uint16_t fold64(uint64_t s)
{
	return fold32((uint32_t)((s + (s >> 32 | s << 32)) >> 32));
}

static inline uint64_t ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/*
 * What one address's translation adds to a pseudo-header sum (RFC 1624
 * eqn. 3 on the address words alone): ~m + m', unfolded (17 bits), for
 * the old address as its two 64-bit halves (k0, k1: 6to4) or 32 bits
 * (k: 4to6) as they lie in memory, and the new one likewise.
 */
static inline uint32_t fast_delta64(uint64_t k0, uint64_t k1, uint32_t v4)
{
	return (uint16_t)~fold64(add64c(k0, k1)) + fold32(v4);
}

static inline uint32_t fast_delta46(uint32_t k, uint64_t h0, uint64_t h1)
{
	return (uint16_t)~fold32(k) + fold64(add64c(h0, h1));
}

/*
 * The pseudo-header's address change (l4_fix46, l4_fix64): HC' = ~(~HC +
 * delta of the source + delta of the destination). The same bytes as
 * csum_adjust over both addresses at once: both sums are congruent mod
 * 0xffff, and both are non-zero (the new IPv4 address is never 0.0.0.0,
 * the new IPv6 one never ::, fast_6to4/fast_4to6), which is all a fold's
 * result depends on.
 */
static inline void fast_fix_l4(uint8_t *csum, bool udp, uint32_t delta)
{
	uint16_t c = (uint16_t)~fold32((uint16_t)~rdcsum(csum) + delta);

	/* RFC 768: a computed 0 is sent as all ones (never 0 here before). */
	if (udp && c == 0)
		c = 0xffff;
	wrcsum(csum, c);
}

/* xlat_mtu_at inline (the peek itself is the caller's). */
static inline uint32_t fast_mtu(const struct xlat_ctx *ctx,
				struct xlat_out *out, enum xlat_side side,
				const void *dst, int64_t now_ms)
{
	uint32_t route;
	bool stale = false;

	if (xlat_mtu_configured(ctx->cfg, side) || !ctx->mtu_ops)
		return xlat_mtu_chain(ctx, side, 0);
	route = ctx->mtu_ops->peek(ctx->mtu_arg, side, dst, now_ms, &stale);
	if (stale)
		xlat_mtu_missed(out, side, dst);
	return route ? route : xlat_mtu_chain(ctx, side, 0);
}

/* Forgets the cache's results of another configuration (xlat_fcache.h). */
FAST_INLINE struct xlat_fcache *fast_cache(struct xlat_ctx *ctx)
{
	struct xlat_fcache *fc = ctx->fcache;

	if (fc && fc->cfg != ctx->cfg) {
		xlat_fcache_flush(fc);
		fc->cfg = ctx->cfg;
	}
	return fc;
}

/*
 * One IPv6 address (k0:k1 as in memory) through the EAMT or pool6, as
 * xlat64_addrs, into e: the IPv4 address in network order, its
 * checksum delta (fast_delta64) and whether it is a pool6 address whose
 * IPv4 form the EAMT holds (RFC 7757 4.2, xlat64_is_hairpin), which the
 * caller refuses as a destination. False: refused, e unchanged. 0.0.0.0
 * is left to the general path (fast_fix_l4's non-zero sum).
 */
FAST_COLD bool fast_6to4_map(const struct config *cfg, uint64_t k0,
			     uint64_t k1, struct xlat_fc6 *e, uint32_t epoch)
{
	enum addrmap_rule rule;
	uint32_t a = 0, i;
	bool hairpin;

	rule = addrmap_6to4_w(cfg, be64toh(k0), be64toh(k1), &a);
	if ((rule != ADDRMAP_EAMT && rule != ADDRMAP_POOL6) || !a)
		return false;
	hairpin = rule == ADDRMAP_POOL6 && cfg->eamt_count &&
		  lpm_lookup4(&cfg->eamt4_lpm, a, &i);
	e->k0 = k0;
	e->k1 = k1;
	e->v4 = htonl(a);
	e->delta = fast_delta64(k0, k1, e->v4);
	e->tag = epoch << 1 | hairpin;
	return true;
}

/*
 * The address at a through the cache (xlat_fcache.h), else mapped and
 * remembered: its IPv4 form into *v4, its checksum delta added to
 * *delta. dst: refuse a hairpin.
 */
FAST_INLINE bool fast_6to4(const struct config *cfg, struct xlat_fcache *fc,
			   const uint8_t *a, bool dst, uint32_t *v4,
			   uint32_t *delta)
{
	uint64_t k0 = ld64(a), k1 = ld64(a + 8);
	struct xlat_fc6 one, *e = &one;
	uint32_t epoch = 0;

	if (fc) {
		epoch = fc->epoch;
		e = &fc->e6[xlat_fc_slot6(k0, k1)];
		if (e->k0 == k0 && e->k1 == k1 &&
		    (e->tag | !dst) == (epoch << 1 | !dst))
			goto hit;
	}
	if (!fast_6to4_map(cfg, k0, k1, e, epoch) || (dst && (e->tag & 1)))
		return false;
hit:
	*v4 = e->v4;
	*delta += e->delta;
	return true;
}

/* Both addresses, as xlat64_addrs (network order), and their delta. */
FAST_INLINE bool fast_map64(struct xlat_ctx *ctx, const uint8_t *p,
			    uint32_t *s4, uint32_t *d4, uint32_t *delta)
{
	struct xlat_fcache *fc = fast_cache(ctx);

	return fast_6to4(ctx->cfg, fc, p + IP6_DST, true, d4, delta) &&
	       fast_6to4(ctx->cfg, fc, p + IP6_SRC, false, s4, delta);
}

/* RFC 7915 section 5, the plain case of xlat_64. */
FAST_INLINE bool fast64(struct xlat_ctx *ctx, const struct xlat_in *in,
			struct xlat_out *out)
{
	const struct config *cfg = ctx->cfg;
	const uint8_t *p = in->data;
	size_t l4len, tot, coff;
	uint32_t s4 = 0, d4 = 0, mtu4, delta = 0;
	uint8_t proto, *buf;
	uint16_t id, frag;

	if (in->len < IP6_HLEN + 8 || p[0] >> 4 != 6)
		return false;
	l4len = rd16(p + IP6_PLEN);
	proto = p[IP6_NH];
	if (IP6_HLEN + l4len > in->len || p[IP6_HLIM] <= 1)
		return false;
	coff = fast_csum_off(proto, p + IP6_HLEN, l4len);
	if (!coff || !fast_map64(ctx, p, &s4, &d4, &delta))
		return false;
	mtu4 = fast_mtu(ctx, out, XLAT_SIDE_V4, &d4, in->now_ms);
	tot = IP4_HLEN + l4len;
	if (tot > mtu4)
		return false;	/* too_big64, or fragments (frag4) */
	buf = xlat_out_push(out, tot, tot, XLAT_SIDE_V4);
	if (!buf)
		return false;

	/* ip4_frag_fields: DF=1 above 1260 bytes, atomic (RFC 6864). */
	if (tot > XLAT_DF_THRESHOLD) {
		id = 0;
		frag = IP4_DF;
	} else {
		id = xlat_next_id(ctx);
		frag = 0;
	}
	buf[0] = 0x45;
	buf[IP4_TOS] = cfg->override_tos ? cfg->tos : (uint8_t)(rd16(p) >> 4);
	wr16(buf + IP4_TOTLEN, (uint16_t)tot);
	wr16(buf + IP4_ID, id);
	wr16(buf + IP4_FRAG, frag);
	buf[IP4_TTL] = (uint8_t)(p[IP6_HLIM] - 1);
	buf[IP4_PROTO] = proto;
	wrcsum(buf + IP4_CSUM, 0);
	memcpy(buf + IP4_SRC, &s4, 4);
	memcpy(buf + IP4_DST, &d4, 4);
	wrcsum(buf + IP4_CSUM,
	       (uint16_t)~fold64(add64c(add64c(ld64(buf), ld64(buf + 8)),
					 ld32(buf + 16))));
	memcpy(buf + IP4_HLEN, p + IP6_HLEN, l4len);
	fast_fix_l4(buf + IP4_HLEN + coff, proto == IPPROTO_UDP, delta);
	if (proto == IPPROTO_TCP && cfg->mss_clamp)
		xlat_mss_clamp(buf, tot,
			       mss_limit(xlat_mtu_at(ctx, out, XLAT_SIDE_V6,
						     p + IP6_SRC, in->now_ms),
					 IP6_HLEN, mtu4, IP4_HLEN));
	return true;
}

/*
 * One IPv4 address (k as in memory) through the EAMT or pool6, as
 * xlat46_addrs, into e: the IPv6 address as it lies in memory and its
 * checksum delta (fast_delta46). False: refused, e unchanged; :: is left
 * to the general path (fast_fix_l4's non-zero sum).
 */
FAST_COLD bool fast_4to6_map(const struct config *cfg, uint32_t k,
			     struct xlat_fc4 *e, uint32_t epoch)
{
	enum addrmap_rule rule;
	uint64_t hi = 0, lo = 0;

	rule = addrmap_4to6_w(cfg, ntohl(k), &hi, &lo);
	if ((rule != ADDRMAP_EAMT && rule != ADDRMAP_POOL6) || !(hi | lo))
		return false;
	e->k = k;
	e->tag = epoch << 1;
	e->h0 = htobe64(hi);
	e->h1 = htobe64(lo);
	e->delta = fast_delta46(k, e->h0, e->h1);
	return true;
}

/*
 * The address k through the cache (xlat_fcache.h), else mapped and
 * remembered: its IPv6 form into w[0..1], its checksum delta added to
 * *delta.
 */
FAST_INLINE bool fast_4to6(const struct config *cfg, struct xlat_fcache *fc,
			   uint32_t k, uint64_t *w, uint32_t *delta)
{
	struct xlat_fc4 one, *e = &one;
	uint32_t epoch = 0;

	if (fc) {
		epoch = fc->epoch;
		e = &fc->e4[xlat_fc_slot4(k)];
		if (e->k == k && e->tag == epoch << 1)
			goto hit;
	}
	if (!fast_4to6_map(cfg, k, e, epoch))
		return false;
hit:
	w[0] = e->h0;
	w[1] = e->h1;
	*delta += e->delta;
	return true;
}

/* Both addresses, as xlat46_addrs, and their delta. */
FAST_INLINE bool fast_map46(struct xlat_ctx *ctx, const uint8_t *p,
			    uint8_t *s6, uint8_t *d6, uint32_t *delta)
{
	struct xlat_fcache *fc = fast_cache(ctx);
	uint64_t w[4];

	if (!fast_4to6(ctx->cfg, fc, ld32(p + IP4_DST), w, delta) ||
	    !fast_4to6(ctx->cfg, fc, ld32(p + IP4_SRC), w + 2, delta))
		return false;
	memcpy(d6, w, 16);
	memcpy(s6, w + 2, 16);
	return true;
}

/* RFC 7915 section 4, the plain case of xlat_46. */
FAST_INLINE bool fast46(struct xlat_ctx *ctx, const struct xlat_in *in,
			struct xlat_out *out)
{
	const struct config *cfg = ctx->cfg;
	const uint8_t *p = in->data;
	size_t tot, l4len, n, coff;
	uint8_t proto, s6[16], d6[16], *buf;
	uint32_t mtu6, limit, delta = 0;
	uint16_t frag;

	if (in->len < IP4_HLEN || p[0] != 0x45)
		return false;
	tot = rd16(p + IP4_TOTLEN);
	frag = rd16(p + IP4_FRAG);
	if (tot > in->len || tot < IP4_HLEN || (frag & (IP4_MF | IP4_OFFMASK)) ||
	    p[IP4_TTL] <= 1 ||
	    fold64(add64c(add64c(ld64(p), ld64(p + 8)), ld32(p + 16))) != 0xffff)
		return false;
	l4len = tot - IP4_HLEN;
	proto = p[IP4_PROTO];
	coff = fast_csum_off(proto, p + IP4_HLEN, l4len);
	if (!coff || !fast_map46(ctx, p, s6, d6, &delta))
		return false;
	mtu6 = fast_mtu(ctx, out, XLAT_SIDE_V6, d6, in->now_ms);
	n = IP6_HLEN + l4len;
	if (!(in->flags & XLAT_IN_AGGREGATE)) {
		/* too_big46 with DF, else the fragmentation of xlat_46. */
		limit = cfg->lowest_ipv6_mtu;
		if ((frag & IP4_DF) || !limit || limit > mtu6)
			limit = mtu6;
		if (n > limit)
			return false;
	}
	/* Reserved as xlat46_emit does (room for a Fragment header). */
	buf = xlat_out_push(out, n + FRAG6_LEN, n, XLAT_SIDE_V6);
	if (!buf)
		return false;

	/* Version 6, traffic class, flow label 0 (RFC 7915 4.1). */
	wr32(buf, 6u << 28 | (uint32_t)(cfg->zeroize_traffic_class ? 0 :
					 p[IP4_TOS]) << 20);
	wr16(buf + IP6_PLEN, (uint16_t)l4len);
	buf[IP6_NH] = proto;
	buf[IP6_HLIM] = (uint8_t)(p[IP4_TTL] - 1);
	memcpy(buf + IP6_SRC, s6, 16);
	memcpy(buf + IP6_DST, d6, 16);
	memcpy(buf + IP6_HLEN, p + IP4_HLEN, l4len);
	fast_fix_l4(buf + IP6_HLEN + coff, proto == IPPROTO_UDP, delta);
	if (proto == IPPROTO_TCP && cfg->mss_clamp)
		xlat_mss_clamp(buf, n,
			       mss_limit(xlat_mtu_at(ctx, out, XLAT_SIDE_V4,
						     p + IP4_SRC, in->now_ms),
					 IP4_HLEN, mtu6, IP6_HLEN));
	return true;
}

/* Whether the packet may try the fast path at all. */
static inline bool fast_wanted(const struct xlat_ctx *ctx,
			       const struct xlat_in *in)
{
	if (ctx->opts & XLAT_CTX_NO_FAST)
		return false;
	/* Mode nat64 maps through its state; reassembled packets: 5.1. */
	return ctx->cfg->mode == CONFIG_MODE_SIIT &&
	       !(in->flags & XLAT_IN_REASSEMBLED);
}

bool xlat_fast(struct xlat_ctx *ctx, const struct xlat_in *in,
	       struct xlat_out *out)
{
	if (!fast_wanted(ctx, in))
		return false;
	return in->side == XLAT_SIDE_V6 ? fast64(ctx, in, out) :
					  fast46(ctx, in, out);
}

/*
 * Each direction with its fast path inlined and its counters known, so
 * that xlat_packet only dispatches (tail calls, no frame of its own). It
 * counts what the general path (xlat_general) would.
 */
static __attribute__((noinline)) enum xlat_verdict
xlat_packet64(struct xlat_ctx *ctx, const struct xlat_in *in,
	      struct xlat_out *out)
{
	if (!fast64(ctx, in, out))
		return xlat_general(ctx, in, out);
	xlat_count(ctx->stats, XLAT_CNT_RX_V6);
	xlat_count(ctx->stats, XLAT_CNT_XLAT_6TO4);
	return XLAT_TRANSLATED;
}

static __attribute__((noinline)) enum xlat_verdict
xlat_packet46(struct xlat_ctx *ctx, const struct xlat_in *in,
	      struct xlat_out *out)
{
	if (!fast46(ctx, in, out))
		return xlat_general(ctx, in, out);
	xlat_count(ctx->stats, XLAT_CNT_RX_V4);
	xlat_count(ctx->stats, XLAT_CNT_XLAT_4TO6);
	return XLAT_TRANSLATED;
}

/* The entry point of the core (xlat.h). */
enum xlat_verdict xlat_packet(struct xlat_ctx *ctx, const struct xlat_in *in,
			      struct xlat_out *out)
{
	if (!fast_wanted(ctx, in))
		return xlat_general(ctx, in, out);
	return in->side == XLAT_SIDE_V6 ? xlat_packet64(ctx, in, out) :
					  xlat_packet46(ctx, in, out);
}
