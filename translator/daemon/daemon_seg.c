// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP aggregates (NFQA_SKB_GSO): up to 64 KB of one flow glued together
 * by GRO, or never cut because the sender's TSO/GSO handed it on whole.
 *
 * The core translates the aggregate once (XLAT_IN_AGGREGATE); the result is
 * then cut into TCP segments whose IP packets fit the egress path. The
 * segment size (payload bytes) is the smallest of:
 *   - egress MTU towards the destination (daemon_mtu.c) minus the
 *     translated IP and TCP headers;
 *   - for an IPv4 aggregate with DF=0 going to IPv6, lowest-ipv6-mtu
 *     minus the headers (RFC 7915 4.1 would fragment to it otherwise);
 *   - the ingress interface MTU minus the original IP and TCP headers:
 *     the sender could not have sent larger segments on that link;
 *   - the MSS the receiver announced in its SYN, minus the TCP options:
 *     the sender sends nothing larger (RFC 9293 3.7.1, RFC 6691);
 *   - what the flow's sender is known to send (segsize.h): the largest
 *     segment of the flow that came alone lately, if it is larger than
 *     the size that needs no knowledge, else that size: 1260-byte IPv4
 *     packets (DF=0 by RFC 7915 5.1, so a narrower IPv4 router fragments
 *     them) or 1280-byte IPv6 packets (every IPv6 link carries them).
 *
 * Why the last one: NFQUEUE does not say the aggregate's gso_size. A
 * sender behind a 1280-byte IPv6 link sends 1280-byte packets, which the
 * RFC translates to 1260-byte DF=0 packets; cut to the ingress link
 * (1500) they would leave as 1480-byte DF=1 packets, and if the IPv4
 * path is narrower and filters its Fragmentation Needed, the flow stalls
 * for good (a black hole the translator made: 1.4 MB in 40 s). A segment
 * is therefore never cut bigger than its sender was seen to send, and,
 * with no such knowledge, not bigger than any path carries. Rejected:
 * DF=0 on every big segment (path MTU discovery would never lower the
 * sender's size again, and 16-bit IPv4 IDs wrap within a second at
 * gigabit rates: RFC 4963); guessing the size from the aggregate's
 * length (a multiple of it only when the sender's writes are); the
 * sender's own SYN MSS (it follows its first link, not a narrower link
 * further on). Lone segments are common enough (a bulk flow's first
 * packets, retransmissions, the sender's small TSO bursts): measured, a
 * 100 MB transfer on 1500-byte links learns its size within its first
 * round trips.
 *
 * With `egress raw` the cutting happens here (daemon_gso.c) with complete
 * checksums; with `egress tun` the aggregate is written once with
 * gso_size = that segment size and the kernel cuts it (seed 003: segment
 * as late as possible). IPv4 segments of a 6->4 translation at or under
 * 1260 bytes need DF=0 and their own ID (RFC 7915 5.1): the aggregate
 * then goes to the kernel with DF=0 and the first of as many fresh IDs
 * as segments, which the kernel's GSO hands out one per segment.
 */
#include <string.h>

#include "daemon.h"
#include "daemon_gso.h"

#define SEG_DF_THRESHOLD	1260u
#define SEG_IP6_MIN_MTU		1280u	/* RFC 8200 section 5 */
#define SEG_IP4_DF		0x40u	/* in byte 6 */
#define SEG_TCP_HLEN		20u

/* What bounds the segments of one aggregate besides the egress path. */
struct seg_bounds {
	size_t in_cap;		/* ingress link MTU - original headers, 0: ? */
	struct segsize_info flow;
	bool df0;		/* an IPv4 aggregate with DF=0 */
};

static void seg_emit(void *arg, uint8_t *seg, size_t len)
{
	daemon_emit(arg, seg, len);
}

static const void *seg_dst(const uint8_t *pkt)
{
	return (pkt[0] >> 4) == 4 ? pkt + 16 : pkt + 24;
}

/*
 * The flow's bound on mss (the payload the path allows): its receiver's
 * MSS, and the size its sender is known to send, else the size every
 * path carries (base_mtu - hdrs). Counts the bound that cut deeper.
 */
static size_t seg_flow_mss(struct dworker *w, size_t mss, size_t hdrs,
			   size_t opts, uint32_t base_mtu,
			   const struct seg_bounds *b)
{
	size_t base = base_mtu > hdrs ? base_mtu - hdrs : 1;
	size_t known = b->flow.seen > base ? b->flow.seen : base;
	size_t peer = b->flow.peer_mss > opts ? b->flow.peer_mss - opts : 0;

	if (peer && peer <= known && peer < mss) {
		dstat_inc(&w->dstats, DSTAT_GSO_PEER_MSS);
		return peer;
	}
	if (known >= mss)
		return mss;
	dstat_inc(&w->dstats, b->flow.seen >= base ? DSTAT_GSO_SIZE_SEEN :
			      DSTAT_GSO_SIZE_UNKNOWN);
	return known;
}

/* Segment payload size for translated aggregate o (hdrs header bytes). */
static size_t seg_mss(struct dworker *w, const struct xlat_out_pkt *o,
		      const struct dgso_l4 *l4, size_t hdrs,
		      const struct seg_bounds *b)
{
	bool v4_out = o->side == XLAT_SIDE_V4;
	uint32_t mtu = daemon_mtu_to(w, o->side, seg_dst(o->data));
	uint32_t low = w->set->cfg.lowest_ipv6_mtu;
	uint32_t base = v4_out ? SEG_DF_THRESHOLD : SEG_IP6_MIN_MTU;
	size_t mss;

	/* RFC 7915 4.1: DF=0 IPv4 would be fragmented to lowest-ipv6-mtu,
	 * which the operator vouches for: no smaller base needed. */
	if (b->df0 && !v4_out && low) {
		mtu = low < mtu ? low : mtu;
		base = low;
	}
	mss = mtu > hdrs ? mtu - hdrs : 0;
	if (b->in_cap && b->in_cap < mss) {
		mss = b->in_cap;
		dstat_inc(&w->dstats, DSTAT_GSO_CAPPED);
	}
	return seg_flow_mss(w, mss, hdrs, hdrs - l4->off - SEG_TCP_HLEN,
			    base, b);
}

/*
 * The kernel's GSO on the TUN device cuts it: one write. fresh_ids: IPv4
 * segments of 1260 bytes or less from IPv6 (RFC 7915 5.1: DF=0, an ID
 * each): the kernel gives segment i the aggregate's ID + i (no FIXEDID
 * on what comes from a TUN device), so the aggregate takes DF=0 and the
 * first of as many IDs as segments from the core's counter.
 */
static int seg_to_tun(struct dworker *w, const struct xlat_out_pkt *o,
		      const struct dgso_l4 *l4, size_t hdrs, size_t mss,
		      bool fresh_ids)
{
	struct tun_gso g = {
		.mss = (uint16_t)mss,
		.l4_off = (uint16_t)l4->off,
		.hdrs = (uint16_t)hdrs,
	};
	size_t payload = l4->tot - hdrs;
	size_t segs = (payload + mss - 1) / mss;

	if (dgso_csum_partial(o->data, o->len))
		return -1;
	if (fresh_ids) {
		dgso_ip4_df0(o->data, (uint16_t)(w->ctx.ip_id_next + 1));
		w->ctx.ip_id_next = (uint16_t)(w->ctx.ip_id_next + segs);
	}
	/* The flow's packets queued before it leave first. */
	daemon_tun_flush(w);
	if (tun_write(&w->tun, o->data, l4->tot, &g)) {
		dstat_inc(&w->dstats, DSTAT_TX_TUN_ERR);
		return 0;
	}
	dstat_inc(&w->dstats, DSTAT_TX_TUN);
	dstat_inc(&w->dstats, DSTAT_GSO_TUN);
	dstat_add(&w->dstats, DSTAT_GSO_TUN_SEGMENTS, segs);
	return 0;
}

static int seg_one(struct dworker *w, const struct xlat_out_pkt *o,
		   enum xlat_side from, const struct seg_bounds *b)
{
	bool v4_out = o->side == XLAT_SIDE_V4;
	struct dgso_opts opts = { 0 };
	struct dgso_l4 l4;
	size_t hdrs;
	int n;

	hdrs = dgso_tcp_hdrs(o->data, o->len, &l4);
	if (!hdrs)
		return -1;
	opts.mss = seg_mss(w, o, &l4, hdrs, b);
	if (!opts.mss || opts.mss > 0xffff)
		return -1;
	opts.df_rule = v4_out && from == XLAT_SIDE_V6;
	opts.id_next = &w->ctx.ip_id_next;
	if (w->tun.fd >= 0 && l4.tot - hdrs > opts.mss)
		return seg_to_tun(w, o, &l4, hdrs, opts.mss, opts.df_rule &&
				  hdrs + opts.mss <= SEG_DF_THRESHOLD);
	n = dgso_segment(o->data, o->len, &opts, w->scratch, seg_emit, w);
	if (n < 0)
		return -1;
	if (n > 1)
		dstat_inc(&w->dstats, DSTAT_GSO_SEGMENTED);
	dstat_add(&w->dstats, DSTAT_GSO_SEGMENTS, (uint64_t)n);
	return 0;
}

/* The ingress cap: what the sender's link could carry, minus headers. */
static size_t seg_in_cap(struct dworker *w, const struct nfq_pkt *pkt,
			 size_t in_hdrs)
{
	uint32_t mtu = daemon_ingress_mtu(w, pkt->indev);

	return mtu > in_hdrs ? mtu - in_hdrs : 0;
}

/* What the flow table knows of the aggregate's flow (zeroes: nothing). */
static void seg_flow(struct dworker *w, enum xlat_side from,
		     const struct nfq_pkt *pkt, size_t payload,
		     struct segsize_info *fi)
{
	const struct xlat_out_pkt *o = w->out.count ? &w->out.pkt[0] : NULL;
	struct segsize_key k;

	memset(fi, 0, sizeof(*fi));
	if (w->segsize &&
	    daemon_segsize_key(from, pkt->data, pkt->len, o, &k))
		segsize_lookup(w->segsize, &k, (uint32_t)payload, w->now_ms,
			       fi);
}

bool daemon_seg_aggregate(struct dworker *w, enum xlat_side from,
			  const struct nfq_pkt *pkt, enum nfq_action *act)
{
	const struct xlat_out_pkt *o;
	struct seg_bounds b = { 0 };
	struct dgso_l4 l4;
	size_t in_hdrs;
	struct xlat_in in = {
		.side = from, .data = pkt->data, .len = pkt->len,
		.now_ms = w->now_ms, .flags = XLAT_IN_AGGREGATE,
	};
	enum xlat_verdict v;
	unsigned int i;

	dstat_inc(&w->dstats, DSTAT_GSO_RX);
	in_hdrs = dgso_tcp_hdrs(pkt->data, pkt->len, &l4);
	if (!in_hdrs)
		return false;	/* not plain TCP: the ordinary path copes */
	b.in_cap = seg_in_cap(w, pkt, in_hdrs);
	b.df0 = from == XLAT_SIDE_V4 && !(pkt->data[6] & SEG_IP4_DF);
	xlat_out_reset(&w->out);
	v = xlat_packet(&w->ctx, &in, &w->out);
	if (v == XLAT_DROP)
		dstat_inc(&w->dstats, DSTAT_XLAT_DROP);
	else
		seg_flow(w, from, pkt, l4.tot - in_hdrs, &b.flow);
	*act = NFQ_DROP;
	for (i = 0; i < w->out.count; i++) {
		o = &w->out.pkt[i];
		if (o->flags & XLAT_OUT_ERROR) {
			/* An error about the aggregate: its checksums are
			 * the core's business, it leaves as it is. */
			daemon_emit_out_one(w, o);
			continue;
		}
		if (seg_one(w, o, from, &b)) {
			dstat_inc(&w->dstats, DSTAT_GSO_DROP);
			*act = daemon_untranslatable(w);
		} else {
			xlat_count_sent(&w->xstats, o);	/* once, whole */
		}
	}
	daemon_mtu_resolve(w, &w->out);
	return true;
}
