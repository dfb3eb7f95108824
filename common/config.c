// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The line-based configuration file: one "key value..." directive a line,
 * '#' starts a comment. Directive names follow Jool's so that setups
 * written for it (e.g. the conformance suite) carry over unchanged.
 *
 * Every directive is one row of directives[] below, which knows how to
 * apply itself and how to write itself back; config_write() walks the same
 * table, so a written file always parses back to the same config.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"

/* Longest line the parser accepts, without the newline. */
#define CONFIG_LINE_MAX 1023
/* Tokens kept per line: more than any directive needs, to name the extra. */
#define CONFIG_MAX_TOKENS 8
#define CONFIG_MSG_MAX 256
#define BLANKS " \t\r\n\v\f"

struct directive;

typedef int (*apply_fn)(struct config *cfg, const struct directive *d,
			char **argv, char *err, size_t errlen);
typedef void (*write_fn)(const struct config *cfg, const struct directive *d,
			 FILE *f);

struct directive {
	const char *name;
	const char *sub;	/* "v6"/"v4" selector word, or NULL */
	const char *usage;	/* the arguments, for messages and help */
	int nargs;		/* arguments after name (and sub) */
	apply_fn apply;
	write_fn write;
	size_t off;		/* field, for the generic handlers */
	uint32_t min, max;	/* range, for the numeric handlers */
	const char *help;
};

#define FIELD(f) offsetof(struct config, f)

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "mtu v6" rather than "mtu": the name the user typed, for messages. */
static const char *dname(const struct directive *d, char *buf, size_t len)
{
	if (!d->sub)
		return d->name;
	snprintf(buf, len, "%s %s", d->name, d->sub);
	return buf;
}

/* --- value parsers --------------------------------------------------- */

/* Decimal digits only: no sign, no blanks, no hex, no overflow. */
static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -1;
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

static int parse_bool(const char *s, bool *out)
{
	for (size_t i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++) {
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

static int apply_bool(struct config *cfg, const struct directive *d,
		      char **argv, char *err, size_t errlen)
{
	bool *field = (bool *)((char *)cfg + d->off);

	if (parse_bool(argv[0], field) != 0)
		return fail(err, errlen, "%s: '%s' is not a boolean (yes/no)",
			    d->name, argv[0]);
	return 0;
}

static void write_bool(const struct config *cfg, const struct directive *d,
		       FILE *f)
{
	const bool *field = (const bool *)((const char *)cfg + d->off);

	fprintf(f, "%s %s\n", d->name, *field ? "yes" : "no");
}

static int parse_ranged(const struct directive *d, const char *s,
			uint32_t *v, char *err, size_t errlen)
{
	char nb[64];

	if (parse_u32(s, v) != 0)
		return fail(err, errlen, "%s: '%s' is not a number",
			    dname(d, nb, sizeof(nb)), s);
	if (*v < d->min || *v > d->max)
		return fail(err, errlen, "%s: %s is out of range %u..%u",
			    dname(d, nb, sizeof(nb)), s, d->min, d->max);
	return 0;
}

static int apply_u32(struct config *cfg, const struct directive *d,
		     char **argv, char *err, size_t errlen)
{
	uint32_t v;

	if (parse_ranged(d, argv[0], &v, err, errlen) != 0)
		return -1;
	*(uint32_t *)((char *)cfg + d->off) = v;
	return 0;
}

/* 0 means "not set" for every u32 field (their ranges exclude it). */
static void write_u32(const struct config *cfg, const struct directive *d,
		      FILE *f)
{
	uint32_t v = *(const uint32_t *)((const char *)cfg + d->off);
	char nb[64];

	if (v != 0)
		fprintf(f, "%s %u\n", dname(d, nb, sizeof(nb)), v);
}

static int apply_u8(struct config *cfg, const struct directive *d,
		    char **argv, char *err, size_t errlen)
{
	uint32_t v;

	if (parse_ranged(d, argv[0], &v, err, errlen) != 0)
		return -1;
	*((uint8_t *)cfg + d->off) = (uint8_t)v;
	return 0;
}

static void write_u8(const struct config *cfg, const struct directive *d,
		     FILE *f)
{
	fprintf(f, "%s %u\n", d->name,
		(unsigned int)*((const uint8_t *)cfg + d->off));
}

/* --- specific handlers ----------------------------------------------- */

static const char *const mode_names[] = {
	[CONFIG_MODE_SIIT] = "siit",
	[CONFIG_MODE_NAT64] = "nat64",
};

static int apply_mode(struct config *cfg, const struct directive *d,
		      char **argv, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++) {
		if (strcmp(argv[0], mode_names[i]) == 0) {
			cfg->mode = (enum config_mode)i;
			return 0;
		}
	}
	return fail(err, errlen, "%s: '%s' is not siit or nat64", d->name,
		    argv[0]);
}

static void write_mode(const struct config *cfg, const struct directive *d,
		       FILE *f)
{
	fprintf(f, "%s %s\n", d->name, mode_names[cfg->mode]);
}

static int get_prefix6(const struct directive *d, const char *s,
		       struct prefix6 *p, char *err, size_t errlen)
{
	if (prefix6_parse(s, p) != 0)
		return fail(err, errlen, "%s: bad IPv6 prefix '%s'", d->name, s);
	return 0;
}

static int get_prefix4(const struct directive *d, const char *s,
		       struct prefix4 *p, char *err, size_t errlen)
{
	if (prefix4_parse(s, p) != 0)
		return fail(err, errlen, "%s: bad IPv4 prefix '%s'", d->name, s);
	return 0;
}

static int apply_pool6(struct config *cfg, const struct directive *d,
		       char **argv, char *err, size_t errlen)
{
	struct prefix6 p;

	if (is_none(argv[0])) {
		cfg->pool6_set = false;
		memset(&cfg->pool6, 0, sizeof(cfg->pool6));
		return 0;
	}
	if (get_prefix6(d, argv[0], &p, err, errlen) != 0)
		return -1;
	if (!rfc6052_len_valid(p.len))
		return fail(err, errlen,
			    "%s: '%s': length must be 32, 40, 48, 56, 64 or 96 (RFC 6052 section 2.2)",
			    d->name, argv[0]);
	/* RFC 6052 section 2.2: bits 64-71 "MUST be set to zero". */
	if (p.addr.s6_addr[8] != 0)
		return fail(err, errlen,
			    "%s: '%s': bits 64-71 must be zero (RFC 6052 section 2.2)",
			    d->name, argv[0]);
	cfg->pool6 = p;
	cfg->pool6_set = true;
	return 0;
}

static void write_pool6(const struct config *cfg, const struct directive *d,
			FILE *f)
{
	char buf[PREFIX6_STRLEN];

	fprintf(f, "%s %s\n", d->name,
		cfg->pool6_set ? prefix6_str(&cfg->pool6, buf) : "none");
}

static int apply_rfc6791v4(struct config *cfg, const struct directive *d,
			   char **argv, char *err, size_t errlen)
{
	struct prefix4 p;

	if (is_none(argv[0])) {
		cfg->rfc6791v4_set = false;
		memset(&cfg->rfc6791v4, 0, sizeof(cfg->rfc6791v4));
		return 0;
	}
	if (get_prefix4(d, argv[0], &p, err, errlen) != 0)
		return -1;
	cfg->rfc6791v4 = p;
	cfg->rfc6791v4_set = true;
	return 0;
}

static void write_rfc6791v4(const struct config *cfg,
			    const struct directive *d, FILE *f)
{
	char buf[PREFIX4_STRLEN];

	fprintf(f, "%s %s\n", d->name,
		cfg->rfc6791v4_set ? prefix4_str(&cfg->rfc6791v4, buf) : "none");
}

static int apply_rfc6791v6(struct config *cfg, const struct directive *d,
			   char **argv, char *err, size_t errlen)
{
	struct prefix6 p;

	if (is_none(argv[0])) {
		cfg->rfc6791v6_set = false;
		memset(&cfg->rfc6791v6, 0, sizeof(cfg->rfc6791v6));
		return 0;
	}
	if (get_prefix6(d, argv[0], &p, err, errlen) != 0)
		return -1;
	cfg->rfc6791v6 = p;
	cfg->rfc6791v6_set = true;
	return 0;
}

static void write_rfc6791v6(const struct config *cfg,
			    const struct directive *d, FILE *f)
{
	char buf[PREFIX6_STRLEN];

	fprintf(f, "%s %s\n", d->name,
		cfg->rfc6791v6_set ? prefix6_str(&cfg->rfc6791v6, buf) : "none");
}

static int eamt_overlap(const struct directive *d, const struct eamt_entry *e,
			const struct eamt_entry *o, char *err, size_t errlen)
{
	char n6[PREFIX6_STRLEN], n4[PREFIX4_STRLEN];
	char o6[PREFIX6_STRLEN], o4[PREFIX4_STRLEN];

	return fail(err, errlen, "%s: %s %s overlaps the existing entry %s %s",
		    d->name, prefix6_str(&e->p6, n6), prefix4_str(&e->p4, n4),
		    prefix6_str(&o->p6, o6), prefix4_str(&o->p4, o4));
}

/*
 * RFC 7757 section 3.2 copies the suffix (host bits) of one address to the
 * other; requiring the same number of them on both sides makes every entry
 * a bijection. Overlapping entries are refused too, so that the reverse
 * lookup always finds the entry that did the forward mapping.
 */
static int eamt_check(const struct config *cfg, const struct directive *d,
		      const struct eamt_entry *e, char *err, size_t errlen)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	if (128 - e->p6.len != 32 - e->p4.len)
		return fail(err, errlen,
			    "%s: %s has %d host bits but %s has %d; they must be equal",
			    d->name, prefix6_str(&e->p6, b6), 128 - e->p6.len,
			    prefix4_str(&e->p4, b4), 32 - e->p4.len);
	for (size_t i = 0; i < cfg->eamt_count; i++) {
		const struct eamt_entry *o = &cfg->eamt[i];

		if (prefix6_overlaps(&o->p6, &e->p6) ||
		    prefix4_overlaps(&o->p4, &e->p4))
			return eamt_overlap(d, e, o, err, errlen);
	}
	return 0;
}

/* The prefixes may come in either order (Jool's "eamt add" takes v4 first). */
static int apply_eamt(struct config *cfg, const struct directive *d,
		      char **argv, char *err, size_t errlen)
{
	struct eamt_entry e, *grown;
	int i6 = strchr(argv[0], ':') ? 0 : 1;

	if (get_prefix6(d, argv[i6], &e.p6, err, errlen) != 0 ||
	    get_prefix4(d, argv[1 - i6], &e.p4, err, errlen) != 0 ||
	    eamt_check(cfg, d, &e, err, errlen) != 0)
		return -1;
	grown = realloc(cfg->eamt, (cfg->eamt_count + 1) * sizeof(*grown));
	if (!grown)
		return fail(err, errlen, "%s: out of memory", d->name);
	cfg->eamt = grown;
	cfg->eamt[cfg->eamt_count++] = e;
	return 0;
}

static void write_eamt(const struct config *cfg, const struct directive *d,
		       FILE *f)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	for (size_t i = 0; i < cfg->eamt_count; i++)
		fprintf(f, "%s %s %s\n", d->name,
			prefix6_str(&cfg->eamt[i].p6, b6),
			prefix4_str(&cfg->eamt[i].p4, b4));
}

static int apply_denylist4(struct config *cfg, const struct directive *d,
			   char **argv, char *err, size_t errlen)
{
	struct prefix4 p, *grown;

	if (get_prefix4(d, argv[0], &p, err, errlen) != 0)
		return -1;
	grown = realloc(cfg->denylist4,
			(cfg->denylist4_count + 1) * sizeof(*grown));
	if (!grown)
		return fail(err, errlen, "%s: out of memory", d->name);
	cfg->denylist4 = grown;
	cfg->denylist4[cfg->denylist4_count++] = p;
	return 0;
}

static void write_denylist4(const struct config *cfg,
			    const struct directive *d, FILE *f)
{
	char buf[PREFIX4_STRLEN];

	for (size_t i = 0; i < cfg->denylist4_count; i++)
		fprintf(f, "%s %s\n", d->name,
			prefix4_str(&cfg->denylist4[i], buf));
}

/*
 * The translator's own address. "ADDR/len" is accepted because that is how
 * interface addresses are usually written; only the address is kept.
 */
static int parse_own_addr(int af, const char *s, void *dst)
{
	char buf[INET6_ADDRSTRLEN + 5];
	char *slash;
	uint32_t len;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (parse_u32(slash + 1, &len) != 0 ||
		    len > (af == AF_INET ? 32u : 128u))
			return -1;
	}
	return inet_pton(af, buf, dst) == 1 ? 0 : -1;
}

static int apply_addr6(struct config *cfg, const struct directive *d,
		       char **argv, char *err, size_t errlen)
{
	if (parse_own_addr(AF_INET6, argv[0], &cfg->addr6) != 0)
		return fail(err, errlen, "%s v6: bad IPv6 address '%s'",
			    d->name, argv[0]);
	cfg->addr6_set = true;
	return 0;
}

static int apply_addr4(struct config *cfg, const struct directive *d,
		       char **argv, char *err, size_t errlen)
{
	if (parse_own_addr(AF_INET, argv[0], &cfg->addr4) != 0)
		return fail(err, errlen, "%s v4: bad IPv4 address '%s'",
			    d->name, argv[0]);
	cfg->addr4_set = true;
	return 0;
}

static void write_addr6(const struct config *cfg, const struct directive *d,
			FILE *f)
{
	char buf[INET6_ADDRSTRLEN];

	if (cfg->addr6_set)
		fprintf(f, "%s v6 %s\n", d->name,
			inet_ntop(AF_INET6, &cfg->addr6, buf, sizeof(buf)));
}

static void write_addr4(const struct config *cfg, const struct directive *d,
			FILE *f)
{
	char buf[INET_ADDRSTRLEN];

	if (cfg->addr4_set)
		fprintf(f, "%s v4 %s\n", d->name,
			inet_ntop(AF_INET, &cfg->addr4, buf, sizeof(buf)));
}

/* Linux interface names: 1..IF_NAMESIZE-1 bytes, no '/' (dev_valid_name). */
static int apply_iface(struct config *cfg, const struct directive *d,
		       char **argv, char *err, size_t errlen)
{
	char *field = (char *)cfg + d->off;
	size_t n = strlen(argv[0]);
	char nb[64];

	if (n >= IF_NAMESIZE || strchr(argv[0], '/') ||
	    strcmp(argv[0], ".") == 0 || strcmp(argv[0], "..") == 0)
		return fail(err, errlen, "%s: bad interface name '%s'",
			    dname(d, nb, sizeof(nb)), argv[0]);
	memcpy(field, argv[0], n + 1);
	return 0;
}

static void write_iface(const struct config *cfg, const struct directive *d,
			FILE *f)
{
	const char *field = (const char *)cfg + d->off;
	char nb[64];

	if (field[0] != '\0')
		fprintf(f, "%s %s\n", dname(d, nb, sizeof(nb)), field);
}

/* --- the table ------------------------------------------------------- */

static const struct directive directives[] = {
	{ "mode", NULL, "siit|nat64", 1, apply_mode, write_mode, 0, 0, 0,
	  "stateless SIIT (RFC 7915) or stateful NAT64 (RFC 6146)" },
	{ "pool6", NULL, "PREFIX|none", 1, apply_pool6, write_pool6, 0, 0, 0,
	  "RFC 6052 prefix (length 32, 40, 48, 56, 64 or 96)" },
	{ "eamt", NULL, "PREFIX6 PREFIX4", 2, apply_eamt, write_eamt, 0, 0, 0,
	  "RFC 7757 explicit address mapping (repeatable)" },
	{ "denylist4", NULL, "PREFIX", 1, apply_denylist4, write_denylist4,
	  0, 0, 0, "IPv4 addresses never translated through pool6 (repeatable)" },
	{ "rfc6791v4-prefix", NULL, "PREFIX|none", 1, apply_rfc6791v4,
	  write_rfc6791v4, 0, 0, 0,
	  "RFC 6791 sources for untranslatable ICMPv4 errors" },
	{ "rfc6791v6-prefix", NULL, "PREFIX|none", 1, apply_rfc6791v6,
	  write_rfc6791v6, 0, 0, 0,
	  "RFC 6791 sources for untranslatable ICMPv6 errors" },
	{ "lowest-ipv6-mtu", NULL, "N", 1, apply_u32, write_u32,
	  FIELD(lowest_ipv6_mtu), 1280, 65535,
	  "size IPv4 packets with DF=0 are fragmented to" },
	{ "amend-udp-checksum-zero", NULL, "yes|no", 1, apply_bool, write_bool,
	  FIELD(amend_udp_checksum_zero), 0, 0,
	  "compute zero IPv4 UDP checksums instead of dropping" },
	{ "zeroize-traffic-class", NULL, "yes|no", 1, apply_bool, write_bool,
	  FIELD(zeroize_traffic_class), 0, 0,
	  "set the IPv6 traffic class to zero" },
	{ "override-tos", NULL, "yes|no", 1, apply_bool, write_bool,
	  FIELD(override_tos), 0, 0, "set the IPv4 TOS to 'tos'" },
	{ "tos", NULL, "N", 1, apply_u8, write_u8, FIELD(tos), 0, 255,
	  "TOS used when override-tos is on" },
	{ "address", "v6", "ADDR", 1, apply_addr6, write_addr6, 0, 0, 0,
	  "own IPv6 address (source of ICMPv6 errors)" },
	{ "address", "v4", "ADDR", 1, apply_addr4, write_addr4, 0, 0, 0,
	  "own IPv4 address (source of ICMPv4 errors)" },
	{ "mtu", "v6", "N", 1, apply_u32, write_u32, FIELD(mtu6), 1280, 65535,
	  "egress MTU on the IPv6 side (default: from the routes)" },
	{ "mtu", "v4", "N", 1, apply_u32, write_u32, FIELD(mtu4), 68, 65535,
	  "egress MTU on the IPv4 side (default: from the routes)" },
	{ "interface", "v6", "NAME", 1, apply_iface, write_iface,
	  FIELD(iface6), 0, 0, "IPv6-facing interface" },
	{ "interface", "v4", "NAME", 1, apply_iface, write_iface,
	  FIELD(iface4), 0, 0, "IPv4-facing interface" },
};

#define DIRECTIVES (sizeof(directives) / sizeof(directives[0]))

/*
 * Finds the row for the tokens; *used tells how many tokens named it
 * (one, or two with the v6/v4 selector).
 */
static const struct directive *lookup(char **tok, int ntok, int *used,
				      char *err, size_t errlen)
{
	bool known = false;

	for (size_t i = 0; i < DIRECTIVES; i++) {
		const struct directive *d = &directives[i];

		if (strcmp(d->name, tok[0]) != 0)
			continue;
		known = true;
		if (!d->sub) {
			*used = 1;
			return d;
		}
		if (ntok > 1 && strcmp(d->sub, tok[1]) == 0) {
			*used = 2;
			return d;
		}
	}
	if (!known)
		fail(err, errlen, "unknown directive '%s'", tok[0]);
	else if (ntok < 2)
		fail(err, errlen, "%s: missing argument (v6 or v4)", tok[0]);
	else
		fail(err, errlen, "%s: '%s' is not v6 or v4", tok[0], tok[1]);
	return NULL;
}

/* Splits buf in place; a '#' anywhere starts a comment. */
static int tokenize(char *buf, char **tok)
{
	char *hash = strchr(buf, '#');
	char *save = NULL;
	int n = 0;

	if (hash)
		*hash = '\0';
	for (char *t = strtok_r(buf, BLANKS, &save);
	     t && n < CONFIG_MAX_TOKENS; t = strtok_r(NULL, BLANKS, &save))
		tok[n++] = t;
	return n;
}

static int apply_buf(struct config *cfg, char *buf, char *err, size_t errlen)
{
	char *tok[CONFIG_MAX_TOKENS];
	const struct directive *d;
	int ntok = tokenize(buf, tok);
	int used, nargs;
	char nb[64];

	if (ntok == 0)
		return 0;
	d = lookup(tok, ntok, &used, err, errlen);
	if (!d)
		return -1;
	nargs = ntok - used;
	if (nargs < d->nargs)
		return fail(err, errlen, "%s: missing argument (usage: %s %s)",
			    dname(d, nb, sizeof(nb)), dname(d, nb, sizeof(nb)),
			    d->usage);
	if (nargs > d->nargs)
		return fail(err, errlen,
			    "%s: extra argument '%s' (usage: %s %s)",
			    dname(d, nb, sizeof(nb)), tok[used + d->nargs],
			    dname(d, nb, sizeof(nb)), d->usage);
	return d->apply(cfg, d, tok + used, err, errlen);
}

int config_apply_line(struct config *cfg, const char *line,
		      char *err, size_t errlen)
{
	char buf[CONFIG_LINE_MAX + 1];

	if (strlen(line) > CONFIG_LINE_MAX)
		return fail(err, errlen, "line too long (over %d characters)",
			    CONFIG_LINE_MAX);
	strcpy(buf, line);
	return apply_buf(cfg, buf, err, errlen);
}

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = CONFIG_MODE_SIIT;
	cfg->lowest_ipv6_mtu = 1280;
}

void config_free(struct config *cfg)
{
	free(cfg->eamt);
	free(cfg->denylist4);
	config_init(cfg);
}

/* Applies one numbered line, prefixing any message with "NAME:LINE: ". */
static int parse_line(struct config *cfg, const char *name, unsigned int lineno,
		      const char *line, char *err, size_t errlen)
{
	char msg[CONFIG_MSG_MAX];

	if (config_apply_line(cfg, line, msg, sizeof(msg)) == 0)
		return 0;
	fail(err, errlen, "%s:%u: %s", name, lineno, msg);
	config_free(cfg);
	return -1;
}

int config_parse_string(const char *name, const char *text,
			struct config *cfg, char *err, size_t errlen)
{
	char line[CONFIG_LINE_MAX + 2];
	unsigned int lineno = 0;

	config_init(cfg);
	while (*text) {
		size_t n = strcspn(text, "\n");

		lineno++;
		/* Too long: pass enough for config_apply_line to refuse it. */
		if (n > CONFIG_LINE_MAX)
			n = CONFIG_LINE_MAX + 1;
		memcpy(line, text, n);
		line[n] = '\0';
		if (parse_line(cfg, name, lineno, line, err, errlen) != 0)
			return -1;
		text += strcspn(text, "\n");
		if (*text == '\n')
			text++;
	}
	return 0;
}

int config_parse_file(const char *path, struct config *cfg,
		      char *err, size_t errlen)
{
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;
	FILE *f;

	config_init(cfg);
	f = fopen(path, "r");
	if (!f)
		return fail(err, errlen, "%s: cannot open: %m", path);
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		ret = parse_line(cfg, path, lineno, line, err, errlen);
		if (ret != 0)
			goto out;
	}
	if (ferror(f)) {
		ret = fail(err, errlen, "%s:%u: read error", path, lineno + 1);
		config_free(cfg);
	}
out:
	free(line);
	fclose(f);
	return ret;
}

void config_write(const struct config *cfg, FILE *f)
{
	for (size_t i = 0; i < DIRECTIVES; i++)
		directives[i].write(cfg, &directives[i], f);
}

void config_usage(FILE *f)
{
	char nb[64];

	for (size_t i = 0; i < DIRECTIVES; i++) {
		const struct directive *d = &directives[i];
		char head[96];

		snprintf(head, sizeof(head), "%s %s",
			 dname(d, nb, sizeof(nb)), d->usage);
		fprintf(f, "  %-40s %s\n", head, d->help);
	}
}
