/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAT64 control requests' handlers (daemon_ctl.c dispatches them,
 * mode nat64 only): daemon_nat64_show.c (listings) and
 * daemon_nat64_change.c (run-time pool4 and static BIB changes, removal
 * of dynamic bindings). Each gets the words after the subcommand.
 */
#ifndef TRANSLATOR_DAEMON_NAT64_H
#define TRANSLATOR_DAEMON_NAT64_H

#include <stddef.h>
#include <stdio.h>

#include "daemon_ctl.h"
#include "nat64_state.h"

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
