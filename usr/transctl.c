// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl entry point: dispatches to the subcommand named by argv[1].
 * Adding a subcommand means one file and one line in transctl_cmds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transctl.h"

const char *transctl_prog = "transctl";

#ifndef HAVE_PCAP
/* configure --without-pcap: the command stays listed and says why not. */
int cmd_replay(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "%s replay: built without libpcap (configure "
		"--without-pcap); install libpcap-dev and rebuild\n",
		transctl_prog);
	return 1;
}
#endif

const struct transctl_cmd transctl_cmds[] = {
	{ "replay",  cmd_replay,  "translate every packet of a pcap file offline" },
	{ "offloads", cmd_offloads, "check the offloads that break translation, or --fix them" },
	{ "status",  cmd_status,  "show what the running translatord does" },
	{ "stats",   cmd_stats,   "print translatord's counters (--json)" },
	{ "config",  cmd_config,  "print translatord's running configuration" },
	{ "reload",  cmd_reload,  "make translatord re-read its configuration" },
	{ "eamt",    cmd_eamt,    "show or change translatord's EAMT at run time" },
	{ "denylist4", cmd_denylist4, "show or change translatord's pool6 denylist" },
	{ "address", cmd_address, "how translatord maps an address, and why" },
	{ "bib",     cmd_bib,     "show or change translatord's NAT64 bindings" },
	{ "session", cmd_session, "show translatord's NAT64 sessions (--json)" },
	{ "pool4",   cmd_pool4,   "show or change translatord's NAT64 pool4" },
	{ "rules",   cmd_rules,   "print the firewall rules that feed translatord" },
	{ "version", cmd_version, "print the version" },
	{ "help",    cmd_help,    "list the subcommands, or explain one" },
	{ NULL, NULL, NULL },
};

void transctl_list_cmds(FILE *f)
{
	const struct transctl_cmd *c;

	fprintf(f, "Usage: %s COMMAND [OPTIONS...]\n\nCommands:\n",
		transctl_prog);
	for (c = transctl_cmds; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->help);
	fprintf(f, "\n'%s COMMAND --help' explains one command.\n",
		transctl_prog);
}

const struct transctl_cmd *transctl_find_cmd(const char *name)
{
	const struct transctl_cmd *c;

	for (c = transctl_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

const struct transctl_cmd *transctl_need_cmd(const char *name)
{
	const struct transctl_cmd *c = transctl_find_cmd(name);

	if (!c) {
		fprintf(stderr, "%s: unknown command '%s'\n", transctl_prog,
			name);
		transctl_list_cmds(stderr);
	}
	return c;
}

bool transctl_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

/* "transctl -s PATH COMMAND ...": the options go after the command. */
static int transctl_run_global(int argc, char **argv)
{
	char **cargv = calloc((size_t)argc + 1, sizeof(*cargv));
	const struct transctl_cmd *cmd;
	char err[160];
	int cargc, ret;

	if (!cargv) {
		fprintf(stderr, "%s: out of memory\n", transctl_prog);
		return TRANSCTL_ERR;
	}
	cargc = transctl_global_args(argc, argv, cargv, err, sizeof(err));
	cmd = cargc > 0 ? transctl_find_cmd(cargv[0]) : NULL;
	if (!cmd) {
		if (cargc > 0)
			snprintf(err, sizeof(err), "unknown command '%s'",
				 cargv[0]);
		fprintf(stderr, "%s: %s\n", transctl_prog, err);
		transctl_list_cmds(stderr);
		free(cargv);
		return TRANSCTL_USAGE;
	}
	ret = cmd->run(cargc, cargv);
	free(cargv);
	return ret;
}

int main(int argc, char **argv)
{
	const struct transctl_cmd *cmd;
	const char *slash;

	if (argc > 0 && argv[0][0]) {
		slash = strrchr(argv[0], '/');
		transctl_prog = slash ? slash + 1 : argv[0];
	}
	if (argc < 2) {
		transctl_list_cmds(stderr);
		return TRANSCTL_USAGE;
	}
	/* "transctl --help" and "transctl --version" read like commands too. */
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cmd_help(1, argv + 1);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(1, argv + 1);
	if (argv[1][0] == '-')
		return transctl_run_global(argc, argv);

	cmd = transctl_need_cmd(argv[1]);
	if (!cmd)
		return TRANSCTL_USAGE;
	return cmd->run(argc - 1, argv + 1);
}
