// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The line-based configuration file: one "key value..." directive a line,
 * '#' starts a comment (at the start of a word). What each directive means lives in the table of
 * config_table.c; this file splits lines, finds the row, checks the
 * argument count and reports errors as "NAME:LINE: message".
 *
 * config_write() walks the same table, so a written file always parses
 * back to the same config.
 */
#include <stdlib.h>
#include <string.h>

#include "config_table.h"

/* Longest line the parser accepts, without the newline. */
#define CONFIG_LINE_MAX 1023
/* Tokens kept per line: more than any directive needs, to name the extra. */
#define CONFIG_MAX_TOKENS 8
#define CONFIG_MSG_MAX 256
#define BLANKS " \t\r\n\v\f"

/* The directive tables, walked in this order by the parser and the writer. */
static const struct {
	const struct config_directive *rows;
	const size_t *count;
} config_tables[] = {
	{ config_directives, &config_directives_count },
	{ config_nat64_directives, &config_nat64_directives_count },
	{ config_jool_directives, &config_jool_directives_count },
};

#define CONFIG_NTABLES (sizeof(config_tables) / sizeof(config_tables[0]))

const struct config_directive *config_row(size_t i)
{
	for (size_t t = 0; t < CONFIG_NTABLES; t++) {
		if (i < *config_tables[t].count)
			return &config_tables[t].rows[i];
		i -= *config_tables[t].count;
	}
	return NULL;
}

/*
 * Finds the row for the tokens; *used tells how many tokens named it
 * (one, or two with the v6/v4 selector).
 */
static const struct config_directive *lookup(char **tok, int ntok, int *used,
					     char *err, size_t errlen)
{
	const struct config_directive *d;
	bool known = false;

	for (size_t i = 0; (d = config_row(i)) != NULL; i++) {

		if (strcmp(d->name, tok[0]) != 0)
			continue;
		known = true;
		if (!d->sub) {
			*used = 1;
			return d;
		}
		if (ntok > 1 && strcmp(d->sub, tok[1]) == 0) {
			*used = 2;
			return d;
		}
	}
	if (!known)
		config_fail(err, errlen, "unknown directive '%s'", tok[0]);
	else if (ntok < 2)
		config_fail(err, errlen, "%s: missing argument (v6 or v4)",
			    tok[0]);
	else
		config_fail(err, errlen, "%s: '%s' is not v6 or v4", tok[0],
			    tok[1]);
	return NULL;
}

/*
 * Splits buf in place. A '#' at the start of a word starts a comment; inside
 * a word it is part of it (transport addresses: "192.0.2.2#2000").
 */
static int tokenize(char *buf, char **tok)
{
	char *save = NULL;
	int n = 0;

	for (char *c = buf; *c; c++) {
		if (*c == '#' && (c == buf || strchr(BLANKS, c[-1]))) {
			*c = '\0';
			break;
		}
	}
	for (char *t = strtok_r(buf, BLANKS, &save); t && n < CONFIG_MAX_TOKENS;
	     t = strtok_r(NULL, BLANKS, &save))
		tok[n++] = t;
	return n;
}

static int apply_buf(struct config *cfg, char *buf, char *err, size_t errlen)
{
	char *tok[CONFIG_MAX_TOKENS + 1];
	const struct config_directive *d;
	int ntok = tokenize(buf, tok);
	int used, nargs, max;
	char nb[64];

	if (ntok == 0)
		return 0;
	d = lookup(tok, ntok, &used, err, errlen);
	if (!d)
		return -1;
	nargs = ntok - used;
	max = d->nargs;
	for (const char *u = d->usage; (u = strchr(u, '[')) != NULL; u++)
		max++;
	if (nargs < d->nargs)
		return config_fail(err, errlen,
				   "%s: missing argument (usage: %s %s)",
				   config_dname(d, nb, sizeof(nb)),
				   config_dname(d, nb, sizeof(nb)), d->usage);
	if (nargs > max)
		return config_fail(err, errlen,
				   "%s: extra argument '%s' (usage: %s %s)",
				   config_dname(d, nb, sizeof(nb)),
				   tok[used + max],
				   config_dname(d, nb, sizeof(nb)), d->usage);
	/* Optional arguments absent: the handler sees NULL in their place. */
	tok[used + nargs] = NULL;
	return d->apply(cfg, d, tok + used, err, errlen);
}

int config_apply_line(struct config *cfg, const char *line, char *err,
		      size_t errlen)
{
	char buf[CONFIG_LINE_MAX + 1];

	if (strlen(line) > CONFIG_LINE_MAX)
		return config_fail(err, errlen,
				   "line too long (over %d characters)",
				   CONFIG_LINE_MAX);
	strcpy(buf, line);
	return apply_buf(cfg, buf, err, errlen);
}

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = CONFIG_MODE_SIIT;
	cfg->lowest_ipv6_mtu = 1280;
	lpm_init(&cfg->eamt6_lpm, 128);
	lpm_init(&cfg->eamt4_lpm, 32);
	lpm_init(&cfg->deny4_lpm, 32);
	config_nat64_init(&cfg->nat64);
	config_jool_init(cfg);
}

void config_free(struct config *cfg)
{
	free(cfg->eamt);
	free(cfg->denylist4);
	lpm_free(&cfg->eamt6_lpm);
	lpm_free(&cfg->eamt4_lpm);
	lpm_free(&cfg->deny4_lpm);
	free(cfg->nat64.pool4);
	free(cfg->nat64.bib);
	free(cfg->nat64.det);
	config_init(cfg);
}

/* Applies one numbered line, prefixing any message with "NAME:LINE: ". */
static int parse_line(struct config *cfg, const char *name, unsigned int lineno,
		      const char *line, char *err, size_t errlen)
{
	char msg[CONFIG_MSG_MAX];

	if (config_apply_line(cfg, line, msg, sizeof(msg)) == 0)
		return 0;
	config_fail(err, errlen, "%s:%u: %s", name, lineno, msg);
	config_free(cfg);
	return -1;
}

int config_parse_string(const char *name, const char *text, struct config *cfg,
			char *err, size_t errlen)
{
	char line[CONFIG_LINE_MAX + 2];
	unsigned int lineno = 0;

	config_init(cfg);
	while (*text) {
		size_t n = strcspn(text, "\n");

		lineno++;
		/* Too long: pass enough for config_apply_line to refuse it. */
		if (n > CONFIG_LINE_MAX)
			n = CONFIG_LINE_MAX + 1;
		memcpy(line, text, n);
		line[n] = '\0';
		if (parse_line(cfg, name, lineno, line, err, errlen) != 0)
			return -1;
		text += strcspn(text, "\n");
		if (*text == '\n')
			text++;
	}
	return 0;
}

int config_parse_file(const char *path, struct config *cfg, char *err,
		      size_t errlen)
{
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;
	FILE *f;

	config_init(cfg);
	f = fopen(path, "r");
	if (!f)
		return config_fail(err, errlen, "%s: cannot open: %m", path);
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		/* A NUL would silently end the line (and hide the rest). */
		if (memchr(line, '\0', (size_t)n)) {
			ret = config_fail(err, errlen, "%s:%u: a NUL byte (not "
					  "a text file?)", path, lineno);
			config_free(cfg);
			goto out;
		}
		ret = parse_line(cfg, path, lineno, line, err, errlen);
		if (ret != 0)
			goto out;
	}
	if (ferror(f)) {
		ret = config_fail(err, errlen, "%s:%u: read error", path,
				  lineno + 1);
		config_free(cfg);
	}
out:
	free(line);
	fclose(f);
	return ret;
}

void config_write(const struct config *cfg, FILE *f)
{
	const struct config_directive *d;

	for (size_t i = 0; (d = config_row(i)) != NULL; i++)
		d->write(cfg, d, f);
}

void config_usage(FILE *f)
{
	const struct config_directive *d;
	char nb[64];

	for (size_t i = 0; (d = config_row(i)) != NULL; i++) {
		char head[96];

		snprintf(head, sizeof(head), "%s %s",
			 config_dname(d, nb, sizeof(nb)), d->usage);
		fprintf(f, "  %-40s %s\n", head, d->help);
	}
}
