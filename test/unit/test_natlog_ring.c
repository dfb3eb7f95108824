// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * translatord's NAT64 log ring (translator/daemon/daemon_natlog.c): the
 * events the hook queues come out of dnatlog_drain as the documented
 * lines on the daemon's log (stderr here, redirected to a file), in
 * order, stamped with the wall clock when queued; the eventfd wakes the
 * main thread at the first one; a full ring refuses (the state counts
 * nat64_log_dropped); debug lines are limited to DNATLOG_DEBUG_PER_SEC a
 * second, the rest summed in "NAT64 debug suppressed=N" lines.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "daemon_natlog.h"

static FILE *logf_;
static int saved_stderr;

/* dlog's output (stderr) into a temporary file while the ring writes;
 * cmocka's messages keep the real stderr. */
static void capture(bool on)
{
	fflush(stderr);
	if (on) {
		saved_stderr = dup(2);
		assert_true(dup2(fileno(logf_), 2) == 2);
	} else {
		dup2(saved_stderr, 2);
		close(saved_stderr);
	}
}

static void drain(struct dnatlog *l)
{
	capture(true);
	dnatlog_drain(l);
	capture(false);
}

static void free_log(struct dnatlog *l)
{
	capture(true);
	dnatlog_free(l);
	capture(false);
}

static int setup(void **state)
{
	(void)state;
	logf_ = tmpfile();
	return logf_ ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fclose(logf_);
	return 0;
}

/* The lines written since the last call. */
static size_t read_lines(char lines[][300], size_t max)
{
	static long pos;
	size_t n = 0;

	fflush(stderr);
	fseek(logf_, pos, SEEK_SET);
	while (n < max && fgets(lines[n], 300, logf_)) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		n++;
	}
	pos = ftell(logf_);
	return n;
}

/* want, then the 24 characters of the time, and nothing more. */
static void assert_prefix(const char *line, const char *want)
{
	assert_memory_equal(line, want, strlen(want));
	assert_int_equal(strlen(line), strlen(want) + 24);
}

static struct nat64_event bib_event(uint16_t port6)
{
	struct nat64_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = NAT64_EV_BIB_ADD;
	ev.l4 = CONFIG_L4_TCP;
	inet_pton(AF_INET6, "2001:db8::5", &ev.v6);
	ev.port6 = port6;
	inet_pton(AF_INET, "192.0.2.1", &ev.v4);
	ev.port4 = 61001;
	return ev;
}

/* "... time=YYYY-MM-DDTHH:MM:SS.mmmZ" within 5 s of now. */
static void assert_recent(const char *line)
{
	const char *t = strstr(line, " time=");
	struct tm tm;
	int ms;
	char z;

	assert_non_null(t);
	memset(&tm, 0, sizeof(tm));
	assert_int_equal(sscanf(t, " time=%4d-%2d-%2dT%2d:%2d:%2d.%3d%c",
				&tm.tm_year, &tm.tm_mon, &tm.tm_mday,
				&tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &z),
			 8);
	assert_int_equal(z, 'Z');
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	assert_true(llabs((long long)(timegm(&tm) - time(NULL))) <= 5);
}

static void test_lines(void **state)
{
	struct dnatlog *l = dnatlog_new();
	struct pollfd p;
	char lines[4][300];
	struct nat64_event ev = bib_event(40000);

	(void)state;
	assert_non_null(l);
	p = (struct pollfd){ dnatlog_fd(l), POLLIN, 0 };
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(dnatlog_ops.event(l, &ev), 0);
	ev.port6 = 40001;
	ev.is_static = true;
	assert_int_equal(dnatlog_ops.event(l, &ev), 0);
	/* The first event woke the main thread. */
	assert_int_equal(poll(&p, 1, 0), 1);
	drain(l);
	assert_int_equal(poll(&p, 1, 0), 0);
	assert_int_equal(read_lines(lines, 4), 2);
	assert_prefix(lines[0],
		"translatord: NAT64 BIB add proto=tcp v6=[2001:db8::5]:40000 "
		"v4=192.0.2.1:61001 static=no time=");
	assert_prefix(lines[1],
		"translatord: NAT64 BIB add proto=tcp v6=[2001:db8::5]:40001 "
		"v4=192.0.2.1:61001 static=yes time=");
	assert_recent(lines[0]);
	assert_recent(lines[1]);
	free_log(l);
}

static void test_full(void **state)
{
	static char lines[DNATLOG_RING + 2][300];
	struct dnatlog *l = dnatlog_new();
	struct nat64_event ev = bib_event(1);

	(void)state;
	for (uint32_t i = 0; i < DNATLOG_RING; i++) {
		ev.port6 = (uint16_t)i;
		assert_int_equal(dnatlog_ops.event(l, &ev), 0);
	}
	assert_int_equal(dnatlog_ops.event(l, &ev), -1);
	drain(l);
	assert_int_equal(read_lines(lines, DNATLOG_RING + 2), DNATLOG_RING);
	/* In order, the last one the last that fitted. */
	assert_non_null(strstr(lines[0], "v6=[2001:db8::5]:0 "));
	assert_non_null(strstr(lines[DNATLOG_RING - 1], "v6=[2001:db8::5]:16383 "));
	/* Room again. */
	assert_int_equal(dnatlog_ops.event(l, &ev), 0);
	free_log(l);	/* writes what is left */
	assert_int_equal(read_lines(lines, 2), 1);
}

static void test_debug_limit(void **state)
{
	static char lines[300][300];
	struct dnatlog *l = dnatlog_new();
	struct nat64_event ev;
	unsigned long long suppressed = 0, n;
	size_t got, debug = 0;
	struct timespec pause = { 1, 100000000 };

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.type = NAT64_EV_DEBUG;
	ev.l4 = CONFIG_L4_UDP;
	ev.why = "drop_nat64_no_binding";
	for (int i = 0; i < 100; i++)
		assert_int_equal(dnatlog_ops.event(l, &ev), 0);
	/* The next second's first line tells what the last one held back. */
	nanosleep(&pause, NULL);
	assert_int_equal(dnatlog_ops.event(l, &ev), 0);
	drain(l);
	got = read_lines(lines, 300);
	for (size_t i = 0; i < got; i++) {
		if (sscanf(lines[i], "translatord: NAT64 debug suppressed=%llu",
			   &n) == 1)
			suppressed += n;
		else if (strstr(lines[i], " reason=drop_nat64_no_binding "))
			debug++;
	}
	assert_true(debug >= DNATLOG_DEBUG_PER_SEC + 1);
	assert_true(debug <= 2 * DNATLOG_DEBUG_PER_SEC + 1);
	assert_int_equal(debug + suppressed, 101);
	free_log(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_debug_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
