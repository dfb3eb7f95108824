// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool4 and the choice of the IPv4 transport address of a new binding.
 *
 * RFC 6056 section 3.3.3 (algorithm 3, "simple hash-based"): the search
 * starts at an offset F(source address, destination address and port,
 * secret; `f-args` chooses the fields) plus next_ephemeral, which
 * advances at each binding, so that ports are neither sequential nor
 * predictable. RFC 6146 3.5.1.1 (after
 * RFC 4787 REQ-3 and REQ-4) wants the port in the range of the source
 * port (well-known 1-1023 or 1024-65535) and of the same parity: classes
 * of candidates tried in that order of preference, then anywhere.
 * ICMP identifiers have no such classes.
 *
 * Address pooling is "paired" (RFC 4787 REQ-2, RFC 6146 3.5.1.1): an IPv6
 * host with bindings gets the pool4 address they use, of the protocol's
 * own bindings first, else of its other protocols' ones (one IPv4 address
 * per host as far as pool4 allows), in any class of port before another
 * address; only when that address has no free port at all does the
 * binding go to another one (nat64_pool4_unpaired counts it): refusing
 * would cut the host off while pool4 has room. A host without bindings
 * starts on an address F chooses.
 *
 * Each address and protocol with bindings has a nat64_portmap: the first
 * free port at or after the start, within a class, costs a few word
 * operations whatever the fill. A full pool4 is known at once from its
 * counters; skipping full addresses costs a few words each, so only a
 * wide pool4 (up to a /16) that is nearly full has to look at many.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "nat64_det.h"
#include "nat64_pool4_priv.h"


/* A class of candidate ports: [lo, hi], all or only one parity. */
struct pclass {
	uint32_t lo, hi;
	int parity;		/* 0 even, 1 odd, PORTMAP_ANY */
};


/* Ports of e inside class c, from *first to *last. */
static uint32_t nports(const struct pool4_entry *e, const struct pclass *c,
		       uint32_t *first, uint32_t *last)
{
	uint32_t lo = e->port_min > c->lo ? e->port_min : c->lo;
	uint32_t hi = e->port_max < c->hi ? e->port_max : c->hi;

	if (lo > hi)
		return 0;
	if (c->parity >= 0 && (lo & 1) != (uint32_t)c->parity)
		lo++;
	if (c->parity >= 0 && (hi & 1) != (uint32_t)c->parity)
		hi--;
	if (lo > hi || hi > 65535)
		return 0;
	*first = lo;
	*last = hi;
	return c->parity >= 0 ? (hi - lo) / 2 + 1 : hi - lo + 1;
}

static uint32_t step(const struct pclass *c)
{
	return c->parity >= 0 ? 2 : 1;
}


bool nat64_pool4_contains(const struct nat64_pool4 *p, enum config_l4 l4,
			  const struct in_addr *a, uint16_t port)
{
	for (size_t i = 0; i < p->n; i++)
		if (entry_has(&p->e[i], l4, a) && port >= p->e[i].port_min &&
		    port <= p->e[i].port_max)
			return true;
	return false;
}

bool nat64_pool4_has(const struct nat64_pool4 *p, enum config_l4 l4,
		     const struct in_addr *a)
{
	for (size_t i = 0; i < p->n; i++)
		if (entry_has(&p->e[i], l4, a))
			return true;
	return false;
}

/* --- the maps --------------------------------------------------------- */

struct mkey {
	enum config_l4 l4;
	struct in_addr a;
};

static uint32_t mkey_hash(const struct nat64_state *st, enum config_l4 l4,
			  const struct in_addr *a)
{
	uint8_t b[5];

	memcpy(b, a, 4);
	b[4] = (uint8_t)l4;
	return (uint32_t)siphash24(st->key, b, sizeof(b));
}

static bool map_match(const struct nat64_hnode *n, const void *key)
{
	const struct pool4_map *m = NAT64_CONTAINER(n, const struct pool4_map, h);
	const struct mkey *k = key;

	return m->l4 == k->l4 && m->a.s_addr == k->a.s_addr;
}

struct pool4_map *pool4_map_find(const struct nat64_state *st,
				  enum config_l4 l4, const struct in_addr *a)
{
	struct mkey k = { l4, *a };
	struct nat64_hnode *n = nat64_htab_find(&st->pool4.maps,
						mkey_hash(st, l4, a),
						map_match, &k);

	return n ? NAT64_CONTAINER(n, struct pool4_map, h) : NULL;
}

struct pool4_map *pool4_map_new(struct nat64_state *st, enum config_l4 l4,
				 const struct in_addr *a)
{
	struct nat64_pool4 *p = &st->pool4;
	struct pool4_map *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->a = *a;
	m->l4 = l4;
	if (nat64_htab_insert(&p->maps, &m->h, mkey_hash(st, l4, a))) {
		free(m);
		return NULL;
	}
	m->next = p->maps_head;
	if (m->next)
		m->next->prev = m;
	p->maps_head = m;
	return m;
}

static void map_free(struct nat64_pool4 *p, struct pool4_map *m);

void pool4_map_release(struct nat64_pool4 *p, struct pool4_map *m)
{
	/* Ports of bindings, or of port blocks, still held. */
	if (m->pm.used || m->rm.used)
		return;
	map_free(p, m);
}

static void map_free(struct nat64_pool4 *p, struct pool4_map *m)
{
	nat64_htab_remove(&p->maps, &m->h);
	if (m->prev)
		m->prev->next = m->next;
	else
		p->maps_head = m->next;
	if (m->next)
		m->next->prev = m->prev;
	nat64_portmap_clear(&m->pm);
	nat64_portmap_clear(&m->rm);
	free(m);
}

int nat64_pool4_take(struct nat64_state *st, enum config_l4 l4,
		     const struct in_addr *a, uint16_t port)
{
	struct pool4_map *m;

	if (!nat64_pool4_contains(&st->pool4, l4, a, port))
		return 0;
	m = pool4_map_find(st, l4, a);
	if (!m)
		m = pool4_map_new(st, l4, a);
	if (!m)
		return -1;
	if (!nat64_portmap_test(&m->pm, port)) {
		if (nat64_portmap_take(&m->pm, port)) {
			pool4_map_release(&st->pool4, m);
			return -1;
		}
		st->pool4.used[l4]++;
	}
	return 0;
}

void nat64_pool4_give(struct nat64_state *st, enum config_l4 l4,
		      const struct in_addr *a, uint16_t port)
{
	struct pool4_map *m = pool4_map_find(st, l4, a);

	/* Not found: outside pool4, or never marked (memory ran out). */
	if (!m || !nat64_portmap_test(&m->pm, port))
		return;
	nat64_portmap_give(&m->pm, port);
	st->pool4.used[l4]--;
	pool4_map_release(&st->pool4, m);
}

static void maps_free(struct nat64_pool4 *p)
{
	while (p->maps_head)
		map_free(p, p->maps_head);
	nat64_htab_free(&p->maps);
}

/* --- configuration ---------------------------------------------------- */

static uint64_t class_size(const struct nat64_pool4 *p, enum config_l4 l4,
			   const struct pclass *c)
{
	uint64_t n = 0;
	uint32_t first, last;

	for (size_t i = 0; i < p->n; i++)
		if (p->e[i].l4 == l4)
			n += naddrs(&p->e[i]) * nports(&p->e[i], c, &first,
						       &last);
	return n;
}

static int mark(struct nat64_hnode *n, void *arg)
{
	struct nat64_state *st = arg;
	const struct nat64_bib *b = NAT64_CONTAINER(n, const struct nat64_bib, h4);

	return nat64_pool4_take(st, b->l4, &b->addr4, b->port4);
}

int nat64_pool4_set(struct nat64_state *st, const struct config *cfg)
{
	struct nat64_pool4 *p = &st->pool4;
	const struct config_nat64 *n = &cfg->nat64;
	struct pool4_entry *e = NULL;

	if (n->pool4_count) {
		e = malloc(n->pool4_count * sizeof(*e));
		if (!e)
			return -1;
		memcpy(e, n->pool4, n->pool4_count * sizeof(*e));
	}
	free(p->e);
	p->e = e;
	p->n = n->pool4_count;
	maps_free(p);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++) {
		/* Port 0 names no TCP or UDP port (RFC 6335 section 6). */
		struct pclass c = { l4 != CONFIG_L4_ICMP, 65535, PORTMAP_ANY };

		p->total[l4] = class_size(p, (enum config_l4)l4, &c);
		p->used[l4] = 0;
	}
	/* The bindings and port blocks inside the new pool4 hold their
	 * ports. */
	if (nat64_htab_walk(&st->bib4, mark, st))
		return -1;
	return nat64_block_remark(st);
}

void nat64_pool4_free(struct nat64_pool4 *p)
{
	maps_free(p);
	free(p->e);
	memset(p, 0, sizeof(*p));
}

/* --- allocation ------------------------------------------------------- */

static const struct nat64_portmap empty_map;

/*
 * The first port of [lo, hi] free in pm and outside every port block:
 * blocks lent while pool4-block-size was on stay their prefix's after a
 * reload turned it off, until their last binding goes.
 */
static int32_t pool4_map_first(const struct pool4_map *m,
			       const struct nat64_portmap *pm, uint32_t lo,
			       uint32_t hi, int parity, uint64_t *words)
{
	int32_t port;

	for (;;) {
		port = nat64_portmap_first(pm, lo, hi, parity, words);
		if (port < 0 || !m || !m->rm.used ||
		    !nat64_portmap_test(&m->rm, (uint16_t)port))
			return port;
		if ((uint32_t)port >= hi)
			return -1;
		lo = (uint32_t)port + 1;
	}
}

/*
 * F of algorithm 3 over the fields `f-args` picks (Jool's bits: 8 source
 * address, 4 source port, 2 destination address, 1 destination port), in
 * that order, then the protocol. The default 11 hashes the bytes this
 * function always hashed (source address, destination address and port),
 * so allocations stay what they were. Leaving the destination out makes
 * one host's bindings start from one offset whatever it talks to.
 */
static uint64_t offset_f(const struct nat64_op *op, enum config_l4 l4,
			 const struct in6_addr *src6, uint16_t sport,
			 const struct in_addr *dst4, uint16_t dport)
{
	uint32_t fa = op->cfg->nat64.f_args;
	uint8_t buf[16 + 2 + 4 + 2 + 1];
	size_t n = 0;

	if (fa & NAT64_FARGS_SRC_ADDR) {
		memcpy(buf + n, src6, 16);
		n += 16;
	}
	if (fa & NAT64_FARGS_SRC_PORT) {
		buf[n++] = (uint8_t)(sport >> 8);
		buf[n++] = (uint8_t)sport;
	}
	if (fa & NAT64_FARGS_DST_ADDR) {
		memcpy(buf + n, dst4, 4);
		n += 4;
	}
	if (fa & NAT64_FARGS_DST_PORT) {
		buf[n++] = (uint8_t)(dport >> 8);
		buf[n++] = (uint8_t)dport;
	}
	buf[n++] = (uint8_t)l4;
	return siphash24(op->st->key, buf, n);
}

/* The ports of address a in class c: how many, and the entry holding
 * candidate number idx (< the count) with that candidate's port. */
static uint64_t addr_ports(const struct nat64_pool4 *p, enum config_l4 l4,
			   const struct in_addr *a, const struct pclass *c,
			   uint64_t idx, size_t *j, uint32_t *start)
{
	uint64_t total = 0;
	uint32_t first, last;

	for (size_t i = 0; i < p->n; i++) {
		uint32_t np;

		if (!entry_has(&p->e[i], l4, a))
			continue;
		np = nports(&p->e[i], c, &first, &last);
		if (idx >= total && idx - total < np) {
			*j = i;
			*start = first + (uint32_t)(idx - total) * step(c);
		}
		total += np;
	}
	return total;
}

/*
 * A free port of address a in class c, from candidate off (modulo their
 * number) to the end of its entry, through a's other entries, and back.
 */
static int addr_search(struct nat64_state *st, enum config_l4 l4,
		       const struct in_addr *a, const struct pclass *c,
		       uint64_t off, uint16_t *p4)
{
	struct nat64_pool4 *p = &st->pool4;
	const struct pool4_map *m = pool4_map_find(st, l4, a);
	const struct nat64_portmap *pm = m ? &m->pm : &empty_map;
	uint32_t start = 0, first, last;
	size_t j = 0;
	uint64_t total = addr_ports(p, l4, a, c, 0, &j, &start);

	if (!total || nat64_det_owns4(st, a))	/* pool4-deterministic's */
		return -1;
	addr_ports(p, l4, a, c, off % total, &j, &start);
	for (size_t k = 0; k <= p->n; k++) {
		size_t i = (j + k) % p->n;
		uint32_t lo, hi;
		int32_t port;

		if (!entry_has(&p->e[i], l4, a) ||
		    !nports(&p->e[i], c, &first, &last))
			continue;
		lo = k == 0 ? start : first;
		hi = k == p->n ? start - 1 : last;
		if (k == p->n && start == first)
			break;
		port = pool4_map_first(m, pm, lo, hi, c->parity, &p->words);
		if (port >= 0) {
			*p4 = (uint16_t)port;
			return 0;
		}
	}
	return -1;
}

/* Address number idx of the entries with ports in class c. */
static bool nth_addr(const struct nat64_pool4 *p, enum config_l4 l4,
		     const struct pclass *c, uint64_t idx, struct in_addr *a)
{
	uint32_t first, last;

	for (size_t i = 0; i < p->n; i++) {
		const struct pool4_entry *e = &p->e[i];

		if (e->l4 != l4 || !nports(e, c, &first, &last))
			continue;
		if (idx < naddrs(e)) {
			a->s_addr = htonl(ntohl(e->prefix.addr.s_addr) +
					  (uint32_t)idx);
			return true;
		}
		idx -= naddrs(e);
	}
	return false;
}

/* How many addresses the entries with ports in class c have. */
static uint64_t class_addrs(const struct nat64_pool4 *p, enum config_l4 l4,
			    const struct pclass *c)
{
	uint64_t n = 0;
	uint32_t first, last;

	for (size_t i = 0; i < p->n; i++)
		if (p->e[i].l4 == l4 && nports(&p->e[i], c, &first, &last))
			n += naddrs(&p->e[i]);
	return n;
}

/* Every port: how the port blocks (nat64_block.c) count addresses. */
static const struct pclass any_port = { 0, 65535, PORTMAP_ANY };

uint64_t pool4_naddrs(const struct nat64_pool4 *p, enum config_l4 l4)
{
	return class_addrs(p, l4, &any_port);
}

bool pool4_nth_addr(const struct nat64_pool4 *p, enum config_l4 l4,
		    uint64_t idx, struct in_addr *a)
{
	return nth_addr(p, l4, &any_port, idx, a);
}

/* Any address, from one F chooses, with a free port in class c. */
static int pool_search(struct nat64_state *st, enum config_l4 l4,
		       const struct pclass *c, uint64_t off,
		       struct in_addr *a4, uint16_t *p4)
{
	const struct nat64_pool4 *p = &st->pool4;
	uint64_t n = class_addrs(p, l4, c), first_addr;

	if (!n)
		return -1;
	/* The high half of F picks the address, the low half the port. */
	first_addr = (off >> 32) % n;
	for (uint64_t k = 0; k < n; k++)
		if (nth_addr(p, l4, c, (first_addr + k) % n, a4) &&
		    addr_search(st, l4, a4, c, off, p4) == 0)
			return 0;
	return -1;
}

/* The classes to try, best first (RFC 6146 3.5.1.1, RFC 4787 REQ-3/4). */
static int classes(enum config_l4 l4, uint16_t sport, struct pclass *pref)
{
	struct pclass range = sport < 1024 ? (struct pclass){ 1, 1023, 0 }
					   : (struct pclass){ 1024, 65535, 0 };

	if (l4 == CONFIG_L4_ICMP) {
		pref[0] = (struct pclass){ 0, 65535, PORTMAP_ANY };
		return 1;
	}
	pref[0] = range;
	pref[0].parity = sport & 1;
	pref[1] = range;
	pref[1].parity = PORTMAP_ANY;
	pref[2] = (struct pclass){ 1, 65535, PORTMAP_ANY };
	return 3;
}

/*
 * The host's paired address for l4, else one of its other protocols,
 * while pool4 lends it for l4: any class of port before another address.
 * *had: the host had such an address (full, then).
 */
static int paired_search(struct nat64_state *st, enum config_l4 l4,
			 const struct nat64_host *h, const struct pclass *pref,
			 int npref, uint64_t off, struct in_addr *a4,
			 uint16_t *p4, bool *had)
{
	for (int k = 0; k < CONFIG_L4_COUNT; k++) {
		int from = (l4 + k) % CONFIG_L4_COUNT;

		if (!(h->paired_mask & (1u << from)) ||
		    !nat64_pool4_has(&st->pool4, l4, &h->paired[from]))
			continue;
		*had = true;
		for (int i = 0; i < npref; i++) {
			if (addr_search(st, l4, &h->paired[from], &pref[i], off,
					p4) == 0) {
				*a4 = h->paired[from];
				return 0;
			}
		}
	}
	return -1;
}

int nat64_pool4_alloc(struct nat64_op *op, enum config_l4 l4,
		      const struct in6_addr *src6, uint16_t sport,
		      const struct in_addr *dst4, uint16_t dport,
		      struct in_addr *a4, uint16_t *p4)
{
	struct nat64_state *st = op->st;
	const struct nat64_host *h = nat64_host_find(st, src6);
	struct pclass pref[3];
	int npref = classes(l4, sport, pref);
	bool had = false;
	uint64_t off;
	int det = nat64_det_alloc(op, l4, src6, sport, a4, p4);

	if (det <= 0)		/* a deterministic customer (nat64_det.c) */
		return det;
	if (st->pool4.used[l4] >= st->pool4.total[l4])
		return -1;
	off = offset_f(op, l4, src6, sport, dst4, dport) + st->pool4.next[l4];
	if (op->cfg->nat64.pool4_block_size) {
		if (nat64_block_alloc(op, l4, src6, sport, off, a4, p4))
			return -1;
		goto done;
	}
	if (h && paired_search(st, l4, h, pref, npref, off, a4, p4, &had) == 0)
		goto done;
	for (int i = 0; i < npref; i++) {
		if (pool_search(st, l4, &pref[i], off, a4, p4) == 0) {
			if (had)
				xlat_count(op->stats,
					   XLAT_CNT_NAT64_POOL4_UNPAIRED);
			goto done;
		}
	}
	return -1;
done:
	st->pool4.next[l4]++;
	return 0;
}

int nat64_pool4_block_port(struct nat64_state *st, enum config_l4 l4,
			   const struct in_addr *a, uint32_t lo, uint32_t hi,
			   uint32_t start, int parity, uint16_t *p4)
{
	const struct pool4_map *m = pool4_map_find(st, l4, a);
	const struct nat64_portmap *pm = m ? &m->pm : &empty_map;
	int32_t port = nat64_portmap_first(pm, start, hi, parity,
					   &st->pool4.words);

	if (port < 0 && start > lo)
		port = nat64_portmap_first(pm, lo, start - 1, parity,
					   &st->pool4.words);
	if (port < 0)
		return -1;
	*p4 = (uint16_t)port;
	return 0;
}
