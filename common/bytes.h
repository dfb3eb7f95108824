/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte access to packet fields: big-endian (network order) reads and
 * writes at any alignment. Packets are read and written by offset with an
 * explicit byte order, so nothing is ever assumed about the alignment of
 * what the kernel or a pcap file hands over. The one copy of these
 * helpers: the core, the NAT64 state, the daemon and the tests use it.
 */
#ifndef COMMON_BYTES_H
#define COMMON_BYTES_H

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/*
 * memcpy and the <endian.h> conversions: one unaligned load or store and
 * a byte swap, where byte-by-byte stores were not always merged.
 */
static inline uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return be16toh(v);
}

static inline uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return be32toh(v);
}

static inline uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return be64toh(v);
}

static inline void wr16(uint8_t *p, uint16_t v)
{
	v = htobe16(v);
	memcpy(p, &v, 2);
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static inline void wr64(uint8_t *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

/* A mask of the n (0..64) most significant bits. */
static inline uint64_t high_bits64(unsigned int n)
{
	return n ? ~(uint64_t)0 << (64u - n) : 0;
}

/*
 * Whether the first len bits of two 32-bit (128-bit) strings in network
 * order are equal, len at most 32 (128). Word-wise, for the address
 * lookups that run per packet.
 */
static inline bool same_prefix32(const uint8_t *a, const uint8_t *b,
				 unsigned int len)
{
	return (((uint64_t)(rd32(a) ^ rd32(b)) << 32) & high_bits64(len)) == 0;
}

static inline bool same_prefix128(const uint8_t *a, const uint8_t *b,
				  unsigned int len)
{
	uint64_t hi = rd64(a) ^ rd64(b);

	if (len <= 64)
		return (hi & high_bits64(len)) == 0;
	return hi == 0 && ((rd64(a + 8) ^ rd64(b + 8)) &
			   high_bits64(len - 64u)) == 0;
}

/*
 * Checksum fields are handled as raw 16-bit values in network order (the
 * one's complement sum is byte-order independent, RFC 1071 2.(B)).
 */
static inline uint16_t rdcsum(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static inline void wrcsum(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

#endif
