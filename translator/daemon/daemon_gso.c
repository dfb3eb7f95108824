// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "bytes.h"
#include "csum.h"
#include "daemon_gso.h"

/* RFC 3168 6.1.2's CWR bit, which <netinet/tcp.h> does not name. */
#define DGSO_TCP_CWR	0x80
/* RFC 7915 5.1: translated IPv4 packets above this size get DF=1. */
#define DGSO_DF_THRESHOLD	1260u
/* Room kept for the bytes that follow the TCP header length field. */
#define DGSO_TCP_MIN	20u

static int dgso_find_l4_v4(const uint8_t *pkt, size_t len, struct dgso_l4 *l4)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;

	l4->tot = rd16(pkt + 2);
	/* A fragment's layer 4 is incomplete: nothing to fix or split. */
	if (ihl < 20 || l4->tot < ihl || l4->tot > len ||
	    (rd16(pkt + 6) & 0x3fff))
		return -1;
	l4->proto = pkt[9];
	l4->off = ihl;
	return 0;
}

static int dgso_find_l4_v6(const uint8_t *pkt, size_t len, struct dgso_l4 *l4)
{
	uint8_t nh = pkt[6];
	size_t off = 40;
	int hops;

	l4->tot = 40u + rd16(pkt + 4);
	if (l4->tot > len)
		return -1;
	/* Bounded: a packet with more than 8 options headers is junk. */
	for (hops = 0; hops < 8; hops++) {
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_DSTOPTS)
			break;
		if (off + 8 > l4->tot)
			return -1;
		nh = pkt[off];
		off += ((size_t)pkt[off + 1] + 1) * 8;
	}
	/* Routing and fragment headers change the pseudo-header or L4. */
	if (off > l4->tot || nh == IPPROTO_HOPOPTS || nh == IPPROTO_DSTOPTS ||
	    nh == IPPROTO_ROUTING || nh == IPPROTO_FRAGMENT)
		return -1;
	l4->proto = nh;
	l4->off = off;
	return 0;
}

int dgso_find_l4(const uint8_t *pkt, size_t len, struct dgso_l4 *l4)
{
	if (len >= 20 && (pkt[0] >> 4) == 4)
		return dgso_find_l4_v4(pkt, len, l4);
	if (len >= 40 && (pkt[0] >> 4) == 6)
		return dgso_find_l4_v6(pkt, len, l4);
	return -1;
}

int dgso_csum_complete(uint8_t *pkt, size_t len)
{
	struct dgso_l4 l4;
	size_t field, l4len;
	uint16_t sum;

	if (dgso_find_l4(pkt, len, &l4))
		return -1;
	if (l4.proto == IPPROTO_TCP)
		field = 16;
	else if (l4.proto == IPPROTO_UDP)
		field = 6;
	else
		return -1;
	l4len = l4.tot - l4.off;
	if (l4len < field + 2)
		return -1;
	/* The field holds the pseudo-header sum: sum over it and the rest. */
	sum = csum_finish(csum_partial(pkt + l4.off, l4len, 0));
	if (l4.proto == IPPROTO_UDP && !sum)
		sum = 0xffff;
	memcpy(pkt + l4.off + field, &sum, 2);
	return 0;
}

static uint32_t dgso_pseudo(const uint8_t *seg, uint32_t l4len)
{
	struct in6_addr s6, d6;
	struct in_addr s4, d4;

	if ((seg[0] >> 4) == 4) {
		memcpy(&s4, seg + 12, 4);
		memcpy(&d4, seg + 16, 4);
		return csum_pseudo4(&s4, &d4, IPPROTO_TCP, l4len);
	}
	memcpy(&s6, seg + 8, 16);
	memcpy(&d6, seg + 24, 16);
	return csum_pseudo6(&s6, &d6, IPPROTO_TCP, l4len);
}

size_t dgso_tcp_hdrs(const uint8_t *pkt, size_t len, struct dgso_l4 *l4)
{
	size_t hdrs;

	if (dgso_find_l4(pkt, len, l4) || l4->proto != IPPROTO_TCP ||
	    l4->tot < l4->off + DGSO_TCP_MIN)
		return 0;
	hdrs = l4->off + (size_t)(pkt[l4->off + 12] >> 4) * 4;
	if (hdrs < l4->off + DGSO_TCP_MIN || hdrs > l4->tot)
		return 0;
	return hdrs;
}

int dgso_csum_partial(uint8_t *pkt, size_t len)
{
	struct dgso_l4 l4;
	uint16_t sum;

	if (!dgso_tcp_hdrs(pkt, len, &l4))
		return -1;
	/* Not complemented: the kernel adds the data and complements. */
	sum = csum_fold(dgso_pseudo(pkt, (uint32_t)(l4.tot - l4.off)));
	memcpy(pkt + l4.off + 16, &sum, 2);
	return 0;
}

static void dgso_ip4_csum(uint8_t *ip, size_t ihl)
{
	uint16_t sum;

	memset(ip + 10, 0, 2);
	sum = csum_ipv4_header(ip, ihl);
	memcpy(ip + 10, &sum, 2);
}

void dgso_ip4_df0(uint8_t *pkt, uint16_t id)
{
	wr16(pkt + 4, id);
	wr16(pkt + 6, rd16(pkt + 6) & (uint16_t)~0x4000u);
	dgso_ip4_csum(pkt, (size_t)(pkt[0] & 0x0f) * 4);
}

/* IPv4 header of segment i: length, DF and ID, header checksum. */
static void dgso_fix_ip4(uint8_t *seg, size_t ihl, size_t seg_len,
			 uint32_t i, const struct dgso_opts *o)
{
	uint16_t frag = rd16(seg + 6) & (uint16_t)~0x4000u;

	wr16(seg + 2, (uint16_t)seg_len);
	if (!o->df_rule) {
		/* Consecutive IDs, as the kernel's segmentation gives. */
		wr16(seg + 4, (uint16_t)(rd16(seg + 4) + i));
	} else if (seg_len > DGSO_DF_THRESHOLD) {
		wr16(seg + 6, frag | 0x4000u);
		wr16(seg + 4, 0);
	} else {
		wr16(seg + 6, frag);
		wr16(seg + 4, (*o->id_next)++);
	}
	dgso_ip4_csum(seg, ihl);
}

/* Rewrites the copied headers of segment i for its payload [o, o+n). */
static void dgso_fix_headers(uint8_t *seg, const struct dgso_l4 *l4,
			     size_t hdrs, uint32_t i, uint32_t off, size_t n,
			     int last, const struct dgso_opts *o)
{
	uint8_t *th = seg + l4->off;
	uint32_t seq;
	uint16_t sum;

	if ((seg[0] >> 4) == 4)
		dgso_fix_ip4(seg, l4->off, hdrs + n, i, o);
	else
		wr16(seg + 4, (uint16_t)(hdrs + n - 40));
	seq = rd32(th + 4) + (uint32_t)off;
	wr32(th + 4, seq);
	if (!last)
		th[13] &= (uint8_t)~(TH_FIN | TH_PUSH);
	if (i)
		th[13] &= (uint8_t)~DGSO_TCP_CWR;
	memset(th + 16, 0, 2);
	sum = csum_finish(csum_partial(th, hdrs - l4->off + n,
				       dgso_pseudo(seg, (uint32_t)(hdrs - l4->off + n))));
	memcpy(th + 16, &sum, 2);
}

int dgso_segment(const uint8_t *pkt, size_t len, const struct dgso_opts *o,
		 uint8_t *scratch, dgso_emit_fn emit, void *arg)
{
	size_t hdrs, payload, off;
	struct dgso_l4 l4;
	uint32_t i = 0;

	hdrs = dgso_tcp_hdrs(pkt, len, &l4);
	if (!hdrs || !o->mss || o->mss > DGSO_MAX_SEG - hdrs ||
	    (o->df_rule && !o->id_next))
		return -1;
	payload = l4.tot - hdrs;
	for (off = 0; off < payload || (!payload && !i); off += o->mss, i++) {
		size_t n = payload - off < o->mss ? payload - off : o->mss;

		memcpy(scratch, pkt, hdrs);
		memcpy(scratch + hdrs, pkt + hdrs + off, n);
		dgso_fix_headers(scratch, &l4, hdrs, i, (uint32_t)off, n,
				 off + n >= payload, o);
		emit(arg, scratch, hdrs + n);
	}
	return (int)i;
}
