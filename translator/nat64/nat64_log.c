// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAT64 log events and their lines (see nat64_log.h). One line per
 * event, "NAT64 <what> <add|del>" then key=value fields, always in the
 * same order, addresses in their RFC 5952 text form (IPv6 transport
 * addresses in brackets, RFC 5952 section 6), the time last in ISO 8601
 * UTC with milliseconds: grep and awk read them without a parser.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "config.h"
#include "nat64_log.h"

void nat64_state_set_log(struct nat64_state *st,
			 const struct nat64_log_ops *ops, void *arg)
{
	st->log_ops = ops;
	st->log_arg = arg;
}

/* --- emitting ------------------------------------------------------------- */

static void emit(struct nat64_op *op, struct nat64_event *ev)
{
	const struct nat64_state *st = op->st;

	ev->now_ms = op->now;
	if (st->log_ops->event(st->log_arg, ev))
		xlat_count(op->stats, XLAT_CNT_NAT64_LOG_DROPPED);
}

static bool hooked(const struct nat64_op *op)
{
	return op->st->log_ops && op->cfg;
}

static const char *why(const struct nat64_op *op)
{
	return op->st->why ? op->st->why : "removed";
}

void nat64_log_bib(struct nat64_op *op, const struct nat64_bib *b, bool add)
{
	struct nat64_event ev;

	if (!hooked(op) || !op->cfg->nat64.logging_bib)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = add ? NAT64_EV_BIB_ADD : NAT64_EV_BIB_DEL;
	ev.l4 = b->l4;
	ev.v6 = b->addr6;
	ev.port6 = b->port6;
	ev.v4 = b->addr4;
	ev.port4 = b->port4;
	ev.is_static = b->is_static;
	ev.why = why(op);
	emit(op, &ev);
}

void nat64_log_sess(struct nat64_op *op, const struct nat64_session *s,
		    bool add)
{
	struct nat64_event ev;

	/* A waiting IPv4 SYN has no IPv6 host yet: logged once bound. */
	if (!hooked(op) || !op->cfg->nat64.logging_session || !s->bib)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = add ? NAT64_EV_SESS_ADD : NAT64_EV_SESS_DEL;
	ev.l4 = s->l4;
	ev.v6 = s->bib->addr6;
	ev.port6 = s->bib->port6;
	ev.v4 = s->local4;
	ev.port4 = s->lport4;
	ev.dst4 = s->remote4;
	ev.dst6 = s->remote6;
	ev.dport = s->rport;
	ev.why = why(op);
	emit(op, &ev);
}

void nat64_log_block(struct nat64_op *op, const struct nat64_block *k,
		     bool add)
{
	struct nat64_event ev;

	if (!hooked(op) || !op->cfg->nat64.logging_bib)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = add ? NAT64_EV_BLOCK_ADD : NAT64_EV_BLOCK_DEL;
	ev.l4 = k->owner->l4;
	ev.v6 = k->owner->pfx;
	ev.plen = k->owner->len;
	ev.v4 = k->addr4;
	ev.port4 = k->lo;
	ev.port4_last = k->hi;
	ev.why = why(op);
	emit(op, &ev);
}

void nat64_log_debug(struct nat64_op *op, const struct nat64_event *ev)
{
	struct nat64_event e = *ev;

	if (!hooked(op) || !op->cfg->nat64.logging_debug)
		return;
	e.type = NAT64_EV_DEBUG;
	emit(op, &e);
}

/* --- formatting ----------------------------------------------------------- */

struct lbuf {
	char *p;
	size_t len, n;
	bool cut;
};

static void put(struct lbuf *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct lbuf *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->cut)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->p + l->n, l->len - l->n, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->len - l->n) {
		l->cut = true;
		return;
	}
	l->n += (size_t)n;
}

static void put6(struct lbuf *l, const char *key, const struct in6_addr *a,
		 uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	put(l, " %s=[%s]:%u", key, inet_ntop(AF_INET6, a, s, sizeof(s)), port);
}

static void put4(struct lbuf *l, const char *key, const struct in_addr *a,
		 uint16_t port)
{
	char s[INET_ADDRSTRLEN];

	put(l, " %s=%s:%u", key, inet_ntop(AF_INET, a, s, sizeof(s)), port);
}

static void put_time(struct lbuf *l, int64_t wall_ms)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;

	if (!gmtime_r(&secs, &tm)) {
		put(l, " time=?");
		return;
	}
	put(l, " time=%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(wall_ms % 1000));
}

static bool is_del(enum nat64_ev t)
{
	return t == NAT64_EV_BIB_DEL || t == NAT64_EV_SESS_DEL ||
	       t == NAT64_EV_BLOCK_DEL;
}

static void put_block(struct lbuf *l, const struct nat64_event *ev)
{
	char s6[INET6_ADDRSTRLEN], s4[INET_ADDRSTRLEN];

	put(l, " v6=%s/%u v4=%s ports=%u-%u",
	    inet_ntop(AF_INET6, &ev->v6, s6, sizeof(s6)), ev->plen,
	    inet_ntop(AF_INET, &ev->v4, s4, sizeof(s4)), ev->port4,
	    ev->port4_last);
}

static void put_debug(struct lbuf *l, const struct nat64_event *ev)
{
	if (ev->from6) {
		put(l, " from=v6");
		put6(l, "src", &ev->v6, ev->port6);
		put6(l, "dst", &ev->dst6, ev->dport);
	} else {
		put(l, " from=v4");
		put4(l, "src", &ev->dst4, ev->dport);
		put4(l, "dst", &ev->v4, ev->port4);
	}
	put(l, " reason=%s", ev->why ? ev->why : "?");
}

static const char *const ev_names[] = {
	[NAT64_EV_BIB_ADD] = "BIB add",
	[NAT64_EV_BIB_DEL] = "BIB del",
	[NAT64_EV_SESS_ADD] = "session add",
	[NAT64_EV_SESS_DEL] = "session del",
	[NAT64_EV_BLOCK_ADD] = "block add",
	[NAT64_EV_BLOCK_DEL] = "block del",
	[NAT64_EV_DEBUG] = "debug",
};

int nat64_event_format(const struct nat64_event *ev, int64_t wall_ms,
		       char *buf, size_t len)
{
	struct lbuf l = { buf, len, 0, len == 0 };
	enum nat64_ev t = ev->type;

	put(&l, "NAT64 %s proto=%s", ev_names[t], config_l4_name(ev->l4));
	if (t == NAT64_EV_BLOCK_ADD || t == NAT64_EV_BLOCK_DEL) {
		put_block(&l, ev);
	} else if (t == NAT64_EV_DEBUG) {
		put_debug(&l, ev);
	} else {
		put6(&l, "v6", &ev->v6, ev->port6);
		put4(&l, "v4", &ev->v4, ev->port4);
	}
	if (t == NAT64_EV_SESS_ADD || t == NAT64_EV_SESS_DEL) {
		put4(&l, "dst4", &ev->dst4, ev->dport);
		put6(&l, "dst6", &ev->dst6, ev->dport);
	}
	if (t == NAT64_EV_BIB_ADD || t == NAT64_EV_BIB_DEL)
		put(&l, " static=%s", ev->is_static ? "yes" : "no");
	if (is_del(t))
		put(&l, " reason=%s", ev->why ? ev->why : "removed");
	put_time(&l, wall_ms);
	return l.cut ? -1 : (int)l.n;
}
