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
#include "daemon_natlog.h"
#include "daemon_notify.h"
#include "daemon_offloads.h"
#include "reasm.h"

/* poll() timeout: connection deadlines (and the NAT64 timers, when
 * nothing expires sooner) are checked at least this often. */
#define DAEMON_POLL_MS		500

enum daemon_pollfd {
	DAEMON_PFD_SIGNAL,
	DAEMON_PFD_OFFLOADS,
	DAEMON_PFD_NATLOG,
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

	/* The file, checked, becomes the running set (daemon_config.c). */
	if (daemon_config_load(d, err, sizeof(err))) {
		dlog_err("%s", err);
		return -1;
	}
	return 0;
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
	memset(d, 0, sizeof(*d));
	d->sigfd = -1;
	d->ctl.lfd = -1;
	d->pidfd = -1;
	d->wakefd = -1;
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
	/* The main thread's own emit path: the NAT64 timers' errors. */
	if (dworker_main_open(d) || daemon_nat64_open(d))
		return -1;
	/* Warns about (or, with offloads-fix, turns off) risky offloads,
	 * now and whenever they appear. */
	if (daemon_offloads_start(d->set, clock_ms(), &d->offl))
		return -1;
	/* Readers first, so that the first queued packet finds one. */
	if (dworkers_open(d) || dworkers_start(d))
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
		dnotify("STOPPING=1\nSTATUS=stopping (signal %u)",
			si.ssi_signo);
		d->stop = true;
	}
}

int daemon_run(struct daemon *d)
{
	struct pollfd pfd[DAEMON_PFD_MAX];
	int wait_ms = DAEMON_POLL_MS;

	dlog_info("translating: %u worker%s (queues %u-%u tcp, %u-%u other; "
		  "fail-%s)", d->nworkers, d->nworkers == 1 ? "" : "s",
		  d->set->dc.queue_tcp, d->set->dc.queue_tcp + d->nworkers - 1,
		  d->set->dc.queue_other,
		  d->set->dc.queue_other + d->nworkers - 1,
		  d->set->dc.fail_open ? "open" : "closed");
	/* Rules in place, workers reading: a Type=notify unit is up. */
	if (dnotify("READY=1\nSTATUS=translating, %u worker%s",
		    d->nworkers, d->nworkers == 1 ? "" : "s") < 0)
		dlog_warn("sd_notify READY=1 to $NOTIFY_SOCKET: %s",
			  strerror(errno));
	while (!d->stop) {
		pfd[DAEMON_PFD_SIGNAL] = (struct pollfd){ d->sigfd, POLLIN, 0 };
		pfd[DAEMON_PFD_OFFLOADS] =
			(struct pollfd){ dofl_fd(d->offl), POLLIN, 0 };
		pfd[DAEMON_PFD_NATLOG] =
			(struct pollfd){ dnatlog_fd(d->natlog), POLLIN, 0 };
		control_pollfds(&d->ctl, &pfd[DAEMON_PFD_CONTROL]);
		if (poll(pfd, DAEMON_PFD_MAX, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			dlog_err("poll: %s", strerror(errno));
			return -1;
		}
		/* A worker that stopped on a socket error (logged): its
		 * queues have no reader left. */
		if (atomic_load(&d->wfailed))
			return -1;
		if (pfd[DAEMON_PFD_SIGNAL].revents & POLLIN)
			daemon_on_signal(d);
		if (pfd[DAEMON_PFD_OFFLOADS].revents & (POLLIN | POLLERR))
			dofl_on_event(d->offl, clock_ms());
		control_service(&d->ctl, &pfd[DAEMON_PFD_CONTROL],
				daemon_ctl_handle, d, &d->main.dstats);
		/* The NAT64 log lines the workers and the timers queued (the
		 * timers' own wake the next poll at once). */
		if (pfd[DAEMON_PFD_NATLOG].revents & POLLIN)
			dnatlog_drain(d->natlog);
		wait_ms = daemon_nat64_timers(d, clock_ms(),
					      DAEMON_POLL_MS);
		wait_ms = dofl_timers(d->offl, d->set, &d->main.dstats,
				      clock_ms(), wait_ms);
	}
	return 0;
}

void daemon_stop(struct daemon *d)
{
	char err[256];

	/* Rules first: with no reader left, queued traffic would be lost.
	 * Only the chain this process loaded: a start refused because
	 * another instance runs must not take that one's rules away. */
	if (rules_remove(&d->rules, err, sizeof(err)))
		dlog_err("rules not removed: %s (transctl rules --flush)", err);
	/* Then the workers, woken by their eventfd, before what they use. */
	dworkers_stop(d);
	dworkers_close(d);
	control_close(&d->ctl);
	daemon_pidfile_release(d->opts.pidfile, d->pidfd);
	if (d->sigfd >= 0)
		close(d->sigfd);
	rules_free(&d->rules);
	dworker_main_close(d);
	daemon_nat64_close(d);
	dofl_close(d->offl);
	daemon_config_free(d);
	daemon_init_fds(d);
}
