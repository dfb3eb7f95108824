// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tunbatch: does TUN egress gain from batching? (issue 12; run by
 * scripts/bench-tun.sh, which builds the network.)
 *
 *   tunbatch [-n PACKETS] [-s PAYLOAD] [-4|-6] [-m writev|uring|sqpoll]
 *            [-b BATCH] TUNDEV
 *
 * Attaches to the existing TUN device TUNDEV (IFF_TUN | IFF_NO_PI |
 * IFF_VNET_HDR, as translatord's egress opens it) and writes PACKETS
 * (default 1000000) UDP packets of PAYLOAD bytes (default 64) to it, each
 * behind a zeroed virtio_net_hdr (no GSO, checksum complete), in one of:
 *
 *   writev  one writev() of {header, packet} per packet (translatord today)
 *   uring   io_uring: BATCH (default 32) IORING_OP_WRITEV per
 *           io_uring_submit_and_wait(), then reap them
 *   sqpoll  the same with IORING_SETUP_SQPOLL (a kernel thread submits)
 *
 * The packets go from 10.99.0.2 to 10.98.0.3 (IPv4) or fd00:99::2 to
 * fd00:98::3 (IPv6), which the script's namespace forwards out of a veth
 * whose peer drops them. Prints packets/s and the CPU time per packet of
 * this process (every thread: io_uring's workers and SQPOLL thread
 * included) and of the whole machine (softirqs elsewhere included).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#define TB_MAX_BATCH	1024
#define TB_MAX_PKT	1500

enum tb_mode { TB_WRITEV, TB_URING, TB_SQPOLL };

struct tb_opts {
	unsigned long count;
	unsigned int payload, batch;
	bool v6;
	enum tb_mode mode;
	const char *dev;
};

struct tb_packet {
	struct virtio_net_hdr vh;
	uint8_t pkt[TB_MAX_PKT];
	size_t len;
	struct iovec iov[2];
};

static double tb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (all threads) and busy ones of the machine. */
static double tb_proc_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double tb_machine_cpu(void)
{
	unsigned long long u, n, s, idle, io, irq, sirq;
	FILE *f = fopen("/proc/stat", "r");
	int got;

	if (!f)
		return 0;
	got = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &u, &n, &s,
		     &idle, &io, &irq, &sirq);
	fclose(f);
	if (got != 7)
		return 0;
	return (double)(u + n + s + irq + sirq) / sysconf(_SC_CLK_TCK);
}

static uint16_t tb_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/*
 * One UDP packet. Forwarding checks the IPv4 header checksum, not UDP's:
 * the UDP checksum stays 0 (none, RFC 768; an IPv6 receiver would drop it,
 * but the packets are dropped before any receiver anyway).
 */
static void tb_build(struct tb_packet *p, const struct tb_opts *o)
{
	static const uint8_t src6[16] = { 0xfd, 0, 0, 0x99, [15] = 2 };
	static const uint8_t dst6[16] = { 0xfd, 0, 0, 0x98, [15] = 3 };
	size_t ipl = o->v6 ? 40 : 20, ulen = 8 + o->payload;
	uint8_t *ip = p->pkt, *udp = p->pkt + ipl;

	memset(p, 0, sizeof(*p));
	p->len = ipl + ulen;
	if (o->v6) {
		ip[0] = 0x60;
		ip[4] = ulen >> 8;
		ip[5] = ulen & 0xff;
		ip[6] = IPPROTO_UDP;
		ip[7] = 64;
		memcpy(ip + 8, src6, 16);
		memcpy(ip + 24, dst6, 16);
	} else {
		ip[0] = 0x45;
		ip[2] = p->len >> 8;
		ip[3] = p->len & 0xff;
		ip[8] = 64;
		ip[9] = IPPROTO_UDP;
		memcpy(ip + 12, (uint8_t[]){ 10, 99, 0, 2, 10, 98, 0, 3 }, 8);
		ip[10] = tb_csum(ip, 20) >> 8;
		ip[11] = tb_csum(ip, 20) & 0xff;
	}
	udp[0] = 0x30;	/* ports 12345 -> 9 (discard) */
	udp[1] = 0x39;
	udp[3] = 9;
	udp[4] = ulen >> 8;
	udp[5] = ulen & 0xff;
	p->iov[0] = (struct iovec){ &p->vh, sizeof(p->vh) };
	p->iov[1] = (struct iovec){ p->pkt, p->len };
}

static int tb_open(const char *dev)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR };
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int tb_run_writev(int fd, struct tb_packet *p, unsigned long n,
			 unsigned long *errors)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (writev(fd, p->iov, 2) < 0)
			(*errors)++;
	return 0;
}

#ifdef HAVE_LIBURING
/* Reaps K completions (io-wq may still be writing some); counts failures. */
static void tb_reap(struct io_uring *ring, unsigned int k,
		    unsigned long *errors)
{
	struct io_uring_cqe *cqe;

	while (k && !io_uring_wait_cqe(ring, &cqe)) {
		if (cqe->res < 0)
			(*errors)++;
		io_uring_cqe_seen(ring, cqe);
		k--;
	}
}

static int tb_run_uring(int fd, struct tb_packet *p, const struct tb_opts *o,
			unsigned long *errors)
{
	struct io_uring_params par = { 0 };
	struct io_uring ring;
	unsigned long done = 0;
	unsigned int i, k;
	int rc;

	if (o->mode == TB_SQPOLL) {
		par.flags = IORING_SETUP_SQPOLL;
		par.sq_thread_idle = 1000;
	}
	rc = io_uring_queue_init_params(o->batch * 2, &ring, &par);
	if (rc) {
		errno = -rc;
		return -1;
	}
	while (done < o->count) {
		k = o->count - done < o->batch ? o->count - done : o->batch;
		for (i = 0; i < k; i++)
			io_uring_prep_writev(io_uring_get_sqe(&ring), fd,
					     p->iov, 2, 0);
		rc = io_uring_submit_and_wait(&ring, k);
		if (rc < 0)
			break;
		tb_reap(&ring, k, errors);
		done += k;
	}
	io_uring_queue_exit(&ring);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return 0;
}
#endif

static void tb_usage(void)
{
	fputs("usage: tunbatch [-n PACKETS] [-s PAYLOAD] [-4|-6] "
	      "[-m writev|uring|sqpoll] [-b BATCH] TUNDEV\n", stderr);
	exit(2);
}

static void tb_parse(int argc, char **argv, struct tb_opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "n:s:46m:b:")) != -1) {
		switch (c) {
		case 'n': o->count = strtoul(optarg, NULL, 10); break;
		case 's': o->payload = atoi(optarg); break;
		case '4': o->v6 = false; break;
		case '6': o->v6 = true; break;
		case 'b': o->batch = atoi(optarg); break;
		case 'm':
			if (!strcmp(optarg, "writev"))
				o->mode = TB_WRITEV;
			else if (!strcmp(optarg, "uring"))
				o->mode = TB_URING;
			else if (!strcmp(optarg, "sqpoll"))
				o->mode = TB_SQPOLL;
			else
				tb_usage();
			break;
		default: tb_usage();
		}
	}
	if (argc - optind != 1 || !o->count || !o->batch ||
	    o->batch > TB_MAX_BATCH || o->payload + 48 > TB_MAX_PKT)
		tb_usage();
	o->dev = argv[optind];
}

int main(int argc, char **argv)
{
	struct tb_opts o = { .count = 1000000, .payload = 64, .batch = 32 };
	static struct tb_packet p;
	double t0, c0, m0, t1, c1, m1;
	unsigned long errors = 0;
	int fd, rc;

	tb_parse(argc, argv, &o);
#ifndef HAVE_LIBURING
	if (o.mode != TB_WRITEV) {
		fputs("tunbatch: built without liburing (liburing-dev)\n",
		      stderr);
		return 77;
	}
#endif
	fd = tb_open(o.dev);
	if (fd < 0) {
		perror("tunbatch: TUN device");
		return 1;
	}
	tb_build(&p, &o);
	t0 = tb_now(), c0 = tb_proc_cpu(), m0 = tb_machine_cpu();
#ifdef HAVE_LIBURING
	rc = o.mode == TB_WRITEV ? tb_run_writev(fd, &p, o.count, &errors) :
				   tb_run_uring(fd, &p, &o, &errors);
#else
	rc = tb_run_writev(fd, &p, o.count, &errors);
#endif
	t1 = tb_now(), c1 = tb_proc_cpu(), m1 = tb_machine_cpu();
	if (rc) {
		perror("tunbatch: write");
		return 1;
	}
	printf("%s batch %u IPv%d %zu B: %lu packets in %.3f s: %.0f pps, "
	       "proc %.0f ns/pkt, machine %.0f ns/pkt, failed writes %lu\n",
	       o.mode == TB_WRITEV ? "writev" :
	       o.mode == TB_URING ? "uring" : "sqpoll",
	       o.mode == TB_WRITEV ? 1 : o.batch, o.v6 ? 6 : 4, p.len,
	       o.count, t1 - t0, o.count / (t1 - t0),
	       (c1 - c0) * 1e9 / o.count, (m1 - m0) * 1e9 / o.count, errors);
	close(fd);
	return 0;
}
