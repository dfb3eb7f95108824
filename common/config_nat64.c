// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stateful NAT64 directives (RFC 6146): pool4, static BIB entries,
 * session timeouts, filtering and limits. Names follow Jool's (Jool has
 * no max-sessions-per-prefix nor host-prefix-length: ours). The rows
 * are walked after those of config_table.c by the parser and the writer.
 *
 * Scalar settings are written back only in mode nat64 or when they differ
 * from their defaults, so that an SIIT configuration reads as before.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "config_table.h"

#define FIELD(f) offsetof(struct config, nat64.f)

/* RFC 6146 section 4 (and RFC 5382/4787 for the TCP and UDP floors). */
#define NAT64_TCP_EST_DEFAULT	7200u
#define NAT64_TCP_TRANS_DEFAULT	240u
#define NAT64_TCP_SYN_DEFAULT	6u
#define NAT64_UDP_DEFAULT	300u
#define NAT64_UDP_MIN		120u	/* RFC 6146 3.5.1: "MUST NOT be less" */
#define NAT64_ICMP_DEFAULT	60u
#define NAT64_TIMEOUT_MAX	(30u * 24 * 3600)
#define NAT64_STORED_DEFAULT	10u
/* Widest pool4 prefix: 65536 addresses are more than any NAT64 lends. */
#define POOL4_MIN_PREFIX	16
/* Port blocks (RFC 7422): blocks per customer and protocol, largest. */
#define NAT64_BLOCKS_PER_HOST_DEFAULT	4u
#define NAT64_BLOCK_SIZE_MAX		32768u

static const char *const l4_names[CONFIG_L4_COUNT] = {
	[CONFIG_L4_TCP] = "tcp",
	[CONFIG_L4_UDP] = "udp",
	[CONFIG_L4_ICMP] = "icmp",
};

const char *config_l4_name(enum config_l4 l4)
{
	return (unsigned int)l4 < CONFIG_L4_COUNT ? l4_names[l4] : "?";
}

static int l4_parse(const char *s, enum config_l4 *out)
{
	for (int i = 0; i < CONFIG_L4_COUNT; i++) {
		if (strcmp(s, l4_names[i]) == 0) {
			*out = (enum config_l4)i;
			return 0;
		}
	}
	return -1;
}

void config_nat64_init(struct config_nat64 *n)
{
	memset(n, 0, sizeof(*n));
	n->tcp_est_timeout = NAT64_TCP_EST_DEFAULT;
	n->tcp_trans_timeout = NAT64_TCP_TRANS_DEFAULT;
	n->tcp_incoming_syn_timeout = NAT64_TCP_SYN_DEFAULT;
	n->udp_timeout = NAT64_UDP_DEFAULT;
	n->icmp_timeout = NAT64_ICMP_DEFAULT;
	n->source_icmpv6_errors_better = true;
	n->max_stored_packets = NAT64_STORED_DEFAULT;
	n->host_prefix_len = NAT64_HOST_PREFIX_DEFAULT;
	n->pool4_blocks_per_host = NAT64_BLOCKS_PER_HOST_DEFAULT;
}

/* Whether a scalar is worth writing (see the comment at the top). */
static bool nat64_write_wanted(const struct config *cfg, bool is_default)
{
	return cfg->mode == CONFIG_MODE_NAT64 || !is_default;
}

/* --- scalars ----------------------------------------------------------- */

/* d->flag holds the default, for the writer. */
static int apply_num(struct config *cfg, const struct config_directive *d,
		     char **argv, char *err, size_t errlen)
{
	int ret;
	uint32_t v;

	ret = config_parse_u32(argv[0], &v);
	if (ret == -1)
		return config_fail(err, errlen, "%s: '%s' is not a number",
				   d->name, argv[0]);
	if (ret == -2 || v < d->min || v > d->max)
		return config_fail(err, errlen, "%s: %s is out of range %u..%u",
				   d->name, argv[0], d->min, d->max);
	*(uint32_t *)((char *)cfg + d->off) = v;
	return 0;
}

static void write_num(const struct config *cfg,
		      const struct config_directive *d, FILE *f)
{
	uint32_t v = *(const uint32_t *)((const char *)cfg + d->off);

	if (nat64_write_wanted(cfg, v == d->flag))
		fprintf(f, "%s %u\n", d->name, v);
}

void config_write_nat64_bool(const struct config *cfg,
			     const struct config_directive *d, FILE *f)
{
	bool v = *(const bool *)((const char *)cfg + d->off);

	if (nat64_write_wanted(cfg, v == (d->flag != 0)))
		fprintf(f, "%s %s\n", d->name, v ? "yes" : "no");
}

/* --- pool4 ------------------------------------------------------------- */

/* "N" or "N-M", N <= M, both 0..65535. */
static int ports_parse(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16], *dash;
	uint32_t a, b;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (config_parse_u32(buf, &a) != 0)
		return -1;
	b = a;
	if (dash && config_parse_u32(dash + 1, &b) != 0)
		return -1;
	if (a > 65535 || b > 65535 || a > b)
		return -1;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static bool pool4_overlap(const struct pool4_entry *a,
			  const struct pool4_entry *b)
{
	return a->l4 == b->l4 && prefix4_overlaps(&a->prefix, &b->prefix) &&
	       a->port_min <= b->port_max && b->port_min <= a->port_max;
}

static int pool4_add(struct config *cfg, const struct config_directive *d,
		     const struct pool4_entry *e, char *err, size_t errlen)
{
	struct config_nat64 *n = &cfg->nat64;
	char b4[PREFIX4_STRLEN];
	struct pool4_entry *grown;

	for (size_t i = 0; i < n->pool4_count; i++)
		if (pool4_overlap(&n->pool4[i], e))
			return config_fail(err, errlen,
					   "%s: %s %u-%u %s overlaps an earlier entry",
					   d->name, prefix4_str(&e->prefix, b4),
					   e->port_min, e->port_max,
					   config_l4_name(e->l4));
	grown = realloc(n->pool4, (n->pool4_count + 1) * sizeof(*grown));
	if (!grown)
		return config_fail(err, errlen, "%s: out of memory", d->name);
	n->pool4 = grown;
	n->pool4[n->pool4_count++] = *e;
	return 0;
}

/* pool4 PREFIX [PORTS] [tcp|udp|icmp]: without a protocol, all three. */
static int apply_pool4(struct config *cfg, const struct config_directive *d,
		       char **argv, char *err, size_t errlen)
{
	struct pool4_entry e = { .port_min = 0 };
	const char *ports = NULL, *proto = NULL;
	bool given;
	int first = 0, last = CONFIG_L4_COUNT - 1;

	if (prefix4_parse(argv[0], &e.prefix) != 0)
		return config_fail(err, errlen, "%s: bad IPv4 prefix '%s'",
				   d->name, argv[0]);
	if (e.prefix.len < POOL4_MIN_PREFIX)
		return config_fail(err, errlen,
				   "%s: '%s' is too wide (at most /%d)",
				   d->name, argv[0], POOL4_MIN_PREFIX);
	/* argv ends with NULL after the arguments given. */
	if (argv[1] && l4_parse(argv[1], &e.l4) == 0)
		proto = argv[1];
	else if (argv[1])
		ports = argv[1];
	if (argv[1] && argv[2]) {
		if (proto)
			return config_fail(err, errlen,
					   "%s: extra argument '%s'", d->name,
					   argv[2]);
		proto = argv[2];
	}
	if (proto && l4_parse(proto, &e.l4) != 0)
		return config_fail(err, errlen,
				   "%s: '%s' is not tcp, udp or icmp", d->name,
				   proto);
	if (ports && ports_parse(ports, &e.port_min, &e.port_max) != 0)
		return config_fail(err, errlen,
				   "%s: bad port range '%s' (N or N-M, 0..65535)",
				   d->name, ports);
	given = ports != NULL;
	if (proto)
		first = last = (int)e.l4;
	for (int l4 = first; l4 <= last; l4++) {
		e.l4 = (enum config_l4)l4;
		if (!given) {
			/* Port 0 is no port; identifier 0 is an identifier. */
			e.port_min = l4 == CONFIG_L4_ICMP ? 0 : 1;
			e.port_max = 65535;
		}
		if (pool4_add(cfg, d, &e, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static void write_pool4(const struct config *cfg,
			const struct config_directive *d, FILE *f)
{
	char b4[PREFIX4_STRLEN];

	for (size_t i = 0; i < cfg->nat64.pool4_count; i++) {
		const struct pool4_entry *e = &cfg->nat64.pool4[i];

		fprintf(f, "%s %s %u-%u %s\n", d->name,
			prefix4_str(&e->prefix, b4), e->port_min, e->port_max,
			config_l4_name(e->l4));
	}
}

/* --- static BIB -------------------------------------------------------- */

/* "ADDR#PORT" of either family; *is6 tells which. */
static int taddr_parse(const char *s, bool *is6, void *addr, uint16_t *port)
{
	char buf[INET6_ADDRSTRLEN + 8], *hash;
	uint32_t p;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	hash = strrchr(buf, '#');
	if (!hash)
		return -1;
	*hash = '\0';
	if (config_parse_u32(hash + 1, &p) != 0 || p > 65535)
		return -1;
	*is6 = strchr(buf, ':') != NULL;
	if (inet_pton(*is6 ? AF_INET6 : AF_INET, buf, addr) != 1)
		return -1;
	*port = (uint16_t)p;
	return 0;
}

static int bib_check(const struct config *cfg, const struct config_directive *d,
		     const struct bib_static_entry *e, char *err, size_t errlen)
{
	for (size_t i = 0; i < cfg->nat64.bib_count; i++) {
		const struct bib_static_entry *o = &cfg->nat64.bib[i];

		if (o->l4 != e->l4)
			continue;
		if ((o->addr4.s_addr == e->addr4.s_addr &&
		     o->port4 == e->port4) ||
		    (!memcmp(&o->addr6, &e->addr6, sizeof(o->addr6)) &&
		     o->port6 == e->port6))
			return config_fail(err, errlen,
					   "%s: %s entry shares an address and port with an earlier one",
					   d->name, config_l4_name(e->l4));
	}
	return 0;
}

/* bib PROTO IPV4#PORT IPV6#PORT, the two in either order. */
static int apply_bib(struct config *cfg, const struct config_directive *d,
		     char **argv, char *err, size_t errlen)
{
	struct bib_static_entry e, *grown;
	struct in6_addr a[2];
	uint16_t port[2];
	bool is6[2];

	memset(&e, 0, sizeof(e));
	if (l4_parse(argv[0], &e.l4) != 0)
		return config_fail(err, errlen,
				   "%s: '%s' is not tcp, udp or icmp", d->name,
				   argv[0]);
	for (int i = 0; i < 2; i++)
		if (taddr_parse(argv[1 + i], &is6[i], &a[i], &port[i]) != 0)
			return config_fail(err, errlen,
					   "%s: bad transport address '%s' (ADDR#PORT)",
					   d->name, argv[1 + i]);
	if (is6[0] == is6[1])
		return config_fail(err, errlen,
				   "%s: needs one IPv4 and one IPv6 transport address",
				   d->name);
	memcpy(&e.addr4, &a[is6[0] ? 1 : 0], sizeof(e.addr4));
	e.port4 = port[is6[0] ? 1 : 0];
	e.addr6 = a[is6[0] ? 0 : 1];
	e.port6 = port[is6[0] ? 0 : 1];
	if (bib_check(cfg, d, &e, err, errlen) != 0)
		return -1;
	grown = realloc(cfg->nat64.bib,
			(cfg->nat64.bib_count + 1) * sizeof(*grown));
	if (!grown)
		return config_fail(err, errlen, "%s: out of memory", d->name);
	cfg->nat64.bib = grown;
	cfg->nat64.bib[cfg->nat64.bib_count++] = e;
	return 0;
}

static void write_bib(const struct config *cfg,
		      const struct config_directive *d, FILE *f)
{
	char b4[INET_ADDRSTRLEN], b6[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < cfg->nat64.bib_count; i++) {
		const struct bib_static_entry *e = &cfg->nat64.bib[i];

		fprintf(f, "%s %s %s#%u %s#%u\n", d->name,
			config_l4_name(e->l4),
			inet_ntop(AF_INET, &e->addr4, b4, sizeof(b4)), e->port4,
			inet_ntop(AF_INET6, &e->addr6, b6, sizeof(b6)),
			e->port6);
	}
}

/* --- the table --------------------------------------------------------- */

/* The default sits in the row's flag member, for the writers. */
#define TIMEOUT(n, f, lo, def, h) \
	{ n, NULL, "SECONDS", 1, apply_num, write_num, FIELD(f), def, lo, \
	  NAT64_TIMEOUT_MAX, h }
#define LIMIT(n, f, def, h) \
	{ n, NULL, "N", 1, apply_num, write_num, FIELD(f), def, 0, \
	  UINT32_MAX, h }
#define FLAG(n, f, def, h) \
	{ n, NULL, "yes|no", 1, config_apply_bool, config_write_nat64_bool, \
	  FIELD(f), def, 0, 0, h }

const struct config_directive config_nat64_directives[] = {
	{ "pool4", NULL, "PREFIX [PORTS] [tcp|udp|icmp]", 1, apply_pool4,
	  write_pool4, 0, 0, 0, 0,
	  "NAT64 IPv4 addresses and ports (repeatable; default all protocols, ports 1-65535, ICMP ids 0-65535)" },
	{ "pool4-deterministic", NULL,
	  "V6PREFIX V4PREFIX PORTS [FIRST-PORT] [HOST-LENGTH]", 3,
	  config_apply_det, config_write_det, 0, 0, 0, 0,
	  "NAT64 customers mapped by a function to an IPv4 address and a port block each (repeatable; after its pool4 lines)" },
	{ "bib", NULL, "tcp|udp|icmp IPV4#PORT IPV6#PORT", 3, apply_bib,
	  write_bib, 0, 0, 0, 0, "static NAT64 binding (repeatable)" },
	TIMEOUT("tcp-est-timeout", tcp_est_timeout, 1, NAT64_TCP_EST_DEFAULT,
		"idle lifetime of established TCP sessions (7200)"),
	TIMEOUT("tcp-trans-timeout", tcp_trans_timeout, 1,
		NAT64_TCP_TRANS_DEFAULT,
		"lifetime of opening and closing TCP sessions (240)"),
	TIMEOUT("tcp-incoming-syn-timeout", tcp_incoming_syn_timeout, 1,
		NAT64_TCP_SYN_DEFAULT,
		"how long an IPv4 SYN without a binding waits for an IPv6 SYN (6)"),
	TIMEOUT("udp-timeout", udp_timeout, NAT64_UDP_MIN, NAT64_UDP_DEFAULT,
		"idle lifetime of UDP sessions (300, at least 120)"),
	TIMEOUT("icmp-timeout", icmp_timeout, 1, NAT64_ICMP_DEFAULT,
		"idle lifetime of ICMP query sessions (60)"),
	FLAG("address-dependent-filtering", address_dependent_filtering, 0,
	     "let IPv4 packets in only from addresses the IPv6 host talked to"),
	FLAG("drop-externally-initiated-tcp", drop_externally_initiated_tcp, 0,
	     "drop IPv4 SYNs that no IPv6 host asked for"),
	FLAG("source-icmpv6-errors-better", source_icmpv6_errors_better, 1,
	     "translated ICMPv6 errors come from the ICMPv4 error's source"),
	LIMIT("max-bib-entries", max_bib_entries, 0,
	      "most NAT64 bindings (0: no limit)"),
	LIMIT("max-sessions", max_sessions, 0,
	      "most NAT64 sessions (0: no limit)"),
	LIMIT("max-sessions-per-host", max_sessions_per_host, 0,
	      "most sessions of one IPv6 address (0: no limit)"),
	LIMIT("max-sessions-per-prefix", max_sessions_per_prefix, 0,
	      "most sessions of one IPv6 prefix of host-prefix-length bits (0: no limit)"),
	{ "host-prefix-length", NULL, "BITS", 1, apply_num, write_num,
	  FIELD(host_prefix_len), NAT64_HOST_PREFIX_DEFAULT, 1, 128,
	  "IPv6 prefix length of one customer, for max-sessions-per-prefix (64)" },
	{ "maximum-simultaneous-opens", NULL, "N", 1, apply_num, write_num,
	  FIELD(max_stored_packets), NAT64_STORED_DEFAULT, 0, 65535,
	  "IPv4 SYNs without a binding kept waiting at once (10)" },
	/* Logging and port blocks (docs/nat-logging.md). */
	FLAG("logging-bib", logging_bib, 0,
	     "log each binding made and removed (each port block with pool4-block-size)"),
	FLAG("logging-session", logging_session, 0,
	     "log each session made and removed"),
	FLAG("logging-debug", logging_debug, 0,
	     "log NAT64 refusals and drops (rate-limited)"),
	{ "pool4-block-size", NULL, "PORTS", 1, apply_num, write_num,
	  FIELD(pool4_block_size), 0, 0, NAT64_BLOCK_SIZE_MAX,
	  "ports of a block lent to one host-prefix-length prefix per protocol (0: no blocks)" },
	{ "pool4-blocks-per-host", NULL, "N", 1, apply_num, write_num,
	  FIELD(pool4_blocks_per_host), NAT64_BLOCKS_PER_HOST_DEFAULT, 1,
	  65535, "most port blocks of one prefix per protocol (4)" },
};

const size_t config_nat64_directives_count =
	sizeof(config_nat64_directives) / sizeof(config_nat64_directives[0]);
