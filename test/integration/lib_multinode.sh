# SPDX-License-Identifier: GPL-2.0-or-later
# Multi-node integration tests (sourced after lib.sh and it_init): any
# number of namespaces named $IT_PREFIX-NAME, veth links between them,
# one translatord and one BIRD 2 per namespace where asked, each with its
# own control socket in IT_TMP. mn_cleanup (installed as the EXIT trap by
# mn_init) stops every daemon started here, then deletes every namespace
# created here, failures and signals included. Every wait is bounded.
# Used by scaleout.sh (SIIT anycast over BGP ECMP) and scaleout_nat64.sh
# (deterministic NAT64 in slices); docs/scale-out.md.

MN_NAMESPACES=
MN_PIDS=
BIRD=${BIRD:-bird}
BIRDC=${BIRDC:-birdc}

# mn_init: after it_init; the EXIT trap becomes mn_cleanup.
mn_init() {
	if ! command -v "$BIRD" >/dev/null || ! command -v "$BIRDC" >/dev/null; then
		it_skip "no BIRD 2 routing daemon (Debian package bird2)"
	fi
	"$BIRD" --version 2>&1 | grep -q 'BIRD version 2\.' ||
		it_skip "$BIRD is not BIRD 2 (Debian package bird2)"
	trap mn_cleanup EXIT
}

mn_cleanup() {
	local p i n
	# The background helpers killed below are not worth a "Killed" line.
	disown -a 2>/dev/null
	for p in $MN_PIDS; do
		kill -TERM "$p" 2>/dev/null
		kill -CONT "$p" 2>/dev/null
	done
	for i in $(seq 50); do
		n=0
		for p in $MN_PIDS; do
			kill -0 "$p" 2>/dev/null && n=1
		done
		[ "$n" = 0 ] && break
		sleep 0.1
	done
	for p in $MN_PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	for n in $MN_NAMESPACES; do
		ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
	it_cleanup
}

mn_ns_name() { echo "$IT_PREFIX-$1"; }

# mn_x NAME COMMAND...: COMMAND inside namespace NAME.
mn_x() {
	local n=$1
	shift
	ip netns exec "$IT_PREFIX-$n" "$@"
}

# mn_ns NAME...: new namespaces, loopback up, no DAD (addresses usable at
# once), IPv6 on.
mn_ns() {
	local n
	for n in "$@"; do
		ip netns add "$IT_PREFIX-$n" || return 1
		MN_NAMESPACES="$MN_NAMESPACES $IT_PREFIX-$n"
		mn_x "$n" ip link set lo up
		mn_x "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
	done
}

# mn_link NS_A DEV_A NS_B DEV_B [MTU]: a veth pair, both ends up.
mn_link() {
	ip link add "$2" netns "$IT_PREFIX-$1" mtu "${5:-1500}" type veth \
		peer name "$4" netns "$IT_PREFIX-$3" mtu "${5:-1500}" &&
	mn_x "$1" ip link set "$2" up &&
	mn_x "$3" ip link set "$4" up
}

# mn_addr NS DEV ADDR/LEN...: addresses on a device (IPv6 ones nodad).
mn_addr() {
	local n=$1 dev=$2 a
	shift 2
	for a in "$@"; do
		case $a in
		*:*) mn_x "$n" ip -6 addr add "$a" dev "$dev" nodad ;;
		*) mn_x "$n" ip addr add "$a" dev "$dev" ;;
		esac || return 1
	done
}

# mn_router NS: forwards both families and spreads flows over ECMP
# nexthops by their 5-tuple (fib_multipath_hash_policy 1: addresses,
# protocol and ports; the default, 0, hashes addresses only, and would
# send every flow between two hosts through the same node).
mn_router() {
	mn_x "$1" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 \
		net.ipv4.fib_multipath_hash_policy=1 \
		net.ipv6.fib_multipath_hash_policy=1
}

# mn_bird NS CONFIG: BIRD in the foreground inside NS (its pid tracked),
# control socket $IT_TMP/NS.bird, log $IT_TMP/NS.bird.log; waits (5 s at
# most) for the socket.
mn_bird() {
	local n=$1 conf=$2
	ip netns exec "$IT_PREFIX-$n" "$BIRD" -f -c "$conf" -s "$IT_TMP/$n.bird" \
		-P "$IT_TMP/$n.bird.pid" >>"$IT_TMP/$n.bird.log" 2>&1 &
	MN_PIDS="$MN_PIDS $!"
	eval "MN_BIRD_PID_$n=$!"
	it_wait_for 5 mn_birdc "$n" show status || {
		echo "FAIL: $IT_NAME: bird did not start in $n:"
		sed 's/^/    /' "$IT_TMP/$n.bird.log"
		exit 1
	}
}

# mn_birdc NS COMMAND...: a BIRD command, bounded.
mn_birdc() {
	local n=$1
	shift
	timeout 10 "$BIRDC" -s "$IT_TMP/$n.bird" "$@"
}

# mn_bgp_up NS PROTOCOL...: every named BGP session of NS is Established.
mn_bgp_up() {
	local n=$1 p
	shift
	mn_birdc "$n" show protocols >"$IT_TMP/$n.protocols" 2>&1 || return 1
	for p in "$@"; do
		awk -v p="$p" '$1 == p' "$IT_TMP/$n.protocols" |
			grep -q Established || return 1
	done
}

# mn_nexthops NS PREFIX: how many nexthops the kernel route to PREFIX has
# in NS (0: no route, 1: a plain route, N: a multipath route).
mn_nexthops() {
	local fam=-4 out
	case $2 in *:*) fam=-6 ;; esac
	out=$(mn_x "$1" ip "$fam" route show "$2" 2>/dev/null)
	if [ -z "$out" ]; then
		echo 0
	elif printf '%s\n' "$out" | grep -q nexthop; then
		printf '%s\n' "$out" | grep -c nexthop
	else
		echo 1
	fi
}

# mn_nexthops_are NS PREFIX N: for it_wait_for.
mn_nexthops_are() {
	[ "$(mn_nexthops "$1" "$2")" = "$3" ]
}

# mn_route_proto NS PREFIX: the kernel route's "proto" (bird: learned by
# BIRD, not a static route).
mn_route_proto() {
	local fam=-4
	case $2 in *:*) fam=-6 ;; esac
	mn_x "$1" ip "$fam" route show "$2" |
		sed -n 's/.* proto \([^ ]*\).*/\1/p' | head -1
}

# mn_translatord NS CONFIG: translatord inside NS (with `workers
# $XLAT_WORKERS` when set), control socket $IT_TMP/NS.ctl, log
# $IT_TMP/NS.log; waits (10 s at most) for its socket.
mn_translatord() {
	local n=$1 conf
	conf=$(it_workers "$2")
	ip netns exec "$IT_PREFIX-$n" "$TRANSLATORD" -c "$conf" --control "$IT_TMP/$n.ctl" \
		--pidfile "$IT_TMP/$n.pid" >>"$IT_TMP/$n.log" 2>&1 &
	MN_PIDS="$MN_PIDS $!"
	eval "MN_XLAT_PID_$n=$!"
	it_wait_for 10 mn_tctl "$n" status || {
		echo "FAIL: $IT_NAME: translatord did not start in $n:"
		sed 's/^/    /' "$IT_TMP/$n.log"
		exit 1
	}
}

# mn_tctl NS ARGS...: transctl against NS's translatord, bounded.
mn_tctl() {
	local n=$1
	shift
	timeout 20 "$TRANSCTL" "$@" --control "$IT_TMP/$n.ctl"
}

# mn_stat NS NAME: one counter of NS's translatord (from `transctl stats
# --json`); empty when the daemon does not answer.
mn_stat() {
	mn_tctl "$1" stats --json 2>/dev/null | python3 -c '
import json, sys
for group in json.load(sys.stdin).values():
    if sys.argv[1] in group:
        print(group[sys.argv[1]]["value"])' "$2" 2>/dev/null
}

# mn_kill NS [hang]: SIGKILL NS's translatord and BIRD: a node that
# crashes (no clean shutdown, its firewall rules stay behind, the kernel
# closes its BGP connections, so the peers withdraw its routes at once).
# With "hang", BIRD is stopped (SIGSTOP) instead: a node that goes silent
# with its sessions open, found out only when the peers' hold timers
# expire. mn_cleanup ends a stopped BIRD too (SIGKILL).
mn_kill() {
	local x b
	x=$(eval echo "\$MN_XLAT_PID_$1")
	b=$(eval echo "\$MN_BIRD_PID_$1")
	kill -KILL "$x" 2>/dev/null
	wait "$x" 2>/dev/null
	if [ "${2:-}" = hang ]; then
		kill -STOP "$b"
		return
	fi
	kill -KILL "$b" 2>/dev/null
	wait "$b" 2>/dev/null
}

# mn_xfer_listen TO_NS LISTEN PORT TAG: the receiving end of a TCP
# transfer (nettool xfer-sink) in the background, its report in
# $IT_TMP/TAG.sink. mn_xfer_send FROM_NS CONNECT PORT BYTES TAG: the
# sending end (xfer-source, report in TAG.src), once the listener is up;
# mn_xfer_check TAG checks both. Listeners first, then senders: flows
# that start together run together.
mn_xfer_listen() {
	local to=$1 listen=$2 port=$3 tag=$4 t=$IT_XFER_TIMEOUT
	ip netns exec "$IT_PREFIX-$to" timeout $((t + 10)) python3 "$NETTOOL" \
		xfer-sink "$listen" "$port" --timeout "$t" \
		--idle "$IT_XFER_IDLE" >"$IT_TMP/$tag.sink" 2>&1 &
	eval "MN_SINK_$tag=$!"
	eval "MN_SINK_NS_$tag=$to MN_PORT_$tag=$port"
}

mn_xfer_send() {
	local from=$1 connect=$2 port=$3 bytes=$4 tag=$5 t=$IT_XFER_TIMEOUT
	it_listen "$IT_PREFIX-$(eval echo "\$MN_SINK_NS_$tag")" "$port"
	echo "$bytes" >"$IT_TMP/$tag.bytes"
	ip netns exec "$IT_PREFIX-$from" timeout $((t + 10)) python3 \
		"$NETTOOL" xfer-source "$connect" "$port" "$bytes" \
		--timeout "$t" --idle "$IT_XFER_IDLE" >"$IT_TMP/$tag.src" 2>&1 &
	eval "MN_SRC_$tag=$!"
}

# mn_xfer_check TAG LABEL: waits for both ends; passes when both agree on
# the size and SHA-256 of what was sent.
mn_xfer_check() {
	local tag=$1 label=$2 src sink s1 s2 bytes
	src=$(eval echo "\$MN_SRC_$tag")
	sink=$(eval echo "\$MN_SINK_$tag")
	wait "$src"
	s1=$?
	wait "$sink"
	s2=$?
	bytes=$(cat "$IT_TMP/$tag.bytes")
	src=$(tail -1 "$IT_TMP/$tag.src")
	sink=$(tail -1 "$IT_TMP/$tag.sink")
	if [ "$s1" = 0 ] && [ "$s2" = 0 ] &&
	   [ "$(it_kv bytes "$sink")" = "$bytes" ] &&
	   [ "$(it_kv sha256 "$sink")" = "$(it_kv sha256 "$src")" ]; then
		it_pass "$label: $bytes B, sha256 equal, $(it_kv secs "$sink") s, retrans $(it_kv retrans "$src")$(grep -q retrying "$IT_TMP/$tag.src" && echo ", connect retried while routes converged")"
		return 0
	fi
	it_fail "$label (source exit $s1, sink exit $s2)"
	echo "    source: $(cat "$IT_TMP/$tag.src")"
	echo "    sink:   $(cat "$IT_TMP/$tag.sink")"
	return 1
}

# mn_two_nodes: the namespaces and links of the two-node scale-out tests
# (docs/scale-out.md): cl - r6 - n1 and n2 - r4 - s4; r6 and r4 route,
# with no reverse-path filter (a flow may come back by the other node).
mn_two_nodes() {
	local r
	mn_ns cl r6 n1 n2 r4 s4
	mn_link cl eth0 r6 west
	mn_link r6 n1 n1 v6
	mn_link r6 n2 n2 v6
	mn_link n1 v4 r4 n1
	mn_link n2 v4 r4 n2
	mn_link r4 east s4 eth0
	for r in r6 r4; do
		mn_router "$r"
		mn_x "$r" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0
	done
}

# mn_node_addrs: the links of nodes n1 and n2 (links made already):
# node i is 2001:db8:fi::2 towards r6 (::1) and 10.0.i.2 towards r4
# (.1), with default routes to them, and the same translator addresses
# on every node's loopback (anycast): one configuration for all nodes.
mn_node_addrs() {
	local i
	for i in 1 2; do
		mn_addr r6 "n$i" "2001:db8:f$i::1/64"
		mn_addr r4 "n$i" "10.0.$i.1/24"
		mn_addr "n$i" v6 "2001:db8:f$i::2/64"
		mn_addr "n$i" v4 "10.0.$i.2/24"
		mn_addr "n$i" lo 2001:db8:ff::1/128 10.255.0.1/32
		mn_x "n$i" ip -6 route add default via "2001:db8:f$i::1" dev v6
		mn_x "n$i" ip route add default via "10.0.$i.1" dev v4
	done
}

# Short BGP timers for BIRD's sessions: a silent node is dropped after
# 3 s; a session that fails is retried after 1 s (BIRD's defaults are
# 240/120/60 s).
MN_BGP_TIMERS='hold time 3; keepalive time 1; connect retry time 1;
	connect delay time 1; error wait time 1, 5;'

# mn_bgp_sessions_up SECS: within SECS, r6's and r4's sessions to n1 and
# n2 are Established (a pass), or a failure with r6's and r4's protocols.
mn_bgp_sessions_up() {
	if it_wait_for "$1" mn_bgp_up r6 n1 n2 &&
	   it_wait_for "$1" mn_bgp_up r4 n1 n2; then
		it_pass "BGP sessions r6-n1 r6-n2 r4-n1 r4-n2 established"
		return 0
	fi
	it_fail "BGP sessions not established:"
	cat "$IT_TMP/r6.protocols" "$IT_TMP/r4.protocols" | sed 's/^/    /'
	return 1
}
