// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl status: asks the running translatord (common/ctl_proto.h). */
#include <getopt.h>
#include <stdio.h>

#include "ctl_proto.h"
#include "transctl.h"

static void status_usage(FILE *f)
{
	fprintf(f, "Usage: %s status [--control PATH]\n\n"
		"Shows what the running translatord does: its configuration file,\n"
		"queues, rules, MTUs and the outcome of the last reload.\n\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, CTL_DEFAULT_PATH);
}

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "control", required_argument, NULL, 's' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CTL_DEFAULT_PATH;
	int opt;

	while ((opt = getopt_long(argc, argv, "s:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'h':
			status_usage(stdout);
			return TRANSCTL_OK;
		default:
			fprintf(stderr, "Try '%s status --help'.\n", transctl_prog);
			return TRANSCTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s status: unexpected argument '%s'\n",
			transctl_prog, argv[optind]);
		return TRANSCTL_USAGE;
	}
	return ctl_print_reply(path, "status", stdout, "transctl status") ?
	       TRANSCTL_ERR : TRANSCTL_OK;
}
