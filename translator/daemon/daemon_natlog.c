// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NAT64 log ring (see daemon_natlog.h). The hook runs under the
 * NAT64 lock, so it only stamps the event with the wall clock and copies
 * it (about 100 bytes) into the ring under the ring's own mutex; the main
 * thread formats the lines (a few microseconds each: inet_ntop, printf)
 * and writes them, with neither lock held. Measured costs:
 * docs/nat-logging.md.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "daemon_log.h"
#include "daemon_natlog.h"

/* Lines copied out per acquisition by the main thread. */
#define DNATLOG_BATCH	32

/* An event as it happened; suppressed > 0: the note of that many
 * debug lines over the limit instead. */
struct dnl_slot {
	struct nat64_event ev;
	int64_t wall_ms;
	uint64_t suppressed;
};

struct dnatlog {
	pthread_mutex_t lock;
	struct dnl_slot *ring;
	uint32_t head, count;		/* oldest line, lines queued */
	int efd;
	int64_t debug_sec;		/* the second being counted */
	uint32_t debug_n;		/* debug lines in it */
	uint64_t debug_suppressed;	/* over the limit, not yet told */
};

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct dnatlog *dnatlog_new(void)
{
	struct dnatlog *l = calloc(1, sizeof(*l));

	if (!l)
		goto fail;
	l->ring = calloc(DNATLOG_RING, sizeof(*l->ring));
	if (!l->ring)
		goto fail_l;
	l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->efd < 0)
		goto fail_ring;
	if (pthread_mutex_init(&l->lock, NULL))
		goto fail_fd;
	return l;
fail_fd:
	close(l->efd);
fail_ring:
	free(l->ring);
fail_l:
	free(l);
fail:
	dlog_err("NAT64 log: %s", strerror(errno ? errno : ENOMEM));
	return NULL;
}

void dnatlog_free(struct dnatlog *l)
{
	if (!l)
		return;
	dnatlog_drain(l);
	pthread_mutex_destroy(&l->lock);
	close(l->efd);
	free(l->ring);
	free(l);
}

int dnatlog_fd(const struct dnatlog *l)
{
	return l ? l->efd : -1;
}

/* Under the lock: a slot to the tail; -1 when the ring is full. */
static int push(struct dnatlog *l, const struct dnl_slot *slot)
{
	bool was_empty = l->count == 0;
	uint64_t one = 1;

	if (l->count == DNATLOG_RING)
		return -1;
	l->ring[(l->head + l->count) % DNATLOG_RING] = *slot;
	l->count++;
	/* Only the first event of a batch wakes the main thread (a failed
	 * write is harmless: every loop turn drains). */
	if (was_empty && write(l->efd, &one, sizeof(one)) < 0)
		return 0;
	return 0;
}

/* Under the lock: whether a debug line may go now (and the note of
 * those suppressed in the second that ended). */
static bool debug_allowed(struct dnatlog *l, int64_t now_ms)
{
	int64_t sec = now_ms / 1000;

	if (sec != l->debug_sec) {
		if (l->debug_suppressed) {
			struct dnl_slot note = { .wall_ms = now_ms,
				.suppressed = l->debug_suppressed };

			push(l, &note);
		}
		l->debug_sec = sec;
		l->debug_n = 0;
		l->debug_suppressed = 0;
	}
	if (l->debug_n >= DNATLOG_DEBUG_PER_SEC) {
		l->debug_suppressed++;
		return false;
	}
	l->debug_n++;
	return true;
}

static int dnatlog_event(void *arg, const struct nat64_event *ev)
{
	struct dnatlog *l = arg;
	struct dnl_slot slot = { .ev = *ev, .wall_ms = wall_ms() };
	int ret = 0;

	pthread_mutex_lock(&l->lock);
	if (ev->type != NAT64_EV_DEBUG || debug_allowed(l, slot.wall_ms))
		ret = push(l, &slot);
	pthread_mutex_unlock(&l->lock);
	return ret;
}

const struct nat64_log_ops dnatlog_ops = {
	.event = dnatlog_event,
};

/* Up to DNATLOG_BATCH events out of the ring; how many. */
static uint32_t pop(struct dnatlog *l, struct dnl_slot *out)
{
	uint32_t n;

	pthread_mutex_lock(&l->lock);
	n = l->count < DNATLOG_BATCH ? l->count : DNATLOG_BATCH;
	for (uint32_t i = 0; i < n; i++)
		out[i] = l->ring[(l->head + i) % DNATLOG_RING];
	l->head = (l->head + n) % DNATLOG_RING;
	l->count -= n;
	pthread_mutex_unlock(&l->lock);
	return n;
}

static void write_one(const struct dnl_slot *slot)
{
	char line[NAT64_EVENT_LINE_MAX];

	if (slot->suppressed) {
		dlog_info("NAT64 debug suppressed=%llu",
			  (unsigned long long)slot->suppressed);
		return;
	}
	if (nat64_event_format(&slot->ev, slot->wall_ms, line,
			       sizeof(line)) >= 0)
		dlog_info("%s", line);
}

void dnatlog_drain(struct dnatlog *l)
{
	struct dnl_slot batch[DNATLOG_BATCH];
	uint64_t v;
	uint32_t n;

	if (!l)
		return;
	/* Reset the wake-up first: an event queued after it wakes us
	 * again. */
	if (read(l->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		dlog_err("NAT64 log eventfd: %s", strerror(errno));
	while ((n = pop(l, batch)) > 0)
		for (uint32_t i = 0; i < n; i++)
			write_one(&batch[i]);
}
