/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ingress: one NFQUEUE queue on its own netlink socket (libmnl +
 * libnetfilter_queue's nlmsg API). Packets are read in batches with
 * recvmmsg(); the handler decides each packet's fate, and the verdicts
 * of a batch leave in one datagram: the exceptions (accepts) first, then
 * one NFQNL_MSG_VERDICT_BATCH drop up to the batch's highest id, which
 * the kernel applies to every id up to it still queued.
 */
#ifndef TRANSLATOR_NFQ_H
#define TRANSLATOR_NFQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "daemon_stats.h"

/* Datagrams read per recvmmsg(). */
#define NFQ_BATCH	32
/* Whole packets are copied (the kernel caps the range at 65531). */
#define NFQ_COPY_RANGE	65535u
/* One datagram: the packet plus the netlink and queue attributes. */
#define NFQ_BUF_SIZE	(65536u + 4096u)	/* keeps every buffer aligned */

struct nfq_opts {
	uint16_t num;
	bool gso;		/* NFQA_CFG_F_GSO: aggregates arrive whole */
	bool fail_open;		/* NFQA_CFG_F_FAIL_OPEN */
	uint32_t maxlen;	/* NFQA_CFG_QUEUE_MAXLEN */
	uint32_t rcvbuf;	/* SO_RCVBUFFORCE */
};

struct nfq_pkt {
	uint32_t id;
	uint8_t *data;		/* the copied packet (ours to modify) */
	uint32_t len;		/* bytes copied */
	uint32_t full_len;	/* NFQA_CAP_LEN, or len when absent */
	uint32_t skbinfo;	/* NFQA_SKB_* flags */
	uint32_t indev;		/* ingress ifindex, 0 if not given */
};

enum nfq_action {
	NFQ_DROP,
	NFQ_ACCEPT,
};

typedef enum nfq_action (*nfq_handler)(void *arg, const struct nfq_pkt *pkt);

struct mnl_socket;

struct nfq_queue {
	struct mnl_socket *nl;
	int fd;
	unsigned int portid;
	struct nfq_opts opts;
	uint8_t *bufs;			/* NFQ_BATCH * NFQ_BUF_SIZE */
	struct mmsghdr msgs[NFQ_BATCH];
	struct iovec iov[NFQ_BATCH];
	char *vbuf;			/* verdicts of the current batch */
	size_t vlen;
	uint32_t drop_maxid;
	bool drop_pending;
};

/* Binds the queue; on failure writes a message into err. */
int nfq_queue_open(struct nfq_queue *q, const struct nfq_opts *opts,
		   char *err, size_t errlen);
void nfq_queue_close(struct nfq_queue *q);

/*
 * Reads one batch without blocking and hands each packet to fn, then sends
 * the verdicts. Returns the number of packets (0: nothing was waiting), or
 * -1 on a socket error that will not go away.
 */
int nfq_queue_poll(struct nfq_queue *q, nfq_handler fn, void *arg,
		   struct dstats *st);

#endif
