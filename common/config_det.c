// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool4-deterministic V6PREFIX V4PREFIX PORTS [FIRST-PORT] [HOST-LENGTH]
 * (common/det_map.h has the function). The customer length is the
 * entry's own, /128 unless given, not host-prefix-length: that one sets
 * the limits of max-sessions-per-prefix, and changing a limit must never
 * renumber the customers, whose mapping is the log.
 *
 * The IPv4 addresses must already be lent by pool4 lines above (one entry
 * per protocol holding the prefix and the ports of every block), so that
 * translatord's rules queue them and run-time pool4 listings show them;
 * dynamic allocation then leaves those addresses to the entry.
 */
#include <stdlib.h>
#include <string.h>

#include "config_table.h"

#define DET_FIRST_PORT_DEFAULT	1024u
#define DET_POOL4_MIN_PREFIX	16

static bool pool4_covers(const struct config_nat64 *n,
			 const struct det_entry *e, enum config_l4 l4)
{
	uint32_t last = e->first_port + det_blocks(e) * e->ports - 1;

	for (size_t i = 0; i < n->pool4_count; i++) {
		const struct pool4_entry *p = &n->pool4[i];

		if (p->l4 == l4 && p->prefix.len <= e->p4.len &&
		    prefix4_contains(&p->prefix, &e->p4.addr) &&
		    p->port_min <= e->first_port && p->port_max >= last)
			return true;
	}
	return false;
}

/* Against the pool4 lines and the earlier entries. */
static int det_fits(const struct config_nat64 *n, const struct det_entry *e,
		    const char *name, char *err, size_t errlen)
{
	char b4[PREFIX4_STRLEN];

	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++)
		if (!pool4_covers(n, e, (enum config_l4)l4))
			return config_fail(err, errlen, "%s: %s %u-%u is not "
					   "inside one %s pool4 entry (put "
					   "the pool4 line first)", name,
					   prefix4_str(&e->p4, b4),
					   e->first_port, e->first_port +
					   det_blocks(e) * e->ports - 1,
					   config_l4_name((enum config_l4)l4));
	for (size_t i = 0; i < n->det_count; i++)
		if (prefix6_overlaps(&n->det[i].p6, &e->p6) ||
		    prefix4_overlaps(&n->det[i].p4, &e->p4))
			return config_fail(err, errlen, "%s: overlaps the "
					   "earlier entry of the same or an "
					   "enclosing prefix", name);
	return 0;
}

static int det_num(const char *s, uint32_t max, uint32_t *out)
{
	return config_parse_u32(s, out) != 0 || *out > max ? -1 : 0;
}

int config_apply_det(struct config *cfg, const struct config_directive *d,
		     char **argv, char *err, size_t errlen)
{
	struct det_entry e = { .first_port = DET_FIRST_PORT_DEFAULT,
			       .host_len = 128 };
	struct config_nat64 *n = &cfg->nat64;
	struct det_entry *grown;
	uint32_t v;
	char msg[200];

	if (prefix6_parse(argv[0], &e.p6) != 0)
		return config_fail(err, errlen, "%s: bad IPv6 prefix '%s'",
				   d->name, argv[0]);
	if (prefix4_parse(argv[1], &e.p4) != 0 ||
	    e.p4.len < DET_POOL4_MIN_PREFIX)
		return config_fail(err, errlen, "%s: bad IPv4 prefix '%s' "
				   "(at most /%d)", d->name, argv[1],
				   DET_POOL4_MIN_PREFIX);
	if (det_num(argv[2], 65535, &e.ports) != 0)
		return config_fail(err, errlen, "%s: bad port count '%s'",
				   d->name, argv[2]);
	if (argv[3] && det_num(argv[3], 65535, &e.first_port) != 0)
		return config_fail(err, errlen, "%s: bad first port '%s'",
				   d->name, argv[3]);
	if (argv[3] && argv[4]) {
		if (det_num(argv[4], 128, &v) != 0)
			return config_fail(err, errlen, "%s: bad host length "
					   "'%s'", d->name, argv[4]);
		e.host_len = (uint8_t)v;
	}
	if (det_check(&e, msg, sizeof(msg)) != 0)
		return config_fail(err, errlen, "%s: %s", d->name, msg);
	if (det_fits(n, &e, d->name, err, errlen) != 0)
		return -1;
	grown = realloc(n->det, (n->det_count + 1) * sizeof(*grown));
	if (!grown)
		return config_fail(err, errlen, "%s: out of memory", d->name);
	n->det = grown;
	n->det[n->det_count++] = e;
	return 0;
}

void config_write_det(const struct config *cfg,
		      const struct config_directive *d, FILE *f)
{
	char buf[128];

	for (size_t i = 0; i < cfg->nat64.det_count; i++) {
		det_entry_str(&cfg->nat64.det[i], buf, sizeof(buf));
		fprintf(f, "%s %s\n", d->name, buf);
	}
}
