// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl offloads: finds the interfaces (arguments, -c CONFIG or the
 * running translatord's configuration), reads their offloads, size limits
 * and MTU (common/offloads_sys.c), lets common/offloads.c judge them, and
 * with --fix turns the risky ones off and reads the result back.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_proto.h"
#include "daemon_conf.h"
#include "offloads_cli.h"
#include "offloads_sys.h"
#include "transctl.h"

#define OFFL_MAX_ROWS	(OFFL_MAX_ALL * OFFL_ROWS_PER_IFACE)
#define OFFL_MAX_ACTS	(OFFL_MAX_ALL * OFFL_ACTS_PER_IFACE)

/* Test hook: the legacy ioctl path, which a current kernel never takes. */
#define OFFL_ENV_IOCTL	"TRANSCTL_ETHTOOL_IOCTL"

struct offl_cmd {
	struct offl_opts opts;
	struct offl_iface ifs[OFFL_MAX_ALL];	/* named, then below */
	size_t n;
	struct offl_row rows[OFFL_MAX_ROWS];
	size_t nrows;
	struct offl_action acts[OFFL_MAX_ACTS];
	size_t nacts;
	struct offl_sys sys;
	char err[768];
};

static void offl_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s offloads [IFACE...] [-c CONFIG | -s PATH] [--fix] [--dry-run]\n"
		"                         [--json | --csv]\n"
		"\n"
		"Checks the interface settings that break translation through NFQUEUE:\n"
		"LRO, GRO list and UDP GRO forwarding merge packets beyond repair, and\n"
		"BIG TCP (GRO/GSO max sizes over 65536) makes packets NFQUEUE truncates.\n"
		"GRO, hardware GRO and TSO are handled: the translator resegments.\n"
		"The ports of a bridge, bond or team and the device below a VLAN are\n"
		"checked too (packets reach the upper device already merged).\n"
		"Also compares the MTUs of the IPv4 and IPv6 sides.\n"
		"\n"
		"  IFACE               interfaces to check (default: the 'interface v4'\n"
		"                      and 'interface v6' of CONFIG, or without -c\n"
		"                      of the running translatord's configuration)\n"
		"  -c, --config FILE   configuration whose 'interface v4' and\n"
		"                      'interface v6' name the two sides\n"
		"  -s, --control PATH  translatord's control socket, asked when\n"
		"                      neither IFACE nor -c is given (default\n"
		"                      %s)\n"
		"      --fix           turn the risky offloads off and lower the sizes\n"
		"                      to 65536 (ports and lower devices too), then\n"
		"                      report what changed\n"
		"      --dry-run       print what --fix would change; change nothing\n"
		"      --json          one JSON document instead of the table\n"
		"      --csv           the table as CSV (RFC 4180, LF line ends)\n"
		"\n"
		"Exit status: 0 nothing risky (left), 1 risky settings found (or left\n"
		"after --fix), 2 error (command line, unknown interface, netlink).\n"
		"%s=1 uses the legacy ethtool ioctls instead of netlink.\n",
		transctl_prog, CTL_DEFAULT_PATH, OFFL_ENV_IOCTL);
}

/* The sides named by a configuration file, parsed as translatord would. */
static int offl_file_sides(struct offl_cmd *c, char *v4, char *v6)
{
	struct daemon_cfgset set;
	char cerr[512];

	if (daemon_cfgset_load(c->opts.config, &set, cerr, sizeof(cerr))) {
		snprintf(c->err, sizeof(c->err), "%s", cerr);
		return -1;
	}
	snprintf(v4, IF_NAMESIZE, "%s", set.cfg.iface4);
	snprintf(v6, IF_NAMESIZE, "%s", set.cfg.iface6);
	daemon_cfgset_free(&set);
	return 0;
}

/* The sides named by the running translatord's configuration. */
static int offl_daemon_sides(struct offl_cmd *c, char *v4, char *v6)
{
	const char *path = c->opts.control ? c->opts.control : CTL_DEFAULT_PATH;
	struct ctl_reply reply;
	char cerr[512];

	if (ctl_call(path, ctl_cmd_name(CTL_CMD_CONFIG), &reply, cerr,
		     sizeof(cerr))) {
		snprintf(c->err, sizeof(c->err),
			 "name an interface or give -c CONFIG; asking translatord failed: %s",
			 cerr);
		return -1;
	}
	if (!reply.ok) {
		snprintf(c->err, sizeof(c->err), "translatord (%s): %s", path,
			 reply.msg);
		ctl_reply_free(&reply);
		return -1;
	}
	offl_config_ifaces(reply.body, v4, v6);
	ctl_reply_free(&reply);
	return 0;
}

/*
 * The interfaces: the IFACE arguments, else those of -c CONFIG, else
 * those of the running daemon. A configuration also gives the roles.
 */
static int offl_load_targets(struct offl_cmd *c)
{
	char v4[IF_NAMESIZE] = "", v6[IF_NAMESIZE] = "";
	const char *from = "";

	if (c->opts.config) {
		if (offl_file_sides(c, v4, v6))
			return -1;
		from = c->opts.config;
	} else if (!c->opts.n_ifaces) {
		if (offl_daemon_sides(c, v4, v6))
			return -1;
		from = "the running translatord's configuration";
	}
	c->n = offl_targets(c->opts.ifaces, c->opts.n_ifaces, v4, v6, c->ifs);
	if (!c->n) {
		snprintf(c->err, sizeof(c->err),
			 "%s: no 'interface v4' or 'interface v6' directive (name an interface)",
			 from);
		return -1;
	}
	return 0;
}

static int offl_open(struct offl_cmd *c)
{
	const char *env = getenv(OFFL_ENV_IOCTL);
	bool force_ioctl = env && !strcmp(env, "1");

	return offl_sys_open(&c->sys, force_ioctl, c->err, sizeof(c->err));
}

/* Plans; with --fix (and no --dry-run) applies and reads the result. */
static int offl_fix(struct offl_cmd *c)
{
	c->nacts = offl_plan(c->ifs, c->n, c->acts);
	if (c->opts.dry_run)
		return 0;
	return offl_sys_apply(&c->sys, c->ifs, c->n, c->acts, c->nacts,
			      c->err, sizeof(c->err));
}

static void offl_report(const struct offl_cmd *c)
{
	bool fixing = c->opts.fix || c->opts.dry_run;

	if (c->opts.csv) {
		offl_print_csv(stdout, c->rows, c->nrows);
		return;
	}
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

/* transctl's global --json and --csv (usr/output.c). */
static void offl_output(struct offl_cmd *c)
{
	if (transctl_output.format == TRANSCTL_FMT_JSON)
		c->opts.json = true;
	c->opts.csv = transctl_output.format == TRANSCTL_FMT_CSV;
}

static int offl_run(struct offl_cmd *c)
{
	if (offl_load_targets(c) || offl_open(c) ||
	    offl_sys_read(&c->sys, c->ifs, &c->n, OFFL_MAX_ALL, c->err,
			  sizeof(c->err)))
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
	c->sys.eth.fd = -1;
	if (offl_parse_args(argc, argv, &c->opts, c->err, sizeof(c->err))) {
		fprintf(stderr, "%s offloads: %s\nTry '%s offloads --help'.\n",
			transctl_prog, c->err, transctl_prog);
		ret = OFFL_EXIT_ERROR;
	} else if (offl_output(c), offl_run(c)) {
		fprintf(stderr, "%s offloads: %s\n", transctl_prog, c->err);
		ret = OFFL_EXIT_ERROR;
	} else {
		ret = offl_exit_code(c->rows, c->nrows);
	}
	offl_sys_close(&c->sys);
	free(c);
	return ret;
}
