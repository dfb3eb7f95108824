// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "csum.h"

/* RFC 1071 section 3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
static void test_rfc1071_example(void **state)
{
	const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint16_t folded = ntohs(csum_fold(csum_partial(data, sizeof(data), 0)));

	(void)state;
	assert_int_equal(folded, 0xddf2);
}

static void test_odd_length(void **state)
{
	const uint8_t data[] = { 0x12, 0x34, 0x56 };
	uint16_t folded = ntohs(csum_fold(csum_partial(data, sizeof(data), 0)));

	(void)state;
	/* 0x1234 + 0x5600 */
	assert_int_equal(folded, 0x6834);
}

/* A real IPv4 header (from the conformance set): checksum 0x4e76. */
static void test_ipv4_header(void **state)
{
	const uint8_t h[20] = { 0x45, 0x00, 0x00, 0x20, 0x00, 0x00, 0x40, 0x00,
				0x40, 0x11, 0x4e, 0x76, 0xc6, 0x33, 0x64, 0x02,
				0xc0, 0x00, 0x02, 0x21 };

	(void)state;
	assert_int_equal(ntohs(csum_ipv4_header(h, 20)), 0x4e76);
	assert_true(csum_valid(h, 20, 0));
}

/* Incremental update equals recomputation, and a bad checksum stays bad. */
/*
 * csum_words: the RFC 1071 example, and its fold equal to csum_partial's
 * at every length up to 15 words (an IPv4 header with options), on all
 * ones (the most carries), all zeroes (the one sum that folds to 0) and
 * a pattern, from a running sum of 0 and of 0xffffffff.
 */
static void test_words(void **state)
{
	const uint8_t rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t buf[60];

	(void)state;
	assert_int_equal(ntohs(csum_fold(csum_words(rfc, 2, 0))), 0xddf2);
	for (int fill = 0; fill < 3; fill++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = fill == 0 ? 0xff : fill == 1 ? 0 :
					     (uint8_t)(i * 37 + 11);
		for (size_t n = 0; n <= 15; n++) {
			assert_int_equal(csum_fold(csum_words(buf, n, 0)),
					 csum_fold(csum_partial(buf, 4 * n, 0)));
			assert_int_equal(csum_fold(csum_words(buf, n, ~0u)),
					 csum_fold(csum_partial(buf, 4 * n, ~0u)));
		}
	}
	/* All zeroes fold to 0, all ones to 0xffff (never 0). */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(csum_fold(csum_words(buf, 15, 0)), 0);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(csum_fold(csum_words(buf, 15, 0)), 0xffff);
}

/* A header with options (24 bytes) and the 20-byte one, against a sum by hand. */
static void test_ipv4_header_options(void **state)
{
	uint8_t h[24] = { 0x46, 0x00, 0x00, 0x30, 0x12, 0x34, 0x40, 0x00,
			  0x40, 0x06, 0xaa, 0xbb, 0xc0, 0x00, 0x02, 0x01,
			  0xc6, 0x33, 0x64, 0x02, 0x94, 0x04, 0x00, 0x00 };
	uint32_t sum = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(h); i += 2)
		if (i != 10)
			sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	assert_int_equal(ntohs(csum_ipv4_header(h, 24)), (uint16_t)~sum);
	/* Written back, the header is valid. */
	memcpy(h + 10, &(uint16_t){ csum_ipv4_header(h, 24) }, 2);
	assert_true(csum_valid(h, 24, 0));
}

static void test_incremental(void **state)
{
	uint8_t buf[16];
	uint16_t full, inc, bad;
	const uint8_t old4[4] = { 10, 0, 0, 1 };
	const uint8_t new4[4] = { 192, 0, 2, 33 };

	(void)state;
	for (int i = 0; i < 16; i++)
		buf[i] = (uint8_t)(i * 37 + 5);
	memcpy(buf + 4, old4, 4);
	full = csum_finish(csum_partial(buf, 16, 0));
	memcpy(buf + 4, new4, 4);
	inc = csum_replace(full, old4, 4, new4, 4);
	assert_int_equal(inc, csum_finish(csum_partial(buf, 16, 0)));

	bad = htons((uint16_t)(ntohs(full) ^ 0x0101));
	memcpy(buf + 4, old4, 4);
	inc = csum_replace(bad, old4, 4, new4, 4);
	memcpy(buf + 4, new4, 4);
	/* Still wrong, by the same one's complement distance as before. */
	full = csum_finish(csum_partial(buf, 16, 0));
	assert_int_not_equal(inc, full);
	assert_int_equal(csum_fold((uint16_t)~inc + (uint32_t)full),
			 csum_fold((uint16_t)~bad + (uint32_t)csum_replace(full, new4, 4, old4, 4)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_odd_length),
		cmocka_unit_test(test_ipv4_header),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_ipv4_header_options),
	};

	return cmocka_run_group_tests_name("csum", tests, NULL, NULL);
}
