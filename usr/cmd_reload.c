// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl reload: asks the running translatord (common/ctl_proto.h). */
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
	static const struct transctl_request_cmd cmd = {
		.verb = CTL_CMD_RELOAD,
		.optional_word = NULL,
		.usage = reload_usage,
	};

	return transctl_request_run(&cmd, argc, argv);
}
