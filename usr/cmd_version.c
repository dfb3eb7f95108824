// SPDX-License-Identifier: GPL-2.0-or-later
/* transctl version: prints the package version. */
#include <stdio.h>

#include "transctl.h"

/* Set by Makefile.am from configure's PACKAGE_VERSION. */
#ifndef TRANSCTL_VERSION
#define TRANSCTL_VERSION "unknown"
#endif

int cmd_version(int argc, char **argv)
{
	if (transctl_wants_help(argc, argv)) {
		printf("Usage: %s version\n\nPrints the version of the translator tools.\n",
		       transctl_prog);
		return TRANSCTL_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "%s version: takes no arguments\n",
			transctl_prog);
		return TRANSCTL_USAGE;
	}
	printf("transctl %s\n", TRANSCTL_VERSION);
	return TRANSCTL_OK;
}
