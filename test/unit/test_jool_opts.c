// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Jool's global settings in the SIIT core, on the conformance default
 * setup (pktbuild.h): mtu-plateaus (RFC 1191 section 7, RFC 7915 4.2),
 * drop-icmpv6-info, randomize-rfc6791-addresses (RFC 6791 section 4) and
 * eam-hairpin-mode (RFC 7757 4.2); and the parsing, refusals and writing
 * of every one of the six directives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"

#define N4	"198.51.100.2"
#define N4_6	"2001:db8:1c6:3364:2::"
#define N6	"2001:db8:1c0:2:21::"
#define N6_4	"192.0.2.33"
#define R4	"198.51.100.254"
#define R4_6	"2001:db8:1c6:3364:fe::"

static uint8_t pkt[PB_MAX], l4[PB_MAX], data[PB_MAX], inner[PB_MAX];
static uint8_t seg[PB_MAX], pay[64];

/* --- mtu-plateaus ---------------------------------------------------------- */

/* A Fragmentation Needed from R4 quoting N6's packet of Total Length tot. */
static size_t frag_needed(uint32_t mtu, size_t tot)
{
	struct pb4 ih = { .src = N6_4, .dst = N4, .proto = 17, .ttl = 9,
			  .df = true };
	struct pb4 h = { .src = R4, .dst = N6_4, .proto = 1, .ttl = 60 };
	size_t inlen, n;

	pb_pattern(data, tot - 28, 0x40);
	pb_udp(l4, 7000, 53, data, tot - 28);
	inlen = pb_ip4(inner, &ih, l4, tot - 20);
	assert_int_equal(inlen, tot);
	/* RFC 1812 routers quote 548 bytes at most. */
	n = pb_icmp(l4, 3, 4, mtu, inner, inlen < 548 ? inlen : 548);
	return pb_ip4(pkt, &h, l4, n);
}

struct plateau_row {
	const char *conf;	/* after mtu v6/v4 9000 */
	uint32_t mtu;		/* the error's Next-Hop MTU */
	size_t tot;		/* quoted Total Length */
	uint32_t want;		/* Packet Too Big MTU */
};

/* The plateau strictly below Total Length, + 20, at least 1280. */
static const struct plateau_row plateau_rows[] = {
	{ "", 0, 1500, 1512 },				/* 1492 (default) */
	{ "", 0, 4352, 2022 },				/* 2002: strictly below */
	{ "mtu-plateaus 1400,1000\n", 0, 1500, 1420 },
	{ "mtu-plateaus 1000,1400\n", 0, 1500, 1420 },	/* any order */
	{ "mtu-plateaus 1400,1000\n", 0, 1400, 1280 },	/* 1000 + 20, raised */
	{ "mtu-plateaus 5000,3000\n", 0, 6000, 5020 },
	{ "mtu-plateaus 5000,3000\n", 0, 5000, 3020 },
	{ "mtu-plateaus 9000\n", 0, 8000, 1280 },	/* none below: 68 */
	{ "mtu-plateaus 5000,3000\n", 4000, 6000, 4020 }, /* MTU given */
};

static void test_plateaus_xlat(void **state)
{
	char conf[128];

	for (size_t i = 0; i < sizeof(plateau_rows) / sizeof(plateau_rows[0]);
	     i++) {
		const struct plateau_row *r = &plateau_rows[i];
		struct pb_env *env;
		size_t len, q = r->tot < 548 ? r->tot : 548;
		const uint8_t *p;

		snprintf(conf, sizeof(conf), "mtu v6 9000\nmtu v4 9000\n%s",
			 r->conf);
		env = pb_reconf(state, conf);
		len = frag_needed(r->mtu, r->tot);
		assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
				 XLAT_TRANSLATED);
		p = pb_one(env, XLAT_SIDE_V6, 48 + q + 20);
		assert_int_equal(p[40], 2);		/* Packet Too Big */
		assert_int_equal(p[41], 0);
		if (pb_rd32(p + 44) != r->want)
			fail_msg("row %zu: MTU %u, expected %u", i,
				 pb_rd32(p + 44), r->want);
		assert_int_equal(pb_l4_resid6(p), 0xffff);
		assert_true(pb_is_a6(p + 8, R4_6));
		assert_true(pb_is_a6(p + 24, N6));
	}
}

/* --- drop-icmpv6-info ---------------------------------------------------- */

static size_t icmp6(const char *src, const char *dst, uint8_t hlim,
		    uint8_t type, uint8_t code, uint32_t rest,
		    const void *body, size_t blen)
{
	struct pb6 h = { .src = src, .dst = dst, .proto = 58, .hlim = hlim };
	size_t n = pb_icmp(l4, type, code, rest, body, blen);

	return pb_ip6(pkt, &h, l4, n);
}

static void test_drop_icmpv6_info(void **state)
{
	struct pb_env *env = *state;
	struct pb6 ih = { .src = N4_6, .dst = N6, .proto = 17, .hlim = 5 };
	size_t len, inlen;
	const uint8_t *p;

	pb_pattern(data, 16, 0x21);
	/* Off (default): the echo request crosses as type 8. */
	len = icmp6(N6, N4_6, 64, 128, 0, 0x12340001, data, 16);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 20 + 8 + 16);
	assert_int_equal(p[20], 8);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP6_INFO), 0);

	env = pb_reconf(state, "drop-icmpv6-info yes\n");
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP6_INFO), 1);
	/* Echo reply too. */
	len = icmp6(N6, N4_6, 64, 129, 0, 0x12340001, data, 16);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP6_INFO), 2);
	/* Filtered before the hop limit: no Time Exceeded. */
	len = icmp6(N6, N4_6, 1, 128, 0, 0x12340002, data, 16);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_DROP);
	assert_int_equal(env->out.count, 0);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP6_INFO), 3);
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_TTL), 0);
	assert_int_equal(pb_drops(env), 3);
	/* An error still crosses (port unreachable -> 3/3). */
	pb_udp(seg, 123, 8000, NULL, 0);
	inlen = pb_ip6(inner, &ih, seg, 8);
	len = icmp6(N6, N4_6, 64, 1, 4, 0, inner, inlen);
	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 20 + 8 + 28);
	assert_int_equal(p[20], 3);
	assert_int_equal(p[21], 3);
	/* ICMPv4 echo still crosses to IPv6: the option is one way. */
	{
		struct pb4 h = { .src = N4, .dst = N6_4, .proto = 1 };

		pb_icmp(l4, 8, 0, 0x55550001, data, 16);
		len = pb_ip4(pkt, &h, l4, 24);
		assert_int_equal(pb_run(env, XLAT_SIDE_V4, pkt, len),
				 XLAT_TRANSLATED);
		p = pb_one(env, XLAT_SIDE_V6, 40 + 24);
		assert_int_equal(p[40], 128);
	}
	assert_int_equal(pb_cnt(env, XLAT_CNT_DROP_ICMP6_INFO), 3);
}

/* --- randomize-rfc6791-addresses ------------------------------------------ */

/* A Time Exceeded from an IPv6 router outside pool6 and the EAMT. */
static size_t untranslatable_error(uint8_t hlim)
{
	struct pb6 ih = { .src = N4_6, .dst = N6, .proto = 17, .hlim = 1 };
	size_t inlen;

	pb_udp(seg, 8000, 33434, NULL, 0);
	inlen = pb_ip6(inner, &ih, seg, 8);
	return icmp6("2001:db8:ffff::1", N4_6, hlim, 3, 0, 0, inner, inlen);
}

/* The source octet the translated error got (203.0.113.X). */
static unsigned int error_src(struct pb_env *env, size_t len)
{
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 20 + 8 + 28);
	assert_int_equal(p[20], 11);
	assert_int_equal(pb_rd32(p + 12) >> 8, 0xcb0071);	/* 203.0.113 */
	assert_true(pb_ip4_hdr_ok(p));
	assert_int_equal(pb_l4_resid4(p), 0xffff);
	return p[15];
}

/* "no": the address whose index is the error's Hop Limit (mod 8). */
static void test_rfc6791_by_hop_limit(void **state)
{
	static const struct {
		uint8_t hlim;
		unsigned int want;
	} rows[] = {
		{ 64, 8 }, { 61, 13 }, { 60, 12 }, { 255, 15 }, { 2, 10 },
	};
	struct pb_env *env = pb_reconf(state,
				       "rfc6791v4-prefix 203.0.113.8/29\n"
				       "randomize-rfc6791-addresses no\n");

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		for (int k = 0; k < 3; k++)	/* the same every time */
			assert_int_equal(error_src(env,
					untranslatable_error(rows[i].hlim)),
					 rows[i].want);
	/* A single address is the pool's only choice. */
	env = pb_reconf(state, "randomize-rfc6791-addresses no\n");
	assert_int_equal(error_src(env, untranslatable_error(61)), 8);
}

/*
 * "yes" (the default): random over the pool whatever the packet: 800
 * identical errors spread over the 8 addresses, each about 100 times
 * (binomial, sd 9.4: 50..150 fails once in far more than 10^6 runs of a
 * fair generator).
 */
static void test_rfc6791_random(void **state)
{
	struct pb_env *env = pb_reconf(state,
				       "rfc6791v4-prefix 203.0.113.8/29\n");
	unsigned int seen[8] = { 0 };
	size_t len = untranslatable_error(60);

	assert_true(env->cfg.randomize_rfc6791);
	env->ctx.rand_state = 0x0123456789abcdefull;
	for (int i = 0; i < 800; i++) {
		unsigned int a = error_src(env, len);

		assert_true(a >= 8 && a <= 15);
		seen[a - 8]++;
	}
	for (int i = 0; i < 8; i++)
		if (seen[i] < 50 || seen[i] > 150)
			fail_msg("203.0.113.%d chosen %u times of 800", i + 8,
				 seen[i]);
	/* One address: always that one. */
	env = pb_reconf(state, NULL);
	for (int i = 0; i < 20; i++)
		assert_int_equal(error_src(env, len), 8);
}

/* --- eam-hairpin-mode ---------------------------------------------------- */

/* 2001:db8:3::7 (EAMT: 1.0.0.7) to 10.0.0.5 (EAMT: 2001:db8:2::5) by
 * its pool6 form. */
#define HP_SRC	"2001:db8:3::7"
#define HP_DST	"2001:db8:10a:0:5::"

static size_t hp_udp(void)
{
	struct pb6 h = { .src = HP_SRC, .dst = HP_DST, .proto = 17,
			 .hlim = 40 };

	pb_pattern(data, 20, 0x33);
	pb_udp(l4, 1111, 2222, data, 20);
	return pb_ip6(pkt, &h, l4, 28);
}

/* The Port Unreachable 2001:db8:3::7 returns about a packet it got. */
static size_t hp_error(void)
{
	struct pb6 in = { .src = HP_DST, .dst = HP_SRC, .proto = 17,
			  .hlim = 40 };
	size_t inlen;

	pb_pattern(pay, 20, 0x44);
	pb_udp(seg, 2222, 1111, pay, 20);
	inlen = pb_ip6(inner, &in, seg, 28);
	return icmp6(HP_SRC, HP_DST, 64, 1, 4, 0, inner, inlen);
}

/* Hairpinned: back to IPv6, 2001:db8:101:0:7:: -> 2001:db8:2::5. */
static void check_hairpinned(struct pb_env *env, size_t len, uint8_t proto)
{
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V6, len);
	assert_int_equal(p[6], proto);
	assert_true(pb_is_a6(p + 8, "2001:db8:101:0:7::"));
	assert_true(pb_is_a6(p + 24, "2001:db8:2::5"));
	assert_int_equal(pb_l4_resid6(p), 0xffff);
}

/* Not hairpinned: out to IPv4, 1.0.0.7 -> 10.0.0.5. */
static void check_to_v4(struct pb_env *env, size_t len, uint8_t proto)
{
	const uint8_t *p;

	assert_int_equal(pb_run(env, XLAT_SIDE_V6, pkt, len), XLAT_TRANSLATED);
	p = pb_one(env, XLAT_SIDE_V4, 0);
	assert_int_equal(p[9], proto);
	assert_true(pb_is_a4(p + 12, "1.0.0.7"));
	assert_true(pb_is_a4(p + 16, "10.0.0.5"));
	assert_int_equal(pb_l4_resid4(p), 0xffff);
}

static void test_eam_hairpin_modes(void **state)
{
	struct pb_env *env = *state;

	/* intrinsic (default): both. */
	assert_int_equal(env->cfg.eam_hairpin, CONFIG_EAM_HAIRPIN_INTRINSIC);
	check_hairpinned(env, hp_udp(), 17);
	check_hairpinned(env, hp_error(), 58);
	env = pb_reconf(state, "eam-hairpin-mode intrinsic\n");
	check_hairpinned(env, hp_error(), 58);
	/* simple: the packet, not the error about it. */
	env = pb_reconf(state, "eam-hairpin-mode simple\n");
	check_hairpinned(env, hp_udp(), 17);
	check_to_v4(env, hp_error(), 1);
	/* off: neither. */
	env = pb_reconf(state, "eam-hairpin-mode off\n");
	check_to_v4(env, hp_udp(), 17);
	check_to_v4(env, hp_error(), 1);
	assert_int_equal(pb_drops(env), 0);
}

/* --- the directives -------------------------------------------------------- */

static void conf_fails(const char *line, const char *msg)
{
	struct config cfg;
	char err[256] = "";

	config_init(&cfg);
	assert_int_equal(config_apply_line(&cfg, "mtu-plateaus 1500,576", err,
					   sizeof(err)), 0);
	assert_int_equal(config_apply_line(&cfg, line, err, sizeof(err)), -1);
	if (strcmp(err, msg) != 0)
		fail_msg("'%s': '%s', expected '%s'", line, err, msg);
	/* Nothing partial applied. */
	assert_int_equal(cfg.mtu_plateau_count, 2);
	assert_int_equal(cfg.mtu_plateaus[0], 1500);
	assert_int_equal(cfg.mtu_plateaus[1], 576);
	assert_int_equal(cfg.nat64.f_args, 11);
	assert_int_equal(cfg.eam_hairpin, CONFIG_EAM_HAIRPIN_INTRINSIC);
	config_free(&cfg);
}

static void test_directives_refused(void **state)
{
	(void)state;
	conf_fails("mtu-plateaus 1500,67",
		   "mtu-plateaus: '67' is not a number of 68..65535");
	conf_fails("mtu-plateaus 65536",
		   "mtu-plateaus: '65536' is not a number of 68..65535");
	conf_fails("mtu-plateaus 1500,-1",
		   "mtu-plateaus: '-1' is not a number of 68..65535");
	conf_fails("mtu-plateaus 1500,1006,1500",
		   "mtu-plateaus: 1500 given twice");
	conf_fails("mtu-plateaus 1500,,1006",
		   "mtu-plateaus: '1500,,1006' is not a list N,N,... of at most 16 numbers");
	conf_fails("mtu-plateaus ,1500",
		   "mtu-plateaus: ',1500' is not a list N,N,... of at most 16 numbers");
	conf_fails("mtu-plateaus 1500,",
		   "mtu-plateaus: '1500,' is not a list N,N,... of at most 16 numbers");
	conf_fails("mtu-plateaus 100,200,300,400,500,600,700,800,900,1000,"
		   "1100,1200,1300,1400,1500,1600,1700",
		   "mtu-plateaus: more than 16 plateaus");
	conf_fails("drop-icmpv6-info maybe",
		   "drop-icmpv6-info: 'maybe' is not a boolean (yes/no)");
	conf_fails("randomize-rfc6791-addresses 2",
		   "randomize-rfc6791-addresses: '2' is not a boolean (yes/no)");
	conf_fails("eam-hairpin-mode on",
		   "eam-hairpin-mode: 'on' is not off, simple or intrinsic");
	conf_fails("handle-rst-during-fin-rcv x",
		   "handle-rst-during-fin-rcv: 'x' is not a boolean (yes/no)");
	conf_fails("f-args 16", "f-args: '16' is not a number of 0..15");
	conf_fails("f-args 0x8", "f-args: '0x8' is not a number of 0..15");
}

static char *written(const char *text)
{
	struct config cfg;
	char err[256], *out = NULL;
	size_t len = 0;
	FILE *f;

	if (config_parse_string("t", text, &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	config_write(&cfg, f);
	fclose(f);
	config_free(&cfg);
	return out;
}

/* Defaults and values as `transctl config` shows them. */
static void test_directives_written(void **state)
{
	char *w;

	(void)state;
	w = written("");
	assert_non_null(strstr(w, "\nmtu-plateaus 65535,32000,17914,8166,"
				  "4352,2002,1492,1006,508,296,68\n"
				  "drop-icmpv6-info no\n"
				  "randomize-rfc6791-addresses yes\n"
				  "eam-hairpin-mode intrinsic\n"));
	/* The NAT64 two only in mode nat64 or when not the default. */
	assert_null(strstr(w, "handle-rst-during-fin-rcv"));
	assert_null(strstr(w, "f-args"));
	free(w);
	w = written("mtu-plateaus 68,1280,9000\ndrop-icmpv6-info on\n"
		    "randomize-rfc6791-addresses 0\neam-hairpin-mode off\n"
		    "f-args 8\n");
	assert_non_null(strstr(w, "\nmtu-plateaus 9000,1280,68\n"
				  "drop-icmpv6-info yes\n"
				  "randomize-rfc6791-addresses no\n"
				  "eam-hairpin-mode off\n"
				  "f-args 8\n"));
	free(w);
	w = written("mode nat64\n");
	assert_non_null(strstr(w, "\nhandle-rst-during-fin-rcv no\n"
				  "f-args 11\n"));
	free(w);
}

#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plateaus_xlat),
		T(test_drop_icmpv6_info),
		T(test_rfc6791_by_hop_limit),
		T(test_rfc6791_random),
		T(test_eam_hairpin_modes),
		cmocka_unit_test(test_directives_refused),
		cmocka_unit_test(test_directives_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
