/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Egress: raw IPPROTO_RAW sockets (the packet carries its own IP header),
 * one per family, marked with SO_MARK so that the queue rules skip what we
 * emit. Packets are written (by the core, or copied) into a per-family
 * batch and leave with one sendmmsg(); each is sent to its header's
 * destination, because the route comes from the sendto() address, not
 * from the header.
 */
#ifndef TRANSLATOR_EGRESS_H
#define TRANSLATOR_EGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "daemon_stats.h"

#define EGRESS_BATCH	64
#define EGRESS_ARENA	(256u * 1024u)

struct egress_batch {
	int fd;
	int family;
	unsigned int count;
	size_t used;
	uint8_t *arena;
	struct mmsghdr msgs[EGRESS_BATCH];
	struct iovec iov[EGRESS_BATCH];
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} dst[EGRESS_BATCH];
};

/* Told about a destination whose send failed with EMSGSIZE. */
typedef void (*egress_msgsize_fn)(void *arg, int family, const void *dst);

struct egress {
	struct egress_batch b4;
	struct egress_batch b6;
	egress_msgsize_fn on_msgsize;	/* may be NULL */
	void *cb_arg;
};

int egress_open(struct egress *eg, uint32_t mark, char *err, size_t errlen);
void egress_close(struct egress *eg);

/* Sends what b holds (egress_reserve's slow path). */
void egress_send(struct egress *eg, struct egress_batch *b,
		 struct dstats *st);

/* Where b's next packet goes: 8-byte aligned (the core's output is). */
static inline size_t egress_next(const struct egress_batch *b)
{
	return (b->used + 7) & ~(size_t)7;
}

/*
 * The next slot of family's batch (a full one, or one with less than
 * want bytes left, is sent first) and its room: where a packet may be
 * written before egress_queue commits it without a copy. Nothing is
 * queued until then: a slot given up is simply written over later, and
 * a flush never sends it. Valid until the next egress_queue or flush of
 * that family. Inline: it runs once per packet.
 */
static inline uint8_t *egress_reserve(struct egress *eg, int family,
				      size_t want, size_t *room,
				      struct dstats *st)
{
	struct egress_batch *b = family == AF_INET ? &eg->b4 : &eg->b6;
	size_t off = egress_next(b);	/* <= EGRESS_ARENA, a multiple of 8 */

	if (b->count == EGRESS_BATCH || want > EGRESS_ARENA - off) {
		egress_send(eg, b, st);
		off = 0;
	}
	*room = EGRESS_ARENA - off;
	return b->arena + off;
}

/*
 * Queues an IPv4 or IPv6 packet (told apart by its version field): in
 * place when pkt is the slot egress_reserve gave (tx_direct), else as a
 * copy (tx_copied_bytes), a full batch being flushed first. Returns -1
 * (counted) when the packet cannot be queued.
 */
int egress_queue(struct egress *eg, const uint8_t *pkt, size_t len,
		 struct dstats *st);

/* Sends everything queued; failures are counted by errno. */
void egress_flush(struct egress *eg, struct dstats *st);

#endif
