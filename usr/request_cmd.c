// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shape shared by the subcommands that send translatord one request
 * and print its reply (status, config, reload): options, the optional
 * extra word, the request, the exit code.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ctl_proto.h"
#include "transctl.h"

/* The reply through cmd->print, in the output form asked for. */
static int request_print(const struct transctl_request_cmd *cmd,
			 const char *path, const char *who)
{
	struct ctl_reply r;
	char err[512];
	int ret = TRANSCTL_OK;

	if (ctl_call(path, ctl_cmd_name(cmd->verb), &r, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", who, err);
		return TRANSCTL_ERR;
	}
	if (!r.ok) {
		fprintf(stderr, "%s: %s\n", who, r.msg);
		ret = TRANSCTL_ERR;
	} else if (cmd->print(r.body, &transctl_output, stdout)) {
		fprintf(stderr, "%s: malformed reply from translatord\n", who);
		ret = TRANSCTL_ERR;
	}
	ctl_reply_free(&r);
	return ret;
}

int transctl_request_run(const struct transctl_request_cmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "control", required_argument, NULL, 's' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CTL_DEFAULT_PATH, *name = ctl_cmd_name(cmd->verb);
	char who[64];
	int opt;

	while ((opt = getopt_long(argc, argv, "s:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			path = optarg;
			break;
		case 'h':
			cmd->usage(stdout);
			return TRANSCTL_OK;
		default:
			fprintf(stderr, "Try '%s %s --help'.\n", transctl_prog,
				name);
			return TRANSCTL_USAGE;
		}
	}
	if (cmd->optional_word && optind < argc &&
	    !strcmp(argv[optind], cmd->optional_word))
		optind++;
	if (optind != argc) {
		fprintf(stderr, "%s %s: unexpected argument '%s'\n",
			transctl_prog, name, argv[optind]);
		return TRANSCTL_USAGE;
	}
	snprintf(who, sizeof(who), "transctl %s", name);
	if (!cmd->print)
		return ctl_print_reply(path, name, stdout, who) ?
		       TRANSCTL_ERR : TRANSCTL_OK;
	return request_print(cmd, path, who);
}
