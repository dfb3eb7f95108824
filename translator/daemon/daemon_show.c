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

/* "workers N", then per worker its queues, CPU and packets so far. */
static void daemon_show_workers(struct daemon *d, FILE *f)
{
	struct xlat_stats xs;
	struct dstats ds;

	fprintf(f, "workers %u\n", d->nworkers);
	for (unsigned int i = 0; i < d->nworkers; i++) {
		struct dworker *w = &d->w[i];
		char cpu[16] = "-";

		dworker_read(w, &xs, &ds);
		if (w->cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", w->cpu);
		fprintf(f, "worker_%u queues %u %u cpu %s packets %" PRIu64
			"\n", i, w->q[DAEMON_Q_TCP].opts.num,
			w->q[DAEMON_Q_OTHER].opts.num, cpu,
			ds.c[DSTAT_NFQ_RX]);
	}
}

int daemon_show_status(struct daemon *d, int nargs, char **args, FILE *f,
		       char *err, size_t errlen)
{
	const struct daemon_conf *dc = &d->set->dc;
	char buf[PREFIX6_STRLEN];

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
	/* The first worker's queues; worker w has these + w. */
	fprintf(f, "queue_tcp %u gso\n", dc->queue_tcp);
	fprintf(f, "queue_other %u\n", dc->queue_other);
	fprintf(f, "fail_open %s\n", dc->fail_open ? "yes" : "no");
	fprintf(f, "rules %s\n", dc->rules == DCONF_RULES_AUTO ?
		"auto" : "manual");
	fprintf(f, "rules_installed %zu\n", d->rules.installed);
	fprintf(f, "rules_chain %s\n", d->rules.chain);
	fprintf(f, "iptables %s %s\n", d->rules.bin4[0] ? d->rules.bin4 : "-",
		d->rules.bin6[0] ? d->rules.bin6 : "-");
	fprintf(f, "mark 0x%" PRIx32 "\n", dc->mark);
	fprintf(f, "mtu_v4 %" PRIu32 "\n", daemon_mtu(&d->main, XLAT_SIDE_V4));
	fprintf(f, "mtu_v6 %" PRIu32 "\n", daemon_mtu(&d->main, XLAT_SIDE_V6));
	fprintf(f, "last_reload %s\n", d->hist.reload_time ?
		d->hist.reload_msg : "never");
	fprintf(f, "runtime_changes %u\n", d->hist.changes);
	if (d->hist.changes)
		fprintf(f, "last_change %s\n", d->hist.last_change);
	daemon_show_workers(d, f);
	daemon_nat64_status(d, f);
	return 0;
}

/* The kernel's counters of one class of queues, summed over workers. */
static void daemon_kqueue_sum(struct daemon *d, int i, struct dstat_kqueue *k)
{
	struct dstat_kqueue one;

	memset(k, 0, sizeof(*k));
	for (unsigned int w = 0; w < d->nworkers; w++) {
		if (dstat_kqueue_read(d->w[w].q[i].opts.num, &one))
			continue;
		k->queue_total += one.queue_total;
		k->queue_dropped += one.queue_dropped;
		k->user_dropped += one.user_dropped;
	}
}

static void daemon_show_kernel_stats(struct daemon *d, FILE *f)
{
	struct dstat_kqueue k;
	char name[64];
	int i;

	for (i = 0; i < DAEMON_Q_MAX; i++) {
		daemon_kqueue_sum(d, i, &k);
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
	struct xlat_stats xs;
	struct dstats ds;
	int i;

	(void)nargs;
	(void)args;
	(void)err;
	(void)errlen;
	/* Every worker's and the main thread's, summed. */
	dworkers_sum(d, &xs, &ds);
	for (i = 0; i < XLAT_CNT_MAX; i++)
		ctl_stat_write(f, "core", xlat_counter_info[i].name,
			       xs.c[i], xlat_counter_info[i].desc);
	for (i = 0; i < DSTAT_MAX; i++)
		ctl_stat_write(f, "daemon", dstat_info[i].name,
			       ds.c[i], dstat_info[i].desc);
	daemon_show_kernel_stats(d, f);
	return 0;
}

/*
 * "worker-stats": each worker's counters, group "workerW" ("core" and
 * "daemon" counters alike, names as in "stats"); the main thread's own
 * (control, reloads, NAT64 timers) as group "main".
 */
int daemon_show_worker_stats(struct daemon *d, int nargs, char **args,
			     FILE *f, char *err, size_t errlen)
{
	struct xlat_stats xs;
	struct dstats ds;
	char group[32];

	(void)nargs;
	(void)args;
	(void)err;
	(void)errlen;
	for (unsigned int w = 0; w <= d->nworkers; w++) {
		if (w < d->nworkers) {
			dworker_read(&d->w[w], &xs, &ds);
			snprintf(group, sizeof(group), "worker%u", w);
		} else {
			xs = d->main.xstats;
			ds = d->main.dstats;
			snprintf(group, sizeof(group), "main");
		}
		for (int i = 0; i < XLAT_CNT_MAX; i++)
			ctl_stat_write(f, group, xlat_counter_info[i].name,
				       xs.c[i], xlat_counter_info[i].desc);
		for (int i = 0; i < DSTAT_MAX; i++)
			ctl_stat_write(f, group, dstat_info[i].name, ds.c[i],
				       dstat_info[i].desc);
	}
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
