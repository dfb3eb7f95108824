/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fast path's address cache (issue 12): the results of the stateless
 * mapping (addrmap_fast.h: EAMT, pool6, the reserved, non-global and
 * denylist rules, the RFC 7757 4.2 hairpin test) for recently seen
 * addresses, so that a flow's packets after its first skip the LPM walks.
 *
 * Direct-mapped, one table per direction, keyed by the address as it
 * lies in the packet (no byte swap on a hit) and holding the result as
 * it goes into the output, with what the address change does to the
 * UDP/TCP checksum (RFC 1624). Only successful mappings are kept:
 * anything refused takes the general path anyway.
 *
 * Correctness across configuration changes: a result is only as good as
 * the configuration it came from. Every entry carries the epoch it was
 * filled in; xlat_fcache_flush() moves the epoch on, which forgets every
 * entry at once. The core flushes by itself when ctx->cfg is not the
 * configuration of the last fill; whoever edits a configuration in place,
 * or frees one and may get a new one at the same address, must call
 * xlat_fcache_flush() (the daemon does on every new snapshot,
 * dworker_adopt). One cache per xlat_ctx: not shared between threads.
 */
#ifndef TRANSLATOR_XLAT_FCACHE_H
#define TRANSLATOR_XLAT_FCACHE_H

#include <stdint.h>

#include "xlat.h"

#define XLAT_FC_BITS	10u	/* 1,024 entries a direction, 32 KiB each */
#define XLAT_FC_SIZE	(1u << XLAT_FC_BITS)

/* IPv6 address -> IPv4 (6to4). */
struct xlat_fc6 {
	uint64_t k0, k1;	/* the address's two halves as in memory */
	uint32_t v4;		/* network order */
	uint32_t tag;		/* epoch << 1 | hairpin (RFC 7757 4.2) */
	uint32_t delta;		/* its checksum delta (xlat_fast.c) */
};

/* IPv4 address -> IPv6 (4to6). */
struct xlat_fc4 {
	uint32_t k;		/* the address as in memory */
	uint32_t tag;		/* epoch << 1 */
	uint64_t h0, h1;	/* the IPv6 address as it goes out */
	uint32_t delta;		/* its checksum delta (xlat_fast.c) */
};

struct xlat_fcache {
	const struct config *cfg;	/* of the last fill */
	uint32_t epoch;			/* never 0: a zero tag never matches */
	struct xlat_fc6 e6[XLAT_FC_SIZE];
	struct xlat_fc4 e4[XLAT_FC_SIZE];
};

/* Slot of an IPv6 address (its halves as in memory). */
static inline uint32_t xlat_fc_slot6(uint64_t k0, uint64_t k1)
{
	uint64_t x = k0 ^ k1;

	return ((uint32_t)(x ^ x >> 32) * 0x9e3779b1u) >> (32u - XLAT_FC_BITS);
}

/* Slot of an IPv4 address (as in memory). */
static inline uint32_t xlat_fc_slot4(uint32_t k)
{
	return (k * 0x9e3779b1u) >> (32u - XLAT_FC_BITS);
}

#endif
