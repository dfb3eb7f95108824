// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl config: asks the running translatord (common/ctl_proto.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ctl_proto.h"
#include "transctl.h"

static void config_usage(FILE *f)
{
	fprintf(f, "Usage: %s config [show] [--control PATH]\n\n"
		"Prints the running translatord's configuration in the file format,\n"
		"its own directives included (as the daemon understood them).\n\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, CTL_DEFAULT_PATH);
}

int cmd_config(int argc, char **argv)
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
			config_usage(stdout);
			return TRANSCTL_OK;
		default:
			fprintf(stderr, "Try '%s config --help'.\n", transctl_prog);
			return TRANSCTL_USAGE;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "show"))
		optind++;
	if (optind != argc) {
		fprintf(stderr, "%s config: unexpected argument '%s'\n",
			transctl_prog, argv[optind]);
		return TRANSCTL_USAGE;
	}
	return ctl_print_reply(path, "config", stdout, "transctl config") ?
	       TRANSCTL_ERR : TRANSCTL_OK;
}
