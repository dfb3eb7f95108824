// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration directives: one row each, with the handler that
 * applies it and the one that writes it back (see config_table.h).
 * Directive names follow Jool's so that setups written for it (e.g. the
 * conformance suite) carry over unchanged.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_table.h"

#define FIELD(f) offsetof(struct config, f)

int config_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *config_dname(const struct config_directive *d, char *buf,
			 size_t len)
{
	if (!d->sub)
		return d->name;
	snprintf(buf, len, "%s %s", d->name, d->sub);
	return buf;
}

/* --- value parsers --------------------------------------------------- */

/*
 * Decimal digits only: no sign, no blanks, no hex. Returns -1 for what is
 * not a number, -2 for a number too large for 32 bits.
 */
int config_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (const char *c = s; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	for (; *s; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -2;
	}
	*out = (uint32_t)v;
	return 0;
}

static const struct {
	const char *word;
	bool value;
} bool_words[] = {
	{ "yes", true }, { "no", false },
	{ "true", true }, { "false", false },
	{ "on", true }, { "off", false },
	{ "1", true }, { "0", false },
};

int config_parse_bool(const char *s, bool *out)
{
	for (size_t i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]);
	     i++) {
		if (strcasecmp(s, bool_words[i].word) == 0) {
			*out = bool_words[i].value;
			return 0;
		}
	}
	return -1;
}

/* "none" clears an optional prefix; "null" is Jool's spelling of it. */
static bool is_none(const char *s)
{
	return strcmp(s, "none") == 0 || strcmp(s, "null") == 0;
}

/* --- generic handlers ------------------------------------------------ */

int config_apply_bool(struct config *cfg, const struct config_directive *d,
		      char **argv, char *err, size_t errlen)
{
	bool *field = (bool *)((char *)cfg + d->off);

	if (config_parse_bool(argv[0], field) != 0)
		return config_fail(err, errlen,
				   "%s: '%s' is not a boolean (yes/no)",
				   d->name, argv[0]);
	return 0;
}

void config_write_bool(const struct config *cfg,
		       const struct config_directive *d, FILE *f)
{
	const bool *field = (const bool *)((const char *)cfg + d->off);

	fprintf(f, "%s %s\n", d->name, *field ? "yes" : "no");
}

static int parse_ranged(const struct config_directive *d, const char *s,
			uint32_t *v, char *err, size_t errlen)
{
	int ret = config_parse_u32(s, v);
	char nb[64];

	if (ret == -1)
		return config_fail(err, errlen, "%s: '%s' is not a number",
				   config_dname(d, nb, sizeof(nb)), s);
	if (ret == -2 || *v < d->min || *v > d->max)
		return config_fail(err, errlen, "%s: %s is out of range %u..%u",
				   config_dname(d, nb, sizeof(nb)), s, d->min,
				   d->max);
	return 0;
}

static int apply_u32(struct config *cfg, const struct config_directive *d,
		     char **argv, char *err, size_t errlen)
{
	uint32_t v;

	if (parse_ranged(d, argv[0], &v, err, errlen) != 0)
		return -1;
	*(uint32_t *)((char *)cfg + d->off) = v;
	return 0;
}

/* 0 means "not set" for every u32 field (their ranges exclude it). */
static void write_u32(const struct config *cfg,
		      const struct config_directive *d, FILE *f)
{
	uint32_t v = *(const uint32_t *)((const char *)cfg + d->off);
	char nb[64];

	if (v != 0)
		fprintf(f, "%s %u\n", config_dname(d, nb, sizeof(nb)), v);
}

static int apply_u8(struct config *cfg, const struct config_directive *d,
		    char **argv, char *err, size_t errlen)
{
	uint32_t v;

	if (parse_ranged(d, argv[0], &v, err, errlen) != 0)
		return -1;
	*((uint8_t *)cfg + d->off) = (uint8_t)v;
	return 0;
}

static void write_u8(const struct config *cfg,
		     const struct config_directive *d, FILE *f)
{
	fprintf(f, "%s %u\n", d->name,
		(unsigned int)*((const uint8_t *)cfg + d->off));
}

/* --- specific handlers ----------------------------------------------- */

static const char *const mode_names[] = {
	[CONFIG_MODE_SIIT] = "siit",
	[CONFIG_MODE_NAT64] = "nat64",
};

static int apply_mode(struct config *cfg, const struct config_directive *d,
		      char **argv, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]);
	     i++) {
		if (strcmp(argv[0], mode_names[i]) != 0)
			continue;
		if (i == CONFIG_MODE_NAT64 && cfg->eamt_count)
			return config_fail(err, errlen, "%s: %zu eamt line(s) "
					   "before this: %s", d->name,
					   cfg->eamt_count, CONFIG_EAMT_NOT_NAT64);
		cfg->mode = (enum config_mode)i;
		return 0;
	}
	return config_fail(err, errlen, "%s: '%s' is not siit or nat64",
			   d->name, argv[0]);
}

static void write_mode(const struct config *cfg,
		       const struct config_directive *d, FILE *f)
{
	fprintf(f, "%s %s\n", d->name, mode_names[cfg->mode]);
}

static int get_prefix6(const struct config_directive *d, const char *s,
		       struct prefix6 *p, char *err, size_t errlen)
{
	if (prefix6_parse(s, p) != 0)
		return config_fail(err, errlen, "%s: bad IPv6 prefix '%s'",
				   d->name, s);
	return 0;
}

static int get_prefix4(const struct config_directive *d, const char *s,
		       struct prefix4 *p, char *err, size_t errlen)
{
	if (prefix4_parse(s, p) != 0)
		return config_fail(err, errlen, "%s: bad IPv4 prefix '%s'",
				   d->name, s);
	return 0;
}

/*
 * Optional values (prefixes, own addresses): the value lives at d->off and
 * its "_set" flag at d->flag; v == NULL clears both.
 */
static int set_opt(struct config *cfg, const struct config_directive *d,
		   const void *v, size_t size)
{
	if (v)
		memcpy((char *)cfg + d->off, v, size);
	else
		memset((char *)cfg + d->off, 0, size);
	*(bool *)((char *)cfg + d->flag) = v != NULL;
	return 0;
}

static bool opt_is_set(const struct config *cfg,
		       const struct config_directive *d)
{
	return *(const bool *)((const char *)cfg + d->flag);
}

static const void *opt_value(const struct config *cfg,
			     const struct config_directive *d)
{
	return (const char *)cfg + d->off;
}

static int apply_prefix4(struct config *cfg, const struct config_directive *d,
			 char **argv, char *err, size_t errlen)
{
	struct prefix4 p;

	if (is_none(argv[0]))
		return set_opt(cfg, d, NULL, sizeof(p));
	if (get_prefix4(d, argv[0], &p, err, errlen) != 0)
		return -1;
	return set_opt(cfg, d, &p, sizeof(p));
}

static int apply_prefix6(struct config *cfg, const struct config_directive *d,
			 char **argv, char *err, size_t errlen)
{
	struct prefix6 p;

	if (is_none(argv[0]))
		return set_opt(cfg, d, NULL, sizeof(p));
	if (get_prefix6(d, argv[0], &p, err, errlen) != 0)
		return -1;
	return set_opt(cfg, d, &p, sizeof(p));
}

/* pool6 is an optional prefix6 that RFC 6052 section 2.2 constrains. */
static int apply_pool6(struct config *cfg, const struct config_directive *d,
		       char **argv, char *err, size_t errlen)
{
	struct prefix6 p;

	if (is_none(argv[0]))
		return apply_prefix6(cfg, d, argv, err, errlen);
	if (get_prefix6(d, argv[0], &p, err, errlen) != 0)
		return -1;
	if (!rfc6052_len_valid(p.len))
		return config_fail(err, errlen,
				   "%s: '%s': length must be 32, 40, 48, 56, 64 or 96 (RFC 6052 section 2.2)",
				   d->name, argv[0]);
	/* Bits 64-71 "MUST be set to zero"; only a /96 prefix covers them. */
	if (p.addr.s6_addr[8] != 0)
		return config_fail(err, errlen,
				   "%s: '%s': bits 64-71 must be zero (RFC 6052 section 2.2)",
				   d->name, argv[0]);
	return set_opt(cfg, d, &p, sizeof(p));
}

static void write_prefix4(const struct config *cfg,
			  const struct config_directive *d, FILE *f)
{
	char buf[PREFIX4_STRLEN];

	fprintf(f, "%s %s\n", d->name,
		opt_is_set(cfg, d) ? prefix4_str(opt_value(cfg, d), buf)
				   : "none");
}

static void write_prefix6(const struct config *cfg,
			  const struct config_directive *d, FILE *f)
{
	char buf[PREFIX6_STRLEN];

	fprintf(f, "%s %s\n", d->name,
		opt_is_set(cfg, d) ? prefix6_str(opt_value(cfg, d), buf)
				   : "none");
}

/*
 * Prefixes a message of config_lists.c with the directive's name. The
 * prefixes may come in either order (Jool's "eamt add" takes v4 first).
 */
static int apply_eamt(struct config *cfg, const struct config_directive *d,
		      char **argv, char *err, size_t errlen)
{
	int i6 = strchr(argv[0], ':') ? 0 : 1;
	char msg[256];
	struct eamt_entry e;

	if (get_prefix6(d, argv[i6], &e.p6, err, errlen) != 0 ||
	    get_prefix4(d, argv[1 - i6], &e.p4, err, errlen) != 0)
		return -1;
	if (config_eamt_insert(cfg, cfg->eamt_count, &e, msg, sizeof(msg)))
		return config_fail(err, errlen, "%s: %s", d->name, msg);
	return 0;
}

static void write_eamt(const struct config *cfg,
		       const struct config_directive *d, FILE *f)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	for (size_t i = 0; i < cfg->eamt_count; i++)
		fprintf(f, "%s %s %s\n", d->name,
			prefix6_str(&cfg->eamt[i].p6, b6),
			prefix4_str(&cfg->eamt[i].p4, b4));
}

static int apply_denylist4(struct config *cfg, const struct config_directive *d,
			   char **argv, char *err, size_t errlen)
{
	struct prefix4 p;
	char msg[256];

	if (get_prefix4(d, argv[0], &p, err, errlen) != 0)
		return -1;
	if (config_deny_insert(cfg, cfg->denylist4_count, &p, msg, sizeof(msg)))
		return config_fail(err, errlen, "%s: %s", d->name, msg);
	return 0;
}

static void write_denylist4(const struct config *cfg,
			    const struct config_directive *d, FILE *f)
{
	char buf[PREFIX4_STRLEN];

	for (size_t i = 0; i < cfg->denylist4_count; i++)
		fprintf(f, "%s %s\n", d->name,
			prefix4_str(&cfg->denylist4[i], buf));
}

/* "address v6" / "address v4": the selector word gives the family. */
static int dir_af(const struct config_directive *d)
{
	return strcmp(d->sub, "v6") == 0 ? AF_INET6 : AF_INET;
}

/*
 * The translator's own address. "ADDR/len" is accepted because that is how
 * interface addresses are usually written; only the address is kept.
 */
static int apply_addr(struct config *cfg, const struct config_directive *d,
		      char **argv, char *err, size_t errlen)
{
	char buf[INET6_ADDRSTRLEN + 5], nb[64];
	struct in6_addr a; /* large enough for either family */
	int af = dir_af(d);
	char *slash;
	uint32_t len;

	if (strlen(argv[0]) >= sizeof(buf))
		goto bad;
	strcpy(buf, argv[0]);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (config_parse_u32(slash + 1, &len) != 0 ||
		    len > (af == AF_INET ? 32u : 128u))
			goto bad;
	}
	if (inet_pton(af, buf, &a) != 1)
		goto bad;
	return set_opt(cfg, d, &a,
		       af == AF_INET ? sizeof(struct in_addr)
				     : sizeof(struct in6_addr));
bad:
	return config_fail(err, errlen, "%s: bad IPv%c address '%s'",
			   config_dname(d, nb, sizeof(nb)),
			   af == AF_INET ? '4' : '6', argv[0]);
}

static void write_addr(const struct config *cfg,
		       const struct config_directive *d, FILE *f)
{
	char buf[INET6_ADDRSTRLEN], nb[64];

	if (opt_is_set(cfg, d))
		fprintf(f, "%s %s\n", config_dname(d, nb, sizeof(nb)),
			inet_ntop(dir_af(d), opt_value(cfg, d), buf,
				  sizeof(buf)));
}

/* Linux interface names: 1..IF_NAMESIZE-1 bytes, no '/' (dev_valid_name). */
static int apply_iface(struct config *cfg, const struct config_directive *d,
		       char **argv, char *err, size_t errlen)
{
	char *field = (char *)cfg + d->off;
	size_t n = strlen(argv[0]);
	char nb[64];

	if (n >= IF_NAMESIZE || strchr(argv[0], '/') ||
	    strcmp(argv[0], ".") == 0 || strcmp(argv[0], "..") == 0)
		return config_fail(err, errlen, "%s: bad interface name '%s'",
				   config_dname(d, nb, sizeof(nb)), argv[0]);
	memcpy(field, argv[0], n + 1);
	return 0;
}

static void write_iface(const struct config *cfg,
			const struct config_directive *d, FILE *f)
{
	const char *field = (const char *)cfg + d->off;
	char nb[64];

	if (field[0] != '\0')
		fprintf(f, "%s %s\n", config_dname(d, nb, sizeof(nb)), field);
}

/* --- the table ------------------------------------------------------- */

/* Row builders, one per kind of value, to keep the table readable. */
#define BOOL(n, f, h) \
	{ n, NULL, "yes|no", 1, config_apply_bool, config_write_bool, \
	  FIELD(f), 0, 0, 0, h }
#define NUM(n, s, f, lo, hi, h) \
	{ n, s, "N", 1, apply_u32, write_u32, FIELD(f), 0, lo, hi, h }
#define PREFIX(n, fam, f, h) \
	{ n, NULL, "PREFIX|none", 1, apply_prefix##fam, write_prefix##fam, \
	  FIELD(f), FIELD(f##_set), 0, 0, h }
#define ADDR(s, f, h) \
	{ "address", s, "ADDR", 1, apply_addr, write_addr, FIELD(f), \
	  FIELD(f##_set), 0, 0, h }
#define IFACE(s, f, h) \
	{ "interface", s, "NAME", 1, apply_iface, write_iface, FIELD(f), \
	  0, 0, 0, h }

const struct config_directive config_directives[] = {
	{ "mode", NULL, "siit|nat64", 1, apply_mode, write_mode, 0, 0, 0, 0,
	  "stateless SIIT (RFC 7915) or stateful NAT64 (RFC 6146)" },
	{ "pool6", NULL, "PREFIX|none", 1, apply_pool6, write_prefix6,
	  FIELD(pool6), FIELD(pool6_set), 0, 0,
	  "RFC 6052 prefix (length 32, 40, 48, 56, 64 or 96)" },
	BOOL("wkp-allow-non-global", wkp_allow_non_global,
	     "translate non-global IPv4 addresses under 64:ff9b::/96 too"),
	{ "eamt", NULL, "PREFIX6 PREFIX4", 2, apply_eamt, write_eamt,
	  0, 0, 0, 0, "RFC 7757 explicit address mapping (repeatable)" },
	{ "denylist4", NULL, "PREFIX", 1, apply_denylist4, write_denylist4,
	  0, 0, 0, 0,
	  "IPv4 addresses never translated through pool6 (repeatable)" },
	PREFIX("rfc6791v4-prefix", 4, rfc6791v4,
	       "RFC 6791 sources for untranslatable ICMPv4 errors"),
	PREFIX("rfc6791v6-prefix", 6, rfc6791v6,
	       "RFC 6791 sources for untranslatable ICMPv6 errors"),
	NUM("lowest-ipv6-mtu", NULL, lowest_ipv6_mtu, 1280, 65535,
	    "size IPv4 packets with DF=0 are fragmented to"),
	BOOL("amend-udp-checksum-zero", amend_udp_checksum_zero,
	     "compute zero IPv4 UDP checksums instead of dropping"),
	BOOL("zeroize-traffic-class", zeroize_traffic_class,
	     "set the IPv6 traffic class to zero"),
	BOOL("override-tos", override_tos, "set the IPv4 TOS to 'tos'"),
	{ "tos", NULL, "N", 1, apply_u8, write_u8, FIELD(tos), 0, 0, 255,
	  "TOS used when override-tos is on" },
	BOOL("mss-clamp", mss_clamp,
	     "lower the TCP MSS of SYNs to fit the translated path"),
	ADDR("v6", addr6, "own IPv6 address (source of ICMPv6 errors)"),
	ADDR("v4", addr4, "own IPv4 address (source of ICMPv4 errors)"),
	NUM("mtu", "v6", mtu6, 1280, 65535,
	    "egress MTU on the IPv6 side (default: from the routes)"),
	NUM("mtu", "v4", mtu4, 68, 65535,
	    "egress MTU on the IPv4 side (default: from the routes)"),
	IFACE("v6", iface6, "IPv6-facing interface"),
	IFACE("v4", iface4, "IPv4-facing interface"),
};

const size_t config_directives_count =
	sizeof(config_directives) / sizeof(config_directives[0]);
