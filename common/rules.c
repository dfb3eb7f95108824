// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules as data and as text (pure: rules_exec.c runs iptables).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static void rule_arg(struct rule *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void rule_arg(struct rule *r, const char *fmt, ...)
{
	va_list ap;

	if (r->argc == RULES_MAX_ARGS)
		return;	/* the templates below stay well under the limit */
	va_start(ap, fmt);
	vsnprintf(r->argv[r->argc++], RULES_ARG_LEN, fmt, ap);
	va_end(ap);
}

/* A rule's start: the interface, then the destination. */
static struct rule *rule_start(struct rules_plan *plan, int family,
			       const char *iface, const char *dst,
			       const struct daemon_conf *dc)
{
	struct rule *r = &plan->rule[plan->count++];

	memset(r, 0, sizeof(*r));
	r->family = family;
	if (iface[0]) {
		rule_arg(r, "-i");
		rule_arg(r, "%s", iface);
	} else if (dc->egress == DCONF_EGRESS_TUN) {
		/* What we write to the TUN device comes back in through
		 * PREROUTING: it is already translated. */
		rule_arg(r, "!");
		rule_arg(r, "-i");
		rule_arg(r, "%s", dc->egress_tun);
	}
	rule_arg(r, "-d");
	rule_arg(r, "%s", dst);
	return r;
}

/*
 * Packets to the host's own addresses (local) or to the others. On the
 * IPv4 side "the others" leave out broadcast and multicast destinations
 * too: a LAN's broadcast (192.168.1.255 inside an EAMT prefix, or any
 * under translate4 0.0.0.0/0, as on a CLAT) and multicast (mDNS, SSDP,
 * IGMP) are the host's to receive: a router forwards no limited and, by
 * default, no directed broadcast (RFC 1812 section 5.3.5, RFC 2644).
 * Queued, they were translated to a unicast IPv6 address (out the WAN and
 * back) or dropped, and the host's own listeners never saw them.
 * ip6tables has no BROADCAST type, and IPv6 multicast lies outside any
 * prefix the translator queues.
 */
static void rule_addrtype(struct rule *r, bool local)
{
	rule_arg(r, "-m");
	rule_arg(r, "addrtype");
	if (!local)
		rule_arg(r, "!");
	rule_arg(r, "--dst-type");
	rule_arg(r, "%s", !local && r->family == 4 ?
		 "LOCAL,BROADCAST,MULTICAST" : "LOCAL");
}

static const char rules_sub_suffix[RULES_SUB_MAX][3] = {
	[RULES_SUB_NONE] = "",
	[RULES_SUB_TCP] = "-T",
	[RULES_SUB_OTHER] = "-O",
};

void rules_sub_name(const char *chain, enum rules_sub sub,
		    char out[RULES_CHAIN_LEN])
{
	snprintf(out, RULES_CHAIN_LEN, "%.*s%s", RULES_CHAIN_LEN - 3, chain,
		 rules_sub_suffix[sub]);
}

/* The NFQUEUE target itself. */
static void rule_queue(struct rule *r, const struct daemon_conf *dc,
		       unsigned int queue)
{
	rule_arg(r, "-j");
	rule_arg(r, "NFQUEUE");
	rule_arg(r, "--queue-num");
	rule_arg(r, "%u", queue);
	/* Without a reader the kernel drops, unless fail-open. */
	if (dc->fail_open)
		rule_arg(r, "--queue-bypass");
}

/*
 * A rule's end: our own packets skipped, the rest to the queue (one
 * worker) or to the class's spread chain (several: rules_add_spread).
 */
static void rule_finish(struct rule *r, const struct daemon_conf *dc,
			uint16_t queue)
{
	char sub[RULES_CHAIN_LEN], chain[RULES_CHAIN_LEN];

	rule_arg(r, "-m");
	rule_arg(r, "mark");
	rule_arg(r, "!");
	rule_arg(r, "--mark");
	rule_arg(r, "0x%x", dc->mark);
	if (dc->workers <= 1) {
		rule_queue(r, dc, queue);
		return;
	}
	rules_chain_name(dc, chain);
	rules_sub_name(chain, queue == dc->queue_tcp ? RULES_SUB_TCP :
		       RULES_SUB_OTHER, sub);
	rule_arg(r, "-j");
	rule_arg(r, "%s", sub);
}

/*
 * The first mark of the spread: [base, base + workers) must not hold our
 * own mark, which tells emitted packets apart (the jump to the spread
 * chain tested it already, but what is handed back to the host keeps
 * the hash's mark).
 */
static uint32_t rules_spread_base(const struct daemon_conf *dc)
{
	return dc->mark <= UINT32_MAX - DCONF_MAX_WORKERS ? dc->mark + 1 :
	       dc->mark - DCONF_MAX_WORKERS;
}

/*
 * One spread chain of one family: a flow's hash picks the worker, whose
 * queue of the class takes the packet.
 *
 * NFQUEUE's own --queue-balance hashes the addresses only, so parallel
 * TCP streams between two hosts would all land on one worker; xt_HMARK
 * hashes addresses, ports and protocol, symmetrically (both directions
 * of a flow, and ICMP errors by the packet they quote, get one worker),
 * and without ports for every fragment (first one included: the
 * fragments of a datagram meet in one worker's reassembler, and keep
 * their order). A flow thus stays on one worker and keeps its order.
 * HMARK overwrites the packet's mark (skb->mark); only queued packets
 * pass here, and those translated are dropped, but one handed back to
 * the host (fail-open, daemon_local.c) keeps the hash's mark. The last
 * rule catches what HMARK could not hash (a truncated header: the mark
 * is then whatever it was) for worker 0.
 */
static void rules_add_spread(struct rules_plan *plan, int family,
			     enum rules_sub sub, const struct daemon_conf *dc)
{
	unsigned int q0 = sub == RULES_SUB_TCP ? dc->queue_tcp :
			  dc->queue_other;
	uint32_t base = rules_spread_base(dc);
	struct rule *r = &plan->rule[plan->count++];

	memset(r, 0, sizeof(*r));
	r->family = family;
	r->sub = sub;
	rule_arg(r, "-j");
	rule_arg(r, "HMARK");
	rule_arg(r, "--hmark-tuple");
	rule_arg(r, "src,dst,sport,dport,proto");
	rule_arg(r, "--hmark-mod");
	rule_arg(r, "%u", dc->workers);
	rule_arg(r, "--hmark-offset");
	rule_arg(r, "0x%x", base);
	rule_arg(r, "--hmark-rnd");
	rule_arg(r, "0x%x", dc->spread_seed);
	for (unsigned int w = 0; w <= dc->workers; w++) {
		r = &plan->rule[plan->count++];
		memset(r, 0, sizeof(*r));
		r->family = family;
		r->sub = sub;
		if (w < dc->workers) {
			rule_arg(r, "-m");
			rule_arg(r, "mark");
			rule_arg(r, "--mark");
			rule_arg(r, "0x%x", base + w);
		}
		rule_queue(r, dc, q0 + (w < dc->workers ? w : 0));
	}
}

/* The two rules of one destination: TCP first, then everything else. */
static void rules_add_dst(struct rules_plan *plan, int family,
			  const char *iface, const char *dst,
			  const struct daemon_conf *dc)
{
	int tcp;

	for (tcp = 1; tcp >= 0; tcp--) {
		struct rule *r = rule_start(plan, family, iface, dst, dc);

		if (!tcp)
			rule_arg(r, "!");
		rule_arg(r, "-p");
		rule_arg(r, "tcp");
		rule_addrtype(r, false);
		rule_finish(r, dc, tcp ? dc->queue_tcp : dc->queue_other);
	}
}

/*
 * pool4 on an address of the host itself (the router's own address with
 * a port range, as Jool users often do): only pool4's ports are queued,
 * the host keeps the rest of its traffic. ICMP carries no port iptables
 * can match: every ICMP message but echo requests is queued, and the
 * daemon hands back to the host what is not about pool4 (echo replies
 * with other identifiers, errors about the host's own packets:
 * daemon_local.c).
 */
static void rules_add_local_ports(struct rules_plan *plan, const char *iface,
				  const char *dst, enum config_l4 l4,
				  unsigned int lo, unsigned int hi,
				  const struct daemon_conf *dc)
{
	struct rule *r;

	if (l4 == CONFIG_L4_ICMP)
		return;
	r = rule_start(plan, 4, iface, dst, dc);
	rule_arg(r, "-p");
	rule_arg(r, "%s", l4 == CONFIG_L4_TCP ? "tcp" : "udp");
	rule_arg(r, "--dport");
	if (lo == hi)
		rule_arg(r, "%u", lo);
	else
		rule_arg(r, "%u:%u", lo, hi);
	rule_addrtype(r, true);
	rule_finish(r, dc, l4 == CONFIG_L4_TCP ? dc->queue_tcp :
		    dc->queue_other);
}

static void rules_add_local_icmp(struct rules_plan *plan, const char *iface,
				 const char *dst, const struct daemon_conf *dc)
{
	struct rule *r = rule_start(plan, 4, iface, dst, dc);

	rule_arg(r, "-p");
	rule_arg(r, "icmp");
	rule_arg(r, "-m");
	rule_arg(r, "icmp");
	rule_arg(r, "!");
	rule_arg(r, "--icmp-type");
	rule_arg(r, "echo-request");
	rule_addrtype(r, true);
	rule_finish(r, dc, dc->queue_other);
}

/* A NAT64 address: the usual two rules, and the local ICMP one. */
static void rules_add_nat64_dst(struct rules_plan *plan, const char *iface,
				const char *dst, const struct daemon_conf *dc)
{
	rules_add_dst(plan, 4, iface, dst, dc);
	rules_add_local_icmp(plan, iface, dst, dc);
}

/* Whether pool4 entry i repeats an earlier entry's prefix (one per
 * protocol is usual): its destination is queued once. */
static bool rules_pool4_seen(const struct config_nat64 *n, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (n->pool4[j].prefix.len == n->pool4[i].prefix.len &&
		    prefix4_contains(&n->pool4[j].prefix,
				     &n->pool4[i].prefix.addr))
			return true;
	return false;
}

/* Whether static entry i's address is queued already (pool4 or before). */
static bool rules_bib_seen(const struct config_nat64 *n, size_t i)
{
	for (size_t j = 0; j < n->pool4_count; j++)
		if (prefix4_contains(&n->pool4[j].prefix, &n->bib[i].addr4))
			return true;
	for (size_t j = 0; j < i; j++)
		if (n->bib[j].addr4.s_addr == n->bib[i].addr4.s_addr)
			return true;
	return false;
}

/* Whether static entry i's port is in a pool4 entry's local rule. */
static bool rules_bib_port_seen(const struct config_nat64 *n, size_t i)
{
	const struct bib_static_entry *b = &n->bib[i];

	for (size_t j = 0; j < n->pool4_count; j++) {
		const struct pool4_entry *p = &n->pool4[j];

		if (p->l4 == b->l4 && prefix4_contains(&p->prefix, &b->addr4) &&
		    b->port4 >= p->port_min && b->port4 <= p->port_max)
			return true;
	}
	return false;
}

/*
 * NAT64 (RFC 6146): on the IPv4 side, the NAT64's own addresses, pool4
 * and the static bindings' (packets to them, replies and ICMP errors
 * about what it sent, are its business). Addresses routed to the router
 * are queued whole; on the router's own addresses only pool4's ports and
 * the static bindings' (the rules that match `--dst-type LOCAL`).
 */
static void rules_add_nat64(struct rules_plan *plan, const struct config *cfg,
			    const struct daemon_conf *dc)
{
	const struct config_nat64 *n = &cfg->nat64;
	char buf[PREFIX4_STRLEN], a4[INET_ADDRSTRLEN];

	if (cfg->mode != CONFIG_MODE_NAT64)
		return;
	for (size_t i = 0; i < n->pool4_count; i++)
		if (!rules_pool4_seen(n, i))
			rules_add_nat64_dst(plan, cfg->iface4,
				prefix4_str(&n->pool4[i].prefix, buf), dc);
	for (size_t i = 0; i < n->bib_count; i++) {
		if (rules_bib_seen(n, i))
			continue;
		inet_ntop(AF_INET, &n->bib[i].addr4, a4, sizeof(a4));
		snprintf(buf, sizeof(buf), "%s/32", a4);
		rules_add_nat64_dst(plan, cfg->iface4, buf, dc);
	}
	for (size_t i = 0; i < n->pool4_count; i++)
		rules_add_local_ports(plan, cfg->iface4,
				      prefix4_str(&n->pool4[i].prefix, buf),
				      n->pool4[i].l4, n->pool4[i].port_min,
				      n->pool4[i].port_max, dc);
	for (size_t i = 0; i < n->bib_count; i++) {
		if (rules_bib_port_seen(n, i))
			continue;
		inet_ntop(AF_INET, &n->bib[i].addr4, a4, sizeof(a4));
		snprintf(buf, sizeof(buf), "%s/32", a4);
		rules_add_local_ports(plan, cfg->iface4, buf, n->bib[i].l4,
				      n->bib[i].port4, n->bib[i].port4, dc);
	}
}

int rules_build(const struct config *cfg, const struct daemon_conf *dc,
		struct rules_plan *plan, char *err, size_t errlen)
{
	char buf[PREFIX6_STRLEN];
	size_t i, dsts;

	memset(plan, 0, sizeof(*plan));
	rules_chain_name(dc, plan->chain);
	dsts = (cfg->pool6_set ? 1 : 0) + 2 * cfg->eamt_count +
	       dc->translate4_count;
	/* NAT64 addresses: two rules, the local ICMP one, the local ports. */
	if (cfg->mode == CONFIG_MODE_NAT64)
		dsts += 2 * (cfg->nat64.pool4_count + cfg->nat64.bib_count);
	/* The spread chains: HMARK, one rule per worker, the fallback. */
	if (dc->workers > 1)
		dsts += 2 * 2 * ((size_t)dc->workers + 2);
	plan->rule = calloc(dsts ? 2 * dsts : 1, sizeof(*plan->rule));
	if (!plan->rule) {
		snprintf(err, errlen, "rules: out of memory");
		return -1;
	}
	for (int family = 4; dc->workers > 1 && family <= 6; family += 2) {
		rules_add_spread(plan, family, RULES_SUB_TCP, dc);
		rules_add_spread(plan, family, RULES_SUB_OTHER, dc);
	}
	if (cfg->pool6_set)
		rules_add_dst(plan, 6, cfg->iface6,
			      prefix6_str(&cfg->pool6, buf), dc);
	for (i = 0; i < cfg->eamt_count; i++)
		rules_add_dst(plan, 6, cfg->iface6,
			      prefix6_str(&cfg->eamt[i].p6, buf), dc);
	for (i = 0; i < cfg->eamt_count; i++)
		rules_add_dst(plan, 4, cfg->iface4,
			      prefix4_str(&cfg->eamt[i].p4, buf), dc);
	rules_add_nat64(plan, cfg, dc);
	for (i = 0; i < dc->translate4_count; i++)
		rules_add_dst(plan, 4, cfg->iface4,
			      prefix4_str(&dc->translate4[i], buf), dc);
	return 0;
}

void rules_free(struct rules_plan *plan)
{
	free(plan->rule);
	memset(plan, 0, sizeof(*plan));
}

size_t rules_count_family(const struct rules_plan *plan, int family)
{
	size_t i, n = 0;

	for (i = 0; i < plan->count; i++)
		n += plan->rule[i].family == family &&
		     plan->rule[i].sub == RULES_SUB_NONE;
	return n;
}

bool rules_equal(const struct rules_plan *a, const struct rules_plan *b)
{
	return a->count == b->count &&
	       !memcmp(a->rule, b->rule, a->count * sizeof(*a->rule));
}

void rules_chain_name(const struct daemon_conf *dc,
		      char out[RULES_CHAIN_LEN])
{
	snprintf(out, RULES_CHAIN_LEN, "XLAT-%u-%u", dc->queue_tcp,
		 dc->queue_other);
}

/* A line of `-S` output without its line end. */
static bool rules_line_is(const char *line, size_t len, const char *want)
{
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	return len == strlen(want) && !memcmp(line, want, len);
}

void rules_scan(const char *listing, const char *chain, struct rules_seen *s)
{
	char decl[RULES_CHAIN_LEN + 8], jump[RULES_CHAIN_LEN + 32];
	char rule[RULES_CHAIN_LEN + 8], sub[RULES_SUB_MAX][RULES_CHAIN_LEN + 8];

	memset(s, 0, sizeof(*s));
	for (int k = RULES_SUB_TCP; k < RULES_SUB_MAX; k++) {
		char name[RULES_CHAIN_LEN];

		rules_sub_name(chain, (enum rules_sub)k, name);
		snprintf(sub[k], sizeof(sub[k]), "-N %s", name);
	}
	snprintf(decl, sizeof(decl), "-N %s", chain);
	snprintf(jump, sizeof(jump), "-A PREROUTING -j %s", chain);
	snprintf(rule, sizeof(rule), "-A %s ", chain);
	while (*listing) {
		size_t len = strcspn(listing, "\n");

		for (int k = RULES_SUB_TCP; k < RULES_SUB_MAX; k++)
			if (rules_line_is(listing, len, sub[k]))
				s->sub[k] = true;
		if (rules_line_is(listing, len, decl))
			s->exists = true;
		else if (rules_line_is(listing, len, jump))
			s->jumps++;
		else if (len > strlen(rule) &&
			 !memcmp(listing, rule, strlen(rule)))
			s->rules++;
		listing += len + (listing[len] == '\n');
	}
}

/* Whether the plan has rules in spread chain sub. */
static bool rules_has_sub(const struct rules_plan *plan, enum rules_sub sub)
{
	for (size_t r = 0; r < plan->count; r++)
		if (plan->rule[r].sub == sub)
			return true;
	return false;
}

void rules_restore_text(const struct rules_plan *plan, int family,
			const struct rules_seen *seen, FILE *f)
{
	char name[RULES_SUB_MAX][RULES_CHAIN_LEN];
	bool used[RULES_SUB_MAX];
	unsigned int i;
	int k;

	/* Declaring a chain that exists flushes it under --noflush (legacy
	 * and nft alike); the explicit -F says so to the reader. The spread
	 * chains come first: the main chain jumps to them. */
	fputs("*raw\n", f);
	for (k = RULES_SUB_MAX - 1; k >= 0; k--) {
		rules_sub_name(plan->chain, (enum rules_sub)k, name[k]);
		used[k] = k == RULES_SUB_NONE ||
			  rules_has_sub(plan, (enum rules_sub)k);
		if (used[k])
			fprintf(f, ":%s - [0:0]\n-F %s\n", name[k], name[k]);
	}
	for (k = RULES_SUB_MAX - 1; k >= 0; k--) {
		for (size_t r = 0; r < plan->count; r++) {
			const struct rule *ru = &plan->rule[r];

			if (ru->family != family || (int)ru->sub != k)
				continue;
			fprintf(f, "-A %s", name[k]);
			for (int a = 0; a < ru->argc; a++)
				fprintf(f, " %s", ru->argv[a]);
			fputc('\n', f);
		}
	}
	/* Spread chains a crashed run with more workers left: the main
	 * chain, flushed above, no longer jumps to them. */
	for (k = RULES_SUB_TCP; k < RULES_SUB_MAX; k++)
		if (seen->sub[k] && !used[k])
			fprintf(f, "-F %s\n-X %s\n", name[k], name[k]);
	if (!seen->jumps)
		fprintf(f, "-A PREROUTING -j %s\n", plan->chain);
	for (i = 1; i < seen->jumps; i++)
		fprintf(f, "-D PREROUTING -j %s\n", plan->chain);
	fputs("COMMIT\n", f);
}

void rules_remove_text(const char *chain, const struct rules_seen *seen,
		       FILE *f)
{
	unsigned int i;

	fputs("*raw\n", f);
	for (i = 0; i < seen->jumps; i++)
		fprintf(f, "-D PREROUTING -j %s\n", chain);
	if (seen->exists)
		fprintf(f, "-F %s\n-X %s\n", chain, chain);
	/* After the main chain, which jumps to them. */
	for (int k = RULES_SUB_TCP; k < RULES_SUB_MAX; k++) {
		char name[RULES_CHAIN_LEN];

		if (!seen->sub[k])
			continue;
		rules_sub_name(chain, (enum rules_sub)k, name);
		fprintf(f, "-F %s\n-X %s\n", name, name);
	}
	fputs("COMMIT\n", f);
}

void rules_print(const struct rules_plan *plan, FILE *f)
{
	static const struct rules_seen one = { .exists = true, .jumps = 1 };
	int family;

	fprintf(f, "# chain %s in the raw table, jumped to once from "
		"PREROUTING\n# (`transctl rules --flush` removes both)\n",
		plan->chain);
	for (family = 4; family <= 6; family += 2) {
		const char *bin = family == 4 ? plan->bin4 : plan->bin6;

		if (!bin[0])
			bin = family == 4 ? "iptables" : "ip6tables";
		fprintf(f, "%s-restore -w %s --noflush <<'EOF'\n", bin,
			RULES_LOCK_WAIT);
		rules_restore_text(plan, family, &one, f);
		fprintf(f, "EOF\n%s -w %s -t raw -C PREROUTING -j %s "
			"2>/dev/null ||\n\t%s -w %s -t raw -A PREROUTING -j %s\n",
			bin, RULES_LOCK_WAIT, plan->chain, bin,
			RULES_LOCK_WAIT, plan->chain);
	}
}
