// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl offloads: reads each interface's offloads (ethtool), size
 * limits and MTU (rtnetlink), lets offloads.c judge them, and with --fix
 * turns the risky ones off and reads the result back.
 */
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/netlink.h>

#include "config.h"
#include "ethtool_nl.h"
#include "link_nl.h"
#include "offloads.h"
#include "transctl.h"

#define OFFL_MAX_ROWS	(OFFL_MAX_IFACES * OFFL_ROWS_PER_IFACE)
#define OFFL_MAX_ACTS	(OFFL_MAX_IFACES * OFFL_ACTS_PER_IFACE)

/* Test hook: the legacy ioctl path, which a current kernel never takes. */
#define OFFL_ENV_IOCTL	"TRANSCTL_ETHTOOL_IOCTL"

struct offl_cmd {
	struct offl_opts opts;
	struct offl_iface ifs[OFFL_MAX_IFACES];
	unsigned int ifindex[OFFL_MAX_IFACES];
	size_t n;
	struct offl_row rows[OFFL_MAX_ROWS];
	size_t nrows;
	struct offl_action acts[OFFL_MAX_ACTS];
	size_t nacts;
	struct ethnl eth;
	struct mnl_socket *rt;
	char err[512];
};

/* The rtnetlink attribute behind each size offloads.c judges. */
static const enum link_nl_size offl_link_size[OFFL_S_COUNT] = {
	[OFFL_S_GRO] = LINK_NL_GRO_MAX,
	[OFFL_S_GSO] = LINK_NL_GSO_MAX,
	[OFFL_S_GRO_IPV4] = LINK_NL_GRO_IPV4_MAX,
	[OFFL_S_GSO_IPV4] = LINK_NL_GSO_IPV4_MAX,
};

static void offl_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s offloads [IFACE...] [-c CONFIG] [--fix] [--dry-run] [--json]\n"
		"\n"
		"Checks the interface settings that break translation through NFQUEUE:\n"
		"LRO, GRO list and UDP GRO forwarding merge packets beyond repair, and\n"
		"BIG TCP (GRO/GSO max sizes over 65536) makes packets NFQUEUE truncates.\n"
		"GRO, hardware GRO and TSO are handled: the translator resegments.\n"
		"Also compares the MTUs of the IPv4 and IPv6 sides.\n"
		"\n"
		"  IFACE               interfaces to check (default: those of CONFIG)\n"
		"  -c, --config FILE   configuration whose 'interface v4' and\n"
		"                      'interface v6' name the two sides\n"
		"      --fix           turn the risky offloads off and lower the sizes\n"
		"                      to 65536, then report what changed\n"
		"      --dry-run       print what --fix would change; change nothing\n"
		"      --json          one JSON document instead of the table\n"
		"\n"
		"Exit status: 0 nothing risky (left), 1 risky settings found (or left\n"
		"after --fix), 2 error (command line, unknown interface, netlink).\n"
		"%s=1 uses the legacy ethtool ioctls instead of netlink.\n",
		transctl_prog, OFFL_ENV_IOCTL);
}

/* The interfaces: IFACE arguments or the configuration's; their roles. */
static int offl_load_targets(struct offl_cmd *c)
{
	struct config cfg;
	char cerr[256];
	int n;

	config_init(&cfg);
	if (c->opts.config &&
	    config_parse_file(c->opts.config, &cfg, cerr, sizeof(cerr))) {
		snprintf(c->err, sizeof(c->err), "%s", cerr);
		return -1;
	}
	n = offl_targets(&c->opts, cfg.iface4, cfg.iface6, c->ifs, c->err,
			 sizeof(c->err));
	config_free(&cfg);
	if (n < 0)
		return -1;
	c->n = (size_t)n;
	return 0;
}

static int offl_find_ifaces(struct offl_cmd *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		c->ifindex[i] = if_nametoindex(c->ifs[i].name);
		if (!c->ifindex[i]) {
			snprintf(c->err, sizeof(c->err), "no interface '%s'",
				 c->ifs[i].name);
			return -1;
		}
	}
	return 0;
}

static int offl_open(struct offl_cmd *c)
{
	const char *env = getenv(OFFL_ENV_IOCTL);
	bool force_ioctl = env && !strcmp(env, "1");

	if (ethnl_open(&c->eth, force_ioctl, c->err, sizeof(c->err)))
		return -1;
	c->rt = link_nl_socket(NETLINK_ROUTE, c->err, sizeof(c->err));
	return c->rt ? 0 : -1;
}

static void offl_close(struct offl_cmd *c)
{
	ethnl_close(&c->eth);
	if (c->rt)
		mnl_socket_close(c->rt);
	c->rt = NULL;
}

static int offl_read_features(struct offl_cmd *c, struct offl_iface *ifc)
{
	struct ethnl_feature f[OFFL_F_COUNT];
	char why[256];
	int i;

	for (i = 0; i < OFFL_F_COUNT; i++)
		f[i].name = offl_feat_name(i);
	if (ethnl_features_get(&c->eth, ifc->name, f, OFFL_F_COUNT, why,
			       sizeof(why))) {
		snprintf(c->err, sizeof(c->err), "%s: reading features: %s",
			 ifc->name, why);
		return -1;
	}
	for (i = 0; i < OFFL_F_COUNT; i++)
		ifc->feat[i] = offl_feat_state(f[i].hw, f[i].active,
					       f[i].nochange);
	return 0;
}

static int offl_read_link(struct offl_cmd *c, size_t idx)
{
	struct offl_iface *ifc = &c->ifs[idx];
	struct link_nl_info info;
	char why[256];
	int i;

	if (link_nl_get(c->rt, c->ifindex[idx], &info, why, sizeof(why))) {
		snprintf(c->err, sizeof(c->err), "%s: reading the link: %s",
			 ifc->name, why);
		return -1;
	}
	ifc->mtu = info.mtu;
	for (i = 0; i < OFFL_S_COUNT; i++) {
		ifc->size[i] = info.size[offl_link_size[i]];
		ifc->size_known[i] = info.size_known[offl_link_size[i]];
	}
	return 0;
}

static int offl_read_all(struct offl_cmd *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (offl_read_features(c, &c->ifs[i]) || offl_read_link(c, i))
			return -1;
	return 0;
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

static void offl_collect(const struct offl_cmd *c, size_t idx,
			 struct offl_change *ch)
{
	const struct offl_action *a;
	enum link_nl_size s;

	memset(ch, 0, sizeof(*ch));
	for (a = c->acts; a < c->acts + c->nacts; a++) {
		if (a->iface != idx || a->result != OFFL_RES_WOULD)
			continue;
		if (a->is_size) {
			s = offl_link_size[a->id];
			ch->size[s] = a->to;
			ch->set[s] = true;
			ch->any_size = true;
		} else {
			ch->names[ch->nfeat] = offl_feat_name(a->id);
			ch->on[ch->nfeat++] = a->to;
		}
	}
}

static int offl_apply(struct offl_cmd *c, size_t idx)
{
	const char *name = c->ifs[idx].name;
	struct offl_change ch;
	char why[256];

	offl_collect(c, idx, &ch);
	if (ch.nfeat && ethnl_features_set(&c->eth, name, ch.names, ch.on,
					   ch.nfeat, why, sizeof(why))) {
		snprintf(c->err, sizeof(c->err), "%s: changing features: %s",
			 name, why);
		return -1;
	}
	if (ch.any_size && link_nl_set_sizes(c->rt, c->ifindex[idx], ch.size,
					     ch.set, why, sizeof(why))) {
		snprintf(c->err, sizeof(c->err), "%s: changing sizes: %s",
			 name, why);
		return -1;
	}
	return 0;
}

/* Plans; with --fix (and no --dry-run) applies and reads the result. */
static int offl_fix(struct offl_cmd *c)
{
	size_t i;

	c->nacts = offl_plan(c->ifs, c->n, c->acts);
	if (c->opts.dry_run || !c->nacts)
		return 0;
	for (i = 0; i < c->n; i++)
		if (offl_apply(c, i))
			return -1;
	if (offl_read_all(c))
		return -1;
	offl_settle(c->acts, c->nacts, c->ifs);
	return 0;
}

static void offl_report(const struct offl_cmd *c)
{
	bool fixing = c->opts.fix || c->opts.dry_run;

	if (c->opts.json) {
		offl_print_json(stdout, c->rows, c->nrows,
				fixing ? c->acts : NULL, c->nacts, c->ifs);
		return;
	}
	if (fixing)
		offl_print_actions(stdout, c->acts, c->nacts, c->ifs);
	offl_print_table(stdout, c->rows, c->nrows);
	offl_print_summary(stdout, c->rows, c->nrows);
}

static int offl_run(struct offl_cmd *c)
{
	if (offl_load_targets(c) || offl_find_ifaces(c) || offl_open(c) ||
	    offl_read_all(c))
		return -1;
	if ((c->opts.fix || c->opts.dry_run) && offl_fix(c))
		return -1;
	c->nrows = offl_rows(c->ifs, c->n, c->rows);
	offl_report(c);
	return 0;
}

int cmd_offloads(int argc, char **argv)
{
	struct offl_cmd *c;
	int ret;

	if (transctl_wants_help(argc, argv)) {
		offl_usage(stdout);
		return OFFL_EXIT_OK;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		fprintf(stderr, "%s offloads: out of memory\n", transctl_prog);
		return OFFL_EXIT_ERROR;
	}
	c->eth.fd = -1;
	if (offl_parse_args(argc, argv, &c->opts, c->err, sizeof(c->err))) {
		fprintf(stderr, "%s offloads: %s\nTry '%s offloads --help'.\n",
			transctl_prog, c->err, transctl_prog);
		ret = OFFL_EXIT_ERROR;
	} else if (offl_run(c)) {
		fprintf(stderr, "%s offloads: %s\n", transctl_prog, c->err);
		ret = OFFL_EXIT_ERROR;
	} else {
		ret = offl_exit_code(c->rows, c->nrows);
	}
	offl_close(c);
	free(c);
	return ret;
}
