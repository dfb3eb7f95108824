/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between daemon_nat64.c, which dispatches the NAT64 control requests,
 * and the files that serve them: daemon_nat64_show.c (listings) and
 * daemon_nat64_change.c (run-time pool4 and static BIB changes, removal
 * of dynamic bindings). Each handler gets the words after the verb.
 */
#ifndef TRANSLATOR_DAEMON_NAT64_H
#define TRANSLATOR_DAEMON_NAT64_H

#include <stddef.h>
#include <stdio.h>

#include "daemon.h"
#include "nat64_state.h"

typedef int (*dn64_fn)(struct daemon *d, int nargs, char **args,
		       FILE *body, char *err, size_t errlen);

struct dn64_verb {
	const char *cmd;	/* "bib", "session", "pool4" */
	const char *verb;	/* "show", "add", "remove" */
	int min_args, max_args;
	const char *usage;	/* its arguments */
	dn64_fn fn;
};

int dn64_bib_show(struct daemon *d, int nargs, char **args, FILE *body,
		  char *err, size_t errlen);
int dn64_session_show(struct daemon *d, int nargs, char **args, FILE *body,
		      char *err, size_t errlen);
int dn64_pool4_show(struct daemon *d, int nargs, char **args, FILE *body,
		    char *err, size_t errlen);
int dn64_bib_add(struct daemon *d, int nargs, char **args, FILE *body,
		 char *err, size_t errlen);
int dn64_bib_remove(struct daemon *d, int nargs, char **args, FILE *body,
		    char *err, size_t errlen);
int dn64_pool4_add(struct daemon *d, int nargs, char **args, FILE *body,
		   char *err, size_t errlen);
int dn64_pool4_remove(struct daemon *d, int nargs, char **args, FILE *body,
		      char *err, size_t errlen);

/* "tcp", "udp", "icmp"; -1 with a message naming what. */
int dn64_parse_l4(const char *what, const char *s, enum config_l4 *l4,
		  char *err, size_t errlen);

#endif
