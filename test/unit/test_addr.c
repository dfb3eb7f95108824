// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "addr.h"
#include "bytes.h"

static struct in_addr v4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in6_addr v6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static struct prefix4 p4(const char *s)
{
	struct prefix4 p;

	assert_int_equal(prefix4_parse(s, &p), 0);
	return p;
}

static struct prefix6 p6(const char *s)
{
	struct prefix6 p;

	assert_int_equal(prefix6_parse(s, &p), 0);
	return p;
}

static void assert_v6_equal(const struct in6_addr *got, const char *want)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, got, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_parse4(void **state)
{
	struct prefix4 p;
	char buf[PREFIX4_STRLEN];

	(void)state;
	p = p4("192.0.2.0/24");
	assert_int_equal(p.len, 24);
	assert_int_equal(ntohl(p.addr.s_addr), 0xc0000200);
	assert_string_equal(prefix4_str(&p, buf), "192.0.2.0/24");

	p = p4("203.0.113.8");
	assert_int_equal(p.len, 32);
	assert_string_equal(prefix4_str(&p, buf), "203.0.113.8/32");

	p = p4("0.0.0.0/0");
	assert_int_equal(p.len, 0);
	p = p4("10.16.0.0/12");
	assert_int_equal(p.len, 12);
	assert_int_equal(ntohl(p.addr.s_addr), 0x0a100000);
}

static void test_parse4_bad(void **state)
{
	static const char *const bad[] = {
		"", "/24", "192.0.2.0/", "192.0.2.0/33", "192.0.2.0/-1",
		"192.0.2.0/+8", "192.0.2.0/ 24", " 192.0.2.0/24",
		"192.0.2.0/24 ", "192.0.2.0/0024", "192.0.2.1/24",
		"10.17.0.0/12", "192.0.2", "192.0.2.256", "2001:db8::/32",
		"192.0.2.0/24/24", "192.0.2.0/2x",
	};
	struct prefix4 p = { .len = 99 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(prefix4_parse(bad[i], &p), -1);
		assert_int_equal(p.len, 99);	/* untouched on failure */
	}
	assert_int_equal(prefix4_parse(NULL, &p), -1);
}

static void test_parse6(void **state)
{
	struct prefix6 p;
	char buf[PREFIX6_STRLEN];

	(void)state;
	p = p6("2001:db8:100::/40");
	assert_int_equal(p.len, 40);
	assert_int_equal(p.addr.s6_addr[4], 0x01);
	assert_string_equal(prefix6_str(&p, buf), "2001:db8:100::/40");

	p = p6("2001:db8::1");
	assert_int_equal(p.len, 128);
	assert_string_equal(prefix6_str(&p, buf), "2001:db8::1/128");

	p = p6("::/0");
	assert_int_equal(p.len, 0);
	p = p6("2001:db8:3::/120");
	assert_string_equal(prefix6_str(&p, buf), "2001:db8:3::/120");

	/* The longest textual form fits the declared buffer size. */
	p = p6("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128");
	assert_string_equal(prefix6_str(&p, buf),
			    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
}

static void test_parse6_bad(void **state)
{
	static const char *const bad[] = {
		"", "/64", "2001:db8::/", "2001:db8::/129", "2001:db8::/1000",
		"2001:db8::1/64", "2001:db8:100::/39", "2001:db8:::/32",
		"192.0.2.0/24", "2001:db8::/6a", "2001:db8::/64 ",
		"2001:db8::%eth0/64",
	};
	struct prefix6 p = { .len = 99 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(prefix6_parse(bad[i], &p), -1);
		assert_int_equal(p.len, 99);
	}
}

static void test_contains(void **state)
{
	struct prefix4 a = p4("192.0.2.0/24");
	struct prefix4 odd = p4("10.16.0.0/12");
	struct prefix4 all = p4("0.0.0.0/0");
	struct prefix4 host = p4("192.0.2.1");
	struct prefix6 b = p6("2001:db8:100::/40");
	struct prefix6 c = p6("2001:db8:3::/121");
	struct in_addr x;
	struct in6_addr y;

	(void)state;
	x = v4("192.0.2.255");
	assert_true(prefix4_contains(&a, &x));
	x = v4("192.0.3.0");
	assert_false(prefix4_contains(&a, &x));
	x = v4("10.31.255.255");
	assert_true(prefix4_contains(&odd, &x));
	x = v4("10.32.0.0");
	assert_false(prefix4_contains(&odd, &x));
	x = v4("10.15.255.255");
	assert_false(prefix4_contains(&odd, &x));
	assert_true(prefix4_contains(&all, &x));
	x = v4("192.0.2.1");
	assert_true(prefix4_contains(&host, &x));
	x = v4("192.0.2.2");
	assert_false(prefix4_contains(&host, &x));

	y = v6("2001:db8:1ff:ffff::1");
	assert_true(prefix6_contains(&b, &y));
	y = v6("2001:db8:200::");
	assert_false(prefix6_contains(&b, &y));
	y = v6("2001:db8:3::7f");
	assert_true(prefix6_contains(&c, &y));
	y = v6("2001:db8:3::80");
	assert_false(prefix6_contains(&c, &y));
}

/*
 * The word-wise prefix comparisons of bytes.h: a difference in bit k is
 * seen by every length above k and by none up to k, at the lengths where
 * the words change (0, 1, 31/32, 63/64/65, 127/128).
 */
static void test_same_prefix(void **state)
{
	static const unsigned int bits128[] = { 0, 1, 31, 32, 63, 64, 65,
						100, 127 };
	static const unsigned int bits32[] = { 0, 1, 7, 8, 30, 31 };
	uint8_t a[16], b[16];

	(void)state;
	for (size_t i = 0; i < sizeof(bits128) / sizeof(bits128[0]); i++) {
		unsigned int k = bits128[i];

		memset(a, 0xa5, sizeof(a));
		memcpy(b, a, sizeof(b));
		b[k / 8] ^= (uint8_t)(0x80u >> (k % 8));
		assert_true(same_prefix128(a, b, k));
		assert_false(same_prefix128(a, b, k + 1));
		assert_false(same_prefix128(a, b, 128));
		assert_true(same_prefix128(a, a, 128));
	}
	for (size_t i = 0; i < sizeof(bits32) / sizeof(bits32[0]); i++) {
		unsigned int k = bits32[i];

		memset(a, 0x5a, 4);
		memcpy(b, a, 4);
		b[k / 8] ^= (uint8_t)(0x80u >> (k % 8));
		assert_true(same_prefix32(a, b, k));
		assert_false(same_prefix32(a, b, k + 1));
		assert_false(same_prefix32(a, b, 32));
		assert_true(same_prefix32(a, a, 32));
	}
	/* Byte order: rd64/wr64 are big-endian, high_bits64 at its ends. */
	wr64(a, 0x0102030405060708ull);
	assert_int_equal(a[0], 1);
	assert_int_equal(a[7], 8);
	assert_true(rd64(a) == 0x0102030405060708ull);
	assert_true(high_bits64(0) == 0);
	assert_true(high_bits64(1) == 0x8000000000000000ull);
	assert_true(high_bits64(64) == ~0ull);
}

static void test_overlaps(void **state)
{
	struct prefix4 a = p4("192.0.2.0/24"), b = p4("192.0.2.128/25");
	struct prefix4 c = p4("192.0.3.0/24"), d = p4("0.0.0.0/0");
	struct prefix6 e = p6("2001:db8:3::/120"), f = p6("2001:db8:3::80/121");
	struct prefix6 g = p6("2001:db8:2::/120");

	(void)state;
	assert_true(prefix4_overlaps(&a, &b));
	assert_true(prefix4_overlaps(&b, &a));
	assert_false(prefix4_overlaps(&a, &c));
	assert_true(prefix4_overlaps(&c, &d));
	assert_true(prefix4_overlaps(&a, &a));
	assert_true(prefix6_overlaps(&e, &f));
	assert_true(prefix6_overlaps(&f, &e));
	assert_false(prefix6_overlaps(&e, &g));
}

static void test_len_valid(void **state)
{
	(void)state;
	for (unsigned int len = 0; len <= 128; len++) {
		bool want = len == 32 || len == 40 || len == 48 ||
			    len == 56 || len == 64 || len == 96;

		assert_int_equal(rfc6052_len_valid((uint8_t)len), want);
	}
}

/* RFC 6052 section 2.4: every row of the example table, both ways. */
static const struct {
	const char *prefix;
	const char *embedded;
} rfc6052_table[] = {
	{ "2001:db8::/32", "2001:db8:c000:221::" },
	{ "2001:db8:100::/40", "2001:db8:1c0:2:21::" },
	{ "2001:db8:122::/48", "2001:db8:122:c000:2:2100::" },
	{ "2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::" },
	{ "2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0" },
	{ "2001:db8:122:344::/96", "2001:db8:122:344::c000:221" },
	/* RFC 6052 section 2.4 also shows the Well-Known Prefix. */
	{ "64:ff9b::/96", "64:ff9b::c000:221" },
};

static void test_rfc6052_embed(void **state)
{
	struct in_addr a = v4("192.0.2.33");

	(void)state;
	for (size_t i = 0; i < sizeof(rfc6052_table) / sizeof(rfc6052_table[0]);
	     i++) {
		struct prefix6 p = p6(rfc6052_table[i].prefix);
		struct in6_addr out;

		memset(&out, 0xaa, sizeof(out));
		rfc6052_embed(&p, &a, &out);
		assert_v6_equal(&out, rfc6052_table[i].embedded);
		assert_int_equal(out.s6_addr[8], 0);	/* the u octet */
	}
}

static void test_rfc6052_extract(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rfc6052_table) / sizeof(rfc6052_table[0]);
	     i++) {
		struct prefix6 p = p6(rfc6052_table[i].prefix);
		struct in6_addr in = v6(rfc6052_table[i].embedded);
		struct in_addr out;

		assert_true(prefix6_contains(&p, &in));
		rfc6052_extract(&p, &in, &out);
		assert_int_equal(ntohl(out.s_addr), 0xc0000221);
	}
}

/* The u octet and the suffix of the input play no part in extraction. */
static void test_rfc6052_extract_skips_u(void **state)
{
	struct prefix6 p = p6("2001:db8:100::/40");
	struct prefix6 q = p6("2001:db8:122:344::/64");
	struct in6_addr in = v6("2001:db8:1c0:2:ff21:ffff:ffff:ffff");
	struct in_addr out;

	(void)state;
	rfc6052_extract(&p, &in, &out);
	assert_int_equal(ntohl(out.s_addr), 0xc0000221);

	in = v6("2001:db8:122:344:ffc6:3364:2ff:ffff");
	rfc6052_extract(&q, &in, &out);
	assert_int_equal(ntohl(out.s_addr), 0xc6336402);
}

/* The conformance setup's n4, seen from IPv6 through 2001:db8:100::/40. */
static void test_rfc6052_conformance_n4(void **state)
{
	struct prefix6 p = p6("2001:db8:100::/40");
	struct in_addr a = v4("198.51.100.2");
	struct in6_addr out;

	(void)state;
	rfc6052_embed(&p, &a, &out);
	assert_v6_equal(&out, "2001:db8:1c6:3364:2::");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse4),
		cmocka_unit_test(test_parse4_bad),
		cmocka_unit_test(test_parse6),
		cmocka_unit_test(test_parse6_bad),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_same_prefix),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_len_valid),
		cmocka_unit_test(test_rfc6052_embed),
		cmocka_unit_test(test_rfc6052_extract),
		cmocka_unit_test(test_rfc6052_extract_skips_u),
		cmocka_unit_test(test_rfc6052_conformance_n4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
