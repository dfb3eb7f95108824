// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The route cache: per-destination egress MTU from the kernel's routes
 * (route_nl.c, or a test backend) and learned path MTUs, in a fixed table
 * of ROUTE_SLOTS entries (ROUTE_WAYS-way buckets, LRU replacement). The
 * bucket comes from a keyed hash (SipHash-2-4, random key per cache), so
 * that remote hosts choosing destinations cannot aim at one bucket.
 * A learned PMTU lives in the same entry as the route answer with its own
 * expiry, and entries holding one are the last to be replaced.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <netinet/in.h>

#include "route.h"
#include "siphash.h"
#include "route_nl.h"

#define ROUTE_SETS	(ROUTE_SLOTS / ROUTE_WAYS)

enum route_state {
	ROUTE_E_NONE,		/* no answer (new, or forgotten) */
	ROUTE_E_OK,		/* mtu holds the answer */
	ROUTE_E_NOROUTE,
	ROUTE_E_FAIL,		/* the kernel could not be asked */
};

struct route_entry {
	int64_t expires;	/* of the answer */
	int64_t pmtu_expires;
	uint64_t used;		/* rc->tick at the last lookup or learn */
	uint32_t mtu;
	uint32_t pmtu;		/* learned, 0 if none */
	uint8_t family;		/* 0: free slot */
	uint8_t state;		/* enum route_state */
	uint8_t addr[16];	/* IPv4 in the first 4 bytes, the rest 0 */
};

struct route_ifent {
	int64_t expires;
	uint32_t ifindex;	/* 0: free slot */
	uint32_t mtu;		/* 0: unknown */
	uint32_t mtu6;
};

struct route_cache {
	struct route_backend be;
	struct route_nl *nl;		/* NULL with a test backend */
	uint32_t mark;
	uint8_t key[SIPHASH_KEY_LEN];
	struct route_stats stats;
	uint32_t rate, burst, tokens;	/* query budget; rate 0: none */
	int64_t tokens_at;
	int64_t quiet_until;		/* no queries after a failed one */
	uint64_t tick;			/* LRU clock: one per use */
	struct route_ifent ifs[ROUTE_IF_SLOTS];
	struct route_entry ent[ROUTE_SLOTS];
};

/* Index of the first entry of the set that holds family/key. */
static size_t route_set_index(const struct route_cache *rc, int family,
			      const uint8_t key[16])
{
	uint8_t m[17];

	memcpy(m, key, 16);
	m[16] = (uint8_t)family;	/* AF_INET or AF_INET6: one byte */
	return (siphash24(rc->key, m, sizeof(m)) % ROUTE_SETS) * ROUTE_WAYS;
}

static struct route_entry *route_set(struct route_cache *rc, int family,
				     const uint8_t key[16])
{
	return &rc->ent[route_set_index(rc, family, key)];
}

/* The 16-byte key of dst; false for an unknown family or NULL dst. */
static bool route_key(int family, const void *dst, uint8_t key[16])
{
	memset(key, 0, 16);
	if (!dst)
		return false;
	if (family == AF_INET)
		memcpy(key, dst, sizeof(struct in_addr));
	else if (family == AF_INET6)
		memcpy(key, dst, sizeof(struct in6_addr));
	else
		return false;
	return true;
}

static struct route_entry *route_find(struct route_cache *rc, int family,
				      const uint8_t key[16],
				      struct route_entry **set)
{
	int i;

	*set = route_set(rc, family, key);
	for (i = 0; i < ROUTE_WAYS; i++)
		if ((*set)[i].family == family &&
		    !memcmp((*set)[i].addr, key, 16))
			return &(*set)[i];
	return NULL;
}

static bool route_answered(const struct route_entry *e, int64_t now)
{
	return e->state != ROUTE_E_NONE && now < e->expires;
}

/* The learned PMTU of e if it has not expired (forgotten if it has). */
static uint32_t route_learned(struct route_entry *e, int64_t now)
{
	if (e->pmtu && now >= e->pmtu_expires)
		e->pmtu = 0;
	return e->pmtu;
}

/* Replacement order: free, dead, then LRU without a learned PMTU, LRU. */
static int route_rank(struct route_entry *e, int64_t now)
{
	if (!e->family)
		return 0;
	if (route_learned(e, now))
		return 3;
	return route_answered(e, now) ? 2 : 1;
}

static struct route_entry *route_claim(struct route_cache *rc,
				       struct route_entry *set, int family,
				       const uint8_t key[16], int64_t now)
{
	struct route_entry *v = &set[0];
	int i, r, best = route_rank(v, now);

	for (i = 1; i < ROUTE_WAYS && best; i++) {
		r = route_rank(&set[i], now);
		if (r < best || (r == best && set[i].used < v->used)) {
			v = &set[i];
			best = r;
		}
	}
	if (best >= 2)
		rc->stats.evicted++;
	memset(v, 0, sizeof(*v));
	v->family = (uint8_t)family;
	memcpy(v->addr, key, 16);
	return v;
}

static uint32_t route_min(uint32_t a, uint32_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

/* The link cache entry for ifindex, asked again after ROUTE_TTL_MS. */
static const struct route_ifent *route_link(struct route_cache *rc,
					    uint32_t ifindex, int64_t now)
{
	struct route_ifent *l = &rc->ifs[ifindex % ROUTE_IF_SLOTS];
	struct route_link link = { 0, 0 };

	if (l->ifindex == ifindex && now < l->expires)
		return l;
	rc->stats.netlink_queries++;
	if (rc->be.get_link(rc->be.arg, ifindex, &link) != ROUTE_Q_OK) {
		/* ENODEV too: the device went between route and link. */
		rc->stats.netlink_errors++;
		link.mtu = 0;
		link.mtu6 = 0;
	}
	l->ifindex = ifindex;
	l->expires = now + ROUTE_TTL_MS;
	l->mtu = link.mtu;
	l->mtu6 = link.mtu6;
	return l;
}

/* Asks for the route towards e and stores the answer. */
static void route_ask(struct route_cache *rc, struct route_entry *e,
		      int64_t now)
{
	struct route_answer ans = { 0, 0 };
	const struct route_ifent *l;
	enum route_query q;
	uint32_t dev = 0;

	rc->stats.netlink_queries++;
	q = rc->be.get_route(rc->be.arg, e->family, e->addr, rc->mark, &ans);
	e->expires = now + ROUTE_TTL_MS;
	e->mtu = 0;
	e->state = ROUTE_E_FAIL;
	if (q == ROUTE_Q_NOROUTE) {
		rc->stats.no_route++;
		e->state = ROUTE_E_NOROUTE;
		return;
	}
	if (q != ROUTE_Q_OK) {
		/* Timeouts would cost ROUTE_RCV_TIMEOUT_MS per destination. */
		rc->stats.netlink_errors++;
		rc->quiet_until = now + ROUTE_TTL_MS;
		return;
	}
	if (ans.oif) {
		l = route_link(rc, ans.oif, now);
		dev = l->mtu;
		/* IPv6 uses the device's IPv6 MTU (RFC 4861 6.3.4 sets it). */
		if (e->family == AF_INET6 && l->mtu6)
			dev = route_min(dev, l->mtu6);
	}
	e->mtu = route_min(ans.mtu, dev);
	if (e->mtu)
		e->state = ROUTE_E_OK;
	else if (!ans.oif)
		rc->stats.netlink_errors++;	/* no metric, no device */
}

/* What e answers at now, changing nothing (route_mtu_peek). */
static uint32_t route_peek_result(const struct route_entry *e, int64_t now)
{
	uint32_t pmtu = e->pmtu && now < e->pmtu_expires ? e->pmtu : 0;

	if (e->state == ROUTE_E_NOROUTE)
		return 0;
	if (e->state == ROUTE_E_OK)
		return route_min(e->mtu, pmtu);
	return pmtu;
}

/* What route_mtu answers from e: the route's MTU or the learned PMTU. */
static uint32_t route_result(struct route_entry *e, int64_t now)
{
	route_learned(e, now);	/* forgets an expired PMTU */
	return route_peek_result(e, now);
}

/*
 * One query from the budget, refilled at rc->rate per second; none for
 * ROUTE_TTL_MS after a query failed.
 */
static bool route_take_token(struct route_cache *rc, int64_t now)
{
	int64_t add;

	if (now < rc->quiet_until) {
		if (now >= rc->quiet_until - ROUTE_TTL_MS)
			return false;
		rc->quiet_until = 0;	/* clock went back */
	}
	if (!rc->rate)
		return true;
	if (now < rc->tokens_at)
		rc->tokens_at = now;	/* clock went back: restart */
	add = (now - rc->tokens_at) * rc->rate / 1000;
	if (add > 0) {
		rc->tokens_at = now;
		rc->tokens = add >= rc->burst - rc->tokens ?
			     rc->burst : rc->tokens + (uint32_t)add;
	}
	if (!rc->tokens)
		return false;
	rc->tokens--;
	return true;
}

uint32_t route_mtu(struct route_cache *rc, int family, const void *dst,
		   int64_t now_ms)
{
	struct route_entry *e, *set;
	uint8_t key[16];

	if (!route_key(family, dst, key)) {
		rc->stats.invalid++;
		return 0;
	}
	rc->stats.lookups++;
	e = route_find(rc, family, key, &set);
	if (e && route_answered(e, now_ms)) {
		rc->stats.hits++;
		e->used = ++rc->tick;
		return route_result(e, now_ms);
	}
	if (!route_take_token(rc, now_ms)) {
		/* A stale answer beats the fallback; a forgotten one not. */
		rc->stats.throttled++;
		return e ? route_result(e, now_ms) : 0;
	}
	if (!e)
		e = route_claim(rc, set, family, key, now_ms);
	e->used = ++rc->tick;
	route_ask(rc, e, now_ms);
	return route_result(e, now_ms);
}

uint32_t route_mtu_peek(const struct route_cache *rc, int family,
			const void *dst, int64_t now_ms, bool *stale)
{
	const struct route_entry *set, *e = NULL;
	uint8_t key[16];

	*stale = true;
	if (!route_key(family, dst, key))
		return 0;
	set = &rc->ent[route_set_index(rc, family, key)];
	for (int i = 0; i < ROUTE_WAYS && !e; i++)
		if (set[i].family == family && !memcmp(set[i].addr, key, 16))
			e = &set[i];
	if (!e)
		return 0;
	*stale = !route_answered(e, now_ms);
	return route_peek_result(e, now_ms);
}

void route_forget(struct route_cache *rc, int family, const void *dst)
{
	struct route_entry *e, *set;
	uint8_t key[16];

	if (!route_key(family, dst, key)) {
		rc->stats.invalid++;
		return;
	}
	e = route_find(rc, family, key, &set);
	if (!e || e->state == ROUTE_E_NONE)
		return;
	e->state = ROUTE_E_NONE;
	rc->stats.forgotten++;
}

void route_learn(struct route_cache *rc, int family, const void *dst,
		 uint32_t mtu, int64_t now_ms)
{
	uint32_t floor = family == AF_INET ? ROUTE_MIN_MTU4 : ROUTE_MIN_MTU6;
	struct route_entry *e, *set;
	uint32_t cur;
	uint8_t key[16];

	if (!route_key(family, dst, key) || !mtu) {
		rc->stats.invalid++;
		return;
	}
	/* RFC 1191 section 6.3, RFC 8201 section 4: never below the minimum. */
	if (mtu < floor)
		mtu = floor;
	if (mtu > ROUTE_MAX_MTU)
		mtu = ROUTE_MAX_MTU;
	e = route_find(rc, family, key, &set);
	if (e) {
		cur = route_learned(e, now_ms);
		/* RFC 8201 section 4: a PTB never raises the estimate. */
		if (cur && mtu > cur)
			return;
		if (!cur && route_answered(e, now_ms) &&
		    e->state == ROUTE_E_OK && mtu >= e->mtu)
			return;
	} else {
		e = route_claim(rc, set, family, key, now_ms);
	}
	e->pmtu = mtu;
	e->pmtu_expires = now_ms + ROUTE_PMTU_MS;
	e->used = ++rc->tick;
	rc->stats.learned++;
}

uint32_t route_if_mtu(struct route_cache *rc, uint32_t ifindex,
		      int64_t now_ms)
{
	if (!ifindex) {
		rc->stats.invalid++;
		return 0;
	}
	return route_link(rc, ifindex, now_ms)->mtu;
}

const struct route_stats *route_stats(const struct route_cache *rc)
{
	return &rc->stats;
}

void route_set_query_rate(struct route_cache *rc, uint32_t per_second,
			  uint32_t burst)
{
	rc->rate = per_second;
	rc->burst = burst ? burst : 1;
	rc->tokens = rc->burst;
	rc->tokens_at = 0;
}

/* A random hash key; without getrandom, something no peer can see. */
static void route_seed(struct route_cache *rc)
{
	struct timespec ts;
	uint64_t k[2];

	if (getrandom(rc->key, sizeof(rc->key), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(rc->key))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	k[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^
	       (uint64_t)(uintptr_t)rc;
	k[1] = (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32);
	memcpy(rc->key, k, sizeof(rc->key));
}

static struct route_cache *route_alloc(uint32_t mark, char *err,
				       size_t errlen)
{
	struct route_cache *rc = calloc(1, sizeof(*rc));

	if (!rc) {
		snprintf(err, errlen, "route cache: out of memory");
		return NULL;
	}
	rc->mark = mark;
	route_seed(rc);
	route_set_query_rate(rc, ROUTE_QUERY_RATE, ROUTE_QUERY_BURST);
	return rc;
}

struct route_cache *route_open(uint32_t mark, char *err, size_t errlen)
{
	struct route_cache *rc = route_alloc(mark, err, errlen);

	if (!rc)
		return NULL;
	rc->nl = route_nl_open(&rc->stats, err, errlen);
	if (!rc->nl) {
		free(rc);
		return NULL;
	}
	rc->be.get_route = route_nl_get_route;
	rc->be.get_link = route_nl_get_link;
	rc->be.arg = rc->nl;
	return rc;
}

struct route_cache *route_open_backend(const struct route_backend *be,
				       uint32_t mark, char *err,
				       size_t errlen)
{
	struct route_cache *rc;

	if (!be || !be->get_route || !be->get_link) {
		snprintf(err, errlen, "route cache: incomplete backend");
		return NULL;
	}
	rc = route_alloc(mark, err, errlen);
	if (rc)
		rc->be = *be;
	return rc;
}

void route_close(struct route_cache *rc)
{
	if (!rc)
		return;
	route_nl_close(rc->nl);
	free(rc);
}
