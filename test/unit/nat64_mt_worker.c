// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_nat64_mt's translating workers: real packets from both sides
 * through xlat_packet on their own contexts, checked byte by byte. They
 * assert nothing (cmocka is not thread-safe): they count and keep the
 * first mismatch for the main thread to report.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "nat64_mt.h"
#include "pktbuild.h"
#include "reasm.h"

static void mt_fail(struct mt_worker *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->failures++) {
		va_start(ap, fmt);
		vsnprintf(w->first_failure, sizeof(w->first_failure), fmt, ap);
		va_end(ap);
	}
}

static enum xlat_verdict mt_run(struct mt_worker *w, enum xlat_side from,
				size_t len, int64_t now)
{
	struct xlat_in in = {
		.side = from, .data = w->pkt, .len = len, .now_ms = now,
	};
	enum xlat_verdict v;

	xlat_out_reset(&w->out);
	v = xlat_packet(&w->ctx, &in, &w->out);
	w->sent++;
	if (v == XLAT_TRANSLATED)
		w->translated++;
	else if (v == XLAT_DROP)
		w->dropped++;
	else
		w->held++;
	return v;
}

/* The one packet out, when it is the translation (else NULL). */
static const uint8_t *mt_out(struct mt_worker *w, enum xlat_verdict v,
			     enum xlat_side side)
{
	if (v != XLAT_TRANSLATED || w->out.count != 1 ||
	    w->out.pkt[0].side != side)
		return NULL;
	return w->out.pkt[0].data;
}

/* --- packets ------------------------------------------------------------- */

static const uint8_t mt_payload[12] = "mt payload!";

static size_t udp6_pkt(struct mt_worker *w, const char *src, uint16_t sport)
{
	size_t l = pb_udp(w->l4, sport, 53, mt_payload, sizeof(mt_payload));
	struct pb6 h = { .src = src, .dst = w->remote6, .proto = 17 };

	return pb_ip6(w->pkt, &h, w->l4, l);
}

static size_t udp4_pkt(struct mt_worker *w, const char *dst, uint16_t sport,
		       uint16_t dport)
{
	size_t l = pb_udp(w->l4, sport, dport, mt_payload, sizeof(mt_payload));
	struct pb4 h = { .src = w->remote4, .dst = dst, .proto = 17 };

	return pb_ip4(w->pkt, &h, w->l4, l);
}

static size_t tcp6_pkt(struct mt_worker *w, uint16_t sport, uint8_t flags)
{
	size_t l = pb_tcp(w->l4, sport, 80, 1000, NULL, 0);
	struct pb6 h = { .src = w->host6, .dst = w->remote6, .proto = 6 };

	w->l4[13] = flags;
	return pb_ip6(w->pkt, &h, w->l4, l);
}

static size_t tcp4_pkt(struct mt_worker *w, const char *dst, uint16_t dport,
		       uint8_t flags)
{
	size_t l = pb_tcp(w->l4, 80, dport, 5000, NULL, 0);
	struct pb4 h = { .src = w->remote4, .dst = dst, .proto = 6 };

	w->l4[13] = flags;
	return pb_ip4(w->pkt, &h, w->l4, l);
}

/*
 * An IPv6 packet out of a reply: from the remote end's pool6 form and
 * port to host#port, checksum right, payload intact (UDP).
 */
static bool reply_ok(const struct mt_worker *w, const uint8_t *o,
		     const char *host, uint16_t port, uint16_t rport,
		     uint8_t proto)
{
	return o && o[6] == proto && pb_is_a6(o + 8, w->remote6) &&
	       pb_is_a6(o + 24, host) && pb_rd16(o + 40) == rport &&
	       pb_rd16(o + 42) == port && pb_l4_resid6(o) == 0xffff &&
	       (proto != 17 ||
		!memcmp(o + 48, mt_payload, sizeof(mt_payload)));
}

/* --- what a worker does -------------------------------------------------- */

static int64_t mt_now(const struct mt_worker *w)
{
	return atomic_load(&w->sh->clock_ms);
}

/*
 * Its pool4 side, checked: 192.0.2.2 or (config B) 192.0.2.3; for the
 * victim flow B's static binding takes over, 192.0.2.4#7000.
 */
static bool out4_ok(struct mt_worker *w, const uint8_t *o, uint16_t dport,
		    bool b_static, char *a4, uint16_t *p4)
{
	if (!o || !pb_is_a4(o + 16, w->remote4) || pb_rd16(o + 22) != dport ||
	    pb_l4_resid4(o) != 0xffff || !pb_ip4_hdr_ok(o))
		return false;
	if (b_static && pb_is_a4(o + 12, "192.0.2.4") &&
	    pb_rd16(o + 20) != 7000)
		return false;
	if (!pb_is_a4(o + 12, "192.0.2.2") && !pb_is_a4(o + 12, "192.0.2.3") &&
	    !(b_static && pb_is_a4(o + 12, "192.0.2.4")))
		return false;
	inet_ntop(AF_INET, o + 12, a4, INET_ADDRSTRLEN);
	*p4 = pb_rd16(o + 20);
	return *p4 >= 1024;
}

/*
 * A UDP request and its reply. strict: nothing but the timeout could
 * remove the binding (host not a victim, address 192.0.2.2, which never
 * leaves pool4): its reply must come through.
 */
static void udp_pair(struct mt_worker *w, const char *host, uint16_t sport,
		     bool victim)
{
	char a4[INET_ADDRSTRLEN];
	int64_t t0 = mt_now(w), t1;
	enum xlat_verdict v;
	uint16_t p4;

	v = mt_run(w, XLAT_SIDE_V6, udp6_pkt(w, host, sport), t0);
	if (!out4_ok(w, mt_out(w, v, XLAT_SIDE_V4), 53,
		     victim && w->id == 0 && sport == 10003, a4, &p4)) {
		mt_fail(w, "udp %s#%u: request not translated right (v %d)",
			host, sport, v);
		return;
	}
	w->via3 += !strcmp(a4, "192.0.2.3");
	memcpy(w->quote, w->out.pkt[0].data, 20 + 8 + sizeof(mt_payload));
	t1 = mt_now(w);
	v = mt_run(w, XLAT_SIDE_V4, udp4_pkt(w, a4, 53, p4), t1);
	if (v == XLAT_TRANSLATED) {
		if (!reply_ok(w, mt_out(w, v, XLAT_SIDE_V6), host, sport, 53,
			      17))
			mt_fail(w, "udp reply to %s#%u (%s#%u) went wrong",
				host, sport, a4, p4);
		else
			w->replies_ok++;
	} else {
		w->replies_lost++;
	}
	if (!victim && !strcmp(a4, "192.0.2.2") &&
	    t1 - t0 < MT_UDP_TIMEOUT * 1000 / 2) {
		if (v == XLAT_TRANSLATED)
			w->strict_ok++;
		else
			mt_fail(w, "udp reply to %s#%u via %s#%u dropped",
				host, sport, a4, p4);
	}
}

/*
 * An ICMPv4 port unreachable quoting the last request (RFC 6146 3.5.4):
 * to the IPv6 host, from the remote end's pool6 form
 * (source-icmpv6-errors-better), quoting the host's own packet; or
 * dropped when the binding went meanwhile.
 */
static void icmp_error(struct mt_worker *w, const char *host, uint16_t sport)
{
	size_t qlen = 20 + 8 + sizeof(mt_payload);
	struct pb4 h = { .src = w->remote4, .proto = 1 };
	char a4[INET_ADDRSTRLEN];
	enum xlat_verdict v;
	const uint8_t *o;
	size_t l;

	inet_ntop(AF_INET, w->quote + 12, a4, sizeof(a4));
	h.dst = a4;
	l = pb_icmp(w->l4, 3, 3, 0, w->quote, qlen);
	v = mt_run(w, XLAT_SIDE_V4, pb_ip4(w->pkt, &h, w->l4, l), mt_now(w));
	o = mt_out(w, v, XLAT_SIDE_V6);
	if (v != XLAT_TRANSLATED)
		return;
	/* Type 1 code 4; the quote: host#sport to the remote end. */
	if (o && o[6] == 58 && o[40] == 1 && o[41] == 4 &&
	    pb_is_a6(o + 8, w->remote6) && pb_is_a6(o + 24, host) &&
	    pb_is_a6(o + 48 + 8, host) && pb_is_a6(o + 48 + 24, w->remote6) &&
	    pb_rd16(o + 48 + 40) == sport && pb_l4_resid6(o) == 0xffff)
		w->icmp_ok++;
	else
		mt_fail(w, "ICMP error for %s#%u went wrong", host, sport);
}

/*
 * From the IPv6 host to the static binding's IPv4 side under pool6: back
 * in to 2001:db8::6#2000 (RFC 6146 3.8), from the host's pool4 side.
 */
static void hairpin(struct mt_worker *w, uint16_t sport)
{
	size_t l = pb_udp(w->l4, sport, 2000, mt_payload, sizeof(mt_payload));
	struct pb6 h = { .src = w->host6, .dst = "64:ff9b::192.0.2.2",
			 .proto = 17 };
	enum xlat_verdict v;
	const uint8_t *o;

	v = mt_run(w, XLAT_SIDE_V6, pb_ip6(w->pkt, &h, w->l4, l), mt_now(w));
	o = mt_out(w, v, XLAT_SIDE_V6);
	if (o && o[6] == 17 && pb_is_a6(o + 24, "2001:db8::6") &&
	    pb_rd16(o + 42) == 2000 && o[8] == 0x00 && o[9] == 0x64 &&
	    pb_l4_resid6(o) == 0xffff &&
	    !memcmp(o + 48, mt_payload, sizeof(mt_payload)))
		w->hairpin_ok++;
	else
		mt_fail(w, "hairpin from port %u went wrong (v %d)", sport, v);
}

/* An IPv4 SYN nobody bound: kept for a simultaneous open, or refused. */
static void syn4(struct mt_worker *w, uint16_t dport)
{
	mt_run(w, XLAT_SIDE_V4, tcp4_pkt(w, "192.0.2.2", dport, 0x02),
	       mt_now(w));
	w->syn4++;
}

/* IPv4 to the static binding of both configurations: always through. */
static void udp_static(struct mt_worker *w, uint16_t rport)
{
	enum xlat_verdict v;

	v = mt_run(w, XLAT_SIDE_V4, udp4_pkt(w, "192.0.2.2", rport, 2000),
		   mt_now(w));
	if (reply_ok(w, mt_out(w, v, XLAT_SIDE_V6), "2001:db8::6", 2000,
		     rport, 17))
		w->static_ok++;
	else
		mt_fail(w, "udp to static 192.0.2.2#2000 from port %u: v %d",
			rport, v);
}

/* IPv4 to B's static binding: through to its IPv6 side, or dropped. */
static void udp_static_b(struct mt_worker *w, uint16_t rport)
{
	enum xlat_verdict v;

	v = mt_run(w, XLAT_SIDE_V4, udp4_pkt(w, "192.0.2.4", rport, 7000),
		   mt_now(w));
	if (v != XLAT_TRANSLATED)
		return;
	if (reply_ok(w, mt_out(w, v, XLAT_SIDE_V6), "2001:db8::9:0", 10003,
		     rport, 17))
		w->b_static_ok++;
	else
		mt_fail(w, "udp to 192.0.2.4#7000 went wrong");
}

/*
 * An ICMPv6 echo request and the ICMPv4 echo reply (the identifier plays
 * the port, RFC 6146 3.5.3): back to the host with its own identifier.
 */
static void echo(struct mt_worker *w, uint16_t id)
{
	static const uint8_t data[8] = "echo mt";
	struct pb6 h6 = { .src = w->host6, .dst = w->remote6, .proto = 58 };
	struct pb4 h4 = { .src = w->remote4, .proto = 1 };
	char a4[INET_ADDRSTRLEN];
	enum xlat_verdict v;
	const uint8_t *o;
	uint16_t id4;
	size_t l;

	l = pb_icmp(w->l4, 128, 0, (uint32_t)id << 16 | 1, data, sizeof(data));
	v = mt_run(w, XLAT_SIDE_V6, pb_ip6(w->pkt, &h6, w->l4, l), mt_now(w));
	o = mt_out(w, v, XLAT_SIDE_V4);
	if (!o || o[9] != 1 || o[20] != 8 || !pb_is_a4(o + 16, w->remote4) ||
	    (!pb_is_a4(o + 12, "192.0.2.2") && !pb_is_a4(o + 12, "192.0.2.3"))) {
		mt_fail(w, "echo request id %u not translated right", id);
		return;
	}
	inet_ntop(AF_INET, o + 12, a4, sizeof(a4));
	id4 = pb_rd16(o + 24);
	h4.dst = a4;
	l = pb_icmp(w->l4, 0, 0, (uint32_t)id4 << 16 | 1, data, sizeof(data));
	v = mt_run(w, XLAT_SIDE_V4, pb_ip4(w->pkt, &h4, w->l4, l), mt_now(w));
	if (v != XLAT_TRANSLATED)
		return;		/* 192.0.2.3 left pool4 meanwhile */
	o = mt_out(w, v, XLAT_SIDE_V6);
	if (o && o[6] == 58 && o[40] == 129 && pb_rd16(o + 44) == id &&
	    pb_is_a6(o + 24, w->host6) && pb_is_a6(o + 8, w->remote6) &&
	    pb_l4_resid6(o) == 0xffff)
		w->echo_ok++;
	else
		mt_fail(w, "echo reply to id %u went wrong", id);
}

/*
 * SYN out, SYN-ACK back (RFC 6146 3.5.2: V6_INIT then ESTABLISHED), ACK
 * out, then FIN each way (to TRANS, which expires).
 */
static void tcp_flow(struct mt_worker *w, uint16_t sport)
{
	char a4[INET_ADDRSTRLEN];
	enum xlat_verdict v;
	const uint8_t *o;
	uint16_t p4;

	v = mt_run(w, XLAT_SIDE_V6, tcp6_pkt(w, sport, NAT64_TCP_SYN),
		   mt_now(w));
	if (!out4_ok(w, mt_out(w, v, XLAT_SIDE_V4), 80, false, a4, &p4)) {
		mt_fail(w, "tcp SYN from port %u not translated right (v %d, "
			"%u out, %s)", sport, v, w->out.count,
			w->out.count ? (pb_is_a4(w->out.pkt[0].data + 12,
						 "192.0.2.2") ? ".2" : "other")
				     : "-");
		return;
	}
	v = mt_run(w, XLAT_SIDE_V4, tcp4_pkt(w, a4, p4, 0x12), mt_now(w));
	o = mt_out(w, v, XLAT_SIDE_V6);
	if (v != XLAT_TRANSLATED)
		return;		/* 192.0.2.3 left pool4 meanwhile */
	if (!reply_ok(w, o, w->host6, sport, 80, 6) || o[40 + 13] != 0x12) {
		mt_fail(w, "tcp SYN-ACK to port %u went wrong", sport);
		return;
	}
	mt_run(w, XLAT_SIDE_V6, tcp6_pkt(w, sport, 0x10), mt_now(w));
	mt_run(w, XLAT_SIDE_V6, tcp6_pkt(w, sport, 0x11), mt_now(w));
	v = mt_run(w, XLAT_SIDE_V4, tcp4_pkt(w, a4, p4, 0x11), mt_now(w));
	if (v == XLAT_TRANSLATED)
		w->tcp_ok++;
}

/*
 * Whether the worker may go on: at most MT_PACE rounds per control step,
 * so that the run is as long as the control thread's (bounded) and the
 * tables see the changes and expiries at every size.
 */
static bool mt_pace(struct mt_worker *w, unsigned int i)
{
	struct timespec nap = { 0, 50000 };

	while (!atomic_load(&w->sh->stop) &&
	       i >= MT_PACE * (atomic_load(&w->sh->steps) + 1))
		nanosleep(&nap, NULL);
	return !atomic_load(&w->sh->stop);
}

void *mt_worker_main(void *arg)
{
	struct mt_worker *w = arg;

	for (unsigned int i = 0; mt_pace(w, i); i++) {
		w->rounds++;
		if (i % 8 == 7) {
			udp_pair(w, w->victim6,
				 (uint16_t)(10000 + i % MT_VICTIMS), true);
		} else if (i % 8 == 3) {
			/* A new host every 64 rounds: paired with 192.0.2.3
			 * when config B gives it a chance (RFC 6146 3.5.1.1). */
			char roamer[48];

			snprintf(roamer, sizeof(roamer), "2001:db8::a:%d:%x",
				 w->id, i / 64 % 4096);
			udp_pair(w, roamer, (uint16_t)(10000 + i % 64), false);
		} else {
			udp_pair(w, w->host6,
				 (uint16_t)(10000 + i % MT_UDP_FLOWS), false);
			if (i % 8 == 5)
				icmp_error(w, w->host6,
					   (uint16_t)(10000 + i % MT_UDP_FLOWS));
		}
		if (i % 4 == 0)
			tcp_flow(w, (uint16_t)(20000 + i / 4 % 2000));
		if (i % 4 == 1)
			udp_static(w, (uint16_t)(5000 + i % 64));
		if (i % 16 == 2)
			udp_static_b(w, (uint16_t)(6000 + i % 64));
		if (i % 16 == 6)
			hairpin(w, (uint16_t)(40000 + i % 512));
		if (i % 8 == 4)
			echo(w, (uint16_t)(100 + i % 32));
		if (i % 32 == 9)
			syn4(w, (uint16_t)(1024 + (i * 7919u + (unsigned)w->id) % 60000));
	}
	return NULL;
}

void mt_worker_init(struct mt_worker *w, int id, struct mt_shared *sh)
{
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->sh = sh;
	mt_ctx(&w->ctx, &w->stats, &w->out, sh);
	snprintf(w->host6, sizeof(w->host6), "2001:db8::1:%d", id);
	snprintf(w->victim6, sizeof(w->victim6), "2001:db8::9:%d", id);
	snprintf(w->remote4, sizeof(w->remote4), "198.51.100.%d", id + 1);
	snprintf(w->remote6, sizeof(w->remote6), "64:ff9b::198.51.100.%d",
		 id + 1);
}
