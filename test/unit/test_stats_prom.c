// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * usr/stats_prom.c: transctl stats --prometheus on known bodies, exact
 * lines; the real counter tables give unique, valid family names.
 *
 * `test_stats_prom --dump sums|workers BODYFILE` writes a body of every
 * real counter (known values) to BODYFILE and its Prometheus text to
 * stdout, for test/docs/prometheus.py to parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ctl_proto.h"
#include "daemon_stats.h"
#include "stats.h"
#include "stats_prom.h"

/* The text of stats_prom_write(body, flags), malloc'd; NULL on -1. */
static char *prom(const char *body, unsigned int flags)
{
	char *copy = strdup(body), *out = NULL;
	size_t len;
	FILE *f;
	int ret;

	assert_non_null(copy);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	ret = stats_prom_write(copy, flags, f);
	fclose(f);
	free(copy);
	if (ret) {
		assert_int_equal(len, 0);
		free(out);
		return NULL;
	}
	return out;
}

static void test_sums_exact(void **state)
{
	char *out;

	(void)state;
	out = prom("core\trx_v6\t6\tIPv6 packets received\n"
		   "daemon\tnfq_rx\t0\tpackets received from the queues\n"
		   "kernel\ttcp_queue_waiting\t2\twaiting right now\n"
		   "core\tweird-name.x\t18446744073709551615\ta \\ b\n", 0);
	assert_non_null(out);
	assert_string_equal(out,
		"# HELP translator_rx_v6_total IPv6 packets received\n"
		"# TYPE translator_rx_v6_total counter\n"
		"translator_rx_v6_total 6\n"
		"# HELP translator_nfq_rx_total packets received from the queues\n"
		"# TYPE translator_nfq_rx_total counter\n"
		"translator_nfq_rx_total 0\n"
		"# HELP translator_tcp_queue_waiting waiting right now\n"
		"# TYPE translator_tcp_queue_waiting gauge\n"
		"translator_tcp_queue_waiting 2\n"
		"# HELP translator_weird_name_x_total a \\\\ b\n"
		"# TYPE translator_weird_name_x_total counter\n"
		"translator_weird_name_x_total 18446744073709551615\n");
	free(out);
	out = prom("core\trx_v6\t0\tx\ncore\trx_v4\t1\ty\n", STATS_PROM_NONZERO);
	assert_string_equal(out, "# HELP translator_rx_v4_total y\n"
			    "# TYPE translator_rx_v4_total counter\n"
			    "translator_rx_v4_total 1\n");
	free(out);
	out = prom("", 0);
	assert_string_equal(out, "");
	free(out);
}

/* worker-stats comes worker by worker; families come out whole. */
static void test_workers_exact(void **state)
{
	char *out;

	(void)state;
	out = prom("worker0\trx_v6\t1\tIPv6 in\n"
		   "worker0\tnfq_rx\t5\tqueued\n"
		   "worker1\trx_v6\t2\tIPv6 in\n"
		   "worker1\tnfq_rx\t7\tqueued\n"
		   "main\trx_v6\t0\tIPv6 in\n"
		   "main\tnfq_rx\t0\tqueued\n"
		   "core\trx_v6\t3\tIPv6 in\n"
		   "kernel\ttcp_queue_dropped\t4\tfull\n",
		   STATS_PROM_NO_SUMS);
	assert_non_null(out);
	assert_string_equal(out,
		"# HELP translator_rx_v6_total IPv6 in\n"
		"# TYPE translator_rx_v6_total counter\n"
		"translator_rx_v6_total{worker=\"0\"} 1\n"
		"translator_rx_v6_total{worker=\"1\"} 2\n"
		"translator_rx_v6_total{worker=\"main\"} 0\n"
		"# HELP translator_nfq_rx_total queued\n"
		"# TYPE translator_nfq_rx_total counter\n"
		"translator_nfq_rx_total{worker=\"0\"} 5\n"
		"translator_nfq_rx_total{worker=\"1\"} 7\n"
		"translator_nfq_rx_total{worker=\"main\"} 0\n"
		"# HELP translator_tcp_queue_dropped_total full\n"
		"# TYPE translator_tcp_queue_dropped_total counter\n"
		"translator_tcp_queue_dropped_total 4\n");
	free(out);
}

static void test_malformed(void **state)
{
	(void)state;
	assert_null(prom("core\trx_v6\tsix\tx\n", 0));
	assert_null(prom("core\trx_v6\t-1\tx\n", 0));
	assert_null(prom("core\trx_v6\t6\n", 0));
	assert_null(prom("core\trx_v6\t1\tok\nnonsense\n", 0));
}

static void test_escape(void **state)
{
	char *out = NULL;
	size_t len;
	FILE *f;

	(void)state;
	f = open_memstream(&out, &len);
	assert_non_null(f);
	stats_prom_escape(f, "a\\b\nc\"d", false);
	fputc('|', f);
	stats_prom_escape(f, "a\\b\nc\"d", true);
	fclose(f);
	assert_string_equal(out, "a\\\\b\\nc\"d|a\\\\b\\nc\\\"d");
	free(out);
}

/* Every counter of both tables: a valid name, no two alike. */
static void test_real_names(void **state)
{
	enum { N = XLAT_CNT_MAX + DSTAT_MAX };
	static char names[N][128];
	const char *c;
	int n = 0;

	(void)state;
	for (int i = 0; i < N; i++) {
		c = i < XLAT_CNT_MAX ? xlat_counter_info[i].name :
		    dstat_info[i - XLAT_CNT_MAX].name;
		assert_true(stats_prom_name(c, names[n], sizeof(names[n])));
		assert_false(stats_prom_is_gauge(c));
		assert_int_equal(strspn(names[n], "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:"),
				 strlen(names[n]));
		for (int j = 0; j < n; j++)
			assert_string_not_equal(names[j], names[n]);
		n++;
	}
	assert_true(stats_prom_is_gauge("tcp_queue_waiting"));
	assert_true(stats_prom_is_gauge("other_queue_waiting"));
}

/* The body of every real counter; values known to prometheus.py. */
static void dump_group(FILE *f, const char *group, uint64_t base)
{
	for (int i = 0; i < XLAT_CNT_MAX; i++)
		ctl_stat_write(f, group, xlat_counter_info[i].name,
			       base + (uint64_t)i * 7919,
			       xlat_counter_info[i].desc);
	for (int i = 0; i < DSTAT_MAX; i++)
		ctl_stat_write(f, group, dstat_info[i].name,
			       base + 3 + (uint64_t)i * 104729,
			       dstat_info[i].desc);
}

static int dump(const char *mode, const char *path)
{
	static const char *const kq[] = { "tcp", "other" };
	bool workers = !strcmp(mode, "workers");
	char *body = NULL, name[64];
	size_t len;
	FILE *f;
	int ret;

	f = open_memstream(&body, &len);
	if (!f)
		return 1;
	if (workers) {
		dump_group(f, "worker0", 1);
		dump_group(f, "worker1", 1000);
		dump_group(f, "main", 0);
	}
	dump_group(f, "core", 5);
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%s_queue_dropped", kq[i]);
		ctl_stat_write(f, "kernel", name, 11 + i, "queue full");
		snprintf(name, sizeof(name), "%s_queue_user_dropped", kq[i]);
		ctl_stat_write(f, "kernel", name, 0, "rcvbuf full");
		snprintf(name, sizeof(name), "%s_queue_waiting", kq[i]);
		ctl_stat_write(f, "kernel", name, 40 + i, "waiting now");
	}
	fclose(f);
	f = fopen(path, "w");
	if (!f || fputs(body, f) == EOF || fclose(f))
		return 1;
	ret = stats_prom_write(body, workers ? STATS_PROM_NO_SUMS : 0, stdout);
	free(body);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums_exact),
		cmocka_unit_test(test_workers_exact),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_real_names),
	};

	if (argc == 4 && !strcmp(argv[1], "--dump"))
		return dump(argv[2], argv[3]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
