/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building blocks of the NAT64 state: a keyed hash and an intrusive,
 * chained hash table that grows with its contents.
 *
 * The hash is common/siphash.h's SipHash-2-4 under a 128-bit
 * key the state's owner provides: table positions and RFC 6056 port
 * choices cannot be predicted (or flooded) without it, and a fixed key
 * makes tests deterministic.
 *
 * The table doubles its bucket array when it holds more entries than
 * buckets, and moves the old buckets over a few at a time on later
 * inserts and removals (incremental rehash), so no single packet pays
 * for moving a million entries. Lookups search both arrays meanwhile.
 */
#ifndef TRANSLATOR_NAT64_HASH_H
#define TRANSLATOR_NAT64_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "siphash.h"

#define NAT64_KEY_LEN	SIPHASH_KEY_LEN

/* Embedded in each entry; one per table the entry is in. */
struct nat64_hnode {
	struct nat64_hnode *next;
	uint32_t hash;
};

/* The entry that embeds node as its member. */
#define NAT64_CONTAINER(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Whether node is the entry that key describes. */
typedef bool (*nat64_hmatch_fn)(const struct nat64_hnode *node,
				const void *key);

struct nat64_htab {
	struct nat64_hnode **b;		/* current buckets (power of two) */
	size_t nb;
	struct nat64_hnode **old;	/* buckets being emptied, or NULL */
	size_t old_nb;
	size_t old_pos;			/* old buckets below this are empty */
	size_t count;
};

void nat64_htab_init(struct nat64_htab *t);
/* Frees the bucket arrays (not the entries). */
void nat64_htab_free(struct nat64_htab *t);

/*
 * Adds node under hash. Returns 0, or -1 when the first bucket array
 * cannot be allocated (a failed growth only leaves the table fuller).
 */
int nat64_htab_insert(struct nat64_htab *t, struct nat64_hnode *node,
		      uint32_t hash);
/* Removes node, which must be in the table. */
void nat64_htab_remove(struct nat64_htab *t, struct nat64_hnode *node);
struct nat64_hnode *nat64_htab_find(const struct nat64_htab *t, uint32_t hash,
				    nat64_hmatch_fn match, const void *key);

/*
 * Calls fn on every node until it returns nonzero (returned). fn must not
 * change the table: collect first, then remove.
 */
int nat64_htab_walk(const struct nat64_htab *t,
		    int (*fn)(struct nat64_hnode *node, void *arg), void *arg);

#endif
