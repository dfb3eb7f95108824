// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stateless address mapping: RFC 7915 section 6 lets the translator use
 * both the RFC 7757 EAMT and the RFC 6052 prefix (pool6); RFC 7757 section
 * 3 says the EAMT is consulted first. Lookups never allocate, so they can
 * run per packet.
 */
#include <arpa/inet.h>
#include <string.h>

#include "addrmap.h"
#include "bytes.h"

static const char *const rule_names[] = {
	[ADDRMAP_NONE] = "none",
	[ADDRMAP_EAMT] = "eamt",
	[ADDRMAP_POOL6] = "pool6",
	[ADDRMAP_DENIED] = "denylist",
	[ADDRMAP_NON_GLOBAL] = "non-global",
};

const char *addrmap_rule_name(enum addrmap_rule rule)
{
	if ((size_t)rule >= sizeof(rule_names) / sizeof(rule_names[0]))
		return "?";
	return rule_names[rule];
}

static const char *const why_names[] = {
	[ADDRMAP_WHY_EAMT] = "eamt",
	[ADDRMAP_WHY_POOL6] = "pool6",
	[ADDRMAP_WHY_DENYLIST] = "denylist",
	[ADDRMAP_WHY_RESERVED] = "reserved",
	[ADDRMAP_WHY_NON_GLOBAL] = "non-global",
	[ADDRMAP_WHY_OUTSIDE] = "outside-pool6",
	[ADDRMAP_WHY_NO_POOL6] = "no-pool6",
};

const char *addrmap_why_name(enum addrmap_why why)
{
	if ((size_t)why >= sizeof(why_names) / sizeof(why_names[0]))
		return "?";
	return why_names[why];
}

/* An IPv4 range, host order, compared under its mask; first match wins. */
struct range4 {
	uint32_t net;
	uint32_t mask;
	bool global;		/* an exception inside a later range */
	const char *what;
};

static const struct range4 *range4_find(const struct range4 *r, size_t n,
					const struct in_addr *a)
{
	uint32_t h = ntohl(a->s_addr);

	for (size_t i = 0; i < n; i++)
		if ((h & r[i].mask) == r[i].net)
			return &r[i];
	return NULL;
}

/*
 * IPv4 ranges no IPv4-embedded IPv6 address may stand for, whatever the
 * prefix: "this network" (RFC 1122 section 3.2.1.3), loopback (RFC 1122
 * section 3.2.1.3), link local (RFC 3927), multicast (RFC 5771) and
 * limited broadcast (RFC 919).
 */
static const struct range4 reserved4[] = {
	{ 0x00000000, 0xff000000, false,
	  "0.0.0.0/8, \"this network\" (RFC 1122 section 3.2.1.3)" },
	{ 0x7f000000, 0xff000000, false,
	  "127.0.0.0/8, loopback (RFC 1122 section 3.2.1.3)" },
	{ 0xa9fe0000, 0xffff0000, false,
	  "169.254.0.0/16, link local (RFC 3927)" },
	{ 0xe0000000, 0xf0000000, false, "224.0.0.0/4, multicast (RFC 5771)" },
	{ 0xffffffff, 0xffffffff, false,
	  "255.255.255.255/32, limited broadcast (RFC 919)" },
};

/*
 * RFC 6052 section 3.1: the Well-Known Prefix "MUST NOT be used to
 * represent non-global IPv4 addresses" and translators "MUST drop" packets
 * with such an address. Non-global: the blocks of the IANA IPv4
 * Special-Purpose Address Registry (RFC 6890 section 2.2.2 and its
 * updates) whose "Globally Reachable" is False, besides reserved4 above.
 * Not listed, being globally reachable: 192.31.196.0/24 (AS112, RFC
 * 7535), 192.52.193.0/24 (AMT, RFC 7450), 192.175.48.0/24 (AS112, RFC
 * 7534), and 192.88.99.0/24, whose 6to4 relay anycast RFC 7526 deprecated
 * without making the addresses non-global (denylist4 can still take it).
 */
static const struct range4 nonglobal4[] = {
	{ 0x0a000000, 0xff000000, false, "10.0.0.0/8, private use (RFC 1918)" },
	{ 0x64400000, 0xffc00000, false,
	  "100.64.0.0/10, shared address space (RFC 6598)" },
	{ 0xac100000, 0xfff00000, false,
	  "172.16.0.0/12, private use (RFC 1918)" },
	{ 0xc0000009, 0xffffffff, true,
	  "192.0.0.9/32, PCP anycast (RFC 7723)" },
	{ 0xc000000a, 0xffffffff, true,
	  "192.0.0.10/32, TURN anycast (RFC 8155)" },
	{ 0xc0000000, 0xffffff00, false,
	  "192.0.0.0/24, IETF protocol assignments (RFC 6890 section 2.1)" },
	{ 0xc0000200, 0xffffff00, false,
	  "192.0.2.0/24, documentation TEST-NET-1 (RFC 5737)" },
	{ 0xc0a80000, 0xffff0000, false,
	  "192.168.0.0/16, private use (RFC 1918)" },
	{ 0xc6120000, 0xfffe0000, false,
	  "198.18.0.0/15, benchmarking (RFC 2544)" },
	{ 0xc6336400, 0xffffff00, false,
	  "198.51.100.0/24, documentation TEST-NET-2 (RFC 5737)" },
	{ 0xcb007100, 0xffffff00, false,
	  "203.0.113.0/24, documentation TEST-NET-3 (RFC 5737)" },
	{ 0xf0000000, 0xf0000000, false,
	  "240.0.0.0/4, reserved (RFC 1112 section 4)" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *reserved_range4(const struct in_addr *a)
{
	const struct range4 *r = range4_find(reserved4, NELEM(reserved4), a);

	return r ? r->what : NULL;
}

/* 64:ff9b::/96 (RFC 6052 section 2.1), not the RFC 8215 local-use one. */
static bool pool6_is_wkp(const struct config *cfg)
{
	const uint8_t *p = cfg->pool6.addr.s6_addr;

	return cfg->pool6_set && cfg->pool6.len == 96 &&
	       rd64(p) == 0x0064ff9b00000000ull && rd32(p + 8) == 0;
}

/* The non-global range pool6 may not embed a in, or NULL. */
static const char *wkp_refused(const struct config *cfg,
			       const struct in_addr *a)
{
	const struct range4 *r;

	if (!pool6_is_wkp(cfg) || cfg->wkp_allow_non_global)
		return NULL;
	r = range4_find(nonglobal4, NELEM(nonglobal4), a);
	if (r)
		return r->global ? NULL : r->what;
	r = range4_find(reserved4, NELEM(reserved4), a);
	return r ? r->what : NULL;
}

bool addrmap_pool6_allows(const struct config *cfg, const struct in_addr *a)
{
	return !wkp_refused(cfg, a);
}

/*
 * Whether pool6 may carry the IPv4 address (both directions): POOL6, or
 * the rule that refuses it with the reason recorded in ex. The reserved
 * ranges first (any prefix), then the Well-Known Prefix's restriction,
 * then the operator's denylist.
 */
static enum addrmap_rule pool6_verdict(const struct config *cfg,
				       const struct in_addr *a,
				       struct addrmap_explain *ex)
{
	uint32_t i;

	ex->reserved = reserved_range4(a);
	if (ex->reserved) {
		ex->why = ADDRMAP_WHY_RESERVED;
		return ADDRMAP_DENIED;
	}
	ex->reserved = wkp_refused(cfg, a);
	if (ex->reserved) {
		ex->why = ADDRMAP_WHY_NON_GLOBAL;
		return ADDRMAP_NON_GLOBAL;
	}
	if (lpm_lookup(&cfg->deny4_lpm, &a->s_addr, &i, NULL)) {
		ex->why = ADDRMAP_WHY_DENYLIST;
		ex->entry = i;
		return ADDRMAP_DENIED;
	}
	return ADDRMAP_POOL6;
}

/*
 * Longest prefix match in each direction (RFC 7757 section 3.2): the
 * entries may overlap, and the two tries answer in O(address bits)
 * whatever the size of the table.
 */
static const struct eamt_entry *eamt_find6(const struct config *cfg,
					   const struct in6_addr *a,
					   size_t *index)
{
	uint32_t i;

	if (!lpm_lookup(&cfg->eamt6_lpm, a->s6_addr, &i, NULL))
		return NULL;
	*index = i;
	return &cfg->eamt[i];
}

static const struct eamt_entry *eamt_find4(const struct config *cfg,
					   const struct in_addr *a,
					   size_t *index)
{
	uint32_t i;

	if (!lpm_lookup(&cfg->eamt4_lpm, &a->s_addr, &i, NULL))
		return NULL;
	*index = i;
	return &cfg->eamt[i];
}

/*
 * Mask of the h (0..32) low-order host bits, in host order. 32 is special
 * because shifting a 32-bit value by 32 is undefined.
 */
static uint32_t host_mask(unsigned int h)
{
	return h >= 32 ? UINT32_MAX : (1u << h) - 1;
}

/*
 * The n (1..32) bits of a from bit start on (0: the most significant;
 * start + n <= 128), as a number.
 */
static uint32_t bits6_get(const struct in6_addr *a, unsigned int start,
			  unsigned int n)
{
	uint64_t w = addrmap_bits_from(rd64(a->s6_addr),
				       rd64(a->s6_addr + 8), start);

	return (uint32_t)(w >> (64u - n));
}

/* ORs the n (1..32) low bits of v into a from bit start on. */
static void bits6_or(struct in6_addr *a, unsigned int start, unsigned int n,
		     uint32_t v)
{
	uint64_t top = (uint64_t)v << (64u - n);	/* v's bits first */
	uint64_t hi = rd64(a->s6_addr), lo = rd64(a->s6_addr + 8);

	addrmap_bits_or(&hi, &lo, start, top);
	wr64(a->s6_addr, hi);
	wr64(a->s6_addr + 8, lo);
}

/*
 * RFC 7757 section 3.2: the IPv4 suffix (the h4 = 32 - p4.len bits after
 * the IPv4 prefix) follows the IPv6 prefix directly; the IPv6 suffix may
 * be longer, and its bits past the IPv4 suffix are zero one way and
 * ignored the other. With equal lengths the suffix is simply the last h4
 * bits. So from IPv6: the h4 bits that follow p6.
 */
static void eamt_6to4(const struct eamt_entry *e, const struct in6_addr *in,
		      struct in_addr *out)
{
	unsigned int h4 = 32u - e->p4.len;
	uint32_t suffix = h4 ? bits6_get(in, e->p6.len, h4) : 0;

	out->s_addr = htonl(ntohl(e->p4.addr.s_addr) | (suffix & host_mask(h4)));
}

static void eamt_4to6(const struct eamt_entry *e, const struct in_addr *in,
		      struct in6_addr *out)
{
	unsigned int h4 = 32u - e->p4.len;

	*out = e->p6.addr;
	if (h4)
		bits6_or(out, e->p6.len, h4, ntohl(in->s_addr) & host_mask(h4));
}

static enum addrmap_rule explain_set(struct addrmap_explain *ex,
				     enum addrmap_rule rule,
				     enum addrmap_why why)
{
	ex->rule = rule;
	ex->why = why;
	return rule;
}

enum addrmap_rule addrmap_explain_6to4(const struct config *cfg,
				       const struct in6_addr *in,
				       struct addrmap_explain *ex)
{
	const struct eamt_entry *e;
	enum addrmap_rule rule;

	memset(ex, 0, sizeof(*ex));
	ex->v6 = *in;
	e = eamt_find6(cfg, in, &ex->entry);
	if (e) {
		eamt_6to4(e, in, &ex->v4);
		return explain_set(ex, ADDRMAP_EAMT, ADDRMAP_WHY_EAMT);
	}
	if (!cfg->pool6_set)
		return explain_set(ex, ADDRMAP_NONE, ADDRMAP_WHY_NO_POOL6);
	if (!prefix6_contains(&cfg->pool6, in))
		return explain_set(ex, ADDRMAP_NONE, ADDRMAP_WHY_OUTSIDE);
	rfc6052_extract(&cfg->pool6, in, &ex->v4);
	rule = pool6_verdict(cfg, &ex->v4, ex);
	return explain_set(ex, rule, rule == ADDRMAP_POOL6 ?
				     ADDRMAP_WHY_POOL6 : ex->why);
}

enum addrmap_rule addrmap_explain_4to6(const struct config *cfg,
				       const struct in_addr *in,
				       struct addrmap_explain *ex)
{
	const struct eamt_entry *e;
	enum addrmap_rule rule;

	memset(ex, 0, sizeof(*ex));
	ex->v4 = *in;
	e = eamt_find4(cfg, in, &ex->entry);
	if (e) {
		eamt_4to6(e, in, &ex->v6);
		return explain_set(ex, ADDRMAP_EAMT, ADDRMAP_WHY_EAMT);
	}
	if (!cfg->pool6_set)
		return explain_set(ex, ADDRMAP_NONE, ADDRMAP_WHY_NO_POOL6);
	rule = pool6_verdict(cfg, in, ex);
	if (rule != ADDRMAP_POOL6)
		return explain_set(ex, rule, ex->why);
	rfc6052_embed(&cfg->pool6, in, &ex->v6);
	return explain_set(ex, ADDRMAP_POOL6, ADDRMAP_WHY_POOL6);
}

/*
 * The first octets the ranges of reserved4 (0, 127, 169, 224-255) and of
 * nonglobal4 besides (10, 100, 172, 192, 198, 203, 240-255) start with:
 * an address with another one is in none, and the per-packet path skips
 * the scans (test_addrmap_octets compares with them for every octet).
 * wkp_refused scans both tables, hence OCT_NONGLOBAL on the reserved.
 */
#define OCT_RESERVED ADDRMAP_OCT_RESERVED
#define OCT_NONGLOBAL ADDRMAP_OCT_NONGLOBAL

const uint8_t addrmap_octet_class[ADDRMAP_OCTETS_PLAIN] = {
	[0] = OCT_RESERVED | OCT_NONGLOBAL,
	[10] = OCT_NONGLOBAL,
	[100] = OCT_NONGLOBAL,
	[127] = OCT_RESERVED | OCT_NONGLOBAL,
	[169] = OCT_RESERVED | OCT_NONGLOBAL,
	[172] = OCT_NONGLOBAL,
	[192] = OCT_NONGLOBAL,
	[198] = OCT_NONGLOBAL,
	[203] = OCT_NONGLOBAL,
};

static unsigned int octet_classify(uint8_t o)
{
	return o >= ADDRMAP_OCTETS_PLAIN ? OCT_RESERVED | OCT_NONGLOBAL :
					   addrmap_octet_class[o];
}

/*
 * The per-packet forms take the decisions of the explain forms above, in
 * the same order, without recording why: no explanation to clear and
 * copy, no reason looked up (test_addrmap checks that both agree).
 */
static enum addrmap_rule pool6_rule(const struct config *cfg,
				    const struct in_addr *a)
{
	unsigned int oc = octet_classify(((const uint8_t *)&a->s_addr)[0]);
	uint32_t i;

	if ((oc & OCT_RESERVED) && reserved_range4(a))
		return ADDRMAP_DENIED;
	if ((oc & OCT_NONGLOBAL) && pool6_is_wkp(cfg) && wkp_refused(cfg, a))
		return ADDRMAP_NON_GLOBAL;
	if (lpm_lookup(&cfg->deny4_lpm, &a->s_addr, &i, NULL))
		return ADDRMAP_DENIED;
	return ADDRMAP_POOL6;
}

enum addrmap_rule addrmap_6to4(const struct config *cfg,
			       const struct in6_addr *in, struct in_addr *out,
			       size_t *entry)
{
	const struct eamt_entry *e;
	enum addrmap_rule rule;
	struct in_addr v4;
	size_t i;

	e = eamt_find6(cfg, in, &i);
	if (e) {
		eamt_6to4(e, in, out);
		if (entry)
			*entry = i;
		return ADDRMAP_EAMT;
	}
	/* prefix6_contains, inline: it runs for every packet from IPv6. */
	if (!cfg->pool6_set || !same_prefix128(cfg->pool6.addr.s6_addr,
					       in->s6_addr, cfg->pool6.len))
		return ADDRMAP_NONE;
	rfc6052_extract(&cfg->pool6, in, &v4);
	rule = pool6_rule(cfg, &v4);
	if (rule == ADDRMAP_POOL6)
		*out = v4;
	return rule;
}

enum addrmap_rule addrmap_4to6(const struct config *cfg,
			       const struct in_addr *in, struct in6_addr *out,
			       size_t *entry)
{
	const struct eamt_entry *e;
	enum addrmap_rule rule;
	size_t i;

	e = eamt_find4(cfg, in, &i);
	if (e) {
		eamt_4to6(e, in, out);
		if (entry)
			*entry = i;
		return ADDRMAP_EAMT;
	}
	if (!cfg->pool6_set)
		return ADDRMAP_NONE;
	rule = pool6_rule(cfg, in);
	if (rule == ADDRMAP_POOL6)
		rfc6052_embed(&cfg->pool6, in, out);
	return rule;
}

/* pool6_rule for an IPv4 address in host order (addrmap_fast.c). */
enum addrmap_rule addrmap_pool6_rule_w(const struct config *cfg, uint32_t v4)
{
	struct in_addr a = { .s_addr = htonl(v4) };

	return pool6_rule(cfg, &a);
}

/*
 * Whether in has an EAMT entry (RFC 7757), without mapping it: the cheap
 * first question of the hairpinning check.
 */
bool addrmap_eamt_has4(const struct config *cfg, const struct in_addr *in)
{
	uint32_t i;

	return lpm_lookup(&cfg->eamt4_lpm, &in->s_addr, &i, NULL);
}

/*
 * RFC 6791 leaves the choice of address inside the pool to the
 * translator: the caller's value (random, or the hop limit, see
 * xlat_64.c) modulo the pool's size picks it.
 */
int addrmap_rfc6791_v4(const struct config *cfg, uint32_t hash,
		       struct in_addr *out)
{
	uint32_t mask;

	if (!cfg->rfc6791v4_set)
		return -1;
	mask = host_mask(32u - cfg->rfc6791v4.len);
	out->s_addr = htonl(ntohl(cfg->rfc6791v4.addr.s_addr) | (hash & mask));
	return 0;
}

/*
 * Only the last 32 bits are varied: a 32-bit hash cannot spread further,
 * and 2^32 addresses are plenty.
 */
int addrmap_rfc6791_v6(const struct config *cfg, uint32_t hash,
		       struct in6_addr *out)
{
	unsigned int host = 128u - cfg->rfc6791v6.len;
	uint32_t low;

	if (!cfg->rfc6791v6_set)
		return -1;
	*out = cfg->rfc6791v6.addr;
	memcpy(&low, &out->s6_addr[12], sizeof(low));
	low = htonl(ntohl(low) | (hash & host_mask(host > 32 ? 32 : host)));
	memcpy(&out->s6_addr[12], &low, sizeof(low));
	return 0;
}
