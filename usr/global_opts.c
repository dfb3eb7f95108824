// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "transctl -s PATH status" as well as "transctl status -s PATH": the
 * options that ip(8) and ethtool(8) users write before the command move
 * after its name, where every subcommand's own parser takes them. Pure,
 * for test/unit/test_transctl_args.c.
 */
#include <string.h>

#include "transctl.h"

/* The options that may come first: whether each takes a value. */
static const struct {
	const char *name;
	bool value;
} global_opts[] = {
	{ "-s", true }, { "--control", true }, { "-j", false },
	{ "--json", false },
};

/* How many words argv[i] takes (1 or 2), 0 if it is not a global option. */
static int global_opt_words(int argc, char **argv, int i, char *err,
			    size_t errlen)
{
	const char *a = argv[i];

	for (size_t k = 0; k < sizeof(global_opts) / sizeof(global_opts[0]);
	     k++) {
		size_t n = strlen(global_opts[k].name);

		if (strncmp(a, global_opts[k].name, n))
			continue;
		if (!a[n] && global_opts[k].value && i + 1 == argc) {
			snprintf(err, errlen, "option '%s' needs an argument",
				 a);
			return -1;
		}
		if (!a[n])
			return global_opts[k].value ? 2 : 1;
		/* "-sPATH", "--control=PATH" */
		if (global_opts[k].value && (n == 2 || a[n] == '='))
			return 1;
	}
	snprintf(err, errlen, "unknown option '%s' before the command (-s, "
		 "--control, -j, --json, --csv, -n, --numeric)", a);
	return 0;
}

int transctl_global_args(int argc, char **argv, char **out, char *err,
			 size_t errlen)
{
	int i = 1, n, nout = 1;

	while (i < argc && argv[i][0] == '-') {
		n = global_opt_words(argc, argv, i, err, errlen);
		if (n <= 0)
			return -1;
		i += n;
	}
	if (i == argc) {
		snprintf(err, errlen, "missing command");
		return -1;
	}
	out[0] = argv[i];
	for (n = 1; n < i; n++)
		out[nout++] = argv[n];
	for (n = i + 1; n < argc; n++)
		out[nout++] = argv[n];
	out[nout] = NULL;
	return nout;
}
