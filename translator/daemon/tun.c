// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stddef.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/if_tun.h>

#include "csum.h"
#include "tun.h"

#define TUN_DEV		"/dev/net/tun"

/*
 * Best effort: a missing knob (e.g. IPv6 disabled) is not fatal here. A
 * value changed is remembered, to be put back at exit; one that already
 * reads as wanted is not ours and stays as it is.
 */
static void tun_sysctl(struct tun *t, const char *fmt, const char *val)
{
	struct tun_sysctl *c = &t->changed[t->nchanged];
	char old[sizeof(c->old)] = "";
	FILE *f;

	if (t->nchanged == TUN_SYSCTLS)
		return;
	snprintf(c->path, sizeof(c->path), fmt, t->name);
	f = fopen(c->path, "re");
	if (!f)
		return;
	if (!fgets(old, sizeof(old), f))
		old[0] = '\0';
	fclose(f);
	old[strcspn(old, "\n")] = '\0';
	if (!strcmp(old, val))
		return;
	f = fopen(c->path, "we");
	if (!f)
		return;
	fputs(val, f);
	if (fclose(f) == 0 && old[0]) {
		memcpy(c->old, old, sizeof(c->old));
		t->nchanged++;
	}
}

/*
 * Forwarding is decided by the device a packet arrives on (IPv4) or by
 * the global switch (IPv6); the reverse-path filter would drop sources
 * that route elsewhere, which translated sources always do.
 */
static void tun_let_forward(struct tun *t)
{
	tun_sysctl(t, "/proc/sys/net/ipv4/conf/%s/forwarding", "1");
	tun_sysctl(t, "/proc/sys/net/ipv4/conf/%s/rp_filter", "0");
	/* pool4 on the host's own address: translated sources are local. */
	tun_sysctl(t, "/proc/sys/net/ipv4/conf/%s/accept_local", "1");
	tun_sysctl(t, "/proc/sys/net/ipv6/conf/%s/forwarding", "1");
	tun_sysctl(t, "/proc/sys/net/ipv6/conf/%s/accept_ra", "0");
	tun_sysctl(t, "/proc/sys/net/ipv6/conf/all/forwarding", "1");
}

/* Puts back what tun_let_forward changed, last first. */
static void tun_restore_sysctls(struct tun *t)
{
	while (t->nchanged > 0) {
		struct tun_sysctl *c = &t->changed[--t->nchanged];
		FILE *f = fopen(c->path, "we");

		if (f) {
			fputs(c->old, f);
			fclose(f);
		}
	}
}

static int tun_up(struct tun *t, char *err, size_t errlen)
{
	struct ifreq ifr;
	int fd, ret = -1;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, t->name, sizeof(t->name));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		goto fail;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) || ioctl(fd, SIOCGIFINDEX, &ifr))
		goto fail;
	t->ifindex = ifr.ifr_ifindex;
	ret = 0;
	goto out;
fail:
	snprintf(err, errlen, "TUN %s: bring up: %s", t->name, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

/* One file descriptor on the device (a queue of it, when multi); excl:
 * the device must not exist yet. */
static int tun_fd(struct tun *t, const char *name, bool multi, bool excl,
		  char *err, size_t errlen)
{
	int hdrsz = (int)sizeof(struct virtio_net_hdr);
	struct ifreq ifr;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->fd = open(TUN_DEV, O_RDWR | O_CLOEXEC);
	if (t->fd < 0) {
		snprintf(err, errlen, "%s: %s", TUN_DEV, strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, t->name, sizeof(t->name));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_VNET_HDR;
	if (multi)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	if (excl)
		ifr.ifr_flags |= IFF_TUN_EXCL;
	if (ioctl(t->fd, TUNSETIFF, &ifr) ||
	    ioctl(t->fd, TUNSETVNETHDRSZ, &hdrsz)) {
		snprintf(err, errlen, "TUN %s: %s%s", t->name, strerror(errno),
			 errno == EBUSY ? " (it exists: another translatord holds it?)" :
					  "");
		tun_close(t);
		return -1;
	}
	return 0;
}

int tun_open(struct tun *t, const char *name, bool multi, char *err,
	     size_t errlen)
{
	/* Exclusive: a second instance with the same egress-tun would
	 * otherwise attach queues to the first one's multi-queue device
	 * (the device goes with the last descriptor, a crash included). */
	if (tun_fd(t, name, multi, true, err, errlen))
		return -1;
	if (tun_up(t, err, errlen)) {
		tun_close(t);
		return -1;
	}
	tun_let_forward(t);
	return 0;
}

int tun_attach(struct tun *t, const struct tun *first, char *err,
	       size_t errlen)
{
	if (tun_fd(t, first->name, true, false, err, errlen))
		return -1;
	t->ifindex = first->ifindex;
	return 0;
}

void tun_close(struct tun *t)
{
	/* While the device exists: its own knobs go with it otherwise. */
	tun_restore_sysctls(t);
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

/*
 * The core decremented the TTL / hop limit already, as a translator must
 * (RFC 7915 4.1, 5.1); the kernel forwarding from the TUN device does it
 * again. Giving the hop back here keeps one decrement per translator, and
 * traceroute counts it once. The core never emits 255 (it decremented)
 * except in errors it originates (TTL 64), so no wrap.
 */
static void tun_hop_back(uint8_t *head)
{
	uint8_t old[2];
	uint16_t sum;

	if ((head[0] >> 4) == 6) {
		if (head[7] < 255)
			head[7]++;
		return;
	}
	if (head[8] == 255)
		return;
	memcpy(old, head + 8, 2);
	head[8]++;
	memcpy(&sum, head + 10, 2);
	sum = csum_replace(sum, old, 2, head + 8, 2);
	memcpy(head + 10, &sum, 2);
}

void tun_head(struct tun_head *h, const uint8_t *pkt,
	      const struct tun_gso *g)
{
	memset(&h->vh, 0, sizeof(h->vh));
	if (g) {
		/* Host byte order: the device is not in legacy BE mode. */
		h->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->vh.gso_type = (pkt[0] >> 4) == 6 ?
				 VIRTIO_NET_HDR_GSO_TCPV6 :
				 VIRTIO_NET_HDR_GSO_TCPV4;
		h->vh.gso_size = g->mss;
		h->vh.hdr_len = g->hdrs;
		h->vh.csum_start = g->l4_off;
		h->vh.csum_offset = offsetof(struct tcphdr, th_sum);
	}
	memcpy(h->ip, pkt, TUN_HEAD);
	tun_hop_back(h->ip);
}

int tun_write(struct tun *t, const uint8_t *pkt, size_t len,
	      const struct tun_gso *g)
{
	struct tun_head h;
	struct iovec iov[3];
	ssize_t n;

	if (len < 20)
		return -EINVAL;
	tun_head(&h, pkt, g);
	iov[0].iov_base = &h.vh;
	iov[0].iov_len = sizeof(h.vh);
	iov[1].iov_base = h.ip;
	iov[1].iov_len = TUN_HEAD;
	iov[2].iov_base = (void *)(pkt + TUN_HEAD);
	iov[2].iov_len = len - TUN_HEAD;
	n = writev(t->fd, iov, 3);
	if (n < 0)
		return -errno;
	return n == (ssize_t)(sizeof(h.vh) + len) ? 0 : -EIO;
}
