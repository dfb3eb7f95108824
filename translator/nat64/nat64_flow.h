/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the NAT64 state says of one packet (RFC 6146 section 3.5): find or
 * create its binding and session, run the TCP state machine, filter, keep
 * an IPv4 SYN that may be half of a simultaneous open. The translation
 * itself is the core's (nat64_xlat.c); this is its state-side half.
 */
#ifndef TRANSLATOR_NAT64_FLOW_H
#define TRANSLATOR_NAT64_FLOW_H

#include "nat64_state.h"

/* TCP header flags (RFC 9293 section 3.1). */
#define NAT64_TCP_FIN	0x01u
#define NAT64_TCP_SYN	0x02u
#define NAT64_TCP_RST	0x04u

/*
 * One packet's transport addresses. From the IPv6 side: src6#sport is
 * the IPv6 host, dst6#dport the remote end, dst4 its IPv4 address. From
 * the IPv4 side: src4#sport is the remote end (src6 its pool6 form),
 * dst4#dport the pool4 side. ICMP queries carry their identifier as the
 * local port (sport from IPv6, dport from IPv4) and 0 as the remote one.
 */
struct nat64_flow {
	enum config_l4 l4;
	struct in6_addr src6, dst6;
	struct in_addr src4, dst4;
	uint16_t sport, dport;
	uint8_t tcp_flags;
};

enum nat64_verdict {
	NAT64_PASS,		/* translate through r->s */
	NAT64_DROP,		/* drop quietly; r->reason counts it */
	NAT64_REFUSE,		/* drop; answer r->icmp_type/code to the sender */
	NAT64_STORED,		/* kept for a simultaneous open (reason:
				 * XLAT_CNT_NAT64_SO_STORED) */
};

struct nat64_result {
	enum nat64_verdict v;
	int reason;			/* the counter of a drop */
	uint8_t icmp_type, icmp_code;	/* in the sender's ICMP version */
	struct nat64_session *s;
};

/* A packet from the IPv6 side (RFC 6146 3.5.1, 3.5.2, 3.5.3). */
void nat64_in6(struct nat64_op *op, const struct nat64_flow *f,
	       struct nat64_result *r);

/*
 * A packet from the IPv4 side. keep/keep_len/keep_v6: what to keep if it
 * is an IPv4 SYN that must wait: the packet the error will quote (for a
 * hairpinned one, the IPv6 original).
 */
void nat64_in4(struct nat64_op *op, const struct nat64_flow *f,
	       const uint8_t *keep, size_t keep_len, bool keep_v6,
	       struct nat64_result *r);

/*
 * Expires what is due at op->now, at most budget sessions. answer is
 * called for each kept SYN whose wait ended unanswered (RFC 6146
 * 3.5.2.2: ICMP port unreachable to its sender) before it is freed; when
 * it returns nonzero (no room) the session stays for a later call.
 * Returns the number expired; budget means there may be more.
 */
size_t nat64_expire(struct nat64_op *op, size_t budget,
		    int (*answer)(void *arg, const struct nat64_stored *kept),
		    void *arg);

/* The earliest time something expires, or INT64_MAX for nothing. */
int64_t nat64_next_expiry(const struct nat64_state *st,
			  const struct config *cfg);

#endif
