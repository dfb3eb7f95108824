// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What translatord says about itself: the "status", "stats", "config"
 * and "rules" requests (common/ctl_proto.h describes their bodies).
 */
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "daemon_ctl.h"

static const char *const daemon_qname[DAEMON_Q_MAX] = {
	[DAEMON_Q_TCP] = "tcp",
	[DAEMON_Q_OTHER] = "other",
};

int daemon_show_status(struct daemon *d, int nargs, char **args, FILE *f,
		       char *err, size_t errlen)
{
	const struct daemon_conf *dc = &d->set->dc;
	char buf[PREFIX6_STRLEN];
	int i;

	(void)nargs;
	(void)args;
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
	fprintf(f, "last_reload %s\n", d->hist.reload_time ?
		d->hist.reload_msg : "never");
	fprintf(f, "runtime_changes %u\n", d->hist.changes);
	if (d->hist.changes)
		fprintf(f, "last_change %s\n", d->hist.last_change);
	daemon_nat64_status(d, f);
	return 0;
}

static void daemon_show_kernel_stats(struct daemon *d, FILE *f)
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

int daemon_show_stats(struct daemon *d, int nargs, char **args, FILE *f,
		      char *err, size_t errlen)
{
	int i;

	(void)nargs;
	(void)args;
	(void)err;
	(void)errlen;
	for (i = 0; i < XLAT_CNT_MAX; i++)
		ctl_stat_write(f, "core", xlat_counter_info[i].name,
			       d->xstats.c[i], xlat_counter_info[i].desc);
	for (i = 0; i < DSTAT_MAX; i++)
		ctl_stat_write(f, "daemon", dstat_info[i].name,
			       d->dstats.c[i], dstat_info[i].desc);
	daemon_show_kernel_stats(d, f);
	return 0;
}

int daemon_show_config(struct daemon *d, int nargs, char **args, FILE *f,
		       char *err, size_t errlen)
{
	(void)nargs;
	(void)args;
	(void)err;
	(void)errlen;
	fprintf(f, "# running configuration of translatord (%s)\n",
		d->opts.config_path);
	if (d->hist.changes)
		fprintf(f, "# with %u run-time change(s) (eamt, denylist4, "
			"pool4, bib), not in the file: a reload returns to "
			"the file\n",
			d->hist.changes);
	config_write(&d->set->cfg, f);
	daemon_conf_write(&d->set->dc, f);
	return 0;
}

int daemon_show_rules(struct daemon *d, int nargs, char **args, FILE *f,
		      char *err, size_t errlen)
{
	(void)nargs;
	(void)args;
	(void)err;
	(void)errlen;
	if (d->set->dc.rules == DCONF_RULES_MANUAL)
		fprintf(f, "# rules manual: translatord installed nothing; "
			"these are the rules it expects\n");
	rules_print(&d->rules, f);
	return 0;
}
