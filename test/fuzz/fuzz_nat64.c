// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the core in mode nat64, a sequence of packets from
 * both sides against one state, on a clock that moves forward, with the
 * timers run as it does (as `transctl replay` drives them).
 *
 * Input: 1 byte of settings, then records:
 *   settings: bit 0 fix the checksums of every packet first, 1
 *       address-dependent-filtering, 2 drop-externally-initiated-tcp, 3
 *       source-icmpv6-errors-better off, 4 mss-clamp, 5
 *       amend-udp-checksum-zero, 6 aggregate (every packet), 7 no
 *       address v4/v6
 *   record: 1 byte (bit 7: from the IPv4 side; bits 0-6: the clock moves
 *       by 100 ms steps (0-31), 5 s steps (32-63) or 2 min steps
 *       (64-127)), 2 bytes length (big endian), the packet.
 * An input of odd length runs with port blocks (pool4-block-size 4, two
 * per prefix). Every event is logged (logging-bib, -session, -debug)
 * through a hook that formats its line (nat64_log.h).
 * The state is small (8 ports per protocol, low limits, short timeouts)
 * so that exhaustion and expiry happen. Every emitted packet is checked
 * (fuzz_pkt.c); at the end everything expires, and only the static
 * bindings may remain. Leaks are ASan's to find.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "fuzz_pkt.h"
#include "nat64_flow.h"
#include "nat64_log.h"
#include "nat64_xlat.h"
#include "reasm.h"
#include "xlat.h"

#define FN_MAX_RECORDS	256
#define FN_STATIC_BIB	2
#define FN_DAY_MS	(24 * 3600 * 1000LL)

static const char fn_conf[] =
	"mode nat64\n"
	"pool6 64:ff9b::/96\n"
	"pool4 192.0.2.2 1000-1007\n"
	"pool4 192.0.2.4/31 2000-2003 udp\n"
	"bib udp 192.0.2.2#2000 2001:db8::6#2000\n"
	"bib tcp 192.0.2.2#8000 2001:db8::6#8000\n"
	"tcp-est-timeout 300\n"
	"tcp-trans-timeout 60\n"
	"tcp-incoming-syn-timeout 6\n"
	"udp-timeout 120\n"
	"icmp-timeout 30\n"
	"max-bib-entries 24\n"
	"max-sessions 40\n"
	"max-sessions-per-host 12\n"
	"maximum-simultaneous-opens 3\n"
	"address v6 2001:db8::1\n"
	"address v4 192.0.2.1\n"
	"mtu v6 1500\n"
	"mtu v4 1400\n";

static const uint8_t fn_key[NAT64_KEY_LEN] = "fuzz_nat64 key!";

static struct config fn_base;
static struct xlat_stats fn_stats;
static struct xlat_out fn_out;
static uint8_t *fn_buf;

static int64_t fn_advance(uint8_t code)
{
	code &= 0x7f;
	if (code < 32)
		return code * 100LL;
	if (code < 64)
		return (code - 31) * 5000LL;
	return (code - 63) * 120000LL;
}

/* One run: the context, its state and the clock of the calls. */
struct fn_run {
	struct xlat_ctx ctx;
	struct nat64_state *st;
	int64_t now_ms;
	unsigned int flags;	/* XLAT_IN_* of every packet */
};

/* The timers due up to until, as replay_timers() runs them. */
static void fn_timers(struct fn_run *r, const struct fuzz_expect *e,
		      int64_t until)
{
	int64_t due;
	int more;

	while ((due = nat64_next_expiry(r->st, r->ctx.cfg)) <= until) {
		if (due > r->now_ms)
			r->now_ms = due;
		do {
			xlat_out_reset(&fn_out);
			more = nat64_xlat_timers(&r->ctx, r->now_ms, &fn_out);
			fuzz_check_out(&fn_out, e);
		} while (more);
	}
	if (until > r->now_ms)
		r->now_ms = until;
}

static void fn_packet(struct fn_run *r, struct fuzz_expect *e,
		      bool fix, uint8_t hdr, const uint8_t *p, size_t len)
{
	struct xlat_in in = {
		.side = hdr & 0x80 ? XLAT_SIDE_V4 : XLAT_SIDE_V6,
		.data = fn_buf, .len = len, .now_ms = r->now_ms,
		.flags = r->flags,
	};

	memcpy(fn_buf, p, len);
	if (fix)
		fuzz_fix_csums(fn_buf, len);
	e->csum_valid = fuzz_csum_ok(fn_buf, len);
	xlat_out_reset(&fn_out);
	xlat_packet(&r->ctx, &in, &fn_out);
	fuzz_check_out(&fn_out, e);
}

/* Everything but the static bindings has expired by now. */
static void fn_check_empty(const struct nat64_state *st)
{
	struct nat64_counts c;

	nat64_state_counts(st, &c);
	if (c.sessions[0] + c.sessions[1] + c.sessions[2] || c.stored ||
	    c.bib[0] + c.bib[1] + c.bib[2] != FN_STATIC_BIB ||
	    c.blocks[0] + c.blocks[1] + c.blocks[2]) {
		fprintf(stderr, "fuzz_nat64: a day later, %llu sessions, %u "
			"stored, %llu bindings remain\n",
			(unsigned long long)(c.sessions[0] + c.sessions[1] +
					     c.sessions[2]), c.stored,
			(unsigned long long)(c.bib[0] + c.bib[1] + c.bib[2]));
		abort();
	}
}

/* Every event's line must format whole. */
static int fn_log(void *arg, const struct nat64_event *ev)
{
	char line[NAT64_EVENT_LINE_MAX];

	(void)arg;
	if (nat64_event_format(ev, ev->now_ms, line, sizeof(line)) <= 0)
		abort();
	return 0;
}

static const struct nat64_log_ops fn_log_ops = { .event = fn_log };

static void fn_config(struct config *cfg, uint8_t s)
{
	*cfg = fn_base;
	cfg->nat64.logging_bib = true;
	cfg->nat64.logging_session = true;
	cfg->nat64.logging_debug = true;
	cfg->nat64.address_dependent_filtering = s & 0x02;
	cfg->nat64.drop_externally_initiated_tcp = s & 0x04;
	cfg->nat64.source_icmpv6_errors_better = !(s & 0x08);
	cfg->mss_clamp = s & 0x10;
	cfg->amend_udp_checksum_zero = s & 0x20;
	cfg->addr4_set = cfg->addr6_set = !(s & 0x80);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_expect e = { .mtu = { 1500, 1400 } };
	struct fn_run r = { .now_ms = 1000000 };
	struct config cfg;
	size_t off = 1, n = 0;
	char err[128];

	if (!fn_buf)
		fuzz_core_setup("fuzz_nat64", fn_conf, &fn_base, &fn_out,
				&fn_buf);
	if (size < 1)
		return 0;
	fn_config(&cfg, data[0]);
	if (size & 1) {
		cfg.nat64.pool4_block_size = 4;
		cfg.nat64.pool4_blocks_per_host = 2;
	}
	r.ctx.cfg = &cfg;
	r.ctx.stats = &fn_stats;
	e.aggregate = data[0] & 0x40;
	r.flags = e.aggregate ? XLAT_IN_AGGREGATE : 0;
	r.st = nat64_state_new(fn_key);
	if (r.st)
		nat64_state_set_log(r.st, &fn_log_ops, NULL);
	/* Small, so that its slots and bytes run out too. */
	r.ctx.reasm = reasm_new(&(struct reasm_limits){ 4, 16384, 2000 });
	if (!r.st || !r.ctx.reasm ||
	    nat64_state_sync(r.st, &cfg, &fn_stats, err, sizeof(err)))
		abort();
	nat64_xlat_attach(&r.ctx, r.st);
	while (off + 3 <= size && n++ < FN_MAX_RECORDS) {
		uint8_t hdr = data[off];
		size_t len = rd16(data + off + 1);

		off += 3;
		if (len > size - off)
			len = size - off;
		fn_timers(&r, &e, r.now_ms + fn_advance(hdr));
		fn_packet(&r, &e, data[0] & 1, hdr, data + off, len);
		off += len;
	}
	fn_timers(&r, &e, r.now_ms + FN_DAY_MS);
	fn_check_empty(r.st);
	nat64_state_free(r.st);
	reasm_free(r.ctx.reasm);
	return 0;
}
