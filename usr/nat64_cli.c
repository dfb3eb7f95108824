// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What transctl's stateful NAT64 commands (bib, session, pool4) share:
 * the checks of their arguments (protocols, transport addresses, port
 * ranges), made before anything is sent, and the reading of a listing's
 * "# NAME N [M]" count lines apart from its rows, with the footer that
 * prints them. Pure, for test/unit/test_transctl_nat64.c.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "transctl.h"

/* --- argument checks ------------------------------------------------- */

int transctl_check_l4(const char *s, char *err, size_t errlen)
{
	if (!strcmp(s, "tcp") || !strcmp(s, "udp") || !strcmp(s, "icmp"))
		return 0;
	snprintf(err, errlen, "bad protocol '%s': tcp, udp or icmp", s);
	return -1;
}

/* "ADDR#PORT": the port a number 0..65535 (an ICMP identifier too). */
int transctl_check_taddr(const char *s, int family, char *err,
			 size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1], *end;
	const char *hash = strrchr(s, '#');
	size_t n = hash ? (size_t)(hash - s) : 0;
	bool is6 = hash && memchr(s, ':', n);
	unsigned long port;
	uint8_t b[16];

	if (!hash || n >= sizeof(addr))
		goto bad;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(is6 ? AF_INET6 : AF_INET, addr, b) != 1)
		goto bad;
	port = strtoul(hash + 1, &end, 10);
	if (hash[1] < '0' || hash[1] > '9' || *end || port > 65535) {
		snprintf(err, errlen, "bad transport address '%s': the port "
			 "must be 0..65535", s);
		return -1;
	}
	if (family && family != (is6 ? 6 : 4)) {
		snprintf(err, errlen, "bad transport address '%s': an IPv%d "
			 "one is needed here", s, family);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "bad transport address '%s': ADDR#PORT, e.g. "
		 "192.0.2.2#80 or 2001:db8::5#80", s);
	return -1;
}

int transctl_check_ports(const char *s, char *err, size_t errlen)
{
	unsigned long lo, hi;
	char *end;

	if (*s < '0' || *s > '9')
		goto bad;
	lo = hi = strtoul(s, &end, 10);
	if (*end == '-') {
		if (end[1] < '0' || end[1] > '9')
			goto bad;
		hi = strtoul(end + 1, &end, 10);
	}
	if (!*end && lo <= hi && hi <= 65535)
		return 0;
bad:
	snprintf(err, errlen, "bad port range '%s': N or N-M, 0..65535, "
		 "N <= M", s);
	return -1;
}

/* --- listings -------------------------------------------------------- */

/* "# NAME N [M]" into m; -1 when the line is not one. */
static int listing_meta_parse(char *line, struct transctl_meta *m)
{
	char *name, *n, *extra, *end, *save = NULL;

	name = strtok_r(line + 1, " ", &save);
	n = strtok_r(NULL, " ", &save);
	extra = strtok_r(NULL, " ", &save);
	if (!name || !n || strtok_r(NULL, " ", &save) ||
	    strlen(name) >= sizeof(m->name))
		return -1;
	strcpy(m->name, name);
	m->n = strtoull(n, &end, 10);
	if (*end || *n < '0' || *n > '9')
		return -1;
	m->m = 0;
	if (extra) {
		m->m = strtoull(extra, &end, 10);
		if (*end || *extra < '0' || *extra > '9')
			return -1;
	}
	return 0;
}

int transctl_listing_split(char *body, struct transctl_listing *l)
{
	char *line = body, *rows = body, *nl;
	size_t len;

	l->count = 0;
	while (*line) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		if (line[0] == '#') {
			if (nl)
				*nl = '\0';
			if (l->count == TRANSCTL_META_MAX ||
			    listing_meta_parse(line, &l->meta[l->count]))
				return -1;
			l->count++;
		} else {
			/* Rows move down over the meta lines before them. */
			memmove(rows, line, len);
			rows += len;
		}
		line += len;
	}
	*rows = '\0';
	return 0;
}

unsigned long long transctl_meta_n(const struct transctl_listing *l,
				   const char *name)
{
	for (int i = 0; i < l->count; i++)
		if (!strcmp(l->meta[i].name, name))
			return l->meta[i].n;
	return 0;
}

size_t transctl_count_lines(const char *body)
{
	size_t n = 0;

	for (; *body; body++)
		n += *body == '\n';
	return n;
}

static const char *const listing_l4_names[] = { "tcp", "udp", "icmp" };

void transctl_listing_footer(const struct transctl_listing *l,
			     const char *what, size_t shown,
			     const struct transctl_fmt *fmt, FILE *out)
{
	bool json = fmt->format == TRANSCTL_FMT_JSON;
	unsigned long long total = 0, omitted = transctl_meta_n(l, "omitted");
	size_t i;

	if (fmt->format == TRANSCTL_FMT_CSV)
		return;
	for (i = 0; i < 3; i++)
		total += transctl_meta_n(l, listing_l4_names[i]);
	if (json) {
		fputs(", \"counts\": {", out);
		for (i = 0; i < 3; i++)
			fprintf(out, "\"%s\": %llu, ", listing_l4_names[i],
				transctl_meta_n(l, listing_l4_names[i]));
		fprintf(out, "\"total\": %llu}, \"omitted\": %llu}\n", total,
			omitted);
		return;
	}
	fprintf(out, "%s: tcp %llu, udp %llu, icmp %llu, total %llu", what,
		transctl_meta_n(l, "tcp"), transctl_meta_n(l, "udp"),
		transctl_meta_n(l, "icmp"), total);
	if (shown != total)
		fprintf(out, " (%zu shown", shown);
	if (shown != total && omitted)
		fprintf(out, "; a listing stops at %d rows", CTL_LIST_MAX);
	fputs(shown != total ? ")\n" : "\n", out);
}

int transctl_print_counted(const struct transctl_columns *cols,
			   const char *what, char *body,
			   const struct transctl_fmt *fmt, FILE *out)
{
	struct transctl_listing l;
	size_t shown;

	if (transctl_listing_split(body, &l))
		return -1;
	shown = transctl_count_lines(body);
	if (transctl_print_listing(cols, body, fmt, out))
		return -1;
	transctl_listing_footer(&l, what, shown, fmt, out);
	return 0;
}
