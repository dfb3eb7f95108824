// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One NAT64 state shared by several translating threads and a control
 * thread (issue 12): the stress test the TSan build runs.
 *
 * MT_WORKERS threads, each with its own xlat_ctx, counters, output and
 * reassembler attached to one nat64_state, translate real packets with
 * xlat_packet: UDP requests from their IPv6 hosts and the IPv4 replies,
 * ICMPv4 errors quoting the requests, TCP handshakes and closes, IPv4
 * packets to static bindings, hairpinned ones (RFC 6146 3.8) and IPv4
 * SYNs nobody bound (kept, then answered by the control thread's
 * timers). A
 * control thread meanwhile advances the fake clock, runs the timers (so
 * that sessions expire), switches the state between two configurations
 * (an extra pool4 address and an extra static binding come and go, as
 * `pool4 add|remove` and `bib add|remove` do through nat64_state_sync),
 * forgets dynamic bindings (nat64_bib_forget, as `bib remove` does), and
 * lists the tables as `bib show` and `session show` do.
 *
 * The workers assert nothing themselves (cmocka is not thread-safe):
 * they count, keep the first mismatch, and the main thread asserts.
 * What must hold: every reply translated went to the right IPv6 host
 * and port; a reply to a binding nobody could have removed (on the
 * permanent pool4 address, its clock well inside the timeout) is
 * translated; each thread's verdicts add up to what it sent and match
 * its counters; no binding outside pool4 at the end; and once the clock
 * passes every timeout, no session and no dynamic binding is left.
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

#include "nat64_flow.h"
#include "nat64_xlat.h"
#include "pktbuild.h"
#include "reasm.h"

#define MT_WORKERS	3
#define MT_STEPS	1000		/* of the control thread: the run */
#define MT_PACE		20		/* worker rounds per step, at most */
#define MT_UDP_FLOWS	256		/* source ports a worker cycles */
#define MT_VICTIMS	16		/* ports of its victim host */
#define MT_STEP_MS	1000		/* fake clock per control step */
#define MT_UDP_TIMEOUT	300		/* s: 300 steps */
#define MT_ERR_LEN	200

static const uint8_t mt_key[NAT64_KEY_LEN] = "test_nat64_mt..";

/* A: what the workers translate with. B: A plus 192.0.2.3 in pool4 and
 * a static binding on 192.0.2.4 that takes over a victim flow. */
#define MT_BASE								\
	"mode nat64\npool6 64:ff9b::/96\nwkp-allow-non-global yes\n"	\
	"udp-timeout 300\ntcp-trans-timeout 240\n"			\
	"pool4 192.0.2.2 1024-65535\n"					\
	"bib udp 192.0.2.2#2000 2001:db8::6#2000\n"
static const char mt_conf_a[] = MT_BASE;
static const char mt_conf_b[] = MT_BASE
	"pool4 192.0.2.3 1024-65535\n"
	"bib udp 192.0.2.4#7000 2001:db8::9:0#10003\n";

struct mt_shared {
	struct nat64_state *st;
	struct config cfg_a, cfg_b;
	_Atomic int64_t clock_ms;
	atomic_bool stop;		/* the control thread is done */
	atomic_uint steps;		/* it has made */
};

struct mt_worker {
	pthread_t tid;
	int id;
	struct mt_shared *sh;
	struct xlat_ctx ctx;
	struct xlat_stats stats;
	struct xlat_out out;
	uint8_t pkt[2048], l4[2048];
	char host6[48], victim6[48], remote4[20], remote6[48];
	uint64_t rounds;
	/* verdicts */
	uint64_t sent, translated, dropped, held;
	/* checks */
	uint64_t strict_ok, replies_ok, replies_lost, static_ok, b_static_ok;
	uint64_t via3;			/* requests out of 192.0.2.3 */
	uint64_t icmp_ok, hairpin_ok, syn4;
	uint8_t quote[64];		/* the last request, as it left */
	uint64_t tcp_ok, failures;
	char first_failure[MT_ERR_LEN];
};

struct mt_control {
	pthread_t tid;
	struct mt_shared *sh;
	struct xlat_ctx ctx;
	struct xlat_stats stats;
	struct xlat_out out;
	uint64_t steps, syncs, forgets, walked, bad_rows;
	int sync_err;
};

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

static void *mt_worker_main(void *arg)
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
		if (i % 32 == 9)
			syn4(w, (uint16_t)(1024 + (i * 7919u + (unsigned)w->id) % 60000));
	}
	return NULL;
}

/* --- the control thread -------------------------------------------------- */

/* As `bib show` / `session show` do: rows read under the lock. */
static int mt_bib_row(void *arg, const struct nat64_bib *b)
{
	struct mt_control *c = arg;
	uint32_t a = ntohl(b->addr4.s_addr);

	c->walked++;
	if (a < 0xc0000202 || a > 0xc0000204)	/* 192.0.2.2-4 */
		c->bad_rows++;
	return 0;
}

static int mt_sess_row(void *arg, const struct nat64_session *s)
{
	struct mt_control *c = arg;

	c->walked++;
	if (s->bib && s->bib->addr4.s_addr != s->local4.s_addr)
		c->bad_rows++;
	return 0;
}

static void mt_timers(struct mt_control *c, int64_t now)
{
	int more;

	do {
		xlat_out_reset(&c->out);
		more = nat64_xlat_timers(&c->ctx, now, &c->out);
	} while (more);
}

/* `bib remove` of a victim's dynamic binding, when it has one. */
static void mt_forget(struct mt_control *c, unsigned int step)
{
	struct in6_addr a6;
	struct nat64_bib gone;
	char host[48];

	snprintf(host, sizeof(host), "2001:db8::9:%u", step % MT_WORKERS);
	inet_pton(AF_INET6, host, &a6);
	if (!nat64_bib_forget(c->sh->st, &c->sh->cfg_a, &c->stats,
			      atomic_load(&c->sh->clock_ms), CONFIG_L4_UDP,
			      true, &a6, (uint16_t)(10000 + step % MT_VICTIMS),
			      &gone))
		c->forgets++;
}

static void *mt_control_main(void *arg)
{
	struct mt_control *c = arg;
	struct mt_shared *sh = c->sh;
	struct timespec nap = { 0, 200000 };	/* 0.2 ms */
	char err[128];

	/* MT_STEPS s of the fake clock: every timeout passes a few times. */
	while (c->steps < MT_STEPS) {
		int64_t now = atomic_fetch_add(&sh->clock_ms, MT_STEP_MS) +
			      MT_STEP_MS;

		c->steps++;
		atomic_store(&sh->steps, (unsigned int)c->steps);
		mt_timers(c, now);
		if (c->steps % 7 == 0) {
			c->sync_err |= nat64_state_sync(sh->st, c->steps % 14 ?
							&sh->cfg_b : &sh->cfg_a,
							&c->stats, err,
							sizeof(err));
			c->syncs++;
		}
		mt_forget(c, (unsigned int)c->steps);
		if (c->steps % 5 == 0) {
			nat64_bib_walk(sh->st, CONFIG_L4_UDP, mt_bib_row, c);
			nat64_sess_walk(sh->st, CONFIG_L4_TCP, mt_sess_row, c);
			(void)nat64_next_expiry(sh->st, &sh->cfg_a);
		}
		nanosleep(&nap, NULL);
	}
	atomic_store(&sh->stop, true);
	return NULL;
}

/* --- set-up and the test -------------------------------------------------- */

static void mt_parse(struct config *cfg, const char *text)
{
	char err[256] = "";

	if (config_parse_string("test", text, cfg, err, sizeof(err)))
		fail_msg("config: %s", err);
}

static void mt_ctx(struct xlat_ctx *ctx, struct xlat_stats *stats,
		   struct xlat_out *out, struct mt_shared *sh)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = &sh->cfg_a;
	ctx->stats = stats;
	ctx->ip_id_next = 0x4000;
	ctx->reasm = reasm_new(NULL);
	assert_non_null(ctx->reasm);
	assert_int_equal(xlat_out_init(out), 0);
	nat64_xlat_attach(ctx, sh->st);
}

static void mt_worker_init(struct mt_worker *w, int id, struct mt_shared *sh)
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

static uint64_t mt_drops(const struct xlat_stats *s)
{
	uint64_t sum = 0;

	for (int i = 0; i < XLAT_CNT_MAX; i++)
		if (!strncmp(xlat_counter_info[i].name, "drop_", 5))
			sum += s->c[i];
	return sum;
}

/* What each worker counted, against its verdicts and its checks. */
static void mt_check_worker(const struct mt_worker *w)
{
	const struct xlat_stats *s = &w->stats;

	if (w->failures)
		fail_msg("worker %d: %llu failure(s), first: %s", w->id,
			 (unsigned long long)w->failures, w->first_failure);
	assert_int_equal(w->translated + w->dropped + w->held, w->sent);
	assert_int_equal(w->held, 0);
	assert_int_equal(s->c[XLAT_CNT_XLAT_6TO4] + s->c[XLAT_CNT_XLAT_4TO6],
			 w->translated);
	assert_int_equal(s->c[XLAT_CNT_RX_V6] + s->c[XLAT_CNT_RX_V4],
			 w->sent);
	/* Every drop counted once: in a drop counter, or kept (a SYN-ACK
	 * whose binding left with 192.0.2.3 waits as an IPv4 SYN would). */
	assert_int_equal(mt_drops(s) + s->c[XLAT_CNT_NAT64_SO_STORED],
			 w->dropped);
	/* Not vacuous: most replies strict, every static packet through. */
	assert_true(w->strict_ok > w->rounds / 4);
	assert_int_equal(w->static_ok, (w->rounds + 2) / 4);
	assert_true(w->tcp_ok > 0);
	assert_true(w->icmp_ok > 0);
	assert_int_equal(w->hairpin_ok, (w->rounds + 9) / 16);
	assert_true(w->replies_ok + w->replies_lost == w->rounds);
}

struct mt_final {
	uint64_t dynamic, statics, outside;
};

static int mt_final_row(void *arg, const struct nat64_bib *b)
{
	struct mt_final *f = arg;

	if (b->is_static) {
		f->statics++;
		return 0;
	}
	f->dynamic++;
	/* Config A at the end: 192.0.2.2 ports 1024-65535 only. */
	if (ntohl(b->addr4.s_addr) != 0xc0000202 || b->port4 < 1024)
		f->outside++;
	return 0;
}

static void mt_check_state(struct mt_shared *sh, struct mt_control *c)
{
	struct mt_final f = { 0, 0, 0 };
	struct nat64_counts n;

	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		nat64_bib_walk(sh->st, (enum config_l4)l4, mt_final_row, &f);
	assert_int_equal(f.outside, 0);
	assert_int_equal(f.statics, 1);
	assert_true(f.dynamic > 0);
	/* Past every timeout: nothing dynamic is left. */
	mt_timers(c, atomic_load(&sh->clock_ms) + 86400000);
	nat64_state_counts(sh->st, &n);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		assert_int_equal(n.sessions[l4], 0);
	assert_int_equal(n.bib[CONFIG_L4_TCP], 0);
	assert_int_equal(n.bib[CONFIG_L4_UDP], 1);	/* the static one */
	assert_int_equal(n.stored, 0);
	assert_true(n.lock_taken > 0);
	assert_true(n.lock_contended <= n.lock_taken);
}

static void test_mt_stress(void **state)
{
	static struct mt_worker w[MT_WORKERS];
	static struct mt_control c;
	struct mt_shared sh;
	uint64_t via3;
	char err[128];

	(void)state;
	memset(&sh, 0, sizeof(sh));
	mt_parse(&sh.cfg_a, mt_conf_a);
	mt_parse(&sh.cfg_b, mt_conf_b);
	sh.st = nat64_state_new(mt_key);
	assert_non_null(sh.st);
	assert_int_equal(nat64_state_sync(sh.st, &sh.cfg_a, NULL, err,
					  sizeof(err)), 0);
	atomic_init(&sh.clock_ms, 1000000);
	atomic_init(&sh.stop, false);
	atomic_init(&sh.steps, 0);
	memset(&c, 0, sizeof(c));
	c.sh = &sh;
	mt_ctx(&c.ctx, &c.stats, &c.out, &sh);
	for (int i = 0; i < MT_WORKERS; i++)
		mt_worker_init(&w[i], i, &sh);

	assert_int_equal(pthread_create(&c.tid, NULL, mt_control_main, &c), 0);
	for (int i = 0; i < MT_WORKERS; i++)
		assert_int_equal(pthread_create(&w[i].tid, NULL,
						mt_worker_main, &w[i]), 0);
	for (int i = 0; i < MT_WORKERS; i++)
		pthread_join(w[i].tid, NULL);
	pthread_join(c.tid, NULL);

	print_message("control: %llu steps, %llu syncs, %llu forgets, "
		      "%llu rows; expired %llu\n",
		      (unsigned long long)c.steps, (unsigned long long)c.syncs,
		      (unsigned long long)c.forgets,
		      (unsigned long long)c.walked,
		      (unsigned long long)c.stats.c[XLAT_CNT_NAT64_SESSION_EXPIRED]);
	for (int i = 0; i < MT_WORKERS; i++) {
		print_message("worker %d: rounds %llu sent %llu strict %llu "
			      "lost %llu static-b %llu tcp %llu via3 %llu "
			      "icmp %llu hairpin %llu\n", i,
			      (unsigned long long)w[i].rounds,
			      (unsigned long long)w[i].sent,
			      (unsigned long long)w[i].strict_ok,
			      (unsigned long long)w[i].replies_lost,
			      (unsigned long long)w[i].b_static_ok,
			      (unsigned long long)w[i].tcp_ok,
			      (unsigned long long)w[i].via3,
			      (unsigned long long)w[i].icmp_ok,
			      (unsigned long long)w[i].hairpin_ok);
		mt_check_worker(&w[i]);
	}
	/* The pool4 address that comes and goes was lent, and lost. */
	via3 = 0;
	for (int i = 0; i < MT_WORKERS; i++)
		via3 += w[i].via3;
	assert_true(via3 > 0);
	assert_int_equal(c.sync_err, 0);
	assert_int_equal(c.bad_rows, 0);
	assert_true(c.syncs > 0);
	assert_true(c.forgets > 0);
	assert_true(c.stats.c[XLAT_CNT_NAT64_SESSION_EXPIRED] > 0);
	/* Kept IPv4 SYNs answered by the control thread's timers. */
	assert_true(c.stats.c[XLAT_CNT_NAT64_SO_EXPIRED] > 0);
	/* End on configuration A, as a last `pool4 remove` would. */
	assert_int_equal(nat64_state_sync(sh.st, &sh.cfg_a, &c.stats, err,
					  sizeof(err)), 0);
	mt_check_state(&sh, &c);

	for (int i = 0; i < MT_WORKERS; i++) {
		reasm_free(w[i].ctx.reasm);
		xlat_out_free(&w[i].out);
	}
	reasm_free(c.ctx.reasm);
	xlat_out_free(&c.out);
	nat64_state_free(sh.st);
	config_free(&sh.cfg_a);
	config_free(&sh.cfg_b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mt_stress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
