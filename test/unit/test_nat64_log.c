// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAT64 logging (nat64_log.h) and port blocks (nat64_block.c): the exact
 * lines for bindings, sessions (made, expired on the test's clock,
 * removed by a reload), static bindings, blocks lent and released,
 * debug lines; the reload toggles; block exhaustion counters; lines lost
 * by the hook counted; and the log volume of 1,000 flows from 10 hosts
 * with and without blocks (docs/nat-logging.md quotes it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nat64_env.h"
#include "nat64_log.h"

#define MAXLINES	4096

/* The hook's lines, formatted at the state's clock as wall time. */
struct sink {
	char line[MAXLINES][NAT64_EVENT_LINE_MAX];
	size_t n;
	uint64_t by_type[NAT64_EV_DEBUG + 1];
	bool refuse;		/* answer "lost" */
};

static struct sink sink;

static int sink_event(void *arg, const struct nat64_event *ev)
{
	struct sink *s = arg;

	if (s->refuse)
		return -1;
	s->by_type[ev->type]++;
	if (s->n < MAXLINES)
		assert_true(nat64_event_format(ev, ev->now_ms, s->line[s->n++],
					       NAT64_EVENT_LINE_MAX) > 0);
	return 0;
}

static const struct nat64_log_ops sink_ops = { .event = sink_event };

static void sink_reset(void)
{
	memset(&sink, 0, sizeof(sink));
}

/* A state under text with the sink installed before its first sync. */
static void open_logged(struct env *e, const char *text)
{
	sink_reset();
	env_open_logged(e, text, NULL, &sink_ops, &sink);
}

#define BASE "mode nat64\npool6 64:ff9b::/96\nwkp-allow-non-global yes\n"

static const char one_port[] = BASE
	"pool4 192.0.2.2 61001 udp\nudp-timeout 120\n"
	"logging-bib yes\nlogging-session yes\n";

static void test_bib_session_lines(void **state)
{
	struct env e;

	(void)state;
	open_logged(&e, one_port);
	assert_int_equal(sink.n, 0);
	assert_int_equal(in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 40000,
				    "203.0.113.9", 53, 0)).v, NAT64_PASS);
	/* A second packet of the flow: nothing new. */
	e.now += 1000;
	assert_int_equal(in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 40000,
				    "203.0.113.9", 53, 0)).v, NAT64_PASS);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.line[0],
		"NAT64 BIB add proto=udp v6=[2001:db8::5]:40000 "
		"v4=192.0.2.2:61001 static=no time=1970-01-01T00:16:40.000Z");
	assert_string_equal(sink.line[1],
		"NAT64 session add proto=udp v6=[2001:db8::5]:40000 "
		"v4=192.0.2.2:61001 dst4=203.0.113.9:53 "
		"dst6=[64:ff9b::cb00:7109]:53 time=1970-01-01T00:16:40.000Z");
	/* Idle 120 s after its last packet: the timers remove both. */
	e.now += 119999;
	assert_int_equal(expire(&e), 0);
	e.now += 1;
	assert_int_equal(expire(&e), 1);
	assert_int_equal(sink.n, 4);
	assert_string_equal(sink.line[2],
		"NAT64 session del proto=udp v6=[2001:db8::5]:40000 "
		"v4=192.0.2.2:61001 dst4=203.0.113.9:53 "
		"dst6=[64:ff9b::cb00:7109]:53 reason=expired "
		"time=1970-01-01T00:18:41.000Z");
	assert_string_equal(sink.line[3],
		"NAT64 BIB del proto=udp v6=[2001:db8::5]:40000 "
		"v4=192.0.2.2:61001 static=no reason=expired "
		"time=1970-01-01T00:18:41.000Z");
	env_close(&e);
}

/* TCP and ICMP, and a reload that takes pool4 away ("config"). */
static void test_tcp_icmp_reload(void **state)
{
	struct env e;

	(void)state;
	open_logged(&e, BASE "pool4 192.0.2.2 5000 tcp\n"
			"pool4 192.0.2.2 7 icmp\nlogging-bib yes\n");
	assert_int_equal(in6(&e, f6(CONFIG_L4_TCP, "2001:db8::a", 1234,
				    "198.51.100.1", 80, NAT64_TCP_SYN)).v,
			 NAT64_PASS);
	assert_int_equal(in6(&e, f6(CONFIG_L4_ICMP, "2001:db8::a", 99,
				    "198.51.100.1", 0, 0)).v, NAT64_PASS);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.line[0],
		"NAT64 BIB add proto=tcp v6=[2001:db8::a]:1234 "
		"v4=192.0.2.2:5000 static=no time=1970-01-01T00:16:40.000Z");
	assert_string_equal(sink.line[1],
		"NAT64 BIB add proto=icmp v6=[2001:db8::a]:99 "
		"v4=192.0.2.2:7 static=no time=1970-01-01T00:16:40.000Z");
	env_resync(&e, BASE "pool4 192.0.2.3 5000 tcp\nlogging-bib yes\n");
	assert_int_equal(sink.n, 4);
	/* Hash order between the two: look for each. */
	assert_true(!strcmp(sink.line[2],
		"NAT64 BIB del proto=tcp v6=[2001:db8::a]:1234 "
		"v4=192.0.2.2:5000 static=no reason=config "
		"time=1970-01-01T00:16:40.000Z") ||
		    !strcmp(sink.line[3],
		"NAT64 BIB del proto=tcp v6=[2001:db8::a]:1234 "
		"v4=192.0.2.2:5000 static=no reason=config "
		"time=1970-01-01T00:16:40.000Z"));
	env_close(&e);
}

/* Static bindings: added by the sync, removed by one without them. */
static void test_static(void **state)
{
	struct env e;

	(void)state;
	open_logged(&e, BASE "pool4 192.0.2.2 1-3000\n"
			"bib udp 192.0.2.9#7000 2001:db8::7#7001\n"
			"logging-bib yes\n");
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.line[0],
		"NAT64 BIB add proto=udp v6=[2001:db8::7]:7001 "
		"v4=192.0.2.9:7000 static=yes time=1970-01-01T00:00:00.000Z");
	/* Its session comes and goes; the binding stays. */
	assert_int_equal(in6(&e, f6(CONFIG_L4_UDP, "2001:db8::7", 7001,
				    "203.0.113.9", 53, 0)).v, NAT64_PASS);
	e.now += 300000;
	assert_int_equal(expire(&e), 1);
	assert_int_equal(sink.n, 1);
	env_resync(&e, BASE "pool4 192.0.2.2 1-3000\nlogging-bib yes\n");
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.line[1],
		"NAT64 BIB del proto=udp v6=[2001:db8::7]:7001 "
		"v4=192.0.2.9:7000 static=yes reason=config "
		"time=1970-01-01T00:21:40.000Z");
	env_close(&e);
}

/* The configuration in force decides: a reload turns logging on. */
static void test_toggle(void **state)
{
	struct env e;

	(void)state;
	open_logged(&e, BASE "pool4 192.0.2.2 1-3000\n");
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 1000, "203.0.113.9", 53, 0));
	assert_int_equal(sink.n, 0);
	env_resync(&e, BASE "pool4 192.0.2.2 1-3000\nlogging-session yes\n");
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 1001, "203.0.113.9", 53, 0));
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.by_type[NAT64_EV_SESS_ADD], 1);
	env_resync(&e, BASE "pool4 192.0.2.2 1-3000\nlogging-bib yes\n");
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 1002, "203.0.113.9", 53, 0));
	assert_int_equal(sink.n, 2);
	assert_int_equal(sink.by_type[NAT64_EV_BIB_ADD], 1);
	/* Lines the hook could not keep are counted. */
	sink.refuse = true;
	in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 1003, "203.0.113.9", 53, 0));
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_LOG_DROPPED], 1);
	sink.refuse = false;
	env_close(&e);
}

static void test_debug(void **state)
{
	struct env e;

	(void)state;
	open_logged(&e, BASE "pool4 192.0.2.2 1-3000\nlogging-debug yes\n");
	assert_int_equal(in4(&e, f4(CONFIG_L4_UDP, "203.0.113.9", 53,
				    "192.0.2.2", 999, 0)).v, NAT64_REFUSE);
	assert_int_equal(in6(&e, f6(CONFIG_L4_TCP, "2001:db8::5", 1000,
				    "203.0.113.9", 80, 0)).v, NAT64_DROP);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.line[0],
		"NAT64 debug proto=udp from=v4 src=203.0.113.9:53 "
		"dst=192.0.2.2:999 reason=drop_nat64_no_binding "
		"time=1970-01-01T00:16:40.000Z");
	assert_string_equal(sink.line[1],
		"NAT64 debug proto=tcp from=v6 src=[2001:db8::5]:1000 "
		"dst=[64:ff9b::cb00:7109]:80 reason=drop_nat64_no_session "
		"time=1970-01-01T00:16:40.000Z");
	env_close(&e);
}

/* --- port blocks ------------------------------------------------------------ */

static const char blocks_conf[] = BASE
	"pool4 192.0.2.2 1024-1223 udp\nudp-timeout 120\n"
	"pool4-block-size 100\npool4-blocks-per-host 1\n"
	"logging-bib yes\n";

static uint16_t bind6(struct env *e, const char *src, uint16_t sport)
{
	struct nat64_result r = in6(e, f6(CONFIG_L4_UDP, src, sport,
					  "203.0.113.9", 53, 0));

	assert_int_equal(r.v, NAT64_PASS);
	return r.s->lport4;
}

static void block_line(char *buf, const char *what, const char *pfx,
		       uint16_t lo, const char *tail)
{
	snprintf(buf, NAT64_EVENT_LINE_MAX,
		 "NAT64 block %s proto=udp v6=%s v4=192.0.2.2 ports=%u-%u %s",
		 what, pfx, lo, lo + 99, tail);
}

static void test_blocks(void **state)
{
	char want[NAT64_EVENT_LINE_MAX];
	struct nat64_result r;
	struct nat64_counts c;
	struct env e;
	uint16_t lo, p;

	(void)state;
	open_logged(&e, blocks_conf);
	/* Two hosts of one /64 share its block: one line for 100. */
	p = bind6(&e, "2001:db8::5", 40000);
	lo = (uint16_t)(1024 + (p - 1024) / 100 * 100);
	for (uint16_t i = 1; i < 100; i++) {
		p = bind6(&e, i % 2 ? "2001:db8::6" : "2001:db8::5",
			  (uint16_t)(40000 + i));
		assert_in_range(p, lo, lo + 99);
	}
	assert_int_equal(sink.n, 1);
	block_line(want, "add", "2001:db8::/64", lo,
		   "time=1970-01-01T00:16:40.000Z");
	assert_string_equal(sink.line[0], want);
	/* Full, and one block per host: refused and counted. */
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8::5", 50000, "203.0.113.9",
		       53, 0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_POOL4);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_BLOCK_HOST_FULL], 1);
	/* Another /64 gets the other block. */
	p = bind6(&e, "2001:db8:1::5", 40000);
	assert_int_equal(sink.n, 2);
	block_line(want, "add", "2001:db8:1::/64", lo == 1024 ? 1124 : 1024,
		   "time=1970-01-01T00:16:40.000Z");
	assert_string_equal(sink.line[1], want);
	/* A third finds none. */
	r = in6(&e, f6(CONFIG_L4_UDP, "2001:db8:2::5", 40000, "203.0.113.9",
		       53, 0));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_POOL4);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_BLOCK_POOL4_FULL], 1);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_BLOCK_HOST_FULL], 1);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_BLOCK_ADDED], 2);
	nat64_state_counts(e.st, &c);
	assert_int_equal(c.blocks[CONFIG_L4_UDP], 2);
	assert_int_equal(c.pool4_used[CONFIG_L4_UDP], 101);
	/* All expire: each block goes with its last binding. */
	e.now += 120000;
	assert_int_equal(expire(&e), 101);
	assert_int_equal(sink.n, 4);
	assert_int_equal(sink.by_type[NAT64_EV_BLOCK_DEL], 2);
	assert_int_equal(sink.by_type[NAT64_EV_BIB_DEL], 0);
	block_line(want, "del", "2001:db8::/64", lo,
		   "reason=expired time=1970-01-01T00:18:40.000Z");
	assert_true(!strcmp(sink.line[2], want) || !strcmp(sink.line[3], want));
	nat64_state_counts(e.st, &c);
	assert_int_equal(c.blocks[CONFIG_L4_UDP], 0);
	assert_int_equal(c.pool4_used[CONFIG_L4_UDP], 0);
	/* The range is free again: a new prefix can have it. */
	bind6(&e, "2001:db8:2::5", 40000);
	assert_int_equal(sink.by_type[NAT64_EV_BLOCK_ADD], 3);
	env_close(&e);
}

/* A second block when the first is full, at the same address; a
 * reload that turns blocks off keeps the live block's ports its own. */
static void test_second_block_and_off(void **state)
{
	struct env e;
	uint16_t p, first_lo = 0;

	(void)state;
	open_logged(&e, BASE "pool4 192.0.2.2 1024-1423 udp\n"
			"pool4-block-size 100\nlogging-bib yes\n");
	for (uint16_t i = 0; i < 150; i++) {
		p = bind6(&e, "2001:db8::5", (uint16_t)(2000 + i));
		if (i == 0)
			first_lo = (uint16_t)(1024 + (p - 1024) / 100 * 100);
	}
	assert_int_equal(sink.by_type[NAT64_EV_BLOCK_ADD], 2);
	env_resync(&e, BASE "pool4 192.0.2.2 1024-1423 udp\nlogging-bib yes\n");
	/* One by one now: never inside the blocks still lent. */
	for (uint16_t i = 0; i < 150; i++) {
		p = bind6(&e, "2001:db8:9::5", (uint16_t)(2000 + i));
		assert_false(p >= first_lo && p <= first_lo + 99);
	}
	assert_int_equal(sink.by_type[NAT64_EV_BIB_ADD], 150);
	env_close(&e);
}

/* A block goes with its bindings when a reload takes its address out of
 * pool4 (reason=config), or when `bib remove` forgets its last binding
 * (reason=admin). */
static void test_block_reload_forget(void **state)
{
	char want[NAT64_EVENT_LINE_MAX], tail[80];
	struct nat64_counts c;
	struct nat64_bib gone;
	struct in_addr x4;
	struct env e;
	uint16_t p, lo;

	(void)state;
	open_logged(&e, blocks_conf);
	for (uint16_t i = 0; i < 3; i++)
		p = bind6(&e, "2001:db8::5", (uint16_t)(40000 + i));
	lo = (uint16_t)(1024 + (p - 1024) / 100 * 100);
	env_resync(&e, BASE "pool4 192.0.2.5 1024-1223 udp\n"
		       "pool4-block-size 100\nlogging-bib yes\n");
	nat64_state_counts(e.st, &c);
	assert_int_equal(c.blocks[CONFIG_L4_UDP], 0);
	assert_int_equal(c.bib[CONFIG_L4_UDP], 0);
	assert_int_equal(sink.n, 2);
	block_line(want, "del", "2001:db8::/64", lo,
		   "reason=config time=1970-01-01T00:16:40.000Z");
	assert_string_equal(sink.line[1], want);
	/* The next one comes from the new address. */
	p = bind6(&e, "2001:db8::5", 40010);
	assert_non_null(strstr(sink.line[2], " v4=192.0.2.5 ports="));
	x4 = a4("192.0.2.5");
	assert_int_equal(nat64_bib_forget(e.st, &e.cfg, &e.stats, e.now,
					  CONFIG_L4_UDP, false, &x4, p, &gone),
			 0);
	assert_int_equal(sink.n, 4);
	lo = (uint16_t)(1024 + (p - 1024) / 100 * 100);
	snprintf(tail, sizeof(tail), "ports=%u-%u reason=admin time=", lo,
		 lo + 99);
	assert_non_null(strstr(sink.line[3], tail));
	assert_int_equal(strncmp(sink.line[3], "NAT64 block del proto=udp "
				 "v6=2001:db8::/64 v4=192.0.2.5 ", 56), 0);
	env_close(&e);
}

/* --- volume: 1,000 flows from 10 hosts -------------------------------------- */

static uint64_t volume(const char *extra)
{
	char text[512];
	struct env e;
	uint64_t n;

	snprintf(text, sizeof(text), BASE "pool4 192.0.2.0/28 udp\n"
		 "udp-timeout 120\nlogging-bib yes\nlogging-session yes\n%s",
		 extra);
	open_logged(&e, text);
	for (int h = 0; h < 10; h++) {
		char src[64];

		snprintf(src, sizeof(src), "2001:db8:%x::1", h);
		for (int f = 0; f < 100; f++)
			bind6(&e, src, (uint16_t)(10000 + f));
	}
	e.now += 120000;
	assert_int_equal(expire(&e), 1000);
	n = sink.by_type[NAT64_EV_BIB_ADD] + sink.by_type[NAT64_EV_BIB_DEL] +
	    sink.by_type[NAT64_EV_BLOCK_ADD] + sink.by_type[NAT64_EV_BLOCK_DEL];
	assert_int_equal(sink.by_type[NAT64_EV_SESS_ADD], 1000);
	assert_int_equal(sink.by_type[NAT64_EV_SESS_DEL], 1000);
	env_close(&e);
	return n;
}

static void test_volume(void **state)
{
	uint64_t plain, blocks128, blocks64;

	(void)state;
	plain = volume("");
	blocks128 = volume("pool4-block-size 128\n");
	blocks64 = volume("pool4-block-size 64\n");
	/* Each binding made and removed; each block lent and released. */
	assert_int_equal(plain, 2000);
	assert_int_equal(blocks128, 20);
	assert_int_equal(blocks64, 40);
	printf("natlog-volume: 1000 UDP flows, 10 hosts (/64 each), "
	       "add+del lines: bib=%llu blocks128=%llu blocks64=%llu "
	       "sessions=2000\n", (unsigned long long)plain,
	       (unsigned long long)blocks128, (unsigned long long)blocks64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bib_session_lines),
		cmocka_unit_test(test_tcp_icmp_reload),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_toggle),
		cmocka_unit_test(test_debug),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_second_block_and_off),
		cmocka_unit_test(test_block_reload_forget),
		cmocka_unit_test(test_volume),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
