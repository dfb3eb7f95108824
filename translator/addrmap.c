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

static const char *const rule_names[] = {
	[ADDRMAP_NONE] = "none",
	[ADDRMAP_EAMT] = "eamt",
	[ADDRMAP_POOL6] = "pool6",
	[ADDRMAP_DENIED] = "denylist",
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
	[ADDRMAP_WHY_OUTSIDE] = "outside-pool6",
	[ADDRMAP_WHY_NO_POOL6] = "no-pool6",
};

const char *addrmap_why_name(enum addrmap_why why)
{
	if ((size_t)why >= sizeof(why_names) / sizeof(why_names[0]))
		return "?";
	return why_names[why];
}

/*
 * IPv4 ranges no IPv4-embedded IPv6 address may stand for: "this network"
 * (RFC 1122 section 3.2.1.3), loopback (RFC 1122 section 3.2.1.3), link
 * local (RFC 3927), multicast (RFC 5771) and limited broadcast (RFC 919).
 * Host order, compared under a mask.
 */
static const struct {
	uint32_t net;
	uint32_t mask;
	const char *what;
} reserved4[] = {
	{ 0x00000000, 0xff000000,
	  "0.0.0.0/8, \"this network\" (RFC 1122 section 3.2.1.3)" },
	{ 0x7f000000, 0xff000000,
	  "127.0.0.0/8, loopback (RFC 1122 section 3.2.1.3)" },
	{ 0xa9fe0000, 0xffff0000, "169.254.0.0/16, link local (RFC 3927)" },
	{ 0xe0000000, 0xf0000000, "224.0.0.0/4, multicast (RFC 5771)" },
	{ 0xffffffff, 0xffffffff,
	  "255.255.255.255/32, limited broadcast (RFC 919)" },
};

static const char *reserved_range4(const struct in_addr *a)
{
	uint32_t h = ntohl(a->s_addr);

	for (size_t i = 0; i < sizeof(reserved4) / sizeof(reserved4[0]); i++)
		if ((h & reserved4[i].mask) == reserved4[i].net)
			return reserved4[i].what;
	return NULL;
}

/*
 * Whether pool6 must refuse the IPv4 address (both directions); if so,
 * records why in ex.
 */
static bool is_denied4(const struct config *cfg, const struct in_addr *a,
		       struct addrmap_explain *ex)
{
	ex->reserved = reserved_range4(a);
	if (ex->reserved) {
		ex->why = ADDRMAP_WHY_RESERVED;
		return true;
	}
	for (size_t i = 0; i < cfg->denylist4_count; i++) {
		if (prefix4_contains(&cfg->denylist4[i], a)) {
			ex->why = ADDRMAP_WHY_DENYLIST;
			ex->entry = i;
			return true;
		}
	}
	return false;
}

/*
 * Longest prefix match. A linear scan is fine for the small tables an SIIT
 * usually has; a trie would replace it if tables grow to thousands of
 * entries. Ties cannot happen in tables built by the config parser (it
 * refuses overlaps), so the first of equal lengths wins.
 */
static const struct eamt_entry *eamt_find6(const struct config *cfg,
					   const struct in6_addr *a,
					   size_t *index)
{
	const struct eamt_entry *best = NULL;

	for (size_t i = 0; i < cfg->eamt_count; i++) {
		const struct eamt_entry *e = &cfg->eamt[i];

		if (prefix6_contains(&e->p6, a) &&
		    (!best || e->p6.len > best->p6.len)) {
			best = e;
			*index = i;
		}
	}
	return best;
}

static const struct eamt_entry *eamt_find4(const struct config *cfg,
					   const struct in_addr *a,
					   size_t *index)
{
	const struct eamt_entry *best = NULL;

	for (size_t i = 0; i < cfg->eamt_count; i++) {
		const struct eamt_entry *e = &cfg->eamt[i];

		if (prefix4_contains(&e->p4, a) &&
		    (!best || e->p4.len > best->p4.len)) {
			best = e;
			*index = i;
		}
	}
	return best;
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
 * RFC 7757 section 3: the output is the entry's other prefix with the
 * input's suffix copied in. Equal host bit counts (a config invariant)
 * mean that suffix is at most 32 bits, i.e. the last word of the IPv6
 * address.
 */
static void eamt_6to4(const struct eamt_entry *e, const struct in6_addr *in,
		      struct in_addr *out)
{
	uint32_t mask = host_mask(32u - e->p4.len);
	uint32_t low;

	memcpy(&low, &in->s6_addr[12], sizeof(low));
	out->s_addr = htonl(ntohl(e->p4.addr.s_addr) | (ntohl(low) & mask));
}

static void eamt_4to6(const struct eamt_entry *e, const struct in_addr *in,
		      struct in6_addr *out)
{
	uint32_t mask = host_mask(128u - e->p6.len);
	uint32_t low;

	*out = e->p6.addr;
	memcpy(&low, &out->s6_addr[12], sizeof(low));
	low = htonl(ntohl(low) | (ntohl(in->s_addr) & mask));
	memcpy(&out->s6_addr[12], &low, sizeof(low));
}

static bool addrmap_mapped(enum addrmap_rule rule)
{
	return rule == ADDRMAP_EAMT || rule == ADDRMAP_POOL6;
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
	if (is_denied4(cfg, &ex->v4, ex))
		return explain_set(ex, ADDRMAP_DENIED, ex->why);
	return explain_set(ex, ADDRMAP_POOL6, ADDRMAP_WHY_POOL6);
}

enum addrmap_rule addrmap_explain_4to6(const struct config *cfg,
				       const struct in_addr *in,
				       struct addrmap_explain *ex)
{
	const struct eamt_entry *e;

	memset(ex, 0, sizeof(*ex));
	ex->v4 = *in;
	e = eamt_find4(cfg, in, &ex->entry);
	if (e) {
		eamt_4to6(e, in, &ex->v6);
		return explain_set(ex, ADDRMAP_EAMT, ADDRMAP_WHY_EAMT);
	}
	if (!cfg->pool6_set)
		return explain_set(ex, ADDRMAP_NONE, ADDRMAP_WHY_NO_POOL6);
	if (is_denied4(cfg, in, ex))
		return explain_set(ex, ADDRMAP_DENIED, ex->why);
	rfc6052_embed(&cfg->pool6, in, &ex->v6);
	return explain_set(ex, ADDRMAP_POOL6, ADDRMAP_WHY_POOL6);
}

/* The per-packet forms: the explanation, only the address kept. */
enum addrmap_rule addrmap_6to4(const struct config *cfg,
			       const struct in6_addr *in, struct in_addr *out,
			       size_t *entry)
{
	struct addrmap_explain ex;

	if (!addrmap_mapped(addrmap_explain_6to4(cfg, in, &ex)))
		return ex.rule;
	*out = ex.v4;
	if (entry && ex.rule == ADDRMAP_EAMT)
		*entry = ex.entry;
	return ex.rule;
}

enum addrmap_rule addrmap_4to6(const struct config *cfg,
			       const struct in_addr *in, struct in6_addr *out,
			       size_t *entry)
{
	struct addrmap_explain ex;

	if (!addrmap_mapped(addrmap_explain_4to6(cfg, in, &ex)))
		return ex.rule;
	*out = ex.v6;
	if (entry && ex.rule == ADDRMAP_EAMT)
		*entry = ex.entry;
	return ex.rule;
}

/*
 * RFC 6791 leaves the choice of address inside the pool to the translator;
 * a hash of the packet spreads the errors over the pool (so traceroute
 * shows distinct hops) while keeping one flow's errors on one address.
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
