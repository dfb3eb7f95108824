// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl stats: the running translatord's counters, each with its
 * explanation, as a table or (--json) as
 *   {"core": {"rx_v6": {"value": 6, "description": "..."}, ...},
 *    "daemon": {...}, "kernel": {...}}
 * or (--prometheus) in the Prometheus text format (usr/stats_prom.c).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_proto.h"
#include "stats_prom.h"
#include "transctl.h"

struct stats_opts {
	const char *path;
	bool json;
	bool csv;
	bool nonzero;
	bool prometheus;
	bool workers;
};

static void stats_usage(FILE *f)
{
	fprintf(f, "Usage: %s stats [--workers] [--json | --csv | --prometheus] "
		"[--nonzero]\n       [--numeric] [--control PATH]\n\n"
		"Prints every counter of the running translatord with what it\n"
		"counts: \"core\" (the translation core), \"daemon\" (queues,\n"
		"checksums, aggregates, egress) and \"kernel\" (the kernel's queue\n"
		"drops, from /proc/net/netfilter/nfnetlink_queue), summed over\n"
		"the worker threads.\n\n"
		"  -w, --workers        each worker's counters instead (groups\n"
		"                       worker0, worker1...; \"main\": the main\n"
		"                       thread's: control, reloads, NAT64 timers)\n"
		"  -j, --json           one JSON object, grouped, with descriptions\n"
		"      --csv            group,name,value,description rows under\n"
		"                       that header\n"
		"  -n, --numeric        accepted: every value is already a plain\n"
		"                       integer\n"
		"  -p, --prometheus     the Prometheus text format: translator_NAME\n"
		"                       (_total for counters); with --workers\n"
		"                       labelled worker=\"N\" / worker=\"main\"\n"
		"  -z, --nonzero        leave out the counters that are 0\n"
		"  -s, --control PATH   translatord's control socket (default %s)\n",
		transctl_prog, CTL_DEFAULT_PATH);
}

static void stats_csv(const struct ctl_stat *st, FILE *f)
{
	transctl_csv_field(f, st->group);
	fputc(',', f);
	transctl_csv_field(f, st->name);
	fprintf(f, ",%" PRIu64 ",", st->value);
	transctl_csv_field(f, st->desc);
	fputc('\n', f);
}

static void stats_table(const struct ctl_stat *st, FILE *f)
{
	fprintf(f, "%-7s %-28s %14" PRIu64 "  %s\n", st->group, st->name,
		st->value, st->desc);
}

/* Groups arrive contiguous, so the JSON is written as the lines come. */
static void stats_json(const struct ctl_stat *st, char *group, size_t glen,
		       FILE *f)
{
	bool first_group = !group[0];

	if (strcmp(group, st->group)) {
		fputs(first_group ? "{\n  " : "\n  },\n  ", f);
		ctl_json_string(f, st->group);
		fputs(": {\n", f);
		snprintf(group, glen, "%s", st->group);
	} else {
		fputs(",\n", f);
	}
	fputs("    ", f);
	ctl_json_string(f, st->name);
	fprintf(f, ": {\"value\": %" PRIu64 ", \"description\": ", st->value);
	ctl_json_string(f, st->desc);
	fputc('}', f);
}

static int stats_print(const struct stats_opts *o, char *body, FILE *f)
{
	char group[64] = "", *line, *save = NULL;
	struct ctl_stat st;

	if (o->csv)
		fputs("group,name,value,description\n", f);
	for (line = strtok_r(body, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (ctl_stat_parse(line, &st)) {
			fprintf(stderr, "transctl stats: malformed line from "
				"translatord\n");
			return TRANSCTL_ERR;
		}
		if (o->nonzero && !st.value)
			continue;
		if (o->json)
			stats_json(&st, group, sizeof(group), f);
		else if (o->csv)
			stats_csv(&st, f);
		else
			stats_table(&st, f);
	}
	if (o->json)
		fputs(group[0] ? "\n  }\n}\n" : "{}\n", f);
	return TRANSCTL_OK;
}

static int stats_parse_args(int argc, char **argv, struct stats_opts *o)
{
	static const struct option longopts[] = {
		{ "json",    no_argument,       NULL, 'j' },
		{ "nonzero", no_argument,       NULL, 'z' },
		{ "prometheus", no_argument,    NULL, 'p' },
		{ "workers", no_argument,       NULL, 'w' },
		{ "control", required_argument, NULL, 's' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "jzpws:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j': o->json = true; break;
		case 'z': o->nonzero = true; break;
		case 'p': o->prometheus = true; break;
		case 'w': o->workers = true; break;
		case 's': o->path = optarg; break;
		case 'h': stats_usage(stdout); return -1;
		default:
			fprintf(stderr, "Try '%s stats --help'.\n", transctl_prog);
			return TRANSCTL_USAGE;
		}
	}
	if ((o->json || o->csv) && o->prometheus) {
		fprintf(stderr, "%s stats: %s and --prometheus exclude "
			"each other\n", transctl_prog, o->json ? "--json" :
			"--csv");
		return TRANSCTL_USAGE;
	}
	if (optind != argc) {
		fprintf(stderr, "%s stats: unexpected argument '%s'\n",
			transctl_prog, argv[optind]);
		return TRANSCTL_USAGE;
	}
	return TRANSCTL_OK;
}

/* One request's body into *body (malloc'd); TRANSCTL_OK or _ERR. */
static int stats_fetch(const char *path, enum ctl_cmd cmd, char **body)
{
	struct ctl_reply r;
	char err[512];

	if (ctl_call(path, ctl_cmd_name(cmd), &r, err, sizeof(err))) {
		fprintf(stderr, "transctl stats: %s\n", err);
		return TRANSCTL_ERR;
	}
	if (!r.ok) {
		fprintf(stderr, "transctl stats: %s\n", r.msg);
		ctl_reply_free(&r);
		return TRANSCTL_ERR;
	}
	*body = strdup(r.body);
	ctl_reply_free(&r);
	if (!*body) {
		fprintf(stderr, "transctl stats: out of memory\n");
		return TRANSCTL_ERR;
	}
	return TRANSCTL_OK;
}

/*
 * --prometheus: with --workers, the per-worker series and, from "stats",
 * the kernel's queue counters (no worker has its own): one scrape.
 */
static int stats_prometheus(const struct stats_opts *o, char *body)
{
	unsigned int flags = o->nonzero ? STATS_PROM_NONZERO : 0;
	char *sums = NULL, *all = body;
	size_t len;
	int ret;

	if (o->workers) {
		ret = stats_fetch(o->path, CTL_CMD_STATS, &sums);
		if (ret)
			return ret;
		len = strlen(body);
		all = malloc(len + strlen(sums) + 2);
		if (!all) {
			free(sums);
			fprintf(stderr, "transctl stats: out of memory\n");
			return TRANSCTL_ERR;
		}
		sprintf(all, "%s\n%s", body, sums);
		flags |= STATS_PROM_NO_SUMS;
	}
	ret = TRANSCTL_OK;
	if (stats_prom_write(all, flags, stdout)) {
		fprintf(stderr, "transctl stats: malformed reply from "
			"translatord\n");
		ret = TRANSCTL_ERR;
	}
	if (all != body)
		free(all);
	free(sums);
	return ret;
}

int cmd_stats(int argc, char **argv)
{
	struct stats_opts o = {
		.path = CTL_DEFAULT_PATH,
		.json = transctl_output.format == TRANSCTL_FMT_JSON,
		.csv = transctl_output.format == TRANSCTL_FMT_CSV,
	};
	char *body = NULL;
	int ret;

	ret = stats_parse_args(argc, argv, &o);
	if (ret)
		return ret < 0 ? TRANSCTL_OK : ret;
	ret = stats_fetch(o.path, o.workers ? CTL_CMD_WORKER_STATS :
			  CTL_CMD_STATS, &body);
	if (ret)
		return ret;
	if (o.prometheus)
		ret = stats_prometheus(&o, body);
	else
		ret = stats_print(&o, body, stdout);
	free(body);
	return ret;
}
