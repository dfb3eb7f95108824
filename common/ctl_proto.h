/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control protocol between translatord and transctl.
 *
 * Transport: a Unix stream socket (default CTL_DEFAULT_PATH, mode 0600;
 * the daemon serves root only, checked with SO_PEERCRED). One request per
 * connection:
 *
 *   client -> daemon   one line: COMMAND [ARGUMENT] "\n", at most
 *                      CTL_MAX_REQUEST bytes with its "\n", no NUL byte
 *                      (or ended by the client's EOF instead of "\n").
 *                      Anything else is refused whole ("error request
 *                      refused: ..."): a cut request never runs.
 *   daemon -> client   one status line: "ok" or "error MESSAGE",
 *                      then the body, zero or more lines, then EOF.
 *
 * Commands and their bodies:
 *   status   "KEY VALUE" lines (pid, uptime, config file, queues, ...)
 *   stats    one line per counter, four fields separated by TABs:
 *            GROUP NAME VALUE DESCRIPTION, GROUP being "core" (the
 *            translation core), "daemon" (the forwarding plane) or
 *            "kernel" (the kernel's queue counters)
 *   config   the running configuration in the file format
 *   rules    the iptables commands of the rules the daemon steers with
 *   reload   re-reads the configuration file; a bad file gives "error"
 *            and the running configuration stays. Body: what changed.
 *   eamt show | eamt add PREFIX6 PREFIX4 | eamt remove PREFIX6|PREFIX4
 *   denylist4 show | denylist4 add PREFIX | denylist4 remove PREFIX
 *            run-time changes of the RFC 7757 table and of the pool6
 *            denylist, checked by the config parser and swapped in whole
 *            (no packet sees half a table); a reload returns to the file.
 *            "show" bodies: one entry a line, "PREFIX6 TAB PREFIX4" or
 *            "PREFIX"; add/remove bodies: one line saying what changed.
 *   address query ADDR
 *            how the running configuration maps an IPv4 or IPv6 address
 *            and by which rule: "KEY TAB VALUE" lines (address, family,
 *            rule, result, match, reason, queued); "-" for no value.
 *            In mode nat64 rule may also be pool4 or bib (the role the
 *            address plays: translator/daemon/daemon_query_nat64.c).
 *   bib show [tcp|udp|icmp] | bib add PROTO IPV4#PORT IPV6#PORT |
 *   bib remove PROTO IPV4#PORT|IPV6#PORT
 *            stateful NAT64 (mode nat64) bindings. "show" body: lines
 *            "# PROTO N" (bindings per protocol, whole table), "# omitted
 *            N" when the listing stopped at CTL_LIST_MAX rows, then rows
 *            "PROTO TAB IPV6#PORT TAB IPV4#PORT TAB static|dynamic TAB
 *            SESSIONS". add keeps a static entry until the next reload, as
 *            a file's "bib" line; remove takes out a static entry, or
 *            forgets a dynamic binding and its sessions.
 *   session show [tcp|udp|icmp]
 *            NAT64 sessions: "# PROTO N" and "# omitted N" lines, then
 *            rows "PROTO TAB IPV6#PORT TAB REMOTE6#PORT TAB IPV4#PORT TAB
 *            REMOTE4#PORT TAB STATE TAB EXPIRES", IPV6#PORT being the
 *            IPv6 host ("-" for an IPv4 SYN waiting for a simultaneous
 *            open), STATE the TCP state ("-" for UDP and ICMP), EXPIRES
 *            the seconds left.
 *   pool4 show | pool4 add PREFIX [PORTS] [PROTO] |
 *   pool4 remove PREFIX [PORTS] [PROTO]
 *            NAT64 pool4 entries: "show" gives "# PROTO USED TOTAL" lines
 *            (bindings inside pool4, addresses x ports) then rows "PROTO
 *            TAB PREFIX TAB FIRST-LAST"; changes last until the next
 *            reload; remove drops the bindings (and sessions) left outside.
 *
 * The verbs, their subcommands and the arguments each takes are declared
 * once, in common/ctl_verbs.c (struct ctl_verb below): translatord's
 * dispatcher and transctl both check requests against that table.
 *
 * Text only, one request, close: a person can use it with socat.
 */
#ifndef COMMON_CTL_PROTO_H
#define COMMON_CTL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CTL_DEFAULT_PATH	"/run/translator/control.sock"
/* Longest request line, its "\n" included. */
#define CTL_MAX_REQUEST		256
/* Longest reply a client accepts (a config with a large EAMT). */
#define CTL_MAX_REPLY		(4u << 20)
/* How long a client waits for the reply (a reload runs iptables). */
#define CTL_CLIENT_TIMEOUT_S	30

enum ctl_cmd {
	CTL_CMD_STATUS,
	CTL_CMD_STATS,
	CTL_CMD_CONFIG,
	CTL_CMD_RULES,
	CTL_CMD_RELOAD,
	CTL_CMD_EAMT,
	CTL_CMD_DENYLIST4,
	CTL_CMD_ADDRESS,
	CTL_CMD_BIB,
	CTL_CMD_SESSION,
	CTL_CMD_POOL4,
	CTL_CMD_WORKER_STATS,
	CTL_CMD_UNKNOWN,
};

/* Most words a request has ("eamt add PREFIX6 PREFIX4" has four). */
#define CTL_MAX_WORDS		8
/* Most rows a NAT64 listing holds (bib, session): about 3 MB of reply. */
#define CTL_LIST_MAX		20000

/*
 * The subcommands of the verbs that take arguments ("eamt add ..."), in
 * the order messages list them. A verb has some of them.
 */
enum ctl_sub {
	CTL_SUB_SHOW,
	CTL_SUB_ADD,
	CTL_SUB_REMOVE,
	CTL_SUB_QUERY,
	CTL_SUB_MAX,
};

struct ctl_subcmd {
	const char *name;	/* NULL: the verb has no such subcommand */
	/* Its arguments for usage lines: words, [optional] ones last. */
	const char *args;
	int min_args, max_args;
	bool changes;		/* changes the running state */
};

/* One verb of the protocol (common/ctl_verbs.c). */
struct ctl_verb {
	const char *name;	/* on the wire */
	bool changes;		/* a verb without subcommands that changes */
	bool nat64;		/* served in mode nat64 only */
	/* None (all NULL): the verb takes no arguments. */
	struct ctl_subcmd subs[CTL_SUB_MAX];
};

/* The one table, read by translatord's dispatcher and by transctl. */
extern const struct ctl_verb ctl_verbs[CTL_CMD_UNKNOWN];

/* The command's name on the wire ("status", ...). */
const char *ctl_cmd_name(enum ctl_cmd cmd);
/* Parses the request line (without its "\n"); unknown -> CTL_CMD_UNKNOWN. */
enum ctl_cmd ctl_cmd_parse(const char *line);
/* Whether cmd (known) has subcommands, thus arguments. */
bool ctl_verb_takes_args(enum ctl_cmd cmd);
/* The subcommand of cmd called word, or -1. */
int ctl_sub_find(enum ctl_cmd cmd, const char *word);
/* cmd's first subcommand (the default of some commands), or -1. */
int ctl_sub_first(enum ctl_cmd cmd);
/* "show, add, remove": cmd's subcommands for messages. */
void ctl_sub_list(enum ctl_cmd cmd, char *buf, size_t len);

/*
 * Whether the bytes received so far (buf, len; not NUL-terminated) hold a
 * whole request: returns the length of its line (without "\n" or
 * "\r\n") when it is complete (a "\n", or eof: the client closed its
 * side), 0 when more must be read, -1 with the reason in err when it is
 * refused whole: longer than CTL_MAX_REQUEST, a NUL byte in it, or empty.
 * Bytes after the "\n" are ignored. The daemon's only gate between the
 * socket and ctl_cmd_parse (and the fuzzers' entry point).
 */
int ctl_request_check(const char *buf, size_t len, int eof, char *err,
		      size_t errlen);

/*
 * Splits a request line in place at blanks into at most max words.
 * Returns the number of words, or -1 when there are more than max.
 */
int ctl_split_words(char *line, char **words, int max);

struct ctl_reply {
	int ok;			/* 1: "ok", 0: "error" */
	char *msg;		/* the error message ("" when ok) */
	char *body;		/* NUL-terminated, may be "" */
	size_t body_len;
	char *raw;		/* the allocation msg and body point into */
};

/*
 * Client: sends one request and reads the whole reply. Returns 0 when a
 * reply was read (check reply->ok), -1 on a transport error, with a
 * message in err (e.g. "cannot connect to PATH: No such file...").
 */
int ctl_call(const char *path, const char *request, struct ctl_reply *reply,
	     char *err, size_t errlen);
void ctl_reply_free(struct ctl_reply *reply);

/*
 * For command-line clients: one request; on "ok" the body goes to out and
 * 0 is returned; otherwise "WHO: message" goes to stderr and 1 is returned.
 */
int ctl_print_reply(const char *path, const char *request, FILE *out,
		    const char *who);

/* One "stats" body line, split in place. */
struct ctl_stat {
	const char *group;
	const char *name;
	uint64_t value;
	const char *desc;
};

/* Splits line (modified); returns -1 when it is not a stats line. */
int ctl_stat_parse(char *line, struct ctl_stat *out);
/* Writes one stats line. */
void ctl_stat_write(FILE *f, const char *group, const char *name,
		    uint64_t value, const char *desc);

/* Writes s as a JSON string literal (with the quotes). */
void ctl_json_string(FILE *f, const char *s);

#endif
