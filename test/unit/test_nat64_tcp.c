// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP state machine of RFC 6146 section 3.5.2.2 on the NAT64 state:
 * every arc a packet takes, every arc time takes, IPv4-initiated
 * connections and the simultaneous open.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nat64_env.h"

#define SYN	NAT64_TCP_SYN
#define FIN	NAT64_TCP_FIN
#define RST	NAT64_TCP_RST
#define ACK	0x10

/* The session of 2001:db8::5#40000 <-> 192.0.2.5#80, or NULL. */
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
	struct nat64_session *s = tcp_sess(e);

	return in4(e, f4(CONFIG_L4_TCP, "192.0.2.5", 80, "192.0.2.2",
			 s ? s->lport4 : 2000, flags));
}

/* Leads a new session into state st (by packets), at e->now. */
static void tcp_goto(struct env *e, enum nat64_tcp_state st)
{
	assert_int_equal(tcp6(e, SYN).v, NAT64_PASS);
	assert_int_equal(tcp_sess(e)->state, NAT64_TCP_V6_INIT);
	if (st == NAT64_TCP_V6_INIT)
		return;
	assert_int_equal(tcp4(e, SYN | ACK).v, NAT64_PASS);
	if (st == NAT64_TCP_V4_FIN_RCV || st == NAT64_TCP_V4_FIN_V6_FIN_RCV)
		tcp4(e, FIN | ACK);
	if (st == NAT64_TCP_V6_FIN_RCV)
		tcp6(e, FIN | ACK);
	if (st == NAT64_TCP_V4_FIN_V6_FIN_RCV)
		tcp6(e, FIN | ACK);
	if (st == NAT64_TCP_TRANS)
		tcp6(e, RST);
	assert_int_equal(tcp_sess(e)->state, st);
}

struct arc {
	enum nat64_tcp_state from;
	bool v6;
	uint8_t flags;
	enum nat64_tcp_state to;
	int timer;		/* class after, or -1: lifetime untouched */
};

/* Every arc of the state machine that a packet takes. */
static const struct arc arcs[] = {
	{ NAT64_TCP_V6_INIT, false, SYN | ACK, NAT64_TCP_ESTABLISHED, NAT64_T_TCP_EST },
	{ NAT64_TCP_V6_INIT, true, SYN, NAT64_TCP_V6_INIT, NAT64_T_TCP_TRANS },
	{ NAT64_TCP_V6_INIT, true, ACK, NAT64_TCP_V6_INIT, -1 },
	{ NAT64_TCP_V6_INIT, false, ACK, NAT64_TCP_V6_INIT, -1 },
	{ NAT64_TCP_ESTABLISHED, false, FIN | ACK, NAT64_TCP_V4_FIN_RCV, NAT64_T_TCP_EST },
	{ NAT64_TCP_ESTABLISHED, true, FIN | ACK, NAT64_TCP_V6_FIN_RCV, NAT64_T_TCP_EST },
	{ NAT64_TCP_ESTABLISHED, false, RST, NAT64_TCP_TRANS, NAT64_T_TCP_TRANS },
	{ NAT64_TCP_ESTABLISHED, true, RST, NAT64_TCP_TRANS, NAT64_T_TCP_TRANS },
	{ NAT64_TCP_ESTABLISHED, true, ACK, NAT64_TCP_ESTABLISHED, NAT64_T_TCP_EST },
	{ NAT64_TCP_ESTABLISHED, false, ACK, NAT64_TCP_ESTABLISHED, NAT64_T_TCP_EST },
	{ NAT64_TCP_V4_FIN_RCV, true, FIN | ACK, NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_T_TCP_TRANS },
	{ NAT64_TCP_V4_FIN_RCV, false, ACK, NAT64_TCP_V4_FIN_RCV, NAT64_T_TCP_EST },
	{ NAT64_TCP_V4_FIN_RCV, true, ACK, NAT64_TCP_V4_FIN_RCV, NAT64_T_TCP_EST },
	{ NAT64_TCP_V6_FIN_RCV, false, FIN | ACK, NAT64_TCP_V4_FIN_V6_FIN_RCV, NAT64_T_TCP_TRANS },
	{ NAT64_TCP_V6_FIN_RCV, true, ACK, NAT64_TCP_V6_FIN_RCV, NAT64_T_TCP_EST },
	{ NAT64_TCP_V4_FIN_V6_FIN_RCV, true, ACK, NAT64_TCP_V4_FIN_V6_FIN_RCV, -1 },
	{ NAT64_TCP_V4_FIN_V6_FIN_RCV, false, ACK, NAT64_TCP_V4_FIN_V6_FIN_RCV, -1 },
	{ NAT64_TCP_TRANS, true, ACK, NAT64_TCP_ESTABLISHED, NAT64_T_TCP_EST },
	{ NAT64_TCP_TRANS, false, ACK, NAT64_TCP_ESTABLISHED, NAT64_T_TCP_EST },
	{ NAT64_TCP_TRANS, false, RST, NAT64_TCP_TRANS, -1 },
	{ NAT64_TCP_TRANS, true, RST, NAT64_TCP_TRANS, -1 },
};

static void test_tcp_arcs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(arcs) / sizeof(arcs[0]); i++) {
		const struct arc *a = &arcs[i];
		struct nat64_session *s;
		struct env e;
		int64_t t0;
		uint8_t timer0;

		env_open(&e, NULL, NULL);
		tcp_goto(&e, a->from);
		s = tcp_sess(&e);
		t0 = s->touched_ms;
		timer0 = s->timer;
		e.now += 1000;
		assert_int_equal((a->v6 ? tcp6(&e, a->flags) :
				  tcp4(&e, a->flags)).v, NAT64_PASS);
		assert_ptr_equal(tcp_sess(&e), s);
		if (s->state != a->to)
			fail_msg("arc %zu: %s -> %s, expected %s", i,
				 nat64_tcp_state_name(a->from),
				 nat64_tcp_state_name(s->state),
				 nat64_tcp_state_name(a->to));
		if (a->timer < 0) {
			assert_true(s->touched_ms == t0);
			assert_int_equal(s->timer, timer0);
		} else {
			assert_true(s->touched_ms == e.now);
			assert_int_equal(s->timer, a->timer);
		}
		env_close(&e);
	}
}

/* The arcs that time takes, with the default timeouts. */
static void test_tcp_expiry(void **state)
{
	static const struct {
		enum nat64_tcp_state from;
		int64_t after;		/* ms */
		enum nat64_tcp_state to;	/* CLOSED: session gone */
	} t[] = {
		{ NAT64_TCP_V6_INIT, 240000, NAT64_TCP_CLOSED },
		{ NAT64_TCP_ESTABLISHED, 7200000, NAT64_TCP_TRANS },
		{ NAT64_TCP_V4_FIN_RCV, 7200000, NAT64_TCP_CLOSED },
		{ NAT64_TCP_V6_FIN_RCV, 7200000, NAT64_TCP_CLOSED },
		{ NAT64_TCP_V4_FIN_V6_FIN_RCV, 240000, NAT64_TCP_CLOSED },
		{ NAT64_TCP_TRANS, 240000, NAT64_TCP_CLOSED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct env e;

		env_open(&e, NULL, NULL);
		tcp_goto(&e, t[i].from);
		e.now += t[i].after - 1;
		assert_int_equal(expire(&e), 0);
		assert_int_equal(tcp_sess(&e)->state, t[i].from);
		e.now += 1;
		assert_int_equal(expire(&e), 1);
		if (t[i].to == NAT64_TCP_CLOSED) {
			assert_null(tcp_sess(&e));
			/* The dynamic binding went with its last session. */
			assert_int_equal(e.st->nbib[CONFIG_L4_TCP], 0);
		} else {
			assert_int_equal(tcp_sess(&e)->state, t[i].to);
			e.now += 240000;
			assert_int_equal(expire(&e), 1);
			assert_null(tcp_sess(&e));
		}
		env_close(&e);
	}
}

/* CLOSED with an IPv4 SYN and a binding: V4 INIT, then the IPv6 SYN. */
static void test_tcp_v4_init(void **state)
{
	struct env e;
	struct nat64_session *s;
	struct nat64_result r;

	(void)state;
	env_open(&e, "bib tcp 192.0.2.2#80 2001:db8::5#8080\n", NULL);
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 3333, "192.0.2.2", 80, SYN));
	assert_int_equal(r.v, NAT64_PASS);
	s = r.s;
	assert_int_equal(s->state, NAT64_TCP_V4_INIT);
	assert_int_equal(s->timer, NAT64_T_TCP_TRANS);
	e.now += 500;
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 3333, "192.0.2.2", 80, ACK));
	assert_int_equal(s->state, NAT64_TCP_V4_INIT);
	assert_true(s->touched_ms == e.now - 500);
	r = in6(&e, f6(CONFIG_L4_TCP, "2001:db8::5", 8080, "192.0.2.5", 3333,
		       SYN | ACK));
	assert_ptr_equal(r.s, s);
	assert_int_equal(s->state, NAT64_TCP_ESTABLISHED);
	assert_int_equal(s->timer, NAT64_T_TCP_EST);
	/* V4 INIT that nobody answers ends with its transitory lifetime. */
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.6", 3333, "192.0.2.2", 80, SYN));
	assert_int_equal(r.s->state, NAT64_TCP_V4_INIT);
	e.now += 240000;
	assert_int_equal(expire(&e), 1);
	assert_int_equal(nsess(&e), 1);
	/* Idle established: transitory first, then gone; the static
	 * binding stays without sessions. */
	e.now += 7200000;
	assert_int_equal(expire(&e), 1);
	assert_int_equal(s->state, NAT64_TCP_TRANS);
	e.now += 240000;
	assert_int_equal(expire(&e), 1);
	assert_int_equal(nsess(&e), 0);
	assert_int_equal(e.st->nbib[CONFIG_L4_TCP], 1);
	/* drop-externally-initiated-tcp refuses IPv4 SYNs quietly. */
	e.cfg.nat64.drop_externally_initiated_tcp = true;
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 3333, "192.0.2.2", 80, SYN));
	assert_int_equal(r.v, NAT64_DROP);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_EXT_TCP);
	/* Non-SYN from IPv6 without session: dropped. */
	r = in6(&e, f6(CONFIG_L4_TCP, "2001:db8::5", 8080, "192.0.2.9", 1, ACK));
	assert_int_equal(r.v, NAT64_DROP);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_NO_SESSION);
	env_close(&e);
}

static int count_answers(void *arg, const struct nat64_stored *k)
{
	(*(int *)arg)++;
	assert_false(k->v6);
	assert_int_equal(k->len, 44);
	return 0;
}

/* CLOSED with an IPv4 SYN and no binding: kept 6 s (RFC 6146 3.5.2.2). */
static void test_simultaneous_open(void **state)
{
	struct env e;
	struct nat64_result r;
	struct nat64_op op;
	int answers = 0;

	(void)state;
	env_open(&e, "maximum-simultaneous-opens 2\n", NULL);
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 2601, "192.0.2.2", 2600, SYN));
	assert_int_equal(r.v, NAT64_STORED);
	assert_null(r.s->bib);
	assert_int_equal(e.st->nstored, 1);
	/* Its repetition is dropped, not kept twice. */
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 2601, "192.0.2.2", 2600, SYN));
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_SO_WAIT);
	/* The IPv6 SYN of the other end, in time: bound to that port. */
	r = in6(&e, f6(CONFIG_L4_TCP, "2001:db8::5", 2600, "192.0.2.5", 2601,
		       SYN));
	assert_int_equal(r.v, NAT64_PASS);
	assert_int_equal(r.s->lport4, 2600);
	assert_int_equal(r.s->state, NAT64_TCP_ESTABLISHED);
	assert_null(r.s->stored);
	assert_int_equal(e.st->nstored, 0);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_SO_OPENED], 1);

	/* Two kept; the third is answered at once. */
	in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 1, "192.0.2.2", 1500, SYN));
	in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 2, "192.0.2.2", 1500, SYN));
	r = in4(&e, f4(CONFIG_L4_TCP, "192.0.2.5", 3, "192.0.2.2", 1500, SYN));
	assert_int_equal(r.v, NAT64_REFUSE);
	assert_int_equal(r.reason, XLAT_CNT_DROP_NAT64_SO_FULL);
	assert_int_equal(r.icmp_code, 3);
	/* Unanswered for 6 s: port unreachable about each (by the owner). */
	e.now += 5999;
	op = op_at(&e);
	assert_int_equal(nat64_expire(&op, 100, count_answers, &answers), 0);
	e.now += 1;
	op = op_at(&e);
	assert_int_equal(nat64_expire(&op, 100, count_answers, &answers), 2);
	assert_int_equal(answers, 2);
	assert_int_equal(e.st->nstored, 0);
	assert_int_equal(e.stats.c[XLAT_CNT_NAT64_SO_EXPIRED], 2);
	env_close(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_arcs),
		cmocka_unit_test(test_tcp_expiry),
		cmocka_unit_test(test_tcp_v4_init),
		cmocka_unit_test(test_simultaneous_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
