/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packets through the core in mode nat64, for tests: the NAT64 setup of
 * the conformance cases (pool6 64:ff9b::/96, pool4 192.0.2.2 ports
 * 1-3000, a static UDP binding 192.0.2.2#2000 = 2001:db8::6#2000, own
 * addresses 2001:db8::1 and 192.0.2.2) on top of pktbuild's.
 */
#ifndef TEST_UNIT_NAT64_PKT_H
#define TEST_UNIT_NAT64_PKT_H

#include "nat64_flow.h"
#include "nat64_xlat.h"
#include "pktbuild.h"

struct nenv {
	struct pb_env pb;
	struct nat64_state *st;		/* attached to pb.ctx */
	uint8_t pkt[PB_MAX];
	uint8_t l4[PB_MAX];
};

extern const uint8_t payload[15];

/* cmocka fixtures; reconf: the setup plus extra lines. */
int setup(void **state);
int teardown(void **state);
struct nenv *reconf(void **state, const char *extra);

/* UDP from the IPv6 host 2001:db8::5#sport to dst6#53, into n->pkt. */
size_t udp6(struct nenv *n, uint16_t sport, const char *dst6);
/* UDP from src#sport to 192.0.2.2#dport, into n->pkt. */
size_t udp4(struct nenv *n, const char *src, uint16_t sport, uint16_t dport);
/* Translates udp6(sport) to 192.0.2.5; returns the pool4 port it got. */
uint16_t out_udp(struct nenv *n, uint16_t sport);
/* A SYN from 192.0.2.5#2601 to 192.0.2.2#dport, into n->pkt. */
size_t syn4(struct nenv *n, uint16_t dport);
/* nat64_xlat_timers at n->pb.now_ms into n->pb.out. */
int run_timers(struct nenv *n);

#endif
