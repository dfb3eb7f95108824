// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "addrmap.h"

/* The default SIIT setup of the Jool graybox conformance cases. */
static const char conformance_siit[] =
	"pool6 2001:db8:100::/40\n"
	"eamt 2001:db8:3::/120 1.0.0.0/24\n"
	"eamt 2001:db8:2::/120 10.0.0.0/24\n"
	"rfc6791v4-prefix 203.0.113.8\n";

static void load(struct config *cfg, const char *text)
{
	char err[256] = "";

	if (config_parse_string("test", text, cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

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

/* Maps in (IPv6 text) to IPv4; checks the rule and, if mapped, the result. */
static void check_6to4(const struct config *cfg, const char *in,
		       enum addrmap_rule rule, const char *want)
{
	struct in6_addr a = v6(in);
	struct in_addr out = { .s_addr = 0xdeadbeef };
	char buf[INET_ADDRSTRLEN];

	assert_string_equal(addrmap_rule_name(addrmap_6to4(cfg, &a, &out, NULL)),
			    addrmap_rule_name(rule));
	if (want) {
		inet_ntop(AF_INET, &out, buf, sizeof(buf));
		assert_string_equal(buf, want);
	} else {
		assert_int_equal(out.s_addr, 0xdeadbeef);	/* not written */
	}
}

static void check_4to6(const struct config *cfg, const char *in,
		       enum addrmap_rule rule, const char *want)
{
	struct in_addr a = v4(in);
	struct in6_addr out, untouched;
	char buf[INET6_ADDRSTRLEN];

	memset(&out, 0xee, sizeof(out));
	untouched = out;
	assert_string_equal(addrmap_rule_name(addrmap_4to6(cfg, &a, &out, NULL)),
			    addrmap_rule_name(rule));
	if (want) {
		inet_ntop(AF_INET6, &out, buf, sizeof(buf));
		assert_string_equal(buf, want);
	} else {
		assert_memory_equal(&out, &untouched, sizeof(out));
	}
}

static void test_rule_names(void **state)
{
	(void)state;
	assert_string_equal(addrmap_rule_name(ADDRMAP_NONE), "none");
	assert_string_equal(addrmap_rule_name(ADDRMAP_EAMT), "eamt");
	assert_string_equal(addrmap_rule_name(ADDRMAP_POOL6), "pool6");
	assert_string_equal(addrmap_rule_name(ADDRMAP_DENIED), "denylist");
	assert_string_equal(addrmap_rule_name(ADDRMAP_NON_GLOBAL), "non-global");
	assert_string_equal(addrmap_rule_name((enum addrmap_rule)42), "?");
}

/* RFC 7757 section 3 style EAMT, as the conformance setup uses it. */
static void test_eamt_conformance(void **state)
{
	struct config cfg;
	struct in6_addr a6 = v6("2001:db8:2::7");
	struct in_addr a4 = v4("1.0.0.9"), o4;
	struct in6_addr o6;
	size_t entry = 99;

	(void)state;
	load(&cfg, conformance_siit);
	check_4to6(&cfg, "1.0.0.5", ADDRMAP_EAMT, "2001:db8:3::5");
	check_6to4(&cfg, "2001:db8:3::5", ADDRMAP_EAMT, "1.0.0.5");
	check_4to6(&cfg, "1.0.0.255", ADDRMAP_EAMT, "2001:db8:3::ff");
	check_6to4(&cfg, "2001:db8:3::", ADDRMAP_EAMT, "1.0.0.0");
	check_4to6(&cfg, "10.0.0.1", ADDRMAP_EAMT, "2001:db8:2::1");
	check_6to4(&cfg, "2001:db8:2::fe", ADDRMAP_EAMT, "10.0.0.254");

	/* The index of the entry used is reported. */
	assert_int_equal(addrmap_6to4(&cfg, &a6, &o4, &entry), ADDRMAP_EAMT);
	assert_int_equal(entry, 1);
	assert_int_equal(addrmap_4to6(&cfg, &a4, &o6, &entry), ADDRMAP_EAMT);
	assert_int_equal(entry, 0);

	/* Just outside the entries: falls to pool6 or to nothing. */
	check_6to4(&cfg, "2001:db8:3::100", ADDRMAP_NONE, NULL);
	check_4to6(&cfg, "1.0.1.0", ADDRMAP_POOL6, "2001:db8:101:1::");
	config_free(&cfg);
}

/* The conformance nodes: n6 and n4 through pool6 2001:db8:100::/40. */
static void test_pool6_conformance(void **state)
{
	struct config cfg;

	(void)state;
	load(&cfg, conformance_siit);
	check_6to4(&cfg, "2001:db8:1c0:2:21::", ADDRMAP_POOL6, "192.0.2.33");
	check_4to6(&cfg, "192.0.2.33", ADDRMAP_POOL6, "2001:db8:1c0:2:21::");
	check_4to6(&cfg, "198.51.100.2", ADDRMAP_POOL6, "2001:db8:1c6:3364:2::");
	check_6to4(&cfg, "2001:db8:1c6:3364:2::", ADDRMAP_POOL6, "198.51.100.2");
	/* Outside pool6 and the EAMT. */
	check_6to4(&cfg, "2001:db8:1c0:2:1::", ADDRMAP_POOL6, "192.0.2.1");
	check_6to4(&cfg, "2001:db8:200::1", ADDRMAP_NONE, NULL);
	config_free(&cfg);
}

static void test_pool6_wkp(void **state)
{
	struct config cfg;

	(void)state;
	load(&cfg, "mode nat64\npool6 64:ff9b::/96\n");
	check_6to4(&cfg, "64:ff9b::93.184.216.34", ADDRMAP_POOL6,
		   "93.184.216.34");
	check_4to6(&cfg, "93.184.216.34", ADDRMAP_POOL6, "64:ff9b::5db8:d822");
	check_6to4(&cfg, "2001:db8::5", ADDRMAP_NONE, NULL);
	config_free(&cfg);
}

/*
 * RFC 6052 section 3.1: under 64:ff9b::/96 every non-global range, at its
 * edges, is refused both ways (the reserved ones keep their own rule);
 * the neighbours and the registry's global exceptions translate.
 */
static void test_wkp_non_global(void **state)
{
	static const char *const nonglobal[] = {
		"10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255",
		"172.16.0.0", "172.31.255.255", "192.0.0.0", "192.0.0.8",
		"192.0.0.11", "192.0.0.255", "192.0.2.0", "192.0.2.255",
		"192.168.0.0", "192.168.255.255", "198.18.0.0",
		"198.19.255.255", "198.51.100.0", "198.51.100.255",
		"203.0.113.0", "203.0.113.255", "240.0.0.0",
		"255.255.255.254",
	};
	static const char *const global[] = {
		"9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
		"172.15.255.255", "172.32.0.0", "191.255.255.255",
		"192.0.0.9", "192.0.0.10", "192.0.1.0", "192.0.3.0",
		"192.88.99.1", "192.167.255.255", "192.169.0.0",
		"198.17.255.255", "198.20.0.0", "198.51.99.255",
		"198.51.101.0", "203.0.112.255", "203.0.114.0",
		"223.255.255.255",
	};
	struct addrmap_explain ex;
	struct config cfg;
	char a6[INET6_ADDRSTRLEN];
	struct in_addr a4;

	(void)state;
	load(&cfg, "pool6 64:ff9b::/96\n");
	for (size_t i = 0; i < sizeof(nonglobal) / sizeof(nonglobal[0]); i++) {
		snprintf(a6, sizeof(a6), "64:ff9b::%s", nonglobal[i]);
		check_4to6(&cfg, nonglobal[i], ADDRMAP_NON_GLOBAL, NULL);
		check_6to4(&cfg, a6, ADDRMAP_NON_GLOBAL, NULL);
		a4 = v4(nonglobal[i]);
		assert_false(addrmap_pool6_allows(&cfg, &a4));
	}
	for (size_t i = 0; i < sizeof(global) / sizeof(global[0]); i++) {
		snprintf(a6, sizeof(a6), "64:ff9b::%s", global[i]);
		check_6to4(&cfg, a6, ADDRMAP_POOL6, global[i]);
		a4 = v4(global[i]);
		assert_true(addrmap_pool6_allows(&cfg, &a4));
	}
	/* The reserved ones stay "reserved", but pool6 may not embed them. */
	check_4to6(&cfg, "127.0.0.1", ADDRMAP_DENIED, NULL);
	a4 = v4("127.0.0.1");
	assert_false(addrmap_pool6_allows(&cfg, &a4));
	/* Why, for transctl address query. */
	a4 = v4("10.1.2.3");
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex),
			 ADDRMAP_NON_GLOBAL);
	assert_int_equal(ex.why, ADDRMAP_WHY_NON_GLOBAL);
	assert_string_equal(ex.reserved, "10.0.0.0/8, private use (RFC 1918)");
	assert_string_equal(addrmap_why_name(ex.why), "non-global");
	assert_string_equal(addrmap_rule_name(ex.rule), "non-global");
	/* An EAMT entry may still map a private range on purpose. */
	config_free(&cfg);
	load(&cfg, "pool6 64:ff9b::/96\neamt 2001:db8:7::/120 10.0.0.0/24\n");
	check_4to6(&cfg, "10.0.0.1", ADDRMAP_EAMT, "2001:db8:7::1");
	check_6to4(&cfg, "64:ff9b::10.0.0.1", ADDRMAP_NON_GLOBAL, NULL);
	config_free(&cfg);

	/* The operator's way out, and prefixes the rule does not cover. */
	static const char *const free_pools[] = {
		"pool6 64:ff9b::/96\nwkp-allow-non-global yes\n",
		"pool6 64:ff9b:1::/96\n",	/* RFC 8215 local use */
		"pool6 64:ff9b::/64\n",
		"pool6 2001:db8:64::/96\n",
	};
	for (size_t i = 0; i < sizeof(free_pools) / sizeof(free_pools[0]);
	     i++) {
		struct in6_addr out;

		load(&cfg, free_pools[i]);
		a4 = v4("192.168.1.1");
		assert_int_equal(addrmap_4to6(&cfg, &a4, &out, NULL),
				 ADDRMAP_POOL6);
		assert_true(addrmap_pool6_allows(&cfg, &a4));
		a4 = v4("127.0.0.1");
		assert_int_equal(addrmap_4to6(&cfg, &a4, &out, NULL),
				 ADDRMAP_DENIED);
		config_free(&cfg);
	}
}

static void test_nothing_configured(void **state)
{
	struct config cfg;

	(void)state;
	config_init(&cfg);
	check_6to4(&cfg, "64:ff9b::192.0.2.5", ADDRMAP_NONE, NULL);
	check_4to6(&cfg, "192.0.2.5", ADDRMAP_NONE, NULL);
	/* Without pool6 even reserved addresses are simply unmapped. */
	check_4to6(&cfg, "127.0.0.1", ADDRMAP_NONE, NULL);
	config_free(&cfg);
}

/*
 * Overlapping entries (RFC 7757 allows them): the longest prefix wins in
 * each direction, whatever the order of the file.
 */
static void test_eamt_longest_match(void **state)
{
	static const char *const files[] = {
		"eamt 2001:db8:a::/112 192.168.0.0/16\n"
		"eamt 2001:db8:a::100/120 10.1.1.0/24\n"
		"eamt 2001:db8:d::/120 172.16.5.0/24\n"
		"eamt 2001:db8:c::/112 172.16.0.0/16\n",
		"eamt 2001:db8:c::/112 172.16.0.0/16\n"
		"eamt 2001:db8:d::/120 172.16.5.0/24\n"
		"eamt 2001:db8:a::100/120 10.1.1.0/24\n"
		"eamt 2001:db8:a::/112 192.168.0.0/16\n",
	};
	struct in6_addr a6 = v6("2001:db8:a::105");
	struct config cfg;
	struct in_addr o4;
	size_t entry = 99;

	(void)state;
	for (int f = 0; f < 2; f++) {
		load(&cfg, files[f]);
		check_6to4(&cfg, "2001:db8:a::105", ADDRMAP_EAMT, "10.1.1.5");
		check_6to4(&cfg, "2001:db8:a::205", ADDRMAP_EAMT,
			   "192.168.2.5");
		check_4to6(&cfg, "172.16.5.9", ADDRMAP_EAMT, "2001:db8:d::9");
		check_4to6(&cfg, "172.16.6.9", ADDRMAP_EAMT,
			   "2001:db8:c::609");
		check_4to6(&cfg, "10.1.1.77", ADDRMAP_EAMT, "2001:db8:a::14d");
		check_6to4(&cfg, "2001:db8:c::509", ADDRMAP_EAMT, "172.16.5.9");
		assert_int_equal(addrmap_6to4(&cfg, &a6, &o4, &entry),
				 ADDRMAP_EAMT);
		assert_int_equal(entry, f ? 2 : 1);
		config_free(&cfg);
	}
}

/*
 * RFC 7757 section 3.2 with an IPv4 suffix shorter than the IPv6 one: the
 * suffix follows the IPv6 prefix, the bits behind it are zero; back, those
 * bits are ignored. The examples of RFC 7757 appendix B and Jool's.
 */
static void test_eamt_short_suffix(void **state)
{
	struct config cfg;

	(void)state;
	load(&cfg, "eamt 2001:db8:dddd::/64 192.0.2.128/26\n"
		   "eamt 2001:db8::/32 198.51.100.0/24\n"
		   "eamt 2001:db8:1:2::/64 203.0.113.7/32\n"
		   "eamt 2001:db8:ffff::/64 0.0.0.0/0\n");
	check_4to6(&cfg, "192.0.2.130", ADDRMAP_EAMT, "2001:db8:dddd:0:800::");
	check_4to6(&cfg, "192.0.2.191", ADDRMAP_EAMT, "2001:db8:dddd:0:fc00::");
	check_6to4(&cfg, "2001:db8:dddd:0:800::", ADDRMAP_EAMT, "192.0.2.130");
	check_6to4(&cfg, "2001:db8:dddd:0:bff:ffff:ffff:ffff", ADDRMAP_EAMT,
		   "192.0.2.130");
	check_6to4(&cfg, "2001:db8:dddd:0:fc00::1", ADDRMAP_EAMT,
		   "192.0.2.191");
	check_4to6(&cfg, "198.51.100.4", ADDRMAP_EAMT, "2001:db8:400::");
	check_6to4(&cfg, "2001:db8:4ff:ffff::1", ADDRMAP_EAMT, "198.51.100.4");
	/* No IPv4 suffix at all: the whole /64 is one IPv4 address. */
	check_4to6(&cfg, "203.0.113.7", ADDRMAP_EAMT, "2001:db8:1:2::");
	check_6to4(&cfg, "2001:db8:1:2:abcd::1", ADDRMAP_EAMT, "203.0.113.7");
	/* A 32-bit suffix in a 64-bit one (the catch-all). */
	check_4to6(&cfg, "1.2.3.4", ADDRMAP_EAMT, "2001:db8:ffff:0:102:304::");
	check_6to4(&cfg, "2001:db8:ffff:0:102:304:ffff:ffff", ADDRMAP_EAMT,
		   "1.2.3.4");
	config_free(&cfg);
}

/* A host (/128 <-> /32) entry, and a /96 <-> /0 catch-all. */
static void test_eamt_extremes(void **state)
{
	struct config cfg;

	(void)state;
	load(&cfg, "eamt 2001:db8::1 192.0.2.1\n");
	check_6to4(&cfg, "2001:db8::1", ADDRMAP_EAMT, "192.0.2.1");
	check_4to6(&cfg, "192.0.2.1", ADDRMAP_EAMT, "2001:db8::1");
	check_6to4(&cfg, "2001:db8::2", ADDRMAP_NONE, NULL);
	check_4to6(&cfg, "192.0.2.2", ADDRMAP_NONE, NULL);
	config_free(&cfg);

	load(&cfg, "eamt 2001:db8:ffff::/96 0.0.0.0/0\n");
	check_4to6(&cfg, "198.51.100.7", ADDRMAP_EAMT,
		   "2001:db8:ffff::c633:6407");
	check_6to4(&cfg, "2001:db8:ffff::c633:6407", ADDRMAP_EAMT,
		   "198.51.100.7");
	check_4to6(&cfg, "255.255.255.255", ADDRMAP_EAMT,
		   "2001:db8:ffff::ffff:ffff");
	config_free(&cfg);
}

static void test_denylist(void **state)
{
	struct addrmap_explain ex;
	struct config cfg;
	struct in_addr a4;

	(void)state;
	load(&cfg, "pool6 64:ff9b::/96\n"
		   "wkp-allow-non-global yes\n"	/* documentation ranges */
		   "denylist4 192.0.2.0/24\n"
		   "denylist4 198.51.100.128/25\n"
		   "denylist4 198.51.100.192/26\n"	/* nested: longest wins */
		   "eamt 2001:db8:9::/120 192.0.2.0/24\n");
	check_6to4(&cfg, "64:ff9b::198.51.100.1", ADDRMAP_POOL6,
		   "198.51.100.1");
	check_4to6(&cfg, "198.51.100.127", ADDRMAP_POOL6, "64:ff9b::c633:647f");
	check_4to6(&cfg, "198.51.100.128", ADDRMAP_DENIED, NULL);
	check_6to4(&cfg, "64:ff9b::198.51.100.255", ADDRMAP_DENIED, NULL);
	/* The EAMT wins over the denylist (the operator asked for it). */
	check_4to6(&cfg, "192.0.2.1", ADDRMAP_EAMT, "2001:db8:9::1");
	/* ...but not for an address that goes through pool6. */
	check_6to4(&cfg, "64:ff9b::192.0.2.1", ADDRMAP_DENIED, NULL);
	a4 = v4("198.51.100.200");
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), ADDRMAP_DENIED);
	assert_int_equal(ex.entry, 2);
	a4 = v4("198.51.100.130");
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), ADDRMAP_DENIED);
	assert_int_equal(ex.entry, 1);
	config_free(&cfg);
}

/* Each reserved range at its edges, both ways; neighbours translate. */
static void test_reserved(void **state)
{
	static const char *const denied[] = {
		"0.0.0.0", "0.255.255.255", "127.0.0.0", "127.0.0.1",
		"127.255.255.255", "169.254.0.0", "169.254.255.255",
		"224.0.0.0", "224.0.0.1", "239.255.255.255", "255.255.255.255",
	};
	static const char *const allowed[] = {
		"1.0.0.0", "126.255.255.255", "128.0.0.0", "169.253.255.255",
		"169.255.0.0", "223.255.255.255", "240.0.0.0",
		"255.255.255.254",
	};
	struct config cfg;

	(void)state;
	/* Reserved under any prefix, the WKP's own rule aside. */
	load(&cfg, "pool6 64:ff9b::/96\nwkp-allow-non-global yes\n");
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		char a6[INET6_ADDRSTRLEN];

		snprintf(a6, sizeof(a6), "64:ff9b::%s", denied[i]);
		check_4to6(&cfg, denied[i], ADDRMAP_DENIED, NULL);
		check_6to4(&cfg, a6, ADDRMAP_DENIED, NULL);
	}
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		char a6[INET6_ADDRSTRLEN];

		snprintf(a6, sizeof(a6), "64:ff9b::%s", allowed[i]);
		check_6to4(&cfg, a6, ADDRMAP_POOL6, allowed[i]);
	}
	check_4to6(&cfg, "169.255.0.0", ADDRMAP_POOL6, "64:ff9b::a9ff:0");
	config_free(&cfg);

	/* An EAMT entry may map a reserved range on purpose. */
	load(&cfg, "pool6 2001:db8:64::/96\neamt 2001:db8:7::/120 127.0.0.0/24\n");
	check_4to6(&cfg, "127.0.0.1", ADDRMAP_EAMT, "2001:db8:7::1");
	check_6to4(&cfg, "2001:db8:7::1", ADDRMAP_EAMT, "127.0.0.1");
	config_free(&cfg);
}

static void test_rfc6791_v4(void **state)
{
	struct config cfg;
	struct in_addr out;

	(void)state;
	load(&cfg, conformance_siit);
	for (uint32_t h = 0; h < 1000; h += 37) {
		assert_int_equal(addrmap_rfc6791_v4(&cfg, h * 2654435761u, &out), 0);
		assert_int_equal(ntohl(out.s_addr), 0xcb007108);	/* .8 */
	}
	config_free(&cfg);

	load(&cfg, "rfc6791v4-prefix 203.0.113.4/30\n");
	assert_int_equal(addrmap_rfc6791_v4(&cfg, 0, &out), 0);
	assert_int_equal(ntohl(out.s_addr), 0xcb007104);
	assert_int_equal(addrmap_rfc6791_v4(&cfg, 1, &out), 0);
	assert_int_equal(ntohl(out.s_addr), 0xcb007105);
	assert_int_equal(addrmap_rfc6791_v4(&cfg, 0xffffffff, &out), 0);
	assert_int_equal(ntohl(out.s_addr), 0xcb007107);
	assert_int_equal(addrmap_rfc6791_v4(&cfg, 6, &out), 0);
	assert_int_equal(ntohl(out.s_addr), 0xcb007106);
	config_free(&cfg);

	load(&cfg, "rfc6791v4-prefix 0.0.0.0/0\n");
	assert_int_equal(addrmap_rfc6791_v4(&cfg, 0xc0000221, &out), 0);
	assert_int_equal(ntohl(out.s_addr), 0xc0000221);
	config_free(&cfg);

	load(&cfg, "rfc6791v4-prefix none\n");
	assert_int_equal(addrmap_rfc6791_v4(&cfg, 1, &out), -1);
	config_free(&cfg);
}

static void test_rfc6791_v6(void **state)
{
	struct config cfg;
	struct in6_addr out;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	config_init(&cfg);
	assert_int_equal(addrmap_rfc6791_v6(&cfg, 1, &out), -1);

	load(&cfg, "rfc6791v6-prefix 2001:db8:ffff::1\n");
	assert_int_equal(addrmap_rfc6791_v6(&cfg, 0x12345678, &out), 0);
	assert_string_equal(inet_ntop(AF_INET6, &out, buf, sizeof(buf)),
			    "2001:db8:ffff::1");
	config_free(&cfg);

	load(&cfg, "rfc6791v6-prefix 2001:db8:ffff::/126\n");
	assert_int_equal(addrmap_rfc6791_v6(&cfg, 6, &out), 0);
	assert_string_equal(inet_ntop(AF_INET6, &out, buf, sizeof(buf)),
			    "2001:db8:ffff::2");
	config_free(&cfg);

	load(&cfg, "rfc6791v6-prefix 2001:db8:ffff::/64\n");
	assert_int_equal(addrmap_rfc6791_v6(&cfg, 0xdeadbeef, &out), 0);
	assert_string_equal(inet_ntop(AF_INET6, &out, buf, sizeof(buf)),
			    "2001:db8:ffff::dead:beef");
	config_free(&cfg);
}

/* addrmap_explain_*: the rule, the entry, the reason, both sides. */
static void test_explain(void **state)
{
	struct addrmap_explain ex;
	struct config cfg;
	struct in6_addr a6;
	struct in_addr a4;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	load(&cfg, "pool6 2001:db8:100::/40\n"
		   "eamt 2001:db8:3::/120 1.0.0.0/24\n"
		   "eamt 2001:db8:2::/120 10.0.0.0/24\n"
		   "denylist4 198.51.100.0/25\n"
		   "denylist4 198.51.100.128/25\n");

	a6 = v6("2001:db8:2::7");
	assert_int_equal(addrmap_explain_6to4(&cfg, &a6, &ex), ADDRMAP_EAMT);
	assert_int_equal(ex.why, ADDRMAP_WHY_EAMT);
	assert_int_equal(ex.entry, 1);
	assert_int_equal(ntohl(ex.v4.s_addr), 0x0a000007);
	assert_memory_equal(&ex.v6, &a6, sizeof(a6));

	a4 = v4("1.0.0.9");
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), ADDRMAP_EAMT);
	assert_int_equal(ex.entry, 0);
	assert_string_equal(inet_ntop(AF_INET6, &ex.v6, buf, sizeof(buf)),
			    "2001:db8:3::9");

	a4 = v4("192.0.2.33");
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), ADDRMAP_POOL6);
	assert_int_equal(ex.why, ADDRMAP_WHY_POOL6);
	assert_string_equal(inet_ntop(AF_INET6, &ex.v6, buf, sizeof(buf)),
			    "2001:db8:1c0:2:21::");

	/* Denylisted: which entry, and (from IPv6) the embedded address. */
	a6 = v6("2001:db8:1c6:3364:81::");
	assert_int_equal(addrmap_explain_6to4(&cfg, &a6, &ex), ADDRMAP_DENIED);
	assert_int_equal(ex.why, ADDRMAP_WHY_DENYLIST);
	assert_int_equal(ex.entry, 1);
	assert_int_equal(ntohl(ex.v4.s_addr), 0xc6336481);	/* .129 */
	a4 = v4("198.51.100.2");
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), ADDRMAP_DENIED);
	assert_int_equal(ex.why, ADDRMAP_WHY_DENYLIST);
	assert_int_equal(ex.entry, 0);
	assert_true(IN6_IS_ADDR_UNSPECIFIED(&ex.v6));	/* no result */

	/* Reserved ranges come first and say which one. */
	a4 = v4("127.0.0.1");
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), ADDRMAP_DENIED);
	assert_int_equal(ex.why, ADDRMAP_WHY_RESERVED);
	assert_string_equal(ex.reserved,
			    "127.0.0.0/8, loopback (RFC 1122 section 3.2.1.3)");
	a6 = v6("2001:db8:1e0:0:1::");		/* embeds 224.0.0.1 */
	assert_int_equal(addrmap_explain_6to4(&cfg, &a6, &ex), ADDRMAP_DENIED);
	assert_int_equal(ex.why, ADDRMAP_WHY_RESERVED);
	assert_int_equal(strncmp(ex.reserved, "224.0.0.0/4,", 12), 0);
	assert_int_equal(ntohl(ex.v4.s_addr), 0xe0000001);

	a6 = v6("2001:db8:200::1");
	assert_int_equal(addrmap_explain_6to4(&cfg, &a6, &ex), ADDRMAP_NONE);
	assert_int_equal(ex.why, ADDRMAP_WHY_OUTSIDE);
	assert_int_equal(ex.v4.s_addr, 0);
	config_free(&cfg);

	config_init(&cfg);
	assert_int_equal(addrmap_explain_6to4(&cfg, &a6, &ex), ADDRMAP_NONE);
	assert_int_equal(ex.why, ADDRMAP_WHY_NO_POOL6);
	assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), ADDRMAP_NONE);
	assert_int_equal(ex.why, ADDRMAP_WHY_NO_POOL6);

	assert_string_equal(addrmap_why_name(ADDRMAP_WHY_RESERVED), "reserved");
	assert_string_equal(addrmap_why_name(ADDRMAP_WHY_OUTSIDE),
			    "outside-pool6");
	assert_string_equal(addrmap_why_name((enum addrmap_why)77), "?");
}

/*
 * The explanation is the translation: for addresses across every rule,
 * the explained rule and result equal addrmap_6to4/4to6's.
 */
/*
 * Suffixes at every position the word-wise bit copy treats apart: from
 * bit 0, inside the first 64 bits, across bit 64, inside the last 64,
 * up to bit 128.
 */
static void test_eamt_suffix_positions(void **state)
{
	struct config cfg;

	(void)state;
	load(&cfg, "eamt ::/0 0.0.0.0/1\n"
		   "eamt 8000::/1 128.0.0.0/1\n");
	/* p6.len 0 (suffix from bit 0) and 1. */
	check_4to6(&cfg, "32.1.2.3", ADDRMAP_EAMT, "4002:406::");
	check_6to4(&cfg, "4002:406::", ADDRMAP_EAMT, "32.1.2.3");
	check_4to6(&cfg, "192.1.2.3", ADDRMAP_EAMT, "c001:203::");
	check_6to4(&cfg, "c001:203:ffff::1", ADDRMAP_EAMT, "192.1.2.3");
	config_free(&cfg);

	load(&cfg, "eamt 2001:db8:0:ff00::/56 192.0.2.0/24\n"
		   "eamt 2001:db8:a:b0::/60 10.0.0.0/8\n"
		   "eamt 2001:db8:1:2:3:4:5:600/120 198.51.100.0/24\n"
		   "eamt 2001:db8:1:2:3:4::/96 203.0.113.0/24\n");
	/* Bits 56..63: the last byte of the first word. */
	check_4to6(&cfg, "192.0.2.171", ADDRMAP_EAMT, "2001:db8:0:ffab::");
	check_6to4(&cfg, "2001:db8:0:ffab:ffff::", ADDRMAP_EAMT,
		   "192.0.2.171");
	/* Bits 60..83: across the two words. */
	check_4to6(&cfg, "10.171.205.239", ADDRMAP_EAMT,
		   "2001:db8:a:ba:bcde:f000::");
	check_6to4(&cfg, "2001:db8:a:ba:bcde:ffff::1", ADDRMAP_EAMT,
		   "10.171.205.239");
	/* Bits 120..127, the very end. */
	check_4to6(&cfg, "198.51.100.255", ADDRMAP_EAMT,
		   "2001:db8:1:2:3:4:5:6ff");
	check_6to4(&cfg, "2001:db8:1:2:3:4:5:601", ADDRMAP_EAMT,
		   "198.51.100.1");
	/* Bits 96..103 of a /96 whose IPv6 suffix is longer. */
	check_4to6(&cfg, "203.0.113.18", ADDRMAP_EAMT,
		   "2001:db8:1:2:3:4:1200:0");
	check_6to4(&cfg, "2001:db8:1:2:3:4:12ff:ffff", ADDRMAP_EAMT,
		   "203.0.113.18");
	config_free(&cfg);
}

/*
 * The per-packet path skips the reserved and non-global scans by the
 * first octet: for every first octet, at the edges of the others, it
 * must decide as the explain path (which scans always), under a plain
 * /96 and under the WKP.
 */
static void test_addrmap_octets(void **state)
{
	static const char *const confs[] = {
		"pool6 2001:db8:64::/96\n",
		"pool6 64:ff9b::/96\n",
	};
	static const uint8_t second[] = { 0, 15, 16, 18, 19, 31, 32, 51, 63,
					  64, 127, 128, 168, 254, 255 };
	static const uint8_t third[] = { 0, 2, 100, 113, 255 };
	static const uint8_t last[] = { 0, 1, 9, 10, 11, 255 };
	struct addrmap_explain ex;
	struct config cfg;
	unsigned int refused = 0;

	(void)state;
	for (size_t c = 0; c < 2; c++) {
		load(&cfg, confs[c]);
		for (unsigned int o = 0; o < 256; o++) {
			for (size_t j = 0; j < sizeof(second) * sizeof(third); j++) {
				for (size_t k = 0; k < sizeof(last); k++) {
					uint8_t b[4] = {
						(uint8_t)o,
						second[j % sizeof(second)],
						third[j / sizeof(second)], last[k],
					};
					struct in_addr a;
					struct in6_addr out;
					enum addrmap_rule r;

					memcpy(&a, b, 4);
					r = addrmap_4to6(&cfg, &a, &out, NULL);
					assert_int_equal(r,
						addrmap_explain_4to6(&cfg, &a, &ex));
					refused += r != ADDRMAP_POOL6;
				}
			}
		}
		config_free(&cfg);
	}
	/* Both rules were met (reserved everywhere, non-global under WKP). */
	assert_true(refused > 2000);
}

static void test_explain_agrees(void **state)
{
	struct addrmap_explain ex;
	struct config cfg;
	unsigned int seen[ADDRMAP_NON_GLOBAL + 1] = { 0 };

	(void)state;
	load(&cfg, "pool6 64:ff9b::/96\n"
		   "eamt 64:ff9b::cb00:7100/120 203.0.113.0/24\n"
		   "eamt 2001:db8:9::/112 10.9.0.0/16\n"
		   "denylist4 93.184.216.128/26\n");
	for (uint32_t i = 0; i < 4096; i++) {
		/* Walks 93.184.216.0/24, 203.0.113.0/24, 10.9.x.y, 127.x... */
		static const uint32_t bases[] = {
			0x5db8d800, 0xcb007100, 0x0a090000, 0x7f000000,
		};
		uint32_t h = bases[i % 4] + i / 4;
		struct in_addr a4 = { .s_addr = htonl(h) }, o4;
		struct in6_addr a6, o6;
		enum addrmap_rule r;

		memset(&o6, 0, sizeof(o6));
		r = addrmap_4to6(&cfg, &a4, &o6, NULL);
		seen[r]++;
		assert_int_equal(addrmap_explain_4to6(&cfg, &a4, &ex), r);
		if (r == ADDRMAP_EAMT || r == ADDRMAP_POOL6)
			assert_memory_equal(&ex.v6, &o6, sizeof(o6));
		/* The same address seen from IPv6, through pool6. */
		a6 = v6("64:ff9b::");
		memcpy(&a6.s6_addr[12], &a4.s_addr, 4);
		o4.s_addr = 0;
		r = addrmap_6to4(&cfg, &a6, &o4, NULL);
		assert_int_equal(addrmap_explain_6to4(&cfg, &a6, &ex), r);
		if (r == ADDRMAP_EAMT || r == ADDRMAP_POOL6)
			assert_int_equal(ex.v4.s_addr, o4.s_addr);
		seen[r]++;
	}
	/* Every outcome was exercised. */
	assert_true(seen[ADDRMAP_EAMT] > 500 && seen[ADDRMAP_POOL6] > 500 &&
		    seen[ADDRMAP_DENIED] > 500 &&
		    seen[ADDRMAP_NON_GLOBAL] > 500);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_eamt_conformance),
		cmocka_unit_test(test_pool6_conformance),
		cmocka_unit_test(test_pool6_wkp),
		cmocka_unit_test(test_wkp_non_global),
		cmocka_unit_test(test_nothing_configured),
		cmocka_unit_test(test_eamt_longest_match),
		cmocka_unit_test(test_eamt_short_suffix),
		cmocka_unit_test(test_eamt_extremes),
		cmocka_unit_test(test_eamt_suffix_positions),
		cmocka_unit_test(test_denylist),
		cmocka_unit_test(test_reserved),
		cmocka_unit_test(test_rfc6791_v4),
		cmocka_unit_test(test_rfc6791_v6),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_explain_agrees),
		cmocka_unit_test(test_addrmap_octets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
