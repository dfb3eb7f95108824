// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Allocation for the customers of pool4-deterministic (nat64_det.h).
 *
 * Inside a block the search starts at a keyed hash of the source and the
 * state's counter (ports stay hard to guess, RFC 6056) and takes the
 * first free port from there, wrapping. RFC 6146 3.5.1.1's preferences
 * (same range and parity as the source port) are not applied: a block
 * of a few hundred ports would run out of one parity early, and the
 * block, not the port, is what the mapping promises.
 */
#include <stdlib.h>
#include <string.h>

#include "nat64_det.h"
#include "nat64_portmap.h"
#include "siphash.h"

int nat64_det_set(struct nat64_state *st, const struct config *cfg)
{
	const struct config_nat64 *n = &cfg->nat64;
	struct det_entry *v = NULL;

	if (n->det_count) {
		v = malloc(n->det_count * sizeof(*v));
		if (!v)
			return -1;
		memcpy(v, n->det, n->det_count * sizeof(*v));
	}
	free(st->det);
	st->det = v;
	st->ndet = n->det_count;
	return 0;
}

void nat64_det_free(struct nat64_state *st)
{
	free(st->det);
	st->det = NULL;
	st->ndet = 0;
}

bool nat64_det_owns4(const struct nat64_state *st, const struct in_addr *a4)
{
	return det_find4(st->det, st->ndet, a4) != NULL;
}

/* The customer's block: false when a6 is no customer. */
static bool det_block(const struct nat64_state *st, const struct in6_addr *a6,
		      struct in_addr *a4, uint16_t *lo, uint16_t *hi)
{
	const struct det_entry *e = det_find6(st->det, st->ndet, a6);
	uint64_t i;

	if (!e || !det_index(e, a6, &i))
		return false;
	det_forward(e, i, a4, lo, hi);
	return true;
}

int nat64_det_alloc(struct nat64_op *op, enum config_l4 l4,
		    const struct in6_addr *src6, uint16_t sport,
		    struct in_addr *a4, uint16_t *p4)
{
	struct nat64_state *st = op->st;
	uint8_t buf[16 + 2 + 1 + 4];
	uint16_t lo, hi;
	uint32_t next;
	uint64_t h;

	if (!det_block(st, src6, a4, &lo, &hi))
		return 1;
	next = st->pool4.next[l4]++;
	memcpy(buf, src6, 16);
	buf[16] = (uint8_t)(sport >> 8);
	buf[17] = (uint8_t)sport;
	buf[18] = (uint8_t)l4;
	memcpy(buf + 19, &next, 4);
	h = siphash24(st->key, buf, sizeof(buf));
	if (nat64_pool4_contains(&st->pool4, l4, a4, lo) &&
	    nat64_pool4_contains(&st->pool4, l4, a4, hi) &&
	    nat64_pool4_block_port(st, l4, a4, lo, hi,
				   lo + (uint32_t)(h % (hi - lo + 1u)),
				   PORTMAP_ANY, p4) == 0)
		return 0;
	xlat_count(op->stats, XLAT_CNT_NAT64_DET_BLOCK_FULL);
	return -1;
}

bool nat64_det_fits(const struct nat64_state *st, const struct in6_addr *a6,
		    const struct in_addr *a4, uint16_t p4)
{
	struct in_addr want;
	uint16_t lo, hi;

	if (det_block(st, a6, &want, &lo, &hi))
		return want.s_addr == a4->s_addr && p4 >= lo && p4 <= hi;
	return !nat64_det_owns4(st, a4);
}

bool nat64_det_misplaced(const struct nat64_state *st,
			 const struct nat64_bib *b)
{
	return !b->is_static && !nat64_det_fits(st, &b->addr6, &b->addr4,
						 b->port4);
}
