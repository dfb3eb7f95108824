// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control requests' dispatcher: a request line is split into words
 * and checked against the one verb table (common/ctl_verbs.c, which
 * transctl reads too): the verb, its subcommand, how many arguments that
 * takes, whether it exists in the running mode. Only then is the handler
 * called; this file knows nothing else of any request.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon_config.h"
#include "daemon_ctl.h"
#include "daemon_nat64.h"

static int daemon_ctl_reload(struct daemon *d, int nargs, char **args,
			     FILE *body, char *err, size_t errlen)
{
	(void)nargs;
	(void)args;
	return daemon_reload(d, body, err, errlen);
}

/* The handlers, by verb: one for a verb without subcommands, else one
 * per subcommand that ctl_verbs[] declares. */
static const struct {
	daemon_ctl_fn fn;
	daemon_ctl_fn sub[CTL_SUB_MAX];
} daemon_ctl_handlers[CTL_CMD_UNKNOWN] = {
	[CTL_CMD_STATUS] = { .fn = daemon_show_status },
	[CTL_CMD_STATS] = { .fn = daemon_show_stats },
	[CTL_CMD_WORKER_STATS] = { .fn = daemon_show_worker_stats },
	[CTL_CMD_CONFIG] = { .fn = daemon_show_config },
	[CTL_CMD_RULES] = { .fn = daemon_show_rules },
	[CTL_CMD_RELOAD] = { .fn = daemon_ctl_reload },
	[CTL_CMD_EAMT] = { .sub = {
		[CTL_SUB_SHOW] = dtab_eamt_show,
		[CTL_SUB_ADD] = dtab_eamt_add,
		[CTL_SUB_REMOVE] = dtab_eamt_remove,
	} },
	[CTL_CMD_DENYLIST4] = { .sub = {
		[CTL_SUB_SHOW] = dtab_deny_show,
		[CTL_SUB_ADD] = dtab_deny_add,
		[CTL_SUB_REMOVE] = dtab_deny_remove,
	} },
	[CTL_CMD_ADDRESS] = { .sub = {
		[CTL_SUB_QUERY] = daemon_address_query,
	} },
	[CTL_CMD_BIB] = { .sub = {
		[CTL_SUB_SHOW] = dn64_bib_show,
		[CTL_SUB_ADD] = dn64_bib_add,
		[CTL_SUB_REMOVE] = dn64_bib_remove,
	} },
	[CTL_CMD_SESSION] = { .sub = {
		[CTL_SUB_SHOW] = dn64_session_show,
	} },
	[CTL_CMD_POOL4] = { .sub = {
		[CTL_SUB_SHOW] = dn64_pool4_show,
		[CTL_SUB_ADD] = dn64_pool4_add,
		[CTL_SUB_REMOVE] = dn64_pool4_remove,
	} },
};

/* "eamt: unknown subcommand 'x' (show, add, remove)", or missing. */
static int daemon_ctl_no_sub(enum ctl_cmd cmd, const char *word, char *err,
			     size_t errlen)
{
	char list[64];

	ctl_sub_list(cmd, list, sizeof(list));
	if (word)
		snprintf(err, errlen, "%s: unknown subcommand '%.32s' (%s)",
			 ctl_cmd_name(cmd), word, list);
	else
		snprintf(err, errlen, "%s: missing subcommand (%s)",
			 ctl_cmd_name(cmd), list);
	return -1;
}

/* A verb with subcommands: argv[0] the verb, argv[1] the subcommand. */
static int daemon_ctl_sub(struct daemon *d, enum ctl_cmd cmd, int argc,
			  char **argv, FILE *body, char *err, size_t errlen)
{
	const struct ctl_subcmd *s;
	int sub = argc > 1 ? ctl_sub_find(cmd, argv[1]) : -1;
	int nargs = argc - 2;

	/* Declared in the table but served by no handler: unknown here. */
	if (sub >= 0 && !daemon_ctl_handlers[cmd].sub[sub])
		sub = -1;
	if (sub < 0)
		return daemon_ctl_no_sub(cmd, argc > 1 ? argv[1] : NULL, err,
					 errlen);
	s = &ctl_verbs[cmd].subs[sub];
	if (nargs < s->min_args || nargs > s->max_args) {
		snprintf(err, errlen, "%s %s: usage: %s %s%s%s", argv[0],
			 s->name, argv[0], s->name, s->args[0] ? " " : "",
			 s->args);
		return -1;
	}
	if (ctl_verbs[cmd].nat64 &&
	    (d->set->cfg.mode != CONFIG_MODE_NAT64 || !daemon_nat64(d))) {
		snprintf(err, errlen, "%s: translatord runs in mode siit; "
			 "NAT64 bindings, sessions and pool4 exist in mode "
			 "nat64 only", argv[0]);
		return -1;
	}
	return daemon_ctl_handlers[cmd].sub[sub](d, nargs, argv + 2, body,
						 err, errlen);
}

int daemon_ctl_handle(void *arg, enum ctl_cmd cmd, const char *line,
		      FILE *body, char *err, size_t errlen)
{
	char buf[CTL_MAX_REQUEST + 1], *argv[CTL_MAX_WORDS];
	int argc;

	if (cmd == CTL_CMD_UNKNOWN) {
		snprintf(err, errlen, "unknown request '%.64s'", line);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", line);
	argc = ctl_split_words(buf, argv, CTL_MAX_WORDS);
	if (argc < 0) {
		snprintf(err, errlen, "%s: too many arguments",
			 ctl_cmd_name(cmd));
		return -1;
	}
	if (ctl_verb_takes_args(cmd))
		return daemon_ctl_sub(arg, cmd, argc, argv, body, err, errlen);
	if (argc > 1) {
		snprintf(err, errlen, "%s: unexpected argument '%.64s'",
			 argv[0], argv[1]);
		return -1;
	}
	return daemon_ctl_handlers[cmd].fn(arg, 0, argv + 1, body, err,
					   errlen);
}
