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
 * The control requests "bib", "session" and "pool4" are dispatched here
 * to daemon_nat64_show.c and daemon_nat64_change.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>

#include "daemon_ctl.h"
#include "daemon_log.h"
#include "daemon_nat64.h"
#include "nat64_flow.h"

/* The timers run at least this often, whatever the next expiry says. */
#define DN64_TICK_MS		1000
/* Rounds of xlat_nat64_timers (4096 expiries each) per loop turn. */
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
	d->ctx.nat64 = d->nat64;
	d->ctx.now_ms = clock_ms();
	daemon_nat64_sync(d, &d->set->cfg);
	return 0;
}

void daemon_nat64_close(struct daemon *d)
{
	nat64_state_free(d->nat64);
	d->nat64 = NULL;
	d->ctx.nat64 = NULL;
}

void daemon_nat64_sync(struct daemon *d, const struct config *cfg)
{
	char err[128];

	if (!d->nat64)
		return;
	/* Out of memory leaves the state consistent, only short of some
	 * static bindings: the configuration is committed all the same. */
	if (nat64_state_sync(d->nat64, cfg, &d->xstats, err, sizeof(err)))
		dlog_err("%s: some static bindings may be missing", err);
	/* The timeouts may have changed: recompute the next expiry. */
	d->nat64_due_ms = 0;
}

/* Expires what is due; returns whether more was left for later. */
static bool dn64_expire(struct daemon *d, int64_t now)
{
	int more = 0;

	d->ctx.now_ms = now;
	d->now_ms = now;	/* the ICMP rate limit's clock */
	for (int r = 0; r < DN64_TIMER_ROUNDS; r++) {
		xlat_out_reset(&d->out);
		more = xlat_nat64_timers(&d->ctx, &d->out);
		daemon_emit_out(d, &d->out);
		if (!more)
			break;
	}
	xlat_out_reset(&d->out);
	egress_flush(&d->eg, &d->dstats);
	return more != 0;
}

int daemon_nat64_timers(struct daemon *d, int64_t now, int max_wait_ms)
{
	int64_t next, wait;

	if (!d->nat64 || d->set->cfg.mode != CONFIG_MODE_NAT64)
		return max_wait_ms;
	if (now >= d->nat64_due_ms) {
		if (dn64_expire(d, now)) {
			d->nat64_due_ms = now;
			return 0;
		}
		next = nat64_next_expiry(d->nat64, &d->set->cfg);
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

	if (!d->nat64 || cfg->mode != CONFIG_MODE_NAT64)
		return;
	nat64_state_counts(d->nat64, &c);
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
}

/* --- control requests -------------------------------------------------- */

static const struct dn64_verb dn64_verbs[] = {
	{ "bib", "show", 0, 1, " [tcp|udp|icmp]", dn64_bib_show },
	{ "bib", "add", 3, 3, " tcp|udp|icmp IPV4#PORT IPV6#PORT",
	  dn64_bib_add },
	{ "bib", "remove", 2, 2, " tcp|udp|icmp IPV4#PORT|IPV6#PORT",
	  dn64_bib_remove },
	{ "session", "show", 0, 1, " [tcp|udp|icmp]", dn64_session_show },
	{ "pool4", "show", 0, 0, "", dn64_pool4_show },
	{ "pool4", "add", 1, 3, " PREFIX [PORTS] [tcp|udp|icmp]",
	  dn64_pool4_add },
	{ "pool4", "remove", 1, 3, " PREFIX [PORTS] [tcp|udp|icmp]",
	  dn64_pool4_remove },
};

#define DN64_NVERBS	(sizeof(dn64_verbs) / sizeof(dn64_verbs[0]))

static int dn64_unknown(const char *cmd, const char *verb, char *err,
			size_t errlen)
{
	size_t off;

	off = verb ? (size_t)snprintf(err, errlen, "%s: unknown subcommand "
				      "'%.32s' (", cmd, verb)
		   : (size_t)snprintf(err, errlen, "%s: missing subcommand (",
				      cmd);
	for (size_t i = 0; i < DN64_NVERBS && off < errlen; i++)
		if (!strcmp(dn64_verbs[i].cmd, cmd))
			off += (size_t)snprintf(err + off, errlen - off, "%s%s",
						err[off - 1] != '(' ? ", " : "",
						dn64_verbs[i].verb);
	if (off < errlen)
		snprintf(err + off, errlen - off, ")");
	return -1;
}

int daemon_ctl_nat64(struct daemon *d, int argc, char **argv, FILE *body,
		     char *err, size_t errlen)
{
	const struct dn64_verb *v = NULL;
	int nargs;

	for (size_t i = 0; i < DN64_NVERBS && argc > 1 && !v; i++)
		if (!strcmp(dn64_verbs[i].cmd, argv[0]) &&
		    !strcmp(dn64_verbs[i].verb, argv[1]))
			v = &dn64_verbs[i];
	if (!v)
		return dn64_unknown(argv[0], argc > 1 ? argv[1] : NULL, err,
				    errlen);
	nargs = argc - 2;
	if (nargs < v->min_args || nargs > v->max_args) {
		snprintf(err, errlen, "%s %s: usage: %s %s%s", v->cmd, v->verb,
			 v->cmd, v->verb, v->usage);
		return -1;
	}
	if (d->set->cfg.mode != CONFIG_MODE_NAT64 || !d->nat64) {
		snprintf(err, errlen, "%s: translatord runs in mode siit; "
			 "NAT64 bindings, sessions and pool4 exist in mode "
			 "nat64 only", v->cmd);
		return -1;
	}
	return v->fn(d, nargs, argv + 2, body, err, errlen);
}
