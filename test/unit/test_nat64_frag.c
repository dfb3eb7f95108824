// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fragments through the core in mode nat64 (reassembly both ways), and
 * hostile input: truncations and mutations of packets of every kind,
 * fragments included, with the counters balanced at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nat64_pkt.h"

/* RFC 6146 3.4: fragments are reassembled, the whole is translated. */
static void test_fragments6(void **state)
{
	struct nenv *n = *state;
	uint8_t whole[PB_MAX], f1[PB_MAX], f2[PB_MAX];
	uint8_t big[600];
	struct pb6 h = { .src = "2001:db8::5", .dst = "64:ff9b::192.0.2.5",
			 .proto = 17 };
	const uint8_t *o;
	size_t l, l1, l2;

	memset(big, 0x5a, sizeof(big));
	l = pb_udp(n->l4, 5000, 53, big, sizeof(big));
	pb_ip6(whole, &h, n->l4, l);
	l1 = pb_frag6(f1, whole, 0, 304, true, 0x1234);
	l2 = pb_frag6(f2, whole, 304, l - 304, false, 0x1234);
	/* Out of order: the last part first. Kept, which is no drop. */
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f2, l2), XLAT_HELD);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f1, l1), XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + l);
	assert_true(pb_is_a4(o + 12, "192.0.2.2"));
	assert_int_not_equal(pb_rd16(o + 20), 5000);
	/* Was fragmented: DF=0, the low 16 bits of the identification. */
	assert_int_equal(pb_rd16(o + 6), 0);
	assert_int_equal(pb_rd16(o + 4), 0x1234);
	assert_int_equal(pb_l4_resid4(o), 0xffff);
	assert_memory_equal(o + 28, big, sizeof(big));
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_FRAG_HELD), 1);

	/* Overlapping parts (RFC 5722): the packet is dropped. */
	l1 = pb_frag6(f1, whole, 0, 304, true, 0x99);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f1, l1), XLAT_HELD);
	l2 = pb_frag6(f2, whole, 296, l - 296, false, 0x99);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f2, l2), XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_FRAG_OVERLAP), 1);
	assert_int_equal(n->pb.out.count, 0);

	/* Too late: after 2 s the first part is forgotten. */
	l1 = pb_frag6(f1, whole, 0, 304, true, 0x77);
	pb_run(&n->pb, XLAT_SIDE_V6, f1, l1);
	n->pb.now_ms += 2000;
	l2 = pb_frag6(f2, whole, 304, l - 304, false, 0x77);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f2, l2), XLAT_HELD);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_REASM_TIMEOUT), 1);
}

/*
 * A reassembled packet larger than the IPv4 MTU was fragmented by its
 * source: it leaves as DF=0 IPv4 fragments (RFC 7915 5.1), not as a
 * Packet Too Big, which the source could do nothing about.
 */
static void test_fragments6_over_mtu(void **state)
{
	struct nenv *n = *state;
	uint8_t whole[PB_MAX], f1[PB_MAX], f2[PB_MAX], got[4000];
	uint8_t big[3000];
	struct pb6 h = { .src = "2001:db8::5", .dst = "64:ff9b::192.0.2.5",
			 .proto = 17 };
	size_t l, l1, l2, i, total = 0;

	pb_pattern(big, sizeof(big), 4);
	l = pb_udp(n->l4, 5000, 53, big, sizeof(big));
	pb_ip6(whole, &h, n->l4, l);
	l1 = pb_frag6(f1, whole, 0, 1448, true, 0xabcd1234);
	l2 = pb_frag6(f2, whole, 1448, l - 1448, false, 0xabcd1234);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f1, l1), XLAT_HELD);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f2, l2), XLAT_TRANSLATED);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_ICMP6_ERR_SENT), 0);
	/* Counted as sent by whoever sends them (pb_run here). */
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_FRAGS_OUT), 3);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_TX_V4), 3);
	assert_int_equal(n->pb.out.count, 3);	/* 3008 bytes, MTU 1500 */
	for (i = 0; i < n->pb.out.count; i++) {
		const uint8_t *o = n->pb.out.pkt[i].data;
		size_t len = n->pb.out.pkt[i].len;
		uint16_t frag = pb_rd16(o + 6);

		pb_check_pkt(&n->pb.out.pkt[i]);
		assert_true(len <= 1500);
		assert_int_equal(n->pb.out.pkt[i].side, XLAT_SIDE_V4);
		assert_int_equal(pb_rd16(o + 4), 0x1234);
		assert_int_equal(frag & 0x4000, 0);		/* DF=0 */
		assert_int_equal((frag & 0x1fff) * 8, total);
		assert_int_equal(!!(frag & 0x2000), i + 1 < n->pb.out.count);
		memcpy(got + total, o + 20, len - 20);
		total += len - 20;
	}
	assert_int_equal(total, l);
	assert_memory_equal(got + 8, big, sizeof(big));
}

/* From IPv4: reassembled, then cut again for the IPv6 side. */
static void test_fragments4(void **state)
{
	struct nenv *n = *state;
	uint8_t whole[PB_MAX], frag[PB_MAX], back[PB_MAX];
	uint8_t big[3000], proto;
	uint16_t p = out_udp(n, 5000);
	struct pb4 h = { .src = "192.0.2.5", .dst = "192.0.2.2", .proto = 17,
			 .id = 0xbeef };
	size_t l, len, got;
	uint32_t id;

	pb_pattern(big, sizeof(big), 9);
	l = pb_udp(n->l4, 53, p, big, sizeof(big));
	pb_ip4(whole, &h, n->l4, l);
	for (size_t off = 0; off < l; off += 1480) {
		size_t part = l - off < 1480 ? l - off : 1480;

		len = pb_frag4(frag, whole, off, part, off + part < l);
		assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, frag, len),
				 off + part < l ? XLAT_HELD : XLAT_TRANSLATED);
	}
	/* 3008 bytes of UDP: three IPv6 fragments of at most 1280 bytes. */
	assert_int_equal(n->pb.out.count, 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_true(n->pb.out.pkt[i].len <= 1280);
		pb_check_pkt(&n->pb.out.pkt[i]);
	}
	got = pb_reasm6(&n->pb.out, back, &proto, &id);
	assert_int_equal(got, l);
	assert_int_equal(proto, 17);
	assert_int_equal(id, 0xbeef);
	assert_int_equal(pb_rd16(back), 53);
	assert_int_equal(pb_rd16(back + 2), 5000);
	assert_memory_equal(back + 8, big, sizeof(big));
}

/* --- hostile input --------------------------------------------------------- */

static uint32_t rng = 2463534242u;

static uint32_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Every input is translated or dropped for one counted reason. */
static void check_balance(const struct nenv *n)
{
	const struct xlat_stats *st = &n->pb.st;
	uint64_t in = st->c[XLAT_CNT_RX_V4] + st->c[XLAT_CNT_RX_V6];
	uint64_t out = st->c[XLAT_CNT_XLAT_6TO4] + st->c[XLAT_CNT_XLAT_4TO6] +
		       st->c[XLAT_CNT_NAT64_SO_STORED] +
		       st->c[XLAT_CNT_FRAG_HELD];

	for (int c = 0; c < XLAT_CNT_MAX; c++)
		if (!strncmp(xlat_counter_info[c].name, "drop_", 5))
			out += st->c[c];
	assert_true(in == out);
}

static void feed(struct nenv *n, enum xlat_side side, const uint8_t *p,
		 size_t len)
{
	uint8_t buf[1600];

	memcpy(buf, p, len);
	if (pb_run(&n->pb, side, buf, len) == XLAT_TRANSLATED)
		assert_true(n->pb.out.count >= 1);
	for (unsigned int i = 0; i < n->pb.out.count; i++)
		pb_check_pkt(&n->pb.out.pkt[i]);
	n->pb.now_ms += 7;
	if (xorshift() % 64 == 0) {
		n->pb.now_ms += 7000;
		xlat_out_reset(&n->pb.out);
		while (run_timers(n))
			xlat_out_reset(&n->pb.out);
	}
}

struct sample {
	enum xlat_side side;
	uint8_t p[1600];
	size_t len;
};

static void add(struct sample *c, size_t *nc, enum xlat_side side,
		const uint8_t *p, size_t len)
{
	assert_true(len <= sizeof(c->p));
	c[*nc].side = side;
	c[*nc].len = len;
	memcpy(c[*nc].p, p, len);
	(*nc)++;
}

static void mutate_all(struct nenv *n, const struct sample *c)
{
	for (size_t len = 0; len <= c->len; len++)
		feed(n, c->side, c->p, len);
	for (int m = 0; m < 2000; m++) {
		uint8_t buf[1600];
		size_t lim = c->len < 96 ? c->len : 96;

		memcpy(buf, c->p, c->len);
		for (uint32_t k = xorshift() % 4 + 1; k; k--)
			buf[xorshift() % lim] ^=
				(uint8_t)(1u << (xorshift() % 8));
		feed(n, c->side, buf, c->len);
	}
}

/* Truncations and byte mutations of packets of every kind, both ways. */
static void test_hostile(void **state)
{
	struct nenv *n = *state;
	struct sample *c = calloc(10, sizeof(*c));
	struct pb4 h4 = { .src = "198.51.100.9", .dst = "192.0.2.2",
			  .proto = 1 };
	struct pb6 h6 = { .src = "2001:db8::5", .dst = "64:ff9b::c000:205",
			  .proto = 58 };
	uint16_t p = out_udp(n, 5000);
	size_t nc = 0, l;

	assert_non_null(c);
	add(c, &nc, XLAT_SIDE_V6, n->pkt, udp6(n, 5000, "64:ff9b::192.0.2.5"));
	add(c, &nc, XLAT_SIDE_V4, n->pkt, udp4(n, "192.0.2.5", 53, p));
	add(c, &nc, XLAT_SIDE_V4, n->pkt, syn4(n, 1500));
	/* Errors both ways, quoting the UDP packets of the session. */
	pb_run(&n->pb, XLAT_SIDE_V6, c[0].p, c[0].len);
	l = pb_icmp(n->l4, 3, 3, 0, n->pb.out.pkt[0].data,
		    n->pb.out.pkt[0].len);
	add(c, &nc, XLAT_SIDE_V4, n->pkt, pb_ip4(n->pkt, &h4, n->l4, l));
	pb_run(&n->pb, XLAT_SIDE_V4, c[1].p, c[1].len);
	l = pb_icmp(n->l4, 1, 4, 0, n->pb.out.pkt[0].data,
		    n->pb.out.pkt[0].len);
	add(c, &nc, XLAT_SIDE_V6, n->pkt, pb_ip6(n->pkt, &h6, n->l4, l));
	/* Fragments both ways (reassembly slots under fire). */
	{
		uint8_t whole[1600];
		struct pb6 hu = { .src = "2001:db8::5",
				  .dst = "64:ff9b::192.0.2.5", .proto = 17 };
		struct pb4 hf = { .src = "192.0.2.5", .dst = "192.0.2.2",
				  .proto = 17, .id = 7 };

		l = pb_udp(n->l4, 5000, 53, payload, sizeof(payload));
		pb_ip6(whole, &hu, n->l4, l);
		add(c, &nc, XLAT_SIDE_V6, n->pkt,
		    pb_frag6(n->pkt, whole, 8, l - 8, false, 5));
		l = pb_udp(n->l4, 53, p, payload, sizeof(payload));
		pb_ip4(whole, &hf, n->l4, l);
		add(c, &nc, XLAT_SIDE_V4, n->pkt,
		    pb_frag4(n->pkt, whole, 0, 8, true));
	}
	/* A hairpinned echo. */
	l = pb_icmp(n->l4, 128, 0, 99u << 16, payload, sizeof(payload));
	h6.dst = "64:ff9b::192.0.2.2";
	add(c, &nc, XLAT_SIDE_V6, n->pkt, pb_ip6(n->pkt, &h6, n->l4, l));
	for (size_t i = 0; i < nc; i++)
		mutate_all(n, &c[i]);
	assert_true(n->pb.st.c[XLAT_CNT_RX_V4] + n->pb.st.c[XLAT_CNT_RX_V6] >
		    6 * 2000);
	assert_true(n->pb.st.c[XLAT_CNT_RX_V4] + n->pb.st.c[XLAT_CNT_RX_V6] >
		    6 * 2000);
	check_balance(n);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fragments6_over_mtu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragments6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragments4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
