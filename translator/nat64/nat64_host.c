// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Records of the IPv6 side, kept while bindings point at them: one per
 * IPv6 address (its sessions, for max-sessions-per-host, and its paired
 * pool4 addresses) and one per IPv6 prefix of host-prefix-length bits
 * (the sessions of a customer's network, for max-sessions-per-prefix: a
 * host that changes addresses within its /64 still counts as one).
 */
#include <stdlib.h>
#include <string.h>

#include "nat64_state.h"

/* The prefix key: the address cut to len bits, and len. */
struct pkey {
	struct in6_addr a;
	uint8_t len;
};

static struct pkey pkey_of(const struct in6_addr *a, uint8_t len)
{
	struct pkey k = { .a = *a, .len = len };

	for (unsigned int i = 0; i < 16; i++) {
		unsigned int keep = len > i * 8 ? len - i * 8 : 0;

		if (keep < 8)
			k.a.s6_addr[i] &= (uint8_t)(0xff00u >> keep);
	}
	return k;
}

static uint32_t pkey_hash(const struct nat64_state *st, const struct pkey *k)
{
	uint8_t b[17];

	memcpy(b, &k->a, 16);
	b[16] = k->len;
	return (uint32_t)siphash24(st->key, b, sizeof(b));
}

static bool prefix_match(const struct nat64_hnode *n, const void *key)
{
	const struct nat64_prefix *p =
		NAT64_CONTAINER(n, const struct nat64_prefix, h);
	const struct pkey *k = key;

	return p->len == k->len && !memcmp(&p->addr, &k->a, sizeof(k->a));
}

static bool host_match(const struct nat64_hnode *n, const void *key)
{
	return !memcmp(&NAT64_CONTAINER(n, const struct nat64_host, h)->addr, key,
		       sizeof(struct in6_addr));
}

static uint32_t host_hash(const struct nat64_state *st,
			  const struct in6_addr *a)
{
	return (uint32_t)siphash24(st->key, a, sizeof(*a));
}

/* The record of a's prefix under st->prefix_len, one more reference. */
static struct nat64_prefix *prefix_get(struct nat64_state *st,
				       const struct in6_addr *a)
{
	struct pkey k = pkey_of(a, st->prefix_len);
	uint32_t h = pkey_hash(st, &k);
	struct nat64_hnode *n = nat64_htab_find(&st->prefixes, h,
						prefix_match, &k);
	struct nat64_prefix *p;

	if (n) {
		p = NAT64_CONTAINER(n, struct nat64_prefix, h);
		p->refs++;
		return p;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->addr = k.a;
	p->len = k.len;
	p->refs = 1;
	if (nat64_htab_insert(&st->prefixes, &p->h, h)) {
		free(p);
		return NULL;
	}
	return p;
}

static void prefix_put(struct nat64_state *st, struct nat64_prefix *p)
{
	if (--p->refs)
		return;
	nat64_htab_remove(&st->prefixes, &p->h);
	free(p);
}

const struct nat64_host *nat64_host_find(const struct nat64_state *st,
					 const struct in6_addr *a)
{
	struct nat64_hnode *n = nat64_htab_find(&st->hosts, host_hash(st, a),
						host_match, a);

	return n ? NAT64_CONTAINER(n, const struct nat64_host, h) : NULL;
}

struct nat64_host *nat64_host_get(struct nat64_state *st,
				  const struct in6_addr *a)
{
	struct nat64_host *host = (struct nat64_host *)nat64_host_find(st, a);

	if (host) {
		host->refs++;
		return host;
	}
	host = calloc(1, sizeof(*host));
	if (!host)
		return NULL;
	host->addr = *a;
	host->refs = 1;
	host->prefix = prefix_get(st, a);
	if (!host->prefix)
		goto fail;
	if (nat64_htab_insert(&st->hosts, &host->h, host_hash(st, a))) {
		prefix_put(st, host->prefix);
		goto fail;
	}
	return host;
fail:
	free(host);
	return NULL;
}

void nat64_host_put(struct nat64_state *st, struct nat64_host *host)
{
	if (--host->refs)
		return;
	nat64_htab_remove(&st->hosts, &host->h);
	prefix_put(st, host->prefix);
	free(host);
}

void nat64_host_count(struct nat64_host *host, int delta)
{
	host->sessions += (uint32_t)delta;
	host->prefix->sessions += (uint32_t)delta;
}

void nat64_host_pair(struct nat64_state *st, struct nat64_host *host,
		     enum config_l4 l4, const struct in_addr *a4)
{
	uint8_t bit = (uint8_t)(1u << l4);

	if (!nat64_pool4_has(&st->pool4, l4, a4))
		return;		/* a static binding outside pool4 */
	if ((host->paired_mask & bit) &&
	    nat64_pool4_has(&st->pool4, l4, &host->paired[l4]))
		return;		/* the host keeps the address it has */
	host->paired[l4] = *a4;
	host->paired_mask |= bit;
}

/* --- a new host-prefix-length: every host moves to its new prefix ------- */

struct regroup {
	struct nat64_state *st;
	int failed;
};

static int regroup_one(struct nat64_hnode *n, void *arg)
{
	struct regroup *r = arg;
	struct nat64_host *host = NAT64_CONTAINER(n, struct nat64_host, h);
	struct nat64_prefix *p = prefix_get(r->st, &host->addr);

	if (!p) {
		r->failed = -1;	/* stays in the old group, counts intact */
		return 0;
	}
	p->sessions += host->sessions;
	host->prefix->sessions -= host->sessions;
	prefix_put(r->st, host->prefix);
	host->prefix = p;
	return 0;
}

int nat64_host_regroup(struct nat64_state *st, uint8_t len)
{
	struct regroup r = { st, 0 };

	if (len == st->prefix_len)
		return 0;
	st->prefix_len = len;
	/* Only the prefix table changes: walking the hosts is safe. */
	nat64_htab_walk(&st->hosts, regroup_one, &r);
	return r.failed;
}
