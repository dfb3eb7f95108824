// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packet builder and checker for the translation core's unit tests (see
 * pktbuild.h). Deliberately naive: byte by byte, no shared code with the
 * core.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "pktbuild.h"

const char pb_default_conf[] =
	"mode siit\n"
	"pool6 2001:db8:100::/40\n"
	"eamt 2001:db8:3::/120 1.0.0.0/24\n"
	"eamt 2001:db8:2::/120 10.0.0.0/24\n"
	"rfc6791v4-prefix 203.0.113.8\n"
	"address v6 2001:db8:1c0:2:1::\n"
	"address v4 198.51.100.1\n"
	"mtu v6 1500\n"
	"mtu v4 1500\n";

/* --- environment ------------------------------------------------------ */

void pb_env_setup(struct pb_env *env, const char *extra)
{
	size_t n = strlen(pb_default_conf) + (extra ? strlen(extra) : 0) + 2;
	char *text = malloc(n);

	assert_non_null(text);
	snprintf(text, n, "%s%s", pb_default_conf, extra ? extra : "");
	pb_env_setup_text(env, text);
	free(text);
}

void pb_env_setup_text(struct pb_env *env, const char *text)
{
	char err[256] = "";

	memset(env, 0, sizeof(*env));
	if (config_parse_string("test", text, &env->cfg, err, sizeof(err)))
		fail_msg("config: %s", err);
	env->ctx.cfg = &env->cfg;
	env->ctx.stats = &env->st;
	env->ctx.ip_id_next = 0x4000;
	assert_int_equal(xlat_out_init(&env->out), 0);
}

void pb_env_teardown(struct pb_env *env)
{
	xlat_out_free(&env->out);
	config_free(&env->cfg);
}

enum xlat_verdict pb_run(struct pb_env *env, enum xlat_side from,
			 const uint8_t *pkt, size_t len)
{
	struct xlat_in in = {
		.side = from, .data = pkt, .len = len, .now_ms = env->now_ms,
		.flags = env->in_flags,
	};
	enum xlat_verdict v;

	xlat_out_reset(&env->out);
	v = xlat_packet(&env->ctx, &in, &env->out);
	/* All of it leaves: no rate limit here. */
	xlat_count_sent_all(&env->st, &env->out);
	return v;
}

uint64_t pb_cnt(const struct pb_env *env, enum xlat_counter c)
{
	return env->st.c[c];
}

uint64_t pb_drops(const struct pb_env *env)
{
	uint64_t sum = 0;

	for (int c = XLAT_CNT_DROP_TRUNCATED; c <= XLAT_CNT_DROP_LOOP; c++)
		sum += env->st.c[c];
	for (int c = XLAT_CNT_DROP_FRAG_OVERLAP; c <= XLAT_CNT_DROP_FRAG_NO_ROOM;
	     c++)
		sum += env->st.c[c];
	return sum;
}

int pb_setup(void **state)
{
	struct pb_env *env = malloc(sizeof(*env));

	assert_non_null(env);
	pb_env_setup(env, NULL);
	*state = env;
	return 0;
}

int pb_teardown(void **state)
{
	struct pb_env *env = *state;

	pb_env_teardown(env);
	free(env);
	return 0;
}

struct pb_env *pb_reconf(void **state, const char *extra)
{
	struct pb_env *env = *state;

	pb_env_teardown(env);
	pb_env_setup(env, extra);
	return env;
}

void pb_check_pkt(const struct xlat_out_pkt *op)
{
	const uint8_t *p = op->data;

	assert_true(op->len <= XLAT_MAX_PKT);
	if (op->side == XLAT_SIDE_V6) {
		assert_true(op->len >= 40);
		assert_int_equal(p[0] >> 4, 6);
		assert_int_equal(40 + pb_rd16(p + 4), op->len);
	} else {
		assert_true(op->len >= 20);
		assert_int_equal(p[0], 0x45);
		assert_int_equal(pb_rd16(p + 2), op->len);
		assert_true(pb_ip4_hdr_ok(p));
	}
}

const uint8_t *pb_one(const struct pb_env *env, enum xlat_side side,
		      size_t len)
{
	const struct xlat_out_pkt *op = &env->out.pkt[0];

	assert_int_equal(env->out.count, 1);
	assert_int_equal(op->side, side);
	if (len)
		assert_int_equal(op->len, len);
	pb_check_pkt(op);
	return op->data;
}

/* --- bytes and addresses ---------------------------------------------- */

void pb_a4(const char *s, uint8_t out[4])
{
	if (inet_pton(AF_INET, s, out) != 1)
		fail_msg("bad IPv4 address in test: %s", s);
}

void pb_a6(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		fail_msg("bad IPv6 address in test: %s", s);
}

bool pb_is_a4(const uint8_t *p, const char *s)
{
	uint8_t a[4];

	pb_a4(s, a);
	return memcmp(p, a, 4) == 0;
}

bool pb_is_a6(const uint8_t *p, const char *s)
{
	uint8_t a[16];

	pb_a6(s, a);
	return memcmp(p, a, 16) == 0;
}

void pb_pattern(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(seed + i * 7);
}

/* --- checksum ----------------------------------------------------------- */

uint32_t pb_sum(const void *data, size_t len, uint32_t acc)
{
	const uint8_t *p = data;
	uint64_t s = acc;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += rd16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t pb_fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

uint16_t pb_cksum(const void *data, size_t len, uint32_t acc)
{
	return (uint16_t)~pb_fold(pb_sum(data, len, acc));
}

uint32_t pb_pseudo4(const uint8_t *src, const uint8_t *dst, uint8_t proto,
		    uint32_t len)
{
	uint32_t acc = pb_sum(src, 4, 0);

	acc = pb_sum(dst, 4, acc);
	return acc + proto + len;
}

uint32_t pb_pseudo6(const uint8_t *src, const uint8_t *dst, uint8_t proto,
		    uint32_t len)
{
	uint32_t acc = pb_sum(src, 16, 0);

	acc = pb_sum(dst, 16, acc);
	return acc + (len >> 16) + (len & 0xffff) + proto;
}

/* --- transport ---------------------------------------------------------- */

size_t pb_udp(uint8_t *buf, uint16_t sport, uint16_t dport,
	      const void *data, size_t len)
{
	pb_wr16(buf, sport);
	pb_wr16(buf + 2, dport);
	pb_wr16(buf + 4, (uint16_t)(8 + len));
	pb_wr16(buf + 6, 0);
	if (len)
		memcpy(buf + 8, data, len);
	return 8 + len;
}

size_t pb_tcp(uint8_t *buf, uint16_t sport, uint16_t dport, uint32_t seq,
	      const void *data, size_t len)
{
	memset(buf, 0, 20);
	pb_wr16(buf, sport);
	pb_wr16(buf + 2, dport);
	pb_wr32(buf + 4, seq);
	pb_wr32(buf + 8, 0x01020304);
	buf[12] = 5 << 4;
	buf[13] = 0x18;		/* PSH, ACK */
	pb_wr16(buf + 14, 65000);
	if (len)
		memcpy(buf + 20, data, len);
	return 20 + len;
}

size_t pb_icmp(uint8_t *buf, uint8_t type, uint8_t code, uint32_t rest,
	       const void *data, size_t len)
{
	buf[0] = type;
	buf[1] = code;
	pb_wr16(buf + 2, 0);
	pb_wr32(buf + 4, rest);
	if (len)
		memcpy(buf + 8, data, len);
	return 8 + len;
}

/* Offset of the checksum protected by a pseudo-header (ICMPv4: none). */
static int csum_off(uint8_t proto)
{
	switch (proto) {
	case 6:
		return 16;
	case 17:
		return 6;
	case 1:
	case 58:
		return 2;
	default:
		return -1;
	}
}

static void fill_csum(uint8_t *l4, size_t len, uint8_t proto, uint32_t pseudo)
{
	int off = csum_off(proto);
	uint16_t c;

	if (off < 0 || len < (size_t)off + 2)
		return;
	pb_wr16(l4 + off, 0);
	c = pb_cksum(l4, len, proto == 1 ? 0 : pseudo);
	if (proto == 17 && c == 0)
		c = 0xffff;
	pb_wr16(l4 + off, c);
}

/* --- IPv4 ------------------------------------------------------------- */

static void ip4_fix_hdr(uint8_t *p)
{
	size_t hlen = (size_t)(p[0] & 0x0f) * 4;

	pb_wr16(p + 10, 0);
	pb_wr16(p + 10, pb_cksum(p, hlen, 0));
}

size_t pb_ip4(uint8_t *buf, const struct pb4 *h, const void *l4,
	      size_t l4len)
{
	size_t hlen = 20 + h->optlen;
	uint16_t frag = (uint16_t)(h->off / 8);

	memset(buf, 0, 20);
	buf[0] = (uint8_t)(0x40 | hlen / 4);
	buf[1] = h->tos;
	pb_wr16(buf + 2, (uint16_t)(hlen + l4len));
	pb_wr16(buf + 4, h->id);
	frag |= h->df ? 0x4000 : 0;
	frag |= h->mf ? 0x2000 : 0;
	pb_wr16(buf + 6, frag);
	buf[8] = h->ttl ? h->ttl : 64;
	buf[9] = h->proto;
	pb_a4(h->src, buf + 12);
	pb_a4(h->dst, buf + 16);
	if (h->optlen)
		memcpy(buf + 20, h->opt, h->optlen);
	if (l4len)
		memmove(buf + hlen, l4, l4len);
	if (!h->keep_csum)
		fill_csum(buf + hlen, l4len, h->proto,
			  pb_pseudo4(buf + 12, buf + 16, h->proto,
				     (uint32_t)l4len));
	ip4_fix_hdr(buf);
	return hlen + l4len;
}

size_t pb_frag4(uint8_t *buf, const uint8_t *whole, size_t off, size_t n,
		bool mf)
{
	size_t hlen = (size_t)(whole[0] & 0x0f) * 4;
	uint16_t flags = pb_rd16(whole + 6) & 0x4000;

	memcpy(buf, whole, hlen);
	memcpy(buf + hlen, whole + hlen + off, n);
	pb_wr16(buf + 2, (uint16_t)(hlen + n));
	pb_wr16(buf + 6, (uint16_t)(flags | (mf ? 0x2000 : 0) | off / 8));
	ip4_fix_hdr(buf);
	return hlen + n;
}

/* --- IPv6 ------------------------------------------------------------- */

static size_t put_frag(uint8_t *p, const struct pb6 *h)
{
	p[1] = 0;
	pb_wr16(p + 2, (uint16_t)((h->off & 0xfff8) | (h->mf ? 1 : 0)));
	pb_wr32(p + 4, h->id);
	return 8;
}

/* Writes the extension headers at p; *nh_field is patched as we go. */
static size_t put_exts(uint8_t *p, const struct pb6 *h, uint8_t *first_nh)
{
	uint8_t *prev_nh = first_nh;
	size_t off = 0;

	if (h->frag && h->frag_first) {
		*prev_nh = 44;
		prev_nh = p;
		off += put_frag(p, h);
	}
	for (size_t i = 0; i < h->n_ext; i++) {
		const struct pb_ext *e = &h->ext[i];

		memcpy(p + off, e->data, e->len);
		p[off + 1] = (uint8_t)(e->len / 8 - 1);
		*prev_nh = e->type;
		prev_nh = p + off;
		off += e->len;
	}
	if (h->frag && !h->frag_first) {
		*prev_nh = 44;
		prev_nh = p + off;
		off += put_frag(p + off, h);
	}
	*prev_nh = h->proto;
	return off;
}

size_t pb_ip6(uint8_t *buf, const struct pb6 *h, const void *l4,
	      size_t l4len)
{
	uint8_t tmp[PB_MAX];
	size_t ext;

	if (l4len)
		memcpy(tmp, l4, l4len);
	memset(buf, 0, 40);
	pb_wr32(buf, 6u << 28 | (uint32_t)h->tc << 20 | (h->flow & 0xfffff));
	buf[7] = h->hlim ? h->hlim : 64;
	pb_a6(h->src, buf + 8);
	pb_a6(h->dst, buf + 24);
	ext = put_exts(buf + 40, h, &buf[6]);
	memcpy(buf + 40 + ext, tmp, l4len);
	pb_wr16(buf + 4, (uint16_t)(ext + l4len));
	if (!h->keep_csum)
		fill_csum(buf + 40 + ext, l4len, h->proto,
			  pb_pseudo6(buf + 8, buf + 24, h->proto,
				     (uint32_t)l4len));
	return 40 + ext + l4len;
}

size_t pb_frag6(uint8_t *buf, const uint8_t *whole, size_t off, size_t n,
		bool mf, uint32_t id)
{
	memcpy(buf, whole, 40);
	buf[6] = 44;
	buf[40] = whole[6];
	buf[41] = 0;
	pb_wr16(buf + 42, (uint16_t)(off | (mf ? 1 : 0)));
	pb_wr32(buf + 44, id);
	memcpy(buf + 48, whole + 40 + off, n);
	pb_wr16(buf + 4, (uint16_t)(8 + n));
	return 48 + n;
}

/* --- checks ------------------------------------------------------------- */

bool pb_ip4_hdr_ok(const uint8_t *p)
{
	size_t hlen = (size_t)(p[0] & 0x0f) * 4;

	return pb_fold(pb_sum(p, hlen, 0)) == 0xffff;
}

uint16_t pb_l4_resid4(const uint8_t *p)
{
	size_t hlen = (size_t)(p[0] & 0x0f) * 4;
	size_t len = pb_rd16(p + 2) - hlen;
	uint32_t acc = 0;

	if (p[9] != 1)
		acc = pb_pseudo4(p + 12, p + 16, p[9], (uint32_t)len);
	return pb_fold(pb_sum(p + hlen, len, acc));
}

size_t pb_ip6_l4(const uint8_t *p, size_t len, uint8_t *proto)
{
	uint8_t nh = p[6];
	size_t off = 40;

	while (nh == 0 || nh == 43 || nh == 60 || nh == 44) {
		if (off + 8 > len)
			return 0;
		if (nh == 44) {
			nh = p[off];
			off += 8;
			continue;
		}
		nh = p[off];
		off += ((size_t)p[off + 1] + 1) * 8;
	}
	if (off > len)
		return 0;
	*proto = nh;
	return off;
}

uint16_t pb_l4_resid6(const uint8_t *p)
{
	size_t len = 40 + (size_t)pb_rd16(p + 4), off;
	uint8_t proto;

	off = pb_ip6_l4(p, len, &proto);
	if (!off)
		return 0;
	return pb_fold(pb_sum(p + off, len - off,
			      pb_pseudo6(p + 8, p + 24, proto,
					 (uint32_t)(len - off))));
}

/* --- reassembly --------------------------------------------------------- */

struct pb_rs {
	uint8_t *buf;
	uint8_t seen[PB_MAX];
	size_t end;		/* from the fragment without MF */
	bool have_end;
	int proto;
	int64_t id;
};

static void rs_add(struct pb_rs *r, const uint8_t *data, size_t off,
		   size_t n, bool more, int proto, int64_t id)
{
	assert_true(off + n <= PB_MAX);
	if (r->proto >= 0)
		assert_int_equal(r->proto, proto);
	if (r->id >= 0)
		assert_int_equal(r->id, id);
	r->proto = proto;
	r->id = id;
	if (more)
		assert_int_equal(n % 8, 0);	/* only the last may be odd */
	for (size_t i = off; i < off + n; i++) {
		if (r->seen[i])
			fail_msg("fragments overlap at byte %zu", i);
		r->seen[i] = 1;
	}
	memcpy(r->buf + off, data, n);
	if (!more) {
		assert_false(r->have_end);
		r->have_end = true;
		r->end = off + n;
	}
}

static size_t rs_done(struct pb_rs *r)
{
	assert_true(r->have_end);
	for (size_t i = 0; i < r->end; i++)
		if (!r->seen[i])
			fail_msg("gap in the fragments at byte %zu", i);
	for (size_t i = r->end; i < PB_MAX; i++)
		assert_int_equal(r->seen[i], 0);
	return r->end;
}

static struct pb_rs *rs_new(uint8_t *buf)
{
	struct pb_rs *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->buf = buf;
	r->proto = -1;
	r->id = -1;
	return r;
}

static void rs6_one(struct pb_rs *r, const uint8_t *p, size_t len)
{
	size_t tot = 40 + (size_t)pb_rd16(p + 4);

	assert_int_equal(tot, len);
	if (p[6] == 44) {
		uint16_t fo = pb_rd16(p + 42);

		rs_add(r, p + 48, fo & 0xfff8, len - 48, fo & 1, p[40],
		       pb_rd32(p + 44));
	} else {
		rs_add(r, p + 40, 0, len - 40, false, p[6], r->id);
	}
}

size_t pb_reasm6(const struct xlat_out *out, uint8_t *buf, uint8_t *proto,
		 uint32_t *id)
{
	struct pb_rs *r = rs_new(buf);
	size_t n;

	for (unsigned int i = 0; i < out->count; i++)
		if (out->pkt[i].data[0] >> 4 == 6)
			rs6_one(r, out->pkt[i].data, out->pkt[i].len);
	n = rs_done(r);
	*proto = (uint8_t)r->proto;
	*id = r->id < 0 ? 0 : (uint32_t)r->id;
	free(r);
	return n;
}

size_t pb_reasm4(const struct xlat_out *out, uint8_t *buf, uint8_t *proto,
		 uint16_t *id)
{
	struct pb_rs *r = rs_new(buf);
	size_t n;

	for (unsigned int i = 0; i < out->count; i++) {
		const uint8_t *p = out->pkt[i].data;
		size_t hlen = (size_t)(p[0] & 0x0f) * 4;
		uint16_t fo;

		if (p[0] >> 4 != 4)
			continue;
		assert_int_equal(pb_rd16(p + 2), out->pkt[i].len);
		assert_true(pb_ip4_hdr_ok(p));
		fo = pb_rd16(p + 6);
		rs_add(r, p + hlen, (size_t)(fo & 0x1fff) * 8,
		       out->pkt[i].len - hlen, fo & 0x2000, p[9],
		       pb_rd16(p + 4));
	}
	n = rs_done(r);
	*proto = (uint8_t)r->proto;
	*id = (uint16_t)r->id;
	free(r);
	return n;
}

/* --- RFC 4884 ------------------------------------------------------------ */

size_t pb_icmp_ext(uint8_t *buf, size_t obj_data_len)
{
	size_t len = 8 + obj_data_len;

	buf[0] = 0x20;		/* version 2 */
	buf[1] = 0;
	pb_wr16(buf + 2, 0);
	pb_wr16(buf + 4, (uint16_t)(4 + obj_data_len));
	buf[6] = 1;		/* class: MPLS label stack (RFC 4950) */
	buf[7] = 1;
	pb_pattern(buf + 8, obj_data_len, 0x5a);
	pb_wr16(buf + 2, pb_cksum(buf, len, 0));
	return len;
}
