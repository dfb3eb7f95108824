// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl address, the parts that need no running translatord:
 *   address query ADDR [PORT] --config FILE   the pool4-deterministic
 *       answer from a configuration file (common/det_query.c, the code
 *       translatord answers with): a legal request about who had an
 *       IPv4 address and port is answered from the file alone
 *   address dump-deterministic [V6PREFIX] [--config FILE] [--force]
 *       the whole mapping of the entries (or of the one for V6PREFIX),
 *       streamed row by row; the running configuration without --config
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "daemon_conf.h"
#include "det_query.h"
#include "transctl.h"

/* Rows a dump writes without --force. */
#define DET_DUMP_MAX	1000000ull

struct det_opts {
	const char *config, *control;
	bool force, help;
	int first;		/* argv index of the first argument */
};

static int det_opts_parse(int argc, char **argv, struct det_opts *o)
{
	static const struct option longopts[] = {
		{ "config",  required_argument, NULL, 'c' },
		{ "control", required_argument, NULL, 's' },
		{ "force",   no_argument,       NULL, 'f' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->control = CTL_DEFAULT_PATH;
	optind = 0;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "c:s:fh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->config = optarg;
			break;
		case 's':
			o->control = optarg;
			break;
		case 'f':
			o->force = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return -1;
		}
	}
	o->first = optind;
	return 0;
}

/* A file with translatord's directives too (common/daemon_conf.h). */
static int det_load_file(const char *path, struct daemon_cfgset *set)
{
	char err[512];

	if (daemon_cfgset_load(path, set, err, sizeof(err))) {
		fprintf(stderr, "%s address: %s\n", transctl_prog, err);
		return -1;
	}
	return 0;
}

/* The running configuration: translatord's "config" reply, as a file. */
static int det_load_running(const char *control, struct daemon_cfgset *set)
{
	char err[512], path[] = "/tmp/transctl-configXXXXXX";
	struct ctl_reply r;
	int fd, ret = -1;
	FILE *f;

	if (ctl_call(control, "config", &r, err, sizeof(err))) {
		fprintf(stderr, "%s address: %s (or give --config FILE)\n",
			transctl_prog, err);
		return -1;
	}
	if (!r.ok) {
		fprintf(stderr, "%s address: %s\n", transctl_prog, r.msg);
		goto out;
	}
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "%s address: cannot write %s\n",
			transctl_prog, path);
		goto out;
	}
	fputs(r.body, f);
	if (fclose(f) == 0)
		ret = det_load_file(path, set);
	unlink(path);
out:
	ctl_reply_free(&r);
	return ret;
}

/* The file's configuration, or the running one. */
static int det_load(const struct det_opts *o, struct daemon_cfgset *set)
{
	if (o->config)
		return det_load_file(o->config, set);
	return det_load_running(o->control, set);
}

static int det_query_offline(const struct det_opts *o, char **args,
			     int nargs)
{
	struct daemon_cfgset set;
	char err[256], *body = NULL;
	size_t len = 0;
	long port = DET_NO_PORT;
	FILE *f;
	int found;

	if (nargs < 1 || nargs > 2 ||
	    (nargs == 2 && det_port_parse(args[1], &port))) {
		fprintf(stderr, "%s address query: ADDR [PORT] (0..65535) "
			"expected\n", transctl_prog);
		return TRANSCTL_USAGE;
	}
	if (transctl_check_addr(args[0], err, sizeof(err))) {
		fprintf(stderr, "%s address query: %s\n", transctl_prog, err);
		return TRANSCTL_USAGE;
	}
	if (det_load(o, &set))
		return TRANSCTL_ERR;
	f = open_memstream(&body, &len);
	if (!f) {
		daemon_cfgset_free(&set);
		return TRANSCTL_ERR;
	}
	fprintf(f, "address\t%s\nfamily\t%s\n", args[0],
		strchr(args[0], ':') ? "ipv6" : "ipv4");
	if (port != DET_NO_PORT)
		fprintf(f, "port\t%ld\n", port);
	found = det_query(&set.cfg, args[0], port, f, err, sizeof(err));
	if (found == 0)
		fprintf(f, "bindings\tnot in the file: only a running "
			"translatord knows its dynamic bindings\n");
	fclose(f);
	daemon_cfgset_free(&set);
	if (found < 0 || transctl_print_keyvals(body, &transctl_output,
						 stdout)) {
		fprintf(stderr, "%s address query: %s\n", transctl_prog,
			found < 0 ? err : "cannot print");
		free(body);
		return TRANSCTL_ERR;
	}
	free(body);
	return TRANSCTL_OK;
}

/* --- dump ------------------------------------------------------------- */

struct dump_out {
	FILE *f;
	enum transctl_format fmt;
	uint64_t rows;
};

static int dump_row(const char *customer, const char *ipv4, unsigned int lo,
		    unsigned int hi, void *arg)
{
	struct dump_out *d = arg;
	int n;

	if (d->fmt == TRANSCTL_FMT_JSON)
		n = fprintf(d->f, "%s\n    {\"customer\": \"%s\", \"ipv4\": "
			    "\"%s\", \"port_first\": %u, \"port_last\": %u}",
			    d->rows ? "," : "", customer, ipv4, lo, hi);
	else if (d->fmt == TRANSCTL_FMT_CSV)
		n = fprintf(d->f, "%s,%s,%u,%u\n", customer, ipv4, lo, hi);
	else
		n = fprintf(d->f, "%-44s %-15s %u-%u\n", customer, ipv4, lo,
			    hi);
	d->rows++;
	return n < 0;
}

static bool dump_wanted(const struct det_entry *e, const char *sel)
{
	struct prefix6 p;

	return !sel || (prefix6_parse(sel, &p) == 0 && p.len == e->p6.len &&
			!memcmp(&p.addr, &e->p6.addr, sizeof(p.addr)));
}

static int det_dump_all(const struct config *cfg, const char *sel,
			bool force)
{
	const struct config_nat64 *n = &cfg->nat64;
	struct dump_out d = { stdout, transctl_output.format, 0 };
	uint64_t total = 0;
	size_t picked = 0;

	for (size_t i = 0; i < n->det_count; i++)
		if (dump_wanted(&n->det[i], sel)) {
			total += det_hosts(&n->det[i]);
			picked++;
		}
	if (!picked) {
		fprintf(stderr, "%s address dump-deterministic: %s\n",
			transctl_prog, sel ? "no pool4-deterministic entry "
			"has that V6PREFIX" : "no pool4-deterministic entry");
		return TRANSCTL_ERR;
	}
	if (total > DET_DUMP_MAX && !force) {
		fprintf(stderr, "%s address dump-deterministic: %" PRIu64
			" rows, more than %llu: give --force to write them\n",
			transctl_prog, total, DET_DUMP_MAX);
		return TRANSCTL_ERR;
	}
	if (d.fmt == TRANSCTL_FMT_JSON)
		fputs("{\"deterministic\": [", stdout);
	else if (d.fmt == TRANSCTL_FMT_CSV)
		puts("customer,ipv4,port_first,port_last");
	else
		printf("%-44s %-15s %s\n", "CUSTOMER", "IPV4", "PORTS");
	for (size_t i = 0; i < n->det_count; i++)
		if (dump_wanted(&n->det[i], sel) &&
		    det_dump(&n->det[i], dump_row, &d) != det_hosts(&n->det[i]))
			return TRANSCTL_ERR;
	if (d.fmt == TRANSCTL_FMT_JSON)
		puts("\n]}");
	return fflush(stdout) ? TRANSCTL_ERR : TRANSCTL_OK;
}

static int det_dump_cmd(const struct det_opts *o, char **args, int nargs)
{
	struct daemon_cfgset set;
	int ret;

	if (nargs > 1) {
		fprintf(stderr, "%s address dump-deterministic: unexpected "
			"argument '%s'\n", transctl_prog, args[1]);
		return TRANSCTL_USAGE;
	}
	if (det_load(o, &set))
		return TRANSCTL_ERR;
	ret = det_dump_all(&set.cfg, nargs ? args[0] : NULL, o->force);
	daemon_cfgset_free(&set);
	return ret;
}

int transctl_det_run(int argc, char **argv, void (*usage)(FILE *f))
{
	struct det_opts o;
	bool dump = argc > 1 && !strcmp(argv[1], "dump-deterministic");
	bool query = argc > 1 && !strcmp(argv[1], "query");

	if (!dump && !query)
		return -1;
	if (det_opts_parse(argc - 1, argv + 1, &o))
		return TRANSCTL_USAGE;
	if (o.help) {
		usage(stdout);
		return TRANSCTL_OK;
	}
	if (dump)
		return det_dump_cmd(&o, argv + 1 + o.first,
				    argc - 1 - o.first);
	if (!o.config)
		return -1;	/* the running translatord answers */
	return det_query_offline(&o, argv + 1 + o.first, argc - 1 - o.first);
}
