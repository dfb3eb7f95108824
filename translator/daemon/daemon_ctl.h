/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between the control requests (daemon_ctl.c dispatches them) and the
 * files that serve the run-time ones: daemon_tables.c (eamt, denylist4),
 * daemon_query.c (address query) and the NAT64 files (bib, session,
 * pool4). Every handler receives the request
 * split into words, argv[0] being the command, and answers as
 * control_handler does: a body and 0, or -1 and one line in err.
 */
#ifndef TRANSLATOR_DAEMON_CTL_H
#define TRANSLATOR_DAEMON_CTL_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "daemon.h"

/*
 * Makes set the running configuration between two batches, as a reload
 * does: the rules first (new ones in before old ones out), then the swap.
 * Takes set on success; on failure the running one stays and set is still
 * the caller's.
 */
int daemon_commit_set(struct daemon *d, struct daemon_cfgset *set,
		      char *err, size_t errlen);

/*
 * The running set's EAMT or denylist was changed in place (between two
 * batches): its rules follow, new ones in before old ones out. On failure
 * the old rules stay and the caller undoes its change.
 */
int daemon_commit_tables(struct daemon *d, char *err, size_t errlen);

/* Records (and logs) a run-time change; a reload forgets them. */
void daemon_note_change(const char *what);

/*
 * Run-time configuration changes (daemon_tables.c): a parser-checked copy
 * of the running set, changed, then committed whole. daemon_cfg_commit_
 * change takes set (freed on failure) and reports msg to body and the
 * log; daemon_cfg_apply does copy, one directive line, commit.
 */
struct daemon_cfgset *daemon_cfg_copy(const struct daemon *d, char *err,
				      size_t errlen);
void daemon_cfg_drop(struct daemon_cfgset *set);
int daemon_cfg_commit_change(struct daemon *d, struct daemon_cfgset *set,
			     const char *msg, FILE *body, char *err,
			     size_t errlen);
int daemon_cfg_apply(struct daemon *d, const char *line, const char *msg,
		     FILE *body, char *err, size_t errlen);

/* "eamt show|add|remove ..." and "denylist4 show|add|remove ...". */
int daemon_ctl_tables(struct daemon *d, int argc, char **argv, FILE *body,
		      char *err, size_t errlen);
/* "address query ADDR". */
int daemon_ctl_address(struct daemon *d, int argc, char **argv, FILE *body,
		       char *err, size_t errlen);
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
/*
 * Stateful NAT64 (daemon_nat64_show.c, daemon_nat64_change.c): "bib
 * show|add|remove", "session show", "pool4 show|add|remove".
 */
int daemon_ctl_nat64(struct daemon *d, int argc, char **argv, FILE *body,
		     char *err, size_t errlen);

#endif
