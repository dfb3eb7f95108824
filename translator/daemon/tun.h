/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Egress through a TUN device opened with IFF_VNET_HDR (`egress tun`).
 *
 * A packet written to the device enters the kernel as if received on it
 * and is forwarded like any other. Each write starts with a virtio_net
 * header, which can mark a TCP aggregate for segmentation: the kernel
 * (or the NIC) then cuts it at the last moment, after the route is known,
 * as its own TSO/GSO path does for local traffic (seed 003). One 64 KB
 * write replaces some 45 sends.
 */
#ifndef TRANSLATOR_TUN_H
#define TRANSLATOR_TUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TUN_NAMSIZ	16
#define TUN_SYSCTLS	6

/* A sysctl tun_open changed, and the value it had before. */
struct tun_sysctl {
	char path[96];
	char old[24];
};

struct tun {
	int fd;
	int ifindex;
	char name[TUN_NAMSIZ];
	struct tun_sysctl changed[TUN_SYSCTLS];
	int nchanged;
};

/* How to segment a TCP aggregate (the kernel's gso_size/gso_type). */
struct tun_gso {
	uint16_t mss;		/* payload bytes per segment */
	uint16_t l4_off;	/* offset of the TCP header */
	uint16_t hdrs;		/* IP + TCP header bytes */
};

/*
 * Creates (or attaches to) the TUN device name, brings it up and lets
 * the kernel forward what arrives on it (per-device forwarding on, reverse
 * path filter off: sources are the translated addresses; IPv6 forwarding
 * on for the whole host, as the kernel decides it globally). -1 + message.
 * tun_close puts back the sysctls tun_open changed (those already set as
 * needed are left alone), then closes the device.
 */
int tun_open(struct tun *t, const char *name, bool multi, char *err,
	     size_t errlen);
/*
 * multi: the device has one queue per file descriptor (IFF_MULTI_QUEUE),
 * one per worker, so that workers write without sharing a descriptor;
 * tun_attach opens one more queue of the device first opened with multi
 * (it changes no sysctl: tun_close of it puts none back).
 */
int tun_attach(struct tun *t, const struct tun *first, char *err,
	       size_t errlen);
void tun_close(struct tun *t);

/*
 * Writes one IPv4 or IPv6 packet. With g, the packet is a TCP aggregate
 * whose checksum field holds the pseudo-header sum (dgso_csum_partial):
 * the kernel segments it to g->mss and completes every checksum. Without
 * g the packet must be complete. The TTL / hop limit goes in one higher
 * than given, because the kernel's forwarding takes one off again.
 * Returns 0 or -errno.
 */
int tun_write(struct tun *t, const uint8_t *pkt, size_t len,
	      const struct tun_gso *g);

#endif
