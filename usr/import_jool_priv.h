/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transctl import's own parts (usr/import_jool*.c): the state of one
 * conversion and the helpers the global settings and the lists share.
 */
#ifndef USR_IMPORT_JOOL_PRIV_H
#define USR_IMPORT_JOOL_PRIV_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "import_jool.h"

#define IMP_LINE	1024

struct imp {
	const char *name;
	FILE *text;		/* the output being written */
	char *buf;
	size_t len;
	struct config cfg;	/* every directive so far, applied */
	FILE *warn;
	char *err;
	size_t errlen;
};

/* "NAME: " then the message into im->err; returns -1. */
int imp_fail(struct imp *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "NAME: ignored: KEY (why)" on im->warn. */
void imp_ignored(struct imp *im, const char *key, const char *why);
/*
 * One directive line: applied to im->cfg (an error names origin, the
 * Jool key it came from), then written to the text.
 */
int imp_emit(struct imp *im, const char *origin, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A Jool "comment" (any JSON value) as "# " lines. */
void imp_comment(struct imp *im, json_t *v);
/* A string usable as one word of a directive, or NULL. */
const char *imp_string(json_t *v);

/* import_jool_global.c: "global", and "pool6" at the top (older files). */
int imp_global(struct imp *im, json_t *global);
int imp_global_one(struct imp *im, const char *key, json_t *v);
/* import_jool_lists.c */
int imp_eamt(struct imp *im, json_t *list);
int imp_denylist(struct imp *im, const char *key, json_t *list);
int imp_pool4(struct imp *im, json_t *list);
int imp_bib(struct imp *im, json_t *list);

#endif
