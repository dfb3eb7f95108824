/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_nat64_mt's threads (see test_nat64_mt.c): what they share, and the
 * translating workers' traffic (nat64_mt_worker.c).
 */
#ifndef TEST_UNIT_NAT64_MT_H
#define TEST_UNIT_NAT64_MT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include "nat64_flow.h"
#include "nat64_xlat.h"

#define MT_WORKERS	3
#define MT_STEPS	1000		/* of the control thread: the run */
#define MT_PACE		20		/* worker rounds per step, at most */
#define MT_UDP_FLOWS	256		/* source ports a worker cycles */
#define MT_VICTIMS	16		/* ports of its victim host */
#define MT_STEP_MS	1000		/* fake clock per control step */
#define MT_UDP_TIMEOUT	300		/* s: 300 steps */
#define MT_ERR_LEN	200

struct mt_shared {
	struct nat64_state *st;
	struct config cfg_a, cfg_b;
	_Atomic int64_t clock_ms;
	atomic_bool stop;		/* the control thread is done */
	atomic_uint steps;		/* it has made */
};

struct mt_worker {
	pthread_t tid;
	int id;
	struct mt_shared *sh;
	struct xlat_ctx ctx;
	struct xlat_stats stats;
	struct xlat_out out;
	uint8_t pkt[2048], l4[2048];
	char host6[48], victim6[48], remote4[32], remote6[48];
	uint64_t rounds;
	/* verdicts */
	uint64_t sent, translated, dropped, held;
	/* checks */
	uint64_t strict_ok, replies_ok, replies_lost, static_ok, b_static_ok;
	uint64_t via3;			/* requests out of 192.0.2.3 */
	uint64_t icmp_ok, hairpin_ok, syn4, echo_ok;
	uint8_t quote[64];		/* the last request, as it left */
	uint64_t tcp_ok, failures;
	char first_failure[MT_ERR_LEN];
};

/* A worker's context on sh->st; its flows are those of worker id. */
void mt_worker_init(struct mt_worker *w, int id, struct mt_shared *sh);
void mt_ctx(struct xlat_ctx *ctx, struct xlat_stats *stats,
	    struct xlat_out *out, struct mt_shared *sh);
/* Translates until the control thread stops (pthread start routine). */
void *mt_worker_main(void *arg);

#endif
