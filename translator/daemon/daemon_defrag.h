/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reassembly of fragmented ICMP, and only of ICMP.
 *
 * The ICMPv6 checksum covers a pseudo-header holding the whole message's
 * length; ICMPv4 has none. A fragment does not carry that length, so the
 * core cannot translate an ICMP fragment's checksum and drops it. The
 * daemon therefore gathers ICMP fragments here and hands the core the
 * whole message: IPv4 as one unfragmented packet (DF as received), IPv6
 * with a Fragment header of offset 0 and M=0 kept, so that the core still
 * sees "was fragmented" (IPv4 DF=0, same identification).
 * Other protocols' fragments are translated one by one, statelessly.
 *
 * Bounded: DDEFRAG_SLOTS packets in progress, DDEFRAG_TIMEOUT_MS each.
 */
#ifndef TRANSLATOR_DAEMON_DEFRAG_H
#define TRANSLATOR_DAEMON_DEFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DDEFRAG_SLOTS		16
#define DDEFRAG_TIMEOUT_MS	5000
/* Largest reassembled packet: the IP total length limit. */
#define DDEFRAG_MAX		65535u
#define DDEFRAG_UNITS		(DDEFRAG_MAX / 8 + 1)

struct ddefrag_slot {
	bool used;
	uint8_t version;
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t id;
	int64_t deadline_ms;
	size_t hlen;		/* header bytes before the fragmentable part */
	uint32_t total;		/* payload length; 0 until the last fragment */
	uint32_t units;		/* 8-byte units received */
	bool have_first;
	uint8_t *buf;		/* DDEFRAG_MAX bytes */
	uint8_t seen[DDEFRAG_UNITS / 8 + 1];
};

struct ddefrag {
	struct ddefrag_slot slot[DDEFRAG_SLOTS];
	uint64_t timeouts;	/* slots expired before completion */
};

enum ddefrag_result {
	DDEFRAG_HELD,		/* kept; nothing to translate yet */
	DDEFRAG_COMPLETE,	/* *whole is the reassembled packet */
	DDEFRAG_REFUSED,	/* malformed, overlapping or no free slot */
};

void ddefrag_init(struct ddefrag *df);
void ddefrag_free(struct ddefrag *df);

/* Whether pkt is a fragment of an ICMP/ICMPv6 message. */
bool ddefrag_wanted(const uint8_t *pkt, size_t len);

/*
 * Adds one fragment (ddefrag_wanted() said yes). On DDEFRAG_COMPLETE
 * *whole and *whole_len describe the packet, valid until the next call.
 */
enum ddefrag_result ddefrag_add(struct ddefrag *df, const uint8_t *pkt,
				size_t len, int64_t now_ms,
				const uint8_t **whole, size_t *whole_len);

#endif
