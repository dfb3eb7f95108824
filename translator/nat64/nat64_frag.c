// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fragment reassembly of the NAT64 state (see nat64_frag.h).
 */
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "nat64_frag.h"
#include "nat64_state.h"

/* Room before the data for the largest header (IPv4 with options). */
#define HROOM		64u
#define UNITS		(NAT64_FRAG_MAX / 8 + 1)
#define IP6_FRAG_NH	44

struct nat64_frag_slot {
	bool used;
	bool have_first;
	uint8_t version, proto;
	uint8_t src[16], dst[16];
	uint32_t id;
	int64_t deadline;
	size_t hlen;		/* header bytes in front of the data */
	uint32_t total;		/* data length, known from the last fragment */
	uint32_t got;		/* data bytes received */
	uint8_t *buf;		/* HROOM + NAT64_FRAG_MAX, kept for reuse */
	uint8_t seen[UNITS / 8 + 1];	/* 8-byte units received */
};

struct nat64_frags {
	struct nat64_frag_slot s[NAT64_FRAG_SLOTS];
};

void nat64_frag_free(struct nat64_state *st)
{
	if (!st->frags)
		return;
	for (int i = 0; i < NAT64_FRAG_SLOTS; i++)
		free(st->frags->s[i].buf);
	free(st->frags);
	st->frags = NULL;
}

static bool same(const struct nat64_frag_slot *s, const struct nat64_frag_in *f)
{
	size_t alen = f->version == 4 ? 4 : 16;

	return s->used && s->version == f->version && s->id == f->id &&
	       s->proto == f->proto && !memcmp(s->src, f->src, alen) &&
	       !memcmp(s->dst, f->dst, alen);
}

static void release(struct nat64_frag_slot *s)
{
	s->used = false;
}

/* The slot of f's packet, or a new one; NULL when all are busy. */
static struct nat64_frag_slot *slot_for(struct nat64_frags *fr, int64_t now,
					const struct nat64_frag_in *f,
					struct xlat_stats *stats)
{
	struct nat64_frag_slot *free_slot = NULL;

	for (int i = 0; i < NAT64_FRAG_SLOTS; i++) {
		struct nat64_frag_slot *s = &fr->s[i];

		if (s->used && s->deadline <= now) {
			xlat_count(stats, XLAT_CNT_NAT64_FRAG_TIMEOUT);
			release(s);
		}
		if (same(s, f))
			return s;
		if (!s->used && !free_slot)
			free_slot = s;
	}
	if (!free_slot)
		return NULL;
	if (!free_slot->buf) {
		free_slot->buf = malloc(HROOM + NAT64_FRAG_MAX);
		if (!free_slot->buf)
			return NULL;
	}
	memset(free_slot->seen, 0, sizeof(free_slot->seen));
	free_slot->used = true;
	free_slot->have_first = false;
	free_slot->version = f->version;
	free_slot->proto = f->proto;
	memcpy(free_slot->src, f->src, f->version == 4 ? 4 : 16);
	memcpy(free_slot->dst, f->dst, f->version == 4 ? 4 : 16);
	free_slot->id = f->id;
	free_slot->deadline = now + NAT64_FRAG_TIMEOUT_MS;
	free_slot->total = 0;
	free_slot->got = 0;
	return free_slot;
}

/* Marks f's units; false if one was there (RFC 5722: overlap). */
static bool mark(struct nat64_frag_slot *s, uint32_t off, uint32_t end)
{
	for (uint32_t u = off / 8; u < (end + 7) / 8; u++)
		if (s->seen[u / 8] & (1u << (u % 8)))
			return false;
	for (uint32_t u = off / 8; u < (end + 7) / 8; u++)
		s->seen[u / 8] |= (uint8_t)(1u << (u % 8));
	return true;
}

/* Header room the whole packet needs in front of its data. */
static size_t head_len(const struct nat64_frag_in *f)
{
	return f->version == 4 ? f->hdr_len : 40 + 8;
}

static bool fits(const struct nat64_frag_slot *s,
		 const struct nat64_frag_in *f, uint32_t end)
{
	if (f->mf && (f->data_len == 0 || f->data_len % 8))
		return false;
	if (f->version == 4 ? f->hdr_len + end > NAT64_FRAG_MAX :
			      8 + end > NAT64_FRAG_MAX)
		return false;
	if (f->hdr_len > HROOM || (f->version == 6 && f->hdr_len < 40))
		return false;
	if (s->total && (end > s->total || (!f->mf && end != s->total)))
		return false;
	return true;
}

static void put_head(struct nat64_frag_slot *s, const struct nat64_frag_in *f)
{
	uint8_t *d = s->buf + HROOM;

	s->hlen = head_len(f);
	if (f->version == 4) {
		memcpy(d - s->hlen, f->hdr, s->hlen);
	} else {
		memcpy(d - 48, f->hdr, 40);
		d[-48 + 6] = IP6_FRAG_NH;
		d[-8] = f->proto;
		memset(d - 7, 0, 3);
		d[-4] = (uint8_t)(f->id >> 24);
		d[-3] = (uint8_t)(f->id >> 16);
		d[-2] = (uint8_t)(f->id >> 8);
		d[-1] = (uint8_t)f->id;
	}
	s->have_first = true;
}

/* Lengths and flags of the whole packet. */
static const uint8_t *finish(struct nat64_frag_slot *s, size_t *len)
{
	uint8_t *h = s->buf + HROOM - s->hlen;
	uint16_t c;

	*len = s->hlen + s->total;
	if (s->version == 4) {
		h[2] = (uint8_t)(*len >> 8);
		h[3] = (uint8_t)*len;
		h[6] = h[7] = 0;	/* DF=0, MF=0, offset 0 */
		c = csum_ipv4_header(h, s->hlen);
		memcpy(h + 10, &c, 2);
	} else {
		h[4] = (uint8_t)((*len - 40) >> 8);
		h[5] = (uint8_t)(*len - 40);
	}
	release(s);
	return h;
}

enum nat64_frag_res nat64_frag_add(struct nat64_state *st, int64_t now,
				   const struct nat64_frag_in *f,
				   const uint8_t **whole, size_t *len,
				   struct xlat_stats *stats)
{
	uint32_t end = f->off + (uint32_t)f->data_len;
	struct nat64_frag_slot *s;

	if (!st->frags) {
		st->frags = calloc(1, sizeof(*st->frags));
		if (!st->frags)
			return NAT64_FRAG_REFUSED;
	}
	s = slot_for(st->frags, now, f, stats);
	if (!s)
		return NAT64_FRAG_REFUSED;
	if (!fits(s, f, end) || !mark(s, f->off, end)) {
		release(s);
		return NAT64_FRAG_REFUSED;
	}
	memcpy(s->buf + HROOM + f->off, f->data, f->data_len);
	s->got += (uint32_t)f->data_len;
	if (!f->mf)
		s->total = end;
	if (f->off == 0)
		put_head(s, f);
	if (!s->have_first || !s->total || s->got != s->total)
		return NAT64_FRAG_HELD;
	*whole = finish(s, len);
	return NAT64_FRAG_DONE;
}
