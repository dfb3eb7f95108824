/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IP reassembly, the translator's only one. Two users, one module:
 * - mode siit gathers fragmented ICMP (and only ICMP): the ICMPv6
 *   checksum covers a pseudo-header holding the whole message's length
 *   (RFC 4443 2.3) and ICMPv4 has none, so a fragment's checksum cannot
 *   be translated alone. Other protocols' fragments stay stateless.
 * - mode nat64 gathers every fragmented packet: only the first fragment
 *   carries the ports (RFC 6146 3.4 lets a NAT64 reassemble; it must then
 *   keep fragments FRAGMENT_MIN, 2 s, and bound its resources).
 *
 * Pure: no clock (now_ms comes in), no sockets. The state is the
 * caller's, created once and reached through xlat_ctx.reasm.
 *
 * Key: source, destination, Identification and protocol (RFC 791 3.2;
 * RFC 8200 4.5 keys IPv6 on the first three, the protocol is the same in
 * every fragment of a packet anyway).
 *
 * The whole packet keeps a trace of its fragmentation, so that it leaves
 * the way a fragmented one does (RFC 7915): IPv4 unfragmented with DF=0,
 * its Identification and the first fragment's header (options included);
 * IPv6 as the first fragment's fixed header, then a Fragment header of
 * offset 0, M=0, the original Identification, then the whole fragmentable
 * part. Extension headers before the Fragment header are not kept.
 *
 * Bounded: limits.slots packets in progress, limits.bytes of fragment
 * data held in all, a whole packet at most 65535 bytes, each packet
 * forgotten limits.timeout_ms after its first fragment. Overlapping
 * fragments drop their whole packet (RFC 5722 for IPv6; for IPv4 the same,
 * as RFC 1858 advises); an exact duplicate of a fragment held is dropped
 * alone and the packet kept (RFC 8200 4.5). Memory: one buffer per slot,
 * allocated at its first use and kept; nothing per fragment.
 */
#ifndef TRANSLATOR_CORE_REASM_H
#define TRANSLATOR_CORE_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats.h"

#define REASM_SLOTS		64u
#define REASM_BYTES		(2u << 20)
#define REASM_TIMEOUT_MS	2000
/* Largest whole packet: the IP total length limit. */
#define REASM_MAX		65535u

struct reasm_limits {
	unsigned int slots;
	size_t bytes;		/* fragment data held, all packets */
	int64_t timeout_ms;
};

/* One fragment, as the core's parsers see it. */
struct reasm_frag {
	uint8_t version;	/* 4 or 6 */
	const uint8_t *src, *dst;	/* 4 or 16 bytes */
	uint32_t id;
	uint8_t proto;		/* upper-layer protocol */
	const uint8_t *hdr;	/* IPv4 header (options included) / IPv6 header */
	size_t hdr_len;		/* IPv4: IHL * 4; IPv6: 40 */
	const uint8_t *data;	/* the fragmentable part */
	size_t data_len;
	uint32_t off;		/* bytes */
	bool mf;
};

enum reasm_res {
	REASM_HELD,		/* kept; nothing to translate yet */
	REASM_DONE,		/* *whole is the packet, until the next call */
	REASM_REFUSED,		/* *why says why (a drop_* counter) */
};

struct reasm;

/* NULL lim: REASM_SLOTS, REASM_BYTES, REASM_TIMEOUT_MS. NULL if no memory. */
struct reasm *reasm_new(const struct reasm_limits *lim);
void reasm_free(struct reasm *r);

/*
 * Adds one fragment (off != 0 or mf). Counts in stats (may be NULL) the
 * held fragments, the packets made whole and those given up on timeout;
 * a refusal's counter is left to the caller (*why), who drops.
 */
enum reasm_res reasm_add(struct reasm *r, int64_t now_ms,
			 const struct reasm_frag *f, const uint8_t **whole,
			 size_t *len, struct xlat_stats *stats,
			 enum xlat_counter *why);

/* Packets in progress (for tests and statistics). */
unsigned int reasm_pending(const struct reasm *r);

#endif
