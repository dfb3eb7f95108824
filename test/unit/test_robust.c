// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Robustness of the translation core: valid packets of every kind, every
 * truncation of them, deterministic pseudo-random mutations, bogus IHL
 * and length fields. The core must never crash (run this under ASan and
 * UBSan), must count every packet and every drop, and every packet it
 * emits must be well formed as far as its IP header goes.
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
#define MUTATIONS 2000u
#define SEED	0x2545f491u
#define MAX_CORPUS 40

struct sample {
	const char *name;
	enum xlat_side side;
	uint8_t *data;
	size_t len;
};

static struct sample corpus[MAX_CORPUS];
static size_t n_corpus;
static uint8_t l4[PB_MAX], inner[PB_MAX], body[PB_MAX], tmp[PB_MAX];

/* --- corpus -------------------------------------------------------------- */

static void add(const char *name, enum xlat_side side, const uint8_t *p,
		size_t len)
{
	struct sample *s = &corpus[n_corpus++];

	assert_true(n_corpus <= MAX_CORPUS);
	s->name = name;
	s->side = side;
	s->len = len;
	s->data = malloc(len ? len : 1);
	assert_non_null(s->data);
	memcpy(s->data, p, len);
}

static size_t v4(uint8_t *buf, const char *src, const char *dst,
		 uint8_t proto, const uint8_t *payload, size_t n)
{
	struct pb4 h = { .src = src, .dst = dst, .proto = proto, .id = 99 };

	return pb_ip4(buf, &h, payload, n);
}

static size_t v6(uint8_t *buf, const char *src, const char *dst,
		 uint8_t proto, const uint8_t *payload, size_t n)
{
	struct pb6 h = { .src = src, .dst = dst, .proto = proto };

	return pb_ip6(buf, &h, payload, n);
}

static size_t udp_payload(size_t n)
{
	pb_pattern(body, n, (uint8_t)n);
	return pb_udp(l4, 1000, 2000, body, n);
}

static void corpus_v4_basic(void)
{
	static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 };
	static const uint8_t lsrr[8] = { 131, 7, 4, 1, 2, 3, 4, 0 };
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .opt = rr,
			 .optlen = 8 };
	size_t n;

	n = v4(tmp, N4, N6_4, 17, l4, udp_payload(100));
	add("v4 udp", XLAT_SIDE_V4, tmp, n);
	pb_tcp(l4, 80, 81, 1, body, 60);
	n = v4(tmp, N4, N6_4, 6, l4, 80);
	add("v4 tcp", XLAT_SIDE_V4, tmp, n);
	pb_icmp(l4, 8, 0, 0x10001, body, 40);
	n = v4(tmp, N4, N6_4, 1, l4, 48);
	add("v4 echo", XLAT_SIDE_V4, tmp, n);
	n = pb_ip4(tmp, &h, l4, udp_payload(20));
	add("v4 options", XLAT_SIDE_V4, tmp, n);
	h.opt = lsrr;
	n = pb_ip4(tmp, &h, l4, udp_payload(20));
	add("v4 lsrr", XLAT_SIDE_V4, tmp, n);
	n = v4(tmp, N4, N6_4, 17, l4, udp_payload(0));
	add("v4 udp empty", XLAT_SIDE_V4, tmp, n);
	n = v4(tmp, N4, N6_4, 17, l4, 0);
	add("v4 no transport", XLAT_SIDE_V4, tmp, n);
	pb_pattern(l4, 30, 3);
	n = v4(tmp, N4, N6_4, 33, l4, 30);
	add("v4 proto 33", XLAT_SIDE_V4, tmp, n);
}

static void corpus_v4_sizes(void)
{
	struct pb4 h = { .src = N4, .dst = N6_4, .proto = 17, .id = 7 };
	size_t n;

	n = pb_ip4(inner, &h, l4, udp_payload(2972));
	add("v4 3000 df0", XLAT_SIDE_V4, inner, n);
	n = pb_frag4(tmp, inner, 0, 1000, true);
	add("v4 first fragment", XLAT_SIDE_V4, tmp, n);
	n = pb_frag4(tmp, inner, 1000, 1000, true);
	add("v4 middle fragment", XLAT_SIDE_V4, tmp, n);
	h.df = true;
	h.ttl = 1;
	n = pb_ip4(tmp, &h, l4, udp_payload(1472));
	add("v4 1500 df1 ttl1", XLAT_SIDE_V4, tmp, n);
	h.ttl = 64;
	h.keep_csum = true;
	n = pb_ip4(tmp, &h, l4, udp_payload(50));
	add("v4 udp csum 0", XLAT_SIDE_V4, tmp, n);
}

/* ICMPv4 error from a router quoting what N6 sent to N4. */
static size_t err4(uint8_t type, uint8_t code, uint32_t rest,
		   const uint8_t *in, size_t inlen)
{
	size_t n = pb_icmp(l4, type, code, rest, in, inlen);

	memcpy(body, l4, n);
	return v4(tmp, "198.51.100.254", N6_4, 1, body, n);
}

static void corpus_v4_errors(void)
{
	size_t in, n, ext;

	in = v4(inner, N6_4, N4, 17, l4, udp_payload(300));
	n = err4(3, 3, 0, inner, 200);
	add("v4 port unreachable", XLAT_SIDE_V4, tmp, n);
	n = err4(3, 4, 1400, inner, in);
	add("v4 frag needed", XLAT_SIDE_V4, tmp, n);
	n = err4(12, 0, 9u << 24, inner, 64);
	add("v4 param problem", XLAT_SIDE_V4, tmp, n);
	memcpy(l4, inner, 128);
	ext = pb_icmp_ext(l4 + 128, 8);
	memcpy(inner + 1000, l4, 128 + ext);
	n = err4(11, 0, 32u << 16, inner + 1000, 128 + ext);
	add("v4 time exceeded rfc4884", XLAT_SIDE_V4, tmp, n);
	/* an error quoting an error */
	n = err4(3, 3, 0, inner, 60);
	memcpy(inner + 2000, tmp, n);
	n = err4(11, 0, 0, inner + 2000, n);
	add("v4 nested error", XLAT_SIDE_V4, tmp, n);
	/* an error quoting an echo request */
	pb_icmp(l4, 8, 0, 0x10002, body, 30);
	in = v4(inner, N6_4, N4, 1, l4, 38);
	n = err4(3, 1, 0, inner, in);
	add("v4 error quoting echo", XLAT_SIDE_V4, tmp, n);
}

static void corpus_v6_basic(void)
{
	static const uint8_t hbh[8] = { 0, 0, 1, 4 };
	static const uint8_t rh[24] = { 0, 0, 0, 1 };
	static const uint8_t dst[8] = { 0, 0, 1, 4 };
	const struct pb_ext ext[3] = { { 0, hbh, 8 }, { 60, dst, 8 },
				       { 43, rh, 24 } };
	struct pb6 h = { .src = N6, .dst = N4_6, .proto = 17, .ext = ext };
	size_t n;

	n = v6(tmp, N6, N4_6, 17, l4, udp_payload(100));
	add("v6 udp", XLAT_SIDE_V6, tmp, n);
	pb_tcp(l4, 80, 81, 1, body, 60);
	n = v6(tmp, N6, N4_6, 6, l4, 80);
	add("v6 tcp", XLAT_SIDE_V6, tmp, n);
	pb_icmp(l4, 128, 0, 0x10001, body, 40);
	n = v6(tmp, N6, N4_6, 58, l4, 48);
	add("v6 echo", XLAT_SIDE_V6, tmp, n);
	h.n_ext = 2;
	n = pb_ip6(tmp, &h, l4, udp_payload(30));
	add("v6 hbh dstopts", XLAT_SIDE_V6, tmp, n);
	h.n_ext = 3;
	n = pb_ip6(tmp, &h, l4, udp_payload(30));
	add("v6 routing header", XLAT_SIDE_V6, tmp, n);
	n = v6(tmp, N6, N4_6, 17, l4, udp_payload(0));
	add("v6 udp empty", XLAT_SIDE_V6, tmp, n);
	n = v6(tmp, N6, N4_6, 59, l4, 0);
	add("v6 no payload", XLAT_SIDE_V6, tmp, n);
	n = v6(tmp, "2001:db8:2::5", "2001:db8:101:0:7::", 17, l4,
	       udp_payload(40));
	add("v6 hairpin", XLAT_SIDE_V6, tmp, n);
}

static void corpus_v6_sizes(void)
{
	size_t n;

	n = v6(inner, N6, N4_6, 17, l4, udp_payload(1452));
	add("v6 1500", XLAT_SIDE_V6, inner, n);
	n = pb_frag6(tmp, inner, 0, 1000, true, 0x12345678);
	add("v6 first fragment", XLAT_SIDE_V6, tmp, n);
	n = pb_frag6(tmp, inner, 1000, 460, false, 0x12345678);
	add("v6 last fragment", XLAT_SIDE_V6, tmp, n);
}

static size_t err6(uint8_t type, uint8_t code, uint32_t rest,
		   const uint8_t *in, size_t inlen)
{
	size_t n = pb_icmp(l4, type, code, rest, in, inlen);

	memcpy(body, l4, n);
	return v6(tmp, "2001:db8:ffff::1", N4_6, 58, body, n);
}

static void corpus_v6_errors(void)
{
	size_t in, n, ext;

	in = v6(inner, N4_6, N6, 17, l4, udp_payload(300));
	n = err6(1, 4, 0, inner, 200);
	add("v6 port unreachable", XLAT_SIDE_V6, tmp, n);
	n = err6(2, 0, 1400, inner, in);
	add("v6 packet too big", XLAT_SIDE_V6, tmp, n);
	n = err6(4, 0, 24, inner, 64);
	add("v6 param problem", XLAT_SIDE_V6, tmp, n);
	memcpy(l4, inner, 128);
	ext = pb_icmp_ext(l4 + 128, 8);
	memcpy(inner + 1000, l4, 128 + ext);
	n = err6(3, 0, 16u << 24, inner + 1000, 128 + ext);
	add("v6 time exceeded rfc4884", XLAT_SIDE_V6, tmp, n);
	n = err6(1, 4, 0, inner, 60);
	memcpy(inner + 2000, tmp, n);
	n = err6(3, 0, 0, inner + 2000, n);
	add("v6 nested error", XLAT_SIDE_V6, tmp, n);
}

/*
 * FUZZ_SEED_DIR=DIR: the corpus also goes there as seeds of
 * test/fuzz/fuzz_xlat (its 4 settings bytes: the side, MTUs 1500).
 */
static void corpus_dump(const char *dir)
{
	char path[512];
	size_t i, j;

	for (i = 0; i < n_corpus; i++) {
		const uint8_t hdr[4] = { corpus[i].side == XLAT_SIDE_V4, 0x58 };
		int len = snprintf(path, sizeof(path), "%s/%s", dir,
				   corpus[i].name);
		FILE *f;

		for (j = strlen(dir) + 1; j < (size_t)len; j++)
			path[j] = path[j] == ' ' ? '-' : path[j];
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(hdr, 1, 4, f), 4);
		assert_int_equal(fwrite(corpus[i].data, 1, corpus[i].len, f),
				 corpus[i].len);
		assert_int_equal(fclose(f), 0);
	}
}

static int corpus_setup(void **state)
{
	(void)state;
	if (n_corpus)
		return 0;
	corpus_v4_basic();
	corpus_v4_sizes();
	corpus_v4_errors();
	corpus_v6_basic();
	corpus_v6_sizes();
	corpus_v6_errors();
	if (getenv("FUZZ_SEED_DIR"))
		corpus_dump(getenv("FUZZ_SEED_DIR"));
	return 0;
}

static int corpus_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_corpus; i++)
		free(corpus[i].data);
	n_corpus = 0;
	return 0;
}

/* --- one input, with its invariants --------------------------------------- */

struct run {
	struct pb_env *env;
	const char *name;	/* corpus sample */
	const char *how;	/* kind of damage */
	unsigned long iter;
	uint64_t fed, tx;
};

static void fail_run(const struct run *r, const char *what, long got)
{
	fail_msg("%s, %s #%lu: %s (%ld)", r->name, r->how, r->iter, what, got);
}

/*
 * Everything the IP header of an emitted packet must get right. errors:
 * the packet may be an ICMP error the translator made or translated (not
 * some other protocol 1 or 58 payload it passed on as is).
 */
static void check_out(const struct run *r, const struct xlat_out_pkt *op,
		      bool errors)
{
	const struct config *cfg = &r->env->cfg;
	const uint8_t *p = op->data;

	if (op->len > (op->side == XLAT_SIDE_V6 ? cfg->mtu6 : cfg->mtu4))
		fail_run(r, "output larger than the egress MTU", op->len);
	if (op->side == XLAT_SIDE_V6) {
		if (op->len < 40 || p[0] >> 4 != 6)
			fail_run(r, "bad IPv6 output", op->len);
		if (40u + pb_rd16(p + 4) != op->len)
			fail_run(r, "IPv6 payload length", pb_rd16(p + 4));
		/* RFC 4443 2.4 (c): ICMPv6 errors fit the minimum MTU. */
		if (errors && p[6] == 58 && op->len > 40 && p[40] < 128 &&
		    op->len > 1280)
			fail_run(r, "ICMPv6 error over 1280 bytes", op->len);
		return;
	}
	if (op->len < 20 || p[0] != 0x45)
		fail_run(r, "bad IPv4 output", op->len);
	if (pb_rd16(p + 2) != op->len)
		fail_run(r, "IPv4 total length", pb_rd16(p + 2));
	if (!pb_ip4_hdr_ok(p))
		fail_run(r, "IPv4 header checksum", 0);
	/* RFC 1812 4.3.2.3: ICMPv4 errors are at most 576 bytes. */
	if (errors && p[9] == 1 && op->len > 20 &&
	    !(pb_rd16(p + 6) & 0x3fff) &&
	    (p[20] == 3 || p[20] == 11 || p[20] == 12) && op->len > 576)
		fail_run(r, "ICMPv4 error over 576 bytes", op->len);
}

/* Whether the input's transport is ICMP of its own family. */
static bool icmp_input(enum xlat_side from, const uint8_t *p, size_t len)
{
	uint8_t proto;

	if (from == XLAT_SIDE_V4)
		return len >= 20 && p[9] == 1;
	return len >= 40 && pb_ip6_l4(p, len, &proto) && proto == 58;
}

static void check_outs(struct run *r, enum xlat_side from,
		       enum xlat_verdict v, bool icmp_in)
{
	const struct xlat_out *out = &r->env->out;

	if (v == XLAT_TRANSLATED && out->count == 0)
		fail_run(r, "translated into nothing", 0);
	for (unsigned int i = 0; i < out->count; i++) {
		check_out(r, &out->pkt[i], v == XLAT_DROP || icmp_in);
		/* A drop may only answer the sender (an ICMP error). */
		if (v == XLAT_DROP && out->pkt[i].side != from)
			fail_run(r, "dropped, yet output to the other side", i);
	}
	r->tx += out->count;
}

static void feed(struct run *r, enum xlat_side from, const uint8_t *p,
		 size_t len)
{
	struct pb_env *env = r->env;
	uint64_t drops = pb_drops(env);
	uint64_t done = pb_cnt(env, XLAT_CNT_XLAT_4TO6) +
			pb_cnt(env, XLAT_CNT_XLAT_6TO4);
	enum xlat_verdict v;
	size_t shift = r->iter & 1;
	uint8_t *copy;

	/*
	 * An exact-size heap copy, so that ASan sees any read past len;
	 * every other one is misaligned on purpose (the core must cope).
	 */
	copy = malloc(len + shift ? len + shift : 1);
	assert_non_null(copy);
	memcpy(copy + shift, p, len);
	v = pb_run(env, from, copy + shift, len);
	r->fed++;
	if (v != XLAT_TRANSLATED && v != XLAT_DROP && v != XLAT_HELD)
		fail_run(r, "verdict", v);
	if (pb_drops(env) - drops != (v == XLAT_DROP ? 1u : 0u))
		fail_run(r, "drop counters moved by",
			 (long)(pb_drops(env) - drops));
	if (pb_cnt(env, XLAT_CNT_XLAT_4TO6) + pb_cnt(env, XLAT_CNT_XLAT_6TO4) -
	    done != (v == XLAT_TRANSLATED ? 1u : 0u))
		fail_run(r, "translated counters", v);
	check_outs(r, from, v, icmp_input(from, p, len));
	free(copy);
	r->iter++;
}

/* Totals over the whole run: received, dropped + translated, emitted. */
static void check_totals(const struct run *r)
{
	const struct pb_env *env = r->env;
	uint64_t rx = pb_cnt(env, XLAT_CNT_RX_V4) + pb_cnt(env, XLAT_CNT_RX_V6);
	uint64_t xl = pb_cnt(env, XLAT_CNT_XLAT_4TO6) +
		      pb_cnt(env, XLAT_CNT_XLAT_6TO4);
	uint64_t tx = pb_cnt(env, XLAT_CNT_TX_V4) + pb_cnt(env, XLAT_CNT_TX_V6);

	assert_int_equal(rx, r->fed);
	assert_int_equal(pb_drops(env) + xl, rx);
	assert_int_equal(tx, r->tx);
}

/* --- damage ------------------------------------------------------------- */

static uint32_t rng_state = SEED;

static uint32_t rnd(void)
{
	/* xorshift32 (Marsaglia): deterministic and good enough here. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Recomputes the ICMP checksum so damage reaches past the check. */
static void fix_icmp_csum(uint8_t *p, size_t len)
{
	size_t hl, tot, off;
	uint8_t proto;

	if (len >= 20 && p[0] >> 4 == 4) {
		hl = (size_t)(p[0] & 15) * 4;
		tot = pb_rd16(p + 2);
		if (p[9] != 1 || hl < 20 || tot > len || tot < hl + 4)
			return;
		pb_wr16(p + hl + 2, 0);
		pb_wr16(p + hl + 2, pb_cksum(p + hl, tot - hl, 0));
	} else if (len >= 40 && p[0] >> 4 == 6) {
		tot = 40 + (size_t)pb_rd16(p + 4);
		off = tot <= len ? pb_ip6_l4(p, tot, &proto) : 0;
		if (!off || proto != 58 || tot < off + 4)
			return;
		pb_wr16(p + off + 2, 0);
		pb_wr16(p + off + 2,
			pb_cksum(p + off, tot - off,
				 pb_pseudo6(p + 8, p + 24, 58,
					    (uint32_t)(tot - off))));
	}
}

static void mutate(uint8_t *p, size_t len)
{
	size_t head = len < 128 ? len : 128;
	uint32_t kind = rnd() % 4, n = 1 + rnd() % 8;

	if (!len)
		return;
	switch (kind) {
	case 0:			/* one byte anywhere */
		p[rnd() % len] = (uint8_t)rnd();
		break;
	case 1:			/* several bytes among the headers */
		while (n--)
			p[rnd() % head] = (uint8_t)rnd();
		break;
	case 2:			/* one bit */
		p[rnd() % head] ^= (uint8_t)(1u << (rnd() % 8));
		break;
	default:		/* a 16-bit field to a boundary value */
		if (head >= 2) {
			static const uint16_t v[] = { 0, 1, 0xffff, 0x7fff,
						      20, 40, 8 };
			pb_wr16(p + (rnd() % (head - 1)),
				v[rnd() % (sizeof(v) / sizeof(v[0]))]);
		}
	}
	if (rnd() & 1)
		fix_icmp_csum(p, len);
}

static uint8_t work[PB_MAX];

static void run_truncations(struct run *r, const struct sample *s)
{
	r->how = "truncation";
	r->iter = 0;
	for (size_t len = 0; len <= s->len; len++)
		feed(r, s->side, s->data, len);
}

static void run_mutations(struct run *r, const struct sample *s)
{
	r->how = "mutation";
	r->iter = 0;
	for (unsigned int i = 0; i < MUTATIONS; i++) {
		memcpy(work, s->data, s->len);
		mutate(work, s->len);
		feed(r, s->side, work, s->len);
	}
}

static void fix_ip4_hdr(uint8_t *p)
{
	size_t hl = (size_t)(p[0] & 15) * 4;

	if (hl < 20)
		hl = 20;
	pb_wr16(p + 10, 0);
	pb_wr16(p + 10, pb_cksum(p, hl, 0));
}

/* IHL 0..15 and Total / Payload Length values around the truth. */
static void run_lengths(struct run *r, const struct sample *s)
{
	bool is4 = s->side == XLAT_SIDE_V4;
	size_t hl = is4 ? 20 : 40, real = s->len - (is4 ? 0 : 40);
	const size_t v[] = { 0, 1, hl - 1, hl, real - 1, real + 1, s->len,
			     s->len + 1, 0x7fff, 0xffff };

	r->how = "length field";
	r->iter = 0;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(work, s->data, s->len);
		pb_wr16(work + (is4 ? 2 : 4), (uint16_t)v[i]);
		if (is4)
			fix_ip4_hdr(work);
		feed(r, s->side, work, s->len);
	}
	if (!is4)
		return;
	r->how = "IHL";
	r->iter = 0;
	for (uint8_t ihl = 0; ihl < 16; ihl++) {
		memcpy(work, s->data, s->len);
		work[0] = (uint8_t)(0x40 | ihl);
		fix_ip4_hdr(work);
		feed(r, s->side, work, s->len);
	}
}

/* The other family's bytes on a side, and garbage versions. */
static void run_versions(struct run *r, const struct sample *s)
{
	r->how = "version";
	r->iter = 0;
	for (uint8_t ver = 0; ver < 16; ver++) {
		memcpy(work, s->data, s->len);
		work[0] = (uint8_t)(ver << 4 | (work[0] & 15));
		feed(r, s->side, work, s->len);
	}
	feed(r, s->side == XLAT_SIDE_V4 ? XLAT_SIDE_V6 : XLAT_SIDE_V4,
	     s->data, s->len);
}

static void run_all(struct pb_env *env)
{
	struct run r = { .env = env };

	rng_state = SEED;
	for (size_t i = 0; i < n_corpus; i++) {
		const struct sample *s = &corpus[i];

		r.name = s->name;
		r.how = "as built";
		r.iter = 0;
		feed(&r, s->side, s->data, s->len);
		run_truncations(&r, s);
		run_mutations(&r, s);
		run_lengths(&r, s);
		run_versions(&r, s);
	}
	print_message("%zu samples, %lu packets fed, %lu emitted\n", n_corpus,
		      (unsigned long)r.fed, (unsigned long)r.tx);
	check_totals(&r);
}

/* --- tests -------------------------------------------------------------- */

/* The corpus itself: each sample ends as intended (sanity of the inputs). */
static void test_corpus_verdicts(void **state)
{
	static const char *const dropped[] = {
		"v4 lsrr", "v4 1500 df1 ttl1", "v4 udp csum 0",
		"v4 nested error", "v6 routing header", "v6 nested error",
	};
	const size_t n_dropped = sizeof(dropped) / sizeof(dropped[0]);
	struct pb_env *env = *state;

	assert_true(n_corpus >= 20);
	for (size_t i = 0; i < n_corpus; i++) {
		const struct sample *s = &corpus[i];
		bool drop = false;
		enum xlat_verdict v;

		for (size_t j = 0; j < n_dropped; j++)
			drop |= strcmp(s->name, dropped[j]) == 0;
		v = pb_run(env, s->side, s->data, s->len);
		if (v != (drop ? XLAT_DROP : XLAT_TRANSLATED))
			fail_msg("corpus sample '%s': verdict %d", s->name, v);
	}
}

static void test_default_setup(void **state)
{
	run_all(*state);
}

static void test_other_setup(void **state)
{
	run_all(pb_reconf(state, "amend-udp-checksum-zero yes\n"
			  "zeroize-traffic-class yes\n"
			  "lowest-ipv6-mtu 1500\n"
			  "mtu v4 576\n"
			  "rfc6791v4-prefix none\n"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, pb_setup, pb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_corpus_verdicts),
		T(test_default_setup),
		T(test_other_setup),
	};

	return cmocka_run_group_tests(tests, corpus_setup, corpus_teardown);
}
