// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_pool4: how fast new NAT64 bindings are made as one pool4 address
 * fills up (issue 10 item 1). Usage: bench_pool4 [ROUNDS]
 *
 * For each fill level (10 %, 90 %, 99.9 % of the 65,535 UDP ports of
 * pool4 192.0.2.2), the state is filled with bindings from 8 IPv6 hosts,
 * then ROUNDS times (default 100000) a new flow makes a binding through
 * nat64_in6 and the binding is removed again, so the fill stays put.
 * Prints bindings per CPU second (each made and removed: the process's
 * CPU time, less disturbed than wall time on a shared machine) and the
 * microseconds per binding. Uses only the core's API, so it builds
 * against older trees too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "nat64_flow.h"

#define NPORTS	65535

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct nat64_flow flow(uint32_t i)
{
	struct nat64_flow f;

	memset(&f, 0, sizeof(f));
	f.l4 = CONFIG_L4_UDP;
	inet_pton(AF_INET6, "2001:db8::1", &f.src6);
	f.src6.s6_addr[15] = (uint8_t)(i % 8 + 1);
	/* Above the fill's flows: ports 1024 + i / 8, then host 9 onwards. */
	f.src6.s6_addr[13] = (uint8_t)(i / (8 * 64000));
	f.sport = (uint16_t)(1024 + (i / 8) % 64000);
	f.dst4.s_addr = htonl(0xc6336407);	/* 198.51.100.7 */
	inet_pton(AF_INET6, "64:ff9b::c633:6407", &f.dst6);
	f.dport = 53;
	return f;
}

static int bench(const struct config *cfg, double fill, uint32_t rounds)
{
	static const uint8_t key[NAT64_KEY_LEN] = "bench-pool4-key";
	uint32_t n = (uint32_t)(fill * NPORTS);
	struct nat64_state *st = nat64_state_new(key);
	struct xlat_stats stats;
	struct nat64_result r;
	struct nat64_op op;
	char err[256];
	double spent;

	memset(&stats, 0, sizeof(stats));
	if (!st || nat64_state_sync(st, cfg, &stats, err, sizeof(err)))
		return -1;
	nat64_op_init(&op, st, cfg, &stats, 1000);
	for (uint32_t i = 0; i < n; i++) {
		struct nat64_flow f = flow(i);

		nat64_in6(&op, &f, &r);
		if (r.v != NAT64_PASS)
			return -1;
	}
	spent = now_s();
	for (uint32_t k = 0; k < rounds; k++) {
		struct nat64_flow f = flow(n + 1 + k % (NPORTS - n));

		nat64_in6(&op, &f, &r);
		if (r.v != NAT64_PASS)
			return -1;
		nat64_bib_remove(&op, r.s->bib);
	}
	spent = now_s() - spent;
	printf("fill %6.2f %% (%5u bindings): %10.0f bindings/s, %8.2f us each\n",
	       fill * 100, n, rounds / spent, spent / rounds * 1e6);
	fflush(stdout);
	nat64_state_free(st);
	return 0;
}

int main(int argc, char **argv)
{
	const double fills[] = { 0.10, 0.90, 0.999 };
	uint32_t rounds = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10)
				   : 100000;
	struct config cfg;
	char err[256];

	if (!rounds || config_parse_string("bench",
			"mode nat64\npool6 64:ff9b::/96\npool4 192.0.2.2 udp\n",
			&cfg, err, sizeof(err))) {
		fprintf(stderr, "bench_pool4: bad rounds or config: %s\n", err);
		return 1;
	}
	printf("pool4 192.0.2.2 udp (%u ports), 8 IPv6 hosts, %u new "
	       "bindings per fill level\n", NPORTS, rounds);
	for (size_t i = 0; i < sizeof(fills) / sizeof(fills[0]); i++) {
		if (bench(&cfg, fills[i], rounds)) {
			fprintf(stderr, "bench_pool4: a binding was refused\n");
			return 1;
		}
	}
	config_free(&cfg);
	return 0;
}
