// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Offloads, the kernel side: ethtool_nl.c for the features, link_nl.c for
 * the MTU and the GRO/GSO size limits. offloads.c decides; this only reads
 * and writes.
 */
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/netlink.h>

#include "link_nl.h"
#include "offloads_sys.h"

/* The rtnetlink attribute behind each size offloads.c judges. */
static const enum link_nl_size offl_link_size[OFFL_S_COUNT] = {
	[OFFL_S_GRO] = LINK_NL_GRO_MAX,
	[OFFL_S_GSO] = LINK_NL_GSO_MAX,
	[OFFL_S_GRO_IPV4] = LINK_NL_GRO_IPV4_MAX,
	[OFFL_S_GSO_IPV4] = LINK_NL_GSO_IPV4_MAX,
};

int offl_sys_open(struct offl_sys *s, bool force_ioctl, char *err,
		  size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->eth.fd = -1;
	if (ethnl_open(&s->eth, force_ioctl, err, errlen))
		return -1;
	s->rt = link_nl_socket(NETLINK_ROUTE, err, errlen);
	return s->rt ? 0 : -1;
}

void offl_sys_close(struct offl_sys *s)
{
	ethnl_close(&s->eth);
	if (s->rt)
		mnl_socket_close(s->rt);
	s->rt = NULL;
}

static int offl_sys_find(struct offl_iface *ifs, size_t n, char *err,
			 size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ifs[i].ifindex = if_nametoindex(ifs[i].name);
		if (!ifs[i].ifindex) {
			snprintf(err, errlen, "no interface '%s'", ifs[i].name);
			return -1;
		}
	}
	return 0;
}

static int offl_read_features(struct offl_sys *s, struct offl_iface *ifc,
			      char *err, size_t errlen)
{
	struct ethnl_feature f[OFFL_F_COUNT];
	char why[256];
	int i;

	for (i = 0; i < OFFL_F_COUNT; i++)
		f[i].name = offl_feat_name(i);
	if (ethnl_features_get(&s->eth, ifc->name, f, OFFL_F_COUNT, why,
			       sizeof(why))) {
		snprintf(err, errlen, "%s: reading features: %s", ifc->name,
			 why);
		return -1;
	}
	for (i = 0; i < OFFL_F_COUNT; i++)
		ifc->feat[i] = offl_feat_state(f[i].hw, f[i].active,
					       f[i].nochange);
	return 0;
}

static int offl_read_link(struct offl_sys *s, struct offl_iface *ifc,
			  char *err, size_t errlen)
{
	struct link_nl_info info;
	char why[256];
	int i;

	if (link_nl_get(s->rt, ifc->ifindex, &info, why, sizeof(why))) {
		snprintf(err, errlen, "%s: reading the link: %s", ifc->name,
			 why);
		return -1;
	}
	ifc->mtu = info.mtu;
	for (i = 0; i < OFFL_S_COUNT; i++) {
		ifc->size[i] = info.size[offl_link_size[i]];
		ifc->size_known[i] = info.size_known[offl_link_size[i]];
	}
	return 0;
}

static int offl_read_states(struct offl_sys *s, struct offl_iface *ifs,
			    size_t n, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (offl_read_features(s, &ifs[i], err, errlen) ||
		    offl_read_link(s, &ifs[i], err, errlen))
			return -1;
	return 0;
}

/* Adds the ports of bridges, bonds and teams and the devices below VLANs. */
static int offl_sys_lowers(struct offl_sys *s, struct offl_iface *ifs,
			   size_t *n, size_t max, char *err, size_t errlen)
{
	size_t nlinks;
	char why[256];

	if (link_nl_dump(s->rt, s->links, OFFL_SYS_MAX_LINKS, &nlinks, why,
			 sizeof(why))) {
		snprintf(err, errlen, "listing interfaces: %s", why);
		return -1;
	}
	*n = offl_add_lowers(ifs, *n, max, s->links, nlinks);
	return 0;
}

int offl_sys_read(struct offl_sys *s, struct offl_iface *ifs, size_t *n,
		  size_t max, char *err, size_t errlen)
{
	if (*n > OFFL_MAX_IFACES || *n > max) {
		snprintf(err, errlen, "too many interfaces (at most %d)",
			 OFFL_MAX_IFACES);
		return -1;
	}
	if (offl_sys_find(ifs, *n, err, errlen) ||
	    offl_sys_lowers(s, ifs, n, max, err, errlen))
		return -1;
	return offl_read_states(s, ifs, *n, err, errlen);
}

/* The planned changes of one interface: features off, then sizes. */
struct offl_change {
	const char *names[OFFL_F_COUNT];
	bool on[OFFL_F_COUNT];
	size_t nfeat;
	uint32_t size[LINK_NL_SIZE_COUNT];
	bool set[LINK_NL_SIZE_COUNT];
	bool any_size;
};

static void offl_collect(const struct offl_action *acts, size_t nacts,
			 size_t idx, struct offl_change *ch)
{
	const struct offl_action *a;
	enum link_nl_size ls;

	memset(ch, 0, sizeof(*ch));
	for (a = acts; a < acts + nacts; a++) {
		if (a->iface != idx || a->result != OFFL_RES_WOULD)
			continue;
		if (a->is_size) {
			ls = offl_link_size[a->id];
			ch->size[ls] = a->to;
			ch->set[ls] = true;
			ch->any_size = true;
		} else if (ch->nfeat < OFFL_F_COUNT) {
			ch->names[ch->nfeat] = offl_feat_name(a->id);
			ch->on[ch->nfeat++] = a->to;
		}
	}
}

static int offl_apply_one(struct offl_sys *s, const struct offl_iface *ifc,
			  const struct offl_change *ch, char *err,
			  size_t errlen)
{
	char why[256];

	if (ch->nfeat && ethnl_features_set(&s->eth, ifc->name, ch->names,
					    ch->on, ch->nfeat, why,
					    sizeof(why))) {
		snprintf(err, errlen, "%s: changing features: %s", ifc->name,
			 why);
		return -1;
	}
	if (ch->any_size && link_nl_set_sizes(s->rt, ifc->ifindex, ch->size,
					      ch->set, why, sizeof(why))) {
		snprintf(err, errlen, "%s: changing sizes: %s", ifc->name,
			 why);
		return -1;
	}
	return 0;
}

int offl_sys_apply(struct offl_sys *s, struct offl_iface *ifs, size_t n,
		   struct offl_action *acts, size_t nacts, char *err,
		   size_t errlen)
{
	struct offl_change ch;
	size_t i;

	if (!nacts)
		return 0;
	for (i = 0; i < n; i++) {
		offl_collect(acts, nacts, i, &ch);
		if (offl_apply_one(s, &ifs[i], &ch, err, errlen))
			return -1;
	}
	if (offl_read_states(s, ifs, n, err, errlen))
		return -1;
	offl_settle(acts, nacts, ifs);
	return 0;
}
