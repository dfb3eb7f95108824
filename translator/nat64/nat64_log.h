/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT64 logging (what an ISP must keep to answer "who had 192.0.2.1
 * port 61001 at that time?"): the state reports each binding, session
 * and port block made and removed, and, for logging-debug, each packet
 * it refuses or drops, to a hook its owner installs. The library never
 * writes anywhere itself: the daemon's hook queues lines for its main
 * thread (translator/daemon/daemon_natlog.c), a test's hook collects them.
 *
 * The hook runs under the state's lock, on whichever thread changed the
 * state (a worker, or the main thread's timers): it must be quick and
 * must not call back into the state. The configuration in force decides
 * what is reported (logging-bib, logging-session, logging-debug), so a
 * reload turns each on or off at once.
 *
 * nat64_event_format gives the one documented line of an event
 * (docs/nat-logging.md, translator.conf(5)); the format is stable.
 */
#ifndef TRANSLATOR_NAT64_LOG_H
#define TRANSLATOR_NAT64_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "nat64_state.h"

enum nat64_ev {
	NAT64_EV_BIB_ADD,
	NAT64_EV_BIB_DEL,
	NAT64_EV_SESS_ADD,
	NAT64_EV_SESS_DEL,
	NAT64_EV_BLOCK_ADD,
	NAT64_EV_BLOCK_DEL,
	NAT64_EV_DEBUG,
};

/*
 * One event. Bindings and sessions: v6#port6 <-> v4#port4, sessions
 * with the remote end dst4/dst6#dport. Blocks: the prefix v6/plen and
 * ports port4..port4_last of v4. Debug: a packet from the IPv6 side
 * (from6: v6#port6 to dst6#dport) or the IPv4 one (dst4#dport to
 * v4#port4), and why, the counter it went to.
 */
struct nat64_event {
	enum nat64_ev type;
	enum config_l4 l4;
	struct in6_addr v6;
	uint16_t port6;
	uint8_t plen;
	struct in_addr v4;
	uint16_t port4, port4_last;
	struct in6_addr dst6;
	struct in_addr dst4;
	uint16_t dport;
	bool is_static;
	bool from6;
	const char *why;	/* removals: "expired", ...; debug: counter */
	int64_t now_ms;		/* the state's clock */
};

struct nat64_log_ops {
	/* 0, or -1 when the line was lost (nat64_log_dropped counts it). */
	int (*event)(void *arg, const struct nat64_event *ev);
};

/* Installs (or, ops NULL, removes) the hook; before any thread uses
 * the state, or under its lock. */
void nat64_state_set_log(struct nat64_state *st,
			 const struct nat64_log_ops *ops, void *arg);

/*
 * The line of ev (no newline) at wall-clock time wall_ms (ms since the
 * epoch, written in UTC), into buf. Returns its length, or -1 when
 * len is too short (buf then holds a cut line).
 */
int nat64_event_format(const struct nat64_event *ev, int64_t wall_ms,
		       char *buf, size_t len);
/* The longest line nat64_event_format writes, with its NUL. */
#define NAT64_EVENT_LINE_MAX	256

/* The state's reports (nat64_state.c, nat64_block.c, nat64_flow.c). */
void nat64_log_bib(struct nat64_op *op, const struct nat64_bib *b, bool add);
void nat64_log_sess(struct nat64_op *op, const struct nat64_session *s,
		    bool add);
void nat64_log_block(struct nat64_op *op, const struct nat64_block *k,
		     bool add);
void nat64_log_debug(struct nat64_op *op, const struct nat64_event *ev);

#endif
