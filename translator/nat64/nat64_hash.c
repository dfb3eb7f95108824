// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The growing hash table of the NAT64 state.
 */
#include <stdlib.h>
#include <string.h>

#include "nat64_hash.h"

/* --- the table ------------------------------------------------------------ */

#define HTAB_FIRST	64	/* buckets of a new table */
#define HTAB_MOVE	8	/* old buckets moved per insert or removal */

void nat64_htab_init(struct nat64_htab *t)
{
	memset(t, 0, sizeof(*t));
}

void nat64_htab_free(struct nat64_htab *t)
{
	free(t->b);
	free(t->old);
	nat64_htab_init(t);
}

static void push(struct nat64_hnode **b, size_t nb, struct nat64_hnode *n)
{
	struct nat64_hnode **head = &b[n->hash & (nb - 1)];

	n->next = *head;
	*head = n;
}

/* Moves up to HTAB_MOVE old buckets into the current array. */
static void migrate(struct nat64_htab *t)
{
	for (int i = 0; t->old && i < HTAB_MOVE; i++) {
		struct nat64_hnode *n = t->old[t->old_pos], *next;

		for (; n; n = next) {
			next = n->next;
			push(t->b, t->nb, n);
		}
		t->old[t->old_pos] = NULL;
		if (++t->old_pos == t->old_nb) {
			free(t->old);
			t->old = NULL;
			t->old_nb = t->old_pos = 0;
		}
	}
}

/* Starts a doubling unless one is under way; failure is harmless. */
static void grow(struct nat64_htab *t)
{
	struct nat64_hnode **nb;

	if (t->old || t->count <= t->nb)
		return;
	nb = calloc(t->nb * 2, sizeof(*nb));
	if (!nb)
		return;
	t->old = t->b;
	t->old_nb = t->nb;
	t->old_pos = 0;
	t->b = nb;
	t->nb *= 2;
}

int nat64_htab_insert(struct nat64_htab *t, struct nat64_hnode *node,
		      uint32_t hash)
{
	if (!t->b) {
		t->b = calloc(HTAB_FIRST, sizeof(*t->b));
		if (!t->b)
			return -1;
		t->nb = HTAB_FIRST;
	}
	node->hash = hash;
	push(t->b, t->nb, node);
	t->count++;
	migrate(t);
	grow(t);
	return 0;
}

/* Unlinks node from the chain at *head; true if it was there. */
static bool unlink_from(struct nat64_hnode **head, struct nat64_hnode *node)
{
	for (; *head; head = &(*head)->next) {
		if (*head == node) {
			*head = node->next;
			return true;
		}
	}
	return false;
}

void nat64_htab_remove(struct nat64_htab *t, struct nat64_hnode *node)
{
	bool done = false;

	if (t->old) {
		size_t i = node->hash & (t->old_nb - 1);

		if (i >= t->old_pos)
			done = unlink_from(&t->old[i], node);
	}
	if (!done)
		unlink_from(&t->b[node->hash & (t->nb - 1)], node);
	node->next = NULL;
	t->count--;
	migrate(t);
}

static struct nat64_hnode *find_in(struct nat64_hnode *n, uint32_t hash,
				   nat64_hmatch_fn match, const void *key)
{
	for (; n; n = n->next)
		if (n->hash == hash && match(n, key))
			return n;
	return NULL;
}

struct nat64_hnode *nat64_htab_find(const struct nat64_htab *t, uint32_t hash,
				    nat64_hmatch_fn match, const void *key)
{
	struct nat64_hnode *n = NULL;

	if (t->old) {
		size_t i = hash & (t->old_nb - 1);

		if (i >= t->old_pos)
			n = find_in(t->old[i], hash, match, key);
	}
	if (!n && t->b)
		n = find_in(t->b[hash & (t->nb - 1)], hash, match, key);
	return n;
}

static int walk_array(struct nat64_hnode **b, size_t from, size_t nb,
		      int (*fn)(struct nat64_hnode *, void *), void *arg)
{
	for (size_t i = from; i < nb; i++) {
		for (struct nat64_hnode *n = b[i]; n; n = n->next) {
			int ret = fn(n, arg);

			if (ret)
				return ret;
		}
	}
	return 0;
}

int nat64_htab_walk(const struct nat64_htab *t,
		    int (*fn)(struct nat64_hnode *node, void *arg), void *arg)
{
	int ret = 0;

	if (t->old)
		ret = walk_array(t->old, t->old_pos, t->old_nb, fn, arg);
	if (!ret && t->b)
		ret = walk_array(t->b, 0, t->nb, fn, arg);
	return ret;
}
