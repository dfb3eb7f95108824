// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Jool's NAT64 global settings on the NAT64 state: f-args (the fields of
 * the RFC 6056 algorithm 3 hash F) with concrete ports under the fixed
 * key key_a, and handle-rst-during-fin-rcv through the TCP states of RFC
 * 6146 3.5.2.2, their lifetimes and their expiry; drop-icmpv6-info in
 * mode nat64 (no session made for a dropped ping).
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
#include "nat64_pkt.h"

#define SYN	NAT64_TCP_SYN
#define FIN	NAT64_TCP_FIN
#define RST	NAT64_TCP_RST
#define ACK	0x10

/* --- f-args -------------------------------------------------------------- */

/* pool4 192.0.2.2 UDP 1-65535 and the given f-args (-1: none given). */
static void open_fargs(struct env *e, int fargs)
{
	char conf[256], line[32] = "";

	if (fargs >= 0)
		snprintf(line, sizeof(line), "f-args %d\n", fargs);
	snprintf(conf, sizeof(conf),
		 "mode nat64\npool6 64:ff9b::/96\nwkp-allow-non-global yes\n"
		 "pool4 192.0.2.2 udp\n%s", line);
	env_open_text(e, conf, NULL);
}

static uint16_t udp_port(struct env *e, const char *src, uint16_t sport,
			 const char *dst, uint16_t dport)
{
	struct nat64_result r = in6(e, f6(CONFIG_L4_UDP, src, sport, dst,
					  dport, 0));

	assert_int_equal(r.v, NAT64_PASS);
	assert_non_null(r.s);
	return r.s->lport4;
}

/*
 * The four bindings: host A to two destinations, then host B, then host
 * A again from another source port of the same parity. Every source port
 * is even and above 1023: each binding wants an even port of 1024-65535,
 * whose candidates go two by two, and next_ephemeral adds one candidate
 * per binding: a binding whose F equals the first one's lands 2 * k
 * ports after the first (k bindings later).
 */
static void four_bindings(struct env *e, uint16_t p[4])
{
	p[0] = udp_port(e, "2001:db8::a", 40000, "198.51.100.1", 53);
	p[1] = udp_port(e, "2001:db8::a", 40002, "198.51.100.2", 123);
	p[2] = udp_port(e, "2001:db8::b", 40000, "198.51.100.1", 53);
	p[3] = udp_port(e, "2001:db8::a", 40004, "198.51.100.1", 53);
}

/*
 * The default is 11 (source address, destination address and port):
 * the fields F always hashed, so these are the ports translatord gave
 * before f-args existed (checked against the code before it).
 */
static void test_fargs_default(void **state)
{
	static const uint16_t want[4] = { 42050, 51336, 4238, 42056 };
	struct env e;
	uint16_t p[4];

	(void)state;
	open_fargs(&e, -1);
	assert_int_equal(e.cfg.nat64.f_args, 11);
	four_bindings(&e, p);
	for (int i = 0; i < 4; i++)
		if (p[i] != want[i])
			fail_msg("binding %d: port %u, expected %u", i, p[i],
				 want[i]);
	env_close(&e);
	open_fargs(&e, 11);
	four_bindings(&e, p);
	assert_memory_equal(p, want, sizeof(want));
	env_close(&e);
}

/* 8: the source address only. One host's bindings start from one F,
 * whatever they talk to; another host's from another. */
static void test_fargs_src_addr(void **state)
{
	struct env e;
	uint16_t p[4];

	(void)state;
	open_fargs(&e, 8);
	four_bindings(&e, p);
	assert_int_equal(p[1], p[0] + 2);
	assert_int_equal(p[3], p[0] + 6);
	assert_true(p[2] < p[0] - 100 || p[2] > p[0] + 100);
	assert_int_equal(p[0], 6784);
	assert_int_equal(p[2], 2646);
	env_close(&e);
}

/* 0: F is a constant; 4: the source port only (A and B from 40000 start
 * together, A from 40002 elsewhere). */
static void test_fargs_none_and_sport(void **state)
{
	struct env e;
	uint16_t p[4];

	(void)state;
	open_fargs(&e, 0);
	assert_int_equal(e.cfg.nat64.f_args, 0);
	four_bindings(&e, p);
	for (int i = 1; i < 4; i++)
		assert_int_equal(p[i], p[0] + 2 * i);
	env_close(&e);
	open_fargs(&e, 4);
	four_bindings(&e, p);
	assert_int_equal(p[2], p[0] + 4);
	assert_true(p[1] < p[0] - 100 || p[1] > p[0] + 100);
	assert_int_equal(p[0], 9456);
	assert_int_equal(p[1], 2248);
	env_close(&e);
}

/* A reload applies at once: the next binding uses the new mask. */
static void test_fargs_reload(void **state)
{
	struct env e;
	char err[256];
	uint16_t a, b;

	(void)state;
	open_fargs(&e, 11);
	a = udp_port(&e, "2001:db8::a", 40000, "198.51.100.1", 53);
	assert_int_equal(config_apply_line(&e.cfg, "f-args 8", err,
					   sizeof(err)), 0);
	b = udp_port(&e, "2001:db8::a", 40002, "198.51.100.9", 9);
	/* The second binding under mask 8, as in test_fargs_src_addr. */
	assert_int_equal(a, 42050);
	assert_int_equal(b, 6786);
	env_close(&e);
}

/* --- handle-rst-during-fin-rcv ------------------------------------------- */

static struct nat64_session *tcp_sess(struct env *e)
{
	struct in6_addr x = a6("2001:db8::5"), y = a6("64:ff9b::c000:205");

	return nat64_sess_find6(e->st, CONFIG_L4_TCP, &x, 40000, &y, 80);
}

static struct nat64_result tcp6(struct env *e, uint8_t flags)
{
	return in6(e, f6(CONFIG_L4_TCP, "2001:db8::5", 40000, "192.0.2.5", 80,
			 flags));
}

static struct nat64_result tcp4(struct env *e, uint8_t flags)
{
	return in4(e, f4(CONFIG_L4_TCP, "192.0.2.5", 80, "192.0.2.2",
			 tcp_sess(e)->lport4, flags));
}

/* SYN from IPv6, SYN+ACK from IPv4, then the FIN of one side. */
static void to_fin_rcv(struct env *e, bool fin_from6)
{
	assert_int_equal(tcp6(e, SYN).v, NAT64_PASS);
	assert_int_equal(tcp4(e, SYN | ACK).v, NAT64_PASS);
	assert_int_equal(tcp_sess(e)->state, NAT64_TCP_ESTABLISHED);
	e->now += 1000;
	assert_int_equal((fin_from6 ? tcp6(e, FIN | ACK)
				    : tcp4(e, FIN | ACK)).v, NAT64_PASS);
	assert_int_equal(tcp_sess(e)->state, fin_from6 ? NAT64_TCP_V6_FIN_RCV
						       : NAT64_TCP_V4_FIN_RCV);
}

/*
 * Each FIN RCV state, a RST from either side: with the option the
 * session turns TRANS on the transitory timer and is gone after
 * tcp-trans-timeout; without it (RFC 6146) it stays, established timer.
 */
static void test_rst_in_fin_rcv(void **state)
{
	(void)state;
	for (int opt = 0; opt < 2; opt++)
		for (int fin6 = 0; fin6 < 2; fin6++)
			for (int rst6 = 0; rst6 < 2; rst6++) {
				struct env e;
				struct nat64_session *s;
				enum nat64_tcp_state fin_state;

				env_open(&e, opt ? "handle-rst-during-fin-rcv yes\n"
						 : NULL, NULL);
				assert_int_equal(e.cfg.nat64.handle_rst_during_fin_rcv,
						 opt);
				to_fin_rcv(&e, fin6);
				s = tcp_sess(&e);
				fin_state = (enum nat64_tcp_state)s->state;
				e.now += 1000;
				assert_int_equal((rst6 ? tcp6(&e, RST)
						       : tcp4(&e, RST)).v,
						 NAT64_PASS);
				assert_ptr_equal(tcp_sess(&e), s);
				assert_true(s->touched_ms == e.now);
				assert_int_equal(s->state, opt ? NAT64_TCP_TRANS
							       : fin_state);
				assert_int_equal(s->timer,
						 opt ? NAT64_T_TCP_TRANS
						     : NAT64_T_TCP_EST);
				/* tcp-trans-timeout 240 s later */
				e.now += 240 * 1000 + 1;
				assert_int_equal(expire(&e), opt ? 1 : 0);
				assert_true(opt ? tcp_sess(&e) == NULL
						: tcp_sess(&e) == s);
				env_close(&e);
			}
}

/* The other arcs of the FIN RCV states do not change with the option. */
static void test_rst_option_scope(void **state)
{
	struct env e;
	struct nat64_session *s;

	(void)state;
	env_open(&e, "handle-rst-during-fin-rcv yes\n", NULL);
	to_fin_rcv(&e, false);
	e.now += 1000;
	assert_int_equal(tcp6(&e, ACK).v, NAT64_PASS);
	s = tcp_sess(&e);
	assert_int_equal(s->state, NAT64_TCP_V4_FIN_RCV);
	assert_int_equal(s->timer, NAT64_T_TCP_EST);
	assert_int_equal(tcp6(&e, FIN | ACK).v, NAT64_PASS);
	assert_int_equal(s->state, NAT64_TCP_V4_FIN_V6_FIN_RCV);
	/* V4 FIN + V6 FIN RCV: a RST changes nothing (RFC 6146). */
	e.now += 1000;
	assert_int_equal(tcp4(&e, RST).v, NAT64_PASS);
	assert_int_equal(s->state, NAT64_TCP_V4_FIN_V6_FIN_RCV);
	assert_true(s->touched_ms == e.now - 1000);
	env_close(&e);
}

/* --- drop-icmpv6-info in mode nat64 ---------------------------------------- */

static void test_drop_icmpv6_info(void **state)
{
	struct nenv *n = reconf(state, "drop-icmpv6-info yes\n");
	struct pb6 h6 = { .src = "2001:db8::5", .dst = "64:ff9b::192.0.2.5",
			  .proto = 58 };
	size_t l;

	for (uint8_t type = 128; type <= 129; type++) {
		l = pb_icmp(n->l4, type, 0, 1234u << 16 | 7, payload,
			    sizeof(payload));
		assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
					pb_ip6(n->pkt, &h6, n->l4, l)),
				 XLAT_DROP);
		assert_int_equal(n->pb.out.count, 0);
	}
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_ICMP6_INFO), 2);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SESSION_ADDED), 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_BIB_ADDED), 0);
	assert_int_equal(pb_drops(&n->pb), 2);
	/* UDP still crosses. */
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 40000, "64:ff9b::192.0.2.5")),
			 XLAT_TRANSLATED);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SESSION_ADDED), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fargs_default),
		cmocka_unit_test(test_fargs_src_addr),
		cmocka_unit_test(test_fargs_none_and_sport),
		cmocka_unit_test(test_fargs_reload),
		cmocka_unit_test(test_rst_in_fin_rcv),
		cmocka_unit_test(test_rst_option_scope),
		cmocka_unit_test_setup_teardown(test_drop_icmpv6_info, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
