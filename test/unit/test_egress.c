// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The raw egress batch (translator/daemon/egress.c) without copies: a
 * packet written at the slot egress_reserve gives is committed in place
 * by egress_queue (its iovec IS the slot: tx_direct, nothing copied);
 * any other buffer is copied (tx_copied_bytes); a slot given up is
 * never sent; a full batch is sent before a reservation. No raw socket
 * (that needs CAP_NET_RAW): the descriptor is -1, so each message a
 * flush sends fails with EBADF, counted (tx_err_other): how many were
 * sent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "egress.h"

static struct egress eg;
static struct dstats st;

static int setup(void **state)
{
	(void)state;
	memset(&eg, 0, sizeof(eg));
	memset(&st, 0, sizeof(st));
	eg.b4.fd = -1;
	eg.b4.family = AF_INET;
	eg.b4.arena = malloc(EGRESS_ARENA);
	eg.b6.fd = -1;
	eg.b6.family = AF_INET6;
	eg.b6.arena = malloc(EGRESS_ARENA);
	return eg.b4.arena && eg.b6.arena ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	egress_close(&eg);
	return 0;
}

/* An IPv4 packet of len bytes to 192.0.2.seq. */
static void pkt4(uint8_t *p, size_t len, uint8_t seq)
{
	memset(p, seq, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	memcpy(p + 16, (uint8_t[]){ 192, 0, 2, seq }, 4);
}

static void test_in_place(void **state)
{
	uint8_t copy[300], *slot;
	size_t room;

	(void)state;
	slot = egress_reserve(&eg, AF_INET, 1536, &room, &st);
	assert_ptr_equal(slot, eg.b4.arena);
	assert_int_equal(room, EGRESS_ARENA);
	pkt4(slot, 100, 1);
	assert_int_equal(egress_queue(&eg, slot, 100, &st), 0);
	assert_int_equal(eg.b4.count, 1);
	assert_ptr_equal(eg.b4.iov[0].iov_base, slot);
	assert_int_equal(eg.b4.iov[0].iov_len, 100);
	assert_int_equal(eg.b4.dst[0].v4.sin_addr.s_addr,
			 htonl(0xc0000201));
	assert_int_equal(st.c[DSTAT_TX_DIRECT], 1);
	assert_int_equal(st.c[DSTAT_TX_COPIED_BYTES], 0);

	/* The next slot: 8-byte aligned after the first. */
	slot = egress_reserve(&eg, AF_INET, 1536, &room, &st);
	assert_ptr_equal(slot, eg.b4.arena + 104);
	assert_int_equal(room, EGRESS_ARENA - 104);
	/* Given up half-written: a copy from elsewhere takes its place. */
	memset(slot, 0xee, 50);
	pkt4(copy, 300, 2);
	assert_int_equal(egress_queue(&eg, copy, 300, &st), 0);
	assert_ptr_equal(eg.b4.iov[1].iov_base, slot);
	assert_memory_equal(slot, copy, 300);
	assert_int_equal(st.c[DSTAT_TX_DIRECT], 1);
	assert_int_equal(st.c[DSTAT_TX_COPIED_BYTES], 300);
	assert_int_equal(eg.b4.count, 2);
	/* The other family's batch is apart. */
	assert_ptr_equal(egress_reserve(&eg, AF_INET6, 1536, &room, &st),
			 eg.b6.arena);
	assert_int_equal(eg.b6.count, 0);
	assert_int_equal(st.c[DSTAT_TX_BATCHES], 0);
}

/* A reservation never leaves a half-written slot in a flush. */
static void test_full_batch(void **state)
{
	uint8_t *slot;
	size_t room;
	unsigned int i;

	(void)state;
	for (i = 0; i < EGRESS_BATCH; i++) {
		slot = egress_reserve(&eg, AF_INET, 1536, &room, &st);
		pkt4(slot, 1200, (uint8_t)i);
		assert_int_equal(egress_queue(&eg, slot, 1200, &st), 0);
	}
	assert_int_equal(eg.b4.count, EGRESS_BATCH);
	assert_int_equal(st.c[DSTAT_TX_BATCHES], 0);
	/* Full: sent first (64 EBADF), then the first slot again. */
	slot = egress_reserve(&eg, AF_INET, 1536, &room, &st);
	assert_ptr_equal(slot, eg.b4.arena);
	assert_int_equal(eg.b4.count, 0);
	assert_int_equal(st.c[DSTAT_TX_ERR_OTHER], EGRESS_BATCH);
	/* Given up: nothing queued, so nothing sent. */
	egress_flush(&eg, &st);
	assert_int_equal(st.c[DSTAT_TX_ERR_OTHER], EGRESS_BATCH);
	assert_int_equal(st.c[DSTAT_TX_DIRECT], EGRESS_BATCH);
	assert_int_equal(st.c[DSTAT_TX_COPIED_BYTES], 0);
	/* Too little room left for want: sent first too. */
	slot = egress_reserve(&eg, AF_INET, 1536, &room, &st);
	pkt4(slot, 1200, 9);
	assert_int_equal(egress_queue(&eg, slot, 1200, &st), 0);
	eg.b4.used = EGRESS_ARENA - 1000;
	slot = egress_reserve(&eg, AF_INET, 1536, &room, &st);
	assert_ptr_equal(slot, eg.b4.arena);
	assert_int_equal(st.c[DSTAT_TX_ERR_OTHER], EGRESS_BATCH + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_batch, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
