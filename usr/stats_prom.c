// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Prometheus text format (0.0.4) of transctl stats: stats_prom.h.
 * Samples of one family must be together, and worker-stats sends the
 * counters worker by worker: the lines are sorted into families (kept in
 * the order of their first line, samples in the order they came).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ctl_proto.h"
#include "stats_prom.h"

#define STATS_PROM_PREFIX	"translator_"
#define STATS_PROM_NAME_MAX	128

/*
 * The values that go down as well as up (everything else counts events
 * since start): the packets waiting in the kernel's queues right now.
 */
static const char *const stats_prom_gauges[] = {
	"tcp_queue_waiting",
	"other_queue_waiting",
};

/* One sample: its line, and where its family first appeared. */
struct stats_prom_line {
	struct ctl_stat st;
	size_t idx;
	size_t family;
};

/* The groups of the sums, which get no label. */
static const char *const stats_prom_sum_groups[] = { "core", "daemon" };

bool stats_prom_is_gauge(const char *counter)
{
	for (size_t i = 0; i < sizeof(stats_prom_gauges) /
	     sizeof(stats_prom_gauges[0]); i++)
		if (!strcmp(counter, stats_prom_gauges[i]))
			return true;
	return false;
}

static bool stats_prom_is_sum(const char *group)
{
	for (size_t i = 0; i < sizeof(stats_prom_sum_groups) /
	     sizeof(stats_prom_sum_groups[0]); i++)
		if (!strcmp(group, stats_prom_sum_groups[i]))
			return true;
	return false;
}

bool stats_prom_name(const char *counter, char *buf, size_t len)
{
	const char *suffix = stats_prom_is_gauge(counter) ? "" : "_total";
	int n;
	char *p;

	n = snprintf(buf, len, STATS_PROM_PREFIX "%s%s", counter, suffix);
	if (n < 0 || (size_t)n >= len)
		return false;
	/* The prefix starts with a letter: only the rest is sanitised. */
	for (p = buf + strlen(STATS_PROM_PREFIX); *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == ':'))
			*p = '_';
	}
	return true;
}

void stats_prom_escape(FILE *f, const char *s, bool label)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && label)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

static int stats_prom_by_name(const void *a, const void *b)
{
	const struct stats_prom_line *x = a, *y = b;
	int c = strcmp(x->st.name, y->st.name);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int stats_prom_by_family(const void *a, const void *b)
{
	const struct stats_prom_line *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The label of a worker-stats group: "worker3" -> "3", "main" -> "main". */
static const char *stats_prom_worker(const char *group)
{
	if (stats_prom_is_sum(group) || !strcmp(group, "kernel"))
		return NULL;
	if (!strncmp(group, "worker", 6) && group[6])
		return group + 6;
	return group;
}

static void stats_prom_sample(const struct stats_prom_line *l,
			      const char *name, FILE *f)
{
	const char *w = stats_prom_worker(l->st.group);

	fputs(name, f);
	if (w) {
		fputs("{worker=\"", f);
		stats_prom_escape(f, w, true);
		fputs("\"}", f);
	}
	fprintf(f, " %" PRIu64 "\n", l->st.value);
}

static void stats_prom_emit(const struct stats_prom_line *v, size_t n,
			    FILE *f)
{
	char name[STATS_PROM_NAME_MAX];

	for (size_t i = 0; i < n; i++) {
		stats_prom_name(v[i].st.name, name, sizeof(name));
		if (!i || strcmp(v[i].st.name, v[i - 1].st.name)) {
			fprintf(f, "# HELP %s ", name);
			stats_prom_escape(f, v[i].st.desc, false);
			fprintf(f, "\n# TYPE %s %s\n", name,
				stats_prom_is_gauge(v[i].st.name) ?
				"gauge" : "counter");
		}
		stats_prom_sample(&v[i], name, f);
	}
}

/* Splits body into v (at most cap lines); the count, or -1. */
static ssize_t stats_prom_parse(char *body, unsigned int flags,
				struct stats_prom_line *v, size_t cap)
{
	char name[STATS_PROM_NAME_MAX], *line, *save = NULL;
	size_t n = 0;

	for (line = strtok_r(body, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (n == cap || ctl_stat_parse(line, &v[n].st) ||
		    !stats_prom_name(v[n].st.name, name, sizeof(name)))
			return -1;
		if ((flags & STATS_PROM_NONZERO) && !v[n].st.value)
			continue;
		if ((flags & STATS_PROM_NO_SUMS) &&
		    stats_prom_is_sum(v[n].st.group))
			continue;
		v[n].idx = n;
		n++;
	}
	return (ssize_t)n;
}

int stats_prom_write(char *body, unsigned int flags, FILE *f)
{
	struct stats_prom_line *v;
	size_t cap = 1, i;
	ssize_t n;
	int ret = -1;

	for (const char *p = body; *p; p++)
		cap += *p == '\n';
	v = calloc(cap, sizeof(*v));
	if (!v)
		return -1;
	n = stats_prom_parse(body, flags, v, cap);
	if (n < 0)
		goto out;
	/* Families by name; each family where its first line was. */
	qsort(v, (size_t)n, sizeof(*v), stats_prom_by_name);
	for (i = 0; i < (size_t)n; i++)
		v[i].family = i && !strcmp(v[i].st.name, v[i - 1].st.name) ?
			      v[i - 1].family : v[i].idx;
	qsort(v, (size_t)n, sizeof(*v), stats_prom_by_family);
	stats_prom_emit(v, (size_t)n, f);
	ret = 0;
out:
	free(v);
	return ret;
}
