// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "config.h"

static void parse_ok(struct config *cfg, const char *text)
{
	char err[256] = "";

	if (config_parse_string("t.conf", text, cfg, err, sizeof(err)) != 0)
		fail_msg("unexpected error: %s", err);
}

/* Parses text, expects the exact one-line error and a freed config. */
static void parse_err(const char *text, const char *want)
{
	struct config cfg;
	char err[256] = "";

	assert_int_equal(config_parse_string("t.conf", text, &cfg, err,
					     sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_null(cfg.eamt);
	assert_int_equal(cfg.eamt_count, 0);
	assert_null(cfg.denylist4);
	assert_int_equal(cfg.denylist4_count, 0);
	assert_false(cfg.pool6_set);
	assert_int_equal(cfg.lowest_ipv6_mtu, 1280);
	assert_null(cfg.nat64.pool4);
	assert_int_equal(cfg.nat64.pool4_count, 0);
	assert_null(cfg.nat64.bib);
	assert_int_equal(cfg.nat64.bib_count, 0);
}

static const char *str4(const struct prefix4 *p, char *buf)
{
	return prefix4_str(p, buf);
}

static const char *str6(const struct prefix6 *p, char *buf)
{
	return prefix6_str(p, buf);
}

static void test_defaults(void **state)
{
	struct config cfg;

	(void)state;
	parse_ok(&cfg, "");
	assert_int_equal(cfg.mode, CONFIG_MODE_SIIT);
	assert_false(cfg.pool6_set);
	assert_int_equal(cfg.eamt_count, 0);
	assert_int_equal(cfg.denylist4_count, 0);
	assert_false(cfg.rfc6791v4_set);
	assert_false(cfg.rfc6791v6_set);
	assert_int_equal(cfg.lowest_ipv6_mtu, 1280);
	assert_false(cfg.amend_udp_checksum_zero);
	assert_false(cfg.zeroize_traffic_class);
	assert_false(cfg.override_tos);
	assert_int_equal(cfg.tos, 0);
	assert_false(cfg.addr6_set);
	assert_false(cfg.addr4_set);
	assert_int_equal(cfg.mtu6, 0);
	assert_int_equal(cfg.mtu4, 0);
	assert_string_equal(cfg.iface6, "");
	assert_string_equal(cfg.iface4, "");
	config_free(&cfg);
}

/* Every directive, with comments, blank lines and odd spacing around. */
static void test_every_directive(void **state)
{
	static const char text[] =
		"# translator config\n"
		"\n"
		"mode siit   # trailing comment (nat64 has no EAMT)\n"
		"\tpool6\t64:ff9b::/96\r\n"
		"eamt 2001:db8:3::/120 1.0.0.0/24\n"
		"eamt 10.0.0.0/24 2001:db8:2::/120   # Jool order, v4 first\n"
		"denylist4 192.0.2.0/24\n"
		"denylist4 198.51.100.7\n"
		"rfc6791v4-prefix 203.0.113.8\n"
		"rfc6791v6-prefix 2001:db8:ffff::/64\n"
		"lowest-ipv6-mtu 1500\n"
		"amend-udp-checksum-zero yes\n"
		"zeroize-traffic-class on\n"
		"override-tos TRUE\n"
		"tos 255\n"
		"address v6 2001:db8:1c0:2:1::/64\n"
		"address v4 198.51.100.1/24\n"
		"mtu v6 1280\n"
		"mtu v4 68\n"
		"interface v6 eth0\n"
		"interface v4 veth-v4.100\n"
		"   # indented comment\n";
	struct config cfg;
	char b[PREFIX6_STRLEN], a[INET6_ADDRSTRLEN];

	(void)state;
	parse_ok(&cfg, text);
	assert_int_equal(cfg.mode, CONFIG_MODE_SIIT);
	assert_true(cfg.pool6_set);
	assert_string_equal(str6(&cfg.pool6, b), "64:ff9b::/96");
	assert_int_equal(cfg.eamt_count, 2);
	assert_string_equal(str6(&cfg.eamt[0].p6, b), "2001:db8:3::/120");
	assert_string_equal(str4(&cfg.eamt[0].p4, b), "1.0.0.0/24");
	assert_string_equal(str6(&cfg.eamt[1].p6, b), "2001:db8:2::/120");
	assert_string_equal(str4(&cfg.eamt[1].p4, b), "10.0.0.0/24");
	assert_int_equal(cfg.denylist4_count, 2);
	assert_string_equal(str4(&cfg.denylist4[0], b), "192.0.2.0/24");
	assert_string_equal(str4(&cfg.denylist4[1], b), "198.51.100.7/32");
	assert_true(cfg.rfc6791v4_set);
	assert_string_equal(str4(&cfg.rfc6791v4, b), "203.0.113.8/32");
	assert_true(cfg.rfc6791v6_set);
	assert_string_equal(str6(&cfg.rfc6791v6, b), "2001:db8:ffff::/64");
	assert_int_equal(cfg.lowest_ipv6_mtu, 1500);
	assert_true(cfg.amend_udp_checksum_zero);
	assert_true(cfg.zeroize_traffic_class);
	assert_true(cfg.override_tos);
	assert_int_equal(cfg.tos, 255);
	assert_true(cfg.addr6_set);
	assert_string_equal(inet_ntop(AF_INET6, &cfg.addr6, a, sizeof(a)),
			    "2001:db8:1c0:2:1::");
	assert_true(cfg.addr4_set);
	assert_string_equal(inet_ntop(AF_INET, &cfg.addr4, a, sizeof(a)),
			    "198.51.100.1");
	assert_int_equal(cfg.mtu6, 1280);
	assert_int_equal(cfg.mtu4, 68);
	assert_string_equal(cfg.iface6, "eth0");
	assert_string_equal(cfg.iface4, "veth-v4.100");
	config_free(&cfg);
	assert_null(cfg.eamt);
	assert_int_equal(cfg.mode, CONFIG_MODE_SIIT);
}

static void test_booleans(void **state)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "yes", true }, { "no", false }, { "true", true },
		{ "false", false }, { "on", true }, { "off", false },
		{ "1", true }, { "0", false }, { "Yes", true }, { "OFF", false },
	};
	struct config cfg;
	char err[128], line[64];

	(void)state;
	config_init(&cfg);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		cfg.amend_udp_checksum_zero = !words[i].value;
		snprintf(line, sizeof(line), "amend-udp-checksum-zero %s",
			 words[i].word);
		assert_int_equal(config_apply_line(&cfg, line, err,
						   sizeof(err)), 0);
		assert_int_equal(cfg.amend_udp_checksum_zero, words[i].value);
	}
	assert_int_equal(config_apply_line(&cfg, "override-tos 2", err,
					   sizeof(err)), -1);
	assert_string_equal(err, "override-tos: '2' is not a boolean (yes/no)");
	config_free(&cfg);
}

/* "none" (and Jool's "null") clear what an earlier line set. */
static void test_none_and_overrides(void **state)
{
	struct config cfg;
	char err[128];

	(void)state;
	parse_ok(&cfg, "pool6 64:ff9b::/96\nrfc6791v4-prefix 203.0.113.0/24\n"
		       "rfc6791v6-prefix 2001:db8::/96\nmode nat64\n");
	assert_int_equal(config_apply_line(&cfg, "pool6 none", err,
					   sizeof(err)), 0);
	assert_false(cfg.pool6_set);
	assert_int_equal(config_apply_line(&cfg, "rfc6791v4-prefix null", err,
					   sizeof(err)), 0);
	assert_false(cfg.rfc6791v4_set);
	assert_int_equal(config_apply_line(&cfg, "rfc6791v6-prefix none", err,
					   sizeof(err)), 0);
	assert_false(cfg.rfc6791v6_set);
	assert_int_equal(config_apply_line(&cfg, "mode siit", err,
					   sizeof(err)), 0);
	assert_int_equal(cfg.mode, CONFIG_MODE_SIIT);
	assert_int_equal(config_apply_line(&cfg, "  # only a comment", err,
					   sizeof(err)), 0);
	assert_int_equal(config_apply_line(&cfg, "", err, sizeof(err)), 0);
	/* A failed line leaves the earlier state alone. */
	assert_int_equal(config_apply_line(&cfg, "lowest-ipv6-mtu 1402", err,
					   sizeof(err)), 0);
	assert_int_equal(config_apply_line(&cfg, "lowest-ipv6-mtu 70000", err,
					   sizeof(err)), -1);
	assert_string_equal(err,
			    "lowest-ipv6-mtu: 70000 is out of range 1280..65535");
	assert_int_equal(cfg.lowest_ipv6_mtu, 1402);
	config_free(&cfg);
}

static void test_pool6_lengths(void **state)
{
	static const char *const good[] = {
		"2001:db8::/32", "2001:db8:100::/40", "2001:db8:122::/48",
		"2001:db8:122:300::/56", "2001:db8:122:344::/64",
		"2001:db8:122:344::/96",
	};
	struct config cfg;
	char err[160], line[64];

	(void)state;
	config_init(&cfg);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "pool6 %s", good[i]);
		assert_int_equal(config_apply_line(&cfg, line, err,
						   sizeof(err)), 0);
		assert_true(cfg.pool6_set);
	}
	config_free(&cfg);
}

/* Exact messages: "NAME:LINE: message", naming the offending token. */
static void test_errors(void **state)
{
	(void)state;
	parse_err("mode siit\n\n# c\npool7 192.0.2.2\n",
		  "t.conf:4: unknown directive 'pool7'");
	parse_err("mode stateful\n", "t.conf:1: mode: 'stateful' is not siit or nat64");
	parse_err("pool6 2001:db8::1/32\n",
		  "t.conf:1: pool6: bad IPv6 prefix '2001:db8::1/32'");
	parse_err("pool6 2001:db8::/33\n",
		  "t.conf:1: pool6: '2001:db8::/33': length must be 32, 40, 48, 56, 64 or 96 (RFC 6052 section 2.2)");
	parse_err("pool6 64:ff9b:0:0:100::/96\n",
		  "t.conf:1: pool6: '64:ff9b:0:0:100::/96': bits 64-71 must be zero (RFC 6052 section 2.2)");
	parse_err("pool6\n",
		  "t.conf:1: pool6: missing argument (usage: pool6 PREFIX|none)");
	parse_err("pool6 64:ff9b::/96 2001:db8::/32 # two\n",
		  "t.conf:1: pool6: extra argument '2001:db8::/32' (usage: pool6 PREFIX|none)");
	parse_err("eamt 2001:db8:3::/120\n",
		  "t.conf:1: eamt: missing argument (usage: eamt PREFIX6 PREFIX4)");
	parse_err("eamt 2001:db8:3::/120 1.0.0.0/23\n",
		  "t.conf:1: eamt: 2001:db8:3::/120 1.0.0.0/23: the IPv4 prefix leaves 9 host bits, the IPv6 prefix only 8; the IPv4 suffix must fit in the IPv6 one (RFC 7757 section 3.2)");
	/* The same prefix twice, on either side (overlaps are allowed). */
	parse_err("eamt 2001:db8:3::/120 1.0.0.0/24\n"
		  "eamt 2001:db8:3::/120 1.0.1.0/24\n",
		  "t.conf:2: eamt: 2001:db8:3::/120 1.0.1.0/24: the entry 2001:db8:3::/120 1.0.0.0/24 already has 2001:db8:3::/120");
	parse_err("eamt 2001:db8:3::/120 1.0.0.0/24\n"
		  "eamt 2001:db8:4::/121 1.0.0.128/25\n"
		  "eamt 2001:db8:5::/112 1.0.0.128/25\n",
		  "t.conf:3: eamt: 2001:db8:5::/112 1.0.0.128/25: the entry 2001:db8:4::/121 1.0.0.128/25 already has 1.0.0.128/25");
	parse_err("denylist4 192.0.2.0/24\ndenylist4 192.0.2.0/24\n",
		  "t.conf:2: denylist4: 192.0.2.0/24 is already listed");
	parse_err("wkp-allow-non-global perhaps\n",
		  "t.conf:1: wkp-allow-non-global: 'perhaps' is not a boolean (yes/no)");
	parse_err("eamt 2001:db8:3::/120 2001:db8:4::/120\n",
		  "t.conf:1: eamt: bad IPv4 prefix '2001:db8:4::/120'");
	parse_err("eamt 1.0.0.0/24 1.0.1.0/24\n",
		  "t.conf:1: eamt: bad IPv6 prefix '1.0.1.0/24'");
	parse_err("denylist4 192.0.2.1/24\n",
		  "t.conf:1: denylist4: bad IPv4 prefix '192.0.2.1/24'");
	parse_err("rfc6791v4-prefix 203.0.113.8/33\n",
		  "t.conf:1: rfc6791v4-prefix: bad IPv4 prefix '203.0.113.8/33'");
	parse_err("rfc6791v6-prefix nothing\n",
		  "t.conf:1: rfc6791v6-prefix: bad IPv6 prefix 'nothing'");
	parse_err("lowest-ipv6-mtu 1279\n",
		  "t.conf:1: lowest-ipv6-mtu: 1279 is out of range 1280..65535");
	parse_err("lowest-ipv6-mtu 99999999999\n",
		  "t.conf:1: lowest-ipv6-mtu: 99999999999 is out of range 1280..65535");
	parse_err("lowest-ipv6-mtu -1\n",
		  "t.conf:1: lowest-ipv6-mtu: '-1' is not a number");
	parse_err("tos 256\n", "t.conf:1: tos: 256 is out of range 0..255");
	parse_err("tos 0x10\n", "t.conf:1: tos: '0x10' is not a number");
	parse_err("zeroize-traffic-class maybe\n",
		  "t.conf:1: zeroize-traffic-class: 'maybe' is not a boolean (yes/no)");
	parse_err("amend-udp-checksum-zero\n",
		  "t.conf:1: amend-udp-checksum-zero: missing argument (usage: amend-udp-checksum-zero yes|no)");
	parse_err("mtu v6 1279\n",
		  "t.conf:1: mtu v6: 1279 is out of range 1280..65535");
	parse_err("mtu v4 67\n", "t.conf:1: mtu v4: 67 is out of range 68..65535");
	parse_err("mtu v4 65536\n",
		  "t.conf:1: mtu v4: 65536 is out of range 68..65535");
	parse_err("mtu v4\n",
		  "t.conf:1: mtu v4: missing argument (usage: mtu v4 N)");
	parse_err("mtu 1500\n", "t.conf:1: mtu: '1500' is not v6 or v4");
	parse_err("mtu\n", "t.conf:1: mtu: missing argument (v6 or v4)");
	parse_err("address v5 1.2.3.4\n",
		  "t.conf:1: address: 'v5' is not v6 or v4");
	parse_err("address v4 1.2.3\n",
		  "t.conf:1: address v4: bad IPv4 address '1.2.3'");
	parse_err("address v4 1.2.3.4/33\n",
		  "t.conf:1: address v4: bad IPv4 address '1.2.3.4/33'");
	parse_err("address v6 198.51.100.1\n",
		  "t.conf:1: address v6: bad IPv6 address '198.51.100.1'");
	parse_err("address v6 2001:db8::1 2001:db8::2\n",
		  "t.conf:1: address v6: extra argument '2001:db8::2' (usage: address v6 ADDR)");
	parse_err("interface v6 averyveryverylongname\n",
		  "t.conf:1: interface v6: bad interface name 'averyveryverylongname'");
	parse_err("interface v4 a/b\n",
		  "t.conf:1: interface v4: bad interface name 'a/b'");
	parse_err("mode siit extra1 extra2 extra3 extra4 extra5 extra6 extra7 extra8\n",
		  "t.conf:1: mode: extra argument 'extra1' (usage: mode siit|nat64)");
	/* Directive names are case-sensitive, like Jool's. */
	parse_err("Mode siit\n", "t.conf:1: unknown directive 'Mode'");
}

/* A later error frees what earlier lines allocated. */
static void test_error_frees(void **state)
{
	(void)state;
	parse_err("eamt 2001:db8:3::/120 1.0.0.0/24\n"
		  "denylist4 192.0.2.0/24\n"
		  "eamt 2001:db8:2::/120 10.0.0.0/24\n"
		  "bogus\n",
		  "t.conf:4: unknown directive 'bogus'");
}

static void test_long_line(void **state)
{
	char *text = malloc(3000);
	char want[64];

	(void)state;
	assert_non_null(text);
	strcpy(text, "mode siit\n# ");
	memset(text + 12, 'x', 2000);
	strcpy(text + 2012, "\n");
	snprintf(want, sizeof(want), "t.conf:2: line too long (over 1023 characters)");
	parse_err(text, want);
	free(text);
}

static char *write_to_string(const struct config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	config_write(cfg, f);
	fclose(f);
	return buf;
}

/* Field by field: the structs have padding that memcmp would see. */
static void assert_p6_equal(const struct prefix6 *a, const struct prefix6 *b)
{
	assert_memory_equal(&a->addr, &b->addr, sizeof(a->addr));
	assert_int_equal(a->len, b->len);
}

static void assert_p4_equal(const struct prefix4 *a, const struct prefix4 *b)
{
	assert_memory_equal(&a->addr, &b->addr, sizeof(a->addr));
	assert_int_equal(a->len, b->len);
}

static void assert_nat64_equal(const struct config_nat64 *a,
			       const struct config_nat64 *b)
{
	assert_int_equal(a->pool4_count, b->pool4_count);
	for (size_t i = 0; i < a->pool4_count; i++) {
		assert_p4_equal(&a->pool4[i].prefix, &b->pool4[i].prefix);
		assert_int_equal(a->pool4[i].port_min, b->pool4[i].port_min);
		assert_int_equal(a->pool4[i].port_max, b->pool4[i].port_max);
		assert_int_equal(a->pool4[i].l4, b->pool4[i].l4);
	}
	assert_int_equal(a->bib_count, b->bib_count);
	for (size_t i = 0; i < a->bib_count; i++) {
		assert_int_equal(a->bib[i].l4, b->bib[i].l4);
		assert_memory_equal(&a->bib[i].addr4, &b->bib[i].addr4, 4);
		assert_memory_equal(&a->bib[i].addr6, &b->bib[i].addr6, 16);
		assert_int_equal(a->bib[i].port4, b->bib[i].port4);
		assert_int_equal(a->bib[i].port6, b->bib[i].port6);
	}
	assert_int_equal(a->tcp_est_timeout, b->tcp_est_timeout);
	assert_int_equal(a->tcp_trans_timeout, b->tcp_trans_timeout);
	assert_int_equal(a->tcp_incoming_syn_timeout,
			 b->tcp_incoming_syn_timeout);
	assert_int_equal(a->udp_timeout, b->udp_timeout);
	assert_int_equal(a->icmp_timeout, b->icmp_timeout);
	assert_int_equal(a->address_dependent_filtering,
			 b->address_dependent_filtering);
	assert_int_equal(a->drop_externally_initiated_tcp,
			 b->drop_externally_initiated_tcp);
	assert_int_equal(a->source_icmpv6_errors_better,
			 b->source_icmpv6_errors_better);
	assert_int_equal(a->max_bib_entries, b->max_bib_entries);
	assert_int_equal(a->max_sessions, b->max_sessions);
	assert_int_equal(a->max_sessions_per_host, b->max_sessions_per_host);
	assert_int_equal(a->max_stored_packets, b->max_stored_packets);
}

static void assert_config_equal(const struct config *a, const struct config *b)
{
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->pool6_set, b->pool6_set);
	assert_p6_equal(&a->pool6, &b->pool6);
	assert_int_equal(a->wkp_allow_non_global, b->wkp_allow_non_global);
	assert_int_equal(a->eamt_count, b->eamt_count);
	for (size_t i = 0; i < a->eamt_count; i++) {
		assert_p6_equal(&a->eamt[i].p6, &b->eamt[i].p6);
		assert_p4_equal(&a->eamt[i].p4, &b->eamt[i].p4);
	}
	assert_int_equal(a->denylist4_count, b->denylist4_count);
	for (size_t i = 0; i < a->denylist4_count; i++)
		assert_p4_equal(&a->denylist4[i], &b->denylist4[i]);
	assert_int_equal(a->rfc6791v4_set, b->rfc6791v4_set);
	assert_p4_equal(&a->rfc6791v4, &b->rfc6791v4);
	assert_int_equal(a->rfc6791v6_set, b->rfc6791v6_set);
	assert_p6_equal(&a->rfc6791v6, &b->rfc6791v6);
	assert_int_equal(a->lowest_ipv6_mtu, b->lowest_ipv6_mtu);
	assert_int_equal(a->amend_udp_checksum_zero, b->amend_udp_checksum_zero);
	assert_int_equal(a->zeroize_traffic_class, b->zeroize_traffic_class);
	assert_int_equal(a->override_tos, b->override_tos);
	assert_int_equal(a->tos, b->tos);
	assert_int_equal(a->addr6_set, b->addr6_set);
	assert_memory_equal(&a->addr6, &b->addr6, sizeof(a->addr6));
	assert_int_equal(a->addr4_set, b->addr4_set);
	assert_memory_equal(&a->addr4, &b->addr4, sizeof(a->addr4));
	assert_int_equal(a->mtu6, b->mtu6);
	assert_int_equal(a->mtu4, b->mtu4);
	assert_string_equal(a->iface6, b->iface6);
	assert_string_equal(a->iface4, b->iface4);
	assert_nat64_equal(&a->nat64, &b->nat64);
}

static void round_trip(const char *text)
{
	struct config a, b;
	char *first, *second;

	parse_ok(&a, text);
	first = write_to_string(&a);
	parse_ok(&b, first);
	assert_config_equal(&a, &b);
	second = write_to_string(&b);
	assert_string_equal(first, second);
	free(first);
	free(second);
	config_free(&a);
	config_free(&b);
}

static void test_round_trip(void **state)
{
	(void)state;
	round_trip("");
	round_trip("mode nat64\npool6 64:ff9b::/96\n"
		   "address v6 2001:db8::1/96\naddress v4 192.0.2.2/24\n");
	round_trip("pool6 2001:db8:100::/40\n"
		   "eamt 2001:db8:3::/120 1.0.0.0/24\n"
		   "eamt 10.0.0.0/24 2001:db8:2::/120\n"
		   "eamt 2001:db8::1 192.0.2.1\n"
		   "eamt 2001:db8:2::80/121 10.0.0.128/26\n"	/* overlaps */
		   "eamt 2001:db8:dddd::/64 192.0.2.128/26\n"
		   "denylist4 192.0.2.128/25\ndenylist4 0.0.0.0/0\n"
		   "wkp-allow-non-global yes\n"
		   "rfc6791v4-prefix 203.0.113.8\n"
		   "rfc6791v6-prefix 2001:db8:ffff::/120\n"
		   "lowest-ipv6-mtu 1402\namend-udp-checksum-zero 1\n"
		   "zeroize-traffic-class true\noverride-tos on\ntos 184\n"
		   "address v6 2001:db8:1c0:2:1::\naddress v4 198.51.100.1\n"
		   "mtu v6 1280\nmtu v4 2153\n"
		   "interface v6 n6\ninterface v4 n4\n");
}

/* What config_write emits for the defaults, line for line. */
static void test_write_defaults(void **state)
{
	struct config cfg;
	char *text;

	(void)state;
	config_init(&cfg);
	text = write_to_string(&cfg);
	assert_string_equal(text,
			    "mode siit\n"
			    "pool6 none\n"
			    "wkp-allow-non-global no\n"
			    "rfc6791v4-prefix none\n"
			    "rfc6791v6-prefix none\n"
			    "lowest-ipv6-mtu 1280\n"
			    "amend-udp-checksum-zero no\n"
			    "zeroize-traffic-class no\n"
			    "override-tos no\n"
			    "tos 0\n"
			    "mss-clamp no\n"
			    "mtu-plateaus 65535,32000,17914,8166,4352,2002,"
			    "1492,1006,508,296,68\n"
			    "drop-icmpv6-info no\n"
			    "randomize-rfc6791-addresses yes\n"
			    "eam-hairpin-mode intrinsic\n");
	free(text);
	config_free(&cfg);
}

static void test_parse_file(void **state)
{
	char path[] = "/tmp/test_config.XXXXXX";
	char err[256], want[256];
	struct config cfg;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("pool6 2001:db8:100::/40\n# no newline at the end\ntos 7", f);
	fclose(f);
	assert_int_equal(config_parse_file(path, &cfg, err, sizeof(err)), 0);
	assert_true(cfg.pool6_set);
	assert_int_equal(cfg.tos, 7);
	config_free(&cfg);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("pool6 2001:db8:100::/40\n\n\ntos 7 8\n", f);
	fclose(f);
	assert_int_equal(config_parse_file(path, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s:4: tos: extra argument '8' (usage: tos N)", path);
	assert_string_equal(err, want);
	assert_false(cfg.pool6_set);

	unlink(path);
	assert_int_equal(config_parse_file(path, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot open: ", path);
	assert_memory_equal(err, want, strlen(want));
}

static void test_usage(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	config_usage(f);
	fclose(f);
	assert_non_null(strstr(buf, "  eamt PREFIX6 PREFIX4 "));
	assert_non_null(strstr(buf, "  mtu v4 N "));
	free(buf);
}

/* --- stateful NAT64 directives ------------------------------------------ */

static void assert_pool4(const struct pool4_entry *e, const char *prefix,
			 unsigned int lo, unsigned int hi, enum config_l4 l4)
{
	char buf[PREFIX4_STRLEN];

	assert_string_equal(prefix4_str(&e->prefix, buf), prefix);
	assert_int_equal(e->port_min, lo);
	assert_int_equal(e->port_max, hi);
	assert_int_equal(e->l4, l4);
}

static void test_nat64_defaults(void **state)
{
	struct config cfg;

	(void)state;
	parse_ok(&cfg, "mode nat64\n");
	assert_int_equal(cfg.nat64.pool4_count, 0);
	assert_int_equal(cfg.nat64.bib_count, 0);
	assert_int_equal(cfg.nat64.tcp_est_timeout, 7200);
	assert_int_equal(cfg.nat64.tcp_trans_timeout, 240);
	assert_int_equal(cfg.nat64.tcp_incoming_syn_timeout, 6);
	assert_int_equal(cfg.nat64.udp_timeout, 300);
	assert_int_equal(cfg.nat64.icmp_timeout, 60);
	assert_false(cfg.nat64.address_dependent_filtering);
	assert_false(cfg.nat64.drop_externally_initiated_tcp);
	assert_true(cfg.nat64.source_icmpv6_errors_better);
	assert_int_equal(cfg.nat64.max_bib_entries, 0);
	assert_int_equal(cfg.nat64.max_sessions, 0);
	assert_int_equal(cfg.nat64.max_sessions_per_host, 0);
	assert_int_equal(cfg.nat64.max_stored_packets, 10);
	config_free(&cfg);
}

static void test_nat64_directives(void **state)
{
	struct config cfg;
	const struct bib_static_entry *b;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	parse_ok(&cfg, "mode nat64\n"
		 "pool4 192.0.2.2 1-3000 tcp\n"
		 "pool4 192.0.2.2 udp\n"
		 "pool4 198.51.100.0/30 7000\n"
		 "bib tcp 192.0.2.2#2000 2001:db8::5#2000\n"
		 "bib udp 2001:db8:1::5#1001 192.0.2.2#1000\n"
		 "tcp-est-timeout 3600\ntcp-trans-timeout 30\n"
		 "tcp-incoming-syn-timeout 2\nudp-timeout 120\n"
		 "icmp-timeout 5\naddress-dependent-filtering yes\n"
		 "drop-externally-initiated-tcp on\n"
		 "source-icmpv6-errors-better off\n"
		 "max-bib-entries 100\nmax-sessions 1000\n"
		 "max-sessions-per-host 10\nmaximum-simultaneous-opens 0\n");
	assert_int_equal(cfg.nat64.pool4_count, 5);
	assert_pool4(&cfg.nat64.pool4[0], "192.0.2.2/32", 1, 3000, CONFIG_L4_TCP);
	assert_pool4(&cfg.nat64.pool4[1], "192.0.2.2/32", 1, 65535, CONFIG_L4_UDP);
	assert_pool4(&cfg.nat64.pool4[2], "198.51.100.0/30", 7000, 7000,
		     CONFIG_L4_TCP);
	assert_pool4(&cfg.nat64.pool4[3], "198.51.100.0/30", 7000, 7000,
		     CONFIG_L4_UDP);
	assert_pool4(&cfg.nat64.pool4[4], "198.51.100.0/30", 7000, 7000,
		     CONFIG_L4_ICMP);
	assert_int_equal(cfg.nat64.bib_count, 2);
	b = &cfg.nat64.bib[1];
	assert_int_equal(b->l4, CONFIG_L4_UDP);
	assert_string_equal(inet_ntop(AF_INET, &b->addr4, buf, sizeof(buf)),
			    "192.0.2.2");
	assert_int_equal(b->port4, 1000);
	assert_string_equal(inet_ntop(AF_INET6, &b->addr6, buf, sizeof(buf)),
			    "2001:db8:1::5");
	assert_int_equal(b->port6, 1001);
	assert_int_equal(cfg.nat64.tcp_est_timeout, 3600);
	assert_int_equal(cfg.nat64.tcp_trans_timeout, 30);
	assert_int_equal(cfg.nat64.tcp_incoming_syn_timeout, 2);
	assert_int_equal(cfg.nat64.udp_timeout, 120);
	assert_int_equal(cfg.nat64.icmp_timeout, 5);
	assert_true(cfg.nat64.address_dependent_filtering);
	assert_true(cfg.nat64.drop_externally_initiated_tcp);
	assert_false(cfg.nat64.source_icmpv6_errors_better);
	assert_int_equal(cfg.nat64.max_bib_entries, 100);
	assert_int_equal(cfg.nat64.max_sessions, 1000);
	assert_int_equal(cfg.nat64.max_sessions_per_host, 10);
	assert_int_equal(cfg.nat64.max_stored_packets, 0);
	config_free(&cfg);

	/* Without ports: 1-65535, and ICMP identifiers from 0. */
	parse_ok(&cfg, "pool4 192.0.2.2\n");
	assert_int_equal(cfg.nat64.pool4_count, 3);
	assert_pool4(&cfg.nat64.pool4[0], "192.0.2.2/32", 1, 65535, CONFIG_L4_TCP);
	assert_pool4(&cfg.nat64.pool4[2], "192.0.2.2/32", 0, 65535,
		     CONFIG_L4_ICMP);
	config_free(&cfg);
}

static void test_nat64_errors(void **state)
{
	(void)state;
	parse_err("udp-timeout 119\n",
		  "t.conf:1: udp-timeout: 119 is out of range 120..2592000");
	parse_err("tcp-est-timeout 0\n",
		  "t.conf:1: tcp-est-timeout: 0 is out of range 1..2592000");
	parse_err("pool4\n",
		  "t.conf:1: pool4: missing argument (usage: pool4 PREFIX [PORTS] [tcp|udp|icmp])");
	parse_err("pool4 192.0.2.2 1-2 tcp x\n",
		  "t.conf:1: pool4: extra argument 'x' (usage: pool4 PREFIX [PORTS] [tcp|udp|icmp])");
	parse_err("pool4 192.0.2.2 tcp udp\n",
		  "t.conf:1: pool4: extra argument 'udp'");
	parse_err("pool4 192.0.2.2 5-4\n",
		  "t.conf:1: pool4: bad port range '5-4' (N or N-M, 0..65535)");
	parse_err("pool4 192.0.2.2 1-65536 udp\n",
		  "t.conf:1: pool4: bad port range '1-65536' (N or N-M, 0..65535)");
	parse_err("pool4 192.0.2.2 1-5 sctp\n",
		  "t.conf:1: pool4: 'sctp' is not tcp, udp or icmp");
	parse_err("pool4 10.0.0.0/8\n",
		  "t.conf:1: pool4: '10.0.0.0/8' is too wide (at most /16)");
	parse_err("pool4 192.0.2.0/24 100-200 tcp\n"
		  "pool4 192.0.2.7 200-300 tcp\n",
		  "t.conf:2: pool4: 192.0.2.7/32 200-300 tcp overlaps an earlier entry");
	parse_err("bib tcp 192.0.2.2#2000\n",
		  "t.conf:1: bib: missing argument (usage: bib tcp|udp|icmp IPV4#PORT IPV6#PORT)");
	parse_err("bib sctp 192.0.2.2#1 2001:db8::5#1\n",
		  "t.conf:1: bib: 'sctp' is not tcp, udp or icmp");
	parse_err("bib udp 192.0.2.2#70000 2001:db8::5#1\n",
		  "t.conf:1: bib: bad transport address '192.0.2.2#70000' (ADDR#PORT)");
	parse_err("bib udp 192.0.2.2 2001:db8::5#1\n",
		  "t.conf:1: bib: bad transport address '192.0.2.2' (ADDR#PORT)");
	parse_err("bib udp 192.0.2.2#1 192.0.2.3#1\n",
		  "t.conf:1: bib: needs one IPv4 and one IPv6 transport address");
	parse_err("bib udp 192.0.2.2#1 2001:db8::5#1\n"
		  "bib udp 192.0.2.2#2 2001:db8::5#1\n",
		  "t.conf:2: bib: udp entry shares an address and port with an earlier one");
	parse_err("address-dependent-filtering perhaps\n",
		  "t.conf:1: address-dependent-filtering: 'perhaps' is not a boolean (yes/no)");
	parse_err("maximum-simultaneous-opens 65536\n",
		  "t.conf:1: maximum-simultaneous-opens: 65536 is out of range 0..65535");
	/* The EAMT is SIIT's (RFC 7757), whichever line comes first. */
	parse_err("mode nat64\neamt 2001:db8::/120 192.0.2.0/24\n",
		  "t.conf:2: eamt: mode nat64 has no EAMT (RFC 7757 is for "
		  "SIIT): IPv6 hosts reach IPv4 ones through pool6, IPv4 hosts "
		  "reach IPv6 ones through bib");
	parse_err("eamt 2001:db8::/120 192.0.2.0/24\nmode nat64\n",
		  "t.conf:2: mode: 1 eamt line(s) before this: mode nat64 has "
		  "no EAMT (RFC 7757 is for SIIT): IPv6 hosts reach IPv4 ones "
		  "through pool6, IPv4 hosts reach IPv6 ones through bib");
}

/* Both static tables and every scalar survive config_write. */
static void test_nat64_round_trip(void **state)
{
	struct config cfg;
	char *text;

	(void)state;
	round_trip("mode nat64\npool6 64:ff9b::/96\n"
		   "pool4 192.0.2.2 1-3000 tcp\npool4 192.0.2.0/31\n"
		   "bib tcp 192.0.2.2#2000 2001:db8::5#2000\n"
		   "bib icmp 2001:db8::5#1 192.0.2.2#1\n"
		   "udp-timeout 600\nmax-sessions 7\n"
		   "source-icmpv6-errors-better no\n");
	/* In SIIT mode only what differs from the defaults is written. */
	parse_ok(&cfg, "udp-timeout 600\naddress-dependent-filtering yes\n"
		 "pool4 192.0.2.2 5 icmp\n");
	text = write_to_string(&cfg);
	assert_non_null(strstr(text, "\npool4 192.0.2.2/32 5-5 icmp\n"));
	assert_null(strstr(text, "tcp-est-timeout"));
	assert_non_null(strstr(text, "\nudp-timeout 600\n"));
	assert_non_null(strstr(text, "\naddress-dependent-filtering yes\n"));
	assert_null(strstr(text, "icmp-timeout"));
	free(text);
	config_free(&cfg);
}

/*
 * Run-time changes (config_lists.c): entries inserted and removed anywhere
 * in the lists keep the tries' indexes right; random operations checked
 * against the lists themselves.
 */
static void check_indexes(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->eamt_count; i++) {
		size_t j = 999;

		assert_true(config_eamt_find6(cfg, &cfg->eamt[i].p6, &j));
		assert_int_equal(j, i);
		assert_true(config_eamt_find4(cfg, &cfg->eamt[i].p4, &j));
		assert_int_equal(j, i);
	}
	assert_int_equal(cfg->eamt6_lpm.count, cfg->eamt_count);
	assert_int_equal(cfg->eamt4_lpm.count, cfg->eamt_count);
	for (size_t i = 0; i < cfg->denylist4_count; i++) {
		size_t j = 999;

		assert_true(config_deny_find(cfg, &cfg->denylist4[i], &j));
		assert_int_equal(j, i);
	}
	assert_int_equal(cfg->deny4_lpm.count, cfg->denylist4_count);
}

static void test_lists_change(void **state)
{
	struct config cfg;
	struct eamt_entry e;
	struct prefix4 p;
	char err[256], b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];
	uint32_t r = 12345;
	size_t i;

	(void)state;
	parse_ok(&cfg, "eamt 2001:db8:1::/120 10.0.1.0/24\n"
		       "eamt 2001:db8:2::/120 10.0.2.0/24\n"
		       "eamt 2001:db8:3::/120 10.0.3.0/24\n"
		       "denylist4 192.0.2.0/24\ndenylist4 192.0.2.0/25\n");
	config_eamt_remove(&cfg, 1);
	assert_int_equal(cfg.eamt_count, 2);
	assert_string_equal(str6(&cfg.eamt[1].p6, b6), "2001:db8:3::/120");
	check_indexes(&cfg);
	assert_false(config_eamt_find6(&cfg, &(struct prefix6){ 0 }, &i));
	assert_int_equal(prefix6_parse("2001:db8:2::/120", &e.p6), 0);
	assert_int_equal(prefix4_parse("10.0.2.0/24", &e.p4), 0);
	assert_int_equal(config_eamt_insert(&cfg, 0, &e, err, sizeof(err)), 0);
	assert_string_equal(str4(&cfg.eamt[0].p4, b4), "10.0.2.0/24");
	check_indexes(&cfg);
	/* Refused: nothing changes. */
	assert_int_equal(config_eamt_insert(&cfg, 1, &e, err, sizeof(err)), -1);
	assert_int_equal(cfg.eamt_count, 3);
	check_indexes(&cfg);
	assert_true(config_eamt_overlap(&cfg, NULL,
					&(struct prefix4){ .len = 8,
					.addr.s_addr = htonl(0x0a000000) }, &i));

	for (int op = 0; op < 2000; op++) {
		r = r * 1103515245u + 12345u;
		if ((r >> 16) % 3 == 0 && cfg.eamt_count) {
			config_eamt_remove(&cfg, (r >> 8) % cfg.eamt_count);
		} else if ((r >> 16) % 3 == 1 && cfg.denylist4_count) {
			config_deny_remove(&cfg, (r >> 8) % cfg.denylist4_count);
		} else {
			uint32_t n = (r >> 4) & 0x3ff;

			e.p6.addr = (struct in6_addr){ .s6_addr = { 0x20, 1, 0xd,
				    0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    (uint8_t)(n >> 8), (uint8_t)n } };
			e.p6.len = 128;
			e.p4.addr.s_addr = htonl(0x0a100000 | n);
			e.p4.len = 32;
			p.addr.s_addr = htonl(0xc6120000 | n << 4);
			p.len = 28;
			config_eamt_insert(&cfg, cfg.eamt_count ?
					   (r >> 9) % (cfg.eamt_count + 1) : 0,
					   &e, err, sizeof(err));
			config_deny_insert(&cfg, cfg.denylist4_count ?
					   (r >> 9) % (cfg.denylist4_count + 1) :
					   0, &p, err, sizeof(err));
		}
		if (op % 100 == 0)
			check_indexes(&cfg);
	}
	check_indexes(&cfg);
	config_free(&cfg);
	assert_int_equal(cfg.eamt6_lpm.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_directive),
		cmocka_unit_test(test_booleans),
		cmocka_unit_test(test_none_and_overrides),
		cmocka_unit_test(test_pool6_lengths),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_frees),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_lists_change),
		cmocka_unit_test(test_write_defaults),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_nat64_defaults),
		cmocka_unit_test(test_nat64_directives),
		cmocka_unit_test(test_nat64_errors),
		cmocka_unit_test(test_nat64_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
