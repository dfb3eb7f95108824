// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-packet path: what nfq_queue_poll() hands over is checked,
 * completed (partial checksums, fragmented ICMP) and translated; TCP
 * aggregates take daemon_seg.c's path.
 */
#include <linux/netfilter/nfnetlink_queue.h>

#include "daemon.h"
#include "daemon_gso.h"

static void daemon_xlat_one(struct daemon *d, enum xlat_side from,
			    const uint8_t *pkt, size_t len)
{
	xlat_out_reset(&d->out);
	if (xlat_packet(&d->ctx, from, pkt, len, &d->out) == XLAT_DROP) {
		dstat_inc(&d->dstats, DSTAT_XLAT_DROP);
	} else {
		/*
		 * Only what the core accepted teaches anything: an error
		 * with a bad checksum, or about a flow it would not
		 * translate, must not lower a path MTU, nor a forged
		 * segment raise a flow's segment size. (Learning after the
		 * translation changes nothing in it: the PMTU learned from
		 * this very error is not below the MTU the error gives.)
		 */
		daemon_mtu_learn(d, pkt, len);
		daemon_segsize_note(d, from, pkt, len);
	}
	/* A drop may still carry an ICMP error to send back. */
	daemon_emit_out(d, &d->out);
}

/*
 * A reassembled ICMP message. From IPv6 it was fragmented by its source,
 * so it leaves IPv4 with DF=0: the core translates it whole and cuts the
 * result to the MTU (ctx->reassembled), as the source had cut the IPv6
 * one, instead of answering Packet Too Big.
 */
static void daemon_xlat_whole(struct daemon *d, enum xlat_side from,
			      const uint8_t *pkt, size_t len)
{
	d->ctx.reassembled = from == XLAT_SIDE_V6;
	daemon_xlat_one(d, from, pkt, len);
	d->ctx.reassembled = false;
}

static enum nfq_action daemon_pkt_defrag(struct daemon *d,
					 enum xlat_side from,
					 const struct nfq_pkt *pkt)
{
	const uint8_t *whole;
	size_t len;

	switch (ddefrag_add(&d->defrag, pkt->data, pkt->len, d->now_ms,
			    &whole, &len)) {
	case DDEFRAG_HELD:
		dstat_inc(&d->dstats, DSTAT_DEFRAG_HELD);
		return NFQ_DROP;
	case DDEFRAG_COMPLETE:
		dstat_inc(&d->dstats, DSTAT_DEFRAG_DONE);
		daemon_xlat_whole(d, from, whole, len);
		return NFQ_DROP;
	case DDEFRAG_REFUSED:
	default:
		dstat_inc(&d->dstats, DSTAT_DEFRAG_REFUSED);
		return daemon_untranslatable(d);
	}
}

enum nfq_action daemon_untranslatable(struct daemon *d)
{
	if (!d->set->dc.fail_open)
		return NFQ_DROP;
	dstat_inc(&d->dstats, DSTAT_ACCEPT_FAIL_OPEN);
	return NFQ_ACCEPT;
}

enum nfq_action daemon_pkt_handle(void *arg, const struct nfq_pkt *pkt)
{
	struct daemon *d = arg;
	int version = pkt->len ? pkt->data[0] >> 4 : 0;
	enum xlat_side from;
	enum nfq_action act;

	if (pkt->full_len > pkt->len) {
		dstat_inc(&d->dstats, DSTAT_DROP_CAPLEN);
		return daemon_untranslatable(d);
	}
	if (version != 4 && version != 6) {
		dstat_inc(&d->dstats, DSTAT_DROP_NOT_IP);
		return NFQ_DROP;
	}
	d->now_ms = clock_ms();
	d->ctx.now_ms = d->now_ms;	/* the NAT64 state's clock */
	from = version == 6 ? XLAT_SIDE_V6 : XLAT_SIDE_V4;
	if (from == XLAT_SIDE_V4 &&
	    daemon_local_handback(d, pkt->data, pkt->len)) {
		dstat_inc(&d->dstats, DSTAT_LOCAL_HANDBACK);
		return NFQ_ACCEPT;
	}
	if (ddefrag_wanted(pkt->data, pkt->len))
		return daemon_pkt_defrag(d, from, pkt);
	if ((pkt->skbinfo & NFQA_SKB_GSO) &&
	    daemon_seg_aggregate(d, from, pkt, &act))
		return act;
	if (pkt->skbinfo & NFQA_SKB_CSUMNOTREADY) {
		if (dgso_csum_complete(pkt->data, pkt->len)) {
			dstat_inc(&d->dstats, DSTAT_CSUM_UNSUPPORTED);
			return daemon_untranslatable(d);
		}
		dstat_inc(&d->dstats, DSTAT_CSUM_COMPLETED);
	}
	daemon_xlat_one(d, from, pkt->data, pkt->len);
	return NFQ_DROP;
}
