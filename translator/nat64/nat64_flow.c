// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 6146 section 3.5, packet by packet: UDP (3.5.1), TCP (3.5.2) and
 * ICMP queries (3.5.3), from either side; then the expiry of sessions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>

#include "nat64_det.h"
#include "nat64_flow.h"
#include "nat64_log.h"

/* ICMP answers to refused packets, by the sender's IP version. */

static void drop(struct nat64_result *r, int reason)
{
	r->v = NAT64_DROP;
	r->reason = reason;
}

static void refuse(struct nat64_result *r, int reason, uint8_t type,
		   uint8_t code)
{
	r->v = NAT64_REFUSE;
	r->reason = reason;
	r->icmp_type = type;
	r->icmp_code = code;
}

static void pass(struct nat64_result *r, struct nat64_session *s)
{
	r->v = NAT64_PASS;
	r->s = s;
}

static enum nat64_timer l4_timer(enum config_l4 l4)
{
	return l4 == CONFIG_L4_UDP ? NAT64_T_UDP : NAT64_T_ICMP;
}

/* --- the TCP state machine (RFC 6146 3.5.2.2) --------------------------- */

enum tcp_kind { K_SYN, K_FIN, K_RST, K_OTHER, K_COUNT };

/* What a packet does to a session: new state, and its lifetime. */
enum life { L_KEEP, L_EST, L_TRANS };

struct tcp_arc {
	uint8_t state;		/* 0: unchanged */
	uint8_t life;
};

static enum tcp_kind tcp_kind(uint8_t flags)
{
	if (flags & NAT64_TCP_RST)
		return K_RST;
	if (flags & NAT64_TCP_SYN)
		return K_SYN;
	return flags & NAT64_TCP_FIN ? K_FIN : K_OTHER;
}

#define ARC(s, l) { NAT64_TCP_##s, l }
#define SAME(l) { 0, l }

/* [state][from IPv6?][kind]; CLOSED is handled apart (no session yet). */
static const struct tcp_arc tcp_arcs[NAT64_TCP_STATE_COUNT][2][K_COUNT] = {
	[NAT64_TCP_V4_INIT] = {
		/* from IPv4 */ { SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP) },
		/* from IPv6: its SYN completes the handshake */
		{ ARC(ESTABLISHED, L_EST), SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP) },
	},
	[NAT64_TCP_V6_INIT] = {
		{ ARC(ESTABLISHED, L_EST), SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP) },
		/* a repeated IPv6 SYN renews the wait */
		{ SAME(L_TRANS), SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP) },
	},
	[NAT64_TCP_ESTABLISHED] = {
		{ SAME(L_EST), ARC(V4_FIN_RCV, L_EST), ARC(TRANS, L_TRANS), SAME(L_EST) },
		{ SAME(L_EST), ARC(V6_FIN_RCV, L_EST), ARC(TRANS, L_TRANS), SAME(L_EST) },
	},
	[NAT64_TCP_V4_FIN_RCV] = {
		{ SAME(L_EST), SAME(L_EST), SAME(L_EST), SAME(L_EST) },
		{ SAME(L_EST), ARC(V4_FIN_V6_FIN_RCV, L_TRANS), SAME(L_EST), SAME(L_EST) },
	},
	[NAT64_TCP_V6_FIN_RCV] = {
		{ SAME(L_EST), ARC(V4_FIN_V6_FIN_RCV, L_TRANS), SAME(L_EST), SAME(L_EST) },
		{ SAME(L_EST), SAME(L_EST), SAME(L_EST), SAME(L_EST) },
	},
	[NAT64_TCP_V4_FIN_V6_FIN_RCV] = {
		{ SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP) },
		{ SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP), SAME(L_KEEP) },
	},
	/* Anything but a RST brings a transitory session back. */
	[NAT64_TCP_TRANS] = {
		{ ARC(ESTABLISHED, L_EST), ARC(ESTABLISHED, L_EST), SAME(L_KEEP), ARC(ESTABLISHED, L_EST) },
		{ ARC(ESTABLISHED, L_EST), ARC(ESTABLISHED, L_EST), SAME(L_KEEP), ARC(ESTABLISHED, L_EST) },
	},
};

/*
 * handle-rst-during-fin-rcv (Jool's): RFC 6146 keeps a session in V4 or
 * V6 FIN RCV on the established lifetime whatever arrives but the other
 * FIN, so a RST there leaves it for up to tcp-est-timeout. With the
 * option, such a RST does what it does in ESTABLISHED: the session turns
 * transitory (tcp-trans-timeout).
 */
static const struct tcp_arc rst_in_fin_rcv = ARC(TRANS, L_TRANS);

static const struct tcp_arc *tcp_arc(const struct nat64_op *op,
				     const struct nat64_session *s,
				     bool from6, enum tcp_kind k)
{
	if (k == K_RST && op->cfg->nat64.handle_rst_during_fin_rcv &&
	    (s->state == NAT64_TCP_V4_FIN_RCV ||
	     s->state == NAT64_TCP_V6_FIN_RCV))
		return &rst_in_fin_rcv;
	return &tcp_arcs[s->state][from6][k];
}

static void tcp_step(struct nat64_op *op, struct nat64_session *s,
		     bool from6, uint8_t flags)
{
	const struct tcp_arc *a = tcp_arc(op, s, from6, tcp_kind(flags));

	if (a->state)
		s->state = a->state;
	if (a->life == L_EST)
		nat64_sess_touch(op, s, NAT64_T_TCP_EST);
	else if (a->life == L_TRANS)
		nat64_sess_touch(op, s, NAT64_T_TCP_TRANS);
}

/* --- from the IPv6 side ---------------------------------------------------- */

/* A waiting IPv4 SYN this IPv6 SYN answers: same remote, same port. */
static struct nat64_session *waiting_for(const struct nat64_state *st,
					 const struct nat64_flow *f)
{
	for (struct nat64_session *s = st->thead[NAT64_T_TCP_SYN]; s;
	     s = s->tnext)
		if (!s->bib && s->remote4.s_addr == f->dst4.s_addr &&
		    s->rport == f->dport && s->lport4 == f->sport &&
		    !nat64_bib_find4(st, CONFIG_L4_TCP, &s->local4, s->lport4))
			return s;
	return NULL;
}

/* The binding of the IPv6 source, made if needed; NULL with r set. */
static struct nat64_bib *bib_for6(struct nat64_op *op,
				  const struct nat64_flow *f, bool *made,
				  struct nat64_result *r)
{
	struct nat64_state *st = op->st;
	const struct config_nat64 *n = &op->cfg->nat64;
	struct nat64_bib *b = nat64_bib_find6(st, f->l4, &f->src6, f->sport);
	struct nat64_session *w = NULL;
	struct in_addr a4;
	uint16_t p4;
	uint64_t nb = st->nbib[0] + st->nbib[1] + st->nbib[2];

	*made = false;
	if (b)
		return b;
	if (n->max_bib_entries && nb >= n->max_bib_entries) {
		refuse(r, XLAT_CNT_DROP_NAT64_BIB_LIMIT, ICMP6_DST_UNREACH,
		       ICMP6_DST_UNREACH_ADDR);
		return NULL;
	}
	if (f->l4 == CONFIG_L4_TCP)
		w = waiting_for(st, f);
	/* Never another customer's deterministic port (nat64_det.h). */
	if (w && !nat64_det_fits(st, &f->src6, &w->local4, w->lport4))
		w = NULL;
	if (w) {
		a4 = w->local4;
		p4 = w->lport4;
	} else if (nat64_pool4_alloc(op, f->l4, &f->src6, f->sport, &f->dst4,
				     f->dport, &a4, &p4)) {
		refuse(r, XLAT_CNT_DROP_NAT64_POOL4, ICMP6_DST_UNREACH,
		       ICMP6_DST_UNREACH_ADDR);
		return NULL;
	}
	b = nat64_bib_add(op, f->l4, &f->src6, f->sport, &a4, p4, false);
	if (!b)
		drop(r, XLAT_CNT_DROP_NAT64_NO_MEMORY);
	*made = b != NULL;
	return b;
}

/*
 * The session the IPv4 side already has for this IPv6 SYN: a waiting IPv4
 * SYN, which this completes (RFC 5382 REQ-4: the kept SYN is dropped, the
 * IPv6 one goes through), or one made when pool6 mapped the remote end
 * differently (it stays as it is).
 */
static struct nat64_session *adopt(struct nat64_op *op, struct nat64_bib *b,
				   const struct nat64_flow *f)
{
	struct nat64_session *s = nat64_sess_find4(op->st, f->l4,
						   &b->addr4, b->port4,
						   &f->dst4, f->dport);

	if (!s || s->bib)
		return s;
	if (nat64_sess_bind(op, s, b))
		return NULL;
	free(s->stored);
	s->stored = NULL;
	op->st->nstored--;
	s->state = NAT64_TCP_ESTABLISHED;
	nat64_sess_touch(op, s, NAT64_T_TCP_EST);
	xlat_count(op->stats, XLAT_CNT_NAT64_SO_OPENED);
	return s;
}

static void new_session6(struct nat64_op *op, const struct nat64_flow *f,
			 struct nat64_bib *b, bool made,
			 struct nat64_result *r)
{
	struct nat64_remote rem = { f->dst4, f->dst6, f->dport };
	bool tcp = f->l4 == CONFIG_L4_TCP;
	struct nat64_session *s = adopt(op, b, f);
	int why;

	if (!s)
		s = nat64_sess_add(op, f->l4, b, &b->addr4, b->port4, &rem,
				   tcp ? NAT64_T_TCP_TRANS : l4_timer(f->l4),
				   &why);
	if (!s) {
		if (why == XLAT_CNT_DROP_NAT64_NO_MEMORY)
			drop(r, why);
		else
			refuse(r, why, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_ADDR);
		if (made)
			nat64_bib_remove(op, b);
		return;
	}
	if (tcp && s->state == NAT64_TCP_CLOSED)
		s->state = NAT64_TCP_V6_INIT;
	pass(r, s);
}

/* logging-debug: a packet refused or dropped, and why (its counter). */
static void debug_line(struct nat64_op *op, const struct nat64_flow *f,
		       bool from6, const struct nat64_result *r)
{
	struct nat64_event ev;

	if (r->v != NAT64_DROP && r->v != NAT64_REFUSE)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.l4 = f->l4;
	ev.from6 = from6;
	ev.v6 = f->src6;
	ev.port6 = f->sport;
	ev.dst6 = f->dst6;
	ev.dst4 = from6 ? f->dst4 : f->src4;
	ev.dport = from6 ? f->dport : f->sport;
	ev.v4 = f->dst4;
	ev.port4 = f->dport;
	ev.why = (unsigned int)r->reason < XLAT_CNT_MAX ?
		 xlat_counter_info[r->reason].name : "?";
	nat64_log_debug(op, &ev);
}

void nat64_in6(struct nat64_op *op, const struct nat64_flow *f,
	       struct nat64_result *r)
{
	struct nat64_state *st = op->st;
	bool tcp = f->l4 == CONFIG_L4_TCP, made;
	struct nat64_session *s;
	struct nat64_bib *b;

	memset(r, 0, sizeof(*r));
	s = nat64_sess_find6(st, f->l4, &f->src6, f->sport, &f->dst6,
			     f->dport);
	if (s) {
		if (tcp)
			tcp_step(op, s, true, f->tcp_flags);
		else
			nat64_sess_touch(op, s, l4_timer(f->l4));
		pass(r, s);
		return;
	}
	/* CLOSED: only a SYN opens a TCP session. */
	if (tcp && !(f->tcp_flags & NAT64_TCP_SYN)) {
		drop(r, XLAT_CNT_DROP_NAT64_NO_SESSION);
		debug_line(op, f, true, r);
		return;
	}
	b = bib_for6(op, f, &made, r);
	if (b)
		new_session6(op, f, b, made, r);
	debug_line(op, f, true, r);
}

/* --- from the IPv4 side ---------------------------------------------------- */

static bool filtered(const struct nat64_op *op, const struct nat64_bib *b,
		     const struct nat64_flow *f)
{
	return op->cfg->nat64.address_dependent_filtering &&
	       !nat64_bib_knows(b, &f->src4);
}

static void new_session4(struct nat64_op *op, const struct nat64_flow *f,
			 struct nat64_bib *b, enum nat64_timer t,
			 struct nat64_result *r)
{
	struct nat64_remote rem = { f->src4, f->src6, f->sport };
	struct nat64_session *s;
	int why;

	s = nat64_sess_add(op, f->l4, b, &b->addr4, b->port4, &rem, t, &why);
	if (!s) {
		if (why == XLAT_CNT_DROP_NAT64_NO_MEMORY)
			drop(r, why);
		else
			refuse(r, why, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED);
		return;
	}
	if (f->l4 == CONFIG_L4_TCP)
		s->state = NAT64_TCP_V4_INIT;
	pass(r, s);
}

/* UDP and ICMP queries (RFC 6146 3.5.1 and 3.5.3). */
static void in4_dgram(struct nat64_op *op, const struct nat64_flow *f,
		      struct nat64_result *r)
{
	struct nat64_bib *b = nat64_bib_find4(op->st, f->l4, &f->dst4,
					      f->dport);
	struct nat64_session *s;

	if (!b) {
		refuse(r, XLAT_CNT_DROP_NAT64_NO_BIB, ICMP_DEST_UNREACH,
		       f->l4 == CONFIG_L4_UDP ? ICMP_PORT_UNREACH
					      : ICMP_HOST_UNREACH);
		return;
	}
	s = nat64_sess_find4(op->st, f->l4, &f->dst4, f->dport, &f->src4,
			     f->sport);
	if (s) {
		nat64_sess_touch(op, s, l4_timer(f->l4));
		pass(r, s);
	} else if (filtered(op, b, f)) {
		refuse(r, XLAT_CNT_DROP_NAT64_FILTERED, ICMP_DEST_UNREACH,
		       ICMP_PKT_FILTERED);
	} else {
		new_session4(op, f, b, l4_timer(f->l4), r);
	}
}

/* Keeps an IPv4 SYN that no binding (or filtering) lets in, 6 s. */
static void keep_syn(struct nat64_op *op, const struct nat64_flow *f,
		     const uint8_t *keep, size_t len, bool v6,
		     struct nat64_result *r)
{
	struct nat64_state *st = op->st;
	struct nat64_remote rem = { f->src4, f->src6, f->sport };
	struct nat64_stored *k;
	struct nat64_session *s;
	int why;

	if (st->nstored >= op->cfg->nat64.max_stored_packets) {
		refuse(r, XLAT_CNT_DROP_NAT64_SO_FULL, ICMP_DEST_UNREACH,
		       ICMP_PORT_UNREACH);
		return;
	}
	k = malloc(sizeof(*k) + len);
	if (!k) {
		drop(r, XLAT_CNT_DROP_NAT64_NO_MEMORY);
		return;
	}
	s = nat64_sess_add(op, CONFIG_L4_TCP, NULL, &f->dst4, f->dport, &rem,
			   NAT64_T_TCP_SYN, &why);
	if (!s) {
		free(k);
		refuse(r, why, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED);
		return;
	}
	k->v6 = v6;
	k->len = (uint32_t)len;
	memcpy(k->data, keep, len);
	s->stored = k;
	s->state = NAT64_TCP_V4_INIT;
	st->nstored++;
	r->v = NAT64_STORED;
	r->reason = XLAT_CNT_NAT64_SO_STORED;
	r->s = s;
}

static void in4_tcp(struct nat64_op *op, const struct nat64_flow *f,
		    const uint8_t *keep, size_t keep_len, bool keep_v6,
		    struct nat64_result *r)
{
	struct nat64_session *s = nat64_sess_find4(op->st, CONFIG_L4_TCP,
						   &f->dst4, f->dport,
						   &f->src4, f->sport);
	struct nat64_bib *b;

	if (s && !s->bib) {
		drop(r, XLAT_CNT_DROP_NAT64_SO_WAIT);
	} else if (s) {
		tcp_step(op, s, false, f->tcp_flags);
		pass(r, s);
	} else if (!(f->tcp_flags & NAT64_TCP_SYN)) {
		drop(r, XLAT_CNT_DROP_NAT64_NO_SESSION);
	} else if (op->cfg->nat64.drop_externally_initiated_tcp) {
		drop(r, XLAT_CNT_DROP_NAT64_EXT_TCP);
	} else {
		b = nat64_bib_find4(op->st, CONFIG_L4_TCP, &f->dst4, f->dport);
		if (b && !filtered(op, b, f))
			new_session4(op, f, b, NAT64_T_TCP_TRANS, r);
		else
			keep_syn(op, f, keep, keep_len, keep_v6, r);
	}
}

void nat64_in4(struct nat64_op *op, const struct nat64_flow *f,
	       const uint8_t *keep, size_t keep_len, bool keep_v6,
	       struct nat64_result *r)
{
	memset(r, 0, sizeof(*r));
	if (f->l4 == CONFIG_L4_TCP)
		in4_tcp(op, f, keep, keep_len, keep_v6, r);
	else
		in4_dgram(op, f, r);
	debug_line(op, f, false, r);
}

/* --- expiry ------------------------------------------------------------------ */

/* RFC 6146 3.5.2.2: an idle established session turns transitory first
 * (a chance for the probe the RFC suggests; none is sent here). */
static int expire_one(struct nat64_op *op, struct nat64_session *s,
		      int (*answer)(void *, const struct nat64_stored *),
		      void *arg)
{
	if (s->l4 == CONFIG_L4_TCP && s->state == NAT64_TCP_ESTABLISHED) {
		s->state = NAT64_TCP_TRANS;
		nat64_sess_touch(op, s, NAT64_T_TCP_TRANS);
		return 0;
	}
	if (s->stored) {
		if (answer && answer(arg, s->stored))
			return -1;	/* no room for the answer: later */
		xlat_count(op->stats, XLAT_CNT_NAT64_SO_EXPIRED);
	}
	xlat_count(op->stats, XLAT_CNT_NAT64_SESSION_EXPIRED);
	op->st->why = "expired";
	nat64_sess_remove(op, s);
	op->st->why = NULL;
	return 0;
}

size_t nat64_expire(struct nat64_op *op, size_t budget,
		    int (*answer)(void *arg, const struct nat64_stored *kept),
		    void *arg)
{
	struct nat64_state *st = op->st;
	size_t done = 0;

	for (int t = 0; t < NAT64_T_COUNT; t++) {
		struct nat64_session *s;

		while (done < budget && (s = st->thead[t]) != NULL &&
		       nat64_sess_deadline(s, op->cfg) <= op->now) {
			if (expire_one(op, s, answer, arg))
				return budget;
			done++;
		}
	}
	return done;
}

int64_t nat64_next_expiry(const struct nat64_state *st,
			  const struct config *cfg)
{
	/* A reader: only the mutex of the const state moves. */
	struct nat64_state *m = (struct nat64_state *)(uintptr_t)st;
	int64_t next = INT64_MAX;

	nat64_lock(m);
	for (int t = 0; t < NAT64_T_COUNT; t++) {
		if (st->thead[t]) {
			int64_t d = nat64_sess_deadline(st->thead[t], cfg);

			if (d < next)
				next = d;
		}
	}
	nat64_unlock(m);
	return next;
}
