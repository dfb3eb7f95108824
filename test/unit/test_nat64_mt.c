// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One NAT64 state shared by several translating threads and a control
 * thread (issue 12): the stress test the TSan build runs.
 *
 * MT_WORKERS threads, each with its own xlat_ctx, counters, output and
 * reassembler attached to one nat64_state, translate real packets with
 * xlat_packet: UDP requests and ICMP echoes from their IPv6 hosts and
 * the IPv4 replies, ICMPv4 errors quoting the requests, TCP handshakes and closes, IPv4
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
 * Logging is on (logging-bib, logging-session) through a hook that
 * formats every line on the thread that made the change, as translatord
 * does: every binding and session logged as made is logged as removed.
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

#include "nat64_log.h"
#include "nat64_mt.h"
#include "pktbuild.h"
#include "reasm.h"

static const uint8_t mt_key[NAT64_KEY_LEN] = "test_nat64_mt..";

/* A: what the workers translate with. B: A plus 192.0.2.3 in pool4 and
 * a static binding on 192.0.2.4 that takes over a victim flow. */
#define MT_BASE								\
	"mode nat64\npool6 64:ff9b::/96\nwkp-allow-non-global yes\n"	\
	"udp-timeout 300\ntcp-trans-timeout 240\n"			\
	"logging-bib yes\nlogging-session yes\n"			\
	"pool4 192.0.2.2 1024-65535\n"					\
	"bib udp 192.0.2.2#2000 2001:db8::6#2000\n"
static const char mt_conf_a[] = MT_BASE;
static const char mt_conf_b[] = MT_BASE
	"pool4 192.0.2.3 1024-65535\n"
	"bib udp 192.0.2.4#7000 2001:db8::9:0#10003\n";

struct mt_control {
	pthread_t tid;
	struct mt_shared *sh;
	struct xlat_ctx ctx;
	struct xlat_stats stats;
	struct xlat_out out;
	uint64_t steps, syncs, forgets, walked, bad_rows;
	int sync_err;
};

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

void mt_ctx(struct xlat_ctx *ctx, struct xlat_stats *stats,
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
	assert_true(w->echo_ok > 0);
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

/* Events of each type the hook saw, and lines that failed to format. */
static atomic_ullong mt_events[NAT64_EV_DEBUG + 1];
static atomic_ullong mt_bad_lines;

static int mt_log(void *arg, const struct nat64_event *ev)
{
	char line[NAT64_EVENT_LINE_MAX];

	(void)arg;
	if (nat64_event_format(ev, ev->now_ms, line, sizeof(line)) <= 0)
		atomic_fetch_add(&mt_bad_lines, 1);
	atomic_fetch_add(&mt_events[ev->type], 1);
	return 0;
}

static const struct nat64_log_ops mt_log_ops = { .event = mt_log };

static void mt_check_log(void)
{
	unsigned long long ba = atomic_load(&mt_events[NAT64_EV_BIB_ADD]);
	unsigned long long bd = atomic_load(&mt_events[NAT64_EV_BIB_DEL]);
	unsigned long long sa = atomic_load(&mt_events[NAT64_EV_SESS_ADD]);
	unsigned long long sd = atomic_load(&mt_events[NAT64_EV_SESS_DEL]);

	print_message("log: BIB add %llu del %llu, session add %llu del %llu\n",
		      ba, bd, sa, sd);
	assert_int_equal(atomic_load(&mt_bad_lines), 0);
	assert_true(sa > 0 && ba > 0);
	assert_int_equal(ba - bd, 1);	/* the static binding stays */
	assert_int_equal(sa, sd);
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
	mt_check_log();
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
	nat64_state_set_log(sh.st, &mt_log_ops, NULL);
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
			      "icmp %llu hairpin %llu echo %llu\n", i,
			      (unsigned long long)w[i].rounds,
			      (unsigned long long)w[i].sent,
			      (unsigned long long)w[i].strict_ok,
			      (unsigned long long)w[i].replies_lost,
			      (unsigned long long)w[i].b_static_ok,
			      (unsigned long long)w[i].tcp_ok,
			      (unsigned long long)w[i].via3,
			      (unsigned long long)w[i].icmp_ok,
			      (unsigned long long)w[i].hairpin_ok,
			      (unsigned long long)w[i].echo_ok);
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
