/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small ethtool client: device features read and changed by NAME over
 * the ethtool generic netlink family (ETHTOOL_MSG_FEATURES_GET/SET), or
 * over the legacy SIOCETHTOOL ioctls (names from the ETH_SS_FEATURES
 * string set) when the kernel lacks that family. Bit numbers differ
 * between kernels, so callers never see them.
 */
#ifndef USR_ETHTOOL_NL_H
#define USR_ETHTOOL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

struct ethnl {
	struct mnl_socket *nl;	/* NULL when using the ioctls */
	uint16_t family;	/* the "ethtool" generic netlink family id */
	int fd;			/* ioctl socket, -1 with netlink */
};

/* One feature: the caller sets name, ethnl_features_get the rest. */
struct ethnl_feature {
	const char *name;
	bool hw;		/* in the HW set: the driver can change it */
	bool active;
	bool nochange;		/* in NOCHANGE: the kernel never changes it */
};

/* Longest feature name the kernel uses, with its NUL (ETH_GSTRING_LEN). */
#define ETHNL_NAME_MAX	32
/* Most features asked about in one call. */
#define ETHNL_MAX_FEATURES 32

/*
 * Resolves the ethtool family; falls back to the ioctls when it is
 * missing, or always with force_ioctl (the tests cover that path so).
 * Returns 0, or -1 with a message in err.
 */
int ethnl_open(struct ethnl *e, bool force_ioctl, char *err, size_t errlen);
void ethnl_close(struct ethnl *e);
bool ethnl_uses_ioctl(const struct ethnl *e);

/* A name the kernel does not know reads as not hw, not active. */
int ethnl_features_get(struct ethnl *e, const char *ifname,
		       struct ethnl_feature *feat, size_t n,
		       char *err, size_t errlen);

/*
 * Asks for each names[i] to be on[i]; the others stay. The kernel may
 * keep a feature it cannot change: read the states back to know.
 */
int ethnl_features_set(struct ethnl *e, const char *ifname,
		       const char *const *names, const bool *on, size_t n,
		       char *err, size_t errlen);

#endif
