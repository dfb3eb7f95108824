// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl's stateful NAT64 commands (bib, session, pool4): the command
 * lines (optional arguments included), the argument checks, and what a
 * listing prints from a reply body, as a table and as JSON (counts,
 * omitted rows, pool4 usage); the rules a NAT64 configuration implies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rules.h"
#include "transctl.h"
#include "verbparse.h"

static void test_bib_args(void **state)
{
	const struct transctl_verb_cmd *c = &transctl_bib_cmd;
	struct transctl_verb_args a;
	char err[256];

	(void)state;
	vp_parses_to(c, "bib", "bib show");
	vp_parses_to(c, "bib show udp", "bib show udp");
	vp_parses_to(c, "bib add tcp 192.0.2.2#80 2001:db8::5#8080",
		  "bib add tcp 192.0.2.2#80 2001:db8::5#8080");
	vp_parses_to(c, "bib add icmp 2001:db8::5#0 192.0.2.2#65535 -s /x",
		  "bib add icmp 2001:db8::5#0 192.0.2.2#65535");
	vp_parses_to(c, "bib remove udp 2001:db8::5#53", "bib remove udp 2001:db8::5#53");
	assert_int_equal(vp_parse(c, "bib show icmp --json", &a, err, sizeof(err)), 0);
	assert_true(a.json);

	vp_refused(c, "bib show tcp udp",
		"too many arguments (usage: bib show [tcp|udp|icmp])");
	vp_refused(c, "bib show sctp", "bad protocol 'sctp': tcp, udp or icmp");
	vp_refused(c, "bib add tcp 192.0.2.2#80",
		"missing argument (usage: bib add tcp|udp|icmp IPV4#PORT IPV6#PORT)");
	vp_refused(c, "bib add tcp 192.0.2.2#80 192.0.2.3#80",
		"needs one IPv4 and one IPv6 transport address, not "
		"'192.0.2.2#80' and '192.0.2.3#80'");
	vp_refused(c, "bib add tcp 192.0.2.2#65536 2001:db8::5#1",
		"bad transport address '192.0.2.2#65536': the port must be 0..65535");
	vp_refused(c, "bib add tcp 192.0.2.2 2001:db8::5#1",
		"bad transport address '192.0.2.2': ADDR#PORT, e.g. 192.0.2.2#80 "
		"or 2001:db8::5#80");
	vp_refused(c, "bib remove tcp 2001:db8::5#x",
		"bad transport address '2001:db8::5#x': the port must be 0..65535");
	vp_refused(c, "bib remove tcp 192.0.2.300#5",
		"bad transport address '192.0.2.300#5': ADDR#PORT, e.g. "
		"192.0.2.2#80 or 2001:db8::5#80");
	vp_refused(c, "bib add tcp 192.0.2.2#80 2001:db8::5#80 --json",
		"--json does not apply here");
}

static void test_session_pool4_args(void **state)
{
	const struct transctl_verb_cmd *s = &transctl_session_cmd;
	const struct transctl_verb_cmd *p = &transctl_pool4_cmd;

	(void)state;
	vp_parses_to(s, "session", "session show");
	vp_parses_to(s, "session show tcp --json", "session show tcp");
	vp_refused(s, "session show tcp x",
		"too many arguments (usage: session show [tcp|udp|icmp])");
	vp_refused(s, "session frob", "unknown subcommand 'frob' (show)");

	vp_parses_to(p, "pool4", "pool4 show");
	vp_parses_to(p, "pool4 add 192.0.2.8/30", "pool4 add 192.0.2.8/30");
	vp_parses_to(p, "pool4 add 192.0.2.2 tcp", "pool4 add 192.0.2.2 tcp");
	vp_parses_to(p, "pool4 add 192.0.2.2 1000-2000", "pool4 add 192.0.2.2 1000-2000");
	vp_parses_to(p, "pool4 remove 192.0.2.2 7 icmp", "pool4 remove 192.0.2.2 7 icmp");
	vp_refused(p, "pool4 add", "missing argument (usage: pool4 add PREFIX4 "
		"[PORTS] [tcp|udp|icmp])");
	vp_refused(p, "pool4 add 192.0.2.2 1-2 tcp x", "too many arguments "
		"(usage: pool4 add PREFIX4 [PORTS] [tcp|udp|icmp])");
	vp_refused(p, "pool4 add 192.0.2.1/24",
		"bad IPv4 prefix '192.0.2.1/24': host bits set past /24 "
		"(192.0.2.0/24?)");
	vp_refused(p, "pool4 add 192.0.2.2 2000-1000",
		"bad port range '2000-1000': N or N-M, 0..65535, N <= M");
	vp_refused(p, "pool4 add 192.0.2.2 tcp 1-2",
		"bad port range 'tcp': N or N-M, 0..65535, N <= M");
	vp_refused(p, "pool4 remove 192.0.2.2 1-2 sctp",
		"bad protocol 'sctp': tcp, udp or icmp");
	vp_refused(p, "pool4 show 192.0.2.2", "too many arguments (usage: pool4 show)");
}

/* Runs a verb's printer on a copy of body; returns what it wrote. */
static char *printed(const struct transctl_verb_cmd *cmd, const char *body,
		     bool json, int *ret)
{
	char *copy = strdup(body), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	struct transctl_fmt fmt = {
		json ? TRANSCTL_FMT_JSON : TRANSCTL_FMT_TABLE, false,
	};

	*ret = cmd->verbs[0].print(copy, &fmt, f);
	fclose(f);
	free(copy);
	return text;
}

static void check_printed(const struct transctl_verb_cmd *cmd,
			  const char *body, bool json, const char *want)
{
	int ret;
	char *got = printed(cmd, body, json, &ret);

	assert_int_equal(ret, 0);
	assert_string_equal(got, want);
	free(got);
}

static const char sess_body[] =
	"# tcp 1\n# udp 0\n# icmp 1\n"
	"tcp\t2001:db8::5#40000\t64:ff9b::c633:6402#80\t192.0.2.2#2000\t"
	"198.51.100.2#80\tESTABLISHED\t7199\n"
	"icmp\t2001:db8::5#7\t64:ff9b::c633:6402#0\t192.0.2.2#1\t"
	"198.51.100.2#0\t-\t60\n";

static void test_session_print(void **state)
{
	int ret;
	char *got;

	(void)state;
	check_printed(&transctl_session_cmd, sess_body, false,
		"PROTO  IPV6 HOST          IPV6 REMOTE            IPV4 LOCAL      "
		"IPV4 REMOTE      STATE        EXPIRES\n"
		"tcp    2001:db8::5#40000  64:ff9b::c633:6402#80  192.0.2.2#2000  "
		"198.51.100.2#80  ESTABLISHED  7199\n"
		"icmp   2001:db8::5#7      64:ff9b::c633:6402#0   192.0.2.2#1     "
		"198.51.100.2#0   -            60\n"
		"sessions: tcp 1, udp 0, icmp 1, total 2\n");
	check_printed(&transctl_session_cmd, sess_body, true,
		"{\"sessions\": [\n"
		"  {\"proto\": \"tcp\", \"ipv6\": \"2001:db8::5#40000\", "
		"\"remote6\": \"64:ff9b::c633:6402#80\", \"ipv4\": \"192.0.2.2#2000\", "
		"\"remote4\": \"198.51.100.2#80\", \"state\": \"ESTABLISHED\", "
		"\"expires_s\": 7199},\n"
		"  {\"proto\": \"icmp\", \"ipv6\": \"2001:db8::5#7\", "
		"\"remote6\": \"64:ff9b::c633:6402#0\", \"ipv4\": \"192.0.2.2#1\", "
		"\"remote4\": \"198.51.100.2#0\", \"state\": \"-\", "
		"\"expires_s\": 60}\n"
		"], \"counts\": {\"tcp\": 1, \"udp\": 0, \"icmp\": 1, \"total\": 2}, "
		"\"omitted\": 0}\n");
	/* A filtered, truncated listing says how much is not shown. */
	check_printed(&transctl_session_cmd,
		"# tcp 30000\n# udp 5\n# icmp 0\n# omitted 29999\n"
		"tcp\t-\t64:ff9b::1#1\t192.0.2.2#9\t0.0.0.1#1\tV4_INIT\t6\n",
		false,
		"PROTO  IPV6 HOST  IPV6 REMOTE   IPV4 LOCAL   IPV4 REMOTE  STATE    EXPIRES\n"
		"tcp    -          64:ff9b::1#1  192.0.2.2#9  0.0.0.1#1    V4_INIT  6\n"
		"sessions: tcp 30000, udp 5, icmp 0, total 30005 (1 shown; a "
		"listing stops at 20000 rows)\n");
	/* Empty tables. */
	check_printed(&transctl_session_cmd, "# tcp 0\n# udp 0\n# icmp 0\n", true,
		"{\"sessions\": [], \"counts\": {\"tcp\": 0, \"udp\": 0, "
		"\"icmp\": 0, \"total\": 0}, \"omitted\": 0}\n");
	/* Malformed: a count that is not a number, a short row. */
	got = printed(&transctl_session_cmd, "# tcp x\n", false, &ret);
	assert_int_equal(ret, -1);
	free(got);
	got = printed(&transctl_session_cmd, "tcp\t1\n", true, &ret);
	assert_int_equal(ret, -1);
	free(got);
	got = printed(&transctl_session_cmd,
		"# a 1\n# b 1\n# c 1\n# d 1\n# e 1\n# f 1\n# g 1\n# h 1\n# i 1\n",
		false, &ret);
	assert_int_equal(ret, -1);
	free(got);
}

static void test_bib_pool4_print(void **state)
{
	(void)state;
	check_printed(&transctl_bib_cmd,
		"# tcp 1\n# udp 1\n# icmp 0\n"
		"tcp\t2001:db8::5#80\t192.0.2.2#80\tstatic\t0\n"
		"udp\t2001:db8::5#5353\t192.0.2.2#1234\tdynamic\t2\n", false,
		"PROTO  IPV6 ADDR#PORT    IPV4 ADDR#PORT  TYPE     SESSIONS\n"
		"tcp    2001:db8::5#80    192.0.2.2#80    static   0\n"
		"udp    2001:db8::5#5353  192.0.2.2#1234  dynamic  2\n"
		"bindings: tcp 1, udp 1, icmp 0, total 2\n");
	/* Numbers are JSON numbers. */
	check_printed(&transctl_bib_cmd,
		"# tcp 1\n# udp 0\n# icmp 0\n"
		"tcp\t2001:db8::5#80\t192.0.2.2#80\tstatic\t3\n", true,
		"{\"bib\": [\n"
		"  {\"proto\": \"tcp\", \"ipv6\": \"2001:db8::5#80\", "
		"\"ipv4\": \"192.0.2.2#80\", \"type\": \"static\", "
		"\"sessions\": 3}\n"
		"], \"counts\": {\"tcp\": 1, \"udp\": 0, \"icmp\": 0, "
		"\"total\": 1}, \"omitted\": 0}\n");
	check_printed(&transctl_pool4_cmd,
		"# tcp 2 2\n# udp 0 65535\n# icmp 0 65536\n"
		"tcp\t192.0.2.2/32\t2000-2001\n", false,
		"PROTO  PREFIX        PORTS\n"
		"tcp    192.0.2.2/32  2000-2001\n"
		"pool4 used: tcp 2 of 2, udp 0 of 65535, icmp 0 of 65536\n");
	check_printed(&transctl_pool4_cmd,
		"# tcp 2 2\n# udp 0 65535\n# icmp 0 65536\n"
		"tcp\t192.0.2.2/32\t2000-2001\n", true,
		"{\"pool4\": [\n"
		"  {\"proto\": \"tcp\", \"prefix\": \"192.0.2.2/32\", \"ports\": \"2000-2001\"}\n"
		"], \"usage\": {\"tcp\": {\"used\": 2, \"total\": 2}, "
		"\"udp\": {\"used\": 0, \"total\": 65535}, "
		"\"icmp\": {\"used\": 0, \"total\": 65536}}}\n");
}

/* Whether a rule holds the words a, b one after the other. */
static bool rule_has(const struct rule *r, const char *a, const char *b)
{
	for (int i = 0; i + 1 < r->argc; i++)
		if (!strcmp(r->argv[i], a) && !strcmp(r->argv[i + 1], b))
			return true;
	return false;
}

/* The destinations a configuration's rules queue, in order (the rules
 * for addresses the host does not own). */
static void rule_dsts(const char *conf, char *out, size_t len)
{
	struct daemon_conf dc;
	struct config cfg;
	struct rules_plan plan;
	char err[256];
	size_t off = 0;

	assert_int_equal(config_parse_string("t", conf, &cfg, err,
					     sizeof(err)), 0);
	daemon_conf_init(&dc);
	dc.workers = 1;		/* the queues themselves, no spread chain */
	assert_int_equal(rules_build(&cfg, &dc, &plan, err, sizeof(err)), 0);
	out[0] = '\0';
	for (size_t i = 0; i < plan.count; i++) {
		const struct rule *r = &plan.rule[i];

		/* The pair for addresses not local to the host. */
		if (!rule_has(r, "!", "--dst-type") || rule_has(r, "!", "-p"))
			continue;
		for (int a = 0; a + 1 < r->argc; a++)
			if (!strcmp(r->argv[a], "-d"))
				off += (size_t)snprintf(out + off, len - off,
							"%d:%s ", r->family,
							r->argv[a + 1]);
		/* TCP to queue-tcp (64), then the rest to queue-other. */
		assert_true(i + 1 < plan.count);
		assert_string_equal(r->argv[r->argc - 1], "64");
		assert_true(rule_has(&plan.rule[i + 1], "!", "-p"));
		assert_string_equal(plan.rule[i + 1].argv[r->argc], "128");
	}
	rules_free(&plan);
	config_free(&cfg);
}

static void test_rules_nat64(void **state)
{
	char dsts[512];

	(void)state;
	/* pool4 prefixes once each, static addresses outside pool4 once. */
	rule_dsts("mode nat64\npool6 64:ff9b::/96\n"
		  "pool4 192.0.2.2 1-3000 tcp\npool4 192.0.2.2 udp\n"
		  "pool4 192.0.2.8/30 icmp\n"
		  "bib tcp 192.0.2.2#80 2001:db8::5#80\n"
		  "bib udp 203.0.113.7#53 2001:db8::5#53\n"
		  "bib tcp 203.0.113.7#53 2001:db8::5#53\n",
		  dsts, sizeof(dsts));
	assert_string_equal(dsts, "6:64:ff9b::/96 4:192.0.2.2/32 "
			    "4:192.0.2.8/30 4:203.0.113.7/32 ");
	/* The same file in mode siit queues none of them. */
	rule_dsts("mode siit\npool6 64:ff9b::/96\npool4 192.0.2.2\n"
		  "bib tcp 203.0.113.7#53 2001:db8::5#53\n", dsts, sizeof(dsts));
	assert_string_equal(dsts, "6:64:ff9b::/96 ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bib_args),
		cmocka_unit_test(test_session_pool4_args),
		cmocka_unit_test(test_session_print),
		cmocka_unit_test(test_bib_pool4_print),
		cmocka_unit_test(test_rules_nat64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
