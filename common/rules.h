/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The iptables/ip6tables rules that steer translated destinations into the
 * queues. Only destinations the translator maps are queued:
 *   IPv6 side: pool6 and the EAMT IPv6 prefixes;
 *   IPv4 side: the EAMT IPv4 prefixes and every translate4 prefix (in
 *              SIIT, pool6 hosts' IPv4 view is not known otherwise);
 *              in mode nat64 also the pool4 prefixes and the addresses
 *              of static BIB entries outside them (RFC 6146: the
 *              NAT64's own IPv4 addresses).
 * Each destination gets two rules in the raw table: TCP to the GSO queue,
 * the rest to the other queue. With `workers N` > 1 the two rules jump
 * instead to a spread chain per class (CHAIN-T, CHAIN-O), which hashes
 * each packet's flow with xt_HMARK and queues it to that worker's queue
 * (rules.c says why HMARK and not --queue-balance). They live in a chain of their own per
 * instance (XLAT-TCP-OTHER, see rules_chain_name), which PREROUTING jumps
 * to once: a start replaces its content atomically whatever a crashed
 * predecessor left, and a clean stop removes chain and jump. Packets to
 * local addresses (the translator's own, which may sit inside pool6) and
 * packets carrying our mark are left alone, and so are packets coming in
 * from our own TUN device (`egress tun`), which the kernel forwards as if
 * received there. The one exception: pool4 on an address of the host
 * itself, where rules for `--dst-type LOCAL` queue pool4's ports and ICMP
 * (daemon_local.c gives back what is not pool4's). The nftables `queue`
 * expression may be missing from the kernel, so the xtables NFQUEUE
 * target is used, through whichever of iptables, iptables-nft and
 * iptables-legacy works.
 */
#ifndef TRANSLATOR_RULES_H
#define TRANSLATOR_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "daemon_conf.h"

#define RULES_MAX_ARGS		24
/* The spread chains of `workers N` > 1: the main chain's name + suffix. */
enum rules_sub {
	RULES_SUB_NONE,		/* the main chain */
	RULES_SUB_TCP,		/* "-T": TCP over the workers' TCP queues */
	RULES_SUB_OTHER,	/* "-O": the rest over their other queues */
	RULES_SUB_MAX,
};
#define RULES_ARG_LEN		48
#define RULES_BIN_LEN		32
/* "XLAT-65535-65535-T" and room to spare (xtables allows 28 characters). */
#define RULES_CHAIN_LEN		29
/* Seconds iptables may wait for the xtables lock held by someone else. */
#define RULES_LOCK_WAIT		"5"
#define RULES_V4		1u	/* rules_plan.owned bits */
#define RULES_V6		2u

struct rule {
	int family;		/* 4 or 6 */
	enum rules_sub sub;	/* the chain it goes in */
	int argc;		/* after "-A CHAIN" */
	char argv[RULES_MAX_ARGS][RULES_ARG_LEN];
};

struct rules_plan {
	char bin4[RULES_BIN_LEN];	/* "iptables", ... ("" until probed) */
	char bin6[RULES_BIN_LEN];
	char chain[RULES_CHAIN_LEN];	/* this instance's chain */
	size_t count;
	size_t installed;	/* destination rules in the kernel (the main
				 * chain's), once loaded */
	unsigned int owned;	/* RULES_V4|V6: our chain is in that table */
	struct rule *rule;	/* count entries */
};

/*
 * The chain of the instance that uses these queues, "XLAT-TCP-OTHER". The
 * queue numbers are what tell two translatords on one host apart (the
 * kernel binds a queue to one reader), they live in the file (so that
 * `transctl rules --flush -c FILE` finds the chain after a crash), and
 * they cannot change on reload: the name is stable for the daemon's life.
 */
void rules_chain_name(const struct daemon_conf *dc,
		      char out[RULES_CHAIN_LEN]);

/* Computes the rules for a configuration; -1 on allocation failure. */
int rules_build(const struct config *cfg, const struct daemon_conf *dc,
		struct rules_plan *plan, char *err, size_t errlen);
void rules_free(struct rules_plan *plan);

/* Number of destination rules per family (the main chain's: spread chain
 * rules not counted), for warnings ("nothing queued") and reports. */
size_t rules_count_family(const struct rules_plan *plan, int family);

/*
 * What `BIN -t raw -S` says of a chain: whether it exists and how many
 * times PREROUTING jumps to it (more than once after a crash and a
 * restart by an older version, or by hand).
 */
struct rules_seen {
	bool exists;
	unsigned int jumps;
	unsigned int rules;	/* in the chain */
	bool sub[RULES_SUB_MAX];	/* which spread chains exist */
};
/* The name of a spread chain of chain (RULES_SUB_NONE: chain itself). */
void rules_sub_name(const char *chain, enum rules_sub sub,
		    char out[RULES_CHAIN_LEN]);
void rules_scan(const char *listing, const char *chain, struct rules_seen *s);

/*
 * iptables-restore --noflush input that makes one family's table hold
 * exactly the plan: the chain declared (created, or flushed if it was
 * there), filled, and jumped to exactly once from PREROUTING given what
 * was seen. One transaction: packets meet the old set or the new one.
 */
void rules_restore_text(const struct rules_plan *plan, int family,
			const struct rules_seen *seen, FILE *f);
/* The input that removes the chain and every jump to it (seen must say
 * there is something: an empty transaction is not written). */
void rules_remove_text(const char *chain, const struct rules_seen *seen,
		       FILE *f);

/* Finds working iptables/ip6tables binaries (runs `-t raw -S`). */
int rules_probe(struct rules_plan *plan, char *err, size_t errlen);

/*
 * Replaces this instance's chain in both tables (probing first if
 * needed). A family that fails keeps what it had; -1 with the message.
 * rules_remove deletes the chain and its jumps from the tables where this
 * process loaded it (nothing else) and returns the number of failures.
 */
int rules_install(struct rules_plan *plan, char *err, size_t errlen);
int rules_remove(struct rules_plan *plan, char *err, size_t errlen);

/*
 * Removes the chain and its jumps from both tables, whoever put them
 * there (`transctl rules --flush`, after a crash). Returns the number of
 * rules removed (the chain's and the jumps), or -1 with the message.
 */
int rules_flush(const char *chain, char *err, size_t errlen);

/* Whether two plans hold the same rules. */
bool rules_equal(const struct rules_plan *a, const struct rules_plan *b);

/*
 * Prints the rules as a shell script an operator can paste (`rules
 * manual`): per family, the chain loaded with iptables-restore --noflush,
 * then the jump added unless it is there.
 */
void rules_print(const struct rules_plan *plan, FILE *f);

#endif
