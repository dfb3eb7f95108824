// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * translatord's offloads check at start. The rules are those of
 * `transctl offloads` (common/offloads.c): LRO, GRO list and UDP GRO
 * forwarding merge packets whose boundaries no translator can recover,
 * BIG TCP sizes make packets NFQUEUE cannot carry whole, and an IPv6 MTU
 * under 1280 breaks RFC 8200. GRO and TSO are handled by resegmenting, so
 * they are not reported. The check is advice: the daemon runs either way.
 */
#include <stdbool.h>
#include <stdio.h>

#include "daemon_log.h"
#include "daemon_offloads.h"
#include "offloads_sys.h"

/* The configuration names at most two interfaces: v4 and v6. */
#define DOFL_IFACES	2

struct dofl {
	struct offl_iface ifs[DOFL_IFACES];
	size_t n;
	struct offl_row rows[DOFL_IFACES * OFFL_ROWS_PER_IFACE];
	size_t nrows;
	struct offl_action acts[DOFL_IFACES * OFFL_ACTS_PER_IFACE];
	size_t nacts;
	struct offl_sys sys;
	char err[512];
};

/* Changed is news; a feature the kernel kept is a warning. */
static void dofl_log_actions(const struct dofl *w)
{
	char line[160];
	size_t i;

	for (i = 0; i < w->nacts; i++) {
		offl_action_str(&w->acts[i], w->ifs, line, sizeof(line));
		dlog(w->acts[i].result == OFFL_RES_CHANGED ? LOG_INFO :
		     LOG_WARNING, "offloads-fix: %s", line);
	}
	if (!w->nacts)
		dlog_info("offloads-fix: nothing to change");
}

/* One warning per risky (or worth-knowing) row, with the reason. */
static void dofl_log_rows(const struct dofl *w)
{
	const struct offl_row *r;

	for (r = w->rows; r < w->rows + w->nrows; r++) {
		if (r->risk != OFFL_RISK_RISKY && r->risk != OFFL_RISK_WARN)
			continue;
		dlog_warn("offloads: %s %s %s: %s%s", r->iface, r->feature,
			  r->state, r->why,
			  r->fixed == OFFL_FIXED_YES ?
			  " (fixed in hardware: cannot be turned off)" : "");
	}
}

static void dofl_summary(const struct dofl *w, bool fixing)
{
	struct offl_counts k = offl_count(w->rows, w->nrows);
	char names[2 * IF_NAMESIZE + 8];

	snprintf(names, sizeof(names), "%s%s%s", w->ifs[0].name,
		 w->n > 1 ? ", " : "", w->n > 1 ? w->ifs[1].name : "");
	if (!k.risky) {
		dlog_info("offloads: %s: nothing risky", names);
		return;
	}
	dlog_warn("offloads: %s: %zu risky setting%s (%zu fixed in hardware)%s",
		  names, k.risky, k.risky == 1 ? "" : "s", k.risky_fixed,
		  fixing || k.risky == k.risky_fixed ? "" :
		  "; 'offloads-fix yes' or 'transctl offloads --fix' turns "
		  "them off");
}

static int dofl_run(struct dofl *w, bool fix)
{
	if (offl_sys_open(&w->sys, false, w->err, sizeof(w->err)) ||
	    offl_sys_read(&w->sys, w->ifs, w->n, w->err, sizeof(w->err)))
		return -1;
	if (fix) {
		w->nacts = offl_plan(w->ifs, w->n, w->acts);
		if (offl_sys_apply(&w->sys, w->ifs, w->n, w->acts, w->nacts,
				   w->err, sizeof(w->err)))
			return -1;
		dofl_log_actions(w);
	}
	w->nrows = offl_rows(w->ifs, w->n, w->rows);
	dofl_log_rows(w);
	dofl_summary(w, fix);
	return 0;
}

int daemon_offloads_start(const struct daemon_cfgset *set)
{
	bool fix = set->dc.offloads_fix;
	struct dofl w = { .sys.eth.fd = -1 };
	int ret = 0;

	w.n = offl_targets(NULL, 0, set->cfg.iface4, set->cfg.iface6, w.ifs);
	if (!w.n) {
		dlog(fix ? LOG_WARNING : LOG_INFO, "offloads: not checked%s: "
		     "no 'interface v4' or 'interface v6' in the configuration",
		     fix ? " (offloads-fix yes has nothing to fix)" : "");
		return 0;
	}
	if (dofl_run(&w, fix)) {
		if (fix) {
			dlog_err("offloads-fix: %s", w.err);
			ret = -1;
		} else {
			dlog_warn("offloads: not checked: %s", w.err);
		}
	}
	offl_sys_close(&w.sys);
	return ret;
}
