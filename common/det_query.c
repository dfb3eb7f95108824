// SPDX-License-Identifier: GPL-2.0-or-later
/* Answers from the pool4-deterministic mapping (det_query.h). */
#include <arpa/inet.h>
#include <stdlib.h>

#include "det_query.h"

#define DET_SOURCE "computed from the pool4-deterministic mapping (holds " \
	"whether or not a binding exists now)"

static void put(FILE *f, const char *k, const char *v)
{
	fprintf(f, "%s\t%s\n", k, v);
}

static void customer_str(const struct det_entry *e, uint64_t i, char *buf,
			 size_t len)
{
	struct in6_addr a6;
	char b6[INET6_ADDRSTRLEN];

	det_customer(e, i, &a6);
	snprintf(buf, len, "%s/%u", inet_ntop(AF_INET6, &a6, b6, sizeof(b6)),
		 e->host_len);
}

/* Customer i's address and block lines. */
static void put_block(const struct det_entry *e, uint64_t i, FILE *f)
{
	struct in_addr a4;
	uint16_t lo, hi;
	char b4[INET_ADDRSTRLEN], buf[32];

	det_forward(e, i, &a4, &lo, &hi);
	put(f, "det_ipv4", inet_ntop(AF_INET, &a4, b4, sizeof(b4)));
	snprintf(buf, sizeof(buf), "%u-%u", lo, hi);
	put(f, "det_ports", buf);
}

static int query6(const struct config *cfg, const struct in6_addr *a6,
		  FILE *f)
{
	const struct det_entry *e = det_find6(cfg->nat64.det,
					      cfg->nat64.det_count, a6);
	char buf[2 * INET6_ADDRSTRLEN + 64];
	uint64_t i;

	if (!e || !det_index(e, a6, &i))
		return 0;
	det_entry_str(e, buf, sizeof(buf));
	put(f, "det_entry", buf);
	customer_str(e, i, buf, sizeof(buf));
	put(f, "det_customer", buf);
	put_block(e, i, f);
	put(f, "det_source", DET_SOURCE);
	return 1;
}

/* The customers of address a4 (no port given). */
static void query4_all(const struct det_entry *e, const struct in_addr *a4,
		       FILE *f)
{
	uint64_t first, last, n = det_hosts(e), b = det_blocks(e);
	char c1[INET6_ADDRSTRLEN + 8], c2[INET6_ADDRSTRLEN + 8];
	char buf[2 * sizeof(c1) + 2];

	first = (uint64_t)(ntohl(a4->s_addr) - ntohl(e->p4.addr.s_addr)) * b;
	if (first >= n) {
		put(f, "det_customer", "-");
		put(f, "det_source", "no customer maps to this address (the "
		    "entry's customers fit in the addresses before it)");
		return;
	}
	last = first + b - 1 < n ? first + b - 1 : n - 1;
	customer_str(e, first, c1, sizeof(c1));
	customer_str(e, last, c2, sizeof(c2));
	snprintf(buf, sizeof(buf), "%s-%s", c1, c2);
	put(f, "det_customer", buf);
	put(f, "det_source", DET_SOURCE "; give a port for one customer");
}

static int query4(const struct config *cfg, const struct in_addr *a4,
		  long port, FILE *f)
{
	const struct det_entry *e = det_find4(cfg->nat64.det,
					      cfg->nat64.det_count, a4);
	char buf[2 * INET6_ADDRSTRLEN + 64];
	uint64_t i;

	if (!e)
		return 0;
	det_entry_str(e, buf, sizeof(buf));
	put(f, "det_entry", buf);
	if (port == DET_NO_PORT) {
		query4_all(e, a4, f);
		return 1;
	}
	if (!det_reverse(e, a4, (uint32_t)port, &i)) {
		put(f, "det_customer", "-");
		put(f, "det_source", "the port is in no customer's block (a "
		    "deterministic address: no other host is given it)");
		return 1;
	}
	customer_str(e, i, buf, sizeof(buf));
	put(f, "det_customer", buf);
	put_block(e, i, f);
	put(f, "det_source", DET_SOURCE);
	return 1;
}

int det_port_parse(const char *s, long *port)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v > 65535)
		return -1;
	*port = v;
	return 0;
}

int det_query(const struct config *cfg, const char *addr, long port, FILE *f,
	      char *err, size_t errlen)
{
	struct in6_addr a6;
	struct in_addr a4;
	int found;

	if (port != DET_NO_PORT && (port < 0 || port > 65535)) {
		snprintf(err, errlen, "bad port %ld (0..65535)", port);
		return -1;
	}
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		found = query6(cfg, &a6, f);
	else if (inet_pton(AF_INET, addr, &a4) == 1)
		found = query4(cfg, &a4, port, f);
	else {
		snprintf(err, errlen, "bad address '%.64s' (an IPv4 or IPv6 "
			 "address, without /length)", addr);
		return -1;
	}
	if (!found)
		put(f, "det_entry", "-");
	return found;
}

uint64_t det_dump(const struct det_entry *e, det_row_fn row, void *arg)
{
	uint64_t n = det_hosts(e);
	char c[INET6_ADDRSTRLEN + 8], b4[INET_ADDRSTRLEN];
	struct in_addr a4;
	uint16_t lo, hi;

	for (uint64_t i = 0; i < n; i++) {
		customer_str(e, i, c, sizeof(c));
		det_forward(e, i, &a4, &lo, &hi);
		if (row(c, inet_ntop(AF_INET, &a4, b4, sizeof(b4)), lo, hi,
			arg))
			return i;
	}
	return n;
}
