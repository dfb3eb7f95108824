/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the core must not see: partial checksums and TCP aggregates.
 *
 * A queue with NFQA_CFG_F_GSO hands over GSO/GRO aggregates whole (up to
 * 64 KB) with CHECKSUM_PARTIAL: the TCP checksum field holds only the
 * pseudo-header sum. The original MSS is not known, so an aggregate that
 * would not fit the egress MTU once translated is cut into segments that
 * do, each with a complete checksum, as the kernel's own GSO would.
 */
#ifndef TRANSLATOR_DAEMON_GSO_H
#define TRANSLATOR_DAEMON_GSO_H

#include <stddef.h>
#include <stdint.h>

/* Largest packet dgso_segment() produces (its scratch buffer size). */
#define DGSO_MAX_SEG	65535u

struct dgso_l4 {
	uint8_t proto;		/* IPPROTO_TCP, IPPROTO_UDP, ... */
	size_t off;		/* offset of the layer-4 header */
	size_t tot;		/* IP total length (<= bytes received) */
};

/*
 * Locates layer 4 of an unfragmented IPv4/IPv6 packet (skipping IPv6
 * hop-by-hop and destination options). Returns -1 when it cannot.
 */
int dgso_find_l4(const uint8_t *pkt, size_t len, struct dgso_l4 *l4);

/*
 * Completes a partial TCP or UDP checksum in place. Returns -1 when the
 * packet has no TCP/UDP layer this code can find.
 */
int dgso_csum_complete(uint8_t *pkt, size_t len);

typedef void (*dgso_emit_fn)(void *arg, uint8_t *seg, size_t len);

/*
 * Splits a TCP packet into segments of at most max_len bytes (IP header
 * included), built one at a time in scratch (DGSO_MAX_SEG bytes) and
 * handed to emit. Returns the number of segments, or -1 when the packet
 * is not plain TCP or max_len leaves no room for payload.
 */
int dgso_segment(const uint8_t *pkt, size_t len, size_t max_len,
		 uint8_t *scratch, dgso_emit_fn emit, void *arg);

#endif
