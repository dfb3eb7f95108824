// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool4 on the host's own address (daemon_local.c): which ICMP messages
 * go back to the host untranslated (its own pings' replies, errors about
 * its own packets) and which stay the translator's (about pool4's ports
 * and identifiers), and that an address the host does not own never goes
 * back (the core drops what is not its own there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "daemon.h"

#define OWN	"192.0.2.1"
#define FAR	"198.51.100.2"

static struct dworker d;	/* one worker: what the handback reads */
static struct daemon_cfgset set;

static int setup(void **state)
{
	char err[256];

	(void)state;
	memset(&d, 0, sizeof(d));
	config_init(&set.cfg);
	assert_int_equal(config_parse_string("t", "mode nat64\n"
		"pool6 64:ff9b::/96\npool4 " OWN " 61001-65535\n"
		"bib udp " OWN "#53 2001:db8::5#53\n",
		&set.cfg, err, sizeof(err)), 0);
	d.set = &set;
	/* The host owns OWN; the list was just read (no refresh). */
	d.now_ms = 5000;
	d.local4.read_ms = 4900;
	inet_pton(AF_INET, OWN, &d.local4.a[0]);
	d.local4.n = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(&set.cfg);
	return 0;
}

/* An IPv4 header from FAR to dst, protocol proto, len bytes in all. */
static void ip4(uint8_t *p, size_t len, uint8_t proto, const char *dst)
{
	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = proto;
	inet_pton(AF_INET, FAR, p + 12);
	inet_pton(AF_INET, dst, p + 16);
}

static bool echo_reply(uint16_t id, const char *dst)
{
	uint8_t p[28];

	ip4(p, sizeof(p), 1, dst);
	p[20] = 0;		/* echo reply */
	p[24] = (uint8_t)(id >> 8);
	p[25] = (uint8_t)id;
	return daemon_local_handback(&d, p, sizeof(p));
}

/* Port unreachable quoting a UDP (17) or TCP (6) packet from OWN#sport. */
static bool error_about(uint8_t type, uint8_t proto, uint16_t sport,
			size_t quoted)
{
	uint8_t p[20 + 8 + 28];

	ip4(p, 28 + quoted, 1, OWN);
	p[20] = type;
	p[21] = 3;
	ip4(p + 28, 28, proto, FAR);
	inet_pton(AF_INET, OWN, p + 28 + 12);
	p[48] = (uint8_t)(sport >> 8);
	p[49] = (uint8_t)sport;
	return daemon_local_handback(&d, p, 28 + quoted);
}

static void test_echo_replies(void **state)
{
	(void)state;
	assert_false(echo_reply(61005, OWN));	/* pool4's identifier */
	assert_false(echo_reply(65535, OWN));
	assert_true(echo_reply(61000, OWN));	/* the host's own ping */
	assert_true(echo_reply(1234, OWN));
	/* An address routed to the host but not its own: never given back. */
	assert_false(echo_reply(1234, "192.0.2.9"));
}

static void test_errors(void **state)
{
	(void)state;
	assert_false(error_about(3, 17, 61010, 28));	/* a binding's */
	assert_false(error_about(11, 6, 65000, 28));
	assert_false(error_about(3, 17, 53, 28));	/* the static one */
	assert_true(error_about(3, 17, 40000, 28));	/* the host's own */
	assert_true(error_about(12, 6, 53, 28));	/* static is UDP */
	/* Too short to quote a port: not pool4's to claim. */
	assert_true(error_about(3, 17, 61010, 4));
}

static void test_not_candidates(void **state)
{
	uint8_t p[28];

	(void)state;
	/* TCP and UDP: the rules queued only pool4's ports. */
	ip4(p, sizeof(p), 6, OWN);
	assert_false(daemon_local_handback(&d, p, sizeof(p)));
	/* A fragment of an echo reply: reassembled, then the core. */
	ip4(p, sizeof(p), 1, OWN);
	p[6] = 0x20;		/* MF */
	assert_false(daemon_local_handback(&d, p, sizeof(p)));
	/* Mode siit: nothing. */
	set.cfg.mode = CONFIG_MODE_SIIT;
	assert_false(echo_reply(1234, OWN));
	set.cfg.mode = CONFIG_MODE_NAT64;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_replies),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_not_candidates),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
