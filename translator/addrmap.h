/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stateless address mapping (RFC 7915 section 6 with RFC 6052 and RFC 7757):
 * the EAMT is tried first, by longest prefix match, then pool6. The
 * IPv4 denylist and the ranges that must never be translated apply to
 * pool6 only (an explicit EAMT entry is the operator's own choice).
 */
#ifndef TRANSLATOR_ADDRMAP_H
#define TRANSLATOR_ADDRMAP_H

#include <stdint.h>
#include <netinet/in.h>

#include "config.h"

enum addrmap_rule {
	ADDRMAP_NONE,		/* no rule maps this address */
	ADDRMAP_EAMT,		/* mapped by an EAMT entry */
	ADDRMAP_POOL6,		/* mapped by the RFC 6052 prefix */
	ADDRMAP_DENIED,		/* would map by pool6, but denylisted/reserved */
};

/* Human name of a rule ("eamt", "pool6", "denylist", "none"). */
const char *addrmap_rule_name(enum addrmap_rule rule);

/*
 * Translates one address. Returns the rule that applied; *out is written
 * only for ADDRMAP_EAMT and ADDRMAP_POOL6. When entry is non-NULL and the
 * rule is ADDRMAP_EAMT it receives the index of the EAMT entry used.
 */
enum addrmap_rule addrmap_6to4(const struct config *cfg,
			       const struct in6_addr *in, struct in_addr *out,
			       size_t *entry);
enum addrmap_rule addrmap_4to6(const struct config *cfg,
			       const struct in_addr *in, struct in6_addr *out,
			       size_t *entry);

/*
 * RFC 6791: a source for an ICMP error whose original source cannot be
 * translated. Picks an address of the configured pool, spread by hash
 * (any value derived from the packet). Returns 0, or -1 when no pool is
 * configured (the caller then uses the translator's own address).
 */
int addrmap_rfc6791_v4(const struct config *cfg, uint32_t hash,
		       struct in_addr *out);
int addrmap_rfc6791_v6(const struct config *cfg, uint32_t hash,
		       struct in6_addr *out);

#endif
