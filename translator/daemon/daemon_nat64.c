// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * translatord's stateful NAT64 (RFC 6146): the life of the state around
 * the core. The state is created at start with a secret key from
 * getrandom() (it keys the hash tables and the RFC 6056 port choice, so
 * that neither can be predicted from outside), follows every
 * configuration the daemon commits (nat64_state_sync before the swap:
 * bindings outside a new pool4, and static ones no longer configured,
 * go with their sessions), and ages on the poll loop's clock.
 *
 * The timers run when the earliest session is due and at least every
 * DN64_TICK_MS, within a bounded number of rounds per loop turn so that
 * a mass expiry never starves the queues; the ICMP errors they produce
 * (RFC 6146 3.5.2.2: a kept IPv4 SYN nobody answered) leave through the
 * daemon's ordinary emit path and its rate limit.
 *
 * The control requests "bib", "session" and "pool4" are served by
 * daemon_nat64_show.c and daemon_nat64_change.c (dispatched by
 * daemon_ctl.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>

#include "daemon_ctl.h"
#include "daemon_log.h"
#include "daemon_nat64.h"
#include "daemon_natlog.h"
#include "nat64_flow.h"
#include "nat64_xlat.h"

/* The timers run at least this often, whatever the next expiry says. */
#define DN64_TICK_MS		1000
/* Rounds of nat64_xlat_timers (4096 expiries each) per loop turn. */
#define DN64_TIMER_ROUNDS	16

int daemon_nat64_open(struct daemon *d)
{
	uint8_t key[NAT64_KEY_LEN];
	ssize_t n;

	do
		n = getrandom(key, sizeof(key), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(key)) {
		dlog_err("getrandom: %s", n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	d->nat64 = nat64_state_new(key);
	explicit_bzero(key, sizeof(key));
	if (!d->nat64) {
		dlog_err("NAT64 state: out of memory");
		return -1;
	}
	d->natlog = dnatlog_new();
	if (!d->natlog) {
		nat64_state_free(d->nat64);
		d->nat64 = NULL;
		return -1;
	}
	nat64_state_set_log(d->nat64, &dnatlog_ops, d->natlog);
	/* The workers attach theirs as they open (daemon_worker.c). */
	nat64_xlat_attach(&d->main.ctx, d->nat64);
	daemon_nat64_sync(d, &d->set->cfg);
	return 0;
}

void daemon_nat64_close(struct daemon *d)
{
	nat64_state_free(d->nat64);
	d->nat64 = NULL;
	nat64_xlat_attach(&d->main.ctx, NULL);
	dnatlog_free(d->natlog);
	d->natlog = NULL;
}

void daemon_nat64_sync(struct daemon *d, const struct config *cfg)
{
	struct nat64_state *st = daemon_nat64(d);
	char err[128];

	if (!st)
		return;
	/* Out of memory leaves the state consistent, only short of some
	 * static bindings: the configuration is committed all the same. */
	if (nat64_state_sync(st, cfg, &d->main.xstats, err, sizeof(err)))
		dlog_err("%s: some static bindings may be missing", err);
	/* The timeouts may have changed: recompute the next expiry. */
	d->nat64_due_ms = 0;
}

/*
 * Expires what is due; returns whether more was left for later. On the
 * main thread, with its own context, output and raw egress (d->main).
 */
static bool dn64_expire(struct daemon *d, int64_t now)
{
	struct dworker *m = &d->main;
	int more = 0;

	m->now_ms = now;	/* the ICMP rate limit's clock */
	for (int r = 0; r < DN64_TIMER_ROUNDS; r++) {
		xlat_out_reset(&m->out);
		more = nat64_xlat_timers(&m->ctx, now, &m->out);
		daemon_emit_out(m, &m->out);
		daemon_mtu_resolve(m, &m->out);
		if (!more)
			break;
	}
	xlat_out_reset(&m->out);
	egress_flush(&m->eg, &m->dstats);
	return more != 0;
}

int daemon_nat64_timers(struct daemon *d, int64_t now, int max_wait_ms)
{
	int64_t next, wait;

	if (!daemon_nat64(d) || d->set->cfg.mode != CONFIG_MODE_NAT64)
		return max_wait_ms;
	if (now >= d->nat64_due_ms) {
		if (dn64_expire(d, now)) {
			d->nat64_due_ms = now;
			return 0;
		}
		next = nat64_next_expiry(daemon_nat64(d), &d->set->cfg);
		d->nat64_due_ms = next < now + DN64_TICK_MS ? next :
				  now + DN64_TICK_MS;
	}
	wait = d->nat64_due_ms - now;
	if (wait < 0)
		wait = 0;
	return wait < max_wait_ms ? (int)wait : max_wait_ms;
}

void daemon_nat64_status(struct daemon *d, FILE *f)
{
	const struct config *cfg = &d->set->cfg;
	struct nat64_counts c;

	if (!daemon_nat64(d) || cfg->mode != CONFIG_MODE_NAT64)
		return;
	nat64_state_counts(daemon_nat64(d), &c);
	fprintf(f, "pool4_entries %zu\n", cfg->nat64.pool4_count);
	fprintf(f, "bib_static_entries %zu\n", cfg->nat64.bib_count);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		fprintf(f, "nat64_bib_%s %" PRIu64 "\n",
			config_l4_name((enum config_l4)l4), c.bib[l4]);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		fprintf(f, "nat64_sessions_%s %" PRIu64 "\n",
			config_l4_name((enum config_l4)l4), c.sessions[l4]);
	fprintf(f, "nat64_syn_waiting %" PRIu32 "\n", c.stored);
	fprintf(f, "nat64_ipv6_hosts %" PRIu64 "\n", c.hosts);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		fprintf(f, "nat64_blocks_%s %" PRIu64 "\n",
			config_l4_name((enum config_l4)l4), c.blocks[l4]);
	/* The state's one mutex: how often the workers and the control
	 * thread found it taken (nat64_lock). */
	fprintf(f, "nat64_lock_taken %" PRIu64 "\n", c.lock_taken);
	fprintf(f, "nat64_lock_contended %" PRIu64 "\n", c.lock_contended);
}
