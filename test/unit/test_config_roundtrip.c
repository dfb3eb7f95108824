// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What `transctl config` prints (config_write + daemon_conf_write) must
 * read back as the same configuration: for every directive of both
 * tables, a file holding one non-default value is loaded, written, loaded
 * again and written again; the two texts and the two models must be
 * equal. The directive tables are walked, so a new directive without a
 * sample here fails the test. Also: the empty file, NUL bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config_table.h"
#include "daemon_conf.h"

/* One non-default value per directive, by its name as typed. */
static const struct {
	const char *name;
	const char *line;
} samples[] = {
	{ "mode", "mode nat64" },
	{ "pool6", "pool6 64:ff9b::/96" },
	{ "eamt", "eamt 2001:db8:6::/120 198.51.100.0/24" },
	{ "denylist4", "denylist4 192.0.2.0/24" },
	{ "rfc6791v4-prefix", "rfc6791v4-prefix 203.0.113.0/29" },
	{ "rfc6791v6-prefix", "rfc6791v6-prefix 2001:db8:ff::/64" },
	{ "lowest-ipv6-mtu", "lowest-ipv6-mtu 1400" },
	{ "amend-udp-checksum-zero", "amend-udp-checksum-zero yes" },
	{ "zeroize-traffic-class", "zeroize-traffic-class yes" },
	{ "override-tos", "override-tos yes" },
	{ "tos", "tos 46" },
	{ "mss-clamp", "mss-clamp yes" },
	{ "address v6", "address v6 2001:db8::1/64" },
	{ "address v4", "address v4 192.0.2.1" },
	{ "mtu v6", "mtu v6 1400" },
	{ "mtu v4", "mtu v4 576" },
	{ "interface v6", "interface v6 eth6" },
	{ "interface v4", "interface v4 eth4" },
	{ "pool4", "pool4 192.0.2.0/30 1000-2000 udp" },
	{ "pool4-deterministic", "pool4 100.64.0.0/29\n"
	  "pool4-deterministic 2001:db8:c::/121 100.64.0.0/29 2000 2000 128" },
	{ "bib", "bib tcp 2001:db8::9#8080 192.0.2.9#80" },
	{ "tcp-est-timeout", "tcp-est-timeout 3600" },
	{ "tcp-trans-timeout", "tcp-trans-timeout 120" },
	{ "tcp-incoming-syn-timeout", "tcp-incoming-syn-timeout 10" },
	{ "udp-timeout", "udp-timeout 600" },
	{ "icmp-timeout", "icmp-timeout 30" },
	{ "address-dependent-filtering", "address-dependent-filtering yes" },
	{ "drop-externally-initiated-tcp", "drop-externally-initiated-tcp on" },
	{ "source-icmpv6-errors-better", "source-icmpv6-errors-better no" },
	{ "max-bib-entries", "max-bib-entries 1000" },
	{ "max-sessions", "max-sessions 5000" },
	{ "max-sessions-per-host", "max-sessions-per-host 50" },
	{ "maximum-simultaneous-opens", "maximum-simultaneous-opens 20" },
	{ "max-sessions-per-prefix", "max-sessions-per-prefix 500" },
	{ "host-prefix-length", "host-prefix-length 56" },
	{ "logging-bib", "logging-bib yes" },
	{ "logging-session", "logging-session yes" },
	{ "logging-debug", "logging-debug yes" },
	{ "pool4-block-size", "pool4-block-size 128" },
	{ "pool4-blocks-per-host", "pool4-blocks-per-host 2" },
	{ "wkp-allow-non-global", "wkp-allow-non-global yes" },
	/* Jool's global settings (common/config_jool.c) */
	{ "mtu-plateaus", "mtu-plateaus 1400,9000,576" },
	{ "drop-icmpv6-info", "drop-icmpv6-info yes" },
	{ "randomize-rfc6791-addresses", "randomize-rfc6791-addresses no" },
	{ "eam-hairpin-mode", "eam-hairpin-mode simple" },
	{ "handle-rst-during-fin-rcv", "handle-rst-during-fin-rcv yes" },
	{ "f-args", "f-args 8" },
	/* translatord's own (common/daemon_conf.c) */
	{ "fail-open", "fail-open yes" },
	{ "rules", "rules manual" },
	{ "mark", "mark 153" },
	{ "queue-tcp", "queue-tcp 10" },
	{ "queue-other", "queue-other 20" },
	{ "workers", "workers 3" },
	{ "queue-maxlen", "queue-maxlen 4096" },
	{ "rcvbuf", "rcvbuf 100000" },
	{ "translate4", "translate4 198.51.100.0/24" },
	{ "egress", "egress raw" },
	{ "egress-tun", "egress-tun xl0" },
	{ "icmp-rate", "icmp-rate 7" },
	{ "icmp-burst", "icmp-burst 3" },
	{ "offloads-fix", "offloads-fix yes" },
	{ "offloads-check-interval", "offloads-check-interval 30" },
	{ "tun-batch", "tun-batch 8" },
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static const char *sample_of(const char *name)
{
	for (size_t i = 0; i < NSAMPLES; i++)
		if (!strcmp(samples[i].name, name))
			return samples[i].line;
	fail_msg("directive '%s' has no round-trip sample: add one", name);
	return NULL;
}

static char tmpl[] = "/tmp/test_config_rtXXXXXX";

static void put_file(const char *text, size_t len)
{
	FILE *f = fopen(tmpl, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Loads text as translatord does; returns what `transctl config` shows. */
static char *load_write(const char *text, struct daemon_cfgset *set)
{
	char err[512] = "", *out = NULL;
	size_t len = 0;
	FILE *f;

	put_file(text, strlen(text));
	if (daemon_cfgset_load(tmpl, set, err, sizeof(err)))
		fail_msg("'%s' did not load: %s", text, err);
	f = open_memstream(&out, &len);
	assert_non_null(f);
	config_write(&set->cfg, f);
	daemon_conf_write(&set->dc, f);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void same_p4(const struct prefix4 *a, const struct prefix4 *b)
{
	assert_memory_equal(&a->addr, &b->addr, sizeof(a->addr));
	assert_int_equal(a->len, b->len);
}

static void same_p6(const struct prefix6 *a, const struct prefix6 *b)
{
	assert_memory_equal(&a->addr, &b->addr, sizeof(a->addr));
	assert_int_equal(a->len, b->len);
}

#define SAME(f) assert_memory_equal(&a->f, &b->f, sizeof(a->f))

static void same_nat64(const struct config_nat64 *a,
		       const struct config_nat64 *b)
{
	assert_int_equal(a->pool4_count, b->pool4_count);
	for (size_t i = 0; i < a->pool4_count; i++) {
		same_p4(&a->pool4[i].prefix, &b->pool4[i].prefix);
		SAME(pool4[i].port_min);
		SAME(pool4[i].port_max);
		SAME(pool4[i].l4);
	}
	assert_int_equal(a->bib_count, b->bib_count);
	for (size_t i = 0; i < a->bib_count; i++) {
		SAME(bib[i].l4);
		SAME(bib[i].addr4);
		SAME(bib[i].port4);
		SAME(bib[i].addr6);
		SAME(bib[i].port6);
	}
	assert_int_equal(a->det_count, b->det_count);
	for (size_t i = 0; i < a->det_count; i++) {
		same_p6(&a->det[i].p6, &b->det[i].p6);
		same_p4(&a->det[i].p4, &b->det[i].p4);
		SAME(det[i].ports);
		SAME(det[i].first_port);
		SAME(det[i].host_len);
	}
	SAME(tcp_est_timeout);
	SAME(tcp_trans_timeout);
	SAME(tcp_incoming_syn_timeout);
	SAME(udp_timeout);
	SAME(icmp_timeout);
	SAME(address_dependent_filtering);
	SAME(drop_externally_initiated_tcp);
	SAME(source_icmpv6_errors_better);
	SAME(max_bib_entries);
	SAME(max_sessions);
	SAME(max_sessions_per_host);
	SAME(max_sessions_per_prefix);
	SAME(host_prefix_len);
	SAME(max_stored_packets);
	SAME(handle_rst_during_fin_rcv);
	SAME(f_args);
}

static void same_config(const struct config *a, const struct config *b)
{
	SAME(mode);
	SAME(pool6_set);
	same_p6(&a->pool6, &b->pool6);
	assert_int_equal(a->eamt_count, b->eamt_count);
	for (size_t i = 0; i < a->eamt_count; i++) {
		same_p6(&a->eamt[i].p6, &b->eamt[i].p6);
		same_p4(&a->eamt[i].p4, &b->eamt[i].p4);
	}
	assert_int_equal(a->denylist4_count, b->denylist4_count);
	for (size_t i = 0; i < a->denylist4_count; i++)
		same_p4(&a->denylist4[i], &b->denylist4[i]);
	SAME(rfc6791v4_set);
	same_p4(&a->rfc6791v4, &b->rfc6791v4);
	SAME(rfc6791v6_set);
	same_p6(&a->rfc6791v6, &b->rfc6791v6);
	SAME(lowest_ipv6_mtu);
	SAME(amend_udp_checksum_zero);
	SAME(zeroize_traffic_class);
	SAME(override_tos);
	SAME(tos);
	SAME(mss_clamp);
	SAME(wkp_allow_non_global);
	SAME(addr6_set);
	SAME(addr6);
	SAME(addr4_set);
	SAME(addr4);
	SAME(mtu6);
	SAME(mtu4);
	assert_string_equal(a->iface6, b->iface6);
	assert_string_equal(a->iface4, b->iface4);
	assert_int_equal(a->mtu_plateau_count, b->mtu_plateau_count);
	SAME(mtu_plateaus);
	SAME(drop_icmpv6_info);
	SAME(randomize_rfc6791);
	SAME(eam_hairpin);
	same_nat64(&a->nat64, &b->nat64);
}

static void same_dconf(const struct daemon_conf *a,
		       const struct daemon_conf *b)
{
	SAME(fail_open);
	SAME(rules);
	SAME(mark);
	SAME(queue_tcp);
	SAME(queue_other);
	SAME(workers);
	SAME(queue_maxlen);
	SAME(rcvbuf);
	assert_int_equal(a->translate4_count, b->translate4_count);
	for (size_t i = 0; i < a->translate4_count; i++)
		same_p4(&a->translate4[i], &b->translate4[i]);
	SAME(egress);
	assert_string_equal(a->egress_tun, b->egress_tun);
	SAME(icmp_rate);
	SAME(icmp_burst);
	SAME(offloads_fix);
	SAME(offloads_interval);
	SAME(tun_batch);
}

/*
 * write -> parse -> write: the same text, the same models. Returns the
 * first text (the caller frees it).
 */
static char *round_trip(const char *text)
{
	struct daemon_cfgset s1, s2;
	char *t1 = load_write(text, &s1);
	char *t2 = load_write(t1, &s2);

	assert_string_equal(t1, t2);
	same_config(&s1.cfg, &s2.cfg);
	same_dconf(&s1.dc, &s2.dc);
	daemon_cfgset_free(&s1);
	daemon_cfgset_free(&s2);
	free(t2);
	return t1;
}

static void check_one(const char *line, const char *defaults)
{
	char text[256];
	char *t;

	snprintf(text, sizeof(text), "%s\n", line);
	t = round_trip(text);
	/* The value is not the default: the written file must show it. */
	if (!strcmp(t, defaults))
		fail_msg("'%s' is written as the defaults", line);
	free(t);
}

static void test_every_directive(void **state)
{
	const struct config_directive *d;
	char *defaults = round_trip("");
	const char *name;
	char nb[64];
	size_t i, n = 0;

	(void)state;
	for (i = 0; (d = config_row(i)) != NULL; i++, n++)
		check_one(sample_of(config_dname(d, nb, sizeof(nb))),
			  defaults);
	for (i = 0; (name = daemon_conf_directive(i)) != NULL; i++, n++)
		check_one(sample_of(name), defaults);
	/* Every sample names a directive of the tables. */
	assert_int_equal(n, NSAMPLES);
	free(defaults);
}

/* All of them at once (but mode nat64, which has no EAMT). */
static void test_all_at_once(void **state)
{
	char text[4096] = "";
	size_t off = 0;

	(void)state;
	for (size_t i = 0; i < NSAMPLES; i++)
		if (strcmp(samples[i].name, "mode"))
			off += (size_t)snprintf(text + off, sizeof(text) - off,
						"%s\n", samples[i].line);
	assert_true(off < sizeof(text));
	free(round_trip(text));
}

/* The values that once did not read back. */
static void test_known_cases(void **state)
{
	struct daemon_cfgset s;
	char *t;

	(void)state;
	t = load_write("rcvbuf 8388608\n", &s);
	assert_int_equal(s.dc.rcvbuf, 8u << 20);
	assert_non_null(strstr(t, "\nrcvbuf 8m\n"));
	daemon_cfgset_free(&s);
	free(t);
	t = load_write("rcvbuf 1073741824\n", &s);
	assert_int_equal(s.dc.rcvbuf, 1u << 30);
	daemon_cfgset_free(&s);
	free(t);
	t = load_write("rcvbuf 65537\n", &s);
	assert_non_null(strstr(t, "\nrcvbuf 65537\n"));
	daemon_cfgset_free(&s);
	free(t);
}

/* A NUL byte anywhere: FILE:LINE, nothing silently dropped. */
static void test_nul_byte(void **state)
{
	static const char text[] = "pool6 64:ff9b::/96\nmode si\0it\nfoo\n";
	struct daemon_cfgset s;
	struct config cfg;
	char err[512], want[512];

	(void)state;
	put_file(text, sizeof(text) - 1);
	snprintf(want, sizeof(want), "%s:2: a NUL byte (not a text file?)",
		 tmpl);
	assert_int_equal(daemon_cfgset_load(tmpl, &s, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_int_equal(config_parse_file(tmpl, &cfg, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_false(cfg.pool6_set);
	/* On the first line too, and at the very end. */
	put_file("\0", 1);
	assert_int_equal(daemon_cfgset_load(tmpl, &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: a NUL byte (not a text file?)",
		 tmpl);
	assert_string_equal(err, want);
	put_file("mode siit\n\n\0", 12);
	assert_int_equal(config_parse_file(tmpl, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: a NUL byte (not a text file?)",
		 tmpl);
	assert_string_equal(err, want);
}

static int setup(void **state)
{
	int fd = mkstemp(tmpl);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(tmpl);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_directive),
		cmocka_unit_test(test_all_at_once),
		cmocka_unit_test(test_known_cases),
		cmocka_unit_test(test_nul_byte),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
