// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl config: asks the running translatord (common/ctl_proto.h). */
#include <stdio.h>

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
	static const struct transctl_request_cmd cmd = {
		.verb = CTL_CMD_CONFIG,
		.optional_word = "show",
		.usage = config_usage,
	};

	return transctl_request_run(&cmd, argc, argv);
}
