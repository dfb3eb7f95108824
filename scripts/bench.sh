#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench.sh: throughput, packet and connection rates of translatord (SIIT
# with egress raw and egress tun, NAT64; with `workers 1`, `workers 2`,
# ...) against TAYGA (Debian `tayga`) and plain kernel IPv6 forwarding,
# with offloads on and off, on the network of scripts/topology.sh.
#
#   sudo scripts/bench.sh [--time S] [--runs N] [--only MODE]...
#                         [--offloads on|off|both] [--workers "N..."|none]
#                         [--tests "GROUP..."]
#
# MODE: raw (translatord, SIIT, `egress raw`; "translatord" is the same),
# tun (translatord, SIIT, `egress tun`), nat64 (translatord, stateful
# NAT64 with examples/nat64.conf, `egress tun`: IPv6-initiated tests only,
# so no "many 4>6"), tayga, kernel; default all five.
# Workers: translatord runs once per N with `workers N` in its
# configuration (default "1 2", plus the number of online CPUs when that
# is more); "none" writes no `workers` line (a translatord without it).
# Offloads: TSO, GSO and GRO on (or off) on every veth; default both.
# GROUP: tcp (tcp1, tcp4), udp (udp64, one flow), many (udp64 many,
# udp1200 many), conn, mtu1280; default all.
# Per mode and offload setting, each test RUNS times (default 3), S seconds
# each (default 5), reporting the median:
#   tcp1 6>4 / 4>6   one iperf3 TCP stream, IPv6 host -> IPv4 host and back
#   tcp4 6>4 / 4>6   four streams (-P 4)
#   udp64 6>4 / 4>6  64-byte UDP datagrams, unlimited rate: packets/s received
#                    (one flow: iperf3)
#   udp64 many, udp1200 many 6>4 / 4>6
#                    64- and 1200-byte datagrams over 64 flows from 4
#                    source addresses, unlimited rate, one sender and one
#                    receiver thread per CPU (test/perf/udpflood, sendmmsg
#                    and recvmmsg): packets/s received
#   conn 6>4         new TCP connections per second, IPv6 host -> IPv4 host
#                    (test/perf/connrate: 64 connects in flight from 2
#                    source addresses, each reset once established; RFC
#                    9693's connection establishment rate): through the
#                    NAT64 each is a new session. Its CPU column is the
#                    translator's CPU per connection (ns).
#   tcp1 6>4 / 4>6 mtu1280
#                    one TCP stream with the IPv6 host's link at MTU 1280
#                    (topology.sh --mtu6 1280; the IPv4 link stays 1500):
#                    segments of at most 1220 bytes of payload, which
#                    translatord cuts in userspace when it cannot tell the
#                    sender's segment size.
# and the CPU time per GB delivered: "proc" is the translator process alone
# (translatord or tayga; the kernel baseline has none), "all" is every CPU
# of the machine (senders, receivers, softirqs and translator together).
# For UDP, the translator's CPU per packet (ns): its CPU time (all
# threads) over the packets it took from its queues (`transctl stats`
# nfq_rx; TAYGA, which counts nothing: over the packets received).
# Tables: rates with each one's ratio to the kernel at the same offload
# setting; CPU; CPU per packet; workers N / workers 1 per mode; and
# offloads on / off per mode.
# The kernel baseline routes IPv6 to an IPv6 address given to the IPv4 host
# for the purpose (2001:db8:ffff::2): the cost of forwarding without
# translation. TAYGA needs forwarding on in the router namespace (the
# kernel routes what its TUN device receives); translatord's `egress tun`
# turns on what it needs itself.
# BENCH_CONF: lines added to every translatord configuration (e.g.
# BENCH_CONF="tun-batch 0" for one TUN writev per packet).
# Needs iperf3 and tayga (apt-get install iperf3 tayga), and `make` for
# test/perf/udpflood and test/perf/connrate. See docs/performance.md.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
TIME=5
RUNS=3
MODES=()
OFFLOADS=(on off)
NCPU=$(nproc)
WORKERS="1 2"
TESTS="tcp udp many conn mtu1280"
[ "$NCPU" -le 2 ] || WORKERS="1 2 $NCPU"
PREFIX="bn$$"
H6="$PREFIX-h6" XL="$PREFIX-xl" H4="$PREFIX-h4"
TMP=$(mktemp -d)
RESULTS="$TMP/results.tsv"
. "$SRC/scripts/bench-lib.sh"

cleanup() {
	set +e
	stop_peer
	"$SRC/scripts/topology.sh" down --prefix "$PREFIX" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

usage() { awk 'NR > 2 && !/^#/ { exit } NR > 2' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case "$1" in
	--time) TIME=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--only)
		case "$2" in
		translatord) MODES+=(raw) ;;
		raw | tun | nat64 | tayga | kernel) MODES+=("$2") ;;
		*) echo "bench.sh: --only raw|tun|nat64|tayga|kernel" >&2; exit 2 ;;
		esac
		shift ;;
	--offloads)
		case "$2" in
		on | off) OFFLOADS=("$2") ;;
		both) OFFLOADS=(on off) ;;
		*) echo "bench.sh: --offloads on|off|both" >&2; exit 2 ;;
		esac
		shift ;;
	--workers)
		case "$2" in
		none) WORKERS= ;;
		*[!0-9\ ]* | "" | " " | 0 | "0 "* | *" 0" | *" 0 "*)
			echo "bench.sh: --workers \"N...\" (numbers >= 1) or none" >&2
			exit 2 ;;
		*) WORKERS=$2 ;;
		esac
		shift ;;
	--tests)
		for t in $2; do
			case "$t" in
			tcp | udp | many | conn | mtu1280) ;;
			*) echo "bench.sh: --tests \"tcp udp many conn mtu1280\"" >&2
			   exit 2 ;;
			esac
		done
		TESTS=$2
		shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ ${#MODES[@]} -gt 0 ] || MODES=(kernel raw tun nat64 tayga)
[ "$(id -u)" = 0 ] || { echo "bench.sh: run as root" >&2; exit 1; }
need() {
	command -v "$1" >/dev/null || { echo "bench.sh: no $1 (apt-get install $1)" >&2; exit 1; }
}
need iperf3
case " ${MODES[*]} " in *" tayga "*) need tayga ;; esac

want() { case " $TESTS " in *" $1 "*) return 0 ;; esac; return 1; }

# expand_modes: translatord's modes once per worker count ("raw:w2").
expand_modes() {
	local m w
	for m in "${MODES[@]}"; do
		case "$m" in
		raw | tun | nat64)
			if [ -z "$WORKERS" ]; then
				echo "$m"
			else
				for w in $WORKERS; do echo "$m:w$w"; done
			fi ;;
		*) echo "$m" ;;
		esac
	done
}

run_mode() {
	local mode=$1 offl=$2 r
	echo "== $mode, offloads $offl" >&2
	split_mode "$mode"
	"setup_$BASE" "$offl"
	start_servers
	sleep 1
	for r in $(seq "$RUNS"); do
		echo "   run $r/$RUNS" >&2
		if want tcp; then
			run_iperf "$mode" "$offl" "tcp1 6>4"
			run_iperf "$mode" "$offl" "tcp1 4>6" -R
			run_iperf "$mode" "$offl" "tcp4 6>4" -P 4
			run_iperf "$mode" "$offl" "tcp4 4>6" -P 4 -R
		fi
		if want udp; then
			run_iperf "$mode" "$offl" "udp64 6>4" -u -b 0 -l 64
			run_iperf "$mode" "$offl" "udp64 4>6" -u -b 0 -l 64 -R
		fi
		if want many; then
			run_flood "$mode" "$offl" "udp64 many 6>4" "6>4" 64
			[ "$BASE" = nat64 ] ||
			run_flood "$mode" "$offl" "udp64 many 4>6" "4>6" 64
			run_flood "$mode" "$offl" "udp1200 many 6>4" "6>4" 1200
			[ "$BASE" = nat64 ] ||
			run_flood "$mode" "$offl" "udp1200 many 4>6" "4>6" 1200
		fi
		if want conn; then
			run_conn "$mode" "$offl" "conn 6>4"
		fi
	done
	teardown
}

# run_mtu1280 MODE OFFLOADS: one TCP stream each way with the IPv6 host's
# link (to the router) at MTU 1280.
run_mtu1280() {
	local mode=$1 offl=$2 r
	echo "== $mode, offloads $offl, IPv6 link MTU 1280" >&2
	split_mode "$mode"
	"setup_$BASE" "$offl" --mtu6 1280
	start_servers
	sleep 1
	for r in $(seq "$RUNS"); do
		echo "   run $r/$RUNS" >&2
		run_iperf "$mode" "$offl" "tcp1 6>4 mtu1280"
		run_iperf "$mode" "$offl" "tcp1 4>6 mtu1280" -R
	done
	teardown
}

for p in translator/translatord usr/transctl test/perf/udpflood \
	test/perf/connrate; do
	if [ ! -x "$BUILD/$p" ]; then
		echo "bench.sh: no $p: build first (make; not configured with --disable-tests), or set BUILD=DIR" >&2
		exit 1
	fi
done
mapfile -t ALL_MODES < <(expand_modes)
for o in "${OFFLOADS[@]}"; do
	for m in "${ALL_MODES[@]}"; do
		[ "$TESTS" = mtu1280 ] || run_mode "$m" "$o"
		! want mtu1280 || run_mtu1280 "$m" "$o"
	done
done

python3 "$SRC/scripts/bench-report.py" "$RESULTS" "$TIME" "$RUNS"
