// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl's output options (--json, --csv, --numeric), taken from the
 * command line in one place whatever the command, checked against what
 * the command can print, and the cell-level conversions the printers
 * share (usr/ops_cmd.c): RFC 4180 fields and numeric forms. Pure, for
 * test/unit/test_print.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "transctl.h"

struct transctl_fmt transctl_output;

/* The words, what each sets, and what it needs from a command. */
static const struct {
	const char *word;
	int format;		/* TRANSCTL_FMT_*, or -1: --numeric */
	unsigned int needs;
} output_opts[] = {
	{ "-j", TRANSCTL_FMT_JSON, TRANSCTL_OUT_JSON },
	{ "--json", TRANSCTL_FMT_JSON, TRANSCTL_OUT_JSON },
	{ "--csv", TRANSCTL_FMT_CSV, TRANSCTL_OUT_CSV },
	{ "-n", -1, TRANSCTL_OUT_NUMERIC },
	{ "--numeric", -1, TRANSCTL_OUT_NUMERIC },
};

#define OUTPUT_NOPTS (sizeof(output_opts) / sizeof(output_opts[0]))

static int output_find(const char *word)
{
	for (size_t i = 0; i < OUTPUT_NOPTS; i++)
		if (!strcmp(word, output_opts[i].word))
			return (int)i;
	return -1;
}

int transctl_output_args(int *argc, char **argv, struct transctl_fmt *f,
			 char *err, size_t errlen)
{
	int i, k, n = 1;
	bool json = false, csv = false, rest = false;

	memset(f, 0, sizeof(*f));
	for (i = 1; i < *argc; i++) {
		k = rest ? -1 : output_find(argv[i]);
		rest = rest || !strcmp(argv[i], "--");
		if (k < 0) {
			argv[n++] = argv[i];
			continue;
		}
		if (output_opts[k].format < 0)
			f->numeric = true;
		else
			f->format = (enum transctl_format)output_opts[k].format;
		json = json || output_opts[k].format == TRANSCTL_FMT_JSON;
		csv = csv || output_opts[k].format == TRANSCTL_FMT_CSV;
	}
	argv[n] = NULL;
	*argc = n;
	if (json && csv) {
		snprintf(err, errlen, "--json and --csv exclude each other");
		return -1;
	}
	return 0;
}

const char *transctl_output_name(const struct transctl_fmt *f)
{
	if (f->format == TRANSCTL_FMT_JSON)
		return "--json";
	if (f->format == TRANSCTL_FMT_CSV)
		return "--csv";
	return f->numeric ? "--numeric" : NULL;
}

int transctl_output_check(const struct transctl_cmd *cmd,
			  const struct transctl_fmt *f, char *err,
			  size_t errlen)
{
	const char *what = NULL;

	if (f->format == TRANSCTL_FMT_JSON && !(cmd->outputs & TRANSCTL_OUT_JSON))
		what = "--json";
	else if (f->format == TRANSCTL_FMT_CSV &&
		 !(cmd->outputs & TRANSCTL_OUT_CSV))
		what = "--csv";
	else if (f->numeric && !(cmd->outputs & TRANSCTL_OUT_NUMERIC))
		what = "--numeric";
	if (!what)
		return 0;
	snprintf(err, errlen, "%s does not apply to '%s' (its output has no "
		 "such form)", what, cmd->name);
	return -1;
}

void transctl_csv_field(FILE *out, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* IANA protocol numbers; NAT64's "icmp" is ICMPv4 (pool4's side). */
static const struct {
	const char *name;
	unsigned int number;
} output_protos[] = {
	{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 },
};

const char *transctl_numeric_cell(const char *cell, bool proto, char *buf,
				  size_t len)
{
	unsigned long long v;
	char *end;

	for (size_t i = 0; proto && i < 3; i++)
		if (!strcmp(cell, output_protos[i].name)) {
			snprintf(buf, len, "%u", output_protos[i].number);
			return buf;
		}
	if (cell[0] != '0' || (cell[1] != 'x' && cell[1] != 'X') ||
	    !cell[2] || cell[strspn(cell + 2, "0123456789abcdefABCDEF") + 2])
		return cell;
	errno = 0;
	v = strtoull(cell + 2, &end, 16);
	if (errno)
		return cell;
	snprintf(buf, len, "%llu", v);
	return buf;
}
