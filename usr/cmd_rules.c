// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl rules: the iptables rules that steer traffic into translatord's
 * queues, from the running daemon or (-c) computed from a config file;
 * --flush removes an instance's chain and jumps (after a crash).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "ctl_proto.h"
#include "daemon_conf.h"
#include "rules.h"
#include "transctl.h"

static void rules_usage(FILE *f)
{
	fprintf(f, "Usage: %s rules [--control PATH]\n"
		"       %s rules -c CONFIG\n"
		"       %s rules --flush [-c CONFIG] [--force]\n\n"
		"Prints the rules translatord steers traffic with, as a shell script\n"
		"(iptables-restore --noflush, then the jump from PREROUTING): the\n"
		"running daemon's, or with -c the ones a configuration file implies\n"
		"(to install by hand with `rules manual`).\n\n"
		"  -c, --config FILE    compute the rules from FILE, offline\n"
		"  -f, --flush          remove the instance's chain (XLAT-TCP-OTHER,\n"
		"                       named after the queues of FILE, or of the\n"
		"                       defaults 64 and 65 without -c) and every jump\n"
		"                       to it: what a translatord killed with -9 left;\n"
		"                       refused while a process reads those queues\n"
		"      --force          flush even then\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, transctl_prog, transctl_prog, CTL_DEFAULT_PATH);
}

#define RULES_PROC_QUEUES	"/proc/net/netfilter/nfnetlink_queue"

/* The daemon settings of a configuration file (or the defaults). */
static int rules_dconf_of(const char *path, struct daemon_conf *dc)
{
	struct daemon_cfgset set;
	char err[512];

	daemon_conf_init(dc);
	if (!path)
		return 0;
	if (daemon_cfgset_load(path, &set, err, sizeof(err))) {
		fprintf(stderr, "transctl rules: %s\n", err);
		return -1;
	}
	*dc = set.dc;
	daemon_cfgset_free(&set);
	return 0;
}

/* Whether a process reads one of the workers' queues (first column of
 * the kernel's list of bound queues): a translatord is running on them. */
static bool rules_queue_bound(const struct daemon_conf *dc, unsigned int *q)
{
	FILE *f = fopen(RULES_PROC_QUEUES, "re");
	bool bound = false;
	char line[256];

	while (f && !bound && fgets(line, sizeof(line), f))
		bound = sscanf(line, "%u", q) == 1 &&
			((*q >= dc->queue_tcp &&
			  *q < dc->queue_tcp + dc->workers) ||
			 (*q >= dc->queue_other &&
			  *q < dc->queue_other + dc->workers));
	if (f)
		fclose(f);
	return bound;
}

static int rules_flush_cmd(const char *path, bool force)
{
	char chain[RULES_CHAIN_LEN], err[512];
	struct daemon_conf dc;
	unsigned int q;
	int n;

	if (rules_dconf_of(path, &dc))
		return TRANSCTL_ERR;
	rules_chain_name(&dc, chain);
	/* Flushing a running daemon's chain would let its traffic past it. */
	if (!force && rules_queue_bound(&dc, &q)) {
		fprintf(stderr, "transctl rules --flush: queue %u has a reader "
			"(translatord is running): stop it instead, its clean "
			"stop removes chain %s (--force flushes anyway)\n", q,
			chain);
		return TRANSCTL_ERR;
	}
	n = rules_flush(chain, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "transctl rules --flush: %s\n", err);
		return TRANSCTL_ERR;
	}
	printf("flushed chain %s: %d rules removed\n", chain, n);
	return TRANSCTL_OK;
}

static int rules_offline(const char *path)
{
	struct daemon_cfgset set;
	struct rules_plan plan;
	char err[512];
	int ret = TRANSCTL_ERR;

	if (daemon_cfgset_load(path, &set, err, sizeof(err))) {
		fprintf(stderr, "transctl rules: %s\n", err);
		return TRANSCTL_ERR;
	}
	if (rules_build(&set.cfg, &set.dc, &plan, err, sizeof(err))) {
		fprintf(stderr, "transctl rules: %s\n", err);
		goto out;
	}
	rules_print(&plan, stdout);
	rules_free(&plan);
	ret = TRANSCTL_OK;
out:
	daemon_cfgset_free(&set);
	return ret;
}

int cmd_rules(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",  required_argument, NULL, 'c' },
		{ "control", required_argument, NULL, 's' },
		{ "flush",   no_argument,       NULL, 'f' },
		{ "force",   no_argument,       NULL, 'F' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CTL_DEFAULT_PATH, *config = NULL;
	bool flush = false, force = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "c:s:fFh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 's':
			path = optarg;
			break;
		case 'f':
			flush = true;
			break;
		case 'F':
			force = true;
			break;
		case 'h':
			rules_usage(stdout);
			return TRANSCTL_OK;
		default:
			fprintf(stderr, "Try '%s rules --help'.\n", transctl_prog);
			return TRANSCTL_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s rules: unexpected argument '%s'\n",
			transctl_prog, argv[optind]);
		return TRANSCTL_USAGE;
	}
	if (flush)
		return rules_flush_cmd(config, force);
	if (config)
		return rules_offline(config);
	return ctl_print_reply(path, ctl_cmd_name(CTL_CMD_RULES), stdout,
			       "transctl rules") ?
	       TRANSCTL_ERR : TRANSCTL_OK;
}
