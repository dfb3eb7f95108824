// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Offloads, the pure part shared by transctl and translatord: interface
 * states in; rows, risks, --fix plans and the exit status out. No netlink
 * here (offloads_sys.c reads and writes the kernel) and no output format
 * (usr/offloads_cli.c prints), so the unit tests cover every rule.
 */
#include <stdio.h>
#include <string.h>

#include "offloads.h"

/* What each feature means to the translator when it is on. */
struct offl_feat_def {
	const char *name;
	enum offl_risk when_on;
	const char *why;
};

static const struct offl_feat_def offl_feats[OFFL_F_COUNT] = {
	[OFFL_F_GRO] = { "rx-gro", OFFL_RISK_HANDLED,
		"GRO: the translator resegments the aggregates" },
	[OFFL_F_GRO_HW] = { "rx-gro-hw", OFFL_RISK_HANDLED,
		"hardware GRO: the translator resegments the aggregates" },
	[OFFL_F_TSO] = { "tx-tcp-segmentation", OFFL_RISK_HANDLED,
		"TSO: the translator resegments the aggregates" },
	[OFFL_F_TSO6] = { "tx-tcp6-segmentation", OFFL_RISK_HANDLED,
		"TSO: the translator resegments the aggregates" },
	[OFFL_F_LRO] = { "rx-lro", OFFL_RISK_RISKY,
		"LRO: merged packets cannot be resegmented exactly" },
	[OFFL_F_GRO_LIST] = { "rx-gro-list", OFFL_RISK_RISKY,
		"GRO list: datagram boundaries lost" },
	[OFFL_F_UDP_GRO_FWD] = { "rx-udp-gro-forwarding", OFFL_RISK_RISKY,
		"UDP GRO forwarding: datagram boundaries lost" },
};

static const char *const offl_size_names[OFFL_S_COUNT] = {
	[OFFL_S_GRO] = "gro_max_size",
	[OFFL_S_GSO] = "gso_max_size",
	[OFFL_S_GRO_IPV4] = "gro_ipv4_max_size",
	[OFFL_S_GSO_IPV4] = "gso_ipv4_max_size",
};

#define OFFL_SIZE_WHY	"BIG TCP: over 64 KB, NFQUEUE truncates"

static const char *const offl_risk_names[] = {
	[OFFL_RISK_OK] = "ok",
	[OFFL_RISK_HANDLED] = "handled",
	[OFFL_RISK_INFO] = "info",
	[OFFL_RISK_RISKY] = "risky",
};

static const char *const offl_fixed_names[] = {
	[OFFL_FIXED_NO] = "no",
	[OFFL_FIXED_YES] = "yes",
	[OFFL_FIXED_NA] = "-",
};

/* How each --fix result reads; "moves" ones show "from -> to". */
static const struct {
	const char *json;
	const char *text;
	bool moves;
} offl_results[] = {
	[OFFL_RES_WOULD] = { "would change", "would change", true },
	[OFFL_RES_CHANGED] = { "changed", "changed", true },
	[OFFL_RES_UNCHANGED] = { "unchanged", "the kernel kept it", false },
	[OFFL_RES_FIXED] = { "fixed", "fixed in hardware, cannot change",
			     false },
};

const char *offl_feat_name(enum offl_feat f)
{
	return offl_feats[f].name;
}

const char *offl_size_name(enum offl_size s)
{
	return offl_size_names[s];
}

struct offl_feat_state offl_feat_state(bool in_hw, bool in_active,
				       bool in_nochange)
{
	struct offl_feat_state s = {
		.on = in_active,
		.fixed = !in_hw || in_nochange,
	};

	return s;
}

const char *offl_risk_name(enum offl_risk r)
{
	return offl_risk_names[r];
}

const char *offl_fixed_name(enum offl_fixed f)
{
	return offl_fixed_names[f];
}

const char *offl_result_name(enum offl_result r)
{
	return offl_results[r].json;
}

/* --- which interfaces -------------------------------------------------- */

static bool offl_same(const char *cfg_name, const char *name)
{
	return cfg_name && !strcmp(cfg_name, name);
}

/* Adds name unless present or empty; returns the new count. */
static size_t offl_add_iface(struct offl_iface *ifs, size_t n,
			     const char *name)
{
	size_t i;

	if (!name || !*name)
		return n;
	for (i = 0; i < n; i++)
		if (!strcmp(ifs[i].name, name))
			return n;
	memset(&ifs[n], 0, sizeof(ifs[n]));
	snprintf(ifs[n].name, sizeof(ifs[n].name), "%s", name);
	return n + 1;
}

size_t offl_targets(const char *const *names, size_t n_names,
		    const char *cfg4, const char *cfg6, struct offl_iface *ifs)
{
	size_t i, n = 0;

	if (n_names > OFFL_MAX_IFACES)
		n_names = OFFL_MAX_IFACES;
	for (i = 0; i < n_names; i++)
		n = offl_add_iface(ifs, n, names[i]);
	if (!n_names) {
		n = offl_add_iface(ifs, n, cfg4);
		n = offl_add_iface(ifs, n, cfg6);
	}
	for (i = 0; i < n; i++)
		ifs[i].roles = (offl_same(cfg4, ifs[i].name) ? OFFL_ROLE_V4 : 0) |
			       (offl_same(cfg6, ifs[i].name) ? OFFL_ROLE_V6 : 0);
	return n;
}

/* --- devices below -------------------------------------------------- */

static const struct link_nl_entry *offl_link_by_index(
	const struct link_nl_entry *links, size_t nlinks, unsigned int ifindex)
{
	size_t i;

	for (i = 0; i < nlinks; i++)
		if (links[i].ifindex == ifindex)
			return &links[i];
	return NULL;
}

static bool offl_has_index(const struct offl_iface *ifs, size_t n,
			   unsigned int ifindex)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ifs[i].ifindex == ifindex)
			return true;
	return false;
}

/* Appends link as below ifs[upper] unless present; returns the count. */
static size_t offl_add_below(struct offl_iface *ifs, size_t n, size_t max,
			     const struct link_nl_entry *link, size_t upper,
			     enum offl_below below)
{
	if (!link || n >= max || offl_has_index(ifs, n, link->ifindex))
		return n;
	memset(&ifs[n], 0, sizeof(ifs[n]));
	snprintf(ifs[n].name, sizeof(ifs[n].name), "%s", link->name);
	ifs[n].ifindex = link->ifindex;
	ifs[n].below = below;
	ifs[n].upper = upper;
	return n + 1;
}

size_t offl_add_lowers(struct offl_iface *ifs, size_t n, size_t max,
		       const struct link_nl_entry *links, size_t nlinks)
{
	const struct link_nl_entry *self;
	size_t i, j;

	/* The list grows while it is walked: ports of ports come too. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < nlinks; j++)
			if (links[j].master && links[j].master == ifs[i].ifindex)
				n = offl_add_below(ifs, n, max, &links[j], i,
						   OFFL_BELOW_PORT);
		self = offl_link_by_index(links, nlinks, ifs[i].ifindex);
		if (self && self->vlan && self->link)
			n = offl_add_below(ifs, n, max,
					   offl_link_by_index(links, nlinks,
							      self->link),
					   i, OFFL_BELOW_LOWER);
	}
	return n;
}

void offl_label(const char *name, enum offl_below below, const char *upper,
		char *buf, size_t len)
{
	if (below == OFFL_BELOW_NONE || !upper)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s (%s %s)", name,
			 below == OFFL_BELOW_PORT ? "port of" : "below", upper);
}

void offl_iface_label(const struct offl_iface *ifs, size_t i, char *buf,
		      size_t len)
{
	offl_label(ifs[i].name, ifs[i].below, ifs[ifs[i].upper].name, buf,
		   len);
}

const char *offl_below_name(enum offl_below below)
{
	return below == OFFL_BELOW_PORT ? "port" : "lower";
}

/* --- rows -------------------------------------------------------------- */

static enum offl_risk offl_feat_risk(enum offl_feat f, bool on)
{
	return on ? offl_feats[f].when_on : OFFL_RISK_OK;
}

static enum offl_risk offl_size_risk(uint32_t size)
{
	return size > OFFL_SIZE_LIMIT ? OFFL_RISK_RISKY : OFFL_RISK_OK;
}

static void offl_feat_row(const struct offl_iface *ifc, enum offl_feat f,
			  struct offl_row *r)
{
	const struct offl_feat_state *s = &ifc->feat[f];

	r->iface = ifc->name;
	r->key = f;
	r->feature = offl_feats[f].name;
	snprintf(r->state, sizeof(r->state), "%s", s->on ? "on" : "off");
	r->fixed = s->fixed ? OFFL_FIXED_YES : OFFL_FIXED_NO;
	r->risk = offl_feat_risk(f, s->on);
	snprintf(r->why, sizeof(r->why), "%s", offl_feats[f].why);
}

static void offl_size_row(const struct offl_iface *ifc, enum offl_size s,
			  struct offl_row *r)
{
	r->iface = ifc->name;
	r->key = OFFL_KEY_SIZE(s);
	r->feature = offl_size_names[s];
	snprintf(r->state, sizeof(r->state), "%u", ifc->size[s]);
	r->fixed = OFFL_FIXED_NO;
	r->risk = offl_size_risk(ifc->size[s]);
	snprintf(r->why, sizeof(r->why), "%s", OFFL_SIZE_WHY);
}

static const struct offl_iface *offl_v6_side(const struct offl_iface *ifs,
					     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ifs[i].roles & OFFL_ROLE_V6)
			return &ifs[i];
	return NULL;
}

/*
 * An IPv4 packet grows by 20 bytes. When the IPv4 MTU leaves less room
 * than that under the IPv6 one (1500 on both sides is the usual case),
 * the translator handles the IPv4 packets that no longer fit as RFC 7915
 * section 4 says: with DF set it drops them with an ICMP Fragmentation
 * Needed giving the IPv6 MTU - 20 (path MTU discovery then sends smaller
 * ones), without DF it sends them on as IPv6 fragments. Nothing is lost,
 * so this is information, not a risk. A smaller IPv4 MTU is fine: IPv6
 * senders always do path MTU discovery, so it costs them one Packet Too
 * Big.
 */
static void offl_mtu_v4(const struct offl_iface *ifc,
			const struct offl_iface *v6, struct offl_row *r)
{
	if (!v6) {
		snprintf(r->why, sizeof(r->why),
			 "IPv4 side: no IPv6 side to compare with");
	} else if (ifc->mtu + OFFL_HDR_GROWTH > v6->mtu) {
		r->risk = OFFL_RISK_INFO;
		snprintf(r->why, sizeof(r->why),
			 "IPv4 MTU %u + 20 > IPv6 MTU %u: IPv4 packets over %u bytes get Fragmentation Needed (DF) or become IPv6 fragments",
			 ifc->mtu, v6->mtu, v6->mtu - OFFL_HDR_GROWTH);
	} else {
		snprintf(r->why, sizeof(r->why),
			 "IPv4 MTU %u + 20 <= IPv6 MTU %u", ifc->mtu, v6->mtu);
	}
}

static void offl_mtu_row(const struct offl_iface *ifs, size_t n,
			 const struct offl_iface *ifc, struct offl_row *r)
{
	r->iface = ifc->name;
	r->key = OFFL_KEY_MTU;
	r->feature = "mtu";
	snprintf(r->state, sizeof(r->state), "%u", ifc->mtu);
	r->fixed = OFFL_FIXED_NA;
	r->risk = OFFL_RISK_OK;
	if ((ifc->roles & OFFL_ROLE_V6) && ifc->mtu < OFFL_IPV6_MIN_MTU) {
		r->risk = OFFL_RISK_RISKY;
		snprintf(r->why, sizeof(r->why),
			 "IPv6 side: below the IPv6 minimum of %u",
			 OFFL_IPV6_MIN_MTU);
	} else if (ifc->roles & OFFL_ROLE_V4) {
		offl_mtu_v4(ifc, offl_v6_side(ifs, n), r);
	} else if (ifc->roles & OFFL_ROLE_V6) {
		snprintf(r->why, sizeof(r->why), "IPv6 side: at least %u",
			 OFFL_IPV6_MIN_MTU);
	} else {
		snprintf(r->why, sizeof(r->why),
			 "not checked: side unknown (give -c CONFIG)");
	}
}

/* Rows [from, to) belong to ifs[i]: say which device is above it. */
static void offl_rows_below(const struct offl_iface *ifs, size_t i,
			    struct offl_row *rows, size_t from, size_t to)
{
	for (; from < to; from++) {
		rows[from].below = ifs[i].below;
		rows[from].upper = ifs[i].below == OFFL_BELOW_NONE ? NULL :
				   ifs[ifs[i].upper].name;
	}
}

size_t offl_rows(const struct offl_iface *ifs, size_t n,
		 struct offl_row *rows)
{
	size_t i, k = 0, first;
	int j;

	for (i = 0; i < n; i++) {
		first = k;
		for (j = 0; j < OFFL_F_COUNT; j++)
			offl_feat_row(&ifs[i], j, &rows[k++]);
		for (j = 0; j < OFFL_S_COUNT; j++)
			if (ifs[i].size_known[j])
				offl_size_row(&ifs[i], j, &rows[k++]);
		/* A device below has no side: the MTU is the upper's. */
		if (ifs[i].below == OFFL_BELOW_NONE)
			offl_mtu_row(ifs, n, &ifs[i], &rows[k++]);
		offl_rows_below(ifs, i, rows, first, k);
	}
	return k;
}

int offl_exit_code(const struct offl_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].risk == OFFL_RISK_RISKY)
			return OFFL_EXIT_RISKY;
	return OFFL_EXIT_OK;
}

/* --- --fix ------------------------------------------------------------- */

size_t offl_plan(const struct offl_iface *ifs, size_t n,
		 struct offl_action *acts)
{
	size_t i, k = 0;
	int j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < OFFL_F_COUNT; j++) {
			if (offl_feat_risk(j, ifs[i].feat[j].on) != OFFL_RISK_RISKY)
				continue;
			acts[k++] = (struct offl_action){
				.iface = i, .id = j, .from = 1, .to = 0,
				.result = ifs[i].feat[j].fixed ?
					  OFFL_RES_FIXED : OFFL_RES_WOULD,
			};
		}
		for (j = 0; j < OFFL_S_COUNT; j++) {
			if (!ifs[i].size_known[j] ||
			    offl_size_risk(ifs[i].size[j]) != OFFL_RISK_RISKY)
				continue;
			acts[k++] = (struct offl_action){
				.iface = i, .is_size = true, .id = j,
				.from = ifs[i].size[j], .to = OFFL_SIZE_LIMIT,
				.result = OFFL_RES_WOULD,
			};
		}
	}
	return k;
}

static uint32_t offl_value(const struct offl_iface *ifc,
			   const struct offl_action *a)
{
	return a->is_size ? ifc->size[a->id] : ifc->feat[a->id].on;
}

void offl_settle(struct offl_action *acts, size_t n,
		 const struct offl_iface *after)
{
	struct offl_action *a;
	uint32_t now;

	for (a = acts; a < acts + n; a++) {
		if (a->result == OFFL_RES_FIXED)
			continue;
		now = offl_value(&after[a->iface], a);
		a->result = now != a->from ? OFFL_RES_CHANGED :
					     OFFL_RES_UNCHANGED;
		if (now != a->from)
			a->to = now;
	}
}

/* --- describing --------------------------------------------------------- */

const char *offl_act_feature(const struct offl_action *a)
{
	return a->is_size ? offl_size_names[a->id] : offl_feats[a->id].name;
}

void offl_act_value(const struct offl_action *a, uint32_t v,
			   char *buf, size_t len)
{
	if (a->is_size)
		snprintf(buf, len, "%u", v);
	else
		snprintf(buf, len, "%s", v ? "on" : "off");
}

void offl_action_str(const struct offl_action *a,
		     const struct offl_iface *ifs, char *buf, size_t len)
{
	char from[16], to[16], name[OFFL_LABEL_MAX];

	offl_act_value(a, a->from, from, sizeof(from));
	offl_act_value(a, a->to, to, sizeof(to));
	offl_iface_label(ifs, a->iface, name, sizeof(name));
	snprintf(buf, len, "%s %s: %s%s%s: %s", name,
		 offl_act_feature(a), from,
		 offl_results[a->result].moves ? " -> " : "",
		 offl_results[a->result].moves ? to : "",
		 offl_results[a->result].text);
}

struct offl_counts offl_count(const struct offl_row *rows, size_t n)
{
	struct offl_counts k = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		k.risky += rows[i].risk == OFFL_RISK_RISKY;
		k.risky_fixed += rows[i].risk == OFFL_RISK_RISKY &&
				 rows[i].fixed != OFFL_FIXED_NO;
		k.info += rows[i].risk == OFFL_RISK_INFO;
	}
	return k;
}

/* --- saying things once ------------------------------------------------ */

static bool offl_reported(enum offl_risk r)
{
	return r == OFFL_RISK_RISKY || r == OFFL_RISK_INFO;
}

static int offl_seen_find(const struct offl_seen *s, const char *iface)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].name, iface))
			return (int)i;
	return -1;
}

bool offl_seen_has(const struct offl_seen *s, const char *iface,
		   unsigned int key)
{
	int i = offl_seen_find(s, iface);

	return i >= 0 && (s->e[i].keys & (1u << key));
}

/* Marks (iface, key) in s; false when s is full (it then stays unmarked). */
static bool offl_seen_add(struct offl_seen *s, const char *iface,
			  unsigned int key)
{
	int i = offl_seen_find(s, iface);

	if (i < 0) {
		if (s->n == OFFL_MAX_ALL)
			return false;
		i = (int)s->n++;
		snprintf(s->e[i].name, sizeof(s->e[i].name), "%s", iface);
		s->e[i].keys = 0;
	}
	s->e[i].keys |= 1u << key;
	return true;
}

size_t offl_seen_update(struct offl_seen *s, const struct offl_row *rows,
			size_t n, bool *fresh)
{
	struct offl_seen now = { .n = 0 };
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		fresh[i] = false;
		if (!offl_reported(rows[i].risk))
			continue;
		fresh[i] = !offl_seen_has(s, rows[i].iface, rows[i].key);
		offl_seen_add(&now, rows[i].iface, rows[i].key);
		k += fresh[i];
	}
	*s = now;
	return k;
}

unsigned int offl_act_key(const struct offl_action *a)
{
	return a->is_size ? OFFL_KEY_SIZE(a->id) : a->id;
}

size_t offl_acts_fresh(struct offl_action *acts, size_t n,
		       const struct offl_iface *ifs,
		       const struct offl_seen *prev)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!offl_seen_has(prev, ifs[acts[i].iface].name,
				   offl_act_key(&acts[i])))
			acts[k++] = acts[i];
	return k;
}
