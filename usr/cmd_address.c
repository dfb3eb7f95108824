// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl address query ADDR [PORT]: how the running translatord maps an
 * IPv4 or IPv6 address, and by which rule (usr/ops_cmd.c); with --config
 * FILE, or dump-deterministic, the pool4-deterministic mapping without
 * translatord (usr/cmd_det.c).
 */
#include "det_query.h"
#include "transctl.h"

static void address_usage(FILE *f)
{
	fprintf(f, "Usage: %s address query ADDR [PORT] [--json | --csv] [--numeric] [--control PATH]\n"
		"       %s address query ADDR [PORT] --config FILE [--json | --csv]\n"
		"       %s address dump-deterministic [V6PREFIX] [--config FILE] [--force]\n"
		"                 [--json | --csv] [--control PATH]\n\n"
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
		"In mode nat64, with pool4-deterministic entries (or a PORT):\n"
		"  port          PORT\n"
		"  det_entry     the entry holding ADDR (its directive's arguments), or -\n"
		"  det_customer  the IPv6 customer (prefix) owning ADDR PORT; for an IPv4\n"
		"                ADDR alone the first-last customers of it; for an IPv6\n"
		"                ADDR the customer holding it\n"
		"  det_ipv4, det_ports  that customer's IPv4 address and port block\n"
		"  det_source    computed from the mapping: true with or without a binding\n"
		"  bindings      (with PORT) the bindings of IPv4 ADDR#PORT now, by protocol:\n"
		"                for a dynamic pool4 address the only answer there is\n"
		"With --config FILE the det_ lines come from FILE alone, without\n"
		"translatord (the same code computes them). dump-deterministic writes\n"
		"every customer of the entries (or of the one for V6PREFIX): CUSTOMER\n"
		"IPV4 PORTS rows, streamed, from FILE or the running configuration;\n"
		"more than 1000000 rows only with --force.\n"
		"Exit status 0 whenever translatord answered, translated or not.\n\n"
		"  -j, --json           one JSON object of those fields (null for -)\n"
		"      --csv            the fields as CSV (RFC 4180) rows under a\n"
		"                       key,value header\n"
		"  -n, --numeric        accepted: the output holds no names\n"
		"  -c, --config FILE    answer from FILE, without translatord\n"
		"  -f, --force          dump-deterministic: more than 1000000 rows\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, transctl_prog, transctl_prog, CTL_DEFAULT_PATH);
}

static int address_check(char **args, char *err, size_t errlen)
{
	long port;

	if (args[1] && det_port_parse(args[1], &port)) {
		snprintf(err, errlen, "bad port '%s' (0..65535)", args[1]);
		return -1;
	}
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
	int ret = transctl_det_run(argc, argv, address_usage);

	if (ret >= 0)
		return ret;
	return transctl_verb_exec(&transctl_address_cmd, argc, argv, stdout,
				  stderr);
}
