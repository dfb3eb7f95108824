/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to common/config*.c: the table of directives. Each row knows how
 * to apply itself to a config and how to write itself back, so the parser
 * (config.c) and config_write() both just walk the table.
 */
#ifndef COMMON_CONFIG_TABLE_H
#define COMMON_CONFIG_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"

struct config_directive;

typedef int (*config_apply_fn)(struct config *cfg,
			       const struct config_directive *d, char **argv,
			       char *err, size_t errlen);
typedef void (*config_write_fn)(const struct config *cfg,
				const struct config_directive *d, FILE *f);

struct config_directive {
	const char *name;
	const char *sub;	/* "v6"/"v4" selector word, or NULL */
	/* The arguments, for messages and help; each "[...]" in it is one
	 * optional argument after the nargs required ones. */
	const char *usage;
	int nargs;		/* arguments after name (and sub) */
	config_apply_fn apply;
	config_write_fn write;
	size_t off;		/* field, for the generic handlers */
	size_t flag;		/* its "_set" flag, for optional values */
	uint32_t min, max;	/* range, for the numeric handlers */
	const char *help;
};

extern const struct config_directive config_directives[];
extern const size_t config_directives_count;

/* The stateful NAT64 directives (config_nat64.c), walked after the above. */
extern const struct config_directive config_nat64_directives[];
extern const size_t config_nat64_directives_count;

/* Jool's global settings (config_jool.c), walked last. */
extern const struct config_directive config_jool_directives[];
extern const size_t config_jool_directives_count;
/* Their defaults (config_init calls it after config_nat64_init). */
void config_jool_init(struct config *cfg);

/*
 * Row i of all the tables in the order the parser and the writer walk
 * them (config_directives, config_nat64_directives, then
 * config_jool_directives), NULL past the
 * last.
 */
const struct config_directive *config_row(size_t i);

/* pool4-deterministic (config_det.c), a row of the NAT64 table. */
int config_apply_det(struct config *cfg, const struct config_directive *d,
		     char **argv, char *err, size_t errlen);
void config_write_det(const struct config *cfg,
		      const struct config_directive *d, FILE *f);

/* The NAT64 defaults (config_nat64.c; config_init calls it). */
void config_nat64_init(struct config_nat64 *n);

/* Decimal u32: 0, or -1 not a number, -2 too large (no sign, no blanks). */
int config_parse_u32(const char *s, uint32_t *out);
/* yes/no, true/false, on/off, 1/0: 0, or -1. */
int config_parse_bool(const char *s, bool *out);
/* A yes|no directive into the bool at d->off (the three tables share it). */
int config_apply_bool(struct config *cfg, const struct config_directive *d,
		      char **argv, char *err, size_t errlen);
/* Its writers: always (config_table.c), or as a NAT64 scalar, in mode
 * nat64 or when it is not the default at d->flag (config_nat64.c). */
void config_write_bool(const struct config *cfg,
		       const struct config_directive *d, FILE *f);
void config_write_nat64_bool(const struct config *cfg,
			     const struct config_directive *d, FILE *f);

/* Formats a message into err (if any) and returns -1. */
__attribute__((format(printf, 3, 4)))
/*
 * RFC 7757 extends SIIT only; a NAT64 (RFC 6146) reaches IPv4 hosts
 * through pool6 and publishes IPv6 ones through bib. An EAMT in mode
 * nat64 would be a silent half-feature: refused, in either order, in
 * the file and at run time (config_eamt_insert).
 */
#define CONFIG_EAMT_NOT_NAT64 "mode nat64 has no EAMT (RFC 7757 is for SIIT): " \
	"IPv6 hosts reach IPv4 ones through pool6, IPv4 hosts reach IPv6 " \
	"ones through bib"

int config_fail(char *err, size_t errlen, const char *fmt, ...);

/* "mtu v6" rather than "mtu": the name as typed, for messages. */
const char *config_dname(const struct config_directive *d, char *buf,
			 size_t len);

#endif
