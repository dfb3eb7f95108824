// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-packet path: what nfq_queue_poll() hands over is checked,
 * completed (partial checksums) and translated; TCP aggregates take
 * daemon_seg.c's path. Fragments go to the core like any packet: it
 * gathers those it must (fragmented ICMP, NAT64's) and says XLAT_HELD.
 */
#include <linux/netfilter/nfnetlink_queue.h>

#include "daemon.h"
#include "daemon_gso.h"

static void daemon_xlat_one(struct dworker *w, enum xlat_side from,
			    const uint8_t *pkt, size_t len)
{
	struct xlat_in in = {
		.side = from, .data = pkt, .len = len, .now_ms = w->now_ms,
	};
	enum xlat_verdict v;

	xlat_out_reset(&w->out);
	daemon_emit_prepare(w, &w->out, len);
	v = xlat_packet(&w->ctx, &in, &w->out);
	if (v == XLAT_DROP) {
		dstat_inc(&w->dstats, DSTAT_XLAT_DROP);
	} else if (v == XLAT_TRANSLATED) {
		/*
		 * Only what the core accepted teaches anything: an error
		 * with a bad checksum, or about a flow it would not
		 * translate, must not lower a path MTU, nor a forged
		 * segment raise a flow's segment size. (Learning after the
		 * translation changes nothing in it: the PMTU learned from
		 * this very error is not below the MTU the error gives.)
		 */
		daemon_mtu_learn(w, pkt, len);
		daemon_segsize_note(w, from, pkt, len);
	}
	/* A drop may still carry an ICMP error to send back. */
	daemon_emit_out(w, &w->out);
	daemon_mtu_resolve(w, &w->out);
}

enum nfq_action daemon_untranslatable(struct dworker *w)
{
	if (!w->set->dc.fail_open)
		return NFQ_DROP;
	dstat_inc(&w->dstats, DSTAT_ACCEPT_FAIL_OPEN);
	return NFQ_ACCEPT;
}

enum nfq_action daemon_pkt_handle(void *arg, const struct nfq_pkt *pkt)
{
	struct dworker *w = arg;	/* its now_ms: the batch's clock */
	int version = pkt->len ? pkt->data[0] >> 4 : 0;
	enum xlat_side from;
	enum nfq_action act;

	if (pkt->full_len > pkt->len) {
		dstat_inc(&w->dstats, DSTAT_DROP_CAPLEN);
		return daemon_untranslatable(w);
	}
	if (version != 4 && version != 6) {
		dstat_inc(&w->dstats, DSTAT_DROP_NOT_IP);
		return NFQ_DROP;
	}
	from = version == 6 ? XLAT_SIDE_V6 : XLAT_SIDE_V4;
	if (from == XLAT_SIDE_V4 &&
	    daemon_local_handback(w, pkt->data, pkt->len)) {
		dstat_inc(&w->dstats, DSTAT_LOCAL_HANDBACK);
		return NFQ_ACCEPT;
	}
	if ((pkt->skbinfo & NFQA_SKB_GSO) &&
	    daemon_seg_aggregate(w, from, pkt, &act))
		return act;
	if (pkt->skbinfo & NFQA_SKB_CSUMNOTREADY) {
		if (dgso_csum_complete(pkt->data, pkt->len)) {
			dstat_inc(&w->dstats, DSTAT_CSUM_UNSUPPORTED);
			return daemon_untranslatable(w);
		}
		dstat_inc(&w->dstats, DSTAT_CSUM_COMPLETED);
	}
	daemon_xlat_one(w, from, pkt->data, pkt->len);
	return NFQ_DROP;
}
