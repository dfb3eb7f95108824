// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ICMPv4 -> ICMPv6 (RFC 7915 sections 4.2 and 4.3), with RFC 4884
 * extensions and the RFC 1191 plateaus for Fragmentation Needed.
 */
#include "xlat_priv.h"
#include "icmp_ext.h"

struct icmp_xmap {
	uint8_t ok;
	uint8_t type;
	uint8_t code;
};

#define DU6		ICMP6_DST_UNREACH
#define DU6_NOROUTE	{ 1, DU6, ICMP6_DST_UNREACH_NOROUTE }
#define DU6_ADMIN	{ 1, DU6, ICMP6_DST_UNREACH_ADMIN }

/* RFC 7915 4.2, Destination Unreachable by code. */
static const struct icmp_xmap du46[16] = {
	[ICMP_NET_UNREACH] = DU6_NOROUTE,
	[ICMP_HOST_UNREACH] = DU6_NOROUTE,
	[ICMP_PROT_UNREACH] = { 1, ICMP6_PARAM_PROB,
				ICMP6_PARAMPROB_NEXTHEADER },
	[ICMP_PORT_UNREACH] = { 1, DU6, ICMP6_DST_UNREACH_NOPORT },
	[ICMP_FRAG_NEEDED] = { 1, ICMP6_PACKET_TOO_BIG, 0 },
	[ICMP_SR_FAILED] = DU6_NOROUTE,
	[ICMP_NET_UNKNOWN] = DU6_NOROUTE,
	[ICMP_HOST_UNKNOWN] = DU6_NOROUTE,
	[ICMP_HOST_ISOLATED] = DU6_NOROUTE,
	[ICMP_NET_ANO] = DU6_ADMIN,
	[ICMP_HOST_ANO] = DU6_ADMIN,
	[ICMP_NET_UNR_TOS] = DU6_NOROUTE,
	[ICMP_HOST_UNR_TOS] = DU6_NOROUTE,
	[ICMP_PKT_FILTERED] = DU6_ADMIN,
	/* ICMP_PREC_VIOLATION (host precedence violation): silently dropped */
	[ICMP_PREC_CUTOFF] = DU6_ADMIN,
};

/* RFC 7915 Figure 3: Parameter Problem pointer, IPv4 -> IPv6 (-1: drop). */
static const int8_t ptr46[IP4_HLEN] = {
	0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1, 8, 8, 8, 8, 24, 24, 24, 24,
};

bool icmp4_is_error(uint8_t type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

/* Outer ICMPv6 type/code and the 32-bit word after the checksum. */
static int icmp46_map(const uint8_t *ic, struct icmp_xmap *m, uint32_t *rest)
{
	uint8_t type = ic[0], code = ic[1];
	int ptr;

	*rest = 0;
	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code >= 16 || !du46[code].ok)
			return -1;
		*m = du46[code];
		if (code == ICMP_PROT_UNREACH)
			*rest = IP6_NH;	/* Next Header field */
		return 0;
	case ICMP_TIME_EXCEEDED:
		*m = (struct icmp_xmap){ 1, ICMP6_TIME_EXCEEDED, code };
		return code <= ICMP_EXC_FRAGTIME ? 0 : -1;
	case ICMP_PARAMETERPROB:
		/* Code 0 (pointer) and 2 (bad length, RFC 1812 5.2.7.3). */
		if (code != 0 && code != 2)
			return -1;
		ptr = ic[4] < IP4_HLEN ? ptr46[ic[4]] : -1;
		if (ptr < 0)
			return -1;
		*m = (struct icmp_xmap){ 1, ICMP6_PARAM_PROB,
					 ICMP6_PARAMPROB_HEADER };
		*rest = (uint32_t)ptr;
		return 0;
	default:
		return -1;
	}
}

/*
 * RFC 1191 section 7 (RFC 7915 4.2): a router that leaves the Next-Hop
 * MTU at 0 predates RFC 1191; the MTU is guessed as the greatest of the
 * `mtu-plateaus` (kept descending) strictly below the quoted packet's
 * Total Length, else 68, the least MTU of IPv4 (RFC 791).
 */
static uint32_t plateau_below(const struct config *cfg, uint32_t tot_len)
{
	for (uint32_t i = 0; i < cfg->mtu_plateau_count; i++)
		if (cfg->mtu_plateaus[i] < tot_len)
			return cfg->mtu_plateaus[i];
	return 68;
}

/* RFC 7915 4.2, Packet Too Big: minimum(MTU+20, IPv6 MTU, IPv4 MTU+20). */
static uint32_t ptb_mtu(struct xlat_call *c, const uint8_t *ic,
			const struct pkt4 *inner, const struct in6_addr *dst6)
{
	uint32_t mtu = rd16(ic + 6);
	uint32_t mtu6 = xlat_mtu(c, XLAT_SIDE_V6, dst6);
	uint32_t mtu4 = xlat_mtu(c, XLAT_SIDE_V4, inner->p + IP4_DST) + 20;

	if (mtu == 0)
		mtu = plateau_below(c->ctx->cfg, inner->tot_len);
	mtu += 20;
	if (mtu6 < mtu)
		mtu = mtu6;
	if (mtu4 < mtu)
		mtu = mtu4;
	return mtu < IPV6_MIN_MTU ? IPV6_MIN_MTU : mtu;
}

/* RFC 7915 4.2: echo request/reply; every other informational is dropped. */
static long icmp46_info(const struct pkt4 *pi, const struct in6_addr *src,
			const struct in6_addr *dst, uint8_t *buf, size_t room)
{
	const uint8_t *ic = pkt4_l4(pi);
	size_t len = pkt4_l4_len(pi);

	if ((ic[0] != ICMP_ECHO && ic[0] != ICMP_ECHOREPLY) || len > room)
		return -XLAT_CNT_DROP_ICMP_UNTRANSLATABLE;
	memcpy(buf, ic, len);
	icmp_echo_retype(buf, true,
			 csum_pseudo6(src, dst, IPPROTO_ICMPV6, (uint32_t)len));
	return (long)len;
}

/* The echo inside an error gets its type (and checksum) translated too. */
static void inner_icmp46(const struct pkt4 *in, const uint8_t *ip6,
			 uint8_t *l4, size_t avail)
{
	struct in6_addr s, d;

	if (in->proto != IPPROTO_ICMP || in->frag_off || avail < 4 ||
	    (l4[0] != ICMP_ECHO && l4[0] != ICMP_ECHOREPLY))
		return;
	memcpy(&s, ip6 + IP6_SRC, 16);
	memcpy(&d, ip6 + IP6_DST, 16);
	icmp_echo_retype(l4, true, csum_pseudo6(&s, &d, IPPROTO_ICMPV6,
						(uint32_t)pkt4_l4_len(in)));
}

static int icmp46_inner(struct xlat_call *c, const struct icmp_ext *b,
			unsigned int flags, struct pkt4 *in, uint8_t *buf,
			size_t room, size_t *written)
{
	struct xlat_fix fix = { .what = XLAT_FIX_NONE };
	struct in6_addr s6, d6;
	size_t hdr;
	int err;

	if (pkt4_parse(b->inner, b->inner_len, true, in))
		return XLAT_CNT_DROP_ICMP_INNER;
	/* RFC 7915 4.3: stop at the first embedded header. */
	if (in->proto == IPPROTO_ICMP && !in->frag_off &&
	    pkt4_l4_avail(in) >= 1 && icmp4_is_error(pkt4_l4(in)[0]))
		return XLAT_CNT_DROP_ICMP_NESTED;
	err = xlat_map(c->ctx)->inner46(c, in, flags, &s6, &d6, &fix);
	if (err)
		return err;
	hdr = IP6_HLEN + (pkt4_is_frag(in) ? FRAG6_LEN : 0);
	if (room < hdr)
		return XLAT_CNT_DROP_ICMP_INNER;
	*written = xlat46_write(c->ctx, in, &s6, &d6, XF_INNER, buf,
				room - hdr);
	inner_icmp46(in, buf, buf + hdr, *written - hdr);
	if (!in->frag_off)
		xlat_fix_l4(buf + hdr, *written - hdr,
			     hdr > IP6_HLEN ? buf[IP6_HLEN + FRAG6_NH] :
					      buf[IP6_NH], &fix);
	return 0;
}

long icmp46_translate(struct xlat_call *c, const struct pkt4 *pi,
		      const struct in6_addr *src, const struct in6_addr *dst,
		      unsigned int flags, uint8_t *buf, size_t room)
{
	const uint8_t *ic = pkt4_l4(pi);
	size_t len = pkt4_l4_len(pi), n;
	struct icmp_xmap m;
	struct icmp_ext b;
	struct pkt4 in;
	uint32_t rest;
	int err;

	if (len < ICMP_HLEN)
		return -XLAT_CNT_DROP_TRUNCATED;
	if (!icmp4_is_error(ic[0]))
		return icmp46_info(pi, src, dst, buf, room);
	if (!csum_valid(ic, len, 0))
		return -XLAT_CNT_DROP_ICMP_CSUM;
	if (icmp46_map(ic, &m, &rest))
		return -XLAT_CNT_DROP_ICMP_UNTRANSLATABLE;
	if (room > ICMP6_ERR_MAX - IP6_HLEN)
		room = ICMP6_ERR_MAX - IP6_HLEN;
	icmp_ext_split(ic, len, 4, ic[0] == ICMP_DEST_UNREACH ||
		       ic[0] == ICMP_TIME_EXCEEDED ||
		       ic[0] == ICMP_PARAMETERPROB, 5, &b);
	err = icmp46_inner(c, &b, flags, &in, buf + ICMP_HLEN,
			   room - ICMP_HLEN, &n);
	if (err)
		return -err;
	if (m.type == ICMP6_PACKET_TOO_BIG)
		rest = ptb_mtu(c, ic, &in, dst);
	buf[0] = m.type;
	buf[1] = m.code;
	wr32(buf + 4, rest);
	/* RFC 4884 lengths exist in ICMPv6 Destination Unreachable and Time Exceeded. */
	n = icmp_ext_place(&b, buf, n, room, 8, m.type == ICMP6_DST_UNREACH ||
			   m.type == ICMP6_TIME_EXCEEDED, 4);
	wrcsum(buf + ICMP_CSUM, 0);
	wrcsum(buf + ICMP_CSUM,
	       csum_finish(csum_partial(buf, n, csum_pseudo6(src, dst,
				IPPROTO_ICMPV6, (uint32_t)n))));
	return (long)n;
}
