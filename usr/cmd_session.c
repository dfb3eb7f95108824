// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl session show: the running translatord's stateful NAT64
 * sessions (RFC 6146), with their TCP state and time left
 * (usr/ops_cmd.c).
 */
#include "transctl.h"

static void session_usage(FILE *f)
{
	fprintf(f, "Usage: %s session [show] [tcp|udp|icmp] [--json | --csv] [--numeric] [--control PATH]\n\n"
		"Shows the sessions of the running translatord (mode nat64), all or\n"
		"those of one protocol, each on one line: the IPv6 host's transport\n"
		"address, the remote end as the IPv6 host sees it (under pool6), the\n"
		"pool4 address and port it goes out with, the remote end's IPv4\n"
		"address, the TCP state (RFC 6146 3.5.2) and the seconds until it\n"
		"expires unless traffic refreshes it. An IPv4 SYN waiting for a\n"
		"simultaneous open has no IPv6 host yet ('-'). ICMP sessions use the\n"
		"echo identifier as their port. The counts per protocol (of the whole\n"
		"table) follow; a listing stops at %d rows.\n\n"
		"  -j, --json           {\"sessions\": [{\"proto\", \"ipv6\", \"remote6\",\n"
		"                       \"ipv4\", \"remote4\", \"state\", \"expires_s\"}],\n"
		"                       \"counts\": {\"tcp\", \"udp\", \"icmp\", \"total\"},\n"
		"                       \"omitted\": N}\n"
		"      --csv            show: CSV (RFC 4180) under a header of the\n"
		"                       JSON names; rows only, no counts\n"
		"  -n, --numeric        protocols as numbers: tcp 6, udp 17, icmp 1\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, CTL_LIST_MAX, CTL_DEFAULT_PATH);
}

static int session_check(char **args, char *err, size_t errlen)
{
	return args[0] ? transctl_check_l4(args[0], err, errlen) : 0;
}

static int session_print(char *body, const struct transctl_fmt *fmt,
			 FILE *out)
{
	static const char *const headers[] = {
		"PROTO", "IPV6 HOST", "IPV6 REMOTE", "IPV4 LOCAL",
		"IPV4 REMOTE", "STATE", "EXPIRES",
	};
	static const char *const fields[] = {
		"proto", "ipv6", "remote6", "ipv4", "remote4", "state",
		"expires_s",
	};
	static const struct transctl_columns cols = {
		"sessions", 7, headers, fields, 1u << 6, 1u << 0,
		/* expires_s, proto */
	};

	return transctl_print_counted(&cols, "sessions", body, fmt, out);
}

static const struct transctl_verb session_verbs[CTL_SUB_MAX] = {
	[CTL_SUB_SHOW] = { session_check, session_print },
};

const struct transctl_verb_cmd transctl_session_cmd = {
	.verb = CTL_CMD_SESSION,
	.verbs = session_verbs,
	.default_first = true,
	.usage = session_usage,
};

int cmd_session(int argc, char **argv)
{
	return transctl_verb_exec(&transctl_session_cmd, argc, argv, stdout,
				  stderr);
}
