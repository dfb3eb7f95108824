/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the core must not see: partial checksums and TCP aggregates.
 *
 * A queue with NFQA_CFG_F_GSO hands over GSO/GRO aggregates whole (up to
 * 64 KB) with CHECKSUM_PARTIAL: the TCP checksum field holds only the
 * pseudo-header sum. The core translates an aggregate whole; the result
 * is then cut into segments that fit the egress path, each with complete
 * checksums, as the kernel's own GSO would (egress raw), or handed to
 * the kernel's GSO with a pseudo-header checksum (egress tun).
 */
#ifndef TRANSLATOR_DAEMON_GSO_H
#define TRANSLATOR_DAEMON_GSO_H

#include <stdbool.h>
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

struct dgso_opts {
	size_t mss;		/* TCP payload bytes per segment (> 0) */
	/*
	 * IPv4 segments of an IPv6->IPv4 translation follow RFC 7915 5.1
	 * one by one: above 1260 bytes DF=1 and ID 0 (atomic, RFC 6864),
	 * else DF=0 and a fresh ID from *id_next. Without it, IPv4 IDs
	 * count up from the aggregate's, as the kernel's own GSO does.
	 */
	bool df_rule;
	uint16_t *id_next;
};

/*
 * Length of the IP and TCP headers (options included) of an unfragmented
 * TCP packet, l4 filled in; 0 when the packet is not plain TCP.
 */
size_t dgso_tcp_hdrs(const uint8_t *pkt, size_t len, struct dgso_l4 *l4);

/*
 * Splits a TCP packet into segments of at most o->mss payload bytes, each
 * with the full IP and TCP headers: sequence numbers advanced, FIN and
 * PSH only on the last, CWR only on the first, lengths, IDs and every
 * checksum complete (whatever the input's TCP checksum held). Segments
 * are built one at a time in scratch (DGSO_MAX_SEG bytes) and handed to
 * emit. Returns the number of segments, or -1 when the packet is not
 * plain TCP or a segment would not fit DGSO_MAX_SEG.
 */
int dgso_segment(const uint8_t *pkt, size_t len, const struct dgso_opts *o,
		 uint8_t *scratch, dgso_emit_fn emit, void *arg);

/*
 * Prepares a TCP aggregate for the kernel's GSO (CHECKSUM_PARTIAL): the
 * checksum field gets the pseudo-header sum over the whole TCP length.
 * Returns -1 when the packet is not plain TCP.
 */
int dgso_csum_partial(uint8_t *pkt, size_t len);

/*
 * Gives an unfragmented IPv4 packet DF=0 and Identification id, header
 * checksum updated (the first of the IDs the kernel's GSO then counts up
 * from, one per segment).
 */
void dgso_ip4_df0(uint8_t *pkt, uint16_t id);

#endif
