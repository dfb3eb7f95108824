# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the integration tests (sourced). Each test builds its own
# network with scripts/topology.sh under a unique namespace prefix, runs
# translatord in the translator namespace, and removes everything on exit,
# failures and signals included. Without root or network namespaces the
# test is skipped (exit 77). Every command is bounded by a timeout.

srcdir=${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
srcdir=$(cd "$srcdir" && pwd)
TRANSLATORD=${TRANSLATORD:-$(pwd)/translator/translatord}
TRANSCTL=${TRANSCTL:-$(pwd)/usr/transctl}
TOPOLOGY="$srcdir/scripts/topology.sh"
NETTOOL="$srcdir/test/integration/nettool.py"
IT_NAME=$(basename "$0" .sh)
# Unique per run: parallel tests and parallel builds do not collide.
IT_PREFIX="it$$"
H6="$IT_PREFIX-h6"
XL="$IT_PREFIX-xl"
H4="$IT_PREFIX-h4"
R4="$IT_PREFIX-r4"
R6="$IT_PREFIX-r6"
IT_FAILS=0
IT_PASSES=0
IT_DAEMON_PID=
IT_TMP=

it_skip() {
	echo "SKIP: $IT_NAME: $*"
	exit 77
}

it_cleanup() {
	local i
	if [ -n "$IT_DAEMON_PID" ] && kill -0 "$IT_DAEMON_PID" 2>/dev/null; then
		kill -TERM "$IT_DAEMON_PID" 2>/dev/null
		for i in $(seq 50); do
			kill -0 "$IT_DAEMON_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$IT_DAEMON_PID" 2>/dev/null
	fi
	"$TOPOLOGY" down --prefix "$IT_PREFIX" >/dev/null 2>&1
	[ -n "$IT_TMP" ] && rm -rf "$IT_TMP"
}

it_init() {
	# Set by debian/rules and `make distcheck` (README): unit tests only,
	# also when building as root.
	[ -z "${XLAT_NO_INTEGRATION:-}" ] || it_skip "XLAT_NO_INTEGRATION is set"
	[ "$(id -u)" = 0 ] || it_skip "needs root (network namespaces, NFQUEUE)"
	command -v ip >/dev/null || it_skip "no 'ip' (Debian package iproute2)"
	command -v python3 >/dev/null || it_skip "no python3"
	command -v iptables >/dev/null || it_skip "no iptables (Debian package iptables)"
	[ -x "$TRANSLATORD" ] || it_skip "no $TRANSLATORD (build first)"
	ip netns add "$IT_PREFIX-probe" 2>/dev/null ||
		it_skip "cannot create network namespaces here"
	ip netns del "$IT_PREFIX-probe"
	IT_TMP=$(mktemp -d) || exit 99
	trap it_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

it_pass() {
	echo "PASS: $IT_NAME: $*"
	IT_PASSES=$((IT_PASSES + 1))
}

it_fail() {
	echo "FAIL: $IT_NAME: $*"
	IT_FAILS=$((IT_FAILS + 1))
}

# it_check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
it_check() {
	local what=$1
	shift
	if "$@" >"$IT_TMP/out" 2>&1; then
		it_pass "$what"
	else
		it_fail "$what"
		sed 's/^/    /' "$IT_TMP/out" | tail -20
	fi
}

it_topology() {
	"$TOPOLOGY" up --prefix "$IT_PREFIX" "$@" >"$IT_TMP/topology.log" 2>&1 || {
		cat "$IT_TMP/topology.log"
		echo "FAIL: $IT_NAME: topology"
		exit 1
	}
}

it_ctl() {
	timeout 20 python3 "$NETTOOL" ctl "$IT_TMP/ctl.sock" "$@" --timeout 15
}

# it_workers CONFIG: the file to start with. With XLAT_WORKERS set, the
# same with `workers $XLAT_WORKERS`: a file of the test's own (in IT_TMP)
# gets the line appended, so that what the test appends later and reloads
# keeps it; any other is copied into IT_TMP first.
it_workers() {
	local conf=$1 copy
	if [ -z "${XLAT_WORKERS:-}" ] || grep -q '^workers ' "$conf"; then
		echo "$conf"
		return
	fi
	case $conf in
	"$IT_TMP"/*) copy=$conf ;;
	*)
		copy="$IT_TMP/$(basename "$conf")"
		[ -e "$copy" ] && copy="$IT_TMP/w-$(basename "$conf")"
		cp "$conf" "$copy"
		;;
	esac
	echo "workers $XLAT_WORKERS" >>"$copy"
	echo "$copy"
}

# it_conf_reset SRC DST: DST becomes a copy of SRC, for a reload of the
# running daemon: with `workers $XLAT_WORKERS` kept when set (a reload
# that changes the number of workers is refused).
it_conf_reset() {
	cp "$1" "$2"
	[ -z "${XLAT_WORKERS:-}" ] || grep -q '^workers ' "$2" ||
		echo "workers $XLAT_WORKERS" >>"$2"
}

# it_daemon CONFIG [ARGS]: starts translatord and waits for its socket
# (with `workers $XLAT_WORKERS` when set: it_workers).
it_daemon() {
	local conf i
	conf=$(it_workers "$1")
	shift
	ip netns exec "$XL" "$TRANSLATORD" -c "$conf" \
		--control "$IT_TMP/ctl.sock" --pidfile "$IT_TMP/pid" "$@" \
		>>"$IT_TMP/daemon.log" 2>&1 &
	IT_DAEMON_PID=$!
	for i in $(seq 100); do
		if it_ctl status >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$IT_DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "FAIL: $IT_NAME: translatord did not start:"
	sed 's/^/    /' "$IT_TMP/daemon.log"
	exit 1
}

# it_stop_daemon: SIGTERM, bounded wait; returns its exit status.
it_stop_daemon() {
	local i status
	kill -TERM "$IT_DAEMON_PID" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$IT_DAEMON_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$IT_DAEMON_PID"
	status=$?
	IT_DAEMON_PID=
	return $status
}

# it_queue_rules: rules that queue a destination in the translator's raw
# tables, all instances' chains: those of the main chains (with workers > 1
# they jump to the spread chains, XLAT-T-O-T and -O, instead of NFQUEUE).
it_queue_rules() {
	ip netns exec "$XL" sh -c 'iptables -t raw -S; ip6tables -t raw -S' \
		2>/dev/null | grep -Ec -- '^-A XLAT-[0-9]+-[0-9]+ '
}

# it_stat NAME: a counter's value from the daemon.
it_stat() {
	it_ctl stats | awk -F'\t' -v n="$1" '$2 == n { print $3 }'
}

# it_done: the summary line, the daemon log on failure, the exit status.
it_done() {
	if [ "$IT_FAILS" != 0 ] && [ -s "$IT_TMP/daemon.log" ]; then
		echo "translatord log:"
		sed 's/^/    /' "$IT_TMP/daemon.log" | tail -30
	fi
	echo "$IT_NAME: $IT_PASSES passed, $IT_FAILS failed"
	[ "$IT_FAILS" = 0 ]
}

# The default SIIT network of examples/demo-siit.conf.
IT_V6_HOST=2001:db8:1c0:2:21::
IT_V6_VIEW_OF_V4=2001:db8:1c6:3364:2::
IT_V4_HOST=198.51.100.2
IT_V4_VIEW_OF_V6=192.0.2.33

# --- transfers and counters for the resegmentation tests (issue 4) -------

IT_XFER_PORT=5100
IT_XFER_TIMEOUT=${IT_XFER_TIMEOUT:-120}
IT_XFER_IDLE=${IT_XFER_IDLE:-15}
IT_XFER_SRC=
IT_XFER_SINK=

# it_kv KEY LINE: the value of KEY in a line of key=value fields.
it_kv() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1
}

# it_transfer FROM_NS TO_NS LISTEN_ADDR CONNECT_ADDR BYTES LABEL: one TCP
# transfer (nettool xfer-source/xfer-sink, a fresh port each time) bounded
# by IT_XFER_TIMEOUT seconds, abandoned after IT_XFER_IDLE seconds without
# progress. Passes when both ends agree on size and SHA-256; the report
# line gives the rate. IT_XFER_SRC and IT_XFER_SINK keep both ends' lines
# (rcv_mss, snd_mss, pmtu, retrans: see nettool.py) for further checks.
it_transfer() {
	local from=$1 to=$2 listen=$3 connect=$4 bytes=$5 label=$6
	local port sink i src_status sink_status t=$IT_XFER_TIMEOUT
	IT_XFER_PORT=$((IT_XFER_PORT + 1))
	port=$IT_XFER_PORT
	ip netns exec "$to" timeout $((t + 10)) python3 "$NETTOOL" xfer-sink \
		"$listen" "$port" --timeout "$t" --idle "$IT_XFER_IDLE" \
		>"$IT_TMP/xsink" 2>&1 &
	sink=$!
	for i in $(seq 50); do
		ip netns exec "$to" ss -Hltn "sport = :$port" | grep -q . && break
		sleep 0.1
	done
	ip netns exec "$from" timeout $((t + 10)) python3 "$NETTOOL" \
		xfer-source "$connect" "$port" "$bytes" --timeout "$t" \
		--idle "$IT_XFER_IDLE" >"$IT_TMP/xsrc" 2>&1
	src_status=$?
	wait "$sink"
	sink_status=$?
	IT_XFER_SRC=$(tail -1 "$IT_TMP/xsrc")
	IT_XFER_SINK=$(tail -1 "$IT_TMP/xsink")
	if [ "$src_status" = 0 ] && [ "$sink_status" = 0 ] &&
	   [ "$(it_kv bytes "$IT_XFER_SINK")" = "$bytes" ] &&
	   [ "$(it_kv sha256 "$IT_XFER_SINK")" = "$(it_kv sha256 "$IT_XFER_SRC")" ]; then
		it_pass "$label: $bytes B, sha256 equal, $(it_kv secs "$IT_XFER_SINK") s, $(it_kv mbit "$IT_XFER_SINK") Mbit/s"
		return 0
	fi
	it_fail "$label (source exit $src_status, sink exit $sink_status)"
	echo "    source: $(cat "$IT_TMP/xsrc")"
	echo "    sink:   $(cat "$IT_TMP/xsink")"
	return 1
}

# it_mss_at_most LIMIT WHY: the last transfer's receiver saw no segment
# with more than LIMIT bytes of payload (TCP_INFO rcv_mss).
it_mss_at_most() {
	local m
	m=$(it_kv rcv_mss "$IT_XFER_SINK")
	if [ -n "$m" ] && [ "$m" -le "$1" ]; then
		it_pass "  largest segment payload at the receiver $m <= $1 ($2)"
	else
		it_fail "  largest segment payload at the receiver ${m:-?} > $1 ($2)"
	fi
}

# it_counters: a snapshot of every counter (`transctl stats --json`) as
# "NAME VALUE" lines in $IT_TMP/counters; it_counter NAME reads it (empty
# when the running daemon has no counter of that name).
it_counters() {
	timeout 20 "$TRANSCTL" stats --json --control "$IT_TMP/ctl.sock" \
		>"$IT_TMP/counters.json" 2>&1 &&
	python3 -c '
import json, sys
for group in json.load(open(sys.argv[1])).values():
    for name, c in group.items():
        print(name, c["value"])' "$IT_TMP/counters.json" >"$IT_TMP/counters"
}

it_counter() {
	awk -v n="$1" '$1 == n { print $2; exit }' "$IT_TMP/counters" 2>/dev/null
}

# it_counters_zero LABEL NAME...: each of the counters (it_counters'
# snapshot) is 0.
it_counters_zero() {
	local label=$1 v
	shift
	for v in "$@"; do
		if [ "$(it_counter "$v")" = 0 ]; then
			it_pass "[$label] $v = 0"
		else
			it_fail "[$label] $v = $(it_counter "$v") (expected 0)"
		fi
	done
}

# it_counters_show PATTERN: the nonzero counters whose names match an
# extended regular expression, on one line (for the log).
it_counters_show() {
	awk -v p="$1" '$1 ~ p && $2 != 0 { printf "%s=%s ", $1, $2 }' \
		"$IT_TMP/counters" 2>/dev/null
}

# --- stateful NAT64 (issue 6: nat64*.sh) ---------------------------------

# examples/nat64.conf on the same network: the IPv6 host reaches the IPv4
# host through the well-known prefix; pool4 is 192.0.2.2 (routed to the
# translator by the IPv4 host's default route, local to no namespace).
NAT64TOOL="$srcdir/test/integration/nat64tool.py"
IT_NAT64_V4=64:ff9b::198.51.100.2
IT_POOL4=192.0.2.2

# it_nat64_conf FILE [DIRECTIVE...]: examples/nat64.conf plus directives
# (a later line wins over the file's). The lab's IPv4 host has a
# documentation address (198.51.100.2), which RFC 6052 section 3.1 keeps
# out of 64:ff9b::/96: the tests allow it, the example (a real
# deployment's template) does not.
it_nat64_conf() {
	local f=$1 d
	shift
	cat "$srcdir/examples/nat64.conf" >"$f"
	echo "wkp-allow-non-global yes" >>"$f"
	for d in "$@"; do
		printf '%s\n' "$d" >>"$f"
	done
}

# it_tctl ARGS...: transctl against the test's daemon, bounded.
it_tctl() {
	timeout 20 "$TRANSCTL" "$@" --control "$IT_TMP/ctl.sock"
}

# it_nat64_count bib|session PROTO: the daemon's count of that table
# (from the --json listing), empty on error.
it_nat64_count() {
	it_tctl "$1" show --json 2>/dev/null | python3 -c '
import json, sys
print(json.load(sys.stdin)["counts"][sys.argv[1]])' "$2" 2>/dev/null
}

# it_wait_for SECONDS COMMAND...: polls COMMAND every 0.5 s until it
# succeeds (0) or the time is up (1).
it_wait_for() {
	local n=$(($1 * 2))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
		n=$((n - 1))
	done
	return 1
}

# it_udp_server PORT: nat64tool's udp-server on the IPv4 host (35 s at
# most), listening when this returns; IT_UDP_PID is its pid.
it_udp_server() {
	ip netns exec "$H4" timeout 40 python3 "$NAT64TOOL" udp-server \
		0.0.0.0 "$1" --timeout 35 >/dev/null 2>&1 &
	IT_UDP_PID=$!
	it_listen "$H4" "$1" udp
}

# it_listen NS PORT [tcp|udp]: waits (10 s at most) for a listener.
it_listen() {
	local opt=-Hltn
	[ "${3:-tcp}" = udp ] && opt=-Hlun
	it_wait_for 10 sh -c "ip netns exec '$1' ss $opt 'sport = :$2' | grep -q ."
}

# --- networks of more namespaces, several daemons (issue 13: clat.sh) -----
# For a topology that scripts/topology.sh does not build: namespaces named
# $IT_PREFIX-NAME, veth links between them, and translatord instances
# besides it_daemon's (each with its own control socket). A test using
# them sets its trap to 'it_cleanup; it_net_cleanup' after it_init.
IT_NET_NS=
IT_NET_PIDS=

# it_netns NAME: the namespace $IT_PREFIX-NAME, loopback up, no DAD;
# removed by it_net_cleanup.
it_netns() {
	local n="$IT_PREFIX-$1"
	ip netns add "$n" || return 1
	IT_NET_NS="$IT_NET_NS $n"
	ip netns exec "$n" ip link set lo up &&
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
}

# it_veth NS_A DEV_A NS_B DEV_B MTU: a veth pair between two namespaces
# (full names), both ends up.
it_veth() {
	ip link add "$2" netns "$1" mtu "$5" type veth \
		peer name "$4" netns "$3" mtu "$5" &&
	ip netns exec "$1" ip link set "$2" up &&
	ip netns exec "$3" ip link set "$4" up
}

# it_daemon_in NS CONFIG SOCKET [ARGS]: one more translatord in NS (with
# `workers $XLAT_WORKERS` when set: it_workers), its control socket at
# SOCKET, its pidfile SOCKET.pid and log SOCKET.log; waits for the socket.
it_daemon_in() {
	local ns=$1 conf sock=$3 pid i
	conf=$(it_workers "$2")
	shift 3
	ip netns exec "$ns" "$TRANSLATORD" -c "$conf" --control "$sock" \
		--pidfile "$sock.pid" "$@" >>"$sock.log" 2>&1 &
	pid=$!
	IT_NET_PIDS="$IT_NET_PIDS $pid"
	for i in $(seq 100); do
		timeout 20 python3 "$NETTOOL" ctl "$sock" status --timeout 15 \
			>/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "FAIL: $IT_NAME: translatord in $ns did not start:"
	sed 's/^/    /' "$sock.log"
	exit 1
}

# it_net_cleanup: stops it_daemon_in's daemons (SIGTERM, bounded wait,
# then SIGKILL), ends what runs in it_netns's namespaces and deletes them.
it_net_cleanup() {
	local p n i
	for p in $IT_NET_PIDS; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $IT_NET_PIDS; do
		for i in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
	done
	IT_NET_PIDS=
	for n in $IT_NET_NS; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	IT_NET_NS=
}
