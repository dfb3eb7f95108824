// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The core in mode nat64 (RFC 6146): where SIIT maps addresses by rule,
 * NAT64 asks its state. From the IPv6 side the destination comes out of
 * pool6 (RFC 6052) and the source is the binding's pool4 address and
 * port; from the IPv4 side the reverse. ICMP errors are translated
 * through the session of the packet they quote (RFC 6146 3.5.4), and a
 * packet from the IPv6 side to a NAT64 address comes back in
 * (hairpinning, section 3.8). The headers themselves are SIIT's.
 *
 * Fragments: only the first one carries the ports, so the core gathers
 * them first (xlat_reasm.c, the reassembler SIIT uses for ICMP) and the
 * whole packet comes here, then is fragmented again for the egress MTU
 * as SIIT does.
 *
 * All of it is the core's address-mapping interface (struct
 * xlat_map_ops, xlat_priv.h), which nat64_xlat_attach installs: the core
 * calls it and never names NAT64.
 */
#include "nat64_flow.h"
#include "nat64_xlat.h"
#include "xlat_priv.h"

/* The most of a kept SYN an ICMP error can quote. */
#define KEEP4_MAX	(ICMP4_ERR_MAX - IP4_HLEN - ICMP_HLEN)
#define KEEP6_MAX	(ICMP6_ERR_MAX - IP6_HLEN - ICMP_HLEN)

static bool is_echo4(uint8_t type)
{
	return type == ICMP_ECHO || type == ICMP_ECHOREPLY;
}

static bool is_echo6(uint8_t type)
{
	return type == ICMP6_ECHO_REQUEST || type == ICMP6_ECHO_REPLY;
}

/*
 * Whether the destination of the packet addrs64 just mapped is one of
 * the NAT64's own addresses, found under the lock addrs64 already held,
 * for the hairpin question the core asks next (xlat_64.c) about the same
 * call: one lock per packet instead of two. Per thread, and used once.
 */
struct own4_memo {
	const struct xlat_call *c;
	struct in_addr dst4;
	bool own;
};

static _Thread_local struct own4_memo own4_memo;

/* The state the context was given (nat64_xlat_attach). */
static struct nat64_state *state_of(const struct xlat_call *c)
{
	return c->ctx->map_arg;
}

/* --- what a packet says to the state ----------------------------------- */

/*
 * Ports, identifier and flags at l4 (avail bytes) for the state. v6: the
 * ICMP is ICMPv6. local_src: the source is the NAT64's side of the flow
 * (an ICMP identifier then goes to sport, else to dport).
 */
static int flow_l4(uint8_t proto, const uint8_t *l4, size_t avail, bool v6,
		   bool local_src, struct nat64_flow *f)
{
	switch (proto) {
	case IPPROTO_TCP:
		if (avail < 14)
			return XLAT_CNT_DROP_TRUNCATED;
		f->l4 = CONFIG_L4_TCP;
		f->tcp_flags = l4[13];
		break;
	case IPPROTO_UDP:
		if (avail < 8)
			return XLAT_CNT_DROP_TRUNCATED;
		f->l4 = CONFIG_L4_UDP;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (avail < ICMP_HLEN)
			return XLAT_CNT_DROP_TRUNCATED;
		if (v6 ? !is_echo6(l4[0]) : !is_echo4(l4[0]))
			return XLAT_CNT_DROP_ICMP_UNTRANSLATABLE;
		f->l4 = CONFIG_L4_ICMP;
		/* The identifier is the local "port"; the remote one is 0. */
		f->sport = local_src ? rd16(l4 + ICMP_ID_OFF) : 0;
		f->dport = local_src ? 0 : rd16(l4 + ICMP_ID_OFF);
		return 0;
	default:
		return XLAT_CNT_DROP_NAT64_PROTO;
	}
	f->sport = rd16(l4);
	f->dport = rd16(l4 + 2);
	return 0;
}

static struct nat64_op op_of(const struct xlat_call *c)
{
	struct nat64_op op;

	nat64_op_init(&op, state_of(c), c->ctx->cfg, c->ctx->stats, c->now_ms);
	return op;
}

/* --- IPv6 -> IPv4 ---------------------------------------------------------- */

static bool icmp6_error_pkt(const struct pkt6 *pi)
{
	return pi->proto == IPPROTO_ICMPV6 && !pkt6_is_frag(pi) &&
	       pkt6_l4_avail(pi) >= 1 && icmp6_is_error(pi->p[pi->l4_off]);
}

/*
 * The session of a packet quoted in an ICMPv6 error: it went from the
 * remote end (its source) to the IPv6 host (its destination).
 */
static struct nat64_session *quoted6(const struct xlat_call *c,
				     const struct pkt6 *in)
{
	struct nat64_flow f = { .l4 = CONFIG_L4_TCP };
	struct in6_addr local, remote;
	struct nat64_session *s;

	/* A reply quoted: local and remote swap, and so do the ports. */
	if (in->frag_off || flow_l4(in->proto, in->p + in->l4_off,
				    pkt6_l4_avail(in), true, false, &f))
		return NULL;
	memcpy(&remote, in->p + IP6_SRC, 16);
	memcpy(&local, in->p + IP6_DST, 16);
	s = nat64_sess_find6(state_of(c), f.l4, &local, f.dport, &remote,
			     f.sport);
	return s && s->bib ? s : NULL;
}

static int quoted6_parse(const struct pkt6 *pi, struct pkt6 *in)
{
	size_t off = pi->l4_off + ICMP_HLEN;

	if (pi->avail < off)
		return XLAT_CNT_DROP_TRUNCATED;
	return pkt6_parse(pi->p + off, pi->avail - off, true, in) ?
	       XLAT_CNT_DROP_ICMP_INNER : 0;
}

static int error64_addrs(struct xlat_call *c, const struct pkt6 *pi,
			 struct in_addr *src4, struct in_addr *dst4)
{
	struct nat64_session *s;
	struct pkt6 in;
	int err = quoted6_parse(pi, &in);

	if (err)
		return err;
	nat64_lock(state_of(c));
	s = quoted6(c, &in);
	if (s) {
		*src4 = s->local4;
		*dst4 = s->remote4;
	}
	nat64_unlock(state_of(c));
	return s ? 0 : XLAT_CNT_DROP_ICMP_INNER;
}

static int inner64(struct xlat_call *c, const struct pkt6 *in,
		   struct in_addr *src4, struct in_addr *dst4,
		   struct xlat_fix *fix)
{
	struct nat64_session *s;

	nat64_lock(state_of(c));
	s = quoted6(c, in);
	if (s) {
		*src4 = s->remote4;
		*dst4 = s->local4;
		fix->what = s->l4 == CONFIG_L4_ICMP ? XLAT_FIX_ID :
						      XLAT_FIX_DST;
		fix->port = s->lport4;
	}
	nat64_unlock(state_of(c));
	return s ? 0 : XLAT_CNT_DROP_ICMP_INNER;
}

static bool in_pool6(const struct xlat_ctx *ctx, const uint8_t *a6)
{
	struct in6_addr a;

	memcpy(&a, a6, 16);
	return ctx->cfg->pool6_set && prefix6_contains(&ctx->cfg->pool6, &a);
}

static int pool6_extract(const struct xlat_ctx *ctx, const uint8_t *a6,
			 struct in_addr *a4)
{
	struct in6_addr a;

	memcpy(&a, a6, 16);
	return map_result(addrmap_6to4(ctx->cfg, &a, a4, NULL));
}

static int addrs64(struct xlat_call *c, const struct pkt6 *pi,
		   struct in_addr *src4, struct in_addr *dst4,
		   struct xlat_fix *fix)
{
	const struct xlat_ctx *ctx = c->ctx;
	struct nat64_flow f;
	struct nat64_result r;
	struct nat64_op op;
	int err;

	fix->what = XLAT_FIX_NONE;
	/* A source under pool6 stands for an IPv4 node: spoofed or looped. */
	if (in_pool6(ctx, pi->p + IP6_SRC))
		return XLAT_CNT_DROP_LOOP;
	if (icmp6_error_pkt(pi))
		return error64_addrs(c, pi, src4, dst4);
	if (pkt6_is_frag(pi) && pi->frag_off)
		return XLAT_CNT_DROP_NAT64_FRAG;
	memset(&f, 0, sizeof(f));
	err = flow_l4(pi->proto, pi->p + pi->l4_off, pkt6_l4_avail(pi), true,
		      true, &f);
	if (!err)
		err = pool6_extract(ctx, pi->p + IP6_DST, &f.dst4);
	if (err)
		return err;
	memcpy(&f.src6, pi->p + IP6_SRC, 16);
	memcpy(&f.dst6, pi->p + IP6_DST, 16);
	/* The session is only read under the lock; the error is built out
	 * of it, from the packet alone. */
	nat64_lock(state_of(c));
	op = op_of(c);
	nat64_in6(&op, &f, &r);
	if (r.v == NAT64_PASS) {
		*src4 = r.s->local4;
		*dst4 = r.s->remote4;
		fix->port = r.s->lport4;
		own4_memo = (struct own4_memo){
			c, *dst4, nat64_is_own4(state_of(c), dst4) };
	}
	nat64_unlock(state_of(c));
	if (r.v == NAT64_REFUSE)
		icmp6_error(c, pi->p, pi->avail, r.icmp_type, r.icmp_code, 0);
	if (r.v != NAT64_PASS)
		return r.reason;
	fix->what = f.l4 == CONFIG_L4_ICMP ? XLAT_FIX_ID : XLAT_FIX_SRC;
	return 0;
}

/*
 * RFC 6146 3.8: a destination among the NAT64's own IPv4 addresses comes
 * back in; the sender's side stands for the (yet unknown) host.
 */
static bool hairpin(const struct xlat_call *c, const struct pkt6 *pi,
		    const struct in_addr *dst4, struct in6_addr *dst6)
{
	struct own4_memo m = own4_memo;
	bool own;

	memcpy(dst6, pi->p + IP6_SRC, 16);
	own4_memo.c = NULL;
	if (m.c == c && m.dst4.s_addr == dst4->s_addr)
		return m.own;
	nat64_lock(state_of(c));
	own = nat64_is_own4(state_of(c), dst4);
	nat64_unlock(state_of(c));
	return own;
}

/* --- IPv4 -> IPv6 ---------------------------------------------------------- */

static bool icmp4_error_pkt(const struct pkt4 *pi)
{
	return pi->proto == IPPROTO_ICMP && !pkt4_is_frag(pi) &&
	       pkt4_l4_avail(pi) >= 1 && icmp4_is_error(pkt4_l4(pi)[0]);
}

/* The session of a packet quoted in an ICMPv4 error: one we sent. */
static struct nat64_session *quoted4(const struct xlat_call *c,
				     const struct pkt4 *in)
{
	struct nat64_flow f = { .l4 = CONFIG_L4_TCP };
	struct in_addr local, remote;
	struct nat64_session *s;

	if (in->frag_off || flow_l4(in->proto, pkt4_l4(in), pkt4_l4_avail(in),
				    false, true, &f))
		return NULL;
	memcpy(&local, in->p + IP4_SRC, 4);
	memcpy(&remote, in->p + IP4_DST, 4);
	s = nat64_sess_find4(state_of(c), f.l4, &local, f.sport, &remote,
			     f.dport);
	return s && s->bib ? s : NULL;
}

static int quoted4_parse(const struct pkt4 *pi, struct pkt4 *in)
{
	size_t off = pi->hlen + ICMP_HLEN;

	if (pi->avail < off)
		return XLAT_CNT_DROP_TRUNCATED;
	return pkt4_parse(pi->p + off, pi->avail - off, true, in) ?
	       XLAT_CNT_DROP_ICMP_INNER : 0;
}

/*
 * RFC 6146 3.5.4 gives a translated ICMPv6 error the source the quoted
 * packet's destination had; source-icmpv6-errors-better gives it the
 * pool6 form of the ICMPv4 error's own source instead (the router that
 * sent it), which keeps traceroute meaningful.
 */
static int error46_addrs(struct xlat_call *c, const struct pkt4 *pi,
			 struct in6_addr *src6, struct in6_addr *dst6)
{
	const struct config *cfg = c->ctx->cfg;
	struct nat64_session *s;
	struct in_addr src4;
	struct pkt4 in;
	int err = quoted4_parse(pi, &in);

	if (err)
		return err;
	s = quoted4(c, &in);	/* addrs46 holds the lock */
	if (!s)
		return XLAT_CNT_DROP_ICMP_INNER;
	*dst6 = s->bib->addr6;
	memcpy(&src4, pi->p + IP4_SRC, 4);
	/* A router with a private address cannot hide behind the WKP. */
	if (cfg->nat64.source_icmpv6_errors_better && cfg->pool6_set &&
	    addrmap_pool6_allows(cfg, &src4))
		rfc6052_embed(&cfg->pool6, &src4, src6);
	else
		*src6 = s->remote6;
	return 0;
}

static int inner46(struct xlat_call *c, const struct pkt4 *in,
		   unsigned int flags, struct in6_addr *src6,
		   struct in6_addr *dst6, struct xlat_fix *fix)
{
	struct nat64_session *s;

	(void)flags;	/* a hairpinned quote is one of our sessions too */
	nat64_lock(state_of(c));
	s = quoted4(c, in);
	if (s) {
		*src6 = s->bib->addr6;
		*dst6 = s->remote6;
		fix->what = s->l4 == CONFIG_L4_ICMP ? XLAT_FIX_ID :
						      XLAT_FIX_SRC;
		fix->port = s->bib->port6;
	}
	nat64_unlock(state_of(c));
	return s ? 0 : XLAT_CNT_DROP_ICMP_INNER;
}

/* ICMPv6 counterparts of the ICMPv4 refusals the state gives. */
static void code46(uint8_t code4, uint8_t *type6, uint8_t *code6)
{
	*type6 = ICMP6_DST_UNREACH;
	if (code4 == ICMP_PORT_UNREACH)
		*code6 = ICMP6_DST_UNREACH_NOPORT;
	else if (code4 == ICMP_PKT_FILTERED)
		*code6 = ICMP6_DST_UNREACH_ADMIN;
	else
		*code6 = ICMP6_DST_UNREACH_ADDR;
}

/* A refusal goes to the sender: for a hairpinned packet, the IPv6 one. */
static void refuse4(struct xlat_call *c, const struct pkt4 *pi,
		    const struct nat64_result *r)
{
	uint8_t t6, c6;

	if (c->hp_orig) {
		code46(r->icmp_code, &t6, &c6);
		icmp6_error(c, c->hp_orig, c->hp_orig_len, t6, c6, 0);
	} else {
		icmp4_error(c, pi->p, pi->avail, r->icmp_type, r->icmp_code, 0);
	}
}

static void state46(const struct xlat_call *c, const struct pkt4 *pi,
		    const struct nat64_flow *f, struct nat64_result *r)
{
	struct nat64_op op = op_of(c);
	const uint8_t *keep = pi->p;
	size_t len = pi->avail;
	bool v6 = c->hp_orig != NULL;

	if (v6) {
		keep = c->hp_orig;
		len = c->hp_orig_len;
	}
	if (len > (v6 ? KEEP6_MAX : KEEP4_MAX))
		len = v6 ? KEEP6_MAX : KEEP4_MAX;
	nat64_in4(&op, f, keep, len, v6, r);
}

/* addrs46 under the lock; a refusal is answered after it (r). */
static int addrs46_locked(struct xlat_call *c, const struct pkt4 *pi,
			  struct nat64_flow *f, struct nat64_result *r,
			  struct in6_addr *src6, struct in6_addr *dst6,
			  struct xlat_fix *fix)
{
	struct nat64_state *st = state_of(c);
	int err;

	/* From the NAT64's own address: only its hairpinned packets are. */
	if (!c->hp_orig && nat64_is_own4(st, &f->src4))
		return XLAT_CNT_DROP_LOOP;
	if (icmp4_error_pkt(pi))
		return error46_addrs(c, pi, src6, dst6);
	/* Not ours: no binding could be there, and no error is due. */
	if (!nat64_is_own4(st, &f->dst4))
		return XLAT_CNT_DROP_NO_MAPPING;
	if (pkt4_is_frag(pi) && pi->frag_off)
		return XLAT_CNT_DROP_NAT64_FRAG;
	err = flow_l4(pi->proto, pkt4_l4(pi), pkt4_l4_avail(pi), false, false,
		      f);
	if (!err)
		err = map_result(addrmap_4to6(c->ctx->cfg, &f->src4, &f->src6,
					      NULL));
	if (err)
		return err;
	state46(c, pi, f, r);
	if (r->v != NAT64_PASS)
		return r->reason;
	*src6 = r->s->remote6;
	*dst6 = r->s->bib->addr6;
	fix->what = f->l4 == CONFIG_L4_ICMP ? XLAT_FIX_ID : XLAT_FIX_DST;
	fix->port = r->s->bib->port6;
	return 0;
}

static int addrs46(struct xlat_call *c, const struct pkt4 *pi,
		   unsigned int flags, struct in6_addr *src6,
		   struct in6_addr *dst6, struct xlat_fix *fix)
{
	struct nat64_flow f;
	struct nat64_result r = { .v = NAT64_DROP };
	int err;

	(void)flags;	/* hairpinning is told by c->hp_orig */
	fix->what = XLAT_FIX_NONE;
	memset(&f, 0, sizeof(f));
	memcpy(&f.src4, pi->p + IP4_SRC, 4);
	memcpy(&f.dst4, pi->p + IP4_DST, 4);
	nat64_lock(state_of(c));
	err = addrs46_locked(c, pi, &f, &r, src6, dst6, fix);
	nat64_unlock(state_of(c));
	if (r.v == NAT64_REFUSE)
		refuse4(c, pi, &r);
	return err;
}

/* --- the interface the core calls ------------------------------------- */

static const struct xlat_map_ops nat64_map_ops = {
	.addrs64 = addrs64,
	.addrs46 = addrs46,
	.inner64 = inner64,
	.inner46 = inner46,
	.hairpin = hairpin,
};

void nat64_xlat_attach(struct xlat_ctx *ctx, struct nat64_state *st)
{
	ctx->map = st ? &nat64_map_ops : NULL;
	ctx->map_arg = st;
}

/* --- timers ----------------------------------------------------------- */

/* RFC 6146 3.5.2.2: a kept SYN nobody answered gets port unreachable. */
static int answer_kept(void *arg, const struct nat64_stored *k)
{
	struct xlat_call *c = arg;
	struct xlat_out *out = c->out;

	if (out->count + 1 >= XLAT_MAX_OUT ||
	    out->used + ICMP6_ERR_MAX + 8 > XLAT_ARENA_SIZE)
		return -1;
	if (k->v6)
		icmp6_error(c, k->data, k->len, ICMP6_DST_UNREACH,
			    ICMP6_DST_UNREACH_NOPORT, 0);
	else
		icmp4_error(c, k->data, k->len, ICMP_DEST_UNREACH,
			    ICMP_PORT_UNREACH, 0);
	return 0;
}

#define TIMER_BUDGET	4096u

int nat64_xlat_timers(struct xlat_ctx *ctx, int64_t now_ms,
		      struct xlat_out *out)
{
	struct xlat_call c = { .ctx = ctx, .out = out, .now_ms = now_ms };
	struct nat64_op op;
	size_t n;

	if (ctx->map != &nat64_map_ops)
		return 0;
	nat64_lock(ctx->map_arg);
	op = op_of(&c);
	n = nat64_expire(&op, TIMER_BUDGET, answer_kept, &c);
	nat64_unlock(ctx->map_arg);
	return n >= TIMER_BUDGET;
}
