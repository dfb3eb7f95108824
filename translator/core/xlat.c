// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Entry point of the translation core, its output arena, the MTU it
 * reads and the address mapping it calls.
 */
#include <stdlib.h>

#include "xlat_priv.h"

int xlat_out_init(struct xlat_out *out)
{
	memset(out, 0, sizeof(*out));
	out->arena = aligned_alloc(8, XLAT_ARENA_SIZE);
	return out->arena ? 0 : -1;
}

void xlat_out_free(struct xlat_out *out)
{
	free(out->arena);
	memset(out, 0, sizeof(*out));
}

void xlat_out_reset(struct xlat_out *out)
{
	out->count = 0;
	out->used = 0;
	out->miss_count = 0;
	out->direct[0] = NULL;
	out->direct[1] = NULL;
}

uint8_t *xlat_out_add(struct xlat_out *out, size_t len, enum xlat_side side)
{
	return xlat_out_push(out, len, len, side);
}

void xlat_out_trim_last(struct xlat_out *out, size_t len)
{
	struct xlat_out_pkt *op = &out->pkt[out->count - 1];

	if (len < op->len) {
		op->len = (uint32_t)len;
		out->used = xlat_out_end(out, op, len);
	}
}

void xlat_out_drop_last(struct xlat_out *out)
{
	struct xlat_out_pkt *op = &out->pkt[--out->count];

	out->used = xlat_out_end(out, op, 0);
}

uint32_t xlat_mtu_chain(const struct xlat_ctx *ctx, enum xlat_side side,
			uint32_t route)
{
	bool v4 = side == XLAT_SIDE_V4;
	uint32_t fixed = v4 ? ctx->cfg->mtu4 : ctx->cfg->mtu6;
	uint32_t dev = v4 ? ctx->if_mtu4 : ctx->if_mtu6;

	if (fixed)
		return fixed;
	if (route)
		return route;
	return dev ? dev : XLAT_DEFAULT_MTU;
}

/* Records dst for the caller to resolve; the first few, once each. */
void xlat_mtu_missed(struct xlat_out *out, enum xlat_side side,
		     const void *dst)
{
	size_t alen = side == XLAT_SIDE_V4 ? 4 : 16;
	struct xlat_mtu_miss *m;

	for (unsigned int i = 0; i < out->miss_count; i++) {
		m = &out->miss[i];
		if (m->side == side && !memcmp(m->addr, dst, alen))
			return;
	}
	if (out->miss_count >= XLAT_MTU_MISS_MAX)
		return;
	m = &out->miss[out->miss_count++];
	memset(m, 0, sizeof(*m));
	m->side = side;
	memcpy(m->addr, dst, alen);
}

uint32_t xlat_mtu_at(const struct xlat_ctx *ctx, struct xlat_out *out,
		     enum xlat_side side, const void *dst, int64_t now_ms)
{
	uint32_t route = 0;
	bool stale = false;

	if (!xlat_mtu_configured(ctx->cfg, side) && ctx->mtu_ops) {
		route = ctx->mtu_ops->peek(ctx->mtu_arg, side, dst, now_ms,
					   &stale);
		if (stale)
			xlat_mtu_missed(out, side, dst);
	}
	return xlat_mtu_chain(ctx, side, route);
}

uint32_t xlat_mtu(struct xlat_call *c, enum xlat_side side, const void *dst)
{
	return xlat_mtu_at(c->ctx, c->out, side, dst, c->now_ms);
}

void icmp_echo_retype(uint8_t *ic, bool to_v6, uint32_t pseudo6)
{
	uint32_t old_sum = csum_partial(ic, 2, to_v6 ? 0 : pseudo6);

	if (to_v6)
		ic[0] = ic[0] == ICMP_ECHO ? ICMP6_ECHO_REQUEST :
					     ICMP6_ECHO_REPLY;
	else
		ic[0] = ic[0] == ICMP6_ECHO_REQUEST ? ICMP_ECHO :
						      ICMP_ECHOREPLY;
	wrcsum(ic + ICMP_CSUM,
	       csum_adjust(rdcsum(ic + ICMP_CSUM), old_sum,
			   csum_partial(ic, 2, to_v6 ? pseudo6 : 0)));
}

void xlat_count_sent(struct xlat_stats *s, const struct xlat_out_pkt *o)
{
	bool v6 = o->side == XLAT_SIDE_V6;

	xlat_count(s, v6 ? XLAT_CNT_TX_V6 : XLAT_CNT_TX_V4);
	if (o->flags & XLAT_OUT_FRAG)
		xlat_count(s, XLAT_CNT_FRAGS_OUT);
	if (o->flags & XLAT_OUT_ERROR)
		xlat_count(s, v6 ? XLAT_CNT_ICMP6_ERR_SENT :
				   XLAT_CNT_ICMP4_ERR_SENT);
}

void xlat_count_sent_all(struct xlat_stats *s, const struct xlat_out *out)
{
	for (unsigned int i = 0; i < out->count; i++)
		xlat_count_sent(s, &out->pkt[i]);
}

enum xlat_verdict xlat_general(struct xlat_ctx *ctx, const struct xlat_in *in,
			       struct xlat_out *out)
{
	struct xlat_call c = {
		.ctx = ctx, .out = out, .now_ms = in->now_ms,
		.flags = in->flags,
	};
	bool v6 = in->side == XLAT_SIDE_V6;
	enum xlat_verdict v;

	xlat_count(ctx->stats, v6 ? XLAT_CNT_RX_V6 : XLAT_CNT_RX_V4);
	v = v6 ? xlat_64(&c, in->data, in->len) :
		 xlat_46(&c, in->data, in->len, 0);
	if (v == XLAT_TRANSLATED)
		xlat_count(ctx->stats, v6 ? XLAT_CNT_XLAT_6TO4 :
					    XLAT_CNT_XLAT_4TO6);
	return v;
}

/* --- address mapping ----------------------------------------------------- */

const struct xlat_map_ops xlat_map_siit = {
	.addrs64 = xlat64_addrs,
	.addrs46 = xlat46_addrs,
	.inner64 = xlat64_inner_addrs,
	.inner46 = xlat46_inner_addrs,
	.hairpin = xlat64_is_hairpin,
};

/* Mode nat64 with no state installed: nothing maps, nothing is kept. */
static int none_addrs64(struct xlat_call *c, const struct pkt6 *pi,
			struct in_addr *src4, struct in_addr *dst4,
			struct xlat_fix *fix)
{
	(void)c, (void)pi, (void)src4, (void)dst4, (void)fix;
	return XLAT_CNT_DROP_NO_MAPPING;
}

static int none_addrs46(struct xlat_call *c, const struct pkt4 *pi,
			unsigned int flags, struct in6_addr *src6,
			struct in6_addr *dst6, struct xlat_fix *fix)
{
	(void)c, (void)pi, (void)flags, (void)src6, (void)dst6, (void)fix;
	return XLAT_CNT_DROP_NO_MAPPING;
}

static bool none_hairpin(const struct xlat_call *c, const struct pkt6 *pi,
			 const struct in_addr *dst4, struct in6_addr *dst6)
{
	(void)c, (void)pi, (void)dst4, (void)dst6;
	return false;
}

/* Only reached through an outer mapping, which never succeeds here. */
static const struct xlat_map_ops xlat_map_none = {
	.addrs64 = none_addrs64,
	.addrs46 = none_addrs46,
	.inner64 = none_addrs64,
	.inner46 = none_addrs46,
	.hairpin = none_hairpin,
};

const struct xlat_map_ops *xlat_map(const struct xlat_ctx *ctx)
{
	if (ctx->cfg->mode != CONFIG_MODE_NAT64)
		return &xlat_map_siit;
	return ctx->map ? ctx->map : &xlat_map_none;
}

/* RFC 768: a UDP checksum of 0 means none (IPv4); it stays so. */
static void fix_csum(uint8_t *csum, uint16_t old, uint16_t new, bool udp)
{
	uint8_t o[2] = { (uint8_t)(old >> 8), (uint8_t)old };
	uint8_t n[2] = { (uint8_t)(new >> 8), (uint8_t)new };
	uint16_t c = rdcsum(csum);

	if (udp && c == 0)
		return;
	c = csum_replace(c, o, 2, n, 2);
	if (udp && c == 0)
		c = 0xffff;
	wrcsum(csum, c);
}

void xlat_fix_l4(uint8_t *l4, size_t avail, uint8_t proto,
		 const struct xlat_fix *fix)
{
	size_t off, coff;
	uint16_t old;

	if (fix->what == XLAT_FIX_NONE)
		return;
	if (proto == IPPROTO_TCP || proto == IPPROTO_UDP) {
		off = fix->what == XLAT_FIX_DST ? 2 : 0;
		coff = proto == IPPROTO_TCP ? TCP_CSUM : UDP_CSUM;
	} else {
		off = ICMP_ID_OFF;
		coff = ICMP_CSUM;
	}
	if (avail < off + 2)
		return;
	old = rd16(l4 + off);
	wr16(l4 + off, fix->port);
	if (avail >= coff + 2)
		fix_csum(l4 + coff, old, fix->port, proto == IPPROTO_UDP);
}
