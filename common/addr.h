/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4/IPv6 prefixes: parsing, printing, matching, and the RFC 6052
 * algorithm that embeds an IPv4 address in an IPv6 prefix.
 */
#ifndef COMMON_ADDR_H
#define COMMON_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

struct prefix4 {
	struct in_addr addr;	/* host bits are zero */
	uint8_t len;		/* 0..32 */
};

struct prefix6 {
	struct in6_addr addr;	/* host bits are zero */
	uint8_t len;		/* 0..128 */
};

/* Longest textual forms, with the "/len" suffix and the terminating NUL. */
#define PREFIX4_STRLEN (INET_ADDRSTRLEN + 4)
#define PREFIX6_STRLEN (INET6_ADDRSTRLEN + 5)

/*
 * Parses "A.B.C.D[/len]" / "X::Y[/len]"; a missing length means a host
 * prefix (/32, /128). Fails (returns -1) on bad syntax, a bad length, or
 * host bits set past the length, so that a typo in a config is reported
 * rather than silently masked.
 */
int prefix4_parse(const char *s, struct prefix4 *out);
int prefix6_parse(const char *s, struct prefix6 *out);

/* Formats into buf (PREFIX4_STRLEN / PREFIX6_STRLEN bytes); returns buf. */
char *prefix4_str(const struct prefix4 *p, char *buf);
char *prefix6_str(const struct prefix6 *p, char *buf);

bool prefix4_contains(const struct prefix4 *p, const struct in_addr *a);
bool prefix6_contains(const struct prefix6 *p, const struct in6_addr *a);

/* Whether two prefixes overlap (one contains the other's first address). */
bool prefix4_overlaps(const struct prefix4 *a, const struct prefix4 *b);
bool prefix6_overlaps(const struct prefix6 *a, const struct prefix6 *b);

/* RFC 6052 section 2.2: the only prefix lengths allowed. */
bool rfc6052_len_valid(uint8_t len);

/*
 * RFC 6052 section 2.2: builds the IPv4-embedded IPv6 address of v4 under
 * prefix (length 32, 40, 48, 56, 64 or 96). Bits 64-71 (the "u" octet)
 * are zero; the suffix is zero.
 */
void rfc6052_embed(const struct prefix6 *prefix, const struct in_addr *v4,
		   struct in6_addr *out);

/*
 * The inverse: extracts the IPv4 address from v6, which must be inside
 * prefix (the caller checks with prefix6_contains). The u octet is skipped.
 */
void rfc6052_extract(const struct prefix6 *prefix, const struct in6_addr *v6,
		     struct in_addr *out);

#endif
