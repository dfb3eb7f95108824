// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The core in mode nat64, packet in, packets out: addresses and ports
 * from the state, checksums (recomputed by the independent builder),
 * ICMP errors through sessions both ways, refusals, hairpinning, the
 * simultaneous-open timer, fragments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nat64_flow.h"
#include "pktbuild.h"

static const uint8_t key[NAT64_KEY_LEN] = "test_nat64_xlat";

static const char nat64_conf[] =
	"mode nat64\npool6 64:ff9b::/96\n"
	"pool4 192.0.2.2 1-3000\n"
	"bib udp 192.0.2.2#2000 2001:db8::6#2000\n"
	"address v6 2001:db8::1\naddress v4 192.0.2.2\n";

struct nenv {
	struct pb_env pb;
	uint8_t pkt[PB_MAX];
	uint8_t l4[PB_MAX];
};

static void nenv_conf(struct nenv *n, const char *extra)
{
	char text[1024], err[256];

	snprintf(text, sizeof(text), "%s%s", nat64_conf, extra ? extra : "");
	pb_env_setup(&n->pb, text);
	n->pb.ctx.nat64 = nat64_state_new(key);
	assert_non_null(n->pb.ctx.nat64);
	assert_int_equal(nat64_state_sync(n->pb.ctx.nat64, &n->pb.cfg, NULL,
					  err, sizeof(err)), 0);
	n->pb.ctx.now_ms = 5000;
}

static int setup(void **state)
{
	struct nenv *n = calloc(1, sizeof(*n));

	assert_non_null(n);
	nenv_conf(n, NULL);
	*state = n;
	return 0;
}

static int teardown(void **state)
{
	struct nenv *n = *state;

	nat64_state_free(n->pb.ctx.nat64);
	pb_env_teardown(&n->pb);
	free(n);
	return 0;
}

static struct nenv *reconf(void **state, const char *extra)
{
	teardown(state);
	*state = calloc(1, sizeof(struct nenv));
	assert_non_null(*state);
	nenv_conf(*state, extra);
	return *state;
}

static const uint8_t payload[] = "stateful NAT64";

/* UDP from the IPv6 host 2001:db8::5#sport to 192.0.2.5#53. */
static size_t udp6(struct nenv *n, uint16_t sport, const char *dst6)
{
	size_t l = pb_udp(n->l4, sport, 53, payload, sizeof(payload));
	struct pb6 h = { .src = "2001:db8::5", .dst = dst6, .proto = 17 };

	return pb_ip6(n->pkt, &h, n->l4, l);
}

static size_t udp4(struct nenv *n, const char *src, uint16_t sport,
		   uint16_t dport)
{
	size_t l = pb_udp(n->l4, sport, dport, payload, sizeof(payload));
	struct pb4 h = { .src = src, .dst = "192.0.2.2", .proto = 17 };

	return pb_ip4(n->pkt, &h, n->l4, l);
}

/* Translates udp6(sport) and returns the pool4 port it got. */
static uint16_t out_udp(struct nenv *n, uint16_t sport)
{
	const uint8_t *o;

	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, sport, "64:ff9b::192.0.2.5")),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + 8 + sizeof(payload));
	return pb_rd16(o + 20);
}

static void test_udp_both_ways(void **state)
{
	struct nenv *n = *state;
	const uint8_t *o;
	uint16_t p;

	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 5000, "64:ff9b::192.0.2.5")),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + 8 + sizeof(payload));
	assert_true(pb_is_a4(o + 12, "192.0.2.2"));
	assert_true(pb_is_a4(o + 16, "192.0.2.5"));
	assert_int_equal(o[8], 63);
	p = pb_rd16(o + 20);
	/* RFC 6146 3.5.1.1: same range and parity as 5000. */
	assert_true(p >= 1024 && p <= 3000 && p % 2 == 0);
	assert_int_equal(pb_rd16(o + 22), 53);
	assert_int_equal(pb_l4_resid4(o), 0xffff);
	assert_memory_equal(o + 28, payload, sizeof(payload));

	/* The answer goes back to 2001:db8::5#5000. */
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt,
				udp4(n, "192.0.2.5", 53, p)), XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 40 + 8 + sizeof(payload));
	assert_true(pb_is_a6(o + 8, "64:ff9b::c000:205"));
	assert_true(pb_is_a6(o + 24, "2001:db8::5"));
	assert_int_equal(pb_rd16(o + 40), 53);
	assert_int_equal(pb_rd16(o + 42), 5000);
	assert_int_equal(pb_l4_resid6(o), 0xffff);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SESSION_ADDED), 1);
}

/* A wrong checksum stays wrong by the same amount (RFC 1624 update). */
static void test_bad_checksum_kept(void **state)
{
	struct nenv *n = *state;
	size_t len = udp6(n, 5000, "64:ff9b::192.0.2.5");
	const uint8_t *o;
	uint16_t resid;

	n->pkt[40 + 6] ^= 0x11;
	resid = pb_l4_resid6(n->pkt);
	assert_int_not_equal(resid, 0xffff);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt, len),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 0);
	assert_int_equal(pb_l4_resid4(o), resid);
}

/* IPv4 UDP without checksum: NAT64 computes it. */
static void test_udp_zero_checksum(void **state)
{
	struct nenv *n = *state;
	uint16_t p = out_udp(n, 5000);
	size_t len = udp4(n, "192.0.2.5", 53, p);
	const uint8_t *o;

	pb_wr16(n->pkt + 20 + 6, 0);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, len),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 0);
	assert_int_not_equal(pb_rd16(o + 46), 0);
	assert_int_equal(pb_l4_resid6(o), 0xffff);
}

static void test_echo_identifier(void **state)
{
	struct nenv *n = *state;
	struct pb6 h6 = { .src = "2001:db8::5", .dst = "64:ff9b::192.0.2.5",
			  .proto = 58 };
	struct pb4 h4 = { .src = "192.0.2.5", .dst = "192.0.2.2", .proto = 1 };
	const uint8_t *o;
	uint16_t id;
	size_t l;

	l = pb_icmp(n->l4, 128, 0, 1234u << 16 | 7, payload, sizeof(payload));
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				pb_ip6(n->pkt, &h6, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + l);
	assert_int_equal(o[20], 8);
	id = pb_rd16(o + 24);
	assert_int_equal(pb_rd16(o + 26), 7);
	assert_int_equal(pb_l4_resid4(o), 0xffff);

	l = pb_icmp(n->l4, 0, 0, (uint32_t)id << 16 | 7, payload,
		    sizeof(payload));
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt,
				pb_ip4(n->pkt, &h4, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 40 + l);
	assert_int_equal(o[40], 129);
	assert_int_equal(pb_rd16(o + 44), 1234);
	assert_true(pb_is_a6(o + 24, "2001:db8::5"));
	assert_int_equal(pb_l4_resid6(o), 0xffff);
}

/* An ICMPv4 error about a packet we sent: through its session. */
static void error46(struct nenv *n, const char *router, const char *src6)
{
	uint16_t p = out_udp(n, 5000);
	uint8_t quoted[200];
	size_t ql = n->pb.out.pkt[0].len, l;
	struct pb4 h = { .src = router, .dst = "192.0.2.2", .proto = 1 };
	const uint8_t *o, *in;

	memcpy(quoted, n->pb.out.pkt[0].data, ql);
	l = pb_icmp(n->l4, 3, 3, 0, quoted, ql);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt,
				pb_ip4(n->pkt, &h, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 40 + 8 + 40 + 8 + sizeof(payload));
	assert_int_equal(o[40], 1);
	assert_int_equal(o[41], 4);
	assert_true(pb_is_a6(o + 8, src6));
	assert_true(pb_is_a6(o + 24, "2001:db8::5"));
	assert_int_equal(pb_l4_resid6(o), 0xffff);
	in = o + 48;
	assert_true(pb_is_a6(in + 8, "2001:db8::5"));
	assert_true(pb_is_a6(in + 24, "64:ff9b::c000:205"));
	assert_int_equal(pb_rd16(in + 40), 5000);
	assert_int_equal(pb_rd16(in + 42), 53);
	assert_int_equal(pb_l4_resid6(in), 0xffff);
	(void)p;
}

static void test_error46_better(void **state)
{
	error46(*state, "198.51.100.9", "64:ff9b::c633:6409");
}

static void test_error46_rfc(void **state)
{
	struct nenv *n = reconf(state, "source-icmpv6-errors-better no\n");

	error46(n, "198.51.100.9", "64:ff9b::c000:205");
}

/* An ICMPv6 error about a packet we delivered: back to its sender. */
static void test_error64(void **state)
{
	struct nenv *n = *state;
	uint16_t p = out_udp(n, 5000);
	struct pb6 h = { .src = "2001:db8::5", .dst = "64:ff9b::c000:205",
			 .proto = 58 };
	uint8_t quoted[200];
	const uint8_t *o, *in;
	size_t ql, l;

	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt,
				udp4(n, "192.0.2.5", 53, p)), XLAT_TRANSLATED);
	ql = n->pb.out.pkt[0].len;
	memcpy(quoted, n->pb.out.pkt[0].data, ql);
	l = pb_icmp(n->l4, 1, 4, 0, quoted, ql);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				pb_ip6(n->pkt, &h, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + 8 + 20 + 8 + sizeof(payload));
	assert_int_equal(o[20], 3);
	assert_int_equal(o[21], 3);
	assert_true(pb_is_a4(o + 12, "192.0.2.2"));
	assert_true(pb_is_a4(o + 16, "192.0.2.5"));
	assert_int_equal(pb_l4_resid4(o), 0xffff);
	in = o + 28;
	assert_true(pb_is_a4(in + 12, "192.0.2.5"));
	assert_true(pb_is_a4(in + 16, "192.0.2.2"));
	assert_int_equal(pb_rd16(in + 20), 53);
	assert_int_equal(pb_rd16(in + 22), p);
	assert_int_equal(pb_l4_resid4(in), 0xffff);

	/* About a packet of no session: dropped. */
	pb_wr16(n->l4 + 8 + 40 + 2, 4444);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				pb_ip6(n->pkt, &h, n->l4, l)), XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_ICMP_INNER), 1);
	assert_int_equal(n->pb.out.count, 0);
}

static void test_refusals(void **state)
{
	struct nenv *n = *state;
	const uint8_t *o;
	size_t len;

	/* No binding for 192.0.2.2#4101: port unreachable, quoting it. */
	len = udp4(n, "192.0.2.5", 53, 4101);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, len), XLAT_DROP);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + 8 + len);
	assert_true(pb_is_a4(o + 12, "192.0.2.2"));
	assert_true(pb_is_a4(o + 16, "192.0.2.5"));
	assert_int_equal(o[8], 64);
	assert_int_equal(o[20], 3);
	assert_int_equal(o[21], 3);
	assert_memory_equal(o + 28, n->pkt, len);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_NAT64_NO_BIB), 1);
	/* Not one of ours: silence. */
	len = udp4(n, "192.0.2.5", 53, 2000);
	pb_a4("192.0.2.77", n->pkt + 16);
	n->pkt[10] = n->pkt[11] = 0;
	pb_wr16(n->pkt + 10, pb_cksum(n->pkt, 20, 0));
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, len), XLAT_DROP);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_NO_MAPPING), 1);
	/* Spoofed: an IPv6 source under pool6, an IPv4 source of ours. */
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 5000, "64:ff9b::192.0.2.5")),
			 XLAT_TRANSLATED);
	len = udp6(n, 5000, "64:ff9b::192.0.2.5");
	pb_a6("64:ff9b::192.0.2.9", n->pkt + 8);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt, len), XLAT_DROP);
	len = udp4(n, "192.0.2.2", 53, 2000);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, len), XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_LOOP), 2);
	assert_int_equal(n->pb.out.count, 0);
	/* Neither TCP, UDP nor ICMP. */
	{
		struct pb6 h = { .src = "2001:db8::5",
				 .dst = "64:ff9b::192.0.2.5", .proto = 47 };

		assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
					pb_ip6(n->pkt, &h, payload, 8)),
				 XLAT_DROP);
		assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_NAT64_PROTO), 1);
	}
}

static void test_pool4_full_answer(void **state)
{
	struct nenv *n = reconf(state, "max-bib-entries 2\n");
	const uint8_t *o;
	size_t len;

	out_udp(n, 5000);	/* the static binding is the other one */
	len = udp6(n, 5001, "64:ff9b::192.0.2.5");
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt, len), XLAT_DROP);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 48 + len);
	assert_true(pb_is_a6(o + 8, "2001:db8::1"));
	assert_int_equal(o[40], 1);
	assert_int_equal(o[41], 3);
	assert_int_equal(pb_l4_resid6(o), 0xffff);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_NAT64_BIB_LIMIT), 1);
}

/* RFC 6146 3.8: to one of the NAT64's own addresses, back to IPv6. */
static void test_hairpin(void **state)
{
	struct nenv *n = *state;
	const uint8_t *o;
	uint16_t p;
	size_t l;
	struct pb6 h = { .src = "2001:db8::6", .dst = "64:ff9b::192.0.2.2",
			 .proto = 17 };

	/* udp6 goes to port 53: no binding there, refused to the sender. */
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 5000, "64:ff9b::192.0.2.2")),
			 XLAT_DROP);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 0);
	assert_int_equal(o[40], 1);
	assert_int_equal(o[41], 4);
	assert_true(pb_is_a6(o + 8, "2001:db8::1"));

	/* To the static binding 192.0.2.2#2000 = 2001:db8::6#2000. */
	l = pb_udp(n->l4, 5000, 2000, payload, sizeof(payload));
	h.src = "2001:db8::5";
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				pb_ip6(n->pkt, &h, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 40 + l);
	assert_true(pb_is_a6(o + 8, "64:ff9b::c000:202"));
	assert_true(pb_is_a6(o + 24, "2001:db8::6"));
	assert_int_equal(o[7], 63);
	p = pb_rd16(o + 40);
	assert_int_equal(pb_rd16(o + 42), 2000);
	assert_int_equal(pb_l4_resid6(o), 0xffff);

	/* And the answer, the same way back. */
	l = pb_udp(n->l4, 2000, p, payload, sizeof(payload));
	h.src = "2001:db8::6";
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				pb_ip6(n->pkt, &h, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 40 + l);
	assert_true(pb_is_a6(o + 8, "64:ff9b::c000:202"));
	assert_true(pb_is_a6(o + 24, "2001:db8::5"));
	assert_int_equal(pb_rd16(o + 40), 2000);
	assert_int_equal(pb_rd16(o + 42), 5000);
	assert_int_equal(pb_l4_resid6(o), 0xffff);
}

static size_t syn4(struct nenv *n, uint16_t dport)
{
	size_t l = pb_tcp(n->l4, 2601, dport, 0, NULL, 0);
	struct pb4 h = { .src = "192.0.2.5", .dst = "192.0.2.2", .proto = 6,
			 .df = true };

	n->l4[13] = 0x02;
	return pb_ip4(n->pkt, &h, n->l4, l);
}

/* RFC 6146 3.5.2.2: a SYN without binding waits 6 s, then is answered. */
static void test_syn_kept_then_answered(void **state)
{
	struct nenv *n = *state;
	uint8_t kept[64];
	const uint8_t *o;
	size_t len = syn4(n, 1500);

	memcpy(kept, n->pkt, len);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, len), XLAT_DROP);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SO_STORED), 1);
	n->pb.ctx.now_ms += 5999;
	xlat_out_reset(&n->pb.out);
	assert_int_equal(xlat_nat64_timers(&n->pb.ctx, &n->pb.out), 0);
	assert_int_equal(n->pb.out.count, 0);
	n->pb.ctx.now_ms += 1;
	assert_int_equal(xlat_nat64_timers(&n->pb.ctx, &n->pb.out), 0);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 28 + len);
	assert_int_equal(o[20], 3);
	assert_int_equal(o[21], 3);
	assert_true(pb_is_a4(o + 16, "192.0.2.5"));
	assert_memory_equal(o + 28, kept, len);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SO_EXPIRED), 1);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_TX_V4), 1);
}

/* Hairpinned, the wait ends in an ICMPv6 error to the IPv6 sender. */
static void test_syn_hairpin_answered(void **state)
{
	struct nenv *n = *state;
	struct pb6 h = { .src = "2001:db8::5", .dst = "64:ff9b::192.0.2.2",
			 .proto = 6 };
	size_t l = pb_tcp(n->l4, 50001, 1501, 0, NULL, 0), len;
	const uint8_t *o;

	n->l4[13] = 0x02;
	len = pb_ip6(n->pkt, &h, n->l4, l);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt, len), XLAT_DROP);
	assert_int_equal(n->pb.out.count, 0);
	n->pb.ctx.now_ms += 6000;
	xlat_out_reset(&n->pb.out);
	assert_int_equal(xlat_nat64_timers(&n->pb.ctx, &n->pb.out), 0);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 48 + len);
	assert_true(pb_is_a6(o + 8, "2001:db8::1"));
	assert_true(pb_is_a6(o + 24, "2001:db8::5"));
	assert_int_equal(o[7], 64);
	assert_int_equal(o[40], 1);
	assert_int_equal(o[41], 4);
	assert_memory_equal(o + 48, n->pkt, len);
	assert_int_equal(pb_l4_resid6(o), 0xffff);
}

/* The IPv6 SYN that meets a kept one goes out with its port. */
static void test_syn_simultaneous(void **state)
{
	struct nenv *n = *state;
	struct pb6 h = { .src = "2001:db8::5", .dst = "64:ff9b::192.0.2.5",
			 .proto = 6 };
	const uint8_t *o;
	size_t l;

	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, syn4(n, 2600)),
			 XLAT_DROP);
	l = pb_tcp(n->l4, 2600, 2601, 0, NULL, 0);
	n->l4[13] = 0x02;
	n->pb.ctx.now_ms += 100;
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				pb_ip6(n->pkt, &h, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 40);
	assert_int_equal(pb_rd16(o + 20), 2600);
	assert_int_equal(pb_rd16(o + 22), 2601);
	assert_int_equal(pb_l4_resid4(o), 0xffff);
	n->pb.ctx.now_ms += 10000;
	xlat_out_reset(&n->pb.out);
	assert_int_equal(xlat_nat64_timers(&n->pb.ctx, &n->pb.out), 0);
	assert_int_equal(n->pb.out.count, 0);
}

/* RFC 6146 3.4: fragments are reassembled, the whole is translated. */
static void test_fragments6(void **state)
{
	struct nenv *n = *state;
	uint8_t whole[PB_MAX], f1[PB_MAX], f2[PB_MAX];
	uint8_t big[600];
	struct pb6 h = { .src = "2001:db8::5", .dst = "64:ff9b::192.0.2.5",
			 .proto = 17 };
	const uint8_t *o;
	size_t l, l1, l2;

	memset(big, 0x5a, sizeof(big));
	l = pb_udp(n->l4, 5000, 53, big, sizeof(big));
	pb_ip6(whole, &h, n->l4, l);
	l1 = pb_frag6(f1, whole, 0, 304, true, 0x1234);
	l2 = pb_frag6(f2, whole, 304, l - 304, false, 0x1234);
	/* Out of order: the last part first. */
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f2, l2), XLAT_DROP);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f1, l1), XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + l);
	assert_true(pb_is_a4(o + 12, "192.0.2.2"));
	assert_int_not_equal(pb_rd16(o + 20), 5000);
	/* Was fragmented: DF=0, the low 16 bits of the identification. */
	assert_int_equal(pb_rd16(o + 6), 0);
	assert_int_equal(pb_rd16(o + 4), 0x1234);
	assert_int_equal(pb_l4_resid4(o), 0xffff);
	assert_memory_equal(o + 28, big, sizeof(big));
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_FRAG_HELD), 1);

	/* Overlapping parts (RFC 5722): the packet is dropped. */
	l1 = pb_frag6(f1, whole, 0, 304, true, 0x99);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f1, l1), XLAT_DROP);
	l2 = pb_frag6(f2, whole, 296, l - 296, false, 0x99);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f2, l2), XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_NAT64_FRAG), 1);
	assert_int_equal(n->pb.out.count, 0);

	/* Too late: after 2 s the first part is forgotten. */
	l1 = pb_frag6(f1, whole, 0, 304, true, 0x77);
	pb_run(&n->pb, XLAT_SIDE_V6, f1, l1);
	n->pb.ctx.now_ms += 2000;
	l2 = pb_frag6(f2, whole, 304, l - 304, false, 0x77);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, f2, l2), XLAT_DROP);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_FRAG_TIMEOUT), 1);
}

/* From IPv4: reassembled, then cut again for the IPv6 side. */
static void test_fragments4(void **state)
{
	struct nenv *n = *state;
	uint8_t whole[PB_MAX], frag[PB_MAX], back[PB_MAX];
	uint8_t big[3000], proto;
	uint16_t p = out_udp(n, 5000);
	struct pb4 h = { .src = "192.0.2.5", .dst = "192.0.2.2", .proto = 17,
			 .id = 0xbeef };
	size_t l, len, got;
	uint32_t id;

	pb_pattern(big, sizeof(big), 9);
	l = pb_udp(n->l4, 53, p, big, sizeof(big));
	pb_ip4(whole, &h, n->l4, l);
	for (size_t off = 0; off < l; off += 1480) {
		size_t part = l - off < 1480 ? l - off : 1480;

		len = pb_frag4(frag, whole, off, part, off + part < l);
		assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, frag, len),
				 off + part < l ? XLAT_DROP : XLAT_TRANSLATED);
	}
	/* 3008 bytes of UDP: three IPv6 fragments of at most 1280 bytes. */
	assert_int_equal(n->pb.out.count, 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_true(n->pb.out.pkt[i].len <= 1280);
		pb_check_pkt(&n->pb.out.pkt[i]);
	}
	got = pb_reasm6(&n->pb.out, back, &proto, &id);
	assert_int_equal(got, l);
	assert_int_equal(proto, 17);
	assert_int_equal(id, 0xbeef);
	assert_int_equal(pb_rd16(back), 53);
	assert_int_equal(pb_rd16(back + 2), 5000);
	assert_memory_equal(back + 8, big, sizeof(big));
}

/* Mode nat64 with no state given: nothing is translated. */
static void test_no_state(void **state)
{
	struct nenv *n = *state;
	struct nat64_state *st = n->pb.ctx.nat64;

	n->pb.ctx.nat64 = NULL;
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 5000, "64:ff9b::192.0.2.5")),
			 XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_NO_MAPPING), 1);
	assert_int_equal(xlat_nat64_timers(&n->pb.ctx, &n->pb.out), 0);
	n->pb.ctx.nat64 = st;
}

/* --- hostile input --------------------------------------------------------- */

static uint32_t rng = 2463534242u;

static uint32_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Every input is translated or dropped for one counted reason. */
static void check_balance(const struct nenv *n)
{
	const struct xlat_stats *st = &n->pb.st;
	uint64_t in = st->c[XLAT_CNT_RX_V4] + st->c[XLAT_CNT_RX_V6];
	uint64_t out = st->c[XLAT_CNT_XLAT_6TO4] + st->c[XLAT_CNT_XLAT_4TO6] +
		       st->c[XLAT_CNT_NAT64_SO_STORED] +
		       st->c[XLAT_CNT_NAT64_FRAG_HELD];

	for (int c = 0; c < XLAT_CNT_MAX; c++)
		if (!strncmp(xlat_counter_info[c].name, "drop_", 5))
			out += st->c[c];
	assert_true(in == out);
}

static void feed(struct nenv *n, enum xlat_side side, const uint8_t *p,
		 size_t len)
{
	uint8_t buf[1600];

	memcpy(buf, p, len);
	if (pb_run(&n->pb, side, buf, len) == XLAT_TRANSLATED)
		assert_true(n->pb.out.count >= 1);
	for (unsigned int i = 0; i < n->pb.out.count; i++)
		pb_check_pkt(&n->pb.out.pkt[i]);
	n->pb.ctx.now_ms += 7;
	if (xorshift() % 64 == 0) {
		n->pb.ctx.now_ms += 7000;
		xlat_out_reset(&n->pb.out);
		while (xlat_nat64_timers(&n->pb.ctx, &n->pb.out))
			xlat_out_reset(&n->pb.out);
	}
}

struct sample {
	enum xlat_side side;
	uint8_t p[1600];
	size_t len;
};

static void add(struct sample *c, size_t *nc, enum xlat_side side,
		const uint8_t *p, size_t len)
{
	assert_true(len <= sizeof(c->p));
	c[*nc].side = side;
	c[*nc].len = len;
	memcpy(c[*nc].p, p, len);
	(*nc)++;
}

static void mutate_all(struct nenv *n, const struct sample *c)
{
	for (size_t len = 0; len <= c->len; len++)
		feed(n, c->side, c->p, len);
	for (int m = 0; m < 2000; m++) {
		uint8_t buf[1600];
		size_t lim = c->len < 96 ? c->len : 96;

		memcpy(buf, c->p, c->len);
		for (uint32_t k = xorshift() % 4 + 1; k; k--)
			buf[xorshift() % lim] ^=
				(uint8_t)(1u << (xorshift() % 8));
		feed(n, c->side, buf, c->len);
	}
}

/* Truncations and byte mutations of packets of every kind, both ways. */
static void test_hostile(void **state)
{
	struct nenv *n = *state;
	struct sample *c = calloc(10, sizeof(*c));
	struct pb4 h4 = { .src = "198.51.100.9", .dst = "192.0.2.2",
			  .proto = 1 };
	struct pb6 h6 = { .src = "2001:db8::5", .dst = "64:ff9b::c000:205",
			  .proto = 58 };
	uint16_t p = out_udp(n, 5000);
	size_t nc = 0, l;

	assert_non_null(c);
	add(c, &nc, XLAT_SIDE_V6, n->pkt, udp6(n, 5000, "64:ff9b::192.0.2.5"));
	add(c, &nc, XLAT_SIDE_V4, n->pkt, udp4(n, "192.0.2.5", 53, p));
	add(c, &nc, XLAT_SIDE_V4, n->pkt, syn4(n, 1500));
	/* Errors both ways, quoting the UDP packets of the session. */
	pb_run(&n->pb, XLAT_SIDE_V6, c[0].p, c[0].len);
	l = pb_icmp(n->l4, 3, 3, 0, n->pb.out.pkt[0].data,
		    n->pb.out.pkt[0].len);
	add(c, &nc, XLAT_SIDE_V4, n->pkt, pb_ip4(n->pkt, &h4, n->l4, l));
	pb_run(&n->pb, XLAT_SIDE_V4, c[1].p, c[1].len);
	l = pb_icmp(n->l4, 1, 4, 0, n->pb.out.pkt[0].data,
		    n->pb.out.pkt[0].len);
	add(c, &nc, XLAT_SIDE_V6, n->pkt, pb_ip6(n->pkt, &h6, n->l4, l));
	/* Fragments both ways (reassembly slots under fire). */
	{
		uint8_t whole[1600];
		struct pb6 hu = { .src = "2001:db8::5",
				  .dst = "64:ff9b::192.0.2.5", .proto = 17 };
		struct pb4 hf = { .src = "192.0.2.5", .dst = "192.0.2.2",
				  .proto = 17, .id = 7 };

		l = pb_udp(n->l4, 5000, 53, payload, sizeof(payload));
		pb_ip6(whole, &hu, n->l4, l);
		add(c, &nc, XLAT_SIDE_V6, n->pkt,
		    pb_frag6(n->pkt, whole, 8, l - 8, false, 5));
		l = pb_udp(n->l4, 53, p, payload, sizeof(payload));
		pb_ip4(whole, &hf, n->l4, l);
		add(c, &nc, XLAT_SIDE_V4, n->pkt,
		    pb_frag4(n->pkt, whole, 0, 8, true));
	}
	/* A hairpinned echo. */
	l = pb_icmp(n->l4, 128, 0, 99u << 16, payload, sizeof(payload));
	h6.dst = "64:ff9b::192.0.2.2";
	add(c, &nc, XLAT_SIDE_V6, n->pkt, pb_ip6(n->pkt, &h6, n->l4, l));
	for (size_t i = 0; i < nc; i++)
		mutate_all(n, &c[i]);
	assert_true(n->pb.st.c[XLAT_CNT_RX_V4] + n->pb.st.c[XLAT_CNT_RX_V6] >
		    6 * 2000);
	assert_true(n->pb.st.c[XLAT_CNT_RX_V4] + n->pb.st.c[XLAT_CNT_RX_V6] >
		    6 * 2000);
	check_balance(n);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_udp_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_zero_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_identifier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error46_better, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error46_rfc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool4_full_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hairpin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_kept_then_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_hairpin_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_simultaneous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragments6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragments4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
