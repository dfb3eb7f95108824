// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Feeding the per-flow segment size table (segsize.h) from the packets
 * the core translated one by one, and reading it for an aggregate.
 *
 * Only packets the core accepted count: a forged segment with a bad
 * checksum must not make a flow's segments bigger. Pure ACKs, the bulk
 * of the reverse direction, teach nothing and cost no lookup.
 */
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "bytes.h"
#include "daemon.h"
#include "daemon_gso.h"

/* Offset of the flags byte in the TCP header (RFC 9293 3.1). */
#define DSS_TCP_FLAGS	13

/* The key of an unfragmented IPv4 TCP packet; false for anything else. */
static bool dss_key(const uint8_t *p, size_t len, struct segsize_key *k)
{
	struct dgso_l4 l4;

	if (!len || (p[0] >> 4) != 4 || !dgso_tcp_hdrs(p, len, &l4))
		return false;
	memcpy(k->src, p + 12, 4);
	memcpy(k->dst, p + 16, 4);
	memcpy(k->sport, p + l4.off, 2);
	memcpy(k->dport, p + l4.off + 2, 2);
	return true;
}

/* The flow going the other way. */
static void dss_reverse(struct segsize_key *k)
{
	struct segsize_key r;

	memcpy(r.src, k->dst, 4);
	memcpy(r.dst, k->src, 4);
	memcpy(r.sport, k->dport, 2);
	memcpy(r.dport, k->sport, 2);
	*k = r;
}

bool daemon_segsize_key(enum xlat_side from, const uint8_t *pkt, size_t len,
			const struct xlat_out_pkt *o, struct segsize_key *k)
{
	if (from == XLAT_SIDE_V4)
		return dss_key(pkt, len, k);
	if (!o || (o->flags & XLAT_OUT_ERROR) || o->side != XLAT_SIDE_V4)
		return false;
	return dss_key(o->data, o->len, k);
}

/* The MSS option of a translated SYN, 0 without one. */
static uint16_t dss_syn_mss(const struct xlat_out_pkt *o)
{
	struct dgso_l4 l4;
	size_t hdrs, off;

	if (!o || (o->flags & XLAT_OUT_ERROR))
		return 0;
	hdrs = dgso_tcp_hdrs(o->data, o->len, &l4);
	if (!hdrs)
		return 0;
	off = xlat_tcp_mss_off(o->data + l4.off, hdrs - l4.off);
	return off ? rd16(o->data + l4.off + off) : 0;
}

void daemon_segsize_note(struct daemon *d, enum xlat_side from,
			 const uint8_t *pkt, size_t len)
{
	const struct xlat_out_pkt *o = d->out.count ? &d->out.pkt[0] : NULL;
	struct segsize_key k;
	struct dgso_l4 l4;
	size_t hdrs;
	uint16_t mss;

	if (!d->segsize)
		return;
	hdrs = dgso_tcp_hdrs(pkt, len, &l4);
	if (!hdrs)
		return;
	if (!(pkt[l4.off + DSS_TCP_FLAGS] & TH_SYN)) {
		if (l4.tot > hdrs &&
		    daemon_segsize_key(from, pkt, len, o, &k))
			segsize_note_data(d->segsize, &k,
					  (uint32_t)(l4.tot - hdrs), d->now_ms);
		return;
	}
	/* The MSS the peer will see bounds the peer's segments to us. */
	mss = dss_syn_mss(o);
	if (!mss || !daemon_segsize_key(from, pkt, len, o, &k))
		return;
	dss_reverse(&k);
	segsize_note_mss(d->segsize, &k, mss, d->now_ms);
}

int daemon_segsize_open(struct daemon *d)
{
	d->segsize = segsize_new(NULL);
	return d->segsize ? 0 : -1;
}

void daemon_segsize_close(struct daemon *d)
{
	segsize_free(d->segsize);
	d->segsize = NULL;
}

void daemon_segsize_stats(struct daemon *d)
{
	const struct segsize_stats *s;

	if (!d->segsize)
		return;
	s = segsize_stats(d->segsize);
	d->dstats.c[DSTAT_SEGSIZE_FLOWS] = s->flows;
	d->dstats.c[DSTAT_SEGSIZE_EVICTED] = s->evicted;
	d->dstats.c[DSTAT_SEGSIZE_RAISED] = s->raised;
	d->dstats.c[DSTAT_SEGSIZE_STALE] = s->stale;
}
