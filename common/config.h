/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration model shared by translatord, transctl and the tests,
 * and its line-based file format (see translator.conf(5) / README).
 *
 * A config is built whole by the parser and then only read: a reload parses
 * a complete new one and swaps it in, so a bad file never leaves a half
 * applied configuration.
 */
#ifndef COMMON_CONFIG_H
#define COMMON_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"
#include "det_map.h"
#include "lpm.h"

enum config_mode {
	CONFIG_MODE_SIIT,
	CONFIG_MODE_NAT64,
};

/* The protocols of stateful NAT64 (RFC 6146 keeps one BIB for each). */
enum config_l4 {
	CONFIG_L4_TCP,
	CONFIG_L4_UDP,
	CONFIG_L4_ICMP,		/* ICMP query identifiers stand for ports */
	CONFIG_L4_COUNT,
};

/* "tcp", "udp", "icmp". */
const char *config_l4_name(enum config_l4 l4);

/* One pool4 line for one protocol: addresses and the ports they lend. */
struct pool4_entry {
	struct prefix4 prefix;
	uint16_t port_min;
	uint16_t port_max;	/* inclusive */
	enum config_l4 l4;
};

/* A static BIB entry (RFC 6146 section 3.5.1: "manually configured"). */
struct bib_static_entry {
	enum config_l4 l4;
	struct in_addr addr4;
	uint16_t port4;
	struct in6_addr addr6;
	uint16_t port6;
};

/* The IPv6 prefix length of one customer, for max-sessions-per-prefix. */
#define NAT64_HOST_PREFIX_DEFAULT	64

/*
 * Stateful NAT64 settings (RFC 6146), read in mode nat64. Timeouts are in
 * seconds; limits of 0 mean "no limit".
 */
struct config_nat64 {
	struct pool4_entry *pool4;	/* in file order */
	size_t pool4_count;
	struct bib_static_entry *bib;
	size_t bib_count;
	struct det_entry *det;		/* pool4-deterministic, in file order */
	size_t det_count;

	uint32_t tcp_est_timeout;	/* 7200 */
	uint32_t tcp_trans_timeout;	/* 240 */
	uint32_t tcp_incoming_syn_timeout; /* 6 */
	uint32_t udp_timeout;		/* 300, never below 120 */
	uint32_t icmp_timeout;		/* 60 */

	bool address_dependent_filtering;	/* no */
	bool drop_externally_initiated_tcp;	/* no */
	/* ICMPv6 errors translated from ICMPv4 ones get the pool6 form of
	 * the ICMPv4 error's source, not the inner destination (yes). */
	bool source_icmpv6_errors_better;

	uint32_t max_bib_entries;
	uint32_t max_sessions;
	uint32_t max_sessions_per_host;	/* per IPv6 source address */
	uint32_t max_sessions_per_prefix; /* per IPv6 /host_prefix_len */
	uint32_t host_prefix_len;	/* a customer's prefix (64) */
	uint32_t max_stored_packets;	/* simultaneous opens waiting (10) */

	/* Jool's global settings (config_jool.c). */
	/* RST in V4/V6 FIN RCV: transitory, as in ESTABLISHED (no). */
	bool handle_rst_during_fin_rcv;
	/* RFC 6056 algorithm 3 F() inputs: NAT64_FARGS_* bits (11). */
	uint32_t f_args;

	/* NAT64 logging and port blocks (docs/nat-logging.md). */
	bool logging_bib;		/* a line per binding (or block) */
	bool logging_session;		/* a line per session */
	bool logging_debug;		/* refusals and drops, rate-limited */
	uint32_t pool4_block_size;	/* ports per block, 0: no blocks */
	uint32_t pool4_blocks_per_host;	/* per prefix and protocol (4) */
};

/* f-args bits (Jool's): which fields feed the port allocation hash. */
#define NAT64_FARGS_SRC_ADDR	0x8u
#define NAT64_FARGS_SRC_PORT	0x4u
#define NAT64_FARGS_DST_ADDR	0x2u
#define NAT64_FARGS_DST_PORT	0x1u
#define NAT64_FARGS_DEFAULT	0xbu	/* source address, destination */

/*
 * RFC 7757 Explicit Address Mapping Table entry. The IPv4 suffix (32 -
 * p4.len bits) is never longer than the IPv6 one (128 - p6.len); when it
 * is shorter it sits right after p6 and the IPv6 bits behind it are zero
 * (RFC 7757 section 3.2, addrmap.c).
 */
struct eamt_entry {
	struct prefix6 p6;
	struct prefix4 p4;
};

/* Most mtu-plateaus values (RFC 1191 section 7 lists 11). */
#define CONFIG_PLATEAUS_MAX	16

/* eam-hairpin-mode (RFC 7757 section 4.2), config_jool.c. */
enum config_eam_hairpin {
	CONFIG_EAM_HAIRPIN_OFF,
	CONFIG_EAM_HAIRPIN_SIMPLE,
	CONFIG_EAM_HAIRPIN_INTRINSIC,
};

struct config {
	enum config_mode mode;

	bool pool6_set;			/* "pool6 none" leaves it false */
	struct prefix6 pool6;

	struct eamt_entry *eamt;	/* in file order */
	size_t eamt_count;

	struct prefix4 *denylist4;	/* in file order */
	size_t denylist4_count;

	/*
	 * Longest-prefix-match indexes of those two lists (lpm.h), whose
	 * values are indexes into them: the EAMT by its IPv6 and by its IPv4
	 * prefixes, the denylist. config_eamt_* and config_deny_* below keep
	 * lists and indexes in step; nothing else changes either.
	 */
	struct lpm eamt6_lpm;
	struct lpm eamt4_lpm;
	struct lpm deny4_lpm;

	/*
	 * RFC 6052 section 3.1: with pool6 64:ff9b::/96 (the Well-Known
	 * Prefix), addresses that embed a non-global IPv4 address are not
	 * translated; "yes" lets them through (labs, documentation ranges).
	 */
	bool wkp_allow_non_global;	/* default no */

	/* RFC 6791 pools; "none" leaves them unset (own address is used). */
	bool rfc6791v4_set;
	struct prefix4 rfc6791v4;
	bool rfc6791v6_set;
	struct prefix6 rfc6791v6;

	uint32_t lowest_ipv6_mtu;	/* default 1280 */
	bool amend_udp_checksum_zero;	/* default no */
	bool zeroize_traffic_class;	/* default no */
	bool override_tos;		/* default no */
	uint8_t tos;			/* default 0 */
	/* Lower the MSS option of SYNs to fit the translated path (no). */
	bool mss_clamp;

	/* The translator's own addresses: sources of the ICMP errors it sends. */
	bool addr6_set;
	struct in6_addr addr6;
	bool addr4_set;
	struct in_addr addr4;

	/* Egress MTU of each side; 0 = learn it from the routes. */
	uint32_t mtu6;
	uint32_t mtu4;

	char iface6[IF_NAMESIZE];	/* "" when not given */
	char iface4[IF_NAMESIZE];

	/* Jool's global settings (config_jool.c). */
	/* RFC 1191 section 7 plateaus, strictly descending, each 68..65535:
	 * the MTU of a Fragmentation Needed that says 0 (RFC 7915 4.2). */
	uint16_t mtu_plateaus[CONFIG_PLATEAUS_MAX];
	uint32_t mtu_plateau_count;
	bool drop_icmpv6_info;		/* drop ICMPv6 echo on 6->4 (no) */
	bool randomize_rfc6791;		/* random pool address (yes) */
	enum config_eam_hairpin eam_hairpin; /* intrinsic */

	struct config_nat64 nat64;
};

/* Fills cfg with the defaults (no allocation; config_free is still safe). */
void config_init(struct config *cfg);

/* Frees the arrays and resets cfg to the defaults. */
void config_free(struct config *cfg);

/*
 * Parses a whole file (or text) into cfg, which the function initialises.
 * On error it returns -1, leaves cfg freed (defaults), and writes one line
 * "NAME:LINE: message" into err (errlen bytes). name is used in messages.
 */
int config_parse_file(const char *path, struct config *cfg,
		      char *err, size_t errlen);
int config_parse_string(const char *name, const char *text,
			struct config *cfg, char *err, size_t errlen);

/*
 * Applies one directive line ("key value...") to cfg, as the file parser
 * does for each line. Used by the parser itself and by tools that override
 * single settings (e.g. the conformance runner). Returns -1 with a message
 * (without the "NAME:LINE: " part) in err.
 */
int config_apply_line(struct config *cfg, const char *line,
		      char *err, size_t errlen);

/* Writes cfg back in the file format, one directive per line. */
void config_write(const struct config *cfg, FILE *f);

/* Lists every directive with its arguments and a one-line description. */
void config_usage(FILE *f);

/*
 * The EAMT and the denylist (config_lists.c), for the parser and for
 * run-time changes: each call costs O(address bits), plus a pass over the
 * index when an entry is inserted before or removed from the middle of
 * its list. Failures leave cfg as it was and say why in err (without a
 * "directive: " prefix).
 *
 * config_eamt_insert puts e at index at (eamt_count appends) after
 * checking it: the IPv4 suffix no longer than the IPv6 one, neither
 * prefix already an entry's (RFC 7757 lets other overlaps be, resolved
 * by longest prefix match in each direction).
 */
int config_eamt_insert(struct config *cfg, size_t at,
		       const struct eamt_entry *e, char *err, size_t errlen);
void config_eamt_remove(struct config *cfg, size_t i);
/* The entry whose IPv6 (IPv4) prefix is exactly p. */
bool config_eamt_find6(const struct config *cfg, const struct prefix6 *p,
		       size_t *i);
bool config_eamt_find4(const struct config *cfg, const struct prefix4 *p,
		       size_t *i);
/* An entry overlapping p6 (or p4 when p6 is NULL), for messages. */
bool config_eamt_overlap(const struct config *cfg, const struct prefix6 *p6,
			 const struct prefix4 *p4, size_t *i);

/* The denylist: no prefix twice. */
int config_deny_insert(struct config *cfg, size_t at, const struct prefix4 *p,
		       char *err, size_t errlen);
void config_deny_remove(struct config *cfg, size_t i);
bool config_deny_find(const struct config *cfg, const struct prefix4 *p,
		      size_t *i);

#endif
