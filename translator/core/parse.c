// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Header validation and parsing for both IP versions. An outer packet must
 * be complete; a packet quoted inside an ICMP error may be truncated, but
 * its own headers (IP, extensions) must be present.
 */
#include "xlat_priv.h"

/* The header sums to 0xffff; the usual 20 bytes with a constant count. */
static bool ip4_csum_ok(const uint8_t *p, size_t hlen)
{
	uint32_t sum = hlen == IP4_HLEN ? csum_words(p, 5, 0) :
					  csum_words(p, hlen / 4, 0);

	return csum_fold(sum) == 0xffff;
}

int pkt4_parse(const uint8_t *p, size_t len, bool inner, struct pkt4 *pi)
{
	uint16_t frag;

	if (len < IP4_HLEN)
		return XLAT_CNT_DROP_TRUNCATED;
	if (p[0] >> 4 != 4)
		return XLAT_CNT_DROP_MALFORMED;
	pi->p = p;
	pi->hlen = (size_t)(p[0] & 0x0f) * 4;
	pi->tot_len = rd16(p + IP4_TOTLEN);
	if (pi->hlen < IP4_HLEN || pi->tot_len < pi->hlen)
		return XLAT_CNT_DROP_MALFORMED;
	if (len < pi->hlen)
		return XLAT_CNT_DROP_TRUNCATED;
	/*
	 * RFC 1812 5.2.2: a router silently discards a datagram whose header
	 * checksum is wrong. The kernel has checked the daemon's packets, but
	 * not a replayed capture's. A header quoted in an ICMP error is not
	 * checked: it is data about a packet already gone, and its
	 * translation (RFC 7915 4.3) has no header checksum to carry.
	 */
	if (!inner && !ip4_csum_ok(p, pi->hlen))
		return XLAT_CNT_DROP_IP4_CSUM;
	if (pi->tot_len > len && !inner)
		return XLAT_CNT_DROP_TRUNCATED;
	/* Trailing bytes past Total Length (link padding) are not ours. */
	pi->avail = pi->tot_len < len ? pi->tot_len : len;
	pi->proto = p[IP4_PROTO];
	pi->id = rd16(p + IP4_ID);
	frag = rd16(p + IP4_FRAG);
	pi->df = frag & IP4_DF;
	pi->mf = frag & IP4_MF;
	pi->frag_off = (uint16_t)((frag & IP4_OFFMASK) * 8);
	return 0;
}

static bool ip6_is_ext(uint8_t nh)
{
	/* RFC 7915 5.1 only walks these; anything else is the payload. */
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
	       nh == IPPROTO_DSTOPTS || nh == IPPROTO_FRAGMENT;
}

static int pkt6_frag(struct pkt6 *pi, size_t off)
{
	const uint8_t *f = pi->p + off;
	uint16_t fo;

	if (pi->has_frag)
		return XLAT_CNT_DROP_MALFORMED;	/* two Fragment headers */
	if (off + FRAG6_LEN > pi->avail)
		return XLAT_CNT_DROP_TRUNCATED;
	fo = rd16(f + FRAG6_OFF);
	pi->has_frag = true;
	pi->frag_off = fo & 0xfff8;
	pi->mf = fo & 1;
	pi->frag_id = rd32(f + FRAG6_ID);
	return 0;
}

static int pkt6_walk(struct pkt6 *pi)
{
	size_t off = IP6_HLEN;
	uint8_t nh = pi->p[IP6_NH];
	int err;

	while (ip6_is_ext(nh)) {
		const uint8_t *h = pi->p + off;
		size_t hl;

		if (off + 8 > pi->avail)
			return XLAT_CNT_DROP_TRUNCATED;
		if (pi->has_frag)
			pi->ext_after_frag = true;
		if (nh == IPPROTO_FRAGMENT) {
			err = pkt6_frag(pi, off);
			if (err)
				return err;
			hl = FRAG6_LEN;
		} else {
			hl = ((size_t)h[1] + 1) * 8;
			if (off + hl > pi->avail)
				return XLAT_CNT_DROP_TRUNCATED;
			if (nh == IPPROTO_ROUTING && h[3] && !pi->rh_segleft_off)
				pi->rh_segleft_off = off + 3;
		}
		nh = h[0];
		off += hl;
		/* Past a non-first fragment's header the bytes are data. */
		if (pi->has_frag && pi->frag_off)
			break;
	}
	pi->l4_off = off;
	pi->proto = nh;
	return 0;
}

int pkt6_parse(const uint8_t *p, size_t len, bool inner, struct pkt6 *pi)
{
	size_t plen;

	memset(pi, 0, sizeof(*pi));
	if (len < IP6_HLEN)
		return XLAT_CNT_DROP_TRUNCATED;
	if (p[0] >> 4 != 6)
		return XLAT_CNT_DROP_MALFORMED;
	plen = rd16(p + IP6_PLEN);
	/* Payload Length 0 is a jumbogram (RFC 2675): never below 64 KB. */
	if (plen == 0 && len > IP6_HLEN)
		return XLAT_CNT_DROP_MALFORMED;
	pi->p = p;
	pi->tot_len = IP6_HLEN + plen;
	if (pi->tot_len > len && !inner)
		return XLAT_CNT_DROP_TRUNCATED;
	pi->avail = pi->tot_len < len ? pi->tot_len : len;
	return pkt6_walk(pi);
}
