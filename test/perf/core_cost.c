// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core_cost: a fixed workload for counting what the translation core
 * spends per packet (issue 12), run under callgrind by
 * scripts/core-cost.sh. Not a test: it prints no timing and asserts
 * nothing but that every packet was translated.
 *
 *   core_cost ROW [COUNT]	translates COUNT (default 10000) packets
 *   core_cost --list		the rows, one a line
 *   core_cost --digest [COUNT]	a hash of every output byte of every row
 *
 * CORE_COST_NO_FAST=1 in the environment sends every packet through the
 * general path (XLAT_CTX_NO_FAST): both digests must be equal.
 * CORE_COST_NO_CACHE=1 runs the fast path without its address cache
 * (xlat_ctx.fcache NULL, xlat_fcache.h): the same digest again.
 *
 * The packets (64 bytes of IPv4, 84 of IPv6, as the benchmark's 64-byte
 * UDP) are built before the measured loop: 256 hosts on each side and
 * varying ports, so that nothing is the same packet twice in a row.
 * The script collects inside xlat_packet() only (callgrind's
 * --toggle-collect), so building the packets, resetting the output and
 * checking the verdicts are not counted. The MTU comes through an mtu_ops peek that knows
 * every destination, as the daemon's warm route cache does.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "nat64_state.h"
#include "nat64_xlat.h"
#include "xlat.h"

#define CC_RING		1024u	/* distinct packets, cycled */
#define CC_PAYLOAD	36u	/* 20 + 8 + 36 = 64 bytes of IPv4 UDP */

static const char siit_conf[] =
	"mode siit\n"
	"pool6 2001:db8:46::/96\n"
	"eamt 2001:db8:6::/120 192.0.2.0/24\n"
	"eamt 2001:db8:7::/120 198.51.100.0/24\n"
	"eamt 2001:db8:8::/128 203.0.113.9/32\n"
	"denylist4 100.64.0.0/10\n"
	"denylist4 172.16.0.0/12\n"
	"address v6 2001:db8:1::1\n"
	"address v4 192.0.2.254\n";

static const char nat64_conf[] =
	"mode nat64\n"
	"pool6 64:ff9b::/96\n"
	"pool4 192.0.2.2\n";

enum cc_map { CC_POOL6, CC_EAMT, CC_NAT64 };

struct cc_row {
	const char *name;
	enum cc_map map;
	enum xlat_side from;
	uint8_t proto;
};

static const struct cc_row cc_rows[] = {
	{ "siit-pool6-udp-6to4", CC_POOL6, XLAT_SIDE_V6, IPPROTO_UDP },
	{ "siit-pool6-udp-4to6", CC_POOL6, XLAT_SIDE_V4, IPPROTO_UDP },
	{ "siit-pool6-tcp-6to4", CC_POOL6, XLAT_SIDE_V6, IPPROTO_TCP },
	{ "siit-pool6-tcp-4to6", CC_POOL6, XLAT_SIDE_V4, IPPROTO_TCP },
	{ "siit-eamt-udp-6to4", CC_EAMT, XLAT_SIDE_V6, IPPROTO_UDP },
	{ "siit-eamt-udp-4to6", CC_EAMT, XLAT_SIDE_V4, IPPROTO_UDP },
	{ "siit-eamt-tcp-6to4", CC_EAMT, XLAT_SIDE_V6, IPPROTO_TCP },
	{ "siit-eamt-tcp-4to6", CC_EAMT, XLAT_SIDE_V4, IPPROTO_TCP },
	{ "nat64-udp-6to4", CC_NAT64, XLAT_SIDE_V6, IPPROTO_UDP },
};

#define CC_NROWS (sizeof(cc_rows) / sizeof(cc_rows[0]))

struct cc_pkt {
	uint8_t data[128];
	size_t len;
};

/* The addresses of packet i (both families: the builder picks one). */
struct cc_addrs {
	uint8_t s6[16], d6[16];
	uint8_t s4[4], d4[4];
};

static void cc_v6(uint8_t *a, const char *prefix, uint8_t host)
{
	inet_pton(AF_INET6, prefix, a);
	a[15] = host;
}

static void cc_v4(uint8_t *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t h)
{
	a[0] = b0;
	a[1] = b1;
	a[2] = b2;
	a[3] = h;
}

/*
 * pool6: 198.51.0.x <-> 2001:db8:46::c633:x (both ends under pool6).
 * EAMT: 2001:db8:6::x <-> 192.0.2.x talks to 2001:db8:7::x <->
 * 198.51.100.x. NAT64: 2001:db8:1::x to 64:ff9b::808:8x (8.8.8.x).
 */
static void cc_addrs(enum cc_map map, uint32_t i, struct cc_addrs *a)
{
	uint8_t h = (uint8_t)(i % 254 + 1), g = (uint8_t)(i / 7 % 254 + 1);

	switch (map) {
	case CC_POOL6:
		cc_v4(a->s4, 198, 51, 0, h);
		cc_v4(a->d4, 198, 51, 1, g);
		break;
	case CC_EAMT:
		cc_v6(a->s6, "2001:db8:6::", h);
		cc_v6(a->d6, "2001:db8:7::", g);
		cc_v4(a->s4, 192, 0, 2, h);
		cc_v4(a->d4, 198, 51, 100, g);
		return;
	case CC_NAT64:
		cc_v6(a->s6, "2001:db8:1::", h);
		cc_v4(a->d4, 8, 8, 8, g);
		cc_v6(a->d6, "64:ff9b::", 0);
		memcpy(a->d6 + 12, a->d4, 4);
		return;
	}
	cc_v6(a->s6, "2001:db8:46::", 0);
	cc_v6(a->d6, "2001:db8:46::", 0);
	memcpy(a->s6 + 12, a->s4, 4);
	memcpy(a->d6 + 12, a->d4, 4);
}

static void wr16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* UDP or TCP (ACK, no options) header and payload at l4: its length. */
static size_t cc_l4(uint8_t *l4, uint8_t proto, uint32_t i, size_t total)
{
	size_t hl = proto == IPPROTO_TCP ? 20 : 8;

	memset(l4, 0, hl);
	wr16be(l4, (uint16_t)(1024 + i % 50000));
	wr16be(l4 + 2, proto == IPPROTO_TCP ? 443 : 53);
	if (proto == IPPROTO_TCP) {
		wr16be(l4 + 4, (uint16_t)(i >> 16));
		wr16be(l4 + 6, (uint16_t)i);
		l4[12] = 5 << 4;
		l4[13] = 0x10;	/* ACK */
		wr16be(l4 + 14, 65535);
	} else {
		wr16be(l4 + 4, (uint16_t)total);
	}
	for (size_t k = hl; k < total; k++)
		l4[k] = (uint8_t)(i + k);
	return total;
}

static void cc_build(const struct cc_row *r, uint32_t i, struct cc_pkt *p)
{
	size_t l4len = (r->proto == IPPROTO_TCP ? 20 : 8) +
		       (r->proto == IPPROTO_TCP ? CC_PAYLOAD - 12 : CC_PAYLOAD);
	size_t coff = r->proto == IPPROTO_TCP ? 16 : 6;
	uint8_t *d = p->data, *l4;
	struct cc_addrs a;
	uint32_t sum;

	memset(p, 0, sizeof(*p));
	cc_addrs(r->map, i, &a);
	if (r->from == XLAT_SIDE_V6) {
		d[0] = 0x60;
		wr16be(d + 4, (uint16_t)l4len);
		d[6] = r->proto;
		d[7] = 64;
		memcpy(d + 8, a.s6, 16);
		memcpy(d + 24, a.d6, 16);
		l4 = d + 40;
		sum = csum_pseudo6((void *)a.s6, (void *)a.d6, r->proto,
				   (uint32_t)l4len);
	} else {
		d[0] = 0x45;
		wr16be(d + 2, (uint16_t)(20 + l4len));
		wr16be(d + 4, (uint16_t)i);
		wr16be(d + 6, 0x4000);	/* DF, as most hosts send */
		d[8] = 64;
		d[9] = r->proto;
		memcpy(d + 12, a.s4, 4);
		memcpy(d + 16, a.d4, 4);
		memcpy(d + 10, &(uint16_t){ csum_finish(csum_partial(d, 20, 0)) },
		       2);
		l4 = d + 20;
		sum = csum_pseudo4((void *)a.s4, (void *)a.d4, r->proto,
				   (uint32_t)l4len);
	}
	cc_l4(l4, r->proto, i, l4len);
	sum = csum_partial(l4, l4len, sum);
	memcpy(l4 + coff, &(uint16_t){ csum_finish(sum) }, 2);
	p->len = (size_t)(l4 - d) + l4len;
}

/* Every destination is known (a warm route cache): no miss recorded. */
static uint32_t cc_peek(const void *arg, enum xlat_side side, const void *dst,
			int64_t now_ms, bool *stale)
{
	(void)arg, (void)side, (void)dst, (void)now_ms, (void)stale;
	return 1500;
}

static const struct xlat_mtu_ops cc_mtu_ops = { .peek = cc_peek };

struct cc_env {
	struct config cfg;
	struct xlat_stats st;
	struct xlat_ctx ctx;
	struct xlat_out out;
	struct nat64_state *nat64;
	struct cc_pkt *ring;
};

static int cc_setup(struct cc_env *e, const struct cc_row *r)
{
	static const uint8_t key[NAT64_KEY_LEN] = "core-cost-key";
	const char *text = r->map == CC_NAT64 ? nat64_conf : siit_conf;
	char err[256];

	memset(e, 0, sizeof(*e));
	if (config_parse_string(r->name, text, &e->cfg, err, sizeof(err)) < 0 ||
	    xlat_out_init(&e->out) < 0) {
		fprintf(stderr, "core_cost: %s\n", err);
		return -1;
	}
	e->ctx.cfg = &e->cfg;
	e->ctx.stats = &e->st;
	e->ctx.mtu_ops = &cc_mtu_ops;
	e->ctx.ip_id_next = 1;
	/* The general path alone: before/after figures, digests compared. */
	if (getenv("CORE_COST_NO_FAST"))
		e->ctx.opts |= XLAT_CTX_NO_FAST;
	/* The fast path's address cache, as the daemon's workers have. */
	if (!getenv("CORE_COST_NO_CACHE")) {
		e->ctx.fcache = xlat_fcache_new();
		if (!e->ctx.fcache)
			return -1;
	}
	if (r->map == CC_NAT64) {
		e->nat64 = nat64_state_new(key);
		if (!e->nat64 || nat64_state_sync(e->nat64, &e->cfg, &e->st,
						  err, sizeof(err)) < 0) {
			fprintf(stderr, "core_cost: nat64: %s\n", err);
			return -1;
		}
		nat64_xlat_attach(&e->ctx, e->nat64);
	}
	e->ring = calloc(CC_RING, sizeof(*e->ring));
	if (!e->ring)
		return -1;
	for (uint32_t i = 0; i < CC_RING; i++)
		cc_build(r, i, &e->ring[i]);
	return 0;
}

static void cc_teardown(struct cc_env *e)
{
	if (e->nat64)
		nat64_state_free(e->nat64);
	free(e->ring);
	xlat_fcache_free(e->ctx.fcache);
	xlat_out_free(&e->out);
	config_free(&e->cfg);
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/*
 * Translates count packets of row r; with digest, folds every output
 * byte into *digest. Returns the packets not translated (0 expected).
 */
static unsigned long cc_run(const struct cc_row *r, unsigned long count,
			    uint64_t *digest)
{
	struct cc_env e;
	unsigned long bad = 0;

	if (cc_setup(&e, r) < 0)
		return count ? count : 1;
	for (unsigned long i = 0; i < count; i++) {
		const struct cc_pkt *p = &e.ring[i % CC_RING];
		struct xlat_in in = {
			.side = r->from, .data = p->data, .len = p->len,
			.now_ms = (int64_t)(i / 64),
		};
		enum xlat_verdict v;

		xlat_out_reset(&e.out);
		v = xlat_packet(&e.ctx, &in, &e.out);
		if (v != XLAT_TRANSLATED || e.out.count != 1)
			bad++;
		for (unsigned int k = 0; digest && k < e.out.count; k++)
			*digest = fnv(*digest, e.out.pkt[k].data,
				      e.out.pkt[k].len);
	}
	cc_teardown(&e);
	return bad;
}

static int cc_digest(unsigned long count)
{
	int ret = 0;

	for (size_t i = 0; i < CC_NROWS; i++) {
		uint64_t h = 0xcbf29ce484222325ull;
		unsigned long bad = cc_run(&cc_rows[i], count, &h);

		printf("%-22s %016llx%s\n", cc_rows[i].name,
		       (unsigned long long)h, bad ? " (not all translated)" : "");
		ret |= bad != 0;
	}
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long count = 10000, bad;
	const char *row = argc > 1 ? argv[1] : "";

	if (argc > 2)
		count = strtoul(argv[2], NULL, 10);
	if (!strcmp(row, "--list")) {
		for (size_t i = 0; i < CC_NROWS; i++)
			puts(cc_rows[i].name);
		return 0;
	}
	if (!strcmp(row, "--digest"))
		return cc_digest(count);
	for (size_t i = 0; i < CC_NROWS; i++) {
		if (strcmp(row, cc_rows[i].name))
			continue;
		bad = cc_run(&cc_rows[i], count, NULL);
		if (bad)
			fprintf(stderr, "core_cost: %s: %lu of %lu packets not translated\n",
				row, bad, count);
		return bad != 0;
	}
	fprintf(stderr, "usage: core_cost ROW [COUNT] | --list | --digest [COUNT]\n");
	return 2;
}
