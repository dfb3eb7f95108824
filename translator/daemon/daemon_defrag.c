// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "csum.h"
#include "daemon_defrag.h"

/* Room before the payload for the header of the first fragment. */
#define DDEFRAG_HROOM	64u
#define DDEFRAG_V6_HLEN	48u	/* IPv6 header + Fragment header */
#define IP4_MF_BIT	0x2000u
#define IP4_DF_BIT	0x4000u
#define IP4_OFF_MASK	0x1fffu

struct ddefrag_frag {
	uint8_t version;
	const uint8_t *src, *dst;
	size_t alen;		/* address length */
	uint32_t id;
	uint32_t off;		/* bytes */
	bool more;
	const uint8_t *hdr;
	size_t hlen;
	const uint8_t *data;
	size_t dlen;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void ddefrag_init(struct ddefrag *df)
{
	memset(df, 0, sizeof(*df));
}

void ddefrag_free(struct ddefrag *df)
{
	int i;

	for (i = 0; i < DDEFRAG_SLOTS; i++)
		free(df->slot[i].buf);
	ddefrag_init(df);
}

static int ddefrag_parse4(const uint8_t *p, size_t len, struct ddefrag_frag *f)
{
	size_t ihl = (size_t)(p[0] & 0x0f) * 4, tot;
	uint16_t frag;

	if (len < 20 || ihl < 20 || p[9] != IPPROTO_ICMP)
		return -1;
	tot = get16(p + 2);
	if (tot < ihl || tot > len)
		return -1;
	frag = get16(p + 6);
	f->version = 4;
	f->src = p + 12;
	f->dst = p + 16;
	f->alen = 4;
	f->id = get16(p + 4);
	f->off = (uint32_t)(frag & IP4_OFF_MASK) * 8;
	f->more = frag & IP4_MF_BIT;
	f->hdr = p;
	f->hlen = ihl;
	f->data = p + ihl;
	f->dlen = tot - ihl;
	return 0;
}

/* Only a Fragment header right after the IPv6 header is handled. */
static int ddefrag_parse6(const uint8_t *p, size_t len, struct ddefrag_frag *f)
{
	size_t tot;
	uint16_t om;

	if (len < DDEFRAG_V6_HLEN || p[6] != IPPROTO_FRAGMENT ||
	    p[40] != IPPROTO_ICMPV6)
		return -1;
	tot = 40u + get16(p + 4);
	if (tot < DDEFRAG_V6_HLEN || tot > len)
		return -1;
	om = get16(p + 42);
	f->version = 6;
	f->src = p + 8;
	f->dst = p + 24;
	f->alen = 16;
	f->id = (uint32_t)p[44] << 24 | (uint32_t)p[45] << 16 |
		(uint32_t)p[46] << 8 | p[47];
	f->off = om & 0xfff8u;
	f->more = om & 1u;
	f->hdr = p;
	f->hlen = DDEFRAG_V6_HLEN;
	f->data = p + DDEFRAG_V6_HLEN;
	f->dlen = tot - DDEFRAG_V6_HLEN;
	return 0;
}

static int ddefrag_parse(const uint8_t *p, size_t len, struct ddefrag_frag *f)
{
	if (len && (p[0] >> 4) == 4)
		return ddefrag_parse4(p, len, f);
	if (len && (p[0] >> 4) == 6)
		return ddefrag_parse6(p, len, f);
	return -1;
}

bool ddefrag_wanted(const uint8_t *pkt, size_t len)
{
	struct ddefrag_frag f;

	return !ddefrag_parse(pkt, len, &f) && (f.more || f.off);
}

static void ddefrag_release(struct ddefrag_slot *s)
{
	s->used = false;
}

static struct ddefrag_slot *ddefrag_find(struct ddefrag *df,
					 const struct ddefrag_frag *f,
					 int64_t now)
{
	struct ddefrag_slot *s, *free_slot = NULL;
	int i;

	for (i = 0; i < DDEFRAG_SLOTS; i++) {
		s = &df->slot[i];
		if (s->used && now > s->deadline_ms) {
			df->timeouts++;
			ddefrag_release(s);
		}
		if (!s->used) {
			free_slot = free_slot ? free_slot : s;
			continue;
		}
		if (s->version == f->version && s->id == f->id &&
		    !memcmp(s->src, f->src, f->alen) &&
		    !memcmp(s->dst, f->dst, f->alen))
			return s;
	}
	s = free_slot;
	if (!s || (!s->buf && !(s->buf = malloc(DDEFRAG_HROOM + DDEFRAG_MAX))))
		return NULL;
	s->used = true;
	s->version = f->version;
	memcpy(s->src, f->src, f->alen);
	memcpy(s->dst, f->dst, f->alen);
	s->id = f->id;
	s->deadline_ms = now + DDEFRAG_TIMEOUT_MS;
	s->total = 0;
	s->units = 0;
	s->have_first = false;
	memset(s->seen, 0, sizeof(s->seen));
	return s;
}

/* Copies the fragment's data and marks its 8-byte units. */
static int ddefrag_store(struct ddefrag_slot *s, const struct ddefrag_frag *f)
{
	uint32_t u, first = f->off / 8, end = f->off + (uint32_t)f->dlen;

	/* Every fragment but the last carries a multiple of 8 bytes. */
	if ((f->more && (f->dlen % 8 || !f->dlen)) ||
	    end + DDEFRAG_V6_HLEN > DDEFRAG_MAX)
		return -1;
	if (!f->more) {
		if (s->total && s->total != end)
			return -1;
		s->total = end;
	}
	if (s->total && end > s->total)
		return -1;
	memcpy(s->buf + DDEFRAG_HROOM + f->off, f->data, f->dlen);
	for (u = first; u < (end + 7) / 8; u++) {
		if (s->seen[u / 8] & (1u << (u % 8)))
			continue;
		s->seen[u / 8] |= (uint8_t)(1u << (u % 8));
		s->units++;
	}
	if (!f->off) {
		memcpy(s->buf + DDEFRAG_HROOM - f->hlen, f->hdr, f->hlen);
		s->hlen = f->hlen;
		s->have_first = true;
	}
	return 0;
}

/* Turns the first fragment's header into the whole packet's. */
static size_t ddefrag_finish(struct ddefrag_slot *s, uint8_t *h)
{
	size_t tot = s->hlen + s->total;

	if (s->version == 4) {
		put16(h + 2, (uint32_t)tot);
		put16(h + 6, get16(h + 6) & IP4_DF_BIT);
		memset(h + 10, 0, 2);
		memcpy(h + 10, &(uint16_t){ csum_ipv4_header(h, s->hlen) }, 2);
	} else {
		put16(h + 4, (uint32_t)(tot - 40));
		put16(h + 42, 0);	/* offset 0, M=0: whole, was fragmented */
	}
	return tot;
}

enum ddefrag_result ddefrag_add(struct ddefrag *df, const uint8_t *pkt,
				size_t len, int64_t now_ms,
				const uint8_t **whole, size_t *whole_len)
{
	struct ddefrag_frag f;
	struct ddefrag_slot *s;
	uint8_t *h;

	if (ddefrag_parse(pkt, len, &f))
		return DDEFRAG_REFUSED;
	s = ddefrag_find(df, &f, now_ms);
	if (!s)
		return DDEFRAG_REFUSED;
	if (ddefrag_store(s, &f)) {
		ddefrag_release(s);
		return DDEFRAG_REFUSED;
	}
	if (!s->total || !s->have_first || s->units != (s->total + 7) / 8 ||
	    s->hlen + s->total > DDEFRAG_MAX)
		return DDEFRAG_HELD;
	h = s->buf + DDEFRAG_HROOM - s->hlen;
	*whole_len = ddefrag_finish(s, h);
	*whole = h;
	/* The buffer stays as it is until the slot is taken again. */
	ddefrag_release(s);
	return DDEFRAG_COMPLETE;
}
