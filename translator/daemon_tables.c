// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Run-time changes of the EAMT (RFC 7757) and of the pool6 denylist:
 * "eamt show|add|remove" and "denylist4 show|add|remove" requests; the
 * copy-change-commit helpers also serve NAT64's pool4 and static BIB
 * changes (daemon_nat64_change.c).
 *
 * A change never edits the running tables: it builds a complete copy of
 * the running configuration, applies the change to the copy with the
 * config parser's own code (config_apply_line, so a run-time entry obeys
 * exactly the rules a file's entry does: equal host bits, no overlap...)
 * and swaps the copy in the way a reload does, between two batches, rules
 * first. No packet sees a half-changed table. The change lasts until the
 * next reload, which returns to the file.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon_ctl.h"
#include "daemon_host.h"

/* Longest message a change reports ("added eamt P6 P4"). */
#define TABLES_MSG_MAX	(CTL_MAX_REQUEST + 64)

struct tables_verb {
	const char *table;	/* "eamt", "denylist4" */
	const char *verb;	/* "show", "add", "remove" */
	int nargs;
	const char *usage;	/* its arguments */
	int (*fn)(struct daemon *d, char **args, FILE *body, char *err,
		  size_t errlen);
};

/*
 * A copy of the running set to change. The core configuration goes
 * through its writer and parser, which keep every invariant (and know of
 * every field, pointers included); the daemon's directives are plain
 * data.
 */
struct daemon_cfgset *daemon_cfg_copy(const struct daemon *d, char *err,
				      size_t errlen)
{
	struct daemon_cfgset *set = calloc(1, sizeof(*set));
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (!set)
		goto oom;
	f = open_memstream(&text, &len);
	if (!f)
		goto oom;
	config_write(&d->set->cfg, f);
	if (fclose(f))
		goto oom;
	if (config_parse_string("running configuration", text, &set->cfg,
				err, errlen)) {
		free(text);
		free(set);
		return NULL;
	}
	free(text);
	set->dc = d->set->dc;
	return set;
oom:
	free(text);
	free(set);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

void daemon_cfg_drop(struct daemon_cfgset *set)
{
	daemon_cfgset_free(set);
	free(set);
}

/* Says what changed; with `rules manual` the operator's rules must follow. */
static void tables_report(const struct daemon *d, const char *msg, FILE *body)
{
	daemon_note_change(msg);
	fprintf(body, "%s\n", msg);
	if (d->set->dc.rules == DCONF_RULES_MANUAL)
		fprintf(body, "rules manual: update your queue rules to match "
			"(transctl rules prints them)\n");
}

int daemon_cfg_commit_change(struct daemon *d, struct daemon_cfgset *set,
			     const char *msg, FILE *body, char *err,
			     size_t errlen)
{
	/* pool4 and bib add: the host's own addresses are refused. */
	if (daemon_host_check(set, NULL, err, errlen) ||
	    daemon_commit_set(d, set, err, errlen)) {
		daemon_cfg_drop(set);
		return -1;
	}
	tables_report(d, msg, body);
	return 0;
}

int daemon_cfg_apply(struct daemon *d, const char *line, const char *msg,
		     FILE *body, char *err, size_t errlen)
{
	struct daemon_cfgset *set = daemon_cfg_copy(d, err, errlen);

	if (!set)
		return -1;
	if (config_apply_line(&set->cfg, line, err, errlen)) {
		daemon_cfg_drop(set);
		return -1;
	}
	return daemon_cfg_commit_change(d, set, msg, body, err, errlen);
}

/* Takes entry i out of a table of a copy. */
typedef void (*tables_cut_fn)(struct config *cfg, size_t i);

static void eamt_cut(struct config *cfg, size_t i)
{
	memmove(&cfg->eamt[i], &cfg->eamt[i + 1],
		(cfg->eamt_count - i - 1) * sizeof(cfg->eamt[0]));
	cfg->eamt_count--;
}

static void deny_cut(struct config *cfg, size_t i)
{
	memmove(&cfg->denylist4[i], &cfg->denylist4[i + 1],
		(cfg->denylist4_count - i - 1) * sizeof(cfg->denylist4[0]));
	cfg->denylist4_count--;
}

/* Removes entry i (of the running set, same order in the copy). */
static int tables_remove(struct daemon *d, tables_cut_fn cut, size_t i,
			 const char *msg, FILE *body, char *err, size_t errlen)
{
	struct daemon_cfgset *set = daemon_cfg_copy(d, err, errlen);

	if (!set)
		return -1;
	cut(&set->cfg, i);
	return daemon_cfg_commit_change(d, set, msg, body, err, errlen);
}

static int eamt_show(struct daemon *d, char **args, FILE *body, char *err,
		     size_t errlen)
{
	const struct config *cfg = &d->set->cfg;
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	(void)args;
	(void)err;
	(void)errlen;
	for (size_t i = 0; i < cfg->eamt_count; i++)
		fprintf(body, "%s\t%s\n", prefix6_str(&cfg->eamt[i].p6, b6),
			prefix4_str(&cfg->eamt[i].p4, b4));
	return 0;
}

static int eamt_add(struct daemon *d, char **args, FILE *body, char *err,
		    size_t errlen)
{
	char line[TABLES_MSG_MAX], msg[TABLES_MSG_MAX];
	struct eamt_entry e;
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];
	int i6 = strchr(args[0], ':') ? 0 : 1;

	snprintf(line, sizeof(line), "eamt %s %s", args[0], args[1]);
	/* The parser checks; these only give the message canonical text. */
	if (prefix6_parse(args[i6], &e.p6) || prefix4_parse(args[1 - i6], &e.p4))
		snprintf(msg, sizeof(msg), "%s", line);
	else
		snprintf(msg, sizeof(msg), "eamt add %s %s",
			 prefix6_str(&e.p6, b6), prefix4_str(&e.p4, b4));
	return daemon_cfg_apply(d, line, msg, body, err, errlen);
}

/*
 * No exact entry: say which entry the prefix falls in, if one does, since
 * "remove" takes an entry's own prefix rather than an address inside it.
 */
static int eamt_not_found(const struct config *cfg, const char *arg,
			  const struct prefix6 *p6, const struct prefix4 *p4,
			  char *err, size_t errlen)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	for (size_t i = 0; i < cfg->eamt_count; i++) {
		const struct eamt_entry *e = &cfg->eamt[i];

		if ((p6 && prefix6_overlaps(&e->p6, p6)) ||
		    (p4 && prefix4_overlaps(&e->p4, p4))) {
			snprintf(err, errlen, "eamt remove: no entry is exactly "
				 "%s; it overlaps the entry %s %s", arg,
				 prefix6_str(&e->p6, b6),
				 prefix4_str(&e->p4, b4));
			return -1;
		}
	}
	snprintf(err, errlen, "eamt remove: %s: no such entry", arg);
	return -1;
}

static int eamt_remove(struct daemon *d, char **args, FILE *body, char *err,
		       size_t errlen)
{
	const struct config *cfg = &d->set->cfg;
	char msg[TABLES_MSG_MAX], b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];
	bool is6 = strchr(args[0], ':') != NULL;
	struct prefix6 p6;
	struct prefix4 p4;
	size_t i;

	if (is6 ? prefix6_parse(args[0], &p6) : prefix4_parse(args[0], &p4)) {
		snprintf(err, errlen, "eamt remove: bad IPv%c prefix '%s'",
			 is6 ? '6' : '4', args[0]);
		return -1;
	}
	for (i = 0; i < cfg->eamt_count; i++) {
		const struct eamt_entry *e = &cfg->eamt[i];

		if (is6 ? e->p6.len == p6.len &&
			  prefix6_contains(&e->p6, &p6.addr)
			: e->p4.len == p4.len &&
			  prefix4_contains(&e->p4, &p4.addr))
			break;
	}
	if (i == cfg->eamt_count)
		return eamt_not_found(cfg, args[0], is6 ? &p6 : NULL,
				      is6 ? NULL : &p4, err, errlen);
	snprintf(msg, sizeof(msg), "eamt remove %s %s",
		 prefix6_str(&cfg->eamt[i].p6, b6),
		 prefix4_str(&cfg->eamt[i].p4, b4));
	return tables_remove(d, eamt_cut, i, msg, body, err, errlen);
}

static int deny_show(struct daemon *d, char **args, FILE *body, char *err,
		     size_t errlen)
{
	const struct config *cfg = &d->set->cfg;
	char b4[PREFIX4_STRLEN];

	(void)args;
	(void)err;
	(void)errlen;
	for (size_t i = 0; i < cfg->denylist4_count; i++)
		fprintf(body, "%s\n", prefix4_str(&cfg->denylist4[i], b4));
	return 0;
}

/* Index of the denylist entry equal to p, or the count when none is. */
static size_t deny_find(const struct config *cfg, const struct prefix4 *p)
{
	size_t i;

	for (i = 0; i < cfg->denylist4_count; i++)
		if (cfg->denylist4[i].len == p->len &&
		    prefix4_contains(&cfg->denylist4[i], &p->addr))
			break;
	return i;
}

static int deny_add(struct daemon *d, char **args, FILE *body, char *err,
		    size_t errlen)
{
	char line[TABLES_MSG_MAX], msg[TABLES_MSG_MAX], b4[PREFIX4_STRLEN];
	struct prefix4 p;

	snprintf(line, sizeof(line), "denylist4 %s", args[0]);
	if (prefix4_parse(args[0], &p))	/* the parser says why */
		return daemon_cfg_apply(d, line, line, body, err, errlen);
	prefix4_str(&p, b4);
	if (deny_find(&d->set->cfg, &p) < d->set->cfg.denylist4_count) {
		snprintf(err, errlen, "denylist4 add: %s is already listed", b4);
		return -1;
	}
	snprintf(msg, sizeof(msg), "denylist4 add %s", b4);
	return daemon_cfg_apply(d, line, msg, body, err, errlen);
}

static int deny_remove(struct daemon *d, char **args, FILE *body, char *err,
		       size_t errlen)
{
	char msg[TABLES_MSG_MAX], b4[PREFIX4_STRLEN];
	struct prefix4 p;
	size_t i;

	if (prefix4_parse(args[0], &p)) {
		snprintf(err, errlen, "denylist4 remove: bad IPv4 prefix '%s'",
			 args[0]);
		return -1;
	}
	i = deny_find(&d->set->cfg, &p);
	if (i == d->set->cfg.denylist4_count) {
		snprintf(err, errlen, "denylist4 remove: %s: no such entry",
			 prefix4_str(&p, b4));
		return -1;
	}
	snprintf(msg, sizeof(msg), "denylist4 remove %s", prefix4_str(&p, b4));
	return tables_remove(d, deny_cut, i, msg, body, err, errlen);
}

static const struct tables_verb tables_verbs[] = {
	{ "eamt", "show", 0, "", eamt_show },
	{ "eamt", "add", 2, " PREFIX6 PREFIX4", eamt_add },
	{ "eamt", "remove", 1, " PREFIX6|PREFIX4", eamt_remove },
	{ "denylist4", "show", 0, "", deny_show },
	{ "denylist4", "add", 1, " PREFIX4", deny_add },
	{ "denylist4", "remove", 1, " PREFIX4", deny_remove },
};

#define TABLES_NVERBS	(sizeof(tables_verbs) / sizeof(tables_verbs[0]))

static int tables_unknown(const char *table, const char *verb, char *err,
			  size_t errlen)
{
	size_t i, off;

	if (verb)
		off = (size_t)snprintf(err, errlen, "%s: unknown subcommand "
				       "'%.32s' (", table, verb);
	else
		off = (size_t)snprintf(err, errlen, "%s: missing subcommand (",
				       table);
	for (i = 0; i < TABLES_NVERBS && off < errlen; i++)
		if (!strcmp(tables_verbs[i].table, table))
			off += (size_t)snprintf(err + off, errlen - off, "%s%s",
						off && err[off - 1] != '(' ?
						", " : "", tables_verbs[i].verb);
	if (off < errlen)
		snprintf(err + off, errlen - off, ")");
	return -1;
}

int daemon_ctl_tables(struct daemon *d, int argc, char **argv, FILE *body,
		      char *err, size_t errlen)
{
	const struct tables_verb *v = NULL;
	size_t i;

	for (i = 0; i < TABLES_NVERBS && argc > 1 && !v; i++)
		if (!strcmp(tables_verbs[i].table, argv[0]) &&
		    !strcmp(tables_verbs[i].verb, argv[1]))
			v = &tables_verbs[i];
	if (!v)
		return tables_unknown(argv[0], argc > 1 ? argv[1] : NULL, err,
				      errlen);
	if (argc - 2 != v->nargs) {
		snprintf(err, errlen, "%s %s: usage: %s %s%s", v->table,
			 v->verb, v->table, v->verb, v->usage);
		return -1;
	}
	return v->fn(d, argv + 2, body, err, errlen);
}
