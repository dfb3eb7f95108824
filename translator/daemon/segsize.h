/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What translatord knows, per TCP flow, of the size of the segments the
 * sender really sent.
 *
 * NFQUEUE hands over GRO/GSO aggregates without their gso_size (no
 * attribute carries it), so the sender's segment size is lost. Cutting
 * an aggregate into bigger segments than the sender made is harmless
 * when the path after the translator carries them, and a black hole when
 * it does not and the ICMP error that would say so is filtered: a sender
 * behind a 1280-byte IPv6 link sends 1280-byte packets, which RFC 7915
 * 5.1 translates to 1260-byte DF=0 packets that any IPv4 path carries
 * (fragmented if need be), while 1480-byte DF=1 ones are silently lost
 * on a narrower IPv4 link. daemon_seg.c cuts at a size it can justify;
 * this table holds, per flow, the two facts that justify one:
 *
 *  - seen: the largest payload of a segment of the flow that came alone
 *    (not an aggregate) lately. The sender does send segments that big,
 *    so cutting at it never makes a packet bigger than a translated
 *    original. It is forgotten SEGSIZE_SEEN_MS after it was last
 *    confirmed, and at once when an aggregate no larger than it shows
 *    that the sender's segments have shrunk (an aggregate holds at least
 *    one full segment and one more byte).
 *  - peer_mss: the MSS option of the receiver's SYN (as translated, so
 *    after any mss-clamp): the sender sends no segment larger than that
 *    minus its TCP options (RFC 9293 3.7.1, RFC 6691).
 *
 * A flow is keyed by its IPv4 view (the IPv4 header on one side of the
 * translator: the original from IPv4, the translation from IPv6), so
 * that a SYN seen one way and data seen the other way meet, in SIIT and
 * NAT64 alike. The table has a fixed size (SEGSIZE_SETS sets of
 * SEGSIZE_WAYS entries), a keyed hash (SipHash with a random key: remote
 * hosts cannot aim at one set) and LRU replacement: no allocation per
 * packet and bounded memory whatever the traffic. A flow pushed out is
 * only a flow whose segment size is unknown again: the cut falls back
 * to sizes that need no knowledge (1260/1280 bytes).
 */
#ifndef TRANSLATOR_SEGSIZE_H
#define TRANSLATOR_SEGSIZE_H

#include <stdbool.h>
#include <stdint.h>

#define SEGSIZE_WAYS		4
#define SEGSIZE_SETS		1024
/* An entry not used for this long is free for another flow. */
#define SEGSIZE_IDLE_MS		(5 * 60 * 1000)
/* A seen size not confirmed for this long is forgotten. */
#define SEGSIZE_SEEN_MS		(10 * 1000)

/* A TCP flow as its IPv4 header says: addresses and ports as on the wire. */
struct segsize_key {
	uint8_t src[4];
	uint8_t dst[4];
	uint8_t sport[2];
	uint8_t dport[2];
};

struct segsize_info {
	uint16_t seen;		/* 0: unknown */
	uint16_t peer_mss;	/* 0: no SYN seen */
};

/*
 * flows: entries made for new flows; evicted: live flows pushed out of a
 * full set; raised: lone segments that raised a flow's seen size;
 * stale: seen sizes dropped because an aggregate was no larger.
 */
struct segsize_stats {
	uint64_t flows, evicted, raised, stale;
};

struct segsize;

/* A table with a random hash key (key NULL) or the given one; NULL if
 * out of memory. */
struct segsize *segsize_new(const uint8_t key[16]);
void segsize_free(struct segsize *t);

/* A segment of the flow came alone with payload bytes (> 0) of data. */
void segsize_note_data(struct segsize *t, const struct segsize_key *k,
		       uint32_t payload, int64_t now_ms);

/*
 * The receiver of flow k sent a SYN announcing mss: a new connection,
 * whatever was known of an older one on the same ports is forgotten.
 */
void segsize_note_mss(struct segsize *t, const struct segsize_key *k,
		      uint16_t mss, int64_t now_ms);

/*
 * The same MSS, told by the worker that saw the SYN (daemon_worker.c):
 * it may arrive after this worker saw the flow's first lone segments,
 * whose size stays (a stale one goes with the next aggregate no larger).
 */
void segsize_note_peer_mss(struct segsize *t, const struct segsize_key *k,
			   uint16_t mss, int64_t now_ms);
/*
 * What is known of flow k, about to cut an aggregate of payload bytes
 * (a seen size not below it is dropped as stale first). false: nothing
 * (info zeroed).
 */
bool segsize_lookup(struct segsize *t, const struct segsize_key *k,
		    uint32_t payload, int64_t now_ms, struct segsize_info *info);

const struct segsize_stats *segsize_stats(const struct segsize *t);

#endif
