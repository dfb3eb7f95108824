/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket's server side (protocol: common/ctl_proto.h). It is
 * driven by the daemon's poll loop and never blocks the data path: every
 * socket is non-blocking, a connection has CONTROL_TIMEOUT_MS to send its
 * request and take its reply, and at most CONTROL_MAX_CONNS are served at
 * once. Idle clients cannot starve the others: when every slot is taken,
 * a newcomer takes the slot of the oldest connection that has not sent a
 * whole request yet (transctl sends its request as it connects, so only
 * idle clients lose theirs).
 *
 * A request is checked whole before anything runs (ctl_request_check):
 * over CTL_MAX_REQUEST bytes or with a NUL byte, it is answered "error
 * request refused: ..." and counted (control_bad_requests).
 */
#ifndef TRANSLATOR_CONTROL_H
#define TRANSLATOR_CONTROL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/un.h>

#include "ctl_proto.h"
#include "daemon_stats.h"

#define CONTROL_MAX_CONNS	16
#define CONTROL_TIMEOUT_MS	5000
/* pollfd slots control uses: the listening socket and the connections. */
#define CONTROL_NFDS		(1 + CONTROL_MAX_CONNS)

/*
 * Serves one request: writes the body to body and returns 0, or returns
 * -1 with a message in err (the reply is then "error MESSAGE").
 */
typedef int (*control_handler)(void *arg, enum ctl_cmd cmd, const char *line,
			       FILE *body, char *err, size_t errlen);

struct control_conn {
	int fd;
	int64_t start_ms;	/* accepted at; the oldest idle one goes first */
	int64_t deadline_ms;
	size_t inlen;
	char in[CTL_MAX_REQUEST + 1];
	char *out;		/* reply being written, NULL while reading */
	size_t outlen;
	size_t outoff;
};

struct control {
	int lfd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct control_conn conn[CONTROL_MAX_CONNS];
};

/* Creates the socket (mode 0600, parent directory made if missing). */
int control_open(struct control *ctl, const char *path, char *err,
		 size_t errlen);
/* Closes everything and removes the socket file. */
void control_close(struct control *ctl);

/* Fills CONTROL_NFDS pollfd entries (unused ones get fd -1). */
void control_pollfds(const struct control *ctl, struct pollfd *pfd);
/* Acts on the revents of those entries and expires slow connections. */
void control_service(struct control *ctl, const struct pollfd *pfd,
		     control_handler fn, void *arg, struct dstats *st);

#endif
