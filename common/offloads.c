// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl offloads: the pure part. Interface states in, rows, risks,
 * --fix plans, exit status and the table/JSON out. No netlink here:
 * cmd_offloads.c reads and writes the kernel, the unit tests feed states.
 */
#include <getopt.h>
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

static const char *const offl_fixed_json[] = {
	[OFFL_FIXED_NO] = "false",
	[OFFL_FIXED_YES] = "true",
	[OFFL_FIXED_NA] = "null",
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

/* --- command line ------------------------------------------------------ */

enum { OFFL_OPT_FIX = 256, OFFL_OPT_DRY_RUN, OFFL_OPT_JSON };

static const struct option offl_longopts[] = {
	{ "config",  required_argument, NULL, 'c' },
	{ "fix",     no_argument,       NULL, OFFL_OPT_FIX },
	{ "dry-run", no_argument,       NULL, OFFL_OPT_DRY_RUN },
	{ "json",    no_argument,       NULL, OFFL_OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

/*
 * getopt leaves the offending word just before optind, except for an
 * unknown short option inside a group: optopt names that one.
 */
static void offl_bad_option(char **argv, int c, char *err, size_t errlen)
{
	if (c == ':')
		snprintf(err, errlen, "missing argument to '%s'",
			 argv[optind - 1]);
	else if (optopt > 0 && optopt < 256)
		snprintf(err, errlen, "unknown option '-%c'", optopt);
	else
		snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
}

static int offl_add_iface_arg(struct offl_opts *o, const char *name,
			      char *err, size_t errlen)
{
	if (!*name) {
		snprintf(err, errlen, "empty interface name");
		return -1;
	}
	if (strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen,
			 "interface name '%s' is too long (at most %d characters)",
			 name, IF_NAMESIZE - 1);
		return -1;
	}
	if (o->n_ifaces == OFFL_MAX_IFACES) {
		snprintf(err, errlen, "too many interfaces (at most %d)",
			 OFFL_MAX_IFACES);
		return -1;
	}
	o->ifaces[o->n_ifaces++] = name;
	return 0;
}

int offl_parse_args(int argc, char **argv, struct offl_opts *o,
		    char *err, size_t errlen)
{
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;	/* glibc: a full restart, as the tests parse often */
	opterr = 0;	/* our own messages, returned in err */
	while ((c = getopt_long(argc, argv, ":c:", offl_longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case OFFL_OPT_FIX:
			o->fix = true;
			break;
		case OFFL_OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OFFL_OPT_JSON:
			o->json = true;
			break;
		default:
			offl_bad_option(argv, c, err, errlen);
			return -1;
		}
	}
	for (; optind < argc; optind++)
		if (offl_add_iface_arg(o, argv[optind], err, errlen))
			return -1;
	return 0;
}

/* --- which interfaces -------------------------------------------------- */

static bool offl_same(const char *cfg_name, const char *name)
{
	return cfg_name && !strcmp(cfg_name, name);
}

/* Adds name unless present; returns the new count. */
static int offl_add_iface(struct offl_iface *ifs, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(ifs[i].name, name))
			return n;
	memset(&ifs[n], 0, sizeof(ifs[n]));
	snprintf(ifs[n].name, sizeof(ifs[n].name), "%s", name);
	return n + 1;
}

int offl_targets(const struct offl_opts *o, const char *cfg4,
		 const char *cfg6, struct offl_iface *ifs, char *err,
		 size_t errlen)
{
	int i, n = 0;

	if (o->n_ifaces) {
		for (i = 0; i < (int)o->n_ifaces; i++)
			n = offl_add_iface(ifs, n, o->ifaces[i]);
	} else if (!o->config) {
		snprintf(err, errlen,
			 "name an interface or give -c CONFIG (the running daemon's configuration cannot be read yet)");
		return -1;
	} else {
		if (cfg4 && *cfg4)
			n = offl_add_iface(ifs, n, cfg4);
		if (cfg6 && *cfg6)
			n = offl_add_iface(ifs, n, cfg6);
		if (!n) {
			snprintf(err, errlen,
				 "%s: no 'interface v4' or 'interface v6' directive",
				 o->config);
			return -1;
		}
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

/* --- output ------------------------------------------------------------ */

static const char *offl_act_feature(const struct offl_action *a)
{
	return a->is_size ? offl_size_names[a->id] : offl_feats[a->id].name;
}

static void offl_act_value(const struct offl_action *a, uint32_t v,
			   char *buf, size_t len)
{
	if (a->is_size)
		snprintf(buf, len, "%u", v);
	else
		snprintf(buf, len, "%s", v ? "on" : "off");
}

void offl_print_actions(FILE *f, const struct offl_action *acts, size_t n,
			const struct offl_iface *ifs)
{
	const struct offl_action *a;
	char from[16], to[16];

	if (!n)
		fprintf(f, "nothing to change\n");
	for (a = acts; a < acts + n; a++) {
		offl_act_value(a, a->from, from, sizeof(from));
		offl_act_value(a, a->to, to, sizeof(to));
		fprintf(f, "%s %s: %s%s%s: %s\n", ifs[a->iface].name,
			offl_act_feature(a), from,
			offl_results[a->result].moves ? " -> " : "",
			offl_results[a->result].moves ? to : "",
			offl_results[a->result].text);
	}
}

#define OFFL_COLS 6

static void offl_cells(const struct offl_row *r, const char **cell)
{
	cell[0] = r->iface;
	cell[1] = r->feature;
	cell[2] = r->state;
	cell[3] = offl_fixed_names[r->fixed];
	cell[4] = offl_risk_names[r->risk];
	cell[5] = r->why;
}

static void offl_print_line(FILE *f, const char *const *cell,
			    const int *width)
{
	int c;

	for (c = 0; c < OFFL_COLS - 1; c++)
		fprintf(f, "%-*s  ", width[c], cell[c]);
	fprintf(f, "%s\n", cell[OFFL_COLS - 1]);
}

void offl_print_table(FILE *f, const struct offl_row *rows, size_t n)
{
	static const char *const head[OFFL_COLS] = {
		"INTERFACE", "FEATURE", "STATE", "FIXED", "RISK", "WHY",
	};
	const char *cell[OFFL_COLS];
	int width[OFFL_COLS] = { 0 };
	size_t i;
	int c;

	for (c = 0; c < OFFL_COLS; c++)
		width[c] = (int)strlen(head[c]);
	for (i = 0; i < n; i++) {
		offl_cells(&rows[i], cell);
		for (c = 0; c < OFFL_COLS; c++)
			if ((int)strlen(cell[c]) > width[c])
				width[c] = (int)strlen(cell[c]);
	}
	offl_print_line(f, head, width);
	for (i = 0; i < n; i++) {
		offl_cells(&rows[i], cell);
		offl_print_line(f, cell, width);
	}
}

struct offl_counts {
	size_t risky;
	size_t risky_fixed;
	size_t warn;
};

static struct offl_counts offl_count(const struct offl_row *rows, size_t n)
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

void offl_print_summary(FILE *f, const struct offl_row *rows, size_t n)
{
	struct offl_counts k = offl_count(rows, n);

	if (!k.risky)
		fprintf(f, "nothing risky");
	else
		fprintf(f, "%zu risky: %zu can change (--fix), %zu cannot",
			k.risky, k.risky - k.risky_fixed, k.risky_fixed);
	if (k.warn)
		fprintf(f, "; %zu warning%s", k.warn, k.warn == 1 ? "" : "s");
	fputc('\n', f);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void offl_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* Writes `"key": "value"` with the separator that precedes it. */
static void offl_json_kv(FILE *f, const char *sep, const char *key,
			 const char *val)
{
	fprintf(f, "%s\"%s\": ", sep, key);
	offl_json_str(f, val);
}

static void offl_json_row(FILE *f, const struct offl_row *r)
{
	offl_json_kv(f, "{", "interface", r->iface);
	offl_json_kv(f, ", ", "feature", r->feature);
	offl_json_kv(f, ", ", "state", r->state);
	fprintf(f, ", \"fixed\": %s", offl_fixed_json[r->fixed]);
	offl_json_kv(f, ", ", "risk", offl_risk_names[r->risk]);
	offl_json_kv(f, ", ", "why", r->why);
	fputc('}', f);
}

static void offl_json_action(FILE *f, const struct offl_action *a,
			     const struct offl_iface *ifs)
{
	char from[16], to[16];

	offl_act_value(a, a->from, from, sizeof(from));
	offl_act_value(a, a->to, to, sizeof(to));
	offl_json_kv(f, "{", "interface", ifs[a->iface].name);
	offl_json_kv(f, ", ", "feature", offl_act_feature(a));
	offl_json_kv(f, ", ", "from", from);
	offl_json_kv(f, ", ", "to", to);
	offl_json_kv(f, ", ", "result", offl_results[a->result].json);
	fputc('}', f);
}

void offl_print_json(FILE *f, const struct offl_row *rows, size_t n,
		     const struct offl_action *acts, size_t nacts,
		     const struct offl_iface *ifs)
{
	struct offl_counts k = offl_count(rows, n);
	size_t i;

	fprintf(f, "{\n  \"rows\": [");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		offl_json_row(f, &rows[i]);
	}
	fprintf(f, "\n  ],\n");
	if (acts) {
		fprintf(f, "  \"actions\": [");
		for (i = 0; i < nacts; i++) {
			fprintf(f, "%s\n    ", i ? "," : "");
			offl_json_action(f, &acts[i], ifs);
		}
		fprintf(f, "%s],\n", nacts ? "\n  " : "");
	}
	fprintf(f, "  \"risky\": %zu,\n  \"risky_fixed\": %zu,\n"
		"  \"warnings\": %zu,\n  \"exit\": %d\n}\n",
		k.risky, k.risky_fixed, k.warn, offl_exit_code(rows, n));
}
