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

/* Sets the sizes whose set[] is true, in one RTM_NEWLINK. */
int link_nl_set_sizes(struct mnl_socket *nl, unsigned int ifindex,
		      const uint32_t *size, const bool *set,
		      char *err, size_t errlen);

#endif
