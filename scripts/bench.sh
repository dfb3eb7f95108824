#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench.sh: throughput of translatord against TAYGA (Debian `tayga`) and
# plain kernel IPv6 forwarding, on the network of scripts/topology.sh.
#
#   sudo scripts/bench.sh [--time S] [--runs N] [--only MODE]... [--keep-going]
#
# Per mode (translatord, tayga, kernel), each test RUNS times (default 3),
# S seconds each (default 5), reporting the median:
#   tcp1 6>4 / 4>6   one iperf3 TCP stream, IPv6 host -> IPv4 host and back
#   tcp4 6>4 / 4>6   four streams (-P 4)
#   udp64 6>4 / 4>6  64-byte UDP datagrams, unlimited rate: packets/s received
# and the CPU time per GB delivered: "proc" is the translator process alone
# (translatord or tayga; the kernel baseline has none), "all" is every CPU
# of the machine (senders, receivers, softirqs and translator together).
# The kernel baseline routes IPv6 to an IPv6 address given to the IPv4 host
# for the purpose (2001:db8:ffff::2): the cost of forwarding without
# translation. Needs iperf3 and tayga (apt-get install iperf3 tayga).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC}
TIME=5
RUNS=3
MODES=()
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
	--only) MODES+=("$2"); shift ;;
	-h | --help) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ ${#MODES[@]} -gt 0 ] || MODES=(translatord tayga kernel)
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

setup_common() {
	"$SRC/scripts/topology.sh" up --prefix "$PREFIX" "$@" >/dev/null
	# Ends with the namespace (topology.sh down); disowned: no job noise.
	ip netns exec "$H4" iperf3 -s >/dev/null 2>&1 &
	disown
	DST=2001:db8:1c6:3364:2::
}

setup_translatord() {
	setup_common
	ip netns exec "$XL" "$BUILD/translator/translatord" \
		-c "$SRC/examples/demo-siit.conf" --control "$TMP/ctl.sock" \
		2>"$TMP/translatord.log" &
	PEER_PID=$!
	for _ in $(seq 100); do
		[ -S "$TMP/ctl.sock" ] && return 0
		sleep 0.1
	done
	cat "$TMP/translatord.log" >&2
	exit 1
}

setup_tayga() {
	setup_common --forward
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
	setup_common --forward
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

# run_one MODE TEST IPERF-ARGS...: one measurement appended to RESULTS.
run_one() {
	local mode=$1 test=$2 m0 p0 m1 p1
	shift 2
	m0=$(machine_ticks)
	p0=$(proc_ticks)
	ip netns exec "$H6" timeout $((TIME + 30)) iperf3 -c "$DST" -t "$TIME" \
		-J "$@" >"$TMP/iperf.json" 2>/dev/null || true
	m1=$(machine_ticks)
	p1=$(proc_ticks)
	python3 - "$TMP/iperf.json" "$mode" "$test" $((m1 - m0)) $((p1 - p0)) \
		"$HZ" >>"$RESULTS" <<'EOP'
import json, sys
path, mode, test, mt, pt, hz = sys.argv[1:]
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
print("%s\t%s\t%.6g\t%.3f\t%.3f" % (mode, test, rate, per(cpu_proc), per(cpu_all)))
EOP
}

run_mode() {
	local mode=$1 r
	echo "== $mode" >&2
	"setup_$mode"
	sleep 1
	for r in $(seq "$RUNS"); do
		echo "   run $r/$RUNS" >&2
		run_one "$mode" "tcp1 6>4"
		run_one "$mode" "tcp1 4>6" -R
		run_one "$mode" "tcp4 6>4" -P 4
		run_one "$mode" "tcp4 4>6" -P 4 -R
		run_one "$mode" "udp64 6>4" -u -b 0 -l 64
		run_one "$mode" "udp64 4>6" -u -b 0 -l 64 -R
	done
	teardown
}

if [ ! -x "$BUILD/translator/translatord" ]; then
	echo "bench.sh: build first (make), or set BUILD=DIR" >&2
	exit 1
fi
for m in "${MODES[@]}"; do
	run_mode "$m"
done

python3 - "$RESULTS" "$TIME" "$RUNS" <<'EOP'
import statistics, sys, collections
path, t, runs = sys.argv[1:]
rows = collections.defaultdict(list)
for line in open(path):
    mode, test, rate, proc, allc = line.rstrip("\n").split("\t")
    rows[(mode, test)].append((float(rate), float(proc), float(allc)))
tests, modes = [], []
for (m, tst) in rows:
    if tst not in tests: tests.append(tst)
    if m not in modes: modes.append(m)
med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3))
       for k, v in rows.items()}
print("Medians of %s runs of %s s. TCP in Gbit/s, UDP in packets/s received;" % (runs, t))
print("CPU in seconds per GB delivered (proc: the translator process; all: the machine).\n")
hdr = "| test | " + " | ".join("%s rate | proc s/GB | all s/GB" % m for m in modes)
if "translatord" in modes:
    hdr += " | " + " | ".join("translatord/%s" % m for m in modes if m != "translatord")
hdr += " |"
print(hdr)
print("|" + "---|" * (hdr.count("|") - 1))
for tst in tests:
    cells = []
    for m in modes:
        r, p, a = med.get((m, tst), (0, 0, 0))
        fmt = "%.3f" if tst.startswith("tcp") else "%.0f"
        cells.append((fmt % r) + " | %.1f | %.1f" % (p, a))
    if "translatord" in modes:
        base = med.get(("translatord", tst), (0,))[0]
        for m in modes:
            if m == "translatord": continue
            other = med.get((m, tst), (0,))[0]
            cells.append("%.2f" % (base / other) if other else "n/a")
    print("| %s | %s |" % (tst, " | ".join(cells)))
EOP
