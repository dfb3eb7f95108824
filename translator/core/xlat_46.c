// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv4 -> IPv6 (RFC 7915 section 4).
 */
#include <netinet/ip.h>

#include "xlat_priv.h"

/*
 * RFC 7915 4.1: "If a Source Route option is present and unexpired, the
 * packet MUST be dropped". A route is expired once its pointer (1-based)
 * has moved past the option's length.
 */
static bool ip4_srcroute_unexpired(const struct pkt4 *pi)
{
	size_t off = IP4_HLEN;

	while (off < pi->hlen) {
		const uint8_t *o = pi->p + off;
		uint8_t type = o[0];

		if (type == IPOPT_EOL)
			break;
		if (type == IPOPT_NOP) {
			off++;
			continue;
		}
		if (off + 2 > pi->hlen || o[1] < 2 || off + o[1] > pi->hlen)
			break;	/* malformed options: nothing left to honour */
		/* RFC 791 option types that route by source. */
		if ((type == IPOPT_LSRR || type == IPOPT_SSRR) &&
		    o[1] >= 3 && o[2] <= o[1])
			return true;
		off += o[1];
	}
	return false;
}

static bool pkt4_is_icmp_error(const struct pkt4 *pi)
{
	return pi->proto == IPPROTO_ICMP && !pkt4_is_frag(pi) &&
	       pkt4_l4_avail(pi) >= 1 && icmp4_is_error(pkt4_l4(pi)[0]);
}

/*
 * Source of a translated ICMPv4 error that no rule maps. RFC 7915 section
 * 1: the "illegal" source of an ICMPv4 error is still translated, for
 * troubleshooting, when pool6 can embed it; otherwise RFC 6791 applies.
 */
static int xlat46_error_src(const struct xlat_ctx *ctx, const struct pkt4 *pi,
			    enum addrmap_rule rule, struct in6_addr *src6)
{
	const struct config *cfg = ctx->cfg;
	struct in_addr s;

	memcpy(&s, pi->p + IP4_SRC, 4);
	if (rule == ADDRMAP_DENIED && cfg->pool6_set &&
	    addrmap_pool6_allows(cfg, &s)) {
		rfc6052_embed(&cfg->pool6, &s, src6);
		return 0;
	}
	if (!addrmap_rfc6791_v6(cfg, rd32(pi->p + IP4_SRC), src6))
		return 0;
	if (cfg->addr6_set) {
		*src6 = cfg->addr6;
		return 0;
	}
	return map_result(rule);
}

/*
 * RFC 6052 section 3.1 wants the packet dropped; the sender hears why:
 * Communication Administratively Prohibited (RFC 1812 5.2.7.1), the
 * translator's policy and not a routing failure. A hairpinned packet's
 * sender is the IPv6 one (RFC 4443 3.1, code 1, the same meaning).
 */
static void refuse_non_global46(struct xlat_call *c, const struct pkt4 *pi)
{
	if (c->hp_orig)
		icmp6_error(c, c->hp_orig, c->hp_orig_len, ICMP6_DST_UNREACH,
			    ICMP6_DST_UNREACH_ADMIN, 0);
	else
		icmp4_error(c, pi->p, pi->avail, ICMP_DEST_UNREACH,
			    ICMP_PKT_FILTERED, 0);
}

/*
 * An IPv4 source that no rule maps (no pool6 and outside the EAMT, or
 * denylisted) is answered with Destination Unreachable code 13,
 * "communication administratively prohibited" (RFC 1812 5.2.7.1), the
 * IPv4 router's word for a refusal by policy. icmp4_error keeps RFC 7915
 * 4.1's "illegal source address (e.g., 0.0.0.0, 127.0.0.1, etc.)" silent,
 * with the rest of RFC 1812 4.3.2.7; the daemon applies the rate limit.
 */
int xlat46_addrs(struct xlat_call *c, const struct pkt4 *pi,
		 unsigned int flags, struct in6_addr *src6,
		 struct in6_addr *dst6, struct xlat_fix *fix)
{
	const struct config *cfg = c->ctx->cfg;
	struct in_addr s, d;
	enum addrmap_rule rule;
	int err;

	(void)fix;	/* SIIT keeps ports */
	memcpy(&s, pi->p + IP4_SRC, 4);
	memcpy(&d, pi->p + IP4_DST, 4);
	err = map_result(addrmap_4to6(cfg, &d, dst6, NULL));
	if (err)
		return err;
	if (flags & XF_HAIRPIN) {
		/* RFC 7757 4.2: the hairpinned source goes through pool6. */
		if (!cfg->pool6_set)
			return XLAT_CNT_DROP_NO_MAPPING;
		if (!addrmap_pool6_allows(cfg, &s))
			return XLAT_CNT_DROP_WKP_NON_GLOBAL;
		rfc6052_embed(&cfg->pool6, &s, src6);
		return 0;
	}
	rule = addrmap_4to6(cfg, &s, src6, NULL);
	err = map_result(rule);
	if (err && pkt4_is_icmp_error(pi))
		return xlat46_error_src(c->ctx, pi, rule, src6);
	/* A WKP refusal is answered by the caller, for NAT64 too. */
	if (err && err != XLAT_CNT_DROP_WKP_NON_GLOBAL)
		icmp4_error(c, pi->p, pi->avail, ICMP_DEST_UNREACH,
			    ICMP_PKT_FILTERED, 0);
	return err;
}

int xlat46_inner_addrs(struct xlat_call *c, const struct pkt4 *pi,
		       unsigned int flags, struct in6_addr *src,
		       struct in6_addr *dst, struct xlat_fix *fix)
{
	const struct config *cfg = c->ctx->cfg;
	struct in_addr s, d;
	int err;

	(void)fix;	/* SIIT keeps ports */
	memcpy(&s, pi->p + IP4_SRC, 4);
	memcpy(&d, pi->p + IP4_DST, 4);
	err = map_result(addrmap_4to6(cfg, &s, src, NULL));
	if (err)
		return XLAT_CNT_DROP_ICMP_INNER;
	if (flags & XF_HAIRPIN) {
		if (!cfg->pool6_set || !addrmap_pool6_allows(cfg, &d))
			return XLAT_CNT_DROP_ICMP_INNER;
		rfc6052_embed(&cfg->pool6, &d, dst);
		return 0;
	}
	err = map_result(addrmap_4to6(cfg, &d, dst, NULL));
	return err ? XLAT_CNT_DROP_ICMP_INNER : 0;
}

/* Offset of the checksum a pseudo-header covers, or 0 for none. */
static size_t l4_csum_off(uint8_t proto)
{
	if (proto == IPPROTO_TCP)
		return TCP_CSUM;
	if (proto == IPPROTO_UDP)
		return UDP_CSUM;
	return 0;
}

/*
 * TCP/UDP: only the addresses of the pseudo-header change (the length and
 * protocol words sum the same in both versions), so the update is
 * incremental (RFC 1624) and a bad checksum stays bad. UDP 0 is left for
 * the caller (RFC 7915 4.5).
 */
static void l4_fix46(const struct pkt4 *pi, const struct in6_addr *src,
		     const struct in6_addr *dst, uint8_t *l4, size_t avail)
{
	size_t off = l4_csum_off(pi->proto);
	uint16_t c;

	if (!off || avail < off + 2)
		return;
	c = rdcsum(l4 + off);
	if (pi->proto == IPPROTO_UDP && c == 0)
		return;
	c = csum_adjust(c, csum_words(pi->p + IP4_SRC, 2, 0),
			csum_words(dst, 4, csum_words(src, 4, 0)));
	if (pi->proto == IPPROTO_UDP && c == 0)
		c = 0xffff;
	wrcsum(l4 + off, c);
}

size_t xlat46_write(struct xlat_ctx *ctx, const struct pkt4 *pi,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    unsigned int flags, uint8_t *buf, size_t max_l4)
{
	const struct config *cfg = ctx->cfg;
	bool frag = pkt4_is_frag(pi);
	size_t copy = pkt4_l4_avail(pi);
	uint8_t nh = pi->proto == IPPROTO_ICMP ? IPPROTO_ICMPV6 : pi->proto;
	uint8_t tc = cfg->zeroize_traffic_class ? 0 : pi->p[IP4_TOS];
	uint8_t ttl = pi->p[IP4_TTL];
	size_t off = IP6_HLEN;

	if (copy > max_l4)
		copy = max_l4;
	/* Version 6, traffic class, flow label 0 (RFC 7915 4.1). */
	wr32(buf, 6u << 28 | (uint32_t)tc << 20);
	wr16(buf + IP6_PLEN, (uint16_t)(pkt4_l4_len(pi) + (frag ? FRAG6_LEN : 0)));
	buf[IP6_NH] = frag ? IPPROTO_FRAGMENT : nh;
	buf[IP6_HLIM] = (flags & (XF_INNER | XF_HAIRPIN)) ? ttl : (uint8_t)(ttl - 1);
	memcpy(buf + IP6_SRC, src, 16);
	memcpy(buf + IP6_DST, dst, 16);
	if (frag) {
		/* RFC 7915 4.1.1: identification carried in the low 16 bits. */
		uint8_t *f = buf + IP6_HLEN;

		f[FRAG6_NH] = nh;
		f[1] = 0;
		wr16(f + FRAG6_OFF, (uint16_t)(pi->frag_off | (pi->mf ? 1 : 0)));
		wr32(f + FRAG6_ID, pi->id);
		off += FRAG6_LEN;
	}
	memcpy(buf + off, pkt4_l4(pi), copy);
	if (!pi->frag_off)
		l4_fix46(pi, src, dst, buf + off, copy);
	return off + copy;
}

/* RFC 7915 4.5: an IPv4 UDP datagram without checksum. */
static int udp_zero_csum(struct xlat_call *c, const struct pkt4 *pi)
{
	const struct config *cfg = c->ctx->cfg;

	if (pi->proto != IPPROTO_UDP || pi->frag_off ||
	    pkt4_l4_avail(pi) < 8 || rdcsum(pkt4_l4(pi) + UDP_CSUM) != 0)
		return 0;
	/* NAT64 always computes it (as Jool does): no option to lose. */
	if (!pkt4_is_frag(pi) && (cfg->amend_udp_checksum_zero ||
				  cfg->mode == CONFIG_MODE_NAT64))
		return 1;	/* computed after translation */
	icmp4_error(c, pi->p, pi->avail, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED,
		    0);
	return -1;
}

static void udp_amend(uint8_t *pkt6, size_t len)
{
	uint8_t *udp = pkt6 + IP6_HLEN;
	struct in6_addr s, d;
	uint16_t c;

	memcpy(&s, pkt6 + IP6_SRC, 16);
	memcpy(&d, pkt6 + IP6_DST, 16);
	wrcsum(udp + UDP_CSUM, 0);
	c = csum_finish(csum_partial(udp, len - IP6_HLEN,
				     csum_pseudo6(&s, &d, IPPROTO_UDP,
						  (uint32_t)(len - IP6_HLEN))));
	wrcsum(udp + UDP_CSUM, c ? c : 0xffff);
}

/* Router checks of RFC 7915 4.1 that answer with an ICMPv4 error. */
static int xlat46_checks(struct xlat_call *c, const struct pkt4 *pi,
			 unsigned int flags)
{
	if (flags & XF_HAIRPIN)
		return 0;
	if (pi->p[IP4_TTL] <= 1) {
		icmp4_error(c, pi->p, pi->avail, ICMP_TIME_EXCEEDED,
			    ICMP_EXC_TTL, 0);
		return XLAT_CNT_DROP_TTL;
	}
	if (ip4_srcroute_unexpired(pi)) {
		icmp4_error(c, pi->p, pi->avail, ICMP_DEST_UNREACH,
			    ICMP_SR_FAILED, 0);
		return XLAT_CNT_DROP_SRCROUTE;
	}
	return 0;
}

static long xlat46_icmp(struct xlat_call *c, const struct pkt4 *pi,
			const struct in6_addr *s, const struct in6_addr *d,
			unsigned int flags, uint8_t *buf, size_t room)
{
	long n;

	/* RFC 7915 1.2: fragmented ICMP is not translated. */
	if (pkt4_is_frag(pi))
		return -XLAT_CNT_DROP_FRAGMENTED_ICMP;
	xlat46_write(c->ctx, pi, s, d, flags, buf, 0);
	n = icmp46_translate(c, pi, s, d, flags, buf + IP6_HLEN,
			     room - IP6_HLEN);
	if (n < 0)
		return n;
	wr16(buf + IP6_PLEN, (uint16_t)n);
	return (long)IP6_HLEN + n;
}

/* RFC 7915 4.1: a DF packet that cannot fit gets Fragmentation Needed. */
static bool too_big46(struct xlat_call *c, const struct pkt4 *pi,
		      unsigned int flags, uint32_t mtu6)
{
	size_t len6 = IP6_HLEN + pkt4_l4_len(pi) +
		      (pkt4_is_frag(pi) ? FRAG6_LEN : 0);
	uint32_t mtu4 = mtu6 - 20;

	if (!pi->df || len6 <= mtu6 || pkt4_is_icmp_error(pi) ||
	    (c->flags & XLAT_IN_AGGREGATE))
		return false;
	if (flags & XF_HAIRPIN)
		return false;	/* checked against the IPv6 sender in xlat_64 */
	icmp4_error(c, pi->p, pi->avail, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
		    mtu4 < 68 ? 68 : mtu4);
	return true;
}


static uint32_t frag_limit46(const struct xlat_ctx *ctx, uint32_t mtu6)
{
	uint32_t low = ctx->cfg->lowest_ipv6_mtu;

	return low && low < mtu6 ? low : mtu6;
}

/* Writes the translation of pi into out; its length or -drop counter. */
static long xlat46_emit(struct xlat_call *c, const struct pkt4 *pi,
			const struct in6_addr *src6,
			const struct in6_addr *dst6, unsigned int flags,
			const struct xlat_fix *fix)
{
	size_t room = IP6_HLEN + FRAG6_LEN + pkt4_l4_avail(pi);
	uint8_t *buf;
	long n;

	if (pi->proto == IPPROTO_ICMP && room < ICMP6_ERR_MAX)
		room = ICMP6_ERR_MAX;	/* a translated error may grow */
	buf = xlat_out_add(c->out, room, XLAT_SIDE_V6);
	if (!buf)
		return -XLAT_CNT_DROP_OUT_OF_SPACE;
	if (pi->proto == IPPROTO_ICMP)
		n = xlat46_icmp(c, pi, src6, dst6, flags, buf, room);
	else
		n = (long)xlat46_write(c->ctx, pi, src6, dst6, flags, buf,
				       pkt4_l4_avail(pi));
	if (n < 0) {
		xlat_out_drop_last(c->out);
		return n;
	}
	xlat_out_trim_last(c->out, (size_t)n);
	if (buf[IP6_NH] == IPPROTO_FRAGMENT)
		xlat_fix_l4(buf + IP6_HLEN + FRAG6_LEN,
			    (size_t)n - IP6_HLEN - FRAG6_LEN,
			    buf[IP6_HLEN + FRAG6_NH], fix);
	else
		xlat_fix_l4(buf + IP6_HLEN, (size_t)n - IP6_HLEN, buf[IP6_NH],
			    fix);
	return n;
}

enum xlat_verdict xlat_46(struct xlat_call *c, const uint8_t *pkt,
			  size_t len, unsigned int flags)
{
	const struct xlat_map_ops *map = xlat_map(c->ctx);
	struct xlat_fix fix = { .what = XLAT_FIX_NONE };
	struct xlat_ctx *ctx = c->ctx;
	struct in6_addr src6, dst6;
	struct pkt4 pi;
	uint8_t *buf;
	uint32_t mtu6;
	long n;
	int err, amend;

	err = pkt4_parse(pkt, len, false, &pi);
	if (!err && xlat_reasm_wanted4(ctx, &pi))
		return xlat_reasm46(c, &pi, flags);
	if (!err)
		err = xlat46_checks(c, &pi, flags);
	if (!err)
		err = map->addrs46(c, &pi, flags, &src6, &dst6, &fix);
	if (err == XLAT_CNT_DROP_WKP_NON_GLOBAL)
		refuse_non_global46(c, &pi);
	if (err)
		return xlat_drop(ctx, err);
	amend = udp_zero_csum(c, &pi);
	if (amend < 0)
		return xlat_drop(ctx, XLAT_CNT_DROP_UDP_CSUM_ZERO);
	mtu6 = xlat_mtu(c, XLAT_SIDE_V6, &dst6);
	if (too_big46(c, &pi, flags, mtu6))
		return xlat_drop(ctx, XLAT_CNT_DROP_FRAG_NEEDED);

	n = xlat46_emit(c, &pi, &src6, &dst6, flags, &fix);
	if (n < 0)
		return xlat_drop(ctx, (int)-n);
	buf = c->out->pkt[c->out->count - 1].data;
	if (amend)
		udp_amend(buf, (size_t)n);
	if (pi.proto == IPPROTO_TCP && ctx->cfg->mss_clamp)
		xlat_mss_clamp(buf, (size_t)n,
			       mss_limit(xlat_mtu(c, XLAT_SIDE_V4,
						  pi.p + IP4_SRC),
					 IP4_HLEN, mtu6, IP6_HLEN));
	if (!pi.df && !(flags & XF_HAIRPIN) &&
	    !(c->flags & XLAT_IN_AGGREGATE) &&
	    (uint32_t)n > frag_limit46(ctx, mtu6) &&
	    frag6_split_last(c->out, frag_limit46(ctx, mtu6), pi.id)) {
		xlat_out_drop_last(c->out);
		return xlat_drop(ctx, XLAT_CNT_DROP_OUT_OF_SPACE);
	}
	return XLAT_TRANSLATED;
}
