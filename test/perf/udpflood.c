// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * udpflood: many-flow UDP load for scripts/bench.sh.
 *
 *   udpflood send [-t SECS] [-s SIZE] [-f FLOWS] [-j THREADS] [-b SRC]...
 *                 DST PORT
 *   udpflood recv [-t SECS] [-j THREADS] PORT
 *
 * send: FLOWS sockets (default 64), each bound to its own source port and
 * to the next of the -b source addresses in turn (default: the kernel's
 * choice), connected to DST PORT; THREADS threads (default 1) share them
 * out and send SIZE-byte payloads (default 64) with sendmmsg, 32 a call,
 * as fast as they can for SECS seconds (default 5). Several source
 * addresses matter: NFQUEUE's --queue-balance hashes addresses only, not
 * ports. Prints "sent N packets in T s: R pps".
 *
 * recv: THREADS sockets on [::]:PORT (IPv4 too) with SO_REUSEPORT, read
 * with recvmmsg for SECS seconds; prints "received N packets".
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define FLOOD_BATCH	32
#define FLOOD_MAX_SRC	64
#define FLOOD_MAX_FLOWS	4096
#define FLOOD_MAX_SIZE	9000

struct flood_opts {
	bool send;
	double secs;
	unsigned int size, flows, threads;
	const char *src[FLOOD_MAX_SRC];
	unsigned int nsrc;
	const char *dst, *port;
};

struct flood_thread {
	pthread_t tid;
	const struct flood_opts *o;
	int *fds;
	unsigned int nfds;
	uint64_t count;
	int err;
};

static double flood_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int flood_addr(const char *host, const char *port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_DGRAM };
	struct addrinfo *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);

	if (rc) {
		fprintf(stderr, "udpflood: %s: %s\n", host, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

/* One sending socket: source address i % nsrc, any port, connected. */
static int flood_sock(const struct flood_opts *o, unsigned int i)
{
	struct sockaddr_storage dst, src;
	socklen_t dlen, slen;
	int fd;

	if (flood_addr(o->dst, o->port, &dst, &dlen))
		return -1;
	fd = socket(dst.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		goto fail;
	if (o->nsrc) {
		if (flood_addr(o->src[i % o->nsrc], "0", &src, &slen))
			goto fail_close;
		if (bind(fd, (struct sockaddr *)&src, slen))
			goto fail_close;
	}
	if (connect(fd, (struct sockaddr *)&dst, dlen))
		goto fail_close;
	return fd;
fail_close:
	close(fd);
fail:
	perror("udpflood: socket");
	return -1;
}

static void *flood_sender(void *arg)
{
	struct flood_thread *t = arg;
	static char payload[FLOOD_MAX_SIZE];
	struct iovec iov = { payload, t->o->size };
	struct mmsghdr msgs[FLOOD_BATCH];
	double end = flood_now() + t->o->secs;
	unsigned int i = 0, k;
	int n;

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < FLOOD_BATCH; k++) {
		msgs[k].msg_hdr.msg_iov = &iov;
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	while (flood_now() < end) {
		n = sendmmsg(t->fds[i], msgs, FLOOD_BATCH, 0);
		if (n > 0)
			t->count += n;
		else if (errno != ENOBUFS && errno != EAGAIN &&
			 errno != ECONNREFUSED && errno != EINTR)
			t->err = errno;
		i = (i + 1) % t->nfds;
	}
	return NULL;
}

static void *flood_receiver(void *arg)
{
	struct flood_thread *t = arg;
	static __thread char bufs[FLOOD_BATCH][2048];
	struct iovec iov[FLOOD_BATCH];
	struct mmsghdr msgs[FLOOD_BATCH];
	double end = flood_now() + t->o->secs;
	unsigned int k;
	int n;

	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < FLOOD_BATCH; k++) {
		iov[k].iov_base = bufs[k];
		iov[k].iov_len = sizeof(bufs[k]);
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
	}
	while (flood_now() < end) {
		n = recvmmsg(t->fds[0], msgs, FLOOD_BATCH, MSG_WAITFORONE,
			     NULL);
		if (n > 0)
			t->count += n;
	}
	return NULL;
}

/* A receiving socket: [::]:PORT, IPv4 too, shared with SO_REUSEPORT. */
static int flood_listen(const char *port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(atoi(port)) };
	struct timeval tv = { 0, 200000 };
	int fd, off = 0, on = 1, buf = 8 << 20;

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		goto fail_close;
	/* Large enough not to drop what the thread reads late (root only). */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail_close;
	return fd;
fail_close:
	close(fd);
fail:
	perror("udpflood: receiving socket");
	return -1;
}

static void flood_usage(void)
{
	fputs("usage: udpflood send [-t SECS] [-s SIZE] [-f FLOWS] [-j THREADS]"
	      " [-b SRC]... DST PORT\n"
	      "       udpflood recv [-t SECS] [-j THREADS] PORT\n", stderr);
	exit(2);
}

static void flood_parse(int argc, char **argv, struct flood_opts *o)
{
	int c;

	if (argc < 2)
		flood_usage();
	o->send = !strcmp(argv[1], "send");
	if (!o->send && strcmp(argv[1], "recv"))
		flood_usage();
	optind = 2;
	while ((c = getopt(argc, argv, "t:s:f:j:b:")) != -1) {
		switch (c) {
		case 't': o->secs = atof(optarg); break;
		case 's': o->size = atoi(optarg); break;
		case 'f': o->flows = atoi(optarg); break;
		case 'j': o->threads = atoi(optarg); break;
		case 'b':
			if (o->nsrc == FLOOD_MAX_SRC)
				flood_usage();
			o->src[o->nsrc++] = optarg;
			break;
		default: flood_usage();
		}
	}
	if (argc - optind != (o->send ? 2 : 1) || o->secs <= 0 ||
	    !o->size || o->size > FLOOD_MAX_SIZE || !o->threads ||
	    o->threads > 64 || o->flows < o->threads ||
	    o->flows > FLOOD_MAX_FLOWS)
		flood_usage();
	o->dst = o->send ? argv[optind] : NULL;
	o->port = argv[argc - 1];
}

/* Opens every thread's sockets: flows shared out, one each in recv. */
static int flood_open(const struct flood_opts *o, struct flood_thread *t,
		      int *fds)
{
	unsigned int i, n = o->send ? o->flows : o->threads;

	for (i = 0; i < n; i++) {
		fds[i] = o->send ? flood_sock(o, i) : flood_listen(o->port);
		if (fds[i] < 0)
			return -1;
	}
	for (i = 0; i < o->threads; i++) {
		t[i].o = o;
		t[i].fds = fds + i * (n / o->threads);
		t[i].nfds = n / o->threads;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct flood_opts o = { .secs = 5, .size = 64, .flows = 64,
				.threads = 1 };
	static struct flood_thread t[64];
	static int fds[FLOOD_MAX_FLOWS];
	uint64_t total = 0;
	double start, secs;
	unsigned int i;
	int err = 0;

	flood_parse(argc, argv, &o);
	if (flood_open(&o, t, fds))
		return 1;
	start = flood_now();
	for (i = 0; i < o.threads; i++)
		if (pthread_create(&t[i].tid, NULL,
				   o.send ? flood_sender : flood_receiver,
				   &t[i]))
			return 1;
	for (i = 0; i < o.threads; i++) {
		pthread_join(t[i].tid, NULL);
		total += t[i].count;
		err = err ? err : t[i].err;
	}
	secs = flood_now() - start;
	if (o.send)
		printf("sent %llu packets in %.3f s: %.0f pps\n",
		       (unsigned long long)total, secs, total / secs);
	else
		printf("received %llu packets\n", (unsigned long long)total);
	if (err)
		fprintf(stderr, "udpflood: send: %s\n", strerror(err));
	return err ? 1 : 0;
}
