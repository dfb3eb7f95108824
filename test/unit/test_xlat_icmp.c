// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ICMP error translation both ways (RFC 7915 4.2/4.3 and 5.2/5.3): the
 * type/code tables, Parameter Problem pointers, Packet Too Big <->
 * Fragmentation Needed MTUs (with the RFC 1191 plateaus), the packet
 * inside the error, size limits, nested errors, RFC 4884 extensions and
 * RFC 6791 sources.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"

#define N4	"198.51.100.2"
#define N4_6	"2001:db8:1c6:3364:2::"
#define N6	"2001:db8:1c0:2:21::"
#define N6_4	"192.0.2.33"
#define R4	"198.51.100.254"	/* IPv4 router */
#define R4_6	"2001:db8:1c6:3364:fe::"
#define R6	"2001:db8:1c0:2:fe::"	/* IPv6 router inside pool6 */
#define R6_4	"192.0.2.254"
#define INNER_TTL 17

static uint8_t pkt[PB_MAX], l4[PB_MAX], data[PB_MAX], inner[PB_MAX];

/* Fails with the table row in the message (cmocka only gives a line). */
static void expect(long got, long want, const char *what, int row)
{
	if (got != want)
		fail_msg("row %d: %s is %ld, expected %ld", row, what, got,
			 want);
}

static void reset_counts(struct pb_env *env)
{
	memset(&env->st, 0, sizeof(env->st));
}

/* --- IPv4 -> IPv6 ---------------------------------------------------- */

/* The packet N6 sent (as IPv4) that the IPv4 router complains about. */
static size_t inner4_udp(size_t dlen, uint8_t tos)
{
	struct pb4 h = { .src = N6_4, .dst = N4, .proto = 17, .tos = tos,
			 .ttl = INNER_TTL, .id = 0x777, .df = true };

	pb_pattern(data, dlen, 0x40);
	pb_udp(l4, 7000, 53, data, dlen);
	return pb_ip4(inner, &h, l4, 8 + dlen);
}

static size_t err4(uint8_t type, uint8_t code, uint32_t rest,
		   const uint8_t *in, size_t inlen)
{
	struct pb4 h = { .src = R4, .dst = N6_4, .proto = 1, .ttl = 60 };
	size_t n = pb_icmp(l4, type, code, rest, in, inlen);

	return pb_ip4(pkt, &h, l4, n);
}

/* The translated inner packet of inner4_udp (quoted whole). */
static void check_inner6(const uint8_t *q, size_t inlen, uint8_t tos)
{
	assert_int_equal(pb_rd32(q), 6u << 28 | (uint32_t)tos << 20);
	assert_int_equal(pb_rd16(q + 4), inlen - 20);
	assert_int_equal(q[6], 17);
	assert_int_equal(q[7], INNER_TTL);	/* RFC 7915 4.3: no decrement */
	assert_true(pb_is_a6(q + 8, N6));
	assert_true(pb_is_a6(q + 24, N4_6));
	assert_memory_equal(q + 40, inner + 20, 6);
	assert_memory_equal(q + 48, inner + 28, inlen - 28);
	assert_int_equal(pb_l4_resid6(q), 0xffff);
}

/* Outer IPv6 header and ICMPv6 header of a translated error. */
static const uint8_t *check_outer6(const struct pb_env *env, size_t len,
				   uint8_t type, uint8_t code, uint32_t rest)
{
	const uint8_t *p = pb_one(env, XLAT_SIDE_V6, len);

	assert_int_equal(p[6], 58);
	assert_int_equal(p[7], 59);
	assert_true(pb_is_a6(p + 8, R4_6));
	assert_true(pb_is_a6(p + 24, N6));
	assert_int_equal(p[40], type);
	assert_int_equal(p[41], code);
	assert_int_equal(pb_rd32(p + 44), rest);
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	return p;
}

struct map_row {
	uint8_t type, code;
	uint32_t rest;
	int to_type;		/* -1: silently dropped */
	uint8_t to_code;
	uint32_t to_rest;
};

/* RFC 7915 4.2 (ICMPv4 -> ICMPv6), every row but Fragmentation Needed. */
static const struct map_row map46[] = {
	{ 3, 0, 0, 1, 0, 0 },		/* net unreachable */
	{ 3, 1, 0, 1, 0, 0 },		/* host unreachable */
	{ 3, 2, 0, 4, 1, 6 },		/* protocol: pointer at Next Header */
	{ 3, 3, 0, 1, 4, 0 },		/* port unreachable */
	{ 3, 5, 0, 1, 0, 0 },		/* source route failed */
	{ 3, 6, 0, 1, 0, 0 },
	{ 3, 7, 0, 1, 0, 0 },
	{ 3, 8, 0, 1, 0, 0 },
	{ 3, 9, 0, 1, 1, 0 },
	{ 3, 10, 0, 1, 1, 0 },
	{ 3, 11, 0, 1, 0, 0 },
	{ 3, 12, 0, 1, 0, 0 },
	{ 3, 13, 0, 1, 1, 0 },		/* administratively prohibited */
	{ 3, 14, 0, -1, 0, 0 },		/* host precedence violation */
	{ 3, 15, 0, 1, 1, 0 },		/* precedence cutoff */
	{ 3, 16, 0, -1, 0, 0 },		/* unknown code */
	{ 11, 0, 0, 3, 0, 0 },		/* time exceeded in transit */
	{ 11, 1, 0, 3, 1, 0 },		/* reassembly time exceeded */
	{ 12, 1, 0, -1, 0, 0 },		/* missing a required option */
	{ 12, 3, 0, -1, 0, 0 },
	{ 4, 0, 0, -1, 0, 0 },		/* source quench */
	{ 5, 0, 0, -1, 0, 0 },		/* redirect */
	{ 5, 1, 0, -1, 0, 0 },
};

static void run_row46(struct pb_env *env, const struct map_row *r, int i,
		      size_t inlen)
{
	size_t len = err4(r->type, r->code, r->rest, inner, inlen);
	enum xlat_verdict v = pb_run(env, XLAT_SIDE_V4, pkt, len);
	const uint8_t *p;

	if (r->to_type < 0) {
		expect(v, XLAT_DROP, "verdict", i);
		expect(env->out.count, 0, "output count", i);
		expect((long)pb_cnt(env, XLAT_CNT_DROP_ICMP_UNTRANSLATABLE), 1,
		       "drop_icmp_untranslatable", i);
		return;
	}
	expect(v, XLAT_TRANSLATED, "verdict", i);
	expect(env->out.count, 1, "output count", i);
	p = env->out.pkt[0].data;
	expect(p[40], r->to_type, "ICMPv6 type", i);
	expect(p[41], r->to_code, "ICMPv6 code", i);
	expect(pb_rd32(p + 44), r->to_rest, "ICMPv6 word 2", i);
	check_outer6(env, 48 + 40 + inlen - 20, p[40], p[41], r->to_rest);
	check_inner6(p + 48, inlen, 0);
	expect((long)pb_cnt(env, XLAT_CNT_XLAT_4TO6), 1, "translated", i);
}

static void test_map46(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner4_udp(40, 0);

	for (size_t i = 0; i < sizeof(map46) / sizeof(map46[0]); i++) {
		reset_counts(env);
		run_row46(env, &map46[i], (int)i, inlen);
	}
}

/* RFC 7915 Figure 3: Parameter Problem pointer, IPv4 -> IPv6. */
static const int ptr46[20] = {
	0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1, 8, 8, 8, 8, 24, 24, 24, 24,
};

static void test_param_problem46(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner4_udp(40, 0);

	for (uint8_t code = 0; code <= 2; code += 2) {
		for (int ptr = 0; ptr < 24; ptr++) {
			int want = ptr < 20 ? ptr46[ptr] : -1;
			struct map_row r = { 12, code, (uint32_t)ptr << 24,
					     want < 0 ? -1 : 4, 0,
					     (uint32_t)want };

			reset_counts(env);
			run_row46(env, &r, code * 100 + ptr, inlen);
		}
	}
}

/* Informational ICMPv4 other than echo: silently dropped (RFC 7915 4.2). */
static void test_info46_dropped(void **state)
{
	static const uint8_t types[] = { 9, 10, 13, 14, 15, 16, 17, 18, 6, 1 };
	struct pb_env *env = *state;
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 1 };

	for (size_t i = 0; i < sizeof(types); i++) {
		size_t len;

		reset_counts(env);
		pb_icmp(l4, types[i], 0, 0, data, 12);
		len = pb_ip4(pkt, &h, l4, 20);
		expect(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP,
		       "verdict", types[i]);
		expect(env->out.count, 0, "output count", types[i]);
		expect((long)pb_cnt(env, XLAT_CNT_DROP_ICMP_UNTRANSLATABLE), 1,
		       "drop_icmp_untranslatable", types[i]);
	}
}

struct mtu_row {
	uint32_t mtu;		/* field of the error */
	size_t inner_tot;	/* Total Length of the packet in error */
	const char *conf;
	uint32_t want;
};

/*
 * RFC 7915 4.2: minimum(MTU + 20, IPv6 MTU, IPv4 MTU + 20); MTU 0 means
 * the RFC 1191 plateau below the quoted Total Length; never below 1280.
 */
static const struct mtu_row mtu46[] = {
	{ 1400, 1500, NULL, 1420 },
	{ 1480, 1500, NULL, 1500 },
	{ 1000, 1500, NULL, 1280 },
	{ 1480, 1500, "mtu v6 1400\n", 1400 },
	{ 1480, 1500, "mtu v4 1300\n", 1320 },
	{ 0, 1500, NULL, 1500 },		/* 1492 + 20, capped */
	{ 0, 1500, "mtu v6 9000\nmtu v4 9000\n", 1512 },
	{ 0, 5000, "mtu v6 9000\nmtu v4 9000\n", 4372 },
	{ 0, 9000, "mtu v6 9000\nmtu v4 9000\n", 8186 },
	{ 0, 4352, "mtu v6 9000\nmtu v4 9000\n", 2022 },
	{ 0, 1006, NULL, 1280 },		/* 508 + 20, raised */
	{ 8000, 9000, "mtu v6 9000\nmtu v4 9000\n", 8020 },
};

static void test_frag_needed46(void **state)
{
	for (size_t i = 0; i < sizeof(mtu46) / sizeof(mtu46[0]); i++) {
		const struct mtu_row *r = &mtu46[i];
		struct pb_env *env = pb_reconf(state, r->conf);
		size_t inlen = inner4_udp(r->inner_tot - 28, 0), len;
		const uint8_t *p;

		/* Quote 548 bytes, as an RFC 1812 router does. */
		len = err4(3, 4, r->mtu, inner, 548);
		expect(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED,
		       "verdict", (int)i);
		expect(inlen, r->inner_tot, "inner length", (int)i);
		p = pb_one(env, XLAT_SIDE_V6, 48 + 40 + 528);
		expect(p[40], 2, "type", (int)i);
		expect(p[41], 0, "code", (int)i);
		expect(pb_rd32(p + 44), r->want, "MTU", (int)i);
		expect(pb_l4_resid6(p), 0xffff, "checksum", (int)i);
		expect(pb_rd16(p + 48 + 4), r->inner_tot - 20,
		       "inner payload length", (int)i);
	}
}

/* The inner echo request gets its type and checksum translated too. */
static void test_inner_echo46(void **state)
{
	struct pb_env *env = *state;
	struct pb4 h = { .src = N6_4, .dst = N4, .proto = 1, .ttl = 1 };
	size_t inlen, len;
	const uint8_t *p;

	pb_pattern(data, 24, 0x11);
	pb_icmp(l4, 8, 0, 0x00420001, data, 24);
	inlen = pb_ip4(inner, &h, l4, 32);
	len = err4(11, 0, 0, inner, inlen);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = check_outer6(env, 48 + 40 + 32, 3, 0, 0);
	assert_int_equal(p[48 + 6], 58);
	assert_int_equal(p[48 + 7], 1);
	assert_int_equal(p[88], 128);
	assert_memory_equal(p + 92, inner + 24, 28);
	assert_int_equal(pb_l4_resid6(p + 48), 0xffff);
}

/* A translated ICMPv6 error is cut at 1280 bytes (RFC 4443 2.4 (c)). */
static void test_truncate46(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner4_udp(1400 - 28, 0x28);
	size_t len = err4(3, 3, 0, inner, inlen);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = check_outer6(env, 1280, 1, 4, 0);
	assert_int_equal(pb_rd16(p + 48 + 4), 1380);	/* as the header said */
	assert_int_equal(p[48 + 7], INNER_TTL);
	assert_true(pb_is_a6(p + 48 + 8, N6));
	assert_memory_equal(p + 88, inner + 20, 6);
	assert_memory_equal(p + 96, inner + 28, 1280 - 96);
}

/* RFC 7915 4.3 / RFC 1812 4.3.2.7: an error about an error is dropped. */
static void test_nested46(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner4_udp(20, 0), in2, len;
	struct pb4 h = { .src = N6_4, .dst = N4, .proto = 1, .ttl = 3 };

	/* inner: an ICMPv4 port unreachable, itself quoting a packet */
	pb_icmp(l4, 3, 3, 0, inner, inlen);
	in2 = pb_ip4(data, &h, l4, 8 + inlen);
	len = err4(11, 0, 0, data, in2);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP_NESTED), 1);
	assert_int_equal(pb_drops(env), 1);
}

static void test_bad_csum46(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner4_udp(20, 0);
	size_t len = err4(3, 3, 0, inner, inlen);

	pkt[22] ^= 0x40;
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP_CSUM), 1);
	assert_int_equal(pb_drops(env), 1);
}

/*
 * RFC 4884 in ICMPv4 (length in 32-bit words, byte 5) -> ICMPv6 (64-bit
 * words, byte 4). 128 bytes of IPv4 datagram become 148 of IPv6: the
 * field must be a whole number of 8-byte units, so it is either cut to
 * 144 or zero-padded to 152 (both are RFC 4884 4.1 compliant); the
 * length attribute says which, and the extension follows it unchanged.
 */
static void ext46(void **state, uint8_t type, uint8_t code, uint8_t type6,
		  uint8_t code6)
{
	struct pb_env *env = *state;
	uint8_t body[PB_MAX];
	size_t inlen = inner4_udp(300, 0), ext, len, field, quoted;
	const uint8_t *p;

	memcpy(body, inner, 128);
	ext = pb_icmp_ext(body + 128, 8);
	len = err4(type, code, 32u << 16, body, 128 + ext);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = env->out.pkt[0].data;
	field = (size_t)p[44] * 8;
	if (field != 144 && field != 152)
		fail_msg("RFC 4884 length %zu bytes, expected 144 or 152",
			 field);
	check_outer6(env, 48 + field + ext, type6, code6,
		     (uint32_t)p[44] << 24);
	assert_int_equal(pb_rd16(p + 48 + 4), inlen - 20);
	assert_memory_equal(p + 88, inner + 20, 6);
	quoted = field > 148 ? 148 : field;
	assert_memory_equal(p + 96, inner + 28, quoted - 48);
	if (field > 148)
		assert_memory_equal(p + 48 + 148, "\0\0\0\0", 4);
	assert_memory_equal(p + 48 + field, body + 128, ext);
}

static void test_ext46_time_exceeded(void **state)
{
	ext46(state, 11, 0, 3, 0);
}

static void test_ext46_unreachable(void **state)
{
	ext46(state, 3, 1, 1, 0);
}

/*
 * RFC 4884, long quote and a large extension: the ICMPv6 error must stay
 * within 1280 bytes, so the datagram field is cut (to whole units, never
 * below 128 bytes) and the extension is kept whole after it.
 */
static void test_ext46_cut(void **state)
{
	struct pb_env *env = *state;
	uint8_t body[PB_MAX];
	size_t ext, len, field;
	const uint8_t *p;

	inner4_udp(1500, 0);
	memcpy(body, inner, 1020);
	ext = pb_icmp_ext(body + 1020, 192);
	len = err4(3, 3, 255u << 16, body, 1020 + ext);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = env->out.pkt[0].data;
	field = (size_t)p[44] * 8;
	assert_true(field >= 128);
	p = check_outer6(env, 48 + field + ext, 1, 4,
			 (uint32_t)p[44] << 24);
	assert_true(48 + field + ext <= 1280);
	assert_true(48 + field + ext > 1280 - 8);
	assert_memory_equal(p + 96, inner + 28, field - 48);
	assert_memory_equal(p + 48 + field, body + 1020, ext);
}

/*
 * RFC 6791 (RFC 7915 4.2 note): with no pool6, an ICMPv4 error from an
 * unmapped router gets its source from rfc6791v6-prefix, else the
 * translator's own IPv6 address.
 */
static void rfc6791v6(void **state, const char *conf, const char *want,
		      size_t want_bytes)
{
	struct pb_env *env = pb_reconf(state, conf);
	struct pb4 ih = { .src = "10.0.0.5", .dst = N4, .proto = 17 };
	struct pb4 h = { .src = "203.0.113.1", .dst = "10.0.0.5",
			 .proto = 1 };
	uint8_t want6[16];
	size_t inlen, len;
	const uint8_t *p;

	pb_udp(l4, 1, 2, data, 20);
	inlen = pb_ip4(inner, &ih, l4, 28);
	pb_icmp(l4, 3, 1, 0, inner, inlen);
	len = pb_ip4(pkt, &h, l4, 8 + inlen);
	assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, 48 + 40 + 28);
	pb_a6(want, want6);
	assert_memory_equal(p + 8, want6, want_bytes);
	assert_true(pb_is_a6(p + 24, "2001:db8:2::5"));
	assert_true(pb_is_a6(p + 48 + 8, "2001:db8:2::5"));
	assert_true(pb_is_a6(p + 48 + 24, "2001:db8:4::2"));
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

static void test_rfc6791v6_own(void **state)
{
	rfc6791v6(state, "pool6 none\neamt 2001:db8:4::/120 198.51.100.0/24\n",
		  "2001:db8:1c0:2:1::", 16);
}

static void test_rfc6791v6_pool(void **state)
{
	rfc6791v6(state, "pool6 none\neamt 2001:db8:4::/120 198.51.100.0/24\n"
		  "rfc6791v6-prefix 2001:db8:ffff::/120\n",
		  "2001:db8:ffff::", 15);
}

/* --- IPv6 -> IPv4 ---------------------------------------------------- */

/* The packet N4 sent (as IPv6) that the IPv6 router complains about. */
static size_t inner6_udp(size_t dlen, uint8_t tc)
{
	struct pb6 h = { .src = N4_6, .dst = N6, .proto = 17, .tc = tc,
			 .hlim = INNER_TTL };

	pb_pattern(data, dlen, 0x60);
	pb_udp(l4, 8000, 123, data, dlen);
	return pb_ip6(inner, &h, l4, 8 + dlen);
}

static size_t err6(const char *src, uint8_t type, uint8_t code,
		   uint32_t rest, const uint8_t *in, size_t inlen)
{
	struct pb6 h = { .src = src, .dst = N4_6, .proto = 58, .hlim = 60 };
	size_t n = pb_icmp(l4, type, code, rest, in, inlen);

	return pb_ip6(pkt, &h, l4, n);
}

static void check_inner4(const uint8_t *q, size_t inlen, uint8_t tc)
{
	assert_int_equal(q[0], 0x45);
	assert_int_equal(q[1], tc);
	assert_int_equal(pb_rd16(q + 2), inlen - 20);
	assert_int_equal(q[8], INNER_TTL);	/* RFC 7915 5.3: no decrement */
	assert_int_equal(q[9], 17);
	assert_true(pb_ip4_hdr_ok(q));
	assert_true(pb_is_a4(q + 12, N4));
	assert_true(pb_is_a4(q + 16, N6_4));
	assert_memory_equal(q + 20, inner + 40, 6);
	assert_memory_equal(q + 28, inner + 48, inlen - 48);
	assert_int_equal(pb_l4_resid4(q), 0xffff);
}

static const uint8_t *check_outer4(const struct pb_env *env, size_t len,
				   const char *src, uint8_t type,
				   uint8_t code, uint32_t rest)
{
	const uint8_t *p = pb_one(env, XLAT_SIDE_V4, len);

	assert_int_equal(p[8], 59);
	assert_int_equal(p[9], 1);
	assert_true(pb_is_a4(p + 12, src));
	assert_true(pb_is_a4(p + 16, N4));
	assert_int_equal(p[20], type);
	assert_int_equal(p[21], code);
	assert_int_equal(pb_rd32(p + 24), rest);
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	return p;
}

/* RFC 7915 5.2 (ICMPv6 -> ICMPv4), every row but Packet Too Big. */
static const struct map_row map64[] = {
	{ 1, 0, 0, 3, 1, 0 },		/* no route */
	{ 1, 1, 0, 3, 10, 0 },		/* administratively prohibited */
	{ 1, 2, 0, 3, 1, 0 },		/* beyond scope */
	{ 1, 3, 0, 3, 1, 0 },		/* address unreachable */
	{ 1, 4, 0, 3, 3, 0 },		/* port unreachable */
	{ 1, 5, 0, -1, 0, 0 },
	{ 1, 6, 0, -1, 0, 0 },
	{ 1, 7, 0, -1, 0, 0 },
	{ 3, 0, 0, 11, 0, 0 },		/* hop limit exceeded */
	{ 3, 1, 0, 11, 1, 0 },		/* reassembly time exceeded */
	{ 4, 1, 0, 3, 2, 0 },		/* unrecognized Next Header */
	{ 4, 2, 0, -1, 0, 0 },		/* unrecognized option */
	{ 4, 3, 0, -1, 0, 0 },
	{ 5, 0, 0, -1, 0, 0 },		/* unassigned error types */
	{ 100, 0, 0, -1, 0, 0 },
	{ 127, 0, 0, -1, 0, 0 },
};

static void run_row64(struct pb_env *env, const struct map_row *r, int i,
		      size_t inlen)
{
	size_t len = err6(R6, r->type, r->code, r->rest, inner, inlen);
	enum xlat_verdict v = pb_run(env, XLAT_SIDE_V6, pkt, len);
	const uint8_t *p;

	if (r->to_type < 0) {
		expect(v, XLAT_DROP, "verdict", i);
		expect(env->out.count, 0, "output count", i);
		expect((long)pb_cnt(env, XLAT_CNT_DROP_ICMP_UNTRANSLATABLE), 1,
		       "drop_icmp_untranslatable", i);
		return;
	}
	expect(v, XLAT_TRANSLATED, "verdict", i);
	expect(env->out.count, 1, "output count", i);
	p = env->out.pkt[0].data;
	expect(p[20], r->to_type, "ICMPv4 type", i);
	expect(p[21], r->to_code, "ICMPv4 code", i);
	expect(pb_rd32(p + 24), r->to_rest, "ICMPv4 word 2", i);
	check_outer4(env, 28 + inlen - 20, R6_4, p[20], p[21], r->to_rest);
	check_inner4(p + 28, inlen, 0);
	expect((long)pb_cnt(env, XLAT_CNT_XLAT_6TO4), 1, "translated", i);
}

static void test_map64(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner6_udp(40, 0);

	for (size_t i = 0; i < sizeof(map64) / sizeof(map64[0]); i++) {
		reset_counts(env);
		run_row64(env, &map64[i], (int)i, inlen);
	}
}

/* RFC 7915 Figure 6: Parameter Problem pointer, IPv6 -> IPv4. */
static int ptr64(uint32_t p)
{
	static const int fixed[8] = { 0, 1, -1, -1, 2, 2, 9, 8 };

	if (p < 8)
		return fixed[p];
	if (p < 24)
		return 12;
	return p < 40 ? 16 : -1;
}

static void test_param_problem64(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner6_udp(40, 0);

	for (uint32_t ptr = 0; ptr < 48; ptr++) {
		int want = ptr64(ptr);
		struct map_row r = { 4, 0, ptr, want < 0 ? -1 : 12, 0,
				     (uint32_t)want << 24 };

		reset_counts(env);
		run_row64(env, &r, (int)ptr, inlen);
	}
	reset_counts(env);
	run_row64(env, &(struct map_row){ 4, 0, 0x10000, -1, 0, 0 }, 99,
		  inlen);
}

/* Informational ICMPv6 other than echo (MLD, ND...): dropped. */
static void test_info64_dropped(void **state)
{
	static const uint8_t types[] = { 130, 131, 132, 133, 134, 135, 136,
					 137, 143, 200 };
	struct pb_env *env = *state;
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 58 };

	for (size_t i = 0; i < sizeof(types); i++) {
		size_t len;

		reset_counts(env);
		pb_icmp(l4, types[i], 0, 0, data, 16);
		len = pb_ip6(pkt, &h, l4, 24);
		expect(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP,
		       "verdict", types[i]);
		expect(env->out.count, 0, "output count", types[i]);
		expect((long)pb_cnt(env, XLAT_CNT_DROP_ICMP_UNTRANSLATABLE), 1,
		       "drop_icmp_untranslatable", types[i]);
	}
}

/* RFC 7915 5.2: minimum(MTU - 20, IPv4 MTU, IPv6 MTU - 20). */
static const struct mtu_row mtu64[] = {
	{ 1400, 0, NULL, 1380 },
	{ 1280, 0, NULL, 1260 },
	{ 1500, 0, NULL, 1480 },
	{ 1400, 0, "mtu v4 1200\n", 1200 },
	{ 1400, 0, "mtu v6 1300\n", 1280 },
	{ 70000, 0, NULL, 1480 },
	{ 9000, 0, "mtu v6 9000\nmtu v4 9000\n", 8980 },
};

static void test_packet_too_big64(void **state)
{
	for (size_t i = 0; i < sizeof(mtu64) / sizeof(mtu64[0]); i++) {
		const struct mtu_row *r = &mtu64[i];
		struct pb_env *env = pb_reconf(state, r->conf);
		size_t inlen = inner6_udp(1500 - 48, 0), len;
		const uint8_t *p;

		len = err6(R6, 2, 0, r->mtu, inner, 1232);
		expect(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED,
		       "verdict", (int)i);
		p = pb_one(env, XLAT_SIDE_V4, 576);
		expect(p[20], 3, "type", (int)i);
		expect(p[21], 4, "code", (int)i);
		expect(pb_rd32(p + 24), r->want, "MTU", (int)i);
		expect(pb_l4_resid4(p), 0xffff, "checksum", (int)i);
		expect(pb_rd16(p + 28 + 2), inlen - 20, "inner length",
		       (int)i);
	}
}

/* RFC 6791: an error from an untranslatable source gets a pool address. */
static void test_rfc6791_src(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner6_udp(10, 0);
	size_t len = err6("2001:db8:ffff::1", 3, 0, 0, inner, inlen);

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	check_outer4(env, 28 + inlen - 20, "203.0.113.8", 11, 0, 0);
	env = pb_reconf(state, "rfc6791v4-prefix none\n");
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	check_outer4(env, 28 + inlen - 20, "198.51.100.1", 11, 0, 0);
}

static void test_inner_echo64(void **state)
{
	struct pb_env *env = *state;
	struct pb6 h = { .src = N4_6, .dst = N6, .proto = 58, .hlim = 1 };
	size_t inlen, len;
	const uint8_t *p;

	pb_pattern(data, 24, 0x12);
	pb_icmp(l4, 128, 0, 0x00430002, data, 24);
	inlen = pb_ip6(inner, &h, l4, 32);
	len = err6(R6, 3, 0, 0, inner, inlen);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = check_outer4(env, 28 + 20 + 32, R6_4, 11, 0, 0);
	assert_int_equal(p[28 + 9], 1);
	assert_int_equal(p[28 + 8], 1);
	assert_int_equal(p[48], 8);
	assert_memory_equal(p + 52, inner + 44, 28);
	assert_int_equal(pb_l4_resid4(p + 28), 0xffff);
}

/* A translated ICMPv4 error is cut at 576 bytes (RFC 1812 4.3.2.3). */
static void test_truncate64(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner6_udp(1400 - 48, 0x48);
	size_t len = err6(R6, 1, 4, 0, inner, 1232);
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = check_outer4(env, 576, R6_4, 3, 3, 0);
	assert_int_equal(p[29], 0x48);
	assert_int_equal(pb_rd16(p + 30), inlen - 20);
	assert_memory_equal(p + 48, inner + 40, 6);
	assert_memory_equal(p + 56, inner + 48, 576 - 56);
}

static void test_nested64(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner6_udp(20, 0), in2, len;
	struct pb6 h = { .src = N4_6, .dst = N6, .proto = 58 };

	pb_icmp(l4, 1, 4, 0, inner, inlen);
	in2 = pb_ip6(data, &h, l4, 8 + inlen);
	len = err6(R6, 3, 0, 0, data, in2);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP_NESTED), 1);
	assert_int_equal(pb_drops(env), 1);
}

static void test_bad_csum64(void **state)
{
	struct pb_env *env = *state;
	size_t inlen = inner6_udp(20, 0);
	size_t len = err6(R6, 1, 4, 0, inner, inlen);

	pkt[43] ^= 1;
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP_CSUM), 1);
	assert_int_equal(pb_drops(env), 1);
}

/* RFC 4884, ICMPv6 (64-bit words, byte 4) -> ICMPv4 (32-bit, byte 5). */
static void ext64(void **state, uint8_t type, uint8_t code, uint8_t type4,
		  uint8_t code4)
{
	struct pb_env *env = *state;
	uint8_t body[PB_MAX];
	size_t inlen = inner6_udp(300, 0), ext, len;
	const uint8_t *p;

	memcpy(body, inner, 128);
	ext = pb_icmp_ext(body + 128, 12);
	len = err6(R6, type, code, 16u << 24, body, 128 + ext);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	/* 128 bytes of IPv6 = 108 of IPv4, padded to 128 = 32 words. */
	p = check_outer4(env, 28 + 128 + ext, R6_4, type4, code4, 32u << 16);
	assert_int_equal(pb_rd16(p + 28 + 2), inlen - 20);
	assert_memory_equal(p + 48, inner + 40, 6);
	assert_memory_equal(p + 56, inner + 48, 80);
	for (size_t i = 28 + 108; i < 28 + 128; i++)
		assert_int_equal(p[i], 0);
	assert_memory_equal(p + 28 + 128, body + 128, ext);
}

/* RFC 4884, long quote: cut so that the ICMPv4 error stays in 576. */
static void test_ext64_cut(void **state)
{
	struct pb_env *env = *state;
	uint8_t body[PB_MAX];
	size_t ext, len, field;
	const uint8_t *p;

	inner6_udp(1000, 0);
	memcpy(body, inner, 800);
	ext = pb_icmp_ext(body + 800, 8);
	len = err6(R6, 1, 4, 100u << 24, body, 800 + ext);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = env->out.pkt[0].data;
	field = (size_t)p[25] * 4;
	assert_true(field >= 128);
	p = check_outer4(env, 28 + field + ext, R6_4, 3, 3,
			 (uint32_t)p[25] << 16);
	assert_true(28 + field + ext <= 576);
	assert_true(28 + field + ext > 576 - 4);
	assert_memory_equal(p + 56, inner + 48, field - 28);
	assert_memory_equal(p + 28 + field, body + 800, ext);
}

static void test_ext64_unreachable(void **state)
{
	ext64(state, 1, 4, 3, 3);
}

static void test_ext64_time_exceeded(void **state)
{
	ext64(state, 3, 0, 11, 0);
}

/*
 * RFC 7757 4.2, hairpinned ICMP error: 2001:db8:2::5 (EAMT 10.0.0.5) sent
 * a packet to 2001:db8:101:0:7:: (pool6 form of 1.0.0.7, EAMT
 * 2001:db8:3::7); 2001:db8:3::7 answers with an ICMPv6 error. The error
 * must reach 2001:db8:2::5 quoting the packet as it was sent, i.e. with
 * the inner destination 2001:db8:101:0:7:: (through pool6, like the outer
 * source), or the sender cannot match it to its flow. (The core used to
 * give 2001:db8:3::7, the EAMT form; fixed in 2ee15fe.)
 */
static void test_hairpin_error(void **state)
{
	struct pb_env *env = *state;
	struct pb6 in = { .src = "2001:db8:10a:0:5::", .dst = "2001:db8:3::7",
			  .proto = 17, .hlim = 40 };
	struct pb6 h = { .src = "2001:db8:3::7", .dst = "2001:db8:10a:0:5::",
			 .proto = 58 };
	size_t inlen, len;
	const uint8_t *p;

	pb_udp(l4, 1111, 2222, data, 20);
	inlen = pb_ip6(inner, &in, l4, 28);
	pb_icmp(l4, 1, 4, 0, inner, inlen);
	len = pb_ip6(pkt, &h, l4, 8 + inlen);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, len);
	assert_int_equal(p[40], 1);
	assert_int_equal(p[41], 4);
	assert_true(pb_is_a6(p + 8, "2001:db8:101:0:7::"));
	assert_true(pb_is_a6(p + 24, "2001:db8:2::5"));
	assert_true(pb_is_a6(p + 48 + 8, "2001:db8:2::5"));
	assert_true(pb_is_a6(p + 48 + 24, "2001:db8:101:0:7::"));
	assert_int_equal(pb_l4_resid6(p), 0xffff);
	assert_int_equal(pb_l4_resid6(p + 48), 0xffff);
}

#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_map46),
		T(test_param_problem46),
		T(test_info46_dropped),
		T(test_frag_needed46),
		T(test_inner_echo46),
		T(test_truncate46),
		T(test_nested46),
		T(test_bad_csum46),
		T(test_ext46_time_exceeded),
		T(test_ext46_unreachable),
		T(test_ext46_cut),
		T(test_rfc6791v6_own),
		T(test_rfc6791v6_pool),
		T(test_map64),
		T(test_param_problem64),
		T(test_info64_dropped),
		T(test_packet_too_big64),
		T(test_rfc6791_src),
		T(test_inner_echo64),
		T(test_truncate64),
		T(test_nested64),
		T(test_bad_csum64),
		T(test_ext64_unreachable),
		T(test_ext64_time_exceeded),
		T(test_ext64_cut),
		T(test_hairpin_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
