/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stateful NAT64 (RFC 6146) on the translation core: what its users (the
 * daemon, `transctl replay`, the tests) call. The core knows none of it:
 * nat64_xlat_attach installs NAT64's address mapping on a context, and
 * xlat_packet then asks the state for every packet of mode nat64.
 */
#ifndef TRANSLATOR_NAT64_XLAT_H
#define TRANSLATOR_NAT64_XLAT_H

#include <stdint.h>

#include "xlat.h"

struct nat64_state;

/*
 * Gives ctx the NAT64 mapping over st (nat64_state.h), or takes it away
 * (st NULL: mode nat64 then translates nothing). At set-up, and whenever
 * the state is replaced; never per packet. The owner keeps st in sync
 * with ctx->cfg (nat64_state_sync).
 */
void nat64_xlat_attach(struct xlat_ctx *ctx, struct nat64_state *st);

/*
 * Expires what is due at now_ms (the clock of xlat_in.now_ms), appending
 * to out the ICMP errors that answer IPv4 SYNs kept in vain (RFC 6146
 * 3.5.2.2). Returns 1 when out filled up before everything due was done
 * (send out, reset it and call again), else 0 (also with no state
 * attached). Call it at least every second or so, and at
 * nat64_next_expiry (nat64_flow.h).
 */
int nat64_xlat_timers(struct xlat_ctx *ctx, int64_t now_ms,
		      struct xlat_out *out);

#endif
