// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * transctl replay: runs the translation core over every packet of a pcap
 * file and writes what it emits to another one. Offline, so it needs no
 * root and no network: the way to try a configuration, reproduce a bug
 * report, or run the conformance cases.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "daemon_conf.h"
#include "nat64_flow.h"
#include "nat64_xlat.h"
#include "reasm.h"
#include "transctl.h"
#include "xlat.h"

/* How to find the layer-3 packet in a frame of each supported link type. */
struct replay_link {
	int dlt;
	uint32_t hdr_len;	/* bytes before the IP header */
	int proto_off;		/* offset of a 16-bit EtherType, or -1 */
	int side;		/* side implied by the link type, or -1 */
};

#define SIDE_BY_VERSION	(-1)
#define NO_ETHERTYPE	(-1)

static const struct replay_link replay_links[] = {
	{ DLT_RAW,	 0,  NO_ETHERTYPE, SIDE_BY_VERSION },
	{ DLT_IPV4,	 0,  NO_ETHERTYPE, XLAT_SIDE_V4 },
	{ DLT_IPV6,	 0,  NO_ETHERTYPE, XLAT_SIDE_V6 },
	{ DLT_EN10MB,	 14, 12,	   SIDE_BY_VERSION },
	{ DLT_LINUX_SLL, 16, 14,	   SIDE_BY_VERSION },
};

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd

/* A directive applied just before packet number at (1-based). */
struct replay_set_at {
	unsigned long at;
	const char *line;
};

struct replay_opts {
	const char *config;
	const char *in;
	const char *out;
	int from;		/* SIDE_BY_VERSION unless --from was given */
	const char **sets;	/* --set directives, in order */
	int nsets;
	struct replay_set_at *set_at;	/* --set-at, in order */
	int nset_at;
	int64_t linger_ms;	/* --linger: capture time after the last packet */
};

struct replay_counts {
	uint64_t in;		/* frames read */
	uint64_t out;		/* packets written */
	uint64_t translated;
	uint64_t dropped;
	uint64_t held;		/* fragments kept for reassembly */
	uint64_t non_ip;	/* frames skipped: not IPv4/IPv6 */
	uint64_t short_cap;	/* frames captured shorter than on the wire */
};

struct replay {
	const struct replay_opts *opts;
	struct config *cfg;
	int next_set;		/* first --set-at not applied yet */
	const struct replay_link *link;
	pcap_t *in;
	pcap_t *dead;
	pcap_dumper_t *dump;
	uint8_t *buf;		/* 8-byte aligned copy of the current packet */
	struct xlat_out out;
	struct xlat_ctx ctx;
	struct xlat_stats stats;
	struct replay_counts n;
	struct nat64_state *nat64;	/* mode nat64: attached to ctx */
	int64_t now_ms;		/* the replay's clock: packet times */
	bool clock_set;		/* now_ms holds a packet's time */
};

/*
 * The NAT64 state's secret (hashes, port choice): fixed, so that a replay
 * always allocates the same ports. The daemon uses a random one.
 */
static const uint8_t replay_nat64_key[NAT64_KEY_LEN] = "transctl replay";

static void replay_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s replay -c CONFIG [--from v4|v6] [--set 'DIRECTIVE']...\n"
		"       [--set-at 'N:DIRECTIVE']... [--linger SECONDS] IN.pcap OUT.pcap\n"
		"\n"
		"Translates every packet of IN.pcap as the translator would and writes\n"
		"what it emits (translations and ICMP errors, in order) to OUT.pcap as\n"
		"raw IP, each with the timestamp of the packet that caused it.\n"
		"\n"
		"  -c, --config FILE   configuration file (see README)\n"
		"  -f, --from v4|v6    side every packet arrives on (default: IPv6\n"
		"                      packets on the v6 side, IPv4 on the v4 side)\n"
		"  -s, --set 'KEY VALUE'\n"
		"                      apply one more directive after the file\n"
		"                      (repeatable)\n"
		"  -a, --set-at 'N:KEY VALUE'\n"
		"                      apply a directive just before packet N\n"
		"                      (from 1; repeatable, in increasing N)\n"
		"  -l, --linger SECONDS\n"
		"                      mode nat64: after the last packet, let that\n"
		"                      much capture time pass and run the timers\n"
		"                      that fall due (default 0)\n"
		"  -h, --help          this text\n"
		"\n"
		"IN.pcap may be raw IP, IPv4, IPv6, Ethernet or Linux cooked; frames\n"
		"that are not IP are skipped and counted. In mode nat64 one state\n"
		"(bindings, sessions) lives through the whole run, its clock is the\n"
		"capture's timestamps, and what its timers emit (answers to IPv4\n"
		"SYNs kept in vain) carries the time they fired. Exit status: 0\n"
		"done, 1 I/O or configuration error, 2 bad command line.\n",
		transctl_prog);
}

static int replay_parse_side(const char *s)
{
	if (!strcmp(s, "v6"))
		return XLAT_SIDE_V6;
	if (!strcmp(s, "v4"))
		return XLAT_SIDE_V4;
	return SIDE_BY_VERSION;
}

/* --set-at 'N:DIRECTIVE': N counts from 1 and never goes down. */
static int replay_parse_set_at(struct replay_opts *o, const char *arg)
{
	char *end;
	unsigned long at = strtoul(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end != ':' || at == 0 ||
	    (o->nset_at && at < o->set_at[o->nset_at - 1].at)) {
		fprintf(stderr, "%s replay: --set-at '%s': expected N:DIRECTIVE, N a packet number (1, 2... in increasing order)\n",
			transctl_prog, arg);
		return -1;
	}
	o->set_at[o->nset_at].at = at;
	o->set_at[o->nset_at++].line = end + 1;
	return 0;
}

static int replay_parse_linger(struct replay_opts *o, const char *s)
{
	char *end;
	double secs = strtod(s, &end);

	if (end == s || *end || !(secs >= 0 && secs <= 1e6)) {
		fprintf(stderr, "%s replay: --linger: '%s' is not a number of seconds\n",
			transctl_prog, s);
		return -1;
	}
	o->linger_ms = (int64_t)(secs * 1000 + 0.5);
	return 0;
}

/* Returns TRANSCTL_OK, TRANSCTL_USAGE, or -1 when --help was printed. */
static int replay_parse_args(int argc, char **argv, struct replay_opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "from",   required_argument, NULL, 'f' },
		{ "set",    required_argument, NULL, 's' },
		{ "set-at", required_argument, NULL, 'a' },
		{ "linger", required_argument, NULL, 'l' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	o->from = SIDE_BY_VERSION;
	while ((opt = getopt_long(argc, argv, "c:f:s:a:l:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->config = optarg;
			break;
		case 'f':
			o->from = replay_parse_side(optarg);
			if (o->from == SIDE_BY_VERSION) {
				fprintf(stderr, "%s replay: --from takes v4 or v6, not '%s'\n",
					transctl_prog, optarg);
				return TRANSCTL_USAGE;
			}
			break;
		case 's':
			/* argv outlives the run: keep pointers, not copies. */
			o->sets[o->nsets++] = optarg;
			break;
		case 'a':
			if (replay_parse_set_at(o, optarg))
				goto usage;
			break;
		case 'l':
			if (replay_parse_linger(o, optarg))
				goto usage;
			break;
		case 'h':
			replay_usage(stdout);
			return -1;
		default:
			goto usage;
		}
	}
	if (!o->config) {
		fprintf(stderr, "%s replay: -c CONFIG is required\n", transctl_prog);
		goto usage;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "%s replay: expected IN.pcap and OUT.pcap\n",
			transctl_prog);
		goto usage;
	}
	o->in = argv[optind];
	o->out = argv[optind + 1];
	return TRANSCTL_OK;
usage:
	fprintf(stderr, "Try '%s replay --help'.\n", transctl_prog);
	return TRANSCTL_USAGE;
}

/*
 * The daemon's own file works as it is: its daemon-only directives (queues,
 * egress, rules...) are read and set aside, the translation settings kept.
 */
static int replay_load_config(const struct replay_opts *o, struct config *cfg)
{
	struct daemon_cfgset set;
	char err[512];
	int i;

	if (daemon_cfgset_load(o->config, &set, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*cfg = set.cfg;		/* the arrays now belong to cfg */
	for (i = 0; i < o->nsets; i++) {
		if (config_apply_line(cfg, o->sets[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "--set '%s': %s\n", o->sets[i], err);
			config_free(cfg);
			return -1;
		}
	}
	return 0;
}

static const struct replay_link *replay_find_link(int dlt)
{
	size_t i;

	for (i = 0; i < sizeof(replay_links) / sizeof(replay_links[0]); i++)
		if (replay_links[i].dlt == dlt)
			return &replay_links[i];
	return NULL;
}

static int replay_open(struct replay *r, const struct replay_opts *o)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	int dlt;

	r->in = pcap_open_offline(o->in, errbuf);
	if (!r->in) {
		fprintf(stderr, "%s: %s\n", o->in, errbuf);
		return -1;
	}
	dlt = pcap_datalink(r->in);
	r->link = replay_find_link(dlt);
	if (!r->link) {
		fprintf(stderr, "%s: unsupported link type %d (raw IP, IPv4, IPv6, Ethernet or Linux cooked expected)\n",
			o->in, dlt);
		return -1;
	}
	r->dead = pcap_open_dead(DLT_RAW, XLAT_MAX_PKT);
	if (!r->dead) {
		fprintf(stderr, "%s: cannot create a pcap handle\n", o->out);
		return -1;
	}
	r->dump = pcap_dump_open(r->dead, o->out);
	if (!r->dump) {
		fprintf(stderr, "%s\n", pcap_geterr(r->dead));
		return -1;
	}
	/* The core reads headers in place: give it an aligned copy. */
	r->buf = aligned_alloc(8, XLAT_MAX_PKT + 1);
	if (!r->buf || xlat_out_init(&r->out) < 0) {
		fprintf(stderr, "%s replay: out of memory\n", transctl_prog);
		return -1;
	}
	return 0;
}

/* Mode nat64: one state for the whole run, its pool4 and static BIB. */
static int replay_nat64_open(struct replay *r)
{
	char err[256];

	if (r->cfg->mode != CONFIG_MODE_NAT64)
		return 0;
	if (!r->cfg->pool6_set) {
		fprintf(stderr, "%s: mode nat64 needs pool6\n", r->opts->config);
		return -1;
	}
	r->nat64 = nat64_state_new(replay_nat64_key);
	if (!r->nat64) {
		fprintf(stderr, "%s replay: out of memory\n", transctl_prog);
		return -1;
	}
	if (nat64_state_sync(r->nat64, r->cfg, &r->stats, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "%s replay: %s\n", transctl_prog, err);
		return -1;
	}
	nat64_xlat_attach(&r->ctx, r->nat64);
	return 0;
}

static void replay_close(struct replay *r)
{
	if (r->dump)
		pcap_dump_close(r->dump);
	if (r->dead)
		pcap_close(r->dead);
	if (r->in)
		pcap_close(r->in);
	if (r->out.arena)
		xlat_out_free(&r->out);
	free(r->buf);
}

/*
 * Finds the side a frame arrives on: --from if given, else what the link
 * type or the IP version says. SIDE_BY_VERSION means "skip: not IP".
 */
static int replay_classify(const struct replay_link *link, int from,
			   const uint8_t *frame, uint32_t caplen)
{
	const uint8_t *p;
	int side = link->side;

	if (link->proto_off != NO_ETHERTYPE) {
		if (caplen < link->hdr_len)
			return SIDE_BY_VERSION;
		p = frame + link->proto_off;
		if (p[0] == ETHERTYPE_IPV4 >> 8 && p[1] == (ETHERTYPE_IPV4 & 0xff))
			side = XLAT_SIDE_V4;
		else if (p[0] == ETHERTYPE_IPV6 >> 8 && p[1] == (ETHERTYPE_IPV6 & 0xff))
			side = XLAT_SIDE_V6;
		else
			return SIDE_BY_VERSION;	/* ARP, VLAN, LLDP... */
	} else if (side == SIDE_BY_VERSION && caplen > link->hdr_len) {
		if (frame[link->hdr_len] >> 4 == 4)
			side = XLAT_SIDE_V4;
		else if (frame[link->hdr_len] >> 4 == 6)
			side = XLAT_SIDE_V6;
	}
	return from != SIDE_BY_VERSION ? from : side;
}

static void replay_write_out(struct replay *r, const struct timeval *ts)
{
	struct pcap_pkthdr hdr;
	unsigned int i;

	for (i = 0; i < r->out.count; i++) {
		hdr.ts = *ts;
		hdr.caplen = r->out.pkt[i].len;
		hdr.len = r->out.pkt[i].len;
		pcap_dump((u_char *)r->dump, &hdr, r->out.pkt[i].data);
		xlat_count_sent(&r->stats, &r->out.pkt[i]);
		r->n.out++;
	}
}

static int64_t replay_ms(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000 + tv->tv_usec / 1000;
}

/*
 * Advances the clock (the state's and the reassembler's) to `until`, in
 * ms. Mode nat64: first runs the timers due up to then, in order, each
 * batch of output stamped with the time its timers fired.
 */
static void replay_timers(struct replay *r, int64_t until)
{
	int64_t due;
	int more;

	/* Mode siit too: the reassembler keeps the packets' time. */
	while (r->nat64 &&
	       (due = nat64_next_expiry(r->nat64, r->cfg)) <= until) {
		struct timeval tv;

		if (r->clock_set && due < r->now_ms)
			due = r->now_ms;
		r->now_ms = due;
		r->clock_set = true;
		tv.tv_sec = (time_t)(due / 1000);
		tv.tv_usec = (suseconds_t)(due % 1000) * 1000;
		do {
			xlat_out_reset(&r->out);
			more = nat64_xlat_timers(&r->ctx, due, &r->out);
			replay_write_out(r, &tv);
		} while (more);
	}
	if (!r->clock_set || until > r->now_ms)
		r->now_ms = until;
	r->clock_set = true;
}

/* The --set-at directives due before packet number r->n.in. */
static int replay_set_at(struct replay *r)
{
	const struct replay_opts *o = r->opts;
	char err[512];

	while (r->next_set < o->nset_at &&
	       o->set_at[r->next_set].at <= r->n.in) {
		const char *line = o->set_at[r->next_set++].line;

		if (config_apply_line(r->cfg, line, err, sizeof(err)) < 0 ||
		    (r->nat64 &&
		     nat64_state_sync(r->nat64, r->cfg, &r->stats, err,
				      sizeof(err)) < 0)) {
			fprintf(stderr, "--set-at %lu '%s': %s\n",
				o->set_at[r->next_set - 1].at, line, err);
			return -1;
		}
	}
	return 0;
}

static int replay_one(struct replay *r, int from,
		      const struct pcap_pkthdr *hdr, const uint8_t *frame)
{
	struct xlat_in in = { .data = r->buf };
	uint32_t len = hdr->caplen;
	int side;

	r->n.in++;
	if (replay_set_at(r) < 0)
		return -1;
	replay_timers(r, replay_ms(&hdr->ts));
	if (hdr->caplen < hdr->len)
		r->n.short_cap++;
	side = replay_classify(r->link, from, frame, len);
	if (side == SIDE_BY_VERSION) {
		r->n.non_ip++;
		return 0;
	}
	len = len > r->link->hdr_len ? len - r->link->hdr_len : 0;
	if (len > XLAT_MAX_PKT)
		len = XLAT_MAX_PKT;	/* the core will find it truncated */
	memcpy(r->buf, frame + r->link->hdr_len, len);

	in.side = (enum xlat_side)side;
	in.len = len;
	in.now_ms = r->now_ms;
	xlat_out_reset(&r->out);
	switch (xlat_packet(&r->ctx, &in, &r->out)) {
	case XLAT_TRANSLATED:
		r->n.translated++;
		break;
	case XLAT_HELD:
		r->n.held++;
		break;
	default:
		r->n.dropped++;
	}
	replay_write_out(r, &hdr->ts);
	return 0;
}

static int replay_run(struct replay *r, const struct replay_opts *o)
{
	struct pcap_pkthdr *hdr;
	const u_char *frame;
	int ret;

	while ((ret = pcap_next_ex(r->in, &hdr, &frame)) == 1)
		if (replay_one(r, o->from, hdr, frame) < 0)
			return -1;
	if (ret != PCAP_ERROR_BREAK) {
		fprintf(stderr, "%s: %s\n", o->in, pcap_geterr(r->in));
		return -1;
	}
	if (r->clock_set)
		replay_timers(r, r->now_ms + o->linger_ms);
	if (pcap_dump_flush(r->dump) < 0 || ferror(pcap_dump_file(r->dump))) {
		fprintf(stderr, "%s: write error: %s\n", o->out, strerror(errno));
		return -1;
	}
	return 0;
}

/* Mode nat64: what the state holds at the end. */
static void replay_nat64_summary(const struct nat64_state *st)
{
	struct nat64_counts c;

	nat64_state_counts(st, &c);
	printf("nat64: bindings tcp %llu, udp %llu, icmp %llu; sessions tcp %llu, udp %llu, icmp %llu; %u SYNs waiting\n",
	       (unsigned long long)c.bib[CONFIG_L4_TCP],
	       (unsigned long long)c.bib[CONFIG_L4_UDP],
	       (unsigned long long)c.bib[CONFIG_L4_ICMP],
	       (unsigned long long)c.sessions[CONFIG_L4_TCP],
	       (unsigned long long)c.sessions[CONFIG_L4_UDP],
	       (unsigned long long)c.sessions[CONFIG_L4_ICMP], c.stored);
}

/* One line: the totals, then each drop reason that occurred. */
static void replay_summary(const struct replay *r)
{
	const char *sep = "; ";
	int i;

	printf("replay: %llu in, %llu out, %llu translated, %llu dropped",
	       (unsigned long long)r->n.in, (unsigned long long)r->n.out,
	       (unsigned long long)r->n.translated,
	       (unsigned long long)r->n.dropped);
	if (r->n.held)
		printf(", %llu held for reassembly",
		       (unsigned long long)r->n.held);
	if (r->n.non_ip)
		printf(", %llu not IP (skipped)", (unsigned long long)r->n.non_ip);
	if (r->n.short_cap)
		printf(", %llu cut short by the capture",
		       (unsigned long long)r->n.short_cap);
	for (i = 0; i < XLAT_CNT_MAX; i++) {
		if (!r->stats.c[i] ||
		    strncmp(xlat_counter_info[i].name, "drop_", 5))
			continue;
		printf("%s%s %llu", sep, xlat_counter_info[i].name,
		       (unsigned long long)r->stats.c[i]);
		sep = ", ";
	}
	printf("\n");
	if (r->nat64)
		replay_nat64_summary(r->nat64);
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts opts = { 0 };
	struct replay r = { 0 };
	struct config cfg;
	int ret;

	/* Each --set takes at least one argv slot: argc bounds their count. */
	opts.sets = calloc((size_t)argc, sizeof(*opts.sets));
	opts.set_at = calloc((size_t)argc, sizeof(*opts.set_at));
	if (!opts.sets || !opts.set_at) {
		fprintf(stderr, "%s replay: out of memory\n", transctl_prog);
		ret = TRANSCTL_ERR;
		goto out_opts;
	}
	ret = replay_parse_args(argc, argv, &opts);
	if (ret != TRANSCTL_OK) {
		ret = ret < 0 ? TRANSCTL_OK : ret;
		goto out_opts;
	}

	ret = TRANSCTL_ERR;
	if (replay_load_config(&opts, &cfg) < 0)
		goto out_opts;
	if (replay_open(&r, &opts) < 0)
		goto out_close;
	r.opts = &opts;
	r.cfg = &cfg;
	r.ctx.cfg = &cfg;
	r.ctx.stats = &r.stats;
	/* The daemon's reassembler, so that fragments fare as they do there. */
	r.ctx.reasm = reasm_new(NULL);
	if (!r.ctx.reasm) {
		fprintf(stderr, "%s replay: out of memory\n", transctl_prog);
		goto out_close;
	}
	if (replay_nat64_open(&r) < 0 || replay_run(&r, &opts) < 0)
		goto out_close;
	replay_summary(&r);
	ret = TRANSCTL_OK;
out_close:
	reasm_free(r.ctx.reasm);
	nat64_state_free(r.nat64);
	replay_close(&r);
	config_free(&cfg);
out_opts:
	free(opts.sets);
	free(opts.set_at);
	return ret;
}
