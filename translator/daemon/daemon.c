// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "daemon.h"
#include "daemon_config.h"
#include "daemon_gso.h"
#include "daemon_host.h"
#include "daemon_log.h"
#include "daemon_offloads.h"
#include "reasm.h"

/* Batches read from one queue before the other queue gets its turn. */
#define DAEMON_ROUNDS		16
/* poll() timeout: connection deadlines (and the NAT64 timers, when
 * nothing expires sooner) are checked at least this often. */
#define DAEMON_POLL_MS		500

enum daemon_pollfd {
	DAEMON_PFD_QTCP,
	DAEMON_PFD_QOTHER,
	DAEMON_PFD_SIGNAL,
	DAEMON_PFD_OFFLOADS,
	DAEMON_PFD_CONTROL,
	DAEMON_PFD_MAX = DAEMON_PFD_CONTROL + CONTROL_NFDS,
};

static int daemon_signals(struct daemon *d)
{
	sigset_t set;

	/* Blocked before anything is set up: a stop waits for the loop. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return d->sigfd < 0 ? -1 : 0;
}

static int daemon_load(struct daemon *d)
{
	char err[512];

	d->ctx.stats = &d->xstats;
	/* The file, checked, becomes the running set (daemon_config.c). */
	if (daemon_config_load(d, err, sizeof(err))) {
		dlog_err("%s", err);
		return -1;
	}
	return 0;
}

static int daemon_open_queues(struct daemon *d)
{
	const struct daemon_conf *dc = &d->set->dc;
	struct nfq_opts o = {
		.fail_open = dc->fail_open,
		.maxlen = dc->queue_maxlen,
		.rcvbuf = dc->rcvbuf,
	};
	char err[256];

	/* TCP aggregates arrive whole; UDP ones could not be split again. */
	o.num = dc->queue_tcp;
	o.gso = true;
	if (nfq_queue_open(&d->q[DAEMON_Q_TCP], &o, err, sizeof(err)))
		goto fail;
	o.num = dc->queue_other;
	o.gso = false;
	if (nfq_queue_open(&d->q[DAEMON_Q_OTHER], &o, err, sizeof(err)))
		goto fail;
	return 0;
fail:
	dlog_err("%s", err);
	return -1;
}

static void daemon_warn_empty(const struct daemon *d)
{
	bool nat64 = d->set->cfg.mode == CONFIG_MODE_NAT64;

	if (!rules_count_family(&d->rules, 6))
		dlog_warn("no IPv6 destination is translated (no pool6%s): "
			  "nothing will be queued from the IPv6 side",
			  nat64 ? "" : ", no EAMT");
	if (!rules_count_family(&d->rules, 4))
		dlog_warn("no IPv4 destination is translated (%s): nothing "
			  "will be queued from the IPv4 side", nat64 ?
			  "no pool4, no static bib entry" :
			  "no EAMT, no translate4");
}

static int daemon_install_rules(struct daemon *d)
{
	char err[256];

	if (d->set->dc.rules == DCONF_RULES_MANUAL) {
		dlog_info("rules manual: no firewall rule installed");
		return 0;
	}
	daemon_warn_empty(d);
	if (rules_probe(&d->rules, err, sizeof(err)) ||
	    rules_install(&d->rules, err, sizeof(err))) {
		dlog_err("%s", err);
		return -1;
	}
	dlog_info("installed %zu rules in chain %s with %s/%s",
		  d->rules.installed, d->rules.chain, d->rules.bin4,
		  d->rules.bin6);
	return 0;
}

static void daemon_init_fds(struct daemon *d)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->sigfd = -1;
	d->eg.b4.fd = -1;
	d->eg.b6.fd = -1;
	d->ctl.lfd = -1;
	d->tun.fd = -1;
	d->pidfd = -1;
	for (i = 0; i < DAEMON_Q_MAX; i++)
		d->q[i].fd = -1;
}

/*
 * A send was too big for the route: the cached answer was wrong. Ask
 * again now, so that the next packet (whose core only peeks at the
 * cache) finds the kernel's new answer rather than the fallback.
 */
static void daemon_on_msgsize(void *arg, int family, const void *dst)
{
	struct daemon *d = arg;

	if (!d->route)
		return;
	route_forget(d->route, family, dst);
	route_mtu(d->route, family, dst, d->now_ms);
}

/* Route cache (optional: without it, one MTU per side) and TUN egress. */
static int daemon_open_egress(struct daemon *d)
{
	const struct daemon_conf *dc = &d->set->dc;
	char err[256];

	if (egress_open(&d->eg, dc->mark, err, sizeof(err)))
		goto fail;
	d->eg.on_msgsize = daemon_on_msgsize;
	d->eg.cb_arg = d;
	d->route = route_open(dc->mark, err, sizeof(err));
	if (!d->route)
		dlog_warn("%s: one MTU per side will be used", err);
	daemon_mtu_attach(d);
	ratelimit_init(&d->icmp_rl, dc->icmp_rate, dc->icmp_burst, 0);
	if (dc->egress != DCONF_EGRESS_TUN)
		return 0;
	if (tun_open(&d->tun, dc->egress_tun, err, sizeof(err)))
		goto fail;
	dlog_info("egress tun: %s (forwarding enabled on it and for IPv6)",
		  d->tun.name);
	return 0;
fail:
	dlog_err("%s", err);
	return -1;
}

int daemon_start(struct daemon *d, const struct daemon_opts *opts)
{
	char err[256];

	daemon_init_fds(d);
	d->opts = *opts;
	d->started = time(NULL);
	if (daemon_signals(d)) {
		dlog_err("signals: %s", strerror(errno));
		return -1;
	}
	if (daemon_load(d))
		return -1;
	/* Before anything is touched: a running instance is left alone. */
	if (d->opts.pidfile) {
		d->pidfd = daemon_pidfile_claim(d->opts.pidfile, err,
						sizeof(err));
		if (d->pidfd < 0) {
			dlog_err("%s", err);
			return -1;
		}
	}
	if (control_open(&d->ctl, d->opts.control_path, err, sizeof(err))) {
		dlog_err("%s", err);
		return -1;
	}
	if (daemon_nat64_open(d))
		return -1;
	/* Warns about (or, with offloads-fix, turns off) risky offloads,
	 * now and whenever they appear. */
	if (daemon_offloads_start(d->set, clock_ms(), &d->offl))
		return -1;
	d->scratch = malloc(DGSO_MAX_SEG);
	/* The core's reassembler (fragmented ICMP; NAT64's fragments). */
	d->ctx.reasm = reasm_new(NULL);
	if (!d->scratch || !d->ctx.reasm || xlat_out_init(&d->out) ||
	    daemon_segsize_open(d)) {
		dlog_err("out of memory");
		return -1;
	}
	if (daemon_open_egress(d))
		return -1;
	if (daemon_open_queues(d))
		return -1;
	return daemon_install_rules(d);
}

static void daemon_on_signal(struct daemon *d)
{
	struct signalfd_siginfo si;
	char err[512];

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			/* daemon_reload logs the outcome itself. */
			daemon_reload(d, NULL, err, sizeof(err));
			continue;
		}
		dlog_info("signal %u: stopping", si.ssi_signo);
		d->stop = true;
	}
}

/* The route cache keeps its own counters; `stats` shows ours. */
static void daemon_route_stats(struct daemon *d)
{
	const struct route_stats *rs;

	if (!d->route)
		return;
	rs = route_stats(d->route);
	d->dstats.c[DSTAT_ROUTE_QUERIES] = rs->netlink_queries;
	d->dstats.c[DSTAT_ROUTE_ERRORS] = rs->netlink_errors;
	d->dstats.c[DSTAT_ROUTE_NO_ROUTE] = rs->no_route;
	d->dstats.c[DSTAT_PMTU_LEARNED] = rs->learned;
}

/* Drains one queue for a bounded number of batches. */
static int daemon_drain(struct daemon *d, struct nfq_queue *q)
{
	int i, n = 0;

	for (i = 0; i < DAEMON_ROUNDS; i++) {
		n = nfq_queue_poll(q, daemon_pkt_handle, d, &d->dstats);
		egress_flush(&d->eg, &d->dstats);
		if (n <= 0)
			break;
	}
	daemon_route_stats(d);
	daemon_segsize_stats(d);
	return n < 0 ? n : 0;
}

int daemon_run(struct daemon *d)
{
	struct pollfd pfd[DAEMON_PFD_MAX];
	int i, wait_ms = DAEMON_POLL_MS;

	dlog_info("translating (queues %u tcp, %u other; fail-%s)",
		  d->set->dc.queue_tcp, d->set->dc.queue_other,
		  d->set->dc.fail_open ? "open" : "closed");
	while (!d->stop) {
		pfd[DAEMON_PFD_QTCP] = (struct pollfd){ d->q[0].fd, POLLIN, 0 };
		pfd[DAEMON_PFD_QOTHER] = (struct pollfd){ d->q[1].fd, POLLIN, 0 };
		pfd[DAEMON_PFD_SIGNAL] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		pfd[DAEMON_PFD_OFFLOADS] =
			(struct pollfd){ dofl_fd(d->offl), POLLIN, 0 };
		control_pollfds(&d->ctl, &pfd[DAEMON_PFD_CONTROL]);
		if (poll(pfd, DAEMON_PFD_MAX, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			dlog_err("poll: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < DAEMON_Q_MAX; i++) {
			if (!(pfd[DAEMON_PFD_QTCP + i].revents &
			      (POLLIN | POLLERR)))
				continue;
			if (daemon_drain(d, &d->q[i]) < 0) {
				dlog_err("queue %u: %s", d->q[i].opts.num,
					 strerror(errno));
				return -1;
			}
		}
		if (pfd[DAEMON_PFD_SIGNAL].revents & POLLIN)
			daemon_on_signal(d);
		if (pfd[DAEMON_PFD_OFFLOADS].revents & (POLLIN | POLLERR))
			dofl_on_event(d->offl, clock_ms());
		control_service(&d->ctl, &pfd[DAEMON_PFD_CONTROL],
				daemon_ctl_handle, d, &d->dstats);
		wait_ms = daemon_nat64_timers(d, clock_ms(),
					      DAEMON_POLL_MS);
		wait_ms = dofl_timers(d->offl, d->set, &d->dstats,
				      clock_ms(), wait_ms);
	}
	return 0;
}

void daemon_stop(struct daemon *d)
{
	char err[256];
	int i;

	/* Rules first: with no reader left, queued traffic would be lost.
	 * Only the chain this process loaded: a start refused because
	 * another instance runs must not take that one's rules away. */
	if (rules_remove(&d->rules, err, sizeof(err)))
		dlog_err("rules not removed: %s (transctl rules --flush)", err);
	for (i = 0; i < DAEMON_Q_MAX; i++)
		if (d->q[i].nl)
			nfq_queue_close(&d->q[i]);
	egress_close(&d->eg);
	tun_close(&d->tun);
	if (d->route)
		route_close(d->route);
	control_close(&d->ctl);
	daemon_pidfile_release(d->opts.pidfile, d->pidfd);
	if (d->sigfd >= 0)
		close(d->sigfd);
	rules_free(&d->rules);
	xlat_out_free(&d->out);
	free(d->scratch);
	daemon_segsize_close(d);
	reasm_free(d->ctx.reasm);
	d->ctx.reasm = NULL;
	daemon_nat64_close(d);
	dofl_close(d->offl);
	daemon_config_free(d);
	daemon_init_fds(d);
}
