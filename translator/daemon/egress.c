// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "egress.h"

/* Big enough for a burst of 64 KB packets leaving one batch. */
#define EGRESS_SNDBUF	(4 << 20)

struct egress_errno {
	int err;
	enum dstat_counter counter;
};

static const struct egress_errno egress_errnos[] = {
	{ EMSGSIZE,	DSTAT_TX_ERR_MSGSIZE },
	{ ENETUNREACH,	DSTAT_TX_ERR_UNREACH },
	{ EHOSTUNREACH,	DSTAT_TX_ERR_UNREACH },
	{ ENOBUFS,	DSTAT_TX_ERR_NOBUFS },
	{ EAGAIN,	DSTAT_TX_ERR_NOBUFS },
	{ EPERM,	DSTAT_TX_ERR_PERM },
	{ EACCES,	DSTAT_TX_ERR_PERM },
	{ EINVAL,	DSTAT_TX_ERR_INVAL },
};

static void egress_count_error(int err, struct dstats *st)
{
	size_t i;

	for (i = 0; i < sizeof(egress_errnos) / sizeof(egress_errnos[0]); i++) {
		if (egress_errnos[i].err == err) {
			dstat_inc(st, egress_errnos[i].counter);
			return;
		}
	}
	dstat_inc(st, DSTAT_TX_ERR_OTHER);
}

static int egress_batch_open(struct egress_batch *b, int family,
			     uint32_t mark, char *err, size_t errlen)
{
	int size = EGRESS_SNDBUF;

	memset(b, 0, sizeof(*b));
	b->family = family;
	b->arena = malloc(EGRESS_ARENA);
	b->fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (!b->arena || b->fd < 0) {
		snprintf(err, errlen, "raw %s socket: %s",
			 family == AF_INET ? "IPv4" : "IPv6",
			 b->arena ? strerror(errno) : "out of memory");
		return -1;
	}
	if (setsockopt(b->fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark))) {
		snprintf(err, errlen, "SO_MARK: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(b->fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(b->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return 0;
}

static void egress_batch_close(struct egress_batch *b)
{
	if (b->fd >= 0)
		close(b->fd);
	free(b->arena);
	b->fd = -1;
	b->arena = NULL;
}

int egress_open(struct egress *eg, uint32_t mark, char *err, size_t errlen)
{
	eg->on_msgsize = NULL;
	eg->cb_arg = NULL;
	eg->b6.fd = -1;
	eg->b6.arena = NULL;
	if (egress_batch_open(&eg->b4, AF_INET, mark, err, errlen) ||
	    egress_batch_open(&eg->b6, AF_INET6, mark, err, errlen)) {
		egress_close(eg);
		return -1;
	}
	return 0;
}

void egress_close(struct egress *eg)
{
	egress_batch_close(&eg->b4);
	egress_batch_close(&eg->b6);
}

static void egress_msgsize(struct egress *eg, struct egress_batch *b,
			   unsigned int i)
{
	if (!eg->on_msgsize)
		return;
	if (b->family == AF_INET)
		eg->on_msgsize(eg->cb_arg, AF_INET, &b->dst[i].v4.sin_addr);
	else
		eg->on_msgsize(eg->cb_arg, AF_INET6, &b->dst[i].v6.sin6_addr);
}

/* Sends msgs[from..count); a failed message is counted and skipped. */
static void egress_batch_flush(struct egress *eg, struct egress_batch *b,
			       struct dstats *st)
{
	unsigned int done = 0;
	enum dstat_counter ok = b->family == AF_INET ? DSTAT_TX_V4 :
						       DSTAT_TX_V6;

	while (done < b->count) {
		int n = sendmmsg(b->fd, b->msgs + done, b->count - done, 0);

		dstat_inc(st, DSTAT_TX_BATCHES);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The message at done failed: count it, go on. */
			egress_count_error(errno, st);
			if (errno == EMSGSIZE)
				egress_msgsize(eg, b, done);
			done++;
			continue;
		}
		dstat_add(st, ok, (uint64_t)n);
		done += (unsigned int)n;
	}
	b->count = 0;
	b->used = 0;
}

void egress_flush(struct egress *eg, struct dstats *st)
{
	if (eg->b4.count)
		egress_batch_flush(eg, &eg->b4, st);
	if (eg->b6.count)
		egress_batch_flush(eg, &eg->b6, st);
}

void egress_send(struct egress *eg, struct egress_batch *b,
		 struct dstats *st)
{
	egress_batch_flush(eg, b, st);
}

static void egress_set_dst(struct egress_batch *b, unsigned int i,
			   const uint8_t *pkt)
{
	struct msghdr *mh = &b->msgs[i].msg_hdr;

	memset(&b->dst[i], 0, sizeof(b->dst[i]));
	if (b->family == AF_INET) {
		b->dst[i].v4.sin_family = AF_INET;
		memcpy(&b->dst[i].v4.sin_addr, pkt + 16, 4);
		mh->msg_namelen = sizeof(b->dst[i].v4);
	} else {
		b->dst[i].v6.sin6_family = AF_INET6;
		memcpy(&b->dst[i].v6.sin6_addr, pkt + 24, 16);
		mh->msg_namelen = sizeof(b->dst[i].v6);
	}
	mh->msg_name = &b->dst[i];
}

int egress_queue(struct egress *eg, const uint8_t *pkt, size_t len,
		 struct dstats *st)
{
	struct egress_batch *b;
	struct msghdr *mh;
	unsigned int i;
	size_t off;

	if (len >= 40 && (pkt[0] >> 4) == 6) {
		b = &eg->b6;
	} else if (len >= 20 && (pkt[0] >> 4) == 4) {
		b = &eg->b4;
	} else {
		dstat_inc(st, DSTAT_TX_ERR_INVAL);
		return -1;
	}
	if (len > EGRESS_ARENA) {
		dstat_inc(st, DSTAT_TX_DROP_NOSPACE);
		return -1;
	}
	off = egress_next(b);
	if (pkt == b->arena + off && b->count < EGRESS_BATCH &&
	    len <= EGRESS_ARENA - off) {
		/* Written there already (egress_reserve): committed as is. */
		dstat_inc(st, DSTAT_TX_DIRECT);
	} else {
		if (b->count == EGRESS_BATCH || off + len > EGRESS_ARENA) {
			egress_batch_flush(eg, b, st);
			off = 0;
		}
		memcpy(b->arena + off, pkt, len);
		dstat_add(st, DSTAT_TX_COPIED_BYTES, len);
	}
	i = b->count++;
	b->used = off + len;
	b->iov[i].iov_base = b->arena + off;
	b->iov[i].iov_len = len;
	mh = &b->msgs[i].msg_hdr;
	memset(mh, 0, sizeof(*mh));
	mh->msg_iov = &b->iov[i];
	mh->msg_iovlen = 1;
	egress_set_dst(b, i, pkt);
	return 0;
}
