// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SipHash-2-4 as the paper's section 2 describes it: four 64-bit words of
 * state initialised from the key and four constants, two SipRounds per
 * 8-byte little-endian message word (the last one padded and carrying the
 * length modulo 256 in its top byte), then 0xff into v2 and four rounds.
 *
 * The state lives in four locals and a SipRound is a macro, so that the
 * compiler keeps it in registers: NAT64 hashes a key per packet, and a
 * round through memory cost it about three times as much (issue 12,
 * docs/performance.md).
 */
#include <endian.h>
#include <string.h>

#include "siphash.h"

static inline uint64_t sip_rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static inline uint64_t sip_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

#define SIP_ROUND(v0, v1, v2, v3)				\
	do {							\
		v0 += v1;					\
		v1 = sip_rotl(v1, 13) ^ v0;			\
		v0 = sip_rotl(v0, 32);				\
		v2 += v3;					\
		v3 = sip_rotl(v3, 16) ^ v2;			\
		v0 += v3;					\
		v3 = sip_rotl(v3, 21) ^ v0;			\
		v2 += v1;					\
		v1 = sip_rotl(v1, 17) ^ v2;			\
		v2 = sip_rotl(v2, 32);				\
	} while (0)

/* Compression: c = 2 SipRounds per message word. */
#define SIP_COMPRESS(v0, v1, v2, v3, m)				\
	do {							\
		v3 ^= (m);					\
		SIP_ROUND(v0, v1, v2, v3);			\
		SIP_ROUND(v0, v1, v2, v3);			\
		v0 ^= (m);					\
	} while (0)

uint64_t siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *data,
		   size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = sip_le64(key), k1 = sip_le64(key + 8), m;
	uint64_t v0 = k0 ^ 0x736f6d6570736575ull;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ull;
	uint64_t v3 = k1 ^ 0x7465646279746573ull;
	uint8_t tail[8] = { 0 };
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = sip_le64(p + i);
		SIP_COMPRESS(v0, v1, v2, v3, m);
	}
	/* The last word: the remaining bytes, the length in the top byte. */
	if (len > i)	/* data may be NULL when len is 0 */
		memcpy(tail, p + i, len - i);
	tail[7] = (uint8_t)len;
	m = sip_le64(tail);
	SIP_COMPRESS(v0, v1, v2, v3, m);
	/* Finalisation: d = 4 SipRounds. */
	v2 ^= 0xff;
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	SIP_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}
