// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Invariants of the core's output, checked with an independent header
 * walk and RFC 1071 sum:
 *   - every packet lies inside the arena and is at most 65535 bytes;
 *   - its IP version is that of the side it leaves through, its length
 *     fields match its size, an IPv4 header's checksum is right;
 *   - it fits the egress MTU of its side, unless it is the translation
 *     of an aggregate the caller cuts afterwards;
 *   - a whole TCP/UDP/ICMP packet has a right transport checksum when it
 *     is an error the translator made, or when the input's was right
 *     (a wrong one is carried over on purpose, RFC 7915 4.5/5.4 updates
 *     it incrementally), and a UDP one is never 0 (RFC 768: "no
 *     checksum" is sent as all ones);
 *   - an ICMP error the translator makes fits 1280 bytes (IPv6) or 576
 *     (IPv4).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bytes.h"
#include "fuzz_pkt.h"

struct fuzz_l4 {
	const uint8_t *p;
	size_t len;
	uint8_t proto;
	uint32_t pseudo;	/* partial sum of the pseudo-header */
	bool whole;		/* not a fragment */
	int csum_off;		/* of the checksum field, -1: none */
};

static uint32_t sum(const uint8_t *p, size_t n, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		acc += rd16(p + i);
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* Where the checksum of proto sits, if its header fits in len bytes. */
static int csum_off(uint8_t proto, bool v6, size_t len)
{
	if (proto == 6 && len >= 20)
		return 16;
	if (proto == 17 && len >= 8)
		return 6;
	if (proto == (v6 ? 58 : 1) && len >= 4)
		return 2;
	return -1;
}

static bool find4(const uint8_t *p, size_t len, struct fuzz_l4 *v)
{
	size_t ihl = (size_t)(p[0] & 0xf) * 4, tot;

	if (len < 20 || ihl < 20 || (tot = rd16(p + 2)) < ihl || tot > len)
		return false;
	v->p = p + ihl;
	v->len = tot - ihl;
	v->proto = p[9];
	v->whole = !(rd16(p + 6) & 0x3fff);
	v->pseudo = v->proto == 1 ? 0 :
		sum(p + 12, 8, v->proto + (uint32_t)v->len);
	v->csum_off = csum_off(v->proto, false, v->len);
	return true;
}

static bool find6(const uint8_t *p, size_t len, struct fuzz_l4 *v)
{
	size_t off = 40, tot;
	uint8_t nh;

	if (len < 40 || (tot = 40 + (size_t)rd16(p + 4)) > len)
		return false;
	nh = p[6];
	v->whole = true;
	while (nh == 0 || nh == 43 || nh == 60 || nh == 44) {
		size_t hl;

		if (off + 8 > tot)
			return false;
		if (nh == 44)
			v->whole = v->whole && !(rd16(p + off + 2) & 0xfff9);
		/* The length is the current header's: a Fragment header is
		 * 8 bytes whatever its reserved byte says (RFC 8200 4.5). */
		hl = nh == 44 ? 8 : ((size_t)p[off + 1] + 1) * 8;
		nh = p[off];
		off += hl;
	}
	if (off > tot)
		return false;
	v->p = p + off;
	v->len = tot - off;
	v->proto = nh;
	v->pseudo = sum(p + 8, 32, nh + (uint32_t)v->len);
	v->csum_off = csum_off(nh, true, v->len);
	return true;
}

static bool find_l4(const uint8_t *p, size_t len, struct fuzz_l4 *v)
{
	if (!len)
		return false;
	if (p[0] >> 4 == 4)
		return find4(p, len, v);
	return p[0] >> 4 == 6 && find6(p, len, v);
}

void fuzz_core_setup(const char *name, const char *conf, struct config *cfg,
		     struct xlat_out *out, uint8_t **buf)
{
	char err[256] = "";

	if (config_parse_string(name, conf, cfg, err, sizeof(err)) ||
	    xlat_out_init(out) || !(*buf = aligned_alloc(8, XLAT_MAX_PKT + 1))) {
		fprintf(stderr, "%s: setup failed: %s\n", name, err);
		abort();
	}
}

void fuzz_fix_csums(uint8_t *p, size_t len)
{
	size_t ihl = len ? (size_t)(p[0] & 0xf) * 4 : 0;
	struct fuzz_l4 v;
	uint16_t c;

	if (len >= 20 && p[0] >> 4 == 4 && ihl >= 20 && ihl <= len) {
		wr16(p + 10, 0);
		wr16(p + 10, (uint16_t)~fold(sum(p, ihl, 0)));
	}
	if (!find_l4(p, len, &v) || !v.whole || v.csum_off < 0)
		return;
	wr16((uint8_t *)v.p + v.csum_off, 0);
	c = (uint16_t)~fold(sum(v.p, v.len, v.pseudo));
	wr16((uint8_t *)v.p + v.csum_off, v.proto == 17 && !c ? 0xffff : c);
}

bool fuzz_csum_ok(const uint8_t *p, size_t len)
{
	struct fuzz_l4 v;

	return find_l4(p, len, &v) && v.whole && v.csum_off >= 0 &&
	       !(v.proto == 17 && !rd16(v.p + v.csum_off)) &&
	       fold(sum(v.p, v.len, v.pseudo)) == 0xffff;
}

static void fail(unsigned int i, const struct xlat_out_pkt *o,
		 const char *what)
{
	fprintf(stderr, "fuzz: output packet %u (%u bytes, side v%c, flags "
		"%#x): %s\n", i, o->len, o->side == XLAT_SIDE_V6 ? '6' : '4',
		o->flags, what);
	abort();
}

static void check_ip(unsigned int i, const struct xlat_out_pkt *o)
{
	const uint8_t *p = o->data;

	if (o->side == XLAT_SIDE_V6) {
		if (o->len < 40 || p[0] >> 4 != 6)
			fail(i, o, "not an IPv6 packet on the IPv6 side");
		if (40u + rd16(p + 4) != o->len)
			fail(i, o, "IPv6 payload length does not match");
		return;
	}
	if (o->len < 20 || p[0] >> 4 != 4 || (p[0] & 0xf) < 5 ||
	    (size_t)(p[0] & 0xf) * 4 > o->len)
		fail(i, o, "not an IPv4 packet on the IPv4 side");
	if (rd16(p + 2) != o->len)
		fail(i, o, "IPv4 total length does not match");
	if (fold(sum(p, (size_t)(p[0] & 0xf) * 4, 0)) != 0xffff)
		fail(i, o, "IPv4 header checksum wrong");
}

void fuzz_check_out(const struct xlat_out *out, const struct fuzz_expect *e)
{
	unsigned int i;

	if (out->count > XLAT_MAX_OUT || out->used > XLAT_ARENA_SIZE)
		abort();
	for (i = 0; i < out->count; i++) {
		const struct xlat_out_pkt *o = &out->pkt[i];
		bool mine = o->flags & XLAT_OUT_ERROR;
		struct fuzz_l4 v;

		if (o->side != XLAT_SIDE_V4 && o->side != XLAT_SIDE_V6)
			fail(i, o, "bad side");
		if (o->data < out->arena || o->len > XLAT_MAX_PKT ||
		    o->data + o->len > out->arena + out->used)
			fail(i, o, "outside the arena");
		check_ip(i, o);
		if (o->len > e->mtu[o->side] && (mine || !e->aggregate))
			fail(i, o, "larger than the egress MTU");
		/* RFC 4443 2.4 (c), RFC 1812 4.3.2.3 */
		if (mine && o->len > (o->side == XLAT_SIDE_V6 ? 1280u : 576u))
			fail(i, o, "an ICMP error larger than allowed");
		if (!(mine || e->csum_valid) || !find_l4(o->data, o->len, &v) ||
		    !v.whole || v.csum_off < 0)
			continue;
		if (!fuzz_csum_ok(o->data, o->len))
			fail(i, o, "transport checksum wrong");
	}
}
