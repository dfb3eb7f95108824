/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic pool4 (pool4-deterministic, common/det_map.h) in the
 * NAT64 state: a customer's bindings are made only inside its block, of
 * its one IPv4 address; dynamic allocation leaves the entries' addresses
 * alone. All under the state's lock, as nat64_pool4_alloc.
 */
#ifndef TRANSLATOR_NAT64_DET_H
#define TRANSLATOR_NAT64_DET_H

#include "nat64_state.h"

/* The state's copy of cfg's entries (nat64_state_sync); -1: no memory. */
int nat64_det_set(struct nat64_state *st, const struct config *cfg);
void nat64_det_free(struct nat64_state *st);

/*
 * For nat64_pool4_alloc: 1 when src6 is no deterministic customer (the
 * dynamic pool4 serves it); 0 with *a4, *p4 a free port of its block;
 * -1 when its block has no free port (or is no longer in pool4), counted
 * in nat64_det_block_full: no fallback to the dynamic pool4, whose
 * addresses would break the mapping.
 */
int nat64_det_alloc(struct nat64_op *op, enum config_l4 l4,
		    const struct in6_addr *src6, uint16_t sport,
		    struct in_addr *a4, uint16_t *p4);

/* Whether a4 belongs to an entry (dynamic allocation skips it). */
bool nat64_det_owns4(const struct nat64_state *st, const struct in_addr *a4);

/* Whether a dynamic binding a6 -> a4#p4 agrees with the mapping (also
 * for a waiting IPv4 SYN an IPv6 SYN would take over, RFC 6146 3.5.2.2). */
bool nat64_det_fits(const struct nat64_state *st, const struct in6_addr *a6,
		    const struct in_addr *a4, uint16_t p4);

/*
 * Whether binding b contradicts the mapping: a customer's dynamic
 * binding outside its block, or another host's on an entry's address
 * (a reload that adds an entry drops them, as bindings outside pool4).
 */
bool nat64_det_misplaced(const struct nat64_state *st,
			 const struct nat64_bib *b);

#endif
