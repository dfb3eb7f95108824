// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: transctl import (usr/import_jool.c) on any bytes.
 * The first byte chooses the mode (auto, siit, nat64), the rest is the
 * "Jool file". On success the text must be whole lines that the
 * configuration parser accepts again, and a second import of the same
 * bytes must give the same text; on failure there is no text and a
 * message. Otherwise abort(). ASan and UBSan catch the rest, and leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "import_jool.h"

static FILE *fi_sink(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f)
		abort();
	return f;
}

static char *fi_import(const char *json, size_t len, enum import_mode mode,
		       char *err, size_t errlen)
{
	char *warn = NULL, *text;
	size_t wlen = 0;
	FILE *w = fi_sink(&warn, &wlen);
	int ret = import_jool(json, len, "fuzz.json", mode, &text, w, err,
			      errlen);

	fclose(w);
	free(warn);
	if (ret ? text != NULL || !err[0] : text == NULL)
		abort();
	return text;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	enum import_mode mode;
	struct config cfg;
	char err[1024] = "", err2[1024] = "", *a, *b;

	if (!size)
		return 0;
	mode = (enum import_mode)(data[0] % 3);
	a = fi_import((const char *)data + 1, size - 1, mode, err, sizeof(err));
	if (!a)
		return 0;
	if (!*a || a[strlen(a) - 1] != '\n')
		abort();
	if (config_parse_string("again", a, &cfg, err2, sizeof(err2)))
		abort();
	config_free(&cfg);
	b = fi_import((const char *)data + 1, size - 1, mode, err2,
		      sizeof(err2));
	if (!b || strcmp(a, b))
		abort();
	free(a);
	free(b);
	return 0;
}
