// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Port blocks (pool4-block-size, after RFC 7422's aim: fewer log lines).
 * The first time an IPv6 prefix of host-prefix-length bits needs a
 * binding of a protocol, it gets a block of N consecutive ports of one
 * pool4 address, and its bindings of that protocol take ports inside its
 * blocks; a full block brings another (at the same address when it has
 * room), up to pool4-blocks-per-host, after which the binding is refused
 * (nat64_block_host_full). With logging-bib, one line per block lent and
 * released replaces one per binding: "who had 192.0.2.1 port 61001 at
 * time T" is answered by the block holding that port then.
 *
 * Blocks are per protocol because pool4 is: its entries, addresses and
 * port ranges are per protocol, and so are the port maps.
 *
 * Blocks sit on a grid of N ports from the entry's first port (from 1024
 * when the entry reaches past the well-known ports, which stay for the
 * bindings of well-known source ports, RFC 6146 3.5.1.1). A block's
 * ports are reserved in its address's map (rm) while it lives, so that
 * no other prefix gets them, even through the one-by-one allocator
 * after a reload turned blocks off. A block goes with its last binding.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "nat64_det.h"
#include "nat64_log.h"
#include "nat64_pool4_priv.h"

/* --- owners: the blocks of one prefix and protocol ------------------------ */

struct okey {
	struct in6_addr pfx;
	uint8_t len;
	enum config_l4 l4;
};

static struct okey okey_of(const struct in6_addr *a, uint8_t len,
			   enum config_l4 l4)
{
	struct okey k = { .pfx = *a, .len = len, .l4 = l4 };

	for (unsigned int i = 0; i < 16; i++) {
		unsigned int keep = len > i * 8 ? len - i * 8 : 0;

		if (keep < 8)
			k.pfx.s6_addr[i] &= (uint8_t)(0xff00u >> keep);
	}
	return k;
}

static uint32_t okey_hash(const struct nat64_state *st, const struct okey *k)
{
	uint8_t b[18];

	memcpy(b, &k->pfx, 16);
	b[16] = k->len;
	b[17] = (uint8_t)k->l4;
	return (uint32_t)siphash24(st->key, b, sizeof(b));
}

static bool owner_match(const struct nat64_hnode *n, const void *key)
{
	const struct nat64_block_owner *o =
		NAT64_CONTAINER(n, const struct nat64_block_owner, h);
	const struct okey *k = key;

	return o->l4 == k->l4 && o->len == k->len &&
	       !memcmp(&o->pfx, &k->pfx, sizeof(k->pfx));
}

static struct nat64_block_owner *owner_get(struct nat64_state *st,
					   const struct in6_addr *a,
					   enum config_l4 l4)
{
	struct okey k = okey_of(a, st->prefix_len, l4);
	uint32_t h = okey_hash(st, &k);
	struct nat64_hnode *n = nat64_htab_find(&st->owners, h, owner_match,
						&k);
	struct nat64_block_owner *o;

	if (n)
		return NAT64_CONTAINER(n, struct nat64_block_owner, h);
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->pfx = k.pfx;
	o->len = k.len;
	o->l4 = l4;
	if (nat64_htab_insert(&st->owners, &o->h, h)) {
		free(o);
		return NULL;
	}
	return o;
}

static void owner_release(struct nat64_state *st, struct nat64_block_owner *o)
{
	if (o->n)
		return;
	nat64_htab_remove(&st->owners, &o->h);
	free(o);
}

/* --- the ports of a block ------------------------------------------------- */

/* Whether k's ports all lie in one pool4 entry of its protocol. */
static bool block_usable(const struct nat64_pool4 *p,
			 const struct nat64_block *k)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct pool4_entry *e = &p->e[i];

		if (entry_has(e, k->owner->l4, &k->addr4) &&
		    k->lo >= e->port_min && k->hi <= e->port_max)
			return true;
	}
	return false;
}

static int reserve(struct nat64_state *st, enum config_l4 l4,
		   const struct in_addr *a, uint16_t lo, uint16_t hi)
{
	struct pool4_map *m = pool4_map_find(st, l4, a);

	if (!m)
		m = pool4_map_new(st, l4, a);
	if (!m)
		return -1;
	for (uint32_t port = lo; port <= hi; port++) {
		if (nat64_portmap_test(&m->rm, (uint16_t)port))
			continue;
		if (nat64_portmap_take(&m->rm, (uint16_t)port)) {
			while (port-- > lo)
				nat64_portmap_give(&m->rm, (uint16_t)port);
			pool4_map_release(&st->pool4, m);
			return -1;
		}
	}
	return 0;
}

static void unreserve(struct nat64_state *st, enum config_l4 l4,
		      const struct in_addr *a, uint16_t lo, uint16_t hi)
{
	struct pool4_map *m = pool4_map_find(st, l4, a);

	if (!m)
		return;
	for (uint32_t port = lo; port <= hi; port++)
		if (nat64_portmap_test(&m->rm, (uint16_t)port))
			nat64_portmap_give(&m->rm, (uint16_t)port);
	pool4_map_release(&st->pool4, m);
}

/*
 * A free port of k: of sport's parity first (RFC 6146 3.5.1.1, not for
 * ICMP identifiers), from a point off chooses, round the block.
 */
static int block_port(struct nat64_state *st, const struct nat64_block *k,
		      uint16_t sport, uint64_t off, uint16_t *p4)
{
	uint32_t start = k->lo + (uint32_t)(off % (k->hi - k->lo + 1u));
	int parity[2] = { sport & 1, PORTMAP_ANY };
	int first = k->owner->l4 == CONFIG_L4_ICMP ? 1 : 0;

	for (int i = first; i < 2; i++)
		if (nat64_pool4_block_port(st, k->owner->l4, &k->addr4, k->lo,
					   k->hi, start, parity[i], p4) == 0)
			return 0;
	return -1;
}

/* --- new blocks ------------------------------------------------------------ */

/* The first port of entry e's grid (see the top). */
static uint32_t grid_base(const struct pool4_entry *e, uint32_t size)
{
	if (e->l4 == CONFIG_L4_ICMP)
		return e->port_min;
	if (e->port_min < 1024 && e->port_max >= 1023 + size)
		return 1024;
	return e->port_min ? e->port_min : 1;
}

/* A free slot of entry e at address a, from one off chooses. */
static int entry_slot(const struct nat64_state *st,
		      const struct pool4_entry *e, const struct in_addr *a,
		      uint32_t size, uint64_t off, uint16_t *lo)
{
	uint32_t base = grid_base(e, size), nslots;
	const struct pool4_map *m;

	if (e->port_max < base || e->port_max - base + 1 < size)
		return -1;
	nslots = (e->port_max - base + 1) / size;
	m = pool4_map_find(st, e->l4, a);
	if (m && m->rm.used + (uint64_t)size > (uint64_t)nslots * size)
		return -1;	/* every slot is a block already */
	for (uint32_t s = 0; s < nslots; s++) {
		uint32_t l = base + (uint32_t)((off + s) % nslots) * size;

		if (!m || (nat64_portmap_range_free(&m->pm, l, l + size - 1) &&
			   nat64_portmap_range_free(&m->rm, l, l + size - 1))) {
			*lo = (uint16_t)l;
			return 0;
		}
	}
	return -1;
}

/* A slot at address a, in any of its entries of protocol l4. */
static int addr_slot(const struct nat64_state *st, enum config_l4 l4,
		     const struct in_addr *a, uint32_t size, uint64_t off,
		     uint16_t *lo)
{
	const struct nat64_pool4 *p = &st->pool4;

	if (nat64_det_owns4(st, a))	/* pool4-deterministic's own */
		return -1;
	for (size_t i = 0; i < p->n; i++)
		if (entry_has(&p->e[i], l4, a) &&
		    entry_slot(st, &p->e[i], a, size, off, lo) == 0)
			return 0;
	return -1;
}

/*
 * Where owner o's next block goes: beside its other blocks when their
 * address has room (one IPv4 address per customer, as pairing wants),
 * else from an address F chooses (the high half of off; the low half
 * picks the slot).
 */
static int block_place(const struct nat64_state *st,
		       const struct nat64_block_owner *o, uint32_t size,
		       uint64_t off, struct in_addr *a, uint16_t *lo)
{
	uint64_t total, first;

	if (o->blocks) {
		*a = o->blocks->addr4;
		if (addr_slot(st, o->l4, a, size, off, lo) == 0)
			return 0;
	}
	total = pool4_naddrs(&st->pool4, o->l4);
	if (!total)
		return -1;
	first = (off >> 32) % total;
	for (uint64_t k = 0; k < total; k++) {
		pool4_nth_addr(&st->pool4, o->l4, (first + k) % total, a);
		if (addr_slot(st, o->l4, a, size, off, lo) == 0)
			return 0;
	}
	return -1;
}

static struct nat64_block *block_new(struct nat64_op *op,
				     struct nat64_block_owner *o, uint64_t off)
{
	struct nat64_state *st = op->st;
	uint32_t size = op->cfg->nat64.pool4_block_size;
	struct nat64_block *k;
	struct in_addr a;
	uint16_t lo;

	if (block_place(st, o, size, off, &a, &lo))
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->owner = o;
	k->addr4 = a;
	k->lo = lo;
	k->hi = (uint16_t)(lo + size - 1);
	if (reserve(st, o->l4, &a, k->lo, k->hi)) {
		free(k);
		return NULL;
	}
	k->next = o->blocks;
	o->blocks = k;
	o->n++;
	st->nblocks[o->l4]++;
	xlat_count(op->stats, XLAT_CNT_NAT64_BLOCK_ADDED);
	nat64_log_block(op, k, true);
	return k;
}

/* --- the allocator's entry points ----------------------------------------- */

int nat64_block_alloc(struct nat64_op *op, enum config_l4 l4,
		      const struct in6_addr *src6, uint16_t sport,
		      uint64_t off, struct in_addr *a4, uint16_t *p4)
{
	struct nat64_state *st = op->st;
	struct nat64_block_owner *o = owner_get(st, src6, l4);
	struct nat64_block *k;

	if (!o)
		return -1;
	for (k = o->blocks; k; k = k->next)
		if (block_usable(&st->pool4, k) &&
		    block_port(st, k, sport, off, p4) == 0)
			goto found;
	if (o->n >= op->cfg->nat64.pool4_blocks_per_host) {
		xlat_count(op->stats, XLAT_CNT_NAT64_BLOCK_HOST_FULL);
		goto fail;
	}
	k = block_new(op, o, off);
	if (!k) {
		xlat_count(op->stats, XLAT_CNT_NAT64_BLOCK_POOL4_FULL);
		goto fail;
	}
	if (block_port(st, k, sport, off, p4))
		goto fail;	/* cannot happen: its ports were all free */
found:
	*a4 = k->addr4;
	op->st->blk = k;
	return 0;
fail:
	owner_release(st, o);
	return -1;
}

void nat64_block_put(struct nat64_op *op, struct nat64_block *k)
{
	struct nat64_state *st = op->st;
	struct nat64_block_owner *o = k->owner;
	struct nat64_block **pp;

	if (--k->nbib)
		return;
	nat64_log_block(op, k, false);
	unreserve(st, o->l4, &k->addr4, k->lo, k->hi);
	for (pp = &o->blocks; *pp != k; pp = &(*pp)->next)
		;
	*pp = k->next;
	o->n--;
	st->nblocks[o->l4]--;
	free(k);
	owner_release(st, o);
}

static int remark_one(struct nat64_hnode *n, void *arg)
{
	struct nat64_state *st = arg;
	const struct nat64_block_owner *o =
		NAT64_CONTAINER(n, const struct nat64_block_owner, h);

	for (const struct nat64_block *k = o->blocks; k; k = k->next)
		if (block_usable(&st->pool4, k) &&
		    reserve(st, o->l4, &k->addr4, k->lo, k->hi))
			return -1;
	return 0;
}

int nat64_block_remark(struct nat64_state *st)
{
	return nat64_htab_walk(&st->owners, remark_one, st) ? -1 : 0;
}

void nat64_block_free_all(struct nat64_state *st)
{
	/* Blocks go with their last binding: none is left once the
	 * bindings are (memory running out on the way would leak). */
	nat64_htab_free(&st->owners);
}
