/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012): a keyed 64-bit hash of a byte string under a 128-bit key. The one
 * copy: the NAT64 state's tables and RFC 6056 port choices, the daemon's
 * route cache and the segment-size table all hash with it, each under its
 * own key, so that bucket positions cannot be predicted (or flooded)
 * without the key, while a fixed key keeps tests deterministic.
 */
#ifndef COMMON_SIPHASH_H
#define COMMON_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_LEN	16

/* The key's bytes are k0 then k1, each little-endian (the paper's 2.1). */
uint64_t siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *data,
		   size_t len);

#endif
