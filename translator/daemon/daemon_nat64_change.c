// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Run-time NAT64 changes: "pool4 add|remove" and "bib add|remove".
 *
 * pool4 and static BIB entries are configuration: a change is made on a
 * parser-checked copy of the running configuration (daemon_config_copy, the
 * same rules as a file's line: no overlapping pool4 entries, no static
 * entries sharing a transport address) and committed whole, rules first,
 * as eamt/denylist4 changes are; the commit syncs the state with the new
 * configuration (nat64_state_sync), so that a removed pool4 entry takes
 * its bindings and their sessions along (RFC 6146 gives them no life
 * outside pool4), and a new static entry takes over a dynamic binding in
 * its way. Such a change lasts until the next reload.
 *
 * A dynamic binding is state, not configuration: "bib remove" of one
 * forgets it and its sessions at once (the next packet of the flow makes
 * a new one, or is dropped if it comes from IPv4).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_config.h"
#include "daemon_ctl.h"
#include "daemon_log.h"
#include "daemon_nat64.h"

/* Longest message a change reports, and a binding's text in it. */
#define DN64_MSG_MAX	(CTL_MAX_REQUEST + 128)
#define DN64_BIB_TEXT	(INET_ADDRSTRLEN + INET6_ADDRSTRLEN + 32)

/* "ADDR#PORT" of either family. */
struct dn64_taddr {
	bool is6;
	struct in6_addr a6;
	struct in_addr a4;
	uint16_t port;
};

static int dn64_parse_taddr(const char *what, const char *s,
			    struct dn64_taddr *t, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 8], *hash, *end;
	unsigned long port;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	hash = strrchr(buf, '#');
	if (!hash || !hash[1])
		goto bad;
	*hash = '\0';
	port = strtoul(hash + 1, &end, 10);
	if (*end || port > 65535 || hash[1] < '0' || hash[1] > '9')
		goto bad;
	t->port = (uint16_t)port;
	t->is6 = strchr(buf, ':') != NULL;
	if (inet_pton(t->is6 ? AF_INET6 : AF_INET, buf,
		      t->is6 ? (void *)&t->a6 : (void *)&t->a4) != 1)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "%s: bad transport address '%.64s' (ADDR#PORT, "
		 "IPv4 or IPv6)", what, s);
	return -1;
}

static bool taddr_is(const struct dn64_taddr *t, const struct in6_addr *a6,
		     uint16_t p6, const struct in_addr *a4, uint16_t p4)
{
	if (t->is6)
		return t->port == p6 && !memcmp(&t->a6, a6, sizeof(*a6));
	return t->port == p4 && t->a4.s_addr == a4->s_addr;
}

/* Canonical text of a binding: "tcp 192.0.2.2#80 2001:db8::5#80". */
static void bib_text(char *buf, size_t len, enum config_l4 l4,
		     const struct in_addr *a4, uint16_t p4,
		     const struct in6_addr *a6, uint16_t p6)
{
	char s4[INET_ADDRSTRLEN], s6[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s %s#%u %s#%u", config_l4_name(l4),
		 inet_ntop(AF_INET, a4, s4, sizeof(s4)), p4,
		 inet_ntop(AF_INET6, a6, s6, sizeof(s6)), p6);
}

int dn64_bib_add(struct daemon *d, int nargs, char **args, FILE *body,
		 char *err, size_t errlen)
{
	char line[DN64_MSG_MAX], msg[DN64_MSG_MAX], text[DN64_BIB_TEXT];
	struct dn64_taddr t[2];
	enum config_l4 l4;
	int i6;

	(void)nargs;
	if (dn64_parse_l4("bib add", args[0], &l4, err, errlen) ||
	    dn64_parse_taddr("bib add", args[1], &t[0], err, errlen) ||
	    dn64_parse_taddr("bib add", args[2], &t[1], err, errlen))
		return -1;
	if (t[0].is6 == t[1].is6) {
		snprintf(err, errlen, "bib add: needs one IPv4 and one IPv6 "
			 "transport address");
		return -1;
	}
	i6 = t[0].is6 ? 0 : 1;
	bib_text(text, sizeof(text), l4, &t[1 - i6].a4, t[1 - i6].port,
		 &t[i6].a6, t[i6].port);
	snprintf(line, sizeof(line), "bib %s", text);
	snprintf(msg, sizeof(msg), "bib add %s", text);
	return daemon_config_apply(d, line, msg, body, err, errlen);
}

static void bib_cut(struct config *cfg, size_t i)
{
	struct config_nat64 *n = &cfg->nat64;

	memmove(&n->bib[i], &n->bib[i + 1],
		(n->bib_count - i - 1) * sizeof(n->bib[0]));
	n->bib_count--;
}

/* A static entry of the configuration: it goes with a commit. */
static int bib_remove_static(struct daemon *d, size_t i, FILE *body,
			     char *err, size_t errlen)
{
	const struct bib_static_entry *e = &d->set->cfg.nat64.bib[i];
	char msg[DN64_MSG_MAX], text[DN64_BIB_TEXT];
	struct daemon_cfgset *set;

	bib_text(text, sizeof(text), e->l4, &e->addr4, e->port4, &e->addr6,
		 e->port6);
	snprintf(msg, sizeof(msg), "bib remove %s (static)", text);
	set = daemon_config_copy(d, err, errlen);
	if (!set)
		return -1;
	bib_cut(&set->cfg, i);
	return daemon_config_change(d, set, msg, body, err, errlen);
}

/*
 * A dynamic binding: state only, forgotten with its sessions. Found and
 * removed in one locked step (nat64_bib_forget): a worker may expire or
 * replace it at any moment, so no pointer to it is kept here.
 */
static int bib_forget(struct daemon *d, enum config_l4 l4,
		      const struct dn64_taddr *t, FILE *body)
{
	char text[DN64_BIB_TEXT];
	struct nat64_bib b;
	uint32_t n;

	if (nat64_bib_forget(daemon_nat64(d), &d->set->cfg, &d->main.xstats,
			     clock_ms(), l4, t->is6,
			     t->is6 ? (const void *)&t->a6 : (const void *)&t->a4,
			     t->port, &b))
		return -1;
	n = b.nsessions;
	bib_text(text, sizeof(text), b.l4, &b.addr4, b.port4, &b.addr6,
		 b.port6);
	dlog_info("bib remove %s: dynamic binding and %u session(s) "
		  "forgotten", text, n);
	fprintf(body, "bib remove %s (dynamic, %u session%s forgotten)\n",
		text, n, n == 1 ? "" : "s");
	return 0;
}

int dn64_bib_remove(struct daemon *d, int nargs, char **args, FILE *body,
		    char *err, size_t errlen)
{
	const struct config_nat64 *n = &d->set->cfg.nat64;
	struct dn64_taddr t;
	enum config_l4 l4;

	(void)nargs;
	if (dn64_parse_l4("bib remove", args[0], &l4, err, errlen) ||
	    dn64_parse_taddr("bib remove", args[1], &t, err, errlen))
		return -1;
	for (size_t i = 0; i < n->bib_count; i++) {
		const struct bib_static_entry *e = &n->bib[i];

		if (e->l4 == l4 &&
		    taddr_is(&t, &e->addr6, e->port6, &e->addr4, e->port4))
			return bib_remove_static(d, i, body, err, errlen);
	}
	if (bib_forget(d, l4, &t, body)) {
		snprintf(err, errlen, "bib remove: no %s binding of %s",
			 config_l4_name(l4), args[1]);
		return -1;
	}
	return 0;
}

/* --- pool4 ---------------------------------------------------------------- */

static void join_args(char *buf, size_t len, const char *head, int nargs,
		      char **args)
{
	size_t off = (size_t)snprintf(buf, len, "%s", head);

	for (int i = 0; i < nargs && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " %s", args[i]);
}

int dn64_pool4_add(struct daemon *d, int nargs, char **args, FILE *body,
		   char *err, size_t errlen)
{
	char line[DN64_MSG_MAX], msg[DN64_MSG_MAX];

	/* The parser checks it all (overlaps included), as for a file. */
	join_args(line, sizeof(line), "pool4", nargs, args);
	join_args(msg, sizeof(msg), "pool4 add", nargs, args);
	return daemon_config_apply(d, line, msg, body, err, errlen);
}

/* Which pool4 entries "pool4 remove PREFIX [PORTS] [PROTO]" means. */
struct pool4_sel {
	struct prefix4 prefix;
	bool ports_given, l4_given;
	uint16_t lo, hi;
	enum config_l4 l4;
};

static int ports_parse(const char *s, uint16_t *lo, uint16_t *hi)
{
	char *end;
	unsigned long a, b;

	if (*s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	b = a;
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			return -1;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end || a > b || b > 65535)
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static int pool4_sel_parse(int nargs, char **args, struct pool4_sel *sel,
			   char *err, size_t errlen)
{
	char dummy[128];

	memset(sel, 0, sizeof(*sel));
	if (prefix4_parse(args[0], &sel->prefix)) {
		snprintf(err, errlen, "pool4 remove: bad IPv4 prefix '%.64s'",
			 args[0]);
		return -1;
	}
	for (int i = 1; i < nargs; i++) {
		if (!sel->l4_given &&
		    !dn64_parse_l4("", args[i], &sel->l4, dummy, sizeof(dummy))) {
			sel->l4_given = true;
		} else if (i == 1 && !ports_parse(args[i], &sel->lo, &sel->hi)) {
			sel->ports_given = true;
		} else {
			snprintf(err, errlen, "pool4 remove: '%.32s' is neither "
				 "a port range (N-M) nor tcp, udp or icmp",
				 args[i]);
			return -1;
		}
	}
	return 0;
}

static bool pool4_sel_match(const struct pool4_sel *sel,
			    const struct pool4_entry *e)
{
	return e->prefix.len == sel->prefix.len &&
	       prefix4_contains(&e->prefix, &sel->prefix.addr) &&
	       (!sel->ports_given ||
		(e->port_min == sel->lo && e->port_max == sel->hi)) &&
	       (!sel->l4_given || e->l4 == sel->l4);
}

static uint64_t bib_total(const struct nat64_state *st)
{
	struct nat64_counts c;
	uint64_t n = 0;

	nat64_state_counts(st, &c);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		n += c.bib[l4];
	return n;
}

int dn64_pool4_remove(struct daemon *d, int nargs, char **args, FILE *body,
		      char *err, size_t errlen)
{
	char msg[DN64_MSG_MAX], b4[PREFIX4_STRLEN];
	struct daemon_cfgset *set;
	struct config_nat64 *n;
	struct pool4_sel sel;
	size_t kept = 0, gone;
	uint64_t before;

	if (pool4_sel_parse(nargs, args, &sel, err, errlen))
		return -1;
	set = daemon_config_copy(d, err, errlen);
	if (!set)
		return -1;
	n = &set->cfg.nat64;
	for (size_t i = 0; i < n->pool4_count; i++)
		if (!pool4_sel_match(&sel, &n->pool4[i]))
			n->pool4[kept++] = n->pool4[i];
	gone = n->pool4_count - kept;
	n->pool4_count = kept;
	if (!gone) {
		daemon_config_drop(set);
		join_args(msg, sizeof(msg), "", nargs, args);
		snprintf(err, errlen, "pool4 remove:%s: no such entry ('pool4 "
			 "show' lists them; the prefix is %s)", msg,
			 prefix4_str(&sel.prefix, b4));
		return -1;
	}
	before = bib_total(daemon_nat64(d));
	join_args(msg, sizeof(msg), "pool4 remove", nargs, args);
	if (daemon_config_change(d, set, msg, body, err, errlen))
		return -1;
	fprintf(body, "%zu pool4 entr%s removed; %llu binding(s) outside "
		"pool4 now dropped with their sessions\n", gone,
		gone == 1 ? "y" : "ies",
		(unsigned long long)(before - bib_total(daemon_nat64(d))));
	return 0;
}
