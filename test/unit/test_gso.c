// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The userspace splitter (translator/daemon/daemon_gso.c) on 64 KB aggregates,
 * as they leave the core in both directions: every segment's IP header,
 * sequence number, flags, options and checksums are checked against the
 * aggregate with pktbuild's independent checksum code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "daemon_gso.h"
#include "pktbuild.h"

#define SEQ0		0xfffff000u	/* wraps inside the aggregate */
#define TCP_FIN		0x01
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_CWR		0x80
#define MAX_SEGS	70000u

/* Timestamps + NOP NOP: 12 option bytes, as Linux sends them. */
static const uint8_t opts[12] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2 };

static uint8_t agg[PB_MAX], l4[PB_MAX], scratch[DGSO_MAX_SEG];

struct seg_log {
	unsigned int n;
	size_t off[MAX_SEGS];		/* payload offset of segment i */
	size_t len[MAX_SEGS];		/* its IP length */
	uint8_t hdr[MAX_SEGS][8];	/* bytes 4-7 (IPv4 ID, flags) */
	uint8_t *data;			/* every segment, concatenated */
	size_t used;
};

static struct seg_log log_;

static size_t tcp_agg(uint8_t flags, size_t dlen)
{
	size_t hl = 20 + sizeof(opts);

	memset(l4, 0, hl);
	pb_wr16(l4, 443);
	pb_wr16(l4 + 2, 50000);
	pb_wr32(l4 + 4, SEQ0);
	pb_wr32(l4 + 8, 77);
	l4[12] = (uint8_t)(hl / 4) << 4;
	l4[13] = flags;
	pb_wr16(l4 + 14, 512);
	memcpy(l4 + 20, opts, sizeof(opts));
	pb_pattern(l4 + hl, dlen, 9);
	return hl + dlen;
}

static size_t agg4(uint8_t flags, size_t dlen, bool df, uint16_t id)
{
	struct pb4 h = { .src = "192.0.2.33", .dst = "198.51.100.2",
			 .proto = 6, .df = df, .id = id };

	return pb_ip4(agg, &h, l4, tcp_agg(flags, dlen));
}

static size_t agg6(uint8_t flags, size_t dlen)
{
	struct pb6 h = { .src = "2001:db8:1c6:3364:2::",
			 .dst = "2001:db8:1c0:2:21::", .proto = 6 };

	return pb_ip6(agg, &h, l4, tcp_agg(flags, dlen));
}

static void record(void *arg, uint8_t *seg, size_t len)
{
	struct seg_log *sl = arg;

	assert_true(sl->n < MAX_SEGS);
	assert_true(sl->used + len <= 40u * PB_MAX);
	sl->len[sl->n] = len;
	memcpy(sl->hdr[sl->n], seg + 4, 8);
	memcpy(sl->data + sl->used, seg, len);
	sl->off[sl->n] = sl->used;
	sl->used += len;
	sl->n++;
}

static int setup(void **state)
{
	(void)state;
	log_.data = test_malloc(40u * PB_MAX);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	test_free(log_.data);
	return 0;
}

static int split(size_t len, size_t mss, bool df_rule, uint16_t *ids)
{
	struct dgso_opts o = { .mss = mss, .df_rule = df_rule,
			       .id_next = ids };

	log_.n = 0;
	log_.used = 0;
	return dgso_segment(agg, len, &o, scratch, record, &log_);
}

/*
 * Checks segment i of an aggregate with ip header length ihl (20 or 40):
 * length, headers equal to the aggregate's but for length/ID/flags/seq,
 * payload bytes, sequence number, flags, and the TCP checksum.
 */
static void check_seg(unsigned int i, unsigned int n, size_t ihl,
		      size_t mss, size_t payload)
{
	const uint8_t *s = log_.data + log_.off[i];
	size_t hdrs = ihl + 20 + sizeof(opts);
	size_t want = i + 1 < n ? mss : payload - (size_t)i * mss;
	const uint8_t *t = s + ihl, *at = agg + ihl;
	uint8_t flags = at[13];

	assert_int_equal(log_.len[i], hdrs + want);
	if (ihl == 20) {
		assert_int_equal(pb_rd16(s + 2), hdrs + want);
		assert_true(pb_ip4_hdr_ok(s));
		assert_int_equal(pb_cksum(t, 20 + sizeof(opts) + want,
					  pb_pseudo4(s + 12, s + 16, 6,
						     (uint32_t)(20 + sizeof(opts) + want))), 0);
	} else {
		assert_int_equal(pb_rd16(s + 4), 20 + sizeof(opts) + want);
		assert_memory_equal(s, agg, 4);
		assert_memory_equal(s + 6, agg + 6, 34);
		assert_int_equal(pb_cksum(t, 20 + sizeof(opts) + want,
					  pb_pseudo6(s + 8, s + 24, 6,
						     (uint32_t)(20 + sizeof(opts) + want))), 0);
	}
	assert_memory_equal(t, at, 4);			/* ports */
	assert_int_equal(pb_rd32(t + 4), (uint32_t)(SEQ0 + i * mss));
	assert_memory_equal(t + 8, at + 8, 5);		/* ack, offset */
	if (i + 1 < n)
		flags &= (uint8_t)~(TCP_FIN | TCP_PSH);
	if (i)
		flags &= (uint8_t)~TCP_CWR;
	assert_int_equal(t[13], flags);
	assert_memory_equal(t + 14, at + 14, 2);	/* window */
	assert_memory_equal(t + 20, opts, sizeof(opts));
	assert_memory_equal(s + hdrs, agg + hdrs + (size_t)i * mss, want);
}

/* 6->4 output: a 64 KB IPv4 aggregate cut for a 1500-byte MTU. */
static void test_v4_64k_df_rule(void **state)
{
	size_t payload = 65535 - 20 - 32, len, mss = 1500 - 52;
	uint16_t ids = 0x1000;
	unsigned int i, n;

	(void)state;
	len = agg4(TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR, payload, true, 0);
	assert_int_equal(len, 65535);
	n = (unsigned int)((payload + mss - 1) / mss);
	assert_int_equal(split(len, mss, true, &ids), n);
	assert_int_equal(log_.n, n);
	for (i = 0; i < n; i++) {
		check_seg(i, n, 20, mss, payload);
		/* Over 1260 bytes: DF=1 and ID 0 (RFC 7915 5.1, RFC 6864). */
		if (log_.len[i] > 1260) {
			assert_int_equal(pb_rd16(log_.hdr[i] + 2), 0x4000);
			assert_int_equal(pb_rd16(log_.hdr[i]), 0);
		}
	}
	/* The last one is short: 65483 - 44 * 1448 = 771 bytes, DF=0. */
	assert_int_equal(log_.len[n - 1], 52 + payload % mss);
	assert_int_equal(pb_rd16(log_.hdr[n - 1] + 2), 0);
	assert_int_equal(pb_rd16(log_.hdr[n - 1]), 0x1000);
	assert_int_equal(ids, 0x1001);
}

/* Without the DF rule (kernel-like): IDs count up from the aggregate's. */
static void test_v4_ids_count_up(void **state)
{
	size_t len = agg4(TCP_ACK, 10000, true, 0xfffe);
	unsigned int i;

	(void)state;
	assert_int_equal(split(len, 1000, false, NULL), 10);
	for (i = 0; i < 10; i++) {
		check_seg(i, 10, 20, 1000, 10000);
		assert_int_equal(pb_rd16(log_.hdr[i]), (uint16_t)(0xfffe + i));
		assert_int_equal(pb_rd16(log_.hdr[i] + 2), 0x4000);
	}
}

/* 4->6 output: a 64 KB IPv6 aggregate for a 1280-byte MTU. */
static void test_v6_64k(void **state)
{
	size_t payload = 65535 - 32, mss = 1280 - 72, len;
	unsigned int i, n;

	(void)state;
	len = agg6(TCP_ACK | TCP_PSH | TCP_CWR, payload);
	n = (unsigned int)((payload + mss - 1) / mss);
	assert_int_equal(split(len, mss, false, NULL), n);
	for (i = 0; i < n; i++)
		check_seg(i, n, 40, mss, payload);
	assert_int_equal(log_.len[0], 1280);
}

/* Payload an exact multiple of the MSS: no empty last segment. */
static void test_exact_multiple(void **state)
{
	size_t len = agg6(TCP_ACK | TCP_FIN, 4 * 1000);
	unsigned int i;

	(void)state;
	assert_int_equal(split(len, 1000, false, NULL), 4);
	for (i = 0; i < 4; i++)
		check_seg(i, 4, 40, 1000, 4000);
}

/* One-byte payloads, a payload under the MSS, and no payload at all. */
static void test_small(void **state)
{
	size_t len = agg6(TCP_ACK | TCP_PSH, 5);
	unsigned int i;

	(void)state;
	assert_int_equal(split(len, 1, false, NULL), 5);
	for (i = 0; i < 5; i++)
		check_seg(i, 5, 40, 1, 5);
	assert_int_equal(split(len, 1448, false, NULL), 1);
	check_seg(0, 1, 40, 1448, 5);
	len = agg6(TCP_ACK | TCP_FIN, 0);
	assert_int_equal(split(len, 1448, false, NULL), 1);
	assert_int_equal(log_.len[0], 72);
}

/* What the splitter refuses: not TCP, no MSS, segments over 64 KB. */
static void test_refused(void **state)
{
	struct pb4 h = { .src = "192.0.2.33", .dst = "198.51.100.2",
			 .proto = 17 };
	size_t len = agg6(TCP_ACK, 100);
	uint8_t data[100] = { 0 };

	(void)state;
	assert_int_equal(split(len, 0, false, NULL), -1);
	assert_int_equal(split(len, DGSO_MAX_SEG, false, NULL), -1);
	assert_int_equal(split(len, 100, true, NULL), -1);
	agg[len - 100 - 32 + 12] = 0x40;	/* data offset 16 < 20 */
	assert_int_equal(split(len, 100, false, NULL), -1);
	len = pb_ip4(agg, &h, l4, pb_udp(l4, 1, 2, data, sizeof(data)));
	assert_int_equal(split(len, 50, false, NULL), -1);
	assert_int_equal(log_.n, 0);
}

/* The pseudo-header sum the kernel's GSO expects, and completion. */
static void test_csum_partial_and_complete(void **state)
{
	size_t len = agg6(TCP_ACK, 3000);
	uint8_t *t = agg + 40;
	uint32_t ps = pb_pseudo6(agg + 8, agg + 24, 6, 32 + 3000);

	(void)state;
	assert_int_equal(dgso_csum_partial(agg, len), 0);
	/* Not complemented: the folded pseudo-header sum itself. */
	assert_int_equal(pb_rd16(t + 16), pb_fold(ps));
	assert_int_equal(dgso_csum_complete(agg, len), 0);
	assert_int_equal(pb_cksum(t, 32 + 3000, ps), 0);
	len = agg4(TCP_ACK, 3000, true, 1);
	assert_int_equal(dgso_csum_partial(agg, len), 0);
	assert_int_equal(dgso_csum_complete(agg, len), 0);
	assert_int_equal(pb_cksum(agg + 20, 32 + 3000,
				  pb_pseudo4(agg + 12, agg + 16, 6, 32 + 3000)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_64k_df_rule),
		cmocka_unit_test(test_v4_ids_count_up),
		cmocka_unit_test(test_v6_64k),
		cmocka_unit_test(test_exact_multiple),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_csum_partial_and_complete),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
