// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packets through the core in mode nat64, for tests (see nat64_pkt.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nat64_pkt.h"
#include "reasm.h"

static const uint8_t key[NAT64_KEY_LEN] = "test_nat64_xlat";

/* pb_default_conf without its EAMT (SIIT only: RFC 7757). */
static const char nat64_conf[] =
	"mode nat64\npool6 64:ff9b::/96\n"
	/* Documentation addresses under the WKP (RFC 6052 3.1). */
	"wkp-allow-non-global yes\n"
	"rfc6791v4-prefix 203.0.113.8\nmtu v6 1500\nmtu v4 1500\n"
	"pool4 192.0.2.2 1-3000\n"
	"bib udp 192.0.2.2#2000 2001:db8::6#2000\n"
	"address v6 2001:db8::1\naddress v4 192.0.2.2\n";

static void nenv_conf(struct nenv *n, const char *extra)
{
	char text[1024], err[256];

	snprintf(text, sizeof(text), "%s%s", nat64_conf, extra ? extra : "");
	pb_env_setup_text(&n->pb, text);
	n->st = nat64_state_new(key);
	assert_non_null(n->st);
	assert_int_equal(nat64_state_sync(n->st, &n->pb.cfg, NULL,
					  err, sizeof(err)), 0);
	nat64_xlat_attach(&n->pb.ctx, n->st);
	n->pb.now_ms = 5000;
	n->pb.ctx.reasm = reasm_new(NULL);
	assert_non_null(n->pb.ctx.reasm);
}

int setup(void **state)
{
	struct nenv *n = calloc(1, sizeof(*n));

	assert_non_null(n);
	nenv_conf(n, NULL);
	*state = n;
	return 0;
}

int teardown(void **state)
{
	struct nenv *n = *state;

	nat64_state_free(n->st);
	reasm_free(n->pb.ctx.reasm);
	pb_env_teardown(&n->pb);
	free(n);
	return 0;
}

struct nenv *reconf(void **state, const char *extra)
{
	teardown(state);
	*state = calloc(1, sizeof(struct nenv));
	assert_non_null(*state);
	nenv_conf(*state, extra);
	return *state;
}

const uint8_t payload[15] = "stateful NAT64";

/* UDP from the IPv6 host 2001:db8::5#sport to 192.0.2.5#53. */
size_t udp6(struct nenv *n, uint16_t sport, const char *dst6)
{
	size_t l = pb_udp(n->l4, sport, 53, payload, sizeof(payload));
	struct pb6 h = { .src = "2001:db8::5", .dst = dst6, .proto = 17 };

	return pb_ip6(n->pkt, &h, n->l4, l);
}

size_t udp4(struct nenv *n, const char *src, uint16_t sport,
		   uint16_t dport)
{
	size_t l = pb_udp(n->l4, sport, dport, payload, sizeof(payload));
	struct pb4 h = { .src = src, .dst = "192.0.2.2", .proto = 17 };

	return pb_ip4(n->pkt, &h, n->l4, l);
}

/* Translates udp6(sport) and returns the pool4 port it got. */
uint16_t out_udp(struct nenv *n, uint16_t sport)
{
	const uint8_t *o;

	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, sport, "64:ff9b::192.0.2.5")),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + 8 + sizeof(payload));
	return pb_rd16(o + 20);
}


size_t syn4(struct nenv *n, uint16_t dport)
{
	size_t l = pb_tcp(n->l4, 2601, dport, 0, NULL, 0);
	struct pb4 h = { .src = "192.0.2.5", .dst = "192.0.2.2", .proto = 6,
			 .df = true };

	n->l4[13] = 0x02;
	return pb_ip4(n->pkt, &h, n->l4, l);
}


int run_timers(struct nenv *n)
{
	return nat64_xlat_timers(&n->pb.ctx, n->pb.now_ms, &n->pb.out);
}
