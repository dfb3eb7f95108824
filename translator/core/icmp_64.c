// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ICMPv6 -> ICMPv4 (RFC 7915 sections 5.2 and 5.3), with RFC 4884
 * extensions.
 */
#include "xlat_priv.h"
#include "icmp_ext.h"

struct icmp_xmap {
	uint8_t ok;
	uint8_t type;
	uint8_t code;
};

#define DU4	ICMP_DEST_UNREACH

/* RFC 7915 5.2, Destination Unreachable by code. */
static const struct icmp_xmap du64[5] = {
	[ICMP6_DST_UNREACH_NOROUTE] = { 1, DU4, ICMP_HOST_UNREACH },
	[ICMP6_DST_UNREACH_ADMIN] = { 1, DU4, ICMP_HOST_ANO },
	[ICMP6_DST_UNREACH_BEYONDSCOPE] = { 1, DU4, ICMP_HOST_UNREACH },
	[ICMP6_DST_UNREACH_ADDR] = { 1, DU4, ICMP_HOST_UNREACH },
	[ICMP6_DST_UNREACH_NOPORT] = { 1, DU4, ICMP_PORT_UNREACH },
};

/* RFC 7915 Figure 6: Parameter Problem pointer, IPv6 -> IPv4 (-1: drop). */
static int ptr64(uint32_t p)
{
	static const int8_t fixed[8] = { 0, 1, -1, -1, 2, 2, 9, 8 };

	if (p < 8)
		return fixed[p];
	if (p < 24)
		return 12;
	if (p < 40)
		return 16;
	return -1;
}

bool icmp6_is_error(uint8_t type)
{
	return type < ICMP6_ECHO_REQUEST;	/* RFC 4443 2.1 */
}

static int icmp64_map(const uint8_t *ic, struct icmp_xmap *m, uint32_t *rest)
{
	uint8_t type = ic[0], code = ic[1];
	int ptr;

	*rest = 0;
	switch (type) {
	case ICMP6_DST_UNREACH:
		if (code >= 5)
			return -1;
		*m = du64[code];
		return 0;
	case ICMP6_PACKET_TOO_BIG:
		*m = (struct icmp_xmap){ 1, DU4, ICMP_FRAG_NEEDED };
		return 0;
	case ICMP6_TIME_EXCEEDED:
		*m = (struct icmp_xmap){ 1, ICMP_TIME_EXCEEDED, code };
		return code <= ICMP6_TIME_EXCEED_REASSEMBLY ? 0 : -1;
	case ICMP6_PARAM_PROB:
		if (code == ICMP6_PARAMPROB_NEXTHEADER) {
			/* Unrecognized Next Header: protocol unreachable. */
			*m = (struct icmp_xmap){ 1, ICMP_DEST_UNREACH,
						 ICMP_PROT_UNREACH };
			return 0;
		}
		ptr = code == ICMP6_PARAMPROB_HEADER ? ptr64(rd32(ic + 4)) : -1;
		if (ptr < 0)
			return -1;
		*m = (struct icmp_xmap){ 1, ICMP_PARAMETERPROB, 0 };
		*rest = (uint32_t)ptr << 24;
		return 0;
	default:
		return -1;
	}
}

/* RFC 7915 5.2: minimum(MTU-20, IPv4 MTU, IPv6 MTU-20). */
static uint32_t fn_mtu(struct xlat_call *c, const uint8_t *ic,
		       const struct pkt6 *inner, const struct in_addr *dst4)
{
	uint32_t mtu = rd32(ic + 4);
	uint32_t mtu4 = xlat_mtu(c, XLAT_SIDE_V4, dst4);
	uint32_t mtu6 = xlat_mtu(c, XLAT_SIDE_V6, inner->p + IP6_DST);

	mtu = mtu > 20 ? mtu - 20 : 0;
	if (mtu4 < mtu)
		mtu = mtu4;
	if (mtu6 - 20 < mtu)
		mtu = mtu6 - 20;
	return mtu > 0xffff ? 0xffff : mtu;
}

/* The pseudo-header sum that ICMPv6 has and ICMPv4 lacks (RFC 7915 5.2). */
static uint32_t pseudo_of(const struct pkt6 *pi, size_t len)
{
	struct in6_addr s, d;

	memcpy(&s, pi->p + IP6_SRC, 16);
	memcpy(&d, pi->p + IP6_DST, 16);
	return csum_pseudo6(&s, &d, IPPROTO_ICMPV6, (uint32_t)len);
}

static long icmp64_info(const struct pkt6 *pi, uint8_t *buf, size_t room)
{
	const uint8_t *ic = pi->p + pi->l4_off;
	size_t len = pkt6_l4_len(pi);

	if ((ic[0] != ICMP6_ECHO_REQUEST && ic[0] != ICMP6_ECHO_REPLY) ||
	    len > room)
		return -XLAT_CNT_DROP_ICMP_UNTRANSLATABLE;
	memcpy(buf, ic, len);
	icmp_echo_retype(buf, false, pseudo_of(pi, len));
	/*
	 * ICMPv4 has no pseudo-header: a message of zeros (an echo reply
	 * with identifier, sequence and data 0) is valid only with 0xffff,
	 * where the RFC 1624 update may give the other zero, 0x0000. Sum
	 * that rare case whole (the sum is right for any message).
	 */
	if (!rdcsum(buf + ICMP_CSUM))
		wrcsum(buf + ICMP_CSUM, csum_finish(csum_partial(buf, len, 0)));
	return (long)len;
}

/* The echo inside an error gets its type (and checksum) translated too. */
static void inner_icmp64(const struct pkt6 *in, uint8_t *l4, size_t avail)
{
	if (in->proto != IPPROTO_ICMPV6 || in->frag_off || avail < 4 ||
	    (l4[0] != ICMP6_ECHO_REQUEST && l4[0] != ICMP6_ECHO_REPLY))
		return;
	icmp_echo_retype(l4, false, pseudo_of(in, pkt6_l4_len(in)));
}

static int icmp64_inner(struct xlat_call *c, const struct icmp_ext *b,
			struct pkt6 *in, uint8_t *buf, size_t room,
			size_t *written)
{
	struct xlat_fix fix = { .what = XLAT_FIX_NONE };
	struct in_addr s4, d4;
	int err;

	if (pkt6_parse(b->inner, b->inner_len, true, in))
		return XLAT_CNT_DROP_ICMP_INNER;
	/* RFC 7915 5.3: stop at the first embedded header. */
	if (in->proto == IPPROTO_ICMPV6 && !in->frag_off &&
	    pkt6_l4_avail(in) >= 1 && icmp6_is_error(in->p[in->l4_off]))
		return XLAT_CNT_DROP_ICMP_NESTED;
	err = xlat_map(c->ctx)->inner64(c, in, &s4, &d4, &fix);
	if (err)
		return err;
	if (room < IP4_HLEN)
		return XLAT_CNT_DROP_ICMP_INNER;
	*written = xlat64_write(c, in, &s4, &d4, XF_INNER, buf,
				room - IP4_HLEN);
	inner_icmp64(in, buf + IP4_HLEN, *written - IP4_HLEN);
	if (!in->frag_off)
		xlat_fix_l4(buf + IP4_HLEN, *written - IP4_HLEN, buf[IP4_PROTO],
			    &fix);
	return 0;
}

long icmp64_translate(struct xlat_call *c, const struct pkt6 *pi,
		      const struct in_addr *src, const struct in_addr *dst,
		      uint8_t *buf, size_t room)
{
	const uint8_t *ic = pi->p + pi->l4_off;
	size_t len = pkt6_l4_len(pi), n;
	struct icmp_xmap m;
	struct icmp_ext b;
	struct pkt6 in;
	uint32_t rest;
	int err;

	(void)src;
	if (len < ICMP_HLEN)
		return -XLAT_CNT_DROP_TRUNCATED;
	if (!icmp6_is_error(ic[0]))
		return icmp64_info(pi, buf, room);
	if (!csum_valid(ic, len, pseudo_of(pi, len)))
		return -XLAT_CNT_DROP_ICMP_CSUM;
	if (icmp64_map(ic, &m, &rest))
		return -XLAT_CNT_DROP_ICMP_UNTRANSLATABLE;
	if (room > ICMP4_ERR_MAX - IP4_HLEN)
		room = ICMP4_ERR_MAX - IP4_HLEN;
	icmp_ext_split(ic, len, 8, ic[0] == ICMP6_DST_UNREACH ||
		       ic[0] == ICMP6_TIME_EXCEEDED, 4, &b);
	err = icmp64_inner(c, &b, &in, buf + ICMP_HLEN, room - ICMP_HLEN, &n);
	if (err)
		return -err;
	if (m.type == ICMP_DEST_UNREACH && m.code == ICMP_FRAG_NEEDED)
		rest = fn_mtu(c, ic, &in, dst);
	buf[0] = m.type;
	buf[1] = m.code;
	wr32(buf + 4, rest);
	/* RFC 4884 lengths exist in ICMPv4 types 3, 11 and 12 (byte 5). */
	n = icmp_ext_place(&b, buf, n, room, 4, true, 5);
	wrcsum(buf + ICMP_CSUM, 0);
	wrcsum(buf + ICMP_CSUM, csum_finish(csum_partial(buf, n, 0)));
	return (long)n;
}
