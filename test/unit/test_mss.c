// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the core does for the resegmentation stage: MSS clamping of SYNs
 * (mss-clamp), aggregates translated whole (XLAT_IN_AGGREGATE: no "too big",
 * no fragmentation), and the flags that mark originated errors and
 * fragments in the output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"

#define N4	"198.51.100.2"
#define N4_6	"2001:db8:1c6:3364:2::"
#define N6	"2001:db8:1c0:2:21::"
#define N6_4	"192.0.2.33"

static uint8_t pkt[PB_MAX], l4[PB_MAX];

/*
 * A TCP header with flags and options opts (optlen a multiple of 4),
 * followed by dlen bytes of pattern; checksum 0 (pb_ip4/pb_ip6 fill it).
 */
static size_t tcp_opts(uint8_t flags, const uint8_t *opts, size_t optlen,
		       size_t dlen)
{
	size_t hl = 20 + optlen;

	memset(l4, 0, hl);
	pb_wr16(l4, 40000);
	pb_wr16(l4 + 2, 80);
	pb_wr32(l4 + 4, 1000);
	l4[12] = (uint8_t)(hl / 4) << 4;
	l4[13] = flags;
	pb_wr16(l4 + 14, 65535);
	if (optlen)
		memcpy(l4 + 20, opts, optlen);
	pb_pattern(l4 + hl, dlen, 3);
	return hl + dlen;
}

static size_t syn4(uint8_t flags, const uint8_t *opts, size_t optlen)
{
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 6, .df = true };

	return pb_ip4(pkt, &h, l4, tcp_opts(flags, opts, optlen, 0));
}

static size_t syn6(const uint8_t *opts, size_t optlen)
{
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 6 };

	return pb_ip6(pkt, &h, l4, tcp_opts(0x02, opts, optlen, 0));
}

/* MSS option value of a translated packet (-1 if none), and its checksum
 * verified independently of the core. */
static int out_mss(const uint8_t *p, size_t len)
{
	bool v6 = (p[0] >> 4) == 6;
	size_t ihl = v6 ? 40 : 20, i;
	const uint8_t *t = p + ihl;
	uint32_t l4len = (uint32_t)(len - ihl);

	assert_int_equal(pb_cksum(t, l4len, v6 ?
				  pb_pseudo6(p + 8, p + 24, 6, l4len) :
				  pb_pseudo4(p + 12, p + 16, 6, l4len)), 0);
	for (i = 20; i + 4 <= (size_t)(t[12] >> 4) * 4; i++)
		if (t[i] == 2 && t[i + 1] == 4)
			return pb_rd16(t + i + 2);
	return -1;
}

static const uint8_t mss1460[] = { 2, 4, 0x05, 0xb4, 1, 1, 4, 2 };
/* The option at an odd offset: NOP, MSS, then padding. */
static const uint8_t odd1460[] = { 1, 2, 4, 0x05, 0xb4, 0, 0, 0 };

/* 4->6, both MTUs 1500: IPv6 headers leave room for 1500-60 = 1440. */
static void test_clamp_46(void **state)
{
	struct pb_env *env = pb_reconf(state, "mss-clamp yes\n");
	size_t len = syn4(0x02, mss1460, sizeof(mss1460));
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, len + 20);
	assert_int_equal(out_mss(p, len + 20), 1440);
}

static void test_clamp_46_odd_offset(void **state)
{
	struct pb_env *env = pb_reconf(state, "mss-clamp yes\nmtu v6 1400\n");
	size_t len = syn4(0x12, odd1460, sizeof(odd1460));	/* SYN-ACK */
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, len + 20);
	assert_int_equal(out_mss(p, len + 20), 1400 - 60);
}

/* 6->4 with a small IPv4 side: 1300 - 40. */
static void test_clamp_64(void **state)
{
	static const uint8_t mss8940[] = { 2, 4, 0x22, 0xec, 1, 1, 1, 0 };
	struct pb_env *env = pb_reconf(state, "mss-clamp yes\nmtu v4 1300\n");
	size_t len = syn6(mss8940, sizeof(mss8940));
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, len - 20);
	assert_int_equal(out_mss(p, len - 20), 1260);
}

/* Off by default; a small MSS is never raised; non-SYNs are untouched. */
static void test_clamp_leaves_alone(void **state)
{
	static const uint8_t mss536[] = { 2, 4, 0x02, 0x18, 1, 1, 1, 0 };
	struct pb_env *env = *state;
	size_t len = syn4(0x02, mss1460, sizeof(mss1460));

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(out_mss(pb_one(env, XLAT_SIDE_V6, 0), len + 20),
			 1460);
	env = pb_reconf(state, "mss-clamp yes\n");
	len = syn4(0x02, mss536, sizeof(mss536));
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(out_mss(pb_one(env, XLAT_SIDE_V6, 0), len + 20), 536);
	len = syn4(0x10, mss1460, sizeof(mss1460));	/* ACK, not SYN */
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(out_mss(pb_one(env, XLAT_SIDE_V6, 0), len + 20),
			 1460);
}

/* A truncated option list must not be read past the header. */
static void test_clamp_bad_options(void **state)
{
	static const uint8_t bad[] = { 1, 1, 1, 2, 9, 0, 0, 0 };
	struct pb_env *env = pb_reconf(state, "mss-clamp yes\n");
	size_t len = syn4(0x02, bad, sizeof(bad));

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(out_mss(pb_one(env, XLAT_SIDE_V6, 0), len + 20), -1);
}

/* A 60000-byte DF aggregate: whole, not refused, not fragmented. */
static void test_aggregate_46(void **state)
{
	struct pb_env *env = pb_reconf(state, "mtu v6 1500\n");
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 6, .df = true };
	size_t len = pb_ip4(pkt, &h, l4, tcp_opts(0x18, NULL, 0, 60000));

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 1);
	assert_int_equal(env->out.pkt[0].flags, XLAT_OUT_ERROR);
	env->in_flags = XLAT_IN_AGGREGATE;
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	env->in_flags = 0;
	assert_int_equal(env->out.pkt[0].flags, 0);
	assert_int_equal(out_mss(pb_one(env, XLAT_SIDE_V6, len + 20),
				  len + 20), -1);
}

static void test_aggregate_64(void **state)
{
	struct pb_env *env = pb_reconf(state, "mtu v4 1500\n");
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 6 };
	size_t len = pb_ip6(pkt, &h, l4, tcp_opts(0x18, NULL, 0, 60000));
	const uint8_t *p;

	env->in_flags = XLAT_IN_AGGREGATE;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	env->in_flags = 0;
	p = pb_one(env, XLAT_SIDE_V4, len - 20);
	/* RFC 7915 5.1: over 1260 bytes, DF=1; the splitter decides later. */
	assert_int_equal(pb_rd16(p + 6), 0x4000);
	assert_int_equal(out_mss(p, len - 20), -1);
}

/* DF=0 over the MTU: fragments, each flagged. */
static void test_frag_flag(void **state)
{
	struct pb_env *env = pb_reconf(state, "mtu v6 1280\n");
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .id = 7 };
	uint8_t data[3000];
	size_t len, i;

	pb_pattern(data, sizeof(data), 5);
	len = pb_udp(l4, 1, 2, data, sizeof(data));
	len = pb_ip4(pkt, &h, l4, len);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(env->out.count, 3);
	for (i = 0; i < env->out.count; i++)
		assert_int_equal(env->out.pkt[i].flags, XLAT_OUT_FRAG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clamp_46, pb_setup, pb_teardown),
		cmocka_unit_test_setup_teardown(test_clamp_46_odd_offset, pb_setup, pb_teardown),
		cmocka_unit_test_setup_teardown(test_clamp_64, pb_setup, pb_teardown),
		cmocka_unit_test_setup_teardown(test_clamp_leaves_alone, pb_setup, pb_teardown),
		cmocka_unit_test_setup_teardown(test_clamp_bad_options, pb_setup, pb_teardown),
		cmocka_unit_test_setup_teardown(test_aggregate_46, pb_setup, pb_teardown),
		cmocka_unit_test_setup_teardown(test_aggregate_64, pb_setup, pb_teardown),
		cmocka_unit_test_setup_teardown(test_frag_flag, pb_setup, pb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
