// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "ctl_proto.h"

int ctl_request_check(const char *buf, size_t len, int eof, char *err,
		      size_t errlen)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;

	if (n >= CTL_MAX_REQUEST) {
		snprintf(err, errlen, "request refused: longer than %d bytes",
			 CTL_MAX_REQUEST);
		return -1;
	}
	if (memchr(buf, '\0', n)) {
		snprintf(err, errlen, "request refused: it holds a NUL byte");
		return -1;
	}
	if (!nl && !eof)
		return 0;
	if (n && buf[n - 1] == '\r')
		n--;
	if (!n) {
		snprintf(err, errlen, "request refused: empty");
		return -1;
	}
	return (int)n;
}

int ctl_split_words(char *line, char **words, int max)
{
	char *save = NULL, *w;
	int n = 0;

	for (w = strtok_r(line, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return -1;
		words[n++] = w;
	}
	return n;
}

/* A hint after the system's message, for the two common mistakes. */
static const char *ctl_connect_hint(int err)
{
	if (err == ENOENT || err == ECONNREFUSED)
		return " (is translatord running?)";
	if (err == EACCES || err == EPERM)
		return " (translatord answers root only)";
	return "";
}

static int ctl_connect(const char *path, char *err, size_t errlen)
{
	struct timeval tv = { .tv_sec = CTL_CLIENT_TIMEOUT_S };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "control socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		snprintf(err, errlen, "cannot connect to %s: %s%s", path,
			 strerror(errno), ctl_connect_hint(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int ctl_send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Reads until EOF into a NUL-terminated allocation. A reset after some
 * data ends it too (*reset set): translatord refuses a connection with
 * one line and closes without reading the request.
 */
static char *ctl_read_all(int fd, size_t *len, bool *reset, char *err,
			  size_t errlen)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap), *nbuf;

	*reset = false;
	while (buf) {
		ssize_t n;

		if (used + 1 == cap) {
			if (cap >= CTL_MAX_REPLY) {
				snprintf(err, errlen, "reply too long");
				goto fail;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf)
				break;
			buf = nbuf;
			cap *= 2;
		}
		n = recv(fd, buf + used, cap - 1 - used, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ECONNRESET && used) {
			*reset = true;
			n = 0;
		}
		if (n < 0) {
			snprintf(err, errlen, "reading the reply: %s",
				 errno == EAGAIN ? "timed out" : strerror(errno));
			goto fail;
		}
		if (n == 0) {
			buf[used] = '\0';
			*len = used;
			return buf;
		}
		used += (size_t)n;
	}
	snprintf(err, errlen, "out of memory");
fail:
	free(buf);
	return NULL;
}

static int ctl_split_reply(struct ctl_reply *r, size_t len, char *err,
			   size_t errlen)
{
	char *nl = memchr(r->raw, '\n', len);

	if (!len) {
		/* An idle connection gives its slot to a newcomer. */
		snprintf(err, errlen, "translatord closed the connection "
			 "without answering (request too slow, or it stopped)");
		return -1;
	}
	if (!nl) {
		snprintf(err, errlen, "malformed reply (no status line)");
		return -1;
	}
	*nl = '\0';
	r->body = nl + 1;
	r->body_len = len - (size_t)(r->body - r->raw);
	if (!strcmp(r->raw, "ok")) {
		r->ok = 1;
		r->msg = r->raw + 2;	/* the empty string after "ok" */
		return 0;
	}
	if (!strncmp(r->raw, "error ", 6)) {
		r->ok = 0;
		r->msg = r->raw + 6;
		return 0;
	}
	snprintf(err, errlen, "malformed reply status: %.60s", r->raw);
	return -1;
}

int ctl_call(const char *path, const char *request, struct ctl_reply *reply,
	     char *err, size_t errlen)
{
	char line[CTL_MAX_REQUEST + 2];
	int fd, n, send_errno = 0;
	size_t len = 0;
	bool reset;

	memset(reply, 0, sizeof(*reply));
	n = snprintf(line, sizeof(line), "%s\n", request);
	if (n < 0 || (size_t)n > CTL_MAX_REQUEST ||
	    strpbrk(request, "\r\n")) {
		snprintf(err, errlen, "request too long (over %d bytes) or "
			 "more than one line", CTL_MAX_REQUEST);
		return -1;
	}
	fd = ctl_connect(path, err, errlen);
	if (fd < 0)
		return -1;
	/*
	 * translatord may have answered and closed already (not root):
	 * a failed send leaves its answer to be read.
	 */
	if (ctl_send_all(fd, line, (size_t)n))
		send_errno = errno;
	else
		shutdown(fd, SHUT_WR);
	reply->raw = ctl_read_all(fd, &len, &reset, err, errlen);
	close(fd);
	if (reply->raw && !len && send_errno) {
		free(reply->raw);
		reply->raw = NULL;
		snprintf(err, errlen, "sending the request: %s",
			 strerror(send_errno));
	}
	if (!reply->raw)
		return -1;
	if (ctl_split_reply(reply, len, err, errlen)) {
		ctl_reply_free(reply);
		return -1;
	}
	/* Cut short: only a one-line refusal may end that way. */
	if ((reset || send_errno) && reply->ok) {
		snprintf(err, errlen, "translatord closed the connection "
			 "during the reply");
		ctl_reply_free(reply);
		return -1;
	}
	return 0;
}

void ctl_reply_free(struct ctl_reply *reply)
{
	free(reply->raw);
	memset(reply, 0, sizeof(*reply));
}

int ctl_print_reply(const char *path, const char *request, FILE *out,
		    const char *who)
{
	struct ctl_reply r;
	char err[512];

	if (ctl_call(path, request, &r, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", who, err);
		return 1;
	}
	if (!r.ok) {
		fprintf(stderr, "%s: %s\n", who, r.msg);
		ctl_reply_free(&r);
		return 1;
	}
	fwrite(r.body, 1, r.body_len, out);
	ctl_reply_free(&r);
	return 0;
}

int ctl_stat_parse(char *line, struct ctl_stat *out)
{
	char *f[4], *end, *save = NULL;
	int i;

	/* GROUP, NAME and VALUE end at a TAB; DESCRIPTION is the rest. */
	for (i = 0; i < 4; i++) {
		f[i] = strtok_r(i ? NULL : line, i < 3 ? "\t" : "\n", &save);
		if (!f[i])
			return -1;
	}
	/* Digits only: strtoull() would take "-1" and " 1". */
	if (*f[2] < '0' || *f[2] > '9')
		return -1;
	errno = 0;
	out->value = strtoull(f[2], &end, 10);
	if (errno || *end)
		return -1;
	out->group = f[0];
	out->name = f[1];
	out->desc = f[3];
	return 0;
}

void ctl_stat_write(FILE *f, const char *group, const char *name,
		    uint64_t value, const char *desc)
{
	fprintf(f, "%s\t%s\t%" PRIu64 "\t%s\n", group, name, value, desc);
}

void ctl_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
