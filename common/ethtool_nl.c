// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ethtool features by name: generic netlink (FEATURES_GET/SET with
 * verbose bitsets, which carry names) first; the SIOCETHTOOL ioctls,
 * which carry bit numbers looked up in the ETH_SS_FEATURES string set,
 * only when the kernel has no ethtool family.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sockios.h>

#include "ethtool_nl.h"
#include "link_nl.h"

/* Room for ETHNL_MAX_FEATURES names with their nests, and the header. */
#define ETHNL_REQ_BUF	4096

/* --- generic netlink --------------------------------------------------- */

static int ethnl_family_attr(const struct nlattr *attr, void *data)
{
	uint16_t *family = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int ethnl_on_family(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
			      ethnl_family_attr, data);
}

/* buf has ETHNL_REQ_BUF bytes. */
static struct nlmsghdr *ethnl_genl_msg(char *buf, uint16_t type,
				       uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	/* libmnl 1.0.4 leaves attribute padding as it finds it. */
	memset(buf, 0, ETHNL_REQ_BUF);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* CTRL_CMD_GETFAMILY "ethtool"; ENOENT in errno when it is missing. */
static int ethnl_resolve(struct ethnl *e, char *err, size_t errlen)
{
	char req[ETHNL_REQ_BUF];
	struct nlmsghdr *nlh;

	nlh = ethnl_genl_msg(req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
	e->family = 0;
	if (link_nl_transact(e->nl, nlh, ethnl_on_family, &e->family, err,
			     errlen))
		return -1;
	if (!e->family) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* A request whose header names the device (the same for every message). */
static struct nlmsghdr *ethnl_dev_msg(const struct ethnl *e, char *buf,
				      uint8_t cmd, const char *ifname)
{
	struct nlmsghdr *nlh;
	struct nlattr *hdr;

	nlh = ethnl_genl_msg(buf, e->family, cmd, ETHTOOL_GENL_VERSION);
	hdr = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_HEADER);
	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, ifname);
	mnl_attr_nest_end(nlh, hdr);
	return nlh;
}

/* Where each bitset of the reply lands in struct ethnl_feature. */
static const struct {
	uint16_t attr;
	size_t field;
} ethnl_sets[] = {
	{ ETHTOOL_A_FEATURES_HW,       offsetof(struct ethnl_feature, hw) },
	{ ETHTOOL_A_FEATURES_ACTIVE,   offsetof(struct ethnl_feature, active) },
	{ ETHTOOL_A_FEATURES_NOCHANGE, offsetof(struct ethnl_feature, nochange) },
};

struct ethnl_get {
	struct ethnl_feature *feat;
	size_t n;
	size_t field;		/* of the bitset being parsed */
};

struct ethnl_bitset {
	bool nomask;
	bool compact;
	const struct nlattr *bits;
};

struct ethnl_bit {
	const char *name;
	bool value;
};

static int ethnl_bitset_attr(const struct nlattr *attr, void *data)
{
	struct ethnl_bitset *bs = data;

	switch (mnl_attr_get_type(attr)) {
	case ETHTOOL_A_BITSET_NOMASK:
		bs->nomask = true;
		break;
	case ETHTOOL_A_BITSET_VALUE:
		bs->compact = true;
		break;
	case ETHTOOL_A_BITSET_BITS:
		bs->bits = attr;
		break;
	}
	return MNL_CB_OK;
}

static int ethnl_bit_attr(const struct nlattr *attr, void *data)
{
	struct ethnl_bit *b = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == ETHTOOL_A_BITSET_BIT_NAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		b->name = mnl_attr_get_str(attr);
	else if (type == ETHTOOL_A_BITSET_BIT_VALUE)
		b->value = true;
	return MNL_CB_OK;
}

static void ethnl_mark(struct ethnl_get *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (!strcmp(g->feat[i].name, name))
			*(bool *)((char *)&g->feat[i] + g->field) = true;
}

/*
 * A verbose bitset lists bits by name: without a mask only the set ones,
 * with a mask each listed bit carries VALUE when set.
 */
static int ethnl_parse_bitset(const struct nlattr *attr, struct ethnl_get *g)
{
	struct ethnl_bitset bs = { 0 };
	const struct nlattr *pos;

	if (mnl_attr_parse_nested(attr, ethnl_bitset_attr, &bs) < 0)
		return MNL_CB_ERROR;
	if (bs.compact && !bs.bits) {
		errno = EPROTO;	/* we did not ask for compact bitsets */
		return MNL_CB_ERROR;
	}
	if (!bs.bits)
		return MNL_CB_OK;	/* an empty set */
	mnl_attr_for_each_nested(pos, bs.bits) {
		struct ethnl_bit b = { NULL, false };

		if (mnl_attr_get_type(pos) != ETHTOOL_A_BITSET_BITS_BIT)
			continue;
		if (mnl_attr_parse_nested(pos, ethnl_bit_attr, &b) < 0)
			return MNL_CB_ERROR;
		if (b.name && (bs.nomask || b.value))
			ethnl_mark(g, b.name);
	}
	return MNL_CB_OK;
}

static int ethnl_features_attr(const struct nlattr *attr, void *data)
{
	struct ethnl_get *g = data;
	size_t i;

	for (i = 0; i < sizeof(ethnl_sets) / sizeof(ethnl_sets[0]); i++) {
		if (mnl_attr_get_type(attr) != ethnl_sets[i].attr)
			continue;
		g->field = ethnl_sets[i].field;
		return ethnl_parse_bitset(attr, g);
	}
	return MNL_CB_OK;
}

static int ethnl_on_features(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
			      ethnl_features_attr, data);
}

static int ethnl_nl_get(struct ethnl *e, const char *ifname,
			struct ethnl_feature *feat, size_t n,
			char *err, size_t errlen)
{
	char req[ETHNL_REQ_BUF];
	struct ethnl_get g = { feat, n, 0 };
	struct nlmsghdr *nlh;

	nlh = ethnl_dev_msg(e, req, ETHTOOL_MSG_FEATURES_GET, ifname);
	return link_nl_transact(e->nl, nlh, ethnl_on_features, &g, err,
				errlen);
}

/* WANTED lists the names to change, each with VALUE when it is wanted on. */
static int ethnl_nl_set(struct ethnl *e, const char *ifname,
			const char *const *names, const bool *on, size_t n,
			char *err, size_t errlen)
{
	char req[ETHNL_REQ_BUF];
	struct nlattr *wanted, *bits, *bit;
	struct nlmsghdr *nlh;
	size_t i;

	nlh = ethnl_dev_msg(e, req, ETHTOOL_MSG_FEATURES_SET, ifname);
	wanted = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_WANTED);
	bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
	for (i = 0; i < n; i++) {
		bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
		mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, names[i]);
		if (on[i])
			mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
		mnl_attr_nest_end(nlh, bit);
	}
	mnl_attr_nest_end(nlh, bits);
	mnl_attr_nest_end(nlh, wanted);
	return link_nl_transact(e->nl, nlh, NULL, NULL, err, errlen);
}

/* --- legacy ioctls ----------------------------------------------------- */

static int ethnl_ioctl(const struct ethnl *e, const char *ifname, void *cmd,
		       const char *what, char *err, size_t errlen)
{
	struct ifreq ifr;
	int ret;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	ret = ioctl(e->fd, SIOCETHTOOL, &ifr);
	if (ret < 0)
		snprintf(err, errlen, "SIOCETHTOOL %s: %s", what,
			 strerror(errno));
	return ret;
}

/* The feature names, ETH_GSTRING_LEN bytes each, in bit order. */
static struct ethtool_gstrings *ethnl_names(const struct ethnl *e,
					    const char *ifname,
					    char *err, size_t errlen)
{
	struct ethtool_sset_info *info;
	struct ethtool_gstrings *gs = NULL;
	uint32_t count;

	info = calloc(1, sizeof(*info) + sizeof(info->data[0]));
	if (!info)
		goto nomem;
	info->cmd = ETHTOOL_GSSET_INFO;
	info->sset_mask = 1ULL << ETH_SS_FEATURES;
	if (ethnl_ioctl(e, ifname, info, "GSSET_INFO", err, errlen) < 0)
		goto out;
	count = info->sset_mask ? info->data[0] : 0;
	gs = calloc(1, sizeof(*gs) + (size_t)count * ETH_GSTRING_LEN);
	if (!gs)
		goto nomem;
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_FEATURES;
	gs->len = count;
	if (ethnl_ioctl(e, ifname, gs, "GSTRINGS", err, errlen) < 0) {
		free(gs);
		gs = NULL;
	}
	goto out;

nomem:
	snprintf(err, errlen, "out of memory");
out:
	free(info);
	return gs;
}

static int ethnl_bit_of(const struct ethtool_gstrings *gs, const char *name)
{
	uint32_t i;

	for (i = 0; i < gs->len; i++)
		if (!strncmp((const char *)gs->data + i * ETH_GSTRING_LEN,
			     name, ETH_GSTRING_LEN))
			return (int)i;
	return -1;
}

static void ethnl_from_block(struct ethnl_feature *f,
			     const struct ethtool_gfeatures *gf, int bit)
{
	const struct ethtool_get_features_block *b;
	uint32_t mask;

	f->hw = f->active = f->nochange = false;
	if (bit < 0 || (uint32_t)bit / 32 >= gf->size)
		return;
	b = &gf->features[bit / 32];
	mask = 1u << (bit % 32);
	f->hw = b->available & mask;
	f->active = b->active & mask;
	f->nochange = b->never_changed & mask;
}

static int ethnl_ioctl_get(struct ethnl *e, const char *ifname,
			   struct ethnl_feature *feat, size_t n,
			   char *err, size_t errlen)
{
	struct ethtool_gstrings *gs;
	struct ethtool_gfeatures *gf = NULL;
	uint32_t blocks;
	int ret = -1;
	size_t i;

	gs = ethnl_names(e, ifname, err, errlen);
	if (!gs)
		return -1;
	blocks = (gs->len + 31) / 32;
	gf = calloc(1, sizeof(*gf) + blocks * sizeof(gf->features[0]));
	if (!gf) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	gf->cmd = ETHTOOL_GFEATURES;
	gf->size = blocks;
	if (ethnl_ioctl(e, ifname, gf, "GFEATURES", err, errlen) < 0)
		goto out;
	for (i = 0; i < n; i++)
		ethnl_from_block(&feat[i], gf, ethnl_bit_of(gs, feat[i].name));
	ret = 0;
out:
	free(gf);
	free(gs);
	return ret;
}

static int ethnl_ioctl_set(struct ethnl *e, const char *ifname,
			   const char *const *names, const bool *on, size_t n,
			   char *err, size_t errlen)
{
	struct ethtool_gstrings *gs;
	struct ethtool_sfeatures *sf;
	uint32_t blocks, mask;
	int bit, ret = -1;
	size_t i;

	gs = ethnl_names(e, ifname, err, errlen);
	if (!gs)
		return -1;
	blocks = (gs->len + 31) / 32;
	sf = calloc(1, sizeof(*sf) + blocks * sizeof(sf->features[0]));
	if (!sf) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	sf->cmd = ETHTOOL_SFEATURES;
	sf->size = blocks;
	for (i = 0; i < n; i++) {
		bit = ethnl_bit_of(gs, names[i]);
		if (bit < 0)
			continue;	/* unknown here, so never on */
		mask = 1u << (bit % 32);
		sf->features[bit / 32].valid |= mask;
		if (on[i])
			sf->features[bit / 32].requested |= mask;
	}
	/* A positive result flags bits it could not change: read back. */
	if (ethnl_ioctl(e, ifname, sf, "SFEATURES", err, errlen) >= 0)
		ret = 0;
out:
	free(sf);
	free(gs);
	return ret;
}

/* --- interface --------------------------------------------------------- */

static int ethnl_open_ioctl(struct ethnl *e, char *err, size_t errlen)
{
	e->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (e->fd < 0) {
		snprintf(err, errlen, "ethtool ioctl socket: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

int ethnl_open(struct ethnl *e, bool force_ioctl, char *err, size_t errlen)
{
	e->nl = NULL;
	e->family = 0;
	e->fd = -1;
	if (force_ioctl)
		return ethnl_open_ioctl(e, err, errlen);
	e->nl = link_nl_socket(NETLINK_GENERIC, err, errlen);
	if (!e->nl)
		return -1;
	if (!ethnl_resolve(e, err, errlen))
		return 0;
	if (errno != ENOENT) {
		ethnl_close(e);
		return -1;
	}
	/* A kernel without the ethtool family (before 5.6): the ioctls. */
	mnl_socket_close(e->nl);
	e->nl = NULL;
	return ethnl_open_ioctl(e, err, errlen);
}

void ethnl_close(struct ethnl *e)
{
	if (e->nl)
		mnl_socket_close(e->nl);
	if (e->fd >= 0)
		close(e->fd);
	e->nl = NULL;
	e->fd = -1;
}

bool ethnl_uses_ioctl(const struct ethnl *e)
{
	return !e->nl;
}

static int ethnl_check(const char *const *names, size_t n, char *err,
		       size_t errlen)
{
	size_t i;

	if (n > ETHNL_MAX_FEATURES) {
		snprintf(err, errlen, "too many features (at most %d)",
			 ETHNL_MAX_FEATURES);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strlen(names[i]) >= ETHNL_NAME_MAX) {
			snprintf(err, errlen, "feature name too long: %s",
				 names[i]);
			return -1;
		}
	}
	return 0;
}

int ethnl_features_get(struct ethnl *e, const char *ifname,
		       struct ethnl_feature *feat, size_t n,
		       char *err, size_t errlen)
{
	const char *names[ETHNL_MAX_FEATURES];
	size_t i;

	for (i = 0; i < n && i < ETHNL_MAX_FEATURES; i++) {
		names[i] = feat[i].name;
		feat[i].hw = feat[i].active = feat[i].nochange = false;
	}
	if (ethnl_check(names, n, err, errlen))
		return -1;
	if (e->nl)
		return ethnl_nl_get(e, ifname, feat, n, err, errlen);
	return ethnl_ioctl_get(e, ifname, feat, n, err, errlen);
}

int ethnl_features_set(struct ethnl *e, const char *ifname,
		       const char *const *names, const bool *on, size_t n,
		       char *err, size_t errlen)
{
	if (ethnl_check(names, n, err, errlen))
		return -1;
	if (e->nl)
		return ethnl_nl_set(e, ifname, names, on, n, err, errlen);
	return ethnl_ioctl_set(e, ifname, names, on, n, err, errlen);
}
