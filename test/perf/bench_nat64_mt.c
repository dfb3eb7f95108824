// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_nat64_mt: UDP through one shared NAT64 state with 1..N
 * translating threads (issue 12), to see what the state's mutex costs.
 * Usage: bench_nat64_mt [SECONDS [THREADS]]   (default 1 s, up to 2)
 *
 * Each thread has its own xlat_ctx (counters, output, reassembler)
 * attached to the one state, and 1024 flows of its own IPv6 host: it
 * sends a request from the IPv6 side and its reply from the IPv4 side,
 * flow after flow, through the real core (xlat_packet), for SECONDS of
 * wall time. For each thread count it prints packets per second (wall:
 * what the threads did together, disturbed by whatever else runs on the
 * machine), nanoseconds of thread CPU per packet (steadier), and how
 * threads on a CPU on average ("on cpu": thread CPU time over wall time;
 * below the thread count when other work shared the CPUs, and then the
 * threads overlapped less than they could), and how
 * many of the state's lock acquisitions found it taken (nat64_lock's
 * counter, as `transctl status` shows it; with several threads only
 * the first state's). With several threads it runs again with one
 * state per thread: what the machine gives threads that share nothing.
 * Also the cost of one uncontended lock and unlock. A figure, not a
 * test.
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
#include <cmocka.h>

#include "nat64_flow.h"
#include "nat64_xlat.h"
#include "pktbuild.h"
#include "reasm.h"

#define BN_FLOWS	1024
#define BN_MAX_THREADS	8
#define BN_PKT		64

static const char bn_conf[] =
	"mode nat64\npool6 64:ff9b::/96\nwkp-allow-non-global yes\n"
	"pool4 192.0.2.2 1024-65535\n";

struct bn_thread {
	pthread_t tid;
	int id;
	struct nat64_state *st;
	const struct config *cfg;
	const atomic_bool *stop;
	struct xlat_ctx ctx;
	struct xlat_stats stats;
	struct xlat_out out;
	uint8_t req[BN_FLOWS][BN_PKT], rep[BN_FLOWS][BN_PKT];
	size_t req_len, rep_len;
	int64_t now_ms;			/* per batch, as the daemon's */
	uint64_t pkts, bad;
	double cpu_s;
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum xlat_verdict bn_xlat(struct bn_thread *t, enum xlat_side side,
				 const uint8_t *p, size_t len)
{
	struct xlat_in in = { .side = side, .data = p, .len = len,
			      .now_ms = t->now_ms };

	xlat_out_reset(&t->out);
	return xlat_packet(&t->ctx, &in, &t->out);
}

/* The flows' packets; the first pass makes the bindings, whose pool4
 * ports the replies go to. */
static int bn_prepare(struct bn_thread *t)
{
	static const uint8_t data[8] = "bench64";
	char src6[48], dst4[32], dst6[48];
	uint8_t l4[64];

	snprintf(src6, sizeof(src6), "2001:db8::%x", t->id + 1);
	snprintf(dst4, sizeof(dst4), "198.51.100.%d", t->id + 1);
	snprintf(dst6, sizeof(dst6), "64:ff9b::%s", dst4);
	for (int i = 0; i < BN_FLOWS; i++) {
		struct pb6 h6 = { .src = src6, .dst = dst6, .proto = 17 };
		struct pb4 h4 = { .src = dst4, .dst = "192.0.2.2", .proto = 17 };
		size_t n = pb_udp(l4, (uint16_t)(10000 + i), 53, data,
				  sizeof(data));
		uint16_t p4;

		t->req_len = pb_ip6(t->req[i], &h6, l4, n);
		if (bn_xlat(t, XLAT_SIDE_V6, t->req[i], t->req_len) !=
		    XLAT_TRANSLATED)
			return -1;
		p4 = pb_rd16(t->out.pkt[0].data + 20);
		n = pb_udp(l4, 53, p4, data, sizeof(data));
		t->rep_len = pb_ip4(t->rep[i], &h4, l4, n);
	}
	return 0;
}

static void *bn_main(void *arg)
{
	struct bn_thread *t = arg;
	double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);

	while (!atomic_load_explicit(t->stop, memory_order_relaxed)) {
		/* A clock read per batch of 2048 packets (~0.5 ms): the
		 * sessions are refreshed at new times, as in real traffic. */
		t->now_ms = (int64_t)(clock_s(CLOCK_MONOTONIC) * 1000);
		for (int i = 0; i < BN_FLOWS; i++) {
			t->bad += bn_xlat(t, XLAT_SIDE_V6, t->req[i],
					  t->req_len) != XLAT_TRANSLATED;
			t->bad += bn_xlat(t, XLAT_SIDE_V4, t->rep[i],
					  t->rep_len) != XLAT_TRANSLATED;
		}
		t->pkts += 2 * BN_FLOWS;
	}
	t->cpu_s = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
	return NULL;
}

static int bn_init(struct bn_thread *t, int id, struct nat64_state *st,
		   const struct config *cfg, const atomic_bool *stop)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->st = st;
	t->cfg = cfg;
	t->stop = stop;
	t->ctx.cfg = cfg;
	t->ctx.stats = &t->stats;
	t->ctx.ip_id_next = 0x4000;
	t->ctx.reasm = reasm_new(NULL);
	t->now_ms = (int64_t)(clock_s(CLOCK_MONOTONIC) * 1000);
	if (!t->ctx.reasm || xlat_out_init(&t->out))
		return -1;
	nat64_xlat_attach(&t->ctx, st);
	return bn_prepare(t);
}

static void bn_fini(struct bn_thread *t)
{
	reasm_free(t->ctx.reasm);
	xlat_out_free(&t->out);
}

static struct nat64_state *bn_state(const struct config *cfg)
{
	static const uint8_t key[NAT64_KEY_LEN] = "bench_nat64_mt.";
	struct nat64_state *st = nat64_state_new(key);
	char err[128];

	if (st && nat64_state_sync(st, cfg, NULL, err, sizeof(err))) {
		nat64_state_free(st);
		st = NULL;
	}
	return st;
}

/*
 * One round of n threads for secs seconds, sharing one state, or each
 * with a state of its own (!shared: what the machine gives n threads
 * that share nothing, the yardstick of the shared case).
 */
static int bn_round(const struct config *cfg, int n, double secs,
		    bool shared)
{
	static struct bn_thread t[BN_MAX_THREADS];
	struct timespec run = { (time_t)secs,
				(long)((secs - (double)(time_t)secs) * 1e9) };
	struct nat64_state *st[BN_MAX_THREADS] = { NULL };
	struct nat64_counts c0, c1;
	atomic_bool stop;
	uint64_t pkts = 0, bad = 0;
	double w0, wall, cpu = 0;

	atomic_init(&stop, false);
	for (int i = 0; i < n; i++) {
		st[i] = shared && i ? st[0] : bn_state(cfg);
		if (!st[i] || bn_init(&t[i], i, st[i], cfg, &stop))
			return -1;
	}
	nat64_state_counts(st[0], &c0);
	w0 = clock_s(CLOCK_MONOTONIC);
	for (int i = 0; i < n; i++)
		pthread_create(&t[i].tid, NULL, bn_main, &t[i]);
	nanosleep(&run, NULL);
	atomic_store(&stop, true);
	for (int i = 0; i < n; i++) {
		pthread_join(t[i].tid, NULL);
		pkts += t[i].pkts;
		bad += t[i].bad;
		cpu += t[i].cpu_s;
	}
	wall = clock_s(CLOCK_MONOTONIC) - w0;
	nat64_state_counts(st[0], &c1);
	printf("threads %d %-8s packets/s %.0f  cpu ns/packet %.0f  "
	       "on cpu %.2f  lock taken %llu  contended %llu (%.2f %%)  untranslated %llu\n",
	       n, shared ? "shared" : "separate", (double)pkts / wall, cpu * 1e9 / (double)pkts,
	       cpu / wall,
	       (unsigned long long)(c1.lock_taken - c0.lock_taken),
	       (unsigned long long)(c1.lock_contended - c0.lock_contended),
	       100.0 * (double)(c1.lock_contended - c0.lock_contended) /
	       (double)(c1.lock_taken - c0.lock_taken + 1),
	       (unsigned long long)bad);
	for (int i = 0; i < n; i++) {
		bn_fini(&t[i]);
		if (!shared || !i)
			nat64_state_free(st[i]);
	}
	return 0;
}

/*
 * How long a packet holds the lock: the state's part of a UDP request
 * and of its reply (nat64_in6, nat64_in4, what the map operations do
 * between nat64_lock and nat64_unlock), on BN_FLOWS flows. Its inverse is
 * the most packets per second one state can serve, whatever the number
 * of threads; the rest of a packet's cost runs in parallel.
 */
static void bn_hold_cost(const struct config *cfg)
{
	struct nat64_state *st = bn_state(cfg);
	struct nat64_flow f6[BN_FLOWS], f4[BN_FLOWS];
	struct nat64_result r;
	struct nat64_op op;
	const int rounds = 2000;
	double t0, t;

	if (!st)
		return;
	for (int i = 0; i < BN_FLOWS; i++) {
		memset(&f6[i], 0, sizeof(f6[i]));
		f6[i].l4 = CONFIG_L4_UDP;
		pb_a6("2001:db8::1", f6[i].src6.s6_addr);
		pb_a6("64:ff9b::198.51.100.1", f6[i].dst6.s6_addr);
		pb_a4("198.51.100.1", (uint8_t *)&f6[i].dst4);
		f6[i].sport = (uint16_t)(10000 + i);
		f6[i].dport = 53;
		nat64_op_init(&op, st, cfg, NULL, 1000);
		nat64_in6(&op, &f6[i], &r);
		if (r.v != NAT64_PASS)
			goto out;
		f4[i] = f6[i];
		f4[i].src4 = f6[i].dst4;
		f4[i].src6 = f6[i].dst6;
		f4[i].dst4 = r.s->local4;
		f4[i].sport = 53;
		f4[i].dport = r.s->lport4;
	}
	t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (int k = 0; k < rounds; k++) {
		for (int i = 0; i < BN_FLOWS; i++) {
			nat64_lock(st);
			nat64_op_init(&op, st, cfg, NULL, 1000 + k);
			nat64_in6(&op, &f6[i], &r);
			nat64_unlock(st);
			nat64_lock(st);
			nat64_op_init(&op, st, cfg, NULL, 1000 + k);
			nat64_in4(&op, &f4[i], NULL, 0, false, &r);
			nat64_unlock(st);
		}
	}
	t = (clock_s(CLOCK_THREAD_CPUTIME_ID) - t0) * 1e9 /
	    (2.0 * rounds * BN_FLOWS);
	printf("lock held per packet (state's part, lock included): %.0f ns: "
	       "one state serves at most %.1f Mpps\n", t, 1e3 / t);
out:
	nat64_state_free(st);
}

/* What one uncontended lock and unlock cost. */
static void bn_lock_cost(const struct config *cfg)
{
	static const uint8_t key[NAT64_KEY_LEN] = "bench_nat64_mt.";
	struct nat64_state *st = nat64_state_new(key);
	const int n = 10000000;
	double t0;

	(void)cfg;
	if (!st)
		return;
	t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (int i = 0; i < n; i++) {
		nat64_lock(st);
		nat64_unlock(st);
	}
	printf("uncontended nat64_lock+unlock: %.1f ns\n",
	       (clock_s(CLOCK_THREAD_CPUTIME_ID) - t0) * 1e9 / n);
	nat64_state_free(st);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	int max = argc > 2 ? atoi(argv[2]) : 2;
	struct config cfg;
	char err[256] = "";

	if (secs <= 0 || secs > 60 || max < 1 || max > BN_MAX_THREADS) {
		fprintf(stderr, "usage: bench_nat64_mt [SECONDS (0-60] "
			"[THREADS 1-%d]]\n", BN_MAX_THREADS);
		return 2;
	}
	if (config_parse_string("bench", bn_conf, &cfg, err, sizeof(err))) {
		fprintf(stderr, "config: %s\n", err);
		return 1;
	}
	bn_lock_cost(&cfg);
	bn_hold_cost(&cfg);
	for (int n = 1; n <= max; n++)
		if (bn_round(&cfg, n, secs, true) ||
		    (n > 1 && bn_round(&cfg, n, secs, false))) {
			fprintf(stderr, "bench_nat64_mt: set-up failed\n");
			return 1;
		}
	config_free(&cfg);
	return 0;
}
