// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The core in mode nat64, packet in, packets out: addresses and ports
 * from the state, checksums (recomputed by the independent builder),
 * ICMP errors through sessions both ways, refusals, hairpinning, the
 * simultaneous-open timer (fragments and hostile input:
 * test_nat64_frag).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nat64_pkt.h"

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

/*
 * IPv6 UDP without checksum (RFC 8200 8.1) and an IPv4 header with a
 * wrong one (RFC 1812 5.2.2) are dropped before the state sees them: no
 * binding, no session, no fragment kept.
 */
static void test_invalid_checksums_no_state(void **state)
{
	struct nenv *n = *state;
	size_t len = udp6(n, 5000, "64:ff9b::192.0.2.5");
	struct pb4 frag = { .src = "192.0.2.5", .dst = "192.0.2.2",
			    .proto = 17, .mf = true, .id = 5 };

	pb_wr16(n->pkt + 40 + 6, 0);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt, len), XLAT_DROP);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_UDP6_CSUM_ZERO), 1);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_BIB_ADDED), 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SESSION_ADDED), 0);

	/* A static binding's port, so the state would otherwise answer. */
	len = udp4(n, "192.0.2.5", 53, 2000);
	n->pkt[10] ^= 0xff;
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, len), XLAT_DROP);
	len = pb_ip4(n->pkt, &frag, n->l4, 16);
	n->pkt[11] ^= 0x01;
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt, len), XLAT_DROP);
	assert_int_equal(n->pb.out.count, 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_IP4_CSUM), 2);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_FRAG_HELD), 0);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SESSION_ADDED), 0);
	assert_int_equal(pb_drops(&n->pb), 3);
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

/*
 * RFC 6052 section 3.1 in mode nat64 (the setup allows the documentation
 * ranges; this test does not): non-global IPv4 destinations under
 * 64:ff9b::/96 are refused with an error, global ones get a session, a
 * non-global IPv4 source is refused from the IPv4 side, and an ICMPv4
 * error from a router with a private address takes the session's remote
 * address as its source instead of the forbidden embedding.
 */
static void test_wkp_non_global(void **state)
{
	struct nenv *n = reconf(state, "wkp-allow-non-global no\n");
	struct pb4 h = { .src = "10.1.1.1", .dst = "192.0.2.2", .proto = 17 };
	uint8_t quoted[200];
	const uint8_t *o;
	size_t ql, l;
	uint16_t p;

	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 5000, "64:ff9b::192.0.2.5")),
			 XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_WKP_NON_GLOBAL), 1);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 0);
	assert_int_equal(o[40], 1);
	assert_int_equal(o[41], 1);
	assert_true(pb_is_a6(o + 24, "2001:db8::5"));
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SESSION_ADDED), 0);

	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 5000, "64:ff9b::93.184.216.34")),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 20 + 8 + sizeof(payload));
	assert_true(pb_is_a4(o + 16, "93.184.216.34"));
	p = pb_rd16(o + 20);
	ql = n->pb.out.pkt[0].len;
	memcpy(quoted, o, ql);

	l = pb_udp(n->l4, 53, p, payload, sizeof(payload));
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt,
				pb_ip4(n->pkt, &h, n->l4, l)), XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_WKP_NON_GLOBAL), 2);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 0);
	assert_true(pb_is_a4(o + 16, "10.1.1.1"));
	assert_int_equal(o[20], 3);
	assert_int_equal(o[21], 13);

	h.src = "10.9.9.9";
	h.proto = 1;
	l = pb_icmp(n->l4, 3, 3, 0, quoted, ql);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V4, n->pkt,
				pb_ip4(n->pkt, &h, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V6, 0);
	assert_true(pb_is_a6(o + 8, "64:ff9b::5db8:d822"));
	assert_true(pb_is_a6(o + 24, "2001:db8::5"));
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
	n->pb.now_ms += 5999;
	xlat_out_reset(&n->pb.out);
	assert_int_equal(run_timers(n), 0);
	assert_int_equal(n->pb.out.count, 0);
	n->pb.now_ms += 1;
	assert_int_equal(run_timers(n), 0);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 28 + len);
	assert_int_equal(o[20], 3);
	assert_int_equal(o[21], 3);
	assert_true(pb_is_a4(o + 16, "192.0.2.5"));
	assert_memory_equal(o + 28, kept, len);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_NAT64_SO_EXPIRED), 1);
	/* Counted when the caller sends it, as an ICMPv4 error. */
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_TX_V4), 0);
	xlat_count_sent_all(&n->pb.st, &n->pb.out);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_TX_V4), 1);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_ICMP4_ERR_SENT), 1);
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
	n->pb.now_ms += 6000;
	xlat_out_reset(&n->pb.out);
	assert_int_equal(run_timers(n), 0);
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
	n->pb.now_ms += 100;
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				pb_ip6(n->pkt, &h, n->l4, l)),
			 XLAT_TRANSLATED);
	o = pb_one(&n->pb, XLAT_SIDE_V4, 40);
	assert_int_equal(pb_rd16(o + 20), 2600);
	assert_int_equal(pb_rd16(o + 22), 2601);
	assert_int_equal(pb_l4_resid4(o), 0xffff);
	n->pb.now_ms += 10000;
	xlat_out_reset(&n->pb.out);
	assert_int_equal(run_timers(n), 0);
	assert_int_equal(n->pb.out.count, 0);
}

/* Mode nat64 with no state given: nothing is translated. */
static void test_no_state(void **state)
{
	struct nenv *n = *state;
	nat64_xlat_attach(&n->pb.ctx, NULL);
	assert_int_equal(pb_run(&n->pb, XLAT_SIDE_V6, n->pkt,
				udp6(n, 5000, "64:ff9b::192.0.2.5")),
			 XLAT_DROP);
	assert_int_equal(pb_cnt(&n->pb, XLAT_CNT_DROP_NO_MAPPING), 1);
	assert_int_equal(run_timers(n), 0);
	nat64_xlat_attach(&n->pb.ctx, n->st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_udp_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_checksum_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_zero_checksum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_checksums_no_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_identifier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error46_better, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error46_rfc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error64, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wkp_non_global, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool4_full_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hairpin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_kept_then_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_hairpin_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syn_simultaneous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_state, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

