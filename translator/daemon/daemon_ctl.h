/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between the control requests' dispatcher (daemon_ctl.c) and the files
 * that serve them: daemon_show.c (status, stats, config, rules),
 * daemon_tables.c (eamt, denylist4), daemon_query.c (address query), the
 * NAT64 files (bib, session, pool4; daemon_nat64.h) and daemon_config.c
 * (reload). Every handler answers as control_handler does: a body and 0,
 * or -1 and one line in err.
 */
#ifndef TRANSLATOR_DAEMON_CTL_H
#define TRANSLATOR_DAEMON_CTL_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "daemon.h"

/*
 * A handler: the words after the verb's subcommand (none for a verb
 * without), already counted against common/ctl_verbs.c's table.
 */
typedef int (*daemon_ctl_fn)(struct daemon *d, int nargs, char **args,
			     FILE *body, char *err, size_t errlen);

/* daemon_show.c: "status", "stats", "worker-stats", "config", "rules". */
int daemon_show_status(struct daemon *d, int nargs, char **args, FILE *body,
		       char *err, size_t errlen);
int daemon_show_stats(struct daemon *d, int nargs, char **args, FILE *body,
		      char *err, size_t errlen);
int daemon_show_worker_stats(struct daemon *d, int nargs, char **args,
			     FILE *body, char *err, size_t errlen);
int daemon_show_config(struct daemon *d, int nargs, char **args, FILE *body,
		       char *err, size_t errlen);
int daemon_show_rules(struct daemon *d, int nargs, char **args, FILE *body,
		      char *err, size_t errlen);

/* daemon_tables.c: "eamt show|add|remove", "denylist4 show|add|remove". */
int dtab_eamt_show(struct daemon *d, int nargs, char **args, FILE *body,
		   char *err, size_t errlen);
int dtab_eamt_add(struct daemon *d, int nargs, char **args, FILE *body,
		  char *err, size_t errlen);
int dtab_eamt_remove(struct daemon *d, int nargs, char **args, FILE *body,
		     char *err, size_t errlen);
int dtab_deny_show(struct daemon *d, int nargs, char **args, FILE *body,
		   char *err, size_t errlen);
int dtab_deny_add(struct daemon *d, int nargs, char **args, FILE *body,
		  char *err, size_t errlen);
int dtab_deny_remove(struct daemon *d, int nargs, char **args, FILE *body,
		     char *err, size_t errlen);

/* daemon_query.c: "address query ADDR". */
/* The pool4-deterministic and BIB lines of "address query ADDR [PORT]"
 * (daemon_query_det.c), after the others; nothing outside mode nat64.
 * port: checked by daemon_address_query, or DET_NO_PORT. */
int daemon_query_det(struct daemon *d, const char *addr, long port, FILE *f,
		     char *err, size_t errlen);
int daemon_address_query(struct daemon *d, int nargs, char **args,
			 FILE *body, char *err, size_t errlen);
/* Its answer: the rule, the other side, the entry that decided, why. */
struct dq_answer {
	const char *rule;
	char result[INET6_ADDRSTRLEN];
	char match[2 * PREFIX6_STRLEN + 16];
	char reason[512];
};
/*
 * Mode nat64 (daemon_query_nat64.c): rewrites the parts of a, the SIIT
 * answer from ex, that differ in a NAT64 (pool4, bib, pool6 roles).
 */
struct addrmap_explain;
void daemon_query_nat64(struct daemon *d, bool is6, const void *addr,
			const struct addrmap_explain *ex, struct dq_answer *a);
#endif
