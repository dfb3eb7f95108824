// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ports in use of one pool4 address and protocol: see nat64_portmap.h.
 * Port p is bit p % 64 of word p / 64; as 64 is even, the even ports of a
 * word are its even bits, hence one mask per parity.
 */
#include <stdlib.h>
#include <string.h>

#include "nat64_portmap.h"

static const uint64_t parity_mask[2] = {
	0x5555555555555555ull,	/* even ports */
	0xaaaaaaaaaaaaaaaaull,	/* odd ports */
};

static uint64_t pmask(int parity)
{
	return parity < 0 ? ~0ull : parity_mask[parity & 1];
}

static uint64_t word(const struct nat64_portmap *m, uint32_t w)
{
	const uint64_t *c = m->chunk[w / PORTMAP_CHUNK_WORDS];

	return c ? c[w % PORTMAP_CHUNK_WORDS] : 0;
}

bool nat64_portmap_test(const struct nat64_portmap *m, uint16_t port)
{
	return (word(m, port / 64u) >> (port % 64u)) & 1;
}

/* Recomputes the summary bits of word w. */
static void summarize(struct nat64_portmap *m, uint32_t w)
{
	uint64_t v = word(m, w), bit = 1ull << (w % 64);

	for (int p = 0; p < 2; p++) {
		if ((v & parity_mask[p]) == parity_mask[p])
			m->full[p][w / 64] |= bit;
		else
			m->full[p][w / 64] &= ~bit;
	}
}

int nat64_portmap_take(struct nat64_portmap *m, uint16_t port)
{
	uint32_t w = port / 64u, ci = w / PORTMAP_CHUNK_WORDS;

	if (!m->chunk[ci]) {
		m->chunk[ci] = calloc(PORTMAP_CHUNK_WORDS, sizeof(uint64_t));
		if (!m->chunk[ci])
			return -1;
	}
	m->chunk[ci][w % PORTMAP_CHUNK_WORDS] |= 1ull << (port % 64u);
	m->chunk_used[ci]++;
	m->used++;
	summarize(m, w);
	return 0;
}

void nat64_portmap_give(struct nat64_portmap *m, uint16_t port)
{
	uint32_t w = port / 64u, ci = w / PORTMAP_CHUNK_WORDS;

	m->chunk[ci][w % PORTMAP_CHUNK_WORDS] &= ~(1ull << (port % 64u));
	m->used--;
	if (--m->chunk_used[ci] == 0) {
		free(m->chunk[ci]);
		m->chunk[ci] = NULL;
	}
	summarize(m, w);
}

void nat64_portmap_clear(struct nat64_portmap *m)
{
	for (int i = 0; i < PORTMAP_CHUNKS; i++)
		free(m->chunk[i]);
	memset(m, 0, sizeof(*m));
}

/* The first word in [w, wend] not full for parity, or -1: summary only. */
static int32_t nonfull(const struct nat64_portmap *m, uint32_t w,
		       uint32_t wend, int parity, uint64_t *words)
{
	for (uint32_t i = w / 64; i <= wend / 64; i++) {
		uint64_t full = parity < 0 ? m->full[0][i] & m->full[1][i]
					   : m->full[parity & 1][i];
		uint64_t avail = ~full;
		uint32_t c;

		if (words)
			(*words)++;
		if (i == w / 64)
			avail &= ~0ull << (w % 64);
		if (!avail)
			continue;
		c = i * 64 + (uint32_t)__builtin_ctzll(avail);
		return c <= wend ? (int32_t)c : -1;
	}
	return -1;
}

/*
 * A word the summary calls not full always has a free port of the parity;
 * only the first and last words, cut by lo and hi, can disappoint. So the
 * loop runs at most three times.
 */
int32_t nat64_portmap_first(const struct nat64_portmap *m, uint32_t lo,
			    uint32_t hi, int parity, uint64_t *words)
{
	uint32_t wlo = lo / 64, wend = hi / 64;
	int32_t w = (int32_t)wlo;

	while ((w = nonfull(m, (uint32_t)w, wend, parity, words)) >= 0) {
		uint64_t bits = ~word(m, (uint32_t)w) & pmask(parity);

		if (words)
			(*words)++;
		if ((uint32_t)w == wlo)
			bits &= ~0ull << (lo % 64);
		if ((uint32_t)w == wend)
			bits &= ~0ull >> (63 - hi % 64);
		if (bits)
			return w * 64 + __builtin_ctzll(bits);
		if ((uint32_t)w == wend)
			return -1;
		w++;
	}
	return -1;
}

bool nat64_portmap_range_free(const struct nat64_portmap *m, uint32_t lo,
			      uint32_t hi)
{
	for (uint32_t w = lo / 64; w <= hi / 64; w++) {
		uint64_t bits = word(m, w);

		if (w == lo / 64)
			bits &= ~0ull << (lo % 64);
		if (w == hi / 64)
			bits &= ~0ull >> (63 - hi % 64);
		if (bits)
			return false;
	}
	return true;
}
