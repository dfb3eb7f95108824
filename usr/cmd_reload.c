// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl reload: asks the running translatord (common/ctl_proto.h). */
#include <getopt.h>
#include <stdio.h>

#include "ctl_proto.h"
#include "transctl.h"

static void reload_usage(FILE *f)
{
	fprintf(f, "Usage: %s reload [--control PATH]\n\n"
		"Makes translatord read its configuration file again. The whole file is\n"
		"parsed first: a bad one is reported (FILE:LINE: message) and the running\n"
		"configuration stays. Queue numbers, mark, rcvbuf, fail-open and rules\n"
		"mode are fixed at start. Same as sending SIGHUP, but says how it went.\n\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, CTL_DEFAULT_PATH);
}

int cmd_reload(int argc, char **argv)
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
			reload_usage(stdout);
			return TRANSCTL_OK;
		default:
			fprintf(stderr, "Try '%s reload --help'.\n", transctl_prog);
			return TRANSCTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s reload: unexpected argument '%s'\n",
			transctl_prog, argv[optind]);
		return TRANSCTL_USAGE;
	}
	return ctl_print_reply(path, "reload", stdout, "transctl reload") ?
	       TRANSCTL_ERR : TRANSCTL_OK;
}
