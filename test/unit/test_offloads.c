// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Offloads, the pure parts: the fixed rule, risks, MTU checks, exit
 * statuses, --fix plans, the targets, the devices below them and the
 * "say it once" state (common/offloads.c); an RTM_NEWLINK read
 * (common/link_nl.c); the table, the JSON, the command line and a
 * daemon's `interface` lines (usr/offloads_cli.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "offloads_cli.h"

/* An interface with every feature off and changeable, sizes at 64 KB. */
static struct offl_iface mk_iface(const char *name, unsigned int roles,
				  uint32_t mtu)
{
	struct offl_iface ifc;
	int i;

	memset(&ifc, 0, sizeof(ifc));
	snprintf(ifc.name, sizeof(ifc.name), "%s", name);
	ifc.roles = roles;
	ifc.mtu = mtu;
	for (i = 0; i < OFFL_S_COUNT; i++) {
		ifc.size[i] = OFFL_SIZE_LIMIT;
		ifc.size_known[i] = true;
	}
	return ifc;
}

static const struct offl_row *find_row(const struct offl_row *rows,
				       size_t n, const char *iface,
				       const char *feature)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].iface, iface) &&
		    !strcmp(rows[i].feature, feature))
			return &rows[i];
	fail_msg("no row %s %s", iface, feature);
	return NULL;
}

/* Runs a printer into a string; the caller frees it. */
#define CAPTURE(buf, call)						\
	do {								\
		size_t len_;						\
		FILE *f = open_memstream(&(buf), &len_);		\
		assert_non_null(f);					\
		call;							\
		fclose(f);						\
	} while (0)

static void test_fixed_rule(void **state)
{
	struct offl_feat_state s;

	(void)state;
	s = offl_feat_state(true, true, false);
	assert_true(s.on);
	assert_false(s.fixed);
	s = offl_feat_state(false, false, false);	/* not in HW */
	assert_false(s.on);
	assert_true(s.fixed);
	s = offl_feat_state(true, true, true);		/* in NOCHANGE */
	assert_true(s.on);
	assert_true(s.fixed);
	s = offl_feat_state(false, true, false);	/* on, not changeable */
	assert_true(s.on);
	assert_true(s.fixed);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(offl_feat_name(OFFL_F_GRO), "rx-gro");
	assert_string_equal(offl_feat_name(OFFL_F_LRO), "rx-lro");
	assert_string_equal(offl_feat_name(OFFL_F_GRO_HW), "rx-gro-hw");
	assert_string_equal(offl_feat_name(OFFL_F_GRO_LIST), "rx-gro-list");
	assert_string_equal(offl_feat_name(OFFL_F_UDP_GRO_FWD),
			    "rx-udp-gro-forwarding");
	assert_string_equal(offl_size_name(OFFL_S_GRO_IPV4),
			    "gro_ipv4_max_size");
}

static void test_risk_classes(void **state)
{
	static const struct {
		enum offl_feat f;
		const char *risk_on;
	} cases[] = {
		{ OFFL_F_GRO, "handled" }, { OFFL_F_GRO_HW, "handled" },
		{ OFFL_F_TSO, "handled" }, { OFFL_F_TSO6, "handled" },
		{ OFFL_F_LRO, "risky" }, { OFFL_F_GRO_LIST, "risky" },
		{ OFFL_F_UDP_GRO_FWD, "risky" },
	};
	static const char *const risk_names[] = {
		"ok", "handled", "info", "risky",
	};
	struct offl_row rows[OFFL_ROWS_PER_IFACE];
	struct offl_iface ifc;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ifc = mk_iface("eth0", 0, 1500);
		n = offl_rows(&ifc, 1, rows);
		assert_int_equal(n, OFFL_ROWS_PER_IFACE);
		assert_int_equal(rows[cases[i].f].risk, OFFL_RISK_OK);
		assert_int_equal(offl_exit_code(rows, n), OFFL_EXIT_OK);
		ifc.feat[cases[i].f].on = true;
		n = offl_rows(&ifc, 1, rows);
		assert_string_equal(rows[cases[i].f].feature,
				    offl_feat_name(cases[i].f));
		assert_string_equal(rows[cases[i].f].state, "on");
		assert_string_equal(risk_names[rows[cases[i].f].risk],
				    cases[i].risk_on);
		assert_int_equal(offl_exit_code(rows, n),
				 !strcmp(cases[i].risk_on, "risky") ?
				 OFFL_EXIT_RISKY : OFFL_EXIT_OK);
	}
}

static void test_fixed_column(void **state)
{
	struct offl_row rows[OFFL_ROWS_PER_IFACE];
	struct offl_iface ifc = mk_iface("eth0", 0, 1500);
	size_t n;

	(void)state;
	ifc.feat[OFFL_F_LRO] = offl_feat_state(false, false, false);
	ifc.feat[OFFL_F_GRO_LIST] = offl_feat_state(true, true, false);
	n = offl_rows(&ifc, 1, rows);
	assert_int_equal(find_row(rows, n, "eth0", "rx-lro")->fixed,
			 OFFL_FIXED_YES);
	assert_int_equal(find_row(rows, n, "eth0", "rx-gro-list")->fixed,
			 OFFL_FIXED_NO);
	assert_int_equal(find_row(rows, n, "eth0", "mtu")->fixed,
			 OFFL_FIXED_NA);
}

static void test_big_tcp(void **state)
{
	struct offl_row rows[OFFL_ROWS_PER_IFACE];
	struct offl_iface ifc = mk_iface("eth0", 0, 1500);
	size_t n;

	(void)state;
	ifc.size[OFFL_S_GSO] = OFFL_SIZE_LIMIT + 1;
	ifc.size_known[OFFL_S_GSO_IPV4] = false;	/* kernel before 6.3 */
	n = offl_rows(&ifc, 1, rows);
	assert_int_equal(n, OFFL_ROWS_PER_IFACE - 1);
	assert_int_equal(find_row(rows, n, "eth0", "gro_max_size")->risk,
			 OFFL_RISK_OK);
	assert_int_equal(find_row(rows, n, "eth0", "gso_max_size")->risk,
			 OFFL_RISK_RISKY);
	assert_string_equal(find_row(rows, n, "eth0", "gso_max_size")->state,
			    "65537");
	assert_string_equal(find_row(rows, n, "eth0", "gso_max_size")->why,
			    "BIG TCP: over 64 KB, NFQUEUE truncates");
	assert_int_equal(offl_exit_code(rows, n), OFFL_EXIT_RISKY);
}

/*
 * The MTU row of v4 (and v6) with the given MTUs and roles. Rows point
 * at the interface names, so the interfaces outlive the call.
 */
static const struct offl_row *mtu_case(struct offl_row *rows,
				       uint32_t mtu4, uint32_t mtu6)
{
	static struct offl_iface ifs[2];
	size_t n;

	ifs[0] = mk_iface("v4", OFFL_ROLE_V4, mtu4);
	ifs[1] = mk_iface("v6", OFFL_ROLE_V6, mtu6);
	n = offl_rows(ifs, 2, rows);
	return find_row(rows, n, "v4", "mtu");
}

static void test_mtu(void **state)
{
	struct offl_row rows[2 * OFFL_ROWS_PER_IFACE];
	const struct offl_row *r;
	struct offl_iface ifc;
	size_t n;

	(void)state;
	r = mtu_case(rows, 1500, 1500);
	assert_int_equal(r->risk, OFFL_RISK_INFO);
	assert_string_equal(r->why,
		"IPv4 MTU 1500 + 20 > IPv6 MTU 1500: IPv4 packets over 1480 bytes get Fragmentation Needed (DF) or become IPv6 fragments");
	assert_int_equal(offl_exit_code(rows, 2 * OFFL_ROWS_PER_IFACE),
			 OFFL_EXIT_OK);	/* information is not risky */
	r = mtu_case(rows, 1480, 1500);
	assert_int_equal(r->risk, OFFL_RISK_OK);
	assert_string_equal(r->why, "IPv4 MTU 1480 + 20 <= IPv6 MTU 1500");
	r = mtu_case(rows, 1400, 1500);	/* IPv6 senders do PMTUD */
	assert_int_equal(r->risk, OFFL_RISK_OK);
	assert_string_equal(find_row(rows, 2 * OFFL_ROWS_PER_IFACE, "v6",
				     "mtu")->why, "IPv6 side: at least 1280");

	mtu_case(rows, 1200, 1279);
	r = find_row(rows, 2 * OFFL_ROWS_PER_IFACE, "v6", "mtu");
	assert_int_equal(r->risk, OFFL_RISK_RISKY);
	assert_string_equal(r->why, "IPv6 side: below the IPv6 minimum of 1280");
	assert_int_equal(offl_exit_code(rows, 2 * OFFL_ROWS_PER_IFACE),
			 OFFL_EXIT_RISKY);

	ifc = mk_iface("v4", OFFL_ROLE_V4, 1500);
	n = offl_rows(&ifc, 1, rows);
	assert_string_equal(find_row(rows, n, "v4", "mtu")->why,
			    "IPv4 side: no IPv6 side to compare with");
	/* One interface for both sides: its packets grow into itself. */
	ifc = mk_iface("both", OFFL_ROLE_V4 | OFFL_ROLE_V6, 1500);
	n = offl_rows(&ifc, 1, rows);
	assert_int_equal(find_row(rows, n, "both", "mtu")->risk,
			 OFFL_RISK_INFO);
	ifc = mk_iface("x", 0, 1500);
	n = offl_rows(&ifc, 1, rows);
	assert_string_equal(find_row(rows, n, "x", "mtu")->why,
			    "not checked: side unknown (give -c CONFIG)");
}

static void test_plan_and_settle(void **state)
{
	struct offl_action acts[2 * OFFL_ACTS_PER_IFACE];
	struct offl_iface ifs[2], after[2];
	size_t n;

	(void)state;
	ifs[0] = mk_iface("a", 0, 1500);
	ifs[1] = mk_iface("b", 0, 1500);
	ifs[0].feat[OFFL_F_GRO] = offl_feat_state(true, true, false);
	ifs[0].feat[OFFL_F_GRO_LIST] = offl_feat_state(true, true, false);
	ifs[0].feat[OFFL_F_UDP_GRO_FWD] = offl_feat_state(true, true, false);
	ifs[1].feat[OFFL_F_LRO] = offl_feat_state(false, true, false);
	ifs[1].size[OFFL_S_GRO] = 131072;
	n = offl_plan(ifs, 2, acts);
	assert_int_equal(n, 4);		/* rx-gro is handled: left alone */
	assert_int_equal(acts[0].iface, 0);
	assert_int_equal(acts[0].id, OFFL_F_GRO_LIST);
	assert_int_equal(acts[0].result, OFFL_RES_WOULD);
	assert_int_equal(acts[1].id, OFFL_F_UDP_GRO_FWD);
	assert_int_equal(acts[2].iface, 1);
	assert_int_equal(acts[2].id, OFFL_F_LRO);
	assert_int_equal(acts[2].result, OFFL_RES_FIXED);
	assert_true(acts[3].is_size);
	assert_int_equal(acts[3].from, 131072);
	assert_int_equal(acts[3].to, OFFL_SIZE_LIMIT);

	/* The kernel turned UDP GRO forwarding off, kept GRO list on. */
	memcpy(after, ifs, sizeof(after));
	after[0].feat[OFFL_F_UDP_GRO_FWD].on = false;
	after[1].size[OFFL_S_GRO] = OFFL_SIZE_LIMIT;
	offl_settle(acts, n, after);
	assert_int_equal(acts[0].result, OFFL_RES_UNCHANGED);
	assert_int_equal(acts[1].result, OFFL_RES_CHANGED);
	assert_int_equal(acts[2].result, OFFL_RES_FIXED);
	assert_int_equal(acts[3].result, OFFL_RES_CHANGED);

	/* Nothing risky: nothing to do (idempotent). */
	n = offl_plan(after, 1, acts);
	assert_int_equal(n, 1);
	after[0].feat[OFFL_F_GRO_LIST].on = false;
	assert_int_equal(offl_plan(after, 1, acts), 0);
}

static void test_print_actions(void **state)
{
	struct offl_action acts[OFFL_ACTS_PER_IFACE];
	struct offl_iface ifc = mk_iface("eth0", 0, 1500);
	char *out = NULL;
	size_t n;

	(void)state;
	CAPTURE(out, offl_print_actions(f, acts, 0, &ifc));
	assert_string_equal(out, "nothing to change\n");
	free(out);

	ifc.feat[OFFL_F_GRO_LIST] = offl_feat_state(true, true, false);
	ifc.feat[OFFL_F_LRO] = offl_feat_state(true, true, true);
	ifc.size[OFFL_S_GRO] = 131072;
	n = offl_plan(&ifc, 1, acts);
	CAPTURE(out, offl_print_actions(f, acts, n, &ifc));
	assert_string_equal(out,
		"eth0 rx-lro: on: fixed in hardware, cannot change\n"
		"eth0 rx-gro-list: on -> off: would change\n"
		"eth0 gro_max_size: 131072 -> 65536: would change\n");
	free(out);
	acts[1].result = OFFL_RES_CHANGED;
	acts[2].result = OFFL_RES_UNCHANGED;
	CAPTURE(out, offl_print_actions(f, acts + 1, 2, &ifc));
	assert_string_equal(out,
		"eth0 rx-gro-list: on -> off: changed\n"
		"eth0 gro_max_size: 131072: the kernel kept it\n");
	free(out);
}

/* Two rows by hand, so the expected table stays short. */
static void two_rows(struct offl_row *rows)
{
	memset(rows, 0, 2 * sizeof(*rows));
	rows[0].iface = "veth0";
	rows[0].feature = "rx-gro-list";
	strcpy(rows[0].state, "on");
	rows[0].fixed = OFFL_FIXED_NO;
	rows[0].risk = OFFL_RISK_RISKY;
	strcpy(rows[0].why, "GRO list: datagram boundaries lost");
	rows[1].iface = "a\"b";
	rows[1].feature = "mtu";
	strcpy(rows[1].state, "1500");
	rows[1].fixed = OFFL_FIXED_NA;
	rows[1].risk = OFFL_RISK_INFO;
	strcpy(rows[1].why, "back\\slash\ttab");
}

static void test_table(void **state)
{
	struct offl_row rows[2];
	char *out = NULL;

	(void)state;
	two_rows(rows);
	CAPTURE(out, offl_print_table(f, rows, 2));
	assert_string_equal(out,
		"INTERFACE  FEATURE      STATE  FIXED  RISK   WHY\n"
		"veth0      rx-gro-list  on     no     risky  GRO list: datagram boundaries lost\n"
		"a\"b        mtu          1500   -      info   back\\slash\ttab\n");
	free(out);
	CAPTURE(out, offl_print_summary(f, rows, 2));
	assert_string_equal(out,
		"1 risky: 1 can change (--fix), 0 cannot; 1 note\n");
	free(out);
	CAPTURE(out, offl_print_summary(f, rows + 1, 0));
	assert_string_equal(out, "nothing risky\n");
	free(out);
}

static void test_json(void **state)
{
	struct offl_action acts[1] = {
		{ .iface = 0, .id = OFFL_F_GRO_LIST, .from = 1, .to = 0,
		  .result = OFFL_RES_CHANGED },
	};
	struct offl_iface ifc = mk_iface("veth0", 0, 1500);
	struct offl_row rows[2];
	char *out = NULL;

	(void)state;
	two_rows(rows);
	CAPTURE(out, offl_print_json(f, rows, 2, NULL, 0, &ifc));
	assert_string_equal(out,
		"{\n"
		"  \"rows\": [\n"
		"    {\"interface\": \"veth0\", \"feature\": \"rx-gro-list\", \"state\": \"on\", \"fixed\": false, \"risk\": \"risky\", \"why\": \"GRO list: datagram boundaries lost\"},\n"
		"    {\"interface\": \"a\\\"b\", \"feature\": \"mtu\", \"state\": \"1500\", \"fixed\": null, \"risk\": \"info\", \"why\": \"back\\\\slash\\u0009tab\"}\n"
		"  ],\n"
		"  \"risky\": 1,\n"
		"  \"risky_fixed\": 0,\n"
		"  \"notes\": 1,\n"
		"  \"exit\": 1\n"
		"}\n");
	free(out);
	CAPTURE(out, offl_print_json(f, rows, 0, acts, 1, &ifc));
	assert_string_equal(out,
		"{\n"
		"  \"rows\": [\n"
		"  ],\n"
		"  \"actions\": [\n"
		"    {\"interface\": \"veth0\", \"feature\": \"rx-gro-list\", \"from\": \"on\", \"to\": \"off\", \"result\": \"changed\"}\n"
		"  ],\n"
		"  \"risky\": 0,\n"
		"  \"risky_fixed\": 0,\n"
		"  \"notes\": 0,\n"
		"  \"exit\": 0\n"
		"}\n");
	free(out);
	CAPTURE(out, offl_print_json(f, rows, 0, acts, 0, &ifc));
	assert_non_null(strstr(out, "  \"actions\": [],\n"));
	free(out);
}

/* Parses a NULL-terminated word list; returns offl_parse_args's result. */
static int parse(struct offl_opts *o, char *err, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	argv[argc++] = "offloads";
	va_start(ap, err);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return offl_parse_args(argc, argv, o, err, 256);
}

static void test_args_ok(void **state)
{
	struct offl_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "eth0", "-c", "x.conf", "--fix",
			       "eth1", "--json", NULL), 0);
	assert_int_equal(o.n_ifaces, 2);
	assert_string_equal(o.ifaces[0], "eth0");
	assert_string_equal(o.ifaces[1], "eth1");
	assert_string_equal(o.config, "x.conf");
	assert_true(o.fix);
	assert_true(o.json);
	assert_false(o.dry_run);
	assert_int_equal(parse(&o, err, "--config=y.conf", "--dry-run",
			       NULL), 0);
	assert_string_equal(o.config, "y.conf");
	assert_true(o.dry_run);
	assert_int_equal(o.n_ifaces, 0);
	assert_null(o.control);
	assert_int_equal(parse(&o, err, "-s", "/tmp/c.sock", NULL), 0);
	assert_string_equal(o.control, "/tmp/c.sock");
	assert_null(o.config);
	assert_int_equal(parse(&o, err, "--control=/x", "eth0", NULL), 0);
	assert_string_equal(o.control, "/x");
	assert_int_equal(o.n_ifaces, 1);
}

static void test_args_errors(void **state)
{
	struct offl_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "--frob", NULL), -1);
	assert_string_equal(err, "unknown option '--frob'");
	assert_int_equal(parse(&o, err, "-x", NULL), -1);
	assert_string_equal(err, "unknown option '-x'");
	assert_int_equal(parse(&o, err, "eth0", "-c", NULL), -1);
	assert_string_equal(err, "missing argument to '-c'");
	assert_int_equal(parse(&o, err, "--config", NULL), -1);
	assert_string_equal(err, "missing argument to '--config'");
	assert_int_equal(parse(&o, err, "--fix=yes", NULL), -1);
	assert_string_equal(err, "unknown option '--fix=yes'");
	assert_int_equal(parse(&o, err, "0123456789abcdef", NULL), -1);
	assert_string_equal(err,
		"interface name '0123456789abcdef' is too long (at most 15 characters)");
	assert_int_equal(parse(&o, err, "", NULL), -1);
	assert_string_equal(err, "empty interface name");
}

static void test_args_too_many(void **state)
{
	char *argv[OFFL_MAX_IFACES + 3];
	char names[OFFL_MAX_IFACES + 1][16];
	struct offl_opts o;
	char err[256];
	int i;

	(void)state;
	argv[0] = "offloads";
	for (i = 0; i <= OFFL_MAX_IFACES; i++) {
		snprintf(names[i], sizeof(names[i]), "if%d", i);
		argv[i + 1] = names[i];
	}
	argv[OFFL_MAX_IFACES + 2] = NULL;
	assert_int_equal(offl_parse_args(OFFL_MAX_IFACES + 1, argv, &o, err,
					 sizeof(err)), 0);
	assert_int_equal(offl_parse_args(OFFL_MAX_IFACES + 2, argv, &o, err,
					 sizeof(err)), -1);
	assert_string_equal(err, "too many interfaces (at most 16)");
}

static void test_targets(void **state)
{
	const char *names[] = { "eth1", "eth0", "eth1" };
	struct offl_iface ifs[OFFL_MAX_IFACES];

	(void)state;
	/* IFACE arguments win; the configuration still gives the roles. */
	assert_int_equal(offl_targets(names, 3, "eth0", "eth9", ifs), 2);
	assert_string_equal(ifs[0].name, "eth1");
	assert_int_equal(ifs[0].roles, 0);
	assert_string_equal(ifs[1].name, "eth0");
	assert_int_equal(ifs[1].roles, OFFL_ROLE_V4);

	/* From the configuration: v4 then v6; one interface, both roles. */
	assert_int_equal(offl_targets(NULL, 0, "eth0", "eth6", ifs), 2);
	assert_string_equal(ifs[0].name, "eth0");
	assert_int_equal(ifs[0].roles, OFFL_ROLE_V4);
	assert_string_equal(ifs[1].name, "eth6");
	assert_int_equal(ifs[1].roles, OFFL_ROLE_V6);
	assert_int_equal(offl_targets(NULL, 0, "br0", "br0", ifs), 1);
	assert_int_equal(ifs[0].roles, OFFL_ROLE_V4 | OFFL_ROLE_V6);
	assert_int_equal(offl_targets(NULL, 0, "", "eth6", ifs), 1);
	assert_string_equal(ifs[0].name, "eth6");
	assert_int_equal(ifs[0].roles, OFFL_ROLE_V6);

	/* Nothing named anywhere: nothing to examine. */
	assert_int_equal(offl_targets(NULL, 0, "", "", ifs), 0);
	assert_int_equal(offl_targets(NULL, 0, NULL, NULL, ifs), 0);
}

/* The `interface` lines of translatord's `config` reply. */
static void test_config_ifaces(void **state)
{
	char v4[IF_NAMESIZE], v6[IF_NAMESIZE];

	(void)state;
	offl_config_ifaces("# running configuration of translatord (x)\n"
			   "mode siit\n"
			   "pool6 2001:db8:100::/40\n"
			   "interface v6 eth6\n"
			   "interface v4 eth4\n"
			   "rules auto\n", v4, v6);
	assert_string_equal(v4, "eth4");
	assert_string_equal(v6, "eth6");

	/* Last line without "\n"; only one side. */
	offl_config_ifaces("mtu v4 1500\ninterface v4 a.b-c_0", v4, v6);
	assert_string_equal(v4, "a.b-c_0");
	assert_string_equal(v6, "");

	/* Neither: comments, other directives, prefixes of the name, junk. */
	offl_config_ifaces("# interface v4 nope\n"
			   "interfacev4 x\n"
			   "interface v4\n"
			   "interface v4 \n"
			   "interface v4 two words\n"
			   "interface v6 0123456789abcdef\n"
			   "interface v46 x\n", v4, v6);
	assert_string_equal(v4, "");
	assert_string_equal(v6, "");
	offl_config_ifaces("", v4, v6);
	assert_string_equal(v4, "");
}

/* --- devices below -------------------------------------------------- */

/* An RTM_NEWLINK as the kernel sends it; kind NULL: no IFLA_LINKINFO. */
static struct nlmsghdr *mk_newlink(char *buf, uint16_t type, int ifindex,
				   const char *name, uint32_t master,
				   uint32_t link, const char *kind)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	struct nlattr *info;

	memset(buf, 0, 1024);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, master);
	if (link)
		mnl_attr_put_u32(nlh, IFLA_LINK, link);
	if (kind) {
		info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
		mnl_attr_nest_end(nlh, info);
	}
	return nlh;
}

static void test_parse_entry(void **state)
{
	struct link_nl_entry e;
	char buf[1024];

	(void)state;
	assert_int_equal(link_nl_parse_entry(mk_newlink(buf, RTM_NEWLINK, 7,
				"vlan10", 3, 5, "vlan"), &e), 0);
	assert_int_equal(e.ifindex, 7);
	assert_string_equal(e.name, "vlan10");
	assert_int_equal(e.master, 3);
	assert_int_equal(e.link, 5);
	assert_true(e.vlan);
	assert_int_equal(link_nl_parse_entry(mk_newlink(buf, RTM_NEWLINK, 4,
				"pa", 1, 9, "veth"), &e), 0);
	assert_int_equal(e.master, 1);
	assert_false(e.vlan);
	assert_int_equal(link_nl_parse_entry(mk_newlink(buf, RTM_NEWLINK, 2,
				"eth0", 0, 0, NULL), &e), 0);
	assert_int_equal(e.master, 0);
	assert_int_equal(e.link, 0);
	assert_false(e.vlan);
	/* Not a link, or no name: nothing to use. */
	assert_int_equal(link_nl_parse_entry(mk_newlink(buf, RTM_DELLINK, 2,
				"eth0", 0, 0, NULL), &e), -1);
	assert_int_equal(link_nl_parse_entry(mk_newlink(buf, RTM_NEWLINK, 2,
				NULL, 0, 0, NULL), &e), -1);
	assert_int_equal(link_nl_parse_entry(mk_newlink(buf, RTM_NEWLINK, 2,
				"0123456789abcdefXYZ", 0, 0, NULL), &e), -1);
}

static const struct link_nl_entry lower_links[] = {
	{ .ifindex = 1, .name = "br0" },
	{ .ifindex = 2, .master = 1, .name = "pa" },
	{ .ifindex = 3, .name = "pb" },			/* not a port */
	{ .ifindex = 4, .master = 1, .name = "pc" },
	{ .ifindex = 5, .link = 6, .vlan = true, .name = "vlan10" },
	{ .ifindex = 6, .name = "eth0" },
	{ .ifindex = 7, .master = 1, .name = "bond0" },
	{ .ifindex = 8, .master = 7, .name = "s1" },	/* a port's port */
	{ .ifindex = 9, .link = 3, .name = "veth9" },	/* not a VLAN */
	{ .ifindex = 10, .master = 11, .name = "other" },
};
#define N_LOWER_LINKS (sizeof(lower_links) / sizeof(lower_links[0]))

/* Named br0 and vlan10, ifindexes as offl_sys_read sets them. */
static size_t named_two(struct offl_iface *ifs)
{
	static const char *const names[] = { "br0", "vlan10", "veth9" };
	size_t n = offl_targets(names, 3, NULL, NULL, ifs);

	ifs[0].ifindex = 1;
	ifs[1].ifindex = 5;
	ifs[2].ifindex = 9;
	return n;
}

static void test_add_lowers(void **state)
{
	static const struct {
		const char *name;
		enum offl_below below;
		size_t upper;
		const char *label;
	} want[] = {
		{ "br0", OFFL_BELOW_NONE, 0, "br0" },
		{ "vlan10", OFFL_BELOW_NONE, 0, "vlan10" },
		{ "veth9", OFFL_BELOW_NONE, 0, "veth9" },
		{ "pa", OFFL_BELOW_PORT, 0, "pa (port of br0)" },
		{ "pc", OFFL_BELOW_PORT, 0, "pc (port of br0)" },
		{ "bond0", OFFL_BELOW_PORT, 0, "bond0 (port of br0)" },
		{ "eth0", OFFL_BELOW_LOWER, 1, "eth0 (below vlan10)" },
		{ "s1", OFFL_BELOW_PORT, 5, "s1 (port of bond0)" },
	};
	struct offl_iface ifs[OFFL_MAX_ALL];
	char label[OFFL_LABEL_MAX];
	size_t i, n;

	(void)state;
	n = offl_add_lowers(ifs, named_two(ifs), OFFL_MAX_ALL, lower_links,
			    N_LOWER_LINKS);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++) {
		assert_string_equal(ifs[i].name, want[i].name);
		assert_int_equal(ifs[i].below, want[i].below);
		if (want[i].below != OFFL_BELOW_NONE)
			assert_int_equal(ifs[i].upper, want[i].upper);
		offl_iface_label(ifs, i, label, sizeof(label));
		assert_string_equal(label, want[i].label);
	}
	assert_int_equal(ifs[3].ifindex, 2);
	assert_int_equal(ifs[3].roles, 0);
	/* The room runs out: the first ones found are kept. */
	n = offl_add_lowers(ifs, named_two(ifs), 5, lower_links,
			    N_LOWER_LINKS);
	assert_int_equal(n, 5);
	assert_string_equal(ifs[4].name, "pc");
	/* A port named too is checked once, as named. */
	n = offl_targets((const char *const[]){ "br0", "pa" }, 2, NULL, NULL,
			 ifs);
	ifs[0].ifindex = 1;
	ifs[1].ifindex = 2;
	n = offl_add_lowers(ifs, n, OFFL_MAX_ALL, lower_links, N_LOWER_LINKS);
	assert_int_equal(n, 5);		/* br0, pa, pc, bond0, s1 */
	assert_int_equal(ifs[1].below, OFFL_BELOW_NONE);
	/* No links (or no ports): nothing added. */
	assert_int_equal(offl_add_lowers(ifs, 2, OFFL_MAX_ALL, NULL, 0), 2);
}

/* A port's rows: features and sizes under the bridge, no MTU row. */
static void test_port_rows(void **state)
{
	struct offl_iface ifs[2];
	struct offl_row rows[2 * OFFL_ROWS_PER_IFACE];
	struct offl_action acts[2 * OFFL_ACTS_PER_IFACE];
	const struct offl_row *r;
	char *out = NULL;
	size_t n, nacts;

	(void)state;
	ifs[0] = mk_iface("br0", OFFL_ROLE_V6, 1500);
	ifs[1] = mk_iface("pa", 0, 1500);
	ifs[1].below = OFFL_BELOW_PORT;
	ifs[1].upper = 0;
	ifs[1].feat[OFFL_F_GRO_LIST].on = true;
	n = offl_rows(ifs, 2, rows);
	assert_int_equal(n, 2 * OFFL_ROWS_PER_IFACE - 1);
	for (r = rows; r < rows + n; r++)
		assert_false(!strcmp(r->iface, "pa") &&
			     !strcmp(r->feature, "mtu"));
	r = find_row(rows, n, "pa", "rx-gro-list");
	assert_int_equal(r->risk, OFFL_RISK_RISKY);
	assert_string_equal(r->upper, "br0");
	assert_null(find_row(rows, n, "br0", "mtu")->upper);
	assert_int_equal(offl_exit_code(rows, n), OFFL_EXIT_RISKY);
	CAPTURE(out, offl_print_table(f, r, 1));
	assert_non_null(strstr(out, "\npa (port of br0)  rx-gro-list  on"));
	free(out);
	CAPTURE(out, offl_print_json(f, r, 1, NULL, 0, ifs));
	assert_non_null(strstr(out, "{\"interface\": \"pa\", \"upper\": \"br0\", \"relation\": \"port\", \"feature\": \"rx-gro-list\""));
	free(out);
	nacts = offl_plan(ifs, 2, acts);
	assert_int_equal(nacts, 1);
	assert_int_equal(acts[0].iface, 1);
	CAPTURE(out, offl_print_actions(f, acts, nacts, ifs));
	assert_string_equal(out,
		"pa (port of br0) rx-gro-list: on -> off: would change\n");
	free(out);
}

/* --- saying things once ------------------------------------------------ */

static size_t seen_round(struct offl_seen *seen, struct offl_iface *ifs,
			 size_t nifs, struct offl_row *rows, bool *fresh)
{
	size_t n = offl_rows(ifs, nifs, rows);

	return offl_seen_update(seen, rows, n, fresh);
}

static void test_seen_once(void **state)
{
	struct offl_iface ifs[2];
	struct offl_row rows[2 * OFFL_ROWS_PER_IFACE];
	bool fresh[2 * OFFL_ROWS_PER_IFACE];
	struct offl_seen seen = { .n = 0 };

	(void)state;
	ifs[0] = mk_iface("v6", OFFL_ROLE_V6, 1500);
	ifs[1] = mk_iface("v4", OFFL_ROLE_V4, 1500);	/* the MTU note */
	/* First check: the note is news; nothing risky. */
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 1);
	assert_true(fresh[2 * OFFL_ROWS_PER_IFACE - 1]);
	assert_true(offl_seen_has(&seen, "v4", OFFL_KEY_MTU));
	/* Again: nothing new, so nothing said. */
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 0);
	/* GRO list goes on: news once, then not while it stays. */
	ifs[0].feat[OFFL_F_GRO_LIST].on = true;
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 1);
	assert_true(fresh[OFFL_F_GRO_LIST]);
	assert_string_equal(rows[OFFL_F_GRO_LIST].feature, "rx-gro-list");
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 0);
	assert_false(fresh[OFFL_F_GRO_LIST]);
	/* A size too, on its own. */
	ifs[0].size[OFFL_S_GSO] = 131072;
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 1);
	assert_true(fresh[OFFL_KEY_SIZE(OFFL_S_GSO)]);
	assert_true(offl_seen_has(&seen, "v6", OFFL_F_GRO_LIST));
	/* Off (fixed): forgotten; on again: news again. */
	ifs[0].feat[OFFL_F_GRO_LIST].on = false;
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 0);
	assert_false(offl_seen_has(&seen, "v6", OFFL_F_GRO_LIST));
	ifs[0].feat[OFFL_F_GRO_LIST].on = true;
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 1);
	/* Handled features are never reported. */
	ifs[0].feat[OFFL_F_GRO].on = true;
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 0);
	assert_false(offl_seen_has(&seen, "v6", OFFL_F_GRO));
	/* Keyed by name: the same feature elsewhere is news. */
	ifs[1].feat[OFFL_F_GRO_LIST].on = true;
	assert_int_equal(seen_round(&seen, ifs, 2, rows, fresh), 1);
	assert_true(offl_seen_has(&seen, "v4", OFFL_F_GRO_LIST));
}

/* A re-check fixes what is new, not what the kernel kept before. */
static void test_acts_fresh(void **state)
{
	struct offl_iface ifs[2];
	struct offl_row rows[2 * OFFL_ROWS_PER_IFACE];
	bool fresh[2 * OFFL_ROWS_PER_IFACE];
	struct offl_action acts[2 * OFFL_ACTS_PER_IFACE];
	struct offl_seen seen = { .n = 0 }, prev;
	size_t n;

	(void)state;
	ifs[0] = mk_iface("v6", OFFL_ROLE_V6, 1500);
	ifs[1] = mk_iface("pa", 0, 1500);
	ifs[1].below = OFFL_BELOW_PORT;
	ifs[0].feat[OFFL_F_LRO].on = true;		/* kept earlier */
	seen_round(&seen, ifs, 2, rows, fresh);
	prev = seen;
	ifs[1].feat[OFFL_F_UDP_GRO_FWD].on = true;	/* new */
	ifs[1].size[OFFL_S_GRO] = 100000;		/* new */
	seen_round(&seen, ifs, 2, rows, fresh);
	n = offl_plan(ifs, 2, acts);
	assert_int_equal(n, 3);
	n = offl_acts_fresh(acts, n, ifs, &prev);
	assert_int_equal(n, 2);
	assert_int_equal(acts[0].iface, 1);
	assert_int_equal(acts[0].id, OFFL_F_UDP_GRO_FWD);
	assert_false(acts[0].is_size);
	assert_int_equal(acts[1].iface, 1);
	assert_true(acts[1].is_size);
	assert_int_equal(offl_act_key(&acts[1]), OFFL_KEY_SIZE(OFFL_S_GRO));
	/* At start nothing was seen: everything is fixed. */
	memset(&prev, 0, sizeof(prev));
	n = offl_plan(ifs, 2, acts);
	assert_int_equal(offl_acts_fresh(acts, n, ifs, &prev), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_rule),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_risk_classes),
		cmocka_unit_test(test_fixed_column),
		cmocka_unit_test(test_big_tcp),
		cmocka_unit_test(test_mtu),
		cmocka_unit_test(test_plan_and_settle),
		cmocka_unit_test(test_print_actions),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_args_ok),
		cmocka_unit_test(test_args_errors),
		cmocka_unit_test(test_args_too_many),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_config_ifaces),
		cmocka_unit_test(test_parse_entry),
		cmocka_unit_test(test_add_lowers),
		cmocka_unit_test(test_port_rows),
		cmocka_unit_test(test_seen_once),
		cmocka_unit_test(test_acts_fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
