// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl rules: the iptables rules that steer traffic into translatord's
 * queues, from the running daemon or (-c) computed from a config file.
 */
#include <getopt.h>
#include <stdio.h>

#include "ctl_proto.h"
#include "daemon_conf.h"
#include "rules.h"
#include "transctl.h"

static void rules_usage(FILE *f)
{
	fprintf(f, "Usage: %s rules [--control PATH]\n"
		"       %s rules -c CONFIG\n\n"
		"Prints, as iptables/ip6tables commands, the rules translatord\n"
		"steers traffic with: the running daemon's, or with -c the ones a\n"
		"configuration file implies (to install by hand with `rules manual`).\n\n"
		"  -c, --config FILE    compute the rules from FILE, offline\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, transctl_prog, CTL_DEFAULT_PATH);
}

static int rules_offline(const char *path)
{
	struct daemon_cfgset set;
	struct rules_plan plan;
	char err[512];
	int ret = TRANSCTL_ERR;

	if (daemon_cfgset_load(path, &set, err, sizeof(err))) {
		fprintf(stderr, "transctl rules: %s\n", err);
		return TRANSCTL_ERR;
	}
	if (rules_build(&set.cfg, &set.dc, &plan, err, sizeof(err))) {
		fprintf(stderr, "transctl rules: %s\n", err);
		goto out;
	}
	rules_print(&plan, stdout);
	rules_free(&plan);
	ret = TRANSCTL_OK;
out:
	daemon_cfgset_free(&set);
	return ret;
}

int cmd_rules(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",  required_argument, NULL, 'c' },
		{ "control", required_argument, NULL, 's' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CTL_DEFAULT_PATH, *config = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "c:s:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 's':
			path = optarg;
			break;
		case 'h':
			rules_usage(stdout);
			return TRANSCTL_OK;
		default:
			fprintf(stderr, "Try '%s rules --help'.\n", transctl_prog);
			return TRANSCTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s rules: unexpected argument '%s'\n",
			transctl_prog, argv[optind]);
		return TRANSCTL_USAGE;
	}
	if (config)
		return rules_offline(config);
	return ctl_print_reply(path, "rules", stdout, "transctl rules") ?
	       TRANSCTL_ERR : TRANSCTL_OK;
}
