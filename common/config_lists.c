// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The EAMT (RFC 7757) and the pool6 denylist: each a list in file order,
 * which `transctl config`, `eamt show` and the rules read, and a
 * longest-prefix-match trie (lpm.h) per address family whose values are
 * indexes into the list, which the translation reads. The parser and the
 * run-time changes both come here, so list and tries never disagree.
 *
 * Lists grow by doubling; their capacity is not stored but implied by the
 * count (the next power of two, at least 4), so struct config keeps the
 * plain pointer and count that its readers expect.
 */
#include <stdlib.h>
#include <string.h>

#include "config_table.h"

#define LIST_MIN_CAP	4u

/* Room for element count + 1 (see the header comment). */
static int list_grow(void **arr, size_t count, size_t size)
{
	size_t cap = count < LIST_MIN_CAP ? LIST_MIN_CAP : 2 * count;
	void *p;

	if (count && (count < LIST_MIN_CAP || (count & (count - 1))))
		return 0;
	p = realloc(*arr, cap * size);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

/* Opens a hole at index at of a list of count elements (room made). */
static void list_open(void *arr, size_t count, size_t size, size_t at)
{
	char *a = arr;

	memmove(a + (at + 1) * size, a + at * size, (count - at) * size);
}

/* Closes index i of a list of count elements. */
static void list_close(void *arr, size_t count, size_t size, size_t i)
{
	char *a = arr;

	memmove(a + i * size, a + (i + 1) * size, (count - i - 1) * size);
}

/*
 * The tries' values follow the list: entries from index from on moved by
 * delta. Appending and removing the last entry move nothing.
 */
static void index_shift(struct lpm *a, struct lpm *b, size_t count,
			size_t from, int32_t delta)
{
	if (from >= count)
		return;
	lpm_shift(a, (uint32_t)from, delta);
	if (b)
		lpm_shift(b, (uint32_t)from, delta);
}

/* The list index the trie holds for exactly key/len. */
static bool index_get(const struct lpm *t, const void *key, unsigned int len,
		      size_t *i)
{
	uint32_t v;

	if (!lpm_get(t, key, len, &v))
		return false;
	*i = v;
	return true;
}

bool config_eamt_find6(const struct config *cfg, const struct prefix6 *p,
		       size_t *i)
{
	return index_get(&cfg->eamt6_lpm, &p->addr, p->len, i);
}

bool config_eamt_find4(const struct config *cfg, const struct prefix4 *p,
		       size_t *i)
{
	return index_get(&cfg->eamt4_lpm, &p->addr, p->len, i);
}

bool config_eamt_overlap(const struct config *cfg, const struct prefix6 *p6,
			 const struct prefix4 *p4, size_t *i)
{
	uint32_t v;
	bool found = p6 ? lpm_overlap(&cfg->eamt6_lpm, &p6->addr, p6->len, &v)
			: lpm_overlap(&cfg->eamt4_lpm, &p4->addr, p4->len, &v);

	if (found)
		*i = v;
	return found;
}

/*
 * RFC 7757 section 3.2 copies the IPv4 suffix into the IPv6 one, so it
 * must fit; a shorter one is allowed (RFC 7757 section 3.2, as Jool
 * does). One prefix can belong to one entry only: otherwise the same
 * address would have two answers.
 */
static int eamt_check(const struct config *cfg, const struct eamt_entry *e,
		      char *err, size_t errlen)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];
	char o6[PREFIX6_STRLEN], o4[PREFIX4_STRLEN];
	const struct eamt_entry *o;
	size_t i;

	if (cfg->mode == CONFIG_MODE_NAT64)
		return config_fail(err, errlen, "%s", CONFIG_EAMT_NOT_NAT64);
	prefix6_str(&e->p6, b6);
	prefix4_str(&e->p4, b4);
	if (32 - e->p4.len > 128 - e->p6.len)
		return config_fail(err, errlen,
				   "%s %s: the IPv4 prefix leaves %d host bits, the IPv6 prefix only %d; the IPv4 suffix must fit in the IPv6 one (RFC 7757 section 3.2)",
				   b6, b4, 32 - e->p4.len, 128 - e->p6.len);
	if (config_eamt_find6(cfg, &e->p6, &i) ||
	    config_eamt_find4(cfg, &e->p4, &i)) {
		o = &cfg->eamt[i];
		return config_fail(err, errlen,
				   "%s %s: the entry %s %s already has %s",
				   b6, b4, prefix6_str(&o->p6, o6),
				   prefix4_str(&o->p4, o4),
				   e->p6.len == o->p6.len &&
				   prefix6_contains(&o->p6, &e->p6.addr) ? b6 : b4);
	}
	return 0;
}

int config_eamt_insert(struct config *cfg, size_t at,
		       const struct eamt_entry *e, char *err, size_t errlen)
{
	size_t n = cfg->eamt_count, size = sizeof(*cfg->eamt);

	if (eamt_check(cfg, e, err, errlen))
		return -1;
	if (at > n || list_grow((void **)&cfg->eamt, n, size))
		return config_fail(err, errlen, "out of memory");
	list_open(cfg->eamt, n, size, at);
	index_shift(&cfg->eamt6_lpm, &cfg->eamt4_lpm, n, at, 1);
	cfg->eamt[at] = *e;
	cfg->eamt_count++;
	if (lpm_insert(&cfg->eamt6_lpm, &e->p6.addr, e->p6.len,
		       (uint32_t)at) != LPM_OK)
		goto undo;
	if (lpm_insert(&cfg->eamt4_lpm, &e->p4.addr, e->p4.len,
		       (uint32_t)at) != LPM_OK) {
		lpm_remove(&cfg->eamt6_lpm, &e->p6.addr, e->p6.len);
		goto undo;
	}
	return 0;
undo:
	list_close(cfg->eamt, cfg->eamt_count--, size, at);
	index_shift(&cfg->eamt6_lpm, &cfg->eamt4_lpm, n + 1, at + 1, -1);
	return config_fail(err, errlen, "out of memory");
}

void config_eamt_remove(struct config *cfg, size_t i)
{
	const struct eamt_entry *e = &cfg->eamt[i];

	lpm_remove(&cfg->eamt6_lpm, &e->p6.addr, e->p6.len);
	lpm_remove(&cfg->eamt4_lpm, &e->p4.addr, e->p4.len);
	list_close(cfg->eamt, cfg->eamt_count--, sizeof(*cfg->eamt), i);
	index_shift(&cfg->eamt6_lpm, &cfg->eamt4_lpm, cfg->eamt_count + 1,
		    i + 1, -1);
}

bool config_deny_find(const struct config *cfg, const struct prefix4 *p,
		      size_t *i)
{
	return index_get(&cfg->deny4_lpm, &p->addr, p->len, i);
}

int config_deny_insert(struct config *cfg, size_t at, const struct prefix4 *p,
		       char *err, size_t errlen)
{
	size_t n = cfg->denylist4_count, size = sizeof(*cfg->denylist4), i;
	char b4[PREFIX4_STRLEN];

	if (config_deny_find(cfg, p, &i))
		return config_fail(err, errlen, "%s is already listed",
				   prefix4_str(p, b4));
	if (at > n || list_grow((void **)&cfg->denylist4, n, size))
		return config_fail(err, errlen, "out of memory");
	list_open(cfg->denylist4, n, size, at);
	index_shift(&cfg->deny4_lpm, NULL, n, at, 1);
	cfg->denylist4[at] = *p;
	cfg->denylist4_count++;
	if (lpm_insert(&cfg->deny4_lpm, &p->addr, p->len, (uint32_t)at) ==
	    LPM_OK)
		return 0;
	list_close(cfg->denylist4, cfg->denylist4_count--, size, at);
	index_shift(&cfg->deny4_lpm, NULL, n + 1, at + 1, -1);
	return config_fail(err, errlen, "out of memory");
}

void config_deny_remove(struct config *cfg, size_t i)
{
	const struct prefix4 *p = &cfg->denylist4[i];

	lpm_remove(&cfg->deny4_lpm, &p->addr, p->len);
	list_close(cfg->denylist4, cfg->denylist4_count--,
		   sizeof(*cfg->denylist4), i);
	index_shift(&cfg->deny4_lpm, NULL, cfg->denylist4_count + 1, i + 1, -1);
}
