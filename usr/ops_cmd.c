// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shape shared by the run-time commands that take a subcommand word
 * (eamt, denylist4, address): options, the word and its arguments, each
 * checked here so that a typo is reported before anything is sent, the
 * request, and the formatting of the reply: aligned tables, JSON or CSV
 * (usr/output.c has the options), with --numeric applied cell by cell.
 * Parsing and formatting are pure, for test/unit/test_transctl_args.c.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "transctl.h"

/* --- argument checks ------------------------------------------------- */

/* Parses "/LEN" digits; -1 when not a number in 0..max. */
static int ops_prefix_len(const char *s, unsigned int max, unsigned int *len)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9' || strlen(s) > 3)
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*len = (unsigned int)v;
	return 0;
}

/*
 * Why s is not a prefix of family af: the address, the length, or host
 * bits past the length (then with the prefix probably meant).
 */
static int ops_prefix_error(const char *s, int af, char *err, size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1], fixed[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int bits = af == AF_INET ? 32 : 128, len = bits, i;
	uint8_t b[16];
	char v = af == AF_INET ? '4' : '6';

	if (n >= sizeof(addr))
		goto bad_addr;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(af, addr, b) != 1)
		goto bad_addr;
	if (slash && ops_prefix_len(slash + 1, bits, &len)) {
		snprintf(err, errlen, "bad IPv%c prefix '%s': the length must "
			 "be 0..%u", v, s, bits);
		return -1;
	}
	for (i = 0; i < bits / 8; i++)
		b[i] &= i * 8 + 8 <= len ? 0xff :
			i * 8 >= len ? 0 : (uint8_t)(0xff << (8 - len % 8));
	inet_ntop(af, b, fixed, sizeof(fixed));
	snprintf(err, errlen, "bad IPv%c prefix '%s': host bits set past /%u "
		 "(%s/%u?)", v, s, len, fixed, len);
	return -1;
bad_addr:
	snprintf(err, errlen, "bad IPv%c prefix '%s': not an IPv%c address",
		 v, s, v);
	return -1;
}

int transctl_check_prefix(const char *s, int family, char *err,
			  size_t errlen)
{
	bool is6 = family == 6 || (family == 0 && strchr(s, ':'));
	struct prefix6 p6;
	struct prefix4 p4;

	if (is6 ? !prefix6_parse(s, &p6) : !prefix4_parse(s, &p4))
		return 0;
	return ops_prefix_error(s, is6 ? AF_INET6 : AF_INET, err, errlen);
}

int transctl_check_addr(const char *s, char *err, size_t errlen)
{
	uint8_t b[16];

	if (inet_pton(AF_INET6, s, b) == 1 || inet_pton(AF_INET, s, b) == 1)
		return 0;
	snprintf(err, errlen, "bad address '%s': %s", s, strchr(s, '/') ?
		 "an address is asked about, not a prefix" :
		 "not an IPv4 or IPv6 address");
	return -1;
}

/* --- the command line ------------------------------------------------ */

static int ops_find_verb(const struct transctl_verb_cmd *cmd, int nwords,
			 char **words, struct transctl_verb_args *a,
			 char *err, size_t errlen)
{
	int sub = ctl_sub_first(cmd->verb);
	char list[128];

	ctl_sub_list(cmd->verb, list, sizeof(list));
	if (!nwords && !cmd->default_first) {
		snprintf(err, errlen, "missing subcommand (%s)", list);
		return -1;
	}
	if (nwords)
		sub = ctl_sub_find(cmd->verb, words[0]);
	if (sub < 0) {
		snprintf(err, errlen, "unknown subcommand '%s' (%s)", words[0],
			 list);
		return -1;
	}
	a->verb = &ctl_verbs[cmd->verb].subs[sub];
	a->cli = &cmd->verbs[sub];
	return 0;
}

/* The verb's arguments: count, checks, then the request line. */
static int ops_build(const struct transctl_verb_cmd *cmd, int nargs,
		     char **args, struct transctl_verb_args *a, char *err,
		     size_t errlen)
{
	const struct ctl_subcmd *v = a->verb;
	const char *name = ctl_cmd_name(cmd->verb);
	int i;
	size_t off;

	if (nargs < v->min_args || nargs > v->max_args) {
		snprintf(err, errlen, "%s (usage: %s %s%s%s)",
			 nargs < v->min_args ? "missing argument" :
			 "too many arguments", name, v->name,
			 v->args[0] ? " " : "", v->args);
		return -1;
	}
	if (v->changes && transctl_output_name(&a->fmt)) {
		snprintf(err, errlen, "%s does not apply here",
			 transctl_output_name(&a->fmt));
		return -1;
	}
	/* The check sees a NULL after the last argument (optional ones). */
	for (i = 0; i < nargs; i++)
		a->args[i] = args[i];
	a->args[nargs] = NULL;
	if (a->cli->check && a->cli->check(a->args, err, errlen))
		return -1;
	off = (size_t)snprintf(a->request, sizeof(a->request), "%s %s",
			       name, v->name);
	for (i = 0; i < nargs && off < sizeof(a->request); i++)
		off += (size_t)snprintf(a->request + off,
					sizeof(a->request) - off, " %s",
					args[i]);
	if (off >= sizeof(a->request)) {
		snprintf(err, errlen, "arguments too long");
		return -1;
	}
	return 0;
}

int transctl_verb_parse(const struct transctl_verb_cmd *cmd, int argc,
			char **argv, struct transctl_verb_args *a, char *err,
			size_t errlen)
{
	enum { OPT_CSV = 256 };
	static const struct option longopts[] = {
		{ "json",    no_argument,       NULL, 'j' },
		{ "csv",     no_argument,       NULL, OPT_CSV },
		{ "numeric", no_argument,       NULL, 'n' },
		{ "control", required_argument, NULL, 's' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, first;

	memset(a, 0, sizeof(*a));
	a->path = CTL_DEFAULT_PATH;
	a->fmt = transctl_output;
	optind = 0;	/* glibc: start over, also on a second call */
	opterr = 0;	/* messages are ours, in err */
	while ((opt = getopt_long(argc, argv, ":jns:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			a->fmt.format = TRANSCTL_FMT_JSON;
			break;
		case OPT_CSV:
			a->fmt.format = TRANSCTL_FMT_CSV;
			break;
		case 'n':
			a->fmt.numeric = true;
			break;
		case 's':
			a->path = optarg;
			break;
		case 'h':
			a->help = true;
			return 0;
		case ':':
			snprintf(err, errlen, "option '%s' needs an argument",
				 argv[optind - 1]);
			return TRANSCTL_USAGE;
		default:
			if (optopt)
				snprintf(err, errlen, "unknown option '-%c'",
					 optopt);
			else
				snprintf(err, errlen, "unknown option '%s'",
					 argv[optind - 1]);
			return TRANSCTL_USAGE;
		}
	}
	a->json = a->fmt.format == TRANSCTL_FMT_JSON;
	first = optind;
	if (ops_find_verb(cmd, argc - first, argv + first, a, err, errlen))
		return TRANSCTL_USAGE;
	if (first < argc)
		first++;
	if (ops_build(cmd, argc - first, argv + first, a, err, errlen))
		return TRANSCTL_USAGE;
	return 0;
}

/*
 * translatord's messages name what they are about ("eamt add: ..."); so
 * does ours ("transctl eamt add: "): say it once.
 */
static const char *ops_strip_who(const struct transctl_verb_cmd *cmd,
				 const struct ctl_subcmd *v, const char *msg)
{
	const char *name = ctl_cmd_name(cmd->verb);
	size_t n = strlen(name), m = strlen(v->name);

	if (strncmp(msg, name, n))
		return msg;
	if (!strncmp(msg + n, ": ", 2))
		return msg + n + 2;
	if (msg[n] == ' ' && !strncmp(msg + n + 1, v->name, m) &&
	    !strncmp(msg + n + 1 + m, ": ", 2))
		return msg + n + m + 3;
	return msg;
}

int transctl_verb_exec(const struct transctl_verb_cmd *cmd, int argc,
		       char **argv, FILE *out, FILE *errf)
{
	const char *name = ctl_cmd_name(cmd->verb);
	struct transctl_verb_args a;
	struct ctl_reply r;
	char err[512], who[96];
	int ret;

	if (transctl_verb_parse(cmd, argc, argv, &a, err, sizeof(err))) {
		fprintf(errf, "%s %s%s%s: %s\nTry '%s %s --help'.\n",
			transctl_prog, name, a.verb ? " " : "",
			a.verb ? a.verb->name : "", err, transctl_prog, name);
		return TRANSCTL_USAGE;
	}
	if (a.help) {
		cmd->usage(out);
		return TRANSCTL_OK;
	}
	snprintf(who, sizeof(who), "%s %s %s", transctl_prog, name,
		 a.verb->name);
	if (ctl_call(a.path, a.request, &r, err, sizeof(err))) {
		fprintf(errf, "%s: %s\n", who, err);
		return TRANSCTL_ERR;
	}
	if (!r.ok) {
		fprintf(errf, "%s: %s\n", who, ops_strip_who(cmd, a.verb, r.msg));
		ctl_reply_free(&r);
		return TRANSCTL_ERR;
	}
	ret = TRANSCTL_OK;
	if (!a.cli->print)
		fwrite(r.body, 1, r.body_len, out);
	else if (a.cli->print(r.body, &a.fmt, out)) {
		fprintf(errf, "%s: malformed reply from translatord\n", who);
		ret = TRANSCTL_ERR;
	}
	ctl_reply_free(&r);
	return ret;
}

/* --- output ---------------------------------------------------------- */

/* Splits body into lines and each line into n TAB-separated cells. */
static char **ops_cells(char *body, int n, size_t *rows)
{
	size_t cap = 16, r = 0;
	char **cell = malloc(cap * (size_t)n * sizeof(*cell)), **grown;
	char *line, *save = NULL;

	*rows = 0;

	for (line = strtok_r(body, "\n", &save); line && cell;
	     line = strtok_r(NULL, "\n", &save)) {
		if (r == cap) {
			cap *= 2;
			grown = realloc(cell, cap * (size_t)n * sizeof(*cell));
			if (!grown)
				goto fail;
			cell = grown;
		}
		for (int c = 0; c < n; c++) {
			cell[r * (size_t)n + (size_t)c] = line;
			line += strcspn(line, "\t");
			if ((c < n - 1) != (*line == '\t'))
				goto fail;	/* too few or too many cells */
			if (*line)
				*line++ = '\0';
		}
		r++;
	}
	*rows = r;
	return cell;
fail:
	free(cell);
	return NULL;
}

/*
 * --numeric, in place: each cell that has a numeric form points to it,
 * kept in store (24 bytes a cell).
 */
static char *ops_numeric(const struct transctl_columns *cols, char **cell,
			 size_t rows)
{
	size_t ncell = rows * (size_t)cols->n;
	char *store = malloc(ncell ? ncell * 24 : 1);
	const char *v;

	for (size_t i = 0; store && i < ncell; i++) {
		v = transctl_numeric_cell(cell[i],
					  (cols->proto >> (i % (size_t)cols->n)) & 1,
					  store + i * 24, 24);
		cell[i] = (char *)v;
	}
	return store;
}

/* One line: every cell but the last padded to its column's width. */
static void ops_row(FILE *out, const char *const *cell, const size_t *w,
		    int n)
{
	for (int c = 0; c < n - 1; c++)
		fprintf(out, "%-*s  ", (int)w[c], cell[c]);
	fprintf(out, "%s\n", cell[n - 1]);
}

static void ops_rows_table(const struct transctl_columns *cols, char **cell,
			   size_t rows, FILE *out)
{
	size_t w[8] = { 0 };
	int c, n = cols->n < 8 ? cols->n : 8;

	for (c = 0; c < n; c++) {
		w[c] = strlen(cols->headers[c]);
		for (size_t r = 0; r < rows; r++)
			if (strlen(cell[r * (size_t)cols->n + (size_t)c]) > w[c])
				w[c] = strlen(cell[r * (size_t)cols->n +
						   (size_t)c]);
	}
	ops_row(out, cols->headers, w, n);
	for (size_t r = 0; r < rows; r++)
		ops_row(out, (const char *const *)&cell[r * (size_t)cols->n],
			w, n);
}

/* One CSV record of n fields, LF-terminated. */
static void ops_csv_record(FILE *out, const char *const *cell, int n)
{
	for (int c = 0; c < n; c++) {
		if (c)
			fputc(',', out);
		transctl_csv_field(out, cell[c]);
	}
	fputc('\n', out);
}

/* The JSON field names are the CSV header: short, one word each. */
static void ops_rows_csv(const struct transctl_columns *cols, char **cell,
			 size_t rows, FILE *out)
{
	ops_csv_record(out, cols->fields, cols->n);
	for (size_t r = 0; r < rows; r++)
		ops_csv_record(out, (const char *const *)&cell[r *
			       (size_t)cols->n], cols->n);
}

/* One cell as a JSON value: a number where the column says so. */
static void ops_json_cell(const struct transctl_columns *cols, int c,
			  const char *cell, FILE *out)
{
	bool number = (cols->numeric >> c) & 1;

	if (number && !strcmp(cell, "-"))
		fputs("null", out);
	else if ((number || ((cols->proto >> c) & 1)) && *cell &&
		 !cell[strspn(cell, "0123456789")])
		fputs(cell, out);
	else
		ctl_json_string(out, cell);
}

static void ops_rows_json(const struct transctl_columns *cols, char **cell,
			  size_t rows, bool close, FILE *out)
{
	fputs("{", out);
	ctl_json_string(out, cols->key);
	fputs(": [", out);
	for (size_t r = 0; r < rows; r++) {
		fputs(r ? ",\n  {" : "\n  {", out);
		for (int c = 0; c < cols->n; c++) {
			fputs(c ? ", " : "", out);
			ctl_json_string(out, cols->fields[c]);
			fputs(": ", out);
			ops_json_cell(cols, c, cell[r * (size_t)cols->n +
						    (size_t)c], out);
		}
		fputs("}", out);
	}
	fputs(rows ? "\n]" : "]", out);
	if (close)
		fputs("}\n", out);
}

static int ops_print_rows(const struct transctl_columns *cols, char *body,
			  const struct transctl_fmt *fmt, bool close,
			  FILE *out)
{
	size_t rows;
	char **cell = ops_cells(body, cols->n, &rows), *store = NULL;

	if (!cell)
		return -1;
	if (fmt->numeric) {
		store = ops_numeric(cols, cell, rows);
		if (!store) {
			free(cell);
			return -1;
		}
	}
	if (fmt->format == TRANSCTL_FMT_JSON)
		ops_rows_json(cols, cell, rows, close, out);
	else if (fmt->format == TRANSCTL_FMT_CSV)
		ops_rows_csv(cols, cell, rows, out);
	else
		ops_rows_table(cols, cell, rows, out);
	free(store);
	free(cell);
	return 0;
}

int transctl_print_rows(const struct transctl_columns *cols, char *body,
			const struct transctl_fmt *fmt, FILE *out)
{
	return ops_print_rows(cols, body, fmt, true, out);
}

int transctl_print_listing(const struct transctl_columns *cols, char *body,
			   const struct transctl_fmt *fmt, FILE *out)
{
	return ops_print_rows(cols, body, fmt, false, out);
}

/* Key-value pairs, split: the three forms. */
static void ops_keyvals_out(char **cell, size_t rows,
			    const struct transctl_fmt *fmt, const char *sep,
			    FILE *out)
{
	static const char *const head[] = { "key", "value" };
	size_t w = 0, r;

	if (fmt->format == TRANSCTL_FMT_CSV) {
		ops_csv_record(out, head, 2);
		for (r = 0; r < rows; r++)
			ops_csv_record(out, (const char *const *)&cell[2 * r],
				       2);
		return;
	}
	for (r = 0; r < rows && sep; r++)
		if (strlen(cell[2 * r]) > w)
			w = strlen(cell[2 * r]);
	for (r = 0; r < rows && fmt->format == TRANSCTL_FMT_TABLE; r++)
		fprintf(out, "%-*s%s%s\n", (int)w, cell[2 * r], sep ? sep : " ",
			cell[2 * r + 1]);
	if (fmt->format != TRANSCTL_FMT_JSON)
		return;
	for (r = 0; r < rows; r++) {
		fputs(r ? ",\n  " : "{\n  ", out);
		ctl_json_string(out, cell[2 * r]);
		fputs(": ", out);
		if (strcmp(cell[2 * r + 1], "-"))
			ctl_json_string(out, cell[2 * r + 1]);
		else
			fputs("null", out);
	}
	fputs(rows ? "\n}\n" : "{}\n", out);
}

/* sep: the table's separator after the padded key, NULL: one space. */
static int ops_print_pairs(char **cell, size_t rows,
			   const struct transctl_fmt *fmt, const char *sep,
			   FILE *out)
{
	static const struct transctl_columns kv = { "", 2, NULL, NULL, 0, 0 };
	char *store = NULL;

	if (!cell)
		return -1;
	if (fmt->numeric) {
		store = ops_numeric(&kv, cell, rows);
		if (!store) {
			free(cell);
			return -1;
		}
	}
	ops_keyvals_out(cell, rows, fmt, sep, out);
	free(store);
	free(cell);
	return 0;
}

int transctl_print_keyvals(char *body, const struct transctl_fmt *fmt,
			   FILE *out)
{
	size_t rows;
	char **cell = ops_cells(body, 2, &rows);

	return ops_print_pairs(cell, rows, fmt, "  ", out);
}

int transctl_print_spaced(char *body, const struct transctl_fmt *fmt,
			  FILE *out)
{
	size_t rows, n;
	char *p, **cell;

	/* The first space of each line becomes the TAB of a pair. */
	for (p = body; *p; p += *p == '\n') {
		n = strcspn(p, " \n");
		if (p[n] == ' ')
			p[n] = '\t';
		p += n + strcspn(p + n, "\n");
	}
	cell = ops_cells(body, 2, &rows);
	return ops_print_pairs(cell, rows, fmt, NULL, out);
}
