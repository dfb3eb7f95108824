// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which fragments the core gathers before translating (reasm.h), and the
 * translation of the whole packet:
 * - mode siit: fragmented ICMP only, whose checksum cannot be translated
 *   fragment by fragment (the ICMPv6 pseudo-header holds the whole
 *   message's length, RFC 4443 2.3). IPv6 only with the Fragment header
 *   right after the IPv6 header; anything else is dropped as it was
 *   (drop_fragmented_icmp, drop_routing_header, ...). Without a
 *   reassembler (ctx->reasm NULL) fragmented ICMP is dropped (RFC 7915
 *   1.2). Other protocols' fragments are translated one by one.
 * - mode nat64: every fragment (RFC 6146 3.4), since only the first one
 *   carries the ports.
 * A whole packet from IPv6 was fragmented by its source: it leaves IPv4
 * with DF=0, cut to the MTU, never answered "too big" (RFC 7915 5.1).
 */
#include "reasm.h"
#include "xlat_priv.h"

bool xlat_reasm_wanted6(const struct xlat_ctx *ctx, const struct pkt6 *pi)
{
	if (!pkt6_is_frag(pi))
		return false;
	if (ctx->cfg->mode == CONFIG_MODE_NAT64)
		return true;
	return ctx->reasm && pi->proto == IPPROTO_ICMPV6 &&
	       pi->l4_off == IP6_HLEN + FRAG6_LEN && !pi->ext_after_frag;
}

bool xlat_reasm_wanted4(const struct xlat_ctx *ctx, const struct pkt4 *pi)
{
	if (!pkt4_is_frag(pi))
		return false;
	return ctx->cfg->mode == CONFIG_MODE_NAT64 || (ctx->reasm && pi->proto == IPPROTO_ICMP);
}

/* XLAT_HELD or a drop; REASM_DONE is the caller's. */
static enum xlat_verdict not_whole(struct xlat_ctx *ctx, enum reasm_res res,
				   enum xlat_counter why)
{
	return res == REASM_HELD ? XLAT_HELD : xlat_drop(ctx, why);
}

enum xlat_verdict xlat_reasm64(struct xlat_call *c, const struct pkt6 *pi)
{
	struct xlat_ctx *ctx = c->ctx;
	struct xlat_call w = *c;
	struct reasm_frag f = {
		.version = 6, .src = pi->p + IP6_SRC, .dst = pi->p + IP6_DST,
		.id = pi->frag_id, .proto = pi->proto, .hdr = pi->p,
		.hdr_len = IP6_HLEN, .data = pi->p + pi->l4_off,
		.data_len = pkt6_l4_len(pi), .off = pi->frag_off, .mf = pi->mf,
	};
	enum xlat_counter why = XLAT_CNT_DROP_NAT64_FRAG;
	enum reasm_res res;
	const uint8_t *whole;
	size_t len;

	/* The fragmentable part starts right after the Fragment header. */
	if (!ctx->reasm || pi->ext_after_frag)
		return xlat_drop(ctx, why);
	res = reasm_add(ctx->reasm, c->now_ms, &f, &whole, &len, ctx->stats,
			&why);
	if (res != REASM_DONE)
		return not_whole(ctx, res, why);
	/* Its source fragmented it: DF=0, cut to the MTU (RFC 7915 5.1). */
	w.flags |= XLAT_IN_REASSEMBLED;
	return xlat_64(&w, whole, len);
}

enum xlat_verdict xlat_reasm46(struct xlat_call *c, const struct pkt4 *pi,
			       unsigned int flags)
{
	struct xlat_ctx *ctx = c->ctx;
	struct xlat_call w = *c;
	struct reasm_frag f = {
		.version = 4, .src = pi->p + IP4_SRC, .dst = pi->p + IP4_DST,
		.id = pi->id, .proto = pi->proto, .hdr = pi->p,
		.hdr_len = pi->hlen, .data = pkt4_l4(pi),
		.data_len = pkt4_l4_len(pi), .off = pi->frag_off, .mf = pi->mf,
	};
	enum xlat_counter why = XLAT_CNT_DROP_NAT64_FRAG;
	enum reasm_res res;
	const uint8_t *whole;
	size_t len;

	if (!ctx->reasm)
		return xlat_drop(ctx, why);
	res = reasm_add(ctx->reasm, c->now_ms, &f, &whole, &len, ctx->stats,
			&why);
	if (res != REASM_DONE)
		return not_whole(ctx, res, why);
	w.flags |= XLAT_IN_REASSEMBLED;
	return xlat_46(&w, whole, len, flags);
}
