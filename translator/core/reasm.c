// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IP reassembly (see reasm.h): slots keyed by source, destination,
 * Identification and protocol; 8-byte units marked as they come, with
 * where each fragment starts and ends, so that overlaps (RFC 5722) and
 * exact duplicates (RFC 8200 4.5) are told apart.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "reasm.h"

/* Room before the data for the largest header (IPv4 with options). */
#define HROOM		64u
#define UNITS		(REASM_MAX / 8 + 1)
#define MAP_BYTES	(UNITS / 8 + 1)
#define V6_HLEN		40u
#define V6_WHOLE_HLEN	48u	/* IPv6 header + Fragment header */
#define NH_FRAGMENT	44

struct reasm_slot {
	bool used;
	bool have_first;
	uint8_t version, proto;
	uint8_t src[16], dst[16];
	uint32_t id;
	int64_t deadline;
	size_t hlen;		/* header bytes in front of the data */
	uint32_t total;		/* data length, known from the last fragment */
	uint32_t got;		/* data bytes received */
	uint32_t max_end;	/* furthest data byte received, + 1 */
	uint8_t *buf;		/* HROOM + REASM_MAX, kept for reuse */
	uint8_t seen[MAP_BYTES];	/* 8-byte units received */
	uint8_t first[MAP_BYTES];	/* units a fragment starts at */
	uint8_t last[MAP_BYTES];	/* units a fragment ends in */
};

struct reasm {
	struct reasm_limits lim;
	size_t held;		/* data bytes in all used slots */
	struct reasm_slot *s;
};

static bool bit(const uint8_t *map, uint32_t u)
{
	return map[u / 8] & (1u << (u % 8));
}

static void set_bit(uint8_t *map, uint32_t u)
{
	map[u / 8] |= (uint8_t)(1u << (u % 8));
}

struct reasm *reasm_new(const struct reasm_limits *lim)
{
	static const struct reasm_limits def = {
		REASM_SLOTS, REASM_BYTES, REASM_TIMEOUT_MS
	};
	struct reasm *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->lim = lim ? *lim : def;
	r->s = calloc(r->lim.slots ? r->lim.slots : 1, sizeof(*r->s));
	if (!r->s) {
		free(r);
		return NULL;
	}
	return r;
}

void reasm_free(struct reasm *r)
{
	if (!r)
		return;
	for (unsigned int i = 0; i < r->lim.slots; i++)
		free(r->s[i].buf);
	free(r->s);
	free(r);
}

unsigned int reasm_pending(const struct reasm *r)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < r->lim.slots; i++)
		n += r->s[i].used;
	return n;
}

static size_t alen(uint8_t version)
{
	return version == 4 ? 4 : 16;
}

static bool same(const struct reasm_slot *s, const struct reasm_frag *f)
{
	return s->used && s->version == f->version && s->id == f->id &&
	       s->proto == f->proto &&
	       !memcmp(s->src, f->src, alen(f->version)) &&
	       !memcmp(s->dst, f->dst, alen(f->version));
}

static void release(struct reasm *r, struct reasm_slot *s)
{
	s->used = false;
	r->held -= s->got;
}

static void slot_start(struct reasm_slot *s, int64_t now, int64_t timeout,
		       const struct reasm_frag *f)
{
	memset(s->seen, 0, sizeof(s->seen));
	memset(s->first, 0, sizeof(s->first));
	memset(s->last, 0, sizeof(s->last));
	s->used = true;
	s->have_first = false;
	s->version = f->version;
	s->proto = f->proto;
	memcpy(s->src, f->src, alen(f->version));
	memcpy(s->dst, f->dst, alen(f->version));
	s->id = f->id;
	s->deadline = now + timeout;
	s->total = 0;
	s->got = 0;
	s->max_end = 0;
}

/* The slot of f's packet, or a new one; NULL when all are busy. */
static struct reasm_slot *slot_for(struct reasm *r, int64_t now,
				   const struct reasm_frag *f,
				   struct xlat_stats *stats)
{
	struct reasm_slot *free_slot = NULL;

	for (unsigned int i = 0; i < r->lim.slots; i++) {
		struct reasm_slot *s = &r->s[i];

		if (s->used && s->deadline <= now) {
			xlat_count(stats, XLAT_CNT_REASM_TIMEOUT);
			release(r, s);
		}
		if (same(s, f))
			return s;
		if (!s->used && !free_slot)
			free_slot = s;
	}
	if (!free_slot)
		return NULL;
	if (!free_slot->buf) {
		free_slot->buf = malloc(HROOM + REASM_MAX);
		if (!free_slot->buf)
			return NULL;
	}
	slot_start(free_slot, now, r->lim.timeout_ms, f);
	return free_slot;
}

/* Checks that need no slot: 0 or the drop counter. */
static int frag_check(const struct reasm_frag *f, uint32_t end)
{
	size_t head = f->version == 4 ? f->hdr_len : V6_WHOLE_HLEN;

	/* Every fragment but the last carries a multiple of 8 bytes. */
	if (f->mf && (f->data_len == 0 || f->data_len % 8))
		return XLAT_CNT_DROP_FRAG_MALFORMED;
	if (f->version == 4 ? f->hdr_len < 20 || f->hdr_len > HROOM :
			      f->hdr_len != V6_HLEN)
		return XLAT_CNT_DROP_FRAG_MALFORMED;
	if (head + end > REASM_MAX)
		return XLAT_CNT_DROP_FRAG_TOO_BIG;
	return 0;
}

/* Whether f agrees with where the packet ends (the last fragment's end). */
static bool ends_agree(const struct reasm_slot *s, const struct reasm_frag *f,
		       uint32_t end)
{
	if (!f->mf)
		return s->total ? end == s->total : end >= s->max_end;
	return !s->total || end < s->total;
}

/*
 * f covers units already received: an exact copy of one fragment held
 * (same start, same end, same bytes, no fragment starting inside) is a
 * duplicate; anything else overlaps.
 */
static int covered(const struct reasm_slot *s, const struct reasm_frag *f,
		   uint32_t end)
{
	uint32_t u0 = f->off / 8, u1 = (end + 7) / 8 - 1;

	/* A last fragment copies only a last fragment. */
	if (!f->mf && !s->total)
		return XLAT_CNT_DROP_FRAG_OVERLAP;
	if (!bit(s->first, u0) || !bit(s->last, u1))
		return XLAT_CNT_DROP_FRAG_OVERLAP;
	for (uint32_t u = u0; u <= u1; u++)
		if (!bit(s->seen, u) || (u > u0 && bit(s->first, u)))
			return XLAT_CNT_DROP_FRAG_OVERLAP;
	if (memcmp(s->buf + HROOM + f->off, f->data, f->data_len))
		return XLAT_CNT_DROP_FRAG_OVERLAP;
	return XLAT_CNT_DROP_FRAG_DUP;
}

/* Whether any of f's units was received already. */
static bool any_seen(const struct reasm_slot *s, uint32_t off, uint32_t end)
{
	for (uint32_t u = off / 8; u < (end + 7) / 8; u++)
		if (bit(s->seen, u))
			return true;
	return false;
}

static void put_head(struct reasm_slot *s, const struct reasm_frag *f)
{
	uint8_t *d = s->buf + HROOM;

	if (f->version == 4) {
		s->hlen = f->hdr_len;
		memcpy(d - s->hlen, f->hdr, s->hlen);
	} else {
		/* RFC 8200 4.5: the first fragment's header, a Fragment one. */
		uint8_t *h = d - V6_WHOLE_HLEN;

		s->hlen = V6_WHOLE_HLEN;
		memcpy(h, f->hdr, V6_HLEN);
		h[6] = NH_FRAGMENT;
		h[V6_HLEN] = f->proto;
		memset(h + V6_HLEN + 1, 0, 3);	/* reserved, offset 0, M=0 */
		wr32(h + V6_HLEN + 4, f->id);
	}
	s->have_first = true;
}

static void store(struct reasm *r, struct reasm_slot *s,
		  const struct reasm_frag *f, uint32_t end)
{
	memcpy(s->buf + HROOM + f->off, f->data, f->data_len);
	for (uint32_t u = f->off / 8; u < (end + 7) / 8; u++)
		set_bit(s->seen, u);
	if (f->data_len) {
		set_bit(s->first, f->off / 8);
		set_bit(s->last, (end + 7) / 8 - 1);
	}
	s->got += (uint32_t)f->data_len;
	r->held += f->data_len;
	if (end > s->max_end)
		s->max_end = end;
	if (!f->mf)
		s->total = end;
	if (f->off == 0)
		put_head(s, f);
}

/* Lengths and flags of the whole packet. */
static const uint8_t *finish(struct reasm *r, struct reasm_slot *s,
			     size_t *len)
{
	uint8_t *h = s->buf + HROOM - s->hlen;

	*len = s->hlen + s->total;
	if (s->version == 4) {
		wr16(h + 2, (uint16_t)*len);
		wr16(h + 6, 0);		/* DF=0, MF=0, offset 0 */
		wrcsum(h + 10, csum_ipv4_header(h, s->hlen));
	} else {
		wr16(h + 4, (uint16_t)(*len - V6_HLEN));
	}
	/* The buffer stays as it is until the slot is taken again. */
	release(r, s);
	return h;
}

static enum reasm_res refuse(struct reasm *r, struct reasm_slot *s, int why,
			     enum xlat_counter *whyp)
{
	/* RFC 5722: the whole packet goes, a mere duplicate alone. */
	if (s && why != XLAT_CNT_DROP_FRAG_DUP)
		release(r, s);
	*whyp = (enum xlat_counter)why;
	return REASM_REFUSED;
}

enum reasm_res reasm_add(struct reasm *r, int64_t now_ms,
			 const struct reasm_frag *f, const uint8_t **whole,
			 size_t *len, struct xlat_stats *stats,
			 enum xlat_counter *why)
{
	uint32_t end = f->off + (uint32_t)f->data_len;
	struct reasm_slot *s;
	int err = frag_check(f, end);

	if (err)
		return refuse(r, NULL, err, why);
	s = slot_for(r, now_ms, f, stats);
	if (!s)
		return refuse(r, NULL, XLAT_CNT_DROP_FRAG_NO_ROOM, why);
	if (!ends_agree(s, f, end))
		return refuse(r, s, XLAT_CNT_DROP_FRAG_MALFORMED, why);
	if (f->data_len && any_seen(s, f->off, end))
		return refuse(r, s, covered(s, f, end), why);
	if (r->held + f->data_len > r->lim.bytes)
		return refuse(r, s, XLAT_CNT_DROP_FRAG_NO_ROOM, why);
	store(r, s, f, end);
	if (!s->have_first || !s->total || s->got != s->total) {
		xlat_count(stats, XLAT_CNT_FRAG_HELD);
		return REASM_HELD;
	}
	*whole = finish(r, s, len);
	xlat_count(stats, XLAT_CNT_REASSEMBLED);
	return REASM_DONE;
}
