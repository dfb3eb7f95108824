// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TUN egress batches (translator/daemon/tun_batch.c) without a TUN
 * device: a SOCK_SEQPACKET socketpair stands for it (one record per
 * write, in order), and a fake writer stands for io_uring where the test
 * needs the kernel to fail. What is checked: each slot holds exactly what
 * tun_write writes (header, hop given back), a full batch is written at
 * once and in order, every result is counted (short writes as failures),
 * -EAGAIN / -EOPNOTSUPP write the packet again at once and stop batching,
 * packets a slot cannot hold are refused. The real ring runs too when
 * the kernel allows io_uring (else that test is skipped).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <unistd.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "tun.h"

#define PKT_LEN		92
#define HDR		sizeof(struct virtio_net_hdr)

struct fake {
	int sv[2];
	unsigned int calls;
	unsigned int seen;		/* packets the fake was given */
	uint32_t first[TUN_BATCH_MAX];	/* seq of each, in order */
	int32_t answer[64];		/* by seq: 0 = write it whole */
};

static struct fake fk;

/* An IPv4 UDP packet whose source port carries seq; TTL 63. */
static void pkt4(uint8_t *p, uint16_t seq)
{
	uint32_t sum = 0;

	memset(p, 0, PKT_LEN);
	p[0] = 0x45;
	p[3] = PKT_LEN;
	p[8] = 63;
	p[9] = 17;
	memcpy(p + 12, (uint8_t[]){ 192, 0, 2, 1, 198, 51, 100, 2 }, 8);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	p[10] = (uint8_t)(~sum >> 8);
	p[11] = (uint8_t)~sum;
	p[20] = (uint8_t)(seq >> 8);
	p[21] = (uint8_t)seq;
}

static uint16_t seq_of(const uint8_t *rec)
{
	return (uint16_t)(rec[HDR + 20] << 8 | rec[HDR + 21]);
}

static void fake_submit(struct tun_batch *b, int32_t *res)
{
	fk.calls++;
	for (unsigned int i = 0; i < b->n; i++) {
		const uint8_t *s = tun_batch_buf(b, i);
		uint16_t seq = seq_of(s);

		fk.first[i] = seq;
		fk.seen++;
		if (fk.answer[seq]) {
			res[i] = fk.answer[seq];
			continue;
		}
		res[i] = (int32_t)write(b->fd, s, b->len[i]);
	}
}

/* A batch of max with the fake writer (no ring: tun_batch_init would
 * try io_uring). */
static void fake_batch(struct tun_batch *b, unsigned int max)
{
	memset(b, 0, sizeof(*b));
	b->fd = fk.sv[0];
	b->max = max;
	b->slots = malloc((size_t)max * TUN_BATCH_SLOT);
	assert_non_null(b->slots);
	b->submit = fake_submit;
}

static int setup(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof(fk));
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, fk.sv);
}

static int teardown(void **state)
{
	(void)state;
	close(fk.sv[0]);
	close(fk.sv[1]);
	return 0;
}

/* The next record on the far end; -1: none. */
static ssize_t next_rec(uint8_t *buf, size_t len)
{
	return recv(fk.sv[1], buf, len, 0);
}

/*
 * The n records the device got (copied to got[]) are, in order, what
 * tun_write writes for packets 0..n-1, and nothing follows them.
 */
static void assert_as_tun_write(struct tun *t, uint8_t (*got)[2048],
				uint16_t n)
{
	uint8_t p[PKT_LEN], want[2048];
	uint16_t s;

	for (s = 0; s < n; s++)
		assert_int_equal(next_rec(got[s], sizeof(got[s])),
				 HDR + PKT_LEN);
	for (s = 0; s < n; s++) {
		pkt4(p, s);
		assert_int_equal(tun_write(t, p, PKT_LEN, NULL), 0);
		assert_int_equal(next_rec(want, sizeof(want)), HDR + PKT_LEN);
		assert_memory_equal(got[s], want, HDR + PKT_LEN);
	}
	assert_true(next_rec(want, sizeof(want)) < 0);
}

/* Every queued packet leaves as tun_write would write it, in order. */
static void test_same_bytes_in_order(void **state)
{
	static uint8_t got[6][2048];
	struct tun t = { .fd = -1 };
	struct tun_batch b;
	uint8_t p[PKT_LEN];
	uint16_t s;

	(void)state;
	t.fd = fk.sv[0];
	fake_batch(&b, 4);
	for (s = 0; s < 6; s++) {
		pkt4(p, s);
		assert_int_equal(tun_batch_add(&b, p, PKT_LEN), 0);
	}
	/* 4 written when full, 2 queued. */
	assert_int_equal(fk.calls, 1);
	assert_int_equal(b.n, 2);
	tun_batch_flush(&b);
	assert_int_equal(fk.calls, 2);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.written, 6);
	assert_int_equal(b.failed, 0);
	assert_as_tun_write(&t, got, 6);
	for (s = 0; s < 6; s++) {
		assert_int_equal(seq_of(got[s]), s);
		/* The hop given back: TTL 64. */
		assert_int_equal(got[s][HDR + 8], 64);
	}
	tun_batch_free(&b);
}

/* Errors and short writes are failures, counted; the rest written. */
static void test_counts_failures(void **state)
{
	struct tun_batch b;
	uint8_t p[PKT_LEN];

	(void)state;
	fake_batch(&b, 8);
	fk.answer[1] = -EIO;
	fk.answer[2] = HDR + PKT_LEN - 1;	/* short */
	fk.answer[3] = -EINVAL;
	for (uint16_t s = 0; s < 5; s++) {
		pkt4(p, s);
		assert_int_equal(tun_batch_add(&b, p, PKT_LEN), 0);
	}
	tun_batch_flush(&b);
	assert_int_equal(b.written, 2);
	assert_int_equal(b.failed, 3);
	assert_int_equal(b.max, 8);		/* still batching */
	assert_int_equal(b.msg[0], '\0');
	tun_batch_free(&b);
}

/* -EAGAIN: written again at once, in its place; batching stops. */
static void test_eagain_falls_back(void **state)
{
	struct tun_batch b;
	uint8_t p[PKT_LEN], got[2048];

	(void)state;
	fake_batch(&b, 8);
	fk.answer[0] = -EAGAIN;
	for (uint16_t s = 0; s < 3; s++) {
		pkt4(p, s);
		assert_int_equal(tun_batch_add(&b, p, PKT_LEN), 0);
	}
	tun_batch_flush(&b);
	assert_int_equal(b.written, 3);
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.max, 0);
	assert_non_null(strstr(b.msg, "one write per packet"));
	/* The fake wrote 1 and 2; the fallback 0 after them. */
	assert_int_equal(next_rec(got, sizeof(got)), HDR + PKT_LEN);
	assert_int_equal(seq_of(got), 1);
	assert_int_equal(next_rec(got, sizeof(got)), HDR + PKT_LEN);
	assert_int_equal(seq_of(got), 2);
	assert_int_equal(next_rec(got, sizeof(got)), HDR + PKT_LEN);
	assert_int_equal(seq_of(got), 0);
	/* Off now: the caller writes directly. */
	assert_int_equal(tun_batch_add(&b, p, PKT_LEN), -1);
	tun_batch_free(&b);
}

/*
 * One copy per packet: a packet written at the reserved place is queued
 * in place (direct, nothing copied), a reservation given up is written
 * over, and either way the device gets what tun_write would write.
 */
static void test_direct_slot(void **state)
{
	struct tun t = { .fd = -1 };
	struct tun_batch b;
	static uint8_t got[6][2048];
	uint8_t p[PKT_LEN], *slot;
	size_t room;
	uint16_t s;

	(void)state;
	t.fd = fk.sv[0];
	fake_batch(&b, 4);
	for (s = 0; s < 6; s++) {
		slot = tun_batch_reserve(&b, &room);
		assert_non_null(slot);
		assert_ptr_equal(slot, tun_batch_buf(&b, b.n) + HDR);
		assert_int_equal((uintptr_t)slot % 8, 0);
		assert_int_equal(room, TUN_BATCH_SLOT - TUN_BATCH_IP);
		if (s == 2) {
			/* Given up half-written: a copy goes instead. */
			memset(slot, 0xee, 40);
			pkt4(p, s);
			assert_int_equal(tun_batch_add(&b, p, PKT_LEN), 0);
			continue;
		}
		pkt4(slot, s);
		assert_int_equal(tun_batch_add(&b, slot, PKT_LEN), 0);
	}
	assert_int_equal(b.direct, 5);
	assert_int_equal(b.copied, PKT_LEN);
	tun_batch_flush(&b);
	assert_int_equal(b.written, 6);
	assert_as_tun_write(&t, got, 6);
	tun_batch_free(&b);
	/* Batching off: nothing to reserve. */
	assert_null(tun_batch_reserve(&b, &room));
}

/* What a slot cannot hold, or batching off, is refused. */
static void test_refused(void **state)
{
	struct tun_batch b;
	uint8_t *big = calloc(1, TUN_BATCH_SLOT);
	char err[160];

	(void)state;
	assert_non_null(big);
	pkt4(big, 0);
	fake_batch(&b, 4);
	assert_int_equal(tun_batch_add(&b, big, TUN_BATCH_SLOT - TUN_BATCH_IP),
			 0);
	assert_int_equal(tun_batch_add(&b, big,
				       TUN_BATCH_SLOT - TUN_BATCH_IP + 1), -1);
	assert_int_equal(tun_batch_add(&b, big, 19), -1);
	assert_int_equal(b.n, 1);
	tun_batch_free(&b);
	assert_int_equal(b.n, 0);
	assert_int_equal(tun_batch_init(&b, fk.sv[0], 1, err, sizeof(err)),
			 0);
	assert_int_equal(tun_batch_add(&b, big, 100), -1);
	tun_batch_free(&b);
	free(big);
}

/* The real ring on the socketpair: everything arrives, in order. */
static void test_real_ring(void **state)
{
	struct tun_batch b;
	uint8_t p[PKT_LEN], got[2048];
	char err[160];

	(void)state;
	if (tun_batch_init(&b, fk.sv[0], 8, err, sizeof(err))) {
		print_message("skipped: %s\n", err);
		skip();
	}
	for (uint16_t s = 0; s < 21; s++) {
		pkt4(p, s);
		assert_int_equal(tun_batch_add(&b, p, PKT_LEN), 0);
	}
	tun_batch_flush(&b);
	assert_int_equal(b.written, 21);
	assert_int_equal(b.failed, 0);
	assert_int_equal(b.msg[0], '\0');
	for (uint16_t s = 0; s < 21; s++) {
		assert_int_equal(next_rec(got, sizeof(got)), HDR + PKT_LEN);
		assert_int_equal(seq_of(got), s);
	}
	assert_true(next_rec(got, sizeof(got)) < 0);
	tun_batch_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_bytes_in_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_counts_failures,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_eagain_falls_back,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_direct_slot, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_real_ring, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
