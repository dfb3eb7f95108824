// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl address query ADDR: how the running translatord maps an IPv4
 * or IPv6 address, and by which rule (usr/ops_cmd.c).
 */
#include "transctl.h"

static void address_usage(FILE *f)
{
	fprintf(f, "Usage: %s address query ADDR [--json | --csv] [--numeric] [--control PATH]\n\n"
		"Asks the running translatord how it maps ADDR (IPv4 or IPv6), as\n"
		"a source or a destination alike, and why: an EAMT entry (RFC 7757),\n"
		"pool6 (RFC 6052), or not at all (denylist4, a reserved IPv4 range,\n"
		"a non-global one under 64:ff9b::/96, outside pool6, no pool6).\n"
		"The answer comes from the code that translates packets. Fields:\n"
		"  address    ADDR, canonical\n"
		"  family     ipv4 or ipv6\n"
		"  rule       eamt, pool6, denylist, reserved, non-global or none; in mode nat64\n"
		"             also pool4 (lent to IPv6 hosts, with its bindings)\n"
		"             and bib (static bindings, an IPv6 host's bindings)\n"
		"  result     the address on the other side (- when none)\n"
		"  match      the entry or prefix that decided\n"
		"  reason     one line of explanation\n"
		"  queued     yes or no: whether translatord's rules send packets\n"
		"             to ADDR to its queues; ports: ADDR is the host's own,\n"
		"             in pool4, and only pool4's ports (and ICMP but echo\n"
		"             requests) are queued\n"
		"  queued_by  the destination prefix of that rule, or the ports\n"
		"             (- when none)\n"
		"Exit status 0 whenever translatord answered, translated or not.\n\n"
		"  -j, --json           one JSON object of those fields (null for -)\n"
		"      --csv            the fields as CSV (RFC 4180) rows under a\n"
		"                       key,value header\n"
		"  -n, --numeric        accepted: the output holds no names\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, CTL_DEFAULT_PATH);
}

static int address_check(char **args, char *err, size_t errlen)
{
	return transctl_check_addr(args[0], err, errlen);
}

static const struct transctl_verb address_verbs[CTL_SUB_MAX] = {
	[CTL_SUB_QUERY] = { address_check, transctl_print_keyvals },
};

const struct transctl_verb_cmd transctl_address_cmd = {
	.verb = CTL_CMD_ADDRESS,
	.verbs = address_verbs,
	.default_first = false,
	.usage = address_usage,
};

int cmd_address(int argc, char **argv)
{
	return transctl_verb_exec(&transctl_address_cmd, argc, argv, stdout,
				  stderr);
}
