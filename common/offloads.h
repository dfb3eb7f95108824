/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offloads: which receive offloads, size limits and MTUs of the
 * translator's interfaces break translation, decided as a pure function
 * of their states (no netlink here, so the unit tests cover every rule):
 * states in -> rows, risks, the changes --fix makes, and the exit status.
 * Shared by `transctl offloads` and translatord's check at start.
 *
 * The translator receives packets through NFQUEUE. It resegments TCP
 * aggregates (GRO, hardware GRO, TSO) itself, but cannot undo LRO (merged
 * headers), GRO list and UDP GRO forwarding (datagram boundaries lost),
 * and NFQUEUE truncates packets over 64 KB (BIG TCP).
 */
#ifndef COMMON_OFFLOADS_H
#define COMMON_OFFLOADS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link_nl.h"

/* Exit statuses of the command (documented in its --help). */
enum offl_exit {
	OFFL_EXIT_OK = 0,	/* nothing risky */
	OFFL_EXIT_RISKY = 1,	/* risky settings found (or left) */
	OFFL_EXIT_ERROR = 2,	/* bad command line, unknown interface, netlink */
};

/* The ethtool features examined, in output order. */
enum offl_feat {
	OFFL_F_GRO,
	OFFL_F_GRO_HW,
	OFFL_F_TSO,
	OFFL_F_TSO6,
	OFFL_F_LRO,
	OFFL_F_GRO_LIST,
	OFFL_F_UDP_GRO_FWD,
	OFFL_F_COUNT
};

/* The rtnetlink size limits examined, in output order. */
enum offl_size {
	OFFL_S_GRO,
	OFFL_S_GSO,
	OFFL_S_GRO_IPV4,
	OFFL_S_GSO_IPV4,
	OFFL_S_COUNT
};

/* Largest packet NFQUEUE carries whole; --fix sets the limits to it. */
#define OFFL_SIZE_LIMIT		65536u
/* RFC 8200: the smallest MTU an IPv6 link may have. */
#define OFFL_IPV6_MIN_MTU	1280u
/* Translation replaces a 20-byte IPv4 header with a 40-byte IPv6 one. */
#define OFFL_HDR_GROWTH		20u

#define OFFL_MAX_IFACES		16
/* Devices below them (bridge/bond/team ports, a VLAN's lower device). */
#define OFFL_MAX_LOWERS		32
#define OFFL_MAX_ALL		(OFFL_MAX_IFACES + OFFL_MAX_LOWERS)

/* Roles from the configuration's `interface v4` / `interface v6`. */
#define OFFL_ROLE_V4		0x1u
#define OFFL_ROLE_V6		0x2u

/* ethtool feature names (never bit numbers: those differ by kernel). */
const char *offl_feat_name(enum offl_feat f);
/* rtnetlink attribute names as `ip -d link` prints them. */
const char *offl_size_name(enum offl_size s);

struct offl_feat_state {
	bool on;
	bool fixed;		/* the kernel will not change it */
};

/*
 * The fixed rule: a feature is fixed when it is absent from the HW
 * (changeable) set or present in NOCHANGE. A name the kernel does not
 * know is in neither set, so it reads as off and fixed.
 */
struct offl_feat_state offl_feat_state(bool in_hw, bool in_active,
				       bool in_nochange);

/* How a device found below a named interface relates to it. */
enum offl_below {
	OFFL_BELOW_NONE,	/* a named interface */
	OFFL_BELOW_PORT,	/* a port (IFLA_MASTER) of a bridge, bond, team */
	OFFL_BELOW_LOWER,	/* the device below a VLAN (IFLA_LINK) */
};

struct offl_iface {
	char name[IF_NAMESIZE];
	unsigned int ifindex;			/* 0 until looked up */
	enum offl_below below;
	size_t upper;				/* index of the device above */
	unsigned int roles;			/* OFFL_ROLE_* */
	struct offl_feat_state feat[OFFL_F_COUNT];
	uint32_t mtu;
	uint32_t size[OFFL_S_COUNT];
	bool size_known[OFFL_S_COUNT];		/* older kernels lack some */
};

/*
 * The interfaces to examine: names[0..n_names) (at most OFFL_MAX_IFACES
 * are taken), else the configuration's cfg4 / cfg6 (its `interface v4` /
 * `interface v6`, NULL or "" when unset). Roles come from the
 * configuration names. Duplicates merge. Returns the count; 0 means
 * nothing to examine (the caller says why).
 */
size_t offl_targets(const char *const *names, size_t n_names,
		    const char *cfg4, const char *cfg6, struct offl_iface *ifs);

/*
 * Adds the devices below ifs[0..n) (ifindex set) from a dump of the
 * namespace's links: the ports of a bridge, bond or team, and the device
 * below a VLAN, and below those in turn; each once, at most max entries
 * in all. Packets reach the upper device already merged by their GRO, so
 * their offloads count as much as its own. Returns the new count.
 */
size_t offl_add_lowers(struct offl_iface *ifs, size_t n, size_t max,
		       const struct link_nl_entry *links, size_t nlinks);

/* "veth1 (port of br0)", "eth0 (below eth0.10)", or just the name. */
#define OFFL_LABEL_MAX	(2 * IF_NAMESIZE + 16)
void offl_label(const char *name, enum offl_below below, const char *upper,
		char *buf, size_t len);
void offl_iface_label(const struct offl_iface *ifs, size_t i, char *buf,
		      size_t len);
/* "port" or "lower", as the JSON says it. */
const char *offl_below_name(enum offl_below below);

enum offl_risk {
	OFFL_RISK_OK,
	OFFL_RISK_HANDLED,	/* on, but the translator copes */
	OFFL_RISK_INFO,		/* worth knowing; does not change the exit */
	OFFL_RISK_RISKY,
};

enum offl_fixed {
	OFFL_FIXED_NO,
	OFFL_FIXED_YES,
	OFFL_FIXED_NA,		/* not something --fix changes (MTU) */
};

struct offl_row {
	const char *iface;	/* the name in the offl_iface: keep it alive */
	const char *upper;	/* the device above, NULL for a named one */
	enum offl_below below;
	unsigned int key;	/* OFFL_KEY_* of the feature */
	const char *feature;
	char state[16];		/* "on", "off" or a number */
	enum offl_fixed fixed;
	enum offl_risk risk;
	char why[160];
};

/* Row keys: features, then sizes, then the MTU (bits of a uint32_t). */
#define OFFL_KEY_SIZE(s)	(OFFL_F_COUNT + (unsigned int)(s))
#define OFFL_KEY_MTU		(OFFL_F_COUNT + OFFL_S_COUNT)


#define OFFL_ROWS_PER_IFACE	(OFFL_F_COUNT + OFFL_S_COUNT + 1)

/* Fills rows (room for n * OFFL_ROWS_PER_IFACE); returns how many. */
size_t offl_rows(const struct offl_iface *ifs, size_t n,
		 struct offl_row *rows);
/* OFFL_EXIT_RISKY when a row is risky, else OFFL_EXIT_OK. */
int offl_exit_code(const struct offl_row *rows, size_t n);

enum offl_result {
	OFFL_RES_WOULD,		/* dry run */
	OFFL_RES_CHANGED,
	OFFL_RES_UNCHANGED,	/* asked, but the kernel kept it */
	OFFL_RES_FIXED,		/* fixed: not asked */
};

/* One change --fix makes: a feature off, or a size down to the limit. */
struct offl_action {
	size_t iface;		/* index in the interface array */
	bool is_size;
	unsigned int id;	/* enum offl_feat or enum offl_size */
	uint32_t from;		/* feature: 1 on, 0 off; size: bytes */
	uint32_t to;		/* wanted; after offl_settle, what it became */
	enum offl_result result;
};

#define OFFL_ACTS_PER_IFACE	(OFFL_F_COUNT + OFFL_S_COUNT)

/*
 * The changes that remove every risky offload and size (room for
 * n * OFFL_ACTS_PER_IFACE); fixed features are listed as OFFL_RES_FIXED,
 * the others as OFFL_RES_WOULD. Returns how many.
 */
size_t offl_plan(const struct offl_iface *ifs, size_t n,
		 struct offl_action *acts);
/* Records in each action what the re-read states show. */
void offl_settle(struct offl_action *acts, size_t n,
		 const struct offl_iface *after);

/* Names as the table and the JSON show them: "risky", "yes", "changed". */
const char *offl_risk_name(enum offl_risk r);
const char *offl_fixed_name(enum offl_fixed f);
const char *offl_result_name(enum offl_result r);

/* The feature or size an action changes, and a value of it ("on", "65536"). */
const char *offl_act_feature(const struct offl_action *a);
void offl_act_value(const struct offl_action *a, uint32_t v, char *buf,
		    size_t len);
/*
 * One action as a line without "\n": "eth0 rx-gro-list: on -> off:
 * changed", "eth0 rx-lro: on: fixed in hardware, cannot change".
 */
void offl_action_str(const struct offl_action *a,
		     const struct offl_iface *ifs, char *buf, size_t len);

struct offl_counts {
	size_t risky;
	size_t risky_fixed;	/* risky and not changeable */
	size_t info;
};

struct offl_counts offl_count(const struct offl_row *rows, size_t n);

/*
 * What has been reported (risky or info rows), by interface name and
 * row key, so that a daemon re-checking says each thing once: when it
 * appears, not again while it stays, again if it goes and comes back.
 */
struct offl_seen {
	struct {
		char name[IF_NAMESIZE];
		uint32_t keys;		/* bit OFFL_KEY_* */
	} e[OFFL_MAX_ALL];
	size_t n;
};

bool offl_seen_has(const struct offl_seen *s, const char *iface,
		   unsigned int key);
/*
 * Replaces s with the risky and info rows of rows[0..n); fresh[i] (room
 * for n) tells which of them s did not hold. Returns how many are fresh.
 */
size_t offl_seen_update(struct offl_seen *s, const struct offl_row *rows,
			size_t n, bool *fresh);
/* The row key of what an action changes. */
unsigned int offl_act_key(const struct offl_action *a);
/*
 * Keeps the actions about settings prev had not seen (a re-check fixes
 * what is new, and does not retry what the kernel kept); returns how
 * many remain, packed at the front.
 */
size_t offl_acts_fresh(struct offl_action *acts, size_t n,
		       const struct offl_iface *ifs,
		       const struct offl_seen *prev);

#endif
