// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * translatord's offloads check, at start and at run time. The rules are
 * those of `transctl offloads` (common/offloads.c): LRO, GRO list and UDP
 * GRO forwarding merge packets whose boundaries no translator can
 * recover, BIG TCP sizes make packets NFQUEUE cannot carry whole, and an
 * IPv6 MTU under 1280 breaks RFC 8200. GRO and TSO are handled by
 * resegmenting, so they are not reported. The check is advice: the
 * daemon runs either way. daemon_offloads_watch.c decides when to run it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "daemon_log.h"
#include "daemon_offloads_priv.h"

/* Changed is news; a feature the kernel kept is a warning. */
static void dofl_log_actions(const struct dofl *w, bool at_start)
{
	char line[192];
	size_t i;

	for (i = 0; i < w->nacts; i++) {
		offl_action_str(&w->acts[i], w->ifs, line, sizeof(line));
		dlog(w->acts[i].result == OFFL_RES_CHANGED ? LOG_INFO :
		     LOG_WARNING, "offloads-fix: %s", line);
	}
	if (!w->nacts && at_start)
		dlog_info("offloads-fix: nothing to change");
}

/* What an IPv4 MTU with no room for the 20 bytes means in practice. */
#define DOFL_MTU_NOTE \
	" (usual with equal MTUs: path MTU discovery adapts to it, " \
	"and 'mss-clamp yes' spares TCP even that)"

/*
 * The rows not said yet: a warning per risky one, with the reason, and
 * information for the MTU note. Returns how many risky ones were new.
 */
static size_t dofl_log_fresh(struct dofl *w)
{
	struct offl_row *r;
	char label[OFFL_LABEL_MAX];
	size_t i, risky = 0;

	offl_seen_update(&w->seen, w->rows, w->nrows, w->fresh);
	for (i = 0; i < w->nrows; i++) {
		if (!w->fresh[i])
			continue;
		r = &w->rows[i];
		offl_label(r->iface, r->below, r->upper, label, sizeof(label));
		if (r->risk == OFFL_RISK_INFO) {
			dlog_info("offloads: %s %s %s: %s%s", label,
				  r->feature, r->state, r->why,
				  r->key == OFFL_KEY_MTU ? DOFL_MTU_NOTE : "");
			continue;
		}
		risky++;
		dlog_warn("offloads: %s %s %s: %s%s", label, r->feature,
			  r->state, r->why, r->fixed == OFFL_FIXED_YES ?
			  " (fixed in hardware: cannot be turned off)" : "");
	}
	return risky;
}

static void dofl_summary(const struct dofl *w, bool fixing)
{
	struct offl_counts k = offl_count(w->rows, w->nrows);
	char names[2 * IF_NAMESIZE + 8];

	snprintf(names, sizeof(names), "%.*s%s%.*s", IF_NAMESIZE,
		 w->ifs[0].name, w->ntop > 1 ? ", " : "", IF_NAMESIZE,
		 w->ntop > 1 ? w->ifs[1].name : "");
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

static size_t dofl_count_changed(const struct dofl *w)
{
	size_t i, k = 0;

	for (i = 0; i < w->nacts; i++)
		k += w->acts[i].result == OFFL_RES_CHANGED;
	return k;
}

/* Turns off what is newly risky (not what the kernel kept before). */
static int dofl_fix(struct dofl *w, const struct offl_seen *prev,
		    bool at_start, struct dstats *st)
{
	w->nacts = offl_plan(w->ifs, w->n, w->acts);
	w->nacts = offl_acts_fresh(w->acts, w->nacts, w->ifs, prev);
	if (offl_sys_apply(&w->sys, w->ifs, w->n, w->acts, w->nacts,
			   w->err, sizeof(w->err)))
		return -1;
	dofl_log_actions(w, at_start);
	if (st)
		st->c[DSTAT_OFFL_FIXED] += dofl_count_changed(w);
	w->nrows = offl_rows(w->ifs, w->n, w->rows);
	/* What was fixed is forgotten: if it comes back, it is news. */
	dofl_log_fresh(w);
	return 0;
}

/* The configured interfaces and the devices below them, read. */
static int dofl_read(struct dofl *w, const struct daemon_cfgset *set)
{
	w->n = offl_targets(NULL, 0, set->cfg.iface4, set->cfg.iface6,
			    w->ifs);
	w->ntop = w->n;
	if (!w->n)
		return 0;
	if (!w->sys_open) {
		if (offl_sys_open(&w->sys, false, w->err, sizeof(w->err)))
			return -1;
		w->sys_open = true;
	}
	return offl_sys_read(&w->sys, w->ifs, &w->n, OFFL_MAX_ALL, w->err,
			     sizeof(w->err));
}

void dofl_remember(struct dofl *w, const struct daemon_cfgset *set)
{
	snprintf(w->iface4, sizeof(w->iface4), "%s", set->cfg.iface4);
	snprintf(w->iface6, sizeof(w->iface6), "%s", set->cfg.iface6);
	w->fix = set->dc.offloads_fix;
}

int dofl_check(struct dofl *w, const struct daemon_cfgset *set,
	       bool at_start, struct dstats *st)
{
	bool fix = set->dc.offloads_fix;
	struct offl_seen prev;
	size_t risky;

	dofl_remember(w, set);
	if (dofl_read(w, set))
		return -1;
	if (!w->n)
		return 0;
	w->nrows = offl_rows(w->ifs, w->n, w->rows);
	prev = w->seen;
	risky = dofl_log_fresh(w);
	if (st)
		st->c[DSTAT_OFFL_RISKY] += risky;
	if (fix && (risky || at_start) && dofl_fix(w, &prev, at_start, st))
		return -1;
	if (at_start)
		dofl_summary(w, fix);
	return 0;
}

int daemon_offloads_start(const struct daemon_cfgset *set, int64_t now_ms,
			  struct dofl **out)
{
	bool fix = set->dc.offloads_fix;
	struct dofl *w = dofl_open(set->dc.offloads_interval, now_ms);

	*out = w;
	if (!w) {
		dlog_warn("offloads: not checked: out of memory");
		return 0;
	}
	if (!set->cfg.iface4[0] && !set->cfg.iface6[0]) {
		dlog(fix ? LOG_WARNING : LOG_INFO, "offloads: not checked%s: "
		     "no 'interface v4' or 'interface v6' in the configuration",
		     fix ? " (offloads-fix yes has nothing to fix)" : "");
		return 0;
	}
	if (!dofl_check(w, set, true, NULL))
		return 0;
	if (fix) {
		dlog_err("offloads-fix: %s", w->err);
		return -1;
	}
	dlog_warn("offloads: not checked: %s", w->err);
	snprintf(w->last_err, sizeof(w->last_err), "%s", w->err);
	return 0;
}
