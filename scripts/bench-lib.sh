# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-lib.sh: the pieces of scripts/bench.sh (sourced, not run): the
# peers' setups on the network of scripts/topology.sh, and one
# measurement per function, each appending a line to $RESULTS:
#
#   MODE OFFLOADS TEST RATE PROC_S_PER_GB ALL_S_PER_GB PROC_NS_PER_PKT
#
# (tab-separated; "nan" where a figure does not apply). The caller sets
# SRC, BUILD, TMP, PREFIX, H6, XL, H4, TIME and RESULTS.

PEER_PID=
# Where the translator's control socket is (translatord only): its
# counters give the packets it handled.
CTL_SOCK=

# Busy jiffies of the whole machine, and of the translator process (every
# thread of it: /proc/PID/stat sums utime and stime over the thread group).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
proc_ticks() {
	if [ -n "$PEER_PID" ] && [ -r "/proc/$PEER_PID/stat" ]; then
		# Field 2 (comm) has no spaces for translatord and tayga.
		awk '{ print $14 + $15 }' "/proc/$PEER_PID/stat"
	else
		echo 0
	fi
}
HZ=$(getconf CLK_TCK)

# Packets translatord took from its queues (nfq_rx, summed over workers);
# 0 for the other peers.
xlat_packets() {
	if [ -n "$CTL_SOCK" ]; then
		timeout 10 "$BUILD/usr/transctl" stats --control "$CTL_SOCK" \
			2>/dev/null | awk '$2 == "nfq_rx" { print $3; f = 1 }
				END { if (!f) print 0 }'
	else
		echo 0
	fi
}

# split_mode MODE: "raw:w2" -> BASE=raw WORKERS_N=2; "kernel" -> BASE=kernel
# WORKERS_N= (no `workers` line in the configuration).
# shellcheck disable=SC2034 # BASE and WORKERS_N are bench.sh's
split_mode() {
	BASE=${1%%:w*}
	WORKERS_N=
	case "$1" in
	*:w*) WORKERS_N=${1##*:w} ;;
	esac
}

# setup_common OFFLOADS TOPOLOGY-OPTIONS...
setup_common() {
	local offl=$1
	shift
	"$SRC/scripts/topology.sh" up --prefix "$PREFIX" --gro "$offl" \
		--tso "$offl" "$@" >/dev/null
	DST=2001:db8:1c6:3364:2::
	# udpflood's destination from the IPv4 host (the IPv6 host's view).
	DST4=192.0.2.33
	flood_addrs
}

# flood_addrs: FLOOD_NSRC source addresses on each host for udpflood
# (NFQUEUE's --queue-balance hashes addresses, not ports, so many flows
# need several). The IPv6 host's lie in pool6 (2001:db8:1c0:2:22:: is
# 192.0.2.34 through pool6) and on the router's link; the IPv4 host's in
# its /24 (secondary). setup_kernel() gives the IPv4 host IPv6 ones
# instead. IPv6 ones are deprecated (preferred_lft 0): udpflood binds them,
# but the kernel must not pick them as sources for iperf3 (the server's UDP
# answers from another address than asked were lost).
FLOOD_NSRC=4
flood_addrs() {
	local i
	SRC6=() SRC4=()
	for i in $(seq 0 $((FLOOD_NSRC - 1))); do
		SRC6+=("2001:db8:1c0:2:$((21 + i))::")
		SRC4+=("198.51.100.$((2 + i))")
		[ "$i" = 0 ] && continue
		ip netns exec "$H6" ip -6 addr add "${SRC6[$i]}/64" dev eth0 \
			nodad preferred_lft 0
		ip netns exec "$H4" ip addr add "${SRC4[$i]}/24" dev eth0
	done
}

# start_translatord CONFIG: runs it in the router namespace and waits for
# its control socket.
start_translatord() {
	CTL_SOCK="$TMP/ctl.sock"
	rm -f "$CTL_SOCK"
	ip netns exec "$XL" "$BUILD/translator/translatord" \
		-c "$1" --control "$CTL_SOCK" 2>"$TMP/translatord.log" &
	PEER_PID=$!
	for _ in $(seq 100); do
		[ -S "$CTL_SOCK" ] && return 0
		kill -0 "$PEER_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "bench.sh: translatord did not start:" >&2
	cat "$TMP/translatord.log" >&2
	exit 1
}

# workers_line: the configuration's `workers N` for the mode being set up,
# nothing without one (--workers none); then $BENCH_CONF, extra lines for
# every translatord (e.g. BENCH_CONF="tun-batch 0").
workers_line() {
	[ -z "$WORKERS_N" ] || echo "workers $WORKERS_N"
	[ -z "${BENCH_CONF:-}" ] || printf '%s\n' "$BENCH_CONF"
}

# translatord EGRESS OFFLOADS [TOPOLOGY-OPTIONS...]
translatord() {
	local egress=$1 offl=$2
	shift 2
	# With egress tun the daemon turns on the forwarding its TUN needs.
	setup_common "$offl" "$@"
	{ cat "$SRC/examples/demo-siit.conf"; echo "egress $egress"
	  workers_line; } >"$TMP/siit.conf"
	start_translatord "$TMP/siit.conf"
}

setup_raw() { translatord raw "$@"; }
setup_tun() { translatord tun "$@"; }

# setup_nat64 OFFLOADS [TOPOLOGY-OPTIONS...]: stateful NAT64,
# examples/nat64.conf (egress tun, its default) as the integration tests
# run it: the IPv6 host reaches 198.51.100.2 as 64:ff9b::198.51.100.2
# through pool4 192.0.2.2. Only IPv6-initiated traffic gets through.
setup_nat64() {
	local offl=$1
	shift
	setup_common "$offl" "$@"
	{ cat "$SRC/examples/nat64.conf"; echo "wkp-allow-non-global yes"
	  workers_line; } >"$TMP/nat64.conf"
	start_translatord "$TMP/nat64.conf"
	DST=64:ff9b::198.51.100.2
	DST4=
}

setup_tayga() {
	local offl=$1
	shift
	setup_common "$offl" --forward "$@"
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
	local offl=$1 i
	shift
	setup_common "$offl" --forward "$@"
	ip netns exec "$H4" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
		net.ipv6.conf.eth0.disable_ipv6=0
	ip netns exec "$XL" ip -6 addr add 2001:db8:ffff::1/64 dev v4 nodad
	ip netns exec "$H4" ip -6 addr add 2001:db8:ffff::2/64 dev eth0 nodad
	ip netns exec "$H4" ip -6 route add default via 2001:db8:ffff::1
	DST=2001:db8:ffff::2
	DST4=2001:db8:1c0:2:21::
	SRC4=()
	for i in $(seq 0 $((FLOOD_NSRC - 1))); do
		SRC4+=("2001:db8:ffff::$((2 + i))")
		[ "$i" = 0 ] && continue
		ip netns exec "$H4" ip -6 addr add "${SRC4[$i]}/64" dev eth0 \
			nodad preferred_lft 0
	done
}

# start_servers: the iperf3 and connrate servers on the IPv4 host, once
# its addresses are set (iperf3 started before IPv6 was on there failed
# its UDP tests in the kernel mode: "unable to read from stream socket").
CONN_PORT=9100
start_servers() {
	# End with the namespace (topology.sh down); disowned: no job noise.
	ip netns exec "$H4" iperf3 -s >/dev/null 2>&1 &
	disown
	ip netns exec "$H4" "$BUILD/test/perf/connrate" server -j "$NCPU" \
		"$CONN_PORT" >/dev/null 2>&1 &
	disown
}

# stop_peer: SIGTERM, at most 10 s, then SIGKILL (said on stderr: a
# translator that does not stop is a finding, and must not hang the run).
stop_peer() {
	local i
	[ -n "$PEER_PID" ] || return 0
	kill "$PEER_PID" 2>/dev/null || true
	for i in $(seq 100); do
		kill -0 "$PEER_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$PEER_PID" 2>/dev/null; then
		echo "bench.sh: the translator did not stop within 10 s of SIGTERM: killed" >&2
		kill -KILL "$PEER_PID" 2>/dev/null || true
	fi
	wait "$PEER_PID" 2>/dev/null || true
	PEER_PID=
}

teardown() {
	stop_peer
	CTL_SOCK=
	"$SRC/scripts/topology.sh" down --prefix "$PREFIX" >/dev/null 2>&1 || true
}

# record MODE OFFLOADS TEST RATE BYTES PACKETS MACHINE_TICKS PROC_TICKS:
# one line of RESULTS (CPU per GB from BYTES, per packet from PACKETS).
record() {
	awk -v m="$1" -v o="$2" -v t="$3" -v r="$4" -v b="$5" -v p="$6" \
	    -v mt="$7" -v pt="$8" -v hz="$HZ" -v proc="${PEER_PID:+1}" 'BEGIN {
		gb = b / 1e9
		ps = proc ? sprintf("%.3f", gb ? pt / hz / gb : "nan") : "nan"
		as = gb ? sprintf("%.3f", mt / hz / gb) : "nan"
		ns = proc && p ? sprintf("%.0f", pt / hz * 1e9 / p) : "nan"
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m, o, t, r, ps, as, ns
	}' >>"$RESULTS"
}

# run_iperf MODE OFFLOADS TEST IPERF-ARGS...: one iperf3 measurement.
run_iperf() {
	local mode=$1 offl=$2 test=$3 m0 p0 x0 m1 p1 x1 out
	shift 3
	m0=$(machine_ticks) p0=$(proc_ticks) x0=$(xlat_packets)
	ip netns exec "$H6" timeout $((TIME + 30)) iperf3 -c "$DST" -t "$TIME" \
		-J "$@" >"$TMP/iperf.json" 2>/dev/null || true
	m1=$(machine_ticks) p1=$(proc_ticks) x1=$(xlat_packets)
	# RATE BYTES PACKETS (UDP only: for the CPU per packet).
	out=$(python3 - "$TMP/iperf.json" $((x1 - x0)) <<'EOP'
import json, sys
path, handled = sys.argv[1], int(sys.argv[2])
try:
    d = json.load(open(path))["end"]
    if "lost_packets" not in d.get("sum", {}):
        nbytes = d["sum_received"]["bytes"]
        rate = d["sum_received"]["bits_per_second"] / 1e9
        pkts = 0
    else:
        s = d["sum"]
        pkts = s["packets"] - s["lost_packets"]
        nbytes = pkts * 64
        rate = pkts / s["seconds"]
        # CPU per packet: per packet the translator handled, if it
        # counts them (it also handled those the receiver lost).
        pkts = handled or pkts
except (OSError, KeyError, ValueError, ZeroDivisionError):
    nbytes, rate, pkts = 0, 0.0, 0
if not rate:
    sys.stderr.write("bench.sh: iperf3 measured nothing: %s\n" % open(path).read()[-600:])
print("%.6g %d %d" % (rate, nbytes, pkts))
EOP
)
	# shellcheck disable=SC2086
	record "$mode" "$offl" "$test" $out $((m1 - m0)) $((p1 - p0))
}

# run_flood MODE OFFLOADS TEST 6>4|4>6 SIZE: many flows (udpflood: 64
# sockets, FLOOD_NSRC source addresses, NCPU threads each side), SIZE-byte
# datagrams for TIME seconds; the rate is packets/s received.
FLOOD_PORT=9000
run_flood() {
	local mode=$1 offl=$2 test=$3 dir=$4 size=$5 sns rns dst m0 p0 x0 \
	      m1 p1 x1 rpid got secs src=() a
	if [ "$dir" = "6>4" ]; then
		sns=$H6 rns=$H4 dst=$DST
		for a in "${SRC6[@]}"; do src+=(-b "$a"); done
	else
		sns=$H4 rns=$H6 dst=$DST4
		for a in "${SRC4[@]}"; do src+=(-b "$a"); done
	fi
	ip netns exec "$rns" "$BUILD/test/perf/udpflood" recv -t $((TIME + 2)) \
		-j "$NCPU" "$FLOOD_PORT" >"$TMP/recv.out" 2>&1 &
	rpid=$!
	sleep 0.5
	m0=$(machine_ticks) p0=$(proc_ticks) x0=$(xlat_packets)
	ip netns exec "$sns" timeout $((TIME + 10)) \
		"$BUILD/test/perf/udpflood" send -t "$TIME" -s "$size" -f 64 \
		-j "$NCPU" "${src[@]}" "$dst" "$FLOOD_PORT" \
		>"$TMP/send.out" 2>&1 || true
	m1=$(machine_ticks) p1=$(proc_ticks) x1=$(xlat_packets)
	wait "$rpid" || true
	got=$(awk '/^received/ { print $2 }' "$TMP/recv.out")
	secs=$(awk '/^sent/ { print $5 }' "$TMP/send.out")
	if [ -z "$got" ] || [ -z "$secs" ]; then
		cat "$TMP/send.out" "$TMP/recv.out" >&2
		got=0 secs=1
	fi
	[ "$((x1 - x0))" -gt 0 ] || x1=$((x0 + got))
	record "$mode" "$offl" "$test" \
		"$(awk -v n="$got" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')" \
		$((got * size)) $((x1 - x0)) $((m1 - m0)) $((p1 - p0))
}

# run_conn MODE OFFLOADS TEST: new TCP connections per second from the
# IPv6 host to the IPv4 host (test/perf/connrate: 64 connects in flight
# from 2 source addresses, each reset once established) for TIME seconds.
# Through a NAT64 each is a new session (and binding while its port is
# new). The per-packet column holds the translator's CPU per connection.
run_conn() {
	local mode=$1 offl=$2 test=$3 m0 p0 m1 p1 rate n failed
	m0=$(machine_ticks) p0=$(proc_ticks)
	ip netns exec "$H6" timeout $((TIME + 10)) "$BUILD/test/perf/connrate" \
		client -t "$TIME" -n 64 -b "${SRC6[0]}" -b "${SRC6[1]}" \
		"$DST" "$CONN_PORT" >"$TMP/conn.out" 2>&1 || true
	m1=$(machine_ticks) p1=$(proc_ticks)
	read -r n rate failed < <(awk '/^connections/ { print $2, $6, $10 }' \
		"$TMP/conn.out")
	if [ -z "${rate:-}" ]; then
		cat "$TMP/conn.out" >&2
		n=0 rate=0
	elif [ "${failed%,}" != 0 ]; then
		echo "   $test: $(cat "$TMP/conn.out")" >&2
	fi
	record "$mode" "$offl" "$test" "$rate" 0 "$n" $((m1 - m0)) $((p1 - p0))
}
