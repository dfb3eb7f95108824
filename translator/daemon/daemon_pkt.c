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

/*
 * One copy per packet: the core writes the translation straight into
 * the next egress slot, which daemon_emit then commits in place (only
 * then is it queued, so a packet given up or half-written is never
 * sent). The slot of the side a translation leaves through (IPv6 in,
 * IPv4 out and back); an ICMP error towards the sender, a hairpin's
 * final packet, fragments and segments go to the core's arena and are
 * copied. Raw: room for what a translation of in_len bytes can grow to
 * (+20 header, +8 fragment header; an error up to 1280), else the batch
 * is sent first. TUN: the io_uring slot, when batching is on.
 */
static void daemon_xlat_prepare(struct dworker *w, enum xlat_side from,
				size_t in_len)
{
	enum xlat_side to = from == XLAT_SIDE_V6 ? XLAT_SIDE_V4 : XLAT_SIDE_V6;
	size_t room;
	uint8_t *s;

	if (w->tun.fd >= 0) {
		s = tun_batch_reserve(&w->tunb, &room);
		if (s)
			xlat_out_direct(&w->out, to, s, room);
		return;
	}
	s = egress_reserve(&w->eg, to == XLAT_SIDE_V4 ? AF_INET : AF_INET6,
			   in_len + 64 > 1536 ? in_len + 64 : 1536, &room,
			   &w->dstats);
	xlat_out_direct(&w->out, to, s, room);
}

static void daemon_xlat_one(struct dworker *w, enum xlat_side from,
			    const uint8_t *pkt, size_t len)
{
	struct xlat_in in = {
		.side = from, .data = pkt, .len = len, .now_ms = w->now_ms,
	};
	enum xlat_verdict v;

	xlat_out_reset(&w->out);
	daemon_xlat_prepare(w, from, len);
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
