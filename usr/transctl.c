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

#define OUT_ALL		TRANSCTL_OUT_ALL
#define OUT_FORMATS	(TRANSCTL_OUT_JSON | TRANSCTL_OUT_CSV)

/* The last column: the output options (--json, --csv, --numeric) each honours. */
const struct transctl_cmd transctl_cmds[] = {
	{ "replay",  cmd_replay,  "translate every packet of a pcap file offline", 0 },
	{ "offloads", cmd_offloads, "check the offloads that break translation, or --fix them", OUT_FORMATS },
	{ "status",  cmd_status,  "show what the running translatord does", OUT_ALL },
	{ "stats",   cmd_stats,   "print translatord's counters (--json, --csv, --prometheus)", OUT_ALL },
	{ "config",  cmd_config,  "print translatord's running configuration", 0 },
	{ "reload",  cmd_reload,  "make translatord re-read its configuration", 0 },
	{ "eamt",    cmd_eamt,    "show or change translatord's EAMT at run time", OUT_ALL },
	{ "denylist4", cmd_denylist4, "show or change translatord's pool6 denylist", OUT_ALL },
	{ "address", cmd_address, "how translatord maps an address, and why", OUT_ALL },
	{ "bib",     cmd_bib,     "show or change translatord's NAT64 bindings", OUT_ALL },
	{ "session", cmd_session, "show translatord's NAT64 sessions", OUT_ALL },
	{ "pool4",   cmd_pool4,   "show or change translatord's NAT64 pool4", OUT_ALL },
	{ "rules",   cmd_rules,   "print the firewall rules that feed translatord", 0 },
	{ "import",  cmd_import,  "convert a Jool JSON configuration to translator.conf", 0 },
	{ "version", cmd_version, "print the version", 0 },
	{ "help",    cmd_help,    "list the subcommands, or explain one", 0 },
	{ NULL, NULL, NULL, 0 },
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

/* Runs cmd unless it cannot honour the output options asked for. */
static int transctl_run(const struct transctl_cmd *cmd, int argc, char **argv)
{
	char err[160];

	if (transctl_output_check(cmd, &transctl_output, err, sizeof(err))) {
		fprintf(stderr, "%s %s: %s\n", transctl_prog, cmd->name, err);
		return TRANSCTL_USAGE;
	}
	return cmd->run(argc, argv);
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
	ret = transctl_run(cmd, cargc, cargv);
	free(cargv);
	return ret;
}

int main(int argc, char **argv)
{
	const struct transctl_cmd *cmd;
	const char *slash;
	char err[160];

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
	/* --json, --csv, --numeric: wherever they are, for every command. */
	if (transctl_output_args(&argc, argv, &transctl_output, err,
				 sizeof(err))) {
		fprintf(stderr, "%s: %s\n", transctl_prog, err);
		return TRANSCTL_USAGE;
	}
	if (argc < 2) {
		fprintf(stderr, "%s: missing command\n", transctl_prog);
		transctl_list_cmds(stderr);
		return TRANSCTL_USAGE;
	}
	if (argv[1][0] == '-')
		return transctl_run_global(argc, argv);

	cmd = transctl_need_cmd(argv[1]);
	if (!cmd)
		return TRANSCTL_USAGE;
	return transctl_run(cmd, argc - 1, argv + 1);
}
