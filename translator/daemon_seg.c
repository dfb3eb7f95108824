// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP aggregates (NFQA_SKB_GSO): up to 64 KB of one flow glued together
 * by GRO, or never cut because the sender's TSO/GSO handed it on whole.
 *
 * The core translates the aggregate once (ctx->aggregate); the result is
 * then cut into TCP segments whose IP packets fit the egress path. The
 * segment size (payload bytes) is the smallest of:
 *   - egress MTU towards the destination (daemon_mtu.c) minus the
 *     translated IP and TCP headers;
 *   - for an IPv4 aggregate with DF=0 going to IPv6, lowest-ipv6-mtu
 *     minus the headers (RFC 7915 4.1 would fragment to it otherwise);
 *   - the ingress interface MTU minus the original IP and TCP headers:
 *     the sender could not have sent larger segments on that link, so
 *     segments never grow through the translator (NFQUEUE does not tell
 *     the original gso_size).
 * With `egress raw` the cutting happens here (daemon_gso.c) with complete
 * checksums; with `egress tun` the aggregate is written once with
 * gso_size = that segment size and the kernel cuts it (seed 003: segment
 * as late as possible). IPv4 segments of a 6->4 translation at or under
 * 1260 bytes need DF=0 and their own ID (RFC 7915 5.1), which the
 * kernel's GSO does not do: those are cut here in both modes.
 */
#include "daemon.h"
#include "daemon_gso.h"

#define SEG_DF_THRESHOLD	1260u
#define SEG_IP4_DF		0x40u	/* in byte 6 */

static void seg_emit(void *arg, uint8_t *seg, size_t len)
{
	daemon_emit(arg, seg, len);
}

static const void *seg_dst(const uint8_t *pkt)
{
	return (pkt[0] >> 4) == 4 ? pkt + 16 : pkt + 24;
}

/* Segment payload size for translated aggregate o (hdrs header bytes). */
static size_t seg_mss(struct daemon *d, const struct xlat_out_pkt *o,
		      size_t hdrs, bool df0_46, size_t in_cap)
{
	uint32_t mtu = daemon_mtu_to(d, o->side, seg_dst(o->data));
	uint32_t low = d->set->cfg.lowest_ipv6_mtu;
	size_t mss;

	if (df0_46 && low && low < mtu)
		mtu = low;
	mss = mtu > hdrs ? mtu - hdrs : 0;
	if (in_cap && in_cap < mss) {
		mss = in_cap;
		dstat_inc(&d->dstats, DSTAT_GSO_CAPPED);
	}
	return mss;
}

/* The kernel's GSO on the TUN device cuts it: one write. */
static int seg_to_tun(struct daemon *d, const struct xlat_out_pkt *o,
		      const struct dgso_l4 *l4, size_t hdrs, size_t mss)
{
	struct tun_gso g = {
		.mss = (uint16_t)mss,
		.l4_off = (uint16_t)l4->off,
		.hdrs = (uint16_t)hdrs,
	};
	size_t payload = l4->tot - hdrs;

	if (dgso_csum_partial(o->data, o->len))
		return -1;
	if (tun_write(&d->tun, o->data, l4->tot, &g)) {
		dstat_inc(&d->dstats, DSTAT_TX_TUN_ERR);
		return 0;
	}
	dstat_inc(&d->dstats, DSTAT_TX_TUN);
	dstat_inc(&d->dstats, DSTAT_GSO_TUN);
	dstat_add(&d->dstats, DSTAT_GSO_TUN_SEGMENTS, (payload + mss - 1) / mss);
	return 0;
}

static int seg_one(struct daemon *d, const struct xlat_out_pkt *o,
		   enum xlat_side from, bool df0, size_t in_cap)
{
	bool v4_out = o->side == XLAT_SIDE_V4;
	struct dgso_opts opts = { 0 };
	struct dgso_l4 l4;
	size_t hdrs;
	int n;

	hdrs = dgso_tcp_hdrs(o->data, o->len, &l4);
	if (!hdrs)
		return -1;
	opts.mss = seg_mss(d, o, hdrs, df0 && !v4_out, in_cap);
	if (!opts.mss || opts.mss > 0xffff)
		return -1;
	opts.df_rule = v4_out && from == XLAT_SIDE_V6;
	opts.id_next = &d->ctx.ip_id_next;
	if (d->tun.fd >= 0 && l4.tot - hdrs > opts.mss &&
	    !(opts.df_rule && hdrs + opts.mss <= SEG_DF_THRESHOLD))
		return seg_to_tun(d, o, &l4, hdrs, opts.mss);
	n = dgso_segment(o->data, o->len, &opts, d->scratch, seg_emit, d);
	if (n < 0)
		return -1;
	if (n > 1)
		dstat_inc(&d->dstats, DSTAT_GSO_SEGMENTED);
	dstat_add(&d->dstats, DSTAT_GSO_SEGMENTS, (uint64_t)n);
	return 0;
}

/* The ingress cap: what the sender's link could carry, minus headers. */
static size_t seg_in_cap(struct daemon *d, const struct nfq_pkt *pkt,
			 size_t in_hdrs)
{
	uint32_t mtu = daemon_ingress_mtu(d, pkt->indev);

	return mtu > in_hdrs ? mtu - in_hdrs : 0;
}

bool daemon_seg_aggregate(struct daemon *d, enum xlat_side from,
			  const struct nfq_pkt *pkt, enum nfq_action *act)
{
	const struct xlat_out_pkt *o;
	struct dgso_l4 l4;
	size_t in_hdrs, in_cap;
	enum xlat_verdict v;
	unsigned int i;
	bool df0;

	dstat_inc(&d->dstats, DSTAT_GSO_RX);
	in_hdrs = dgso_tcp_hdrs(pkt->data, pkt->len, &l4);
	if (!in_hdrs)
		return false;	/* not plain TCP: the ordinary path copes */
	in_cap = seg_in_cap(d, pkt, in_hdrs);
	df0 = from == XLAT_SIDE_V4 && !(pkt->data[6] & SEG_IP4_DF);
	xlat_out_reset(&d->out);
	d->ctx.aggregate = true;
	v = xlat_packet(&d->ctx, from, pkt->data, pkt->len, &d->out);
	d->ctx.aggregate = false;
	if (v == XLAT_DROP)
		dstat_inc(&d->dstats, DSTAT_XLAT_DROP);
	*act = NFQ_DROP;
	for (i = 0; i < d->out.count; i++) {
		o = &d->out.pkt[i];
		if (o->flags & XLAT_OUT_ERROR) {
			/* An error about the aggregate: its checksums are
			 * the core's business, it leaves as it is. */
			daemon_emit_out_one(d, o);
			continue;
		}
		if (seg_one(d, o, from, df0, in_cap)) {
			dstat_inc(&d->dstats, DSTAT_GSO_DROP);
			*act = daemon_untranslatable(d);
		} else {
			xlat_count_sent(&d->xstats, o);	/* once, whole */
		}
	}
	return true;
}
