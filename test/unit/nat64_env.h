/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A NAT64 state for tests without packets: base configuration (pool6
 * 64:ff9b::/96, pool4 192.0.2.2 ports 1-3000), a clock the test moves
 * (env.now, ms), and flows for nat64_in6/nat64_in4.
 */
#ifndef TEST_UNIT_NAT64_ENV_H
#define TEST_UNIT_NAT64_ENV_H

#include <stdint.h>
#include <netinet/in.h>

#include "nat64_flow.h"

extern const uint8_t key_a[NAT64_KEY_LEN];
extern const uint8_t key_b[NAT64_KEY_LEN];

struct env {
	struct config cfg;
	struct nat64_state *st;
	struct xlat_stats stats;
	int64_t now;
};

/* A state under exactly text; key NULL: key_a. */
void env_open_text(struct env *e, const char *text, const uint8_t *key);
/* The same with the log hook ops/arg installed before its first sync. */
struct nat64_log_ops;
void env_open_logged(struct env *e, const char *text, const uint8_t *key,
		     const struct nat64_log_ops *ops, void *arg);
/* Parses text and syncs the state to it (then the old config goes). */
void env_resync(struct env *e, const char *text);
/* The base configuration and then extra (may be NULL). */
void env_open(struct env *e, const char *extra, const uint8_t *key);
void env_close(struct env *e);
struct nat64_op op_at(struct env *e);
struct in_addr a4(const char *s);
struct in6_addr a6(const char *s);
/* From the IPv6 host src#sport to the IPv4 node dst#dport. */
struct nat64_flow f6(enum config_l4 l4, const char *src, uint16_t sport,
		     const char *dst, uint16_t dport, uint8_t flags);
/* From the IPv4 node src#sport to the pool4 side dst#dport. */
struct nat64_flow f4(enum config_l4 l4, const char *src, uint16_t sport,
		     const char *dst, uint16_t dport, uint8_t flags);
struct nat64_result in6(struct env *e, struct nat64_flow f);
struct nat64_result in4(struct env *e, struct nat64_flow f);
/* Expires everything due at e->now; returns how many. */
size_t expire(struct env *e);
uint64_t nsess(const struct env *e);

#endif
