// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include "clock.h"
#include "nfq.h"

/* Verdict buffer: NFQ_BATCH single verdicts plus the batch one fit easily. */
#define NFQ_VBUF_SIZE	8192u
/* How long to wait for the kernel's answer to a configuration request. */
#define NFQ_ACK_TIMEOUT_MS	2000

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static void nfq_set_sockopts(struct nfq_queue *q)
{
	int one = 1, size = (int)q->opts.rcvbuf;

	/*
	 * RCVBUFFORCE passes rmem_max (we have CAP_NET_ADMIN): the default
	 * buffer overflows within milliseconds under one TCP stream. Without
	 * NO_ENOBUFS an overflow would fail the next recv with ENOBUFS; the
	 * kernel's user_dropped counter already tells the loss.
	 */
	if (setsockopt(q->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(q->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(q->fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
}

static struct nlmsghdr *nfq_config_msg(char *buf, const struct nfq_opts *o,
				       uint32_t seq)
{
	uint32_t flags = 0, mask;
	struct nlmsghdr *nlh;

	mask = NFQA_CFG_F_GSO | NFQA_CFG_F_FAIL_OPEN;
	if (o->gso)
		flags |= NFQA_CFG_F_GSO;
	if (o->fail_open)
		flags |= NFQA_CFG_F_FAIL_OPEN;

	/* Struct padding inside attributes must not leak stack/heap bytes. */
	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	/* The kernel applies the command first, then the other attributes. */
	nlh = nfq_nlmsg_put(buf, NFQNL_MSG_CONFIG, o->num);
	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	nfq_nlmsg_cfg_put_cmd(nlh, AF_UNSPEC, NFQNL_CFG_CMD_BIND);
	nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, NFQ_COPY_RANGE);
	nfq_nlmsg_cfg_put_qmaxlen(nlh, o->maxlen);
	mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
	mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(mask));
	return nlh;
}

static void nfq_verdict_add(struct nfq_queue *q, int type, uint32_t id,
			    int verdict)
{
	struct nlmsghdr *nlh;

	if (q->vlen + 128 > NFQ_VBUF_SIZE)
		return;	/* cannot happen with NFQ_BATCH verdicts */
	memset(q->vbuf + q->vlen, 0, 128);
	nlh = nfq_nlmsg_put(q->vbuf + q->vlen, type, q->opts.num);
	nfq_nlmsg_verdict_put(nlh, (int)id, verdict);
	q->vlen += MNL_ALIGN(nlh->nlmsg_len);
}

static int nfq_verdict_flush(struct nfq_queue *q, struct dstats *st)
{
	int ret = 0;

	if (q->drop_pending) {
		nfq_verdict_add(q, NFQNL_MSG_VERDICT_BATCH, q->drop_maxid,
				NF_DROP);
		dstat_inc(st, DSTAT_VERDICT_BATCHES);
	}
	if (q->vlen && mnl_socket_sendto(q->nl, q->vbuf, q->vlen) < 0) {
		dstat_inc(st, DSTAT_VERDICT_ERR);
		ret = -1;
	}
	q->vlen = 0;
	q->drop_pending = false;
	return ret;
}

static void nfq_decide(struct nfq_queue *q, uint32_t id, enum nfq_action a,
		       struct dstats *st)
{
	if (a == NFQ_ACCEPT) {
		/* Exceptions go first: the batch drop covers every lower id. */
		nfq_verdict_add(q, NFQNL_MSG_VERDICT, id, NF_ACCEPT);
		dstat_inc(st, DSTAT_VERDICT_SINGLE);
		return;
	}
	if (!q->drop_pending || id > q->drop_maxid)
		q->drop_maxid = id;
	q->drop_pending = true;
}

/* Fills pkt from a NFQNL_MSG_PACKET; -1 when an attribute is missing. */
static int nfq_parse(const struct nlmsghdr *nlh, struct nfq_pkt *pkt)
{
	struct nlattr *attr[NFQA_MAX + 1] = { 0 };
	struct nfqnl_msg_packet_hdr *ph;

	if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR] ||
	    !attr[NFQA_PAYLOAD])
		return -1;
	ph = mnl_attr_get_payload(attr[NFQA_PACKET_HDR]);
	pkt->id = ntohl(ph->packet_id);
	pkt->data = mnl_attr_get_payload(attr[NFQA_PAYLOAD]);
	pkt->len = mnl_attr_get_payload_len(attr[NFQA_PAYLOAD]);
	pkt->full_len = pkt->len;
	if (attr[NFQA_CAP_LEN])
		pkt->full_len = ntohl(mnl_attr_get_u32(attr[NFQA_CAP_LEN]));
	pkt->skbinfo = 0;
	if (attr[NFQA_SKB_INFO])
		pkt->skbinfo = ntohl(mnl_attr_get_u32(attr[NFQA_SKB_INFO]));
	pkt->indev = 0;
	if (attr[NFQA_IFINDEX_INDEV])
		pkt->indev = ntohl(mnl_attr_get_u32(attr[NFQA_IFINDEX_INDEV]));
	return 0;
}

static bool nfq_is_packet(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_type == ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET);
}

/* Handles every netlink message of one datagram. */
static void nfq_datagram(struct nfq_queue *q, const void *buf, size_t len,
			 nfq_handler fn, void *arg, struct dstats *st)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)len;
	struct nfq_pkt pkt;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			dstat_inc(st, DSTAT_NFQ_NLMSG_ERR);
			continue;
		}
		if (!nfq_is_packet(nlh))
			continue;
		if (nfq_parse(nlh, &pkt)) {
			dstat_inc(st, DSTAT_NFQ_BAD_MSG);
			continue;
		}
		dstat_inc(st, DSTAT_NFQ_RX);
		nfq_decide(q, pkt.id, fn ? fn(arg, &pkt) : NFQ_DROP, st);
	}
}

static int nfq_recv_batch(struct nfq_queue *q, struct dstats *st)
{
	int i, n;

	for (i = 0; i < NFQ_BATCH; i++) {
		q->iov[i].iov_base = q->bufs + (size_t)i * NFQ_BUF_SIZE;
		q->iov[i].iov_len = NFQ_BUF_SIZE;
		memset(&q->msgs[i].msg_hdr, 0, sizeof(q->msgs[i].msg_hdr));
		q->msgs[i].msg_hdr.msg_iov = &q->iov[i];
		q->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(q->fd, q->msgs, NFQ_BATCH, MSG_DONTWAIT, NULL);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS)
		return 0;
	dstat_inc(st, DSTAT_NFQ_RECV_ERR);
	return -1;
}

int nfq_queue_poll(struct nfq_queue *q, nfq_handler fn, void *arg,
		   struct dstats *st)
{
	uint64_t before = st->c[DSTAT_NFQ_RX];
	int i, n;

	n = nfq_recv_batch(q, st);
	if (n <= 0)
		return n;
	dstat_inc(st, DSTAT_NFQ_RX_BATCHES);
	for (i = 0; i < n; i++) {
		if (q->msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
			dstat_inc(st, DSTAT_NFQ_BAD_MSG);
			continue;
		}
		nfq_datagram(q, q->iov[i].iov_base, q->msgs[i].msg_len,
			     fn, arg, st);
	}
	nfq_verdict_flush(q, st);
	return (int)(st->c[DSTAT_NFQ_RX] - before);
}

/*
 * Waits for the answer to request seq. A packet that arrives meanwhile
 * (a rule may already point at the queue) gets a drop, so that it does
 * not stay queued.
 */
static int nfq_wait_ack(struct nfq_queue *q, uint32_t seq, char *buf,
			size_t buflen, struct dstats *st)
{
	int64_t start = clock_ms();
	const struct nlmsghdr *nlh;
	int rem;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(q->nl, buf, buflen);

		if (n < 0)
			return -1;
		nlh = (const struct nlmsghdr *)buf;
		for (rem = (int)n; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			struct nfq_pkt pkt;

			if (nlh->nlmsg_type == NLMSG_ERROR &&
			    nlh->nlmsg_seq == seq) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(nlh);
				errno = -e->error;
				return e->error ? -1 : 0;
			}
			if (nfq_is_packet(nlh) && !nfq_parse(nlh, &pkt))
				nfq_decide(q, pkt.id, q->opts.fail_open ?
					   NFQ_ACCEPT : NFQ_DROP, st);
		}
		if (clock_ms() - start > NFQ_ACK_TIMEOUT_MS) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
}

static int nfq_bind(struct nfq_queue *q, char *err, size_t errlen)
{
	struct timeval tv = { .tv_sec = 1 };
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *nlh;
	struct dstats scratch;
	int ret;

	/* A bounded wait for the ACK; the data path reads with DONTWAIT. */
	setsockopt(q->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	nlh = nfq_config_msg(q->vbuf, &q->opts, seq);
	if (mnl_socket_sendto(q->nl, nlh, nlh->nlmsg_len) < 0) {
		snprintf(err, errlen, "queue %u: send: %s", q->opts.num,
			 strerror(errno));
		return -1;
	}
	memset(&scratch, 0, sizeof(scratch));
	ret = nfq_wait_ack(q, seq, (char *)q->bufs, NFQ_BUF_SIZE, &scratch);
	if (ret) {
		/* The kernel answers EPERM when another socket owns it. */
		snprintf(err, errlen, "queue %u: bind: %s%s", q->opts.num,
			 strerror(errno), errno == EBUSY || errno == EPERM ?
			 " (another program holds this queue?)" : "");
		return -1;
	}
	nfq_verdict_flush(q, &scratch);
	return 0;
}

int nfq_queue_open(struct nfq_queue *q, const struct nfq_opts *opts,
		   char *err, size_t errlen)
{
	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->opts = *opts;
	q->bufs = malloc((size_t)NFQ_BATCH * NFQ_BUF_SIZE);
	q->vbuf = calloc(1, NFQ_VBUF_SIZE);
	if (!q->bufs || !q->vbuf) {
		snprintf(err, errlen, "queue %u: out of memory", opts->num);
		goto fail;
	}
	q->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!q->nl || mnl_socket_bind(q->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "queue %u: netlink socket: %s",
			 opts->num, strerror(errno));
		goto fail;
	}
	q->fd = mnl_socket_get_fd(q->nl);
	q->portid = mnl_socket_get_portid(q->nl);
	nfq_set_sockopts(q);
	if (nfq_bind(q, err, errlen))
		goto fail;
	return 0;
fail:
	nfq_queue_close(q);
	return -1;
}

void nfq_queue_close(struct nfq_queue *q)
{
	/* Closing the socket unbinds the queue; queued packets are dropped. */
	if (q->nl)
		mnl_socket_close(q->nl);
	free(q->bufs);
	free(q->vbuf);
	memset(q, 0, sizeof(*q));
	q->fd = -1;
}
