// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the configuration file, as translatord --check reads
 * it (daemon_cfgset_load: the daemon's directives, then the core's), and
 * the round trip of what it writes back.
 *
 * Input: the file's bytes. When they parse, the configuration is written
 * (config_write + daemon_conf_write, the text of --check and `transctl
 * config`), and that text must parse again and write the same text
 * and the same firewall rules (rules_build, rules_print). Otherwise
 * abort().
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "daemon_conf.h"
#include "rules.h"

static int fc_fd = -1;
static char fc_path[64];

static void fc_init(void)
{
	fc_fd = memfd_create("fuzz_config", MFD_CLOEXEC);
	if (fc_fd < 0) {
		perror("fuzz_config: memfd_create");
		abort();
	}
	snprintf(fc_path, sizeof(fc_path), "/proc/self/fd/%d", fc_fd);
}

/* The file translatord would read: exactly these bytes. */
static void fc_store(const void *data, size_t size)
{
	if (ftruncate(fc_fd, 0) ||
	    pwrite(fc_fd, data, size, 0) != (ssize_t)size)
		abort();
}

struct fc_out {
	char *text;	/* the configuration --check prints */
	size_t len;
	char *rules;	/* then its firewall rules */
	size_t rules_len;
};

static FILE *fc_stream(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f)
		abort();
	return f;
}

/* What --check prints; -1 when the file does not parse. */
static int fc_load_write(struct fc_out *o, char *err, size_t errlen)
{
	struct daemon_cfgset set;
	struct rules_plan plan;
	FILE *f;

	if (daemon_cfgset_load(fc_path, &set, err, errlen))
		return -1;
	f = fc_stream(&o->text, &o->len);
	config_write(&set.cfg, f);
	daemon_conf_write(&set.dc, f);
	fclose(f);
	f = fc_stream(&o->rules, &o->rules_len);
	if (!rules_build(&set.cfg, &set.dc, &plan, err, errlen)) {
		rules_print(&plan, f);
		rules_free(&plan);
	}
	fclose(f);
	daemon_cfgset_free(&set);
	return 0;
}

static bool fc_same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fc_out one, two;
	char err[512];

	if (fc_fd < 0)
		fc_init();
	fc_store(data, size);
	if (fc_load_write(&one, err, sizeof(err)))
		return 0;
	fc_store(one.text, one.len);
	if (fc_load_write(&two, err, sizeof(err))) {
		fprintf(stderr, "fuzz_config: the written configuration does "
			"not parse: %s\n--- written:\n%s", err, one.text);
		abort();
	}
	if (!fc_same(one.text, one.len, two.text, two.len) ||
	    !fc_same(one.rules, one.rules_len, two.rules, two.rules_len)) {
		fprintf(stderr, "fuzz_config: written twice, two texts:\n"
			"--- first:\n%s%s--- second:\n%s%s", one.text,
			one.rules, two.text, two.rules);
		abort();
	}
	free(one.text);
	free(one.rules);
	free(two.text);
	free(two.rules);
	return 0;
}
