// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "clock.h"
#include "control.h"

#define CONTROL_BACKLOG	8

/* Makes the socket's directory (one level, like /run/translator). */
static int control_mkdir(const char *path, char *err, size_t errlen)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A socket file left by a daemon that died is removed; one that answers
 * belongs to a running daemon, which we must not steal it from.
 */
static int control_clear_stale(const struct sockaddr_un *sun, char *err,
			       size_t errlen)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int alive;

	if (fd < 0)
		return 0;
	alive = !connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (alive) {
		snprintf(err, errlen, "%s: another translatord is listening "
			 "there (use --control)", sun->sun_path);
		return -1;
	}
	unlink(sun->sun_path);
	return 0;
}

int control_open(struct control *ctl, const char *path, char *err,
		 size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int i;

	memset(ctl, 0, sizeof(*ctl));
	ctl->lfd = -1;
	for (i = 0; i < CONTROL_MAX_CONNS; i++)
		ctl->conn[i].fd = -1;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (control_mkdir(path, err, errlen) ||
	    control_clear_stale(&sun, err, errlen))
		return -1;
	ctl->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			  0);
	if (ctl->lfd < 0)
		goto fail;
	/* Created 0600 from the start: no window where others may connect. */
	old = umask(0177);
	i = bind(ctl->lfd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (i)
		goto fail;
	strcpy(ctl->path, path);
	if (chmod(path, 0600) || listen(ctl->lfd, CONTROL_BACKLOG))
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
	control_close(ctl);
	return -1;
}

static void control_drop(struct control_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void control_close(struct control *ctl)
{
	int i;

	for (i = 0; i < CONTROL_MAX_CONNS; i++)
		control_drop(&ctl->conn[i]);
	if (ctl->lfd >= 0)
		close(ctl->lfd);
	ctl->lfd = -1;
	if (ctl->path[0])
		unlink(ctl->path);
	ctl->path[0] = '\0';
}

void control_pollfds(const struct control *ctl, struct pollfd *pfd)
{
	int i;

	pfd[0].fd = ctl->lfd;
	pfd[0].events = POLLIN;
	for (i = 0; i < CONTROL_MAX_CONNS; i++) {
		const struct control_conn *c = &ctl->conn[i];

		pfd[1 + i].fd = c->fd;
		pfd[1 + i].events = c->out ? POLLOUT : POLLIN;
	}
}

static bool control_peer_is_root(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) &&
	       cred.uid == 0;
}

/*
 * Reads and discards what the client sent and we will not read: closing
 * with unread data would make the client's next read fail with
 * ECONNRESET instead of reading our reply to the end.
 */
static void control_drain(int fd)
{
	char sink[1024];
	int i;

	for (i = 0; i < 64; i++)
		if (recv(fd, sink, sizeof(sink), MSG_DONTWAIT) <= 0)
			break;
}

/* A one-line answer to a connection that gets no slot, then close. */
static void control_refuse(int fd, const char *msg, struct dstats *st)
{
	control_drain(fd);
	send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT);
	dstat_inc(st, DSTAT_CTL_REFUSED);
	close(fd);
}

/*
 * A free slot, or the one of the oldest connection still waiting for its
 * request (given up for the newcomer); NULL when all are replying.
 */
static struct control_conn *control_slot(struct control *ctl,
					 struct dstats *st)
{
	struct control_conn *idle = NULL;
	int i;

	for (i = 0; i < CONTROL_MAX_CONNS; i++) {
		struct control_conn *c = &ctl->conn[i];

		if (c->fd < 0)
			return c;
		if (!c->out && (!idle || c->start_ms < idle->start_ms))
			idle = c;
	}
	if (idle) {
		dstat_inc(st, DSTAT_CTL_REFUSED);
		control_drop(idle);
	}
	return idle;
}

static void control_read(struct control_conn *c, control_handler fn,
			 void *arg, struct dstats *st);
static void control_write(struct control_conn *c);

/* Takes one connection from the backlog; false when there was none. */
static bool control_accept(struct control *ctl, control_handler fn,
			   void *arg, struct dstats *st)
{
	struct control_conn *c;
	int fd;

	fd = accept4(ctl->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return false;
	if (!control_peer_is_root(fd)) {
		control_refuse(fd, "error permission denied: root only\n", st);
		return true;
	}
	c = control_slot(ctl, st);
	if (!c) {
		control_refuse(fd, "error busy: every control slot is "
			       "replying, try again\n", st);
		return true;
	}
	c->fd = fd;
	c->start_ms = clock_ms();
	c->deadline_ms = c->start_ms + CONTROL_TIMEOUT_MS;
	/* transctl has sent its request by now: serve it at once. */
	control_read(c, fn, arg, st);
	if (c->fd >= 0 && c->out)
		control_write(c);
	return true;
}

/* The reply: "ok" or "error MESSAGE", then the body. */
static void control_set_reply(struct control_conn *c, int ret,
			      const char *err, const char *body,
			      size_t body_len)
{
	c->out = malloc(body_len + strlen(err) + 16);
	if (!c->out) {
		control_drop(c);
		return;
	}
	c->outlen = (size_t)sprintf(c->out, ret ? "error %s\n" : "ok\n",
				    err[0] ? err : "failed");
	if (body_len)
		memcpy(c->out + c->outlen, body, body_len);
	c->outlen += body_len;
	c->outoff = 0;
}

/* Runs the request (its line is c->in[0..n)) and builds the reply. */
static void control_reply(struct control_conn *c, size_t n,
			  control_handler fn, void *arg)
{
	char err[512] = "";
	char *body = NULL;
	size_t body_len = 0;
	FILE *f;
	int ret;

	c->in[n] = '\0';
	f = open_memstream(&body, &body_len);
	if (!f) {
		control_drop(c);
		return;
	}
	ret = fn(arg, ctl_cmd_parse(c->in), c->in, f, err, sizeof(err));
	fclose(f);
	control_set_reply(c, ret, err, body, ret ? 0 : body_len);
	free(body);
}

static void control_read(struct control_conn *c, control_handler fn,
			 void *arg, struct dstats *st)
{
	ssize_t n = recv(c->fd, c->in + c->inlen,
			 CTL_MAX_REQUEST - c->inlen, 0);
	char err[128];
	int len;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 && !c->inlen) {
		control_drop(c);
		return;
	}
	if (n > 0)
		c->inlen += (size_t)n;
	len = ctl_request_check(c->in, c->inlen, n <= 0, err, sizeof(err));
	if (!len)
		return;
	if (len < 0) {
		/* Refused whole: not a byte of it runs. */
		dstat_inc(st, DSTAT_CTL_BAD_REQUEST);
		control_set_reply(c, -1, err, NULL, 0);
		return;
	}
	dstat_inc(st, DSTAT_CTL_REQUESTS);
	control_reply(c, (size_t)len, fn, arg);
}

static void control_write(struct control_conn *c)
{
	ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
			 MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		control_drop(c);
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff == c->outlen) {
		control_drain(c->fd);
		control_drop(c);	/* EOF ends the reply */
	}
}

void control_service(struct control *ctl, const struct pollfd *pfd,
		     control_handler fn, void *arg, struct dstats *st)
{
	int64_t now = clock_ms();
	int i;

	for (i = 0; i < CONTROL_MAX_CONNS; i++) {
		struct control_conn *c = &ctl->conn[i];

		if (c->fd < 0 || pfd[1 + i].fd != c->fd)
			continue;
		if (pfd[1 + i].revents & (POLLERR | POLLNVAL))
			control_drop(c);
		else if (!c->out && (pfd[1 + i].revents & (POLLIN | POLLHUP)))
			control_read(c, fn, arg, st);
		if (c->fd >= 0 && c->out)
			control_write(c);
		if (c->fd >= 0 && now > c->deadline_ms) {
			dstat_inc(st, DSTAT_CTL_REFUSED);
			control_drop(c);
		}
	}
	/* A few at a time: the backlog empties, the packets wait little. */
	for (i = 0; i < CONTROL_MAX_CONNS && (pfd[0].revents & POLLIN); i++)
		if (!control_accept(ctl, fn, arg, st))
			break;
}
