// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl import: Jool's lists: SIIT's "eamt" and "denylist4" (and its
 * older names), NAT64's "pool4" and "bib", one directive per entry.
 */
#include <string.h>

#include "import_jool_priv.h"

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

int imp_eamt(struct imp *im, json_t *list)
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

int imp_denylist(struct imp *im, const char *key, json_t *list)
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

int imp_pool4(struct imp *im, json_t *list)
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

int imp_bib(struct imp *im, json_t *list)
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
