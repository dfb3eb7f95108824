// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink_queue.h>

#include "daemon.h"
#include "daemon_gso.h"

#define DAEMON_DEFAULT_MTU	1500u
/* IPv6 header minus IPv4 header: what a 4->6 translation adds. */
#define DAEMON_HDR_GROWTH	20u
/* A fragment header the core may add to a 4->6 translation. */
#define DAEMON_FRAG_HDR		8u

static uint32_t daemon_if_mtu(const char *ifname)
{
	struct ifreq ifr;
	uint32_t mtu = 0;
	int fd;

	if (!ifname[0])
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!ioctl(fd, SIOCGIFMTU, &ifr) && ifr.ifr_mtu > 0)
		mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
	return mtu;
}

void daemon_learn_mtus(struct daemon *d)
{
	d->if_mtu4 = daemon_if_mtu(d->set->cfg.iface4);
	d->if_mtu6 = daemon_if_mtu(d->set->cfg.iface6);
}

uint32_t daemon_mtu(const struct daemon *d, enum xlat_side side)
{
	const struct config *cfg = &d->set->cfg;
	uint32_t mtu;

	if (side == XLAT_SIDE_V4)
		mtu = cfg->mtu4 ? cfg->mtu4 : d->if_mtu4;
	else
		mtu = cfg->mtu6 ? cfg->mtu6 : d->if_mtu6;
	return mtu ? mtu : DAEMON_DEFAULT_MTU;
}

uint32_t daemon_mtu_cb(void *arg, enum xlat_side side, const void *dst)
{
	const struct daemon *d = arg;

	(void)dst;	/* one MTU per side until routes are consulted */
	if (side == XLAT_SIDE_V4 && d->mtu4_unbounded)
		return DDEFRAG_MAX;
	return daemon_mtu(d, side);
}

/*
 * Largest packet arriving on `from` whose translation still fits the other
 * side's MTU: 6->4 loses 20 header bytes, 4->6 gains 20 (and maybe 8).
 */
static uint32_t daemon_seg_limit(const struct daemon *d, enum xlat_side from)
{
	if (from == XLAT_SIDE_V6)
		return daemon_mtu(d, XLAT_SIDE_V4) + DAEMON_HDR_GROWTH;
	return daemon_mtu(d, XLAT_SIDE_V6) - DAEMON_HDR_GROWTH -
	       DAEMON_FRAG_HDR;
}

static void daemon_xlat_one(struct daemon *d, enum xlat_side from,
			    const uint8_t *pkt, size_t len)
{
	unsigned int i;

	xlat_out_reset(&d->out);
	if (xlat_packet(&d->ctx, from, pkt, len, &d->out) == XLAT_DROP)
		dstat_inc(&d->dstats, DSTAT_XLAT_DROP);
	/* A drop may still carry an ICMP error to send back. */
	for (i = 0; i < d->out.count; i++)
		egress_queue(&d->eg, d->out.pkt[i].data, d->out.pkt[i].len,
			     &d->dstats);
}

static void daemon_emit_frag(void *arg, const uint8_t *frag, size_t len)
{
	struct daemon *d = arg;

	dstat_inc(&d->dstats, DSTAT_FRAG4_OUT);
	egress_queue(&d->eg, frag, len, &d->dstats);
}

/*
 * A reassembled ICMP message. From IPv6 it was fragmented by its source
 * (so it leaves IPv4 with DF=0): the core translates it whole, and the
 * IPv4 result is cut to the MTU here, as the source had cut the IPv6 one.
 */
static void daemon_xlat_whole(struct daemon *d, enum xlat_side from,
			      const uint8_t *pkt, size_t len)
{
	uint32_t mtu4 = daemon_mtu(d, XLAT_SIDE_V4);
	const struct xlat_out_pkt *o;
	unsigned int i;

	xlat_out_reset(&d->out);
	d->mtu4_unbounded = from == XLAT_SIDE_V6;
	if (xlat_packet(&d->ctx, from, pkt, len, &d->out) == XLAT_DROP)
		dstat_inc(&d->dstats, DSTAT_XLAT_DROP);
	d->mtu4_unbounded = false;
	for (i = 0; i < d->out.count; i++) {
		o = &d->out.pkt[i];
		if ((o->data[0] >> 4) != 4 || o->len <= mtu4 ||
		    ddefrag_split4(o->data, o->len, mtu4, d->frag_scratch,
				   daemon_emit_frag, d) < 0)
			egress_queue(&d->eg, o->data, o->len, &d->dstats);
	}
}

static int64_t daemon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum nfq_action daemon_untranslatable(struct daemon *d);

static enum nfq_action daemon_pkt_defrag(struct daemon *d,
					 enum xlat_side from,
					 const struct nfq_pkt *pkt)
{
	const uint8_t *whole;
	size_t len;

	switch (ddefrag_add(&d->defrag, pkt->data, pkt->len, daemon_now_ms(),
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

struct daemon_seg_ctx {
	struct daemon *d;
	enum xlat_side from;
};

static void daemon_seg_emit(void *arg, uint8_t *seg, size_t len)
{
	struct daemon_seg_ctx *sc = arg;

	daemon_xlat_one(sc->d, sc->from, seg, len);
}

/* What happens to a packet we could not hand to the core. */
static enum nfq_action daemon_untranslatable(struct daemon *d)
{
	if (!d->set->dc.fail_open)
		return NFQ_DROP;
	dstat_inc(&d->dstats, DSTAT_ACCEPT_FAIL_OPEN);
	return NFQ_ACCEPT;
}

/*
 * Splits an aggregate too big for the egress MTU. Returns false when the
 * aggregate fits as it is (it then takes the normal path).
 */
static bool daemon_pkt_gso(struct daemon *d, enum xlat_side from,
			   const struct nfq_pkt *pkt, enum nfq_action *act)
{
	struct daemon_seg_ctx sc = { d, from };
	struct dgso_l4 l4;
	int n;

	dstat_inc(&d->dstats, DSTAT_GSO_RX);
	if (dgso_find_l4(pkt->data, pkt->len, &l4) ||
	    l4.tot <= daemon_seg_limit(d, from))
		return false;
	n = dgso_segment(pkt->data, pkt->len, daemon_seg_limit(d, from),
			 d->scratch, daemon_seg_emit, &sc);
	if (n < 0) {
		dstat_inc(&d->dstats, DSTAT_GSO_DROP);
		*act = daemon_untranslatable(d);
		return true;
	}
	dstat_inc(&d->dstats, DSTAT_GSO_SEGMENTED);
	dstat_add(&d->dstats, DSTAT_GSO_SEGMENTS, (uint64_t)n);
	*act = NFQ_DROP;
	return true;
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
	from = version == 6 ? XLAT_SIDE_V6 : XLAT_SIDE_V4;
	if (ddefrag_wanted(pkt->data, pkt->len))
		return daemon_pkt_defrag(d, from, pkt);
	if ((pkt->skbinfo & NFQA_SKB_GSO) && daemon_pkt_gso(d, from, pkt, &act))
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
