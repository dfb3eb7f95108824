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
#include <linux/virtio_net.h>

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

/* Bytes of the IP header rewritten on the way in: up to the checksum. */
#define TUN_HEAD	12u

/* What goes before the packet's bytes past TUN_HEAD in one write. */
struct tun_head {
	struct virtio_net_hdr vh;
	uint8_t ip[TUN_HEAD];		/* the packet's first bytes, rewritten */
};

/*
 * Fills h for pkt (at least 20 bytes) as tun_write sends it: the
 * virtio_net header (g: as below) and the IP head with the hop given back.
 */
void tun_head(struct tun_head *h, const uint8_t *pkt,
	      const struct tun_gso *g);

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

/*
 * tun_batch.c: complete packets (no GSO) queued and written max at a
 * time through io_uring, one system call per batch instead of one per
 * packet (docs/performance.md). Each packet is in a slot with its
 * header: written there by the core (tun_batch_reserve), else copied,
 * so the caller may reuse its buffer at once. Written in
 * the order queued; the caller flushes before any tun_write on the same
 * device and before it sleeps. Without liburing, or when the ring cannot
 * be set up, max stays 0 and the caller writes one packet at a time.
 */
#define TUN_BATCH_MAX	64
/* Header and packet of one slot: larger packets are written directly. */
#define TUN_BATCH_SLOT	2048u
/*
 * A slot: 6 bytes unused, the virtio_net header (10), then the packet
 * from offset 16, 8-byte aligned as the core writes it (tun_batch_reserve).
 */
#define TUN_BATCH_PAD	6u
#define TUN_BATCH_IP	16u

struct tun_batch;

/*
 * Writes slots [0, b->n) in that order, storing each one's result
 * (bytes written or -errno) in res[i]; the io_uring writer by default,
 * a fake one in the unit test.
 */
typedef void (*tun_batch_submit_fn)(struct tun_batch *b, int32_t *res);

struct tun_batch {
	int fd;				/* the TUN queue written to */
	unsigned int max;		/* packets a submission; 0: off */
	unsigned int n;			/* queued */
	uint8_t *slots;			/* max * TUN_BATCH_SLOT bytes */
	uint32_t len[TUN_BATCH_MAX];	/* bytes of each slot */
	void *ring;			/* struct io_uring */
	tun_batch_submit_fn submit;
	uint64_t written;		/* packets written whole, */
	uint64_t failed;		/* and not, */
	uint64_t submits;		/* batches: the caller takes them */
	uint64_t direct;		/* packets written in their slot, */
	uint64_t copied;		/* bytes copied into one */
	char msg[160];			/* set once when batching stopped */
};

/*
 * max packets a submission (0 or 1: none, returns 0 with b off). -1
 * with the reason in err, b off: the caller writes one packet at a time.
 */
int tun_batch_init(struct tun_batch *b, int fd, unsigned int max,
		   char *err, size_t errlen);
/* Flushes what is queued, then frees. */
void tun_batch_free(struct tun_batch *b);
/* What slot i hands to write(2): its virtio_net header, then the packet. */
static inline uint8_t *tun_batch_buf(const struct tun_batch *b, unsigned int i)
{
	return b->slots + (size_t)i * TUN_BATCH_SLOT + TUN_BATCH_PAD;
}

/*
 * Where the next packet may be written (at TUN_BATCH_IP in the next
 * slot) for tun_batch_add to take it without a copy, and its room; NULL
 * when batching is off. Nothing is queued until then: a slot given up
 * is written over by the next packet. Valid until the next add or flush.
 */
static inline uint8_t *tun_batch_reserve(struct tun_batch *b, size_t *room)
{
	if (!b->max)
		return NULL;
	/* n < max: a full batch was written when its last slot was added. */
	*room = TUN_BATCH_SLOT - TUN_BATCH_IP;
	return b->slots + (size_t)b->n * TUN_BATCH_SLOT + TUN_BATCH_IP;
}
/*
 * Queues pkt (complete, as for tun_write without g); writes the batch
 * when it is full. pkt is taken in place when it is the reserved slot
 * (direct), else copied (copied). -1: not queued (b off, or too large
 * for a slot, or too short): flush, then tun_write it.
 */
int tun_batch_add(struct tun_batch *b, const uint8_t *pkt, size_t len);
/* Writes what is queued, in order, and counts it in written / failed. */
void tun_batch_flush(struct tun_batch *b);

#endif
