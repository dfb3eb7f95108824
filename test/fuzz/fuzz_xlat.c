// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the translation core in mode siit, one packet per
 * input, from either side, under every flag and MTU.
 *
 * Input: 4 bytes of settings, then the packet.
 *   [0] bit 0 side (0 IPv6, 1 IPv4), 1 aggregate, 2 reassembled,
 *       3 fix the checksums first (so that translations of valid packets
 *       are checked too), 4 amend-udp-checksum-zero, 5
 *       zeroize-traffic-class, 6 override-tos, 7 mss-clamp
 *   [1] low nibble: IPv4 egress MTU, high nibble: IPv6 egress MTU (tables)
 *   [2] bits 0-1 lowest-ipv6-mtu; 2 pool6 none; 3 no rfc6791v4-prefix;
 *       4 no rfc6791v6-prefix; 5 no address v4; 6 no address v6; 7 the
 *       MTU comes from the config instead of the route peek (which
 *       calls every answer stale, so misses are recorded too)
 *   [3] tos
 * Every emitted packet is checked (fuzz_pkt.c); a violation aborts.
 * The packet is then translated again with the fast path's address cache
 * (xlat_fcache.h), cold then warm: both outputs must be the first one's,
 * byte for byte (the configuration differs per input, so the cache is
 * flushed first, as for a configuration edited in place). Then once more
 * into the daemon's direct window (xlat_out_direct) of the side the
 * translation leaves through, room 2032 bytes (a TUN slot) or 64 KB (a
 * raw batch) by bit 0 of [3]: the same packets, byte for byte.
 */
#include <string.h>

#include "fuzz_pkt.h"
#include "xlat.h"

#define HDR	4

/* The unit tests' setup (test/unit/pktbuild.c), so their packets apply. */
static const char fx_conf[] =
	"mode siit\n"
	"pool6 2001:db8:100::/40\n"
	"eamt 2001:db8:3::/120 1.0.0.0/24\n"
	"eamt 2001:db8:2::/120 10.0.0.0/24\n"
	"denylist4 192.0.2.128/25\n"
	"rfc6791v4-prefix 203.0.113.8\n"
	"rfc6791v6-prefix 2001:db8:ffff::/120\n"
	"address v6 2001:db8:1c0:2:1::\n"
	"address v4 198.51.100.1\n";

static const uint32_t fx_mtu4[16] = {
	68, 576, 1000, 1279, 1280, 1400, 1480, 1492,
	1500, 1501, 4000, 8192, 9000, 65000, 65535, 1500,
};
static const uint32_t fx_mtu6[16] = {
	1280, 1281, 1300, 1400, 1480, 1500, 1501, 2000,
	4000, 9000, 9216, 16000, 65000, 65535, 1500, 1280,
};
static const uint32_t fx_lowest[4] = { 1280, 1500, 9000, 65535 };

static struct config fx_base;
static struct xlat_out fx_out;
static struct xlat_stats fx_stats;
static uint8_t *fx_buf;

/* The first translation's output, for the cached ones to match. */
static struct xlat_out fx_ref;
static uint8_t fx_ref_arena[XLAT_ARENA_SIZE];
static struct xlat_fcache *fx_fc;

static uint32_t fx_mtu_peek(const void *arg, enum xlat_side side,
			    const void *dst, int64_t now_ms, bool *stale)
{
	const uint32_t *mtu = arg;

	(void)dst;
	(void)now_ms;
	*stale = true;
	return mtu[side];
}

static const struct xlat_mtu_ops fx_mtu_ops = { .peek = fx_mtu_peek };

/* The fixed configuration under the settings bytes. */
static void fx_config(struct config *cfg, const uint8_t *h, uint32_t *mtu)
{
	*cfg = fx_base;
	cfg->amend_udp_checksum_zero = h[0] & 0x10;
	cfg->zeroize_traffic_class = h[0] & 0x20;
	cfg->override_tos = h[0] & 0x40;
	cfg->mss_clamp = h[0] & 0x80;
	mtu[XLAT_SIDE_V4] = fx_mtu4[h[1] & 0xf];
	mtu[XLAT_SIDE_V6] = fx_mtu6[h[1] >> 4];
	cfg->lowest_ipv6_mtu = fx_lowest[h[2] & 3];
	cfg->pool6_set = !(h[2] & 0x04);
	cfg->rfc6791v4_set = !(h[2] & 0x08);
	cfg->rfc6791v6_set = !(h[2] & 0x10);
	cfg->addr4_set = !(h[2] & 0x20);
	cfg->addr6_set = !(h[2] & 0x40);
	cfg->mtu4 = mtu[XLAT_SIDE_V4];
	cfg->mtu6 = mtu[XLAT_SIDE_V6];
	cfg->tos = h[3];
}

/* Keeps the output of the call just made (fx_out) in fx_ref. */
static void fx_keep(void)
{
	fx_ref = fx_out;
	memcpy(fx_ref_arena, fx_out.arena, fx_out.used);
}

/* The call just made gave what fx_ref holds, or the run aborts. */
static void fx_same(void)
{
	if (fx_out.count != fx_ref.count || fx_out.used != fx_ref.used ||
	    fx_out.miss_count != fx_ref.miss_count ||
	    memcmp(fx_out.miss, fx_ref.miss, sizeof(fx_out.miss)) ||
	    memcmp(fx_out.arena, fx_ref_arena, fx_out.used))
		__builtin_trap();
	for (unsigned int i = 0; i < fx_out.count; i++) {
		const struct xlat_out_pkt *a = &fx_out.pkt[i];
		const struct xlat_out_pkt *b = &fx_ref.pkt[i];

		if (a->len != b->len || a->side != b->side ||
		    a->flags != b->flags ||
		    a->data - fx_out.arena != b->data - fx_ref.arena)
			__builtin_trap();
	}
}

/*
 * The same call with the daemon's direct window (xlat_out_direct: the
 * egress slot of the side a translation leaves through, room bytes)
 * gave the same packets byte for byte; the window holds the first
 * packet or none, never a larger one than room, never a later one.
 */
static _Alignas(8) uint8_t fx_win[XLAT_MAX_PKT + 128];

static void fx_same_direct(size_t room)
{
	if (fx_out.count != fx_ref.count ||
	    fx_out.miss_count != fx_ref.miss_count)
		__builtin_trap();
	for (unsigned int i = 0; i < fx_out.count; i++) {
		const struct xlat_out_pkt *a = &fx_out.pkt[i];
		const struct xlat_out_pkt *b = &fx_ref.pkt[i];

		if (a->len != b->len || a->side != b->side ||
		    a->flags != b->flags ||
		    memcmp(a->data, fx_ref_arena + (b->data - fx_ref.arena),
			   b->len))
			__builtin_trap();
		if (a->data == fx_win && (i || a->len > room))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xlat_in in = { 0 };
	enum xlat_verdict v;
	struct fuzz_expect e;
	struct xlat_ctx ctx;
	struct config cfg;
	size_t len;

	if (!fx_buf)
		fuzz_core_setup("fuzz_xlat", fx_conf, &fx_base, &fx_out,
				&fx_buf);
	if (size < HDR)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	memset(&e, 0, sizeof(e));
	fx_config(&cfg, data, e.mtu);
	len = size - HDR > XLAT_MAX_PKT ? XLAT_MAX_PKT : size - HDR;
	memcpy(fx_buf, data + HDR, len);
	if (data[0] & 0x08)
		fuzz_fix_csums(fx_buf, len);
	in.side = data[0] & 1 ? XLAT_SIDE_V4 : XLAT_SIDE_V6;
	in.data = fx_buf;
	in.len = len;
	ctx.cfg = &cfg;
	ctx.stats = &fx_stats;
	if (!(data[2] & 0x80)) {
		/* The route's answer; the configured MTU would win over it. */
		cfg.mtu4 = 0;
		cfg.mtu6 = 0;
		ctx.mtu_ops = &fx_mtu_ops;
		ctx.mtu_arg = e.mtu;
	}
	e.aggregate = data[0] & 0x02;
	in.flags = (e.aggregate ? XLAT_IN_AGGREGATE : 0) |
		   (data[0] & 0x04 ? XLAT_IN_REASSEMBLED : 0);
	e.csum_valid = fuzz_csum_ok(fx_buf, len);
	xlat_out_reset(&fx_out);
	v = xlat_packet(&ctx, &in, &fx_out);
	if (fx_out.miss_count > XLAT_MTU_MISS_MAX)
		__builtin_trap();
	fuzz_check_out(&fx_out, &e);

	fx_keep();
	if (!fx_fc && !(fx_fc = xlat_fcache_new()))
		__builtin_trap();
	xlat_fcache_flush(fx_fc);
	ctx.fcache = fx_fc;
	for (int warm = 0; warm < 2; warm++) {
		ctx.ip_id_next = 0;
		xlat_out_reset(&fx_out);
		if (xlat_packet(&ctx, &in, &fx_out) != v)
			__builtin_trap();
		fx_same();
	}
	/* A TUN slot's room (2032) or a raw batch's (all of it). */
	ctx.ip_id_next = 0;
	xlat_out_reset(&fx_out);
	xlat_out_direct(&fx_out, in.side == XLAT_SIDE_V6 ? XLAT_SIDE_V4 :
			XLAT_SIDE_V6, fx_win,
			data[3] & 1 ? sizeof(fx_win) : 2032);
	if (xlat_packet(&ctx, &in, &fx_out) != v)
		__builtin_trap();
	fx_same_direct(data[3] & 1 ? sizeof(fx_win) : 2032);
	return 0;
}
