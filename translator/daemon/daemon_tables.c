// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Run-time changes of the EAMT (RFC 7757) and of the pool6 denylist:
 * "eamt show|add|remove" and "denylist4 show|add|remove" requests.
 *
 * An eamt or denylist4 change edits a copy of the running set through
 * config_eamt_* and config_deny_* (config_lists.c: the very checks a
 * file's entry gets), which update the list and its longest-prefix-match
 * tries; the copy is then committed like any new configuration
 * (daemon_config_change: rules, then the snapshot published to the
 * workers, which translate on while it is prepared: no packet sees half
 * a change, and none waits for it). If the rules cannot follow, the copy
 * is dropped and the change refused. The change lasts until the next
 * reload, which returns to the file.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon_config.h"
#include "daemon_ctl.h"

/* Longest message a change reports ("added eamt P6 P4"). */
#define TABLES_MSG_MAX	(CTL_MAX_REQUEST + 64)

int dtab_eamt_show(struct daemon *d, int nargs, char **args, FILE *body,
		   char *err, size_t errlen)
{
	const struct config *cfg = &d->set->cfg;
	char b6[PREFIX6_STRLEN], b4[PREFIX4_STRLEN];

	(void)nargs;
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

int dtab_eamt_add(struct daemon *d, int nargs, char **args, FILE *body,
		  char *err, size_t errlen)
{
	char msg[TABLES_MSG_MAX], why[TABLES_MSG_MAX];
	struct daemon_cfgset *set;
	struct eamt_entry e;

	(void)nargs;	/* counted by the dispatcher */
	if (eamt_parse("add", args, &e, err, errlen))
		return -1;
	set = daemon_config_copy(d, err, errlen);
	if (!set)
		return -1;
	if (config_eamt_insert(&set->cfg, set->cfg.eamt_count, &e, why,
			       sizeof(why))) {
		snprintf(err, errlen, "eamt add: %s", why);
		daemon_config_drop(set);
		return -1;
	}
	eamt_text("add", &e, msg, sizeof(msg));
	return daemon_config_change(d, set, msg, body, err, errlen);
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

int dtab_eamt_remove(struct daemon *d, int nargs, char **args, FILE *body,
		     char *err, size_t errlen)
{
	const struct config *cfg = &d->set->cfg;
	char msg[TABLES_MSG_MAX];
	bool is6 = strchr(args[0], ':') != NULL;
	struct daemon_cfgset *set;
	struct eamt_entry e;
	struct prefix6 p6;
	struct prefix4 p4;
	size_t i;

	(void)nargs;	/* counted by the dispatcher */
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
	set = daemon_config_copy(d, err, errlen);
	if (!set)
		return -1;
	/* Found again: the copy went through the writer and the parser. */
	if (is6 ? config_eamt_find6(&set->cfg, &p6, &i)
		: config_eamt_find4(&set->cfg, &p4, &i))
		config_eamt_remove(&set->cfg, i);
	return daemon_config_change(d, set, msg, body, err, errlen);
}

int dtab_deny_show(struct daemon *d, int nargs, char **args, FILE *body,
		   char *err, size_t errlen)
{
	const struct config *cfg = &d->set->cfg;
	char b4[PREFIX4_STRLEN];

	(void)nargs;
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

int dtab_deny_add(struct daemon *d, int nargs, char **args, FILE *body,
		  char *err, size_t errlen)
{
	char msg[TABLES_MSG_MAX], why[TABLES_MSG_MAX], b4[PREFIX4_STRLEN];
	struct daemon_cfgset *set;
	struct prefix4 p;

	(void)nargs;	/* counted by the dispatcher */
	if (deny_parse("add", args[0], &p, err, errlen))
		return -1;
	set = daemon_config_copy(d, err, errlen);
	if (!set)
		return -1;
	if (config_deny_insert(&set->cfg, set->cfg.denylist4_count, &p, why,
			       sizeof(why))) {
		snprintf(err, errlen, "denylist4 add: %s", why);
		daemon_config_drop(set);
		return -1;
	}
	snprintf(msg, sizeof(msg), "denylist4 add %s", prefix4_str(&p, b4));
	return daemon_config_change(d, set, msg, body, err, errlen);
}

int dtab_deny_remove(struct daemon *d, int nargs, char **args, FILE *body,
		     char *err, size_t errlen)
{
	char msg[TABLES_MSG_MAX], b4[PREFIX4_STRLEN];
	struct daemon_cfgset *set;
	struct prefix4 p;
	size_t i;

	(void)nargs;	/* counted by the dispatcher */
	if (deny_parse("remove", args[0], &p, err, errlen))
		return -1;
	prefix4_str(&p, b4);
	if (!config_deny_find(&d->set->cfg, &p, &i)) {
		snprintf(err, errlen, "denylist4 remove: %s: no such entry",
			 b4);
		return -1;
	}
	snprintf(msg, sizeof(msg), "denylist4 remove %s", b4);
	set = daemon_config_copy(d, err, errlen);
	if (!set)
		return -1;
	if (config_deny_find(&set->cfg, &p, &i))
		config_deny_remove(&set->cfg, i);
	return daemon_config_change(d, set, msg, body, err, errlen);
}
