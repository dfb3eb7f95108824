// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "csum.h"

uint32_t csum_partial(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t acc = sum;

	/* Sum 16-bit words as they lie in memory; memcpy keeps it alignment-safe. */
	while (len >= 8) {
		uint32_t a, b;

		memcpy(&a, p, 4);
		memcpy(&b, p + 4, 4);
		acc += (uint64_t)a + b;
		p += 8;
		len -= 8;
	}
	while (len >= 2) {
		uint16_t w;

		memcpy(&w, p, 2);
		acc += w;
		p += 2;
		len -= 2;
	}
	if (len) {
		/* Odd trailing byte: padded with a zero byte (RFC 1071). */
		uint16_t w = 0;

		memcpy(&w, p, 1);
		acc += w;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint32_t csum_pseudo4(const struct in_addr *src, const struct in_addr *dst,
		      uint8_t proto, uint32_t l4len)
{
	uint32_t sum = 0;

	sum = csum_partial(src, 4, sum);
	sum = csum_partial(dst, 4, sum);
	sum += htons(proto);
	sum += htons((uint16_t)l4len);
	return sum;
}

uint32_t csum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
		      uint8_t proto, uint32_t l4len)
{
	uint32_t sum = 0;
	uint32_t len_be = htonl(l4len);
	uint32_t nh_be = htonl(proto);

	sum = csum_partial(src, 16, sum);
	sum = csum_partial(dst, 16, sum);
	sum = csum_partial(&len_be, 4, sum);
	return csum_partial(&nh_be, 4, sum);
}

uint16_t csum_replace(uint16_t check, const void *old, size_t old_len,
		      const void *new, size_t new_len)
{
	return csum_adjust(check, csum_partial(old, old_len, 0),
			   csum_partial(new, new_len, 0));
}

uint16_t csum_ipv4_header(const void *iph, size_t hlen)
{
	const uint8_t *p = iph;
	uint32_t sum;

	/* Bytes 10-11 hold the checksum itself: skip them. */
	if (hlen % 4 == 0) {
		uint16_t ttl_proto;

		memcpy(&ttl_proto, p + 8, 2);
		sum = csum_words(p, 2, ttl_proto);
		/* The usual 20 bytes with a constant count: unrolled. */
		if (hlen == 20)
			return csum_finish(csum_words(p + 12, 2, sum));
		return csum_finish(csum_words(p + 12, (hlen - 12) / 4, sum));
	}
	sum = csum_partial(p, 10, 0);
	sum = csum_partial(p + 12, hlen - 12, sum);
	return csum_finish(sum);
}

int csum_valid(const void *data, size_t len, uint32_t pseudo)
{
	return csum_fold(csum_partial(data, len, pseudo)) == 0xffff;
}
