// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * When translatord re-checks the offloads: on an rtnetlink link event
 * about a watched device (ethtool -K raises RTM_NEWLINK with
 * IFLA_EVENT_FEATURES; a device joining a bridge raises one with its new
 * IFLA_MASTER), and every offloads-check-interval seconds, since a GRO or
 * GSO size change raises no event at all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "daemon_log.h"
#include "daemon_offloads_priv.h"

/* Events come in bursts (one per feature changed): wait for the rest. */
#define DOFL_EVENT_DELAY_MS	200
/* Reads per wake-up; the rest waits for the next poll round. */
#define DOFL_MAX_READS		16
#define DOFL_NEVER		INT64_MAX
/* An RTM_NEWLINK event with its statistics is a few KB. */
#define DOFL_BUF		16384

static struct mnl_socket *dofl_monitor(void)
{
	struct mnl_socket *nl;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!nl)
		goto fail;
	if (mnl_socket_bind(nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		goto fail;
	}
	return nl;
fail:
	dlog_warn("offloads: no link events (%s): re-checked only every "
		  "offloads-check-interval", strerror(errno));
	return NULL;
}

static int64_t dofl_next(uint32_t interval, int64_t now_ms)
{
	return interval ? now_ms + (int64_t)interval * 1000 : DOFL_NEVER;
}

struct dofl *dofl_open(uint32_t interval, int64_t now_ms)
{
	struct dofl *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->sys.eth.fd = -1;
	w->mon = dofl_monitor();
	w->interval = interval;
	w->due_ms = dofl_next(interval, now_ms);
	return w;
}

void dofl_close(struct dofl *w)
{
	if (!w)
		return;
	if (w->sys_open)
		offl_sys_close(&w->sys);
	if (w->mon)
		mnl_socket_close(w->mon);
	free(w);
}

int dofl_fd(const struct dofl *w)
{
	return w && w->mon ? mnl_socket_get_fd(w->mon) : -1;
}

static bool dofl_watched(const struct dofl *w, unsigned int ifindex)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (ifindex && w->ifs[i].ifindex == ifindex)
			return true;
	return false;
}

struct dofl_event {
	const struct dofl *w;
	bool matters;
};

/*
 * An event matters when it is about a watched device, names one as its
 * master (a new port), or may end a failed check (a device appeared).
 */
static int dofl_on_msg(const struct nlmsghdr *nlh, void *data)
{
	struct dofl_event *ev = data;
	const struct ifinfomsg *ifm;
	struct link_nl_entry e;

	if (nlh->nlmsg_type == RTM_DELLINK &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ifm)) {
		ifm = mnl_nlmsg_get_payload(nlh);
		ev->matters |= dofl_watched(ev->w,
					    (unsigned int)ifm->ifi_index);
	} else if (!link_nl_parse_entry(nlh, &e)) {
		ev->matters |= ev->w->last_err[0] ||
			       dofl_watched(ev->w, e.ifindex) ||
			       dofl_watched(ev->w, e.master);
	}
	return MNL_CB_OK;
}

void dofl_on_event(struct dofl *w, int64_t now_ms)
{
	static char buf[DOFL_BUF];
	struct dofl_event ev = { w, false };
	ssize_t n;
	int i;

	if (!w || !w->mon)
		return;
	for (i = 0; i < DOFL_MAX_READS; i++) {
		n = mnl_socket_recvfrom(w->mon, buf, sizeof(buf));
		if (n < 0) {
			/* ENOBUFS: events were lost; any could matter. */
			ev.matters |= errno == ENOBUFS;
			if (errno != ENOBUFS)
				break;
			continue;
		}
		mnl_cb_run(buf, (size_t)n, 0, 0, dofl_on_msg, &ev);
	}
	if (ev.matters && w->interval &&
	    w->due_ms > now_ms + DOFL_EVENT_DELAY_MS)
		w->due_ms = now_ms + DOFL_EVENT_DELAY_MS;
}

/* A failed re-check is logged when its reason changes, not every time. */
static void dofl_failed(struct dofl *w, struct dstats *st)
{
	st->c[DSTAT_OFFL_ERRORS]++;
	if (!strcmp(w->err, w->last_err))
		return;
	dlog_warn("offloads: re-check failed: %s", w->err);
	snprintf(w->last_err, sizeof(w->last_err), "%s", w->err);
}

static void dofl_recheck(struct dofl *w, const struct daemon_cfgset *set,
			 struct dstats *st)
{
	st->c[DSTAT_OFFL_CHECKS]++;
	if (dofl_check(w, set, false, st)) {
		dofl_failed(w, st);
		return;
	}
	if (w->last_err[0])
		dlog_info("offloads: re-check works again");
	w->last_err[0] = '\0';
}

/* Reloaded with other interfaces, or with offloads-fix turned on? */
static bool dofl_reconfigured(const struct dofl *w,
			      const struct daemon_cfgset *set)
{
	return strcmp(w->iface4, set->cfg.iface4) ||
	       strcmp(w->iface6, set->cfg.iface6) ||
	       (set->dc.offloads_fix && !w->fix);
}

int dofl_timers(struct dofl *w, const struct daemon_cfgset *set,
		struct dstats *st, int64_t now_ms, int max_wait_ms)
{
	uint32_t interval = set->dc.offloads_interval;
	bool now = false;
	int64_t wait;

	if (!w)
		return max_wait_ms;
	/* Everything is news again, so that it is said and fixed. */
	if (dofl_reconfigured(w, set)) {
		memset(&w->seen, 0, sizeof(w->seen));
		dofl_remember(w, set);
		now = true;
	}
	/* Reloaded with another interval: count from now. */
	if (interval != w->interval) {
		w->interval = interval;
		w->due_ms = dofl_next(interval, now_ms);
	}
	if (now || now_ms >= w->due_ms) {
		dofl_recheck(w, set, st);
		w->due_ms = dofl_next(interval, now_ms);
	}
	if (w->due_ms == DOFL_NEVER)
		return max_wait_ms;
	wait = w->due_ms - now_ms;
	return wait < max_wait_ms ? (int)wait : max_wait_ms;
}
