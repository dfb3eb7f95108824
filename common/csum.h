/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * Sums are kept unfolded in 32 bits while they are being built and folded
 * to 16 bits at the end. Values are in network byte order throughout: the
 * one's complement sum is byte-order independent, so data can be summed as
 * it lies in the packet.
 */
#ifndef COMMON_CSUM_H
#define COMMON_CSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

/* Adds len bytes at data to the running sum. */
uint32_t csum_partial(const void *data, size_t len, uint32_t sum);

/*
 * The same for words 32-bit words (4 * words bytes, any alignment),
 * inline: the per-packet sums have fixed sizes (an IPv4 header, the
 * addresses of a pseudo-header), and the compiler unrolls them. The
 * running sum it returns may differ from csum_partial's, never its fold.
 */
static inline uint32_t csum_words(const void *data, size_t words,
				  uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t acc = sum;

	for (size_t i = 0; i < words; i++) {
		uint32_t w;

		memcpy(&w, p + 4 * i, 4);
		acc += w;
	}
	/* Twice is enough: the first leaves at most 2^33 - 2. */
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

/* Folds a 32-bit running sum to 16 bits (not complemented). */
static inline uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Final checksum value to store in a header: ~fold(sum). */
static inline uint16_t csum_finish(uint32_t sum)
{
	return (uint16_t)~csum_fold(sum);
}

/* Pseudo-header sums (RFC 768/793 for IPv4, RFC 8200 section 8.1 for IPv6). */
uint32_t csum_pseudo4(const struct in_addr *src, const struct in_addr *dst,
		      uint8_t proto, uint32_t l4len);
uint32_t csum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
		      uint8_t proto, uint32_t l4len);

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), where the old data (m) of
 * old_len bytes is replaced by new data (m') of new_len bytes. Both lengths
 * must be even. Returns the new checksum field value (network order).
 * A checksum that was wrong before stays wrong by the same amount.
 */
uint16_t csum_replace(uint16_t check, const void *old, size_t old_len,
		      const void *new, size_t new_len);

/* Same, with the removed and added parts given as unfolded sums. */
static inline uint16_t csum_adjust(uint16_t check, uint32_t old_sum,
				   uint32_t new_sum)
{
	uint32_t sum = (uint16_t)~check;

	sum += (uint16_t)~csum_fold(old_sum);
	sum += csum_fold(new_sum);
	return (uint16_t)~csum_fold(sum);
}

/* IPv4 header checksum over hlen bytes; the field itself is taken as 0. */
uint16_t csum_ipv4_header(const void *iph, size_t hlen);

/* True when the data (checksum field included) sums to 0xffff. */
int csum_valid(const void *data, size_t len, uint32_t pseudo);

#endif
