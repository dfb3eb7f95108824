// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The translating threads (`workers N`). Worker w reads NFQUEUE queues
 * queue-tcp + w and queue-other + w, which the rules fill by a hash of
 * each flow (common/rules.c: a flow stays on one worker, in order), and
 * owns everything its packets touch: core context and counters,
 * reassembler, raw egress sockets and their sendmmsg batch, one queue of
 * the TUN device (IFF_MULTI_QUEUE), route cache, segment size table, a
 * share of the ICMP error rate. Nothing of it is locked on the way of a
 * packet; what is shared is:
 *
 *  - the configuration: an immutable snapshot the main thread publishes
 *    (d->pub, C11 atomics) and each worker reads at the start of each
 *    batch. The main thread frees the snapshot it replaced only after
 *    every worker passed a quiescent point (QSBR): started a batch after
 *    the swap, or was offline, blocked in poll() holding none (qs 0).
 *    Workers never wait for the main thread; it waits at most a batch.
 *  - the NAT64 state: one, with its own mutex (translator/nat64).
 *  - notes (struct dnote): a path MTU or the MSS of a SYN that one worker
 *    learned and the others need, since a flow's two directions come
 *    from two families and hash to different workers. Each worker has a
 *    small inbox the others post to under its mutex and that it drains
 *    at the start of each batch, into its own route cache and segment
 *    size table. Notes are rare (errors, SYNs): a mutex per note costs
 *    nothing measurable, and the tables stay private and lock-free on
 *    the per-packet path, where a shared table would take a lock per
 *    aggregate. A full inbox drops the note: a hint, relearned later.
 *  - counters: each worker copies its own under its pub_lock after each
 *    drain (and before it sleeps); `stats` and `status` sum the copies.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/random.h>

#include "daemon.h"
#include "daemon_gso.h"
#include "daemon_log.h"
#include "nat64_xlat.h"
#include "reasm.h"

/* Batches read from one queue before the other queue gets its turn. */
#define DWORKER_ROUNDS		16
/* How long the main thread sleeps between looks at a worker's qs. */
#define DWORKER_GRACE_NS	20000L

void dworker_init(struct dworker *w, struct daemon *d, unsigned int id)
{
	memset(w, 0, sizeof(*w));
	w->d = d;
	w->id = id;
	w->cpu = -1;
	w->eg.b4.fd = -1;
	w->eg.b6.fd = -1;
	w->tun.fd = -1;
	for (int i = 0; i < DAEMON_Q_MAX; i++)
		w->q[i].fd = -1;
	pthread_mutex_init(&w->inbox.lock, NULL);
	pthread_mutex_init(&w->pub_lock, NULL);
}

void dworker_adopt(struct dworker *w, struct daemon_cfgset *set)
{
	w->set = set;
	w->ctx.cfg = &set->cfg;
	/* A new snapshot may lie where a freed one was (xlat_fcache.h). */
	xlat_fcache_flush(w->ctx.fcache);
	daemon_learn_mtus(w);
}

/*
 * A send was too big for the route: the cached answer was wrong. Ask
 * again now, so that the next packet (whose core only peeks at the
 * cache) finds the kernel's new answer rather than the fallback.
 */
static void dworker_on_msgsize(void *arg, int family, const void *dst)
{
	struct dworker *w = arg;

	if (!w->route)
		return;
	route_forget(w->route, family, dst);
	route_mtu(w->route, family, dst, w->now_ms);
}

/* What every dworker has: context, output, raw egress, rate limit. */
static int dworker_open_common(struct dworker *w)
{
	const struct daemon_conf *dc = &w->d->set->dc;
	char err[256];

	w->ctx.stats = &w->xstats;
	w->ctx.reasm = reasm_new(NULL);
	w->ctx.fcache = xlat_fcache_new();
	if (!w->ctx.reasm || !w->ctx.fcache || xlat_out_init(&w->out)) {
		dlog_err("out of memory");
		return -1;
	}
	if (egress_open(&w->eg, dc->mark, err, sizeof(err))) {
		dlog_err("%s", err);
		return -1;
	}
	w->eg.on_msgsize = dworker_on_msgsize;
	w->eg.cb_arg = w;
	ratelimit_init(&w->icmp_rl, dc->icmp_rate, dc->icmp_burst, 0);
	nat64_xlat_attach(&w->ctx, w->d->nat64);
	dworker_adopt(w, w->d->set);
	return 0;
}

static void dworker_close_one(struct dworker *w)
{
	for (int i = 0; i < DAEMON_Q_MAX; i++)
		if (w->q[i].nl)
			nfq_queue_close(&w->q[i]);
	egress_close(&w->eg);
	tun_batch_free(&w->tunb);
	tun_close(&w->tun);
	if (w->route)
		route_close(w->route);
	w->route = NULL;
	xlat_out_free(&w->out);
	free(w->scratch);
	w->scratch = NULL;
	daemon_segsize_close(w);
	reasm_free(w->ctx.reasm);
	w->ctx.reasm = NULL;
	xlat_fcache_free(w->ctx.fcache);
	w->ctx.fcache = NULL;
	nat64_xlat_attach(&w->ctx, NULL);
	pthread_mutex_destroy(&w->inbox.lock);
	pthread_mutex_destroy(&w->pub_lock);
}

int dworker_main_open(struct daemon *d)
{
	dworker_init(&d->main, d, DWORKER_MAIN);
	return dworker_open_common(&d->main);
}

void dworker_main_close(struct daemon *d)
{
	if (d->main.d)
		dworker_close_one(&d->main);
	memset(&d->main, 0, sizeof(d->main));
}

static int dworker_open_queues(struct dworker *w)
{
	const struct daemon_conf *dc = &w->d->set->dc;
	struct nfq_opts o = {
		.fail_open = dc->fail_open,
		.maxlen = dc->queue_maxlen,
		.rcvbuf = dc->rcvbuf,
	};
	char err[256];

	/* TCP aggregates arrive whole; UDP ones could not be split again. */
	o.num = (uint16_t)(dc->queue_tcp + w->id);
	o.gso = true;
	if (nfq_queue_open(&w->q[DAEMON_Q_TCP], &o, err, sizeof(err)))
		goto fail;
	o.num = (uint16_t)(dc->queue_other + w->id);
	o.gso = false;
	if (nfq_queue_open(&w->q[DAEMON_Q_OTHER], &o, err, sizeof(err)))
		goto fail;
	return 0;
fail:
	/* Two instances (translatord@A, translatord@B) on one queue: name
	 * the file to change. */
	dlog_err("worker %u: %s (queue-tcp/queue-other in %s: each instance "
		 "needs queues of its own)", w->id, err,
		 w->d->opts.config_path);
	return -1;
}

/* Worker 0 creates the TUN device; with several, each has a queue. */
static int dworker_open_tun(struct dworker *w)
{
	struct daemon *d = w->d;
	char err[256];
	int r;

	if (d->set->dc.egress != DCONF_EGRESS_TUN)
		return 0;
	if (!w->id)
		r = tun_open(&w->tun, d->set->dc.egress_tun, d->nworkers > 1,
			     err, sizeof(err));
	else
		r = tun_attach(&w->tun, &d->w[0].tun, err, sizeof(err));
	if (r) {
		dlog_err("%s (egress-tun in %s: each instance needs a device "
			 "of its own)", err, d->opts.config_path);
		return -1;
	}
	if (!w->id)
		dlog_info("egress tun: %s (forwarding enabled on it and for "
			  "IPv6%s)", w->tun.name, d->nworkers > 1 ?
			  "; one queue per worker" : "");
	/* Not fatal: without its ring the worker writes one by one. */
	if (tun_batch_init(&w->tunb, w->tun.fd, d->set->dc.tun_batch, err,
			   sizeof(err)) && !w->id)
		dlog_warn("%s", err);
	return 0;
}

static int dworker_open(struct dworker *w)
{
	char err[256];

	if (dworker_open_common(w))
		return -1;
	/* Spread the IPv4 IDs the workers hand out (RFC 6864 4). */
	w->ctx.ip_id_next = (uint16_t)(w->id * (65536u / w->d->nworkers));
	/* RFC 6791 random picks: unpredictable from the start (a failure
	 * leaves the state to the clock: spread, if guessable). */
	if (getrandom(&w->ctx.rand_state, sizeof(w->ctx.rand_state),
		      GRND_NONBLOCK) != (ssize_t)sizeof(w->ctx.rand_state))
		w->ctx.rand_state = (uint64_t)time(NULL) ^ (uint64_t)w->id << 48;
	w->scratch = malloc(DGSO_MAX_SEG);
	if (!w->scratch || daemon_segsize_open(w)) {
		dlog_err("out of memory");
		return -1;
	}
	w->route = route_open(w->d->set->dc.mark, err, sizeof(err));
	if (!w->route && !w->id)
		dlog_warn("%s: one MTU per side will be used", err);
	daemon_mtu_attach(w);
	return dworker_open_tun(w) || dworker_open_queues(w) ? -1 : 0;
}

int dworkers_open(struct daemon *d)
{
	unsigned int n = d->set->dc.workers ? d->set->dc.workers : 1;

	d->w = calloc(n, sizeof(*d->w));
	if (!d->w) {
		dlog_err("out of memory");
		return -1;
	}
	d->nworkers = n;
	for (unsigned int i = 0; i < n; i++)
		dworker_init(&d->w[i], d, i);
	for (unsigned int i = 0; i < n; i++)
		if (dworker_open(&d->w[i]))
			return -1;
	return 0;
}

void dworkers_close(struct daemon *d)
{
	/* The TUN device goes with its first queue: the others first. */
	for (unsigned int i = d->nworkers; i-- > 0;)
		dworker_close_one(&d->w[i]);
	free(d->w);
	d->w = NULL;
	d->nworkers = 0;
}

/* ----- notes between workers ------------------------------------------ */

void dworker_post(struct dworker *from, const struct dnote *n)
{
	struct daemon *d = from->d;

	for (unsigned int i = 0; i < d->nworkers; i++) {
		struct dnotes *in = &d->w[i].inbox;
		unsigned int c;

		if (&d->w[i] == from)
			continue;
		pthread_mutex_lock(&in->lock);
		c = atomic_load_explicit(&in->count, memory_order_relaxed);
		if (c < DNOTES_MAX) {
			in->v[c] = *n;
			atomic_store_explicit(&in->count, c + 1,
					      memory_order_relaxed);
		} else {
			in->lost++;
		}
		pthread_mutex_unlock(&in->lock);
	}
}

/* At a batch's start: what the others learned, into our own tables. */
static void dworker_drain_notes(struct dworker *w)
{
	struct dnote v[DNOTES_MAX];
	struct dnotes *in = &w->inbox;
	unsigned int c;

	/* A racy peek: a note posted meanwhile waits for the next batch. */
	if (!atomic_load_explicit(&in->count, memory_order_relaxed))
		return;
	pthread_mutex_lock(&in->lock);
	c = atomic_load_explicit(&in->count, memory_order_relaxed);
	memcpy(v, in->v, c * sizeof(v[0]));
	atomic_store_explicit(&in->count, 0, memory_order_relaxed);
	w->dstats.c[DSTAT_NOTES_LOST] = in->lost;
	pthread_mutex_unlock(&in->lock);
	dstat_add(&w->dstats, DSTAT_NOTES_IN, c);
	for (unsigned int i = 0; i < c; i++) {
		if (v[i].kind == DNOTE_PMTU && w->route) {
			uint64_t before = route_stats(w->route)->learned;

			route_learn(w->route, v[i].family, v[i].dst,
				    v[i].value, w->now_ms);
			/* pmtu_learned counts errors, once: the worker
			 * that translated it counted it already. */
			w->pmtu_noted += route_stats(w->route)->learned - before;
		} else if (v[i].kind == DNOTE_MSS && w->segsize)
			segsize_note_peer_mss(w->segsize, &v[i].key,
					      (uint16_t)v[i].value, w->now_ms);
	}
}

/* ----- snapshots (QSBR) and counters ---------------------------------- */

/* A batch starts: online again, and on the newest configuration. */
static void dworker_online(struct dworker *w)
{
	struct daemon_cfgset *set;

	/* Sequentially consistent store then load, against the main
	 * thread's store of pub then load of qs: one of the two sees the
	 * other's (dworkers_publish). */
	atomic_store(&w->qs, ++w->qs_next);
	set = atomic_load(&w->d->pub);
	if (set != w->set)
		dworker_adopt(w, set);
	w->now_ms = clock_ms();
	dworker_drain_notes(w);
}

static void dworker_offline(struct dworker *w)
{
	atomic_store(&w->qs, 0);
}

void dworkers_publish(struct daemon *d, struct daemon_cfgset *set)
{
	struct timespec ts = { 0, DWORKER_GRACE_NS };

	atomic_store(&d->pub, set);
	for (unsigned int i = 0; i < d->nworkers; i++) {
		struct dworker *w = &d->w[i];
		uint64_t s = atomic_load(&w->qs);

		/* Offline (0): it reads pub before it translates again. */
		while (s && atomic_load(&w->qs) == s)
			nanosleep(&ts, NULL);
	}
}

static void dworker_publish_stats(struct dworker *w)
{
	pthread_mutex_lock(&w->pub_lock);
	w->pub_xstats = w->xstats;
	w->pub_dstats = w->dstats;
	pthread_mutex_unlock(&w->pub_lock);
}

void dworker_read(struct dworker *w, struct xlat_stats *xs, struct dstats *ds)
{
	pthread_mutex_lock(&w->pub_lock);
	*xs = w->pub_xstats;
	*ds = w->pub_dstats;
	pthread_mutex_unlock(&w->pub_lock);
}

void dworkers_sum(struct daemon *d, struct xlat_stats *xs, struct dstats *ds)
{
	struct xlat_stats wx;
	struct dstats wd;

	/* The main thread's own: read without a lock, it is the reader. */
	*xs = d->main.xstats;
	*ds = d->main.dstats;
	for (unsigned int i = 0; i < d->nworkers; i++) {
		dworker_read(&d->w[i], &wx, &wd);
		for (int c = 0; c < XLAT_CNT_MAX; c++)
			xs->c[c] += wx.c[c];
		for (int c = 0; c < DSTAT_MAX; c++)
			ds->c[c] += wd.c[c];
	}
}

/* ----- the thread ------------------------------------------------------ */

/* The route cache keeps its own counters; `stats` shows ours. */
static void dworker_route_stats(struct dworker *w)
{
	const struct route_stats *rs;

	if (!w->route)
		return;
	rs = route_stats(w->route);
	w->dstats.c[DSTAT_ROUTE_QUERIES] = rs->netlink_queries;
	w->dstats.c[DSTAT_ROUTE_ERRORS] = rs->netlink_errors;
	w->dstats.c[DSTAT_ROUTE_NO_ROUTE] = rs->no_route;
	w->dstats.c[DSTAT_PMTU_LEARNED] = rs->learned - w->pmtu_noted;
}

/* Drains one queue for a bounded number of batches. */
static int dworker_drain(struct dworker *w, struct nfq_queue *q)
{
	int i, n = 0;

	for (i = 0; i < DWORKER_ROUNDS; i++) {
		dworker_online(w);
		n = nfq_queue_poll(q, daemon_pkt_handle, w, &w->dstats);
		/* After the verdicts, as the raw sendmmsg: what the batch
		 * translated leaves before the next is read, never later. */
		daemon_tun_flush(w);
		egress_flush(&w->eg, &w->dstats);
		if (n <= 0)
			break;
	}
	dworker_route_stats(w);
	daemon_segsize_stats(w);
	dworker_publish_stats(w);
	return n < 0 ? n : 0;
}

/* CPU w % online CPUs, when there are no more workers than CPUs
 * (called by the main thread, before the worker reads a packet). */
static void dworker_pin(struct dworker *w)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int r;

	if (ncpu < 1 || w->d->nworkers > (unsigned long)ncpu)
		return;
	CPU_ZERO(&set);
	CPU_SET((int)(w->id % (unsigned long)ncpu), &set);
	r = pthread_setaffinity_np(w->thread, sizeof(set), &set);
	if (r) {
		dlog_warn("worker %u: not pinned to CPU %lu: %s", w->id,
			  w->id % (unsigned long)ncpu, strerror(r));
		return;
	}
	w->cpu = (int)(w->id % (unsigned long)ncpu);
}

static void *dworker_main(void *arg)
{
	struct dworker *w = arg;
	struct daemon *d = w->d;
	struct pollfd pfd[DAEMON_Q_MAX + 1];

	for (int i = 0; i < DAEMON_Q_MAX; i++)
		pfd[i] = (struct pollfd){ w->q[i].fd, POLLIN, 0 };
	pfd[DAEMON_Q_MAX] = (struct pollfd){ d->wakefd, POLLIN, 0 };
	while (!atomic_load(&d->wstop)) {
		dworker_offline(w);
		if (poll(pfd, DAEMON_Q_MAX + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			dlog_err("worker %u: poll: %s", w->id,
				 strerror(errno));
			break;
		}
		if (pfd[DAEMON_Q_MAX].revents)
			break;
		for (int i = 0; i < DAEMON_Q_MAX; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLERR)))
				continue;
			if (dworker_drain(w, &w->q[i]) < 0) {
				dlog_err("worker %u: queue %u: %s", w->id,
					 w->q[i].opts.num, strerror(errno));
				atomic_store(&d->wfailed, true);
				goto out;
			}
		}
	}
out:
	dworker_offline(w);
	dworker_publish_stats(w);
	return NULL;
}

int dworkers_start(struct daemon *d)
{
	d->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->wakefd < 0) {
		dlog_err("eventfd: %s", strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < d->nworkers; i++) {
		struct dworker *w = &d->w[i];
		int r = pthread_create(&w->thread, NULL, dworker_main, w);

		if (r) {
			dlog_err("worker %u: %s", i, strerror(r));
			return -1;
		}
		w->running = true;
		/* Pinned from here: before it reads its first packet. */
		dworker_pin(w);
	}
	return 0;
}

void dworkers_stop(struct daemon *d)
{
	uint64_t one = 1;

	atomic_store(&d->wstop, true);
	/* Never read: it stays readable and wakes every worker's poll. */
	if (d->wakefd >= 0 && write(d->wakefd, &one, sizeof(one)) < 0)
		dlog_err("waking the workers: %s", strerror(errno));
	for (unsigned int i = 0; i < d->nworkers; i++) {
		if (!d->w[i].running)
			continue;
		pthread_join(d->w[i].thread, NULL);
		d->w[i].running = false;
	}
	if (d->wakefd >= 0)
		close(d->wakefd);
	d->wakefd = -1;
}
