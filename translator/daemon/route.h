/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-destination egress MTU for translatord: the kernel's route towards a
 * destination (RTM_GETROUTE: its RTAX_MTU metric, which also carries a
 * kernel PMTU exception, and its outgoing device's MTU), combined with the
 * path MTUs learned from the ICMP errors the translator forwards (RFC 1191,
 * RFC 8201). Answers are cached in a fixed-size table: no allocation per
 * packet and bounded memory whatever the traffic.
 *
 * Not thread-safe: one cache per thread. Every call is cheap on a cache
 * hit; a miss costs one or two synchronous netlink exchanges (a few
 * microseconds, at most ROUTE_RCV_TIMEOUT_MS per read when the kernel does
 * not answer), and misses are rate-limited to ROUTE_QUERY_RATE per second.
 */
#ifndef TRANSLATOR_ROUTE_H
#define TRANSLATOR_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROUTE_TTL_MS		1000
/* RFC 1191 section 6.3 and RFC 8201 section 4 suggest 10 minutes. */
#define ROUTE_PMTU_MS		(10 * 60 * 1000)
#define ROUTE_SLOTS		4096	/* destinations cached */
#define ROUTE_WAYS		4	/* per bucket, LRU replacement */
#define ROUTE_IF_SLOTS		256	/* interfaces cached */
#define ROUTE_MIN_MTU4		68	/* RFC 791 */
#define ROUTE_MIN_MTU6		1280	/* RFC 8200 section 5 */
#define ROUTE_MAX_MTU		65535	/* cap of a learned PMTU */
#define ROUTE_RCV_TIMEOUT_MS	100
/* Netlink queries for cache misses: a token bucket per second. */
#define ROUTE_QUERY_RATE	20000
#define ROUTE_QUERY_BURST	2000

struct route_cache;

/*
 * lookups: route_mtu() calls; hits: answered from the cache;
 * netlink_queries: RTM_GETROUTE and RTM_GETLINK asked; netlink_errors: no
 * usable answer (timeout, socket error, malformed reply); no_route: the
 * kernel refused (ENETUNREACH, EHOSTUNREACH, EACCES, EINVAL for a
 * blackhole); learned: route_learn() calls that stored a PMTU; forgotten:
 * route_forget() calls that dropped an answer; evicted: live entries
 * replaced by another destination; throttled: misses not asked, over the
 * query rate; discarded: netlink replies to an older request; invalid:
 * bad family or address, ifindex 0, learned MTU 0.
 */
struct route_stats {
	uint64_t lookups, hits, netlink_queries, netlink_errors, no_route;
	uint64_t learned, forgotten, evicted, throttled, discarded, invalid;
};

/*
 * Opens a NETLINK_ROUTE socket (libmnl). mark: the SO_MARK of emitted
 * packets, passed as RTA_MARK so that policy routing answers for the
 * packets we really send. NULL + message in err on failure.
 */
struct route_cache *route_open(uint32_t mark, char *err, size_t errlen);
void route_close(struct route_cache *rc);

/*
 * MTU to use towards dst (family AF_INET or AF_INET6, dst = struct in_addr
 * / in6_addr): the smallest of the route's RTAX_MTU metric, the outgoing
 * device's MTU (for IPv6 also the device's IPv6 MTU, net.ipv6.conf.*.mtu),
 * and a PMTU learned with route_learn() that has not expired. Cached per
 * destination for ROUTE_TTL_MS, negative answers and failures too. 0 when
 * there is no route, or when the kernel could not be asked (netlink
 * failed) and nothing was learned: the caller then falls back. Over the
 * query rate, or for ROUTE_TTL_MS after a failed query (a kernel that
 * times out must not cost ROUTE_RCV_TIMEOUT_MS per destination), a miss
 * is not asked (counted throttled): an expired answer still in the cache
 * is used, else the learned PMTU, else 0. now_ms: CLOCK_MONOTONIC
 * milliseconds.
 */
uint32_t route_mtu(struct route_cache *rc, int family, const void *dst,
		   int64_t now_ms);

/*
 * route_mtu without asking anyone and without changing anything: what the
 * cache holds for dst at now_ms (an expired answer too, else a learned
 * PMTU that has not expired, else 0), as a throttled route_mtu answers.
 * *stale: dst has no live answer, so route_mtu should be asked (after
 * the packet: it may block on netlink). For the core's MTU peek.
 */
uint32_t route_mtu_peek(const struct route_cache *rc, int family,
			const void *dst, int64_t now_ms, bool *stale);

/*
 * A send towards dst failed with EMSGSIZE: drops the cached answer (not
 * the learned PMTU) so that the next route_mtu() asks the kernel.
 */
void route_forget(struct route_cache *rc, int family, const void *dst);

/*
 * Path MTU from an ICMPv4 Fragmentation Needed / ICMPv6 Packet Too Big the
 * translator forwarded (RFC 1191 / RFC 8201): kept ROUTE_PMTU_MS for dst;
 * clamped to >= 68 (IPv4) / >= 1280 (IPv6) and <= ROUTE_MAX_MTU; only ever
 * lowers: a value above the live learned one, or not below the cached
 * route answer, is ignored. mtu 0 (a pre-RFC 1191 router) is ignored and
 * counted invalid: plateau estimation is the caller's choice.
 */
void route_learn(struct route_cache *rc, int family, const void *dst,
		 uint32_t mtu, int64_t now_ms);

/*
 * MTU of an interface by index (cached ROUTE_TTL_MS), 0 if unknown: used
 * to cap segment sizes to what the sender could send on the ingress link.
 */
uint32_t route_if_mtu(struct route_cache *rc, uint32_t ifindex,
		      int64_t now_ms);

const struct route_stats *route_stats(const struct route_cache *rc);

/*
 * Budget of netlink queries for cache misses (ROUTE_QUERY_RATE and
 * ROUTE_QUERY_BURST by default): per_second 0 lifts the limit.
 */
void route_set_query_rate(struct route_cache *rc, uint32_t per_second,
			  uint32_t burst);

/*
 * Where answers come from. route_open() uses netlink; tests plug their
 * own functions into route_open_backend() to drive the cache logic.
 */
enum route_query {
	ROUTE_Q_OK,
	ROUTE_Q_NOROUTE,	/* the kernel answered with an error */
	ROUTE_Q_FAIL,		/* no usable answer */
};

struct route_answer {
	uint32_t oif;		/* RTA_OIF, 0 if absent */
	uint32_t mtu;		/* RTAX_MTU, 0 if absent */
};

struct route_link {
	uint32_t mtu;		/* IFLA_MTU */
	uint32_t mtu6;		/* DEVCONF_MTU6, 0 without IPv6 on it */
};

struct route_backend {
	enum route_query (*get_route)(void *arg, int family, const void *dst,
				      uint32_t mark, struct route_answer *ans);
	enum route_query (*get_link)(void *arg, uint32_t ifindex,
				     struct route_link *link);
	void *arg;
};

/* A cache fed by be (copied); no socket. NULL + message on failure. */
struct route_cache *route_open_backend(const struct route_backend *be,
				       uint32_t mark, char *err,
				       size_t errlen);

#endif
