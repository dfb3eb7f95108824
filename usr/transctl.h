/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transctl: the translator's command-line tool. Each subcommand lives in
 * its own usr/cmd_NAME.c and is listed once in the table in transctl.c;
 * `transctl help` and the unknown-command message are built from it.
 */
#ifndef USR_TRANSCTL_H
#define USR_TRANSCTL_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses shared by every subcommand. */
enum {
	TRANSCTL_OK = 0,
	TRANSCTL_ERR = 1,	/* I/O, config or runtime error */
	TRANSCTL_USAGE = 2,	/* bad command line */
};

/*
 * A subcommand receives its own name as argv[0], so that getopt works
 * unchanged and messages can name it.
 */
struct transctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;	/* one line, no trailing period */
};

extern const struct transctl_cmd transctl_cmds[];

/* "transctl" or what argv[0] of the process said. */
extern const char *transctl_prog;

/* Writes the subcommand list, one "  name  help" line each. */
void transctl_list_cmds(FILE *f);
const struct transctl_cmd *transctl_find_cmd(const char *name);

/* True when argv holds -h or --help before any "--". */
bool transctl_wants_help(int argc, char **argv);

int cmd_help(int argc, char **argv);
int cmd_offloads(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_version(int argc, char **argv);
/* Clients of the running translatord (common/ctl_proto.h). */
int cmd_status(int argc, char **argv);

/* A subcommand that sends one request to translatord and prints the reply. */
struct transctl_request_cmd {
	const char *name;		/* subcommand name, for messages */
	const char *request;		/* control request (common/ctl_proto.h) */
	const char *optional_word;	/* accepted and ignored ("show"), or NULL */
	void (*usage)(FILE *f);
};

int transctl_request_run(const struct transctl_request_cmd *cmd, int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_rules(int argc, char **argv);

#endif
