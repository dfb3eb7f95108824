// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl denylist4 show|add|remove: the IPv4 prefixes the running
 * translatord never translates through pool6, changed at run time
 * (usr/ops_cmd.c).
 */
#include "transctl.h"

static void denylist4_usage(FILE *f)
{
	fprintf(f, "Usage: %s denylist4 [show] [--json | --csv] [--numeric] [--control PATH]\n"
		"       %s denylist4 add PREFIX4 [--control PATH]\n"
		"       %s denylist4 remove PREFIX4 [--control PATH]\n\n"
		"Shows or changes the IPv4 prefixes the running translatord keeps\n"
		"out of pool6 (RFC 6052): an address inside one is not translated\n"
		"through pool6, in either direction (an EAMT entry still applies).\n"
		"A change is applied whole between two packets and lasts until the\n"
		"next reload, which returns to the configuration file. 'remove'\n"
		"takes an entry exactly as 'show' prints it.\n\n"
		"  -j, --json           show: {\"denylist4\": [{\"prefix\": P}]}\n"
		"      --csv            show: CSV (RFC 4180) under a header of the\n"
		"                       JSON names\n"
		"  -n, --numeric        accepted: the output holds no names\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, transctl_prog, transctl_prog, CTL_DEFAULT_PATH);
}

static int denylist4_check(char **args, char *err, size_t errlen)
{
	return transctl_check_prefix(args[0], 4, err, errlen);
}

static int denylist4_print(char *body, const struct transctl_fmt *fmt,
			   FILE *out)
{
	static const char *const headers[] = { "IPV4 PREFIX" };
	static const char *const fields[] = { "prefix" };
	static const struct transctl_columns cols = {
		"denylist4", 1, headers, fields, 0, 0,
	};

	return transctl_print_rows(&cols, body, fmt, out);
}

static const struct transctl_verb denylist4_verbs[CTL_SUB_MAX] = {
	[CTL_SUB_SHOW] = { NULL, denylist4_print },
	[CTL_SUB_ADD] = { denylist4_check, NULL },
	[CTL_SUB_REMOVE] = { denylist4_check, NULL },
};

const struct transctl_verb_cmd transctl_denylist4_cmd = {
	.verb = CTL_CMD_DENYLIST4,
	.verbs = denylist4_verbs,
	.default_first = true,
	.usage = denylist4_usage,
};

int cmd_denylist4(int argc, char **argv)
{
	return transctl_verb_exec(&transctl_denylist4_cmd, argc, argv, stdout,
				  stderr);
}
