/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the transctl command-line tests: a command line given as one
 * string is split into words and parsed by transctl_verb_parse().
 */
#ifndef TEST_UNIT_VERBPARSE_H
#define TEST_UNIT_VERBPARSE_H

#include <stddef.h>

#include "transctl.h"

/* Parses line; returns the status. a->path may point into a static buffer. */
int vp_parse(const struct transctl_verb_cmd *cmd, const char *line,
	     struct transctl_verb_args *a, char *err, size_t errlen);
/* Asserts that line parses into the control request `request`. */
void vp_parses_to(const struct transctl_verb_cmd *cmd, const char *line,
		  const char *request);
/* Asserts that line is a usage error with exactly this message. */
void vp_refused(const struct transctl_verb_cmd *cmd, const char *line,
		const char *message);

#endif
