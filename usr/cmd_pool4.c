// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl pool4 show|add|remove: the running translatord's NAT64 IPv4
 * addresses and ports (RFC 6146 pool4), changed at run time
 * (usr/ops_cmd.c).
 */
#include <string.h>

#include "transctl.h"

static void pool4_usage(FILE *f)
{
	fprintf(f, "Usage: %s pool4 [show] [--json | --csv] [--numeric] [--control PATH]\n"
		"       %s pool4 add PREFIX4 [PORTS] [tcp|udp|icmp] [--control PATH]\n"
		"       %s pool4 remove PREFIX4 [PORTS] [tcp|udp|icmp] [--control PATH]\n\n"
		"Shows or changes the IPv4 addresses and ports the running translatord\n"
		"(mode nat64) lends to IPv6 hosts: one row per protocol and prefix\n"
		"with its port range (ICMP: echo identifiers), then per protocol the\n"
		"bindings inside pool4 and its capacity (addresses x ports).\n\n"
		"'add' takes what a 'pool4' line of the file takes (without a\n"
		"protocol: all three; without PORTS: 1-65535, ICMP 0-65535) and checks\n"
		"it the same way (no overlap). 'remove' takes out every entry of that\n"
		"exact prefix (and port range and protocol, when given); the bindings\n"
		"left outside pool4 go at once, with their sessions. Both last until\n"
		"the next reload. pool4 addresses are the translator's, routed to it,\n"
		"but must not be local addresses of the router.\n\n"
		"  -j, --json           show: {\"pool4\": [{\"proto\", \"prefix\", \"ports\"}],\n"
		"                       \"usage\": {\"tcp\": {\"used\", \"total\"}, ...}}\n"
		"      --csv            show: CSV (RFC 4180) under a header of the\n"
		"                       JSON names; rows only, no counts\n"
		"  -n, --numeric        protocols as numbers: tcp 6, udp 17, icmp 1\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, transctl_prog, transctl_prog, CTL_DEFAULT_PATH);
}

/* PREFIX4 [PORTS] [PROTO], as the directive: a protocol comes last. */
static int pool4_check(char **args, char *err, size_t errlen)
{
	if (transctl_check_prefix(args[0], 4, err, errlen))
		return -1;
	if (!args[1])
		return 0;
	if (!args[2] && !transctl_check_l4(args[1], err, errlen))
		return 0;
	if (transctl_check_ports(args[1], err, errlen))
		return -1;
	return args[2] ? transctl_check_l4(args[2], err, errlen) : 0;
}

static const char *const pool4_l4[] = { "tcp", "udp", "icmp" };

static void pool4_footer(const struct transctl_listing *l,
			 const struct transctl_fmt *fmt, FILE *out)
{
	bool json = fmt->format == TRANSCTL_FMT_JSON;
	const struct transctl_meta *m;
	int i, j;

	if (fmt->format == TRANSCTL_FMT_CSV)
		return;
	fputs(json ? ", \"usage\": {" : "", out);
	for (i = 0; i < 3; i++) {
		for (j = 0, m = NULL; j < l->count && !m; j++)
			if (!strcmp(l->meta[j].name, pool4_l4[i]))
				m = &l->meta[j];
		if (json)
			fprintf(out, "%s\"%s\": {\"used\": %llu, \"total\": %llu}",
				i ? ", " : "", pool4_l4[i], m ? m->n : 0,
				m ? m->m : 0);
		else
			fprintf(out, "%s%s %llu of %llu", i ? ", " : "pool4 used: ",
				pool4_l4[i], m ? m->n : 0, m ? m->m : 0);
	}
	fputs(json ? "}}\n" : "\n", out);
}

static int pool4_print(char *body, const struct transctl_fmt *fmt, FILE *out)
{
	static const char *const headers[] = { "PROTO", "PREFIX", "PORTS" };
	static const char *const fields[] = { "proto", "prefix", "ports" };
	static const struct transctl_columns cols = {
		"pool4", 3, headers, fields, 0, 1u << 0,
	};
	struct transctl_listing l;

	if (transctl_listing_split(body, &l) ||
	    transctl_print_listing(&cols, body, fmt, out))
		return -1;
	pool4_footer(&l, fmt, out);
	return 0;
}

static const struct transctl_verb pool4_verbs[CTL_SUB_MAX] = {
	[CTL_SUB_SHOW] = { NULL, pool4_print },
	[CTL_SUB_ADD] = { pool4_check, NULL },
	[CTL_SUB_REMOVE] = { pool4_check, NULL },
};

const struct transctl_verb_cmd transctl_pool4_cmd = {
	.verb = CTL_CMD_POOL4,
	.verbs = pool4_verbs,
	.default_first = true,
	.usage = pool4_usage,
};

int cmd_pool4(int argc, char **argv)
{
	return transctl_verb_exec(&transctl_pool4_cmd, argc, argv, stdout,
				  stderr);
}
