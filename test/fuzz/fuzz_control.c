// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: translatord's control requests below the socket,
 * i.e. what control.c does with a request it has read: cut it at the
 * first CR/LF, ctl_cmd_parse(), then the daemon's dispatcher
 * daemon_ctl_handle() (daemon_ctl.c) and every handler behind it
 * (status, stats, config, rules, reload, eamt, denylist4, address, bib,
 * session, pool4), against a daemon without queues or sockets: its
 * configuration, firewall rules (`rules manual`: nothing is installed;
 * rules_install/rules_remove are wrapped to abort), counters and NAT64
 * state.
 *
 * Input: 1 byte (bit 0: mode nat64, else siit), then requests separated
 * by "\n", each cut to CTL_MAX_REQUEST bytes as the socket reader does,
 * run in order against one daemon. Afterwards the running configuration,
 * changed by them, must still be one the parser accepts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <unistd.h>

#include "daemon_ctl.h"
#include "daemon_log.h"
#include "nat64_flow.h"
#include "nat64_xlat.h"

#define FC_MAX_REQUESTS	32

static const char *const fc_conf[2] = {
	"mode siit\n"
	"pool6 2001:db8:100::/40\n"
	"eamt 2001:db8:3::/120 1.0.0.0/24\n"
	"denylist4 192.0.2.128/25\n"
	"address v6 2001:db8:1c0:2:1::\n"
	"address v4 198.51.100.1\n"
	"translate4 198.51.100.0/24\n"
	"rules manual\n",

	"mode nat64\n"
	"pool6 64:ff9b::/96\n"
	"pool4 192.0.2.2 1000-1007\n"
	"pool4 192.0.2.4/31 2000-2003 udp\n"
	"bib tcp 192.0.2.2#8000 2001:db8::6#8000\n"
	"max-sessions 20\n"
	"rules manual\n",
};

static const uint8_t fc_key[NAT64_KEY_LEN] = "fuzz_control ky";
static char fc_path[2][64];
static struct daemon fc_d;

/* --- what translatord links and the harness leaves out --------------------- */

void dlog(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

/* Linked with -Wl,--wrap: `rules manual` must keep iptables out. */
int __wrap_rules_install(struct rules_plan *plan, char *err, size_t errlen);
int __wrap_rules_remove(struct rules_plan *plan, char *err, size_t errlen);

int __wrap_rules_install(struct rules_plan *plan, char *err, size_t errlen)
{
	(void)plan;
	(void)err;
	(void)errlen;
	abort();
}

int __wrap_rules_remove(struct rules_plan *plan, char *err, size_t errlen)
{
	(void)plan;
	(void)err;
	(void)errlen;
	abort();
}

/* --- the daemon ----------------------------------------------------------- */

static void fc_init(void)
{
	int i, fd;

	for (i = 0; i < 2; i++) {
		size_t n = strlen(fc_conf[i]);

		fd = memfd_create("fuzz_control", MFD_CLOEXEC);
		if (fd < 0 || write(fd, fc_conf[i], n) != (ssize_t)n)
			abort();
		snprintf(fc_path[i], sizeof(fc_path[i]), "/proc/self/fd/%d",
			 fd);
	}
}

/* A few sessions for `session show` to list. */
static void fc_sessions(struct daemon *d)
{
	struct nat64_op op;
	struct nat64_result r;
	struct nat64_flow f = { .l4 = CONFIG_L4_UDP, .dport = 53 };
	uint16_t i;

	nat64_op_init(&op, daemon_nat64(d), &d->set->cfg, &d->main.xstats,
		      d->main.now_ms);
	f.src6.s6_addr[0] = 0x20;
	f.src6.s6_addr[15] = 5;
	f.dst4.s_addr = htonl(0xc6336409);	/* 198.51.100.9 */
	memcpy(&f.dst6, &d->set->cfg.pool6.addr, 12);
	memcpy(&f.dst6.s6_addr[12], &f.dst4, 4);
	for (i = 0; i < 3; i++) {
		f.l4 = i ? CONFIG_L4_UDP : CONFIG_L4_TCP;
		f.tcp_flags = i ? 0 : NAT64_TCP_SYN;
		f.sport = (uint16_t)(5000 + i);
		nat64_in6(&op, &f, &r);
	}
}

static void fc_open(struct daemon *d, int nat64)
{
	char err[256];

	memset(d, 0, sizeof(*d));
	d->opts.config_path = fc_path[nat64];
	d->set = calloc(1, sizeof(*d->set));
	if (!d->set || daemon_cfgset_load(fc_path[nat64], d->set, err,
					  sizeof(err)) ||
	    rules_build(&d->set->cfg, &d->set->dc, &d->rules, err,
			sizeof(err))) {
		fprintf(stderr, "fuzz_control: setup: %s\n", err);
		abort();
	}
	/* No worker: the main thread's context serves the requests, with
	 * no socket (anything emitted fails on -1). */
	dworker_init(&d->main, d, DWORKER_MAIN);
	d->main.set = d->set;
	d->main.ctx.cfg = &d->set->cfg;
	d->main.ctx.stats = &d->main.xstats;
	d->main.now_ms = 1000000;
	atomic_store(&d->pub, d->set);
	if (!nat64)
		return;
	d->nat64 = nat64_state_new(fc_key);
	if (!d->nat64)
		abort();
	nat64_xlat_attach(&d->main.ctx, d->nat64);
	daemon_nat64_sync(d, &d->set->cfg);
	fc_sessions(d);
}

/* Whatever the requests changed, the running configuration parses. */
static void fc_close(struct daemon *d)
{
	struct config again;
	char err[256], *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	config_write(&d->set->cfg, f);
	fclose(f);
	if (config_parse_string("running", text, &again, err, sizeof(err))) {
		fprintf(stderr, "fuzz_control: the running configuration does "
			"not parse: %s\n%s", err, text);
		abort();
	}
	config_free(&again);
	free(text);
	nat64_state_free(d->nat64);
	rules_free(&d->rules);
	daemon_cfgset_free(d->set);
	free(d->set);
}

/* One request as control_reply() serves it. */
static void fc_request(struct daemon *d, const uint8_t *p, size_t n)
{
	char line[CTL_MAX_REQUEST + 1], err[512] = "", *body = NULL;
	size_t body_len = 0;
	FILE *f;

	if (n > CTL_MAX_REQUEST)
		n = CTL_MAX_REQUEST;
	memcpy(line, p, n);
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	f = open_memstream(&body, &body_len);
	if (!f)
		abort();
	daemon_ctl_handle(d, ctl_cmd_parse(line), line, f, err, sizeof(err));
	fclose(f);
	if (strnlen(err, sizeof(err)) == sizeof(err))
		abort();
	free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p, *end = data + size, *nl;
	int n = 0;

	if (!fc_path[0][0])
		fc_init();
	if (size < 1)
		return 0;
	fc_open(&fc_d, data[0] & 1);
	for (p = data + 1; p < end && n++ < FC_MAX_REQUESTS; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		fc_request(&fc_d, p, (size_t)(nl - p));
	}
	fc_close(&fc_d);
	return 0;
}
