// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fast path (translator/core/xlat_fast.c) against the general path:
 * every packet runs through two translators of the same configuration,
 * one with XLAT_CTX_NO_FAST, and both must give the same verdict, the
 * same output packets byte for byte, the same MTU misses, the same
 * counters and the same next IPv4 Identification. A third asks
 * xlat_fast() alone whether it takes the packet, so that the common cases
 * are known to go fast and the others (options, extension headers,
 * fragments, TTL 1, too big, refused addresses, zero UDP checksums,
 * hairpins) to fall back. The fast translator has the address cache
 * (xlat_ctx.fcache, xlat_fcache.h), so that a packet whose addresses came
 * before is compared as translated from the cache; the probe has none.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "addrmap_fast.h"
#include "pktbuild.h"
#include "xlat_fcache.h"
#include "xlat_priv.h"

static uint8_t pkt[PB_MAX], l4[PB_MAX], data[PB_MAX];

/* The three translators: fast, general (reference), and the probe. */
struct fx {
	struct pb_env fast, ref, probe;
};

/* An MTU source that knows every destination, stale ones every other. */
static uint32_t fx_peek(const void *arg, enum xlat_side side, const void *dst,
			int64_t now_ms, bool *stale)
{
	const uint8_t *d = dst;

	(void)arg, (void)now_ms;
	*stale = d[side == XLAT_SIDE_V4 ? 3 : 15] & 1;
	return side == XLAT_SIDE_V4 ? 1400 : 1420;
}

static const struct xlat_mtu_ops fx_mtu_ops = { .peek = fx_peek };

static void fx_setup(struct fx *f, const char *text, bool peek)
{
	pb_env_setup_text(&f->fast, text);
	pb_env_setup_text(&f->ref, text);
	pb_env_setup_text(&f->probe, text);
	f->ref.ctx.opts = XLAT_CTX_NO_FAST;
	f->fast.ctx.fcache = xlat_fcache_new();
	assert_non_null(f->fast.ctx.fcache);
	if (peek) {
		f->fast.ctx.mtu_ops = &fx_mtu_ops;
		f->ref.ctx.mtu_ops = &fx_mtu_ops;
		f->probe.ctx.mtu_ops = &fx_mtu_ops;
	}
}

static void fx_teardown(struct fx *f)
{
	xlat_fcache_free(f->fast.ctx.fcache);
	pb_env_teardown(&f->fast);
	pb_env_teardown(&f->ref);
	pb_env_teardown(&f->probe);
}

/* Whether xlat_fast() alone takes the packet. */
static bool fx_takes(struct fx *f, enum xlat_side from, size_t len,
		     unsigned int flags)
{
	struct xlat_in in = {
		.side = from, .data = pkt, .len = len, .flags = flags,
	};

	xlat_out_reset(&f->probe.out);
	return xlat_fast(&f->probe.ctx, &in, &f->probe.out);
}

/*
 * Runs pkt (len bytes) through both translators and asserts that they
 * agree; fast says whether the fast path must have taken it.
 */
static void fx_cmp(struct fx *f, enum xlat_side from, size_t len,
		   unsigned int flags, bool fast)
{
	enum xlat_verdict vf, vr;

	if (fx_takes(f, from, len, flags) != fast)
		fail_msg("fast path %s a packet from IPv%c of %zu bytes",
			 fast ? "refused" : "took", from == XLAT_SIDE_V4 ? '4' : '6',
			 len);
	f->fast.in_flags = flags;
	f->ref.in_flags = flags;
	vf = pb_run(&f->fast, from, pkt, len);
	vr = pb_run(&f->ref, from, pkt, len);
	assert_int_equal(vf, vr);
	assert_int_equal(f->fast.out.count, f->ref.out.count);
	for (unsigned int i = 0; i < f->ref.out.count; i++) {
		const struct xlat_out_pkt *a = &f->fast.out.pkt[i];
		const struct xlat_out_pkt *b = &f->ref.out.pkt[i];

		assert_int_equal(a->len, b->len);
		assert_int_equal(a->side, b->side);
		assert_int_equal(a->flags, b->flags);
		assert_memory_equal(a->data, b->data, b->len);
		assert_int_equal(a->data - f->fast.out.arena,
				 b->data - f->ref.out.arena);
	}
	assert_int_equal(f->fast.out.used, f->ref.out.used);
	assert_int_equal(f->fast.out.miss_count, f->ref.out.miss_count);
	assert_memory_equal(f->fast.out.miss, f->ref.out.miss,
			    sizeof(f->ref.out.miss[0]) * f->ref.out.miss_count);
	assert_memory_equal(&f->fast.st, &f->ref.st, sizeof(f->ref.st));
	assert_int_equal(f->fast.ctx.ip_id_next, f->ref.ctx.ip_id_next);
	if (fast)
		assert_int_equal(vr, XLAT_TRANSLATED);
}

/* Configuration ------------------------------------------------------- */

#define EAMT_LINES							\
	"eamt 2001:db8:aa::/120 1.0.0.0/24\n"				\
	"eamt 2001:db8:bb::/112 5.6.0.0/16\n"				\
	"eamt 2001:db8:cc::/128 7.7.7.7/32\n"				\
	"denylist4 8.8.0.0/16\n"					\
	"address v6 2001:db8:ff::1\n"					\
	"address v4 203.0.113.1\n"

static void fx_conf(struct fx *f, const char *pool6, const char *extra,
		    bool peek)
{
	char text[1024];

	snprintf(text, sizeof(text), "mode siit\npool6 %s\n" EAMT_LINES "%s",
		 pool6, extra ? extra : "");
	fx_setup(f, text, peek);
}

/* Independent RFC 6052 2.2 embedding (Figure 1), u octet and suffix set. */
static void embed(const char *prefix, unsigned int len, const char *v4,
		  bool junk, char *out)
{
	static const uint8_t pos[][4] = {
		{ 4, 5, 6, 7 }, { 5, 6, 7, 9 }, { 6, 7, 9, 10 },
		{ 7, 9, 10, 11 }, { 9, 10, 11, 12 }, { 12, 13, 14, 15 },
	};
	unsigned int k = len == 96 ? 5 : (len - 32) / 8;
	uint8_t a[16], b[4];

	pb_a6(prefix, a);
	pb_a4(v4, b);
	/* Bits RFC 6052 says are zero; extraction ignores them. */
	if (junk && len < 96) {
		a[8] = 0x5a;
		a[15] = 0xc3;
	}
	for (unsigned int i = 0; i < 4; i++)
		a[pos[k][i]] = b[i];
	inet_ntop(AF_INET6, a, out, INET6_ADDRSTRLEN);
}

/* Packet builders --------------------------------------------------------- */

static size_t l4_build(uint8_t proto, size_t dlen, uint8_t seed)
{
	pb_pattern(data, dlen, seed);
	if (proto == IPPROTO_TCP)
		return pb_tcp(l4, 40000, 443, 0x11223344u + seed, data, dlen);
	return pb_udp(l4, 40000, 53, data, dlen);
}

static size_t v6pkt(const char *src, const char *dst, uint8_t proto,
		    size_t dlen, uint8_t tc)
{
	struct pb6 h = { .src = src, .dst = dst, .proto = proto, .tc = tc,
			 .flow = 0x12345 };

	return pb_ip6(pkt, &h, l4, l4_build(proto, dlen, tc));
}

static size_t v4pkt(const char *src, const char *dst, uint8_t proto,
		    size_t dlen, uint8_t tos, bool df)
{
	struct pb4 h = { .src = src, .dst = dst, .proto = proto, .tos = tos,
			 .df = df, .id = 0x1234 };

	return pb_ip4(pkt, &h, l4, l4_build(proto, dlen, tos));
}

static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP };
static const size_t dlens[] = { 0, 1, 3, 36, 37, 1001, 1232, 1400 };

/* Tests -------------------------------------------------------------------- */

/* Every RFC 6052 length, UDP and TCP both ways, sizes, DF, TOS. */
static void test_pool6_lengths(void **state)
{
	static const struct { const char *p; unsigned int len; } pool[] = {
		{ "2001:db8::", 32 }, { "2001:db8:100::", 40 },
		{ "2001:db8:1::", 48 }, { "2001:db8:1:100::", 56 },
		{ "2001:db8:1:2::", 64 }, { "2001:db8:1:2:3:4::", 96 },
	};
	char p6[64], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	struct fx f;

	(void)state;
	for (size_t i = 0; i < sizeof(pool) / sizeof(pool[0]); i++) {
		snprintf(p6, sizeof(p6), "%s/%u", pool[i].p, pool[i].len);
		fx_conf(&f, p6, "mtu v4 1500\nmtu v6 1500\n", false);
		for (size_t j = 0; j < 2; j++) {
			for (size_t k = 0; k < sizeof(dlens) / sizeof(dlens[0]);
			     k++) {
				uint8_t pr = protos[j];
				size_t d = dlens[k], len;
				bool fits4 = 20 + (pr == 6 ? 20 : 8) + d <= 1500;
				bool fits6 = 40 + (pr == 6 ? 20 : 8) + d <= 1500;
				/* !DF over lowest-ipv6-mtu 1280 fragments. */
				bool fits6nodf =
					40 + (pr == 6 ? 20 : 8) + d <= 1280;

				embed(pool[i].p, pool[i].len, "20.1.2.3",
				      k & 1, a);
				embed(pool[i].p, pool[i].len, "30.4.5.6",
				      k & 2, b);
				len = v6pkt(a, b, pr, d, (uint8_t)(k * 37));
				fx_cmp(&f, XLAT_SIDE_V6, len, 0, fits4);
				len = v4pkt("30.4.5.6", "20.1.2.3", pr, d,
					    (uint8_t)(k * 41), true);
				fx_cmp(&f, XLAT_SIDE_V4, len, 0, fits6);
				len = v4pkt("30.4.5.6", "20.1.2.3", pr, d,
					    0xb8, false);
				fx_cmp(&f, XLAT_SIDE_V4, len, 0, fits6nodf);
			}
		}
		fx_teardown(&f);
	}
}

/* RFC 7757 EAMT entries, each direction, mixed with pool6. */
static void test_eamt(void **state)
{
	static const char *const v6[][2] = {
		{ "2001:db8:aa::7", "2001:db8:bb::102" },
		{ "2001:db8:bb::feff", "2001:db8:cc::" },
		{ "2001:db8:aa::ff", "2001:db8:114:203:3::" },
		{ "2001:db8:114:203:3::", "2001:db8:aa::1" },
	};
	static const char *const v4[][2] = {
		{ "5.6.1.2", "1.0.0.7" }, { "7.7.7.7", "5.6.254.255" },
		{ "20.2.3.3", "1.0.0.255" }, { "1.0.0.1", "20.2.3.3" },
	};
	struct fx f;
	size_t len;

	(void)state;
	fx_conf(&f, "2001:db8:100::/40", NULL, true);
	for (size_t i = 0; i < 4; i++) {
		for (size_t j = 0; j < 2; j++) {
			len = v6pkt(v6[i][0], v6[i][1], protos[j], 20 + i, 0);
			fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
			len = v4pkt(v4[i][0], v4[i][1], protos[j], 21 + i,
				    0x03, i & 1);
			fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
		}
	}
	fx_teardown(&f);
}

/* The options that change the header, and MSS clamping. */
static void test_options(void **state)
{
	static const char *const extra[] = {
		"override-tos yes\ntos 77\n", "zeroize-traffic-class yes\n",
		"mss-clamp yes\n", "lowest-ipv6-mtu 1400\n",
	};
	static const uint8_t mss_opt[] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 0 };
	struct fx f;
	size_t len, l;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		fx_conf(&f, "2001:db8:100::/40", extra[i], true);
		len = v6pkt("2001:db8:aa::5", "2001:db8:114:203:0:3::",
			    IPPROTO_UDP, 100, 0xfc);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
		len = v4pkt("20.4.2.3", "1.0.0.5", IPPROTO_TCP, 1300, 0xfc,
			    false);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, i == 3);
		/* A SYN with an MSS option (clamped with mss-clamp). */
		l = pb_tcp(l4, 1, 2, 3, NULL, 0);
		memcpy(l4 + 20, mss_opt, sizeof(mss_opt));
		l4[12] = 7 << 4;
		l4[13] = 0x02;
		{
			struct pb4 h4 = { .src = "20.4.2.3", .dst = "1.0.0.5",
					  .proto = IPPROTO_TCP, .df = true };
			struct pb6 h6 = { .src = "2001:db8:aa::5",
					  .dst = "2001:db8:114:203:0:3::",
					  .proto = IPPROTO_TCP };

			len = pb_ip4(pkt, &h4, l4, l + sizeof(mss_opt));
			fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
			len = pb_ip6(pkt, &h6, l4, l + sizeof(mss_opt));
			fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
		}
		fx_teardown(&f);
	}
}

/* Checksums: zero UDP (RFC 7915 4.5, RFC 8200 8.1), 0xffff, bad ones. */
static void test_checksums(void **state)
{
	struct pb4 h4 = { .src = "20.4.2.3", .dst = "1.0.0.5",
			  .proto = IPPROTO_UDP, .keep_csum = true };
	struct pb6 h6 = { .src = "2001:db8:aa::5",
			  .dst = "2001:db8:114:203:0:3::",
			  .proto = IPPROTO_UDP, .keep_csum = true };
	struct fx f;
	size_t len, l;

	(void)state;
	for (int amend = 0; amend < 2; amend++) {
		fx_conf(&f, "2001:db8:100::/40",
			amend ? "amend-udp-checksum-zero yes\n" : NULL, false);
		l = l4_build(IPPROTO_UDP, 30, 1);	/* checksum 0 */
		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
		len = pb_ip6(pkt, &h6, l4, l);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
		fx_teardown(&f);
	}
	fx_conf(&f, "2001:db8:100::/40", NULL, false);
	/* Any checksum, the ones that compute to 0 included: a sweep. */
	for (uint32_t w = 0; w < 0x10000; w++) {
		l = l4_build(IPPROTO_UDP, 4, 0);
		pb_wr16(l4 + 6, (uint16_t)(w | 1));
		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
		len = pb_ip6(pkt, &h6, l4, l);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
		pb_wr16(l4 + 6, (uint16_t)(0xffff - w));
		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, w != 0xffff);
	}
	/* A wrong IPv4 header checksum (RFC 1812 5.2.2). */
	len = v4pkt("20.4.2.3", "1.0.0.5", IPPROTO_TCP, 10, 0, true);
	pkt[10] ^= 1;
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	fx_teardown(&f);
}

/* What the fast path leaves to the general one. */
static void test_fallbacks(void **state)
{
	static const uint8_t nop4[4] = { 1, 1, 1, 0 };
	uint8_t ext[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };
	struct pb_ext dst_opts = { .type = 60, .data = ext, .len = 8 };
	struct fx f;
	size_t len, l;

	(void)state;
	fx_conf(&f, "2001:db8:100::/40", "mtu v4 1280\nmtu v6 1300\n", false);
	l = l4_build(IPPROTO_UDP, 64, 9);
	{
		/* IPv4 options; IPv6 extension headers. */
		struct pb4 h4 = { .src = "20.4.2.3", .dst = "1.0.0.5",
				  .proto = IPPROTO_UDP, .opt = nop4,
				  .optlen = 4 };
		struct pb6 h6 = { .src = "2001:db8:aa::5",
				  .dst = "2001:db8:114:203:0:3::",
				  .proto = IPPROTO_UDP, .ext = &dst_opts,
				  .n_ext = 1 };

		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
		len = pb_ip6(pkt, &h6, l4, l);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	}
	{
		/* Fragments: first, middle, and an atomic IPv6 one. */
		struct pb4 h4 = { .src = "20.4.2.3", .dst = "1.0.0.5",
				  .proto = IPPROTO_UDP, .mf = true };
		struct pb6 h6 = { .src = "2001:db8:aa::5",
				  .dst = "2001:db8:114:203:0:3::",
				  .proto = IPPROTO_UDP, .frag = true,
				  .id = 77 };

		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
		h4.off = 64;
		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
		len = pb_ip6(pkt, &h6, l4, l);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
		h6.mf = true;
		len = pb_ip6(pkt, &h6, l4, l);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	}
	{
		/* TTL / hop limit 1 (Time Exceeded), and 2 (translated). */
		struct pb4 h4 = { .src = "20.4.2.3", .dst = "1.0.0.5",
				  .proto = IPPROTO_TCP, .ttl = 1 };
		struct pb6 h6 = { .src = "2001:db8:aa::5",
				  .dst = "2001:db8:114:203:0:3::",
				  .proto = IPPROTO_TCP, .hlim = 1 };

		l = l4_build(IPPROTO_TCP, 5, 3);
		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
		len = pb_ip6(pkt, &h6, l4, l);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
		h4.ttl = 2;
		h6.hlim = 2;
		len = pb_ip4(pkt, &h4, l4, l);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
		len = pb_ip6(pkt, &h6, l4, l);
		fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
	}
	/* Too big: Packet Too Big, Fragmentation Needed, fragments. */
	len = v6pkt("2001:db8:aa::5", "2001:db8:114:203:0:3::", IPPROTO_UDP,
		    1300, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	len = v6pkt("2001:db8:aa::5", "2001:db8:114:203:0:3::", IPPROTO_UDP,
		    1250, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
	len = v4pkt("20.4.2.3", "1.0.0.5", IPPROTO_UDP, 1300, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	len = v4pkt("20.4.2.3", "1.0.0.5", IPPROTO_UDP, 1300, 0, false);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	/* An aggregate is translated whole, fast or not. */
	len = v4pkt("20.4.2.3", "1.0.0.5", IPPROTO_TCP, 3000, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, XLAT_IN_AGGREGATE, true);
	len = v6pkt("2001:db8:aa::5", "2001:db8:114:203:0:3::", IPPROTO_TCP,
		    3000, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, XLAT_IN_AGGREGATE, false);
	/* Denylisted, reserved, unmapped, hairpinned (RFC 7757 4.2). */
	len = v4pkt("8.8.1.1", "1.0.0.5", IPPROTO_UDP, 10, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	len = v4pkt("20.4.2.3", "8.8.8.8", IPPROTO_UDP, 10, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	len = v4pkt("127.0.0.1", "1.0.0.5", IPPROTO_UDP, 10, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	len = v6pkt("2001:db8:aa::5", "2001:db8:108:808:0:1::", IPPROTO_UDP,
		    10, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	len = v6pkt("2001:db8:108:808:0:1::", "2001:db8:aa::5", IPPROTO_UDP,
		    10, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	len = v6pkt("2001:db8:dd::5", "2001:db8:aa::5", IPPROTO_UDP, 10, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	len = v6pkt("2001:db8:aa::5", "2001:db8:101:0:5::", IPPROTO_UDP, 10,
		    0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	/* ICMP, truncated, trailing bytes, a reassembled packet. */
	len = pb_ip4(pkt, &(struct pb4){ .src = "20.4.2.3", .dst = "1.0.0.5",
					 .proto = IPPROTO_ICMP },
		     l4, pb_icmp(l4, 8, 0, 0x10001, data, 8));
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	len = v4pkt("20.4.2.3", "1.0.0.5", IPPROTO_UDP, 10, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len - 1, 0, false);
	fx_cmp(&f, XLAT_SIDE_V4, len + 3, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, XLAT_IN_REASSEMBLED, false);
	len = v6pkt("2001:db8:aa::5", "2001:db8:114:203:0:3::", IPPROTO_TCP,
		    4, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len - 1, 0, false);
	fx_cmp(&f, XLAT_SIDE_V6, len + 5, 0, true);
	fx_teardown(&f);
}

/* RFC 6052 3.1 under the Well-Known Prefix: non-global addresses refused. */
static void test_wkp(void **state)
{
	struct fx f;
	size_t len;

	(void)state;
	fx_conf(&f, "64:ff9b::/96", NULL, true);
	len = v6pkt("2001:db8:aa::5", "64:ff9b::8.8.4.4", IPPROTO_UDP, 10, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);	/* denylisted */
	len = v6pkt("2001:db8:aa::5", "64:ff9b::9.9.9.9", IPPROTO_UDP, 10, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
	len = v6pkt("2001:db8:aa::5", "64:ff9b::192.168.1.1", IPPROTO_UDP, 10,
		    0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	len = v4pkt("10.1.1.1", "1.0.0.5", IPPROTO_TCP, 10, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, false);
	len = v4pkt("9.9.9.9", "1.0.0.5", IPPROTO_TCP, 10, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
	fx_teardown(&f);
}

/*
 * The word forms of the mapping (addrmap_fast.h) against addrmap_6to4 /
 * addrmap_4to6 directly, on random addresses near every rule: pool6 of
 * each length (the Well-Known Prefix included), EAMT entries of several
 * shapes, the denylist, reserved and non-global ranges.
 */
static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8 ^ rnd_state << 13;
}

static void test_map_words(void **state)
{
	static const char *const pools[] = {
		"2001:db8::/32", "2001:db8:100::/40", "2001:db8:1::/48",
		"2001:db8:1:100::/56", "2001:db8:1:2::/64",
		"2001:db8:1:2:3:4::/96", "64:ff9b::/96",
	};
	static const uint8_t octets[] = { 0, 1, 5, 7, 8, 10, 20, 100, 127, 169,
					  172, 192, 198, 203, 224, 240, 255 };
	struct fx f;

	(void)state;
	for (size_t i = 0; i < sizeof(pools) / sizeof(pools[0]); i++) {
		const struct config *cfg;

		fx_conf(&f, pools[i], "eamt 2001:db8:dd::/96 9.9.0.0/16\n"
			"eamt 2001:db8:ee::/64 9.10.0.0/32\n"
			"eamt 2001:db8:ef::/48 9.11.0.0/20\n"
			"eamt 2001:db8:f0::/56 9.12.0.0/16\n", false);
		cfg = &f.ref.cfg;
		for (int k = 0; k < 20000; k++) {
			struct in6_addr a6, o6 = IN6ADDR_ANY_INIT;
			struct in_addr a4, o4 = { 0 };
			uint32_t w4 = 0, v = rnd();
			uint64_t hi = 0, lo = 0;
			enum addrmap_rule r, rw;

			/* IPv4: a first octet near the rules, the rest random. */
			v = (uint32_t)octets[v % sizeof(octets)] << 24 |
			    (rnd() & (k & 1 ? 0x00ffffffu : 0x000f00ffu));
			if (k % 5 == 0)
				v = 0x09000000u | (rnd() & 0x001fffffu);
			a4.s_addr = htonl(v);
			r = addrmap_4to6(cfg, &a4, &o6, NULL);
			rw = addrmap_4to6_w(cfg, v, &hi, &lo);
			assert_int_equal(rw, r);
			if (r == ADDRMAP_EAMT || r == ADDRMAP_POOL6) {
				assert_true(hi == rd64(o6.s6_addr));
				assert_true(lo == rd64(o6.s6_addr + 8));
			}
			/* IPv6: that mapping, or under an EAMT prefix or pool6
			 * with random bits. */
			if (r == ADDRMAP_EAMT || r == ADDRMAP_POOL6)
				a6 = o6;
			else
				memcpy(&a6, &cfg->pool6.addr, 16);
			for (int b = 0; b < 16; b++)
				if (rnd() % 4 == 0)
					a6.s6_addr[b] ^= (uint8_t)(1u << (rnd() % 8));
			if (k % 7 == 0)
				pb_a6(k % 3 == 0 ? "2001:db8:ee::" :
				      k % 3 == 1 ? "2001:db8:ef::" : "2001:db8:f0::",
				      a6.s6_addr);
			if (k % 7 == 0)
				a6.s6_addr[6 + k % 10] = (uint8_t)rnd();
			r = addrmap_6to4(cfg, &a6, &o4, NULL);
			rw = addrmap_6to4_w(cfg, rd64(a6.s6_addr),
					    rd64(a6.s6_addr + 8), &w4);
			assert_int_equal(rw, r);
			if (r == ADDRMAP_EAMT || r == ADDRMAP_POOL6)
				assert_int_equal(w4, ntohl(o4.s_addr));
		}
		fx_teardown(&f);
	}
}

/* Every translator of f on cfg (the probe included). */
static void fx_use(struct fx *f, const struct config *cfg)
{
	f->fast.ctx.cfg = cfg;
	f->ref.ctx.cfg = cfg;
	f->probe.ctx.cfg = cfg;
}

/*
 * The address cache: hits give the same bytes, a cached pool6 source is
 * still refused as an RFC 7757 4.2 hairpin destination, and results of
 * an older configuration are forgotten, by the explicit flush after an
 * edit in place and by themselves when the context's cfg changes.
 */
static void test_cache(void **state)
{
	static const char *const v6[][2] = {
		{ "2001:db8:aa::7", "2001:db8:114:203:3::" },
		{ "2001:db8:101:0:5::", "2001:db8:aa::1" },
	};
	static const char *const v4[][2] = {
		{ "20.2.3.3", "1.0.0.7" }, { "1.0.0.1", "20.4.5.6" },
	};
	struct eamt_entry e = { .p6.len = 128, .p4.len = 32 };
	struct pb_env other;
	char err[256];
	struct fx f;
	size_t len;

	(void)state;
	fx_conf(&f, "2001:db8:100::/40", NULL, true);
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < 2; i++) {
			len = v6pkt(v6[i][0], v6[i][1], protos[i], 30, 0);
			fx_cmp(&f, XLAT_SIDE_V6, len, 0, true);
			len = v4pkt(v4[i][0], v4[i][1], protos[i], 31, 0, true);
			fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
		}
	}
	/* 2001:db8:101:0:5:: is 1.0.0.5, an EAMT address: a hairpin. */
	len = v6pkt("2001:db8:aa::7", "2001:db8:101:0:5::", IPPROTO_UDP, 10, 0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);

	/* Edited in place: 20.2.3.3 is now an EAMT address. */
	pb_a6("2001:db8:ee::9", e.p6.addr.s6_addr);
	pb_a4("20.2.3.3", (uint8_t *)&e.p4.addr);
	assert_int_equal(config_eamt_insert(&f.fast.cfg, f.fast.cfg.eamt_count,
					    &e, err, sizeof(err)), 0);
	assert_int_equal(config_eamt_insert(&f.ref.cfg, f.ref.cfg.eamt_count,
					    &e, err, sizeof(err)), 0);
	assert_int_equal(config_eamt_insert(&f.probe.cfg,
					    f.probe.cfg.eamt_count, &e, err,
					    sizeof(err)), 0);
	xlat_fcache_flush(f.fast.ctx.fcache);
	len = v4pkt("20.2.3.3", "1.0.0.7", IPPROTO_UDP, 31, 0, true);
	fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
	assert_true(pb_is_a6(f.fast.out.pkt[0].data + 8, "2001:db8:ee::9"));
	len = v6pkt("2001:db8:aa::1", "2001:db8:114:203:3::", IPPROTO_UDP, 30,
		    0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);

	/* Another configuration: pool6 elsewhere, no flush needed. */
	pb_env_setup_text(&other, "mode siit\npool6 2001:db8:9::/96\n");
	fx_use(&f, &other.cfg);
	for (size_t i = 0; i < 2; i++) {
		len = v4pkt("20.2.3.3", "20.4.5.6", protos[i], 31, 0, true);
		fx_cmp(&f, XLAT_SIDE_V4, len, 0, true);
		assert_true(pb_is_a6(f.fast.out.pkt[0].data + 8,
				     "2001:db8:9::1402:303"));
	}
	len = v6pkt("2001:db8:aa::7", "2001:db8:9::1402:303", IPPROTO_UDP, 30,
		    0);
	fx_cmp(&f, XLAT_SIDE_V6, len, 0, false);
	pb_env_teardown(&other);
	fx_teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool6_lengths),
		cmocka_unit_test(test_eamt),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_checksums),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_wkp),
		cmocka_unit_test(test_map_words),
		cmocka_unit_test(test_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
