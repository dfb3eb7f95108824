// SPDX-License-Identifier: GPL-2.0-or-later
#include "ratelimit.h"

#define RL_MILLI	1000u

void ratelimit_init(struct ratelimit *rl, uint32_t rate, uint32_t burst,
		    int64_t now_ms)
{
	rl->rate = rate;
	rl->burst = burst;
	rl->milli = (uint64_t)burst * RL_MILLI;
	rl->last_ms = now_ms;
}

void ratelimit_set(struct ratelimit *rl, uint32_t rate, uint32_t burst)
{
	rl->rate = rate;
	rl->burst = burst;
	if (rl->milli > (uint64_t)burst * RL_MILLI)
		rl->milli = (uint64_t)burst * RL_MILLI;
}

/* rate tokens per 1000 ms = rate milli-tokens per ms. */
static void ratelimit_refill(struct ratelimit *rl, int64_t now_ms)
{
	uint64_t cap = (uint64_t)rl->burst * RL_MILLI;
	uint64_t elapsed;

	if (now_ms <= rl->last_ms)
		return;		/* a clock that went back adds nothing */
	elapsed = (uint64_t)(now_ms - rl->last_ms);
	rl->last_ms = now_ms;
	/* Past a full bucket's worth of time the answer is "full". */
	if (elapsed >= cap / rl->rate + 1) {
		rl->milli = cap;
		return;
	}
	rl->milli += elapsed * rl->rate;
	if (rl->milli > cap)
		rl->milli = cap;
}

bool ratelimit_take(struct ratelimit *rl, int64_t now_ms)
{
	if (!rl->rate)
		return true;
	ratelimit_refill(rl, now_ms);
	if (rl->milli < RL_MILLI)
		return false;
	rl->milli -= RL_MILLI;
	return true;
}
