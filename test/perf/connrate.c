// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connrate: TCP connection setup rate for scripts/bench.sh (the "connection
 * establishment rate" of RFC 9693 section 4 for stateful NATxy gateways:
 * new connections per second, each one a binding and a session through a
 * NAT64).
 *
 *   connrate server [-j THREADS] PORT
 *   connrate client [-t SECS] [-n INFLIGHT] [-b SRC]... DST PORT
 *
 * server: listens on [::]:PORT (IPv4 too; IPv4 only where the namespace
 * has no IPv6), THREADS threads (default 1) accept and close at once (FIN),
 * until killed.
 *
 * client: keeps INFLIGHT (default 64) non-blocking connects open for SECS
 * seconds (default 5), source address the next -b in turn (default: the
 * kernel's choice). A connection counts when the handshake completes (the
 * SYN-ACK came back); it is then closed with a reset (SO_LINGER 0) so that
 * no TIME_WAIT holds its port: the next connect may reuse it. Prints
 * "connections N in T s: R per s, failed F, pending P".
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CONN_MAX_SRC		64
#define CONN_MAX_INFLIGHT	4096

struct conn_client {
	struct sockaddr_storage dst, src[CONN_MAX_SRC];
	socklen_t dlen, slen[CONN_MAX_SRC];
	unsigned int nsrc, next_src, live;
	int ep;
	uint64_t ok, failed;
};

static double conn_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int conn_addr(const char *host, const char *port,
		     struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);

	if (rc) {
		fprintf(stderr, "connrate: %s: %s\n", host, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* Ends a connection with a reset: no TIME_WAIT on either side. */
static void conn_reset(int fd)
{
	struct linger lg = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/*
 * Starts one connect; its fd waits in the epoll set for writability. A
 * connect refused at once counts as failed (-1 only for a broken epoll).
 */
static int conn_start(struct conn_client *c)
{
	struct epoll_event ev = { .events = EPOLLOUT };
	unsigned int i;
	int fd, on = 1;

	fd = socket(c->dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (c->nsrc) {
		i = c->next_src++ % c->nsrc;
		/* The port comes with connect(): by 4-tuple, not by bind. */
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on,
			   sizeof(on));
		if (bind(fd, (struct sockaddr *)&c->src[i], c->slen[i]))
			goto fail;
	}
	if (connect(fd, (struct sockaddr *)&c->dst, c->dlen) &&
	    errno != EINPROGRESS)
		goto fail;
	ev.data.fd = fd;
	if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev))
		goto fail;
	c->live++;
	return 0;
fail:
	c->failed++;
	close(fd);
	return 0;
}

static void conn_done(struct conn_client *c, int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err)
		c->failed++;
	else
		c->ok++;
	epoll_ctl(c->ep, EPOLL_CTL_DEL, fd, NULL);
	conn_reset(fd);
	c->live--;
}

static int conn_client_run(struct conn_client *c, double secs,
			   unsigned int inflight)
{
	struct epoll_event evs[256];
	double start = conn_now(), end = start + secs;
	unsigned int i;
	int n, k;

	c->ep = epoll_create1(0);
	if (c->ep < 0)
		return -1;
	for (i = 0; i < inflight; i++)
		if (conn_start(c))
			return -1;
	while (conn_now() < end) {
		n = epoll_wait(c->ep, evs, 256, 100);
		for (k = 0; k < n; k++) {
			conn_done(c, evs[k].data.fd);
			if (conn_start(c))
				return -1;
		}
	}
	secs = conn_now() - start;
	printf("connections %llu in %.3f s: %.0f per s, failed %llu, "
	       "pending %u\n", (unsigned long long)c->ok, secs, c->ok / secs,
	       (unsigned long long)c->failed, c->live);
	return 0;
}

static void *conn_acceptor(void *arg)
{
	int lfd = *(int *)arg, fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, 0);
		/*
		 * A FIN, not a reset: a reset could reach the client before
		 * it saw its connect complete (SO_ERROR ECONNRESET). The
		 * client's reset then ends this side without TIME_WAIT.
		 */
		if (fd >= 0)
			close(fd);
		else if (errno != EINTR && errno != ECONNABORTED &&
			 errno != EMFILE && errno != ENFILE)
			return NULL;
	}
}

/* [::]:PORT for IPv6 and IPv4; 0.0.0.0:PORT where IPv6 is off. */
static int conn_listen(const char *port)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(atoi(port)) };
	struct sockaddr_in s4 = { .sin_family = AF_INET,
				  .sin_port = htons(atoi(port)) };
	int fd, off = 0, on = 1;

	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd >= 0 &&
	    (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	     setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	     bind(fd, (struct sockaddr *)&s6, sizeof(s6)))) {
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
		    bind(fd, (struct sockaddr *)&s4, sizeof(s4)))
			return -1;
	}
	if (listen(fd, 4096))
		return -1;
	return fd;
}

static int conn_server(int threads, const char *port)
{
	static int lfd;
	pthread_t tid;
	int i;

	lfd = conn_listen(port);
	if (lfd < 0) {
		perror("connrate: listen");
		return 1;
	}
	for (i = 1; i < threads; i++)
		if (pthread_create(&tid, NULL, conn_acceptor, &lfd))
			return 1;
	conn_acceptor(&lfd);
	perror("connrate: accept");
	return 1;
}

static void conn_usage(void)
{
	fputs("usage: connrate server [-j THREADS] PORT\n"
	      "       connrate client [-t SECS] [-n INFLIGHT] [-b SRC]... "
	      "DST PORT\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct conn_client c;
	double secs = 5;
	int opt, threads = 1, inflight = 64, server;

	if (argc < 2)
		conn_usage();
	server = !strcmp(argv[1], "server");
	if (!server && strcmp(argv[1], "client"))
		conn_usage();
	optind = 2;
	while ((opt = getopt(argc, argv, "t:n:j:b:")) != -1) {
		switch (opt) {
		case 't': secs = atof(optarg); break;
		case 'n': inflight = atoi(optarg); break;
		case 'j': threads = atoi(optarg); break;
		case 'b':
			if (c.nsrc == CONN_MAX_SRC ||
			    conn_addr(optarg, "0", &c.src[c.nsrc],
				      &c.slen[c.nsrc]))
				conn_usage();
			c.nsrc++;
			break;
		default: conn_usage();
		}
	}
	if (argc - optind != (server ? 1 : 2) || secs <= 0 || threads < 1 ||
	    threads > 64 || inflight < 1 || inflight > CONN_MAX_INFLIGHT)
		conn_usage();
	if (server)
		return conn_server(threads, argv[optind]);
	if (conn_addr(argv[optind], argv[optind + 1], &c.dst, &c.dlen))
		return 1;
	return conn_client_run(&c, secs, inflight) ? 1 : 0;
}
