/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Longest-prefix match over IPv4 or IPv6 prefixes (the EAMT's two sides,
 * the pool6 denylist): a path-compressed binary trie. Every node holds a
 * whole prefix and branches on the bit that follows it; a node without a
 * value always has two children, so n prefixes take at most 2n - 1 nodes.
 *
 * Prefix lengths strictly grow along any path, so a lookup visits at most
 * key_bits + 1 nodes however many prefixes there are, and insert and
 * remove cost the same walk: O(key_bits), never O(n).
 *
 * Nodes live in one array and link by index (0 is "none"), keys in a
 * parallel array of key_bits / 8 bytes: 16 + 4 bytes a node for IPv4,
 * 16 + 16 for IPv6. Values are the caller's uint32_t (an index into the
 * list it keeps). Not thread-safe; lookups never allocate.
 */
#ifndef COMMON_LPM_H
#define COMMON_LPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

struct lpm_node {
	uint32_t child[2];	/* by the bit after the prefix; 0: none */
	uint32_t value;		/* when has_value */
	uint8_t len;		/* prefix length, 0..key_bits */
	uint8_t has_value;
};

struct lpm {
	struct lpm_node *nodes;	/* [0] unused */
	uint8_t *keys;		/* key_bytes each, host bits zero */
	uint32_t cap;		/* slots in both arrays */
	uint32_t used;		/* slots handed out so far (the high water) */
	uint32_t free_list;	/* freed slots, linked through child[0] */
	uint32_t root;
	uint32_t count;		/* prefixes stored */
	uint32_t live;		/* nodes in the trie */
	uint8_t key_bits;	/* 32 or 128 */
	/*
	 * By an address's first byte, where its walk starts (NULL while
	 * nothing was ever inserted): the nodes above, whose prefixes are
	 * shorter than 8 bits, are the same for every address with that
	 * byte and are walked in advance. Most lookups end here (no node
	 * for that byte) or start one or two levels down.
	 */
	struct lpm_start *start;
};

/* Where the walk of an address with a given first byte starts. */
struct lpm_start {
	uint32_t node;		/* first node of 8 bits or more; 0: none */
	uint32_t value;		/* when found: the best match above it */
	bool found;
};

enum {
	LPM_OK = 0,
	LPM_EXISTS = 1,		/* insert: that exact prefix has a value */
	LPM_NOMEM = -1,
};

/* An empty trie of 32- or 128-bit keys; allocates nothing. */
void lpm_init(struct lpm *t, unsigned int key_bits);

/* Frees everything; t is an empty trie of the same width again. */
void lpm_free(struct lpm *t);

/*
 * Adds prefix key/len (key in network order; bits past len are ignored)
 * with value. LPM_EXISTS leaves the trie as it was.
 */
int lpm_insert(struct lpm *t, const void *key, unsigned int len,
	       uint32_t value);

/* Takes the exact prefix key/len out; -1 when it is not there. */
int lpm_remove(struct lpm *t, const void *key, unsigned int len);

/* The value of exactly key/len. */
bool lpm_get(const struct lpm *t, const void *key, unsigned int len,
	     uint32_t *value);

/* lpm_lookup's walk from s->node, which addr's first byte gave. */
bool lpm_walk(const struct lpm *t, const struct lpm_start *s,
	      const void *addr, uint32_t *value, unsigned int *visited);

/*
 * lpm_lookup for an address already read into words, most significant
 * bit first: an IPv4 address in host order (a 32-bit trie), an IPv6 one
 * as its two 64-bit halves (a 128-bit trie). Inline, walk included: the
 * fast path (translator/core/xlat_fast.c) reads each address once and
 * looks it up in a few instructions. The walk is lpm_walk's (lpm.c).
 */
static inline bool lpm_walk_w(const struct lpm *t, unsigned int bits,
			      const struct lpm_start *s, uint64_t hi,
			      uint64_t lo, uint32_t *value)
{
	uint32_t n = s->node, v = s->value;
	bool found = s->found;

	while (n) {
		const struct lpm_node *node = &t->nodes[n];
		const uint8_t *k = t->keys + (size_t)n * (bits / 8u);
		unsigned int len = node->len;
		uint64_t x = hi ^ (bits == 32 ? (uint64_t)rd32(k) << 32 : rd64(k));

		/* len >= 8 from the start on: the shifts stay below 64. */
		if (len <= 64) {
			if (x >> (64u - len))
				break;
		} else if (x || (lo ^ rd64(k + 8)) >> (128u - len)) {
			break;
		}
		if (node->has_value) {
			v = node->value;
			found = true;
		}
		if (len >= bits)
			break;
		n = node->child[(len < 64 ? hi << len : lo << (len - 64u)) >> 63];
	}
	if (found)
		*value = v;
	return found;
}

/* lpm_lookup of the IPv4 address a (host order) in a 32-bit trie. */
static inline bool lpm_lookup4(const struct lpm *t, uint32_t a,
			       uint32_t *value)
{
	const struct lpm_start *s;

	if (!t->start)
		return false;
	s = &t->start[a >> 24];
	if (s->node)
		return lpm_walk_w(t, 32, s, (uint64_t)a << 32, 0, value);
	if (s->found)
		*value = s->value;
	return s->found;
}

/* lpm_lookup of the IPv6 address hi:lo (host order) in a 128-bit trie. */
static inline bool lpm_lookup6(const struct lpm *t, uint64_t hi, uint64_t lo,
			       uint32_t *value)
{
	const struct lpm_start *s;

	if (!t->start)
		return false;
	s = &t->start[hi >> 56];
	if (s->node)
		return lpm_walk_w(t, 128, s, hi, lo, value);
	if (s->found)
		*value = s->value;
	return s->found;
}

/*
 * The value of the longest prefix that holds addr (key_bits / 8 bytes).
 * visited (may be NULL) receives the number of nodes the walk looked at
 * (0 when the first byte answered). Inline: most lookups end there.
 */
static inline bool lpm_lookup(const struct lpm *t, const void *addr,
			      uint32_t *value, unsigned int *visited)
{
	const struct lpm_start *s;

	if (!t->start) {
		if (visited)
			*visited = 0;
		return false;
	}
	s = &t->start[*(const uint8_t *)addr];
	if (s->node)
		return lpm_walk(t, s, addr, value, visited);
	if (visited)
		*visited = 0;
	if (s->found)
		*value = s->value;
	return s->found;
}

/*
 * Some prefix that overlaps key/len: the longest one holding it, else one
 * inside it. For error messages ("overlaps the entry ...").
 */
bool lpm_overlap(const struct lpm *t, const void *key, unsigned int len,
		 uint32_t *value);

/*
 * Adds delta to every value >= from: the caller's list lost or gained an
 * element at index from. O(nodes), a plain pass over the array.
 */
void lpm_shift(struct lpm *t, uint32_t from, int32_t delta);

/* Bytes the trie holds (both arrays, at their allocated size). */
size_t lpm_bytes(const struct lpm *t);

#endif
