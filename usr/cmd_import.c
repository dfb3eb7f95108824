// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl import [--mode auto|siit|nat64] FILE|-: a Jool JSON
 * configuration as translator.conf text on stdout (usr/import_jool.c),
 * whole or not at all.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "transctl.h"
#ifdef HAVE_JANSSON
#include "import_jool.h"
#endif

/* A Jool file with a large EAMT stays far below this. */
#define IMPORT_MAX_BYTES	(64u << 20)

static void import_usage(FILE *f)
{
	fprintf(f, "Usage: %s import [--mode auto|siit|nat64] FILE|-\n\n"
		"Reads a Jool configuration file (the JSON of 'jool file handle' or\n"
		"'jool_siit file handle'; - for standard input) and prints the same\n"
		"configuration in translator.conf format: the global settings by\n"
		"their translatord names, the EAMT and denylist4 (SIIT), pool4 and\n"
		"the static BIB (NAT64), Jool's comments as '#' lines. The text is\n"
		"checked by translatord's own parser first: on any error nothing is\n"
		"printed. Settings translatord has no equivalent for are named on\n"
		"stderr, one 'ignored: KEY (reason)' line each.\n\n"
		"  -m, --mode MODE   siit or nat64; auto (the default) decides from\n"
		"                    the lists: pool4 (of objects) or bib: nat64,\n"
		"                    eamt or denylist4: siit\n\n"
		"Exit status: 0 converted, 1 unreadable, invalid or refused, 2 bad\n"
		"command line.\n", transctl_prog);
}

#ifndef HAVE_JANSSON
int cmd_import(int argc, char **argv)
{
	if (transctl_wants_help(argc, argv)) {
		import_usage(stdout);
		return TRANSCTL_OK;
	}
	fprintf(stderr, "%s import: built without libjansson (configure "
		"--without-jansson); install libjansson-dev and rebuild\n",
		transctl_prog);
	return TRANSCTL_ERR;
}
#else

/* The whole file (or stdin), NUL-terminated; NULL after a message. */
static char *import_read(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL, *grown;
	size_t cap = 0, n;

	*len = 0;
	if (!f) {
		fprintf(stderr, "%s import: %s: %m\n", transctl_prog, path);
		return NULL;
	}
	do {
		if (*len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			grown = cap <= IMPORT_MAX_BYTES ? realloc(buf, cap) : NULL;
			if (!grown) {
				fprintf(stderr, "%s import: %s: larger than %u "
					"bytes or out of memory\n",
					transctl_prog, path, IMPORT_MAX_BYTES);
				goto fail;
			}
			buf = grown;
		}
		n = fread(buf + *len, 1, cap - *len - 1, f);
		*len += n;
	} while (n);
	if (ferror(f)) {
		fprintf(stderr, "%s import: %s: read error\n", transctl_prog,
			path);
		goto fail;
	}
	buf[*len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return NULL;
}

static int import_parse_mode(const char *s, enum import_mode *mode)
{
	static const char *const names[] = { "auto", "siit", "nat64" };

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*mode = (enum import_mode)i;
			return 0;
		}
	fprintf(stderr, "%s import: --mode '%s': auto, siit or nat64\n",
		transctl_prog, s);
	return -1;
}

static int import_args(int argc, char **argv, enum import_mode *mode)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "help", no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "m:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (import_parse_mode(optarg, mode))
				return TRANSCTL_USAGE;
			break;
		case 'h':
			import_usage(stdout);
			return -1;
		default:
			goto usage;
		}
	}
	if (optind + 1 == argc)
		return 0;
	fprintf(stderr, "%s import: %s\n", transctl_prog, optind == argc ?
		"missing FILE (or - for standard input)" :
		"one FILE only");
usage:
	fprintf(stderr, "Try '%s import --help'.\n", transctl_prog);
	return TRANSCTL_USAGE;
}

int cmd_import(int argc, char **argv)
{
	enum import_mode mode = IMPORT_MODE_AUTO;
	const char *path;
	char err[1024], *json, *text;
	size_t len;
	int ret = import_args(argc, argv, &mode);

	if (ret)
		return ret < 0 ? TRANSCTL_OK : ret;
	path = argv[optind];
	json = import_read(path, &len);
	if (!json)
		return TRANSCTL_ERR;
	ret = import_jool(json, len, strcmp(path, "-") ? path : "stdin", mode,
			  &text, stderr, err, sizeof(err));
	free(json);
	if (ret) {
		fprintf(stderr, "%s import: %s\n", transctl_prog, err);
		return TRANSCTL_ERR;
	}
	fputs(text, stdout);
	free(text);
	return TRANSCTL_OK;
}
#endif
