/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * transctl: the translator's command-line tool. Each subcommand lives in
 * its own usr/cmd_NAME.c and is listed once in the table in transctl.c;
 * `transctl help` and the unknown-command message are built from it.
 */
#ifndef USR_TRANSCTL_H
#define USR_TRANSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ctl_proto.h"

/* Exit statuses shared by every subcommand. */
enum {
	TRANSCTL_OK = 0,
	TRANSCTL_ERR = 1,	/* I/O, config or runtime error */
	TRANSCTL_USAGE = 2,	/* bad command line */
};

/*
 * A subcommand receives its own name as argv[0], so that getopt works
 * unchanged and messages can name it.
 */
struct transctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;	/* one line, no trailing period */
	unsigned int outputs;	/* TRANSCTL_OUT_* the command honours */
};

/*
 * Output options (usr/output.c), global: accepted before or after the
 * command, taken out of the command line before the command's own
 * parser runs, and refused (exit 2) by a command that cannot honour
 * them. --json and --csv exclude each other.
 *   --json      one JSON document
 *   --csv       RFC 4180: a header row, then one row per entry; fields
 *               separated by commas, quoted ("") when they hold a comma,
 *               a quote, CR or LF, quotes doubled; lines end with LF
 *   --numeric   numbers where a name stands for one: protocols as IANA
 *               numbers (tcp 6, udp 17, icmp 1), hexadecimal values
 *               (the mark) in decimal. transctl never resolves
 *               addresses or ports, and counters and durations are
 *               always plain integers (seconds), without units.
 */
enum transctl_format {
	TRANSCTL_FMT_TABLE,
	TRANSCTL_FMT_JSON,
	TRANSCTL_FMT_CSV,
};

struct transctl_fmt {
	enum transctl_format format;
	bool numeric;
};

#define TRANSCTL_OUT_JSON	1u
#define TRANSCTL_OUT_CSV	2u
#define TRANSCTL_OUT_NUMERIC	4u
#define TRANSCTL_OUT_ALL	7u

/* What the command line asked for (set by main, before the command). */
extern struct transctl_fmt transctl_output;

/*
 * Takes -j/--json, --csv, -n/--numeric out of argv (argc updated, NULL
 * kept after the last word), up to a "--", into f. -1 with err when
 * --json and --csv are both given.
 */
int transctl_output_args(int *argc, char **argv, struct transctl_fmt *f,
			 char *err, size_t errlen);
/* 0, or -1 with "--csv does not apply ..." when cmd cannot honour f. */
int transctl_output_check(const struct transctl_cmd *cmd,
			  const struct transctl_fmt *f, char *err,
			  size_t errlen);
/* The option that asks for f ("--json", "--csv", "--numeric"), or NULL. */
const char *transctl_output_name(const struct transctl_fmt *f);
/* One RFC 4180 field, quoted when it must be. */
void transctl_csv_field(FILE *out, const char *s);
/*
 * A cell under --numeric: a protocol name (when proto) as its number,
 * "0x..." as decimal; otherwise cell itself. buf: at least 24 bytes.
 */
const char *transctl_numeric_cell(const char *cell, bool proto, char *buf,
				  size_t len);

extern const struct transctl_cmd transctl_cmds[];

/* "transctl" or what argv[0] of the process said. */
extern const char *transctl_prog;

/* Writes the subcommand list, one "  name  help" line each. */
void transctl_list_cmds(FILE *f);
const struct transctl_cmd *transctl_find_cmd(const char *name);
/* The same, or NULL after "unknown command" and the list on stderr. */
const struct transctl_cmd *transctl_need_cmd(const char *name);

/*
 * argv[0] being the program and options (-s/--control PATH, -j/--json)
 * coming before the command: fills out (argc + 1 entries) with the
 * command's own argv, its name first, then those options, then its
 * arguments, NULL-terminated. Returns its argc, or -1 with err.
 */
int transctl_global_args(int argc, char **argv, char **out, char *err,
			 size_t errlen);

/* True when argv holds -h or --help before any "--". */
bool transctl_wants_help(int argc, char **argv);

/*
 * transctl address without translatord (usr/cmd_det.c): "query ... --config
 * FILE" and "dump-deterministic". -1 when argv is neither (the control
 * socket path answers), else the exit status.
 */
int transctl_det_run(int argc, char **argv, void (*usage)(FILE *f));

int cmd_help(int argc, char **argv);
int cmd_offloads(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_version(int argc, char **argv);
/* Clients of the running translatord (common/ctl_proto.h). */
int cmd_status(int argc, char **argv);

/*
 * A subcommand that sends one request to translatord and prints the
 * reply: a verb without arguments (common/ctl_verbs.c), which names the
 * subcommand too.
 */
struct transctl_request_cmd {
	enum ctl_cmd verb;
	const char *optional_word;	/* accepted and ignored ("show"), or NULL */
	void (*usage)(FILE *f);
	/* Writes the reply body in transctl_output's form; NULL: as it came. */
	int (*print)(char *body, const struct transctl_fmt *fmt, FILE *out);
};

int transctl_request_run(const struct transctl_request_cmd *cmd, int argc, char **argv);
/*
 * The run-time commands that take a subcommand word (eamt, denylist4,
 * address, bib, session, pool4; usr/ops_cmd.c): "transctl NAME VERB ARGS... [--json]
 * [--control PATH]". The verb, its subcommands and how many arguments
 * each takes are common/ctl_verbs.c's, as translatord reads them; the
 * arguments are checked here before anything is sent. --json applies to
 * the subcommands that change nothing.
 */
struct transctl_verb {
	/* Checks the arguments; -1 with a one-line message. NULL: none. */
	int (*check)(char **args, char *err, size_t errlen);
	/* Writes the reply body; NULL: as it came. */
	int (*print)(char *body, const struct transctl_fmt *fmt, FILE *out);
};

struct transctl_verb_cmd {
	enum ctl_cmd verb;		/* CTL_CMD_EAMT: also the name */
	/* CTL_SUB_MAX entries, by enum ctl_sub, for its subcommands. */
	const struct transctl_verb *verbs;
	bool default_first;		/* no verb means the first ("show") */
	void (*usage)(FILE *f);
};

struct transctl_verb_args {
	const char *path;		/* control socket */
	bool json;			/* fmt.format == TRANSCTL_FMT_JSON */
	struct transctl_fmt fmt;	/* transctl_output and the options */
	bool help;
	const struct ctl_subcmd *verb;	/* the subcommand */
	const struct transctl_verb *cli;	/* its checks and printer */
	char request[CTL_MAX_REQUEST];
	char *args[CTL_MAX_WORDS + 1];	/* the verb's, NULL after the last */
};

/*
 * Parses a command line (argv[0] is the command's name). Returns 0, or
 * TRANSCTL_USAGE with one line in err ("add: missing argument ...").
 * Pure but for getopt's globals, which it resets.
 */
int transctl_verb_parse(const struct transctl_verb_cmd *cmd, int argc,
			char **argv, struct transctl_verb_args *a, char *err,
			size_t errlen);
/* Parses, asks translatord, prints; out and errf are stdout and stderr. */
int transctl_verb_exec(const struct transctl_verb_cmd *cmd, int argc,
		       char **argv, FILE *out, FILE *errf);

/* Argument checks: an IPv6 (6), IPv4 (4) or either (0) prefix; an address. */
int transctl_check_prefix(const char *s, int family, char *err,
			  size_t errlen);
int transctl_check_addr(const char *s, char *err, size_t errlen);

/*
 * Reply bodies of TAB-separated columns, as an aligned table under the
 * given headers, or as JSON {"KEY": [{"FIELD": "value", ...}, ...]}.
 * Returns -1 (nothing written) when a line has the wrong column count.
 */
struct transctl_columns {
	const char *key;		/* JSON key of the list */
	int n;
	const char *const *headers;	/* table headers */
	const char *const *fields;	/* JSON field names */
	/* Bit c set: column c holds a number, a JSON number ("-": null). */
	unsigned int numeric;
	/* Bit c set: column c holds a protocol name (--numeric: number). */
	unsigned int proto;
};
/* CSV: the fields as header row (the JSON names), then the rows. */
int transctl_print_rows(const struct transctl_columns *cols, char *body,
			const struct transctl_fmt *fmt, FILE *out);
/*
 * "KEY TAB VALUE" lines as aligned "KEY  VALUE" lines, or as one JSON
 * object of strings, "-" becoming null, or as CSV "key,value" rows.
 * -1 on a line without a TAB.
 */
int transctl_print_keyvals(char *body, const struct transctl_fmt *fmt,
			   FILE *out);
/*
 * The same for "KEY VALUE" lines (status): the key ends at the first
 * space. The table form is the lines as they came ("KEY VALUE").
 */
int transctl_print_spaced(char *body, const struct transctl_fmt *fmt,
			  FILE *out);

/*
 * NAT64 listings (bib, session, pool4; usr/nat64_cli.c but for
 * transctl_print_listing): the body's "# NAME N [M]" lines
 * (counts) come apart from its rows. transctl_listing_split moves them
 * into l (at most TRANSCTL_META_MAX; more is a malformed reply) and
 * leaves the rows in body. transctl_print_listing prints the rows as
 * transctl_print_rows does, but keeps the JSON object open for the
 * caller's own members (", \"counts\": {...}") and its closing "}".
 */
#define TRANSCTL_META_MAX	8
struct transctl_meta {
	char name[16];
	unsigned long long n, m;	/* m: 0 when the line has one number */
};
struct transctl_listing {
	int count;
	struct transctl_meta meta[TRANSCTL_META_MAX];
};
int transctl_listing_split(char *body, struct transctl_listing *l);
/* The n of the meta line called name, or 0. */
unsigned long long transctl_meta_n(const struct transctl_listing *l,
				   const char *name);
int transctl_print_listing(const struct transctl_columns *cols, char *body,
			   const struct transctl_fmt *fmt, FILE *out);
/*
 * The usual NAT64 listing footer: "# tcp/udp/icmp N" and "# omitted N"
 * as a line "WHAT: tcp N, udp N, icmp N (N shown)", or as JSON members
 * "counts": {...}, "omitted": N (then the closing brace).
 */
/* CSV: no footer (the rows only). */
void transctl_listing_footer(const struct transctl_listing *l,
			     const char *what, size_t shown,
			     const struct transctl_fmt *fmt, FILE *out);
/* Rows (lines) in a body. */
size_t transctl_count_lines(const char *body);
/* A per-protocol listing (bib, session): its rows, then that footer. */
int transctl_print_counted(const struct transctl_columns *cols,
			   const char *what, char *body,
			   const struct transctl_fmt *fmt, FILE *out);

extern const struct transctl_verb_cmd transctl_eamt_cmd;
extern const struct transctl_verb_cmd transctl_denylist4_cmd;
extern const struct transctl_verb_cmd transctl_address_cmd;
int cmd_eamt(int argc, char **argv);
int cmd_denylist4(int argc, char **argv);
int cmd_address(int argc, char **argv);

/* Stateful NAT64 (usr/cmd_bib.c, cmd_session.c, cmd_pool4.c). */
extern const struct transctl_verb_cmd transctl_bib_cmd;
extern const struct transctl_verb_cmd transctl_session_cmd;
extern const struct transctl_verb_cmd transctl_pool4_cmd;
int cmd_bib(int argc, char **argv);
int cmd_session(int argc, char **argv);
int cmd_pool4(int argc, char **argv);
/*
 * Argument checks shared by them (usr/nat64_cli.c): a protocol, a
 * transport address (ADDR#PORT of family 4, 6, or either: 0), a port
 * range N or N-M.
 */
int transctl_check_l4(const char *s, char *err, size_t errlen);
int transctl_check_taddr(const char *s, int family, char *err,
			 size_t errlen);
int transctl_check_ports(const char *s, char *err, size_t errlen);

int cmd_stats(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_reload(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
