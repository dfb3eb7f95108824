/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Translator counters. One table (below) gives each counter its name and a
 * one-line explanation, so that stats output, JSON and documentation can
 * never disagree with the code. The core counts what it receives,
 * translates, keeps and drops; what is sent (tx_*, fragments_out,
 * icmp*_errors_sent) the caller counts with xlat_count_sent() as it
 * sends, after the ICMP rate limit.
 */
#ifndef TRANSLATOR_STATS_H
#define TRANSLATOR_STATS_H

#include "counter_info.h"

#include <stdint.h>

#define XLAT_COUNTERS(X)						\
	X(RX_V6,		"rx_v6",		"IPv6 packets received")				\
	X(RX_V4,		"rx_v4",		"IPv4 packets received")				\
	X(XLAT_6TO4,		"translated_6to4",	"IPv6 packets translated to IPv4")			\
	X(XLAT_4TO6,		"translated_4to6",	"IPv4 packets translated to IPv6")			\
	X(TX_V6,		"tx_v6",		"IPv6 packets sent (translations, fragments, ICMPv6 errors; an aggregate counts once)") \
	X(TX_V4,		"tx_v4",		"IPv4 packets sent (translations, fragments, ICMP errors; an aggregate counts once)") \
	X(FRAGS_OUT,		"fragments_out",	"fragments sent: cut by the translator from packets over the egress MTU") \
	X(ICMP4_ERR_SENT,	"icmp4_errors_sent",	"ICMPv4 errors the translator originated and sent (after icmp-rate)") \
	X(ICMP6_ERR_SENT,	"icmp6_errors_sent",	"ICMPv6 errors the translator originated and sent (after icmp-rate)") \
	X(DROP_TRUNCATED,	"drop_truncated",	"dropped: shorter than its headers say")		\
	X(DROP_MALFORMED,	"drop_malformed",	"dropped: bad version, header length, total length or extension chain") \
	X(DROP_IP4_CSUM,	"drop_ipv4_checksum",	"dropped: IPv4 header checksum wrong (RFC 1812 5.2.2)") \
	X(DROP_UNKNOWN_PROTO,	"drop_unknown_proto",	"dropped: layer-3 protocol not IPv4 or IPv6")		\
	X(DROP_NO_MAPPING,	"drop_no_mapping",	"dropped: an address has no EAMT or pool6 mapping (error sent if it is the source)") \
	X(DROP_DENYLIST,	"drop_denylist",	"dropped: an IPv4 address is denylisted or reserved (error sent if it is the source)") \
	X(DROP_WKP_NON_GLOBAL,	"drop_wkp_non_global",	"dropped: a non-global IPv4 address under 64:ff9b::/96 (RFC 6052 3.1; error sent)") \
	X(DROP_TTL,		"drop_ttl_expired",	"dropped: TTL/hop limit ran out (Time Exceeded sent)")	\
	X(DROP_SRCROUTE,	"drop_source_route",	"dropped: unexpired IPv4 source route (ICMP error sent)") \
	X(DROP_EXT_AFTER_FRAG,	"drop_ext_after_fragment", "dropped: IPv6 extension header after the Fragment header (RFC 7915 5.1)") \
	X(DROP_ROUTING_HDR,	"drop_routing_header",	"dropped: IPv6 routing header with segments left (Parameter Problem sent)") \
	X(DROP_UDP_CSUM_ZERO,	"drop_udp_csum_zero",	"dropped: IPv4 UDP checksum 0 (amend-udp-checksum-zero is off)") \
	X(DROP_UDP6_CSUM_ZERO,	"drop_udp6_csum_zero",	"dropped: IPv6 UDP checksum 0, invalid in IPv6 (RFC 8200 8.1)") \
	X(DROP_FRAG_NEEDED,	"drop_too_big",		"dropped: too big for the egress MTU with DF set (error sent)") \
	X(DROP_ICMP_UNTRANSLATABLE, "drop_icmp_untranslatable", "dropped: ICMP type/code with no counterpart (RFC 7915 4.2/5.2)") \
	X(DROP_ICMP_NESTED,	"drop_icmp_nested",	"dropped: ICMP error inside an ICMP error")		\
	X(DROP_ICMP_INNER,	"drop_icmp_inner",	"dropped: packet inside an ICMP error is malformed or unmappable") \
	X(DROP_FRAGMENTED_ICMP,	"drop_fragmented_icmp",	"dropped: fragmented ICMP not reassembled (checksum cannot be recomputed)") \
	X(DROP_ICMP_CSUM,	"drop_icmp_checksum",	"dropped: ICMP error with a bad checksum")		\
	X(DROP_OUT_OF_SPACE,	"drop_out_of_space",	"dropped: output would exceed the output buffer")	\
	X(DROP_ICMP6_INFO,	"drop_icmpv6_info",	"dropped: ICMPv6 echo request or reply (drop-icmpv6-info)") \
	X(DROP_LOOP,		"drop_own_address",	"dropped: addressed to or from the translator itself") \
	REASM_COUNTERS(X)						\
	NAT64_COUNTERS(X)

/*
 * Reassembly (reasm.h): fragmented ICMP in mode siit, every fragmented
 * packet in mode nat64. A fragment is held, or dropped for one reason.
 */
#define REASM_COUNTERS(X)						\
	X(FRAG_HELD,		"fragments_held",	"fragments kept until their packet is whole (ICMP in mode siit, all in mode nat64, RFC 6146 3.4); not drops") \
	X(REASSEMBLED,		"reassembled",		"packets made whole from their fragments, then translated whole") \
	X(REASM_TIMEOUT,	"reassembly_timeouts",	"packets whose fragments did not all come within 2 s (those held are lost)") \
	X(DROP_FRAG_OVERLAP,	"drop_fragment_overlap", "dropped with its whole packet: fragment overlapping another (RFC 5722)") \
	X(DROP_FRAG_DUP,	"drop_fragment_duplicate", "dropped: exact copy of a fragment held; its packet is kept (RFC 8200 4.5)") \
	X(DROP_FRAG_MALFORMED,	"drop_fragment_malformed", "dropped with its packet: fragment not a multiple of 8 bytes, or past / not at the end the last fragment gives") \
	X(DROP_FRAG_TOO_BIG,	"drop_fragment_too_big", "dropped with its packet: it would reassemble to more than 65535 bytes") \
	X(DROP_FRAG_NO_ROOM,	"drop_fragment_no_room", "dropped: every reassembly slot busy, or the fragment bytes held at their bound")

/* Stateful NAT64 (RFC 6146): events of the state, then drops. */
#define NAT64_COUNTERS(X)						\
	X(NAT64_BIB_ADDED,	"nat64_bib_added",	"NAT64 bindings created (static ones included)")	\
	X(NAT64_SESSION_ADDED,	"nat64_sessions_added",	"NAT64 sessions created")				\
	X(NAT64_SESSION_EXPIRED, "nat64_sessions_expired", "NAT64 sessions ended by their timeout")		\
	X(NAT64_SO_STORED,	"nat64_syn_stored",	"IPv4 SYNs without binding kept for a simultaneous open (RFC 6146 3.5.2.2)") \
	X(NAT64_SO_OPENED,	"nat64_simultaneous_opens", "kept IPv4 SYNs matched by an IPv6 SYN in time")	\
	X(NAT64_POOL4_UNPAIRED,	"nat64_pool4_unpaired",	"bindings given another pool4 address than their host's (its address had no free port)") \
	X(NAT64_DET_BLOCK_FULL,	"nat64_det_block_full",	"new bindings refused: the customer's pool4-deterministic block had no free port (no fallback)") \
	X(NAT64_SO_EXPIRED,	"nat64_syn_unanswered",	"kept IPv4 SYNs answered with port unreachable after the wait") \
	X(NAT64_BLOCK_ADDED,	"nat64_blocks_added",	"port blocks lent to IPv6 prefixes (pool4-block-size)") \
	X(NAT64_BLOCK_HOST_FULL, "nat64_block_host_full", "bindings refused: their prefix's port blocks were full and it had pool4-blocks-per-host of them") \
	X(NAT64_BLOCK_POOL4_FULL, "nat64_block_pool4_full", "bindings refused: their prefix needed a new port block and pool4 had none free") \
	X(NAT64_LOG_DROPPED,	"nat64_log_dropped",	"NAT64 log lines lost: the daemon's log queue was full (logging-bib, logging-session, logging-debug)") \
	X(DROP_NAT64_PROTO,	"drop_nat64_protocol",	"dropped: NAT64 translates TCP, UDP and ICMP only")	\
	X(DROP_NAT64_NO_BIB,	"drop_nat64_no_binding", "dropped: IPv4 packet to an address and port no IPv6 host is bound to") \
	X(DROP_NAT64_NO_SESSION, "drop_nat64_no_session", "dropped: TCP packet other than a SYN without a session") \
	X(DROP_NAT64_FILTERED,	"drop_nat64_filtered",	"dropped: address-dependent filtering (error sent)")	\
	X(DROP_NAT64_EXT_TCP,	"drop_nat64_external_syn", "dropped: IPv4-initiated TCP (drop-externally-initiated-tcp)") \
	X(DROP_NAT64_SO_WAIT,	"drop_nat64_syn_waiting", "dropped: IPv4 SYN repeated while the first one waits") \
	X(DROP_NAT64_SO_FULL,	"drop_nat64_syn_queue_full", "dropped: no room to keep an IPv4 SYN (maximum-simultaneous-opens; error sent)") \
	X(DROP_NAT64_POOL4,	"drop_nat64_pool4_exhausted", "dropped: no free pool4 address and port (error sent)") \
	X(DROP_NAT64_BIB_LIMIT,	"drop_nat64_bib_limit",	"dropped: max-bib-entries reached (error sent)")	\
	X(DROP_NAT64_SESSION_LIMIT, "drop_nat64_session_limit", "dropped: max-sessions reached (error sent)")	\
	X(DROP_NAT64_HOST_LIMIT, "drop_nat64_host_limit", "dropped: max-sessions-per-host reached (error sent)") \
	X(DROP_NAT64_PREFIX_LIMIT, "drop_nat64_prefix_limit", "dropped: max-sessions-per-prefix reached (error sent)") \
	X(DROP_NAT64_NO_MEMORY,	"drop_nat64_no_memory",	"dropped: no memory for a new binding or session")	\
	X(DROP_NAT64_FRAG,	"drop_nat64_fragment",	"dropped: fragment with no reassembly to go to (no state, or an extension header after the Fragment header)")

enum xlat_counter {
#define XLAT_ENUM(id, name, desc) XLAT_CNT_##id,
	XLAT_COUNTERS(XLAT_ENUM)
#undef XLAT_ENUM
	XLAT_CNT_MAX
};

struct xlat_stats {
	uint64_t c[XLAT_CNT_MAX];
};

extern const struct counter_info xlat_counter_info[XLAT_CNT_MAX];

static inline void xlat_count(struct xlat_stats *s, enum xlat_counter c)
{
	if (s)
		s->c[c]++;
}

#endif
