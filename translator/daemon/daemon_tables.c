// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Run-time changes of the EAMT (RFC 7757) and of the pool6 denylist:
 * "eamt show|add|remove" and "denylist4 show|add|remove" requests; the
 * copy-change-commit helpers also serve NAT64's pool4 and static BIB
 * changes (daemon_nat64_change.c).
 *
 * An eamt or denylist4 change edits the running tables in place through
 * config_eamt_* and config_deny_* (config_lists.c: the very checks a
 * file's entry gets), which update the list and its longest-prefix-match
 * tries in O(address bits): nothing is re-parsed, however large the
 * table. The daemon is one thread and requests are served between two
 * batches, so no packet sees half a change. The rules then follow the
 * new table (daemon_commit_tables); if they cannot, the change is undone
 * and refused. The change lasts until the next reload, which returns to
 * the file.
 *
 * pool4 and bib changes instead build a complete copy of the running
 * configuration (through its writer and parser), change it and swap it
 * in the way a reload does.
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

/*
 * The running configuration changed in place: the rules follow, and the
 * change is reported. On failure the caller undoes the change.
 */
static int tables_commit(struct daemon *d, const char *msg, FILE *body,
			 char *err, size_t errlen)
{
	if (daemon_commit_tables(d, err, errlen))
		return -1;
	tables_report(d, msg, body);
	return 0;
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

/* "eamt P6 P4" or "P4 P6" (as in the file); "verb: reason" on error. */
static int eamt_parse(const char *verb, char **args, struct eamt_entry *e,
		      char *err, size_t errlen)
{
	int i6 = strchr(args[0], ':') ? 0 : 1;

	if (prefix6_parse(args[i6], &e->p6)) {
		snprintf(err, errlen, "eamt %s: bad IPv6 prefix '%s'", verb,
			 args[i6]);
		return -1;
	}
	if (prefix4_parse(args[1 - i6], &e->p4)) {
		snprintf(err, errlen, "eamt %s: bad IPv4 prefix '%s'", verb,
			 args[1 - i6]);
		return -1;
	}
	return 0;
}

static void eamt_text(const char *verb, const struct eamt_entry *e,
		      char *msg, size_t len)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	snprintf(msg, len, "eamt %s %s %s", verb, prefix6_str(&e->p6, b6),
		 prefix4_str(&e->p4, b4));
}

static int eamt_add(struct daemon *d, char **args, FILE *body, char *err,
		    size_t errlen)
{
	struct config *cfg = &d->set->cfg;
	char msg[TABLES_MSG_MAX], why[TABLES_MSG_MAX];
	size_t at = cfg->eamt_count;
	struct eamt_entry e;

	if (eamt_parse("add", args, &e, err, errlen))
		return -1;
	if (config_eamt_insert(cfg, at, &e, why, sizeof(why))) {
		snprintf(err, errlen, "eamt add: %s", why);
		return -1;
	}
	eamt_text("add", &e, msg, sizeof(msg));
	if (tables_commit(d, msg, body, err, errlen)) {
		config_eamt_remove(cfg, at);
		return -1;
	}
	return 0;
}

/*
 * No exact entry: say which entry the prefix overlaps, if one does, since
 * "remove" takes an entry's own prefix rather than an address inside it.
 */
static int eamt_not_found(const struct config *cfg, const char *arg,
			  const struct prefix6 *p6, const struct prefix4 *p4,
			  char *err, size_t errlen)
{
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];
	size_t i;

	if (config_eamt_overlap(cfg, p6, p4, &i)) {
		snprintf(err, errlen, "eamt remove: no entry is exactly %s; it "
			 "overlaps the entry %s %s", arg,
			 prefix6_str(&cfg->eamt[i].p6, b6),
			 prefix4_str(&cfg->eamt[i].p4, b4));
		return -1;
	}
	snprintf(err, errlen, "eamt remove: %s: no such entry", arg);
	return -1;
}

static int eamt_remove(struct daemon *d, char **args, FILE *body, char *err,
		       size_t errlen)
{
	struct config *cfg = &d->set->cfg;
	char msg[TABLES_MSG_MAX];
	bool is6 = strchr(args[0], ':') != NULL;
	struct eamt_entry e;
	struct prefix6 p6;
	struct prefix4 p4;
	size_t i;

	if (is6 ? prefix6_parse(args[0], &p6) : prefix4_parse(args[0], &p4)) {
		snprintf(err, errlen, "eamt remove: bad IPv%c prefix '%s'",
			 is6 ? '6' : '4', args[0]);
		return -1;
	}
	if (!(is6 ? config_eamt_find6(cfg, &p6, &i)
		  : config_eamt_find4(cfg, &p4, &i)))
		return eamt_not_found(cfg, args[0], is6 ? &p6 : NULL,
				      is6 ? NULL : &p4, err, errlen);
	e = cfg->eamt[i];
	eamt_text("remove", &e, msg, sizeof(msg));
	config_eamt_remove(cfg, i);
	if (tables_commit(d, msg, body, err, errlen)) {
		/* Back where it was: its place is free, its prefixes too. */
		config_eamt_insert(cfg, i, &e, NULL, 0);
		return -1;
	}
	return 0;
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

static int deny_parse(const char *verb, const char *arg, struct prefix4 *p,
		      char *err, size_t errlen)
{
	if (!prefix4_parse(arg, p))
		return 0;
	snprintf(err, errlen, "denylist4 %s: bad IPv4 prefix '%s'", verb, arg);
	return -1;
}

static int deny_add(struct daemon *d, char **args, FILE *body, char *err,
		    size_t errlen)
{
	struct config *cfg = &d->set->cfg;
	char msg[TABLES_MSG_MAX], why[TABLES_MSG_MAX], b4[PREFIX4_STRLEN];
	size_t at = cfg->denylist4_count;
	struct prefix4 p;

	if (deny_parse("add", args[0], &p, err, errlen))
		return -1;
	if (config_deny_insert(cfg, at, &p, why, sizeof(why))) {
		snprintf(err, errlen, "denylist4 add: %s", why);
		return -1;
	}
	snprintf(msg, sizeof(msg), "denylist4 add %s", prefix4_str(&p, b4));
	if (tables_commit(d, msg, body, err, errlen)) {
		config_deny_remove(cfg, at);
		return -1;
	}
	return 0;
}

static int deny_remove(struct daemon *d, char **args, FILE *body, char *err,
		       size_t errlen)
{
	struct config *cfg = &d->set->cfg;
	char msg[TABLES_MSG_MAX], b4[PREFIX4_STRLEN];
	struct prefix4 p;
	size_t i;

	if (deny_parse("remove", args[0], &p, err, errlen))
		return -1;
	prefix4_str(&p, b4);
	if (!config_deny_find(cfg, &p, &i)) {
		snprintf(err, errlen, "denylist4 remove: %s: no such entry",
			 b4);
		return -1;
	}
	snprintf(msg, sizeof(msg), "denylist4 remove %s", b4);
	config_deny_remove(cfg, i);
	if (tables_commit(d, msg, body, err, errlen)) {
		config_deny_insert(cfg, i, &p, NULL, 0);
		return -1;
	}
	return 0;
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
