// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which MTU a translated packet must fit, per destination.
 *
 * Order (xlat_mtu_chain, the one chain the core and the daemon share):
 * the config's `mtu v4|v6` (the operator knows best), then the kernel's
 * answer for the route (route.c: device MTU, route MTU, PMTU exceptions,
 * and path MTUs learned here from the ICMP errors we translate), then
 * the `interface` MTU, then 1500.
 *
 * The core never waits for the kernel: it peeks at the route cache
 * (daemon_mtu_ops) and lists what it missed in xlat_out.miss, which
 * daemon_mtu_resolve asks the kernel about after the packet. So the first
 * packet towards a new destination gets the fallback (the `interface`
 * MTU, else 1500), as when the cache was over its query budget, and the
 * next ones the route's MTU. If that first packet is too big for a
 * smaller route, the kernel refuses it (EMSGSIZE, counted) or, IPv4 with
 * DF=0, fragments it; a refusal makes daemon_on_msgsize ask again at once.
 *
 * Why learn from translated errors: the Fragmentation Needed a far IPv4
 * router sends is addressed to the IPv6 host's translated address, so the
 * kernel forwards it (to us) and learns nothing. The IPv6 sender lowers
 * its segment size, but GRO/TSO glue its segments again and NFQUEUE does
 * not say how big they were: without remembering the path MTU ourselves,
 * we would cut the aggregate back to the big size and lose it again.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "bytes.h"
#include "daemon.h"

/*
 * Smallest IPv4 path MTU believed from an ICMP error: Linux's default
 * net.ipv4.route.min_pmtu, so that a forged error cannot shrink a flow
 * to 68-byte packets.
 */
#define DAEMON_MIN_PMTU4	552u
/* The same path MTU is told to the other workers at most this often. */
#define DAEMON_NOTE_AGAIN_MS	1000

static uint32_t daemon_if_mtu(const char *ifname)
{
	struct ifreq ifr;
	uint32_t mtu = 0;
	int fd;

	if (!ifname[0])
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!ioctl(fd, SIOCGIFMTU, &ifr) && ifr.ifr_mtu > 0)
		mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
	return mtu;
}

void daemon_learn_mtus(struct dworker *w)
{
	w->ctx.if_mtu4 = daemon_if_mtu(w->set->cfg.iface4);
	w->ctx.if_mtu6 = daemon_if_mtu(w->set->cfg.iface6);
}

uint32_t daemon_mtu(const struct dworker *w, enum xlat_side side)
{
	return xlat_mtu_chain(&w->ctx, side, 0);
}

static int daemon_family(enum xlat_side side)
{
	return side == XLAT_SIDE_V4 ? AF_INET : AF_INET6;
}

uint32_t daemon_mtu_to(struct dworker *w, enum xlat_side side,
		       const void *dst)
{
	uint32_t route = 0;

	if (!xlat_mtu_configured(&w->set->cfg, side) && w->route)
		route = route_mtu(w->route, daemon_family(side), dst,
				  w->now_ms);
	return xlat_mtu_chain(&w->ctx, side, route);
}

/* The core's peek: the route cache as it is, never netlink. */
static uint32_t daemon_mtu_peek(const void *arg, enum xlat_side side,
				const void *dst, int64_t now_ms, bool *stale)
{
	const struct route_cache *rc = arg;

	return route_mtu_peek(rc, daemon_family(side), dst, now_ms, stale);
}

static const struct xlat_mtu_ops daemon_mtu_ops = {
	.peek = daemon_mtu_peek,
};

void daemon_mtu_attach(struct dworker *w)
{
	w->ctx.mtu_ops = w->route ? &daemon_mtu_ops : NULL;
	w->ctx.mtu_arg = w->route;
}

void daemon_mtu_resolve(struct dworker *w, const struct xlat_out *out)
{
	for (unsigned int i = 0; i < out->miss_count && w->route; i++)
		route_mtu(w->route, daemon_family(out->miss[i].side),
			  out->miss[i].addr, w->now_ms);
}

uint32_t daemon_ingress_mtu(struct dworker *w, uint32_t ifindex)
{
	if (!ifindex || !w->route)
		return 0;
	return route_if_mtu(w->route, ifindex, w->now_ms);
}

/*
 * Learned here, and told to the other workers: the error came back on
 * another flow than the one it is about (the reverse direction, from
 * the other family), so the worker that sends towards dst may be any.
 */
static void daemon_mtu_note(struct dworker *w, int family, const uint8_t *dst,
			    uint32_t mtu)
{
	struct dnote n;

	route_learn(w->route, family, dst, mtu, w->now_ms);
	/* Zeroed whole, padding included: compared with memcmp below. */
	memset(&n, 0, sizeof(n));
	n.kind = DNOTE_PMTU;
	n.family = family;
	n.value = mtu;
	memcpy(n.dst, dst, family == AF_INET ? 4 : 16);
	/* Every segment of a window too big brings the same error: the
	 * others hear it once a second (enough to keep it from expiring). */
	if (!memcmp(&n, &w->pmtu_told, sizeof(n)) &&
	    w->now_ms - w->pmtu_told_ms < DAEMON_NOTE_AGAIN_MS)
		return;
	w->pmtu_told = n;
	w->pmtu_told_ms = w->now_ms;
	dworker_post(w, &n);
}

/* RFC 792 / RFC 1191: type 3 code 4, next-hop MTU in bytes 6-7. */
static void daemon_learn4(struct dworker *w, const uint8_t *p, size_t len)
{
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	const uint8_t *ic = p + ihl;
	uint32_t mtu;

	if (p[9] != IPPROTO_ICMP || (p[6] & 0x3f) || p[7] ||
	    len < ihl + 8 + 20 || ic[0] != ICMP_DEST_UNREACH || ic[1] != ICMP_FRAG_NEEDED)
		return;
	/* An old router says 0 (RFC 1191 section 5): nothing to learn. */
	mtu = rd16(ic + 6);
	if (mtu)
		daemon_mtu_note(w, AF_INET, ic + 8 + 16,
				mtu < DAEMON_MIN_PMTU4 ? DAEMON_MIN_PMTU4 : mtu);
}

/* RFC 4443 3.2: type 2, MTU in bytes 4-7; no extension header expected. */
static void daemon_learn6(struct dworker *w, const uint8_t *p, size_t len)
{
	const uint8_t *ic = p + 40;
	uint32_t mtu;

	if (p[6] != IPPROTO_ICMPV6 || len < 40 + 8 + 40 ||
	    ic[0] != ICMP6_PACKET_TOO_BIG)
		return;
	mtu = rd32(ic + 4);
	daemon_mtu_note(w, AF_INET6, ic + 8 + 24, mtu);
}

void daemon_mtu_learn(struct dworker *w, const uint8_t *pkt, size_t len)
{
	if (!w->route)
		return;
	if (len >= 20 && (pkt[0] >> 4) == 4 && (pkt[0] & 0x0f) >= 5)
		daemon_learn4(w, pkt, len);
	else if (len >= 40 && (pkt[0] >> 4) == 6)
		daemon_learn6(w, pkt, len);
}
