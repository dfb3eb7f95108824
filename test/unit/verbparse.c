// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "verbparse.h"

const char *transctl_prog = "transctl";

int vp_parse(const struct transctl_verb_cmd *cmd, const char *line,
	     struct transctl_verb_args *a, char *err, size_t errlen)
{
	/* Static: a->path points into it after the return. */
	static char buf[512];
	char *argv[16], *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok_r(buf, " ", &save); w && argc < 15;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	err[0] = '\0';
	return transctl_verb_parse(cmd, argc, argv, a, err, errlen);
}

void vp_parses_to(const struct transctl_verb_cmd *cmd, const char *line,
		  const char *request)
{
	struct transctl_verb_args a;
	char err[256];

	if (vp_parse(cmd, line, &a, err, sizeof(err)))
		fail_msg("'%s': %s", line, err);
	assert_string_equal(a.request, request);
}

void vp_refused(const struct transctl_verb_cmd *cmd, const char *line,
		const char *message)
{
	struct transctl_verb_args a;
	char err[256];

	assert_int_equal(vp_parse(cmd, line, &a, err, sizeof(err)),
			 TRANSCTL_USAGE);
	assert_string_equal(err, message);
}
