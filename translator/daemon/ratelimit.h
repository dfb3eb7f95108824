/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Token bucket for the ICMP errors the translator originates (RFC 4443
 * section 2.4 (f) requires limiting ICMPv6 errors; RFC 1812 4.3.2.8 asks
 * the same of IPv4 routers). rate tokens arrive per second up to burst;
 * each error takes one. Time is given by the caller (monotonic ms), so
 * the bucket is testable without sleeping.
 */
#ifndef TRANSLATOR_RATELIMIT_H
#define TRANSLATOR_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	uint32_t rate;		/* tokens per second; 0: unlimited */
	uint32_t burst;		/* bucket size */
	uint64_t milli;		/* tokens held, in thousandths */
	int64_t last_ms;	/* time of the last refill */
};

/* Starts with a full bucket. */
void ratelimit_init(struct ratelimit *rl, uint32_t rate, uint32_t burst,
		    int64_t now_ms);
/* Changes rate and burst (reload), keeping the tokens held (capped). */
void ratelimit_set(struct ratelimit *rl, uint32_t rate, uint32_t burst);
/* Takes one token: true if the error may be sent. */
bool ratelimit_take(struct ratelimit *rl, int64_t now_ms);

#endif
