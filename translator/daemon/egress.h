/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Egress: raw IPPROTO_RAW sockets (the packet carries its own IP header),
 * one per family, marked with SO_MARK so that the queue rules skip what we
 * emit. Packets are copied into a per-family batch and leave with one
 * sendmmsg(); each is sent to its header's destination, because the route
 * comes from the sendto() address, not from the header.
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

/*
 * Queues a copy of an IPv4 or IPv6 packet (told apart by its version
 * field); a full batch is flushed first. Returns -1 (counted) when the
 * packet cannot be queued.
 */
int egress_queue(struct egress *eg, const uint8_t *pkt, size_t len,
		 struct dstats *st);

/* Sends everything queued; failures are counted by errno. */
void egress_flush(struct egress *eg, struct dstats *st);

#endif
