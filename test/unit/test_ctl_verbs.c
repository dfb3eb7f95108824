// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * common/ctl_verbs.c: the one table of control verbs that translatord's
 * dispatcher and transctl both read. Its entries must agree with
 * themselves (a usage line that names as many words as the subcommand
 * takes at most), and the lookups must find what the wire carries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ctl_proto.h"

static void test_verb_names_round_trip(void **state)
{
	char line[64];

	(void)state;
	for (int c = 0; c < CTL_CMD_UNKNOWN; c++) {
		assert_int_equal(ctl_cmd_parse(ctl_cmd_name((enum ctl_cmd)c)),
				 c);
		snprintf(line, sizeof(line), "%s show tcp", ctl_verbs[c].name);
		assert_int_equal(ctl_cmd_parse(line), c);
	}
	assert_int_equal(ctl_cmd_parse("statu"), CTL_CMD_UNKNOWN);
	assert_int_equal(ctl_cmd_parse("statuses"), CTL_CMD_UNKNOWN);
	assert_string_equal(ctl_cmd_name(CTL_CMD_UNKNOWN), "unknown");
}

/* Words in a usage line ("PREFIX4 [PORTS] [tcp|udp|icmp]": 3). */
static int usage_words(const char *s)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		n += *p != ' ' && (p == s || p[-1] == ' ');
	return n;
}

static void test_subcommands_agree_with_usage(void **state)
{
	(void)state;
	for (int c = 0; c < CTL_CMD_UNKNOWN; c++) {
		const struct ctl_verb *v = &ctl_verbs[c];

		for (int s = 0; s < CTL_SUB_MAX; s++) {
			const struct ctl_subcmd *sc = &v->subs[s];

			if (!sc->name)
				continue;
			assert_true(sc->min_args <= sc->max_args);
			assert_int_equal(usage_words(sc->args), sc->max_args);
			assert_int_equal(ctl_sub_find((enum ctl_cmd)c,
						      sc->name), s);
			/* Listings change nothing; add and remove do. */
			assert_int_equal(sc->changes,
					 s == CTL_SUB_ADD || s == CTL_SUB_REMOVE);
		}
		/* A verb that changes without subcommands: reload only. */
		assert_int_equal(v->changes, c == CTL_CMD_RELOAD);
	}
}

static void test_subcommand_lookups(void **state)
{
	char list[64];

	(void)state;
	assert_false(ctl_verb_takes_args(CTL_CMD_STATUS));
	assert_false(ctl_verb_takes_args(CTL_CMD_RELOAD));
	assert_true(ctl_verb_takes_args(CTL_CMD_EAMT));
	assert_true(ctl_verb_takes_args(CTL_CMD_SESSION));
	ctl_sub_list(CTL_CMD_EAMT, list, sizeof(list));
	assert_string_equal(list, "show, add, remove");
	ctl_sub_list(CTL_CMD_SESSION, list, sizeof(list));
	assert_string_equal(list, "show");
	ctl_sub_list(CTL_CMD_ADDRESS, list, sizeof(list));
	assert_string_equal(list, "query");
	ctl_sub_list(CTL_CMD_STATS, list, sizeof(list));
	assert_string_equal(list, "");
	assert_int_equal(ctl_sub_first(CTL_CMD_ADDRESS), CTL_SUB_QUERY);
	assert_int_equal(ctl_sub_first(CTL_CMD_POOL4), CTL_SUB_SHOW);
	assert_int_equal(ctl_sub_first(CTL_CMD_CONFIG), -1);
	assert_int_equal(ctl_sub_find(CTL_CMD_SESSION, "add"), -1);
	assert_int_equal(ctl_sub_find(CTL_CMD_ADDRESS, "show"), -1);
	assert_int_equal(ctl_sub_find(CTL_CMD_BIB, "remove"), CTL_SUB_REMOVE);
	assert_true(ctl_verbs[CTL_CMD_BIB].nat64);
	assert_false(ctl_verbs[CTL_CMD_EAMT].nat64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verb_names_round_trip),
		cmocka_unit_test(test_subcommands_agree_with_usage),
		cmocka_unit_test(test_subcommand_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
