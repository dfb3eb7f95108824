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

void daemon_segsize_note(struct dworker *w, enum xlat_side from,
			 const uint8_t *pkt, size_t len)
{
	const struct xlat_out_pkt *o = w->out.count ? &w->out.pkt[0] : NULL;
	struct dnote n = { .kind = DNOTE_MSS };
	struct segsize_key k;
	struct dgso_l4 l4;
	size_t hdrs;
	uint16_t mss;

	if (!w->segsize)
		return;
	hdrs = dgso_tcp_hdrs(pkt, len, &l4);
	if (!hdrs)
		return;
	if (!(pkt[l4.off + DSS_TCP_FLAGS] & TH_SYN)) {
		if (l4.tot > hdrs &&
		    daemon_segsize_key(from, pkt, len, o, &k))
			segsize_note_data(w->segsize, &k,
					  (uint32_t)(l4.tot - hdrs), w->now_ms);
		return;
	}
	/* The MSS the peer will see bounds the peer's segments to us. */
	mss = dss_syn_mss(o);
	if (!mss || !daemon_segsize_key(from, pkt, len, o, &k))
		return;
	dss_reverse(&k);
	segsize_note_mss(w->segsize, &k, mss, w->now_ms);
	/* The SYN came from the receiver's side, likely to another worker
	 * than the data it bounds: every worker learns it. (Sizes seen of
	 * lone segments stay here: the flow's aggregates come here too.) */
	n.value = mss;
	n.key = k;
	dworker_post(w, &n);
}

int daemon_segsize_open(struct dworker *w)
{
	w->segsize = segsize_new(NULL);
	return w->segsize ? 0 : -1;
}

void daemon_segsize_close(struct dworker *w)
{
	segsize_free(w->segsize);
	w->segsize = NULL;
}

void daemon_segsize_stats(struct dworker *w)
{
	const struct segsize_stats *s;

	if (!w->segsize)
		return;
	s = segsize_stats(w->segsize);
	w->dstats.c[DSTAT_SEGSIZE_FLOWS] = s->flows;
	w->dstats.c[DSTAT_SEGSIZE_EVICTED] = s->evicted;
	w->dstats.c[DSTAT_SEGSIZE_RAISED] = s->raised;
	w->dstats.c[DSTAT_SEGSIZE_STALE] = s->stale;
}
