// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl help [COMMAND]: the command list, or one command's --help. */
#include <stdio.h>
#include <string.h>

#include "transctl.h"

static void help_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s help [COMMAND]\n"
		"\n"
		"Without COMMAND, lists the commands; with it, prints the\n"
		"same text as '%s COMMAND --help'.\n",
		transctl_prog, transctl_prog);
}

int cmd_help(int argc, char **argv)
{
	const struct transctl_cmd *cmd;
	char help_opt[] = "--help";
	char *sub_argv[3] = { NULL, help_opt, NULL };

	if (transctl_wants_help(argc, argv)) {
		help_usage(stdout);
		return TRANSCTL_OK;
	}
	if (argc < 2) {
		transctl_list_cmds(stdout);
		return TRANSCTL_OK;
	}
	if (argc > 2) {
		help_usage(stderr);
		return TRANSCTL_USAGE;
	}
	cmd = transctl_need_cmd(argv[1]);
	if (!cmd)
		return TRANSCTL_USAGE;
	/* The command's own --help is the one place its usage is written. */
	sub_argv[0] = argv[1];
	return cmd->run(2, sub_argv);
}
