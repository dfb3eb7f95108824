// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl status: asks the running translatord (common/ctl_proto.h). */
#include <stdio.h>

#include "ctl_proto.h"
#include "transctl.h"

static void status_usage(FILE *f)
{
	fprintf(f, "Usage: %s status [--json | --csv] [--numeric] [--control PATH]\n\n"
		"Shows what the running translatord does: its configuration file,\n"
		"queues, rules, MTUs and the outcome of the last reload, one\n"
		"\"KEY VALUE\" line each (uptime_s in seconds).\n\n"
		"  -j, --json           one JSON object of strings {\"KEY\": \"VALUE\"}\n"
		"      --csv            key,value rows under a key,value header\n"
		"  -n, --numeric        the mark in decimal, not hexadecimal\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, CTL_DEFAULT_PATH);
}

int cmd_status(int argc, char **argv)
{
	static const struct transctl_request_cmd cmd = {
		.verb = CTL_CMD_STATUS,
		.optional_word = NULL,
		.usage = status_usage,
		.print = transctl_print_spaced,
	};

	return transctl_request_run(&cmd, argc, argv);
}
