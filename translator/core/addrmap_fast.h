/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The word forms of the stateless address mapping, for the fast path
 * (xlat_fast.c), inline: the decisions of addrmap_6to4/addrmap_4to6 in
 * the same order (EAMT first, RFC 7757 section 3; then pool6, RFC 6052
 * with the reserved, non-global and denylist rules of addrmap.c), on
 * addresses read once into words in host order (IPv6 as two 64-bit
 * halves, IPv4 as 32 bits), each through one LPM lookup. The result is
 * written only for ADDRMAP_EAMT and ADDRMAP_POOL6; a pool6 prefix of a
 * length RFC 6052 does not allow (the configuration refuses those) gives
 * ADDRMAP_NONE. test_xlat_fast checks that the fast path built on them
 * translates byte for byte as the general path does, for every RFC 6052
 * prefix length and for EAMT entries.
 */
#ifndef TRANSLATOR_ADDRMAP_FAST_H
#define TRANSLATOR_ADDRMAP_FAST_H

#include <arpa/inet.h>

#include "addrmap.h"
#include "bytes.h"
#include "lpm.h"

/*
 * Inlined into the fast path whatever the compiler's size heuristics say:
 * a call costs more than a lookup that ends at the first byte.
 */
#define ADDRMAP_FAST static inline __attribute__((always_inline))

/* Mask of the h (0..32) low-order bits (host_mask in addrmap.c). */
static inline uint32_t addrmap_host_mask(unsigned int h)
{
	return h >= 32 ? UINT32_MAX : (1u << h) - 1;
}

/*
 * pool6_rule (addrmap.c) for v4 in host order. An address whose first
 * octet starts no reserved range, nor a non-global one under the
 * Well-Known Prefix (addrmap_octet_class), only has the denylist to
 * pass: inline. The others take addrmap_pool6_rule_w.
 */
ADDRMAP_FAST enum addrmap_rule addrmap_pool6_rule_fast(const struct config *cfg,
						      uint32_t v4)
{
	unsigned int o = v4 >> 24;
	unsigned int cls = o >= ADDRMAP_OCTETS_PLAIN ? ADDRMAP_OCT_RESERVED :
						       addrmap_octet_class[o];
	const uint8_t *p = cfg->pool6.addr.s6_addr;
	uint32_t i;

	/* Non-global matters only under pool6_is_wkp: 64:ff9b::/96. */
	if (cls && ((cls & ADDRMAP_OCT_RESERVED) ||
		    (cfg->pool6.len == 96 && rd64(p) == 0x0064ff9b00000000ull &&
		     rd32(p + 8) == 0)))
		return addrmap_pool6_rule_w(cfg, v4);
	if (lpm_lookup4(&cfg->deny4_lpm, v4, &i))
		return ADDRMAP_DENIED;
	return ADDRMAP_POOL6;
}

/* RFC 6052 2.2 Figure 1 on words: the u octet (bits 64-71) is skipped. */
static inline bool rfc6052_extract_w(unsigned int len, uint64_t hi, uint64_t lo,
			      uint32_t *v4)
{
	switch (len) {
	case 32:
		*v4 = (uint32_t)hi;
		return true;
	case 40:
		*v4 = (uint32_t)(hi << 8) | (uint32_t)(lo >> 48 & 0xff);
		return true;
	case 48:
		*v4 = (uint32_t)(hi << 16) | (uint32_t)(lo >> 40 & 0xffff);
		return true;
	case 56:
		*v4 = (uint32_t)(hi << 24) | (uint32_t)(lo >> 32 & 0xffffff);
		return true;
	case 64:
		*v4 = (uint32_t)(lo >> 24);
		return true;
	case 96:
		*v4 = (uint32_t)lo;
		return true;
	}
	return false;
}

/* The prefix's bytes where v4 goes are replaced, as rfc6052_embed does. */
static inline bool rfc6052_embed_w(const struct prefix6 *p, uint32_t v4,
			    uint64_t *hi, uint64_t *lo)
{
	uint64_t h = rd64(p->addr.s6_addr), l = rd64(p->addr.s6_addr + 8);

	switch (p->len) {
	case 32:
		h = (h & ~0xffffffffull) | v4;
		break;
	case 40:
		h = (h & ~0xffffffull) | v4 >> 8;
		l = (l & ~(0xffull << 48)) | (uint64_t)(v4 & 0xff) << 48;
		break;
	case 48:
		h = (h & ~0xffffull) | v4 >> 16;
		l = (l & ~(0xffffull << 40)) | (uint64_t)(v4 & 0xffff) << 40;
		break;
	case 56:
		h = (h & ~0xffull) | v4 >> 24;
		l = (l & ~(0xffffffull << 32)) |
		    (uint64_t)(v4 & 0xffffff) << 32;
		break;
	case 64:
		l = (l & ~(0xffffffffull << 24)) | (uint64_t)v4 << 24;
		break;
	case 96:
		l = (l & ~0xffffffffull) | v4;
		break;
	default:
		return false;
	}
	*hi = h;
	*lo = l;
	return true;
}

ADDRMAP_FAST enum addrmap_rule addrmap_6to4_w(const struct config *cfg, uint64_t hi,
				 uint64_t lo, uint32_t *v4)
{
	const struct eamt_entry *e;
	unsigned int h4, start;
	enum addrmap_rule rule;
	uint32_t i, suffix = 0, a;
	uint64_t w;

	if (lpm_lookup6(&cfg->eamt6_lpm, hi, lo, &i)) {
		/* eamt_6to4: the h4 bits that follow p6 (RFC 7757 3.2). */
		e = &cfg->eamt[i];
		h4 = 32u - e->p4.len;
		start = e->p6.len;
		if (h4) {
			w = addrmap_bits_from(hi, lo, start);
			suffix = (uint32_t)(w >> (64u - h4)) & addrmap_host_mask(h4);
		}
		*v4 = ntohl(e->p4.addr.s_addr) | suffix;
		return ADDRMAP_EAMT;
	}
	if (!cfg->pool6_set)
		return ADDRMAP_NONE;
	/* Lengths RFC 6052 allows only (32..96), so the shifts stay below 64. */
	if (!rfc6052_extract_w(cfg->pool6.len, hi, lo, &a))
		return ADDRMAP_NONE;
	w = rd64(cfg->pool6.addr.s6_addr);
	if (cfg->pool6.len <= 64) {
		if ((hi ^ w) >> (64u - cfg->pool6.len))
			return ADDRMAP_NONE;
	} else if (hi != w || (lo ^ rd64(cfg->pool6.addr.s6_addr + 8)) >>
				      (128u - cfg->pool6.len)) {
		return ADDRMAP_NONE;
	}
	rule = addrmap_pool6_rule_fast(cfg, a);
	if (rule == ADDRMAP_POOL6)
		*v4 = a;
	return rule;
}

ADDRMAP_FAST enum addrmap_rule addrmap_4to6_w(const struct config *cfg, uint32_t v4,
				 uint64_t *hi, uint64_t *lo)
{
	const struct eamt_entry *e;
	enum addrmap_rule rule;
	unsigned int h4, start;
	uint64_t top, h, l;
	uint32_t i;

	if (lpm_lookup4(&cfg->eamt4_lpm, v4, &i)) {
		/* eamt_4to6: the IPv4 suffix right after p6 (bits6_or). */
		e = &cfg->eamt[i];
		h = rd64(e->p6.addr.s6_addr);
		l = rd64(e->p6.addr.s6_addr + 8);
		h4 = 32u - e->p4.len;
		start = e->p6.len;
		if (h4) {
			top = (uint64_t)(v4 & addrmap_host_mask(h4)) << (64u - h4);
			addrmap_bits_or(&h, &l, start, top);
		}
		*hi = h;
		*lo = l;
		return ADDRMAP_EAMT;
	}
	if (!cfg->pool6_set)
		return ADDRMAP_NONE;
	rule = addrmap_pool6_rule_fast(cfg, v4);
	if (rule == ADDRMAP_POOL6 && !rfc6052_embed_w(&cfg->pool6, v4, hi, lo))
		return ADDRMAP_NONE;
	return rule;
}

#endif
