// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl bib show|add|remove: the running translatord's stateful NAT64
 * bindings (RFC 6146 BIB), static entries changed at run time
 * (usr/ops_cmd.c).
 */
#include "transctl.h"

static void bib_usage(FILE *f)
{
	fprintf(f, "Usage: %s bib [show] [tcp|udp|icmp] [--json | --csv] [--numeric] [--control PATH]\n"
		"       %s bib add tcp|udp|icmp IPV4#PORT IPV6#PORT [--control PATH]\n"
		"       %s bib remove tcp|udp|icmp IPV4#PORT|IPV6#PORT [--control PATH]\n\n"
		"Shows the bindings of the running translatord (mode nat64): which\n"
		"IPv6 transport address each pool4 address and port stands for, static\n"
		"or made by traffic, and how many sessions use it. ICMP bindings take\n"
		"the echo identifier as their port. A count per protocol follows.\n\n"
		"'add' makes a static binding, as a 'bib' line of the file does: IPv4\n"
		"hosts can then open connections to the IPv6 host through it. It is\n"
		"kept until the next reload. 'remove' takes a static entry out (kept\n"
		"until the next reload too), or forgets a dynamic binding and its\n"
		"sessions at once; either transport address of the binding names it.\n\n"
		"  -j, --json           show: {\"bib\": [{\"proto\", \"ipv6\", \"ipv4\",\n"
		"                       \"type\", \"sessions\"}], \"counts\": {...}}\n"
		"      --csv            show: CSV (RFC 4180) under a header of the\n"
		"                       JSON names; rows only, no counts\n"
		"  -n, --numeric        protocols as numbers: tcp 6, udp 17, icmp 1\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, transctl_prog, transctl_prog, CTL_DEFAULT_PATH);
}

static int bib_check_show(char **args, char *err, size_t errlen)
{
	return args[0] ? transctl_check_l4(args[0], err, errlen) : 0;
}

/* One IPv4 and one IPv6 transport address, in either order. */
static int bib_check_add(char **args, char *err, size_t errlen)
{
	if (transctl_check_l4(args[0], err, errlen) ||
	    transctl_check_taddr(args[1], 0, err, errlen) ||
	    transctl_check_taddr(args[2], 0, err, errlen))
		return -1;
	if (transctl_check_taddr(args[1], 4, err, errlen) ==
	    transctl_check_taddr(args[2], 4, err, errlen)) {
		snprintf(err, errlen, "needs one IPv4 and one IPv6 transport "
			 "address, not '%s' and '%s'", args[1], args[2]);
		return -1;
	}
	return 0;
}

static int bib_check_remove(char **args, char *err, size_t errlen)
{
	return transctl_check_l4(args[0], err, errlen) ||
	       transctl_check_taddr(args[1], 0, err, errlen) ? -1 : 0;
}

static int bib_print(char *body, const struct transctl_fmt *fmt, FILE *out)
{
	static const char *const headers[] = {
		"PROTO", "IPV6 ADDR#PORT", "IPV4 ADDR#PORT", "TYPE", "SESSIONS",
	};
	static const char *const fields[] = {
		"proto", "ipv6", "ipv4", "type", "sessions",
	};
	static const struct transctl_columns cols = {
		"bib", 5, headers, fields, 1u << 4, 1u << 0,	/* sessions, proto */
	};

	return transctl_print_counted(&cols, "bindings", body, fmt, out);
}

static const struct transctl_verb bib_verbs[CTL_SUB_MAX] = {
	[CTL_SUB_SHOW] = { bib_check_show, bib_print },
	[CTL_SUB_ADD] = { bib_check_add, NULL },
	[CTL_SUB_REMOVE] = { bib_check_remove, NULL },
};

const struct transctl_verb_cmd transctl_bib_cmd = {
	.verb = CTL_CMD_BIB,
	.verbs = bib_verbs,
	.default_first = true,
	.usage = bib_usage,
};

int cmd_bib(int argc, char **argv)
{
	return transctl_verb_exec(&transctl_bib_cmd, argc, argv, stdout,
				  stderr);
}
