// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "address query ADDR [PORT]", the pool4-deterministic part: what the
 * mapping says (common/det_query.c, the code transctl runs offline too),
 * then what the BIB holds now for ADDR#PORT: "which IPv6 host had
 * 192.0.2.7 port 40123" for a dynamic address, and whether the mapped
 * customer has a binding there now for a deterministic one.
 */
#include <arpa/inet.h>
#include <string.h>

#include "daemon.h"
#include "daemon_ctl.h"
#include "det_query.h"
#include "nat64_state.h"

/* "tcp 2001:db8::5#40000, udp -" style list of bindings of a4#port. */
static void det_bindings4(struct nat64_state *st, const struct in_addr *a4,
			  long port, FILE *f)
{
	char b6[INET6_ADDRSTRLEN];
	bool any = false;

	fprintf(f, "bindings\t");
	nat64_lock(st);
	for (int l4 = 0; l4 < CONFIG_L4_COUNT; l4++) {
		const struct nat64_bib *b = nat64_bib_find4(st,
							    (enum config_l4)l4,
							    a4,
							    (uint16_t)port);

		if (!b)
			continue;
		fprintf(f, "%s%s %s#%u", any ? ", " : "",
			config_l4_name((enum config_l4)l4),
			inet_ntop(AF_INET6, &b->addr6, b6, sizeof(b6)),
			b->port6);
		any = true;
	}
	nat64_unlock(st);
	fprintf(f, "%s\n", any ? "" : "none now");
}

int daemon_query_det(struct daemon *d, const char *addr, long port, FILE *f,
		     char *err, size_t errlen)
{
	const struct config *cfg = &d->set->cfg;
	struct nat64_state *st = daemon_nat64(d);
	struct in_addr a4;

	/* Nothing new for the queries of before (no entry, no port). */
	if (cfg->mode != CONFIG_MODE_NAT64 ||
	    (!cfg->nat64.det_count && port == DET_NO_PORT))
		return 0;
	if (port != DET_NO_PORT)
		fprintf(f, "port\t%ld\n", port);
	if (det_query(cfg, addr, port, f, err, errlen) < 0)
		return -1;
	if (st && port != DET_NO_PORT && inet_pton(AF_INET, addr, &a4) == 1)
		det_bindings4(st, &a4, port, f);
	return 0;
}
