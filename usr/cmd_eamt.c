// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl eamt show|add|remove: the running translatord's RFC 7757
 * Explicit Address Mapping Table, changed at run time (usr/ops_cmd.c).
 */
#include <string.h>

#include "transctl.h"

static void eamt_usage(FILE *f)
{
	fprintf(f, "Usage: %s eamt [show] [--json | --csv] [--numeric] [--control PATH]\n"
		"       %s eamt add PREFIX6 PREFIX4 [--control PATH]\n"
		"       %s eamt remove PREFIX6|PREFIX4 [--control PATH]\n\n"
		"Shows or changes the running translatord's Explicit Address\n"
		"Mapping Table (RFC 7757). Both prefixes of an entry have the same\n"
		"number of host bits, and entries may not overlap: the same rules as\n"
		"the 'eamt' directive of the file, checked by the same code. A change\n"
		"is applied whole between two packets, with the iptables rules it\n"
		"implies (rules auto), and lasts until the next reload, which\n"
		"returns to the configuration file. 'remove' takes either prefix\n"
		"of the entry, exactly as 'show' prints it.\n\n"
		"  -j, --json           show: {\"eamt\": [{\"ipv6\": P6, \"ipv4\": P4}]}\n"
		"      --csv            show: CSV (RFC 4180) under a header of the\n"
		"                       JSON names\n"
		"  -n, --numeric        accepted: the output holds no names\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, transctl_prog, transctl_prog, CTL_DEFAULT_PATH);
}

/* One IPv6 and one IPv4 prefix, in either order (as in the file). */
static int eamt_check_add(char **args, char *err, size_t errlen)
{
	int i6 = strchr(args[0], ':') ? 0 : 1;

	if (!strchr(args[i6], ':') || strchr(args[1 - i6], ':')) {
		snprintf(err, errlen, "needs one IPv6 and one IPv4 prefix, "
			 "not '%s' and '%s'", args[0], args[1]);
		return -1;
	}
	if (transctl_check_prefix(args[i6], 6, err, errlen) ||
	    transctl_check_prefix(args[1 - i6], 4, err, errlen))
		return -1;
	return 0;
}

static int eamt_check_remove(char **args, char *err, size_t errlen)
{
	return transctl_check_prefix(args[0], 0, err, errlen);
}

static int eamt_print(char *body, const struct transctl_fmt *fmt, FILE *out)
{
	static const char *const headers[] = { "IPV6 PREFIX", "IPV4 PREFIX" };
	static const char *const fields[] = { "ipv6", "ipv4" };
	static const struct transctl_columns cols = {
		"eamt", 2, headers, fields, 0, 0,
	};

	return transctl_print_rows(&cols, body, fmt, out);
}

static const struct transctl_verb eamt_verbs[CTL_SUB_MAX] = {
	[CTL_SUB_SHOW] = { NULL, eamt_print },
	[CTL_SUB_ADD] = { eamt_check_add, NULL },
	[CTL_SUB_REMOVE] = { eamt_check_remove, NULL },
};

const struct transctl_verb_cmd transctl_eamt_cmd = {
	.verb = CTL_CMD_EAMT,
	.verbs = eamt_verbs,
	.default_first = true,
	.usage = eamt_usage,
};

int cmd_eamt(int argc, char **argv)
{
	return transctl_verb_exec(&transctl_eamt_cmd, argc, argv, stdout,
				  stderr);
}
