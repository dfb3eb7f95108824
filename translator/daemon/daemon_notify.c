// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "daemon_notify.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

/* Built either way: test_notify checks it in every build. */
int dnotify_send_builtin(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t len;
	size_t n;
	ssize_t w;
	int fd, e;

	if (!path || !*path)
		return 0;
	n = strlen(path);
	/* "/path" or "@abstract"; anything else (vsock:...) is not ours. */
	if ((path[0] != '/' && path[0] != '@') || n < 2 ||
	    n >= sizeof(sun.sun_path)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';	/* abstract: no terminating NUL */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
			  (path[0] == '/'));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	w = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL,
		   (const struct sockaddr *)&sun, len);
	e = errno;
	close(fd);
	errno = e;
	return w < 0 ? -1 : 1;
}

static int dnotify_send(const char *msg)
{
#ifdef HAVE_LIBSYSTEMD
	int r = sd_notify(0, msg);

	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r > 0 ? 1 : 0;
#else
	return dnotify_send_builtin(msg);
#endif
}

int dnotify(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0) {
		errno = EINVAL;
		return -1;
	}
	return dnotify_send(msg);
}

int dnotify_reloading(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return dnotify("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
		       (unsigned long long)ts.tv_sec * 1000000ull +
		       (unsigned long long)ts.tv_nsec / 1000u);
}
