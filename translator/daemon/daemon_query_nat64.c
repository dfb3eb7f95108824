// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "address query ADDR" in mode nat64 (RFC 6146): an address is not mapped
 * one to one as in SIIT, so the answer says what role it plays.
 *
 *   IPv4 in pool4       rule pool4: lent to IPv6 hosts; its entries, and
 *                       how many bindings use it now (static ones too)
 *   IPv4 of a static    rule bib: IPv4 hosts reach those IPv6 servers
 *   binding only        at it
 *   other IPv4          rule pool6 (or denylist, reserved): an IPv4
 *                       host, reached by IPv6 hosts at its pool6 form
 *   IPv6 under pool6    rule pool6: stands for the IPv4 host it embeds
 *   other IPv6          rule bib (it has bindings: how many, its static
 *                       ones) or none: an IPv6 host, which gets a
 *                       binding from pool4 when it first sends
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "addrmap.h"
#include "daemon_ctl.h"
#include "nat64_state.h"

/* Bindings of one address, per protocol, and its static ones. */
struct dq64_bindings {
	bool is6;
	struct in6_addr a6;
	struct in_addr a4;
	uint64_t n[CONFIG_L4_COUNT];
	uint64_t total, nstatic;
};

static int dq64_count_one(void *arg, const struct nat64_bib *b)
{
	struct dq64_bindings *c = arg;

	if (c->is6 ? memcmp(&b->addr6, &c->a6, sizeof(c->a6))
		   : b->addr4.s_addr != c->a4.s_addr)
		return 0;
	c->n[b->l4]++;
	c->total++;
	c->nstatic += b->is_static;
	return 0;
}

static void dq64_count(const struct daemon *d, bool is6, const void *addr,
		       struct dq64_bindings *c)
{
	struct nat64_state *st = daemon_nat64(d);

	memset(c, 0, sizeof(*c));
	c->is6 = is6;
	memcpy(is6 ? (void *)&c->a6 : (void *)&c->a4, addr,
	       is6 ? sizeof(c->a6) : sizeof(c->a4));
	for (int l4 = 0; l4 < CONFIG_L4_COUNT && st; l4++)
		nat64_bib_walk(st, (enum config_l4)l4, dq64_count_one, c);
}

/* "N bindings (tcp N, udp N, icmp N; K static)". */
static void dq64_bindings_str(const struct dq64_bindings *c, char *buf,
			      size_t len)
{
	snprintf(buf, len, "%" PRIu64 " binding%s now (tcp %" PRIu64
		 ", udp %" PRIu64 ", icmp %" PRIu64 "; %" PRIu64 " static)",
		 c->total, c->total == 1 ? "" : "s", c->n[CONFIG_L4_TCP],
		 c->n[CONFIG_L4_UDP], c->n[CONFIG_L4_ICMP], c->nstatic);
}

/* The pool4 entries holding a4, "tcp 192.0.2.2/32 1-65535, ...". */
static size_t dq64_pool4(const struct config *cfg, const struct in_addr *a4,
			 char *buf, size_t len)
{
	const struct config_nat64 *n = &cfg->nat64;
	char b4[PREFIX4_STRLEN];
	size_t off = 0, found = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n->pool4_count && off < len; i++) {
		if (!prefix4_contains(&n->pool4[i].prefix, a4))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s %s %u-%u",
					found++ ? ", " : "",
					config_l4_name(n->pool4[i].l4),
					prefix4_str(&n->pool4[i].prefix, b4),
					n->pool4[i].port_min,
					n->pool4[i].port_max);
	}
	return found;
}

/* The static bindings of an address, "tcp 192.0.2.2#80 2001:db8::5#80". */
static size_t dq64_static(const struct config *cfg, bool is6,
			  const void *addr, char *buf, size_t len)
{
	const struct config_nat64 *n = &cfg->nat64;
	char b4[INET_ADDRSTRLEN], b6[INET6_ADDRSTRLEN];
	size_t off = 0, found = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n->bib_count && off < len; i++) {
		const struct bib_static_entry *e = &n->bib[i];

		if (is6 ? memcmp(&e->addr6, addr, sizeof(e->addr6))
			: memcmp(&e->addr4, addr, sizeof(e->addr4)))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%sbib %s %s#%u "
					"%s#%u", found++ ? ", " : "",
					config_l4_name(e->l4),
					inet_ntop(AF_INET, &e->addr4, b4,
						  sizeof(b4)), e->port4,
					inet_ntop(AF_INET6, &e->addr6, b6,
						  sizeof(b6)), e->port6);
	}
	return found;
}

static void dq64_v4(struct daemon *d, const struct in_addr *a4,
		    const struct addrmap_explain *ex, struct dq_answer *a)
{
	const struct config *cfg = &d->set->cfg;
	struct dq64_bindings c;
	char n[128], pool6[INET6_ADDRSTRLEN];
	const char *why = NULL;

	if (dq64_pool4(cfg, a4, a->match, sizeof(a->match))) {
		a->rule = "pool4";
		why = "a pool4 address (RFC 6146): lent to IPv6 hosts, who "
		      "appear from it on the IPv4 side";
	} else if (dq64_static(cfg, false, a4, a->match, sizeof(a->match))) {
		a->rule = "bib";
		why = "the IPv4 address of static bindings (RFC 6146 3.5.1): "
		      "IPv4 hosts reach those IPv6 servers at it";
	}
	if (why) {
		dq64_count(d, false, a4, &c);
		dq64_bindings_str(&c, n, sizeof(n));
		snprintf(a->result, sizeof(a->result), "-");
		snprintf(a->reason, sizeof(a->reason), "%s; %s", why, n);
		return;
	}
	if (ex->rule != ADDRMAP_POOL6)
		return;		/* denylist, reserved, no pool6: as in SIIT */
	inet_ntop(AF_INET6, &ex->v6, pool6, sizeof(pool6));
	snprintf(a->reason, sizeof(a->reason), "an IPv4 host: IPv6 hosts "
		 "reach it at %s (pool6, RFC 6052), from a pool4 address",
		 pool6);
}

static void dq64_v6(struct daemon *d, const struct in6_addr *a6,
		    const struct addrmap_explain *ex, struct dq_answer *a)
{
	const struct config *cfg = &d->set->cfg;
	struct dq64_bindings c;
	char n[128], v4[INET_ADDRSTRLEN];

	if (ex->why == ADDRMAP_WHY_POOL6) {
		inet_ntop(AF_INET, &ex->v4, v4, sizeof(v4));
		snprintf(a->reason, sizeof(a->reason), "stands for the IPv4 "
			 "host %s (pool6, RFC 6052): IPv6 hosts reach it from "
			 "a pool4 address", v4);
		return;
	}
	if (ex->why != ADDRMAP_WHY_OUTSIDE && ex->why != ADDRMAP_WHY_NO_POOL6)
		return;		/* under pool6 but denied: as in SIIT */
	dq64_count(d, true, a6, &c);
	dq64_bindings_str(&c, n, sizeof(n));
	snprintf(a->result, sizeof(a->result), "-");
	if (!dq64_static(cfg, true, a6, a->match, sizeof(a->match)))
		snprintf(a->match, sizeof(a->match), "-");
	a->rule = c.total ? "bib" : "none";
	snprintf(a->reason, sizeof(a->reason), "an IPv6 host: it gets a "
		 "binding to a pool4 address and port when it first sends "
		 "to pool6 (RFC 6146 3.5); %s", n);
}

void daemon_query_nat64(struct daemon *d, bool is6, const void *addr,
			const struct addrmap_explain *ex, struct dq_answer *a)
{
	if (is6)
		dq64_v6(d, addr, ex, a);
	else
		dq64_v4(d, addr, ex, a);
}
