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

/* A pool4 or bib line naming an address inside a (struct in_addr). */
static bool host_is_addr_line(char **w, size_t n, const void *arg)
{
	const struct in_addr *a = arg;
	struct prefix4 p;
	char buf[64];

	if (strcmp(w[0], "pool4") && strcmp(w[0], "bib"))
		return false;
	for (size_t i = 1; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s", w[i]);
		buf[strcspn(buf, "#")] = '\0';
		if (!strchr(buf, '/'))
			strncat(buf, "/32", sizeof(buf) - strlen(buf) - 1);
		if (!prefix4_parse(buf, &p) && prefix4_contains(&p, a))
			return true;
	}
	return false;
}

/* The first local IPv4 address inside p, or false. */
static bool host_local_in(const struct ifaddrs *ifa, const struct prefix4 *p,
			  struct in_addr *out, const char **dev)
{
	for (; ifa; ifa = ifa->ifa_next) {
		const struct sockaddr_in *sin = (const void *)ifa->ifa_addr;

		if (!sin || sin->sin_family != AF_INET ||
		    !prefix4_contains(p, &sin->sin_addr))
			continue;
		*out = sin->sin_addr;
		*dev = ifa->ifa_name;
		return true;
	}
	return false;
}

static int host_local_err(const char *what, const struct prefix4 *p,
			  struct in_addr a, const char *dev,
			  const char *path, char *err, size_t errlen)
{
	char where[300], pb[PREFIX4_STRLEN], ab[INET_ADDRSTRLEN];

	host_where(path, host_is_addr_line, &a, where, sizeof(where));
	inet_ntop(AF_INET, &a, ab, sizeof(ab));
	snprintf(err, errlen, "%s%s %s holds %s, an address of this host (on "
		 "%s): translatord leaves packets to the host's own addresses "
		 "to the host, so no flow through it would work; lend "
		 "addresses routed to this host but not assigned to it",
		 where, what, prefix4_str(p, pb), ab, dev);
	return -1;
}

/* NAT64 (RFC 6146 section 3): its IPv4 addresses are the NAT64's own,
 * which the rules can only catch when the host does not own them. */
static int host_check_nat64(const struct config *cfg, const char *path,
			    char *err, size_t errlen)
{
	const struct config_nat64 *n = &cfg->nat64;
	struct ifaddrs *ifa;
	struct in_addr a;
	const char *dev;
	int ret = 0;

	if (cfg->mode != CONFIG_MODE_NAT64 || getifaddrs(&ifa))
		return 0;	/* unknown: the rules say so at run time */
	for (size_t i = 0; !ret && i < n->pool4_count; i++)
		if (host_local_in(ifa, &n->pool4[i].prefix, &a, &dev))
			ret = host_local_err("pool4", &n->pool4[i].prefix, a,
					     dev, path, err, errlen);
	for (size_t i = 0; !ret && i < n->bib_count; i++) {
		struct prefix4 p = { .addr = n->bib[i].addr4, .len = 32 };

		if (host_local_in(ifa, &p, &a, &dev))
			ret = host_local_err("bib address", &p, a, dev, path,
					     err, errlen);
	}
	freeifaddrs(ifa);
	return ret;
}

int daemon_host_check(const struct daemon_cfgset *set, const char *path,
		      char *err, size_t errlen)
{
	/* The interfaces cannot change at run time: checked with the file. */
	if (path &&
	    (host_check_iface("v4", set->cfg.iface4, path, err, errlen) ||
	     host_check_iface("v6", set->cfg.iface6, path, err, errlen)))
		return -1;
	return host_check_nat64(&set->cfg, path, err, errlen);
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
