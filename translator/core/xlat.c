// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Entry point of the translation core and its output arena.
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
}

uint8_t *xlat_out_add(struct xlat_out *out, size_t len, enum xlat_side side)
{
	size_t start = (out->used + 7) & ~(size_t)7;
	struct xlat_out_pkt *op;

	if (out->count >= XLAT_MAX_OUT || len > XLAT_ARENA_SIZE ||
	    start > XLAT_ARENA_SIZE - len)
		return NULL;
	op = &out->pkt[out->count++];
	op->data = out->arena + start;
	op->len = (uint32_t)len;
	op->side = side;
	op->flags = 0;
	out->used = start + len;
	return op->data;
}

void xlat_out_trim_last(struct xlat_out *out, size_t len)
{
	struct xlat_out_pkt *op = &out->pkt[out->count - 1];

	if (len < op->len) {
		op->len = (uint32_t)len;
		out->used = (size_t)(op->data - out->arena) + len;
	}
}

void xlat_out_drop_last(struct xlat_out *out)
{
	struct xlat_out_pkt *op = &out->pkt[--out->count];

	out->used = (size_t)(op->data - out->arena);
}

uint32_t xlat_mtu(const struct xlat_ctx *ctx, enum xlat_side side,
		  const void *dst)
{
	uint32_t mtu = 0;

	if (ctx->mtu_fn)
		mtu = ctx->mtu_fn(ctx->mtu_arg, side, dst);
	if (!mtu)
		mtu = side == XLAT_SIDE_V6 ? ctx->cfg->mtu6 : ctx->cfg->mtu4;
	return mtu ? mtu : XLAT_DEFAULT_MTU;
}

uint16_t xlat_next_id(struct xlat_ctx *ctx)
{
	/* 0 is skipped: it reads as "unset" to some stacks and to tests. */
	if (++ctx->ip_id_next == 0)
		ctx->ip_id_next = 1;
	return ctx->ip_id_next;
}

void icmp_echo_retype(uint8_t *ic, bool to_v6, uint32_t pseudo6)
{
	uint32_t old_sum = csum_partial(ic, 2, to_v6 ? 0 : pseudo6);

	if (to_v6)
		ic[0] = ic[0] == 8 ? 128 : 129;
	else
		ic[0] = ic[0] == 128 ? 8 : 0;
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

enum xlat_verdict xlat_packet(struct xlat_ctx *ctx, enum xlat_side from,
			      const uint8_t *pkt, size_t len,
			      struct xlat_out *out)
{
	enum xlat_verdict v;

	if (from == XLAT_SIDE_V6) {
		xlat_count(ctx->stats, XLAT_CNT_RX_V6);
		v = xlat_64(ctx, pkt, len, out);
	} else {
		xlat_count(ctx->stats, XLAT_CNT_RX_V4);
		v = xlat_46(ctx, pkt, len, 0, out);
	}
	if (v == XLAT_TRANSLATED)
		xlat_count(ctx->stats, from == XLAT_SIDE_V6 ?
			   XLAT_CNT_XLAT_6TO4 : XLAT_CNT_XLAT_4TO6);
	return v;
}
