// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writes the seeds of test/fuzz/fuzz_nat64 into DIR: packet sequences
 * of the NAT64 unit tests' kinds (test/unit/pktbuild.c builds them), in
 * the harness's record format, against its configuration (pool4
 * 192.0.2.2 ports 1000-1007, static bindings of 2001:db8::6 ports 2000
 * udp and 8000 tcp). The fuzz_xlat seeds come from test_robust's corpus
 * (FUZZ_SEED_DIR); the text seeds are written by hand.
 *
 *   mkseeds DIR
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pktbuild.h"

#define H6	"2001:db8::5"
#define S6	"2001:db8::6"		/* the static bindings' host */
#define R4	"198.51.100.9"
#define R6	"64:ff9b::c633:6409"	/* R4 under pool6 */
#define P4	"192.0.2.2"
#define V4	0x80			/* record from the IPv4 side */
#define SECS(n)	(31 + (n) / 5)		/* clock step of n seconds */

static uint8_t seq[PB_MAX], l4[PB_MAX], pkt[PB_MAX], whole[PB_MAX];
static size_t seq_len;
static const char *out_dir;

static void rec(uint8_t hdr, const uint8_t *p, size_t len)
{
	seq[seq_len] = hdr;
	pb_wr16(seq + seq_len + 1, (uint16_t)len);
	memcpy(seq + seq_len + 3, p, len);
	seq_len += 3 + len;
}

static void start(uint8_t settings)
{
	seq[0] = settings;
	seq_len = 1;
}

static void save(const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(seq, 1, seq_len, f) != seq_len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void udp6(uint8_t hdr, const char *src, uint16_t sport, size_t n)
{
	struct pb6 h = { .src = src, .dst = R6, .proto = 17 };

	pb_pattern(whole, n, 1);
	rec(hdr, pkt, pb_ip6(pkt, &h, l4, pb_udp(l4, sport, 53, whole, n)));
}

static void udp4(uint8_t hdr, uint16_t dport, size_t n)
{
	struct pb4 h = { .src = R4, .dst = P4, .proto = 17 };

	pb_pattern(whole, n, 2);
	rec(hdr, pkt, pb_ip4(pkt, &h, l4, pb_udp(l4, 53, dport, whole, n)));
}

static void tcp6(uint8_t hdr, uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct pb6 h = { .src = S6, .dst = R6, .proto = 6 };
	size_t n = pb_tcp(l4, sport, dport, 100, NULL, 0);

	l4[13] = flags;
	rec(hdr, pkt, pb_ip6(pkt, &h, l4, n));
}

static void tcp4(uint8_t hdr, uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct pb4 h = { .src = R4, .dst = P4, .proto = 6, .df = true };
	size_t n = pb_tcp(l4, sport, dport, 200, NULL, 0);

	l4[13] = flags;
	rec(hdr, pkt, pb_ip4(pkt, &h, l4, n));
}

static void icmp6_echo(uint8_t hdr, uint16_t id)
{
	struct pb6 h = { .src = H6, .dst = R6, .proto = 58 };

	rec(hdr, pkt, pb_ip6(pkt, &h, l4, pb_icmp(l4, 128, 0,
						   (uint32_t)id << 16 | 1,
						   NULL, 0)));
}

static void seeds(void)
{
	int i;

	start(0);
	udp6(0, S6, 2000, 20);
	udp4(V4 | 1, 2000, 30);
	udp6(SECS(130), S6, 2000, 20);
	save("udp-static");

	start(0);
	tcp4(0, 4000, 8000, 0x02);		/* SYN in through the static */
	tcp6(1, 8000, 4000, 0x12);		/* SYN-ACK */
	tcp4(V4 | 1, 4000, 8000, 0x10);
	tcp6(SECS(10), 8000, 4000, 0x11);	/* FIN */
	tcp4(V4 | 1, 4000, 8000, 0x11);
	tcp6(SECS(70), 8000, 4000, 0x10);
	save("tcp-static-close");

	start(0);
	tcp4(0, 4001, 1000, 0x02);	/* to a free pool4 port: kept */
	tcp4(V4 | SECS(10), 4002, 1001, 0x02);
	save("tcp-v4-syn-kept");

	start(0);
	for (i = 0; i < 10; i++)	/* more sources than pool4 ports */
		udp6(1, H6, (uint16_t)(3000 + i), 8);
	icmp6_echo(SECS(40), 7);
	icmp6_echo(1, 8);
	save("udp-pool4-exhausted");

	start(0);
	udp6(0, H6, 3000, 1400);	/* into whole: then two fragments */
	memcpy(whole, pkt, 1448);
	rec(0, pkt, pb_frag6(pkt, whole, 0, 1000, true, 77));
	rec(1, pkt, pb_frag6(pkt, whole, 1000, 408, false, 77));
	rec(SECS(5), pkt, pb_frag6(pkt, whole, 0, 1000, true, 78));
	save("udp6-fragments");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	seeds();
	return 0;
}
