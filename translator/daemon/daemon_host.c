// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include "daemon_host.h"
#include "daemon_log.h"

#define HOST_MAX_WORDS	8

/* Picks the line a check complains about; arg is what it looks for. */
typedef bool (*host_line_fn)(char **w, size_t n, const void *arg);

/* Words of a line; a '#' at the start of a word starts a comment. */
static size_t host_words(char *line, char **w)
{
	char *save = NULL, *tok;
	size_t n = 0;

	for (tok = strtok_r(line, " \t\r", &save);
	     tok && *tok != '#' && n < HOST_MAX_WORDS;
	     tok = strtok_r(NULL, " \t\r", &save))
		w[n++] = tok;
	return n;
}

/* "PATH:LINE: " of the last line fn picks (a later line wins), or
 * "PATH: " when none does, or "" for a run-time change. */
static void host_where(const char *path, host_line_fn fn, const void *arg,
		       char *out, size_t outlen)
{
	unsigned int lineno = 0, found = 0;
	char line[512], *w[HOST_MAX_WORDS];
	FILE *f;

	out[0] = '\0';
	if (!path)
		return;
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		size_t n;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		n = host_words(line, w);
		if (n && fn(w, n, arg))
			found = lineno;
	}
	if (f)
		fclose(f);
	if (found)
		snprintf(out, outlen, "%s:%u: ", path, found);
	else
		snprintf(out, outlen, "%s: ", path);
}

static bool host_is_iface_line(char **w, size_t n, const void *arg)
{
	return n == 3 && !strcmp(w[0], "interface") && !strcmp(w[1], arg);
}

static int host_check_iface(const char *side, const char *name,
			    const char *path, char *err, size_t errlen)
{
	char where[300];

	if (!name[0] || if_nametoindex(name))
		return 0;
	host_where(path, host_is_iface_line, side, where, sizeof(where));
	snprintf(err, errlen, "%sinterface %s %s: no such interface here "
		 "(rules limited to it would queue one direction only; "
		 "create it first or correct the name)", where, side, name);
	return -1;
}

/* The first local IPv4 address inside p, or false. */
static bool host_local_in(const struct ifaddrs *ifa, const struct prefix4 *p,
			  struct in_addr *out)
{
	for (; ifa; ifa = ifa->ifa_next) {
		const struct sockaddr_in *sin = (const void *)ifa->ifa_addr;

		if (!sin || sin->sin_family != AF_INET ||
		    !prefix4_contains(p, &sin->sin_addr))
			continue;
		*out = sin->sin_addr;
		return true;
	}
	return false;
}

/* net.ipv4.ip_local_port_range: the host's own source ports. */
static bool host_port_range(unsigned int *lo, unsigned int *hi)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%u %u", lo, hi) == 2;
	fclose(f);
	return ok;
}

/*
 * pool4 on the host's own address works (only its ports are queued), but
 * the host's own connections from the same address pick source ports in
 * ip_local_port_range: where both overlap, a binding and a connection
 * of the host may take the same port, and the host's replies on it go to
 * the translator. Said at every start, reload and change.
 */
static void host_warn_nat64(const struct config *cfg)
{
	const struct config_nat64 *n = &cfg->nat64;
	char pb[PREFIX4_STRLEN], ab[INET_ADDRSTRLEN];
	unsigned int lo, hi;
	struct ifaddrs *ifa;
	struct in_addr a;

	if (cfg->mode != CONFIG_MODE_NAT64 || getifaddrs(&ifa))
		return;
	if (!host_port_range(&lo, &hi))
		lo = 1, hi = 0;
	for (size_t i = 0; i < n->pool4_count; i++) {
		const struct pool4_entry *p = &n->pool4[i];

		if (p->l4 == CONFIG_L4_ICMP || !host_local_in(ifa, &p->prefix, &a) ||
		    p->port_max < lo || p->port_min > hi)
			continue;
		inet_ntop(AF_INET, &a, ab, sizeof(ab));
		dlog_warn("pool4 %s %u-%u %s holds %s, an address of this "
			  "host, and overlaps its ip_local_port_range %u-%u: "
			  "the host's own connections from %s may collide "
			  "with bindings (give pool4 ports outside it)",
			  prefix4_str(&p->prefix, pb), p->port_min,
			  p->port_max, config_l4_name(p->l4), ab, lo, hi, ab);
	}
	freeifaddrs(ifa);
}

int daemon_host_check(const struct daemon_cfgset *set, const char *path,
		      char *err, size_t errlen)
{
	/* The interfaces cannot change at run time: checked with the file. */
	if (path &&
	    (host_check_iface("v4", set->cfg.iface4, path, err, errlen) ||
	     host_check_iface("v6", set->cfg.iface6, path, err, errlen)))
		return -1;
	host_warn_nat64(&set->cfg);
	return 0;
}

bool daemon_host_is_local(int family, const void *addr)
{
	struct ifaddrs *ifa, *i;
	bool local = false;

	if (getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !local; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family)
			continue;
		if (family == AF_INET)
			local = !memcmp(&((struct sockaddr_in *)(void *)
					  i->ifa_addr)->sin_addr, addr, 4);
		else
			local = !memcmp(&((struct sockaddr_in6 *)(void *)
					  i->ifa_addr)->sin6_addr, addr, 16);
	}
	freeifaddrs(ifa);
	return local;
}

/* The pid a pidfile names, 0 if none. */
static long host_pid_in(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int daemon_pidfile_claim(const char *path, char *err, size_t errlen)
{
	char buf[32];
	long old;
	int fd, n;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "pidfile %s: %s", path, strerror(errno));
		return -1;
	}
	old = host_pid_in(fd);
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		snprintf(err, errlen, "pidfile %s: %s%ld holds it (another "
			 "translatord is running: stop it first)", path,
			 errno == EWOULDBLOCK ? "translatord pid " :
			 "cannot lock it; pid ", old);
		close(fd);
		return -1;
	}
	if (old > 0 && old != (long)getpid())
		dlog_warn("pidfile %s: taken over from pid %ld (left by a "
			  "daemon that did not stop cleanly)", path, old);
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n) {
		snprintf(err, errlen, "pidfile %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void daemon_pidfile_release(const char *path, int fd)
{
	if (fd < 0)
		return;
	/* Unlinked while locked: a starting daemon never takes a live one. */
	unlink(path);
	close(fd);
}
