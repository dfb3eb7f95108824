// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The firewall rules as text: the instance's chain name, what a listing
 * says is left in a table, and the iptables-restore transactions that
 * converge to exactly one set (and one jump) or remove everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rules.h"

/* A plan for a small SIIT file: pool6 on v6, one translate4. */
static void plan_workers(struct rules_plan *plan, const char *extra,
			 unsigned int workers)
{
	struct daemon_cfgset set;
	char text[512], err[256];

	snprintf(text, sizeof(text), "pool6 2001:db8:100::/40\n"
		 "interface v6 v6\n%s", extra);
	config_init(&set.cfg);
	daemon_conf_init(&set.dc);
	set.dc.translate4[0] = (struct prefix4){ .len = 24 };
	prefix4_parse("192.0.2.0/24", &set.dc.translate4[0]);
	set.dc.translate4_count = 1;
	set.dc.workers = (uint16_t)workers;
	set.dc.spread_seed = 0xabcd;
	assert_int_equal(config_parse_string("t", text, &set.cfg, err,
					     sizeof(err)), 0);
	assert_int_equal(rules_build(&set.cfg, &set.dc, plan, err,
				     sizeof(err)), 0);
	config_free(&set.cfg);
}

/* workers 1: the queues themselves, as before workers existed. */
static void plan_for(struct rules_plan *plan, const char *extra)
{
	plan_workers(plan, extra, 1);
}

/* What fn writes, as one string (freed by the caller). */
static char *text_of(const struct rules_plan *plan, int family,
		     const struct rules_seen *seen, bool remove)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (remove)
		rules_remove_text(plan->chain, seen, f);
	else
		rules_restore_text(plan, family, seen, f);
	fclose(f);
	return buf;
}

static void test_chain_name(void **state)
{
	struct daemon_conf dc;
	char chain[RULES_CHAIN_LEN];

	(void)state;
	daemon_conf_init(&dc);
	rules_chain_name(&dc, chain);
	assert_string_equal(chain, "XLAT-64-128");
	dc.queue_tcp = 65535;
	dc.queue_other = 65534;
	rules_chain_name(&dc, chain);
	assert_string_equal(chain, "XLAT-65535-65534");
}

static void test_scan(void **state)
{
	static const char listing[] =
		"-P PREROUTING ACCEPT\n"
		"-P OUTPUT ACCEPT\n"
		"-N XLAT-64-65\n"
		"-N XLAT-64-650\n"
		"-A PREROUTING -j XLAT-64-65\n"
		"-A PREROUTING -j XLAT-64-650\n"
		"-A PREROUTING -i v6 -j XLAT-64-65\n"
		"-A PREROUTING -j XLAT-64-65 \r\n"
		"-A XLAT-64-65 -d 192.0.2.0/24 -j NFQUEUE --queue-num 65\n"
		"-A XLAT-64-65 -d 192.0.2.0/24 -p tcp -j NFQUEUE --queue-num 64\n"
		"-A XLAT-64-650 -d 10.0.0.0/8 -j NFQUEUE --queue-num 650";
	struct rules_seen s;

	(void)state;
	rules_scan(listing, "XLAT-64-65", &s);
	/* The jump with "-i v6" is someone else's; the other chain too. */
	assert_true(s.exists);
	assert_int_equal(s.jumps, 2);
	assert_int_equal(s.rules, 2);
	rules_scan(listing, "XLAT-64-6", &s);
	assert_false(s.exists);
	assert_int_equal(s.jumps, 0);
	assert_int_equal(s.rules, 0);
	rules_scan("", "XLAT-64-65", &s);
	assert_false(s.exists);
}

static void test_restore_text(void **state)
{
	struct rules_seen none = { 0 };
	struct rules_seen three = { .exists = true, .jumps = 3, .rules = 4 };
	struct rules_plan plan;
	char *t;

	(void)state;
	plan_for(&plan, "");
	/* Nothing there yet: chain made, filled, jumped to once. */
	t = text_of(&plan, 6, &none, false);
	assert_string_equal(t,
		"*raw\n:XLAT-64-128 - [0:0]\n-F XLAT-64-128\n"
		"-A XLAT-64-128 -i v6 -d 2001:db8:100::/40 -p tcp -m addrtype "
		"! --dst-type LOCAL -m mark ! --mark 0x5854 -j NFQUEUE "
		"--queue-num 64\n"
		"-A XLAT-64-128 -i v6 -d 2001:db8:100::/40 ! -p tcp -m addrtype "
		"! --dst-type LOCAL -m mark ! --mark 0x5854 -j NFQUEUE "
		"--queue-num 128\n"
		"-A PREROUTING -j XLAT-64-128\nCOMMIT\n");
	free(t);
	/* Three jumps left by crashes: two go, the chain is refilled. */
	t = text_of(&plan, 4, &three, false);
	assert_string_equal(t,
		"*raw\n:XLAT-64-128 - [0:0]\n-F XLAT-64-128\n"
		"-A XLAT-64-128 ! -i xlat-tun -d 192.0.2.0/24 -p tcp -m addrtype "
		"! --dst-type LOCAL,BROADCAST,MULTICAST -m mark ! --mark 0x5854 "
		"-j NFQUEUE --queue-num 64\n"
		"-A XLAT-64-128 ! -i xlat-tun -d 192.0.2.0/24 ! -p tcp -m addrtype "
		"! --dst-type LOCAL,BROADCAST,MULTICAST -m mark ! --mark 0x5854 "
		"-j NFQUEUE --queue-num 128\n"
		"-D PREROUTING -j XLAT-64-128\n-D PREROUTING -j XLAT-64-128\n"
		"COMMIT\n");
	free(t);
	rules_free(&plan);
}

static void test_remove_text(void **state)
{
	struct rules_seen both = { .exists = true, .jumps = 2, .rules = 4 };
	struct rules_seen chain = { .exists = true };
	struct rules_seen jumps = { .jumps = 1 };
	struct rules_plan plan;
	char *t;

	(void)state;
	plan_for(&plan, "");
	t = text_of(&plan, 4, &both, true);
	assert_string_equal(t, "*raw\n-D PREROUTING -j XLAT-64-128\n"
			    "-D PREROUTING -j XLAT-64-128\n-F XLAT-64-128\n"
			    "-X XLAT-64-128\nCOMMIT\n");
	free(t);
	t = text_of(&plan, 4, &chain, true);
	assert_string_equal(t, "*raw\n-F XLAT-64-128\n-X XLAT-64-128\nCOMMIT\n");
	free(t);
	/* A jump without its chain cannot be, but is removed alone. */
	t = text_of(&plan, 4, &jumps, true);
	assert_string_equal(t, "*raw\n-D PREROUTING -j XLAT-64-128\nCOMMIT\n");
	free(t);
	rules_free(&plan);
}

/* The printed script: per family, the restore and an idempotent jump. */
static void test_print(void **state)
{
	struct rules_plan plan;
	char *buf = NULL;
	size_t len;
	FILE *f;

	(void)state;
	plan_for(&plan, "");
	f = open_memstream(&buf, &len);
	rules_print(&plan, f);
	fclose(f);
	assert_non_null(strstr(buf, "iptables-restore -w 5 --noflush <<'EOF'\n"
			       "*raw\n:XLAT-64-128 - [0:0]\n"));
	assert_non_null(strstr(buf, "COMMIT\nEOF\niptables -w 5 -t raw -C "
			       "PREROUTING -j XLAT-64-128 2>/dev/null ||\n\t"
			       "iptables -w 5 -t raw -A PREROUTING -j "
			       "XLAT-64-128\nip6tables-restore"));
	/* The jump is in the -C || -A line, not in the transaction. */
	assert_null(strstr(buf, "\n-A PREROUTING"));
	assert_null(strstr(buf, "\n-D PREROUTING"));
	free(buf);
	rules_free(&plan);
}

/*
 * workers 2: the destinations jump to a spread chain per class, which
 * hashes the flow (HMARK) and queues to that worker's queue, worker 0's
 * when the hash gave nothing; the spread chains are declared first.
 */
static void test_restore_workers(void **state)
{
	static const char *const spread[] = { "O", "128", "129",
					      "T", "64", "65" };
	struct rules_seen none = { 0 };
	struct rules_plan plan;
	char want[4096], *t;
	size_t off;

	(void)state;
	plan_workers(&plan, "", 2);
	assert_int_equal(rules_count_family(&plan, 4), 2);
	t = text_of(&plan, 6, &none, false);
	off = (size_t)snprintf(want, sizeof(want), "*raw\n"
		":XLAT-64-128-O - [0:0]\n-F XLAT-64-128-O\n"
		":XLAT-64-128-T - [0:0]\n-F XLAT-64-128-T\n"
		":XLAT-64-128 - [0:0]\n-F XLAT-64-128\n");
	for (int k = 0; k < 6; k += 3)
		off += (size_t)snprintf(want + off, sizeof(want) - off,
			"-A XLAT-64-128-%s -j HMARK --hmark-tuple "
			"src,dst,sport,dport,proto --hmark-mod 2 "
			"--hmark-offset 0x5855 --hmark-rnd 0xabcd\n"
			"-A XLAT-64-128-%s -m mark --mark 0x5855 -j NFQUEUE "
			"--queue-num %s\n"
			"-A XLAT-64-128-%s -m mark --mark 0x5856 -j NFQUEUE "
			"--queue-num %s\n"
			"-A XLAT-64-128-%s -j NFQUEUE --queue-num %s\n",
			spread[k], spread[k], spread[k + 1], spread[k],
			spread[k + 2], spread[k], spread[k + 1]);
	snprintf(want + off, sizeof(want) - off,
		"-A XLAT-64-128 -i v6 -d 2001:db8:100::/40 -p tcp -m addrtype "
		"! --dst-type LOCAL -m mark ! --mark 0x5854 -j XLAT-64-128-T\n"
		"-A XLAT-64-128 -i v6 -d 2001:db8:100::/40 ! -p tcp -m addrtype "
		"! --dst-type LOCAL -m mark ! --mark 0x5854 -j XLAT-64-128-O\n"
		"-A PREROUTING -j XLAT-64-128\nCOMMIT\n");
	assert_string_equal(t, want);
	free(t);
	rules_free(&plan);
}

/* Spread chains are found, removed after the main chain, and those a
 * crashed run with more workers left are dropped by a run with one. */
static void test_workers_cleanup(void **state)
{
	static const char listing[] =
		"-N XLAT-64-128\n-N XLAT-64-128-O\n-N XLAT-64-128-T\n"
		"-A PREROUTING -j XLAT-64-128\n"
		"-A XLAT-64-128 -d 192.0.2.0/24 -j XLAT-64-128-O\n"
		"-A XLAT-64-128-O -j NFQUEUE --queue-num 128\n";
	struct rules_plan plan;
	struct rules_seen s;
	char *t;

	(void)state;
	rules_scan(listing, "XLAT-64-128", &s);
	assert_true(s.exists);
	assert_true(s.sub[RULES_SUB_TCP]);
	assert_true(s.sub[RULES_SUB_OTHER]);
	assert_int_equal(s.rules, 1);
	plan_for(&plan, "");
	t = text_of(&plan, 4, &s, true);
	assert_string_equal(t, "*raw\n-D PREROUTING -j XLAT-64-128\n"
			    "-F XLAT-64-128\n-X XLAT-64-128\n"
			    "-F XLAT-64-128-T\n-X XLAT-64-128-T\n"
			    "-F XLAT-64-128-O\n-X XLAT-64-128-O\nCOMMIT\n");
	free(t);
	t = text_of(&plan, 4, &s, false);
	assert_non_null(strstr(t, "--queue-num 128\n"
			       "-F XLAT-64-128-T\n-X XLAT-64-128-T\n"
			       "-F XLAT-64-128-O\n-X XLAT-64-128-O\nCOMMIT\n"));
	free(t);
	rules_free(&plan);
}

/* The rules of one NAT64 address, in order, as restore lines. */
static void test_nat64_local(void **state)
{
	static const struct rules_seen one = { .exists = true, .jumps = 1 };
	struct daemon_cfgset set;
	struct rules_plan plan;
	char err[256], *t;

	(void)state;
	config_init(&set.cfg);
	daemon_conf_init(&set.dc);
	set.dc.egress = DCONF_EGRESS_RAW;
	set.dc.workers = 1;
	assert_int_equal(config_parse_string("t", "mode nat64\n"
		"pool6 64:ff9b::/96\npool4 192.0.2.1 61001-65535 tcp\n"
		"pool4 192.0.2.1 61001-65535 icmp\n"
		"bib tcp 192.0.2.1#443 2001:db8::5#443\n"
		"bib tcp 192.0.2.1#61010 2001:db8::5#80\n",
		&set.cfg, err, sizeof(err)), 0);
	assert_int_equal(rules_build(&set.cfg, &set.dc, &plan, err,
				     sizeof(err)), 0);
	t = text_of(&plan, 4, &one, false);
	/* Routed there: everything; the host's own: pool4's TCP ports, the
	 * binding outside them (443; 61010 is inside), ICMP but echo
	 * requests. No UDP rule: pool4 lends no UDP there. */
	assert_string_equal(t,
		"*raw\n:XLAT-64-128 - [0:0]\n-F XLAT-64-128\n"
		"-A XLAT-64-128 -d 192.0.2.1/32 -p tcp -m addrtype ! --dst-type "
		"LOCAL,BROADCAST,MULTICAST -m mark ! --mark 0x5854 -j NFQUEUE "
		"--queue-num 64\n"
		"-A XLAT-64-128 -d 192.0.2.1/32 ! -p tcp -m addrtype ! --dst-type "
		"LOCAL,BROADCAST,MULTICAST -m mark ! --mark 0x5854 -j NFQUEUE "
		"--queue-num 128\n"
		"-A XLAT-64-128 -d 192.0.2.1/32 -p icmp -m icmp ! --icmp-type "
		"echo-request -m addrtype --dst-type LOCAL -m mark ! --mark "
		"0x5854 -j NFQUEUE --queue-num 128\n"
		"-A XLAT-64-128 -d 192.0.2.1/32 -p tcp --dport 61001:65535 -m "
		"addrtype --dst-type LOCAL -m mark ! --mark 0x5854 -j NFQUEUE "
		"--queue-num 64\n"
		"-A XLAT-64-128 -d 192.0.2.1/32 -p tcp --dport 443 -m addrtype "
		"--dst-type LOCAL -m mark ! --mark 0x5854 -j NFQUEUE "
		"--queue-num 64\n"
		"COMMIT\n");
	free(t);
	rules_free(&plan);
	config_free(&set.cfg);
}

/* The value after --dst-type in a rule, and whether a "!" precedes it. */
static const char *dst_type(const struct rule *r, bool *negated)
{
	for (int a = 1; a + 1 < r->argc; a++)
		if (!strcmp(r->argv[a], "--dst-type")) {
			*negated = !strcmp(r->argv[a - 1], "!");
			return r->argv[a + 1];
		}
	return NULL;
}

/*
 * A CLAT (docs/clat.md): the LAN's broadcast 192.168.1.255 lies in the
 * EAMT's IPv4 prefix and everything under translate4 0.0.0.0/0. The IPv4
 * rules leave broadcast and multicast destinations to the host (they were
 * translated to 2001:db8:aaaa::ff and sent out the WAN, or dropped);
 * ip6tables knows no BROADCAST type, so the IPv6 rules keep LOCAL alone.
 */
static void test_clat_broadcast(void **state)
{
	struct daemon_cfgset set;
	struct rules_plan plan;
	char err[256];
	size_t i, v4 = 0, v6 = 0;

	(void)state;
	config_init(&set.cfg);
	daemon_conf_init(&set.dc);
	set.dc.workers = 1;
	prefix4_parse("0.0.0.0/0", &set.dc.translate4[0]);
	set.dc.translate4_count = 1;
	assert_int_equal(config_parse_string("t", "mode siit\n"
		"pool6 64:ff9b::/96\n"
		"eamt 2001:db8:aaaa::/120 192.168.1.0/24\n"
		"interface v6 wan\ninterface v4 lan\n",
		&set.cfg, err, sizeof(err)), 0);
	assert_int_equal(rules_build(&set.cfg, &set.dc, &plan, err,
				     sizeof(err)), 0);
	for (i = 0; i < plan.count; i++) {
		bool neg = false;
		const char *t = dst_type(&plan.rule[i], &neg);

		assert_non_null(t);
		assert_true(neg);
		if (plan.rule[i].family == 4) {
			assert_string_equal(t, "LOCAL,BROADCAST,MULTICAST");
			v4++;
		} else {
			assert_string_equal(t, "LOCAL");
			v6++;
		}
	}
	/* 192.168.1.0/24 and 0.0.0.0/0; 64:ff9b::/96 and the /120. */
	assert_int_equal(v4, 4);
	assert_int_equal(v6, 4);
	rules_free(&plan);
	config_free(&set.cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_name),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_restore_text),
		cmocka_unit_test(test_remove_text),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_restore_workers),
		cmocka_unit_test(test_workers_cleanup),
		cmocka_unit_test(test_nat64_local),
		cmocka_unit_test(test_clat_broadcast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
