// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtnetlink for the route cache: RTM_GETROUTE (the kernel's output route
 * towards one destination, as ip route get) and RTM_GETLINK (a device's
 * MTUs), one synchronous exchange at a time. The socket has a receive
 * timeout so that a kernel that does not answer cannot stop the daemon,
 * and replies to an older request (one that timed out) are recognised by
 * their sequence number and discarded.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <linux/if_link.h>
#include <linux/ipv6.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "route_nl.h"

/* One request gets one reply; more reads than this mean a confused peer. */
#define ROUTE_NL_MAX_READS	8
/* Stale replies read away before a request. */
#define ROUTE_NL_MAX_DRAIN	64

struct route_nl {
	struct mnl_socket *sock;
	struct route_stats *stats;
	uint32_t portid;
	uint32_t seq;
	uint64_t req[ROUTE_NL_REQ_BUF / 8];	/* 8-byte aligned */
	uint64_t buf[ROUTE_NL_BUF / 8];
};

static size_t route_nl_addr_len(int family)
{
	if (family == AF_INET)
		return sizeof(struct in_addr);
	if (family == AF_INET6)
		return sizeof(struct in6_addr);
	return 0;
}

size_t route_nl_build_route(void *buf, size_t size, int family,
			    const void *dst, uint32_t mark, uint32_t seq)
{
	size_t alen = route_nl_addr_len(family);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (!alen || size < ROUTE_NL_REQ_BUF)
		return 0;
	memset(buf, 0, ROUTE_NL_REQ_BUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	/* A host lookup: strict checking wants 0 or the full length. */
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	mnl_attr_put(nlh, RTA_DST, alen, dst);
	/* The mark of our raw sockets (SO_MARK): fib rules may use it. */
	mnl_attr_put_u32(nlh, RTA_MARK, mark);
	return nlh->nlmsg_len;
}

size_t route_nl_build_link(void *buf, size_t size, uint32_t ifindex,
			   uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!ifindex || ifindex > INT_MAX || size < ROUTE_NL_REQ_BUF)
		return 0;
	memset(buf, 0, ROUTE_NL_REQ_BUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	/* The 64-bit counters would double the reply for nothing. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nlh->nlmsg_len;
}

/* Reads the attributes of our reply into out; < 0 when malformed. */
typedef int (*route_nl_body_fn)(const struct nlmsghdr *nlh, void *out);

/* An error reply: its errno, or BAD when it is an ACK or truncated. */
static enum route_nl_ret route_nl_error(const struct nlmsghdr *nlh,
					int *error)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e) || e->error >= 0)
		return ROUTE_NL_BAD;	/* we never ask for an ACK */
	*error = -e->error;
	return ROUTE_NL_REFUSED;
}

static enum route_nl_ret route_nl_find(const void *buf, size_t len,
				       uint32_t seq, uint32_t portid,
				       uint16_t type, route_nl_body_fn body,
				       void *out, int *error,
				       unsigned int *skipped)
{
	const struct nlmsghdr *nlh = buf;
	int left;

	*skipped = 0;
	*error = 0;
	if (len > INT_MAX)
		return ROUTE_NL_BAD;
	left = (int)len;
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != portid) {
			(*skipped)++;
			continue;
		}
		if (nlh->nlmsg_type == NLMSG_NOOP)
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return route_nl_error(nlh, error);
		if (nlh->nlmsg_type != type)
			return ROUTE_NL_BAD;
		return body(nlh, out) < 0 ? ROUTE_NL_BAD : ROUTE_NL_OK;
	}
	/* Bytes that do not make a whole message: a cut or forged reply. */
	return left > 0 ? ROUTE_NL_BAD : ROUTE_NL_AGAIN;
}

static int route_nl_metric(const struct nlattr *attr, void *data)
{
	struct route_answer *ans = data;

	if (mnl_attr_get_type(attr) != RTAX_MTU)
		return MNL_CB_OK;	/* RTAX_CC_ALGO is a string */
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	ans->mtu = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int route_nl_route_attr(const struct nlattr *attr, void *data)
{
	struct route_answer *ans = data;

	switch (mnl_attr_get_type(attr)) {
	case RTA_OIF:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		ans->oif = mnl_attr_get_u32(attr);
		break;
	case RTA_METRICS:
		/* rt_fill_info, rt6_fill_node: with a PMTU exception's MTU. */
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		return mnl_attr_parse_nested(attr, route_nl_metric, ans);
	}
	return MNL_CB_OK;
}

static int route_nl_route_body(const struct nlmsghdr *nlh, void *out)
{
	struct route_answer *ans = out;

	memset(ans, 0, sizeof(*ans));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
		return -1;
	return mnl_attr_parse(nlh, sizeof(struct rtmsg), route_nl_route_attr,
			      ans) == MNL_CB_ERROR ? -1 : 0;
}

enum route_nl_ret route_nl_parse_route(const void *buf, size_t len,
				       uint32_t seq, uint32_t portid,
				       struct route_answer *ans, int *error,
				       unsigned int *skipped)
{
	return route_nl_find(buf, len, seq, portid, RTM_NEWROUTE,
			     route_nl_route_body, ans, error, skipped);
}

/* IFLA_INET6_CONF: an array of s32 indexed by DEVCONF_*. */
static int route_nl_inet6_attr(const struct nlattr *attr, void *data)
{
	struct route_link *link = data;
	int32_t v;

	if (mnl_attr_get_type(attr) != IFLA_INET6_CONF)
		return MNL_CB_OK;
	if (mnl_attr_get_payload_len(attr) < (DEVCONF_MTU6 + 1) * sizeof(v))
		return MNL_CB_ERROR;
	memcpy(&v, (const char *)mnl_attr_get_payload(attr) +
	       DEVCONF_MTU6 * sizeof(v), sizeof(v));
	link->mtu6 = v > 0 ? (uint32_t)v : 0;
	return MNL_CB_OK;
}

static int route_nl_af_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) != AF_INET6)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
		return MNL_CB_ERROR;
	return mnl_attr_parse_nested(attr, route_nl_inet6_attr, data);
}

static int route_nl_link_attr(const struct nlattr *attr, void *data)
{
	struct route_link *link = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		link->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_AF_SPEC:
		/* The device's IPv6 MTU (net.ipv6.conf.IF.mtu) may be lower. */
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		return mnl_attr_parse_nested(attr, route_nl_af_attr, link);
	}
	return MNL_CB_OK;
}

static int route_nl_link_body(const struct nlmsghdr *nlh, void *out)
{
	struct route_link *link = out;

	memset(link, 0, sizeof(*link));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
		return -1;
	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), route_nl_link_attr,
			   link) == MNL_CB_ERROR)
		return -1;
	return link->mtu ? 0 : -1;
}

enum route_nl_ret route_nl_parse_link(const void *buf, size_t len,
				      uint32_t seq, uint32_t portid,
				      struct route_link *link, int *error,
				      unsigned int *skipped)
{
	return route_nl_find(buf, len, seq, portid, RTM_NEWLINK,
			     route_nl_link_body, link, error, skipped);
}

struct route_nl *route_nl_open(struct route_stats *stats, char *err,
			       size_t errlen)
{
	struct timeval tv = { .tv_sec = 0,
			      .tv_usec = ROUTE_RCV_TIMEOUT_MS * 1000 };
	struct route_nl *nl;
	int one = 1;
	int fd;

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		snprintf(err, errlen, "route cache: out of memory");
		return NULL;
	}
	nl->stats = stats;
	nl->seq = (uint32_t)time(NULL);
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock)
		goto fail;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	nl->portid = mnl_socket_get_portid(nl->sock);
	fd = mnl_socket_get_fd(nl->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		goto fail;
	/* Best effort: errors without our request echoed back; the kernel
	 * rejects a malformed request instead of guessing (Linux 4.20). */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	return nl;

fail:
	snprintf(err, errlen, "route cache: netlink socket: %s",
		 strerror(errno));
	route_nl_close(nl);
	return NULL;
}

void route_nl_close(struct route_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

/* Replies to requests that timed out would otherwise come first. */
static void route_nl_drain(struct route_nl *nl)
{
	int fd = mnl_socket_get_fd(nl->sock);
	int i;

	for (i = 0; i < ROUTE_NL_MAX_DRAIN; i++) {
		if (recv(fd, nl->buf, sizeof(nl->buf), MSG_DONTWAIT) < 0)
			return;
		nl->stats->discarded++;
	}
}

/* Sends the request in nl->req and reads until its answer, boundedly. */
static enum route_query route_nl_exchange(struct route_nl *nl, size_t len,
					  uint16_t type, route_nl_body_fn body,
					  void *out)
{
	enum route_nl_ret ret;
	unsigned int skipped;
	ssize_t n;
	int error, i;

	if (!len)
		return ROUTE_Q_FAIL;
	route_nl_drain(nl);
	if (mnl_socket_sendto(nl->sock, nl->req, len) < 0)
		return ROUTE_Q_FAIL;
	for (i = 0; i < ROUTE_NL_MAX_READS; i++) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			/* ESRCH: not from the kernel (libmnl checks). */
			if (errno == EINTR || errno == ESRCH)
				continue;
			return ROUTE_Q_FAIL;	/* EAGAIN: the timeout */
		}
		ret = route_nl_find(nl->buf, (size_t)n, nl->seq, nl->portid,
				    type, body, out, &error, &skipped);
		nl->stats->discarded += skipped;
		if (ret == ROUTE_NL_OK)
			return ROUTE_Q_OK;
		if (ret == ROUTE_NL_REFUSED)
			return ROUTE_Q_NOROUTE;
		if (ret == ROUTE_NL_BAD)
			return ROUTE_Q_FAIL;
	}
	return ROUTE_Q_FAIL;
}

enum route_query route_nl_get_route(void *arg, int family, const void *dst,
				    uint32_t mark, struct route_answer *ans)
{
	struct route_nl *nl = arg;
	size_t len;

	len = route_nl_build_route(nl->req, sizeof(nl->req), family, dst,
				   mark, ++nl->seq);
	return route_nl_exchange(nl, len, RTM_NEWROUTE, route_nl_route_body,
				 ans);
}

enum route_query route_nl_get_link(void *arg, uint32_t ifindex,
				   struct route_link *link)
{
	struct route_nl *nl = arg;
	size_t len;

	len = route_nl_build_link(nl->req, sizeof(nl->req), ifindex,
				  ++nl->seq);
	return route_nl_exchange(nl, len, RTM_NEWLINK, route_nl_link_body,
				 link);
}
