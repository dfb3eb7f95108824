// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ICMP errors the translator originates itself (RFC 7915 4.4 and 5.4):
 * from its own address on the side facing the sender, TTL/hop limit 64,
 * quoting as much of the offending packet as the minimum MTU allows.
 */
#include "xlat_priv.h"

#define ICMP_ERR_TTL 64

/* RFC 1812 4.3.2.7: no error about an error, a non-first fragment, a
 * packet to a multicast or broadcast address, or a packet from an address
 * that does not name one host. */
static bool icmp4_may_answer(const uint8_t *orig, size_t len)
{
	struct pkt4 pi;
	uint8_t s0 = orig[IP4_SRC];

	if (pkt4_parse(orig, len, true, &pi) || pi.frag_off)
		return false;
	if (s0 == 0 || s0 == 127 || s0 >= 224 || orig[IP4_DST] >= 224)
		return false;
	return !(pi.proto == IPPROTO_ICMP && pkt4_l4_avail(&pi) >= 1 &&
		 icmp4_is_error(pkt4_l4(&pi)[0]));
}

void icmp4_error(struct xlat_call *c, const uint8_t *orig, size_t len,
		 uint8_t type, uint8_t code, uint32_t rest)
{
	const struct config *cfg = c->ctx->cfg;
	struct xlat_out *out = c->out;
	size_t quote = len, tot, max = ICMP4_ERR_MAX;
	uint8_t *h, *ic;
	uint32_t mtu;

	if (!cfg->addr4_set || !icmp4_may_answer(orig, len))
		return;
	/* An IPv4 link may be as small as 68 bytes (RFC 791): the error
	 * fits the way back whole, still quoting the header and 8 bytes. */
	mtu = xlat_mtu(c, XLAT_SIDE_V4, orig + IP4_SRC);
	if (mtu < max)
		max = mtu < 68 ? 68 : mtu;
	if (quote > max - IP4_HLEN - ICMP_HLEN)
		quote = max - IP4_HLEN - ICMP_HLEN;
	tot = IP4_HLEN + ICMP_HLEN + quote;
	h = xlat_out_add(out, tot, XLAT_SIDE_V4);
	if (!h)
		return;
	memset(h, 0, IP4_HLEN + ICMP_HLEN);
	h[0] = 0x45;
	wr16(h + IP4_TOTLEN, (uint16_t)tot);
	h[IP4_TTL] = ICMP_ERR_TTL;
	h[IP4_PROTO] = IPPROTO_ICMP;
	memcpy(h + IP4_SRC, &cfg->addr4, 4);
	memcpy(h + IP4_DST, orig + IP4_SRC, 4);
	wrcsum(h + IP4_CSUM, csum_ipv4_header(h, IP4_HLEN));
	ic = h + IP4_HLEN;
	ic[0] = type;
	ic[1] = code;
	wr32(ic + 4, rest);
	memcpy(ic + ICMP_HLEN, orig, quote);
	wrcsum(ic + ICMP_CSUM, csum_finish(csum_partial(ic, ICMP_HLEN + quote, 0)));
	out->pkt[out->count - 1].flags |= XLAT_OUT_ERROR;
}

/* RFC 4443 2.4 (e): not about an ICMPv6 error, a multicast or unspecified
 * source, nor a non-first fragment; about a packet sent to a multicast
 * address only Packet Too Big and Parameter Problem code 2 (e.3). Nor to
 * ::1, which no packet on a link may come from (RFC 4291 2.5.3). */
static bool icmp6_may_answer(const uint8_t *orig, size_t len, uint8_t type,
			     uint8_t code)
{
	static const uint8_t zero[16];
	static const uint8_t loopback[16] = { [15] = 1 };
	struct pkt6 pi;

	if (len < IP6_HLEN || orig[IP6_SRC] == 0xff ||
	    !memcmp(orig + IP6_SRC, zero, 16) ||
	    !memcmp(orig + IP6_SRC, loopback, 16))
		return false;
	if (orig[IP6_DST] == 0xff && type != ICMP6_PACKET_TOO_BIG &&
	    !(type == ICMP6_PARAM_PROB && code == ICMP6_PARAMPROB_OPTION))
		return false;
	if (pkt6_parse(orig, len, true, &pi))
		return true;	/* unparsable chain: still worth an answer */
	if (pi.has_frag && pi.frag_off)
		return false;
	return !(pi.proto == IPPROTO_ICMPV6 && pkt6_l4_avail(&pi) >= 1 &&
		 icmp6_is_error(pi.p[pi.l4_off]));
}

void icmp6_error(struct xlat_call *c, const uint8_t *orig, size_t len,
		 uint8_t type, uint8_t code, uint32_t rest)
{
	const struct config *cfg = c->ctx->cfg;
	struct xlat_out *out = c->out;
	size_t quote = len, plen;
	struct in6_addr dst;
	uint8_t *h, *ic;

	if (!cfg->addr6_set || !icmp6_may_answer(orig, len, type, code))
		return;
	if (quote > ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN)
		quote = ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN;
	plen = ICMP_HLEN + quote;
	h = xlat_out_add(out, IP6_HLEN + plen, XLAT_SIDE_V6);
	if (!h)
		return;
	memset(h, 0, IP6_HLEN + ICMP_HLEN);
	h[0] = 0x60;
	wr16(h + IP6_PLEN, (uint16_t)plen);
	h[IP6_NH] = IPPROTO_ICMPV6;
	h[IP6_HLIM] = ICMP_ERR_TTL;
	memcpy(h + IP6_SRC, &cfg->addr6, 16);
	memcpy(h + IP6_DST, orig + IP6_SRC, 16);
	memcpy(&dst, orig + IP6_SRC, 16);
	ic = h + IP6_HLEN;
	ic[0] = type;
	ic[1] = code;
	wr32(ic + 4, rest);
	memcpy(ic + ICMP_HLEN, orig, quote);
	wrcsum(ic + ICMP_CSUM,
	       csum_finish(csum_partial(ic, plen,
			csum_pseudo6(&cfg->addr6, &dst, IPPROTO_ICMPV6,
				     (uint32_t)plen))));
	out->pkt[out->count - 1].flags |= XLAT_OUT_ERROR;
}
