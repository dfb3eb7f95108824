// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NAT64 listings: "bib show", "session show" (both optionally for one
 * protocol) and "pool4 show" (format: common/ctl_proto.h). A listing
 * starts with the table's counts ("# PROTO N", all of the table whatever
 * is shown) so that a client always knows the totals, and stops at
 * CTL_LIST_MAX rows ("# omitted N"): the reply is built in memory between
 * two batches, and a table of a million sessions would hold the packets
 * up for too long and exceed what a client reads.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "daemon_nat64.h"
#include "nat64_flow.h"

/* "ADDR#PORT" of either family. */
#define TADDR_LEN	(INET6_ADDRSTRLEN + 8)

struct dn64_list {
	FILE *f;
	const struct config *cfg;
	int64_t now;
	size_t shown;
	bool sessions;		/* sessions, not bindings */
};

int dn64_parse_l4(const char *what, const char *s, enum config_l4 *l4,
		  char *err, size_t errlen)
{
	for (int i = 0; i < CONFIG_L4_COUNT; i++) {
		if (!strcmp(s, config_l4_name((enum config_l4)i))) {
			*l4 = (enum config_l4)i;
			return 0;
		}
	}
	snprintf(err, errlen, "%s: '%.32s' is not tcp, udp or icmp", what, s);
	return -1;
}

static const char *taddr6(char *buf, const struct in6_addr *a, uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	snprintf(buf, TADDR_LEN, "%s#%u", s, port);
	return buf;
}

static const char *taddr4(char *buf, const struct in_addr *a, uint16_t port)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, s, sizeof(s));
	snprintf(buf, TADDR_LEN, "%s#%u", s, port);
	return buf;
}

/* The protocols a listing covers: one (args[0]) or all. */
static int dn64_l4_range(const char *what, int nargs, char **args,
			 int *first, int *last, char *err, size_t errlen)
{
	enum config_l4 l4;

	*first = 0;
	*last = CONFIG_L4_COUNT - 1;
	if (!nargs)
		return 0;
	if (dn64_parse_l4(what, args[0], &l4, err, errlen))
		return -1;
	*first = *last = (int)l4;
	return 0;
}

/* "# PROTO N" for each protocol, then rows, then "# omitted N". */
static void dn64_counts(FILE *f, const uint64_t *n)
{
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		fprintf(f, "# %s %" PRIu64 "\n",
			config_l4_name((enum config_l4)l4), n[l4]);
}

static void dn64_omitted(FILE *f, uint64_t listed, size_t shown)
{
	if (listed > shown)
		fprintf(f, "# omitted %" PRIu64 "\n", listed - shown);
}

static int bib_row(void *arg, const struct nat64_bib *b)
{
	struct dn64_list *l = arg;
	char b6[TADDR_LEN], b4[TADDR_LEN];

	if (l->shown == CTL_LIST_MAX)
		return 1;
	l->shown++;
	fprintf(l->f, "%s\t%s\t%s\t%s\t%" PRIu32 "\n", config_l4_name(b->l4),
		taddr6(b6, &b->addr6, b->port6),
		taddr4(b4, &b->addr4, b->port4),
		b->is_static ? "static" : "dynamic", b->nsessions);
	return 0;
}

/* Whole seconds left, rounded up (0 when due). */
static int64_t secs_left(int64_t deadline, int64_t now)
{
	return deadline > now ? (deadline - now + 999) / 1000 : 0;
}

static int sess_row(void *arg, const struct nat64_session *s)
{
	struct dn64_list *l = arg;
	char h6[TADDR_LEN], r6[TADDR_LEN], l4a[TADDR_LEN], r4[TADDR_LEN];
	const char *state = "-";

	if (l->shown == CTL_LIST_MAX)
		return 1;
	l->shown++;
	if (s->l4 == CONFIG_L4_TCP)
		state = nat64_tcp_state_name((enum nat64_tcp_state)s->state);
	/* A waiting IPv4 SYN has no binding: no IPv6 host yet. */
	if (s->bib)
		taddr6(h6, &s->bib->addr6, s->bib->port6);
	else
		snprintf(h6, sizeof(h6), "-");
	fprintf(l->f, "%s\t%s\t%s\t%s\t%s\t%s\t%" PRId64 "\n",
		config_l4_name(s->l4), h6, taddr6(r6, &s->remote6, s->rport),
		taddr4(l4a, &s->local4, s->lport4),
		taddr4(r4, &s->remote4, s->rport), state,
		secs_left(nat64_sess_deadline(s, l->cfg), l->now));
	return 0;
}

/*
 * "bib show" and "session show": the counts of every protocol, the rows
 * of the one asked for (all without one), what CTL_LIST_MAX left out.
 */
static int dn64_listing(struct daemon *d, const char *what, int nargs,
			char **args, struct dn64_list *l, char *err,
			size_t errlen)
{
	struct nat64_state *st = daemon_nat64(d);
	struct nat64_counts c;
	const uint64_t *n;
	uint64_t listed = 0;
	int first, last;

	if (dn64_l4_range(what, nargs, args, &first, &last, err, errlen))
		return -1;
	nat64_state_counts(st, &c);
	n = l->sessions ? c.sessions : c.bib;
	dn64_counts(l->f, n);
	for (int l4 = first; l4 <= last; l4++) {
		listed += n[l4];
		if (l->sessions)
			nat64_sess_walk(st, (enum config_l4)l4, sess_row, l);
		else
			nat64_bib_walk(st, (enum config_l4)l4, bib_row, l);
	}
	dn64_omitted(l->f, listed, l->shown);
	return 0;
}

int dn64_bib_show(struct daemon *d, int nargs, char **args, FILE *body,
		  char *err, size_t errlen)
{
	struct dn64_list l = { .f = body, .cfg = &d->set->cfg };

	return dn64_listing(d, "bib show", nargs, args, &l, err, errlen);
}

int dn64_session_show(struct daemon *d, int nargs, char **args, FILE *body,
		      char *err, size_t errlen)
{
	struct dn64_list l = { .f = body, .cfg = &d->set->cfg };

	/* The state's clock never goes back: use the later of the two. */
	l.now = clock_ms();
	if (nat64_state_now(daemon_nat64(d)) > l.now)
		l.now = nat64_state_now(daemon_nat64(d));
	l.sessions = true;
	return dn64_listing(d, "session show", nargs, args, &l, err, errlen);
}

int dn64_pool4_show(struct daemon *d, int nargs, char **args, FILE *body,
		    char *err, size_t errlen)
{
	const struct config_nat64 *n = &d->set->cfg.nat64;
	char b4[PREFIX4_STRLEN];
	struct nat64_counts c;

	(void)nargs;
	(void)args;
	(void)err;
	(void)errlen;
	/* Bindings inside pool4 and its capacity (addresses x ports),
	 * read under the state's lock (workers allocate meanwhile). */
	nat64_state_counts(daemon_nat64(d), &c);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		fprintf(body, "# %s %" PRIu64 " %" PRIu64 "\n",
			config_l4_name((enum config_l4)l4), c.pool4_used[l4],
			c.pool4_total[l4]);
	for (size_t i = 0; i < n->pool4_count; i++)
		fprintf(body, "%s\t%s\t%u-%u\n",
			config_l4_name(n->pool4[i].l4),
			prefix4_str(&n->pool4[i].prefix, b4),
			n->pool4[i].port_min, n->pool4[i].port_max);
	return 0;
}
