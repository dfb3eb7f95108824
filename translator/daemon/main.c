// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * translatord: runs in the foreground until SIGTERM/SIGINT; SIGHUP
 * reloads the configuration. See daemon.h for the structure.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "config.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "daemon_log.h"
#include "daemon_notify.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: translatord -c CONFIG [--pidfile FILE] [--control PATH]\n"
		"       translatord -c CONFIG --check\n"
		"\n"
		"  -c, --config FILE    configuration file (required)\n"
		"  -p, --pidfile FILE   write the process id to FILE\n"
		"  -s, --control PATH   control socket (default %s)\n"
		"  -n, --check          parse CONFIG, print it and the firewall\n"
		"                       rules it implies, and exit\n"
		"  -V, --version        print the version and exit\n"
		"  -h, --help           this text\n"
		"\n"
		"Runs in the foreground and logs to stderr and syslog.\n"
		"SIGHUP reloads CONFIG; SIGTERM/SIGINT remove the rules and stop.\n"
		"Needs root, or CAP_NET_ADMIN and CAP_NET_RAW.\n",
		CTL_DEFAULT_PATH);
}

/* Whether the effective set holds both capabilities (no libcap needed). */
static bool main_has_caps(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	uint32_t want = (1u << CAP_NET_ADMIN) | (1u << CAP_NET_RAW);

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return false;
	return (data[0].effective & want) == want;
}

static int main_check(const char *path)
{
	struct daemon_cfgset set;
	struct rules_plan plan;
	char err[512];

	if (daemon_cfgset_load(path, &set, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	config_write(&set.cfg, stdout);
	daemon_conf_write(&set.dc, stdout);
	if (rules_build(&set.cfg, &set.dc, &plan, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		daemon_cfgset_free(&set);
		return 1;
	}
	printf("# rules (%s)\n", set.dc.rules == DCONF_RULES_AUTO ?
	       "installed at start" : "manual: not installed");
	rules_print(&plan, stdout);
	rules_free(&plan);
	daemon_cfgset_free(&set);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument, NULL, 'c' },
		{ "pidfile",	required_argument, NULL, 'p' },
		{ "control",	required_argument, NULL, 's' },
		{ "check",	no_argument,	   NULL, 'n' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts opts = { .control_path = CTL_DEFAULT_PATH };
	static struct daemon d;	/* large: keep it off the stack */
	bool check = false;
	int c, ret = 1;

	while ((c = getopt_long(argc, argv, "c:p:s:nVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opts.config_path = optarg; break;
		case 'p': opts.pidfile = optarg; break;
		case 's': opts.control_path = optarg; break;
		case 'n': check = true; break;
		case 'V': printf("translatord %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!opts.config_path || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (check)
		return main_check(opts.config_path);
	if (!main_has_caps()) {
		fprintf(stderr, "translatord: needs root, or CAP_NET_ADMIN and "
			"CAP_NET_RAW (queues, raw sockets and firewall rules)\n");
		return 1;
	}
	dlog_open("translatord");
	if (!daemon_start(&d, &opts) && !daemon_run(&d))
		ret = 0;
	if (ret)	/* systemctl status shows it beside the exit status */
		dnotify("STATUS=failed (the log says why)");
	daemon_stop(&d);
	dlog_info("stopped");
	dlog_close();
	return ret;
}
