// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reassembler (translator/core/reasm.h) on its own: order, overlaps
 * (RFC 5722), exact duplicates (RFC 8200 4.5), timeout, bounds, IPv4 and
 * IPv6, the whole packet byte for byte. Then through the core in mode
 * siit: fragmented ICMP is gathered, translated whole and cut to the MTU.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"
#include "reasm.h"

#define DATA_MAX	4096u

struct rt {
	struct reasm *r;
	struct xlat_stats st;
	uint8_t hdr4[24];	/* IPv4 header with one option word */
	uint8_t hdr6[40];
	uint8_t data[DATA_MAX];
	const uint8_t *whole;
	size_t len;
	enum xlat_counter why;
};

static struct rt *rt_new(const struct reasm_limits *lim)
{
	struct rt *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->r = reasm_new(lim);
	assert_non_null(t->r);
	/* IHL 6, TOS 0x10, id 0x4242, MF (ignored), TTL 9, ICMP. */
	memcpy(t->hdr4, (const uint8_t[]){ 0x46, 0x10, 0, 0, 0x42, 0x42,
					    0x20, 0, 9, 1, 0, 0,
					    192, 0, 2, 1, 198, 51, 100, 2,
					    1, 1, 1, 0 }, 24);
	memset(t->hdr6, 0, sizeof(t->hdr6));
	t->hdr6[0] = 0x60;
	t->hdr6[6] = 44;
	t->hdr6[7] = 33;
	pb_a6("2001:db8::1", t->hdr6 + 8);
	pb_a6("2001:db8::2", t->hdr6 + 24);
	pb_pattern(t->data, sizeof(t->data), 0x33);
	return t;
}

static void rt_free(struct rt *t)
{
	reasm_free(t->r);
	free(t);
}

/*
 * One fragment of t->data: [off, off + n), IPv4 (v 4) or IPv6 (v 6).
 * Past DATA_MAX (the size limits) its bytes come from the start.
 */
static enum reasm_res add(struct rt *t, int v, uint32_t id, uint32_t off,
			  size_t n, bool mf, int64_t now)
{
	struct reasm_frag f = {
		.version = (uint8_t)v, .id = id, .proto = v == 4 ? 1 : 58,
		.data = off + n <= DATA_MAX ? t->data + off : t->data,
		.data_len = n, .off = off, .mf = mf,
	};

	if (v == 4) {
		f.src = t->hdr4 + 12;
		f.dst = t->hdr4 + 16;
		f.hdr = t->hdr4;
		f.hdr_len = 24;
	} else {
		f.src = t->hdr6 + 8;
		f.dst = t->hdr6 + 24;
		f.hdr = t->hdr6;
		f.hdr_len = 40;
	}
	t->why = XLAT_CNT_MAX;
	return reasm_add(t->r, now, &f, &t->whole, &t->len, &t->st, &t->why);
}

/* The whole IPv4 packet: first fragment's header, DF=MF=0, new lengths. */
static void check_whole4(const struct rt *t, size_t n)
{
	uint8_t h[24];

	assert_int_equal(t->len, 24 + n);
	memcpy(h, t->hdr4, 24);
	pb_wr16(h + 2, (uint16_t)(24 + n));
	pb_wr16(h + 6, 0);
	assert_memory_equal(t->whole, h, 10);
	assert_memory_equal(t->whole + 12, h + 12, 12);
	assert_true(pb_ip4_hdr_ok(t->whole));
	assert_memory_equal(t->whole + 24, t->data, n);
}

/* The whole IPv6 packet: header, Fragment header offset 0 M=0, data. */
static void check_whole6(const struct rt *t, size_t n, uint32_t id)
{
	uint8_t h[48];

	assert_int_equal(t->len, 48 + n);
	memcpy(h, t->hdr6, 40);
	pb_wr16(h + 4, (uint16_t)(8 + n));
	memcpy(h + 40, (const uint8_t[]){ 58, 0, 0, 0 }, 4);
	pb_wr32(h + 44, id);
	assert_memory_equal(t->whole, h, 48);
	assert_memory_equal(t->whole + 48, t->data, n);
}

static void test_in_order4(void **state)
{
	struct rt *t = rt_new(NULL);

	(void)state;
	assert_int_equal(add(t, 4, 0x4242, 0, 16, true, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 0x4242, 16, 8, true, 1), REASM_HELD);
	assert_int_equal(reasm_pending(t->r), 1);
	assert_int_equal(add(t, 4, 0x4242, 24, 5, false, 2), REASM_DONE);
	check_whole4(t, 29);
	assert_int_equal(reasm_pending(t->r), 0);
	assert_int_equal(t->st.c[XLAT_CNT_FRAG_HELD], 2);
	assert_int_equal(t->st.c[XLAT_CNT_REASSEMBLED], 1);
	rt_free(t);
}

static void test_out_of_order6(void **state)
{
	struct rt *t = rt_new(NULL);

	(void)state;
	assert_int_equal(add(t, 6, 0xdeadbeef, 2048, 952, false, 0),
			 REASM_HELD);
	assert_int_equal(add(t, 6, 0xdeadbeef, 1024, 1024, true, 0),
			 REASM_HELD);
	assert_int_equal(add(t, 6, 0xdeadbeef, 0, 1024, true, 0), REASM_DONE);
	check_whole6(t, 3000, 0xdeadbeef);
	assert_int_equal(t->st.c[XLAT_CNT_REASSEMBLED], 1);
	rt_free(t);
}

/* Same addresses and id, other protocol or version: other packets. */
static void test_keys(void **state)
{
	struct rt *t = rt_new(NULL);
	struct reasm_frag f = {
		.version = 4, .src = t->hdr4 + 12, .dst = t->hdr4 + 16,
		.id = 7, .proto = 17, .hdr = t->hdr4, .hdr_len = 24,
		.data = t->data, .data_len = 8, .off = 0, .mf = true,
	};

	(void)state;
	assert_int_equal(add(t, 4, 7, 0, 8, true, 0), REASM_HELD);
	assert_int_equal(reasm_add(t->r, 0, &f, &t->whole, &t->len, &t->st,
				   &t->why), REASM_HELD);
	assert_int_equal(add(t, 6, 7, 0, 8, true, 0), REASM_HELD);
	assert_int_equal(reasm_pending(t->r), 3);
	assert_int_equal(add(t, 4, 7, 8, 8, false, 0), REASM_DONE);
	check_whole4(t, 16);
	assert_int_equal(reasm_pending(t->r), 2);
	rt_free(t);
}

/* RFC 5722: an overlap drops the whole packet; a fresh start works. */
static void test_overlap(void **state)
{
	struct rt *t = rt_new(NULL);

	(void)state;
	assert_int_equal(add(t, 6, 1, 0, 64, true, 0), REASM_HELD);
	assert_int_equal(add(t, 6, 1, 56, 64, false, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_OVERLAP);
	assert_int_equal(reasm_pending(t->r), 0);
	/* The rest of the packet starts anew, and waits for the head. */
	assert_int_equal(add(t, 6, 1, 64, 56, false, 0), REASM_HELD);
	/* A fragment covering two held ones is no duplicate either. */
	assert_int_equal(add(t, 6, 2, 0, 8, true, 0), REASM_HELD);
	assert_int_equal(add(t, 6, 2, 8, 8, true, 0), REASM_HELD);
	assert_int_equal(add(t, 6, 2, 0, 16, true, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_OVERLAP);
	/* IPv4 alike (RFC 1858). */
	assert_int_equal(add(t, 4, 3, 0, 16, true, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 3, 8, 16, false, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_OVERLAP);
	assert_int_equal(reasm_pending(t->r), 1);
	rt_free(t);
}

/* RFC 8200 4.5: an exact duplicate goes alone, its packet stays. */
static void test_duplicate(void **state)
{
	struct rt *t = rt_new(NULL);

	(void)state;
	assert_int_equal(add(t, 6, 9, 0, 32, true, 0), REASM_HELD);
	assert_int_equal(add(t, 6, 9, 0, 32, true, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_DUP);
	assert_int_equal(add(t, 6, 9, 32, 13, false, 0), REASM_DONE);
	check_whole6(t, 45, 9);
	/* The same place with other bytes is an overlap. */
	assert_int_equal(add(t, 4, 9, 0, 32, true, 0), REASM_HELD);
	t->data[3] ^= 1;
	assert_int_equal(add(t, 4, 9, 0, 32, true, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_OVERLAP);
	t->data[3] ^= 1;
	assert_int_equal(reasm_pending(t->r), 0);
	/* A last fragment repeated without its M=0 is not a copy. */
	assert_int_equal(add(t, 4, 10, 8, 8, true, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 10, 8, 8, false, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_OVERLAP);
	rt_free(t);
}

/* A packet not whole timeout_ms after its first fragment is forgotten. */
static void test_timeout(void **state)
{
	struct reasm_limits lim = { 4, 1u << 20, 2000 };
	struct rt *t = rt_new(&lim);

	(void)state;
	assert_int_equal(add(t, 4, 5, 0, 8, true, 1000), REASM_HELD);
	assert_int_equal(add(t, 4, 5, 8, 8, true, 2999), REASM_HELD);
	assert_int_equal(t->st.c[XLAT_CNT_REASM_TIMEOUT], 0);
	/* At 3000 the first two are gone: this one starts a packet. */
	assert_int_equal(add(t, 4, 5, 16, 8, false, 3000), REASM_HELD);
	assert_int_equal(t->st.c[XLAT_CNT_REASM_TIMEOUT], 1);
	assert_int_equal(reasm_pending(t->r), 1);
	assert_int_equal(add(t, 4, 5, 0, 16, true, 3001), REASM_DONE);
	check_whole4(t, 24);
	rt_free(t);
}

/* Slots and bytes are bounded; a finished packet frees its share. */
static void test_bounds(void **state)
{
	struct reasm_limits lim = { 2, 64, 2000 };
	struct rt *t = rt_new(&lim);

	(void)state;
	assert_int_equal(add(t, 4, 1, 0, 8, true, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 2, 0, 8, true, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 3, 0, 8, true, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_NO_ROOM);
	assert_int_equal(add(t, 4, 1, 8, 8, false, 0), REASM_DONE);
	assert_int_equal(add(t, 4, 3, 0, 8, true, 0), REASM_HELD);
	/* 16 bytes held: 56 more are over the 64. */
	assert_int_equal(add(t, 4, 3, 8, 56, false, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_NO_ROOM);
	assert_int_equal(reasm_pending(t->r), 1);
	assert_int_equal(add(t, 4, 4, 0, 48, true, 0), REASM_HELD);
	rt_free(t);
}

/* More than 65535 bytes whole, lengths that cannot be, are refused. */
static void test_too_big_malformed(void **state)
{
	struct rt *t = rt_new(NULL);
	uint32_t last = (65535u - 48u) & ~7u;

	(void)state;
	/* IPv6: 48 + end must fit; IPv4: the header (24 here) + end. */
	assert_int_equal(add(t, 6, 1, last, 8, false, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_TOO_BIG);
	assert_int_equal(add(t, 6, 1, last - 8, 8, false, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 1, 65535 - 24 - 8 + 1, 8, false, 0),
			 REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_TOO_BIG);
	/* Not a multiple of 8 with more to come; an empty middle one. */
	assert_int_equal(add(t, 4, 2, 0, 12, true, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_MALFORMED);
	assert_int_equal(add(t, 4, 2, 8, 0, true, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_MALFORMED);
	/* Past the end the last fragment gave, or a second end. */
	assert_int_equal(add(t, 4, 3, 8, 8, false, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 3, 16, 8, true, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_MALFORMED);
	assert_int_equal(add(t, 4, 4, 8, 8, false, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 4, 16, 8, false, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_MALFORMED);
	/* A last fragment before data already held. */
	assert_int_equal(add(t, 4, 5, 16, 8, true, 0), REASM_HELD);
	assert_int_equal(add(t, 4, 5, 0, 8, false, 0), REASM_REFUSED);
	assert_int_equal(t->why, XLAT_CNT_DROP_FRAG_MALFORMED);
	rt_free(t);
}

/* --- through the core, mode siit -------------------------------------- */

#define N4	"198.51.100.2"
#define N4_6	"2001:db8:1c6:3364:2::"
#define N6	"2001:db8:1c0:2:21::"
#define N6_4	"192.0.2.33"

static uint8_t whole[PB_MAX], pkt[PB_MAX], l4[PB_MAX], exp_l4[PB_MAX];
static uint8_t got[PB_MAX], msg[3000];

static int siit_setup(void **state)
{
	struct pb_env *env;

	pb_setup(state);
	env = *state;
	env->ctx.reasm = reasm_new(NULL);
	assert_non_null(env->ctx.reasm);
	return 0;
}

static int siit_teardown(void **state)
{
	struct pb_env *env = *state;

	reasm_free(env->ctx.reasm);
	return pb_teardown(state);
}

/*
 * An echo request of 3000 bytes cut by its IPv6 source: gathered,
 * translated whole, and cut again to the IPv4 MTU (1500) with DF=0 and
 * the low 16 bits of its Identification (RFC 7915 5.1), no Packet Too
 * Big; the ICMPv4 message is the translation of the whole, byte for byte.
 */
static void test_siit_icmp64(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 58 };
	size_t l, n, len, total = 0;
	uint16_t id;
	uint8_t proto;

	pb_pattern(msg, sizeof(msg), 0x64);
	l = pb_icmp(l4, 128, 0, 0x12340007, msg, sizeof(msg));
	pb_ip6(whole, &h, l4, l);
	/* The last part first, then the head: 1448 + 1448 + 112 bytes. */
	len = pb_frag6(pkt, whole, 2896, l - 2896, false, 0xabc0def1);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_HELD);
	assert_int_equal(env->out.count, 0);
	len = pb_frag6(pkt, whole, 0, 1448, true, 0xabc0def1);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_HELD);
	len = pb_frag6(pkt, whole, 1448, 1448, true, 0xabc0def1);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len),
			 XLAT_TRANSLATED);
	/* 20 + 3008 bytes over 1500: 1480 + 1480 + 48 of ICMPv4. */
	assert_int_equal(env->out.count, 3);
	for (unsigned int i = 0; i < env->out.count; i++) {
		const uint8_t *o = env->out.pkt[i].data;
		uint16_t frag = pb_rd16(o + 6);

		pb_check_pkt(&env->out.pkt[i]);
		assert_int_equal(env->out.pkt[i].side, XLAT_SIDE_V4);
		assert_true(env->out.pkt[i].len <= 1500);
		assert_int_equal(frag & 0x4000, 0);
		assert_int_equal((frag & 0x1fff) * 8, total);
		assert_int_equal(!!(frag & 0x2000), i + 1 < env->out.count);
		assert_int_equal(o[8], 63);
		assert_true(pb_is_a4(o + 12, N6_4));
		assert_true(pb_is_a4(o + 16, N4));
		total += env->out.pkt[i].len - 20;
	}
	n = pb_reasm4(&env->out, got, &proto, &id);
	assert_int_equal(n, l);
	assert_int_equal(proto, 1);
	assert_int_equal(id, 0xdef1);
	/* The echo request as an IPv4 host would have sent it. */
	pb_icmp(exp_l4, 8, 0, 0x12340007, msg, sizeof(msg));
	pb_wr16(exp_l4 + 2, pb_cksum(exp_l4, l, 0));
	assert_memory_equal(got, exp_l4, l);
	assert_int_equal(pb_cnt(env, XLAT_CNT_FRAG_HELD), 2);
	assert_int_equal(pb_cnt(env, XLAT_CNT_REASSEMBLED), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_XLAT_6TO4), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_FRAGS_OUT), 3);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), 0);
	assert_int_equal(pb_drops(env), 0);
}

/*
 * The other way: an IPv4 echo request in fragments of 1480 bytes,
 * gathered, translated whole to ICMPv6 (checksum over the whole message's
 * pseudo-header) and cut to IPv6 fragments of at most 1280 bytes carrying
 * the IPv4 Identification.
 */
static void test_siit_icmp46(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 1, .id = 0x7a7b };
	uint8_t s6[16], d6[16];
	size_t l, n, len;
	uint32_t id;
	uint8_t proto;

	pb_pattern(msg, sizeof(msg), 0x46);
	l = pb_icmp(l4, 8, 0, 0x00420001, msg, sizeof(msg));
	pb_ip4(whole, &h, l4, l);
	for (size_t off = 0; off < l; off += 1480) {
		size_t part = l - off < 1480 ? l - off : 1480;

		len = pb_frag4(pkt, whole, off, part, off + part < l);
		assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
				 off + part < l ? XLAT_HELD : XLAT_TRANSLATED);
	}
	assert_int_equal(env->out.count, 3);
	for (unsigned int i = 0; i < env->out.count; i++) {
		pb_check_pkt(&env->out.pkt[i]);
		assert_int_equal(env->out.pkt[i].side, XLAT_SIDE_V6);
		assert_true(env->out.pkt[i].len <= 1280);
		assert_true(pb_is_a6(env->out.pkt[i].data + 8, N4_6));
		assert_true(pb_is_a6(env->out.pkt[i].data + 24, N6));
	}
	n = pb_reasm6(&env->out, got, &proto, &id);
	assert_int_equal(n, l);
	assert_int_equal(proto, 58);
	assert_int_equal(id, 0x7a7b);
	pb_icmp(exp_l4, 128, 0, 0x00420001, msg, sizeof(msg));
	pb_a6(N4_6, s6);
	pb_a6(N6, d6);
	pb_wr16(exp_l4 + 2,
		pb_cksum(exp_l4, l, pb_pseudo6(s6, d6, 58, (uint32_t)l)));
	assert_memory_equal(got, exp_l4, l);
	assert_int_equal(pb_cnt(env, XLAT_CNT_FRAG_HELD), 2);
	assert_int_equal(pb_cnt(env, XLAT_CNT_REASSEMBLED), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_XLAT_4TO6), 1);
	assert_int_equal(pb_drops(env), 0);
}

/* Only ICMP is gathered in mode siit: UDP fragments pass one by one. */
static void test_siit_udp_stateless(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t l, len;

	l = pb_udp(l4, 4000, 4001, msg, 1000);
	pb_ip6(whole, &h, l4, l);
	len = pb_frag6(pkt, whole, 504, l - 504, false, 5);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len),
			 XLAT_TRANSLATED);
	pb_one(env, XLAT_SIDE_V4, 20 + l - 504);
	assert_int_equal(pb_cnt(env, XLAT_CNT_FRAG_HELD), 0);
	assert_int_equal(reasm_pending(env->ctx.reasm), 0);
}

/* An overlapping ICMP fragment is counted as such and held ones go. */
static void test_siit_icmp_overlap(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 58 };
	size_t l, len;

	l = pb_icmp(l4, 128, 0, 1, msg, 1000);
	pb_ip6(whole, &h, l4, l);
	len = pb_frag6(pkt, whole, 0, 504, true, 6);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_HELD);
	len = pb_frag6(pkt, whole, 496, l - 496, false, 6);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_FRAG_OVERLAP), 1);
	assert_int_equal(pb_drops(env), 1);
	assert_int_equal(reasm_pending(env->ctx.reasm), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order4),
		cmocka_unit_test(test_out_of_order6),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_too_big_malformed),
		cmocka_unit_test_setup_teardown(test_siit_icmp64, siit_setup,
						siit_teardown),
		cmocka_unit_test_setup_teardown(test_siit_icmp46, siit_setup,
						siit_teardown),
		cmocka_unit_test_setup_teardown(test_siit_udp_stateless,
						siit_setup, siit_teardown),
		cmocka_unit_test_setup_teardown(test_siit_icmp_overlap,
						siit_setup, siit_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
