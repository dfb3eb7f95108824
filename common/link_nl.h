/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink for transctl offloads: an interface's MTU and its GRO/GSO
 * size limits (RTM_GETLINK), and lowering those limits (RTM_NEWLINK).
 * Also the request/ACK exchange with extended-ACK error messages that
 * ethtool_nl.c shares.
 */
#ifndef USR_LINK_NL_H
#define USR_LINK_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

enum link_nl_size {
	LINK_NL_GRO_MAX,
	LINK_NL_GSO_MAX,
	LINK_NL_GRO_IPV4_MAX,
	LINK_NL_GSO_IPV4_MAX,
	LINK_NL_SIZE_COUNT
};

struct link_nl_info {
	uint32_t mtu;
	uint32_t size[LINK_NL_SIZE_COUNT];
	bool size_known[LINK_NL_SIZE_COUNT];	/* the kernel reported it */
};

/* One interface of a dump: what finding the devices below another needs. */
struct link_nl_entry {
	unsigned int ifindex;
	unsigned int master;	/* IFLA_MASTER: its bridge, bond or team */
	unsigned int link;	/* IFLA_LINK: a VLAN's lower device */
	char name[16];		/* IF_NAMESIZE */
	bool vlan;		/* IFLA_INFO_KIND "vlan" */
};

/*
 * A bound netlink socket of the given bus (NETLINK_ROUTE,
 * NETLINK_GENERIC) that asks for extended ACKs; NULL with a message.
 */
struct mnl_socket *link_nl_socket(int bus, char *err, size_t errlen);

/*
 * Sends nlh (NLM_F_ACK added, sequence number set) and runs cb on each
 * reply until the ACK. Returns 0, or -1 with errno set and a message
 * (the kernel's extended ACK text when it gave one) in err.
 */
int link_nl_transact(struct mnl_socket *nl, struct nlmsghdr *nlh,
		     mnl_cb_t cb, void *data, char *err, size_t errlen);

int link_nl_get(struct mnl_socket *nl, unsigned int ifindex,
		struct link_nl_info *info, char *err, size_t errlen);

/*
 * Reads one RTM_NEWLINK message into e. Returns 0, or -1 when it is not
 * an RTM_NEWLINK or has no usable name.
 */
int link_nl_parse_entry(const struct nlmsghdr *nlh, struct link_nl_entry *e);

/*
 * Every interface of the namespace (RTM_GETLINK dump), the first max of
 * them into out; *n gets how many. Returns 0, or -1 with a message.
 */
int link_nl_dump(struct mnl_socket *nl, struct link_nl_entry *out,
		 size_t max, size_t *n, char *err, size_t errlen);

/* Sets the sizes whose set[] is true, in one RTM_NEWLINK. */
int link_nl_set_sizes(struct mnl_socket *nl, unsigned int ifindex,
		      const uint32_t *size, const bool *set,
		      char *err, size_t errlen);

#endif
