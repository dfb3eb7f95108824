// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv6 -> IPv4 (RFC 7915 section 5), with RFC 7757 hairpinning.
 */

#include "xlat_priv.h"

static bool pkt6_is_icmp_error(const struct pkt6 *pi)
{
	return pi->proto == IPPROTO_ICMPV6 && !pkt6_is_frag(pi) &&
	       pkt6_l4_avail(pi) >= 1 && icmp6_is_error(pi->p[pi->l4_off]);
}

/*
 * RFC 6791: an ICMPv6 error from a node whose address has no IPv4
 * counterpart (typically a router in the IPv6 network) gets a source from
 * the rfc6791v4 pool, or the translator's own IPv4 address. Section 4
 * recommends a random address of the pool (randomize-rfc6791-addresses
 * yes); "no" (Jool's other mode) takes the address whose index is the
 * error's Hop Limit as it arrived, modulo the pool's size: stable for
 * one router and, as routers start from one value, distinct per hop,
 * so traceroute shows the path's length.
 */
static int xlat64_error_src(struct xlat_ctx *ctx, const struct pkt6 *pi,
			    int err, struct in_addr *src4)
{
	uint32_t pick = ctx->cfg->randomize_rfc6791 ? xlat_random(ctx)
						    : pi->p[IP6_HLIM];

	if (!addrmap_rfc6791_v4(ctx->cfg, pick, src4))
		return 0;
	if (ctx->cfg->addr4_set) {
		*src4 = ctx->cfg->addr4;
		return 0;
	}
	return err;
}

/*
 * A source with no IPv4 form (outside pool6 and the EAMT, or denylisted)
 * cannot be translated. Rather than vanish, the packet is answered the
 * way a router refusing a source answers: Destination Unreachable code
 * 5, "source address failed ingress/egress policy" (RFC 4443 3.1), so
 * the sender learns why at once. icmp6_error applies RFC 4443 2.4 (e)
 * (nothing about an ICMPv6 error or a non-first fragment, nothing to a
 * multicast or unspecified source) and the daemon its rate limit (f).
 */
int xlat64_addrs(struct xlat_call *c, const struct pkt6 *pi,
		 struct in_addr *src4, struct in_addr *dst4,
		 struct xlat_fix *fix)
{
	const struct xlat_ctx *ctx = c->ctx;
	enum addrmap_rule rule;
	struct in6_addr s, d;
	int err;

	(void)fix;	/* SIIT keeps ports */
	memcpy(&s, pi->p + IP6_SRC, 16);
	memcpy(&d, pi->p + IP6_DST, 16);
	rule = addrmap_6to4(ctx->cfg, &d, dst4, NULL);
	c->dst_by_pool6 = rule == ADDRMAP_POOL6;
	err = map_result(rule);
	if (err)
		return err;
	err = map_result(addrmap_6to4(ctx->cfg, &s, src4, NULL));
	if (err && pkt6_is_icmp_error(pi))
		return xlat64_error_src(c->ctx, pi, err, src4);
	/* A WKP refusal is answered by the caller, for NAT64 too. */
	if (err && err != XLAT_CNT_DROP_WKP_NON_GLOBAL)
		icmp6_error(c, pi->p, pi->avail, ICMP6_DST_UNREACH,
			    ICMP6_DST_UNREACH_POLICY, 0);
	return err;
}

int xlat64_inner_addrs(struct xlat_call *c, const struct pkt6 *pi,
		       struct in_addr *src, struct in_addr *dst,
		       struct xlat_fix *fix)
{
	const struct xlat_ctx *ctx = c->ctx;
	struct in6_addr s, d;
	int err;

	(void)fix;	/* SIIT keeps ports */
	memcpy(&s, pi->p + IP6_SRC, 16);
	memcpy(&d, pi->p + IP6_DST, 16);
	err = map_result(addrmap_6to4(ctx->cfg, &s, src, NULL));
	if (!err)
		err = map_result(addrmap_6to4(ctx->cfg, &d, dst, NULL));
	return err ? XLAT_CNT_DROP_ICMP_INNER : 0;
}

/*
 * Pseudo-header address change only (see l4_fix46 in xlat_46.c). A UDP
 * checksum of 0 stays 0: an outer one never gets here (xlat64_checks
 * drops it), and in a datagram quoted by an ICMPv6 error it is the
 * IPv4 "no checksum" its IPv4 sender most likely wrote (RFC 768), which
 * an update would turn into garbage.
 */
static void l4_fix64(const struct pkt6 *pi, const struct in_addr *src,
		     const struct in_addr *dst, uint8_t *l4, size_t avail)
{
	size_t off;
	uint16_t c;

	if (pi->proto == IPPROTO_TCP)
		off = TCP_CSUM;
	else if (pi->proto == IPPROTO_UDP)
		off = UDP_CSUM;
	else
		return;
	if (avail < off + 2)
		return;
	c = rdcsum(l4 + off);
	if (pi->proto == IPPROTO_UDP && c == 0)
		return;
	c = csum_adjust(c, csum_words(pi->p + IP6_SRC, 8, 0),
			csum_words(dst, 1, csum_words(src, 1, 0)));
	if (pi->proto == IPPROTO_UDP && c == 0)
		c = 0xffff;
	wrcsum(l4 + off, c);
}

static void ip4_frag_fields(struct xlat_call *c, const struct pkt6 *pi,
			    size_t tot, unsigned int flags, uint8_t *h)
{
	uint16_t id, frag;

	if (pi->has_frag) {
		/* RFC 7915 5.1.1: low 16 bits of the identification. */
		id = (uint16_t)pi->frag_id;
		frag = (uint16_t)(pi->frag_off / 8 | (pi->mf ? IP4_MF : 0));
	} else if (tot > XLAT_DF_THRESHOLD &&
		   !((c->flags & XLAT_IN_REASSEMBLED) && !(flags & XF_INNER))) {
		/* RFC 7915 5.1: DF=1 above 1260 bytes; atomic, so ID 0 (RFC 6864). */
		id = 0;
		frag = IP4_DF;
	} else {
		id = (flags & XF_INNER) ? 0 : xlat_next_id(c->ctx);
		frag = 0;
	}
	wr16(h + IP4_ID, id);
	wr16(h + IP4_FRAG, frag);
}

size_t xlat64_write(struct xlat_call *c, const struct pkt6 *pi,
		    const struct in_addr *src, const struct in_addr *dst,
		    unsigned int flags, uint8_t *buf, size_t max_l4)
{
	const struct config *cfg = c->ctx->cfg;
	size_t copy = pkt6_l4_avail(pi);
	size_t tot = IP4_HLEN + pkt6_l4_len(pi);
	uint8_t tc = (uint8_t)(rd16(pi->p) >> 4);
	uint8_t hlim = pi->p[IP6_HLIM];

	if (copy > max_l4)
		copy = max_l4;
	buf[0] = 0x45;
	buf[IP4_TOS] = cfg->override_tos ? cfg->tos : tc;
	wr16(buf + IP4_TOTLEN, (uint16_t)tot);
	ip4_frag_fields(c, pi, tot, flags, buf);
	buf[IP4_TTL] = (flags & XF_INNER) ? hlim : (uint8_t)(hlim - 1);
	buf[IP4_PROTO] = pi->proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : pi->proto;
	memcpy(buf + IP4_SRC, src, 4);
	memcpy(buf + IP4_DST, dst, 4);
	wrcsum(buf + IP4_CSUM, csum_ipv4_header(buf, IP4_HLEN));
	memcpy(buf + IP4_HLEN, pi->p + pi->l4_off, copy);
	if (!pi->frag_off)
		l4_fix64(pi, src, dst, buf + IP4_HLEN, copy);
	return IP4_HLEN + copy;
}

/*
 * RFC 8200 8.1: "IPv6 receivers MUST discard UDP packets containing a
 * zero checksum". It would cross into IPv4 as a checksum adjusted from
 * nothing, that is, wrong; it is dropped without an error, as the
 * receiver it stands for would. Only the first fragment holds the header.
 */
static bool udp6_csum_zero(const struct pkt6 *pi)
{
	return pi->proto == IPPROTO_UDP && !pi->frag_off &&
	       pkt6_l4_avail(pi) >= 8 &&
	       rdcsum(pi->p + pi->l4_off + UDP_CSUM) == 0;
}

/*
 * drop-icmpv6-info (Jool's; RFC 6146 3.5.3 leaves ICMP filtering to
 * policy): the informational messages that would cross, echo request and
 * reply (RFC 7915 5.2), are dropped silently, before anything else looks
 * at them (no session, no Time Exceeded), as a filter in front would.
 * Fragmented ICMP reaches here reassembled (xlat_reasm.c); a fragment
 * that did not is left to the checks below.
 */
static bool icmp6_info_filtered(const struct config *cfg,
				const struct pkt6 *pi)
{
	uint8_t type;

	if (!cfg->drop_icmpv6_info || pi->proto != IPPROTO_ICMPV6 ||
	    pi->frag_off || pkt6_l4_avail(pi) < 1)
		return false;
	type = pi->p[pi->l4_off];
	return type == ICMP6_ECHO_REQUEST || type == ICMP6_ECHO_REPLY;
}

/*
 * Checks before translation: the router checks of RFC 7915 5.1/5.4, which
 * answer with an ICMPv6 error, then the silent ones.
 */
static int xlat64_checks(struct xlat_call *c, const struct pkt6 *pi)
{
	if (icmp6_info_filtered(c->ctx->cfg, pi))
		return XLAT_CNT_DROP_ICMP6_INFO;
	if (pi->p[IP6_HLIM] <= 1) {
		icmp6_error(c, pi->p, pi->avail, ICMP6_TIME_EXCEEDED,
			    ICMP6_TIME_EXCEED_TRANSIT, 0);
		return XLAT_CNT_DROP_TTL;
	}
	if (pi->rh_segleft_off) {
		/* RFC 7915 5.1: point at the Segments Left field. */
		icmp6_error(c, pi->p, pi->avail, ICMP6_PARAM_PROB,
			    ICMP6_PARAMPROB_HEADER,
			    (uint32_t)pi->rh_segleft_off);
		return XLAT_CNT_DROP_ROUTING_HDR;
	}
	if (pi->ext_after_frag) {
		/* RFC 7915 5.1 ("Total Length"): SHOULD be dropped; 5.4 error. */
		icmp6_error(c, pi->p, pi->avail, ICMP6_DST_UNREACH,
			    ICMP6_DST_UNREACH_ADMIN, 0);
		return XLAT_CNT_DROP_EXT_AFTER_FRAG;
	}
	if (pi->proto == IPPROTO_ICMPV6 && pkt6_is_frag(pi))
		return XLAT_CNT_DROP_FRAGMENTED_ICMP;
	if (udp6_csum_zero(pi))
		return XLAT_CNT_DROP_UDP6_CSUM_ZERO;
	return 0;
}

/*
 * RFC 7915 5.1 and section 1.4: a packet too big for the IPv4 next hop
 * gets Packet Too Big (never below 1280), unless it will leave with DF=0
 * (not a fragment, at most 1260 bytes): then the translator fragments it
 * like any IPv4 router would.
 */
static bool too_big64(struct xlat_call *c, const struct pkt6 *pi,
		      uint32_t mtu4)
{
	size_t tot = IP4_HLEN + pkt6_l4_len(pi);
	uint32_t mtu6 = mtu4 + 20;

	if (tot <= mtu4 || pkt6_is_icmp_error(pi) ||
	    (c->flags & (XLAT_IN_AGGREGATE | XLAT_IN_REASSEMBLED)))
		return false;
	if (!pi->has_frag && tot <= XLAT_DF_THRESHOLD)
		return false;
	icmp6_error(c, pi->p, pi->avail, ICMP6_PACKET_TOO_BIG, 0,
		    mtu6 < IPV6_MIN_MTU ? IPV6_MIN_MTU : mtu6);
	return true;
}

/*
 * A hairpinned packet leaves on the IPv6 side: its size is checked against
 * that side's MTU, and the IPv6 sender hears about it (RFC 4443 3.1).
 */
static bool too_big_hairpin(struct xlat_call *c, const struct pkt6 *pi,
			    const struct in6_addr *dst6)
{
	size_t len6 = IP6_HLEN + pkt6_l4_len(pi) +
		      (pkt6_is_frag(pi) ? FRAG6_LEN : 0);
	uint32_t mtu6 = xlat_mtu(c, XLAT_SIDE_V6, dst6);

	if (len6 <= mtu6 || pkt6_is_icmp_error(pi) ||
	    (c->flags & XLAT_IN_AGGREGATE))
		return false;
	icmp6_error(c, pi->p, pi->avail, ICMP6_PACKET_TOO_BIG, 0,
		    mtu6 < IPV6_MIN_MTU ? IPV6_MIN_MTU : mtu6);
	return true;
}

/*
 * RFC 7757 4.2: an IPv6 node that addresses another IPv6 node by the
 * pool6 (RFC 6052) form of its EAMT IPv4 address must reach it: the
 * packet goes back to IPv6. Only a destination mapped through pool6
 * hairpins; one mapped by the EAMT itself is an IPv4 node's IPv6 face.
 * dst6 receives the address the packet will really be sent to.
 *
 * eam-hairpin-mode (Jool's names): "intrinsic" (the default) hairpins
 * every such packet, ICMPv6 errors included, so that the errors about a
 * hairpinned packet (addressed to its source's pool6 form, RFC 7757 4.2)
 * come back to IPv6 too; "simple" hairpins all but ICMPv6 errors, which
 * go on to IPv4; "off" never hairpins (the packet leaves for the IPv4
 * address, as if the EAMT were elsewhere).
 */
bool xlat64_is_hairpin(const struct xlat_call *c, const struct pkt6 *pi,
		       const struct in_addr *dst4, struct in6_addr *dst6)
{
	const struct config *cfg = c->ctx->cfg;

	/* Most destinations have no EAMT entry: that answers at once. */
	if (!c->dst_by_pool6 || !cfg->eamt_count ||
	    cfg->eam_hairpin == CONFIG_EAM_HAIRPIN_OFF ||
	    !addrmap_eamt_has4(cfg, dst4))
		return false;
	if (cfg->eam_hairpin == CONFIG_EAM_HAIRPIN_SIMPLE &&
	    pkt6_is_icmp_error(pi))
		return false;
	return addrmap_4to6(cfg, dst4, dst6, NULL) == ADDRMAP_EAMT;
}

static long xlat64_build(struct xlat_call *c, const struct pkt6 *pi,
			 const struct in_addr *s, const struct in_addr *d,
			 uint8_t *buf, size_t room)
{
	long n;

	if (pi->proto != IPPROTO_ICMPV6)
		return (long)xlat64_write(c, pi, s, d, 0, buf, room - IP4_HLEN);
	xlat64_write(c, pi, s, d, 0, buf, 0);
	n = icmp64_translate(c, pi, s, d, buf + IP4_HLEN, room - IP4_HLEN);
	if (n < 0)
		return n;
	/* An ICMP error changes size: refresh length, DF and checksum. */
	if (pkt6_is_icmp_error(pi)) {
		wr16(buf + IP4_TOTLEN, (uint16_t)(IP4_HLEN + n));
		wr16(buf + IP4_FRAG, 0);
		wrcsum(buf + IP4_CSUM, csum_ipv4_header(buf, IP4_HLEN));
	}
	return (long)IP4_HLEN + n;
}

/*
 * RFC 7757 4.2 (SIIT), RFC 6146 3.8 (NAT64): the packet goes back to
 * IPv6. Errors about the IPv4 leg are due to the IPv6 sender, so the leg
 * is translated with the original packet at hand.
 */
static enum xlat_verdict hairpin(struct xlat_call *c, const uint8_t *orig,
				 size_t orig_len)
{
	struct xlat_out *out = c->out;
	unsigned int i = out->count - 1;
	struct xlat_out_pkt v4 = out->pkt[i];
	struct xlat_call h = *c;
	enum xlat_verdict v;

	h.hp_orig = orig;
	h.hp_orig_len = orig_len;
	v = xlat_46(&h, v4.data, v4.len, XF_HAIRPIN);
	/* Forget the intermediate IPv4 packet; its bytes stay unused. */
	memmove(&out->pkt[i], &out->pkt[i + 1],
		sizeof(out->pkt[0]) * (out->count - i - 1));
	out->count--;
	return v;
}

/* Writes the translation of pi into out; its length or -drop counter. */
static long xlat64_emit(struct xlat_call *c, const struct pkt6 *pi,
			const struct in_addr *src4, const struct in_addr *dst4,
			const struct xlat_fix *fix)
{
	size_t room = IP4_HLEN + pkt6_l4_avail(pi);
	uint8_t *buf = xlat_out_add(c->out, room, XLAT_SIDE_V4);
	long n;

	if (!buf)
		return -XLAT_CNT_DROP_OUT_OF_SPACE;
	n = xlat64_build(c, pi, src4, dst4, buf, room);
	if (n < 0) {
		xlat_out_drop_last(c->out);
		return n;
	}
	xlat_out_trim_last(c->out, (size_t)n);
	xlat_fix_l4(buf + IP4_HLEN, (size_t)n - IP4_HLEN, buf[IP4_PROTO], fix);
	return n;
}

enum xlat_verdict xlat_64(struct xlat_call *c, const uint8_t *pkt,
			  size_t len)
{
	const struct xlat_map_ops *map = xlat_map(c->ctx);
	struct xlat_fix fix = { .what = XLAT_FIX_NONE };
	struct xlat_ctx *ctx = c->ctx;
	struct in_addr src4, dst4;
	struct in6_addr hp_dst6;
	struct pkt6 pi;
	uint32_t mtu4;
	bool hp;
	long n;
	int err;

	err = pkt6_parse(pkt, len, false, &pi);
	if (!err && xlat_reasm_wanted6(ctx, &pi))
		return xlat_reasm64(c, &pi);
	if (!err)
		err = xlat64_checks(c, &pi);
	if (!err)
		err = map->addrs64(c, &pi, &src4, &dst4, &fix);
	/* RFC 6052 3.1 drops it; the sender hears of the policy (RFC 4443
	 * 3.1: administratively prohibited), not of a missing route. */
	if (err == XLAT_CNT_DROP_WKP_NON_GLOBAL)
		icmp6_error(c, pi.p, pi.avail, ICMP6_DST_UNREACH,
			    ICMP6_DST_UNREACH_ADMIN, 0);
	if (err)
		return xlat_drop(ctx, err);
	mtu4 = xlat_mtu(c, XLAT_SIDE_V4, &dst4);
	hp = map->hairpin(c, &pi, &dst4, &hp_dst6);
	if (hp ? too_big_hairpin(c, &pi, &hp_dst6) : too_big64(c, &pi, mtu4))
		return xlat_drop(ctx, XLAT_CNT_DROP_FRAG_NEEDED);

	n = xlat64_emit(c, &pi, &src4, &dst4, &fix);
	if (n < 0)
		return xlat_drop(ctx, (int)-n);
	if (pi.proto == IPPROTO_TCP && ctx->cfg->mss_clamp)
		xlat_mss_clamp(c->out->pkt[c->out->count - 1].data, (size_t)n,
			       mss_limit(xlat_mtu(c, XLAT_SIDE_V6,
						  pi.p + IP6_SRC),
					 IP6_HLEN, mtu4, IP4_HLEN));
	if (hp)
		return hairpin(c, pi.p, pi.avail);
	if ((uint32_t)n > mtu4 && !(c->flags & XLAT_IN_AGGREGATE) &&
	    frag4_split_last(c->out, mtu4)) {
		xlat_out_drop_last(c->out);
		return xlat_drop(ctx, XLAT_CNT_DROP_OUT_OF_SPACE);
	}
	return XLAT_TRANSLATED;
}
