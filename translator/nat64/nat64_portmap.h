/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ports in use of one pool4 address for one protocol, so that a new
 * binding finds a free port in a few word operations however full the
 * address is (issue 10: a linear walk with one hash lookup per port took
 * 35 ms per binding near exhaustion).
 *
 * A bitmap of the 65536 ports in 64-bit words, allocated in chunks of 64
 * words (4096 ports) as they get used, plus, per parity, a summary bitmap
 * with one bit per word that is full for that parity. "The first free
 * port of parity p in [lo, hi]" reads at most three words of the bitmap
 * and the 16 summary words: O(1) whatever the fill. Memory follows use:
 * an empty chunk is freed, and the owner frees an empty map.
 */
#ifndef TRANSLATOR_NAT64_PORTMAP_H
#define TRANSLATOR_NAT64_PORTMAP_H

#include <stdbool.h>
#include <stdint.h>

#define PORTMAP_WORDS		1024	/* 65536 ports / 64 */
#define PORTMAP_CHUNK_WORDS	64
#define PORTMAP_CHUNKS		(PORTMAP_WORDS / PORTMAP_CHUNK_WORDS)
#define PORTMAP_SUM_WORDS	(PORTMAP_WORDS / 64)

/* Parity wanted of a port: PORTMAP_ANY or the low bit (0 even, 1 odd). */
#define PORTMAP_ANY	(-1)

struct nat64_portmap {
	uint32_t used;				/* ports taken */
	uint16_t chunk_used[PORTMAP_CHUNKS];
	uint64_t *chunk[PORTMAP_CHUNKS];	/* NULL: all 4096 free */
	uint64_t full[2][PORTMAP_SUM_WORDS];	/* [parity]: word w full */
};

/* Whether port is taken. */
bool nat64_portmap_test(const struct nat64_portmap *m, uint16_t port);
/* Takes a free port; -1 when a chunk cannot be allocated. */
int nat64_portmap_take(struct nat64_portmap *m, uint16_t port);
/* Frees a taken port. */
void nat64_portmap_give(struct nat64_portmap *m, uint16_t port);
/* Frees the chunks (the map is then empty). */
void nat64_portmap_clear(struct nat64_portmap *m);
/*
 * The first free port of the given parity in [lo, hi] (lo <= hi), or -1.
 * *words, when not NULL, grows by the words read (a probe for tests).
 */
int32_t nat64_portmap_first(const struct nat64_portmap *m, uint32_t lo,
			    uint32_t hi, int parity, uint64_t *words);

/* Whether every port of [lo, hi] (lo <= hi) is free: (hi - lo) / 64 + 1
 * words read. */
bool nat64_portmap_range_free(const struct nat64_portmap *m, uint32_t lo,
			      uint32_t hi);

#endif
