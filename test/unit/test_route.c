// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The route cache: netlink requests and replies built by hand, the cache
 * logic against a scripted backend and a controlled clock, then (as root,
 * in a private network namespace) the real kernel's answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_link.h>
#include <linux/ipv6.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <cmocka.h>

#include "route.h"
#include "route_nl.h"

#define T0	1000000		/* ms: any start works */
#define PORTID	4242u

/* ---- hand-built netlink ------------------------------------------------ */

static uint64_t nlbuf[ROUTE_NL_BUF / 8];

static struct in_addr a4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* Appends an RTM_NEWROUTE at off; mtu 0: no RTA_METRICS. */
static size_t put_route(size_t off, uint32_t seq, uint32_t pid, int family,
			uint32_t oif, uint32_t mtu)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)nlbuf + off);
	struct in6_addr d6 = a6("2001:db8:2::9");
	struct in_addr d4 = a4("203.0.113.9");
	struct rtmsg *rtm;
	struct nlattr *nest;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = pid;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = family == AF_INET ? 32 : 128;
	rtm->rtm_table = RT_TABLE_MAIN;
	mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
	if (family == AF_INET)
		mnl_attr_put(nlh, RTA_DST, sizeof(d4), &d4);
	else
		mnl_attr_put(nlh, RTA_DST, sizeof(d6), &d6);
	mnl_attr_put_u32(nlh, RTA_OIF, oif);
	if (mtu) {
		nest = mnl_attr_nest_start(nlh, RTA_METRICS);
		mnl_attr_put_u32(nlh, RTAX_ADVMSS, 1460);
		mnl_attr_put_strz(nlh, RTAX_CC_ALGO, "cubic");
		mnl_attr_put_u32(nlh, RTAX_MTU, mtu);
		mnl_attr_nest_end(nlh, nest);
	}
	mnl_attr_put_u32(nlh, RTA_UID, 0);
	return off + NLMSG_ALIGN(nlh->nlmsg_len);
}

static size_t put_error(size_t off, uint32_t seq, uint32_t pid, int error)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)nlbuf + off);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = pid;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = 44;
	e->msg.nlmsg_type = RTM_GETROUTE;
	e->msg.nlmsg_seq = seq;
	return off + NLMSG_ALIGN(nlh->nlmsg_len);
}

/* RTM_NEWLINK; mtu6 0: no IFLA_AF_SPEC; conf_len: IFLA_INET6_CONF bytes. */
static size_t put_link(size_t off, uint32_t seq, uint32_t mtu,
		       int32_t mtu6, size_t conf_len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)nlbuf + off);
	int32_t conf[DEVCONF_MAX];
	struct ifinfomsg *ifi;
	struct nlattr *spec, *af;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "d0");
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	mnl_attr_put_u32(nlh, IFLA_MIN_MTU, 68);
	if (mtu6) {
		memset(conf, 0, sizeof(conf));
		conf[DEVCONF_FORWARDING] = 1;
		conf[DEVCONF_HOPLIMIT] = 64;
		conf[DEVCONF_MTU6] = mtu6;
		spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
		af = mnl_attr_nest_start(nlh, AF_INET);
		mnl_attr_put_u32(nlh, 1, 1);	/* IFLA_INET_CONF */
		mnl_attr_nest_end(nlh, af);
		af = mnl_attr_nest_start(nlh, AF_INET6);
		mnl_attr_put_u32(nlh, IFLA_INET6_FLAGS, 0);
		mnl_attr_put(nlh, IFLA_INET6_CONF, conf_len, conf);
		mnl_attr_nest_end(nlh, af);
		mnl_attr_nest_end(nlh, spec);
	}
	return off + NLMSG_ALIGN(nlh->nlmsg_len);
}

/* ---- requests ----------------------------------------------------------- */

static void test_build_route4(void **state)
{
	struct in_addr dst = a4("203.0.113.9");
	const struct nlmsghdr *nlh = (const void *)nlbuf;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	int seen = 0;
	size_t len;

	(void)state;
	len = route_nl_build_route(nlbuf, ROUTE_NL_REQ_BUF, AF_INET, &dst,
				   0x77, 9001);
	/* header 16, rtmsg 12, RTA_DST 8, RTA_MARK 8 */
	assert_int_equal(len, 44);
	assert_int_equal(nlh->nlmsg_len, 44);
	assert_int_equal(nlh->nlmsg_type, RTM_GETROUTE);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(nlh->nlmsg_seq, 9001);
	assert_int_equal(rtm->rtm_family, AF_INET);
	assert_int_equal(rtm->rtm_dst_len, 32);
	assert_int_equal(rtm->rtm_flags, 0);
	mnl_attr_for_each(attr, nlh, sizeof(*rtm)) {
		if (mnl_attr_get_type(attr) == RTA_DST) {
			assert_int_equal(mnl_attr_get_payload_len(attr), 4);
			assert_memory_equal(mnl_attr_get_payload(attr), &dst,
					    4);
			seen |= 1;
		} else if (mnl_attr_get_type(attr) == RTA_MARK) {
			assert_int_equal(mnl_attr_get_u32(attr), 0x77);
			seen |= 2;
		} else {
			fail_msg("unexpected attribute %d",
				 mnl_attr_get_type(attr));
		}
	}
	assert_int_equal(seen, 3);
}

static void test_build_route6(void **state)
{
	struct in6_addr dst = a6("2001:db8:2::9");
	const struct nlmsghdr *nlh = (const void *)nlbuf;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t len;

	(void)state;
	len = route_nl_build_route(nlbuf, ROUTE_NL_REQ_BUF, AF_INET6, &dst,
				   0, 5);
	assert_int_equal(len, 16 + 12 + 20 + 8);
	assert_int_equal(rtm->rtm_family, AF_INET6);
	assert_int_equal(rtm->rtm_dst_len, 128);
	attr = (const struct nlattr *)((const char *)rtm + sizeof(*rtm));
	assert_int_equal(mnl_attr_get_type(attr), RTA_DST);
	assert_memory_equal(mnl_attr_get_payload(attr), &dst, 16);
	/* Errors: unknown family, short buffer, no interface. */
	assert_int_equal(route_nl_build_route(nlbuf, ROUTE_NL_REQ_BUF,
					      AF_UNIX, &dst, 0, 1), 0);
	assert_int_equal(route_nl_build_route(nlbuf, 40, AF_INET6, &dst,
					      0, 1), 0);
	assert_int_equal(route_nl_build_link(nlbuf, ROUTE_NL_REQ_BUF, 0, 1),
			 0);
}

static void test_build_link(void **state)
{
	const struct nlmsghdr *nlh = (const void *)nlbuf;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	(void)state;
	assert_int_equal(route_nl_build_link(nlbuf, ROUTE_NL_REQ_BUF, 12, 77),
			 16 + 16 + 8);
	assert_int_equal(nlh->nlmsg_type, RTM_GETLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(nlh->nlmsg_seq, 77);
	assert_int_equal(ifi->ifi_index, 12);
	assert_int_equal(ifi->ifi_family, AF_UNSPEC);
	attr = (const struct nlattr *)((const char *)ifi + sizeof(*ifi));
	assert_int_equal(mnl_attr_get_type(attr), IFLA_EXT_MASK);
	assert_int_equal(mnl_attr_get_u32(attr), RTEXT_FILTER_SKIP_STATS);
}

/* ---- replies ------------------------------------------------------------ */

static enum route_nl_ret parse_route(size_t len, uint32_t seq,
				     struct route_answer *ans, int *error,
				     unsigned int *skipped)
{
	return route_nl_parse_route(nlbuf, len, seq, PORTID, ans, error,
				    skipped);
}

static void test_parse_route(void **state)
{
	struct route_answer ans;
	unsigned int skipped;
	int error;
	size_t len;

	(void)state;
	len = put_route(0, 10, PORTID, AF_INET, 3, 1300);
	assert_int_equal(parse_route(len, 10, &ans, &error, &skipped),
			 ROUTE_NL_OK);
	assert_int_equal(ans.oif, 3);
	assert_int_equal(ans.mtu, 1300);
	assert_int_equal(skipped, 0);

	len = put_route(0, 11, PORTID, AF_INET, 4, 0);
	assert_int_equal(parse_route(len, 11, &ans, &error, &skipped),
			 ROUTE_NL_OK);
	assert_int_equal(ans.oif, 4);
	assert_int_equal(ans.mtu, 0);

	len = put_route(0, 12, PORTID, AF_INET6, 5, 1280);
	assert_int_equal(parse_route(len, 12, &ans, &error, &skipped),
			 ROUTE_NL_OK);
	assert_int_equal(ans.oif, 5);
	assert_int_equal(ans.mtu, 1280);

	len = put_route(0, 13, PORTID, AF_INET6, 6, 0);
	assert_int_equal(parse_route(len, 13, &ans, &error, &skipped),
			 ROUTE_NL_OK);
	assert_int_equal(ans.oif, 6);
	assert_int_equal(ans.mtu, 0);
}

static void test_parse_error(void **state)
{
	struct route_answer ans;
	unsigned int skipped;
	int error;
	size_t len;

	(void)state;
	len = put_error(0, 20, PORTID, -ENETUNREACH);
	assert_int_equal(parse_route(len, 20, &ans, &error, &skipped),
			 ROUTE_NL_REFUSED);
	assert_int_equal(error, ENETUNREACH);
	len = put_error(0, 21, PORTID, -EACCES);
	assert_int_equal(parse_route(len, 21, &ans, &error, &skipped),
			 ROUTE_NL_REFUSED);
	assert_int_equal(error, EACCES);
	/* An ACK was never asked for; a positive error is nonsense. */
	len = put_error(0, 22, PORTID, 0);
	assert_int_equal(parse_route(len, 22, &ans, &error, &skipped),
			 ROUTE_NL_BAD);
	len = put_error(0, 23, PORTID, 5);
	assert_int_equal(parse_route(len, 23, &ans, &error, &skipped),
			 ROUTE_NL_BAD);
}

static void test_parse_sequence(void **state)
{
	struct route_answer ans;
	unsigned int skipped;
	int error;
	size_t len;

	(void)state;
	/* Only the reply to an older request: read on. */
	len = put_route(0, 29, PORTID, AF_INET, 3, 1300);
	assert_int_equal(parse_route(len, 30, &ans, &error, &skipped),
			 ROUTE_NL_AGAIN);
	assert_int_equal(skipped, 1);
	/* Older error, another port's reply, then ours. */
	len = put_error(0, 28, PORTID, -ENETUNREACH);
	len = put_route(len, 30, PORTID + 1, AF_INET, 8, 1000);
	len = put_route(len, 30, PORTID, AF_INET, 9, 1400);
	assert_int_equal(parse_route(len, 30, &ans, &error, &skipped),
			 ROUTE_NL_OK);
	assert_int_equal(skipped, 2);
	assert_int_equal(ans.oif, 9);
	assert_int_equal(ans.mtu, 1400);
	/* Empty read. */
	assert_int_equal(parse_route(0, 30, &ans, &error, &skipped),
			 ROUTE_NL_AGAIN);
}

static void test_parse_malformed(void **state)
{
	struct nlmsghdr *nlh = (void *)nlbuf;
	struct route_answer ans;
	unsigned int skipped;
	int error;
	size_t len;

	(void)state;
	/* Cut in the middle. */
	len = put_route(0, 40, PORTID, AF_INET, 3, 1300);
	assert_int_equal(parse_route(len - 8, 40, &ans, &error, &skipped),
			 ROUTE_NL_BAD);
	/* A header claiming less than an rtmsg. */
	nlh->nlmsg_len = 16 + 8;
	assert_int_equal(parse_route(16 + 8, 40, &ans, &error, &skipped),
			 ROUTE_NL_BAD);
	/* A link message in answer to a route request. */
	len = put_link(0, 41, 1500, 0, 0);
	assert_int_equal(parse_route(len, 41, &ans, &error, &skipped),
			 ROUTE_NL_BAD);
	/* RTA_OIF of 2 bytes. */
	len = put_route(0, 42, PORTID, AF_INET, 3, 0);
	nlh = mnl_nlmsg_put_header(nlbuf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_seq = 43;
	nlh->nlmsg_pid = PORTID;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	mnl_attr_put_u16(nlh, RTA_OIF, 3);
	assert_int_equal(parse_route(nlh->nlmsg_len, 43, &ans, &error,
				     &skipped), ROUTE_NL_BAD);
	/* RTAX_MTU of 8 bytes inside RTA_METRICS. */
	nlh = mnl_nlmsg_put_header(nlbuf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_seq = 44;
	nlh->nlmsg_pid = PORTID;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, RTA_METRICS);

		mnl_attr_put_u64(nlh, RTAX_MTU, 1300);
		mnl_attr_nest_end(nlh, nest);
	}
	assert_int_equal(parse_route(nlh->nlmsg_len, 44, &ans, &error,
				     &skipped), ROUTE_NL_BAD);
	/* Oversized length. */
	assert_int_equal(route_nl_parse_route(nlbuf, (size_t)INT32_MAX + 1,
					      44, PORTID, &ans, &error,
					      &skipped), ROUTE_NL_BAD);
}

static void test_parse_link(void **state)
{
	struct route_link link;
	unsigned int skipped;
	int error;
	size_t len;

	(void)state;
	len = put_link(0, 50, 1500, 1400, DEVCONF_MAX * 4);
	assert_int_equal(route_nl_parse_link(nlbuf, len, 50, PORTID, &link,
					     &error, &skipped), ROUTE_NL_OK);
	assert_int_equal(link.mtu, 1500);
	assert_int_equal(link.mtu6, 1400);
	len = put_link(0, 51, 9000, 0, 0);
	assert_int_equal(route_nl_parse_link(nlbuf, len, 51, PORTID, &link,
					     &error, &skipped), ROUTE_NL_OK);
	assert_int_equal(link.mtu, 9000);
	assert_int_equal(link.mtu6, 0);
	/* No IFLA_MTU; IFLA_INET6_CONF too short for DEVCONF_MTU6. */
	len = put_link(0, 52, 0, 0, 0);
	assert_int_equal(route_nl_parse_link(nlbuf, len, 52, PORTID, &link,
					     &error, &skipped), ROUTE_NL_BAD);
	len = put_link(0, 53, 1500, 1400, 8);
	assert_int_equal(route_nl_parse_link(nlbuf, len, 53, PORTID, &link,
					     &error, &skipped), ROUTE_NL_BAD);
	len = put_error(0, 54, PORTID, -ENODEV);
	assert_int_equal(route_nl_parse_link(nlbuf, len, 54, PORTID, &link,
					     &error, &skipped),
			 ROUTE_NL_REFUSED);
	assert_int_equal(error, ENODEV);
}

/* ---- the cache against a scripted backend ------------------------------- */

struct fake_route {
	int family;
	uint8_t addr[16];
	enum route_query q;
	uint32_t oif, mtu;
	unsigned int calls;
};

/* What the "kernel" answers; routes not listed get the default. */
static struct fake {
	struct fake_route route[8];
	int nroute;
	struct fake_route dflt;
	uint32_t link_mtu[8], link_mtu6[8];
	enum route_query link_q;
	unsigned int link_calls[8];
	uint32_t mark;
} fk;

static enum route_query fake_get_route(void *arg, int family, const void *dst,
				       uint32_t mark, struct route_answer *ans)
{
	size_t alen = family == AF_INET ? 4 : 16;
	struct fake_route *r = &fk.dflt;
	int i;

	assert_ptr_equal(arg, &fk);
	fk.mark = mark;
	for (i = 0; i < fk.nroute; i++)
		if (fk.route[i].family == family &&
		    !memcmp(fk.route[i].addr, dst, alen))
			r = &fk.route[i];
	r->calls++;
	ans->oif = r->oif;
	ans->mtu = r->mtu;
	return r->q;
}

static enum route_query fake_get_link(void *arg, uint32_t ifindex,
				      struct route_link *link)
{
	assert_ptr_equal(arg, &fk);
	assert_true(ifindex > 0 && ifindex < 8);
	fk.link_calls[ifindex]++;
	link->mtu = fk.link_mtu[ifindex];
	link->mtu6 = fk.link_mtu6[ifindex];
	return fk.link_q;
}

static struct fake_route *fake_add(int family, const void *addr,
				   enum route_query q, uint32_t oif,
				   uint32_t mtu)
{
	struct fake_route *r = &fk.route[fk.nroute++];

	r->family = family;
	memcpy(r->addr, addr, family == AF_INET ? 4 : 16);
	r->q = q;
	r->oif = oif;
	r->mtu = mtu;
	return r;
}

/* Interfaces 1 (1500, IPv6 1500), 2 (1400, IPv6 1350), 3 (65536). */
static int cache_setup(void **state)
{
	const struct route_backend be = { fake_get_route, fake_get_link, &fk };
	char err[128];

	memset(&fk, 0, sizeof(fk));
	fk.dflt.q = ROUTE_Q_NOROUTE;
	fk.link_mtu[1] = 1500;
	fk.link_mtu6[1] = 1500;
	fk.link_mtu[2] = 1400;
	fk.link_mtu6[2] = 1350;
	fk.link_mtu[3] = 65536;
	fk.link_q = ROUTE_Q_OK;
	*state = route_open_backend(&be, 0x1234, err, sizeof(err));
	assert_non_null(*state);
	return 0;
}

static int cache_teardown(void **state)
{
	route_close(*state);
	return 0;
}

static void test_cache_combine(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in_addr v4 = a4("203.0.113.9"), v4b = a4("198.51.100.1");
	struct in6_addr v6 = a6("2001:db8:2::9"), v6b = a6("2001:db8:1::7");

	/* Metric < device, device < metric, IPv6 MTU < device. */
	fake_add(AF_INET, &v4, ROUTE_Q_OK, 1, 1300);
	fake_add(AF_INET, &v4b, ROUTE_Q_OK, 2, 9000);
	fake_add(AF_INET6, &v6, ROUTE_Q_OK, 2, 0);
	fake_add(AF_INET6, &v6b, ROUTE_Q_OK, 1, 1280);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, T0), 1300);
	assert_int_equal(fk.mark, 0x1234);
	assert_int_equal(route_mtu(rc, AF_INET, &v4b, T0), 1400);
	assert_int_equal(route_mtu(rc, AF_INET6, &v6, T0), 1350);
	assert_int_equal(route_mtu(rc, AF_INET6, &v6b, T0), 1280);
	/* Each device asked once: the link cache. */
	assert_int_equal(fk.link_calls[1], 1);
	assert_int_equal(fk.link_calls[2], 1);
	assert_int_equal(st->lookups, 4);
	assert_int_equal(st->hits, 0);
	assert_int_equal(st->netlink_queries, 6);
	/* The IPv4 MTU of interface 2 is its device MTU. */
	assert_int_equal(route_if_mtu(rc, 2, T0), 1400);
	assert_int_equal(route_if_mtu(rc, 3, T0), 65536);
	assert_int_equal(fk.link_calls[3], 1);
	assert_int_equal(route_if_mtu(rc, 3, T0 + ROUTE_TTL_MS - 1), 65536);
	assert_int_equal(fk.link_calls[3], 1);
	fk.link_mtu[3] = 9000;
	assert_int_equal(route_if_mtu(rc, 3, T0 + ROUTE_TTL_MS), 9000);
	assert_int_equal(fk.link_calls[3], 2);
	assert_int_equal(st->netlink_queries, 8);
	assert_int_equal(st->netlink_errors, 0);
}

static void test_cache_ttl_forget(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in_addr v4 = a4("203.0.113.9"), other = a4("203.0.113.10");
	struct fake_route *r = fake_add(AF_INET, &v4, ROUTE_Q_OK, 1, 1300);

	assert_int_equal(route_mtu(rc, AF_INET, &v4, T0), 1300);
	r->mtu = 1200;
	assert_int_equal(route_mtu(rc, AF_INET, &v4, T0 + ROUTE_TTL_MS - 1),
			 1300);
	assert_int_equal(r->calls, 1);
	assert_int_equal(st->hits, 1);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, T0 + ROUTE_TTL_MS), 1200);
	assert_int_equal(r->calls, 2);
	/* EMSGSIZE: forgotten at once, asked again at the next lookup. */
	r->mtu = 1100;
	route_forget(rc, AF_INET, &v4);
	route_forget(rc, AF_INET, &v4);		/* nothing left */
	route_forget(rc, AF_INET, &other);	/* never cached */
	assert_int_equal(st->forgotten, 1);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, T0 + ROUTE_TTL_MS + 1),
			 1100);
	assert_int_equal(r->calls, 3);
	assert_int_equal(st->lookups, 4);
	assert_int_equal(st->hits, 1);
}

static void test_cache_learn(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in_addr v4 = a4("203.0.113.9");
	struct fake_route *r = fake_add(AF_INET, &v4, ROUTE_Q_OK, 1, 1300);
	int64_t t = T0;

	assert_int_equal(route_mtu(rc, AF_INET, &v4, t), 1300);
	route_learn(rc, AF_INET, &v4, 1200, t);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, t), 1200);
	/* Only lowers: 1250 is ignored, 1100 taken, 1100 again refreshes. */
	route_learn(rc, AF_INET, &v4, 1250, t + 10);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, t + 10), 1200);
	route_learn(rc, AF_INET, &v4, 1100, t + 20);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, t + 20), 1100);
	assert_int_equal(st->learned, 2);
	t += 1000 * 60;
	route_learn(rc, AF_INET, &v4, 1100, t);
	assert_int_equal(st->learned, 3);
	/* Survives the route answer's expiry (asked again meanwhile). */
	assert_int_equal(route_mtu(rc, AF_INET, &v4, t + 5000), 1100);
	assert_int_equal(r->calls, 2);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, t + ROUTE_PMTU_MS - 1),
			 1100);
	/* Expired after ROUTE_PMTU_MS: the route's own MTU again. */
	assert_int_equal(route_mtu(rc, AF_INET, &v4, t + ROUTE_PMTU_MS), 1300);
	/* Now a larger value is taken again, when below the route. */
	route_learn(rc, AF_INET, &v4, 1280, t + ROUTE_PMTU_MS);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, t + ROUTE_PMTU_MS), 1280);
	assert_int_equal(st->learned, 4);
}

static void test_cache_learn_bounds(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in_addr v4 = a4("203.0.113.9"), v4b = a4("203.0.113.10");
	struct in6_addr v6 = a6("2001:db8:2::9"), v6b = a6("2001:db8:2::a");
	struct fake_route *r;

	fake_add(AF_INET, &v4, ROUTE_Q_OK, 1, 0);
	fake_add(AF_INET6, &v6, ROUTE_Q_OK, 1, 0);
	fake_add(AF_INET6, &v6b, ROUTE_Q_OK, 3, 0);	/* device 65536 */
	r = fake_add(AF_INET, &v4b, ROUTE_Q_OK, 1, 1300);
	/* Learned before any lookup: clamped to the minimum MTUs. */
	route_learn(rc, AF_INET, &v4, 20, T0);
	route_learn(rc, AF_INET6, &v6, 1000, T0);
	route_learn(rc, AF_INET6, &v6b, 100000, T0);
	assert_int_equal(route_mtu(rc, AF_INET, &v4, T0), 68);
	assert_int_equal(route_mtu(rc, AF_INET6, &v6, T0), 1280);
	assert_int_equal(route_mtu(rc, AF_INET6, &v6b, T0), ROUTE_MAX_MTU);
	assert_int_equal(st->learned, 3);
	/* 0 (a pre-RFC 1191 router) and bad families: counted, ignored. */
	route_learn(rc, AF_INET, &v4b, 0, T0);
	route_learn(rc, AF_UNIX, &v4b, 1000, T0);
	route_learn(rc, AF_INET, NULL, 1000, T0);
	assert_int_equal(st->invalid, 3);
	/* Not below the live route answer: nothing stored. */
	assert_int_equal(route_mtu(rc, AF_INET, &v4b, T0), 1300);
	route_learn(rc, AF_INET, &v4b, 1300, T0);
	route_learn(rc, AF_INET, &v4b, 1400, T0);
	assert_int_equal(st->learned, 3);
	r->mtu = 1500;
	assert_int_equal(route_mtu(rc, AF_INET, &v4b, T0 + ROUTE_TTL_MS), 1500);
}

static void test_cache_negative(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in_addr none = a4("192.0.2.99"), down = a4("192.0.2.98");
	struct in_addr other = a4("192.0.2.97");
	const int64_t T1 = T0 + 1000, T2 = T1 + 1000;
	struct in6_addr dev_gone = a6("2001:db8::1");
	struct in6_addr metric = a6("2001:db8::2");
	struct fake_route *r;

	/* No route: 0, cached like an answer, a learned PMTU does not help. */
	assert_int_equal(route_mtu(rc, AF_INET, &none, T0), 0);
	assert_int_equal(route_mtu(rc, AF_INET, &none, T0 + 999), 0);
	assert_int_equal(fk.dflt.calls, 1);
	assert_int_equal(st->no_route, 1);
	assert_int_equal(st->hits, 1);
	route_learn(rc, AF_INET, &none, 1000, T0 + 999);
	assert_int_equal(route_mtu(rc, AF_INET, &none, T0 + 999), 0);
	assert_int_equal(route_mtu(rc, AF_INET, &none, T0 + 1000), 0);
	assert_int_equal(fk.dflt.calls, 2);
	/* Netlink failed: 0 (cached too), else the learned PMTU. */
	r = fake_add(AF_INET, &down, ROUTE_Q_FAIL, 0, 0);
	assert_int_equal(route_mtu(rc, AF_INET, &down, T1), 0);
	assert_int_equal(st->netlink_errors, 1);
	route_learn(rc, AF_INET, &down, 1000, T1);
	assert_int_equal(route_mtu(rc, AF_INET, &down, T1 + 1), 1000);
	assert_int_equal(r->calls, 1);
	/* Then nothing is asked for ROUTE_TTL_MS. */
	assert_int_equal(route_mtu(rc, AF_INET, &other, T1 + 999), 0);
	assert_int_equal(fk.dflt.calls, 2);
	assert_int_equal(st->throttled, 1);
	r->q = ROUTE_Q_OK;
	r->oif = 1;
	assert_int_equal(route_mtu(rc, AF_INET, &down, T1 + 1000), 1000);
	assert_int_equal(route_mtu(rc, AF_INET, &other, T1 + 1000), 0);
	assert_int_equal(r->calls, 2);
	assert_int_equal(fk.dflt.calls, 3);
	assert_int_equal(st->netlink_errors, 1);
	/* Route but the device query fails: the metric alone, else 0. */
	fake_add(AF_INET6, &dev_gone, ROUTE_Q_OK, 4, 0);
	fake_add(AF_INET6, &metric, ROUTE_Q_OK, 5, 1400);
	fk.link_q = ROUTE_Q_FAIL;
	assert_int_equal(route_mtu(rc, AF_INET6, &dev_gone, T2), 0);
	assert_int_equal(route_mtu(rc, AF_INET6, &metric, T2), 1400);
	assert_int_equal(st->netlink_errors, 3);
	assert_int_equal(route_if_mtu(rc, 4, T2), 0);	/* cached */
	assert_int_equal(fk.link_calls[4], 1);
	/* Bad arguments. */
	assert_int_equal(route_mtu(rc, AF_UNIX, &none, T2), 0);
	assert_int_equal(route_mtu(rc, AF_INET6, NULL, T2), 0);
	assert_int_equal(route_if_mtu(rc, 0, T2), 0);
	route_forget(rc, 0, &none);
	assert_int_equal(st->invalid, 4);
	assert_null(route_open_backend(NULL, 0, (char[64]){ 0 }, 64));
}

/* A distinct IPv6 destination per i. */
static struct in6_addr flood_addr(uint32_t i)
{
	struct in6_addr a = a6("2001:db8:f::");

	a.s6_addr[12] = (uint8_t)(i >> 24);
	a.s6_addr[13] = (uint8_t)(i >> 16);
	a.s6_addr[14] = (uint8_t)(i >> 8);
	a.s6_addr[15] = (uint8_t)i;
	return a;
}

static void test_cache_flood(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in6_addr hot = a6("2001:db8:1::1"), learnt = a6("2001:db8:1::2");
	struct in6_addr cold = a6("2001:db8:1::3"), a;
	struct fake_route *rh, *rl, *rcold;
	uint32_t i, n = 100000;

	route_set_query_rate(rc, 0, 0);
	fk.dflt.q = ROUTE_Q_OK;
	fk.dflt.oif = 1;
	rh = fake_add(AF_INET6, &hot, ROUTE_Q_OK, 1, 0);
	rl = fake_add(AF_INET6, &learnt, ROUTE_Q_OK, 1, 0);
	rcold = fake_add(AF_INET6, &cold, ROUTE_Q_OK, 1, 0);
	assert_int_equal(route_mtu(rc, AF_INET6, &cold, T0), 1500);
	route_learn(rc, AF_INET6, &learnt, 1400, T0);
	/* All within one TTL: every replaced entry is live. */
	for (i = 0; i < n; i++) {
		a = flood_addr(i);
		assert_int_equal(route_mtu(rc, AF_INET6, &a, T0), 1500);
		assert_int_equal(route_mtu(rc, AF_INET6, &hot, T0), 1500);
	}
	assert_int_equal(fk.dflt.calls, n);
	/* Used after every insertion, the hot entry was never replaced. */
	assert_int_equal(rh->calls, 1);
	assert_int_equal(st->hits, n - 1);
	/* 4096 slots: cold, learnt and hot took three, the flood the rest. */
	assert_int_equal(st->evicted, n + 1 - (ROUTE_SLOTS - 2));
	/* The learned PMTU outlived the flood; the cold entry did not. */
	assert_int_equal(route_mtu(rc, AF_INET6, &learnt, T0), 1400);
	assert_int_equal(rl->calls, 1);
	assert_int_equal(route_mtu(rc, AF_INET6, &cold, T0), 1500);
	assert_int_equal(rcold->calls, 2);
	/* The most recent destination is still cached. */
	a = flood_addr(n - 1);
	assert_int_equal(route_mtu(rc, AF_INET6, &a, T0), 1500);
	assert_int_equal(fk.dflt.calls, n);
	assert_int_equal(fk.link_calls[1], 1);
	assert_int_equal(st->netlink_queries, n + 4 + 1);
}

static void test_cache_throttle(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in_addr d1 = a4("203.0.113.1"), d2 = a4("203.0.113.2");
	struct in_addr d3 = a4("203.0.113.3");
	struct fake_route *r1;

	r1 = fake_add(AF_INET, &d1, ROUTE_Q_OK, 1, 1300);
	fake_add(AF_INET, &d2, ROUTE_Q_OK, 1, 1200);
	fake_add(AF_INET, &d3, ROUTE_Q_OK, 1, 1100);
	route_set_query_rate(rc, 1000, 2);	/* one per ms, burst of two */
	assert_int_equal(route_mtu(rc, AF_INET, &d1, T0), 1300);
	assert_int_equal(route_mtu(rc, AF_INET, &d2, T0), 1200);
	/* d3 is not asked: no answer, nothing learned. */
	assert_int_equal(route_mtu(rc, AF_INET, &d3, T0), 0);
	assert_int_equal(st->throttled, 1);
	assert_int_equal(st->netlink_queries, 3);	/* 2 routes, 1 link */
	assert_int_equal(route_mtu(rc, AF_INET, &d3, T0 + 1), 1100);
	/* After the TTL, d2 and d3 use the refilled budget up; d1 then gets
	 * its stale answer... */
	assert_int_equal(route_mtu(rc, AF_INET, &d2, T0 + 1001), 1200);
	assert_int_equal(route_mtu(rc, AF_INET, &d3, T0 + 1001), 1100);
	r1->mtu = 1000;
	assert_int_equal(route_mtu(rc, AF_INET, &d1, T0 + 1001), 1300);
	assert_int_equal(r1->calls, 1);
	/* ...but not a forgotten one. */
	route_forget(rc, AF_INET, &d1);
	assert_int_equal(route_mtu(rc, AF_INET, &d1, T0 + 1001), 0);
	assert_int_equal(st->throttled, 3);
	assert_int_equal(route_mtu(rc, AF_INET, &d1, T0 + 1002), 1000);
	assert_int_equal(r1->calls, 2);
}

/*
 * route_mtu_peek, the core's view: never a query, never a change. Nothing
 * cached: 0 and stale; a live answer: it, not stale; an expired one: still
 * it, stale (a throttled route_mtu answers the same); a learned PMTU
 * without an answer: the PMTU, stale.
 */
static void test_cache_peek(void **state)
{
	struct route_cache *rc = *state;
	const struct route_stats *st = route_stats(rc);
	struct in_addr v4 = a4("203.0.113.9"), v4b = a4("203.0.113.10");
	struct fake_route *r = fake_add(AF_INET, &v4, ROUTE_Q_OK, 1, 1300);
	bool stale = false;

	assert_int_equal(route_mtu_peek(rc, AF_INET, &v4, T0, &stale), 0);
	assert_true(stale);
	assert_int_equal(r->calls, 0);
	assert_int_equal(st->lookups, 0);
	/* The daemon resolves the miss after the packet. */
	assert_int_equal(route_mtu(rc, AF_INET, &v4, T0), 1300);
	assert_int_equal(r->calls, 1);
	assert_int_equal(route_mtu_peek(rc, AF_INET, &v4, T0 + 1, &stale),
			 1300);
	assert_false(stale);
	assert_int_equal(route_mtu_peek(rc, AF_INET, &v4, T0 + ROUTE_TTL_MS,
					&stale), 1300);
	assert_true(stale);
	assert_int_equal(r->calls, 1);
	/* A learned PMTU alone (no route answer yet). */
	route_learn(rc, AF_INET, &v4b, 1100, T0);
	assert_int_equal(route_mtu_peek(rc, AF_INET, &v4b, T0 + 1, &stale),
			 1100);
	assert_true(stale);
	/* Expired: gone from the answer, though peek forgets nothing. */
	assert_int_equal(route_mtu_peek(rc, AF_INET, &v4b,
					T0 + ROUTE_PMTU_MS, &stale), 0);
	assert_int_equal(route_mtu_peek(rc, AF_INET, &v4b, T0 + 1, &stale),
			 1100);
	assert_int_equal(st->lookups, 1);
	assert_int_equal(st->netlink_queries, 2);	/* route and link */
	assert_int_equal(route_mtu_peek(rc, 99, &v4, T0, &stale), 0);
	assert_true(stale);
}

#define ROUTE_CACHE_TESTS						\
	cmocka_unit_test_setup_teardown(test_cache_peek,		\
					cache_setup, cache_teardown),	\
	cmocka_unit_test_setup_teardown(test_cache_combine,		\
					cache_setup, cache_teardown),	\
	cmocka_unit_test_setup_teardown(test_cache_ttl_forget,		\
					cache_setup, cache_teardown),	\
	cmocka_unit_test_setup_teardown(test_cache_learn,		\
					cache_setup, cache_teardown),	\
	cmocka_unit_test_setup_teardown(test_cache_learn_bounds,	\
					cache_setup, cache_teardown),	\
	cmocka_unit_test_setup_teardown(test_cache_negative,		\
					cache_setup, cache_teardown),	\
	cmocka_unit_test_setup_teardown(test_cache_flood,		\
					cache_setup, cache_teardown),	\
	cmocka_unit_test_setup_teardown(test_cache_throttle,		\
					cache_setup, cache_teardown),

/* ---- the real kernel, in a private network namespace -------------------- */

static int sh(const char *cmd)
{
	int rc = system(cmd);

	if (rc)
		print_error("command failed (%d): %s\n", rc, cmd);
	return rc;
}

/* veth: this kernel has no dummy driver; d1, the peer, stays unused. */
static const char live_setup[] =
	"ip link set lo up && "
	"{ ip link add d0 type dummy 2>/dev/null || "
	"{ ip link add d0 type veth peer name d1 && ip link set d1 up; }; } && "
	"ip link set d0 up mtu 1400 && "
	"ip addr add 192.0.2.1/24 dev d0 && "
	"ip route add 203.0.113.0/24 via 192.0.2.2 mtu 1300 && "
	"ip -6 addr add 2001:db8:1::1/64 dev d0 nodad && "
	"ip -6 route add 2001:db8:2::/64 via 2001:db8:1::2 mtu 1300 && "
	/* Packets marked 0x77 follow table 100, with a smaller MTU. */
	"ip rule add fwmark 0x77 table 100 && "
	"ip route add 203.0.113.0/24 via 192.0.2.2 mtu 1200 table 100";

static void test_live(void **state)
{
	struct in_addr far4 = a4("203.0.113.9"), near4 = a4("192.0.2.7");
	struct in_addr none4 = a4("198.51.100.1"), self4 = a4("192.0.2.1");
	struct in6_addr far6 = a6("2001:db8:2::9"), near6 = a6("2001:db8:1::7");
	struct in6_addr none6 = a6("2001:db8:3::1");
	const struct route_stats *st;
	struct route_cache *rc, *marked;
	char err[128];
	int64_t t = T0;
	unsigned int ifindex;

	(void)state;
	if (geteuid() != 0)
		skip();
	if (unshare(CLONE_NEWNET) < 0) {
		print_message("live part skipped: unshare: %s\n",
			      strerror(errno));
		skip();
	}
	assert_int_equal(sh(live_setup), 0);
	ifindex = if_nametoindex("d0");
	assert_true(ifindex > 0);
	rc = route_open(0, err, sizeof(err));
	assert_non_null(rc);
	st = route_stats(rc);

	assert_int_equal(route_mtu(rc, AF_INET, &far4, t), 1300);
	assert_int_equal(route_mtu(rc, AF_INET, &near4, t), 1400);
	assert_int_equal(route_mtu(rc, AF_INET, &none4, t), 0);
	/* A local address: through lo. */
	assert_int_equal(route_mtu(rc, AF_INET, &self4, t), 65536);
	assert_int_equal(route_mtu(rc, AF_INET6, &far6, t), 1300);
	assert_int_equal(route_mtu(rc, AF_INET6, &near6, t), 1400);
	assert_int_equal(route_mtu(rc, AF_INET6, &none6, t), 0);
	assert_int_equal(route_if_mtu(rc, ifindex, t), 1400);
	assert_int_equal(route_if_mtu(rc, 1, t), 65536);
	assert_int_equal(route_if_mtu(rc, 999999, t), 0);	/* ENODEV */
	assert_int_equal(st->no_route, 2);
	/* 7 routes; links d0 and lo; one more for the unknown index. */
	assert_int_equal(st->netlink_queries, 7 + 2 + 1);
	assert_int_equal(st->netlink_errors, 1);
	assert_int_equal(st->discarded, 0);

	/* The mark reaches policy routing. */
	marked = route_open(0x77, err, sizeof(err));
	assert_non_null(marked);
	assert_int_equal(route_mtu(marked, AF_INET, &far4, t), 1200);
	route_close(marked);

	/* A route change shows after the TTL, or at once after a forget. */
	assert_int_equal(sh("ip route change 203.0.113.0/24 via 192.0.2.2 "
			    "mtu 1280 && ip -6 route change 2001:db8:2::/64 "
			    "via 2001:db8:1::2 mtu 1290"), 0);
	assert_int_equal(route_mtu(rc, AF_INET, &far4, t + 500), 1300);
	assert_int_equal(route_mtu(rc, AF_INET6, &far6, t + ROUTE_TTL_MS - 1),
			 1300);
	route_forget(rc, AF_INET, &far4);
	assert_int_equal(route_mtu(rc, AF_INET, &far4, t + 500), 1280);
	assert_int_equal(route_mtu(rc, AF_INET6, &far6, t + ROUTE_TTL_MS),
			 1290);
	/* The device's IPv6 MTU counts for IPv6 only. */
	t += ROUTE_TTL_MS;
	assert_int_equal(sh("sysctl -qw net.ipv6.conf.d0.mtu=1350"), 0);
	assert_int_equal(route_mtu(rc, AF_INET6, &near6, t + ROUTE_TTL_MS),
			 1350);
	assert_int_equal(route_mtu(rc, AF_INET, &near4, t + ROUTE_TTL_MS),
			 1400);
	/* A learned PMTU lowers the kernel's answer. */
	route_learn(rc, AF_INET6, &near6, 1300, t + ROUTE_TTL_MS);
	assert_int_equal(route_mtu(rc, AF_INET6, &near6, t + ROUTE_TTL_MS),
			 1300);
	assert_int_equal(st->netlink_errors, 1);
	assert_int_equal(st->discarded, 0);
	route_close(rc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_route4),
		cmocka_unit_test(test_build_route6),
		cmocka_unit_test(test_build_link),
		cmocka_unit_test(test_parse_route),
		cmocka_unit_test(test_parse_error),
		cmocka_unit_test(test_parse_sequence),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_link),
		ROUTE_CACHE_TESTS
		/* Last: it moves the process into a new network namespace. */
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
