// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool4 at scale (issue 10): the port bitmap against a plain search, one
 * address filled to its last port with range, parity and the work per
 * binding checked, paired address pooling (also across pool4 changes),
 * and max-sessions-per-prefix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "nat64_env.h"
#include "nat64_portmap.h"

/* A small deterministic generator (xorshift64). */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int32_t plain_first(const uint8_t *used, uint32_t lo, uint32_t hi,
			   int parity)
{
	for (uint32_t p = lo; p <= hi; p++)
		if (!used[p] && (parity < 0 || (int)(p & 1) == parity))
			return (int32_t)p;
	return -1;
}

/* The bitmap answers what a walk over every port answers, at any fill. */
static void test_portmap_first(void **state)
{
	static uint8_t used[65536];
	struct nat64_portmap m;
	uint64_t s = 0x9e3779b97f4a7c15ull, words = 0;
	const uint32_t fills[] = { 100, 30000, 64000, 65530, 65536 };
	size_t taken = 0;

	(void)state;
	memset(&m, 0, sizeof(m));
	memset(used, 0, sizeof(used));
	for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++) {
		while (taken < fills[f]) {
			uint16_t p = (uint16_t)rnd(&s);

			if (used[p])
				continue;
			used[p] = 1;
			assert_int_equal(nat64_portmap_take(&m, p), 0);
			taken++;
		}
		assert_int_equal(m.used, taken);
		for (int i = 0; i < 2000; i++) {
			uint32_t lo = (uint32_t)(rnd(&s) % 65536);
			uint32_t hi = lo + (uint32_t)(rnd(&s) % (65536 - lo));
			int parity = (int)(rnd(&s) % 3) - 1;
			uint64_t before = words;

			assert_int_equal(nat64_portmap_first(&m, lo, hi, parity,
							     &words),
					 plain_first(used, lo, hi, parity));
			/* Three bitmap words and the summary, at most. */
			assert_true(words - before <= 3 * (PORTMAP_SUM_WORDS + 1));
		}
	}
	/* Freed ports are free again; empty chunks go. */
	for (uint32_t p = 0; p < 65536; p++)
		if (p % 4096)
			nat64_portmap_give(&m, (uint16_t)p);
	assert_int_equal(nat64_portmap_first(&m, 0, 65535, 0, NULL), 2);
	assert_int_equal(nat64_portmap_first(&m, 4096, 4096, -1, NULL), -1);
	assert_int_equal(nat64_portmap_first(&m, 4096, 4097, 0, NULL), -1);
	assert_int_equal(nat64_portmap_first(&m, 4096, 4097, 1, NULL), 4097);
	for (uint32_t p = 0; p < 65536; p += 4096)
		nat64_portmap_give(&m, (uint16_t)p);
	for (int i = 0; i < PORTMAP_CHUNKS; i++)
		assert_null(m.chunk[i]);
	nat64_portmap_clear(&m);
}

/*
 * One address, 65,535 UDP flows from 8 hosts (issue 10): every port is
 * handed out once, the source port's class and parity are kept while
 * they have room, the 65,536th flow is refused, and no binding reads
 * more than a few hundred words (the old walk read up to 65,535 ports).
 */
static void test_fill_one_address(void **state)
{
	enum { N = 65535, CLASS_HI = 65535 - 1024 + 1 };
	static uint8_t used[65536];
	struct env e;
	struct nat64_result r;
	uint64_t max_words = 0;
	uint32_t hi_used[2] = { 0, 0 };
	char src[64];

	(void)state;
	memset(used, 0, sizeof(used));
	env_open_text(&e, "mode nat64\npool6 64:ff9b::/96\n"
		      "pool4 192.0.2.2 udp\n", NULL);
	for (uint32_t i = 0; i < N; i++) {
		uint16_t sport = (uint16_t)(1024 + i / 8), p;
		uint64_t before = e.st->pool4.words;

		snprintf(src, sizeof(src), "2001:db8::%x", i % 8 + 1);
		r = in6(&e, f6(CONFIG_L4_UDP, src, sport, "198.51.100.7", 53,
			       0));
		assert_int_equal(r.v, NAT64_PASS);
		if (e.st->pool4.words - before > max_words)
			max_words = e.st->pool4.words - before;
		p = r.s->lport4;
		assert_true(p >= 1);
		assert_int_equal(used[p], 0);
		used[p] = 1;
		/* Below 1024 only once 1024-65535 is full; the other parity
		 * only once this one is full there. */
		if (p < 1024)
			assert_int_equal(hi_used[0] + hi_used[1], CLASS_HI);
		else if ((p & 1) != (sport & 1))
			assert_int_equal(hi_used[sport & 1], CLASS_HI / 2);
		if (p >= 1024)
			hi_used[p & 1]++;
	}
	assert_int_equal(e.st->pool4.used[CONFIG_L4_UDP], N);
	assert_true(max_words <= 400);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::9", 1024, "198.51.100.7", 53,
		       0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_POOL4);
	/* Expiry gives the ports back: a full pool4 takes new flows again. */
	e.now += 300000;
	assert_int_equal(expire(&e), N);
	assert_int_equal(e.st->pool4.used[CONFIG_L4_UDP], 0);
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::9", 1024, "198.51.100.7", 53,
		       0));
	assert_int_equal(r.v, NAT64_PASS);
	env_close(&e);
}

/* RFC 6056 algorithm 3: hosts start at different points of the range. */
static void test_start_points(void **state)
{
	struct env e;
	uint16_t p[64];
	int distinct = 0;
	uint16_t lo = 65535, hi = 0;
	char src[64];

	(void)state;
	env_open_text(&e, "mode nat64\npool6 64:ff9b::/96\n"
		      "pool4 192.0.2.2 udp\n", NULL);
	for (int i = 0; i < 64; i++) {
		struct nat64_result r;

		snprintf(src, sizeof(src), "2001:db8::%x", i + 1);
		r = in6(&e, f6(CONFIG_L4_UDP, src, 40000, "198.51.100.7", 53,
			       0));
		p[i] = r.s->lport4;
		lo = p[i] < lo ? p[i] : lo;
		hi = p[i] > hi ? p[i] : hi;
		distinct++;
		for (int j = 0; j < i; j++)
			if (p[j] == p[i]) {
				distinct--;
				break;
			}
	}
	assert_int_equal(distinct, 64);
	assert_true(hi - lo > 40000);	/* spread over 1024-65535 */
	env_close(&e);
}

/* --- paired address pooling ---------------------------------------------- */

static struct nat64_result flow(struct env *e, enum config_l4 l4,
				const char *src, uint16_t sport, int dst)
{
	char d[32];

	snprintf(d, sizeof(d), "198.51.100.%d", dst);
	return in6(e, f6(l4, src, sport, d, 53, l4 == CONFIG_L4_TCP ? 2 : 0));
}

/* RFC 4787 REQ-2: one IPv4 address per IPv6 host, every destination and
 * protocol; other hosts spread over pool4. */
static void test_paired(void **state)
{
	struct env e;
	struct in_addr first[16];
	int spread = 0;
	char src[64];

	(void)state;
	env_open_text(&e, "mode nat64\npool6 64:ff9b::/96\n"
		      "pool4 203.0.113.0/28\n", NULL);
	for (int h = 0; h < 16; h++) {
		snprintf(src, sizeof(src), "2001:db8::%x", h + 1);
		first[h] = flow(&e, CONFIG_L4_UDP, src, 5000, 1).s->local4;
		for (int d = 2; d < 60; d++) {
			enum config_l4 l4 = (enum config_l4)(d % 3);
			struct nat64_result r = flow(&e, l4, src,
						     (uint16_t)(5000 + d), d);

			assert_int_equal(r.v, NAT64_PASS);
			assert_true(r.s->local4.s_addr == first[h].s_addr);
		}
		for (int j = 0; j < h; j++)
			if (first[j].s_addr == first[h].s_addr)
				goto seen;
		spread++;
seen:;
	}
	assert_true(spread >= 6);	/* 16 hosts over 16 addresses */
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_POOL4_UNPAIRED], 0);
	env_close(&e);
}

/* Only a full address sends a host elsewhere (counted); then it keeps
 * its first address for what that one can still take. */
static void test_paired_full(void **state)
{
	struct env e;
	struct nat64_result r;
	struct in_addr home;
	uint16_t last = 0;

	(void)state;
	env_open_text(&e, "mode nat64\npool6 64:ff9b::/96\n"
		      "pool4 203.0.113.0/30 1024-1031 udp\n", NULL);
	home = flow(&e, CONFIG_L4_UDP, "2001:db8::1", 5000, 1).s->local4;
	for (int i = 1; i < 8; i++) {
		r = flow(&e, CONFIG_L4_UDP, "2001:db8::1", (uint16_t)(5000 + i),
			 i + 1);
		assert_true(r.s->local4.s_addr == home.s_addr);
		last = r.s->lport4;
	}
	r = flow(&e, CONFIG_L4_UDP, "2001:db8::1", 6000, 50);
	assert_int_equal(r.v, NAT64_PASS);
	assert_true(r.s->local4.s_addr != home.s_addr);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_POOL4_UNPAIRED], 1);
	/* A port of the home address frees: the host goes back there. */
	nat64_bib_remove(&(struct nat64_op){ e.st, &e.cfg, &e.stats, e.now },
			 nat64_bib_find4(e.st, CONFIG_L4_UDP, &home, last));
	r = flow(&e, CONFIG_L4_UDP, "2001:db8::1", 6001, 51);
	assert_true(r.s->local4.s_addr == home.s_addr);
	assert_int_equal(r.s->lport4, last);
	env_close(&e);
}

/*
 * pool4 changes at run time: the host keeps its address while it stays
 * in pool4 (here for TCP, and the new ICMP binding joins it), takes a new
 * one for UDP once its address left UDP's pool4, and keeps that one; the
 * ports in use follow (no port handed out twice).
 */
static void test_paired_pool4_change(void **state)
{
	const char *both = "mode nat64\npool6 64:ff9b::/96\n"
			   "pool4 203.0.113.1 1024-1100 udp\n"
			   "pool4 203.0.113.2 1024-1100 udp\n"
			   "pool4 203.0.113.1 tcp\npool4 203.0.113.2 tcp\n"
			   "pool4 203.0.113.1 icmp\npool4 203.0.113.2 icmp\n";
	char text[512];
	struct env e;
	struct nat64_result r;
	struct in_addr home, other;

	(void)state;
	env_open_text(&e, both, NULL);
	home = flow(&e, CONFIG_L4_TCP, "2001:db8::1", 5000, 1).s->local4;
	other.s_addr = htonl(ntohl(home.s_addr) == 0xcb007101 ? 0xcb007102
							       : 0xcb007101);
	r = flow(&e, CONFIG_L4_UDP, "2001:db8::1", 5000, 1);
	assert_true(r.s->local4.s_addr == home.s_addr);
	/* UDP leaves the home address. */
	snprintf(text, sizeof(text), "mode nat64\npool6 64:ff9b::/96\n"
		 "pool4 %s 1024-1100 udp\npool4 203.0.113.1 tcp\n"
		 "pool4 203.0.113.2 tcp\npool4 203.0.113.1 icmp\n"
		 "pool4 203.0.113.2 icmp\n", inet_ntoa(other));
	env_resync(&e, text);
	assert_int_equal(e.st->nbib[CONFIG_L4_UDP], 0);
	assert_int_equal(e.st->nbib[CONFIG_L4_TCP], 1);
	r = flow(&e, CONFIG_L4_ICMP, "2001:db8::1", 77, 2);
	assert_true(r.s->local4.s_addr == home.s_addr);
	for (int i = 0; i < 77; i++) {
		r = flow(&e, CONFIG_L4_UDP, "2001:db8::1", (uint16_t)(6000 + i),
			 i + 1);
		assert_int_equal(r.v, NAT64_PASS);
		assert_true(r.s->local4.s_addr == other.s_addr);
	}
	/* The 77 ports of the other address are all taken, once each. */
	assert_int_equal(e.st->pool4.used[CONFIG_L4_UDP], 77);
	r = flow(&e, CONFIG_L4_UDP, "2001:db8::2", 6000, 1);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_POOL4);
	/* Back to both: the taken ports stay taken after the sync. */
	env_resync(&e, both);
	assert_int_equal(e.st->pool4.used[CONFIG_L4_UDP], 77);
	for (int i = 0; i < 77; i++) {
		r = flow(&e, CONFIG_L4_UDP, "2001:db8::3", (uint16_t)(6000 + i),
			 i + 1);
		assert_int_equal(r.v, NAT64_PASS);
		assert_true(r.s->local4.s_addr == home.s_addr);
	}
	r = flow(&e, CONFIG_L4_UDP, "2001:db8::4", 6000, 1);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_POOL4);
	env_close(&e);
}

/* --- max-sessions-per-prefix ---------------------------------------------- */

static void test_prefix_limit(void **state)
{
	struct env e;
	struct nat64_result r, one;

	(void)state;
	env_open(&e, "max-sessions-per-prefix 3\n", NULL);
	one = flow(&e, CONFIG_L4_UDP, "2001:db8:0:1::1", 1000, 1);
	assert_int_equal(one.v, NAT64_PASS);
	assert_int_equal(flow(&e, CONFIG_L4_UDP, "2001:db8:0:1::2", 1000,
			      1).v, NAT64_PASS);
	assert_int_equal(flow(&e, CONFIG_L4_UDP, "2001:db8:0:1:ff::3", 1000,
			      1).v, NAT64_PASS);
	/* A fourth address of the same /64: refused like a host over its
	 * limit, with address unreachable. */
	r = flow(&e, CONFIG_L4_UDP, "2001:db8:0:1::4", 1000, 1);
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_PREFIX_LIMIT);
	assert_int_equal(r.icmp_type, 1);
	assert_int_equal(r.icmp_code, 3);
	assert_int_equal(e.st->nbib[CONFIG_L4_UDP], 3);
	/* ...and from IPv4: "administratively prohibited". */
	r = in4(&e, f4(CONFIG_L4_UDP, "198.51.100.9", 53, "192.0.2.2",
		       one.s->lport4, 0));
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_PREFIX_LIMIT);
	assert_int_equal(r.icmp_code, 13);
	/* Another /64 has its own three. */
	assert_int_equal(flow(&e, CONFIG_L4_UDP, "2001:db8:0:2::1", 1000,
			      1).v, NAT64_PASS);
	/* host-prefix-length 48 at run time: one customer, four sessions. */
	env_resync(&e, "mode nat64\npool6 64:ff9b::/96\n"
		   "pool4 192.0.2.2 1-3000\n"
		   "max-sessions-per-prefix 4\nhost-prefix-length 48\n");
	r = flow(&e, CONFIG_L4_UDP, "2001:db8:0:3::1", 1000, 1);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_PREFIX_LIMIT);
	/* 128: the limit is per address. */
	env_resync(&e, "mode nat64\npool6 64:ff9b::/96\n"
		   "pool4 192.0.2.2 1-3000\n"
		   "max-sessions-per-prefix 1\nhost-prefix-length 128\n");
	assert_int_equal(flow(&e, CONFIG_L4_UDP, "2001:db8:0:1::4", 1000,
			      1).v, NAT64_PASS);
	r = flow(&e, CONFIG_L4_UDP, "2001:db8:0:1::4", 1000, 2);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_PREFIX_LIMIT);
	/* Expiry gives the count back. */
	e.now += 300000;
	assert_int_equal(expire(&e), 5);
	assert_int_equal(e.st->prefixes.count, 0);
	assert_int_equal(e.st->hosts.count, 0);
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portmap_first),
		cmocka_unit_test(test_fill_one_address),
		cmocka_unit_test(test_start_points),
		cmocka_unit_test(test_paired),
		cmocka_unit_test(test_paired_full),
		cmocka_unit_test(test_paired_pool4_change),
		cmocka_unit_test(test_prefix_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
