// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon_ctl.h"
#include "daemon_host.h"
#include "daemon_log.h"

/* A request's words: argv[0] is the command ("eamt"), then its arguments. */
typedef int (*daemon_ctl_fn)(struct daemon *d, int argc, char **argv,
			     FILE *body, char *err, size_t errlen);

/*
 * Run-time changes (eamt/denylist4/pool4/bib add/remove) since the file was last
 * read: a reload returns to the file and forgets them. One daemon per
 * process; this would sit in struct daemon if daemon.h had room for it.
 */
static struct {
	unsigned int count;
	char last[CTL_MAX_REQUEST + 64];
} daemon_changes;

void daemon_note_change(const char *what)
{
	daemon_changes.count++;
	snprintf(daemon_changes.last, sizeof(daemon_changes.last), "%s", what);
	dlog_info("run-time change: %s (kept until the next reload)", what);
}

static const char *const daemon_qname[DAEMON_Q_MAX] = {
	[DAEMON_Q_TCP] = "tcp",
	[DAEMON_Q_OTHER] = "other",
};

static int daemon_ctl_status(struct daemon *d, int argc, char **argv,
			     FILE *f, char *err, size_t errlen)
{
	const struct daemon_conf *dc = &d->set->dc;
	char buf[PREFIX6_STRLEN];
	int i;

	(void)argc;
	(void)argv;
	(void)err;
	(void)errlen;
	fprintf(f, "version %s\n", PACKAGE_VERSION);
	fprintf(f, "pid %ld\n", (long)getpid());
	fprintf(f, "uptime_s %ld\n", (long)(time(NULL) - d->started));
	fprintf(f, "config %s\n", d->opts.config_path);
	fprintf(f, "mode %s\n", d->set->cfg.mode == CONFIG_MODE_SIIT ?
		"siit" : "nat64");
	fprintf(f, "pool6 %s\n", d->set->cfg.pool6_set ?
		prefix6_str(&d->set->cfg.pool6, buf) : "none");
	fprintf(f, "eamt_entries %zu\n", d->set->cfg.eamt_count);
	fprintf(f, "denylist4_entries %zu\n", d->set->cfg.denylist4_count);
	for (i = 0; i < DAEMON_Q_MAX; i++)
		fprintf(f, "queue_%s %u%s\n", daemon_qname[i],
			d->q[i].opts.num, d->q[i].opts.gso ? " gso" : "");
	fprintf(f, "fail_open %s\n", dc->fail_open ? "yes" : "no");
	fprintf(f, "rules %s\n", dc->rules == DCONF_RULES_AUTO ?
		"auto" : "manual");
	fprintf(f, "rules_installed %zu\n", d->rules.installed);
	fprintf(f, "rules_chain %s\n", d->rules.chain);
	fprintf(f, "iptables %s %s\n", d->rules.bin4[0] ? d->rules.bin4 : "-",
		d->rules.bin6[0] ? d->rules.bin6 : "-");
	fprintf(f, "mark 0x%" PRIx32 "\n", dc->mark);
	fprintf(f, "mtu_v4 %" PRIu32 "\n", daemon_mtu(d, XLAT_SIDE_V4));
	fprintf(f, "mtu_v6 %" PRIu32 "\n", daemon_mtu(d, XLAT_SIDE_V6));
	fprintf(f, "last_reload %s\n", d->reload_time ? d->reload_msg : "never");
	fprintf(f, "runtime_changes %u\n", daemon_changes.count);
	if (daemon_changes.count)
		fprintf(f, "last_change %s\n", daemon_changes.last);
	daemon_nat64_status(d, f);
	return 0;
}

static void daemon_ctl_kernel_stats(struct daemon *d, FILE *f)
{
	struct dstat_kqueue k;
	char name[64];
	int i;

	for (i = 0; i < DAEMON_Q_MAX; i++) {
		if (dstat_kqueue_read(d->q[i].opts.num, &k))
			memset(&k, 0, sizeof(k));
		snprintf(name, sizeof(name), "%s_queue_dropped", daemon_qname[i]);
		ctl_stat_write(f, "kernel", name, k.queue_dropped,
			       "dropped by the kernel: queue full (queue-maxlen)");
		snprintf(name, sizeof(name), "%s_queue_user_dropped",
			 daemon_qname[i]);
		ctl_stat_write(f, "kernel", name, k.user_dropped,
			       "dropped by the kernel: netlink receive buffer "
			       "full (rcvbuf)");
		snprintf(name, sizeof(name), "%s_queue_waiting", daemon_qname[i]);
		ctl_stat_write(f, "kernel", name, k.queue_total,
			       "packets waiting in the queue right now");
	}
}

static int daemon_ctl_stats(struct daemon *d, int argc, char **argv,
			    FILE *f, char *err, size_t errlen)
{
	int i;

	(void)argc;
	(void)argv;
	(void)err;
	(void)errlen;
	for (i = 0; i < XLAT_CNT_MAX; i++)
		ctl_stat_write(f, "core", xlat_counter_info[i].name,
			       d->xstats.c[i], xlat_counter_info[i].desc);
	for (i = 0; i < DSTAT_MAX; i++)
		ctl_stat_write(f, "daemon", dstat_info[i].name,
			       d->dstats.c[i], dstat_info[i].desc);
	daemon_ctl_kernel_stats(d, f);
	return 0;
}

static int daemon_ctl_config(struct daemon *d, int argc, char **argv,
			     FILE *f, char *err, size_t errlen)
{
	(void)argc;
	(void)argv;
	(void)err;
	(void)errlen;
	fprintf(f, "# running configuration of translatord (%s)\n",
		d->opts.config_path);
	if (daemon_changes.count)
		fprintf(f, "# with %u run-time change(s) (eamt, denylist4, "
			"pool4, bib), not in the file: a reload returns to "
			"the file\n",
			daemon_changes.count);
	config_write(&d->set->cfg, f);
	daemon_conf_write(&d->set->dc, f);
	return 0;
}

static int daemon_ctl_rules(struct daemon *d, int argc, char **argv,
			    FILE *f, char *err, size_t errlen)
{
	(void)argc;
	(void)argv;
	(void)err;
	(void)errlen;
	if (d->set->dc.rules == DCONF_RULES_MANUAL)
		fprintf(f, "# rules manual: translatord installed nothing; "
			"these are the rules it expects\n");
	rules_print(&d->rules, f);
	return 0;
}

static int daemon_ctl_reload(struct daemon *d, int argc, char **argv,
			     FILE *f, char *err, size_t errlen)
{
	(void)argc;
	(void)argv;
	return daemon_reload(d, f, err, errlen);
}

static const struct {
	daemon_ctl_fn fn;
	bool words;		/* takes arguments (checks them itself) */
} daemon_ctl_table[CTL_CMD_UNKNOWN] = {
	[CTL_CMD_STATUS] = { daemon_ctl_status, false },
	[CTL_CMD_STATS] = { daemon_ctl_stats, false },
	[CTL_CMD_CONFIG] = { daemon_ctl_config, false },
	[CTL_CMD_RULES] = { daemon_ctl_rules, false },
	[CTL_CMD_RELOAD] = { daemon_ctl_reload, false },
	[CTL_CMD_EAMT] = { daemon_ctl_tables, true },
	[CTL_CMD_DENYLIST4] = { daemon_ctl_tables, true },
	[CTL_CMD_ADDRESS] = { daemon_ctl_address, true },
	[CTL_CMD_BIB] = { daemon_ctl_nat64, true },
	[CTL_CMD_SESSION] = { daemon_ctl_nat64, true },
	[CTL_CMD_POOL4] = { daemon_ctl_nat64, true },
};

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
	if (argc > 1 && !daemon_ctl_table[cmd].words) {
		snprintf(err, errlen, "%s: unexpected argument '%.64s'",
			 argv[0], argv[1]);
		return -1;
	}
	return daemon_ctl_table[cmd].fn(arg, argc, argv, body, err, errlen);
}

/*
 * The chain's content is replaced in one transaction per family, so that
 * no packet of a destination kept by both sets slips through untranslated
 * meanwhile. When the second family refuses, the first gets the running
 * set back.
 */
static int daemon_swap_rules(struct daemon *d, struct daemon_cfgset *set,
			     char *err, size_t errlen)
{
	struct rules_plan plan;
	char err2[256];

	if (rules_build(&set->cfg, &set->dc, &plan, err, errlen))
		return -1;
	memcpy(plan.bin4, d->rules.bin4, sizeof(plan.bin4));
	memcpy(plan.bin6, d->rules.bin6, sizeof(plan.bin6));
	plan.installed = d->rules.installed;
	plan.owned = d->rules.owned;
	if (set->dc.rules == DCONF_RULES_AUTO &&
	    !rules_equal(&plan, &d->rules) &&
	    rules_install(&plan, err, errlen)) {
		if (rules_install(&d->rules, err2, sizeof(err2)))
			dlog_err("rules: the running set could not be put back "
				 "either: %s", err2);
		rules_free(&plan);
		return -1;
	}
	rules_free(&d->rules);
	d->rules = plan;
	return 0;
}

/* Reads the file into set; refuses changes of the start-only settings. */
static int daemon_reload_set(struct daemon *d, struct daemon_cfgset *set,
			     char *err, size_t errlen)
{
	const char *fixed;

	if (daemon_cfgset_load(d->opts.config_path, set, err, errlen) ||
	    daemon_host_check(set, d->opts.config_path, err, errlen))
		return -1;
	fixed = daemon_conf_start_change(&d->set->dc, &set->dc);
	if (fixed) {
		snprintf(err, errlen, "%s cannot change on reload: restart "
			 "translatord", fixed);
		return -1;
	}
	return 0;
}

int daemon_commit_set(struct daemon *d, struct daemon_cfgset *set,
		      char *err, size_t errlen)
{
	struct daemon_cfgset *old = d->set;

	if (daemon_swap_rules(d, set, err, errlen))
		return -1;
	/* The state follows the new pool4 and static bindings first. */
	daemon_nat64_sync(d, &set->cfg);
	/* Between two batches: no packet sees half of each. */
	d->set = set;
	d->ctx.cfg = &set->cfg;
	daemon_learn_mtus(d);
	daemon_cfgset_free(old);
	free(old);
	return 0;
}

int daemon_commit_tables(struct daemon *d, char *err, size_t errlen)
{
	return daemon_swap_rules(d, d->set, err, errlen);
}

int daemon_reload(struct daemon *d, FILE *report, char *err, size_t errlen)
{
	struct daemon_cfgset *set = calloc(1, sizeof(*set));
	unsigned int dropped = daemon_changes.count;

	d->reload_time = time(NULL);
	if (!set) {
		snprintf(err, errlen, "out of memory");
	} else if (!daemon_reload_set(d, set, err, errlen) &&
		   !daemon_commit_set(d, set, err, errlen)) {
		daemon_changes.count = 0;
		dstat_inc(&d->dstats, DSTAT_RELOAD_OK);
		snprintf(d->reload_msg, sizeof(d->reload_msg), "ok %s",
			 d->opts.config_path);
		dlog_info("reloaded %s (%zu rules, %u run-time changes "
			  "dropped)", d->opts.config_path, d->rules.count,
			  dropped);
		if (report)
			fprintf(report, "reloaded %s: %zu rules%s\n",
				d->opts.config_path, d->rules.count,
				dropped ? "; run-time changes replaced by the "
				"file" : "");
		return 0;
	}
	if (set)
		daemon_cfgset_free(set);
	free(set);
	dstat_inc(&d->dstats, DSTAT_RELOAD_FAIL);
	snprintf(d->reload_msg, sizeof(d->reload_msg), "error %s", err);
	dlog_err("reload refused, running configuration kept: %s", err);
	return -1;
}
