/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic NAT64 address and port mapping (in the manner of RFC
 * 7422): each IPv6 customer (a /host_len inside the customer prefix) is
 * given, by a pure function of its address, one IPv4 address of the
 * entry's prefix and one block of ports, the same for TCP, UDP and ICMP
 * identifiers. The function is the log: "who had 198.51.100.3 port 40123
 * at time T" is answered from the configuration alone.
 *
 *   i      = the bits of the IPv6 address from p6.len to host_len
 *            (the customer's index, 0 .. 2^(host_len - p6.len) - 1)
 *   blocks = (65536 - first_port) / ports     (blocks per IPv4 address)
 *   IPv4   = p4's first address + i / blocks
 *   ports  = first_port + (i % blocks) * ports .. + ports - 1
 *
 * Pure: shared by translatord (translator/nat64/nat64_det.c), by the
 * configuration parser (its checks) and by transctl offline.
 */
#ifndef COMMON_DET_MAP_H
#define COMMON_DET_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "addr.h"

/* Widest customer range: 2^32 customers per entry. */
#define DET_MAX_HOST_BITS	32

struct det_entry {
	struct prefix6 p6;	/* the customers */
	struct prefix4 p4;	/* their IPv4 addresses */
	uint32_t ports;		/* per customer (and per protocol) */
	uint32_t first_port;	/* of the first block, >= 1 */
	uint8_t host_len;	/* one customer: a /host_len inside p6 */
};

/* Customers of e: 2^(host_len - p6.len). */
uint64_t det_hosts(const struct det_entry *e);
/* IPv4 addresses of e. */
uint64_t det_naddrs(const struct det_entry *e);
/* Blocks of e->ports ports per IPv4 address, from first_port. */
uint32_t det_blocks(const struct det_entry *e);

/* The index of the customer holding a6; false when a6 is outside e. */
bool det_index(const struct det_entry *e, const struct in6_addr *a6,
	       uint64_t *i);
/* Customer i's prefix (its first address; length e->host_len). */
void det_customer(const struct det_entry *e, uint64_t i, struct in6_addr *a6);
/* Customer i's IPv4 address and port block [*lo, *hi] (i < det_hosts). */
void det_forward(const struct det_entry *e, uint64_t i, struct in_addr *a4,
		 uint16_t *lo, uint16_t *hi);
/*
 * The customer owning a4#port: true with *i, false when a4 is outside e,
 * the port outside every block, or the block belongs to no customer
 * (past the last one).
 */
bool det_reverse(const struct det_entry *e, const struct in_addr *a4,
		 uint32_t port, uint64_t *i);

/* The entry holding a6 (customers) or a4 (addresses), or NULL. */
const struct det_entry *det_find6(const struct det_entry *v, size_t n,
				  const struct in6_addr *a6);
const struct det_entry *det_find4(const struct det_entry *v, size_t n,
				  const struct in_addr *a4);

/*
 * The checks of one entry alone: lengths, ports, and that the customers
 * fit (2^(host bits) <= addresses x blocks). 0, or -1 with a message
 * naming the numbers.
 */
int det_check(const struct det_entry *e, char *err, size_t errlen);

/* "2001:db8:c::/120 198.51.100.0/29 2048 1024 128" (the directive's). */
void det_entry_str(const struct det_entry *e, char *buf, size_t len);

#endif
