// SPDX-License-Identifier: GPL-2.0-or-later
/* The per-flow segment size table, on a fake clock with a fixed key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "segsize.h"

static const uint8_t key16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

static struct segsize_key flow(uint32_t n)
{
	struct segsize_key k = {
		{ 192, 0, 2, 33 }, { 198, 51, 100, 2 },
		{ (uint8_t)(n >> 8), (uint8_t)n }, { 0, 80 },
	};

	k.src[3] = (uint8_t)(n >> 16);
	return k;
}

static int setup(void **state)
{
	*state = segsize_new(key16);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	segsize_free(*state);
	return 0;
}

static struct segsize_info look(struct segsize *t, uint32_t n,
				uint32_t payload, int64_t now, bool want)
{
	struct segsize_key k = flow(n);
	struct segsize_info fi;

	assert_int_equal(segsize_lookup(t, &k, payload, now, &fi), want);
	return fi;
}

/* Nothing known of a flow never seen; lookups make no entry. */
static void test_unknown(void **state)
{
	struct segsize *t = *state;
	struct segsize_info fi = look(t, 1, 60000, 1000, false);

	assert_int_equal(fi.seen, 0);
	assert_int_equal(fi.peer_mss, 0);
	look(t, 1, 60000, 1001, false);
	assert_int_equal(segsize_stats(t)->flows, 0);
}

/* The largest lone segment is kept; smaller ones (tails) do not lower it. */
static void test_seen_largest(void **state)
{
	struct segsize *t = *state;
	struct segsize_key k = flow(2);

	segsize_note_data(t, &k, 300, 1000);
	assert_int_equal(look(t, 2, 60000, 1000, true).seen, 300);
	segsize_note_data(t, &k, 1208, 1100);
	segsize_note_data(t, &k, 500, 1200);
	assert_int_equal(look(t, 2, 60000, 1300, true).seen, 1208);
	assert_int_equal(segsize_stats(t)->raised, 2);
	assert_int_equal(segsize_stats(t)->flows, 1);
	/* The reverse flow is another flow. */
	k = (struct segsize_key){ { 198, 51, 100, 2 }, { 192, 0, 2, 0 },
				  { 0, 80 }, { 0, 2 } };
	assert_false(segsize_lookup(t, &k, 60000, 1300, &(struct segsize_info){ 0 }));
}

/* Unconfirmed for SEGSIZE_SEEN_MS, the seen size is forgotten. */
static void test_seen_expires(void **state)
{
	struct segsize *t = *state;
	struct segsize_key k = flow(3);

	segsize_note_data(t, &k, 1428, 1000);
	/* A smaller segment does not confirm it. */
	segsize_note_data(t, &k, 100, 1000 + SEGSIZE_SEEN_MS - 1);
	assert_int_equal(look(t, 3, 60000, 1000 + SEGSIZE_SEEN_MS - 1,
			      true).seen, 1428);
	assert_int_equal(look(t, 3, 60000, 1000 + SEGSIZE_SEEN_MS,
			      true).seen, 0);
	/* An equal one does. */
	segsize_note_data(t, &k, 1428, 20000);
	segsize_note_data(t, &k, 1428, 20000 + SEGSIZE_SEEN_MS - 1);
	assert_int_equal(look(t, 3, 60000, 20000 + SEGSIZE_SEEN_MS + 10,
			      true).seen, 1428);
}

/* An aggregate holds more than one segment: one no larger than the seen
 * size proves the sender's segments smaller now. */
static void test_seen_stale(void **state)
{
	struct segsize *t = *state;
	struct segsize_key k = flow(4);

	segsize_note_data(t, &k, 1428, 1000);
	assert_int_equal(look(t, 4, 1429, 1001, true).seen, 1428);
	assert_int_equal(look(t, 4, 1428, 1002, true).seen, 0);
	assert_int_equal(segsize_stats(t)->stale, 1);
	assert_int_equal(look(t, 4, 60000, 1003, true).seen, 0);
}

/* A SYN starts over: its MSS is kept, the old seen size dropped. */
static void test_peer_mss(void **state)
{
	struct segsize *t = *state;
	struct segsize_key k = flow(5);
	struct segsize_info fi;

	segsize_note_data(t, &k, 1428, 1000);
	segsize_note_mss(t, &k, 1220, 2000);
	fi = look(t, 5, 60000, 2001, true);
	assert_int_equal(fi.seen, 0);
	assert_int_equal(fi.peer_mss, 1220);
	segsize_note_data(t, &k, 1208, 2002);
	fi = look(t, 5, 60000, 2003, true);
	assert_int_equal(fi.seen, 1208);
	assert_int_equal(fi.peer_mss, 1220);
	/* Idle for SEGSIZE_IDLE_MS: the flow is gone. */
	look(t, 5, 60000, 2003 + SEGSIZE_IDLE_MS, false);
}

/* Another worker's note of the MSS keeps what this one saw meanwhile. */
static void test_peer_mss_note(void **state)
{
	struct segsize *t = *state;
	struct segsize_key k = flow(6);
	struct segsize_info fi;

	segsize_note_data(t, &k, 1428, 1000);
	segsize_note_peer_mss(t, &k, 1460, 1001);
	fi = look(t, 6, 60000, 1002, true);
	assert_int_equal(fi.seen, 1428);
	assert_int_equal(fi.peer_mss, 1460);
	/* A flow it never saw: the MSS alone. */
	k = flow(7);
	segsize_note_peer_mss(t, &k, 1220, 1003);
	fi = look(t, 7, 60000, 1004, true);
	assert_int_equal(fi.seen, 0);
	assert_int_equal(fi.peer_mss, 1220);
}

static bool known(struct segsize *t, uint32_t n, int64_t now)
{
	struct segsize_key k = flow(n);
	struct segsize_info fi;

	return segsize_lookup(t, &k, 60000, now, &fi) && fi.seen;
}

/* Far more flows than entries: memory stays bounded, recent flows stay,
 * the oldest go (counted), and nothing breaks. */
static void test_bounded(void **state)
{
	struct segsize *t = *state;
	const uint32_t slots = SEGSIZE_SETS * SEGSIZE_WAYS, n = slots * 4;
	uint32_t i, recent = 0, old = 0;
	struct segsize_key k;

	for (i = 0; i < n; i++) {
		k = flow(i);
		segsize_note_data(t, &k, 1000 + i % 400, 1000 + i);
	}
	assert_int_equal(segsize_stats(t)->flows, n);
	assert_true(segsize_stats(t)->evicted >= n - slots);
	/* The last flow noted is always there. */
	assert_int_equal(look(t, n - 1, 60000, 1000 + n, true).seen,
			 1000 + (n - 1) % 400);
	for (i = 0; i < 64; i++) {
		recent += known(t, n - 2 - i, 1000 + n);
		old += known(t, i, 1000 + n);
	}
	assert_true(recent >= 60);
	assert_true(old <= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seen_largest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seen_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seen_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_mss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_mss_note, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
