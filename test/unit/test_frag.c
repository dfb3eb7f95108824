// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fragments and sizes: fragment translation both ways (RFC 7915 4.1.1 and
 * 5.1.1), fragmentation of translated packets (lowest-ipv6-mtu, IPv4
 * next hops), Fragmentation Needed / Packet Too Big for packets that
 * cannot fit, fragmented ICMP and UDP checksum 0 in fragments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"

#define N4	"198.51.100.2"
#define N4_6	"2001:db8:1c6:3364:2::"
#define N6	"2001:db8:1c0:2:21::"
#define N6_4	"192.0.2.33"
#define OWN4	"198.51.100.1"
#define OWN6	"2001:db8:1c0:2:1::"

static uint8_t pkt[PB_MAX], whole[PB_MAX], l4[PB_MAX], data[PB_MAX];
static uint8_t reasm[PB_MAX];

/*
 * Outputs of several xlat_packet() calls gathered in one list (the core's
 * own list is reset by every call).
 */
struct gather {
	struct xlat_out out;
	uint8_t store[4 * PB_MAX];
	size_t used;
};

static void gather_add(struct gather *g, const struct xlat_out *out)
{
	for (unsigned int i = 0; i < out->count; i++) {
		const struct xlat_out_pkt *op = &out->pkt[i];
		struct xlat_out_pkt *np = &g->out.pkt[g->out.count++];

		assert_true(g->used + op->len <= sizeof(g->store));
		memcpy(g->store + g->used, op->data, op->len);
		*np = *op;
		np->data = g->store + g->used;
		g->used += op->len;
	}
}

static struct gather *gather_new(void)
{
	struct gather *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	return g;
}

/* An IPv4 UDP datagram N4 -> N6_4 with dlen bytes of data, in whole. */
static size_t udp4_whole(size_t dlen, bool df, uint16_t id)
{
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .df = df,
			 .id = id };

	pb_pattern(data, dlen, 0x17);
	pb_udp(l4, 4000, 4001, data, dlen);
	return pb_ip4(whole, &h, l4, 8 + dlen);
}

static size_t udp6_whole(size_t dlen)
{
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };

	pb_pattern(data, dlen, 0x61);
	pb_udp(l4, 4002, 4003, data, dlen);
	return pb_ip6(whole, &h, l4, 8 + dlen);
}

/* The reassembled UDP datagram is the original one, checksum included. */
static void check_udp6(const uint8_t *ip6, size_t n, size_t dlen)
{
	assert_int_equal(n, 8 + dlen);
	assert_int_equal(pb_rd16(reasm + 4), n);
	assert_memory_equal(reasm + 8, data, dlen);
	assert_int_equal(pb_fold(pb_sum(reasm, n, pb_pseudo6(ip6 + 8, ip6 + 24,
							   17, (uint32_t)n))),
			 0xffff);
}

static void check_udp4(const uint8_t *ip4, size_t n, size_t dlen)
{
	assert_int_equal(n, 8 + dlen);
	assert_memory_equal(reasm + 8, data, dlen);
	assert_int_equal(pb_fold(pb_sum(reasm, n, pb_pseudo4(ip4 + 12, ip4 + 16,
							   17, (uint32_t)n))),
			 0xffff);
}

/* RFC 7915 4.1.1: an IPv4 fragment gets a Fragment header. */
static void test_frag46(void **state)
{
	static const size_t cut[] = { 0, 504, 1000, 2000 };
	struct pb_env *env = *state;
	struct gather *g = gather_new();
	uint32_t id;
	uint8_t proto;
	size_t n;

	udp4_whole(1992, false, 0xbeef);
	for (int i = 0; i < 3; i++) {
		size_t len = pb_frag4(pkt, whole, cut[i], cut[i + 1] - cut[i],
				      i < 2);
		const uint8_t *p;

		assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
				 XLAT_TRANSLATED);
		p = pb_one(env, XLAT_SIDE_V6, 48 + cut[i + 1] - cut[i]);
		assert_int_equal(p[6], 44);
		assert_int_equal(p[7], 63);
		assert_int_equal(p[40], 17);
		assert_int_equal(p[41], 0);
		assert_int_equal(pb_rd16(p + 42), cut[i] | (i < 2 ? 1 : 0));
		assert_int_equal(pb_rd32(p + 44), 0xbeef);
		assert_true(pb_is_a6(p + 8, N4_6));
		assert_true(pb_is_a6(p + 24, N6));
		gather_add(g, &env->out);
	}
	n = pb_reasm6(&g->out, reasm, &proto, &id);
	assert_int_equal(proto, 17);
	assert_int_equal(id, 0xbeef);
	check_udp6(g->out.pkt[0].data, n, 1992);
	assert_int_equal(pb_cnt(env, XLAT_CNT_XLAT_4TO6), 3);
	free(g);
}

/* RFC 7915 5.1.1: an IPv6 fragment becomes an IPv4 fragment. */
static void test_frag64(void **state)
{
	static const size_t cut[] = { 0, 1000, 1800, 2000 };
	struct pb_env *env = *state;
	struct gather *g = gather_new();
	uint16_t id;
	uint8_t proto;
	size_t n;

	udp6_whole(1992);
	for (int i = 0; i < 3; i++) {
		size_t len = pb_frag6(pkt, whole, cut[i], cut[i + 1] - cut[i],
				      i < 2, 0xabcd1234);
		const uint8_t *p;

		assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len),
				 XLAT_TRANSLATED);
		p = pb_one(env, XLAT_SIDE_V4, 20 + cut[i + 1] - cut[i]);
		assert_int_equal(pb_rd16(p + 4), 0x1234);
		assert_int_equal(pb_rd16(p + 6),
				 cut[i] / 8 | (i < 2 ? 0x2000 : 0));
		assert_int_equal(p[8], 63);
		assert_int_equal(p[9], 17);
		assert_true(pb_is_a4(p + 12, N6_4));
		assert_true(pb_is_a4(p + 16, N4));
		gather_add(g, &env->out);
	}
	n = pb_reasm4(&g->out, reasm, &proto, &id);
	assert_int_equal(proto, 17);
	assert_int_equal(id, 0x1234);
	check_udp4(g->out.pkt[0].data, n, 1992);
	free(g);
}

/* An atomic fragment keeps its identification, DF=0 (RFC 7915 5.1.1). */
static void test_atomic_frag64(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17, .frag = true,
			 .id = 0x11112222 };
	const uint8_t *p;
	size_t len;

	pb_udp(l4, 1, 2, data, 100);
	len = pb_ip6(pkt, &h, l4, 108);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 128);
	assert_int_equal(pb_rd16(p + 4), 0x2222);
	assert_int_equal(pb_rd16(p + 6), 0);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
}

/*
 * RFC 7915 4.1: an IPv4 packet with DF=0 larger than lowest-ipv6-mtu is
 * fragmented to it (and never above the IPv6 egress MTU).
 */
static void df0_split(struct pb_env *env, size_t limit, unsigned int count,
		      bool above_1280)
{
	size_t len = udp4_whole(3000 - 28, false, 0x5678);
	bool big = false;
	uint8_t proto;
	uint32_t id;
	size_t n;

	assert_int_equal(len, 3000);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, whole, len),
			 XLAT_TRANSLATED);
	assert_int_equal(env->out.count, count);
	for (unsigned int i = 0; i < env->out.count; i++) {
		const struct xlat_out_pkt *op = &env->out.pkt[i];

		pb_check_pkt(op);
		assert_int_equal(op->side, XLAT_SIDE_V6);
		assert_true(op->len <= limit);
		assert_int_equal(op->data[6], 44);
		assert_int_equal(op->data[7], 63);
		big |= op->len > 1280;
	}
	assert_int_equal(big, above_1280);
	n = pb_reasm6(&env->out, reasm, &proto, &id);
	assert_int_equal(proto, 17);
	assert_int_equal(id, 0x5678);
	check_udp6(env->out.pkt[0].data, n, 3000 - 28);
	assert_int_equal(pb_cnt(env, XLAT_CNT_FRAGS_OUT), count);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), count);
	assert_int_equal(pb_cnt(env, XLAT_CNT_XLAT_4TO6), 1);
	assert_int_equal(pb_drops(env), 0);
}

static void test_df0_lowest_mtu(void **state)
{
	df0_split(*state, 1280, 3, false);
}

static void test_df0_lowest_mtu_1500(void **state)
{
	df0_split(pb_reconf(state, "lowest-ipv6-mtu 1500\n"), 1500, 3, true);
}

static void test_df0_lowest_mtu_over_mtu6(void **state)
{
	df0_split(pb_reconf(state, "lowest-ipv6-mtu 1500\nmtu v6 1280\n"),
		  1280, 3, false);
}

/* Boundary: 1260 bytes of IPv4 fit 1280 of IPv6; one more does not. */
static void test_df0_boundary(void **state)
{
	struct pb_env *env = *state;
	size_t len = udp4_whole(1260 - 28, false, 1);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, whole, len),
			 XLAT_TRANSLATED);
	assert_int_equal(pb_one(env, XLAT_SIDE_V6, 1280)[6], 17);
	len = udp4_whole(1261 - 28, false, 2);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, whole, len),
			 XLAT_TRANSLATED);
	assert_int_equal(env->out.count, 2);
	assert_int_equal(env->out.pkt[0].len, 1280);
	assert_int_equal(env->out.pkt[1].len, 48 + 1241 - 1232);
	assert_int_equal(pb_cnt(env, XLAT_CNT_FRAGS_OUT), 2);
}

/* A fragment that is still too big is split within its own range. */
static void test_refragment46(void **state)
{
	struct pb_env *env = *state;
	size_t len;
	uint16_t fo0, fo1;

	udp4_whole(4000, false, 0x4242);
	len = pb_frag4(pkt, whole, 1600, 2000, true);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(env->out.count, 2);
	pb_check_pkt(&env->out.pkt[0]);
	pb_check_pkt(&env->out.pkt[1]);
	assert_int_equal(env->out.pkt[0].len, 1280);
	assert_int_equal(env->out.pkt[1].len, 48 + 2000 - 1232);
	fo0 = pb_rd16(env->out.pkt[0].data + 42);
	fo1 = pb_rd16(env->out.pkt[1].data + 42);
	assert_int_equal(fo0, 1600 | 1);
	assert_int_equal(fo1, (1600 + 1232) | 1);	/* original MF kept */
	assert_int_equal(pb_rd32(env->out.pkt[1].data + 44), 0x4242);
	assert_memory_equal(env->out.pkt[1].data + 48, whole + 20 + 2832,
			    2000 - 1232);
}

/* RFC 7915 4.1: DF=1 and too big for IPv6 -> Fragmentation Needed. */
static void df1_too_big(void **state, const char *conf, size_t len4,
			uint32_t mtu)
{
	struct pb_env *env = pb_reconf(state, conf);
	size_t len = udp4_whole(len4 - 28, true, 1);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, whole, len), XLAT_DROP);
	p = pb_one(env, XLAT_SIDE_V4, 576);
	assert_int_equal(p[8], 64);
	assert_true(pb_is_a4(p + 12, OWN4));
	assert_true(pb_is_a4(p + 16, N4));
	assert_int_equal(p[20], 3);
	assert_int_equal(p[21], 4);
	assert_int_equal(pb_rd32(p + 24), mtu);
	assert_memory_equal(p + 28, whole, 548);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_FRAG_NEEDED), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP4_ERR_SENT), 1);
	assert_int_equal(pb_drops(env), 1);
}

static void test_df1_too_big(void **state)
{
	df1_too_big(state, NULL, 1500, 1480);
}

static void test_df1_too_big_mtu6_1280(void **state)
{
	df1_too_big(state, "mtu v6 1280\n", 1300, 1260);
}

/* DF=1 that fits the IPv6 MTU: sent whole, above lowest-ipv6-mtu too. */
static void test_df1_fits(void **state)
{
	struct pb_env *env = *state;
	size_t len = udp4_whole(1480 - 28, true, 1);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, whole, len),
			 XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 1500);
	assert_int_equal(p[6], 17);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

/* RFC 7915 5.1 / 1.4: too big for the IPv4 MTU -> Packet Too Big. */
static void v6_too_big(void **state, bool frag)
{
	struct pb_env *env = pb_reconf(state, "mtu v4 1400\n");
	size_t len = udp6_whole(1500 - 48);
	const uint8_t *p, *src = whole;

	if (frag) {
		len = pb_frag6(pkt, whole, 0, 1452, true, 9);
		src = pkt;
	}
	assert_int_equal(len, 1500);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, src, len), XLAT_DROP);
	p = pb_one(env, XLAT_SIDE_V6, 1280);
	assert_int_equal(p[7], 64);
	assert_true(pb_is_a6(p + 8, OWN6));
	assert_true(pb_is_a6(p + 24, N6));
	assert_int_equal(p[40], 2);
	assert_int_equal(p[41], 0);
	assert_int_equal(pb_rd32(p + 44), 1420);
	assert_memory_equal(p + 48, src, 1232);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_FRAG_NEEDED), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), 1);
	assert_int_equal(pb_drops(env), 1);
}

static void test_v6_too_big(void **state)
{
	v6_too_big(state, false);
}

static void test_v6_frag_too_big(void **state)
{
	v6_too_big(state, true);
}

/*
 * The route's MTU (what the daemon's route cache knows, peeked without
 * waiting) wins over the interface's; the configured one would win over
 * both (xlat_mtu_chain), so this setup configures none.
 */
static uint32_t route_peek(const void *arg, enum xlat_side side,
			   const void *dst, int64_t now_ms, bool *stale)
{
	const uint8_t *a = dst;

	(void)arg;
	(void)now_ms;
	*stale = false;
	/* 1300 towards 198.51.100.0/24 only; 0 = use the fallback. */
	if (side == XLAT_SIDE_V4 && a[0] == 198 && a[1] == 51 && a[2] == 100)
		return 1300;
	return 0;
}

static const struct xlat_mtu_ops route_ops = { .peek = route_peek };

static void test_route_mtu(void **state)
{
	struct pb_env *env = *state;
	size_t len = udp6_whole(1400 - 48);
	const uint8_t *p;

	env->cfg.mtu4 = 0;
	env->ctx.if_mtu4 = 1500;
	env->ctx.mtu_ops = &route_ops;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, whole, len), XLAT_DROP);
	p = pb_one(env, XLAT_SIDE_V6, 1280);
	assert_int_equal(p[40], 2);
	assert_int_equal(pb_rd32(p + 44), 1320);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_int_equal(env->out.miss_count, 0);
}

/*
 * A route cache that knows nothing yet: the core does not wait for it.
 * The first packet towards a destination gets the fallback chain (here
 * the interface MTU) and the destination is recorded as a miss; the
 * caller resolves it after the call, and the next packet gets the
 * route's MTU.
 */
struct fake_routes {
	uint8_t dst[4];
	uint32_t mtu;		/* 0: not resolved yet */
	unsigned int peeks;
};

static uint32_t fake_peek(const void *arg, enum xlat_side side,
			  const void *dst, int64_t now_ms, bool *stale)
{
	struct fake_routes *r = (struct fake_routes *)arg;

	(void)now_ms;
	r->peeks++;
	if (side != XLAT_SIDE_V4 || memcmp(dst, r->dst, 4) || !r->mtu) {
		*stale = true;
		return 0;
	}
	*stale = false;
	return r->mtu;
}

static const struct xlat_mtu_ops fake_ops = { .peek = fake_peek };

static void test_route_mtu_miss(void **state)
{
	struct pb_env *env = *state;
	struct fake_routes r = { .dst = { 198, 51, 100, 2 } };
	size_t len = udp6_whole(1400 - 48);
	const struct xlat_mtu_miss *m;
	const uint8_t *p;

	env->cfg.mtu4 = 0;
	env->ctx.if_mtu4 = 1500;
	env->ctx.mtu_ops = &fake_ops;
	env->ctx.mtu_arg = &r;
	/* Unknown: 1500 (the interface), so the 1372-byte result fits. */
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, whole, len),
			 XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, len - 20);
	assert_true(r.peeks >= 1);
	assert_int_equal(env->out.miss_count, 1);
	m = &env->out.miss[0];
	assert_int_equal(m->side, XLAT_SIDE_V4);
	assert_memory_equal(m->addr, r.dst, 4);
	assert_memory_equal(p + 16, r.dst, 4);
	/* The caller resolves it: the route says 1300. */
	r.mtu = 1300;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, whole, len), XLAT_DROP);
	p = pb_one(env, XLAT_SIDE_V6, 1280);
	assert_int_equal(p[40], 2);
	assert_int_equal(pb_rd32(p + 44), 1320);
	assert_int_equal(env->out.miss_count, 0);
}

/* The largest IPv4 datagram: 54 fragments of 1280, all in the arena. */
static void test_max_size46(void **state)
{
	struct pb_env *env = *state;
	size_t len = udp4_whole(65535 - 28, false, 0x7777);
	uint8_t proto;
	uint32_t id;
	size_t n;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, whole, len),
			 XLAT_TRANSLATED);
	assert_int_equal(env->out.count, (65515 + 1231) / 1232);
	for (unsigned int i = 0; i < env->out.count; i++) {
		pb_check_pkt(&env->out.pkt[i]);
		assert_true(env->out.pkt[i].len <= 1280);
	}
	n = pb_reasm6(&env->out, reasm, &proto, &id);
	check_udp6(env->out.pkt[0].data, n, 65535 - 28);
	assert_int_equal(pb_drops(env), 0);
}

/* The largest IPv6 packet, hairpinned (RFC 7757 4.2) at MTU 65535. */
static void test_max_size_hairpin(void **state)
{
	struct pb_env *env = pb_reconf(state, "mtu v4 65535\nmtu v6 65535\n");
	struct pb6 h = { .src = "2001:db8:2::5", .dst = "2001:db8:101:0:7::",
			 .proto = 17 };
	const uint8_t *p;
	size_t len;

	pb_pattern(data, 65495 - 8, 3);
	pb_udp(l4, 1, 2, data, 65495 - 8);
	len = pb_ip6(whole, &h, l4, 65495);
	assert_int_equal(len, 65535);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, whole, len),
			 XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 65535);
	assert_true(pb_is_a6(p + 24, "2001:db8:3::7"));
	assert_memory_equal(p + 48, data, 65495 - 8);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

/* Small (DF=0) translation over a small IPv4 MTU: fragmented in IPv4. */
static void test_v6_small_fragmented4(void **state)
{
	struct pb_env *env = pb_reconf(state, "mtu v4 576\n");
	size_t len = udp6_whole(1000 - 48);
	uint16_t id;
	uint8_t proto;
	size_t n;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, whole, len),
			 XLAT_TRANSLATED);
	assert_int_equal(env->out.count, 2);
	for (unsigned int i = 0; i < env->out.count; i++) {
		pb_check_pkt(&env->out.pkt[i]);
		assert_int_equal(env->out.pkt[i].side, XLAT_SIDE_V4);
		assert_true(env->out.pkt[i].len <= 576);
		assert_int_equal(env->out.pkt[i].data[6] & 0x40, 0);
	}
	n = pb_reasm4(&env->out, reasm, &proto, &id);
	assert_int_equal(proto, 17);
	assert_int_not_equal(id, 0);
	check_udp4(env->out.pkt[0].data, n, 1000 - 48);
	assert_int_equal(pb_cnt(env, XLAT_CNT_FRAGS_OUT), 2);
}

/* RFC 7915 1.2 / 4.1: fragmented ICMP is not translated. */
static void test_fragmented_icmp46(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 1, .id = 3 };
	size_t len;

	pb_icmp(l4, 8, 0, 0x00010001, data, 1000);
	pb_ip4(whole, &h, l4, 1008);
	len = pb_frag4(pkt, whole, 0, 504, true);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	len = pb_frag4(pkt, whole, 504, 504, false);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_FRAGMENTED_ICMP), 2);
	assert_int_equal(pb_drops(env), 2);
}

static void test_fragmented_icmp64(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 58 };
	size_t len;

	pb_icmp(l4, 128, 0, 0x00010001, data, 1000);
	pb_ip6(whole, &h, l4, 1008);
	len = pb_frag6(pkt, whole, 0, 504, true, 77);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	len = pb_frag6(pkt, whole, 504, 504, false, 77);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_FRAGMENTED_ICMP), 2);
	assert_int_equal(pb_drops(env), 2);
}

/*
 * RFC 7915 4.5: a first fragment with UDP checksum 0 cannot be amended
 * (the rest of the datagram is elsewhere): dropped even when amending.
 * The later fragments carry no UDP header and translate.
 */
static void test_udp_zero_fragment(void **state)
{
	struct pb_env *env = pb_reconf(state, "amend-udp-checksum-zero yes\n");
	size_t len;

	udp4_whole(1000, false, 0x99);
	whole[26] = whole[27] = 0;
	len = pb_frag4(pkt, whole, 0, 512, true);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_UDP_CSUM_ZERO), 1);
	for (unsigned int i = 0; i < env->out.count; i++)
		assert_int_equal(env->out.pkt[i].side, XLAT_SIDE_V4);
	len = pb_frag4(pkt, whole, 512, 496, false);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	pb_one(env, XLAT_SIDE_V6, 48 + 496);
	assert_int_equal(pb_drops(env), 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_frag46),
		T(test_frag64),
		T(test_atomic_frag64),
		T(test_df0_lowest_mtu),
		T(test_df0_lowest_mtu_1500),
		T(test_df0_lowest_mtu_over_mtu6),
		T(test_df0_boundary),
		T(test_refragment46),
		T(test_df1_too_big),
		T(test_df1_too_big_mtu6_1280),
		T(test_df1_fits),
		T(test_v6_too_big),
		T(test_v6_frag_too_big),
		T(test_v6_small_fragmented4),
		T(test_route_mtu),
		T(test_route_mtu_miss),
		T(test_max_size46),
		T(test_max_size_hairpin),
		T(test_fragmented_icmp46),
		T(test_fragmented_icmp64),
		T(test_udp_zero_fragment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
