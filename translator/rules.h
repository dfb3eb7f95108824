/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iptables/ip6tables rules that steer translated destinations into the
 * queues. Only destinations the translator maps are queued:
 *   IPv6 side: pool6 and the EAMT IPv6 prefixes;
 *   IPv4 side: the EAMT IPv4 prefixes and every translate4 prefix (in
 *              SIIT, pool6 hosts' IPv4 view is not known otherwise);
 *              in mode nat64 also the pool4 prefixes and the addresses
 *              of static BIB entries outside them (RFC 6146: the
 *              NAT64's own IPv4 addresses, which must not be local ones).
 * Each destination gets two rules in the raw table's PREROUTING: TCP to
 * the GSO queue, the rest to the other queue. Packets to local addresses
 * (the translator's own, which may sit inside pool6) and packets carrying
 * our mark are left alone, and so are packets coming in from our own TUN
 * device (`egress tun`), which the kernel forwards as if received there. The nftables `queue` expression may be
 * missing from the kernel, so the xtables NFQUEUE target is used, through
 * whichever of iptables, iptables-nft and iptables-legacy works.
 */
#ifndef TRANSLATOR_RULES_H
#define TRANSLATOR_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "daemon_conf.h"

#define RULES_MAX_ARGS		24
#define RULES_ARG_LEN		48
#define RULES_BIN_LEN		32

struct rule {
	int family;		/* 4 or 6 */
	int argc;		/* after "-t raw -A PREROUTING" */
	char argv[RULES_MAX_ARGS][RULES_ARG_LEN];
};

struct rules_plan {
	char bin4[RULES_BIN_LEN];	/* "iptables", ... ("" until probed) */
	char bin6[RULES_BIN_LEN];
	size_t count;
	size_t installed;	/* rules [0, installed) are in the kernel */
	struct rule *rule;	/* count entries */
};

/* Computes the rules for a configuration; -1 on allocation failure. */
int rules_build(const struct config *cfg, const struct daemon_conf *dc,
		struct rules_plan *plan, char *err, size_t errlen);
void rules_free(struct rules_plan *plan);

/* Number of destinations per family, for warnings ("nothing queued"). */
size_t rules_count_family(const struct rules_plan *plan, int family);

/* Finds working iptables/ip6tables binaries (runs `-t raw -S`). */
int rules_probe(struct rules_plan *plan, char *err, size_t errlen);

/*
 * Adds every rule; on failure removes those it added and returns -1.
 * rules_remove deletes exactly what rules_install added (in reverse) and
 * returns the number of rules it failed to delete.
 */
int rules_install(struct rules_plan *plan, char *err, size_t errlen);
int rules_remove(struct rules_plan *plan);

/* Whether two plans hold the same rules. */
bool rules_equal(const struct rules_plan *a, const struct rules_plan *b);

/* Prints the rules as the commands that add them, one a line. */
void rules_print(const struct rules_plan *plan, FILE *f);

#endif
