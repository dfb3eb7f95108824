// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "rules.h"

extern char **environ;

/* Seconds iptables may wait for the xtables lock held by someone else. */
#define RULES_LOCK_WAIT	"5"

static const char *const rules_bins4[] = {
	"iptables", "iptables-nft", "iptables-legacy",
};
static const char *const rules_bins6[] = {
	"ip6tables", "ip6tables-nft", "ip6tables-legacy",
};

static void rule_arg(struct rule *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rule_arg(struct rule *r, const char *fmt, ...)
{
	va_list ap;

	if (r->argc == RULES_MAX_ARGS)
		return;	/* the templates below stay well under the limit */
	va_start(ap, fmt);
	vsnprintf(r->argv[r->argc++], RULES_ARG_LEN, fmt, ap);
	va_end(ap);
}

/* The two rules of one destination: TCP first, then everything else. */
static void rules_add_dst(struct rules_plan *plan, int family,
			  const char *iface, const char *dst,
			  const struct daemon_conf *dc)
{
	int tcp;

	for (tcp = 1; tcp >= 0; tcp--) {
		struct rule *r = &plan->rule[plan->count++];

		memset(r, 0, sizeof(*r));
		r->family = family;
		if (iface[0]) {
			rule_arg(r, "-i");
			rule_arg(r, "%s", iface);
		} else if (dc->egress == DCONF_EGRESS_TUN) {
			/* What we write to the TUN device comes back in
			 * through PREROUTING: it is already translated. */
			rule_arg(r, "!");
			rule_arg(r, "-i");
			rule_arg(r, "%s", dc->egress_tun);
		}
		rule_arg(r, "-d");
		rule_arg(r, "%s", dst);
		if (!tcp)
			rule_arg(r, "!");
		rule_arg(r, "-p");
		rule_arg(r, "tcp");
		rule_arg(r, "-m");
		rule_arg(r, "addrtype");
		rule_arg(r, "!");
		rule_arg(r, "--dst-type");
		rule_arg(r, "LOCAL");
		rule_arg(r, "-m");
		rule_arg(r, "mark");
		rule_arg(r, "!");
		rule_arg(r, "--mark");
		rule_arg(r, "0x%x", dc->mark);
		rule_arg(r, "-j");
		rule_arg(r, "NFQUEUE");
		rule_arg(r, "--queue-num");
		rule_arg(r, "%u", tcp ? dc->queue_tcp : dc->queue_other);
		/* Without a reader the kernel drops, unless fail-open. */
		if (dc->fail_open)
			rule_arg(r, "--queue-bypass");
	}
}

/* Whether pool4 entry i repeats an earlier entry's prefix (one per
 * protocol is usual): its destination is queued once. */
static bool rules_pool4_seen(const struct config_nat64 *n, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (n->pool4[j].prefix.len == n->pool4[i].prefix.len &&
		    prefix4_contains(&n->pool4[j].prefix,
				     &n->pool4[i].prefix.addr))
			return true;
	return false;
}

/* Whether static entry i's address is queued already (pool4 or before). */
static bool rules_bib_seen(const struct config_nat64 *n, size_t i)
{
	for (size_t j = 0; j < n->pool4_count; j++)
		if (prefix4_contains(&n->pool4[j].prefix, &n->bib[i].addr4))
			return true;
	for (size_t j = 0; j < i; j++)
		if (n->bib[j].addr4.s_addr == n->bib[i].addr4.s_addr)
			return true;
	return false;
}

/*
 * NAT64 (RFC 6146): on the IPv4 side, the NAT64's own addresses, pool4
 * and the static bindings' (packets to them, replies and ICMP errors
 * about what it sent, are its business). They must not be local
 * addresses of the router: the rules leave those alone.
 */
static void rules_add_nat64(struct rules_plan *plan, const struct config *cfg,
			    const struct daemon_conf *dc)
{
	const struct config_nat64 *n = &cfg->nat64;
	char buf[PREFIX4_STRLEN], a4[INET_ADDRSTRLEN];

	if (cfg->mode != CONFIG_MODE_NAT64)
		return;
	for (size_t i = 0; i < n->pool4_count; i++)
		if (!rules_pool4_seen(n, i))
			rules_add_dst(plan, 4, cfg->iface4,
				      prefix4_str(&n->pool4[i].prefix, buf), dc);
	for (size_t i = 0; i < n->bib_count; i++) {
		if (rules_bib_seen(n, i))
			continue;
		inet_ntop(AF_INET, &n->bib[i].addr4, a4, sizeof(a4));
		snprintf(buf, sizeof(buf), "%s/32", a4);
		rules_add_dst(plan, 4, cfg->iface4, buf, dc);
	}
}

int rules_build(const struct config *cfg, const struct daemon_conf *dc,
		struct rules_plan *plan, char *err, size_t errlen)
{
	char buf[PREFIX6_STRLEN];
	size_t i, dsts;

	memset(plan, 0, sizeof(*plan));
	dsts = (cfg->pool6_set ? 1 : 0) + 2 * cfg->eamt_count +
	       dc->translate4_count;
	if (cfg->mode == CONFIG_MODE_NAT64)
		dsts += cfg->nat64.pool4_count + cfg->nat64.bib_count;
	plan->rule = calloc(dsts ? 2 * dsts : 1, sizeof(*plan->rule));
	if (!plan->rule) {
		snprintf(err, errlen, "rules: out of memory");
		return -1;
	}
	if (cfg->pool6_set)
		rules_add_dst(plan, 6, cfg->iface6,
			      prefix6_str(&cfg->pool6, buf), dc);
	for (i = 0; i < cfg->eamt_count; i++)
		rules_add_dst(plan, 6, cfg->iface6,
			      prefix6_str(&cfg->eamt[i].p6, buf), dc);
	for (i = 0; i < cfg->eamt_count; i++)
		rules_add_dst(plan, 4, cfg->iface4,
			      prefix4_str(&cfg->eamt[i].p4, buf), dc);
	rules_add_nat64(plan, cfg, dc);
	for (i = 0; i < dc->translate4_count; i++)
		rules_add_dst(plan, 4, cfg->iface4,
			      prefix4_str(&dc->translate4[i], buf), dc);
	return 0;
}

void rules_free(struct rules_plan *plan)
{
	free(plan->rule);
	memset(plan, 0, sizeof(*plan));
}

size_t rules_count_family(const struct rules_plan *plan, int family)
{
	size_t i, n = 0;

	for (i = 0; i < plan->count; i++)
		n += plan->rule[i].family == family;
	return n;
}

/* Runs argv quietly (stdout to /dev/null); returns the exit status. */
static int rules_run(char *const argv[], bool quiet_err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int status, ret = -1;
	sigset_t none, dfl;
	pid_t pid;

	/* The daemon blocks its signals and ignores SIGPIPE: iptables won't. */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	if (posix_spawnattr_init(&attr))
		return -1;
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	if (posix_spawn_file_actions_init(&fa)) {
		posix_spawnattr_destroy(&attr);
		return -1;
	}
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					 O_WRONLY, 0);
	if (quiet_err)
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO,
						 "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ))
		goto out;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			goto out;
	ret = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
out:
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return ret;
}

static int rules_probe_one(const char *const *bins, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *argv[] = { (char *)bins[i], "-w", RULES_LOCK_WAIT,
				 "-t", "raw", "-S", "PREROUTING", NULL };

		if (rules_run(argv, true) == 0) {
			snprintf(out, RULES_BIN_LEN, "%s", bins[i]);
			return 0;
		}
	}
	return -1;
}

int rules_probe(struct rules_plan *plan, char *err, size_t errlen)
{
	if (rules_probe_one(rules_bins4, 3, plan->bin4) ||
	    rules_probe_one(rules_bins6, 3, plan->bin6)) {
		snprintf(err, errlen, "no working iptables/ip6tables with a raw "
			 "table (install the Debian package iptables)");
		return -1;
	}
	return 0;
}

/* Runs "BIN -w N -t raw OP PREROUTING <rule>". */
static int rules_exec(const struct rules_plan *plan, const struct rule *r,
		      const char *op, bool quiet_err)
{
	char *argv[RULES_MAX_ARGS + 8];
	int i, n = 0;

	argv[n++] = (char *)(r->family == 4 ? plan->bin4 : plan->bin6);
	argv[n++] = "-w";
	argv[n++] = RULES_LOCK_WAIT;
	argv[n++] = "-t";
	argv[n++] = "raw";
	argv[n++] = (char *)op;
	argv[n++] = "PREROUTING";
	for (i = 0; i < r->argc; i++)
		argv[n++] = (char *)r->argv[i];
	argv[n] = NULL;
	return rules_run(argv, quiet_err);
}

int rules_install(struct rules_plan *plan, char *err, size_t errlen)
{
	if (!plan->bin4[0] && rules_probe(plan, err, errlen))
		return -1;
	for (plan->installed = 0; plan->installed < plan->count;
	     plan->installed++) {
		if (rules_exec(plan, &plan->rule[plan->installed], "-A",
			       false)) {
			snprintf(err, errlen, "%s refused rule %zu (see above)",
				 plan->rule[plan->installed].family == 4 ?
				 plan->bin4 : plan->bin6, plan->installed + 1);
			rules_remove(plan);
			return -1;
		}
	}
	return 0;
}

int rules_remove(struct rules_plan *plan)
{
	int failed = 0;

	while (plan->installed > 0) {
		plan->installed--;
		if (rules_exec(plan, &plan->rule[plan->installed], "-D", false))
			failed++;
	}
	return failed;
}

bool rules_equal(const struct rules_plan *a, const struct rules_plan *b)
{
	return a->count == b->count &&
	       !memcmp(a->rule, b->rule, a->count * sizeof(*a->rule));
}

void rules_print(const struct rules_plan *plan, FILE *f)
{
	size_t i;
	int j;

	for (i = 0; i < plan->count; i++) {
		const struct rule *r = &plan->rule[i];
		const char *bin = r->family == 4 ? plan->bin4 : plan->bin6;

		if (!bin[0])
			bin = r->family == 4 ? "iptables" : "ip6tables";
		fprintf(f, "%s -t raw -A PREROUTING", bin);
		for (j = 0; j < r->argc; j++)
			fprintf(f, " %s", r->argv[j]);
		fputc('\n', f);
	}
}
