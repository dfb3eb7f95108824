/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transctl offloads, the tool's own pure parts: the command line, the
 * `interface` lines of a running daemon's configuration, and the output
 * (table, actions, summary, JSON). The decisions are in common/offloads.h.
 */
#ifndef USR_OFFLOADS_CLI_H
#define USR_OFFLOADS_CLI_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "offloads.h"

/* transctl offloads [IFACE...] [-c CONFIG] [-s PATH] [--fix] ... */
struct offl_opts {
	const char *config;
	const char *control;	/* NULL: the default socket */
	const char *ifaces[OFFL_MAX_IFACES];
	size_t n_ifaces;
	bool fix;
	bool dry_run;
	bool json;
	bool csv;	/* set from transctl's global --csv */
};

/* Returns 0, or -1 with a one-line message in err. Uses getopt. */
int offl_parse_args(int argc, char **argv, struct offl_opts *o,
		    char *err, size_t errlen);

/*
 * The `interface v4 NAME` and `interface v6 NAME` lines of a configuration
 * as translatord's `config` request writes it (one directive per line,
 * single spaces). v4 and v6 (IF_NAMESIZE each) get "" when absent.
 */
void offl_config_ifaces(const char *text, char *v4, char *v6);

void offl_print_table(FILE *f, const struct offl_row *rows, size_t n);
/* One line per action, or "nothing to change". */
void offl_print_actions(FILE *f, const struct offl_action *acts, size_t n,
			const struct offl_iface *ifs);
/* "N risky ..." or "nothing risky". */
void offl_print_summary(FILE *f, const struct offl_row *rows, size_t n);
/*
 * The rows as RFC 4180 CSV (header interface,upper,relation,feature,
 * state,fixed,risk,why); the actions of --fix are not in it (the fixed
 * column says what changed).
 */
void offl_print_csv(FILE *f, const struct offl_row *rows, size_t n);
/* The whole report as one JSON document; acts NULL leaves out "actions". */
void offl_print_json(FILE *f, const struct offl_row *rows, size_t n,
		     const struct offl_action *acts, size_t nacts,
		     const struct offl_iface *ifs);

#endif
