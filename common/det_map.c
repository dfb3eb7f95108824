// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The deterministic NAT64 mapping function (det_map.h): index <-> IPv4
 * address and port block. Integer arithmetic only, no state.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "det_map.h"

static unsigned int host_bits(const struct det_entry *e)
{
	return (unsigned int)(e->host_len - e->p6.len);
}

uint64_t det_hosts(const struct det_entry *e)
{
	return (uint64_t)1 << host_bits(e);
}

uint64_t det_naddrs(const struct det_entry *e)
{
	return (uint64_t)1 << (32 - e->p4.len);
}

uint32_t det_blocks(const struct det_entry *e)
{
	if (!e->ports || e->first_port > 65535)
		return 0;
	return (65536 - e->first_port) / e->ports;
}

static unsigned int bit6(const struct in6_addr *a, unsigned int b)
{
	return (a->s6_addr[b / 8] >> (7 - b % 8)) & 1;
}

bool det_index(const struct det_entry *e, const struct in6_addr *a6,
	       uint64_t *i)
{
	uint64_t v = 0;

	if (!prefix6_contains(&e->p6, a6))
		return false;
	for (unsigned int b = e->p6.len; b < e->host_len; b++)
		v = v << 1 | bit6(a6, b);
	*i = v;
	return true;
}

void det_customer(const struct det_entry *e, uint64_t i, struct in6_addr *a6)
{
	*a6 = e->p6.addr;
	for (unsigned int b = e->host_len; b-- > e->p6.len; i >>= 1)
		if (i & 1)
			a6->s6_addr[b / 8] |= (uint8_t)(0x80u >> (b % 8));
}

void det_forward(const struct det_entry *e, uint64_t i, struct in_addr *a4,
		 uint16_t *lo, uint16_t *hi)
{
	uint32_t blocks = det_blocks(e);
	uint32_t first = e->first_port + (uint32_t)(i % blocks) * e->ports;

	a4->s_addr = htonl(ntohl(e->p4.addr.s_addr) + (uint32_t)(i / blocks));
	*lo = (uint16_t)first;
	*hi = (uint16_t)(first + e->ports - 1);
}

bool det_reverse(const struct det_entry *e, const struct in_addr *a4,
		 uint32_t port, uint64_t *i)
{
	uint32_t blocks = det_blocks(e);
	uint64_t off, v;

	if (!prefix4_contains(&e->p4, a4) || port < e->first_port)
		return false;
	off = (port - e->first_port) / e->ports;
	if (off >= blocks)
		return false;
	v = (uint64_t)(ntohl(a4->s_addr) - ntohl(e->p4.addr.s_addr)) * blocks +
	    off;
	if (v >= det_hosts(e))
		return false;
	*i = v;
	return true;
}

const struct det_entry *det_find6(const struct det_entry *v, size_t n,
				  const struct in6_addr *a6)
{
	for (size_t k = 0; k < n; k++)
		if (prefix6_contains(&v[k].p6, a6))
			return &v[k];
	return NULL;
}

const struct det_entry *det_find4(const struct det_entry *v, size_t n,
				  const struct in_addr *a4)
{
	for (size_t k = 0; k < n; k++)
		if (prefix4_contains(&v[k].p4, a4))
			return &v[k];
	return NULL;
}

__attribute__((format(printf, 3, 4)))
static int det_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int det_check(const struct det_entry *e, char *err, size_t errlen)
{
	uint64_t room;

	if (e->host_len < e->p6.len || e->host_len > 128)
		return det_fail(err, errlen, "host length /%u is not within "
				"/%u..128", e->host_len, e->p6.len);
	if (host_bits(e) > DET_MAX_HOST_BITS)
		return det_fail(err, errlen, "/%u customers in a /%u are more "
				"than 2^%d", e->host_len, e->p6.len,
				DET_MAX_HOST_BITS);
	if (!e->ports || e->ports > 65535 || !e->first_port ||
	    e->first_port > 65535)
		return det_fail(err, errlen, "ports per customer must be "
				"1..65535 and the first port 1..65535");
	if (!det_blocks(e))
		return det_fail(err, errlen, "no block of %u ports fits in "
				"%u-65535", e->ports, e->first_port);
	/* Every customer needs a block of its own. */
	room = det_naddrs(e) * det_blocks(e);
	if (det_hosts(e) > room)
		return det_fail(err, errlen, "%" PRIu64 " customers (/%u in "
				"/%u) do not fit in %" PRIu64 " addresses x %u "
				"blocks of %u ports (from %u) = %" PRIu64,
				det_hosts(e), e->host_len, e->p6.len,
				det_naddrs(e), det_blocks(e), e->ports,
				e->first_port, room);
	return 0;
}

void det_entry_str(const struct det_entry *e, char *buf, size_t len)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	snprintf(buf, len, "%s %s %u %u %u", prefix6_str(&e->p6, b6),
		 prefix4_str(&e->p4, b4), e->ports, e->first_port, e->host_len);
}
