// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "address query ADDR": how the running configuration maps one address,
 * and by which rule. The answer comes from addrmap_explain_*, the code
 * the translation itself runs, so it cannot drift from what packets get.
 * A mapping is the same whether the address is a packet's source or its
 * destination (RFC 7915 section 6, RFC 7757 section 3).
 *
 * Body, one "KEY TAB VALUE" line each ("-" when there is no value):
 *   address    the address, canonical
 *   family     ipv4 | ipv6
 *   rule       eamt | pool6 | denylist | reserved | non-global | none
 *   result     the address on the other side, or "-"
 *   match      the entry or prefix that decided ("eamt P6 P4", ...)
 *   reason     one line for a person
 *   queued     yes | ports | no: whether the daemon's rules send packets
 *              whose destination it is to the queues; "ports" for an
 *              address of the host itself that pool4 holds (only its
 *              ports, and ICMP but echo requests: the rest stays the
 *              host's); never "yes" for an address of the host
 *   queued_by  the destination of that rule, or for "ports" each local
 *              rule ("ADDR/32 tcp 61001:65535, ..."), or "-"
 */
#include <arpa/inet.h>
#include <string.h>

#include "addrmap.h"
#include "daemon_ctl.h"
#include "daemon_host.h"
#include "det_query.h"

struct query {
	const struct config *cfg;
	bool from6;			/* the address asked about is IPv6 */
	struct addrmap_explain ex;
	char in[INET6_ADDRSTRLEN];	/* the address asked about */
	char embedded[INET_ADDRSTRLEN];	/* the IPv4 side, as text */
	struct dq_answer a;
};

static void query_eamt(struct query *q, char *reason, size_t len)
{
	const struct eamt_entry *e = &q->cfg->eamt[q->ex.entry];
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	prefix6_str(&e->p6, b6);
	prefix4_str(&e->p4, b4);
	snprintf(q->a.match, sizeof(q->a.match), "eamt %s %s", b6, b4);
	snprintf(reason, len, "EAMT entry %s %s (RFC 7757 section 3): "
		 "%s's host bits copied into %s", b6, b4, q->in,
		 q->from6 ? b4 : b6);
}

static void query_pool6(struct query *q, char *reason, size_t len)
{
	char b6[PREFIX6_STRLEN];

	prefix6_str(&q->cfg->pool6, b6);
	snprintf(q->a.match, sizeof(q->a.match), "pool6 %s", b6);
	snprintf(reason, len, "%s pool6 %s (RFC 6052 section 2.2), in no "
		 "EAMT entry", q->from6 ? "the IPv4 address it embeds under" :
		 "embedded in", b6);
}

static void query_denylist(struct query *q, char *reason, size_t len)
{
	char b4[PREFIX4_STRLEN];

	prefix4_str(&q->cfg->denylist4[q->ex.entry], b4);
	snprintf(q->a.match, sizeof(q->a.match), "denylist4 %s", b4);
	snprintf(reason, len, "pool6 would map %s, but denylist4 %s keeps it "
		 "out of pool6: not translated (an EAMT entry would be)",
		 q->embedded, b4);
}

static void query_reserved(struct query *q, char *reason, size_t len)
{
	snprintf(q->a.match, sizeof(q->a.match), "reserved %.*s",
		 (int)strcspn(q->ex.reserved, ","), q->ex.reserved);
	snprintf(reason, len, "pool6 would map %s, but it is in %s: never "
		 "translated through pool6 (an EAMT entry would be)",
		 q->embedded, q->ex.reserved);
}

static void query_non_global(struct query *q, char *reason, size_t len)
{
	snprintf(q->a.match, sizeof(q->a.match), "non-global %.*s",
		 (int)strcspn(q->ex.reserved, ","), q->ex.reserved);
	snprintf(reason, len, "pool6 is the Well-Known Prefix and %s is in %s, "
		 "not global: RFC 6052 section 3.1 forbids translating it "
		 "(wkp-allow-non-global yes, a network-specific pool6 or an "
		 "EAMT entry would)", q->embedded, q->ex.reserved);
}

static void query_outside(struct query *q, char *reason, size_t len)
{
	char b6[PREFIX6_STRLEN];

	snprintf(q->a.match, sizeof(q->a.match), "-");
	snprintf(reason, len, "outside pool6 %s and in no EAMT entry: not "
		 "translated", prefix6_str(&q->cfg->pool6, b6));
}

static void query_no_pool6(struct query *q, char *reason, size_t len)
{
	snprintf(q->a.match, sizeof(q->a.match), "-");
	snprintf(reason, len, "in no EAMT entry, and no pool6 is configured: "
		 "not translated");
}

/* What each outcome prints: the rule word and how the reason reads. */
static const struct {
	const char *rule;
	void (*explain)(struct query *q, char *reason, size_t len);
} query_whys[] = {
	[ADDRMAP_WHY_EAMT] = { "eamt", query_eamt },
	[ADDRMAP_WHY_POOL6] = { "pool6", query_pool6 },
	[ADDRMAP_WHY_DENYLIST] = { "denylist", query_denylist },
	[ADDRMAP_WHY_RESERVED] = { "reserved", query_reserved },
	[ADDRMAP_WHY_NON_GLOBAL] = { "non-global", query_non_global },
	[ADDRMAP_WHY_OUTSIDE] = { "none", query_outside },
	[ADDRMAP_WHY_NO_POOL6] = { "none", query_no_pool6 },
};

/* The word after `key` in a rule ("" if none). */
static const char *query_arg(const struct rule *r, const char *key)
{
	for (int a = 0; a + 1 < r->argc; a++)
		if (!strcmp(r->argv[a], key))
			return r->argv[a + 1];
	return "";
}

/* Whether a rule is for the host's own addresses (`--dst-type LOCAL`
 * without a `!`): the others leave those alone. */
static bool query_rule_local(const struct rule *r)
{
	for (int a = 1; a < r->argc; a++)
		if (!strcmp(r->argv[a], "--dst-type"))
			return strcmp(r->argv[a - 1], "!") != 0;
	return false;
}

static bool query_rule_holds(const struct rule *r, bool is6, const void *addr)
{
	const char *dst = query_arg(r, "-d");
	struct prefix6 p6;
	struct prefix4 p4;

	if (r->family != (is6 ? 6 : 4))
		return false;
	return is6 ? !prefix6_parse(dst, &p6) && prefix6_contains(&p6, addr)
		   : !prefix4_parse(dst, &p4) && prefix4_contains(&p4, addr);
}

/*
 * What the daemon's plan (installed with rules auto, expected with rules
 * manual) queues of packets to the address: "yes" and the rule's
 * destination; for an address of the host itself, "ports" and what the
 * local rules catch (pool4 there: its ports, ICMP but echo requests);
 * else "no".
 */
static const char *query_queued(const struct rules_plan *plan, bool is6,
				const void *addr, bool local, char *by,
				size_t len)
{
	size_t off = 0;

	snprintf(by, len, "-");
	for (size_t i = 0; i < plan->count; i++) {
		const struct rule *r = &plan->rule[i];
		const char *ports;

		if (!query_rule_holds(r, is6, addr) ||
		    query_rule_local(r) != local)
			continue;
		if (!local) {
			snprintf(by, len, "%s", query_arg(r, "-d"));
			return "yes";
		}
		ports = query_arg(r, "--dport");
		off += (size_t)snprintf(by + off, len - off, "%s%s %s%s",
					off ? ", " : "", query_arg(r, "-d"),
					query_arg(r, "-p"), ports[0] ? " " : "");
		if (off < len)
			off += (size_t)snprintf(by + off, len - off, "%s",
						ports[0] ? ports :
						" but echo-request");
		if (off >= len)
			break;
	}
	return off ? "ports" : "no";
}

static void query_print(struct daemon *d, struct query *q, FILE *f)
{
	struct dq_answer *a = &q->a;
	const void *addr = q->from6 ? (const void *)&q->ex.v6
				    : (const void *)&q->ex.v4;
	bool mapped = q->ex.rule == ADDRMAP_EAMT || q->ex.rule == ADDRMAP_POOL6;
	const char *queued;
	char by[256];
	bool local;

	inet_ntop(AF_INET, &q->ex.v4, q->embedded, sizeof(q->embedded));
	if (!mapped)
		snprintf(a->result, sizeof(a->result), "-");
	else if (q->from6)
		snprintf(a->result, sizeof(a->result), "%s", q->embedded);
	else
		inet_ntop(AF_INET6, &q->ex.v6, a->result, sizeof(a->result));
	a->rule = query_whys[q->ex.why].rule;
	query_whys[q->ex.why].explain(q, a->reason, sizeof(a->reason));
	if (q->cfg->mode == CONFIG_MODE_NAT64)
		daemon_query_nat64(d, q->from6, addr, &q->ex, a);
	local = daemon_host_is_local(q->from6 ? AF_INET6 : AF_INET, addr);
	queued = query_queued(&d->rules, q->from6, addr, local, by,
			      sizeof(by));
	if (local)
		snprintf(a->reason + strlen(a->reason), sizeof(a->reason) -
			 strlen(a->reason), "; an address of this host: the "
			 "rules leave it to the host%s", strcmp(queued, "no") ?
			 " but for pool4's ports (queued_by)" : "");
	fprintf(f, "address\t%s\n", q->in);
	fprintf(f, "family\t%s\n", q->from6 ? "ipv6" : "ipv4");
	fprintf(f, "rule\t%s\n", a->rule);
	fprintf(f, "result\t%s\n", a->result);
	fprintf(f, "match\t%s\n", a->match);
	fprintf(f, "reason\t%s\n", a->reason);
	fprintf(f, "queued\t%s\n", queued);
	fprintf(f, "queued_by\t%s\n", by);
}

int daemon_address_query(struct daemon *d, int nargs, char **args,
			 FILE *body, char *err, size_t errlen)
{
	struct query q = { .cfg = &d->set->cfg };
	struct in6_addr a6;
	struct in_addr a4;
	long port = DET_NO_PORT;

	if (nargs > 1 && det_port_parse(args[1], &port)) {
		snprintf(err, errlen, "address query: bad port '%.16s' "
			 "(0..65535)", args[1]);
		return -1;
	}
	if (nargs > 1 && q.cfg->mode != CONFIG_MODE_NAT64) {
		snprintf(err, errlen, "address query: a PORT applies in mode "
			 "nat64 only");
		return -1;
	}
	if (inet_pton(AF_INET6, args[0], &a6) == 1) {
		q.from6 = true;
		addrmap_explain_6to4(q.cfg, &a6, &q.ex);
		inet_ntop(AF_INET6, &a6, q.in, sizeof(q.in));
	} else if (inet_pton(AF_INET, args[0], &a4) == 1) {
		addrmap_explain_4to6(q.cfg, &a4, &q.ex);
		inet_ntop(AF_INET, &a4, q.in, sizeof(q.in));
	} else {
		snprintf(err, errlen, "address query: bad address '%.64s' (an "
			 "IPv4 or IPv6 address, without /length)", args[0]);
		return -1;
	}
	query_print(d, &q, body);
	return daemon_query_det(d, args[0], port, body, err, errlen);
}
