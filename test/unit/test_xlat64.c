// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv6 -> IPv4 translation (RFC 7915 section 5) through xlat_packet():
 * headers, DF/Identification, extension headers, transport checksums,
 * address mapping, RFC 7757 hairpinning and the errors the translator
 * sends itself.
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
#define OWN6	"2001:db8:1c0:2:1::"
/* RFC 7757 4.2: 2001:db8:2::5 (EAMT 10.0.0.5) talks to 1.0.0.7 (EAMT
 * 2001:db8:3::7) through its pool6 address. */
#define HP_SRC		"2001:db8:2::5"
#define HP_DST		"2001:db8:101:0:7::"
#define HP_SRC_OUT	"2001:db8:10a:0:5::"
#define HP_DST_OUT	"2001:db8:3::7"

static uint8_t pkt[PB_MAX], l4[PB_MAX], data[PB_MAX];

static size_t udp6(const struct pb6 *h, size_t dlen)
{
	pb_pattern(data, dlen, 2);
	pb_udp(l4, 5000, 6000, data, dlen);
	return pb_ip6(pkt, h, l4, 8 + dlen);
}

static void check_ip4(const uint8_t *p, uint8_t tos, uint8_t proto,
		      uint8_t ttl, size_t tot)
{
	assert_int_equal(p[0], 0x45);
	assert_int_equal(p[1], tos);
	assert_int_equal(pb_rd16(p + 2), tot);
	assert_int_equal(p[8], ttl);
	assert_int_equal(p[9], proto);
	assert_true(pb_ip4_hdr_ok(p));
}

static void check_counts(const struct pb_env *env, uint64_t xlat)
{
	assert_int_equal(pb_cnt(env, XLAT_CNT_RX_V6), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_RX_V4), 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_XLAT_6TO4), xlat);
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
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };

	memset(data, 0, 16);
	pb_wr16(data, w);
	pb_udp(l4, 5000, 6000, data, 16);
	return pb_ip6(pkt, &h, l4, 8 + 16);
}

static void test_udp_csum_computes_zero(void **state)
{
	struct pb_env *env = *state;
	const uint8_t *p;
	size_t len = udp_first_word(0);
	uint16_t field;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 0);
	field = pb_rd16(p + 20 + 6);
	assert_int_not_equal(field, 0xffff);
	assert_int_not_equal(field, 0);

	len = udp_first_word(field);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 0);
	assert_int_equal(pb_rd16(p + 20 + 6), 0xffff);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	assert_int_equal(pb_drops(env), 0);
}

static void test_udp(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .tc = 0xb8,
			 .flow = 0x12345, .proto = 17 };
	size_t len = udp6(&h, 100);
	const uint8_t *p;

	assert_int_equal(pb_l4_resid6(pkt), 0xffff);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 20 + 108);
	check_ip4(p, 0xb8, 17, 63, 128);
	/* Small: DF=0, not a fragment, a real Identification (RFC 6864). */
	assert_int_equal(pb_rd16(p + 6), 0);
	assert_true(pb_is_a4(p + 12, N6_4));
	assert_true(pb_is_a4(p + 16, N4));
	assert_memory_equal(p + 20, l4, 6);
	assert_memory_equal(p + 28, data, 100);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	check_counts(env, 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), 0);
}

static void test_tcp(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .hlim = 2, .proto = 6 };
	const uint8_t *p;
	size_t len;

	pb_pattern(data, 500, 4);
	pb_tcp(l4, 80, 40000, 77, data, 500);
	len = pb_ip6(pkt, &h, l4, 520);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 540);
	check_ip4(p, 0, 6, 1, 540);
	assert_memory_equal(p + 20, l4, 16);
	assert_memory_equal(p + 38, l4 + 18, 502);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	check_counts(env, 1);
}

static void echo64(void **state, uint8_t type6, uint8_t type4)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 58 };
	const uint8_t *p;
	size_t len;

	pb_pattern(data, 56, 8);
	pb_icmp(l4, type6, 0, 0xabcd0005, data, 56);
	len = pb_ip6(pkt, &h, l4, 64);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 84);
	check_ip4(p, 0, 1, 63, 84);
	assert_int_equal(p[20], type4);
	assert_int_equal(p[21], 0);
	assert_int_equal(pb_rd32(p + 24), 0xabcd0005);
	assert_memory_equal(p + 28, data, 56);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	check_counts(env, 1);
}

static void test_echo_request(void **state)
{
	echo64(state, 128, 8);
}

static void test_echo_reply(void **state)
{
	echo64(state, 129, 0);
}

/*
 * An echo reply with identifier, sequence and data all zero becomes an
 * ICMPv4 message of zeros, whose only valid checksum is 0xffff; the
 * incremental update gave 0x0000 (found by fuzz_xlat).
 */
static void test_echo_reply_zeros(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 58 };
	const uint8_t *p;
	size_t len;

	memset(data, 0, 13);
	pb_icmp(l4, 129, 0, 0, data, 13);
	len = pb_ip6(pkt, &h, l4, 21);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 41);
	assert_int_equal(p[20], 0);
	assert_int_equal(pb_rd16(p + 22), 0xffff);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
}

/* RFC 1624 update: a wrong checksum is still wrong by the same amount. */
static void bad_csum64(void **state, uint8_t proto, size_t csum_at)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = proto };
	size_t len, l4len;
	uint16_t before;
	const uint8_t *p;

	pb_pattern(data, 91, 6);
	if (proto == 17)
		l4len = pb_udp(l4, 9, 10, data, 91);
	else if (proto == 6)
		l4len = pb_tcp(l4, 9, 10, 11, data, 91);
	else
		l4len = pb_icmp(l4, 128, 0, 0x00070008, data, 91);
	len = pb_ip6(pkt, &h, l4, l4len);
	pb_wr16(pkt + 40 + csum_at,
		(uint16_t)(pb_rd16(pkt + 40 + csum_at) ^ 0x3c3c));
	before = pb_l4_resid6(pkt);
	assert_int_not_equal(before, 0xffff);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 20 + l4len);
	assert_int_equal(pb_l4_resid4(p), before);
}

static void test_bad_csum_udp(void **state)
{
	bad_csum64(state, 17, 6);
}

static void test_bad_csum_tcp(void **state)
{
	bad_csum64(state, 6, 16);
}

static void test_bad_csum_icmp(void **state)
{
	bad_csum64(state, 58, 2);
}

static void test_tc_copied_and_override(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .tc = 0x2d, .proto = 17 };
	size_t len = udp6(&h, 5);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(pb_one(env, XLAT_SIDE_V4, 33)[1], 0x2d);
	env = pb_reconf(state, "override-tos yes\ntos 40\n");
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(pb_one(env, XLAT_SIDE_V4, 33)[1], 40);
}

/* RFC 7915 5.1: DF is 0 up to 1260 bytes of IPv4, 1 above. */
static uint16_t frag_field_for(struct pb_env *env, size_t tot4)
{
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, tot4 - 28);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, tot4);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	return pb_rd16(p + 6);
}

static void test_df_rule(void **state)
{
	struct pb_env *env = *state;

	assert_int_equal(frag_field_for(env, 1260), 0);
	assert_int_equal(frag_field_for(env, 1261), 0x4000);
	assert_int_equal(frag_field_for(env, 1500), 0x4000);
	assert_int_equal(frag_field_for(env, 100), 0);
}

/* Non-atomic datagrams (DF=0) need distinct Identifications (RFC 6864). */
static void test_ids_distinct(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 20);
	uint16_t id1, id2;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	id1 = pb_rd16(pb_one(env, XLAT_SIDE_V4, 48) + 4);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	id2 = pb_rd16(pb_one(env, XLAT_SIDE_V4, 48) + 4);
	assert_int_not_equal(id1, id2);
}

static void test_unknown_proto(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 33, .tc = 4 };
	const uint8_t *p;
	size_t len;

	pb_pattern(l4, 72, 0x21);
	len = pb_ip6(pkt, &h, l4, 72);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 92);
	check_ip4(p, 4, 33, 63, 92);
	assert_memory_equal(p + 20, l4, 72);
	check_counts(env, 1);
}

/* RFC 7915 5.1: Hop-by-Hop and Destination Options are not translated. */
static void test_ext_headers_removed(void **state)
{
	static const uint8_t hbh[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	static const uint8_t dst[16] = { 0, 1, 1, 12 };
	static const uint8_t rh0[8] = { 0, 0, 0, 0 };	/* segments left 0 */
	const struct pb_ext ext[3] = { { 0, hbh, 8 }, { 43, rh0, 8 },
				       { 60, dst, 16 } };
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17, .ext = ext,
			 .n_ext = 3 };
	size_t len = udp6(&h, 50);
	const uint8_t *p;

	assert_int_equal(len, 40 + 32 + 58);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 20 + 58);
	check_ip4(p, 0, 17, 63, 78);
	assert_memory_equal(p + 28, data, 50);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
}

/* The ICMPv6 error the translator sends about pkt (len bytes). */
static void check_err6(const struct pb_env *env, size_t len, uint8_t type,
		       uint8_t code, uint32_t rest)
{
	size_t quote = len > 1232 ? 1232 : len;
	const uint8_t *p = pb_one(env, XLAT_SIDE_V6, 48 + quote);

	assert_int_equal(p[6], 58);
	assert_int_equal(p[7], 64);
	assert_true(pb_is_a6(p + 8, OWN6));
	assert_memory_equal(p + 24, pkt + 8, 16);
	assert_int_equal(p[40], type);
	assert_int_equal(p[41], code);
	assert_int_equal(pb_rd32(p + 44), rest);
	assert_memory_equal(p + 48, pkt, quote);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), 0);
}

static void hlim_expired(void **state, uint8_t hlim, size_t dlen)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, dlen);

	pkt[7] = hlim;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	check_err6(env, len, 3, 0, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_TTL), 1);
	check_counts(env, 0);
}

static void test_hlim1(void **state)
{
	hlim_expired(state, 1, 100);
}

static void test_hlim0(void **state)
{
	hlim_expired(state, 0, 3);
}

/* The quote stops where the error reaches 1280 bytes (RFC 4443 2.4). */
static void test_hlim1_big(void **state)
{
	hlim_expired(state, 1, 1400);
}

/*
 * RFC 4443 2.4 (e.3): no ICMPv6 error (but Packet Too Big and Parameter
 * Problem code 2) about a packet sent to a multicast address.
 */
static void test_hlim1_multicast(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = "ff02::fb", .proto = 17,
			 .hlim = 1 };
	size_t len = udp6(&h, 20);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), 0);
	check_counts(env, 0);
}

/* Nor about one from the unspecified or a multicast source (2.4 (e.6)). */
static void test_hlim1_bad_source(void **state)
{
	static const char *const src[] = { "::", "ff02::1" };
	struct pb_env *env = *state;

	for (size_t i = 0; i < 2; i++) {
		struct pb6 h = { .src = src[i], .dst = N4_6, .proto = 17,
				 .hlim = 1 };
		size_t len = udp6(&h, 20);

		assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len),
				 XLAT_DROP);
		assert_int_equal(env->out.count, 0);
	}
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), 0);
	assert_int_equal(pb_drops(env), 2);
}

/* RFC 7915 5.1: Segments Left != 0 -> Parameter Problem at that field. */
static void rh_segleft(void **state, bool with_hbh, uint32_t ptr)
{
	static const uint8_t hbh[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	uint8_t rh[24] = { 0, 0, 0, 1 };
	struct pb_ext ext[2] = { { 0, hbh, 8 }, { 43, rh, 24 } };
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17,
			 .ext = with_hbh ? ext : ext + 1,
			 .n_ext = with_hbh ? 2 : 1 };
	size_t len;

	pb_a6(N4_6, rh + 8);
	len = udp6(&h, 10);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	check_err6(env, len, 4, 0, ptr);
	assert_int_equal(pkt[ptr], 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ROUTING_HDR), 1);
	check_counts(env, 0);
}

static void test_rh_segleft(void **state)
{
	rh_segleft(state, false, 43);
}

static void test_rh_segleft_after_hbh(void **state)
{
	rh_segleft(state, true, 51);
}

static void test_eamt(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = "2001:db8:2::5", .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 9);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 37);
	assert_true(pb_is_a4(p + 12, "10.0.0.5"));
	assert_true(pb_is_a4(p + 16, N4));
	assert_int_equal(pb_l4_resid4(p), 0xffff);
}

/*
 * RFC 6052 section 3.1: under the Well-Known Prefix a non-global IPv4
 * destination (or source) is dropped, counted, and the sender gets
 * Destination Unreachable, administratively prohibited (RFC 4443 3.1);
 * a global one translates, and wkp-allow-non-global lets it through.
 */
static void test_wkp_non_global(void **state)
{
	struct pb_env *env = pb_reconf(state, "pool6 64:ff9b::/96\n");
	struct pb6 h = { .src = "2001:db8:2::5", .dst = "64:ff9b::203.0.113.9",
			 .proto = 17 };
	size_t len = udp6(&h, 20);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_WKP_NON_GLOBAL), 1);
	check_err6(env, len, 1, 1, 0);

	/* A non-global source under the WKP: dropped too. */
	h.src = "64:ff9b::192.168.0.1";
	h.dst = "2001:db8:3::7";
	len = udp6(&h, 20);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_WKP_NON_GLOBAL), 2);

	/* A global destination under the same prefix translates. */
	h.src = "2001:db8:2::5";
	h.dst = "64:ff9b::93.184.216.34";
	len = udp6(&h, 20);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, len - 20);
	assert_true(pb_is_a4(p + 12, "10.0.0.5"));
	assert_true(pb_is_a4(p + 16, "93.184.216.34"));

	env = pb_reconf(state, "pool6 64:ff9b::/96\nwkp-allow-non-global yes\n");
	h.dst = "64:ff9b::203.0.113.9";
	len = udp6(&h, 20);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, len - 20);
	assert_true(pb_is_a4(p + 16, "203.0.113.9"));
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_WKP_NON_GLOBAL), 0);
}

/* RFC 7757 4.2: the IPv4 destination is an EAMT entry -> back to IPv6,
 * with the source translated through pool6. */
static void test_hairpin(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = HP_SRC, .dst = HP_DST, .proto = 17,
			 .tc = 0x20 };
	size_t len = udp6(&h, 64);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, len);
	assert_int_equal(pb_rd32(p), 6u << 28 | 0x20 << 20);
	assert_int_equal(p[6], 17);
	assert_int_equal(p[7], 63);
	assert_true(pb_is_a6(p + 8, HP_SRC_OUT));
	assert_true(pb_is_a6(p + 24, HP_DST_OUT));
	assert_memory_equal(p + 48, data, 64);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	check_counts(env, 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), 0);
}

/*
 * An EAMT IPv6 destination is an IPv4 node's IPv6 face: it leaves on the
 * IPv4 side, never hairpinned (only pool6 forms of EAMT IPv4 addresses
 * come back).
 */
static void test_eamt_dst_not_hairpin(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = HP_SRC, .dst = "2001:db8:3::7", .proto = 17 };
	size_t len = udp6(&h, 64);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, len - 20);
	assert_true(pb_is_a4(p + 16, "1.0.0.7"));
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), 1);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V6), 0);
}

static void test_hairpin_echo(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = HP_SRC, .dst = HP_DST, .proto = 58 };
	const uint8_t *p;
	size_t len;

	pb_pattern(data, 32, 1);
	pb_icmp(l4, 128, 0, 0x55550001, data, 32);
	len = pb_ip6(pkt, &h, l4, 40);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, len);
	assert_int_equal(p[40], 128);
	assert_true(pb_is_a6(p + 8, HP_SRC_OUT));
	assert_true(pb_is_a6(p + 24, HP_DST_OUT));
	assert_memory_equal(p + 44, l4 + 4, 36);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

/*
 * The route cache's answers, peeked (known, not stale): 1280 on every
 * IPv6 route. The configured MTU would win over a route's
 * (xlat_mtu_chain), so the tests that use it configure none for IPv6 and
 * give the interface 1500 instead.
 */
static uint32_t mtu6_1280(const void *arg, enum xlat_side side,
			  const void *dst, int64_t now_ms, bool *stale)
{
	(void)arg;
	(void)dst;
	(void)now_ms;
	*stale = false;
	return side == XLAT_SIDE_V6 ? 1280 : 0;
}

static const struct xlat_mtu_ops mtu6_1280_ops = { .peek = mtu6_1280 };

static void route_mtus(struct pb_env *env, const struct xlat_mtu_ops *ops)
{
	env->cfg.mtu6 = 0;
	env->ctx.if_mtu6 = 1500;
	env->ctx.mtu_ops = ops;
}

/*
 * Hairpinned packet too big for the IPv6 route it leaves through: the
 * IPv6 sender must learn it (ICMPv6 Packet Too Big, RFC 7757 4.2 with
 * RFC 4443 3.1); nothing may leave on the IPv4 side, where neither
 * endpoint is. (The core used to send an ICMPv4 Fragmentation Needed to
 * 10.0.0.5 out of the IPv4 side; fixed in 2ee15fe.)
 */
static void test_hairpin_too_big(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = HP_SRC, .dst = HP_DST, .proto = 17 };
	size_t len = udp6(&h, 1400 - 48);
	const uint8_t *p;

	route_mtus(env, &mtu6_1280_ops);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	p = pb_one(env, XLAT_SIDE_V6, 1280);
	assert_int_equal(p[40], 2);
	assert_int_equal(p[41], 0);
	assert_int_equal(pb_rd32(p + 44), 1280);
	assert_true(pb_is_a6(p + 24, HP_SRC));
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_int_equal(pb_cnt(env, XLAT_CNT_TX_V4), 0);
}

/* 1280 on the IPv6 route to 2001:db8:3::/120 only; 0 = the config. */
static uint32_t mtu_to_eamt3(const void *arg, enum xlat_side side,
			     const void *dst, int64_t now_ms, bool *stale)
{
	uint8_t net[16];

	(void)arg;
	(void)now_ms;
	*stale = false;
	pb_a6("2001:db8:3::", net);
	if (side == XLAT_SIDE_V6 && !memcmp(dst, net, 15))
		return 1280;
	return 0;
}

static const struct xlat_mtu_ops mtu_to_eamt3_ops = { .peek = mtu_to_eamt3 };

/*
 * The same, with the MTU of the route the hairpinned packet really takes:
 * it leaves towards 2001:db8:3::7 (RFC 7757 4.2), so the egress MTU must
 * be looked up for that address, not for the pool6 address it was sent
 * to (2001:db8:101:0:7::, which routes to the translator itself).
 */
static void test_hairpin_route_mtu(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = HP_SRC, .dst = HP_DST, .proto = 17 };
	size_t len = udp6(&h, 1400 - 48);
	const uint8_t *p;

	route_mtus(env, &mtu_to_eamt3_ops);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	p = pb_one(env, XLAT_SIDE_V6, 1280);
	assert_int_equal(p[40], 2);
	assert_int_equal(pb_rd32(p + 44), 1280);
	assert_true(pb_is_a6(p + 24, HP_SRC));
}

/* An unmapped source is told (test_xlat_reject); a destination is not. */
static void no_mapping(void **state, const char *src, const char *dst,
		       unsigned int errors)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = src, .dst = dst, .proto = 17 };
	size_t len = udp6(&h, 9);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, errors);
	assert_int_equal(pb_cnt(env, XLAT_CNT_ICMP6_ERR_SENT), errors);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_NO_MAPPING), 1);
	check_counts(env, 0);
}

static void test_unmapped_src(void **state)
{
	no_mapping(state, "2001:db8:ffff::1", N4_6, 1);
}

static void test_unmapped_dst(void **state)
{
	no_mapping(state, N6, "2001:db8:ffff::1", 0);
}

static void test_trailing_padding(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 2);
	const uint8_t *p;

	memset(pkt + len, 0xaa, 20);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len + 20),
			 XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 30);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
}

static void test_truncated(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 30);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len - 1), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_TRUNCATED), 1);
	check_counts(env, 0);
}

/* Payload Length 0 announces a jumbogram; with bytes after it, malformed. */
static void test_plen0(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 30);

	pkt[4] = pkt[5] = 0;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_MALFORMED), 1);
}

/* RFC 7915 5.1: an extension header after the Fragment header: drop. */
static void test_ext_after_frag(void **state)
{
	static const uint8_t dst[8] = { 0, 0, 1, 4 };
	const struct pb_ext ext[1] = { { 60, dst, 8 } };
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17, .ext = ext,
			 .n_ext = 1, .frag = true, .frag_first = true,
			 .mf = true, .id = 5 };
	size_t len = udp6(&h, 64);

	assert_int_equal(pkt[6], 44);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	for (unsigned int i = 0; i < env->out.count; i++)
		assert_int_equal(env->out.pkt[i].side, XLAT_SIDE_V6);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_EXT_AFTER_FRAG), 1);
	check_counts(env, 0);
}

/* Two Fragment headers in one packet: malformed (RFC 8200 4.1). */
static void test_two_frag_headers(void **state)
{
	static const uint8_t frag[8] = { 0, 0, 0, 0, 0, 0, 0, 9 };
	const struct pb_ext ext[1] = { { 44, frag, 8 } };
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17, .ext = ext,
			 .n_ext = 1, .frag = true, .id = 9 };
	size_t len = udp6(&h, 16);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	for (unsigned int i = 0; i < env->out.count; i++)
		assert_int_equal(env->out.pkt[i].side, XLAT_SIDE_V6);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_MALFORMED), 1);
	check_counts(env, 0);
}

/* The Identification counter wraps without ever giving 0 (xlat.h). */
static void test_id_wrap(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 20);

	env->ctx.ip_id_next = 0xfffe;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	assert_int_equal(pb_rd16(pb_one(env, XLAT_SIDE_V4, 48) + 4), 0xffff);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	assert_int_not_equal(pb_rd16(pb_one(env, XLAT_SIDE_V4, 48) + 4), 0);
}

/* Checksums for every small length, odd ones included (RFC 1071). */
static void test_length_sweep(void **state)
{
	static const uint8_t protos[3] = { 17, 6, 58 };
	struct pb_env *env = *state;

	for (size_t d = 0; d <= 64; d++) {
		for (int i = 0; i < 3; i++) {
			struct pb6 h = { .src = N6, .dst = N4_6,
					 .proto = protos[i] };
			size_t n, len;
			const uint8_t *p;

			pb_pattern(data, d, (uint8_t)(d + i));
			if (i == 0)
				n = pb_udp(l4, 7, 8, data, d);
			else if (i == 1)
				n = pb_tcp(l4, 7, 8, 9, data, d);
			else
				n = pb_icmp(l4, 128, 0, 0x10001, data, d);
			len = pb_ip6(pkt, &h, l4, n);
			assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len),
					 XLAT_TRANSLATED);
			p = pb_one(env, XLAT_SIDE_V4, 20 + n);
			assert_int_equal(pb_l4_resid4(p), 0xffff);
			assert_memory_equal(p + 20 + n - d, data, d);
		}
	}
}

static void test_empty_payload(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17 };
	size_t len = udp6(&h, 0);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 28);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
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
		T(test_echo_reply_zeros),
		T(test_bad_csum_udp),
		T(test_bad_csum_tcp),
		T(test_bad_csum_icmp),
		T(test_tc_copied_and_override),
		T(test_df_rule),
		T(test_ids_distinct),
		T(test_unknown_proto),
		T(test_ext_headers_removed),
		T(test_hlim1),
		T(test_hlim0),
		T(test_hlim1_big),
		T(test_hlim1_multicast),
		T(test_hlim1_bad_source),
		T(test_rh_segleft),
		T(test_rh_segleft_after_hbh),
		T(test_eamt),
		T(test_wkp_non_global),
		T(test_hairpin),
		T(test_hairpin_echo),
		T(test_eamt_dst_not_hairpin),
		T(test_hairpin_too_big),
		T(test_hairpin_route_mtu),
		T(test_unmapped_src),
		T(test_unmapped_dst),
		T(test_trailing_padding),
		T(test_truncated),
		T(test_plen0),
		T(test_ext_after_frag),
		T(test_two_frag_headers),
		T(test_id_wrap),
		T(test_length_sweep),
		T(test_empty_payload),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
