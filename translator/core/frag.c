// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fragmentation of translated packets: IPv4 packets with DF=0 become IPv6
 * fragments no larger than lowest-ipv6-mtu / the egress MTU (RFC 7915
 * 4.1), and small DF=0 IPv4 results are fragmented for an IPv4 next hop
 * with a smaller MTU, as any IPv4 router does (RFC 791 section 3.2).
 */
#include "xlat_priv.h"

/* Moves the packet at index i (the original) out of the list. */
static void out_remove(struct xlat_out *out, unsigned int i)
{
	memmove(&out->pkt[i], &out->pkt[i + 1],
		sizeof(out->pkt[0]) * (out->count - i - 1));
	out->count--;
}

/* Undoes a partial split: forget the fragments after index i. */
static int split_fail(struct xlat_out *out, unsigned int i)
{
	out->count = i + 1;
	out->used = xlat_out_end(out, &out->pkt[i], out->pkt[i].len);
	return -1;
}

int frag6_split_last(struct xlat_out *out, uint32_t mtu, uint32_t id)
{
	unsigned int i = out->count - 1;
	const uint8_t *p = out->pkt[i].data;
	size_t len = out->pkt[i].len, data = IP6_HLEN, chunk, pos;
	uint16_t base = 0;
	uint8_t nh = p[IP6_NH];
	bool mf = false;

	if (nh == IPPROTO_FRAGMENT) {
		/* Already a fragment: refragment within its own range. */
		const uint8_t *f = p + IP6_HLEN;

		nh = f[FRAG6_NH];
		base = rd16(f + FRAG6_OFF) & 0xfff8;
		mf = rd16(f + FRAG6_OFF) & 1;
		id = rd32(f + FRAG6_ID);
		data += FRAG6_LEN;
	}
	if (mtu < IP6_HLEN + FRAG6_LEN + 8)
		return -1;
	chunk = (mtu - IP6_HLEN - FRAG6_LEN) & ~(size_t)7;
	for (pos = data; pos < len; pos += chunk) {
		size_t n = len - pos < chunk ? len - pos : chunk;
		bool more = pos + n < len || mf;
		uint8_t *q = xlat_out_add(out, IP6_HLEN + FRAG6_LEN + n,
					  XLAT_SIDE_V6);

		if (!q)
			return split_fail(out, i);
		memcpy(q, p, IP6_HLEN);
		wr16(q + IP6_PLEN, (uint16_t)(FRAG6_LEN + n));
		q[IP6_NH] = IPPROTO_FRAGMENT;
		q[IP6_HLEN + FRAG6_NH] = nh;
		q[IP6_HLEN + 1] = 0;
		wr16(q + IP6_HLEN + FRAG6_OFF,
		     (uint16_t)((base + pos - data) | (more ? 1 : 0)));
		wr32(q + IP6_HLEN + FRAG6_ID, id);
		memcpy(q + IP6_HLEN + FRAG6_LEN, p + pos, n);
		out->pkt[out->count - 1].flags |= XLAT_OUT_FRAG;
	}
	out_remove(out, i);
	return 0;
}

int frag4_split_last(struct xlat_out *out, uint32_t mtu)
{
	unsigned int i = out->count - 1;
	const uint8_t *p = out->pkt[i].data;
	size_t len = out->pkt[i].len, chunk, pos;
	uint16_t frag = rd16(p + IP4_FRAG);
	size_t base = (size_t)(frag & IP4_OFFMASK) * 8;
	bool mf = frag & IP4_MF;

	if (frag & IP4_DF || mtu < IP4_HLEN + 8)
		return -1;
	chunk = (mtu - IP4_HLEN) & ~(size_t)7;
	for (pos = IP4_HLEN; pos < len; pos += chunk) {
		size_t n = len - pos < chunk ? len - pos : chunk;
		bool more = pos + n < len || mf;
		uint8_t *q = xlat_out_add(out, IP4_HLEN + n, XLAT_SIDE_V4);

		if (!q)
			return split_fail(out, i);
		memcpy(q, p, IP4_HLEN);
		wr16(q + IP4_TOTLEN, (uint16_t)(IP4_HLEN + n));
		wr16(q + IP4_FRAG, (uint16_t)((base + pos - IP4_HLEN) / 8 |
					      (more ? IP4_MF : 0)));
		wrcsum(q + IP4_CSUM, csum_ipv4_header(q, IP4_HLEN));
		memcpy(q + IP4_HLEN, p + pos, n);
		out->pkt[out->count - 1].flags |= XLAT_OUT_FRAG;
	}
	out_remove(out, i);
	return 0;
}
