/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Counters of the forwarding plane around the core: queueing, checksum
 * completion, aggregate segmentation, egress. Same table layout as
 * stats.h, so every counter carries its own explanation.
 */
#ifndef TRANSLATOR_DAEMON_STATS_H
#define TRANSLATOR_DAEMON_STATS_H

#include "counter_info.h"

#include <stdint.h>

#define DSTAT_COUNTERS(X)						\
	X(NFQ_RX,		"nfq_rx",		"packets received from the queues")			\
	X(NFQ_RX_BATCHES,	"nfq_rx_batches",	"recvmmsg() calls that returned packets")		\
	X(NFQ_RECV_ERR,		"nfq_recv_errors",	"recvmmsg() failures other than EAGAIN/EINTR")		\
	X(NFQ_NLMSG_ERR,	"nfq_netlink_errors",	"netlink error messages received from the kernel (e.g. a verdict for an unknown id)") \
	X(NFQ_BAD_MSG,		"nfq_bad_messages",	"queue messages without packet header or payload")	\
	X(VERDICT_BATCHES,	"verdict_batches",	"batch verdicts sent (NFQNL_MSG_VERDICT_BATCH)")		\
	X(VERDICT_SINGLE,	"verdict_single",	"single verdicts sent (exceptions to a batch)")		\
	X(VERDICT_ERR,		"verdict_send_errors",	"verdict messages that could not be sent")		\
	X(ACCEPT_FAIL_OPEN,	"accept_fail_open",	"packets accepted untranslated because fail-open is on and translation failed") \
	X(LOCAL_HANDBACK,	"local_handed_back",	"ICMP to a pool4 address of the host itself about nothing pool4 lent (its own pings, errors): given back to the host") \
	X(DROP_CAPLEN,		"drop_oversize",	"dropped: the kernel copied less than the packet (NFQA_CAP_LEN > payload, e.g. BIG TCP)") \
	X(DROP_NOT_IP,		"drop_not_ip",		"dropped: queued payload is neither IPv4 nor IPv6")	\
	X(CSUM_COMPLETED,	"csum_completed",	"packets whose partial layer-4 checksum was completed (NFQA_SKB_CSUMNOTREADY)") \
	X(CSUM_UNSUPPORTED,	"drop_csum_unsupported", "dropped: partial checksum on a packet whose layer 4 could not be found") \
	X(GSO_RX,		"gso_aggregates",	"GSO/GRO aggregates received (NFQA_SKB_GSO)")		\
	X(GSO_SEGMENTED,	"gso_segmented",	"aggregates split because they exceed the egress MTU once translated") \
	X(GSO_SEGMENTS,		"gso_segments",		"segments produced by splitting aggregates")		\
	X(GSO_DROP,		"drop_gso",		"dropped: an aggregate that is not plain TCP or cannot be split") \
	X(GSO_CAPPED,		"gso_ingress_capped",	"aggregates cut smaller than the egress MTU allows: no larger than the ingress link carries") \
	X(GSO_SIZE_UNKNOWN,	"gso_size_unknown",	"aggregates cut to 1260-byte IPv4 / 1280-byte IPv6 packets: no larger segment of their flow came alone lately (sender's size unknown)") \
	X(GSO_SIZE_SEEN,	"gso_size_seen",	"aggregates cut to the largest segment their sender was lately seen sending alone") \
	X(GSO_PEER_MSS,		"gso_peer_mss_capped",	"aggregates cut to the MSS their receiver announced in its SYN") \
	X(SEGSIZE_FLOWS,	"segsize_flows",	"TCP flows entered in the segment size table")		\
	X(SEGSIZE_EVICTED,	"segsize_evicted",	"live flows pushed out of the segment size table (a set was full)") \
	X(SEGSIZE_RAISED,	"segsize_raised",	"segments that came alone and raised their flow's known segment size") \
	X(SEGSIZE_STALE,	"segsize_stale",	"known segment sizes forgotten: an aggregate of the flow was no larger") \
	X(GSO_TUN,		"gso_tun_aggregates",	"aggregates written whole to the TUN device for the kernel's GSO") \
	X(GSO_TUN_SEGMENTS,	"gso_tun_segments",	"segments the kernel cuts from those (payload / gso_size, rounded up)") \
	X(ICMP_FN_SENT,		"icmp_frag_needed_sent", "ICMPv4 Fragmentation Needed originated and sent")	\
	X(ICMP_PTB_SENT,	"icmp_ptb_sent",	"ICMPv6 Packet Too Big originated and sent")		\
	X(ICMP_RATE_LIMITED,	"icmp_rate_limited",	"ICMP errors not sent: over icmp-rate / icmp-burst")	\
	X(PMTU_LEARNED,		"pmtu_learned",		"path MTUs learned from Fragmentation Needed / Packet Too Big being translated") \
	X(ROUTE_QUERIES,	"route_queries",	"RTM_GETROUTE queries sent (route MTU cache misses)")	\
	X(ROUTE_ERRORS,		"route_errors",		"route queries that failed (netlink error or timeout)")	\
	X(ROUTE_NO_ROUTE,	"route_no_route",	"route queries answered with no route")			\
	X(NOTES_IN,		"worker_notes",		"path MTUs and SYN MSSs learned from another worker (workers > 1)") \
	X(NOTES_LOST,		"worker_notes_lost",	"such notes lost: the worker's inbox was full (a hint, learned again later)") \
	X(XLAT_DROP,		"xlat_dropped",		"packets the core dropped (see the core counters for why; fragments it keeps are not drops)") \
	X(TX_V4,		"tx_v4_sent",		"IPv4 packets handed to the raw socket")		\
	X(TX_V6,		"tx_v6_sent",		"IPv6 packets handed to the raw socket")		\
	X(TX_BATCHES,		"tx_batches",		"sendmmsg() calls")					\
	X(TX_ERR_MSGSIZE,	"tx_err_msgsize",	"send failed: EMSGSIZE, larger than the egress device MTU") \
	X(TX_ERR_UNREACH,	"tx_err_unreachable",	"send failed: no route (ENETUNREACH/EHOSTUNREACH)")	\
	X(TX_ERR_NOBUFS,	"tx_err_nobufs",	"send failed: ENOBUFS/EAGAIN, device queue or socket buffer full") \
	X(TX_ERR_PERM,		"tx_err_perm",		"send failed: EPERM/EACCES, refused by a firewall rule")	\
	X(TX_ERR_INVAL,		"tx_err_invalid",	"send failed: EINVAL, the kernel refused the packet's headers") \
	X(TX_ERR_OTHER,		"tx_err_other",		"send failed: any other errno")				\
	X(TX_DIRECT,		"tx_direct",		"packets the core wrote straight into an egress batch slot (raw or TUN): no copy") \
	X(TX_COPIED_BYTES,	"tx_copied_bytes",	"bytes copied from the core's output into an egress batch (segments, ICMP errors, multi-packet results)") \
	X(TX_DROP_NOSPACE,	"tx_drop_nospace",	"not sent: packet larger than the egress batch buffer")	\
	X(TX_TUN,		"tx_tun",		"packets written to the TUN device (egress tun)")	\
	X(TX_TUN_ERR,		"tx_tun_errors",	"TUN writes that failed")				\
	X(TX_TUN_BATCHES,	"tx_tun_batches",	"io_uring submissions of queued TUN packets (tun-batch)") \
	X(OFFL_CHECKS,		"offloads_checks",	"offloads re-checks at run time (link events, offloads-check-interval)") \
	X(OFFL_RISKY,		"offloads_risky_seen",	"risky offload settings that appeared at run time (each logged once)") \
	X(OFFL_FIXED,		"offloads_fixed",	"risky offload settings turned off at run time (offloads-fix yes)") \
	X(OFFL_ERRORS,		"offloads_check_errors", "re-checks that failed (interface gone, netlink error)") \
	X(RELOAD_OK,		"reloads",		"successful configuration reloads")			\
	X(RELOAD_FAIL,		"reload_failures",	"reloads refused (bad file); the running configuration stayed") \
	X(CTL_REQUESTS,		"control_requests",	"control socket requests served")			\
	X(CTL_REFUSED,		"control_refused",	"control connections refused or cut (not root, all slots replying, idle when a slot was needed, timed out)") \
	X(CTL_BAD_REQUEST,	"control_bad_requests",	"control requests refused whole: longer than 256 bytes, a NUL byte, or empty")

enum dstat_counter {
#define DSTAT_ENUM(id, name, desc) DSTAT_##id,
	DSTAT_COUNTERS(DSTAT_ENUM)
#undef DSTAT_ENUM
	DSTAT_MAX
};

struct dstats {
	uint64_t c[DSTAT_MAX];
};

extern const struct counter_info dstat_info[DSTAT_MAX];

static inline void dstat_inc(struct dstats *s, enum dstat_counter c)
{
	s->c[c]++;
}

static inline void dstat_add(struct dstats *s, enum dstat_counter c,
			     uint64_t n)
{
	s->c[c] += n;
}

/*
 * Kernel-side queue counters from /proc/net/netfilter/nfnetlink_queue
 * for one queue number. Returns -1 when the queue is not listed.
 */
struct dstat_kqueue {
	uint32_t queue_total;	/* packets waiting for a verdict now */
	uint64_t queue_dropped;	/* dropped: queue full (queue-maxlen) */
	uint64_t user_dropped;	/* dropped: netlink socket buffer full */
	uint32_t id_sequence;	/* last packet id handed out */
};

int dstat_kqueue_read(uint16_t queue, struct dstat_kqueue *out);

#endif
