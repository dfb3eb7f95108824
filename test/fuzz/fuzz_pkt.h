/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the packet harnesses (fuzz_xlat, fuzz_nat64) check in everything
 * the core emits, with their own header walk and checksum (not the
 * core's), and abort() on: libFuzzer then reports the input.
 */
#ifndef TEST_FUZZ_FUZZ_PKT_H
#define TEST_FUZZ_FUZZ_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xlat.h"

/* What the caller knows about the call that produced the output. */
struct fuzz_expect {
	uint32_t mtu[2];	/* egress MTU by enum xlat_side */
	bool aggregate;		/* translations may exceed the MTU */
	bool csum_valid;	/* the input's transport checksum was right */
};

/*
 * A harness's fixed configuration (text conf), output arena and an 8-byte
 * aligned input buffer (the core reads headers in place); aborts if any
 * fails.
 */
void fuzz_core_setup(const char *name, const char *conf, struct config *cfg,
		     struct xlat_out *out, uint8_t **buf);

/*
 * Fixes the IPv4 header checksum and, for a whole (unfragmented) TCP,
 * UDP or ICMP packet, the transport checksum of the packet at p (len
 * bytes received), as a sender would have set them.
 */
void fuzz_fix_csums(uint8_t *p, size_t len);
/* True when p is a whole packet whose transport checksum checks out. */
bool fuzz_csum_ok(const uint8_t *p, size_t len);
/* Checks every packet of out (see fuzz_pkt.c); aborts on a violation. */
void fuzz_check_out(const struct xlat_out *out, const struct fuzz_expect *e);

#endif
