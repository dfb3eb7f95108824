// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The way out: what the core produced goes to the raw sockets (egress
 * raw) or the TUN device (egress tun). ICMP errors the translator
 * originates pass the token bucket first; what leaves is counted here
 * (xlat_count_sent: tx_*, fragments_out, icmp*_errors_sent), so that an
 * error the bucket refused is never counted as sent.
 */
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>

#include "daemon.h"
#include "daemon_log.h"

void daemon_tun_flush(struct dworker *w)
{
	struct tun_batch *b = &w->tunb;

	tun_batch_flush(b);
	dstat_add(&w->dstats, DSTAT_TX_TUN, b->written);
	dstat_add(&w->dstats, DSTAT_TX_TUN_ERR, b->failed);
	dstat_add(&w->dstats, DSTAT_TX_TUN_BATCHES, b->submits);
	dstat_add(&w->dstats, DSTAT_TX_DIRECT, b->direct);
	dstat_add(&w->dstats, DSTAT_TX_COPIED_BYTES, b->copied);
	b->written = 0;
	b->failed = 0;
	b->submits = 0;
	b->direct = 0;
	b->copied = 0;
	if (b->msg[0]) {
		/* Batching stopped for good (tun_batch.c): said once. */
		dlog_warn("worker %u: %s", w->id, b->msg);
		b->msg[0] = '\0';
	}
}

void daemon_emit(struct dworker *w, const uint8_t *pkt, size_t len)
{
	if (w->tun.fd < 0) {
		egress_queue(&w->eg, pkt, len, &w->dstats);
		return;
	}
	/* Counted when written (daemon_tun_flush). */
	if (!tun_batch_add(&w->tunb, pkt, len))
		return;
	/* Written now: after what is queued, in order. */
	if (w->tunb.n)
		daemon_tun_flush(w);
	if (tun_write(&w->tun, pkt, len, NULL)) {
		dstat_inc(&w->dstats, DSTAT_TX_TUN_ERR);
		return;
	}
	dstat_inc(&w->dstats, DSTAT_TX_TUN);
}

/* RFC 4443 2.4 (f), RFC 1812 4.3.2.8: errors we originate are limited. */
static bool daemon_error_allowed(struct dworker *w, const uint8_t *pkt)
{
	const struct daemon_conf *dc = &w->set->dc;
	struct ratelimit *rl = &w->icmp_rl;
	uint32_t n = w->d->nworkers ? w->d->nworkers : 1;
	/* Each worker (and the main thread's timers) has its share of the
	 * limit, at least one error a second: no lock per error. */
	uint32_t rate = dc->icmp_rate ? (dc->icmp_rate + n - 1) / n : 0;
	uint32_t burst = (dc->icmp_burst + n - 1) / n;

	/* A reload may have changed the limit. */
	if (rl->rate != rate || rl->burst != burst)
		ratelimit_set(rl, rate, burst);
	if (!ratelimit_take(rl, w->now_ms)) {
		dstat_inc(&w->dstats, DSTAT_ICMP_RATE_LIMITED);
		return false;
	}
	if ((pkt[0] >> 4) == 4) {
		const uint8_t *ic = pkt + (size_t)(pkt[0] & 0x0f) * 4;

		if (ic[0] == ICMP_DEST_UNREACH && ic[1] == ICMP_FRAG_NEEDED)
			dstat_inc(&w->dstats, DSTAT_ICMP_FN_SENT);
	} else if (pkt[40] == ICMP6_PACKET_TOO_BIG) {
		dstat_inc(&w->dstats, DSTAT_ICMP_PTB_SENT);
	}
	return true;
}

void daemon_emit_out_one(struct dworker *w, const struct xlat_out_pkt *o)
{
	if (o->flags & XLAT_OUT_ERROR) {
		/*
		 * Our own error, from our own address: a locally originated
		 * packet, so the raw socket in both modes (arriving on the
		 * TUN device with a local source, the kernel would drop it
		 * as a martian).
		 */
		if (daemon_error_allowed(w, o->data)) {
			xlat_count_sent(&w->xstats, o);
			egress_queue(&w->eg, o->data, o->len, &w->dstats);
		}
		return;
	}
	xlat_count_sent(&w->xstats, o);
	daemon_emit(w, o->data, o->len);
}

void daemon_emit_out(struct dworker *w, const struct xlat_out *out)
{
	unsigned int i;

	for (i = 0; i < out->count; i++)
		daemon_emit_out_one(w, &out->pkt[i]);
}
