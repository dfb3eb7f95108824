#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-tun.sh: should translatord batch its TUN egress? (issue 12)
#
#   sudo scripts/bench-tun.sh [--count N] [--payload B] [--batches "B..."]
#
# test/perf/tunbatch writes N (default 1000000) small UDP packets (B bytes
# of payload, default 64: 92-byte IPv4, 112-byte IPv6 packets, what 64-byte
# UDP becomes after translation) to a TUN device opened as translatord
# opens it (IFF_VNET_HDR), each way in turn:
#   writev       one writev() per packet, as translatord does today
#   uring B      io_uring, B writev requests per io_uring_submit_and_wait()
#                (B from --batches, default "8 32 128")
#   sqpoll 32    the same with a kernel submission thread (SQPOLL)
# The TUN device lives in a namespace that forwards the packets out of a
# veth to a peer namespace that drops them (no route: forwarding off there);
# the peer's rx_packets counts what arrived. Prints packets/s, the CPU time
# per packet of the writing process (all its threads) and of the machine.
# Without liburing-dev at build time only writev runs.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
COUNT=1000000
PAYLOAD=64
BATCHES="8 32 128"
P="bt$$"
A="$P-a" B="$P-b"

while [ $# -gt 0 ]; do
	case "$1" in
	--count) COUNT=$2; shift ;;
	--payload) PAYLOAD=$2; shift ;;
	--batches) BATCHES=$2; shift ;;
	-h | --help) awk 'NR > 2 && !/^#/ { exit } NR > 2' "$0" |
		sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-tun.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "bench-tun.sh: run as root" >&2; exit 1; }
TB="$BUILD/test/perf/tunbatch"
[ -x "$TB" ] || { echo "bench-tun.sh: no $TB: make first" >&2; exit 1; }

cleanup() {
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A: TUN tb0 (10.99.0.0/24, fd00:99::/64 behind it) forwarding to veth va;
# B: vb, no addresses, forwarding off: what arrives is dropped.
ip netns add "$A"
ip netns add "$B"
ip -n "$A" link set lo up
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" link set va up
ip -n "$B" link set vb up
ip netns exec "$A" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.default.accept_dad=0
ip -n "$A" addr add 10.98.0.1/24 dev va
ip -n "$A" -6 addr add fd00:98::1/64 dev va nodad
MAC=$(ip netns exec "$B" cat /sys/class/net/vb/address)
ip -n "$A" neigh add 10.98.0.3 lladdr "$MAC" dev va nud permanent
ip -n "$A" -6 neigh add fd00:98::3 lladdr "$MAC" dev va nud permanent
ip netns exec "$A" ip tuntap add dev tb0 mode tun vnet_hdr
ip -n "$A" link set tb0 up
ip -n "$A" addr add 10.99.0.1/24 dev tb0
ip -n "$A" -6 addr add fd00:99::1/64 dev tb0 nodad

rx() { ip netns exec "$B" cat /sys/class/net/vb/statistics/rx_packets; }

# one FAMILY MODE BATCH
one() {
	local r0 r1 out
	r0=$(rx)
	out=$(ip netns exec "$A" "$TB" -n "$COUNT" -s "$PAYLOAD" "-$1" -m "$2" \
		-b "$3" tb0) || { echo "$out"; return 0; }
	r1=$(rx)
	echo "$out, arrived $((r1 - r0))"
}

echo "tunbatch: $COUNT packets of $PAYLOAD-byte UDP payload each, $(nproc) CPUs"
for fam in 4 6; do
	one "$fam" writev 1
	if "$TB" -m uring -n 1 tb-none 2>&1 | grep -q "without liburing"; then
		echo "io_uring variants skipped: built without liburing-dev"
		continue
	fi
	for b in $BATCHES; do
		one "$fam" uring "$b"
	done
	one "$fam" sqpoll 32
done
