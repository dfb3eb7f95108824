// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtnetlink for transctl offloads: MTU and GRO/GSO size limits of one
 * interface, and the request/ACK exchange both netlink clients use.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "link_nl.h"

/*
 * Linux 6.3 added these after IFLA_DEVLINK_PORT (62); Debian 12's 6.1
 * headers stop at IFLA_ALLMULTI (61), so they are numbered here.
 */
#define LINK_NL_IFLA_GSO_IPV4_MAX_SIZE	63
#define LINK_NL_IFLA_GRO_IPV4_MAX_SIZE	64

/* One RTM_NEWLINK answer is a few KB; ethtool's verbose bitsets too. */
#define LINK_NL_BUF		32768
#define LINK_NL_REQ_BUF		1024
/*
 * A request gets its reply and an ACK, a dump of every interface a few
 * dozen buffers on a big router: more reads mean a confused peer.
 */
#define LINK_NL_MAX_READS	1024

static const uint16_t link_nl_size_attr[LINK_NL_SIZE_COUNT] = {
	[LINK_NL_GRO_MAX] = IFLA_GRO_MAX_SIZE,
	[LINK_NL_GSO_MAX] = IFLA_GSO_MAX_SIZE,
	[LINK_NL_GRO_IPV4_MAX] = LINK_NL_IFLA_GRO_IPV4_MAX_SIZE,
	[LINK_NL_GSO_IPV4_MAX] = LINK_NL_IFLA_GSO_IPV4_MAX_SIZE,
};

struct mnl_socket *link_nl_socket(int bus, char *err, size_t errlen)
{
	struct mnl_socket *nl;
	int one = 1;
	int saved;

	nl = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl)
		goto fail;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail_close;
	/* Best effort: without them an error still carries its errno. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return nl;

fail_close:
	saved = errno;
	mnl_socket_close(nl);
	errno = saved;
fail:
	snprintf(err, errlen, "netlink socket: %s", strerror(errno));
	return NULL;
}

/* The caller's callback, and where the kernel's error text goes. */
struct link_nl_talk {
	mnl_cb_t cb;
	void *data;
	char *err;
	size_t errlen;
};

static int link_nl_on_data(const struct nlmsghdr *nlh, void *data)
{
	struct link_nl_talk *t = data;

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static int link_nl_extack_attr(const struct nlattr *attr, void *data)
{
	struct link_nl_talk *t = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(t->err, t->errlen, "%s", mnl_attr_get_str(attr));
	return MNL_CB_OK;
}

/* NLMSG_ERROR: an ACK (error 0) ends the exchange; else keep the text. */
static int link_nl_on_error(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	size_t off = sizeof(*e);

	if (len < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	/* Uncapped, the request follows the header before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off <= len)
		mnl_attr_parse(nlh, off, link_nl_extack_attr, data);
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int link_nl_on_done(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

/* Not const: libmnl 1.0.4's mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t link_nl_ctl[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = link_nl_on_error,
	[NLMSG_DONE] = link_nl_on_done,
};

static uint32_t link_nl_next_seq(void)
{
	static uint32_t seq;

	if (!seq)
		seq = (uint32_t)time(NULL);
	return ++seq;
}

/* Reads replies until the ACK or an error; returns the mnl_cb_run2 code. */
static int link_nl_read(struct mnl_socket *nl, uint32_t seq,
			struct link_nl_talk *t)
{
	static char buf[LINK_NL_BUF];
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int i, ret;

	for (i = 0; i < LINK_NL_MAX_READS; i++) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return MNL_CB_ERROR;
		ret = mnl_cb_run2(buf, (size_t)n, seq, portid, link_nl_on_data,
				  t, link_nl_ctl, NLMSG_MIN_TYPE);
		if (ret <= MNL_CB_STOP)
			return ret;
	}
	errno = EPROTO;
	return MNL_CB_ERROR;
}

int link_nl_transact(struct mnl_socket *nl, struct nlmsghdr *nlh,
		     mnl_cb_t cb, void *data, char *err, size_t errlen)
{
	struct link_nl_talk t = { cb, data, err, errlen };

	nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = link_nl_next_seq();
	err[0] = '\0';
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto fail;
	if (link_nl_read(nl, nlh->nlmsg_seq, &t) < 0)
		goto fail;
	return 0;

fail:
	if (!err[0])
		snprintf(err, errlen, "%s", strerror(errno));
	return -1;
}

/* buf has LINK_NL_REQ_BUF bytes. */
static struct nlmsghdr *link_nl_request(char *buf, uint16_t type,
					unsigned int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	/* libmnl 1.0.4 leaves attribute padding as it finds it. */
	memset(buf, 0, LINK_NL_REQ_BUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)ifindex;
	return nlh;
}

static int link_nl_attr(const struct nlattr *attr, void *data)
{
	struct link_nl_info *info = data;
	uint16_t type = mnl_attr_get_type(attr);
	int i;

	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_OK;	/* not one of ours */
	if (type == IFLA_MTU)
		info->mtu = mnl_attr_get_u32(attr);
	for (i = 0; i < LINK_NL_SIZE_COUNT; i++) {
		if (type != link_nl_size_attr[i])
			continue;
		info->size[i] = mnl_attr_get_u32(attr);
		info->size_known[i] = true;
	}
	return MNL_CB_OK;
}

static int link_nl_on_link(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	return mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_nl_attr,
			      data);
}

int link_nl_get(struct mnl_socket *nl, unsigned int ifindex,
		struct link_nl_info *info, char *err, size_t errlen)
{
	char req[LINK_NL_REQ_BUF];
	struct nlmsghdr *nlh = link_nl_request(req, RTM_GETLINK, ifindex);

	memset(info, 0, sizeof(*info));
	/* Statistics are most of the answer and of no use here. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return link_nl_transact(nl, nlh, link_nl_on_link, info, err, errlen);
}

/* IFLA_LINKINFO's IFLA_INFO_KIND: only "vlan" matters here. */
static int link_nl_info_attr(const struct nlattr *attr, void *data)
{
	struct link_nl_entry *e = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		e->vlan = !strcmp(mnl_attr_get_str(attr), "vlan");
	return MNL_CB_OK;
}

static int link_nl_entry_attr(const struct nlattr *attr, void *data)
{
	struct link_nl_entry *e = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == IFLA_IFNAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0 &&
	    mnl_attr_get_payload_len(attr) <= sizeof(e->name))
		memcpy(e->name, mnl_attr_get_str(attr),
		       mnl_attr_get_payload_len(attr));
	else if ((type == IFLA_MASTER || type == IFLA_LINK) &&
		 mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		*(type == IFLA_MASTER ? &e->master : &e->link) =
			mnl_attr_get_u32(attr);
	else if (type == IFLA_LINKINFO &&
		 mnl_attr_validate(attr, MNL_TYPE_NESTED) >= 0)
		mnl_attr_parse_nested(attr, link_nl_info_attr, e);
	return MNL_CB_OK;
}

int link_nl_parse_entry(const struct nlmsghdr *nlh, struct link_nl_entry *e)
{
	const struct ifinfomsg *ifm;

	memset(e, 0, sizeof(*e));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return -1;
	ifm = mnl_nlmsg_get_payload(nlh);
	e->ifindex = (unsigned int)ifm->ifi_index;
	if (mnl_attr_parse(nlh, sizeof(*ifm), link_nl_entry_attr, e) < 0 ||
	    !e->name[0] || !e->ifindex)
		return -1;
	return 0;
}

struct link_nl_list {
	struct link_nl_entry *out;
	size_t max;
	size_t n;
};

static int link_nl_on_entry(const struct nlmsghdr *nlh, void *data)
{
	struct link_nl_list *l = data;

	if (l->n < l->max && !link_nl_parse_entry(nlh, &l->out[l->n]))
		l->n++;
	return MNL_CB_OK;
}

int link_nl_dump(struct mnl_socket *nl, struct link_nl_entry *out,
		 size_t max, size_t *n, char *err, size_t errlen)
{
	struct link_nl_list l = { out, max, 0 };
	char req[LINK_NL_REQ_BUF];
	struct nlmsghdr *nlh = link_nl_request(req, RTM_GETLINK, 0);
	int ret;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	ret = link_nl_transact(nl, nlh, link_nl_on_entry, &l, err, errlen);
	*n = l.n;
	return ret;
}

int link_nl_set_sizes(struct mnl_socket *nl, unsigned int ifindex,
		      const uint32_t *size, const bool *set,
		      char *err, size_t errlen)
{
	char req[LINK_NL_REQ_BUF];
	struct nlmsghdr *nlh = link_nl_request(req, RTM_NEWLINK, ifindex);
	int i;

	for (i = 0; i < LINK_NL_SIZE_COUNT; i++)
		if (set[i])
			mnl_attr_put_u32(nlh, link_nl_size_attr[i], size[i]);
	return link_nl_transact(nl, nlh, NULL, NULL, err, errlen);
}
