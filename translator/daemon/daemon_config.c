// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * translatord's configuration life cycle: prepare a snapshot, validate
 * it, commit it (daemon_config.h says what each step does). Start,
 * reload and the run-time requests all end in daemon_config_commit() or,
 * for the in-place table changes, in its rules step.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "daemon_config.h"
#include "daemon_host.h"
#include "daemon_log.h"
#include "daemon_notify.h"

/*
 * The chain's content is replaced in one transaction per family, so that
 * no packet of a destination kept by both sets slips through untranslated
 * meanwhile. When the second family refuses, the first gets the running
 * set back.
 */
static int dconfig_swap_rules(struct daemon *d, struct daemon_cfgset *set,
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

/*
 * The running set, as the main thread and the workers see it: the only
 * writer of d->set and d->pub. The workers pick it up at their next
 * batch; when this returns none of them holds the previous one.
 */
static void dconfig_run(struct daemon *d, struct daemon_cfgset *set)
{
	d->set = set;
	dworker_adopt(&d->main, set);
	dworkers_publish(d, set);
}

/*
 * Makes set the running configuration between two batches: the rules
 * first, then the NAT64 state follows the new pool4 and static bindings,
 * then the swap. Takes set on success; on failure the running one stays
 * and set is still the caller's.
 */
static int dconfig_commit(struct daemon *d, struct daemon_cfgset *set,
			  char *err, size_t errlen)
{
	struct daemon_cfgset *old = d->set;

	if (dconfig_swap_rules(d, set, err, errlen))
		return -1;
	daemon_nat64_sync(d, &set->cfg);
	dconfig_run(d, set);
	daemon_config_drop(old);
	return 0;
}

/*
 * The seed of the rules' flow hash: secret, so that nobody outside can
 * aim many flows at one worker, and the same for the process's life, so
 * that a reload moves no flow to another worker.
 */
static uint32_t dconfig_seed(void)
{
	uint32_t seed = 0;

	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint32_t)clock_ms() ^ (uint32_t)getpid();
	return seed;
}

int daemon_config_load(struct daemon *d, char *err, size_t errlen)
{
	struct daemon_cfgset *set = calloc(1, sizeof(*set));

	if (!set) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (daemon_cfgset_load(d->opts.config_path, set, err, errlen))
		goto fail;
	set->dc.spread_seed = dconfig_seed();
	if (daemon_host_check(set, d->opts.config_path, err, errlen) ||
	    rules_build(&set->cfg, &set->dc, &d->rules, err, errlen))
		goto fail;
	dconfig_run(d, set);
	return 0;
fail:
	daemon_config_drop(set);
	return -1;
}

void daemon_config_free(struct daemon *d)
{
	/* The workers are gone: nobody reads either any more. */
	daemon_config_drop(d->set);
	d->set = NULL;
	atomic_store(&d->pub, NULL);
	d->main.ctx.cfg = NULL;
}

/* Reads the file into set; refuses changes of the start-only settings. */
static int dconfig_reload_set(struct daemon *d, struct daemon_cfgset *set,
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
	set->dc.spread_seed = d->set->dc.spread_seed;
	return 0;
}

int daemon_reload(struct daemon *d, FILE *report, char *err, size_t errlen)
{
	struct daemon_cfgset *set = calloc(1, sizeof(*set));
	struct daemon_cfg_hist *h = &d->hist;
	unsigned int dropped = h->changes;

	/* systemd shows "reloading" until the READY=1 of either outcome. */
	dnotify_reloading();
	h->reload_time = time(NULL);
	if (!set) {
		snprintf(err, errlen, "out of memory");
	} else if (!dconfig_reload_set(d, set, err, errlen) &&
		   !dconfig_commit(d, set, err, errlen)) {
		/* Destination rules, whatever the workers' spread chains. */
		size_t nrules = rules_count_family(&d->rules, 4) +
				rules_count_family(&d->rules, 6);

		h->changes = 0;
		dstat_inc(&d->main.dstats, DSTAT_RELOAD_OK);
		snprintf(h->reload_msg, sizeof(h->reload_msg), "ok %s",
			 d->opts.config_path);
		dlog_info("reloaded %s (%zu rules, %u run-time changes "
			  "dropped)", d->opts.config_path, nrules,
			  dropped);
		if (report)
			fprintf(report, "reloaded %s: %zu rules%s\n",
				d->opts.config_path, nrules,
				dropped ? "; run-time changes replaced by the "
				"file" : "");
		dnotify("READY=1\nSTATUS=translating, %u worker%s "
			"(reloaded)", d->nworkers, d->nworkers == 1 ? "" : "s");
		return 0;
	}
	daemon_config_drop(set);
	dstat_inc(&d->main.dstats, DSTAT_RELOAD_FAIL);
	snprintf(h->reload_msg, sizeof(h->reload_msg), "error %s", err);
	dlog_err("reload refused, running configuration kept: %s", err);
	dnotify("READY=1\nSTATUS=translating, %u worker%s (reload refused: "
		"%s)", d->nworkers, d->nworkers == 1 ? "" : "s", err);
	return -1;
}

/*
 * A copy of the running set to change. The core configuration goes
 * through its writer and parser, which keep every invariant (and know of
 * every field, pointers included); the daemon's directives are plain
 * data.
 */
struct daemon_cfgset *daemon_config_copy(const struct daemon *d, char *err,
					 size_t errlen)
{
	struct daemon_cfgset *set = calloc(1, sizeof(*set));
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!set)
		goto oom;
	f = open_memstream(&text, &len);
	if (!f)
		goto oom;
	config_write(&d->set->cfg, f);
	if (fclose(f))
		goto oom;
	if (config_parse_string("running configuration", text, &set->cfg,
				err, errlen)) {
		free(text);
		free(set);
		return NULL;
	}
	free(text);
	set->dc = d->set->dc;
	return set;
oom:
	free(text);
	free(set);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void daemon_config_drop(struct daemon_cfgset *set)
{
	if (set)
		daemon_cfgset_free(set);
	free(set);
}

/*
 * Records (and logs) a run-time change, which lasts until the next reload,
 * and says what changed; with `rules manual` the operator's rules must
 * follow.
 */
static void dconfig_note(struct daemon *d, const char *msg, FILE *body)
{
	struct daemon_cfg_hist *h = &d->hist;

	h->changes++;
	snprintf(h->last_change, sizeof(h->last_change), "%s", msg);
	dlog_info("run-time change: %s (kept until the next reload)", msg);
	fprintf(body, "%s\n", msg);
	if (d->set->dc.rules == DCONF_RULES_MANUAL)
		fprintf(body, "rules manual: update your queue rules to match "
			"(transctl rules prints them)\n");
}

int daemon_config_change(struct daemon *d, struct daemon_cfgset *set,
			 const char *msg, FILE *body, char *err,
			 size_t errlen)
{
	/* pool4 and bib add: the host's own addresses are refused. */
	if (daemon_host_check(set, NULL, err, errlen) ||
	    dconfig_commit(d, set, err, errlen)) {
		daemon_config_drop(set);
		return -1;
	}
	dconfig_note(d, msg, body);
	return 0;
}

int daemon_config_apply(struct daemon *d, const char *line, const char *msg,
			FILE *body, char *err, size_t errlen)
{
	struct daemon_cfgset *set = daemon_config_copy(d, err, errlen);

	if (!set)
		return -1;
	if (config_apply_line(&set->cfg, line, err, errlen)) {
		daemon_config_drop(set);
		return -1;
	}
	return daemon_config_change(d, set, msg, body, err, errlen);
}
