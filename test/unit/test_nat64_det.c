// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool4-deterministic (common/det_map.h, translator/nat64/nat64_det.c):
 * the function's exact values both ways, the parser's refusals, and the
 * bindings of the NAT64 state staying inside each customer's block.
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

/* 256 customers, 8 addresses x 32 blocks of 2016 ports from 1024. */
#define BASE "mode nat64\npool6 64:ff9b::/96\npool4 192.0.2.2\n" \
	"pool4 198.51.100.0/29\n"
#define DET "pool4-deterministic 2001:db8:c::/120 198.51.100.0/29 2016\n"

static struct det_entry entry(const char *line)
{
	struct config cfg;
	char err[256];
	char text[512];
	struct det_entry e;

	snprintf(text, sizeof(text), "%s%s", BASE, line);
	if (config_parse_string("t", text, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.nat64.det_count, 1);
	e = cfg.nat64.det[0];
	config_free(&cfg);
	return e;
}

static void check_fwd(const struct det_entry *e, const char *six,
		      uint64_t idx, const char *four, uint16_t lo, uint16_t hi)
{
	struct in6_addr a = a6(six), c;
	struct in_addr got;
	uint16_t l, h;
	uint64_t i;

	assert_true(det_index(e, &a, &i));
	assert_int_equal(i, idx);
	det_forward(e, i, &got, &l, &h);
	assert_int_equal(got.s_addr, a4(four).s_addr);
	assert_int_equal(l, lo);
	assert_int_equal(h, hi);
	/* Back: every port of the block names the same customer. */
	assert_true(det_reverse(e, &got, lo, &i));
	assert_int_equal(i, idx);
	assert_true(det_reverse(e, &got, hi, &i));
	assert_int_equal(i, idx);
	det_customer(e, idx, &c);
	assert_true(det_index(e, &c, &i));
	assert_int_equal(i, idx);
}

static void test_function(void **state)
{
	struct det_entry e = entry(DET);
	struct in6_addr out = a6("2001:db8:c::100"), c;
	struct in_addr v4;
	uint64_t i;

	(void)state;
	assert_int_equal(det_blocks(&e), 32);
	assert_int_equal(det_hosts(&e), 256);
	assert_int_equal(det_naddrs(&e), 8);
	check_fwd(&e, "2001:db8:c::", 0, "198.51.100.0", 1024, 3039);
	check_fwd(&e, "2001:db8:c::1", 1, "198.51.100.0", 3040, 5055);
	check_fwd(&e, "2001:db8:c::85", 133, "198.51.100.4", 11104, 13119);
	check_fwd(&e, "2001:db8:c::ff", 255, "198.51.100.7", 63520, 65535);
	assert_false(det_index(&e, &out, &i));
	/* Reverse: inside a block, below the first port, outside. */
	v4 = a4("198.51.100.4");
	assert_true(det_reverse(&e, &v4, 12000, &i));
	assert_int_equal(i, 133);
	det_customer(&e, i, &c);
	out = a6("2001:db8:c::85");
	assert_memory_equal(&c, &out, 16);
	assert_false(det_reverse(&e, &v4, 1023, &i));
	v4 = a4("198.51.100.8");
	assert_false(det_reverse(&e, &v4, 2000, &i));
	v4 = a4("198.51.100.7");
	assert_true(det_reverse(&e, &v4, 65535, &i));
	assert_int_equal(i, 255);
}

/* Customers are /64s of a /57 (HOST-LENGTH), from port 3000. */
static void test_host_length(void **state)
{
	struct det_entry e = entry("pool4-deterministic 2001:db8:100::/57 "
				   "198.51.100.0/29 2000 3000 64\n");
	struct in6_addr c, want = a6("2001:db8:100:45::");

	(void)state;
	assert_int_equal(det_blocks(&e), 31);	/* 62536 / 2000 */
	assert_int_equal(det_hosts(&e), 128);
	check_fwd(&e, "2001:db8:100:45:1:2:3:4", 69, "198.51.100.2", 17000,
		  18999);
	check_fwd(&e, "2001:db8:100:7f:ffff::1", 127, "198.51.100.4", 9000,
		  10999);
	det_customer(&e, 69, &c);
	assert_memory_equal(&c, &want, 16);
}

/* Each refusal names its numbers; nothing of the line is kept. */
static void test_parse_errors(void **state)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
		{ "pool4-deterministic 2001:db8:c::/120 198.51.100.0/29 2048\n",
		  "t:5: pool4-deterministic: 256 customers (/128 in /120) do "
		  "not fit in 8 addresses x 31 blocks of 2048 ports (from "
		  "1024) = 248" },
		{ "pool4-deterministic 2001:db8:c::/120 198.51.100.0/28 2016\n",
		  "t:5: pool4-deterministic: 198.51.100.0/28 1024-65535 is not "
		  "inside one tcp pool4 entry (put the pool4 line first)" },
		{ "pool4-deterministic 2001:db8:c::/120 198.51.100.0/29 0\n",
		  "t:5: pool4-deterministic: ports per customer must be "
		  "1..65535 and the first port 1..65535" },
		{ "pool4-deterministic 2001:db8:c::/120 198.51.100.0/29 2016 "
		  "1024 112\n",
		  "t:5: pool4-deterministic: host length /112 is not within "
		  "/120..128" },
		{ "pool4-deterministic 2001:db8::/32 198.51.100.0/29 1 1 96\n",
		  "t:5: pool4-deterministic: /96 customers in a /32 are more "
		  "than 2^32" },
		{ "pool4-deterministic 2001:db8:c::/120 198.51.100.0/29 60000 "
		  "10000\n",
		  "t:5: pool4-deterministic: no block of 60000 ports fits in "
		  "10000-65535" },
		{ DET "pool4-deterministic 2001:db8:c::80/121 198.51.100.0/30 "
		  "4\n",
		  "t:6: pool4-deterministic: overlaps the earlier entry of the "
		  "same or an enclosing prefix" },
		{ "pool4-deterministic 2001:db8:c::/120 198.51.100.0/29\n",
		  NULL },
	};
	struct config cfg;
	char err[256], text[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s%s", BASE, bad[i].line);
		assert_int_equal(config_parse_string("t", text, &cfg, err,
						     sizeof(err)), -1);
		if (bad[i].msg)
			assert_string_equal(err, bad[i].msg);
		assert_int_equal(cfg.nat64.det_count, 0);
	}
}

/* The writer's line parses back to the same entry. */
static void test_write_back(void **state)
{
	struct config cfg, again;
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(config_parse_string("t", BASE DET, &cfg, err,
					     sizeof(err)), 0);
	f = open_memstream(&text, &len);
	config_write(&cfg, f);
	fclose(f);
	assert_non_null(strstr(text, "pool4-deterministic 2001:db8:c::/120 "
			       "198.51.100.0/29 2016 1024 128\n"));
	assert_int_equal(config_parse_string("w", text, &again, err,
					     sizeof(err)), 0);
	assert_int_equal(again.nat64.det_count, 1);
	det_entry_str(again.nat64.det, err, sizeof(err));
	assert_string_equal(err, "2001:db8:c::/120 198.51.100.0/29 2016 1024 "
			    "128");
	free(text);
	config_free(&cfg);
	config_free(&again);
}

/* Four customers of four ports each, all on 198.51.100.0. */
#define SMALL "mode nat64\npool6 64:ff9b::/96\npool4 192.0.2.2\n" \
	"pool4 198.51.100.0/30\n" \
	"pool4-deterministic 2001:db8:c::/126 198.51.100.0/30 4 1024\n"

static void test_bindings_in_block(void **state)
{
	static const enum config_l4 l4s[] = { CONFIG_L4_TCP, CONFIG_L4_UDP,
					      CONFIG_L4_ICMP };
	struct nat64_result r;
	struct env e;
	uint8_t seen[3][4];

	(void)state;
	memset(seen, 0, sizeof(seen));
	env_open_text(&e, SMALL, NULL);
	for (int k = 0; k < 3; k++) {
		for (uint16_t s = 0; s < 4; s++) {
			r = in6(&e, f6(l4s[k], "2001:db8:c::2", 40000 + s,
				       "203.0.113.9", 80, NAT64_TCP_SYN));
			assert_int_equal(r.v, NAT64_PASS);
			assert_int_equal(r.s->local4.s_addr,
					 a4("198.51.100.0").s_addr);
			/* Customer 2: ports 1032-1035, each once. */
			assert_in_range(r.s->lport4, 1032, 1035);
			assert_int_equal(seen[k][r.s->lport4 - 1032], 0);
			seen[k][r.s->lport4 - 1032] = 1;
		}
		/* The fifth: block full, refused, counted; no fallback. */
		r = in6(&e, f6(l4s[k], "2001:db8:c::2", 40009, "203.0.113.9",
			       80, NAT64_TCP_SYN));
		assert_int_equal(r.v, NAT64_REFUSE);
		assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_POOL4);
		assert_int_equal(e.stats.c[XLAT_CNT_NAT64_DET_BLOCK_FULL],
				 k + 1);
	}
	/* Another customer still has its own block. */
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8:c::3", 5, "203.0.113.9", 53,
		       0));
	assert_int_equal(r.v, NAT64_PASS);
	assert_in_range(r.s->lport4, 1036, 1039);
	/* A host outside every entry: the dynamic pool4, never the
	 * deterministic addresses. */
	for (uint16_t s = 0; s < 50; s++) {
		r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::1", 1000 + s,
			       "203.0.113.9", 53, 0));
		assert_int_equal(r.v, NAT64_PASS);
		assert_int_equal(r.s->local4.s_addr, a4("192.0.2.2").s_addr);
	}
	/* An IPv4 packet to a block port without binding: no binding. */
	r = in4(&e, f4(CONFIG_L4_UDP, "203.0.113.9", 53, "198.51.100.0", 1024,
		       0));
	assert_int_equal(r.v, NAT64_REFUSE);
	env_close(&e);
}

/* With port blocks (pool4-block-size) for the other hosts: their blocks
 * never land on the deterministic addresses; customers keep theirs. */
static void test_with_port_blocks(void **state)
{
	struct nat64_result r;
	struct env e;

	(void)state;
	env_open_text(&e, SMALL "pool4-block-size 64\n", NULL);
	for (uint16_t s = 0; s < 200; s++) {
		char src[64];

		snprintf(src, sizeof(src), "2001:db8::%x", s + 1);
		r = in6(&e, f6(CONFIG_L4_UDP, src, 1000, "203.0.113.9", 53, 0));
		if (r.v != NAT64_PASS)
			break;	/* 192.0.2.2's blocks ran out */
		assert_int_equal(r.s->local4.s_addr, a4("192.0.2.2").s_addr);
	}
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8:c::1", 7, "203.0.113.9", 53,
		       0));
	assert_int_equal(r.v, NAT64_PASS);
	assert_int_equal(r.s->local4.s_addr, a4("198.51.100.0").s_addr);
	assert_in_range(r.s->lport4, 1028, 1031);
	env_close(&e);
}

/* Bindings made before an entry existed go at the reload that adds it. */
static void test_reload_drops_misplaced(void **state)
{
	struct nat64_result r;
	struct env e;
	struct config cfg;
	char err[256];

	(void)state;
	env_open_text(&e, "mode nat64\npool6 64:ff9b::/96\n"
		      "pool4 198.51.100.0/30\npool4 192.0.2.2\n", NULL);
	for (uint16_t s = 0; s < 20; s++) {
		r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8:c::2", 2000 + s,
			       "203.0.113.9", 53, 0));
		assert_int_equal(r.v, NAT64_PASS);
	}
	assert_int_equal(config_parse_string("t", SMALL, &cfg, err,
					     sizeof(err)), 0);
	config_free(&e.cfg);
	e.cfg = cfg;
	assert_int_equal(nat64_state_sync(e.st, &e.cfg, &e.stats, err,
					  sizeof(err)), 0);
	/* Every binding left agrees with the mapping (at most 4 can). */
	assert_true(e.st->nbib[CONFIG_L4_UDP] <= 4);
	for (uint16_t s = 0; s < 20; s++) {
		struct in6_addr c = a6("2001:db8:c::2");
		const struct nat64_bib *b = nat64_bib_find6(e.st,
							    CONFIG_L4_UDP,
							    &c, 2000 + s);

		if (!b)
			continue;
		assert_int_equal(b->addr4.s_addr, a4("198.51.100.0").s_addr);
		assert_in_range(b->port4, 1032, 1035);
	}
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8:c::2", 3000, "203.0.113.9",
		       53, 0));
	assert_int_equal(r.v, NAT64_PASS);
	assert_in_range(r.s->lport4, 1032, 1035);
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_function),
		cmocka_unit_test(test_host_length),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_write_back),
		cmocka_unit_test(test_bindings_in_block),
		cmocka_unit_test(test_with_port_blocks),
		cmocka_unit_test(test_reload_drops_misplaced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
