// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The path-compressed binary trie of lpm.h. Keys are bit strings read
 * from the most significant bit of the first byte (network order), so a
 * prefix of an address is a prefix of its key.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "lpm.h"

#define LPM_NONE	0u
/* Slot indexes are uint32_t and 0 is "none"; stay far from wrapping. */
#define LPM_MAX_SLOTS	(1u << 30)

static unsigned int key_bytes(const struct lpm *t)
{
	return t->key_bits / 8u;
}

static uint8_t *key_of(const struct lpm *t, uint32_t n)
{
	return t->keys + (size_t)n * key_bytes(t);
}

static unsigned int bit_at(const uint8_t *k, unsigned int i)
{
	return (k[i >> 3] >> (7u - (i & 7u))) & 1u;
}

/* How many leading bits a and b share, at most max. */
static unsigned int common_bits(const uint8_t *a, const uint8_t *b,
				unsigned int max)
{
	unsigned int i = 0;

	while (i + 8 <= max && a[i >> 3] == b[i >> 3])
		i += 8;
	while (i < max && bit_at(a, i) == bit_at(b, i))
		i++;
	return i;
}

/* Whether addr begins with the len bits of prefix. */
static bool starts_with(const uint8_t *addr, const uint8_t *prefix,
			unsigned int len)
{
	unsigned int whole = len / 8u, rest = len % 8u;
	uint8_t mask = (uint8_t)(0xffu << (8u - rest));

	if (memcmp(addr, prefix, whole))
		return false;
	return !rest || ((addr[whole] ^ prefix[whole]) & mask) == 0;
}

void lpm_init(struct lpm *t, unsigned int key_bits)
{
	memset(t, 0, sizeof(*t));
	t->key_bits = (uint8_t)key_bits;
}

void lpm_free(struct lpm *t)
{
	unsigned int bits = t->key_bits;

	free(t->nodes);
	free(t->keys);
	free(t->start);
	lpm_init(t, bits);
}

/* Room for n more nodes without moving the arrays (pointers stay good). */
static int reserve(struct lpm *t, uint32_t n)
{
	uint32_t cap = t->cap ? t->cap : 16;
	struct lpm_node *nodes;
	uint8_t *keys;

	if (t->used + n < t->cap)
		return 0;
	while (cap <= t->used + n)
		cap *= 2;
	if (cap > LPM_MAX_SLOTS)
		return LPM_NOMEM;
	nodes = realloc(t->nodes, (size_t)cap * sizeof(*nodes));
	if (!nodes)
		return LPM_NOMEM;
	t->nodes = nodes;
	keys = realloc(t->keys, (size_t)cap * key_bytes(t));
	if (!keys)
		return LPM_NOMEM;
	t->keys = keys;
	if (t->used == 0)
		t->used = 1;	/* slot 0 stands for "none" */
	t->cap = cap;
	return 0;
}

/* A node for the first len bits of key (the rest zeroed); reserved. */
static uint32_t node_new(struct lpm *t, const uint8_t *key, unsigned int len)
{
	uint32_t n = t->free_list;
	unsigned int whole = len / 8u, rest = len % 8u;
	uint8_t *k;

	if (n)
		t->free_list = t->nodes[n].child[0];
	else
		n = t->used++;
	memset(&t->nodes[n], 0, sizeof(t->nodes[n]));
	t->nodes[n].len = (uint8_t)len;
	k = key_of(t, n);
	memset(k, 0, key_bytes(t));
	memcpy(k, key, whole);
	if (rest)
		k[whole] = key[whole] & (uint8_t)(0xffu << (8u - rest));
	t->live++;
	return n;
}

static void node_put(struct lpm *t, uint32_t n)
{
	t->nodes[n].has_value = 0;
	t->nodes[n].child[0] = t->free_list;
	t->nodes[n].child[1] = LPM_NONE;
	t->free_list = n;
	t->live--;
}

static void node_set(struct lpm *t, uint32_t n, uint32_t value)
{
	t->nodes[n].value = value;
	t->nodes[n].has_value = 1;
	t->count++;
}

/*
 * Links the new node nn where the walk stopped: at an empty link, above
 * node n (nn's prefix is a prefix of n's), or beside n under a new
 * branching node at the first bit where they differ.
 */
static void link_new(struct lpm *t, uint32_t *link, uint32_t nn,
		     const uint8_t *key, unsigned int len, unsigned int common)
{
	uint32_t n = *link, mid;

	if (n == LPM_NONE) {
		*link = nn;
	} else if (common == len) {
		t->nodes[nn].child[bit_at(key_of(t, n), len)] = n;
		*link = nn;
	} else {
		mid = node_new(t, key, common);
		t->nodes[mid].child[bit_at(key, common)] = nn;
		t->nodes[mid].child[bit_at(key_of(t, n), common)] = n;
		*link = mid;
	}
}

/* The first bytes the prefix key/len holds addresses of: [*lo, *hi]. */
static void first_bytes(const uint8_t *key, unsigned int len,
			unsigned int *lo, unsigned int *hi)
{
	unsigned int span = len >= 8 ? 1u : 1u << (8u - len);

	*lo = len ? key[0] & ~(span - 1u) & 0xffu : 0;
	*hi = *lo + span - 1u;
}

/*
 * The start of byte o: the nodes shorter than 8 bits only look at bits
 * of o, so their matches are taken here; the first node of 8 bits or
 * more that o agrees with is where lookups go on.
 */
static void start_fill(struct lpm *t, unsigned int o)
{
	struct lpm_start *s = &t->start[o];
	uint8_t b = (uint8_t)o;
	uint32_t n = t->root;

	memset(s, 0, sizeof(*s));
	while (n != LPM_NONE) {
		const struct lpm_node *node = &t->nodes[n];
		unsigned int len = node->len < 8 ? node->len : 8;

		if (!starts_with(&b, key_of(t, n), len))
			return;
		if (node->len >= 8) {
			s->node = n;
			return;
		}
		if (node->has_value) {
			s->value = node->value;
			s->found = true;
		}
		n = node->child[bit_at(&b, node->len)];
	}
}

/*
 * After key/len came or went: only the bytes it spans can start
 * differently (a branch node above other prefixes has no value, and
 * a node freed is always inside the span). At most 256 short walks, at
 * configuration time only.
 */
static void start_refresh(struct lpm *t, const uint8_t *key, unsigned int len)
{
	unsigned int lo, hi;

	first_bytes(key, len, &lo, &hi);
	for (unsigned int o = lo; o <= hi; o++)
		start_fill(t, o);
}

int lpm_insert(struct lpm *t, const void *keyp, unsigned int len,
	       uint32_t value)
{
	const uint8_t *key = keyp;
	unsigned int common = 0;
	uint32_t *link, n, nn;

	if (len > t->key_bits || reserve(t, 2))
		return LPM_NOMEM;
	if (!t->start) {
		t->start = calloc(256, sizeof(*t->start));
		if (!t->start)
			return LPM_NOMEM;
	}
	link = &t->root;
	while ((n = *link) != LPM_NONE) {
		unsigned int nlen = t->nodes[n].len;

		common = common_bits(key_of(t, n), key,
				     nlen < len ? nlen : len);
		if (common < nlen)
			break;
		if (nlen == len) {
			if (t->nodes[n].has_value)
				return LPM_EXISTS;
			node_set(t, n, value);
			start_refresh(t, key, len);
			return LPM_OK;
		}
		link = &t->nodes[n].child[bit_at(key, nlen)];
	}
	nn = node_new(t, key, len);
	node_set(t, nn, value);
	link_new(t, link, nn, key, len, common);
	start_refresh(t, key, len);
	return LPM_OK;
}

/* The only child of a node that has at most one. */
static uint32_t only_child(const struct lpm_node *node)
{
	return node->child[0] ? node->child[0] : node->child[1];
}

int lpm_remove(struct lpm *t, const void *keyp, unsigned int len)
{
	const uint8_t *key = keyp;
	uint32_t *link = &t->root, *plink = NULL;
	uint32_t n, parent = LPM_NONE;
	struct lpm_node *node;

	while ((n = *link) != LPM_NONE) {
		node = &t->nodes[n];
		if (node->len > len || !starts_with(key, key_of(t, n), node->len))
			return -1;
		if (node->len == len)
			break;
		plink = link;
		parent = n;
		link = &node->child[bit_at(key, node->len)];
	}
	if (n == LPM_NONE || !t->nodes[n].has_value)
		return -1;
	node = &t->nodes[n];
	node->has_value = 0;
	t->count--;
	if (node->child[0] && node->child[1]) {
		/* still branches: stays, without a value */
		start_refresh(t, key, len);
		return 0;
	}
	*link = only_child(node);
	node_put(t, n);
	/* A valueless parent left with one child is no longer needed. */
	if (parent != LPM_NONE && !t->nodes[parent].has_value &&
	    !(t->nodes[parent].child[0] && t->nodes[parent].child[1])) {
		*plink = only_child(&t->nodes[parent]);
		node_put(t, parent);
	}
	start_refresh(t, key, len);
	return 0;
}

bool lpm_get(const struct lpm *t, const void *keyp, unsigned int len,
	     uint32_t *value)
{
	const uint8_t *key = keyp;
	uint32_t n = t->root;

	while (n != LPM_NONE) {
		const struct lpm_node *node = &t->nodes[n];

		if (node->len > len || !starts_with(key, key_of(t, n), node->len))
			return false;
		if (node->len == len) {
			if (node->has_value)
				*value = node->value;
			return node->has_value;
		}
		n = node->child[bit_at(key, node->len)];
	}
	return false;
}

/*
 * Lookups run per packet: the address is read once into two 64-bit
 * words, most significant first (an IPv4 address fills the top half of
 * hi), and compared with each node's key a word at a time.
 */
struct lpm_words {
	uint64_t hi, lo;
};

static inline struct lpm_words words_of(unsigned int bits, const uint8_t *a)
{
	struct lpm_words w = { 0, 0 };

	if (bits == 32) {
		w.hi = (uint64_t)rd32(a) << 32;
	} else {
		w.hi = rd64(a);
		w.lo = rd64(a + 8);
	}
	return w;
}

/* Whether the first len bits of a and b are equal. */
static inline bool words_agree(struct lpm_words a, struct lpm_words b,
			       unsigned int len)
{
	uint64_t hi = a.hi ^ b.hi;

	if (len <= 64)
		return (hi & high_bits64(len)) == 0;
	return hi == 0 && ((a.lo ^ b.lo) & high_bits64(len - 64u)) == 0;
}

/* Bit i (0: the most significant) of a. */
static inline unsigned int words_bit(struct lpm_words a, unsigned int i)
{
	return (unsigned int)((i < 64 ? a.hi << i : a.lo << (i - 64u)) >> 63);
}

/* The walk, inlined once per key width so that bits is a constant. */
static inline bool lookup_walk(const struct lpm *t, unsigned int bits,
			       const struct lpm_start *s, const uint8_t *addr,
			       uint32_t *value, unsigned int *visited)
{
	struct lpm_words a = words_of(bits, addr);
	uint32_t n = s->node;
	unsigned int seen = 0;
	bool found = s->found;

	if (found)
		*value = s->value;
	while (n != LPM_NONE) {
		const struct lpm_node *node = &t->nodes[n];

		seen++;
		if (!words_agree(a, words_of(bits, t->keys + (size_t)n * (bits / 8u)),
				 node->len))
			break;
		if (node->has_value) {
			*value = node->value;
			found = true;
		}
		if (node->len >= bits)
			break;
		n = node->child[words_bit(a, node->len)];
	}
	if (visited)
		*visited = seen;
	return found;
}

bool lpm_walk(const struct lpm *t, const struct lpm_start *s,
	      const void *addr, uint32_t *value, unsigned int *visited)
{
	if (t->key_bits == 32)
		return lookup_walk(t, 32, s, addr, value, visited);
	return lookup_walk(t, 128, s, addr, value, visited);
}

bool lpm_overlap(const struct lpm *t, const void *keyp, unsigned int len,
		 uint32_t *value)
{
	const uint8_t *key = keyp;
	uint32_t n = t->root;
	bool found = false;

	/* Down to len: the prefixes that hold key/len, longest kept. */
	while (n != LPM_NONE && t->nodes[n].len <= len) {
		const struct lpm_node *node = &t->nodes[n];

		if (!starts_with(key, key_of(t, n), node->len))
			return found;
		if (node->has_value) {
			*value = node->value;
			found = true;
		}
		if (node->len == len)
			break;	/* exact; without a value, its subtree is inside */
		n = node->child[bit_at(key, node->len)];
	}
	if (found || n == LPM_NONE ||
	    !starts_with(key_of(t, n), key, len))
		return found;
	/* A subtree inside key/len: its leaves all have values. */
	while (!t->nodes[n].has_value)
		n = t->nodes[n].child[0] ? t->nodes[n].child[0]
					 : t->nodes[n].child[1];
	*value = t->nodes[n].value;
	return true;
}

void lpm_shift(struct lpm *t, uint32_t from, int32_t delta)
{
	for (uint32_t n = 1; n < t->used; n++) {
		struct lpm_node *node = &t->nodes[n];

		if (node->has_value && node->value >= from)
			node->value = (uint32_t)((int64_t)node->value + delta);
	}
	/* The starts keep copies of the values of short prefixes. */
	for (unsigned int o = 0; t->start && o < 256; o++) {
		struct lpm_start *s = &t->start[o];

		if (s->found && s->value >= from)
			s->value = (uint32_t)((int64_t)s->value + delta);
	}
}

size_t lpm_bytes(const struct lpm *t)
{
	return (size_t)t->cap * (sizeof(struct lpm_node) + key_bytes(t)) +
	       (t->start ? 256 * sizeof(*t->start) : 0);
}
