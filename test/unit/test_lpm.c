// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The longest-prefix-match trie (common/lpm.c): fixed cases, exact answers
 * against a brute-force scan over random nested prefixes (before and after
 * removals), and a million prefixes: every lookup visits at most
 * key_bits + 1 nodes (the walk's bound, independent of the table size),
 * the node count stays under 2n, and removing everything leaves nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lpm.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct pfx {
	uint8_t key[16];
	unsigned int len;
	bool live;
};

static bool has_prefix(const uint8_t *a, const struct pfx *p)
{
	for (unsigned int i = 0; i < p->len; i++) {
		unsigned int b = 7 - (i & 7);

		if (((a[i >> 3] >> b) & 1) != ((p->key[i >> 3] >> b) & 1))
			return false;
	}
	return true;
}

static void mask_to(uint8_t *k, unsigned int len, unsigned int bytes)
{
	for (unsigned int i = len; i < bytes * 8; i++)
		k[i >> 3] &= (uint8_t)~(0x80u >> (i & 7));
}

/* Random bits past len: an address inside the prefix. */
static void fill_host(uint8_t *a, const struct pfx *p, unsigned int bytes)
{
	memcpy(a, p->key, bytes);
	for (unsigned int i = p->len; i < bytes * 8; i++)
		if (rnd() & 1)
			a[i >> 3] |= (uint8_t)(0x80u >> (i & 7));
}

/* The reference: the longest live prefix holding a, by scanning all. */
static bool brute(const struct pfx *set, size_t n, const uint8_t *a,
		  uint32_t *idx)
{
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		if (!set[i].live || !has_prefix(a, &set[i]))
			continue;
		if (!found || set[i].len > set[*idx].len) {
			*idx = (uint32_t)i;
			found = true;
		}
	}
	return found;
}

static void k4(uint8_t *k, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	k[0] = a;
	k[1] = b;
	k[2] = c;
	k[3] = d;
}

/* The value lpm_lookup gives for a.b.c.d, or -1 for none. */
static long look4(const struct lpm *t, uint8_t a, uint8_t b, uint8_t c,
		  uint8_t d)
{
	uint8_t k[4] = { a, b, c, d };
	uint32_t v;

	return lpm_lookup(t, k, &v, NULL) ? (long)v : -1;
}

/*
 * The starts by first byte: a lookup whose first byte no prefix covers
 * ends before the walk (0 nodes visited); insertions and removals keep
 * them exact, prefixes shorter than 8 bits included (their values are
 * taken in advance, and follow lpm_shift), and a byte stays while
 * another prefix still covers it.
 */
static void test_first_byte(void **state)
{
	struct lpm t;
	uint8_t k[4], a[4];
	uint32_t v;
	unsigned int seen = 99;

	(void)state;
	lpm_init(&t, 32);
	k4(k, 100, 64, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 10, 1), LPM_OK);
	k4(k, 172, 16, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 12, 2), LPM_OK);
	k4(a, 198, 51, 100, 1);
	assert_false(lpm_lookup(&t, a, &v, &seen));
	assert_int_equal(seen, 0);
	/* Covered byte, address outside the prefix: walked, missed. */
	k4(a, 100, 1, 2, 3);
	assert_false(lpm_lookup(&t, a, &v, &seen));
	assert_true(seen > 0);
	assert_int_equal(look4(&t, 172, 20, 0, 1), 2);

	/* 128.0.0.0/1 covers 128..255; 172 stays with its own prefix. */
	k4(k, 128, 0, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 1, 3), LPM_OK);
	assert_int_equal(look4(&t, 198, 51, 100, 1), 3);
	assert_int_equal(look4(&t, 255, 0, 0, 0), 3);
	assert_int_equal(look4(&t, 127, 0, 0, 1), -1);
	assert_int_equal(lpm_remove(&t, k, 1), 0);
	k4(a, 198, 51, 100, 1);
	assert_false(lpm_lookup(&t, a, &v, &seen));
	assert_int_equal(seen, 0);
	assert_int_equal(look4(&t, 172, 16, 0, 1), 2);

	/* Removing 100.64/10 clears 100; a /0 sets every byte. */
	k4(k, 100, 64, 0, 0);
	assert_int_equal(lpm_remove(&t, k, 10), 0);
	k4(a, 100, 64, 0, 1);
	assert_false(lpm_lookup(&t, a, &v, &seen));
	assert_int_equal(seen, 0);
	k4(k, 0, 0, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 0, 4), LPM_OK);
	assert_int_equal(look4(&t, 100, 64, 0, 1), 4);
	assert_int_equal(look4(&t, 172, 16, 0, 1), 2);
	assert_int_equal(lpm_remove(&t, k, 0), 0);
	assert_int_equal(look4(&t, 100, 64, 0, 1), -1);
	assert_int_equal(look4(&t, 172, 16, 0, 1), 2);

	/* A /4 answered from the start alone; its value follows a shift. */
	k4(k, 160, 0, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 4, 7), LPM_OK);
	k4(a, 170, 1, 2, 3);
	assert_true(lpm_lookup(&t, a, &v, &seen));
	assert_int_equal(v, 7);
	assert_int_equal(seen, 0);
	lpm_shift(&t, 5, 10);
	assert_int_equal(look4(&t, 170, 1, 2, 3), 17);
	assert_int_equal(look4(&t, 172, 16, 0, 1), 2);	/* below 5: kept */
	assert_int_equal(look4(&t, 172, 99, 0, 1), 17);	/* the /4 */
	lpm_shift(&t, 0, -1);
	assert_int_equal(look4(&t, 170, 1, 2, 3), 16);
	assert_int_equal(look4(&t, 172, 16, 0, 1), 1);
	lpm_free(&t);
	/* Freed: empty again, every byte clear. */
	k4(a, 172, 16, 0, 1);
	assert_false(lpm_lookup(&t, a, &v, &seen));
	assert_int_equal(seen, 0);
}

static void test_fixed(void **state)
{
	struct lpm t;
	uint8_t k[4], a[4];
	uint32_t v = 99;
	unsigned int seen;

	(void)state;
	lpm_init(&t, 32);
	assert_false(lpm_lookup(&t, "\1\2\3\4", &v, NULL));
	k4(k, 10, 0, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 8, 1), LPM_OK);
	k4(k, 10, 1, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 16, 2), LPM_OK);
	k4(k, 10, 1, 2, 0);
	assert_int_equal(lpm_insert(&t, k, 24, 3), LPM_OK);
	k4(k, 0, 0, 0, 0);
	assert_int_equal(lpm_insert(&t, k, 0, 4), LPM_OK);
	/* The same prefix twice, host bits ignored: refused. */
	k4(k, 10, 1, 255, 255);
	assert_int_equal(lpm_insert(&t, k, 16, 5), LPM_EXISTS);
	assert_int_equal(t.count, 4);

	k4(a, 10, 1, 2, 3);
	assert_true(lpm_lookup(&t, a, &v, &seen));
	assert_int_equal(v, 3);
	assert_true(seen <= 33);
	assert_int_equal(look4(&t, 10, 1, 3, 3), 2);
	assert_int_equal(look4(&t, 10, 2, 3, 3), 1);
	assert_int_equal(look4(&t, 11, 2, 3, 3), 4);

	/* Exact gets and overlaps. */
	k4(k, 10, 1, 0, 0);
	assert_true(lpm_get(&t, k, 16, &v));
	assert_int_equal(v, 2);
	assert_false(lpm_get(&t, k, 17, &v));
	assert_true(lpm_overlap(&t, k, 17, &v));	/* inside 10.1/16 */
	assert_int_equal(v, 2);

	/* Remove the middle one: 10.1.3.3 falls back to 10/8. */
	assert_int_equal(lpm_remove(&t, k, 16), 0);
	assert_int_equal(lpm_remove(&t, k, 16), -1);
	assert_int_equal(look4(&t, 10, 1, 3, 3), 1);
	assert_int_equal(look4(&t, 10, 1, 2, 200), 3);
	k4(k, 0, 0, 0, 0);
	assert_int_equal(lpm_remove(&t, k, 0), 0);
	assert_int_equal(look4(&t, 11, 2, 3, 3), -1);

	/* Overlap finds an entry inside a shorter prefix (10.0.0.0/7). */
	k4(k, 10, 0, 0, 0);
	assert_true(lpm_overlap(&t, k, 7, &v));
	assert_int_equal(v, 1);
	k4(k, 12, 0, 0, 0);
	assert_false(lpm_overlap(&t, k, 8, &v));

	/* Shifting renumbers values at and above from. */
	lpm_shift(&t, 2, -1);
	assert_int_equal(look4(&t, 10, 1, 2, 3), 2);
	assert_int_equal(look4(&t, 10, 9, 9, 9), 1);
	lpm_free(&t);
	assert_int_equal(t.count, 0);
	assert_int_equal(t.key_bits, 32);
}

/*
 * Random prefixes drawn around a few bases so that they nest deeply (a
 * uniform draw would rarely nest) and lookups that each compare the
 * trie's answer with the scan.
 */
static void random_set(struct pfx *set, size_t n, unsigned int bytes)
{
	uint8_t bases[8][16];

	for (int b = 0; b < 8; b++)
		for (unsigned int i = 0; i < bytes; i++)
			bases[b][i] = (uint8_t)rnd();
	for (size_t i = 0; i < n; i++) {
		const uint8_t *base = bases[rnd() % 8];

		for (unsigned int j = 0; j < bytes; j++)
			set[i].key[j] = base[j] ^ (rnd() % 4 == 0 ?
						    (uint8_t)rnd() : 0);
		set[i].len = (unsigned int)(rnd() % (bytes * 8 + 1));
		mask_to(set[i].key, set[i].len, bytes);
		set[i].live = false;
	}
}

static void compare_all(const struct lpm *t, const struct pfx *set, size_t n,
			unsigned int bytes, int lookups)
{
	uint8_t a[16];

	for (int l = 0; l < lookups; l++) {
		uint32_t want = 0, got = 0;
		bool w, g;

		/* Half inside some prefix, half anywhere. */
		if (l % 2)
			fill_host(a, &set[rnd() % n], bytes);
		else
			for (unsigned int j = 0; j < bytes; j++)
				a[j] = (uint8_t)rnd();
		w = brute(set, n, a, &want);
		g = lpm_lookup(t, a, &got, NULL);
		assert_int_equal(g, w);
		if (w)	/* duplicates were refused: the same entry */
			assert_int_equal(got, want);
		/* The word forms of the fast path answer the same. */
		got = UINT32_MAX;
		g = bytes == 4 ? lpm_lookup4(t, rd32(a), &got) :
				 lpm_lookup6(t, rd64(a), rd64(a + 8), &got);
		assert_int_equal(g, w);
		if (w)
			assert_int_equal(got, want);
	}
}

/* Removes every live prefix: nothing may be left, not even a node. */
static void remove_all(struct lpm *t, const struct pfx *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i].live)
			assert_int_equal(lpm_remove(t, set[i].key,
						    set[i].len), 0);
	assert_int_equal(t->count, 0);
	assert_int_equal(t->live, 0);
	assert_int_equal(t->root, 0);
	lpm_free(t);
}

static void random_vs_brute(unsigned int bits)
{
	unsigned int bytes = bits / 8;
	size_t n = 3000, live = 0;
	struct pfx *set = calloc(n, sizeof(*set));
	struct lpm t;

	assert_non_null(set);
	lpm_init(&t, bits);
	random_set(set, n, bytes);
	for (size_t i = 0; i < n; i++) {
		uint32_t v;
		int r = lpm_insert(&t, set[i].key, set[i].len, (uint32_t)i);

		assert_true(r == LPM_OK || r == LPM_EXISTS);
		set[i].live = r == LPM_OK;
		live += r == LPM_OK;
		assert_true(lpm_get(&t, set[i].key, set[i].len, &v));
	}
	assert_int_equal(t.count, live);
	assert_true(t.live <= 2 * live);
	compare_all(&t, set, n, bytes, 20000);
	/* Remove about half, then compare again. */
	for (size_t i = 0; i < n; i++) {
		if (!set[i].live || rnd() % 2)
			continue;
		assert_int_equal(lpm_remove(&t, set[i].key, set[i].len), 0);
		set[i].live = false;
		live--;
	}
	assert_int_equal(t.count, live);
	assert_true(t.live <= 2 * live);
	compare_all(&t, set, n, bytes, 20000);
	remove_all(&t, set, n);
	free(set);
}

static void test_random4(void **state)
{
	(void)state;
	random_vs_brute(32);
}

static void test_random6(void **state)
{
	(void)state;
	random_vs_brute(128);
}

#define MILLION 1000000u

/*
 * A million random prefixes (lengths 64..128 for IPv6, 24..32 for IPv4;
 * the few drawn twice are refused as duplicates): each one's addresses must find it or a longer prefix inside it,
 * in at most key_bits + 1 nodes; the worst walk seen is printed beside
 * the one of a table a thousand times smaller.
 */
static unsigned int million(unsigned int bits, size_t n)
{
	unsigned int bytes = bits / 8, min = bits == 32 ? 24 : 64, worst = 0;
	struct pfx *set = calloc(n, sizeof(*set));
	size_t live = 0;
	struct lpm t;
	uint8_t a[16];

	assert_non_null(set);
	lpm_init(&t, bits);
	for (size_t i = 0; i < n; i++) {
		for (unsigned int j = 0; j < bytes; j++)
			set[i].key[j] = (uint8_t)rnd();
		set[i].len = min + (unsigned int)(rnd() % (bits - min + 1));
		mask_to(set[i].key, set[i].len, bytes);
		set[i].live = lpm_insert(&t, set[i].key, set[i].len,
					 (uint32_t)i) == LPM_OK;
		live += set[i].live;
	}
	assert_int_equal(t.count, live);
	assert_true(live > n - n / 100);
	assert_true(t.live <= 2 * live);
	for (size_t i = 0; i < n; i++) {
		unsigned int seen;
		uint32_t v;

		if (!set[i].live)
			continue;
		fill_host(a, &set[i], bytes);
		assert_true(lpm_lookup(&t, a, &v, &seen));
		assert_true(has_prefix(a, &set[v]));
		assert_true(set[v].len >= set[i].len);
		assert_true(seen <= bits + 1);
		if (seen > worst)
			worst = seen;
	}
	printf("# IPv%u: %zu prefixes, %u nodes, %zu bytes (%.1f a prefix), "
	       "worst lookup %u nodes\n", bits == 32 ? 4 : 6, live, t.live,
	       lpm_bytes(&t), (double)lpm_bytes(&t) / (double)live, worst);
	remove_all(&t, set, n);
	free(set);
	return worst;
}

static void test_million6(void **state)
{
	(void)state;
	million(128, MILLION / 1000);
	million(128, MILLION);
}

static void test_million4(void **state)
{
	(void)state;
	million(32, MILLION / 1000);
	million(32, MILLION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_first_byte),
		cmocka_unit_test(test_random4),
		cmocka_unit_test(test_random6),
		cmocka_unit_test(test_million6),
		cmocka_unit_test(test_million4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
