// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPv4/IPv6 prefixes and the RFC 6052 address format.
 *
 * Everything here works on network-order bytes, so that the same code
 * serves both families and no host-order conversion can be forgotten.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "bytes.h"

/* Longest accepted "/len" suffix: three digits ("128"). */
#define PREFIX_LEN_DIGITS 3

/* Whether any bit past the first len bits of the size-byte buffer is set. */
static bool host_bits_set(const uint8_t *a, size_t size, unsigned int len)
{
	unsigned int whole = len / 8;
	unsigned int rest = len % 8;

	if (rest != 0) {
		if (a[whole] & (uint8_t)(0xff >> rest))
			return true;
		whole++;
	}
	for (size_t i = whole; i < size; i++)
		if (a[i] != 0)
			return true;
	return false;
}

/*
 * Parses the decimal length after '/': digits only (no sign, no blanks),
 * at most max.
 */
static int parse_len(const char *s, unsigned int max, uint8_t *out)
{
	unsigned int v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > PREFIX_LEN_DIGITS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

/*
 * Shared by both families: splits "addr[/len]", converts the address with
 * inet_pton into dst (size bytes) and rejects host bits past the length.
 */
static int prefix_parse(int af, const char *s, void *dst, size_t size,
			uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 1 + PREFIX_LEN_DIGITS + 1];
	unsigned int max = (unsigned int)size * 8;
	char *slash;

	if (!s || strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (parse_len(slash + 1, max, len) != 0)
			return -1;
	} else {
		*len = (uint8_t)max;
	}
	if (inet_pton(af, buf, dst) != 1)
		return -1;
	if (host_bits_set(dst, size, *len))
		return -1;
	return 0;
}

int prefix4_parse(const char *s, struct prefix4 *out)
{
	struct prefix4 p;

	if (prefix_parse(AF_INET, s, &p.addr, sizeof(p.addr), &p.len) != 0)
		return -1;
	*out = p;
	return 0;
}

int prefix6_parse(const char *s, struct prefix6 *out)
{
	struct prefix6 p;

	if (prefix_parse(AF_INET6, s, &p.addr, sizeof(p.addr), &p.len) != 0)
		return -1;
	*out = p;
	return 0;
}

char *prefix4_str(const struct prefix4 *p, char *buf)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &p->addr, a, sizeof(a));
	snprintf(buf, PREFIX4_STRLEN, "%s/%u", a, (unsigned int)p->len);
	return buf;
}

char *prefix6_str(const struct prefix6 *p, char *buf)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &p->addr, a, sizeof(a));
	snprintf(buf, PREFIX6_STRLEN, "%s/%u", a, (unsigned int)p->len);
	return buf;
}

bool prefix4_contains(const struct prefix4 *p, const struct in_addr *a)
{
	return same_prefix32((const uint8_t *)&p->addr, (const uint8_t *)a,
			     p->len);
}

bool prefix6_contains(const struct prefix6 *p, const struct in6_addr *a)
{
	return same_prefix128(p->addr.s6_addr, a->s6_addr, p->len);
}

/*
 * Two prefixes overlap exactly when the shorter one contains the longer
 * one's network address; checking both ways avoids picking which is which.
 */
bool prefix4_overlaps(const struct prefix4 *a, const struct prefix4 *b)
{
	return prefix4_contains(a, &b->addr) || prefix4_contains(b, &a->addr);
}

bool prefix6_overlaps(const struct prefix6 *a, const struct prefix6 *b)
{
	return prefix6_contains(a, &b->addr) || prefix6_contains(b, &a->addr);
}

/*
 * RFC 6052 section 2.2, Figure 1: where each of the four IPv4 octets goes
 * in the IPv6 address for every allowed prefix length. Octet 8 (bits
 * 64-71, the "u" octet) is never used, so the IPv4 address jumps over it.
 */
static const struct {
	uint8_t len;
	uint8_t pos[4];
} rfc6052_layout[] = {
	{ 32, {  4,  5,  6,  7 } },
	{ 40, {  5,  6,  7,  9 } },
	{ 48, {  6,  7,  9, 10 } },
	{ 56, {  7,  9, 10, 11 } },
	{ 64, {  9, 10, 11, 12 } },
	{ 96, { 12, 13, 14, 15 } },
};

#define RFC6052_LAYOUTS (sizeof(rfc6052_layout) / sizeof(rfc6052_layout[0]))

static const uint8_t *rfc6052_positions(uint8_t len)
{
	for (size_t i = 0; i < RFC6052_LAYOUTS; i++)
		if (rfc6052_layout[i].len == len)
			return rfc6052_layout[i].pos;
	return NULL;
}

bool rfc6052_len_valid(uint8_t len)
{
	return rfc6052_positions(len) != NULL;
}

/*
 * The prefix is copied as is, so the u octet and the suffix stay zero as
 * RFC 6052 section 2.2 requires (prefixes never have host bits set, and a
 * /96 prefix with a non-zero u octet is refused by the config).
 */
void rfc6052_embed(const struct prefix6 *prefix, const struct in_addr *v4,
		   struct in6_addr *out)
{
	const uint8_t *pos;
	const uint8_t *src = (const uint8_t *)v4;

	*out = prefix->addr;
	if (prefix->len == 96) {
		/* The common /96: the IPv4 address is the last 32 bits. */
		memcpy(&out->s6_addr[12], v4, 4);
		return;
	}
	pos = rfc6052_positions(prefix->len);
	if (!pos)
		return;
	for (int i = 0; i < 4; i++)
		out->s6_addr[pos[i]] = src[i];
}

void rfc6052_extract(const struct prefix6 *prefix, const struct in6_addr *v6,
		     struct in_addr *out)
{
	const uint8_t *pos;
	uint8_t *dst = (uint8_t *)out;

	if (prefix->len == 96) {
		memcpy(out, &v6->s6_addr[12], 4);
		return;
	}
	pos = rfc6052_positions(prefix->len);
	memset(out, 0, sizeof(*out));
	if (!pos)
		return;
	for (int i = 0; i < 4; i++)
		dst[i] = v6->s6_addr[pos[i]];
}
