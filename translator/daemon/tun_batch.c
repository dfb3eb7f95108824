// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TUN egress in batches (tun.h): one io_uring per worker, its packets
 * written by IORING_OP_WRITE requests submitted together, one
 * io_uring_enter() for the lot. Measured (docs/performance.md, "TUN
 * egress"): a writev() per small packet costs about twice the CPU of
 * a packet in a batch, the difference being one system call entry and
 * exit each.
 *
 * Order: a flow's packets must leave in the order they came. Requests
 * are issued in submission order, inline, in the submitter's context:
 * TUN files support IOCB_NOWAIT (FMODE_NOWAIT), so io_uring tries each
 * without blocking first and tun_get_user() only returns -EAGAIN when the
 * socket's send buffer is full, which is INT_MAX unless TUNSETSNDBUF
 * lowers it (we do not). A request that did return -EAGAIN would
 * normally be retried later (poll or io-wq) while the ones after it went
 * out: reordered. RWF_NOWAIT forbids that retry (io_uring completes it
 * with -EAGAIN instead), and a kernel whose TUN lacks FMODE_NOWAIT
 * refuses RWF_NOWAIT with -EOPNOTSUPP rather than punting every write
 * to io-wq workers (which would reorder freely). Either answer: the
 * packet is written again at once with write(2), and batching stops for
 * good (msg says why), since the kernel cannot take our writes inline.
 * Seen on 6.18: no write of test/integration/tun_batch.sh answered
 * either (batching would have stopped and said so).
 * No IOSQE_ASYNC, no links (IOSQE_IO_LINK would cancel a batch's rest
 * after one bad packet, and the order is already kept).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "tun.h"

_Static_assert(TUN_BATCH_PAD + sizeof(struct virtio_net_hdr) == TUN_BATCH_IP,
	       "the virtio_net header ends where the packet starts");

static uint8_t *tun_batch_slot(struct tun_batch *b, unsigned int i)
{
	return b->slots + (size_t)i * TUN_BATCH_SLOT;
}

#ifdef HAVE_LIBURING
static void tun_batch_ring_free(struct tun_batch *b)
{
	if (!b->ring)
		return;
	io_uring_queue_exit(b->ring);
	free(b->ring);
	b->ring = NULL;
}

/* Every request gets a result; a ring that fails is given up. */
static void tun_batch_uring_submit(struct tun_batch *b, int32_t *res)
{
	struct io_uring *ring = b->ring;
	struct io_uring_cqe *cqe;
	unsigned int i, got = 0;
	int r;

	for (i = 0; i < b->n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		/* The ring has max entries and we reap every one. */
		io_uring_prep_write(sqe, b->fd, tun_batch_buf(b, i),
				    b->len[i], 0);
		sqe->rw_flags = RWF_NOWAIT;
		sqe->user_data = i;
		res[i] = -ECANCELED;
	}
	do {
		r = io_uring_submit_and_wait(ring, b->n);
	} while (r == -EINTR);
	if (r < 0) {
		/* Nothing taken: written one by one below, ring given up. */
		snprintf(b->msg, sizeof(b->msg), "TUN batch: io_uring "
			 "submit: %s; one write per packet", strerror(-r));
		for (i = 0; i < b->n; i++)
			res[i] = -EOPNOTSUPP;
		return;
	}
	while (got < (unsigned int)r) {
		int w = io_uring_wait_cqe(ring, &cqe);

		if (w == -EINTR)
			continue;
		if (w < 0) {
			/* Cannot happen with requests in flight; if it
			 * did, those not reaped stay -ECANCELED: failed. */
			snprintf(b->msg, sizeof(b->msg), "TUN batch: "
				 "io_uring wait: %s; one write per packet",
				 strerror(-w));
			b->max = 0;
			return;
		}
		if (cqe->user_data < b->n)
			res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
		got++;
	}
	if (got < b->n) {
		/* The kernel took only some (out of memory): the rest,
		 * still in the ring, must never go later. */
		snprintf(b->msg, sizeof(b->msg), "TUN batch: io_uring took "
			 "%u of %u; one write per packet", got, b->n);
		for (i = got; i < b->n; i++)
			res[i] = -EOPNOTSUPP;
	}
}

static int tun_batch_ring_init(struct tun_batch *b, char *err,
			       size_t errlen)
{
	int r;

	b->ring = calloc(1, sizeof(struct io_uring));
	if (!b->ring) {
		snprintf(err, errlen, "TUN batch: out of memory");
		return -1;
	}
	/* No SQPOLL: measured slower on 2 CPUs; no DEFER_TASKRUN or
	 * SINGLE_ISSUER: set up by the main thread, used by the worker. */
	r = io_uring_queue_init(b->max, b->ring, 0);
	if (r < 0) {
		free(b->ring);
		b->ring = NULL;
		snprintf(err, errlen, "TUN batch: io_uring set-up: %s (%s); "
			 "one write per packet", strerror(-r),
			 r == -EPERM ? "kernel.io_uring_disabled or seccomp?" :
				       "RLIMIT_MEMLOCK or kernel?");
		return -1;
	}
	b->submit = tun_batch_uring_submit;
	return 0;
}
#else
static void tun_batch_ring_free(struct tun_batch *b)
{
	(void)b;
}

static int tun_batch_ring_init(struct tun_batch *b, char *err,
			       size_t errlen)
{
	(void)b;
	snprintf(err, errlen, "TUN batch: built without liburing; one "
		 "write per packet");
	return -1;
}
#endif

int tun_batch_init(struct tun_batch *b, int fd, unsigned int max,
		   char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->fd = fd;
	if (max <= 1)
		return 0;
	if (max > TUN_BATCH_MAX)
		max = TUN_BATCH_MAX;
	b->slots = malloc((size_t)max * TUN_BATCH_SLOT);
	if (!b->slots) {
		snprintf(err, errlen, "TUN batch: out of memory");
		return -1;
	}
	b->max = max;
	if (tun_batch_ring_init(b, err, errlen)) {
		free(b->slots);
		b->slots = NULL;
		b->max = 0;
		return -1;
	}
	return 0;
}

void tun_batch_free(struct tun_batch *b)
{
	if (b->n)
		tun_batch_flush(b);
	tun_batch_ring_free(b);
	free(b->slots);
	b->slots = NULL;
	b->max = 0;
	b->n = 0;
}

/* The kernel's answer for one slot, counted; false: write it again. */
static bool tun_batch_result(struct tun_batch *b, unsigned int i, int32_t r)
{
	if (r == -EAGAIN || r == -EOPNOTSUPP) {
		if (!b->msg[0])
			snprintf(b->msg, sizeof(b->msg), "TUN batch: the "
				 "kernel cannot write to the device inline "
				 "(%s); one write per packet", strerror(-r));
		b->max = 0;
		return false;
	}
	if (r >= 0 && (uint32_t)r == b->len[i])
		b->written++;
	else
		b->failed++;	/* an error, or short: as tun_write's -EIO */
	return true;
}

void tun_batch_flush(struct tun_batch *b)
{
	int32_t res[TUN_BATCH_MAX];
	unsigned int i;

	if (!b->n)
		return;
	b->submit(b, res);
	b->submits++;
	for (i = 0; i < b->n; i++) {
		ssize_t r;

		if (tun_batch_result(b, i, res[i]))
			continue;
		/* The device's fd blocks: this write does not -EAGAIN. */
		r = write(b->fd, tun_batch_buf(b, i), b->len[i]);
		tun_batch_result(b, i, r < 0 ? -errno : (int32_t)r);
	}
	b->n = 0;
	/* Gave up: the ring goes now, the caller writes directly. */
	if (!b->max)
		tun_batch_ring_free(b);
}

int tun_batch_add(struct tun_batch *b, const uint8_t *pkt, size_t len)
{
	struct tun_head h;
	uint8_t *s;

	if (!b->max || len < 20 || TUN_BATCH_IP + len > TUN_BATCH_SLOT)
		return -1;
	tun_head(&h, pkt, NULL);
	s = tun_batch_slot(b, b->n);
	if (pkt == s + TUN_BATCH_IP) {
		/* Written in place by the core: only the head changes. */
		b->direct++;
	} else {
		memcpy(s + TUN_BATCH_IP + TUN_HEAD, pkt + TUN_HEAD,
		       len - TUN_HEAD);
		b->copied += len;
	}
	memcpy(s + TUN_BATCH_PAD, &h.vh, sizeof(h.vh));
	memcpy(s + TUN_BATCH_IP, h.ip, TUN_HEAD);
	b->len[b->n++] = (uint32_t)(sizeof(h.vh) + len);
	if (b->n == b->max)
		tun_batch_flush(b);
	return 0;
}
