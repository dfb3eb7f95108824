// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `workers N` offline: the queue ranges of the workers (a configured
 * count that overlaps is refused, the default shrinks to fit), the
 * counters summed over the workers and the main thread, the notes one
 * worker posts to the others' inboxes, and the snapshot publication: the
 * main thread returns from dworkers_publish only once every worker was
 * offline or started a new batch (QSBR), so that the old snapshot can be
 * freed.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon.h"

/* A file's daemon directives, checked as daemon_cfgset_load does. */
static int queues(const char *text, struct daemon_conf *dc, char *err,
		  size_t errlen)
{
	char path[] = "/tmp/test_workers.XXXXXX";
	struct daemon_cfgset set;
	int fd = mkstemp(path), r;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	r = daemon_cfgset_load(path, &set, err, errlen);
	unlink(path);
	if (!r) {
		*dc = set.dc;
		daemon_cfgset_free(&set);
	}
	return r;
}

static void test_queue_ranges(void **state)
{
	struct daemon_conf dc;
	char err[256];

	(void)state;
	/* The defaults leave room for 64 workers. */
	assert_int_equal(queues("workers 64\n", &dc, err, sizeof(err)), 0);
	assert_int_equal(dc.workers, 64);
	assert_int_equal(dc.queue_tcp, 64);
	assert_int_equal(dc.queue_other, 128);
	/* Worker w: queue-tcp + w and queue-other + w must not meet. */
	assert_int_equal(queues("workers 4\nqueue-tcp 10\nqueue-other 12\n",
				&dc, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "workers 4: queues 10-13 (tcp) and "
			       "12-15 (other) overlap"));
	assert_int_equal(queues("workers 2\nqueue-tcp 10\nqueue-other 12\n",
				&dc, err, sizeof(err)), 0);
	assert_int_equal(queues("workers 2\nqueue-tcp 12\nqueue-other 11\n",
				&dc, err, sizeof(err)), -1);
	assert_int_equal(queues("workers 3\nqueue-other 65534\n", &dc, err,
				sizeof(err)), -1);
	assert_non_null(strstr(err, "past 65535"));
	assert_int_equal(queues("queue-tcp 7\nqueue-other 7\n", &dc, err,
				sizeof(err)), -1);
	assert_int_equal(queues("workers 0\n", &dc, err, sizeof(err)), -1);
	assert_int_equal(queues("workers 65\n", &dc, err, sizeof(err)), -1);
	/* Not in the file: the default gives way. */
	assert_int_equal(queues("queue-tcp 10\nqueue-other 11\n", &dc, err,
				sizeof(err)), 0);
	assert_int_equal(dc.workers, 1);
	assert_false(dc.workers_set);
	dc.queue_tcp = 100;
	dc.queue_other = 103;
	dc.workers = 64;
	assert_int_equal(daemon_conf_check_queues(&dc, err, sizeof(err)), 0);
	assert_int_equal(dc.workers, 3);
	dc.queue_other = 65535;
	dc.workers = 64;
	assert_int_equal(daemon_conf_check_queues(&dc, err, sizeof(err)), 0);
	assert_int_equal(dc.workers, 1);
	/* A change of the count needs a restart. */
	dc = (struct daemon_conf){ .workers = 2 };
	{
		struct daemon_conf b = dc;

		b.workers = 3;
		assert_string_equal(daemon_conf_start_change(&dc, &b),
				    "workers");
	}
}

/* Workers as the main thread sees them (no thread, no socket). */
static struct daemon *fake_daemon(unsigned int n)
{
	struct daemon *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->w = calloc(n, sizeof(*d->w));
	assert_non_null(d->w);
	d->nworkers = n;
	for (unsigned int i = 0; i < n; i++) {
		d->w[i].d = d;
		d->w[i].id = i;
		pthread_mutex_init(&d->w[i].pub_lock, NULL);
		pthread_mutex_init(&d->w[i].inbox.lock, NULL);
	}
	d->main.d = d;
	return d;
}

static void fake_free(struct daemon *d)
{
	for (unsigned int i = 0; i < d->nworkers; i++) {
		pthread_mutex_destroy(&d->w[i].pub_lock);
		pthread_mutex_destroy(&d->w[i].inbox.lock);
	}
	free(d->w);
	free(d);
}

static void test_counter_sum(void **state)
{
	struct daemon *d = fake_daemon(3);
	struct xlat_stats xs;
	struct dstats ds;

	(void)state;
	d->main.dstats.c[DSTAT_CTL_REQUESTS] = 7;
	d->main.xstats.c[0] = 1;
	for (unsigned int i = 0; i < 3; i++) {
		d->w[i].pub_dstats.c[DSTAT_NFQ_RX] = 10 * (i + 1);
		d->w[i].pub_xstats.c[0] = 100;
		/* What a worker counted since its last batch is not read. */
		d->w[i].dstats.c[DSTAT_NFQ_RX] = 1000;
	}
	dworkers_sum(d, &xs, &ds);
	assert_int_equal(ds.c[DSTAT_NFQ_RX], 60);
	assert_int_equal(ds.c[DSTAT_CTL_REQUESTS], 7);
	assert_int_equal(xs.c[0], 301);
	dworker_read(&d->w[1], &xs, &ds);
	assert_int_equal(ds.c[DSTAT_NFQ_RX], 20);
	fake_free(d);
}

static void test_notes(void **state)
{
	struct daemon *d = fake_daemon(3);
	struct dnote n = { .kind = DNOTE_PMTU, .family = 2, .value = 1280 };

	(void)state;
	dworker_post(&d->w[1], &n);
	/* Everyone but the one who learned it. */
	assert_int_equal(atomic_load(&d->w[0].inbox.count), 1);
	assert_int_equal(atomic_load(&d->w[1].inbox.count), 0);
	assert_int_equal(atomic_load(&d->w[2].inbox.count), 1);
	assert_int_equal(d->w[2].inbox.v[0].value, 1280);
	/* A full inbox loses the hint, counted. */
	for (int i = 0; i < DNOTES_MAX + 5; i++)
		dworker_post(&d->w[1], &n);
	assert_int_equal(atomic_load(&d->w[0].inbox.count), DNOTES_MAX);
	assert_int_equal(d->w[0].inbox.lost, 6);
	fake_free(d);
}

/* A worker that starts its next batch after a while. */
static void *late_batch(void *arg)
{
	struct dworker *w = arg;
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	atomic_store(&w->qs, atomic_load(&w->qs) + 1);
	return NULL;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_publish_grace(void **state)
{
	struct daemon *d = fake_daemon(2);
	struct daemon_cfgset a, b;
	pthread_t t;
	int64_t t0;

	(void)state;
	/* Both offline (blocked in poll): nothing to wait for. */
	atomic_store(&d->pub, &a);
	t0 = now_ms();
	dworkers_publish(d, &b);
	assert_ptr_equal(atomic_load(&d->pub), &b);
	assert_true(now_ms() - t0 < 50);
	/* Worker 1 is in a batch that may hold b: the old one is freed
	 * only once it started another (or went offline). */
	atomic_store(&d->w[1].qs, 41);
	assert_int_equal(pthread_create(&t, NULL, late_batch, &d->w[1]), 0);
	t0 = now_ms();
	dworkers_publish(d, &a);
	assert_true(now_ms() - t0 >= 90);
	assert_int_equal(atomic_load(&d->w[1].qs), 42);
	assert_ptr_equal(atomic_load(&d->pub), &a);
	pthread_join(t, NULL);
	fake_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_ranges),
		cmocka_unit_test(test_counter_sum),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_publish_grace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
