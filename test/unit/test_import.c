// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl import (usr/import_jool*.c) through its API: the exact text
 * and "ignored:" lines of small Jool files, the value forms (booleans,
 * null prefixes, durations), and on every refusal no text at all and one
 * message naming the Jool key (test/conformance/import.sh runs the
 * command on whole files).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import_jool.h"

/* Imports json; asserts the text (NULL: refused with err) and warnings. */
static void check(const char *json, enum import_mode mode, const char *want,
		  const char *want_err, const char *want_warn)
{
	char err[512] = "", *text = (char *)1, *warn = NULL;
	size_t wlen = 0;
	FILE *w = open_memstream(&warn, &wlen);
	int ret;

	assert_non_null(w);
	ret = import_jool(json, strlen(json), "t.json", mode, &text, w, err,
			  sizeof(err));
	fclose(w);
	if (want) {
		assert_int_equal(ret, 0);
		assert_non_null(text);
		assert_string_equal(text, want);
	} else {
		assert_int_equal(ret, -1);
		assert_null(text);
		assert_string_equal(err, want_err);
	}
	assert_string_equal(warn, want_warn ? want_warn : "");
	free(text);
	free(warn);
}

#define HEAD "# imported from Jool's t.json by transctl import\n"

static void test_values(void **state)
{
	(void)state;
	check("{\"global\": {\"override-tos\": true, \"tos\": 40, "
	      "\"rfc6791v6-prefix\": null, \"rfc6791v4-prefix\": "
	      "\"192.0.2.0/28\"}, \"denylist4\": []}", IMPORT_MODE_AUTO,
	      HEAD "mode siit\noverride-tos yes\ntos 40\nrfc6791v6-prefix none\n"
	      "rfc6791v4-prefix 192.0.2.0/28\n", NULL, NULL);
	/* Durations: seconds, MM:SS, HH:MM:SS, ".000". */
	check("{\"global\": {\"udp-timeout\": \"5:00\", \"icmp-timeout\": 90, "
	      "\"tcp-est-timeout\": \"2:00:00.000\"}, \"bib\": []}",
	      IMPORT_MODE_AUTO,
	      HEAD "mode nat64\nudp-timeout 300\nicmp-timeout 90\n"
	      "tcp-est-timeout 7200\n", NULL, NULL);
	check("{\"global\": {\"tcp-trans-timeout\": \"4:60:00:00\"}, \"bib\": []}",
	      IMPORT_MODE_AUTO, NULL,
	      "t.json: global.tcp-trans-timeout: expected seconds or \"HH:MM:SS\"",
	      NULL);
	/* Jool 3 numbered the hairpinning modes. */
	check("{\"global\": {\"eam-hairpin-mode\": 1}, \"eamt\": []}",
	      IMPORT_MODE_AUTO, HEAD "mode siit\neam-hairpin-mode simple\n",
	      NULL, NULL);
	check("{\"global\": {\"eam-hairpin-mode\": 3}, \"eamt\": []}",
	      IMPORT_MODE_AUTO, NULL, "t.json: global.eam-hairpin-mode: "
	      "expected off, simple, intrinsic (or 0, 1, 2)", NULL);
	/* Jool's logging, also under Jool 3's names. */
	check("{\"global\": {\"logging-bib\": true, "
	      "\"session-logging\": false}, \"bib\": []}",
	      IMPORT_MODE_AUTO,
	      HEAD "mode nat64\nlogging-bib yes\nlogging-session no\n", NULL,
	      NULL);
	check("{\"global\": {\"lowest-ipv6-mtu\": -1}, \"eamt\": []}",
	      IMPORT_MODE_AUTO, NULL,
	      "t.json: global.lowest-ipv6-mtu: expected a number", NULL);
	check("{\"global\": {\"pool6\": \"64:ff9b::/96 #x\"}, \"eamt\": []}",
	      IMPORT_MODE_AUTO, NULL,
	      "t.json: global.pool6: expected a prefix or null", NULL);
}

static void test_lists(void **state)
{
	(void)state;
	/* Comments of any shape; pool4 "auto" iterations and mark 0 pass. */
	check("{\"comment\": [\"a\", \"b\\nc\"], \"pool4\": [{\"comment\": "
	      "{\"why\": \"web\"}, \"mark\": 0, \"protocol\": \"Udp\", "
	      "\"prefix\": \"192.0.2.1/32\", \"port range\": 7000, "
	      "\"max iterations\": \"auto\"}], \"bib\": [{\"protocol\": "
	      "\"ICMP\", \"ipv6 address\": \"2001:db8::1#5\", "
	      "\"ipv4 address\": \"192.0.2.1#7000\"}]}", IMPORT_MODE_AUTO,
	      HEAD "# a\n# b\n# c\nmode nat64\n# why: web\n"
	      "pool4 192.0.2.1/32 7000 udp\n"
	      "bib icmp 192.0.2.1#7000 2001:db8::1#5\n", NULL, NULL);
	/* Skipped entries and members are named. */
	check("{\"pool4\": [{\"mark\": 3, \"protocol\": \"TCP\", \"prefix\": "
	      "\"192.0.2.1\"}, {\"protocol\": \"TCP\", \"prefix\": "
	      "\"192.0.2.2\", \"color\": \"red\"}]}", IMPORT_MODE_AUTO,
	      HEAD "mode nat64\npool4 192.0.2.2 tcp\n", NULL,
	      "t.json: ignored: pool4[0] (mark other than 0: translatord has "
	      "one pool4 for every packet)\n"
	      "t.json: ignored: pool4[1].color (unknown member)\n");
	/* Older SIIT: "blacklist4", or pool4 as strings: the denylist. */
	check("{\"blacklist4\": [\"10.0.0.0/8\"], \"pool4\": [\"172.16.0.0/12\"]}",
	      IMPORT_MODE_AUTO,
	      HEAD "mode siit\ndenylist4 10.0.0.0/8\ndenylist4 172.16.0.0/12\n",
	      NULL, NULL);
	/* A pool4 of objects forced into SIIT is refused, not guessed. */
	check("{\"pool4\": [{\"protocol\": \"TCP\", \"prefix\": \"192.0.2.1\"}]}",
	      IMPORT_MODE_SIIT, NULL,
	      "t.json: pool4[0]: expected a prefix (string)", NULL);
}

/* Nothing partial: a late error leaves no text, warnings as they came. */
static void test_refusals(void **state)
{
	(void)state;
	check("{\"instance\": \"x\", \"eamt\": [{\"ipv6 prefix\": "
	      "\"2001:db8::/128\", \"ipv4 prefix\": \"192.0.2.1/32\"}, "
	      "{\"ipv6 prefix\": \"2001:db8::/128\", \"ipv4 prefix\": "
	      "\"192.0.2.2/32\"}]}", IMPORT_MODE_AUTO, NULL,
	      "t.json: eamt[1]: 'eamt 2001:db8::/128 192.0.2.2/32': eamt: "
	      "2001:db8::/128 192.0.2.2/32: the entry 2001:db8::/128 "
	      "192.0.2.1/32 already has 2001:db8::/128",
	      "t.json: ignored: instance (translatord instances are files: "
	      "translatord@NAME reads /etc/translator/NAME.conf)\n");
	check("", IMPORT_MODE_AUTO, NULL,
	      "t.json:1:0: not valid JSON: '[' or '{' expected near end of file",
	      NULL);
	check("\"text\"", IMPORT_MODE_SIIT, NULL,
	      "t.json:1:6: not valid JSON: '[' or '{' expected near '\"text\"'",
	      NULL);
	check("{\"bib\": [{\"protocol\": \"TCP\", \"ipv6 address\": 80, "
	      "\"ipv4 address\": \"192.0.2.1#80\"}]}", IMPORT_MODE_AUTO, NULL,
	      "t.json: bib[0]: \"ipv6 address\": expected a string of one word",
	      NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
