#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench.sh: throughput of translatord (egress raw and egress tun) against
# TAYGA (Debian `tayga`) and plain kernel IPv6 forwarding, with offloads
# on and off, on the network of scripts/topology.sh.
#
#   sudo scripts/bench.sh [--time S] [--runs N] [--only MODE]...
#                         [--offloads on|off|both]
#
# MODE: raw (translatord, `egress raw`; "translatord" is the same), tun
# (translatord, `egress tun`), tayga, kernel; default all four.
# Offloads: TSO, GSO and GRO on (or off) on every veth; default both.
# Per mode and offload setting, each test RUNS times (default 3), S seconds
# each (default 5), reporting the median:
#   tcp1 6>4 / 4>6   one iperf3 TCP stream, IPv6 host -> IPv4 host and back
#   tcp4 6>4 / 4>6   four streams (-P 4)
#   udp64 6>4 / 4>6  64-byte UDP datagrams, unlimited rate: packets/s received
# and the CPU time per GB delivered: "proc" is the translator process alone
# (translatord or tayga; the kernel baseline has none), "all" is every CPU
# of the machine (senders, receivers, softirqs and translator together).
# Tables: rates with each one's ratio to the kernel at the same offload
# setting; CPU; and offloads on / off per mode.
# The kernel baseline routes IPv6 to an IPv6 address given to the IPv4 host
# for the purpose (2001:db8:ffff::2): the cost of forwarding without
# translation. TAYGA needs forwarding on in the router namespace (the
# kernel routes what its TUN device receives); translatord's `egress tun`
# turns on what it needs itself.
# Needs iperf3 and tayga (apt-get install iperf3 tayga).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
TIME=5
RUNS=3
MODES=()
OFFLOADS=(on off)
PREFIX="bn$$"
H6="$PREFIX-h6" XL="$PREFIX-xl" H4="$PREFIX-h4"
TMP=$(mktemp -d)
PEER_PID=
RESULTS="$TMP/results.tsv"

cleanup() {
	set +e
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null && wait "$PEER_PID" 2>/dev/null
	"$SRC/scripts/topology.sh" down --prefix "$PREFIX" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

while [ $# -gt 0 ]; do
	case "$1" in
	--time) TIME=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--only)
		case "$2" in
		translatord) MODES+=(raw) ;;
		raw | tun | tayga | kernel) MODES+=("$2") ;;
		*) echo "bench.sh: --only raw|tun|tayga|kernel" >&2; exit 2 ;;
		esac
		shift ;;
	--offloads)
		case "$2" in
		on | off) OFFLOADS=("$2") ;;
		both) OFFLOADS=(on off) ;;
		*) echo "bench.sh: --offloads on|off|both" >&2; exit 2 ;;
		esac
		shift ;;
	-h | --help) sed -n '3,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ ${#MODES[@]} -gt 0 ] || MODES=(kernel raw tun tayga)
[ "$(id -u)" = 0 ] || { echo "bench.sh: run as root" >&2; exit 1; }
for t in iperf3 tayga; do
	command -v $t >/dev/null || { echo "bench.sh: no $t (apt-get install $t)" >&2; exit 1; }
done

# Busy jiffies of the whole machine, and of one process.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
proc_ticks() {
	if [ -n "$PEER_PID" ]; then
		awk '{ print $14 + $15 }' "/proc/$PEER_PID/stat"
	else
		echo 0
	fi
}
HZ=$(getconf CLK_TCK)

# setup_common OFFLOADS TOPOLOGY-OPTIONS...
setup_common() {
	local offl=$1
	shift
	"$SRC/scripts/topology.sh" up --prefix "$PREFIX" --gro "$offl" \
		--tso "$offl" "$@" >/dev/null
	# Ends with the namespace (topology.sh down); disowned: no job noise.
	ip netns exec "$H4" iperf3 -s >/dev/null 2>&1 &
	disown
	DST=2001:db8:1c6:3364:2::
}

# translatord EGRESS OFFLOADS
translatord() {
	local egress=$1 offl=$2
	# With egress tun the daemon turns on the forwarding its TUN needs.
	setup_common "$offl"
	{ cat "$SRC/examples/demo-siit.conf"; echo "egress $egress"; } \
		>"$TMP/siit.conf"
	rm -f "$TMP/ctl.sock"
	ip netns exec "$XL" "$BUILD/translator/translatord" \
		-c "$TMP/siit.conf" --control "$TMP/ctl.sock" \
		2>"$TMP/translatord.log" &
	PEER_PID=$!
	for _ in $(seq 100); do
		[ -S "$TMP/ctl.sock" ] && return 0
		sleep 0.1
	done
	cat "$TMP/translatord.log" >&2
	exit 1
}

setup_raw() { translatord raw "$1"; }
setup_tun() { translatord tun "$1"; }

setup_tayga() {
	setup_common "$1" --forward
	cat >"$TMP/tayga.conf" <<-EOC
	tun-device nat64
	ipv4-addr 192.0.2.1
	ipv6-addr 2001:db8:ffff::1
	prefix 2001:db8:100::/40
	data-dir $TMP
	EOC
	ip netns exec "$XL" tayga -c "$TMP/tayga.conf" --mktun >/dev/null
	ip netns exec "$XL" ip link set nat64 up
	ip netns exec "$XL" ip route add 192.0.2.0/24 dev nat64
	ip netns exec "$XL" ip -6 route add 2001:db8:100::/40 dev nat64
	ip netns exec "$XL" tayga -c "$TMP/tayga.conf" -d >/dev/null 2>&1 &
	PEER_PID=$!
}

setup_kernel() {
	setup_common "$1" --forward
	ip netns exec "$H4" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.eth0.disable_ipv6=0
	ip netns exec "$XL" ip -6 addr add 2001:db8:ffff::1/64 dev v4 nodad
	ip netns exec "$H4" ip -6 addr add 2001:db8:ffff::2/64 dev eth0 nodad
	ip netns exec "$H4" ip -6 route add default via 2001:db8:ffff::1
	DST=2001:db8:ffff::2
}

teardown() {
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null && wait "$PEER_PID" 2>/dev/null
	PEER_PID=
	"$SRC/scripts/topology.sh" down --prefix "$PREFIX" >/dev/null 2>&1 || true
}

# run_one MODE OFFLOADS TEST IPERF-ARGS...: one measurement into RESULTS.
run_one() {
	local mode=$1 offl=$2 test=$3 m0 p0 m1 p1
	shift 3
	m0=$(machine_ticks)
	p0=$(proc_ticks)
	ip netns exec "$H6" timeout $((TIME + 30)) iperf3 -c "$DST" -t "$TIME" \
		-J "$@" >"$TMP/iperf.json" 2>/dev/null || true
	m1=$(machine_ticks)
	p1=$(proc_ticks)
	python3 - "$TMP/iperf.json" "$mode" "$offl" "$test" $((m1 - m0)) \
		$((p1 - p0)) "$HZ" >>"$RESULTS" <<'EOP'
import json, sys
path, mode, offl, test, mt, pt, hz = sys.argv[1:]
try:
    d = json.load(open(path))["end"]
    if "lost_packets" not in d.get("sum", {}):
        nbytes = d["sum_received"]["bytes"]
        rate = d["sum_received"]["bits_per_second"] / 1e9
    else:
        s = d["sum"]
        got = s["packets"] - s["lost_packets"]
        nbytes = got * 64
        rate = got / s["seconds"]
except (OSError, KeyError, ValueError):
    nbytes, rate = 0, 0.0
gb = nbytes / 1e9
cpu_all = int(mt) / int(hz)
cpu_proc = int(pt) / int(hz)
per = lambda c: c / gb if gb else float("nan")
print("%s\t%s\t%s\t%.6g\t%.3f\t%.3f" % (mode, offl, test, rate,
                                        per(cpu_proc), per(cpu_all)))
EOP
}

run_mode() {
	local mode=$1 offl=$2 r
	echo "== $mode, offloads $offl" >&2
	"setup_$mode" "$offl"
	sleep 1
	for r in $(seq "$RUNS"); do
		echo "   run $r/$RUNS" >&2
		run_one "$mode" "$offl" "tcp1 6>4"
		run_one "$mode" "$offl" "tcp1 4>6" -R
		run_one "$mode" "$offl" "tcp4 6>4" -P 4
		run_one "$mode" "$offl" "tcp4 4>6" -P 4 -R
		run_one "$mode" "$offl" "udp64 6>4" -u -b 0 -l 64
		run_one "$mode" "$offl" "udp64 4>6" -u -b 0 -l 64 -R
	done
	teardown
}

if [ ! -x "$BUILD/translator/translatord" ]; then
	echo "bench.sh: build first (make), or set BUILD=DIR" >&2
	exit 1
fi
for o in "${OFFLOADS[@]}"; do
	for m in "${MODES[@]}"; do
		run_mode "$m" "$o"
	done
done

python3 - "$RESULTS" "$TIME" "$RUNS" <<'EOP'
import collections, statistics, sys
path, t, runs = sys.argv[1:]
rows = collections.defaultdict(list)
tests, modes, offls = [], [], []
for line in open(path):
    mode, offl, test, rate, proc, allc = line.rstrip("\n").split("\t")
    rows[(mode, offl, test)].append((float(rate), float(proc), float(allc)))
    for seen, x in ((tests, test), (modes, mode), (offls, offl)):
        if x not in seen:
            seen.append(x)
med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3))
       for k, v in rows.items()}
name = {"raw": "translatord raw", "tun": "translatord tun"}
label = lambda m: name.get(m, m)


def rate(m, o, tst):
    r = med.get((m, o, tst))
    if r is None:
        return "-"
    return ("%.3f" if tst.startswith("tcp") else "%.0f") % r[0]


def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "n/a"


print("Medians of %s runs of %s s. TCP in Gbit/s, UDP in packets/s "
      "received;" % (runs, t))
print("CPU in seconds per GB delivered (proc: the translator process; "
      "all: the machine).\n")
others = [m for m in modes if m != "kernel"]
hdr = ["test", "offloads"] + [label(m) for m in modes]
if "kernel" in modes:
    hdr += ["%s/kernel" % label(m) for m in others]
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for tst in tests:
    for o in offls:
        cells = [tst, o] + [rate(m, o, tst) for m in modes]
        if "kernel" in modes:
            k = med.get(("kernel", o, tst), (0,))[0]
            cells += [ratio(med.get((m, o, tst), (0,))[0], k)
                      for m in others]
        print("| " + " | ".join(cells) + " |")

print("\nCPU, proc / all s/GB:\n")
hdr = ["test", "offloads"] + [label(m) for m in modes]
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for tst in tests:
    for o in offls:
        cells = [tst, o]
        for m in modes:
            r = med.get((m, o, tst))
            cells.append("-" if r is None else
                         ("%.1f / %.1f" % (r[1], r[2]) if m != "kernel"
                          else "%.1f" % r[2]))
        print("| " + " | ".join(cells) + " |")

if "on" in offls and "off" in offls:
    print("\nOffloads on / off (rate ratio):\n")
    hdr = ["test"] + [label(m) for m in modes]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for tst in tests:
        cells = [tst] + [ratio(med.get((m, "on", tst), (0,))[0],
                               med.get((m, "off", tst), (0,))[0])
                         for m in modes]
        print("| " + " | ".join(cells) + " |")
EOP
