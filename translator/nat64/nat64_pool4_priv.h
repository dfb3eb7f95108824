/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What pool4's allocator (nat64_pool4.c) shares with the port blocks
 * (nat64_block.c): the per-address port maps, the addresses by number.
 */
#ifndef TRANSLATOR_NAT64_POOL4_PRIV_H
#define TRANSLATOR_NAT64_POOL4_PRIV_H

#include "nat64_portmap.h"
#include "nat64_state.h"

/* The ports of one address for one protocol: pm those of bindings, rm
 * those of port blocks. Freed when both are empty. */
struct pool4_map {
	struct nat64_hnode h;
	struct pool4_map *prev, *next;	/* the list of all maps */
	struct in_addr a;
	enum config_l4 l4;
	struct nat64_portmap pm;
	struct nat64_portmap rm;
};

static inline uint64_t naddrs(const struct pool4_entry *e)
{
	return (uint64_t)1 << (32 - e->prefix.len);
}

static inline bool entry_has(const struct pool4_entry *e, enum config_l4 l4,
			     const struct in_addr *a)
{
	return e->l4 == l4 && prefix4_contains(&e->prefix, a);
}

struct pool4_map *pool4_map_find(const struct nat64_state *st,
				 enum config_l4 l4, const struct in_addr *a);
/* A new empty map (NULL: out of memory). */
struct pool4_map *pool4_map_new(struct nat64_state *st, enum config_l4 l4,
				const struct in_addr *a);
/* Frees m if nothing holds a port of it any more. */
void pool4_map_release(struct nat64_pool4 *p, struct pool4_map *m);

/* How many addresses protocol l4's entries have; address number idx of
 * them, in entry order (false past the last). */
uint64_t pool4_naddrs(const struct nat64_pool4 *p, enum config_l4 l4);
bool pool4_nth_addr(const struct nat64_pool4 *p, enum config_l4 l4,
		    uint64_t idx, struct in_addr *a);

#endif
