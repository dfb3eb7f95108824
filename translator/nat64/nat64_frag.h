/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reassembly for stateful NAT64. Only the first fragment of a packet
 * carries its ports, and NAT64 needs the ports of every packet (RFC 6146
 * section 3.4 lets it "reassemble fragments": it must then keep them at
 * least FRAGMENT_MIN, 2 seconds, and bound the resources). So fragments
 * are gathered here, on the state's clock, and the core translates the
 * whole packet, fragmenting it again for the egress MTU if needed.
 *
 * The whole packet keeps a trace of its fragmentation, so that it leaves
 * the way a fragmented one does (RFC 7915): IPv4 with DF=0 and its
 * Identification; IPv6 with a Fragment header of offset 0, M=0, the
 * original Identification.
 *
 * Bounded: NAT64_FRAG_SLOTS packets in progress, each at most 65535
 * bytes; overlapping fragments (RFC 5722) drop the whole packet; a packet
 * not complete NAT64_FRAG_TIMEOUT_MS after its first fragment is dropped.
 */
#ifndef TRANSLATOR_NAT64_FRAG_H
#define TRANSLATOR_NAT64_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAT64_FRAG_SLOTS	64
#define NAT64_FRAG_TIMEOUT_MS	2000
#define NAT64_FRAG_MAX		65535u

struct nat64_state;
struct xlat_stats;

/* One fragment, as the parsers see it. */
struct nat64_frag_in {
	uint8_t version;	/* 4 or 6 */
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint32_t id;
	uint8_t proto;		/* upper-layer protocol */
	const uint8_t *hdr;	/* IPv4 header (options included) / IPv6 header */
	size_t hdr_len;
	const uint8_t *data;	/* the fragmentable part */
	size_t data_len;
	uint32_t off;		/* bytes */
	bool mf;
};

enum nat64_frag_res {
	NAT64_FRAG_HELD,	/* kept; nothing to translate yet */
	NAT64_FRAG_DONE,	/* *whole is the packet, until the next call */
	NAT64_FRAG_REFUSED,	/* malformed, overlapping, too big or no room */
};

/* Packets given up (timeout) are counted in stats (may be NULL). */
enum nat64_frag_res nat64_frag_add(struct nat64_state *st, int64_t now,
				   const struct nat64_frag_in *f,
				   const uint8_t **whole, size_t *len,
				   struct xlat_stats *stats);

/* Frees the reassembly buffers (nat64_state_free calls it). */
void nat64_frag_free(struct nat64_state *st);

#endif
