// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Jool's JSON configuration (facts from Jool's documentation of "atomic
 * configuration": one object; "comment" anywhere; "instance" and
 * "framework"; "global" holding the settings under the names of `jool
 * global update`; SIIT's "eamt" and "denylist4" ("blacklist4",
 * "blacklist", or a "pool4" of strings in older versions); NAT64's
 * "pool4" and "bib" of objects) to translator.conf directives. Each
 * directive is checked by config_apply_line() as it is made, so that an
 * error names the Jool key it came from, and the whole text is parsed
 * again at the end: what is printed is what translatord will read.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

static int imp_fail(struct imp *im, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(im->err, im->errlen, "%s: ", im->name);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < im->errlen)
		vsnprintf(im->err + n, im->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void imp_ignored(struct imp *im, const char *key, const char *why)
{
	fprintf(im->warn, "%s: ignored: %s (%s)\n", im->name, key, why);
}

/* One directive: applied to cfg (origin names it in errors), then written. */
static int imp_emit(struct imp *im, const char *origin, const char *fmt, ...)
{
	char line[IMP_LINE], msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return imp_fail(im, "%s: value too long", origin);
	if (config_apply_line(&im->cfg, line, msg, sizeof(msg)))
		return imp_fail(im, "%s: '%s': %s", origin, line, msg);
	fprintf(im->text, "%s\n", line);
	return 0;
}

/* A string as "# " lines (a comment line of the file has no newline). */
static void imp_comment_text(struct imp *im, const char *label,
			     const char *text)
{
	char *s = strdup(text), *line, *save = NULL;

	for (line = s ? strtok_r(s, "\r\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		fprintf(im->text, "# %s%s%.900s\n", label ? label : "",
			label ? ": " : "", line);
		label = NULL;
	}
	free(s);
}

/*
 * A Jool "comment" (any JSON value: Jool's examples use objects of
 * strings and lists) as "# " lines: strings as they are, members as
 * "key: value", list items one a line; depth bounded by jansson's.
 */
static void imp_comment_labelled(struct imp *im, const char *label,
				 json_t *v)
{
	const char *key;
	char *dump;
	json_t *e;
	size_t i;

	if (json_is_string(v)) {
		imp_comment_text(im, label, json_string_value(v));
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, e)
			imp_comment_labelled(im, key, e);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			imp_comment_labelled(im, i ? NULL : label, e);
	} else {
		dump = json_dumps(v, JSON_ENCODE_ANY);
		if (dump)
			imp_comment_text(im, label, dump);
		free(dump);
	}
}

static void imp_comment(struct imp *im, json_t *v)
{
	imp_comment_labelled(im, NULL, v);
}

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

static const char *imp_string(json_t *v)
{
	return json_is_string(v) && imp_word_ok(json_string_value(v)) ?
	       json_string_value(v) : NULL;
}

enum imp_kind {
	IMP_BOOL,	/* true/false -> yes/no */
	IMP_NUM,	/* a non-negative integer */
	IMP_STR,	/* a string (or an integer) as it is */
	IMP_PREFIX,	/* a string, or null -> none */
	IMP_LIST,	/* an array of integers -> comma-joined */
	IMP_TIMEOUT,	/* seconds, or "[[HH:]MM:]SS[.mmm]" -> seconds */
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
	case IMP_STR:
		*what = "a string";
		if (json_is_integer(v))
			snprintf(buf, len, "%lld",
				 (long long)json_integer_value(v));
		else if (imp_string(v))
			snprintf(buf, len, "%s", imp_string(v));
		else
			return -1;
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
	case IMP_IGNORE:
		break;
	}
	return -1;
}

/* --- "global" ------------------------------------------------------------ */

/*
 * Jool's global settings: the directive each becomes, or why it has
 * none. The directives marked (*) are being added to translatord
 * (mtu-plateaus, f-args, handle-rst-during-fin-rcv, drop-icmpv6-info,
 * eam-hairpin-mode, randomize-rfc6791-addresses, logging-*): until the
 * parser knows them, importing them fails with its message.
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
	{ "mtu-plateaus", "mtu-plateaus", IMP_LIST, NULL },		/* (*) */
	{ "eam-hairpin-mode", "eam-hairpin-mode", IMP_STR, NULL },	/* (*) */
	{ "randomize-rfc6791-addresses", "randomize-rfc6791-addresses",
	  IMP_BOOL, NULL },						/* (*) */
	{ "drop-icmpv6-info", "drop-icmpv6-info", IMP_BOOL, NULL },	/* (*) */
	{ "f-args", "f-args", IMP_NUM, NULL },				/* (*) */
	{ "handle-rst-during-fin-rcv", "handle-rst-during-fin-rcv",
	  IMP_BOOL, NULL },						/* (*) */
	{ "logging-bib", "logging-bib", IMP_BOOL, NULL },		/* (*) */
	{ "bib-logging", "logging-bib", IMP_BOOL, NULL },		/* (*) */
	{ "logging-session", "logging-session", IMP_BOOL, NULL },	/* (*) */
	{ "session-logging", "logging-session", IMP_BOOL, NULL },	/* (*) */
	{ "logging-debug", "logging-debug", IMP_BOOL, NULL },		/* (*) */
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

static int imp_global_one(struct imp *im, const char *key, json_t *v)
{
	const struct imp_global *g = imp_find_global(key);
	char value[IMP_LINE / 2], origin[96];
	const char *what;

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

static int imp_global(struct imp *im, json_t *global)
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

/* --- lists ---------------------------------------------------------------- */

/* A string member of entry o, required; -1 with the message. */
static int imp_member(struct imp *im, const char *origin, json_t *o,
		      const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return imp_fail(im, "%s: missing \"%s\"", origin, key);
	if (!imp_string(v))
		return imp_fail(im, "%s: \"%s\": expected a string of one "
				"word", origin, key);
	*out = imp_string(v);
	return 0;
}

/* Members of an entry that are neither known nor "comment": reported. */
static void imp_other_members(struct imp *im, const char *origin, json_t *o,
			      const char *const *known)
{
	const char *key;
	char where[160];
	json_t *v;
	size_t k;

	json_object_foreach(o, key, v) {
		for (k = 0; known[k] && strcmp(known[k], key); k++)
			;
		if (known[k] || !strcmp(key, "comment"))
			continue;
		snprintf(where, sizeof(where), "%s.%s", origin, key);
		imp_ignored(im, where, "unknown member");
	}
}

static int imp_entry_start(struct imp *im, const char *list, size_t i,
			   json_t *o, char *origin, size_t olen)
{
	snprintf(origin, olen, "%s[%zu]", list, i);
	if (!json_is_object(o))
		return imp_fail(im, "%s: expected an object", origin);
	if (json_object_get(o, "comment"))
		imp_comment(im, json_object_get(o, "comment"));
	return 0;
}

static int imp_eamt(struct imp *im, json_t *list)
{
	static const char *const known[] = { "ipv6 prefix", "ipv4 prefix", NULL };
	const char *p6, *p4;
	char origin[64];
	json_t *o;
	size_t i;

	if (!json_is_array(list))
		return imp_fail(im, "eamt: expected a list");
	json_array_foreach(list, i, o) {
		if (imp_entry_start(im, "eamt", i, o, origin, sizeof(origin)) ||
		    imp_member(im, origin, o, "ipv6 prefix", &p6) ||
		    imp_member(im, origin, o, "ipv4 prefix", &p4) ||
		    imp_emit(im, origin, "eamt %s %s", p6, p4))
			return -1;
		imp_other_members(im, origin, o, known);
	}
	return 0;
}

static int imp_denylist(struct imp *im, const char *key, json_t *list)
{
	char origin[64];
	json_t *s;
	size_t i;

	if (!json_is_array(list))
		return imp_fail(im, "%s: expected a list", key);
	json_array_foreach(list, i, s) {
		snprintf(origin, sizeof(origin), "%s[%zu]", key, i);
		if (!imp_string(s))
			return imp_fail(im, "%s: expected a prefix (string)",
					origin);
		if (imp_emit(im, origin, "denylist4 %s", imp_string(s)))
			return -1;
	}
	return 0;
}

/* "TCP" -> "tcp"; -1 for anything but TCP, UDP, ICMP. */
static int imp_proto(struct imp *im, const char *origin, json_t *o,
		     char *out)
{
	const char *p;
	size_t i;

	if (imp_member(im, origin, o, "protocol", &p))
		return -1;
	for (i = 0; p[i] && i < 4; i++)
		out[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' :
				p[i]);
	out[i] = '\0';
	if (p[i] || (strcmp(out, "tcp") && strcmp(out, "udp") &&
		     strcmp(out, "icmp")))
		return imp_fail(im, "%s: protocol '%s': TCP, UDP or ICMP",
				origin, p);
	return 0;
}

/* pool4's "port range": "A-B", "A" or a number; absent: every port. */
static int imp_ports(struct imp *im, const char *origin, json_t *o,
		     char *out, size_t len)
{
	json_t *v = json_object_get(o, "port range");

	out[0] = '\0';
	if (!v)
		return 0;
	if (json_is_integer(v))
		snprintf(out, len, " %lld", (long long)json_integer_value(v));
	else if (imp_string(v))
		snprintf(out, len, " %s", imp_string(v));
	else
		return imp_fail(im, "%s: \"port range\": expected \"A-B\"",
				origin);
	return 0;
}

/* Entries with a mark: translatord has one pool4 for every packet. */
static int imp_pool4_mark(struct imp *im, const char *origin, json_t *o,
			  bool *skip)
{
	json_t *m = json_object_get(o, "mark"), *it;
	char where[96];

	*skip = false;
	if (m && !json_is_integer(m))
		return imp_fail(im, "%s: \"mark\": expected a number", origin);
	if (m && json_integer_value(m)) {
		imp_ignored(im, origin, "mark other than 0: translatord has "
			    "one pool4 for every packet");
		*skip = true;
		return 0;
	}
	it = json_object_get(o, "max iterations");
	if (it && !(json_is_string(it) &&
		    !strcmp(json_string_value(it), "auto"))) {
		snprintf(where, sizeof(where), "%s.max iterations", origin);
		imp_ignored(im, where, "translatord finds a free port through "
			    "per-address bitmaps, without an iteration limit");
	}
	return 0;
}

static int imp_pool4(struct imp *im, json_t *list)
{
	static const char *const known[] = {
		"mark", "protocol", "prefix", "port range", "max iterations",
		NULL,
	};
	char origin[64], proto[8], ports[64];
	const char *prefix;
	bool skip;
	json_t *o;
	size_t i;

	json_array_foreach(list, i, o) {
		if (imp_entry_start(im, "pool4", i, o, origin, sizeof(origin)) ||
		    imp_pool4_mark(im, origin, o, &skip))
			return -1;
		if (skip)
			continue;
		if (imp_proto(im, origin, o, proto) ||
		    imp_member(im, origin, o, "prefix", &prefix) ||
		    imp_ports(im, origin, o, ports, sizeof(ports)) ||
		    imp_emit(im, origin, "pool4 %s%s %s", prefix, ports, proto))
			return -1;
		imp_other_members(im, origin, o, known);
	}
	return 0;
}

static int imp_bib(struct imp *im, json_t *list)
{
	static const char *const known[] = {
		"protocol", "ipv6 address", "ipv4 address", NULL,
	};
	const char *t6, *t4;
	char origin[64], proto[8];
	json_t *o;
	size_t i;

	if (!json_is_array(list))
		return imp_fail(im, "bib: expected a list");
	json_array_foreach(list, i, o) {
		if (imp_entry_start(im, "bib", i, o, origin, sizeof(origin)) ||
		    imp_proto(im, origin, o, proto) ||
		    imp_member(im, origin, o, "ipv6 address", &t6) ||
		    imp_member(im, origin, o, "ipv4 address", &t4) ||
		    imp_emit(im, origin, "bib %s %s %s", proto, t4, t6))
			return -1;
		imp_other_members(im, origin, o, known);
	}
	return 0;
}

/* --- the document ---------------------------------------------------------- */

/* Older SIIT files: a pool4 of prefix strings was the denylist. */
static bool imp_pool4_is_denylist(json_t *pool4)
{
	return json_is_array(pool4) && json_array_size(pool4) &&
	       json_is_string(json_array_get(pool4, 0));
}

static int imp_mode(struct imp *im, json_t *root, enum import_mode *mode)
{
	json_t *pool4 = json_object_get(root, "pool4");
	bool nat64 = json_object_get(root, "bib") ||
		     (pool4 && !imp_pool4_is_denylist(pool4));
	bool siit = json_object_get(root, "eamt") ||
		    json_object_get(root, "denylist4") ||
		    json_object_get(root, "blacklist4") ||
		    json_object_get(root, "blacklist") ||
		    imp_pool4_is_denylist(pool4);

	if (*mode != IMPORT_MODE_AUTO)
		return 0;
	if (nat64 == siit)
		return imp_fail(im, nat64 ? "both SIIT (eamt, denylist4) and "
				"NAT64 (pool4, bib) lists: give --mode" :
				"neither SIIT (eamt, denylist4) nor NAT64 "
				"(pool4, bib) lists: give --mode siit|nat64");
	*mode = nat64 ? IMPORT_MODE_NAT64 : IMPORT_MODE_SIIT;
	return 0;
}

/* The top level's keys, in the order of the output. */
static int imp_top(struct imp *im, const char *key, json_t *v,
		   enum import_mode mode)
{
	bool nat64 = mode == IMPORT_MODE_NAT64;

	if (!strcmp(key, "comment"))
		return 0;	/* written first */
	if (!strcmp(key, "instance"))
		imp_ignored(im, key, "translatord instances are files: "
			    "translatord@NAME reads /etc/translator/NAME.conf");
	else if (!strcmp(key, "framework"))
		imp_ignored(im, key, "translatord receives packets through "
			    "NFQUEUE and installs its own rules: 'rules auto'");
	else if (!strcmp(key, "global"))
		return imp_global(im, v);
	else if (!strcmp(key, "pool6"))
		return imp_global_one(im, "pool6", v);
	else if (!strcmp(key, "eamt"))
		return imp_eamt(im, v);
	else if (!strcmp(key, "denylist4") || !strcmp(key, "blacklist4") ||
		 !strcmp(key, "blacklist") || (!nat64 && !strcmp(key, "pool4")))
		return imp_denylist(im, key, v);
	else if (!strcmp(key, "pool4") && !json_is_array(v))
		return imp_fail(im, "pool4: expected a list");
	else if (!strcmp(key, "pool4"))
		return imp_pool4(im, v);
	else if (!strcmp(key, "bib"))
		return imp_bib(im, v);
	else
		imp_ignored(im, key, "not a Jool key transctl knows");
	return 0;
}

static int imp_document(struct imp *im, json_t *root, enum import_mode mode)
{
	const char *key;
	json_t *v;

	if (!json_is_object(root))
		return imp_fail(im, "expected a JSON object");
	if (imp_mode(im, root, &mode))
		return -1;
	fprintf(im->text, "# imported from Jool's %s by transctl import\n",
		im->name);
	if (json_object_get(root, "comment"))
		imp_comment(im, json_object_get(root, "comment"));
	if (imp_emit(im, "--mode", "mode %s",
		     mode == IMPORT_MODE_NAT64 ? "nat64" : "siit"))
		return -1;
	json_object_foreach(root, key, v)
		if (imp_top(im, key, v, mode))
			return -1;
	return 0;
}

/* The whole text through the parser: the final word. */
static int imp_recheck(struct imp *im)
{
	struct config cfg;
	char msg[512];

	if (config_parse_string(im->name, im->buf, &cfg, msg, sizeof(msg))) {
		snprintf(im->err, im->errlen, "%s", msg);
		return -1;
	}
	config_free(&cfg);
	return 0;
}

int import_jool(const char *json, size_t len, const char *name,
		enum import_mode mode, char **out, FILE *warn, char *err,
		size_t errlen)
{
	struct imp im = {
		.name = name, .warn = warn, .err = err, .errlen = errlen,
	};
	json_error_t jerr;
	json_t *root;
	int ret = -1;

	*out = NULL;
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: not valid JSON: %s", name,
			 jerr.line, jerr.column, jerr.text);
		return -1;
	}
	config_init(&im.cfg);
	im.text = open_memstream(&im.buf, &im.len);
	if (!im.text) {
		snprintf(err, errlen, "%s: out of memory", name);
		goto out;
	}
	ret = imp_document(&im, root, mode);
	if (fclose(im.text) && !ret)
		ret = imp_fail(&im, "out of memory");
	if (!ret)
		ret = imp_recheck(&im);
	if (!ret) {
		*out = im.buf;
		im.buf = NULL;
	}
	free(im.buf);
out:
	config_free(&im.cfg);
	json_decref(root);
	return ret;
}
