/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink for the route cache: one synchronous RTM_GETROUTE or
 * RTM_GETLINK exchange at a time, with a bounded receive. Building a
 * request and parsing a reply are pure functions, for the unit tests.
 */
#ifndef TRANSLATOR_ROUTE_NL_H
#define TRANSLATOR_ROUTE_NL_H

#include <stddef.h>
#include <stdint.h>

#include "route.h"

/* A reply with IFLA_AF_SPEC is a few KB; more than that is an error. */
#define ROUTE_NL_BUF		16384
#define ROUTE_NL_REQ_BUF	256

enum route_nl_ret {
	ROUTE_NL_AGAIN,		/* nothing for our request: read on */
	ROUTE_NL_OK,
	ROUTE_NL_REFUSED,	/* NLMSG_ERROR: *error holds the errno */
	ROUTE_NL_BAD,		/* malformed, or an unexpected message */
};

/*
 * RTM_GETROUTE for dst with RTA_DST and RTA_MARK (NLM_F_REQUEST only: the
 * answer is one RTM_NEWROUTE or one NLMSG_ERROR). Returns the length, 0
 * if family is not AF_INET/AF_INET6 or size is too small.
 */
size_t route_nl_build_route(void *buf, size_t size, int family,
			    const void *dst, uint32_t mark, uint32_t seq);
/* RTM_GETLINK for ifindex, statistics skipped. Same returns. */
size_t route_nl_build_link(void *buf, size_t size, uint32_t ifindex,
			   uint32_t seq);

/*
 * Looks in buf (what one recv returned) for the answer to request seq
 * from the kernel to portid; other messages are skipped and counted in
 * *skipped. error receives the errno of ROUTE_NL_REFUSED.
 */
enum route_nl_ret route_nl_parse_route(const void *buf, size_t len,
				       uint32_t seq, uint32_t portid,
				       struct route_answer *ans, int *error,
				       unsigned int *skipped);
enum route_nl_ret route_nl_parse_link(const void *buf, size_t len,
				      uint32_t seq, uint32_t portid,
				      struct route_link *link, int *error,
				      unsigned int *skipped);

struct route_nl;

/* Replies discarded by sequence number are counted in stats->discarded. */
struct route_nl *route_nl_open(struct route_stats *stats, char *err,
			       size_t errlen);
void route_nl_close(struct route_nl *nl);

/* The route_backend functions; arg is a struct route_nl. */
enum route_query route_nl_get_route(void *arg, int family, const void *dst,
				    uint32_t mark, struct route_answer *ans);
enum route_query route_nl_get_link(void *arg, uint32_t ifindex,
				   struct route_link *link);

#endif
