/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transctl import: Jool's JSON configuration file (the one `jool file
 * handle` and `jool_siit file handle` read) to translator.conf text.
 * Pure (no files, no sockets): test/unit/test_import.c and
 * test/fuzz/fuzz_import.c call it on bytes.
 */
#ifndef USR_IMPORT_JOOL_H
#define USR_IMPORT_JOOL_H

#include <stddef.h>
#include <stdio.h>

enum import_mode {
	IMPORT_MODE_AUTO,	/* from the content: pool4/bib or eamt/denylist4 */
	IMPORT_MODE_SIIT,
	IMPORT_MODE_NAT64,
};

/*
 * Converts json (len bytes, name for messages) to configuration text in
 * *out (malloc'd, NUL-terminated), which the configuration parser
 * (common/config.c) has accepted whole. Settings without an equivalent
 * are reported on warn, one "ignored: KEY (reason)" line each. Returns
 * 0, or -1 with one line in err ("NAME: eamt[2]: ...") and *out NULL:
 * nothing partial.
 */
int import_jool(const char *json, size_t len, const char *name,
		enum import_mode mode, char **out, FILE *warn, char *err,
		size_t errlen);

#endif
