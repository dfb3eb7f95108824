// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NAT64 state without packets: the keyed hash and the table, the
 * bindings and sessions both ways, pool4 allocation, limits, expiry on a
 * clock the test drives, and the configuration sync (TCP: test_nat64_tcp).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "nat64_env.h"

/* --- hash and table ---------------------------------------------------- */

struct tnode {
	struct nat64_hnode h;
	uint32_t v;
};

static bool tmatch(const struct nat64_hnode *n, const void *key)
{
	return ((const struct tnode *)(const void *)n)->v ==
	       *(const uint32_t *)key;
}

static uint32_t thash(uint32_t v)
{
	return (uint32_t)siphash24(key_a, &v, sizeof(v));
}

static void test_htab_grow_remove(void **state)
{
	enum { N = 100000 };
	struct tnode *v = calloc(N, sizeof(*v));
	struct nat64_htab t;
	size_t first_nb;

	(void)state;
	assert_non_null(v);
	nat64_htab_init(&t);
	assert_null(nat64_htab_find(&t, 1, tmatch, &v[0].v));
	for (uint32_t i = 0; i < N; i++) {
		v[i].v = i;
		assert_int_equal(nat64_htab_insert(&t, &v[i].h, thash(i)), 0);
		if (i == 64)
			first_nb = t.nb;
	}
	assert_int_equal(t.count, N);
	/* Grown with use: 64 buckets at first, then doublings. */
	assert_int_equal(first_nb, 128);
	assert_true(t.nb >= N / 2 && t.nb <= 2 * N);
	for (uint32_t i = 0; i < N; i++)
		assert_ptr_equal(nat64_htab_find(&t, thash(i), tmatch, &i),
				 &v[i].h);
	for (uint32_t i = 0; i < N; i += 2)
		nat64_htab_remove(&t, &v[i].h);
	assert_int_equal(t.count, N / 2);
	for (uint32_t i = 0; i < N; i++)
		assert_ptr_equal(nat64_htab_find(&t, thash(i), tmatch, &i),
				 i % 2 ? &v[i].h : NULL);
	nat64_htab_free(&t);
	free(v);
}

/* --- bindings and sessions ---------------------------------------------- */

static void test_bib_both_ways(void **state)
{
	struct env e;
	struct nat64_op op;
	struct nat64_bib *b;
	struct in6_addr x6 = a6("2001:db8::5");
	struct in_addr x4 = a4("192.0.2.2");

	(void)state;
	env_open(&e, NULL, NULL);
	op = op_at(&e);
	b = nat64_bib_add(&op, CONFIG_L4_UDP, &x6, 1234, &x4, 2345, false);
	assert_non_null(b);
	assert_ptr_equal(nat64_bib_find6(e.st, CONFIG_L4_UDP, &x6, 1234), b);
	assert_ptr_equal(nat64_bib_find4(e.st, CONFIG_L4_UDP, &x4, 2345), b);
	/* One table per protocol, and ports matter. */
	assert_null(nat64_bib_find6(e.st, CONFIG_L4_TCP, &x6, 1234));
	assert_null(nat64_bib_find4(e.st, CONFIG_L4_UDP, &x4, 2344));
	assert_int_equal(e.st->nbib[CONFIG_L4_UDP], 1);
	nat64_bib_remove(&op, b);
	assert_null(nat64_bib_find6(e.st, CONFIG_L4_UDP, &x6, 1234));
	assert_null(nat64_bib_find4(e.st, CONFIG_L4_UDP, &x4, 2345));
	env_close(&e);
}

/* RFC 6146 3.5.1: endpoint-independent mapping, sessions both ways. */
static void test_udp_mapping(void **state)
{
	struct env e;
	struct nat64_result r, r2, back;
	struct in6_addr x6;

	(void)state;
	env_open(&e, NULL, NULL);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 5000, "192.0.2.5", 53, 0));
	assert_int_equal(r.v, NAT64_PASS);
	assert_true(r.s->local4.s_addr == a4("192.0.2.2").s_addr);
	assert_true(r.s->remote4.s_addr == a4("192.0.2.5").s_addr);
	assert_int_equal(r.s->rport, 53);
	/* Same source, another destination: the same binding. */
	r2 = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 5000, "198.51.100.7", 53,
			0));
	assert_int_equal(r2.v, NAT64_PASS);
	assert_ptr_equal(r2.s->bib, r.s->bib);
	assert_ptr_not_equal(r2.s, r.s);
	/* The answer finds the first session by the IPv4 side. */
	back = in4(&e, f4(CONFIG_L4_UDP, "192.0.2.5", 53, "192.0.2.2",
			  r.s->lport4, 0));
	assert_int_equal(back.v, NAT64_PASS);
	assert_ptr_equal(back.s, r.s);
	x6 = a6("2001:db8::5");
	assert_memory_equal(&back.s->bib->addr6, &x6, 16);
	assert_int_equal(back.s->bib->port6, 5000);
	assert_int_equal(nsess(&e), 2);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_BIB_ADDED], 1);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_SESSION_ADDED], 2);
	env_close(&e);
}

static void test_v4_without_binding(void **state)
{
	struct env e;
	struct nat64_result r;

	(void)state;
	env_open(&e, NULL, NULL);
	r = in4(&e, f4(CONFIG_L4_UDP, "192.0.2.5", 53, "192.0.2.2", 4101, 0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_NO_BIB);
	assert_int_equal(r.icmp_type, 3);
	assert_int_equal(r.icmp_code, 3);
	r = in4(&e, f4(CONFIG_L4_ICMP, "192.0.2.5", 0, "192.0.2.2", 77, 0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.icmp_code, 1);
	/* TCP without a session and without SYN: nothing to say. */
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 80, "192.0.2.2", 4101, 0x10));
	assert_int_equal(r.v, NAT64_DROP);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_NO_SESSION);
	assert_int_equal(nsess(&e), 0);
	env_close(&e);
}

/* RFC 6146 3.5.1: address-dependent filtering, when configured. */
static void test_filtering(void **state)
{
	struct env e;
	struct nat64_result r;
	uint16_t p4;

	(void)state;
	env_open(&e, "address-dependent-filtering yes\n", NULL);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 5000, "192.0.2.5", 53, 0));
	assert_int_equal(r.v, NAT64_PASS);
	p4 = r.s->lport4;
	/* Another port of the same address: allowed. */
	r = in4(&e, f4(CONFIG_L4_UDP, "192.0.2.5", 54, "192.0.2.2", p4, 0));
	assert_int_equal(r.v, NAT64_PASS);
	/* Another address: refused, "communication administratively
	 * prohibited". */
	r = in4(&e, f4(CONFIG_L4_UDP, "192.0.2.9", 53, "192.0.2.2", p4, 0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_FILTERED);
	assert_int_equal(r.icmp_code, 13);
	env_close(&e);

	env_open(&e, NULL, NULL);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 5000, "192.0.2.5", 53, 0));
	r = in4(&e, f4(CONFIG_L4_UDP, "192.0.2.9", 53, "192.0.2.2",
		       r.s->lport4, 0));
	assert_int_equal(r.v, NAT64_PASS);	/* endpoint-independent */
	env_close(&e);
}

/* --- pool4 --------------------------------------------------------------- */

static uint16_t port_for(struct env *e, const char *src, uint16_t sport)
{
	struct nat64_result r = in6(e, f6(CONFIG_L4_UDP, src, sport,
					  "192.0.2.5", 53, 0));

	assert_int_equal(r.v, NAT64_PASS);
	return r.s->lport4;
}

/* RFC 6146 3.5.1.1: the source port's range and parity are kept. */
static void test_pool4_range_parity(void **state)
{
	struct env e;
	char src[64];

	(void)state;
	env_open(&e, NULL, NULL);
	for (int i = 0; i < 200; i++) {
		uint16_t sp = (uint16_t)(i % 2 ? 1024 + i * 97 : 1 + i * 5);
		uint16_t p;

		snprintf(src, sizeof(src), "2001:db8::%x", i + 1);
		p = port_for(&e, src, sp);
		assert_true(p >= 1 && p <= 3000);
		assert_int_equal(p < 1024, sp < 1024);
		assert_int_equal(p & 1, sp & 1);
	}
	env_close(&e);
}

/* RFC 6056 algorithm 3: keyed, so the same key gives the same ports and
 * another key other ports; and not sequential. */
static void test_pool4_keyed(void **state)
{
	struct env a, b, c;
	int same_ab = 0, same_ac = 0, seq = 0;
	uint16_t prev = 0;
	char src[64];

	(void)state;
	env_open(&a, NULL, key_a);
	env_open(&b, NULL, key_a);
	env_open(&c, NULL, key_b);
	for (int i = 0; i < 50; i++) {
		uint16_t pa, pb, pc;

		snprintf(src, sizeof(src), "2001:db8::%x", i + 1);
		pa = port_for(&a, src, 40000);
		pb = port_for(&b, src, 40000);
		pc = port_for(&c, src, 40000);
		same_ab += pa == pb;
		same_ac += pa == pc;
		seq += prev && (pa == prev + 2);
		prev = pa;
	}
	assert_int_equal(same_ab, 50);
	assert_true(same_ac < 5);
	assert_true(seq < 5);
	env_close(&a);
	env_close(&b);
	env_close(&c);
}

static void test_pool4_exhaustion(void **state)
{
	struct env e;
	struct nat64_result r;
	uint16_t seen[4] = { 0 };
	char src[64];

	(void)state;
	env_open_text(&e, "mode nat64\npool6 64:ff9b::/96\n"
		      "pool4 198.51.100.1 1024-1027 udp\nudp-timeout 120\n",
		      NULL);
	for (int i = 0; i < 4; i++) {
		snprintf(src, sizeof(src), "2001:db8::%x", i + 1);
		seen[i] = port_for(&e, src, 50000 + i);
		assert_true(seen[i] >= 1024 && seen[i] <= 1027);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(seen[i], seen[j]);
	}
	/* Full: refused with address unreachable (RFC 6146 3.5.1.1). */
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::99", 50000, "192.0.2.5", 53,
		       0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_POOL4);
	assert_int_equal(r.icmp_type, 1);
	assert_int_equal(r.icmp_code, 3);
	/* Existing flows still work. */
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 50000, "192.0.2.5", 53,
		       0));
	assert_int_equal(r.v, NAT64_PASS);
	/* Once the sessions of the other three expire, their ports free. */
	e.now += 60000;
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 50000, "192.0.2.5", 53, 0));
	e.now += 60000;
	assert_int_equal(expire(&e), 3);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::99", 50000, "192.0.2.5", 53,
		       0));
	assert_int_equal(r.v, NAT64_PASS);
	env_close(&e);
}

/* Outside the source port's range only when the range is full. */
static void test_pool4_fallback(void **state)
{
	struct env e;

	(void)state;
	env_open_text(&e, "mode nat64\npool6 64:ff9b::/96\n"
		      "pool4 192.0.2.2 2000-2001\n", NULL);
	{
		uint16_t p1 = port_for(&e, "2001:db8::1", 80);
		uint16_t p2 = port_for(&e, "2001:db8::2", 80);

		assert_true(p1 == 2000 || p1 == 2001);
		assert_int_equal(p1 + p2, 4001);
	}
	env_close(&e);
}

/* --- limits ---------------------------------------------------------------- */

static void test_limits(void **state)
{
	struct env e;
	struct nat64_result r, one;

	(void)state;
	env_open(&e, "max-bib-entries 2\nmax-sessions 4\n"
		 "max-sessions-per-host 2\n", NULL);
	one = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 1000, "192.0.2.5", 53, 0));
	assert_int_equal(one.v, NAT64_PASS);
	assert_int_equal(in6(&e, f6(CONFIG_L4_UDP, "2001:db8::2", 1000,
				    "192.0.2.5", 53, 0)).v, NAT64_PASS);
	/* A third binding: refused with address unreachable. */
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::3", 1000, "192.0.2.5", 53, 0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_BIB_LIMIT);
	assert_int_equal(r.icmp_type, 1);
	assert_int_equal(r.icmp_code, 3);
	assert_int_equal(e.st->nbib[CONFIG_L4_UDP], 2);
	/* Per host: ::1 may have two sessions, not three. */
	assert_int_equal(in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 1000,
				    "192.0.2.6", 53, 0)).v, NAT64_PASS);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 1000, "192.0.2.7", 53, 0));
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_HOST_LIMIT);
	/* ...nor from the IPv4 side: "administratively prohibited". */
	r = in4(&e, f4(CONFIG_L4_UDP, "192.0.2.9", 53, "192.0.2.2",
		       one.s->lport4, 0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_HOST_LIMIT);
	assert_int_equal(r.icmp_type, 3);
	assert_int_equal(r.icmp_code, 13);
	/* In all: four. */
	assert_int_equal(in6(&e, f6(CONFIG_L4_UDP, "2001:db8::2", 1000,
				    "192.0.2.6", 53, 0)).v, NAT64_PASS);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::2", 1000, "192.0.2.8", 53, 0));
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_SESSION_LIMIT);
	/* Existing flows go on. */
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 1000, "192.0.2.5", 53, 0));
	assert_int_equal(r.v, NAT64_PASS);
	r = in4(&e, f4(CONFIG_L4_UDP, "192.0.2.6", 53, "192.0.2.2",
		       one.s->lport4, 0));
	assert_int_equal(r.v, NAT64_PASS);
	assert_int_equal(nsess(&e), 4);
	env_close(&e);
}

/* --- timers ---------------------------------------------------------------- */

/* Each class is a FIFO by last use: a refresh moves to the tail. */
static void test_timer_fifo(void **state)
{
	struct env e;
	struct nat64_result a, b;
	int64_t t0;

	(void)state;
	env_open(&e, "udp-timeout 120\n", NULL);
	t0 = e.now;
	a = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 1, "192.0.2.5", 53, 0));
	e.now = t0 + 10000;
	b = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::2", 1, "192.0.2.5", 53, 0));
	e.now = t0 + 20000;
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 1, "192.0.2.5", 53, 0));
	assert_ptr_equal(e.st->thead[NAT64_T_UDP], b.s);
	assert_ptr_equal(e.st->ttail[NAT64_T_UDP], a.s);
	assert_true(nat64_next_expiry(e.st, &e.cfg) == t0 + 130000);
	e.now = t0 + 129999;
	assert_int_equal(expire(&e), 0);
	e.now = t0 + 130000;
	assert_int_equal(expire(&e), 1);	/* b, not a */
	assert_non_null(in4(&e, f4(CONFIG_L4_UDP, "192.0.2.5", 53, "192.0.2.2",
				   a.s->lport4, 0)).s);
	e.now = t0 + 140000;
	assert_int_equal(expire(&e), 0);	/* a was refreshed by its answer */
	/* A clock that steps back is held where it was. */
	e.now = t0;
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::3", 1, "192.0.2.5", 53, 0));
	assert_true(e.st->ttail[NAT64_T_UDP]->touched_ms == t0 + 140000);
	/* The timeout in force applies: shorter now, due at once. */
	e.cfg.nat64.udp_timeout = 1;
	e.now = t0 + 141000;
	assert_int_equal(expire(&e), 2);
	assert_true(nat64_next_expiry(e.st, &e.cfg) == INT64_MAX);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_SESSION_EXPIRED], 3);
	env_close(&e);
}

/* --- configuration ------------------------------------------------------------- */

static int count_bib(void *arg, const struct nat64_bib *b)
{
	(void)b;
	(*(int *)arg)++;
	return 0;
}

static void test_sync(void **state)
{
	struct env e;
	struct nat64_result r;
	struct config next;
	char err[256];
	int n = 0;
	struct in6_addr x6 = a6("2001:db8::5");
	struct in_addr x4 = a4("192.0.2.2");

	(void)state;
	env_open(&e, "bib udp 192.0.2.2#2000 2001:db8::5#2000\n"
		 "bib tcp 203.0.113.1#80 2001:db8::80#80\n", NULL);
	assert_non_null(nat64_bib_find6(e.st, CONFIG_L4_UDP, &x6, 2000));
	/* A static binding's address is the NAT64's own (hairpinning). */
	x4 = a4("203.0.113.1");
	assert_true(nat64_is_own4(e.st, &x4));
	x4 = a4("203.0.113.2");
	assert_false(nat64_is_own4(e.st, &x4));
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 2000, "192.0.2.5", 53, 0));
	assert_true(r.s->bib->is_static && r.s->lport4 == 2000);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::6", 5000, "192.0.2.5", 53, 0));
	assert_int_equal(r.v, NAT64_PASS);
	assert_int_equal(nat64_bib_walk(e.st, CONFIG_L4_UDP, count_bib, &n), 0);
	assert_int_equal(n, 2);

	/* New configuration: pool4 elsewhere, the UDP static one gone. */
	assert_int_equal(config_parse_string("n",
		"mode nat64\npool6 64:ff9b::/96\npool4 198.51.100.0/31\n"
		"bib tcp 203.0.113.1#80 2001:db8::80#80\n",
		&next, err, sizeof(err)), 0);
	assert_int_equal(nat64_state_sync(e.st, &next, NULL, err,
					  sizeof(err)), 0);
	config_free(&e.cfg);
	e.cfg = next;
	assert_int_equal(e.st->nbib[CONFIG_L4_UDP], 0);
	assert_int_equal(e.st->nbib[CONFIG_L4_TCP], 1);
	assert_int_equal(nsess(&e), 0);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::6", 5000, "192.0.2.5", 53, 0));
	assert_int_equal(r.v, NAT64_PASS);
	assert_int_equal(ntohl(r.s->local4.s_addr) & ~1u, 0xc6336400);
	env_close(&e);
}

/* A million sessions: lookups stay direct, memory follows use. */
/*
 * What the control thread uses while workers translate: nat64_bib_forget
 * (found and removed in one locked step, from either side, with a copy
 * of what went), nat64_state_now, and the counts' pool4 and lock fields.
 */
static void test_forget_counts(void **state)
{
	struct env e;
	struct nat64_result r;
	struct nat64_counts c0, c1;
	struct nat64_bib gone;
	struct in6_addr h6 = a6("2001:db8::5");
	struct in_addr p4;
	uint16_t port4;

	(void)state;
	env_open(&e, NULL, NULL);
	e.now = 7000;
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 4000, "192.0.2.5", 53, 0));
	assert_int_equal(r.v, NAT64_PASS);
	p4 = r.s->local4;
	port4 = r.s->lport4;
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 4000, "192.0.2.6", 53, 0));
	assert_int_equal(nat64_state_now(e.st), 7000);
	nat64_state_counts(e.st, &c0);
	assert_int_equal(c0.pool4_used[CONFIG_L4_UDP], 1);
	assert_int_equal(c0.pool4_total[CONFIG_L4_UDP], 3000);
	assert_int_equal(c0.sessions[CONFIG_L4_UDP], 2);

	/* By its IPv4 side: the copy says what went, sessions included. */
	assert_int_equal(nat64_bib_forget(e.st, &e.cfg, &e.stats, e.now,
					  CONFIG_L4_UDP, false, &p4, port4,
					  &gone), 0);
	assert_int_equal(gone.port6, 4000);
	assert_int_equal(gone.port4, port4);
	assert_int_equal(gone.nsessions, 2);
	assert_memory_equal(&gone.addr6, &h6, sizeof(h6));
	nat64_state_counts(e.st, &c1);
	assert_int_equal(c1.bib[CONFIG_L4_UDP], 0);
	assert_int_equal(c1.sessions[CONFIG_L4_UDP], 0);
	assert_int_equal(c1.pool4_used[CONFIG_L4_UDP], 0);
	/* Every entry point took the lock; nobody else was there. */
	assert_true(c1.lock_taken > c0.lock_taken);
	assert_int_equal(c1.lock_contended, 0);
	/* Gone: nothing to forget any more, from either side. */
	assert_int_equal(nat64_bib_forget(e.st, &e.cfg, &e.stats, e.now,
					  CONFIG_L4_UDP, false, &p4, port4,
					  &gone), -1);
	r = in6(&e, f6(CONFIG_L4_TCP, "2001:db8::5", 4001, "192.0.2.5", 80,
		       NAT64_TCP_SYN));
	assert_int_equal(r.v, NAT64_PASS);
	assert_int_equal(nat64_bib_forget(e.st, &e.cfg, &e.stats, e.now,
					  CONFIG_L4_UDP, true, &h6, 4001,
					  &gone), -1);
	assert_int_equal(nat64_bib_forget(e.st, &e.cfg, &e.stats, e.now,
					  CONFIG_L4_TCP, true, &h6, 4001,
					  &gone), 0);
	assert_int_equal(gone.l4, CONFIG_L4_TCP);
	assert_int_equal(nsess(&e), 0);
	env_close(&e);
}

static void test_million(void **state)
{
	enum { N = 1000000 };
	struct env e;
	struct nat64_op op;
	struct in6_addr x6 = a6("2001:db8::5");
	struct in_addr x4 = a4("192.0.2.2");
	struct nat64_bib *b;
	int why;

	(void)state;
	env_open(&e, NULL, NULL);
	op = op_at(&e);
	b = nat64_bib_add(&op, CONFIG_L4_UDP, &x6, 1, &x4, 1, false);
	for (uint32_t i = 0; i < N; i++) {
		struct nat64_remote r;

		r.a4.s_addr = htonl(0x0a000000 + i / 64);
		r.a6 = a6("64:ff9b::");
		memcpy(&r.a6.s6_addr[12], &r.a4, 4);
		r.port = (uint16_t)(1000 + i % 64);
		assert_non_null(nat64_sess_add(&op, CONFIG_L4_UDP, b, &x4, 1,
					       &r, NAT64_T_UDP, &why));
	}
	assert_int_equal(nsess(&e), N);
	assert_true(e.st->sess4.nb >= N / 2 && e.st->sess6.nb <= 2 * N);
	for (uint32_t i = 0; i < N; i += 9973) {
		struct in_addr r4 = { htonl(0x0a000000 + i / 64) };
		struct in6_addr r6 = a6("64:ff9b::");
		struct nat64_session *s4, *s6;

		memcpy(&r6.s6_addr[12], &r4, 4);
		s4 = nat64_sess_find4(e.st, CONFIG_L4_UDP, &x4, 1, &r4,
				      (uint16_t)(1000 + i % 64));
		s6 = nat64_sess_find6(e.st, CONFIG_L4_UDP, &x6, 1, &r6,
				      (uint16_t)(1000 + i % 64));
		assert_non_null(s4);
		assert_ptr_equal(s4, s6);
	}
	e.now += 300000;
	assert_int_equal(expire(&e), N);
	assert_int_equal(nsess(&e), 0);
	assert_int_equal(e.st->nbib[CONFIG_L4_UDP], 0);
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_htab_grow_remove),
		cmocka_unit_test(test_bib_both_ways),
		cmocka_unit_test(test_udp_mapping),
		cmocka_unit_test(test_v4_without_binding),
		cmocka_unit_test(test_filtering),
		cmocka_unit_test(test_pool4_range_parity),
		cmocka_unit_test(test_pool4_keyed),
		cmocka_unit_test(test_pool4_exhaustion),
		cmocka_unit_test(test_pool4_fallback),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_timer_fifo),
		cmocka_unit_test(test_sync),
		cmocka_unit_test(test_forget_counts),
		cmocka_unit_test(test_million),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

