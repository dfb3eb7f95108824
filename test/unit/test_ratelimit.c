// SPDX-License-Identifier: GPL-2.0-or-later
/* The ICMP error token bucket, driven by a fake clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ratelimit.h"

static unsigned int take_n(struct ratelimit *rl, unsigned int n, int64_t now)
{
	unsigned int ok = 0;

	while (n--)
		ok += ratelimit_take(rl, now);
	return ok;
}

/* A full bucket gives burst errors at once, then nothing. */
static void test_burst(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 100, 50, 1000);
	assert_int_equal(take_n(&rl, 80, 1000), 50);
	assert_false(ratelimit_take(&rl, 1000));
}

/* 100/s: one token per 10 ms; 9 ms is not enough, 10 ms is. */
static void test_refill(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 100, 50, 0);
	assert_int_equal(take_n(&rl, 50, 0), 50);
	assert_false(ratelimit_take(&rl, 9));
	assert_true(ratelimit_take(&rl, 10));
	assert_false(ratelimit_take(&rl, 10));
	/* One second later: 100 tokens earned, capped at the burst. */
	assert_int_equal(take_n(&rl, 200, 1010), 50);
	/* Over 10 s at 100/s: 1000 + 50 at most. */
	assert_int_equal(take_n(&rl, 2000, 11010), 50);
}

static void test_sustained(void **state)
{
	struct ratelimit rl;
	unsigned int ok = 0;
	int64_t t;

	(void)state;
	ratelimit_init(&rl, 100, 50, 0);
	/* 10 attempts a millisecond for 10 s: burst + 100/s * 10 s. */
	for (t = 0; t < 10000; t++)
		ok += take_n(&rl, 10, t);
	assert_int_equal(ok, 50 + 999);
}

static void test_unlimited_and_set(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 0, 1, 0);
	assert_int_equal(take_n(&rl, 10000, 0), 10000);
	ratelimit_init(&rl, 1, 100, 0);
	ratelimit_set(&rl, 1, 5);	/* shrinking the bucket caps it */
	assert_int_equal(take_n(&rl, 10, 0), 5);
	/* A clock that goes backwards earns nothing. */
	assert_int_equal(take_n(&rl, 10, -5000), 0);
	assert_int_equal(take_n(&rl, 10, 1000), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_refill),
		cmocka_unit_test(test_sustained),
		cmocka_unit_test(test_unlimited_and_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
