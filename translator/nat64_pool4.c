// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool4 and the choice of the IPv4 transport address of a new binding.
 *
 * RFC 6056 section 3.3.3 (algorithm 3, "simple hash-based"): the search
 * starts at an offset F(source address, destination address and port,
 * secret) and walks the candidates from there, next_ephemeral advancing
 * each time, so that ports are neither sequential nor predictable.
 * RFC 6146 3.5.1.1 (after RFC 4787 REQ-3 and REQ-4) wants the port in the
 * range of the source port (well-known 1-1023 or 1024-65535) and of the
 * same parity: candidates are tried in that order of preference, then
 * anywhere in pool4. ICMP identifiers have no such classes.
 *
 * A candidate is free when no binding uses it: one O(1) lookup. A full
 * pool4 is known at once from its counters; a nearly full one may take a
 * walk over all its candidates.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "nat64_state.h"

/* A class of candidate ports: [lo, hi], all or only one parity. */
struct pclass {
	uint32_t lo, hi;
	int parity;		/* 0 even, 1 odd, -1 any */
};

static uint64_t naddrs(const struct pool4_entry *e)
{
	return (uint64_t)1 << (32 - e->prefix.len);
}

/* Ports of e inside class c. */
static uint32_t nports(const struct pool4_entry *e, const struct pclass *c,
		       uint32_t *first)
{
	uint32_t lo = e->port_min > c->lo ? e->port_min : c->lo;
	uint32_t hi = e->port_max < c->hi ? e->port_max : c->hi;

	if (lo > hi)
		return 0;
	if (c->parity >= 0 && (lo & 1) != (uint32_t)c->parity)
		lo++;
	if (lo > hi)
		return 0;
	*first = lo;
	return c->parity >= 0 ? (hi - lo) / 2 + 1 : hi - lo + 1;
}

static uint64_t class_size(const struct nat64_pool4 *p, enum config_l4 l4,
			   const struct pclass *c)
{
	uint64_t n = 0;
	uint32_t first;

	for (size_t i = 0; i < p->n; i++)
		if (p->e[i].l4 == l4)
			n += naddrs(&p->e[i]) * nports(&p->e[i], c, &first);
	return n;
}

/* Candidate number idx (< class_size) of class c. */
static void candidate(const struct nat64_pool4 *p, enum config_l4 l4,
		      const struct pclass *c, uint64_t idx,
		      struct in_addr *a, uint16_t *port)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct pool4_entry *e = &p->e[i];
		uint32_t first, np;
		uint64_t cnt;

		if (e->l4 != l4)
			continue;
		np = nports(e, c, &first);
		cnt = naddrs(e) * np;
		if (idx >= cnt) {
			idx -= cnt;
			continue;
		}
		a->s_addr = htonl(ntohl(e->prefix.addr.s_addr) +
				  (uint32_t)(idx / np));
		*port = (uint16_t)(first + (uint32_t)(idx % np) *
				   (c->parity >= 0 ? 2 : 1));
		return;
	}
}

bool nat64_pool4_contains(const struct nat64_pool4 *p, enum config_l4 l4,
			  const struct in_addr *a, uint16_t port)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct pool4_entry *e = &p->e[i];

		if (e->l4 == l4 && port >= e->port_min && port <= e->port_max &&
		    prefix4_contains(&e->prefix, a))
			return true;
	}
	return false;
}

static int recount(struct nat64_hnode *n, void *arg)
{
	struct nat64_state *st = arg;
	const struct nat64_bib *b = (const struct nat64_bib *)(const void *)
		((const char *)n - offsetof(struct nat64_bib, h4));

	if (nat64_pool4_contains(&st->pool4, b->l4, &b->addr4, b->port4))
		st->pool4.used[b->l4]++;
	return 0;
}

int nat64_pool4_set(struct nat64_state *st, const struct config *cfg)
{
	struct nat64_pool4 *p = &st->pool4;
	const struct config_nat64 *n = &cfg->nat64;
	struct pool4_entry *e = NULL;
	struct pclass any = { 0, 65535, -1 };

	if (n->pool4_count) {
		e = malloc(n->pool4_count * sizeof(*e));
		if (!e)
			return -1;
		memcpy(e, n->pool4, n->pool4_count * sizeof(*e));
	}
	free(p->e);
	p->e = e;
	p->n = n->pool4_count;
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++) {
		struct pclass c = any;

		/* Port 0 names no TCP or UDP port (RFC 6335 section 6). */
		if (l4 != CONFIG_L4_ICMP)
			c.lo = 1;
		p->total[l4] = class_size(p, (enum config_l4)l4, &c);
		p->used[l4] = 0;
	}
	nat64_htab_walk(&st->bib4, recount, st);
	return 0;
}

void nat64_pool4_free(struct nat64_pool4 *p)
{
	free(p->e);
	memset(p, 0, sizeof(*p));
}

/* F of algorithm 3: the source address, destination address and port. */
static uint64_t offset_f(const struct nat64_state *st, enum config_l4 l4,
			 const struct in6_addr *src6,
			 const struct in_addr *dst4, uint16_t dport)
{
	uint8_t buf[16 + 4 + 2 + 1];

	memcpy(buf, src6, 16);
	memcpy(buf + 16, dst4, 4);
	buf[20] = (uint8_t)(dport >> 8);
	buf[21] = (uint8_t)dport;
	buf[22] = (uint8_t)l4;
	return nat64_siphash(st->key, buf, sizeof(buf));
}

/* Walks class c from the offset; 0 with the first free candidate. */
static int search(struct nat64_state *st, enum config_l4 l4,
		  const struct pclass *c, uint64_t offset,
		  struct in_addr *a4, uint16_t *p4)
{
	struct nat64_pool4 *p = &st->pool4;
	uint64_t n = class_size(p, l4, c);

	for (uint64_t k = 0; k < n; k++) {
		uint64_t idx = (offset + p->next[l4] + k) % n;

		candidate(p, l4, c, idx, a4, p4);
		if (!nat64_bib_find4(st, l4, a4, *p4)) {
			p->next[l4] += (uint32_t)(k + 1);
			return 0;
		}
	}
	return -1;
}

int nat64_pool4_alloc(struct nat64_state *st, enum config_l4 l4,
		      const struct in6_addr *src6, uint16_t sport,
		      const struct in_addr *dst4, uint16_t dport,
		      struct in_addr *a4, uint16_t *p4)
{
	struct pclass pref[3];
	int npref = 0;
	uint64_t off;

	if (st->pool4.used[l4] >= st->pool4.total[l4])
		return -1;
	off = offset_f(st, l4, src6, dst4, dport);
	if (l4 == CONFIG_L4_ICMP) {
		pref[npref++] = (struct pclass){ 0, 65535, -1 };
	} else {
		struct pclass range = sport < 1024 ? (struct pclass){ 1, 1023, -1 }
						   : (struct pclass){ 1024, 65535, -1 };

		pref[npref] = range;
		pref[npref++].parity = sport & 1;
		pref[npref++] = range;
		pref[npref++] = (struct pclass){ 1, 65535, -1 };
	}
	for (int i = 0; i < npref; i++)
		if (search(st, l4, &pref[i], off, a4, p4) == 0)
			return 0;
	return -1;
}
