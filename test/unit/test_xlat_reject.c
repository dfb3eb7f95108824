// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packets the core refuses before translating: IPv4 headers with a wrong
 * checksum (RFC 1812 5.2.2), IPv6 UDP without checksum (RFC 8200 8.1),
 * and sources with no form on the other side, answered with ICMPv6 1/5
 * or ICMPv4 3/13 except where RFC 4443 2.4 (e) and RFC 1812 4.3.2.7 ask
 * for silence. Expected packets are built whole by pktbuild (its own
 * checksums) and compared byte for byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"

#define N4	"198.51.100.2"		/* IPv4 node */
#define N4_6	"2001:db8:1c6:3364:2::"	/* ... as seen from IPv6 */
#define N6	"2001:db8:1c0:2:21::"	/* IPv6 node */
#define N6_4	"192.0.2.33"		/* ... as seen from IPv4 */
#define OWN4	"198.51.100.1"
#define OWN6	"2001:db8:1c0:2:1::"
#define R6	"2001:db8:1c0:2:fe::"	/* IPv6 router inside pool6 */
#define R6_4	"192.0.2.254"
#define NOMAP6	"2001:db8:ffff::1"	/* outside pool6 and the EAMT */
#define EAMT4	"1.0.0.7"		/* EAMT 2001:db8:3::7 */

static uint8_t pkt[PB_MAX], l4[PB_MAX], data[PB_MAX], want[PB_MAX],
	       quote[PB_MAX], quote4[PB_MAX];

static size_t udp4(const struct pb4 *h, size_t dlen)
{
	pb_pattern(data, dlen, 3);
	pb_udp(l4, 5000, 6000, data, dlen);
	return pb_ip4(pkt, h, l4, 8 + dlen);
}

static size_t udp6(const struct pb6 *h, size_t dlen)
{
	pb_pattern(data, dlen, 5);
	pb_udp(l4, 5000, 6000, data, dlen);
	return pb_ip6(pkt, h, l4, 8 + dlen);
}

/* Dropped with nothing sent, counted under c and no other drop. */
static void dropped_silently(const struct pb_env *env, enum xlat_counter c,
			     uint64_t n)
{
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, c), n);
	assert_int_equal(pb_drops(env), n);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP4_ERR_SENT), 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4) +
			 pb_cnt(env, XLAT_CNT_TX_V6), 0);
}

/* --- IPv4 header checksum ---------------------------------------------- */

/* The same datagram, checksum right: translated, byte for byte. */
static void test_ip4_csum_good(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .ttl = 9 };
	struct pb6 e = { .src = N4_6, .dst = N6, .proto = 17, .hlim = 8 };
	size_t len = udp4(&h, 21), elen = pb_ip6(want, &e, l4, 29);

	assert_true(pb_ip4_hdr_ok(pkt));
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	assert_memory_equal(pb_one(env, XLAT_SIDE_V6, elen), want, elen);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_IP4_CSUM), 0);
}

/*
 * RFC 1812 5.2.2: a wrong header checksum is silently discarded, before
 * anything else looks at the header: no Time Exceeded for TTL 1, and the
 * checksum covers the options too.
 */
static void test_ip4_csum_bad(void **state)
{
	static const uint8_t nop[4] = { 1, 1, 1, 0 };
	struct pb_env *env = *state;
	struct pb4 h[3] = {
		{ .src = N4, .dst = N6_4, .proto = 17 },
		{ .src = N4, .dst = N6_4, .proto = 17, .ttl = 1 },
		{ .src = N4, .dst = N6_4, .proto = 17, .opt = nop,
		  .optlen = 4 },
	};

	for (size_t i = 0; i < 3; i++) {
		size_t len = udp4(&h[i], 12);

		if (i < 2)
			pkt[11] ^= 0x01;	/* the checksum itself */
		else
			pkt[22] = 0;		/* an option byte */
		assert_false(pb_ip4_hdr_ok(pkt));
		assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
				 XLAT_DROP);
		assert_int_equal(env->out.count, 0);
	}
	dropped_silently(env, XLAT_CNT_DROP_IP4_CSUM, 3);
	assert_int_equal(pb_cnt(env, XLAT_CNT_RX_V4), 3);
}

/*
 * The header quoted by an ICMP error is data about a packet gone: its
 * checksum is not checked, and the error is translated (RFC 7915 4.3).
 */
static void test_ip4_csum_inner_lenient(void **state)
{
	struct pb_env *env = *state;
	struct pb4 in = { .src = N6_4, .dst = N4, .proto = 17, .ttl = 30 };
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 1 };
	size_t inlen = udp4(&in, 16), len;
	const uint8_t *p;

	memcpy(quote, pkt, inlen);
	quote[10] ^= 0x80;
	assert_false(pb_ip4_hdr_ok(quote));
	len = pb_icmp(l4, 3, 3, 0, quote, inlen);
	len = pb_ip4(pkt, &h, l4, len);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 48 + 40 + inlen - 20);
	assert_int_equal(p[40], 1);		/* port unreachable */
	assert_int_equal(p[41], 4);
	assert_true(pb_is_a6(p + 48 + 8, N6));
	assert_true(pb_is_a6(p + 48 + 24, N4_6));
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_IP4_CSUM), 0);
}

/* --- IPv6 UDP checksum 0 --------------------------------------------- */

/* RFC 8200 8.1: discarded (and no error), not translated into garbage. */
static void test_udp6_zero(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17,
			 .keep_csum = true };
	size_t len = udp6(&h, 30);

	assert_int_equal(pb_rd16(pkt + 46), 0);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_UDP6_CSUM_ZERO, 1);
}

/*
 * The first fragment carries the header and is dropped; a later one is
 * data, whatever its bytes (its datagram can no longer be completed).
 */
static void test_udp6_zero_fragments(void **state)
{
	struct pb_env *env = *state;
	struct pb6 first = { .src = N6, .dst = N4_6, .proto = 17,
			     .keep_csum = true, .frag = true, .mf = true,
			     .id = 0x99 };
	struct pb6 later = { .src = N6, .dst = N4_6, .proto = 17,
			     .keep_csum = true, .frag = true, .off = 32,
			     .id = 0x99 };
	size_t len = udp6(&first, 24);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_UDP6_CSUM_ZERO, 1);
	memset(l4, 0, 16);
	len = pb_ip6(pkt, &later, l4, 16);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	pb_one(env, XLAT_SIDE_V4, 20 + 16);
}

/*
 * A datagram with checksum 0 quoted by an ICMPv6 error keeps 0, IPv4's
 * "no checksum", instead of an update applied to nothing. The whole
 * ICMPv4 error is expected byte for byte.
 */
static void test_udp6_zero_quoted(void **state)
{
	struct pb_env *env = *state;
	struct pb6 in = { .src = N4_6, .dst = N6, .proto = 17, .hlim = 17,
			  .keep_csum = true };
	struct pb6 h = { .src = R6, .dst = N4_6, .proto = 58, .hlim = 60 };
	struct pb4 in4 = { .src = N4, .dst = N6_4, .proto = 17, .ttl = 17,
			   .keep_csum = true };
	struct pb4 e = { .src = R6_4, .dst = N4, .proto = 1, .ttl = 59,
			 .id = 0x1234 };
	size_t inlen = udp6(&in, 20), in4len, len, elen;

	memcpy(quote, pkt, inlen);
	assert_int_equal(pb_rd16(quote + 46), 0);
	len = pb_ip6(pkt, &h, l4, pb_icmp(l4, 1, 4, 0, quote, inlen));
	in4len = pb_ip4(quote4, &in4, quote + 40, inlen - 40);
	assert_int_equal(pb_rd16(quote4 + 26), 0);
	elen = pb_ip4(want, &e, l4, pb_icmp(l4, 3, 3, 0, quote4, in4len));

	env->ctx.ip_id_next = 0x1233;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	assert_memory_equal(pb_one(env, XLAT_SIDE_V4, elen), want, elen);
	assert_int_equal(pb_drops(env), 0);
}

/* --- untranslatable sources ------------------------------------------ */

/*
 * The error the translator sent, as built in want (elen bytes): alone,
 * counted, flagged as its own error so that the daemon's token bucket
 * (icmp-rate, icmp-burst) governs it.
 */
static void check_err(const struct pb_env *env, enum xlat_side side,
		      size_t elen)
{
	bool v6 = side == XLAT_SIDE_V6;

	assert_memory_equal(pb_one(env, side, elen), want, elen);
	assert_int_equal(env->out.pkt[0].flags, XLAT_OUT_ERROR);
	assert_int_equal(pb_cnt(env, v6 ? XLAT_CNT_ICMP6_ERR_SENT :
					  XLAT_CNT_ICMP4_ERR_SENT), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), v6);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), !v6);
	assert_int_equal(pb_cnt(env, XLAT_CNT_XLAT_6TO4) +
			 pb_cnt(env, XLAT_CNT_XLAT_4TO6), 0);
	assert_int_equal(pb_drops(env), 1);
}

/* ICMPv6 1/5 about pkt (len bytes of it quoted) from OWN6 back to src. */
static void check_err6(const struct pb_env *env, const char *src,
		       size_t len)
{
	struct pb6 e = { .src = OWN6, .dst = src, .proto = 58, .hlim = 64 };

	check_err(env, XLAT_SIDE_V6,
		  pb_ip6(want, &e, l4, pb_icmp(l4, 1, 5, 0, pkt, len)));
}

/* ICMPv4 3/13 about pkt from OWN4 back to src. */
static void check_err4(const struct pb_env *env, const char *src,
		       size_t len)
{
	struct pb4 e = { .src = OWN4, .dst = src, .proto = 1, .ttl = 64 };

	check_err(env, XLAT_SIDE_V4,
		  pb_ip4(want, &e, l4, pb_icmp(l4, 3, 13, 0, pkt, len)));
}

/* Outside pool6 and the EAMT: ICMPv6 1/5, "source address failed policy". */
static void test_src6_unmapped(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = NOMAP6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 40);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	check_err6(env, NOMAP6, len);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_NO_MAPPING), 1);

	/* The quote stops at 1280 bytes of IPv6 (RFC 4443 2.4 (c)). */
	env = pb_reconf(state, NULL);
	len = udp6(&h, 1400);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	check_err6(env, NOMAP6, 1280 - 48);
}

/* Inside pool6, but its IPv4 address is denylisted. */
static void test_src6_denylisted(void **state)
{
	struct pb_env *env = pb_reconf(state, "denylist4 192.0.2.0/24\n");
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 6 };
	size_t len;

	pb_tcp(l4, 40000, 80, 1, NULL, 0);
	len = pb_ip6(pkt, &h, l4, 20);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	check_err6(env, N6, len);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_DENYLIST), 1);
}

/* Without pool6, an IPv4 source outside the EAMT: ICMPv4 3/13. */
static void test_src4_unmapped(void **state)
{
	struct pb_env *env = pb_reconf(state, "pool6 none\n");
	struct pb4 h = { .src = N4, .dst = EAMT4, .proto = 17, .tos = 0x20 };
	size_t len = udp4(&h, 33);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	check_err4(env, N4, len);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_NO_MAPPING), 1);
}

static void test_src4_denylisted(void **state)
{
	struct pb_env *env = pb_reconf(state, "denylist4 198.51.100.0/24\n");
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17 };
	size_t len = udp4(&h, 600);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	/* The quote stops at 576 bytes of IPv4 (RFC 1812 4.3.2.3). */
	check_err4(env, N4, 576 - 28);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_DENYLIST), 1);
}

/* A small UDP datagram from src to the node on the other side. */
static size_t udp_from(enum xlat_side side, const char *src)
{
	struct pb4 h4 = { .src = src, .dst = N6_4, .proto = 17 };
	struct pb6 h6 = { .src = src, .dst = N4_6, .proto = 17 };

	return side == XLAT_SIDE_V4 ? udp4(&h4, 20) : udp6(&h6, 20);
}

/*
 * RFC 7915 4.1: "If the translator gets an illegal source address (e.g.,
 * 0.0.0.0, 127.0.0.1, etc.), the translator SHOULD silently drop the
 * packet" (RFC 1812 4.3.2.7 likewise for multicast and broadcast); RFC
 * 4443 2.4 (e.6): nothing to a multicast or unspecified IPv6 source, and
 * nothing to ::1 (RFC 4291 2.5.3: never the source of a packet on a link).
 */
static void test_src_illegal_silent(void **state)
{
	static const struct {
		enum xlat_side side;
		const char *src;
		enum xlat_counter why;
	} row[] = {
		{ XLAT_SIDE_V4, "0.0.0.0", XLAT_CNT_DROP_DENYLIST },
		{ XLAT_SIDE_V4, "127.0.0.1", XLAT_CNT_DROP_DENYLIST },
		{ XLAT_SIDE_V4, "224.1.2.3", XLAT_CNT_DROP_DENYLIST },
		{ XLAT_SIDE_V4, "239.255.0.1", XLAT_CNT_DROP_DENYLIST },
		{ XLAT_SIDE_V4, "255.255.255.255", XLAT_CNT_DROP_DENYLIST },
		{ XLAT_SIDE_V6, "::", XLAT_CNT_DROP_NO_MAPPING },
		{ XLAT_SIDE_V6, "::1", XLAT_CNT_DROP_NO_MAPPING },
		{ XLAT_SIDE_V6, "ff02::1", XLAT_CNT_DROP_NO_MAPPING },
		{ XLAT_SIDE_V6, "ff0e::5", XLAT_CNT_DROP_NO_MAPPING },
	};
	struct pb_env *env = *state;

	for (size_t i = 0; i < sizeof(row) / sizeof(row[0]); i++) {
		size_t len = udp_from(row[i].side, row[i].src);

		memset(&env->st, 0, sizeof(env->st));
		assert_int_equal(pb_run(env, row[i].side, pkt, len),
				 XLAT_DROP);
		dropped_silently(env, row[i].why, 1);
	}
}

/*
 * Never about an ICMP error (RFC 4443 2.4 (e.1), RFC 1812 4.3.2.7): an
 * error whose source has no RFC 6791 or own address to stand in for it
 * is dropped quietly.
 */
static void test_src_of_error_silent(void **state)
{
	struct pb_env *env = pb_reconf(state, "rfc6791v4-prefix none\n");
	struct pb6 in = { .src = N4_6, .dst = N6, .proto = 17 };
	struct pb6 h6 = { .src = NOMAP6, .dst = N4_6, .proto = 58 };
	struct pb4 in4 = { .src = N6_4, .dst = N4, .proto = 17 };
	struct pb4 h4 = { .src = N4, .dst = EAMT4, .proto = 1 };
	size_t inlen = udp6(&in, 8), len;

	env->cfg.addr4_set = false;
	memcpy(quote, pkt, inlen);
	len = pb_ip6(pkt, &h6, l4, pb_icmp(l4, 1, 4, 0, quote, inlen));
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_NO_MAPPING, 1);

	env = pb_reconf(state, "pool6 none\n");
	env->cfg.addr6_set = false;
	inlen = udp4(&in4, 8);
	memcpy(quote, pkt, inlen);
	len = pb_ip4(pkt, &h4, l4, pb_icmp(l4, 3, 3, 0, quote, inlen));
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_NO_MAPPING, 1);
}

/* A first fragment is answered; a later one never (RFC 4443 2.4 (e.4)). */
static void test_src6_fragments(void **state)
{
	struct pb_env *env = *state;
	struct pb6 first = { .src = NOMAP6, .dst = N4_6, .proto = 17,
			     .frag = true, .mf = true, .id = 0x4242 };
	struct pb6 later = { .src = NOMAP6, .dst = N4_6, .proto = 17,
			     .frag = true, .off = 64, .id = 0x4242 };
	size_t len = udp6(&first, 56);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	check_err6(env, NOMAP6, len);
	env = pb_reconf(state, NULL);
	pb_pattern(l4, 40, 9);
	len = pb_ip6(pkt, &later, l4, 40);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_NO_MAPPING, 1);
}

/* The same for IPv4 (RFC 1812 4.3.2.7). */
static void test_src4_fragments(void **state)
{
	struct pb_env *env = pb_reconf(state, "pool6 none\n");
	struct pb4 first = { .src = N4, .dst = EAMT4, .proto = 17,
			     .mf = true, .id = 0x77 };
	struct pb4 later = { .src = N4, .dst = EAMT4, .proto = 17,
			     .off = 48, .id = 0x77, .keep_csum = true };
	size_t len = udp4(&first, 40);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	check_err4(env, N4, len);
	env = pb_reconf(state, "pool6 none\n");
	pb_pattern(l4, 32, 9);
	len = pb_ip4(pkt, &later, l4, 32);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_NO_MAPPING, 1);
}

/* Without `address v6` (`address v4`) there is no source to send from. */
static void test_src_no_own_address(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h6 = { .src = NOMAP6, .dst = N4_6, .proto = 17 };
	struct pb4 h4 = { .src = N4, .dst = EAMT4, .proto = 17 };
	size_t len = udp6(&h6, 10);

	env->cfg.addr6_set = false;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_NO_MAPPING, 1);
	env = pb_reconf(state, "pool6 none\n");
	env->cfg.addr4_set = false;
	len = udp4(&h4, 10);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	dropped_silently(env, XLAT_CNT_DROP_NO_MAPPING, 1);
}

/*
 * One error per refused packet, each flagged for the daemon's token
 * bucket, which is what limits them (test_ratelimit checks the bucket).
 */
static void test_src_errors_flagged(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = NOMAP6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 4);

	for (int i = 0; i < 200; i++) {
		assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len),
				 XLAT_DROP);
		assert_int_equal(env->out.count, 1);
		assert_int_equal(env->out.pkt[0].flags, XLAT_OUT_ERROR);
	}
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), 200);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_NO_MAPPING), 200);
}

#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ip4_csum_good),
		T(test_ip4_csum_bad),
		T(test_ip4_csum_inner_lenient),
		T(test_udp6_zero),
		T(test_udp6_zero_fragments),
		T(test_udp6_zero_quoted),
		T(test_src6_unmapped),
		T(test_src6_denylisted),
		T(test_src4_unmapped),
		T(test_src4_denylisted),
		T(test_src_illegal_silent),
		T(test_src_of_error_silent),
		T(test_src6_fragments),
		T(test_src4_fragments),
		T(test_src_no_own_address),
		T(test_src_errors_flagged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
