// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A NAT64 state for tests without packets (see nat64_env.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "nat64_env.h"
#include "nat64_log.h"

const uint8_t key_a[NAT64_KEY_LEN] = "0123456789abcde";
const uint8_t key_b[NAT64_KEY_LEN] = "fedcba987654321";

static const char base_conf[] =
	"mode nat64\npool6 64:ff9b::/96\n"
	/* Documentation addresses under the WKP (RFC 6052 3.1). */
	"wkp-allow-non-global yes\n"
	"pool4 192.0.2.2 1-3000\n";

/* A state under exactly the configuration text, logging to ops if set. */
void env_open_logged(struct env *e, const char *text, const uint8_t *key,
		     const struct nat64_log_ops *ops, void *arg)
{
	char err[256];

	memset(e, 0, sizeof(*e));
	if (config_parse_string("t.conf", text, &e->cfg, err, sizeof(err)))
		fail_msg("config: %s", err);
	e->st = nat64_state_new(key ? key : key_a);
	assert_non_null(e->st);
	if (ops)
		nat64_state_set_log(e->st, ops, arg);
	assert_int_equal(nat64_state_sync(e->st, &e->cfg, &e->stats, err,
					  sizeof(err)), 0);
	e->now = 1000000;
}

void env_open_text(struct env *e, const char *text, const uint8_t *key)
{
	env_open_logged(e, text, key, NULL, NULL);
}

/* The state keeps the old config until the sync to the new one is done. */
void env_resync(struct env *e, const char *text)
{
	struct config next;
	char err[256];

	if (config_parse_string("t.conf", text, &next, err, sizeof(err)))
		fail_msg("config: %s", err);
	assert_int_equal(nat64_state_sync(e->st, &next, &e->stats, err,
					  sizeof(err)), 0);
	config_free(&e->cfg);
	e->cfg = next;
}

/* base_conf and then extra. */
void env_open(struct env *e, const char *extra, const uint8_t *key)
{
	char text[2048];

	snprintf(text, sizeof(text), "%s%s", base_conf, extra ? extra : "");
	env_open_text(e, text, key);
}

void env_close(struct env *e)
{
	nat64_state_free(e->st);
	config_free(&e->cfg);
}

struct nat64_op op_at(struct env *e)
{
	struct nat64_op op;

	nat64_op_init(&op, e->st, &e->cfg, &e->stats, e->now);
	return op;
}

struct in_addr a4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* A packet from the IPv6 host src#sport to the IPv4 node dst#dport. */
struct nat64_flow f6(enum config_l4 l4, const char *src, uint16_t sport,
			    const char *dst, uint16_t dport, uint8_t flags)
{
	struct nat64_flow f;

	memset(&f, 0, sizeof(f));
	f.l4 = l4;
	f.src6 = a6(src);
	f.dst4 = a4(dst);
	f.dst6 = a6("64:ff9b::");
	memcpy(&f.dst6.s6_addr[12], &f.dst4, 4);
	f.sport = sport;
	f.dport = l4 == CONFIG_L4_ICMP ? 0 : dport;
	f.tcp_flags = flags;
	return f;
}

/* A packet from the IPv4 node src#sport to the pool4 side dst#dport. */
struct nat64_flow f4(enum config_l4 l4, const char *src, uint16_t sport,
			    const char *dst, uint16_t dport, uint8_t flags)
{
	struct nat64_flow f;

	memset(&f, 0, sizeof(f));
	f.l4 = l4;
	f.src4 = a4(src);
	f.dst4 = a4(dst);
	f.src6 = a6("64:ff9b::");
	memcpy(&f.src6.s6_addr[12], &f.src4, 4);
	f.sport = l4 == CONFIG_L4_ICMP ? 0 : sport;
	f.dport = dport;
	f.tcp_flags = flags;
	return f;
}

struct nat64_result in6(struct env *e, struct nat64_flow f)
{
	struct nat64_op op = op_at(e);
	struct nat64_result r;

	nat64_in6(&op, &f, &r);
	return r;
}

struct nat64_result in4(struct env *e, struct nat64_flow f)
{
	static const uint8_t pkt[44] = { 0x45 };
	struct nat64_op op = op_at(e);
	struct nat64_result r;

	nat64_in4(&op, &f, pkt, sizeof(pkt), false, &r);
	return r;
}

size_t expire(struct env *e)
{
	struct nat64_op op = op_at(e);

	return nat64_expire(&op, 1u << 30, NULL, NULL);
}

uint64_t nsess(const struct env *e)
{
	struct nat64_counts c;

	nat64_state_counts(e->st, &c);
	return c.sessions[0] + c.sessions[1] + c.sessions[2];
}

