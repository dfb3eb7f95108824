// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAT64 bindings and sessions: the four hash tables, the timer FIFOs,
 * creation and removal with the limits (the hosts and prefixes they count
 * in: nat64_host.c; the pool4 ports they hold: nat64_pool4.c),
 * and the life cycle of the state (RFC 6146 sections 3.5.1 and 3.5.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat64_log.h"
#include "nat64_state.h"

static const char *const tcp_state_names[NAT64_TCP_STATE_COUNT] = {
	[NAT64_TCP_CLOSED] = "CLOSED",
	[NAT64_TCP_V4_INIT] = "V4_INIT",
	[NAT64_TCP_V6_INIT] = "V6_INIT",
	[NAT64_TCP_ESTABLISHED] = "ESTABLISHED",
	[NAT64_TCP_V4_FIN_RCV] = "V4_FIN_RCV",
	[NAT64_TCP_V6_FIN_RCV] = "V6_FIN_RCV",
	[NAT64_TCP_V4_FIN_V6_FIN_RCV] = "V4_FIN_V6_FIN_RCV",
	[NAT64_TCP_TRANS] = "TRANS",
};

const char *nat64_tcp_state_name(enum nat64_tcp_state s)
{
	return (unsigned int)s < NAT64_TCP_STATE_COUNT ? tcp_state_names[s] : "?";
}

void nat64_op_init(struct nat64_op *op, struct nat64_state *st,
		   const struct config *cfg, struct xlat_stats *stats,
		   int64_t now_ms)
{
	/* The FIFOs are ordered by time: a clock stepping back is held. */
	if (now_ms > st->now_ms)
		st->now_ms = now_ms;
	op->st = st;
	op->cfg = cfg;
	op->stats = stats;
	op->now = st->now_ms;
	st->blk = NULL;
	st->why = NULL;
}

/*
 * One mutex for the whole state, not shards. Measured on the 2-vCPU
 * machine (test/perf/bench_nat64_mt.c, UDP request and reply on 1,024
 * flows, core included): a packet costs ~210 ns of CPU with one thread,
 * of which ~107 ns hold the lock (the state's lookups and refresh, the
 * lock's ~10 ns included): one state serves at most ~9 Mpps, whatever
 * the number of threads. The daemon's workers translate far less than
 * that each (NFQUEUE and the egress cost microseconds per packet), so
 * the lock stays mostly free: nat64_lock_contended in `transctl status`
 * shows it in the field. Only the core-only benchmark, two threads at
 * full speed on two free CPUs, saturates it (25 % of acquisitions
 * contended, ~1.5 us per packet with a plain mutex: futex sleeps), hence
 * an adaptive mutex (nat64_state_new) and one acquisition per packet.
 *
 * Shards would have to be keyed so that both directions find an entry:
 * a binding is looked up by its IPv6 transport address from one side and
 * by its IPv4 one from the other, which hash differently, so a shard
 * would have to be chosen by something both share, e.g. pool4 ports
 * split between shards and a host's bindings allocated in its shard's
 * ports. Pool4 allocation (RFC 6056 with the RFC 6146 3.5.1.1 paired
 * address), the per-host and global limits and the timer FIFOs are
 * state-wide too. Not worth it while the lock is not the bottleneck.
 */
void nat64_lock(struct nat64_state *st)
{
	if (pthread_mutex_trylock(&st->lock)) {
		pthread_mutex_lock(&st->lock);
		st->lock_contended++;
	}
	st->lock_taken++;
}

void nat64_unlock(struct nat64_state *st)
{
	pthread_mutex_unlock(&st->lock);
}

/* --- keys ------------------------------------------------------------------ */

/* Hash input: the key fields laid out byte by byte (no padding). */
struct hbuf {
	uint8_t b[40];
	size_t n;
};

static void hput(struct hbuf *h, const void *p, size_t len)
{
	memcpy(h->b + h->n, p, len);
	h->n += len;
}

static void hput16(struct hbuf *h, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	hput(h, b, 2);
}

static uint32_t hdone(const struct nat64_state *st, struct hbuf *h,
		      enum config_l4 l4)
{
	uint8_t b = (uint8_t)l4;

	hput(h, &b, 1);
	return (uint32_t)siphash24(st->key, h->b, h->n);
}

struct key6 {
	enum config_l4 l4;
	const struct in6_addr *a;
	uint16_t port;
	const struct in6_addr *ra;	/* sessions only */
	uint16_t rport;
};

struct key4 {
	enum config_l4 l4;
	const struct in_addr *a;
	uint16_t port;
	const struct in_addr *ra;	/* sessions only */
	uint16_t rport;
};

static uint32_t hash6(const struct nat64_state *st, const struct key6 *k)
{
	struct hbuf h = { .n = 0 };

	hput(&h, k->a, 16);
	hput16(&h, k->port);
	if (k->ra) {
		hput(&h, k->ra, 16);
		hput16(&h, k->rport);
	}
	return hdone(st, &h, k->l4);
}

static uint32_t hash4(const struct nat64_state *st, const struct key4 *k)
{
	struct hbuf h = { .n = 0 };

	hput(&h, k->a, 4);
	hput16(&h, k->port);
	if (k->ra) {
		hput(&h, k->ra, 4);
		hput16(&h, k->rport);
	}
	return hdone(st, &h, k->l4);
}

static bool eq6(const struct in6_addr *a, const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static bool eq4(const struct in_addr *a, const struct in_addr *b)
{
	return a->s_addr == b->s_addr;
}

static bool bib6_match(const struct nat64_hnode *n, const void *key)
{
	const struct nat64_bib *b = NAT64_CONTAINER(n, const struct nat64_bib, h6);
	const struct key6 *k = key;

	return b->l4 == k->l4 && b->port6 == k->port && eq6(&b->addr6, k->a);
}

static bool bib4_match(const struct nat64_hnode *n, const void *key)
{
	const struct nat64_bib *b = NAT64_CONTAINER(n, const struct nat64_bib, h4);
	const struct key4 *k = key;

	return b->l4 == k->l4 && b->port4 == k->port && eq4(&b->addr4, k->a);
}

static bool sess6_match(const struct nat64_hnode *n, const void *key)
{
	const struct nat64_session *s =
		NAT64_CONTAINER(n, const struct nat64_session, h6);
	const struct key6 *k = key;

	return s->l4 == k->l4 && s->bib->port6 == k->port &&
	       s->rport == k->rport && eq6(&s->bib->addr6, k->a) &&
	       eq6(&s->remote6, k->ra);
}

static bool sess4_match(const struct nat64_hnode *n, const void *key)
{
	const struct nat64_session *s =
		NAT64_CONTAINER(n, const struct nat64_session, h4);
	const struct key4 *k = key;

	return s->l4 == k->l4 && s->lport4 == k->port &&
	       s->rport == k->rport && eq4(&s->local4, k->a) &&
	       eq4(&s->remote4, k->ra);
}

/* --- lookups ----------------------------------------------------------------- */

struct nat64_bib *nat64_bib_find6(const struct nat64_state *st,
				  enum config_l4 l4,
				  const struct in6_addr *a, uint16_t port)
{
	struct key6 k = { l4, a, port, NULL, 0 };
	struct nat64_hnode *n = nat64_htab_find(&st->bib6, hash6(st, &k),
						bib6_match, &k);

	return n ? NAT64_CONTAINER(n, struct nat64_bib, h6) : NULL;
}

struct nat64_bib *nat64_bib_find4(const struct nat64_state *st,
				  enum config_l4 l4,
				  const struct in_addr *a, uint16_t port)
{
	struct key4 k = { l4, a, port, NULL, 0 };
	struct nat64_hnode *n = nat64_htab_find(&st->bib4, hash4(st, &k),
						bib4_match, &k);

	return n ? NAT64_CONTAINER(n, struct nat64_bib, h4) : NULL;
}

struct nat64_session *nat64_sess_find6(const struct nat64_state *st,
				       enum config_l4 l4,
				       const struct in6_addr *local,
				       uint16_t lport,
				       const struct in6_addr *remote,
				       uint16_t rport)
{
	struct key6 k = { l4, local, lport, remote, rport };
	struct nat64_hnode *n = nat64_htab_find(&st->sess6, hash6(st, &k),
						sess6_match, &k);

	return n ? NAT64_CONTAINER(n, struct nat64_session, h6) : NULL;
}

struct nat64_session *nat64_sess_find4(const struct nat64_state *st,
				       enum config_l4 l4,
				       const struct in_addr *local,
				       uint16_t lport,
				       const struct in_addr *remote,
				       uint16_t rport)
{
	struct key4 k = { l4, local, lport, remote, rport };
	struct nat64_hnode *n = nat64_htab_find(&st->sess4, hash4(st, &k),
						sess4_match, &k);

	return n ? NAT64_CONTAINER(n, struct nat64_session, h4) : NULL;
}

/* --- bindings ------------------------------------------------------------------ */

struct nat64_bib *nat64_bib_add(struct nat64_op *op, enum config_l4 l4,
				const struct in6_addr *a6, uint16_t p6,
				const struct in_addr *a4, uint16_t p4,
				bool is_static)
{
	struct nat64_state *st = op->st;
	struct key6 k6 = { l4, a6, p6, NULL, 0 };
	struct key4 k4 = { l4, a4, p4, NULL, 0 };
	struct nat64_bib *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->addr6 = *a6;
	b->addr4 = *a4;
	b->port6 = p6;
	b->port4 = p4;
	b->l4 = l4;
	b->is_static = is_static;
	b->host = nat64_host_get(st, a6);
	if (!b->host)
		goto fail;
	if (nat64_pool4_take(st, l4, a4, p4))
		goto fail_host;
	if (nat64_htab_insert(&st->bib6, &b->h6, hash6(st, &k6)))
		goto fail_port;
	if (nat64_htab_insert(&st->bib4, &b->h4, hash4(st, &k4))) {
		nat64_htab_remove(&st->bib6, &b->h6);
		goto fail_port;
	}
	st->nbib[l4]++;
	nat64_host_pair(st, b->host, l4, a4);
	xlat_count(op->stats, XLAT_CNT_NAT64_BIB_ADDED);
	/* Inside a port block, the block's line says it all (RFC 7422). */
	b->block = op->st->blk;
	op->st->blk = NULL;
	if (b->block)
		b->block->nbib++;
	else
		nat64_log_bib(op, b, true);
	return b;
fail_port:
	nat64_pool4_give(st, l4, a4, p4);
fail_host:
	nat64_host_put(st, b->host);
fail:
	free(b);
	if (op->st->blk && !op->st->blk->nbib) {
		op->st->blk->nbib = 1;	/* released unused */
		nat64_block_put(op, op->st->blk);
	}
	op->st->blk = NULL;
	return NULL;
}

/* Frees b once it has no session (static ones stay until removed). */
static void bib_drop(struct nat64_op *op, struct nat64_bib *b)
{
	struct nat64_state *st = op->st;

	if (!b->block)
		nat64_log_bib(op, b, false);
	nat64_htab_remove(&st->bib6, &b->h6);
	nat64_htab_remove(&st->bib4, &b->h4);
	st->nbib[b->l4]--;
	nat64_pool4_give(st, b->l4, &b->addr4, b->port4);
	if (b->block)
		nat64_block_put(op, b->block);
	nat64_host_put(st, b->host);
	free(b);
}

void nat64_bib_remove(struct nat64_op *op, struct nat64_bib *b)
{
	bool was_static = b->is_static;

	/* The last session's removal frees a dynamic binding: keep it. */
	b->is_static = true;
	while (b->sessions)
		nat64_sess_remove(op, b->sessions);
	b->is_static = was_static;
	bib_drop(op, b);
}

bool nat64_bib_knows(const struct nat64_bib *b, const struct in_addr *a)
{
	for (const struct nat64_session *s = b->sessions; s; s = s->bnext)
		if (eq4(&s->remote4, a))
			return true;
	return false;
}

/* --- timer FIFOs ------------------------------------------------------------------ */

static void timer_unlink(struct nat64_state *st, struct nat64_session *s)
{
	if (s->tprev)
		s->tprev->tnext = s->tnext;
	else
		st->thead[s->timer] = s->tnext;
	if (s->tnext)
		s->tnext->tprev = s->tprev;
	else
		st->ttail[s->timer] = s->tprev;
	s->tprev = s->tnext = NULL;
}

static void timer_append(struct nat64_state *st, struct nat64_session *s)
{
	s->tprev = st->ttail[s->timer];
	s->tnext = NULL;
	if (s->tprev)
		s->tprev->tnext = s;
	else
		st->thead[s->timer] = s;
	st->ttail[s->timer] = s;
}

void nat64_sess_touch(struct nat64_op *op, struct nat64_session *s,
		      enum nat64_timer t)
{
	/*
	 * Refreshed already at this time in this class: the FIFO is ordered
	 * by refresh time and op->now is the latest, so every session behind
	 * s has the same time and moving s changes no expiry. Skipping it
	 * spares the writes to the FIFO's tail, which every packet of every
	 * thread would otherwise make (a cache line bouncing between cores).
	 */
	if (s->timer == t && s->touched_ms == op->now)
		return;
	timer_unlink(op->st, s);
	s->timer = (uint8_t)t;
	s->touched_ms = op->now;
	timer_append(op->st, s);
}

/* --- sessions ---------------------------------------------------------------- */

static uint64_t total_sessions(const struct nat64_state *st)
{
	uint64_t n = 0;

	for (int i = 0; i < CONFIG_L4_COUNT; i++)
		n += st->nsess[i];
	return n;
}

/* The limits of a new session; 0 or the counter of the refusal. */
static int sess_limits(const struct nat64_op *op, const struct nat64_bib *b)
{
	const struct config_nat64 *n = &op->cfg->nat64;

	if (n->max_sessions && total_sessions(op->st) >= n->max_sessions)
		return XLAT_CNT_DROP_NAT64_SESSION_LIMIT;
	if (b && n->max_sessions_per_host &&
	    b->host->sessions >= n->max_sessions_per_host)
		return XLAT_CNT_DROP_NAT64_HOST_LIMIT;
	if (b && n->max_sessions_per_prefix &&
	    b->host->prefix->sessions >= n->max_sessions_per_prefix)
		return XLAT_CNT_DROP_NAT64_PREFIX_LIMIT;
	return 0;
}

static void bib_link(struct nat64_session *s, struct nat64_bib *b)
{
	s->bib = b;
	s->bprev = NULL;
	s->bnext = b->sessions;
	if (b->sessions)
		b->sessions->bprev = s;
	b->sessions = s;
	b->nsessions++;
	nat64_host_count(b->host, 1);
}

static int sess6_insert(struct nat64_state *st, struct nat64_session *s)
{
	struct key6 k = { s->l4, &s->bib->addr6, s->bib->port6, &s->remote6,
			  s->rport };

	return nat64_htab_insert(&st->sess6, &s->h6, hash6(st, &k));
}

struct nat64_session *nat64_sess_add(struct nat64_op *op, enum config_l4 l4,
				     struct nat64_bib *b,
				     const struct in_addr *local4,
				     uint16_t lport4,
				     const struct nat64_remote *r,
				     enum nat64_timer t, int *why)
{
	struct nat64_state *st = op->st;
	struct key4 k4 = { l4, local4, lport4, &r->a4, r->port };
	struct nat64_session *s;

	*why = sess_limits(op, b);
	if (*why)
		return NULL;
	*why = XLAT_CNT_DROP_NAT64_NO_MEMORY;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->l4 = l4;
	s->local4 = *local4;
	s->lport4 = lport4;
	s->remote4 = r->a4;
	s->remote6 = r->a6;
	s->rport = r->port;
	s->bib = b;
	if (b && sess6_insert(st, s))
		goto fail;
	if (nat64_htab_insert(&st->sess4, &s->h4, hash4(st, &k4))) {
		if (b)
			nat64_htab_remove(&st->sess6, &s->h6);
		goto fail;
	}
	if (b)
		bib_link(s, b);
	s->timer = (uint8_t)t;
	s->touched_ms = op->now;
	timer_append(st, s);
	st->nsess[l4]++;
	xlat_count(op->stats, XLAT_CNT_NAT64_SESSION_ADDED);
	nat64_log_sess(op, s, true);
	*why = 0;
	return s;
fail:
	free(s);
	return NULL;
}

int nat64_sess_bind(struct nat64_op *op, struct nat64_session *s,
		    struct nat64_bib *b)
{
	s->bib = b;
	if (sess6_insert(op->st, s)) {
		s->bib = NULL;
		return -1;
	}
	bib_link(s, b);
	nat64_log_sess(op, s, true);
	return 0;
}

void nat64_sess_remove(struct nat64_op *op, struct nat64_session *s)
{
	struct nat64_state *st = op->st;
	struct nat64_bib *b = s->bib;

	nat64_log_sess(op, s, false);
	timer_unlink(st, s);
	nat64_htab_remove(&st->sess4, &s->h4);
	if (s->stored) {
		free(s->stored);
		st->nstored--;
	}
	st->nsess[s->l4]--;
	if (b) {
		nat64_htab_remove(&st->sess6, &s->h6);
		if (s->bprev)
			s->bprev->bnext = s->bnext;
		else
			b->sessions = s->bnext;
		if (s->bnext)
			s->bnext->bprev = s->bprev;
		b->nsessions--;
		nat64_host_count(b->host, -1);
		if (!b->nsessions && !b->is_static)
			bib_drop(op, b);
	}
	free(s);
}

int64_t nat64_sess_deadline(const struct nat64_session *s,
			    const struct config *cfg)
{
	const struct config_nat64 *n = &cfg->nat64;
	const uint32_t secs[NAT64_T_COUNT] = {
		[NAT64_T_UDP] = n->udp_timeout,
		[NAT64_T_ICMP] = n->icmp_timeout,
		[NAT64_T_TCP_EST] = n->tcp_est_timeout,
		[NAT64_T_TCP_TRANS] = n->tcp_trans_timeout,
		[NAT64_T_TCP_SYN] = n->tcp_incoming_syn_timeout,
	};

	return s->touched_ms + (int64_t)secs[s->timer] * 1000;
}
