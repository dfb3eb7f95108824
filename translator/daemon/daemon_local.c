// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool4 on the host's own addresses (NAT64, RFC 6146): the rules queue
 * only pool4's ports there, but ICMP has no port iptables can match, so
 * every ICMP message to such an address but echo requests is queued
 * (rules.c). What is not about pool4 goes back to the host untranslated
 * (NF_ACCEPT): echo replies whose identifier pool4 does not lend, errors
 * about packets the host sent itself (their quoted source port is outside
 * pool4), and the other ICMP types. That is the host's traffic, delivered
 * to the host, not a leak through the translator. Only for destinations
 * that are the host's addresses: an address merely routed to it has no
 * one else to take the packet, and the core drops it as before.
 */
#include <ifaddrs.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>

#include "bytes.h"
#include "daemon.h"

/* How long the list of the host's IPv4 addresses is trusted. */
#define DLOCAL_REFRESH_MS	1000

/* The host's IPv4 addresses, read again at most once a second. */
static bool dlocal_is_local(struct dworker *w, const uint8_t *addr)
{
	struct dlocal *l = &w->local4;
	struct ifaddrs *ifa, *i;

	if (!l->read_ms || w->now_ms - l->read_ms >= DLOCAL_REFRESH_MS) {
		l->n = 0;
		l->read_ms = w->now_ms ? w->now_ms : 1;
		if (!getifaddrs(&ifa)) {
			for (i = ifa; i && l->n < DLOCAL_MAX; i = i->ifa_next)
				if (i->ifa_addr &&
				    i->ifa_addr->sa_family == AF_INET)
					l->a[l->n++] = ((struct sockaddr_in *)
						(void *)i->ifa_addr)->sin_addr;
			freeifaddrs(ifa);
		}
	}
	for (size_t k = 0; k < l->n; k++)
		if (!memcmp(&l->a[k], addr, 4))
			return true;
	return false;
}

/* Whether pool4 or a static binding holds (l4, addr, port). */
static bool dlocal_ours(const struct config_nat64 *n, enum config_l4 l4,
			const uint8_t *addr, uint16_t port)
{
	struct in_addr a;

	memcpy(&a, addr, 4);
	for (size_t i = 0; i < n->pool4_count; i++) {
		const struct pool4_entry *p = &n->pool4[i];

		if (p->l4 == l4 && prefix4_contains(&p->prefix, &a) &&
		    port >= p->port_min && port <= p->port_max)
			return true;
	}
	for (size_t i = 0; i < n->bib_count; i++)
		if (n->bib[i].l4 == l4 && n->bib[i].addr4.s_addr == a.s_addr &&
		    n->bib[i].port4 == port)
			return true;
	return false;
}

/*
 * An ICMP error quotes the packet it is about: one we translated has
 * pool4's address and port as its source. The protocol tells where the
 * port is (ICMP queries: the identifier). Unknown or short: not ours.
 */
static bool dlocal_error_ours(const struct config_nat64 *n,
			      const uint8_t *in, size_t len)
{
	size_t ihl;

	if (len < 20 || (in[0] >> 4) != 4)
		return false;
	ihl = (size_t)(in[0] & 15) * 4;
	if (ihl < 20 || len < ihl + 8)
		return false;
	switch (in[9]) {
	case IPPROTO_TCP:
		return dlocal_ours(n, CONFIG_L4_TCP, in + 12,
				   rd16(in + ihl));
	case IPPROTO_UDP:
		return dlocal_ours(n, CONFIG_L4_UDP, in + 12,
				   rd16(in + ihl));
	case IPPROTO_ICMP:
		return dlocal_ours(n, CONFIG_L4_ICMP, in + 12,
				   rd16(in + ihl + 4));
	default:
		return false;
	}
}

bool daemon_local_handback(struct dworker *w, const uint8_t *pkt, size_t len)
{
	const struct config *cfg = &w->set->cfg;
	const uint8_t *icmp;
	size_t ihl;
	bool ours;

	/* Cheap tests first: this runs for every IPv4 packet. */
	if (cfg->mode != CONFIG_MODE_NAT64 || len < 28 || pkt[9] != IPPROTO_ICMP)
		return false;
	ihl = (size_t)(pkt[0] & 15) * 4;
	/* Fragments go the usual way (ICMP reassembly, then the core). */
	if (ihl < 20 || len < ihl + 8 || (rd16(pkt + 6) & 0x3fff))
		return false;
	icmp = pkt + ihl;
	switch (icmp[0]) {
	case ICMP_ECHOREPLY:
		ours = dlocal_ours(&cfg->nat64, CONFIG_L4_ICMP, pkt + 16,
				   rd16(icmp + 4));
		break;
	case ICMP_DEST_UNREACH:
	case ICMP_TIME_EXCEEDED:
	case ICMP_PARAMETERPROB:
		ours = dlocal_error_ours(&cfg->nat64, icmp + 8,
					 len - ihl - 8);
		break;
	default:
		ours = false;
	}
	return !ours && dlocal_is_local(w, pkt + 16);
}
