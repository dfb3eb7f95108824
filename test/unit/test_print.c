// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl's output options (usr/output.c, usr/ops_cmd.c): reply bodies
 * through the table printers in each form, byte for byte: the aligned
 * table, JSON, RFC 4180 CSV (quoting of commas, quotes, newlines) and
 * --numeric; the options taken out of any command line, and refused by
 * the commands that cannot honour them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "transctl.h"
#include "verbparse.h"

static const struct transctl_fmt fmt_table = { TRANSCTL_FMT_TABLE, false };
static const struct transctl_fmt fmt_json = { TRANSCTL_FMT_JSON, false };
static const struct transctl_fmt fmt_csv = { TRANSCTL_FMT_CSV, false };
static const struct transctl_fmt fmt_table_n = { TRANSCTL_FMT_TABLE, true };
static const struct transctl_fmt fmt_json_n = { TRANSCTL_FMT_JSON, true };
static const struct transctl_fmt fmt_csv_n = { TRANSCTL_FMT_CSV, true };

enum printer { P_ROWS, P_KEYVALS, P_SPACED, P_VERB };

/* Runs one printer on a copy of body; asserts its return and output. */
static void check(enum printer p, const void *what, const char *body,
		  const struct transctl_fmt *fmt, int want_ret,
		  const char *want)
{
	char *copy = strdup(body), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret = -2;

	assert_non_null(f);
	if (p == P_ROWS)
		ret = transctl_print_rows(what, copy, fmt, f);
	else if (p == P_KEYVALS)
		ret = transctl_print_keyvals(copy, fmt, f);
	else if (p == P_SPACED)
		ret = transctl_print_spaced(copy, fmt, f);
	else
		ret = ((const struct transctl_verb_cmd *)what)->verbs[0].print(
			copy, fmt, f);
	fclose(f);
	assert_int_equal(ret, want_ret);
	assert_string_equal(text, want);
	free(text);
	free(copy);
}

static const char *const t_headers[] = { "PROTO", "NAME", "COUNT" };
static const char *const t_fields[] = { "proto", "name", "count" };
static const struct transctl_columns t_cols = {
	"things", 3, t_headers, t_fields, 1u << 2, 1u << 0,
};

/* RFC 4180 section 2: fields with commas, quotes or line breaks quoted. */
static void test_csv_quoting(void **state)
{
	static const char body[] =
		"tcp\tplain\t1\n"
		"udp\ta,b\t22\n"
		"icmp\tsays \"hi\"\t-\n"
		"sctp\t\t0\n";

	(void)state;
	check(P_ROWS, &t_cols, body, &fmt_csv, 0,
	      "proto,name,count\n"
	      "tcp,plain,1\n"
	      "udp,\"a,b\",22\n"
	      "icmp,\"says \"\"hi\"\"\",-\n"
	      "sctp,,0\n");
	/* A line break can only come through the keyvals' values. */
	check(P_KEYVALS, NULL, "reason\tline\rbreak\nwhy\tx\n", &fmt_csv, 0,
	      "key,value\n"
	      "reason,\"line\rbreak\"\n"
	      "why,x\n");
	/* Empty: the header alone. */
	check(P_ROWS, &t_cols, "", &fmt_csv, 0, "proto,name,count\n");
}

static void test_rows_forms(void **state)
{
	static const char body[] = "tcp\tweb\t12\nicmp\tping\t-\n";

	(void)state;
	check(P_ROWS, &t_cols, body, &fmt_table, 0,
	      "PROTO  NAME  COUNT\n"
	      "tcp    web   12\n"
	      "icmp   ping  -\n");
	check(P_ROWS, &t_cols, body, &fmt_json, 0,
	      "{\"things\": [\n"
	      "  {\"proto\": \"tcp\", \"name\": \"web\", \"count\": 12},\n"
	      "  {\"proto\": \"icmp\", \"name\": \"ping\", \"count\": null}\n"
	      "]}\n");
	/* --numeric: protocol numbers, in JSON as numbers. */
	check(P_ROWS, &t_cols, body, &fmt_table_n, 0,
	      "PROTO  NAME  COUNT\n"
	      "6      web   12\n"
	      "1      ping  -\n");
	check(P_ROWS, &t_cols, body, &fmt_json_n, 0,
	      "{\"things\": [\n"
	      "  {\"proto\": 6, \"name\": \"web\", \"count\": 12},\n"
	      "  {\"proto\": 1, \"name\": \"ping\", \"count\": null}\n"
	      "]}\n");
	check(P_ROWS, &t_cols, "udp\tdns\t3\n", &fmt_csv_n, 0,
	      "proto,name,count\n17,dns,3\n");
	/* A name in another column stays a name. */
	check(P_ROWS, &t_cols, "tcp\ttcp\t3\n", &fmt_csv_n, 0,
	      "proto,name,count\n6,tcp,3\n");
	/* Malformed: nothing at all, in every form. */
	check(P_ROWS, &t_cols, "tcp\tx\n", &fmt_csv, -1, "");
	check(P_ROWS, &t_cols, "tcp\tx\t1\t2\n", &fmt_json_n, -1, "");
}

static void test_keyvals_forms(void **state)
{
	static const char body[] = "address\t192.0.2.9\n"
				   "mark\t0x5854\n"
				   "result\t-\n";

	(void)state;
	check(P_KEYVALS, NULL, body, &fmt_table, 0,
	      "address  192.0.2.9\n"
	      "mark     0x5854\n"
	      "result   -\n");
	check(P_KEYVALS, NULL, body, &fmt_table_n, 0,
	      "address  192.0.2.9\n"
	      "mark     22612\n"
	      "result   -\n");
	check(P_KEYVALS, NULL, body, &fmt_csv, 0,
	      "key,value\naddress,192.0.2.9\nmark,0x5854\nresult,-\n");
	check(P_KEYVALS, NULL, body, &fmt_json_n, 0,
	      "{\n  \"address\": \"192.0.2.9\",\n  \"mark\": \"22612\",\n"
	      "  \"result\": null\n}\n");
	check(P_KEYVALS, NULL, "no tab\n", &fmt_csv, -1, "");
}

/* status: "KEY VALUE" lines, the value possibly several words. */
static void test_spaced(void **state)
{
	static const char body[] = "version 0.1.0\n"
				   "queue_tcp 64 gso\n"
				   "mark 0x5854\n"
				   "last_reload ok, 3 changes\n";

	(void)state;
	/* The table form is the reply as it came. */
	check(P_SPACED, NULL, body, &fmt_table, 0, body);
	check(P_SPACED, NULL, body, &fmt_table_n, 0,
	      "version 0.1.0\nqueue_tcp 64 gso\nmark 22612\n"
	      "last_reload ok, 3 changes\n");
	check(P_SPACED, NULL, body, &fmt_csv, 0,
	      "key,value\nversion,0.1.0\nqueue_tcp,64 gso\nmark,0x5854\n"
	      "last_reload,\"ok, 3 changes\"\n");
	check(P_SPACED, NULL, body, &fmt_json, 0,
	      "{\n  \"version\": \"0.1.0\",\n  \"queue_tcp\": \"64 gso\",\n"
	      "  \"mark\": \"0x5854\",\n"
	      "  \"last_reload\": \"ok, 3 changes\"\n}\n");
	check(P_SPACED, NULL, "lonely\n", &fmt_json, -1, "");
}

/* The NAT64 listings: CSV is the rows alone, no count footer. */
static void test_listings(void **state)
{
	static const char bib[] = "# tcp 1\n# udp 0\n# icmp 0\n"
				  "tcp\t2001:db8::5#80\t192.0.2.2#80\tstatic\t0\n";
	static const char pool4[] = "# tcp 1 4485\n"
				    "tcp\t192.0.2.2/32\t61001-65535\n";

	(void)state;
	check(P_VERB, &transctl_bib_cmd, bib, &fmt_csv_n, 0,
	      "proto,ipv6,ipv4,type,sessions\n"
	      "6,2001:db8::5#80,192.0.2.2#80,static,0\n");
	check(P_VERB, &transctl_bib_cmd, bib, &fmt_table_n, 0,
	      "PROTO  IPV6 ADDR#PORT  IPV4 ADDR#PORT  TYPE    SESSIONS\n"
	      "6      2001:db8::5#80  192.0.2.2#80    static  0\n"
	      "bindings: tcp 1, udp 0, icmp 0, total 1\n");
	check(P_VERB, &transctl_pool4_cmd, pool4, &fmt_csv, 0,
	      "proto,prefix,ports\ntcp,192.0.2.2/32,61001-65535\n");
	check(P_VERB, &transctl_pool4_cmd, pool4, &fmt_json_n, 0,
	      "{\"pool4\": [\n"
	      "  {\"proto\": 6, \"prefix\": \"192.0.2.2/32\", \"ports\": \"61001-65535\"}\n"
	      "], \"usage\": {\"tcp\": {\"used\": 1, \"total\": 4485}, "
	      "\"udp\": {\"used\": 0, \"total\": 0}, "
	      "\"icmp\": {\"used\": 0, \"total\": 0}}}\n");
}

/* Runs transctl_output_args on the words of line; what remains. */
static void output_is(const char *line, const char *rest, int format,
		      bool numeric, const char *errwant)
{
	char buf[256], *argv[16], *save = NULL, got[256] = "", err[128];
	struct transctl_fmt f;
	int argc = 0, ret;
	size_t off = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && argc < 15;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	ret = transctl_output_args(&argc, argv, &f, err, sizeof(err));
	if (errwant) {
		assert_int_equal(ret, -1);
		assert_string_equal(err, errwant);
		return;
	}
	assert_int_equal(ret, 0);
	assert_null(argv[argc]);
	for (int i = 0; i < argc; i++)
		off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%s",
					i ? " " : "", argv[i]);
	assert_string_equal(got, rest);
	assert_int_equal(f.format, format);
	assert_int_equal(f.numeric, numeric);
}

static void test_output_args(void **state)
{
	(void)state;
	output_is("transctl --csv -s /x session show", "transctl -s /x session show",
		  TRANSCTL_FMT_CSV, false, NULL);
	output_is("transctl bib show -n --json", "transctl bib show",
		  TRANSCTL_FMT_JSON, true, NULL);
	output_is("transctl -j --numeric status", "transctl status",
		  TRANSCTL_FMT_JSON, true, NULL);
	/* After "--" words are arguments. */
	output_is("transctl import -- --csv", "transctl import -- --csv",
		  TRANSCTL_FMT_TABLE, false, NULL);
	output_is("transctl stats", "transctl stats", TRANSCTL_FMT_TABLE,
		  false, NULL);
	output_is("transctl --json stats --csv", "", 0, false,
		  "--json and --csv exclude each other");
}

static void test_output_check(void **state)
{
	static const struct transctl_cmd rules = { "rules", NULL, "", 0 };
	static const struct transctl_cmd offl = {
		"offloads", NULL, "", TRANSCTL_OUT_JSON | TRANSCTL_OUT_CSV,
	};
	struct transctl_fmt f = { TRANSCTL_FMT_CSV, false };
	char err[128];

	(void)state;
	assert_int_equal(transctl_output_check(&rules, &f, err, sizeof(err)), -1);
	assert_string_equal(err, "--csv does not apply to 'rules' (its output "
			    "has no such form)");
	assert_int_equal(transctl_output_check(&offl, &f, err, sizeof(err)), 0);
	f.numeric = true;
	assert_int_equal(transctl_output_check(&offl, &f, err, sizeof(err)), -1);
	assert_string_equal(err, "--numeric does not apply to 'offloads' (its "
			    "output has no such form)");
	f.format = TRANSCTL_FMT_TABLE;
	f.numeric = false;
	assert_int_equal(transctl_output_check(&rules, &f, err, sizeof(err)), 0);
}

/* Subcommands that change something print no table: options refused. */
static void test_verb_refusals(void **state)
{
	(void)state;
	vp_refused(&transctl_eamt_cmd, "eamt add 2001:db8::/120 10.0.0.0/24 --csv",
		   "--csv does not apply here");
	vp_refused(&transctl_pool4_cmd, "pool4 add 192.0.2.2 -n",
		   "--numeric does not apply here");
	vp_parses_to(&transctl_session_cmd, "session show udp --csv -n",
		     "session show udp");
}

static void test_numeric_cell(void **state)
{
	char buf[24];

	(void)state;
	assert_string_equal(transctl_numeric_cell("tcp", true, buf, sizeof(buf)), "6");
	assert_string_equal(transctl_numeric_cell("tcp", false, buf, sizeof(buf)), "tcp");
	assert_string_equal(transctl_numeric_cell("0x10", false, buf, sizeof(buf)), "16");
	assert_string_equal(transctl_numeric_cell("0x", false, buf, sizeof(buf)), "0x");
	assert_string_equal(transctl_numeric_cell("0x1g", false, buf, sizeof(buf)), "0x1g");
	assert_string_equal(transctl_numeric_cell("0xffffffffffffffffff", false,
						  buf, sizeof(buf)),
			    "0xffffffffffffffffff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_rows_forms),
		cmocka_unit_test(test_keyvals_forms),
		cmocka_unit_test(test_spaced),
		cmocka_unit_test(test_listings),
		cmocka_unit_test(test_output_args),
		cmocka_unit_test(test_output_check),
		cmocka_unit_test(test_verb_refusals),
		cmocka_unit_test(test_numeric_cell),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
