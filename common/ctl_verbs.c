// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control verbs, declared once: their names on the wire, their
 * subcommands with the arguments each takes, what changes the running
 * state. translatord's dispatcher (translator/daemon/daemon_ctl.c) checks
 * requests against this table before it calls a handler; transctl
 * (usr/ops_cmd.c, usr/request_cmd.c) checks command lines against it
 * before it sends anything, so both refuse the same requests with the
 * same usage.
 */
#include <string.h>

#include "ctl_proto.h"

#define CTL_SHOW(a, min, max)	{ "show", a, min, max, false }
#define CTL_ADD(a, min, max)	{ "add", a, min, max, true }
#define CTL_REMOVE(a, min, max)	{ "remove", a, min, max, true }

const struct ctl_verb ctl_verbs[CTL_CMD_UNKNOWN] = {
	[CTL_CMD_STATUS] = { .name = "status" },
	[CTL_CMD_STATS] = { .name = "stats" },
	/* Each worker's counters (`transctl stats --workers`). */
	[CTL_CMD_WORKER_STATS] = { .name = "worker-stats" },
	[CTL_CMD_CONFIG] = { .name = "config" },
	[CTL_CMD_RULES] = { .name = "rules" },
	/* Re-reads the file: replaces the running configuration. */
	[CTL_CMD_RELOAD] = { .name = "reload", .changes = true },
	[CTL_CMD_EAMT] = { .name = "eamt", .subs = {
		[CTL_SUB_SHOW] = CTL_SHOW("", 0, 0),
		[CTL_SUB_ADD] = CTL_ADD("PREFIX6 PREFIX4", 2, 2),
		[CTL_SUB_REMOVE] = CTL_REMOVE("PREFIX6|PREFIX4", 1, 1),
	} },
	[CTL_CMD_DENYLIST4] = { .name = "denylist4", .subs = {
		[CTL_SUB_SHOW] = CTL_SHOW("", 0, 0),
		[CTL_SUB_ADD] = CTL_ADD("PREFIX4", 1, 1),
		[CTL_SUB_REMOVE] = CTL_REMOVE("PREFIX4", 1, 1),
	} },
	[CTL_CMD_ADDRESS] = { .name = "address", .subs = {
		[CTL_SUB_QUERY] = { "query", "ADDR [PORT]", 1, 2, false },
	} },
	[CTL_CMD_BIB] = { .name = "bib", .nat64 = true, .subs = {
		[CTL_SUB_SHOW] = CTL_SHOW("[tcp|udp|icmp]", 0, 1),
		[CTL_SUB_ADD] = CTL_ADD("tcp|udp|icmp IPV4#PORT IPV6#PORT",
					3, 3),
		[CTL_SUB_REMOVE] = CTL_REMOVE("tcp|udp|icmp "
					      "IPV4#PORT|IPV6#PORT", 2, 2),
	} },
	[CTL_CMD_SESSION] = { .name = "session", .nat64 = true, .subs = {
		[CTL_SUB_SHOW] = CTL_SHOW("[tcp|udp|icmp]", 0, 1),
	} },
	[CTL_CMD_POOL4] = { .name = "pool4", .nat64 = true, .subs = {
		[CTL_SUB_SHOW] = CTL_SHOW("", 0, 0),
		[CTL_SUB_ADD] = CTL_ADD("PREFIX4 [PORTS] [tcp|udp|icmp]", 1, 3),
		[CTL_SUB_REMOVE] = CTL_REMOVE("PREFIX4 [PORTS] [tcp|udp|icmp]",
					      1, 3),
	} },
};

const char *ctl_cmd_name(enum ctl_cmd cmd)
{
	return cmd < CTL_CMD_UNKNOWN ? ctl_verbs[cmd].name : "unknown";
}

enum ctl_cmd ctl_cmd_parse(const char *line)
{
	size_t n = strcspn(line, " \t\r");
	int i;

	for (i = 0; i < CTL_CMD_UNKNOWN; i++)
		if (strlen(ctl_verbs[i].name) == n &&
		    !strncmp(line, ctl_verbs[i].name, n))
			return (enum ctl_cmd)i;
	return CTL_CMD_UNKNOWN;
}

bool ctl_verb_takes_args(enum ctl_cmd cmd)
{
	for (int s = 0; s < CTL_SUB_MAX; s++)
		if (ctl_verbs[cmd].subs[s].name)
			return true;
	return false;
}

int ctl_sub_find(enum ctl_cmd cmd, const char *word)
{
	for (int s = 0; s < CTL_SUB_MAX; s++)
		if (ctl_verbs[cmd].subs[s].name &&
		    !strcmp(ctl_verbs[cmd].subs[s].name, word))
			return s;
	return -1;
}

int ctl_sub_first(enum ctl_cmd cmd)
{
	for (int s = 0; s < CTL_SUB_MAX; s++)
		if (ctl_verbs[cmd].subs[s].name)
			return s;
	return -1;
}

void ctl_sub_list(enum ctl_cmd cmd, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int s = 0; s < CTL_SUB_MAX && off < len; s++)
		if (ctl_verbs[cmd].subs[s].name)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						off ? ", " : "",
						ctl_verbs[cmd].subs[s].name);
}
