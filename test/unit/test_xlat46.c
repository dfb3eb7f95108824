// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv4 -> IPv6 translation (RFC 7915 section 4) through xlat_packet():
 * headers, transport checksums, options, address mapping and the errors
 * the translator sends itself.
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

static uint8_t pkt[PB_MAX], l4[PB_MAX], data[PB_MAX];

static size_t udp4(const struct pb4 *h, size_t dlen)
{
	pb_pattern(data, dlen, 1);
	pb_udp(l4, 5000, 6000, data, dlen);
	return pb_ip4(pkt, h, l4, 8 + dlen);
}

/* IPv6 header fields of a translation of N4 -> N6_4. */
static void check_ip6(const uint8_t *p, uint8_t tc, uint8_t nh, uint8_t hlim,
		      size_t plen)
{
	assert_int_equal(p[0] >> 4, 6);
	assert_int_equal(pb_rd32(p) >> 20 & 0xff, tc);
	assert_int_equal(pb_rd32(p) & 0xfffff, 0);	/* flow label */
	assert_int_equal(pb_rd16(p + 4), plen);
	assert_int_equal(p[6], nh);
	assert_int_equal(p[7], hlim);
}

static void check_counts(const struct pb_env *env, uint64_t xlat)
{
	assert_int_equal(pb_cnt(env, XLAT_CNT_RX_V4), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_RX_V6), 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_XLAT_4TO6), xlat);
	assert_int_equal(pb_drops(env), 1 - xlat);
}

/*
 * A translated UDP checksum that computes to 0 is sent as 0xffff: 0 is
 * "none" in IPv4 (RFC 768) and invalid in IPv6 (RFC 8200 8.1). The payload's first word w is chosen so that the
 * incremental update lands exactly there: adding w to the data takes w
 * off the checksum field, so w = the field the translation had with w = 0.
 */
static size_t udp_first_word(uint16_t w)
{
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17 };

	memset(data, 0, 16);
	pb_wr16(data, w);
	pb_udp(l4, 5000, 6000, data, 16);
	return pb_ip4(pkt, &h, l4, 8 + 16);
}

static void test_udp_csum_computes_zero(void **state)
{
	struct pb_env *env = *state;
	const uint8_t *p;
	size_t len = udp_first_word(0);
	uint16_t field;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 0);
	field = pb_rd16(p + 40 + 6);
	assert_int_not_equal(field, 0xffff);
	assert_int_not_equal(field, 0);

	len = udp_first_word(field);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 0);
	assert_int_equal(pb_rd16(p + 40 + 6), 0xffff);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_int_equal(pb_drops(env), 0);
}

static void test_udp(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .tos = 0xb8, .ttl = 64,
			 .proto = 17, .id = 0x1234, .df = true };
	size_t len = udp4(&h, 100);
	const uint8_t *p;

	assert_int_equal(pb_l4_resid4(pkt), 0xffff);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 108);
	check_ip6(p, 0xb8, 17, 63, 108);
	assert_true(pb_is_a6(p + 8, N4_6));
	assert_true(pb_is_a6(p + 24, N6));
	assert_memory_equal(p + 40, l4, 6);	/* ports, length */
	assert_memory_equal(p + 48, data, 100);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	check_counts(env, 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), 0);
}

static void test_tcp(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .ttl = 30, .proto = 6,
			 .id = 7 };
	const uint8_t *p;
	size_t len;

	pb_pattern(data, 333, 9);
	pb_tcp(l4, 443, 51000, 0xdeadbeef, data, 333);
	len = pb_ip4(pkt, &h, l4, 353);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 353);
	check_ip6(p, 0, 6, 29, 353);
	assert_true(pb_is_a6(p + 8, N4_6));
	assert_true(pb_is_a6(p + 24, N6));
	assert_memory_equal(p + 40, l4, 16);
	assert_memory_equal(p + 58, l4 + 18, 2 + 333);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	check_counts(env, 1);
}

static void echo46(void **state, uint8_t type4, uint8_t type6)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 1, .tos = 0x10 };
	const uint8_t *p;
	size_t len;

	pb_pattern(data, 56, 3);
	pb_icmp(l4, type4, 0, 0x12340001, data, 56);
	len = pb_ip4(pkt, &h, l4, 64);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 64);
	check_ip6(p, 0x10, 58, 63, 64);
	assert_int_equal(p[40], type6);
	assert_int_equal(p[41], 0);
	assert_int_equal(pb_rd32(p + 44), 0x12340001);
	assert_memory_equal(p + 48, data, 56);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	check_counts(env, 1);
}

static void test_echo_request(void **state)
{
	echo46(state, 8, 128);
}

static void test_echo_reply(void **state)
{
	echo46(state, 0, 129);
}

/* RFC 1624 update: a wrong checksum is still wrong by the same amount. */
static void bad_csum46(void **state, uint8_t proto, size_t csum_at)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = proto };
	uint16_t before, after;
	const uint8_t *p;
	size_t len;

	pb_pattern(data, 77, 5);
	if (proto == 17)
		pb_udp(l4, 1, 2, data, 77);
	else if (proto == 6)
		pb_tcp(l4, 1, 2, 3, data, 77);
	else
		pb_icmp(l4, 8, 0, 0x00010002, data, 77);
	len = pb_ip4(pkt, &h, l4, (proto == 6 ? 20 : 8) + 77);
	pb_wr16(pkt + 20 + csum_at,
		(uint16_t)(pb_rd16(pkt + 20 + csum_at) ^ 0x0f0f));
	before = pb_l4_resid4(pkt);
	assert_int_not_equal(before, 0xffff);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + len - 20);
	after = pb_l4_resid6(p);
	assert_int_equal(after, before);
}

static void test_bad_csum_udp(void **state)
{
	bad_csum46(state, 17, 6);
}

static void test_bad_csum_tcp(void **state)
{
	bad_csum46(state, 6, 16);
}

static void test_bad_csum_icmp(void **state)
{
	bad_csum46(state, 1, 2);
}

static void test_zeroize_tc(void **state)
{
	struct pb_env *env = pb_reconf(state, "zeroize-traffic-class yes\n");
	struct pb4 h = { .src = N4, .dst = N6_4, .tos = 0xfe, .proto = 17 };
	size_t len = udp4(&h, 10);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 18);
	check_ip6(p, 0, 17, 63, 18);
}

/* RFC 7915 4.1 "Protocol" and 4.5: other transports are passed on as is. */
static void test_unknown_proto(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 33, .ttl = 9 };
	const uint8_t *p;
	size_t len;

	pb_pattern(l4, 64, 0x33);
	len = pb_ip4(pkt, &h, l4, 64);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 64);
	check_ip6(p, 0, 33, 8, 64);
	assert_memory_equal(p + 40, l4, 64);
	check_counts(env, 1);
}

/* RFC 7915 4.1: IPv4 options are ignored (not translated). */
static void test_options_dropped(void **state)
{
	static const uint8_t rr[12] = { 1, 7, 7, 4, 0, 0, 0, 0, 1, 1, 1, 0 };
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .opt = rr,
			 .optlen = sizeof(rr) };
	size_t len = udp4(&h, 40);
	const uint8_t *p;

	assert_int_equal(pkt[0], 0x48);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 48);
	check_ip6(p, 0, 17, 63, 48);
	assert_memory_equal(p + 48, data, 40);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

/* An expired loose source route is an ordinary option. */
static void test_lsrr_expired(void **state)
{
	static const uint8_t lsrr[8] = { 131, 7, 8, 192, 0, 2, 33, 0 };
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .opt = lsrr,
			 .optlen = sizeof(lsrr) };
	size_t len = udp4(&h, 20);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	pb_one(env, XLAT_SIDE_V6, 40 + 28);
}

/* The ICMPv4 error the translator sends about pkt (len bytes). */
static void check_err4(const struct pb_env *env, size_t len, uint8_t type,
		       uint8_t code, uint32_t rest)
{
	size_t quote = len > 548 ? 548 : len;
	const uint8_t *p = pb_one(env, XLAT_SIDE_V4, 28 + quote);

	assert_int_equal(p[8], 64);
	assert_int_equal(p[9], 1);
	assert_true(pb_is_a4(p + 12, OWN4));
	assert_memory_equal(p + 16, pkt + 12, 4);
	assert_int_equal(p[20], type);
	assert_int_equal(p[21], code);
	assert_int_equal(pb_rd32(p + 24), rest);
	assert_memory_equal(p + 28, pkt, quote);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP4_ERR_SENT), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), 0);
}

/* RFC 7915 4.1 / RFC 1812: TTL runs out -> Time Exceeded in transit. */
static void ttl_expired(void **state, uint8_t ttl, size_t dlen)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .ttl = ttl };
	size_t len;

	len = udp4(&h, dlen);
	pkt[8] = ttl;		/* 0 would mean "default" in pb4 */
	pkt[10] = pkt[11] = 0;
	pb_wr16(pkt + 10, pb_cksum(pkt, 20, 0));
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	check_err4(env, len, 11, 0, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_TTL), 1);
	check_counts(env, 0);
}

static void test_ttl1(void **state)
{
	ttl_expired(state, 1, 100);
}

static void test_ttl0(void **state)
{
	ttl_expired(state, 0, 10);
}

/* The quote stops where the error reaches 576 bytes (RFC 1812 4.3.2.3). */
static void test_ttl1_big(void **state)
{
	ttl_expired(state, 1, 1200);
}

/*
 * On a 68-byte IPv4 link (RFC 791's minimum) the error is cut to fit it,
 * still quoting the header and more than 8 bytes (found by fuzz_xlat).
 */
static void test_ttl1_small_mtu(void **state)
{
	struct pb_env *env = pb_reconf(state, "mtu v4 68\n");
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .ttl = 1 };
	size_t len = udp4(&h, 100);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	p = pb_one(env, XLAT_SIDE_V4, 68);
	assert_int_equal(p[20], 11);
	assert_memory_equal(p + 28, pkt, 40);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
}

/*
 * RFC 1812 4.3.2.7 (and RFC 1122 3.2.2): no ICMP error about a datagram
 * sent to a multicast or broadcast address. An expiring multicast packet
 * (TTL 1 is common: IGMP, OSPF, link-local groups) is dropped silently.
 */
static void test_ttl1_multicast_broadcast(void **state)
{
	static const char *const dst[] = { "224.0.0.251", "255.255.255.255" };
	struct pb_env *env = *state;

	for (size_t i = 0; i < 2; i++) {
		struct pb4 h = { .src = N4, .dst = dst[i], .proto = 17,
				 .ttl = 1 };
		size_t len = udp4(&h, 20);

		assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
				 XLAT_DROP);
		assert_int_equal(env->out.count, 0);
	}
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP4_ERR_SENT), 0);
	assert_int_equal(pb_drops(env), 2);
}

/* Nor about a datagram from an address that is not one host. */
static void test_ttl1_bad_source(void **state)
{
	static const char *const src[] = { "0.0.0.0", "127.0.0.1",
					   "224.1.2.3", "240.0.0.1" };
	struct pb_env *env = *state;

	for (size_t i = 0; i < 4; i++) {
		struct pb4 h = { .src = src[i], .dst = N6_4, .proto = 17,
				 .ttl = 1 };
		size_t len = udp4(&h, 20);

		assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
				 XLAT_DROP);
		assert_int_equal(env->out.count, 0);
	}
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP4_ERR_SENT), 0);
	assert_int_equal(pb_drops(env), 4);
}

/* RFC 7915 4.1: unexpired source route -> ICMP 3/5 and drop. */
static void srcroute(void **state, uint8_t type)
{
	uint8_t opt[8] = { type, 7, 4, 192, 0, 2, 33, 0 };
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .opt = opt,
			 .optlen = sizeof(opt) };
	size_t len = udp4(&h, 20);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	check_err4(env, len, 3, 5, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_SRCROUTE), 1);
	check_counts(env, 0);
}

static void test_lsrr(void **state)
{
	srcroute(state, 131);
}

static void test_ssrr(void **state)
{
	srcroute(state, 137);
}

/* RFC 7915 4.5: zero UDP checksum, not amended: drop with ICMP 3/13. */
static void test_udp_zero_drop(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17,
			 .keep_csum = true };
	size_t len = udp4(&h, 30);

	assert_int_equal(pb_rd16(pkt + 26), 0);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	check_err4(env, len, 3, 13, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_UDP_CSUM_ZERO), 1);
	check_counts(env, 0);
}

/* amend-udp-checksum-zero: the checksum is computed for IPv6. */
static void test_udp_zero_amend(void **state)
{
	struct pb_env *env = pb_reconf(state, "amend-udp-checksum-zero yes\n");
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17,
			 .keep_csum = true };
	size_t len = udp4(&h, 31);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 39);
	assert_int_not_equal(pb_rd16(p + 46), 0);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_memory_equal(p + 48, data, 31);
	check_counts(env, 1);
}

/* RFC 7915 section 6 with RFC 7757: EAMT before pool6, both ways. */
static void test_eamt(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = "10.0.0.9", .dst = "1.0.0.7", .proto = 17 };
	size_t len = udp4(&h, 12);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 20);
	assert_true(pb_is_a6(p + 8, "2001:db8:2::9"));
	assert_true(pb_is_a6(p + 24, "2001:db8:3::7"));
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

static void test_eamt_src_pool6_dst(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = "1.0.0.200", .dst = N6_4, .proto = 6 };
	const uint8_t *p;
	size_t len;

	pb_tcp(l4, 1, 2, 3, NULL, 0);
	len = pb_ip4(pkt, &h, l4, 20);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 60);
	assert_true(pb_is_a6(p + 8, "2001:db8:3::c8"));
	assert_true(pb_is_a6(p + 24, N6));
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

/*
 * RFC 6052 section 3.1 from IPv4: a non-global source cannot be put under
 * 64:ff9b::/96; the sender hears Communication Administratively
 * Prohibited (RFC 1812 5.2.7.1). An ICMPv4 error from a router with a
 * private address still gets through, from the translator's own IPv6
 * address (RFC 6791) rather than the forbidden embedding.
 */
static void test_wkp_non_global(void **state)
{
	struct pb_env *env = pb_reconf(state, "pool6 64:ff9b::/96\n");
	struct pb4 h = { .src = "192.168.1.1", .dst = "10.0.0.5",
			 .proto = 17 };
	struct pb4 in = { .src = "10.0.0.5", .dst = "93.184.216.34",
			  .proto = 17 };
	uint8_t inner[64];
	size_t len = udp4(&h, 12), ilen;
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_WKP_NON_GLOBAL), 1);
	check_err4(env, len, 3, 13, 0);

	h.src = "93.184.216.34";
	len = udp4(&h, 12);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 20);
	assert_true(pb_is_a6(p + 8, "64:ff9b::5db8:d822"));
	assert_true(pb_is_a6(p + 24, "2001:db8:2::5"));

	/* Time Exceeded from router 192.168.7.1 about 10.0.0.5's packet. */
	pb_udp(l4, 5000, 53, NULL, 0);
	ilen = pb_ip4(inner, &in, l4, 8);
	h.src = "192.168.7.1";
	h.proto = 1;
	len = pb_ip4(pkt, &h, data, pb_icmp(data, 11, 0, 0, inner, ilen));
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 0);
	assert_true(pb_is_a6(p + 8, "2001:db8:1c0:2:1::"));
	assert_true(pb_is_a6(p + 24, "2001:db8:2::5"));
	assert_int_equal(p[40], 3);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_WKP_NON_GLOBAL), 1);
}

/* Reserved IPv4 destinations never go through pool6. */
static void test_reserved_dst(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = "224.0.0.5", .proto = 17 };
	size_t len = udp4(&h, 12);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_DENYLIST), 1);
	check_counts(env, 0);
}

/* Link-layer padding after Total Length is not part of the packet. */
static void test_trailing_padding(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17 };
	size_t len = udp4(&h, 6);
	const uint8_t *p;

	memset(pkt + len, 0xee, 12);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len + 12),
			 XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 40 + 14);
	assert_memory_equal(p + 48, data, 6);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

/* A packet shorter than its Total Length is dropped and counted. */
static void test_truncated(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17 };
	size_t len = udp4(&h, 40);

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len - 1), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_TRUNCATED), 1);
	check_counts(env, 0);
}

/* An IPv6 packet handed to the IPv4 side is malformed there. */
static void test_wrong_version(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17 };
	size_t len = udp4(&h, 40);

	pkt[0] = 0x65;
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_MALFORMED), 1);
}

/* Checksums for every small length, odd ones included (RFC 1071). */
static void test_length_sweep(void **state)
{
	static const uint8_t protos[3] = { 17, 6, 1 };
	struct pb_env *env = *state;

	for (size_t d = 0; d <= 64; d++) {
		for (int i = 0; i < 3; i++) {
			struct pb4 h = { .src = N4, .dst = N6_4,
					 .proto = protos[i] };
			size_t n, len;
			const uint8_t *p;

			pb_pattern(data, d, (uint8_t)(d + i));
			if (i == 0)
				n = pb_udp(l4, 7, 8, data, d);
			else if (i == 1)
				n = pb_tcp(l4, 7, 8, 9, data, d);
			else
				n = pb_icmp(l4, 8, 0, 0x10001, data, d);
			len = pb_ip4(pkt, &h, l4, n);
			assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
					 XLAT_TRANSLATED);
			p = pb_one(env, XLAT_SIDE_V6, 40 + n);
			assert_int_equal(pb_l4_resid6(p), 0xffff);
			assert_memory_equal(p + 40 + n - d, data, d);
		}
	}
}

/* A zero-length UDP payload still translates. */
static void test_empty_payload(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17 };
	size_t len = udp4(&h, 0);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 48);
	assert_int_equal(pb_rd16(p + 44), 8);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_udp),
		T(test_udp_csum_computes_zero),
		T(test_tcp),
		T(test_echo_request),
		T(test_echo_reply),
		T(test_bad_csum_udp),
		T(test_bad_csum_tcp),
		T(test_bad_csum_icmp),
		T(test_zeroize_tc),
		T(test_unknown_proto),
		T(test_options_dropped),
		T(test_lsrr_expired),
		T(test_ttl1),
		T(test_ttl0),
		T(test_ttl1_big),
		T(test_ttl1_small_mtu),
		T(test_ttl1_multicast_broadcast),
		T(test_ttl1_bad_source),
		T(test_lsrr),
		T(test_ssrr),
		T(test_udp_zero_drop),
		T(test_udp_zero_amend),
		T(test_eamt),
		T(test_eamt_src_pool6_dst),
		T(test_wkp_non_global),
		T(test_reserved_dst),
		T(test_trailing_padding),
		T(test_truncated),
		T(test_wrong_version),
		T(test_length_sweep),
		T(test_empty_payload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
