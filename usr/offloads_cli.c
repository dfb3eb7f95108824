// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl offloads: the command line, the interfaces named by a running
 * daemon's configuration, and the table/JSON output. Pure: no netlink and
 * no sockets, so the unit tests cover it.
 */
#include <getopt.h>
#include <string.h>

#include "offloads_cli.h"
#include "transctl.h"

/* --- command line ------------------------------------------------------ */

enum { OFFL_OPT_FIX = 256, OFFL_OPT_DRY_RUN, OFFL_OPT_JSON };

static const struct option offl_longopts[] = {
	{ "config",  required_argument, NULL, 'c' },
	{ "control", required_argument, NULL, 's' },
	{ "fix",     no_argument,       NULL, OFFL_OPT_FIX },
	{ "dry-run", no_argument,       NULL, OFFL_OPT_DRY_RUN },
	{ "json",    no_argument,       NULL, OFFL_OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

/*
 * getopt leaves the offending word just before optind, except for an
 * unknown short option inside a group: optopt names that one.
 */
static void offl_bad_option(char **argv, int c, char *err, size_t errlen)
{
	if (c == ':')
		snprintf(err, errlen, "missing argument to '%s'",
			 argv[optind - 1]);
	else if (optopt > 0 && optopt < 256)
		snprintf(err, errlen, "unknown option '-%c'", optopt);
	else
		snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
}

static int offl_add_iface_arg(struct offl_opts *o, const char *name,
			      char *err, size_t errlen)
{
	if (!*name) {
		snprintf(err, errlen, "empty interface name");
		return -1;
	}
	if (strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen,
			 "interface name '%s' is too long (at most %d characters)",
			 name, IF_NAMESIZE - 1);
		return -1;
	}
	if (o->n_ifaces == OFFL_MAX_IFACES) {
		snprintf(err, errlen, "too many interfaces (at most %d)",
			 OFFL_MAX_IFACES);
		return -1;
	}
	o->ifaces[o->n_ifaces++] = name;
	return 0;
}

int offl_parse_args(int argc, char **argv, struct offl_opts *o,
		    char *err, size_t errlen)
{
	int c;

	memset(o, 0, sizeof(*o));
	optind = 0;	/* glibc: a full restart, as the tests parse often */
	opterr = 0;	/* our own messages, returned in err */
	while ((c = getopt_long(argc, argv, ":c:s:", offl_longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 's':
			o->control = optarg;
			break;
		case OFFL_OPT_FIX:
			o->fix = true;
			break;
		case OFFL_OPT_DRY_RUN:
			o->dry_run = true;
			break;
		case OFFL_OPT_JSON:
			o->json = true;
			break;
		default:
			offl_bad_option(argv, c, err, errlen);
			return -1;
		}
	}
	for (; optind < argc; optind++)
		if (offl_add_iface_arg(o, argv[optind], err, errlen))
			return -1;
	return 0;
}


/* --- the running daemon's interfaces ------------------------------------ */

/* Copies the NAME of "interface SIDE NAME" at line into out (IF_NAMESIZE). */
static void offl_cfg_line(const char *line, size_t len, const char *side,
			  char *out)
{
	char want[32];
	size_t w, n;

	w = (size_t)snprintf(want, sizeof(want), "interface %s ", side);
	if (len <= w || strncmp(line, want, w))
		return;
	n = len - w;
	if (n >= IF_NAMESIZE || memchr(line + w, ' ', n))
		return;
	memcpy(out, line + w, n);
	out[n] = '\0';
}

void offl_config_ifaces(const char *text, char *v4, char *v6)
{
	const char *p = text, *nl;
	size_t len;

	v4[0] = v6[0] = '\0';
	while (p && *p) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		offl_cfg_line(p, len, "v4", v4);
		offl_cfg_line(p, len, "v6", v6);
		p = nl ? nl + 1 : NULL;
	}
}

/* --- output -------------------------------------------------------------- */

static const char *const offl_fixed_json[] = {
	[OFFL_FIXED_NO] = "false",
	[OFFL_FIXED_YES] = "true",
	[OFFL_FIXED_NA] = "null",
};

void offl_print_actions(FILE *f, const struct offl_action *acts, size_t n,
			const struct offl_iface *ifs)
{
	char line[192];
	size_t i;

	if (!n)
		fprintf(f, "nothing to change\n");
	for (i = 0; i < n; i++) {
		offl_action_str(&acts[i], ifs, line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

#define OFFL_COLS 6

/* label has OFFL_LABEL_MAX bytes: the interface cell. */
static void offl_cells(const struct offl_row *r, const char **cell,
		       char *label)
{
	offl_label(r->iface, r->below, r->upper, label, OFFL_LABEL_MAX);
	cell[0] = label;
	cell[1] = r->feature;
	cell[2] = r->state;
	cell[3] = offl_fixed_name(r->fixed);
	cell[4] = offl_risk_name(r->risk);
	cell[5] = r->why;
}

static void offl_print_line(FILE *f, const char *const *cell,
			    const int *width)
{
	int c;

	for (c = 0; c < OFFL_COLS - 1; c++)
		fprintf(f, "%-*s  ", width[c], cell[c]);
	fprintf(f, "%s\n", cell[OFFL_COLS - 1]);
}

void offl_print_table(FILE *f, const struct offl_row *rows, size_t n)
{
	static const char *const head[OFFL_COLS] = {
		"INTERFACE", "FEATURE", "STATE", "FIXED", "RISK", "WHY",
	};
	const char *cell[OFFL_COLS];
	char label[OFFL_LABEL_MAX];
	int width[OFFL_COLS] = { 0 };
	size_t i;
	int c;

	for (c = 0; c < OFFL_COLS; c++)
		width[c] = (int)strlen(head[c]);
	for (i = 0; i < n; i++) {
		offl_cells(&rows[i], cell, label);
		for (c = 0; c < OFFL_COLS; c++)
			if ((int)strlen(cell[c]) > width[c])
				width[c] = (int)strlen(cell[c]);
	}
	offl_print_line(f, head, width);
	for (i = 0; i < n; i++) {
		offl_cells(&rows[i], cell, label);
		offl_print_line(f, cell, width);
	}
}

void offl_print_csv(FILE *f, const struct offl_row *rows, size_t n)
{
	static const char *const head[] = {
		"interface", "upper", "relation", "feature", "state", "fixed",
		"risk", "why",
	};
	const char *cell[8];
	size_t i;
	int c;

	for (c = 0; c < 8; c++)
		fprintf(f, "%s%s", c ? "," : "", head[c]);
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		cell[0] = rows[i].iface;
		cell[1] = rows[i].below ? rows[i].upper : "";
		cell[2] = rows[i].below ? offl_below_name(rows[i].below) : "";
		cell[3] = rows[i].feature;
		cell[4] = rows[i].state;
		cell[5] = offl_fixed_name(rows[i].fixed);
		cell[6] = offl_risk_name(rows[i].risk);
		cell[7] = rows[i].why;
		for (c = 0; c < 8; c++) {
			if (c)
				fputc(',', f);
			transctl_csv_field(f, cell[c]);
		}
		fputc('\n', f);
	}
}

void offl_print_summary(FILE *f, const struct offl_row *rows, size_t n)
{
	struct offl_counts k = offl_count(rows, n);

	if (!k.risky)
		fprintf(f, "nothing risky");
	else
		fprintf(f, "%zu risky: %zu can change (--fix), %zu cannot",
			k.risky, k.risky - k.risky_fixed, k.risky_fixed);
	if (k.info)
		fprintf(f, "; %zu note%s", k.info, k.info == 1 ? "" : "s");
	fputc('\n', f);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void offl_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* Writes `"key": "value"` with the separator that precedes it. */
static void offl_json_kv(FILE *f, const char *sep, const char *key,
			 const char *val)
{
	fprintf(f, "%s\"%s\": ", sep, key);
	offl_json_str(f, val);
}

static void offl_json_row(FILE *f, const struct offl_row *r)
{
	offl_json_kv(f, "{", "interface", r->iface);
	if (r->upper) {
		offl_json_kv(f, ", ", "upper", r->upper);
		offl_json_kv(f, ", ", "relation", offl_below_name(r->below));
	}
	offl_json_kv(f, ", ", "feature", r->feature);
	offl_json_kv(f, ", ", "state", r->state);
	fprintf(f, ", \"fixed\": %s", offl_fixed_json[r->fixed]);
	offl_json_kv(f, ", ", "risk", offl_risk_name(r->risk));
	offl_json_kv(f, ", ", "why", r->why);
	fputc('}', f);
}

static void offl_json_action(FILE *f, const struct offl_action *a,
			     const struct offl_iface *ifs)
{
	char from[16], to[16];

	offl_act_value(a, a->from, from, sizeof(from));
	offl_act_value(a, a->to, to, sizeof(to));
	offl_json_kv(f, "{", "interface", ifs[a->iface].name);
	if (ifs[a->iface].below != OFFL_BELOW_NONE) {
		offl_json_kv(f, ", ", "upper", ifs[ifs[a->iface].upper].name);
		offl_json_kv(f, ", ", "relation",
			     offl_below_name(ifs[a->iface].below));
	}
	offl_json_kv(f, ", ", "feature", offl_act_feature(a));
	offl_json_kv(f, ", ", "from", from);
	offl_json_kv(f, ", ", "to", to);
	offl_json_kv(f, ", ", "result", offl_result_name(a->result));
	fputc('}', f);
}

void offl_print_json(FILE *f, const struct offl_row *rows, size_t n,
		     const struct offl_action *acts, size_t nacts,
		     const struct offl_iface *ifs)
{
	struct offl_counts k = offl_count(rows, n);
	size_t i;

	fprintf(f, "{\n  \"rows\": [");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n    ", i ? "," : "");
		offl_json_row(f, &rows[i]);
	}
	fprintf(f, "\n  ],\n");
	if (acts) {
		fprintf(f, "  \"actions\": [");
		for (i = 0; i < nacts; i++) {
			fprintf(f, "%s\n    ", i ? "," : "");
			offl_json_action(f, &acts[i], ifs);
		}
		fprintf(f, "%s],\n", nacts ? "\n  " : "");
	}
	fprintf(f, "  \"risky\": %zu,\n  \"risky_fixed\": %zu,\n"
		"  \"notes\": %zu,\n  \"exit\": %d\n}\n",
		k.risky, k.risky_fixed, k.info, offl_exit_code(rows, n));
}
