// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon_conf.h"

#define DCONF_MAX_FILE	(1u << 20)	/* a config is a few KB; refuse junk */
#define DCONF_MAX_WORDS	4

/*
 * One row per directive: how it applies a value, and how it writes the
 * running value back so that the result parses to the same setting
 * (test/unit/test_config_roundtrip.c walks this table).
 */
struct dconf_directive {
	const char *name;
	int (*apply)(struct daemon_conf *dc, const char *val,
		     char *err, size_t errlen);
	void (*write)(const struct daemon_conf *dc, const char *name,
		      FILE *f);
};

void daemon_conf_init(struct daemon_conf *dc)
{
	memset(dc, 0, sizeof(*dc));
	dc->fail_open = false;
	dc->rules = DCONF_RULES_AUTO;
	dc->mark = 0x5854;
	dc->queue_tcp = 64;
	dc->queue_other = 128;
	dc->workers = (uint16_t)daemon_conf_default_workers();
	dc->workers_set = false;
	dc->queue_maxlen = 2048;
	dc->rcvbuf = 8u << 20;
	dc->egress = DCONF_EGRESS_TUN;
	snprintf(dc->egress_tun, sizeof(dc->egress_tun), "xlat-tun");
	dc->tun_batch = DCONF_TUN_BATCH_DEFAULT;
	dc->icmp_rate = 100;
	dc->icmp_burst = 50;
	dc->offloads_fix = false;
	dc->offloads_interval = 60;
}

static int dconf_uint(const char *val, uint64_t max, uint64_t *out,
		      char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(val, &end, 0);
	if (errno || end == val || *end || val[0] == '-' || v > max) {
		snprintf(err, errlen, "'%s' is not a number in 0..%" PRIu64,
			 val, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int dconf_bool(bool *out, const char *name, const char *val,
		      char *err, size_t errlen)
{
	if (!strcmp(val, "yes") || !strcmp(val, "no")) {
		*out = !strcmp(val, "yes");
		return 0;
	}
	snprintf(err, errlen, "%s takes yes or no, not '%s'", name, val);
	return -1;
}

static int dconf_fail_open(struct daemon_conf *dc, const char *val,
			   char *err, size_t errlen)
{
	return dconf_bool(&dc->fail_open, "fail-open", val, err, errlen);
}

static int dconf_offloads_fix(struct daemon_conf *dc, const char *val,
			      char *err, size_t errlen)
{
	return dconf_bool(&dc->offloads_fix, "offloads-fix", val, err, errlen);
}

/* Seconds; a day is already far longer than anyone waits for a fix. */
static int dconf_offloads_interval(struct daemon_conf *dc, const char *val,
				   char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, 86400, &v, err, errlen))
		return -1;
	dc->offloads_interval = (uint32_t)v;
	return 0;
}

static int dconf_egress(struct daemon_conf *dc, const char *val,
			char *err, size_t errlen)
{
	if (!strcmp(val, "raw") || !strcmp(val, "tun")) {
		dc->egress = strcmp(val, "raw") ? DCONF_EGRESS_TUN :
						  DCONF_EGRESS_RAW;
		return 0;
	}
	snprintf(err, errlen, "egress takes raw or tun, not '%s'", val);
	return -1;
}

static int dconf_egress_tun(struct daemon_conf *dc, const char *val,
			    char *err, size_t errlen)
{
	size_t n = strlen(val);

	/* What the kernel accepts as an interface name (dev_valid_name). */
	if (!n || n >= DCONF_IFNAMSIZ || strchr(val, '/') ||
	    !strcmp(val, ".") || !strcmp(val, "..")) {
		snprintf(err, errlen, "'%s' is not a valid interface name", val);
		return -1;
	}
	memcpy(dc->egress_tun, val, n + 1);
	return 0;
}

static int dconf_icmp_rate(struct daemon_conf *dc, const char *val,
			   char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, 1000000, &v, err, errlen))
		return -1;
	dc->icmp_rate = (uint32_t)v;
	return 0;
}

/* Packets per io_uring submission on the TUN device; 0 and 1: none. */
static int dconf_tun_batch(struct daemon_conf *dc, const char *val,
			   char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, DCONF_MAX_TUN_BATCH, &v, err, errlen))
		return -1;
	dc->tun_batch = (uint32_t)v;
	return 0;
}

static int dconf_icmp_burst(struct daemon_conf *dc, const char *val,
			    char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, 1000000, &v, err, errlen))
		return -1;
	if (!v) {
		snprintf(err, errlen, "icmp-burst 0 would send no error at all "
			 "(use icmp-rate to tune, not to disable)");
		return -1;
	}
	dc->icmp_burst = (uint32_t)v;
	return 0;
}

static int dconf_rules(struct daemon_conf *dc, const char *val,
		       char *err, size_t errlen)
{
	if (!strcmp(val, "auto") || !strcmp(val, "manual")) {
		dc->rules = strcmp(val, "auto") ? DCONF_RULES_MANUAL :
						  DCONF_RULES_AUTO;
		return 0;
	}
	snprintf(err, errlen, "rules takes auto or manual, not '%s'", val);
	return -1;
}

static int dconf_mark(struct daemon_conf *dc, const char *val,
		      char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, UINT32_MAX, &v, err, errlen))
		return -1;
	if (!v) {
		snprintf(err, errlen, "mark 0 cannot tell emitted packets apart");
		return -1;
	}
	dc->mark = (uint32_t)v;
	return 0;
}

static int dconf_queue(uint16_t *q, const char *val, char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, UINT16_MAX, &v, err, errlen))
		return -1;
	*q = (uint16_t)v;
	return 0;
}

static int dconf_queue_tcp(struct daemon_conf *dc, const char *val,
			   char *err, size_t errlen)
{
	return dconf_queue(&dc->queue_tcp, val, err, errlen);
}

static int dconf_queue_other(struct daemon_conf *dc, const char *val,
			     char *err, size_t errlen)
{
	return dconf_queue(&dc->queue_other, val, err, errlen);
}

static int dconf_workers(struct daemon_conf *dc, const char *val,
			 char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, DCONF_MAX_WORKERS, &v, err, errlen))
		return -1;
	if (!v) {
		snprintf(err, errlen, "workers 0: at least one thread must "
			 "translate");
		return -1;
	}
	dc->workers = (uint16_t)v;
	dc->workers_set = true;
	return 0;
}

static int dconf_queue_maxlen(struct daemon_conf *dc, const char *val,
			      char *err, size_t errlen)
{
	uint64_t v;

	if (dconf_uint(val, 1u << 20, &v, err, errlen))
		return -1;
	if (v < 16) {
		snprintf(err, errlen, "queue-maxlen below 16 would drop bursts");
		return -1;
	}
	dc->queue_maxlen = (uint32_t)v;
	return 0;
}

/* Bytes, or kilobytes / megabytes with a k or m suffix. */
static int dconf_rcvbuf(struct daemon_conf *dc, const char *val,
			char *err, size_t errlen)
{
	char num[32];
	uint64_t v, mult = 1;
	size_t n = strlen(val);

	if (!n || n >= sizeof(num)) {
		snprintf(err, errlen, "bad rcvbuf '%s'", val);
		return -1;
	}
	memcpy(num, val, n + 1);
	if (strchr("kK", num[n - 1]))
		mult = 1u << 10;
	else if (strchr("mM", num[n - 1]))
		mult = 1u << 20;
	if (mult > 1)
		num[n - 1] = '\0';
	if (dconf_uint(num, (1u << 30) / mult, &v, err, errlen))
		return -1;
	v *= mult;
	if (v < (64u << 10) || v > (1u << 30)) {
		snprintf(err, errlen, "rcvbuf must be between 64k and 1024m");
		return -1;
	}
	dc->rcvbuf = (uint32_t)v;
	return 0;
}

static int dconf_translate4(struct daemon_conf *dc, const char *val,
			    char *err, size_t errlen)
{
	struct prefix4 p;

	if (prefix4_parse(val, &p)) {
		snprintf(err, errlen, "bad IPv4 prefix '%s'", val);
		return -1;
	}
	if (dc->translate4_count == DCONF_MAX_TRANSLATE4) {
		snprintf(err, errlen, "more than %u translate4 prefixes",
			 DCONF_MAX_TRANSLATE4);
		return -1;
	}
	dc->translate4[dc->translate4_count++] = p;
	return 0;
}

/* --- writers: the value as the file spells it ------------------------- */

#define DCONF_WRITE_BOOL(fn, field) \
static void fn(const struct daemon_conf *dc, const char *name, FILE *f) \
{ fprintf(f, "%s %s\n", name, dc->field ? "yes" : "no"); }
#define DCONF_WRITE_U32(fn, field, fmt) \
static void fn(const struct daemon_conf *dc, const char *name, FILE *f) \
{ fprintf(f, "%s " fmt "\n", name, (uint32_t)dc->field); }

DCONF_WRITE_BOOL(dconf_w_fail_open, fail_open)
DCONF_WRITE_BOOL(dconf_w_offloads_fix, offloads_fix)
DCONF_WRITE_U32(dconf_w_mark, mark, "0x%" PRIx32)
DCONF_WRITE_U32(dconf_w_queue_tcp, queue_tcp, "%" PRIu32)
DCONF_WRITE_U32(dconf_w_queue_other, queue_other, "%" PRIu32)
DCONF_WRITE_U32(dconf_w_workers, workers, "%" PRIu32)
DCONF_WRITE_U32(dconf_w_queue_maxlen, queue_maxlen, "%" PRIu32)
DCONF_WRITE_U32(dconf_w_icmp_rate, icmp_rate, "%" PRIu32)
DCONF_WRITE_U32(dconf_w_icmp_burst, icmp_burst, "%" PRIu32)
DCONF_WRITE_U32(dconf_w_tun_batch, tun_batch, "%" PRIu32)
DCONF_WRITE_U32(dconf_w_offloads_interval, offloads_interval, "%" PRIu32)

static void dconf_w_rules(const struct daemon_conf *dc, const char *name,
			  FILE *f)
{
	fprintf(f, "%s %s\n", name,
		dc->rules == DCONF_RULES_AUTO ? "auto" : "manual");
}

static void dconf_w_egress(const struct daemon_conf *dc, const char *name,
			   FILE *f)
{
	fprintf(f, "%s %s\n", name,
		dc->egress == DCONF_EGRESS_TUN ? "tun" : "raw");
}

static void dconf_w_egress_tun(const struct daemon_conf *dc,
			       const char *name, FILE *f)
{
	fprintf(f, "%s %s\n", name, dc->egress_tun);
}

/* In the unit that divides it, as one would write it ("8m"). */
static void dconf_w_rcvbuf(const struct daemon_conf *dc, const char *name,
			   FILE *f)
{
	uint32_t v = dc->rcvbuf;

	if (!(v % (1u << 20)))
		fprintf(f, "%s %" PRIu32 "m\n", name, v >> 20);
	else if (!(v % (1u << 10)))
		fprintf(f, "%s %" PRIu32 "k\n", name, v >> 10);
	else
		fprintf(f, "%s %" PRIu32 "\n", name, v);
}

static void dconf_w_translate4(const struct daemon_conf *dc,
			       const char *name, FILE *f)
{
	char buf[PREFIX4_STRLEN];
	size_t i;

	for (i = 0; i < dc->translate4_count; i++)
		fprintf(f, "%s %s\n", name,
			prefix4_str(&dc->translate4[i], buf));
}

static const struct dconf_directive dconf_table[] = {
	{ "fail-open",		dconf_fail_open,	dconf_w_fail_open },
	{ "rules",		dconf_rules,		dconf_w_rules },
	{ "mark",		dconf_mark,		dconf_w_mark },
	{ "workers",		dconf_workers,		dconf_w_workers },
	{ "queue-tcp",		dconf_queue_tcp,	dconf_w_queue_tcp },
	{ "queue-other",	dconf_queue_other,	dconf_w_queue_other },
	{ "queue-maxlen",	dconf_queue_maxlen,	dconf_w_queue_maxlen },
	{ "rcvbuf",		dconf_rcvbuf,		dconf_w_rcvbuf },
	{ "translate4",		dconf_translate4,	dconf_w_translate4 },
	{ "egress",		dconf_egress,		dconf_w_egress },
	{ "egress-tun",		dconf_egress_tun,	dconf_w_egress_tun },
	{ "tun-batch",		dconf_tun_batch,	dconf_w_tun_batch },
	{ "icmp-rate",		dconf_icmp_rate,	dconf_w_icmp_rate },
	{ "icmp-burst",		dconf_icmp_burst,	dconf_w_icmp_burst },
	{ "offloads-fix",	dconf_offloads_fix,	dconf_w_offloads_fix },
	{ "offloads-check-interval", dconf_offloads_interval,
	  dconf_w_offloads_interval },
};

#define DCONF_NDIRECTIVES (sizeof(dconf_table) / sizeof(dconf_table[0]))

const char *daemon_conf_directive(size_t i)
{
	return i < DCONF_NDIRECTIVES ? dconf_table[i].name : NULL;
}

static const struct dconf_directive *dconf_find(const char *name)
{
	size_t i;

	for (i = 0; i < DCONF_NDIRECTIVES; i++)
		if (!strcmp(dconf_table[i].name, name))
			return &dconf_table[i];
	return NULL;
}

/* Splits a copy of line into words; a '#' starts a comment. */
static size_t dconf_words(char *line, char **w)
{
	size_t n = 0;
	char *save = NULL, *tok;

	line[strcspn(line, "#")] = '\0';
	for (tok = strtok_r(line, " \t\r", &save); tok && n < DCONF_MAX_WORDS;
	     tok = strtok_r(NULL, " \t\r", &save))
		w[n++] = tok;
	return n;
}

/*
 * Applies line if it is a daemon directive. Returns 1 if it was (the
 * caller blanks it), 0 if it belongs to the core, -1 on error.
 */
static int dconf_line(struct daemon_conf *dc, const char *line, size_t len,
		      char *err, size_t errlen)
{
	const struct dconf_directive *d;
	char buf[512], *w[DCONF_MAX_WORDS];
	size_t n;

	if (len >= sizeof(buf))
		return 0;	/* not ours: no directive of ours is that long */
	memcpy(buf, line, len);
	buf[len] = '\0';
	n = dconf_words(buf, w);
	if (!n || !(d = dconf_find(w[0])))
		return 0;
	if (n != 2) {
		snprintf(err, errlen, "%s takes exactly one value", w[0]);
		return -1;
	}
	return d->apply(dc, w[1], err, errlen) ? -1 : 1;
}

/*
 * A NUL byte would end the text there and silently drop the rest of the
 * file: refuse it with its line.
 */
static int dconf_nul_check(const char *path, const char *text, size_t len,
			   char *err, size_t errlen)
{
	const char *nul = memchr(text, '\0', len), *p;
	unsigned int lineno = 1;

	if (!nul)
		return 0;
	for (p = text; p < nul; p++)
		lineno += *p == '\n';
	snprintf(err, errlen, "%s:%u: a NUL byte (not a text file?)", path,
		 lineno);
	return -1;
}

static char *dconf_read_file(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	text = malloc(DCONF_MAX_FILE + 1);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	len = fread(text, 1, DCONF_MAX_FILE + 1, f);
	if (ferror(f) || len > DCONF_MAX_FILE) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ?
			 "read error" : "larger than 1 MiB");
		free(text);
		text = NULL;
		goto out;
	}
	text[len] = '\0';
	if (dconf_nul_check(path, text, len, err, errlen)) {
		free(text);
		text = NULL;
	}
out:
	fclose(f);
	return text;
}

/* Takes the daemon directives out of text, blanking their lines. */
static int dconf_extract(const char *path, char *text, struct daemon_conf *dc,
			 char *err, size_t errlen)
{
	char msg[256];
	unsigned int lineno = 1;
	char *line = text;

	while (*line) {
		size_t len = strcspn(line, "\n");
		int r = dconf_line(dc, line, len, msg, sizeof(msg));

		if (r < 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, msg);
			return -1;
		}
		if (r > 0)
			memset(line, ' ', len);
		line += len + (line[len] == '\n');
		lineno++;
	}
	return 0;
}

int daemon_cfgset_load(const char *path, struct daemon_cfgset *set,
		       char *err, size_t errlen)
{
	char msg[256];
	char *text;
	int ret = -1;

	config_init(&set->cfg);
	daemon_conf_init(&set->dc);
	text = dconf_read_file(path, err, errlen);
	if (!text)
		return -1;
	if (dconf_extract(path, text, &set->dc, err, errlen))
		goto out;
	if (daemon_conf_check_queues(&set->dc, msg, sizeof(msg))) {
		snprintf(err, errlen, "%s: %s", path, msg);
		goto out;
	}
	if (config_parse_string(path, text, &set->cfg, err, errlen))
		goto out;
	ret = 0;
out:
	free(text);
	return ret;
}

void daemon_cfgset_free(struct daemon_cfgset *set)
{
	config_free(&set->cfg);
	daemon_conf_init(&set->dc);
}

void daemon_conf_write(const struct daemon_conf *dc, FILE *f)
{
	size_t i;

	for (i = 0; i < DCONF_NDIRECTIVES; i++)
		dconf_table[i].write(dc, dconf_table[i].name, f);
}

const char *daemon_conf_start_change(const struct daemon_conf *a,
				     const struct daemon_conf *b)
{
	if (a->queue_tcp != b->queue_tcp)
		return "queue-tcp";
	if (a->queue_other != b->queue_other)
		return "queue-other";
	if (a->workers != b->workers)
		return "workers";
	if (a->queue_maxlen != b->queue_maxlen)
		return "queue-maxlen";
	if (a->rcvbuf != b->rcvbuf)
		return "rcvbuf";
	if (a->mark != b->mark)
		return "mark";
	if (a->fail_open != b->fail_open)
		return "fail-open";
	if (a->rules != b->rules)
		return "rules";
	if (a->egress != b->egress)
		return "egress";
	if (strcmp(a->egress_tun, b->egress_tun))
		return "egress-tun";
	if (a->tun_batch != b->tun_batch)
		return "tun-batch";
	return NULL;
}
