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
	[OFFL_RISK_WARN] = "warn",
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
 * An IPv4 packet grows by 20 bytes, so the IPv4 MTU must leave that room
 * under the IPv6 one, or full-size IPv4 packets need fragmenting or ICMP
 * errors. A smaller IPv4 MTU is fine: IPv6 senders always do path MTU
 * discovery, so it costs them one Packet Too Big.
 */
static void offl_mtu_v4(const struct offl_iface *ifc,
			const struct offl_iface *v6, struct offl_row *r)
{
	if (!v6) {
		snprintf(r->why, sizeof(r->why),
			 "IPv4 side: no IPv6 side to compare with");
	} else if (ifc->mtu + OFFL_HDR_GROWTH > v6->mtu) {
		r->risk = OFFL_RISK_WARN;
		snprintf(r->why, sizeof(r->why),
			 "IPv4 MTU %u + 20 > IPv6 MTU %u: full-size IPv4 packets do not fit translated",
			 ifc->mtu, v6->mtu);
	} else {
		snprintf(r->why, sizeof(r->why),
			 "IPv4 MTU %u + 20 <= IPv6 MTU %u", ifc->mtu, v6->mtu);
	}
}

static void offl_mtu_row(const struct offl_iface *ifs, size_t n,
			 const struct offl_iface *ifc, struct offl_row *r)
{
	r->iface = ifc->name;
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

size_t offl_rows(const struct offl_iface *ifs, size_t n,
		 struct offl_row *rows)
{
	size_t i, k = 0;
	int j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < OFFL_F_COUNT; j++)
			offl_feat_row(&ifs[i], j, &rows[k++]);
		for (j = 0; j < OFFL_S_COUNT; j++)
			if (ifs[i].size_known[j])
				offl_size_row(&ifs[i], j, &rows[k++]);
		offl_mtu_row(ifs, n, &ifs[i], &rows[k++]);
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
	char from[16], to[16];

	offl_act_value(a, a->from, from, sizeof(from));
	offl_act_value(a, a->to, to, sizeof(to));
	snprintf(buf, len, "%s %s: %s%s%s: %s", ifs[a->iface].name,
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
		k.warn += rows[i].risk == OFFL_RISK_WARN;
	}
	return k;
}
