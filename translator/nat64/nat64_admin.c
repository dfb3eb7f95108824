// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NAT64 state's life: creation, freeing, and the configuration
 * (pool4 and the static bindings follow it after each load:
 * nat64_state_sync); walks over the tables and counts, for listings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "nat64_det.h"
#include "nat64_state.h"

static bool static_in_cfg(const struct config *cfg, const struct nat64_bib *b)
{
	for (size_t i = 0; i < cfg->nat64.bib_count; i++) {
		const struct bib_static_entry *e = &cfg->nat64.bib[i];

		if (e->l4 == b->l4 && e->port4 == b->port4 &&
		    e->port6 == b->port6 &&
		    e->addr4.s_addr == b->addr4.s_addr &&
		    !memcmp(&e->addr6, &b->addr6, sizeof(e->addr6)))
			return true;
	}
	return false;
}

/* What a new configuration takes away: see nat64_state_sync. */
static bool outdated(const struct nat64_state *st, const struct nat64_bib *b,
		     const void *arg)
{
	const struct config *cfg = arg;

	if (b->is_static)
		return !static_in_cfg(cfg, b);
	return !nat64_pool4_contains(&st->pool4, b->l4, &b->addr4, b->port4) ||
	       nat64_det_misplaced(st, b);
}

/* A static entry of cfg: takes over the bindings that stand in its way. */
static int static_add(struct nat64_op *op, const struct bib_static_entry *e)
{
	struct nat64_state *st = op->st;
	struct nat64_bib *b6 = nat64_bib_find6(st, e->l4, &e->addr6, e->port6);
	struct nat64_bib *b4 = nat64_bib_find4(st, e->l4, &e->addr4, e->port4);

	if (b6 && b6 == b4) {
		b6->is_static = true;	/* already bound this way */
		return 0;
	}
	if (b6)
		nat64_bib_remove(op, b6);
	if (b4)
		nat64_bib_remove(op, b4);
	return nat64_bib_add(op, e->l4, &e->addr6, e->port6, &e->addr4,
			     e->port4, true) ? 0 : -1;
}

static int cmp4(const void *a, const void *b)
{
	uint32_t x = ntohl(((const struct in_addr *)a)->s_addr);
	uint32_t y = ntohl(((const struct in_addr *)b)->s_addr);

	return x < y ? -1 : x > y;
}

/* The static bindings' IPv4 addresses, sorted, once each (bsearch). */
static int static_addrs(struct nat64_state *st, const struct config *cfg)
{
	const struct config_nat64 *n = &cfg->nat64;
	struct in_addr *v = NULL;
	size_t k = 0;

	if (n->bib_count) {
		v = malloc(n->bib_count * sizeof(*v));
		if (!v)
			return -1;
		for (size_t i = 0; i < n->bib_count; i++)
			v[i] = n->bib[i].addr4;
		qsort(v, n->bib_count, sizeof(*v), cmp4);
		for (size_t i = 0; i < n->bib_count; i++)
			if (!k || v[k - 1].s_addr != v[i].s_addr)
				v[k++] = v[i];
	}
	free(st->static4);
	st->static4 = v;
	st->nstatic4 = k;
	return 0;
}

bool nat64_is_own4(const struct nat64_state *st, const struct in_addr *a)
{
	const struct nat64_pool4 *p = &st->pool4;

	for (size_t i = 0; i < p->n; i++)
		if (prefix4_contains(&p->e[i].prefix, a))
			return true;
	/* Static bindings may use addresses outside pool4. */
	return st->nstatic4 &&
	       bsearch(a, st->static4, st->nstatic4, sizeof(*a), cmp4);
}

static int state_sync(struct nat64_state *st, const struct config *cfg,
		      struct xlat_stats *stats)
{
	struct nat64_op op;

	nat64_op_init(&op, st, cfg, stats, st->now_ms);
	st->why = "config";
	if (nat64_pool4_set(st, cfg) || nat64_det_set(st, cfg) ||
	    static_addrs(st, cfg) ||
	    nat64_host_regroup(st, (uint8_t)cfg->nat64.host_prefix_len))
		return -1;
	if (nat64_bib_remove_if(&op, outdated, cfg))
		return -1;
	for (size_t i = 0; i < cfg->nat64.bib_count; i++)
		if (static_add(&op, &cfg->nat64.bib[i]))
			return -1;
	return 0;
}

/*
 * Under the lock as a whole: a packet thread sees the old pool4 and
 * static bindings or the new ones, never a pool4 without its port maps.
 */
int nat64_state_sync(struct nat64_state *st, const struct config *cfg,
		     struct xlat_stats *stats, char *err, size_t errlen)
{
	int ret;

	nat64_lock(st);
	ret = state_sync(st, cfg, stats);
	st->why = NULL;
	nat64_unlock(st);
	if (ret)
		snprintf(err, errlen, "NAT64 state: out of memory");
	return ret;
}

/* --- life cycle ------------------------------------------------------------------ */

/*
 * An adaptive mutex (glibc): a thread that finds it taken spins a while
 * before sleeping in the kernel. The sections it guards last about a
 * hundred nanoseconds, far less than a futex sleep and wake-up, which is
 * what a plain mutex pays on every contended acquisition
 * (test/perf/bench_nat64_mt.c measures both).
 */
static int nat64_lock_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;
	int ret;

	if (pthread_mutexattr_init(&a))
		return -1;
	ret = pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ADAPTIVE_NP) ||
	      pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return ret ? -1 : 0;
}

struct nat64_state *nat64_state_new(const uint8_t key[NAT64_KEY_LEN])
{
	struct nat64_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	if (nat64_lock_init(&st->lock)) {
		free(st);
		return NULL;
	}
	memcpy(st->key, key, NAT64_KEY_LEN);
	nat64_htab_init(&st->bib6);
	nat64_htab_init(&st->bib4);
	nat64_htab_init(&st->sess6);
	nat64_htab_init(&st->sess4);
	nat64_htab_init(&st->hosts);
	nat64_htab_init(&st->prefixes);
	nat64_htab_init(&st->pool4.maps);
	nat64_htab_init(&st->owners);
	st->prefix_len = NAT64_HOST_PREFIX_DEFAULT;
	return st;
}

/* Collects the bindings fn selects, to change the table afterwards. */
struct bib_pick {
	bool (*want)(const struct nat64_state *st, const struct nat64_bib *b,
		     const void *arg);
	const struct nat64_state *st;
	const void *arg;
	struct nat64_bib **v;
	size_t n, cap;
	bool oom;
};

static int pick_one(struct nat64_hnode *n, void *arg)
{
	struct bib_pick *p = arg;
	struct nat64_bib *b = (struct nat64_bib *)(void *)((char *)n - offsetof(struct nat64_bib, h4));

	if (p->want && !p->want(p->st, b, p->arg))
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct nat64_bib **v = realloc(p->v, cap * sizeof(*v));

		if (!v) {
			p->oom = true;
			return 1;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = b;
	return 0;
}

/* Removes the bindings want selects (all when want is NULL); -1 on OOM. */
int nat64_bib_remove_if(struct nat64_op *op,
			bool (*want)(const struct nat64_state *,
				     const struct nat64_bib *, const void *),
			const void *arg)
{
	struct bib_pick p = { want, op->st, arg, NULL, 0, 0, false };

	nat64_htab_walk(&op->st->bib4, pick_one, &p);
	for (size_t i = 0; i < p.n; i++)
		nat64_bib_remove(op, p.v[i]);
	free(p.v);
	return p.oom ? -1 : 0;
}

void nat64_state_free(struct nat64_state *st)
{
	struct config cfg;
	struct nat64_op op;

	if (!st)
		return;
	config_init(&cfg);
	nat64_op_init(&op, st, &cfg, NULL, st->now_ms);
	/* Waiting sessions have no binding: they go first. */
	while (st->thead[NAT64_T_TCP_SYN])
		nat64_sess_remove(&op, st->thead[NAT64_T_TCP_SYN]);
	/* Out of memory here would leak, never crash: retry until empty. */
	while (st->bib4.count && nat64_bib_remove_if(&op, NULL, NULL) == 0 &&
	       st->bib4.count)
		;
	nat64_htab_free(&st->bib6);
	nat64_htab_free(&st->bib4);
	nat64_htab_free(&st->sess6);
	nat64_htab_free(&st->sess4);
	nat64_htab_free(&st->hosts);
	nat64_htab_free(&st->prefixes);
	nat64_block_free_all(st);
	nat64_pool4_free(&st->pool4);
	nat64_det_free(st);
	free(st->static4);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

/*
 * The readers below take a const state, as they change nothing the
 * caller can see; its mutex is the one part that must still move.
 */
static struct nat64_state *lockable(const struct nat64_state *st)
{
	return (struct nat64_state *)(uintptr_t)st;
}

void nat64_state_counts(const struct nat64_state *st, struct nat64_counts *c)
{
	memset(c, 0, sizeof(*c));
	nat64_lock(lockable(st));
	for (int i = 0; i < CONFIG_L4_COUNT; i++) {
		c->bib[i] = st->nbib[i];
		c->sessions[i] = st->nsess[i];
		c->pool4_used[i] = st->pool4.used[i];
		c->pool4_total[i] = st->pool4.total[i];
		c->blocks[i] = st->nblocks[i];
	}
	c->stored = st->nstored;
	c->hosts = st->hosts.count;
	c->lock_taken = st->lock_taken;
	c->lock_contended = st->lock_contended;
	nat64_unlock(lockable(st));
}

int64_t nat64_state_now(const struct nat64_state *st)
{
	int64_t now;

	nat64_lock(lockable(st));
	now = st->now_ms;
	nat64_unlock(lockable(st));
	return now;
}

int nat64_bib_forget(struct nat64_state *st, const struct config *cfg,
		     struct xlat_stats *stats, int64_t now_ms,
		     enum config_l4 l4, bool is6, const void *addr,
		     uint16_t port, struct nat64_bib *gone)
{
	struct nat64_bib *b;
	struct nat64_op op;

	nat64_lock(st);
	b = is6 ? nat64_bib_find6(st, l4, addr, port) :
		  nat64_bib_find4(st, l4, addr, port);
	if (b) {
		*gone = *b;
		nat64_op_init(&op, st, cfg, stats, now_ms);
		st->why = "admin";
		nat64_bib_remove(&op, b);
		st->why = NULL;
	}
	nat64_unlock(st);
	return b ? 0 : -1;
}

/* --- walks ------------------------------------------------------------------ */

struct bib_walk {
	enum config_l4 l4;
	nat64_bib_fn fn;
	void *arg;
};

static int bib_walk_one(struct nat64_hnode *n, void *arg)
{
	struct bib_walk *w = arg;
	const struct nat64_bib *b = (const struct nat64_bib *)(const void *)
		((const char *)n - offsetof(struct nat64_bib, h4));

	return b->l4 == w->l4 ? w->fn(w->arg, b) : 0;
}

int nat64_bib_walk(const struct nat64_state *st, enum config_l4 l4,
		   nat64_bib_fn fn, void *arg)
{
	struct bib_walk w = { l4, fn, arg };
	int ret;

	nat64_lock(lockable(st));
	ret = nat64_htab_walk(&st->bib4, bib_walk_one, &w);
	nat64_unlock(lockable(st));
	return ret;
}

int nat64_sess_walk(const struct nat64_state *st, enum config_l4 l4,
		    nat64_sess_fn fn, void *arg)
{
	int ret = 0;

	nat64_lock(lockable(st));
	for (int t = 0; t < NAT64_T_COUNT && !ret; t++)
		for (const struct nat64_session *s = st->thead[t]; s && !ret;
		     s = s->tnext)
			ret = s->l4 == l4 ? fn(arg, s) : 0;
	nat64_unlock(lockable(st));
	return ret;
}
