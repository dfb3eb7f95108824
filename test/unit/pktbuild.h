/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet builder and checker for the translation core's unit tests.
 *
 * Everything here is written independently of the core: the checksum,
 * the header walk and the reassembly do not call common/csum.c or the
 * translator's parsers, so a test never verifies the core with its own
 * helpers. Multi-byte fields are written and read in network order.
 */
#ifndef TEST_UNIT_PKTBUILD_H
#define TEST_UNIT_PKTBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "config.h"
#include "stats.h"
#include "xlat.h"

/*
 * Marks a test that exposes a reported core bug: it is skipped so that
 * `make check` stays green, unless built with -DPB_RUN_KNOWN_BUGS.
 */
#ifdef PB_RUN_KNOWN_BUGS
#define PB_KNOWN_BUG() do { } while (0)
#else
#define PB_KNOWN_BUG() skip()
#endif

/* Room for any packet a test builds (IP maximum plus slack). */
#define PB_MAX		70000u

/* The conformance default SIIT setup (see README of the graybox cases). */
extern const char pb_default_conf[];

/* A translator instance: configuration, counters, context and output. */
struct pb_env {
	struct config cfg;
	struct xlat_stats st;
	struct xlat_ctx ctx;
	struct xlat_out out;
	int64_t now_ms;		/* xlat_in.now_ms of pb_run */
	unsigned int in_flags;	/* xlat_in.flags of pb_run (XLAT_IN_*) */
};

/*
 * Parses pb_default_conf followed by the lines of extra (NULL for none)
 * and prepares env. Fails the running cmocka test on any error.
 */
void pb_env_setup(struct pb_env *env, const char *extra);
/* The same with text as the whole configuration (no default lines). */
void pb_env_setup_text(struct pb_env *env, const char *text);
void pb_env_teardown(struct pb_env *env);
/* Resets the output and translates one packet. */
enum xlat_verdict pb_run(struct pb_env *env, enum xlat_side from,
			 const uint8_t *pkt, size_t len);
uint64_t pb_cnt(const struct pb_env *env, enum xlat_counter c);
/* Sum of every drop_* counter. */
uint64_t pb_drops(const struct pb_env *env);

/*
 * cmocka fixtures: *state is a heap pb_env with the default setup;
 * pb_reconf replaces it with the default setup plus extra lines.
 */
int pb_setup(void **state);
int pb_teardown(void **state);
struct pb_env *pb_reconf(void **state, const char *extra);

/*
 * Asserts that out holds exactly one packet, leaving through side, of len
 * bytes (0: any length), whose IP length field matches, and (IPv4) whose
 * header is 20 bytes with a valid checksum. Returns its bytes.
 */
const uint8_t *pb_one(const struct pb_env *env, enum xlat_side side,
		      size_t len);
/* The same checks for packet i of out. */
void pb_check_pkt(const struct xlat_out_pkt *op);

/* Bytes and addresses ---------------------------------------------------- */

/* common/bytes.h under the names the tests' call sites use. */
#define pb_rd16	rd16
#define pb_rd32	rd32
#define pb_wr16	wr16
#define pb_wr32	wr32
/* Text to binary address; aborts the test on a typo. */
void pb_a4(const char *s, uint8_t out[4]);
void pb_a6(const char *s, uint8_t out[16]);
/* True when the 4 (16) bytes at p are the address s. */
bool pb_is_a4(const uint8_t *p, const char *s);
bool pb_is_a6(const uint8_t *p, const char *s);
/* Deterministic filler: byte i is (seed + i * 7) mod 256. */
void pb_pattern(uint8_t *buf, size_t len, uint8_t seed);

/* Independent Internet checksum (RFC 1071) ------------------------------ */

/* Adds len bytes to a 32-bit accumulator, 16-bit big-endian words. */
uint32_t pb_sum(const void *data, size_t len, uint32_t acc);
/* Folds to 16 bits (host order), without complementing. */
uint16_t pb_fold(uint32_t acc);
/* Checksum field value (host order) for data plus acc. */
uint16_t pb_cksum(const void *data, size_t len, uint32_t acc);
uint32_t pb_pseudo4(const uint8_t *src, const uint8_t *dst, uint8_t proto,
		    uint32_t len);
uint32_t pb_pseudo6(const uint8_t *src, const uint8_t *dst, uint8_t proto,
		    uint32_t len);

/* Transport builders: header + data at buf, checksum 0; return length. */
size_t pb_udp(uint8_t *buf, uint16_t sport, uint16_t dport,
	      const void *data, size_t len);
size_t pb_tcp(uint8_t *buf, uint16_t sport, uint16_t dport, uint32_t seq,
	      const void *data, size_t len);
/* rest is the 32-bit word after the checksum (id/seq, MTU, pointer...). */
size_t pb_icmp(uint8_t *buf, uint8_t type, uint8_t code, uint32_t rest,
	       const void *data, size_t len);

/* IPv4 ---------------------------------------------------------------- */

struct pb4 {
	const char *src, *dst;
	uint8_t tos;
	uint8_t ttl;		/* 0 means 64 */
	uint8_t proto;
	uint16_t id;
	bool df, mf;
	uint16_t off;		/* fragment offset in bytes (multiple of 8) */
	const uint8_t *opt;	/* options, optlen a multiple of 4 (<= 40) */
	size_t optlen;
	bool keep_csum;		/* leave the transport checksum as given */
};

/*
 * Writes an IPv4 packet carrying l4 (l4len bytes): header checksum, and
 * unless keep_csum the UDP/TCP/ICMP checksum over l4 as a whole datagram.
 * Returns the total length.
 */
size_t pb_ip4(uint8_t *buf, const struct pb4 *h, const void *l4,
	      size_t l4len);
/*
 * One fragment of the complete IPv4 packet whole: its header (options
 * included) and n payload bytes from offset off; flags and checksum fixed.
 */
size_t pb_frag4(uint8_t *buf, const uint8_t *whole, size_t off, size_t n,
		bool mf);

/* IPv6 ---------------------------------------------------------------- */

/* An extension header: data[0..1] (Next Header, length) are filled in. */
struct pb_ext {
	uint8_t type;		/* 0, 43, 60 (Fragment: use pb6.frag) */
	const uint8_t *data;
	size_t len;		/* multiple of 8, >= 8 */
};

struct pb6 {
	const char *src, *dst;
	uint8_t tc;
	uint32_t flow;
	uint8_t hlim;		/* 0 means 64 */
	uint8_t proto;		/* upper-layer protocol */
	const struct pb_ext *ext;
	size_t n_ext;
	bool frag;		/* add a Fragment header (after ext...) */
	bool frag_first;	/* (...or before them) */
	bool mf;
	uint16_t off;
	uint32_t id;
	bool keep_csum;
};

size_t pb_ip6(uint8_t *buf, const struct pb6 *h, const void *l4,
	      size_t l4len);
/*
 * One fragment of whole, an IPv6 packet without extension headers:
 * inserts a Fragment header (id) and copies n bytes from off.
 */
size_t pb_frag6(uint8_t *buf, const uint8_t *whole, size_t off, size_t n,
		bool mf, uint32_t id);

/* Checks ---------------------------------------------------------------- */

/* IPv4 header checksum (over IHL * 4 bytes) is right. */
bool pb_ip4_hdr_ok(const uint8_t *p);
/*
 * Folded sum of the transport part with its pseudo-header (none for
 * ICMPv4): 0xffff when the checksum is right. A packet with a wrong
 * checksum keeps its residue through an RFC 1624 update.
 */
uint16_t pb_l4_resid4(const uint8_t *p);
uint16_t pb_l4_resid6(const uint8_t *p);
/*
 * Offset of the upper layer of an IPv6 packet (after Hop-by-Hop, Routing,
 * Destination Options and Fragment headers); *proto gets its type.
 * Returns 0 when the chain runs past len.
 */
size_t pb_ip6_l4(const uint8_t *p, size_t len, uint8_t *proto);

/*
 * Reassembles the fragments (and/or whole packets) of side side found in
 * env->out into buf: the upper-layer bytes, in order. Fails the test on
 * overlap, gap, mixed ids or protocols. *proto and *id get the common
 * values. Returns the reassembled length.
 */
size_t pb_reasm6(const struct xlat_out *out, uint8_t *buf, uint8_t *proto,
		 uint32_t *id);
size_t pb_reasm4(const struct xlat_out *out, uint8_t *buf, uint8_t *proto,
		 uint16_t *id);

/* RFC 4884 extension structure with one object (len bytes in total). */
size_t pb_icmp_ext(uint8_t *buf, size_t obj_data_len);

#endif
