/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stateless address mapping (RFC 7915 section 6 with RFC 6052 and RFC 7757):
 * the EAMT is tried first, by longest prefix match, then pool6. The
 * IPv4 denylist, the ranges that must never be translated and, under the
 * Well-Known Prefix, the non-global ranges (RFC 6052 section 3.1) apply
 * to pool6 only (an explicit EAMT entry is the operator's own choice).
 */
#ifndef TRANSLATOR_ADDRMAP_H
#define TRANSLATOR_ADDRMAP_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "config.h"

/*
 * The 64 bits of the 128-bit address hi:lo from bit start on (0: the
 * most significant; start < 128), zero-filled: where an RFC 7757 suffix
 * or an RFC 6052 field starts. One copy for the general and the fast
 * path.
 */
static inline uint64_t addrmap_bits_from(uint64_t hi, uint64_t lo,
					 unsigned int start)
{
	if (start >= 64)
		return lo << (start - 64u);
	if (start)
		return hi << start | lo >> (64u - start);
	return hi;
}

/* ORs top (its bits first) into the address hi:lo from bit start on. */
static inline void addrmap_bits_or(uint64_t *hi, uint64_t *lo,
				   unsigned int start, uint64_t top)
{
	if (start >= 64) {
		*lo |= top >> (start - 64u);
	} else {
		*hi |= top >> start;
		if (start)
			*lo |= top << (64u - start);
	}
}

enum addrmap_rule {
	ADDRMAP_NONE,		/* no rule maps this address */
	ADDRMAP_EAMT,		/* mapped by an EAMT entry */
	ADDRMAP_POOL6,		/* mapped by the RFC 6052 prefix */
	ADDRMAP_DENIED,		/* would map by pool6, but denylisted/reserved */
	ADDRMAP_NON_GLOBAL,	/* would map by pool6 64:ff9b::/96, but the
				 * IPv4 address is not global (RFC 6052 3.1) */
};

/* Human name of a rule ("eamt", "pool6", "denylist", "non-global", ...). */
const char *addrmap_rule_name(enum addrmap_rule rule);

/* Why an address maps the way it does (what `transctl address query` says). */
enum addrmap_why {
	ADDRMAP_WHY_EAMT,	/* EAMT entry ex->entry */
	ADDRMAP_WHY_POOL6,	/* RFC 6052 under pool6 */
	ADDRMAP_WHY_DENYLIST,	/* pool6 would map it; denylist4 entry ex->entry */
	ADDRMAP_WHY_RESERVED,	/* pool6 would map it; reserved (ex->reserved) */
	ADDRMAP_WHY_NON_GLOBAL,	/* pool6 is 64:ff9b::/96 and the IPv4 address
				 * is in the non-global range ex->reserved */
	ADDRMAP_WHY_OUTSIDE,	/* IPv6 outside pool6, in no EAMT entry */
	ADDRMAP_WHY_NO_POOL6,	/* in no EAMT entry, and no pool6 configured */
};

struct addrmap_explain {
	enum addrmap_rule rule;
	enum addrmap_why why;
	size_t entry;		/* index in cfg->eamt or cfg->denylist4 */
	const char *reserved;	/* the reserved or non-global range, its use
				 * and its RFC */
	/*
	 * Both sides of the mapping: the input and, for EAMT and POOL6, the
	 * result. For DENYLIST and RESERVED from IPv6, v4 holds the address
	 * pool6 embeds (NON_GLOBAL too). Otherwise the other side is all
	 * zeroes.
	 */
	struct in_addr v4;
	struct in6_addr v6;
};

/* Short name of a reason ("eamt", "pool6", "denylist", "reserved", ...). */
const char *addrmap_why_name(enum addrmap_why why);

/*
 * The mapping of one address and the rule behind it, computed by the very
 * code the translation uses (addrmap_6to4/4to6 are built on these). Pure:
 * no allocation, no state. Returns ex->rule.
 */
enum addrmap_rule addrmap_explain_6to4(const struct config *cfg,
				       const struct in6_addr *in,
				       struct addrmap_explain *ex);
enum addrmap_rule addrmap_explain_4to6(const struct config *cfg,
				       const struct in_addr *in,
				       struct addrmap_explain *ex);

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
 * The pool6 rules (reserved, non-global, denylist) for v4 in host order,
 * for the fast path (addrmap_fast.h), with the classes of first octets
 * that tell it when they need more than the denylist: octets from
 * ADDRMAP_OCTETS_PLAIN on are all reserved.
 */
enum addrmap_rule addrmap_pool6_rule_w(const struct config *cfg, uint32_t v4);

enum {
	ADDRMAP_OCT_RESERVED = 1,	/* starts a reserved range */
	ADDRMAP_OCT_NONGLOBAL = 2,	/* starts one not global (RFC 6052 3.1) */
	ADDRMAP_OCTETS_PLAIN = 224,
};

extern const uint8_t addrmap_octet_class[ADDRMAP_OCTETS_PLAIN];

/* Whether an EAMT entry holds the IPv4 address in (no mapping done). */
bool addrmap_eamt_has4(const struct config *cfg, const struct in_addr *in);

/*
 * Whether pool6 may embed a at all: false when pool6 is the Well-Known
 * Prefix 64:ff9b::/96, a is not a global address and wkp-allow-non-global
 * is off (RFC 6052 section 3.1). For the places that embed an IPv4
 * address directly (hairpinning, the sources of translated ICMP errors);
 * addrmap_4to6 applies it itself.
 */
bool addrmap_pool6_allows(const struct config *cfg, const struct in_addr *a);

/*
 * RFC 6791: a source for an ICMP error whose original source cannot be
 * translated. Picks the address of the configured pool whose index is
 * hash modulo the pool's size (the v6 pool: its last 32 bits). Returns 0, or -1 when no pool is
 * configured (the caller then uses the translator's own address).
 */
int addrmap_rfc6791_v4(const struct config *cfg, uint32_t hash,
		       struct in_addr *out);
int addrmap_rfc6791_v6(const struct config *cfg, uint32_t hash,
		       struct in6_addr *out);

#endif
