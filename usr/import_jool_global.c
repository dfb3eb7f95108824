// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl import: Jool's "global" settings, each by a table entry (Jool
 * key -> translatord directive and value form), and the JSON values as
 * directive words.
 */
#include <stdlib.h>
#include <string.h>

#include "import_jool_priv.h"

/* --- values ------------------------------------------------------------ */

/*
 * A string that becomes one word of a directive: no blank or control
 * character (the parser splits words at blanks), no leading '#' (a
 * comment there).
 */
static bool imp_word_ok(const char *s)
{
	if (!*s || *s == '#')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

const char *imp_string(json_t *v)
{
	return json_is_string(v) && imp_word_ok(json_string_value(v)) ?
	       json_string_value(v) : NULL;
}

enum imp_kind {
	IMP_BOOL,	/* true/false -> yes/no */
	IMP_NUM,	/* a non-negative integer */
	IMP_PREFIX,	/* a string, or null -> none */
	IMP_LIST,	/* an array of integers -> comma-joined */
	IMP_TIMEOUT,	/* seconds, or "[[HH:]MM:]SS[.mmm]" -> seconds */
	IMP_HAIRPIN,	/* "off|simple|intrinsic", or older Jool's 0, 1, 2 */
	IMP_IGNORE,	/* no equivalent: reported with why */
};

/* "[[HH:]MM:]SS[.mmm]", whole seconds only; -1 when not that. */
static long long imp_parse_duration(const char *s)
{
	long long total = 0, part;
	int fields = 0;
	char *end;

	for (;;) {
		if (*s < '0' || *s > '9' || fields == 3)
			return -1;
		part = strtoll(s, &end, 10);
		if (part > 100000000)
			return -1;
		total = total * 60 + part;
		fields++;
		if (*end != ':')
			break;
		s = end + 1;
	}
	if (*end == '.' && end[1])
		for (end++; *end == '0'; end++)
			;
	return *end ? -1 : total;
}

/* Jool 3 numbered the EAM hairpinning modes (RFC 7757 section 4.2). */
static int imp_hairpin(json_t *v, char *buf, size_t len, const char **what)
{
	static const char *const modes[] = { "off", "simple", "intrinsic" };

	*what = "off, simple, intrinsic (or 0, 1, 2)";
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= 2)
		snprintf(buf, len, "%s", modes[json_integer_value(v)]);
	else if (imp_string(v))
		snprintf(buf, len, "%s", imp_string(v));
	else
		return -1;
	return 0;
}

/* v formatted as kind into buf; -1 with the expected type in what. */
static int imp_value(json_t *v, enum imp_kind kind, char *buf, size_t len,
		     const char **what)
{
	size_t i, off = 0;
	long long n;
	json_t *e;

	switch (kind) {
	case IMP_BOOL:
		*what = "true or false";
		if (!json_is_boolean(v))
			return -1;
		snprintf(buf, len, "%s", json_is_true(v) ? "yes" : "no");
		return 0;
	case IMP_NUM:
		*what = "a number";
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return -1;
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return 0;
	case IMP_PREFIX:
		*what = "a prefix or null";
		if (json_is_null(v))
			snprintf(buf, len, "none");
		else if (imp_string(v))
			snprintf(buf, len, "%s", imp_string(v));
		else
			return -1;
		return 0;
	case IMP_LIST:
		*what = "a list of numbers";
		if (!json_is_array(v) || !json_array_size(v))
			return -1;
		json_array_foreach(v, i, e) {
			if (!json_is_integer(e) || json_integer_value(e) < 0 ||
			    off >= len)
				return -1;
			off += (size_t)snprintf(buf + off, len - off, "%s%lld",
						i ? "," : "",
						(long long)json_integer_value(e));
		}
		return off < len ? 0 : -1;
	case IMP_TIMEOUT:
		*what = "seconds or \"HH:MM:SS\"";
		if (json_is_integer(v) && json_integer_value(v) >= 0)
			n = (long long)json_integer_value(v);
		else if (json_is_string(v))
			n = imp_parse_duration(json_string_value(v));
		else
			n = -1;
		if (n < 0)
			return -1;
		snprintf(buf, len, "%lld", n);
		return 0;
	case IMP_HAIRPIN:
		return imp_hairpin(v, buf, len, what);
	case IMP_IGNORE:
		break;
	}
	return -1;
}

/* --- "global" ------------------------------------------------------------ */

/*
 * Jool's global settings: the directive each becomes, or why it has
 * none. Jool's logging settings keep their meaning (docs/nat-logging.md;
 * the lines' format is ours).
 */
static const struct imp_global {
	const char *jool;
	const char *directive;
	enum imp_kind kind;
	const char *why;	/* IMP_IGNORE */
} imp_globals[] = {
	{ "pool6", "pool6", IMP_PREFIX, NULL },
	{ "lowest-ipv6-mtu", "lowest-ipv6-mtu", IMP_NUM, NULL },
	{ "amend-udp-checksum-zero", "amend-udp-checksum-zero", IMP_BOOL, NULL },
	{ "compute-udp-csum-zero", "amend-udp-checksum-zero", IMP_BOOL, NULL },
	{ "zeroize-traffic-class", "zeroize-traffic-class", IMP_BOOL, NULL },
	{ "override-tos", "override-tos", IMP_BOOL, NULL },
	{ "tos", "tos", IMP_NUM, NULL },
	{ "rfc6791v4-prefix", "rfc6791v4-prefix", IMP_PREFIX, NULL },
	{ "rfc6791v6-prefix", "rfc6791v6-prefix", IMP_PREFIX, NULL },
	{ "mtu-plateaus", "mtu-plateaus", IMP_LIST, NULL },
	{ "eam-hairpin-mode", "eam-hairpin-mode", IMP_HAIRPIN, NULL },
	{ "randomize-rfc6791-addresses", "randomize-rfc6791-addresses",
	  IMP_BOOL, NULL },
	{ "drop-icmpv6-info", "drop-icmpv6-info", IMP_BOOL, NULL },
	{ "f-args", "f-args", IMP_NUM, NULL },
	{ "handle-rst-during-fin-rcv", "handle-rst-during-fin-rcv",
	  IMP_BOOL, NULL },
	{ "logging-bib", "logging-bib", IMP_BOOL, NULL },
	{ "bib-logging", "logging-bib", IMP_BOOL, NULL },
	{ "logging-session", "logging-session", IMP_BOOL, NULL },
	{ "session-logging", "logging-session", IMP_BOOL, NULL },
	{ "logging-debug", "logging-debug", IMP_BOOL, NULL },
	{ "address-dependent-filtering", "address-dependent-filtering",
	  IMP_BOOL, NULL },
	{ "drop-externally-initiated-tcp", "drop-externally-initiated-tcp",
	  IMP_BOOL, NULL },
	{ "source-icmpv6-errors-better", "source-icmpv6-errors-better",
	  IMP_BOOL, NULL },
	{ "maximum-simultaneous-opens", "maximum-simultaneous-opens",
	  IMP_NUM, NULL },
	{ "udp-timeout", "udp-timeout", IMP_TIMEOUT, NULL },
	{ "tcp-est-timeout", "tcp-est-timeout", IMP_TIMEOUT, NULL },
	{ "tcp-trans-timeout", "tcp-trans-timeout", IMP_TIMEOUT, NULL },
	{ "icmp-timeout", "icmp-timeout", IMP_TIMEOUT, NULL },
	{ "manually-enabled", NULL, IMP_IGNORE,
	  "translatord translates from its start; stop the service to pause" },
	{ "trace", NULL, IMP_IGNORE,
	  "no per-packet trace; see 'transctl replay' and the counters" },
	{ "ss-enabled", NULL, IMP_IGNORE, "no session synchronization" },
	{ "ss-flush-asap", NULL, IMP_IGNORE, "no session synchronization" },
	{ "ss-flush-deadline", NULL, IMP_IGNORE, "no session synchronization" },
	{ "ss-capacity", NULL, IMP_IGNORE, "no session synchronization" },
	{ "ss-max-payload", NULL, IMP_IGNORE, "no session synchronization" },
	{ "ss-max-sessions-per-packet", NULL, IMP_IGNORE,
	  "no session synchronization" },
};

static const struct imp_global *imp_find_global(const char *key)
{
	for (size_t i = 0; i < sizeof(imp_globals) / sizeof(imp_globals[0]);
	     i++)
		if (!strcmp(imp_globals[i].jool, key))
			return &imp_globals[i];
	return NULL;
}

int imp_global_one(struct imp *im, const char *key, json_t *v)
{
	const struct imp_global *g = imp_find_global(key);
	char value[IMP_LINE / 2], origin[96];
	const char *what = "a value";

	snprintf(origin, sizeof(origin), "global.%s", key);
	if (!strcmp(key, "comment")) {
		imp_comment(im, v);
		return 0;
	}
	if (!g) {
		imp_ignored(im, origin, "not a Jool setting transctl knows");
		return 0;
	}
	if (g->kind == IMP_IGNORE) {
		imp_ignored(im, origin, g->why);
		return 0;
	}
	if (imp_value(v, g->kind, value, sizeof(value), &what))
		return imp_fail(im, "%s: expected %s", origin, what);
	return imp_emit(im, origin, "%s %s", g->directive, value);
}

int imp_global(struct imp *im, json_t *global)
{
	const char *key;
	json_t *v;

	if (!json_is_object(global))
		return imp_fail(im, "global: expected an object");
	json_object_foreach(global, key, v)
		if (imp_global_one(im, key, v))
			return -1;
	return 0;
}
